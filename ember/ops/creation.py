"""Tensor factories: tensor/as_tensor/from_numpy, zeros/ones/full/empty, ranges, eye, random sampling.

Values follow PyTorch's CPU kernels: ``tensor`` infers dtypes as ``torch.tensor``
does (Python floats take the default dtype, NumPy scalars keep theirs, the
items are promoted together), and ``arange``/``linspace`` reproduce the
kernels' arithmetic (the accumulate type, fused multiply-adds and the 32-byte
vector blocks), so float results equal PyTorch's bit for bit.
"""
import builtins
import collections.abc
import math
import warnings

import numpy as np

from .. import dtypes as D
from ..device import check_cpu
from ..utils.hooks import warn_scalar_once
from ._util import _wrap, is_tensor

_PY_DTYPES = {builtins.float: "float64", builtins.int: "int64", builtins.bool: "bool", builtins.complex: "complex128"}

_TYPE_NAMES = {"float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long", "int32": "Int",
               "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool", "complex64": "ComplexFloat",
               "complex128": "ComplexDouble", "bfloat16": "BFloat16", "uint16": "UInt16", "uint32": "UInt32",
               "uint64": "UInt64"}


def _type_name(dt):
    return _TYPE_NAMES.get(dt.name, dt.name)


def _as_dtype(dtype, fn="tensor"):
    """An ember dtype from a ``dtype=`` argument (ember dtypes, or Python's float/int/bool/complex)."""
    if dtype is None or isinstance(dtype, D.dtype):
        return dtype
    if dtype in _PY_DTYPES:
        return getattr(D, _PY_DTYPES[dtype])
    raise TypeError(f"{fn}(): argument 'dtype' must be torch.dtype, not {type(dtype).__name__}")


def _np(dtype, default=None, fn="tensor"):
    dtype = _as_dtype(dtype, fn)
    if dtype is None:
        return (default or D.get_default_dtype()).np
    return dtype.np


def _size(size, fn="empty"):
    """``zeros(2, 3)``, ``zeros((2, 3))``, ``zeros([2, 3])`` and ``zeros(ember.Size)`` all mean (2, 3)."""
    if len(size) == 0:
        raise TypeError(f"{fn}() missing 1 required positional arguments: \"size\"")
    if len(size) == 1 and not isinstance(size[0], (tuple, list)):
        s = size[0]
        if isinstance(s, bool) or not (isinstance(s, (int, np.integer)) or (is_tensor(s) and s.ndim == 0)):
            raise TypeError(f"{fn}(): argument 'size' (position 1) must be tuple of ints, not {type(s).__name__}")
    elif len(size) == 1:
        size = size[0]
    elif any(isinstance(s, (tuple, list)) for s in size):
        raise TypeError(f"{fn}() takes 1 positional argument but {len(size)} were given")
    out = []
    for i, s in enumerate(size):
        if is_tensor(s):
            s = s.item()
        if isinstance(s, bool):
            s = int(s)
        if not isinstance(s, (int, np.integer)):
            raise TypeError(f"{fn}(): argument 'size' failed to unpack the object at pos {i + 1} with error \"type "
                            f"must be tuple of ints,but got {type(s).__name__}\"")
        out.append(int(s))
    for s in out:
        if s < 0:
            if fn == "zeros":
                raise RuntimeError("zeros: Dimension size must be non-negative.")
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: {out}")
    return tuple(out)


def _check_grad_dtype(arr, requires_grad):
    if requires_grad and not (arr.dtype.kind in "fc" or (D.bfloat16 is not None and arr.dtype == D.bfloat16.np)):
        raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")


def _finish(arr, requires_grad=False, device=None):
    check_cpu(device)
    _check_grad_dtype(arr, requires_grad)
    if arr.size == 0 and arr.ndim > 1:
        # NumPy gives empty arrays zero strides; PyTorch's factories give contiguous ones, which views
        # (transpose, permute ...) then carry along
        arr = np.lib.stride_tricks.as_strided(arr, arr.shape, _contiguous_bytes(arr.shape, arr.itemsize))
    t = _wrap(arr)
    if requires_grad:
        t.requires_grad_(True)
    return t


