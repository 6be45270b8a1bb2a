"""``torch.nn.functional.ctc_loss``: the connectionist temporal classification loss, forward beside backward.

Both recursions run in log space over the extended label sequence ``blank, l1, blank, l2, ..., lL, blank``
(``2L + 1`` positions per sample), vectorised over the batch and the positions; only time steps loop. Samples of
different lengths share one padded (N, 2*max(L) + 1) grid whose unused positions stay ``-inf``.

NOTE [ ctc gradient ]: like PyTorch's, the gradient returned for ``log_probs`` is
``(exp(log_probs) - occupancy) * grad``, where occupancy[t, c] is the posterior probability that step t emits c.
The true derivative of the loss w.r.t. ``log_probs`` is ``-occupancy * grad``; the extra ``exp(log_probs) * grad``
assumes ``log_probs`` came from a ``log_softmax`` over C, whose backward removes it (it subtracts
``softmax * sum_c(grad)``), so gradients w.r.t. the logits are exact. ember returns PyTorch's numbers. At steps
past a sample's input length the gradient is 0; an impossible alignment (infinite loss) gives NaN at its
steps unless ``zero_infinity``, which zeroes them.
"""
import numpy as np

from ..autograd.grad_mode import _state as _grad_state
from ._util import _wrap, is_tensor
from .elementwise import Op, _not_implemented, where
from .loss import MEAN, NONE, SUM, get_enum

_ALLOC = " (while checking arguments for ctc_loss_allocate_outputs)"


def _lse3(a, b, c):
    """log(exp(a) + exp(b) + exp(c)) elementwise, ``-inf`` where all three are (PyTorch's kernel's form)."""
    m = np.maximum(np.maximum(a, b), c)
    m = np.where(m == -np.inf, 0, m)
    return np.log(np.exp(a - m) + np.exp(b - m) + np.exp(c - m)) + m


def _shift(x, k):
    """``x[:, s - k]`` (k > 0) or ``x[:, s + |k|]`` (k < 0) along the positions, ``-inf`` where it falls off."""
    out = np.full_like(x, -np.inf)
    if k > 0:
        out[:, k:] = x[:, :-k]
    else:
        out[:, :k] = x[:, -k:]
    return out


class _NotTwiceDifferentiable(Op):
    """Passes the grad through; differentiating it raises, as PyTorch's ``_ctc_loss_backward`` does."""

    saves = False

    @staticmethod
    def forward(ctx, g, *, value):
        return value

    @staticmethod
    def backward(ctx, gg):
        raise RuntimeError("derivative for aten::_ctc_loss_backward is not implemented")


_NotTwiceDifferentiable._node_cls.name = lambda self: "torch::autograd::NotImplemented"


