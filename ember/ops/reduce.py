"""Reductions and scans: sum, mean, prod, max/min, arg*, var/std, norm, logsumexp, cumsum, softmax.

``dim`` follows PyTorch: None or ``()`` reduce every dim (except for
``all``/``any``, where ``()`` reduces nothing), an int or a sequence of ints
picks dims, a 0-dim input accepts dim 0 and -1. Half-precision inputs reduce
in float32 and round once at the end, as PyTorch's CPU kernels do. Backward
formulas are PyTorch's own (derivatives.yaml), so ties, NaNs and zeros get the
same gradients.
"""
import builtins
import math
import warnings

import numpy as np

from .. import dtypes as D
from ..autograd.grad_mode import _state
from ..return_types import max as _max_rt, min as _min_rt
from ._util import _wrap, is_tensor, norm_dim, norm_dims
from .elementwise import Op, _fl, _not_implemented, _type_name, exp, where, zeros_scalar

_add_reduce = np.add.reduce
_BF16 = D.bfloat16.np if D.bfloat16 is not None else None


def _axes(dim, ndim):
    """NumPy axes for ``dim``: None for every dim, else a tuple (empty for a 0-dim input)."""
    if dim is None:
        return None
    if isinstance(dim, (tuple, list)) and len(dim) == 0:
        return None
    axes = norm_dims(dim, ndim)
    return axes if ndim else ()


def _restore(g, shape, axes, keepdim):
    """A reduced tensor with its reduced dims put back as size 1 (PyTorch's unsqueeze_multiple)."""
    if keepdim or g.ndim == len(shape):
        return g
    kept = list(shape)
    for a in (range(len(shape)) if axes is None else axes):
        kept[a] = 1
    return g.reshape(kept)


def _expand_back(g, shape, axes, keepdim):
    """Broadcast a reduced grad back to ``shape``."""
    if g.ndim == 0:  # a full reduction: a 0-dim grad broadcasts directly (no reshape)
        # first order: the broadcast view itself (NOTE [ one formula, two paths ] in unary.py)
        return g.expand(shape) if _state.enabled else _wrap(np.broadcast_to(g._data, shape))
    return _restore(g, shape, axes, keepdim).expand(shape)


def _low_precision(dt):
    return dt == np.float16 or (_BF16 is not None and dt == _BF16)


def _int_acc(x, dtype):
    """Sum/prod of bool and integer tensors accumulates in int64, as PyTorch does (or in ``dtype``)."""
    if dtype is not None:
        return x.astype(dtype.np, copy=False)
    if x.dtype.kind in "biu":
        return x.astype(np.int64, copy=False)
    return x


def _check_grad_dtype(input, dtype):
    """PyTorch refuses an integer ``dtype=`` result for an input that requires grad."""
    if dtype is not None and not (dtype.is_floating_point or dtype.is_complex) and input._requires_grad \
            and _state.enabled:
        raise RuntimeError(f"Autograd not support dtype: {_type_name(dtype.np)}")


def _float_input(x):
    return x.dtype.kind in "fc" or (_BF16 is not None and x.dtype == _BF16)


# ============================================================================ sum / mean / prod

def _sum_np(x, axes, keepdim):
    if _low_precision(x.dtype):
        return np.asarray(_add_reduce(x, axis=axes, dtype=np.float32, keepdims=keepdim)).astype(x.dtype)
    return np.asarray(_add_reduce(x, axis=axes, keepdims=keepdim))


class Sum(Op):
    node_name = "SumBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, dim=None, keepdim=False, dtype=None):
        x = _int_acc(a._data, dtype)
        ctx.shape = x.shape
        if dim is None and not keepdim and not _low_precision(x.dtype):
            ctx.axes = None
            return np.asarray(_add_reduce(x, None))
        axes = ctx.axes = _axes(dim, x.ndim)
        ctx.keepdim = keepdim
        return _sum_np(x, axes, keepdim)

    @staticmethod
    def backward(ctx, g):
        return _expand_back(g, ctx.shape, ctx.axes, ctx.__dict__.get("keepdim", False))


