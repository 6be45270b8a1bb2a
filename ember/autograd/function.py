"""The one mechanism behind every differentiable op: ``Function`` and its graph ``Node``.

An op is a ``Function`` subclass with ``forward(ctx, *args, **attrs)`` and
``backward(ctx, *grads)`` side by side. ``apply`` runs forward and, when grad
mode is on and an input requires grad, records a node (the ``ctx``) on the
output. ember's own ops set ``_internal = True``: their forward reads the
inputs' NumPy arrays and returns arrays, so no tensor is built until the end.
Their backward works on Tensors, so ``create_graph=True`` gives higher-order
derivatives for free.
"""
import weakref

import numpy as np

from .grad_mode import _state

ndarray = np.ndarray
_new = object.__new__
Tensor = None  # set by ember.tensor once the class exists (breaks the import cycle)


class Node:
    """A recorded op; what ``tensor.grad_fn`` returns. Subclasses carry PyTorch's node names."""

    _saves = True  # whether backward needs saved values (a second backward then raises)

    def name(self):
        return type(self).__name__

    @property
    def next_functions(self):
        return tuple((None, 0) if e is None else e for e in self._edges)

    @property
    def metadata(self):
        d = self.__dict__.get("_metadata")
        if d is None:
            d = self._metadata = {}
        return d

    def __repr__(self):
        return f"<{type(self).__name__} object at {hex(id(self))}>"


class _NoCtx:
    """Stands in for ctx when no graph is recorded: writes to it are dropped, nothing is kept alive."""

    __slots__ = ()
    needs_input_grad = ()

    def __setattr__(self, name, value):
        pass

    def save_for_backward(self, *tensors):
        pass

    def mark_non_differentiable(self, *tensors):
        pass

    def mark_dirty(self, *tensors):
        pass

    def set_materialize_grads(self, value):
        pass


_NOCTX = _NoCtx()


class BackwardNode(Node):
    """The ctx of a recorded Function call; its class name is the node name (``MulBackward0``)."""

    _fn = None  # the Function subclass whose backward this node runs
    _n_out = 1
    _out = None

    @property
    def needs_input_grad(self):
        d = self.__dict__
        v = d.get("_needs")
        if v is None:
            v = d["_needs"] = tuple(e is not None for e in self._edges)
        return v

    def save_for_backward(self, *tensors):
        self._saved = tensors

    @property
    def saved_tensors(self):
        if self.__dict__.get("_released"):
            raise RuntimeError(_FREED_MSG)
        return self.__dict__.get("_saved", ())

    def mark_non_differentiable(self, *tensors):
        self._non_diff = tensors

    def mark_dirty(self, *tensors):
        self._dirty = tensors

    def set_materialize_grads(self, value):
        self._materialize = value

    def saved_output(self, i=0):
        """The forward output as a Tensor attached to this node (for backward formulas using it)."""
        arr = self._out[i] if isinstance(self._out, tuple) else self._out
        t = _wrap(arr)
        t._requires_grad = True
        t._grad_fn = self
        t._output_nr = i
        return t

    def apply(self, *grads):
        return self._fn.backward(self, *grads)


_FREED_MSG = (
    "Trying to backward through the graph a second time (or directly access saved tensors after they have "
    "already been freed). Saved intermediate values of the graph are freed when you call .backward() or "
    "autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or "
    "if you need to access saved tensors after calling backward.")


class AccumulateGrad(Node):
    """The sink node of a leaf tensor that requires grad: adds incoming grads into ``.grad``."""

    _saves = False

    def __init__(self, variable):
        # the leaf owns its node; the node refers back weakly, so there is no reference cycle
        self._var = weakref.ref(variable)
        self._edges = ()

    @property
    def variable(self):
        return self._var()

    def name(self):
        return "torch::autograd::AccumulateGrad"


def _accumulator(t):
    """The leaf's AccumulateGrad node, created on first use and kept by the leaf."""
    acc = t._acc
    if acc is None:
        acc = t._acc = AccumulateGrad(t)
    return acc


def _wrap(arr):
    """A new Tensor around an ndarray (no copy, no checks: the hot path)."""
    t = _new(Tensor)
    t._data = arr
    t._requires_grad = False
    t._grad_fn = None
    t._base = None
    t._vc = 0
    return t


def _wrap_result(out):
    """Wrap what an internal forward returned: an array, a NumPy scalar, or a tuple of them."""
    if type(out) is ndarray:
        return _wrap(out)
    if type(out) is tuple:
        return tuple(_wrap_result(o) for o in out)
    if isinstance(out, Tensor) or out is None:
        return out
    return _wrap(np.asarray(out))


def _dtype_of(np_dtype):
    from ..dtypes import _from_np
    return _from_np[np_dtype]


def _version(t):
    b = t._base
    return (b if b is not None else t)._vc


class _FunctionMeta(type):
    def __init__(cls, name, bases, attrs):
        super().__init__(name, bases, attrs)
        # keep the forward output on the node only for ops whose backward reads it (saves memory)
        bw = getattr(cls, "backward", None)
        code = getattr(getattr(bw, "__func__", bw), "__code__", None)
        cls._keeps_output = code is not None and "saved_output" in code.co_names
        node_name = attrs.get("node_name") or (name + "Backward")
        cls._node_cls = type(node_name, (BackwardNode,), {
            "_fn": cls, "_saves": attrs.get("saves", getattr(cls, "saves", True)), "__module__": cls.__module__})


