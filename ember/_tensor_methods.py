"""Attach the op functions to ``Tensor`` as methods, and build their in-place ``_`` variants.

An op function takes the tensor as its first argument, so it already is a
method; listing names here keeps ``tensor.py`` about the class itself.
"""
from .ops import elementwise as E
from .ops import index as I
from .ops import linalg as L
from .ops import reduce as R
from .ops import shape as S
import numpy as np

from . import dtypes as D
from .autograd import function as _F
from .autograd.grad_mode import _state
from .ops import creation as C
from .tensor import Tensor

_METHODS = {
    E: """add sub subtract mul multiply div divide true_divide floor_divide remainder fmod pow float_power
          maximum minimum fmax fmin atan2 arctan2 lerp clamp clip clamp_min clamp_max round neg negative exp exp2
          expm1 log log2 log10 log1p sqrt rsqrt sin cos tan asin acos atan arcsin arccos arctan sinh cosh tanh
          sigmoid reciprocal square abs absolute sign sgn signbit floor ceil trunc fix frac relu eq ne lt le gt ge
          logical_and logical_or logical_xor logical_not bitwise_and bitwise_or bitwise_xor bitwise_not isnan
          isinf isfinite isposinf isneginf isclose allclose equal nan_to_num""",
    R: """sum nansum mean nanmean prod max min amax amin aminmax argmax argmin var std norm logsumexp all any
          count_nonzero cumsum cumprod cummax cummin softmax log_softmax""",
    S: """view view_as reshape reshape_as flatten unflatten transpose swapaxes swapdims t permute movedim moveaxis
          squeeze unsqueeze expand expand_as broadcast_to narrow select unbind split chunk tensor_split repeat tile
          repeat_interleave unfold
          flip fliplr flipud roll clone contiguous""",
    I: """index_select index_add index_fill index_copy gather scatter scatter_add scatter_reduce masked_fill
          masked_select masked_scatter index_put index_put_ take take_along_dim nonzero argwhere sort argsort
          topk kthvalue median msort unique unique_consecutive bincount tril triu diag diagonal diag_embed
          trace""",
    L: "mm bmm matmul dot mv outer ger addmm addmv baddbmm addbmm kron inner inverse det vdot",
    C: "bernoulli multinomial",
}

for _mod, _names in _METHODS.items():
    for _name in _names.split():
        if _name not in Tensor.__dict__:
            setattr(Tensor, _name, getattr(_mod, _name))

from .ops import misc as _M  # noqa: E402
from .ops import special as _SP  # noqa: E402

for _mod in (_SP, _M):
    for _name in _mod.METHODS.split():
        if _name not in Tensor.__dict__:
            setattr(Tensor, _name, getattr(_mod, _name))
Tensor.polygamma = _SP._polygamma_method
for _name, _m in _SP.INPLACE_METHODS.items():
    setattr(Tensor, _name, _m)

Tensor.greater, Tensor.greater_equal, Tensor.less, Tensor.less_equal = E.gt, E.ge, E.lt, E.le
Tensor.not_equal = E.ne


def _where(self, condition, y):
    return E.where(condition, self, y)


Tensor.where = _where


def _inplace_of(fn):
    def method(self, *args, **kwargs):
        return self._inplace(fn(self, *args, **kwargs))
    method.__name__ = fn.__name__ + "_"
    method.__doc__ = f"In-place version of :meth:`{fn.__name__}`."
    return method


_INPLACE = """add sub mul div true_divide floor_divide remainder fmod pow clamp clip clamp_min
    clamp_max round neg negative exp exp2 expm1 log log2 log10 log1p sqrt rsqrt sin cos tan asin acos atan arcsin
    arccos arctan sinh cosh tanh sigmoid reciprocal square abs absolute sign sgn floor ceil trunc fix frac relu lerp
    atan2 arctan2 nan_to_num logical_and logical_or logical_xor logical_not bitwise_and bitwise_or bitwise_xor
    bitwise_not eq ne lt le gt ge masked_fill index_fill index_add index_copy scatter scatter_add scatter_reduce
    masked_scatter tril triu subtract multiply divide cumsum cumprod"""

for _name in _INPLACE.split() + _SP.INPLACE.split():
    setattr(Tensor, _name + "_", _inplace_of(getattr(Tensor, _name)))


class _CompareInPlace(E.Op):
    """``a.ge_(b)`` on a tensor in the graph: the 0/1 result has a zero grad (PyTorch's GeBackward0/1)."""
    saves = False

    @staticmethod
    def forward(ctx, a, b, fn):
        ctx.tensor_other = isinstance(b, Tensor)
        return fn(a, b)._data.astype(a._data.dtype)

    @staticmethod
    def backward(ctx, g):
        z = g * 0
        return z, (z if ctx.tensor_other else None)


