"""``torch.nn.functional.embedding_bag``: sums, means or maxes of bags of embedding rows, forward beside backward.

Bags are contiguous segments of the flat index list, so every reduction is a segment op over the looked-up rows
(``np.add.reduceat`` / ``np.maximum.reduceat`` on the non-empty bags) and every backward a scatter-add by index;
nothing loops over bags. Rows at ``padding_idx`` are dropped before reducing (they neither add to a bag nor count
towards a mean), and a bag left empty gives zeros.
"""
import warnings

import numpy as np

from ..autograd.grad_mode import _state as _grad_state, no_grad
from ._util import _wrap
from .elementwise import Op, _type_name
from .embedding import _check_indices, embedding_renorm_

SUM, MEAN, MAX = 0, 1, 2
_MODES = {"sum": SUM, "mean": MEAN, "max": MAX}
_INDEX_MSG = ("Expected i < index_size to be true, but got false.  (Could this error message be improved?  If so, "
              "please report an enhancement request to PyTorch.)")


def _segments(idx, offsets, include_last_offset, padding_idx, last_to_end):
    """The bags as segments of the kept (non-padding) entries: (kept positions, their bag ids, bag count B).

    ``last_to_end``: the last bag runs to the end of ``idx`` even past the last offset, as PyTorch 2.13's CPU
    kernels do with ``include_last_offset`` in max mode and whenever ``padding_idx`` is set."""
    n = idx.size
    off = offsets.astype(np.int64, copy=False)
    if include_last_offset:
        if off.size < 1:
            raise RuntimeError("include_last_offset: number of offset should be at least 1")
        starts, ends = off[:-1], off[1:]
    else:
        starts, ends = off, np.append(off[1:], n)
    if off.size:
        if off[0] != 0:
            raise RuntimeError(f"offsets[0] has to be 0, i.e., the first sequence in the mini-batch has to start "
                               f"from position 0. However, got {off[0]}\n[ torch.{_type_name(offsets.dtype)}"
                               "Tensor{} ]")
        if off[-1] > n:
            raise RuntimeError(f"offsets[-1] can not be greater than input's length {n} but got offsets[-1] "
                               f"of {off[-1]}")
        if (ends < starts).any():
            raise RuntimeError(_INDEX_MSG)
    nbags = starts.size
    trailing = int(n - ends[-1]) if nbags else 0  # entries past the last bag's end
    if last_to_end and nbags:
        ends = ends.copy()
        ends[-1] = n
    bag = np.repeat(np.arange(nbags), ends - starts)  # entries past the last bag's end belong to none
    pos = np.arange(bag.size)
    if padding_idx >= 0:
        keep = idx[:bag.size] != padding_idx
        pos, bag = pos[keep], bag[keep]
    return pos, bag, nbags, trailing


def _reduce(rows, bag, nbags, ufunc):
    """``ufunc`` over each bag's rows (``bag`` sorted); empty bags stay zero."""
    out = np.zeros((nbags,) + rows.shape[1:], dtype=rows.dtype)
    counts = np.bincount(bag, minlength=nbags)
    nonempty = counts > 0
    if rows.shape[0]:
        first = np.cumsum(counts) - counts
        out[nonempty] = ufunc.reduceat(rows, first[nonempty], axis=0)
    return out, counts


class _BackwardOfBackward(Op):
    """Passes the weight grad through; differentiating it raises, as PyTorch's ``_embedding_bag_backward`` does."""

    node_name = "EmbeddingBagBackwardBackward0"
    saves = False

    @staticmethod
    def forward(ctx, g, *, value):
        return value

    @staticmethod
    def backward(ctx, gg):
        raise NotImplementedError("the derivative for '_embedding_bag_backward' is not implemented.")


def _freq_scale(idx, num_weights):
    """The divisor ``scale_grad_by_freq`` applies to each weight row, as PyTorch 2.13's CPU backward computes it:
    the k-th distinct index (ascending) is divided by the count of ``sorted(idx)[k]`` -- the count looked up at
    the group number instead of the group's position, so it is not always that index's own frequency."""
    counts = np.bincount(idx, minlength=num_weights)
    srt = np.sort(idx)
    uniq = np.unique(srt)
    out = np.ones(num_weights, dtype=np.int64)
    out[uniq] = counts[srt[:uniq.size]]
    return out


