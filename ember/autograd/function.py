"""The one mechanism behind every differentiable op: ``Function`` and its graph ``Node``.

An op is a ``Function`` subclass with ``forward(ctx, *args)`` and
``backward(ctx, *grads)`` side by side (or the newer split: ``forward(*args)``
plus ``setup_context(ctx, inputs, output)``). ``apply`` runs forward and, when
grad mode is on and an input requires grad, records a node (the ``ctx``) on
the outputs.

ember's own ops set ``_internal = True``: their forward reads the inputs'
NumPy arrays and returns arrays, so no tensor is built until the end, and they
skip the output bookkeeping a user's Function needs (dirty inputs, aliases,
grad validation). Both kinds share the node class, the engine and the
backward-on-Tensors rule, so ``create_graph=True`` gives higher-order
derivatives for either.
"""
import functools
import inspect
import traceback
import warnings
import weakref
from weakref import ref as _weakref
from collections import OrderedDict

import numpy as np

from .grad_mode import _state, no_grad

ndarray = np.ndarray
_new = object.__new__
Tensor = None  # set by ember.tensor once the class exists (breaks the import cycle)


class Node:
    """A recorded op; what ``tensor.grad_fn`` returns. Subclasses carry PyTorch's node names."""

    _saves = True  # whether backward needs saved values (a second backward then raises)
    _hooked = False  # set on a node once any hook is registered on it
    _plain = False  # an internal op's single-output node with no hooks: the engine's fast path

    def name(self):
        return type(self).__name__

    @property
    def next_functions(self):
        edges = self._edges
        mask = self.__dict__.get("_tensor_args")
        if mask is not None:  # a user's Function: PyTorch gives its non-tensor arguments no edge
            edges = [e for e, m in zip(edges, mask) if m]
        return tuple((None, 0) if e is None else e for e in edges)

    @property
    def metadata(self):
        d = self.__dict__.get("_metadata")
        if d is None:
            d = self._metadata = {}
        return d

    def register_hook(self, fn):
        """``fn(grad_inputs, grad_outputs)`` runs after this node's backward; it may return new grad_inputs."""
        return self._add_hook("_post_hooks", fn)

    def register_prehook(self, fn):
        """``fn(grad_outputs)`` runs before this node's backward; it may return new grad_outputs."""
        return self._add_hook("_pre_hooks", fn)

    def _add_hook(self, key, fn):
        from ..utils.hooks import RemovableHandle
        hooks = self.__dict__.get(key)
        if hooks is None:
            hooks = self.__dict__[key] = OrderedDict()
        h = RemovableHandle(hooks)
        hooks[h.id] = fn
        self._hooked = True
        self._plain = False
        return h

    def __repr__(self):
        return f"<{type(self).__name__} object at {hex(id(self))}>"


class _NoCtx:
    """Stands in for an internal op's ctx when no graph is recorded: writes are dropped, nothing kept alive."""

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
    _custom = False  # a user's Function: the engine validates what its backward returns
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
        for i, t in enumerate(tensors):
            if t is not None and not isinstance(t, Tensor):
                raise TypeError(f"save_for_backward can only save variables, but argument {i} is of type "
                                f"{type(t).__name__}")
        self._to_save = tensors

    @property
    def saved_tensors(self):
        d = self.__dict__
        if d.get("_released"):
            raise RuntimeError(_FREED_MSG)
        saved = d.get("_saved")
        if saved is None:
            return d.get("_to_save", ())
        out = []
        for t, v, nr, unpack in saved:
            if unpack is not None:
                t = unpack(t)
            elif t is not None and _version(t) != v:
                _modified(t, v, self if nr is not None else None, nr or 0)
            out.append(t)
        return tuple(out)

    saved_variables = saved_tensors

    def mark_non_differentiable(self, *tensors):
        self._non_diff = tensors

    def mark_dirty(self, *tensors):
        self._dirty = tensors

    def set_materialize_grads(self, value):
        self._materialize = value

    @property
    def materialize_grads(self):
        return self.__dict__.get("_materialize", True)

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

    def __call__(self, *grads):
        if self._custom:
            raise TypeError(f"'{type(self).__name__}' object is not callable")
        return self._fn.backward(self, *grads)

    def __repr__(self):
        mod = "torch.autograd.function." if self._custom else ""
        return f"<{mod}{type(self).__name__} object at {hex(id(self))}>"

    def __getattr__(self, name):
        # PyTorch exposes what a node saved as _saved_self / _saved_other / _saved_result
        if name in ("_saved_self", "_saved_other", "_saved_result") and self.__dict__.get("_released") and (
                self._saves or self._fn._keeps_output):
            raise RuntimeError(_FREED_MSG)
        ins = self.__dict__.get("inputs")
        if name == "_saved_self" and ins:
            return ins[0]
        if name == "_saved_other" and ins and len(ins) > 1:
            o = ins[1]
            return o if isinstance(o, Tensor) else _wrap(np.asarray(o))
        if name == "_saved_result" and self._out is not None:
            return self.saved_output()
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")


