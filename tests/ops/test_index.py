"""Differential tests of ember.ops.index (indexing, setitem, gather/scatter, masks, sorting, unique, diagonals)
against torch: values, dtypes, grads, grad_fn names, view semantics and exception classes/messages."""
import warnings

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import ember
from conftest import check, check_gradcheck, check_raises, randn
from test_shape import check_view_semantics

A = randn(3, 4, 5)
NAN = float("nan")


def _mask(t):
    return t.tensor([[True, False, True, False], [False, False, False, False], [True, True, False, True]])


# ============================================================================ getitem

BASIC = {
    "int": lambda t, x: x[1],
    "neg_int": lambda t, x: x[-1],
    "int_tuple": lambda t, x: x[1, 2],
    "int_full": lambda t, x: x[1, 2, 3],
    "neg_int_full": lambda t, x: x[-1, -2, -3],
    "np_int": lambda t, x: x[np.int64(2)],
    "chained": lambda t, x: x[0][1],
    "chained_full": lambda t, x: x[0][1][2],
    "slice": lambda t, x: x[1:3],
    "slice_step": lambda t, x: x[::2],
    "slice_open": lambda t, x: x[1:],
    "slice_neg_stop": lambda t, x: x[:-1],
    "slice_neg_start": lambda t, x: x[-2:],
    "slice_full": lambda t, x: x[:],
    "slice_full_tuple": lambda t, x: x[(slice(None),)],
    "slices_full": lambda t, x: x[:, :],
    "slice_big_stop": lambda t, x: x[:, 0:100],
    "slice_neg_big": lambda t, x: x[:, -100:],
    "slice_empty": lambda t, x: x[2:1],
    "slice_beyond": lambda t, x: x[5:9],
    "slice_dim1": lambda t, x: x[:, 1:3],
    "slice_steps": lambda t, x: x[1:3, ::2, 1::3],
    "slice_then_int": lambda t, x: x[1:3, ::2, 1],
    "int_then_slice": lambda t, x: x[0, 1:3],
    "int_then_full": lambda t, x: x[0, :],
    "int_then_trivial": lambda t, x: x[0, 0:4],
    "int_then_neg_start": lambda t, x: x[0, -4:],
    "col": lambda t, x: x[:, 0],
    "last_dim": lambda t, x: x[:, :, 1],
    "none": lambda t, x: x[None],
    "none_int": lambda t, x: x[None, 0],
    "int_none": lambda t, x: x[0, None],
    "none_none": lambda t, x: x[None, None],
    "none_last": lambda t, x: x[..., None],
    "colon_none": lambda t, x: x[:, None],
    "none_colon": lambda t, x: x[None, :],
    "colons_none_ellipsis": lambda t, x: x[:, :, None, ...],
    "ellipsis_none_colon": lambda t, x: x[..., None, :],
    "none_of_strided": lambda t, x: x[:, ::2][..., None],
    "none_of_transposed": lambda t, x: x.transpose(0, 2)[:, None],
    "empty_tuple": lambda t, x: x[()],
    "none_mid": lambda t, x: x[:, None, 1:3],
    "none_then_select": lambda t, x: x[:, None, 0],
    "none_both_ends": lambda t, x: x[None, ..., None],
    "slice_none": lambda t, x: x[1:2, None],
    "none_slice_select": lambda t, x: x[None, 1:3, 2],
    "none_after_all": lambda t, x: x[:, :, :, None],
    "none_between": lambda t, x: x[:, 1:3, None, :],
    "none_of_select": lambda t, x: x[0][None],
    "ellipsis": lambda t, x: x[...],
    "ellipsis_int": lambda t, x: x[..., 4],
    "int_ellipsis": lambda t, x: x[0, ...],
    "ellipsis_mid": lambda t, x: x[0, ..., 1],
    "ellipsis_slice": lambda t, x: x[..., 1:3],
    "ellipsis_twice": lambda t, x: x[..., ...],
    "ellipsis_full": lambda t, x: x[:, ...],
    "tensor_int": lambda t, x: x[t.tensor(1)],
    "tensor_int32": lambda t, x: x[t.tensor(2, dtype=t.int32)],
    "tensor_int_tuple": lambda t, x: x[0, t.tensor(1)],
    "tensor_int_then_slice": lambda t, x: x[t.tensor(1), 1:3],
    "list_as_tuple": lambda t, x: x[[0, slice(None), 1]],
}


@pytest.mark.parametrize("name", BASIC)
def test_getitem_basic(name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(BASIC[name], A)
        check_view_semantics(BASIC[name])


ADVANCED = {
    "list": lambda t, x: x[[0, 2]],
    "list_repeat": lambda t, x: x[[0, 0, 2, 0]],
    "list_neg": lambda t, x: x[[-1, 0]],
    "list_empty": lambda t, x: x[[]],
    "list_2d": lambda t, x: x[t.tensor([[0, 1], [2, 2]])],
    "tensor": lambda t, x: x[t.tensor([2, 0, 2])],
    "tensor_int32": lambda t, x: x[t.tensor([1, 2], dtype=t.int32)],
    "np_array": lambda t, x: x[np.array([1, 2])],
    "np_int32_array": lambda t, x: x[np.array([2, 1], dtype=np.int32)],
    "np_int8_array": lambda t, x: x[np.array([2, -1], dtype=np.int8)],
    "np_uint8_mask": lambda t, x: x[np.array([1, 0, 1], dtype=np.uint8)],
    "np_2d_array": lambda t, x: x[np.array([[0, 1], [1, 2]])],
    "float_list": lambda t, x: x[[0.5, 2.0]],
    "float_np_array": lambda t, x: x[np.array([1.9])],
    "int_float_list": lambda t, x: x[0, [1.5]],
    "range": lambda t, x: x[range(2)],
    "tuple_of_lists": lambda t, x: x[[0, 1], [1, 2]],
    "three_lists": lambda t, x: x[[0, 1], [0, 1], [0, 4]],
    "broadcast_lists": lambda t, x: x[[[0], [2]], [0, 1, 3]],
    "broadcast_tensors": lambda t, x: x[t.tensor([[0], [1]]), :, t.tensor([1, 2, 3])],
    "list_dim1": lambda t, x: x[:, [0, 3]],
    "list_dim2": lambda t, x: x[..., [4, 0, 4]],
    "slice_list": lambda t, x: x[1:3, [0, 1]],
    "list_slice": lambda t, x: x[[0, 1], 1:3],
    "list_slice_list": lambda t, x: x[[0, 2], :, [1, 3]],
    "int_list": lambda t, x: x[0, [0, 1]],
    "int_slice_list": lambda t, x: x[0, :, [0, 1]],
    "list_slice_int": lambda t, x: x[[0, 1], :, 0],
    "slice_int_list": lambda t, x: x[:, 0, [0, 1]],
    "list_none": lambda t, x: x[[0, 1], None],
    "none_list": lambda t, x: x[None, [0, 1]],
    "list_none_list": lambda t, x: x[[0, 1], None, [1, 2]],
    "int_none_list": lambda t, x: x[0, None, [1, 2]],
    "list_int_none": lambda t, x: x[[0, 1], 0, :, None],
    "mask_full": lambda t, x: x[x > 0],
    "mask_dim0": lambda t, x: x[t.tensor([True, False, True])],
    "mask_2d": lambda t, x: x[_mask(t)],
    "mask_2d_int": lambda t, x: x[_mask(t), 0],
    "mask_2d_slice": lambda t, x: x[_mask(t), 1:3],
    "mask_2d_list": lambda t, x: x[_mask(t), [0, 1, 2, 3, 4]],
    "mask_2d_none": lambda t, x: x[_mask(t), None],
    "mask_2d_ellipsis_none": lambda t, x: x[_mask(t), ..., None],
    "none_mask": lambda t, x: x[None, _mask(t)],
    "mask_last": lambda t, x: x[..., t.tensor([True, False, False, True, True])],
    "int_mask": lambda t, x: x[0, t.tensor([True, False, True, True])],
    "mask_list_bool": lambda t, x: x[[True, False, True]],
    "mask_nested_list": lambda t, x: x[[[[True, False, True, False]] * 3]],
    "mask_np": lambda t, x: x[np.array([False, True, True])],
    "mask_none_true": lambda t, x: x[x > 5],
    "mask_uint8": lambda t, x: x[t.tensor([1, 0, 1], dtype=t.uint8)],
    "true": lambda t, x: x[True],
    "false": lambda t, x: x[False],
    "true_int": lambda t, x: x[True, 0],
    "int_true": lambda t, x: x[0, True],
    "true_list": lambda t, x: x[True, [0, 1]],
    "list_true": lambda t, x: x[[0, 1], True],
    "bool_tensor_0d": lambda t, x: x[t.tensor(True)],
    "uint8_tensor_0d": lambda t, x: x[t.tensor(1, dtype=t.uint8)],
    "nested_list_as_tuple": lambda t, x: x[[[0, 1], [1, 2]]],
}


@pytest.mark.parametrize("name", ADVANCED)
def test_getitem_advanced(name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(ADVANCED[name], A)
        check_view_semantics(ADVANCED[name])  # a copy: never shares memory, contiguous


def test_getitem_repeated_index_grads_accumulate():
    g = check(lambda t, x: x[t.tensor([1, 1, 1, 0])] * 2, A)
    assert g.shape == (4, 4, 5)
    x = ember.from_numpy(A.copy()).requires_grad_()
    x[[1, 1, 2], [0, 0, 0]].sum().backward()
    assert x.grad[1, 0, 0].item() == 2.0 and x.grad[2, 0, 0].item() == 1.0 and x.grad[0].abs().sum().item() == 0


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.uint8, np.bool_, np.float16, np.float64, np.complex64])
def test_getitem_dtypes(dtype):
    arr = (np.arange(60).reshape(3, 4, 5) % 7).astype(dtype)
    for fn in (BASIC["slice_then_int"], BASIC["none_mid"], ADVANCED["list_slice_list"], ADVANCED["mask_2d_int"],
               lambda t, x: x[x != 0]):
        check(fn, arr)


