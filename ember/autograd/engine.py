"""The backward engine: walk the recorded nodes in reverse topological order.

1. Count, for every node reachable from the roots, how many edges point at it.
   With ``inputs`` (``autograd.grad``, ``backward(inputs=...)``) only the nodes
   on a path to an input run; the count is taken over those.
2. Start from the roots with their seed grads; a node runs once every consumer
   has handed it its grad (its count drops to zero).
3. A node's grads pass its tensor hooks and pre-hooks, then its backward maps
   them to input grads (then its post-hooks). Each input grad is summed back
   to the input's shape (unbroadcast happens here, once), cast to its dtype,
   and added to the buffer of the node it flows into.
4. AccumulateGrad nodes add into the leaf's ``.grad``; saved values are freed
   unless ``retain_graph``.

Buffers are keyed by the node for output 0 and by ``(node, nr)`` for other
outputs, so the common single-output node costs one dict operation.
"""
import warnings

import numpy as np

from . import function as F
from .grad_mode import _state


def _sum_to(g, shape):
    """Sum a broadcast gradient back down to ``shape``."""
    gs = g._data.shape
    if gs == shape:
        return g
    lead = len(gs) - len(shape)
    axes = tuple(range(lead)) + tuple(i + lead for i, s in enumerate(shape) if s == 1 and gs[i + lead] != 1)
    if axes:
        g = g.sum(axes, keepdim=True) if lead == 0 else g.sum(axes)
        if lead and len(g.shape) != len(shape):
            g = g.reshape(shape)
    if tuple(g.shape) != tuple(shape):
        g = g.reshape(shape)
    return g


def _cast(g, dtype):
    """A grad in its input's dtype; a real input takes the real part of a complex grad (as PyTorch does)."""
    if g._data.dtype.kind == "c" and dtype.kind != "c":
        g = g.real
    return g.to(F._dtype_of(dtype))


def _expandable(shape, to):
    """Whether ``shape`` broadcasts to ``to`` (so a grad of shape ``to`` sums back to ``shape``)."""
    if len(shape) > len(to):
        return False
    return all(s == t or s == 1 for s, t in zip(reversed(shape), reversed(to)))


def _topo_counts(roots):
    """Number of incoming edges for every node reachable from ``roots`` (the dict doubles as 'seen')."""
    deps = dict.fromkeys(roots, 0)  # roots count as seen: a root reached from another is not walked twice
    get = deps.get
    stack = list(roots)
    push, pop = stack.append, stack.pop
    while stack:
        for e in pop()._edges:
            if e is not None:
                nxt = e[0]
                c = get(nxt)
                if c is None:
                    deps[nxt] = 1
                    push(nxt)
                else:
                    deps[nxt] = c + 1
    return deps


def _prune(roots, reachable, targets):
    """Nodes that must run to reach ``targets``, and edge counts restricted to them.

    Returns (deps, needed): ``deps`` covers the running nodes and the targets (which
    collect grads even when they do not run themselves).
    """
    needed = set()
    state = {}  # node -> True once its children are decided
    for root in roots:
        stack = [(root, False)]
        while stack:
            node, done = stack.pop()
            if done:
                if any(e is not None and (e[0] in needed or e[0] in targets) for e in node._edges):
                    needed.add(node)
                state[node] = True
                continue
            if node in state:
                continue
            state[node] = False
            stack.append((node, True))
            for e in node._edges:
                if e is not None and e[0] not in state:
                    stack.append((e[0], False))
    keep = needed | targets
    deps = {n: 0 for n in keep if n in reachable}
    for n in needed:
        for e in n._edges:
            if e is not None and e[0] in deps:
                deps[e[0]] += 1
    return deps, needed


