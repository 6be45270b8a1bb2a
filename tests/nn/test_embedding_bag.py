"""``F.embedding_bag`` and ``nn.EmbeddingBag`` against torch: every mode with offsets or fixed 2-D bags, empty bags,
padding_idx, include_last_offset, per_sample_weights, scale_grad_by_freq, max_norm, max ties, the module's
init/repr/from_pretrained, float64 gradcheck, and torch's errors."""
import warnings

import numpy as np
import pytest
import torch

import ember
from conftest import check, check_gradcheck, randn, same_error
from layer_check import layer_check


def F(lib):
    return lib.nn.functional


IDX = np.array([1, 2, 4, 5, 4, 3, 2, 9, 0, 0, 7], dtype=np.int64)
OFF = np.array([0, 3, 3, 8], dtype=np.int64)  # an empty bag; with include_last_offset, entries past offset 8 too
OFF_LAST = np.array([0, 3, 3, 8, 11], dtype=np.int64)


def _t(L, a):
    return None if a is None else L.from_numpy(a.copy())


def _bag(idx, off, **kw):
    return lambda L, w, *p: F(L).embedding_bag(_t(L, idx), w, _t(L, off), per_sample_weights=p[0] if p else None,
                                               **kw)


@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
@pytest.mark.parametrize("padding_idx", [None, 4, -1, 0])
@pytest.mark.parametrize("include_last_offset", [False, True])
@pytest.mark.parametrize("scale_grad_by_freq", [False, True])
def test_offsets(mode, padding_idx, include_last_offset, scale_grad_by_freq):
    kw = dict(mode=mode, padding_idx=padding_idx, include_last_offset=include_last_offset,
              scale_grad_by_freq=scale_grad_by_freq)
    if mode == "max" and scale_grad_by_freq:
        same_error(lambda L: _bag(IDX, OFF, **kw)(L, _t(L, randn(10, 4))))
        return
    # torch's sum backward without padding_idx reads out of bounds for entries past the last offset: outputs only
    garbage = include_last_offset and mode == "sum" and padding_idx is None
    check(_bag(IDX, OFF, **kw), randn(10, 4), grad=not garbage)
    check(_bag(IDX, OFF_LAST, **kw), randn(10, 4, seed=1))


@pytest.mark.parametrize("padding_idx", [None, 2])
@pytest.mark.parametrize("include_last_offset", [False, True])
@pytest.mark.parametrize("scale_grad_by_freq", [False, True])
def test_per_sample_weights(padding_idx, include_last_offset, scale_grad_by_freq):
    kw = dict(mode="sum", padding_idx=padding_idx, include_last_offset=include_last_offset,
              scale_grad_by_freq=scale_grad_by_freq)
    off = OFF_LAST if include_last_offset and padding_idx is None else OFF  # (see test_offsets)
    check(_bag(IDX, off, **kw), randn(10, 4), randn(11, seed=2))
    idx2 = IDX[:10].reshape(2, 5)
    check(_bag(idx2, None, mode="sum", padding_idx=padding_idx, scale_grad_by_freq=scale_grad_by_freq),
          randn(10, 4), randn(2, 5, seed=3))


@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
@pytest.mark.parametrize("padding_idx", [None, 3, -2])
def test_fixed_bags_2d(mode, padding_idx):
    idx = np.array([[1, 3, 3, 8], [3, 3, 3, 3], [0, 9, 8, 2]], dtype=np.int64)  # bag 1: all padding (3)
    check(_bag(idx, None, mode=mode, padding_idx=padding_idx), randn(10, 5))


@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
def test_empty_and_int32(mode):
    w = randn(6, 3)
    check(_bag(np.zeros(0, np.int64), np.array([0, 0, 0]), mode=mode), w)  # every bag empty
    check(_bag(np.zeros(0, np.int64), np.zeros(0, np.int64), mode=mode), w)  # no bags
    check(_bag(np.zeros((0, 4), np.int64), None, mode=mode), w)
    # (not tested: include_last_offset with offsets [0] over a non-empty input -- torch 2.13 reads freed memory)
    check(_bag(np.array([0, 0], np.int64), np.array([0, 2]), mode=mode, include_last_offset=True), w)
    check(_bag(IDX[:6].astype(np.int32) % 6, np.array([0, 2, 2], np.int32), mode=mode), w)
    check(_bag(IDX[:6].astype(np.int32) % 6, np.array([0, 2, 2], np.int64), mode=mode), w)