def test_getitem_0d():
    s = np.array(2.5, np.float32)
    for fn in (lambda t, x: x[None], lambda t, x: x[...], lambda t, x: x[True], lambda t, x: x[False],
               lambda t, x: x[t.tensor(True)], lambda t, x: x[None, None], lambda t, x: x[..., None]):
        check(fn, s)
        check_view_semantics(fn, s)
    for fn in (lambda t, x: x[0], lambda t, x: x[:], lambda t, x: x[[0]], lambda t, x: x[t.tensor(0)],
               lambda t, x: x[0, 0]):
        e, t = check_raises(fn, s)
        assert str(e) == str(t)


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("fn", [
    lambda t, x: x[3],
    lambda t, x: x[-4],
    lambda t, x: x[0, 7],
    lambda t, x: x[:, 0, 7],
    lambda t, x: x[None, 0, 7],
    lambda t, x: x[..., 7],
    lambda t, x: x[0, 0, 0, 0],
    lambda t, x: x[[0, 5]],
    lambda t, x: x[[-4, 0]],
    lambda t, x: x[[0, 5, -4]],
    lambda t, x: x[:, [0, 9]],
    lambda t, x: x[[0, 1], [0, 9]],
    lambda t, x: x[[0, 5], [9, 0]],
    lambda t, x: x[0, :, [5]],
    lambda t, x: x[t.tensor([True, False])],
    lambda t, x: x[..., t.tensor([True, False, True, False])],
    lambda t, x: x[t.tensor([[True] * 5] * 3)],
    lambda t, x: x[[0, 1], [0, 1, 2]],
    lambda t, x: x[t.tensor([1.0])],
    lambda t, x: x[t.tensor([[0.0]])],
    lambda t, x: x[t.tensor([1, 0], dtype=t.int8)],
    lambda t, x: x[t.tensor([1, 0], dtype=t.int16)],
    lambda t, x: x[t.tensor([1, 0], dtype=t.uint8)],
    lambda t, x: x[_mask(t), [0, 1, 2, 3]],
    lambda t, x: x[[[True, False, True, False]] * 3],
    lambda t, x: x[1.5],
    lambda t, x: x[{0}],
    lambda t, x: x[object()],
])
def test_getitem_errors(fn):
    e, t = check_raises(fn, A)
    assert str(e) == str(t)


@pytest.mark.parametrize("fn", [
    lambda t, x: x[::-1],
    lambda t, x: x[:, ::-2],
    lambda t, x: x[::0],
    lambda t, x: x[0, ::0],
])
def test_getitem_bad_step(fn):
    e, t = check_raises(fn, A)
    assert isinstance(e, ValueError) and str(e) == str(t)


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_getitem_string_raises_type_error():
    check_raises(lambda t, x: x["a"], A)


def test_getitem_chained_view_writes():
    for lib in (torch, ember):
        x = lib.from_numpy(A.copy())
        y = x[1:][:, None][0, 0, ::2]
        with lib.no_grad():
            y[1] = 100.0
        assert x[1, 2, 0].item() == 100.0
        assert y._base is x


def test_getitem_advanced_is_a_copy():
    for lib in (torch, ember):
        x = lib.from_numpy(A.copy())
        y = x[[0, 1]]
        y[...] = 0.0
        assert y._base is None and x.abs().sum().item() > 0


# ============================================================================ setitem

def _set(key, value=None):
    """``y = x * 1; y[key] = value (a tensor input or a literal); return y`` — y is a non-leaf in the graph."""
    def fn(t, x, *v):
        y = x * 1
        k = key(t) if callable(key) else key
        y[k] = v[0] if v else (value(t) if callable(value) else value)
        return y
    return fn


SETITEM_SCALAR = {
    "int_key": (1, 2.5),
    "neg_int": (-1, 7),
    "tuple_key": ((0, 1), -1.0),
    "slice": (slice(1, 3), 0.0),
    "slice_step": ((slice(None), slice(None, None, 2)), 3.0),
    "ellipsis": (Ellipsis, 1.0),
    "ellipsis_int": ((Ellipsis, 0), 2.0),
    "full_slice": (slice(None), 5.0),
    "full_slices": ((slice(None), slice(None)), 5.0),
    "none": (None, 4.0),
    "true": (True, 4.0),
    "false": (False, 4.0),
    "list": ([0, 2], 9.0),
    "list_repeat": ([0, 0, 1], 9.0),
    "mask": (lambda t: t.tensor([True, False, True]), -2.0),
    "mask_2d": (_mask, -2.0),
    "int_list": ((0, [1, 3]), 1.5),
    "list_slice_list": (([0, 2], slice(None), [1, 3]), 1.5),
    "bool_value": (0, True),
    "tensor_0d_value": (0, lambda t: t.tensor(3.0)),
    "tensor_0d_int_value": ((0, 1), lambda t: t.tensor(3)),
}


@pytest.mark.parametrize("name", SETITEM_SCALAR)
def test_setitem_scalar(name):
    key, value = SETITEM_SCALAR[name]
    check(_set(key, value), A)


SETITEM_TENSOR = {
    "int_same_shape": (1, (4, 5)),
    "int_broadcast_row": (1, (5,)),
    "int_broadcast_col": (1, (4, 1)),
    "int_leading_ones": (1, (1, 1, 4, 5)),
    "slice": (slice(0, 2), (2, 4, 5)),
    "slice_broadcast": ((slice(None), 1), (1, 5)),
    "ellipsis_same": (Ellipsis, (3, 4, 5)),
    "ellipsis_broadcast": (Ellipsis, (5,)),
    "ellipsis_0d": (Ellipsis, ()),
    "none": (None, (3, 4, 5)),
    "list": ([0, 2], (2, 4, 5)),
    "list_broadcast": ([0, 2], (4, 1)),
    "list_leading_ones": ([0, 2], (1, 2, 4, 5)),
    "list_repeat": ([1, 1], (2, 4, 5)),
    "mask": (lambda t: t.tensor([True, False, True]), (2, 4, 5)),
    "mask_2d": (_mask, (5,)),
    "mask_2d_full": (_mask, (5, 5)),
    "int_list": ((0, [1, 3]), (2, 5)),
    "list_list": (([0, 1], [2, 3]), (5,)),
    "slice_list": ((slice(None), [0, 1]), (3, 2, 5)),
    "0d_value_into_slice": (slice(1, 2), ()),
}


