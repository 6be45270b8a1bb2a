"""F.affine_grid and F.grid_sample against torch."""
import warnings

import numpy as np
import pytest
import torch

import ember
from conftest import check, check_gradcheck, randn, same_error


def _F(lib):
    return torch.nn.functional if lib is torch else ember.nn.functional


def _grid(shape, lim=1.6, seed=1, dtype=np.float32):
    """Sampling points, many of them outside [-1, 1] (padding modes matter there)."""
    return np.random.default_rng(seed).uniform(-lim, lim, shape).astype(dtype)


# ============================================================================ affine_grid

@pytest.mark.parametrize("align_corners", [False, True])
@pytest.mark.parametrize("size", [(2, 3, 4, 5), (2, 1, 1, 6), (1, 2, 3, 4, 5), (2, 1, 2, 1, 3)])
def test_affine_grid(size, align_corners):
    nd = len(size) - 2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # unit-size grids with align_corners warn in both libraries
        check(lambda lib, t: _F(lib).affine_grid(t, size, align_corners=align_corners),
              randn(size[0], nd, nd + 1))


def test_affine_grid_float64_gradcheck_and_size_types():
    check(lambda lib, t: _F(lib).affine_grid(t, [2, 3, 4, 5], align_corners=False), randn(2, 2, 3, dtype=np.float64))
    check(lambda lib, t: _F(lib).affine_grid(t, lib.Size([2, 3, 4, 5]), align_corners=True), randn(2, 2, 3))
    F = ember.nn.functional
    check_gradcheck(lambda t: F.affine_grid(t, (2, 1, 3, 4), align_corners=False), randn(2, 2, 3))
    check_gradcheck(lambda t: F.affine_grid(t, (1, 1, 2, 3, 2), align_corners=True), randn(1, 3, 4))