FunctionCtx = BackwardNode  # the type of ``ctx`` (PyTorch's name, for annotations)

_FREED_MSG = (
    "Trying to backward through the graph a second time (or directly access saved tensors after they have "
    "already been freed). Saved intermediate values of the graph are freed when you call .backward() or "
    "autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or "
    "if you need to access saved tensors after calling backward.")


class AccumulateGrad(Node):
    """The sink node of a leaf tensor that requires grad: adds incoming grads into ``.grad``."""

    _saves = False

    def __init__(self, variable):
        # PyTorch's ownership: a graph keeps its leaves alive (this node holds the leaf) and the leaf refers to
        # its node weakly, so there is no reference cycle; ``del x`` before ``backward`` still fills ``x.grad``
        self.variable = variable
        self._edges = ()

    def name(self):
        return "torch::autograd::AccumulateGrad"


def _accumulator(t):
    """The leaf's AccumulateGrad node: the one a live graph uses, else a new one."""
    ref = t._acc
    if ref is not None:
        acc = ref()
        if acc is not None:
            return acc
    acc = _new(AccumulateGrad)  # __init__ inlined: a leaf gets a new node whenever its last graph died
    d = acc.__dict__
    d["variable"] = t
    d["_edges"] = ()
    t._acc = _weakref(acc)
    return acc


def _wrap(arr):
    """A new Tensor around an ndarray (no copy, no checks: the hot path)."""
    t = _new(Tensor)
    t._data = arr
    t._requires_grad = False
    t._grad_fn = None
    t._base = None
    t._vc = _state.vc0  # NO_VERSION marks an inference tensor
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


def _bump(t):
    b = t._base
    (b if b is not None else t)._vc += 1


class _FunctionMeta(type):
    def __init__(cls, name, bases, attrs):
        super().__init__(name, bases, attrs)
        # keep the forward output on the node only for ops whose backward reads it (saves memory)
        bw = getattr(cls, "backward", None)
        code = getattr(getattr(bw, "__func__", bw), "__code__", None)
        cls._keeps_output = code is not None and "saved_output" in code.co_names
        internal = getattr(cls, "_internal", False)
        # the newer style: forward without ctx, plus setup_context (PyTorch checks for the override the same way)
        cls._setup_style = not internal and getattr(cls, "setup_context", None) is not _default_setup_context
        node_name = attrs.get("node_name") or (name + "Backward")
        # a user's Function saves through ctx.save_for_backward; the second-backward check happens on access
        saves = attrs.get("saves", getattr(cls, "saves", True)) if internal else False
        cls._node_cls = type(node_name, (BackwardNode,), {
            "_fn": cls, "_bw": staticmethod(cls.backward), "_saves": saves, "_custom": not internal, "_plain": internal,
            "__module__": cls.__module__})


def _default_setup_context(ctx, inputs, output):
    raise NotImplementedError("setup_context is not implemented.")


