"""``ember.nn.functional`` activations against torch: values, dtypes, grads, grad_fn names, second derivatives,
in-place variants and errors."""
import warnings

import numpy as np
import pytest
import torch
from hypothesis import given, settings, strategies as st

import ember
from conftest import check, check_gradcheck, check_raises, randn, same_error

F_E, F_T = ember.nn.functional, torch.nn.functional


def F(lib):
    return lib.nn.functional


def spread(*shape, dtype=np.float64, seed=0, scale=3.0):
    """Values spread over [-scale, scale] avoiding the kinks at 0, +-0.5, +-1, +-3, 6 ..."""
    a = np.random.default_rng(seed).uniform(-scale, scale, shape)
    for k in (0.0, 0.5, 1.0, 3.0, 6.0, 0.1):
        for s in (1, -1):
            near = np.abs(a - s * k) < 1e-2
            a[near] += 3e-2
    return a.astype(dtype)


# name -> fn(lib, x): every activation and option
ACT = {
    "relu": lambda L, x: F(L).relu(x),
    "relu6": lambda L, x: F(L).relu6(x * 4),
    "leaky_relu": lambda L, x: F(L).leaky_relu(x),
    "leaky_relu_slope": lambda L, x: F(L).leaky_relu(x, 0.2),
    "leaky_relu_neg_slope": lambda L, x: F(L).leaky_relu(x, negative_slope=-0.3),
    "elu": lambda L, x: F(L).elu(x),
    "elu_alpha": lambda L, x: F(L).elu(x, alpha=0.7),
    "selu": lambda L, x: F(L).selu(x),
    "celu": lambda L, x: F(L).celu(x),
    "celu_alpha": lambda L, x: F(L).celu(x, 2.5),
    "gelu": lambda L, x: F(L).gelu(x),
    "gelu_tanh": lambda L, x: F(L).gelu(x, approximate="tanh"),
    "silu": lambda L, x: F(L).silu(x),
    "mish": lambda L, x: F(L).mish(x),
    "hardtanh": lambda L, x: F(L).hardtanh(x),
    "hardtanh_bounds": lambda L, x: F(L).hardtanh(x, -0.5, 2.0),
    "hardswish": lambda L, x: F(L).hardswish(x * 2),
    "hardsigmoid": lambda L, x: F(L).hardsigmoid(x * 2),
    "softplus": lambda L, x: F(L).softplus(x),
    "softplus_beta": lambda L, x: F(L).softplus(x, beta=2.0, threshold=3.0),
    "softplus_pos": lambda L, x: F(L).softplus(x, 0.5, 1),
    "softsign": lambda L, x: F(L).softsign(x),
    "softshrink": lambda L, x: F(L).softshrink(x),
    "softshrink_l": lambda L, x: F(L).softshrink(x, 1.2),
    "hardshrink": lambda L, x: F(L).hardshrink(x),
    "hardshrink_l": lambda L, x: F(L).hardshrink(x, lambd=1.2),
    "tanhshrink": lambda L, x: F(L).tanhshrink(x),
    "threshold": lambda L, x: F(L).threshold(x, 0.1, 20.0),
    "glu": lambda L, x: F(L).glu(x),
    "glu_dim0": lambda L, x: F(L).glu(x, 0),
    "logsigmoid": lambda L, x: F(L).logsigmoid(x),
    "sigmoid": lambda L, x: F(L).sigmoid(x),
    "tanh": lambda L, x: F(L).tanh(x),
    "softmin": lambda L, x: F(L).softmin(x, dim=1),
    "softmin0": lambda L, x: F(L).softmin(x, 0),
    "softmax": lambda L, x: F(L).softmax(x, dim=1),
    "log_softmax": lambda L, x: F(L).log_softmax(x, dim=-1),
    "rrelu_eval": lambda L, x: F(L).rrelu(x),
    "rrelu_eval_bounds": lambda L, x: F(L).rrelu(x, 0.2, 0.4),
    "prelu_scalar": lambda L, x: F(L).prelu(x, L.tensor([0.25], dtype=x.dtype)),
    "torch_selu": lambda L, x: L.selu(x),
    "torch_celu": lambda L, x: L.celu(x, 0.5),
    "torch_hardshrink": lambda L, x: L.hardshrink(x, 0.3),
    "method_hardshrink": lambda L, x: x.hardshrink(),
    "torch_threshold": lambda L, x: L.threshold(x, -0.2, 1.5),
    "torch_rrelu_eval": lambda L, x: L.rrelu(x, 0.1, 0.2),
}

