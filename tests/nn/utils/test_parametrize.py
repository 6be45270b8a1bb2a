"""nn.utils.parametrize and parametrizations.orthogonal against torch: class swap, keys, reprs, values, grads."""
import copy
import pickle

import numpy as np
import pytest
import torch

import ember
from conftest import assert_same, same_error
from nn.layer_check import layer_check

X = np.random.default_rng(1).standard_normal((2, 4)).astype(np.float32)


def _param_classes(lib):
    nn = lib.nn

    class Symmetric(nn.Module):
        def forward(self, X):
            return X.triu() + X.triu(1).mT

        def right_inverse(self, A):
            return A.triu()

    class Scale(nn.Module):
        def forward(self, X):
            return 2 * X

        def right_inverse(self, A):
            return A / 2

    class Split(nn.Module):
        """right_inverse returns two tensors: original0 and original1."""

        def forward(self, A, B):
            return A + B

        def right_inverse(self, W):
            return W / 4, 3 * W / 4

    class NoInverse(nn.Module):
        def forward(self, X):
            return X * X

    return Symmetric, Scale, Split, NoInverse


def _same_state(e_mod, t_mod, atol=1e-6):
    t_sd, e_sd = t_mod.state_dict(), e_mod.state_dict()
    assert list(e_sd) == list(t_sd)
    for k in t_sd:
        assert_same(e_sd[k], t_sd[k], atol=atol, what=k)


def _symmetric_linear(lib):
    Symmetric, Scale, _, _ = _param_classes(lib)
    m = lib.nn.Linear(4, 4)
    lib.nn.utils.parametrize.register_parametrization(m, "weight", Symmetric())
    lib.nn.utils.parametrize.register_parametrization(m, "weight", Scale())
    return m


def test_register_chain_repr_keys_forward_backward():
    e, t = layer_check(_symmetric_linear, X)
    assert type(e).__name__ == type(t).__name__ == "ParametrizedLinear"
    assert type(e).__bases__ == (ember.nn.Linear,)
    assert isinstance(e.parametrizations.weight, ember.nn.utils.parametrize.ParametrizationList)
    assert isinstance(e.parametrizations.weight.original, ember.nn.Parameter)
    assert_same(e.weight, t.weight)
    assert [n for n, _ in e.named_parameters()] == [n for n, _ in t.named_parameters()]
    assert [n for n, _ in e.named_modules()] == [n for n, _ in t.named_modules()]
    assert ember.nn.utils.parametrize.is_parametrized(e) and ember.nn.utils.parametrize.is_parametrized(e, "weight")
    assert not ember.nn.utils.parametrize.is_parametrized(e, "bias")
    assert ember.nn.utils.parametrize.type_before_parametrizations(e) is ember.nn.Linear


def test_assign_goes_through_right_inverse():
    a = np.random.default_rng(2).standard_normal((4, 4)).astype(np.float32)
    mods = {}
    for lib in (torch, ember):
        lib.manual_seed(0)
        m = mods[lib] = _symmetric_linear(lib)
        orig = m.parametrizations.weight.original
        m.weight = lib.from_numpy(a + a.T)
        assert m.parametrizations.weight.original is orig  # the stored Parameter object survives
    _same_state(mods[ember], mods[torch])
    assert_same(mods[ember].weight, mods[torch].weight)


def test_right_inverse_sequence_original0_original1():
    def build(lib):
        _, _, Split, _ = _param_classes(lib)
        m = lib.nn.Linear(4, 3)
        lib.nn.utils.parametrize.register_parametrization(m, "weight", Split(), unsafe=True)
        return m
    e, t = layer_check(build, X)
    assert list(e.state_dict()) == ["bias", "parametrizations.weight.original0", "parametrizations.weight.original1"]
    assert not hasattr(e.parametrizations.weight, "original")
    assert e.parametrizations.weight.ntensors == 2 and not e.parametrizations.weight.is_tensor
    with pytest.raises(ValueError, match="Cannot leave unparametrized"):
        ember.nn.utils.parametrize.remove_parametrizations(e, "weight", leave_parametrized=False)