def _compare_inplace(fn, stem):
    nodes = [type(f"{stem}Backward{i}", (_CompareInPlace,), {"node_name": f"{stem}Backward{i}"}) for i in (0, 1)]

    def method(self, other):
        if _state.enabled and (self._requires_grad or isinstance(other, Tensor) and other._requires_grad):
            return self._inplace(nodes[isinstance(other, Tensor)].apply(self, other, fn=fn))
        return self._inplace(fn(self, other))
    method.__name__ = fn.__name__ + "_"
    return method


for _fn, _stem in ((E.eq, "Eq"), (E.ne, "Ne"), (E.lt, "Lt"), (E.le, "Le"), (E.gt, "Gt"), (E.ge, "Ge")):
    setattr(Tensor, _fn.__name__ + "_", _compare_inplace(_fn, _stem))
Tensor.greater_, Tensor.greater_equal_, Tensor.less_, Tensor.less_equal_ = Tensor.gt_, Tensor.ge_, Tensor.lt_, Tensor.le_
Tensor.not_equal_ = Tensor.ne_


def float_power_(self, exponent):
    """In place ``float_power``: the result is float64, so only a float64 tensor can hold it."""
    if self._data.dtype != np.float64:
        raise RuntimeError(f"the base given to float_power_ has dtype {E._type_name(self._data.dtype)} but the "
                           "operation's result requires dtype Double")
    return self._inplace(E.float_power(self, exponent))


Tensor.float_power_ = float_power_


_RENAMED = {}


def _inplace_node_name(name, args, kwargs):
    """PyTorch's node for the in-place shape op (squeeze_(dim) is SqueezeBackward4, t_ TBackward1 ...)."""
    if name == "squeeze":
        d = args[0] if args else kwargs.get("dim")
        return "SqueezeBackward3" if d is None else ("SqueezeBackward5" if isinstance(d, (tuple, list))
                                                     else "SqueezeBackward4")
    return {"unsqueeze": "UnsqueezeBackward1", "t": "TBackward1"}.get(name, "TransposeBackward1")


def _rename_node(node, new_name):
    cls = type(node)
    if cls.__name__ == new_name:
        return
    key = (cls, new_name)
    sub = _RENAMED.get(key)
    if sub is None:
        sub = _RENAMED[key] = type(new_name, (cls,), {"__module__": cls.__module__})
    node.__class__ = sub


def _meta_inplace(fn):
    # squeeze_/unsqueeze_/t_/transpose_ change the tensor's own shape, not its values
    def method(self, *args, **kwargs):
        from .autograd.grad_mode import _state
        if _state.enabled and self._requires_grad:
            src = self
            if self._grad_fn is not None:
                # the node keeps an alias with the old shape (the engine reads its inputs' shapes at backward)
                src = _F._new(Tensor)
                src._data, src._requires_grad, src._grad_fn, src._output_nr = self._data, True, self._grad_fn, \
                    self._output_nr
                src._base = self if self._base is None else self._base
                src._vc = 0
            r = fn(src, *args, **kwargs)
            if r._grad_fn is not None:
                _rename_node(r._grad_fn, _inplace_node_name(fn.__name__, args, kwargs))
            self._data, self._grad_fn, self._output_nr = r._data, r._grad_fn, r._output_nr
            _F._bump(self)
            return self
        self._data = fn(self, *args, **kwargs)._data
        _F._bump(self)
        return self
    method.__name__ = fn.__name__ + "_"
    return method


for _name in ("squeeze", "unsqueeze", "t", "transpose", "swapaxes", "swapdims"):
    setattr(Tensor, _name + "_", _meta_inplace(getattr(Tensor, _name)))


# the measured hot paths (NOTE [ fast paths ] in ops/_fast.py); each defers to the op's Function
from .ops import _fast  # noqa: E402

Tensor.__add__ = Tensor.__radd__ = _fast.add
Tensor.__sub__ = _fast.sub
Tensor.__rsub__ = _fast.rsub
Tensor.__mul__ = Tensor.__rmul__ = _fast.mul
Tensor.__truediv__ = _fast.truediv
Tensor.__rtruediv__ = _fast.rtruediv
Tensor.view = _fast.view
Tensor.reshape = _fast.reshape
Tensor.__getitem__ = _fast.getitem
Tensor.sum = _fast.sum


# NumPy spellings: PyTorch's argument parser takes ``axis``/``keepdims`` for ``dim``/``keepdim`` everywhere
_NP_KW = (("axis", "dim"), ("keepdims", "keepdim"))
NUMPY_KWARG_FNS = """mean nansum nanmean prod max min argmax argmin amax amin std var all any logsumexp cumsum
    cumprod softmax log_softmax median count_nonzero squeeze unsqueeze unbind var_mean std_mean sort argsort cat
    concat concatenate stack""".split()


