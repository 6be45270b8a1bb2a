"""Assorted tensor ops PyTorch users reach for: cross, diff, rot90, mode, quantile, cov/corrcoef, cdist,
logcumsumexp, histc, trapezoid, dist, fill_diagonal_. Forward beside backward; the composite ones are
built from other ops the way ATen builds them, so their ``grad_fn`` names match PyTorch's.
"""
import builtins
import warnings

import numpy as np

from .. import return_types
from ._util import _wrap, float_np, is_tensor, norm_dim
from .elementwise import Op, _check_broadcast, _not_implemented, _type_name, zeros_scalar
from .stats import Norm


def _ops():
    import ember
    return ember


# ---------------------------------------------------------------------------- cross

class LinalgCross(Op):
    node_name = "LinalgCrossBackward0"

    @staticmethod
    def forward(ctx, a, b, dim):
        x, y = a._data, b._data
        if x.ndim != y.ndim:
            raise RuntimeError("linalg.cross: inputs must have the same number of dimensions.")
        try:
            shape = np.broadcast_shapes(x.shape, y.shape)
        except ValueError:
            _check_broadcast(a, b)
            raise
        d = norm_dim(dim, len(shape))
        if x.shape[d] != 3 or y.shape[d] != 3:
            raise RuntimeError(f"linalg.cross: inputs dimension {dim} must have length 3. Got {x.shape[d]} and "
                               f"{y.shape[d]}")
        if x.dtype != y.dtype:
            from ._util import result_np_dtype
            dt = result_np_dtype(a, b)
            x, y = x.astype(dt), y.astype(dt)
        ctx.dim = d
        return np.cross(x, y, axis=d)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.inputs[:2]
        n = ctx.needs_input_grad
        d = ctx.dim
        return (linalg_cross(b, g, dim=d) if n[0] else None), (linalg_cross(g, a, dim=d) if n[1] else None)


def linalg_cross(input, other, *, dim=-1, out=None):
    return LinalgCross.apply(input, other, dim)


def cross(input, other, dim=None, *, out=None):
    if dim is None:
        warnings.warn("Using torch.cross without specifying the dim arg is deprecated.\nPlease either pass the dim "
                      "explicitly or simply use torch.linalg.cross.\nThe default value of dim will change to agree "
                      "with that of linalg.cross in a future release.", UserWarning, stacklevel=2)
        shape = np.broadcast_shapes(input._data.shape, other._data.shape)
        dim = next((i for i, s in enumerate(shape) if s == 3), -1)
    return LinalgCross.apply(input, other, dim)


# ---------------------------------------------------------------------------- diff, rot90

def diff(input, n=1, dim=-1, prepend=None, append=None):
    E = _ops()
    if input.dim() == 0:
        raise RuntimeError("diff expects input to be at least one-dimensional")
    if n < 0:
        raise RuntimeError(f"order must be non-negative but got {n}")
    if prepend is not None or append is not None:
        parts = [p for p in (prepend, input, append) if p is not None]
        input = E.cat([p if p.dim() else p.expand(*input.shape[:-1], 1) for p in parts], dim)
    out = input
    for _ in range(n):
        k = out.shape[dim]
        if k == 0:
            break
        hi, lo = out.narrow(dim, 1, k - 1), out.narrow(dim, 0, k - 1)
        out = E.logical_xor(hi, lo) if out.dtype is E.bool else hi - lo
    return out


class Rot90(Op):
    node_name = "Rot90Backward0"
    saves = False

    @staticmethod
    def forward(ctx, a, k, dims):
        x = a._data
        if len(dims) != 2:
            raise RuntimeError(f"expected total rotation dims == 2, but got dims = {len(dims)}")
        if x.ndim < 2:
            raise RuntimeError(f"expected total dims >= 2, but got total dims = {x.ndim}")
        d0, d1 = norm_dim(dims[0], x.ndim), norm_dim(dims[1], x.ndim)
        if d0 == d1:
            raise RuntimeError(f"expected rotation dims to be different, but got dim0 = {d0} and dim1 = {d1}")
        k %= 4
        ctx.k, ctx.dims = k, (d0, d1)
        if k == 1:
            return np.swapaxes(np.ascontiguousarray(np.flip(x, d1)), d0, d1)
        if k == 2:
            return np.ascontiguousarray(np.flip(x, (d0, d1)))
        if k == 3:
            return np.swapaxes(np.ascontiguousarray(np.flip(x, d0)), d0, d1)
        return x.copy()

    @staticmethod
    def backward(ctx, g):
        return rot90(g, -ctx.k, list(ctx.dims))


