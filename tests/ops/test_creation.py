"""Tensor factories against torch: dtype inference, memory sharing, sizes, ranges, legacy constructors, errors."""
import warnings

import numpy as np
import pytest
import torch
from hypothesis import given, settings, strategies as st

import ember
from conftest import assert_same, check, check_raises, randn

HYP = settings(max_examples=25, deadline=None)


def same(fn, exact=False, **kw):
    """``fn(lib)`` for torch and ember: equal type, shape, dtype and values (bitwise with ``exact``)."""
    t_out, e_out = fn(torch), fn(ember)
    if exact:
        assert_same(e_out, t_out, atol=0, rtol=0, **kw)
    else:
        assert_same(e_out, t_out, **kw)
    return e_out, t_out


def same_or_raises(fn, **kw):
    """Like ``same``, or, where torch raises, ember must raise the same class with the same message."""
    try:
        fn(torch)
    except Exception:
        check_raises(fn, match_message=True)
        return None
    return same(fn, **kw)


# ============================================================================ tensor(): dtype inference

TENSOR_DATA = [
    3, 3.5, True, 1 + 2j, -7, 0.0,
    [1, 2, 3], [1.0, 2.0], [1, 2.5], [True, False], [1, True], [True, 1.5], [1, 2j], [1.5, 2j],
    [], [[]], [[], []], [[1, 2], [3, 4]], [[[1.5]], [[2.5]]], (1, 2.5), ((1, 2), (3, 4)), [(1, 2), [3, 4]],
    range(5), [range(2), range(2)],
    np.float64(1.5), np.float32(2.5), np.int32(5), np.int8(-3), np.bool_(True), np.uint8(200), np.complex64(1j),
    [np.float64(1.5), 2], [np.int32(1), 2], [np.int32(1), np.int32(2)], [np.float32(1.5), 2.5], [np.float16(1), 2],
    [np.int16(3), 2.5], [np.uint8(1), np.int8(1)],
    [np.array([1, 2]), np.array([3, 4])], [np.array([1.0, 2]), np.array([3, 4])],
    [np.array([1, 2], np.int32), [3, 4]],
    2 ** 63 - 1, -2 ** 63, [1.5, 2 ** 70], float("nan"), float("inf"), [1e40],
]


@pytest.mark.parametrize("data", TENSOR_DATA, ids=lambda d: repr(d)[:40])
def test_tensor_inference(data):
    same(lambda t: t.tensor(data), exact=True)


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "bool",
                                   "complex64", "complex128"])
@pytest.mark.parametrize("data", [[1.7, -1.7, 0.0], [1, 0, -3], [True, False], [[0.5, 2], [3, 4]], 2.5, [],
                                  [0.1, 1e-3, 3.14159]])
def test_tensor_explicit_dtype(data, dtype):
    if dtype == "uint8" and np.any(np.asarray(data) < 0):
        data = np.abs(np.asarray(data)).tolist()
    same(lambda t: t.tensor(data, dtype=getattr(t, dtype)), exact=True)


def test_tensor_python_type_dtypes():
    for py in (float, int, bool, complex):
        same(lambda t: t.tensor([1, 0], dtype=py), exact=True)
        same(lambda t: t.zeros(2, dtype=py), exact=True)


def test_tensor_from_numpy_keeps_dtype():
    for arr in [np.arange(6, dtype=np.int32).reshape(2, 3), np.arange(3, dtype=np.uint16), np.ones(2, np.float16),
                np.array([1 + 1j], np.complex64), np.zeros((2, 0)), np.array(5), np.array([True])]:
        e, t = same(lambda lib: lib.tensor(arr), exact=True)
        arr.reshape(-1)[:1] = 0 if arr.size else arr.reshape(-1)[:1]
        assert not np.shares_memory(e.numpy(), arr)
    same(lambda t: t.tensor(np.arange(4.0), dtype=t.float32), exact=True)
    same(lambda t: t.tensor(np.array([1.7, -2.9]), dtype=t.int32), exact=True)


def test_tensor_default_dtype_follows():
    old = ember.get_default_dtype()
    ember.set_default_dtype(ember.float64)
    torch.set_default_dtype(torch.float64)
    try:
        for data in ([1.0], 2.5, [1, 2.5], 1j, [[1.5]]):
            same(lambda t: t.tensor(data), exact=True)
        same(lambda t: t.arange(0.0, 3), exact=True)
        same(lambda t: t.arange(0, 1, 0.1), exact=True)
        same(lambda t: t.zeros(2), exact=True)
        same(lambda t: t.full((2,), 1.5), exact=True)
        same(lambda t: t.linspace(0, 1, 5), exact=True)
    finally:
        ember.set_default_dtype(old)
        torch.set_default_dtype(torch.float32)
    assert ember.tensor([1.0]).dtype is ember.float32