class SumDim(Sum):
    node_name = "SumBackward1"


def sum(input, dim=None, keepdim=False, *, dtype=None):
    if dtype is not None:
        _check_grad_dtype(input, dtype)
    if dim is None and not keepdim:
        return Sum.apply(input, dtype=dtype) if dtype is not None else Sum.apply(input)
    return SumDim.apply(input, dim=dim, keepdim=keepdim, dtype=dtype)


class Nansum(Op):
    node_name = "NansumBackward0"
    check_inputs = staticmethod(lambda needs: [0])

    @staticmethod
    def forward(ctx, a, dim=None, keepdim=False, dtype=None):
        x = a._data
        if x.dtype.kind in "fc" or _low_precision(x.dtype):
            x = np.where(np.isnan(x), x.dtype.type(0), x)
        x = _int_acc(x, dtype)
        axes = ctx.axes = _axes(dim, x.ndim)
        ctx.keepdim = keepdim
        return _sum_np(x, axes, keepdim)

    @staticmethod
    def backward(ctx, g):
        a = ctx.inputs[0]
        return _expand_back(g, a.shape, ctx.axes, ctx.keepdim) * (~a.isnan())


def nansum(input, dim=None, keepdim=False, *, dtype=None):
    _check_grad_dtype(input, dtype)
    return Nansum.apply(input, dim=dim, keepdim=keepdim, dtype=dtype)


_MEAN_MSG = "mean(): could not infer output dtype. {} dtype must be either a floating point or complex dtype. Got: {}"


def _mean_dtype(x, dtype):
    if dtype is not None:
        if not (dtype.is_floating_point or dtype.is_complex):
            raise RuntimeError(_MEAN_MSG.format("Optional", _type_name(dtype.np)))
        return dtype.np
    if not _float_input(x):
        raise RuntimeError(_MEAN_MSG.format("Input", _type_name(x.dtype)))
    return x.dtype


class Mean(Op):
    node_name = "MeanBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, dim=None, keepdim=False, dtype=None):
        x = a._data
        dt = _mean_dtype(x, dtype)
        x = x.astype(dt, copy=False)
        ctx.shape = x.shape
        axes = ctx.axes = _axes(dim, x.ndim)
        ctx.keepdim = keepdim
        n = x.size if axes is None else math.prod(x.shape[i] for i in axes)
        ctx.n = n
        s = _sum_np(x, axes, keepdim)
        return np.asarray(s / n if n else s * np.nan, dtype=dt)

    @staticmethod
    def backward(ctx, g):
        return _expand_back(g, ctx.shape, ctx.axes, ctx.keepdim) / ctx.n


class MeanDim(Mean):
    node_name = "MeanBackward1"


def mean(input, dim=None, keepdim=False, *, dtype=None):
    if dim is None and not keepdim:
        return Mean.apply(input, dtype=dtype) if dtype is not None else Mean.apply(input)
    return MeanDim.apply(input, dim=dim, keepdim=keepdim, dtype=dtype)


def nanmean(input, dim=None, keepdim=False, *, dtype=None):
    if not _float_input(input._data):
        raise RuntimeError("nanmean(): expected input to have floating point or complex dtype but got "
                           f"{_type_name(input._data.dtype)}")
    count = (~input.isnan()).sum(dim, keepdim)
    return nansum(input, dim, keepdim, dtype=dtype) / count


def _prod_np(x, axis, keepdim):
    if _low_precision(x.dtype):
        return np.asarray(np.multiply.reduce(x, axis=axis, dtype=np.float32, keepdims=keepdim)).astype(x.dtype)
    return np.asarray(np.multiply.reduce(x, axis=axis, keepdims=keepdim))


def _prod_safe_zeros(g, a, d):
    """PyTorch's prod_safe_zeros_backward: exclusive products from both sides (exact with zeros)."""
    from .shape import cat
    n = a.shape[d]
    if a.numel() == 0:
        return g.expand(a.shape)
    ones_shape = list(a.shape)
    ones_shape[d] = 1
    ones = _wrap(np.ones(ones_shape, dtype=a._data.dtype))
    left = cat([ones, a.narrow(d, 0, n - 1)], d).cumprod(d)
    right = cat([ones, a.narrow(d, 1, n - 1).flip([d])], d).cumprod(d).flip([d])
    return g * (left * right)