def rot90(input, k=1, dims=(0, 1)):
    return Rot90.apply(input, k, tuple(dims))


# ---------------------------------------------------------------------------- mode

class Mode(Op):
    node_name = "ModeBackward0"
    check_inputs = staticmethod(lambda needs: [])

    @staticmethod
    def forward(ctx, a, dim=-1, keepdim=False):
        x = a._data
        nd = x.ndim
        d = norm_dim(dim, nd)
        xm = np.moveaxis(x.reshape(1) if nd == 0 else x, d, -1)
        n = xm.shape[-1]
        if n == 0:
            raise IndexError(f"mode(): Expected reduction dim {d} to have non-zero size.")
        lead = xm.shape[:-1]
        flat = xm.reshape(-1, n)
        order = np.argsort(flat, axis=1, kind="stable")
        s = np.take_along_axis(flat, order, 1)
        new = np.ones_like(s, dtype=bool)
        new[:, 1:] = s[:, 1:] != s[:, :-1]
        run_id = np.cumsum(new, axis=1) - 1
        rows = np.arange(flat.shape[0])[:, None]
        counts = np.zeros(flat.shape, dtype=np.int64)
        np.add.at(counts, (np.broadcast_to(rows, run_id.shape), run_id), 1)
        best = np.argmax(counts, axis=1)  # first (smallest value) run with the top count
        # the run's last element in stable order is the last occurrence of the value
        last = np.where(run_id == best[:, None], np.arange(n)[None, :], -1).max(axis=1)
        idx = order[np.arange(flat.shape[0]), last]
        vals = flat[np.arange(flat.shape[0]), idx]
        vals, idx = vals.reshape(lead), idx.reshape(lead).astype(np.int64)
        if keepdim and nd:
            vals, idx = np.expand_dims(vals, d), np.expand_dims(idx, d)
        ctx.dim, ctx.keepdim, ctx.idx, ctx.shape = d, keepdim, idx, x.shape
        return vals, idx

    @staticmethod
    def backward(ctx, g, gi=None):
        E = _ops()
        if not ctx.shape:
            return g.reshape(())
        idx = _wrap(ctx.idx)
        if not ctx.keepdim:
            g, idx = g.unsqueeze(ctx.dim), idx.unsqueeze(ctx.dim)
        return E.zeros(ctx.shape, dtype=g.dtype).scatter(ctx.dim, idx, g)


def mode(input, dim=-1, keepdim=False):
    vals, idx = Mode.apply(input, dim, keepdim)
    idx._requires_grad, idx._grad_fn = False, None
    return return_types.mode((vals, idx))


# ---------------------------------------------------------------------------- quantile

