"""Autograd through complex parts (real, imag, conj) against torch, first and second order."""
import numpy as np
import pytest
import torch

import ember

Z = np.array([1 + 2j, 3 - 1j, -0.5 + 0.25j], dtype=np.complex128)
W = np.array([2 + 1j, 1j, 0.5 - 2j], dtype=np.complex128)

FNS = {
    "abs2_via_conj": lambda lib, z, w: (z * z.conj()).real.sum(),
    "real_imag_poly": lambda lib, z, w: (z.real ** 2 + 3 * z.imag).sum(),
    "conj_times_const_abs": lambda lib, z, w: (z.conj() * w).abs().sum(),
    "fn_forms": lambda lib, z, w: (lib.real(z) * lib.imag(z) + lib.conj(z).imag).sum(),
    "imag_of_product": lambda lib, z, w: (z * w).imag.pow(2).sum(),
    "sgn": lambda lib, z, w: (z.sgn() * w).real.sum() + (z * 1j).conj().imag.sum(),
}


def _run(lib, fn, create_graph):
    z = lib.from_numpy(Z.copy()).requires_grad_()
    w = lib.from_numpy(W.copy())
    out = fn(lib, z, w)
    (g,) = lib.autograd.grad(out, z, create_graph=create_graph)
    if not create_graph:
        return g.detach().resolve_conj().numpy(), None
    if not g.requires_grad:  # the grad does not depend on z (a linear function): no second derivative
        return g.detach().resolve_conj().numpy(), "constant"
    (gg,) = lib.autograd.grad((g.real * g.imag).sum() + (g.abs() ** 2).sum(), z)
    return g.detach().resolve_conj().numpy(), gg.resolve_conj().numpy()


@pytest.mark.parametrize("name", list(FNS))
@pytest.mark.parametrize("create_graph", [False, True])
def test_complex_part_grads_match_torch(name, create_graph):
    e = _run(ember, FNS[name], create_graph)
    t = _run(torch, FNS[name], create_graph)
    np.testing.assert_allclose(e[0], t[0], rtol=1e-12, atol=1e-12)
    if create_graph:
        np.testing.assert_allclose(e[1], t[1], rtol=1e-12, atol=1e-12)


def test_parts_are_views_with_torchs_nodes_and_errors():
    for lib in (ember, torch):
        z = lib.tensor([1 + 1j, 2j], requires_grad=True)
        assert z.real._base is z and z.imag._base is z
        assert z.real.grad_fn.name() == "SelectBackward0" and z.conj().grad_fn.name() == "ConjBackward0"
        x = lib.ones(2)
        assert x.real is x and x.conj() is x
        with pytest.raises(RuntimeError, match="imag is not implemented for tensors with non-complex dtypes"):
            x.imag
        w = lib.tensor([1 + 1j, 2j])
        w.real[0] = 5
        assert w.tolist() == [5 + 1j, 2j]


UNARY = ["exp", "log", "sin", "cos", "tan", "sqrt", "rsqrt", "reciprocal", "tanh", "sigmoid", "sinh", "cosh",
         "asin", "acos", "atan", "log1p", "expm1", "abs", "sgn", "square", "neg", "log2", "log10", "exp2"]


@pytest.mark.parametrize("op", UNARY)
@pytest.mark.parametrize("create_graph", [False, True])
def test_complex_unary_grads_match_torch(op, create_graph):
    def fn(lib, z, w):
        y = getattr(lib, op)(z) if op != "square" else z.square()
        return (y * w).real.sum() + (y.imag.sum() if y.is_complex() else 0)
    e = _run(ember, fn, create_graph)
    t = _run(torch, fn, create_graph)
    np.testing.assert_allclose(e[0], t[0], rtol=1e-10, atol=1e-12)
    if create_graph:
        assert isinstance(e[1], str) == isinstance(t[1], str)
        if not isinstance(e[1], str):
            np.testing.assert_allclose(e[1], t[1], rtol=1e-9, atol=1e-10)


@pytest.mark.parametrize("expr", ["z / w", "w / z", "z ** 3", "z * w", "z - 2j * w", "2 / z", "(z + w).pow(2)"])
def test_complex_binary_grads_match_torch(expr):
    fn = lambda lib, z, w: (eval(expr) * W[0]).real.sum()  # noqa: E731
    e = _run(ember, lambda lib, z, w: (eval(expr) * lib.tensor(W)).real.sum() + eval(expr).imag.sum(), True)
    t = _run(torch, lambda lib, z, w: (eval(expr) * lib.tensor(W)).real.sum() + eval(expr).imag.sum(), True)
    del fn
    np.testing.assert_allclose(e[0], t[0], rtol=1e-10, atol=1e-12)
    assert isinstance(e[1], str) == isinstance(t[1], str)
    if not isinstance(e[1], str):
        np.testing.assert_allclose(e[1], t[1], rtol=1e-9, atol=1e-10)
