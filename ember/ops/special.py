"""Special functions and the less common elementwise ops, forward beside backward.

Unary: erf, erfc, erfinv, lgamma, digamma, polygamma, sinc, deg2rad, rad2deg, asinh, acosh, atanh, logit.
Binary/ternary: xlogy, hypot, logaddexp, logaddexp2, copysign, heaviside, addcmul, addcdiv.
The special-function kernels are in ``_special_math`` (vectorised NumPy, float64 inside).
"""
import math

import numpy as np

from . import _special_math as K
from ._util import _wrap, float_np, is_tensor, operands, result_np_dtype
from .elementwise import Op, _check_broadcast, _need_tensor, _not_implemented, _out, zeros_scalar
from . import elementwise as _ew
from .unary import _unary

_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)
_HALF_SQRT_PI = 0.5 * math.sqrt(math.pi)


def _k(kernel):
    """A float64 kernel run in the input's own float dtype."""
    def f(x):
        r = kernel(x)
        return r.astype(x.dtype, copy=False) if r.dtype != x.dtype else r
    return f


def _real_only(kernel):
    def check(x):
        if x.dtype.kind == "c":
            raise _not_implemented(kernel, x.dtype)
    return check


Erf = _unary("Erf", "ErfBackward0", _k(K.erf), lambda m, g, x, o: g * (_TWO_OVER_SQRT_PI * m.exp(-x * x)),
             check=_real_only("erf_vml_cpu"))
Erfc = _unary("Erfc", "ErfcBackward0", _k(K.erfc), lambda m, g, x, o: g * (-_TWO_OVER_SQRT_PI * m.exp(-x * x)),
              check=_real_only("erfc_vml_cpu"))
Erfinv = _unary("Erfinv", "ErfinvBackward0", _k(K.erfinv), lambda m, g, x, o: g * (_HALF_SQRT_PI * m.exp(o * o)),
                uses="output", check=_real_only("erfinv_cpu"))
Lgamma = _unary("Lgamma", "LgammaBackward0", _k(K.lgamma), lambda m, g, x, o: g * digamma(x),
                check=_real_only("lgamma_vml_cpu"), arrays=False)
Digamma = _unary("Digamma", "DigammaBackward0", _k(K.digamma), lambda m, g, x, o: g * polygamma(1, x),
                 check=_real_only("digamma"), arrays=False)


def _sinc_np(x):
    px = math.pi * x
    with np.errstate(invalid="ignore", divide="ignore"):
        r = np.sin(px) / px
    return np.where(x == 0, x.dtype.type(1), r).astype(x.dtype, copy=False)


def _sinc_bwd(m, g, x, o):
    px = x * math.pi
    d = g * ((px * _ew.cos(px) - _ew.sin(px)) / (px * x))
    return _ew.where(x == 0, zeros_scalar(d), d)


Sinc = _unary("Sinc", "SincBackward0", _sinc_np, _sinc_bwd, arrays=False)
_D2R = math.pi / 180.0
Deg2Rad = _unary("Deg2Rad", "Deg2RadBackward0", lambda x: x * x.dtype.type(_D2R), lambda m, g, x, o: g * _D2R,
                 uses="none", check=_real_only("deg2rad"))
Rad2Deg = _unary("Rad2Deg", "Rad2DegBackward0", lambda x: x * x.dtype.type(1 / _D2R), lambda m, g, x, o: g * (1 / _D2R),
                 uses="none", check=_real_only("rad2deg"))
Asinh = _unary("Asinh", "AsinhBackward0", np.arcsinh, lambda m, g, x, o: g * m.rsqrt(x * x + 1))
Acosh = _unary("Acosh", "AcoshBackward0", np.arccosh, lambda m, g, x, o: g * m.rsqrt(x * x - 1))
Atanh = _unary("Atanh", "AtanhBackward0", np.arctanh, lambda m, g, x, o: g / (1 - x * x))


class Polygamma(Op):
    node_name = "PolygammaBackward0"

    @staticmethod
    def forward(ctx, a, n):
        x = a._data
        if x.dtype.kind == "c":
            raise _not_implemented("polygamma", x.dtype)
        ctx.n = n
        x = x if x.dtype.kind == "f" else x.astype(float_np(x.dtype))
        return K.polygamma(n, x).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        return g * polygamma(ctx.n + 1, ctx.inputs[0])