def _quantile(input, q, dim, keepdim, interpolation, ignore_nan):
    E = _ops()
    name = "nanquantile" if ignore_nan else "quantile"
    if input.dtype not in (E.float32, E.float64):
        raise RuntimeError(f"{name}() input tensor must be either float or double dtype")
    if interpolation not in ("linear", "lower", "higher", "midpoint", "nearest"):
        raise ValueError(f"{name}() interpolation must be one of linear, lower, higher, midpoint or nearest. "
                         f"Got {interpolation}")
    scalar_q = not is_tensor(q)
    if scalar_q:
        if not 0 <= q <= 1:
            raise RuntimeError(f"{name}() q must be in the range [0, 1] but got {q}")
        qt = E.tensor([float(q)], dtype=input.dtype)
    else:
        if q.dim() > 1:
            raise RuntimeError(f"{name}() q must be a scalar or 1D tensor")
        if q.dtype != input.dtype:
            raise RuntimeError(f"{name}() q tensor must be same dtype as the input tensor")
        scalar_q = q.dim() == 0
        qt = q.reshape(-1).detach()
        if bool(((qt < 0) | (qt > 1)).any()):
            raise RuntimeError(f"{name}() q values must be in the range [0, 1]")
    if dim is None:
        x = input.reshape(-1)
        d = 0
    else:
        d = norm_dim(dim, input.dim())
        x = input.movedim(d, -1) if input.dim() else input.reshape(1)
    if x.shape[-1] == 0:
        raise IndexError(f"{name}() input tensor must be non-empty")
    sorted_ = x.sort(dim=-1).values  # NaNs sort last
    n = sorted_.shape[-1]
    nan_cnt = x.isnan().sum(-1, keepdim=True)
    valid = (n - nan_cnt) if ignore_nan else E.full_like(nan_cnt, n)
    ranks = qt.detach() * (valid - 1).to(input.dtype)  # (..., nq)
    if interpolation == "lower":
        ranks = ranks.floor()
    elif interpolation == "higher":
        ranks = ranks.ceil()
    elif interpolation == "nearest":
        ranks = ranks.round()
    # as ATen: a row with a NaN (quantile) reads its last sorted value, an all-NaN row (nanquantile) its first;
    # both are NaNs, and the grad reaches them
    if ignore_nan:
        ranks = ranks.clamp(min=0)
    else:
        ranks = E.where(nan_cnt > 0, E.full_like(ranks, n - 1), ranks)
    below = ranks.long()
    above = ranks.ceil().long()
    vb = sorted_.gather(-1, below)
    if interpolation in ("linear", "midpoint"):
        w = (ranks - below) if interpolation == "linear" else E.full_like(ranks, 0.5) * (above != below)
        va = sorted_.gather(-1, above)
        vb = vb.lerp(va, w)
    # (..., nq) -> (nq, ...) with the reduced dim kept or dropped
    vb = vb.movedim(-1, 0)
    if keepdim:
        if dim is None:
            vb = vb.reshape((vb.shape[0],) + (1,) * input.dim())
        else:
            vb = vb.unsqueeze(d + 1)
    if scalar_q:
        vb = vb.squeeze(0)
    # ATen's last step is an in-place squeeze of a trailing unit dim: its node is PyTorch's grad_fn here
    vb = vb.unsqueeze(-1)
    return vb.squeeze_(-1)


def quantile(input, q, dim=None, keepdim=False, *, interpolation="linear", out=None):
    return _quantile(input, q, dim, keepdim, interpolation, False)


def nanquantile(input, q, dim=None, keepdim=False, *, interpolation="linear", out=None):
    return _quantile(input, q, dim, keepdim, interpolation, True)


# ---------------------------------------------------------------------------- cov, corrcoef

def cov(input, *, correction=1, fweights=None, aweights=None):
    E = _ops()
    if input.dim() > 2:
        raise RuntimeError(f"cov(): expected input to have two or fewer dimensions but got an input with "
                           f"{input.dim()} dimensions")
    x = input if input.dim() == 2 else input.view(1, -1)
    num_obs = x.shape[1]
    w = None
    if fweights is not None:
        w = fweights
    if aweights is not None:
        w = aweights if w is None else w * aweights
    if w is None:
        w_sum = E.tensor(num_obs, dtype=E.int64)
        avg = x.sum(1) / w_sum
        norm = w_sum - correction
    else:
        w_sum = w.sum()
        avg = (x * w).sum(1) / w_sum
        if aweights is None:
            norm = w_sum - correction
        elif correction == 0:
            norm = w_sum
        else:
            norm = w_sum - correction * (w * aweights).sum() / w_sum
    if bool(norm <= 0):
        warnings.warn("cov(): degrees of freedom is <= 0. Correction should be strictly less than the number "
                      "of observations.", UserWarning, stacklevel=2)
        norm = E.zeros_like(norm)
    xc = x - avg.unsqueeze(1)
    c = E.mm(xc, (xc if w is None else xc * w).t().conj())
    return E.true_divide(c, norm).squeeze()


def corrcoef(input):
    E = _ops()
    c = cov(input)
    if c.dim() == 0:
        return c / c
    d = c.diagonal()
    std = E.sqrt(d.real if d.is_complex() else d)
    c = c / std.view(-1, 1)
    c = c / std.view(1, -1)
    return c if c.is_complex() else E.clip(c, -1, 1)


