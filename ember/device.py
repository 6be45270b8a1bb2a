"""Device objects and which array module backs each device.

Ops ask ``array_module(device)`` for their ``xp`` instead of naming NumPy, so a
CuPy backend for ``'cuda'`` plugs in without rewriting kernels.
"""
import numpy as np

_TYPES = ("cpu", "cuda", "meta", "mps", "xpu")


class device:
    """``ember.device('cpu')``, ``ember.device('cuda', 0)``, ``ember.device('cuda:1')``."""

    __slots__ = ("type", "index")

    def __init__(self, type, index=None):
        if isinstance(type, device):
            self.type, self.index = type.type, type.index
            return
        if isinstance(type, int) and not isinstance(type, bool):
            # torch.device(0) means the current accelerator, cuda:0
            self.type, self.index = "cuda", type
            return
        if not isinstance(type, str):
            raise TypeError(f"device() received an invalid combination of arguments - got ({type.__class__.__name__})")
        name, sep, idx = type.partition(":")
        if name not in _TYPES:
            raise RuntimeError(
                "Expected one of cpu, cuda, ipu, xpu, mkldnn, opengl, opencl, ideep, hip, ve, fpga, maia, xla, "
                f"lazy, vulkan, mps, meta, hpu, mtia, privateuseone device type at start of device string: {type}")
        if sep:
            if index is not None:
                raise RuntimeError(f"type (string) must not include an index because index was passed explicitly: {type}")
            if not idx.isdigit():
                raise RuntimeError(f"Invalid device string: '{type}'")
            index = int(idx)
        if index is not None and index < 0:
            raise RuntimeError(f"Device index must not be negative")
        self.type, self.index = name, index

    def __eq__(self, other):
        if isinstance(other, str):
            other = device(other)
        return isinstance(other, device) and self.type == other.type and self.index == other.index

    def __hash__(self):
        return hash((self.type, self.index))

    def __str__(self):
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __repr__(self):
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"

    def __reduce__(self):
        return (device, (self.type, self.index))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


CPU = device("cpu")


def as_device(d):
    """Normalise a ``device=`` argument (None, str, int or device) to a device object."""
    if d is None:
        return CPU
    if d.__class__ is device:
        return d
    return device(d)


def array_module(d):
    """The array module (numpy, or cupy later) that stores tensors of device ``d``."""
    if d.type == "cpu":
        return np
    if d.type == "cuda":
        from . import cuda

        cuda._lazy_init()  # raises a clear error naming what is missing
    raise RuntimeError(f"ember has no backend for device type '{d.type}'")


def check_cpu(d):
    """Raise the clear error for any device ember cannot place tensors on (everything but CPU for now)."""
    d = as_device(d)
    if d.type != "cpu":
        array_module(d)
    return d