def test_tensor_ragged_and_type_errors():
    e, _ = check_raises(lambda t: t.tensor([[1, 2], [3, 4, 5]]), match_message=True)
    e, _ = check_raises(lambda t: t.tensor([[1, 2], [3]]), match_message=True)
    assert str(e) == "expected sequence of length 2 at dim 1 (got 1)"
    e, _ = check_raises(lambda t: t.tensor([[1, 2, 3], [4, 5]]), match_message=True)
    check_raises(lambda t: t.tensor([[[1, 2], [3, 4]], [[1, 2], [3, 4, 5]]]), match_message=True)
    check_raises(lambda t: t.tensor([[1, 2], 3]), match_message=True)
    check_raises(lambda t: t.tensor([1, [2, 3]]))
    check_raises(lambda t: t.tensor("abc"), match_message=True)
    check_raises(lambda t: t.tensor(["a", "b"]), match_message=True)
    check_raises(lambda t: t.tensor(None), match_message=True)
    check_raises(lambda t: t.tensor([None]), match_message=True)
    check_raises(lambda t: t.tensor({1: 2}), match_message=True)
    check_raises(lambda t: t.tensor(np.array(["a"])), match_message=True)
    check_raises(lambda t: t.tensor(np.array([1, 2], dtype=object)), match_message=True)
    check_raises(lambda t: t.tensor(1 + 2j, dtype=t.float32), match_message=True)
    check_raises(lambda t: t.tensor(2 ** 63), match_message=True)
    check_raises(lambda t: t.tensor([2 ** 64]), match_message=True)
    check_raises(lambda t: t.tensor([300], dtype=t.uint8), match_message=True)
    check_raises(lambda t: t.tensor([-300], dtype=t.uint8), match_message=True)
    check_raises(lambda t: t.tensor([2 ** 40], dtype=t.int32), match_message=True)
    check_raises(lambda t: t.tensor([2.5e10], dtype=t.int32), match_message=True)
    check_raises(lambda t: t.tensor([float("nan")], dtype=t.int32), match_message=True)
    same(lambda t: t.tensor(-1, dtype=t.uint8), exact=True)  # c10 lets small negatives wrap
    same(lambda t: t.tensor([2 ** 64], dtype=t.float32), exact=True)


def test_tensor_requires_grad():
    e, _ = check_raises(lambda t: t.tensor([1, 2], requires_grad=True), match_message=True)
    assert isinstance(e, RuntimeError)
    check_raises(lambda t: t.tensor([True], requires_grad=True), match_message=True)
    check_raises(lambda t: t.tensor([1.5], dtype=t.int64, requires_grad=True), match_message=True)
    x = ember.tensor([1, 2], dtype=ember.float32, requires_grad=True)
    assert x.requires_grad and x.is_leaf and x.grad_fn is None
    assert ember.tensor([1.0]).requires_grad is False
    assert ember.tensor([1j], requires_grad=True).requires_grad


def test_tensor_of_tensors():
    same(lambda t: t.tensor([t.tensor(1.0), t.tensor(2.0)]), exact=True)
    same(lambda t: t.tensor([t.tensor(1), t.tensor(2.0)]), exact=True)
    same(lambda t: t.tensor([[t.tensor(1), 2], [3, t.tensor(4, dtype=t.int32)]]), exact=True)
    check_raises(lambda t: t.tensor([t.tensor([1, 2]), t.tensor([3, 4])]), match_message=True)


def test_tensor_from_tensor_warns_and_copies():
    src = ember.tensor([1.0, 2.0], requires_grad=True)
    with pytest.warns(UserWarning, match="sourceTensor.detach"):
        y = ember.tensor(src)
    assert not y.requires_grad and y.dtype is ember.float32
    y.add_(1)
    assert src.tolist() == [1.0, 2.0]
    with pytest.warns(UserWarning):
        assert ember.tensor(ember.tensor([1, 2]), dtype=ember.float64).dtype is ember.float64
    with warnings.catch_warnings(record=True) as rec_t:
        warnings.simplefilter("always")
        torch.tensor(torch.tensor([1.0]))
    with warnings.catch_warnings(record=True) as rec_e:
        warnings.simplefilter("always")
        ember.tensor(ember.tensor([1.0]))
    assert [str(w.message) for w in rec_e] == [str(w.message) for w in rec_t]


def test_tensor_device_argument():
    x = ember.tensor([1.0], device="cpu")
    assert x.device == ember.device("cpu")
    assert ember.tensor([1.0], device=ember.device("cpu")).device.type == "cpu"


@HYP
@given(st.recursive(st.one_of(st.integers(-2 ** 31, 2 ** 31), st.floats(-1e6, 1e6, allow_nan=False), st.booleans()),
                    lambda inner: st.lists(inner, min_size=1, max_size=3), max_leaves=12))
def test_tensor_hypothesis_nested(data):
    try:
        t = torch.tensor(data)
    except (ValueError, TypeError) as exc:
        with pytest.raises(type(exc)):
            ember.tensor(data)
        return
    assert_same(ember.tensor(data), t, atol=0, rtol=0)


# ============================================================================ as_tensor / asarray / from_numpy


def test_from_numpy_shares_memory_both_ways():
    a = np.arange(30).reshape(2, 3, 5)
    x = ember.from_numpy(a)
    assert x.dtype is ember.int64 and tuple(x.shape) == (2, 3, 5)
    a[0, 0, 0] = 100
    assert x[0, 0, 0].item() == 100
    x[1, 2, 4] = -5
    assert a[1, 2, 4] == -5
    x.add_(1)
    assert a[0, 0, 1] == 2
    assert ember.from_numpy(np.arange(4, dtype=np.int32)).dtype is ember.int32
    assert str(ember.from_numpy(np.arange(4, dtype=np.int32)).dtype) == "torch.int32"
    for npdt in [np.float16, np.float32, np.float64, np.complex64, np.complex128, np.int8, np.int16, np.uint8, np.bool_,
                 np.uint16, np.uint32, np.uint64]:
        arr = np.zeros(3, npdt)
        assert str(ember.from_numpy(arr).dtype) == str(torch.from_numpy(arr).dtype)
    b = np.arange(6.0)[::2]
    xb = ember.from_numpy(b)
    b[1] = 42
    assert xb[1].item() == 42 and xb.tolist() == torch.from_numpy(b).tolist()