@pytest.mark.parametrize("name", SETITEM_TENSOR)
def test_setitem_tensor(name):
    key, vshape = SETITEM_TENSOR[name]
    check(_set(key), A, randn(*vshape, seed=3))


def test_setitem_value_dtype_cast():
    # basic keys copy_ with casting: float64 value into float32, float into int (truncation), into bool ...
    check(_set(1), A, randn(4, 5, seed=1, dtype=np.float64))
    check(lambda t, x, v: _set(1)(t, x, v.double()).float(), A, randn(5))
    for target, value in ((np.int64, np.float32), (np.int32, np.float64), (np.bool_, np.float32),
                          (np.float32, np.int64), (np.uint8, np.int64), (np.float16, np.float64)):
        tgt = (np.arange(60).reshape(3, 4, 5) % 5).astype(target)
        val = (np.arange(5) * 1.7 - 3).astype(value)

        def fn(t, x, v):
            y = x.clone()
            y[1, 2] = v
            y[:, 0] = v
            return y
        check(fn, tgt, val, grad=False)

        def adv(t, x, v):  # index_put_ insists on equal dtypes
            x[[0, 2], 0] = v
        e, t = check_raises(adv, tgt, val)
        assert str(e) == str(t)


def test_setitem_complex_into_real_warns():
    def fn(t, x):
        y = x.clone()
        y[0] = t.tensor([1 + 2j] * 5)
        return y
    with pytest.warns(UserWarning, match="Casting complex values to real discards the imaginary part"):
        check(fn, A, grad=False)


def test_setitem_scalar_conversions():
    for target in (np.uint8, np.int8, np.int32, np.int64, np.float32, np.float16, np.bool_):
        arr = np.zeros((3,), target)
        for value in (2.7, -1, -3.9, True, 0, 1e3, np.float64(1.5), np.int32(2)):
            def fn(t, x):
                y = x.clone()
                y[1] = value
                return y
            try:
                torch_ok = fn(torch, torch.from_numpy(arr.copy())) is not None
            except Exception:
                torch_ok = False
            if torch_ok:
                check(fn, arr, grad=False)
            else:
                check_raises(fn, arr, match_message=True)


@pytest.mark.parametrize("target,value", [
    (np.uint8, 300), (np.uint8, -256), (np.int8, 128), (np.int32, 2 ** 40), (np.int64, 2 ** 70),
    (np.float32, 1e300), (np.float32, 1j), (np.float64, 1 + 1j), (np.int64, float("inf")), (np.int32, NAN),
])
def test_setitem_scalar_overflow(target, value):
    def fn(t, x):
        x[0] = value
    e, t = check_raises(fn, np.zeros(3, target))
    assert str(e) == str(t)


@pytest.mark.parametrize("value", [[1, 2, 3], (1, 2), np.array([1.0]), np.array(2.5), None, "a"])
def test_setitem_bad_value_type(value):
    def fn(t, x):
        x[0] = value
    e, t = check_raises(fn, A)
    assert str(e) == str(t)


@pytest.mark.parametrize("key,vshape", [
    (0, (3,)), (0, (2, 1, 1)), (0, (2, 4, 5)), ([0, 1], (3,)), (_mask, (3,)), (slice(None), (2, 4, 5)),
    ((slice(None), [0, 1]), (2, 2, 5)), (Ellipsis, (4, 4, 5)),
])
def test_setitem_shape_mismatch(key, vshape):
    def fn(t, x, v):
        x[key(t) if callable(key) else key] = v
    e, t = check_raises(fn, A, randn(*vshape))
    assert str(e) == str(t)


@pytest.mark.parametrize("fn", [
    lambda t, x: x.__setitem__(3, 1.0),
    lambda t, x: x.__setitem__((0, 9), 1.0),
    lambda t, x: x.__setitem__([0, 9], 1.0),
    lambda t, x: x.__setitem__((slice(None), [9]), 1.0),
    lambda t, x: x.__setitem__(slice(None, None, -1), 1.0),
    lambda t, x: x.__setitem__(t.tensor([0.0]), 1.0),
    lambda t, x: x.__setitem__(t.tensor([True, False]), 1.0),
    lambda t, x: x.__setitem__((0, 0, 0, 0), 1.0),
    lambda t, x: x[0, 0, 0].__setitem__(0, 1.0),
    lambda t, x: x[0, 0, 0].__setitem__(slice(None), 1.0),
])
def test_setitem_index_errors(fn):
    e, t = check_raises(fn, A)
    assert str(e) == str(t)


def test_setitem_overlap_errors():
    for fn in (lambda t, x: x.__setitem__(slice(1, None), x[:-1]),
               lambda t, x: x.__setitem__([1, 2], x[:2]),
               lambda t, x: x[:, :1].expand(3, 4, 5).__setitem__(Ellipsis, 1.0),
               lambda t, x: x[:, :1].expand(3, 4, 5).__setitem__(0, 1.0)):
        check_raises(fn, A, match_message=True)
    # writing a tensor onto itself is fine for both
    check(lambda t, x: x.clone().__setitem__(Ellipsis, x) or x, A, grad=False)


def test_setitem_leaf_requires_grad_errors():
    for fn in (lambda t, x: x.__setitem__(0, 1.0), lambda t, x: x.__setitem__([0], 1.0),
               lambda t, x: x.__setitem__(Ellipsis, 1.0), lambda t, x: x.__setitem__(slice(None), 1.0),
               lambda t, x: x.__setitem__((0, [1]), 1.0), lambda t, x: x[0].__setitem__(1, 1.0),
               lambda t, x: x.view(60).__setitem__(0, 1.0), lambda t, x: x.__setitem__(True, 1.0)):
        res = []
        for lib in (torch, ember):
            x = lib.from_numpy(A.copy()).requires_grad_()
            with pytest.raises(RuntimeError) as ei:
                fn(lib, x)
            res.append(str(ei.value))
        assert res[0] == res[1]
    for lib in (torch, ember):  # allowed under no_grad
        x = lib.from_numpy(A.copy()).requires_grad_()
        with lib.no_grad():
            x[0] = 1.0
        assert x[0, 0, 0].item() == 1.0 and x.is_leaf


def test_setitem_grad_into_buffer():
    """``out = zeros(); out[i] = f(x)``: the buffer joins the graph (CopySlices), grads reach x."""
    def fn(t, x):
        out = t.zeros(3, 4, 5)
        out[0] = x[0] * 2
        out[1:, 1] = x[1:, 2] ** 2
        out[[2, 2], 3] = x[0, 0]
        return out
    check(fn, A)

    def fn2(t, v):
        out = t.zeros(4, 5, dtype=t.float64)
        out[1] = v  # float32 value into a float64 buffer: v's grad comes back as float32
        return out
    check(fn2, randn(5))


def test_setitem_through_views_in_graph():
    """Writing through a view of a tensor in the graph: the base becomes CopySlices, the view AsStrided."""
    def chained(t, x, v):
        y = x * 2
        y[0][1] = v
        return y

    def view_mask(t, x, v):
        y = x + 1
        z = y[1:, ::2]
        z[z > 1.5] = 0.0
        z[0, 0] = v[0]
        return y, z

    def buffer_view(t, v):
        out = t.zeros(3, 4)
        out[1][2:] = v[:2]
        row = out[2]
        row[[0, 0, 3]] = v[1:]
        return out, row

    check(chained, A, randn(5, seed=1))
    check(view_mask, A, randn(5, seed=1))
    check(buffer_view, randn(4))


