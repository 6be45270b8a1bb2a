"""Grad modes against torch: ``inference_mode`` (and inference tensors' restrictions), nesting with
``no_grad``/``enable_grad``/``set_grad_enabled``, anomaly detection (NaN checks, the forward-traceback warning),
and the legacy ``autograd.Variable``."""
import warnings

import numpy as np
import pytest
import torch

import ember
from conftest import same, same_error


@pytest.fixture(autouse=True)
def _restore_global_modes():
    """A failing test must not leave grad or anomaly mode switched for the next one."""
    yield
    for lib in (torch, ember):
        lib.set_grad_enabled(True)
        if hasattr(lib.autograd, "set_detect_anomaly"):
            lib.autograd.set_detect_anomaly(False)


# ---------------------------------------------------------------- inference_mode

def test_inference_mode_context():
    def f(lib):
        x = lib.ones(3, requires_grad=True)
        out = [(lib.is_inference_mode_enabled(), x.is_inference())]
        with lib.inference_mode():
            y = x * 2
            z = lib.ones(2)
            out.append((lib.is_inference_mode_enabled(), lib.is_grad_enabled()))
            out.append((y.requires_grad, y.grad_fn is None, y.is_inference(), x.is_inference(), z.is_inference()))
        out.append((lib.is_inference_mode_enabled(), lib.is_grad_enabled(), y.is_inference()))
        return out, y, type(lib.is_inference_mode_enabled()).__name__
    assert same(f)[0] == [(False, False), (True, False), (False, True, True, False, True), (False, True, True)]


def test_inference_mode_false_and_nesting():
    def f(lib):
        x = lib.ones(3, requires_grad=True)
        out = []
        with lib.inference_mode():
            with lib.inference_mode(False):
                w = x * 2
                out.append((lib.is_inference_mode_enabled(), lib.is_grad_enabled(), w.requires_grad,
                            w.is_inference()))
            with lib.enable_grad():  # grad mode on, but inference mode still wins for new tensors
                v = x * 2
                out.append((lib.is_grad_enabled(), v.requires_grad, v.is_inference()))
            with lib.set_grad_enabled(True):
                out.append((lib.is_grad_enabled(), lib.is_inference_mode_enabled()))
            with lib.no_grad():
                pass
            out.append((lib.is_grad_enabled(), lib.is_inference_mode_enabled()))
        with lib.inference_mode(False):
            out.append((lib.is_inference_mode_enabled(), lib.is_grad_enabled()))
        with lib.no_grad():
            with lib.inference_mode():
                out.append((lib.is_grad_enabled(), lib.is_inference_mode_enabled()))
            out.append((lib.is_grad_enabled(), lib.is_inference_mode_enabled()))
        with lib.inference_mode(mode=False):
            out.append(lib.is_inference_mode_enabled())
        return out
    assert same(f) == [(False, True, True, False), (True, False, True), (True, True), (False, True), (False, True),
                       (False, True), (False, False), False]


def test_inference_mode_decorators():
    def f(lib):
        x = lib.ones(2, requires_grad=True)

        @lib.inference_mode()
        def called(a):
            return a * 2

        @lib.inference_mode
        def bare(a):
            return a * 2

        @lib.inference_mode(False)
        def off(a):
            return a * 2

        @lib.inference_mode()
        def gen(a):
            yield lib.is_inference_mode_enabled(), (a * 2).is_inference()
            yield lib.is_inference_mode_enabled(), 0
        out = [(r.requires_grad, r.is_inference()) for r in (called(x), bare(x), off(x))]
        g = gen(x)
        out += [next(g), lib.is_inference_mode_enabled(), next(g)]
        return out, lib.autograd.inference_mode is lib.inference_mode
    assert same(f)[0] == [(False, True), (False, True), (True, False), (True, True), False, (True, 0)]


def _inference_tensor(lib):
    with lib.inference_mode():
        return lib.ones(3)


SAVED_MSG = ("Inference tensors cannot be saved for backward. Please do not use Tensors created in inference mode in "
             "computation tracked by autograd. To work around this, you can make a clone to get a normal tensor and "
             "use it in autograd, or use `torch.no_grad()` instead of `torch.inference_mode()`.")