def _contiguous_bytes(shape, itemsize):
    st, acc = [], itemsize
    for n in reversed(shape):
        st.append(acc)
        acc *= max(n, 1)
    return tuple(reversed(st))


def _round_to(x, np_dt):
    """``static_cast<T>(double)``: Half/BFloat16 are built from a float, so they round twice."""
    np_dt = np.dtype(np_dt)
    if np_dt.itemsize == 2 and np_dt.kind == "f" or (D.bfloat16 is not None and np_dt == D.bfloat16.np):
        return np.asarray(x).astype(np.float32).astype(np_dt)
    return np.asarray(x).astype(np_dt)


# ============================================================================ from data

def _scalar_dtype(x):
    """The dtype ``torch.tensor`` gives one item (NumPy scalars keep theirs: check them before float/int)."""
    if is_tensor(x):
        return x.dtype
    if isinstance(x, np.ndarray):
        return D.from_numpy_dtype(x.dtype)
    if isinstance(x, np.generic):
        return D.from_numpy_dtype(x.dtype)
    if isinstance(x, bool):
        return D.bool
    if isinstance(x, int):
        return D.int64
    if isinstance(x, float):
        return D.get_default_dtype()
    if isinstance(x, complex):
        return D.default_complex()
    if isinstance(x, str):
        raise ValueError("too many dimensions 'str'")
    raise RuntimeError(f"Could not infer dtype of {type(x).__name__}")


_TYPE_DT = {bool: "bool", int: "int64", float: None, complex: "complex"}


def _is_seq(x):
    return isinstance(x, (list, tuple, builtins.range)) or (
        isinstance(x, collections.abc.Sequence) and not isinstance(x, (str, bytes, bytearray)) and not is_tensor(x))


def _sizes_of(data):
    sizes = []
    x = data
    while True:
        if isinstance(x, np.ndarray):
            sizes.extend(x.shape)
            break
        if not _is_seq(x):
            break
        sizes.append(len(x))
        if not len(x):
            break
        x = x[0]
    return sizes


def _infer(data, sizes):
    """Walk nested sequences: PyTorch's ragged/type errors, the promoted dtype, and whether tensors occur."""
    state = {"dt": None, "tensor": False}
    last = len(sizes)

    def add(dt):
        state["dt"] = dt if state["dt"] is None else D.promote_types(state["dt"], dt)

    def scalar(x):
        if _is_seq(x):
            raise TypeError(f"'{type(x).__name__}' object cannot be interpreted as an integer")
        if is_tensor(x):
            if x.numel() != 1:  # PyTorch converts it as an index (integer dtypes) or as a float
                if x._data.dtype.kind in "iub":
                    raise TypeError("only integer tensors of a single element can be converted to an index")
                raise ValueError("only one element tensors can be converted to Python scalars")
            if x._requires_grad:  # PyTorch reads the element as a Python scalar, with float()'s warning
                warn_scalar_once()
            state["tensor"] = True
        elif isinstance(x, np.ndarray) and x.ndim:
            raise TypeError("only integer scalar arrays can be converted to a scalar index")
        add(_scalar_dtype(x))

    def rec(x, dim):
        if is_tensor(x):  # a tensor above the last level is read as nested sequences
            state["tensor"] = True
            x = x._data
        if isinstance(x, np.ndarray):
            if tuple(x.shape) != tuple(sizes[dim:]):
                got = x.shape[0] if x.ndim else 0
                raise ValueError(f"expected sequence of length {sizes[dim]} at dim {dim} (got {got})")
            add(D.from_numpy_dtype(x.dtype))
            return
        if not _is_seq(x):
            raise TypeError("not a sequence")
        if len(x) != sizes[dim]:
            raise ValueError(f"expected sequence of length {sizes[dim]} at dim {dim} (got {len(x)})")
        if dim + 1 == last:
            types = set(map(type, x))
            if types <= {bool, int, float, complex}:  # the common case: plain Python numbers
                for t in types:
                    add(_scalar_dtype(t()))
                return
            for e in x:
                scalar(e)
            return
        for e in x:
            rec(e, dim + 1)

    if last == 0:
        scalar(data)
    else:
        rec(data, 0)
    return state["dt"] or D.get_default_dtype(), state["tensor"]


