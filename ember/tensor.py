"""``ember.Tensor``: a NumPy array plus autograd metadata.

The class holds storage and metadata and the Python operators; every
computation is an op in ``ember.ops`` (most methods below are those functions
attached by name at the bottom of this file).
"""
import builtins
import warnings
from collections import OrderedDict as _OrderedDict

import numpy as np

from . import dtypes as D
from ._size import Size
from .autograd import function as _F
from .autograd.grad_mode import NO_VERSION, _state
from .device import CPU, as_device, check_cpu
from .utils import hooks as _hooks

# Attributes most tensors never set; read through __getattr__ so creating a
# tensor stores only five slots (the op hot path).
_LAZY = {"_grad": None, "_output_nr": 0, "_acc": None, "_hooks": None, "_post_hooks": None,
         "_retains_grad": False, "_name": None, "_cm": None}

_LEGACY_TYPES = {}

_LEAF_ONLY_MSG = "you can only change requires_grad flags of leaf variables."
_LEAF_ONLY_HINT = (" If you want to use a computed variable in a subgraph that doesn't require differentiation use "
                   "var_no_grad = var.detach().")


class Tensor:
    """A multi-dimensional array with autograd, PyTorch's ``torch.Tensor``."""

    __slots__ = ("_data", "_requires_grad", "_grad_fn", "_base", "_vc",
                 "_grad", "_output_nr", "_acc", "_hooks", "_post_hooks", "_retains_grad", "_name", "_cm", "__weakref__")

    def __new__(cls, *args, **kwargs):
        # torch.Tensor(data) / torch.Tensor(2, 3): the legacy constructor, float32 (the default dtype)
        from .ops.creation import _legacy_new
        t = _legacy_new(D.get_default_dtype(), args, kwargs.get("device"))
        if cls is not Tensor:
            t2 = object.__new__(cls)
            for s in ("_data", "_requires_grad", "_grad_fn", "_base", "_vc"):
                setattr(t2, s, getattr(t, s))
            return t2
        return t

    def __getattr__(self, name):
        try:
            return _LAZY[name]
        except KeyError:
            raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'") from None

    # ------------------------------------------------------------------ metadata
    @property
    def shape(self):
        return Size(self._data.shape)

    def size(self, dim=None):
        if dim is None:
            return Size(self._data.shape)
        from .ops._util import norm_dim
        return self._data.shape[norm_dim(dim, self._data.ndim)]

    @property
    def dtype(self):
        return D._from_np[self._data.dtype]

    @property
    def device(self):
        return CPU

    @property
    def is_cuda(self):
        return False

    @property
    def is_cpu(self):
        return True

    @property
    def layout(self):
        return "torch.strided"

    @property
    def ndim(self):
        return self._data.ndim

    def dim(self):
        return self._data.ndim

    ndimension = dim

    def numel(self):
        return self._data.size

    nelement = numel

    def element_size(self):
        return self._data.itemsize

    @property
    def itemsize(self):
        return self._data.itemsize

    @property
    def nbytes(self):
        return self._data.nbytes

    def stride(self, dim=None):
        x = self._data
        st = tuple(s // x.itemsize for s in x.strides)
        if x.size == 0 and not any(st):
            # NumPy gives empty arrays zero strides; PyTorch's factories give contiguous ones
            st = _contiguous_strides(x.shape)
        if dim is None:
            return st
        from .ops._util import norm_dim
        return st[norm_dim(dim, self._data.ndim)]

    def storage_offset(self):
        b = self._base
        if b is None:
            return 0
        return (self._data.__array_interface__["data"][0] - b._data.__array_interface__["data"][0]) // self._data.itemsize

    def data_ptr(self):
        return self._data.__array_interface__["data"][0] if self._data.size else 0

    def untyped_storage(self):
        return _Storage(self)

    def is_contiguous(self, memory_format=None):
        if memory_format is None:
            return self._data.flags.c_contiguous
        from ._layout import is_in_format
        return is_in_format(self._data, memory_format)

    def is_floating_point(self):
        return self._data.dtype.kind == "f" or self.dtype is D.bfloat16

    def is_complex(self):
        return self._data.dtype.kind == "c"

    def is_signed(self):
        return self.dtype.is_signed

    @property
    def is_leaf(self):
        return self._grad_fn is None

    @property
    def grad_fn(self):
        return self._grad_fn

    @property
    def is_sparse(self):
        return False

    @property
    def is_quantized(self):
        return False

    @property
    def is_meta(self):
        return False

    def get_device(self):
        return -1

    # ------------------------------------------------------------------ autograd state
    @property
    def requires_grad(self):
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value):
        if self._grad_fn is not None:  # unlike requires_grad_(True), the setter refuses a non-leaf either way
            raise RuntimeError(_LEAF_ONLY_MSG + ("" if value else _LEAF_ONLY_HINT))
        if value and not (self._data.dtype.kind in "fc" or self.dtype is D.bfloat16):
            raise RuntimeError("only Tensors of floating point and complex dtype can require gradients")
        self.requires_grad_(value)

    def requires_grad_(self, requires_grad=True):
        if self._grad_fn is not None:
            if not requires_grad:
                raise RuntimeError(_LEAF_ONLY_MSG + _LEAF_ONLY_HINT)
            return self
        if requires_grad and not (self._data.dtype.kind in "fc" or self.dtype is D.bfloat16):
            raise RuntimeError("only Tensors of floating point dtype can require gradients")
        if requires_grad and not _state.inference and self.is_inference():
            raise RuntimeError("Setting requires_grad=True on inference tensor outside InferenceMode is not allowed.")
        self._requires_grad = builtins.bool(requires_grad)
        if requires_grad:
            # a leaf's grad slots are read on every backward: set them so reads skip __getattr__
            for name in ("_grad", "_hooks", "_post_hooks", "_acc"):
                try:
                    getattr(Tensor, name).__get__(self)
                except AttributeError:
                    setattr(self, name, None)
        return self

    @property
    def grad(self):
        if self._grad_fn is not None and not self._retains_grad and self._requires_grad:
            warnings.warn("The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad "
                          "attribute won't be populated during autograd.backward(). If you indeed want the .grad "
                          "field to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. "
                          "If you access the non-leaf Tensor by mistake, make sure you access the leaf Tensor "
                          "instead. See github.com/pytorch/pytorch/pull/30531 for more informations. (Triggered "
                          "internally at /pytorch/build/aten/src/ATen/core/TensorBody.h:489.)", UserWarning,
                          stacklevel=2)
        return self._grad

    @grad.setter
    def grad(self, value):
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(f"assigned grad expected to be a Tensor or None but got grad of type {type(value).__name__}")
            if value._data.dtype != self._data.dtype:
                raise RuntimeError(
                    f"attempting to assign a gradient with dtype '{_E._C_NAMES[value.dtype.name]}' to a tensor with "
                    f"grad_dtype '{D._SCALAR_NAMES[self.dtype.name]}'. The gradient must match the tensor's "
                    "grad_dtype (defaults to the tensor's dtype). You can set the tensor's grad_dtype attribute with "
                    "a specific dtype, or None to allow any dtype. Set grad_dtype with caution. Diverging the dtypes "
                    "of a tensor and its gradient may break downstream systems that assume they match.")
            if value._data.shape != self._data.shape:
                raise RuntimeError(f"attempting to assign a gradient of size '{list(value.shape)}' to a tensor of size "
                                   f"'{list(self.shape)}'. Please ensure that the gradient and the tensor are the same "
                                   "size")
        self._grad = value

    @grad.deleter
    def grad(self):
        self._grad = None

    @property
    def data(self):
        t = _F._wrap(self._data)
        if self.is_inference():
            t._vc = NO_VERSION
        return t

    @data.setter
    def data(self, value):
        if not isinstance(value, Tensor):
            raise TypeError(f"Tensor.data must be a Tensor, not {type(value).__name__}")
        self._data = value._data

    def detach(self):
        t = _F._wrap(self._data)
        t._base = self._base if self._base is not None else self
        return t

    def detach_(self):
        if self._base is not None and self._base._requires_grad:
            raise RuntimeError("Can't detach views in-place. Use detach() instead. If you are using DistributedDataParallel "
                               "(DDP) for training, and gradient_as_bucket_view is set as True, gradients are views of "
                               "DDP buckets, and hence detach_() cannot be called on these gradients. To fix this "
                               "error, please refer to the Optimizer.zero_grad() function in torch/optim/optimizer.py "
                               "as the solution.")
        self._grad_fn = None
        self._requires_grad = False
        return self

    def retain_grad(self):
        if not self._requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self._grad_fn is None or self._retains_grad:
            return
        self._retains_grad = True
        import weakref
        ref = weakref.ref(self)

        def hook(g):
            t = ref()
            if t is not None:
                t._grad = g.detach().clone() if t._grad is None else t._grad + g
        # PyTorch runs it after the tensor's other hooks, whatever the registration order
        node = self._grad_fn
        node.__dict__.setdefault("_retain_hooks", {})[self._output_nr] = hook
        node._hooked = True
        node._plain = False

    @property
    def retains_grad(self):
        return self._retains_grad

    @property
    def output_nr(self):
        return self._output_nr

    def register_hook(self, hook):
        """Call ``hook(grad)`` when this tensor's grad is computed; it may return a replacement."""
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        from .utils.hooks import RemovableHandle
        if self._grad_fn is None:
            if self._hooks is None:
                self._hooks = _OrderedDict()
            hooks = self._hooks
        else:
            node = self._grad_fn
            hooks = node.__dict__.setdefault("_tensor_hooks", {}).setdefault(self._output_nr, _OrderedDict())
            node._hooked = True
            node._plain = False
        h = RemovableHandle(hooks)
        hooks[h.id] = hook
        return h

    def register_post_accumulate_grad_hook(self, hook):
        """Call ``hook(tensor)`` after a backward has accumulated into this leaf's ``.grad``."""
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self._grad_fn is not None:
            raise RuntimeError("post accumulate grad hooks cannot be registered on non-leaf tensors")
        from .utils.hooks import RemovableHandle
        if self._post_hooks is None:
            self._post_hooks = _OrderedDict()
        h = RemovableHandle(self._post_hooks)
        self._post_hooks[h.id] = hook
        return h

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        """Compute the grad of this tensor w.r.t. graph leaves, accumulating into their ``.grad``."""
        _autograd.backward(self, gradient, retain_graph, create_graph, inputs=inputs)

    # ------------------------------------------------------------------ conversion
    def numpy(self, *, force=False):
        if self._requires_grad and not force:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.")
        return self._data

    def __array__(self, dtype=None, copy=None):
        if dtype is not None:
            return self._data.astype(dtype, copy=False)
        return self._data

    def item(self):
        if self._data.size != 1:
            raise RuntimeError(f"a Tensor with {self._data.size} elements cannot be converted to Scalar")
        return self._data.reshape(()).item()

    def tolist(self):
        return self._data.tolist()

    def __len__(self):
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self):
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return iter(self.unbind(0))

    def __bool__(self):
        if self._data.size != 1:
            raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous"
                               if self._data.size > 1 else "Boolean value of Tensor with no values is ambiguous")
        return builtins.bool(self._data.reshape(()))

    def __float__(self):
        if self._data.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        if self._requires_grad:
            _hooks.warn_scalar_once()
        return float(self._data.reshape(()))

    def __int__(self):
        if self._data.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return int(self._data.reshape(()))

    def __complex__(self):
        if self._data.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        if self._requires_grad:
            _hooks.warn_scalar_once()
        return complex(self._data.reshape(()))

    def __index__(self):
        if self._data.dtype.kind not in "iub" or self._data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self._data.reshape(()))

    def __hash__(self):
        return id(self)

    def __reduce_ex__(self, proto):
        return (_rebuild, (np.array(self._data), self._requires_grad))

    def __deepcopy__(self, memo):
        if self._grad_fn is not None:
            raise RuntimeError("Only Tensors created explicitly by the user (graph leaves) support the deepcopy "
                               "protocol at the moment.  If you were attempting to deepcopy a module, this may be "
                               "because of a torch.nn.utils.weight_norm usage, see "
                               "https://github.com/pytorch/pytorch/pull/103001")
        if id(self) in memo:
            return memo[id(self)]
        new = object.__new__(type(self))
        new._data = np.array(self._data, copy=True)
        new._requires_grad = self._requires_grad
        new._grad_fn = None
        new._base = None
        new._vc = 0
        if self._grad is not None:
            new._grad = self._grad.__deepcopy__(memo)
        if hasattr(self, "__dict__"):
            import copy
            new.__dict__.update(copy.deepcopy(self.__dict__, memo))
        memo[id(self)] = new
        return new

    def __repr__(self, *, tensor_contents=None):
        from . import _tensor_str
        return _tensor_str._str(self, tensor_contents=tensor_contents)

    def __format__(self, spec):
        if self._data.ndim == 0:
            return self.item().__format__(spec)
        return object.__format__(self, spec)

    # ------------------------------------------------------------------ dtype / device moves
    def to(self, *args, **kwargs):
        """``to(dtype)``, ``to(device)``, ``to(device, dtype)``, ``to(tensor)``; returns self when nothing changes."""
        dtype = kwargs.get("dtype")
        device = kwargs.get("device")
        copy = kwargs.get("copy", False)
        for a in args:
            if isinstance(a, D.dtype):
                dtype = a
            elif isinstance(a, Tensor):
                dtype, device = a.dtype, a.device
            elif isinstance(a, (str, int)) or a.__class__.__name__ == "device":
                device = a
            elif isinstance(a, builtins.bool):
                pass
        if device is not None:
            check_cpu(as_device(device))
        if dtype is None or dtype.np == self._data.dtype:
            return self.clone() if copy else self
        from .ops.elementwise import ToCopy
        return ToCopy.apply(self, dtype=dtype)

    def type(self, dtype=None, non_blocking=False, **kwargs):
        if dtype is None:
            return "torch." + _LEGACY_NAMES[self.dtype.name]
        if isinstance(dtype, str):
            orig = dtype
            name = dtype.split(".")[-1]
            dtype = {v: D._from_np[np.dtype(k)] for k, v in _LEGACY_NAMES.items() if k != "bfloat16"}.get(name)
            if dtype is None:
                raise ValueError(f"invalid type: '{orig}'")
        elif isinstance(dtype, type) and hasattr(dtype, "_dtype"):
            dtype = dtype._dtype
        return self.to(dtype)

    def type_as(self, other):
        return self.to(other.dtype)

    def cpu(self, memory_format=None):
        return self

    def cuda(self, device=None, non_blocking=False, memory_format=None):
        check_cpu("cuda")

    def pin_memory(self, device=None):
        return self

    def is_pinned(self, device=None):
        return False

    def share_memory_(self):
        return self

    def is_shared(self):
        return False

    def float(self, memory_format=None):
        return self.to(D.float32)

    def double(self, memory_format=None):
        return self.to(D.float64)

    def half(self, memory_format=None):
        return self.to(D.float16)

    def bfloat16(self, memory_format=None):
        if D.bfloat16 is None:
            raise RuntimeError("bfloat16 needs the ml-dtypes package: pip install ember[bfloat16]")
        return self.to(D.bfloat16)

    def long(self, memory_format=None):
        return self.to(D.int64)

    def int(self, memory_format=None):
        return self.to(D.int32)

    def short(self, memory_format=None):
        return self.to(D.int16)

    def char(self, memory_format=None):
        return self.to(D.int8)

    def byte(self, memory_format=None):
        return self.to(D.uint8)

    def bool(self, memory_format=None):
        return self.to(D.bool)

    def cfloat(self):
        return self.to(D.complex64)

    def cdouble(self):
        return self.to(D.complex128)

    # ------------------------------------------------------------------ new_* factories
    def new_tensor(self, data, *, dtype=None, device=None, requires_grad=False):
        from .ops.creation import tensor
        if isinstance(data, Tensor):
            warnings.warn("To copy construct from a tensor, it is recommended to use sourceTensor.clone().detach() or "
                          "sourceTensor.clone().detach().requires_grad_(True), rather than "
                          "tensor.new_tensor(sourceTensor).", UserWarning, stacklevel=2)
            return data.detach().to(dtype or data.dtype).clone().requires_grad_(requires_grad)
        return tensor(data, dtype=dtype or self.dtype, requires_grad=requires_grad)

    def new_zeros(self, *size, dtype=None, device=None, requires_grad=False):
        from .ops.creation import zeros
        return zeros(*size, dtype=dtype or self.dtype, requires_grad=requires_grad)

    def new_ones(self, *size, dtype=None, device=None, requires_grad=False):
        from .ops.creation import ones
        return ones(*size, dtype=dtype or self.dtype, requires_grad=requires_grad)

    def new_empty(self, *size, dtype=None, device=None, requires_grad=False):
        from .ops.creation import empty
        return empty(*size, dtype=dtype or self.dtype, requires_grad=requires_grad)

    def new_full(self, size, fill_value, *, dtype=None, device=None, requires_grad=False):
        from .ops.creation import full
        return full(size, fill_value, dtype=dtype or self.dtype, requires_grad=requires_grad)

    # ------------------------------------------------------------------ operators
    def __add__(self, other):
        return _E.Add.apply(self, other)

    __radd__ = __add__

    def __sub__(self, other):
        return _E.Sub.apply(self, other)

    def __rsub__(self, other):
        return _E.Rsub.apply(self, other)

    def __mul__(self, other):
        return _E.Mul.apply(self, other)

    __rmul__ = __mul__

    def __truediv__(self, other):
        return _E.Div.apply(self, other)

    def __rtruediv__(self, other):
        return _E.Rdiv.apply(self, other)

    def __floordiv__(self, other):
        return _E.floor_divide(self, other)

    def __rfloordiv__(self, other):
        return _E.floor_divide(other, self)

    def __mod__(self, other):
        return _E.remainder(self, other)

    def __rmod__(self, other):
        return _E.remainder(other, self)

    def __pow__(self, other):
        return _E.pow(self, other)

    def __rpow__(self, other):
        return _E.RPow.apply(self, other)

    def __matmul__(self, other):
        if not isinstance(other, Tensor):
            return NotImplemented
        return _L.matmul(self, other)

    def __rmatmul__(self, other):
        if not isinstance(other, Tensor):
            return NotImplemented  # Python then raises its TypeError, as with torch
        return _L.matmul(other, self)

    def __neg__(self):
        return _E.Neg.apply(self)

    def __pos__(self):
        if self._data.dtype == np.bool_:
            raise RuntimeError("The `+` operator, on a bool tensor is not supported.")
        return self

    def __abs__(self):
        return _E.Abs.apply(self)

    def __invert__(self):
        if self._data.dtype.kind not in "biu":
            raise TypeError("~ (operator.invert) is only implemented on integer and Boolean-type tensors")
        return _E.bitwise_not(self)

    def __and__(self, other):
        return _E.bitwise_and(self, other)

    __rand__ = __and__

    def __or__(self, other):
        return _E.bitwise_or(self, other)

    __ror__ = __or__

    def __xor__(self, other):
        return _E.bitwise_xor(self, other)

    __rxor__ = __xor__

    def __lshift__(self, other):
        return _F._wrap(np.left_shift(self._data, other._data if isinstance(other, Tensor) else other))

    def __rshift__(self, other):
        return _F._wrap(np.right_shift(self._data, other._data if isinstance(other, Tensor) else other))

    def __eq__(self, other):
        return _E.eq(self, other)

    def __ne__(self, other):
        return _E.ne(self, other)

    def __lt__(self, other):
        return _E.lt(self, other)

    def __le__(self, other):
        return _E.le(self, other)

    def __gt__(self, other):
        return _E.gt(self, other)

    def __ge__(self, other):
        return _E.ge(self, other)

    def __getitem__(self, key):
        return _I.getitem(self, key)

    def __setitem__(self, key, value):
        _I.setitem(self, key, value)

    def __iadd__(self, other):
        return self.add_(other)

    def __isub__(self, other):
        return self.sub_(other)

    def __imul__(self, other):
        return self.mul_(other)

    def __itruediv__(self, other):
        return self.div_(other)

    def __ifloordiv__(self, other):
        return self.floor_divide_(other)

    def __imod__(self, other):
        return self.remainder_(other)

    def __ipow__(self, other):
        return self.pow_(other)

    def __iand__(self, other):
        return self.bitwise_and_(other)

    def __ior__(self, other):
        return self.bitwise_or_(other)

    def __ixor__(self, other):
        return self.bitwise_xor_(other)

    def __imatmul__(self, other):
        return self._inplace(_L.matmul(self, other))

    __array_priority__ = 1000  # ndarray + Tensor defers to Tensor.__radd__

    # ------------------------------------------------------------------ shape helpers that are properties
    @property
    def T(self):
        return _S.T(self)

    @property
    def mT(self):
        return _S.mT(self)

    @property
    def H(self):
        return _S.T(self).conj()

    @property
    def mH(self):
        return _S.mT(self).conj()

    @property
    def real(self):
        return _U.real(self)

    @property
    def imag(self):
        return _U.imag(self)

    def conj(self):
        return _U.conj(self)

    def resolve_conj(self):
        return self

    def resolve_neg(self):
        return self

    @property
    def _version(self):
        b = self._base
        v = (b if b is not None else self)._vc
        if v.__class__ is not int:
            raise RuntimeError("Inference tensors do not track version counter.")
        return v

    def _is_view(self):
        b = self._base
        return b is not None and b._data is not self._data  # a detach() alias shares the very array

    def is_inference(self):
        b = self._base
        return (b if b is not None else self)._vc.__class__ is not int


