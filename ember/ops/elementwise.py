"""Elementwise ops: arithmetic, unary math, activations, comparisons, logic.

Each op is one Function with forward (on NumPy arrays) beside backward (on
Tensors, so it can itself be differentiated). Broadcast gradients are summed
back to input shapes by the engine, not here.
"""
import builtins

import numpy as np

from .. import dtypes as D
from ..autograd.function import Function
from ._util import _wrap, as_np_dtype, float_np, is_tensor, operands, py_scalar, result_np_dtype


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


# ============================================================================ binary arithmetic

class Add(Op):
    node_name = "AddBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, b, alpha=1):
        x, y = operands(a, b)
        if alpha != 1:
            _check_alpha(x, y, alpha)
            y = y * alpha
        if x.dtype.kind == "b" and (is_tensor(b) and y.dtype.kind == "b"):
            return np.logical_or(x, y)
        ctx.alpha = alpha
        return np.add(x, y)

    @staticmethod
    def backward(ctx, g):
        return g, (g if ctx.alpha == 1 else g * ctx.alpha)


class Sub(Op):
    node_name = "SubBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, b, alpha=1):
        x, y = operands(a, b)
        if x.dtype.kind == "b":
            raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not supported. "
                               "Use the `^` or `logical_xor()` operator instead." if is_tensor(b) and y.dtype.kind == "b"
                               else "Subtraction, the `-` operator, with a bool tensor is not supported. "
                               "If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.")
        if alpha != 1:
            _check_alpha(x, y, alpha)
            y = y * alpha
        ctx.alpha = alpha
        return np.subtract(x, y)

    @staticmethod
    def backward(ctx, g):
        return g, -g if ctx.alpha == 1 else g * (-ctx.alpha)


class Rsub(Op):
    """``b - a`` for a Python number ``b`` (PyTorch's RsubBackward1)."""
    node_name = "RsubBackward1"
    saves = False

    @staticmethod
    def forward(ctx, a, b, alpha=1):
        x, y = operands(a, b)
        if x.dtype.kind == "b":
            raise RuntimeError("Subtraction, the `-` operator, with a bool tensor is not supported. "
                               "If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.")
        ctx.alpha = alpha
        return np.subtract(y, x * alpha if alpha != 1 else x)

    @staticmethod
    def backward(ctx, g):
        return (-g if ctx.alpha == 1 else g * (-ctx.alpha)), None


def _check_alpha(x, y, alpha):
    if isinstance(alpha, float) and x.dtype.kind in "iub":
        raise RuntimeError("For integral input tensors, argument alpha must not be a floating point number.")


class Mul(Op):
    node_name = "MulBackward0"
    check_inputs = staticmethod(_other_needs)

    @staticmethod
    def forward(ctx, a, b):
        x, y = operands(a, b)
        if x.dtype.kind == "b" and not isinstance(y, (int, float)) and y.dtype.kind == "b":
            return np.logical_and(x, y)
        return np.multiply(x, y)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.inputs
        n = ctx.needs_input_grad
        return (g * _conj(b) if n[0] else None), (g * _conj(a) if n[1] else None)


def _conj(x):
    return x.conj() if is_tensor(x) and x.dtype.is_complex else x


