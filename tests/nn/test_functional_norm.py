"""``F.batch_norm``, ``layer_norm``, ``group_norm``, ``instance_norm``, ``rms_norm``, ``local_response_norm`` and the
``torch.*`` spellings against torch: values, grads, grad_fn names, running statistics, second derivatives, errors."""
import numpy as np
import pytest
import torch

import ember
from conftest import check, check_gradcheck, randn, same_error


def F(lib):
    return lib.nn.functional


def _t(lib, a):
    return lib.from_numpy(a.copy())


# ============================================================================ batch_norm

BN_SHAPES = [(6, 3), (4, 3, 7), (3, 2, 4, 5), (2, 3, 2, 3, 4)]


@pytest.mark.parametrize("shape", BN_SHAPES)
@pytest.mark.parametrize("affine", [True, False])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_batch_norm_training(shape, affine, dtype):
    c = shape[1]
    x = randn(*shape, dtype=dtype)
    w, b = randn(c, dtype=dtype, seed=1), randn(c, dtype=dtype, seed=2)
    if affine:
        check(lambda L, x, w, b: F(L).batch_norm(x, None, None, w, b, training=True), x, w, b)
    else:
        check(lambda L, x: F(L).batch_norm(x, None, None, training=True), x)


def test_batch_norm_weight_only_and_bias_only():
    x, w = randn(5, 3, 4), randn(3, seed=1)
    check(lambda L, x, w: F(L).batch_norm(x, None, None, w, training=True), x, w)
    check(lambda L, x, b: F(L).batch_norm(x, None, None, None, b, training=True, eps=1e-3), x, w)


@pytest.mark.parametrize("shape", BN_SHAPES)
def test_batch_norm_eval(shape):
    c = shape[1]
    x, w, b = randn(*shape), randn(c, seed=1), randn(c, seed=2)
    rm, rv = randn(c, seed=3), np.abs(randn(c, seed=4)) + 0.5
    check(lambda L, x, w, b: F(L).batch_norm(x, _t(L, rm), _t(L, rv), w, b, training=False), x, w, b)
    check(lambda L, x: F(L).batch_norm(x, _t(L, rm), _t(L, rv)), x)


@pytest.mark.parametrize("momentum", [0.1, 0.5, 1.0, 0.0])
@pytest.mark.parametrize("shape", [(6, 3), (4, 3, 5, 2)])
def test_batch_norm_running_stats(momentum, shape):
    c = shape[1]
    res = {}
    for L in (torch, ember):
        rm, rv = L.zeros(c), L.ones(c)
        outs = []
        for step in range(4):
            x = _t(L, randn(*shape, seed=step) * (step + 1) + step)
            outs.append(F(L).batch_norm(x, rm, rv, training=True, momentum=momentum).numpy())
        res[L] = (rm.numpy(), rv.numpy(), outs)
    for a, b in zip(res[ember][:2], res[torch][:2]):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    for a, b in zip(res[ember][2], res[torch][2]):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)


def test_batch_norm_running_stats_version_bump():
    rm, rv = ember.zeros(3), ember.ones(3)
    v0, v1 = rm._version, rv._version
    F(ember).batch_norm(ember.randn(4, 3), rm, rv, training=True)
    assert rm._version > v0 and rv._version > v1


def test_batch_norm_one_running_stat_raises():
    same_error(lambda L: F(L).batch_norm(L.randn(4, 3), L.zeros(3), None, training=True))
    same_error(lambda L: F(L).batch_norm(L.randn(4, 3), None, L.ones(3), training=False))
    same_error(lambda L: F(L).batch_norm(L.randn(4, 3), L.zeros(3), None, training=False))


def test_batch_norm_grad_fn_names():
    x = ember.randn(4, 3, requires_grad=True)
    assert F(ember).batch_norm(x, None, None, training=True).grad_fn.name() == "NativeBatchNormBackward0"
    assert F(ember).batch_norm(x, ember.zeros(3), ember.ones(3)).grad_fn.name() == "NativeBatchNormBackward0"


def test_torch_batch_norm_spelling():
    x, w, b = randn(4, 3, 5), randn(3, seed=1), randn(3, seed=2)
    check(lambda L, x, w, b: L.batch_norm(x, w, b, None, None, True, 0.1, 1e-5, False), x, w, b)


def _double_backward(fn, *arrays, seed=5):
    """First grads with create_graph, then the grads of a function of them: both libraries, float64."""
    res = []
    for L in (torch, ember):
        ts = [L.tensor(a, requires_grad=True) for a in arrays]
        out = fn(L, *ts)
        g = L.tensor(np.random.default_rng(seed).standard_normal(tuple(out.shape)), requires_grad=True)
        grads = L.autograd.grad(out, ts, g, create_graph=True)
        s = sum((gr * gr).sum() * (i + 1) for i, gr in enumerate(grads)) + (grads[0] * out).sum()
        gg = L.autograd.grad(s, ts + [g], allow_unused=True, materialize_grads=True)
        res.append([x.detach().numpy() for x in list(grads) + list(gg)])
    for i, (a, b) in enumerate(zip(*res)):
        np.testing.assert_allclose(b, a, rtol=1e-7, atol=1e-9, err_msg=f"grad {i}")


