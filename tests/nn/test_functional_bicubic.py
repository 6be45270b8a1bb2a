"""F.interpolate(mode='bicubic') and nn.Upsample(mode='bicubic') against torch."""
import numpy as np
import pytest
import torch

import ember
from conftest import check, check_gradcheck, randn, same_error


def _F(lib):
    return torch.nn.functional if lib is torch else ember.nn.functional


@pytest.mark.parametrize("align_corners", [False, True, None])
@pytest.mark.parametrize("xs,kw", [
    ((2, 3, 5, 6), dict(size=(9, 4))),
    ((1, 2, 4, 4), dict(size=7)),
    ((1, 2, 4, 4), dict(scale_factor=2.5)),
    ((1, 2, 7, 5), dict(scale_factor=(0.6, 1.7))),
    ((1, 2, 7, 5), dict(scale_factor=(0.6, 1.7), recompute_scale_factor=True)),
    ((1, 1, 5, 5), dict(scale_factor=1.1)),  # same size, but the scale still moves the taps
    ((1, 1, 1, 6), dict(size=(3, 1))),
    ((2, 1, 3, 8), dict(size=(2, 2))),
    ((1, 2, 2, 3), dict(scale_factor=3)),
])
def test_bicubic(xs, kw, align_corners):
    check(lambda lib, x: _F(lib).interpolate(x, mode="bicubic", align_corners=align_corners, **kw), randn(*xs))


def test_bicubic_float64_and_empty_batch():
    check(lambda lib, x: _F(lib).interpolate(x, size=(5, 3), mode="bicubic"), randn(1, 2, 3, 4, dtype=np.float64))
    check(lambda lib, x: _F(lib).interpolate(x, size=(5, 3), mode="bicubic"), randn(0, 2, 3, 4), grad=False)


def test_bicubic_gradcheck():
    F = ember.nn.functional
    check_gradcheck(lambda x: F.interpolate(x, size=(5, 3), mode="bicubic"), randn(1, 2, 3, 4))
    check_gradcheck(lambda x: F.interpolate(x, scale_factor=1.7, mode="bicubic", align_corners=True), randn(1, 1, 3, 4))
    # second order: the backward is itself differentiable
    x = ember.from_numpy(randn(1, 1, 3, 4, dtype=np.float64)).requires_grad_()
    g = ember.from_numpy(randn(1, 1, 6, 5, dtype=np.float64, seed=1)).requires_grad_()
    assert ember.autograd.gradgradcheck(lambda a: F.interpolate(a, size=(6, 5), mode="bicubic"), (x,), (g,))


@pytest.mark.parametrize("align_corners", [False, True])
def test_linear_modes_same_size_axis_is_identity(align_corners):
    # torch copies an axis whose size does not change, even when a scale_factor != 1 was given
    check(lambda lib, x: _F(lib).interpolate(x, scale_factor=(1.1, 2.0), mode="bilinear",
                                             align_corners=align_corners), randn(1, 2, 5, 6))
    check(lambda lib, x: _F(lib).interpolate(x, scale_factor=1.1, mode="linear", align_corners=align_corners),
          randn(1, 2, 5))


@pytest.mark.parametrize("align_corners", [False, True])
def test_upsample_module_bicubic(align_corners):
    def fn(lib, x):
        return lib.nn.Upsample(scale_factor=2, mode="bicubic", align_corners=align_corners)(x)
    check(fn, randn(2, 3, 3, 4))
    m = ember.nn.Upsample(size=(4, 5), mode="bicubic")
    assert repr(m) == repr(torch.nn.Upsample(size=(4, 5), mode="bicubic"))


@pytest.mark.parametrize("xs,kw", [
    ((1, 1, 4), dict(size=3)),  # bicubic needs 4-D input
    ((1, 1, 4, 4, 4), dict(size=3)),
    ((1, 1, 4, 4), dict(size=0)),
    ((1, 1, 4, 4), dict(scale_factor=0.1)),
    ((1, 1, 0, 4), dict(size=3)),
    ((1, 1, 4, 4), dict(size=(3, 3, 3))),
    ((1, 1, 4, 4), dict(size=3, scale_factor=2)),
    ((1, 1, 4, 4), dict(size=3, recompute_scale_factor=True)),
])
def test_bicubic_errors(xs, kw):
    x = randn(*xs)
    same_error(lambda lib: _F(lib).interpolate(lib.from_numpy(x), mode="bicubic", **kw))


def test_bicubic_integer_input_error():
    x = np.ones((1, 1, 4, 4), np.int64)
    same_error(lambda lib: _F(lib).interpolate(lib.from_numpy(x), size=3, mode="bicubic"))


def test_size_errors_other_modes():
    for xs, mode in [((1, 1, 4), "linear"), ((1, 1, 4, 4, 4), "trilinear"), ((1, 1, 4, 4), "nearest")]:
        x = randn(*xs)
        same_error(lambda lib: _F(lib).interpolate(lib.from_numpy(x), size=0, mode=mode))


def test_antialias():
    x = randn(1, 1, 8, 8)
    # torch's own restriction: only bilinear / bicubic on 4-D input
    same_error(lambda lib: _F(lib).interpolate(lib.from_numpy(x), size=3, mode="nearest", antialias=True))
    same_error(lambda lib: _F(lib).interpolate(lib.from_numpy(x[0]), size=3, mode="bilinear", antialias=True))
    for mode in ("bilinear", "bicubic"):  # ember does not implement the anti-aliasing filters
        with pytest.raises(NotImplementedError, match="antialias"):
            ember.nn.functional.interpolate(ember.from_numpy(x), size=3, mode=mode, antialias=True)