@pytest.mark.parametrize("leave", [True, False])
def test_remove_parametrizations(leave):
    mods = {}
    for lib in (torch, ember):
        lib.manual_seed(0)
        m = mods[lib] = _symmetric_linear(lib)
        orig = m.parametrizations.weight.original
        bias = m.bias
        lib.nn.utils.parametrize.remove_parametrizations(m, "weight", leave_parametrized=leave)
        assert m.weight is orig and m.bias is bias and isinstance(m.weight, lib.nn.Parameter)
        assert type(m) is lib.nn.Linear and not hasattr(m, "parametrizations")
    assert repr(mods[ember]) == repr(mods[torch])
    _same_state(mods[ember], mods[torch])


def test_remove_one_of_two_keeps_class():
    mods = {}
    for lib in (torch, ember):
        lib.manual_seed(0)
        m = mods[lib] = _symmetric_linear(lib)
        _, Scale, _, _ = _param_classes(lib)
        lib.nn.utils.parametrize.register_parametrization(m, "bias", Scale())
        lib.nn.utils.parametrize.remove_parametrizations(m, "weight")
        assert type(m).__name__ == "ParametrizedLinear" and "weight" not in vars(type(m))
    assert repr(mods[ember]) == repr(mods[torch])
    _same_state(mods[ember], mods[torch])


def test_buffer_parametrization_stays_buffer():
    mods = {}
    for lib in (torch, ember):
        m = mods[lib] = lib.nn.BatchNorm1d(3)
        _, Scale, _, _ = _param_classes(lib)
        lib.nn.utils.parametrize.register_parametrization(m, "running_var", Scale())
        assert "original" in m.parametrizations.running_var._buffers
    assert repr(mods[ember]) == repr(mods[torch])
    _same_state(mods[ember], mods[torch])
    assert_same(mods[ember].running_var, mods[torch].running_var)


def test_cached_computes_once():
    calls = []

    class Counting(ember.nn.Module):
        def forward(self, X):
            calls.append(1)
            return X + 1

    m = ember.nn.Linear(3, 3)
    ember.nn.utils.parametrize.register_parametrization(m, "weight", Counting())
    calls.clear()
    with ember.nn.utils.parametrize.cached():
        w1, w2 = m.weight, m.weight
        with ember.nn.utils.parametrize.cached():  # nested: the cache lives until the outer context exits
            w3 = m.weight
        w4 = m.weight
    assert w1 is w2 is w3 is w4 and len(calls) == 1
    assert m.weight is not w1 and len(calls) == 2


def test_state_dict_round_trip_between_libraries():
    mods = {}
    for lib in (torch, ember):
        lib.manual_seed(3 if lib is torch else 4)  # different values, so loading matters
        mods[lib] = _symmetric_linear(lib)
    sd = {k: ember.from_numpy(v.numpy().copy()) for k, v in mods[torch].state_dict().items()}
    res = mods[ember].load_state_dict(sd)
    assert not res.missing_keys and not res.unexpected_keys
    _same_state(mods[ember], mods[torch])


def test_deepcopy_and_pickle():
    m = _symmetric_linear(ember)
    c = copy.deepcopy(m)
    assert type(c) is type(m) and c.parametrizations.weight.original is not m.parametrizations.weight.original
    np.testing.assert_array_equal(c.weight.detach().numpy(), m.weight.detach().numpy())
    same_error(lambda lib: pickle.dumps(_symmetric_linear(lib)))


