"""Matrix products (BLAS through NumPy) and ``ember.linalg``'s core: inv, det, solve, norms, svdvals.

Each product is one op whose node carries the name of the *last* node PyTorch
records for the same call: ``matmul`` follows ATen's ``_matmul_impl`` dispatch
(dot / mv / mm / fold into mm / bmm) so that ``grad_fn.name()`` and the error
messages match PyTorch for every rank combination.
"""



import numpy as np

from .. import dtypes as D
from ._util import _wrap, is_tensor

from ..autograd.grad_mode import _state
from .elementwise import Op


class LinAlgError(RuntimeError):
    """``torch.linalg.LinAlgError``: a numerical failure such as a singular matrix."""


# C++ type names (``float``, ``long int``) and ScalarType names (``Float``, ``Long``) in PyTorch's messages
_CPP = {"float32": "float", "float64": "double", "int64": "long int", "int32": "int", "float16": "c10::Half",
        "bfloat16": "c10::BFloat16", "bool": "bool", "uint8": "unsigned char", "int16": "short int",
        "int8": "signed char", "complex64": "c10::complex<float>", "complex128": "c10::complex<double>"}
_ST = {"float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long", "int32": "Int", "int16": "Short",
       "int8": "Char", "uint8": "Byte", "bool": "Bool", "complex64": "ComplexFloat", "complex128": "ComplexDouble",
       "bfloat16": "BFloat16"}


def _dname(np_dtype):
    return D.from_numpy_dtype(np_dtype).name


def _cpp(np_dtype):
    n = _dname(np_dtype)
    return _CPP.get(n, n)


def _st(np_dtype):
    n = _dname(np_dtype)
    return _ST.get(n, n)


def _not_impl(kernel, np_dtype):
    return NotImplementedError(f"\"{kernel}\" not implemented for '{_st(np_dtype)}'")


def _conj(t):
    return t.conj() if t.dtype.is_complex else t


def _prod(shape):
    n = 1
    for s in shape:
        n *= s
    return n


def _strides(x):
    """Element strides of an array, as PyTorch reports them."""
    return tuple(s // x.itemsize for s in x.strides) if x.itemsize else (0,) * x.ndim


def _infer_size(a, b):
    """Broadcast two shapes; PyTorch's ``infer_size`` error when they do not broadcast."""
    n = max(len(a), len(b))
    out = []
    for i in range(n - 1, -1, -1):
        off = n - 1 - i
        da, db = len(a) - 1 - off, len(b) - 1 - off
        sa = a[da] if da >= 0 else 1
        sb = b[db] if db >= 0 else 1
        if sa != sb and sa != 1 and sb != 1:
            raise RuntimeError(f"The size of tensor a ({sa}) must match the size of tensor b ({sb}) at "
                               f"non-singleton dimension {i}")
        out.append(sb if sa == 1 else sa)
    return tuple(reversed(out))


def _expand_check(shape, target, type_str):
    """``bias.expand(target)``'s errors, as addmm/baddbmm raise them for a bias that does not broadcast."""
    shape, target = tuple(shape), tuple(target)
    if len(shape) > len(target):
        raise RuntimeError(f"expand({type_str}{{{list(shape)}}}, size={list(target)}): the number of sizes provided "
                           f"({len(target)}) must be greater or equal to the number of dimensions in the tensor "
                           f"({len(shape)})")
    lead = len(target) - len(shape)
    for i, s in enumerate(shape):
        t = target[lead + i]
        if s != t and s != 1:
            raise RuntimeError(f"The expanded size of the tensor ({t}) must match the existing size ({s}) at "
                               f"non-singleton dimension {lead + i}.  Target sizes: {list(target)}.  Tensor sizes: "
                               f"{list(shape)}")


def _legacy_type(np_dtype):
    from ..tensor import _LEGACY_NAMES
    return "torch." + _LEGACY_NAMES[_dname(np_dtype)]


# ============================================================================ checks shared by the products

def _mm_check(xs, ys, xd, yd):
    if len(xs) != 2:
        raise RuntimeError("self must be a matrix")
    if len(ys) != 2:
        raise RuntimeError("mat2 must be a matrix")
    if xs[1] != ys[0]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({xs[0]}x{xs[1]} and {ys[0]}x{ys[1]})")
    if xd != yd:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: {_cpp(xd)} != {_cpp(yd)}")
    if xd.kind == "b":
        raise _not_impl("addmm_impl_cpu_", xd)


def _mv_check(ms, vs, md, vd, sd=None):
    if len(ms) != 2 or len(vs) != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got 1, {len(ms)}, {len(vs)}")
    if ms[1] != vs[0]:
        raise RuntimeError(f"size mismatch, got input ({ms[0]}), mat ({ms[0]}x{ms[1]}), vec ({vs[0]})")
    sd = vd if sd is None else sd
    if not (sd == md == vd):
        raise RuntimeError(f"addmv input tensors must have the same dtype, but got {_st(sd)}, {_st(md)}, and "
                           f"{_st(vd)}")
    if md.kind == "b":
        raise _not_impl("addmv_impl_cpu", md)


def _dot_check(xs, ys, xd, yd):
    if len(xs) != 1 or len(ys) != 1:
        raise RuntimeError(f"1D tensors expected, but got {len(xs)}D and {len(ys)}D tensors")
    if xd != yd:
        raise RuntimeError(f"dot : expected both vectors to have same dtype, but found {_st(xd)} and {_st(yd)}")
    if xs[0] != ys[0]:
        raise RuntimeError(f"inconsistent tensor size, expected tensor [{xs[0]}] and src [{ys[0]}] to have the same "
                           f"number of elements, but got {xs[0]} and {ys[0]} elements respectively")
    if xd.kind == "b":
        raise _not_impl("dot", xd)


def _bmm_check(xs, ys, xd, yd):
    if len(xs) != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if len(ys) != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    if ys[0] != xs[0] or ys[1] != xs[2]:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: [{xs[0]}, {xs[2]}] but "
                           f"got: [{ys[0]}, {ys[1]}].")
    if xd != yd:
        raise RuntimeError(f"expected scalar type {_st(xd)} but found {_st(yd)}")
    if xd.kind == "b":
        raise _not_impl("bmm", xd)


