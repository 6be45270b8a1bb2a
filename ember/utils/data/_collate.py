"""``default_collate`` / ``default_convert``: samples -> batches, dispatched on the element type through a table.

``collate(batch, collate_fn_map=...)`` and ``default_collate_fn_map`` are PyTorch's extension point: map a
type (or tuple of types) to ``fn(batch, *, collate_fn_map)``. Inside a worker, arrays are stacked straight
into the batch's shared-memory slot (see NOTE [ batch slots ] in _shm.py).
"""
import collections.abc
import copy
import re

import numpy as np

from ...autograd.function import _wrap
from ...tensor import Tensor
from . import _shm

__all__ = ["collate", "default_collate", "default_convert", "default_collate_fn_map", "collate_tensor_fn",
           "collate_numpy_array_fn", "collate_numpy_scalar_fn", "collate_float_fn", "collate_int_fn",
           "collate_str_fn"]

np_str_obj_array_pattern = re.compile(r"[SaUO]")

default_collate_err_msg_format = ("default_collate: batch must contain tensors, numpy arrays, numbers, dicts or "
                                  "lists; found {}")


def _stack(arrays):
    """np.stack of same-shape, same-dtype arrays, into the worker's shared slot when there is one."""
    a0 = arrays[0]
    shape = (len(arrays),) + a0.shape
    out = _shm.alloc(shape, a0.dtype)
    if out is None:
        out = np.empty(shape, a0.dtype)
    if a0.ndim == 0:
        out[...] = arrays
    else:
        # same-shape blocks laid end to end along axis 0 are the stacked layout; no per-array expand_dims
        np.concatenate(arrays, out=out.reshape((-1,) + a0.shape[1:]), casting="no")
    return out


def _uniform(arrays):
    return len({a.shape for a in arrays}) == 1 and len({a.dtype for a in arrays}) == 1


def collate_tensor_fn(batch, *, collate_fn_map=None):
    from ...ops.shape import stack
    arrays = [t._data for t in batch]
    # the fast path needs no autograd, no promotion and no size error: torch.stack handles those
    if any(t._requires_grad for t in batch) or not _uniform(arrays):
        return stack(batch, 0)
    return _wrap(_stack(arrays))


def collate_numpy_array_fn(batch, *, collate_fn_map=None):
    elem = batch[0]
    if np_str_obj_array_pattern.search(elem.dtype.str) is not None:
        raise TypeError(default_collate_err_msg_format.format(elem.dtype))
    if not _uniform(batch):
        from ...ops.creation import as_tensor
        return collate([as_tensor(b) for b in batch], collate_fn_map=collate_fn_map)
    from ... import dtypes
    dtypes.from_numpy_dtype(elem.dtype)  # TypeError for dtypes a tensor cannot hold
    return _wrap(_stack(batch))


def collate_numpy_scalar_fn(batch, *, collate_fn_map=None):
    from ...ops.creation import as_tensor
    return as_tensor(np.array(batch))


def collate_float_fn(batch, *, collate_fn_map=None):
    return _wrap(np.array(batch, dtype=np.float64))


def collate_int_fn(batch, *, collate_fn_map=None):
    from ...ops.creation import tensor
    return tensor(batch)


def collate_str_fn(batch, *, collate_fn_map=None):
    return batch


