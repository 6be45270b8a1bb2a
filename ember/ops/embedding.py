"""``torch.embedding`` (a row lookup with PyTorch's dense backward) and ``torch.embedding_renorm_``."""
import numpy as np

from ..autograd.grad_mode import _state as _grad_state
from ._util import _wrap
from .elementwise import Op, _type_name


def _check_indices(idx, fname="embedding"):
    if idx.dtype not in (np.int64, np.int32):
        raise RuntimeError(f"Expected tensor for argument #1 'indices' to have one of the following scalar types: "
                           f"Long, Int; but got torch.{_type_name(idx.dtype)}Tensor instead (while checking "
                           f"arguments for {fname})")


def _dense_backward(g, idx, num_weights, padding_idx, scale_grad_by_freq):
    """``embedding_dense_backward``: the rows of ``g`` summed into a (num_weights, D) grad by index."""
    d = g.shape[-1]
    flat = idx.reshape(-1)
    g2 = g.reshape(-1, d)
    if scale_grad_by_freq:
        counts = np.bincount(flat, minlength=num_weights)
        g2 = g2 / counts[flat][:, None].astype(g2.dtype)
    if padding_idx >= 0:
        keep = flat != padding_idx
        if not keep.all():
            flat, g2 = flat[keep], g2[keep]
    out = np.zeros((num_weights, d), dtype=g.dtype)
    np.add.at(out, flat, g2)
    return out


class EmbeddingDenseBackward(Op):
    """The grad op (``create_graph``): linear in the grad; its own grad is a lookup again."""

    node_name = "EmbeddingDenseBackwardBackward0"
    saves = False

    @staticmethod
    def forward(ctx, g, indices, *, num_weights, padding_idx, scale_grad_by_freq):
        ctx.args = (indices, padding_idx)
        return _dense_backward(g._data, indices._data, num_weights, padding_idx, scale_grad_by_freq)

    @staticmethod
    def backward(ctx, gg):
        indices, padding_idx = ctx.args
        # PyTorch's embedding_dense_double_backward: a lookup, padding rows zero (no frequency scaling)
        out = Embedding.apply(gg, indices, padding_idx=-1, scale_grad_by_freq=False)
        if padding_idx >= 0:
            out = out * (indices != padding_idx).unsqueeze(-1).to(out.dtype)
        return out, None


class Embedding(Op):
    node_name = "EmbeddingBackward0"
    check_inputs = staticmethod(lambda needs: [])  # backward reads the indices only, never the weight

    @staticmethod
    def forward(ctx, weight, indices, *, padding_idx, scale_grad_by_freq):
        w = weight._data
        idx = indices._data
        if idx.size and (idx.min() < 0 or idx.max() >= w.shape[0]):
            raise IndexError("index out of range in self")
        ctx.args = (indices, w.shape[0], padding_idx, scale_grad_by_freq)
        return np.take(w, idx, axis=0)

    @staticmethod
    def backward(ctx, g):
        indices, num_weights, padding_idx, scale = ctx.args
        if not _grad_state.enabled:
            return _wrap(_dense_backward(g._data, indices._data, num_weights, padding_idx, scale)), None
        return EmbeddingDenseBackward.apply(g, indices, num_weights=num_weights, padding_idx=padding_idx,
                                            scale_grad_by_freq=scale), None


def embedding(weight, indices, padding_idx=-1, scale_grad_by_freq=False, sparse=False):
    """``torch.embedding``: ``weight[indices]``; rows at ``padding_idx`` get no grad."""
    if weight.dim() != 2:
        raise RuntimeError("'weight' must be 2-D")
    _check_indices(indices._data)
    if sparse:
        raise NotImplementedError("ember: sparse embedding gradients are not supported")
    return Embedding.apply(weight, indices, padding_idx=padding_idx, scale_grad_by_freq=scale_grad_by_freq)


def embedding_renorm_(input, indices, max_norm, norm_type):
    """``torch.embedding_renorm_``: every row ``indices`` names whose ``norm_type``-norm exceeds ``max_norm``
    is scaled in place by ``max_norm / (norm + 1e-7)``. ``input`` is the weight."""
    _check_indices(indices._data, "embedding_renorm_")
    w = input._data
    p = float(norm_type)
    rows = np.unique(indices._data)
    if rows.size:
        a = np.abs(w[rows])
        if p == 2:
            norm = np.sqrt(np.einsum("ij,ij->i", a, a))
        elif p == np.inf:
            norm = a.max(axis=1)
        elif p == 1:
            norm = a.sum(axis=1)
        elif p == 0:
            norm = (a != 0).sum(axis=1)
        else:
            norm = np.power(np.power(a, p).sum(axis=1), 1 / p)
        norm = norm.astype(np.float64)
        over = norm > max_norm
        # the scale is computed in double, then cast, as PyTorch's kernel does
        scale = (max_norm / (norm[over] + 1e-7)).astype(w.dtype)
        w[rows[over]] *= scale[:, None]
    b = input._base
    (b if b is not None else input)._vc += 1
    return input
