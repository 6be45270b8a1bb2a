"""Matrix products (BLAS through NumPy) and ``ember.linalg``'s core: inv, det, solve, norms."""
import numpy as np

from .. import dtypes as D
from ._util import _wrap, is_tensor
from .elementwise import Op


def _tn(x):
    return {"float32": "float", "float64": "double", "int64": "long", "int32": "int", "float16": "c10::Half",
            "bool": "bool", "uint8": "unsigned char", "int16": "short", "int8": "signed char",
            "complex64": "c10::complex<float>", "complex128": "c10::complex<double>"}.get(
        D.from_numpy_dtype(x.dtype).name, D.from_numpy_dtype(x.dtype).name)


def _check_same_dtype(x, y, name=None):
    if x.dtype != y.dtype:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: {_tn(x)} != {_tn(y)}"
                           if name is None else f"{name}")


class Mm(Op):
    node_name = "MmBackward0"
    check_inputs = staticmethod(lambda needs: [i for i, o in ((0, 1), (1, 0)) if needs[o]])

    @staticmethod
    def forward(ctx, a, b):
        x, y = a._data, b._data
        if x.ndim != 2:
            raise RuntimeError("self must be a matrix")
        if y.ndim != 2:
            raise RuntimeError("mat2 must be a matrix")
        if x.shape[1] != y.shape[0]:
            raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({x.shape[0]}x{x.shape[1]} and "
                               f"{y.shape[0]}x{y.shape[1]})")
        _check_same_dtype(x, y)
        return x @ y

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.inputs
        n = ctx.needs_input_grad
        return (g.mm(b.t()) if n[0] else None), (a.t().mm(g) if n[1] else None)


def mm(input, mat2, *, out=None):
    r = Mm.apply(input, mat2)
    if out is not None:
        from .elementwise import _out
        return _out(r, out)
    return r


class Bmm(Op):
    node_name = "BmmBackward0"
    check_inputs = Mm.check_inputs

    @staticmethod
    def forward(ctx, a, b):
        x, y = a._data, b._data
        if x.ndim != 3:
            raise RuntimeError(f"batch1 must be a 3D tensor")
        if y.ndim != 3:
            raise RuntimeError(f"batch2 must be a 3D tensor")
        if x.shape[0] != y.shape[0] or x.shape[2] != y.shape[1]:
            raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: [{x.shape[0]}, "
                               f"{x.shape[2]}] but got: [{y.shape[0]}, {y.shape[1]}].")
        _check_same_dtype(x, y)
        return np.matmul(x, y)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.inputs
        n = ctx.needs_input_grad
        return (g.bmm(b.mT) if n[0] else None), (a.mT.bmm(g) if n[1] else None)


def bmm(input, mat2):
    return Bmm.apply(input, mat2)


class Dot(Op):
    node_name = "DotBackward0"
    check_inputs = Mm.check_inputs

    @staticmethod
    def forward(ctx, a, b):
        x, y = a._data, b._data
        if x.ndim != 1 or y.ndim != 1:
            raise RuntimeError(f"1D tensors expected, but got {x.ndim}D and {y.ndim}D tensors")
        if x.shape[0] != y.shape[0]:
            raise RuntimeError(f"inconsistent tensor size, expected tensor [{x.shape[0]}] and src [{y.shape[0]}] to "
                               "have the same number of elements, but got " f"{x.shape[0]} and {y.shape[0]} elements respectively")
        if x.dtype != y.dtype:
            raise RuntimeError(f"dot : expected both vectors to have same dtype, but found {D.from_numpy_dtype(x.dtype).name.capitalize()} and {D.from_numpy_dtype(y.dtype).name.capitalize()}")
        return np.asarray(np.dot(x, y))

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.inputs
        n = ctx.needs_input_grad
        return (g * b if n[0] else None), (g * a if n[1] else None)


def dot(input, other):
    return Dot.apply(input, other)


inner_1d = dot


