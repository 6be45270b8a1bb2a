"""Indexing: ``t[key]`` / ``t[key] = v``, gather/scatter, masks, sort/topk, nonzero, unique, tril/triu, diag.

NOTE [ indexing ]: PyTorch applies an index tuple left to right: ints select,
slices slice, ``None`` unsqueezes (all views), and the tensor/list indices it
meets are collected and applied last, in one advanced ``index`` on the view.
``_parse`` replays that walk over shapes only, producing one NumPy basic key
for the view part and an advanced key on that view (ints never take part in
NumPy's advanced-index placement rules, exactly as in PyTorch).
"""
import builtins
import operator
import warnings

import numpy as np

from .. import dtypes as D
from ..autograd.grad_mode import _state
from ..autograd.function import check_view_inplace, set_history
from ._util import is_tensor, norm_dim
from .elementwise import Op, _type_name
from .shape import Select, Slice, Unsqueeze, _as_view, _broadcast_shape, _contig_strides, _expand_geometry, _restride

_SEQ_WARN = ("Using a non-tuple sequence for multidimensional indexing is deprecated and will be changed in pytorch "
             "2.9; use x[tuple(seq)] instead of x[seq]. In pytorch 2.9 this will be interpreted as tensor index, "
             "x[torch.tensor(seq)], which will result either in an error or a different result")
_IDX_DTYPE_ERR = "tensors used as indices must be long, int, byte or bool tensors"
_FULL = slice(None)


# ============================================================================ key parsing

def _seq_as_tuple(key):
    """PyTorch's ``treatSequenceAsTuple``: a short list holding slices/None/.../sequences is a tuple of indices."""
    if is_tensor(key) or isinstance(key, (str, bytes, np.ndarray)) or not hasattr(key, "__len__") or \
            not hasattr(key, "__getitem__"):
        return False
    try:
        n = len(key)
    except TypeError:
        return False
    if n >= 32:
        return False
    for i in range(n):
        o = key[i]
        if is_tensor(o) or isinstance(o, (list, tuple, np.ndarray, slice, str)) or o is None or o is Ellipsis:
            warnings.warn(_SEQ_WARN, UserWarning, stacklevel=4)
            return True
    return False


def _as_index_array(k):
    """A list/array/tensor index as a NumPy array (bool and byte: a mask); IndexError for float tensors."""
    if is_tensor(k):
        arr = k._data
    else:
        try:
            arr = np.asarray(k)
        except (ValueError, TypeError):
            arr = np.asarray([_int(v) for v in k])
        if arr.dtype == object:
            arr = np.asarray([_int(v) for v in k])
        if arr.dtype.kind == "f" or (arr.size == 0 and arr.dtype.kind not in "biu"):
            arr = arr.astype(np.int64)  # PyTorch converts float lists/arrays to long (truncating); not float tensors
    kind = arr.dtype.kind
    if kind in "US":
        raise TypeError(f"new(): invalid data type '{'str' if kind == 'U' else 'bytes'}'")
    # tensors: long/int indices, byte/bool masks only; lists and arrays of any integer type become long
    if kind not in "biu" or (is_tensor(k) and arr.dtype not in (np.int64, np.int32, np.uint8, np.bool_)):
        raise IndexError(_IDX_DTYPE_ERR)
    if arr.dtype == np.uint8:
        warnings.warn("indexing with dtype torch.uint8 is now deprecated, please use a dtype torch.bool instead.",
                      UserWarning, stacklevel=4)
        arr = arr.astype(bool)
    return arr


def _int(v):
    if is_tensor(v):
        return int(v.item())
    return operator.index(v)


def _count_specified(key):
    n = 0
    for k in key:
        if is_tensor(k):
            n += k._data.ndim if k._data.dtype in (np.bool_, np.uint8) else 1
        elif not (k is None or k is Ellipsis or k is True or k is False):
            n += 1
    return n