def collate(batch, *, collate_fn_map=None):
    """Collate a list of samples, looking element types up in ``collate_fn_map`` (exact type, then isinstance)."""
    elem = batch[0]
    elem_type = type(elem)
    if collate_fn_map is not None:
        fn = collate_fn_map.get(elem_type)
        if fn is not None:
            return fn(batch, collate_fn_map=collate_fn_map)
        for collate_type in collate_fn_map:
            if isinstance(elem, collate_type):
                return collate_fn_map[collate_type](batch, collate_fn_map=collate_fn_map)

    if isinstance(elem, collections.abc.Mapping):
        try:
            if isinstance(elem, collections.abc.MutableMapping):
                # a shallow copy keeps the mapping's class and any extra attributes
                clone = copy.copy(elem)
                clone.update({key: collate([d[key] for d in batch], collate_fn_map=collate_fn_map) for key in elem})
                return clone
            return elem_type({key: collate([d[key] for d in batch], collate_fn_map=collate_fn_map)
                              for key in elem})
        except TypeError:
            return {key: collate([d[key] for d in batch], collate_fn_map=collate_fn_map) for key in elem}
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):  # namedtuple
        return elem_type(*(collate(samples, collate_fn_map=collate_fn_map) for samples in zip(*batch)))
    if isinstance(elem, collections.abc.Sequence):
        it = iter(batch)
        elem_size = len(next(it))
        if not all(len(e) == elem_size for e in it):
            raise RuntimeError("each element in list of batch should be of equal size")
        transposed = list(zip(*batch))
        if isinstance(elem, tuple):
            return [collate(samples, collate_fn_map=collate_fn_map) for samples in transposed]
        try:
            if isinstance(elem, collections.abc.MutableSequence):
                clone = copy.copy(elem)
                for i, samples in enumerate(transposed):
                    clone[i] = collate(samples, collate_fn_map=collate_fn_map)
                return clone
            return elem_type([collate(samples, collate_fn_map=collate_fn_map) for samples in transposed])
        except TypeError:
            return [collate(samples, collate_fn_map=collate_fn_map) for samples in transposed]
    raise TypeError(default_collate_err_msg_format.format(elem_type))


default_collate_fn_map = {Tensor: collate_tensor_fn}
default_collate_fn_map[np.ndarray] = collate_numpy_array_fn
default_collate_fn_map[(np.bool_, np.number, np.object_)] = collate_numpy_scalar_fn
default_collate_fn_map[float] = collate_float_fn
default_collate_fn_map[int] = collate_int_fn
default_collate_fn_map[str] = collate_str_fn
default_collate_fn_map[bytes] = collate_str_fn


def default_collate(batch):
    """Stack a list of samples into a batch: tensors/arrays -> stacked tensor, numbers -> tensor, containers kept.

    ints become int64, floats float64, bools bool; strings and bytes stay lists; dicts, namedtuples and
    sequences are collated field by field (tuples become lists, as in PyTorch).
    """
    return collate(batch, collate_fn_map=default_collate_fn_map)


def default_convert(data):
    """Turn NumPy arrays/scalars into tensors, recursing into containers (the collate_fn without batching)."""
    from ...ops.creation import as_tensor
    elem_type = type(data)
    if isinstance(data, Tensor):
        return data
    if elem_type.__module__ == "numpy" and elem_type.__name__ not in ("str_", "string_", "bytes_"):
        if elem_type.__name__ == "ndarray" and np_str_obj_array_pattern.search(data.dtype.str) is not None:
            return data
        return as_tensor(data)
    if isinstance(data, collections.abc.Mapping):
        try:
            if isinstance(data, collections.abc.MutableMapping):
                clone = copy.copy(data)
                clone.update({key: default_convert(data[key]) for key in data})
                return clone
            return elem_type({key: default_convert(data[key]) for key in data})
        except TypeError:
            return {key: default_convert(data[key]) for key in data}
    if isinstance(data, tuple) and hasattr(data, "_fields"):  # namedtuple
        return elem_type(*(default_convert(d) for d in data))
    if isinstance(data, tuple):
        return [default_convert(d) for d in data]
    if isinstance(data, collections.abc.Sequence) and not isinstance(data, (str, bytes)):
        try:
            if isinstance(data, collections.abc.MutableSequence):
                clone = copy.copy(data)
                for i, d in enumerate(data):
                    clone[i] = default_convert(d)
                return clone
            return elem_type([default_convert(d) for d in data])
        except TypeError:
            return [default_convert(d) for d in data]
    return data
