"""``torch.nn.functional``'s activations (elu, gelu, softplus, hardtanh, glu, prelu, rrelu ...), forward beside
backward.

NOTE [ activation grad ops ]: as for tanh/sigmoid/relu in unary.py, each activation's grad is an op of its
own, ``(grad, input) -> grad * f'(input)``, under PyTorch's node name (``EluBackwardBackward0``). In a plain
first-order backward the forward op's backward runs the NumPy formula directly (no node, no intermediate
tensors); with ``create_graph`` it applies the grad op, whose backward gives the second derivative:
w.r.t. the incoming grad it is the grad op again (the grad is linear in it), w.r.t. the input it is
``gg * grad * f''(input)``, written with ember ops so third and higher derivatives work too.
Ops that PyTorch differentiates as a composition in double backward (silu, mish) use a Tensor formula
there instead, giving the same graph; softsign, tanhshrink and softmin are compositions outright.
"""
import math

import numpy as np

from . import _special_math as K
from ..autograd.grad_mode import _state as _grad_state
from ._util import _wrap, is_tensor, norm_dim
from .elementwise import Op, _not_implemented, _type_name, zeros_scalar
from . import elementwise as _ew
from .unary import _sigmoid_np

_SQRT1_2 = 1 / math.sqrt(2)
_INV_SQRT_2PI = 1 / math.sqrt(2 * math.pi)
_SQRT_2_OVER_PI = math.sqrt(2 / math.pi)
_GELU_C = 0.044715
_SIXTH_F32 = float(np.float32(1) / np.float32(6))
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def _zeros_like(t, dtype_of):
    return _wrap(np.zeros(t._data.shape, dtype_of._data.dtype))


def _float_check(kernel):
    """PyTorch's error for the integer/bool/complex inputs a floating-point-only kernel refuses."""
    def check(x):
        if x.dtype.kind != "f":
            raise _not_implemented(kernel, x.dtype)
    return check


# ============================================================================ the pattern

def _pointwise(node, f, bwd, bwd2=None, check=None, grad_cls=None, tensor_bwd=None):
    """The forward op and its grad op for an activation (NOTE [ activation grad ops ]).

    ``f(x, **kw)`` and ``bwd(g, x, **kw)`` (= ``g * f'(x)``) run on NumPy arrays; ``bwd2(gg, g, x, **kw)`` on
    Tensors gives the grad op's grad w.r.t. ``x`` (None: zero almost everywhere). ``grad_cls`` shares an
    existing grad op (celu's is elu's, as in PyTorch); ``tensor_bwd(g, x, **kw)`` replaces the grad op by a
    composition of ember ops under ``create_graph``.
    """
    if grad_cls is None and tensor_bwd is None:
        class Grad(Op):
            node_name = node.replace("Backward0", "BackwardBackward0")

            @staticmethod
            def forward(ctx, g, x, **kw):
                ctx.kw = kw
                return bwd(g._data, x._data, **kw)

            @staticmethod
            def backward(ctx, gg):
                g, x = ctx.inputs
                n = ctx.needs_input_grad
                gg_g = Grad.apply(gg, x, **ctx.kw) if n[0] else None
                gg_x = None
                if n[1]:
                    gg_x = bwd2(gg, g, x, **ctx.kw) if bwd2 is not None else _zeros_like(x, gg)
                return gg_g, gg_x
        grad_cls = Grad

    class Fwd(Op):
        node_name = node

        @staticmethod
        def forward(ctx, a, **kw):
            x = a._data
            if check is not None:
                check(x)
            ctx.kw = kw
            return f(x, **kw)

        @staticmethod
        def backward(ctx, g):
            x = ctx.inputs[0]
            if not _grad_state.enabled:
                return _wrap(bwd(g._data, x._data, **ctx.kw))
            if tensor_bwd is not None:
                return tensor_bwd(g, x, **ctx.kw)
            return ctx._fn.grad_cls.apply(g, x, **ctx.kw)

    Fwd.grad_cls = grad_cls
    return Fwd


