"""Spatial resampling: ``pad`` (constant, reflect, replicate, circular), ``interpolate`` (nearest,
(bi/tri)linear, bicubic), ``pixel_shuffle`` / ``pixel_unshuffle``, and the per-axis linear maps behind them.

NOTE [ separable axis maps ]: reflect/replicate/circular padding, nearest and (bi)linear
resizing and adaptive average pooling all act on each spatial axis independently, as a
small matrix ``M (out_len, in_len)`` applied along that axis. ``AxisMap`` runs such a chain:
forward gathers (``np.take``, for one-hot maps) or multiplies; backward multiplies the grad
by each ``M.T`` (a GEMM: no ``np.add.at`` scatter, and collisions sum for free). With
``create_graph`` the backward uses ember's ``matmul``, so it is differentiable again.
"""
import math

import numpy as np

from ..autograd.grad_mode import _state as _grad_state
from ._util import _wrap
from .elementwise import Op


# ============================================================================ per-axis maps

def _onehot(idx, n, dtype):
    m = np.zeros((len(idx), n), dtype=dtype)
    m[np.arange(len(idx)), idx] = 1
    return m


def _along(x, axis, m):
    """``m`` (out, in) applied along ``axis`` of array ``x``."""
    nd = x.ndim
    if axis == nd - 1:
        return x @ m.T
    if axis == nd - 2:
        return np.matmul(m, x)
    return np.ascontiguousarray(np.moveaxis(np.tensordot(m, x, axes=(1, axis)), 0, axis))


def _along_t(g, axis, m):
    """The same on a Tensor with ember's ops (differentiable)."""
    nd = g.dim()
    mt = _wrap(m)
    if axis == nd - 1:
        return g.matmul(mt.t())
    if axis == nd - 2:
        return mt.matmul(g)
    return mt.matmul(g.movedim(axis, -2)).movedim(-2, axis)


class AxisMap(Op):
    """``x`` with axis ``ax`` mapped by ``maps[i] = (ax, index or None, matrix or None)`` in turn."""

    node_name = "AxisMapBackward"
    saves = False

    @staticmethod
    def forward(ctx, a, maps, in_shape=None):
        x = a._data
        ctx.shape = x.shape
        for ax, idx, m in maps:
            x = np.take(x, idx, axis=ax) if idx is not None else _along(x, ax, m.astype(x.dtype, copy=False))
        return x if x is not a._data else x.copy()

    @staticmethod
    def backward(ctx, g):
        maps = ctx.inputs[1]
        shape = ctx.shape
        dt = g._data.dtype
        mats = [(ax, m.astype(dt, copy=False) if m is not None else _onehot(idx, shape[ax], dt).astype(dt))
                for ax, idx, m in maps]
        if not _grad_state.enabled:
            y = g._data
            for ax, m in reversed(mats):
                y = _along(y, ax, m.T)
            return _wrap(y)
        for ax, m in reversed(mats):
            g = _along_t(g, ax, np.ascontiguousarray(m.T))
        return g


def _axis_map_cls(node):
    return type(node.replace("Backward0", "").replace("torch::autograd::", ""), (AxisMap,),
                {"node_name": node, "__module__": __name__})


ReflectionPad1D = _axis_map_cls("ReflectionPad1DBackward0")
ReflectionPad2D = _axis_map_cls("ReflectionPad2DBackward0")
ReflectionPad3D = _axis_map_cls("ReflectionPad3DBackward0")
ReplicationPad1D = _axis_map_cls("ReplicationPad1DBackward0")
ReplicationPad2D = _axis_map_cls("ReplicationPad2DBackward0")
ReplicationPad3D = _axis_map_cls("ReplicationPad3DBackward0")
CircularPad = type("CircularPad", (AxisMap,), {"node_name": "CopySlices", "__module__": __name__})
CircularPad._node_cls.name = lambda self: "torch::autograd::CopySlices"
UpsampleNearest1D = _axis_map_cls("UpsampleNearest1DBackward0")
UpsampleNearest2D = _axis_map_cls("UpsampleNearest2DBackward0")
UpsampleNearest3D = _axis_map_cls("UpsampleNearest3DBackward0")
UpsampleNearestExact1D = _axis_map_cls("UpsampleNearestExact1DBackward0")
UpsampleNearestExact2D = _axis_map_cls("UpsampleNearestExact2DBackward0")
UpsampleNearestExact3D = _axis_map_cls("UpsampleNearestExact3DBackward0")
UpsampleLinear1D = _axis_map_cls("UpsampleLinear1DBackward0")
UpsampleBilinear2D = _axis_map_cls("UpsampleBilinear2DBackward0")
UpsampleTrilinear3D = _axis_map_cls("UpsampleTrilinear3DBackward0")