# the ones whose second derivative PyTorch defines (hardsigmoid's raises; see test_hardsigmoid_double_backward)
SECOND = [k for k in ACT if k != "hardsigmoid"]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", list(ACT))
def test_activation(name, dtype):
    check(ACT[name], spread(4, 6, dtype=dtype))


@pytest.mark.parametrize("name", list(ACT))
def test_activation_gradcheck(name):
    fn = ACT[name]
    check_gradcheck(lambda x: fn(ember, x), spread(2, 4, seed=1))


def _derivs(lib, fn, a, order=3):
    x = (torch.from_numpy if lib is torch else ember.from_numpy)(a.copy()).requires_grad_()
    y = fn(lib, x)
    rng = np.random.default_rng(5)
    w1 = lib.from_numpy(rng.standard_normal(tuple(y.shape)))
    w2 = lib.from_numpy(rng.standard_normal(tuple(y.shape)))
    cur = (w1 * y + w2 * y * y / 2).sum()
    res = [y.detach().numpy()]
    names = []
    for k in range(order):
        g, = lib.autograd.grad(cur, x, create_graph=k + 1 < order, allow_unused=True)
        if g is None:
            res.append(np.zeros_like(a))
            break
        res.append(g.detach().numpy())
        names.append(g.grad_fn.name() if g.grad_fn is not None else None)
        if not g.requires_grad:
            break
        cur = (g * lib.from_numpy(rng.standard_normal(a.shape))).sum()
    return res, names


@pytest.mark.parametrize("name", SECOND)
def test_activation_higher_order(name):
    """First, second and third derivatives (with a grad that depends on x) against torch."""
    a = spread(4, 4, seed=2)
    e, en = _derivs(ember, ACT[name], a)
    t, tn = _derivs(torch, ACT[name], a)
    assert len(e) == len(t)
    for k, (x, y) in enumerate(zip(e, t)):
        np.testing.assert_allclose(x, y, atol=1e-9, rtol=1e-7, err_msg=f"derivative {k}")


@pytest.mark.parametrize("name", ["elu", "selu", "celu", "gelu", "gelu_tanh", "leaky_relu", "hardtanh", "relu6",
                                  "hardswish", "softplus", "softshrink", "hardshrink", "threshold", "glu",
                                  "logsigmoid", "rrelu_eval", "silu", "mish"])
def test_double_backward_node_names(name):
    """The grad of a first derivative taken with create_graph carries PyTorch's node name."""
    a = spread(4, 4, seed=3)
    _, en = _derivs(ember, ACT[name], a, order=2)
    _, tn = _derivs(torch, ACT[name], a, order=2)
    assert en[0] == tn[0]


def _hs(L):
    x = L.tensor([0.5, -1.0, 2.0], dtype=L.float64, requires_grad=True)
    g, = L.autograd.grad(F(L).hardsigmoid(x).pow(2).sum(), x, create_graph=True)
    assert g.grad_fn.name() == "torch::autograd::NotImplemented"
    g.sum().backward()


def test_hardsigmoid_double_backward_raises():
    same_error(_hs)


# ============================================================================ prelu

@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("xshape,wshape", [((4, 3), (3,)), ((4, 3), (1,)), ((2, 3, 5), (3,)), ((2, 3, 2, 2), (3,)),
                                           ((5,), (1,)), ((), (1,)), ((4, 3), ())])
def test_prelu(xshape, wshape, dtype):
    w = np.random.default_rng(1).uniform(0.05, 0.5, wshape).astype(dtype)
    check(lambda L, x, w: F(L).prelu(x, w), spread(*xshape, dtype=dtype), w)
    check(lambda L, x, w: L.prelu(x, w), spread(*xshape, dtype=dtype), w)
    check(lambda L, x, w: x.prelu(w), spread(*xshape, dtype=dtype), w)


def test_prelu_gradcheck_and_second_order():
    x, w = spread(3, 4, 2, seed=4), np.array([0.1, 0.3, -0.2, 0.5])
    check_gradcheck(lambda x, w: F_E.prelu(x, w), x, w)
    assert ember.autograd.gradgradcheck(lambda x, w: F_E.prelu(x, w),
                                        (ember.from_numpy(x).requires_grad_(), ember.from_numpy(w).requires_grad_()))

    def derivs(L):
        xt, wt = L.from_numpy(x.copy()).requires_grad_(), L.from_numpy(w.copy()).requires_grad_()
        y = F(L).prelu(xt, wt)
        gx, gw = L.autograd.grad((y * y).sum(), (xt, wt), create_graph=True)
        assert gx.grad_fn.name() == "PreluKernelBackwardBackward0"
        h = L.autograd.grad((gx * gx).sum() + gw.sum() * 3, (xt, wt))
        return [v.detach().numpy() for v in (gx, gw) + tuple(h)]
    for a, b in zip(derivs(ember), derivs(torch)):
        np.testing.assert_allclose(a, b, atol=1e-10)


