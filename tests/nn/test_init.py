"""nn.init against torch: values bit-identical under the same seed (and with an explicit Generator),
statistics of the random initialisers, gains, fans, and torch's errors and warnings."""
import math
import warnings

import numpy as np
import pytest
import torch

import ember
from conftest import same, same_error


def run(lib, name, shape, seed=0, generator=False, **kw):
    lib.manual_seed(seed)
    t = lib.empty(*shape)
    fn = getattr(lib.nn.init, name)
    if generator and name not in ("constant_", "ones_", "zeros_", "eye_", "dirac_"):
        g = lib.Generator()
        g.manual_seed(seed + 7)
        kw["generator"] = g
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = fn(t, **kw)
    assert r is t
    return t.numpy().copy(), lib.rand(2).numpy()  # the second shows the generator's state afterwards


CASES = [
    ("uniform_", (5, 7), {}), ("uniform_", (3,), {"a": -2.0, "b": 5.0}),
    ("normal_", (4, 6), {}), ("normal_", (10,), {"mean": 3.0, "std": 0.5}),
    ("trunc_normal_", (8, 9), {}), ("trunc_normal_", (300,), {"std": 0.02}),
    ("trunc_normal_", (50, 4), {"mean": 0.0, "std": 1.0, "a": 0.5, "b": 3.0}),
    ("trunc_normal_", (500,), {"mean": 0.0, "std": 1.0, "a": -0.1, "b": 0.1}),
    ("constant_", (2, 3), {"val": 0.25}), ("ones_", (3, 2), {}), ("zeros_", (4,), {}),
    ("eye_", (3, 5), {}), ("eye_", (4, 2), {}),
    ("dirac_", (4, 2, 3), {}), ("dirac_", (4, 2, 3, 3), {"groups": 2}), ("dirac_", (6, 3, 2, 3, 3), {"groups": 3}),
    ("xavier_uniform_", (5, 7), {}), ("xavier_uniform_", (4, 3, 3, 3), {"gain": 2.0}),
    ("xavier_normal_", (5, 7), {}), ("xavier_normal_", (8, 2, 5), {"gain": 0.5}),
    ("kaiming_uniform_", (5, 7), {}), ("kaiming_uniform_", (6, 3, 3), {"a": math.sqrt(5)}),
    ("kaiming_uniform_", (6, 4), {"mode": "fan_out", "nonlinearity": "relu"}),
    ("kaiming_normal_", (5, 7), {}), ("kaiming_normal_", (4, 3, 2, 2), {"mode": "FAN_OUT", "nonlinearity": "tanh"}),
    ("sparse_", (10, 6), {"sparsity": 0.3}), ("sparse_", (5, 3), {"sparsity": 0.9, "std": 1.0}),
]


@pytest.mark.parametrize("name,shape,kw", CASES, ids=[f"{c[0]}{c[1]}{i}" for i, c in enumerate(CASES)])
@pytest.mark.parametrize("generator", [False, True])
def test_values_bit_identical(name, shape, kw, generator):
    (te, ta), (ee, ea) = run(torch, name, shape, generator=generator, **kw), run(ember, name, shape,
                                                                                generator=generator, **kw)
    assert ee.dtype == te.dtype and ee.shape == te.shape
    np.testing.assert_array_equal(ee, te)
    np.testing.assert_array_equal(ea, ta)


@pytest.mark.parametrize("shape,gain", [((5, 7), 1), ((7, 5), 1), ((3, 4, 5), 2.0), ((6, 6), 0.5), ((1, 9), 1)])
@pytest.mark.parametrize("generator", [False, True])
def test_orthogonal_matches_torch(shape, gain, generator):
    # NumPy's and torch's LAPACK QR round differently in the last bits; the sign convention is the same
    (te, ta), (ee, ea) = run(torch, "orthogonal_", shape, generator=generator, gain=gain), \
        run(ember, "orthogonal_", shape, generator=generator, gain=gain)
    np.testing.assert_allclose(ee, te, atol=1e-6)
    np.testing.assert_array_equal(ea, ta)
    flat = ee.reshape(shape[0], -1) / gain
    small = min(flat.shape)
    gram = flat @ flat.T if flat.shape[0] == small else flat.T @ flat
    np.testing.assert_allclose(gram, np.eye(small), atol=1e-5)


