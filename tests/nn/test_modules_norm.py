"""BatchNorm*/InstanceNorm*/LayerNorm/GroupNorm/RMSNorm/LocalResponseNorm against torch: reprs, state_dict keys and
buffers, init, several training steps (outputs, grads, running statistics), momentum=None, eval mode, errors."""
import numpy as np
import pytest
import torch

import ember
from conftest import randn, same_error


def nn(lib):
    return lib.nn


MODULES = {
    "bn1d": lambda L: L.nn.BatchNorm1d(3),
    "bn1d_3d": lambda L: L.nn.BatchNorm1d(3, eps=1e-3, momentum=0.3),
    "bn2d": lambda L: L.nn.BatchNorm2d(3),
    "bn2d_cma": lambda L: L.nn.BatchNorm2d(3, momentum=None),
    "bn2d_noaffine": lambda L: L.nn.BatchNorm2d(3, affine=False),
    "bn2d_nobias": lambda L: L.nn.BatchNorm2d(3, bias=False),
    "bn2d_notrack": lambda L: L.nn.BatchNorm2d(3, track_running_stats=False),
    "bn3d": lambda L: L.nn.BatchNorm3d(3, momentum=0.5),
    "in1d": lambda L: L.nn.InstanceNorm1d(3),
    "in1d_track": lambda L: L.nn.InstanceNorm1d(3, affine=True, track_running_stats=True),
    "in2d": lambda L: L.nn.InstanceNorm2d(3, affine=True),
    "in2d_track": lambda L: L.nn.InstanceNorm2d(3, track_running_stats=True, momentum=0.4),
    "in3d": lambda L: L.nn.InstanceNorm3d(3, affine=True, bias=False),
    "ln": lambda L: L.nn.LayerNorm(4),
    "ln2": lambda L: L.nn.LayerNorm([3, 4], eps=1e-3),
    "ln_noaffine": lambda L: L.nn.LayerNorm(4, elementwise_affine=False),
    "ln_nobias": lambda L: L.nn.LayerNorm(4, bias=False),
    "gn": lambda L: L.nn.GroupNorm(1, 3),
    "gn3": lambda L: L.nn.GroupNorm(3, 3, affine=False),
    "gn_nobias": lambda L: L.nn.GroupNorm(3, 3, bias=False, eps=1e-4),
    "rms": lambda L: L.nn.RMSNorm(4),
    "rms2": lambda L: L.nn.RMSNorm([3, 4], eps=1e-5, elementwise_affine=False),
    "lrn": lambda L: L.nn.LocalResponseNorm(2),
    "lrn2": lambda L: L.nn.LocalResponseNorm(3, alpha=0.01, beta=0.5, k=2.0),
}

INPUT = {"bn1d": (8, 3), "bn1d_3d": (4, 3, 5), "bn3d": (2, 3, 2, 3, 2), "in1d": (2, 3, 5), "in1d_track": (3, 5),
         "in3d": (2, 3, 2, 3, 2), "rms2": (2, 3, 4), "ln2": (2, 3, 4), "lrn2": (2, 3, 4)}


def _input_shape(name):
    return INPUT.get(name, (4, 3, 5, 4) if name.startswith(("bn", "in", "gn", "lrn")) else (2, 3, 4))


def _state(m):
    return {k: v.detach().numpy().copy() for k, v in m.state_dict().items()}


@pytest.mark.parametrize("name", sorted(MODULES))
def test_repr_state_dict_and_init(name):
    t, e = MODULES[name](torch), MODULES[name](ember)
    assert repr(e) == repr(t)
    ts, es = _state(t), _state(e)
    assert list(es) == list(ts)
    for k in ts:
        assert es[k].dtype == ts[k].dtype, k
        np.testing.assert_array_equal(es[k], ts[k], err_msg=k)
    assert [n for n, _ in e.named_parameters()] == [n for n, _ in t.named_parameters()]
    assert [n for n, _ in e.named_buffers()] == [n for n, _ in t.named_buffers()]


@pytest.mark.parametrize("name", sorted(MODULES))
def test_training_steps_then_eval(name):
    """Three train steps with random affine parameters, then two eval steps: outputs, grads, buffers."""
    shape = _input_shape(name)
    res = {}
    for L in (torch, ember):
        m = MODULES[L.__name__ == "torch" and name or name](L)
        with L.no_grad():
            for i, p in enumerate(m.parameters()):
                p.copy_(L.from_numpy(randn(*p.shape, seed=10 + i)))
        outs = []
        for step in range(5):
            if step == 3:
                m.eval()
            x = L.from_numpy(randn(*shape, seed=step) * (step + 1) + step).requires_grad_()
            y = m(x)
            y.backward(L.from_numpy(randn(*y.shape, seed=20 + step)))
            outs += [y.detach().numpy().copy(), x.grad.numpy().copy()]
        outs += [p.grad.numpy().copy() for p in m.parameters()]
        outs += list(_state(m).values())
        res[L] = outs
    assert len(res[ember]) == len(res[torch])
    for i, (a, b) in enumerate(zip(res[ember], res[torch])):
        assert a.dtype == b.dtype
        np.testing.assert_allclose(a, b, rtol=2e-4, atol=2e-5, err_msg=f"item {i}")


