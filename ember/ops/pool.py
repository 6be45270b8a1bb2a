"""Pooling: max / avg (1-d, 2-d, 3-d), adaptive avg / max, max_unpool, lp_pool.

NOTE [ pooling by strided slices ]: a pooling window of size K is K strided slices of the
(padded) input, one per kernel position, each the shape of the output. Forward reduces over
the K slices with whole-array ops (max keeps the first maximum in window order, as PyTorch
does: a later value replaces it only when strictly greater, or NaN); the max's index is
tracked as PyTorch's flat index into each input plane. Backward of avg pooling adds
``g / divisor`` back through the same K slices; backward of max pooling scatters ``g`` to the
saved indices: a plain assignment when windows cannot overlap (indices are unique), else one
``np.bincount`` (no ``np.add.at``). Both backwards are ops with their own backward, so
``create_graph`` gives second derivatives.

The 1-d functions run the 2-d ops on an unsqueezed input (PyTorch does the same: their
``grad_fn`` is ``SqueezeBackward1``).
"""
import numpy as np
from numpy.lib.stride_tricks import as_strided

from ..autograd.grad_mode import _state as _grad_state
from ._util import _wrap
from .elementwise import Op, _type_name
from .spatial import AxisMap
from .conv import _scratch


def _prod(s):
    n = 1
    for v in s:
        n *= v
    return n


def _lowest(dt):
    return -np.inf if dt.kind in "fc" else np.iinfo(dt).min


# ============================================================================ geometry