def _parse(key, x):
    """Replay PyTorch's ``applySlicing`` of ``key`` on ``x``'s shape.

    Returns ``(npkey, adv, node, restride)``: the NumPy basic key of the view
    part (always ending in ``...`` so a full selection is still a 0-d view), the
    advanced key applied to that view (or None), the view node class PyTorch
    would record last for the view part (``Alias`` when it does nothing), and,
    when the key inserts dims (NumPy gives those stride 0), PyTorch's byte
    strides of the view with the key minus its ``None``s and where they go.
    """
    shape = x.shape
    ndim = len(shape)
    specified = _count_specified(key)
    if specified > ndim:
        raise IndexError(f"too many indices for tensor of dimension {ndim}")
    sel = [_FULL] * ndim       # what each original dim receives
    seq = list(range(ndim))    # tokens in result order: original dims (ints >= 0) and inserted dims (< 0)
    cur = list(range(ndim))    # tokens of the running result's dims (selected dims removed)
    new_size = {}              # inserted token -> its torch stride
    adv = {}                   # token -> index array (a k-dim mask covers k tokens starting there)
    node = None
    dim = 0
    n_new = 0

    def insert(p):
        nonlocal n_new
        n_new += 1
        tok = -n_new
        if p < len(cur):
            t = cur[p]
            new_size[tok] = shape[t] * x.strides[t] if t >= 0 else x.itemsize
            seq.insert(seq.index(t), tok)
        else:
            new_size[tok] = x.itemsize
            seq.append(tok)
        cur.insert(p, tok)
        return tok

    for i, k in enumerate(key):
        if k is None:
            insert(dim)
            dim += 1
            node = Unsqueeze_
        elif k is Ellipsis:
            dim += ndim - specified
        elif k is True or k is False:
            tok = insert(dim)
            adv[tok] = np.zeros(1 if k else 0, np.int64)
            dim += 1
            node = Unsqueeze_
        elif isinstance(k, slice):
            if dim >= len(cur):
                raise IndexError(f"too many indices for tensor of dimension {ndim}")
            start, stop, step = (None if v is None else _int(v) for v in (k.start, k.stop, k.step))
            if step is not None and step <= 0:
                raise ValueError("slice step cannot be zero" if step == 0 else "step must be greater than zero")
            t = cur[dim]
            size = shape[t] if t >= 0 else 1
            if not ((start is None or start == 0) and (stop is None or stop >= size) and (step is None or step == 1)):
                if t < 0:
                    raise IndexError("slicing an inserted dimension is not supported")
                sel[t] = slice(start, stop, step)
                node = Slice
            dim += 1
        elif type(k) is int or isinstance(k, np.integer) or (
                is_tensor(k) and k._data.ndim == 0 and k._data.dtype.kind in "iu" and k._data.dtype != np.uint8):
            idx = int(k._data) if is_tensor(k) else int(k)
            if dim >= len(cur):
                raise IndexError(f"too many indices for tensor of dimension {ndim}")
            t = cur[dim]
            size = shape[t] if t >= 0 else 1
            if idx < -size or idx >= size:
                raise IndexError(f"index {idx} is out of bounds for dimension {i} with size {size}")
            if t < 0:
                raise IndexError("selecting an inserted dimension is not supported")
            sel[t] = idx + size if idx < 0 else idx
            del cur[dim]
            node = Select
        elif is_tensor(k) and k._data.ndim == 0:  # a 0-dim bool/byte tensor acts like a Python bool
            if k._data.dtype.kind not in "bu":
                raise IndexError(_IDX_DTYPE_ERR)
            tok = insert(dim)
            adv[tok] = np.zeros(1 if k._data else 0, np.int64)
            dim += 1
            node = Unsqueeze_
        elif is_tensor(k) or isinstance(k, (list, tuple, np.ndarray, range)):
            arr = _as_index_array(k)
            if dim >= len(cur) and not (arr.dtype == bool and arr.ndim == 0):
                raise IndexError(f"too many indices for tensor of dimension {ndim}")
            adv[cur[dim]] = arr
            dim += arr.ndim if arr.dtype == bool else 1
        elif isinstance(k, (str, bytes)):
            raise TypeError(f"new(): invalid data type '{type(k).__name__}'")
        else:
            raise IndexError("only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are "
                             "valid indices (got " + type(k).__name__ + ")")
    npkey = tuple(sel[t] if t >= 0 else None for t in seq) + (Ellipsis,)
    if adv:
        akey = []
        skip = 0
        for p, t in enumerate(cur):
            if skip:
                skip -= 1
                continue
            a = adv.get(t)
            if a is None:
                akey.append(_FULL)
            else:
                akey.append(a)
                if a.dtype == bool:
                    skip = a.ndim - 1
        return npkey, tuple(akey), node or Alias, None
    strides = None
    if n_new:
        # NumPy gives an inserted dim stride 0; PyTorch's unsqueeze gives it size * stride of the dim it precedes
        kept = [t for t in seq if t < 0 or not isinstance(sel[t], int)]
        strides = (tuple(new_size[t] if t < 0 else x.strides[t] * (sel[t].step or 1) for t in kept),
                   tuple(sel[t] for t in seq if t >= 0) + (Ellipsis,), tuple(i for i, t in enumerate(kept) if t < 0))
    return npkey, None, node or Alias, strides