def numpy_kwargs(fn):
    """``fn`` also accepting ``axis=``/``keepdims=`` (Tensor.sum takes them itself, being a hot path)."""
    def f(*args, **kwargs):
        if kwargs:
            for np_name, name in _NP_KW:
                if np_name in kwargs:
                    if name in kwargs:
                        raise TypeError(f"{fn.__name__}() received an invalid combination of arguments - got both "
                                        f"'{name}' and its alias '{np_name}'")
                    kwargs[name] = kwargs.pop(np_name)
        return fn(*args, **kwargs)
    f.__name__, f.__qualname__, f.__doc__, f.__wrapped__ = fn.__name__, fn.__qualname__, fn.__doc__, fn
    return f


for _name in NUMPY_KWARG_FNS:
    if _name in Tensor.__dict__:
        setattr(Tensor, _name, numpy_kwargs(Tensor.__dict__[_name]))


# ============================================================================ in-place fills and copies
# Defined here and attached below, so tensor.py stays about the class itself.

def _inplace(self, res):
    """Write an op's result into self (PyTorch's in-place semantics: dtype kept, version bumped)."""
    x = self._data
    r = res._data
    if r.dtype != x.dtype and not D.can_cast(D._from_np[r.dtype], D._from_np[x.dtype]):
        from .ops.elementwise import _type_name
        raise RuntimeError(f"result type {_type_name(r.dtype)} can't be cast to the desired output type "
                           f"{_type_name(x.dtype)}")
    if _state.enabled:
        b = self._base
        if b is not None and (res._requires_grad or self._requires_grad):
            _F.check_view_inplace(self)
        if self._requires_grad and self._grad_fn is None:
            raise RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.")
        if res._requires_grad and b is not None and b._data is not x:
            # an in-place op on a view in the graph is a write through the view: the base's history
            # becomes CopySlices (the same mechanism as ``view[...] = value``)
            if r.shape != x.shape:
                raise RuntimeError(f"output with shape {list(x.shape)} doesn't match the broadcast shape "
                                   f"{list(np.broadcast_shapes(x.shape, r.shape))}")
            I.setitem(self, Ellipsis, res if r.dtype == x.dtype else res.to(self.dtype))
            return self
    if r.shape != x.shape:
        raise RuntimeError(f"output with shape {list(x.shape)} doesn't match the broadcast shape "
                           f"{list(np.broadcast_shapes(x.shape, r.shape))}")
    if res._requires_grad and _state.enabled:
        _F.snapshot_saved_self(self, res._grad_fn)
    try:
        np.copyto(x, r, casting="unsafe")
    except ValueError:
        raise RuntimeError("unsupported operation: more than one element of the written-to tensor refers to a "
                           "single memory location. Please clone() the tensor before performing the "
                           "operation.") from None
    b = self._base
    # after the write, as in PyTorch: an inference tensor's counter raises outside inference mode, data changed
    (b if b is not None else self)._vc += 1
    if res._requires_grad and _state.enabled:
        _F.set_history(self, res._grad_fn, res._output_nr)
        self._requires_grad = True
    return self


def zero_(self):
    return _fill(self, 0, True)

def fill_(self, value):
    return _fill(self, value, False)

def _fill(self, value, zero):
    if isinstance(value, Tensor) and value._data.ndim != 0:
        raise RuntimeError(f"fill_ only supports 0-dimension value tensor but got tensor with "
                           f"{value._data.ndim} dimensions.")
    if _state.enabled and (self._requires_grad or isinstance(value, Tensor) and value._requires_grad):
        # in the graph: the fill is an op (its grad to self is zero), written in place like any other
        return self._inplace(E.Fill.apply(self, value, zero=zero))
    if isinstance(value, Tensor):
        value = value.item()
    self._data[...] = value
    b = self._base
    (b if b is not None else self)._vc += 1  # after the write: an inference tensor's counter raises (as in PyTorch)
    return self

def copy_(self, src, non_blocking=False):
    if not isinstance(src, Tensor):
        raise TypeError(f"copy_(): argument 'other' (position 1) must be Tensor, not {type(src).__name__}")
    try:
        np.broadcast_shapes(src._data.shape, self._data.shape)
        if np.broadcast_shapes(src._data.shape, self._data.shape) != self._data.shape:
            raise ValueError
    except ValueError:
        raise RuntimeError(f"The size of tensor a ({self._data.shape[-1] if self._data.ndim else 1}) must match the size of "
                           f"tensor b ({src._data.shape[-1] if src._data.ndim else 1}) at non-singleton dimension "
                           f"{max(self._data.ndim - 1, 0)}") from None
    if _state.enabled and (src._requires_grad or self._requires_grad):
        return self._inplace(E.Copy.apply(self, src))
    np.copyto(self._data, src._data, casting="unsafe")
    b = self._base
    (b if b is not None else self)._vc += 1
    return self