class Div(Op):
    node_name = "DivBackward0"

    @staticmethod
    def forward(ctx, a, b, rounding_mode=None):
        x, y = operands(a, b)
        if rounding_mode is None:
            if x.dtype.kind not in "fc":
                x = x.astype(float_np(x.dtype))
            return np.true_divide(x, y)
        if rounding_mode not in ("trunc", "floor"):
            raise RuntimeError(f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '{rounding_mode}'")
        ctx.rounding = rounding_mode
        if x.dtype.kind in "iu":
            _check_int_zero(y)
            if rounding_mode == "floor":
                return np.floor_divide(x, y)
            q = np.floor_divide(x, y)
            # trunc: floor rounds away from zero for negative non-exact quotients
            fix = (np.remainder(x, y) != 0) & ((x < 0) != (np.asarray(y) < 0))
            return (q + fix).astype(q.dtype, copy=False)
        q = np.true_divide(x, y)
        return np.floor(q) if rounding_mode == "floor" else np.trunc(q)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.inputs
        if getattr(ctx, "rounding", None) is not None:
            return g * 0, (g * 0 if is_tensor(b) else None)
        n = ctx.needs_input_grad
        ga = g / b if n[0] else None
        gb = -g * a / (b * b) if n[1] else None
        return ga, gb


class Rdiv(Op):
    """``b / a`` for a Python number ``b``."""
    node_name = "DivBackward0"

    @staticmethod
    def forward(ctx, a, b):
        x, y = operands(a, b)
        if x.dtype.kind not in "fc":
            x = x.astype(float_np(x.dtype))
        return np.true_divide(y, x)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.inputs
        return -g * b / (a * a), None


def _check_int_zero(y):
    if np.any(np.asarray(y) == 0):
        raise RuntimeError("ZeroDivisionError")


class Remainder(Op):
    node_name = "RemainderBackward0"

    @staticmethod
    def forward(ctx, a, b):
        x, y = operands(a, b)
        if x.dtype.kind in "iu":
            _check_int_zero(y)
        return np.remainder(x, y)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.inputs
        gb = -g * div(a, b, rounding_mode="floor") if is_tensor(b) and b.requires_grad else None
        return g, gb


class Fmod(Op):
    node_name = "FmodBackward0"

    @staticmethod
    def forward(ctx, a, b):
        x, y = operands(a, b)
        if x.dtype.kind in "iu":
            _check_int_zero(y)
        return np.fmod(x, y)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.inputs
        gb = -g * div(a, b, rounding_mode="trunc") if is_tensor(b) and b.requires_grad else None
        return g, gb


class Pow(Op):
    node_name = "PowBackward0"  # tensor ** scalar

    @staticmethod
    def forward(ctx, a, b):
        x, y = operands(a, b)
        if x.dtype.kind in "iub" and not isinstance(y, float):
            if np.any(np.asarray(y) < 0):
                raise RuntimeError("Integers to negative integer powers are not allowed.")
            if x.dtype.kind == "b":
                x = x.astype(np.int64)
        return np.power(x, y)

    @staticmethod
    def backward(ctx, g):
        a, e = ctx.inputs
        if e == 0:
            return g * 0, None
        return g * e * a ** (e - 1), None


class PowT(Op):
    node_name = "PowBackward1"  # tensor ** tensor

    forward = Pow.forward

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.inputs
        n = ctx.needs_input_grad
        ga = gb = None
        if n[0]:
            ga = where(b == 0, 0.0, g * b * a ** (b - 1))
        if n[1]:
            # PyTorch masks 0 ** b (b >= 0) to a zero grad instead of nan/inf
            out = ctx.saved_output()
            gb = where((a == 0) & (b >= 0), 0.0, g * out * log(a))
        return ga, gb


class RPow(Op):
    node_name = "PowBackward2"  # scalar ** tensor

    @staticmethod
    def forward(ctx, a, b):
        x, y = operands(a, b)
        if x.dtype.kind in "iub" and not isinstance(y, float) and np.any(x < 0):
            raise RuntimeError("Integers to negative integer powers are not allowed.")
        return np.power(y, x)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.inputs
        out = ctx.saved_output()
        if b == 0:
            return where(a >= 0, 0.0, g * out * float("-inf")), None
        return g * out * float(np.log(b)), None


class Maximum(Op):
    node_name = "MaximumBackward0"

    @staticmethod
    def forward(ctx, a, b):
        x, y = operands(a, b)
        return np.maximum(x, y)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.inputs
        # ties split the gradient evenly, as PyTorch does
        w = (a > b).to(g.dtype) + (a == b).to(g.dtype) * 0.5
        return g * w, g * (1 - w)


class Minimum(Op):
    node_name = "MinimumBackward0"

    @staticmethod
    def forward(ctx, a, b):
        x, y = operands(a, b)
        return np.minimum(x, y)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.inputs
        w = (a < b).to(g.dtype) + (a == b).to(g.dtype) * 0.5
        return g * w, g * (1 - w)


class Atan2(Op):
    node_name = "Atan2Backward0"

    @staticmethod
    def forward(ctx, a, b):
        x, y = operands(a, b)
        return np.arctan2(_fl(x), _fl(y))

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.inputs
        d = a * a + b * b
        return g * b / d, -g * a / d


class Where(Op):
    node_name = "WhereBackward0"
    check_inputs = staticmethod(lambda needs: [0])

    @staticmethod
    def forward(ctx, cond, a, b):
        c = cond._data
        if c.dtype.kind != "b":
            raise RuntimeError(f"where expected condition to be a boolean tensor, but got a tensor with dtype {D.from_numpy_dtype(c.dtype).name.capitalize()}")
        dt = result_np_dtype(a, b)
        x = a._data if is_tensor(a) else a
        y = b._data if is_tensor(b) else b
        out = np.where(c, x, y)
        return out if out.dtype == dt else out.astype(dt)

    @staticmethod
    def backward(ctx, g):
        c = ctx.inputs[0]
        n = ctx.needs_input_grad
        z = zeros_scalar(g)
        return None, (where(c, g, z) if n[1] else None), (where(c, z, g) if n[2] else None)


def zeros_scalar(g):
    return _wrap(np.zeros((), dtype=g._data.dtype))


class Lerp(Op):
    node_name = "LerpBackward0"

    @staticmethod
    def forward(ctx, a, end, weight):
        x, y = operands(a, end)
        w = weight._data if is_tensor(weight) else weight
        return x + w * (y - x)

    @staticmethod
    def backward(ctx, g):
        a, end, w = ctx.inputs
        n = ctx.needs_input_grad
        gw = g * (end - a) if len(n) > 2 and n[2] else None
        return g * (1 - w), g * w, gw


# ============================================================================ unary math

def _unary(name, node, fwd, bwd, uses="input", floating=True):
    """Build a unary op class: ``fwd(array)``; ``bwd(ctx, g, x, out)`` with x/out as Tensors."""

    def forward(ctx, a):
        x = a._data
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


Neg = _unary("Neg", "NegBackward0", np.negative, lambda g, x, o: -g, uses="none", floating=False)
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
Square = _unary("Square", "PowBackward0", np.square, lambda g, x, o: g * 2 * x, floating=False)


def _sigmoid_np(x):
    # exp of a negated magnitude never overflows
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e)).astype(x.dtype, copy=False)


