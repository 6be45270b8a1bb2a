"""``ember.nn.functional``'s normalization, dropout and embedding functions: PyTorch's Python-level argument
checks, then the ops in ember/ops/norm.py, dropout.py, embedding.py."""
import warnings

from ..autograd.grad_mode import no_grad
from ..ops import dropout as _D, norm as _N
from ..ops.embedding import embedding as _embedding, embedding_renorm_ as _embedding_renorm_
from ..ops.norm import local_response_norm  # noqa: F401


# ============================================================================ normalization

def _verify_batch_size(size):
    size_prods = size[0]
    for i in range(len(size) - 2):
        size_prods *= size[i + 2]
    if size_prods == 1:
        raise ValueError(f"Expected more than 1 value per channel when training, got input size {size}")


def _verify_spatial_size(size):
    size_prods = 1
    for i in range(2, len(size)):
        size_prods *= size[i]
    if size_prods == 1:
        raise ValueError(f"Expected more than 1 spatial element when training, got input size {size}")


def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1, eps=1e-5):
    """Batch normalization over every dim but 1. Mirrors
    https://pytorch.org/docs/stable/generated/torch.nn.functional.batch_norm.html"""
    if training:
        _verify_batch_size(input.size())
    if training and eps <= 0.0:
        raise ValueError(f"batch_norm eps must be positive during training, but got {eps}")
    elif eps < 0.0:
        raise ValueError(f"batch_norm eps must be non-negative, but got {eps}")
    return _N.batch_norm(input, weight, bias, running_mean, running_var, training, momentum, eps)


def instance_norm(input, running_mean=None, running_var=None, weight=None, bias=None, use_input_stats=True,
                  momentum=0.1, eps=1e-5):
    """Normalization of each channel of each sample. Mirrors
    https://pytorch.org/docs/stable/generated/torch.nn.functional.instance_norm.html"""
    if use_input_stats:
        _verify_spatial_size(input.size())
    return _N.instance_norm(input, weight, bias, running_mean, running_var, use_input_stats, momentum, eps)


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5):
    """Mirrors https://pytorch.org/docs/stable/generated/torch.nn.functional.layer_norm.html"""
    return _N.layer_norm(input, normalized_shape, weight, bias, eps)


def rms_norm(input, normalized_shape, weight=None, eps=None):
    """Mirrors https://pytorch.org/docs/stable/generated/torch.nn.functional.rms_norm.html"""
    return _N.rms_norm(input, normalized_shape, weight, eps)


