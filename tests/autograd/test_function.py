"""Custom ``autograd.Function`` against torch: ctx API, several outputs, non-differentiable and dirty outputs,
gradient errors, double backward, ``once_differentiable``, saved-tensor checks. Each test builds the same Function
for ``lib`` = ember and torch and compares values, grads, node names, error classes and torch's messages."""
import warnings

import numpy as np
import pytest
import torch

import ember
from conftest import same, same_error


def fn(lib, name, forward, backward=None, setup_context=None):
    """``class <name>(lib.autograd.Function)`` with the given static methods."""
    d = {"forward": forward, "backward": backward, "setup_context": setup_context}
    return type(name, (lib.autograd.Function,), {k: staticmethod(v) for k, v in d.items() if v is not None})


def _save(ctx, *ts):
    ctx.save_for_backward(*ts)


def cube(lib):
    return fn(lib, "Cube", lambda ctx, x: (_save(ctx, x), x ** 3)[1],
              lambda ctx, g: 3 * ctx.saved_tensors[0] ** 2 * g)


def save_in(lib):
    """x * y saving both inputs."""
    return fn(lib, "SaveIn", lambda ctx, x, y: (_save(ctx, x, y), x * y)[1],
              lambda ctx, g: (g * ctx.saved_tensors[1], g * ctx.saved_tensors[0]))


def save_out(lib):
    """exp saving its output."""
    return fn(lib, "SaveOut", lambda ctx, x: (lambda out: (_save(ctx, out), out)[1])(x.exp()),
              lambda ctx, g: g * ctx.saved_tensors[0])


def returning(lib, name, grads):
    """A Function ``x * 2`` (of any number of inputs) whose backward returns ``grads(g)``."""
    return fn(lib, name, lambda ctx, *xs: xs[0] * 2, lambda ctx, g: grads(g))


# ---------------------------------------------------------------- basics and the two styles

def test_forward_backward_apply():
    def f(lib):
        x = lib.tensor([1.0, -2.0, 0.5], requires_grad=True)
        y = cube(lib).apply(x)
        info = (y.requires_grad, y.is_leaf, type(y.grad_fn).__name__, y.grad_fn.name())
        y.sum().backward()
        return y, x.grad, info
    assert same(f)[2] == (True, False, "CubeBackward", "CubeBackward")


def test_setup_context_style():
    def f(lib):
        def setup(ctx, inputs, output):
            ctx.save_for_backward(inputs[0], output)
        Sq = fn(lib, "Sq", lambda x: x * x, lambda ctx, g: 2 * ctx.saved_tensors[0] * g + 0 * ctx.saved_tensors[1],
                setup)
        x = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = Sq.apply(x)
        y.sum().backward()
        return y, x.grad, y.grad_fn.name()
    same(f)


def test_setup_context_sees_non_tensor_inputs_and_tuple_output():
    def f(lib):
        seen = []

        def setup(ctx, inputs, output):
            seen.append((type(output).__name__, len(output), output[0].requires_grad, inputs[1]))
            ctx.k = inputs[1]
        Scale2 = fn(lib, "Scale2", lambda x, k: (x * k, x * (k + 1)),
                    lambda ctx, a, b: (ctx.k * a + (ctx.k + 1) * b, None), setup)
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        p, q = Scale2.apply(x, 4)
        (p + 2 * q).sum().backward()
        return x.grad, seen
    assert same(f)[1] == [("tuple", 2, False, 4)]


def test_missing_forward_or_backward_and_ctx_with_setup_context():
    def both_styles(lib):  # forward(ctx, x) together with setup_context: forward gets no ctx
        fn(lib, "Both", lambda ctx, x: x * 2, lambda ctx, g: g, lambda ctx, i, o: None).apply(
            lib.ones(2, requires_grad=True))

    def no_backward(lib):
        fn(lib, "NoBack", lambda ctx, x: x * 2).apply(lib.ones(2, requires_grad=True)).sum().backward()

    def no_forward(lib):
        type("NoFwd", (lib.autograd.Function,), {}).apply(lib.ones(2, requires_grad=True))
    assert same_error(no_backward) == ("You must implement either the backward or vjp method for your custom "
                                       "autograd.Function to use it with backward mode AD.")
    assert same_error(no_forward) == "You must implement the forward function for custom autograd.Function."
    same_error(both_styles, exact=False)