class Prod(Op):
    node_name = "ProdBackward0"

    @staticmethod
    def forward(ctx, a, dtype=None):
        return _prod_np(_int_acc(a._data, dtype), None, False)

    @staticmethod
    def backward(ctx, g):
        a = ctx.inputs[0]
        if a.ndim == 0:
            return g
        out = ctx.saved_output()
        if not (a._data == 0).any():
            return g * (out / a)
        return _prod_safe_zeros(g, a.reshape(-1), 0).reshape(a.shape)


class ProdDim(Op):
    node_name = "ProdBackward1"

    @staticmethod
    def forward(ctx, a, dim, keepdim=False, dtype=None):
        x = _int_acc(a._data, dtype)
        if not isinstance(dim, (int, np.integer)) or isinstance(dim, bool):
            raise TypeError(f"prod(): argument 'dim' must be int, not {type(dim).__name__}")
        d = ctx.dim = norm_dim(dim, x.ndim)
        ctx.keepdim = keepdim
        if x.ndim == 0:
            return x.copy()
        return _prod_np(x, d, keepdim)

    @staticmethod
    def backward(ctx, g):
        a = ctx.inputs[0]
        if a.ndim == 0:
            return g
        out = ctx.saved_output()
        d = ctx.dim
        if not ctx.keepdim:
            g, out = g.unsqueeze(d), out.unsqueeze(d)
        if not (a._data == 0).any():
            return g * (out / a)
        return _prod_safe_zeros(g, a, d)


def prod(input, dim=None, keepdim=False, *, dtype=None):
    _check_grad_dtype(input, dtype)
    if dim is None:
        return Prod.apply(input, dtype=dtype)
    return ProdDim.apply(input, dim=dim, keepdim=keepdim, dtype=dtype)


# ============================================================================ max / min

def _no_dim_msg(name):
    return (f"{name}(): Expected reduction dim to be specified for input.numel() == 0. "
            "Specify the reduction dim with the 'dim' argument.")


def _arg_nan_first(x, axis, f):
    """argmax/argmin along ``axis`` where a NaN wins (the first NaN of a slice), as in PyTorch."""
    r = f(x, axis=axis)
    if x.dtype.kind == "f" or _low_precision(x.dtype):
        nan = np.isnan(x)
        if nan.any():
            r = np.where(nan.any(axis=axis), np.argmax(nan, axis=axis), r)
    return r


class _ExtremeAll(Op):
    """max()/min() over all elements; the grad is shared evenly among ties (or among NaNs)."""
    node_name = "MaxBackward1"
    _f = staticmethod(np.max)
    _name = "max"

    @classmethod
    def forward(cls, ctx, a):
        x = a._data
        if x.size == 0:
            raise RuntimeError(_no_dim_msg(cls._name))
        return np.asarray(cls._f(x))

    @staticmethod
    def backward(ctx, g):
        a = ctx.inputs[0]
        out = ctx.saved_output()
        mask = a.isnan() if np.isnan(out._data).any() else (a == out)
        return where(mask, g / mask.sum(), zeros_scalar(g))


class MaxAll(_ExtremeAll):
    node_name = "MaxBackward1"
    _name = "max"
    _f = staticmethod(np.max)


class MinAll(_ExtremeAll):
    node_name = "MinBackward1"
    _name = "min"
    _f = staticmethod(np.min)