def _f64(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


@pytest.mark.parametrize("shape", [(5, 3), (4, 3, 5), (2, 3, 2, 3)])
def test_batch_norm_double_backward_training(shape):
    c = shape[1]
    _double_backward(lambda L, x, w, b: F(L).batch_norm(x, None, None, w, b, training=True),
                     _f64(*shape), _f64(c, seed=1), _f64(c, seed=2))
    _double_backward(lambda L, x: F(L).batch_norm(x, None, None, training=True), _f64(*shape))


def test_batch_norm_double_backward_eval():
    rm, rv = _f64(3, seed=3), np.abs(_f64(3, seed=4)) + 0.5
    _double_backward(lambda L, x, w, b: F(L).batch_norm(x, L.tensor(rm), L.tensor(rv), w, b),
                     _f64(4, 3, 5), _f64(3, seed=1), _f64(3, seed=2))


def test_batch_norm_gradcheck():
    w = np.random.default_rng(1).standard_normal(3)
    check_gradcheck(lambda x, w, b: F(ember).batch_norm(x, None, None, w, b, training=True), _f64(4, 3, 2), w, w + 1)
    assert ember.autograd.gradgradcheck(
        lambda x, w: F(ember).batch_norm(x, None, None, w, None, training=True),
        (ember.tensor(_f64(4, 3), requires_grad=True), ember.tensor(w, requires_grad=True)))


def test_batch_norm_errors():
    same_error(lambda L: F(L).batch_norm(L.randn(4, 3), None, None, training=False))
    same_error(lambda L: F(L).batch_norm(L.randn(4, 3), L.zeros(4), L.ones(4), training=False))
    same_error(lambda L: F(L).batch_norm(L.randn(4, 3), None, None, L.ones(4), training=True))
    same_error(lambda L: F(L).batch_norm(L.randn(4, 3), None, None, None, L.ones(2), training=True))
    same_error(lambda L: F(L).batch_norm(L.randn(4, 3), None, None, training=True, eps=0))
    same_error(lambda L: F(L).batch_norm(L.randn(4, 3), L.zeros(3), L.ones(3), eps=-1.0))
    same_error(lambda L: F(L).batch_norm(L.randn(1, 3), None, None, training=True))
    same_error(lambda L: F(L).batch_norm(L.randn(1, 3, 1), None, None, training=True))
    same_error(lambda L: F(L).batch_norm(L.randn(3), None, None, training=True))
    same_error(lambda L: F(L).batch_norm(L.ones(4, 3, dtype=L.int32), None, None, training=True))


# ============================================================================ layer_norm

@pytest.mark.parametrize("shape,ns", [((4, 5), (5,)), ((2, 3, 4), (4,)), ((2, 3, 4), (3, 4)), ((2, 3, 4), (2, 3, 4)),
                                      ((7,), (7,))])
@pytest.mark.parametrize("affine", ["both", "weight", "none"])
def test_layer_norm(shape, ns, affine):
    wshape = ns
    x, w, b = randn(*shape), randn(*wshape, seed=1), randn(*wshape, seed=2)
    if affine == "both":
        check(lambda L, x, w, b: F(L).layer_norm(x, ns, w, b), x, w, b)
    elif affine == "weight":
        check(lambda L, x, w: F(L).layer_norm(x, ns, w, eps=1e-3), x, w)
    else:
        check(lambda L, x: F(L).layer_norm(x, ns), x)
    check(lambda L, x: F(L).layer_norm(x.double(), ns), x)


def test_layer_norm_torch_spelling_and_size_arg():
    x, w = randn(3, 4), randn(4, seed=1)
    check(lambda L, x, w: L.layer_norm(x, [4], w, None, 1e-5, False), x, w)
    check(lambda L, x: F(L).layer_norm(x, L.Size([4])), x)
    check(lambda L, x: F(L).layer_norm(x, x.shape[1:]), x)


@pytest.mark.parametrize("ns", [(5,), (3, 5)])
def test_layer_norm_double_backward(ns):
    _double_backward(lambda L, x, w, b: F(L).layer_norm(x, ns, w, b), _f64(4, 3, 5), _f64(*ns, seed=1),
                     _f64(*ns, seed=2))
    _double_backward(lambda L, x: F(L).layer_norm(x, ns), _f64(4, 3, 5))


def test_layer_norm_gradcheck():
    check_gradcheck(lambda x, w, b: F(ember).layer_norm(x, (4,), w, b), _f64(3, 4), _f64(4, seed=1), _f64(4, seed=2))
    assert ember.autograd.gradgradcheck(lambda x, w: F(ember).layer_norm(x, (4,), w),
                                        (ember.tensor(_f64(3, 4), requires_grad=True),
                                         ember.tensor(_f64(4, seed=1), requires_grad=True)))


def test_layer_norm_errors():
    same_error(lambda L: F(L).layer_norm(L.randn(4, 3, 5), (4,)))
    same_error(lambda L: F(L).layer_norm(L.randn(4, 3, 5), (3, 4)))
    same_error(lambda L: F(L).layer_norm(L.randn(4, 3, 5), (5,), L.ones(4)))
    same_error(lambda L: F(L).layer_norm(L.randn(4, 3, 5), (5,), None, L.ones(4)))
    same_error(lambda L: F(L).layer_norm(L.ones(4, 5, dtype=L.int32), (5,)))
    same_error(lambda L: F(L).layer_norm(L.randn(4, 5), 5))
    same_error(lambda L: L.layer_norm(L.randn(4, 5), [5.0]))
    same_error(lambda L: F(L).rms_norm(L.randn(4, 5), 5))


# ============================================================================ group_norm, instance_norm

@pytest.mark.parametrize("shape,g", [((2, 6, 5), 3), ((3, 4, 2, 3), 2), ((3, 4), 2), ((2, 4, 3), 1), ((2, 6, 2, 2, 2), 6)])
def test_group_norm(shape, g):
    c = shape[1]
    x, w, b = randn(*shape), randn(c, seed=1), randn(c, seed=2)
    check(lambda L, x, w, b: F(L).group_norm(x, g, w, b), x, w, b)
    check(lambda L, x: F(L).group_norm(x, g, eps=1e-3), x)
    check(lambda L, x, w: L.group_norm(x, g, w), x, w)


def test_group_norm_double_backward():
    _double_backward(lambda L, x, w, b: F(L).group_norm(x, 2, w, b), _f64(3, 4, 5), _f64(4, seed=1), _f64(4, seed=2))


def test_group_norm_errors():
    same_error(lambda L: F(L).group_norm(L.randn(4, 3, 5), 2))
    same_error(lambda L: F(L).group_norm(L.randn(4, 3, 5), 3, L.ones(2)))
    same_error(lambda L: F(L).group_norm(L.randn(3), 3))
    same_error(lambda L: F(L).group_norm(L.randn(1, 3), 3))


@pytest.mark.parametrize("shape", [(2, 3, 5), (3, 2, 4, 3), (2, 2, 2, 3, 2)])
def test_instance_norm(shape):
    c = shape[1]
    x, w, b = randn(*shape), randn(c, seed=1), randn(c, seed=2)
    check(lambda L, x: F(L).instance_norm(x), x)
    check(lambda L, x, w, b: F(L).instance_norm(x, weight=w, bias=b), x, w, b)


def test_instance_norm_running_stats_and_eval():
    c = 3
    res = {}
    for L in (torch, ember):
        rm, rv = L.zeros(c), L.ones(c)
        outs = [F(L).instance_norm(_t(L, randn(4, c, 5, seed=s) + s), rm, rv, momentum=0.3).numpy()
                for s in range(3)]
        outs.append(F(L).instance_norm(_t(L, randn(4, c, 5, seed=9)), rm, rv, use_input_stats=False).numpy())
        res[L] = [rm.numpy(), rv.numpy()] + outs
    for a, b in zip(res[ember], res[torch]):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5)


