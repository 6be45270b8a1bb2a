"""Index-based gathers and scatters: index_select/add/fill/copy, gather, scatter(_add/_reduce), masks, take."""
import builtins
import warnings

import numpy as np

from .. import dtypes as D
from ._util import _wrap, is_tensor, norm_dim
from .elementwise import Op, _type_name, zeros_scalar
from . import elementwise as _ew
from .shape import _broadcast_shape
from .index import IndexAdd_, _FULL, _scalar_to, _value_array


# ============================================================================ index_select / gather / scatter

def _index_vector(index, name):
    if not is_tensor(index) or index._data.dtype.kind not in "iu" or index._data.dtype == np.uint8:
        raise RuntimeError(f"{name}(): Expected dtype int32 or int64 for index")
    idx = index._data
    if idx.ndim > 1:
        raise IndexError(f"{name}(): Index is supposed to be a vector")
    return idx.reshape(-1).astype(np.int64, copy=False)


class IndexSelect(Op):
    node_name = "IndexSelectBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, dim, index):
        x = a._data
        ctx.shape, ctx.dim, ctx.index = x.shape, dim, index
        if x.ndim == 0:
            return x.copy()
        return np.ascontiguousarray(np.take(x, index, axis=dim))

    @staticmethod
    def backward(ctx, g):
        z = _wrap(np.zeros(ctx.shape, dtype=g._data.dtype))
        if not ctx.shape:
            return g.reshape(()) * ctx.index.size if ctx.index.size else z
        return z.index_add(ctx.dim, _wrap(ctx.index), g)


def index_select(input, dim, index):
    idx = _index_vector(index, "index_select")
    x = input._data
    d = norm_dim(dim, x.ndim)
    size = x.shape[d] if x.ndim else 1
    if idx.size and (idx.max() >= size or idx.min() < 0):
        raise IndexError("index out of range in self")
    if x.ndim == 0 and idx.size != 1:
        raise IndexError("index_select(): Index to scalar can have only 1 value, got " + str(idx.size) + " value(s)")
    return IndexSelect.apply(input, dim=d, index=idx)


def _check_index_range(idx, size, d, exc=RuntimeError, prefix=""):
    if idx.size:
        bad = (idx < 0) | (idx >= size)
        if bad.any():
            raise exc(f"{prefix}index {int(idx.reshape(-1)[np.argmax(bad.reshape(-1))])} is out of bounds for "
                      f"dimension {d} with size {size}")


class IndexAdd(Op):
    node_name = "IndexAddBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, src, dim, index, alpha=1):
        ctx.dim, ctx.index, ctx.alpha = dim, index, alpha
        out = np.array(a._data, copy=True)
        s = src._data if alpha == 1 else src._data * alpha
        if out.ndim == 0:
            np.add.at(out.reshape(1), np.zeros(index.size, np.int64), s.reshape(-1).astype(out.dtype, copy=False))
            return out
        # add.at accumulates repeated indices (a plain fancy += would keep only the last)
        np.add.at(out, (_FULL,) * dim + (index,), s.astype(out.dtype, copy=False))
        return out

    @staticmethod
    def backward(ctx, g):
        gs = None
        if ctx.needs_input_grad[1]:
            src = ctx.inputs[1]
            gs = g.index_select(ctx.dim, _wrap(ctx.index)).reshape(src.shape)
            if ctx.alpha != 1:
                gs = gs * ctx.alpha
        return g, gs


def _same_dtype(a, b, msg):
    if a._data.dtype != b._data.dtype:
        raise RuntimeError(msg.format(_type_name(a._data.dtype), _type_name(b._data.dtype)))