def set_(self, source):
    self._data = source._data
    return self

def resize_(self, *sizes):
    from .ops.shape import _shape_arg
    shape = _shape_arg(sizes)
    n = int(np.prod(shape))
    flat = np.zeros(n, dtype=self._data.dtype)
    old = self._data.reshape(-1)
    flat[:min(n, old.size)] = old[:min(n, old.size)]
    self._data = flat.reshape(shape)
    return self

def resize_as_(self, other):
    return self.resize_(other.shape)

# random in-place fills (nn.init builds on these)
def uniform_(self, a=0.0, b=1.0, *, generator=None):
    from . import random as R
    g = _gen(generator)
    return self._fill_mem(lambda shape, perm: R.uniform(g, shape, float(a), float(b), self._data.dtype))

def normal_(self, mean=0.0, std=1.0, *, generator=None):
    from . import random as R
    if std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std}")
    x = self._data
    if x.flags.c_contiguous:
        return self._fill_random(R.normal(_gen(generator), x.shape, float(mean), float(std), x.dtype))
    # a strided tensor draws in memory order, like PyTorch's serial kernel
    vals = R.normal(_gen(generator), x.shape, float(mean), float(std), x.dtype, contiguous=False)
    order = sorted(range(x.ndim), key=lambda d: -abs(x.strides[d]))  # axes from outermost in memory
    xt = x.transpose(order)
    self._fill_random(_F._wrap(vals.reshape(xt.shape)), target=xt)
    return self

def random_(self, *args, generator=None, **kwargs):
    """``random_()``, ``random_(to)``, ``random_(from, to)``; ``to=None`` means up to the dtype's maximum."""
    from . import random as R
    frm = kwargs.pop("from", None)
    to = kwargs.pop("to", "unset")
    args = list(args)
    if frm is None and len(args) >= 1 and (len(args) == 2 or to != "unset"):
        frm = args.pop(0)
    if args:
        to = args.pop(0)
    g = _gen(generator)
    dt = self._data.dtype
    if frm is None and to == "unset":
        return self._fill_mem(lambda shape, perm: R.random_full(g, shape, dt))
    if frm is None:
        frm = 0
    hi = None if to in (None, "unset") else int(to)
    return self._fill_mem(lambda shape, perm: R.randint(g, shape, int(frm), hi, dt))

def bernoulli_(self, p=0.5, *, generator=None):
    from . import random as R
    g, dt = _gen(generator), self._data.dtype
    if isinstance(p, Tensor):
        pb = np.broadcast_to(p._data, self._data.shape)
        return self._fill_mem(lambda shape, perm: R.bernoulli_tensor(g, pb if perm is None else pb.transpose(perm), dt))
    return self._fill_mem(lambda shape, perm: R.bernoulli_scalar(g, shape, float(p), dt))

def exponential_(self, lambd=1.0, *, generator=None):
    from . import random as R
    g = _gen(generator)
    return self._fill_mem(lambda shape, perm: R.exponential(g, shape, float(lambd), self._data.dtype))

def _fill_mem(self, draw):
    """Fill with ``draw(shape, perm)`` in memory order, the order PyTorch's kernels walk a strided tensor."""
    x = self._data
    if x.flags.c_contiguous or x.ndim < 2:
        return self._fill_random(draw(x.shape, None))
    perm = tuple(sorted(range(x.ndim), key=lambda d: -abs(x.strides[d])))  # axes from outermost in memory
    xt = x.transpose(perm)
    return self._fill_random(draw(xt.shape, perm), target=xt)

def _fill_random(self, arr, target=None):
    if _state.enabled and self._requires_grad and self._grad_fn is None:
        raise RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.")
    (self._data if target is None else target)[...] = arr._data if isinstance(arr, Tensor) else arr
    b = self._base
    (b if b is not None else self)._vc += 1
    return self


def _gen(generator):
    from . import random as R
    return generator if generator is not None else R.default_generator


for _f in (_inplace, zero_, fill_, copy_, set_, resize_, resize_as_, uniform_, normal_, random_, bernoulli_, exponential_,
           _fill_mem, _fill_random):
    setattr(Tensor, _f.__name__, _f)

from .ops import linalg_orth as _LO  # noqa: E402

Tensor.matrix_exp, Tensor.geqrf, Tensor.orgqr = _LO.matrix_exp, _LO.geqrf, _LO.orgqr