# ---------------------------------------------------------------- ctx.save_for_backward / saved_tensors / ctx

def test_save_none_entries_intermediate_and_output():
    def f(lib):
        def fwd_inter(ctx, x):
            e = x.exp()
            ctx.save_for_backward(e)  # neither an input nor an output
            return e + 1

        def bwd_none(ctx, g):
            n1, x, n2 = ctx.saved_tensors
            seen.append((n1, n2))
            return g * x
        seen = []
        x = lib.tensor([0.0, 1.0], requires_grad=True)
        fn(lib, "ExpPlus1", fwd_inter, lambda ctx, g: g * ctx.saved_tensors[0]).apply(x).sum().backward()
        save_out(lib).apply(x).sum().backward()
        fn(lib, "SaveNone", lambda ctx, x: (_save(ctx, None, x, None), x * 2)[1], bwd_none).apply(x).sum().backward()
        return x.grad, seen
    assert same(f)[1] == [(None, None)]


def test_save_for_backward_non_tensor_raises():
    def f(lib):
        fn(lib, "SaveInt", lambda ctx, x: (_save(ctx, 3), x)[1], lambda ctx, g: g).apply(
            lib.ones(2, requires_grad=True))
    assert same_error(f) == "save_for_backward can only save variables, but argument 0 is of type int"


def test_saved_tensors_empty_and_last_call_wins():
    def f(lib):
        seen = []

        def twice(ctx, x):
            ctx.save_for_backward(x)
            ctx.save_for_backward(x * 5)
            return x * 2
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        fn(lib, "Nothing", lambda ctx, x: x * 2, lambda ctx, g: (seen.append(ctx.saved_tensors), g)[1]).apply(
            x).sum().backward()
        fn(lib, "Twice", twice, lambda ctx, g: g * ctx.saved_tensors[0]).apply(x).sum().backward()
        return x.grad, seen == [()]
    same(f)


def test_ctx_attributes_and_needs_input_grad():
    def f(lib):
        seen = []

        def forward(ctx, x, k, y, t):
            seen.append(tuple(ctx.needs_input_grad))
            ctx.k = k
            return x * y * k

        def backward(ctx, g):
            seen.append(tuple(ctx.needs_input_grad))
            return g * ctx.k, None, None, None
        x = lib.ones(2, requires_grad=True)
        fn(lib, "Nig", forward, backward).apply(x, 3.0, lib.ones(2), (1, 2)).sum().backward()
        return x.grad, seen
    assert same(f)[1] == [(True, False, False, False)] * 2


def test_needs_input_grad_in_forward_under_no_grad():
    # torch fills needs_input_grad from the inputs' requires_grad even when no graph is recorded
    def f(lib):
        seen = []
        Nig = fn(lib, "Nig", lambda ctx, x, y: (seen.append(tuple(ctx.needs_input_grad)), x * y)[1],
                 lambda ctx, g: (g, g))
        with lib.no_grad():
            r = Nig.apply(lib.ones(2, requires_grad=True), lib.ones(2))
        return seen, r.requires_grad
    assert same(f) == ([(True, False)], False)


def test_non_tensor_arguments_and_outputs():
    def f(lib):
        def forward(ctx, x, k, s, n, tup, y):
            assert n is None
            ctx.k, ctx.s = k, s
            return x * k + y * s + sum(tup)
        Args = fn(lib, "Args", forward, lambda ctx, g: (g * ctx.k, None, None, None, None, g * ctx.s))
        x = lib.tensor([0.0, 1.0], requires_grad=True)
        y = lib.tensor([2.0, 3.0], requires_grad=True)
        out = Args.apply(x, 3, 0.5, None, (1, 2), y)
        out.sum().backward()
        seen = []  # a non-tensor output: its grad is None
        z, k = fn(lib, "RetTuple", lambda ctx, x: (x * 2, 5), lambda ctx, g, g2: (seen.append(g2), g * 2)[1]).apply(x)
        z.sum().backward()
        return out, x.grad, y.grad, k, seen
    assert same(f)[3:] == (5, [None])


