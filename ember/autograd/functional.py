"""vjp, jvp, jacobian, hessian, vhp, hvp of a whole function (PyTorch's ``torch.autograd.functional``).

Each runs ``func`` on fresh graph leaves made from ``inputs`` and differentiates
it with ``ember.autograd.grad``. jvp and hvp use the double-backward trick, as
torch's do: the vjp ``g -> J^T g`` is linear in ``g``, so differentiating it
w.r.t. a dummy ``g`` in direction ``v`` gives ``J v``.
"""
import ember  # attributes are read at call time: ember.autograd loads before ember.ops and ember.Tensor exist

__all__ = ["vjp", "jvp", "jacobian", "hessian", "hvp", "vhp"]


def _as_tuple(inp, arg_name, fn_name):
    """``(was_tuple, tuple_of_tensors)``; TypeError with torch's message for anything else."""
    is_tuple = isinstance(inp, tuple)
    inp = inp if is_tuple else (inp,)
    for i, el in enumerate(inp):
        if not isinstance(el, ember.Tensor):
            where = f"the value at index {i}" if is_tuple else f"the given {arg_name}"
            raise TypeError(f"The {arg_name} given to {fn_name} must be either a Tensor or a tuple of Tensors but "
                            f"{where} has type {type(el)}.")
    return is_tuple, inp


def _unpack(res, to_unpack):
    """Drop the tuple levels the user did not ask for (``to_unpack`` is a bool or (outputs, inputs) bools)."""
    outer, inner = to_unpack if isinstance(to_unpack, tuple) else (to_unpack, True)
    if not inner:
        res = tuple(el[0] for el in res)
    return res if outer else res[0]


def _preprocess(inputs, create_graph, need_graph):
    # create_graph keeps results attached to the caller's graph (a view); otherwise cut it off with detach
    return tuple(t.view_as(t) if create_graph and t.requires_grad else t.detach().requires_grad_(need_graph)
                 for t in inputs)


def _postprocess(res, create_graph):
    if isinstance(res[0], ember.Tensor):
        return res if create_graph else tuple(t.detach() for t in res)
    return tuple(_postprocess(r, create_graph) for r in res)


def _validate_v(v, other, is_other_tuple):
    if len(other) != len(v):
        if is_other_tuple:
            raise RuntimeError(f"v is a tuple of invalid length: should be {len(other)} but got {len(v)}.")
        raise RuntimeError("The given v should contain a single Tensor.")
    for i, (el_v, el_other) in enumerate(zip(v, other)):
        if el_v.size() != el_other.size():
            prepend = f"Entry {i} in " if is_other_tuple else ""
            raise RuntimeError(f"{prepend}v has invalid size: should be {el_other.size()} but got {el_v.size()}.")


def _prepare_v(v, other, is_other_tuple, create_graph, fn_name, none_msg):
    if v is None:
        if len(other) != 1 or other[0].nelement() != 1:
            raise RuntimeError(f"The vector v can only be None if {none_msg}")
        return None
    v = _preprocess(_as_tuple(v, "v", fn_name)[1], create_graph, need_graph=False)
    _validate_v(v, other, is_other_tuple)
    return v


_STRICT_MSG = {
    "hessian": "The hessian of the user-provided function with respect to input {i} is independent of the input. "
               "This is not allowed in strict mode. You should ensure that your function is thrice differentiable "
               "and that the hessian depends on the inputs.",
    "jacobian": "While computing the hessian, found that the jacobian of the user-provided function with respect to "
                "input {i} is independent of the input. This is not allowed in strict mode. You should ensure that "
                "your function is twice differentiable and that the jacobian depends on the inputs (this would be "
                "violated by a linear function for example).",
    "grad_inputs": "The gradient with respect to input {i} is independent of the inputs of the user-provided "
                   "function. This is not allowed in strict mode.",
    "outputs": "Output {i} of the user-provided function does not require gradients. The outputs must be computed "
               "in a differentiable manner from the input when running in strict mode.",
}


def _check_requires_grad(tensors, kind, strict):
    if not strict:
        return
    for i, t in enumerate(tensors):
        if t is None:
            raise RuntimeError(f"The output of the user-provided function is independent of input {i}. "
                               "This is not allowed in strict mode.")
        if not t.requires_grad:
            raise RuntimeError(_STRICT_MSG[kind].format(i=i))


