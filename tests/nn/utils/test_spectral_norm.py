"""Spectral normalization against torch: parametrizations.spectral_norm and the hook-based nn.utils.spectral_norm.

u and v start from the shared generator (ember draws torch's numbers), and are also copied from torch
explicitly, so the power iterations can be compared step by step in training mode and frozen in eval mode.
"""
from collections import OrderedDict

import numpy as np
import pytest
import torch

import ember
from conftest import assert_same, same_error
from nn.layer_check import layer_check

XL = np.random.default_rng(1).standard_normal((2, 4)).astype(np.float32)
XC = np.random.default_rng(2).standard_normal((2, 3, 5, 5)).astype(np.float32)


def _same_state(e_mod, t_mod, atol=1e-5):
    t_sd, e_sd = t_mod.state_dict(), e_mod.state_dict()
    assert list(e_sd) == list(t_sd)
    for k in t_sd:
        assert_same(e_sd[k], t_sd[k], atol=atol, what=k)


def _to_ember_sd(t_sd):
    sd = OrderedDict((k, ember.from_numpy(v.detach().numpy().copy())) for k, v in t_sd.items())
    sd._metadata = t_sd._metadata
    return sd


def _run(mods, x, steps):
    outs = {}
    for lib in (torch, ember):
        for _ in range(steps):
            outs[lib] = mods[lib](lib.from_numpy(x.copy()))
    assert_same(outs[ember], outs[torch], atol=1e-5)


# ---------------------------------------------------------------- parametrizations.spectral_norm

@pytest.mark.parametrize("build, x, keys", [
    (lambda lib: lib.nn.Linear(4, 3), XL, ["bias", "parametrizations.weight.original", "parametrizations.weight.0._u",
                                         "parametrizations.weight.0._v"]),
    (lambda lib: lib.nn.Conv2d(3, 4, 3), XC, None),
    (lambda lib: lib.nn.ConvTranspose2d(3, 2, 3), XC, None),  # dim defaults to 1 here
])
def test_parametrized_forward_backward_keys(build, x, keys):
    e, t = layer_check(lambda lib: lib.nn.utils.parametrizations.spectral_norm(build(lib)), x,
                       bit_identical_init=False, atol=1e-5, rtol=1e-4)
    _same_state(e, t)
    if keys:
        assert list(e.state_dict()) == keys
    assert e.parametrizations.weight[0].dim == t.parametrizations.weight[0].dim
    assert_same(e.parametrizations.weight.original.grad, t.parametrizations.weight.original.grad, atol=1e-5)


def test_parametrized_train_updates_eval_freezes():
    mods = {}
    for lib, seed in ((torch, 0), (ember, 7)):
        lib.manual_seed(seed)
        mods[lib] = lib.nn.utils.parametrizations.spectral_norm(lib.nn.Linear(4, 5), n_power_iterations=2)
    # ember's u, v and weight are torch's, whatever its own generator drew
    mods[ember].load_state_dict(_to_ember_sd(mods[torch].state_dict()))
    _run(mods, XL, 3)
    _same_state(mods[ember], mods[torch])
    for lib in (torch, ember):
        mods[lib].eval()
    u0 = mods[ember].parametrizations.weight[0]._u.numpy().copy()
    _run(mods, XL, 2)
    np.testing.assert_array_equal(mods[ember].parametrizations.weight[0]._u.numpy(), u0)
    _same_state(mods[ember], mods[torch])
    assert_same(mods[ember].weight, mods[torch].weight, atol=1e-5)


def test_parametrized_1d_and_options():
    e, t = layer_check(lambda lib: lib.nn.utils.parametrizations.spectral_norm(lib.nn.Linear(4, 3), "bias", eps=1e-3),
                       XL, bit_identical_init=False)
    assert list(e.state_dict()) == ["weight", "parametrizations.bias.original"]  # 1-D: plain normalize, no u/v
    for dim in (0, 1, -1):
        e, t = layer_check(lambda lib: lib.nn.utils.parametrizations.spectral_norm(
            lib.nn.Conv2d(3, 4, 3), n_power_iterations=3, dim=dim), XC, bit_identical_init=False, atol=1e-5)
        _same_state(e, t)


def test_parametrized_remove_leaves_normalized_weight():
    mods = {}
    for lib in (torch, ember):
        lib.manual_seed(0)
        mods[lib] = lib.nn.utils.parametrizations.spectral_norm(lib.nn.Linear(4, 3))
    _run(mods, XL, 1)
    for lib in (torch, ember):
        m = mods[lib]
        orig = m.parametrizations.weight.original
        w = m.weight.detach().clone()
        lib.nn.utils.parametrize.remove_parametrizations(m, "weight")
        assert m.weight is orig and type(m) is lib.nn.Linear
        np.testing.assert_allclose(m.weight.detach().numpy(), w.numpy(), rtol=1e-6)
    assert repr(mods[ember]) == repr(mods[torch])
    _same_state(mods[ember], mods[torch])


