"""Helpers shared by the op families: operand promotion, dims, wrapping."""
import builtins
import numbers

import numpy as np

from .. import dtypes as D
from ..autograd import function as F

ndarray = np.ndarray
_wrap = F._wrap


def T():
    return F.Tensor


def is_tensor(x):
    return isinstance(x, F.Tensor)


_bin_cache = {}


def _slow_result_np(x, b):
    """NumPy dtype PyTorch gives ``x (array) op b`` (Tensor or scalar); cached per dtype/dim pattern."""
    if isinstance(b, F.Tensor):
        y = b._data
        key = (x.dtype, x.ndim == 0, y.dtype, y.ndim == 0)
    else:
        key = (x.dtype, x.ndim == 0, type(b))
    r = _bin_cache.get(key)
    if r is None:
        dx = D.from_numpy_dtype(x.dtype)
        dims, zeros, scalars = [], [], []
        (zeros if x.ndim == 0 else dims).append(dx)
        if isinstance(b, F.Tensor):
            db = D.from_numpy_dtype(b._data.dtype)
            (zeros if b._data.ndim == 0 else dims).append(db)
        else:
            scalars.append(D.scalar_dtype(b))
        r = D.result_type_of(dims, zeros, scalars).np
        _bin_cache[key] = r
    return r


def py_scalar(b):
    """A NumPy scalar or 0-d array given as an operand becomes a Python number (a 'wrapped number')."""
    if isinstance(b, np.generic):
        return b.item()
    if isinstance(b, numbers.Number):
        return b
    raise TypeError(f"unsupported operand type: '{type(b).__name__}'")


def operands(a, b):
    """The two arrays (or array and Python scalar) of a binary op, cast to PyTorch's result dtype.

    ``a`` is a Tensor; ``b`` a Tensor or a Python number. NumPy's own promotion
    agrees with PyTorch's for equal dtypes and for float arrays with Python
    scalars, which is the hot path; everything else goes through the table.
    """
    x = a._data
    if isinstance(b, F.Tensor):
        y = b._data
        if x.dtype is y.dtype:
            return x, y
        dt = _slow_result_np(x, b)
        return (x if x.dtype == dt else x.astype(dt)), (y if y.dtype == dt else y.astype(dt))
    tb = type(b)
    if tb is float or tb is int:
        k = x.dtype.kind
        if k == "f" or k == "c" or (tb is int and (k == "i" or k == "u")):
            return x, b
    elif not (tb is bool or tb is complex):
        if isinstance(b, ndarray):
            return operands(a, _wrap(b))
        b = py_scalar(b)
    dt = _slow_result_np(x, b)
    return (x if x.dtype == dt else x.astype(dt)), b


def result_np_dtype(*args):
    """PyTorch's result NumPy dtype for any mix of tensors and Python numbers."""
    dims, zeros, scalars = [], [], []
    for a in args:
        if isinstance(a, F.Tensor):
            (zeros if a._data.ndim == 0 else dims).append(D.from_numpy_dtype(a._data.dtype))
        elif a is not None:
            scalars.append(D.scalar_dtype(py_scalar(a)))
    return D.result_type_of(dims, zeros, scalars).np


def float_np(dt):
    """The float dtype an integer/bool computation is done in (the default dtype), else ``dt`` itself."""
    if dt.kind in "fc" or (D.bfloat16 is not None and dt == D.bfloat16.np):
        return dt
    return D.get_default_dtype().np


def norm_dim(dim, ndim):
    """A dim in [-ndim, ndim) as a non-negative int; IndexError as PyTorch words it."""
    n = ndim if ndim > 0 else 1
    if dim < -n or dim >= n:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})")
    return dim + n if dim < 0 else dim


def norm_dims(dim, ndim):
    """``dim`` (None, int, or sequence) as a sorted tuple of non-negative axes; None means all."""
    if dim is None:
        return tuple(range(ndim))
    if isinstance(dim, (int, np.integer)) and not isinstance(dim, builtins.bool):
        return (norm_dim(int(dim), ndim),)
    out = []
    for d in dim:
        d = norm_dim(int(d), ndim)
        if d in out:
            raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
        out.append(d)
    return tuple(out)


def as_np_dtype(dtype):
    """NumPy dtype for an ember dtype argument (or None)."""
    if dtype is None:
        return None
    if isinstance(dtype, D.dtype):
        return dtype.np
    raise TypeError(f"expected a dtype, got {type(dtype).__name__}")