def _grad(outputs, inputs, grad_outputs=None, create_graph=False, retain_graph=None):
    """``autograd.grad`` over the outputs that require grad; None for inputs they do not reach."""
    grad_outputs = (None,) * len(outputs) if grad_outputs is None else grad_outputs
    pairs = [(o, g) for o, g in zip(outputs, grad_outputs) if o is not None and o.requires_grad]
    if not pairs:
        return (None,) * len(inputs)
    outs, gos = zip(*pairs)
    return ember.autograd.grad(outs, inputs, list(gos), retain_graph=retain_graph, create_graph=create_graph,
                               allow_unused=True)


_FILL_MSG = {
    "back": "The output of the user-provided function is independent of input {i}. This is not allowed in strict "
            "mode.",
    "back_trick": "The gradient with respect to the input is independent of entry {i} in the grad_outputs when using "
                  "the double backward trick to compute forward mode gradients. This is not allowed in strict mode.",
    "double_back": "The jacobian of the user-provided function is independent of input {i}. This is not allowed in "
                   "strict mode.",
    "double_back_trick": "The hessian of the user-provided function is independent of entry {i} in the "
                         "grad_jacobian. This is not allowed in strict mode as it prevents from using the double "
                         "backward trick to replace forward mode AD.",
}


def _fill_in_zeros(grads, refs, strict, create_graph, stage):
    """Zeros for the None grads of unreached inputs; strict mode raises instead."""
    res = []
    for i, g in enumerate(grads):
        if g is None:
            if strict:
                raise RuntimeError(_FILL_MSG[stage].format(i=i))
            g = ember.zeros_like(refs[i])
        elif strict and create_graph and not g.requires_grad:
            what = "hessian" if "double" in stage else "jacobian"
            raise RuntimeError(f"The {what} of the user-provided function is independent of input {i}. "
                               "This is not allowed in strict mode when create_graph=True.")
        res.append(g)
    return tuple(res)


def vjp(func, inputs, v=None, create_graph=False, strict=False):
    """``(func(inputs), v^T J)`` (torch.autograd.functional.vjp)."""
    with ember.enable_grad():
        is_inputs_tuple, inputs = _as_tuple(inputs, "inputs", "vjp")
        inputs = _preprocess(inputs, create_graph, need_graph=True)
        is_outputs_tuple, outputs = _as_tuple(func(*inputs), "outputs of the user-provided function", "vjp")
        _check_requires_grad(outputs, "outputs", strict)
        v = _prepare_v(v, outputs, is_outputs_tuple, create_graph, "vjp",
                       "the user-provided function returns a single Tensor with a single element.")
    with ember.set_grad_enabled(create_graph or ember.is_grad_enabled()):
        res = _fill_in_zeros(_grad(outputs, inputs, v, create_graph), inputs, strict, create_graph, "back")
    return (_unpack(_postprocess(outputs, create_graph), is_outputs_tuple),
            _unpack(_postprocess(res, create_graph), is_inputs_tuple))


def jvp(func, inputs, v=None, create_graph=False, strict=False):
    """``(func(inputs), J v)`` by double backward (torch.autograd.functional.jvp)."""
    with ember.enable_grad():
        is_inputs_tuple, inputs = _as_tuple(inputs, "inputs", "jvp")
        inputs = _preprocess(inputs, create_graph, need_graph=True)
        v = _prepare_v(v, inputs, is_inputs_tuple, create_graph, "jvp",
                       "the input to the user-provided function is a single Tensor with a single element.")
        is_outputs_tuple, outputs = _as_tuple(func(*inputs), "outputs of the user-provided function", "jvp")
        _check_requires_grad(outputs, "outputs", strict)
        # the dummy g of J^T g: its value is irrelevant (J^T g is linear in g), only its graph is used
        dummies = tuple(ember.zeros_like(o, requires_grad=True) for o in outputs)
        grad_inputs = _grad(outputs, inputs, dummies, create_graph=True)
        _check_requires_grad(grad_inputs, "grad_inputs", strict)
    with ember.set_grad_enabled(create_graph or ember.is_grad_enabled()):
        res = _fill_in_zeros(_grad(grad_inputs, dummies, v, create_graph), outputs, strict, create_graph,
                             "back_trick")
    return (_unpack(_postprocess(outputs, create_graph), is_outputs_tuple),
            _unpack(_postprocess(res, create_graph), is_outputs_tuple))