def _renamed(cls, node):
    """The same op under another node name (PyTorch's in-place variants: ``EluBackward1``)."""
    return type(node, (cls,), {"node_name": node, "__module__": __name__})


def _maybe_inplace(input, res, inplace):
    return input._inplace(res) if inplace else res


def _like(x, v):
    """A Python scalar in an integer array's dtype the way PyTorch casts it (truncation); as is for floats."""
    return int(v) if x.dtype.kind in "iu" else v


# ============================================================================ threshold, hardtanh, relu6

def _threshold_check(x):
    if x.dtype.kind == "c":
        raise _not_implemented("threshold_cpu", x.dtype)


Threshold = _pointwise(
    "ThresholdBackward0",
    lambda x, threshold, value: np.where(x <= _like(x, threshold), np.asarray(_like(x, value), x.dtype), x),
    lambda g, x, threshold, value: np.where(x <= threshold, np.zeros((), g.dtype), g),
    check=_threshold_check)
ThresholdInplace = _renamed(Threshold, "ThresholdBackward1")


def _hardtanh_check(x):
    if x.dtype.kind == "b":
        raise RuntimeError("Bool inputs not supported for hardtanh")
    if x.dtype.kind == "c":
        raise _not_implemented("hardtanh_cpu", x.dtype)


def _hardtanh_np(x, min_val, max_val):
    lo, hi = _like(x, min_val), _like(x, max_val)
    return np.minimum(np.maximum(x, np.asarray(lo, x.dtype)), np.asarray(hi, x.dtype))


Hardtanh = _pointwise(
    "HardtanhBackward0", _hardtanh_np,
    # PyTorch's hardtanh_backward: 0 where x <= min or x >= max (a NaN input passes its grad)
    lambda g, x, min_val, max_val: np.where((x <= min_val) | (x >= max_val), np.zeros((), g.dtype), g),
    check=_hardtanh_check)


# ============================================================================ leaky relu, elu family

LeakyRelu = _pointwise(
    "LeakyReluBackward0",
    lambda x, negative_slope: np.where(x > 0, x, x * negative_slope),
    lambda g, x, negative_slope: np.where(x > 0, g, g * negative_slope),
    check=_float_check("leaky_relu_cpu"))


class LeakyReluInplace(LeakyRelu):
    node_name = "LeakyReluBackward1"

    @staticmethod
    def backward(ctx, g):
        if ctx.kw["negative_slope"] < 0:
            raise RuntimeError(
                "In-place leakyReLu backward calculation is triggered with a negative slope which is not "
                "supported. This is caused by calling in-place forward function with a negative slope, please "
                "call out-of-place version instead. File an issue at https://github.com/pytorch/pytorch if you "
                "do require supporting in-place leakRelu backward calculation with negative slope")
        return LeakyRelu.backward(ctx, g)


def _elu_np(x, alpha, scale, input_scale):
    # expm1 of the non-positive part only: the positive side never overflows
    neg = np.expm1(np.minimum(x, 0) * input_scale) * (alpha * scale)
    return np.where(x > 0, x * scale, neg)


def _elu_bwd(g, x, alpha, scale, input_scale):
    neg = g * (alpha * scale * input_scale) * np.exp(np.minimum(x, 0) * input_scale)
    return np.where(x > 0, g * scale, neg)


def _elu_bwd2(gg, g, x, alpha, scale, input_scale):
    c = alpha * scale * input_scale * input_scale
    return _ew.where(x > 0, zeros_scalar(gg), gg * g * ((x.clamp(max=0) * input_scale).exp() * c))


Elu = _pointwise("EluBackward0", _elu_np, _elu_bwd, _elu_bwd2, check=_float_check("elu_cpu"))
EluInplace = _renamed(Elu, "EluBackward1")
Celu = _pointwise("CeluBackward0", _elu_np, _elu_bwd, check=_float_check("elu_cpu"), grad_cls=Elu.grad_cls)
CeluInplace = _renamed(Celu, "CeluBackward1")