def _as_operand(x, like):
    from .ops.creation import tensor
    if isinstance(x, Tensor):
        return x
    if isinstance(x, (builtins.bool, builtins.int, builtins.float, complex)):
        return _F._wrap(np.asarray(x, dtype=D.result_type_of([], [], [D.scalar_dtype(x)]).np))
    return tensor(x)


def _contiguous_strides(shape):
    st = []
    acc = 1
    for s in reversed(shape):
        st.append(acc)
        acc *= max(s, 1)
    return tuple(reversed(st))


def _rebuild(arr, requires_grad):
    t = _F._wrap(arr)
    t._requires_grad = requires_grad
    return t


class _Storage:
    """Minimal ``untyped_storage()``: enough for ``data_ptr()`` comparisons of views."""

    def __init__(self, t):
        b = t._base if t._base is not None else t
        self._t = b

    def data_ptr(self):
        return self._t.data_ptr()

    def nbytes(self):
        return self._t._data.nbytes

    def size(self):
        return self._t._data.nbytes


_LEGACY_NAMES = {"float32": "FloatTensor", "float64": "DoubleTensor", "float16": "HalfTensor",
                 "bfloat16": "BFloat16Tensor", "int64": "LongTensor", "int32": "IntTensor", "int16": "ShortTensor",
                 "int8": "CharTensor", "uint8": "ByteTensor", "bool": "BoolTensor", "complex64": "ComplexFloatTensor",
                 "complex128": "ComplexDoubleTensor"}

_F.Tensor = Tensor

from .ops import elementwise as _E  # noqa: E402  (ops import this module's names lazily)
from .ops import index as _I  # noqa: E402
from .ops import linalg as _L  # noqa: E402
from .ops import shape as _S  # noqa: E402
from .ops import unary as _U  # noqa: E402
from . import _tensor_methods  # noqa: E402,F401  attaches the op functions as methods
from . import autograd as _autograd  # noqa: E402
