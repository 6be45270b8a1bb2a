"""Tensor factories: tensor/as_tensor/from_numpy, zeros/ones/full/empty, ranges, eye, random sampling."""
import builtins
import math
import numbers

import numpy as np

from .. import dtypes as D
from ..device import check_cpu
from ._util import _wrap, is_tensor


def _size(size):
    """``zeros(2, 3)``, ``zeros((2, 3))``, ``zeros([2, 3])`` and ``zeros(ember.Size)`` all mean (2, 3)."""
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = size[0]
    out = []
    for s in size:
        if is_tensor(s):
            s = s.item()
        if not isinstance(s, (int, np.integer)) or isinstance(s, bool):
            raise TypeError(f"empty(): argument 'size' (position 1) must be tuple of ints, but found element of "
                            f"type {type(s).__name__} at pos {len(out)}")
        if s < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: {list(size)}")
        out.append(int(s))
    return tuple(out)


def _finish(arr, requires_grad=False, device=None):
    check_cpu(device)
    t = _wrap(arr)
    if requires_grad:
        t.requires_grad_(True)
    return t


def _np(dtype, default=None):
    if dtype is None:
        return (default or D.get_default_dtype()).np
    if not isinstance(dtype, D.dtype):
        raise TypeError(f"dtype must be a dtype, not {type(dtype).__name__}")
    return dtype.np


# ============================================================================ from data

def _infer_np_dtype(arr, data):
    """PyTorch's dtype for data given as Python values: float -> default dtype, int -> int64, bool -> bool."""
    k = arr.dtype.kind
    if k == "f":
        return D.get_default_dtype().np if arr.dtype == np.float64 and not _has_np_float64(data) else arr.dtype
    if k == "c":
        return D.default_complex().np if arr.dtype == np.complex128 else arr.dtype
    if k in "iu":
        return np.int64 if not isinstance(data, np.ndarray) else arr.dtype
    if k == "b":
        return np.bool_
    raise TypeError(f"new(): invalid data type '{arr.dtype.name}'")


def _has_np_float64(data):
    return isinstance(data, (np.ndarray, np.float64))


def _ragged_error(data):
    """PyTorch's ValueError for sequences of unequal lengths (only walked on the error path)."""
    def walk(x, dim):
        if isinstance(x, (list, tuple)) and x:
            lens = [len(e) if isinstance(e, (list, tuple)) else None for e in x]
            first = lens[0]
            for length in lens[1:]:
                if length != first:
                    raise ValueError(f"expected sequence of length {first} at dim {dim + 1} (got {length})")
            for e in x:
                walk(e, dim + 1)
    walk(data, 0)
    raise ValueError("could not build a tensor from the given sequence")


def _to_array(data):
    if is_tensor(data):
        return data._data
    if isinstance(data, np.ndarray):
        return data
    if isinstance(data, str):
        raise TypeError("new(): invalid data type 'str'")
    if isinstance(data, (list, tuple)):
        data = [d._data if is_tensor(d) and d._data.ndim == 0 else d for d in data] if data and any(is_tensor(d) for d in data) else data
    try:
        arr = np.array(data)
    except ValueError:
        _ragged_error(data)
    if arr.dtype == object:
        if isinstance(data, (list, tuple)):
            _ragged_error(data)
        raise TypeError(f"Could not infer dtype of {type(data).__name__}")
    if arr.dtype.kind in "US":
        raise TypeError(f"new(): invalid data type 'str'")
    return arr


def tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False):
    """A new tensor copying ``data`` (nested lists, scalars, NumPy arrays or tensors)."""
    if is_tensor(data):
        import warnings
        warnings.warn("To copy construct from a tensor, it is recommended to use sourceTensor.clone().detach() or "
                      "sourceTensor.clone().detach().requires_grad_(True), rather than torch.tensor(sourceTensor).",
                      UserWarning, stacklevel=2)
    arr = _to_array(data)
    if dtype is None:
        dt = _infer_np_dtype(arr, data) if not is_tensor(data) else arr.dtype
    else:
        dt = _np(dtype)
    out = np.array(arr, dtype=dt, copy=True)
    if requires_grad and not (out.dtype.kind in "fc" or (dtype is not None and dtype.is_floating_point)):
        raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
    return _finish(out, requires_grad, device)


