"""Copying movement ops: cat, stack, repeat, tile, flip, roll, clone, contiguous."""
import builtins

import numpy as np

from ._util import _wrap, is_tensor, norm_dim, norm_dims, result_np_dtype
from .elementwise import Op
from .shape import _shape_arg, reshape, unsqueeze


# ============================================================================ copies

def _concat_np(arrs, dim, dt, stack=False):
    """Concatenate/stack into a fresh C-contiguous array of dtype ``dt`` (PyTorch's cat output layout)."""
    shape = list(arrs[0].shape)
    if stack:
        shape.insert(dim, len(arrs))
    else:
        shape[dim] = builtins.sum(x.shape[dim] for x in arrs)
    out = np.empty(shape, dt)
    (np.stack if stack else np.concatenate)(arrs, axis=dim, out=out, casting="unsafe")
    return out


class Cat(Op):
    node_name = "CatBackward0"
    saves = False

    @staticmethod
    def forward(ctx, *tensors, dim, dtype, skip):
        ctx.dim = dim
        ctx.skip = skip
        arrs = [t._data for t, s in zip(tensors, skip) if not s]
        ctx.sizes = [0 if s else t._data.shape[dim] for t, s in zip(tensors, skip)]
        if not arrs:
            return np.empty((0,), dtype)
        return _concat_np(arrs, dim, dtype)

    @staticmethod
    def backward(ctx, g):
        out = []
        start = 0
        for s, skipped in zip(ctx.sizes, ctx.skip):
            if skipped:
                out.append(_wrap(np.zeros((0,), g._data.dtype)))
            else:
                out.append(g.narrow(ctx.dim, start, s))
                start += s
        return tuple(out)


def cat(tensors, dim=0, *, out=None):
    if is_tensor(tensors):
        raise TypeError("cat(): argument 'tensors' (position 1) must be tuple of Tensors, not Tensor")
    tensors = list(tensors)
    if not tensors:
        raise ValueError("torch.cat(): expected a non-empty list of Tensors")
    for i, t in enumerate(tensors):
        if not is_tensor(t):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got {type(t).__name__}")
    for i, t in enumerate(tensors):
        if t._data.ndim == 0:
            raise RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be concatenated")
    # legacy: 1-D empty tensors are skipped (they still take part in dtype promotion)
    skip = tuple(t._data.shape == (0,) for t in tensors)
    ref = next((t._data for t, s in zip(tensors, skip) if not s), None)
    d = 0
    if ref is not None:
        d = norm_dim(dim, ref.ndim)
        for i, (t, s) in enumerate(zip(tensors, skip)):
            if s:
                continue
            x = t._data
            if x.ndim != ref.ndim:
                raise RuntimeError(f"Tensors must have same number of dimensions: got {ref.ndim} and {x.ndim}")
            for k in range(ref.ndim):
                if k != d and x.shape[k] != ref.shape[k]:
                    raise RuntimeError(f"Sizes of tensors must match except in dimension {d}. Expected size "
                                       f"{ref.shape[k]} but got size {x.shape[k]} for tensor number {i} in the list.")
    dt = result_np_dtype(*tensors)
    res = Cat.apply(*tensors, dim=d, dtype=dt, skip=skip)
    if out is not None:
        from .elementwise import _out
        return _out(res, out)
    return res


concat = concatenate = cat


class Stack(Op):
    node_name = "StackBackward0"
    saves = False

    @staticmethod
    def forward(ctx, *tensors, dim, dtype):
        ctx.dim = dim
        return _concat_np([t._data for t in tensors], dim, dtype, stack=True)

    @staticmethod
    def backward(ctx, g):
        return g.unbind(ctx.dim)


def stack(tensors, dim=0, *, out=None):
    tensors = list(tensors)
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    shp = tensors[0]._data.shape
    for i, t in enumerate(tensors):
        if t._data.shape != shp:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got {list(shp)} at entry 0 and "
                               f"{list(t._data.shape)} at entry {i}")
    d = norm_dim(dim, len(shp) + 1)
    res = Stack.apply(*tensors, dim=d, dtype=result_np_dtype(*tensors))
    if out is not None:
        from .elementwise import _out
        return _out(res, out)
    return res


