"""``nn.utils.clip_grad_norm_``, ``clip_grad_value_``, ``get_total_norm``, ``clip_grads_with_norm_``,
``parameters_to_vector`` / ``vector_to_parameters`` against torch."""
import numpy as np
import pytest
import torch

import ember
from conftest import randn, same_error


def _params(L, scale=1.0, none_grad=False):
    ps = []
    for i, shape in enumerate([(3, 4), (4,), (2, 2, 2)]):
        p = L.nn.Parameter(L.from_numpy(randn(*shape, seed=i)))
        if not (none_grad and i == 1):
            p.grad = L.from_numpy(randn(*shape, seed=10 + i) * scale)
        ps.append(p)
    return ps


@pytest.mark.parametrize("norm_type", [2.0, 1, 3.5, float("inf"), 0.5, "inf"])
@pytest.mark.parametrize("max_norm", [0.5, 100.0])
@pytest.mark.parametrize("none_grad", [False, True])
def test_clip_grad_norm(norm_type, max_norm, none_grad):
    res = {}
    for L in (torch, ember):
        ps = _params(L, none_grad=none_grad)
        total = L.nn.utils.clip_grad_norm_(ps, max_norm, norm_type=norm_type)
        res[L] = (total.numpy().copy(), str(total.dtype), total.shape, total.requires_grad,
                  [None if p.grad is None else p.grad.numpy().copy() for p in ps])
    e, t = res[ember], res[torch]
    np.testing.assert_allclose(e[0], t[0], rtol=1e-5)
    assert e[1:4] == (t[1], t[2], t[3]) or (e[1] == t[1] and tuple(e[2]) == tuple(t[2]) and e[3] == t[3])
    for a, b in zip(e[4], t[4]):
        assert (a is None) == (b is None)
        if a is not None:
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-7)


def test_clip_grad_norm_single_tensor_generator_and_empty():
    for L in (torch, ember):
        p = _params(L)[0]
        t = L.nn.utils.clip_grad_norm_(p, 1.0)
        if L is torch:
            ref = (t.item(), p.grad.numpy().copy())
        else:
            np.testing.assert_allclose(t.item(), ref[0], rtol=1e-6)
            np.testing.assert_allclose(p.grad.numpy(), ref[1], rtol=1e-6)
        g = L.nn.utils.clip_grad_norm_((q for q in _params(L)), 1.0)
        assert abs(g.item() - float(torch.nn.utils.get_total_norm([q.grad for q in _params(torch)]))) < 1e-4
        with pytest.warns(UserWarning, match="empty generator"):
            z = L.nn.utils.clip_grad_norm_((q for q in []), 1.0)
        assert z.item() == 0.0 and str(z.dtype).endswith("float32")
        assert L.nn.utils.clip_grad_norm_([], 1.0).item() == 0.0


def test_clip_grad_norm_nonfinite():
    for L in (torch, ember):
        ps = _params(L)
        ps[0].grad[0, 0] = float("inf")
        assert np.isinf(L.nn.utils.clip_grad_norm_(ps, 1.0).item())

    def fn(L):
        ps = _params(L)
        ps[1].grad[0] = float("nan")
        L.nn.utils.clip_grad_norm_(ps, 1.0, error_if_nonfinite=True)
    same_error(fn)

    def fn_inf(L):
        ps = _params(L)
        ps[1].grad[0] = float("inf")
        L.nn.utils.clip_grad_norm_(ps, 1.0, norm_type=1, error_if_nonfinite=True)
    same_error(fn_inf)


@pytest.mark.parametrize("foreach", [True, False])
def test_foreach_flag(foreach):
    res = {}
    for L in (torch, ember):
        ps = _params(L)
        t = L.nn.utils.clip_grad_norm_(ps, 1.0, foreach=foreach)
        L.nn.utils.clip_grad_value_(ps, 0.05, foreach=foreach)
        res[L] = [t.numpy().copy()] + [p.grad.numpy().copy() for p in ps]
    for a, b in zip(res[ember], res[torch]):
        np.testing.assert_allclose(a, b, rtol=1e-5)


def test_clip_grad_norm_deprecated_alias():
    for L in (torch, ember):
        with pytest.warns(FutureWarning, match="clip_grad_norm_"):
            L.nn.utils.clip_grad_norm(_params(L), 1.0)


def test_clip_grad_norm_no_graph_and_version():
    ps = _params(ember)
    v = ps[0].grad._version
    t = ember.nn.utils.clip_grad_norm_(ps, 0.1)
    assert t.grad_fn is None and not t.requires_grad and ps[0].grad._version > v


def test_get_total_norm_and_clip_with_norm():
    res = {}
    for L in (torch, ember):
        ps = _params(L, scale=3.0)
        total = L.nn.utils.get_total_norm([p.grad for p in ps], 3.0)
        L.nn.utils.clip_grads_with_norm_(ps, 2.0, total)
        res[L] = [total.numpy().copy()] + [p.grad.numpy().copy() for p in ps]
    for a, b in zip(res[ember], res[torch]):
        np.testing.assert_allclose(a, b, rtol=1e-5)


@pytest.mark.parametrize("clip", [0.1, 1, 5.0])
def test_clip_grad_value(clip):
    res = {}
    for L in (torch, ember):
        ps = _params(L, none_grad=True)
        assert L.nn.utils.clip_grad_value_(ps, clip) is None
        L.nn.utils.clip_grad_value_(ps[0], clip)
        res[L] = [None if p.grad is None else p.grad.numpy().copy() for p in ps]
    for a, b in zip(res[ember], res[torch]):
        assert (a is None) == (b is None)
        if a is not None:
            np.testing.assert_array_equal(a, b)


def test_parameters_to_vector_roundtrip():
    res = {}
    for L in (torch, ember):
        m = L.nn.Linear(3, 2)
        with L.no_grad():
            for i, p in enumerate(m.parameters()):
                p.copy_(L.from_numpy(randn(*p.shape, seed=i)))
        v = L.nn.utils.parameters_to_vector(m.parameters())
        gn = v.grad_fn.name()
        L.nn.utils.vector_to_parameters(v * 2, m.parameters())
        res[L] = (v.detach().numpy().copy(), gn, m.weight.detach().numpy().copy(), m.bias.detach().numpy().copy(),
                  m.weight.requires_grad, type(m.weight).__name__)
    e, t = res[ember], res[torch]
    for a, b in zip(e[:4:2] + e[3:4], t[:4:2] + t[3:4]):
        np.testing.assert_array_equal(a, b)
    assert e[1] == t[1] and e[4:] == t[4:]
    same_error(lambda L: L.nn.utils.vector_to_parameters([1.0], L.nn.Linear(1, 1).parameters()))


def test_utils_namespace():
    for name in ["clip_grad_norm", "clip_grad_norm_", "clip_grad_value_", "clip_grads_with_norm_", "get_total_norm",
                 "parameters_to_vector", "vector_to_parameters"]:
        assert hasattr(ember.nn.utils, name), name
    assert ember.nn.utils.clip_grad.clip_grad_norm_ is ember.nn.utils.clip_grad_norm_
