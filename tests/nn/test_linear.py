"""Linear, Bilinear, Identity, Flatten, Unflatten and F.linear / F.bilinear against torch: default init
bit-identical under the same seed, forward values, grads, grad_fn names, reprs, errors."""
import numpy as np
import pytest
import torch

import ember
from conftest import check, check_raises, randn, same, same_error


@pytest.mark.filterwarnings("ignore:Initializing zero-element tensors is a no-op")
@pytest.mark.parametrize("args", [(3, 2), (1, 1), (10, 7, False), (64, 128), (5, 0), (0, 4)])
def test_linear_default_init_bit_identical(args):
    def f(lib):
        lib.manual_seed(123)
        m = lib.nn.Linear(*args)
        return [p.detach().numpy().copy() for p in m.parameters()] + [repr(m)]
    t, e = f(torch), f(ember)
    assert e[-1] == t[-1]
    assert len(e) == len(t)
    for a, b in zip(e[:-1], t[:-1]):
        assert a.dtype == b.dtype and a.shape == b.shape
        np.testing.assert_array_equal(a, b)


def test_linear_init_consumes_generator_like_torch():
    def f(lib):
        lib.manual_seed(0)
        lib.nn.Linear(4, 3)
        lib.nn.Bilinear(2, 3, 4)
        return lib.rand(3).numpy()
    t, e = f(torch), f(ember)
    np.testing.assert_array_equal(e, t)


def test_linear_dtype_argument():
    def f(lib):
        lib.manual_seed(0)
        m = lib.nn.Linear(3, 2, dtype=lib.float64)
        return str(m.weight.dtype), m.weight.detach().numpy()
    same(f)


@pytest.mark.parametrize("shape", [(2, 3), (3,), (4, 2, 3), (2, 2, 2, 3), (0, 3)])
@pytest.mark.parametrize("bias", [True, False])
def test_functional_linear_values_grads_and_nodes(shape, bias):
    x, w, b = randn(*shape), randn(4, 3, seed=1), randn(4, seed=2)
    if bias:
        check(lambda lib, x, w, b: lib.nn.functional.linear(x, w, b), x, w, b)
    else:
        check(lambda lib, x, w: lib.nn.functional.linear(x, w), x, w)


def test_functional_linear_grad_fn_name_2d_with_bias():
    def f(lib):
        w = lib.ones(2, 3, requires_grad=True)
        y = lib.nn.functional.linear(lib.ones(4, 3), w, lib.zeros(2))
        return y.grad_fn.name(), [type(n).__name__ for n, _ in y.grad_fn.next_functions if n is not None]
    same(f)


@pytest.mark.parametrize("xs,ws", [((2, 5), (4, 3)), ((2, 2, 5), (4, 3)), ((5,), (4, 3)), ((), (4, 3))])
@pytest.mark.parametrize("bias", [True, False])
def test_functional_linear_errors(xs, ws, bias):
    def f(lib):
        x = lib.ones(*xs)
        lib.nn.functional.linear(x, lib.ones(*ws), lib.ones(ws[0]) if bias else None)
    same_error(f)


def test_linear_module_forward_backward():
    def f(lib):
        lib.manual_seed(0)
        m = lib.nn.Linear(5, 3)
        x = lib.randn(4, 5, requires_grad=True)
        y = m(x)
        y.pow(2).sum().backward()
        return y.detach().numpy(), x.grad.numpy(), m.weight.grad.numpy(), m.bias.grad.numpy(), y.grad_fn.name()
    same(f, atol=1e-6)


def test_bilinear_init_forward_backward():
    def f(lib):
        lib.manual_seed(0)
        m = lib.nn.Bilinear(3, 4, 2)
        x1 = lib.randn(5, 3, requires_grad=True)
        x2 = lib.randn(5, 4, requires_grad=True)
        y = m(x1, x2)
        y.pow(2).sum().backward()
        return (repr(m), m.weight.detach().numpy(), m.bias.detach().numpy(), y.detach().numpy(), x1.grad.numpy(),
                x2.grad.numpy(), m.weight.grad.numpy(), m.bias.grad.numpy())
    same(f, atol=1e-5)


