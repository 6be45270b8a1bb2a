"""``ember.Size``: a tuple subclass printed as PyTorch prints ``torch.Size``."""
import numpy as np


class Size(tuple):
    """Shape of a tensor; equal to the plain tuple of the same ints."""

    __slots__ = ()

    def __new__(cls, sizes=()):
        if sizes.__class__ is tuple:  # a NumPy shape: already ints
            return tuple.__new__(cls, sizes)
        out = []
        for i, s in enumerate(sizes):
            if not isinstance(s, (int, np.integer)):
                if isinstance(s, float) or not hasattr(s, "__index__"):
                    raise TypeError(f"torch.Size() takes an iterable of 'int' (item {i} is '{type(s).__name__}')")
                s = s.__index__()  # a 0-d integer tensor
            out.append(int(s))
        return tuple.__new__(cls, out)

    def __repr__(self):
        return f"torch.Size({list(self)})"

    __str__ = __repr__

    def numel(self):
        n = 1
        for s in self:
            n *= s
        return n

    def __getitem__(self, k):
        r = tuple.__getitem__(self, k)
        return Size(r) if isinstance(k, slice) else r

    def __add__(self, other):
        if not isinstance(other, tuple):
            raise TypeError(f"can only concatenate tuple (not {type(other).__name__}) to torch.Size")
        return Size(tuple(self) + tuple(other))

    def __radd__(self, other):
        if not isinstance(other, tuple):
            return NotImplemented
        return Size(tuple(other) + tuple(self))

    def __mul__(self, n):
        return Size(tuple(self) * n)

    __rmul__ = __mul__

    def __reduce__(self):
        return (Size, (tuple(self),))
