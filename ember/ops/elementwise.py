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
    return [i for i, o in ((0, 1), (1, 0)) if needs[o]]


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


# ============================================================================ binary arithmetic

class Add(Op):
    node_name = "AddBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, b, alpha=1):
        x, y = operands(a, b)
        if alpha is not _ONE:
            y = _scale(x, y, alpha)
            ctx.alpha = alpha
        try:
            return np.add(x, y)
        except (ValueError, OverflowError) as e:
            return _retry(np.add, a, b, x, y, e)

    @staticmethod
    def backward(ctx, g):
        alpha = ctx.__dict__.get("alpha", 1)
        return g, (g if alpha == 1 else g * alpha)


class Sub(Op):
    node_name = "SubBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, b, alpha=1):
        x, y = operands(a, b)
        if x.dtype.kind == "b" or x is not a._data or y.__class__ is bool or (
                y.__class__ is ndarray and y is not getattr(b, "_data", None)):
            _sub_check(a, b)
        if alpha is not _ONE:
            y = _scale(x, y, alpha)
            ctx.alpha = alpha
        try:
            return np.subtract(x, y)
        except (ValueError, OverflowError) as e:
            return _retry(np.subtract, a, b, x, y, e)

    @staticmethod
    def backward(ctx, g):
        alpha = ctx.__dict__.get("alpha", 1)
        return g, (-g if alpha == 1 else g * (-alpha))


class Rsub(Op):
    """``b - alpha * a`` for a Python number ``b`` (``2 - x``, ``torch.rsub(x, 2)``: RsubBackward1)."""
    node_name = "RsubBackward1"
    saves = False

    @staticmethod
    def forward(ctx, a, b, alpha=1):
        x, y = operands(a, b)
        if a._data.dtype.kind == "b" or y.__class__ is bool:
            _sub_check(a, b)
        if alpha is not _ONE:
            x = _scale(x, x, alpha)
            ctx.alpha = alpha
        try:
            return np.subtract(y, x)
        except (ValueError, OverflowError) as e:
            return _retry(np.subtract, a, b, x, y, e, reflected=True)

    @staticmethod
    def backward(ctx, g):
        alpha = ctx.__dict__.get("alpha", 1)
        return (-g if alpha == 1 else g * (-alpha)), None


class SubScalarSelf(Rsub):
    """``torch.sub(2, x)``: PyTorch wraps the number as a tensor, so the node is SubBackward0."""
    node_name = "SubBackward0"


class RsubT(Op):
    """``torch.rsub(x, y)`` for tensors: ``y - alpha * x``."""
    node_name = "RsubBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, b, alpha=_ONE):
        return Sub.forward(ctx, b, a, alpha)

    @staticmethod
    def backward(ctx, g):
        gb, ga = Sub.backward(ctx, g)
        return ga, gb


class Mul(Op):
    node_name = "MulBackward0"
    check_inputs = staticmethod(_other_needs)

    @staticmethod
    def forward(ctx, a, b):
        x, y = operands(a, b)
        try:
            return np.multiply(x, y)
        except (ValueError, OverflowError) as e:
            return _retry(np.multiply, a, b, x, y, e)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.inputs
        n = ctx.needs_input_grad
        return (g * _conj(b) if n[0] else None), (g * _conj(a) if n[1] else None)


def _conj(x):
    return x.conj() if is_tensor(x) and x.dtype.is_complex else x


def _true_div_operands(a, b):
    """Operands of true division: integer inputs go to the default float dtype straight from their own
    dtypes (PyTorch does not wrap them through the integer common dtype first: uint8 / -5 is negative)."""
    x, y = operands(a, b)
    if x.dtype.kind not in "fc":
        dt = float_np(x.dtype)
        x = a._data.astype(dt)
        if is_tensor(b):
            y = b._data.astype(dt)
    return x, y


class Div(Op):
    node_name = "DivBackward0"
    # a's grad reads only b; b's grad reads both (so x.div_(2) records fine)
    check_inputs = staticmethod(lambda needs: [1, 0] if needs[1] else [1])

    @staticmethod
    def forward(ctx, a, b):
        x, y = operands(a, b)
        if x.dtype.kind not in "fc":
            x, y = _true_div_operands(a, b)
        try:
            return np.true_divide(x, y)
        except ValueError:
            _check_broadcast(a, b)
            raise

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.inputs
        n = ctx.needs_input_grad
        ga = g / b if n[0] else None
        gb = -g * ((a / b) / b) if n[1] else None
        return ga, gb


