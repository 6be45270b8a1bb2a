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
    t = _wrap(arr)
    if requires_grad:
        t.requires_grad_(True)
    return t


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
            if x.numel() != 1:
                raise TypeError("only integer tensors of a single element can be converted to an index")
            state["tensor"] = True
        elif isinstance(x, np.ndarray) and x.ndim:
            raise TypeError("only integer scalar arrays can be converted to a scalar index")
        add(_scalar_dtype(x))

    def rec(x, dim):
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


def _detensor(x):
    if is_tensor(x):
        return x._data.reshape(())
    if isinstance(x, (list, tuple, builtins.range)):
        return [_detensor(e) for e in x]
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
        data = _detensor(data)
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


def zeros_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None):
    return _finish(np.zeros(input.shape if is_tensor(input) else (), dtype=_like(input, dtype, "zeros_like")),
                   requires_grad, device)


def ones_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None):
    return _finish(np.ones(input.shape if is_tensor(input) else (), dtype=_like(input, dtype, "ones_like")),
                   requires_grad, device)


def empty_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None):
    return _finish(np.empty(input.shape if is_tensor(input) else (), dtype=_like(input, dtype, "empty_like")),
                   requires_grad, device)


def full_like(input, fill_value, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None):
    dt = _like(input, dtype, "full_like")
    if is_tensor(fill_value):
        fill_value = fill_value.item()
    v = _checked_scalar(fill_value, D.from_numpy_dtype(dt), "full_like")
    return _finish(np.full(tuple(input.shape), v, dtype=dt), requires_grad, device)


# ============================================================================ ranges
#
# PyTorch's CPU range kernels compute ``start + step * i`` in the accumulate type (double for float/double,
# float for Half/BFloat16) with fused multiply-adds, and their vectorised path works on 32-byte vectors: in
# blocks of two vectors, each vector is ``base + k * step`` from its own ``base`` (rounded to the dtype); the
# remainder (fewer than two vectors) takes the scalar formula. These helpers reproduce that exactly.

def _two_sum(a, b):
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


def _split(a):
    t = 134217729.0 * a
    hi = t - (t - a)
    return hi, a - hi


def _fma64(a, b, c):
    """Correctly rounded float64 ``a * b + c`` (Dekker's exact product, a round-to-odd sum)."""
    a, b, c = np.broadcast_arrays(np.asarray(a, np.float64), np.asarray(b, np.float64), np.asarray(c, np.float64))
    with np.errstate(all="ignore"):
        p = a * b
        ah, al = _split(a)
        bh, bl = _split(b)
        pe = ((ah * bh - p) + ah * bl + al * bh) + al * bl
        s, se = _two_sum(c, p)
        # sum the two error terms rounded to odd, so the final addition rounds once correctly
        t, te = _two_sum(se, pe)
        odd = (te != 0) & ((np.atleast_1d(t).view(np.uint64) & np.uint64(1)) == 0) & np.isfinite(t)
        if np.any(odd):
            t = np.where(odd, np.nextafter(t, np.where(te > 0, np.inf, -np.inf)), t)
        r = s + t
        bad = ~np.isfinite(p) | ~np.isfinite(c)
        if np.any(bad):
            r = np.where(bad, p + c, r)
    return r


def _fma_acc(a, b, c, acc32):
    """``fma(a, b, c)`` in the accumulate type: float64, or float32 (for Half/BFloat16)."""
    if not acc32:
        return _fma64(a, b, c)
    r = _fma64(np.float32(a) if np.ndim(a) == 0 else np.asarray(a, np.float32),
               np.asarray(b, np.float32), np.asarray(c, np.float32))
    return r.astype(np.float32)


