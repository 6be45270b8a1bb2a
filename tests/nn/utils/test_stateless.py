"""functional_call (nn.utils.stateless and ember.func) against torch: swapped tensors, grads, ties, restoration."""
import warnings

import numpy as np
import pytest
import torch

import ember
from conftest import assert_same, same_error

RNG = np.random.default_rng(0)
X = RNG.standard_normal((3, 4)).astype(np.float32)
W = RNG.standard_normal((2, 4)).astype(np.float32)
B = RNG.standard_normal((2,)).astype(np.float32)


def _fc(lib):
    return lib.func.functional_call


def _tied(lib):
    class Tied(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.a = lib.nn.Linear(4, 4, bias=False)
            self.b = lib.nn.Linear(4, 4, bias=False)
            self.b.weight = self.a.weight

        def forward(self, x):
            return self.b(self.a(x))
    return Tied()


def test_swaps_in_and_restores_with_grads():
    res = {}
    for lib in (torch, ember):
        lib.manual_seed(0)
        m = lib.nn.Linear(4, 2)
        orig = dict(m.named_parameters())
        w = lib.from_numpy(W.copy()).requires_grad_()
        x = lib.from_numpy(X.copy())
        out = _fc(lib)(m, {"weight": w}, x)  # args: one tensor, not a tuple
        out.sum().backward()
        assert m.weight is orig["weight"] and m.bias is orig["bias"] and m.weight.grad is None
        res[lib] = (out, w.grad, m.bias.grad)
    for e, t in zip(res[ember], res[torch]):
        assert_same(e, t)


def test_kwargs_and_list_of_dicts():
    outs = {}
    for lib in (torch, ember):
        m = lib.nn.Bilinear(4, 4, 2)
        d1 = {"weight": lib.ones(2, 4, 4)}
        d2 = {"bias": lib.from_numpy(B.copy())}
        outs[lib] = _fc(lib)(m, [d1, d2], (lib.from_numpy(X.copy()),), {"input2": lib.from_numpy(X.copy())})
    assert_same(outs[ember], outs[torch])
    same_error(lambda lib: _fc(lib)(lib.nn.Linear(2, 2), [{"bias": lib.zeros(2)}, {"bias": lib.ones(2)}],
                                    (lib.zeros(1, 2),)))
    same_error(lambda lib: _fc(lib)(lib.nn.Linear(2, 2), [{"bias": lib.zeros(2)}, 3], (lib.zeros(1, 2),)))
    same_error(lambda lib: _fc(lib)(lib.nn.Linear(2, 2), 3, (lib.zeros(1, 2),)))


def test_buffers_updated_in_the_given_tensor():
    res = {}
    for lib in (torch, ember):
        m = lib.nn.BatchNorm1d(4)
        rm = lib.zeros(4)
        out = _fc(lib)(m, {"running_mean": rm}, (lib.from_numpy(X.copy()),))
        assert m.running_mean is not rm and not m.running_mean.any()
        res[lib] = (out, rm, m.num_batches_tracked)
    for e, t in zip(res[ember], res[torch]):
        assert_same(e, t)


def test_tie_weights():
    x = RNG.standard_normal((2, 4)).astype(np.float32)
    w = RNG.standard_normal((4, 4)).astype(np.float32)
    for tie in (True, False):
        outs = {}
        for lib in (torch, ember):
            lib.manual_seed(0)
            outs[lib] = _fc(lib)(_tied(lib), {"a.weight": lib.from_numpy(w.copy())}, (lib.from_numpy(x.copy()),),
                                 tie_weights=tie)
        assert_same(outs[ember], outs[torch])
    same_error(lambda lib: _fc(lib)(_tied(lib), {"a.weight": lib.zeros(4, 4), "b.weight": lib.ones(4, 4)},
                                    (lib.zeros(1, 4),)))


def test_strict_messages():
    same_error(lambda lib: _fc(lib)(lib.nn.Linear(2, 2), {"weight": lib.zeros(2, 2), "extra": lib.zeros(1)},
                                    (lib.zeros(1, 2),), strict=True))


def test_restores_after_exception_and_new_attribute():
    m = ember.nn.Linear(4, 2)
    w = m.weight
    with pytest.raises(RuntimeError):
        ember.func.functional_call(m, {"weight": ember.zeros(2, 3)}, (ember.from_numpy(X.copy()),))
    assert m.weight is w
    # a name that is not a member becomes a plain attribute for the call only
    ember.func.functional_call(m, {"extra": ember.zeros(1)}, (ember.from_numpy(X.copy()),))
    assert not hasattr(m, "extra")


def test_parametrized_module():
    outs = {}
    for lib in (torch, ember):
        lib.manual_seed(0)
        m = lib.nn.utils.parametrizations.weight_norm(lib.nn.Linear(4, 2))
        outs[lib] = _fc(lib)(m, {"parametrizations.weight.original1": lib.from_numpy(W.copy())},
                             (lib.from_numpy(X.copy()),))
    assert_same(outs[ember], outs[torch])


def test_stateless_alias_warns():
    msgs, outs = {}, {}
    for lib in (torch, ember):
        with warnings.catch_warnings(record=True) as rec:
            warnings.simplefilter("always")
            outs[lib] = lib.nn.utils.stateless.functional_call(lib.nn.Linear(4, 2), {
                "weight": lib.from_numpy(W.copy()), "bias": lib.from_numpy(B.copy())}, lib.from_numpy(X.copy()))
        msgs[lib] = [(r.category, str(r.message)) for r in rec]
    assert msgs[ember] == msgs[torch]
    assert_same(outs[ember], outs[torch])