def test_instance_norm_graph_and_errors():
    x = ember.randn(2, 3, 4, requires_grad=True)
    assert F(ember).instance_norm(x).grad_fn.name() == "ViewBackward0"
    same_error(lambda L: F(L).instance_norm(L.randn(4, 3, 1)))
    same_error(lambda L: F(L).instance_norm(L.randn(4, 3, 5), use_input_stats=False))


# ============================================================================ rms_norm, local_response_norm

@pytest.mark.parametrize("ns", [(5,), (3, 5)])
@pytest.mark.parametrize("eps", [None, 1e-3])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_rms_norm(ns, eps, dtype):
    x, w = randn(2, 3, 5, dtype=dtype), randn(*ns, dtype=dtype, seed=1)
    check(lambda L, x, w: F(L).rms_norm(x, ns, w, eps), x, w)
    check(lambda L, x: F(L).rms_norm(x, ns, eps=eps), x)
    check(lambda L, x: L.rms_norm(x, ns), x)


def test_rms_norm_tiny_inputs_use_dtype_eps():
    x = (randn(3, 4) * 1e-5).astype(np.float32)
    check(lambda L, x: F(L).rms_norm(x, (4,)), x)


def test_rms_norm_errors():
    same_error(lambda L: F(L).rms_norm(L.randn(4, 3, 5), (4,)))
    same_error(lambda L: F(L).rms_norm(L.randn(4, 3, 5), (5,), L.ones(4)))


@pytest.mark.parametrize("shape", [(2, 5, 4), (2, 6, 3, 3), (1, 4, 2, 2, 3)])
@pytest.mark.parametrize("size", [1, 2, 3])
def test_local_response_norm(shape, size):
    check(lambda L, x: F(L).local_response_norm(x, size), randn(*shape))
    check(lambda L, x: F(L).local_response_norm(x, size, alpha=0.1, beta=0.5, k=2.0), randn(*shape, dtype=np.float64))


def test_local_response_norm_errors():
    same_error(lambda L: F(L).local_response_norm(L.randn(3, 4), 2))
