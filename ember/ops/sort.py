"""Sorting and searching: sort/argsort/topk/kthvalue/median, unique, bincount, searchsorted."""
import builtins

import numpy as np

from ._util import _wrap, is_tensor, norm_dim
from .elementwise import Op, _type_name


# ============================================================================ sorting

def _sort_idx(x, dim, descending):
    """Stable argsort along ``dim``; NaN sorts as the largest value (PyTorch's order)."""
    if not descending:
        return np.argsort(x, axis=dim, kind="stable")
    # stable descending: sort the reversed array ascending, then map back (ties keep their order)
    n = x.shape[dim]
    r = np.argsort(np.flip(x, dim), axis=dim, kind="stable")
    return (n - 1) - np.flip(r, dim)


class _SelectValues(Op):
    """Values picked at ``ctx.idx`` along ``dim``; the grad scatters back to those positions."""
    saves = False

    @staticmethod
    def backward(ctx, g, gi=None):
        z = np.zeros(ctx.shape, dtype=g._data.dtype)
        if not ctx.shape:
            return g.reshape(())
        idx = _wrap(ctx.idx)
        gg = g
        if ctx.keepdim is False:
            idx, gg = idx.unsqueeze(ctx.dim), g.unsqueeze(ctx.dim)
        return _wrap(z).scatter(ctx.dim, idx, gg)


class Sort(_SelectValues):
    node_name = "SortBackward0"

    @staticmethod
    def forward(ctx, a, dim, descending):
        x = a._data
        ctx.shape, ctx.dim, ctx.keepdim = x.shape, dim, True
        if x.ndim == 0:
            ctx.idx = idx = np.zeros((), np.int64)
            return x.copy(), idx
        idx = _sort_idx(x, dim, descending).astype(np.int64)
        ctx.idx = idx
        return np.take_along_axis(x, idx, dim), idx


class SortStable(Sort):
    node_name = "SortBackward1"  # PyTorch's sort.stable overload: chosen whenever ``stable`` is passed


def sort(input, dim=-1, descending=False, stable=None):
    from ..return_types import sort as rt
    d = norm_dim(dim, input._data.ndim)
    v, i = (Sort if stable is None else SortStable).apply(input, dim=d, descending=descending)
    return rt(v, i)


def argsort(input, dim=-1, descending=False, stable=False):
    x = input._data
    if x.ndim == 0:
        return _wrap(np.zeros((), np.int64))
    return _wrap(_sort_idx(x, norm_dim(dim, x.ndim), descending).astype(np.int64))


def msort(input):
    return sort(input, 0).values


class Topk(_SelectValues):
    node_name = "TopkBackward0"

    @staticmethod
    def forward(ctx, a, k, dim, largest):
        x = a._data
        ctx.shape, ctx.dim, ctx.keepdim = x.shape, dim, True
        if x.ndim == 0:
            ctx.idx = idx = np.zeros((), np.int64)
            return x.copy(), idx
        idx = np.take(_sort_idx(x, dim, largest), np.arange(k), axis=dim).astype(np.int64)
        ctx.idx = idx
        return np.take_along_axis(x, idx, dim), idx


def topk(input, k, dim=-1, largest=True, sorted=True):
    from ..return_types import topk as rt
    x = input._data
    d = norm_dim(dim, x.ndim)
    size = x.shape[d] if x.ndim else 1
    if k < 0 or k > size:
        raise RuntimeError("selected index k out of range")
    v, i = Topk.apply(input, k=k, dim=d, largest=largest)
    return rt(v, i)


class Kthvalue(_SelectValues):
    node_name = "KthvalueBackward0"

    @staticmethod
    def forward(ctx, a, k, dim, keepdim, propagate_nan=False):
        x = a._data
        ctx.shape, ctx.dim, ctx.keepdim = x.shape, dim, keepdim
        if x.ndim == 0:
            ctx.idx = idx = np.zeros((), np.int64)
            return x.copy(), idx
        idx = np.take(_sort_idx(x, dim, False), [k - 1], axis=dim).astype(np.int64)
        if propagate_nan and x.dtype.kind in "fc":  # median: any NaN in the slice is the answer (its first one)
            nan = np.isnan(x)
            has = nan.any(axis=dim, keepdims=True)
            idx = np.where(has, np.argmax(nan, axis=dim, keepdims=True), idx)
        vals = np.take_along_axis(x, idx, dim)
        if not keepdim:
            idx, vals = idx.squeeze(dim), vals.squeeze(dim)
        ctx.idx = idx
        return vals, idx


