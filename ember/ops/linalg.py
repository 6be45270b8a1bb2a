"""Matrix products (BLAS through NumPy) and ``ember.linalg``'s core: inv, det, solve, norms, svdvals.

Each product is one op whose node carries the name of the *last* node PyTorch
records for the same call: ``matmul`` follows ATen's ``_matmul_impl`` dispatch
(dot / mv / mm / fold into mm / bmm) so that ``grad_fn.name()`` and the error
messages match PyTorch for every rank combination.
"""
import math
import string

import numpy as np

from .. import dtypes as D
from ._util import _wrap, is_tensor, norm_dim, result_np_dtype
from ..autograd.function import _NOCTX
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
        _expand_check(c.shape, (x.shape[0], y.shape[1]), _legacy_type(c.dtype))
        if x.dtype.kind == "b":
            raise _not_impl("addmm_impl_cpu_", x.dtype)
        ctx.beta, ctx.alpha = beta, alpha
        return _add_bias(_scaled(x @ y, _cast_scalar(alpha, x.dtype)), c, _cast_scalar(beta, x.dtype))

    @staticmethod
    def backward(ctx, g):
        bias, a, b = ctx.inputs
        n = ctx.needs_input_grad
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
        gc = (g if ctx.beta == 1 else g * ctx.beta) if n[0] else None
        ga = _scaled(g.unsqueeze(0) @ _conj(b.mT), ctx.alpha) if n[1] else None
        gb = _scaled(_conj(a.mT) @ g.unsqueeze(0), ctx.alpha) if n[2] else None
        return gc, ga, gb


def addbmm(input, batch1, batch2, *, beta=1, alpha=1, out=None):
    _out_check("addbmm", out, input, batch1, batch2)
    return _finish_out(Addbmm.apply(input, batch1, batch2, beta=beta, alpha=alpha), out)


# ============================================================================ einsum / tensordot / kron

_LETTERS = string.ascii_uppercase + string.ascii_lowercase  # PyTorch's label order: A-Z then a-z


def _parse_sublist(args):
    """``einsum(op0, [0, 1], op1, [1, 2], [0, 2])``: the sublist format as an equation string."""
    args = list(args)
    ops, subs = [], []
    while len(args) >= 2 and is_tensor(args[0]):
        ops.append(args.pop(0))
        subs.append(args.pop(0))
    out = args.pop(0) if args else None

    def conv(sub):
        s = ""
        for v in sub:
            if v is Ellipsis:
                s += "..."
            elif isinstance(v, int) and 0 <= v < 52:
                s += _LETTERS[v]
            else:
                raise RuntimeError(f"einsum(): expected subscript to be within the range [0, 52), but got {v}")
        return s
    eq = ",".join(conv(s) for s in subs)
    if out is not None:
        eq += "->" + conv(out)
    return eq, ops