def as_tensor(data, dtype=None, device=None):
    """A tensor sharing memory with ``data`` when it is already a tensor/array of that dtype."""
    check_cpu(device)
    if is_tensor(data):
        if dtype is None or data.dtype is dtype:
            return data
        return data.to(dtype)
    if isinstance(data, np.ndarray):
        if dtype is None or data.dtype == dtype.np:
            return from_numpy(data)
        return _wrap(data.astype(dtype.np))
    return tensor(data, dtype=dtype)


asarray = as_tensor


def from_numpy(ndarray):
    """A tensor sharing memory with ``ndarray`` (both see each other's writes)."""
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(ndarray).__name__})")
    D.from_numpy_dtype(ndarray.dtype)  # TypeError for dtypes PyTorch cannot hold
    if not ndarray.dtype.isnative:
        raise ValueError("given numpy array has byte order different from the native byte order. Conversion "
                         "between byte orders is currently not supported.")
    if any(s < 0 for s in ndarray.strides):
        raise ValueError("At least one stride in the given numpy array is negative, and tensors with negative "
                         "strides are not currently supported. (You can probably work around this by making a "
                         "copy of your array  with array.copy().) ")
    return _wrap(ndarray)


def frombuffer(buffer, *, dtype, count=-1, offset=0, requires_grad=False):
    return _finish(np.frombuffer(buffer, dtype=dtype.np, count=count, offset=offset), requires_grad)


# ============================================================================ constant fills

def zeros(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False):
    return _finish(np.zeros(_size(size), dtype=_np(dtype)), requires_grad, device)


def ones(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False):
    return _finish(np.ones(_size(size), dtype=_np(dtype)), requires_grad, device)


def empty(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False,
          memory_format=None):
    return _finish(np.empty(_size(size), dtype=_np(dtype)), requires_grad, device)


def _fill_dtype(v):
    if isinstance(v, bool):
        return D.bool
    if isinstance(v, (int, np.integer)):
        return D.int64
    if isinstance(v, complex):
        return D.default_complex()
    return D.get_default_dtype()


def full(size, fill_value, *, out=None, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False):
    if is_tensor(fill_value):
        fill_value = fill_value.item()
    dt = dtype or _fill_dtype(fill_value)
    return _finish(np.full(_size((size,) if isinstance(size, int) else tuple(size)), fill_value, dtype=dt.np),
                   requires_grad, device)


def _like(input, dtype):
    return dtype.np if dtype is not None else input._data.dtype


def zeros_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None):
    return _finish(np.zeros(input._data.shape, dtype=_like(input, dtype)), requires_grad, device)


def ones_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None):
    return _finish(np.ones(input._data.shape, dtype=_like(input, dtype)), requires_grad, device)


def empty_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None):
    return _finish(np.empty(input._data.shape, dtype=_like(input, dtype)), requires_grad, device)


def full_like(input, fill_value, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None):
    return _finish(np.full(input._data.shape, fill_value, dtype=_like(input, dtype)), requires_grad, device)


# ============================================================================ ranges

def arange(start=0, end=None, step=1, *, out=None, dtype=None, layout=None, device=None, requires_grad=False,
           pin_memory=False):
    if end is None:
        start, end = 0, start
    vals = [v.item() if is_tensor(v) else v for v in (start, end, step)]
    start, end, step = vals
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if any(isinstance(v, float) and not math.isfinite(v) for v in vals):
        raise RuntimeError(f"unsupported range: {start} -> {end}")
    if (end - start) / step < 0 and end != start:
        raise RuntimeError("upper bound and larger bound inconsistent with step sign")
    if dtype is None:
        dtype = D.get_default_dtype() if any(isinstance(v, float) for v in vals) else D.int64
    n = builtins.max(0, math.ceil((end - start) / step))
    if dtype.is_floating_point or dtype.is_complex:
        # values are start + i * step computed in double, as PyTorch's kernel does
        arr = (np.arange(n, dtype=np.float64) * step + start).astype(dtype.np)
    else:
        arr = (np.arange(n, dtype=np.int64) * int(step) + int(start)).astype(dtype.np) if all(
            isinstance(v, (int, np.integer)) for v in vals) else np.floor(
            np.arange(n, dtype=np.float64) * step + start).astype(dtype.np)
    return _finish(arr, requires_grad, device)


