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


# ============================================================================ statistics

def _var_np(x, axes, correction, keepdim):
    """Variance in float64 (PyTorch accumulates in double on CPU), rounded to the input's real dtype."""
    rdt = x.real.dtype if x.dtype.kind == "c" else x.dtype
    xx = x.astype(np.complex128 if x.dtype.kind == "c" else np.float64)
    n = xx.size if axes is None else math.prod(xx.shape[i] for i in axes)
    m = np.mean(xx, axis=axes, keepdims=True) if n else np.zeros((1,) * xx.ndim)
    d = xx - m
    ss = np.sum((d * np.conj(d)).real, axis=axes, keepdims=keepdim)
    return np.asarray(np.true_divide(ss, builtins.max(n - correction, 0)), dtype=rdt)


class Var(Op):
    node_name = "VarBackward0"
    _name = "var"

    @classmethod
    def forward(cls, ctx, a, dim=None, correction=1, keepdim=False):
        x = a._data
        if not _float_input(x):
            raise RuntimeError("std and var only support floating point and complex dtypes")
        if _low_precision(x.dtype):
            x = x.astype(np.float32)
        axes = _axes(dim, x.ndim)
        n = x.size if axes is None else math.prod(x.shape[i] for i in axes)
        ctx.axes, ctx.keepdim, ctx.correction = axes, keepdim, correction
        # PyTorch's backward treats dim=None (or a 0-dim input) apart, and counts dim=() as one element
        ctx.all_reduce = dim is None or x.ndim == 0
        ctx.grad_n = 1 if isinstance(dim, (tuple, list)) and len(dim) == 0 and x.ndim else n
        r = _var_np(x, axes, correction, keepdim)
        return r.astype(a._data.dtype) if _low_precision(a._data.dtype) else r

    @staticmethod
    def _grad(ctx, g, a):
        """PyTorch's var_backward for a grad ``g`` of the (reduced) variance."""
        axes = ctx.axes
        m = a.mean(axes, keepdim=True) if axes else a.mean()
        dof = ctx.grad_n - ctx.correction
        if ctx.all_reduce:
            if dof <= 0:
                return g * where(a == m, float("nan"), float("inf"))
            return (2.0 / dof) * g * (a - m)
        g = _restore(g, a.shape, axes, ctx.keepdim)
        return (2.0 / dof if dof != 0 else math.inf) * g * (a - m)

    @staticmethod
    def backward(ctx, g):
        return Var._grad(ctx, g, ctx.inputs[0])


def _std_to_var_grad(g, out):
    """std's grad as a grad of the variance: ``(grad / (2 std)).masked_fill_(std == 0, 0)``."""
    return where(out == 0, zeros_scalar(g), g / (out * 2))


class Std(Var):
    node_name = "StdBackward0"
    _name = "std"

    @classmethod
    def forward(cls, ctx, a, dim=None, correction=1, keepdim=False):
        return np.sqrt(Var.forward.__func__(cls, ctx, a, dim, correction, keepdim))

    @staticmethod
    def backward(ctx, g):
        return Var._grad(ctx, _std_to_var_grad(g, ctx.saved_output()), ctx.inputs[0])


def _mean_grad(ctx, gm, a):
    n = a.numel() if ctx.axes is None else math.prod(a.shape[i] for i in ctx.axes)
    return _expand_back(gm, a.shape, ctx.axes, ctx.keepdim) / n


class VarMean(Op):
    node_name = "VarMeanBackward0"
    _name = "var_mean"

    @classmethod
    def forward(cls, ctx, a, dim=None, correction=1, keepdim=False):
        v = Var.forward.__func__(cls, ctx, a, dim, correction, keepdim)
        x = a._data
        m = np.mean(x.astype(np.float32) if _low_precision(x.dtype) else x, axis=_axes(dim, x.ndim), keepdims=keepdim)
        return v, np.asarray(m, dtype=x.dtype)

    @staticmethod
    def backward(ctx, gv, gm):
        a = ctx.inputs[0]
        return Var._grad(ctx, gv, a) + _mean_grad(ctx, gm, a)