# ---------------------------------------------------------------- what backward may return

def test_incorrect_number_of_gradients():
    def too_few(lib):
        returning(lib, "Two", lambda g: g).apply(lib.ones(3, requires_grad=True),
                                                 lib.ones(3, requires_grad=True)).sum().backward()

    def too_many(lib):
        returning(lib, "Many", lambda g: (g, g)).apply(lib.ones(3, requires_grad=True)).sum().backward()

    def counts_non_tensor_args(lib):
        returning(lib, "ArgsBad", lambda g: (g, g)).apply(lib.ones(2, requires_grad=True), 3,
                                                          lib.ones(2, requires_grad=True)).sum().backward()
    assert same_error(too_few) == "function TwoBackward returned an incorrect number of gradients (expected 2, got 1)"
    assert same_error(too_many) == "function ManyBackward returned an incorrect number of gradients (expected 1, got 2)"
    assert same_error(counts_non_tensor_args) == ("function ArgsBadBackward returned an incorrect number of "
                                                  "gradients (expected 3, got 2)")


def test_wrong_shape_gradient():
    def f(n):
        def run(lib):
            returning(lib, "WrongShape", lambda g: lib.ones(n)).apply(lib.ones(2, requires_grad=True)).sum().backward()
        return run
    assert same_error(f(4)) == ("Function WrongShapeBackward returned an invalid gradient at index 0 - got [4] but "
                                "expected shape compatible with [2]")
    assert "got [1] but expected shape compatible with [2]" in same_error(f(1))  # not broadcast back


def test_gradient_for_non_tensor_input_or_non_tensor_gradient_raises():
    def f(lib):
        returning(lib, "IntArg", lambda g: (g * 2, lib.ones(1))).apply(lib.ones(2, requires_grad=True),
                                                                       2).sum().backward()
    assert same_error(f) == ("function IntArgBackward returned a gradient different than None at position 2, but "
                             "the corresponding forward input was not a Variable")

    def flt(lib):
        returning(lib, "Flt", lambda g: 3.0).apply(lib.ones(2, requires_grad=True)).sum().backward()
    assert same_error(flt) == "expected Variable or None (got float)"


def test_backward_returning_none_extra_nones_and_dtype_cast():
    def f(lib):
        x = lib.ones(2, requires_grad=True)
        returning(lib, "AllNone", lambda g: None).apply(x).sum().backward()
        none_grad = x.grad is None
        (unused,) = lib.autograd.grad(returning(lib, "AllNone", lambda g: None).apply(x).sum(), x, allow_unused=True)
        returning(lib, "Dbl", lambda g: g.double() * 3).apply(x).sum().backward()  # cast back to float32
        returning(lib, "ManyNone", lambda g: (g * 4, None, None)).apply(x).sum().backward()  # extra Nones: fine
        return none_grad, unused is None, str(x.grad.dtype), x.grad
    same(f)

    def g(lib):
        x = lib.ones(2, requires_grad=True)
        lib.autograd.grad(returning(lib, "AllNone", lambda g: None).apply(x).sum(), x)
    assert "appears to not have been used in the graph" in same_error(g)


# ---------------------------------------------------------------- several outputs

def split2(lib, seen):
    def forward(ctx, x, materialize):
        ctx.set_materialize_grads(materialize)
        return x * 2, x * 3

    def backward(ctx, g1, g2):
        seen.append((None if g1 is None else g1.tolist(), None if g2 is None else g2.tolist()))
        return (0 if g1 is None else 2 * g1) + (0 if g2 is None else 3 * g2), None
    return fn(lib, "Split2", forward, backward)