def _check_advanced(view_shape, akey):
    """PyTorch's checks of an advanced index on the (sliced) view: mask shapes, broadcast, bounds.

    Returns the index arrays as NumPy wants them (masks kept as bool)."""
    dim = 0
    longs = []  # (array, size) per expanded index, in order
    for a in akey:
        if isinstance(a, slice):
            dim += 1
            continue
        if a.dtype == bool:
            for j in range(a.ndim):
                if dim + j >= len(view_shape) or a.shape[j] != view_shape[dim + j]:
                    raise IndexError(f"The shape of the mask {list(a.shape)} at index {j} does not match the shape "
                                     f"of the indexed tensor {list(view_shape)} at index {dim + j}")
            nz = np.nonzero(a)
            for j in range(a.ndim):
                longs.append((nz[j], view_shape[dim + j]))
            dim += a.ndim
        else:
            longs.append((a, view_shape[dim]))
            dim += 1
    try:
        shapes = np.broadcast_shapes(*(a.shape for a, _ in longs))
    except ValueError:
        raise IndexError("shape mismatch: indexing tensors could not be broadcast together with shapes " +
                         ", ".join(str(list(a.shape)) for a, _ in longs)) from None
    bad = None
    for j, (a, size) in enumerate(longs):
        if a.dtype != bool and a.size:
            oob = (a < -size) | (a >= size)
            if oob.any():
                b = np.broadcast_to(oob, shapes).reshape(-1)
                pos = int(np.argmax(b))
                if bad is None or pos < bad[0]:
                    bad = (pos, int(np.broadcast_to(a, shapes).reshape(-1)[pos]), j, size)
    if bad is not None:
        raise IndexError(f"index {bad[1]} is out of bounds for dimension {bad[2]} with size {bad[3]}")


class Alias(Slice):
    node_name = "AliasBackward0"


class Unsqueeze_(Slice):
    node_name = "UnsqueezeBackward0"


class _BasicView(Op):
    """A basic index with inserted dims (``None``), which need PyTorch's strides (NumPy gives them 0)."""
    saves = False

    @staticmethod
    def forward(ctx, a, key, restride):
        x = a._data
        ctx.shape, ctx.key = x.shape, key
        strides, key0, pos = restride
        r0 = x[key0]
        shape = list(r0.shape)
        for p in pos:
            shape.insert(p, 1)
        r = r0.reshape(shape)  # inserting size-1 dims never copies; NumPy's strides for them are usually torch's
        return r if r.strides == strides else _restride(r0, shape, strides)

    backward = Slice.backward


_RESTRIDED = {}


