"""Basic autograd against torch: backward, accumulation, retain_graph, grad modes, leaves, hooks, versions."""

import numpy as np
import pytest
import torch

import ember
from conftest import check, check_gradcheck, check_raises, randn


def both(fn):
    """Run ``fn(lib)`` for ember and torch; return both results as NumPy (or plain values)."""
    out = []
    for lib in (ember, torch):
        r = fn(lib)
        out.append(r.detach().numpy() if hasattr(r, "detach") else r)
    return out


def test_scalar_backward_seed_example():
    e, t = both(lambda lib: _w2(lib))
    assert e == t == 40.0


def _w2(lib):
    w = lib.tensor(2.0, requires_grad=True)
    z = 10 * w ** 2 + 2
    z.backward()
    return w.grad.item()


def test_nonscalar_backward_needs_gradient():
    check_raises(lambda t, x: (x.requires_grad_() * 2).backward(), randn(3))


def test_backward_with_gradient_argument():
    def f(lib):
        x = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        (x * x).backward(lib.tensor([1.0, 0.5, 0.25]))
        return x.grad
    e, t = both(f)
    np.testing.assert_allclose(e, t)


def test_grad_accumulates_across_backward_calls():
    def f(lib):
        x = lib.tensor([1.0, -2.0], requires_grad=True)
        (x * 3).sum().backward()
        (x * x).sum().backward()
        return x.grad
    e, t = both(f)
    np.testing.assert_allclose(e, t)