def _out_check(name, out, *inputs):
    """PyTorch refuses ``out=`` when grad mode is on and an input requires grad."""
    if out is not None and _state.enabled and any(is_tensor(t) and t._requires_grad for t in inputs):
        raise RuntimeError(f"{name}(): functions with out=... arguments don't support automatic differentiation, "
                           "but one of the arguments requires grad.")


def _finish_out(r, out):
    if out is None:
        return r
    from .elementwise import _out
    return _out(r, out)


def _mm_grads(ctx, g, a, b):
    n = ctx.needs_input_grad
    return (g.mm(_conj(b.t())) if n[0] else None), (_conj(a.t()).mm(g) if n[1] else None)


# ============================================================================ mm / bmm / dot / mv

class Mm(Op):
    node_name = "MmBackward0"
    check_inputs = staticmethod(lambda needs: [i for i, o in ((0, 1), (1, 0)) if needs[o]])

    @staticmethod
    def forward(ctx, a, b):
        x, y = a._data, b._data
        _mm_check(x.shape, y.shape, x.dtype, y.dtype)
        return x @ y

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.inputs
        return _mm_grads(ctx, g, a, b)


def mm(input, mat2, *, out=None):
    _out_check("mm", out, input, mat2)
    return _finish_out(Mm.apply(input, mat2), out)


class Bmm(Op):
    node_name = "BmmBackward0"
    check_inputs = Mm.check_inputs

    @staticmethod
    def forward(ctx, a, b):
        x, y = a._data, b._data
        _bmm_check(x.shape, y.shape, x.dtype, y.dtype)
        return np.matmul(x, y)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.inputs
        n = ctx.needs_input_grad
        return (g.bmm(_conj(b.mT)) if n[0] else None), (_conj(a.mT).bmm(g) if n[1] else None)


def bmm(input, mat2, *, out=None):
    _out_check("bmm", out, input, mat2)
    return _finish_out(Bmm.apply(input, mat2), out)