def _jacobian_rows(outputs, inputs, create_graph, strict):
    """``jac[i][j]`` of shape ``outputs[i].shape + inputs[j].shape``, one backward per output element."""
    jac = []
    for i, out in enumerate(outputs):
        rows = [[] for _ in inputs]
        flat = out.reshape(-1)
        for k in range(out.nelement()):
            for j, (g, inp) in enumerate(zip(_grad((flat[k],), inputs, None, create_graph, True), inputs)):
                if g is None:
                    if strict:
                        raise RuntimeError(f"Output {i} of the user-provided function is independent of input {j}. "
                                           "This is not allowed in strict mode.")
                    g = ember.zeros_like(inp)
                elif strict and create_graph and not g.requires_grad:
                    # torch's message names the output index here, not the input's
                    raise RuntimeError(f"The jacobian of the user-provided function is independent of input {i}. "
                                       "This is not allowed in strict mode when create_graph=True.")
                rows[j].append(g)
        # an output without elements gives an empty block (torch's own loop fails on stack([]) there)
        jac.append(tuple(ember.stack(r, dim=0).view(out.size() + inp.size()) if r else
                         inp.new_zeros(out.size() + inp.size()) for r, inp in zip(rows, inputs)))
    return tuple(jac)


def jacobian(func, inputs, create_graph=False, strict=False, vectorize=False, strategy="reverse-mode"):
    """The Jacobian of ``func`` at ``inputs`` (torch.autograd.functional.jacobian)."""
    if strategy not in ("forward-mode", "reverse-mode"):
        raise AssertionError('Expected strategy to be either "forward-mode" or "reverse-mode". Hint: If your '
                             'function has more outputs than inputs, "forward-mode" tends to be more performant. '
                             'Otherwise, prefer to use "reverse-mode".')
    if strategy == "forward-mode":
        if create_graph:
            raise NotImplementedError("torch.autograd.functional.jacobian: `create_graph=True` and "
                                      '`strategy="forward-mode"` are not supported together (yet). Please either '
                                      'set `create_graph=False` or `strategy="reverse-mode"`.')
        if strict:
            raise RuntimeError('torch.autograd.functional.jacobian: `strict=True` and `strategy="forward-mode"` are '
                               'not supported together (yet). Please either set `strict=False` or '
                               '`strategy="reverse-mode"`.')
        _, tup = _as_tuple(inputs, "inputs", "jacobian")
        if not vectorize:
            raise NotImplementedError("Computing Jacobian using forward-AD or forward-over-reverse Hessian is"
                                      "only implemented for `vectorize=True`.")
        # NOTE [ forward-mode by reverse mode ]: ember has no forward AD; the Jacobian is the same matrix either
        # way. torch's tangents stay on the graph of inputs that require grad, so keep the graph in that case.
        keep = ember.is_grad_enabled() and any(t.requires_grad for t in tup)
        return _jacobian(func, inputs, keep, False, False, as_lists=True)
    return _jacobian(func, inputs, create_graph, strict, vectorize)


def _jacobian(func, inputs, create_graph, strict, vectorize, as_lists=False):
    # vectorize=True is served by the row loop too: ember.autograd.grad has no batched (vmap) backward
    with ember.enable_grad():
        is_inputs_tuple, inputs = _as_tuple(inputs, "inputs", "jacobian")
        inputs = _preprocess(inputs, create_graph, need_graph=True)
        is_outputs_tuple, outputs = _as_tuple(func(*inputs), "outputs of the user-provided function", "jacobian")
        _check_requires_grad(outputs, "outputs", strict)
        if vectorize and strict:
            raise RuntimeError("torch.autograd.functional.jacobian: `strict=True` and `vectorized=True` are not "
                               "supported together. Please either set `strict=False` or `vectorize=False`.")
        jac = _postprocess(_jacobian_rows(outputs, inputs, create_graph, strict), create_graph)
    if as_lists:  # torch's forward-mode path nests lists, not tuples
        jac = [list(row) for row in jac]
    return _unpack(jac, (is_outputs_tuple, is_inputs_tuple))