def run_backward(tensors, grad_tensors, retain_graph, create_graph, inputs=None, accumulate=True):
    """Backpropagate from ``tensors``.

    Without ``inputs``: accumulate into every reachable leaf's ``.grad``. With ``inputs``: run only the
    nodes leading to them and return their grads (accumulating into leaf inputs' ``.grad`` too when
    ``accumulate``, as ``backward(inputs=...)`` does).
    """
    roots, seeds = [], []
    for t, g in zip(tensors, grad_tensors):
        if not t._requires_grad:
            raise RuntimeError("element 0 of tensors does not require grad and does not have a grad_fn")
        fn = t._grad_fn
        roots.append((fn, t._output_nr) if fn is not None else (F._accumulator(t), 0))
        seeds.append(g)

    root_nodes = list({id(n): n for n, _ in roots}.values())
    deps = _topo_counts(root_nodes)
    capture = needed = None
    if inputs is not None:
        capture = {}
        for i, t in enumerate(inputs):
            fn = t._grad_fn
            key = (fn, t._output_nr) if fn is not None else (F._accumulator(t), 0)
            capture.setdefault(key, []).append(i)
        deps, needed = _prune(root_nodes, deps, {k[0] for k in capture})
        if accumulate:  # backward(inputs=...): the inputs' AccumulateGrad nodes run (with their hooks)
            needed.update(k[0] for k in capture if k[0].__class__ is F.AccumulateGrad)

    buffers = {}
    for (node, nr), g in zip(roots, seeds):
        if node in deps:
            _add(buffers, node, nr, g)

    results = [None] * (len(inputs) if inputs is not None else 0)
    ready = [n for n in root_nodes if deps.get(n) == 0]
    Acc = F.AccumulateGrad
    fast = capture is None and not _state.anomaly
    prev = (_state.grad, _state.enabled)
    _state.grad = _state.enabled = create_graph
    try:
        carry = carry_g = None  # a node whose whole grad is in hand: it runs next, skipping buffer and queue
        while True:
            if carry is not None:
                node, g, plain = carry, carry_g, True
                carry = None
            elif ready:
                node = ready.pop()
                plain = fast and node._plain
                if plain:
                    g = buffers.pop(node, None)
            else:
                break
            if plain:
                # the common case, inlined: an internal op's single-output node, no hooks, no capture
                inputs_ = node.inputs
                edges = node._edges
                if g is None:
                    in_grads = (None,) * len(edges)
                else:
                    if inputs_ is None and node._saves:
                        raise RuntimeError(F._FREED_MSG)
                    if "_versions" in node.__dict__:
                        F.check_versions(node)
                    in_grads = node._bw(node, g)
                    if in_grads.__class__ is not tuple:
                        in_grads = (in_grads,)
            elif node.__class__ is Acc:
                g = buffers.pop(node, None)
                if g is not None:
                    _leaf(node, g, capture, results, create_graph,
                          accumulate and (needed is None or node in needed))
                continue
            else:
                in_grads = _general_node(node, buffers, capture, results, needed)
                if in_grads is None:
                    continue  # not run (autograd.grad: only its grads were wanted)
                inputs_ = node.inputs
                edges = node._edges
            if len(in_grads) != len(edges):
                in_grads = (tuple(in_grads) + (None,) * len(edges))[:len(edges)]
            if inputs_ is not None:
                for e, g, inp in zip(edges, in_grads, inputs_):
                    if e is None:
                        continue
                    nxt = e[0]
                    c = deps.get(nxt)
                    if c is None:
                        continue  # not on a path to the requested inputs
                    if g is not None:
                        ref = inp._data
                        if g._data.shape != ref.shape:
                            g = _sum_to(g, ref.shape)
                        if g._data.dtype != ref.dtype:
                            g = _cast(g, ref.dtype)
                    nr = e[1]
                    if c == 1 and fast and carry is None and nr == 0 and nxt._plain:
                        # this was nxt's last consumer: run it next (a chain costs no queue or buffer traffic)
                        old = buffers.pop(nxt, None)
                        carry_g = g if old is None else old if g is None else old + g
                        carry = nxt
                        continue
                    if g is not None:
                        key = nxt if nr == 0 else (nxt, nr)
                        old = buffers.get(key)
                        buffers[key] = g if old is None else old + g
                    deps[nxt] = c - 1
                    if c == 1:
                        ready.append(nxt)
                if not retain_graph:
                    _release(node, node.__dict__, inputs_)
            else:  # released by an earlier backward (a node that saved nothing): shapes were kept
                for e, g, meta in zip(edges, in_grads, node._in_shapes):
                    if e is None:
                        continue
                    nxt = e[0]
                    c = deps.get(nxt)
                    if c is None:
                        continue
                    if g is not None:
                        if g._data.shape != meta[0]:
                            g = _sum_to(g, meta[0])
                        if g._data.dtype != meta[1]:
                            g = _cast(g, meta[1])
                        _add(buffers, nxt, e[1], g)
                    deps[nxt] = c - 1
                    if c == 1:
                        ready.append(nxt)
    finally:
        _state.grad, _state.enabled = prev
    return results


