"""gradcheck / gradgradcheck against torch's: verdicts, exception classes and the printed Jacobians."""
import warnings

import numpy as np
import pytest
import torch

import ember


def _bad(lib):
    class Bad(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 2

        @staticmethod
        def backward(ctx, g):
            x, = ctx.saved_tensors
            return g * x  # missing the factor 2
    return Bad


def _x(lib, dtype="float64"):
    return lib.tensor([1.0, 2.0], dtype=getattr(lib, dtype), requires_grad=True)


def test_mismatch_raises_gradcheck_error_with_torchs_message():
    msgs = []
    for lib in (ember, torch):
        from importlib import import_module
        err = import_module(lib.__name__ + ".autograd.gradcheck").GradcheckError
        assert issubclass(err, RuntimeError)
        with pytest.raises(err) as e:
            lib.autograd.gradcheck(_bad(lib).apply, (_x(lib),))
        msgs.append(str(e.value))
    assert msgs[0] == msgs[1]


def test_raise_exception_false_returns_false_and_good_functions_pass():
    for lib in (ember, torch):
        assert lib.autograd.gradcheck(_bad(lib).apply, (_x(lib),), raise_exception=False) is False
        assert lib.autograd.gradcheck(lambda a: a.sin() * a, (_x(lib),)) is True
        assert lib.autograd.gradgradcheck(lambda a: a.sin() * a, (_x(lib),)) is True


def test_float32_input_warns_and_no_grad_input_raises():
    for lib in (ember, torch):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            try:
                lib.autograd.gradcheck(lambda a: a.exp(), (_x(lib, "float32"),), raise_exception=False)
            except Exception:
                pass
        assert any("is not a double precision floating point or complex" in str(x.message) for x in w)
        with pytest.raises(ValueError, match="at least one input tensor to require gradient"):
            lib.autograd.gradcheck(lambda a: a.sin(), (_x(lib).detach(),))


def test_gradcheck_several_inputs_and_outputs():
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((2, 3)), rng.standard_normal((3,))
    for lib in (ember, torch):
        ta = lib.from_numpy(a.copy()).requires_grad_()
        tb = lib.from_numpy(b.copy()).requires_grad_()
        assert lib.autograd.gradcheck(lambda x, y: (x * y, (x @ y).tanh()), (ta, tb))