class Dot(Op):
    node_name = "DotBackward0"
    check_inputs = Mm.check_inputs

    @staticmethod
    def forward(ctx, a, b):
        x, y = a._data, b._data
        _dot_check(x.shape, y.shape, x.dtype, y.dtype)
        return np.asarray(np.dot(x, y))

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.inputs
        n = ctx.needs_input_grad
        return (g * _conj(b) if n[0] else None), (g * _conj(a) if n[1] else None)


def dot(input, other, *, out=None):
    _out_check("dot", out, input, other)
    return _finish_out(Dot.apply(input, other), out)


inner_1d = dot


class Vdot(Op):
    node_name = "VdotBackward0"
    check_inputs = Mm.check_inputs

    @staticmethod
    def forward(ctx, a, b):
        x, y = a._data, b._data
        _dot_check(x.shape, y.shape, x.dtype, y.dtype)
        return np.asarray(np.vdot(x, y))

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.inputs
        n = ctx.needs_input_grad
        return (_conj(g) * b if n[0] else None), (g * a if n[1] else None)


def vdot(input, other, *, out=None):
    """``torch.vdot``: the dot product of conj(input) and other (1-D)."""
    _out_check("vdot", out, input, other)
    return _finish_out(Vdot.apply(input, other), out)


def inverse(input, *, out=None):
    """``torch.inverse``: an alias of ``linalg.inv``."""
    return inv(input, out=out)


def inner(input, other, *, out=None):
    """``torch.inner``: sum over the last dims (a product for 0-d operands)."""
    if input.ndim == 0 or other.ndim == 0:
        r = input * other
    else:
        if input.shape[-1] != other.shape[-1]:
            raise RuntimeError(f"inner() the last dimension must match on both input tensors but got shapes "
                               f"{list(input.shape)} and {list(other.shape)}")
        r = tensordot(input, other, dims=([-1], [-1]))
    if out is not None:
        from .elementwise import _out
        return _out(r, out)
    return r


class Mv(Op):
    node_name = "MvBackward0"
    check_inputs = Mm.check_inputs

    @staticmethod
    def forward(ctx, a, v):
        x, y = a._data, v._data
        _mv_check(x.shape, y.shape, x.dtype, y.dtype)
        return x @ y

    @staticmethod
    def backward(ctx, g):
        a, v = ctx.inputs
        n = ctx.needs_input_grad
        return (g.unsqueeze(1) * _conj(v).unsqueeze(0) if n[0] else None), (_conj(a.t()).mv(g) if n[1] else None)


def mv(input, vec, *, out=None):
    _out_check("mv", out, input, vec)
    return _finish_out(Mv.apply(input, vec), out)


# ============================================================================ matmul

class Matmul(Op):
    """``matmul`` of any ranks (NumPy's matmul broadcasts batch dims); grads are summed back by the engine.

    PyTorch records ``expand``/``reshape`` + ``bmm``/``mm``/``mv`` + ``_unsafe_view``; ember records one node
    carrying the name of PyTorch's last one (the subclasses below).
    """
    node_name = "UnsafeViewBackward0"
    check_inputs = Mm.check_inputs

    @staticmethod
    def forward(ctx, a, b):
        return np.matmul(a._data, b._data)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.inputs
        n = ctx.needs_input_grad
        ga = gb = None
        if a.ndim == 1:  # (k) @ (..., k, p) -> (..., p)
            if n[0]:
                ga = (g.unsqueeze(-2) @ _conj(b.mT)).squeeze(-2)
            if n[1]:
                gb = _conj(a).unsqueeze(-1) * g.unsqueeze(-2)
            return ga, gb
        if b.ndim == 1:  # (..., n, k) @ (k) -> (..., n)
            if n[0]:
                ga = g.unsqueeze(-1) * _conj(b)
            if n[1]:
                gb = (_conj(a.mT) @ g.unsqueeze(-1)).squeeze(-1)
            return ga, gb
        if n[0]:
            ga = g @ _conj(b.mT)
        if n[1]:
            gb = _conj(a.mT) @ g
        return ga, gb


class _MatmulSqueeze(Matmul):  # 1-D @ 2-D: unsqueeze(0).mm().squeeze_(0)
    node_name = "SqueezeBackward4"


class _MatmulClone(Matmul):  # 2-D @ batched, folded: mm().mT.contiguous()
    node_name = "CloneBackward0"