def test_from_numpy_errors():
    check_raises(lambda t: t.from_numpy([1, 2]), match_message=True)
    check_raises(lambda t: t.from_numpy(np.float64(3.0)), match_message=True)
    check_raises(lambda t: t.from_numpy(np.arange(6)[::-1]), match_message=True)
    check_raises(lambda t: t.from_numpy(np.array(["a"])), match_message=True)
    check_raises(lambda t: t.from_numpy(np.array([1], dtype=object)), match_message=True)
    check_raises(lambda t: t.from_numpy(np.arange(3, dtype=">i4")), match_message=True)
    check_raises(lambda t: t.from_numpy(np.arange(3, dtype=np.longdouble)), match_message=True)


def test_from_numpy_readonly_warns():
    import ember.ops.creation as C
    C._warned_readonly[0] = False
    a = np.arange(3.0)
    a.flags.writeable = False
    with pytest.warns(UserWarning, match="not writable"):
        x = ember.from_numpy(a)
    assert x.tolist() == [0.0, 1.0, 2.0]


def test_as_tensor_sharing():
    a = np.arange(3.0)
    x = ember.as_tensor(a)
    a[0] = 9
    assert x[0].item() == 9 and x.dtype is ember.float64
    y = ember.as_tensor(a, dtype=ember.float32)
    a[1] = 7
    assert y[1].item() == 1.0 and y.dtype is ember.float32
    t = ember.tensor([1.0, 2.0])
    assert ember.as_tensor(t) is t
    assert ember.as_tensor(t, dtype=ember.float32) is t
    assert ember.as_tensor(t, dtype=ember.float64).dtype is ember.float64
    for data in ([1, 2.5], 3, [[1, 2]], np.float64(1.5), (True,)):
        same(lambda lib: lib.as_tensor(data), exact=True)
    same(lambda lib: lib.as_tensor([1, 2], dtype=lib.float16), exact=True)


def test_asarray():
    t = ember.tensor([1.0, 2.0])
    assert ember.asarray(t) is t
    assert ember.asarray(t, copy=True) is not t
    a = np.arange(3.0)
    x = ember.asarray(a)
    a[0] = 9
    assert x[0].item() == 9
    c = ember.asarray(a, copy=True)
    a[1] = 8
    assert c[1].item() == 1.0
    for data in ([1.5, 2], [1, 2], 1.5, np.float64(1.5), np.arange(3, dtype=np.int16), [[True]]):
        same(lambda lib: lib.asarray(data), exact=True)
    same(lambda lib: lib.asarray(np.arange(3), dtype=lib.float32), exact=True)
    check_raises(lambda lib: lib.asarray([1.5], copy=False), match_message=True)
    check_raises(lambda lib: lib.asarray(np.arange(3), dtype=lib.float32, copy=False), match_message=True)
    check_raises(lambda lib: lib.asarray(lib.tensor([1.0]), dtype=lib.float64, copy=False), match_message=True)
    r = ember.asarray([1.5], requires_grad=True)
    assert r.requires_grad and r.is_leaf
    r2 = ember.asarray(np.arange(3.0), requires_grad=True)
    assert r2.requires_grad and r2.dtype is ember.float64


# ============================================================================ zeros / ones / empty / full


@pytest.mark.parametrize("fn", ["zeros", "ones"])
def test_zeros_ones_sizes(fn):
    for args in [(2, 3), ((2, 3),), ([2, 3],), (torch.Size([2, 3]),), ((),), ([],), (0,), (2, 0, 3), (np.int64(2), 3),
                 (4,), (2, True)]:
        def make(t, args=args):
            a = tuple(t.Size(x) if isinstance(x, torch.Size) else x for x in args)
            return getattr(t, fn)(*a)
        same(make, exact=True)
    same(lambda t: getattr(t, fn)(2, 3, dtype=t.int32), exact=True)
    same(lambda t: getattr(t, fn)((2,), dtype=t.bool), exact=True)
    same(lambda t: getattr(t, fn)(t.tensor(2), 3), exact=True)
    same(lambda t: getattr(t, fn)(2, dtype=t.complex128), exact=True)


def test_empty_shapes_dtypes():
    for args, kw in [((2, 3), {}), (((2, 3),), {"dtype": "bool"}), ((0,), {"dtype": "int16"}), (((),), {})]:
        t = torch.empty(*args, **{k: getattr(torch, v) for k, v in kw.items()})
        e = ember.empty(*args, **{k: getattr(ember, v) for k, v in kw.items()})
        assert tuple(e.shape) == tuple(t.shape) and str(e.dtype) == str(t.dtype)


def test_size_errors():
    for fn in ("zeros", "ones", "empty"):
        check_raises(lambda t: getattr(t, fn)(2, -1), match_message=True)
        check_raises(lambda t: getattr(t, fn)(2.5), match_message=True)
        check_raises(lambda t: getattr(t, fn)((2, 2.5)), match_message=True)
        check_raises(lambda t: getattr(t, fn)(2, 2.5), match_message=True)
        check_raises(lambda t: getattr(t, fn)(True), match_message=True)
        check_raises(lambda t: getattr(t, fn)(2, None), match_message=True)
        check_raises(lambda t: getattr(t, fn)("a"), match_message=True)
        check_raises(lambda t: getattr(t, fn)(), match_message=True)
        check_raises(lambda t: getattr(t, fn)((2, 3), (1,)), match_message=True)
        check_raises(lambda t: getattr(t, fn)(2, dtype=t.int32, requires_grad=True), match_message=True)
    check_raises(lambda t: t.ones(2, dtype="float32"), match_message=True)


def test_factories_requires_grad():
    for fn in ("zeros", "ones", "empty"):
        x = getattr(ember, fn)(2, 3, requires_grad=True)
        assert x.requires_grad and x.is_leaf and x.grad_fn is None
    assert ember.full((2,), 1.5, requires_grad=True).requires_grad
    assert ember.eye(2, requires_grad=True).requires_grad
    assert ember.arange(0.0, 3, requires_grad=True).requires_grad
    check_raises(lambda t: t.arange(0, 5, requires_grad=True), match_message=True)
    check_raises(lambda t: t.full((2,), 1, requires_grad=True), match_message=True)