class Rdiv(Op):
    """``b / a`` for a Python number ``b``: PyTorch computes ``a.reciprocal() * b`` (MulBackward0)."""
    node_name = "MulBackward0"

    @staticmethod
    def forward(ctx, a, b):
        x, y = _true_div_operands(a, b)
        return np.true_divide(y, x)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.inputs
        return -g * b / (a * a), None


class DivModeNone(Div):
    """``div(a, b, rounding_mode=None)`` spelled out: the same math, PyTorch names the node DivBackward2."""
    node_name = "DivBackward2"


class RdivFn(Rdiv):
    """``torch.div(2, x)``: the number is wrapped as a tensor (DivBackward0)."""
    node_name = "DivBackward0"


class RdivFnMode(Rdiv):
    """``torch.div(2, x, rounding_mode=None)``."""
    node_name = "DivBackward2"


def _floor_div_np(x, y, a, b):
    k = x.dtype.kind
    if k == "b":
        raise _not_implemented("div_floor_cpu", x.dtype)
    if k in "iu":
        _check_int_zero(y)
    try:
        return np.floor_divide(x, y)
    except (ValueError, OverflowError) as e:
        return _retry(np.floor_divide, a, b, x, y, e)


def _trunc_div_np(x, y, a, b):
    k = x.dtype.kind
    if k == "b":
        raise _not_implemented("div_trunc_cpu", x.dtype)
    if k in "iu":
        _check_int_zero(y)
        q = _floor_div_np(x, y, a, b)
        # floor rounds away from zero for negative non-exact quotients
        y = np.asarray(y)
        fix = (np.remainder(x, y) != 0) & ((x < 0) != (y < 0))
        return (q + fix).astype(q.dtype, copy=False)
    try:
        return np.trunc(np.true_divide(x, y))
    except ValueError:
        _check_broadcast(a, b)
        raise