Sigmoid = _unary("Sigmoid", "SigmoidBackward0", _sigmoid_np, lambda g, x, o: g * o * (1 - o), uses="output")


def _sign_np(x):
    return np.sign(x) if x.dtype.kind != "b" else x.copy()


Abs = _unary("Abs", "AbsBackward0", np.abs, lambda g, x, o: g * sign(x), floating=False)
Sign = _unary("Sign", "SignBackward0", _sign_np, _zero_grad, uses="none", floating=False)
Floor = _unary("Floor", "FloorBackward0", lambda x: np.floor(x) if x.dtype.kind in "fc" else x.copy(), _zero_grad, uses="none", floating=False)
Ceil = _unary("Ceil", "CeilBackward0", lambda x: np.ceil(x) if x.dtype.kind in "fc" else x.copy(), _zero_grad, uses="none", floating=False)
Trunc = _unary("Trunc", "TruncBackward0", lambda x: np.trunc(x) if x.dtype.kind in "fc" else x.copy(), _zero_grad, uses="none", floating=False)
Frac = _unary("Frac", "FracBackward0", lambda x: x - np.trunc(x), lambda g, x, o: g, uses="none")


def _relu_np(x):
    if x.dtype.kind == "b":
        raise RuntimeError('"clamp_min_cpu" not implemented for \'Bool\'')
    return np.maximum(x, 0, dtype=x.dtype)


Relu = _unary("Relu", "ReluBackward0", _relu_np, lambda g, x, o: g * (o > 0).to(g.dtype), uses="output", floating=False)


class Round(Op):
    node_name = "RoundBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, decimals=0):
        x = a._data
        if x.dtype.kind not in "fc":
            return x.copy()
        # NumPy rounds half to even, like PyTorch
        return np.round(x, decimals)

    @staticmethod
    def backward(ctx, g):
        return g * 0


class Clamp(Op):
    node_name = "ClampBackward1"
    check_inputs = staticmethod(lambda needs: [0])

    @staticmethod
    def forward(ctx, a, min=None, max=None):
        if min is None and max is None:
            raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
        ctx.bounds = (min, max)
        x = a._data
        tmin, tmax = is_tensor(min), is_tensor(max)
        dt = result_np_dtype(a, min, max)
        lo = min._data if tmin else min
        hi = max._data if tmax else max
        if x.dtype != dt:
            x = x.astype(dt)
        out = x
        if lo is not None:
            out = np.maximum(out, lo)
        if hi is not None:
            out = np.minimum(out, hi)
        if out is x:
            out = x.copy()
        return out.astype(dt, copy=False)

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

    @classmethod
    def apply(cls, a, min=None, max=None):
        if is_tensor(min) or is_tensor(max):
            return _clamp_tensor(a, min, max)
        return super().apply(a, min=min, max=max)


def _clamp_tensor(a, lo, hi):
    # tensor bounds: compose maximum/minimum so every bound gets its gradient
    out = a
    if lo is not None:
        out = maximum(out, lo if is_tensor(lo) else _wrap(np.asarray(lo, dtype=a._data.dtype)))
    if hi is not None:
        out = minimum(out, hi if is_tensor(hi) else _wrap(np.asarray(hi, dtype=a._data.dtype)))
    return out


# ============================================================================ comparisons & logic (no grad)

