"""Scans (cumsum, cumprod, cummax, cummin) and the softmax family."""
import warnings

import numpy as np

from ._util import _wrap, norm_dim
from .elementwise import Op, _not_implemented, exp, where
from ._parallel import _MIN_ELEMENTS, elementwise
from .reduce import _check_grad_dtype, _float_input, _int_acc, _low_precision, _sum_np


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
        return SoftmaxBackwardData.apply(g, y, dim=ctx.dim)


# NOTE [ activation backward ops ] in unary.py: softmax's and log_softmax's grads are ops of (grad, output)
# too, PyTorch's _softmax_backward_data / _log_softmax_backward_data, with their own grads

class SoftmaxBackwardData(Op):
    """``y * (g - sum(g * y, dim))`` for ``y = softmax(x, dim)``."""
    node_name = "SoftmaxBackwardDataBackward0"

    @staticmethod
    def forward(ctx, g, y, dim):
        ctx.dim = dim
        gd, yd = g._data, y._data
        return yd * (gd - _sum_np(gd * yd, (dim,), True))

    @staticmethod
    def backward(ctx, gg):
        g, y = ctx.inputs
        d = ctx.dim
        n = ctx.needs_input_grad
        gg_g = SoftmaxBackwardData.apply(gg, y, dim=d) if n[0] else None
        # PyTorch's softmax_double_backward
        gg_y = (g * gg - (y * g).sum(d, keepdim=True) * gg - g * (y * gg).sum(d, keepdim=True)) if n[1] else None
        return gg_g, gg_y


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
        return LogSoftmaxBackwardData.apply(g, y, dim=ctx.dim)


class LogSoftmaxBackwardData(Op):
    """``g - exp(y) * sum(g, dim)`` for ``y = log_softmax(x, dim)``."""
    node_name = "LogSoftmaxBackwardDataBackward0"

    @staticmethod
    def forward(ctx, g, y, dim):
        ctx.dim = dim
        gd, yd = g._data, y._data
        e = np.exp(yd) if yd.size < _MIN_ELEMENTS else elementwise(np.exp, yd)
        if gd.dtype != e.dtype or gd.shape != e.shape:
            return gd - e * _sum_np(gd, (dim,), True)
        e *= _sum_np(gd, (dim,), True)  # e is our own temporary: reuse it for the result
        return np.subtract(gd, e, out=e)

    @staticmethod
    def backward(ctx, gg):
        g, y = ctx.inputs
        d = ctx.dim
        n = ctx.needs_input_grad
        ey = exp(y)
        gg_g = (gg - (gg * ey).sum(d, keepdim=True)) if n[0] else None
        gg_y = -(g.sum(d, keepdim=True) * ey * gg) if n[1] else None
        return gg_g, gg_y


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
