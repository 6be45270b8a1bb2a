"""Reductions and scans: sum, mean, prod, max/min, arg*, var/std, norm, logsumexp, cumsum, softmax."""
import builtins
import math

import numpy as np

from .. import dtypes as D
from ..return_types import max as _max_rt, min as _min_rt
from ._util import _wrap, as_np_dtype, is_tensor, norm_dim, norm_dims
from .elementwise import Op, _fl, exp, where, zeros_scalar

_add_reduce = np.add.reduce


def _axes(dim, ndim):
    """NumPy axis argument for ``dim`` (None or () reduce everything)."""
    if dim is None:
        return None
    if isinstance(dim, (tuple, list)) and len(dim) == 0:
        return None
    return norm_dims(dim, ndim)


def _expand_back(g, shape, axes, keepdim):
    """Broadcast a reduced grad back to ``shape`` (re-inserting reduced dims when keepdim=False)."""
    if not keepdim and g.ndim != len(shape):
        kept = list(shape)
        for a in (range(len(shape)) if axes is None else axes):
            kept[a] = 1
        g = g.reshape(kept)
    return g.expand(shape)


def _int_acc(x, dtype):
    """Sum/prod of bool and integer tensors accumulates in int64, as PyTorch does."""
    if dtype is not None:
        return x.astype(dtype.np, copy=False)
    if x.dtype.kind in "bi" or x.dtype.kind == "u":
        return x.astype(np.int64, copy=False)
    return x


class Sum(Op):
    node_name = "SumBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, dim=None, keepdim=False, dtype=None):
        x = _int_acc(a._data, dtype)
        ctx.shape = x.shape
        if dim is None:
            ctx.axes = None
            r = _add_reduce(x.reshape(-1)) if x.ndim != 1 else _add_reduce(x)
            return np.asarray(r).reshape((1,) * x.ndim) if keepdim else np.asarray(r)
        axes = ctx.axes = _axes(dim, x.ndim)
        ctx.keepdim = keepdim
        return np.asarray(_add_reduce(x, axis=axes, keepdims=keepdim))

    @staticmethod
    def backward(ctx, g):
        return _expand_back(g, ctx.shape, ctx.axes, getattr(ctx, "keepdim", False))


class SumDim(Sum):
    node_name = "SumBackward1"


def sum(input, dim=None, keepdim=False, *, dtype=None):
    if dim is None and not keepdim:
        return Sum.apply(input, dtype=dtype) if dtype is not None else Sum.apply(input)
    return SumDim.apply(input, dim=dim, keepdim=keepdim, dtype=dtype)


def nansum(input, dim=None, keepdim=False, *, dtype=None):
    return sum(where(input.isnan(), 0.0, input) if input.is_floating_point() else input, dim, keepdim, dtype=dtype)


def _mean_dtype(x, dtype):
    if dtype is not None:
        return dtype.np
    if x.dtype.kind not in "fc" and not (D.bfloat16 is not None and x.dtype == D.bfloat16.np):
        name = D.from_numpy_dtype(x.dtype).name
        raise RuntimeError("mean(): could not infer output dtype. Input dtype must be either a floating point "
                           f"or complex dtype. Got: {_TN.get(name, name)}")
    return x.dtype


_TN = {"int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool"}


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
        s = _add_reduce(x.reshape(-1) if axes is None else x, axis=0 if axes is None else axes,
                        keepdims=keepdim and axes is not None)
        r = np.asarray(s / n if n else s * np.nan, dtype=dt)
        if keepdim and axes is None:
            r = r.reshape((1,) * x.ndim)
        return r

    @staticmethod
    def backward(ctx, g):
        return _expand_back(g / ctx.n, ctx.shape, ctx.axes, ctx.keepdim)


class MeanDim(Mean):
    node_name = "MeanBackward1"


def mean(input, dim=None, keepdim=False, *, dtype=None):
    if dim is None and not keepdim:
        return Mean.apply(input, dtype=dtype) if dtype is not None else Mean.apply(input)
    return MeanDim.apply(input, dim=dim, keepdim=keepdim, dtype=dtype)