class Function(metaclass=_FunctionMeta):
    """Base of every differentiable op; subclass with ``forward``/``backward`` static methods and call ``apply``."""

    _internal = False  # True for ember's ops: forward takes/returns NumPy arrays
    saves = True
    check_inputs = None  # which saved inputs backward reads: None = all, or a callable(needs) -> indices

    def __init__(self, *args, **kwargs):
        warnings.warn(f"{self.__class__} should not be instantiated. Methods on autograd functions are all static, "
                      "so you should invoke them on the class itself. Instantiating an autograd function will "
                      "raise an error in a future version of PyTorch.", DeprecationWarning, stacklevel=2)

    def __call__(self, *args, **kwargs):
        raise RuntimeError("Legacy autograd function with non-static forward method is deprecated. Please use "
                           "new-style autograd function with static forward method. (Example: "
                           "https://pytorch.org/docs/stable/autograd.html#torch.autograd.Function)")

    @staticmethod
    def forward(ctx, *args, **kwargs):
        raise NotImplementedError("You must implement the forward function for custom autograd.Function.")

    setup_context = staticmethod(_default_setup_context)

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError("You must implement either the backward or vjp method for your custom "
                                  "autograd.Function to use it with backward mode AD.")

    vjp = backward

    @staticmethod
    def jvp(ctx, *grad_inputs):
        raise NotImplementedError("You must implement the jvp function for custom autograd.Function to use it "
                                  "with forward mode AD.")

    @classmethod
    def apply(cls, *args, **kwargs):
        if not cls._internal:
            return _apply_custom(cls, args, kwargs)
        if _state.enabled:
            for a in args:
                if isinstance(a, Tensor) and a._requires_grad:
                    return _record(cls, args, kwargs)
        out = cls.forward(_NOCTX, *args, **kwargs)
        return _wrap(out) if type(out) is ndarray else _wrap_result(out)


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


_INFERENCE_SAVED_MSG = (
    "Inference tensors cannot be saved for backward. Please do not use Tensors created in inference mode in "
    "computation tracked by autograd. To work around this, you can make a clone to get a normal tensor and use "
    "it in autograd, or use `torch.no_grad()` instead of `torch.inference_mode()`.")


def _saved_versions(cls, ctx, args):
    """(index, version) of every tensor input the op's backward reads, to detect in-place changes later."""
    ci = cls.check_inputs
    vs = []
    for i in (range(len(args)) if ci is None else ci(ctx.needs_input_grad)):
        a = args[i]
        if isinstance(a, Tensor):
            b = a._base
            v = (b if b is not None else a)._vc
            if v.__class__ is not int:
                raise RuntimeError(_INFERENCE_SAVED_MSG)
            vs.append((i, v))
    return vs


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
        vs = _saved_versions(cls, ctx, args)
        if vs:
            d["_versions"] = vs
    t = _new(Tensor)
    t._data = out
    t._requires_grad = True
    t._grad_fn = ctx
    t._output_nr = 0
    t._base = None
    t._vc = 0
    if _state.anomaly or _state.saved_hooks is not None:
        _extras(cls, d, args, ())
    return t


def _record(cls, args, kwargs):
    """Run an internal op's forward and attach a new node to the outputs (grad mode on, an input requires grad)."""
    ctx = _new(cls._node_cls)
    d = ctx.__dict__
    d["_edges"] = _edges(args)
    d["inputs"] = args
    out = cls.forward(ctx, *args, **kwargs)
    if cls._keeps_output:
        d["_out"] = out
        d["_versions"] = ()  # the engine checks versions when this key exists: the output's (_out_refs) here
    if cls.saves:
        vs = _saved_versions(cls, ctx, args)
        if vs:
            d["_versions"] = vs
    if out.__class__ is ndarray:  # the common single-output case
        t = _wrap(out)
        if out.dtype.kind in "fc":
            t._requires_grad = True
            t._grad_fn = ctx
            t._output_nr = 0
        if cls._keeps_output:
            d["_out_refs"] = (weakref.ref(t),)  # backward reads the output: an in-place change must raise
        if _state.anomaly or _state.saved_hooks is not None:
            _extras(cls, d, args, (t,))
        return t
    res = _wrap_result(out)
    outs = res if type(res) is tuple else (res,)
    if cls._keeps_output:
        d["_out_refs"] = tuple(weakref.ref(o) for o in outs)
    non_diff = d.get("_non_diff", ())
    for i, o in enumerate(outs):
        if isinstance(o, Tensor) and o._data.dtype.kind in "fc" and i not in non_diff:
            o._requires_grad = True
            o._grad_fn = ctx
            o._output_nr = i
    d["_n_out"] = len(outs)
    d["_plain"] = False
    d["_out_meta"] = [(o._data.shape, o._data.dtype) if isinstance(o, Tensor) else None for o in outs]
    if _state.anomaly or _state.saved_hooks is not None:
        _extras(cls, d, args, ())
    return res


