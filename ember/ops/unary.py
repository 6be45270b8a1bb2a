"""Unary math and activations (exp, log, trig, sigmoid, relu, rounding ...), forward beside backward."""
import builtins

import numpy as np
from numpy import ndarray

from .. import dtypes as D
from ..autograd.grad_mode import _state as _grad_state
from ._util import _wrap, is_tensor, py_scalar, result_np_dtype
from ._parallel import _MIN_ELEMENTS, elementwise
from .elementwise import Op, _check_broadcast, _fit_int, _fl, _not_implemented, zeros_scalar
from . import elementwise as _ew  # public wrappers, looked up at call time


# ============================================================================ unary math

class _ArrayMath:
    """NumPy spellings of the functions the backward formulas below call."""
    cos, sin, cosh, sinh, exp = np.cos, np.sin, np.cosh, np.sinh, np.exp

    @staticmethod
    def rsqrt(x):
        return 1 / np.sqrt(x)


class _TensorMath:
    """ember's (differentiable) spellings of the same functions."""

    def __getattr__(self, name):
        return getattr(_ew, name)


_A, _T = _ArrayMath(), _TensorMath()


def _unary(name, node, fwd, bwd, uses="input", floating=True, check=None, arrays=True, holomorphic=True):
    """Build a unary op class: ``fwd(array)``; ``bwd(m, g, x, out)``.

    NOTE [ one formula, two paths ]: ``bwd`` is written once with operators and ``m.<fn>``. With
    ``create_graph`` it runs on Tensors (``m`` = ember's functions), so it is differentiable; in a
    plain first-order backward it runs on the NumPy arrays (``m`` = NumPy) and builds no intermediate
    tensors. ``arrays=False`` keeps an op on the Tensor path (its formula calls ops of its own).
    ``holomorphic=False`` (abs, sgn): the formula handles complex inputs itself.
    ``check(array)`` raises PyTorch's error for dtypes the op does not support.
    """

    def forward(ctx, a):
        x = a._data
        if check is not None:
            check(x)
        if floating:
            x = _fl(x)
        # large inputs run on several cores (NOTE [ threads ] in _parallel.py)
        return fwd(x) if x.size < _MIN_ELEMENTS else elementwise(fwd, x)

    # NOTE [ complex grads ]: PyTorch's grad of a holomorphic f is g * conj(f'(z)); f' has real Taylor
    # coefficients for every op here, so conj(f'(z)) = f'(conj(z)): the same formula on conjugated x / out
    def cj(a):
        return a if not holomorphic or a.dtype.kind != "c" else np.conj(a)

    def cjt(t):
        return t if not holomorphic or t._data.dtype.kind != "c" else t.conj()

    if uses == "output":
        def backward(ctx, g):
            if arrays and not _grad_state.enabled:
                return _wrap_array(bwd(_A, g._data, None, cj(ctx._out)))
            return bwd(_T, g, None, cjt(ctx.saved_output()))
    elif uses == "none":
        def backward(ctx, g):
            if arrays and not _grad_state.enabled:
                return _wrap_array(bwd(_A, g._data, None, None))
            return bwd(_T, g, None, None)
    else:
        def backward(ctx, g):
            if arrays and not _grad_state.enabled:
                return _wrap_array(bwd(_A, g._data, cj(ctx.inputs[0]._data), None))
            return bwd(_T, g, cjt(ctx.inputs[0]), None)

    cls = type(name, (Op,), {
        "node_name": node, "forward": staticmethod(forward), "backward": staticmethod(backward),
        "saves": uses != "none", "check_inputs": (lambda needs: []) if uses != "input" else None,
        "__module__": __name__})
    return cls


def _wrap_array(r):
    return _wrap(r) if r.__class__ is ndarray else _wrap(np.asarray(r))  # 0-d math gives NumPy scalars


def _zero_grad(m, g, x, out):
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


