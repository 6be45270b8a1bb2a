"""autograd.graph (saved-tensor hooks on ember's own ops and on Functions) and engine details, against torch."""
import numpy as np
import torch

import ember


def _both(fn):
    return [fn(lib) for lib in (ember, torch)]


def test_saved_tensors_hooks_on_builtin_ops_pack_and_unpack_in_torchs_order():
    def f(lib):
        log = []
        a = lib.ones(3, requires_grad=True)
        b = lib.ones(3, requires_grad=True) * 2

        def pack(t):
            log.append(("pack", t.tolist()))
            return t

        def unpack(t):
            log.append(("unpack", t.tolist()))
            return t
        with lib.autograd.graph.saved_tensors_hooks(pack, unpack):
            z = (a * b).exp()
            w = z + 1  # saves nothing
            q = a * 3  # a number is not a saved tensor
        z.sum().backward()
        return log, a.grad.tolist(), w.requires_grad, q.requires_grad
    e, t = _both(f)
    assert [k for k, _ in e[0]] == [k for k, _ in t[0]]
    np.testing.assert_allclose(np.array([v for _, v in e[0]], dtype=float), np.array([v for _, v in t[0]]),
                               rtol=1e-6)
    np.testing.assert_allclose(e[1], t[1], rtol=1e-6)
    assert e[2:] == t[2:]


def test_saved_tensors_hooks_results_used_by_backward():
    x0 = np.array([0.3, -1.2, 2.0], dtype=np.float64)

    def f(lib):
        x = lib.from_numpy(x0.copy()).requires_grad_()
        with lib.autograd.graph.saved_tensors_hooks(lambda t: t * 2, lambda t: t / 2):
            y = (x.pow(2).sin() * x).sum()
        y.backward()
        return x.grad.numpy()
    e, t = _both(f)
    np.testing.assert_allclose(e, t, rtol=1e-12)


def test_saved_tensors_hooks_on_custom_function_and_disable():
    def f(lib):
        class Sq(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return x * x

            @staticmethod
            def backward(ctx, g):
                x, = ctx.saved_tensors
                return 2 * x * g
        calls = []
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        with lib.autograd.graph.saved_tensors_hooks(lambda t: calls.append("p") or t,
                                                   lambda t: calls.append("u") or t):
            y = Sq.apply(x)
        y.sum().backward()
        try:
            with lib.autograd.graph.disable_saved_tensors_hooks("no hooks here"):
                with lib.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t):
                    pass
            err = None
        except RuntimeError as ex:
            err = str(ex)
        return calls, x.grad.tolist(), err
    e, t = _both(f)
    assert e == t


def test_create_graph_grad_is_a_copy_node_and_ctx_name_attribute_is_allowed():
    def f(lib):
        x = lib.ones(3, requires_grad=True)
        (x ** 2).sum().backward(create_graph=True)
        names = (type(x.grad.grad_fn).__name__, [type(n).__name__ for n, _ in x.grad.grad_fn.next_functions])

        class Named(lib.autograd.Function):
            @staticmethod
            def forward(ctx, a, k):
                ctx.name = "scaled"  # shadows Node.name(): the engine must not call it
                ctx.k = k
                return a * k

            @staticmethod
            def backward(ctx, g):
                return g * ctx.k, None
        z = lib.ones(2, requires_grad=True)
        y = Named.apply(z, 3.0)
        y.grad_fn.register_hook(lambda gi, go: (gi[0] * 10,))  # grads of tensor arguments only
        y.sum().backward()
        return names, z.grad.tolist()
    e, t = _both(f)
    assert e == t


def test_number_divided_by_tensor_is_reciprocal_times_number():
    def f(lib):
        t = lib.tensor([7.0, 3.0], requires_grad=True)
        y = 3 / t
        names = [type(n).__name__ for n, _ in y.grad_fn.next_functions]
        a = lib.ones(2, requires_grad=True) * 1
        z = 1 / a
        a.add_(1)  # reciprocal saved its result, not a: no version error
        z.sum().backward()
        return y.detach().numpy().tobytes(), (3 / lib.tensor([7])).item(), names
    e, t = _both(f)
    assert e == t
