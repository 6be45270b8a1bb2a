"""Elementwise ops: arithmetic, unary math, activations, comparisons, logic.

Each op is one Function with forward (on NumPy arrays) beside backward (on
Tensors, so it can itself be differentiated). Broadcast gradients are summed
back to input shapes by the engine, not here.

NOTE [ slow paths ]: the common case (same-dtype float tensors, a float
tensor with a Python number) goes straight to the NumPy ufunc. What PyTorch
does differently from NumPy is handled only once NumPy has refused: a shape
mismatch (NumPy's ValueError becomes PyTorch's RuntimeError wording) or a
Python int out of an integer dtype's range (NumPy 2 raises OverflowError,
PyTorch casts the scalar, wrapping). A try/except costs nothing when nothing
is raised.
"""
import builtins

import re

import numpy as np

from .. import dtypes as D
from ..autograd.function import Function
from ._util import _wrap, float_np, is_tensor, operands, py_scalar, result_np_dtype

ndarray = np.ndarray
_ONE = 1  # add/sub's default alpha: ``alpha is _ONE`` skips scaling (alpha=True or 1.0 still reach the checks)


class Op(Function):
    """Base of ember's own ops: forward sees Tensors' arrays and returns arrays."""

    _internal = True
    check_inputs = None  # None: version-check every saved tensor input; a callable(needs) -> indices


def _fl(x):
    """The array in floating point (integer/bool inputs compute in the default float dtype)."""
    return x if x.dtype.kind in "fc" else x.astype(float_np(x.dtype))


def _other_needs(needs):
    # a product-like op needs input i saved only when the other input wants a grad
    return [i for i, o in ((1, 0), (0, 1)) if needs[o]]  # PyTorch's order (saved-tensor hooks see it)


# ============================================================================ slow-path helpers

_TYPE_NAMES = {"float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long", "int32": "Int",
               "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool", "complex64": "ComplexFloat",
               "complex128": "ComplexDouble", "bfloat16": "BFloat16", "uint16": "UInt16", "uint32": "UInt32",
               "uint64": "UInt64"}

_C_NAMES = {"float32": "float", "float64": "double", "float16": "c10::Half", "int64": "long int", "int32": "int",
            "int16": "short int", "int8": "signed char", "uint8": "unsigned char", "bool": "bool",
            "bfloat16": "c10::BFloat16", "complex64": "c10::complex<float>", "complex128": "c10::complex<double>"}


def _type_name(np_dtype):
    """PyTorch's scalar type name (``Float``, ``Long`` ...) used in its error messages."""
    return _TYPE_NAMES[D.from_numpy_dtype(np_dtype).name]


def _not_implemented(kernel, np_dtype):
    return NotImplementedError(f"\"{kernel}\" not implemented for '{_type_name(np_dtype)}'")


def _shape(v):
    return v._data.shape if is_tensor(v) else ()


def broadcast_shapes_or_raise(*shapes):
    """The broadcast shape of ``shapes``, or PyTorch's RuntimeError naming the first clash (from the right)."""
    out = ()
    for s in shapes:
        n = builtins.max(len(out), len(s))
        res = [0] * n
        for i in range(n - 1, -1, -1):
            off = n - 1 - i
            ia, ib = len(out) - 1 - off, len(s) - 1 - off
            sa = out[ia] if ia >= 0 else 1
            sb = s[ib] if ib >= 0 else 1
            if sa != sb and sa != 1 and sb != 1:
                raise RuntimeError(f"The size of tensor a ({sa}) must match the size of tensor b ({sb}) at "
                                   f"non-singleton dimension {i}")
            res[i] = sb if sa == 1 else sa
        out = tuple(res)
    return out


def _check_broadcast(*operands_):
    broadcast_shapes_or_raise(*[_shape(o) for o in operands_])


_IRANGE = {np.dtype(t): (int(np.iinfo(t).min), int(np.iinfo(t).max))
           for t in (np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64)}


def _int_scalar(v, dt):
    """A Python int as a scalar of integer dtype ``dt``, wrapped the way PyTorch casts scalars."""
    if not -(1 << 63) <= v < (1 << 64):
        raise OverflowError("int too big to convert")
    return np.array(v, dtype=np.uint64 if v >= (1 << 63) else np.int64).astype(dt)[()]


