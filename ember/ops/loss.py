"""Losses of ``torch.nn.functional``, forward beside backward.

PyTorch implements some losses as kernels with their own autograd node (mse, smooth_l1, huber, nll, bce,
bce_with_logits, soft_margin, multi_margin) and the rest as compositions of ordinary ops (l1, kl_div,
cosine_embedding, hinge_embedding, margin_ranking, triplet, poisson_nll, gaussian_nll ...). ember follows
the same split, so ``loss.grad_fn`` names the node users know, and cross_entropy is PyTorch's
``nll_loss(log_softmax(x))`` graph (the log-softmax is the stable primitive; see scan.py).

NOTE [ loss backward ]: a kernel loss's backward runs NumPy directly in a plain first-order backward;
under ``create_graph`` it is written with ember ops (or, for nll, as an op whose own backward is nll
again), so second derivatives are available.
"""
import math
import warnings

import numpy as np

from ..autograd.grad_mode import _state as _grad_state
from ._util import _wrap, result_np_dtype
from .elementwise import Op, _not_implemented, _type_name
from . import elementwise as _ew

NONE, MEAN, SUM = 0, 1, 2


# ============================================================================ reduction arguments

def get_enum(reduction):
    """PyTorch's ``_Reduction.get_enum``."""
    if reduction == "none":
        return NONE
    if reduction == "mean":
        return MEAN
    if reduction == "elementwise_mean":
        warnings.warn("reduction='elementwise_mean' is deprecated. Please use reduction='mean' instead.",
                      stacklevel=3)
        return MEAN
    if reduction == "sum":
        return SUM
    raise ValueError(f"{reduction} is not a valid value for reduction")


def legacy_get_string(size_average, reduce, emit_warning=True):
    """PyTorch's ``_Reduction.legacy_get_string``: the old ``size_average``/``reduce`` flags as a reduction."""
    if size_average is None:
        size_average = True
    if reduce is None:
        reduce = True
    if size_average and reduce:
        ret = "mean"
    elif reduce:
        ret = "sum"
    else:
        ret = "none"
    if emit_warning:
        warnings.warn(f"size_average and reduce args will be deprecated, please use reduction='{ret}' instead.",
                      stacklevel=3)
    return ret


def _reduction(size_average, reduce, reduction):
    if size_average is not None or reduce is not None:
        return legacy_get_string(size_average, reduce)
    return reduction


def _apply_reduction(loss, r):
    """ATen's ``apply_loss_reduction`` on a Tensor."""
    if r == MEAN:
        return loss.mean()
    if r == SUM:
        return loss.sum()
    return loss


def _reduce_np(loss, r):
    if r == MEAN:
        return np.asarray(loss.mean() if loss.size else np.nan, loss.dtype)
    if r == SUM:
        return np.asarray(loss.sum(), loss.dtype)
    return loss


def _size_warning(input, target):
    if target.shape != input.shape:
        warnings.warn(f"Using a target size ({target.shape}) that is different to the input size ({input.shape}). "
                      "This will likely lead to incorrect results due to broadcasting. Please ensure they have the "
                      "same size.", stacklevel=3)


def _not_differentiable(fn, arg, t):
    if t is not None and t.requires_grad and _grad_state.enabled:
        raise RuntimeError(f"The function '{fn}' is not differentiable with respect to argument '{arg}'. This input "
                           "cannot have requires_grad True.")


def _grad_scale(g, r, n):
    """The upstream grad as it multiplies each element: divided by the element count for a mean."""
    return g / n if r == MEAN else g


# ============================================================================ elementwise losses of (input - target)

