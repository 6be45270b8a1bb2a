"""Device objects and which array module backs each device.

Ops ask ``array_module(device)`` for their ``xp`` instead of naming NumPy, so a
CuPy backend for ``'cuda'`` plugs in without rewriting kernels.
"""
import numpy as np

# every device type PyTorch's parser accepts (ember can only place tensors on "cpu")
_TYPES = ("cpu", "cuda", "ipu", "xpu", "mkldnn", "opengl", "opencl", "ideep", "hip", "ve", "fpga", "maia", "xla",
          "lazy", "vulkan", "mps", "meta", "hpu", "mtia", "privateuseone")
_EXPECTED = ("Expected one of cpu, cuda, ipu, xpu, mkldnn, opengl, opencl, ideep, hip, ve, fpga, maia, xla, lazy, "
             "vulkan, mps, meta, hpu, mtia, privateuseone device type at start of device string: ")


def _parse(s):
    """c10's device-string parser: ``([a-zA-Z_]+)(?::([1-9]\\d*|0))?``, with its error messages."""
    if not s:
        raise RuntimeError("Device string must not be empty")
    name, sep, idx = s.partition(":")
    ok = bool(name) and all(c.isascii() and (c.isalpha() or c == "_") for c in name)
    if sep:
        ok = ok and idx.isascii() and idx.isdigit() and (idx == "0" or not idx.startswith("0"))
    if not ok:
        raise RuntimeError(f"Invalid device string: '{s}'")
    if name not in _TYPES:
        raise RuntimeError(_EXPECTED + name)
    return name, (int(idx) if sep else None)


def _invalid_args(got):
    return TypeError(f"device() received an invalid combination of arguments - got ({got}), but expected one of:\n"
                     " * (torch.device device)\n"
                     f"      didn't match because some of the arguments have invalid types: (!{got}!)\n"
                     " * (str type, int index = -1)\n")


class device:
    """``ember.device('cpu')``, ``ember.device('cuda', 0)``, ``ember.device('cuda:1')``.

    As in PyTorch, a device never equals a string: compare ``d.type`` or ``str(d)`` instead.
    """

    __slots__ = ("type", "index")

    def __init__(self, type, index=None):
        if isinstance(type, device):
            if index is not None:
                raise _invalid_args("torch.device, int")
            self.type, self.index = type.type, type.index
            return
        if isinstance(type, int) and not isinstance(type, bool):
            # torch.device(i) means index i of the current accelerator, which needs one to exist
            from . import cuda
            if not cuda.is_available():
                raise RuntimeError("Cannot access accelerator device when none is available.")
            if type < 0:
                raise RuntimeError("Device index must not be negative")
            self.type, self.index = "cuda", type
            return
        if not isinstance(type, str):
            raise _invalid_args(type.__class__.__name__)
        name, idx = _parse(type)
        if index is not None:
            if isinstance(index, bool) or not isinstance(index, int):
                raise _invalid_args(f"str, {index.__class__.__name__}")
            if idx is not None:
                raise RuntimeError(f"type (string) must not include an index because index was passed explicitly: "
                                   f"{type}")
            if index < 0:
                raise RuntimeError("Device index must not be negative")
            idx = index
        self.type, self.index = name, idx

    def __eq__(self, other):
        return isinstance(other, device) and self.type == other.type and self.index == other.index

    def __ne__(self, other):
        return not self.__eq__(other)

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
    if isinstance(d, int) and not isinstance(d, bool):  # a bare index means a CUDA device
        if d < 0:
            raise RuntimeError("Device index must not be negative")
        return device("cuda", d)
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