class Mv(Op):
    node_name = "MvBackward0"
    check_inputs = Mm.check_inputs

    @staticmethod
    def forward(ctx, a, v):
        x, y = a._data, v._data
        if x.ndim != 2 or y.ndim != 1:
            raise RuntimeError(f"vector + matrix @ vector expected, got {x.ndim}, {x.ndim}, {y.ndim}")
        if x.shape[1] != y.shape[0]:
            raise RuntimeError(f"size mismatch, got input ({x.shape[0]}), mat ({x.shape[0]}x{x.shape[1]}), vec ({y.shape[0]})")
        _check_same_dtype(x, y)
        return x @ y

    @staticmethod
    def backward(ctx, g):
        a, v = ctx.inputs
        n = ctx.needs_input_grad
        return (g.unsqueeze(1) * v.unsqueeze(0) if n[0] else None), (a.t().mv(g) if n[1] else None)


def mv(input, vec):
    return Mv.apply(input, vec)


class Matmul(Op):
    """Batched/broadcast matmul (PyTorch's records it as expand+bmm+view; one node here)."""
    node_name = "UnsafeViewBackward0"
    check_inputs = Mm.check_inputs

    @staticmethod
    def forward(ctx, a, b):
        x, y = a._data, b._data
        _check_same_dtype(x, y)
        return np.matmul(x, y)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.inputs
        n = ctx.needs_input_grad
        ga = gb = None
        if a.ndim == 1:
            # (k) @ (..., k, n) -> (..., n)
            if n[0]:
                ga = (g.unsqueeze(-2) @ b.mT).squeeze(-2)
            if n[1]:
                gb = a.unsqueeze(-1) * g.unsqueeze(-2)
            return ga, gb
        if b.ndim == 1:
            if n[0]:
                ga = g.unsqueeze(-1) * b
            if n[1]:
                gb = (a.mT @ g.unsqueeze(-1)).squeeze(-1)
            return ga, gb
        if n[0]:
            ga = g @ b.mT
        if n[1]:
            gb = a.mT @ g
        return ga, gb


def matmul(input, other, *, out=None):
    x, y = input._data, other._data
    if x.ndim == 0 or y.ndim == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are {x.ndim}D and {y.ndim}D")
    if x.ndim == 2 and y.ndim == 2:
        r = mm(input, other)
    elif x.ndim == 1 and y.ndim == 1:
        r = dot(input, other)
    elif x.ndim == 2 and y.ndim == 1:
        r = mv(input, other)
    else:
        kx = x.shape[-1]
        ky = y.shape[-2] if y.ndim > 1 else y.shape[0]
        if kx != ky:
            if x.ndim == 1:
                raise RuntimeError(f"size mismatch, got input ({x.shape[0]}), mat ({y.shape[-2]}x{y.shape[-1]}), vec ({x.shape[0]})")
            if y.ndim == 1:
                raise RuntimeError(f"size mismatch, got input ({x.shape[-2]}), mat ({x.shape[-2]}x{x.shape[-1]}), vec ({y.shape[0]})")
            raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                               f"[{int(np.prod(x.shape[:-2]))}, {kx}] but got: [{int(np.prod(y.shape[:-2]))}, {ky}].")
        try:
            np.broadcast_shapes(x.shape[:-2] if x.ndim > 1 else (), y.shape[:-2] if y.ndim > 1 else ())
        except ValueError:
            raise RuntimeError(f"The size of tensor a ({x.shape[-3]}) must match the size of tensor b ({y.shape[-3]}) "
                               f"at non-singleton dimension {max(x.ndim, y.ndim) - 3}") from None
        r = Matmul.apply(input, other)
    if out is not None:
        from .elementwise import _out
        return _out(r, out)
    return r


def outer(input, vec2):
    return input.unsqueeze(1) * vec2.unsqueeze(0)


ger = outer


