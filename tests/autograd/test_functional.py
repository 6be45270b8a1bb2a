"""ember.autograd.functional against torch.autograd.functional on the same NumPy inputs.

Every test runs one lambda ``f(lib, *tensors)`` through both libraries and compares
values, the tuple/list nesting of the result, ``requires_grad`` and, with
``create_graph=True``, a derivative of the result taken once more.
"""
import numpy as np
import pytest
import torch
import torch.autograd.functional as TF

import ember
import ember.autograd.functional as EF
from conftest import assert_same, randn

LIBS = ((torch, TF), (ember, EF))
TOL = {np.float32: dict(atol=1e-5, rtol=1e-4), np.float64: dict(atol=1e-10, rtol=1e-8)}


def _t(lib, a, requires_grad=False):
    return lib.from_numpy(a.copy()).requires_grad_(requires_grad)


def _pack(lib, arrays, as_tuple, requires_grad=False):
    ts = tuple(_t(lib, a, requires_grad) for a in arrays)
    return ts if as_tuple else ts[0]


def assert_tree(e, t, dtype=np.float64, what="result"):
    """Same nesting (tuple vs list vs Tensor), shapes, dtypes, values and requires_grad."""
    if isinstance(t, (tuple, list)):
        assert type(e) is type(t), f"{what}: {type(e).__name__} != {type(t).__name__}"
        assert len(e) == len(t), f"{what}: length {len(e)} != {len(t)}"
        for i, (a, b) in enumerate(zip(e, t)):
            assert_tree(a, b, dtype, f"{what}[{i}]")
        return
    assert_same(e, t, what=what, **TOL[dtype])
    assert e.requires_grad == t.requires_grad, f"{what}: requires_grad {e.requires_grad} != {t.requires_grad}"


def both(name, f, arrays, as_tuple=True, v=None, v_tuple=None, requires_grad=False, **kw):
    """``name`` of both libraries on the same inputs; returns [(torch result, torch inputs), (ember ...)]."""
    res = []
    for lib, F in LIBS:
        inputs = _pack(lib, arrays, as_tuple, requires_grad)
        vv = None if v is None else _pack(lib, v, as_tuple if v_tuple is None else v_tuple)
        args = () if name in ("jacobian", "hessian") else (vv,)
        res.append((getattr(F, name)(lambda *xs: f(lib, *xs), inputs, *args, **kw), inputs))
    return res


def raises_like(name, f, arrays, as_tuple=True, v=None, v_tuple=None, **kw):
    """ember raises torch's exception class with torch's message."""
    excs = []
    for lib, F in LIBS:
        inputs = _pack(lib, arrays, as_tuple)
        vv = None if v is None else _pack(lib, v, as_tuple if v_tuple is None else v_tuple)
        args = () if name in ("jacobian", "hessian") else (vv,)
        with pytest.raises(Exception) as exc:
            getattr(F, name)(lambda *xs: f(lib, *xs), inputs, *args, **kw)
        excs.append(exc.value)
    assert type(excs[1]) is type(excs[0]), f"{type(excs[1]).__name__} != {type(excs[0]).__name__}: {excs[1]}"
    assert str(excs[1]) == str(excs[0])


# (f, input shapes) for vjp/jvp/jacobian: elementwise, matmul, reductions, several inputs with tuple outputs
FUNCS = {
    "elementwise": (lambda L, x: x.sin() * x.exp() + x * x, [(2, 3)]),
    "matmul": (lambda L, x, w: x @ w, [(2, 3), (3, 4)]),
    "reductions": (lambda L, x: (x.sum(0), (x ** 2).mean(), x.max(1).values), [(3, 4)]),
    "tuple_out": (lambda L, x, y: (x * y, (x - y).tanh().sum(), L.stack([x, y]).prod(0)), [(4,), (4,)]),
    "unused_input": (lambda L, x, y: x * 2 + 1, [(3,), (2,)]),
    "scalar": (lambda L, x: (x.sigmoid() * 3).log().sum(), [(5,)]),
}


def _inputs(shapes, dtype, seed=0):
    return [randn(*s, dtype=dtype, seed=seed + i) for i, s in enumerate(shapes)]


def _out_shapes(f, arrays):
    out = f(torch, *[torch.from_numpy(a) for a in arrays])
    return [tuple(o.shape) for o in (out if isinstance(out, tuple) else (out,))], isinstance(out, tuple)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", list(FUNCS))