def _einsum_canonical(equation, ops):
    """Parse ``equation`` as PyTorch does; return (input specs, output spec) with ``...`` spelled out as letters.

    Also validates subscripts and sizes with PyTorch's messages and returns the size of every label.
    """
    for i, ch in enumerate(equation):
        if not (ch in _LETTERS or ch in ".,-> "):
            raise RuntimeError(f"einsum(): invalid subscript given at index {i} in the equation string, subscripts "
                               "must be in [a-zA-Z]")
    eq = equation.replace(" ", "")
    lhs, arrow, rhs = eq.partition("->")
    ins = lhs.split(",")
    if len(ins) > len(ops):
        raise RuntimeError("einsum(): fewer operands were provided than specified in the equation")
    if len(ins) < len(ops):
        raise RuntimeError("einsum(): more operands were provided than specified in the equation")
    # tokens per operand: letters or the ellipsis marker
    toks = []
    ell_ndim = 0
    for i, (s, op) in enumerate(zip(ins, ops)):
        if s.count("...") > 1 or s.replace("...", "").count("."):
            raise RuntimeError("einsum(): found '.' for operand " f"{i} that is not part of any ellipsis")
        t = []
        rest = s
        while rest:
            if rest.startswith("..."):
                t.append("...")
                rest = rest[3:]
            else:
                t.append(rest[0])
                rest = rest[1:]
        nl = sum(1 for c in t if c != "...")
        nd = op.ndim
        if "..." in t:
            if nl > nd:
                raise RuntimeError(f"einsum(): the number of subscripts in the equation ({nl}) is more than the "
                                   f"number of dimensions ({nd}) for operand {i}")
            ell_ndim = max(ell_ndim, nd - nl)
        elif nl != nd:
            raise RuntimeError(f"einsum(): the number of subscripts in the equation ({nl}) does not match the number "
                               f"of dimensions ({nd}) for operand {i} and no ellipsis was given")
        toks.append(t)
    used = set(c for c in eq if c in _LETTERS)
    free = [c for c in _LETTERS if c not in used]
    ell = free[:ell_ndim]
    specs = []
    for t, op in zip(toks, ops):
        s = ""
        nl = sum(1 for c in t if c != "...")
        for c in t:
            if c == "...":
                k = op.ndim - nl
                s += "".join(ell[ell_ndim - k:])
            else:
                s += c
        specs.append(s)
    # sizes: repeated within an operand must match; across operands they broadcast
    sizes = {}
    for i, (s, op) in enumerate(zip(specs, ops)):
        seen = {}
        for c, n in zip(s, op.shape):
            if c in seen and seen[c] != n:
                raise RuntimeError(f"einsum(): subscript {c} is repeated for operand {i} but the sizes don't match, "
                                   f"{n} != {seen[c]}")
            seen[c] = n
        for c, n in seen.items():
            if c in ell:
                prev = sizes.get(c, 1)
                if n != prev and n != 1 and prev != 1:
                    raise RuntimeError("einsum(): operands do not broadcast with remapped shapes [original->remapped]")
            else:
                prev = sizes.get(c, 1)
                if n != prev and n != 1 and prev != 1:
                    raise RuntimeError(f"einsum(): subscript {c} has size {n} for operand {i} which does not broadcast "
                                       f"with previously seen size {prev}")
            sizes[c] = n if prev == 1 else prev
    if arrow:
        if rhs.count("...") > 1 or rhs.replace("...", "").count("."):
            raise RuntimeError("einsum(): found '.' for output that is not part of any ellipsis")
        out = ""
        rest = rhs
        while rest:
            if rest.startswith("..."):
                out += "".join(ell)
                rest = rest[3:]
                continue
            c = rest[0]
            rest = rest[1:]
            if c in out:
                raise RuntimeError(f"einsum(): output subscript {c} appears more than once in the output")
            if not any(c in s for s in ins):
                raise RuntimeError(f"einsum(): output subscript {c} does not appear in the equation for any input "
                                   "operand")
            out += c
    else:
        allc = "".join(ins)
        out = "".join(ell) + "".join(c for c in _LETTERS if allc.count(c) == 1)
    return specs, out, sizes