def _extras(cls, d, args, outs):
    """Anomaly mode keeps the forward stack; saved-tensor hooks pack what backward will read.

    The packed tensors are the inputs whose versions would be checked and a kept output; backward
    unpacks them first (engine ``_unpack_saved``). Like PyTorch, no version check then applies to them.
    """
    if _state.anomaly:
        d["_trace"] = _forward_stack()
    hooks = _state.saved_hooks
    if hooks is None or hooks.__class__ is str or not cls.saves:
        return
    pack, unpack = hooks
    packed = [(i, pack(args[i])) for i, _ in d.pop("_versions", ())]
    if cls._keeps_output and outs:
        packed.append((-1, pack(outs[0])))
        del d["_out_refs"]
    if packed:
        d["_packed"], d["_unpack"], d["_plain"] = packed, unpack, False


def _forward_stack():
    """The user's stack at a recorded op (anomaly mode), without ember's own frames."""
    import os
    pkg = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
    frames = [f for f in traceback.extract_stack() if not f.filename.startswith(pkg)]
    return traceback.format_list(frames)


# ---------------------------------------------------------------------------- user-defined Functions

def _bind(cls, args, kwargs):
    """Positional inputs of a Function call: keyword arguments and defaults bound by forward's signature."""
    sig = cls.__dict__.get("_sig")
    if sig is None:
        sig = inspect.signature(cls.forward)
        if not cls._setup_style:
            params = list(sig.parameters.values())[1:]  # drop ctx
            sig = sig.replace(parameters=params)
        cls._sig = sig
    b = sig.bind(*args, **kwargs)
    b.apply_defaults()
    if b.kwargs:
        raise TypeError(f"{cls.__name__}.apply() does not take keyword-only arguments")
    return b.args


def _apply_custom(cls, args, kwargs):
    """``apply`` of a user's Function: forward without grad, then the outputs get this call's node."""
    if kwargs or cls._setup_style:
        args = _bind(cls, args, kwargs)
    record = _state.enabled and any(isinstance(a, Tensor) and a._requires_grad for a in args)
    ctx = _new(cls._node_cls)
    d = ctx.__dict__
    d["_edges"] = _edges(args) if record else [None] * len(args)
    d["inputs"] = args
    if record and not all(isinstance(a, Tensor) for a in args):
        d["_tensor_args"] = tuple(isinstance(a, Tensor) for a in args)  # for next_functions
    # PyTorch reports which inputs require grad even when nothing is recorded (under no_grad)
    d["_needs"] = tuple(isinstance(a, Tensor) and a._requires_grad for a in args)
    if record and _state.anomaly:
        d["_trace"] = _forward_stack()
    prev = (_state.grad, _state.enabled)
    _state.grad = _state.enabled = False
    try:
        if cls._setup_style:
            out = cls.forward(*args)
            cls.setup_context(ctx, args, out)
        else:
            out = cls.forward(ctx, *args)
    finally:
        _state.grad, _state.enabled = prev
    return _wrap_outputs(ctx, args, out, record)