def nanmean(input, dim=None, keepdim=False, *, dtype=None):
    ok = ~input.isnan()
    return nansum(input, dim, keepdim, dtype=dtype) / ok.sum(dim, keepdim)


class Prod(Op):
    node_name = "ProdBackward0"

    @staticmethod
    def forward(ctx, a, dim=None, keepdim=False, dtype=None):
        x = _int_acc(a._data, dtype)
        ctx.dim, ctx.keepdim = dim, keepdim
        if dim is None:
            return np.asarray(np.prod(x))
        d = norm_dim(dim, x.ndim)
        return np.asarray(np.prod(x, axis=d, keepdims=keepdim)) if x.ndim else x.copy()

    @staticmethod
    def backward(ctx, g):
        a = ctx.inputs[0]
        if ctx.dim is None:
            flat = a.reshape(-1)
            return _prod_grad(flat, g.reshape(1).expand(flat.shape), 0).reshape(a.shape)
        d = norm_dim(ctx.dim, a.ndim)
        if a.ndim == 0:
            return g
        if not ctx.keepdim:
            g = g.unsqueeze(d)
        return _prod_grad(a, g.expand(a.shape), d)


def _prod_grad(a, g, d):
    """d prod / d a_i = prod of the others; exact with zeros (no division by a)."""
    from .shape import cat
    n = a.shape[d]
    if n == 0:
        return g
    ones = a.narrow(d, 0, 1) * 0 + 1
    # exclusive cumulative products from the left and from the right
    left = cat([ones, a.narrow(d, 0, n - 1)], d).cumprod(d) if n > 1 else ones
    right = cat([a.narrow(d, 1, n - 1).flip([d]), ones], d).flip([d]) if n > 1 else ones
    right = right.flip([d]).cumprod(d).flip([d]) if n > 1 else ones
    return g * left * right


class ProdDim(Prod):
    node_name = "ProdBackward1"


def prod(input, dim=None, keepdim=False, *, dtype=None):
    if dim is None:
        return Prod.apply(input, dtype=dtype)
    return ProdDim.apply(input, dim=dim, keepdim=keepdim, dtype=dtype)


# ============================================================================ max / min

def _check_nonempty(x, name, dim=None):
    if x.size == 0 and (dim is None or x.shape[dim] == 0):
        if dim is None:
            raise RuntimeError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0. "
                               "Specify the reduction dim with the 'dim' argument.")
        raise IndexError(f"{name}(): Expected reduction dim {dim} to have non-zero size.")


class _ExtremeAll(Op):
    """max()/min() over all elements; the grad is shared evenly among ties."""
    node_name = "MaxBackward1"
    _f = staticmethod(np.max)

    @classmethod
    def forward(cls, ctx, a):
        x = a._data
        if x.size == 0:
            raise RuntimeError(f"{cls._name}(): Expected reduction dim to be specified for input.numel() == 0. "
                               "Specify the reduction dim with the 'dim' argument.")
        return np.asarray(cls._f(x))

    @staticmethod
    def backward(ctx, g):
        a = ctx.inputs[0]
        out = ctx.saved_output()
        mask = (a == out).to(g.dtype)
        return mask * (g / mask.sum())


class MaxAll(_ExtremeAll):
    node_name = "MaxBackward1"
    _name = "max"
    _f = staticmethod(np.max)


class MinAll(_ExtremeAll):
    node_name = "MinBackward1"
    _name = "min"
    _f = staticmethod(np.min)