class Einsum(Op):
    """Einstein summation by NumPy; backward is einsum again (so double backward works)."""
    node_name = "ViewBackward0"

    @staticmethod
    def forward(ctx, *ops, specs, out, dtype):
        arrs = [o._data if o._data.dtype == dtype else o._data.astype(dtype) for o in ops]
        ctx.specs, ctx.out = specs, out
        eq = ",".join(specs) + "->" + out
        r = np.einsum(eq, *arrs, optimize=len(arrs) > 2)
        return np.asarray(r, dtype=dtype)

    @staticmethod
    def backward(ctx, g):
        specs, out = ctx.specs, ctx.out
        ops = ctx.inputs
        sizes = {}
        for s, t in zip(specs, ops):
            for c, n in zip(s, t.shape):
                if n != 1 or c not in sizes:
                    sizes[c] = n
        used = set("".join(specs) + out)
        free = [c for c in _LETTERS if c not in used]
        grads = []
        for i, t in enumerate(ops):
            if not ctx.needs_input_grad[i]:
                grads.append(None)
                continue
            spec = specs[i]
            own = dict(zip(spec, t.shape))
            uniq = "".join(dict.fromkeys(spec))
            others = [_conj(ops[j]) for j in range(len(ops)) if j != i]
            other_specs = [specs[j] for j in range(len(ops)) if j != i]
            present = set(out).union(*[set(s) for s in other_specs])
            args, subs = [g], [out]
            for o, s in zip(others, other_specs):
                args.append(o)
                subs.append(s)
            from .creation import ones, eye
            for c in uniq:
                if c not in present:  # summed over in forward: broadcast the grad back along it
                    args.append(ones(own[c], dtype=g.dtype))
                    subs.append(c)
            gi = _einsum_apply(Einsum, subs, uniq, args)
            # dims that were broadcast (size 1 here, larger elsewhere) are summed back
            red = [k for k, c in enumerate(uniq) if own[c] == 1 and gi.shape[k] != 1]
            if red:
                gi = gi.sum(red, keepdim=True)
            # and dims broadcast the other way (size 1 in another operand, larger here) are expanded
            if any(gi.shape[k] != own[c] for k, c in enumerate(uniq)):
                gi = gi.expand([own[c] for c in uniq])
            if len(uniq) != len(spec):  # repeated subscripts: place the grad on the diagonal
                fresh = iter(free)
                target = ""
                seen = set()
                eargs, esubs = [gi], [uniq]
                for c in spec:
                    if c in seen:
                        f = next(fresh)
                        target += f
                        eargs.append(eye(own[c], dtype=g.dtype))
                        esubs.append(c + f)
                    else:
                        seen.add(c)
                        target += c
                gi = _einsum_apply(Einsum, esubs, target, eargs)
            grads.append(gi)
        return tuple(grads)


class _EinsumMul(Einsum):
    node_name = "MulBackward0"


class _EinsumSum(Einsum):
    node_name = "SumBackward1"


class _EinsumPermute(Einsum):
    node_name = "PermuteBackward0"


def _einsum_apply(cls, specs, out, ops):
    dts = [o._data.dtype for o in ops]
    if all(d == dts[0] for d in dts):
        dt = dts[0]
    else:
        dt = result_np_dtype(*ops)
    return cls.apply(*ops, specs=list(specs), out=out, dtype=dt)


def einsum(*args):
    """``einsum(equation, *operands)``, ``einsum(equation, [operands])`` or the sublist format."""
    if args and is_tensor(args[0]):
        equation, operands = _parse_sublist(args)
    else:
        equation, operands = args[0], args[1:]
        if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
            operands = tuple(operands[0])
    operands = list(operands)
    specs, out, _ = _einsum_canonical(equation, operands)
    contracted = bool(set("".join(specs)) - set(out))
    if len(operands) == 1:
        cls = _EinsumSum if contracted else _EinsumPermute
    else:
        cls = Einsum if contracted else _EinsumMul
        if contracted:
            d0 = operands[0]._data.dtype
            for o in operands[1:]:
                if o._data.dtype != d0:
                    raise RuntimeError(f"expected scalar type {_st(d0)} but found {_st(o._data.dtype)}")
    return _einsum_apply(cls, specs, out, operands)