# ============================================================================ gelu

# Eigen's float erf: an odd/even rational function on [-4, 4], within 5e-7 of erf (a few float32 ulps)
_ERF_P = (-2.72614225801306e-10, 2.77068142495902e-08, -2.10102402082508e-06, -5.69250639462346e-05,
          -7.34990630326855e-04, -2.95459980854025e-03, -1.60960333262415e-02)
_ERF_Q = (-1.45660718464996e-05, -2.13374055278905e-04, -1.68282697438203e-03, -7.37332916720468e-03,
          -1.42647390514189e-02)


def _erf(x):
    """erf in ``x``'s dtype: float64 through the exact kernel, lower precisions through the ~10x faster
    rational approximation (NOTE: the float64 kernel's series costs ~0.5 us per element)."""
    if x.dtype == np.float64:
        return K.erf(x)
    c = np.clip(x, -4, 4)
    c2 = c * c
    p, q = np.zeros_like(c2), np.zeros_like(c2)
    for k in _ERF_P:
        p = p * c2 + x.dtype.type(k)
    for k in _ERF_Q:
        q = q * c2 + x.dtype.type(k)
    return np.where(np.isnan(x), x, c * p / q)


def _gelu_np(x, approximate):
    if approximate == "tanh":
        inner = _SQRT_2_OVER_PI * (x + _GELU_C * x * x * x)
        return 0.5 * x * (1 + np.tanh(inner))
    return 0.5 * x * (1 + _erf(x * _SQRT1_2))


def _gelu_bwd(g, x, approximate):
    if approximate == "tanh":
        x2 = x * x
        t = np.tanh(_SQRT_2_OVER_PI * (x + _GELU_C * x2 * x))
        dinner = _SQRT_2_OVER_PI * (1 + 3 * _GELU_C * x2)
        return g * (0.5 * (1 + t) + 0.5 * x * (1 - t * t) * dinner)
    cdf = 0.5 * (1 + _erf(x * _SQRT1_2))
    pdf = np.exp(-0.5 * x * x) * _INV_SQRT_2PI
    return g * (cdf + x * pdf)


def _gelu_bwd2(gg, g, x, approximate):
    if approximate == "tanh":
        x2 = x * x
        t = (_SQRT_2_OVER_PI * (x + _GELU_C * x2 * x)).tanh()
        dinner = _SQRT_2_OVER_PI * (1 + 3 * _GELU_C * x2)
        dt = (1 - t * t) * dinner
        # d/dx [0.5 (1 + t) + 0.5 x dt], dt' = -2 t dt inner' + (1 - t^2) inner''
        d2 = dt + 0.5 * x * (-2 * t * dt * dinner + (1 - t * t) * (6 * _SQRT_2_OVER_PI * _GELU_C) * x)
        return gg * g * d2
    pdf = (-0.5 * x * x).exp() * _INV_SQRT_2PI
    return gg * g * (pdf * (2 - x * x))


Gelu = _pointwise("GeluBackward0", _gelu_np, _gelu_bwd, _gelu_bwd2, check=_float_check("GeluKernelImpl"))


# ============================================================================ silu, mish, hardswish, hardsigmoid

def _silu_bwd(g, x):
    s = _sigmoid_np(x)
    return g * s * (1 + x * (1 - s))


def _silu_tensor_bwd(g, x):
    s = x.sigmoid()
    return (g * s) * (1 + x * (1 - s))  # PyTorch's silu_backward as it differentiates it


Silu = _pointwise("SiluBackward0", lambda x: x * _sigmoid_np(x), _silu_bwd, check=_float_check("silu_cpu"),
                  tensor_bwd=_silu_tensor_bwd)