class Function(metaclass=_FunctionMeta):
    """Base of every differentiable op; subclass with ``forward``/``backward`` static methods and call ``apply``."""

    _internal = False  # True for ember's ops: forward takes/returns NumPy arrays
    saves = True
    check_inputs = None  # which saved inputs backward reads: None = all, or a callable(needs) -> indices

    @staticmethod
    def forward(ctx, *args, **kwargs):
        raise NotImplementedError("You must implement the forward function for custom autograd.Function.")

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError("You must implement either the backward or vjp method for your custom "
                                  "autograd.Function to use it with backward mode AD.")

    @classmethod
    def apply(cls, *args, **kwargs):
        if _state.enabled:
            for a in args:
                if isinstance(a, Tensor) and a._requires_grad:
                    return _record(cls, args, kwargs)
        if cls._internal:
            out = cls.forward(_NOCTX, *args, **kwargs)
            return _wrap(out) if type(out) is ndarray else _wrap_result(out)
        return cls.forward(_NOCTX, *args, **kwargs)


def _edges(args):
    """Where each input's grad goes: (its grad_fn, output index), its leaf's AccumulateGrad, or None."""
    edges = []
    for a in args:
        if isinstance(a, Tensor) and a._requires_grad:
            fn = a._grad_fn
            edges.append((fn, a._output_nr) if fn is not None else (_accumulator(a), 0))
        else:
            edges.append(None)
    return edges


def attach(cls, args, out):
    """Record ``cls``'s node for a forward a fast path already computed (``out``, one float array).

    Only for ops whose backward needs nothing from forward but the inputs (ember.ops._fast's
    arithmetic); everything else goes through ``_record``, which runs forward with the node as ctx.
    """
    ctx = _new(cls._node_cls)
    d = ctx.__dict__
    d["_edges"] = _edges(args)
    d["inputs"] = args
    if cls.saves:
        ci = cls.check_inputs
        d["_versions"] = [(i, _version(args[i])) for i in (range(len(args)) if ci is None else ci(ctx.needs_input_grad))]
    t = _new(Tensor)
    t._data = out
    t._requires_grad = True
    t._grad_fn = ctx
    t._output_nr = 0
    t._base = None
    t._vc = 0
    return t


def _record(cls, args, kwargs):
    """Run forward and attach a new node to the outputs (grad mode on, some input requires grad)."""
    ctx = _new(cls._node_cls)
    d = ctx.__dict__
    d["_edges"] = _edges(args)
    d["inputs"] = args
    if cls._internal:
        out = cls.forward(ctx, *args, **kwargs)
        if cls._keeps_output:
            d["_out"] = out
        if cls.saves:
            ci = cls.check_inputs
            idx = range(len(args)) if ci is None else ci(ctx.needs_input_grad)
            d["_versions"] = [(i, _version(args[i])) for i in idx if isinstance(args[i], Tensor)]
        if out.__class__ is ndarray:  # the common single-output case
            t = _wrap(out)
            if out.dtype.kind in "fc":
                t._requires_grad = True
                t._grad_fn = ctx
                t._output_nr = 0
            if cls._keeps_output:
                d["_out_refs"] = (weakref.ref(t),)  # backward reads the output: an in-place change must raise
            return t
        res = _wrap_result(out)
        if cls._keeps_output:
            d["_out_refs"] = tuple(weakref.ref(o) for o in (res if type(res) is tuple else (res,)))
    else:
        _state.enabled = False
        try:
            res = cls.forward(ctx, *args, **kwargs)
        finally:
            _state.enabled = True
    non_diff = d.get("_non_diff", ())
    outs = res if type(res) is tuple else (res,)
    for i, o in enumerate(outs):
        if isinstance(o, Tensor) and o._data.dtype.kind in "fc" and not any(
                o is n or (type(n) is int and n == i) for n in non_diff):
            o._requires_grad = True
            o._grad_fn = ctx
            o._output_nr = i
    d["_n_out"] = len(outs)
    d["_out_meta"] = [(o._data.shape, o._data.dtype) if isinstance(o, Tensor) else None for o in outs]
    return res


def check_versions(ctx):
    """Raise PyTorch's error if a tensor saved for this node (an input or its output) was modified in place since."""
    d = ctx.__dict__
    for ref in d.get("_out_refs", ()):
        o = ref()
        if o is not None and _version(o) != 0:
            _modified(o, 0)
    vs = d.get("_versions")
    if not vs:
        return
    for i, v in vs:
        a = ctx.inputs[i]
        if _version(a) != v:
            _modified(a, v)


def _modified(a, v):
    raise RuntimeError(
        "one of the variables needed for gradient computation has been modified by an inplace "
        f"operation: [{a.type()} {list(a.shape)}] is at version {_version(a)}; expected version {v} "
        "instead. Hint: enable anomaly detection to find the operation that failed to compute its "
        "gradient, with torch.autograd.set_detect_anomaly(True).")


def snapshot_saved_self(t, node):
    """Before an in-place op overwrites ``t``, give the op's node a copy of ``t`` if its backward reads it.

    PyTorch saves the original ``self`` for such ops (``b.log_()`` needs the old ``b``); the copy carries
    ``t``'s history, so grads still flow to where ``t`` came from.
    """
    if node is None or not node._saves:
        return
    ins = node.__dict__.get("inputs")
    if not ins or not any(a is t for a in ins):
        return
    snap = _wrap(t._data.copy())
    snap._requires_grad = t._requires_grad
    snap._grad_fn = t._grad_fn
    snap._output_nr = t._output_nr
    snap._vc = t._version
    node.inputs = tuple(snap if a is t else a for a in ins)
