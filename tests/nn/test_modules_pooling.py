"""Pooling layers against torch: reprs (ints kept as given or made tuples, as torch does), forward/backward,
return_indices, MaxUnpool round trips, adaptive sizes with None, LPPool, errors."""
import numpy as np
import pytest

import torch
from conftest import randn, same, same_error
from layer_check import layer_check

X1, X2, X3 = randn(2, 3, 11), randn(2, 3, 9, 8), randn(2, 2, 6, 7, 5)
X = {1: X1, 2: X2, 3: X3}

CASES = [
    ("MaxPool1d", (3,), {}, 1), ("MaxPool1d", (3, 2, 1), {"dilation": 2, "ceil_mode": True}, 1),
    ("MaxPool2d", (2,), {}, 2), ("MaxPool2d", ((3, 2),), {"stride": (2, 1), "padding": 1}, 2),
    ("MaxPool2d", (3,), {"stride": 2, "ceil_mode": True, "dilation": (1, 2)}, 2),
    ("MaxPool3d", (2,), {}, 3), ("MaxPool3d", (3, 2, 1), {}, 3),
    ("AvgPool1d", (3,), {}, 1), ("AvgPool1d", (4, 2, 2), {"ceil_mode": True, "count_include_pad": False}, 1),
    ("AvgPool2d", (2,), {}, 2), ("AvgPool2d", ((3, 2), (2, 1), 1), {"count_include_pad": False}, 2),
    ("AvgPool2d", (3,), {"divisor_override": 2, "ceil_mode": True}, 2),
    ("AvgPool3d", (2,), {}, 3), ("AvgPool3d", (3, 2, 1), {"divisor_override": 5}, 3),
    ("AdaptiveAvgPool1d", (4,), {}, 1), ("AdaptiveAvgPool2d", ((4, 3),), {}, 2),
    ("AdaptiveAvgPool2d", (1,), {}, 2), ("AdaptiveAvgPool2d", ((None, 3),), {}, 2),
    ("AdaptiveAvgPool3d", ((2, None, 3),), {}, 3),
    ("AdaptiveMaxPool1d", (4,), {}, 1), ("AdaptiveMaxPool2d", ((4, 3),), {}, 2),
    ("AdaptiveMaxPool2d", ((None, 2),), {"return_indices": True}, 2), ("AdaptiveMaxPool3d", (2,), {}, 3),
    ("LPPool1d", (2, 3), {}, 1), ("LPPool1d", (1.5, 3, 2), {"ceil_mode": False}, 1),
    ("LPPool2d", (2, 2), {}, 2), ("LPPool2d", (3, (3, 2), (1, 2)), {}, 2),
]


def _id(c):
    return f"{c[0]}-{c[1]}-" + "-".join(f"{k}={v}" for k, v in c[2].items())


@pytest.mark.parametrize("batched", [True, False])
@pytest.mark.parametrize("name,args,kw,nd", CASES, ids=[_id(c) for c in CASES])
def test_pool_matches_torch(name, args, kw, nd, batched):
    x = X[nd] if batched else X[nd][0]
    if name.startswith("LPPool"):
        x = np.abs(x) + 0.1  # positive inputs: the p-th root of a negative sum is nan in both
    layer_check(lambda lib: getattr(lib.nn, name)(*args, **kw), x, atol=1e-5)


@pytest.mark.parametrize("nd", [1, 2, 3])
def test_max_pool_return_indices(nd):
    layer_check(lambda lib: getattr(lib.nn, f"MaxPool{nd}d")(2, return_indices=True), X[nd])


@pytest.mark.parametrize("nd,kw", [(1, {}), (1, {"stride": 1}), (2, {}), (2, {"stride": (2, 1), "padding": 1})])
def test_max_unpool_round_trip(nd, kw):
    def fwd(m, x):
        lib = torch if isinstance(x, torch.Tensor) else __import__("ember")
        pool = getattr(lib.nn, f"MaxPool{nd}d")(3 if "padding" in kw else 2, return_indices=True, **kw)
        y, idx = pool(x)
        return m(y, idx, output_size=x.shape[-nd:]) if "padding" in kw else m(y, idx)
    layer_check(lambda lib: getattr(lib.nn, f"MaxUnpool{nd}d")(3 if "padding" in kw else 2, **kw), X[nd],
                forward=fwd)


def test_reprs():
    def f(lib):
        nn = lib.nn
        return [repr(m) for m in (
            nn.MaxPool2d(2), nn.MaxPool2d((3, 2), stride=1, padding=1, ceil_mode=True), nn.MaxPool1d(3, dilation=2),
            nn.AvgPool1d(3), nn.AvgPool2d(2), nn.AvgPool3d((1, 2, 3), divisor_override=2), nn.MaxUnpool2d(2),
            nn.MaxUnpool1d(3, 2, 1), nn.AdaptiveAvgPool2d((None, 7)), nn.AdaptiveMaxPool1d(3, return_indices=True),
            nn.LPPool2d(2, 3), nn.LPPool1d(1.5, 2, stride=1))]
    same(f)


def test_attributes():
    def f(lib):
        nn = lib.nn
        ms = [nn.MaxPool2d(3), nn.AvgPool1d(2), nn.AvgPool2d(2, 1), nn.MaxUnpool2d(2), nn.LPPool2d(2, 2)]
        return [(m.kernel_size, m.stride, getattr(m, "padding", None), getattr(m, "__constants__", None))
                for m in ms]
    same(f)


@pytest.mark.parametrize("make", [
    lambda lib: lib.nn.MaxPool2d(2)(lib.ones(2, 3)),
    lambda lib: lib.nn.MaxPool2d(3, padding=2)(lib.ones(1, 1, 5, 5)),
    lambda lib: lib.nn.AvgPool2d(4)(lib.ones(1, 1, 3, 3)),
    lambda lib: lib.nn.AdaptiveAvgPool2d((2, 2, 2))(lib.ones(1, 1, 3, 3)),
])
def test_errors(make):
    same_error(make)
