"""``ember.nn.functional``: the math of layers, written once as functions (PyTorch's ``torch.nn.functional``)."""
import numpy as np

from ..ops._util import _wrap, is_tensor
from ..ops.elementwise import relu as _relu, sigmoid, tanh  # noqa: F401
from ..ops.reduce import log_softmax as _log_softmax, softmax as _softmax


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
