"""Autograd hooks against torch: tensor hooks, retain_grad, post-accumulate-grad hooks, node (pre)hooks,
AccumulateGrad nodes, graph introspection, saved_tensors_hooks, and the engine's errors (freed graphs, grad
shapes, allow_unused/materialize_grads, ``backward(inputs=...)``)."""
import warnings

import pytest

from conftest import same, same_error


def L(v):
    """A grad as a plain list (for logs of what hooks saw)."""
    return None if v is None else v.detach().tolist()


# ---------------------------------------------------------------- Tensor.register_hook

def test_tensor_hooks_order_replacement_and_none():
    def f(lib):
        log = []
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = x * 2
        y.register_hook(lambda g: log.append(("a", L(g))))            # None: grad unchanged
        y.register_hook(lambda g: (log.append(("b", L(g))), g * 10)[1])  # replacement seen by later hooks
        y.register_hook(lambda g: log.append(("c", L(g))))
        (y * y).sum().backward()
        return x.grad, log
    assert same(f)[1] == [("a", [4.0, 8.0]), ("b", [4.0, 8.0]), ("c", [40.0, 80.0])]


def test_leaf_hook_changes_what_is_accumulated():
    def f(lib):
        seen = []
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        x.register_hook(lambda g: (seen.append(L(g)), g * 5)[1])
        (x * 2).sum().backward()
        (x * 3).sum().backward()
        return x.grad, seen
    assert same(f)[1] == [[2.0, 2.0], [3.0, 3.0]]