class _PairLoss(Op):
    """A loss of ``d = input - target`` elementwise, then reduced: ``_PAIR[kind]`` holds ``f(d)``, its derivative
    on arrays, and the derivative with ember ops (create_graph). Inputs arrive broadcast to one shape."""

    @staticmethod
    def forward(ctx, a, b, *, reduction, kind, **kw):
        dt = result_np_dtype(a, b)
        if dt.kind != "f":
            raise _not_implemented(_PAIR[kind][0], dt)
        ctx.reduction, ctx.kind, ctx.kw = reduction, kind, kw
        x, t = a._data.astype(dt, copy=False), b._data.astype(dt, copy=False)
        return _reduce_np(_PAIR[kind][1](x - t, **kw), reduction)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.inputs
        n = ctx.needs_input_grad
        r, kw, fns = ctx.reduction, ctx.kw, _PAIR[ctx.kind]
        if not _grad_state.enabled:
            dt = g._data.dtype
            d = a._data.astype(dt, copy=False) - b._data.astype(dt, copy=False)
            gi = fns[2](d, **kw) * _grad_scale(g._data, r, d.size)
            return (_wrap(gi) if n[0] else None), (_wrap(-gi) if n[1] else None)
        d = a - b
        gi = fns[3](d, **kw) * _grad_scale(g, r, d.numel())
        return (gi if n[0] else None), (-gi if n[1] else None)


def _smooth_l1_np(d, beta):
    ad = np.abs(d)
    return np.where(ad < beta, 0.5 * d * d / beta, ad - 0.5 * beta)


def _huber_np(d, delta):
    ad = np.abs(d)
    return np.where(ad < delta, 0.5 * d * d, delta * (ad - 0.5 * delta))


# kind: (kernel name for dtype errors, f(d), f'(d) on arrays, f'(d) with ember ops)
_PAIR = {
    "mse": ("mse_cpu", lambda d: d * d, lambda d: 2 * d, lambda d: 2 * d),
    "smooth_l1": ("smooth_l1_cpu", _smooth_l1_np,
                  lambda d, beta: np.clip(d / beta, -1, 1),  # PyTorch: -1 below -beta, 1 above beta, d/beta between
                  lambda d, beta: _ew.where(d.abs() < beta, d / beta, d.sign())),
    "huber": ("huber_cpu", _huber_np, lambda d, delta: np.clip(d, -delta, delta),
              lambda d, delta: d.clamp(-delta, delta)),
}


class MseLoss(_PairLoss):
    node_name, kind = "MseLossBackward0", "mse"


class SmoothL1Loss(_PairLoss):
    node_name, kind = "SmoothL1LossBackward0", "smooth_l1"


class HuberLoss(_PairLoss):
    node_name, kind = "HuberLossBackward0", "huber"


def _pair(cls, input, target, reduction, **kw):
    from .shape import broadcast_tensors
    ei, et = broadcast_tensors(input, target)
    return cls.apply(ei, et, reduction=reduction, kind=cls.kind, **kw)


def _weighted(unreduced, weight, reduction, input, divide_by_weight):
    if weight.shape != input.shape:
        raise ValueError("Weights and input must have the same size.")
    loss = unreduced * weight
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    if reduction == "mean":
        return loss.sum() / weight.sum() if divide_by_weight else loss.mean()
    raise ValueError(f"Invalid reduction mode: {reduction}. Expected one of 'none', 'mean', 'sum'.")


def mse_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    _size_warning(input, target)
    reduction = _reduction(size_average, reduce, reduction)
    if weight is not None:
        from .shape import broadcast_tensors
        ei, et = broadcast_tensors(input, target)
        return _weighted((ei - et).pow(2), weight, reduction, input, True)
    return _pair(MseLoss, input, target, get_enum(reduction))


def l1_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    _size_warning(input, target)
    reduction = _reduction(size_average, reduce, reduction)
    from .shape import broadcast_tensors
    ei, et = broadcast_tensors(input, target)
    if weight is not None:
        return _weighted((ei - et).abs(), weight, reduction, input, True)
    return _apply_reduction((ei - et).abs(), get_enum(reduction))


def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction="mean", beta=1.0):
    _size_warning(input, target)
    reduction = _reduction(size_average, reduce, reduction)
    if beta == 0.0:
        from .shape import broadcast_tensors
        ei, et = broadcast_tensors(input, target)
        return _apply_reduction((ei - et).abs(), get_enum(reduction))
    r = get_enum(reduction)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    return _pair(SmoothL1Loss, input, target, r, beta=beta)


