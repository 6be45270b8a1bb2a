"""``affine_grid`` and ``grid_sample``: sampling an input at arbitrary normalised coordinates.

NOTE [ grid_sample as taps ]: every output point reads a fixed number of input pixels ("taps":
1 for nearest, 2 per axis for bilinear, 4 per axis for bicubic). Each tap is one vectorised
gather over all output points at once (a Python loop runs over the <= 16 taps only) with a
per-point weight that is a product of one factor per spatial axis. Taps outside the input read 0
(``zeros`` padding) or are remapped before the read (``border``/``reflection``). The backward
scatters ``grad * weight`` back with one ``np.bincount`` over all taps (collisions sum), and the
grid's grad is ``sum_c grad * value`` times the derivative of the tap weight w.r.t. the point's
coordinate, times the derivative of the coordinate map (un-normalisation and padding).
"""
import warnings

import numpy as np

from ..autograd.grad_mode import _state as _grad_state
from ._util import _wrap
from .elementwise import Op, _type_name

_ALIGN_WARNING = ("Default grid_sample and affine_grid behavior has changed to align_corners=False since 1.3.0. "
                  "Please specify align_corners=True if the old behavior is desired. See the documentation of "
                  "grid_sample for details.")


# ============================================================================ affine_grid

def _base_axis(n, align_corners, dt):
    """PyTorch's ``linspace_from_neg_one``: pixel centres (or corners) of one axis in [-1, 1]."""
    if n <= 1:
        return np.zeros(n, dt)
    r = np.linspace(-1.0, 1.0, n).astype(dt)
    if not align_corners:
        r = r * dt.type((n - 1) / n)
    return r


def _base_grid(spatial, align_corners, dt):
    """``(prod(spatial), nd + 1)`` rows ``(x, y[, z], 1)``; x runs along the last spatial axis."""
    axes = [_base_axis(n, align_corners, dt) for n in spatial]
    mesh = np.meshgrid(*axes, indexing="ij")
    cols = [m.reshape(-1) for m in mesh[::-1]] + [np.ones(mesh[0].size, dt)]
    return np.stack(cols, axis=1)


class AffineGridGenerator(Op):
    node_name = "AffineGridGeneratorBackward0"
    saves = False

    @staticmethod
    def forward(ctx, theta, size, align_corners):
        t = theta._data
        spatial = tuple(size[2:])
        base = _base_grid(spatial, align_corners, t.dtype)
        ctx.base = base
        return np.matmul(base, t.transpose(0, 2, 1)).reshape((t.shape[0],) + spatial + (len(spatial),))

    @staticmethod
    def backward(ctx, g):
        base = ctx.base
        n, nd = g.shape[0], g.shape[-1]
        if not _grad_state.enabled:
            gd = g._data.reshape(n, -1, nd)
            return _wrap(np.matmul(gd.transpose(0, 2, 1), base)), None, None
        return g.reshape(n, -1, nd).transpose(1, 2).matmul(_wrap(base)), None, None


def affine_grid(theta, size, align_corners=None):
    """``F.affine_grid``: the sampling grid ``(N, *spatial, nd)`` of the affine maps ``theta (N, nd, nd + 1)``."""
    if align_corners is None:
        warnings.warn(_ALIGN_WARNING, stacklevel=2)
        align_corners = False
    t = theta._data
    if t.dtype.kind not in "fc":
        raise ValueError(f"Expected theta to have floating point type, but got {theta.dtype}")
    size = tuple(size)
    if len(size) == 4:
        if t.ndim != 3 or t.shape[-2] != 2 or t.shape[-1] != 3:
            raise ValueError(f"Expected a batch of 2D affine matrices of shape Nx2x3 for size {size}. Got "
                             f"{theta.shape}.")
        spatial = size[-2:]
    elif len(size) == 5:
        if t.ndim != 3 or t.shape[-2] != 3 or t.shape[-1] != 4:
            raise ValueError(f"Expected a batch of 3D affine matrices of shape Nx3x4 for size {size}. Got "
                             f"{theta.shape}.")
        spatial = size[-3:]
    else:
        raise NotImplementedError(f"affine_grid only supports 4D and 5D sizes, for 2D and 3D affine transforms, "
                                  f"respectively. Got size {size}.")
    if align_corners and min(spatial) == 1:
        warnings.warn("Since version 1.3.0, affine_grid behavior has changed for unit-size grids when "
                      "align_corners=True. This is not an intended use case of affine_grid. See the documentation of "
                      "affine_grid for details.", stacklevel=2)
    elif min(size) <= 0:
        raise ValueError(f"Expected non-zero, positive output size. Got {size}")
    for i, s in enumerate(size):
        if not isinstance(s, (int, np.integer)) or isinstance(s, bool):
            raise TypeError(f"affine_grid_generator(): argument 'size' failed to unpack the object at pos {i + 1} "
                            f"with error \"type must be tuple of ints,but got {type(s).__name__}\"")
    nd = len(spatial)
    if t.shape[0] != size[0]:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: [{size[0]}, {nd + 1}] "
                           f"but got: [{t.shape[0]}, {nd + 1}].")
    return AffineGridGenerator.apply(theta, size, bool(align_corners))


