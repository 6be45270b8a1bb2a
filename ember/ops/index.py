"""Indexing: ``t[key]`` / ``t[key] = v``, gather/scatter, masks, sort/topk, nonzero, unique, tril/triu, diag."""
import builtins

import numpy as np

from .. import dtypes as D
from ._util import _wrap, is_tensor, norm_dim
from .elementwise import Op, zeros_scalar
from .shape import Select, Slice, Unsqueeze, View, _as_view

# ============================================================================ key parsing


def _index_array(t):
    """A tensor used as an index: long/int/byte/bool only, as PyTorch requires."""
    x = t._data
    k = x.dtype.kind
    if k not in "biu":
        raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
    if x.dtype == np.uint8:
        return x.astype(bool)
    return x


def parse_key(key, shape):
    """Turn a PyTorch index into a NumPy one; returns (numpy_key, is_basic)."""
    if not isinstance(key, tuple):
        key = (key,)
    out = []
    basic = True
    for k in key:
        if k is None or k is Ellipsis:
            out.append(k)
        elif isinstance(k, slice):
            if k.step is not None and _int(k.step) <= 0:
                if _int(k.step) == 0:
                    raise ValueError("slice step cannot be zero")
                raise ValueError("step must be greater than zero")
            out.append(slice(_opt_int(k.start), _opt_int(k.stop), _opt_int(k.step)))
        elif isinstance(k, builtins.bool):
            out.append(k)
            basic = False
        elif isinstance(k, (int, np.integer)):
            out.append(int(k))
        elif is_tensor(k):
            if k._data.ndim == 0 and k._data.dtype.kind in "iu":
                out.append(int(k._data))  # a 0-dim integer tensor indexes like an int
            else:
                out.append(_index_array(k))
                basic = False
        elif isinstance(k, (list, tuple, np.ndarray, range)):
            arr = np.asarray(k)
            if arr.dtype == object:
                arr = np.asarray([_int(v) for v in k])
            if arr.dtype.kind == "f":
                raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
            out.append(arr if arr.size else arr.astype(np.int64))
            basic = False
        else:
            raise IndexError("only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are "
                             "valid indices (got " + type(k).__name__ + ")")
    _check_bounds(out, shape)
    return tuple(out), basic


def _int(v):
    if is_tensor(v):
        return int(v.item())
    return int(v)


def _opt_int(v):
    return None if v is None else _int(v)


def _check_bounds(key, shape):
    """PyTorch's IndexError wording for out-of-range integer indices."""
    # dims consumed by each key element, with Ellipsis expanded
    consumed = builtins.sum(0 if (k is None or k is Ellipsis or isinstance(k, builtins.bool)) else
                            (k.ndim if isinstance(k, np.ndarray) and k.dtype == bool else 1) for k in key)
    if consumed > len(shape):
        raise IndexError(f"too many indices for tensor of dimension {len(shape)}")
    dim = 0
    for i, k in enumerate(key):
        if k is Ellipsis:
            dim += len(shape) - consumed
            continue
        if k is None or isinstance(k, builtins.bool):
            continue
        if isinstance(k, int):
            size = shape[dim]
            if k < -size or k >= size:
                raise IndexError(f"index {k} is out of bounds for dimension {dim} with size {size}")
            dim += 1
        elif isinstance(k, np.ndarray):
            if k.dtype == bool:
                for j in range(k.ndim):
                    if k.shape[j] != shape[dim + j]:
                        raise IndexError(f"The shape of the mask {list(k.shape)} at index {j} does not match the "
                                         f"shape of the indexed tensor {list(shape)} at index {dim + j}")
                dim += k.ndim
            else:
                size = shape[dim]
                if k.size and (k.max() >= size or k.min() < -size):
                    bad = k.max() if k.max() >= size else k.min()
                    raise IndexError(f"index {bad} is out of bounds for dimension {dim} with size {size}")
                dim += 1
        else:
            dim += 1


def _basic_node(key):
    """Which of PyTorch's view nodes a basic index ends with (the last non-trivial element)."""
    for k in reversed(key):
        if isinstance(k, int):
            return Select
        if k is None:
            return Unsqueeze_
        if isinstance(k, slice) and k != slice(None):
            return Slice
    return Alias


