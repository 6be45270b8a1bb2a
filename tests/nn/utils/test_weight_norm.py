"""Weight normalization against torch: parametrizations.weight_norm and the hook-based nn.utils.weight_norm."""
import warnings

import numpy as np
import pytest
import torch

import ember
from conftest import assert_same, check, check_gradcheck, same_error
from nn.layer_check import layer_check

X = np.random.default_rng(1).standard_normal((2, 3, 5, 5)).astype(np.float32)
XL = np.random.default_rng(1).standard_normal((2, 4)).astype(np.float32)


def _same_state(e_mod, t_mod, atol=1e-6):
    t_sd, e_sd = t_mod.state_dict(), e_mod.state_dict()
    assert list(e_sd) == list(t_sd)
    for k in t_sd:
        assert_same(e_sd[k], t_sd[k], atol=atol, what=k)


def _quiet(fn, *a, **k):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        return fn(*a, **k)


# ---------------------------------------------------------------- the ops

@pytest.mark.parametrize("dim", [0, 1, 2, -1, -3])
def test_norm_except_dim_and_weight_norm_op(dim):
    v = np.random.default_rng(0).standard_normal((4, 3, 2)).astype(np.float32)
    # dim=-1 is the whole-tensor norm: torch's Tensor.norm records NormBackward0, ember's LinalgVectorNormBackward0
    check(lambda lib, v: lib.norm_except_dim(v, 2, dim), v, check_grad_fn=dim != -1)
    gshape = tuple(torch.norm_except_dim(torch.from_numpy(v), 2, dim).shape)
    g = np.random.default_rng(1).standard_normal(gshape).astype(np.float32)
    check(lambda lib, v, g: lib._weight_norm(v, g, dim), v, g)
    check_gradcheck(lambda v, g: ember._weight_norm(v, g, dim), v, g)


def test_weight_norm_op_double_backward():
    v = ember.from_numpy(np.random.default_rng(0).standard_normal((4, 3))).requires_grad_()
    g = ember.from_numpy(np.random.default_rng(1).standard_normal((4, 1))).requires_grad_()
    assert ember.autograd.gradgradcheck(lambda v, g: ember._weight_norm(v, g, 0), (v, g))


def test_norm_except_dim_errors():
    same_error(lambda lib: lib.norm_except_dim(lib.zeros(2, 3), 2, 5))


# ---------------------------------------------------------------- parametrizations.weight_norm

@pytest.mark.parametrize("dim", [0, 1, None])
def test_parametrized_weight_norm_conv(dim):
    # g is a norm: equal up to float32 rounding, not bit for bit
    e, t = layer_check(lambda lib: lib.nn.utils.parametrizations.weight_norm(lib.nn.Conv2d(3, 4, 3), dim=dim), X,
                       bit_identical_init=False)
    _same_state(e, t)
    assert list(e.state_dict()) == ["bias", "parametrizations.weight.original0", "parametrizations.weight.original1"]
    assert_same(e.weight, t.weight)
    assert_same(e.parametrizations.weight.original0.grad, t.parametrizations.weight.original0.grad)


def test_parametrized_weight_norm_remove_and_assign():
    w = np.random.default_rng(3).standard_normal((3, 4)).astype(np.float32)
    mods = {}
    for lib in (torch, ember):
        lib.manual_seed(0)
        m = mods[lib] = lib.nn.utils.parametrizations.weight_norm(lib.nn.Linear(4, 3))
        m.weight = lib.from_numpy(w.copy())  # right_inverse: g = ||w||, v = w
    _same_state(mods[ember], mods[torch])
    np.testing.assert_allclose(mods[ember].weight.detach().numpy(), w, rtol=1e-5)
    for lib in (torch, ember):
        lib.nn.utils.parametrize.remove_parametrizations(mods[lib], "weight")
        assert isinstance(mods[lib].weight, lib.nn.Parameter) and type(mods[lib]) is lib.nn.Linear
    assert repr(mods[ember]) == repr(mods[torch])
    _same_state(mods[ember], mods[torch])


def test_parametrized_weight_norm_loads_old_state_dict():
    """A state dict from the hook-based weight_norm (weight_g / weight_v) loads through the compat hook."""
    torch.manual_seed(5)
    old = _quiet(torch.nn.utils.weight_norm, torch.nn.Linear(4, 3))
    sd = {k: ember.from_numpy(v.detach().numpy().copy()) for k, v in old.state_dict().items()}
    assert set(sd) == {"bias", "weight_g", "weight_v"}
    new = ember.nn.utils.parametrizations.weight_norm(ember.nn.Linear(4, 3))
    res = new.load_state_dict(sd)
    assert not res.missing_keys and not res.unexpected_keys
    assert_same(new.weight, old.weight.detach())


# ---------------------------------------------------------------- hook-based nn.utils.weight_norm

def test_old_weight_norm_warns_like_torch():
    msgs = {}
    for lib in (torch, ember):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            lib.nn.utils.weight_norm(lib.nn.Linear(3, 4))
        msgs[lib] = [(x.category, str(x.message)) for x in w]
    assert msgs[ember] == msgs[torch] and msgs[torch][0][0] is FutureWarning


@pytest.mark.parametrize("dim", [0, 1, None])
def test_old_weight_norm_conv(dim):
    e, t = layer_check(lambda lib: _quiet(lib.nn.utils.weight_norm, lib.nn.Conv2d(3, 4, 3), dim=dim), X,
                       bit_identical_init=False)
    _same_state(e, t)
    assert list(e.state_dict()) == ["bias", "weight_g", "weight_v"]
    assert "weight" not in e._parameters and "weight" in vars(e)  # a plain attribute, recomputed by the hook
    assert_same(e.weight, t.weight)
    assert_same(e.weight_g.grad, t.weight_g.grad)
    assert_same(e.weight_v.grad, t.weight_v.grad)


def test_old_weight_norm_named_bias_and_remove():
    mods = {}
    for lib in (torch, ember):
        lib.manual_seed(0)
        m = mods[lib] = _quiet(lib.nn.utils.weight_norm, lib.nn.Linear(4, 3), name="bias")
        with lib.no_grad():
            m.bias_g.mul_(2.0)  # the hook recomputes bias from the changed magnitude at the next call
        m(lib.from_numpy(XL.copy()))
    assert_same(mods[ember].bias, mods[torch].bias)
    _same_state(mods[ember], mods[torch])
    for lib in (torch, ember):
        lib.nn.utils.remove_weight_norm(mods[lib], "bias")
        assert isinstance(mods[lib].bias, lib.nn.Parameter) and not mods[lib]._forward_pre_hooks
    assert list(mods[ember].state_dict()) == ["weight", "bias"]
    _same_state(mods[ember], mods[torch])


def test_old_weight_norm_errors():
    def twice(lib):
        m = _quiet(lib.nn.utils.weight_norm, lib.nn.Linear(2, 2))
        _quiet(lib.nn.utils.weight_norm, m)
    same_error(twice)
    same_error(lambda lib: lib.nn.utils.remove_weight_norm(lib.nn.Linear(2, 2)), exact=False)