def _restrided(cls):
    r = _RESTRIDED.get(cls)
    if r is None:
        r = _RESTRIDED[cls] = type(cls.__name__ + "_", (_BasicView,), {"node_name": cls._node_cls.__name__})
    return r


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
    """Advanced indexing (a copy): ``x[key][adv]``."""
    node_name = "IndexBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, key, adv):
        x = a._data
        ctx.shape, ctx.key, ctx.adv = x.shape, key, adv
        return _c_array(x[key][adv])

    @staticmethod
    def backward(ctx, g):
        return IndexAdd_.apply(g, shape=ctx.shape, key=ctx.key, adv=ctx.adv)


class IndexAdd_(Op):
    """Zeros of ``shape`` with ``g`` accumulated at ``[key][adv]`` (repeated indices add up)."""
    node_name = "IndexPutBackward0"
    saves = False

    @staticmethod
    def forward(ctx, g, shape, key, adv):
        ctx.key, ctx.adv = key, adv
        z = np.zeros(shape, dtype=g._data.dtype)
        ikey = []
        for a in adv:  # ufunc.at wants integer indices: a k-dim mask becomes its k nonzero index arrays
            if isinstance(a, np.ndarray) and a.dtype == bool:
                ikey.extend(np.nonzero(a))
            else:
                ikey.append(a)
        np.add.at(z[key], tuple(ikey), g._data)
        return z

    @staticmethod
    def backward(ctx, gg):
        return Index.apply(gg, key=ctx.key, adv=ctx.adv)


def _simple(key, shape):
    """A tuple of ints and slices (int bounds, positive steps): ``(numpy key, view node)``, else None."""
    node = None
    n = len(shape)
    for d, k in enumerate(key):
        if d >= n:
            return None
        tk = type(k)
        if tk is int:
            size = shape[d]
            if k < -size or k >= size:
                raise IndexError(f"index {k} is out of bounds for dimension {d} with size {size}")
            node = Select
        elif tk is slice:
            a, b, st = k.start, k.stop, k.step
            if (st is not None and (type(st) is not int or st <= 0)) or (a is not None and type(a) is not int) or \
                    (b is not None and type(b) is not int):
                return None
            if not ((a is None or a == 0) and (b is None or b >= shape[d]) and (st is None or st == 1)):
                node = Slice
        else:
            return None
    return key + (Ellipsis,), node or Alias


def _unsqueeze_dim(key, ndim):
    """``x[:, None]``, ``x[..., None]``, ``x[None, :]``: a tuple of full slices, one ``...`` and one ``None`` is an
    unsqueeze; its dim, else -1."""
    pos = ell = -1
    for i, k in enumerate(key):
        if k is None:
            if pos >= 0:
                return -1
            pos = i
        elif k is Ellipsis:
            if ell >= 0:
                return -1
            ell = i
        elif type(k) is not slice or k.start is not None or k.stop is not None or k.step is not None:
            return -1
    if pos < 0 or len(key) - 1 - (ell >= 0) > ndim:
        return -1
    return pos if ell < 0 or ell > pos else ndim - (len(key) - 1 - pos)


def _c_array(r):
    """``r`` as a C-contiguous array with PyTorch's contiguous strides (size-1 dims included)."""
    if r.flags.c_contiguous and r.strides == _contig_strides(r.shape, r.itemsize):
        return r
    return np.array(r, order="C")