class UpsampleBicubic2D(AxisMap):
    node_name = "UpsampleBicubic2DBackward0"

    @staticmethod
    def backward(ctx, g):
        # PyTorch's bicubic backward copies the grad when no size changes, although its forward still
        # resamples there (a scale_factor such as 1.1 that rounds back to the same size): matched here
        if tuple(g.shape) == tuple(ctx.shape):
            return g.clone() if _grad_state.enabled else _wrap(g._data.copy())
        return AxisMap.backward(ctx, g)


# ============================================================================ pad

class ConstantPadNd(Op):
    """``F.pad(mode='constant')``; negative pads crop. The grad is the grad padded by the negated pads."""

    node_name = "ConstantPadNdBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, pads, value):
        x = a._data
        nd = len(pads)
        lead = x.ndim - nd
        shape = x.shape[:lead] + tuple(s + lo + hi for s, (lo, hi) in zip(x.shape[lead:], pads))
        for s, (lo, hi), full in zip(x.shape[lead:], pads, shape[lead:]):
            if full < 0:
                raise RuntimeError("narrow(): length must be non-negative.")
        out = np.full(shape, value, dtype=x.dtype) if value != 0 else np.zeros(shape, dtype=x.dtype)
        src = (Ellipsis,) + tuple(slice(max(-lo, 0), s - max(-hi, 0)) for s, (lo, hi) in zip(x.shape[lead:], pads))
        dst = (Ellipsis,) + tuple(slice(max(lo, 0), f - max(hi, 0)) for f, (lo, hi) in zip(shape[lead:], pads))
        if all(d.start < d.stop for d in dst[1:]):
            out[dst] = x[src]
        return out

    @staticmethod
    def backward(ctx, g):
        pads = ctx.inputs[1]
        return ConstantPadNd.apply(g, tuple((-lo, -hi) for lo, hi in pads), 0)


_PAD_HELP = ("Supported combinations for non-constant padding:\n"
             "  - 2D or 3D input: padding size = 2 (pads last dimension)\n"
             "  - 3D or 4D input: padding size = 4 (pads last 2 dimensions)\n"
             "  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)")


def _pad_index(n, lo, hi, mode):
    """Source index of every output position of one padded axis."""
    j = np.arange(-lo, n + hi)
    if mode == "reflect":
        period = 2 * (n - 1)
        j = np.abs(j) % period if period else np.zeros_like(j)
        j = np.where(j >= n, period - j, j)
    elif mode == "replicate":
        j = np.clip(j, 0, n - 1)
    else:  # circular: negative pads crop first, the positive ones wrap around what is left (PyTorch's result)
        c0 = max(-lo, 0)
        nc = n - c0 - max(-hi, 0)
        j = c0 + np.arange(-max(lo, 0), nc + max(hi, 0)) % nc
    return j