class _ExtremeDim(Op):
    """max(dim)/min(dim): values and indices (first among ties, first NaN); the grad goes to the index."""
    node_name = "MaxBackward0"
    _name = "max"
    _arg = staticmethod(np.argmax)

    @classmethod
    def forward(cls, ctx, a, dim, keepdim=False):
        x = a._data
        d = norm_dim(dim, x.ndim)
        ctx.dim, ctx.keepdim = d, keepdim
        ctx.mark_non_differentiable(1)
        if x.ndim == 0:
            return x.copy(), np.zeros((), np.int64)
        if x.shape[d] == 0:
            raise IndexError(f"{cls._name}(): Expected reduction dim {d} to have non-zero size.")
        idx = np.expand_dims(_arg_nan_first(x, d, cls._arg), d)
        vals = np.take_along_axis(x, idx, d)
        if not keepdim:
            vals, idx = vals.squeeze(d), idx.squeeze(d)
        return vals, idx.astype(np.int64, copy=False)

    @staticmethod
    def backward(ctx, g, gi=None):
        a = ctx.inputs[0]
        if a.ndim == 0:
            return g
        idx = ctx.saved_output(1)
        if not ctx.keepdim:
            g, idx = g.unsqueeze(ctx.dim), idx.unsqueeze(ctx.dim)
        from .index import scatter
        return scatter(_wrap(np.zeros(a.shape, dtype=g._data.dtype)), ctx.dim, idx, g)


class MaxDim(_ExtremeDim):
    node_name = "MaxBackward0"
    _name = "max"
    _arg = staticmethod(np.argmax)


class MinDim(_ExtremeDim):
    node_name = "MinBackward0"
    _name = "min"
    _arg = staticmethod(np.argmin)


def _extreme(name, input, dim, keepdim, other, all_cls, dim_cls, rt, pair):
    if other is not None or is_tensor(dim):
        if other is not None and (dim is not None or keepdim):
            raise TypeError(f"{name}() received an invalid combination of arguments - got (other=Tensor, "
                            f"keepdim=bool, dim=int)")
        return pair(input, other if other is not None else dim)
    if dim is None:
        if keepdim:
            raise TypeError(f"{name}() received an invalid combination of arguments - got (keepdim=bool)")
        return all_cls.apply(input)
    values, indices = dim_cls.apply(input, dim=dim, keepdim=keepdim)
    return rt(values, indices)


def max(input, dim=None, keepdim=False, *, other=None):
    from .elementwise import maximum
    return _extreme("max", input, dim, keepdim, other, MaxAll, MaxDim, _max_rt, maximum)


def min(input, dim=None, keepdim=False, *, other=None):
    from .elementwise import minimum
    return _extreme("min", input, dim, keepdim, other, MinAll, MinDim, _min_rt, minimum)


def _scale_grad_by_count(g, mask, axes):
    """PyTorch's amax/amin grad: ``(grad / mask.sum(dims, keepdim=True)) * mask``."""
    cnt = mask.sum(axes if axes is not None else tuple(range(mask.ndim)), keepdim=True) if mask.ndim else mask.sum()
    return (g / cnt) * mask


class Amax(Op):
    node_name = "AmaxBackward0"
    _f = staticmethod(np.max)
    _name = "amax"

    @classmethod
    def forward(cls, ctx, a, dim=(), keepdim=False):
        x = a._data
        axes = _axes(dim, x.ndim)
        if x.size == 0:
            if axes is None:
                raise RuntimeError(_no_dim_msg(cls._name))
            for ax in axes:
                if x.shape[ax] == 0:
                    raise IndexError(f"{cls._name}(): Expected reduction dim {ax} to have non-zero size.")
        ctx.axes, ctx.keepdim = axes, keepdim
        return np.asarray(cls._f(x, axis=axes, keepdims=keepdim))

    @staticmethod
    def backward(ctx, g):
        a = ctx.inputs[0]
        out = _restore(ctx.saved_output(), a.shape, ctx.axes, ctx.keepdim)
        return _scale_grad_by_count(_restore(g, a.shape, ctx.axes, ctx.keepdim), out == a, ctx.axes)


class Amin(Amax):
    node_name = "AminBackward0"
    _f = staticmethod(np.min)
    _name = "amin"


def amax(input, dim=(), keepdim=False):
    return Amax.apply(input, dim=dim, keepdim=keepdim)