def _fit_scalar(x, y):
    """``y`` cast into array ``x``'s integer dtype when it is a Python int out of that dtype's range."""
    return _fit_int(x.dtype, y)


def _fit_int(dt, y):
    if y.__class__ is int:
        r = _IRANGE.get(dt)
        if r is not None and not r[0] <= y <= r[1]:
            return _int_scalar(y, dt)
    return y


def _num_as(v, dt):
    """A Python number as a 0-d array of dtype ``dt`` (integers wrap like PyTorch's scalar cast)."""
    return np.asarray(_fit_int(dt, v), dtype=dt)


def _retry(ufunc, a, b, x, y, exc, reflected=False):
    """Run ``ufunc`` again after NumPy refused: wrap an out-of-range int scalar, or raise PyTorch's shape error."""
    if isinstance(exc, OverflowError):
        if y.__class__ is int:
            y = _int_scalar(y, x.dtype)
            return ufunc(y, x) if reflected else ufunc(x, y)
        raise exc
    _check_broadcast(a, b)
    raise exc


def _need_tensor(fname, argname, pos, v):
    if not is_tensor(v):
        raise TypeError(f"{fname}(): argument '{argname}' (position {pos}) must be Tensor, not {type(v).__name__}")


def _is_bool(v):
    return v._data.dtype.kind == "b" if is_tensor(v) else (v.__class__ is bool or isinstance(v, np.bool_))


_SUB_BOOL2 = ("Subtraction, the `-` operator, with two bool tensors is not supported. "
              "Use the `^` or `logical_xor()` operator instead.")
_SUB_BOOL = ("Subtraction, the `-` operator, with a bool tensor is not supported. "
             "If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.")


def _sub_check(a, b):
    ab, bb = _is_bool(a), _is_bool(b)
    if ab and bb:
        raise RuntimeError(_SUB_BOOL2)
    if ab or bb:
        raise RuntimeError(_SUB_BOOL)


def _scale(x, y, alpha):
    """``alpha * y`` for add/sub in the result dtype of ``x``; PyTorch's checks on ``alpha``."""
    k = x.dtype.kind
    if k in "iub" and isinstance(alpha, float):
        raise RuntimeError("For integral input tensors, argument alpha must not be a floating point number.")
    if k == "b":
        return np.logical_and(y, builtins.bool(alpha))
    if alpha.__class__ is bool or isinstance(alpha, np.bool_):
        raise RuntimeError("Boolean alpha only supported for Boolean results.")
    if y.__class__ is ndarray:
        try:
            return np.multiply(y, _fit_scalar(y, alpha) if alpha.__class__ is int else alpha)
        except OverflowError:
            return np.multiply(y, _int_scalar(alpha, y.dtype))
    r = y * alpha
    return _fit_scalar(x, r) if r.__class__ is int else r


def _check_int_zero(y):
    if np.any(np.asarray(y) == 0):
        raise RuntimeError("ZeroDivisionError")


def _int_pow(x, y):
    """Integer power with PyTorch's rule for negative exponents (1, -1 keep a value; everything else gives 0)."""
    yn = np.asarray(y)
    neg = yn < 0
    if not neg.any():
        return np.power(x, y)
    r = np.power(x, np.where(neg, 0, yn).astype(yn.dtype, copy=False))
    xa = np.asarray(x)
    odd = (yn % 2) != 0
    special = np.where(xa == 1, 1, np.where(xa == -1, np.where(odd, -1, 1), 0))
    dt = r.dtype
    return np.where(neg, special, r).astype(dt, copy=False)


def zeros_scalar(g):
    return _wrap(np.zeros((), dtype=g._data.dtype))


def _as_float_like(t, g):
    """An input tensor in ``g``'s (floating) dtype, for backward formulas of ops that computed in float."""
    return t if not is_tensor(t) or t._data.dtype == g._data.dtype else t.to(g.dtype)