def getitem(a, key):
    x = a._data
    tk = type(key)
    # the hot cases first: one int, one slice
    if tk is int:
        n = x.ndim
        if n:
            size = x.shape[0]
            if key < -size or key >= size:
                raise IndexError(f"index {key} is out of bounds for dimension 0 with size {size}")
            return _as_view(Select.apply(a, key=key if n > 1 else (key, Ellipsis)), a)
        raise IndexError("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in "
                         "C++ to convert a 0-dim tensor to a number")
    if tk is slice:
        if not x.ndim:
            raise IndexError("slice() cannot be applied to a 0-dim tensor.")
        step = key.step
        if step is None or (type(step) is int and step > 0):
            return _as_view(Slice.apply(a, key=key), a)
        _parse((key,), x)  # raises PyTorch's error for the step
        return _as_view(Slice.apply(a, key=key), a)
    if tk is tuple:
        r = _simple(key, x.shape)
        if r is not None:
            return _as_view(r[1].apply(a, key=r[0]), a)
        d = _unsqueeze_dim(key, x.ndim)
        if d >= 0:
            return _as_view(Unsqueeze.apply(a, dim=d), a)
    else:
        if key is None:
            return _as_view(Unsqueeze.apply(a, dim=0), a)
        if key is Ellipsis:
            return _as_view(Alias.apply(a, key=(Ellipsis,)), a)
        if is_tensor(key) and key._data.ndim and x.ndim:  # x[index] / x[mask]: the common advanced cases
            k = key._data
            dt = k.dtype
            if dt == np.int64 or dt == np.int32:
                n = x.shape[0]
                if k.size and (k.min() < -n or k.max() >= n):
                    bad = k.reshape(-1)[np.argmax(((k < -n) | (k >= n)).reshape(-1))]
                    raise IndexError(f"index {bad} is out of bounds for dimension 0 with size {n}")
                return Index.apply(a, key=(Ellipsis,), adv=(k,))
            if dt == np.bool_ and k.shape == x.shape[:k.ndim]:
                return Index.apply(a, key=(Ellipsis,), adv=(k,))
        key = tuple(key) if _seq_as_tuple(key) else (key,)
    npkey, adv, node, strides = _parse(key, x)
    if adv is not None:
        _check_advanced(x[npkey].shape, adv)
        return Index.apply(a, key=npkey, adv=adv)
    if strides is not None:
        return _as_view(_restrided(node).apply(a, key=npkey, restride=strides), a)
    return _as_view(node.apply(a, key=npkey), a)


# ============================================================================ setitem

_CPP_NAMES = {"uint8": "uint8_t", "int8": "int8_t", "int16": "int16_t", "int32": "int", "int64": "int64_t",
              "float32": "float", "float64": "double", "float16": "double", "bfloat16": "double",
              "complex64": "c10::complex<float>", "complex128": "c10::complex<double>", "bool": "bool"}


def _overflow(dt):
    return RuntimeError(f"value cannot be converted to type {_CPP_NAMES[D.from_numpy_dtype(dt).name]} without overflow")


_F32_MAX = float(np.finfo(np.float32).max)
_INF = float("inf")


def _scalar_to(value, dt):
    """A Python number converted for NumPy dtype ``dt`` with PyTorch's overflow checks (``checked_convert``)."""
    tv = type(value)
    kind = dt.kind
    if kind == "f" and (tv is float or tv is int) and (dt.itemsize != 4 or not (_F32_MAX < abs(value) < _INF)):
        if tv is float or -2 ** 63 <= value < 2 ** 63:
            return value  # NumPy converts on assignment
    if isinstance(value, np.generic):
        value = value.item()
    if type(value) is int and not (-2 ** 63 <= value < 2 ** 63):
        raise ValueError("Overflow when unpacking long long")
    if kind == "b":
        return np.bool_(value != 0)
    if isinstance(value, complex):
        if kind != "c":
            raise _overflow(dt)
        return np.asarray(value).astype(dt)[()]
    if kind in "iu":
        info = np.iinfo(dt)
        v = value
        if isinstance(v, float):
            if v != v or v < info.min or v > info.max:
                raise _overflow(dt)
        elif v < (-info.max if kind == "u" else info.min) or v > info.max:  # unsigned: small negative ints wrap
            raise _overflow(dt)
        return np.asarray(int(v)).astype(dt)[()]
    if kind == "f" and dt.itemsize == 4 and isinstance(value, (int, float)) and _F32_MAX < abs(value) < _INF:
        raise _overflow(dt)
    with np.errstate(all="ignore"):
        return np.asarray(value).astype(dt)[()]