def test_augmented_assignment_no_grad():
    """``x[k] += v`` is getitem, an in-place op on the view, then setitem of the view onto itself."""
    def fn(t, x):
        y = x.clone()
        y[0] += 1
        y[:, 1] *= 2
        y[[0, 1], [2, 2]] -= 5
        y[y > 1] /= 4
        return y, y._version
    check(fn, A, grad=False)


def test_augmented_assignment_in_graph():
    def fn(t, x):
        y = x * 1
        y[0] += x[1]
        return y
    check(fn, A)


def test_setitem_on_saved_output_raises():
    for lib in (torch, ember):
        x = lib.from_numpy(A.copy()).requires_grad_()
        z = (x * 1).exp()  # exp saves its output
        z[0] = 1.0
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            z.sum().backward()


def test_setitem_version_counter():
    for key, value in ((0, 1.0), ([0, 1], 2.0), (Ellipsis, 3.0), (slice(1, 2), 0.5)):
        res = []
        for lib in (torch, ember):
            x = lib.from_numpy(A.copy())
            v = x[1:]
            x[key] = value
            v[0] = value
            res.append((x._version, v._version))
        assert res[0] == res[1]


def test_setitem_modifies_saved_tensor_raises():
    for lib in (torch, ember):
        x = lib.from_numpy(A.copy()).requires_grad_()
        y = x * 1
        z = y ** 2  # saves y
        y[0] = 1.0
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            z.sum().backward()


# ============================================================================ index_select / gather / scatter family

I3 = np.array([2, 0, 2])
IDX = np.array([[0, 1], [2, 0], [1, 1]])


def _t(t, a):
    return t.from_numpy(np.array(a))


INDEX_OPS = {
    "index_select0": lambda t, x: x.index_select(0, _t(t, I3)),
    "index_select1": lambda t, x: t.index_select(x, 1, _t(t, [3, 0])),
    "index_select_neg_dim": lambda t, x: x.index_select(-1, _t(t, [4, 4, 1])),
    "index_select_int32": lambda t, x: x.index_select(2, _t(t, np.array([1], np.int32))),
    "index_select_0d_index": lambda t, x: x.index_select(1, t.tensor(2)),
    "index_select_empty": lambda t, x: x.index_select(0, t.tensor([], dtype=t.int64)),
    "gather": lambda t, x: x[0].gather(1, _t(t, IDX)),
    "gather0": lambda t, x: t.gather(x[0], 0, _t(t, [[0, 1, 2, 0, 1], [3, 3, 3, 3, 3]])),
    "gather_3d": lambda t, x: x.gather(2, _t(t, np.zeros((3, 2, 1), np.int64) + 4)),
    "gather_int32": lambda t, x: x[0].gather(1, _t(t, IDX.astype(np.int32))),
    "gather_empty": lambda t, x: x[0].gather(1, t.zeros(3, 0, dtype=t.int64)),
    "scatter_src": lambda t, x: x[0].scatter(1, _t(t, IDX), x[1, :3, :2] * 2),
    "scatter_value": lambda t, x: x[0].scatter(1, _t(t, IDX), 2.5),
    "scatter_value_kw": lambda t, x: t.scatter(x[0], 1, _t(t, IDX), value=-1.0),
    "scatter_dim0": lambda t, x: x[0].scatter(0, _t(t, [[0, 1, 2, 3, 0]]), x[1, :1]),
    "scatter_int32": lambda t, x: x[0].scatter(1, _t(t, IDX.astype(np.int32)), x[2, :3, :2]),
    "scatter_add": lambda t, x: x[0].scatter_add(1, _t(t, IDX), x[1, :3, :2]),
    "scatter_add_fn": lambda t, x: t.scatter_add(x[0], 0, _t(t, [[0, 0, 0, 0, 0], [0, 1, 0, 1, 0]]), x[1, :2]),
    "index_add": lambda t, x: x.index_add(0, _t(t, I3), x * 3),
    "index_add_alpha": lambda t, x: x.index_add(1, _t(t, [0, 0, 1, 1]), x, alpha=2),
    "index_add_int32": lambda t, x: t.index_add(x, 2, _t(t, np.array([4, 0], np.int32)), x[:, :, :2]),
    "index_fill": lambda t, x: x.index_fill(1, _t(t, [0, 2]), 5.0),
    "index_fill_neg": lambda t, x: x.index_fill(2, _t(t, [-1, 0, -1]), -3.0),
    "index_fill_0d": lambda t, x: x.index_fill(0, t.tensor(1), 2.0),
    "index_copy": lambda t, x: x.index_copy(0, _t(t, [2, 0, 1]), x.flip(0) * 2),
    "index_copy_dim": lambda t, x: x.index_copy(2, _t(t, [1, 3]), x[:, :, :2] + 1),
    "masked_fill": lambda t, x: x.masked_fill(x > 0, 2.0),
    "masked_fill_bcast": lambda t, x: x.masked_fill(t.tensor([True, False, True, False, False]), -1),
    "masked_fill_bcast_self": lambda t, x: x[0, 0].masked_fill(_mask(t)[..., None], 0.5),
    "masked_fill_fn": lambda t, x: t.masked_fill(x, x < 0, 0.0),
    "masked_select": lambda t, x: x.masked_select(x > 0),
    "masked_select_bcast": lambda t, x: t.masked_select(x, _mask(t)[..., None]),
    "masked_select_bcast_self": lambda t, x: x[0, 0].masked_select(_mask(t)[..., None]),
    "take": lambda t, x: x.take(_t(t, [[0, -1], [59, 7]])),
    "take_repeat": lambda t, x: t.take(x, _t(t, [3, 3, 3])),
    "take_along_dim": lambda t, x: t.take_along_dim(x, x.argsort(2), 2),
    "take_along_dim_bcast": lambda t, x: t.take_along_dim(x, _t(t, [[[0], [1], [4], [2]]]), 2),
    "take_along_dim_flat": lambda t, x: x.take_along_dim(_t(t, [0, 59, 4])),
    "take_along_dim_neg": lambda t, x: t.take_along_dim(x[0], _t(t, [[0], [1], [2], [3]]), -1),
}


@pytest.mark.parametrize("name", INDEX_OPS)
def test_index_ops(name):
    check(INDEX_OPS[name], A)


def test_scatter_src_larger_than_index():
    """Only the part of src the index covers is used (torch's own backward then fails on the shape: values only)."""
    check(lambda t, x: x[0].scatter(1, _t(t, IDX), x[1] * 2), A, grad=False)
    check(lambda t, x: x[0].scatter_add(0, _t(t, [[0, 1, 2, 3, 0]]), x[1]), A, grad=False)
    check(lambda t, x: x[0].scatter_reduce(1, _t(t, IDX), x[1], "amax"), A, grad=False)


def test_index_ops_tensor_values():
    """The 0-dim tensor values of index_fill/masked_fill get grads (their *Backward1 nodes)."""
    s = np.array(1.5, np.float32)
    check(lambda t, x, v: x.index_fill(1, _t(t, [0, 2]), v), A, s)
    check(lambda t, x, v: x.masked_fill(x > 0, v), A, s)
    check(lambda t, x, v: x.masked_fill(t.tensor([True, False, True, False, True]), v), A, s)
    check(lambda t, x, v: x.masked_fill(x > 0, v), A, np.array(1.5, np.float64))


def test_masked_scatter():
    check(lambda t, x, s: x.masked_scatter(x > 0, s), A, randn(70, seed=2))
    check(lambda t, x, s: x.masked_scatter(t.tensor([True, False, True, True, False]), s), A, randn(8, 6, seed=2))
    check(lambda t, x, s: x[0, 0].masked_scatter(_mask(t)[..., None], s), A, randn(40, seed=2))