class Alias(Slice):
    node_name = "AliasBackward0"


class Unsqueeze_(Slice):
    node_name = "UnsqueezeBackward0"


class SliceScatter(Op):
    """Zeros of ``shape`` with ``g`` written at a basic ``key``: the backward of slicing."""
    node_name = "SliceScatterBackward0"
    saves = False

    @staticmethod
    def forward(ctx, g, shape, key):
        ctx.key = key
        z = np.zeros(shape, dtype=g._data.dtype)
        z[key] = g._data
        return z

    @staticmethod
    def backward(ctx, gg):
        return gg[ctx.key]


class Index(Op):
    """Advanced indexing (a copy)."""
    node_name = "IndexBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, key):
        x = a._data
        ctx.shape, ctx.key = x.shape, key
        return x[key]

    @staticmethod
    def backward(ctx, g):
        return IndexAdd_.apply(g, shape=ctx.shape, key=ctx.key)


class IndexAdd_(Op):
    """Zeros of ``shape`` with ``g`` accumulated at an advanced ``key`` (repeated indices add up)."""
    node_name = "IndexPutBackward0"
    saves = False

    @staticmethod
    def forward(ctx, g, shape, key):
        ctx.key = key
        z = np.zeros(shape, dtype=g._data.dtype)
        np.add.at(z, key, g._data)
        return z

    @staticmethod
    def backward(ctx, gg):
        return gg[ctx.key]


def getitem(a, key):
    x = a._data
    # the hot cases first: one int or one slice
    if type(key) is int and x.ndim:
        size = x.shape[0]
        if key < -size or key >= size:
            raise IndexError(f"index {key} is out of bounds for dimension 0 with size {size}")
        return _as_view(Select.apply(a, key=key), a)
    if x.ndim == 0 and not (key is None or key is Ellipsis or (isinstance(key, tuple) and builtins.all(k is None or k is Ellipsis for k in key))):
        if not (is_tensor(key) and key._data.dtype == bool) and not isinstance(key, builtins.bool):
            raise IndexError("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in "
                             "C++ to convert a 0-dim tensor to a number")
    k, basic = parse_key(key, x.shape)
    if basic:
        return _as_view(_basic_node(k).apply(a, key=k), a)
    return Index.apply(a, key=k)


class IndexPut(Op):
    """``out = a.clone(); out[key] = v`` recorded for autograd (setitem on a tensor in the graph)."""
    node_name = "IndexPutBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, v, key):
        ctx.key = key
        out = np.array(a._data, copy=True)
        out[key] = v._data if is_tensor(v) else v
        return out

    @staticmethod
    def backward(ctx, g):
        ga = g.clone()
        ga._data[ctx.key] = 0
        v = ctx.inputs[1]
        gv = g[ctx.key] if is_tensor(v) and v._requires_grad else None
        return ga, gv


def setitem(a, key, value):
    from ..autograd.grad_mode import _state
    x = a._data
    k, _ = parse_key(key, x.shape)
    vt = is_tensor(value)
    if not vt and not isinstance(value, (int, float, builtins.bool, complex, np.number)):
        value = _wrap(np.asarray(value))
        vt = True
    if _state.enabled and (a._requires_grad or (vt and value._requires_grad)):
        if a._requires_grad and a._grad_fn is None:
            raise RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.")
        if a._base is not None:
            raise RuntimeError("ember does not yet support in-place assignment into a view of a tensor that is part "
                               "of the autograd graph; index the base tensor instead")
        vv = value
        if vt and value._data.dtype != x.dtype:
            vv = value.to(D.from_numpy_dtype(x.dtype))
        res = IndexPut.apply(a, vv, key=k)
        _rebase(a, res)
        return
    v = value._data if vt else value
    if vt and v.dtype != x.dtype and D.from_numpy_dtype(v.dtype).is_complex and not D.from_numpy_dtype(x.dtype).is_complex:
        raise RuntimeError("value cannot be converted to type float without overflow")
    try:
        x[k] = v
    except ValueError as e:
        if "read-only" in str(e):
            raise RuntimeError("unsupported operation: more than one element of the written-to tensor refers to a "
                               "single memory location. Please clone() the tensor before performing the operation.") from None
        raise RuntimeError(f"shape mismatch: value tensor of shape {list(np.shape(v))} cannot be broadcast to indexing "
                           f"result of shape {list(x[k].shape)}") from None
    _bump(a)