def test_hook_handle_remove_and_context_manager():
    def f(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = x * 2
        h = y.register_hook(lambda g: g * 10)
        h.remove()
        h.remove()  # removing twice is fine
        y.sum().backward(retain_graph=True)
        first = x.grad.clone()
        with y.register_hook(lambda g: g * 100):
            pass  # the handle removes the hook on exit
        y.sum().backward()
        return first, x.grad, type(h).__name__
    assert same(f)[2] == "RemovableHandle"


def test_hook_sees_summed_grad_of_tensor_used_twice():
    def f(lib):
        calls = []
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = x * 2
        y.register_hook(lambda g: calls.append(L(g)))
        (y * 3 + y * 4).sum().backward()
        return calls, x.grad
    assert same(f)[0] == [[7.0, 7.0]]


def test_hooks_apply_under_create_graph():
    def f(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = x ** 2
        y.register_hook(lambda g: g * 2)
        (g,) = lib.autograd.grad(y.sum(), x, create_graph=True)
        (h,) = lib.autograd.grad(g.sum(), x)
        return g, h
    same(f)


def test_hook_changing_size_raises():
    def nonleaf(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = x * 2
        y.register_hook(lambda g: lib.ones(3))
        y.sum().backward()

    def leaf(lib):
        def grow(g):
            return lib.ones(3)
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        x.register_hook(grow)
        (x * 2).sum().backward()
    assert same_error(nonleaf) == "hook '<lambda>' has changed the size of value"
    assert same_error(leaf) == "hook 'grow' has changed the size of value"


def test_hook_changing_dtype_or_returning_non_tensor_raises():
    def dtype(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = x * 2
        y.register_hook(lambda g: lib.ones(2, dtype=lib.float64))
        y.sum().backward()

    def non_tensor(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = x * 2
        y.register_hook(lambda g: 3.0)
        y.sum().backward()
    assert same_error(dtype) == "hook '<lambda>' has changed the type of value (was torch.FloatTensor got " \
                                "torch.DoubleTensor)"
    assert same_error(non_tensor) == "expected Variable, but hook returned 'float'"


def test_register_hook_on_tensor_without_grad_raises():
    assert same_error(lambda lib: lib.ones(2).register_hook(lambda g: g)) == \
        "cannot register a hook on a tensor that doesn't require gradient"


# ---------------------------------------------------------------- retain_grad

@pytest.mark.parametrize("hook_first", [True, False])
def test_retain_grad_sees_hooked_grad_whatever_the_order(hook_first):
    # torch runs the retain_grad hook after all tensor hooks, whenever either was registered
    def f(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = x * 2
        if hook_first:
            y.register_hook(lambda g: g * 100)
        y.retain_grad()
        if not hook_first:
            y.register_hook(lambda g: g * 100)
        y.sum().backward()
        return y.grad, x.grad, y.retains_grad
    same(f)


def test_retain_grad_accumulates_and_leaf_and_no_grad_cases():
    def f(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = x * 2
        y.retain_grad()
        y.retain_grad()  # twice: no double accumulation
        (y * 3).sum().backward(retain_graph=True)
        (y * 3).sum().backward()
        x.retain_grad()  # no-op on a leaf
        return y.grad, x.grad, x.retains_grad, y.retains_grad
    assert same(f)[2:] == (False, True)
    assert same_error(lambda lib: lib.ones(2).retain_grad()) == \
        "can't retain_grad on Tensor that has requires_grad=False"


# ---------------------------------------------------------------- register_post_accumulate_grad_hook

def test_post_accumulate_grad_hook():
    def f(lib):
        seen = []
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        h = x.register_post_accumulate_grad_hook(lambda t: seen.append((t is x, L(t.grad))))
        (x * 3).sum().backward()
        (x * 3).sum().backward()
        h.remove()
        (x * 3).sum().backward()
        return seen, x.grad, type(h).__name__
    assert same(f)[0] == [(True, [3.0, 3.0]), (True, [6.0, 6.0])]


def test_post_accumulate_grad_hook_may_edit_grad_and_runs_after_tensor_hooks():
    def f(lib):
        log = []
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        x.register_post_accumulate_grad_hook(lambda t: log.append(("post", L(t.grad))))
        x.register_hook(lambda g: (log.append(("pre", L(g))), g + 1)[1])
        x.register_post_accumulate_grad_hook(lambda t: (t.grad.mul_(2), None)[1])
        (x * 3).sum().backward()
        return log, x.grad
    assert same(f)[0] == [("pre", [3.0, 3.0]), ("post", [4.0, 4.0])]


def test_post_accumulate_grad_hook_with_autograd_grad_and_backward_inputs():
    def f(lib):
        calls = []
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        x.register_post_accumulate_grad_hook(lambda t: calls.append("called"))
        lib.autograd.grad((x * 3).sum(), x)  # no accumulation: no call
        n_grad = len(calls)
        (x * 3).sum().backward(inputs=[x])
        return n_grad, len(calls)
    assert same(f) == (0, 1)


def test_post_accumulate_grad_hook_errors():
    def nonleaf(lib):
        (lib.ones(2, requires_grad=True) * 2).register_post_accumulate_grad_hook(lambda t: None)

    def returns_value(lib):
        x = lib.ones(2, requires_grad=True)
        x.register_post_accumulate_grad_hook(lambda t: lib.ones(2))
        (x * 3).sum().backward()
    assert same_error(nonleaf) == "post accumulate grad hooks cannot be registered on non-leaf tensors"
    assert same_error(lambda lib: lib.ones(2).register_post_accumulate_grad_hook(lambda t: None)) == \
        "cannot register a hook on a tensor that doesn't require gradient"
    assert same_error(returns_value) == "Tensor post accumulate grad hooks should return None."


# ---------------------------------------------------------------- Node hooks and prehooks

def test_node_hook_and_prehook_see_grads():
    def f(lib):
        calls = []
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        w = lib.tensor([3.0, 4.0], requires_grad=True)
        y = x * w
        h1 = y.grad_fn.register_hook(lambda gi, go: calls.append(("hook", [L(g) for g in gi], [L(g) for g in go])))
        h2 = y.grad_fn.register_prehook(lambda go: calls.append(("pre", [L(g) for g in go])))
        y.sum().backward(retain_graph=True)
        n = len(calls)
        h1.remove()
        h2.remove()
        y.sum().backward()
        return calls, n, type(h1).__name__, type(h2).__name__, x.grad, w.grad
    e = same(f)
    assert e[0] == [("pre", [[1.0, 1.0]]), ("hook", [[3.0, 4.0], [1.0, 2.0]], [[1.0, 1.0]])] and e[1] == 2


def test_node_hook_grad_input_is_none_for_input_without_grad():
    def f(lib):
        calls = []
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = x * lib.tensor([3.0, 4.0])
        y.grad_fn.register_hook(lambda gi, go: calls.append((type(gi).__name__, [L(g) for g in gi], len(go))))
        y.sum().backward()
        return calls
    assert same(f) == [("tuple", [[3.0, 4.0], None], 1)]


def test_node_hook_and_prehook_replace_grads():
    def f(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        w = lib.tensor([3.0, 4.0], requires_grad=True)
        y = x * w
        y.grad_fn.register_hook(lambda gi, go: (gi[0] * 10, gi[1]))
        y.sum().backward()
        gx, gw = x.grad.clone(), w.grad.clone()
        x.grad = w.grad = None
        y = x * w
        y.grad_fn.register_prehook(lambda go: (go[0] * 2,))
        y.sum().backward()
        return gx, gw, x.grad, w.grad
    same(f)


def test_node_hook_wrong_count_or_type_raises():
    def hook_count(lib):
        y = lib.ones(2, requires_grad=True) * lib.ones(2, requires_grad=True)
        y.grad_fn.register_hook(lambda gi, go: (gi[0],))
        y.sum().backward()

    def prehook_count(lib):
        y = lib.ones(2, requires_grad=True) * lib.ones(2, requires_grad=True)
        y.grad_fn.register_prehook(lambda go: (go[0], go[0]))
        y.sum().backward()

    def hook_list(lib):
        y = lib.ones(2, requires_grad=True) * lib.ones(2, requires_grad=True)
        y.grad_fn.register_hook(lambda gi, go: [gi[0], gi[1]])
        y.sum().backward()
    assert same_error(hook_count) == ("hook '<lambda>' has returned an incorrect number of values (got 1, but "
                                      "expected 2)")
    assert same_error(prehook_count) == ("hook '<lambda>' has returned an incorrect number of values (got 2, but "
                                         "expected 1)")
    assert same_error(hook_list) == "expected tuple, but hook returned 'list'"


def test_hook_order_tensor_hook_then_node_prehook_then_node_hook():
    def f(lib):
        log = []
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = x * 2
        y.grad_fn.register_prehook(lambda go: log.append("node pre"))
        y.register_hook(lambda g: log.append("tensor"))
        y.grad_fn.register_hook(lambda gi, go: log.append("node post"))
        y.sum().backward()
        return log
    assert same(f) == ["tensor", "node pre", "node post"]


# ---------------------------------------------------------------- AccumulateGrad and graph introspection

def test_accumulate_grad_node():
    def f(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = x * 2
        acc = y.grad_fn.next_functions[0][0]
        info = (x.grad_fn is None, acc.name(), type(acc).__name__, acc.variable is x, acc.next_functions,
                acc is (x * 3).grad_fn.next_functions[0][0])
        log = []
        acc.register_prehook(lambda go: (log.append(("pre", [L(g) for g in go])), (go[0] * 100,))[1])
        acc.register_hook(lambda gi, go: log.append(("hook", gi, [L(g) for g in go])))
        y.sum().backward()
        return info, log, x.grad
    e = same(f)
    assert e[0] == (True, "torch::autograd::AccumulateGrad", "AccumulateGrad", True, (), True)
    assert e[1] == [("pre", [[2.0, 2.0]]), ("hook", (), [[200.0, 200.0]])]


def test_next_functions_walk():
    def f(lib):
        a = lib.ones(2, requires_grad=True)
        z = (a * lib.ones(2) + a).sum()
        out = []

        def walk(node, depth):
            out.append((depth, None if node is None else node.name()))
            for nxt, idx in ([] if node is None else node.next_functions):
                out.append(idx)
                walk(nxt, depth + 1)
        walk(z.grad_fn, 0)
        return out, type(z.grad_fn.next_functions).__name__
    assert same(f)[0] == [(0, "SumBackward0"), 0, (1, "AddBackward0"), 0, (2, "MulBackward0"), 0,
                          (3, "torch::autograd::AccumulateGrad"), 0, (3, None), 0,
                          (2, "torch::autograd::AccumulateGrad")]


def test_node_metadata_and_names():
    def f(lib):
        y = (lib.ones(2, requires_grad=True) * 2).sum()
        md = y.grad_fn.metadata
        empty = (type(md).__name__, len(md))
        y.grad_fn.metadata["k"] = 1
        return empty, dict(y.grad_fn.metadata), y.grad_fn.name(), type(y.grad_fn).__name__, repr(y).split("grad_fn")[1]
    assert same(f)[:2] == (("dict", 0), {"k": 1})


def test_calling_grad_fn_directly():
    def f(lib):
        a = lib.tensor([1.0, 2.0], requires_grad=True)
        b = lib.tensor([3.0, 4.0], requires_grad=True)
        ga, gb = (a * b).grad_fn(lib.ones(2))
        gs = (a * b).sum().grad_fn(lib.tensor(1.0))
        ge = a.exp().grad_fn(lib.ones(2))
        return ga, gb, gs, ge
    same(f)

    def custom(lib):
        return fn2(lib).apply(lib.ones(2, requires_grad=True)).grad_fn.apply(lib.ones(2))
    same(custom)
    assert same_error(lambda lib: fn2(lib).apply(lib.ones(2, requires_grad=True)).grad_fn(lib.ones(2))) == \
        "'FBackward' object is not callable"


def fn2(lib):
    return type("F", (lib.autograd.Function,), {"forward": staticmethod(lambda ctx, x: x * 2),
                                                "backward": staticmethod(lambda ctx, g: g * 2)})


# ---------------------------------------------------------------- saved_tensors_hooks

def save_in(lib):
    """x * y saving both inputs for backward."""
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return x * y

    def backward(ctx, g):
        x, y = ctx.saved_tensors
        return g * y, g * x
    return type("SaveIn", (lib.autograd.Function,), {"forward": staticmethod(forward),
                                                     "backward": staticmethod(backward)})


def test_saved_tensors_hooks_pack_and_unpack():
    def f(lib):
        log = []

        def pack(t):
            log.append(("pack", tuple(t.shape)))
            return t.clone() * 1

        def unpack(t):
            log.append(("unpack", tuple(t.shape)))
            return t
        a = lib.tensor([1.0, 2.0], requires_grad=True)
        b = lib.tensor([3.0, 4.0], requires_grad=True)
        with lib.autograd.graph.saved_tensors_hooks(pack, unpack):
            z = save_in(lib).apply(a, b)
        n_packed = len(log)
        z.sum().backward()
        return n_packed, log, a.grad, b.grad
    assert same(f)[:2] == (2, [("pack", (2,)), ("pack", (2,)), ("unpack", (2,)), ("unpack", (2,))])


def test_saved_tensors_hooks_can_change_the_stored_form():
    def f(lib):
        log = []
        a = lib.tensor([1.0, 2.0], requires_grad=True)
        b = lib.tensor([3.0, 4.0], requires_grad=True)
        with lib.autograd.graph.saved_tensors_hooks(lambda t: (log.append("p"), t.detach().numpy().copy())[1],
                                                    lambda p: (log.append("u"), lib.from_numpy(p) * 2)[1]):
            z = save_in(lib).apply(a, b)
        z.sum().backward()
        return log, a.grad, b.grad
    assert same(f)[0] == ["p", "p", "u", "u"]


def test_saved_tensors_hooks_only_apply_at_save_time_and_skip_none():
    def f(lib):
        log = []
        pack, unpack = (lambda t: (log.append("p"), t)[1]), (lambda t: (log.append("u"), t)[1])
        a = lib.tensor([1.0, 2.0], requires_grad=True)
        z = save_in(lib).apply(a, a)
        with lib.autograd.graph.saved_tensors_hooks(pack, unpack):
            z.sum().backward()  # hooks active at backward time only: not used
        late = list(log)

        def fwd(ctx, x):
            ctx.save_for_backward(x, None)  # None is neither packed nor unpacked
            return x * 2
        for bwd in (lambda ctx, g: g * 2 + 0 * ctx.saved_tensors[0], lambda ctx, g: g * 2):
            Cls = type("SaveNone", (lib.autograd.Function,), {"forward": staticmethod(fwd),
                                                              "backward": staticmethod(bwd)})
            with lib.autograd.graph.saved_tensors_hooks(pack, unpack):
                w = Cls.apply(a)
            w.sum().backward()
            log.append("|")
        return late, log, a.grad
    # unpack runs lazily, when backward reads ctx.saved_tensors
    assert same(f)[:2] == ([], ["p", "u", "|", "p", "|"])


def test_saved_tensors_hooks_unpack_wrong_shape_fails_in_backward():
    def f(lib):
        a = lib.tensor([1.0, 2.0], requires_grad=True)
        with lib.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: lib.ones(5)):
            z = save_in(lib).apply(a, a * 1)
        z.sum().backward()
    same_error(f, exact=False)


# ---------------------------------------------------------------- engine errors and options

def test_backward_through_freed_graph():
    def twice(op):
        def run(lib):
            x = lib.tensor([1.0, 2.0], requires_grad=True)
            y = op(x).sum()
            y.backward()
            y.backward()
            return x.grad
        return run
    for op in (lambda x: x.exp(), lambda x: x * 2, lambda x: x * x):
        assert same_error(twice(op)).startswith("Trying to backward through the graph a second time")
    same(twice(lambda x: x + 2))  # nothing saved: torch allows a second pass


def test_requires_grad_on_non_float_raises():
    msgs = [
        same_error(lambda lib: lib.zeros(2, dtype=lib.int64, requires_grad=True)),
        same_error(lambda lib: lib.tensor([1, 2]).requires_grad_()),
        same_error(lambda lib: setattr(lib.tensor([1, 2]), "requires_grad", True)),
        same_error(lambda lib: lib.tensor([True]).requires_grad_()),
    ]
    assert msgs == ["Only Tensors of floating point and complex dtype can require gradients",
                    "only Tensors of floating point dtype can require gradients",
                    "only Tensors of floating point and complex dtype can require gradients",
                    "only Tensors of floating point dtype can require gradients"]


def test_autograd_grad_allow_unused_and_materialize_grads():
    def f(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        u = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = (x * 2).sum()
        gx, gu = lib.autograd.grad(y, [x, u], materialize_grads=True, retain_graph=True)
        hx, hu = lib.autograd.grad(y, [x, u], allow_unused=True)
        return gx, gu, hx, hu is None
    same(f)

    def unused(order):
        def run(lib):
            x = lib.tensor([1.0, 2.0], requires_grad=True)
            u = lib.ones(3, requires_grad=True)
            lib.autograd.grad((x * 2).sum(), [x, u] if order else [u, x])
        return run
    assert same_error(unused(True)) == ("The differentiated Tensor at index 1 appears to not have been used in the "
                                        "graph. Set allow_unused=True if this is the desired behavior.")
    assert "at index 0 appears to not have been used" in same_error(unused(False))

    def contradiction(lib):
        x = lib.ones(2, requires_grad=True)
        lib.autograd.grad((x * 2).sum(), [x, lib.ones(3, requires_grad=True)], materialize_grads=True,
                          allow_unused=False)
    assert same_error(contradiction) == ("Expected allow_unused to be True or not passed when materialize_grads=True, "
                                         "but got: allow_unused=False.")
    assert same_error(lambda lib: lib.autograd.grad((lib.ones(2, requires_grad=True) * 2).sum(), lib.ones(2))) == \
        "One of the differentiated Tensors does not require grad"


def test_grad_outputs_shape_mismatch():
    def grad_fn_call(shape):
        def run(lib):
            x = lib.tensor([1.0, 2.0], requires_grad=True)
            lib.autograd.grad(x * 2, x, grad_outputs=lib.ones(*shape))
        return run

    def backward_call(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        (x * 2).backward(lib.ones(2, 1))
    assert same_error(grad_fn_call((3,))) == ("Mismatch in shape: grad_output[0] has a shape of torch.Size([3]) and "
                                              "output[0] has a shape of torch.Size([2]).")
    assert "grad_output[0] has a shape of torch.Size([1])" in same_error(grad_fn_call((1,)))
    assert same_error(backward_call) == ("Mismatch in shape: grad_output[0] has a shape of torch.Size([2, 1]) and "
                                         "output[0] has a shape of torch.Size([2]).")
    assert same_error(lambda lib: lib.autograd.grad(lib.ones(2, requires_grad=True) * 2,
                                                    lib.ones(2, requires_grad=True))) == \
        "grad can be implicitly created only for scalar outputs"


def test_backward_inputs_argument():
    def f(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        z = lib.tensor([5.0, 6.0], requires_grad=True)
        y = x * 2
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # reading .grad of a non-leaf passed in inputs must not warn
            (y * y).sum().backward(inputs=[y])
            yg = y.grad
        (x * 2).sum().backward(inputs=[z])  # unrelated input: nothing accumulated
        x2 = x.grad is None
        (x * z).sum().backward(inputs=x)  # a single tensor is accepted
        return yg, x2, x.grad, z.grad is None
    assert same(f)[1::2] == (True, True)
    assert same_error(lambda lib: (lib.ones(2, requires_grad=True) * 2).sum().backward(inputs=[])) == \
        "`inputs` argument to `backward()` cannot be empty."
    assert same_error(lambda lib: (lib.ones(2, requires_grad=True) * 2).sum().backward(inputs=[lib.ones(2)])) == \
        "can't retain_grad on Tensor that has requires_grad=False"
