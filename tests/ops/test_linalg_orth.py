"""matrix_exp, householder_product (orgqr) and geqrf against torch: values, grads, grad_fn names, errors."""
import numpy as np
import pytest
import torch

import ember
from conftest import check, check_gradcheck, check_raises, randn


@pytest.mark.parametrize("shape, scale", [((3, 3), 1.0), ((2, 4, 4), 0.1), ((5, 5), 4.0), ((1, 1), 1.0),
                                          ((0, 0), 1.0), ((2, 0, 0), 1.0)])
def test_matrix_exp(shape, scale):
    a = (randn(*shape) * scale).astype(np.float32)
    # exp grows like e^||A||: torch's own float32 rounding is relative to the largest entries
    check(lambda lib, a: lib.linalg.matrix_exp(a), a, atol=1e-5 * max(1.0, scale) ** 4, rtol=1e-4)
    check(lambda lib, a: lib.matrix_exp(a.double()), a)


def test_matrix_exp_skew_is_orthogonal_and_gradcheck():
    a = randn(4, 4, dtype=np.float64)
    q = ember.linalg.matrix_exp(ember.from_numpy(a - a.T)).numpy()
    np.testing.assert_allclose(q @ q.T, np.eye(4), atol=1e-12)
    check_gradcheck(ember.linalg.matrix_exp, randn(2, 3, 3, dtype=np.float64))
    x = ember.from_numpy(randn(3, 3, dtype=np.float64)).requires_grad_()
    assert ember.autograd.gradgradcheck(ember.linalg.matrix_exp, (x,))


def test_matrix_exp_errors():
    for a in (randn(3, 4), randn(3), np.ones((2, 2), dtype=np.int64)):
        check_raises(lambda lib, a: lib.linalg.matrix_exp(a), a, match_message=True)


@pytest.mark.parametrize("ashape, k", [((5, 3), 3), ((5, 3), 2), ((4, 4), 4), ((2, 6, 3), 1), ((4, 3), 0)])
def test_householder_product(ashape, k):
    a = randn(*ashape)
    tau = randn(*ashape[:-2], k, seed=1)
    check(lambda lib, a, t: lib.linalg.householder_product(a, t), a, tau, atol=1e-5, rtol=1e-4)
    check(lambda lib, a, t: lib.orgqr(a, t), a, tau, atol=1e-5, rtol=1e-4)
    if k:
        check_gradcheck(ember.linalg.householder_product, a.astype(np.float64), tau.astype(np.float64))


def test_householder_product_double_backward():
    a = ember.from_numpy(randn(4, 3, dtype=np.float64)).requires_grad_()
    t = ember.from_numpy(randn(2, dtype=np.float64, seed=1)).requires_grad_()
    assert ember.autograd.gradgradcheck(ember.linalg.householder_product, (a, t))


@pytest.mark.parametrize("a, t", [(randn(3), randn(1)), (randn(3, 4), randn(1)), (randn(4, 3), randn(4)),
                                  (randn(4, 3), randn(2, 2)), (randn(2, 4, 3), randn(3, 2)),
                                  (randn(4, 3), randn(2, dtype=np.float64))])
def test_householder_product_errors(a, t):
    check_raises(lambda lib, a, t: lib.linalg.householder_product(a, t), a, t, match_message=True)


@pytest.mark.parametrize("shape", [(5, 3), (3, 5), (2, 4, 4), (0, 3)])
def test_geqrf_matches_and_reconstructs(shape):
    a = randn(*shape)
    check(lambda lib, a: lib.geqrf(a), a, grad=False, atol=1e-5, rtol=1e-4)
    if 0 in shape:
        return
    h, tau = ember.geqrf(ember.from_numpy(a.astype(np.float64)))
    m, n = shape[-2:]
    # Q R == A, with Q from the reflectors (padded to square) and R the upper triangle
    hq = np.concatenate([h.numpy(), np.zeros(shape[:-1] + (max(m - n, 0),))], -1)[..., :m]
    q = ember.linalg.householder_product(ember.from_numpy(hq), tau).numpy()
    np.testing.assert_allclose(q @ np.triu(h.numpy())[..., :m, :], a, atol=1e-10)


def test_geqrf_errors():
    check_raises(lambda lib, a: lib.geqrf(a), randn(3), match_message=True)
    assert type(ember.geqrf(ember.zeros(2, 2))).__name__ == type(torch.geqrf(torch.zeros(2, 2))).__name__


def test_tensor_methods():
    from conftest import same
    same(lambda lib: lib.tensor([[0.0, 1.0], [-1.0, 0.5]], dtype=lib.float64).matrix_exp())
    same(lambda lib: lib.tensor([[2.0, 1.0], [1.0, 3.0], [0.5, 0.25]], dtype=lib.float64).geqrf()[0].abs())