def _detensor(x, depth, last):
    if is_tensor(x):
        return x._data.reshape(()) if depth == last else x._data
    if isinstance(x, (list, tuple, builtins.range)):
        return [_detensor(e, depth + 1, last) for e in x]
    return x


_INT_LIMITS = {}


def _int_limits(np_dt):
    r = _INT_LIMITS.get(np_dt)
    if r is None:
        info = np.iinfo(np_dt)
        lo = -int(info.max) if info.min == 0 else int(info.min)  # c10 lets negatives wrap into unsigned types
        r = _INT_LIMITS[np_dt] = (lo, int(info.max))
    return r


def _from_python(data, dtype):
    """The array ``torch.tensor(data, dtype=dtype)`` builds from Python data (with its overflow checks)."""
    sizes = _sizes_of(data)
    inferred, has_tensor = _infer(data, sizes)
    if has_tensor:
        data = _detensor(data, 0, len(sizes))
    target = dtype or inferred
    tnp = target.np
    ikind = "c" if inferred.is_complex else "f" if inferred.is_floating_point else "b" if inferred is D.bool else "i"
    if ikind == "c" and not target.is_complex and target is not D.bool:
        raise TypeError("must be real number, not complex")
    if ikind == "i":
        try:
            arr = np.array(data, dtype=np.int64)
        except OverflowError:
            if target.is_floating_point or target.is_complex:
                arr = np.array(data, dtype=np.float64)
                ikind = "f"
            else:
                raise ValueError("Overflow when unpacking long long") from None
    else:
        arr = np.array(data, dtype={"c": np.complex128, "f": np.float64, "b": np.bool_}[ikind])
    if tnp.kind in "iu" and ikind in "if" and arr.size:
        lo, hi = _int_limits(tnp)
        if ikind == "f":
            lo = int(np.iinfo(tnp).min)
            bad = np.isnan(arr) | (arr < lo) | (arr > hi)
        else:
            bad = (arr < lo) | (arr > hi)
        if bad.any():
            raise RuntimeError(f"value cannot be converted to type {target.name} without overflow")
    if tnp.kind == "b":
        return arr != 0 if arr.dtype.kind != "b" else arr
    if arr.dtype == tnp:
        return arr
    if tnp.kind in "iu":
        return arr.astype(tnp) if ikind != "f" else np.trunc(arr).astype(tnp)
    return _round_to(arr, tnp)


_PLAIN = (float, int, bool)


def _fast_plain(data):
    """The array for a scalar or flat list of plain Python floats/ints/bools (the common case), else None."""
    tp = type(data)
    if tp is float:
        return _round_to(np.array(data), D.get_default_dtype().np)
    if tp is int:
        if -2 ** 63 <= data < 2 ** 63:
            return np.array(data, dtype=np.int64)
        return None
    if tp is bool:
        return np.array(data)
    if (tp is list or tp is tuple) and data:
        types = set(map(type, data))
        if float in types:
            if types <= {float, int, bool}:
                try:
                    return _round_to(np.array(data, dtype=np.float64), D.get_default_dtype().np)
                except OverflowError:
                    return None
        elif int in types:
            if types <= {int, bool}:
                try:
                    return np.array(data, dtype=np.int64)
                except OverflowError:
                    return None
        elif types == {bool}:
            return np.array(data, dtype=np.bool_)
    return None


def tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False):
    """A new tensor copying ``data`` (nested sequences, scalars, NumPy arrays or tensors)."""
    if dtype is None:
        arr = _fast_plain(data)
        if arr is not None:
            if device is None and not requires_grad:
                return _wrap(arr)
            return _finish(arr, requires_grad, device)
    dtype = _as_dtype(dtype)
    if is_tensor(data):
        warnings.warn("To copy construct from a tensor, it is recommended to use sourceTensor.detach().clone() or "
                      "sourceTensor.detach().clone().requires_grad_(True), rather than torch.tensor(sourceTensor).",
                      UserWarning, stacklevel=2)
        arr = data._data
        out = arr.copy() if dtype is None or dtype.np == arr.dtype else _round_to(arr, dtype.np)
    elif isinstance(data, np.ndarray):
        src = D.from_numpy_dtype(data.dtype)  # TypeError for dtypes PyTorch cannot hold
        out = np.array(data, dtype=src.np, copy=True) if dtype is None or dtype.np == data.dtype else (
            data.astype(dtype.np))
    elif isinstance(data, str):
        raise TypeError("new(): invalid data type 'str'")
    else:
        out = _from_python(data, dtype)
        if out.base is not None or not out.flags.owndata:
            out = out.copy()
    if not out.flags.writeable:
        out = out.copy()
    return _finish(out, requires_grad, device)


def as_tensor(data, dtype=None, device=None):
    """A tensor sharing memory with ``data`` when it is already a tensor/array of that dtype."""
    check_cpu(device)
    dtype = _as_dtype(dtype, "as_tensor")
    if is_tensor(data):
        if dtype is None or data.dtype is dtype:
            return data
        return data.to(dtype)
    if isinstance(data, np.ndarray):
        if dtype is None or data.dtype == dtype.np:
            return from_numpy(data, _warn=False)
        D.from_numpy_dtype(data.dtype)
        return _wrap(data.astype(dtype.np))
    return tensor(data, dtype=dtype)


def asarray(obj, *, dtype=None, device=None, copy=None, requires_grad=False):
    """``torch.asarray``: share memory with tensors/arrays when possible; ``copy`` forces or forbids a copy."""
    check_cpu(device)
    dtype = _as_dtype(dtype, "asarray")
    if is_tensor(obj):
        if dtype is not None and dtype is not obj.dtype:
            if copy is False:
                raise ValueError(f"can't alias tensor with dtype '{_type_name(obj.dtype)}' into dtype "
                                 f"'{_type_name(dtype)}'.")
            r = obj.to(dtype)
        else:
            r = obj.clone() if copy else obj
    elif isinstance(obj, np.ndarray) or isinstance(obj, np.generic):
        arr = np.asarray(obj)
        src = D.from_numpy_dtype(arr.dtype)
        if dtype is not None and dtype is not src:
            if copy is False:
                raise ValueError(f"can't alias tensor with dtype '{_type_name(src)}' into dtype "
                                 f"'{_type_name(dtype)}'.")
            r = _wrap(arr.astype(dtype.np))
        elif copy:
            r = _wrap(arr.copy())
        else:
            r = from_numpy(arr, _warn=False) if isinstance(obj, np.ndarray) else _wrap(arr.copy())
    else:
        if copy is False:
            raise ValueError("can't alias arbitrary sequence into a tensor.")
        r = tensor(obj, dtype=dtype)
    if requires_grad:
        _check_grad_dtype(r._data, True)
        r.requires_grad_(True)
    return r


_warned_readonly = [False]


def from_numpy(ndarray, _warn=True):
    """A tensor sharing memory with ``ndarray`` (both see each other's writes)."""
    if not isinstance(ndarray, np.ndarray):
        tp = type(ndarray)
        tn = tp.__name__ if tp.__module__ == "builtins" else f"{tp.__module__}.{tp.__qualname__}"
        raise TypeError(f"expected np.ndarray (got {tn})")
    D.from_numpy_dtype(ndarray.dtype)  # TypeError for dtypes PyTorch cannot hold
    if not ndarray.dtype.isnative:
        raise ValueError("given numpy array has byte order different from the native byte order. Conversion "
                         "between byte orders is currently not supported.")
    if any(s < 0 for s in ndarray.strides):
        raise ValueError("At least one stride in the given numpy array is negative, and tensors with negative "
                         "strides are not currently supported. (You can probably work around this by making a "
                         "copy of your array  with array.copy().) ")
    if not ndarray.flags.writeable and not _warned_readonly[0]:
        _warned_readonly[0] = True
        warnings.warn("The given NumPy array is not writable, and PyTorch does not support non-writable tensors. "
                      "This means writing to this tensor will result in undefined behavior. You may want to copy "
                      "the array to protect its data or make it writable before converting it to a tensor. This "
                      "type of warning will be suppressed for the rest of this program.", UserWarning, stacklevel=2)
    return _wrap(ndarray)