def _mish_bwd(g, x):
    t = np.tanh(np.log1p(np.exp(x)))
    return g * (t + x * _sigmoid_np(x) * (1 - t * t))


def _mish_tensor_bwd(g, x):
    t = softplus(x).tanh()
    return g * (t + x * x.sigmoid() * (1 - t * t))


Mish = _pointwise("MishBackward0", lambda x: x * np.tanh(np.log1p(np.exp(x))), _mish_bwd,
                  check=_float_check("mish_cpu"), tensor_bwd=_mish_tensor_bwd)


def _hardswish_bwd(g, x):
    z = np.zeros((), g.dtype)
    return np.where(x < -3, z, np.where(x <= 3, g * (x / 3 + 0.5), g))


def _hardswish_bwd2(gg, g, x):
    return _ew.where((x > -3) & (x < 3), gg * g / 3, zeros_scalar(gg))


Hardswish = _pointwise("HardswishBackward0", lambda x: x * np.minimum(np.maximum(x + 3, 0), 6) / 6,
                       _hardswish_bwd, _hardswish_bwd2, check=_float_check("hardswish_cpu"))


Hardsigmoid = _pointwise(
    "HardsigmoidBackward0", lambda x: np.minimum(np.maximum(x + 3, 0), 6) / 6,
    # PyTorch's kernel multiplies by 1/6 rounded to float32, whatever the dtype
    lambda g, x: np.where((x > -3) & (x < 3), g * _SIXTH_F32, np.zeros((), g.dtype)),
    check=_float_check("hardsigmoid_cpu"))


def _not_implemented_backward(ctx, gg):
    raise RuntimeError("derivative for aten::hardsigmoid_backward is not implemented")


# PyTorch has no double backward for hardsigmoid: its grad's node is NotImplemented, which raises when reached
Hardsigmoid.grad_cls = type("HardsigmoidGrad", (Hardsigmoid.grad_cls,), {
    "node_name": "HardsigmoidBackwardBackward0", "backward": staticmethod(_not_implemented_backward),
    "__module__": __name__})
Hardsigmoid.grad_cls._node_cls.name = lambda self: "torch::autograd::NotImplemented"


# ============================================================================ softplus, logsigmoid, shrinks

def _softplus_np(x, beta, threshold):
    z = x * beta
    return np.where(z > threshold, x, np.log1p(np.exp(z)) / beta)


def _softplus_bwd(g, x, beta, threshold):
    z = np.exp(x * beta)
    return np.where(x * beta > threshold, g, g * z / (z + 1))


def _softplus_bwd2(gg, g, x, beta, threshold):
    s = (x * beta).sigmoid()
    return _ew.where(x * beta > threshold, zeros_scalar(gg), gg * g * (beta * s * (1 - s)))


Softplus = _pointwise("SoftplusBackward0", _softplus_np, _softplus_bwd, _softplus_bwd2,
                      check=_float_check("softplus_cpu"))


def _logsigmoid_np(x):
    return np.minimum(x, 0) - np.log1p(np.exp(-np.abs(x)))


def _logsigmoid_bwd2(gg, g, x):
    s = x.sigmoid()
    return -(gg * g * (s * (1 - s)))


LogSigmoid = _pointwise("LogSigmoidBackward0", _logsigmoid_np, lambda g, x: g * _sigmoid_np(-x), _logsigmoid_bwd2,
                        check=_float_check("log_sigmoid_cpu"))


def _inside(x, lambd):
    return (x >= -lambd) & (x <= lambd)


def _softshrink_np(x, lambd):
    return np.where(x > lambd, x - lambd, np.where(x < -lambd, x + lambd, np.zeros((), x.dtype)))


Softshrink = _pointwise("SoftshrinkBackward0", _softshrink_np,
                        lambda g, x, lambd: np.where(_inside(x, lambd), np.zeros((), g.dtype), g),
                        check=_float_check("softshrink_check"))