def _grad_out(g, arr):
    # under create_graph the grad carries a node that refuses a second derivative
    return _BackwardOfBackward.apply(g, value=arr) if _grad_state.enabled and g.requires_grad else _wrap(arr)


class EmbeddingBag(Op):
    """One bag reduction; inputs (weight, per_sample_weights or None); index data arrive as arrays."""

    node_name = "EmbeddingBagBackward0"
    check_inputs = staticmethod(lambda needs: [0] if needs[1] else [])  # the weight only feeds the psw grad

    @staticmethod
    def forward(ctx, weight, psw, *, idx, pos, bag, nbags, mode, scale_grad_by_freq, mean_extra=0, back_seg=None):
        w = weight._data
        kidx = idx[pos]
        rows = np.take(w, kidx, axis=0)
        if psw is not None:
            rows = rows * psw._data[pos][:, None]
        argmax = None
        if mode == MAX:
            out, counts = _reduce(rows, bag, nbags, np.maximum)
            # the first entry of each bag reaching the max gets the grad (PyTorch's strict '>' scan)
            hit = (rows == out[bag]) | np.isnan(out[bag])  # a NaN max: its bag's first entry (never out of range)
            cand = np.where(hit, np.arange(rows.shape[0])[:, None], rows.shape[0])
            argmax, _ = _reduce(cand, bag, nbags, np.minimum)
        else:
            out, counts = _reduce(rows, bag, nbags, np.add)
            if mode == MEAN:
                if mean_extra:
                    counts = counts.copy()
                    counts[-1] += mean_extra
                out /= np.maximum(counts, 1)[:, None].astype(w.dtype)
        ctx.args = (idx, pos, kidx, bag, counts, argmax, w.shape[0], mode, scale_grad_by_freq, back_seg)
        return out

    @staticmethod
    def backward(ctx, g):
        weight, psw = ctx.inputs
        idx, pos, kidx, bag, counts, argmax, num_weights, mode, scale, back_seg = ctx.args
        need_w, need_p = ctx.needs_input_grad
        ga = g._data
        gw = gp = None
        if need_w:
            gw = np.zeros((num_weights, ga.shape[1]), dtype=ga.dtype)
            if mode == MAX:
                nonempty = counts > 0
                rows = kidx[argmax[nonempty]]
                cols = np.broadcast_to(np.arange(ga.shape[1]), rows.shape)
                np.add.at(gw, (rows, cols), ga[nonempty])
            else:
                if back_seg is not None:
                    pos, bag = back_seg
                    kidx = idx[pos]
                gr = ga[bag]
                if mode == MEAN:
                    gr = gr / counts[bag][:, None].astype(ga.dtype)
                if psw is not None:
                    gr = gr * psw._data[pos][:, None]
                if scale:
                    gr = gr / _freq_scale(idx, num_weights)[kidx][:, None].astype(ga.dtype)
                np.add.at(gw, kidx, gr)
            gw = _grad_out(g, gw)
        if need_p:
            p = np.zeros(psw._data.shape, dtype=ga.dtype)
            p[pos] = np.einsum("ij,ij->i", ga[bag], np.take(weight._data, kidx, axis=0))
            gp = _grad_out(g, p)
        return gw, gp


_FLOATS = ("float16", "bfloat16", "float32", "float64")


def _check_weight(w, psw):
    if w.dtype.name not in _FLOATS:
        raise RuntimeError(f"Expected tensor for argument #1 'weight' to have one of the following scalar types: "
                           f"Half, BFloat16, Float, Double; but got torch.{_type_name(w.dtype)}Tensor instead "
                           "(while checking arguments for embedding_bag)")
    if psw is not None and psw._data.dtype != w.dtype:
        raise RuntimeError(f"Expected tensor for argument #1 'weight' to have the same type as tensor for argument "
                           f"#1 'per_sample_weights'; but type torch.{_type_name(w.dtype)}Tensor does not equal "
                           f"torch.{_type_name(psw._data.dtype)}Tensor (while checking arguments for embedding_bag)")


