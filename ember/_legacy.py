"""Legacy typed tensor classes: ``FloatTensor(data)``, ``LongTensor(2, 3)``, ``isinstance(t, FloatTensor)``."""
from . import dtypes as D
from .ops.creation import _legacy_new
from .tensor import Tensor


class _LegacyMeta(type):
    """The metaclass of the legacy classes (PyTorch's ``torch.tensortype``)."""

    def __instancecheck__(cls, obj):
        return isinstance(obj, Tensor) and obj.dtype is cls._dtype

    def __call__(cls, *args, device=None):
        return _legacy_new(cls._dtype, args, device, typed=True)

    def __repr__(cls):
        return f"<class 'torch.{cls.__name__}'>"

    @property
    def dtype(cls):
        return cls._dtype

    @property
    def is_cuda(cls):
        return False

    @property
    def is_sparse(cls):
        return False


def _make(name, dtype):
    return _LegacyMeta(name, (), {"_dtype": dtype, "__doc__": f"Legacy constructor of {dtype} tensors.",
                                  "__module__": "torch"})


FloatTensor = _make("FloatTensor", D.float32)
DoubleTensor = _make("DoubleTensor", D.float64)
HalfTensor = _make("HalfTensor", D.float16)
LongTensor = _make("LongTensor", D.int64)
IntTensor = _make("IntTensor", D.int32)
ShortTensor = _make("ShortTensor", D.int16)
CharTensor = _make("CharTensor", D.int8)
ByteTensor = _make("ByteTensor", D.uint8)
BoolTensor = _make("BoolTensor", D.bool)
