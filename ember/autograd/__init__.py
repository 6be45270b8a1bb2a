"""``ember.autograd``: backward, grad, Function, grad modes, anomaly detection, gradcheck (``torch.autograd``)."""
import warnings
from collections.abc import Mapping

import numpy as np

from . import function as _F
from .anomaly_mode import detect_anomaly, is_anomaly_check_nan_enabled, is_anomaly_enabled, set_detect_anomaly
from .engine import _accumulate, run_backward
from .function import Function, once_differentiable
from .gradcheck import gradcheck, gradgradcheck
from .grad_mode import (enable_grad, inference_mode, is_grad_enabled, is_inference_mode_enabled, no_grad,
                        set_grad_enabled)


def _tensors(x):
    if x is None:
        return []
    if isinstance(x, _F.Tensor):
        return [x]
    return list(x)


def _seed_grads(tensors, grad_tensors, create_graph, batched=False):
    """The grads to start from: given ones (checked against the outputs' shapes) or implicit ones for scalars."""
    out = []
    grads = _tensors(grad_tensors) if grad_tensors is not None else [None] * len(tensors)
    if len(grads) != len(tensors):
        raise RuntimeError(f"got {len(tensors)} tensors and {len(grads)} gradients")
    for i, (t, g) in enumerate(zip(tensors, grads)):
        if g is None:
            if t._requires_grad and t._data.size != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            if t._requires_grad and t._data.dtype.kind not in "fc":
                raise RuntimeError(f"grad can be implicitly created only for real scalar outputs but got {t.dtype}")
            g = _F._wrap(np.array(1, dtype=t._data.dtype).reshape(t._data.shape))
        else:
            if not isinstance(g, _F.Tensor):
                raise TypeError(f"gradients can be either Tensors or None, but got {type(g).__name__}")
            if batched:
                if g._data.shape[1:] != t._data.shape:
                    raise RuntimeError(
                        "If `is_grads_batched=True`, we interpret the first dimension of each grad_output as the "
                        "batch dimension. The sizes of the remaining dimensions are expected to match the shape of "
                        f"corresponding output, but a mismatch was detected: grad_output[{i}] has a shape of "
                        f"{g[0].shape if g.dim() else g.shape} and output[{i}] has a shape of {t.shape}. If you "
                        "only want some tensors in `grad_output` to be considered batched, consider using vmap.")
            elif g._data.shape != t._data.shape:
                raise RuntimeError(f"Mismatch in shape: grad_output[{i}] has a shape of {g.shape} and output[{i}] "
                                   f"has a shape of {t.shape}.")
            if (t._data.dtype.kind == "c") != (g._data.dtype.kind == "c"):
                raise RuntimeError(f"For complex Tensors, both grad_output and output are required to have the "
                                   f"same dtype. Mismatch in dtype: grad_output[{i}] has a dtype of {g.dtype} and "
                                   f"output[{i}] has a dtype of {t.dtype}.")
            if g._data.dtype != t._data.dtype:  # the engine casts a root's grad to the root's dtype
                g = g.to(t.dtype)
            if not create_graph:
                g = g.detach()
        out.append(g)
    return out


def _check_outputs(tensors):
    for i, t in enumerate(tensors):
        if not t._requires_grad:
            raise RuntimeError(f"element {i} of tensors does not require grad and does not have a grad_fn")


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, grad_variables=None, inputs=None):
    """Accumulate the grads of ``tensors`` w.r.t. graph leaves (or only ``inputs``) into their ``.grad``."""
    if grad_variables is not None:
        warnings.warn("'grad_variables' is deprecated. Use 'grad_tensors' instead.", FutureWarning, stacklevel=2)
        if grad_tensors is None:
            grad_tensors = grad_variables
        else:
            raise RuntimeError("'grad_tensors' and 'grad_variables' (deprecated) arguments both passed to "
                               "'backward'. Please only use 'grad_tensors'.")
    if retain_graph is None:
        retain_graph = create_graph
    if grad_tensors is None and inputs is None and tensors.__class__ is _F.Tensor and tensors._requires_grad:
        d = tensors._data
        if d.size == 1 and d.dtype.kind == "f":  # loss.backward(): seeded with a one, the common call
            run_backward((tensors,), (_F._wrap(np.array(1, dtype=d.dtype).reshape(d.shape)),), retain_graph,
                         create_graph)
            return
    tensors = _tensors(tensors)
    _check_outputs(tensors)
    seeds = _seed_grads(tensors, grad_tensors, create_graph)
    if inputs is None:
        run_backward(tensors, seeds, retain_graph, create_graph)
        return
    inputs = _tensors(inputs)
    if not inputs:
        raise RuntimeError("`inputs` argument to `backward()` cannot be empty.")
    for t in inputs:
        if not t._requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
    res = run_backward(tensors, seeds, retain_graph, create_graph, inputs=inputs, accumulate=True)
    for t, g in zip(inputs, res):
        if t._grad_fn is not None:
            # a non-leaf input gets its .grad as a leaf would (leaves accumulated in the engine)
            t._retains_grad = True
            if g is not None:
                _accumulate(t, g, create_graph)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False, only_inputs=True,
         allow_unused=None, is_grads_batched=False, materialize_grads=False):
    """The grads of ``outputs`` w.r.t. ``inputs`` (returned, not accumulated into ``.grad``)."""
    if materialize_grads and allow_unused is False:
        raise ValueError("Expected allow_unused to be True or not passed when materialize_grads=True, but got: "
                         "allow_unused=False.")
    if allow_unused is None:
        allow_unused = materialize_grads
    names = None
    if type(inputs) is dict:  # grad(loss, dict(named_parameters())) answers with a dict of the same keys
        names, inputs = list(inputs), list(inputs.values())
    elif isinstance(inputs, Mapping):
        raise TypeError(f"`inputs` argument to `grad()` must be a dict, not {type(inputs).__name__}. Other Mapping "
                        "types are not supported.")
    outputs, inputs = _tensors(outputs), _tensors(inputs)
    if not inputs:
        raise RuntimeError("`inputs` argument to `grad()` cannot be empty.")
    if not only_inputs:
        warnings.warn("only_inputs argument is deprecated and is ignored now (defaults to True). To accumulate "
                      "gradient for other parts of the graph, please use torch.autograd.backward.", FutureWarning,
                      stacklevel=2)
    if retain_graph is None:
        retain_graph = create_graph
    for t in inputs:
        if not t._requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    _check_outputs(outputs)
    if is_grads_batched:
        res = _batched_grad(outputs, inputs, grad_outputs, retain_graph, create_graph, allow_unused,
                            materialize_grads)
    else:
        seeds = _seed_grads(outputs, grad_outputs, create_graph)
        res = run_backward(outputs, seeds, retain_graph, create_graph, inputs=inputs, accumulate=False)
        res = _finish(res, inputs, create_graph, allow_unused, materialize_grads)
    return res if names is None else dict(zip(names, res))


