"""F.conv1d/2d/3d, F.conv_transpose1d/2d/3d, F.unfold/F.fold against torch: values, grads (input, weight,
bias), grad_fn names, gradcheck, second derivatives, error classes and messages."""
import warnings

import numpy as np
import pytest
import torch
from hypothesis import given, settings, strategies as st

import ember
from conftest import check, check_gradcheck, randn, same_error

HYP = settings(max_examples=20, deadline=None)


def _F(lib):
    return torch.nn.functional if lib is torch else ember.nn.functional


def conv(name, **kw):
    def f(lib, x, w, b=None):
        return getattr(_F(lib), name)(x, w, b, **kw)
    return f


# ============================================================================ forward + backward vs torch

CONV2D = [
    ((2, 3, 7, 7), (4, 3, 3, 3), True, {}),
    ((2, 3, 9, 8), (4, 3, 3, 2), True, dict(stride=2, padding=1, dilation=2)),
    ((2, 4, 7, 7), (6, 2, 3, 3), True, dict(groups=2, padding=(1, 2))),
    ((1, 4, 6, 5), (4, 1, 3, 3), False, dict(groups=4, stride=(2, 1))),
    ((2, 4, 7, 7), (6, 4, 3, 3), True, dict(padding="same")),
    ((2, 4, 7, 7), (6, 4, 3, 3), True, dict(padding="same", dilation=2)),
    ((2, 4, 7, 7), (6, 4, 3, 3), True, dict(padding="valid")),
    ((3, 7, 7), (4, 3, 3, 3), True, {}),
    ((1, 1, 28, 28), (6, 1, 5, 5), True, {}),
    ((2, 3, 5, 5), (2, 3, 5, 5), True, {}),
    ((2, 3, 1, 9), (2, 3, 1, 3), True, dict(stride=(1, 3), padding=(0, 1))),
]


@pytest.mark.parametrize("xs,ws,bias,kw", CONV2D)
def test_conv2d(xs, ws, bias, kw):
    args = [randn(*xs), randn(*ws, seed=1)] + ([randn(ws[0], seed=2)] if bias else [])
    check(conv("conv2d", **kw), *args)


def test_conv2d_same_even_kernel_warns():
    with pytest.warns(UserWarning, match="padding='same' with even kernel"):
        check(conv("conv2d", padding="same"), randn(2, 4, 7, 6), randn(6, 4, 2, 3, seed=1), randn(6, seed=2))