@pytest.mark.parametrize("reduce", ["sum", "prod", "mean", "amax", "amin"])
@pytest.mark.parametrize("include_self", [True, False])
def test_scatter_reduce(reduce, include_self):
    idx = np.array([[0, 1, 0, 4], [2, 2, 2, 2], [3, 0, 3, 1]])
    src = np.arange(1, 13, dtype=np.float32).reshape(3, 4) / 4 - 1.5
    check(lambda t, x, s: x.scatter_reduce(1, _t(t, idx), s, reduce, include_self=include_self),
          randn(3, 5), src)
    check(lambda t, x, s: t.scatter_reduce(x, 0, _t(t, [[0, 0, 1, 1, 0]]), s, reduce, include_self=include_self),
          randn(2, 5), randn(1, 5, seed=4))
    ints = (np.arange(12).reshape(3, 4) % 4 - 1).astype(np.int64)
    check(lambda t, x, s: x.scatter_reduce(1, _t(t, idx), s, reduce, include_self=include_self),
          (np.arange(15).reshape(3, 5) % 3).astype(np.int64), ints)


def test_scatter_reduce_with_zeros_and_ties():
    """prod with zeros in self/src, amax/amin with ties: torch's grad formulas."""
    x = np.array([[0.0, 2.0, 3.0, 1.0]], np.float32)
    s = np.array([[0.0, 5.0, 3.0, 0.5, 2.0, 3.0]], np.float32)
    idx = np.array([[0, 0, 2, 1, 1, 2]])
    for reduce in ("prod", "amax", "amin", "mean"):
        for inc in (True, False):
            check(lambda t, a, b: a.scatter_reduce(1, _t(t, idx), b, reduce, include_self=inc), x, s)