def huber_loss(input, target, reduction="mean", delta=1.0, weight=None):
    _size_warning(input, target)
    if weight is None:
        r = get_enum(reduction)
        if delta <= 0:
            raise RuntimeError("huber_loss does not support non-positive values for delta.")
        return _pair(HuberLoss, input, target, r, delta=delta)
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    unreduced = _pair(HuberLoss, input, target, NONE, delta=delta)
    return _weighted(unreduced, weight, reduction, input, False)


# ============================================================================ nll_loss, cross_entropy

def _nll_setup(n, c, dtype, t, w, ignore_index):
    """Targets flattened to (N, S): safe class indices (ignored ones at 0) and the per-element weights."""
    ts = t.reshape(n, t.size // n if n else 0).astype(np.int64, copy=False)
    mask = ts != ignore_index
    bad = mask & ((ts < 0) | (ts >= c))
    if bad.any():
        raise IndexError(f"Target {int(ts[bad][0])} is out of bounds.")
    safe = np.where(mask, ts, 0)
    wt = (w[safe] if w is not None else np.ones(safe.shape, dtype)) * mask
    return safe, wt.astype(dtype, copy=False)


class NllLoss(Op):
    """``-weight[t] * x[t]`` per element (class dim 1, or 0 for an unbatched (C,) input), then reduced; a
    mean divides by the total weight of the non-ignored targets."""
    node_name = "NllLossBackward0"

    @staticmethod
    def forward(ctx, a, target, weight, *, reduction, ignore_index):
        x = a._data
        t = target._data
        if x.ndim == 2 and t.ndim == 1 and weight is None and x.shape[0] and t.dtype == np.int64 \
                and not 0 <= ignore_index < x.shape[1] and not (t.view(np.uint64) >= x.shape[1]).any():
            # the classifier's case (every target a valid class, none ignored): one gather, no weights
            picked = x[np.arange(x.shape[0]), t]
            ctx.reduction, ctx.ignore_index, ctx.shape, ctx.fast = reduction, ignore_index, x.shape, True
            if reduction == NONE:
                return -picked
            total = -picked.sum()
            if reduction == SUM:
                return np.asarray(total, x.dtype)
            ctx.total_weight = tw = x.dtype.type(x.shape[0])
            return np.asarray(total / tw, x.dtype)
        unbatched = x.ndim == 1
        if unbatched:
            x = x[None]
        t = target._data.reshape(x.shape[:1] + x.shape[2:])
        w = weight._data if weight is not None else None
        xs = x.reshape(x.shape[0], x.shape[1], math.prod(x.shape[2:]))
        safe, wt = _nll_setup(x.shape[0], x.shape[1], x.dtype, t, w, ignore_index)
        picked = np.take_along_axis(xs, safe[:, None], axis=1)[:, 0]
        loss = -wt * picked
        ctx.reduction, ctx.ignore_index = reduction, ignore_index
        ctx.shape = a._data.shape
        if reduction == NONE:
            return loss.reshape(t.shape if not unbatched else ())
        total = loss.sum()
        if reduction == SUM:
            return np.asarray(total, x.dtype)
        ctx.total_weight = tw = wt.sum()
        return np.asarray(total / tw, x.dtype)

    @staticmethod
    def backward(ctx, g):
        a, target, weight = ctx.inputs
        if not _grad_state.enabled and getattr(ctx, "fast", False):
            gd, shape = g._data, a._data.shape
            out = np.zeros(shape, gd.dtype)
            r = ctx.reduction
            out[np.arange(shape[0]), target._data] = -gd if r != MEAN else -gd / gd.dtype.type(shape[0])
            return _wrap(out), None, None
        kw = dict(target=target, weight=weight, reduction=ctx.reduction, ignore_index=ctx.ignore_index,
                  shape=ctx.shape, total_weight=getattr(ctx, "total_weight", None))
        if not _grad_state.enabled:
            return _wrap(_nll_grad(g._data, **kw)), None, None
        return NllLossGrad.apply(g, **kw), None, None


def _nll_grad(g, target, weight, reduction, ignore_index, shape, total_weight):
    """The grad of nll w.r.t. its input: ``-weight[t] * g`` scattered at the target class."""
    unbatched = len(shape) == 1
    full = (1,) + shape if unbatched else shape
    n, c = full[0], full[1]
    t = target._data.reshape(full[:1] + full[2:])
    w = weight._data if weight is not None else None
    safe, wt = _nll_setup(n, c, g.dtype, t, w, ignore_index)
    if reduction == NONE:
        gv = -wt * g.reshape(wt.shape)
    elif reduction == SUM:
        gv = -wt * g
    else:
        gv = -wt * (g / total_weight)
    gv = np.where(t.reshape(wt.shape) != ignore_index, gv, 0)  # an all-ignored mean (0/0) leaves zeros
    out = np.zeros((n, c, safe.shape[1]), g.dtype)
    np.put_along_axis(out, safe[:, None], gv[:, None].astype(g.dtype, copy=False), axis=1)
    return out.reshape(shape)


class NllLossGrad(Op):
    """nll's grad as an op of the upstream grad; linear in it, so its own grad is nll of ``gg`` again (and zero
    w.r.t. the log-probabilities, as in PyTorch)."""
    node_name = "NllLossBackwardBackward0"

    @staticmethod
    def forward(ctx, g, **kw):
        ctx.kw = kw
        return _nll_grad(g._data, **kw)

    @staticmethod
    def backward(ctx, gg):
        kw = ctx.kw
        if kw["reduction"] == MEAN:
            # the mean's divisor is fixed by the targets: sum then divide, as the forward did
            return NllLoss.apply(gg, kw["target"], kw["weight"], reduction=SUM,
                                 ignore_index=kw["ignore_index"]) / float(kw["total_weight"])
        return NllLoss.apply(gg, kw["target"], kw["weight"], reduction=kw["reduction"], ignore_index=kw["ignore_index"])


class NllLoss2d(NllLoss):
    node_name = "NllLoss2DBackward0"


def _check_target_dtype(t):
    if t._data.dtype not in (np.int64, np.uint8):
        raise RuntimeError(f"expected target dtype to be Long or Byte, but got {_type_name(t._data.dtype)}")


def _nll_nd(input, target, weight, r, ignore_index):
    """PyTorch's ``nll_loss_nd``: the checks, and nll_loss (1-D/2-D) or nll_loss2d (K-dim) underneath."""
    x, t = input._data, target._data
    if x.ndim < 1:
        raise ValueError(f"Expected 1 or more dimensions (got {x.ndim})")
    if x.ndim == 1 and t.ndim == 1 and t.shape[0] != 1:
        raise ValueError(f"For 1D input, 1D target must have size 1, but got target size: {t.shape[0]}")
    if x.ndim != 1 and x.shape[0] != (t.shape[0] if t.ndim else 1):
        raise ValueError(f"Expected input batch_size ({x.shape[0]}) to match target batch_size "
                         f"({t.shape[0] if t.ndim else 1}).")
    _check_target_dtype(target)
    if x.dtype.kind != "f":
        raise _not_implemented("nll_loss_out_frame" if x.ndim <= 2 else "nll_loss2d_forward_out_frame", x.dtype)
    c = x.shape[1] if x.ndim >= 2 else x.shape[0]
    if weight is not None and (weight._data.ndim != 1 or weight._data.size != c):
        raise RuntimeError(f"weight tensor should be defined either for all {c} classes or no classes but got weight "
                           f"tensor of shape: {list(weight._data.shape)}")
    _not_differentiable("nll_loss_forward" if x.ndim <= 2 else "nll_loss2d_forward", "weight", weight)
    if weight is not None and weight._data.dtype != x.dtype:
        weight = weight.to(input.dtype)
    if x.ndim <= 2:
        if t.ndim > 1:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
        if not (x.ndim == 1 and t.ndim == 0) and (1 if x.ndim == 1 else x.shape[0]) != t.shape[0]:
            raise RuntimeError(f"size mismatch (got input: {list(x.shape)}, target: {list(t.shape)})")
        return NllLoss.apply(input, target, weight, reduction=r, ignore_index=ignore_index)
    if x.ndim == 4:
        if t.ndim != 3:
            raise RuntimeError(f"only batches of spatial targets supported (3D tensors) but got targets of "
                               f"dimension: {t.ndim}")
        if t.shape != (x.shape[0],) + x.shape[2:]:
            raise RuntimeError(f"size mismatch (got input: {list(x.shape)} , target: {list(t.shape)}")
        return NllLoss2d.apply(input, target, weight, reduction=r, ignore_index=ignore_index)
    out_size = (x.shape[0],) + x.shape[2:]
    if t.shape[1:] != x.shape[2:]:
        raise RuntimeError(f"Expected target size {list(out_size)}, got {list(t.shape)}")
    n = x.shape[0]
    if x.size > 0:
        input_, target_ = input.reshape(n, x.shape[1], 1, -1), target.reshape(n, 1, -1)
    else:
        input_, target_ = input.reshape(n, x.shape[1], 0, 0), target.reshape(n, 0, 0)
    out = NllLoss2d.apply(input_, target_, weight, reduction=r, ignore_index=ignore_index)
    return out.view(out_size) if r == NONE else out


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean"):
    reduction = _reduction(size_average, reduce, reduction)
    return _nll_nd(input, target, weight, get_enum(reduction), ignore_index)


def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean",
                  label_smoothing=0.0):
    """``nll_loss(log_softmax(input, class dim))`` (class indices) or ``-sum(target * log_softmax)`` (class
    probabilities: a floating target of input's shape), with label smoothing as PyTorch computes it."""
    reduction = _reduction(size_average, reduce, reduction)
    r = get_enum(reduction)
    x = input._data
    class_dim = 0 if x.ndim == 1 else 1
    if x.shape == target._data.shape:
        if target._data.dtype.kind != "f":
            raise RuntimeError(f"Expected floating point type for target with class probabilities, got "
                               f"{_type_name(target._data.dtype)}")
        if ignore_index >= 0:
            raise RuntimeError("ignore_index is not supported for floating point target")
        return _ce_prob(input, target, weight, r, label_smoothing, class_dim)
    if label_smoothing > 0.0:
        if label_smoothing > 1.0:
            raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing:g}")
        return _ce_smooth(input, target, weight, r, ignore_index, label_smoothing, class_dim)
    return _nll_nd(input.log_softmax(class_dim), target, weight, r, ignore_index)