# the op classes live in arith.py, unary.py and compare.py; the public functions below wrap them
# moved to compare.py; re-exported so callers keep one import path
from .compare import (  # noqa: E402,F401
    allclose, bitwise_and, bitwise_not, bitwise_or, bitwise_xor, eq, equal, ge, gt, isclose, isfinite, isinf, isnan, isneginf, isposinf, le, logical_and, logical_not, logical_or, logical_xor, lt, ne, signbit)
# moved to unary.py; re-exported so callers keep one import path
from .unary import (  # noqa: E402,F401
    Abs, Acos, Asin, Atan, Ceil, Clamp, ClampMax, ClampMaxT, ClampMin, ClampMinT, ClampT, Cos, Cosh, Exp, Exp2, Expm1, Floor, Frac, Log, Log10, Log1p, Log2, NanToNum, Neg, Reciprocal, Relu, Round, RoundDecimals, Rsqrt, Sgn, Sigmoid, Sign, Sin, Sinh, Sqrt, Square, Tan, Tanh, Trunc, _clamp_args_error)
# moved to arith.py; re-exported so callers keep one import path
from .arith import (  # noqa: E402,F401
    Add, Atan2, Div, DivMode, DivModeNone, FloorDivide, Fmax, Fmin, Fmod, FmodT, Lerp, LerpT, Maximum, Minimum, Mul, Pow, PowT, RDivMode, RFloorDivide, RPow, RRemainder, Rdiv, RdivFn, RdivFnMode, Remainder, RemainderT, Rsub, RsubT, Sub, SubScalarSelf, Where)


# ============================================================================ public functions

def add(input, other, *, alpha=1, out=None):
    if not is_tensor(input):
        if alpha is not _ONE:
            return _out(Add.apply(_wrapped_number(input), other, alpha=alpha), out)
        input, other = other, input
    return _out(Add.apply(input, other, alpha=alpha) if alpha is not _ONE else Add.apply(input, other), out)


def _wrapped_number(v):
    """A Python number as a 0-dim tensor of its own dtype (for the rare number-first call with extra args)."""
    return _wrap(np.asarray(v, dtype=D.scalar_dtype(py_scalar(v)).np))


def sub(input, other, *, alpha=1, out=None):
    if not is_tensor(input):
        return _out(SubScalarSelf.apply(other, input, alpha=alpha) if alpha is not _ONE
                    else SubScalarSelf.apply(other, input), out)
    return _out(Sub.apply(input, other, alpha=alpha) if alpha is not _ONE else Sub.apply(input, other), out)


subtract = sub


def rsub(input, other, *, alpha=1):
    """``other - alpha * input``."""
    if is_tensor(other):
        return RsubT.apply(input, other, alpha=alpha) if alpha is not _ONE else RsubT.apply(input, other)
    return Rsub.apply(input, other, alpha=alpha) if alpha is not _ONE else Rsub.apply(input, other)


def mul(input, other, *, out=None):
    if not is_tensor(input):
        input, other = other, input
    return _out(Mul.apply(input, other), out)


multiply = mul


_NO_MODE = object()  # div's rounding_mode not given (an explicit None picks another PyTorch overload)


def div(input, other, *, rounding_mode=_NO_MODE, out=None):
    if not is_tensor(input):
        if rounding_mode is None or rounding_mode is _NO_MODE:
            return _out((RdivFn if rounding_mode is _NO_MODE else RdivFnMode).apply(other, input), out)
        return _out(RDivMode.apply(other, input, rounding_mode=rounding_mode), out)
    if rounding_mode is _NO_MODE:
        return _out(Div.apply(input, other), out)
    if rounding_mode is None:
        return _out(DivModeNone.apply(input, other), out)
    return _out(DivMode.apply(input, other, rounding_mode=rounding_mode), out)


divide = div
true_divide = div


def floor_divide(input, other, *, out=None):
    if not is_tensor(input):
        return _out(RFloorDivide.apply(other, input), out)
    return _out(FloorDivide.apply(input, other), out)


def remainder(input, other, *, out=None):
    if not is_tensor(input):
        return _out(RRemainder.apply(other, input), out)
    return _out((RemainderT if is_tensor(other) else Remainder).apply(input, other), out)


def fmod(input, other, *, out=None):
    _need_tensor("fmod", "input", 1, input)
    return _out((FmodT if is_tensor(other) else Fmod).apply(input, other), out)