def pad(input, pad, mode="constant", value=None):
    """``F.pad``: pad the last ``len(pad) // 2`` dims (pairs given from the last dim backwards)."""
    for i, p in enumerate(pad):
        if not isinstance(p, (int, np.integer)) or isinstance(p, bool):
            raise TypeError(f"pad(): argument 'pad' (position 2) must be tuple of ints, but found element of type "
                            f"{type(p).__name__} at pos {i}")
    if len(pad) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    x = input._data
    nd = len(pad) // 2
    if mode == "constant":
        if nd > x.ndim:
            raise RuntimeError(f"Padding length should be less than or equal to two times the input dimension but got "
                               f"padding length {len(pad)} and input of dimension {x.ndim}")
        pads = tuple((int(pad[2 * i]), int(pad[2 * i + 1])) for i in range(nd))[::-1]
        return ConstantPadNd.apply(input, pads, 0 if value is None else value)
    if mode not in ("reflect", "replicate", "circular"):
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    if value is not None and value != 0:
        raise RuntimeError(f"Padding mode \"{mode}\" doesn't take in value argument")
    if nd not in (1, 2, 3) or x.ndim not in (nd + 1, nd + 2):
        raise NotImplementedError(f"Padding size {len(pad)} is not supported for {x.ndim}D input tensor.\n" + _PAD_HELP)
    pads = [(int(pad[2 * i]), int(pad[2 * i + 1])) for i in range(nd)][::-1]
    lead = x.ndim - nd
    if mode == "reflect" or mode == "replicate":
        batch_ok = all(s > 0 for s in x.shape[1:]) if x.ndim == nd + 2 else all(s > 0 for s in x.shape)
        if not batch_ok:
            raise RuntimeError(f"Expected {nd + 1}D or {nd + 2}D (batch mode) tensor with possibly 0 batch size and "
                               f"other non-zero dimensions for input, but got: {list(x.shape)}")
    maps = []
    for i, (lo, hi) in enumerate(pads):
        ax = lead + i
        n = x.shape[ax]
        if mode == "reflect" and (lo >= n or hi >= n):
            raise RuntimeError(f"Argument #4: Padding size should be less than the corresponding input dimension, but "
                               f"got: padding ({pad[2 * (nd - 1 - i)]}, {pad[2 * (nd - 1 - i) + 1]}) at dimension "
                               f"{ax} of input {list(x.shape)}")
        if mode == "circular" and (lo > n or hi > n):
            raise RuntimeError("Padding value causes wrapping around more than once.")
        maps.append((ax, _pad_index(n, lo, hi, mode), None))
    if mode == "circular":
        cls = CircularPad
    else:
        cls = (ReflectionPad1D, ReflectionPad2D, ReflectionPad3D, ReplicationPad1D, ReplicationPad2D,
               ReplicationPad3D)[(mode == "replicate") * 3 + nd - 1]
    return cls.apply(input, tuple(maps))


# ============================================================================ pixel shuffle

def _shuffle_check(x, name):
    if x.ndim < 3:
        raise RuntimeError(f"{name} expects input to have at least 3 dimensions, but got input with {x.ndim} "
                           f"dimension(s)")


