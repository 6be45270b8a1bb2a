"""``layer_check``: one layer built in torch and in ember from the same seed, compared as a whole.

repr, state_dict keys/dtypes/values (the default init must be bit-identical: same generator, same draws),
then forward on the same inputs and backward of the same random upstream gradient: outputs (values, dtype,
grad_fn name), the grads of the float inputs that ``grad_inputs`` selects, and every parameter's grad.
"""
import numpy as np
import torch

import ember
from conftest import assert_same


def _lib_tensor(lib, x, requires_grad):
    if isinstance(x, np.ndarray):
        t = lib.from_numpy(x.copy())
        if requires_grad and x.dtype.kind == "f":
            t.requires_grad_(True)
        return t
    return x


def layer_check(build, *inputs, seed=0, grad_inputs=None, atol=None, rtol=None, train=None, forward=None,
                check_grad_fn=True, bit_identical_init=True):
    """Compare ``build(lib)`` (a Module) between the libraries; returns (ember module, torch module).

    ``grad_inputs``: indices of the inputs that require grad (default: every float array);
    ``forward(module, *inputs)`` replaces ``module(*inputs)``.
    """
    mods = {}
    for lib in (torch, ember):
        lib.manual_seed(seed)
        mods[lib] = build(lib)
        if train is not None:
            mods[lib].train(train)
    t_mod, e_mod = mods[torch], mods[ember]
    assert repr(e_mod) == repr(t_mod)
    t_sd, e_sd = t_mod.state_dict(), e_mod.state_dict()
    assert list(e_sd) == list(t_sd)
    for k in t_sd:
        assert str(e_sd[k].dtype) == str(t_sd[k].dtype) and tuple(e_sd[k].shape) == tuple(t_sd[k].shape), k
        if bit_identical_init:
            np.testing.assert_array_equal(e_sd[k].numpy(), t_sd[k].numpy(), err_msg=k)
    if not inputs:
        return e_mod, t_mod
    want = set(range(len(inputs))) if grad_inputs is None else set(grad_inputs)
    outs, ins = {}, {}
    for lib in (torch, ember):
        ins[lib] = [_lib_tensor(lib, x, i in want) for i, x in enumerate(inputs)]
        lib.manual_seed(seed + 1)  # layers that draw in forward (RReLU) draw the same numbers
        outs[lib] = forward(mods[lib], *ins[lib]) if forward else mods[lib](*ins[lib])
    t_out, e_out = outs[torch], outs[ember]
    t_flat = list(t_out) if isinstance(t_out, (tuple, list)) else [t_out]
    e_flat = list(e_out) if isinstance(e_out, (tuple, list)) else [e_out]
    assert len(e_flat) == len(t_flat)
    for i, (e, t) in enumerate(zip(e_flat, t_flat)):
        assert_same(e, t, atol, rtol, what=f"output {i}")
        if check_grad_fn and t.grad_fn is not None:
            assert e.grad_fn is not None and e.grad_fn.name() == t.grad_fn.name(), (
                f"output {i}: grad_fn {e.grad_fn.name() if e.grad_fn else None} != {t.grad_fn.name()}")
    roots = [(e, t) for e, t in zip(e_flat, t_flat) if t.requires_grad]
    if not roots:
        return e_mod, t_mod
    rng = np.random.default_rng(seed)
    gs = [rng.standard_normal(tuple(t.shape)).astype(t.detach().numpy().dtype) for _, t in roots]
    torch.autograd.backward([t for _, t in roots], [torch.from_numpy(g.copy()) for g in gs])
    ember.autograd.backward([e for e, _ in roots], [ember.from_numpy(g.copy()) for g in gs])
    for i, (e, t) in enumerate(zip(ins[ember], ins[torch])):
        if isinstance(t, torch.Tensor) and t.requires_grad:
            assert (e.grad is None) == (t.grad is None), f"grad of input {i}"
            if t.grad is not None:
                assert_same(e.grad, t.grad, atol, rtol, what=f"grad of input {i}")
    for (name, tp), (_, ep) in zip(t_mod.named_parameters(), e_mod.named_parameters()):
        assert (ep.grad is None) == (tp.grad is None), f"grad of {name}"
        if tp.grad is not None:
            assert_same(ep.grad, tp.grad, atol, rtol, what=f"grad of {name}")
    return e_mod, t_mod