class _MatmulTranspose(Matmul):  # as above when the transposed result already is contiguous
    node_name = "TransposeBackward0"


def _should_fold(sa, sta, ra, sb, stb, rb, has_out):
    """ATen's ``should_fold``: fold the batch of the larger operand into an mm/mv instead of a bmm."""
    larger = len(sa) >= len(sb)
    if larger:
        s1, st1, d2, r2 = sa, sta, len(sb), rb
    else:  # t1 = tensor2.mT
        s1 = sb[:-2] + (sb[-1], sb[-2])
        st1 = stb[:-2] + (stb[-1], stb[-2])
        d2, r2 = len(sa), ra
    if not (len(s1) >= 3 and d2 <= 2):
        return False
    if r2 and not has_out:
        return True
    if len(sa) == 2:
        return False
    if _prod(s1) == 0:
        return True
    for i in range(len(s1) - 2):
        if st1[i] != st1[i + 1] * s1[i + 1]:
            return False
    return True


def _matmul_plan(sa, sta, ra, sb, stb, rb, xd, yd, has_out):
    """Check the operands as PyTorch's dispatch does; return the op class for the final node."""
    da, db = len(sa), len(sb)
    if da == 1 and db == 1:
        _dot_check(sa, sb, xd, yd)
        return Dot
    if da == 2 and db == 1:
        _mv_check(sa, sb, xd, yd)
        return Mv
    if da == 1 and db == 2:
        _mm_check((1,) + sa, sb, xd, yd)
        return _MatmulSqueeze
    if da == 2 and db == 2:
        _mm_check(sa, sb, xd, yd)
        return Mm
    if _should_fold(sa, sta, ra, sb, stb, rb, has_out):
        transpose = db > da
        if transpose:
            s1 = sb[:-2] + (sb[-1], sb[-2])
            s2 = (sa[1], sa[0]) if da == 2 else sa
            d1, d2 = yd, xd
        else:
            s1, s2, d1, d2 = sa, sb, xd, yd
        folded = (_prod(s1[:-1]), s1[-1])
        if len(s2) == 2:
            _mm_check(folded, s2, d1, d2)
            if not transpose:
                return Matmul
            n, p = sa[-2], sb[-1]
            out_numel = _prod(sb[:-2]) * n * p
            return _MatmulTranspose if (n == 1 or p == 1 or out_numel == 0) else _MatmulClone
        _mv_check(folded, s2, d1, d2)
        return Matmul
    ba, bb = sa[:max(da - 2, 0)], sb[:max(db - 2, 0)]
    if da == 3 and db == 3 and ba[0] != bb[0]:
        if ba[0] == 1 and ra:
            return _matmul_plan(sa[1:], sta[1:], ra, sb, stb, rb, xd, yd, has_out)
        if bb[0] == 1 and rb:
            return _matmul_plan(sa, sta, ra, sb[1:], stb[1:], rb, xd, yd, has_out)
    batch = _infer_size(ba, bb)
    bp = _prod(batch)
    n = sa[-2] if da > 1 else 1
    m1 = sa[-1]
    m2 = sb[-2] if db > 1 else sb[0]
    p = sb[-1] if db > 1 else 1
    _bmm_check((bp, n, m1), (bp, m2, p), xd, yd)
    return Matmul


def matmul(input, other, *, out=None):
    """PyTorch's ``matmul``: dot, mv, mm, or a broadcast batched product, by the operands' ranks."""
    for pos, (name, v) in enumerate((("input", input), ("other", other))):
        if not is_tensor(v):
            tp = type(v)
            tn = tp.__name__ if tp.__module__ == "builtins" else f"{tp.__module__}.{tp.__qualname__}"
            raise TypeError(f"matmul(): argument '{name}' (position {pos + 1}) must be Tensor, not {tn}")
    x, y = input._data, other._data
    if x.ndim == 0 or y.ndim == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are {x.ndim}D and {y.ndim}D")
    # strides only matter to the fold decision of batched operands
    big = x.ndim > 2 or y.ndim > 2
    _out_check("matmul", out, input, other)
    cls = _matmul_plan(x.shape, _strides(x) if big else None, input._requires_grad, y.shape,
                       _strides(y) if big else None, other._requires_grad, x.dtype, y.dtype, out is not None)
    r = cls.apply(input, other)
    if out is not None:
        from .elementwise import _out
        return _out(r, out)
    return r


