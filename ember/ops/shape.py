"""Movement ops: views (share memory exactly when PyTorch's do) and copies (cat, stack, repeat, flip ...).

NOTE [ view semantics ]: NumPy views share memory, so a view op only has to
return a NumPy view and record the root tensor in ``_base``; in-place ops bump
the root's version counter, which every view reads. A view's strides follow
PyTorch's rules (``stride()`` reads them off the array): where NumPy would
choose differently (size-1 dims of a reshape, ``unsqueeze``, ``expand``) the
array is re-strided with ``as_strided``.
"""
import builtins
import math
import operator
import warnings

import numpy as np
from numpy.lib.stride_tricks import as_strided

from ._util import _wrap, is_tensor, norm_dim, norm_dims, result_np_dtype
from ..autograd.function import MULTI_VIEW, view_meta
from .elementwise import Op
from .._layout import contiguous_format

_VIEW_ERR = ("view size is not compatible with input tensor's size and stride (at least one dimension spans across "
             "two contiguous subspaces). Use .reshape(...) instead.")


def _as_view(out, a):
    """Mark ``out`` as a view of ``a`` (sharing its root's version counter)."""
    b = a._base
    out._base = b if b is not None else a
    if a._requires_grad or b is not None:
        view_meta(a, out)
    return out


def _multi_views(outs, a):
    """The views one op returned together (split, unbind, chunk): PyTorch forbids writing into them in place."""
    for o in outs:
        _as_view(o, a)
        if o._grad_fn is not None:
            o._cm = MULTI_VIEW
    return outs


def _shape_arg(shape, name="view", arg="size"):
    """``view(2, 3)``, ``view((2, 3))``, ``view([2, 3])`` and ``view(ember.Size)`` all mean (2, 3)."""
    if len(shape) == 1:
        s = shape[0]
        if type(s) is not int and not isinstance(s, np.integer) and not is_tensor(s):
            shape = s
    try:
        return tuple(map(operator.index, shape))
    except TypeError:
        pass
    try:
        items = list(shape)
    except TypeError:
        raise TypeError(f"{name}(): argument '{arg}' (position 1) must be tuple of ints, not "
                        f"{type(shape).__name__}") from None
    for i, s in enumerate(items):
        try:
            operator.index(s)
        except TypeError:
            raise TypeError(f"{name}(): argument '{arg}' (position 1) must be tuple of ints, but found element of "
                            f"type {type(s).__name__} at pos {i}") from None
    raise TypeError(f"{name}(): argument '{arg}' must be tuple of ints")