# ---------------------------------------------------------------------------- cdist, dist

class Cdist(Op):
    node_name = "CdistBackward0"

    @staticmethod
    def forward(ctx, a, b, p):
        x, y = a._data, b._data
        if x.ndim < 2 or y.ndim < 2:
            raise RuntimeError(f"cdist only supports at least 2D tensors, X1 got: {x.ndim}D")
        if x.shape[-1] != y.shape[-1]:
            raise RuntimeError(f"X1 and X2 must have the same number of columns. X1: {x.shape[-1]} X2: {y.shape[-1]}")
        if x.dtype.kind != "f" or y.dtype.kind != "f":
            raise RuntimeError(f"cdist only supports floating-point dtypes, X1 got: {_type_name(x.dtype)}")
        if p < 0:
            raise RuntimeError("cdist only supports non-negative p values")
        diff = x[..., :, None, :] - y[..., None, :, :]
        ad = np.abs(diff)
        if p == 0:
            r = (ad != 0).sum(-1).astype(x.dtype)
        elif p == float("inf"):
            r = ad.max(-1) if ad.shape[-1] else np.zeros(ad.shape[:-1], x.dtype)
        elif p == 1:
            r = ad.sum(-1)
        elif p == 2:
            r = np.sqrt((ad * ad).sum(-1))
        else:
            r = (ad ** p).sum(-1) ** (1.0 / p)
        ctx.p = p
        return r.astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        # PyTorch's _cdist_backward, written with ops so that create_graph differentiates it
        # (PyTorch raises "the derivative for '_cdist_backward' is not implemented" there)
        E = _ops()
        a, b = ctx.inputs[:2]
        p = ctx.p
        diff = a.unsqueeze(-2) - b.unsqueeze(-3)
        dist = ctx.saved_output().unsqueeze(-1)
        z = zeros_scalar(diff)
        if p == 0:
            t = E.zeros_like(diff)
        elif p == 1:
            t = diff.sgn()
        elif p == 2:
            t = E.where(dist == 0, z, diff / dist)
        elif p == float("inf"):
            t = E.where(diff.abs() == dist, diff.sgn(), z)
        else:
            t = diff.sgn() * diff.abs() ** (p - 1) / dist ** (p - 1)
            t = E.where((dist == 0) | (diff == 0) if p < 1 else dist == 0, z, t)
        t = t * g.unsqueeze(-1)
        n = ctx.needs_input_grad
        return (t.sum(-2) if n[0] else None), (-t.sum(-3) if n[1] else None)


def _euclidean_dist(x1, x2):
    E = _ops()
    x1_norm = x1.pow(2).sum(-1, keepdim=True)
    x2_norm = x2.pow(2).sum(-1, keepdim=True)
    x1_ = E.cat([x1.mul(-2), x1_norm, E.ones_like(x1_norm)], -1)
    x2_ = E.cat([x2, E.ones_like(x2_norm), x2_norm], -1)
    return x1_.matmul(x2_.mT).clamp_min(1e-30).sqrt()


def cdist(x1, x2, p=2.0, compute_mode="use_mm_for_euclid_dist_if_necessary"):
    r1, r2 = x1.shape[-2] if x1.dim() >= 2 else 0, x2.shape[-2] if x2.dim() >= 2 else 0
    if p == 2 and x1.dim() >= 2 and x2.dim() >= 2 and x1.shape[-1] == x2.shape[-1] and (
            compute_mode == "use_mm_for_euclid_dist" or
            (compute_mode == "use_mm_for_euclid_dist_if_necessary" and (r1 > 25 or r2 > 25))):
        batch = tuple(np.broadcast_shapes(tuple(x1.shape[:-2]), tuple(x2.shape[:-2])))
        c = x1.shape[-1]
        a = x1.expand(*batch, r1, c).reshape(-1, r1, c)
        b = x2.expand(*batch, r2, c).reshape(-1, r2, c)
        return _euclidean_dist(a, b).view(*batch, r1, r2)
    return Cdist.apply(x1, x2, float(p))