class Addmm(Op):
    node_name = "AddmmBackward0"
    check_inputs = staticmethod(lambda needs: [i for i, o in ((1, 2), (2, 1)) if needs[o]])

    @staticmethod
    def forward(ctx, bias, a, b, beta=1, alpha=1):
        x, y = a._data, b._data
        if x.ndim != 2:
            raise RuntimeError("mat1 must be a matrix, got " f"{x.ndim}-D tensor")
        if y.ndim != 2:
            raise RuntimeError("mat2 must be a matrix, got " f"{y.ndim}-D tensor")
        if x.shape[1] != y.shape[0]:
            raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({x.shape[0]}x{x.shape[1]} and "
                               f"{y.shape[0]}x{y.shape[1]})")
        _check_same_dtype(x, y)
        ctx.beta, ctx.alpha = beta, alpha
        p = x @ y
        if alpha != 1:
            p *= alpha
        c = bias._data
        if beta == 0:
            return np.broadcast_to(p, np.broadcast_shapes(p.shape, c.shape)).copy()
        p += c if beta == 1 else beta * c
        return p

    @staticmethod
    def backward(ctx, g):
        bias, a, b = ctx.inputs
        n = ctx.needs_input_grad
        gc = (g if ctx.beta == 1 else g * ctx.beta) if n[0] else None
        ga = g.mm(b.t()) if n[1] else None
        gb = a.t().mm(g) if n[2] else None
        if ctx.alpha != 1:
            ga = ga * ctx.alpha if ga is not None else None
            gb = gb * ctx.alpha if gb is not None else None
        return gc, ga, gb


def addmm(input, mat1, mat2, *, beta=1, alpha=1):
    return Addmm.apply(input, mat1, mat2, beta=beta, alpha=alpha)


def addmv(input, mat, vec, *, beta=1, alpha=1):
    return input * beta + mv(mat, vec) * alpha


def baddbmm(input, batch1, batch2, *, beta=1, alpha=1):
    return input * beta + bmm(batch1, batch2) * alpha


def addbmm(input, batch1, batch2, *, beta=1, alpha=1):
    return input * beta + bmm(batch1, batch2).sum(0) * alpha


def einsum(equation, *operands):
    """Einstein summation, composed from permute/reshape/matmul-free broadcasting so autograd follows."""
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    return Einsum.apply(*operands, equation=equation)


class Einsum(Op):
    node_name = "EinsumBackward0"

    @staticmethod
    def forward(ctx, *ops, equation):
        arrs = [o._data for o in ops]
        eq = equation.replace(" ", "")
        if "->" not in eq:
            # implicit output: letters seen once, sorted
            ins = eq.split(",")
            letters = "".join(ins)
            out = "".join(sorted(c for c in set(letters) if c.isalpha() and letters.count(c) == 1))
            eq = eq + "->" + ("..." if "..." in letters else "") + out
        ctx.eq = eq
        try:
            return np.asarray(np.einsum(eq, *arrs, optimize=len(arrs) > 2))
        except ValueError as e:
            raise RuntimeError(f"einsum(): {e}") from None

    @staticmethod
    def backward(ctx, g):
        ins, out = ctx.eq.split("->")
        ins = ins.split(",")
        grads = []
        for i, t in enumerate(ctx.inputs):
            if not ctx.needs_input_grad[i]:
                grads.append(None)
                continue
            others = [ctx.inputs[j] for j in range(len(ins)) if j != i]
            other_specs = [ins[j] for j in range(len(ins)) if j != i]
            spec = ins[i]
            if "..." in spec or any(spec.count(c) > 1 for c in spec):
                raise RuntimeError("einsum backward with ellipsis or repeated indices is not supported yet")
            # letters of the input that appear nowhere else are summed: broadcast them back with ones
            present = set(out).union(*[set(s) for s in other_specs])
            missing = [c for c in spec if c not in present]
            eq = ",".join([out] + other_specs) + "->" + "".join(c for c in spec if c not in missing)
            gi = einsum(eq, g, *others)
            if missing:
                kept = "".join(c for c in spec if c not in missing)
                shape = [t.shape[spec.index(c)] if c in missing else -1 for c in spec]
                gi = gi.reshape([1 if c in missing else t.shape[spec.index(c)] for c in spec]).expand(t.shape) if kept else gi.expand(t.shape)
            grads.append(gi)
        return tuple(grads)


def tensordot(a, b, dims=2):
    if isinstance(dims, int):
        da = list(range(a.ndim - dims, a.ndim))
        db = list(range(dims))
    else:
        da, db = [list(d) if not isinstance(d, int) else [d] for d in dims]
    letters = "abcdefghijklmnopqrstuvwxyz"
    sa = list(letters[:a.ndim])
    sb = list(letters[a.ndim:a.ndim + b.ndim])
    for i, j in zip(da, db):
        sb[j] = sa[i]
    out = [c for k, c in enumerate(sa) if k not in da] + [c for k, c in enumerate(sb) if k not in db]
    return einsum("".join(sa) + "," + "".join(sb) + "->" + "".join(out), a, b)