def outer(input, vec2):
    if input.ndim != 1:
        raise RuntimeError(f"outer: Expected 1-D argument self, but got {input.ndim}-D")
    if vec2.ndim != 1:
        raise RuntimeError(f"outer: Expected 1-D argument vec2, but got {vec2.ndim}-D")
    return input.unsqueeze(1) * vec2.unsqueeze(0)


ger = outer


# ============================================================================ add + product

def _scaled(p, alpha):
    return p if alpha == 1 else p * alpha


def _add_bias(p, c, beta):
    """``beta * c + p`` with PyTorch's rule that beta == 0 ignores ``c`` (even NaN/inf in it)."""
    if beta == 0:
        return np.ascontiguousarray(np.broadcast_to(p, np.broadcast_shapes(p.shape, c.shape)))
    out = p + (c if beta == 1 else beta * c)
    return out.astype(p.dtype, copy=False)


def _cast_scalar(v, dt):
    """An alpha/beta as it acts on an integer tensor (PyTorch truncates it)."""
    return int(v) if dt.kind in "iub" and not isinstance(v, bool) else v


class Addmm(Op):
    node_name = "AddmmBackward0"
    check_inputs = staticmethod(lambda needs: [i for i, o in ((1, 2), (2, 1)) if needs[o]])

    @staticmethod
    def forward(ctx, bias, a, b, beta=1, alpha=1):
        c, x, y = bias._data, a._data, b._data
        if x.ndim != 2:
            raise RuntimeError(f"mat1 must be a matrix, got {x.ndim}-D tensor")
        if y.ndim != 2:
            raise RuntimeError(f"mat2 must be a matrix, got {y.ndim}-D tensor")
        if x.dtype != y.dtype:
            raise RuntimeError(f"mat1 and mat2 must have the same dtype, but got {_st(x.dtype)} and {_st(y.dtype)}")
        if c.dtype != y.dtype:
            raise RuntimeError(f"self and mat2 must have the same dtype, but got {_st(c.dtype)} and {_st(y.dtype)}")
        if x.shape[1] != y.shape[0]:
            raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({x.shape[0]}x{x.shape[1]} and "
                               f"{y.shape[0]}x{y.shape[1]})")
        cs = c.shape
        if cs != (y.shape[1],) and cs != (x.shape[0], y.shape[1]):
            _expand_check(cs, (x.shape[0], y.shape[1]), _legacy_type(c.dtype))
        ctx.beta, ctx.alpha = beta, alpha
        if x.dtype.kind == "f" and alpha == 1 and beta == 1:  # nn.Linear's case: add the bias in place
            out = x @ y
            out += c
            return out
        if x.dtype.kind == "b":
            raise _not_impl("addmm_impl_cpu_", x.dtype)
        return _add_bias(_scaled(x @ y, _cast_scalar(alpha, x.dtype)), c, _cast_scalar(beta, x.dtype))

    @staticmethod
    def backward(ctx, g):
        bias, a, b = ctx.inputs
        n = ctx.needs_input_grad
        gd = g._data
        if not _state.enabled and gd.dtype.kind == "f" and ctx.beta == 1 and ctx.alpha == 1 and gd.ndim == 2 \
                and a._data.ndim == 2 and b._data.ndim == 2:  # (subclasses reuse this for batched forms)
            # first order, real (nn.Linear's case): the two products on the arrays, the bias grad reduced here
            c = bias._data
            gc = None
            if n[0]:
                gc = _wrap(gd.sum(0) if c.ndim == 1 and c.shape[0] == gd.shape[1] and gd.shape[0] != 1 else gd)
            # mat2's grad as the transpose of a (out, in) product: nn.Linear's weight (mat2 = weight.t()) then
            # gets a C-contiguous grad, as PyTorch's is, and a later ``p -= lr * p.grad`` runs on aligned layouts
            return gc, (_wrap(gd @ b._data.T) if n[1] else None), (_wrap((gd.T @ a._data).T) if n[2] else None)
        gc = (g if ctx.beta == 1 else g * ctx.beta) if n[0] else None
        ga = _scaled(g.mm(_conj(b.t())), ctx.alpha) if n[1] else None
        gb = _scaled(_conj(a.t()).mm(g), ctx.alpha) if n[2] else None
        return gc, ga, gb