def tensordot(a, b, dims=2, out=None):
    if isinstance(dims, int) or (is_tensor(dims) and dims.ndim == 0):
        dims = int(dims)
        if dims < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={dims}")
        if dims > a.ndim or dims > b.ndim:
            raise RuntimeError(f"tensordot expects dims < ndim_a or ndim_b, but got dims={dims}")
        da = list(range(-dims, 0))
        db = list(range(dims))
    else:
        if is_tensor(dims):
            dims = dims.tolist()
        da, db = [[d] if isinstance(d, int) else list(d) for d in dims]
    if len(da) != len(db):
        raise RuntimeError("both dimension lists should have same length")
    if a.dtype is not b.dtype:
        raise RuntimeError("both inputs should have same dtype")
    sa = list(_LETTERS[:a.ndim])
    sb = list(_LETTERS[a.ndim:a.ndim + b.ndim])
    na = [norm_dim(d, a.ndim) for d in da]
    nb = [norm_dim(d, b.ndim) for d in db]
    for i, j, di, dj in zip(na, nb, da, db):
        if a.shape[i] != b.shape[j]:
            raise RuntimeError(f"contracted dimensions need to match, but first has size {a.shape[i]} in dim {di} and "
                               f"second has size {b.shape[j]} in dim {dj}")
        sb[j] = sa[i]
    o = [c for k, c in enumerate(sa) if k not in na] + [c for k, c in enumerate(sb) if k not in nb]
    r = _einsum_apply(Einsum, ["".join(sa), "".join(sb)], "".join(o), [a, b])
    if out is not None:
        from .elementwise import _out
        return _out(r, out)
    return r


class Kron(Op):
    node_name = "UnsafeViewBackward0"

    @staticmethod
    def forward(ctx, a, b):
        dt = result_np_dtype(a, b)
        x, y = a._data.astype(dt, copy=False), b._data.astype(dt, copy=False)
        return np.asarray(np.kron(x, y), dtype=dt)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.inputs
        n = max(a.ndim, b.ndim)
        sa = (1,) * (n - a.ndim) + tuple(a.shape)
        sb = (1,) * (n - b.ndim) + tuple(b.shape)
        inter = []
        for p, q in zip(sa, sb):
            inter += [p, q]
        g4 = g.reshape(inter)
        av = a.reshape([d for p in sa for d in (p, 1)])
        bv = b.reshape([d for q in sb for d in (1, q)])
        ga = gb = None
        if ctx.needs_input_grad[0]:
            ga = (g4 * _conj(bv)).sum(list(range(1, 2 * n, 2))).reshape(a.shape) if n else g4 * _conj(bv)
        if ctx.needs_input_grad[1]:
            gb = (g4 * _conj(av)).sum(list(range(0, 2 * n, 2))).reshape(b.shape) if n else g4 * _conj(av)
        return ga, gb


def kron(input, other, *, out=None):
    _out_check("mul", out, input, other)
    return _finish_out(Kron.apply(input, other), out)


# ============================================================================ ember.linalg

def _square(x, name):
    if x.ndim < 2:
        raise RuntimeError(f"{name}: The input tensor A must have at least 2 dimensions.")
    if x.shape[-1] != x.shape[-2]:
        raise RuntimeError(f"{name}: A must be batches of square matrices, but they are {x.shape[-2]} by "
                           f"{x.shape[-1]} matrices")
    _float_input(x, name)


def _float_input(x, name):
    if x.dtype.kind not in "fc" and not (D.bfloat16 is not None and x.dtype == D.bfloat16.np):
        raise RuntimeError(f"{name}: Expected a floating point or complex tensor as input. Got {_st(x.dtype)}")


def _zero_pivot(m):
    """1-based index of the first zero pivot of LAPACK-style LU with partial pivoting (0 if none)."""
    u = np.array(m, dtype=np.complex128 if m.dtype.kind == "c" else np.float64)
    n = u.shape[0]
    first = 0
    for k in range(n):
        p = k + int(np.argmax(np.abs(u[k:, k])))
        if u[p, k] == 0:
            if not first:
                first = k + 1
            continue
        if p != k:
            u[[k, p]] = u[[p, k]]
        u[k + 1:, k:] -= np.outer(u[k + 1:, k] / u[k, k], u[k, k:])
    return first