def test_errors():
    def no_attr(lib):
        _, Scale, _, _ = _param_classes(lib)
        lib.nn.utils.parametrize.register_parametrization(lib.nn.Linear(2, 2), "nope", Scale())
    same_error(no_attr)

    def shape_change(lib):
        class Row(lib.nn.Module):
            def forward(self, X):
                return X[:1]
        lib.nn.utils.parametrize.register_parametrization(lib.nn.Linear(2, 2), "weight", Row())
    same_error(shape_change)

    def shape_change_second(lib):
        class Row(lib.nn.Module):
            def forward(self, X):
                return X[:1]
        m = _symmetric_linear(lib)
        lib.nn.utils.parametrize.register_parametrization(m, "weight", Row())
    same_error(shape_change_second)

    def dtype_change(lib):
        class Dbl(lib.nn.Module):
            def forward(self, X):
                return X.double()
        lib.nn.utils.parametrize.register_parametrization(lib.nn.Linear(2, 2), "weight", Dbl())
    same_error(dtype_change)

    def no_right_inverse(lib):
        _, _, _, NoInverse = _param_classes(lib)
        m = lib.nn.Linear(2, 2)
        lib.nn.utils.parametrize.register_parametrization(m, "weight", NoInverse())
        m.weight = lib.zeros(2, 2)
    same_error(no_right_inverse)

    def not_parametrized(lib):
        lib.nn.utils.parametrize.remove_parametrizations(lib.nn.Linear(2, 2), "weight")
    same_error(not_parametrized, exact=False)

    def empty_list(lib):
        lib.nn.utils.parametrize.ParametrizationList([], lib.zeros(2))
    same_error(empty_list)


def test_transfer_parametrizations_and_params():
    src = _symmetric_linear(ember)
    dst = ember.nn.Linear(4, 4)
    ember.nn.utils.parametrize.transfer_parametrizations_and_params(src, dst)
    assert dst.parametrizations.weight.original is src.parametrizations.weight.original
    np.testing.assert_array_equal(dst.weight.detach().numpy(), src.weight.detach().numpy())


# ---------------------------------------------------------------- parametrizations.orthogonal

@pytest.mark.parametrize("shape", [(4, 4), (5, 3), (3, 5)])
@pytest.mark.parametrize("omap", [None, "matrix_exp", "cayley", "householder"])
@pytest.mark.parametrize("triv", [True, False])
def test_orthogonal(shape, omap, triv):
    def build(lib):
        m = lib.nn.Linear(shape[1], shape[0])
        return lib.nn.utils.parametrizations.orthogonal(m, orthogonal_map=omap, use_trivialization=triv)
    x = np.random.default_rng(0).standard_normal((2, shape[1])).astype(np.float32)
    # the init goes through a QR (and, for non-square, random columns drawn from the shared generator)
    e, t = layer_check(build, x, bit_identical_init=False, atol=1e-5, rtol=1e-4)
    _same_state(e, t, atol=1e-5)
    w = e.weight.detach().numpy().astype(np.float64)
    gram = w @ w.T if shape[0] < shape[1] else w.T @ w
    np.testing.assert_allclose(gram, np.eye(min(shape)), atol=1e-5)


def test_orthogonal_assign_and_batched():
    q = np.linalg.qr(np.random.default_rng(5).standard_normal((2, 4, 4)))[0].astype(np.float32)
    for omap in ("matrix_exp", "householder"):
        mods = {}
        for lib in (torch, ember):
            lib.manual_seed(0)
            m = mods[lib] = lib.nn.Module()
            m.weight = lib.nn.Parameter(lib.randn(2, 4, 4))
            lib.nn.utils.parametrizations.orthogonal(m, orthogonal_map=omap)
            m.weight = lib.from_numpy(q.copy())  # already orthogonal: becomes the new base
        _same_state(mods[ember], mods[torch], atol=1e-5)
        assert_same(mods[ember].weight, mods[torch].weight, atol=1e-5)
        np.testing.assert_allclose(mods[ember].weight.detach().numpy(), q, atol=1e-5)


def test_orthogonal_errors():
    same_error(lambda lib: lib.nn.utils.parametrizations.orthogonal(lib.nn.Linear(3, 3), orthogonal_map="qr"))
    same_error(lambda lib: lib.nn.utils.parametrizations.orthogonal(lib.nn.Linear(3, 3), "bias"))
    same_error(lambda lib: lib.nn.utils.parametrizations.orthogonal(lib.nn.Linear(3, 3), "nope"), exact=False)

    def assign_no_triv(lib):
        m = lib.nn.utils.parametrizations.orthogonal(lib.nn.Linear(3, 3), use_trivialization=False)
        m.weight = lib.eye(3)
    same_error(assign_no_triv)
