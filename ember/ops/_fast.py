"""Measured hot paths for the commonest tiny-tensor ops.

NOTE [ fast paths ]: PyTorch spends ~1-2 us per op in dispatch; NumPy ~0.2-0.7.
A small model's step is hundreds of such ops, so per-op overhead decides its
speed. Each function here handles only the common case (no graph to record,
equal dtypes or a float tensor with a Python number, contiguous input) by
calling NumPy directly, and defers everything else — grads, promotion, every
error message — to the op's Function, which stays the one definition of the
op's forward and backward. Tests run every op through both paths.
"""
import numpy as np

from ..autograd.function import _record, _wrap, attach, view_meta
from ..tensor import Tensor
from ..autograd.grad_mode import _state
from . import elementwise as E
from . import index as I
from . import reduce as R
from . import shape as S

_nd = np.ndarray
_new = object.__new__
_NO_KW = {}
_array = np.array
_add_reduce = np.add.reduce


def _binary(ufunc, cls, floats_only):
    """``tensor (op) other`` for a Tensor or Python number ``other``."""
    new = object.__new__

    def op(self, other):
        oc = other.__class__
        if oc is float or oc is int:
            x = self._data
            if x.dtype.kind not in "fc":
                return cls.apply(self, other)
            try:
                r = ufunc(x, other)
            except (ValueError, OverflowError, TypeError):  # the Function raises (or retries) as PyTorch does
                return cls.apply(self, other)
            if self._requires_grad and _state.enabled:
                # the op's backward reads only its inputs: record it around the array result
                return attach(cls, (self, other), r if r.__class__ is _nd else _array(r))
        elif oc is Tensor or (isinstance(other, Tensor)):
            x = self._data
            y = other._data
            if x.dtype is not y.dtype or floats_only and x.dtype.kind not in "fc":
                return cls.apply(self, other)
            if (self._requires_grad or other._requires_grad) and _state.enabled:
                if x.dtype.kind != "f":
                    return _record(cls, (self, other), _NO_KW)
                try:
                    r = ufunc(x, y)
                except (ValueError, TypeError):
                    return cls.apply(self, other)
                return attach(cls, (self, other), r if r.__class__ is _nd else _array(r))
            try:
                r = ufunc(x, y)
            except (ValueError, TypeError):  # broadcast mismatch, bool subtraction: the Function raises torch's error
                return cls.apply(self, other)
        else:
            return cls.apply(self, other)
        if r.__class__ is not _nd:
            r = _array(r)
        t = new(Tensor)  # _wrap, inlined: this is the hottest path in ember
        t._data = r
        t._requires_grad = False
        t._grad_fn = None
        t._base = None
        t._vc = _state.vc0  # NO_VERSION in inference mode
        return t
    op.__name__ = f"__{ufunc.__name__}__"
    return op


def _rbinary(ufunc, cls):
    """``number (op) tensor`` (the reflected operator)."""
    def op(self, other):
        oc = other.__class__
        if oc is float or oc is int:
            x = self._data
            if x.dtype.kind in "fc":
                try:
                    r = ufunc(other, x)
                except (ValueError, OverflowError, TypeError):
                    return cls.apply(self, other)
                if r.__class__ is not _nd:
                    r = _array(r)
                return attach(cls, (self, other), r) if self._requires_grad and _state.enabled else _wrap(r)
        return cls.apply(self, other)
    return op


add = _binary(np.add, E.Add, False)
sub = _binary(np.subtract, E.Sub, False)
mul = _binary(np.multiply, E.Mul, False)
truediv = _binary(np.true_divide, E.Div, True)
rsub = _rbinary(np.subtract, E.Rsub)


def rtruediv(self, other):
    """``number / tensor``: PyTorch computes ``tensor.reciprocal() * number`` (two nodes, and its rounding)."""
    oc = other.__class__
    if (oc is float or oc is int) and self._data.dtype.kind in "fc":
        if self._requires_grad and _state.enabled:
            return self.reciprocal() * other
        r = np.reciprocal(self._data)
        if other != 1:
            r = r * other
        return _wrap(r if r.__class__ is _nd else _array(r))
    return E.Rdiv.apply(self, other)