def _general_node(node, buffers, capture, results, needed):
    """Everything but the fast path: several outputs, hooks, user Functions, capture, anomaly mode.

    Returns the input grads, or None when the node is not to run.
    """
    d = node.__dict__
    n_out = node._n_out
    grads = [buffers.pop(node, None)] + [buffers.pop((node, i), None) for i in range(1, n_out)]
    if not any(x is not None for x in grads):
        grads = None
    if capture is not None and grads is not None:
        if node._hooked and node not in needed:
            grads = _tensor_hooks(d, grads)
        _capture(node, grads, capture, results)
    if needed is not None and node not in needed:
        return None
    if node.inputs is None and node._saves:
        raise RuntimeError(F._FREED_MSG)
    if grads is None:
        return (None,) * len(node._edges)  # no grad reached this node: its inputs get none either
    if "_packed" in d:
        _unpack_saved(node, d)
    if "_versions" in d:
        F.check_versions(node)
    if _state.anomaly:
        return _call_anomalous(node, grads)
    return _call(node, grads)


def _add(buffers, node, nr, g):
    key = node if nr == 0 else (node, nr)
    old = buffers.get(key)
    buffers[key] = g if old is None else old + g


def _capture(node, grads, capture, results):
    for nr, g in enumerate(grads):
        idx = capture.get((node, nr))
        if idx is not None and g is not None:
            for k in idx:
                results[k] = g if results[k] is None else results[k] + g


def _call(node, grads):
    """Run one node's backward (with its hooks); returns a tuple of input grads."""
    if not node._hooked and not node._custom:
        return _call_multi(node, grads)
    d = node.__dict__
    grads = _tensor_hooks(d, grads)
    pre = d.get("_pre_hooks")
    if pre:
        for h in tuple(pre.values()):
            r = h(tuple(grads))
            if r is not None:
                r = _check_hook_result(h, r, len(grads))
                grads = list(r)
    res = _call_multi(node, grads)
    if node._custom:
        res = _validate(node, res)
    post = d.get("_post_hooks")
    if post:
        mask = d.get("_tensor_args")  # a user's Function: hooks see grads of its tensor arguments only
        for h in tuple(post.values()):
            gi = res if mask is None else tuple(g for g, m in zip(res, mask) if m)
            r = h(gi, tuple(grads))
            if r is not None:
                r = iter(_check_hook_result(h, r, len(gi)))
                res = tuple(r) if mask is None else tuple(next(r) if m else g for g, m in zip(res, mask))
    return res


def _call_multi(node, grads):
    if any(g is None for g in grads) and node.__dict__.get("_materialize", True):
        # PyTorch hands a Function zeros for outputs that got no grad (unless set_materialize_grads(False))
        meta = node.__dict__.get("_out_meta")
        if meta is not None:
            grads = [F._wrap(np.zeros(*meta[i])) if g is None and meta[i] is not None else g
                     for i, g in enumerate(grads)]
    res = node._fn.backward(node, *grads)
    return res if res.__class__ is tuple else (res,)


def _check_hook_result(h, r, n):
    if not isinstance(r, tuple):
        raise TypeError(f"expected tuple, but hook returned '{type(r).__name__}'")
    if len(r) != n:
        got = len(r)
        raise RuntimeError(f"hook '{_hook_name(h)}' has returned an incorrect number of values (got {got}, but "
                           f"expected {n})")
    return tuple(r)


def _hook_name(h):
    return getattr(h, "__name__", type(h).__name__)


def _tensor_hooks(d, grads):
    """Run the hooks registered on this node's output tensors (``register_hook``, then ``retain_grad``)."""
    hooks = d.get("_tensor_hooks")
    retain = d.get("_retain_hooks")
    if not hooks and not retain:
        return grads
    grads = list(grads)
    for nr, hs in (hooks or {}).items():
        g = grads[nr] if nr < len(grads) else None
        if g is not None:
            for h in tuple(hs.values()):
                g = _run_tensor_hook(h, g)
            grads[nr] = g
    for nr, h in (retain or {}).items():
        if nr < len(grads) and grads[nr] is not None:
            h(grads[nr])
    return grads


def _run_tensor_hook(h, g):
    r = h(g)
    if r is None:
        return g
    if not isinstance(r, F.Tensor):
        raise TypeError(f"expected Variable, but hook returned '{type(r).__name__}'")
    if r._data.shape != g._data.shape:
        raise RuntimeError(f"hook '{_hook_name(h)}' has changed the size of value")
    if r._data.dtype != g._data.dtype:
        raise RuntimeError(f"hook '{_hook_name(h)}' has changed the type of value (was {g.type()} got {r.type()})")
    return r