def _bump(a):
    b = a._base
    (b if b is not None else a)._vc += 1


def _rebase(a, res):
    """Make ``a`` hold ``res``'s values and history (an in-place op on a tensor in the graph)."""
    np.copyto(a._data, res._data)
    _bump(a)
    a._grad_fn = res._grad_fn
    a._output_nr = res._output_nr
    a._requires_grad = res._requires_grad


# ============================================================================ gather / scatter family

def _check_index_dtype(index, name):
    if not is_tensor(index) or index._data.dtype != np.int64:
        got = index.dtype if is_tensor(index) else type(index).__name__
        raise RuntimeError(f"{name}(): Expected dtype int64 for index" if name != "index_select" else
                           f"index_select(): Expected dtype int32 or int64 for index")
    return index._data


class IndexSelect(Op):
    node_name = "IndexSelectBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, dim, index):
        x = a._data
        ctx.shape, ctx.dim, ctx.index = x.shape, dim, index
        return np.take(x, index, axis=dim) if x.ndim else x.copy()

    @staticmethod
    def backward(ctx, g):
        z = _wrap(np.zeros(ctx.shape, dtype=g._data.dtype))
        return z.index_add(ctx.dim, _wrap(ctx.index), g)


def index_select(input, dim, index):
    if not is_tensor(index) or index._data.dtype.kind not in "iu":
        raise RuntimeError("index_select(): Expected dtype int32 or int64 for index")
    idx = index._data
    if idx.ndim > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    d = norm_dim(dim, input._data.ndim)
    size = input._data.shape[d] if input._data.ndim else 1
    if idx.size and (idx.max() >= size or idx.min() < -size):
        raise IndexError(f"index out of range in self")
    return IndexSelect.apply(input, dim=d, index=idx.reshape(-1).astype(np.int64, copy=False))


class IndexAdd(Op):
    node_name = "IndexAddBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, src, dim, index, alpha=1):
        ctx.dim, ctx.index, ctx.alpha = dim, index, alpha
        out = np.array(a._data, copy=True)
        s = src._data if alpha == 1 else src._data * alpha
        # add.at accumulates repeated indices (a plain fancy += would keep only the last)
        key = (slice(None),) * dim + (index,)
        np.add.at(out, key, s.astype(out.dtype, copy=False))
        return out

    @staticmethod
    def backward(ctx, g):
        gs = g.index_select(ctx.dim, _wrap(ctx.index)) if ctx.needs_input_grad[1] else None
        if gs is not None and ctx.alpha != 1:
            gs = gs * ctx.alpha
        return g, gs


def index_add(input, dim, index, source, *, alpha=1):
    d = norm_dim(dim, input._data.ndim)
    return IndexAdd.apply(input, source, dim=d, index=index._data.astype(np.int64, copy=False), alpha=alpha)


def index_fill(input, dim, index, value):
    d = norm_dim(dim, input._data.ndim)
    mask = np.zeros(input._data.shape[d], dtype=bool)
    mask[index._data] = True
    shape = [1] * input._data.ndim
    shape[d] = -1
    return masked_fill(input, _wrap(mask.reshape(shape)), value)


def index_copy(input, dim, index, source):
    d = norm_dim(dim, input._data.ndim)
    key = (slice(None),) * d + (index._data,)
    out = input.clone()
    setitem(out, key, source)
    return out