def _rounding_check(mode):
    if mode not in ("trunc", "floor"):
        raise RuntimeError(f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '{mode}'")


class DivMode(Op):
    """``div(a, b, rounding_mode=...)``: piecewise constant, so the grads are zero (DivBackward2)."""
    node_name = "DivBackward2"
    saves = False

    @staticmethod
    def forward(ctx, a, b, rounding_mode):
        _rounding_check(rounding_mode)
        x, y = operands(a, b)
        ctx.scalar_other = not is_tensor(b)
        if rounding_mode == "floor":
            return _floor_div_np(x, y, a, b)
        return _trunc_div_np(x, y, a, b)

    @staticmethod
    def backward(ctx, g):
        return g * 0, (None if ctx.scalar_other else g * 0)


class RDivMode(DivMode):
    """``torch.div(2, x, rounding_mode=...)``."""
    node_name = "DivBackward2"

    @staticmethod
    def forward(ctx, a, b, rounding_mode):
        _rounding_check(rounding_mode)
        x, y = operands(a, b)
        ctx.scalar_other = True
        if x.dtype.kind in "iu":
            _check_int_zero(x)
        yy = _num_as(y, x.dtype)
        if rounding_mode == "floor":
            return _floor_div_np(yy, x, b, a)
        return _trunc_div_np(yy, x, b, a)


def _not_differentiable(name):
    """A node for ops PyTorch has no derivative for (its grad_fn is ``NotImplemented``)."""
    def backward(ctx, *grads):
        raise RuntimeError(f"derivative for aten::{name} is not implemented")
    return staticmethod(backward)


class FloorDivide(Op):
    """``a // b``: PyTorch records a node whose backward raises."""
    node_name = "NotImplemented"
    saves = False
    backward = _not_differentiable("floor_divide")

    @staticmethod
    def forward(ctx, a, b):
        x, y = operands(a, b)
        return _floor_div_np(x, y, a, b)


class RFloorDivide(FloorDivide):
    """``2 // x``."""
    node_name = "NotImplemented"

    @staticmethod
    def forward(ctx, a, b):
        x, y = operands(a, b)
        if x.dtype.kind in "iu":
            _check_int_zero(x)
        return _floor_div_np(_num_as(y, x.dtype), x, b, a)


def _remainder_np(x, y, a, b):
    k = x.dtype.kind
    if k == "b":
        raise _not_implemented("remainder_cpu", x.dtype)
    if k in "iu":
        _check_int_zero(y)
    try:
        return np.remainder(x, y)
    except (ValueError, OverflowError) as e:
        return _retry(np.remainder, a, b, x, y, e)


class Remainder(Op):
    """``a % number`` (RemainderBackward0)."""
    node_name = "RemainderBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, b):
        x, y = operands(a, b)
        return _remainder_np(x, y, a, b)

    @staticmethod
    def backward(ctx, g):
        return g, None


class RemainderT(Op):
    """``a % b`` for tensors (RemainderBackward1)."""
    node_name = "RemainderBackward1"

    @staticmethod
    def forward(ctx, a, b):
        x, y = operands(a, b)
        return _remainder_np(x, y, a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.inputs
        return g, (-g * a.div(b, rounding_mode="floor") if ctx.needs_input_grad[1] else None)


class RRemainder(Op):
    """``2 % x``: no derivative in PyTorch."""
    node_name = "NotImplemented"
    saves = False
    backward = _not_differentiable("remainder")

    @staticmethod
    def forward(ctx, a, b):
        x, y = operands(a, b)
        if x.dtype.kind in "iu":
            _check_int_zero(x)
        return _remainder_np(_num_as(y, x.dtype), x, b, a)


for _c in (FloorDivide, RFloorDivide, RRemainder):
    _c._node_cls.name = lambda self: "torch::autograd::NotImplemented"


def _fmod_np(x, y, a, b):
    k = x.dtype.kind
    if k == "b":
        raise _not_implemented("fmod_cpu", x.dtype)
    if k in "iu":
        _check_int_zero(y)
    try:
        return np.fmod(x, y)
    except (ValueError, OverflowError) as e:
        return _retry(np.fmod, a, b, x, y, e)


class Fmod(Op):
    node_name = "FmodBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, b):
        x, y = operands(a, b)
        return _fmod_np(x, y, a, b)

    @staticmethod
    def backward(ctx, g):
        return g, None


class FmodT(Op):
    node_name = "FmodBackward1"

    @staticmethod
    def forward(ctx, a, b):
        x, y = operands(a, b)
        return _fmod_np(x, y, a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.inputs
        return g, (-g * a.div(b, rounding_mode="trunc") if ctx.needs_input_grad[1] else None)


_NEG_POW = "Integers to negative integer powers are not allowed."


class Pow(Op):
    node_name = "PowBackward0"  # tensor ** scalar

    @staticmethod
    def forward(ctx, a, b):
        x, y = operands(a, b)
        k = x.dtype.kind
        if k in "iub":
            if k == "b":
                raise _not_implemented("pow", x.dtype)
            if y.__class__ is not float and y < 0:
                raise RuntimeError(_NEG_POW)
        try:
            return np.power(x, y)
        except OverflowError as e:
            return _retry(np.power, a, b, x, y, e)

    @staticmethod
    def backward(ctx, g):
        a, e = ctx.inputs
        if e == 0:
            return g * 0, None
        return g * e * a ** (e - 1), None


def _pow_np(x, y, a, b):
    k = x.dtype.kind
    if k == "b":
        raise _not_implemented("pow", x.dtype)
    try:
        if k in "iu":
            return _int_pow(x, y)
        return np.power(x, y)
    except (ValueError, OverflowError) as e:
        return _retry(np.power, a, b, x, y, e)


class PowT(Op):
    node_name = "PowBackward1"  # tensor ** tensor

    @staticmethod
    def forward(ctx, a, b):
        x, y = operands(a, b)
        return _pow_np(x, y, a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.inputs
        n = ctx.needs_input_grad
        ga = gb = None
        z = zeros_scalar(g)
        if n[0]:
            ga = where(b == 0, z, g * (b * a ** (b - 1)))
        if n[1]:
            # PyTorch masks 0 ** b (b >= 0) to a zero grad instead of nan/inf
            out = ctx.saved_output()
            gb = where((a == 0) & (b >= 0), z, g * (out * log(_as_float_like(a, g))))
        return ga, gb


class RPow(Op):
    node_name = "PowBackward2"  # scalar ** tensor

    @staticmethod
    def forward(ctx, a, b):
        x, y = operands(a, b)
        k = x.dtype.kind
        if k == "b":
            raise _not_implemented("pow", x.dtype)
        if k in "iu":
            return _int_pow(_num_as(y, x.dtype), x)
        return np.power(y, x)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.inputs
        out = ctx.saved_output()
        if b == 0:
            return g * where(a >= 0, zeros_scalar(g), out * float("-inf")), None
        return g * (out * float(np.log(b) if b > 0 else np.nan)), None


def _extremum_np(ufunc, a, b):
    x, y = operands(a, b)
    try:
        return ufunc(x, y)
    except ValueError:
        _check_broadcast(a, b)
        raise


class Maximum(Op):
    node_name = "MaximumBackward0"

    @staticmethod
    def forward(ctx, a, b):
        return _extremum_np(np.maximum, a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.inputs
        # ties share the grad evenly; NaN (unordered) gives the full grad to both, as in PyTorch
        h = where(a == b, g / 2, g)
        z = zeros_scalar(g)
        n = ctx.needs_input_grad
        return (where(a < b, z, h) if n[0] else None), (where(a > b, z, h) if n[1] else None)


class Minimum(Op):
    node_name = "MinimumBackward0"

    @staticmethod
    def forward(ctx, a, b):
        return _extremum_np(np.minimum, a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.inputs
        h = where(a == b, g / 2, g)
        z = zeros_scalar(g)
        n = ctx.needs_input_grad
        return (where(a > b, z, h) if n[0] else None), (where(a < b, z, h) if n[1] else None)


class Fmax(Op):
    """NaN-ignoring maximum; ties give the whole grad to ``a``."""
    node_name = "FmaxBackward0"

    @staticmethod
    def forward(ctx, a, b):
        return _extremum_np(np.fmax, a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.inputs
        take_a = (a >= b) | b.isnan()
        z = zeros_scalar(g)
        return where(take_a, g, z), where(take_a, z, g)


class Fmin(Op):
    node_name = "FminBackward0"

    @staticmethod
    def forward(ctx, a, b):
        return _extremum_np(np.fmin, a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.inputs
        take_a = (a <= b) | b.isnan()
        z = zeros_scalar(g)
        return where(take_a, g, z), where(take_a, z, g)


class Atan2(Op):
    node_name = "Atan2Backward0"

    @staticmethod
    def forward(ctx, a, b):
        x, y = _true_div_operands(a, b)
        try:
            return np.arctan2(x, y)
        except ValueError:
            _check_broadcast(a, b)
            raise

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.inputs
        a = a if a._data.dtype.kind != "b" else a.to(g.dtype)
        b = b if b._data.dtype.kind != "b" else b.to(g.dtype)
        r = (a * a + b * b).reciprocal()
        n = ctx.needs_input_grad
        return (g * b * r if n[0] else None), (g * -a * r if n[1] else None)


class Where(Op):
    node_name = "WhereBackward0"
    check_inputs = staticmethod(lambda needs: [0])

    @staticmethod
    def forward(ctx, cond, a, b):
        c = cond._data
        if c.dtype.kind != "b":
            raise RuntimeError("where expected condition to be a boolean tensor, but got a tensor with dtype "
                               f"{_type_name(c.dtype)}")
        dt = result_np_dtype(a, b)
        x = a._data if is_tensor(a) else a
        y = b._data if is_tensor(b) else b
        try:
            out = np.where(c, x, y)
        except ValueError:
            _check_broadcast(cond, a, b)
            raise
        return out if out.dtype == dt else out.astype(dt)

    @staticmethod
    def backward(ctx, g):
        c = ctx.inputs[0]
        n = ctx.needs_input_grad
        z = zeros_scalar(g)
        return None, (where(c, g, z) if n[1] else None), (where(c, z, g) if n[2] else None)


def _lerp_check(a, end, weight, kernel):
    x = a._data
    for name, t in (("end", end), ("weight", weight)):
        if is_tensor(t) and t._data.dtype != x.dtype:
            raise RuntimeError(f"expected dtype {_C_NAMES.get(x.dtype.name, x.dtype.name)} for `{name}` but got "
                               f"dtype {_C_NAMES.get(t._data.dtype.name, t._data.dtype.name)}")
    if x.dtype.kind not in "fc":
        raise _not_implemented(kernel, x.dtype)


def _lerp_np(x, y, w):
    d = y - x
    if w.__class__ is ndarray:
        return np.where(np.abs(w) < 0.5, x + w * d, y - d * (1 - w))
    return x + w * d if builtins.abs(w) < 0.5 else y - d * (1 - w)


class Lerp(Op):
    """``lerp`` with a number weight (LerpBackward0)."""
    node_name = "LerpBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, end, weight):
        _lerp_check(a, end, None, "lerp_kernel_scalar")
        x, y = a._data, end._data
        ctx.weight = weight
        try:
            out = _lerp_np(x, y, weight)
        except ValueError:
            _check_broadcast(a, end)
            raise
        return np.asarray(out, dtype=x.dtype)

    @staticmethod
    def backward(ctx, g):
        w = ctx.weight
        return g * (1 - w), g * w


class LerpT(Op):
    """``lerp`` with a tensor weight (LerpBackward1)."""
    node_name = "LerpBackward1"

    @staticmethod
    def forward(ctx, a, end, weight):
        _lerp_check(a, end, weight, "lerp_kernel_tensor")
        x, y, w = a._data, end._data, weight._data
        try:
            out = _lerp_np(x, y, w)
        except ValueError:
            _check_broadcast(a, end, weight)
            raise
        return np.asarray(out, dtype=x.dtype)

    @staticmethod
    def backward(ctx, g):
        a, end, w = ctx.inputs
        n = ctx.needs_input_grad
        return (g * (1 - w) if n[0] else None), (g * w if n[1] else None), (g * (end - a) if n[2] else None)


# ============================================================================ unary math

def _unary(name, node, fwd, bwd, uses="input", floating=True, check=None):
    """Build a unary op class: ``fwd(array)``; ``bwd(g, x, out)`` with x/out as Tensors.

    ``check(array)`` raises PyTorch's error for dtypes the op does not support.
    """

    if check is None:
        def forward(ctx, a):
            x = a._data
            return fwd(_fl(x) if floating else x)
    else:
        def forward(ctx, a):
            x = a._data
            check(x)
            return fwd(_fl(x) if floating else x)

    if uses == "output":
        def backward(ctx, g):
            return bwd(g, None, ctx.saved_output())
    elif uses == "none":
        def backward(ctx, g):
            return bwd(g, None, None)
    else:
        def backward(ctx, g):
            return bwd(g, ctx.inputs[0], None)

    cls = type(name, (Op,), {
        "node_name": node, "forward": staticmethod(forward), "backward": staticmethod(backward),
        "saves": uses != "none", "check_inputs": (lambda needs: []) if uses != "input" else None,
        "__module__": __name__})
    return cls


def _zero_grad(g, x, out):
    return g * 0


def _no_bool(kernel):
    def check(x):
        if x.dtype.kind == "b":
            raise _not_implemented(kernel, x.dtype)
    return check


def _float_only(kernel):
    def check(x):
        if x.dtype.kind not in "fc" and not (D.bfloat16 is not None and x.dtype == D.bfloat16.np):
            raise _not_implemented(kernel, x.dtype)
    return check


def _neg_check(x):
    if x.dtype.kind == "b":
        raise RuntimeError("Negation, the `-` operator, on a bool tensor is not supported. If you are trying to "
                           "invert a mask, use the `~` or `logical_not()` operator instead.")


Neg = _unary("Neg", "NegBackward0", np.negative, lambda g, x, o: -g, uses="none", floating=False, check=_neg_check)
Exp = _unary("Exp", "ExpBackward0", np.exp, lambda g, x, o: g * o, uses="output")
Exp2 = _unary("Exp2", "Exp2Backward0", np.exp2, lambda g, x, o: g * o * 0.6931471805599453, uses="output")
Expm1 = _unary("Expm1", "Expm1Backward0", np.expm1, lambda g, x, o: g * (o + 1), uses="output")
Log = _unary("Log", "LogBackward0", np.log, lambda g, x, o: g / x)
Log2 = _unary("Log2", "Log2Backward0", np.log2, lambda g, x, o: g / (x * 0.6931471805599453))
Log10 = _unary("Log10", "Log10Backward0", np.log10, lambda g, x, o: g / (x * 2.302585092994046))
Log1p = _unary("Log1p", "Log1PBackward0", np.log1p, lambda g, x, o: g / (x + 1))
Sqrt = _unary("Sqrt", "SqrtBackward0", np.sqrt, lambda g, x, o: g / (2 * o), uses="output")
Rsqrt = _unary("Rsqrt", "RsqrtBackward0", lambda x: 1 / np.sqrt(x), lambda g, x, o: -0.5 * g * o * o * o, uses="output")
Sin = _unary("Sin", "SinBackward0", np.sin, lambda g, x, o: g * cos(x))
Cos = _unary("Cos", "CosBackward0", np.cos, lambda g, x, o: -g * sin(x))
Tan = _unary("Tan", "TanBackward0", np.tan, lambda g, x, o: g * (1 + o * o), uses="output")
Asin = _unary("Asin", "AsinBackward0", np.arcsin, lambda g, x, o: g * rsqrt(1 - x * x))
Acos = _unary("Acos", "AcosBackward0", np.arccos, lambda g, x, o: -g * rsqrt(1 - x * x))
Atan = _unary("Atan", "AtanBackward0", np.arctan, lambda g, x, o: g / (1 + x * x))
Sinh = _unary("Sinh", "SinhBackward0", np.sinh, lambda g, x, o: g * cosh(x))
Cosh = _unary("Cosh", "CoshBackward0", np.cosh, lambda g, x, o: g * sinh(x))
Tanh = _unary("Tanh", "TanhBackward0", np.tanh, lambda g, x, o: g * (1 - o * o), uses="output")
Reciprocal = _unary("Reciprocal", "ReciprocalBackward0", np.reciprocal, lambda g, x, o: -g * o * o, uses="output")


def _square_np(x):
    return np.square(x.astype(np.int64) if x.dtype.kind == "b" else x)


Square = _unary("Square", "PowBackward0", _square_np, lambda g, x, o: g * 2 * x, floating=False)


def _sigmoid_np(x):
    # exp of a negated magnitude never overflows
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e)).astype(x.dtype, copy=False)


Sigmoid = _unary("Sigmoid", "SigmoidBackward0", _sigmoid_np, lambda g, x, o: g * o * (1 - o), uses="output")


def _sign_np(x):
    k = x.dtype.kind
    if k == "b":
        return x.copy()
    if k == "f":  # PyTorch: (0 < x) - (x < 0), so sign(nan) is 0
        return np.subtract(x > 0, x < 0, dtype=x.dtype)
    return np.sign(x)


def _keep_int(f):
    return lambda x: f(x) if x.dtype.kind in "fc" else x.copy()


Abs = _unary("Abs", "AbsBackward0", np.abs, lambda g, x, o: g * x.sgn(), floating=False, check=_no_bool("abs_cpu"))
Sign = _unary("Sign", "SignBackward0", _sign_np, _zero_grad, uses="none", floating=False)
Sgn = _unary("Sgn", "SgnBackward0", _sign_np, _zero_grad, uses="none", floating=False)
Floor = _unary("Floor", "FloorBackward0", _keep_int(np.floor), _zero_grad, uses="none", floating=False,
               check=_no_bool("floor_vml_cpu"))
Ceil = _unary("Ceil", "CeilBackward0", _keep_int(np.ceil), _zero_grad, uses="none", floating=False,
              check=_no_bool("ceil_vml_cpu"))
Trunc = _unary("Trunc", "TruncBackward0", _keep_int(np.trunc), _zero_grad, uses="none", floating=False,
               check=_no_bool("trunc_vml_cpu"))
Frac = _unary("Frac", "FracBackward0", lambda x: x - np.trunc(x), lambda g, x, o: g, uses="none",
              check=_float_only("frac_cpu"))


def _relu_check(x):
    if x.dtype.kind == "b":
        raise RuntimeError("Boolean inputs not supported for relu")


def _relu_np(x):
    return np.maximum(x, 0, dtype=x.dtype)


Relu = _unary("Relu", "ReluBackward0", _relu_np, lambda g, x, o: where(o > 0, g, zeros_scalar(g)), uses="output",
              floating=False, check=_relu_check)


class Round(Op):
    node_name = "RoundBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a):
        x = a._data
        if x.dtype.kind == "b":
            raise _not_implemented("round_vml_cpu", x.dtype)
        if x.dtype.kind not in "fc":
            return x.copy()
        # NumPy rounds half to even, like PyTorch
        return np.round(x)

    @staticmethod
    def backward(ctx, g):
        return g * 0


class RoundDecimals(Op):
    node_name = "RoundBackward1"
    saves = False

    @staticmethod
    def forward(ctx, a, decimals):
        x = a._data
        if x.dtype.kind not in "fc":
            raise _not_implemented("round_cpu", x.dtype)
        if decimals == 0:
            return np.round(x)
        # PyTorch: nearbyint(x * 10^d) / 10^d (or x / 10^-d * 10^-d), in the input's precision
        p = x.dtype.type(10.0 ** builtins.abs(decimals))
        if decimals > 0:
            return np.rint(x * p) / p
        return np.rint(x / p) * p

    @staticmethod
    def backward(ctx, g):
        return g * 0


class NanToNum(Op):
    node_name = "NanToNumBackward0"
    check_inputs = staticmethod(lambda needs: [0])

    @staticmethod
    def forward(ctx, a, nan=0.0, posinf=None, neginf=None):
        x = a._data
        if x.dtype.kind not in "fc":
            return x.copy()
        return np.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)

    @staticmethod
    def backward(ctx, g):
        return where(ctx.inputs[0].isfinite(), g, zeros_scalar(g))


# ---------------------------------------------------------------------------- clamp

def _bound(v, dt):
    """A clamp bound as an operand of dtype ``dt`` (tensor bounds cast; int scalars wrap like PyTorch's cast)."""
    if v is None:
        return None
    if is_tensor(v):
        d = v._data
        return d if d.dtype == dt else d.astype(dt)
    v = py_scalar(v)
    if v.__class__ is int and dt.kind in "iu":
        return _fit_int(dt, v)
    return v


def _clamp_np(a, lo, hi):
    dt = result_np_dtype(a, lo, hi)
    x = a._data
    if dt.kind == "b":
        raise _not_implemented("clamp_scalar_cpu" if not (is_tensor(lo) or is_tensor(hi)) else "clamp_cpu", x.dtype)
    if x.dtype != dt:
        x = x.astype(dt)
    out = x
    try:
        if lo is not None:
            out = np.maximum(out, _bound(lo, dt))
        if hi is not None:
            out = np.minimum(out, _bound(hi, dt))
    except ValueError:
        _check_broadcast(a, *[b for b in (lo, hi) if b is not None])
        raise
    if out is x:
        out = x.copy()
    return out.astype(dt, copy=False)


class Clamp(Op):
    """``clamp`` with number bounds (ClampBackward1); the grad passes where ``min <= x <= max``."""
    node_name = "ClampBackward1"
    check_inputs = staticmethod(lambda needs: [0])

    @staticmethod
    def forward(ctx, a, min=None, max=None):
        if min is None and max is None:
            raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
        ctx.bounds = (min, max)
        return _clamp_np(a, min, max)

    @staticmethod
    def backward(ctx, g):
        a = ctx.inputs[0]
        lo, hi = ctx.bounds
        m = None
        if lo is not None:
            m = a >= lo
        if hi is not None:
            m = (a <= hi) if m is None else m & (a <= hi)
        return where(m, g, zeros_scalar(g))


class ClampMin(Clamp):
    node_name = "ClampMinBackward0"


class ClampMax(Clamp):
    node_name = "ClampMaxBackward0"


class ClampT(Op):
    """``clamp`` with tensor bounds (ClampBackward0); the bounds get the grad where they are the result."""
    node_name = "ClampBackward0"
    check_inputs = staticmethod(lambda needs: [0, 1, 2])

    @staticmethod
    def forward(ctx, a, min=None, max=None):
        if min is None and max is None:
            raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
        return _clamp_np(a, min, max)

    @staticmethod
    def backward(ctx, g):
        a, lo, hi = ctx.inputs
        z = zeros_scalar(g)
        n = ctx.needs_input_grad
        ga = glo = ghi = None
        if lo is not None and hi is not None:
            ga = where((a >= lo) & (a <= hi), g, z)
            if n[1]:
                glo = where((a < lo) & (lo < hi), g, z)
            if n[2]:
                ghi = where((a > hi) | (hi < lo), g, z)
        elif lo is not None:
            ga = where(a >= lo, g, z)
            glo = where(a < lo, g, z) if n[1] else None
        else:
            ga = where(a <= hi, g, z)
            ghi = where(a > hi, g, z) if n[2] else None
        return ga, glo, ghi


class ClampMinT(ClampT):
    node_name = "ClampMinBackward1"


class ClampMaxT(ClampT):
    node_name = "ClampMaxBackward1"


def _clamp_args_error(name, lo, hi):
    def tn(v):
        return "NoneType" if v is None else ("Tensor" if is_tensor(v) else type(v).__name__)
    raise TypeError(f"{name}() received an invalid combination of arguments - got (Tensor, {tn(lo)}, {tn(hi)})")


# ============================================================================ comparisons & logic (no grad)

def _cmp(ufunc, fname):
    def f(input, other, *, out=None):
        if not is_tensor(input):
            raise TypeError(f"{fname}() received an invalid combination of arguments - got "
                            f"({type(input).__name__}, {type(other).__name__})")
        x, y = operands(input, other)
        if x.dtype.kind == "c" and fname in ("lt", "le", "gt", "ge"):
            raise _not_implemented(f"{fname}_cpu", x.dtype)
        if y.__class__ is int and x.dtype.kind in "iu":
            y = _fit_scalar(x, y)
        try:
            r = ufunc(x, y)
        except ValueError:
            _check_broadcast(input, other)
            raise
        return _out(_wrap(r if r.__class__ is ndarray else np.asarray(r)), out)
    f.__name__ = fname
    return f


eq = _cmp(np.equal, "eq")
ne = _cmp(np.not_equal, "ne")
lt = _cmp(np.less, "lt")
le = _cmp(np.less_equal, "le")
gt = _cmp(np.greater, "gt")
ge = _cmp(np.greater_equal, "ge")


def _logical(ufunc, fname):
    def f(input, other, *, out=None):
        _need_tensor(fname, "input", 1, input)
        _need_tensor(fname, "other", 2, other)
        try:
            r = ufunc(input._data, other._data)
        except ValueError:
            _check_broadcast(input, other)
            raise
        return _out(_wrap(np.asarray(r)), out)
    f.__name__ = fname
    return f


logical_and = _logical(np.logical_and, "logical_and")
logical_or = _logical(np.logical_or, "logical_or")
logical_xor = _logical(np.logical_xor, "logical_xor")


def logical_not(input, *, out=None):
    return _out(_wrap(np.logical_not(input._data)), out)


def _bitwise(ufunc):
    kernel = f"{ufunc.__name__}_cpu"

    def f(input, other, *, out=None):
        if not is_tensor(input):
            # bitwise_and(2, x): the number is the first operand
            input, other = other, input
        x, y = operands(input, other)
        if x.dtype.kind not in "biu":
            raise _not_implemented(kernel, x.dtype)
        try:
            r = ufunc(x, y)
        except (ValueError, OverflowError) as e:
            r = _retry(ufunc, input, other, x, y, e)
        return _out(_wrap(np.asarray(r)), out)
    f.__name__ = ufunc.__name__
    return f


bitwise_and = _bitwise(np.bitwise_and)
bitwise_or = _bitwise(np.bitwise_or)
bitwise_xor = _bitwise(np.bitwise_xor)


def bitwise_not(input, *, out=None):
    x = input._data
    if x.dtype.kind == "b":
        return _out(_wrap(np.logical_not(x)), out)
    if x.dtype.kind not in "iu":
        raise _not_implemented("bitwise_not_cpu", x.dtype)
    return _out(_wrap(np.invert(x)), out)


def _float_pred(fn, default):
    def f(input):
        x = input._data
        if x.dtype.kind in "fc":
            return _wrap(np.asarray(fn(x)))
        return _wrap(np.full(x.shape, default, dtype=bool))
    f.__name__ = fn.__name__
    return f


isnan = _float_pred(np.isnan, False)
isinf = _float_pred(np.isinf, False)
isfinite = _float_pred(np.isfinite, True)


def isposinf(input):
    x = input._data
    return _wrap(np.isposinf(x) if x.dtype.kind == "f" else np.zeros(x.shape, bool))


def isneginf(input):
    x = input._data
    return _wrap(np.isneginf(x) if x.dtype.kind == "f" else np.zeros(x.shape, bool))


def _same_dtype(a, b):
    if a._data.dtype != b._data.dtype:
        raise RuntimeError(f"{_type_name(a._data.dtype)} did not match {_type_name(b._data.dtype)}")


def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    _same_dtype(input, other)
    x, y = input._data, other._data
    if x.dtype.kind == "b":
        return _wrap(np.asarray(np.equal(x, y)))
    try:
        r = np.isclose(x, y, rtol=rtol, atol=atol, equal_nan=equal_nan)
    except ValueError:
        _check_broadcast(input, other)
        raise
    return _wrap(np.asarray(r))


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    return builtins.bool(isclose(input, other, rtol, atol, equal_nan)._data.all())


def equal(input, other):
    """True when both tensors have the same shape and elements."""
    return input._data.shape == other._data.shape and builtins.bool(np.array_equal(input._data, other._data))


def signbit(input, *, out=None):
    x = input._data
    return _out(_wrap(np.signbit(x) if x.dtype.kind in "fi" else np.zeros(x.shape, bool)), out)


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
    if res._requires_grad and out._requires_grad:
        raise RuntimeError("out=... arguments don't support automatic differentiation, but one of the arguments "
                           "requires grad.")
    if out._data.shape != res._data.shape:
        out._data = np.empty(res._data.shape, dtype=out._data.dtype)
    if not D.can_cast(D.from_numpy_dtype(res._data.dtype), D.from_numpy_dtype(out._data.dtype)):
        raise RuntimeError(f"result type {_type_name(res._data.dtype)} can't be cast to the desired output type "
                           f"{_type_name(out._data.dtype)}")
    np.copyto(out._data, res._data, casting="unsafe")
    out._vc += 1
    return out


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
        return g.to(ctx.src) if (ctx.src.is_floating_point or ctx.src.is_complex) else None
