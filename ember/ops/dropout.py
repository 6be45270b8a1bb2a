"""The dropout family (``torch.dropout``, ``feature_dropout``, ``alpha_dropout``, ``feature_alpha_dropout`` and
their in-place forms), composed from ember ops exactly as PyTorch's CPU implementation composes them.

NOTE [ dropout masks ]: PyTorch's CPU dropout (ATen ``_dropout_impl``) draws
``noise = empty_like(input).bernoulli_(1 - p)`` (feature dropout: ``new_empty((N, C, 1, ...))``), scales it
with ``noise.div_(1 - p)`` and returns ``input.mul(noise)``, so the graph node is ``MulBackward0`` (alpha
dropout: ``input.mul(noise).add_(b)``, ``AddBackward0``). ember's generator is bit-identical to PyTorch's
and these ops run in the same order in the same dtype, so under the same seed the masks and outputs are
identical.
"""
import math

from ..autograd.grad_mode import no_grad
from .creation import empty, empty_like, zeros

_ALPHA = 1.7580993408473766  # -SELU_SCALE * SELU_ALPHA


def _check_p(p):
    if not 0 <= p <= 1:
        raise RuntimeError(f"dropout probability has to be between 0 and 1, but got {p}")


def _noise(input, p, feature):
    shape = tuple(input.shape)
    if feature:
        if len(shape) < 2:
            raise RuntimeError("Feature dropout requires at least 2 dimensions in the input")
        shape = shape[:2] + (1,) * (len(shape) - 2)
    with no_grad():
        # plain dropout's noise is empty_like(input): it is drawn in the input's memory order, as PyTorch's
        noise = empty(shape, dtype=input.dtype, device=input.device) if feature else empty_like(input)
        return noise.bernoulli_(1 - p)


def _dropout_impl(input, p, train, feature, alpha, inplace):
    _check_p(p)
    if p == 0 or not train or input.numel() == 0:
        return input
    if p == 1:
        z = zeros((), dtype=input.dtype)
        return input.mul_(z) if inplace else input.mul(z)
    noise = _noise(input, p, feature)
    with no_grad():
        if alpha:
            a = 1. / math.sqrt((_ALPHA * _ALPHA * p + 1) * (1 - p))
            b = noise.add(-1).mul_(_ALPHA * a).add_(_ALPHA * a * p)
            noise.mul_(a)
        else:
            noise.div_(1 - p)
    out = input.mul_(noise) if inplace else input.mul(noise)
    return out.add_(b) if alpha else out


def dropout(input, p, train):
    """``torch.dropout``: zero each element with probability ``p``, scale the rest by ``1 / (1 - p)``."""
    return _dropout_impl(input, p, train, False, False, False)


def dropout_(input, p, train):
    return _dropout_impl(input, p, train, False, False, True)


def feature_dropout(input, p, train):
    """``torch.feature_dropout``: one draw per (sample, channel), broadcast over the remaining dims."""
    return _dropout_impl(input, p, train, True, False, False)


def feature_dropout_(input, p, train):
    return _dropout_impl(input, p, train, True, False, True)


def alpha_dropout(input, p, train):
    """``torch.alpha_dropout``: dropped elements take SELU's negative saturation, then an affine map keeps
    the mean and variance."""
    return _dropout_impl(input, p, train, False, True, False)


def alpha_dropout_(input, p, train):
    return _dropout_impl(input, p, train, False, True, True)


def feature_alpha_dropout(input, p, train):
    return _dropout_impl(input, p, train, True, True, False)


def feature_alpha_dropout_(input, p, train):
    return _dropout_impl(input, p, train, True, True, True)
