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
from numpy.lib.stride_tricks import as_strided

from .. import dtypes as D
from ..autograd.grad_mode import _state
from ._util import _wrap, is_tensor, norm_dim
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
        _expand_geometry(stripped, (0,) * len(stripped), target, vt.type())  # PyTorch's expand errors
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
        _bump(a)
        return
    # autograd: PyTorch writes through a view (CopySlices on the base) unless the view part of the key is a no-op
    root = a._base
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
    a._grad_fn = res._grad_fn
    a._output_nr = res._output_nr
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


class IndexPut(Op):
    """``a[key][adv] = v`` in place, recorded for autograd: grads flow to the old ``a`` and to ``v``."""
    node_name = "IndexPutBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, v, key, adv, val):
        ctx.key, ctx.adv = key, adv
        x = a._data
        _write(x[key], adv, val)
        return x

    @staticmethod
    def backward(ctx, g):
        key, adv = ctx.key, ctx.adv
        ga = None
        if ctx.needs_input_grad[0]:
            arr = np.array(g._data, copy=True)
            _write(arr[key], adv, 0)
            ga = _wrap(arr)
        gv = None
        if ctx.needs_input_grad[1]:
            gv = Index.apply(g, key=key, adv=adv) if adv is not None else Slice.apply(g, key=key)
            gv = _value_grad(gv, ctx.inputs[1])
        return ga, gv


def _torch_name(cls, name):
    """PyTorch prints some in-place nodes with their C++ namespace (``torch::autograd::CopySlices``)."""
    cls._node_cls.name = lambda self: name


class CopySlices(IndexPut):
    node_name = "CopySlices"


_torch_name(CopySlices, "torch::autograd::CopySlices")


class FillInto(IndexPut):
    node_name = "FillBackward3"


class CopyInto(IndexPut):
    node_name = "CopyBackwards"


_torch_name(CopyInto, "torch::autograd::CopyBackwards")


def _like_root(layout):
    """A zero array laid out like the root (shape, byte strides, dtype), and the flat buffer under it."""
    shape, st, dt = layout
    extent = 1 + builtins.sum((n - 1) * s for n, s in zip(shape, st)) // dt.itemsize if 0 not in shape else 1
    flat = np.zeros(builtins.max(extent, 1), dt)
    return flat, as_strided(flat, shape, st)


class ViewCopySlices(Op):
    """``view[key][adv] = v`` where ``view`` is a view of ``root``: the new history of ``root`` (CopySlices)."""
    node_name = "CopySlices"
    saves = False

    @staticmethod
    def forward(ctx, root, v, view, geom, key, adv, val):
        ctx.geom, ctx.key, ctx.adv = geom, key, adv
        _write(view[key], adv, val)
        return root._data

    @staticmethod
    def backward(ctx, g):
        layout, off, vshape, vst = ctx.geom
        flat, groot = _like_root(layout)
        groot[...] = g._data
        gview = as_strided(flat[off:], vshape, vst)
        gv = None
        if ctx.needs_input_grad[1]:
            sub = gview[ctx.key]
            sub = sub[ctx.adv] if ctx.adv is not None else sub
            gv = _value_grad(_wrap(np.array(sub, copy=True)), ctx.inputs[1])
        _write(gview[ctx.key], ctx.adv, 0)
        return (_wrap(np.array(groot, copy=True)) if ctx.needs_input_grad[0] else None), gv


_torch_name(ViewCopySlices, "torch::autograd::CopySlices")


class AsStridedView(Op):
    """The regenerated history of a view after an in-place write through it (``AsStridedBackward0``)."""
    node_name = "AsStridedBackward0"
    saves = False

    @staticmethod
    def forward(ctx, root, view, geom):
        ctx.geom = geom
        return view

    @staticmethod
    def backward(ctx, g):
        layout, off, vshape, vst = ctx.geom
        flat, groot = _like_root(layout)
        as_strided(flat[off:], vshape, vst)[...] += g._data
        return _wrap(np.array(groot, copy=True))