def _cmp(ufunc):
    def f(a, b):
        if not is_tensor(a):
            a = _as_tensor_like(a)
        x, y = operands(a, b)
        return _wrap(np.asarray(ufunc(x, y)))
    return f


def _as_tensor_like(x):
    from .creation import tensor
    return tensor(x)


eq = _cmp(np.equal)
ne = _cmp(np.not_equal)
lt = _cmp(np.less)
le = _cmp(np.less_equal)
gt = _cmp(np.greater)
ge = _cmp(np.greater_equal)


def _logical(ufunc):
    def f(a, b):
        x = a._data
        y = b._data if is_tensor(b) else b
        return _wrap(np.asarray(ufunc(x, y)))
    return f


logical_and = _logical(np.logical_and)
logical_or = _logical(np.logical_or)
logical_xor = _logical(np.logical_xor)


def logical_not(a):
    return _wrap(np.logical_not(a._data))


def _bitwise(ufunc, sym):
    def f(a, b):
        x, y = operands(a, b)
        if x.dtype.kind not in "biu":
            raise RuntimeError(f'"{ufunc.__name__}_cpu" not implemented for \'{D.from_numpy_dtype(x.dtype).name.capitalize()}\'')
        return _wrap(np.asarray(ufunc(x, y)))
    return f


bitwise_and = _bitwise(np.bitwise_and, "&")
bitwise_or = _bitwise(np.bitwise_or, "|")
bitwise_xor = _bitwise(np.bitwise_xor, "^")


def bitwise_not(a):
    x = a._data
    if x.dtype.kind == "b":
        return _wrap(np.logical_not(x))
    if x.dtype.kind not in "iu":
        raise RuntimeError(f'"bitwise_not_cpu" not implemented for \'{D.from_numpy_dtype(x.dtype).name.capitalize()}\'')
    return _wrap(np.invert(x))


def isnan(a):
    return _wrap(np.isnan(a._data) if a._data.dtype.kind in "fc" else np.zeros(a._data.shape, bool))


def isinf(a):
    return _wrap(np.isinf(a._data) if a._data.dtype.kind in "fc" else np.zeros(a._data.shape, bool))


def isfinite(a):
    return _wrap(np.isfinite(a._data) if a._data.dtype.kind in "fc" else np.ones(a._data.shape, bool))


def isposinf(a):
    return _wrap(np.isposinf(a._data) if a._data.dtype.kind == "f" else np.zeros(a._data.shape, bool))


def isneginf(a):
    return _wrap(np.isneginf(a._data) if a._data.dtype.kind == "f" else np.zeros(a._data.shape, bool))


def isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    x, y = operands(a, b)
    return _wrap(np.asarray(np.isclose(x, y, rtol=rtol, atol=atol, equal_nan=equal_nan)))


def allclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    x, y = operands(a, b)
    if a._data.dtype != (b._data.dtype if is_tensor(b) else a._data.dtype):
        raise RuntimeError(f"Float did not match Double" if False else
                           f"{D.from_numpy_dtype(a._data.dtype).name} did not match {D.from_numpy_dtype(b._data.dtype).name}")
    return builtins.bool(np.allclose(x, y, rtol=rtol, atol=atol, equal_nan=equal_nan))


def equal(a, b):
    """True when both tensors have the same shape and elements."""
    return a._data.shape == b._data.shape and builtins.bool(np.array_equal(a._data, b._data))


# ============================================================================ public functions

def add(input, other, *, alpha=1, out=None):
    if not is_tensor(input):
        input, other = other, input
    return _out(Add.apply(input, other, alpha=alpha) if alpha != 1 else Add.apply(input, other), out)


def sub(input, other, *, alpha=1, out=None):
    if not is_tensor(input):
        return _out(Rsub.apply(other, input, alpha=alpha), out)
    return _out(Sub.apply(input, other, alpha=alpha) if alpha != 1 else Sub.apply(input, other), out)


subtract = sub


def rsub(input, other, *, alpha=1):
    return Rsub.apply(input, other, alpha=alpha) if not is_tensor(other) else sub(other, input, alpha=alpha)


def mul(input, other, *, out=None):
    if not is_tensor(input):
        input, other = other, input
    return _out(Mul.apply(input, other), out)


multiply = mul


def div(input, other, *, rounding_mode=None, out=None):
    if not is_tensor(input):
        if rounding_mode is None:
            return _out(Rdiv.apply(other, input), out)
        input = _as_tensor_like(input)
    if rounding_mode is None:
        return _out(Div.apply(input, other), out)
    return _out(Div.apply(input, other, rounding_mode=rounding_mode), out)


divide = div
true_divide = div