def _gather_check(x, dim, idx, name):
    if idx.ndim != x.ndim and not (idx.ndim <= 1 and x.ndim <= 1):
        raise RuntimeError(f"Index tensor must have the same number of dimensions as input tensor")
    for i in range(idx.ndim):
        if i != dim and idx.shape[i] > x.shape[i]:
            raise RuntimeError(f"Size does not match at dimension {i} expected index {list(idx.shape)} to be no larger "
                               f"than self {list(x.shape)} apart from dimension {dim}")
    size = x.shape[dim] if x.ndim else 1
    if idx.size and (idx.max() >= size or idx.min() < -size):
        bad = idx.max() if idx.max() >= size else idx.min()
        raise RuntimeError(f"index {bad} is out of bounds for dimension {dim} with size {size}")


def _along(x, idx):
    """The sub-block of ``x`` the index covers (index may be smaller than x in non-dim axes)."""
    return x[tuple(slice(0, s) for s in idx.shape)]


class Gather(Op):
    node_name = "GatherBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, dim, index):
        x = a._data
        ctx.shape, ctx.dim, ctx.index = x.shape, dim, index
        if x.ndim == 0:
            return x[()].copy() if index.ndim == 0 else np.broadcast_to(x, index.shape).copy()
        src = x[tuple(slice(0, s) if i != dim else slice(None) for i, s in enumerate(index.shape))]
        return np.take_along_axis(src, index, dim)

    @staticmethod
    def backward(ctx, g):
        z = _wrap(np.zeros(ctx.shape, dtype=g._data.dtype))
        return z.scatter_add(ctx.dim, _wrap(ctx.index), g)


def gather(input, dim, index, *, sparse_grad=False):
    if not is_tensor(index) or index._data.dtype != np.int64:
        raise RuntimeError("gather(): Expected dtype int64 for index")
    x = input._data
    d = norm_dim(dim, x.ndim)
    _gather_check(x, d, index._data, "gather")
    return Gather.apply(input, dim=d, index=index._data)


def _scatter_np(x, dim, idx, src, reduce=None):
    """out = x.copy(); out[...idx along dim...] = src (or reduce into it). Vectorised via flat indices."""
    out = np.array(x, copy=True)
    if idx.size == 0:
        return out
    grids = np.indices(idx.shape, sparse=True)
    key = tuple(idx if i == dim else grids[i] for i in range(idx.ndim))
    s = _along(src, idx) if isinstance(src, np.ndarray) and src.ndim else src
    if reduce is None:
        out[key] = s
    elif reduce in ("add", "sum"):
        np.add.at(out, key, s)
    elif reduce in ("multiply", "prod"):
        np.multiply.at(out, key, s)
    elif reduce == "amax":
        np.maximum.at(out, key, s)
    elif reduce == "amin":
        np.minimum.at(out, key, s)
    else:
        raise RuntimeError(f"reduce argument must be either add or multiply. Got {reduce}")
    return out


class Scatter(Op):
    node_name = "ScatterBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, src, dim, index):
        ctx.dim, ctx.index = dim, index
        s = src._data.astype(a._data.dtype, copy=False) if is_tensor(src) else src
        return _scatter_np(a._data, dim, index, s)

    @staticmethod
    def backward(ctx, g):
        idx = _wrap(ctx.index)
        ga = g.scatter(ctx.dim, idx, 0) if ctx.needs_input_grad[0] else None
        gs = g.gather(ctx.dim, idx) if len(ctx.needs_input_grad) > 1 and ctx.needs_input_grad[1] else None
        return ga, gs


class ScatterValue(Scatter):
    node_name = "ScatterBackward1"


class ScatterAdd(Op):
    node_name = "ScatterAddBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, src, dim, index):
        ctx.dim, ctx.index = dim, index
        return _scatter_np(a._data, dim, index, src._data.astype(a._data.dtype, copy=False), "add")

    @staticmethod
    def backward(ctx, g):
        gs = g.gather(ctx.dim, _wrap(ctx.index)) if ctx.needs_input_grad[1] else None
        return g, gs