class Logit(Op):
    node_name = "LogitBackward0"

    @staticmethod
    def forward(ctx, a, eps=None):
        x = a._data
        x = x if x.dtype.kind in "fc" else x.astype(float_np(x.dtype))
        ctx.eps = eps
        if eps is not None:
            x = np.clip(x, eps, 1 - eps)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log(x / (1 - x)).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        x = ctx.inputs[0]
        eps = ctx.eps
        d = g / (x * (1 - x))
        if eps is None:
            return _ew.where((x < 0) | (x > 1), zeros_scalar(d) + float("nan"), d)
        return _ew.where((x < eps) | (x > 1 - eps), zeros_scalar(d), d)


# ---------------------------------------------------------------------------- binary

def _float_operands(a, b):
    """Both operands in their promoted dtype, integer results computed in the default float dtype."""
    if is_tensor(a):
        x, y = operands(a, b)
    else:
        y, x = operands(b, a)
    dt = x.dtype if isinstance(x, np.ndarray) else y.dtype
    if dt.kind not in "fc":
        f = float_np(dt)
        x = np.asarray(x, dtype=f) if isinstance(x, np.ndarray) else x
        y = np.asarray(y, dtype=f) if isinstance(y, np.ndarray) else y
    return x, y


def _bin(np_fn, a, b):
    x, y = _float_operands(a, b)
    try:
        with np.errstate(all="ignore"):
            r = np_fn(x, y)
    except ValueError:
        _check_broadcast(*[v for v in (a, b) if is_tensor(v)])
        raise
    dt = x.dtype if isinstance(x, np.ndarray) else y.dtype
    return np.asarray(r, dtype=dt)


def _xlogy_np(x, y):
    r = x * np.log(y)
    return np.where((x == 0) & ~np.isnan(y), 0, r)