def index_add(input, dim, index, source, *, alpha=1):
    x = input._data
    d = norm_dim(dim, x.ndim)
    if not is_tensor(index) or index._data.dtype.kind not in "iu" or index._data.dtype == np.uint8:
        got = _type_name(index._data.dtype) if is_tensor(index) else type(index).__name__
        raise RuntimeError(f"index_add_(): Expected dtype int32/int64 for index but got: {got}")
    idx = index._data
    if idx.ndim > 1:
        raise IndexError(f"index_add_(): Index is supposed to be a vector, but got dim: {idx.ndim} with type: "
                         f"{_type_name(idx.dtype)} and size: {list(idx.shape)}")
    idx = idx.reshape(-1).astype(np.int64, copy=False)
    _same_dtype(input, source, "index_add_(): self ({}) and source ({}) must have the same scalar type")
    s = source._data
    ns = s.shape[d] if s.ndim else 1
    if s.ndim and x.ndim and idx.size != ns:
        raise RuntimeError(f"index_add_(): Number of indices ({idx.size}) should be equal to source.size(dim): ({ns}), "
                           f"for dim: {d}")
    xs = tuple(n for i, n in enumerate(x.shape) if i != d)
    ss = tuple(n for i, n in enumerate(s.shape) if i != d)
    if (x.ndim and s.ndim and xs != ss) or (x.ndim == 0 and s.size != idx.size) or \
            (x.ndim and not s.ndim and x.ndim != 1):
        raise RuntimeError(f"source tensor shape must match self tensor shape, excluding the specified dimension. "
                           f"Got self.shape = {list(x.shape)} source.shape = {list(s.shape)}")
    _check_index_range(idx, x.shape[d] if x.ndim else 1, d)
    if x.dtype.kind in "iub":
        alpha = int(alpha)
    src = source if s.ndim or not x.ndim else source.reshape(1)
    return IndexAdd.apply(input, src, dim=d, index=idx, alpha=alpha)


class IndexFill(Op):
    node_name = "IndexFillBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, value, dim, index):
        ctx.dim, ctx.index = dim, index
        out = np.array(a._data, copy=True)
        v = value._data if is_tensor(value) else value
        out[(_FULL,) * dim + (index,)] = v
        return out

    @staticmethod
    def backward(ctx, g):
        idx = _wrap(ctx.index)
        ga = g.index_fill(ctx.dim, idx, 0) if ctx.needs_input_grad[0] else None
        gv = None
        if len(ctx.needs_input_grad) > 1 and ctx.needs_input_grad[1]:
            gv = g.index_select(ctx.dim, idx).sum() if g.ndim else g * (ctx.index.size > 0)
        return ga, gv


class IndexFillValue(IndexFill):
    node_name = "IndexFillBackward1"


def index_fill(input, dim, index, value):
    x = input._data
    if not is_tensor(index) or index._data.dtype != np.int64:
        raise IndexError("index_fill_(): Expected dtype int64 for index.")
    idx = index._data
    if idx.ndim > 1:
        raise RuntimeError("Index has to be a vector/scalar")
    d = norm_dim(dim, x.ndim)
    size = x.shape[d] if x.ndim else 1
    idx = idx.reshape(-1)
    if idx.size and (idx.max() >= size or idx.min() < -size):
        bad = idx[(idx >= size) | (idx < -size)][0]
        raise IndexError(f"index {bad} is out of bounds for dimension {d} with size {size}")
    if is_tensor(value):
        if value._data.ndim != 0:
            raise RuntimeError(f"index_fill_ only supports a 0-dimensional value tensor, but got tensor with "
                               f"{value._data.ndim} dimension(s).")
        return IndexFillValue.apply(input, value, dim=d, index=idx if x.ndim else np.zeros(idx.size, np.int64))
    v = _scalar_to(value, x.dtype)
    if x.ndim == 0:
        idx = np.zeros(idx.size, np.int64)
    return IndexFill.apply(input, v, dim=d, index=idx)


class IndexCopy(Op):
    node_name = "IndexCopyBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, src, dim, index):
        ctx.dim, ctx.index = dim, index
        out = np.array(a._data, copy=True)
        out[(_FULL,) * dim + (index,)] = src._data
        return out

    @staticmethod
    def backward(ctx, g):
        idx = _wrap(ctx.index)
        ga = g.index_fill(ctx.dim, idx, 0) if ctx.needs_input_grad[0] else None
        gs = g.index_select(ctx.dim, idx).reshape(ctx.inputs[1].shape) if ctx.needs_input_grad[1] else None
        return ga, gs


