"""The dropout family against torch: under the same seed the masks, outputs, grads, grad_fn names and the generator's
state afterwards are bit-identical; in-place forms, ``training=False``, warnings and errors."""
import warnings

import numpy as np
import pytest
import torch

import ember
from conftest import randn, same_error


def F(lib):
    return lib.nn.functional


def same_draws(fn, x, seed=7):
    """``fn(lib, y)`` on a non-leaf copy of ``x`` under ``manual_seed(seed)``: output, grad of x, grad_fn name and the
    next random number must be identical in both libraries."""
    res = []
    for L in (torch, ember):
        L.manual_seed(seed)
        t = L.tensor(x, requires_grad=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            o = fn(L, t * 1)
        g = L.tensor(np.random.default_rng(1).standard_normal(tuple(o.shape)).astype(x.dtype))
        o.backward(g)
        res.append((o.detach().numpy().copy(), t.grad.numpy().copy(), o.grad_fn.name() if o.grad_fn else None,
                    float(L.rand(()))))
    (a, ga, na, ra), (b, gb, nb, rb) = res
    assert na == nb, (na, nb)
    assert a.dtype == b.dtype
    np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(ga, gb, rtol=1e-6, atol=1e-6)  # several uses of y: the engine may sum in another order
    assert ra == rb, "the generator advanced differently"


X4 = randn(4, 3, 5, 6)
PS = [0.0, 0.2, 0.5, 0.9, 1.0]

CASES = {
    "dropout": lambda p: lambda L, y: F(L).dropout(y, p),
    "dropout_inplace": lambda p: lambda L, y: F(L).dropout(y, p, inplace=True),
    "dropout_kw": lambda p: lambda L, y: F(L).dropout(y, p=p, training=True),
    "dropout1d": lambda p: lambda L, y: F(L).dropout1d(y[0], p),
    "dropout1d_unbatched_inplace": lambda p: lambda L, y: F(L).dropout1d(y[0, 0], p, inplace=True),
    "dropout2d": lambda p: lambda L, y: F(L).dropout2d(y, p),
    "dropout2d_inplace": lambda p: lambda L, y: F(L).dropout2d(y, p, inplace=True),
    "dropout2d_3d_input": lambda p: lambda L, y: F(L).dropout2d(y[0], p),
    "dropout3d": lambda p: lambda L, y: F(L).dropout3d(y.unsqueeze(0), p),
    "dropout3d_unbatched": lambda p: lambda L, y: F(L).dropout3d(y, p),
    "alpha_dropout": lambda p: lambda L, y: F(L).alpha_dropout(y, p, True),
    "alpha_dropout_inplace": lambda p: lambda L, y: F(L).alpha_dropout(y, p, True, inplace=True),
    "feature_alpha_dropout": lambda p: lambda L, y: F(L).feature_alpha_dropout(y, p, True),
    "feature_alpha_dropout_inplace": lambda p: lambda L, y: F(L).feature_alpha_dropout(y, p, True, True),
    "torch_dropout": lambda p: lambda L, y: L.dropout(y, p, True),
    "torch_dropout_": lambda p: lambda L, y: L.dropout_(y, p, True),
    "torch_feature_dropout": lambda p: lambda L, y: L.feature_dropout(y, p, True),
    "torch_alpha_dropout": lambda p: lambda L, y: L.alpha_dropout(y, p, True),
    "torch_feature_alpha_dropout_": lambda p: lambda L, y: L.feature_alpha_dropout_(y, p, True),
}


@pytest.mark.parametrize("p", PS)
@pytest.mark.parametrize("name", sorted(CASES))
def test_masks_match_torch(name, p):
    same_draws(CASES[name](p), X4)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_dropout_dtypes_and_shapes(dtype):
    for shape in [(7,), (100,), (3, 1000), (2, 3, 4, 5, 6)]:
        same_draws(lambda L, y: F(L).dropout(y, 0.3), randn(*shape, dtype=dtype))


def test_consecutive_calls_match():
    def fn(L, y):
        return L.stack([F(L).dropout(y, 0.4), F(L).dropout(y, 0.4), F(L).dropout2d(y, 0.3), F(L).alpha_dropout(y, 0.2, True)])
    same_draws(fn, X4)


@pytest.mark.parametrize("fname", ["dropout", "alpha_dropout", "feature_alpha_dropout", "dropout2d"])
def test_eval_returns_input(fname):
    x = ember.randn(2, 3, 4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert getattr(F(ember), fname)(x, 0.5, training=False) is x
    assert F(ember).dropout(x, 0.0) is x
    assert F(ember).dropout(ember.empty(0, 3), 0.5) is not None
    assert F(ember).alpha_dropout(x, 0.5) is x  # alpha dropout's training defaults to False


def test_dropout_inplace_returns_input_and_bumps_version():
    x = ember.randn(3, 4)
    v = x._version
    assert F(ember).dropout(x, 0.5, inplace=True) is x
    assert x._version > v


def test_dropout2d_warnings():
    for L in (torch, ember):
        with pytest.warns(UserWarning, match="Received a 3D input to dropout2d"):
            F(L).dropout2d(L.randn(2, 3, 4), 0.5)
        with pytest.warns(UserWarning, match="Received a 2-D input to dropout2d"):
            F(L).dropout2d(L.randn(2, 3), 0.5)
        with pytest.warns(UserWarning, match="Received a 3-D input to dropout3d"):
            F(L).dropout3d(L.randn(2, 3, 4), 0.5)


def test_dropout_errors():
    same_error(lambda L: F(L).dropout(L.randn(3), 1.5))
    same_error(lambda L: F(L).dropout(L.randn(3), -0.1, training=False))
    same_error(lambda L: F(L).alpha_dropout(L.randn(3), 2.0))
    same_error(lambda L: F(L).feature_alpha_dropout(L.randn(3), -1.0))
    same_error(lambda L: F(L).dropout1d(L.randn(2, 3, 4, 5), 0.5))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        same_error(lambda L: F(L).dropout2d(L.randn(3), 0.5))
    same_error(lambda L: L.dropout(L.randn(3), 1.5, True))
    same_error(lambda L: F(L).dropout(L.ones(3, dtype=L.int32), 0.5))
    same_error(lambda L: F(L).dropout(L.randn(3, requires_grad=True), 0.5, inplace=True))