@pytest.mark.parametrize("xshape,wshape,wdtype", [((3, 4), (3,), np.float32), ((4,), (4,), np.float32),
                                                  ((3, 4), (4, 1), np.float32), ((3, 4), (4,), np.float64)])
def test_prelu_errors(xshape, wshape, wdtype):
    x = randn(*xshape)
    w = np.full(wshape, 0.25, wdtype)
    e, t = check_raises(lambda L, x, w: F(L).prelu(x, w), x, w)
    assert str(e) == str(t)


# ============================================================================ in-place variants

INPLACE = {
    "relu": lambda L, y: F(L).relu(y, inplace=True),
    "relu_": lambda L, y: F(L).relu_(y),
    "relu6": lambda L, y: F(L).relu6(y * 4, True),
    "leaky_relu": lambda L, y: F(L).leaky_relu(y, 0.2, True),
    "leaky_relu_": lambda L, y: F(L).leaky_relu_(y, 0.3),
    "elu": lambda L, y: F(L).elu(y, inplace=True),
    "elu_": lambda L, y: F(L).elu_(y, 0.5),
    "selu": lambda L, y: F(L).selu(y, True),
    "selu_": lambda L, y: F(L).selu_(y),
    "torch_selu_": lambda L, y: L.selu_(y),
    "celu": lambda L, y: F(L).celu(y, 1.5, True),
    "celu_": lambda L, y: F(L).celu_(y),
    "torch_celu_": lambda L, y: L.celu_(y, 2.0),
    "hardtanh": lambda L, y: F(L).hardtanh(y, -0.5, 0.5, True),
    "hardtanh_": lambda L, y: F(L).hardtanh_(y),
    "silu": lambda L, y: F(L).silu(y, inplace=True),
    "mish": lambda L, y: F(L).mish(y, inplace=True),
    "hardswish": lambda L, y: F(L).hardswish(y * 2, inplace=True),
    "hardsigmoid": lambda L, y: F(L).hardsigmoid(y * 2, inplace=True),
    "threshold": lambda L, y: F(L).threshold(y, 0.2, -1.0, inplace=True),
    "threshold_": lambda L, y: F(L).threshold_(y, 0.2, -1.0),
    "torch_threshold_": lambda L, y: L.threshold_(y, 0.2, -1.0),
    "rrelu": lambda L, y: F(L).rrelu(y, inplace=True),
    "rrelu_": lambda L, y: F(L).rrelu_(y, 0.1, 0.3),
    "torch_rrelu_": lambda L, y: L.rrelu_(y),
}


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", list(INPLACE))
def test_inplace(name, dtype):
    def fn(L, x):
        y = x * 1
        r = INPLACE[name](L, y)
        assert r is y or name in ("relu6", "hardswish", "hardsigmoid")
        return r
    check(fn, spread(3, 5, dtype=dtype))


@pytest.mark.parametrize("name", list(INPLACE))
def test_inplace_no_grad(name):
    a = spread(3, 5)
    for L in (ember, torch):
        x = L.from_numpy(a.copy())
        INPLACE[name](L, x)
    xe, xt = ember.from_numpy(a.copy()), torch.from_numpy(a.copy())
    re, rt = INPLACE[name](ember, xe), INPLACE[name](torch, xt)
    np.testing.assert_allclose(re.numpy(), rt.numpy(), rtol=1e-7)
    np.testing.assert_allclose(xe.numpy(), xt.numpy(), rtol=1e-7)
    assert xe._version == xt._version


def test_inplace_leaf_raises():
    same_error(lambda L: F(L).elu(L.ones(3, requires_grad=True), inplace=True))
    same_error(lambda L: F(L).leaky_relu_(L.ones(3, requires_grad=True)))


def test_inplace_leaky_relu_negative_slope_backward_raises():
    def fn(L):
        x = L.tensor([1.0, -2.0], requires_grad=True)
        F(L).leaky_relu_(x * 1, -0.5).sum().backward()
    same_error(fn)


# ============================================================================ rrelu in training