def index_copy(input, dim, index, source):
    x = input._data
    d = norm_dim(dim, x.ndim)
    if not is_tensor(index) or index._data.dtype != np.int64:
        got = _type_name(index._data.dtype) if is_tensor(index) else type(index).__name__
        raise RuntimeError(f"index_copy_(): Expected a long tensor for index, but got {got}")
    if source._data.dtype != x.dtype:
        raise RuntimeError(f"index_copy_(): self and source expected to have the same dtype, but got (self) "
                           f"{_type_name(x.dtype)} and (source) {_type_name(source._data.dtype)}")
    idx = index._data
    if idx.ndim > 1:
        raise IndexError("index_copy_(): Index should have dimension 1 or 0 (got " + str(idx.ndim) + ")")
    idx = idx.reshape(-1)
    s = source._data
    ns = s.shape[d] if s.ndim else 1
    if idx.size != ns:
        raise IndexError(f"index_copy_(): Number of indices ({idx.size}) should be equal to source.size(dim) ({ns})")
    size = x.shape[d] if x.ndim else 1
    _check_index_range(idx, size, d, IndexError, "index_copy_(): ")
    if x.ndim == 0:
        return IndexCopy.apply(input.reshape(1), source.reshape(1), dim=0, index=idx).reshape(())
    return IndexCopy.apply(input, source, dim=d, index=idx)


def _gather_index(index, name):
    if not is_tensor(index) or index._data.dtype not in (np.int64, np.int32):
        raise RuntimeError(f"{name}(): Expected dtype int32/int64 for index" if name != "gather" else
                           "gather(): Expected dtype int32/int64 for index")
    return index._data.astype(np.int64, copy=False)


def _gather_check(x, dim, idx, src=None, name="gather"):
    """PyTorch's gather/scatter shape checks, in its order; then the index bounds."""
    xn = builtins.max(x.ndim, 1)
    ishape = idx.shape or (1,)
    xshape = x.shape or (1,)
    if name == "gather":
        if builtins.max(idx.ndim, 1) != xn:
            raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
        for i in range(xn):
            if i != dim and ishape[i] > xshape[i]:
                raise RuntimeError(f"Size does not match at dimension {i} expected index {list(idx.shape)} to be no "
                                   f"larger than self {list(x.shape)} apart from dimension {dim}")
    elif idx.size:
        if builtins.max(idx.ndim, 1) != xn:
            raise RuntimeError("Index tensor must have the same number of dimensions as self tensor")
        if src is not None and src.ndim == 0 and idx.ndim:
            raise RuntimeError("Index tensor must have the same number of dimensions as src tensor")
        wrong = builtins.any(i != dim and ishape[i] > xshape[i] for i in range(xn))
        if src is not None:
            sn = builtins.max(src.ndim, 1)
            sshape = src.shape or (1,)
            for i in range(xn):
                if wrong:
                    break
                if i >= sn:  # PyTorch reads src.size(i)
                    raise IndexError(f"Dimension out of range (expected to be in range of [{-sn}, {sn - 1}], but got "
                                     f"{i})")
                wrong = ishape[i] > sshape[i]
            if wrong:
                raise RuntimeError(f"Expected index {list(idx.shape)} to be no larger than self {list(x.shape)} apart "
                                   f"from dimension {dim} and to be no larger size than src {list(src.shape)}")
            if sn != builtins.max(idx.ndim, 1):
                raise RuntimeError("Index tensor must have the same number of dimensions as src tensor")
        elif wrong:
            raise RuntimeError(f"Expected index {list(idx.shape)} to be no larger than self {list(x.shape)} apart "
                               f"from dimension {dim}")
    _check_index_range(idx, xshape[dim], dim)


def _scatter_key(idx, dim):
    grids = np.indices(idx.shape, sparse=True)
    return tuple(idx if i == dim else grids[i] for i in range(idx.ndim))


class Gather(Op):
    node_name = "GatherBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, dim, index):
        x = a._data
        ctx.shape, ctx.dim, ctx.index = x.shape, dim, index
        if x.ndim == 0:
            return np.broadcast_to(x, index.shape).copy()
        if index.ndim == 0:
            return x[_scatter_key(index.reshape(1), dim)].reshape(())
        return x[_scatter_key(index, dim)]

    @staticmethod
    def backward(ctx, g):
        z = _wrap(np.zeros(ctx.shape, dtype=g._data.dtype))
        if not ctx.shape:
            return g.sum()
        return z.scatter_add(ctx.dim, _wrap(ctx.index), g)


def gather(input, dim, index, *, sparse_grad=False):
    idx = _gather_index(index, "gather")
    x = input._data
    d = norm_dim(dim, x.ndim)
    _gather_check(x, d, idx)
    return Gather.apply(input, dim=d, index=idx)