def amin(input, dim=(), keepdim=False):
    return Amin.apply(input, dim=dim, keepdim=keepdim)


class Aminmax(Op):
    node_name = "AminmaxBackward0"

    @staticmethod
    def forward(ctx, a, dim=None, keepdim=False):
        x = a._data
        if dim is None:
            if x.size == 0:
                raise RuntimeError("aminmax(): cannot compute aminmax over an empty dimension as the operation "
                                   "has no identity.")
            axes = None
        else:
            d = norm_dim(dim, x.ndim)
            if x.ndim and x.shape[d] == 0:
                raise IndexError(f"aminmax: Expected reduction dim {d} to have non-zero size.")
            axes = (d,) if x.ndim else ()
        ctx.axes, ctx.keepdim = axes, keepdim
        return (np.asarray(np.min(x, axis=axes, keepdims=keepdim)),
                np.asarray(np.max(x, axis=axes, keepdims=keepdim)))

    @staticmethod
    def backward(ctx, gmin, gmax):
        a = ctx.inputs[0]
        axes, keep = ctx.axes, ctx.keepdim
        mn = _restore(ctx.saved_output(0), a.shape, axes, keep)
        mx = _restore(ctx.saved_output(1), a.shape, axes, keep)
        return (_scale_grad_by_count(_restore(gmin, a.shape, axes, keep), mn == a, axes)
                + _scale_grad_by_count(_restore(gmax, a.shape, axes, keep), mx == a, axes))


def aminmax(input, *, dim=None, keepdim=False):
    from ..return_types import aminmax as rt
    mn, mx = Aminmax.apply(input, dim=dim, keepdim=keepdim)
    return rt(mn, mx)


def _arg(input, dim, keepdim, f, name):
    x = input._data
    if x.dtype.kind == "b":
        raise RuntimeError(f"{name}(): does not support bool input")
    if dim is None:
        if x.size == 0:
            raise IndexError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0.")
        r = np.asarray(_arg_nan_first(x.reshape(-1), 0, f), dtype=np.int64)
        return _wrap(r.reshape((1,) * x.ndim) if keepdim else r)
    d = norm_dim(dim, x.ndim)
    if x.ndim == 0:
        return _wrap(np.zeros((), np.int64))
    if x.shape[d] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")
    r = _arg_nan_first(x, d, f)
    if keepdim:
        r = np.expand_dims(r, d)
    return _wrap(np.asarray(r, dtype=np.int64))


def argmax(input, dim=None, keepdim=False):
    return _arg(input, dim, keepdim, np.argmax, "argmax")


def argmin(input, dim=None, keepdim=False):
    return _arg(input, dim, keepdim, np.argmin, "argmin")


# ============================================================================ boolean reductions

def _all_any(input, dim, keepdim, f):
    x = input._data
    if isinstance(dim, (tuple, list)) and len(dim) == 0:
        norm_dims(dim, x.ndim)
        r = x.astype(bool)  # dim=() reduces nothing
    else:
        r = f(x, axis=_axes(dim, x.ndim), keepdims=keepdim)
    return _wrap(np.asarray(r if x.dtype != np.uint8 else r.astype(np.uint8)))


def all(input, dim=None, keepdim=False):
    return _all_any(input, dim, keepdim, np.all)


def any(input, dim=None, keepdim=False):
    return _all_any(input, dim, keepdim, np.any)


def count_nonzero(input, dim=None):
    x = input._data
    axes = _axes(dim, x.ndim)
    return _wrap(np.asarray(np.sum(x != 0, axis=axes), dtype=np.int64))


# moved to scan.py; re-exported so callers keep one import path
from .scan import (  # noqa: E402,F401
    Cummax, Cummin, Cumprod, Cumsum, LogSoftmax, Softmax, cummax, cummin, cumprod, cumsum, log_softmax, softmax)


# moved to stats.py; re-exported so callers keep one import path
from .stats import (  # noqa: E402,F401
    LogSumExp, Norm, Std, StdMean, Var, VarMean, logsumexp, norm, std, std_mean, var, var_mean, vector_norm)
