"""Dropout modules and Embedding (module and ``F.embedding``) against torch: reprs, same masks under the same seed,
train/eval, init draws, padding_idx, max_norm, scale_grad_by_freq, from_pretrained, second derivatives, errors."""
import warnings

import numpy as np
import pytest
import torch

import ember
from conftest import check, randn, same_error


def F(lib):
    return lib.nn.functional


DROPOUTS = {
    "Dropout": ((), (4, 6)), "Dropout_p": ((0.2,), (4, 6)), "Dropout_inplace": ((0.3, True), (4, 6)),
    "Dropout1d": ((0.4,), (2, 3, 5)), "Dropout2d": ((0.5,), (2, 3, 4, 4)), "Dropout3d": ((0.1,), (2, 3, 2, 2, 2)),
    "AlphaDropout": ((0.2,), (4, 6)), "FeatureAlphaDropout": ((0.3,), (2, 3, 4, 4)),
}


@pytest.mark.parametrize("name", sorted(DROPOUTS))
def test_dropout_modules(name):
    args, shape = DROPOUTS[name]
    cls = name.split("_")[0]
    res = {}
    for L in (torch, ember):
        m = getattr(L.nn, cls)(*args)
        L.manual_seed(3)
        x = L.from_numpy(randn(*shape)).requires_grad_()
        y = m(x * 1)
        y.backward(L.ones_like(y))
        m.eval()
        z = m(x.detach())
        res[L] = (repr(m), y.detach().numpy().copy(), x.grad.numpy().copy(), z.numpy().copy(), y.grad_fn.name())
    te, tt = res[ember], res[torch]
    assert te[0] == tt[0] and te[4] == tt[4]
    for a, b in zip(te[1:4], tt[1:4]):
        np.testing.assert_array_equal(a, b)


def test_dropout_module_errors():
    same_error(lambda L: L.nn.Dropout(1.5))
    same_error(lambda L: L.nn.Dropout2d(-0.5))


# ============================================================================ F.embedding

IDX = np.array([[1, 2, 4, 5], [4, 3, 2, 9]], dtype=np.int64)


def _e(L, a):
    return L.from_numpy(a.copy())


@pytest.mark.parametrize("kw", [{}, {"padding_idx": 2}, {"padding_idx": -1}, {"scale_grad_by_freq": True},
                                {"padding_idx": 4, "scale_grad_by_freq": True}])
@pytest.mark.parametrize("idx", [IDX, IDX[0], np.array(3), IDX.astype(np.int32), np.zeros((0, 2), np.int64)])
def test_embedding(kw, idx):
    check(lambda L, w: F(L).embedding(_e(L, idx), w, **kw), randn(10, 3))


def test_embedding_torch_spelling():
    check(lambda L, w: L.embedding(w, _e(L, IDX), 2, True), randn(10, 3))
    check(lambda L, w: L.embedding(w, _e(L, IDX)), randn(10, 3, dtype=np.float64))


@pytest.mark.parametrize("norm_type", [2.0, 1.0, 3.0, float("inf")])
def test_embedding_max_norm_renormalises_in_place(norm_type):
    res = {}
    for L in (torch, ember):
        w = L.from_numpy(randn(10, 3) * 2).requires_grad_()
        v0 = w._version
        y = F(L).embedding(_e(L, IDX), w, max_norm=1.5, norm_type=norm_type)
        y.backward(L.ones_like(y))
        res[L] = (w.detach().numpy().copy(), y.detach().numpy().copy(), w.grad.numpy().copy(), w._version > v0)
    for a, b in zip(res[ember][:3], res[torch][:3]):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
    assert res[ember][3] and res[torch][3]


def test_embedding_double_backward():
    res = []
    for L in (torch, ember):
        w = L.from_numpy(randn(10, 3, dtype=np.float64)).requires_grad_()
        y = F(L).embedding(_e(L, IDX), w, padding_idx=2)
        g = L.from_numpy(randn(*y.shape, dtype=np.float64, seed=1)).requires_grad_()
        (gw,) = L.autograd.grad(y, w, g, create_graph=True)
        (gg,) = L.autograd.grad((gw ** 2).sum(), g)
        res.append((gw.detach().numpy(), gg.numpy(), gw.grad_fn.name()))
    np.testing.assert_allclose(res[1][0], res[0][0])
    np.testing.assert_allclose(res[1][1], res[0][1])
    assert res[1][2] == res[0][2]


def test_embedding_errors():
    same_error(lambda L: F(L).embedding(L.tensor([10]), L.randn(10, 3)))
    same_error(lambda L: F(L).embedding(L.tensor([-1]), L.randn(10, 3)))
    same_error(lambda L: F(L).embedding(L.tensor([1.0]), L.randn(10, 3)))
    same_error(lambda L: F(L).embedding(L.tensor([1]), L.randn(10)))
    same_error(lambda L: F(L).embedding(L.tensor([1]), L.randn(10, 3), padding_idx=10))
    same_error(lambda L: F(L).embedding(L.tensor([1]), L.randn(10, 3), padding_idx=-11))


# ============================================================================ nn.Embedding

@pytest.mark.parametrize("kw", [{}, {"padding_idx": 0}, {"padding_idx": -2, "max_norm": 1.0},
                                {"norm_type": 1.0, "scale_grad_by_freq": True}, {"sparse": False}])
def test_embedding_module(kw):
    res = {}
    for L in (torch, ember):
        L.manual_seed(0)
        m = L.nn.Embedding(10, 4, **kw)
        w0 = m.weight.detach().numpy().copy()
        y = m(_e(L, IDX))
        y.backward(L.from_numpy(randn(*y.shape, seed=1)))
        res[L] = (repr(m), w0, y.detach().numpy().copy(), m.weight.grad.numpy().copy(), list(m.state_dict()),
                  m.padding_idx, y.grad_fn.name())
    e, t = res[ember], res[torch]
    assert e[0] == t[0] and e[4] == t[4] and e[5] == t[5] and e[6] == t[6]
    np.testing.assert_array_equal(e[1], t[1])  # init draws bit-identical
    np.testing.assert_allclose(e[2], t[2], rtol=1e-6)
    np.testing.assert_allclose(e[3], t[3], rtol=1e-6, atol=1e-7)


def test_embedding_from_pretrained():
    w = randn(5, 3)
    for freeze in (True, False):
        res = {}
        for L in (torch, ember):
            m = L.nn.Embedding.from_pretrained(_e(L, w), freeze=freeze, padding_idx=1)
            res[L] = (repr(m), m.weight.requires_grad, m(L.tensor([1, 4])).detach().numpy())
        assert res[ember][:2] == res[torch][:2]
        np.testing.assert_array_equal(res[ember][2], res[torch][2])
    same_error(lambda L: L.nn.Embedding.from_pretrained(L.randn(3)))
    same_error(lambda L: L.nn.Embedding(3, 2, _weight=L.randn(3, 3)))
    same_error(lambda L: L.nn.Embedding(3, 2, padding_idx=3))


def test_embedding_padding_row_stays_zero_in_training():
    m = ember.nn.Embedding(6, 2, padding_idx=3)
    y = m(ember.tensor([3, 3, 1]))
    y.sum().backward()
    assert m.weight.grad[3].tolist() == [0, 0] and m.weight[3].tolist() == [0, 0]


def test_embedding_module_dtype():
    with warnings.catch_warnings():
        for L in (torch, ember):
            assert str(L.nn.Embedding(3, 2, dtype=L.float64).weight.dtype).endswith("float64")