@pytest.mark.parametrize("materialize", [True, False])
def test_unused_output_grad_zeros_or_none(materialize):
    def f(lib):
        seen = []
        x = lib.ones(2, requires_grad=True)
        u, v = split2(lib, seen).apply(x, materialize)
        info = (u.grad_fn is v.grad_fn, u.output_nr, v.output_nr)
        u.sum().backward()
        return x.grad, seen, info
    e = same(f)
    assert e[1] == [([1.0, 1.0], [0.0, 0.0] if materialize else None)] and e[2] == (True, 0, 1)


def test_mark_non_differentiable_index_output():
    def f(lib):
        seen = []

        def forward(ctx, x):
            v, i = x.max(0)
            ctx.mark_non_differentiable(i)
            ctx.save_for_backward(x, i)
            return v, i

        def backward(ctx, gv, gi):
            seen.append((gi.tolist(), str(gi.dtype), tuple(gi.shape)))
            x, i = ctx.saved_tensors
            g = lib.zeros_like(x)
            g[i] = gv
            return g
        x = lib.tensor([1.0, 5.0, 2.0], requires_grad=True)
        v, i = fn(lib, "MaxIdx", forward, backward).apply(x)
        flags = (v.requires_grad, i.requires_grad, i.grad_fn is None, i.is_leaf, v.grad_fn.name())
        v.backward()
        return x.grad, flags, seen
    e = same(f)
    assert e[1] == (True, False, True, True, "MaxIdxBackward") and e[2] == [(0, "torch.int64", ())]


def half(lib, seen):
    def forward(ctx, x):
        y, z = x * 2, x * 3
        ctx.mark_non_differentiable(z)
        return y, z
    return fn(lib, "Half", forward, lambda ctx, gy, gz: (seen.append(gz.tolist()), gy * 2)[1])


def test_mark_non_differentiable_float_output():
    def f(lib):
        seen = []
        x = lib.ones(2, requires_grad=True)
        y, z = half(lib, seen).apply(x)
        y.sum().backward()
        return x.grad, z.requires_grad, z.grad_fn is None, seen
    assert same(f)[1:] == (False, True, [[0.0, 0.0]])

    def backward_from_marked(lib):
        y, z = half(lib, []).apply(lib.ones(2, requires_grad=True))
        z.sum().backward()
    assert same_error(backward_from_marked) == "element 0 of tensors does not require grad and does not have a grad_fn"


# ---------------------------------------------------------------- mark_dirty (in-place custom functions)

def add_one_(lib, mark=True):
    def forward(ctx, x):
        x.add_(1)
        if mark:
            ctx.mark_dirty(x)
        return x
    return fn(lib, "AddOne_", forward, lambda ctx, g: g)


def test_mark_dirty_inplace():
    def f(lib):
        a = lib.ones(2, requires_grad=True)
        b = a * 2
        v0 = b._version
        c = add_one_(lib).apply(b)
        info = (c is b, v0, b._version, b.grad_fn.name())
        (c * c).sum().backward()
        return a.grad, info, repr(c)
    assert same(f)[1] == (True, 0, 2, "AddOne_Backward")

    def no_grad_input(lib):
        a = lib.ones(2)
        c = add_one_(lib).apply(a)
        return c is a, a._version, c.requires_grad, c.grad_fn is None, a
    assert same(no_grad_input)[:4] == (True, 2, False, True)


def test_mark_dirty_errors_leaf_and_not_returned():
    def f(lib):
        add_one_(lib).apply(lib.ones(2, requires_grad=True))
    assert same_error(f) == "a leaf Variable that requires grad has been used in an in-place operation."

    def not_returned(lib):
        def forward(ctx, x):
            x.add_(1)
            ctx.mark_dirty(x)
            return x * 2
        fn(lib, "DirtyOther", forward, lambda ctx, g: g).apply(lib.ones(2, requires_grad=True) * 1)
    assert same_error(not_returned) == ("Some elements marked as dirty during the forward method were not returned "
                                        "as output. The inputs that are modified inplace must all be outputs of the "
                                        "Function.")


