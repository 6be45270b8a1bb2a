"""Padding layers (mirrors ``torch/nn/modules/padding.py``): constant/zero, reflection, replication, circular.

``padding`` is an int (the same on every side) or a tuple in ``F.pad``'s order: last dim first,
(left, right, top, bottom, front, back).
"""
from .. import functional as F
from .module import Module
from .utils import _ntuple, _pair, _quadruple

__all__ = ["CircularPad1d", "CircularPad2d", "CircularPad3d", "ConstantPad1d", "ConstantPad2d", "ConstantPad3d",
           "ReflectionPad1d", "ReflectionPad2d", "ReflectionPad3d", "ReplicationPad1d", "ReplicationPad2d",
           "ReplicationPad3d", "ZeroPad1d", "ZeroPad2d", "ZeroPad3d"]

_DOCS = "https://pytorch.org/docs/stable/generated/torch.nn.{}.html"
_sextuple = _ntuple(6)
_TUPLE = {1: _pair, 2: _quadruple, 3: _sextuple}


# ============================================================================ circular

class _ModePadNd(Module):
    """A pad of fixed width in one of F.pad's non-constant modes (``_mode``) over the last ``_ndim`` dims."""
    __constants__ = ["padding"]
    _ndim = 0
    _mode = None

    def __init__(self, padding):
        super().__init__()
        self.padding = _TUPLE[self._ndim](padding)

    def forward(self, input):
        return F.pad(input, self.padding, self._mode)

    def extra_repr(self):
        return f"{self.padding}"


class _CircularPadNd(_ModePadNd):
    _mode = "circular"

    def _check_input_dim(self, input):
        n = self._ndim
        if input.dim() != n + 1 and input.dim() != n + 2:
            raise ValueError(f"expected {n + 1}D or {n + 2}D input (got {input.dim()}D input)")

    def forward(self, input):
        self._check_input_dim(input)
        return super().forward(input)


class CircularPad1d(_CircularPadNd):
    """Pad the last dim with wrapped-around values of the other end."""
    _ndim = 1


class CircularPad2d(_CircularPadNd):
    """Pad the last two dims with wrapped-around values."""
    _ndim = 2


class CircularPad3d(_CircularPadNd):
    """Pad the last three dims with wrapped-around values."""
    _ndim = 3


# ============================================================================ constant

class _ConstantPadNd(Module):
    __constants__ = ["padding", "value"]

    def __init__(self, value):
        super().__init__()
        self.value = value

    def forward(self, input):
        return F.pad(input, self.padding, "constant", self.value)

    def extra_repr(self):
        return f"padding={self.padding}, value={self.value}"


class ConstantPad1d(_ConstantPadNd):
    """Pad the last dim with ``value``."""

    def __init__(self, padding, value):
        super().__init__(value)
        self.padding = _pair(padding)


class ConstantPad2d(_ConstantPadNd):
    """Pad the last two dims with ``value``."""

    def __init__(self, padding, value):
        super().__init__(value)
        self.padding = _quadruple(padding)


class ConstantPad3d(_ConstantPadNd):
    """Pad the last three dims with ``value``."""

    def __init__(self, padding, value):
        super().__init__(value)
        self.padding = _sextuple(padding)


class ZeroPad1d(ConstantPad1d):
    """Pad the last dim with zeros."""

    def __init__(self, padding):
        super().__init__(padding, 0.0)

    def extra_repr(self):
        return f"{self.padding}"


class ZeroPad2d(ConstantPad2d):
    """Pad the last two dims with zeros."""

    def __init__(self, padding):
        super().__init__(padding, 0.0)

    def extra_repr(self):
        return f"{self.padding}"


class ZeroPad3d(ConstantPad3d):
    """Pad the last three dims with zeros."""

    def __init__(self, padding):
        super().__init__(padding, 0.0)

    def extra_repr(self):
        return f"{self.padding}"


# ============================================================================ reflection, replication

class _ReflectionPadNd(_ModePadNd):
    _mode = "reflect"


class ReflectionPad1d(_ReflectionPadNd):
    """Pad the last dim with its reflection (the edge value not repeated)."""
    _ndim = 1


class ReflectionPad2d(_ReflectionPadNd):
    """Pad the last two dims with their reflection."""
    _ndim = 2


class ReflectionPad3d(_ReflectionPadNd):
    """Pad the last three dims with their reflection."""
    _ndim = 3


class _ReplicationPadNd(_ModePadNd):
    _mode = "replicate"


class ReplicationPad1d(_ReplicationPadNd):
    """Pad the last dim by repeating its edge values."""
    _ndim = 1


class ReplicationPad2d(_ReplicationPadNd):
    """Pad the last two dims by repeating their edge values."""
    _ndim = 2


class ReplicationPad3d(_ReplicationPadNd):
    """Pad the last three dims by repeating their edge values."""
    _ndim = 3


# every public class's docstring ends with the torch page it mirrors
for _cls in [globals()[_n] for _n in __all__]:
    _cls.__doc__ += "\n\n    Mirrors " + _DOCS.format(_cls.__name__) + "\n    "
del _cls
