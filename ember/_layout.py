"""``torch.memory_format`` and ``torch.layout`` objects, and what a memory format means for a NumPy array."""
import numpy as np


class memory_format:
    """How a tensor's elements are laid out in memory (``ember.contiguous_format``, ``ember.channels_last``, ...)."""

    def __init__(self, name, perm=None):
        self._name, self._perm = name, perm  # perm: the axes in memory order (channels_last: N, H, W, C)

    def __repr__(self):
        return "torch." + self._name

    def __reduce__(self):
        return self._name


class layout:
    """A tensor's storage kind; ember tensors are all ``ember.strided``."""

    def __init__(self, name):
        self._name = name

    def __repr__(self):
        return "torch." + self._name

    def __reduce__(self):
        return self._name


contiguous_format = memory_format("contiguous_format")
preserve_format = memory_format("preserve_format")
channels_last = memory_format("channels_last", (0, 2, 3, 1))
channels_last_3d = memory_format("channels_last_3d", (0, 2, 3, 4, 1))
strided = layout("strided")
sparse_coo = layout("sparse_coo")


def _check_rank(fmt, ndim, what):
    if fmt._perm is not None and len(fmt._perm) != ndim:
        name = "channels_last" if fmt is channels_last else "channels_last_3d"
        raise RuntimeError(f"required rank {len(fmt._perm)} tensor to use {name} format")


def empty_in_format(like, dtype, fmt):
    """An uninitialised array shaped like ``like`` in ``fmt`` (None or preserve_format: keep a dense layout)."""
    if fmt is None or fmt is preserve_format:
        return np.empty_like(like, dtype=dtype, order="K")
    if fmt is contiguous_format:
        return np.empty(like.shape, dtype)
    if not isinstance(fmt, memory_format):
        raise TypeError(f"memory_format must be torch.memory_format, not {type(fmt).__name__}")
    _check_rank(fmt, like.ndim, "empty_like")
    perm = fmt._perm
    buf = np.empty(tuple(like.shape[p] for p in perm), dtype)
    return buf.transpose(np.argsort(perm))


def is_in_format(x, fmt):
    """``Tensor.is_contiguous(memory_format=fmt)`` on an array (size-1 dims do not count, as in PyTorch)."""
    if fmt is None or fmt is contiguous_format or fmt is preserve_format:
        return x.flags.c_contiguous
    if fmt._perm is None or len(fmt._perm) != x.ndim:
        return False
    expected = x.itemsize
    for d in reversed(fmt._perm):
        if x.shape[d] != 1 and x.strides[d] != expected:
            return False
        expected *= x.shape[d]
    return True