FILL_VALUES = [1.5, 7, True, False, 1 + 2j, np.float64(1.5), np.int32(1), -0.0, float("inf"), float("nan"), 0]


@pytest.mark.parametrize("v", FILL_VALUES, ids=repr)
def test_full_inference(v):
    same(lambda t: t.full((2, 3), v), exact=True)
    same(lambda t: t.full([2], v), exact=True)
    same(lambda t: t.full(t.Size([1, 2]), v), exact=True)
    same(lambda t: t.full((), v), exact=True)


def test_full_explicit_dtype_and_tensor_fill():
    same(lambda t: t.full((2,), 1.5, dtype=t.int32), exact=True)
    same(lambda t: t.full((2,), -1.7, dtype=t.int64), exact=True)
    same(lambda t: t.full((2,), -1, dtype=t.uint8), exact=True)
    same(lambda t: t.full((2,), 2 ** 40, dtype=t.int64), exact=True)
    same(lambda t: t.full((2,), 2 ** 40, dtype=t.float32), exact=True)
    same(lambda t: t.full((2,), 0.1, dtype=t.float16), exact=True)
    same(lambda t: t.full((2,), 3, dtype=t.bool), exact=True)
    same(lambda t: t.full((2,), t.tensor(1.5)), exact=True)
    same(lambda t: t.full((2,), t.tensor(2)), exact=True)
    same(lambda t: t.full((2,), float("inf"), dtype=t.float16), exact=True)


def test_full_errors():
    check_raises(lambda t: t.full(2, 1.0), match_message=True)
    check_raises(lambda t: t.full((2, -1), 1.0), match_message=True)
    check_raises(lambda t: t.full((2,), "a"), match_message=True)
    for dt in ("int8", "int16", "int32", "uint8", "float16"):
        check_raises(lambda t: t.full((2,), 2 ** 40, dtype=getattr(t, dt)), match_message=True)
    check_raises(lambda t: t.full((2,), float("nan"), dtype=t.int32), match_message=True)
    check_raises(lambda t: t.full((2,), float("inf"), dtype=t.int64), match_message=True)
    check_raises(lambda t: t.full((2,), 1e39, dtype=t.float32), match_message=True)
    check_raises(lambda t: t.full((2,), 1 + 1j, dtype=t.float32), match_message=True)
    check_raises(lambda t: t.full((2,), 300, dtype=t.uint8), match_message=True)


def test_like_factories():
    for arr in [randn(2, 3), np.arange(6).reshape(3, 2), np.ones(2, bool), randn(2, dtype=np.float64)]:
        check(lambda t, x: t.zeros_like(x), arr)
        check(lambda t, x: t.ones_like(x), arr)
        check(lambda t, x: t.full_like(x, 3.7), arr)
        check(lambda t, x: t.full_like(x, 2, dtype=t.float64), arr)
        check(lambda t, x: t.zeros_like(x, dtype=t.float16), arr)
        check(lambda t, x: t.empty_like(x).shape, arr)
        check(lambda t, x: str(t.empty_like(x, dtype=t.int8).dtype), arr)
    x = ember.ones_like(ember.tensor([1.0, 2.0]), requires_grad=True)
    assert x.requires_grad and x.is_leaf
    check_raises(lambda t, x: t.ones_like(x, requires_grad=True), np.arange(3), match_message=True)
    check_raises(lambda t: t.zeros_like([1, 2]), match_message=True)
    check_raises(lambda t, x: t.full_like(x, 300), np.zeros(2, np.uint8), match_message=True)


def test_like_factories_keep_no_graph():
    x = ember.tensor([1.0, 2.0], requires_grad=True) * 2
    for fn in ("zeros_like", "ones_like", "empty_like"):
        r = getattr(ember, fn)(x)
        assert not r.requires_grad and r.grad_fn is None


# ============================================================================ arange

ARANGE_ARGS = [
    (5,), (0, 5), (1, 10, 3), (10, 0, -3), (-5, 5, 2), (5, 5), (0.0, 3), (0, 1, 0.1), (0, 3, 0.1), (0, 10, 0.3),
    (-5, 5, 0.37), (1, 100, 0.7), (0, 1000, 1.1), (0, 50, 0.01), (3, -7, -0.013), (1.5,), (-1.5, 2.5, 0.5),
    (0, 5, 1.5), (2.5, -1, -0.25), (True,), (0, 1e4, 0.123), (1e-3, 1.0, 1e-3),
]


@pytest.mark.parametrize("args", ARANGE_ARGS, ids=repr)
def test_arange_values_exact(args):
    same(lambda t: t.arange(*args), exact=True)


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64", "int64", "int32", "int16", "int8", "uint8"])
@pytest.mark.parametrize("args", [(0, 5), (0, 5, 1.5), (0.5, 5.7), (-0.5, -5.7, -1.2), (0, 3, 0.1), (2, 40, 0.7),
                                  (0, 100, 3), (-20, 20, 0.75)], ids=repr)
def test_arange_dtypes_exact(args, dtype):
    if dtype == "uint8" and min(args[:2]) < 0:
        args = (abs(args[0]), abs(args[1])) + ((abs(args[2]),) if len(args) > 2 else ())
        if args[1] < args[0]:
            args = (args[1], args[0]) + args[2:]
    same_or_raises(lambda t: t.arange(*args, dtype=getattr(t, dtype)), exact=True)