def test_momentum_none_cumulative_average():
    res = {}
    for L in (torch, ember):
        m = L.nn.BatchNorm1d(3, momentum=None)
        for s in range(6):
            m(L.from_numpy(randn(10, 3, seed=s) * (s + 1) + s))
        res[L] = (m.running_mean.numpy().copy(), m.running_var.numpy().copy(), int(m.num_batches_tracked))
    np.testing.assert_allclose(res[ember][0], res[torch][0], rtol=1e-5)
    np.testing.assert_allclose(res[ember][1], res[torch][1], rtol=1e-5)
    assert res[ember][2] == res[torch][2] == 6


def test_running_stats_exact_momentum_float64():
    res = {}
    for L in (torch, ember):
        m = L.nn.BatchNorm2d(2, momentum=0.25).double()
        for s in range(4):
            m(L.from_numpy(randn(3, 2, 4, 4, seed=s, dtype=np.float64) + s))
        res[L] = _state(m)
    for k in res[torch]:
        np.testing.assert_allclose(res[ember][k], res[torch][k], rtol=1e-12, err_msg=k)


def test_eval_without_running_stats_uses_batch_stats():
    for L in (torch, ember):
        m = L.nn.BatchNorm1d(3, track_running_stats=False).eval()
        y = m(L.from_numpy(randn(6, 3)))
        if L is torch:
            t = y.detach().numpy()
    np.testing.assert_allclose(y.detach().numpy(), t, rtol=1e-5, atol=1e-6)


def test_reset_running_stats_and_parameters():
    m = ember.nn.BatchNorm1d(3)
    m(ember.randn(5, 3) * 3 + 1)
    with ember.no_grad():
        m.weight.fill_(2)
    m.reset_running_stats()
    assert m.running_mean.tolist() == [0, 0, 0] and m.running_var.tolist() == [1, 1, 1]
    assert int(m.num_batches_tracked) == 0 and m.weight.tolist() == [2, 2, 2]
    m.reset_parameters()
    assert m.weight.tolist() == [1, 1, 1]


def test_num_batches_tracked_dtype_and_eval_not_updated():
    m = ember.nn.BatchNorm2d(2)
    assert m.num_batches_tracked.dtype == ember.int64
    m.eval()
    m(ember.randn(2, 2, 3, 3))
    assert int(m.num_batches_tracked) == 0 and m.running_mean.tolist() == [0, 0]


def test_load_torch_state_dict():
    t = torch.nn.BatchNorm2d(3)
    t(torch.randn(4, 3, 2, 2) * 2 + 1)
    e = ember.nn.BatchNorm2d(3)
    e.load_state_dict({k: ember.from_numpy(v.numpy().copy()) for k, v in t.state_dict().items()})
    t.eval(), e.eval()
    x = randn(2, 3, 2, 2)
    np.testing.assert_allclose(e(ember.from_numpy(x)).detach().numpy(), t(torch.from_numpy(x)).detach().numpy(),
                               rtol=1e-5, atol=1e-6)


def test_load_old_state_dict_without_num_batches_tracked():
    e = ember.nn.BatchNorm1d(3)
    sd = e.state_dict()
    del sd["num_batches_tracked"]
    sd._metadata[""]["version"] = 1
    e.load_state_dict(sd)  # version < 2: the missing key is filled in


def test_dtype_factory_kwargs():
    for L in (torch, ember):
        m = L.nn.BatchNorm1d(3, dtype=L.float64)
        assert str(m.running_mean.dtype).endswith("float64") and str(m.num_batches_tracked.dtype).endswith("int64")
        assert str(L.nn.LayerNorm(3, dtype=L.float64).weight.dtype).endswith("float64")


@pytest.mark.parametrize("cls,dims", [("BatchNorm1d", [1, 4]), ("BatchNorm2d", [3, 5]), ("BatchNorm3d", [4, 6]),
                                      ("InstanceNorm1d", [1, 4]), ("InstanceNorm2d", [2, 5]),
                                      ("InstanceNorm3d", [3, 6])])
def test_input_dim_errors(cls, dims):
    for d in dims:
        same_error(lambda L: getattr(L.nn, cls)(3)(L.randn(*([2] * d))))


def test_other_errors():
    same_error(lambda L: L.nn.BatchNorm1d(3)(L.randn(1, 3)))
    same_error(lambda L: L.nn.BatchNorm1d(3)(L.randn(4, 2)))
    same_error(lambda L: L.nn.GroupNorm(2, 3))
    same_error(lambda L: L.nn.InstanceNorm1d(3, affine=True)(L.randn(2, 4, 5)))
    same_error(lambda L: L.nn.LayerNorm(4)(L.randn(2, 3)))


def test_instance_norm_num_features_warning():
    for L in (torch, ember):
        with pytest.warns(UserWarning, match="does not match num_features"):
            L.nn.InstanceNorm1d(3)(L.randn(2, 4, 5))


def test_norm_in_a_model_trains_like_torch():
    res = {}
    for L in (torch, ember):
        L.manual_seed(0)
        model = L.nn.Sequential(L.nn.Linear(6, 8), L.nn.BatchNorm1d(8), L.nn.ReLU(), L.nn.Linear(8, 8),
                                L.nn.LayerNorm(8), L.nn.Linear(8, 2))
        losses = []
        for s in range(5):
            x = L.from_numpy(randn(16, 6, seed=s))
            loss = (model(x) ** 2).mean()
            model.zero_grad()
            loss.backward()
            with L.no_grad():
                for p in model.parameters():
                    p -= 0.1 * p.grad
            losses.append(float(loss.detach()))
        res[L] = losses + [float(v.double().sum()) for v in model.state_dict().values()]
    np.testing.assert_allclose(res[ember], res[torch], rtol=1e-4)