class MedianDim(Kthvalue):
    node_name = "MedianBackward1"


def kthvalue(input, k, dim=-1, keepdim=False):
    from ..return_types import kthvalue as rt
    x = input._data
    d = norm_dim(dim, x.ndim)
    if k < 1 or k > (x.shape[d] if x.ndim else 1):
        raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {d}")
    v, i = Kthvalue.apply(input, k=k, dim=d, keepdim=keepdim)
    return rt(v, i)


class Median(Op):
    """median over all elements (the lower median); the grad is shared by every element equal to it."""
    node_name = "MedianBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a):
        x = a._data.reshape(-1)
        if x.size == 0:
            v = np.asarray(np.nan if x.dtype.kind in "fc" else 0, x.dtype)
        elif x.dtype.kind in "fc" and np.isnan(x).any():
            v = np.asarray(np.nan, x.dtype)
        else:
            v = np.asarray(np.partition(x, (x.size - 1) // 2)[(x.size - 1) // 2])
        ctx.v = v
        return v

    @staticmethod
    def backward(ctx, g):
        from .arith import Where
        x = ctx.inputs[0]._data
        v = ctx.v
        eq = (x == v) | (np.isnan(x) & np.isnan(v)) if x.dtype.kind in "fc" else (x == v)
        n = builtins.max(int(eq.sum()), 1)
        # an op on g (not NumPy on g's array): create_graph differentiates through it
        return Where.apply(_wrap(np.asarray(eq)), g / n, _wrap(np.zeros((), g._data.dtype)))


def median(input, dim=None, keepdim=False):
    x = input._data
    if dim is None:
        return Median.apply(input)
    from ..return_types import median as rt
    d = norm_dim(dim, x.ndim)
    n = x.shape[d] if x.ndim else 1
    if n == 0:
        raise IndexError(f"median(): Expected reduction dim {d} to have non-zero size.")
    v, i = MedianDim.apply(input, k=(n - 1) // 2 + 1, dim=d, keepdim=keepdim, propagate_nan=True)
    return rt(v, i)


# ============================================================================ unique / counting / searching

class _NoGrad(Op):
    """Outputs that carry a node (PyTorch records one) whose backward is not implemented."""
    saves = False
    what = ""

    @classmethod
    def backward(cls, ctx, *grads):
        raise NotImplementedError(f"the derivative for '{cls.what}' is not implemented.")


class Unique2(_NoGrad):
    node_name = "Unique2Backward0"
    what = "_unique2"

    @staticmethod
    def forward(ctx, a, out):
        return out  # computed outside; integer outputs (inverse, counts) never require grad


class UniqueDim(Unique2):
    node_name = "UniqueDimBackward0"
    what = "unique_dim"


class UniqueConsecutive(Unique2):
    node_name = "UniqueConsecutiveBackward0"
    what = "unique_consecutive"


def _unique_result(cls, input, vals, inverse, counts, return_inverse, return_counts):
    res = cls.apply(input, out=(vals,) + ((inverse,) if return_inverse else ()) + ((counts,) if return_counts else ()))
    return res[0] if len(res) == 1 else res


def unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None):
    x = input._data
    if dim is None:
        flat = x.reshape(-1)
        vals, inv, cnt = np.unique(flat, return_inverse=True, return_counts=True, equal_nan=False)
        inv = inv.astype(np.int64).reshape(x.shape)
        cls = Unique2
    else:
        d = norm_dim(dim, x.ndim)
        vals, inv, cnt = np.unique(x, return_inverse=True, return_counts=True, axis=d)
        vals = np.ascontiguousarray(vals)
        inv = inv.astype(np.int64).reshape(-1)
        cls = UniqueDim
    return _unique_result(cls, input, vals, inv, cnt.astype(np.int64), return_inverse, return_counts)


def unique_consecutive(input, return_inverse=False, return_counts=False, dim=None):
    x = input._data
    if dim is None:
        flat = x.reshape(-1)
        keep = np.ones(flat.size, bool)
        if flat.size:
            keep[1:] = flat[1:] != flat[:-1]
        vals = flat[keep]
        inv = (np.cumsum(keep) - 1).astype(np.int64).reshape(x.shape)
        n = flat.size
    else:
        d = norm_dim(dim, x.ndim)
        moved = np.moveaxis(x, d, 0)
        n = moved.shape[0]
        keep = np.ones(n, bool)
        if n > 1:
            keep[1:] = (moved[1:] != moved[:-1]).reshape(n - 1, -1).any(axis=1)
        vals = np.ascontiguousarray(np.compress(keep, x, axis=d))
        inv = (np.cumsum(keep) - 1).astype(np.int64)
    starts = np.flatnonzero(keep)
    cnt = np.diff(np.append(starts, n)).astype(np.int64)
    return _unique_result(UniqueConsecutive, input, vals, inv, cnt, return_inverse, return_counts)


def bincount(input, weights=None, minlength=0):
    x = input._data
    if x.dtype.kind not in "iu":
        raise NotImplementedError(f"\"bincount_cpu\" not implemented for '{_type_name(x.dtype)}'")
    if minlength < 0:
        raise RuntimeError("minlength should be >= 0")
    if x.ndim != 1 or (x.size and x.min() < 0):
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    w = None
    if weights is not None:
        w = weights._data
        if w.ndim != 1 or w.shape[0] != x.shape[0]:
            raise RuntimeError("weights should be 1-d and have the same length as input")
    r = np.bincount(x, weights=w, minlength=minlength)
    if w is None:
        r = r.astype(np.int64)
    elif w.dtype == np.float32:
        r = r.astype(np.float32)
    else:
        r = r.astype(np.float64)
    return _wrap(r)


def _searchsorted_np(s, v, side):
    if s.ndim == 1:
        return np.searchsorted(s, v, side=side)
    fs = s.reshape(-1, s.shape[-1])
    fv = v.reshape(-1, v.shape[-1])
    out = np.empty(fv.shape, np.int64)
    for r in range(fs.shape[0]):
        out[r] = np.searchsorted(fs[r], fv[r], side=side)
    return out.reshape(v.shape)


def searchsorted(sorted_sequence, values, *, out_int32=False, right=False, side=None, sorter=None, out=None):
    s = sorted_sequence._data
    scalar = not is_tensor(values)
    v = np.asarray(values) if scalar else values._data
    if side is not None and side not in ("left", "right"):
        raise RuntimeError(f"torch.searchsorted(): side can only be 'left' or 'right' but got {side}")
    if side == "left" and right:
        raise RuntimeError("torch.searchsorted(): side and right can't be set to opposites, got side of left while "
                           "right was True")
    side = side or ("right" if right else "left")
    if s.ndim == 0:
        raise RuntimeError("torch.searchsorted(): boundaries tensor should have positive dimension, but got 0 "
                           "dimension")
    if s.ndim > 1 and (v.ndim != s.ndim or v.shape[:-1] != s.shape[:-1]):
        raise RuntimeError(f"torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 dimensions "
                           f"of boundaries tensor and input value tensor must match, but we got boundaries tensor "
                           f"{list(s.shape)} and input value tensor {list(v.shape)}")
    if sorter is not None:
        s = np.take_along_axis(s, sorter._data, -1)
    dt = np.result_type(s.dtype, v.dtype) if not scalar else s.dtype
    res = _searchsorted_np(s.astype(dt, copy=False), v.astype(dt, copy=False), side)
    return _wrap(np.asarray(res).astype(np.int32 if out_int32 else np.int64))


def bucketize(input, boundaries, *, out_int32=False, right=False, out=None):
    if boundaries._data.ndim != 1:
        raise RuntimeError(f"boundaries tensor must be 1 dimension, but got dim({boundaries._data.ndim})")
    return searchsorted(boundaries, input, out_int32=out_int32, right=right)