@pytest.mark.parametrize("vectorize", [False, True])
def test_jacobian(name, dtype, vectorize):
    f, shapes = FUNCS[name]
    arrays = _inputs(shapes, dtype)
    for as_tuple in ([True, False] if len(arrays) == 1 else [True]):
        (t, _), (e, _) = both("jacobian", f, arrays, as_tuple, vectorize=vectorize)
        assert_tree(e, t, dtype)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", list(FUNCS))
def test_vjp(name, dtype):
    f, shapes = FUNCS[name]
    arrays = _inputs(shapes, dtype)
    out_shapes, out_tuple = _out_shapes(f, arrays)
    v = _inputs(out_shapes, dtype, seed=10)
    for as_tuple in ([True, False] if len(arrays) == 1 else [True]):
        (t, _), (e, _) = both("vjp", f, arrays, as_tuple, v=v, v_tuple=out_tuple)
        assert_tree(e, t, dtype)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", list(FUNCS))
def test_jvp(name, dtype):
    f, shapes = FUNCS[name]
    arrays = _inputs(shapes, dtype)
    v = _inputs(shapes, dtype, seed=10)
    for as_tuple in ([True, False] if len(arrays) == 1 else [True]):
        (t, _), (e, _) = both("jvp", f, arrays, as_tuple, v=v)
        assert_tree(e, t, dtype)


def test_v_none_for_scalar():
    f = lambda L, x: (x * x).sum()  # noqa: E731
    (t, _), (e, _) = both("vjp", f, [np.array([1.5])], as_tuple=False)
    assert_tree(e, t)
    (t, _), (e, _) = both("jvp", lambda L, x: x.exp(), [np.array(0.5)], as_tuple=False)
    assert_tree(e, t)
    (t, _), (e, _) = both("hvp", lambda L, x: x ** 3, [np.array(2.0)], as_tuple=False)
    assert_tree(e, t)


def _mlp_loss(L, w1, b1, w2):
    """A small MLP's mean squared error on fixed data."""
    x = L.from_numpy(randn(5, 3, dtype=np.float64, seed=7)).to(w1.dtype)
    y = L.from_numpy(randn(5, 2, dtype=np.float64, seed=8)).to(w1.dtype)
    return ((x @ w1 + b1).tanh() @ w2 - y).pow(2).mean()


# scalar functions for hessian/hvp/vhp
SCALAR = {
    "elementwise": (lambda L, x: (x.sin() * x).sum(), [(2, 3)]),
    "two_inputs": (lambda L, x, y: (x.exp() * y.sum() + x * y).sum() ** 2, [(3,), (3,)]),
    "unused_input": (lambda L, x, y: (x ** 3).sum(), [(3,), (2,)]),
    "mlp": (_mlp_loss, [(3, 4), (4,), (4, 2)]),
    "one_element_output": (lambda L, x: (x.cos() * x).sum().reshape(1, 1), [(2, 2)]),  # hessian squeezes it
}


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", list(SCALAR))
@pytest.mark.parametrize("vectorize", [False, True])
def test_hessian(name, dtype, vectorize):
    f, shapes = SCALAR[name]
    arrays = _inputs(shapes, dtype)
    for as_tuple in ([True, False] if len(arrays) == 1 else [True]):
        (t, _), (e, _) = both("hessian", f, arrays, as_tuple, vectorize=vectorize)
        assert_tree(e, t, dtype)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", list(SCALAR))
@pytest.mark.parametrize("fn", ["hvp", "vhp"])
def test_hvp_vhp(fn, name, dtype):
    f, shapes = SCALAR[name]
    arrays = _inputs(shapes, dtype)
    v = _inputs(shapes, dtype, seed=10)
    for as_tuple in ([True, False] if len(arrays) == 1 else [True]):
        (t, _), (e, _) = both(fn, f, arrays, as_tuple, v=v)
        assert_tree(e, t, dtype)


def _second_derivative(res, inputs, lib):
    """d(sum of every tensor in res)/d(inputs): the result is differentiable again."""
    leaves = []
    stack = [res]
    while stack:
        r = stack.pop()
        if isinstance(r, (tuple, list)):
            stack.extend(r)
        elif r.requires_grad:
            leaves.append(r)
    assert leaves, "create_graph=True gave no differentiable result"
    total = sum(r.sum() for r in leaves)
    return lib.autograd.grad(total, inputs, allow_unused=True, materialize_grads=True)