def _dense(arr):
    """PyTorch's ``is_non_overlapping_and_dense`` for a NumPy array."""
    if arr.flags.c_contiguous or arr.flags.f_contiguous:
        return True
    dims = sorted((abs(s), n) for s, n in zip(arr.strides, arr.shape) if n != 1)
    expect = arr.itemsize
    for s, n in dims:
        if s != expect:
            return False
        expect *= n
    return True


def _check_overlap(dst, src, advanced):
    """PyTorch refuses writes whose source partially (or, for index_put, at all) overlaps the destination."""
    if not np.may_share_memory(dst, src) or not (_dense(dst) and _dense(src)):
        return
    full = (dst.__array_interface__["data"][0] == src.__array_interface__["data"][0] and dst.strides == src.strides
            and dst.shape == src.shape)
    if advanced or not full:
        raise RuntimeError("unsupported operation: some elements of the input tensor and the written-to tensor refer "
                           "to a single memory location. Please clone() the tensor before performing the operation.")


_OVERLAP_MSG = ("unsupported operation: more than one element of the written-to tensor refers to a single memory "
                "location. Please clone() the tensor before performing the operation.")


def _strip1(shape):
    i = 0
    while i < len(shape) and shape[i] == 1:
        i += 1
    return shape[i:]


def _value_array(vt, dt):
    """The value tensor's array cast to ``dt`` (PyTorch's copy_ casting: complex -> real warns)."""
    v = vt._data
    if v.dtype == dt:
        return v
    if v.dtype.kind == "c" and dt.kind != "c":
        warnings.warn("Casting complex values to real discards the imaginary part", UserWarning, stacklevel=4)
        v = v.real
    with np.errstate(all="ignore"):
        return v.astype(dt)


def _target_shape(view, adv):
    if adv is None:
        return view.shape
    return np.broadcast_to(np.empty((), bool), view.shape)[adv].shape


def _check_value_shape(vt, target, adv):
    vs = vt._data.shape
    if vs == target or not vs:
        return
    stripped = _strip1(vs)
    if adv is None:
        _expand_geometry(stripped, (0,) * len(stripped), target, vt)  # PyTorch's expand errors
        return
    ok = len(stripped) <= len(target) and builtins.all(
        s == 1 or s == t for s, t in zip(reversed(stripped), reversed(target)))
    if not ok:
        raise RuntimeError(f"shape mismatch: value tensor of shape {list(vs)} cannot be broadcast to indexing result "
                           f"of shape {list(target)}")


def _write(view, adv, val):
    try:
        if adv is None:
            view[...] = val
        else:
            view[adv] = val
    except ValueError as e:
        if "read-only" in str(e):
            raise RuntimeError(_OVERLAP_MSG) from None
        raise


_SCALARS = (builtins.bool, int, float, complex, np.number, np.bool_)