def range(start=0, end=None, step=1, *, dtype=None, device=None, requires_grad=False):
    import warnings
    warnings.warn("torch.range is deprecated and will be removed in a future release because its behavior is "
                  "inconsistent with Python's range builtin. Instead, use torch.arange, which produces values in "
                  "[start, end).", UserWarning, stacklevel=2)
    n = int(math.floor((end - start) / step)) + 1
    dt = dtype or D.get_default_dtype()
    return _finish((np.arange(n, dtype=np.float64) * step + start).astype(dt.np), requires_grad, device)


def linspace(start, end, steps, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    start = start.item() if is_tensor(start) else start
    end = end.item() if is_tensor(end) else end
    dt = dtype or (D.default_complex() if isinstance(start, complex) or isinstance(end, complex) else D.get_default_dtype())
    if steps == 1:
        arr = np.array([start], dtype=np.float64)
    else:
        # symmetric from both ends, like PyTorch's kernel, so the last value is exactly ``end``
        i = np.arange(steps, dtype=np.float64)
        step = (end - start) / (steps - 1)
        half = steps // 2
        arr = np.where(i < half, start + step * i, end - step * (steps - 1 - i))
    if dt.is_floating_point or dt.is_complex:
        return _finish(arr.astype(dt.np), requires_grad, device)
    return _finish(arr.astype(dt.np), requires_grad, device)


def logspace(start, end, steps, base=10.0, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    dt = dtype or D.get_default_dtype()
    lin = linspace(start, end, steps, dtype=D.float64)._data
    return _finish(np.power(base, lin).astype(dt.np), requires_grad, device)


def eye(n, m=None, *, out=None, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False):
    if n < 0:
        raise RuntimeError(f"n must be greater or equal to 0, got {n}")
    if m is not None and m < 0:
        raise RuntimeError(f"m must be greater or equal to 0, got {m}")
    return _finish(np.eye(n, m, dtype=_np(dtype)), requires_grad, device)


def tril_indices(row, col, offset=0, *, dtype=None, device=None):
    r, c = np.tril_indices(row, offset, col)
    return _wrap(np.stack([r, c]).astype((dtype or D.int64).np))


def triu_indices(row, col, offset=0, *, dtype=None, device=None):
    r, c = np.triu_indices(row, offset, col)
    return _wrap(np.stack([r, c]).astype((dtype or D.int64).np))


def meshgrid(*tensors, indexing=None):
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    if indexing is None:
        import warnings
        warnings.warn("torch.meshgrid: in an upcoming release, it will be required to pass the indexing argument.",
                      UserWarning, stacklevel=2)
        indexing = "ij"
    n = len(tensors)
    shape = [t.numel() for t in tensors]
    if indexing == "xy" and n >= 2:
        shape[0], shape[1] = shape[1], shape[0]
    outs = []
    for i, t in enumerate(tensors):
        view = [1] * n
        j = i
        if indexing == "xy" and n >= 2 and i < 2:
            j = 1 - i
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
    dt = dtype or D.get_default_dtype()
    if not (dt.is_floating_point or dt.is_complex):
        raise RuntimeError(f'"{name}" not implemented for \'{_type_name(dt)}\'')
    return dt


def _type_name(dt):
    from .elementwise import _TYPE_NAMES
    return _TYPE_NAMES.get(dt.name, dt.name)


def rand(*size, generator=None, out=None, dtype=None, layout=None, device=None, requires_grad=False,
         pin_memory=False):
    dt = _float_dtype(dtype, "check_uniform_bounds")
    return _finish(_R().uniform(_gen(generator), _size(size), 0.0, 1.0, dt.np), requires_grad, device)


def randn(*size, generator=None, out=None, dtype=None, layout=None, device=None, requires_grad=False,
          pin_memory=False):
    dt = _float_dtype(dtype, "normal_kernel_cpu")
    return _finish(_R().normal(_gen(generator), _size(size), 0.0, 1.0, dt.np), requires_grad, device)


def randint(*args, size=None, generator=None, out=None, dtype=None, layout=None, device=None,
            requires_grad=False, pin_memory=False):
    """``randint(high, size)`` or ``randint(low, high, size)``; int64 unless ``dtype`` says otherwise."""
    args = list(args)
    if size is None:
        if not args or not isinstance(args[-1], (tuple, list)):
            raise TypeError("randint() received an invalid combination of arguments - missing 'size'")
        size = args.pop()
    if len(args) == 1:
        low, high = 0, args[0]
    elif len(args) == 2:
        low, high = args
    else:
        raise TypeError("randint() received an invalid combination of arguments")
    dt = dtype or D.int64
    return _finish(_R().randint(_gen(generator), _size((size,) if isinstance(size, int) else tuple(size)), int(low),
                             int(high), dt.np), requires_grad, device)


def rand_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None,
              generator=None):
    return rand(input.shape, dtype=dtype or input.dtype, requires_grad=requires_grad, generator=generator)


def randn_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None,
               generator=None):
    return randn(input.shape, dtype=dtype or input.dtype, requires_grad=requires_grad, generator=generator)