@pytest.mark.parametrize("xs,ws,kw", [
    ((2, 4, 11), (5, 4, 3), dict(stride=3, padding=2)),
    ((2, 4, 11), (6, 2, 4), dict(groups=2, dilation=2)),
    ((4, 11), (5, 4, 3), dict(padding="same")),
    ((1, 2, 9), (3, 2, 2), dict(padding="same", dilation=3)),
])
def test_conv1d(xs, ws, kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(conv("conv1d", **kw), randn(*xs), randn(*ws, seed=1), randn(ws[0], seed=2))


@pytest.mark.parametrize("xs,ws,kw", [
    ((2, 2, 5, 6, 7), (3, 2, 3, 2, 3), dict(stride=2, padding=1)),
    ((1, 4, 4, 4, 4), (4, 2, 2, 2, 2), dict(groups=2, dilation=(1, 2, 1))),
])
def test_conv3d(xs, ws, kw):
    check(conv("conv3d", **kw), randn(*xs), randn(*ws, seed=1), randn(ws[0], seed=2))


@pytest.mark.parametrize("name,xs,ws,kw", [
    ("conv_transpose2d", (2, 3, 5, 5), (3, 4, 3, 3), dict(stride=2, padding=1, output_padding=1)),
    ("conv_transpose2d", (2, 3, 5, 4), (3, 2, 3, 3), dict(stride=2, padding=1, dilation=3, output_padding=2,
                                                          groups=3)),
    ("conv_transpose2d", (3, 4, 4), (3, 2, 2, 2), dict(stride=2)),
    ("conv_transpose2d", (1, 2, 3, 3), (2, 1, 4, 4), {}),
    ("conv_transpose1d", (2, 3, 5), (3, 2, 4), dict(stride=3)),
    ("conv_transpose1d", (2, 4, 6), (4, 3, 3), dict(stride=2, padding=2, output_padding=1, groups=2)),
    ("conv_transpose3d", (1, 2, 3, 3, 3), (2, 3, 2, 3, 2), dict(stride=(2, 1, 2), padding=(0, 1, 0))),
])
def test_conv_transpose(name, xs, ws, kw):
    check(conv(name, **kw), randn(*xs), randn(*ws, seed=1), randn(ws[1] * kw.get("groups", 1), seed=2))


def test_conv_no_bias_and_partial_grads():
    check(conv("conv2d", padding=1), randn(2, 3, 6, 6), randn(4, 3, 3, 3, seed=1))
    # only the weight requires grad (the input is data)
    x, w = randn(2, 3, 6, 6), randn(4, 3, 3, 3, seed=1)
    for lib in (torch, ember):
        xt, wt = lib.from_numpy(x.copy()), lib.from_numpy(w.copy()).requires_grad_()
        _F(lib).conv2d(xt, wt).sum().backward()
        if lib is torch:
            ref = wt.grad.numpy()
        else:
            np.testing.assert_allclose(wt.grad.numpy(), ref, rtol=1e-4, atol=1e-5)


def test_conv_float64_and_int():
    check(conv("conv2d", stride=2), randn(2, 3, 7, 7, dtype=np.float64), randn(4, 3, 3, 3, dtype=np.float64, seed=1))
    xi = np.random.default_rng(0).integers(-3, 4, (1, 2, 5, 5))
    wi = np.random.default_rng(1).integers(-3, 4, (3, 2, 2, 2))
    check(conv("conv2d"), xi, wi, grad=False)


def test_top_level_names():
    x, w = randn(1, 2, 6, 6), randn(3, 2, 3, 3, seed=1)
    check(lambda lib, x, w: lib.conv2d(x, w, None, 1, 1), x, w)
    check(lambda lib, x, w: lib.conv1d(x, w), randn(1, 2, 6), randn(3, 2, 3, seed=1))
    check(lambda lib, x, w: lib.conv_transpose2d(x, w, None, 2), x, randn(2, 3, 3, 3, seed=1))
    check(lambda lib, x, w: lib.convolution(x, w, None, [1, 1], [0, 0], [1, 1], False, [0, 0], 1), x, w)


@HYP
@given(n=st.integers(1, 2), c=st.integers(1, 3), o=st.integers(1, 3), h=st.integers(3, 8), w=st.integers(3, 8),
       k=st.integers(1, 3), s=st.integers(1, 3), p=st.integers(0, 2), d=st.integers(1, 2), g=st.sampled_from([1, 2]))
def test_conv2d_hypothesis(n, c, o, h, w, k, s, p, d, g):
    x = randn(n, c * g, h, w)
    wt = randn(o * g, c, k, k, seed=1)
    b = randn(o * g, seed=2)
    if h + 2 * p < d * (k - 1) + 1 or w + 2 * p < d * (k - 1) + 1:
        same_error(lambda lib: _F(lib).conv2d(lib.from_numpy(x), lib.from_numpy(wt), None, s, p, d, g))
        return
    check(conv("conv2d", stride=s, padding=p, dilation=d, groups=g), x, wt, b)


@HYP
@given(n=st.integers(1, 2), c=st.integers(1, 3), o=st.integers(1, 3), h=st.integers(1, 5), k=st.integers(1, 3),
       s=st.integers(1, 3), p=st.integers(0, 2), d=st.integers(1, 2), g=st.sampled_from([1, 2]),
       op=st.integers(0, 2))
def test_conv_transpose2d_hypothesis(n, c, o, h, k, s, p, d, g, op):
    x = randn(n, c * g, h, h + 1)
    wt = randn(c * g, o, k, k, seed=1)
    b = randn(o * g, seed=2)
    f = conv("conv_transpose2d", stride=s, padding=p, output_padding=op, dilation=d, groups=g)
    osz = (h - 1) * s - 2 * p + d * (k - 1) + op + 1
    if osz == 0:
        return  # torch: oneDNN's own error for groups=1, an empty result otherwise; ember raises its size error
    if op >= max(s, d) or osz < 0:
        # (torch's message is sometimes oneDNN's own: "could not construct a memory descriptor ...")
        same_error(lambda lib: f(lib, lib.from_numpy(x), lib.from_numpy(wt)), exact=False)
        return
    check(f, x, wt, b)


# ============================================================================ gradcheck and second derivatives

def test_gradcheck_conv():
    F = ember.nn.functional
    check_gradcheck(lambda x, w, b: F.conv2d(x, w, b, stride=2, padding=1, groups=2),
                    randn(2, 4, 5, 5), randn(4, 2, 3, 3, seed=1), randn(4, seed=2))
    check_gradcheck(lambda x, w, b: F.conv1d(x, w, b, dilation=2), randn(2, 3, 7), randn(2, 3, 2, seed=1),
                    randn(2, seed=2))
    check_gradcheck(lambda x, w, b: F.conv_transpose2d(x, w, b, stride=2, output_padding=1),
                    randn(1, 2, 3, 3), randn(2, 3, 2, 2, seed=1), randn(3, seed=2))


def _second(lib, name, arrays, kw):
    ts = [lib.from_numpy(a.copy()).requires_grad_() for a in arrays]
    y = getattr(_F(lib), name)(*ts, **kw)
    gs = lib.autograd.grad((y * y).sum(), ts, create_graph=True)
    s = sum((g * g.sin()).sum() for g in gs)
    ggs = lib.autograd.grad(s, ts)
    return [g.detach().numpy() for g in gs] + [g.numpy() for g in ggs]


@pytest.mark.parametrize("name,shapes,kw", [
    ("conv2d", [(2, 4, 6, 7), (6, 2, 3, 2), (6,)], dict(stride=(2, 1), padding=1, dilation=(1, 2), groups=2)),
    ("conv2d", [(1, 2, 5, 5), (3, 2, 3, 3), (3,)], {}),
    ("conv1d", [(2, 3, 9), (4, 3, 3), (4,)], dict(stride=2)),
    ("conv_transpose2d", [(2, 4, 4, 5), (4, 3, 3, 3), (6,)], dict(stride=2, padding=1, output_padding=1, groups=2)),
    ("conv_transpose1d", [(2, 4, 5), (4, 3, 3), (3,)], dict(stride=2, dilation=3, output_padding=2)),
])
def test_second_derivatives_vs_torch(name, shapes, kw):
    arrays = [randn(*s, dtype=np.float64, seed=i) for i, s in enumerate(shapes)]
    for a, b in zip(_second(torch, name, arrays, kw), _second(ember, name, arrays, kw)):
        np.testing.assert_allclose(b, a, rtol=1e-9, atol=1e-9)


def test_gradgradcheck_conv2d():
    x = ember.from_numpy(randn(1, 2, 4, 4, dtype=np.float64)).requires_grad_()
    w = ember.from_numpy(randn(3, 2, 2, 2, dtype=np.float64, seed=1)).requires_grad_()
    assert ember.autograd.gradgradcheck(lambda x, w: ember.nn.functional.conv2d(x, w, stride=2, padding=1), (x, w))


# ============================================================================ errors (torch's class and message)

def _err(fn, *shapes, **kw):
    arrays = [randn(*s, seed=i) if s is not None else None for i, s in enumerate(shapes)]

    def run(lib):
        ts = [lib.from_numpy(a) if a is not None else None for a in arrays]
        return fn(lib, *ts, **kw)
    same_error(run)


@pytest.mark.parametrize("shapes,kw", [
    [((1, 4, 5, 5), (8, 3, 3, 3)), {}],
    [((1, 3, 2, 2), (8, 3, 3, 3)), {}],
    [((3, 5), (8, 3, 3, 3)), {}],
    [((1, 3, 5, 5), (8, 3, 3)), {}],
    [((1, 3, 5, 5), (8, 3, 3, 3), (7,)), {}],
    [((1, 3, 5, 5), (8, 3, 3, 3)), dict(groups=2)],
    [((1, 4, 5, 5), (6, 2, 3, 3)), dict(groups=4)],
    [((1, 3, 5, 5), (8, 3, 3, 3)), dict(groups=0)],
    [((1, 3, 5, 5), (8, 3, 3, 3)), dict(stride=0)],
    [((1, 3, 5, 5), (8, 3, 3, 3)), dict(padding=-1)],
    [((1, 3, 5, 5), (8, 3, 3, 3)), dict(dilation=0)],
    [((1, 3, 5, 5), (8, 3, 3, 3)), dict(stride=2, padding="same")],
    [((1, 3, 5, 5), (8, 3, 3, 3)), dict(padding="foo")],
    [((1, 3, 5, 5), (8, 3, 3, 3)), dict(stride=(1, 2, 3))],
    [((2, 3, 5, 5), (0, 3, 3, 3)), {}],
])
def test_conv2d_errors(shapes, kw):
    _err(lambda lib, *ts, **k: _F(lib).conv2d(*ts, **k), *shapes, **kw)


@pytest.mark.parametrize("name,shapes,kw", [
    ("conv1d", ((1, 3, 5), (2, 3, 7)), {}),
    ("conv1d", ((1, 3, 5), (8, 3, 3, 3)), {}),
    ("conv1d", ((1, 3, 5), (8, 3, 3), (8, 1)), {}),
    ("conv_transpose2d", ((1, 4, 5, 5), (3, 2, 3, 3)), {}),
    ("conv_transpose2d", ((1, 3, 5, 5), (3, 2, 3, 3)), dict(output_padding=1)),
    ("conv_transpose2d", ((1, 3, 5, 5), (3, 2, 3, 3)), dict(stride=2, output_padding=2)),
    ("conv_transpose2d", ((1, 3, 5, 5), (3, 2, 3, 3)), dict(padding=5)),
    ("conv_transpose1d", ((1, 3, 5), (3, 2, 3)), dict(output_padding=1)),
    ("conv_transpose1d", ((1, 3, 5), (3, 2, 3)), dict(padding=5)),
    ("conv_transpose1d", ((1, 3, 5), (3, 2, 3), (3,)), {}),
    ("conv_transpose1d", ((1, 3, 5), (3, 2, 3)), dict(groups=2)),
    ("conv_transpose3d", ((1, 3, 5, 5, 5), (3, 2, 3, 3, 3)), dict(output_padding=1)),
])
def test_conv_errors(name, shapes, kw):
    _err(lambda lib, *ts, **k: getattr(_F(lib), name)(*ts, **k), *shapes, **kw)


def test_conv_dtype_errors():
    x, w = randn(1, 3, 5, 5), randn(8, 3, 3, 3)
    for xd, wd, bd in [(np.float64, np.float32, None), (np.float32, np.float64, None),
                       (np.float32, np.float32, np.float64)]:
        def run(lib):
            b = None if bd is None else lib.from_numpy(randn(8, dtype=bd))
            return _F(lib).conv2d(lib.from_numpy(x.astype(xd)), lib.from_numpy(w.astype(wd)), b)
        same_error(run)


# ============================================================================ unfold / fold

@pytest.mark.parametrize("xs,kw", [
    ((2, 3, 6, 7), dict(kernel_size=2)),
    ((2, 3, 6, 7), dict(kernel_size=(2, 3), dilation=(2, 1), padding=1, stride=(1, 2))),
    ((3, 5, 5), dict(kernel_size=3, padding=1)),
])
def test_unfold(xs, kw):
    check(lambda lib, x: _F(lib).unfold(x, **kw), randn(*xs))


@pytest.mark.parametrize("xs,out,kw", [
    ((2, 12, 49), (8, 8), dict(kernel_size=2)),
    ((2, 18, 24), (6, 7), dict(kernel_size=(2, 3), dilation=(2, 1), padding=1, stride=(1, 2))),
    ((27, 25), (5, 5), dict(kernel_size=3, padding=1)),
])
def test_fold(xs, out, kw):
    check(lambda lib, x: _F(lib).fold(x, out, **kw), randn(*xs))


def test_fold_unfold_gradcheck():
    F = ember.nn.functional
    check_gradcheck(lambda x: F.unfold(x, 2, padding=1, stride=2), randn(1, 2, 4, 5))
    check_gradcheck(lambda x: F.fold(x, (4, 5), 2, padding=1, stride=2), randn(1, 8, 9))


def test_unfold_fold_errors():
    _err(lambda lib, x: _F(lib).unfold(x, 4), (1, 2, 3, 3))
    _err(lambda lib, x: _F(lib).unfold(x, 2), (3, 3))
    _err(lambda lib, x: _F(lib).fold(x, (4, 4), 2), (1, 7, 9))
    _err(lambda lib, x: _F(lib).fold(x, (4, 4), 2), (1, 8, 8))
