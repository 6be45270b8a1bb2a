"""Tensor attributes, conversions and Python protocols against torch."""
import copy
import pickle

import numpy as np
import pytest
import torch

import ember
from conftest import assert_same, check, check_raises, randn


def pair(arr):
    return ember.from_numpy(arr.copy()), torch.from_numpy(arr.copy())


@pytest.mark.parametrize("arr", [randn(2, 3), np.arange(6).reshape(3, 2), np.array(3.5, np.float32),
                                 np.zeros((0, 4), np.float64), np.ones((2, 1, 3), np.bool_)])
def test_metadata(arr):
    e, t = pair(arr)
    assert e.shape == t.shape and isinstance(e.shape, ember.Size) and isinstance(e.shape, tuple)
    assert e.size() == t.size() and e.dim() == t.dim() and e.ndim == t.ndim
    assert e.numel() == t.numel() and e.nelement() == t.nelement()
    assert e.element_size() == t.element_size() and e.itemsize == t.itemsize and e.nbytes == t.nbytes
    assert e.is_contiguous() == t.is_contiguous()
    if arr.size:  # torch.from_numpy copies NumPy's zero strides of empty arrays; its factories do not
        assert e.stride() == t.stride()
    else:
        assert ember.zeros(arr.shape).stride() == torch.zeros(arr.shape).stride()
    assert e.is_floating_point() == t.is_floating_point() and e.is_complex() == t.is_complex()
    assert str(e.dtype) == str(t.dtype) and str(e.device) == str(t.device)
    assert e.is_leaf == t.is_leaf and e.grad_fn is None and e.requires_grad == t.requires_grad
    if arr.ndim:
        assert e.size(-1) == t.size(-1) and (e.stride(0) == t.stride(0) or not arr.size)


def test_size_behaves_like_torch_size():
    e, t = ember.zeros(2, 3).shape, torch.zeros(2, 3).shape
    assert repr(e) == repr(t) == "torch.Size([2, 3])"
    assert str(e) == str(t)
    assert e == (2, 3) and e == t and e[1] == 3 and list(e) == [2, 3]
    assert repr(e[1:]) == repr(t[1:]) and e.numel() == t.numel()
    assert repr(e + (4,)) == repr(t + (4,))
    assert ember.Size([1, 2]) == torch.Size([1, 2])
    assert repr(ember.zeros(()).shape) == "torch.Size([])"


def test_item_tolist_protocols():
    e, t = pair(np.array([[1.5, -2.0], [3.0, 4.25]], np.float32))
    assert e.tolist() == t.tolist()
    assert e[0, 1].item() == t[0, 1].item() and type(e[0, 1].item()) is float
    i, ti = pair(np.array([7]))
    assert i.item() == 7 and type(i.item()) is int and int(i) == int(ti) and float(i) == 7.0
    assert [1, 2, 3][ember.tensor(1)] == 2  # __index__
    assert len(e) == len(t) == 2
    assert [r.tolist() for r in e] == [r.tolist() for r in t]
    assert bool(ember.tensor([1])) is True and bool(ember.tensor(0.0)) is False
    check_raises(lambda lib, x: bool(x), randn(3))
    check_raises(lambda lib, x: x.item(), randn(3))
    check_raises(lambda lib, x: len(x[0, 0]), randn(2, 2))
    check_raises(lambda lib, x: [1, 2][x], randn(1))
    assert f"{ember.tensor(2.5):.2f}" == f"{torch.tensor(2.5):.2f}"


def test_array_protocol_and_numpy_sharing():
    e = ember.arange(6.0)
    a = np.asarray(e)
    a[0] = 42
    assert e[0].item() == 42
    assert np.array_equal(np.array(e), np.arange(6.0).astype(np.float32) + np.eye(1, 6, 0)[0] * 42)
    n = np.ones(3, np.float32)
    r = n + ember.ones(3)  # ndarray + Tensor defers to the Tensor
    assert isinstance(r, ember.Tensor)


@pytest.mark.parametrize("method", ["float", "double", "half", "long", "int", "short", "char", "byte", "bool"])
def test_dtype_conversion_methods(method):
    check(lambda lib, x: getattr(x, method)(), np.array([-1.5, 0.0, 2.7, 300.0], np.float32), grad=False)


def test_to_variants():
    e, t = pair(randn(2, 2))
    assert e.to(ember.float32) is e and t.to(torch.float32) is t
    assert str(e.to(ember.float64).dtype) == str(t.to(torch.float64).dtype)
    assert e.to("cpu") is e and e.to(ember.device("cpu")) is e and e.cpu() is e
    assert str(e.to(ember.ones(1, dtype=ember.int64)).dtype) == "torch.int64"
    assert e.to("cpu", ember.float16).dtype is ember.float16
    assert e.to(dtype=ember.float64, copy=True).dtype is ember.float64
    c = e.to(ember.float32, copy=True)
    assert c is not e and np.array_equal(c.numpy(), e.numpy())
    check(lambda lib, x: x.to(lib.float64) * 2, randn(3))