INPLACE_MSG = ("Inplace update to inference tensor outside InferenceMode is not allowed.You can make a clone to get a "
               "normal tensor before doing inplace update.See https://github.com/pytorch/rfcs/pull/17 for more "
               "details.")


@pytest.mark.parametrize("op, msg", [
    (lambda lib, t: t * lib.ones(3, requires_grad=True), SAVED_MSG),
    (lambda lib, t: lib.ones(3, requires_grad=True) * t, SAVED_MSG),
    (lambda lib, t: lib.ones(3, requires_grad=True).exp() * t, SAVED_MSG),
    (lambda lib, t: t.add_(1), INPLACE_MSG),
    (lambda lib, t: t.__setitem__(0, 2.0), INPLACE_MSG),
    (lambda lib, t: t.requires_grad_(), "Setting requires_grad=True on inference tensor outside InferenceMode is not "
                                        "allowed."),
    (lambda lib, t: t._version, "Inference tensors do not track version counter."),
], ids=["saved_lhs", "saved_rhs", "saved_after_exp", "add_", "setitem", "requires_grad_", "_version"])
def test_inference_tensor_restrictions_outside_inference_mode(op, msg):
    assert same_error(lambda lib: op(lib, _inference_tensor(lib))) == msg


def test_inference_tensor_allowed_uses():
    def f(lib):
        t = _inference_tensor(lib)
        n = lib.ones(3)
        n.add_(t)  # a normal tensor updated in place from an inference tensor
        out = [(t * 2).requires_grad, t.exp().is_inference(), t.clone().is_inference(), t.view(3).is_inference(),
               t.detach().is_inference(), t.numpy().tolist(), n.tolist()]
        with lib.inference_mode():
            t.add_(1)  # in-place inside inference mode is fine
        out.append(t.tolist())
        with lib.no_grad():
            with pytest.raises(RuntimeError, match="Inplace update to inference tensor outside InferenceMode"):
                t.add_(1)  # no_grad is not inference mode (torch raises after writing: values not compared)
        return out
    assert same(f) == [False, False, False, True, True, [1.0, 1.0, 1.0], [2.0, 2.0, 2.0], [2.0, 2.0, 2.0]]


def test_inference_tensor_version_raises_inside_inference_mode_too():
    def f(lib):
        t = _inference_tensor(lib)
        with lib.inference_mode():
            t._version
    assert same_error(f) == "Inference tensors do not track version counter."


def test_normal_tensors_inside_inference_mode():
    def f(lib):
        n = lib.ones(3)
        x = lib.ones(3, requires_grad=True)
        with lib.inference_mode():
            n.add_(1)  # tracked by its counter
            v = n[:2]
            x.add_(1)  # a leaf requiring grad may be updated, as under no_grad
            info = (n.is_inference(), v.is_inference(), x.is_inference(), x.requires_grad)
        return n._version, info, n, x
    assert same(f)[:2] == (1, (False, False, False, True))


# ---------------------------------------------------------------- set_grad_enabled

def test_set_grad_enabled_function_context_and_decorator():
    def f(lib):
        x = lib.ones(2, requires_grad=True)
        out = []
        r = lib.set_grad_enabled(False)  # takes effect at once, as a plain call
        out.append((type(r).__name__, lib.is_grad_enabled(), (x * 2).requires_grad))
        lib.set_grad_enabled(True)
        with lib.set_grad_enabled(False):
            out.append(lib.is_grad_enabled())
        out.append(lib.is_grad_enabled())
        with lib.no_grad():
            with lib.set_grad_enabled(True):
                out.append(((x * 2).requires_grad, lib.is_grad_enabled()))
            out.append(lib.is_grad_enabled())

        @lib.set_grad_enabled(False)
        def g(a):
            return lib.is_grad_enabled(), (a * 2).requires_grad
        out.append(lib.is_grad_enabled())  # decorating does not switch grad off
        out.append(g(x))
        out.append(lib.is_grad_enabled())
        return out
    assert same(f) == [("set_grad_enabled", False, False), False, True, (True, True), False, True, (False, False),
                       True]


# ---------------------------------------------------------------- anomaly detection