def addmm(input, mat1, mat2, *, beta=1, alpha=1, out=None):
    _out_check("addmm", out, input, mat1, mat2)
    return _finish_out(Addmm.apply(input, mat1, mat2, beta=beta, alpha=alpha), out)


class Addmv(Op):
    node_name = "AddmvBackward0"
    check_inputs = Addmm.check_inputs

    @staticmethod
    def forward(ctx, bias, a, v, beta=1, alpha=1):
        c, x, y = bias._data, a._data, v._data
        if x.ndim != 2 or y.ndim != 1 or c.ndim > 1:
            raise RuntimeError(f"vector + matrix @ vector expected, got {c.ndim}, {x.ndim}, {y.ndim}")
        if x.shape[1] != y.shape[0] or (c.ndim == 1 and c.shape[0] not in (1, x.shape[0])):
            raise RuntimeError(f"size mismatch, got input ({c.shape[0] if c.ndim else 1}), mat "
                               f"({x.shape[0]}x{x.shape[1]}), vec ({y.shape[0]})")
        _mv_check(x.shape, y.shape, x.dtype, y.dtype, c.dtype)
        ctx.beta, ctx.alpha = beta, alpha
        return _add_bias(_scaled(x @ y, _cast_scalar(alpha, x.dtype)), c, _cast_scalar(beta, x.dtype))

    @staticmethod
    def backward(ctx, g):
        bias, a, v = ctx.inputs
        n = ctx.needs_input_grad
        gc = (g if ctx.beta == 1 else g * ctx.beta) if n[0] else None
        ga = _scaled(g.unsqueeze(1) * _conj(v).unsqueeze(0), ctx.alpha) if n[1] else None
        gv = _scaled(_conj(a.t()).mv(g), ctx.alpha) if n[2] else None
        return gc, ga, gv


def addmv(input, mat, vec, *, beta=1, alpha=1, out=None):
    _out_check("addmv", out, input, mat, vec)
    return _finish_out(Addmv.apply(input, mat, vec, beta=beta, alpha=alpha), out)


class Baddbmm(Op):
    node_name = "BaddbmmBackward0"
    check_inputs = Addmm.check_inputs

    @staticmethod
    def forward(ctx, bias, a, b, beta=1, alpha=1):
        c, x, y = bias._data, a._data, b._data
        if x.ndim != 3:
            raise RuntimeError("batch1 must be a 3D tensor")
        if y.ndim != 3:
            raise RuntimeError("batch2 must be a 3D tensor")
        if not (c.dtype == x.dtype == y.dtype):
            raise RuntimeError(f"Input dtypes must be the same, got: input {_cpp(c.dtype)}, batch1: {_cpp(x.dtype)}, "
                               f"batch2: {_cpp(y.dtype)}")
        _bmm_check(x.shape, y.shape, x.dtype, y.dtype)
        _expand_check(c.shape, (x.shape[0], x.shape[1], y.shape[2]), _legacy_type(c.dtype))
        ctx.beta, ctx.alpha = beta, alpha
        return _add_bias(_scaled(np.matmul(x, y), _cast_scalar(alpha, x.dtype)), c, _cast_scalar(beta, x.dtype))

    @staticmethod
    def backward(ctx, g):
        bias, a, b = ctx.inputs
        n = ctx.needs_input_grad
        gd = g._data
        if not _state.enabled and gd.dtype.kind == "f" and ctx.beta == 1 and ctx.alpha == 1 and gd.ndim == 2 \
                and a._data.ndim == 2 and b._data.ndim == 2:  # (subclasses reuse this for batched forms)
            # first order, real (nn.Linear's case): the two products on the arrays, the bias grad reduced here
            c = bias._data
            gc = None
            if n[0]:
                gc = _wrap(gd.sum(0) if c.ndim == 1 and c.shape[0] == gd.shape[1] and gd.shape[0] != 1 else gd)
            return gc, (_wrap(gd @ b._data.T) if n[1] else None), (_wrap(a._data.T @ gd) if n[2] else None)
        gc = (g if ctx.beta == 1 else g * ctx.beta) if n[0] else None
        ga = _scaled(g.bmm(_conj(b.mT)), ctx.alpha) if n[1] else None
        gb = _scaled(_conj(a.mT).bmm(g), ctx.alpha) if n[2] else None
        return gc, ga, gb