class StdMean(Op):
    node_name = "StdMeanBackward0"
    _name = "std_mean"

    @classmethod
    def forward(cls, ctx, a, dim=None, correction=1, keepdim=False):
        v, m = VarMean.forward.__func__(cls, ctx, a, dim, correction, keepdim)
        return np.sqrt(v), m

    @staticmethod
    def backward(ctx, gs, gm):
        a = ctx.inputs[0]
        return Var._grad(ctx, _std_to_var_grad(gs, ctx.saved_output(0)), a) + _mean_grad(ctx, gm, a)


def _stat_args(name, input, dim, unbiased, keepdim, correction):
    # var(x, True) / var(x, dim, True, keepdim) (legacy unbiased) and var(x, dim, correction=...)
    if isinstance(dim, bool):
        unbiased, dim = dim, None
    if unbiased is not None and correction is not None:
        raise TypeError(f"{name}() received an invalid combination of arguments - got (unbiased=bool, "
                        "correction=Number), but expected one of: (tuple of ints dim, bool unbiased = True, "
                        "bool keepdim = False), (tuple of ints dim = None, *, Number correction = None, "
                        "bool keepdim = False)")
    if correction is None:
        correction = 1 if unbiased is None or unbiased else 0
    x = input._data
    if _float_input(x):
        axes = _axes(dim, x.ndim)
        n = x.size if axes is None else math.prod(x.shape[i] for i in axes)
        if n - correction <= 0:
            warnings.warn(f"{name}(): degrees of freedom is <= 0. Correction should be strictly less "
                          "than the reduction factor (input numel divided by output numel).", UserWarning, stacklevel=3)
    return dict(dim=dim, correction=correction, keepdim=keepdim)