def test_float64_and_parameter_targets():
    def f(lib):
        lib.manual_seed(0)
        p = lib.nn.Parameter(lib.empty(4, 3, dtype=lib.float64))
        lib.nn.init.kaiming_uniform_(p, a=math.sqrt(5))
        q = lib.nn.Parameter(lib.empty(3, 3))
        lib.nn.init.trunc_normal_(q, std=0.1)
        return p.detach().numpy(), q.detach().numpy(), p.requires_grad, p.grad_fn is None, p._version
    same(f, atol=0)


def test_statistics():
    ember.manual_seed(1)
    n = 200_000
    t = ember.empty(n // 500, 500)
    ember.nn.init.kaiming_normal_(t, nonlinearity="relu")
    assert abs(t.std().item() - math.sqrt(2 / 500)) < 1e-3
    ember.nn.init.xavier_uniform_(t)
    bound = math.sqrt(6 / (500 + n // 500))
    assert t.abs().max().item() <= bound and abs(t.std().item() - bound / math.sqrt(3)) < 1e-3
    ember.nn.init.trunc_normal_(t, mean=1.0, std=2.0, a=-1.0, b=2.0)
    x = t.numpy()
    assert x.min() >= -1.0 and x.max() <= 2.0 and abs(x.mean() - 0.5867) < 0.01  # truncated-normal mean
    ember.nn.init.sparse_(t, sparsity=0.25)
    assert abs((t.numpy() == 0).mean() - 0.25) < 0.01


@pytest.mark.parametrize("args", [("linear",), ("conv2d",), ("sigmoid",), ("tanh",), ("relu",), ("leaky_relu",),
                                  ("leaky_relu", 0.2), ("leaky_relu", 3), ("selu",)])
def test_calculate_gain(args):
    same(lambda lib: lib.nn.init.calculate_gain(*args))


@pytest.mark.parametrize("args", [("leaky_relu", True), ("leaky_relu", "x"), ("softmax",)])
def test_calculate_gain_errors(args):
    same_error(lambda lib: lib.nn.init.calculate_gain(*args))


@pytest.mark.parametrize("shape", [(3, 4), (5, 2, 3), (6, 3, 2, 2), (2, 1, 3, 3, 3)])
def test_fan_in_fan_out(shape):
    same(lambda lib: lib.nn.init._calculate_fan_in_and_fan_out(lib.empty(*shape)))


@pytest.mark.parametrize("code", [
    "init._calculate_fan_in_and_fan_out(lib.empty(3))",
    "init.xavier_uniform_(lib.empty(3))",
    "init.kaiming_uniform_(lib.empty(3, 3), mode='fan_avg')",
    "init.kaiming_normal_(lib.empty(3, 3), nonlinearity='nope')",
    "init.eye_(lib.empty(3, 3, 3))",
    "init.dirac_(lib.empty(3, 3))",
    "init.dirac_(lib.empty(3, 3, 3), groups=2)",
    "init.orthogonal_(lib.empty(3))",
    "init.sparse_(lib.empty(3, 3, 3), 0.1)",
    "init.normal_(lib.empty(3), std=-0.5)",
])
def test_errors(code):
    same_error(lambda lib: exec(code, {"lib": lib, "init": lib.nn.init}))


def test_warnings():
    def f(lib):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            lib.nn.init.kaiming_uniform_(lib.empty(0, 3))
            lib.nn.init.kaiming_normal_(lib.empty(3, 0))
            lib.nn.init.trunc_normal_(lib.empty(3), mean=10.0)
            lib.nn.init.uniform(lib.empty(2))
            lib.nn.init.xavier_normal(lib.empty(2, 2))
        return [(x.category.__name__, str(x.message)) for x in w]
    same(f)


def test_runs_under_no_grad_on_leaf_requiring_grad():
    def f(lib):
        lib.manual_seed(0)
        w = lib.empty(3, 3, requires_grad=True)
        init = lib.nn.init
        for fn in (init.uniform_, init.normal_, init.trunc_normal_, init.ones_, init.zeros_, init.eye_,
                   init.xavier_uniform_, init.xavier_normal_, init.kaiming_uniform_, init.kaiming_normal_,
                   init.orthogonal_):
            fn(w)
        init.constant_(w, 2.0)
        init.sparse_(w, 0.5)
        return w.grad_fn is None, w.requires_grad, w._version
    same(f)


def test_empty_orthogonal_is_noop():
    same(lambda lib: lib.nn.init.orthogonal_(lib.empty(0, 3)).shape == (0, 3))