def _weight_view(weight, ndim, class_dim):
    shape = [1] * ndim
    shape[class_dim] = weight._data.shape[0]
    return weight.view(shape)


def _ce_prob(input, target, weight, r, label_smoothing, class_dim):
    n_classes = input._data.shape[class_dim]
    if weight is not None and (weight._data.ndim != 1 or weight._data.size != n_classes):
        raise RuntimeError(f"cross_entropy: weight tensor should be defined either for all {n_classes} classes or no "
                           f"classes but got weight tensor of shape: {list(weight._data.shape)}")
    logp = input.log_softmax(class_dim)
    if label_smoothing > 0.0:
        if label_smoothing > 1.0:
            raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing:g}")
        target = target * (1 - label_smoothing) + (label_smoothing / n_classes)
    prod = logp * target
    if weight is not None:
        prod = prod * (_weight_view(weight, logp.ndim, 1) if logp.ndim > 1 else weight)
    if r == MEAN:
        if logp.numel() == 0:
            return -prod.sum() * float("nan")
        out = -prod.sum() / (logp.numel() // n_classes)
        if out.grad_fn is not None:  # ATen divides by a Scalar here: PyTorch's node is DivBackward1
            from .._tensor_methods import _rename_node
            _rename_node(out.grad_fn, "DivBackward1")
        return out
    if r == SUM:
        return -prod.sum()
    return -prod.sum(class_dim)


def _ce_smooth(input, target, weight, r, ignore_index, label_smoothing, class_dim):
    n_classes = input._data.shape[class_dim]
    logp = input.log_softmax(class_dim)
    nll = _nll_nd(logp, target, weight, r, ignore_index)
    ignore_mask = target == ignore_index
    if weight is not None:
        smooth = -(logp * _weight_view(weight, logp.ndim, class_dim)).sum(class_dim)
    else:
        smooth = -logp.sum(class_dim)
    smooth = smooth.masked_fill(ignore_mask, 0.0)
    if r == MEAN:
        if weight is not None:
            t = target._data[~ignore_mask._data]
            ret = smooth.sum() / _wrap(np.asarray(weight._data[t].sum(), weight._data.dtype))
        else:
            ret = smooth.sum() / (~ignore_mask).sum()
    elif r == SUM:
        ret = smooth.sum()
    else:
        ret = smooth
    return (1 - label_smoothing) * nll + ret * (label_smoothing / n_classes)


# ============================================================================ binary cross-entropy

class BinaryCrossEntropy(Op):
    """``-w (t log x + (1 - t) log(1 - x))`` with each log clamped to >= -100, as PyTorch does."""
    node_name = "BinaryCrossEntropyBackward0"

    @staticmethod
    def forward(ctx, a, b, weight, *, reduction):
        x, t = a._data, b._data
        if x.size and ((x < 0) | (x > 1)).any():
            raise RuntimeError("all elements of input should be between 0 and 1")
        ctx.reduction = reduction
        loss = (t - 1) * np.maximum(np.log1p(-x), -100) - t * np.maximum(np.log(x), -100)
        if weight is not None:
            loss = loss * weight._data
        return _reduce_np(loss.astype(x.dtype, copy=False), reduction)

    @staticmethod
    def backward(ctx, g):
        a, b, w = ctx.inputs
        n = ctx.needs_input_grad
        r = ctx.reduction
        if not _grad_state.enabled:
            x, t, gd = a._data, b._data, g._data
            gs = _grad_scale(gd, r, x.size)
            if w is not None:
                gs = gs * w._data
            gx = gs * (x - t) / np.maximum((1 - x) * x, 1e-12) if n[0] else None
            gt = gs * (np.log1p(-x) - np.log(x)) if n[1] else None  # PyTorch: no clamp on the target's grad
            return (None if gx is None else _wrap(gx.astype(x.dtype, copy=False))), \
                (None if gt is None else _wrap(gt.astype(x.dtype, copy=False))), None
        gs = _grad_scale(g, r, a.numel())
        if w is not None:
            gs = gs * w
        gx = gs * (a - b) / ((1 - a) * a).clamp_min(1e-12) if n[0] else None
        gt = gs * ((-a).log1p() - a.log()) if n[1] else None
        return gx, gt, None


def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None, reduction="mean"):
    if size_average is not None or reduce is not None:
        r = get_enum(legacy_get_string(size_average, reduce))
    else:
        r = get_enum(reduction)
    if target.shape != input.shape:
        raise ValueError(f"Using a target size ({target.shape}) that is different to the input size ({input.shape}) "
                         "is deprecated. Please ensure they have the same size.")
    _not_differentiable("binary_cross_entropy", "weight", weight)
    for other in (target,) + ((weight,) if weight is not None else ()):
        if other._data.dtype != input._data.dtype:
            raise RuntimeError(f"Found dtype {_type_name(other._data.dtype)} but expected "
                               f"{_type_name(input._data.dtype)}")
    if weight is not None:
        from .shape import expand
        from .elementwise import broadcast_shapes_or_raise
        try:
            shape = broadcast_shapes_or_raise(target._data.shape, weight._data.shape)
        except RuntimeError:
            raise RuntimeError(f"Attempting to broadcast a dimension of length {weight._data.shape[-1]} at -1! "
                               f"Mismatching argument at index 1 had {weight.shape}; but expected shape should be "
                               f"broadcastable to {list(target._data.shape)}") from None
        weight = expand(weight, shape)
    return BinaryCrossEntropy.apply(input, target, weight, reduction=r)