class CtcLoss(Op):
    """The per-sample negative log likelihood (N,) of the targets under ``log_probs`` (T, N, C)."""

    node_name = "CtcLossBackward0"

    @staticmethod
    def forward(ctx, log_probs, *, ext, il, tl, blank, zero_infinity):
        lp = log_probs._data
        T, N, _ = lp.shape
        S = ext.shape[1]
        pos = np.arange(S)
        valid = pos[None, :] < (2 * tl + 1)[:, None]
        # the s-2 -> s transition skips a blank between two different labels
        skip = (pos[None, :] >= 2) & (ext != blank) & (ext != _shift(ext.astype(np.float64), 2))
        lpe = lp[:, np.arange(N)[:, None], ext]  # (T, N, S): log prob of each extended label
        alpha = np.full((T, N, S), -np.inf, dtype=lp.dtype)
        with np.errstate(divide="ignore", invalid="ignore"):
            if T:
                alpha[0, :, 0] = lpe[0, :, 0]
                alpha[0, :, 1:2] = np.where(tl[:, None] > 0, lpe[0, :, 1:2], -np.inf)
            for t in range(1, T):
                prev = alpha[t - 1]
                a = _lse3(prev, _shift(prev, 1), np.where(skip, _shift(prev, 2), -np.inf)) + lpe[t]
                alpha[t] = np.where(valid, a, -np.inf)
            nll = np.zeros(N, dtype=lp.dtype)
            last = np.maximum(il - 1, 0)
            if T:
                fin = alpha[last, np.arange(N)]  # (N, S) at each sample's last step
                l1 = np.take_along_axis(fin, (2 * tl)[:, None], 1)[:, 0]
                l2 = np.where(tl > 0, np.take_along_axis(fin, np.maximum(2 * tl - 1, 0)[:, None], 1)[:, 0], -np.inf)
                m = np.maximum(l1, l2)
                m = np.where(m == -np.inf, 0, m)
                nll = -(np.log(np.exp(l1 - m) + np.exp(l2 - m)) + m)
            # an empty input explains only an empty target
            nll = np.where(il == 0, np.where(tl == 0, 0, np.inf), nll).astype(lp.dtype)
        ctx.args = (ext, valid, skip, lpe, alpha, nll, il, tl, zero_infinity)
        return nll

    @staticmethod
    def backward(ctx, g):
        (log_probs,) = ctx.inputs
        ext, valid, skip, lpe, alpha, nll, il, tl, zero_infinity = ctx.args
        lp = log_probs._data
        T, N, C = lp.shape
        S = ext.shape[1]
        last = il - 1
        end = np.zeros((N, S), dtype=bool)  # where beta starts: the last blank and the last label
        end[np.arange(N), 2 * tl] = True
        end[np.arange(N), np.maximum(2 * tl - 1, 0)] |= tl > 0
        skip_next = _shift(skip.astype(np.float64), -2) > 0  # s -> s+2 allowed
        beta = np.full((T, N, S), -np.inf, dtype=lp.dtype)
        with np.errstate(divide="ignore", invalid="ignore"):
            nxt = beta[0]  # all -inf
            for t in range(T - 1, -1, -1):
                b = _lse3(nxt, _shift(nxt, -1), np.where(skip_next, _shift(nxt, -2), -np.inf)) + lpe[t]
                b = np.where((t < last)[:, None] & valid, b, -np.inf)
                b = np.where((t == last)[:, None] & end, lpe[t], b)
                beta[t] = nxt = b
            # occupancy of each extended position, summed per class: exp(alpha + beta - lp - log p)
            occ = np.exp(alpha + beta - lpe + nll[None, :, None])
            occ = np.where(valid[None], occ, 0)
            flat = ((np.arange(T)[:, None, None] * N + np.arange(N)[None, :, None]) * C + ext[None]).ravel()
            occ = np.bincount(flat, weights=occ.ravel().astype(np.float64), minlength=T * N * C)
            grad = (np.exp(lp) - occ.reshape(T, N, C).astype(lp.dtype)) * g._data[None, :, None]
        live = np.arange(T)[:, None] < il[None, :]  # (T, N): steps each sample uses
        inf = np.isinf(nll)
        if zero_infinity:
            live &= ~inf[None, :]
        else:
            grad[live & inf[None, :]] = np.nan  # PyTorch's -inf + inf for an impossible alignment
        grad = np.where(live[:, :, None], grad, 0).astype(lp.dtype, copy=False)
        if _grad_state.enabled and g.requires_grad:
            return _NotTwiceDifferentiable.apply(g, value=grad)
        return _wrap(grad)


def _lengths(v, name):
    """A lengths argument (Tensor, or sequence of ints) as a 1-D int64 array."""
    if is_tensor(v):
        if v._data.dtype.kind not in "iu":
            raise RuntimeError(f"{name} must be integral")
        return v._data.reshape(-1).astype(np.int64)
    return np.asarray(v, dtype=np.int64).reshape(-1)


def _type_error(args):
    kinds = "".join(f", {type(a).__name__ if not is_tensor(a) else 'Tensor'}" for a in args)
    return TypeError(f"ctc_loss() received an invalid combination of arguments - got (Tensor, Tensor{kinds}, int, "
                     "int, bool), but expected one of:\n * (Tensor log_probs, Tensor targets, tuple of ints "
                     "input_lengths, tuple of ints target_lengths, int blank = 0, int reduction = "
                     "at::Reduction::Mean, bool zero_infinity = False)\n * (Tensor log_probs, Tensor targets, Tensor "
                     "input_lengths, Tensor target_lengths, int blank = 0, int reduction = at::Reduction::Mean, "
                     "bool zero_infinity = False)\n")


def _is_int_seq(v):
    return isinstance(v, (list, tuple)) and all(isinstance(x, (int, np.integer)) and not isinstance(x, bool)
                                                for x in v)