def test_inplace_without_mark_dirty_is_silently_accepted():
    # torch does not raise: the returned input becomes a new (view) tensor, the input keeps its own grad_fn
    def f(lib):
        a = lib.ones(2, requires_grad=True)
        b = a * 2
        c = add_one_(lib, mark=False).apply(b)
        info = (c is b, c._base is b, b._version, b.grad_fn.name(), c.grad_fn.name())
        (c * 5).sum().backward()
        return a.grad, b, info
    assert same(f)[2] == (False, True, 1, "MulBackward0", "AddOne_Backward")


# ---------------------------------------------------------------- inputs returned / no grad needed

def test_apply_without_requires_grad_or_under_no_grad():
    def f(lib):
        y = cube(lib).apply(lib.ones(3))
        with lib.no_grad():
            z = cube(lib).apply(lib.ones(3, requires_grad=True))
        return y.requires_grad, y.grad_fn is None, y.is_leaf, z.requires_grad, z.grad_fn is None, y
    assert same(f)[:5] == (False, True, True, False, True)


def test_forward_returning_input_unchanged():
    # torch returns a new tensor: a view of the input whose grad_fn is the custom node
    def f(lib):
        Ident = fn(lib, "Ident", lambda ctx, x: x, lambda ctx, g: g * 3)
        a = lib.ones(3, requires_grad=True)
        b = Ident.apply(a)
        c = lib.ones(2)
        info = (b is a, b._base is a, a.is_leaf, b.is_leaf, b.grad_fn.name(), Ident.apply(c) is c)
        b.sum().backward()
        return a.grad, info
    assert same(f)[1] == (False, True, True, False, "IdentBackward", False)


def test_forward_returning_view_of_input():
    def f(lib):
        a = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        b = fn(lib, "Head", lambda ctx, x: x[:2], lambda ctx, g: lib.cat([g, g.new_zeros(1)])).apply(a)
        info = (b._base is a, b.grad_fn.name())
        (b * b).sum().backward()
        return a.grad, info
    assert same(f)[1] == (True, "HeadBackward")


# ---------------------------------------------------------------- higher order

def test_create_graph_double_backward():
    def f(lib):
        x = lib.tensor([1.0, 2.0, -0.5], requires_grad=True)
        (g,) = lib.autograd.grad(cube(lib).apply(x).sum(), x, create_graph=True)
        info = (g.requires_grad, g.grad_fn.name())
        (h,) = lib.autograd.grad(g.sum(), x)
        return g, h, info
    same(f)


def cube_once(lib, seen):
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        seen.append((lib.is_grad_enabled(), g.requires_grad))
        return 3 * x * x * g
    return fn(lib, "CubeOnce", lambda ctx, x: (_save(ctx, x), x ** 3)[1],
              lib.autograd.function.once_differentiable(backward))


def test_once_differentiable():
    def f(lib):
        seen = []
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        cube_once(lib, seen).apply(x).sum().backward()
        (g,) = lib.autograd.grad(cube_once(lib, seen).apply(x).sum(), x, create_graph=True)
        return x.grad, g, g.requires_grad, seen
    assert same(f)[2:] == (False, [(False, False), (False, False)])


