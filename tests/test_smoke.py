"""Quick end-to-end checks of the core against torch."""
import numpy as np

from conftest import check, check_raises, randn


def test_arith_broadcast_grad():
    check(lambda t, x, y: (x * y + x / (y.abs() + 1)).sum(), randn(3, 4), randn(4, seed=1))


def test_matmul_chain():
    check(lambda t, x, w: t.relu(x @ w).mean(), randn(5, 3), randn(3, 2, seed=1))


def test_mm_3d_raises():
    check_raises(lambda t, a, b: a.mm(b), randn(5, 2, 3), randn(3))