def scatter(input, dim, index, src=None, *, value=None, reduce=None):
    if src is None:
        src = value
    x = input._data
    d = norm_dim(dim, x.ndim)
    if not is_tensor(index) or index._data.dtype != np.int64:
        raise RuntimeError("scatter(): Expected dtype int64 for index")
    idx = index._data
    _gather_check(x, d, idx, "scatter")
    if reduce is not None:
        s = src._data if is_tensor(src) else src
        return _wrap(_scatter_np(x, d, idx, s, reduce))
    if is_tensor(src):
        return Scatter.apply(input, src, dim=d, index=idx)
    return ScatterValue.apply(input, src, dim=d, index=idx)


def scatter_add(input, dim, index, src):
    x = input._data
    d = norm_dim(dim, x.ndim)
    if not is_tensor(index) or index._data.dtype != np.int64:
        raise RuntimeError("scatter_add(): Expected dtype int64 for index")
    _gather_check(x, d, index._data, "scatter_add")
    return ScatterAdd.apply(input, src, dim=d, index=index._data)


def scatter_reduce(input, dim, index, src, reduce, *, include_self=True):
    x = input._data
    d = norm_dim(dim, x.ndim)
    idx = index._data
    if reduce == "mean":
        s = _scatter_np(x if include_self else np.zeros_like(x), d, idx, src._data, "add")
        cnt = _scatter_np(np.ones_like(x) if include_self else np.zeros_like(x), d, idx, np.ones_like(src._data), "add")
        hit = _scatter_np(np.zeros(x.shape, bool), d, idx, True)
        res = np.where(hit, s / np.maximum(cnt, 1), x)
        return _wrap(res.astype(x.dtype) if x.dtype.kind in "iu" else res.astype(x.dtype))
    base = x
    if not include_self:
        fill = {"sum": 0, "prod": 1, "amax": -np.inf, "amin": np.inf}[reduce]
        hit = _scatter_np(np.zeros(x.shape, bool), d, idx, True)
        base = np.where(hit, np.asarray(fill).astype(x.dtype) if x.dtype.kind == "f" else fill, x)
    return _wrap(_scatter_np(base, d, idx, src._data, reduce))