class Dist(Op):
    node_name = "DistBackward0"

    @staticmethod
    def forward(ctx, a, b, p):
        E = _ops()
        from ._util import result_np_dtype
        dt = result_np_dtype(a, b)
        if dt.kind != "f":
            raise RuntimeError(f"linalg.vector_norm: Expected a floating point or complex tensor as input. "
                               f"Got {_type_name(dt)}")
        try:
            d = (a._data.astype(dt) - b._data.astype(dt)).ravel()
        except ValueError:
            _check_broadcast(a, b)
            raise
        ctx.p = p
        return E.linalg.vector_norm(_wrap(d), p)._data

    @staticmethod
    def backward(ctx, g):
        # PyTorch's norm_backward(grad, self - other, p, result), with ops: a graph under create_graph
        from .stats import norm_backward
        a, b = ctx.inputs[:2]
        d = a - b
        gd = norm_backward(g, d, ctx.p, ctx.saved_output(), None, False)
        if gd is None:  # p = 0: a piecewise-constant count
            gd = _ops().zeros_like(d)
        n = ctx.needs_input_grad
        return (gd if n[0] else None), (-gd if n[1] else None)


def dist(input, other, p=2):
    return Dist.apply(input, other, p)


def pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False):
    """``norm(x1 - x2 + eps, p)`` over the last dim of the broadcast pair (ATen's composition: NormBackward1)."""
    innermost_dim = max(x1.dim(), x2.dim()) - 1
    d = x1 - x2 + eps
    if not d.is_floating_point() and not d.is_complex():
        raise RuntimeError(f"norm(): input dtype should be either floating point or complex. Got "
                           f"{_type_name(d._data.dtype)} instead.")
    return _AtenNorm.apply(d, ord=p, dim=[innermost_dim], keepdim=keepdim)


class _AtenNorm(Norm):
    """``at::norm(x, p, dim, keepdim)``, the node ATen's compositions (pairwise_distance) record."""
    node_name = "NormBackward1"


def cosine_similarity(x1, x2, dim=1, eps=1e-8):
    """``sum(x1/|x1| * x2/|x2|)`` along ``dim``, each norm clamped to ``eps``.

    ATen's composition: dividing each input by its own norm first keeps the result in [-1, 1]; the clamp is
    applied in place under no_grad, so the gradient flows through the norms as if unclamped.
    """
    from ._util import result_np_dtype
    E = _ops()
    dt = result_np_dtype(x1, x2)
    if dt.kind != "f":
        raise RuntimeError(f"expected common dtype to be floating point, yet common dtype is {_type_name(dt)}")
    x1, x2 = E.broadcast_tensors(x1, x2)
    x1_norm = E.linalg.vector_norm(x1, 2, dim=dim, keepdim=True).clone()
    x2_norm = E.linalg.vector_norm(x2, 2, dim=dim, keepdim=True).clone()
    with E.no_grad():
        x1_norm.clamp_min_(eps)
        x2_norm.clamp_min_(eps)
    return ((x1 / x1_norm) * (x2 / x2_norm)).sum(dim)


# ---------------------------------------------------------------------------- logcumsumexp

def _rev_lcse(t, dim):
    return t.flip(dim).logcumsumexp(dim).flip(dim)


class Logcumsumexp(Op):
    node_name = "LogcumsumexpBackward0"

    @staticmethod
    def forward(ctx, a, dim):
        x = a._data
        if x.dtype.kind not in "fc":
            x = x.astype(float_np(x.dtype))
        d = norm_dim(dim, x.ndim)
        ctx.dim = d
        if x.ndim == 0:
            return x.copy()
        return np.logaddexp.accumulate(x, axis=d)

    @staticmethod
    def backward(ctx, g):
        E = _ops()
        x = ctx.inputs[0]
        out = ctx.saved_output()
        d = ctx.dim
        if x.dim() == 0:
            return g
        # sum_{j>=i} g_j exp(x_i - out_j), with the positive and negative parts of g apart (no overflow).
        # PyTorch's formula: log|g| where g has the sign, the lowest float elsewhere, chosen by ``where``
        # (log(g.clamp(min=0)) has the same value but an inf * 0 = nan derivative under create_graph)
        low = E.tensor(np.finfo(g._data.dtype).min, dtype=g.dtype)
        log_abs = g.abs().log()
        pos = _rev_lcse(E.where(g > 0, log_abs, low) - out, d)
        neg = _rev_lcse(E.where(g < 0, log_abs, low) - out, d)
        return E.exp(pos + x) - E.exp(neg + x)


