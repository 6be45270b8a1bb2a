"""``Parameter`` and ``Buffer``: tensors a Module registers when they are assigned as attributes.

Mirrors ``torch/nn/parameter.py``. A Parameter shares its data with the tensor it was made from (as
``torch.Tensor._make_subclass`` does), is a leaf, and requires grad by default. Ops on a Parameter
return plain Tensors, because every op wraps its result in ``Tensor`` itself.
"""
from collections import OrderedDict

from ..autograd.function import _new
from ..ops.creation import empty
from ..tensor import Tensor

__all__ = ["Parameter", "UninitializedParameter", "is_lazy", "Buffer", "UninitializedBuffer",
           "UninitializedTensorMixin"]


def _alias(cls, data, requires_grad):
    """A new ``cls`` instance over ``data``'s array: a detached leaf, as ``Tensor._make_subclass`` makes."""
    if requires_grad and not (data._data.dtype.kind in "fc" or data.is_floating_point()):
        raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
    t = _new(cls)
    t._data = data._data
    t._requires_grad = bool(requires_grad)
    t._grad_fn = None
    # NOTE: no ``_base`` link (ember reads a _base whose array differs as "this is a view"; ``param.data = x``
    # swaps the array, so a link would turn the parameter into a view). The version starts where data's is.
    t._base = None
    t._vc = data._version if not data.is_inference() else data._vc
    if requires_grad:
        t._grad = t._hooks = t._post_hooks = t._acc = None
    return t


class Parameter(Tensor):
    """A Tensor that is a module parameter: assigning it as a Module attribute registers it.

    Args:
        data (Tensor): parameter tensor (its storage is shared, not copied).
        requires_grad (bool): whether the parameter requires gradient. Default: ``True``.

    Mirrors https://pytorch.org/docs/stable/generated/torch.nn.parameter.Parameter.html
    """

    def __new__(cls, data=None, requires_grad=True):
        if data is None:
            data = empty(0)
        if not isinstance(data, Tensor):
            raise AttributeError(f"'{type(data).__name__}' object has no attribute 'detach'")
        return _alias(cls, data, requires_grad)

    def __deepcopy__(self, memo):
        if id(self) in memo:
            return memo[id(self)]
        result = type(self)(self.data.clone(), self.requires_grad)
        memo[id(self)] = result
        return result

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()

    def __reduce_ex__(self, proto):
        state = dict(self.__dict__) if self.__dict__ else None
        if not state:
            return _rebuild_parameter, (self.data, self.requires_grad, OrderedDict())
        return _rebuild_parameter_with_state, (self.data, self.requires_grad, OrderedDict(), state)


def _rebuild_parameter(data, requires_grad, backward_hooks):
    return Parameter(data, requires_grad)


def _rebuild_parameter_with_state(data, requires_grad, backward_hooks, state):
    param = Parameter(data, requires_grad)
    param.__dict__.update(state)
    return param


class UninitializedTensorMixin:
    """The shape of an uninitialised (lazy) parameter or buffer is unknown until ``materialize``."""

    def materialize(self, shape, device=None, dtype=None):
        """Give the tensor a shape (and optionally dtype); it becomes a plain Parameter or Tensor."""
        if dtype is None:
            dtype = self.data.dtype
        self.data = empty(shape, dtype=dtype)
        self.__class__ = self.cls_to_become

    @property
    def shape(self):
        raise RuntimeError(
            "Can't access the shape of an uninitialized parameter or buffer. This error usually happens in "
            "`load_state_dict` when trying to load an uninitialized parameter into an initialized one. Call "
            "`forward` to initialize the parameters before accessing their attributes.")

    def share_memory_(self):
        raise RuntimeError("Can't share memory on an uninitialized parameter or buffer. Call `forward` to initialize "
                           "the parameters before calling `module.share_memory()`.")

    def __repr__(self):
        return f"<{self.__class__.__name__}>"

    def __reduce_ex__(self, proto):
        return (self.__class__, (self.requires_grad,))


def is_lazy(param):
    """True for an UninitializedParameter / UninitializedBuffer."""
    return isinstance(param, UninitializedTensorMixin)


class UninitializedParameter(UninitializedTensorMixin, Parameter):
    """A parameter whose shape a lazy module infers from its first input."""

    cls_to_become = Parameter

    def __new__(cls, requires_grad=True, device=None, dtype=None):
        return _alias(cls, empty(0, dtype=dtype), requires_grad)

    def __deepcopy__(self, memo):
        if id(self) in memo:
            return memo[id(self)]
        result = type(self)(self.requires_grad, None, self.data.dtype)
        memo[id(self)] = result
        return result


class Buffer(Tensor):
    """A tensor that a Module registers as a buffer when assigned (``persistent`` decides the state_dict)."""

    def __new__(cls, data=None, *, persistent=True):
        if data is None:
            data = empty(0)
        t = _alias(cls, data, data.requires_grad)
        t.persistent = persistent
        return t


class UninitializedBuffer(UninitializedTensorMixin, Tensor):
    """A buffer whose shape a lazy module infers from its first input."""

    cls_to_become = Tensor

    def __new__(cls, requires_grad=False, device=None, dtype=None, persistent=True):
        t = _alias(cls, empty(0, dtype=dtype), requires_grad)
        t.persistent = persistent
        return t