def test_max_ties_and_repeats():
    # rows 1, 2, 5 tie in several columns; the first entry of a bag reaching the max takes the grad
    w = np.array([[0, 1, 2], [3, 3, 1], [3, 0, 1], [-1, -1, -1], [5, 5, 5], [3, 3, 0]], dtype=np.float32)
    idx = np.array([2, 1, 5, 1, 1, 3, 3, 5, 2, 1], dtype=np.int64)
    check(_bag(idx, np.array([0, 3, 5, 7]), mode="max"), w)
    check(_bag(idx.reshape(5, 2), None, mode="max"), w)


def test_dtypes():
    check(_bag(IDX, OFF, mode="mean"), randn(10, 4, dtype=np.float64))
    check(_bag(IDX, OFF, mode="sum"), randn(10, 4, dtype=np.float64), randn(11, dtype=np.float64))


@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
def test_gradcheck(mode):
    w = randn(10, 4, dtype=np.float64)
    idx, off = ember.from_numpy(IDX), ember.from_numpy(OFF)
    check_gradcheck(lambda w: ember.nn.functional.embedding_bag(idx, w, off, mode=mode, padding_idx=4), w)
    if mode == "sum":
        check_gradcheck(lambda w, p: ember.nn.functional.embedding_bag(idx, w, off, mode="sum",
                                                                       per_sample_weights=p), w, randn(11))


@pytest.mark.parametrize("norm_type", [2.0, 1.0, float("inf")])
@pytest.mark.parametrize("mode", ["sum", "max"])
def test_max_norm_renormalises_in_place(norm_type, mode):
    res = {}
    for L in (torch, ember):
        w = L.from_numpy(randn(10, 3) * 2).requires_grad_()
        v0 = w._version
        y = F(L).embedding_bag(_t(L, IDX), w, _t(L, OFF), max_norm=1.5, norm_type=norm_type, mode=mode)
        y.backward(L.from_numpy(randn(*y.shape, seed=5)))
        res[L] = (w.detach().numpy().copy(), y.detach().numpy().copy(), w.grad.numpy().copy(), w._version > v0)
    for a, b in zip(res[ember], res[torch]):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-6)


def test_double_backward_refused():
    for L in (torch, ember):
        w = L.from_numpy(randn(10, 4)).requires_grad_()
        y = F(L).embedding_bag(_t(L, IDX), w, _t(L, OFF), mode="max")
        g, = L.autograd.grad((y * y).sum(), w, create_graph=True)
        assert g.grad_fn.name() == "EmbeddingBagBackwardBackward0"
        with pytest.raises(NotImplementedError, match="_embedding_bag_backward"):
            g.sum().backward()
        g, = L.autograd.grad(F(L).embedding_bag(_t(L, IDX), w, _t(L, OFF)).sum(), w, create_graph=True)
        assert g.grad_fn is None  # the upstream grad of a sum needs no grad: nothing to refuse


def test_argument_order_warning():
    w = randn(10, 4)
    for L in (torch, ember):
        with pytest.warns(UserWarning, match="Argument order of nn.functional.embedding_bag was changed"):
            y = F(L).embedding_bag(_t(L, w), _t(L, IDX), _t(L, OFF))
        assert tuple(y.shape) == (4, 4)


W = randn(10, 3)


@pytest.mark.parametrize("fn", [
    _bag(IDX, np.array([1, 3])), _bag(IDX, np.array([0, 3, 12])), _bag(IDX, np.array([0, 5, 3])),
    _bag(IDX, np.zeros(0, np.int64), include_last_offset=True), _bag(IDX.astype(np.float32), OFF),
    _bag(np.array([1, 12]), np.array([0, 1])), _bag(np.array([1, -1]), np.array([0, 1])),
    _bag(IDX, OFF, padding_idx=10), _bag(IDX, OFF, padding_idx=-11), _bag(IDX, OFF, mode="foo"),
    _bag(IDX, OFF, mode="max", scale_grad_by_freq=True), _bag(IDX, OFF, mode="max", sparse=True),
    _bag(IDX.reshape(1, 11), OFF), _bag(IDX.reshape(1, 11, 1), None), _bag(IDX, None), _bag(IDX, OFF[None]),
    _bag(IDX.reshape(11, 1)[:, :0], None),
    lambda L, w: F(L).embedding_bag(_t(L, IDX), w, _t(L, OFF), mode="mean", per_sample_weights=L.ones(11)),
    lambda L, w: F(L).embedding_bag(_t(L, IDX), w, _t(L, OFF), mode="sum", per_sample_weights=L.ones(7)),
    lambda L, w: F(L).embedding_bag(_t(L, IDX), w, _t(L, OFF), mode="sum",
                                    per_sample_weights=L.ones(11, dtype=L.float64)),
    lambda L, w: F(L).embedding_bag(_t(L, IDX), w[0], _t(L, OFF)),
    lambda L, w: F(L).embedding_bag(_t(L, IDX), w.int(), _t(L, OFF)),
])
def test_errors(fn):
    msg = same_error(lambda L: fn(L, _t(L, W)), exact=False)
    with pytest.raises(Exception) as e:
        fn(ember, _t(ember, W))
    assert str(e.value).replace("<class 'ember.Tensor'>", "<class 'torch.Tensor'>") == msg