def _unused(i):
    return RuntimeError(f"The differentiated Tensor at index {i} appears to not have been used in the graph. Set "
                        "allow_unused=True if this is the desired behavior.")


def _finish(res, inputs, create_graph, allow_unused, materialize_grads):
    out = []
    for i, (t, g) in enumerate(zip(inputs, res)):
        if g is None:
            if materialize_grads:
                g = _F._wrap(np.zeros(t._data.shape, dtype=t._data.dtype))
                g._requires_grad = create_graph  # PyTorch: zeros_like(input, requires_grad=create_graph)
            elif not allow_unused:
                raise _unused(i)
        elif not create_graph:
            g = g.detach()
        out.append(g)
    return tuple(out)


def _batched_grad(outputs, inputs, grad_outputs, retain_graph, create_graph, allow_unused, materialize_grads):
    """``is_grads_batched``: one backward per row of the batched grad_outputs, stacked (PyTorch uses vmap)."""
    from ..ops.join import stack
    seeds = _seed_grads(outputs, grad_outputs, create_graph, batched=True)
    n = seeds[0]._data.shape[0] if seeds else 0
    rows = []
    for b in range(n):  # a loop over the batch, each a whole backward
        res = run_backward(outputs, [s[b] for s in seeds], True if b < n - 1 else retain_graph, create_graph,
                           inputs=inputs, accumulate=False)
        rows.append(_finish(res, inputs, create_graph, True, True))
    out = []
    for k, t in enumerate(inputs):
        if all(r[k] is None for r in rows) and not materialize_grads and not allow_unused:
            raise _unused(k)
        out.append(stack([r[k] for r in rows]) if rows else
                   _F._wrap(np.zeros((0,) + t._data.shape, dtype=t._data.dtype)))
    return tuple(out)


class _VariableMeta(type):
    def __instancecheck__(cls, other):
        return isinstance(other, _F.Tensor)


class Variable(metaclass=_VariableMeta):
    """PyTorch's legacy ``Variable``: ``Variable(x, requires_grad=...)`` returns a Tensor sharing ``x``'s data.

    Variable and Tensor merged in PyTorch 0.4; every tensor is an instance of ``Variable``.
    """

    def __new__(cls, data=None, requires_grad=False, volatile=False):
        if volatile:
            warnings.warn("volatile was removed and now has no effect. Use `with torch.no_grad():` instead.",
                          UserWarning, stacklevel=2)
        if data is None:
            t = _F._wrap(np.zeros((0,), dtype=np.float32))
        elif not isinstance(data, _F.Tensor):
            raise TypeError(f"Variable data has to be a tensor, but got {type(data).__name__}")
        else:
            t = data.detach()
        if requires_grad:
            if not t.is_floating_point() and not t.is_complex():
                raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
            t.requires_grad_(True)
        return t


from . import functional, graph  # noqa: E402,F401  (they use the names above)

__all__ = ["Function", "Variable", "backward", "grad", "gradcheck", "gradgradcheck", "no_grad", "enable_grad",
           "set_grad_enabled", "is_grad_enabled", "inference_mode", "is_inference_mode_enabled", "detect_anomaly",
           "set_detect_anomaly", "is_anomaly_enabled", "is_anomaly_check_nan_enabled", "once_differentiable",
           "functional", "graph"]