def pow(input, exponent, *, out=None):
    if not is_tensor(input):
        return _out(RPow.apply(exponent, input), out)
    if is_tensor(exponent):
        return _out(PowT.apply(input, exponent), out)
    if exponent == 2 and exponent.__class__ is not bool and input._data.dtype.kind in "fc":
        return _out(Square.apply(input), out)
    return _out(Pow.apply(input, exponent), out)


def float_power(input, exponent, *, out=None):
    a = input.double() if is_tensor(input) else input
    e = exponent.double() if is_tensor(exponent) else exponent
    return _out(pow(a, e), out)


def _binary_tensor_fn(cls, fname):
    def f(input, other, *, out=None):
        _need_tensor(fname, "input", 1, input)
        _need_tensor(fname, "other", 2, other)
        return _out(cls.apply(input, other), out)
    f.__name__ = fname
    return f


maximum = _binary_tensor_fn(Maximum, "maximum")
minimum = _binary_tensor_fn(Minimum, "minimum")
fmax = _binary_tensor_fn(Fmax, "fmax")
fmin = _binary_tensor_fn(Fmin, "fmin")
atan2 = _binary_tensor_fn(Atan2, "atan2")
arctan2 = atan2


def where(condition, input=None, other=None):
    if input is None and other is None:
        from .index import nonzero
        return nonzero(condition, as_tuple=True)
    if not is_tensor(input) and not is_tensor(other):
        dt = result_np_dtype(input, other)
        input = _wrap(np.asarray(input, dtype=dt))
    return Where.apply(condition, input, other)


def lerp(input, end, weight, *, out=None):
    _need_tensor("lerp", "end", 2, end)
    return _out((LerpT if is_tensor(weight) else Lerp).apply(input, end, weight), out)


def clamp(input, min=None, max=None, *, out=None):
    tl, th = is_tensor(min), is_tensor(max)
    if tl or th:
        if (min is not None and not tl) or (max is not None and not th):
            _clamp_args_error("clamp", min, max)
        return _out(ClampT.apply(input, min, max), out, exact=True)
    return _out(Clamp.apply(input, min, max), out, exact=True)


clip = clamp


def clamp_min(input, min, *, out=None):
    if is_tensor(min):
        return _out(ClampMinT.apply(input, min, None), out, exact=True)
    return _out(ClampMin.apply(input, min, None), out, exact=True)


def clamp_max(input, max, *, out=None):
    if is_tensor(max):
        return _out(ClampMaxT.apply(input, None, max), out, exact=True)
    return _out(ClampMax.apply(input, None, max), out, exact=True)


def round(input, *, decimals=None, out=None):
    if decimals is None:
        return _out(Round.apply(input), out)
    return _out(RoundDecimals.apply(input, decimals=decimals), out)


def _fn(cls, name):
    def f(input, *, out=None):
        return _out(cls.apply(input), out)
    f.__name__ = name
    f.__doc__ = f"Elementwise {name} of ``input`` (PyTorch's ``torch.{name}``)."
    return f


neg = negative = _fn(Neg, "neg")
exp = _fn(Exp, "exp")
exp2 = _fn(Exp2, "exp2")
expm1 = _fn(Expm1, "expm1")
log = _fn(Log, "log")
log2 = _fn(Log2, "log2")
log10 = _fn(Log10, "log10")
log1p = _fn(Log1p, "log1p")
sqrt = _fn(Sqrt, "sqrt")
rsqrt = _fn(Rsqrt, "rsqrt")
sin = _fn(Sin, "sin")
cos = _fn(Cos, "cos")
tan = _fn(Tan, "tan")
asin = arcsin = _fn(Asin, "asin")
acos = arccos = _fn(Acos, "acos")
atan = arctan = _fn(Atan, "atan")
sinh = _fn(Sinh, "sinh")
cosh = _fn(Cosh, "cosh")
tanh = _fn(Tanh, "tanh")
sigmoid = _fn(Sigmoid, "sigmoid")
reciprocal = _fn(Reciprocal, "reciprocal")
square = _fn(Square, "square")
abs = absolute = _fn(Abs, "abs")
sign = _fn(Sign, "sign")
sgn = _fn(Sgn, "sgn")
floor = _fn(Floor, "floor")
ceil = _fn(Ceil, "ceil")
trunc = fix = _fn(Trunc, "trunc")
frac = _fn(Frac, "frac")
relu = _fn(Relu, "relu")