def nan_fn(lib, name="MyFn", nan_at=0, n_in=1):
    def backward(ctx, g):
        grads = [g * 2] * n_in
        grads[nan_at] = g * float("nan")
        return tuple(grads) if n_in > 1 else grads[0]
    return type(name, (lib.autograd.Function,), {"forward": staticmethod(lambda ctx, *xs: xs[0] * 2),
                                                 "backward": staticmethod(backward)})


ENABLED_MSG = ("Anomaly Detection has been enabled. This mode will increase the runtime and should only be enabled "
               "for debugging.")


def test_detect_anomaly_context_state_and_warning():
    def f(lib):
        out = [lib.is_anomaly_enabled()]
        with pytest.warns(UserWarning, match="Anomaly Detection has been enabled") as rec:
            with lib.autograd.detect_anomaly():
                out.append((lib.is_anomaly_enabled(), lib.is_anomaly_check_nan_enabled()))
        out.append(lib.is_anomaly_enabled())
        with pytest.warns(UserWarning):
            with lib.autograd.detect_anomaly(check_nan=False):
                out.append((lib.is_anomaly_enabled(), lib.is_anomaly_check_nan_enabled()))
        with pytest.raises(ValueError), pytest.warns(UserWarning):
            with lib.autograd.detect_anomaly():
                raise ValueError
        out.append((lib.is_anomaly_enabled(), lib.is_anomaly_check_nan_enabled()))
        return out, str(rec[0].message)
    assert same(f) == ([False, (True, True), False, (True, False), (False, True)], ENABLED_MSG)


def test_detect_anomaly_is_not_a_decorator():
    def f(lib):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            lib.autograd.detect_anomaly()(lambda: None)
    assert same_error(f) == "'detect_anomaly' object is not callable"


@pytest.mark.parametrize("nan_at, n_in, needs", [(0, 1, (True,)), (1, 2, (True, True)), (1, 2, (True, False))])
def test_backward_returning_nan_raises(nan_at, n_in, needs):
    def f(lib):
        xs = [lib.ones(3, requires_grad=r) for r in needs]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with lib.autograd.detect_anomaly():
                nan_fn(lib, nan_at=nan_at, n_in=n_in).apply(*xs).sum().backward()
    assert same_error(f) == f"Function 'MyFnBackward' returned nan values in its {nan_at}th output."