# ============================================================================ coordinate maps

def _unnormalize(c, n, align_corners):
    """Grid coordinate in [-1, 1] -> pixel position, and d(position)/d(coordinate)."""
    if align_corners:
        f = c.dtype.type((n - 1) / 2)
        return (c + 1) * f, f
    f = c.dtype.type(n / 2)
    return (c + 1) * f - c.dtype.type(0.5), f


def _clip(p, n):
    """Position clipped into [0, n - 1]; the derivative is 0 where it clipped."""
    hi = p.dtype.type(n - 1)
    with np.errstate(invalid="ignore"):
        return np.minimum(np.maximum(p, 0), hi), ((p > 0) & (p < hi)).astype(p.dtype)


def _reflect(p, n, align_corners):
    """Position reflected off the borders (pixel centres with align_corners, else the image edges)."""
    lo2, hi2 = (0, 2 * (n - 1)) if align_corners else (-1, 2 * n - 1)
    if lo2 == hi2:
        return np.zeros_like(p), np.zeros_like(p)
    lo = p.dtype.type(lo2 / 2)
    span = p.dtype.type((hi2 - lo2) / 2)
    d = p - lo
    sign = np.where(d < 0, -1, 1).astype(p.dtype)
    d = np.abs(d)
    extra = np.fmod(d, span)
    with np.errstate(invalid="ignore"):
        odd = (np.floor(d / span) % 2) == 1
    return np.where(odd, span - extra + lo, extra + lo), np.where(odd, -sign, sign)


def _pad_position(p, n, padding, align_corners):
    """``border``/``reflection`` remap of a position and its derivative (None: identity, ``zeros``)."""
    if padding == "border":
        return _clip(p, n)
    if padding == "reflection":
        p, d1 = _reflect(p, n, align_corners)
        p, d2 = _clip(p, n)
        return p, d1 * d2
    return p, None


# ============================================================================ taps

def _cubic(t):
    """Cubic-convolution weights (A = -0.75) of taps -1, 0, 1, 2 and their derivatives w.r.t. ``t``."""
    a = -0.75

    def near(x):
        return ((a + 2) * x - (a + 3)) * x * x + 1

    def dnear(x):
        return (3 * (a + 2) * x - 2 * (a + 3)) * x

    def far(x):
        return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a

    def dfar(x):
        return (3 * a * x - 10 * a) * x + 8 * a

    w = (far(t + 1), near(t), near(1 - t), far(2 - t))
    dw = (dfar(t + 1), dnear(t), -dnear(1 - t), -dfar(2 - t))
    return w, dw


def _axis_taps(c, n, mode, padding, align_corners):
    """Per-axis taps of coordinates ``c``: ``[(index, valid, weight, dweight)]`` and the coordinate's derivative."""
    p, mult = _unnormalize(c, n, align_corners)
    one = c.dtype.type(1)
    with np.errstate(invalid="ignore"):
        if mode == "bicubic":  # padding acts on each tap's index, not on the position
            f = np.floor(p)
            w, dw = _cubic(p - f)
            taps = []
            for k in range(4):
                q = f + (k - 1)
                if padding != "zeros":
                    q = _pad_position(q, n, padding, align_corners)[0]
                taps.append((q, w[k], dw[k]))
            dpos = mult
        else:
            p, dpad = _pad_position(p, n, padding, align_corners)
            dpos = mult if dpad is None else dpad * mult
            if mode == "nearest":
                taps = [(np.rint(p), one, None)]
            else:
                f = np.floor(p)
                t = p - f
                taps = [(f, 1 - t, -one), (f + 1, t, one)]
        out = []
        for q, w, dw in taps:
            valid = (q >= 0) & (q <= n - 1)  # NaN/inf positions are invalid too
            idx = np.where(valid, q, 0).astype(np.int64)
            out.append((idx, valid, w, dw))
    return out, dpos


