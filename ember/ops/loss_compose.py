"""Losses PyTorch builds from other ops (kl_div, poisson/gaussian nll, embedding and margin losses).

Each is a composition, so its graph is the ops it uses, as in PyTorch.
"""
import math
import warnings

import numpy as np

from ._util import _wrap
from . import elementwise as _ew
from .loss import SUM, _apply_reduction, _reduction, get_enum, legacy_get_string  # noqa: F401


# ============================================================================ compositions

def kl_div(input, target, size_average=None, reduce=None, reduction="mean", log_target=False):
    if size_average is not None or reduce is not None:
        r = get_enum(legacy_get_string(size_average, reduce))
    else:
        if reduction == "mean":
            warnings.warn("reduction: 'mean' divides the total loss by both the batch size and the support size."
                          "'batchmean' divides only by the batch size, and aligns with the KL div math definition."
                          "'mean' will be changed to behave the same as 'batchmean' in the next major release.",
                          stacklevel=2)
        r = SUM if reduction == "batchmean" else get_enum(reduction)
    out = _kl_div(input, target, r, log_target)
    if reduction == "batchmean" and input._data.ndim != 0:
        out = out / input.shape[0]
    return out


def _kl_div(input, target, r, log_target):
    ki, kt = input._data.dtype.kind, target._data.dtype.kind
    if ki == "c" or kt == "c":
        raise RuntimeError("kl_div: Complex inputs not supported.")
    if ki in "biu" or kt in "biu":
        raise RuntimeError("kl_div: Integral inputs not supported.")
    from .special import xlogy
    out = target.exp() * (target - input) if log_target else xlogy(target, target) - target * input
    return _apply_reduction(out, r)


def poisson_nll_loss(input, target, log_input=True, full=False, size_average=None, eps=1e-8, reduce=None,
                     reduction="mean"):
    reduction = _reduction(size_average, reduce, reduction)
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(reduction + " is not a valid value for reduction")
    return _poisson_nll(input, target, log_input, full, eps, get_enum(reduction))


def _poisson_nll(input, target, log_input, full, eps, r):
    if log_input:
        loss = input.exp() - target * input
    else:
        loss = input - target * (input + eps).log()
    if full:
        stirling = target * target.log() - target + 0.5 * (2 * math.pi * target).log()
        loss = loss + stirling.masked_fill(target <= 1, 0)
    return _apply_reduction(loss, r)


def gaussian_nll_loss(input, target, var, full=False, eps=1e-6, reduction="mean"):
    from .. import no_grad
    if isinstance(var, float):
        if var < 0:
            raise ValueError("var has negative entry/entries")
        from .creation import ones_like
        var = var * ones_like(input)
    elif not isinstance(var, float) and not hasattr(var, "_data"):
        raise TypeError(f"any() received an invalid combination of arguments - got ({type(var < 0).__name__}), but "
                        "expected one of:\n * (Tensor input, *, Tensor out = None)\n * (Tensor input, tuple of ints "
                        "dim = None, bool keepdim = False, *, Tensor out = None)\n * (Tensor input, int dim, bool "
                        "keepdim = False, *, Tensor out = None)\n")
    elif bool((var._data < 0).any()):
        raise ValueError("var has negative entry/entries")
    if var.shape != input.shape:
        if input.shape[:-1] == var.shape:
            var = var.unsqueeze(-1)
        elif input.ndim == var.ndim and sum(y for x, y in zip(input.shape, var.shape) if x != y) == 1:
            pass
        else:
            raise ValueError("var is of incorrect size")
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(reduction + " is not valid")
    var = var.clone()
    with no_grad():
        var.clamp_(min=eps)
    loss = 0.5 * (var.log() + (input - target) ** 2 / var)
    if full:
        loss = loss + 0.5 * math.log(2 * math.pi)
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def _legacy_enum(size_average, reduce, reduction):
    if size_average is not None or reduce is not None:
        return get_enum(legacy_get_string(size_average, reduce))
    return get_enum(reduction)


def cosine_embedding_loss(input1, input2, target, margin=0, size_average=None, reduce=None, reduction="mean"):
    return _cosine_embedding(input1, input2, target, margin, _legacy_enum(size_average, reduce, reduction))