def baddbmm(input, batch1, batch2, *, beta=1, alpha=1, out=None):
    _out_check("baddbmm", out, input, batch1, batch2)
    return _finish_out(Baddbmm.apply(input, batch1, batch2, beta=beta, alpha=alpha), out)


class Addbmm(Op):
    node_name = "AddbmmBackward0"
    check_inputs = Addmm.check_inputs

    @staticmethod
    def forward(ctx, bias, a, b, beta=1, alpha=1):
        c, x, y = bias._data, a._data, b._data
        if x.ndim != 3:
            raise RuntimeError("batch1 must be a 3D tensor")
        if y.ndim != 3:
            raise RuntimeError("batch2 must be a 3D tensor")
        if x.shape[0] != y.shape[0]:
            raise RuntimeError(f"batch1 and batch2 must have same number of batches, got {x.shape[0]} and "
                               f"{y.shape[0]}")
        if x.shape[2] != y.shape[1]:
            raise RuntimeError(f"Incompatible matrix sizes for bmm ({x.shape[1]}x{x.shape[2]} and "
                               f"{y.shape[1]}x{y.shape[2]})")
        _expand_check(c.shape, (x.shape[1], y.shape[2]), _legacy_type(c.dtype))
        if c.dtype != y.dtype:
            raise RuntimeError(f"self and mat2 must have the same dtype, but got {_st(c.dtype)} and {_st(y.dtype)}")
        if x.dtype != y.dtype:
            raise RuntimeError(f"mat1 and mat2 must have the same dtype, but got {_st(x.dtype)} and {_st(y.dtype)}")
        ctx.beta, ctx.alpha = beta, alpha
        p = np.matmul(x, y).sum(0, dtype=x.dtype) if x.shape[0] else np.zeros((x.shape[1], y.shape[2]), x.dtype)
        return _add_bias(_scaled(p, _cast_scalar(alpha, x.dtype)), c, _cast_scalar(beta, x.dtype))

    @staticmethod
    def backward(ctx, g):
        bias, a, b = ctx.inputs
        n = ctx.needs_input_grad
        gd = g._data
        if not _state.enabled and gd.dtype.kind == "f" and ctx.beta == 1 and ctx.alpha == 1 and gd.ndim == 2 \
                and a._data.ndim == 2 and b._data.ndim == 2:  # (subclasses reuse this for batched forms)
            # first order, real (nn.Linear's case): the two products on the arrays, the bias grad reduced here
            c = bias._data
            gc = None
            if n[0]:
                gc = _wrap(gd.sum(0) if c.ndim == 1 and c.shape[0] == gd.shape[1] and gd.shape[0] != 1 else gd)
            return gc, (_wrap(gd @ b._data.T) if n[1] else None), (_wrap(a._data.T @ gd) if n[2] else None)
        gc = (g if ctx.beta == 1 else g * ctx.beta) if n[0] else None
        ga = _scaled(g.unsqueeze(0) @ _conj(b.mT), ctx.alpha) if n[1] else None
        gb = _scaled(_conj(a.mT) @ g.unsqueeze(0), ctx.alpha) if n[2] else None
        return gc, ga, gb


def addbmm(input, batch1, batch2, *, beta=1, alpha=1, out=None):
    _out_check("addbmm", out, input, batch1, batch2)
    return _finish_out(Addbmm.apply(input, batch1, batch2, beta=beta, alpha=alpha), out)


# moved to linalg_fns.py; re-exported so callers keep one import path
from .linalg_fns import (  # noqa: E402,F401
    Det, Inv, Solve, Svdvals, det, inv, linalg_norm, matrix_norm, solve, svdvals, vecdot)


# moved to einsum.py; re-exported so callers keep one import path
from .einsum import (  # noqa: E402,F401
    Einsum, Kron, einsum, kron, tensordot)