def _singular(x, fmt):
    """The LinAlgError for the first singular matrix in a batch (PyTorch's wording)."""
    flat = x.reshape((-1,) + x.shape[-2:])
    for bi, m in enumerate(flat):
        k = _zero_pivot(m)
        if k or not np.all(np.isfinite(m)):
            prefix = f"(Batch element {bi}): " if x.ndim > 2 else ""
            return LinAlgError(fmt(prefix, k or 1))
    return LinAlgError(fmt("", 1))


class Inv(Op):
    node_name = "LinalgInvExBackward0"
    check_inputs = staticmethod(lambda needs: [])

    @staticmethod
    def forward(ctx, a):
        x = a._data
        _square(x, "linalg.inv")
        try:
            return np.linalg.inv(x) if x.size else x.copy()
        except np.linalg.LinAlgError:
            raise _singular(x, lambda p, k: f"linalg.inv: {p}The diagonal element {k} is zero, the inversion could "
                                            "not be completed because the input matrix is singular.") from None

    @staticmethod
    def backward(ctx, g):
        inv = _conj(ctx.saved_output().mT)
        return -(inv @ g @ inv)


def inv(A, *, out=None):
    _out_check("linalg_inv_ex", out, A)
    return _finish_out(Inv.apply(A), out)


def _cofactor(x):
    """d det(A) / dA (the cofactor matrix) through the SVD, finite for singular matrices too."""
    u, s, vh = np.linalg.svd(x)
    n = s.shape[-1]
    adj = np.empty_like(s)
    for i in range(n):
        adj[..., i] = np.prod(np.delete(s, i, axis=-1), axis=-1)
    sign = np.linalg.det(u) * np.linalg.det(vh)
    return sign[..., None, None] * (u * adj[..., None, :]) @ vh


def _near_singular(x):
    c = np.linalg.cond(x)
    return bool(np.any(~np.isfinite(c)) or np.any(c > 1 / np.finfo(x.real.dtype).eps))


class Det(Op):
    node_name = "LinalgDetBackward0"

    @staticmethod
    def forward(ctx, a):
        x = a._data
        _square(x, "linalg.det")
        return np.asarray(np.linalg.det(x), dtype=x.dtype)

    @staticmethod
    def backward(ctx, g):
        a = ctx.inputs[0]
        d = ctx.saved_output()
        x = a._data
        if x.size and _near_singular(x):
            cof = _wrap(np.conj(_cofactor(x)).astype(x.dtype))
            return g.unsqueeze(-1).unsqueeze(-1) * cof
        return (g * _conj(d)).unsqueeze(-1).unsqueeze(-1) * _conj(inv(a).mT)


def det(A, *, out=None):
    _out_check("_linalg_det", out, A)
    return _finish_out(Det.apply(A), out)


def _is_vector_rhs(A, B):
    return B.ndim == 1 or (B.ndim == A.ndim - 1 and tuple(B.shape) == tuple(A.shape[:-1]))