class _ExtremeDim(Op):
    """max(dim)/min(dim): values and indices; the grad goes to the chosen index."""
    saves = True

    @classmethod
    def forward(cls, ctx, a, dim, keepdim=False):
        x = a._data
        d = norm_dim(dim, x.ndim)
        if x.ndim == 0:
            return x.copy(), np.zeros((), np.int64)
        if x.shape[d] == 0:
            raise IndexError(f"{cls._name}(): Expected reduction dim {d} to have non-zero size.")
        if x.dtype.kind == "f" and np.isnan(x).any():
            # NaN wins, like PyTorch: argmax/argmin find the first NaN
            idx = np.argmax(np.isnan(x), axis=d)
        else:
            idx = cls._arg(x, axis=d)
        idx = np.expand_dims(idx, d)
        vals = np.take_along_axis(x, idx, d)
        if not keepdim:
            vals, idx = vals.squeeze(d), idx.squeeze(d)
        ctx.dim, ctx.keepdim = d, keepdim
        ctx.mark_non_differentiable(1)
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
        return scatter(_zeros_like(g, a.shape), ctx.dim, idx, g)


def _zeros_like(g, shape):
    return _wrap(np.zeros(shape, dtype=g._data.dtype))


class MaxDim(_ExtremeDim):
    node_name = "MaxBackward0"
    _name = "max"
    _arg = staticmethod(np.argmax)


class MinDim(_ExtremeDim):
    node_name = "MinBackward0"
    _name = "min"
    _arg = staticmethod(np.argmin)


def _extreme(input, dim, keepdim, other, all_cls, dim_cls, rt, pair):
    if is_tensor(dim) and other is None:
        return pair(input, dim)
    if other is not None:
        return pair(input, other)
    if dim is None:
        if keepdim:
            raise TypeError("max() received an invalid combination of arguments - got (keepdim=bool)")
        return all_cls.apply(input)
    values, indices = dim_cls.apply(input, dim=dim, keepdim=keepdim)
    return rt(values, indices)


def max(input, dim=None, keepdim=False, *, other=None):
    from .elementwise import maximum
    return _extreme(input, dim, keepdim, other, MaxAll, MaxDim, _max_rt, maximum)


def min(input, dim=None, keepdim=False, *, other=None):
    from .elementwise import minimum
    return _extreme(input, dim, keepdim, other, MinAll, MinDim, _min_rt, minimum)


class Amax(Op):
    node_name = "AmaxBackward0"
    _f = staticmethod(np.max)
    _name = "amax"

    @classmethod
    def forward(cls, ctx, a, dim=(), keepdim=False):
        x = a._data
        axes = _axes(dim, x.ndim)
        if x.size == 0:
            if axes is None or any(x.shape[i] == 0 for i in axes):
                raise IndexError(f"{cls._name}(): Expected reduction dim {axes[0] if axes else 0} to have non-zero size.")
        ctx.axes, ctx.keepdim = axes, keepdim
        return np.asarray(cls._f(x, axis=axes, keepdims=keepdim))

    @staticmethod
    def backward(ctx, g):
        a = ctx.inputs[0]
        out = _expand_back(ctx.saved_output(), a.shape, ctx.axes, ctx.keepdim)
        mask = (a == out).to(g.dtype)
        cnt = _expand_back(mask.sum(ctx.axes if ctx.axes is not None else None, keepdim=True), a.shape, ctx.axes, True)
        return mask * _expand_back(g, a.shape, ctx.axes, ctx.keepdim) / cnt


class Amin(Amax):
    node_name = "AminBackward0"
    _f = staticmethod(np.min)
    _name = "amin"


def amax(input, dim=(), keepdim=False):
    return Amax.apply(input, dim=dim, keepdim=keepdim)


def amin(input, dim=(), keepdim=False):
    return Amin.apply(input, dim=dim, keepdim=keepdim)


def aminmax(input, *, dim=None, keepdim=False):
    from ..return_types import aminmax as rt
    return rt(amin(input, dim if dim is not None else (), keepdim), amax(input, dim if dim is not None else (), keepdim))