@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_rrelu_training_matches_torch_stream(dtype):
    """The per-element slopes come from the generator in PyTorch's order, so seeded runs agree exactly."""
    a = spread(4, 5, dtype=dtype)

    def fn(L, x):
        L.manual_seed(7)
        return F(L).rrelu(x, 0.1, 0.3, training=True)
    out = check(fn, a)
    y = out.detach().numpy()
    neg = a <= 0
    slopes = y[neg] / a[neg]
    assert np.all((slopes >= 0.1 - 1e-6) & (slopes <= 0.3 + 1e-6))
    np.testing.assert_array_equal(y[~neg], a[~neg])


def test_rrelu_training_generator_and_grad():
    a = spread(30, dtype=np.float64)
    g = ember.Generator().manual_seed(3)
    x = ember.from_numpy(a.copy()).requires_grad_()
    y = ember.rrelu(x, 0.2, 0.5, True, g)
    assert y.grad_fn.name() == "RreluWithNoiseBackward0"
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), y.detach().numpy() / a)
    check_gradcheck(lambda x: F_E.rrelu(x, 0.2, 0.5, training=True, generator=ember.Generator().manual_seed(1)), a)


# ============================================================================ dtypes, errors

@pytest.mark.parametrize("name", ["relu6", "hardtanh", "hardtanh_bounds", "threshold", "softsign", "tanhshrink",
                                  "relu"])
def test_integer_inputs_that_work(name):
    check(ACT[name], np.array([[1, -3, 9, 0, 2, -1]], dtype=np.int64), grad=False)


def test_integer_bounds_truncate():
    check(lambda L, x: F(L).hardtanh(x, -2.5, 0.5), np.array([1, -3, 0]), grad=False)
    check(lambda L, x: F(L).threshold(x, 1.5, 0.5), np.array([1, 2, 3]), grad=False)


@pytest.mark.parametrize("name", ["leaky_relu", "elu", "selu", "celu", "gelu", "silu", "mish", "hardswish",
                                  "hardsigmoid", "softplus", "softshrink", "hardshrink", "logsigmoid", "rrelu_eval",
                                  "glu"])
@pytest.mark.parametrize("dtype", [np.int64, np.bool_])
def test_integer_inputs_raise(name, dtype):
    a = np.array([[1, 0, 1, 1]], dtype=dtype)
    e, t = check_raises(ACT[name], a)
    assert str(e) == str(t)


@pytest.mark.parametrize("fn", [
    lambda L: F(L).gelu(L.ones(2), approximate="foo"),
    lambda L: F(L).gelu(L.ones(2), "tanh"),
    lambda L: F(L).softshrink(L.ones(2), -1.0),
    lambda L: F(L).softshrink(L.ones(2, dtype=L.float64), -0.5),
    lambda L: F(L).hardtanh(L.ones(2), 2.0, 1.0),
    lambda L: F(L).glu(L.tensor(1.0)),
    lambda L: F(L).glu(L.ones(3, 3)),
    lambda L: F(L).glu(L.ones(3, 4), 5),
    lambda L: F(L).rrelu(L.ones(3), 0.5, 0.1, training=True),
    lambda L: F(L).celu(L.ones(3), 0.0),
    lambda L: F(L).relu6(L.tensor([True])),
])
def test_errors(fn):
    same_error(fn)


def test_softmin_implicit_dim_warns():
    for L in (ember, torch):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            F(L).softmin(L.ones(2, 3))
        assert [str(m.message) for m in w] == [
            "Implicit dimension choice for softmin has been deprecated. Change the call to include dim=X as an "
            "argument."]
        assert w[0].filename == __file__


def test_softmin_dtype():
    check(lambda L, x: F(L).softmin(x, 1, dtype=L.float64), randn(3, 4))


def test_stability_extremes():
    a = np.array([-1000.0, -50.0, -20.0, 0.0, 20.0, 50.0, 1000.0], dtype=np.float32)
    for name in ["softplus", "logsigmoid", "silu", "mish", "gelu", "elu", "selu", "celu", "softplus_beta"]:
        check(ACT[name], a)


@settings(max_examples=25, deadline=None)
@given(shape=st.lists(st.integers(1, 4), min_size=0, max_size=3), seed=st.integers(0, 100),
       name=st.sampled_from(["elu", "gelu", "gelu_tanh", "softplus", "logsigmoid", "leaky_relu", "hardswish", "mish",
                             "silu", "hardtanh", "softshrink"]))
def test_shapes_hypothesis(shape, seed, name):
    check(ACT[name], spread(*shape, seed=seed) if shape else np.array(spread(1, seed=seed)[0]))
