"""``ember.nn.functional``: the math of layers, written once as functions (PyTorch's ``torch.nn.functional``)."""
import numpy as np

from ..ops._util import _wrap, is_tensor
from ..ops.elementwise import relu as _relu, sigmoid, tanh  # noqa: F401
from ..ops.reduce import log_softmax as _log_softmax, softmax as _softmax
from ._functional_linear import bilinear, linear  # noqa: F401


def relu(input, inplace=False):
    return input.relu_() if inplace else _relu(input)


def softmax(input, dim=None, _stacklevel=3, dtype=None):
    return _softmax(input, dim, dtype, _stacklevel=_stacklevel + 1)


def log_softmax(input, dim=None, _stacklevel=3, dtype=None):
    return _log_softmax(input, dim, dtype, _stacklevel=_stacklevel + 1)


def one_hot(tensor, num_classes=-1):
    """int64 one-hot encoding with a trailing class dim (``num_classes=-1`` infers max + 1)."""
    if not is_tensor(tensor) or tensor._data.dtype != np.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    x = tensor._data
    if num_classes == -1:
        if x.size == 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        num_classes = int(x.max()) + 1
    if x.size and x.min() < 0:
        raise RuntimeError("Class values must be non-negative.")
    if x.size and x.max() >= num_classes:
        raise RuntimeError("Class values must be smaller than num_classes.")
    out = np.zeros(x.shape + (num_classes,), dtype=np.int64)
    np.put_along_axis(out, x[..., None], 1, axis=-1)
    return _wrap(out)


# ============================================================================ activations (ember/ops/activation.py)
from ..ops.activation import (  # noqa: E402,F401
    celu, celu_, elu, elu_, gelu, glu, hardshrink, hardsigmoid, hardswish, hardtanh, hardtanh_, leaky_relu,
    leaky_relu_, logsigmoid, mish, prelu, relu6, rrelu, rrelu_, selu, selu_, silu, softmin, softplus, softshrink,
    softsign, tanhshrink, threshold, threshold_)


def relu_(input):
    """In-place ``relu``."""
    return input.relu_()


# ============================================================================ convolution, pooling, resampling
# (ember/ops/conv.py, ember/ops/pool.py, ember/ops/spatial.py)
from ..ops.conv import (  # noqa: E402,F401
    conv1d, conv2d, conv3d, conv_transpose1d, conv_transpose2d, conv_transpose3d, fold, unfold)
from ..ops.pool import (  # noqa: E402,F401
    adaptive_avg_pool1d, adaptive_avg_pool2d, adaptive_avg_pool3d, adaptive_max_pool1d,
    adaptive_max_pool1d_with_indices, adaptive_max_pool2d, adaptive_max_pool2d_with_indices, adaptive_max_pool3d,
    avg_pool1d, avg_pool2d, avg_pool3d, lp_pool1d, lp_pool2d, max_pool1d, max_pool1d_with_indices, max_pool2d,
    max_pool2d_with_indices, max_pool3d, max_pool3d_with_indices, max_unpool1d, max_unpool2d)
from ..ops.spatial import interpolate, pad, pixel_shuffle, pixel_unshuffle, upsample  # noqa: E402,F401
from ..ops.grid_sample import affine_grid, grid_sample  # noqa: E402,F401


def upsample_nearest(input, size=None, scale_factor=None):
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input, size=None, scale_factor=None):
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)


# ============================================================================ losses (ember/ops/loss.py)
from ..ops.loss import (  # noqa: E402,F401
    binary_cross_entropy, binary_cross_entropy_with_logits, cosine_embedding_loss, cross_entropy, gaussian_nll_loss,
    hinge_embedding_loss, huber_loss, kl_div, l1_loss, margin_ranking_loss, mse_loss, multi_margin_loss,
    multilabel_soft_margin_loss, nll_loss, poisson_nll_loss, smooth_l1_loss, soft_margin_loss, triplet_margin_loss)


# ============================================================================ distances (ember/ops/misc.py)
from ..ops.misc import cosine_similarity, pairwise_distance  # noqa: E402,F401


def normalize(input, p=2.0, dim=1, eps=1e-12, out=None):
    """``input / max(||input||_p, eps)`` along ``dim``."""
    if out is None:
        denom = input.norm(p, dim, keepdim=True).clamp_min(eps).expand_as(input)
        return input / denom
    denom = input.norm(p, dim, keepdim=True).clamp_min_(eps).expand_as(input)
    from ..ops.elementwise import div
    return div(input, denom, out=out)


def triplet_margin_with_distance_loss(anchor, positive, negative, *, distance_function=None, margin=1.0, swap=False,
                                      reduction="mean"):
    """``max(d(a, p) - d(a, n) + margin, 0)`` with any distance function (default ``pairwise_distance``)."""
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if margin <= 0:
        raise ValueError(f"margin must be greater than 0, got {margin}")
    a_dim, p_dim, n_dim = anchor.ndim, positive.ndim, negative.ndim
    if not (a_dim == p_dim and p_dim == n_dim):
        raise RuntimeError(f"The anchor, positive, and negative tensors are expected to have the same number of "
                           f"dimensions, but got: anchor {a_dim}D, positive {p_dim}D, and negative {n_dim}D inputs")
    if distance_function is None:
        distance_function = pairwise_distance
    dist_pos = distance_function(anchor, positive)
    dist_neg = distance_function(anchor, negative)
    if swap:
        from ..ops.elementwise import minimum
        dist_neg = minimum(dist_neg, distance_function(positive, negative))
    loss = (margin + dist_pos - dist_neg).clamp_min(0)
    if reduction == "sum":
        return loss.sum()
    if reduction == "mean":
        return loss.mean()
    return loss


# ============================================================================ normalization, dropout, embedding
# (ember/nn/_functional_norm.py over ember/ops/norm.py, dropout.py, embedding.py)
from ._functional_norm import (  # noqa: E402,F401
    alpha_dropout, batch_norm, dropout, dropout1d, dropout2d, dropout3d, embedding, feature_alpha_dropout,
    group_norm, instance_norm, layer_norm, local_response_norm, rms_norm)
from ..ops.embedding_bag import embedding_bag  # noqa: E402,F401
from ..ops.ctc import ctc_loss  # noqa: E402,F401


# ============================================================================ attention (ember/ops/attention.py)
from ..ops.attention import (  # noqa: E402,F401
    _canonical_mask, _in_projection, _in_projection_packed, _mha_shape_check, _none_or_dtype,
    multi_head_attention_forward, scaled_dot_product_attention)