def _arg(input, dim, keepdim, f, name):
    x = input._data
    if dim is None:
        if x.size == 0:
            raise RuntimeError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0.")
        flat = x.reshape(-1)
        r = np.argmax(np.isnan(flat)) if flat.dtype.kind == "f" and np.isnan(flat).any() else f(flat)
        r = np.asarray(r, dtype=np.int64)
        return _wrap(r.reshape((1,) * x.ndim) if keepdim else r)
    d = norm_dim(dim, x.ndim)
    if x.ndim == 0:
        return _wrap(np.zeros((), np.int64))
    if x.shape[d] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")
    if x.dtype.kind == "f" and np.isnan(x).any():
        r = np.argmax(np.isnan(x), axis=d)
    else:
        r = f(x, axis=d)
    if keepdim:
        r = np.expand_dims(r, d)
    return _wrap(np.asarray(r, dtype=np.int64))


def argmax(input, dim=None, keepdim=False):
    return _arg(input, dim, keepdim, np.argmax, "argmax")


def argmin(input, dim=None, keepdim=False):
    return _arg(input, dim, keepdim, np.argmin, "argmin")


# ============================================================================ statistics

def _correction(unbiased, correction):
    if correction is not None:
        return correction
    return 1 if unbiased is None or unbiased else 0


class Var(Op):
    node_name = "VarBackward0"

    @staticmethod
    def forward(ctx, a, dim=None, correction=1, keepdim=False):
        x = _fl(a._data)
        axes = ctx.axes = _axes(dim, x.ndim)
        ctx.keepdim, ctx.correction = keepdim, correction
        n = x.size if axes is None else math.prod(x.shape[i] for i in axes)
        ctx.n = n
        return np.asarray(np.var(x, axis=axes, ddof=correction, keepdims=keepdim), dtype=x.dtype.type(0).real.dtype)

    @staticmethod
    def backward(ctx, g):
        a = ctx.inputs[0]
        m = a.mean(ctx.axes, keepdim=True) if ctx.axes is not None else a.mean()
        return _expand_back(g, a.shape, ctx.axes, ctx.keepdim) * (2.0 / builtins.max(ctx.n - ctx.correction, 0)) * (a - m)


class Std(Var):
    node_name = "StdBackward0"

    @staticmethod
    def forward(ctx, a, dim=None, correction=1, keepdim=False):
        return np.sqrt(Var.forward(ctx, a, dim, correction, keepdim))

    @staticmethod
    def backward(ctx, g):
        a = ctx.inputs[0]
        out = _expand_back(ctx.saved_output(), a.shape, ctx.axes, ctx.keepdim)
        m = a.mean(ctx.axes, keepdim=True) if ctx.axes is not None else a.mean()
        return _expand_back(g, a.shape, ctx.axes, ctx.keepdim) * (a - m) / (out * builtins.max(ctx.n - ctx.correction, 0))


def _stat_args(dim, unbiased, keepdim, correction):
    # var(x, True) / var(x, dim, True, keepdim) (legacy unbiased) and var(x, dim, correction=...)
    if isinstance(dim, bool):
        unbiased, dim = dim, None
    return dim, _correction(unbiased, correction), keepdim