def test_builtin_backward_returning_nan_raises():
    def f(lib):
        x = lib.tensor([-1.0, 1.0], requires_grad=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with lib.autograd.detect_anomaly():
                x.sqrt().sum().backward()
    assert same_error(f) == "Function 'SqrtBackward0' returned nan values in its 0th output."

    def inf_is_fine(lib):
        x = lib.tensor([0.0, 1.0], requires_grad=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with lib.autograd.detect_anomaly():
                x.sqrt().sum().backward()
        return x.grad
    same(inf_is_fine)


def test_anomaly_warning_shows_forward_traceback():
    for lib in (torch, ember):
        x = lib.ones(3, requires_grad=True)
        with warnings.catch_warnings(record=True) as rec:
            warnings.simplefilter("always")
            with lib.autograd.detect_anomaly():
                out = nan_fn(lib).apply(x)  # forward-call-marker
                with pytest.raises(RuntimeError, match="returned nan values"):
                    out.sum().backward()
        msgs = [str(w.message) for w in rec if w.category is UserWarning]
        assert msgs[0] == ENABLED_MSG
        tb = [m for m in msgs if m.startswith("Error detected in MyFnBackward.")]
        assert len(tb) == 1, (lib.__name__, msgs)
        assert tb[0].startswith("Error detected in MyFnBackward. Traceback of forward call that caused the error:\n")
        assert "test_modes.py" in tb[0] and "out = nan_fn(lib).apply(x)  # forward-call-marker" in tb[0], lib.__name__


def test_check_nan_false_and_no_anomaly_let_nan_through():
    def f(lib):
        x = lib.ones(3, requires_grad=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with lib.autograd.detect_anomaly(check_nan=False):
                nan_fn(lib).apply(x).sum().backward()
        g1 = x.grad.clone()
        x.grad = None
        nan_fn(lib).apply(x).sum().backward()
        return g1, x.grad
    same(f)


def test_set_detect_anomaly_function_and_context():
    def f(lib):
        out = []
        with warnings.catch_warnings(record=True) as rec:
            warnings.simplefilter("always")
            r = lib.autograd.set_detect_anomaly(True)
            out.append((type(r).__name__, lib.is_anomaly_enabled(), lib.is_anomaly_check_nan_enabled()))
            lib.autograd.set_detect_anomaly(False)
            out.append(lib.is_anomaly_enabled())
            lib.autograd.set_detect_anomaly(True, check_nan=False)
            out.append((lib.is_anomaly_enabled(), lib.is_anomaly_check_nan_enabled()))
            lib.autograd.set_detect_anomaly(False)
            with lib.autograd.set_detect_anomaly(True):
                out.append(lib.is_anomaly_enabled())
            out.append((lib.is_anomaly_enabled(), lib.is_anomaly_check_nan_enabled()))
        out.append(len(rec))  # set_detect_anomaly does not warn
        return out
    assert same(f) == [("set_detect_anomaly", True, True), False, (True, False), True, (False, True), 0]


def test_set_detect_anomaly_true_raises_on_nan():
    def f(lib):
        lib.autograd.set_detect_anomaly(True)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                nan_fn(lib).apply(lib.ones(3, requires_grad=True)).sum().backward()
        finally:
            lib.autograd.set_detect_anomaly(False)
    assert same_error(f) == "Function 'MyFnBackward' returned nan values in its 0th output."


def test_anomaly_mode_keeps_results():
    def f(lib):
        x = lib.tensor([0.5, -1.0, 2.0], requires_grad=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with lib.autograd.detect_anomaly():
                y = (x.tanh() * x.exp()).sum()
                (g,) = lib.autograd.grad(y, x, create_graph=True)
                g.sum().backward()
        return g, x.grad
    same(f)


# ---------------------------------------------------------------- autograd.Variable

def test_variable_returns_a_tensor():
    def f(lib):
        V = lib.autograd.Variable
        src = lib.ones(2)
        v = V(src, requires_grad=True)
        w = V(src)
        with lib.no_grad():
            v[0] = 5.0  # shares memory with src
        nonleaf = lib.ones(2, requires_grad=True) * 2
        a, b = V(nonleaf), V(nonleaf, requires_grad=True)
        return ((type(v) is lib.Tensor, isinstance(v, lib.Tensor), v.requires_grad, v.is_leaf, v is src,
                 src.requires_grad, type(v.data) is lib.Tensor, v.data.requires_grad),
                (w.requires_grad, w is src), (a.requires_grad, a.grad_fn is None, a.is_leaf),
                (b.requires_grad, b.grad_fn is None, b.is_leaf), src)
    assert same(f)[:4] == ((True, True, True, True, False, False, True, False), (False, False), (False, True, True),
                           (True, True, True))


def test_isinstance_of_variable():
    for lib in (torch, ember):
        V = lib.autograd.Variable
        assert isinstance(lib.ones(2), V) and isinstance(lib.ones(2, requires_grad=True) * 2, V)
        assert not isinstance(np.ones(2), V) and not isinstance(3.0, V)
        assert not issubclass(lib.Tensor, V)


@pytest.mark.parametrize("data, name", [("string", "str"), ([1.0, 2.0], "list"), (3.0, "float")])
def test_variable_of_non_tensor_raises(data, name):
    assert same_error(lambda lib: lib.autograd.Variable(data)) == f"Variable data has to be a tensor, but got {name}"


def test_variable_odd_arguments():
    def f(lib):
        e = lib.autograd.Variable()
        with pytest.warns(UserWarning, match="volatile was removed") as rec:
            v = lib.autograd.Variable(lib.ones(2), volatile=True)
        return tuple(e.shape), str(e.dtype), v.requires_grad, str(rec[0].message)
    assert same(f) == ((0,), "torch.float32", False, "volatile was removed and now has no effect. Use `with "
                       "torch.no_grad():` instead.")
    assert same_error(lambda lib: lib.autograd.Variable(lib.ones(2, dtype=lib.int64), requires_grad=True)) == \
        "Only Tensors of floating point and complex dtype can require gradients"