def _wrap_outputs(ctx, args, out, record):
    """Give a user Function's outputs their node: dirty inputs are rebased, returned inputs become aliases."""
    d = ctx.__dict__
    is_tuple = type(out) is tuple
    outs = out if is_tuple else (out,)
    dirty = d.get("_dirty", ())
    non_diff = d.get("_non_diff", ())
    res = []
    for i, o in enumerate(outs):
        if isinstance(o, Tensor):
            if any(o is t for t in dirty):
                if record and o._requires_grad and o._grad_fn is None:
                    raise RuntimeError("a leaf Variable that requires grad has been used in an in-place operation.")
                _bump(o)
            elif any(o is a for a in args):
                o = _alias(o)  # the input keeps its own history; the output is a view carrying the new node
            if record:
                if o._data.dtype.kind in "fc" and not any(o is n or n is i for n in non_diff):
                    o._requires_grad = True
                    set_history(o, ctx, i)
                elif o._grad_fn is None:
                    o._requires_grad = False
        res.append(o)
    if dirty and not all(any(t is o for o in outs) for t in dirty):
        raise RuntimeError("Some elements marked as dirty during the forward method were not returned as output. "
                           "The inputs that are modified inplace must all be outputs of the Function.")
    if record:
        d["_n_out"] = len(outs)
        d["_out_meta"] = [(o._data.shape, o._data.dtype) if isinstance(o, Tensor) else None for o in res]
    to_save = d.pop("_to_save", None)
    if to_save is not None:
        hooks = _state.saved_hooks
        if hooks.__class__ is str:  # inside disable_saved_tensors_hooks
            hooks = None
        saved = []
        for t in to_save:
            nr = next((k for k, o in enumerate(res) if o is t), None)
            if record and t is not None and _version(t).__class__ is not int:
                raise RuntimeError(_INFERENCE_SAVED_MSG)
            if hooks is not None and t is not None:
                saved.append((hooks[0](t), None, nr, hooks[1]))
            else:
                saved.append((t, None if t is None else _version(t), nr, None))
        d["_saved"] = saved
    return tuple(res) if is_tuple else res[0]


def _alias(t):
    """A new tensor viewing ``t``'s data (PyTorch returns a view when a Function returns its input)."""
    a = _wrap(t._data.view())
    a._base = t._base if t._base is not None else t
    a._vc = 0
    return a


# ---------------------------------------------------------------------------- views and in-place ops

NO_GRAD_VIEW = "no_grad"  # a view's creation metadata (PyTorch's CreationMeta): made under no_grad
MULTI_VIEW = "multi"  # one of several views a single op returned (split, unbind, chunk)


def view_meta(a, out):
    """Record how view ``out`` of ``a`` was made, for the in-place checks PyTorch makes on views.

    A view of a tensor that requires grad, made under no_grad, still requires grad (as a leaf) in
    PyTorch; writing into it in place later with grad on is an error.
    """
    if a._requires_grad and not _state.enabled:
        out._requires_grad = True
        out._cm = NO_GRAD_VIEW
    elif a._base is not None:
        cm = a._cm
        if cm is not None:
            out._cm = cm


def set_history(t, fn, nr):
    """Point ``t`` at ``fn``'s output ``nr`` (an in-place op rebased it); a ``retain_grad()`` hook moves along, so
    ``t.grad`` is the grad of the tensor as it is now, as in PyTorch. Plain ``register_hook`` hooks stay behind."""
    old = t._grad_fn
    if old is not None and old is not fn and t._retains_grad:
        hooks = old.__dict__.get("_retain_hooks")
        hook = hooks.pop(t._output_nr, None) if hooks else None
        if hook is not None:
            fn.__dict__.setdefault("_retain_hooks", {})[nr] = hook
            fn._hooked = True
            fn._plain = False
    t._grad_fn = fn
    t._output_nr = nr


def check_view_inplace(t):
    """PyTorch's errors for in-place ops (with grad on) on views made under no_grad or by multi-view ops."""
    cm = t._cm
    if cm is None:
        return
    fn = t._grad_fn
    if cm is NO_GRAD_VIEW:
        tail = ("created in no_grad mode and is being modified inplace with grad mode enabled. Given that this use "
                "case is ambiguous and error-prone, it is forbidden. You can clarify your code by moving both the "
                "view and the inplace either both inside the no_grad block (if you don't want the inplace to be "
                "tracked) or both outside (if you want the inplace to be tracked).")
        if fn is None:
            raise RuntimeError("A view was " + tail)
        raise RuntimeError(f"Output {t._output_nr} of {_short_name(fn)} is a view of a view which was " + tail)
    raise RuntimeError(f"Output {t._output_nr} of {_short_name(fn) if fn is not None else 'Split'} is a view and is "
                       "being modified inplace. This view is the output of a function that returns multiple views. "
                       "Such functions do not allow the output views to be modified inplace. You should replace the "
                       "inplace operation by an out-of-place one.")