@pytest.mark.parametrize("reduce", ["add", "multiply"])
def test_scatter_legacy_reduce(reduce):
    check(lambda t, x: x[0].scatter(1, _t(t, IDX), 2.0, reduce=reduce), A, grad=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(lambda t, x: x[0].scatter(1, _t(t, IDX), x[1], reduce=reduce), A, grad=False, check_grad_fn=False)

        def inplace(t, x):
            y = x[0].clone()
            y.scatter_(1, _t(t, IDX), x[1], reduce=reduce)
            return y
        check(inplace, A, grad=False, check_grad_fn=False)


def test_index_ops_int_dtypes():
    xi = (np.arange(60).reshape(3, 4, 5) % 7).astype(np.int64)
    for fn in (lambda t, x: x.index_add(0, _t(t, I3), x, alpha=2), lambda t, x: x.index_fill(1, _t(t, [1]), 2.7),
               lambda t, x: x.masked_fill(x > 3, 2.7), lambda t, x: x.masked_fill(x > 3, t.tensor(2.7)),
               lambda t, x: x[0].scatter(1, _t(t, IDX), 2.7), lambda t, x: x.index_copy(0, _t(t, [1, 0, 2]), x),
               lambda t, x: x.gather(2, _t(t, np.zeros((3, 4, 2), np.int64))), lambda t, x: x.take(_t(t, [5])),
               lambda t, x: x.bool().masked_fill(x > 3, 5), lambda t, x: x.index_add(0, _t(t, I3), x, alpha=2.5)):
        check(fn, xi)


@pytest.mark.parametrize("fn", [
    lambda t, x: x.index_select(0, _t(t, [[0]])),
    lambda t, x: x.index_select(0, _t(t, [3])),
    lambda t, x: x.index_select(0, _t(t, [-1])),
    lambda t, x: x.index_select(0, t.tensor([0.0])),
    lambda t, x: x.index_select(3, _t(t, [0])),
    lambda t, x: x[0].gather(1, _t(t, [[0], [5], [0], [0]])),
    lambda t, x: x[0].gather(1, _t(t, [[0], [-1], [0], [0]])),
    lambda t, x: x[0].gather(1, _t(t, [0, 1])),
    lambda t, x: x[0].gather(0, _t(t, [[0] * 6])),
    lambda t, x: x[0].gather(1, _t(t, [[0]] * 5)),
    lambda t, x: x[0].gather(1, t.tensor([[0.0]])),
    lambda t, x: x[0].gather(2, _t(t, [[0]])),
    lambda t, x: x[0].scatter(1, _t(t, IDX), x[1].double()),
    lambda t, x: x[0].scatter(1, _t(t, IDX), x[1][:2]),
    lambda t, x: x[0].scatter(1, _t(t, [[5]]), x[1]),
    lambda t, x: x[0].scatter(1, _t(t, [[-1]]), x[1]),
    lambda t, x: x[0].scatter(1, t.tensor([[0.0]]), x[1]),
    lambda t, x: x[0].scatter(1, _t(t, IDX), t.tensor(3.0)),
    lambda t, x: x[0].scatter(1, _t(t, IDX), 2.0, reduce="mean"),
    lambda t, x: x[0].scatter(1, _t(t, [0, 1]), 2.0),
    lambda t, x: x[0].scatter_add(1, _t(t, [[0, 1]]), x[1, 0]),
    lambda t, x: x[0].scatter_add(0, _t(t, [[0, 1]]), x[:2]),
    lambda t, x: x[0].scatter_add(1, _t(t, IDX), x[1].double()),
    lambda t, x: x[0].scatter_reduce(1, _t(t, IDX), x[1], "foo"),
    lambda t, x: x[0].scatter_reduce(1, _t(t, IDX), x[1].double(), "sum"),
    lambda t, x: x.index_add(0, _t(t, I3), x.double()),
    lambda t, x: x.index_add(0, t.tensor([0.0, 1.0, 2.0]), x),
    lambda t, x: x.index_add(0, _t(t, [3, 0, 0]), x),
    lambda t, x: x.index_add(0, _t(t, [-1, 0, 0]), x),
    lambda t, x: x.index_add(0, _t(t, I3), x[:2]),
    lambda t, x: x.index_add(0, _t(t, [[0]]), x[:1]),
    lambda t, x: x.index_fill(1, _t(t, [0, 4]), 5.0),
    lambda t, x: x.index_fill(1, _t(t, [0, 2]), t.tensor([5.0])),
    lambda t, x: x.index_fill(1, t.tensor([0.0]), 5.0),
    lambda t, x: x.index_fill(1, _t(t, [[1]]), 2.5),
    lambda t, x: x.index_fill(1, _t(t, np.array([1], np.int32)), 2.5),
    lambda t, x: x.index_copy(0, _t(t, I3), x.double()),
    lambda t, x: x.index_copy(0, _t(t, np.array(I3, np.int32)), x),
    lambda t, x: x.index_copy(0, _t(t, [3, 0, 0]), x),
    lambda t, x: x.index_copy(0, _t(t, I3), x[:2]),
    lambda t, x: x.masked_fill((x > 0).int(), 2.0),
    lambda t, x: x.masked_fill((x > 0).to(t.uint8), 2.0),
    lambda t, x: x.masked_fill(x > 0, t.tensor([1.0])),
    lambda t, x: x.masked_fill(t.tensor([True, False]), 1.0),
    lambda t, x: x.masked_fill(x > 0, 1j),
    lambda t, x: x.int().masked_fill(x > 0, 2 ** 40),
    lambda t, x: x.masked_select((x > 0).int()),
    lambda t, x: x.masked_select(t.tensor([True, False])),
    lambda t, x: x.masked_scatter(x > 0, t.arange(3.0)),
    lambda t, x: x.masked_scatter(x > 0, t.arange(60)),
    lambda t, x: x.masked_scatter((x > 0).int(), t.arange(60.0)),
    lambda t, x: x.take(_t(t, [60])),
    lambda t, x: x.take(_t(t, [-61])),
    lambda t, x: x.take(t.tensor([0.0])),
    lambda t, x: x.take(_t(t, np.array([0], np.int32))),
])
def test_index_ops_errors(fn):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        e, t = check_raises(fn, A)
    assert str(e) == str(t)


def test_scatter_empty_index_skips_shape_checks():
    check(lambda t, x: x[0].scatter(1, t.zeros(0, 0, 0, dtype=t.int64), x), A, grad=False)
    check(lambda t, x: x[0].scatter_add(0, t.zeros(2, 0, dtype=t.int64), x[1]), A, grad=False)


def test_index_ops_0d():
    s = np.array(2.5, np.float32)
    check(lambda t, x: x.index_select(0, t.tensor([0])), s)
    check(lambda t, x: x.index_select(0, t.tensor(0)), s)
    check(lambda t, x: x.gather(0, t.tensor(0)), s)
    check(lambda t, x: x.gather(0, t.tensor([0, 0])), s)
    check(lambda t, x: x.index_add(0, t.tensor(0), t.tensor(2.0)), s, grad=False)
    check(lambda t, x: x[0, 0].gather(0, t.tensor(3)), A)
    check(lambda t, x: x[0, 0].scatter(0, t.tensor(3), 7.0), A)


# ============================================================================ nonzero / sort family

def test_nonzero_argwhere():
    arr = np.array([[0, 1.5, 0], [2, 0, NAN]], np.float32)
    check(lambda t, x: x.nonzero(), arr)
    check(lambda t, x: t.nonzero(x, as_tuple=True), arr)
    check(lambda t, x: t.argwhere(x), arr)
    check(lambda t, x: x.nonzero(), np.zeros((2, 0, 3), np.int64))
    for s in (np.array(3), np.array(0.0)):
        check(lambda t, x: x.nonzero(), s)
        check(lambda t, x: x.nonzero(as_tuple=True), s)
        check(lambda t, x: x.argwhere(), s)
    check(lambda t, x: (x > 0).nonzero(), A)
    check(lambda t, x: (x > 0).nonzero(as_tuple=True), A)


SORT_DATA = np.array([[3.0, NAN, 1.0, 3.0, -1.0, NAN, 2.0], [0.0, -0.0, 5.0, 5.0, 5.0, -2.0, 1.0]], np.float32)


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("stable", [False, True])
def test_sort(descending, stable):
    check(lambda t, x: x.sort(descending=descending, stable=stable), SORT_DATA)
    check(lambda t, x: t.sort(x, dim=0, descending=descending, stable=stable), SORT_DATA)
    check(lambda t, x: t.sort(x, dim=-1, descending=descending), A)
    check(lambda t, x: x.argsort(descending=descending, stable=stable), SORT_DATA)
    check(lambda t, x: t.argsort(x, 1, descending=descending), A)
    ints = np.array([[1, 2, 2, 1, 2, 0, 0]], np.int64)
    check(lambda t, x: x.sort(descending=descending, stable=True), ints)
    check(lambda t, x: x.sort(descending=descending), np.array([True, False, True, False]))


def test_sort_misc():
    check(lambda t, x: x.sort(), np.array(5.0, np.float32))
    check(lambda t, x: x.argsort(), np.array(5.0, np.float32))
    check(lambda t, x: x.sort(), np.zeros(0, np.float32))
    check(lambda t, x: t.msort(x), A)
    check(lambda t, x: x.sort(1).values * 2, A)
    check_raises(lambda t, x: x.sort(3), A)


def _check_topk_like(fn, arr, **kw):
    """Values exactly; indices must point at the values (torch's order among ties is its own, and so are the
    grads, which follow the indices)."""
    check(lambda t, x: fn(t, x)[0], arr, grad=False, **kw)
    for lib in (torch, ember):
        x = lib.from_numpy(arr.copy())
        v, i = fn(lib, x)
        assert i.dtype == lib.int64 and tuple(i.shape) == tuple(v.shape)


@pytest.mark.parametrize("largest", [True, False])
def test_topk(largest):
    check(lambda t, x: x.topk(3, largest=largest), A)  # no ties: indices compared too
    check(lambda t, x: t.topk(x, 2, dim=0, largest=largest), A)
    check(lambda t, x: x.topk(0, largest=largest), A)
    check(lambda t, x: x.topk(5, 2, largest, False).values.sort().values, A)
    check(lambda t, x: x.topk(1, largest=largest), np.array(5.0, np.float32))
    _check_topk_like(lambda t, x: x.topk(3, largest=largest), SORT_DATA)
    _check_topk_like(lambda t, x: x.topk(2, largest=largest), np.array([1, 2, 2, 1, 2]))
    for lib in (torch, ember):  # indices of ties still select the values
        x = lib.from_numpy(SORT_DATA.copy())
        v, i = x.topk(4)
        np.testing.assert_array_equal(x.gather(1, i).numpy(), v.numpy())


def test_kthvalue_median():
    check(lambda t, x: x.kthvalue(2), A)
    check(lambda t, x: x.kthvalue(3, 0, True), A)
    check(lambda t, x: t.kthvalue(x, 1, -2), A)
    check(lambda t, x: x.kthvalue(1), np.array(5.0, np.float32))
    check(lambda t, x: x.median(), A)
    check(lambda t, x: x.median(1), A)
    check(lambda t, x: t.median(x, 0, keepdim=True), A)
    check(lambda t, x: x.median(), np.arange(4, dtype=np.float32))  # the lower median
    check(lambda t, x: x.median(), np.array([5, 1, 4, 2]))
    check(lambda t, x: x.median(0), np.array([[1.0, 5.0], [3.0, 2.0], [4.0, 0.0], [2.0, 2.0]], np.float32))
    check(lambda t, x: x.median(), np.array([1.0, 2.0, 2.0, 3.0], np.float32))  # grad split between the ties
    check(lambda t, x: x.median(), np.array([1.0, NAN, 2.0, NAN], np.float32))
    check(lambda t, x: x.median(1), SORT_DATA[:, [0, 1, 2, 6]])  # NaN propagates, index of the first NaN
    check(lambda t, x: x.median(), np.zeros(0, np.float32))
    check(lambda t, x: x.median(0), np.array(5.0, np.float32))
    _check_topk_like(lambda t, x: x.kthvalue(3), np.array([1, 2, 2, 1, 2]))
    _check_topk_like(lambda t, x: x.median(0), np.array([1, 2, 2, 1, 2]))
    _check_topk_like(lambda t, x: x.kthvalue(6), SORT_DATA[0])
    for fn in (lambda t, x: x.kthvalue(0), lambda t, x: x.kthvalue(6), lambda t, x: x.topk(6),
               lambda t, x: x.topk(-1), lambda t, x: x.median(3), lambda t, x: x.kthvalue(1, 3)):
        e, t = check_raises(fn, A)
        assert str(e) == str(t)


# ============================================================================ unique / bincount / searchsorted

def test_unique():
    v = np.array([3, 1, 2, 3, 1, 5])
    m = np.array([[1, 2], [1, 2], [0, 5]])
    for kw in ({}, {"sorted": False}, {"return_inverse": True}, {"return_counts": True},
               {"return_inverse": True, "return_counts": True}):
        check(lambda t, x: x.unique(**kw), v)
        check(lambda t, x: t.unique(x, **kw), m)
        check(lambda t, x: x.unique(dim=0, **kw), m)
        check(lambda t, x: x.unique(dim=1, **kw), m)
        check(lambda t, x: t.unique_consecutive(x, **{k: a for k, a in kw.items() if k != "sorted"}),
              np.array([1, 1, 2, 2, 3, 1, 1]))
        check(lambda t, x: t.unique_consecutive(x, dim=0, **{k: a for k, a in kw.items() if k != "sorted"}), m)
    check(lambda t, x: x.unique(return_counts=True), np.array([1.0, NAN, NAN, 2.0, 1.0], np.float32), grad=False)
    check(lambda t, x: x.unique(return_inverse=True), np.array(3))
    check(lambda t, x: t.unique_consecutive(x, return_inverse=True), m)


def test_unique_grad_fn_and_backward_error():
    arr = np.array([[1.0, 2.0], [2.0, 3.0]], np.float32)
    for fn, what in ((lambda t, x: x.unique(), "_unique2"), (lambda t, x: x.unique(dim=0), "unique_dim"),
                     (lambda t, x: t.unique_consecutive(x), "unique_consecutive")):
        check(fn, arr, grad=False)
        for lib in (torch, ember):
            y = fn(lib, lib.from_numpy(arr.copy()).requires_grad_())
            with pytest.raises(NotImplementedError, match=f"the derivative for '{what}' is not implemented."):
                y.sum().backward()


def test_bincount():
    x = np.array([0, 1, 1, 3])
    check(lambda t, a: t.bincount(a), x)
    check(lambda t, a: a.bincount(minlength=6), x)
    for w in (np.array([0.5, 1, 1, 2], np.float32), np.array([0.5, 1, 1, 2]), np.array([1, 2, 3, 4]),
              np.array([1, 2, 3, 4], np.float16)):
        check(lambda t, a, b: t.bincount(a, b), x, w, grad=False)
    check(lambda t, a: t.bincount(a), np.zeros(0, np.int64))
    check(lambda t, a: t.bincount(a), np.array([0, 1], np.uint8))
    for fn in (lambda t, a: t.bincount(a - 1), lambda t, a: t.bincount(a[None]), lambda t, a: t.bincount(a.float()),
               lambda t, a: t.bincount(a, t.tensor([1.0])), lambda t, a: t.bincount(a, minlength=-1)):
        e, t = check_raises(fn, x)
        assert str(e) == str(t)


def test_searchsorted_bucketize():
    s = np.array([1.0, 3.0, 5.0, 7.0], np.float32)
    v = np.array([[3.0, 6.0], [0.0, 9.0]], np.float32)
    check(lambda t, a, b: t.searchsorted(a, b), s, v)
    check(lambda t, a, b: t.searchsorted(a, b, right=True), s, v)
    check(lambda t, a, b: t.searchsorted(a, b, side="right"), s, v)
    check(lambda t, a, b: t.searchsorted(a, b, out_int32=True), s, v)
    check(lambda t, a: t.searchsorted(a, 4.0), s)
    check(lambda t, a: t.searchsorted(a, t.tensor(4.0)), s)
    check(lambda t, a: t.searchsorted(a, t.tensor([NAN, float("inf"), -float("inf")])), s)
    check(lambda t, a: t.searchsorted(a.long(), t.tensor([2.5, 6.0])), s)
    check(lambda t, a: t.searchsorted(a, t.tensor([3, 6])), s)
    check(lambda t, a, b: t.searchsorted(a, b), np.array([[1.0, 3.0], [2.0, 4.0]]), np.array([[2.0], [3.0]]))
    check(lambda t, a: t.searchsorted(a, t.tensor([2.0, 4.0]), sorter=t.tensor([1, 2, 0])),
          np.array([5.0, 1.0, 3.0]))
    check(lambda t, a, b: t.bucketize(b, a), s, v)
    check(lambda t, a, b: t.bucketize(b, a, right=True, out_int32=True), s, v)
    check(lambda t, a: t.bucketize(4.0, a), s)
    for fn in (lambda t, a: t.searchsorted(a, t.tensor([1.0]), side="left", right=True),
               lambda t, a: t.searchsorted(a[None].expand(2, 4), t.tensor([[2.0, 3.0, 5.0]])),
               lambda t, a: t.searchsorted(a[None].expand(2, 4), t.tensor([2.0, 3.0])),
               lambda t, a: t.searchsorted(a[0], t.tensor([1.0])),
               lambda t, a: t.bucketize(t.tensor([3.0]), a[None])):
        e, t = check_raises(fn, s)
        assert str(e) == str(t)


# ============================================================================ triangles & diagonals

DIAG = {
    "tril": lambda t, x: x.tril(),
    "tril_neg": lambda t, x: t.tril(x, -1),
    "triu": lambda t, x: x.triu(1),
    "triu_big": lambda t, x: x.triu(7),
    "tril_batch": lambda t, x: x.tril(2),
    "diag_2d": lambda t, x: x[0].diag(),
    "diag_2d_off": lambda t, x: t.diag(x[0], 1),
    "diag_2d_neg": lambda t, x: x[0].diag(-2),
    "diag_2d_out": lambda t, x: x[0].diag(9),
    "diag_1d": lambda t, x: x[0, 0].diag(),
    "diag_1d_off": lambda t, x: t.diag(x[0, 0], 2),
    "diag_1d_neg": lambda t, x: x[0, 0].diag(-1),
    "diagonal_view": lambda t, x: x.diagonal() * 2,
    "diagonal_off": lambda t, x: t.diagonal(x, 1, 1, 2),
    "diagonal_neg": lambda t, x: x.diagonal(-1, -1, 0),
    "diag_embed": lambda t, x: t.diag_embed(x),
    "diag_embed_off": lambda t, x: x.diag_embed(1),
    "diag_embed_dims": lambda t, x: t.diag_embed(x, -1, 0, 2),
    "diag_embed_1d": lambda t, x: t.diag_embed(x[0, 0], 2),
    "trace": lambda t, x: x[0].trace(),
    "trace_fn": lambda t, x: t.trace(x[1, :3, :3]),
}


@pytest.mark.parametrize("name", DIAG)
def test_diag_ops(name):
    check(DIAG[name], A)


def test_diag_int_dtypes():
    xi = np.arange(12).reshape(3, 4)
    for fn in (lambda t, x: x.tril(), lambda t, x: x.triu(-1), lambda t, x: x.diag(), lambda t, x: x[0].diag(),
               lambda t, x: x.trace(), lambda t, x: x.int().trace(), lambda t, x: x.to(t.uint8).trace(),
               lambda t, x: x.bool().tril(), lambda t, x: t.diag_embed(x)):
        check(fn, xi)


def test_diagonal_is_a_writable_view():
    check_view_semantics(lambda t, x: x.diagonal())
    check_view_semantics(lambda t, x: x.diagonal(1, 1, 2))
    check_view_semantics(lambda t, x: x.diagonal(-2, 2, 0))


@pytest.mark.parametrize("fn", [
    lambda t, x: x[0, 0].tril(),
    lambda t, x: x[0, 0].triu(),
    lambda t, x: x[0, 0, 0].diag(),
    lambda t, x: x.diag(),
    lambda t, x: t.diag_embed(x, 0, 0, 0),
    lambda t, x: t.diag_embed(x[0, 0, 0]),
    lambda t, x: x.trace(),
    lambda t, x: x[0].bool().trace(),
    lambda t, x: x.diagonal(0, 1, 1),
    lambda t, x: x.diagonal(0, 0, 3),
])
def test_diag_errors(fn):
    e, t = check_raises(fn, A)
    assert str(e) == str(t)


# ============================================================================ gradcheck (float64)

def _lt(a):
    return ember.from_numpy(np.array(a))


GRADCHECK = [
    (lambda x: x[1:, ::2, 1] ** 2, (3, 4, 5)),
    (lambda x: x[None, 0, ..., None] * x[None, 1, ..., None], (3, 4, 5)),
    (lambda x: x[[0, 0, 2], :, [1, 1, 3]] ** 2, (3, 4, 5)),
    (lambda x: x[x > 0.2] ** 2, (3, 4, 5)),
    (lambda x: x[0, :, [0, 1]] * x[1, 2, :2], (3, 4, 5)),
    (lambda x: _setitem_graph(x), (3, 4)),
    (lambda x: _setitem_view_graph(x), (3, 4)),
    (lambda x: x.index_select(0, _lt([2, 0, 2])) ** 2, (3, 4)),
    (lambda x: x.gather(1, _lt([[0, 0], [1, 3], [2, 2]])) ** 2, (3, 4)),
    (lambda x: (x * 2).scatter(1, _lt([[0, 1], [3, 2], [1, 0]]), x[:, 2:] ** 2), (3, 4)),
    (lambda x: (x * 2).scatter(1, _lt([[0, 1], [3, 2], [1, 1]]), 1.5), (3, 4)),
    (lambda x: (x * 2).scatter_add(1, _lt([[0, 1], [3, 3], [1, 1]]), x[:, :2] ** 2), (3, 4)),
    (lambda x: (x * 2).index_add(0, _lt([2, 2, 0]), x ** 2, alpha=3), (3, 4)),
    (lambda x: x.index_fill(1, _lt([0, 3]), 2.0) ** 2, (3, 4)),
    (lambda x: x.index_fill(1, _lt([0, 3]), x[0, 0]) ** 2, (3, 4)),
    (lambda x: (x * 2).index_copy(0, _lt([2, 0]), x[:2] ** 2), (3, 4)),
    (lambda x: x.masked_fill(x > 0, 1.0) * x, (3, 4)),
    (lambda x: x.masked_fill(_lt([True, False, False, True]), x[1, 1] ** 2) * x, (3, 4)),
    (lambda x: x.masked_select(_lt([[True], [False], [True]])) ** 2, (3, 4)),
    (lambda x: (x * 2).masked_scatter(x > 0, (x ** 2).reshape(-1)) * x, (3, 4)),
    (lambda x: x.take(_lt([[0, 11], [5, 5]])) ** 2, (3, 4)),
    (lambda x: ember.take_along_dim(x, _lt([[0], [3], [1]]), 1) ** 2, (3, 4)),
    (lambda x: x.sort(1).values * ember.arange(4.0, dtype=ember.float64), (3, 4)),
    (lambda x: x.sort(0, descending=True).values * ember.arange(4.0, dtype=ember.float64), (3, 4)),
    (lambda x: x.topk(2).values ** 2, (3, 4)),
    (lambda x: x.kthvalue(2, 0).values ** 2, (3, 4)),
    (lambda x: x.median() ** 2 + x.median(1).values.sum(), (3, 5)),
    (lambda x: x.tril(-1) ** 2 + x.triu(1), (3, 4)),
    (lambda x: x.diag(1) ** 2, (3, 4)),
    (lambda x: x[0].diag(1) ** 2, (3, 4)),
    (lambda x: x.diagonal(0, 0, 1) ** 2, (3, 4)),
    (lambda x: ember.diag_embed(x, -1) ** 2, (3, 4)),
    (lambda x: x[:, :3].trace() ** 2, (3, 4)),
]


def _setitem_graph(x):
    y = x * 2
    y[0] = x[1] ** 2
    y[[1, 1], [2, 3]] = x[2, :2] * 3
    y[y > 1] = 0.5
    return y


def _setitem_view_graph(x):
    y = x * 2
    y[1][1:3] = x[0, :2] ** 2
    z = y[:, 1]
    z[[0, 2]] = x[2, 0] ** 3
    return y * z.sum()


@pytest.mark.parametrize("i", range(len(GRADCHECK)))
def test_gradcheck(i):
    fn, shape = GRADCHECK[i]
    check_gradcheck(fn, np.random.default_rng(i).standard_normal(shape))


@pytest.mark.parametrize("reduce", ["sum", "prod", "mean", "amax", "amin"])
@pytest.mark.parametrize("include_self", [True, False])
def test_gradcheck_scatter_reduce(reduce, include_self):
    idx = _lt([[0, 1, 0], [3, 3, 3], [2, 0, 2]])
    check_gradcheck(lambda x, s: x.scatter_reduce(1, idx, s, reduce, include_self=include_self),
                    np.random.default_rng(1).standard_normal((3, 4)) + 2,
                    np.random.default_rng(2).standard_normal((3, 3)) + 2)


# ============================================================================ hypothesis

SHAPES = st.lists(st.integers(1, 4), min_size=1, max_size=4)


@st.composite
def basic_keys(draw, shape):
    """A random basic key: ints/slices/None for some leading dims, optionally ``...`` and keys for trailing dims."""
    ndim = len(shape)
    p = draw(st.integers(0, ndim))
    if draw(st.booleans()):
        k = draw(st.integers(0, ndim - p))
        return _keys_for(draw, shape[:p]) + (Ellipsis,) + _keys_for(draw, shape[ndim - k:])
    return _keys_for(draw, shape[:p])


def _keys_for(draw, dims):
    key = []
    dims = list(dims)
    while dims:
        n = dims.pop(0)
        kind = draw(st.sampled_from(["int", "slice", "none", "full"]))
        if kind == "int":
            key.append(draw(st.integers(-n, n - 1)))
        elif kind == "slice":
            a = draw(st.one_of(st.none(), st.integers(-n - 1, n + 1)))
            b = draw(st.one_of(st.none(), st.integers(-n - 1, n + 1)))
            s = draw(st.one_of(st.none(), st.integers(1, 3)))
            key.append(slice(a, b, s))
        elif kind == "none":
            key.append(None)
            dims.insert(0, n)
        else:
            key.append(slice(None))
    return tuple(key)


@settings(max_examples=60, deadline=None)
@given(SHAPES, st.data())
def test_hypothesis_basic_indexing(shape, data):
    arr = np.arange(np.prod(shape), dtype=np.float32).reshape(shape)
    key = data.draw(basic_keys(shape))
    check(lambda t, x: x[key], arr)
    check_view_semantics(lambda t, x: x[key], arr)


@settings(max_examples=40, deadline=None)
@given(SHAPES, st.data())
def test_hypothesis_advanced_indexing(shape, data):
    arr = np.arange(np.prod(shape), dtype=np.float32).reshape(shape)
    key = []
    for n in shape:
        kind = data.draw(st.sampled_from(["list", "slice", "int", "mask", "none"]))
        if kind == "list":
            key.append(data.draw(st.lists(st.integers(-n, n - 1), min_size=1, max_size=3)))
        elif kind == "slice":
            key.append(slice(data.draw(st.integers(0, n)), None))
        elif kind == "int":
            key.append(data.draw(st.integers(-n, n - 1)))
        elif kind == "mask":
            key.append(np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n))))
        else:
            key.append(None)
            key.append(slice(None))
    key = tuple(key)
    lists = [k for k in key if isinstance(k, list)]
    if len({len(k) for k in lists}) > 1:  # index lists must broadcast: make them equal length
        m = min(len(k) for k in lists)
        key = tuple(k[:m] if isinstance(k, list) else k for k in key)
    # a mask's nonzero count would have to broadcast with the lists (and other masks): keep one mask, no lists
    masks = [i for i, k in enumerate(key) if isinstance(k, np.ndarray)]
    key = tuple(slice(None) if isinstance(k, np.ndarray) and (lists or i != masks[0]) else k
                for i, k in enumerate(key))
    check(lambda t, x: x[key], arr)


