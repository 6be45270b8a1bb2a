"""The backward engine: walk the recorded nodes in reverse topological order.

1. Count, for every node reachable from the roots, how many edges point at it.
2. Start from the roots with their seed grads; a node runs once every consumer
   has handed it its grad (its count drops to zero).
3. Each node's backward maps output grads to input grads; each input grad is
   summed back to the input's shape (unbroadcast happens here, once), then added
   to the buffer of the node it flows into.
4. AccumulateGrad nodes add into the leaf's ``.grad``; saved values are freed
   unless ``retain_graph``.
"""
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


def _topo_counts(roots):
    """Number of incoming edges for every node reachable from ``roots`` (the dict doubles as 'seen')."""
    deps = dict.fromkeys(roots, 0)  # roots count as seen: a root reached from another is not walked twice
    stack = list(roots)
    while stack:
        node = stack.pop()
        for e in node._edges:
            if e is not None:
                nxt = e[0]
                c = deps.get(nxt)
                if c is None:
                    deps[nxt] = 1
                    stack.append(nxt)
                else:
                    deps[nxt] = c + 1
    return deps


def run_backward(tensors, grad_tensors, retain_graph, create_graph, inputs=None, accumulate=True):
    """Backpropagate from ``tensors``; accumulate into leaves (``backward``) or return grads for ``inputs`` (``grad``)."""
    roots, seeds = [], []
    for t, g in zip(tensors, grad_tensors):
        if not t._requires_grad:
            raise RuntimeError("element 0 of tensors does not require grad and does not have a grad_fn")
        node = t._grad_fn if t._grad_fn is not None else F._accumulator(t)
        roots.append((node, t._output_nr if t._grad_fn is not None else 0))
        seeds.append(g)

    # inputs: collect their grads instead of (or as well as) accumulating
    capture = None
    if inputs is not None:
        capture = {}
        for i, t in enumerate(inputs):
            node = t._grad_fn if t._grad_fn is not None else F._accumulator(t)
            capture[(id(node), t._output_nr if t._grad_fn is not None else 0)] = i

    root_nodes = list({id(n): n for n, _ in roots}.values())
    deps = _topo_counts(root_nodes)
    buffers = {}
    for (node, nr), g in zip(roots, seeds):
        _add_to_buffer(buffers, node, nr, g)

    results = [None] * (len(inputs) if inputs is not None else 0)
    ready = [n for n in root_nodes if deps.get(n, 0) == 0]
    Acc = F.AccumulateGrad
    prev = _state.enabled
    _state.enabled = create_graph
    try:
        while ready:
            node = ready.pop()
            grads = buffers.pop(node, None)
            if capture is not None and grads:
                for nr, g in grads.items():
                    k = capture.get((id(node), nr))
                    if k is not None:
                        results[k] = g if results[k] is None else results[k] + g
            if node.__class__ is Acc:
                leaf = node.variable
                if accumulate and grads and 0 in grads and leaf is not None:
                    _accumulate(leaf, grads[0], create_graph)
                continue
            # a node no grad reached (every consumer returned None) is skipped; its inputs get none either
            in_grads = _call_node(node, grads) if grads else ()
            n_in = len(in_grads)
            inputs_ = node.inputs
            shapes = [] if inputs_ is not None else node._in_shapes
            for i, e in enumerate(node._edges):
                if inputs_ is not None:
                    inp = inputs_[i]
                    shapes.append(inp._data if e is not None else None)
                if e is None:
                    continue
                nxt, nr = e
                g = in_grads[i] if i < n_in else None
                if g is not None:
                    if inputs_ is not None:
                        ref = inp._data
                        shape, dtype = ref.shape, ref.dtype
                    else:
                        shape, dtype = shapes[i]
                    if g._data.shape != shape:
                        g = _sum_to(g, shape)
                    if g._data.dtype != dtype:
                        g = g.to(F._dtype_of(dtype))
                    b = buffers.get(nxt)
                    if b is None:
                        buffers[nxt] = {nr: g}
                    else:
                        old = b.get(nr)
                        b[nr] = g if old is None else old + g
                c = deps[nxt] - 1
                deps[nxt] = c
                if c == 0:
                    ready.append(nxt)
            if not retain_graph:
                _release(node, shapes)
    finally:
        _state.enabled = prev
    return results


def _call_node(node, grads):
    """Run one node's backward with its collected output grads; returns a tuple of input grads."""
    d = node.__dict__
    if d.get("_released") and node._saves:
        raise RuntimeError(F._FREED_MSG)
    if "_versions" in d or "_out_refs" in d:
        F.check_versions(node)
    n_out = node._n_out
    hooks = d.get("_tensor_hooks")
    if n_out == 1 and hooks is None:
        res = node._fn.backward(node, grads.get(0))
        return res if res.__class__ is tuple else (res,)
    gl = []
    for i in range(n_out):
        g = grads.get(i)
        if hooks is not None and g is not None:
            for h in hooks.get(i, ()):
                r = h(g)
                if r is not None:
                    g = r
        gl.append(g)
    if n_out > 1:
        # materialise missing grads of multi-output nodes as zeros, as PyTorch does for Functions
        meta = node._out_meta
        for i, g in enumerate(gl):
            if g is None and meta[i] is not None:
                gl[i] = F._wrap(np.zeros(*meta[i]))
    res = node._fn.backward(node, *gl)
    return res if res.__class__ is tuple else (res,)


def _add_to_buffer(buffers, node, nr, g):
    b = buffers.get(node)
    if b is None:
        buffers[node] = {nr: g}
    else:
        old = b.get(nr)
        b[nr] = g if old is None else old + g


def _release(node, arrays):
    """Free what a node saved; a later backward through it raises PyTorch's 'second time' error."""
    d = node.__dict__
    d["_released"] = True
    if node.inputs is not None:
        d["_in_shapes"] = [None if a is None else (a.shape, a.dtype) for a in arrays]
        node.inputs = None
    d.pop("_saved", None)
    d["_out"] = None


def _accumulate(leaf, g, create_graph):
    """Add ``g`` into ``leaf.grad`` (in place unless building a graph), after the leaf's hooks."""
    hooks = leaf._hooks
    if hooks:
        for h in tuple(hooks.values()):
            r = h(g)
            if r is not None:
                g = r
    if g._data.dtype != leaf._data.dtype:
        g = g.to(leaf.dtype)
    old = leaf._grad
    if old is None:
        # a grad may be shared with other leaves (AddBackward passes one array to both): own a copy
        leaf._grad = g if create_graph else F._wrap(np.array(g._data, copy=True, order="K"))
    elif create_graph or old._requires_grad:
        leaf._grad = old + g
    else:
        np.add(old._data, g._data, out=old._data)
        old._vc += 1
    post = leaf._post_hooks
    if post:
        for h in tuple(post.values()):
            h(leaf)