@pytest.mark.parametrize("fn,fname", [("jacobian", "tuple_out"), ("jacobian", "elementwise"), ("vjp", "tuple_out"),
                                      ("jvp", "tuple_out"), ("jvp", "elementwise"), ("hessian", "two_inputs"),
                                      ("hessian", "mlp"), ("hvp", "mlp"), ("vhp", "two_inputs"), ("hvp", "two_inputs")])
@pytest.mark.parametrize("leaf_inputs", [True, False])
def test_create_graph(fn, fname, leaf_inputs):
    f, shapes = (SCALAR if fn in ("hessian", "hvp", "vhp") else FUNCS)[fname]
    arrays = _inputs(shapes, np.float64)
    v = None
    if fn in ("jvp", "hvp", "vhp"):
        v = _inputs(shapes, np.float64, seed=10)
    elif fn == "vjp":
        v = _inputs(_out_shapes(f, arrays)[0], np.float64, seed=10)
    # inputs that require grad: the result hangs on the caller's graph; otherwise on fresh leaves
    (t, t_in), (e, e_in) = both(fn, f, arrays, v=v, requires_grad=leaf_inputs, create_graph=True)
    assert_tree(e, t)
    if leaf_inputs:
        assert_tree(_second_derivative(e, e_in, ember), _second_derivative(t, t_in, torch), what="second derivative")


def test_create_graph_under_no_grad():
    f, shapes = FUNCS["elementwise"]
    with torch.no_grad(), ember.no_grad():
        (t, _), (e, _) = both("jacobian", f, _inputs(shapes, np.float64), requires_grad=True, create_graph=True)
        (tv, _), (ev, _) = both("vjp", f, _inputs(shapes, np.float64), v=_inputs(shapes, np.float64), create_graph=True)
    assert_tree(e, t)
    assert_tree(ev, tv)


def test_without_create_graph_results_are_detached():
    f, shapes = FUNCS["tuple_out"]
    arrays = _inputs(shapes, np.float64)
    (t, _), (e, _) = both("vjp", f, arrays, v=_inputs(_out_shapes(f, arrays)[0], np.float64), requires_grad=True)
    assert_tree(e, t)
    assert not any(x.requires_grad for x in e[0] + e[1])


@pytest.mark.parametrize("name", ["elementwise", "tuple_out", "unused_input", "matmul"])
@pytest.mark.parametrize("requires_grad", [False, True])
def test_jacobian_forward_mode(name, requires_grad):
    f, shapes = FUNCS[name]
    arrays = _inputs(shapes, np.float64)
    (t, _), (e, _) = both("jacobian", f, arrays, vectorize=True, strategy="forward-mode", requires_grad=requires_grad)
    if name == "elementwise" or not requires_grad:
        assert_tree(e, t)
    else:  # see NOTE [ forward-mode by reverse mode ]: requires_grad may differ for blocks constant in the input
        assert_tree([[x.detach() for x in r] if isinstance(r, list) else r.detach() for r in e],
                    [[x.detach() for x in r] if isinstance(r, list) else r.detach() for r in t])


@pytest.mark.parametrize("name", ["two_inputs", "elementwise"])
@pytest.mark.parametrize("as_tuple", [True, False])
def test_hessian_forward_mode(name, as_tuple):
    f, shapes = SCALAR[name]
    arrays = _inputs(shapes, np.float64)
    if len(arrays) > 1 and not as_tuple:
        return
    (t, _), (e, _) = both("hessian", f, arrays, as_tuple, vectorize=True, outer_jacobian_strategy="forward-mode")
    assert_tree(e, t)


ELEM, TUPLE_OUT = FUNCS["elementwise"], FUNCS["tuple_out"]