def test_type_strings_and_legacy_types():
    for arr in [randn(2), np.arange(3), np.ones(2, bool), np.ones(2, np.uint8), np.ones(2, np.float64)]:
        e, t = pair(arr)
        assert e.type() == t.type()
    e, t = pair(randn(2))
    assert e.type(ember.DoubleTensor).dtype is ember.float64
    assert e.type("torch.LongTensor").type() == t.type("torch.LongTensor").type()
    assert isinstance(e, ember.FloatTensor) and not isinstance(e, ember.LongTensor)
    assert e.type_as(ember.ones(1, dtype=ember.int32)).dtype is ember.int32


def test_clone_detach_contiguous():
    check(lambda lib, x: x.clone() * 2, randn(3, 2))
    check(lambda lib, x: x.t().contiguous(), randn(3, 2))
    e = ember.ones(2, 3)
    assert e.contiguous() is e
    assert not e.t().is_contiguous() and e.t().contiguous().is_contiguous()
    c = e.clone()
    c[0, 0] = 5
    assert e[0, 0].item() == 1
    y = ember.ones(2, requires_grad=True) * 2
    y.detach_()
    assert y.grad_fn is None and not y.requires_grad


def test_new_factories():
    for lib in (ember, torch):
        x = lib.ones(2, dtype=lib.float64)
        assert x.new_zeros(3).dtype == lib.float64 and x.new_ones((2, 2)).shape == (2, 2)
        assert x.new_full((2,), 7).tolist() == [7.0, 7.0]
        assert x.new_tensor([1, 2]).dtype == lib.float64
        assert x.new_empty(4).shape == (4,)


def test_data_ptr_and_storage_offset():
    e, t = pair(np.arange(12, dtype=np.float32).reshape(3, 4))
    ev, tv = e[1:, 2:], t[1:, 2:]
    assert ev.storage_offset() == tv.storage_offset()
    assert ev.data_ptr() - e.data_ptr() == tv.data_ptr() - t.data_ptr()
    assert ev.untyped_storage().data_ptr() == e.untyped_storage().data_ptr()


def test_pickle_and_deepcopy():
    e = ember.tensor([[1.0, 2.0]], requires_grad=True)
    p = pickle.loads(pickle.dumps(e))
    assert p.tolist() == e.tolist() and p.requires_grad and p.dtype is ember.float32
    d = copy.deepcopy(e)
    assert d.tolist() == e.tolist() and d.requires_grad and d is not e
    d[0, 0].detach().fill_(9)
    assert e[0, 0].item() == 1.0
    with pytest.raises(RuntimeError, match="graph leaves"):
        copy.deepcopy(e * 2)


def test_inplace_dtype_rules():
    check_raises(lambda lib, x: x.add_(1.5), np.arange(3))
    check(lambda lib, x: x.add_(2), np.arange(3), grad=False)
    check(lambda lib, x: x.mul_(2.5), randn(3), grad=False)
    for lib in (ember, torch):
        x = lib.arange(3)
        with pytest.raises(RuntimeError, match="can't be cast"):
            x += 1.5


def test_fill_zero_copy():
    check(lambda lib, x: x.fill_(3), randn(2, 2), grad=False)
    check(lambda lib, x: x.zero_(), randn(2, 2), grad=False)
    check(lambda lib, x, y: x.copy_(y), randn(2, 3), randn(3, seed=1), grad=False)
    check(lambda lib, x, y: x.copy_(y), randn(2, 3), np.arange(3), grad=False)


def test_grad_setter_validation():
    for lib in (ember, torch):
        x = lib.ones(2, requires_grad=True)
        x.grad = lib.zeros(2)
        assert x.grad.tolist() == [0.0, 0.0]
        with pytest.raises(RuntimeError):
            x.grad = lib.zeros(3)
        x.grad = None
        assert x.grad is None


def test_cuda_request_is_clear():
    with pytest.raises(RuntimeError, match="CuPy|CUDA"):
        ember.ones(2).cuda()
    with pytest.raises(RuntimeError, match="CuPy|CUDA"):
        ember.ones(2, device="cuda")
    assert ember.cuda.is_available() is False


def test_legacy_tensor_constructor():
    for args in [([1, 2],), (2, 3), ((2, 3),)]:
        e, t = ember.Tensor(*args), torch.Tensor(*args)
        assert e.shape == t.shape and str(e.dtype) == str(t.dtype)
    assert_same(ember.FloatTensor(np.arange(10).reshape(2, 5)), torch.FloatTensor(np.arange(10).reshape(2, 5)))
    assert_same(ember.LongTensor([1, 2]), torch.LongTensor([1, 2]))