def hessian(func, inputs, create_graph=False, strict=False, vectorize=False, outer_jacobian_strategy="reverse-mode"):
    """The Hessian of scalar ``func`` (torch.autograd.functional.hessian)."""
    is_inputs_tuple, inputs = _as_tuple(inputs, "inputs", "hessian")
    if outer_jacobian_strategy not in ("forward-mode", "reverse-mode"):
        raise AssertionError('Expected strategy to be either "forward-mode" or "reverse-mode".')

    def single_output(*inp):
        out = func(*inp)
        is_out_tuple, t_out = _as_tuple(out, "outputs of the user-provided function", "hessian")
        _check_requires_grad(t_out, "outputs", strict)
        if is_out_tuple:
            raise RuntimeError("The function given to hessian should return a single Tensor")
        if out.nelement() != 1:
            raise RuntimeError("The Tensor returned by the function given to hessian should contain a single element")
        return out.squeeze()

    def jac_func(*inp):
        jac = jacobian(single_output, inp, create_graph=True)
        _check_requires_grad(jac, "jacobian", strict)
        return jac

    if outer_jacobian_strategy == "forward-mode" and not create_graph and not strict and vectorize:
        # see NOTE [ forward-mode by reverse mode ]; torch marks the inner inputs requires_grad, so the result
        # stays on a graph whenever grad mode is on
        keep = ember.is_grad_enabled()
        res = _jacobian(jac_func, inputs, keep, False, False, as_lists=True)
    else:
        res = jacobian(jac_func, inputs, create_graph=create_graph, strict=strict, vectorize=vectorize,
                       strategy=outer_jacobian_strategy)
    return _unpack(res, (is_inputs_tuple, is_inputs_tuple))


def _scalar_func_grad(func, inputs, v, create_graph, strict, fn_name):
    """Shared start of vhp/hvp: leaves, validated v, the scalar output and its gradient (with graph)."""
    is_inputs_tuple, inputs = _as_tuple(inputs, "inputs", fn_name)
    inputs = _preprocess(inputs, create_graph, need_graph=True)
    v = _prepare_v(v, inputs, is_inputs_tuple, create_graph, fn_name,
                   "the input to the user-provided function is a single Tensor with a single element.")
    is_outputs_tuple, outputs = _as_tuple(func(*inputs), "outputs of the user-provided function", fn_name)
    _check_requires_grad(outputs, "outputs", strict)
    if is_outputs_tuple:
        raise RuntimeError(f"The function given to {fn_name} should return a single Tensor")
    if outputs[0].nelement() != 1:
        raise RuntimeError(f"The Tensor returned by the function given to {fn_name} should contain a single element")
    jac = _grad(outputs, inputs, create_graph=True)
    _check_requires_grad(jac, "jacobian", strict)
    return is_inputs_tuple, inputs, v, outputs, jac


def vhp(func, inputs, v=None, create_graph=False, strict=False):
    """``(func(inputs), v^T H)`` (torch.autograd.functional.vhp)."""
    with ember.enable_grad():
        is_inputs_tuple, inputs, v, outputs, jac = _scalar_func_grad(func, inputs, v, create_graph, strict, "vhp")
    with ember.set_grad_enabled(create_graph or ember.is_grad_enabled()):
        res = _fill_in_zeros(_grad(jac, inputs, v, create_graph), inputs, strict, create_graph, "double_back")
    return _postprocess(outputs, create_graph)[0], _unpack(_postprocess(res, create_graph), is_inputs_tuple)


def hvp(func, inputs, v=None, create_graph=False, strict=False):
    """``(func(inputs), H v)`` by double backward (torch.autograd.functional.hvp)."""
    with ember.enable_grad():
        is_inputs_tuple, inputs, v, outputs, jac = _scalar_func_grad(func, inputs, v, create_graph, strict, "hvp")
        dummies = tuple(ember.zeros_like(t, requires_grad=True) for t in inputs)
        double_back = _grad(jac, inputs, dummies, create_graph=True)
        _check_requires_grad(jac, "hessian", strict)
    with ember.set_grad_enabled(create_graph or ember.is_grad_enabled()):
        res = _fill_in_zeros(_grad(double_back, dummies, v, create_graph), inputs, strict, create_graph,
                             "double_back_trick")
    return _postprocess(outputs, create_graph)[0], _unpack(_postprocess(res, create_graph), is_inputs_tuple)