@settings(max_examples=40, deadline=None)
@given(SHAPES, st.data())
def test_hypothesis_setitem(shape, data):
    arr = np.arange(np.prod(shape), dtype=np.float32).reshape(shape)
    key = data.draw(basic_keys(shape))
    use_list = data.draw(st.booleans())
    if use_list:
        key = (data.draw(st.lists(st.integers(0, shape[0] - 1), min_size=1, max_size=3)),)

    def fn(t, x):
        y = x * 1
        y[key] = -1.0
        y[key] = y[key] * 3
        return y
    check(fn, arr)


@settings(max_examples=30, deadline=None)
@given(SHAPES, st.data())
def test_hypothesis_gather_scatter(shape, data):
    arr = np.arange(np.prod(shape), dtype=np.float32).reshape(shape) / 3
    dim = data.draw(st.integers(0, len(shape) - 1))
    ishape = tuple(data.draw(st.integers(1, n)) if i != dim else data.draw(st.integers(1, 4))
                   for i, n in enumerate(shape))
    idx = np.array(data.draw(st.lists(st.integers(0, shape[dim] - 1), min_size=int(np.prod(ishape)),
                                      max_size=int(np.prod(ishape))))).reshape(ishape)
    check(lambda t, x: x.gather(dim, _t(t, idx)), arr)
    check(lambda t, x: x.scatter_add(dim, _t(t, idx), x.gather(dim, _t(t, idx)) * 2), arr)
    check(lambda t, x: x.index_select(dim, _t(t, idx.reshape(-1))), arr)
    check(lambda t, x: x.sort(dim, descending=True).values, arr)