def frombuffer(buffer, *, dtype, count=-1, offset=0, requires_grad=False):
    return _finish(np.frombuffer(buffer, dtype=dtype.np, count=count, offset=offset), requires_grad)


# ============================================================================ constant fills

def zeros(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False):
    return _finish(np.zeros(_size(size, "zeros"), dtype=_np(dtype, fn="zeros")), requires_grad, device)


def ones(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False):
    return _finish(np.ones(_size(size, "ones"), dtype=_np(dtype, fn="ones")), requires_grad, device)


def empty(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False,
          memory_format=None):
    return _finish(np.empty(_size(size, "empty"), dtype=_np(dtype, fn="empty")), requires_grad, device)


def _fill_dtype(v):
    if is_tensor(v):
        return v.dtype
    if isinstance(v, np.generic):  # a NumPy scalar acts as the Python number it holds
        v = v.item()
    if isinstance(v, bool):
        return D.bool
    if isinstance(v, int):
        return D.int64
    if isinstance(v, complex):
        return D.default_complex()
    return D.get_default_dtype()


_FILL_NAMES = {"int8": "int8_t", "int16": "int16_t", "int32": "int", "int64": "int64_t", "uint8": "uint8_t",
               "float16": "c10::Half", "float32": "float", "float64": "double", "bfloat16": "c10::BFloat16",
               "complex64": "c10::complex<float>", "complex128": "c10::complex<double>"}


def _checked_scalar(v, dt, fn="full"):
    """A Python number converted to ``dt`` with c10's overflow check (``fill_``/``full``)."""
    if isinstance(v, np.generic):
        v = v.item()
    if not isinstance(v, (bool, int, float, complex)):
        raise TypeError(f"{fn}(): argument 'fill_value' (position 2) must be Number, not {type(v).__name__}")
    tnp = dt.np
    if tnp.kind == "b":
        return np.array(v != 0)
    bad = False
    if isinstance(v, complex) and tnp.kind != "c":
        bad = v.imag != 0
        v = v.real
    if tnp.kind in "iu":
        lo, hi = _int_limits(tnp)
        if isinstance(v, float):
            bad = bad or math.isnan(v) or math.isinf(v) or v < int(np.iinfo(tnp).min) or v > hi
            v = 0 if bad else int(v)
        else:
            bad = bad or v < lo or v > hi
    elif tnp.kind == "f":
        if isinstance(v, int) and abs(v) >= 2 ** 1024:
            raise OverflowError("int too big to convert")
        fv = float(v)
        big = {2: 65504.0 if dt is D.float16 else 3.3895313892515355e38, 4: 3.4028234663852886e38}.get(
            tnp.itemsize, math.inf)
        bad = bad or (math.isfinite(fv) and abs(fv) > big)
    if bad:
        raise RuntimeError(f"value cannot be converted to type {_FILL_NAMES.get(dt.name, dt.name)} without overflow")
    if tnp.kind in "iu":
        return np.array(v).astype(np.int64).astype(tnp) if v < 0 and tnp.kind == "u" else np.array(v, dtype=tnp)
    return _round_to(np.array(v), tnp)


def full(size, fill_value, *, out=None, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False):
    if not isinstance(size, (tuple, list)):
        raise TypeError(f"full(): argument 'size' (position 1) must be tuple of ints, not {type(size).__name__}")
    if is_tensor(fill_value):
        dt = _as_dtype(dtype, "full") or fill_value.dtype
        fill_value = fill_value.item()
    else:
        dt = _as_dtype(dtype, "full") or _fill_dtype(fill_value)
    v = _checked_scalar(fill_value, dt)
    return _finish(np.full(_size((size,), "full"), v, dtype=dt.np), requires_grad, device)