class Solve(Op):
    node_name = "LinalgSolveExBackward0"

    @staticmethod
    def forward(ctx, a, b, left=True):
        A, B = a._data, b._data
        _square(A, "linalg.solve")
        _float_input(B, "linalg.solve")
        if A.dtype != B.dtype:
            raise RuntimeError(f"linalg.solve: Expected A and B to have the same dtype, but found A of type "
                               f"{_st(A.dtype)} and B of type {_st(B.dtype)} instead")
        vec = _is_vector_rhs(A, B)
        ctx.vec, ctx.left = vec, left
        Bm = B[..., None] if vec else B
        n = A.shape[-1]
        if left:
            if Bm.shape[-2] != n:
                raise RuntimeError(f"linalg.solve: Incompatible shapes of A and B for the equation AX = B "
                                   f"({n}x{n} and {Bm.shape[-2]}x{Bm.shape[-1]})")
        elif Bm.shape[-1] != n:
            raise RuntimeError(f"linalg.solve: Incompatible shapes of A and B for the equation XA = B "
                               f"({n}x{n} and {Bm.shape[-2]}x{Bm.shape[-1]})")
        batch = _infer_size(Bm.shape[:-2], A.shape[:-2])
        Ab = np.broadcast_to(A, batch + A.shape[-2:])
        Bb = np.broadcast_to(Bm, batch + Bm.shape[-2:])
        try:
            if left:
                X = np.linalg.solve(Ab, Bb) if Ab.size and Bb.size else np.zeros(Bb.shape, A.dtype)
            else:
                X = np.swapaxes(np.linalg.solve(np.swapaxes(Ab, -1, -2), np.swapaxes(Bb, -1, -2)), -1, -2) \
                    if Ab.size and Bb.size else np.zeros(Bb.shape, A.dtype)
        except np.linalg.LinAlgError:
            raise _singular(Ab, lambda p, k: f"torch.linalg.solve: {p}The solver failed because the input matrix is "
                                             "singular.") from None
        X = X.astype(A.dtype, copy=False)
        return X[..., 0] if vec else X

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.inputs
        x = ctx.saved_output()
        aH = _conj(a.mT)
        if ctx.vec:
            gb = solve(aH, g)
            ga = -(gb.unsqueeze(-1) * _conj(x).unsqueeze(-2)) if ctx.needs_input_grad[0] else None
        elif ctx.left:
            gb = solve(aH, g)
            ga = -(gb @ _conj(x.mT)) if ctx.needs_input_grad[0] else None
        else:  # X A = B: gB = g A^-H, gA = -X^H gB
            gb = solve(aH, g, left=False)
            ga = -(_conj(x.mT) @ gb) if ctx.needs_input_grad[0] else None
        return ga, (gb if ctx.needs_input_grad[1] else None)


def solve(A, B, *, left=True, out=None):
    _out_check("_linalg_solve_ex", out, A, B)
    return _finish_out(Solve.apply(A, B, left=left), out)


class Svdvals(Op):
    node_name = "LinalgSvdBackward0"

    @staticmethod
    def forward(ctx, a):
        x = a._data
        if x.ndim < 2:
            raise RuntimeError("linalg.svd: The input tensor A must have at least 2 dimensions.")
        _float_input(x, "linalg.svd")
        rdt = x.real.dtype if x.dtype.kind == "c" else x.dtype
        if x.size == 0:
            return np.zeros(x.shape[:-2] + (min(x.shape[-2:]),), dtype=rdt)
        if ctx is not _NOCTX:  # a graph is recorded: keep U, V^H for backward
            u, s, vh = np.linalg.svd(x, full_matrices=False)
            ctx.uv = (u, vh)
        else:
            s = np.linalg.svd(x, compute_uv=False)
        return s.astype(rdt, copy=False)

    @staticmethod
    def backward(ctx, g):
        u, vh = ctx.uv
        a = ctx.inputs[0]
        if a._data.size == 0:
            return g.new_zeros(a.shape)
        # dA = U diag(g) V^H
        gu = _wrap(u) * g.to(a.dtype).unsqueeze(-2)
        return gu @ _wrap(vh)


def svdvals(A, *, driver=None, out=None):
    _out_check("_linalg_svd", out, A)
    return _finish_out(Svdvals.apply(A), out)


def _vector_norm(*args, **kwargs):
    from .reduce import vector_norm
    return vector_norm(*args, **kwargs)


def _fmt_ord(o):
    if isinstance(o, float) and o.is_integer():
        return str(int(o))
    return str(o)


