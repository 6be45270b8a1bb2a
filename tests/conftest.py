"""The torch-comparison helpers every op test uses.

``check(fn, *inputs)`` runs ``fn(lib, *tensors)`` with ``lib`` = ember and then
torch on the same NumPy inputs, compares shape, dtype and values of every
output, backpropagates the same random upstream gradient through both and
compares every input's grad. ``check_raises`` asserts that ember raises the
same exception class torch does. ``check_gradcheck`` runs ember's float64
gradcheck.
"""
import numpy as np
import pytest
import torch  # the oracle: a missing torch must fail the run, never skip

import ember

_TOL = {np.float16: (1e-2, 1e-2), np.float32: (1e-5, 1e-4), np.float64: (1e-10, 1e-8)}


def _to_lib(lib, x, requires_grad):
    if isinstance(x, np.ndarray):
        if lib is torch:
            t = torch.from_numpy(x.copy())
        else:
            t = ember.from_numpy(x.copy())
        if requires_grad and x.dtype.kind in "fc":
            t.requires_grad_(True)
        return t
    return x


def _flatten(out):
    """Outputs as a flat list (tuples, lists and return_types unpacked)."""
    if isinstance(out, (tuple, list)):
        res = []
        for o in out:
            res.extend(_flatten(o))
        return res
    return [out]


def _np(t):
    # clone: torch's ZeroTensor grads (e.g. sgn's backward) refuse .numpy() until materialised
    return t.detach().clone().numpy() if hasattr(t, "detach") else t


def assert_same(e_out, t_out, atol=None, rtol=None, check_dtype=True, what="output"):
    """Compare an ember result with torch's: type, shape, dtype, values."""
    if isinstance(t_out, torch.Tensor):
        assert isinstance(e_out, ember.Tensor), f"{what}: expected a Tensor, got {type(e_out).__name__}"
        assert tuple(e_out.shape) == tuple(t_out.shape), f"{what}: shape {tuple(e_out.shape)} != {tuple(t_out.shape)}"
        if check_dtype:
            assert str(e_out.dtype) == str(t_out.dtype), f"{what}: dtype {e_out.dtype} != {t_out.dtype}"
        a, b = _np(e_out), _np(t_out)
        if a.dtype.kind in "fc":
            at, rt = _TOL.get(b.dtype.type, (1e-5, 1e-4))
            np.testing.assert_allclose(a.astype(np.complex128 if a.dtype.kind == "c" else np.float64),
                                       b.astype(np.complex128 if b.dtype.kind == "c" else np.float64),
                                       atol=atol if atol is not None else at, rtol=rtol if rtol is not None else rt,
                                       equal_nan=True, err_msg=what)
        else:
            np.testing.assert_array_equal(a, b, err_msg=what)
    elif isinstance(t_out, torch.Size):
        assert tuple(e_out) == tuple(t_out), f"{what}: {e_out} != {t_out}"
    elif isinstance(t_out, float):
        assert isinstance(e_out, float), f"{what}: expected float, got {type(e_out).__name__}"
        np.testing.assert_allclose(e_out, t_out, atol=atol or 1e-6, rtol=rtol or 1e-5, err_msg=what)
    else:
        assert type(e_out) is type(t_out), f"{what}: type {type(e_out).__name__} != {type(t_out).__name__}"
        assert e_out == t_out, f"{what}: {e_out!r} != {t_out!r}"