def _view_of(self, r):
    """A new Tensor over ``r`` that views ``self``'s root (``_wrap`` plus ``_base``, inlined)."""
    t = _new(Tensor)
    t._data = r
    t._requires_grad = False
    t._grad_fn = None
    b = self._base
    t._base = b if b is not None else self
    t._vc = 0
    if self._requires_grad or b is not None:
        view_meta(self, t)
    return t


def view(self, *shape):
    x = self._data
    # NumPy's reshape of a C-contiguous array is a view with PyTorch's strides, except where size-1 dims
    # carry arbitrary ("relaxed") strides; those, grads and unusual sizes take the op
    if x.flags.c_contiguous and 1 not in x.shape and not (self._requires_grad and _state.enabled):
        try:
            r = x.reshape(*shape)
        except (TypeError, ValueError):
            return S.view(self, *shape)  # the op raises PyTorch's error (or handles dtype views)
        if r.shape != shape:  # -1 or a tuple argument: make sure no size below -1 slipped through NumPy
            for s in (shape[0] if len(shape) == 1 and shape[0].__class__ is not int else shape):
                if s.__class__ is int and s < -1:
                    return S.view(self, *shape)
        return _view_of(self, r)
    return S.view(self, *shape)


def reshape(self, *shape):
    """``reshape`` of a C-contiguous tensor is a ``view``; everything else takes the op."""
    x = self._data
    if x.flags.c_contiguous and 1 not in x.shape and not (self._requires_grad and _state.enabled):
        try:
            r = x.reshape(*shape)
        except (TypeError, ValueError):
            return S.reshape(self, *shape)
        if r.shape != shape:
            for s in (shape[0] if len(shape) == 1 and shape[0].__class__ is not int else shape):
                if s.__class__ is int and s < -1:
                    return S.reshape(self, *shape)
        return _view_of(self, r)
    return S.reshape(self, *shape)


def _basic_key(key):
    """True when ``key`` is an int, a slice with a positive step, or a tuple of those."""
    kc = key.__class__
    if kc is slice:
        st = key.step
        return st is None or (st.__class__ is int and st > 0)
    if kc is tuple:
        for k in key:
            c = k.__class__
            if c is slice:
                st = k.step
                if not (st is None or (st.__class__ is int and st > 0)):
                    return False
            elif c is not int:
                return False
        return True
    return False


def getitem(self, key):
    if not (self._requires_grad and _state.enabled) and _basic_key(key):
        x = self._data
        try:
            r = x[key]
        except IndexError:
            return I.getitem(self, key)  # out of range: PyTorch's wording
        if r.__class__ is not _nd:
            r = x[key + (Ellipsis,)] if key.__class__ is tuple else x[key, ...]
        return _view_of(self, r)
    return I.getitem(self, key)


_F32, _F64 = np.dtype(np.float32), np.dtype(np.float64)
_ones = {}
_empty = np.empty


def sum(self, dim=None, keepdim=False, *, dtype=None, axis=None):
    if dim is None is axis and not keepdim and dtype is None and not (self._requires_grad and _state.enabled):
        x = self._data
        k = x.dtype
        if k is _F32 or k is _F64:
            n = x.size
            if n <= 4096 and x.flags.c_contiguous:
                # a dot with ones is ~2x faster than np.add.reduce on small arrays (ARCHITECTURE.md's
                # "ones @ x" note) and writes straight into a 0-d result
                key = (n, k.char)
                o = _ones.get(key)
                if o is None:
                    if len(_ones) > 256:
                        _ones.clear()
                    o = _ones[key] = np.ones(n, k)
                return _wrap((x if x.ndim == 1 else x.reshape(n)).dot(o, _empty((), k)))
            return _wrap(_array(_add_reduce(x, None)))
    if axis is not None:  # NumPy's spelling, as PyTorch's argument parser accepts
        return _sum_axis(self, dim, keepdim, dtype, axis)
    return R.sum(self, dim, keepdim, dtype=dtype)


def _sum_axis(self, dim, keepdim, dtype, axis):
    if dim is not None:
        raise TypeError("sum() received an invalid combination of arguments - got both 'dim' and its alias 'axis'")
    return R.sum(self, axis, keepdim, dtype=dtype)