class BinaryCrossEntropyWithLogits(Op):
    """``(1 - t) x - lw * logsigmoid(x)``, ``lw = (pos_weight - 1) t + 1``: stable for any logit."""
    node_name = "BinaryCrossEntropyWithLogitsBackward0"

    @staticmethod
    def forward(ctx, a, b, weight, pos_weight, *, reduction):
        dt = result_np_dtype(a, b)
        x, t = a._data.astype(dt, copy=False), b._data.astype(dt, copy=False)
        ctx.reduction = reduction
        ls = np.minimum(x, 0) - np.log1p(np.exp(-np.abs(x)))
        if pos_weight is not None:
            ls = ls * ((pos_weight._data - 1) * t + 1)
        loss = (1 - t) * x - ls
        if weight is not None:
            loss = loss * weight._data
        return _reduce_np(loss.astype(dt, copy=False), reduction)

    @staticmethod
    def backward(ctx, g):
        a, b, w, pw = ctx.inputs
        n = ctx.needs_input_grad
        r = ctx.reduction
        if not _grad_state.enabled:
            from .unary import _sigmoid_np
            dt = g._data.dtype
            x, t = a._data.astype(dt, copy=False), b._data.astype(dt, copy=False)
            gs = _grad_scale(g._data, r, math.prod(np.broadcast_shapes(x.shape, t.shape)))
            if w is not None:
                gs = gs * w._data
            gx = gt = None
            if n[0]:
                if pw is not None:
                    pt = pw._data * t
                    gx = gs * ((pt + 1 - t) * _sigmoid_np(x) - pt)
                else:
                    gx = gs * (_sigmoid_np(x) - t)
            if n[1]:
                if pw is not None:
                    lsp = np.minimum(x, 0) - np.log1p(np.exp(-np.abs(x)))
                    lsn = np.minimum(-x, 0) - np.log1p(np.exp(-np.abs(x)))
                    gt = gs * (lsn - lsp * pw._data)
                else:
                    gt = gs * -x
            return (None if gx is None else _wrap(np.asarray(gx, dt))), \
                (None if gt is None else _wrap(np.asarray(gt, dt))), None, None
        from .activation import logsigmoid
        numel = math.prod(np.broadcast_shapes(a._data.shape, b._data.shape))
        gs = _grad_scale(g, r, numel)
        if w is not None:
            gs = gs * w
        gx = gt = None
        if n[0]:
            if pw is not None:
                pt = pw * b
                gx = gs * ((pt + 1 - b) * a.sigmoid() - pt)
            else:
                gx = gs * (a.sigmoid() - b)
        if n[1]:
            gt = gs * (logsigmoid(-a) - logsigmoid(a) * pw) if pw is not None else gs * -a
        return gx, gt, None, None