Neg = _unary("Neg", "NegBackward0", np.negative, lambda m, g, x, o: -g, uses="none", floating=False, check=_neg_check)
Exp = _unary("Exp", "ExpBackward0", np.exp, lambda m, g, x, o: g * o, uses="output")
Exp2 = _unary("Exp2", "Exp2Backward0", np.exp2, lambda m, g, x, o: g * o * 0.6931471805599453, uses="output")
Expm1 = _unary("Expm1", "Expm1Backward0", np.expm1, lambda m, g, x, o: g * (o + 1), uses="output")
Log = _unary("Log", "LogBackward0", np.log, lambda m, g, x, o: g / x)
Log2 = _unary("Log2", "Log2Backward0", np.log2, lambda m, g, x, o: g / (x * 0.6931471805599453))
Log10 = _unary("Log10", "Log10Backward0", np.log10, lambda m, g, x, o: g / (x * 2.302585092994046))
Log1p = _unary("Log1p", "Log1PBackward0", np.log1p, lambda m, g, x, o: g / (x + 1))
Sqrt = _unary("Sqrt", "SqrtBackward0", np.sqrt, lambda m, g, x, o: g / (2 * o), uses="output")
Rsqrt = _unary("Rsqrt", "RsqrtBackward0", lambda x: 1 / np.sqrt(x), lambda m, g, x, o: -0.5 * g * o * o * o, uses="output")
Sin = _unary("Sin", "SinBackward0", np.sin, lambda m, g, x, o: g * m.cos(x))
Cos = _unary("Cos", "CosBackward0", np.cos, lambda m, g, x, o: -g * m.sin(x))
Tan = _unary("Tan", "TanBackward0", np.tan, lambda m, g, x, o: g * (1 + o * o), uses="output")
Asin = _unary("Asin", "AsinBackward0", np.arcsin, lambda m, g, x, o: g * m.rsqrt(1 - x * x))
Acos = _unary("Acos", "AcosBackward0", np.arccos, lambda m, g, x, o: -g * m.rsqrt(1 - x * x))
Atan = _unary("Atan", "AtanBackward0", np.arctan, lambda m, g, x, o: g / (1 + x * x))
Sinh = _unary("Sinh", "SinhBackward0", np.sinh, lambda m, g, x, o: g * m.cosh(x))
Cosh = _unary("Cosh", "CoshBackward0", np.cosh, lambda m, g, x, o: g * m.sinh(x))
Tanh = _unary("Tanh", "TanhBackward0", np.tanh, lambda m, g, x, o: TanhBackward.apply(g, o), uses="output",
               arrays=False)
Reciprocal = _unary("Reciprocal", "ReciprocalBackward0", np.reciprocal, lambda m, g, x, o: -g * o * o, uses="output")


def _square_np(x):
    return np.square(x.astype(np.int64) if x.dtype.kind == "b" else x)


def _square_bwd(m, g, x, o):
    # with create_graph, PyTorch's graph keeps x.pow(1): higher derivatives then still depend on x
    return g * (2 * x.pow(1)) if _grad_state.enabled else g * 2 * x


Square = _unary("Square", "PowBackward0", _square_np, _square_bwd, floating=False, arrays=False)


def _sigmoid_np(x):
    if x.dtype.kind == "c":
        return 1 / (1 + np.exp(-x))
    # exp of a negated magnitude never overflows
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e)).astype(x.dtype, copy=False)


Sigmoid = _unary("Sigmoid", "SigmoidBackward0", _sigmoid_np, lambda m, g, x, o: SigmoidBackward.apply(g, o),
                 uses="output", arrays=False)


# ---------------------------------------------------------------------------- activation grads as ops
# NOTE [ activation backward ops ]: tanh's, sigmoid's and relu's grads are each one op of (grad, output),
# PyTorch's tanh_backward / sigmoid_backward / threshold_backward: one NumPy expression at first order
# (no intermediate tensors), and their own backward (below each) gives the second derivative, under
# PyTorch's node names (``g.grad_fn`` is TanhBackwardBackward0 after ``grad(..., create_graph=True)``).

class TanhBackward(Op):
    """``g * (1 - y^2)`` for ``y = tanh(x)``."""
    node_name = "TanhBackwardBackward0"

    @staticmethod
    def forward(ctx, g, y):
        o = y._data
        return g._data * (1 - o * o)

    @staticmethod
    def backward(ctx, gg):
        g, y = ctx.inputs
        n = ctx.needs_input_grad
        # conj: complex grads are g * conj(derivative) (NOTE [ complex grads ]); conj() is a no-op for reals
        return (TanhBackward.apply(gg, y.conj()) if n[0] else None), (gg * (y * g * -2).conj() if n[1] else None)


class SigmoidBackward(Op):
    """``g * y * (1 - y)`` for ``y = sigmoid(x)``."""
    node_name = "SigmoidBackwardBackward0"

    @staticmethod
    def forward(ctx, g, y):
        o = y._data
        return g._data * o * (1 - o)

    @staticmethod
    def backward(ctx, gg):
        g, y = ctx.inputs
        n = ctx.needs_input_grad
        return (SigmoidBackward.apply(gg, y.conj()) if n[0] else None), \
            (gg * (g * (1 - 2 * y)).conj() if n[1] else None)


class ThresholdBackward(Op):
    """relu's grad: ``g`` where ``y = relu(x) > 0``, else 0. Its grad w.r.t. ``y`` is zero (but defined)."""
    node_name = "ThresholdBackwardBackward0"

    @staticmethod
    def forward(ctx, g, y):
        gd = g._data
        return np.where(y._data > 0, gd, np.zeros((), gd.dtype))

    @staticmethod
    def backward(ctx, gg):
        g, y = ctx.inputs
        n = ctx.needs_input_grad
        return (ThresholdBackward.apply(gg, y) if n[0] else None), \
            (_wrap(np.zeros(y._data.shape, gg._data.dtype)) if n[1] else None)


def _sign_np(x):
    k = x.dtype.kind
    if k == "b":
        return x.copy()
    if k == "f":  # PyTorch: (0 < x) - (x < 0), so sign(nan) is 0
        return np.subtract(x > 0, x < 0, dtype=x.dtype)
    return np.sign(x)


def _keep_int(f):
    return lambda x: f(x) if x.dtype.kind in "fc" else x.copy()