def embedding_bag(input, weight, offsets=None, max_norm=None, norm_type=2, scale_grad_by_freq=False, mode="mean",
                  sparse=False, per_sample_weights=None, include_last_offset=False, padding_idx=None):
    """Sums, means or maxes of bags of ``weight`` rows without building the looked-up rows as a graph. Mirrors
    https://pytorch.org/docs/stable/generated/torch.nn.functional.embedding_bag.html"""
    if weight._data.dtype.kind in "iu" and input._data.dtype.kind == "f":
        warnings.warn("Argument order of nn.functional.embedding_bag was changed. Usage `embedding_bag(weight, "
                      "input, ...)` is deprecated, and should now be `embedding_bag(input, weight, ...)`.",
                      stacklevel=2)
        weight, input = input, weight
    psw = per_sample_weights
    if psw is not None and input.shape != psw.shape:
        raise ValueError(f"embedding_bag: If per_sample_weights ({psw.shape}) is not None, then it must have the "
                         f"same shape as the input ({input.shape})")
    if weight.dim() != 2:
        raise ValueError(f"weight has to be a 2D Tensor, but got Tensor of dimension {weight.dim()}")
    if input.dim() == 2:
        if offsets is not None:
            raise ValueError("if input is 2D, then offsets has to be None, as input is treated is a mini-batch of "
                             f"fixed length sequences. However, found offsets of type {type(offsets)}")
        if input.shape[1] == 0:
            raise RuntimeError("step must be nonzero")  # PyTorch builds the offsets with arange(0, numel, N)
        off = np.arange(0, input._data.size, input.shape[1], dtype=np.int64)
        include_last_offset = False
    elif input.dim() == 1:
        if offsets is None:
            raise ValueError("offsets has to be a 1D Tensor but got None")
        if offsets.dim() != 1:
            raise ValueError("offsets has to be a 1D Tensor")
        off = offsets._data
    else:
        raise ValueError(f"input has to be 1D or 2D Tensor, but got Tensor of dimension {input.dim()}")
    if mode not in _MODES:
        raise ValueError("mode has to be one of sum, mean or max")
    if mode == "max":
        if scale_grad_by_freq:
            raise ValueError("max mode does not support scaling the gradient by the frequency")
        if sparse:
            raise ValueError("max mode does not support sparse weights")
    if max_norm is not None:
        with no_grad():
            embedding_renorm_(weight.detach(), input.reshape(-1), max_norm, norm_type)
    if psw is not None and mode != "sum":
        raise NotImplementedError("embedding_bag: per_sample_weights was not None. per_sample_weights is only "
                                  f"supported for mode='sum' (got mode='{mode}'). Please open a feature request "
                                  "on GitHub.")
    idx = input._data.reshape(-1)
    _check_indices(idx, "embedding_bag")
    _check_indices(off, "embedding_bag")
    _check_weight(weight._data, psw)
    nw = weight.shape[0]
    if padding_idx is None:
        padding_idx = -1
    else:
        if not -nw <= padding_idx < nw:
            raise RuntimeError(f"padding_idx must be within the number of embeddings, {-nw} through {nw - 1}, but "
                               f"got {padding_idx}")
        padding_idx %= nw
    if idx.size and (idx.min() < 0 or idx.max() >= nw):
        raise RuntimeError(_INDEX_MSG)
    last_to_end = include_last_offset and (mode == "max" or padding_idx >= 0)
    pos, bag, nbags, trailing = _segments(idx, off, include_last_offset, padding_idx, last_to_end)
    # PyTorch's CPU mean without padding_idx sums the last bag up to its offset but divides by its size
    # counted to the end of the input
    mean_extra, back_seg = 0, None
    if include_last_offset and not last_to_end and mode == "mean" and trailing:
        # ... and its backward gives those trailing entries the last bag's grad
        mean_extra = trailing
        back_seg = _segments(idx, off, True, -1, True)[:2]
    if sparse:
        raise NotImplementedError("ember: sparse embedding gradients are not supported (use sparse=False)")
    if psw is not None:
        psw = psw.reshape(-1)
    return EmbeddingBag.apply(weight, psw, idx=idx, pos=pos, bag=bag, nbags=nbags, mode=_MODES[mode],
                              scale_grad_by_freq=scale_grad_by_freq, mean_extra=mean_extra,
                              back_seg=back_seg)