def setitem(a, key, value):
    x = a._data
    vt = is_tensor(value)
    if not vt and not isinstance(value, _SCALARS):
        tp = type(value)
        name = tp.__name__ if tp.__module__ == "builtins" else f"{tp.__module__}.{tp.__qualname__}"
        raise TypeError(f"can't assign a {name} to a {a.type()}")
    val = None if vt else _scalar_to(value, x.dtype)
    if type(key) is not tuple:
        if key is False:
            return  # PyTorch writes nothing (and checks nothing else)
        if x.ndim == 0 and (type(key) is int or type(key) is slice):
            raise IndexError("slice() cannot be applied to a 0-dim tensor." if type(key) is slice else
                             "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in "
                             "C++ to convert a 0-dim tensor to a number")
        key = tuple(key) if type(key) is not int and _seq_as_tuple(key) else (key,)
    r = _simple(key, x.shape)
    npkey, adv, node, _ = (r[0], None, r[1], None) if r is not None else _parse(key, x)
    view = x[npkey]
    if adv is not None:
        _check_advanced(view.shape, adv)
    target = _target_shape(view, adv)
    if vt:
        if adv is not None and value._data.dtype != x.dtype:
            raise RuntimeError(f"Index put requires the source and destination dtypes match, got "
                               f"{_type_name(x.dtype)} for the destination and {_type_name(value._data.dtype)} for "
                               f"the source.")
        _check_value_shape(value, target, adv)
        val = _value_array(value, x.dtype)
        if len(val.shape) > len(target):
            val = val.reshape(_strip1(val.shape))
        _check_overlap(view, value._data, adv is not None)
    if not (_state.enabled and (a._requires_grad or (vt and value._requires_grad))):
        _write(view, adv, val)
        _bump(a)  # after the write: an inference tensor's counter raises outside inference mode (as in PyTorch)
        return
    # autograd: PyTorch writes through a view (CopySlices on the base) unless the view part of the key is a no-op
    root = a._base
    if root is not None:
        check_view_inplace(a)
    if root is not None and root._data is not x:  # a real view (a detach() alias shares the very array)
        if root._requires_grad and root._grad_fn is None:
            raise RuntimeError("a view of a leaf Variable that requires grad is being used in an in-place operation.")
        return _setitem_view(a, root, npkey, adv, val, value if vt else None)
    trivial = node is Alias
    if a._requires_grad and a._grad_fn is None:
        raise RuntimeError("a leaf Variable that requires grad is being used in an in-place operation." if trivial
                           else "a view of a leaf Variable that requires grad is being used in an in-place operation.")
    if not trivial:
        cls = CopySlices
    elif adv is not None:
        cls = IndexPut
    elif vt and value._data.ndim:
        cls = CopyInto
    else:
        cls = FillInto
    _rebase(a, cls.apply(a, value if vt else None, key=npkey, adv=adv, val=val))


def _bump(a):
    b = a._base
    (b if b is not None else a)._vc += 1


def _rebase(a, res):
    """Give ``a`` (whose array ``res``'s op already wrote into) ``res``'s history: an in-place op in the graph."""
    _bump(a)
    set_history(a, res._grad_fn, res._output_nr)
    a._requires_grad = res._requires_grad


def _value_grad(gv, v):
    """A value's grad: ``gv`` summed down to the value's shape (leading dims PyTorch stripped, broadcast dims)."""
    vs = tuple(v.shape)
    if tuple(gv.shape) != vs:
        stripped = _strip1(vs)
        lead = len(gv.shape) - len(stripped)
        axes = tuple(range(lead)) + tuple(lead + i for i, s in enumerate(stripped)
                                          if s == 1 and gv.shape[lead + i] != 1)
        if axes:
            gv = gv.sum(axes, keepdim=True)
        gv = gv.reshape(vs)
    if gv.dtype != v.dtype:
        gv = gv.to(v.dtype)
    return gv


# moved to index_put.py (the recorded history of setitem); re-exported so callers keep one import path
from .index_put import (  # noqa: E402,F401
    AsStridedView, CopyInto, CopySlices, FillInto, IndexPut, ViewCopySlices, _setitem_view)


# moved to diag.py; re-exported so callers keep one import path
from .diag import (  # noqa: E402,F401
    DiagEmbed, DiagScatter, Diagonal, DiagonalCopy, Trace, Tril, Triu, diag, diag_embed, diagonal, diagonal_copy, trace, tril, triu)


# moved to sort.py; re-exported so callers keep one import path
from .sort import (  # noqa: E402,F401
    Kthvalue, Median, MedianDim, Sort, SortStable, Topk, Unique2, UniqueConsecutive, UniqueDim, argsort, bincount, bucketize, kthvalue, median, msort, searchsorted, sort, topk, unique, unique_consecutive)


# moved to scatter.py; re-exported so callers keep one import path
from .scatter import (  # noqa: E402,F401
    Gather, IndexAdd, IndexCopy, IndexFill, IndexFillValue, IndexSelect, MaskedFill, MaskedFillValue, MaskedScatter, MaskedSelect, Scatter, ScatterAdd, ScatterReduce, ScatterValue, Take, argwhere, gather, index_add, index_copy, index_fill, index_put, index_put_,
    index_select, masked_fill, masked_scatter, masked_select, nonzero, scatter, scatter_add, scatter_reduce, take, take_along_dim)