def nan_to_num(input, nan=0.0, posinf=None, neginf=None, *, out=None):
    return _out(NanToNum.apply(input, nan=nan, posinf=posinf, neginf=neginf), out)


def _out(res, out, exact=False):
    """Honour an ``out=`` argument: copy into it (resizing like PyTorch) and return it.

    ``exact``: the op (clamp) wants ``out`` of the result's own dtype, as PyTorch's kernel checks.
    """
    if out is None:
        return res
    if exact and out._data.dtype != res._data.dtype:
        raise RuntimeError(f"Found dtype {_type_name(out._data.dtype)} but expected {_type_name(res._data.dtype)}")
    if res._requires_grad:
        op = res._grad_fn.name() if res._grad_fn is not None else ""
        op = re.sub(r"(?<!^)(?=[A-Z])", "_", op[:op.find("Backward")] if "Backward" in op else op).lower()
        raise RuntimeError(f"{op}(): functions with out=... arguments don't support automatic differentiation, "
                           "but one of the arguments requires grad.")
    if out._data.shape != res._data.shape:
        out._data = np.empty(res._data.shape, dtype=out._data.dtype)
    if not D.can_cast(D.from_numpy_dtype(res._data.dtype), D.from_numpy_dtype(out._data.dtype)):
        raise RuntimeError(f"result type {_type_name(res._data.dtype)} can't be cast to the desired output type "
                           f"{_type_name(out._data.dtype)}")
    np.copyto(out._data, res._data, casting="unsafe")
    out._vc += 1
    return out


class Fill(Op):
    """``fill_``/``zero_`` on a tensor in the graph: every element replaced, so ``self`` gets a zero grad
    and a tensor ``value`` gets the sum of the grads."""
    node_name = "FillBackward2"
    saves = False

    @staticmethod
    def forward(ctx, a, value, zero=False):
        if zero:
            ctx.__class__ = _ZeroNode
        elif is_tensor(value):
            ctx.__class__ = _FillTensorNode
        v = value._data if is_tensor(value) else value
        return np.full_like(a._data, v)

    @staticmethod
    def backward(ctx, g):
        return g * 0, (g.sum() if ctx.needs_input_grad[1] else None)


_ZeroNode = type("ZeroBackward0", (Fill._node_cls,), {"__module__": __name__})
_FillTensorNode = type("FillBackward3", (Fill._node_cls,), {"__module__": __name__})


class Copy(Op):
    """``self.copy_(src)`` on a tensor in the graph (PyTorch's CopyBackwards): ``self``'s old values are
    overwritten, so they get a zero grad; ``src`` gets the grad (summed to its shape, cast to its dtype)."""
    node_name = "CopyBackwards"
    saves = False

    @staticmethod
    def forward(ctx, a, src):
        out = np.empty_like(a._data)
        np.copyto(out, np.broadcast_to(src._data, out.shape), casting="unsafe")
        return out

    @staticmethod
    def backward(ctx, g):
        n = ctx.needs_input_grad
        return (_wrap(np.zeros_like(g._data)) if n[0] else None), (g if n[1] else None)


Copy._node_cls.name = lambda self: "torch::autograd::CopyBackwards"  # a hand-written node in PyTorch


class ToCopy(Op):
    """A dtype conversion; its grad converts back."""
    node_name = "ToCopyBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, dtype):
        x = a._data
        ctx.src = D._from_np[x.dtype]
        if dtype.np.kind in "iub" and x.dtype.kind == "c":
            x = x.real
        return x.astype(dtype.np)

    @staticmethod
    def backward(ctx, g):
        if not (ctx.src.is_floating_point or ctx.src.is_complex):
            return None
        if g.is_complex() and not ctx.src.is_complex:
            g = g.real  # PyTorch's real(grad): no "discards the imaginary part" warning in backward
        return g.to(ctx.src)