def logcumsumexp(input, dim, *, out=None):
    return Logcumsumexp.apply(input, dim)


# ---------------------------------------------------------------------------- histc, trapezoid

def histc(input, bins=100, min=0, max=0, *, out=None):
    x = input._data
    if x.dtype.kind not in "f":
        raise _not_implemented("histogram_cpu", x.dtype)
    if bins <= 0:
        raise RuntimeError("torch.histc: bins must be > 0")
    lo, hi = float(min), float(max)
    if lo == hi and x.size:
        lo, hi = float(x.min()), float(x.max())
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    if lo > hi:
        raise RuntimeError("torch.histc: max must be larger than min")
    if not (np.isfinite(lo) and np.isfinite(hi)):
        raise RuntimeError(f"torch.histc: range of [{lo}, {hi}] is not finite")
    v = x.ravel()
    v = v[(v >= lo) & (v <= hi)].astype(np.float64)
    pos = ((v - lo) * bins / (hi - lo)).astype(np.int64)
    pos = np.minimum(pos, bins - 1)
    return _wrap(np.bincount(pos, minlength=bins).astype(x.dtype))


def trapezoid(y, x=None, *, dx=None, dim=-1):
    n = y.shape[dim] if y.dim() else 0
    if n == 0:
        return y.sum(dim) * 0
    if x is None:
        s = (y.narrow(dim, 1, n - 1) + y.narrow(dim, 0, n - 1)).sum(dim)
        return s * ((1 if dx is None else dx) / 2.0)
    if x.dim() == 1:
        shape = [1] * y.dim()
        shape[dim] = -1
        xd = x.diff().view(shape)
    else:
        xd = x.diff(dim=dim)
    return ((xd * (y.narrow(dim, 1, n - 1) + y.narrow(dim, 0, n - 1))).sum(dim)) / 2.0


def cumulative_trapezoid(y, x=None, *, dx=None, dim=-1):
    n = y.shape[dim]
    avg = (y.narrow(dim, 1, n - 1) + y.narrow(dim, 0, n - 1))
    if x is None:
        return (avg * ((1 if dx is None else dx) / 2.0)).cumsum(dim)
    xd = x.diff(dim=dim if x.dim() > 1 else -1)
    if x.dim() == 1:
        shape = [1] * y.dim()
        shape[dim] = -1
        xd = xd.view(shape)
    return (xd * avg / 2.0).cumsum(dim)


# ---------------------------------------------------------------------------- small Tensor helpers

def fill_diagonal_(self, fill_value, wrap=False):
    nd = self.dim()
    if nd < 2:
        raise RuntimeError("dimensions must larger than 1")
    if nd > 2 and len(set(self.shape)) != 1:
        raise RuntimeError("all dimensions of input must be of equal length")
    shape = self.shape
    mask = np.zeros(shape, dtype=bool)
    if nd == 2:
        h, w = shape
        m = builtins.min(h, w)
        rows = np.arange(m)
        mask[rows, rows] = True
        if wrap and h > w + 1:
            step = w + 1
            flat = mask.reshape(-1)
            flat[np.arange(0, h * w, step)] = True
            # PyTorch's wrapped diagonal: every (w+1)-th element of the flat buffer
            mask = flat.reshape(shape)
    else:
        i = np.arange(shape[0])
        mask[(i,) * nd] = True
    return self.masked_fill_(_wrap(mask), fill_value)


def is_same_size(self, other):
    return tuple(self.shape) == tuple(other.shape)


def sum_to_size(self, *size):
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    shape = tuple(self.shape)
    lead = len(shape) - len(size)
    dims = tuple(range(lead)) + tuple(i + lead for i, s in enumerate(size) if s == 1 and shape[i + lead] != 1)
    out = self.sum(dims, keepdim=True) if dims else self
    return out.reshape(size) if lead else out


def ravel(input):
    return input.contiguous().view(-1)


METHODS = "cross diff rot90 mode quantile nanquantile cov corrcoef logcumsumexp histc dist fill_diagonal_ " \
          "is_same_size sum_to_size ravel"