def test_parametrized_errors():
    same_error(lambda lib: lib.nn.utils.parametrizations.spectral_norm(lib.nn.Linear(2, 2), n_power_iterations=0))
    same_error(lambda lib: lib.nn.utils.parametrizations.spectral_norm(lib.nn.Linear(2, 2), dim=2))
    same_error(lambda lib: lib.nn.utils.parametrizations.spectral_norm(lib.nn.Linear(2, 2), "nope"), exact=False)


# ---------------------------------------------------------------- hook-based nn.utils.spectral_norm

def test_old_layout_and_metadata():
    e, t = layer_check(lambda lib: lib.nn.utils.spectral_norm(lib.nn.Linear(4, 3)), XL, bit_identical_init=False,
                       atol=1e-5)
    _same_state(e, t)
    assert list(e.state_dict()) == ["bias", "weight_orig", "weight_u", "weight_v"]
    assert e.state_dict()._metadata[""] == t.state_dict()._metadata[""] == {
        "version": 1, "spectral_norm": {"weight.version": 1}}
    assert "weight" in vars(e) and "weight" not in e._parameters
    assert_same(e.weight_orig.grad, t.weight_orig.grad, atol=1e-5)


def test_old_train_eval_with_torch_uv():
    mods = {}
    for lib, seed in ((torch, 0), (ember, 9)):
        lib.manual_seed(seed)
        mods[lib] = lib.nn.utils.spectral_norm(lib.nn.ConvTranspose2d(3, 2, 3), n_power_iterations=2)
    res = mods[ember].load_state_dict(_to_ember_sd(mods[torch].state_dict()))
    assert not res.missing_keys and not res.unexpected_keys
    _run(mods, XC, 3)
    _same_state(mods[ember], mods[torch])
    for lib in (torch, ember):
        mods[lib].eval()
    v0 = mods[ember].weight_v.numpy().copy()
    _run(mods, XC, 2)
    np.testing.assert_array_equal(mods[ember].weight_v.numpy(), v0)
    _same_state(mods[ember], mods[torch])


def test_old_remove():
    mods = {}
    for lib in (torch, ember):
        lib.manual_seed(0)
        mods[lib] = lib.nn.utils.spectral_norm(lib.nn.Linear(4, 3))
    _run(mods, XL, 2)
    for lib in (torch, ember):
        lib.nn.utils.remove_spectral_norm(mods[lib])
        m = mods[lib]
        assert isinstance(m.weight, lib.nn.Parameter) and not m._forward_pre_hooks and not m._state_dict_hooks
    assert repr(mods[ember]) == repr(mods[torch])
    _same_state(mods[ember], mods[torch])
    assert "spectral_norm" not in mods[ember].state_dict()._metadata[""]
    # torch leaves its load pre-hook behind (so its own state dict no longer loads); ember removes it
    res = mods[ember].load_state_dict(mods[ember].state_dict())
    assert not res.missing_keys and not res.unexpected_keys


def test_old_loads_version0_state_dict():
    """Version 0 saved the normalized ``weight`` and no ``weight_v``: v is solved for on load.

    A tall weight (full column rank): for a wide one torch's float32 pinverse with rcond=1e-15 keeps the
    rounding-noise singular value and returns noise, which no other implementation reproduces.
    """
    torch.manual_seed(0)
    t = torch.nn.utils.spectral_norm(torch.nn.Linear(3, 4))
    t(torch.from_numpy(XL[:, :3].copy()))
    sd = t.state_dict()
    v0 = OrderedDict((k, v) for k, v in sd.items() if k != "weight_v")
    v0["weight"] = t.weight.detach().clone()
    v0._metadata = OrderedDict([("", {"version": 1})])
    t2 = torch.nn.utils.spectral_norm(torch.nn.Linear(3, 4))
    t2.load_state_dict(v0)
    ember.manual_seed(0)
    e2 = ember.nn.utils.spectral_norm(ember.nn.Linear(3, 4))
    e_sd = _to_ember_sd(v0)
    e_sd._metadata = OrderedDict([("", {"version": 1})])
    res = e2.load_state_dict(e_sd)
    assert not res.missing_keys and not res.unexpected_keys
    assert_same(e2.weight_v, t2.weight_v, atol=1e-4)


def test_old_errors():
    def twice(lib):
        m = lib.nn.utils.spectral_norm(lib.nn.Linear(2, 2))
        lib.nn.utils.spectral_norm(m)
    same_error(twice)
    same_error(lambda lib: lib.nn.utils.spectral_norm(lib.nn.Linear(2, 2), n_power_iterations=0))
    same_error(lambda lib: lib.nn.utils.spectral_norm(lib.nn.Linear(2, 2, bias=False), "bias"))
    same_error(lambda lib: lib.nn.utils.remove_spectral_norm(lib.nn.Linear(2, 2)), exact=False)