def var(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    return Var.apply(input, **_stat_args("var", input, dim, unbiased, keepdim, correction))


def std(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    return Std.apply(input, **_stat_args("std", input, dim, unbiased, keepdim, correction))


def var_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    return VarMean.apply(input, **_stat_args("var_mean", input, dim, unbiased, keepdim, correction))


def std_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    return StdMean.apply(input, **_stat_args("std_mean", input, dim, unbiased, keepdim, correction))


# ============================================================================ norms

def _ord_str(o):
    if o in (math.inf, -math.inf):
        return "inf" if o > 0 else "-inf"
    return str(int(o)) if float(o).is_integer() else str(o)


class Norm(Op):
    """Vector p-norm (LinalgVectorNormBackward0); PyTorch's norm_backward conventions at zeros and ties."""
    node_name = "LinalgVectorNormBackward0"

    @staticmethod
    def forward(ctx, a, ord=2, dim=None, keepdim=False):
        x = a._data
        axes = ctx.axes = _axes(dim, x.ndim)
        ctx.ord, ctx.keepdim = ord, keepdim
        rdt = x.real.dtype if x.dtype.kind == "c" else x.dtype
        if x.size == 0 and (ord < 0 or ord == math.inf):  # max/min-like norms have no identity
            if axes is None:
                raise RuntimeError(f"linalg.vector_norm cannot compute the {_ord_str(ord)} norm on an empty tensor "
                                   "because the operation does not have an identity")
            for d in axes:
                if x.shape[d] == 0:
                    raise RuntimeError(f"linalg.vector_norm cannot compute the {_ord_str(ord)} norm on the dimension "
                                       f"{d}because this dimension is empty and the operation does not have an "
                                       "identity")
        ax = np.abs(x)
        if _low_precision(ax.dtype):
            ax = ax.astype(np.float32)
        if ord == math.inf:
            r = np.max(ax, axis=axes, keepdims=keepdim)
        elif ord == -math.inf:
            r = np.min(ax, axis=axes, keepdims=keepdim)
        elif ord == 0:
            r = np.sum(ax != 0, axis=axes, keepdims=keepdim)
        elif ord == 1:
            r = np.sum(ax, axis=axes, keepdims=keepdim)
        elif ord == 2:
            r = np.sqrt(np.sum(ax * ax, axis=axes, keepdims=keepdim))
        else:
            r = np.sum(ax ** ord, axis=axes, keepdims=keepdim) ** (1.0 / ord)
        return np.asarray(r, dtype=rdt)

    @staticmethod
    def backward(ctx, g):
        a = ctx.inputs[0]
        p = ctx.ord
        out = ctx.saved_output()
        if not ctx.keepdim and a.ndim != 0:
            g, out = _restore(g, a.shape, ctx.axes, False), _restore(out, a.shape, ctx.axes, False)
        z = zeros_scalar(g)
        if p == 0:
            return None
        if p == 1:
            return a.sgn() * g
        if p == 2:
            return g * where(out == 0, z, a / out)
        if p == math.inf or p == -math.inf:
            sa = a.abs()
            mask = (sa == out) | sa.isnan()
            return a.sgn() * _scale_grad_by_count(g, mask, ctx.axes)
        if p < 1:
            scaled = a.sgn() * where(a == 0, z, a.abs() ** (p - 1))
            return scaled * g * out ** (1 - p)
        if p < 2:
            scaled = a.sgn() * a.abs() ** (p - 1)
        else:
            scaled = a * a.abs() ** (p - 2)
        return scaled * where(out == 0, z, g / out ** (p - 1))


def vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None, out=None):
    if isinstance(ord, str):
        raise TypeError("linalg_vector_norm(): argument 'ord' (position 2) must be Number, not str")
    if not _float_input(x._data):
        raise RuntimeError("linalg.vector_norm: Expected a floating point or complex tensor as input. Got "
                           f"{_type_name(x._data.dtype)}")
    if dtype is not None:
        if D.promote_types(x.dtype, dtype) is not dtype:
            raise RuntimeError(f"linalg.vector_norm: the dtype of the input ({_type_name(x._data.dtype)}) should be "
                               f"convertible without narrowing to the specified dtype ({_type_name(dtype.np)})")
        x = x.to(dtype)
    r = Norm.apply(x, ord=ord, dim=dim, keepdim=keepdim)
    if out is not None:
        from .elementwise import _out
        return _out(r, out)
    return r


def norm(input, p="fro", dim=None, keepdim=False, out=None, dtype=None):
    """``torch.norm``: a vector norm, or (for ``p='nuc'`` or 'fro' over more than two dims) a matrix norm."""
    _dim = [dim] if isinstance(dim, (int, np.integer)) else dim
    if isinstance(p, str):
        if p == "fro" and (dim is None or isinstance(dim, (int, np.integer)) or len(dim) <= 2):
            r = vector_norm(input, 2, _dim, keepdim, dtype=dtype)
        else:
            from .linalg import matrix_norm
            r = matrix_norm(input, p, list(range(input.ndim)) if _dim is None else _dim, keepdim, dtype=dtype)
    else:
        r = vector_norm(input, 2.0 if p is None else p, _dim, keepdim, dtype=dtype)
    if out is not None:
        from .elementwise import _out
        return _out(r, out)
    return r


class LogSumExp(Op):
    """A primitive: composing exp/sum/log overflows for large inputs."""
    node_name = "LogsumexpBackward0"

    @staticmethod
    def forward(ctx, a, dim, keepdim=False):
        x = _fl(a._data)
        if isinstance(dim, (tuple, list)) and len(dim) == 0 and x.ndim and not keepdim:
            # PyTorch 2.13 reduces everything for dim=() but then fails writing the result
            raise RuntimeError(f"output with shape [] doesn't match the broadcast shape {[1] * x.ndim}")
        axes = ctx.axes = _axes(dim, x.ndim)
        ctx.keepdim = keepdim
        rdt = x.dtype
        if _low_precision(rdt):
            x = x.astype(np.float32)
        if x.size == 0:
            return np.asarray(np.full(np.sum(x, axis=axes, keepdims=keepdim).shape, -np.inf, rdt))
        m = np.max(x, axis=axes, keepdims=True)
        m = np.where(np.isinf(m), 0, m)
        r = np.log(np.sum(np.exp(x - m), axis=axes, keepdims=True)) + m
        if not keepdim:
            r = r.reshape(np.sum(x, axis=axes).shape) if axes is not None else r.reshape(())
        return np.asarray(r, dtype=rdt)

    @staticmethod
    def backward(ctx, g):
        a = ctx.inputs[0]
        out = ctx.saved_output()
        if not ctx.keepdim and a.ndim != 0:
            g, out = _restore(g, a.shape, ctx.axes, False), _restore(out, a.shape, ctx.axes, False)
        return g * exp(a - out)


def logsumexp(input, dim, keepdim=False):
    return LogSumExp.apply(input, dim=dim, keepdim=keepdim)


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


# ============================================================================ scans

def _scan_np(ufunc, x, d):
    if x.ndim == 0:
        return x.copy()
    if _low_precision(x.dtype):
        return ufunc.accumulate(x, axis=d, dtype=np.float32).astype(x.dtype)
    return ufunc.accumulate(x, axis=d)


class Cumsum(Op):
    node_name = "CumsumBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, dim, dtype=None):
        x = _int_acc(a._data, dtype)
        d = ctx.dim = norm_dim(dim, x.ndim)
        return _scan_np(np.add, x, d)

    @staticmethod
    def backward(ctx, g):
        d = ctx.dim
        if g.ndim == 0 or g.shape[d] == 0:
            return g
        return g.flip([d]).cumsum(d).flip([d])


def cumsum(input, dim, *, dtype=None):
    _check_grad_dtype(input, dtype)
    return Cumsum.apply(input, dim=dim, dtype=dtype)


class Cumprod(Op):
    node_name = "CumprodBackward0"

    @staticmethod
    def forward(ctx, a, dim, dtype=None):
        x = _int_acc(a._data, dtype)
        d = ctx.dim = norm_dim(dim, x.ndim)
        return _scan_np(np.multiply, x, d)

    @staticmethod
    def backward(ctx, g):
        a = ctx.inputs[0]
        if a.ndim == 0:
            return g
        d = ctx.dim
        n = a.shape[d]
        # grad_i = sum_{j>=i} g_j * prod_{k<=j, k!=i} a_k ; done exactly (zeros allowed) on an n x n layout
        x = a.movedim(d, -1).unsqueeze(-2)  # (..., 1, n): row i replaces a_i by 1
        eye = _wrap(np.eye(n, dtype=bool))
        rows = where(eye, 1.0, x).cumprod(-1)  # (..., n, n)
        tri = _wrap(np.triu(np.ones((n, n), dtype=bool)))  # j >= i
        gm = g.movedim(d, -1).unsqueeze(-2)
        return where(tri, rows * gm, 0.0).sum(-1).movedim(-1, d)


def cumprod(input, dim, *, dtype=None):
    _check_grad_dtype(input, dtype)
    return Cumprod.apply(input, dim=dim, dtype=dtype)


def _cum_extreme(x, d, ufunc):
    """Running max/min and its index: the latest index among ties, NaN propagates with its own index."""
    v = ufunc.accumulate(x, axis=d)
    eq = x == v
    if x.dtype.kind == "f":
        eq |= np.isnan(x)
    ar = np.arange(x.shape[d]).reshape([-1 if i == d else 1 for i in range(x.ndim)])
    idx = np.maximum.accumulate(np.where(eq, ar, 0), axis=d)
    return v, idx.astype(np.int64)


class Cummax(Op):
    node_name = "CummaxBackward0"
    _ufunc = np.maximum

    @classmethod
    def forward(cls, ctx, a, dim):
        x = a._data
        d = ctx.dim = norm_dim(dim, x.ndim)
        ctx.mark_non_differentiable(1)
        if x.ndim == 0:
            return x.copy(), np.zeros((), np.int64)
        return _cum_extreme(x, d, cls._ufunc)

    @staticmethod
    def backward(ctx, g, gi=None):
        a = ctx.inputs[0]
        if a.ndim == 0:
            return g
        if a.numel() == 0:
            return g * 0
        from .index import scatter_add
        return scatter_add(_wrap(np.zeros(a.shape, dtype=g._data.dtype)), ctx.dim, ctx.saved_output(1), g)


class Cummin(Cummax):
    node_name = "CumminBackward0"
    _ufunc = np.minimum


def cummax(input, dim):
    from ..return_types import cummax as rt
    values, indices = Cummax.apply(input, dim=dim)
    return rt(values, indices)


def cummin(input, dim):
    from ..return_types import cummin as rt
    values, indices = Cummin.apply(input, dim=dim)
    return rt(values, indices)


# ============================================================================ softmax family

def _softmax_dim(ndim, stacklevel=3):
    warnings.warn("Implicit dimension choice for softmax has been deprecated. Change the call to include dim=X as "
                  "an argument.", stacklevel=stacklevel)
    return 0 if ndim in (0, 1, 3) else 1


def _softmax_input(a, dim, kernel):
    x = a._data
    d = norm_dim(dim, x.ndim)
    if not _float_input(x):
        raise _not_implemented(kernel + ("_lastdim" if d == x.ndim - 1 else "") + "_kernel_impl", x.dtype)
    return (x.astype(np.float32) if _low_precision(x.dtype) else x), d


class Softmax(Op):
    node_name = "SoftmaxBackward0"
    check_inputs = staticmethod(lambda needs: [])

    @staticmethod
    def forward(ctx, a, dim):
        x, d = _softmax_input(a, dim, "softmax")
        ctx.dim = d
        if x.ndim == 0 or x.size == 0:
            return np.ones_like(a._data)
        e = np.exp(x - np.max(x, axis=d, keepdims=True))
        e /= np.sum(e, axis=d, keepdims=True)
        return e.astype(a._data.dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        y = ctx.saved_output()
        if y.ndim == 0:
            return g * 0
        return y * (g - (g * y).sum(ctx.dim, keepdim=True))


class LogSoftmax(Op):
    """A primitive: log(softmax(x)) underflows to -inf where this stays finite."""
    node_name = "LogSoftmaxBackward0"
    check_inputs = staticmethod(lambda needs: [])

    @staticmethod
    def forward(ctx, a, dim):
        x, d = _softmax_input(a, dim, "log_softmax")
        ctx.dim = d
        if x.ndim == 0 or x.size == 0:
            return np.zeros_like(a._data)
        s = x - np.max(x, axis=d, keepdims=True)
        s -= np.log(np.sum(np.exp(s), axis=d, keepdims=True))
        return s.astype(a._data.dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        y = ctx.saved_output()
        if y.ndim == 0:
            return g * 0
        return g - exp(y) * g.sum(ctx.dim, keepdim=True)


def softmax(input, dim=None, dtype=None, *, _stacklevel=3):
    if dim is None:
        dim = _softmax_dim(input.ndim, _stacklevel)
    if dtype is not None:
        input = input.to(dtype)
    return Softmax.apply(input, dim=dim)


def log_softmax(input, dim=None, dtype=None, *, _stacklevel=3):
    if dim is None:
        dim = _softmax_dim(input.ndim, _stacklevel)
    if dtype is not None:
        input = input.to(dtype)
    return LogSoftmax.apply(input, dim=dim)