def _like_input(input, fn):
    if not is_tensor(input):
        raise TypeError(f"{fn}(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")
    return input


def _like(input, dtype, fn):
    _like_input(input, fn)
    dtype = _as_dtype(dtype, fn)
    return dtype.np if dtype is not None else input._data.dtype


def _like_array(input, dtype, fn, memory_format, fill=None):
    """A new array shaped like ``input`` in ``memory_format`` (by default PyTorch's preserve_format: a dense
    input's memory layout is kept)."""
    from .._layout import empty_in_format
    dt = _like(input, dtype, fn)  # checks input first
    out = empty_in_format(input._data, dt, memory_format)
    if fill is not None:
        out.fill(fill)
    return out


def zeros_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None):
    return _finish(_like_array(input, dtype, "zeros_like", memory_format, 0), requires_grad, device)


def ones_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None):
    return _finish(_like_array(input, dtype, "ones_like", memory_format, 1), requires_grad, device)


def empty_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None):
    return _finish(_like_array(input, dtype, "empty_like", memory_format), requires_grad, device)


def full_like(input, fill_value, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None):
    dt = _like(input, dtype, "full_like")
    if is_tensor(fill_value):
        fill_value = fill_value.item()
    v = _checked_scalar(fill_value, D.from_numpy_dtype(dt), "full_like")
    return _finish(_like_array(input, dtype, "full_like", memory_format, v), requires_grad, device)


def view_dtype(a, dtype):
    """``t.view(dtype)``: reinterpret the bytes (same itemsize, or a compatible last dim)."""
    x = a._data
    try:
        return _wrap(x.view(dtype.np))
    except ValueError as e:
        raise RuntimeError(f"self.dim() cannot be 0 to view {a.dtype} as {dtype} (different element sizes)"
                           if x.ndim == 0 else str(e)) from None


def _legacy_new(dtype, args, device=None, typed=False):
    """``torch.FloatTensor(data)`` / ``torch.FloatTensor(2, 3)`` / ``torch.Tensor(...)``: data or sizes.

    ``typed`` is True for the dtype-named classes: a tensor argument must then already have that dtype
    (``torch.Tensor(t)`` accepts any tensor and aliases it).
    """
    check_cpu(device)
    name = "new"
    if not args:
        return _wrap(np.empty((0,), dtype=dtype.np))
    if len(args) == 1 and not isinstance(args[0], (int, np.integer)) and not (
            isinstance(args[0], tuple) and type(args[0]).__name__ == "Size"):
        data = args[0]
        if is_tensor(data):
            if typed and data.dtype is not dtype:
                raise TypeError(f"expected {_options(dtype)} (got {_options(data.dtype)})")
            return _wrap(data._data)
        if isinstance(data, str):
            raise TypeError(f"{name}(): invalid data type 'str'")
        if not (_is_seq(data) or isinstance(data, np.ndarray)):
            tp = type(data)
            raise TypeError(f"{name}(): data must be a sequence (got {tp.__name__})")
        if isinstance(data, np.ndarray):
            D.from_numpy_dtype(data.dtype)
            return _wrap(np.array(data, dtype=dtype.np, copy=True))
        return _wrap(_from_python(data, dtype))
    return _wrap(np.empty(_size(args, name), dtype=dtype.np))


def _options(dt):
    from .linalg import _CPP
    return (f"TensorOptions(dtype={_CPP.get(dt.name, dt.name)}, device=cpu, layout=Strided, requires_grad=false "
            "(default), pinned_memory=false (default), memory_format=(nullopt))")


# moved to random_ops.py; re-exported so callers keep one import path
from .random_ops import (  # noqa: E402,F401
    bernoulli, multinomial, normal, poisson, rand, rand_like, randint, randint_like, randn, randn_like, randperm)


# moved to ranges.py; re-exported so callers keep one import path
from .ranges import (  # noqa: E402,F401
    arange, cartesian_prod, eye, linspace, logspace, meshgrid, range, tril_indices, triu_indices)