def _cosine_embedding(input1, input2, target, margin, r):
    td = target._data.ndim
    if td not in (0, 1):
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if td == 1 and not (input1.ndim == 2 and input2.ndim == 2):
        raise RuntimeError(f"1D target tensor expects 2D input tensors, but found inputs with sizes "
                           f"{list(input1.shape)} and {list(input2.shape)}.")
    if td == 0 and not (input1.ndim == 1 and input2.ndim == 1):
        raise RuntimeError(f"0D target tensor expects 1D input tensors, but found inputs with sizes "
                           f"{list(input1.shape)} and {list(input2.shape)}.")
    eps = 1e-12
    prod_sum = (input1 * input2).sum(td)
    mag1 = (input1 * input1).sum(td) + eps
    mag2 = (input2 * input2).sum(td) + eps
    cos = prod_sum / (mag1 * mag2).sqrt()
    zeros = _wrap(np.zeros(cos._data.shape, cos._data.dtype))
    pos = 1 - cos
    neg = (cos - margin).clamp_min(0)
    out = _ew.where(target == 1, pos, zeros) + _ew.where(target == -1, neg, zeros)
    return _apply_reduction(out, r)


def margin_ranking_loss(input1, input2, target, margin=0, size_average=None, reduce=None, reduction="mean"):
    r = _legacy_enum(size_average, reduce, reduction)
    if input1.ndim != input2.ndim or input1.ndim != target.ndim:
        raise RuntimeError(f"margin_ranking_loss : All input tensors should have same dimension but got sizes: "
                           f"input1: {input1.shape}, input2: {input2.shape}, target: {target.shape} ")
    return _margin_ranking(input1, input2, target, margin, r)


def _margin_ranking(input1, input2, target, margin, r):
    return _apply_reduction((-target * (input1 - input2) + margin).clamp_min(0), r)


def hinge_embedding_loss(input, target, margin=1.0, size_average=None, reduce=None, reduction="mean"):
    return _hinge_embedding(input, target, margin, _legacy_enum(size_average, reduce, reduction))


def _hinge_embedding(input, target, margin, r):
    zeros = _wrap(np.zeros(input._data.shape, input._data.dtype))
    margin_clamp = (margin - input).clamp_min(0)
    out = _ew.where(target != 1, margin_clamp, zeros) + _ew.where(target != -1, input, zeros)
    return _apply_reduction(out, r)


def _pairwise_distance(x1, x2, p, eps):
    from .reduce import norm
    return norm(x1 - x2 + eps, p, max(x1.ndim, x2.ndim) - 1)


def triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2, eps=1e-6, swap=False, size_average=None,
                        reduce=None, reduction="mean"):
    r = _legacy_enum(size_average, reduce, reduction)
    if margin <= 0:
        raise ValueError(f"margin must be greater than 0, got {margin}")
    return _triplet_margin(anchor, positive, negative, margin, p, eps, swap, r)


def _triplet_margin(anchor, positive, negative, margin, p, eps, swap, r):
    a, pd, nd = anchor.ndim, positive.ndim, negative.ndim
    if not (a == pd and pd == nd):
        raise RuntimeError(f"The anchor, positive, and negative tensors are expected to have the same number of "
                           f"dimensions, but got: anchor {a}D, positive {pd}D, and negative {nd}D inputs")
    dist_pos = _pairwise_distance(anchor, positive, p, eps)
    dist_neg = _pairwise_distance(anchor, negative, p, eps)
    if swap:
        dist_neg = _ew.minimum(dist_neg, _pairwise_distance(positive, negative, p, eps))
    return _apply_reduction((margin + dist_pos - dist_neg).clamp_min(0), r)


def multilabel_soft_margin_loss(input, target, weight=None, size_average=None, reduce=None, reduction="mean"):
    from .activation import logsigmoid
    reduction = _reduction(size_average, reduce, reduction)
    loss = -(target * logsigmoid(input) + (1 - target) * logsigmoid(-input))
    if weight is not None:
        loss = loss * weight
    class_dim = input.ndim - 1
    c = input.shape[class_dim]
    loss = loss.sum(class_dim) / c
    if reduction == "none":
        return loss
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    raise ValueError(reduction + " is not valid")