def test_arange_scalar_kinds():
    same(lambda t: t.arange(t.tensor(3)), exact=True)
    same(lambda t: t.arange(t.tensor(3.0)), exact=True)
    same(lambda t: t.arange(np.int32(3)), exact=True)
    same(lambda t: t.arange(np.float64(3)), exact=True)
    same(lambda t: t.arange(0, 3, np.float32(0.5)), exact=True)
    same(lambda t: t.arange(start=1, end=4), exact=True)
    same(lambda t: t.arange(0, 4, step=2, dtype=t.float64), exact=True)


def test_arange_errors():
    check_raises(lambda t: t.arange(0, 5, 0), match_message=True)
    check_raises(lambda t: t.arange(0, 5, -1), match_message=True)
    check_raises(lambda t: t.arange(5, 0), match_message=True)
    check_raises(lambda t: t.arange(0, float("inf")), match_message=True)
    check_raises(lambda t: t.arange(0, float("nan")), match_message=True)
    check_raises(lambda t: t.arange(3, dtype=t.bool), match_message=True)
    check_raises(lambda t: t.arange(0, 5, 0.5, dtype=t.int64), match_message=True)
    check_raises(lambda t: t.arange(1 + 1j), match_message=True)


@HYP
@given(st.floats(-100, 100, allow_nan=False).map(lambda v: round(v, 3)),
       st.floats(0.001, 50, allow_nan=False).map(lambda v: round(v, 4)), st.integers(0, 300),
       st.sampled_from(["float32", "float64", "float16"]), st.booleans())
def test_arange_hypothesis_exact(start, step, n, dtype, neg):
    if neg:
        step = -step
    end = start + step * n
    if end == start:
        return
    t = torch.arange(start, end, step, dtype=getattr(torch, dtype))
    assert_same(ember.arange(start, end, step, dtype=getattr(ember, dtype)), t, atol=0, rtol=0)


def test_range_deprecated():
    with pytest.warns(UserWarning, match="deprecated"):
        e = ember.range(0, 3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t = torch.range(0, 3)
        assert_same(e, t, atol=0, rtol=0)
        assert_same(ember.range(1, 2, 0.25), torch.range(1, 2, 0.25), atol=0, rtol=0)


# ============================================================================ linspace / logspace

LINSPACE_ARGS = [(0, 1, 5), (-1, 1, 7), (0, 10, 1), (3, 3, 4), (0, 1, 0), (1, -1, 50), (-3.7, 10.2, 33), (0, 1, 100),
                 (2.5, 1e4, 257), (0.1, 0.2, 3)]


@pytest.mark.parametrize("args", LINSPACE_ARGS, ids=repr)
@pytest.mark.parametrize("dtype", [None, "float64", "float16", "int64", "int32", "uint8", "int8"])
def test_linspace(args, dtype):
    if dtype in ("uint8",) and min(args[:2]) < 0:
        return
    kw = {} if dtype is None else {"dtype": dtype}
    same_or_raises(lambda t: t.linspace(*args, **{k: getattr(t, v) for k, v in kw.items()}), exact=True)


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "int64", "int32", "int16"])
def test_linspace_bitwise(dtype):
    for args in LINSPACE_ARGS + [(0, 1, 1000), (-7.3, 2.9, 999), (3, -11, 130), (1e-3, 5e3, 4097)]:
        same_or_raises(lambda t: t.linspace(*args, dtype=getattr(t, dtype)), exact=True)


def test_linspace_misc():
    same(lambda t: t.linspace(t.tensor(0.0), 1, 5), exact=True)
    same(lambda t: t.linspace(0, 1, steps=5, dtype=t.float64), exact=True)
    same(lambda t: t.linspace(1j, 2, 5), atol=1e-6, rtol=1e-6)
    same(lambda t: t.linspace(0, 1, 5, requires_grad=True).requires_grad)
    check_raises(lambda t: t.linspace(0, 1, -1), match_message=True)
    check_raises(lambda t: t.linspace(t.tensor([0.0]), 1, 5), match_message=True)
    check_raises(lambda t: t.linspace(0, 1, 2.5))


@pytest.mark.parametrize("args,kw", [((0, 2, 3), {}), ((0, 2, 3), {"base": 2}), ((-1, 1.5, 4), {}),
                                     ((-3.3, 4.7, 50), {"base": 10.1}), ((0, 1, 1), {}), ((0, 1, 0), {}),
                                     ((0, 3, 4), {"base": 2.0})])
@pytest.mark.parametrize("dtype", [None, "float64", "int64", "int32"])
def test_logspace(args, kw, dtype):
    kw = dict(kw)

    def f(t):
        k = dict(kw)
        if dtype is not None:
            k["dtype"] = getattr(t, dtype)
        return t.logspace(*args, **k)
    same(f, atol=0, rtol=2e-6)


# ============================================================================ eye / tril_indices / meshgrid


def test_eye():
    for args, kw in [((3,), {}), ((2, 3), {}), ((3, 2), {}), ((0,), {}), ((2,), {"dtype": "int64"}),
                     ((2, 4), {"dtype": "bool"}), ((1, 0), {})]:
        same(lambda t: t.eye(*args, **{k: getattr(t, v) for k, v in kw.items()}), exact=True)
    check_raises(lambda t: t.eye(-1), match_message=True)
    check_raises(lambda t: t.eye(2, -1), match_message=True)


@pytest.mark.parametrize("fn", ["tril_indices", "triu_indices"])
def test_tri_indices(fn):
    for args in [(3, 3), (3, 4, 1), (4, 3, -1), (3, 3, -5), (3, 3, 10), (0, 3), (1, 1), (5, 2, 2)]:
        same(lambda t: getattr(t, fn)(*args), exact=True)
    same(lambda t: getattr(t, fn)(3, 3, dtype=t.int32), exact=True)
    check_raises(lambda t: getattr(t, fn)(3, 3, dtype=t.float32), match_message=True)
    check_raises(lambda t: getattr(t, fn)(-1, 3), match_message=True)