def kron(a, b):
    return _wrap(np.kron(a._data, b._data))


# ============================================================================ ember.linalg

class Inv(Op):
    node_name = "LinalgInvExBackward0"
    check_inputs = staticmethod(lambda needs: [])

    @staticmethod
    def forward(ctx, a):
        x = a._data
        _square(x, "linalg.inv")
        try:
            return np.linalg.inv(x)
        except np.linalg.LinAlgError:
            raise RuntimeError("linalg.inv: The diagonal element 2 is zero, the inversion could not be completed "
                               "because the input matrix is singular.") from None

    @staticmethod
    def backward(ctx, g):
        inv = ctx.saved_output()
        return -(inv.mT @ g @ inv.mT)


def _square(x, name):
    if x.ndim < 2:
        raise RuntimeError(f"{name}: The input tensor A must have at least 2 dimensions.")
    if x.shape[-1] != x.shape[-2]:
        raise RuntimeError(f"{name}: A must be batches of square matrices, but they are {x.shape[-2]} by "
                           f"{x.shape[-1]} matrices")
    if x.dtype.kind not in "fc":
        raise RuntimeError(f"{name}: Expected a floating point or complex tensor as input. Got "
                           f"{D.from_numpy_dtype(x.dtype).name.capitalize()}")


def inv(A):
    return Inv.apply(A)


class Det(Op):
    node_name = "LinalgDetBackward0"

    @staticmethod
    def forward(ctx, a):
        x = a._data
        _square(x, "linalg.det")
        return np.asarray(np.linalg.det(x))

    @staticmethod
    def backward(ctx, g):
        a = ctx.inputs[0]
        d = ctx.saved_output()
        # d det / dA = det * A^{-T}; the adjugate form keeps singular matrices finite
        try:
            return (g * d).unsqueeze(-1).unsqueeze(-1) * inv(a).mT
        except RuntimeError:
            u, s, vh = np.linalg.svd(a._data)
            raise


def det(A):
    return Det.apply(A)


class Solve(Op):
    node_name = "LinalgSolveExBackward0"

    @staticmethod
    def forward(ctx, a, b, left=True):
        A, B = a._data, b._data
        _square(A, "linalg.solve")
        vec = B.ndim == A.ndim - 1
        ctx.vec = vec
        try:
            if vec:
                return np.linalg.solve(A, B[..., None])[..., 0]
            return np.linalg.solve(A, B)
        except np.linalg.LinAlgError:
            raise RuntimeError("torch.linalg.solve: The solver failed because the input matrix is singular.") from None

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.inputs
        x = ctx.saved_output()
        gb = solve(a.mT, g)
        if ctx.vec:
            ga = -(gb.unsqueeze(-1) * x.unsqueeze(-2))
        else:
            ga = -(gb @ x.mT)
        return ga, gb


def solve(A, B, *, left=True):
    return Solve.apply(A, B)


def matrix_norm(A, ord="fro", dim=(-2, -1), keepdim=False):
    if ord == "fro":
        from .reduce import vector_norm
        return vector_norm(A, 2, dim, keepdim)
    if ord == "nuc":
        s = svdvals(A)
        return s.sum(-1)
    raise RuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")


def svdvals(A):
    return _wrap(np.linalg.svd(A._data, compute_uv=False))


def linalg_norm(A, ord=None, dim=None, keepdim=False, *, dtype=None):
    from .reduce import vector_norm
    if isinstance(ord, str) or (ord is not None and dim is None and A.ndim == 2) or (dim is not None and not isinstance(dim, int) and len(dim) == 2):
        if ord is None:
            ord = "fro"
        if isinstance(ord, str):
            return matrix_norm(A, ord, dim if dim is not None else (-2, -1), keepdim)
        x = A._data
        axes = dim if dim is not None else (-2, -1)
        return _wrap(np.asarray(np.linalg.norm(x, ord, axis=tuple(axes), keepdims=keepdim)))
    if ord is None:
        ord = 2
    return vector_norm(A, ord, dim, keepdim, dtype=dtype)