Hardshrink = _pointwise("HardshrinkBackward0",
                        lambda x, lambd: np.where(_inside(x, lambd), np.zeros((), x.dtype), x),
                        lambda g, x, lambd: np.where(_inside(x, lambd), np.zeros((), g.dtype), g),
                        check=_float_check("hardshrink_cpu"))


# ============================================================================ rrelu

class RreluWithNoise(Op):
    """Randomized leaky relu: ``x * a`` for ``x <= 0`` with ``a ~ U(lower, upper)`` per element when training,
    ``a = (lower + upper) / 2`` otherwise. The drawn slopes (PyTorch's ``noise``) drive the backward."""
    node_name = "RreluWithNoiseBackward0"

    @staticmethod
    def forward(ctx, a, lower, upper, training, generator):
        x = a._data
        if not training:
            _float_check("leaky_relu_cpu")(x)
            slope = (lower + upper) / 2
            ctx.kw = {"negative_slope": slope}
            return np.where(x > 0, x, x * slope)
        _float_check("rrelu_with_noise_out_cpu")(x)
        from .. import random as R
        neg = x <= 0
        # one double-precision draw per non-positive element, in order, as PyTorch's kernel does
        r = R.uniform(R._gen(generator), (int(neg.sum()),), lower, upper, np.float64)
        noise = np.ones(x.shape, x.dtype)
        noise[neg] = r.astype(x.dtype)
        ctx.kw = {"noise": noise}
        return x * noise

    @staticmethod
    def backward(ctx, g):
        x = ctx.inputs[0]
        kw = ctx.kw
        if "noise" in kw:
            noise = _wrap(kw["noise"])
            return g * noise
        if not _grad_state.enabled:
            return _wrap(np.where(x._data > 0, g._data, g._data * kw["negative_slope"]))
        return RreluGrad.apply(g, x, **kw)


RreluGrad = type("RreluGrad", (LeakyRelu.grad_cls,), {"node_name": "RreluWithNoiseBackwardBackward0",
                                                       "__module__": __name__})
RreluWithNoiseInplace = _renamed(RreluWithNoise, "RreluWithNoiseBackward1")


# ============================================================================ glu

class Glu(Op):
    """``a * sigmoid(b)`` for the two halves ``a, b`` of ``input`` along ``dim``."""
    node_name = "GluBackward0"

    @staticmethod
    def forward(ctx, t, dim):
        x = t._data
        _float_check("glu_cpu")(x)
        ctx.dim = dim
        a, b = np.split(x, 2, axis=dim)
        return a * _sigmoid_np(b)

    @staticmethod
    def backward(ctx, g):
        x = ctx.inputs[0]
        if not _grad_state.enabled:
            return _wrap(_glu_bwd(g._data, x._data, ctx.dim))
        return GluGrad.apply(g, x, dim=ctx.dim)


def _glu_bwd(g, x, dim):
    a, b = np.split(x, 2, axis=dim)
    s = _sigmoid_np(b)
    ga = g * s
    return np.concatenate([ga, ga * a * (1 - s)], axis=dim)


class GluGrad(Op):
    node_name = "GluBackwardBackward0"

    @staticmethod
    def forward(ctx, g, x, dim):
        ctx.dim = dim
        return _glu_bwd(g._data, x._data, dim)

    @staticmethod
    def backward(ctx, gg):
        g, x = ctx.inputs
        d = ctx.dim
        n = ctx.needs_input_grad
        a, b = x.chunk(2, d)
        gga, ggb = gg.chunk(2, d)
        s = b.sigmoid()
        ds = s * (1 - s)
        gg_g = gga * s + ggb * a * ds if n[0] else None
        gg_x = None
        if n[1]:
            from .shape import cat
            gg_x = cat([ggb * g * ds, gga * g * ds + ggb * g * a * ds * (1 - 2 * s)], d)
        return gg_g, gg_x


# ============================================================================ prelu