def _pool_out(n, k, s, p, d, ceil_mode):
    num = n + 2 * p - d * (k - 1) - 1
    o = (-(-num // s) if ceil_mode else num // s) + 1
    if ceil_mode and (o - 1) * s >= n + p:
        o -= 1
    return o


def _padded(x, sp_axes, k, s, p, d, out, fill):
    """``x`` padded by ``p`` (and on the high side as far as the last window reaches) with ``fill``."""
    need = [(o - 1) * st + dd * (kk - 1) + 1 for o, st, dd, kk in zip(out, s, d, k)]
    hi = [max(0, L - n - pp) for L, n, pp in zip(need, x.shape[sp_axes:], p)]
    if not any(p) and not any(hi):
        return x
    shape = x.shape[:sp_axes] + tuple(n + pp + h for n, pp, h in zip(x.shape[sp_axes:], p, hi))
    xp = np.full(shape, fill, dtype=x.dtype)
    xp[(Ellipsis,) + tuple(slice(pp, pp + n) for pp, n in zip(p, x.shape[sp_axes:]))] = x
    return xp


def _kernel_slices(k, s, d, out):
    """(kernel index tuple, slices) for every kernel position."""
    for kk in np.ndindex(*k):
        yield kk, (Ellipsis,) + tuple(slice(i * dd, i * dd + st * (o - 1) + 1, st)
                                      for i, dd, st, o in zip(kk, d, s, out))


def _plane_index(parts, sp):
    """Flat index into a plane of shape ``sp`` from per-dim position arrays (broadcast over the output)."""
    nd = len(sp)
    flat = 0
    for i, pos in enumerate(parts):
        shape = [1] * nd
        shape[i] = -1
        flat = flat * sp[i] + pos.reshape(shape) if i else pos.reshape(shape)
    return flat


# ============================================================================ max pooling

def _max_windows(x, nd, k, s, p, d, out, want_index):
    """Max over each window of the last ``nd`` dims of ``x``; with ``want_index`` also PyTorch's flat indices."""
    sp = x.shape[-nd:]
    lo = _lowest(x.dtype)
    xp = _padded(x, x.ndim - nd, k, s, p, d, out, lo)
    if not want_index:
        best = None
        for _, sl in _kernel_slices(k, s, d, out):
            v = xp[sl]
            best = v.copy() if best is None else np.maximum(best, v, out=best)  # NaN propagates, as in PyTorch
        return best, None
    bases = [np.arange(o) * st - pp for o, st, pp in zip(out, s, p)]
    base_flat = _plane_index(bases, sp)
    strides = [_prod(sp[i + 1:]) for i in range(nd)]
    offs = [sum(i * dd * t for i, dd, t in zip(kk, d, strides)) for kk, _ in _kernel_slices(k, s, d, out)]
    # fast path: the K window positions copied once into contiguous blocks (B, K, *out) (one strided read
    # instead of one per pass), the maxima as one reduction over K, then the first position holding each
    # maximum, found walking the blocks backwards
    slices = [sl for _, sl in _kernel_slices(k, s, d, out)]
    K = len(slices)
    lead = x.shape[:-nd]
    xs = xp.strides
    win = as_strided(xp, lead + (K,) + tuple(out), xs[:-nd] + (0,) + tuple(t * st for t, st in zip(xs[-nd:], s)),
                     writeable=False) if K == 1 else None
    if win is None:
        blocks = _scratch(lead + tuple(k) + tuple(out), x.dtype)
        np.copyto(blocks, as_strided(xp, blocks.shape, xs[:-nd] + tuple(t * dd for t, dd in zip(xs[-nd:], d)) +
                                     tuple(t * st for t, st in zip(xs[-nd:], s)), writeable=False))
        blocks = blocks.reshape(lead + (K,) + tuple(out))
    else:
        blocks = win
    ax = len(lead)
    best = blocks.max(axis=ax)
    floating = x.dtype.kind == "f"
    exact = not (floating and np.isnan(best).any()) and not ((xp is not x) and (best == lo).any())
    if exact:
        # the first position holding the maximum = the number of leading positions that do not
        sel = (slice(None),) * ax
        notyet = blocks[sel + (0,)] != best
        kidx = notyet.astype(np.int64 if K > 127 else np.int8)
        for j in range(1, K - 1):
            notyet &= blocks[sel + (j,)] != best
            kidx += notyet
        idx = np.take(np.asarray(offs, dtype=np.int64), kidx)
        idx += base_flat
        return best, idx
    # NaN (the last NaN wins, as in PyTorch) or windows of only -inf next to padding: the exact scan
    first = [np.where(b < 0, b + (-(b) + dd - 1) // dd * dd, b) for b, dd in zip(bases, d)]
    idx = np.broadcast_to(_plane_index(first, sp), x.shape[:-nd] + tuple(out)).copy()
    best = np.full(x.shape[:-nd] + tuple(out), lo, dtype=x.dtype)
    for off, sl in zip(offs, slices):
        v = xp[sl]
        m = v > best
        if floating:
            m |= v != v
        np.copyto(best, v, where=m)
        np.copyto(idx, base_flat + off, where=m)
    return best, idx


def _scatter_to_planes(g, idx, in_sp, unique):
    """``g`` added into zero planes of shape ``in_sp`` at flat plane indices ``idx``."""
    lead = g.shape[:-len(in_sp)] if in_sp else g.shape
    B = _prod(lead)
    P = _prod(in_sp)
    n_out = g.size // B if B else 0
    gi = idx.reshape(B, n_out) + (np.arange(B, dtype=np.int64) * P)[:, None]
    if unique:
        res = np.zeros(B * P, dtype=g.dtype)
        res[gi.ravel()] = g.ravel()
    else:
        res = np.bincount(gi.ravel(), weights=g.ravel(), minlength=B * P).astype(g.dtype, copy=False)
    return res.reshape(tuple(lead) + tuple(in_sp))


class IndexScatter(Op):
    """Backward of a max pooling: the grad sent to the saved flat indices (its own backward gathers)."""

    node_name = "MaxPool2DWithIndicesBackwardBackward0"
    saves = False

    @staticmethod
    def forward(ctx, g, idx, in_sp, unique):
        return _scatter_to_planes(g._data, idx, in_sp, unique)

    @staticmethod
    def backward(ctx, gg):
        _, idx, in_sp, _ = ctx.inputs
        return IndexGather.apply(gg, idx, in_sp)


class IndexGather(Op):
    """``x``'s planes read at flat indices ``idx`` (the adjoint of ``IndexScatter``)."""

    node_name = "GatherBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, idx, in_sp):
        x = a._data
        nd = len(in_sp)
        B = _prod(x.shape[:-nd])
        flat = x.reshape(B, -1)
        res = np.take_along_axis(flat, idx.reshape(B, -1), 1)
        return res.reshape(idx.shape)

    @staticmethod
    def backward(ctx, g):
        _, idx, in_sp = ctx.inputs
        return IndexScatter.apply(g, idx, in_sp, False)


class _MaxPool(Op):
    """Max pooling with indices; the indices output is not differentiable."""

    node_name = "MaxPool2DWithIndicesBackward0"
    _nd = 2

    @classmethod
    def forward(cls, ctx, a, k, s, p, d, out, unique):
        x = a._data
        ctx.mark_non_differentiable(1)
        vals, idx = _max_windows(x, cls._nd, k, s, p, d, out, True)
        ctx.idx = idx
        return vals, idx

    @classmethod
    def backward(cls, ctx, g, gi=None):
        a, k, s, p, d, out, unique = ctx.inputs
        in_sp = a._data.shape[-cls._nd:]
        if _grad_state.enabled:
            return IndexScatter.apply(g, ctx.idx, in_sp, unique)
        return _wrap(_scatter_to_planes(g._data, ctx.idx, in_sp, unique))


class MaxPool2D(_MaxPool):
    node_name = "MaxPool2DWithIndicesBackward0"
    _nd = 2


class MaxPool3D(_MaxPool):
    node_name = "MaxPool3DWithIndicesBackward0"
    _nd = 3


def _tup(v, n, fname, what):
    if isinstance(v, (int, np.integer)):
        return (int(v),) * n
    v = tuple(int(i) for i in v)
    if len(v) == 1:
        return v * n
    if len(v) != n:
        raise RuntimeError(f"{fname}: {what} must either be a single int, or a tuple of {_NUM[n]} ints")
    return v


_NUM = {2: "two", 3: "three"}
_DIMS = {2: ("H", "W"), 3: ("T", "H", "W")}


def _pool_checks(fname, x, nd, k, s, p, d, ceil_mode, avg=False):
    if any(v <= 0 for v in s):
        raise RuntimeError("stride should not be zero")
    if any(v <= 0 for v in k):
        raise RuntimeError("kernel size should be greater than zero, but got " +
                           " ".join(f"k{n}: {v}" for n, v in zip(_DIMS[nd], k)))
    if any(v < 0 for v in p):
        raise RuntimeError(f"pad must be non-negative, but got pad: {next(v for v in p if v < 0)}")
    for pp, kk, dd in zip(p, k, d):
        if pp > ((kk - 1) * dd + 1) // 2:
            raise RuntimeError(f"pad should be at most half of effective kernel size, but got pad={pp}, "
                               f"kernel_size={kk} and dilation={dd}")
    if any(v <= 0 for v in d):
        raise RuntimeError("dilation should be greater than zero, but got " +
                           " ".join(f"dilation{n}: {v}" for n, v in zip(_DIMS[nd], d)))
    if x.ndim not in (nd + 1, nd + 2):
        if avg or nd != 2:
            raise RuntimeError(f"Expected {nd + 1}D or {nd + 2}D (batch mode) tensor with optional 0 dim batch size "
                               f"for input, but got:{list(x.shape)}")
        raise RuntimeError("non-empty 3D or 4D (batch mode) tensor expected for input")
    if any(v == 0 for v in x.shape[-(nd + 1):]):
        raise RuntimeError(f"Expected {nd + 1}D or {nd + 2}D (batch mode) tensor with optional 0 dim batch size for "
                           f"input, but got:{list(x.shape)}")
    if any(pp > kk // 2 for pp, kk in zip(p, k)):
        names = _DIMS[nd][::-1]
        raise RuntimeError("pad should be smaller than or equal to half of kernel size, but got " +
                           ", ".join(f"pad{n} = {v}" for n, v in zip(names, p[::-1])) + ", " +
                           ", ".join(f"k{n} = {v}" for n, v in zip(names, k[::-1])))
    sp = x.shape[-nd:]
    out = tuple(_pool_out(n, kk, ss, pp, dd, ceil_mode) for n, kk, ss, pp, dd in zip(sp, k, s, p, d))
    if any(o < 1 for o in out):
        C = x.shape[-nd - 1]
        raise RuntimeError(f"Given input size: ({'x'.join(str(v) for v in (C,) + tuple(sp))}). Calculated output size: "
                           f"({'x'.join(str(v) for v in (C,) + tuple(out))}). Output size is too small")
    return out


def _max_pool(nd, fname, input, kernel_size, stride, padding, dilation, ceil_mode, return_indices):
    x = input._data
    k = _tup(kernel_size, nd, fname, "kernel_size")
    s = k if stride is None or (not isinstance(stride, int) and len(stride) == 0) else _tup(stride, nd, fname,
                                                                                             "stride")
    p = _tup(padding, nd, fname, "padding")
    d = _tup(dilation, nd, fname, "dilation")
    out = _pool_checks(fname, x, nd, k, s, p, d, ceil_mode)
    if x.dtype.kind == "b":
        raise NotImplementedError(f"\"max_pool{nd}d\" not implemented for '{_type_name(x.dtype)}'")
    unique = all(ss >= dd * (kk - 1) + 1 for ss, dd, kk in zip(s, d, k))
    cls = MaxPool2D if nd == 2 else MaxPool3D
    if not return_indices and not (_grad_state.enabled and input._requires_grad):
        return _wrap(_max_windows(x, nd, k, s, p, d, out, False)[0])
    vals, idx = cls.apply(input, k, s, p, d, out, unique)
    return (vals, idx) if return_indices else vals


def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    return _max_pool(2, "max_pool2d", input, kernel_size, stride, padding, dilation, ceil_mode, return_indices)


def max_pool2d_with_indices(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
                            return_indices=True):
    return _max_pool(2, "max_pool2d", input, kernel_size, stride, padding, dilation, ceil_mode, True)


def max_pool3d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    return _max_pool(3, "max_pool3d", input, kernel_size, stride, padding, dilation, ceil_mode, return_indices)


def max_pool3d_with_indices(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
                            return_indices=True):
    return _max_pool(3, "max_pool3d", input, kernel_size, stride, padding, dilation, ceil_mode, True)


def _one_int(v, fname, what):
    if isinstance(v, (int, np.integer)):
        return int(v)
    v = tuple(v)
    if len(v) != 1:
        raise RuntimeError(f"{fname}() {what} must be an int, list of ints or tuple of ints of size 1 but got size "
                           f"{len(v)}")
    return int(v[0])


def max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    x = input._data
    if x.ndim not in (2, 3) or any(v == 0 for v in x.shape[-2:]):
        raise RuntimeError(f"max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for "
                           f"input, but got:{list(x.shape)}")
    k = _one_int(kernel_size, "max_pool1d", "kernel_size")
    s = k if stride is None or (not isinstance(stride, int) and len(stride) == 0) else _one_int(
        stride, "max_pool1d", "stride")
    p = _one_int(padding, "max_pool1d", "padding")
    d = _one_int(dilation, "max_pool1d", "dilation")
    if k <= 0:
        raise RuntimeError(f"max_pool1d() kernel_size must be greater than zero, but got {k}")
    if s <= 0:
        raise RuntimeError(f"max_pool1d() stride must be greater than zero, but got {s}")
    if p < 0:
        raise RuntimeError(f"max_pool1d() padding must be non-negative, but got {p}")
    if p > k // 2:
        raise RuntimeError(f"max_pool1d() padding should be at most half of kernel size, but got padding={p} and "
                           f"kernel_size={k}")
    if d <= 0:
        raise RuntimeError(f"max_pool1d() dilation must be greater than zero, but got {d}")
    o = _pool_out(x.shape[-1], k, s, p, d, ceil_mode)
    if o < 1:
        raise RuntimeError(f"max_pool1d() Invalid computed output size: {o}")
    r = _max_pool(2, "max_pool2d", input.unsqueeze(-2), (1, k), (1, s), (0, p), (1, d), ceil_mode, return_indices)
    if return_indices:
        return r[0].squeeze(-2), r[1].squeeze(-2)
    return r.squeeze(-2)


def max_pool1d_with_indices(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
                            return_indices=True):
    return max_pool1d(input, kernel_size, stride, padding, dilation, ceil_mode, True)


# ============================================================================ average pooling

def _avg_divisor(sp, k, s, p, out, count_include_pad, divisor_override, dtype):
    if divisor_override is not None:
        return np.asarray(divisor_override, dtype=dtype)
    div = None
    nd = len(sp)
    for i, (n, kk, st, pp, o) in enumerate(zip(sp, k, s, p, out)):
        start = np.arange(o) * st - pp
        end = np.minimum(start + kk, n + pp)
        size = end - start
        c = size if count_include_pad else np.minimum(end, n) - np.maximum(start, 0)
        shape = [1] * nd
        shape[i] = -1
        c = c.reshape(shape)
        div = c if div is None else div * c
    return div.astype(dtype)


def _avg_fwd(x, nd, k, s, p, out, div):
    xp = _padded(x, x.ndim - nd, k, s, p, (1,) * nd, out, 0)
    acc = None
    for _, sl in _kernel_slices(k, s, (1,) * nd, out):
        v = xp[sl]
        if acc is None:
            acc = v.astype(np.float32 if x.dtype == np.float16 else x.dtype)
        else:
            acc += v
    if x.dtype.kind in "iu":  # integer division truncating toward zero, as PyTorch's integer kernels do
        q = np.abs(acc) // np.abs(div)
        return (np.where((acc < 0) != (div < 0), -q, q)).astype(x.dtype)
    return (acc / div).astype(x.dtype, copy=False)


def _avg_bwd(g, nd, in_sp, k, s, p, out, div):
    gd = g / div
    lead = g.shape[:-nd]
    need = [(o - 1) * st + kk for o, st, kk in zip(out, s, k)]
    full = tuple(max(n + 2 * pp, L) for n, pp, L in zip(in_sp, p, need))
    acc = np.zeros(tuple(lead) + full, dtype=g.dtype)
    for _, sl in _kernel_slices(k, s, (1,) * nd, out):
        acc[sl] += gd
    return np.ascontiguousarray(acc[(Ellipsis,) + tuple(slice(pp, pp + n) for pp, n in zip(p, in_sp))])


class _AvgPool(Op):
    node_name = "AvgPool2DBackward0"
    saves = False
    _nd = 2

    @classmethod
    def forward(cls, ctx, a, k, s, p, out, div):
        ctx.in_sp = a._data.shape[-cls._nd:]
        return _avg_fwd(a._data, cls._nd, k, s, p, out, div)

    @classmethod
    def backward(cls, ctx, g):
        _, k, s, p, out, div = ctx.inputs
        grad_cls = AvgPool2DGrad if cls._nd == 2 else AvgPool3DGrad
        if _grad_state.enabled:
            return grad_cls.apply(g, ctx.in_sp, k, s, p, out, div)
        return _wrap(_avg_bwd(g._data, cls._nd, ctx.in_sp, k, s, p, out, div))


class AvgPool2D(_AvgPool):
    node_name = "AvgPool2DBackward0"
    _nd = 2


class AvgPool3D(_AvgPool):
    node_name = "AvgPool3DBackward0"
    _nd = 3


class AvgPool2DGrad(Op):
    """Backward of avg pooling as an op: its own backward is the pooling again (the map is linear)."""

    node_name = "AvgPool2DBackwardBackward0"
    saves = False
    _fwd = AvgPool2D
    _nd = 2

    @classmethod
    def forward(cls, ctx, g, in_sp, k, s, p, out, div):
        return _avg_bwd(g._data, cls._nd, in_sp, k, s, p, out, div)

    @classmethod
    def backward(cls, ctx, gg):
        _, in_sp, k, s, p, out, div = ctx.inputs
        return cls._fwd.apply(gg, k, s, p, out, div)


class AvgPool3DGrad(AvgPool2DGrad):
    node_name = "AvgPool3DBackwardBackward0"
    _fwd = AvgPool3D
    _nd = 3


def _avg_pool(nd, fname, input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override):
    x = input._data
    k = _tup(kernel_size, nd, fname, "kernel_size")
    s = k if stride is None or (not isinstance(stride, int) and len(stride) == 0) else _tup(stride, nd, fname,
                                                                                             "stride")
    p = _tup(padding, nd, fname, "padding")
    if divisor_override is not None and divisor_override == 0:
        raise RuntimeError("divisor must be not zero")
    out = _pool_checks(fname, x, nd, k, s, p, (1,) * nd, ceil_mode, avg=True)
    if x.dtype.kind == "b":
        raise NotImplementedError(f"\"avg_pool{nd}d_out_frame\" not implemented for '{_type_name(x.dtype)}'")
    div = _avg_divisor(x.shape[-nd:], k, s, p, out, count_include_pad, divisor_override,
                       x.dtype if x.dtype.kind in "fc" else np.int64)
    return (AvgPool2D if nd == 2 else AvgPool3D).apply(input, k, s, p, out, div)


def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
               divisor_override=None):
    return _avg_pool(2, "avg_pool2d", input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                     divisor_override)


def avg_pool3d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
               divisor_override=None):
    return _avg_pool(3, "avg_pool3d", input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                     divisor_override)


def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
    x = input._data
    if x.ndim not in (2, 3):
        raise RuntimeError(f"Expected 2 to 3 dimensions, but got {x.ndim}-dimensional tensor for argument #1 'self' "
                           f"(while checking arguments for avg_pool1d)")
    k = _one_int(kernel_size, "avg_pool1d", "kernel_size")
    s = k if stride is None or (not isinstance(stride, int) and len(stride) == 0) else _one_int(
        stride, "avg_pool1d", "stride")
    p = _one_int(padding, "avg_pool1d", "padding")
    r = _avg_pool(2, "avg_pool2d", input.unsqueeze(-2), (1, k), (1, s), (0, p), ceil_mode, count_include_pad, None)
    return r.squeeze(-2)


# ============================================================================ adaptive pooling

def _adaptive_bounds(n, o):
    i = np.arange(o)
    start = (i * n) // o
    end = -((-(i + 1) * n) // o)
    return start, end


def _out_sizes(output_size, nd, sp):
    if isinstance(output_size, (int, np.integer)):
        return (int(output_size),) * nd
    v = tuple(output_size)
    if len(v) == 1 and nd > 1:
        v = v * nd
    return tuple(sp[i] if v[i] is None else int(v[i]) for i in range(nd))


def _avg_matrix(n, o, dtype):
    start, end = _adaptive_bounds(n, o)
    j = np.arange(n)
    m = ((j[None, :] >= start[:, None]) & (j[None, :] < end[:, None])).astype(np.float64)
    return (m / (end - start)[:, None]).astype(dtype)


AdaptiveAvgPool2D = type("AdaptiveAvgPool2D", (AxisMap,), {"node_name": "AdaptiveAvgPool2DBackward0",
                                                           "__module__": __name__})
AdaptiveAvgPool3D = type("AdaptiveAvgPool3D", (AxisMap,), {"node_name": "AdaptiveAvgPool3DBackward0",
                                                           "__module__": __name__})


def _adaptive_avg(nd, fname, input, output_size):
    x = input._data
    if not isinstance(output_size, (int, np.integer)) and len(output_size) != nd:
        raise RuntimeError(f"{fname}: output_size must be {nd}")
    _adaptive_check(fname, x, nd, "")
    out = _out_sizes(output_size, nd, x.shape[-nd:])
    if any(o < 0 for o in out):
        raise RuntimeError(f"{fname}: elements of output_size must be greater than or equal to 0 but received "
                           f"{{{', '.join(str(o) for o in out)}}}")
    if x.dtype.kind not in "fc":
        raise NotImplementedError(f"\"{fname}\" not implemented for '{_type_name(x.dtype)}'")
    if all(o == 1 for o in out) and all(v for v in x.shape):
        return input.mean(tuple(range(-nd, 0)), keepdim=True)
    maps = tuple((x.ndim - nd + i, None, _avg_matrix(x.shape[x.ndim - nd + i], o, np.float64))
                 for i, o in enumerate(out))
    return (AdaptiveAvgPool2D if nd == 2 else AdaptiveAvgPool3D).apply(input, maps)


def adaptive_avg_pool2d(input, output_size):
    return _adaptive_avg(2, "adaptive_avg_pool2d", input, output_size)


def adaptive_avg_pool3d(input, output_size):
    return _adaptive_avg(3, "adaptive_avg_pool3d", input, output_size)


def adaptive_avg_pool1d(input, output_size):
    x = input._data
    if x.ndim not in (2, 3):
        raise RuntimeError(f"Expected 2 to 3 dimensions, but got {x.ndim}-dimensional tensor for argument #1 'self' "
                           f"(while checking arguments for adaptive_avg_pool1d)")
    o = _one_int(output_size, "adaptive_avg_pool1d", "output_size")
    return adaptive_avg_pool2d(input.unsqueeze(-2), (1, o)).squeeze(-2)


def _adaptive_check(fname, x, nd, colon):
    if x.ndim not in (nd + 1, nd + 2):
        raise RuntimeError(f"{fname}(): Expected {nd + 1}D or {nd + 2}D tensor, but got{colon} {list(x.shape)}")
    for i in range(1 if x.ndim == nd + 2 else 0, x.ndim):
        if x.shape[i] == 0:
            raise RuntimeError(f"{fname}(): Expected input to have non-zero size for non-batch dimensions, but input "
                               f"has sizes {list(x.shape)} with dimension {i} being empty")


def _adaptive_max_windows(x, nd, out):
    sp = x.shape[-nd:]
    lo = _lowest(x.dtype)
    bounds = [_adaptive_bounds(n, o) for n, o in zip(sp, out)]
    kmax = [int((e - s).max()) for s, e in bounds]
    idx = np.broadcast_to(_plane_index([s for s, _ in bounds], sp), x.shape[:-nd] + tuple(out)).copy()
    best = np.full(x.shape[:-nd] + tuple(out), lo, dtype=x.dtype)
    isfloat = x.dtype.kind == "f"
    for kk in np.ndindex(*kmax):
        pos = [np.minimum(s + j, e - 1) for (s, e), j in zip(bounds, kk)]
        v = x
        for i, ps in enumerate(pos):
            v = np.take(v, ps, axis=x.ndim - nd + i)
        m = v > best
        if isfloat:
            m |= v != v
        np.copyto(best, v, where=m)
        np.copyto(idx, _plane_index(pos, sp), where=m)
    return best, idx


class _AdaptiveMax(Op):
    node_name = "AdaptiveMaxPool2DBackward0"
    _nd = 2

    @classmethod
    def forward(cls, ctx, a, out):
        ctx.mark_non_differentiable(1)
        vals, idx = _adaptive_max_windows(a._data, cls._nd, out)
        ctx.idx = idx
        return vals, idx

    @classmethod
    def backward(cls, ctx, g, gi=None):
        a = ctx.inputs[0]
        in_sp = a._data.shape[-cls._nd:]
        if _grad_state.enabled:
            return IndexScatter.apply(g, ctx.idx, in_sp, False)
        return _wrap(_scatter_to_planes(g._data, ctx.idx, in_sp, False))


class AdaptiveMaxPool2D(_AdaptiveMax):
    node_name = "AdaptiveMaxPool2DBackward0"
    _nd = 2


class AdaptiveMaxPool3D(_AdaptiveMax):
    node_name = "AdaptiveMaxPool3DBackward0"
    _nd = 3


def _adaptive_max(nd, fname, input, output_size, return_indices):
    x = input._data
    _adaptive_check(fname, x, nd, ":")
    out = _out_sizes(output_size, nd, x.shape[-nd:])
    if any(o < 0 for o in out):
        raise RuntimeError(f"Trying to create tensor with negative dimension {min(out)}: "
                           f"{list(x.shape[:-nd] + tuple(out))}")
    if x.dtype.kind not in "fc":
        raise NotImplementedError(f"\"{fname}\" not implemented for '{_type_name(x.dtype)}'")
    vals, idx = (AdaptiveMaxPool2D if nd == 2 else AdaptiveMaxPool3D).apply(input, out)
    return (vals, idx) if return_indices else vals


def adaptive_max_pool2d(input, output_size, return_indices=False):
    return _adaptive_max(2, "adaptive_max_pool2d", input, output_size, return_indices)


def adaptive_max_pool3d(input, output_size, return_indices=False):
    return _adaptive_max(3, "adaptive_max_pool3d", input, output_size, return_indices)


def adaptive_max_pool1d(input, output_size, return_indices=False):
    x = input._data
    if x.ndim not in (2, 3):
        raise RuntimeError(f"Expected 2 to 3 dimensions, but got {x.ndim}-dimensional tensor for argument #1 'self' "
                           f"(while checking arguments for adaptive_max_pool1d)")
    o = _one_int(output_size, "adaptive_max_pool1d", "output_size")
    r = adaptive_max_pool2d(input.unsqueeze(-2), (1, o), True)
    if return_indices:
        return r[0].squeeze(-2), r[1].squeeze(-2)
    return r[0].squeeze(-2)


adaptive_max_pool1d_with_indices = adaptive_max_pool1d
adaptive_max_pool2d_with_indices = adaptive_max_pool2d


# ============================================================================ max_unpool / lp_pool

class MaxUnpool(Op):
    node_name = "MaxUnpool2DBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, idx, out_sp):
        return _scatter_to_planes(a._data, idx, out_sp, True)

    @staticmethod
    def backward(ctx, g):
        _, idx, out_sp = ctx.inputs
        return IndexGather.apply(g, idx, out_sp)


def _max_unpool(nd, fname, input, indices, kernel_size, stride, padding, output_size):
    k = _tup(kernel_size, nd, fname, "kernel_size")
    s = k if stride is None else _tup(stride, nd, fname, "stride")
    p = _tup(padding, nd, fname, "padding")
    x = input._data
    sp = x.shape[-nd:]
    default = [(n - 1) * st - 2 * pp + kk for n, st, pp, kk in zip(sp, s, p, k)]
    if output_size is None:
        out = tuple(default)
    else:
        out = tuple(output_size)[-nd:]
    idx = indices._data
    if idx.dtype != np.int64:
        raise RuntimeError(f"elements in indices should be type int64 but got: {_type_name(idx.dtype)}")
    if idx.shape != x.shape:
        raise RuntimeError(f"Expected shape of indices to be same as that of the input tensor ({list(x.shape)}) but "
                           f"got indices tensor with shape: {list(idx.shape)}")
    P = _prod(out)
    if idx.size and (idx.min() < 0 or idx.max() >= P):
        bad = int(idx.ravel()[np.argmax((idx.ravel() < 0) | (idx.ravel() >= P))])
        raise RuntimeError(f"Found an invalid max index: {bad} (output volumes are of size "
                           f"{'x'.join(str(o) for o in out)})")
    return MaxUnpool.apply(input, idx, out)


def max_unpool1d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    k = _one_int(kernel_size, "max_unpool1d", "kernel_size")
    s = k if stride is None else _one_int(stride, "max_unpool1d", "stride")
    p = _one_int(padding, "max_unpool1d", "padding")
    osz = None if output_size is None else (1, tuple(output_size)[-1])
    return _max_unpool(2, "max_unpool2d", input.unsqueeze(-2), indices.unsqueeze(-2), (1, k), (1, s), (0, p),
                       osz).squeeze(-2)


def max_unpool2d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    return _max_unpool(2, "max_unpool2d", input, indices, kernel_size, stride, padding, output_size)


def lp_pool2d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    """``F.lp_pool2d``: ``(sum over the window of x ** p) ** (1 / p)`` (PyTorch's composition)."""
    kw, kh = _tup(kernel_size, 2, "lp_pool2d", "kernel_size")
    if stride is not None:
        out = avg_pool2d(input.pow(norm_type), (kw, kh), stride, 0, ceil_mode)
    else:
        out = avg_pool2d(input.pow(norm_type), (kw, kh), padding=0, ceil_mode=ceil_mode)
    from .elementwise import relu
    return (out.sign() * relu(out.abs())).mul(kw * kh).pow(1.0 / norm_type)


def lp_pool1d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    """``F.lp_pool1d`` (PyTorch's composition)."""
    if stride is not None:
        out = avg_pool1d(input.pow(norm_type), kernel_size, stride, 0, ceil_mode)
    else:
        out = avg_pool1d(input.pow(norm_type), kernel_size, padding=0, ceil_mode=ceil_mode)
    from .elementwise import relu
    return (out.sign() * relu(out.abs())).mul(kernel_size).pow(1.0 / norm_type)