def randint_like(input, low=0, high=None, *, dtype=None, layout=None, device=None, requires_grad=False,
                 memory_format=None, generator=None):
    if high is None:
        low, high = 0, low
    return randint(low, high, tuple(input.shape), dtype=dtype or input.dtype, generator=generator)


def randperm(n, *, generator=None, out=None, dtype=None, layout=None, device=None, requires_grad=False,
             pin_memory=False):
    if n < 0:
        raise RuntimeError(f"n must be non-negative, got{n}")
    arr = _R().randperm(_gen(generator), int(n))
    return _finish(arr.astype((dtype or D.int64).np, copy=False), requires_grad, device)


def normal(mean=0.0, std=1.0, size=None, *, generator=None, out=None, dtype=None, layout=None, device=None,
           requires_grad=False, pin_memory=False):
    g = _gen(generator)
    mt, st = is_tensor(mean), is_tensor(std)
    if not mt and not st:
        if size is None:
            raise TypeError("normal() received an invalid combination of arguments - got (float, float), "
                            "but expected one of: (float mean, float std, tuple of ints size, *, ...)")
        if std < 0:
            raise RuntimeError(f"normal expects std >= 0.0, but found std {std}")
        dt = dtype or D.get_default_dtype()
        return _finish(_R().normal(g, _size((size,) if isinstance(size, int) else tuple(size)), float(mean), float(std),
                                dt.np), requires_grad, device)
    m = mean._data if mt else np.asarray(mean)
    s = std._data if st else np.asarray(std)
    if (s < 0).any():
        raise RuntimeError("normal expects all elements of std >= 0.0")
    dt = (mean if mt else std)._data.dtype
    shape = np.broadcast_shapes(m.shape, s.shape) if mt and st else (m.shape if mt else s.shape)
    z = _R().normal(g, shape, 0.0, 1.0, dt)
    return _wrap((z * s + m).astype(dt, copy=False))


def bernoulli(input, p=None, *, generator=None, out=None):
    g = _gen(generator)
    x = input._data
    if p is not None:
        return _wrap(_R().bernoulli_scalar(g, x.shape, float(p), x.dtype))
    if x.size and ((x < 0).any() or (x > 1).any()):
        raise RuntimeError("Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this error message "
                           "be improved?  If so, please report an enhancement request to PyTorch.)")
    return _wrap(_R().bernoulli_tensor(g, x, x.dtype))


def multinomial(input, num_samples, replacement=False, *, generator=None, out=None):
    x = input._data
    if x.ndim not in (1, 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if x.dtype.kind != "f":
        raise RuntimeError(f"multinomial only supports floating-point dtypes for input, got: {_type_name(D.from_numpy_dtype(x.dtype))}")
    probs = x if x.ndim == 2 else x[None]
    r = _R().multinomial(_gen(generator), probs, int(num_samples), bool(replacement))
    return _wrap(r if x.ndim == 2 else r[0])


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


def _legacy_new(dtype, args, device=None):
    """``torch.FloatTensor(data)`` / ``torch.FloatTensor(2, 3)`` / ``torch.Tensor(...)``: data or sizes."""
    check_cpu(device)
    if not args:
        return _wrap(np.empty((0,), dtype=dtype.np))
    if len(args) == 1 and not isinstance(args[0], (int, np.integer)) and not (
            isinstance(args[0], tuple) and type(args[0]).__name__ == "Size"):
        data = args[0]
        if is_tensor(data):
            if data.dtype is not dtype:
                raise TypeError(f"expected {dtype} (got {data.dtype})")
            return data
        arr = _to_array(data)
        return _wrap(np.array(arr, dtype=dtype.np, copy=True))
    return _wrap(np.empty(_size(args), dtype=dtype.np))