def test_meshgrid():
    a, b, c = randn(3), randn(2, seed=1), randn(4, seed=2)
    check(lambda t, a, b: t.meshgrid(a, b, indexing="ij"), a, b)
    check(lambda t, a, b: t.meshgrid(a, b, indexing="xy"), a, b)
    check(lambda t, a, b: t.meshgrid([a, b], indexing="xy"), a, b)
    check(lambda t, a, b, c: t.meshgrid(a, b, c, indexing="xy"), a, b, c)
    check(lambda t, a: t.meshgrid(a, indexing="xy"), a)
    check(lambda t, a, b: t.meshgrid(a, b, indexing="ij"), np.array(2.0, np.float32), b)
    with pytest.warns(UserWarning, match="indexing"):
        g = ember.meshgrid(ember.tensor([1, 2]), ember.tensor([3, 4, 5]))
    assert tuple(g[0].shape) == (2, 3)


def test_meshgrid_errors():
    check_raises(lambda t, a, b: t.meshgrid(a, b, indexing="xy"), randn(2, 2), randn(2), match_message=False)
    check_raises(lambda t, a, b: t.meshgrid(a, b, indexing="xy"), randn(2), randn(2, dtype=np.float64),
                 match_message=True)
    check_raises(lambda t, a, b: t.meshgrid(a, b, indexing="foo"), randn(2), randn(2), match_message=True)
    check_raises(lambda t: t.meshgrid(indexing="ij"), match_message=True)


# ============================================================================ legacy constructors / Tensor()


def test_legacy_from_data():
    arr = np.arange(10).reshape(2, 5)
    same(lambda t: t.FloatTensor(arr), exact=True)
    assert ember.FloatTensor(arr).dtype is ember.float32
    for cls in ("FloatTensor", "DoubleTensor", "LongTensor", "IntTensor", "BoolTensor", "ByteTensor", "HalfTensor",
                "ShortTensor", "CharTensor"):
        for data in ([1, 0, 2], [[1.7, -1.2]], (2, 3), np.arange(3.0)):
            if cls == "ByteTensor" and isinstance(data, list) and data and isinstance(data[0], list):
                continue
            same(lambda t: getattr(t, cls)(data), exact=True)


def test_legacy_from_sizes():
    for cls in ("FloatTensor", "DoubleTensor", "LongTensor", "IntTensor", "BoolTensor", "ByteTensor"):
        for args in [(2, 3), (4,), (0,)]:
            t, e = getattr(torch, cls)(*args), getattr(ember, cls)(*args)
            assert tuple(e.shape) == tuple(t.shape) and str(e.dtype) == str(t.dtype)
        t, e = getattr(torch, cls)(torch.Size([2, 3])), getattr(ember, cls)(ember.Size([2, 3]))
        assert tuple(e.shape) == tuple(t.shape) == (2, 3)
        same(lambda lib: getattr(lib, cls)(), exact=True)


def test_legacy_errors_and_tensors():
    x = ember.tensor([1.0, 2.0])
    y = ember.FloatTensor(x)
    assert y.dtype is ember.float32 and y.tolist() == [1.0, 2.0]
    y[0] = 5
    assert x[0].item() == 5  # the legacy constructor aliases a tensor of its own dtype
    check_raises(lambda t: t.FloatTensor(t.tensor([1, 2])), match_message=True)
    check_raises(lambda t: t.FloatTensor(2.5), match_message=True)
    check_raises(lambda t: t.FloatTensor([[1, 2], [3]]), match_message=True)
    check_raises(lambda t: t.FloatTensor("abc"), match_message=True)
    check_raises(lambda t: t.FloatTensor(2, 3.5), match_message=True)
    check_raises(lambda t: t.FloatTensor(-1), match_message=True)
    check_raises(lambda t: t.LongTensor(2, -3), match_message=True)


def test_tensor_class_constructor():
    same(lambda t: t.Tensor([1, 2]), exact=True)
    same(lambda t: t.Tensor(np.arange(3)), exact=True)
    same(lambda t: t.Tensor([True]), exact=True)
    same(lambda t: t.Tensor(), exact=True)
    e, t = ember.Tensor(2, 3), torch.Tensor(2, 3)
    assert tuple(e.shape) == tuple(t.shape) == (2, 3) and str(e.dtype) == str(t.dtype)
    assert isinstance(e, ember.Tensor)
    old = ember.get_default_dtype()
    ember.set_default_dtype(ember.float64)
    try:
        assert ember.Tensor([1]).dtype is ember.float64
    finally:
        ember.set_default_dtype(old)


def test_tensor_class_constructor_tensor_arg():
    same(lambda t: t.Tensor(t.tensor([1, 2])), exact=True)  # any dtype passes through, aliased
    x = ember.tensor([1.0, 2.0])
    y = ember.Tensor(x)
    y[0] = 7
    assert x[0].item() == 7


def test_legacy_isinstance_and_attributes():
    x = ember.tensor([1.0, 2.0])
    assert isinstance(x, ember.FloatTensor) and not isinstance(x, ember.DoubleTensor)
    assert isinstance(x, ember.Tensor)
    assert isinstance(ember.tensor([1]), ember.LongTensor)
    assert isinstance(ember.tensor([True]), ember.BoolTensor)
    assert not isinstance(np.zeros(2), ember.FloatTensor)
    assert ember.FloatTensor.dtype is ember.float32 and ember.LongTensor.dtype is ember.int64
    assert ember.FloatTensor.__name__ == "FloatTensor"
    assert repr(ember.FloatTensor) == repr(torch.FloatTensor) == "<class 'torch.FloatTensor'>"
    assert not issubclass(ember.FloatTensor, ember.Tensor)