def check(fn, *inputs, grad=True, atol=None, rtol=None, grad_atol=None, grad_rtol=None, check_dtype=True, seed=0,
          check_grad_fn=True):
    """Run ``fn(lib, *tensors)`` on ember and torch with the same inputs; compare outputs, then grads.

    With ``check_grad_fn`` the outputs' ``grad_fn`` node names must match torch's too.
    """
    t_in = [_to_lib(torch, x, grad) for x in inputs]
    e_in = [_to_lib(ember, x, grad) for x in inputs]
    t_out = fn(torch, *t_in)
    e_out = fn(ember, *e_in)
    t_flat, e_flat = _flatten(t_out), _flatten(e_out)
    assert len(t_flat) == len(e_flat), f"number of outputs {len(e_flat)} != {len(t_flat)}"
    for i, (e, t) in enumerate(zip(e_flat, t_flat)):
        assert_same(e, t, atol, rtol, check_dtype, what=f"output {i}")
        if check_grad_fn and isinstance(t, torch.Tensor) and t.grad_fn is not None:
            assert e.grad_fn is not None and e.grad_fn.name() == t.grad_fn.name(), (
                f"output {i}: grad_fn {e.grad_fn.name() if e.grad_fn else None} != {t.grad_fn.name()}")
    if not grad:
        return e_out
    rng = np.random.default_rng(seed)
    t_roots, e_roots, t_gs, e_gs = [], [], [], []
    for e, t in zip(e_flat, t_flat):
        if isinstance(t, torch.Tensor) and t.requires_grad:
            assert e.requires_grad, "torch's output requires grad, ember's does not"
            g = rng.standard_normal(tuple(t.shape)).astype(_np(t).dtype)
            t_roots.append(t)
            e_roots.append(e)
            t_gs.append(torch.from_numpy(g.copy()))
            e_gs.append(ember.from_numpy(g.copy()))
        elif isinstance(e, ember.Tensor):
            assert not e.requires_grad, "ember's output requires grad, torch's does not"
    if not t_roots:
        return e_out
    torch.autograd.backward(t_roots, t_gs)
    ember.autograd.backward(e_roots, e_gs)
    for i, (e, t) in enumerate(zip(e_in, t_in)):
        if isinstance(t, torch.Tensor) and t.requires_grad:
            if t.grad is None:
                assert e.grad is None or not np.any(_np(e.grad)), f"input {i}: torch has no grad, ember has one"
                continue
            assert e.grad is not None, f"input {i}: ember computed no grad"
            assert_same(e.grad, t.grad, grad_atol if grad_atol is not None else atol,
                        grad_rtol if grad_rtol is not None else rtol, check_dtype, what=f"grad of input {i}")
    return e_out


def check_raises(fn, *inputs, match_message=False):
    """ember must raise the same exception class as torch (the nearest builtin class of torch's)."""
    t_in = [_to_lib(torch, x, False) for x in inputs]
    e_in = [_to_lib(ember, x, False) for x in inputs]
    with pytest.raises(Exception) as t_exc:
        fn(torch, *t_in)
    t_type = t_exc.type
    # torch raises subclasses such as torch._C._LinAlgError: compare against the builtin it derives from
    base = next(c for c in t_type.__mro__ if c.__module__ == "builtins")
    with pytest.raises(base) as e_exc:
        fn(ember, *e_in)
    if match_message:
        assert str(e_exc.value) == str(t_exc.value)
    return e_exc.value, t_exc.value


def check_or_raises(fn, *inputs, **kw):
    """``check`` where torch succeeds, ``check_raises`` where torch raises (the same class from ember)."""
    t_in = [torch.from_numpy(x.copy()) if isinstance(x, np.ndarray) else x for x in inputs]
    try:
        fn(torch, *t_in)
    except Exception:
        check_raises(fn, *inputs)
        return "raises"
    check(fn, *inputs, **kw)
    return "ok"


def check_gradcheck(fn, *arrays, **kw):
    """ember's float64 finite-difference check of ``fn(*tensors)``'s backward."""
    ts = [ember.from_numpy(np.asarray(a, dtype=np.float64).copy()).requires_grad_() if isinstance(a, np.ndarray)
          else a for a in arrays]
    assert ember.autograd.gradcheck(fn, tuple(ts), **kw)


@pytest.fixture
def rng():
    return np.random.default_rng(0)


def randn(*shape, dtype=np.float32, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


# ---- value/exception comparison of ``fn(lib)`` run on both libraries (tests/autograd)

def np_(x):
    if isinstance(x, (tuple, list)):
        return type(x)(np_(v) for v in x)
    return x.detach().numpy() if hasattr(x, "detach") else x


def same(fn, **kw):
    """``fn(lib)`` on both libraries; every returned tensor/value must agree. Returns ember's (as NumPy)."""
    t, e = np_(fn(torch)), np_(fn(ember))
    ts, es = (t, e) if isinstance(t, (tuple, list)) else ((t,), (e,))
    assert len(es) == len(ts)
    for i, (a, b) in enumerate(zip(es, ts)):
        if isinstance(b, np.ndarray):
            assert isinstance(a, np.ndarray) and a.dtype == b.dtype, f"result {i}: {a!r} vs {b!r}"
            np.testing.assert_allclose(a, b, rtol=1e-6, err_msg=f"result {i}", **kw)
        else:
            assert a == b, f"result {i}: ember {a!r} != torch {b!r}"
    return e


def same_error(fn, exact=True):
    """``fn(lib)`` raises with torch; ember must raise the same (builtin) class and, with ``exact``, message."""
    with pytest.raises(Exception) as t:
        fn(torch)
    base = next(c for c in t.type.__mro__ if c.__module__ == "builtins")
    with pytest.raises(base) as e:
        fn(ember)
    if exact:
        assert str(e.value) == str(t.value)
    return str(t.value)