def _validate(node, res):
    """Check what a user Function's backward returned, with PyTorch's errors."""
    name = type(node).name(node)  # a user's ctx may have an attribute called name
    n = len(node._edges)
    if len(res) != n:
        if len(res) > n and all(r is None for r in res[n:]):
            res = res[:n]
        else:
            raise RuntimeError(f"function {name} returned an incorrect number of gradients (expected {n}, "
                               f"got {len(res)})")
    inputs = node.inputs
    shapes = node.__dict__.get("_in_shapes")
    for i, g in enumerate(res):
        if g is None:
            continue
        if not isinstance(g, F.Tensor):
            raise RuntimeError(f"expected Variable or None (got {type(g).__name__})")
        if inputs is not None:
            inp = inputs[i]
            if not isinstance(inp, F.Tensor):
                raise RuntimeError(f"function {name} returned a gradient different than None at position {i + 1}, "
                                   "but the corresponding forward input was not a Variable")
            shape = inp._data.shape
        elif shapes is not None and shapes[i] is not None:
            shape = shapes[i][0]
        else:
            continue
        if g._data.shape != shape and not _expandable(shape, g._data.shape):
            raise RuntimeError(f"Function {name} returned an invalid gradient at index {i} - got "
                               f"{list(g._data.shape)} but expected shape compatible with {list(shape)}")
    return res


def _call_anomalous(node, grads):
    """``_call`` under anomaly detection: NaN outputs raise, and a failure warns with the forward stack."""
    try:
        res = _call(node, grads)
        if _state.check_nan:
            for i, g in enumerate(res):
                if isinstance(g, F.Tensor) and g._data.dtype.kind in "fc" and np.isnan(g._data).any():
                    raise RuntimeError(f"Function '{type(node).name(node)}' returned nan values in its {i}th output.")
        return res
    except Exception:
        trace = node.__dict__.get("_trace")
        if trace is not None:
            warnings.warn(f"Error detected in {type(node).name(node)}. Traceback of forward call that caused the error:\n"
                          + "".join(trace), stacklevel=2)
        raise


def _unpack_saved(node, d):
    """Saved-tensor hooks: what the node saved goes through ``unpack`` before its backward reads it."""
    unpack = d["_unpack"]
    ins = list(node.inputs)
    for i, p in d["_packed"]:
        t = unpack(p)
        if i >= 0:
            ins[i] = t
        else:
            d["_out"] = t._data
    node.inputs = tuple(ins)


def _release(node, d, inputs_):
    """Free what a node saved; a later backward through it raises PyTorch's 'second time' error."""
    d["_released"] = True
    if inputs_ is not None:
        if not node._saves:
            # a node that saved nothing may run again: keep only its inputs' shapes and dtypes
            d["_in_shapes"] = [(a._data.shape, a._data.dtype) if isinstance(a, F.Tensor) else None for a in inputs_]
        node.inputs = None
    if "_saved" in d:
        del d["_saved"]
    if "_packed" in d:
        del d["_packed"]
    if "_out" in d:
        del d["_out"]


def _leaf(node, g, capture, results, create_graph, run):
    """A leaf's turn: its tensor hooks, then capture (``grad``) and/or accumulation into ``.grad``."""
    leaf = node.variable
    if leaf is None:
        return
    hooks = leaf._hooks
    if hooks:
        for h in tuple(hooks.values()):
            g = _run_tensor_hook(h, g)
    if capture is not None:
        _capture(node, (g,), capture, results)
    if not run:
        return
    d = node.__dict__
    pre = d.get("_pre_hooks")
    if pre:
        for h in tuple(pre.values()):
            r = h((g,))
            if r is not None:
                g = _check_hook_result(h, r, 1)[0]
    _accumulate(leaf, g, create_graph)
    post = leaf._post_hooks
    if post:
        for h in tuple(post.values()):
            if h(leaf) is not None:
                raise RuntimeError("Tensor post accumulate grad hooks should return None.")
    post = d.get("_post_hooks")
    if post:
        for h in tuple(post.values()):
            h((), (g,))


def _accumulate(leaf, g, create_graph):
    """Add ``g`` into ``leaf.grad`` (in place unless building a graph)."""
    if g._data.dtype != leaf._data.dtype:
        g = _cast(g, leaf._data.dtype)
    old = leaf._grad
    if old is None:
        if create_graph:
            # PyTorch stores a differentiable copy (its node is CopyBackwards)
            from ..ops.elementwise import Copy
            leaf._grad = Copy.apply(F._wrap(np.empty_like(g._data)), g) if g._requires_grad else g
        else:
            # a grad may be shared with other leaves (AddBackward passes one array to both): own a copy
            leaf._grad = F._wrap(np.array(g._data, copy=True, order="K"))
    elif create_graph or old._requires_grad:
        leaf._grad = old + g
    else:
        np.add(old._data, g._data, out=old._data)
        old._vc += 1
