"""Binary arithmetic (+ - * / // % **, maximum/minimum, atan2, where, lerp, clamp) with PyTorch's promotion."""
import builtins

import numpy as np

from ..autograd.grad_mode import _state as _grad_state
from ._util import float_np, is_tensor, operands, result_np_dtype
from .elementwise import (
    Op, _C_NAMES, _ONE, _as_float_like, _check_broadcast, _check_int_zero, _int_pow, _not_implemented, _num_as,
    _other_needs, _retry, _scale, _sub_check, _type_name, ndarray, zeros_scalar)
from . import elementwise as _ew  # public wrappers, looked up at call time
from .unary import _wrap_array


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
        if b.__class__ is float or b.__class__ is int:  # x * 2.0: the common scalar case
            # first order: on the array (NOTE [ one formula, two paths ] in unary.py)
            return (g * b if _grad_state.enabled else _wrap_array(g._data * b)), None
        n = ctx.needs_input_grad
        return (g * _conj(b) if n[0] else None), (g * _conj(a) if n[1] else None)


def _conj(x):
    if x.__class__ is complex:
        return x.conjugate()
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
        ga = g / _conj(b) if n[0] else None
        gb = -g * _conj((a / b) / b) if n[1] else None
        return ga, gb


class Rdiv(Op):
    """``b / a`` for a Python number ``b``: PyTorch computes ``a.reciprocal() * b`` (MulBackward0)."""
    node_name = "MulBackward0"

    @staticmethod
    def forward(ctx, a, b):
        x, y = _true_div_operands(a, b)
        return np.multiply(np.reciprocal(x), y)  # PyTorch's rounding: reciprocal first

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


def _modulo(name, ufunc, rounding):
    """``remainder``/``fmod``: the NumPy kernel and the op pair (number other: Backward0, tensor: Backward1).

    They differ only in how the quotient rounds (floor / trunc), which also gives the other's grad.
    """
    kernel = f"{ufunc.__name__}_cpu"

    def compute(x, y, a, b):
        k = x.dtype.kind
        if k == "b":
            raise _not_implemented(kernel, x.dtype)
        if k in "iu":
            _check_int_zero(y)
        try:
            return ufunc(x, y)
        except (ValueError, OverflowError) as e:
            return _retry(ufunc, a, b, x, y, e)

    def forward(ctx, a, b):
        x, y = operands(a, b)
        return compute(x, y, a, b)

    class ByNumber(Op):
        node_name = f"{name}Backward0"
        saves = False

        @staticmethod
        def backward(ctx, g):
            return g, None

    class ByTensor(Op):
        node_name = f"{name}Backward1"

        @staticmethod
        def backward(ctx, g):
            a, b = ctx.inputs
            return g, (-g * a.div(b, rounding_mode=rounding) if ctx.needs_input_grad[1] else None)

    ByNumber.forward = ByTensor.forward = staticmethod(forward)
    return ByNumber, ByTensor, compute


Remainder, RemainderT, _remainder_np = _modulo("Remainder", np.remainder, "floor")
Fmod, FmodT, _fmod_np = _modulo("Fmod", np.fmod, "trunc")


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
        return g * _conj(e * a ** (e - 1)), None


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
            ga = _ew.where(b == 0, z, g * (b * a ** (b - 1)))
        if n[1]:
            # PyTorch masks 0 ** b (b >= 0) to a zero grad instead of nan/inf
            out = ctx.saved_output()
            gb = g * _ew.where((a == 0) & (b >= 0), z, out * _ew.log(_as_float_like(a, g)))
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
            return g * _ew.where(a >= 0, zeros_scalar(g), out * float("-inf")), None
        return g * (out * float(np.log(b) if b > 0 else np.nan)), None


def _extremum_np(ufunc, a, b):
    x, y = operands(a, b)
    try:
        return ufunc(x, y)
    except ValueError:
        _check_broadcast(a, b)
        raise


def _extremum_grads(ctx, g, loses):
    """maximum/minimum grads: an input gets none where it ``loses`` to the other; ties share the grad
    evenly, and NaN (unordered) gives the full grad to both, as in PyTorch."""
    a, b = ctx.inputs
    h = _ew.where(a == b, g / 2, g)
    z = zeros_scalar(g)
    n = ctx.needs_input_grad
    return (_ew.where(loses(a, b), z, h) if n[0] else None), (_ew.where(loses(b, a), z, h) if n[1] else None)


class Maximum(Op):
    node_name = "MaximumBackward0"

    @staticmethod
    def forward(ctx, a, b):
        return _extremum_np(np.maximum, a, b)

    @staticmethod
    def backward(ctx, g):
        return _extremum_grads(ctx, g, lambda u, v: u < v)


class Minimum(Op):
    node_name = "MinimumBackward0"

    @staticmethod
    def forward(ctx, a, b):
        return _extremum_np(np.minimum, a, b)

    @staticmethod
    def backward(ctx, g):
        return _extremum_grads(ctx, g, lambda u, v: u > v)


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
        return _ew.where(take_a, g, z), _ew.where(take_a, z, g)


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
        return _ew.where(take_a, g, z), _ew.where(take_a, z, g)


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
        if a.__class__ is b.__class__ and is_tensor(a) and a._data.dtype is b._data.dtype:
            dt = a._data.dtype  # the common case (relu's and clamp's backward): no promotion to work out
        else:
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
        return None, (_ew.where(c, g, z) if n[1] else None), (_ew.where(c, z, g) if n[2] else None)


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