class PixelShuffle(Op):
    node_name = "PixelShuffleBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, r):
        x = a._data
        *b, c, h, w = x.shape
        y = x.reshape(tuple(b) + (c // (r * r), r, r, h, w))
        n = len(b)
        y = y.transpose(tuple(range(n)) + (n, n + 3, n + 1, n + 4, n + 2))
        return np.ascontiguousarray(y).reshape(tuple(b) + (c // (r * r), h * r, w * r))

    @staticmethod
    def backward(ctx, g):
        return pixel_unshuffle(g, ctx.inputs[1])


class PixelUnshuffle(Op):
    node_name = "PixelUnshuffleBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, r):
        x = a._data
        *b, c, h, w = x.shape
        n = len(b)
        y = x.reshape(tuple(b) + (c, h // r, r, w // r, r))
        y = y.transpose(tuple(range(n)) + (n, n + 2, n + 4, n + 1, n + 3))
        return np.ascontiguousarray(y).reshape(tuple(b) + (c * r * r, h // r, w // r))

    @staticmethod
    def backward(ctx, g):
        return pixel_shuffle(g, ctx.inputs[1])


def pixel_shuffle(input, upscale_factor):
    x = input._data
    _shuffle_check(x, "pixel_shuffle")
    r = int(upscale_factor)
    if r <= 0:
        raise RuntimeError(f"pixel_shuffle expects a positive upscale_factor, but got {r}")
    c = x.shape[-3]
    if c % (r * r):
        raise RuntimeError(f"pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of "
                           f"upscale_factor, but input.size(-3)={c} is not divisible by {r * r}")
    return PixelShuffle.apply(input, r)


def pixel_unshuffle(input, downscale_factor):
    x = input._data
    _shuffle_check(x, "pixel_unshuffle")
    r = int(downscale_factor)
    if r <= 0:
        raise RuntimeError(f"pixel_unshuffle expects a positive downscale_factor, but got {r}")
    h, w = x.shape[-2:]
    if h % r:
        raise RuntimeError(f"pixel_unshuffle expects height to be divisible by downscale_factor, but input.size(-2)={h}"
                           f" is not divisible by {r}")
    if w % r:
        raise RuntimeError(f"pixel_unshuffle expects width to be divisible by downscale_factor, but input.size(-1)={w} "
                           f"is not divisible by {r}")
    return PixelUnshuffle.apply(input, r)


# ============================================================================ interpolate

def _linear_matrix(n_in, n_out, align_corners, scale):
    """Rows of (bi)linear interpolation weights along one axis (PyTorch's source-index rule)."""
    if n_in == n_out:  # PyTorch's linear kernels copy when the sizes agree, whatever the scale factor
        return np.eye(n_in)
    m = np.zeros((n_out, n_in), dtype=np.float64)
    d = np.arange(n_out, dtype=np.float64)
    if align_corners:
        r = (n_in - 1) / (n_out - 1) if n_out > 1 else 0.0
        src = d * r
    else:
        r = (1.0 / scale) if scale is not None else n_in / n_out
        src = np.maximum((d + 0.5) * r - 0.5, 0.0)
    i0 = np.minimum(np.floor(src).astype(np.int64), n_in - 1)
    i1 = np.minimum(i0 + 1, n_in - 1)
    l1 = src - i0
    rows = np.arange(n_out)
    np.add.at(m, (rows, i0), 1 - l1)  # n_out x 2 entries: tiny
    np.add.at(m, (rows, i1), l1)
    return m


_CUBIC_A = -0.75


def _cubic_weights(t):
    """Keys' cubic convolution weights (A = -0.75) of the 4 taps at offsets -1, 0, 1, 2 from ``floor(src)``."""
    a = _CUBIC_A

    def near(x):  # |x| <= 1
        return ((a + 2) * x - (a + 3)) * x * x + 1

    def far(x):  # 1 < |x| < 2
        return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a

    return (far(t + 1), near(t), near(1 - t), far(2 - t))


def _cubic_matrix(n_in, n_out, align_corners, scale):
    """Rows of bicubic interpolation weights along one axis; taps beyond the border clamp to the edge pixel."""
    d = np.arange(n_out, dtype=np.float64)
    if align_corners:
        src = d * ((n_in - 1) / (n_out - 1) if n_out > 1 else 0.0)
    else:  # unlike the linear modes, the source index is not clamped at 0
        src = (d + 0.5) * ((1.0 / scale) if scale is not None and scale > 0 else n_in / n_out) - 0.5
    i0 = np.floor(src)
    w = _cubic_weights(src - i0)
    i0 = i0.astype(np.int64)
    m = np.zeros((n_out, n_in), dtype=np.float64)
    rows = np.arange(n_out)
    for k in range(4):  # clamped taps can coincide: accumulate
        np.add.at(m, (rows, np.clip(i0 - 1 + k, 0, n_in - 1)), w[k])
    return m


def _nearest_index(n_in, n_out, scale, exact):
    r = (1.0 / scale) if scale is not None else n_in / n_out
    d = np.arange(n_out, dtype=np.float64)
    src = np.floor((d + 0.5) * r) if exact else np.floor(d * np.float32(r))
    return np.minimum(src.astype(np.int64), n_in - 1)


_MODES = ("nearest", "linear", "bilinear", "bicubic", "trilinear", "area", "nearest-exact")


def interpolate(input, size=None, scale_factor=None, mode="nearest", align_corners=None, recompute_scale_factor=None,
                antialias=False):
    """``F.interpolate`` for ``nearest``, ``nearest-exact``, ``linear``, ``bilinear``, ``bicubic``, ``trilinear``,
    ``area`` (no ``antialias``)."""
    x = input._data
    nd = x.ndim - 2
    if mode not in _MODES:
        raise NotImplementedError(f"Input Error: Only 3D, 4D and 5D input Tensors supported (got {x.ndim}D) for the "
                                  f"modes: nearest | linear | bilinear | bicubic | trilinear | lanczos | area | "
                                  f"nearest-exact (got {mode})")
    if mode in ("nearest", "area", "nearest-exact") and align_corners is not None:
        raise ValueError("align_corners option can only be set with the interpolating modes: linear | bilinear | "
                         "bicubic | trilinear")
    if size is not None and scale_factor is not None:
        raise ValueError("only one of size or scale_factor should be defined")
    if size is None and scale_factor is None:
        raise ValueError("either size or scale_factor should be defined")
    if size is not None and recompute_scale_factor:
        raise ValueError("recompute_scale_factor is not meaningful with an explicit size.")
    if size is not None:
        sizes = [int(size)] * nd if isinstance(size, (int, np.integer)) else [int(s) for s in size]
        if len(sizes) != nd:
            raise ValueError(f"Input and output must have the same number of spatial dimensions, but got input with "
                             f"spatial dimensions of {list(x.shape[2:])} and output size of {size}. Please "
                             f"provide input tensor in (N, C, d1, d2, ...,dK) format and output size in (o1, o2, ...,"
                             f"oK) format.")
        scales = [None] * nd
    else:
        sf = [float(scale_factor)] * nd if isinstance(scale_factor, (int, float)) else [float(s) for s in
                                                                                          scale_factor]
        if len(sf) != nd:
            raise ValueError(f"Input and scale_factor must have the same number of spatial dimensions, but got input "
                             f"with spatial dimensions of {list(x.shape[2:])} and scale_factor of shape {sf}. Please "
                             f"provide input tensor in (N, C, d1, d2, ...,dK) format and scale_factor in (s1, s2, ...,"
                             f"sK) format.")
        sizes = [int(math.floor(s * f)) for s, f in zip(x.shape[2:], sf)]
        scales = [None] * nd if recompute_scale_factor else sf
    if antialias and not (mode in ("bilinear", "bicubic") and x.ndim == 4):
        raise ValueError("Anti-alias option is restricted to bilinear, bicubic, and lanczos modes and requires a "
                         "4-D tensor as input")
    if mode == "area":
        from .pool import adaptive_avg_pool1d, adaptive_avg_pool2d, adaptive_avg_pool3d
        return (adaptive_avg_pool1d, adaptive_avg_pool2d, adaptive_avg_pool3d)[nd - 1](input, sizes)
    want = {"linear": 1, "bilinear": 2, "trilinear": 3}.get(mode)
    if want is not None and want != nd:
        raise NotImplementedError(f"Got {x.ndim}D input, but {mode} mode needs {want + 2}D input")
    if not 1 <= nd <= 3 or (mode == "bicubic" and nd != 2):
        raise NotImplementedError(f"Input Error: Only 3D, 4D and 5D input Tensors supported (got {x.ndim}D) for the "
                                  f"modes: nearest | linear | bilinear | bicubic | trilinear | lanczos | area | "
                                  f"nearest-exact (got {mode})")
    if antialias:
        raise NotImplementedError(f"interpolate: antialias=True (mode '{mode}') is not supported by ember yet")
    _check_sizes(x.shape[2:], sizes)
    maps = []
    for i in range(nd):
        n_in, n_out = x.shape[2 + i], sizes[i]
        if mode in ("nearest", "nearest-exact"):
            maps.append((2 + i, _nearest_index(n_in, n_out, scales[i], mode == "nearest-exact"), None))
        elif mode == "bicubic":
            maps.append((2 + i, None, _cubic_matrix(n_in, n_out, bool(align_corners), scales[i])))
        else:
            maps.append((2 + i, None, _linear_matrix(n_in, n_out, bool(align_corners), scales[i])))
    if mode == "nearest":
        cls = (UpsampleNearest1D, UpsampleNearest2D, UpsampleNearest3D)[nd - 1]
    elif mode == "nearest-exact":
        cls = (UpsampleNearestExact1D, UpsampleNearestExact2D, UpsampleNearestExact3D)[nd - 1]
    elif mode == "bicubic":
        if x.dtype.kind not in "fc":
            raise NotImplementedError(f"\"compute_indices_weights_cubic\" not implemented for '{_tn(x.dtype)}'")
        cls = UpsampleBicubic2D
    else:
        if x.dtype.kind not in "fc":
            raise NotImplementedError(f"\"upsample_{mode}{nd}d_out_frame\" not implemented for "
                                      f"'{_tn(x.dtype)}'")
        cls = (UpsampleLinear1D, UpsampleBilinear2D, UpsampleTrilinear3D)[nd - 1]
    return cls.apply(input, tuple(maps))


def _check_sizes(s_in, s_out):
    if min(s_in) > 0 and min(s_out) > 0:
        return
    names = ("D", "H", "W")[3 - len(s_in):]
    fi = ", ".join(f"{n}: {v}" for n, v in zip(names, s_in))
    fo = ", ".join(f"{n}: {v}" for n, v in zip(names, s_out))
    raise RuntimeError(f"Input and output sizes should be greater than 0, but got input ({fi})"
                       f"{' and' if len(s_in) == 1 else ''} output ({fo})")


def _tn(dt):
    from .elementwise import _type_name
    return _type_name(dt)


def upsample(input, size=None, scale_factor=None, mode="nearest", align_corners=None):
    return interpolate(input, size, scale_factor, mode, align_corners)