def _setitem_view(a, root, npkey, adv, val, value):
    """``a[key] = value`` where ``a`` views ``root``: root's history becomes CopySlices, a's an as_strided of it."""
    ra, va = root._data, a._data
    off = va.__array_interface__["data"][0] - ra.__array_interface__["data"][0]
    if off < 0 or builtins.any(s < 0 for s in ra.strides + va.strides):
        raise RuntimeError("ember does not support in-place assignment into this view of a tensor that is part of "
                           "the autograd graph; index the base tensor instead")
    geom = ((ra.shape, ra.strides, ra.dtype), off // ra.itemsize, va.shape, va.strides)
    _rebase(root, ViewCopySlices.apply(root, value, view=va, geom=geom, key=npkey, adv=adv, val=val))
    v = AsStridedView.apply(root, view=va, geom=geom)
    a._grad_fn, a._output_nr, a._requires_grad = v._grad_fn, v._output_nr, v._requires_grad


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
        z = np.zeros(src._data.shape, g._data.dtype)
        z[tuple(slice(0, n) for n in gs.shape)] = gs._data
        gs = _wrap(z)
    return gs



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
        ctx.hit, ctx.res = hit, res
        return res

    @staticmethod
    def backward(ctx, g):
        self_t, src_t = ctx.inputs
        x, s, idx, d = self_t._data, src_t._data, ctx.index, ctx.dim
        res, hit = ctx.res, ctx.hit
        gd = g._data
        key = _scatter_key(idx, d)
        sub = tuple(slice(0, n) for n in idx.shape)
        sv = s[sub]
        if ctx.reduce == "sum":
            gx, gs = gd.copy(), gd[key]
        elif ctx.reduce == "mean":
            n = _scatter_np(np.ones(x.shape, gd.dtype) if ctx.include_self else np.zeros(x.shape, gd.dtype), d, idx,
                            np.ones(idx.shape, gd.dtype), "add")
            n[n == 0] = 1
            gx, gs = gd / n, (gd / n)[key]
        elif ctx.reduce == "prod":
            masked_self = np.where(x == 0, np.ones((), x.dtype), x)
            msr, _, _ = _scatter_reduce_np(masked_self, d, idx, s, "prod", ctx.include_self)
            gx = gd * msr / masked_self
            src_zero = sv == 0
            nzero = _scatter_np(np.zeros(x.shape, np.int64), d, idx, src_zero.astype(np.int64), "add")[key]
            single = src_zero & (nzero == 1)
            masked_src = np.where(single, np.ones((), s.dtype), sv)
            full_ms = s.copy()
            full_ms[sub] = masked_src
            msrc_res, _, _ = _scatter_reduce_np(x, d, idx, full_ms, "prod", ctx.include_self)
            with np.errstate(all="ignore"):
                gs = np.where(single, (gd * msrc_res)[key], (gd * res)[key] / np.where(src_zero, 1, sv))
        else:  # amax / amin
            value = res[key]
            self_is = (x == res).astype(gd.dtype)
            src_is = (sv == value).astype(gd.dtype)
            cnt = _scatter_np(self_is, d, idx, src_is, "add")  # PyTorch counts self even without include_self
            with np.errstate(all="ignore"):
                dist = gd / cnt
            gx = np.where(x == res, dist, 0) if ctx.include_self else np.where(hit, 0, np.where(x == res, dist, 0))
            gs = np.where(sv == value, dist[key], 0)
        if not ctx.include_self:
            gx = np.where(hit, 0, gx)
        gsrc = np.zeros(s.shape, gd.dtype)
        gsrc[sub] = gs
        return _wrap(np.asarray(gx, gd.dtype)), _wrap(gsrc)


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
        ctx.mask = np.broadcast_to(mask, shape)
        return np.broadcast_to(x, shape)[ctx.mask]

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
        ctx.mask, ctx.n = m, int(m.sum())
        out = np.array(np.broadcast_to(x, shape), copy=True)
        out[m] = source._data.reshape(-1)[:ctx.n]
        return out

    @staticmethod
    def backward(ctx, g):
        m = _wrap(ctx.mask)
        ga = g.masked_fill(m, 0) if ctx.needs_input_grad[0] else None
        gs = None
        if ctx.needs_input_grad[1]:
            src = ctx.inputs[1]
            flat = np.zeros(src._data.size, g._data.dtype)
            flat[:ctx.n] = g._data[ctx.mask]
            gs = _wrap(flat.reshape(src._data.shape))
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


# ============================================================================ sorting

def _sort_idx(x, dim, descending):
    """Stable argsort along ``dim``; NaN sorts as the largest value (PyTorch's order)."""
    if not descending:
        return np.argsort(x, axis=dim, kind="stable")
    # stable descending: sort the reversed array ascending, then map back (ties keep their order)
    n = x.shape[dim]
    r = np.argsort(np.flip(x, dim), axis=dim, kind="stable")
    return (n - 1) - np.flip(r, dim)


class _SelectValues(Op):
    """Values picked at ``ctx.idx`` along ``dim``; the grad scatters back to those positions."""
    saves = False

    @staticmethod
    def backward(ctx, g, gi=None):
        z = np.zeros(ctx.shape, dtype=g._data.dtype)
        if not ctx.shape:
            return g.reshape(())
        idx = _wrap(ctx.idx)
        gg = g
        if ctx.keepdim is False:
            idx, gg = idx.unsqueeze(ctx.dim), g.unsqueeze(ctx.dim)
        return _wrap(z).scatter(ctx.dim, idx, gg)


class Sort(_SelectValues):
    node_name = "SortBackward0"

    @staticmethod
    def forward(ctx, a, dim, descending):
        x = a._data
        ctx.shape, ctx.dim, ctx.keepdim = x.shape, dim, True
        if x.ndim == 0:
            ctx.idx = np.zeros((), np.int64)
            return x.copy(), ctx.idx
        idx = _sort_idx(x, dim, descending).astype(np.int64)
        ctx.idx = idx
        return np.take_along_axis(x, idx, dim), idx


class SortStable(Sort):
    node_name = "SortBackward1"  # PyTorch's sort.stable overload: chosen whenever ``stable`` is passed


def sort(input, dim=-1, descending=False, stable=None):
    from ..return_types import sort as rt
    d = norm_dim(dim, input._data.ndim)
    v, i = (Sort if stable is None else SortStable).apply(input, dim=d, descending=descending)
    return rt(v, i)


def argsort(input, dim=-1, descending=False, stable=False):
    x = input._data
    if x.ndim == 0:
        return _wrap(np.zeros((), np.int64))
    return _wrap(_sort_idx(x, norm_dim(dim, x.ndim), descending).astype(np.int64))


def msort(input):
    return sort(input, 0).values


class Topk(_SelectValues):
    node_name = "TopkBackward0"

    @staticmethod
    def forward(ctx, a, k, dim, largest):
        x = a._data
        ctx.shape, ctx.dim, ctx.keepdim = x.shape, dim, True
        if x.ndim == 0:
            ctx.idx = np.zeros((), np.int64)
            return x.copy(), ctx.idx
        idx = np.take(_sort_idx(x, dim, largest), np.arange(k), axis=dim).astype(np.int64)
        ctx.idx = idx
        return np.take_along_axis(x, idx, dim), idx


def topk(input, k, dim=-1, largest=True, sorted=True):
    from ..return_types import topk as rt
    x = input._data
    d = norm_dim(dim, x.ndim)
    size = x.shape[d] if x.ndim else 1
    if k < 0 or k > size:
        raise RuntimeError("selected index k out of range")
    v, i = Topk.apply(input, k=k, dim=d, largest=largest)
    return rt(v, i)


class Kthvalue(_SelectValues):
    node_name = "KthvalueBackward0"

    @staticmethod
    def forward(ctx, a, k, dim, keepdim, propagate_nan=False):
        x = a._data
        ctx.shape, ctx.dim, ctx.keepdim = x.shape, dim, keepdim
        if x.ndim == 0:
            ctx.idx = np.zeros((), np.int64)
            return x.copy(), ctx.idx
        idx = np.take(_sort_idx(x, dim, False), [k - 1], axis=dim).astype(np.int64)
        if propagate_nan and x.dtype.kind in "fc":  # median: any NaN in the slice is the answer (its first one)
            nan = np.isnan(x)
            has = nan.any(axis=dim, keepdims=True)
            idx = np.where(has, np.argmax(nan, axis=dim, keepdims=True), idx)
        vals = np.take_along_axis(x, idx, dim)
        if not keepdim:
            idx, vals = idx.squeeze(dim), vals.squeeze(dim)
        ctx.idx = idx
        return vals, idx


class MedianDim(Kthvalue):
    node_name = "MedianBackward1"


def kthvalue(input, k, dim=-1, keepdim=False):
    from ..return_types import kthvalue as rt
    x = input._data
    d = norm_dim(dim, x.ndim)
    if k < 1 or k > (x.shape[d] if x.ndim else 1):
        raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {d}")
    v, i = Kthvalue.apply(input, k=k, dim=d, keepdim=keepdim)
    return rt(v, i)


class Median(Op):
    """median over all elements (the lower median); the grad is shared by every element equal to it."""
    node_name = "MedianBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a):
        x = a._data.reshape(-1)
        if x.size == 0:
            v = np.asarray(np.nan if x.dtype.kind in "fc" else 0, x.dtype)
        elif x.dtype.kind in "fc" and np.isnan(x).any():
            v = np.asarray(np.nan, x.dtype)
        else:
            v = np.asarray(np.partition(x, (x.size - 1) // 2)[(x.size - 1) // 2])
        ctx.v = v
        return v

    @staticmethod
    def backward(ctx, g):
        x = ctx.inputs[0]._data
        v = ctx.v
        eq = (x == v) | (np.isnan(x) & np.isnan(v)) if x.dtype.kind in "fc" else (x == v)
        n = builtins.max(int(eq.sum()), 1)
        return _wrap(np.where(eq, g._data / n, 0).astype(g._data.dtype))


def median(input, dim=None, keepdim=False):
    x = input._data
    if dim is None:
        return Median.apply(input)
    from ..return_types import median as rt
    d = norm_dim(dim, x.ndim)
    n = x.shape[d] if x.ndim else 1
    if n == 0:
        raise IndexError(f"median(): Expected reduction dim {d} to have non-zero size.")
    v, i = MedianDim.apply(input, k=(n - 1) // 2 + 1, dim=d, keepdim=keepdim, propagate_nan=True)
    return rt(v, i)


# ============================================================================ unique / counting / searching

class _NoGrad(Op):
    """Outputs that carry a node (PyTorch records one) whose backward is not implemented."""
    saves = False
    what = ""

    @classmethod
    def backward(cls, ctx, *grads):
        raise NotImplementedError(f"the derivative for '{cls.what}' is not implemented.")


class Unique2(_NoGrad):
    node_name = "Unique2Backward0"
    what = "_unique2"

    @staticmethod
    def forward(ctx, a, out):
        return out  # computed outside; integer outputs (inverse, counts) never require grad


class UniqueDim(Unique2):
    node_name = "UniqueDimBackward0"
    what = "unique_dim"


class UniqueConsecutive(Unique2):
    node_name = "UniqueConsecutiveBackward0"
    what = "unique_consecutive"


def _unique_result(cls, input, vals, inverse, counts, return_inverse, return_counts):
    res = cls.apply(input, out=(vals,) + ((inverse,) if return_inverse else ()) + ((counts,) if return_counts else ()))
    return res[0] if len(res) == 1 else res


def unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None):
    x = input._data
    if dim is None:
        flat = x.reshape(-1)
        vals, inv, cnt = np.unique(flat, return_inverse=True, return_counts=True, equal_nan=False)
        inv = inv.astype(np.int64).reshape(x.shape)
        cls = Unique2
    else:
        d = norm_dim(dim, x.ndim)
        vals, inv, cnt = np.unique(x, return_inverse=True, return_counts=True, axis=d)
        vals = np.ascontiguousarray(vals)
        inv = inv.astype(np.int64).reshape(-1)
        cls = UniqueDim
    return _unique_result(cls, input, vals, inv, cnt.astype(np.int64), return_inverse, return_counts)


def unique_consecutive(input, return_inverse=False, return_counts=False, dim=None):
    x = input._data
    if dim is None:
        flat = x.reshape(-1)
        keep = np.ones(flat.size, bool)
        if flat.size:
            keep[1:] = flat[1:] != flat[:-1]
        vals = flat[keep]
        inv = (np.cumsum(keep) - 1).astype(np.int64).reshape(x.shape)
        n = flat.size
    else:
        d = norm_dim(dim, x.ndim)
        moved = np.moveaxis(x, d, 0)
        n = moved.shape[0]
        keep = np.ones(n, bool)
        if n > 1:
            keep[1:] = (moved[1:] != moved[:-1]).reshape(n - 1, -1).any(axis=1)
        vals = np.ascontiguousarray(np.compress(keep, x, axis=d))
        inv = (np.cumsum(keep) - 1).astype(np.int64)
    starts = np.flatnonzero(keep)
    cnt = np.diff(np.append(starts, n)).astype(np.int64)
    return _unique_result(UniqueConsecutive, input, vals, inv, cnt, return_inverse, return_counts)


def bincount(input, weights=None, minlength=0):
    x = input._data
    if x.dtype.kind not in "iu":
        raise NotImplementedError(f"\"bincount_cpu\" not implemented for '{_type_name(x.dtype)}'")
    if minlength < 0:
        raise RuntimeError("minlength should be >= 0")
    if x.ndim != 1 or (x.size and x.min() < 0):
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    w = None
    if weights is not None:
        w = weights._data
        if w.ndim != 1 or w.shape[0] != x.shape[0]:
            raise RuntimeError("weights should be 1-d and have the same length as input")
    r = np.bincount(x, weights=w, minlength=minlength)
    if w is None:
        r = r.astype(np.int64)
    elif w.dtype == np.float32:
        r = r.astype(np.float32)
    else:
        r = r.astype(np.float64)
    return _wrap(r)


def _searchsorted_np(s, v, side):
    if s.ndim == 1:
        return np.searchsorted(s, v, side=side)
    fs = s.reshape(-1, s.shape[-1])
    fv = v.reshape(-1, v.shape[-1])
    out = np.empty(fv.shape, np.int64)
    for r in range(fs.shape[0]):
        out[r] = np.searchsorted(fs[r], fv[r], side=side)
    return out.reshape(v.shape)


def searchsorted(sorted_sequence, values, *, out_int32=False, right=False, side=None, sorter=None, out=None):
    s = sorted_sequence._data
    scalar = not is_tensor(values)
    v = np.asarray(values) if scalar else values._data
    if side is not None and side not in ("left", "right"):
        raise RuntimeError(f"torch.searchsorted(): side can only be 'left' or 'right' but got {side}")
    if side == "left" and right:
        raise RuntimeError("torch.searchsorted(): side and right can't be set to opposites, got side of left while "
                           "right was True")
    side = side or ("right" if right else "left")
    if s.ndim == 0:
        raise RuntimeError("torch.searchsorted(): boundaries tensor should have positive dimension, but got 0 "
                           "dimension")
    if s.ndim > 1 and (v.ndim != s.ndim or v.shape[:-1] != s.shape[:-1]):
        raise RuntimeError(f"torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 dimensions "
                           f"of boundaries tensor and input value tensor must match, but we got boundaries tensor "
                           f"{list(s.shape)} and input value tensor {list(v.shape)}")
    if sorter is not None:
        s = np.take_along_axis(s, sorter._data, -1)
    dt = np.result_type(s.dtype, v.dtype) if not scalar else s.dtype
    res = _searchsorted_np(s.astype(dt, copy=False), v.astype(dt, copy=False), side)
    return _wrap(np.asarray(res).astype(np.int32 if out_int32 else np.int64))


def bucketize(input, boundaries, *, out_int32=False, right=False, out=None):
    if boundaries._data.ndim != 1:
        raise RuntimeError(f"boundaries tensor must be 1 dimension, but got dim({boundaries._data.ndim})")
    return searchsorted(boundaries, input, out_int32=out_int32, right=right)


# ============================================================================ triangles & diagonals

class Tril(Op):
    node_name = "TrilBackward0"
    saves = False
    _f = staticmethod(np.tril)

    @classmethod
    def forward(cls, ctx, a, diagonal=0):
        ctx.k = diagonal
        return cls._f(a._data, diagonal)

    @staticmethod
    def backward(ctx, g):
        return g.tril(ctx.k)


class Triu(Tril):
    node_name = "TriuBackward0"
    _f = staticmethod(np.triu)

    @staticmethod
    def backward(ctx, g):
        return g.triu(ctx.k)


def tril(input, diagonal=0):
    if input._data.ndim < 2:
        raise RuntimeError("tril: input tensor must have at least 2 dimensions")
    return Tril.apply(input, diagonal=diagonal)


def triu(input, diagonal=0):
    if input._data.ndim < 2:
        raise RuntimeError("triu: input tensor must have at least 2 dimensions")
    return Triu.apply(input, diagonal=diagonal)


def _diag_view(x, offset, d1, d2):
    """A writable view of ``x``'s diagonal (NumPy hands out a read-only one)."""
    v = np.diagonal(x, offset, d1, d2)
    if x.flags.writeable:
        v.flags.writeable = True
    return v


class Diagonal(Op):
    node_name = "DiagonalBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, offset=0, dim1=0, dim2=1):
        x = a._data
        ctx.shape, ctx.args = x.shape, (offset, dim1, dim2)
        return _diag_view(x, offset, dim1, dim2)

    @staticmethod
    def backward(ctx, g):
        return DiagScatter.apply(g, shape=ctx.shape, args=ctx.args)


class DiagonalCopy(Diagonal):
    node_name = "DiagonalBackward0_copy"

    @staticmethod
    def forward(ctx, a, offset=0, dim1=0, dim2=1):
        x = a._data
        ctx.shape, ctx.args = x.shape, (offset, dim1, dim2)
        return np.diagonal(x, offset, dim1, dim2).copy()


class DiagScatter(Op):
    """Zeros of ``shape`` with ``g`` on a diagonal: diagonal's backward (and diag_embed's forward)."""
    node_name = "DiagonalScatterBackward0"
    saves = False

    @staticmethod
    def forward(ctx, g, shape, args):
        ctx.args = args
        z = np.zeros(shape, dtype=g._data.dtype)
        _diag_view(z, *args)[...] = g._data
        return z

    @staticmethod
    def backward(ctx, gg):
        return gg.diagonal(*ctx.args)


class DiagEmbed(DiagScatter):
    node_name = "DiagEmbedBackward0"


def diagonal(input, offset=0, dim1=0, dim2=1):
    n = input._data.ndim
    d1, d2 = norm_dim(dim1, n), norm_dim(dim2, n)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    return _as_view(Diagonal.apply(input, offset=offset, dim1=d1, dim2=d2), input)


def diagonal_copy(input, offset=0, dim1=0, dim2=1):
    n = input._data.ndim
    d1, d2 = norm_dim(dim1, n), norm_dim(dim2, n)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    return DiagonalCopy.apply(input, offset=offset, dim1=d1, dim2=d2)


def diag(input, diagonal=0):
    n = input._data.ndim
    if n == 1:
        return diag_embed(input, diagonal, 0, 1)
    if n == 2:
        return diagonal_copy(input, diagonal)
    raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {n}D")


def diag_embed(input, offset=0, dim1=-2, dim2=-1):
    x = input._data
    n = x.ndim + 1
    d1, d2 = norm_dim(dim1, n), norm_dim(dim2, n)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    size = x.shape[-1] + builtins.abs(offset)
    shape = list(x.shape[:-1])
    lo, hi = builtins.min(d1, d2), builtins.max(d1, d2)
    shape.insert(lo, size)
    shape.insert(hi, size)
    return DiagEmbed.apply(input, shape=tuple(shape), args=(offset, d1, d2))


class Trace(Op):
    node_name = "TraceBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a):
        x = a._data
        ctx.shape = x.shape
        t = np.trace(x)
        return np.asarray(t, dtype=np.int64 if x.dtype.kind in "iu" else x.dtype)

    @staticmethod
    def backward(ctx, g):
        z = np.zeros(ctx.shape, g._data.dtype)
        _diag_view(z, 0, 0, 1)[...] = g._data
        return _wrap(z)


def trace(input):
    x = input._data
    if x.ndim != 2:
        raise RuntimeError("trace: expected a matrix, but got tensor with dim " + str(x.ndim))
    if x.dtype == np.bool_:
        raise NotImplementedError("\"trace\" not implemented for 'Bool'")
    return Trace.apply(input)