def _scatter_np(x, dim, idx, src, reduce=None):
    """out = x.copy(); out[...idx along dim...] = src (or reduce into it)."""
    out = np.array(x, copy=True)
    if idx.size == 0:
        return out
    if idx.ndim == 0:
        idx = idx.reshape(1)
        if isinstance(src, np.ndarray) and src.ndim == 0:
            src = src.reshape(1)
    if out.ndim == 0:
        o = out.reshape(1)
        key = (np.zeros(idx.size, np.int64),)
        s = src.reshape(-1)[:idx.size] if isinstance(src, np.ndarray) and src.ndim else src
    else:
        o = out
        key = _scatter_key(idx, dim)
        s = src[tuple(slice(0, n) for n in idx.shape)] if isinstance(src, np.ndarray) and src.ndim else src
    if reduce is None:
        o[key] = s
    elif reduce in ("add", "sum"):
        np.add.at(o, key, s)
    elif reduce in ("multiply", "prod"):
        np.multiply.at(o, key, s)
    elif reduce == "amax":
        np.maximum.at(o, key, s)
    elif reduce == "amin":
        np.minimum.at(o, key, s)
    return out


class Scatter(Op):
    node_name = "ScatterBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, src, dim, index, reduce=None):
        ctx.dim, ctx.index = dim, index
        s = src._data if is_tensor(src) else src
        return _scatter_np(a._data, dim, index, s, reduce)

    @staticmethod
    def backward(ctx, g):
        idx = _wrap(ctx.index)
        ga = g.scatter(ctx.dim, idx, 0) if ctx.needs_input_grad[0] else None
        gs = _src_grad(ctx, g) if len(ctx.needs_input_grad) > 1 else None
        return ga, gs


class ScatterValue(Scatter):
    node_name = "ScatterBackward1"


class ScatterAdd(Op):
    node_name = "ScatterAddBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, src, dim, index):
        ctx.dim, ctx.index = dim, index
        return _scatter_np(a._data, dim, index, src._data, "add")

    @staticmethod
    def backward(ctx, g):
        return g, _src_grad(ctx, g)


def _src_grad(ctx, g):
    """The grad of scatter's ``src``: ``g`` gathered at the index; zeros where src is larger than the index."""
    if not ctx.needs_input_grad[1]:
        return None
    src = ctx.inputs[1]
    gs = g.gather(ctx.dim, _wrap(ctx.index))
    if tuple(gs.shape) != tuple(src.shape):
        gs = _pad_to(gs, src._data.shape)
    return gs


def _pad_to(g, shape):
    """``g`` in the leading corner of zeros of ``shape`` (an op, so create_graph differentiates through it)."""
    from .index import SliceScatter
    return SliceScatter.apply(g, shape=tuple(shape), key=tuple(slice(0, n) for n in g.shape))



def _scatter_args(input, dim, index, src, name):
    x = input._data
    d = norm_dim(dim, x.ndim)
    idx = _gather_index(index, name)
    if is_tensor(src) and src._data.dtype != x.dtype:
        raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
    _gather_check(x, d, idx, src._data if is_tensor(src) else None, name)
    return d, idx


def scatter(input, dim, index, src=None, *, value=None, reduce=None):
    if src is None:
        src = value
    d, idx = _scatter_args(input, dim, index, src, "scatter")
    if reduce is not None:
        if reduce not in ("add", "multiply"):
            raise RuntimeError("reduce argument must be either add or multiply.")
        if is_tensor(src):
            warnings.warn("The reduce argument of torch.scatter with Tensor src is deprecated and will be removed in "
                          "a future PyTorch release. Use torch.scatter_reduce instead for more reduction options.",
                          UserWarning, stacklevel=2)
            s = src._data
        else:
            s = _scalar_to(src, input._data.dtype)
        return _wrap(_scatter_np(input._data, d, idx, s, reduce))
    if is_tensor(src):
        return Scatter.apply(input, src, dim=d, index=idx)
    return ScatterValue.apply(input, _scalar_to(src, input._data.dtype), dim=d, index=idx)


def scatter_add(input, dim, index, src):
    d, idx = _scatter_args(input, dim, index, src, "scatter_add")
    return ScatterAdd.apply(input, src, dim=d, index=idx)


