"""Comparisons, logic and bitwise ops, isnan/isinf/isclose/equal (results carry no grad)."""
import builtins

import numpy as np

from ._util import _wrap, is_tensor, operands
from .elementwise import _check_broadcast, _fit_scalar, _need_tensor, _not_implemented, _retry, _type_name, ndarray
from . import elementwise as _ew  # public wrappers, looked up at call time


# ============================================================================ comparisons & logic (no grad)

def _cmp(ufunc, fname):
    def f(input, other, *, out=None):
        if not is_tensor(input):
            raise TypeError(f"{fname}() received an invalid combination of arguments - got "
                            f"({type(input).__name__}, {type(other).__name__})")
        x, y = operands(input, other)
        if x.dtype.kind == "c" and fname in ("lt", "le", "gt", "ge"):
            raise _not_implemented(f"{fname}_cpu", x.dtype)
        if y.__class__ is int and x.dtype.kind in "iu":
            y = _fit_scalar(x, y)
        try:
            r = ufunc(x, y)
        except ValueError:
            _check_broadcast(input, other)
            raise
        return _ew._out(_wrap(r if r.__class__ is ndarray else np.asarray(r)), out)
    f.__name__ = fname
    return f


eq = _cmp(np.equal, "eq")
ne = _cmp(np.not_equal, "ne")
lt = _cmp(np.less, "lt")
le = _cmp(np.less_equal, "le")
gt = _cmp(np.greater, "gt")
ge = _cmp(np.greater_equal, "ge")


def _logical(ufunc, fname):
    def f(input, other, *, out=None):
        _need_tensor(fname, "input", 1, input)
        _need_tensor(fname, "other", 2, other)
        try:
            r = ufunc(input._data, other._data)
        except ValueError:
            _check_broadcast(input, other)
            raise
        return _ew._out(_wrap(np.asarray(r)), out)
    f.__name__ = fname
    return f


logical_and = _logical(np.logical_and, "logical_and")
logical_or = _logical(np.logical_or, "logical_or")
logical_xor = _logical(np.logical_xor, "logical_xor")


def logical_not(input, *, out=None):
    return _ew._out(_wrap(np.logical_not(input._data)), out)


def _bitwise(ufunc):
    kernel = f"{ufunc.__name__}_cpu"

    def f(input, other, *, out=None):
        if not is_tensor(input):
            # bitwise_and(2, x): the number is the first operand
            input, other = other, input
        x, y = operands(input, other)
        if x.dtype.kind not in "biu":
            raise _not_implemented(kernel, x.dtype)
        try:
            r = ufunc(x, y)
        except (ValueError, OverflowError) as e:
            r = _retry(ufunc, input, other, x, y, e)
        return _ew._out(_wrap(np.asarray(r)), out)
    f.__name__ = ufunc.__name__
    return f


bitwise_and = _bitwise(np.bitwise_and)
bitwise_or = _bitwise(np.bitwise_or)
bitwise_xor = _bitwise(np.bitwise_xor)


def bitwise_not(input, *, out=None):
    x = input._data
    if x.dtype.kind == "b":
        return _ew._out(_wrap(np.logical_not(x)), out)
    if x.dtype.kind not in "iu":
        raise _not_implemented("bitwise_not_cpu", x.dtype)
    return _ew._out(_wrap(np.invert(x)), out)


def _float_pred(fn, default):
    def f(input):
        x = input._data
        if x.dtype.kind in "fc":
            return _wrap(np.asarray(fn(x)))
        return _wrap(np.full(x.shape, default, dtype=bool))
    f.__name__ = fn.__name__
    return f


isnan = _float_pred(np.isnan, False)
isinf = _float_pred(np.isinf, False)
isfinite = _float_pred(np.isfinite, True)


def isposinf(input):
    x = input._data
    return _wrap(np.isposinf(x) if x.dtype.kind == "f" else np.zeros(x.shape, bool))


def isneginf(input):
    x = input._data
    return _wrap(np.isneginf(x) if x.dtype.kind == "f" else np.zeros(x.shape, bool))


def _same_dtype(a, b):
    if a._data.dtype != b._data.dtype:
        raise RuntimeError(f"{_type_name(a._data.dtype)} did not match {_type_name(b._data.dtype)}")


def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    _same_dtype(input, other)
    x, y = input._data, other._data
    if x.dtype.kind == "b":
        return _wrap(np.asarray(np.equal(x, y)))
    try:
        r = np.isclose(x, y, rtol=rtol, atol=atol, equal_nan=equal_nan)
    except ValueError:
        _check_broadcast(input, other)
        raise
    return _wrap(np.asarray(r))


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    return builtins.bool(isclose(input, other, rtol, atol, equal_nan)._data.all())


def equal(input, other):
    """True when both tensors have the same shape and elements."""
    return input._data.shape == other._data.shape and builtins.bool(np.array_equal(input._data, other._data))


def signbit(input, *, out=None):
    x = input._data
    return _ew._out(_wrap(np.signbit(x) if x.dtype.kind in "fi" else np.zeros(x.shape, bool)), out)