def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None, reduce=None, reduction="mean",
                                     pos_weight=None):
    if size_average is not None or reduce is not None:
        r = get_enum(legacy_get_string(size_average, reduce))
    else:
        r = get_enum(reduction)
    if target.shape != input.shape:
        raise ValueError(f"Target size ({target.shape}) must be the same as input size ({input.shape})")
    return _bce_logits(input, target, weight, pos_weight, r)


def _bce_logits(input, target, weight, pos_weight, r):
    _not_differentiable("binary_cross_entropy_with_logits", "weight", weight)
    _not_differentiable("binary_cross_entropy_with_logits", "pos_weight", pos_weight)
    if target._data.dtype.kind != "f" and input._data.dtype.kind == "f":
        raise RuntimeError(f"result type {_type_name(input._data.dtype)} can't be cast to the desired output type "
                           f"{_type_name(target._data.dtype)}")
    return BinaryCrossEntropyWithLogits.apply(input, target, weight, pos_weight, reduction=r)


# ============================================================================ soft margin, multi margin

class SoftMarginLoss(Op):
    """``log(1 + exp(-t x))``, computed as PyTorch's kernel does."""
    node_name = "SoftMarginLossBackward0"

    @staticmethod
    def forward(ctx, a, b, *, reduction):
        ctx.reduction = reduction
        x, t = a._data, b._data
        return _reduce_np(np.log1p(np.exp(-x * t)).astype(x.dtype, copy=False), reduction)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.inputs
        r = ctx.reduction
        if not _grad_state.enabled:
            x, t = a._data, b._data
            z = np.exp(-x * t)
            gx = -t * z / (1 + z) * _grad_scale(g._data, r, x.size)
            return _wrap(gx.astype(x.dtype, copy=False)), None
        z = (-a * b).exp()
        return -b * z / (1 + z) * _grad_scale(g, r, a.numel()), None