def test_bilinear_no_bias_batched():
    x1, x2, w = randn(2, 3, 3), randn(2, 3, 4, seed=1), randn(2, 3, 4, seed=2)
    check(lambda lib, a, b, w: lib.nn.functional.bilinear(a, b, w), x1, x2, w, check_grad_fn=False)


@pytest.mark.parametrize("s1,s2", [((2, 4), (2, 5)), ((2, 3), (3, 5)), ((2, 3), (2, 2, 5)), ((2, 3), (2, 6))])
def test_bilinear_errors(s1, s2):
    same_error(lambda lib: lib.nn.functional.bilinear(lib.ones(*s1), lib.ones(*s2), lib.ones(4, 3, 5), lib.ones(4)))


def test_bilinear_zero_in1_error():
    same_error(lambda lib: lib.nn.Bilinear(0, 2, 3))


def test_identity():
    def f(lib):
        m = lib.nn.Identity(54, unused="x")
        x = lib.ones(2)
        return m(x) is x, repr(m), list(m.parameters())
    same(f)


@pytest.mark.parametrize("args", [(), (0,), (1, 2), (-2, -1), (0, -1)])
def test_flatten(args):
    x = randn(2, 3, 4, 5)
    check(lambda lib, x: lib.nn.Flatten(*args)(x), x)
    same(lambda lib: repr(lib.nn.Flatten(*args)))


@pytest.mark.parametrize("dim,size", [(1, (2, 2)), (-1, [5, 1]), (1, (-1, 2)), (0, (2, 1))])
def test_unflatten(dim, size):
    x = randn(2, 4, 5) if dim != -1 else randn(3, 5)
    check(lambda lib, x: lib.nn.Unflatten(dim, size)(x), x)
    same(lambda lib: repr(lib.nn.Unflatten(dim, size)))


@pytest.mark.parametrize("size", [(2, 2.0), 3, "ab"])
def test_unflatten_errors(size):
    same_error(lambda lib: lib.nn.Unflatten(1, size))


def test_flatten_unflatten_in_sequential_repr():
    def f(lib):
        lib.manual_seed(0)
        nn = lib.nn
        m = nn.Sequential(nn.Flatten(), nn.Linear(12, 6), nn.Unflatten(1, (2, 3)), nn.Flatten(0, -1))
        y = m(lib.ones(2, 3, 4))
        return repr(m), y.detach().numpy()
    same(f)


def test_linear_shape_mismatch_in_module():
    check_raises(lambda lib: lib.nn.Linear(3, 2)(lib.ones(2, 4)))


@pytest.mark.parametrize("args", [
    lambda lib: ([1.0, 2.0], lib.ones(2, 2)),
    lambda lib: (lib.ones(2), [[1.0, 2.0]]),
    lambda lib: (lib.ones(2), lib.ones(2, 2), 3)])
def test_functional_linear_rejects_non_tensors(args):
    same_error(lambda lib: lib.nn.functional.linear(*args(lib)))


def test_linear_weight_grad_is_contiguous_like_torch():
    def f(lib):
        lib.manual_seed(0)
        m = lib.nn.Linear(4, 3)
        m(lib.ones(5, 4)).sum().backward()
        return m.weight.grad.is_contiguous(), m.weight.grad.stride(), m.bias.grad.stride()
    same(f)


def test_relu_grad_is_zero_where_output_is_zero_even_for_inf_grads():
    def f(lib):
        x = lib.tensor([-1.0, 0.0, 2.0], requires_grad=True)
        x.relu().backward(lib.tensor([float("inf"), float("nan"), 3.0]))
        return x.grad
    same(f)