# ---------------------------------------------------------------------------- version-counter errors

def check_versions(ctx):
    """Raise PyTorch's error if a tensor saved for this node (an input or its output) was modified in place since."""
    d = ctx.__dict__
    for nr, ref in enumerate(d.get("_out_refs", ())):
        o = ref()
        if o is not None and _version(o) != 0:
            _warn_anomaly(ctx)
            _modified(o, 0, ctx, nr)
    for i, v in d.get("_versions", ()):
        a = ctx.inputs[i]
        if _version(a) != v:
            _warn_anomaly(ctx)
            _modified(a, v)


def _warn_anomaly(node):
    """In anomaly mode PyTorch reports the failing node's forward stack for this error too (the engine runs
    this check before its own anomaly wrapper, which warns the same way for errors inside backward)."""
    trace = node.__dict__.get("_trace") if _state.anomaly else None
    if trace is not None:
        warnings.warn(f"Error detected in {type(node).name(node)}. Traceback of forward call that caused the error:\n"
                      + "".join(trace), stacklevel=3)


def _short_name(node):
    """PyTorch's ``forward_op_name``: the node name without ``Backward<N>``, keeping ``N`` unless it is 0
    (``PowBackward1`` -> ``Pow1``, ``ExpBackward0`` -> ``Exp``; ``CopyBackwards`` stays as it is)."""
    name = type(node).name(node)  # a user's ctx may have an attribute called name
    k = name.rfind("Backward")
    suffix = name[k + 8:] if k >= 0 else "x"
    if suffix and not suffix.isdigit():
        return name
    return name[:k] + ("" if suffix in ("", "0") else suffix)


def _modified(a, v, producer=None, nr=0):
    """PyTorch's error for a saved tensor changed in place; names the op that produced it, as PyTorch does."""
    if producer is None and a._grad_fn is not None:
        producer, nr = a._grad_fn, a._output_nr
    which = f", which is output {nr} of {_short_name(producer)}," if producer is not None else ""
    hint = ("Hint: the backtrace further above shows the operation that failed to compute its gradient. The "
            "variable in question was changed in there or anywhere later. Good luck!" if _state.anomaly else
            "Hint: enable anomaly detection to find the operation that failed to compute its gradient, with "
            "torch.autograd.set_detect_anomaly(True, check_nan=False).")
    raise RuntimeError(
        "one of the variables needed for gradient computation has been modified by an inplace "
        f"operation: [{a.type()} {list(a.shape)}]{which} is at version {_version(a)}; expected version {v} "
        f"instead. {hint}")


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


# ---------------------------------------------------------------------------- once_differentiable

class DelayedError(Function):
    """Passes its input through; differentiating it raises (what ``once_differentiable`` outputs carry)."""

    _internal = True
    saves = False
    node_name = "Error"

    @staticmethod
    def forward(ctx, a, msg):
        ctx.msg = msg
        return a._data

    @staticmethod
    def backward(ctx, g):
        raise RuntimeError(ctx.msg)


DelayedError._node_cls.name = lambda self: "torch::autograd::Error"


def once_differentiable(fn):
    """Decorate a Function's backward that is not itself differentiable: it runs without grad, and
    differentiating its result (``create_graph=True``) raises instead of silently giving zeros."""
    @functools.wraps(fn)
    def wrapper(ctx, *args):
        with no_grad():
            outputs = fn(ctx, *args)
        if not _state.enabled or not any(isinstance(a, Tensor) and a._requires_grad for a in args):
            return outputs
        msg = "trying to differentiate twice a function that was marked with @once_differentiable"

        def delayed(o):
            # the output must require grad to get the raising node: give it a detached alias that does
            return None if o is None else DelayedError.apply(o.detach().requires_grad_(), msg)
        return tuple(delayed(o) for o in outputs) if isinstance(outputs, tuple) else delayed(outputs)
    return wrapper