def _padded_targets(targets, tl, N):
    """The targets as an (N, max(tl)) array, whether given padded (N, S) or concatenated (sum(tl),)."""
    tg = targets._data
    if tg.ndim not in (1, 2):
        raise RuntimeError(f"Expected 1 to 2 dimensions, but got {tg.ndim}-dimensional tensor for argument #2 "
                           f"'targets'{_ALLOC}")
    neg = tl < 0
    if neg.any():
        raise RuntimeError(f"Expected target_lengths to have value at least 0, but got value {tl[neg][0]}{_ALLOC}")
    L = int(tl.max()) if N else 0
    tg = tg.astype(np.int64)
    cols = np.arange(L)[None, :]
    inside = cols < tl[:, None]
    if tg.ndim == 1:
        total = int(tl.sum())
        if tg.shape[0] != total:
            raise RuntimeError(f"Expected tensor to have size {total} at dimension 0, but got size {tg.shape[0]} for "
                               f"argument #2 'targets'{_ALLOC}")
        start = np.cumsum(tl) - tl
        return np.where(inside, tg[np.minimum(start[:, None] + cols, max(total - 1, 0))] if total else 0, 0), inside
    if tg.shape[0] != N:
        raise RuntimeError(f"Expected tensor to have size {N} at dimension 0, but got size {tg.shape[0]} for "
                           f"argument #2 'targets'{_ALLOC}")
    if tg.shape[1] < L:
        raise RuntimeError(f"Expected tensor to have size at least {L} at dimension 1, but got size {tg.shape[1]} "
                           f"for argument #2 'targets'{_ALLOC}")
    return np.where(inside, tg[:, :L], 0), inside


def ctc_loss(log_probs, targets, input_lengths, target_lengths, blank=0, reduction="mean", zero_infinity=False):
    """The CTC loss of ``targets`` under per-step class log-probabilities ``log_probs`` (T, N, C) or (T, C).
    Mirrors https://pytorch.org/docs/stable/generated/torch.nn.functional.ctc_loss.html"""
    r = get_enum(reduction)
    both_tensors = is_tensor(input_lengths) and is_tensor(target_lengths)
    if not both_tensors and not (_is_int_seq(input_lengths) and _is_int_seq(target_lengths)):
        raise _type_error((input_lengths, target_lengths))
    il = _lengths(input_lengths, "input_lengths")
    tl = _lengths(target_lengths, "target_lengths")
    dt = log_probs._data.dtype
    if dt.name not in ("float32", "float64"):
        raise _not_implemented("ctc_loss_cpu", dt)
    if log_probs._data.size == 0:
        raise RuntimeError("log_probs tensor must not be empty")
    batched = log_probs.dim() == 3
    lp = log_probs if batched else log_probs.unsqueeze(1)
    if lp.dim() != 3:
        raise RuntimeError(f"Expected 3-dimensional tensor, but got {lp.dim()}-dimensional tensor for argument #1 "
                           f"'log_probs'{_ALLOC}")
    T, N, C = lp.shape
    if not 0 <= blank < C:
        raise RuntimeError("blank must be in label range")
    if il.size != N:
        raise RuntimeError("input_lengths must be of size batch_size")
    if tl.size != N:
        raise RuntimeError("target_lengths must be of size batch_size")
    tg, inside = _padded_targets(targets, tl, N)
    for bad, word in ((il < 0, "least 0"), (il > T, f"most {T}")):
        if bad.any():
            raise RuntimeError(f"Expected input_lengths to have value at {word}, but got value {il[bad][0]}{_ALLOC}")
    if inside.any() and (tg[inside].min() < 0 or tg[inside].max() >= C):
        raise RuntimeError(f"ctc_loss: target labels must lie in [0, {C}) (ember checks what PyTorch leaves "
                           "undefined)")
    ext = np.full((N, 2 * tg.shape[1] + 1), blank, dtype=np.int64)
    ext[:, 1::2] = np.where(inside, tg, blank)
    res = CtcLoss.apply(lp, ext=ext, il=il, tl=tl, blank=blank, zero_infinity=zero_infinity)
    if zero_infinity:
        res = where(res == np.inf, _wrap(np.zeros((), dtype=dt)), res)
    if r == MEAN:
        return (res / _wrap(np.maximum(tl, 1).astype(dt))).mean()
    if r == SUM:
        return res.sum()
    assert r == NONE
    return res if batched else res.squeeze(0)