def _vec_ramp(n, np_dt, first, block):
    """Indices split as the vectorised loop splits them: (vector base index, lane) for the vector part."""
    vs = builtins.max(1, 32 // np.dtype(np_dt).itemsize)
    nv = (n // (2 * vs)) * (2 * vs)
    i = np.arange(nv, dtype=np.int64)
    lane = i % vs
    return nv, i - lane, lane


_GRAIN_SIZE = 32768  # at::internal::GRAIN_SIZE


def _intraop_threads():
    """The thread count ``at::parallel_for`` splits over (PyTorch's default: the physical cores)."""
    import os
    env = os.environ.get("OMP_NUM_THREADS", "")
    if env.strip().isdigit() and int(env) > 0:
        return int(env)
    try:
        avail = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        avail = os.cpu_count() or 1
    try:
        cores = set()
        phys = core = None
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("physical id"):
                    phys = line.split(":")[1].strip()
                elif line.startswith("core id"):
                    core = line.split(":")[1].strip()
                    cores.add((phys, core))
        if cores:
            return max(1, min(avail, len(cores)))
    except OSError:
        pass
    return max(1, avail)


def _chunks(n):
    """``at::parallel_for(0, n, GRAIN_SIZE)``'s per-thread ranges."""
    if n <= _GRAIN_SIZE:
        return [(0, n)]
    nt = min(_intraop_threads(), -(-n // _GRAIN_SIZE))
    size = -(-n // nt)
    return [(b, min(n, b + size)) for b in builtins.range(0, n, size)]


def _arange_float(start, step, n, np_dt):
    np_dt = np.dtype(np_dt)
    acc32 = np_dt.itemsize == 2  # Half/BFloat16 accumulate in float
    if acc32:
        start, step = float(np.float32(start)), float(np.float32(step))
    out = np.empty(n, np_dt)
    for lo, hi in _chunks(n):
        m = hi - lo
        nv, base_idx, lane = _vec_ramp(m, np_dt, start, step)
        if nv:
            base = _round_to(_fma_acc(step, (base_idx + lo).astype(np.float64), start, acc32), np_dt)
            out[lo:lo + nv] = _round_to(_fma_acc(lane.astype(np.float64), step, base.astype(np.float64), acc32), np_dt)
        if m > nv:
            out[lo + nv:hi] = _round_to(_fma_acc(step, np.arange(lo + nv, hi, dtype=np.float64), start, acc32), np_dt)
    return out


def _num(v):
    if is_tensor(v):
        return v.item()
    if isinstance(v, np.generic):
        return v.item()
    return v


def _fmt_double(v):
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return f"{v:g}"


def _trunc_int(v):
    """``Scalar::to<int64_t>()`` of a Python number (truncation toward zero)."""
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, int):
        return v
    return int(math.trunc(v))


def arange(start=0, end=None, step=1, *, out=None, dtype=None, layout=None, device=None, requires_grad=False,
           pin_memory=False):
    if end is None:
        start, end = 0, start
    vals = [_num(v) for v in (start, end, step)]
    for v in vals:
        if isinstance(v, complex):
            raise RuntimeError("value cannot be converted to type double without overflow")
        if not isinstance(v, (int, float)):
            raise TypeError(f"arange() received an invalid combination of arguments - got ({type(v).__name__})")
    start, end, step = vals
    dtype = _as_dtype(dtype, "arange")
    if dtype is None:
        dtype = D.get_default_dtype() if any(isinstance(v, float) and not isinstance(v, bool) for v in vals) \
            else D.int64
    if dtype is D.bool or dtype.is_complex:
        raise NotImplementedError(f"\"arange_cpu\" not implemented for '{_type_name(dtype)}'")
    is_int = not dtype.is_floating_point
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if dtype is D.int64:
        # int64 checks and sizes the truncated (int64) bounds
        xstart, xend, xstep = _trunc_int(start), _trunc_int(end), _trunc_int(step)
        if xstep == 0:
            raise ValueError("step must be nonzero")
    else:
        xstart, xend, xstep = float(start), float(end), float(step)
    if not (math.isfinite(float(xstart)) and math.isfinite(float(xend))):
        raise RuntimeError(f"unsupported range: {_fmt_double(float(xstart))} -> {_fmt_double(float(xend))}")
    if not ((xstep > 0 and xend >= xstart) or (xstep < 0 and xend <= xstart)):
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    if dtype is D.int64:
        sgn = (xstep > 0) - (xstep < 0)
        num = xend - xstart + xstep - sgn
        q = abs(num) // abs(xstep)
        n = q if (num >= 0) == (xstep > 0) else -q
    else:
        size_d = math.ceil((float(end) - float(start)) / float(step))
        if not (0 <= size_d <= 2 ** 63 - 1):
            raise RuntimeError("invalid size, possible overflow?")
        n = int(size_d)
    if is_int:  # values accumulate in int64 from the truncated start and step
        xstart, xstep = _trunc_int(start), _trunc_int(step)
    n = builtins.max(0, n)
    if is_int:
        arr = (np.arange(n, dtype=np.int64) * np.int64(xstep) + np.int64(xstart)).astype(dtype.np)
    else:
        arr = _arange_float(xstart, xstep, n, dtype.np)
    return _finish(arr, requires_grad, device)


def range(start=0, end=None, step=1, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    warnings.warn("torch.range is deprecated and will be removed in a future release because its behavior is "
                  "inconsistent with Python's range builtin. Instead, use torch.arange, which produces values in "
                  "[start, end).", UserWarning, stacklevel=2)
    if end is None:
        start, end = 0, start
    start, end, step = (_num(v) for v in (start, end, step))
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if not ((step > 0 and end >= start) or (step < 0 and end <= start)):
        raise RuntimeError("upper bound and larger bound inconsistent with step sign")
    n = int(math.floor((end - start) / step)) + 1
    dt = _as_dtype(dtype, "range") or D.get_default_dtype()
    if dt.is_floating_point:
        return _finish(_arange_float(float(start), float(step), n, dt.np), requires_grad, device)
    return _finish((np.arange(n, dtype=np.int64) * _trunc_int(step) + _trunc_int(start)).astype(dt.np), requires_grad,
                   device)


def _steps_arg(steps, fn):
    if is_tensor(steps):
        steps = steps.item()
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)):
        raise TypeError(f"{fn}() received an invalid combination of arguments - got steps of type "
                        f"{type(steps).__name__}, but expected int")
    steps = int(steps)
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    return steps


def _endpoint(v, which, fn):
    if is_tensor(v):
        if v.ndim != 0:
            raise RuntimeError(f"{fn} only supports 0-dimensional start and end tensors, but got {which} with "
                               f"{v.ndim} dimension(s).")
        return v.item()
    return _num(v)


def _lin_dtype(start, end, dtype, fn):
    dtype = _as_dtype(dtype, fn)
    if dtype is not None:
        return dtype
    if isinstance(start, complex) or isinstance(end, complex):
        return D.default_complex()
    return D.get_default_dtype()


def _ops(np_dt):
    """Arithmetic of one scalar type (each operation rounded to it), with fma for float/double."""
    np_dt = np.dtype(np_dt)
    if np_dt == np.float64:
        return lambda a, b, c: _fma64(a, b, c)
    if np_dt == np.float32:
        return lambda a, b, c: _fma64(np.asarray(a, np.float32), np.asarray(b, np.float32),
                                      np.asarray(c, np.float32)).astype(np.float32)
    # Half/BFloat16 (c10 ops go through float and round back) and complex: plain numpy arithmetic
    return lambda a, b, c: (np.asarray(a, np_dt) * np.asarray(b, np_dt) + np.asarray(c, np_dt)).astype(np_dt)


def _half_ops(np_dt):
    """c10::Half/BFloat16 arithmetic: every operation computed in float and rounded back."""
    def r(x):
        return np.asarray(x, np.float32).astype(np_dt)
    return r


def linspace(start, end, steps, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """PyTorch's CPU ``linspace`` kernel: from ``start`` for the first half, from ``end`` for the rest."""
    start = _endpoint(start, "start", "linspace")
    end = _endpoint(end, "end", "linspace")
    n = _steps_arg(steps, "linspace")
    dt = _lin_dtype(start, end, dtype, "linspace")
    if dt is D.bool:
        raise NotImplementedError("\"linspace_cpu\" not implemented for 'Bool'")
    _checked_scalar(start, dt, "linspace")
    _checked_scalar(end, dt, "linspace")
    tnp = dt.np
    if n == 0:
        return _finish(np.empty(0, tnp), requires_grad, device)
    idx = np.arange(n)
    half = n // 2
    lo = idx < half
    rev = n - idx - 1
    if dt.is_floating_point and tnp.itemsize == 2:  # Half/BFloat16: scalar_t arithmetic, rounded per operation
        r = _half_ops(tnp)
        s, e = r(_round_to(np.asarray(start, np.float64), tnp)), r(_round_to(np.asarray(end, np.float64), tnp))
        if n == 1:
            return _finish(np.array([s], dtype=tnp), requires_grad, device)
        f32 = np.float32
        step = r(r(f32(e) - f32(s)).astype(f32) / r(f32(n - 1)).astype(f32))
        sf, ef, stf = f32(s), f32(e), step.astype(f32)
        a = r(sf + r(stf * r(idx.astype(f32)).astype(f32)).astype(f32))
        b = r(ef - r(stf * r(rev.astype(f32)).astype(f32)).astype(f32))
        return _finish(np.where(lo, a, b).astype(tnp), requires_grad, device)
    if dt.is_floating_point:
        s, e = np.asarray(start).astype(tnp), np.asarray(end).astype(tnp)
        if n == 1:
            return _finish(np.array([s], dtype=tnp), requires_grad, device)
        step = ((e - s) / np.asarray(n - 1).astype(tnp)).astype(tnp)
        a = _fma64(step, idx.astype(tnp), s).astype(tnp)
        b = _fma64(-step, rev.astype(tnp), e).astype(tnp)
        return _finish(np.where(lo, a, b).astype(tnp), requires_grad, device)
    if dt.is_complex:
        s, e = np.asarray(start).astype(tnp), np.asarray(end).astype(tnp)
        if n == 1:
            return _finish(np.array([s], dtype=tnp), requires_grad, device)
        step = ((e - s) / np.asarray(n - 1).astype(tnp)).astype(tnp)
        vals = np.where(lo, s + step * idx.astype(tnp), e - step * rev.astype(tnp))
        return _finish(vals.astype(tnp), requires_grad, device)
    # integral types: start/end converted to the type, the step and values computed in double, truncated
    s, e = _trunc_int(start), _trunc_int(end)
    if n == 1:
        return _finish(np.array([s]).astype(tnp), requires_grad, device)
    step = (float(e) - float(s)) / (n - 1)
    vals = np.where(lo, _fma64(step, idx.astype(np.float64), float(s)), _fma64(-step, rev.astype(np.float64), float(e)))
    return _finish(np.trunc(vals).astype(np.int64).astype(tnp), requires_grad, device)


def logspace(start, end, steps, base=10.0, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    start = _endpoint(start, "start", "logspace")
    end = _endpoint(end, "end", "logspace")
    n = _steps_arg(steps, "logspace")
    dt = _lin_dtype(start, end, dtype, "logspace")
    _checked_scalar(start, dt, "logspace")
    _checked_scalar(end, dt, "logspace")
    tnp = dt.np
    if n == 0:
        return _finish(np.empty(0, tnp), requires_grad, device)
    if dt.is_floating_point or dt.is_complex:
        s, e = np.asarray(start).astype(tnp), np.asarray(end).astype(tnp)
        if n == 1:
            expo = np.array([s])
        else:
            step = ((e - s) / np.asarray(n - 1).astype(tnp)).astype(tnp)
            idx = np.arange(n)
            fma = _ops(tnp)
            expo = np.where(idx < n // 2, fma(step, idx.astype(tnp), s), fma(-step, (n - idx - 1).astype(tnp), e))
        wide = np.complex128 if dt.is_complex else np.float64
        return _finish(_round_to(np.power(np.asarray(base, wide), expo.astype(wide)), tnp), requires_grad, device)
    s, e = _trunc_int(start), _trunc_int(end)
    if n == 1:
        expo = np.array([float(s)])
    else:
        step = (float(e) - float(s)) / (n - 1)
        idx = np.arange(n)
        expo = np.where(idx < n // 2, s + step * idx, e - step * (n - idx - 1))
    return _finish(np.trunc(np.power(float(base), expo)).astype(np.int64).astype(tnp), requires_grad, device)


def eye(n, m=None, *, out=None, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False):
    if n < 0:
        raise RuntimeError(f"n must be greater or equal to 0, got {n}")
    if m is not None and m < 0:
        raise RuntimeError(f"m must be greater or equal to 0, got {m}")
    return _finish(np.eye(n, m, dtype=_np(dtype, fn="eye")), requires_grad, device)


def _tri_indices(name, row, col, offset, dtype, device, upper):
    check_cpu(device)
    dt = _as_dtype(dtype, name) or D.int64
    if dt not in (D.int64, D.int32):
        raise NotImplementedError(f"\"{name}\" not implemented for '{_type_name(dt)}'")
    if row < 0:
        raise RuntimeError(f"row must be non-negative, got{row}")
    if col < 0:
        raise RuntimeError(f"col must be non-negative, got{col}")
    r, c = (np.triu_indices if upper else np.tril_indices)(row, offset, col)
    return _wrap(np.stack([r, c]).astype(dt.np).reshape(2, -1))


def tril_indices(row, col, offset=0, *, dtype=None, device=None, layout=None):
    return _tri_indices("tril_indices", row, col, offset, dtype, device, False)


def triu_indices(row, col, offset=0, *, dtype=None, device=None, layout=None):
    return _tri_indices("triu_indices", row, col, offset, dtype, device, True)


def meshgrid(*tensors, indexing=None):
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    if not tensors:
        raise RuntimeError("meshgrid expects a non-empty TensorList")
    if indexing is None:
        warnings.warn("torch.meshgrid: in an upcoming release, it will be required to pass the indexing argument.",
                      UserWarning, stacklevel=2)
        indexing = "ij"
    if indexing not in ("ij", "xy"):
        raise RuntimeError(f"torch.meshgrid: indexing must be one of \"xy\" or \"ij\", but received: {indexing}")
    for t in tensors:
        if t.ndim > 1:
            raise RuntimeError(f"torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got: {t}")
    if any(t.dtype is not tensors[0].dtype for t in tensors):
        raise RuntimeError("meshgrid expects all tensors to have the same dtype")
    n = len(tensors)
    swap = indexing == "xy" and n >= 2
    shape = [t.numel() for t in tensors]
    if swap:
        shape[0], shape[1] = shape[1], shape[0]
    outs = []
    for i, t in enumerate(tensors):
        view = [1] * n
        j = (1 - i) if swap and i < 2 else i
        view[j] = -1
        outs.append(t.reshape(view).expand(shape))
    return tuple(outs)


def cartesian_prod(*tensors):
    grids = meshgrid(*tensors, indexing="ij")
    from .shape import stack
    if len(tensors) == 1:
        return tensors[0]
    return stack([g.reshape(-1) for g in grids], 1)


# ============================================================================ random

def _R():
    from .. import random
    return random


def _gen(generator):
    return generator if generator is not None else _R().default_generator


def _float_dtype(dtype, name):
    dt = _as_dtype(dtype, name) or D.get_default_dtype()
    if not (dt.is_floating_point or dt.is_complex):
        raise NotImplementedError(f"\"{name}\" not implemented for '{_type_name(dt)}'")
    return dt


def rand(*size, generator=None, out=None, dtype=None, layout=None, device=None, requires_grad=False,
         pin_memory=False):
    shape = _size(size, "rand")
    dt = _float_dtype(dtype, "check_uniform_bounds")
    check_cpu(device)
    return _finish(_R().uniform(_gen(generator), shape, 0.0, 1.0, dt.np), requires_grad, device)


def randn(*size, generator=None, out=None, dtype=None, layout=None, device=None, requires_grad=False,
          pin_memory=False):
    shape = _size(size, "randn")
    dt = _float_dtype(dtype, "normal_kernel_cpu")
    check_cpu(device)
    return _finish(_R().normal(_gen(generator), shape, 0.0, 1.0, dt.np), requires_grad, device)


def _int_arg(v, fn, name):
    v = _num(v)
    if isinstance(v, bool) or not isinstance(v, int):
        raise TypeError(f"{fn}(): argument '{name}' must be int, not {type(v).__name__}")
    return v


def randint(*args, size=None, generator=None, out=None, dtype=None, layout=None, device=None,
            requires_grad=False, pin_memory=False, low=None, high=None):
    """``randint(high, size)`` or ``randint(low, high, size)``; int64 unless ``dtype`` says otherwise."""
    args = list(args)
    if size is None:
        if not args or not isinstance(args[-1], (tuple, list)):
            raise TypeError("randint() received an invalid combination of arguments - missing 'size'")
        size = args.pop()
    if high is not None:
        args = ([low] if low is not None else []) + args + [high]
    elif low is not None:
        args = [low] + args
    if len(args) == 1:
        lo, hi = 0, args[0]
    elif len(args) == 2:
        lo, hi = args
    else:
        raise TypeError("randint() received an invalid combination of arguments")
    lo, hi = _int_arg(lo, "randint", "low"), _int_arg(hi, "randint", "high")
    if not isinstance(size, (tuple, list)):
        raise TypeError(f"randint(): argument 'size' must be tuple of ints, not {type(size).__name__}")
    shape = _size((tuple(size),), "randint")
    dt = _as_dtype(dtype, "randint") or D.int64
    check_cpu(device)
    return _finish(_R().randint(_gen(generator), shape, lo, hi, dt.np), requires_grad, device)


def rand_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None,
              generator=None):
    _like_input(input, "rand_like")
    return rand(tuple(input.shape), dtype=_as_dtype(dtype, "rand_like") or input.dtype, requires_grad=requires_grad,
                generator=generator, device=device)


def randn_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None,
               generator=None):
    _like_input(input, "randn_like")
    return randn(tuple(input.shape), dtype=_as_dtype(dtype, "randn_like") or input.dtype, requires_grad=requires_grad,
                 generator=generator, device=device)


def randint_like(input, low=0, high=None, *, dtype=None, layout=None, device=None, requires_grad=False,
                 memory_format=None, generator=None):
    _like_input(input, "randint_like")
    if high is None:
        low, high = 0, low
    return randint(low, high, tuple(input.shape), dtype=_as_dtype(dtype, "randint_like") or input.dtype,
                   generator=generator, requires_grad=requires_grad, device=device)


def randperm(n, *, generator=None, out=None, dtype=None, layout=None, device=None, requires_grad=False,
             pin_memory=False):
    n = _int_arg(n, "randperm", "n")
    if n < 0:
        raise RuntimeError(f"Trying to create tensor with negative dimension {n}: [{n}]")
    dt = _as_dtype(dtype, "randperm") or D.int64
    if dt is D.bool or dt.is_complex:
        raise NotImplementedError(f"\"randperm_cpu\" not implemented for '{_type_name(dt)}'")
    check_cpu(device)
    arr = _R().randperm(_gen(generator), n)
    return _finish(np.asarray(arr).astype(dt.np, copy=False), requires_grad, device)


def normal(mean=0.0, std=1.0, size=None, *, generator=None, out=None, dtype=None, layout=None, device=None,
           requires_grad=False, pin_memory=False):
    mt, st = is_tensor(mean), is_tensor(std)
    if not mt and not st:
        if size is None:
            raise TypeError("normal() received an invalid combination of arguments - got (float, float), "
                            "but expected one of: (float mean, float std, tuple of ints size, *, ...)")
        if std < 0:
            raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")
        dt = _float_dtype(dtype, "normal_kernel_cpu")
        shape = _size((size,) if isinstance(size, (tuple, list)) else (size,), "normal")
        return _finish(_R().normal(_gen(generator), shape, float(mean), float(std), dt.np), requires_grad, device)
    for t in (mean, std):
        if is_tensor(t) and not (t.dtype.is_floating_point or t.dtype.is_complex):
            raise NotImplementedError(f"\"normal_kernel_cpu\" not implemented for '{_type_name(t.dtype)}'")
    m = mean._data if mt else float(mean)
    s = std._data if st else float(std)
    if st and s.size and not bool(np.all(s >= 0)):
        raise RuntimeError("normal expects all elements of std >= 0.0")
    if not st and s < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {s:g}")
    if mt and st and m.shape != s.shape:
        np.broadcast_shapes(m.shape, s.shape)  # ValueError-free check below gives PyTorch's RuntimeError
    try:
        np.broadcast_shapes(np.shape(m), np.shape(s))
    except ValueError:
        raise RuntimeError(f"The size of tensor a ({np.shape(m)[-1]}) must match the size of tensor b "
                           f"({np.shape(s)[-1]}) at non-singleton dimension 0") from None
    return _wrap(_R().normal_tensor(_gen(generator), m, s))


def bernoulli(input, p=None, *, generator=None, out=None):
    x = input._data
    if p is not None:
        return _wrap(_R().bernoulli_scalar(_gen(generator), x.shape, float(p), x.dtype))
    return _wrap(_R().bernoulli_tensor(_gen(generator), x))


def multinomial(input, num_samples, replacement=False, *, generator=None, out=None):
    return _wrap(_R().multinomial(_gen(generator), input._data, int(num_samples), bool(replacement)))


def poisson(input, generator=None):
    g = _gen(generator)
    rng = np.random.default_rng(int(_R().randint(g, (1,), 0, 2 ** 62, np.int64)[0]))
    return _wrap(rng.poisson(input._data).astype(input._data.dtype))


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