def test_type_method():
    x = ember.tensor([1.0, 2.0])
    tx = torch.tensor([1.0, 2.0])
    assert x.type() == tx.type() == "torch.FloatTensor"
    for data in ([1], [True], [1j], [1.0]):
        assert ember.tensor(data).type() == torch.tensor(data).type()
    assert ember.tensor([1], dtype=ember.int8).type() == "torch.CharTensor"
    assert ember.tensor([1], dtype=ember.float64).type() == "torch.DoubleTensor"
    assert_same(x.type(ember.DoubleTensor), tx.type(torch.DoubleTensor))
    assert_same(x.type("torch.IntTensor"), tx.type("torch.IntTensor"))
    assert_same(x.type(ember.float16), tx.type(torch.float16))
    assert x.type(x.type()) is x and x.type(ember.float32) is x
    check_raises(lambda t: t.tensor([1.0]).type("foo"))


def test_type_method_error_message():
    check_raises(lambda t: t.tensor([1.0]).type("torch.Foo"), match_message=True)


def test_new_factories():
    for arr in [randn(2, 3), np.arange(3), randn(2, dtype=np.float64)]:
        check(lambda t, x: x.new_tensor([1, 2]), arr, grad=False)
        check(lambda t, x: x.new_tensor([1.5, 2.7]), arr, grad=False)
        check(lambda t, x: x.new_zeros(2, 3), arr, grad=False)
        check(lambda t, x: x.new_zeros((2,)), arr, grad=False)
        check(lambda t, x: x.new_zeros([2, 3]), arr, grad=False)
        check(lambda t, x: x.new_ones((2,)), arr, grad=False)
        check(lambda t, x: x.new_ones(()), arr, grad=False)
        check(lambda t, x: x.new_full((2,), 3.7), arr, grad=False)
        check(lambda t, x: x.new_zeros(2, dtype=t.float64), arr, grad=False)
        check(lambda t, x: x.new_tensor(3), arr, grad=False)
        check(lambda t, x: x.new_empty((2, 3)).shape, arr, grad=False)
        check(lambda t, x: str(x.new_empty(2).dtype), arr, grad=False)
    x = ember.tensor([1.0], requires_grad=True)
    assert not x.new_zeros(2).requires_grad and not x.new_tensor([1.0]).requires_grad
    assert x.new_ones(2, requires_grad=True).requires_grad


def test_new_tensor_from_tensor_warns():
    x = ember.tensor([1.0, 2.0])
    with pytest.warns(UserWarning, match="new_tensor"):
        x.new_tensor(x)


# ============================================================================ random factories (shapes, dtypes, errors)


@pytest.fixture
def seeded():
    ember.manual_seed(0)
    torch.manual_seed(0)
    yield


def _meta(fn):
    t, e = fn(torch), fn(ember)
    assert isinstance(e, ember.Tensor)
    assert tuple(e.shape) == tuple(t.shape) and str(e.dtype) == str(t.dtype)
    assert e.requires_grad == t.requires_grad
    return e, t


def test_rand_randn_shapes_dtypes(seeded):
    for fn in ("rand", "randn"):
        for args, kw in [((2, 3), {}), (((2, 3),), {}), (([4],), {}), ((0,), {}), (((),), {}),
                         ((3,), {"dtype": "float64"}), ((3,), {"dtype": "float16"}), ((2,), {"dtype": "complex64"})]:
            _meta(lambda t: getattr(t, fn)(*args, **{k: getattr(t, v) for k, v in kw.items()}))
        _meta(lambda t: getattr(t, fn)(2, requires_grad=True))
    e = ember.rand(1000)
    assert e.min().item() >= 0 and e.max().item() < 1
    g = ember.Generator().manual_seed(3)
    assert ember.rand(4, generator=g).shape == (4,)


def test_rand_matches_torch_after_seed(seeded):
    # end-to-end wiring of the factories to ember.random (bit-exactness itself is tested in test_random_bits.py)
    same(lambda t: t.rand(5), exact=True)
    same(lambda t: t.randn(3, 4), exact=True)
    same(lambda t: t.randint(0, 10, (7,)), exact=True)
    same(lambda t: t.randperm(9), exact=True)
    same(lambda t: t.rand(2, 2, dtype=t.float64), exact=True)


def test_rand_errors(seeded):
    check_raises(lambda t: t.rand(2, dtype=t.int64), match_message=True)
    check_raises(lambda t: t.randn(2, dtype=t.int64), match_message=True)
    check_raises(lambda t: t.rand(2, -1), match_message=True)
    check_raises(lambda t: t.randn(-1), match_message=True)
    check_raises(lambda t: t.rand(2.5), match_message=True)


def test_randint(seeded):
    for args, kw in [((10, (3,)), {}), ((3, 10, (2, 2)), {}), ((10, (3,)), {"dtype": "float32"}),
                     ((-5, 5, (4,)), {"dtype": "int32"}), ((0, 2, (5,)), {"dtype": "bool"}), ((10, ()), {}),
                     ((2, [3, 1]), {}), ((0, 255, (4,)), {"dtype": "uint8"})]:
        _meta(lambda t: t.randint(*args, **{k: getattr(t, v) for k, v in kw.items()}))
    _meta(lambda t: t.randint(10, size=(3,)))
    _meta(lambda t: t.randint(low=2, high=10, size=(3,)))
    v = ember.randint(3, 7, (500,))
    assert v.min().item() >= 3 and v.max().item() <= 6
    check_raises(lambda t: t.randint(5, 3, (2,)), match_message=True)
    check_raises(lambda t: t.randint(10))
    check_raises(lambda t: t.randint(-1, 10, (3,), dtype=t.uint8), match_message=True)
    check_raises(lambda t: t.randint(0, 300, (3,), dtype=t.uint8), match_message=True)
    check_raises(lambda t: t.randint(10, (3,), requires_grad=True), match_message=True)


