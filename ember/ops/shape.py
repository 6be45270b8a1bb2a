"""Movement ops: views (share memory exactly when PyTorch's do) and copies (cat, stack, repeat, flip ...).

NOTE [ view semantics ]: NumPy views share memory, so a view op only has to
return a NumPy view and record the root tensor in ``_base``; in-place ops bump
the root's version counter, which every view reads.
"""
import builtins
import math

import numpy as np

from ._util import _wrap, is_tensor, norm_dim, norm_dims
from .elementwise import Op


def _as_view(out, a):
    """Mark ``out`` as a view of ``a`` (sharing its root's version counter)."""
    b = a._base
    out._base = b if b is not None else a
    return out


def _shape_arg(shape):
    """``view(2, 3)``, ``view((2, 3))``, ``view([2, 3])`` and ``view(ember.Size)`` all mean (2, 3)."""
    if len(shape) == 1 and not isinstance(shape[0], (int, np.integer)):
        shape = shape[0]
    try:
        return tuple(int(s) for s in shape)
    except TypeError:
        raise TypeError(f"view(): argument 'size' must be tuple of ints, but found element of type "
                        f"{type([s for s in shape if not isinstance(s, (int, np.integer))][0]).__name__}") from None


def infer_shape(shape, numel):
    """Resolve one -1 in ``shape``; PyTorch's RuntimeErrors for bad sizes."""
    neg = [i for i, s in enumerate(shape) if s == -1]
    if len(neg) > 1:
        raise RuntimeError("only one dimension can be inferred")
    for s in shape:
        if s < -1:
            raise RuntimeError(f"invalid shape dimension {s}")
    if neg:
        known = math.prod(s for s in shape if s != -1)
        if known == 0 or numel % known:
            raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
        shape = tuple(numel // known if s == -1 else s for s in shape)
    elif math.prod(shape) != numel:
        raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
    return shape


class View(Op):
    node_name = "ViewBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, shape):
        x = a._data
        ctx.shape = x.shape
        shape = infer_shape(shape, x.size)
        try:
            return np.reshape(x, shape, copy=False)
        except ValueError:
            raise RuntimeError("view size is not compatible with input tensor's size and stride (at least one "
                               "dimension spans across two contiguous subspaces). Use .reshape(...) instead.") from None

    @staticmethod
    def backward(ctx, g):
        return g.reshape(ctx.shape)


class Reshape(Op):
    """reshape of a tensor that cannot be viewed: a copy (PyTorch's UnsafeViewBackward0 over a clone)."""
    node_name = "UnsafeViewBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, shape):
        x = a._data
        ctx.shape = x.shape
        return np.reshape(x, infer_shape(shape, x.size), copy=True)

    backward = View.backward


def view(a, *shape):
    if len(shape) == 1 and hasattr(shape[0], "is_floating_point") and not isinstance(shape[0], (int, tuple, list)):
        from .creation import view_dtype
        return view_dtype(a, shape[0])
    return _as_view(View.apply(a, shape=_shape_arg(shape)), a)


def reshape(a, *shape):
    shape = _shape_arg(shape)
    x = a._data
    s = infer_shape(shape, x.size)
    try:
        np.reshape(x, s, copy=False)
    except ValueError:
        return Reshape.apply(a, shape=s)
    return _as_view(View.apply(a, shape=s), a)


def view_as(a, other):
    return view(a, other.shape)


def reshape_as(a, other):
    return reshape(a, other.shape)


def flatten(a, start_dim=0, end_dim=-1):
    n = a._data.ndim
    if n == 0:
        return reshape(a, (1,))
    s, e = norm_dim(start_dim, n), norm_dim(end_dim, n)
    if s > e:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if s == e:
        return a
    shp = a._data.shape
    return reshape(a, shp[:s] + (math.prod(shp[s:e + 1]),) + shp[e + 1:])


def unflatten(a, dim, sizes):
    shp = a._data.shape
    d = norm_dim(dim, len(shp))
    sizes = tuple(sizes)
    if len(sizes) == 0:
        raise RuntimeError("unflatten: sizes must be non-empty")
    sizes = infer_shape(sizes, shp[d]) if -1 in sizes else sizes
    if math.prod(sizes) != shp[d]:
        raise RuntimeError(f"unflatten: Provided sizes {list(sizes)} don't multiply up to the size of dim {dim} "
                           f"({shp[d]}) in the input tensor")
    return view(a, shp[:d] + sizes + shp[d + 1:])


class Transpose(Op):
    node_name = "TransposeBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, dim0, dim1):
        x = a._data
        ctx.d = (dim0, dim1)
        return np.swapaxes(x, dim0, dim1)

    @staticmethod
    def backward(ctx, g):
        return g.transpose(*ctx.d)


class T_(Transpose):
    node_name = "TBackward0"


def transpose(a, dim0, dim1):
    n = a._data.ndim
    d0, d1 = norm_dim(dim0, n), norm_dim(dim1, n)
    if n == 0:
        return _as_view(View.apply(a, shape=()), a)
    return _as_view(Transpose.apply(a, dim0=d0, dim1=d1), a)


swapaxes = swapdims = transpose


def t(a):
    n = a._data.ndim
    if n > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {n}D")
    if n < 2:
        return _as_view(View.apply(a, shape=a._data.shape), a)
    return _as_view(T_.apply(a, dim0=0, dim1=1), a)


class Permute(Op):
    node_name = "PermuteBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, dims):
        ctx.dims = dims
        return np.transpose(a._data, dims)

    @staticmethod
    def backward(ctx, g):
        return g.permute(tuple(np.argsort(ctx.dims).tolist()))


def permute(a, *dims):
    dims = _shape_arg(dims)
    n = a._data.ndim
    if len(dims) != n:
        raise RuntimeError(f"permute(sparse_coo): number of dimensions in the tensor input does not match the length "
                           f"of the desired ordering of dimensions i.e. input.dim() = {n} is not equal to "
                           f"len(dims) = {len(dims)}")
    dims = norm_dims(dims, n)
    return _as_view(Permute.apply(a, dims=dims), a)


def T(a):
    n = a._data.ndim
    if n != 2 and n != 0:
        import warnings
        warnings.warn("The use of `x.T` on tensors of dimension other than 2 to reverse their shape is deprecated "
                      "and it will throw an error in a future release. Consider `x.mT` to transpose batches of "
                      "matrices or `x.permute(*torch.arange(x.ndim - 1, -1, -1))` to reverse the dimensions of a "
                      "tensor.", UserWarning, stacklevel=3)
    return permute(a, tuple(range(n - 1, -1, -1)))


def mT(a):
    if a._data.ndim < 2:
        raise RuntimeError("tensor.mT is only supported on matrices or batches of matrices. Got 1-D tensor."
                           if a._data.ndim == 1 else
                           "tensor.mT is only supported on matrices or batches of matrices. Got 0-D tensor.")
    return transpose(a, -2, -1)


def movedim(a, source, destination):
    n = a._data.ndim
    src = (source,) if isinstance(source, int) else tuple(source)
    dst = (destination,) if isinstance(destination, int) else tuple(destination)
    if len(src) != len(dst):
        raise RuntimeError(f"movedim: Invalid source or destination dims: source ({list(src)} dims) should contain "
                           f"the same number of dims as destination ({list(dst)} dims)")
    src = [norm_dim(s, n) for s in src]
    dst = [norm_dim(d, n) for d in dst]
    order = [i for i in range(n) if i not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return permute(a, tuple(order))


moveaxis = movedim


class Squeeze(Op):
    node_name = "SqueezeBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, dims=None):
        x = a._data
        ctx.shape = x.shape
        if dims is None:
            return np.reshape(x, tuple(s for s in x.shape if s != 1))
        return np.reshape(x, tuple(s for i, s in enumerate(x.shape) if not (i in dims and s == 1)))

    @staticmethod
    def backward(ctx, g):
        return g.reshape(ctx.shape)


class SqueezeDim(Squeeze):
    node_name = "SqueezeBackward1"


class SqueezeDims(Squeeze):
    node_name = "SqueezeBackward2"


def squeeze(a, dim=None):
    n = a._data.ndim
    if dim is None:
        return _as_view(Squeeze.apply(a), a)
    if isinstance(dim, (tuple, list)):
        return _as_view(SqueezeDims.apply(a, dims=norm_dims(dim, n)), a)
    return _as_view(SqueezeDim.apply(a, dims=(norm_dim(dim, n),)), a)


class Unsqueeze(Op):
    node_name = "UnsqueezeBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, dim):
        ctx.dim = dim
        return np.expand_dims(a._data, dim)

    @staticmethod
    def backward(ctx, g):
        return g.squeeze(ctx.dim)


def unsqueeze(a, dim):
    return _as_view(Unsqueeze.apply(a, dim=norm_dim(dim, a._data.ndim + 1)), a)


class Expand(Op):
    node_name = "ExpandBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, shape):
        x = a._data
        ctx.shape = x.shape
        return np.broadcast_to(x, shape)

    @staticmethod
    def backward(ctx, g):
        return g  # the engine sums the broadcast grad back to the input's shape


def expand(a, *sizes):
    sizes = _shape_arg(sizes)
    shp = a._data.shape
    if len(sizes) < len(shp):
        raise RuntimeError(f"expand(torch.FloatTensor{{{list(shp)}}}, size={list(sizes)}): the number of sizes provided "
                           f"({len(sizes)}) must be greater or equal to the number of dimensions in the tensor ({len(shp)})")
    lead = len(sizes) - len(shp)
    out = []
    for i, s in enumerate(sizes):
        if i < lead:
            if s < 0:
                raise RuntimeError(f"The expanded size of the tensor ({s}) isn't allowed in a leading, non-existing dimension {i}")
            out.append(s)
            continue
        cur = shp[i - lead]
        if s == -1:
            out.append(cur)
        elif cur == s or cur == 1:
            out.append(s)
        else:
            raise RuntimeError(f"The expanded size of the tensor ({s}) must match the existing size ({cur}) at "
                               f"non-singleton dimension {i}.  Target sizes: {list(sizes)}.  Tensor sizes: {list(shp)}")
    out = tuple(out)
    if out == shp:
        return _as_view(View.apply(a, shape=shp), a) if a._requires_grad else _as_view(_wrap(a._data.view()), a)
    return _as_view(Expand.apply(a, shape=out), a)


def expand_as(a, other):
    return expand(a, other.shape)


def broadcast_to(a, shape):
    return expand(a, tuple(shape))


def broadcast_tensors(*tensors):
    shape = np.broadcast_shapes(*(t._data.shape for t in tensors))
    return tuple(expand(t, shape) for t in tensors)


class Slice(Op):
    """narrow/select/basic slicing: a strided view; backward writes the grad into zeros."""
    node_name = "SliceBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, key):
        x = a._data
        ctx.shape, ctx.key, ctx.dtype = x.shape, key, x.dtype
        return x[key]

    @staticmethod
    def backward(ctx, g):
        from .index import SliceScatter
        return SliceScatter.apply(g, shape=ctx.shape, key=ctx.key)


class Select(Slice):
    node_name = "SelectBackward0"


def narrow(a, dim, start, length):
    n = a._data.ndim
    if n == 0:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
    d = norm_dim(dim, n)
    size = a._data.shape[d]
    if is_tensor(start):
        start = int(start.item())
    if start < -size or start > size:
        raise IndexError(f"start out of range (expected to be in range of [{-size}, {size}], but got {start})")
    if start < 0:
        start += size
    if length < 0 or start + length > size:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({size}).")
    key = (slice(None),) * d + (slice(start, start + length),)
    return _as_view(Slice.apply(a, key=key), a)


def select(a, dim, index):
    n = a._data.ndim
    if n == 0:
        raise IndexError("select() cannot be applied to a 0-dim tensor.")
    d = norm_dim(dim, n)
    size = a._data.shape[d]
    if index < -size or index >= size:
        raise IndexError(f"select(): index {index} out of range for tensor of size {list(a._data.shape)} at dimension {d}")
    key = (slice(None),) * d + (index + size if index < 0 else index,)
    return _as_view(Select.apply(a, key=key), a)


class Unbind(Op):
    node_name = "UnbindBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, dim):
        x = a._data
        ctx.dim = dim
        return tuple(np.take(x, i, axis=dim) if False else x[(slice(None),) * dim + (i,)] for i in range(x.shape[dim]))

    @staticmethod
    def backward(ctx, *grads):
        return stack(grads, ctx.dim)


def unbind(a, dim=0):
    if a._data.ndim == 0:
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    d = norm_dim(dim, a._data.ndim)
    if a._data.shape[d] == 0:
        return ()
    out = Unbind.apply(a, dim=d)
    return tuple(_as_view(o, a) for o in out)


class Split(Op):
    node_name = "SplitBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, sizes, dim):
        x = a._data
        ctx.dim = dim
        bounds = np.cumsum((0,) + tuple(sizes)).tolist()
        return tuple(x[(slice(None),) * dim + (slice(bounds[i], bounds[i + 1]),)] for i in range(len(sizes)))

    @staticmethod
    def backward(ctx, *grads):
        return cat(grads, ctx.dim)


class SplitWithSizes(Split):
    node_name = "SplitWithSizesBackward0"


def split(a, split_size_or_sections, dim=0):
    n = a._data.ndim
    if n == 0:
        raise RuntimeError("split expects at least a 1-dimensional tensor")
    d = norm_dim(dim, n)
    size = a._data.shape[d]
    if isinstance(split_size_or_sections, (int, np.integer)):
        s = int(split_size_or_sections)
        if s < 0 or (s == 0 and size != 0):
            raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got dimension size of {size}")
        k = builtins.max(1, -(-size // s)) if s else 1
        sizes = [s] * (k - 1) + [size - s * (k - 1)]
        cls = Split
    else:
        sizes = [int(x) for x in split_size_or_sections]
        if builtins.sum(sizes) != size or builtins.any(x < 0 for x in sizes):
            raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {size} (input tensor's size at "
                               f"dimension {d}), but got split_sizes={sizes}")
        cls = SplitWithSizes
    out = cls.apply(a, sizes=tuple(sizes), dim=d)
    if not isinstance(out, tuple):
        out = (out,)
    return tuple(_as_view(o, a) for o in out)


def chunk(a, chunks, dim=0):
    if chunks <= 0:
        raise RuntimeError("chunk expects `chunks` to be greater than 0, got: " + str(chunks))
    n = a._data.ndim
    if n == 0:
        raise RuntimeError("chunk expects at least a 1-dimensional tensor")
    size = a._data.shape[norm_dim(dim, n)]
    s = -(-size // chunks) if size else 0
    if s == 0:
        return split(a, [0] * chunks if size == 0 else [size], dim) if size == 0 else (a,)
    return split(a, s, dim)


def tensor_split(a, indices_or_sections, dim=0):
    d = norm_dim(dim, a._data.ndim)
    size = a._data.shape[d]
    if isinstance(indices_or_sections, int):
        k = indices_or_sections
        q, r = divmod(size, k)
        sizes = [q + 1] * r + [q] * (k - r)
    else:
        idx = [0] + [builtins.min(builtins.max(int(i), 0), size) for i in indices_or_sections] + [size]
        sizes = [builtins.max(idx[i + 1] - idx[i], 0) for i in range(len(idx) - 1)]
    return split(a, sizes, d)


# ============================================================================ copies

class Cat(Op):
    node_name = "CatBackward0"
    saves = False

    @staticmethod
    def forward(ctx, *tensors, dim=0):
        arrs = [t._data for t in tensors]
        from ._util import result_np_dtype
        dt = result_np_dtype(*[t for t in tensors])
        ctx.dim = dim
        ctx.sizes = [x.shape[dim] if x.ndim else 0 for x in arrs]
        return np.concatenate([x.astype(dt, copy=False) for x in arrs], axis=dim)

    @staticmethod
    def backward(ctx, g):
        return tuple(g.narrow(ctx.dim, int(s0), int(s)) for s0, s in zip(np.cumsum([0] + ctx.sizes[:-1]), ctx.sizes))


def cat(tensors, dim=0, *, out=None):
    tensors = list(tensors)
    if not tensors:
        raise RuntimeError("torch.cat(): expected a non-empty list of Tensors")
    for i, t in enumerate(tensors):
        if not is_tensor(t):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got {type(t).__name__}")
    # legacy: 1-D empty tensors are skipped
    nz = [t for t in tensors if not (t._data.ndim == 1 and t._data.shape[0] == 0)]
    if not nz:
        return tensors[0].clone()
    ref = nz[0]._data
    if ref.ndim == 0:
        raise RuntimeError("zero-dimensional tensor (at position 0) cannot be concatenated")
    d = norm_dim(dim, ref.ndim)
    for i, t in enumerate(nz):
        x = t._data
        if x.ndim != ref.ndim:
            raise RuntimeError(f"Tensors must have same number of dimensions: got {ref.ndim} and {x.ndim}")
        for k in range(ref.ndim):
            if k != d and x.shape[k] != ref.shape[k]:
                raise RuntimeError(f"Sizes of tensors must match except in dimension {d}. Expected size "
                                   f"{ref.shape[k]} but got size {x.shape[k]} for tensor number {tensors.index(t)} in the list.")
    res = Cat.apply(*nz, dim=d)
    if out is not None:
        from .elementwise import _out
        return _out(res, out)
    return res


concat = concatenate = cat


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
    res = _Stack.apply(*tensors, dim=d)
    if out is not None:
        from .elementwise import _out
        return _out(res, out)
    return res


class _Stack(Op):
    node_name = "StackBackward0"
    saves = False

    @staticmethod
    def forward(ctx, *tensors, dim=0):
        from ._util import result_np_dtype
        dt = result_np_dtype(*tensors)
        ctx.dim = dim
        return np.stack([t._data.astype(dt, copy=False) for t in tensors], axis=dim)

    @staticmethod
    def backward(ctx, g):
        return g.unbind(ctx.dim)


def hstack(tensors):
    tensors = [atleast_1d(t) for t in tensors]
    return cat(tensors, 0 if tensors[0].ndim == 1 else 1)


def vstack(tensors):
    return cat([atleast_2d(t) for t in tensors], 0)


row_stack = vstack


def dstack(tensors):
    return cat([atleast_3d(t) for t in tensors], 2)


def column_stack(tensors):
    return hstack([t.reshape(-1, 1) if t.ndim <= 1 else t for t in tensors])


def atleast_1d(t):
    return t.reshape(1) if t.ndim == 0 else t


def atleast_2d(t):
    return t.reshape(1, -1) if t.ndim < 2 else t


def atleast_3d(t):
    if t.ndim == 0:
        return t.reshape(1, 1, 1)
    if t.ndim == 1:
        return t.reshape(1, -1, 1)
    if t.ndim == 2:
        return t.unsqueeze(-1)
    return t


class Repeat(Op):
    node_name = "RepeatBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, repeats):
        x = a._data
        if len(repeats) < x.ndim:
            raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor")
        ctx.shape, ctx.repeats = x.shape, repeats
        return np.tile(x, repeats) if x.size or True else x

    @staticmethod
    def backward(ctx, g):
        shp = (1,) * (len(ctx.repeats) - len(ctx.shape)) + tuple(ctx.shape)
        # view each repeated axis as (repeat, size) and sum the repeats
        inter = []
        for r, s in zip(ctx.repeats, shp):
            inter += [r, s]
        g = g.reshape(inter).sum(tuple(range(0, len(inter), 2)))
        return g.reshape(ctx.shape)


def repeat(a, *repeats):
    return Repeat.apply(a, repeats=_shape_arg(repeats))


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
        return np.flip(a._data, dims).copy()

    @staticmethod
    def backward(ctx, g):
        return g.flip(ctx.dims)


def flip(a, *dims):
    dims = _shape_arg(dims)
    return Flip.apply(a, dims=norm_dims(dims, a._data.ndim))


def fliplr(a):
    return flip(a, 1)


def flipud(a):
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
        return np.roll(x, shifts, dims)

    @staticmethod
    def backward(ctx, g):
        s = ctx.shifts
        neg = -s if isinstance(s, int) else tuple(-x for x in s)
        return g.roll(neg, ctx.dims)


def roll(a, shifts, dims=None):
    if dims is not None:
        dims = (dims,) if isinstance(dims, int) else tuple(dims)
        shifts = (shifts,) if isinstance(shifts, int) else tuple(shifts)
        if len(dims) != len(shifts):
            raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, dims:{len(dims)}")
        dims = tuple(norm_dim(d, a._data.ndim) for d in dims)
    elif not isinstance(shifts, int):
        shifts = tuple(shifts)
        if len(shifts) != 1:
            raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, dims:0")
        shifts = shifts[0]
    return Roll.apply(a, shifts=shifts, dims=dims)


class Clone(Op):
    node_name = "CloneBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, memory_format=None):
        # clone preserves the layout (PyTorch's preserve_format); contiguous() asks for C order
        return np.array(a._data, copy=True, order="C" if memory_format == "contiguous" else "K")

    @staticmethod
    def backward(ctx, g):
        return g


def clone(a, *, memory_format=None):
    return Clone.apply(a)


def contiguous(a, memory_format=None):
    if a._data.flags.c_contiguous:
        return a
    return Clone.apply(a, memory_format="contiguous")
