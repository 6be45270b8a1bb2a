"""F.pad, F.pixel_shuffle / pixel_unshuffle and F.interpolate against torch."""
import numpy as np
import pytest
import torch

import ember
from conftest import check, check_gradcheck, randn, same_error


def _F(lib):
    return torch.nn.functional if lib is torch else ember.nn.functional


@pytest.mark.parametrize("xs,pad,kw", [
    ((2, 3, 4, 5), (1, 2), {}),
    ((2, 3, 4, 5), (1, 2, 0, 3), dict(value=1.5)),
    ((2, 3, 4, 5), (-1, 2, -3, -1), {}),
    ((2, 3, 4, 5), (1, 1, 1, 1, 1, 1, 1, 1), {}),
    ((2, 3, 4, 5), (4, 4, 1, 3), dict(mode="reflect")),
    ((3, 4, 5), (2, 3), dict(mode="reflect")),
    ((4, 5), (2, 3), dict(mode="reflect")),
    ((2, 3, 4, 5), (-1, 1, 1, 1), dict(mode="reflect")),
    ((2, 3, 4, 5), (6, 7, 2, 1), dict(mode="replicate")),
    ((2, 3, 4), (3, 1), dict(mode="replicate")),
    ((2, 3, 4, 5), (5, 5, 1, 1), dict(mode="circular")),
    ((2, 3, 4, 5), (-1, 1, 2, 1), dict(mode="circular")),
    ((1, 2, 3, 4, 5), (1, 1, 2, 2, 1, 0), dict(mode="reflect")),
    ((1, 2, 3, 4, 5), (1, 1, 2, 2, 1, 0), dict(mode="replicate")),
])
def test_pad(xs, pad, kw):
    check(lambda lib, x: _F(lib).pad(x, pad, **kw), randn(*xs))


def test_pad_int_and_gradcheck():
    xi = np.arange(24).reshape(2, 3, 4)
    check(lambda lib, x: _F(lib).pad(x, (1, 1), value=1.5), xi, grad=False)
    check(lambda lib, x: _F(lib).pad(x, (1, 2), mode="reflect"), xi, grad=False)
    check(lambda lib, x: lib.constant_pad_nd(x, (1, 2), 3), randn(2, 3))
    F = ember.nn.functional
    check_gradcheck(lambda x: F.pad(x, (2, 1, 1, 2), mode="reflect"), randn(1, 2, 3, 4))
    check_gradcheck(lambda x: F.pad(x, (2, 1, 1, 2), mode="circular"), randn(1, 2, 3, 4))
    check_gradcheck(lambda x: F.pad(x, (2, -1, 1, 2)), randn(1, 2, 3, 4))


@pytest.mark.parametrize("xs,pad,kw", [
    ((2, 3, 4, 5), (1,), {}),
    ((2, 3, 4, 5), (1, 2, 3, 4, 5, 6, 7, 8, 9, 10), {}),
    ((2, 3, 4, 5), (-5, -1), {}),
    ((2, 3, 4, 5), (5, 5, 1, 1), dict(mode="reflect")),
    ((2, 3, 4, 5), (6, 6, 1, 1), dict(mode="circular")),
    ((2, 3, 4, 5), (1, 1, 1, 1), dict(mode="foo")),
    ((2, 3, 4, 5), (1, 1, 1, 1), dict(mode="reflect", value=2.0)),
    ((4, 5), (1, 1, 1, 1), dict(mode="reflect")),
    ((2, 3, 4, 5), (1, 1), dict(mode="reflect")),
    ((2, 0, 4), (1, 1), dict(mode="reflect")),
])
def test_pad_errors(xs, pad, kw):
    x = randn(*xs)
    same_error(lambda lib: _F(lib).pad(lib.from_numpy(x), pad, **kw))


def test_pixel_shuffle():
    check(lambda lib, x: _F(lib).pixel_shuffle(x, 2), randn(2, 8, 3, 4))
    check(lambda lib, x: _F(lib).pixel_unshuffle(x, 2), randn(2, 2, 4, 6))
    check(lambda lib, x: lib.pixel_shuffle(x, 3), randn(3, 9, 2, 2))
    check(lambda lib, x: lib.pixel_unshuffle(x, 2), randn(1, 2, 3, 4, 6))
    x = randn(2, 7, 3, 4)
    same_error(lambda lib: _F(lib).pixel_shuffle(lib.from_numpy(x), 2))
    same_error(lambda lib: _F(lib).pixel_unshuffle(lib.from_numpy(x), 2))


@pytest.mark.parametrize("xs,kw", [
    ((2, 3, 4, 5), dict(scale_factor=2)),
    ((2, 3, 4, 5), dict(size=(7, 3))),
    ((2, 3, 5), dict(scale_factor=1.7)),
    ((2, 3, 5), dict(size=12, mode="linear")),
    ((2, 3, 5), dict(size=12, mode="linear", align_corners=True)),
    ((2, 3, 4, 5), dict(scale_factor=2, mode="bilinear")),
    ((2, 3, 4, 5), dict(size=(7, 3), mode="bilinear", align_corners=True)),
    ((2, 3, 4, 5), dict(size=(7, 3), mode="bilinear", align_corners=False)),
    ((2, 3, 4, 5), dict(scale_factor=(1.5, 0.6), mode="bilinear")),
    ((1, 2, 3, 4, 5), dict(scale_factor=2, mode="trilinear")),
    ((1, 2, 3, 4, 5), dict(size=(2, 5, 7))),
    ((2, 3, 4, 5), dict(size=(7, 3), mode="nearest-exact")),
    ((2, 3, 8, 6), dict(size=(3, 2), mode="area")),
    ((2, 3, 7), dict(size=3, mode="area")),
    ((1, 2, 4, 5, 6), dict(size=(2, 3, 4), mode="area")),
])
def test_interpolate(xs, kw):
    check(lambda lib, x: _F(lib).interpolate(x, **kw), randn(*xs))


def test_interpolate_errors():
    x = randn(2, 3, 4, 5)
    for kw in [dict(), dict(size=2, scale_factor=2), dict(size=2, mode="nearest", align_corners=True),
               dict(size=(2, 3, 4))]:
        same_error(lambda lib: _F(lib).interpolate(lib.from_numpy(x), **kw))