class MaskedFill(Op):
    node_name = "MaskedFillBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, value, mask):
        ctx.mask = mask
        v = value._data if is_tensor(value) else value
        return np.where(mask, np.asarray(v).astype(a._data.dtype) if is_tensor(value) else v, a._data).astype(a._data.dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        m = _wrap(ctx.mask)
        ga = g.masked_fill(m, 0) if ctx.needs_input_grad[0] else None
        gv = (g * m.to(g.dtype)).sum() if len(ctx.needs_input_grad) > 1 and ctx.needs_input_grad[1] else None
        return ga, gv


def masked_fill(input, mask, value):
    if not is_tensor(mask) or mask._data.dtype != bool:
        raise RuntimeError(f"masked_fill_ only supports boolean masks, but got mask with dtype "
                           f"{mask.dtype if is_tensor(mask) else type(mask).__name__}")
    if is_tensor(value) and value._data.ndim != 0:
        raise RuntimeError(f"masked_fill_ only supports a 0-dimensional value tensor, but got tensor with "
                           f"{value._data.ndim} dimension(s).")
    try:
        np.broadcast_shapes(mask._data.shape, input._data.shape)
    except ValueError:
        raise RuntimeError(f"The size of tensor a ({input._data.shape[-1]}) must match the size of tensor b "
                           f"({mask._data.shape[-1]}) at non-singleton dimension {input._data.ndim - 1}") from None
    return MaskedFill.apply(input, value, mask=mask._data)


class MaskedSelect(Op):
    node_name = "MaskedSelectBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, mask):
        x = a._data
        shape = np.broadcast_shapes(x.shape, mask.shape)
        ctx.shape, ctx.xshape = shape, x.shape
        ctx.mask = np.broadcast_to(mask, shape)
        return np.broadcast_to(x, shape)[ctx.mask]

    @staticmethod
    def backward(ctx, g):
        return IndexAdd_.apply(g, shape=ctx.shape, key=ctx.mask)


def masked_select(input, mask):
    if not is_tensor(mask) or mask._data.dtype != bool:
        raise RuntimeError(f"masked_select: expected BoolTensor for mask")
    return MaskedSelect.apply(input, mask=mask._data)


def masked_scatter(input, mask, source):
    x = input._data
    m = np.broadcast_to(mask._data, x.shape)
    out = x.copy()
    n = int(m.sum())
    out[m] = source._data.reshape(-1)[:n]
    return _wrap(out)


class Take(Op):
    node_name = "TakeBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, index):
        x = a._data
        ctx.shape, ctx.index = x.shape, index
        return x.reshape(-1)[index]

    @staticmethod
    def backward(ctx, g):
        flat = IndexAdd_.apply(g, shape=(int(np.prod(ctx.shape)),), key=ctx.index)
        return flat.reshape(ctx.shape)


def take(input, index):
    idx = index._data
    n = input._data.size
    if idx.size and (idx.max() >= n or idx.min() < -n):
        raise IndexError(f"out of range: tried to access index {idx.max() if idx.max() >= n else idx.min()} on a tensor of {n} elements.")
    return Take.apply(input, index=idx)


def take_along_dim(input, indices, dim=None):
    if dim is None:
        return take(input, indices.reshape(-1))
    return gather(input, dim, indices)


def nonzero(input, *, as_tuple=False):
    x = input._data
    if as_tuple:
        if x.ndim == 0:
            return (_wrap(np.nonzero(np.atleast_1d(x))[0].astype(np.int64)),)
        return tuple(_wrap(i.astype(np.int64)) for i in np.nonzero(x))
    if x.ndim == 0:
        return _wrap(np.zeros((1 if x else 0, 0), np.int64))
    return _wrap(np.argwhere(x).astype(np.int64, copy=False))


def argwhere(input):
    return nonzero(input)


# ============================================================================ sorting

def _sort_idx(x, dim, descending, stable=True):
    if not descending:
        return np.argsort(x, axis=dim, kind="stable")
    # stable descending: sort the reversed array ascending, then map back (ties keep their order)
    n = x.shape[dim]
    r = np.argsort(np.flip(x, dim), axis=dim, kind="stable")
    return (n - 1) - np.flip(r, dim)


class Sort(Op):
    node_name = "SortBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, dim, descending, stable):
        x = a._data
        ctx.shape, ctx.dim = x.shape, dim
        if x.ndim == 0:
            ctx.mark_non_differentiable(1)
            ctx.idx = np.zeros((), np.int64)
            return x.copy(), ctx.idx
        idx = _sort_idx(x, dim, descending, stable).astype(np.int64)
        ctx.idx = idx
        ctx.mark_non_differentiable(1)
        return np.take_along_axis(x, idx, dim), idx

    @staticmethod
    def backward(ctx, g, gi=None):
        if g.ndim == 0:
            return g
        z = _wrap(np.zeros(ctx.shape, dtype=g._data.dtype))
        return z.scatter(ctx.dim, _wrap(ctx.idx), g)


def sort(input, dim=-1, descending=False, stable=False):
    from ..return_types import sort as rt
    d = norm_dim(dim, input._data.ndim)
    v, i = Sort.apply(input, dim=d, descending=descending, stable=stable)
    return rt(v, i)


def argsort(input, dim=-1, descending=False, stable=False):
    x = input._data
    if x.ndim == 0:
        return _wrap(np.zeros((), np.int64))
    return _wrap(_sort_idx(x, norm_dim(dim, x.ndim), descending).astype(np.int64))


class Topk(Sort):
    node_name = "TopkBackward0"

    @staticmethod
    def forward(ctx, a, k, dim, largest, sorted):
        x = a._data
        ctx.shape, ctx.dim = x.shape, dim
        ctx.mark_non_differentiable(1)
        if x.ndim == 0:
            ctx.idx = np.zeros((), np.int64)
            return x.copy(), ctx.idx
        idx = _sort_idx(x, dim, largest)
        idx = np.take(idx, np.arange(k), axis=dim).astype(np.int64)
        ctx.idx = idx
        return np.take_along_axis(x, idx, dim), idx


def topk(input, k, dim=-1, largest=True, sorted=True):
    from ..return_types import topk as rt
    x = input._data
    d = norm_dim(dim, x.ndim)
    size = x.shape[d] if x.ndim else 1
    if k < 0 or k > size:
        raise RuntimeError("selected index k out of range")
    v, i = Topk.apply(input, k=k, dim=d, largest=largest, sorted=sorted)
    return rt(v, i)


def kthvalue(input, k, dim=-1, keepdim=False):
    from ..return_types import kthvalue as rt
    x = input._data
    d = norm_dim(dim, x.ndim)
    if k < 1 or k > (x.shape[d] if x.ndim else 1):
        raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {d}")
    v, i = sort(input, d)
    v, i = v.narrow(d, k - 1, 1), i.narrow(d, k - 1, 1)
    if not keepdim:
        v, i = v.squeeze(d), i.squeeze(d)
    return rt(v, i)


def median(input, dim=None, keepdim=False):
    x = input._data
    if dim is None:
        flat = input.reshape(-1)
        n = flat._data.size
        return sort(flat).values[(n - 1) // 2]
    from ..return_types import median as rt
    d = norm_dim(dim, x.ndim)
    n = x.shape[d]
    v, i = kthvalue(input, (n - 1) // 2 + 1, d, keepdim)
    return rt(v, i)


def msort(input):
    return sort(input, 0).values


def unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None):
    x = input._data
    if dim is None:
        res = np.unique(x.reshape(-1), return_inverse=return_inverse, return_counts=return_counts)
    else:
        res = np.unique(x, return_inverse=return_inverse, return_counts=return_counts, axis=norm_dim(dim, x.ndim))
    if not isinstance(res, tuple):
        return _wrap(res)
    out = [_wrap(res[0])]
    j = 1
    if return_inverse:
        inv = res[j].astype(np.int64)
        out.append(_wrap(inv.reshape(x.shape) if dim is None else inv.reshape(-1)))
        j += 1
    if return_counts:
        out.append(_wrap(res[j].astype(np.int64)))
    return tuple(out)


def unique_consecutive(input, return_inverse=False, return_counts=False, dim=None):
    x = input._data.reshape(-1)
    if x.size == 0:
        keep = np.zeros(0, bool)
    else:
        keep = np.concatenate([[True], x[1:] != x[:-1]])
    vals = x[keep]
    out = [_wrap(vals)]
    if return_inverse:
        out.append(_wrap((np.cumsum(keep) - 1).astype(np.int64).reshape(input._data.shape)))
    if return_counts:
        starts = np.flatnonzero(keep)
        out.append(_wrap(np.diff(np.append(starts, x.size)).astype(np.int64)))
    return out[0] if len(out) == 1 else tuple(out)


def bincount(input, weights=None, minlength=0):
    x = input._data
    if x.ndim != 1 or (x.size and x.min() < 0):
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    w = weights._data if weights is not None else None
    r = np.bincount(x, weights=w, minlength=minlength)
    if w is None:
        r = r.astype(np.int64)
    elif w.dtype == np.float32:
        r = r.astype(np.float32)
    return _wrap(r)


def searchsorted(sorted_sequence, values, *, out_int32=False, right=False, side=None, sorter=None):
    s = sorted_sequence._data
    v = values._data if is_tensor(values) else np.asarray(values)
    side = side or ("right" if right else "left")
    dt = np.int32 if out_int32 else np.int64
    if s.ndim == 1:
        return _wrap(np.asarray(np.searchsorted(s, v, side=side)).astype(dt))
    flat_s = s.reshape(-1, s.shape[-1])
    flat_v = v.reshape(-1, v.shape[-1])
    # offset each row into its own range so one searchsorted handles the batch
    off = (np.arange(flat_s.shape[0]) * 2.0)[:, None]
    lo, hi = min(flat_s.min(), flat_v.min()), max(flat_s.max(), flat_v.max())
    span = (hi - lo) + 1.0
    fs = ((flat_s - lo) / span + off).reshape(-1)
    fv = ((flat_v - lo) / span + off).reshape(-1)
    r = np.searchsorted(fs, fv, side=side).reshape(flat_v.shape) - (np.arange(flat_s.shape[0]) * flat_s.shape[1])[:, None]
    return _wrap(r.reshape(v.shape).astype(dt))


def bucketize(input, boundaries, *, out_int32=False, right=False):
    return searchsorted(boundaries, input, out_int32=out_int32, right=right)


# ============================================================================ triangles & diagonals

class Tril(Op):
    node_name = "TrilBackward0"
    saves = False
    _f = staticmethod(np.tril)

    @classmethod
    def forward(cls, ctx, a, diagonal=0):
        x = a._data
        if x.ndim < 2:
            raise RuntimeError(f"{cls.__name__.lower()}: input tensor must have at least 2 dimensions")
        ctx.k = diagonal
        return cls._f(x, diagonal)

    @classmethod
    def backward(cls, ctx, g):
        return cls._wrapfn(g, ctx.k)


class Triu(Tril):
    node_name = "TriuBackward0"
    _f = staticmethod(np.triu)


Tril._wrapfn = staticmethod(lambda g, k: tril(g, k))
Triu._wrapfn = staticmethod(lambda g, k: triu(g, k))


def tril(input, diagonal=0):
    return Tril.apply(input, diagonal=diagonal)


def triu(input, diagonal=0):
    return Triu.apply(input, diagonal=diagonal)


class Diagonal(Op):
    node_name = "DiagonalBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, offset=0, dim1=0, dim2=1):
        x = a._data
        ctx.shape, ctx.args = x.shape, (offset, dim1, dim2)
        return np.diagonal(x, offset, dim1, dim2)

    @staticmethod
    def backward(ctx, g):
        offset, d1, d2 = ctx.args
        z = np.zeros(ctx.shape, dtype=g._data.dtype)
        zt = _wrap(z)
        # write the grad onto the same diagonal view
        np.diagonal(z, offset, d1, d2).setflags(write=True) if False else None
        return DiagScatter.apply(g, shape=ctx.shape, args=ctx.args)


class DiagScatter(Op):
    node_name = "DiagonalScatterBackward0"
    saves = False

    @staticmethod
    def forward(ctx, g, shape, args):
        ctx.args = args
        offset, d1, d2 = args
        z = np.zeros(shape, dtype=g._data.dtype)
        # a writable view of the diagonal: move d1, d2 last and index the diagonal positions
        zm = np.moveaxis(z, (d1, d2), (-2, -1))
        n1, n2 = zm.shape[-2], zm.shape[-1]
        i = np.arange(g._data.shape[-1])
        r, c = (i, i + offset) if offset >= 0 else (i - offset, i)
        zm[..., r, c] = g._data
        return z

    @staticmethod
    def backward(ctx, gg):
        return gg.diagonal(*ctx.args)


def diagonal(input, offset=0, dim1=0, dim2=1):
    n = input._data.ndim
    d1, d2 = norm_dim(dim1, n), norm_dim(dim2, n)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    return _as_view(Diagonal.apply(input, offset=offset, dim1=d1, dim2=d2), input)


class DiagEmbed(Op):
    node_name = "DiagEmbedBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, offset=0):
        ctx.offset = offset
        return np.diag(a._data, offset)

    @staticmethod
    def backward(ctx, g):
        return g.diagonal(ctx.offset)


def diag(input, diagonal=0):
    n = input._data.ndim
    if n == 1:
        return DiagEmbed.apply(input, offset=diagonal)
    if n == 2:
        return diagonal_copy(input, diagonal)
    raise RuntimeError("diag(): Supports 1D or 2D tensors. Got " + f"{n}D")


def diagonal_copy(input, offset=0):
    return diagonal(input, offset).clone()


def diag_embed(input, offset=0, dim1=-2, dim2=-1):
    x = input._data
    n = x.shape[-1] + builtins.abs(offset)
    out_shape = x.shape[:-1] + (n, n)
    out = DiagScatter.apply(input, shape=out_shape, args=(offset, len(out_shape) - 2, len(out_shape) - 1))
    return out


def trace(input):
    if input._data.ndim != 2:
        raise RuntimeError("trace: expected a matrix, but got tensor with dim " + str(input._data.ndim))
    return diagonal(input).sum()