def _scatter_reduce_np(x, d, idx, s, reduce, include_self):
    """PyTorch's scatter_reduce: returns (result, count of contributions incl. self, hit mask)."""
    hit = _scatter_np(np.zeros(x.shape, bool), d, idx, True)
    if reduce == "mean":
        total = _scatter_np(x if include_self else np.where(hit, np.zeros((), x.dtype), x), d, idx, s, "add")
        cnt = _scatter_np(np.ones(x.shape, np.int64) if include_self else np.zeros(x.shape, np.int64), d, idx,
                          np.ones(idx.shape, np.int64), "add")
        c = np.maximum(cnt, 1)
        if x.dtype.kind in "iu":
            res = np.where(hit, np.floor_divide(total, c.astype(x.dtype)), x)
        else:
            res = np.where(hit, total / c.astype(x.dtype), x)
        return res.astype(x.dtype, copy=False), cnt, hit
    base = x
    if not include_self:
        if x.dtype.kind == "f":
            fill = {"sum": 0, "prod": 1, "amax": -np.inf, "amin": np.inf}[reduce]
        elif x.dtype.kind == "b":
            fill = {"sum": False, "prod": True, "amax": False, "amin": True}[reduce]
        else:
            info = np.iinfo(x.dtype)
            fill = {"sum": 0, "prod": 1, "amax": info.min, "amin": info.max}[reduce]
        base = np.where(hit, np.asarray(fill).astype(x.dtype), x)
    return _scatter_np(base, d, idx, s, reduce), None, hit


class ScatterReduce(Op):
    node_name = "ScatterReduceBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, src, dim, index, reduce, include_self):
        x = a._data
        res, cnt, hit = _scatter_reduce_np(x, dim, index, src._data, reduce, include_self)
        ctx.dim, ctx.index, ctx.reduce, ctx.include_self = dim, index, reduce, include_self
        ctx.hit = hit
        return res

    @staticmethod
    def backward(ctx, g):
        # PyTorch's scatter_reduce_backward, written with ops so that create_graph differentiates it
        self_t, src_t = ctx.inputs
        x, s, index, d = self_t._data, src_t._data, ctx.index, ctx.dim
        idx = _wrap(index)
        dt = g._data.dtype
        sub = tuple(slice(0, n) for n in index.shape)
        sv, sv_np = (src_t, s) if s.shape == index.shape else (src_t[sub], s[sub])
        z = zeros_scalar(g)
        red = ctx.reduce
        if red == "sum":
            gx, gs = g, g.gather(d, idx)
        elif red == "mean":
            n = _scatter_np(np.ones(x.shape, dt) if ctx.include_self else np.zeros(x.shape, dt), d, index,
                            np.ones(index.shape, dt), "add")
            n[n == 0] = 1
            nt = _wrap(n)
            gx, gs = g / nt, g.gather(d, idx) / _wrap(n[_scatter_key(index, d)])
        elif red == "prod":
            masked_self = self_t.masked_fill(_wrap(x == 0), 1)
            gx = g * ScatterReduce.apply(masked_self, src_t, dim=d, index=index, reduce="prod",
                                         include_self=ctx.include_self) / masked_self
            src_zero = sv_np == 0
            nzero = _scatter_np(np.zeros(x.shape, np.int64), d, index, src_zero.astype(np.int64), "add")
            single = src_zero & (nzero[_scatter_key(index, d)] == 1)
            full_single = np.zeros(s.shape, bool)
            full_single[sub] = single
            masked_src_res = ScatterReduce.apply(self_t, src_t.masked_fill(_wrap(full_single), 1), dim=d,
                                                 index=index, reduce="prod", include_self=ctx.include_self)
            gs = _ew.where(_wrap(single), (g * masked_src_res).gather(d, idx),
                           (g * ctx.saved_output()).gather(d, idx) / sv.masked_fill(_wrap(src_zero), 1))
        else:  # amax / amin: the grad is shared evenly by self and src elements equal to the result
            res = ctx.saved_output()
            self_is = x == res._data
            src_is = sv_np == res._data[_scatter_key(index, d)]
            cnt = _wrap(_scatter_np(self_is.astype(dt), d, index, src_is.astype(dt), "add"))
            share = g / cnt  # PyTorch counts self even without include_self
            gx = _ew.where(_wrap(self_is), share, z)
            gs = _ew.where(_wrap(src_is), share.gather(d, idx), z)
        if not ctx.include_self:
            gx = gx.masked_fill(_wrap(ctx.hit), 0)
        if tuple(gs.shape) != s.shape:
            gs = _pad_to(gs, s.shape)
        return gx, gs