def soft_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    if size_average is not None or reduce is not None:
        r = get_enum(legacy_get_string(size_average, reduce))
    else:
        r = get_enum(reduction)
    _not_differentiable("soft_margin_loss", "target", target)
    if target._data.dtype.kind != "f" and input._data.dtype.kind != "f":
        raise RuntimeError("result type Float can't be cast to the desired output type "
                           f"{_type_name(input._data.dtype)}")
    return SoftMarginLoss.apply(input, target, reduction=r)


class MultiMarginLoss(Op):
    """``sum_{i != y} w[y] max(0, margin - x[y] + x[i])^p / C`` per sample."""
    node_name = "MultiMarginLossBackward0"

    @staticmethod
    def forward(ctx, a, target, weight, *, p, margin, reduction):
        x = a._data
        x2 = x.reshape(1, -1) if x.ndim <= 1 else x
        y = target._data.reshape(-1)
        c = x2.shape[1]
        if y.size and ((y < 0) | (y >= c)).any():
            raise RuntimeError("target out of range")
        xy = np.take_along_axis(x2, y[:, None], axis=1)
        z = margin - xy + x2
        act = z > 0
        act[np.arange(x2.shape[0]), y] = False
        h = np.where(act, z, 0) ** p
        if weight is not None:
            h = h * weight._data[y][:, None]
        ctx.reduction, ctx.p, ctx.margin = reduction, p, margin
        loss = (h.sum(1) / c).astype(x.dtype, copy=False)
        if reduction == NONE:
            return loss.reshape(x.shape[:1] if x.ndim == 2 else ())
        return _reduce_np(loss, reduction)

    @staticmethod
    def backward(ctx, g):
        a, target, weight = ctx.inputs
        x = a._data
        x2 = x.reshape(1, -1) if x.ndim <= 1 else x
        y = target._data.reshape(-1)
        n, c = x2.shape
        xy = np.take_along_axis(x2, y[:, None], axis=1)
        z = ctx.margin - xy + x2
        act = z > 0
        act[np.arange(n), y] = False
        d = np.where(act, 1.0 if ctx.p == 1 else 2 * z, 0).astype(x.dtype)
        if weight is not None:
            d = d * weight._data[y][:, None]
        gd = g._data
        if ctx.reduction == NONE:
            gs = gd.reshape(-1, 1) / c
        elif ctx.reduction == MEAN:
            gs = gd / (c * n)
        else:
            gs = gd / c
        gx = d * gs
        gx[np.arange(n), y] = -gx.sum(1)
        return _wrap(gx.reshape(x.shape).astype(x.dtype, copy=False)), None, None


def multi_margin_loss(input, target, p=1, margin=1.0, weight=None, size_average=None, reduce=None, reduction="mean"):
    if size_average is not None or reduce is not None:
        r = get_enum(legacy_get_string(size_average, reduce))
    else:
        r = get_enum(reduction)
    if p != 1 and p != 2:
        raise ValueError("only p == 1 and p == 2 supported")
    if weight is not None and weight._data.ndim != 1:
        raise ValueError("weight must be one-dimensional")
    return MultiMarginLoss.apply(input, target, weight, p=p, margin=margin, reduction=r)


# moved to loss_compose.py; re-exported so callers keep one import path
from .loss_compose import (  # noqa: E402,F401
    cosine_embedding_loss, gaussian_nll_loss, hinge_embedding_loss, kl_div, margin_ranking_loss,
    multilabel_soft_margin_loss, poisson_nll_loss, triplet_margin_loss)