def test_once_differentiable_refuses_double_backward():
    def f(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        v = lib.ones(2, requires_grad=True)
        (g,) = lib.autograd.grad(cube_once(lib, []).apply(x), x, grad_outputs=v, create_graph=True)
        assert g.requires_grad and g.grad_fn.name() == "torch::autograd::Error"
        g.sum().backward()
    assert same_error(f) == "trying to differentiate twice a function that was marked with @once_differentiable"


# ---------------------------------------------------------------- legacy style

def test_legacy_instance_warns_and_call_raises():
    def f(lib):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            inst = cube(lib)()
        inst(lib.ones(2, requires_grad=True))
    assert same_error(f).startswith("Legacy autograd function with non-static forward method is deprecated. "
                                    "Please use new-style autograd function with static forward method.")
    for lib in (torch, ember):
        with pytest.warns(DeprecationWarning, match="should not be instantiated"):
            cube(lib)()


# ---------------------------------------------------------------- saved tensors: versions and freeing

def test_saved_input_modified_inplace_exact_message():
    def f(lib):
        x = lib.ones(3, requires_grad=True)
        c = lib.ones(3)  # a plain tensor: the message has no "which is output ..." part
        y = save_in(lib).apply(x, c)
        c.add_(1)
        y.sum().backward()
    assert same_error(f) == (
        "one of the variables needed for gradient computation has been modified by an inplace operation: "
        "[torch.FloatTensor [3]] is at version 1; expected version 0 instead. Hint: enable anomaly detection to find "
        "the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True, "
        "check_nan=False).")


def test_saved_nonleaf_and_output_modified_inplace_messages():
    def nonleaf(lib):
        b = lib.ones(3, requires_grad=True) * 1
        y = save_in(lib).apply(b, b)
        b.add_(1)
        y.sum().backward()

    def output(lib):
        o = save_out(lib).apply(lib.ones(3, requires_grad=True))
        o.mul_(2)
        o.sum().backward()
    assert "[torch.FloatTensor [3]], which is output 0 of Add, is at version 1;" in same_error(nonleaf)
    assert "[torch.FloatTensor [3]], which is output 0 of SaveOut, is at version 1;" in same_error(output)


def test_saved_tensors_freed_by_backward():
    def f(lib):
        x = lib.ones(3, requires_grad=True)
        y = save_in(lib).apply(x, x)
        y.sum().backward(retain_graph=True)
        kept = len(y.grad_fn.saved_tensors)
        y.sum().backward()
        return kept
    assert f(torch) == f(ember) == 2

    def g(lib):
        y = save_in(lib).apply(lib.ones(3, requires_grad=True), lib.ones(3))
        y.sum().backward()
        y.grad_fn.saved_tensors
    assert same_error(g).startswith("Trying to backward through the graph a second time (or directly access saved "
                                    "tensors after they have already been freed).")

    def saving(lib):
        y = save_in(lib).apply(lib.ones(2, requires_grad=True), lib.ones(2)).sum()
        y.backward()
        y.backward()
    same_error(saving)

    def not_saving(lib):  # torch allows it: nothing was saved, nothing was freed
        x = lib.ones(2, requires_grad=True)
        y = returning(lib, "NoSave", lambda g: g * 2).apply(x).sum()
        y.backward()
        y.backward()
        return x.grad
    same(not_saving)


# ---------------------------------------------------------------- the seed example (cs231n MyReLU)

def test_seed_custom_relu_training_loop():
    rng = np.random.default_rng(0)
    xn, yn, w1n, w2n = (rng.standard_normal(s).astype(np.float32) for s in [(16, 10), (16, 3), (10, 8), (8, 3)])

    def backward(ctx, grad_y):
        (x,) = ctx.saved_tensors
        grad_input = grad_y.clone()
        grad_input[x < 0] = 0
        return grad_input

    def f(lib):
        MyReLU = fn(lib, "MyReLU", lambda ctx, x: (_save(ctx, x), x.clamp(min=0))[1], backward)
        x, y = lib.tensor(xn), lib.tensor(yn)
        w1, w2 = lib.tensor(w1n, requires_grad=True), lib.tensor(w2n, requires_grad=True)
        losses = []
        for _ in range(5):
            y_pred = MyReLU.apply(x.mm(w1)).mm(w2)
            loss = (y_pred - y).pow(2).sum()
            losses.append(loss.item())
            loss.backward()
            with lib.no_grad():
                w1 -= 1e-3 * w1.grad
                w2 -= 1e-3 * w2.grad
                w1.grad.zero_()
                w2.grad.zero_()
        return y_pred.grad_fn.name(), y_pred.grad_fn.next_functions[0][0].name(), w1, w2, np.array(losses)
    assert same(f, atol=1e-4)[:2] == ("MmBackward0", "MyReLUBackward")
