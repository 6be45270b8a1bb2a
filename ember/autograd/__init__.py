"""``ember.autograd``: backward, grad, Function, grad modes, gradcheck (PyTorch's ``torch.autograd``)."""
import numpy as np

from . import function as _F
from .engine import run_backward
from .function import Function
from .gradcheck import gradcheck, gradgradcheck
from .grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled


def _tensors(x):
    if x is None:
        return []
    if isinstance(x, _F.Tensor):
        return [x]
    return list(x)


def _seed_grads(tensors, grad_tensors, create_graph):
    out = []
    grads = _tensors(grad_tensors) if grad_tensors is not None else [None] * len(tensors)
    if len(grads) != len(tensors):
        raise RuntimeError(f"got {len(grads)} tensors and {len(tensors)} gradients")
    for t, g in zip(tensors, grads):
        if g is None:
            if t._requires_grad and t._data.size != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            if t._requires_grad and t._data.dtype.kind not in "fc":
                raise RuntimeError(f"grad can be implicitly created only for real scalar outputs but got {t.dtype}")
            g = _F._wrap(np.ones(t._data.shape, dtype=t._data.dtype))
        else:
            if not isinstance(g, _F.Tensor):
                g = _F._wrap(np.asarray(g, dtype=t._data.dtype))
            if g._data.shape != t._data.shape:
                raise RuntimeError(f"Mismatch in shape: grad_output[0] has a shape of {g.shape} and output[0] has "
                                   f"a shape of {t.shape}.")
            if not create_graph:
                g = g.detach()
        out.append(g)
    return out


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, grad_variables=None, inputs=None):
    """Accumulate the grads of ``tensors`` w.r.t. graph leaves into their ``.grad``."""
    tensors = _tensors(tensors)
    if retain_graph is None:
        retain_graph = create_graph
    for t in tensors:
        if not t._requires_grad:
            raise RuntimeError("element 0 of tensors does not require grad and does not have a grad_fn")
    seeds = _seed_grads(tensors, grad_tensors, create_graph)
    if inputs is not None:
        inputs = _tensors(inputs)
        if not inputs:
            raise RuntimeError("`inputs` argument to `backward()` cannot be empty.")
        res = run_backward(tensors, seeds, retain_graph, create_graph, inputs=inputs, accumulate=False)
        from .engine import _accumulate
        for t, g in zip(inputs, res):
            if g is not None:
                if t._grad_fn is None:
                    _accumulate(t, g, create_graph)
                else:
                    t._grad = g if t._grad is None else t._grad + g
        return
    run_backward(tensors, seeds, retain_graph, create_graph)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False, only_inputs=True,
         allow_unused=None, is_grads_batched=False, materialize_grads=False):
    """The grads of ``outputs`` w.r.t. ``inputs`` (returned, not accumulated into ``.grad``)."""
    outputs = _tensors(outputs)

    inputs = _tensors(inputs)
    if allow_unused is None:
        allow_unused = materialize_grads
    if retain_graph is None:
        retain_graph = create_graph
    for i, t in enumerate(inputs):
        if not t._requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    for t in outputs:
        if not t._requires_grad:
            raise RuntimeError("element 0 of tensors does not require grad and does not have a grad_fn")
    seeds = _seed_grads(outputs, grad_outputs, create_graph)
    res = run_backward(outputs, seeds, retain_graph, create_graph, inputs=inputs, accumulate=False)
    out = []
    for t, g in zip(inputs, res):
        if g is None:
            if materialize_grads:
                g = _F._wrap(np.zeros(t._data.shape, dtype=t._data.dtype))
            elif not allow_unused:
                raise RuntimeError("One of the differentiated Tensors appears to not have been used in the graph. "
                                   "Set allow_unused=True if this is the desired behavior.")
        elif not create_graph:
            g = g.detach()
        out.append(g)
    return tuple(out)


def Variable(data, requires_grad=False, volatile=False):
    """PyTorch's legacy ``Variable(x, requires_grad=...)``: returns a Tensor (Variable and Tensor merged in 0.4)."""
    t = data.detach()
    if requires_grad:
        t.requires_grad_(True)
    return t


__all__ = ["Function", "Variable", "backward", "grad", "gradcheck", "gradgradcheck", "no_grad", "enable_grad",
           "set_grad_enabled", "is_grad_enabled"]