Abs = _unary("Abs", "AbsBackward0", np.abs, lambda m, g, x, o: g * x.sgn(), floating=False, check=_no_bool("abs_cpu"),
            arrays=False, holomorphic=False)
Sign = _unary("Sign", "SignBackward0", _sign_np, _zero_grad, uses="none", floating=False)
def _sgn_bwd(m, g, x, o):
    if x._data.dtype.kind != "c":
        return g * 0
    # s = z/|z|: PyTorch's (conjugate Wirtinger) grad is (g - s^2 conj(g)) / (2|z|), and 0 where z == 0
    s = x.sgn()
    a = x.abs()
    d = (g - s * s * g.conj()) / (2 * a)
    return _ew.where(a == 0, zeros_scalar(d), d)


Sgn = _unary("Sgn", "SgnBackward0", _sign_np, _sgn_bwd, floating=False, arrays=False, holomorphic=False)
Floor = _unary("Floor", "FloorBackward0", _keep_int(np.floor), _zero_grad, uses="none", floating=False,
               check=_no_bool("floor_vml_cpu"))
Ceil = _unary("Ceil", "CeilBackward0", _keep_int(np.ceil), _zero_grad, uses="none", floating=False,
              check=_no_bool("ceil_vml_cpu"))
Trunc = _unary("Trunc", "TruncBackward0", _keep_int(np.trunc), _zero_grad, uses="none", floating=False,
               check=_no_bool("trunc_vml_cpu"))
Frac = _unary("Frac", "FracBackward0", lambda x: x - np.trunc(x), lambda m, g, x, o: g, uses="none",
              check=_float_only("frac_cpu"))


def _relu_check(x):
    if x.dtype.kind == "b":
        raise RuntimeError("Boolean inputs not supported for relu")


def _relu_np(x):
    return np.maximum(x, 0, dtype=x.dtype)


def _relu_bwd(m, g, x, o):
    if m is _A:  # first order: PyTorch's threshold_backward on the arrays (0 where out <= 0, even for inf grads)
        return np.where(o > 0, g, g.dtype.type(0))
    return ThresholdBackward.apply(g, o)


Relu = _unary("Relu", "ReluBackward0", _relu_np, _relu_bwd, uses="output", floating=False, check=_relu_check)


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
        return _ew.where(ctx.inputs[0].isfinite(), g, zeros_scalar(g))


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
        return _ew.where(m, g, zeros_scalar(g))


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
            ga = _ew.where((a >= lo) & (a <= hi), g, z)
            if n[1]:
                glo = _ew.where((a < lo) & (lo < hi), g, z)
            if n[2]:
                ghi = _ew.where((a > hi) | (hi < lo), g, z)
        elif lo is not None:
            ga = _ew.where(a >= lo, g, z)
            glo = _ew.where(a < lo, g, z) if n[1] else None
        else:
            ga = _ew.where(a <= hi, g, z)
            ghi = _ew.where(a > hi, g, z) if n[2] else None
        return ga, glo, ghi


class ClampMinT(ClampT):
    node_name = "ClampMinBackward1"


class ClampMaxT(ClampT):
    node_name = "ClampMaxBackward1"


def _clamp_args_error(name, lo, hi):
    def tn(v):
        return "NoneType" if v is None else ("Tensor" if is_tensor(v) else type(v).__name__)
    raise TypeError(f"{name}() received an invalid combination of arguments - got (Tensor, {tn(lo)}, {tn(hi)})")


# ============================================================================ complex parts
# ``real``/``imag`` are views of a complex tensor (PyTorch records SelectBackward0: they are selects of
# ``view_as_real``); ``conj`` is a copy here (PyTorch's is a lazy view; values and grads are the same).

class _ComplexPart(Op):
    node_name = "SelectBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, part):
        ctx.part, ctx.cdtype = part, a._data.dtype
        return a._data.real if part == "real" else a._data.imag

    @staticmethod
    def backward(ctx, g):
        if not _grad_state.enabled:  # first order, on the array
            out = np.zeros(g._data.shape, ctx.cdtype)
            if ctx.part == "real":
                out.real = g._data
            else:
                out.imag = g._data
            return _wrap(out)
        gc = g.to(D._from_np[ctx.cdtype])
        return gc if ctx.part == "real" else gc * 1j


class Conj(Op):
    node_name = "ConjBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a):
        return np.conj(a._data)

    @staticmethod
    def backward(ctx, g):
        return _wrap(np.conj(g._data)) if not _grad_state.enabled else Conj.apply(g)


def real(input):
    """The real part: ``input`` itself for a real tensor, else a view of the real parts."""
    if input._data.dtype.kind != "c":
        return input
    from .shape import _as_view
    return _as_view(_ComplexPart.apply(input, "real"), input)


def imag(input):
    """A view of the imaginary parts of a complex tensor."""
    if input._data.dtype.kind != "c":
        raise RuntimeError("imag is not implemented for tensors with non-complex dtypes.")
    from .shape import _as_view
    return _as_view(_ComplexPart.apply(input, "imag"), input)


def conj(input):
    """The complex conjugate (``input`` itself for a real tensor)."""
    return input if input._data.dtype.kind != "c" else Conj.apply(input)