@pytest.mark.parametrize("name,f,shapes,kw", [
    ("jacobian", ELEM[0], ELEM[1], dict(strategy="sideways")),
    ("jacobian", ELEM[0], ELEM[1], dict(strategy="forward-mode")),
    ("jacobian", ELEM[0], ELEM[1], dict(strategy="forward-mode", vectorize=True, create_graph=True)),
    ("jacobian", ELEM[0], ELEM[1], dict(strategy="forward-mode", vectorize=True, strict=True)),
    ("jacobian", ELEM[0], ELEM[1], dict(vectorize=True, strict=True)),
    ("hessian", SCALAR["elementwise"][0], [(3,)], dict(outer_jacobian_strategy="forward-mode")),
    ("hessian", SCALAR["elementwise"][0], [(3,)], dict(outer_jacobian_strategy="sideways")),
    ("hessian", ELEM[0], ELEM[1], {}),
    ("hessian", lambda L, x: (x.sum(),), [(3,)], {}),
    ("jacobian", lambda L, x: 3, [(3,)], {}),
    ("vjp", lambda L, x: (x, 3), [(3,)], dict(v=[(3,), (3,)])),
    ("jacobian", lambda L, x: x.detach(), [(3,)], dict(strict=True)),
    ("jacobian", lambda L, x, y: (x * 2, y.exp()), [(3,), (2,)], dict(strict=True)),
    ("jacobian", lambda L, x, y: x * 2, [(3,), (2,)], dict(strict=True)),
    ("jacobian", lambda L, x: x * 2, [(3,)], dict(strict=True, create_graph=True)),
    ("vjp", lambda L, x, y: x * 2, [(3,), (2,)], dict(strict=True, v=[(3,)])),
    ("vjp", lambda L, x: x * 2, [(3,)], dict(strict=True, create_graph=True, v=[(3,)])),
    ("jvp", lambda L, x, y: x * y.sum().detach(), [(3,), (2,)], dict(strict=True, v=[(3,), (2,)])),
    ("jvp", lambda L, x: (x * 2, x.detach()), [(3,)], dict(strict=True, v=[(3,)])),
    ("hessian", lambda L, x: (x * 2).sum(), [(3,)], dict(strict=True)),
    ("hessian", lambda L, x, y: (x * x).sum(), [(3,), (2,)], dict(strict=True)),
    ("hvp", lambda L, x: (x * 2).sum(), [(3,)], dict(strict=True, v=[(3,)])),
    ("vhp", lambda L, x: (x * 2).sum(), [(3,)], dict(strict=True, v=[(3,)])),
    ("vhp", lambda L, x, y: (x * x).sum(), [(3,), (2,)], dict(strict=True, v=[(3,), (2,)])),
    ("vhp", lambda L, x: (x * x).sum(), [(3,)], dict(strict=True, create_graph=True, v=[(3,)])),
])
def test_errors(name, f, shapes, kw):
    kw = dict(kw)
    v = _inputs(kw.pop("v"), np.float32, seed=10) if "v" in kw else None
    raises_like(name, f, _inputs(shapes, np.float32), v=v, **kw)


@pytest.mark.parametrize("name,v_shapes,as_tuple,v_tuple", [
    ("vjp", [(2, 4)], False, False),      # wrong size, single tensors
    ("vjp", [(2, 3), (2, 3)], False, True),  # a tuple v for a single output
    ("jvp", [(2, 3), (3,)], True, True),   # wrong size of entry 1 of a tuple
    ("jvp", [(2, 3)] * 3, True, True),     # a tuple of the wrong length
    ("hvp", [(3, 2)], False, False),
    ("vhp", [(3, 2)], True, True),
])
def test_v_shape_errors(name, v_shapes, as_tuple, v_tuple):
    if name in ("vjp",):
        f, shapes = FUNCS["elementwise"]
    elif name == "jvp":
        f, shapes = (lambda L, x, y: x * y, [(2, 3), (2, 3)])
    else:
        f, shapes = SCALAR["elementwise"]
    raises_like(name, f, _inputs(shapes, np.float32), as_tuple, v=_inputs(v_shapes, np.float32), v_tuple=v_tuple)


@pytest.mark.parametrize("name", ["vjp", "jvp", "hvp", "vhp"])
def test_v_missing(name):
    f = (lambda L, x: x * 2) if name in ("vjp", "jvp") else SCALAR["elementwise"][0]
    raises_like(name, f, _inputs([(3,)], np.float32), as_tuple=False)


@pytest.mark.parametrize("name", ["vjp", "jvp", "jacobian", "hessian", "hvp", "vhp"])
def test_non_tensor_inputs(name):
    for inputs in (3.0, (ember.ones(2), 3.0)):
        with pytest.raises(TypeError, match=f"The inputs given to {name} must be either a Tensor or a tuple"):
            getattr(EF, name)(lambda *xs: xs[0].sum(), inputs)


def test_independent_inputs_give_zeros():
    x, y = ember.ones(3), ember.ones(2)
    _, (gx, gy) = EF.vjp(lambda a, b: a * 2, (x, y), ember.ones(3))
    assert gy.shape == (2,) and not gy.any() and (gx == 2).all()
    hxy = EF.hessian(lambda a, b: (a * a).sum(), (x, y))
    assert hxy[0][1].shape == (3, 2) and not hxy[0][1].any() and not hxy[1][1].any()