def _nonempty(tensors, name):
    tensors = list(tensors)
    if not tensors:
        raise RuntimeError(f"{name} expects a non-empty TensorList")
    return tensors


def hstack(tensors, *, out=None):
    tensors = [atleast_1d(t) for t in _nonempty(tensors, "hstack")]
    return cat(tensors, 0 if tensors[0].ndim == 1 else 1, out=out)


def vstack(tensors, *, out=None):
    return cat([atleast_2d(t) for t in _nonempty(tensors, "vstack")], 0, out=out)


row_stack = vstack


def dstack(tensors, *, out=None):
    return cat([atleast_3d(t) for t in _nonempty(tensors, "dstack")], 2, out=out)


def column_stack(tensors, *, out=None):
    tensors = _nonempty(tensors, "column_stack")
    return hstack([reshape(t, (t._data.size, 1)) if t._data.ndim <= 1 else t for t in tensors], out=out)


def _atleast(fn, tensors):
    if len(tensors) == 1:
        if is_tensor(tensors[0]):
            return fn(tensors[0])
        tensors = tensors[0]
    return tuple(fn(t) for t in tensors)


def _at1(t):
    return reshape(t, (1,)) if t._data.ndim == 0 else t


def _at2(t):
    n = t._data.ndim
    return reshape(t, (1, 1)) if n == 0 else unsqueeze(t, 0) if n == 1 else t


def _at3(t):
    n = t._data.ndim
    if n == 0:
        return reshape(t, (1, 1, 1))
    if n == 1:
        return unsqueeze(unsqueeze(t, 0), -1)
    return unsqueeze(t, -1) if n == 2 else t


def atleast_1d(*tensors):
    return _atleast(_at1, tensors)


def atleast_2d(*tensors):
    return _atleast(_at2, tensors)


def atleast_3d(*tensors):
    return _atleast(_at3, tensors)


class Repeat(Op):
    node_name = "RepeatBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, repeats):
        x = a._data
        shp = (1,) * (len(repeats) - x.ndim) + x.shape
        ctx.shape, ctx.repeats = x.shape, repeats
        out = np.empty(tuple(r * s for r, s in zip(repeats, shp)), x.dtype)
        # out viewed as (r0, s0, r1, s1, ...): every repeat block receives x
        inter, src = [], []
        for r, s in zip(repeats, shp):
            inter += [r, s]
            src += [1, s]
        out.reshape(inter)[...] = x.reshape(src)
        return out

    @staticmethod
    def backward(ctx, g):
        shp = (1,) * (len(ctx.repeats) - len(ctx.shape)) + tuple(ctx.shape)
        inter = []
        for r, s in zip(ctx.repeats, shp):
            inter += [r, s]
        # view each repeated axis as (repeat, size) and sum the repeats
        return g.reshape(inter).sum(tuple(range(0, len(inter), 2))).reshape(ctx.shape)


def repeat(a, *repeats):
    repeats = _shape_arg(repeats, "repeat", "repeats")
    x = a._data
    if len(repeats) < x.ndim:
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor")
    shp = (1,) * (len(repeats) - x.ndim) + x.shape
    target = [r * s for r, s in zip(repeats, shp)]
    if builtins.any(r < 0 for r in repeats):
        bad = next(v for v in target if v < 0) if builtins.any(v < 0 for v in target) else -1
        raise RuntimeError(f"Trying to create tensor with negative dimension {bad}: {target}")
    return Repeat.apply(a, repeats=repeats)


def tile(a, dims):
    dims = tuple(dims)
    if len(dims) < a._data.ndim:
        dims = (1,) * (a._data.ndim - len(dims)) + dims
    return repeat(a, dims)


class Flip(Op):
    node_name = "FlipBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, dims):
        ctx.dims = dims
        # order='K' keeps the input's memory layout, as PyTorch's empty_like(preserve_format) does
        return np.flip(a._data, dims).copy(order="K")

    @staticmethod
    def backward(ctx, g):
        return g.flip(ctx.dims)


