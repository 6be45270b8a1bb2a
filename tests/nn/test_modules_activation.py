"""Activation layers against torch: repr (extra_repr, inplace), state_dict, PReLU's init, forward/backward
values and grad_fn names, in-place behaviour, constructor errors and warnings."""
import warnings

import numpy as np
import pytest
import torch

import ember
from conftest import randn, same, same_error
from layer_check import layer_check

X = randn(2, 3, 4, 5)

LAYERS = [
    ("ReLU", (), {}), ("ReLU", (True,), {}), ("ReLU6", (), {}), ("ReLU6", (), {"inplace": True}),
    ("LeakyReLU", (), {}), ("LeakyReLU", (0.2, True), {}), ("ELU", (), {}), ("ELU", (0.5,), {"inplace": True}),
    ("SELU", (), {}), ("SELU", (True,), {}), ("CELU", (), {}), ("CELU", (2.0, True), {}),
    ("GELU", (), {}), ("GELU", (), {"approximate": "tanh"}), ("SiLU", (), {}), ("SiLU", (True,), {}),
    ("Mish", (), {}), ("Mish", (True,), {}), ("Sigmoid", (), {}), ("Tanh", (), {}),
    ("Softmax", (1,), {}), ("Softmax", (), {"dim": -1}), ("LogSoftmax", (2,), {}), ("Softmin", (0,), {}),
    ("Softmax2d", (), {}), ("Softplus", (), {}), ("Softplus", (2, 1), {}), ("Softsign", (), {}),
    ("Softshrink", (), {}), ("Softshrink", (0.3,), {}), ("Hardshrink", (), {}), ("Hardshrink", (1,), {}),
    ("Tanhshrink", (), {}), ("Hardtanh", (), {}), ("Hardtanh", (-0.5, 2.0, True), {}), ("Hardswish", (), {}),
    ("Hardswish", (True,), {}), ("Hardsigmoid", (), {}), ("Hardsigmoid", (True,), {}),
    ("Threshold", (0.1, 20), {}), ("Threshold", (0.1, 20, True), {}), ("GLU", (), {}), ("GLU", (1,), {}),
    ("LogSigmoid", (), {}), ("RReLU", (), {}), ("RReLU", (0.1, 0.3), {"inplace": True}),
    ("PReLU", (), {}), ("PReLU", (3,), {}), ("PReLU", (3, 0.1), {}),
]


def _id(p):
    name, args, kw = p
    return name + "".join(f"-{a}" for a in args) + "".join(f"-{k}={v}" for k, v in kw.items())


@pytest.mark.parametrize("spec", LAYERS, ids=[_id(p) for p in LAYERS])
def test_layer_matches_torch(spec):
    name, args, kw = spec
    x = randn(2, 4, 3, 6) if name == "GLU" else X
    inplace = kw.get("inplace", False) or (len(args) > 0 and args[-1] is True)

    def fwd(m, x):
        # an in-place layer needs a non-leaf input; compare what it returns and that it wrote into the input
        if inplace:
            y = x * 1
            out = m(y)
            assert out is y
            return out
        return m(x)
    layer_check(lambda lib: getattr(lib.nn, name)(*args, **kw), x, forward=fwd, atol=1e-5)


@pytest.mark.parametrize("train", [True, False])
def test_rrelu_train_and_eval(train):
    layer_check(lambda lib: lib.nn.RReLU(0.1, 0.4), X, train=train)


@pytest.mark.parametrize("shape", [(4,), (2, 3), (2, 3, 5), ()])
def test_prelu_shapes(shape):
    n = shape[1] if len(shape) >= 2 else 1
    layer_check(lambda lib: lib.nn.PReLU(n), randn(*shape))


def test_prelu_dtype_and_reset():
    def f(lib):
        m = lib.nn.PReLU(2, init=0.5, dtype=lib.float64)
        with lib.no_grad():
            m.weight.fill_(3.0)
        m.reset_parameters()
        return m.weight.detach().numpy(), str(m.weight.dtype), [n for n, _ in m.named_parameters()]
    same(f)


def test_softmax_implicit_dim_warns_like_torch():
    def f(lib):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            out = lib.nn.Softmax()(lib.ones(2, 3))
        return out.numpy(), [str(x.message) for x in w], repr(lib.nn.Softmax())
    same(f)


def test_softmax2d_error():
    same_error(lambda lib: lib.nn.Softmax2d()(lib.ones(2, 3)))


def test_hardtanh_errors_and_deprecated_keywords():
    same_error(lambda lib: lib.nn.Hardtanh(1.0, 1.0))

    def f(lib):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            m = lib.nn.Hardtanh(min_value=-2.0, max_value=3.0)
        return repr(m), [(x.category.__name__, str(x.message)) for x in w]
    same(f)


def test_inplace_module_modifies_input():
    def f(lib):
        x = lib.tensor([-1.0, 2.0, -3.0])
        y = lib.nn.ReLU(inplace=True)(x)
        z = lib.tensor([-1.0, 2.0, -3.0])
        lib.nn.LeakyReLU(0.5, inplace=True)(z)
        return x.numpy(), y is x, z.numpy()
    same(f)


def test_activations_in_sequential_repr():
    def f(lib):
        nn = lib.nn
        return repr(nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.GELU("tanh"), nn.Softmax(dim=1), nn.PReLU(),
                                  nn.Hardshrink(), nn.Threshold(0.5, 0.0), nn.ReLU6(True), nn.Hardtanh(-2, 2)))
    same(f)


@pytest.mark.parametrize("name,args", [("ReLU", ()), ("ELU", ()), ("LeakyReLU", ()), ("GELU", ()), ("Softmax", (1,)),
                                       ("Hardtanh", ()), ("PReLU", ()), ("RReLU", ()), ("Threshold", (0.1, 0.2))])
def test_constants_and_attributes_match(name, args):
    t, e = getattr(torch.nn, name)(*args), getattr(ember.nn, name)(*args)
    assert e.__constants__ == t.__constants__
    for k in t.__constants__:
        assert getattr(e, k) == getattr(t, k)


def test_all_activation_classes_exist():
    names = ["CELU", "ELU", "GELU", "GLU", "Hardshrink", "Hardsigmoid", "Hardswish", "Hardtanh", "LeakyReLU",
             "LogSigmoid", "LogSoftmax", "Mish", "PReLU", "RReLU", "ReLU", "ReLU6", "SELU", "SiLU", "Sigmoid",
             "Softmax", "Softmax2d", "Softmin", "Softplus", "Softshrink", "Softsign", "Tanh", "Tanhshrink",
             "Threshold"]
    for n in names:
        t, e = getattr(torch.nn, n), getattr(ember.nn, n)
        assert [c.__name__ for c in t.__mro__ if c.__module__.startswith("torch.nn.modules.activation")] == \
               [c.__name__ for c in e.__mro__ if c.__module__.startswith("ember.nn.modules.activation")
                and not c.__name__.startswith("_")]
    assert np.all([hasattr(ember.nn.modules.activation, n) for n in names])