def group_norm(input, num_groups, weight=None, bias=None, eps=1e-5):
    """Mirrors https://pytorch.org/docs/stable/generated/torch.nn.functional.group_norm.html"""
    if input.dim() < 2:
        raise RuntimeError(f"Expected at least 2 dimensions for input tensor but received {input.dim()}")
    _verify_batch_size([input.size(0) * input.size(1) // num_groups, num_groups] + list(input.size()[2:]))
    return _N.group_norm(input, num_groups, weight, bias, eps)


# ============================================================================ dropout

def _check_p(p):
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def dropout(input, p=0.5, training=True, inplace=False):
    """Mirrors https://pytorch.org/docs/stable/generated/torch.nn.functional.dropout.html"""
    _check_p(p)
    return _D.dropout_(input, p, training) if inplace else _D.dropout(input, p, training)


def alpha_dropout(input, p=0.5, training=False, inplace=False):
    """Mirrors https://pytorch.org/docs/stable/generated/torch.nn.functional.alpha_dropout.html"""
    _check_p(p)
    return _D.alpha_dropout_(input, p, training) if inplace else _D.alpha_dropout(input, p, training)


def _feature(input, p, training, inplace):
    return _D.feature_dropout_(input, p, training) if inplace else _D.feature_dropout(input, p, training)


def dropout1d(input, p=0.5, training=True, inplace=False):
    """Mirrors https://pytorch.org/docs/stable/generated/torch.nn.functional.dropout1d.html"""
    _check_p(p)
    inp_dim = input.dim()
    if inp_dim not in (2, 3):
        raise RuntimeError(
            f"dropout1d: Expected 2D or 3D input, but received a {inp_dim}D input. "
            "Note that dropout1d exists to provide channel-wise dropout on inputs with 1 "
            "spatial dimension, a channel dimension, and an optional batch dimension "
            "(i.e. 2D or 3D inputs).")
    is_batched = inp_dim == 3
    if not is_batched:
        input = input.unsqueeze_(0) if inplace else input.unsqueeze(0)
    result = _feature(input, p, training, inplace)
    if not is_batched:
        result = result.squeeze_(0) if inplace else result.squeeze(0)
    return result


def dropout2d(input, p=0.5, training=True, inplace=False):
    """Mirrors https://pytorch.org/docs/stable/generated/torch.nn.functional.dropout2d.html"""
    _check_p(p)
    inp_dim = input.dim()
    if inp_dim not in (3, 4):
        warnings.warn(
            f"dropout2d: Received a {inp_dim}-D input to dropout2d, which is deprecated "
            "and will result in an error in a future release. To retain the behavior "
            "and silence this warning, please use dropout instead. Note that dropout2d "
            "exists to provide channel-wise dropout on inputs with 2 spatial dimensions, "
            "a channel dimension, and an optional batch dimension (i.e. 3D or 4D inputs).", stacklevel=2)
    if inp_dim == 3:
        warnings.warn(
            "dropout2d: Received a 3D input to dropout2d and assuming that channel-wise "
            "1D dropout behavior is desired - input is interpreted as shape (N, C, L), where C "
            "is the channel dim. This behavior will change in a future release to interpret the "
            "input as one without a batch dimension, i.e. shape (C, H, W). To maintain the 1D "
            "channel-wise dropout behavior, please switch to using dropout1d instead.", stacklevel=2)
    return _feature(input, p, training, inplace)


def dropout3d(input, p=0.5, training=True, inplace=False):
    """Mirrors https://pytorch.org/docs/stable/generated/torch.nn.functional.dropout3d.html"""
    _check_p(p)
    inp_dim = input.dim()
    if inp_dim not in (4, 5):
        warnings.warn(
            f"dropout3d: Received a {inp_dim}-D input to dropout3d, which is deprecated "
            "and will result in an error in a future release. To retain the behavior "
            "and silence this warning, please use dropout instead. Note that dropout3d "
            "exists to provide channel-wise dropout on inputs with 3 spatial dimensions, "
            "a channel dimension, and an optional batch dimension (i.e. 4D or 5D inputs).", stacklevel=2)
    is_batched = inp_dim == 5
    if not is_batched:
        input = input.unsqueeze_(0) if inplace else input.unsqueeze(0)
    result = _feature(input, p, training, inplace)
    if not is_batched:
        result = result.squeeze_(0) if inplace else result.squeeze(0)
    return result


def feature_alpha_dropout(input, p=0.5, training=False, inplace=False):
    """Mirrors https://pytorch.org/docs/stable/generated/torch.nn.functional.feature_alpha_dropout.html"""
    _check_p(p)
    return (_D.feature_alpha_dropout_(input, p, training) if inplace
            else _D.feature_alpha_dropout(input, p, training))


# ============================================================================ embedding

def embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0, scale_grad_by_freq=False, sparse=False):
    """``weight[input]``; ``max_norm`` renormalises the looked-up rows of ``weight`` in place. Mirrors
    https://pytorch.org/docs/stable/generated/torch.nn.functional.embedding.html"""
    if padding_idx is not None:
        if padding_idx > 0:
            if padding_idx >= weight.size(0):
                raise AssertionError("Padding_idx must be within num_embeddings")
        elif padding_idx < 0:
            if padding_idx < -weight.size(0):
                raise AssertionError("Padding_idx must be within num_embeddings")
            padding_idx = weight.size(0) + padding_idx
    else:
        padding_idx = -1
    if max_norm is not None:
        input = input.contiguous()
        with no_grad():
            _embedding_renorm_(weight.detach(), input, max_norm, norm_type)
    return _embedding(weight, input, padding_idx, scale_grad_by_freq, sparse)