class PreluKernel(Op):
    """``x`` where positive, else ``weight * x`` (``weight`` already shaped to broadcast against ``x``)."""
    node_name = "PreluKernelBackward0"

    @staticmethod
    def forward(ctx, a, w):
        x, wd = a._data, w._data
        return np.where(x > 0, x, wd * x)

    @staticmethod
    def backward(ctx, g):
        x, w = ctx.inputs
        if not _grad_state.enabled:
            gx, gw = _prelu_bwd(g._data, x._data, w._data)
            return _wrap(gx), _wrap(gw)
        return PreluKernelGrad.apply(g, x, w)


def _prelu_bwd(g, x, w):
    pos = x > 0
    z = np.zeros((), g.dtype)
    return np.where(pos, g, w * g), np.where(pos, z, x * g)


class PreluKernelGrad(Op):
    node_name = "PreluKernelBackwardBackward0"

    @staticmethod
    def forward(ctx, g, x, w):
        return _prelu_bwd(g._data, x._data, w._data)

    @staticmethod
    def backward(ctx, ggx, ggw):
        g, x, w = ctx.inputs
        n = ctx.needs_input_grad
        pos = x > 0
        z = zeros_scalar(g)
        if ggx is None:
            ggx = _zeros_like(g, g)
        if ggw is None:
            ggw = _zeros_like(g, g)
        gg_g = _ew.where(pos, ggx, ggx * w + ggw * x) if n[0] else None
        gg_x = _ew.where(pos, z, ggw * g) if n[1] else None
        gg_w = _ew.where(pos, z, ggx * g) if n[2] else None
        return gg_g, gg_x, gg_w


# ============================================================================ public functions

def threshold(input, threshold, value, inplace=False):
    """``value`` where ``input <= threshold``, else ``input``."""
    if inplace:
        return input._inplace(ThresholdInplace.apply(input, threshold=threshold, value=value))
    return Threshold.apply(input, threshold=threshold, value=value)


def threshold_(input, threshold, value):
    return input._inplace(ThresholdInplace.apply(input, threshold=threshold, value=value))


def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False):
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    return _maybe_inplace(input, Hardtanh.apply(input, min_val=min_val, max_val=max_val), inplace)


def hardtanh_(input, min_val=-1.0, max_val=1.0):
    return hardtanh(input, min_val, max_val, inplace=True)


def relu6(input, inplace=False):
    return _maybe_inplace(input, Hardtanh.apply(input, min_val=0.0, max_val=6.0), inplace)


def leaky_relu(input, negative_slope=0.01, inplace=False):
    if inplace:
        return input._inplace(LeakyReluInplace.apply(input, negative_slope=negative_slope))
    return LeakyRelu.apply(input, negative_slope=negative_slope)


def leaky_relu_(input, negative_slope=0.01):
    return leaky_relu(input, negative_slope, inplace=True)


def elu(input, alpha=1.0, inplace=False):
    op = EluInplace if inplace else Elu
    return _maybe_inplace(input, op.apply(input, alpha=alpha, scale=1.0, input_scale=1.0), inplace)


def elu_(input, alpha=1.0):
    return elu(input, alpha, inplace=True)


def selu(input, inplace=False):
    op = EluInplace if inplace else Elu
    return _maybe_inplace(input, op.apply(input, alpha=SELU_ALPHA, scale=SELU_SCALE, input_scale=1.0), inplace)


def selu_(input):
    return selu(input, inplace=True)


def celu(input, alpha=1.0, inplace=False):
    if alpha == 0:
        raise RuntimeError("ZeroDivisionError: alpha cannot be 0 for CELU")
    op = CeluInplace if inplace else Celu
    return _maybe_inplace(input, op.apply(input, alpha=alpha, scale=1.0, input_scale=1.0 / alpha), inplace)


def celu_(input, alpha=1.0):
    return celu(input, alpha, inplace=True)


def gelu(input, *, approximate="none"):
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    return Gelu.apply(input, approximate=approximate)