def _taps(x_shape, grid, mode, padding, align_corners):
    """All taps of all output points: ``[(flat index (N, P), weight (N, P), [dweight per axis])]``."""
    spatial = x_shape[2:]
    nd = len(spatial)
    n_b = grid.shape[0]
    n_p = int(np.prod(grid.shape[1:-1]))
    per_axis, dpos = [], []
    for d in range(nd):  # grid component nd - 1 - d is spatial axis d (x runs along the last axis)
        c = grid[..., nd - 1 - d].reshape(n_b, n_p)
        t, m = _axis_taps(c, spatial[d], mode, padding, align_corners)
        per_axis.append(t)
        dpos.append(m)
    taps = []
    for combo in np.ndindex(*[len(t) for t in per_axis]):
        sel = [per_axis[d][k] for d, k in enumerate(combo)]
        flat = sel[0][0]
        valid = sel[0][1]
        for d in range(1, nd):
            flat = flat * spatial[d] + sel[d][0]
            valid = valid & sel[d][1]
        w = sel[0][2]
        for s in sel[1:]:
            w = w * s[2]
        w = np.where(valid, w, 0).astype(grid.dtype)
        dws = None
        if mode != "nearest":
            dws = []
            for d in range(nd):
                dw = sel[d][3]
                for e in range(nd):
                    if e != d:
                        dw = dw * sel[e][2]
                dws.append(np.where(valid, dw, 0).astype(grid.dtype))
        taps.append((flat, w, dws))
    return taps, dpos


def _gather(xf, flat):
    """``xf (N, C, S)`` read at ``flat (N, P)`` -> ``(N, C, P)``."""
    return np.take_along_axis(xf, flat[:, None, :], axis=2)


def _sample(x, grid, mode, padding, align_corners):
    taps, _ = _taps(x.shape, grid, mode, padding, align_corners)
    xf = x.reshape(x.shape[0], x.shape[1], int(np.prod(x.shape[2:])))
    out = None
    for flat, w, _ in taps:
        v = _gather(xf, flat) * w[:, None, :]
        out = v if out is None else out + v
    return out.reshape(x.shape[:2] + grid.shape[1:-1])


def _sample_backward(x, grid, g, mode, padding, align_corners, need_x, need_grid):
    taps, dpos = _taps(x.shape, grid, mode, padding, align_corners)
    n_b, ch = x.shape[:2]
    s = int(np.prod(x.shape[2:]))
    gf = g.reshape(n_b, ch, int(np.prod(g.shape[2:])))
    gx = gg = None
    if need_x:
        base = (np.arange(n_b)[:, None, None] * ch + np.arange(ch)[None, :, None]) * s  # (N, C, 1)
        idx = np.concatenate([(base + flat[:, None, :]).ravel() for flat, _, _ in taps])
        wts = np.concatenate([(gf * w[:, None, :]).ravel() for _, w, _ in taps])
        gx = np.bincount(idx, weights=wts, minlength=x.size).astype(x.dtype, copy=False).reshape(x.shape)
    if need_grid:
        nd = x.ndim - 2
        gg = np.zeros(grid.shape, grid.dtype)
        if mode != "nearest":  # nearest is piecewise constant in the grid: its grad is 0
            xf = x.reshape(n_b, ch, s)
            acc = [0] * nd
            for flat, _, dws in taps:
                gv = (_gather(xf, flat) * gf).sum(1)
                for d in range(nd):
                    acc[d] = acc[d] + gv * dws[d]
            for d in range(nd):
                gg[..., nd - 1 - d] = (acc[d] * dpos[d]).reshape(grid.shape[:-1])
    return gx, gg