def var(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    dim, c, keepdim = _stat_args(dim, unbiased, keepdim, correction)
    return Var.apply(input, dim=dim, correction=c, keepdim=keepdim)


def std(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    dim, c, keepdim = _stat_args(dim, unbiased, keepdim, correction)
    return Std.apply(input, dim=dim, correction=c, keepdim=keepdim)


def var_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    return var(input, dim, unbiased, keepdim, correction=correction), mean(input, dim, keepdim)


def std_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    return std(input, dim, unbiased, keepdim, correction=correction), mean(input, dim, keepdim)


class Norm(Op):
    """Vector p-norm; a primitive so the grad at zero is 0 (not NaN) as in PyTorch."""
    node_name = "LinalgVectorNormBackward0"

    @staticmethod
    def forward(ctx, a, ord=2, dim=None, keepdim=False):
        x = _fl(a._data)
        axes = ctx.axes = _axes(dim, x.ndim)
        ctx.ord, ctx.keepdim = ord, keepdim
        ax = np.abs(x)
        rdt = ax.dtype
        if ord == math.inf:
            r = np.max(ax, axis=axes, keepdims=keepdim) if ax.size else np.zeros(())
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
        out = _expand_back(ctx.saved_output(), a.shape, ctx.axes, ctx.keepdim)
        g = _expand_back(g, a.shape, ctx.axes, ctx.keepdim)
        if p == 0:
            return g * 0
        if p == 1:
            return g * a.sign()
        if p == 2:
            return where(out == 0, 0.0, g * a / out)
        if p in (math.inf, -math.inf):
            mask = (a.abs() == out).to(g.dtype)
            cnt = _expand_back(mask.sum(ctx.axes, keepdim=True) if ctx.axes is not None else mask.sum(), a.shape, ctx.axes, True)
            return g * a.sign() * mask / cnt
        return where(out == 0, 0.0, g * a.sign() * a.abs() ** (p - 1) / out ** (p - 1))


def vector_norm(input, ord=2, dim=None, keepdim=False, *, dtype=None):
    if dtype is not None:
        input = input.to(dtype)
    if not (input.dtype.is_floating_point or input.dtype.is_complex):
        raise RuntimeError(f"linalg.vector_norm: Expected a floating point or complex tensor as input. Got {_TN.get(input.dtype.name, input.dtype.name)}")
    return Norm.apply(input, ord=ord, dim=dim, keepdim=keepdim)


def norm(input, p="fro", dim=None, keepdim=False, dtype=None):
    if p == "fro" or p is None:
        p = 2
    if p == "nuc":
        raise RuntimeError("nuclear norm is computed by ember.linalg.matrix_norm")
    return vector_norm(input, p, dim, keepdim, dtype=dtype)


class LogSumExp(Op):
    """A primitive: composing exp/sum/log overflows for large inputs."""
    node_name = "LogsumexpBackward0"

    @staticmethod
    def forward(ctx, a, dim, keepdim=False):
        x = _fl(a._data)
        axes = ctx.axes = _axes(dim, x.ndim)
        ctx.keepdim = keepdim
        if x.size == 0:
            return np.asarray(np.full(np.sum(x, axis=axes, keepdims=keepdim).shape, -np.inf, x.dtype))
        m = np.max(x, axis=axes, keepdims=True)
        m = np.where(np.isfinite(m), m, 0)
        r = np.log(np.sum(np.exp(x - m), axis=axes, keepdims=True)) + m
        if not keepdim:
            r = r.squeeze(axes) if axes is not None else r.reshape(())
        return np.asarray(r, dtype=x.dtype)

    @staticmethod
    def backward(ctx, g):
        a = ctx.inputs[0]
        out = _expand_back(ctx.saved_output(), a.shape, ctx.axes, ctx.keepdim)
        return _expand_back(g, a.shape, ctx.axes, ctx.keepdim) * exp(a - out)


def logsumexp(input, dim, keepdim=False):
    return LogSumExp.apply(input, dim=dim, keepdim=keepdim)


def all(input, dim=None, keepdim=False):
    x = input._data
    r = np.all(x, axis=_axes(dim, x.ndim) if dim is not None else None, keepdims=keepdim)
    return _wrap(np.asarray(r if input.dtype is not D.uint8 else r.astype(np.uint8)))


def any(input, dim=None, keepdim=False):
    x = input._data
    r = np.any(x, axis=_axes(dim, x.ndim) if dim is not None else None, keepdims=keepdim)
    return _wrap(np.asarray(r if input.dtype is not D.uint8 else r.astype(np.uint8)))


def count_nonzero(input, dim=None):
    x = input._data
    return _wrap(np.asarray(np.count_nonzero(x, axis=_axes(dim, x.ndim) if dim is not None else None), np.int64))


# ============================================================================ scans

class Cumsum(Op):
    node_name = "CumsumBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, dim, dtype=None):
        x = _int_acc(a._data, dtype)
        d = ctx.dim = norm_dim(dim, x.ndim)
        return np.cumsum(x, axis=d) if x.ndim else x.copy()

    @staticmethod
    def backward(ctx, g):
        if g.ndim == 0:
            return g
        d = ctx.dim
        return g.flip([d]).cumsum(d).flip([d])


def cumsum(input, dim, *, dtype=None):
    return Cumsum.apply(input, dim=dim, dtype=dtype)


class Cumprod(Op):
    node_name = "CumprodBackward0"

    @staticmethod
    def forward(ctx, a, dim, dtype=None):
        x = _int_acc(a._data, dtype)
        d = ctx.dim = norm_dim(dim, x.ndim)
        return np.cumprod(x, axis=d) if x.ndim else x.copy()

    @staticmethod
    def backward(ctx, g):
        a = ctx.inputs[0]
        if a.ndim == 0:
            return g
        d = ctx.dim
        n = a.shape[d]
        # grad_i = sum_{j>=i} g_j * prod_{k<=j, k!=i} a_k ; done exactly (zeros allowed) on an n x n layout
        x = a.movedim(d, -1).unsqueeze(-2)  # (..., 1, n): row i replaces a_i by 1
        eye = _wrap(np.eye(n, dtype=a._data.dtype))
        rows = where(eye.to(D.bool), 1.0, x).cumprod(-1)  # (..., n, n)
        tri = _wrap(np.triu(np.ones((n, n), dtype=bool)))  # j >= i
        gm = g.movedim(d, -1).unsqueeze(-2)
        return (where(tri, rows * gm, 0.0)).sum(-1).movedim(-1, d)


def cumprod(input, dim, *, dtype=None):
    return Cumprod.apply(input, dim=dim, dtype=dtype)


def cummax(input, dim):
    from ..return_types import cummax as rt
    x = input._data
    d = norm_dim(dim, x.ndim)
    v = np.maximum.accumulate(x, axis=d)
    n = x.shape[d]
    ar = np.arange(n).reshape([-1 if i == d else 1 for i in range(x.ndim)])
    idx = np.maximum.accumulate(np.where(x == v, ar, 0), axis=d)
    values = input.gather(d, _wrap(idx.astype(np.int64)))
    return rt(values, _wrap(idx.astype(np.int64)))


def cummin(input, dim):
    from ..return_types import cummin as rt
    x = input._data
    d = norm_dim(dim, x.ndim)
    v = np.minimum.accumulate(x, axis=d)
    n = x.shape[d]
    ar = np.arange(n).reshape([-1 if i == d else 1 for i in range(x.ndim)])
    idx = np.maximum.accumulate(np.where(x == v, ar, 0), axis=d)
    values = input.gather(d, _wrap(idx.astype(np.int64)))
    return rt(values, _wrap(idx.astype(np.int64)))


# ============================================================================ softmax family

def _softmax_dim(ndim, stacklevel=3):
    import warnings
    warnings.warn("Implicit dimension choice for softmax has been deprecated. Change the call to include dim=X as "
                  "an argument.", stacklevel=stacklevel)
    return 0 if ndim in (0, 1, 3) else 1


class Softmax(Op):
    node_name = "SoftmaxBackward0"
    check_inputs = staticmethod(lambda needs: [])

    @staticmethod
    def forward(ctx, a, dim):
        x = _fl(a._data)
        d = ctx.dim = norm_dim(dim, x.ndim)
        if x.ndim == 0:
            return np.ones_like(x)
        e = np.exp(x - np.max(x, axis=d, keepdims=True))
        e /= np.sum(e, axis=d, keepdims=True)
        return e

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
        x = _fl(a._data)
        d = ctx.dim = norm_dim(dim, x.ndim)
        if x.ndim == 0:
            return np.zeros_like(x)
        s = x - np.max(x, axis=d, keepdims=True)
        s -= np.log(np.sum(np.exp(s), axis=d, keepdims=True))
        return s

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