def matrix_norm(A, ord="fro", dim=(-2, -1), keepdim=False, *, dtype=None, out=None):
    """``linalg.matrix_norm``: Frobenius, nuclear, or the 1/2/inf operator norms (and their negatives)."""
    if dtype is not None:
        A = A.to(dtype)
    if A.ndim < 2:
        raise RuntimeError("linalg.matrix_norm: The input tensor A must have at least 2 dimensions.")
    _float_input(A._data, "linalg.matrix_norm")
    if isinstance(dim, int) or len(dim) != 2:
        got = dim if isinstance(dim, int) else " ".join(str(d) for d in dim)
        raise RuntimeError(f"linalg.matrix_norm: dim must be a 2-tuple. Got {got}")
    d0, d1 = norm_dim(dim[0], A.ndim), norm_dim(dim[1], A.ndim)
    if d0 == d1:
        raise RuntimeError(f"linalg.matrix_norm: dims must be different. Got ({d0}, {d1})")
    if isinstance(ord, str):
        if ord not in ("fro", "nuc"):
            raise RuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")
    elif abs(ord) not in (1, 2, math.inf):
        raise RuntimeError(f"linalg.matrix_norm: Order {_fmt_ord(ord)} not supported.")
    if ord == "fro":
        r = _vector_norm(A, 2, (d0, d1), keepdim)
    elif ord == "nuc" or abs(ord) == 2:
        perm = [k for k in range(A.ndim) if k not in (d0, d1)] + [d0, d1]
        s = svdvals(A.permute(perm))
        if ord == "nuc":
            r = s.sum(-1, keepdim=keepdim)
            if keepdim:
                r = r.unsqueeze(-1).permute(_reverse(perm))
        else:
            r = s.amax(-1) if ord > 0 else s.amin(-1)
            if keepdim:
                r = r.unsqueeze(-1).unsqueeze(-1).permute(_reverse(perm))
    else:
        if abs(ord) == math.inf:
            d0, d1 = d1, d0
        if not keepdim and d0 < d1:
            d1 -= 1
        s = A.abs().sum(d0, keepdim=keepdim)
        r = s.amax(d1, keepdim=keepdim) if ord > 0 else s.amin(d1, keepdim=keepdim)
    if out is not None:
        from .elementwise import _out
        return _out(r, out)
    return r


def _reverse(perm):
    inv_perm = [0] * len(perm)
    for i, p in enumerate(perm):
        inv_perm[p] = i
    return inv_perm


def linalg_norm(A, ord=None, dim=None, keepdim=False, *, dtype=None, out=None):
    """``linalg.norm``: a vector norm, or a matrix norm for a 2-D input / a 2-tuple ``dim`` with an ``ord``."""
    if isinstance(dim, int):
        dim = (dim,)
    if dim is not None:
        dim = tuple(dim)
        if len(dim) not in (1, 2):
            raise RuntimeError(f"linalg.norm: If dim is specified, it must be of length 1 or 2. Got {list(dim)}")
    elif ord is not None and A.ndim not in (1, 2):
        raise RuntimeError(f"linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. Got "
                           f"{A.ndim}D.")
    if isinstance(ord, str):
        r = matrix_norm(A, ord, dim if dim is not None else (0, 1), keepdim, dtype=dtype)
    elif ord is not None and ((dim is not None and len(dim) == 2) or (dim is None and A.ndim == 2)):
        r = matrix_norm(A, ord, dim if dim is not None else (0, 1), keepdim, dtype=dtype)
    else:
        r = _vector_norm(A, 2 if ord is None else ord, dim, keepdim, dtype=dtype)
    if out is not None:
        from .elementwise import _out
        return _out(r, out)
    return r


def vecdot(x, y, *, dim=-1, out=None):
    """``linalg.vecdot``: the dot product of conj(x) and y along ``dim`` (broadcasting)."""
    if x.dtype is not y.dtype:
        raise RuntimeError(f"linalg.vecdot: Expected x and y to have the same dtype, but found x of type "
                           f"{_st(x._data.dtype)} and y of type {_st(y._data.dtype)} instead")
    r = (_conj(x) * y).sum(dim)
    if out is not None:
        from .elementwise import _out
        return _out(r, out)
    return r
