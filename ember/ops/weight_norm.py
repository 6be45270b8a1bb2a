"""``torch._weight_norm`` and ``torch.norm_except_dim``: the ops behind ``nn.utils.weight_norm``.

``w = g * v / ||v||`` with the norm over every dimension but ``dim``. Like ATen, dim 0 and the last dim use
one fused op (``WeightNormInterfaceBackward0``); other dims (and ``dim=-1``: the whole tensor) are composites.
"""
import numpy as np

from ._util import norm_dim
from .elementwise import Op


def norm_except_dim(v, pow=2, dim=0):
    """The ``pow``-norm of ``v`` over all dimensions but ``dim``, kept broadcastable (``dim=-1``: whole-tensor)."""
    if dim == -1:
        return v.norm(pow)
    nd = v.dim()
    # like ATen, the raw dim picks the branch: a negative dim other than -1 goes through the transpose
    if dim == 0 or dim == nd - 1:
        shape = [1] * nd
        shape[dim] = v.shape[dim]
        flat = v.contiguous().view(v.shape[0], -1) if dim == 0 else v.contiguous().view(-1, v.shape[-1])
        return flat.norm(pow, 1 if dim == 0 else 0).view(shape)
    norm_dim(dim, nd)  # torch's IndexError for an out-of-range dim
    return norm_except_dim(v.transpose(0, dim), pow, 0).transpose(0, dim)


def _other_dims(nd, dim):
    return tuple(d for d in range(nd) if d != dim)


class WeightNormInterface(Op):
    node_name = "WeightNormInterfaceBackward0"

    @staticmethod
    def forward(ctx, v, g, dim):
        x = v._data
        ctx.dim = dim
        norm = (np.abs(x).astype(np.float64) ** 2).sum(_other_dims(x.ndim, dim), keepdims=True) ** 0.5
        norm = norm.astype(x.dtype)
        return x * (g._data.reshape(norm.shape) / norm)

    @staticmethod
    def backward(ctx, gw):
        v, g = ctx.inputs
        axes = _other_dims(v.dim(), ctx.dim)
        norm = norm_except_dim(v, 2, ctx.dim)
        gnorm = g.reshape(norm.shape) / norm
        # d w / d g = v / ||v||;  d w / d v = (g / ||v||) (I - v v^T / ||v||^2)
        s = (gw * v).sum(axes, keepdim=True)
        gg = (s / norm).reshape(g.shape) if ctx.needs_input_grad[1] else None
        gv = gnorm * (gw - v * (s / (norm * norm))) if ctx.needs_input_grad[0] else None
        return gv, gg


def _weight_norm(v, g, dim=0):
    """``torch._weight_norm``: ``v * (g / norm_except_dim(v, 2, dim))``."""
    if (dim == 0 or dim == v.dim() - 1) and g.numel() == v.shape[dim]:
        return WeightNormInterface.apply(v, g, dim=norm_dim(dim, v.dim()))
    return v * (g / norm_except_dim(v, 2, dim))