def test_affine_grid_warnings():
    t = ember.from_numpy(randn(1, 2, 3))
    with pytest.warns(UserWarning, match="Default grid_sample and affine_grid behavior has changed"):
        out = ember.nn.functional.affine_grid(t, (1, 1, 3, 4))
    # the default is align_corners=False
    assert np.array_equal(out.numpy(), ember.nn.functional.affine_grid(t, (1, 1, 3, 4), False).numpy())
    with pytest.warns(UserWarning, match="unit-size grids when align_corners=True"):
        ember.nn.functional.affine_grid(t, (1, 1, 1, 4), True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ember.nn.functional.affine_grid(t, (1, 1, 3, 4), False)


@pytest.mark.parametrize("theta,size,ac", [
    (randn(2, 3, 3), (2, 3, 4, 5), False),
    (randn(2, 2, 3), (2, 3, 4, 5, 6), False),
    (randn(2, 3, 4)[0], (2, 3, 4, 5, 6), False),
    (randn(2, 2, 3), (2, 3, 5), False),
    (randn(2, 2, 3), (2, 3, 0, 5), False),
    (randn(2, 2, 3), (0, 3, 4, 5), True),
    (randn(2, 2, 3), (3, 3, 4, 5), False),
    (randn(2, 2, 3), (2, 3, 4, 5.0), False),
    (np.ones((2, 2, 3), np.int64), (2, 3, 4, 5), False),
])
def test_affine_grid_errors(theta, size, ac):
    same_error(lambda lib: _F(lib).affine_grid(lib.from_numpy(theta), size, align_corners=ac))


# ============================================================================ grid_sample

_PADS = ["zeros", "border", "reflection"]


@pytest.mark.parametrize("align_corners", [False, True])
@pytest.mark.parametrize("padding_mode", _PADS)
@pytest.mark.parametrize("mode", ["bilinear", "nearest", "bicubic"])
def test_grid_sample_2d(mode, padding_mode, align_corners):
    def fn(lib, x, g):
        return _F(lib).grid_sample(x, g, mode=mode, padding_mode=padding_mode, align_corners=align_corners)
    check(fn, randn(2, 3, 5, 6), _grid((2, 4, 7, 2)))
    check(fn, randn(1, 2, 1, 4, seed=2), _grid((1, 3, 2, 2), seed=3))  # a unit-size axis


@pytest.mark.parametrize("align_corners", [False, True])
@pytest.mark.parametrize("padding_mode", _PADS)
@pytest.mark.parametrize("mode", ["bilinear", "nearest"])
def test_grid_sample_3d(mode, padding_mode, align_corners):
    def fn(lib, x, g):
        return _F(lib).grid_sample(x, g, mode=mode, padding_mode=padding_mode, align_corners=align_corners)
    check(fn, randn(2, 2, 4, 5, 3), _grid((2, 3, 2, 4, 3)))


def test_grid_sample_far_outside_and_exact_points():
    def fn(lib, x, g):
        return _F(lib).grid_sample(x, g, padding_mode="reflection", align_corners=False)
    # several reflections deep
    check(fn, randn(1, 2, 4, 5), _grid((1, 6, 5, 2), lim=7.0))
    # points on pixel centres and on the corners
    g = np.array([[[[-1, -1], [1, 1], [0, 0], [-1, 1]]]], np.float32)
    for ac in (False, True):
        for pm in _PADS:
            check(lambda lib, x, g: _F(lib).grid_sample(x, g, padding_mode=pm, align_corners=ac), randn(1, 1, 3, 3), g)


def test_grid_sample_affine_pipeline_and_float64():
    # a spatial transformer: grads flow to theta through the grid
    def fn(lib, x, t):
        F = _F(lib)
        return F.grid_sample(x, F.affine_grid(t, (2, 3, 4, 6), align_corners=False), align_corners=False)
    theta = np.array([[[0.9, -0.3, 0.1], [0.2, 1.1, -0.2]], [[1.3, 0.1, 0.4], [-0.1, 0.8, 0.3]]], np.float32)
    check(fn, randn(2, 3, 5, 5), theta)
    check(lambda lib, x, g: _F(lib).grid_sample(x, g, mode="bicubic", align_corners=False),
          randn(1, 2, 4, 5, dtype=np.float64), _grid((1, 3, 3, 2), dtype=np.float64))


def test_grid_sample_empty():
    check(lambda lib, x, g: _F(lib).grid_sample(x, g, align_corners=False), randn(0, 3, 4, 5), _grid((0, 2, 2, 2)))
    check(lambda lib, x, g: _F(lib).grid_sample(x, g, align_corners=False), randn(2, 3, 4, 5), _grid((2, 0, 2, 2)))


@pytest.mark.parametrize("mode,padding_mode,ac", [
    ("bilinear", "zeros", False), ("bilinear", "border", True), ("bilinear", "reflection", False),
    ("bicubic", "zeros", True), ("bicubic", "reflection", False), ("nearest", "border", False),
])
def test_grid_sample_gradcheck(mode, padding_mode, ac):
    F = ember.nn.functional
    # points kept away from the kinks (pixel boundaries, clip/reflection edges) where the grad jumps
    g = np.array([[[[-0.71, 0.33], [0.43, -0.2], [0.9, 0.81]], [[-0.1, -0.6], [1.3, 0.55], [-1.6, 0.1]]]])
    check_gradcheck(lambda x, g: F.grid_sample(x, g, mode=mode, padding_mode=padding_mode, align_corners=ac),
                    randn(1, 2, 3, 4), g)
    if mode != "bicubic":
        g3 = np.array([[[[[-0.71, 0.33, 0.12], [0.43, -0.2, 0.61]], [[-0.1, -0.6, 1.3], [1.3, 0.55, -0.45]]]]])
        check_gradcheck(lambda x, g: F.grid_sample(x, g, mode=mode, padding_mode=padding_mode, align_corners=ac),
                        randn(1, 2, 3, 4, 2), g3)


def test_grid_sample_default_warns():
    x, g = ember.from_numpy(randn(1, 1, 3, 3)), ember.from_numpy(_grid((1, 2, 2, 2)))
    with pytest.warns(UserWarning, match="Default grid_sample and affine_grid behavior has changed"):
        out = ember.nn.functional.grid_sample(x, g)
    assert np.array_equal(out.numpy(), ember.nn.functional.grid_sample(x, g, align_corners=False).numpy())


@pytest.mark.parametrize("xs,gs,kw", [
    ((2, 3, 4, 5), (2, 3, 3, 2), dict(mode="foo")),
    ((2, 3, 4, 5), (2, 3, 3, 2), dict(padding_mode="foo")),
    ((2, 3, 4, 5), (1, 3, 3, 2), {}),
    ((2, 3, 4, 5), (2, 3, 3, 1), {}),
    ((2, 3, 4, 5), (2, 3, 3, 3), {}),
    ((2, 3, 4, 5), (2, 3, 3, 3, 3), {}),
    ((3, 4, 5), (3, 3, 1), {}),
    ((2, 3, 4, 5, 6), (2, 3, 3, 3, 3), dict(mode="bicubic")),
    ((2, 3, 0, 5), (2, 3, 3, 2), {}),
    ((2, 3, 4, 5, 6, 7), (2, 3, 3, 3, 3, 4), {}),
])
def test_grid_sample_errors(xs, gs, kw):
    x, g = randn(*xs), _grid(gs)
    same_error(lambda lib: _F(lib).grid_sample(lib.from_numpy(x), lib.from_numpy(g), align_corners=False, **kw))


def test_grid_sample_dtype_errors():
    x, g = randn(1, 1, 3, 3), _grid((1, 2, 2, 2))
    same_error(lambda lib: _F(lib).grid_sample(lib.from_numpy(x), lib.from_numpy(g.astype(np.float64)),
                                               align_corners=False))
    xi, gi = np.ones((1, 1, 3, 3), np.int64), np.zeros((1, 2, 2, 2), np.int64)
    same_error(lambda lib: _F(lib).grid_sample(lib.from_numpy(xi), lib.from_numpy(gi), align_corners=False))
    xi, gi = np.ones((1, 1, 3, 3, 3), np.int64), np.zeros((1, 2, 2, 2, 3), np.int64)
    same_error(lambda lib: _F(lib).grid_sample(lib.from_numpy(xi), lib.from_numpy(gi), align_corners=False))


@pytest.mark.parametrize("xs,gs", [((1, 2, 3, 4), (1, 2, 2, 2)), ((1, 2, 3, 4, 2), (1, 2, 2, 1, 3))])
def test_grid_sample_create_graph(xs, gs):
    # first-order grads under create_graph agree with torch; ember has no double backward for grid_sample
    def fn(lib, x, g):
        x, g = x.requires_grad_(), g.requires_grad_()
        out = _F(lib).grid_sample(x, g, align_corners=True)
        return lib.autograd.grad((out * out).sum(), (x, g), create_graph=True)
    gx, gg = check(fn, randn(*xs), _grid(gs), grad=False, check_grad_fn=False)
    assert gg.grad_fn.name() == f"GridSampler{len(xs) - 2}DBackwardBackward0"
    with pytest.raises(NotImplementedError, match="double backward"):
        gg.sum().backward()