class Xlogy(Op):
    node_name = "XlogyBackward0"

    @staticmethod
    def forward(ctx, a, b):
        return _bin(_xlogy_np, a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.inputs
        n = ctx.needs_input_grad
        ga = gb = None
        if n[0]:
            # PyTorch: xlogy(grad, other).masked_fill((self == 0) & (other <= 0), 0)
            ga = xlogy(g, b)
            if is_tensor(b):
                z = (a == 0) & (b <= 0)
            else:  # a number other: the mask is a == 0 or nothing (kept, for PyTorch's node name)
                z = (a == 0) if b <= 0 else _wrap(np.zeros(a._data.shape, bool))
            ga = ga.masked_fill(z, 0)
        if n[1]:
            gb = g * a / b
        return ga, gb


class XlogyScalarSelf(Xlogy):
    node_name = "XlogyBackward1"


class XlogyScalarOther(Xlogy):
    node_name = "XlogyBackward2"


class Hypot(Op):
    node_name = "HypotBackward0"

    @staticmethod
    def forward(ctx, a, b):
        x, y = operands(a, b)
        if x.dtype.kind not in "f":
            raise _not_implemented("hypot_cpu", x.dtype)
        return _bin(np.hypot, a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.inputs
        o = ctx.saved_output()
        n = ctx.needs_input_grad
        return (g * a / o if n[0] else None), (g * b / o if n[1] else None)


class Logaddexp(Op):
    """log(e^a + e^b) without overflow; Logaddexp2 below is the same op in base 2."""
    node_name = "LogaddexpBackward0"
    _fn = staticmethod(np.logaddexp)
    _kernel = "logaddexp_cpu"
    _exp = "exp"

    @classmethod
    def forward(cls, ctx, a, b):
        x, y = operands(a, b)
        if x.dtype.kind not in "fc":
            raise _not_implemented(cls._kernel, x.dtype)
        return _bin(cls._fn, a, b)

    @classmethod
    def backward(cls, ctx, g):
        a, b = ctx.inputs
        n = ctx.needs_input_grad
        exp = getattr(_ew, cls._exp)
        return (g / (1 + exp(b - a)) if n[0] else None), (g / (1 + exp(a - b)) if n[1] else None)


class Logaddexp2(Logaddexp):
    node_name = "Logaddexp2Backward0"
    _fn = staticmethod(np.logaddexp2)
    _kernel = "logaddexp2_cpu"
    _exp = "exp2"


class Copysign(Op):
    node_name = "CopysignBackward0"

    @staticmethod
    def forward(ctx, a, b):
        return _bin(np.copysign, a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.inputs
        o = ctx.saved_output()
        ratio = o / a
        ga = g * _ew.where(a == 0, zeros_scalar(ratio), ratio)
        gb = (g * 0) if is_tensor(b) and ctx.needs_input_grad[1] else None
        return ga, gb


class CopysignScalar(Copysign):
    node_name = "CopysignBackward1"


class Heaviside(Op):
    node_name = "torch::autograd::NotImplemented"

    @staticmethod
    def forward(ctx, a, b):
        x, y = a._data, b._data
        if x.dtype != y.dtype:
            raise RuntimeError("heaviside is not yet implemented for tensors with different dtypes")
        if x.dtype.kind == "c":
            raise _not_implemented("heaviside_cpu", x.dtype)
        try:
            return np.where(x == 0, y, (x > 0).astype(x.dtype)).astype(x.dtype, copy=False)
        except ValueError:
            _check_broadcast(a, b)
            raise

    @staticmethod
    def backward(ctx, g):
        raise RuntimeError("the derivative for 'heaviside' is not implemented.")


class Addcmul(Op):
    node_name = "AddcmulBackward0"

    @staticmethod
    def forward(ctx, a, t1, t2, value=1):
        dt = result_np_dtype(a, t1, t2)
        if dt.kind in "iub" and isinstance(value, float):
            raise RuntimeError("value cannot be converted to type int64_t without overflow")
        ctx.value = value
        try:
            r = a._data + value * (t1._data * t2._data)
        except ValueError:
            _check_broadcast(a, t1, t2)
            raise
        return np.asarray(r, dtype=dt)

    @staticmethod
    def backward(ctx, g):
        a, t1, t2 = ctx.inputs
        v = ctx.value
        n = ctx.needs_input_grad
        return g, (g * t2 * v if n[1] else None), (g * t1 * v if n[2] else None)


class Addcdiv(Op):
    node_name = "AddcdivBackward0"

    @staticmethod
    def forward(ctx, a, t1, t2, value=1):
        if t1._data.dtype.kind in "iub" and t2._data.dtype.kind in "iub":
            raise RuntimeError("Integer division with addcdiv is no longer supported, and in a future release "
                               "addcdiv will perform a true division of tensor1 and tensor2. The historic "
                               "addcdiv behavior can be implemented as (input + value * torch.trunc(tensor1 / "
                               "tensor2)).to(input.dtype) for integer inputs and as (input + value * tensor1 / "
                               "tensor2) for float inputs. The future addcdiv behavior is just the latter "
                               "implementation: (input + value * tensor1 / tensor2), for all dtypes.")
        dt = result_np_dtype(a, t1, t2)
        ctx.value = value
        try:
            r = a._data + value * (t1._data / t2._data)
        except ValueError:
            _check_broadcast(a, t1, t2)
            raise
        return np.asarray(r, dtype=dt)

    @staticmethod
    def backward(ctx, g):
        a, t1, t2 = ctx.inputs
        v = ctx.value
        n = ctx.needs_input_grad
        # PyTorch's grad * (value / tensor2) and -grad * (value * tensor1 / (tensor2 * tensor2))
        return g, (g * (v / t2) if n[1] else None), (-g * (v * t1 / (t2 * t2)) if n[2] else None)


# ============================================================================ public functions

def _fn(cls, name):
    def f(input, *, out=None):
        return _out(cls.apply(input), out)
    f.__name__ = name
    return f


erf = _fn(Erf, "erf")
erfc = _fn(Erfc, "erfc")
erfinv = _fn(Erfinv, "erfinv")
lgamma = _fn(Lgamma, "lgamma")
digamma = _fn(Digamma, "digamma")
sinc = _fn(Sinc, "sinc")
deg2rad = _fn(Deg2Rad, "deg2rad")
rad2deg = _fn(Rad2Deg, "rad2deg")
asinh = arcsinh = _fn(Asinh, "asinh")
acosh = arccosh = _fn(Acosh, "acosh")
atanh = arctanh = _fn(Atanh, "atanh")


def polygamma(n, input, *, out=None):
    if not isinstance(n, int) or n < 0:
        raise RuntimeError("polygamma(n, x) does not support negative n.")
    return _out(Polygamma.apply(input, n), out)


def _polygamma_method(self, n):
    return polygamma(n, self)


def logit(input, eps=None, *, out=None):
    return _out(Logit.apply(input, eps=eps), out)


def xlogy(input, other, *, out=None):
    if is_tensor(input) and is_tensor(other):
        return _out(Xlogy.apply(input, other), out)
    if is_tensor(other):
        return _out(XlogyScalarSelf.apply(input, other), out)
    if is_tensor(input):
        return _out(XlogyScalarOther.apply(input, other), out)
    raise TypeError("xlogy() received an invalid combination of arguments - got (float, float)")


def _binary_tensor(cls, name):
    def f(input, other, *, out=None):
        _need_tensor(name, "input", 1, input)
        _need_tensor(name, "other", 2, other)
        return _out(cls.apply(input, other), out)
    f.__name__ = name
    return f


hypot = _binary_tensor(Hypot, "hypot")
logaddexp = _binary_tensor(Logaddexp, "logaddexp")
logaddexp2 = _binary_tensor(Logaddexp2, "logaddexp2")
heaviside = _binary_tensor(Heaviside, "heaviside")


def copysign(input, other, *, out=None):
    _need_tensor("copysign", "input", 1, input)
    return _out((Copysign if is_tensor(other) else CopysignScalar).apply(input, other), out)


def addcmul(input, tensor1, tensor2, *, value=1, out=None):
    return _out(Addcmul.apply(input, tensor1, tensor2, value=value), out)


def addcdiv(input, tensor1, tensor2, *, value=1, out=None):
    return _out(Addcdiv.apply(input, tensor1, tensor2, value=value), out)


def positive(input):
    if input._data.dtype.kind == "b":
        raise TypeError("The `+` operator, on a bool tensor is not supported.")
    return input


METHODS = """erf erfc erfinv lgamma digamma sinc deg2rad rad2deg asinh acosh atanh arcsinh arccosh arctanh logit
    xlogy hypot logaddexp logaddexp2 copysign heaviside addcmul addcdiv positive"""
INPLACE = """erf erfc erfinv lgamma digamma sinc deg2rad rad2deg logit xlogy hypot copysign heaviside addcmul
    addcdiv"""


# in place, PyTorch's asinh_/acosh_/atanh_/polygamma_ record a node of their own (AsinhBackward1 ...)
def _inplace_node(cls, differentiable=True):
    attrs = {"node_name": cls.node_name[:-1] + "1", "__module__": __name__}
    if not differentiable:
        name = cls.__name__.lower()

        def backward(ctx, g):
            raise NotImplementedError(f"the derivative for 'inplace version of {name}' is not implemented.")
        attrs["backward"] = staticmethod(backward)
        attrs["saves"] = False
    return type(cls.__name__ + "_", (cls,), attrs)


_Asinh_, _Acosh_, _Atanh_ = (_inplace_node(c, False) for c in (Asinh, Acosh, Atanh))
_Polygamma_ = _inplace_node(Polygamma)


def asinh_(self):
    return self._inplace(_Asinh_.apply(self))


def acosh_(self):
    return self._inplace(_Acosh_.apply(self))


def atanh_(self):
    return self._inplace(_Atanh_.apply(self))


def polygamma_(self, n):
    return self._inplace(_Polygamma_.apply(self, n))


INPLACE_METHODS = {"asinh_": asinh_, "arcsinh_": asinh_, "acosh_": acosh_, "arccosh_": acosh_, "atanh_": atanh_,
                   "arctanh_": atanh_, "polygamma_": polygamma_}