def test_second_backward_without_retain_graph_raises():
    def f(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = (x * x).sum()
        y.backward()
        y.backward()
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        f(torch)
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        f(ember)


def test_retain_graph_allows_second_backward():
    def f(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = (x * x).sum()
        y.backward(retain_graph=True)
        y.backward()
        return x.grad
    e, t = both(f)
    np.testing.assert_allclose(e, t)


def test_backward_on_tensor_without_grad_raises():
    check_raises(lambda lib, x: x.sum().backward(), randn(3))


def test_requires_grad_on_integer_tensor_raises():
    for lib in (torch, ember):
        with pytest.raises(RuntimeError, match="floating point"):
            lib.tensor([1, 2], requires_grad=True)
        with pytest.raises(RuntimeError, match="floating point"):
            lib.tensor([1, 2]).requires_grad_()


def test_no_grad_context_and_decorator():
    for lib in (ember, torch):
        x = lib.ones(2, requires_grad=True)
        with lib.no_grad():
            y = x * 2
            assert not lib.is_grad_enabled()
            with lib.enable_grad():
                z = x * 2
        assert lib.is_grad_enabled()
        assert not y.requires_grad and y.grad_fn is None
        assert z.requires_grad

        @lib.no_grad()
        def f(a):
            return a * 2
        assert not f(x).requires_grad

        @lib.no_grad()
        def gen(a):
            yield a * 2
        assert not next(gen(x)).requires_grad


def test_set_grad_enabled_function_and_context():
    for lib in (ember, torch):
        x = lib.ones(2, requires_grad=True)
        lib.set_grad_enabled(False)
        assert not (x * 2).requires_grad
        lib.set_grad_enabled(True)
        with lib.set_grad_enabled(False):
            assert not (x * 2).requires_grad
        assert (x * 2).requires_grad
        assert lib.is_grad_enabled()


def test_leaf_and_nonleaf_grad():
    for lib in (ember, torch):
        x = lib.ones(2, requires_grad=True)
        y = x * 2
        assert x.is_leaf and not y.is_leaf
        y.sum().backward()
        with pytest.warns(UserWarning, match="not a leaf Tensor"):
            assert y.grad is None


def test_retain_grad():
    def f(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = x * 3
        y.retain_grad()
        (y * y).sum().backward()
        return y.grad
    e, t = both(f)
    np.testing.assert_allclose(e, t)


def test_grad_fn_names_and_next_functions():
    def names(lib):
        x = lib.ones(2, requires_grad=True)
        s = (x * 2 + 1).sum()
        out = []
        node = s.grad_fn
        while node is not None:
            out.append(node.name())
            nxt = [n for n, _ in node.next_functions if n is not None]
            out.append(len(node.next_functions))
            node = nxt[0] if nxt else None
        return out
    e, t = both(names)
    assert e == t


def test_accumulate_grad_variable():
    x = ember.ones(2, requires_grad=True)
    acc = (x * 2).grad_fn.next_functions[0][0]
    assert acc.name() == "torch::autograd::AccumulateGrad" and acc.variable is x


def test_broadcast_gradient_reduced_to_input_shape():
    check(lambda lib, a, b, c: (a * b + c).sum(), randn(4, 1, 3), randn(5, 1, seed=1), randn(3, seed=2))


def test_create_graph_second_derivative():
    def f(lib):
        x = lib.tensor([0.5, -1.5, 2.0], requires_grad=True)
        y = (x ** 3 + x.sin()).sum()
        (g,) = lib.autograd.grad(y, x, create_graph=True)
        (h,) = lib.autograd.grad(g.sum(), x)
        return h
    e, t = both(f)
    np.testing.assert_allclose(e, t, rtol=1e-5)


def test_hessian_vector_product_of_mlp():
    rng = np.random.default_rng(0)
    w1n, w2n, xn, vn = (rng.standard_normal(s) for s in [(3, 4), (4, 1), (5, 3), (3, 4)])

    def hvp(lib):
        w1 = lib.tensor(w1n, requires_grad=True)
        w2 = lib.tensor(w2n)
        x = lib.tensor(xn)
        loss = (lib.tanh(x @ w1) @ w2).pow(2).mean()
        (g,) = lib.autograd.grad(loss, w1, create_graph=True)
        (hv,) = lib.autograd.grad((g * lib.tensor(vn)).sum(), w1)
        return hv
    e, t = both(hvp)
    np.testing.assert_allclose(e, t, rtol=1e-6, atol=1e-9)


def test_autograd_grad_allow_unused():
    for lib in (ember, torch):
        x = lib.ones(2, requires_grad=True)
        z = lib.ones(2, requires_grad=True)
        y = (x * 2).sum()
        with pytest.raises(RuntimeError, match="appears to not have been used"):
            lib.autograd.grad(y, [x, z], retain_graph=True)
        gx, gz = lib.autograd.grad(y, [x, z], allow_unused=True)
        assert gz is None and gx.tolist() == [2.0, 2.0]
        assert x.grad is None  # grad() does not accumulate


def test_register_hook_replaces_grad():
    def f(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = x * 2
        y.register_hook(lambda g: g * 10)
        h = x.register_hook(lambda g: g + 1)
        y.sum().backward()
        h.remove()
        return x.grad
    e, t = both(f)
    np.testing.assert_allclose(e, t)


def test_inplace_on_leaf_requiring_grad_raises():
    check_raises(lambda lib, x: x.requires_grad_().add_(1), randn(3))
    for lib in (torch, ember):
        x = lib.ones(3, requires_grad=True)
        with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
            x += 1
        with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
            x[0] = 5
        with lib.no_grad():
            x += 1  # allowed under no_grad
        assert x.tolist() == [2.0, 2.0, 2.0]


def test_modified_saved_tensor_raises_on_backward():
    for lib in (torch, ember):
        x = lib.ones(3, requires_grad=True)
        y = x * 2
        z = y * y
        y.add_(1)
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            z.sum().backward()


def test_inplace_on_nonleaf_is_recorded():
    def f(lib):
        x = lib.tensor([1.0, -2.0, 3.0], requires_grad=True)
        y = x * 2
        y.mul_(3)
        y.add_(x)
        (y * y).sum().backward()
        return x.grad
    e, t = both(f)
    np.testing.assert_allclose(e, t)


def test_setitem_into_nonleaf_tracks_value_grad():
    def f(lib):
        w = lib.tensor([1.0, 2.0], requires_grad=True)
        buf = lib.zeros(2, 3)
        buf[:, 1] = w * 3
        (buf * buf).sum().backward()
        return w.grad
    e, t = both(f)
    np.testing.assert_allclose(e, t)


def test_version_counter_shared_by_views():
    for lib in (ember, torch):
        x = lib.zeros(4)
        v = x[1:3]
        v0 = x._version
        v.add_(1)
        assert x._version == v._version == v0 + 1
        assert x.tolist() == [0.0, 1.0, 1.0, 0.0]


def test_detach_shares_memory_and_stops_grad():
    for lib in (ember, torch):
        x = lib.ones(3, requires_grad=True)
        d = x.detach()
        assert not d.requires_grad and d.is_leaf
        d[0] = 7
        assert x[0].item() == 7


def test_numpy_requires_grad_raises_and_shares_memory():
    check_raises(lambda lib, x: x.requires_grad_().numpy(), randn(2))
    x = ember.zeros(3)
    x.numpy()[1] = 5
    assert x.tolist() == [0.0, 5.0, 0.0]


def test_requires_grad_false_on_nonleaf_raises():
    for lib in (torch, ember):
        y = lib.ones(2, requires_grad=True) * 2
        with pytest.raises(RuntimeError, match="leaf variables"):
            y.requires_grad_(False)


def test_data_updates_are_untracked():
    def f(lib):
        w = lib.tensor([1.0, 2.0], requires_grad=True)
        (w * w).sum().backward()
        w.data -= 0.1 * w.grad.data
        return w
    e, t = both(f)
    np.testing.assert_allclose(e, t)


def test_split_outputs_grads():
    check(lambda lib, x: [p * (i + 1) for i, p in enumerate(x.split(2, 1))], randn(3, 5))


def test_backward_inputs_argument():
    def f(lib):
        a = lib.tensor([1.0, 2.0], requires_grad=True)
        b = lib.tensor([3.0, 4.0], requires_grad=True)
        (a * b).sum().backward(inputs=[a])
        return a.grad, b.grad
    (ea, eb), (ta, tb) = [f(ember), f(torch)]
    np.testing.assert_allclose(ea.numpy(), ta.numpy())
    assert eb is None and tb is None


def test_grad_dtype_follows_leaf():
    def f(lib):
        x = lib.ones(3, dtype=lib.float64, requires_grad=True)
        (x * lib.ones(3)).sum().backward()
        return str(x.grad.dtype)
    assert f(ember) == f(torch)


def test_gradcheck_composite():
    check_gradcheck(lambda a, b: (a.tanh() * b.exp() / (1 + a * a)).sum(0), randn(3, 2), randn(3, 2, seed=1))


def test_variable_is_tensor():
    v = ember.autograd.Variable(ember.ones(2), requires_grad=True)
    assert isinstance(v, ember.Tensor) and v.requires_grad and v.is_leaf
    assert isinstance(v.data, ember.Tensor) and not v.data.requires_grad


def test_custom_function_basic():
    class Cube(ember.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 3 * x * x * g

    x = ember.tensor([1.0, 2.0], requires_grad=True)
    y = Cube.apply(x)
    assert y.grad_fn.name() == "CubeBackward"
    y.sum().backward()
    assert x.grad.tolist() == [3.0, 12.0]


def test_node_reached_by_no_grad_is_skipped():
    def f(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = x * 2
        idx = y.argmax()  # non-differentiable use of y
        z = (x * 3).sum() + y.detach().sum() * 0
        z.backward()
        return x.grad, idx
    (eg, ei), (tg, ti) = f(ember), f(torch)
    assert eg.tolist() == tg.tolist() and ei.item() == ti.item()


def test_backward_through_max_dim_indices_unused():
    check(lambda lib, x: x.max(1).values * 2, randn(3, 4))
    check(lambda lib, x: lib.sort(x, 1)[0][:, :2].sum(), randn(3, 4))


def test_backward_from_two_roots_one_reachable_from_the_other():
    def f(lib):
        x = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = x * 2
        z = y * y
        lib.autograd.backward([z.sum(), y.sum()])
        return x.grad
    e, t = both(f)
    np.testing.assert_allclose(e, t)