def floor_divide(input, other, *, out=None):
    if not is_tensor(input):
        input = _as_tensor_like(input)
    return _out(Div.apply(input, other, rounding_mode="floor"), out)


def remainder(input, other, *, out=None):
    if not is_tensor(input):
        input = _as_tensor_like(input)
    return _out(Remainder.apply(input, other), out)


def fmod(input, other, *, out=None):
    return _out(Fmod.apply(input, other), out)


def pow(input, exponent, *, out=None):
    if not is_tensor(input):
        return _out(RPow.apply(exponent, input), out)
    if is_tensor(exponent):
        return _out(PowT.apply(input, exponent), out)
    if exponent == 2 and input._data.dtype.kind in "fc":
        return _out(Square.apply(input), out)
    return _out(Pow.apply(input, exponent), out)


def float_power(input, exponent):
    a = input.double() if is_tensor(input) else input
    e = exponent.double() if is_tensor(exponent) else exponent
    return pow(a, e)


def maximum(input, other, *, out=None):
    return _out(Maximum.apply(input, other), out)


def minimum(input, other, *, out=None):
    return _out(Minimum.apply(input, other), out)


fmax = maximum
fmin = minimum


def atan2(input, other, *, out=None):
    return _out(Atan2.apply(input, other), out)


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
    return _out(Lerp.apply(input, end, weight), out)


def clamp(input, min=None, max=None, *, out=None):
    return _out(Clamp.apply(input, min, max), out)


clip = clamp


def clamp_min(input, min):
    return Clamp.apply(input, min, None)


def clamp_max(input, max):
    return Clamp.apply(input, None, max)


def round(input, *, decimals=0, out=None):
    return _out(Round.apply(input, decimals=decimals) if decimals else Round.apply(input), out)


def _fn(cls):
    def f(input, *, out=None):
        return _out(cls.apply(input), out)
    f.__name__ = cls.__name__.lower()
    f.__doc__ = f"Elementwise {cls.__name__.lower()} of ``input`` (PyTorch's ``torch.{cls.__name__.lower()}``)."
    return f


neg = negative = _fn(Neg)
exp = _fn(Exp)
exp2 = _fn(Exp2)
expm1 = _fn(Expm1)
log = _fn(Log)
log2 = _fn(Log2)
log10 = _fn(Log10)
log1p = _fn(Log1p)
sqrt = _fn(Sqrt)
rsqrt = _fn(Rsqrt)
sin = _fn(Sin)
cos = _fn(Cos)
tan = _fn(Tan)
asin = arcsin = _fn(Asin)
acos = arccos = _fn(Acos)
atan = arctan = _fn(Atan)
sinh = _fn(Sinh)
cosh = _fn(Cosh)
tanh = _fn(Tanh)
sigmoid = _fn(Sigmoid)
reciprocal = _fn(Reciprocal)
square = _fn(Square)
abs = absolute = _fn(Abs)
sign = _fn(Sign)
floor = _fn(Floor)
ceil = _fn(Ceil)
trunc = fix = _fn(Trunc)
frac = _fn(Frac)
relu = _fn(Relu)


def sgn(input):
    return sign(input)


def signbit(input):
    return _wrap(np.signbit(input._data))


def nan_to_num(input, nan=0.0, posinf=None, neginf=None, *, out=None):
    x = input._data
    if x.dtype.kind not in "fc":
        return input.clone()
    r = np.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)
    return _out(_wrap(r), out)


def _out(res, out):
    """Honour an ``out=`` argument: copy into it (resizing like PyTorch) and return it."""
    if out is None:
        return res
    if res._requires_grad and out._requires_grad:
        raise RuntimeError("out=... arguments don't support automatic differentiation, but one of the arguments requires grad.")
    if out._data.shape != res._data.shape:
        out._data = np.empty(res._data.shape, dtype=out._data.dtype)
    if not D.can_cast(D.from_numpy_dtype(res._data.dtype), D.from_numpy_dtype(out._data.dtype)):
        raise RuntimeError(f"result type {_type_name(res._data.dtype)} can't be cast to the desired output type {_type_name(out._data.dtype)}")
    np.copyto(out._data, res._data, casting="unsafe")
    out._vc += 1
    return out


_TYPE_NAMES = {"float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long", "int32": "Int",
               "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool", "complex64": "ComplexFloat",
               "complex128": "ComplexDouble", "bfloat16": "BFloat16"}


def _type_name(np_dtype):
    """PyTorch's scalar type name (``Float``, ``Long`` ...) used in its error messages."""
    return _TYPE_NAMES[D.from_numpy_dtype(np_dtype).name]


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