def silu(input, inplace=False):
    return _maybe_inplace(input, Silu.apply(input), inplace)


def mish(input, inplace=False):
    return _maybe_inplace(input, Mish.apply(input), inplace)


def hardswish(input, inplace=False):
    return _maybe_inplace(input, Hardswish.apply(input), inplace)


def hardsigmoid(input, inplace=False):
    return _maybe_inplace(input, Hardsigmoid.apply(input), inplace)


def softplus(input, beta=1.0, threshold=20.0):
    return Softplus.apply(input, beta=beta, threshold=threshold)


def logsigmoid(input):
    return LogSigmoid.apply(input)


def softshrink(input, lambd=0.5):
    x = input._data
    _float_check("softshrink_check")(x)
    hi = float(np.finfo(x.dtype).max)
    if not 0 <= lambd <= hi:
        raise RuntimeError(f"lambda must be in range [0, {hi:g}] for input dtype {_type_name(x.dtype)}, but found "
                           f"{lambd:g}")
    return Softshrink.apply(input, lambd=lambd)


def hardshrink(input, lambd=0.5):
    return Hardshrink.apply(input, lambd=lambd)


def softsign(input):
    return input / (input.abs() + 1)


def tanhshrink(input):
    return input - input.tanh()


def glu(input, dim=-1):
    if input._data.ndim == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    d = norm_dim(dim, input._data.ndim)
    n = input._data.shape[d]
    if n % 2:
        raise RuntimeError(f"Halving dimension must be even, but dimension {d} is size {n}")
    return Glu.apply(input, dim=d)


def rrelu(input, lower=1.0 / 8, upper=1.0 / 3, training=False, inplace=False, *, generator=None):
    if lower > upper:
        raise RuntimeError("Lower bound should be less than or equal to the upper bound")
    op = RreluWithNoiseInplace if inplace else RreluWithNoise
    return _maybe_inplace(input, op.apply(input, lower=lower, upper=upper, training=training, generator=generator),
                          inplace)


def rrelu_(input, lower=1.0 / 8, upper=1.0 / 3, training=False, *, generator=None):
    return rrelu(input, lower, upper, training, inplace=True, generator=generator)


def prelu(input, weight):
    """``max(0, x) + weight * min(0, x)``; a 1-D ``weight`` has one slope per channel (dim 1)."""
    if not is_tensor(weight):
        raise TypeError(f"prelu(): argument 'weight' (position 2) must be Tensor, not {type(weight).__name__}")
    x, w = input._data, weight._data
    if w.ndim > 1:
        raise RuntimeError(f"prelu: Expected `weight` to be a scalar or 1D tensor, but got: ndim = {w.ndim}")
    if x.dtype != w.dtype:
        raise RuntimeError(f"prelu: Type promoting not supported. Got {_type_name(x.dtype)} and {_type_name(w.dtype)}")
    channels = x.shape[1] if x.ndim >= 2 else 1
    if w.size != 1 and w.size != channels:
        raise RuntimeError(f"Mismatch of parameter numbers and input channel size. Found parameter numbers = {w.size} "
                           f"and channel size = {channels}.")
    _float_check("prelu_cpu")(x)
    if x.ndim >= 2 and w.ndim == 1 and w.size > 1:
        weight = weight.reshape((w.size,) + (1,) * (x.ndim - 2))
    elif x.ndim == 0 and w.ndim == 1:
        weight = weight.reshape(())
    return PreluKernel.apply(input, weight)


def softmin(input, dim=None, _stacklevel=3, dtype=None):
    if dim is None:
        import warnings
        warnings.warn("Implicit dimension choice for softmin has been deprecated. Change the call to include dim=X "
                      "as an argument.", stacklevel=_stacklevel - 1)
        dim = 0 if input._data.ndim in (0, 1, 3) else 1
    return (-input).softmax(dim) if dtype is None else (-input).softmax(dim, dtype=dtype)