# ============================================================================ nn.EmbeddingBag

def _fwd(*extra):
    return lambda m, *xs: m(*xs, *extra)


@pytest.mark.parametrize("kw", [{}, {"mode": "sum"}, {"mode": "max"}, {"padding_idx": 2}, {"padding_idx": -1},
                                {"max_norm": 1.0, "norm_type": 1.0}, {"scale_grad_by_freq": True},
                                {"include_last_offset": True, "mode": "sum", "padding_idx": 0},
                                {"dtype": None, "mode": "mean", "scale_grad_by_freq": True, "padding_idx": 9}])
def test_module(kw):
    idx, off = IDX, OFF
    layer_check(lambda L: L.nn.EmbeddingBag(10, 4, **kw), idx, off)
    layer_check(lambda L: L.nn.EmbeddingBag(10, 4, **kw), idx.reshape(1, 11)[:, :10].reshape(2, 5))


def test_module_per_sample_weights_and_dtype():
    layer_check(lambda L: L.nn.EmbeddingBag(10, 4, mode="sum", padding_idx=4), IDX, OFF, randn(11, seed=4))
    layer_check(lambda L: L.nn.EmbeddingBag(10, 4, dtype=L.float64), IDX, OFF)


def test_module_init_padding_row_and_from_pretrained():
    ember.manual_seed(0)
    m = ember.nn.EmbeddingBag(6, 3, padding_idx=-2)
    assert m.padding_idx == 4 and not m.weight.detach().numpy()[4].any()
    assert repr(m) == "EmbeddingBag(6, 3, mode='mean', padding_idx=4)"
    for freeze in (True, False):
        res = {}
        for L in (torch, ember):
            m = L.nn.EmbeddingBag.from_pretrained(_t(L, W), freeze=freeze, mode="max", padding_idx=1,
                                                  include_last_offset=True)
            res[L] = (repr(m), m.weight.requires_grad, m(_t(L, IDX), _t(L, OFF)).detach().numpy(),
                      m.include_last_offset)
        assert res[ember][:2] == res[torch][:2] and res[ember][3] == res[torch][3]
        np.testing.assert_allclose(res[ember][2], res[torch][2])
    w = ember.from_numpy(W)
    m = ember.nn.EmbeddingBag(10, 3, _weight=w)
    np.testing.assert_array_equal(m.weight.detach().numpy(), W)


def test_module_errors():
    same_error(lambda L: L.nn.EmbeddingBag(5, 3, padding_idx=5))
    same_error(lambda L: L.nn.EmbeddingBag(5, 3, padding_idx=-6))
    same_error(lambda L: L.nn.EmbeddingBag(5, 3, _weight=L.zeros(4, 3)))
    same_error(lambda L: L.nn.EmbeddingBag.from_pretrained(L.zeros(4)))
    same_error(lambda L: L.nn.EmbeddingBag(5, 3, mode="max", scale_grad_by_freq=True)(L.tensor([[1, 2]])))


def test_sparse_gradients_not_supported():
    # torch builds a sparse grad here; ember has no sparse tensors and says so
    m = ember.nn.EmbeddingBag(10, 3, mode="sum", sparse=True)
    assert repr(m) == "EmbeddingBag(10, 3, mode='sum')"
    with pytest.raises(NotImplementedError, match="sparse"):
        m(ember.from_numpy(IDX), ember.from_numpy(OFF))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ember.nn.EmbeddingBag(10, 3, mode="sum", sparse=False)(ember.from_numpy(IDX), ember.from_numpy(OFF))