def flip(a, *dims):
    dims = _shape_arg(dims, "flip", "dims")
    return Flip.apply(a, dims=norm_dims(dims, a._data.ndim))


def fliplr(a):
    if a._data.ndim < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return flip(a, 1)


def flipud(a):
    if a._data.ndim < 1:
        raise RuntimeError("Input must be >= 1-d.")
    return flip(a, 0)


class Roll(Op):
    node_name = "RollBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, shifts, dims):
        ctx.shifts, ctx.dims = shifts, dims
        x = a._data
        if dims is None:
            return np.roll(x.reshape(-1), shifts).reshape(x.shape)
        return np.ascontiguousarray(np.roll(x, shifts, dims))

    @staticmethod
    def backward(ctx, g):
        s = ctx.shifts
        return g.roll(-s if isinstance(s, int) else tuple(-x for x in s), ctx.dims)


def roll(a, shifts, dims=None):
    if dims is not None:
        dims = (dims,) if isinstance(dims, (int, np.integer)) else tuple(dims)
        shifts = (shifts,) if isinstance(shifts, (int, np.integer)) else tuple(shifts)
        if len(dims) != len(shifts):
            raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, dims:{len(dims)}")
        dims = tuple(norm_dim(d, a._data.ndim) for d in dims)
        shifts = tuple(int(s) for s in shifts)
    elif not isinstance(shifts, (int, np.integer)):
        shifts = tuple(shifts)
        if len(shifts) != 1:
            raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, dims:0")
        shifts = int(shifts[0])
    else:
        shifts = int(shifts)
    return Roll.apply(a, shifts=shifts, dims=dims)


class Clone(Op):
    node_name = "CloneBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, memory_format=None):
        from .._layout import empty_in_format
        out = empty_in_format(a._data, a._data.dtype, memory_format)
        np.copyto(out, a._data)
        return out

    @staticmethod
    def backward(ctx, g):
        return g


def clone(a, *, memory_format=None):
    return Clone.apply(a, memory_format=memory_format)


def contiguous(a, memory_format=None):
    from .._layout import contiguous_format, is_in_format
    fmt = contiguous_format if memory_format is None else memory_format
    if is_in_format(a._data, fmt):
        return a
    return Clone.apply(a, memory_format=fmt)


def repeat_interleave(input, repeats=None, dim=None, *, output_size=None):
    """Each element (slice along ``dim``) repeated; ``repeat_interleave(repeats)`` gives the index form."""
    from .creation import tensor as _tensor
    if repeats is None:  # torch.repeat_interleave(repeats): arange(len(repeats)) repeated
        r = input._data
        if r.ndim > 1 or r.dtype.kind not in "iu":
            raise RuntimeError("repeat_interleave only accept 1D vector as repeat")
        if (r < 0).any():
            raise RuntimeError("repeats can not be negative")
        return _wrap(np.repeat(np.arange(r.size, dtype=np.int64), r.reshape(-1)))
    x = input.flatten() if dim is None else input
    d = 0 if dim is None else norm_dim(dim, max(x._data.ndim, 1))
    if x._data.ndim == 0:
        x = x.reshape(1)
    size = x._data.shape[d]
    if not is_tensor(repeats):
        if repeats < 0:
            raise RuntimeError("repeats can not be negative")
        shp = list(x._data.shape)
        e = unsqueeze(x, d + 1).expand(*shp[:d + 1], int(repeats), *shp[d + 1:])
        return e.contiguous().flatten(d, d + 1)
    r = repeats._data
    if r.dtype.kind not in "iu":
        raise RuntimeError("repeats has to be Long tensor")
    if r.ndim > 1:
        raise RuntimeError("repeats must be 0-dim or 1-dim tensor")
    if r.ndim == 0 or r.size == 1:
        r = np.full(size, int(r.reshape(-1)[0]), np.int64)
    if r.size != size:
        raise RuntimeError("repeats must have the same size as input along dim")
    if (r < 0).any():
        raise RuntimeError("repeats can not be negative")
    return x.index_select(d, _tensor(np.repeat(np.arange(size, dtype=np.int64), r)))