def test_randperm(seeded):
    for kw in [{}, {"dtype": "float32"}, {"dtype": "int32"}]:
        e, _ = _meta(lambda t: t.randperm(7, **{k: getattr(t, v) for k, v in kw.items()}))
        assert sorted(e.tolist()) == list(range(7))
    _meta(lambda t: t.randperm(0))
    check_raises(lambda t: t.randperm(-1), match_message=True)


def test_like_random(seeded):
    x = randn(2, 3)
    for fn in ("rand_like", "randn_like"):
        _meta(lambda t: getattr(t, fn)(t.from_numpy(x)))
        _meta(lambda t: getattr(t, fn)(t.from_numpy(x), dtype=t.float64))
        check_raises(lambda t: getattr(t, fn)(t.tensor([1, 2])), match_message=True)
    _meta(lambda t: t.randint_like(t.from_numpy(x), 10))
    _meta(lambda t: t.randint_like(t.tensor([1, 2]), 3, 10))
    _meta(lambda t: t.randint_like(t.tensor([1, 2]), 10, dtype=t.float64))


def test_normal(seeded):
    m, s = randn(2, 3), np.abs(randn(2, 3, seed=1))
    _meta(lambda t: t.normal(0.0, 1.0, size=(2, 3)))
    _meta(lambda t: t.normal(2.0, 3.0, (4,)))
    _meta(lambda t: t.normal(t.from_numpy(m), t.from_numpy(s)))
    _meta(lambda t: t.normal(t.from_numpy(m), 2.0))
    _meta(lambda t: t.normal(0.5, t.from_numpy(s)))
    _meta(lambda t: t.normal(t.from_numpy(m.astype(np.float64)), 1.0))
    _meta(lambda t: t.normal(t.from_numpy(m), t.from_numpy(s[0])))
    check_raises(lambda t: t.normal(0.0, -1.0, size=(2,)), match_message=True)
    check_raises(lambda t: t.normal(t.zeros(2), -t.ones(2)), match_message=True)
    check_raises(lambda t: t.normal(0.0, 1.0))


def test_bernoulli(seeded):
    p = np.random.default_rng(0).random((3, 4)).astype(np.float32)
    e, _ = _meta(lambda t: t.bernoulli(t.from_numpy(p)))
    assert set(np.unique(e.numpy())) <= {0.0, 1.0}
    _meta(lambda t: t.bernoulli(t.from_numpy(p.astype(np.float64))))
    _meta(lambda t: t.bernoulli(t.from_numpy(p), 0.3))
    _meta(lambda t: t.from_numpy(p).bernoulli())
    check_raises(lambda t: t.bernoulli(t.tensor([0.5, 1.5])), match_message=True)
    check_raises(lambda t: t.bernoulli(t.tensor([-0.5])), match_message=True)


def test_multinomial(seeded):
    p = np.random.default_rng(0).random((3, 5)).astype(np.float32)
    e, _ = _meta(lambda t: t.multinomial(t.from_numpy(p), 3))
    assert all(len(set(r)) == 3 for r in e.tolist())
    _meta(lambda t: t.multinomial(t.from_numpy(p[0]), 8, replacement=True))
    _meta(lambda t: t.multinomial(t.from_numpy(p[0]), 1))
    _meta(lambda t: t.from_numpy(p).multinomial(2, True))
    check_raises(lambda t: t.multinomial(t.ones(2, 2, 2), 1), match_message=True)
    check_raises(lambda t: t.multinomial(t.ones(3), 4), match_message=True)
    check_raises(lambda t: t.multinomial(t.tensor([1.0, -1.0]), 1), match_message=True)
    check_raises(lambda t: t.multinomial(t.zeros(3), 1), match_message=True)
    check_raises(lambda t: t.multinomial(t.tensor([1, 2]), 1), match_message=True)
    check_raises(lambda t: t.multinomial(t.ones(3), 0), match_message=True)


# ============================================================================ ember.Size


def test_size_behaviour():
    def run(lib):
        S = lib.Size
        s = S([2, 3, 4])
        return [s, str(s), s.numel(), s[1:], s[0], s + (5,), (1,) + s, s * 2, 2 * s, s == (2, 3, 4), S(), S([]),
                S([np.int64(3)]), S((1, 2)), s[::-1], s.count(2), s.index(3), S([-1]), S([True]), S([2, 3]) + S([4]),
                S([lib.tensor(3)]), hash(s) == hash((2, 3, 4))]
    for e, t in zip(run(ember), run(torch)):
        assert repr(e) == repr(t) and type(e).__name__ == type(t).__name__
    import pickle
    s = ember.Size([2, 3])
    assert pickle.loads(pickle.dumps(s)) == s and isinstance(pickle.loads(pickle.dumps(s)), ember.Size)
    for bad in ([2.5], "ab", 3):
        with pytest.raises(TypeError) as t_exc:
            torch.Size(bad)
        with pytest.raises(TypeError) as e_exc:
            ember.Size(bad)
        assert str(e_exc.value) == str(t_exc.value)
    with pytest.raises(TypeError) as t_exc:
        torch.Size([1]) + [2]
    with pytest.raises(TypeError) as e_exc:
        ember.Size([1]) + [2]
    assert str(e_exc.value) == str(t_exc.value)


def test_asarray_requires_grad_on_tensor():
    t = ember.tensor([1.0])
    r = ember.asarray(t, requires_grad=True)
    tt = torch.tensor([1.0])
    rt = torch.asarray(tt, requires_grad=True)
    assert (r is t) is (rt is tt) is True
    assert r.requires_grad and r.is_leaf