def infer_shape(shape, numel):
    """Resolve one -1 in ``shape``; PyTorch's RuntimeErrors for bad sizes (``infer_size``)."""
    newsize = 1
    infer = -1
    for i, s in enumerate(shape):
        if s == -1:
            if infer >= 0:
                raise RuntimeError("only one dimension can be inferred")
            infer = i
        elif s >= 0:
            newsize *= s
        else:
            raise RuntimeError(f"invalid shape dimension {s} at index {i} of shape {list(shape)}")
    if infer < 0:
        if newsize == numel:
            return shape
    elif newsize > 0 and numel % newsize == 0:
        return shape[:infer] + (numel // newsize,) + shape[infer + 1:]
    elif numel == 0 and newsize == 0:
        raise RuntimeError(f"cannot reshape tensor of 0 elements into shape {list(shape)} because the unspecified "
                           f"dimension size -1 can be any value and is ambiguous")
    raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")


def _contig_strides(shape, itemsize):
    st = []
    acc = itemsize
    for s in reversed(shape):
        st.append(acc)
        acc *= builtins.max(s, 1)
    return tuple(reversed(st))


def _compute_stride(oldshape, oldstride, newshape, itemsize):
    """PyTorch's ``computeStride`` (in bytes): the strides of a view of ``newshape``, or None if none exists."""
    if 0 in oldshape:
        return tuple(oldstride) if tuple(oldshape) == tuple(newshape) else _contig_strides(newshape, itemsize)
    if not oldshape:
        return (itemsize,) * len(newshape)
    newstride = [0] * len(newshape)
    view_d = len(newshape) - 1
    chunk_base = oldstride[-1]
    tensor_numel = 1
    view_numel = 1
    for tensor_d in range(len(oldshape) - 1, -1, -1):
        tensor_numel *= oldshape[tensor_d]
        if tensor_d == 0 or (oldshape[tensor_d - 1] != 1 and oldstride[tensor_d - 1] != tensor_numel * chunk_base):
            while view_d >= 0 and (view_numel < tensor_numel or newshape[view_d] == 1):
                newstride[view_d] = view_numel * chunk_base
                view_numel *= newshape[view_d]
                view_d -= 1
            if view_numel != tensor_numel:
                return None
            if tensor_d > 0:
                chunk_base = oldstride[tensor_d - 1]
                tensor_numel = 1
                view_numel = 1
    if view_d != -1:
        return None
    return tuple(newstride)


def _restride(x, shape, strides, writeable=True):
    """A view of ``x`` (starting at its first element) with the given geometry; read-only if x is."""
    if x.flags.c_contiguous:
        try:  # ~10x cheaper than as_strided; needs x's memory as one buffer
            r = np.ndarray(shape, x.dtype, x, 0, strides)
        except (TypeError, ValueError):
            return as_strided(x, shape, strides, writeable=writeable)
        if not writeable and r.flags.writeable:
            r.flags.writeable = False
        return r
    return as_strided(x, shape, strides, writeable=writeable)


def _view_np(x, shape):
    """``x`` viewed as ``shape`` with PyTorch's strides; RuntimeError if no view exists."""
    # the common case: for a contiguous x whose last stride is 1, PyTorch's strides are the C strides NumPy gives a
    # reshape (unless the shape is unchanged: NumPy then keeps x's strides, which may be odd on size-1 dims)
    if x.flags.c_contiguous and (x.ndim == 0 or x.strides[-1] == x.itemsize) and shape != x.shape:
        return x.reshape(shape)
    st = _compute_stride(x.shape, x.strides, shape, x.itemsize)
    if st is None:
        raise RuntimeError(_VIEW_ERR)
    return _restride(x, shape, st)


class View(Op):
    node_name = "ViewBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, shape):
        x = a._data
        ctx.shape = x.shape
        return _view_np(x, shape)

    @staticmethod
    def backward(ctx, g):
        return g.reshape(ctx.shape)


class ReshapeAlias(View):
    """reshape of a non-contiguous tensor that can still be viewed."""
    node_name = "ReshapeAliasBackward0"


class UnsafeView(View):
    """reshape's copy path: the view of a fresh contiguous clone (no ``_base``)."""
    node_name = "UnsafeViewBackward0"


def view(a, *shape):
    if len(shape) == 1 and hasattr(shape[0], "is_floating_point") and not isinstance(shape[0], (int, tuple, list)) \
            and not is_tensor(shape[0]):
        from .creation import view_dtype
        return view_dtype(a, shape[0])
    return _as_view(View.apply(a, shape=infer_shape(_shape_arg(shape), a._data.size)), a)


def reshape(a, *shape):
    x = a._data
    s = infer_shape(_shape_arg(shape, "reshape", "shape"), x.size)
    if x.flags.c_contiguous:
        return _as_view(View.apply(a, shape=s), a)
    if _compute_stride(x.shape, x.strides, s, x.itemsize) is not None:
        return _as_view(ReshapeAlias.apply(a, shape=s), a)
    return UnsafeView.apply(Clone.apply(a, memory_format=contiguous_format), shape=s)


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
    sizes = _shape_arg((sizes,), "unflatten", "sizes")
    if len(sizes) == 0:
        raise RuntimeError("unflatten: sizes must be non-empty")
    if -1 in sizes:
        sizes = infer_shape(sizes, shp[d])
    if math.prod(sizes) != shp[d]:
        raise RuntimeError(f"unflatten: Provided sizes {list(sizes)} don't multiply up to the size of dim {dim} "
                           f"({shp[d]}) in the input tensor")
    return _as_view(View.apply(a, shape=shp[:d] + sizes + shp[d + 1:]), a)


# ============================================================================ transposes

class Transpose(Op):
    node_name = "TransposeBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, dim0, dim1):
        x = a._data
        ctx.d = (dim0, dim1)
        return x.swapaxes(dim0, dim1) if x.ndim else x.view()

    @staticmethod
    def backward(ctx, g):
        return g.transpose(*ctx.d)


class T_(Op):
    node_name = "TBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a):
        x = a._data
        return x.T if x.ndim == 2 else x.view()

    @staticmethod
    def backward(ctx, g):
        return g.t()


def transpose(a, dim0, dim1):
    n = a._data.ndim
    return _as_view(Transpose.apply(a, dim0=norm_dim(dim0, n), dim1=norm_dim(dim1, n)), a)


swapaxes = swapdims = transpose


def t(a):
    n = a._data.ndim
    if n > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {n}D")
    return _as_view(T_.apply(a), a)


class Permute(Op):
    node_name = "PermuteBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, dims):
        ctx.dims = dims
        return a._data.transpose(dims)

    @staticmethod
    def backward(ctx, g):
        inv = [0] * len(ctx.dims)
        for i, d in enumerate(ctx.dims):
            inv[d] = i
        return g.permute(tuple(inv))


def permute(a, *dims):
    dims = _shape_arg(dims, "permute", "dims")
    n = a._data.ndim
    if len(dims) != n:
        raise RuntimeError(f"permute(sparse_coo): number of dimensions in the tensor input does not match the length "
                           f"of the desired ordering of dimensions i.e. input.dim() = {n} is not equal to "
                           f"len(dims) = {len(dims)}")
    dims = tuple(norm_dim(d, n) for d in dims)
    if len(set(dims)) != n:
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return _as_view(Permute.apply(a, dims=dims), a)


def T(a):
    n = a._data.ndim
    if n == 0:
        warnings.warn("Tensor.T is deprecated on 0-D tensors. This function is the identity in these cases.",
                      UserWarning, stacklevel=3)
    elif n != 2:
        warnings.warn("The use of `x.T` on tensors of dimension other than 2 to reverse their shape is deprecated "
                      "and it will throw an error in a future release. Consider `x.mT` to transpose batches of "
                      "matrices or `x.permute(*torch.arange(x.ndim - 1, -1, -1))` to reverse the dimensions of a "
                      "tensor.", UserWarning, stacklevel=3)
    return _as_view(Permute.apply(a, dims=tuple(range(n - 1, -1, -1))), a)


def mT(a):
    n = a._data.ndim
    if n == 0:
        warnings.warn("Tensor.mT is deprecated on 0-D tensors. This function is the identity in these cases.",
                      UserWarning, stacklevel=3)
        return a
    if n == 1:
        raise RuntimeError("tensor.mT is only supported on matrices or batches of matrices. Got 1-D tensor.")
    return transpose(a, -2, -1)


def movedim(a, source, destination):
    n = a._data.ndim
    src = (source,) if isinstance(source, (int, np.integer)) else tuple(source)
    dst = (destination,) if isinstance(destination, (int, np.integer)) else tuple(destination)
    if len(src) != len(dst):
        raise RuntimeError(f"movedim: Invalid source or destination dims: source ({list(src)} dims) should contain "
                           f"the same number of dims as destination ({list(dst)} dims)")
    nsrc = [norm_dim(s, n) for s in src]
    ndst = [norm_dim(d, n) for d in dst]
    if len(set(nsrc)) != len(nsrc):
        raise RuntimeError(f"movedim: repeated dim in `source` ({list(src)})")
    if len(set(ndst)) != len(ndst):
        raise RuntimeError(f"movedim: repeated dim in `destination` ({list(dst)})")
    order = [-1] * n
    for s, d in zip(nsrc, ndst):
        order[d] = s
    rest = iter(i for i in range(n) if i not in nsrc)
    order = tuple(o if o >= 0 else next(rest) for o in order)
    return _as_view(Permute.apply(a, dims=order), a)


moveaxis = movedim


# ============================================================================ squeeze / unsqueeze / expand

class Squeeze(Op):
    node_name = "SqueezeBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, dims=None):
        x = a._data
        ctx.shape = x.shape
        if dims is None:
            return x.squeeze()
        return x.squeeze(tuple(d for d in dims if x.shape[d] == 1))

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


def _unsqueeze_np(x, dim):
    """``x`` with a size-1 dim inserted at ``dim``; its stride is PyTorch's (``size[dim] * stride[dim]``, or 1)."""
    shp, st = x.shape, x.strides
    new = shp[dim] * st[dim] if dim < len(shp) else x.itemsize
    want = st[:dim] + (new,) + st[dim:]
    r = x.reshape(shp[:dim] + (1,) + shp[dim:])
    return r if r.strides == want else _restride(x, r.shape, want)


class Unsqueeze(Op):
    node_name = "UnsqueezeBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, dim):
        ctx.dim = dim
        return _unsqueeze_np(a._data, dim)

    @staticmethod
    def backward(ctx, g):
        return g.squeeze(ctx.dim)


def unsqueeze(a, dim):
    return _as_view(Unsqueeze.apply(a, dim=norm_dim(dim, a._data.ndim + 1)), a)


def _expand_geometry(shp, st, sizes, tensor):
    """PyTorch's ``inferExpandGeometry``: the expanded shape and (byte) strides; its errors."""
    n, m = len(sizes), len(shp)
    if n < m:
        raise RuntimeError(f"expand({tensor.type()}{{{list(shp)}}}, size={list(sizes)}): the number of sizes provided "
                           f"({n}) must be greater or equal to the number of dimensions in the tensor ({m})")
    out_shape = [0] * n
    out_st = [0] * n
    for i in range(n - 1, -1, -1):
        d = i - (n - m)
        target = sizes[i]
        if d >= 0:
            size, stride = shp[d], st[d]
            if target == -1:
                target = size
        else:
            if target < 0:
                raise RuntimeError(f"The expanded size of the tensor ({target}) isn't allowed in a leading, "
                                   f"non-existing dimension {i}")
            size = 1
            stride = out_shape[i + 1] * out_st[i + 1] if (i + 1 < n and m) else 0
        if size != target:
            if size != 1:
                raise RuntimeError(f"The expanded size of the tensor ({target}) must match the existing size ({size}) "
                                   f"at non-singleton dimension {i}.  Target sizes: {list(sizes)}.  Tensor sizes: "
                                   f"{list(shp)}")
            size, stride = target, 0
        out_shape[i] = size
        out_st[i] = stride
    return tuple(out_shape), tuple(out_st)


class Expand(Op):
    node_name = "ExpandBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, shape, strides):
        x = a._data
        if shape == x.shape:
            return x.view()
        # a dim broadcast from size 1 aliases memory: read-only, so in-place writes raise like PyTorch's
        overlap = 0 not in shape and builtins.any(s == 0 and n > 1 for n, s in zip(shape, strides))
        return _restride(x, shape, strides, writeable=not overlap)

    @staticmethod
    def backward(ctx, g):
        return g  # the engine sums the broadcast grad back to the input's shape


def expand(a, *sizes):
    x = a._data
    shape, strides = _expand_geometry(x.shape, x.strides, _shape_arg(sizes, "expand"), a)
    return _as_view(Expand.apply(a, shape=shape, strides=strides), a)


def expand_as(a, other):
    return expand(a, other.shape)


def broadcast_to(a, shape):
    return expand(a, tuple(shape))


def _broadcast_shape(shapes):
    n = builtins.max(len(s) for s in shapes)
    out = [1] * n
    for s in shapes:
        for i, v in enumerate(s):
            j = n - len(s) + i
            if out[j] == 1:
                out[j] = v
            elif v != 1 and v != out[j]:
                raise RuntimeError(f"The size of tensor a ({out[j]}) must match the size of tensor b ({v}) at "
                                   f"non-singleton dimension {j}")
    return tuple(out)


def broadcast_tensors(*tensors):
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    shape = _broadcast_shape([t._data.shape for t in tensors])
    return tuple(t if t._data.shape == shape else expand(t, shape) for t in tensors)


# ============================================================================ slicing views

class Slice(Op):
    """narrow/select/basic slicing: a strided view; backward writes the grad into zeros."""
    node_name = "SliceBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, key):
        x = a._data
        ctx.shape, ctx.key = x.shape, key
        return x[key]

    @staticmethod
    def backward(ctx, g):
        from .index import SliceScatter
        return SliceScatter.apply(g, shape=ctx.shape, key=ctx.key)


class Select(Slice):
    node_name = "SelectBackward0"


def _slice_key(d, s):
    return (slice(None),) * d + (s, Ellipsis)


def narrow(a, dim, start, length):
    n = a._data.ndim
    if n == 0:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
    if is_tensor(start):
        start = int(start.item())
    if length < 0:
        raise RuntimeError("narrow(): length must be non-negative.")
    d = norm_dim(dim, n)
    size = a._data.shape[d]
    if start < -size or start > size:
        raise IndexError(f"start out of range (expected to be in range of [{-size}, {size}], but got {start})")
    if start < 0:
        start += size
    if start + length > size:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({size}).")
    return _as_view(Slice.apply(a, key=_slice_key(d, slice(start, start + length))), a)


def select(a, dim, index):
    n = a._data.ndim
    if n == 0:
        raise IndexError("select() cannot be applied to a 0-dim tensor.")
    d = norm_dim(dim, n)
    size = a._data.shape[d]
    index = operator.index(index)
    if index < -size or index >= size:
        raise IndexError(f"select(): index {index} out of range for tensor of size {list(a._data.shape)} at "
                         f"dimension {d}")
    return _as_view(Select.apply(a, key=_slice_key(d, index + size if index < 0 else index)), a)


class Unbind(Op):
    node_name = "UnbindBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, dim):
        x = a._data
        ctx.dim = dim
        pre = (slice(None),) * dim
        return tuple(x[pre + (i, Ellipsis)] for i in range(x.shape[dim]))

    @staticmethod
    def backward(ctx, *grads):
        return stack(grads, ctx.dim)


def unbind(a, dim=0):
    if a._data.ndim == 0:
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    d = norm_dim(dim, a._data.ndim)
    if a._data.shape[d] == 0:
        return ()
    return _multi_views(Unbind.apply(a, dim=d), a)


class Split(Op):
    node_name = "SplitBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, sizes, dim):
        x = a._data
        ctx.dim = dim
        pre = (slice(None),) * dim
        out = []
        start = 0
        for s in sizes:
            out.append(x[pre + (slice(start, start + s), Ellipsis)])
            start += s
        return tuple(out)

    @staticmethod
    def backward(ctx, *grads):
        return cat(grads, ctx.dim)


class SplitWithSizes(Split):
    node_name = "SplitWithSizesBackward0"


def _split(a, cls, sizes, d):
    return _multi_views(cls.apply(a, sizes=tuple(sizes), dim=d), a)


def split(a, split_size_or_sections, dim=0):
    n = a._data.ndim
    if n == 0:
        raise RuntimeError("split expects at least a 1-dimensional tensor")
    d = norm_dim(dim, n)
    size = a._data.shape[d]
    if isinstance(split_size_or_sections, (int, np.integer)) or (
            is_tensor(split_size_or_sections) and split_size_or_sections.ndim == 0):
        s = int(split_size_or_sections)
        if s < 0:
            raise RuntimeError(f"split expects split_size be non-negative, but got split_size={s}")
        if s == 0 and size != 0:
            raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got dimension size of {size}")
        k = builtins.max(1, -(-size // s)) if s else 1
        return _split(a, Split, [s] * (k - 1) + [size - s * (k - 1)], d)
    sizes = [operator.index(x) for x in split_size_or_sections]
    if builtins.sum(sizes) != size or builtins.any(x < 0 for x in sizes):
        raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {size} (input tensor's size at "
                           f"dimension {d}), but got split_sizes={sizes}")
    return _split(a, SplitWithSizes, sizes, d)


def chunk(a, chunks, dim=0):
    n = a._data.ndim
    if n == 0:
        raise RuntimeError("chunk expects at least a 1-dimensional tensor")
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    d = norm_dim(dim, n)
    size = a._data.shape[d]
    if size == 0:  # split() would lose the number of (empty) chunks
        return _split(a, SplitWithSizes, [0] * chunks, d)
    return split(a, -(-size // chunks), d)


def tensor_split(a, indices_or_sections, dim=0):
    n = a._data.ndim
    if n == 0:
        raise RuntimeError(f"tensor_split expected at least a 1-dimensional tensor, but got a tensor with {n} dims")
    arg = indices_or_sections
    if is_tensor(arg):
        if arg._data.dtype != np.int64:
            from .elementwise import _type_name
            raise RuntimeError(f"tensor_split expected tensor_indices_or_sections to have dtype of long, but got "
                               f"{_type_name(arg._data.dtype)}")
        if arg._data.ndim > 1:
            raise RuntimeError(f"tensor_split expected tensor_indices_or_sections to be a zero-dimensional or "
                               f"one-dimensional tensor, but got a tensor with {arg._data.ndim} dims")
        arg = int(arg._data) if arg._data.ndim == 0 else arg._data.tolist()
    d = norm_dim(dim, n)
    size = a._data.shape[d]
    if isinstance(arg, (int, np.integer)):
        k = int(arg)
        if k <= 0:
            raise RuntimeError(f"number of sections must be larger than 0, got {k}")
        q, r = divmod(size, k)
        bounds = []
        start = 0
        for i in range(k):
            stop = start + q + (1 if i < r else 0)
            bounds.append((start, stop))
            start = stop
    else:
        idx = [operator.index(i) for i in arg]
        bounds = list(zip([0] + idx, idx + [size]))
    return tuple(_as_view(Slice.apply(a, key=_slice_key(d, slice(s, e))), a) for s, e in bounds)


class Unfold(Op):
    """``unfold(dim, size, step)``: a strided view of every window along ``dim`` (windows as a new last dim)."""
    node_name = "UnfoldBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, dim, size, step):
        x = a._data
        ctx.shape, ctx.dim, ctx.size, ctx.step = x.shape, dim, size, step
        if x.ndim == 0:
            return x.reshape(1)
        n = (x.shape[dim] - size) // step + 1
        shape = x.shape[:dim] + (n,) + x.shape[dim + 1:] + (size,)
        st = x.strides[:dim] + (x.strides[dim] * step,) + x.strides[dim + 1:] + (x.strides[dim],)
        return as_strided(x, shape, st, writeable=x.flags.writeable)

    @staticmethod
    def backward(ctx, g):
        return UnfoldGrad.apply(g, shape=ctx.shape, dim=ctx.dim, size=ctx.size, step=ctx.step)


class UnfoldGrad(Op):
    node_name = "UnfoldBackwardBackward0"
    saves = False

    @staticmethod
    def forward(ctx, g, shape, dim, size, step):
        ctx.dim, ctx.size, ctx.step = dim, size, step
        gd = g._data
        if not shape:
            return gd.reshape(())
        out = np.zeros(shape, gd.dtype)
        for i in range(gd.shape[dim]):
            key = (slice(None),) * dim + (slice(i * step, i * step + size),)
            out[key] += np.moveaxis(np.take(gd, i, axis=dim), -1, dim)
        return out

    @staticmethod
    def backward(ctx, g):
        return g.unfold(ctx.dim, ctx.size, ctx.step)


def unfold(a, dimension, size, step):
    n = a._data.ndim
    d = norm_dim(dimension, builtins.max(n, 1))
    length = a._data.shape[d] if n else 1
    if size > length:
        raise RuntimeError(f"maximum size for tensor at dimension {d} is {length} but size is {size}")
    if step <= 0:
        raise RuntimeError(f"step is {step} but must be > 0")
    return _as_view(Unfold.apply(a, dim=d, size=size, step=step), a)


# moved to join.py; re-exported so callers keep one import path
from .join import (  # noqa: E402,F401
    Cat, Clone, Flip, Repeat, Roll, Stack, atleast_1d, atleast_2d, atleast_3d, cat, clone, column_stack, concat, concatenate, contiguous, dstack, flip, fliplr, flipud, hstack, repeat, repeat_interleave, roll, row_stack,
    stack, tile, vstack)