def scatter_reduce(input, dim, index, src, reduce, *, include_self=True):
    if reduce not in ("sum", "prod", "mean", "amax", "amin"):
        raise RuntimeError(f"reduce argument must be either sum, prod, mean, amax or amin, got {reduce}")
    d, idx = _scatter_args(input, dim, index, src, "scatter_reduce")
    return ScatterReduce.apply(input, src, dim=d, index=idx, reduce=reduce, include_self=include_self)


# ============================================================================ masks

_CPP_MASK_NAMES = {"int64": "long int", "int32": "int", "int16": "short int", "int8": "signed char",
                   "uint8": "unsigned char", "float32": "float", "float64": "double", "float16": "c10::Half",
                   "bfloat16": "c10::BFloat16", "complex64": "c10::complex<float>",
                   "complex128": "c10::complex<double>"}


class MaskedFill(Op):
    node_name = "MaskedFillBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, value, mask):
        x = a._data
        ctx.mask = mask
        ctx.shape = np.broadcast_shapes(x.shape, mask.shape)
        v = _value_array(value, x.dtype) if is_tensor(value) else value
        return np.where(mask, v, x).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        m = _wrap(ctx.mask)
        ga = g.masked_fill(m, 0) if ctx.needs_input_grad[0] else None
        gv = None
        if len(ctx.needs_input_grad) > 1 and ctx.needs_input_grad[1]:
            gv = (g * m.to(g.dtype)).sum()
            if gv.dtype != ctx.inputs[1].dtype:
                gv = gv.to(ctx.inputs[1].dtype)
        return ga, gv


class MaskedFillValue(MaskedFill):
    node_name = "MaskedFillBackward1"


def _bool_mask(mask, name):
    if not is_tensor(mask) or mask._data.dtype != bool:
        dt = _CPP_MASK_NAMES.get(D.from_numpy_dtype(mask._data.dtype).name) if is_tensor(mask) else type(mask).__name__
        raise RuntimeError(f"{name} only supports boolean masks, but got mask with dtype {dt}")
    return mask._data


def masked_fill(input, mask, value):
    m = _bool_mask(mask, "masked_fill_")
    x = input._data
    _broadcast_shape([m.shape, x.shape])
    if is_tensor(value):
        if value._data.ndim != 0:
            raise RuntimeError(f"masked_fill_ only supports a 0-dimensional value tensor, but got tensor with "
                               f"{value._data.ndim} dimension(s).")
        return MaskedFillValue.apply(input, value, mask=m)
    return MaskedFill.apply(input, _scalar_to(value, x.dtype), mask=m)


class MaskedSelect(Op):
    node_name = "MaskedSelectBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, mask):
        x = a._data
        shape = np.broadcast_shapes(x.shape, mask.shape)
        ctx.shape = shape
        ctx.mask = m = np.broadcast_to(mask, shape)
        return np.broadcast_to(x, shape)[m]

    @staticmethod
    def backward(ctx, g):
        return IndexAdd_.apply(g, shape=ctx.shape, key=(Ellipsis,), adv=(ctx.mask,))


def masked_select(input, mask):
    if not is_tensor(mask) or mask._data.dtype != bool:
        raise RuntimeError("masked_select: expected BoolTensor for mask")
    _broadcast_shape([mask._data.shape, input._data.shape])
    return MaskedSelect.apply(input, mask=mask._data)


class MaskedScatter(Op):
    node_name = "MaskedScatterBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, source, mask):
        x = a._data
        shape = np.broadcast_shapes(x.shape, mask.shape)
        m = np.broadcast_to(mask, shape)
        ctx.mask, ctx.n = m, n = m, int(m.sum())
        out = np.array(np.broadcast_to(x, shape), copy=True)
        out[m] = source._data.reshape(-1)[:n]
        return out

    @staticmethod
    def backward(ctx, g):
        m = _wrap(ctx.mask)
        ga = g.masked_fill(m, 0) if ctx.needs_input_grad[0] else None
        gs = None
        if ctx.needs_input_grad[1]:
            # g at the mask, in order, then zeros for the unused tail of source (ops: differentiable)
            src = ctx.inputs[1]
            gs = g.masked_select(m)
            if src._data.size != ctx.n:
                gs = _pad_to(gs, (src._data.size,))
            gs = gs.reshape(src._data.shape)
        return ga, gs