class GridSamplerBackwardNode(Op):
    """The first-order grads under ``create_graph``, as a node whose own backward raises (no double backward)."""

    node_name = "GridSampler2DBackwardBackward0"
    saves = False

    @staticmethod
    def forward(ctx, g, x, grid, gx, gg):
        return gx, gg

    @staticmethod
    def backward(ctx, *grads):
        raise NotImplementedError("ember: double backward of grid_sample is not supported")


class GridSampler3DBackwardNode(GridSamplerBackwardNode):
    node_name = "GridSampler3DBackwardBackward0"


class GridSampler2D(Op):
    node_name = "GridSampler2DBackward0"

    @staticmethod
    def forward(ctx, x, grid, mode, padding, align_corners):
        return _sample(x._data, grid._data, mode, padding, align_corners)

    @staticmethod
    def backward(ctx, g):
        x, grid, mode, padding, align_corners = ctx.inputs
        need = ctx.needs_input_grad
        gx, gg = _sample_backward(x._data, grid._data, g._data, mode, padding, align_corners, need[0], need[1])
        if not _grad_state.enabled:
            return (_wrap(gx) if gx is not None else None), (_wrap(gg) if gg is not None else None), None, None, None
        z = np.zeros(0, g._data.dtype)
        node = GridSamplerBackwardNode if x.dim() == 4 else GridSampler3DBackwardNode
        rx, rg = node.apply(g, x, grid, gx if gx is not None else z, gg if gg is not None else z)
        return (rx if gx is not None else None), (rg if gg is not None else None), None, None, None


class GridSampler3D(GridSampler2D):
    node_name = "GridSampler3DBackward0"


# ============================================================================ grid_sample

def _check(x, grid, mode):
    if x.shape[0] != grid.shape[0]:
        raise RuntimeError(f"grid_sampler(): expected grid and input to have same batch size, but got input with "
                           f"sizes {list(x.shape)} and grid with sizes {list(grid.shape)}")
    if grid.shape[-1] != x.ndim - 2:
        raise RuntimeError(f"grid_sampler(): expected grid to have size {x.ndim - 2} in last dimension, but got grid "
                           f"with sizes {list(grid.shape)}")
    for i in range(2, x.ndim):
        if x.shape[i] <= 0:
            raise RuntimeError(f"grid_sampler(): expected input to have non-empty spatial dimensions, but input has "
                               f"sizes {list(x.shape)} with dimension {i} being empty")
    nd = 2 if x.ndim == 4 else 3
    if x.ndim != nd + 2 or grid.ndim != x.ndim:
        raise RuntimeError(f"grid_sampler(): expected {nd + 2}D input and grid with same number of dimensions, but "
                           f"got input with sizes {list(x.shape)} and grid with sizes {list(grid.shape)}")
    if nd == 3 and mode == "bicubic":
        raise RuntimeError("grid_sampler(): bicubic interpolation only supports 4D input")
    if x.dtype.kind not in "fc":
        kernel = "grid_sampler_2d_cpu_kernel_impl" if nd == 2 else "grid_sampler3d_cpu"
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{_type_name(x.dtype)}'")
    if grid.dtype != x.dtype:
        raise RuntimeError(f"expected scalar type {_type_name(x.dtype)} but found {_type_name(grid.dtype)}")
    return nd


def grid_sample(input, grid, mode="bilinear", padding_mode="zeros", align_corners=None):
    """``F.grid_sample``: ``input`` read at the normalised points of ``grid`` (4-D, or 5-D bilinear/nearest)."""
    if mode not in ("bilinear", "nearest", "bicubic"):
        raise ValueError(f"nn.functional.grid_sample(): expected mode to be 'bilinear', 'nearest' or 'bicubic', but "
                         f"got: '{mode}'")
    if padding_mode not in ("zeros", "border", "reflection"):
        raise ValueError(f"nn.functional.grid_sample(): expected padding_mode to be 'zeros', 'border', or "
                         f"'reflection', but got: '{padding_mode}'")
    if align_corners is None:
        warnings.warn(_ALIGN_WARNING, stacklevel=2)
        align_corners = False
    nd = _check(input._data, grid._data, mode)
    cls = GridSampler2D if nd == 2 else GridSampler3D
    return cls.apply(input, grid, mode, padding_mode, bool(align_corners))