def masked_scatter(input, mask, source):
    if not is_tensor(mask) or mask._data.dtype != bool:
        dt = _type_name(mask._data.dtype) if is_tensor(mask) else type(mask).__name__
        raise RuntimeError(f"masked_scatter_ only supports boolean masks, but got mask with dtype {dt}")
    if source._data.dtype != input._data.dtype:
        raise RuntimeError(f"masked_scatter: expected self and source to have same dtypes but got"
                           f"{_type_name(input._data.dtype)} and {_type_name(source._data.dtype)}")
    shape = _broadcast_shape([input._data.shape, mask._data.shape])
    if int(np.broadcast_to(mask._data, shape).sum()) > source._data.size:
        raise RuntimeError("Number of elements of source < number of ones in mask")
    return MaskedScatter.apply(input, source, mask=mask._data)


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
        n = 1
        for s in ctx.shape:
            n *= s
        return IndexAdd_.apply(g, shape=(n,), key=(Ellipsis,), adv=(ctx.index,)).reshape(ctx.shape)


def take(input, index):
    if not is_tensor(index) or index._data.dtype != np.int64:
        got = _type_name(index._data.dtype) if is_tensor(index) else type(index).__name__
        raise RuntimeError(f"take(): Expected a long tensor for index, but got {got}")
    idx = index._data
    n = input._data.size
    if idx.size:
        bad = (idx >= n) | (idx < -n)
        if bad.any():
            raise IndexError(f"out of range: tried to access index {int(idx[bad].reshape(-1)[0])} on a tensor of {n} "
                             f"elements.")
    return Take.apply(input, index=idx)


def take_along_dim(input, indices, dim=None):
    if dim is None:
        return gather(input.reshape(-1), 0, indices.reshape(-1))
    x = input._data
    d = norm_dim(dim, x.ndim)
    # broadcast self and indices in every dim but ``dim``
    xs, ishp = list(x.shape), list(indices._data.shape)
    if len(xs) != len(ishp):
        raise RuntimeError(f"torch.take_along_dim(): input and indices should have the same number of dimensions, "
                           f"but got {len(xs)} dimensions for input, and {len(ishp)} dimensions for indices")
    xs[d] = ishp[d] = 1
    b = list(_broadcast_shape([tuple(xs), tuple(ishp)]))
    bx, bi = list(b), list(b)
    bx[d], bi[d] = x.shape[d], indices._data.shape[d]
    from .shape import expand
    inp = input if tuple(bx) == x.shape else expand(input, tuple(bx))
    ind = indices if tuple(bi) == indices._data.shape else expand(indices, tuple(bi))
    return gather(inp, d, ind)


def nonzero(input, *, as_tuple=False):
    x = input._data
    if as_tuple:
        if x.ndim == 0:
            return (_wrap(np.nonzero(np.atleast_1d(x))[0].astype(np.int64)),)
        return tuple(_wrap(i.astype(np.int64)) for i in np.nonzero(x))
    if x.ndim == 0:
        return _wrap(np.zeros((1 if x else 0, 0), np.int64))
    return _wrap(np.ascontiguousarray(np.argwhere(x).astype(np.int64, copy=False)))


def argwhere(input):
    return nonzero(input)


def index_put_(input, indices, values, accumulate=False):
    """``input[indices] = values`` (``+=`` with repeated indices adding up when ``accumulate``)."""
    if not isinstance(indices, (tuple, list)):
        raise TypeError(f"index_put_(): argument 'indices' must be tuple of Tensors, not {type(indices).__name__}")
    key = tuple(indices)
    if not is_tensor(values):
        raise TypeError(f"index_put_(): argument 'values' must be Tensor, not {type(values).__name__}")
    if not accumulate:
        input[key] = values
        return input
    adv = tuple(i._data if is_tensor(i) else np.asarray(i) for i in key)
    shape = input._data[adv].shape
    v = values.to(input.dtype).expand(shape)
    return input.add_(IndexAdd_.apply(v, shape=input._data.shape, key=(Ellipsis,), adv=adv))


def index_put(input, indices, values, accumulate=False):
    return index_put_(input.clone(), indices, values, accumulate)
