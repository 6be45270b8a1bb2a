"""Attach the op functions to ``Tensor`` as methods, and build their in-place ``_`` variants.

An op function takes the tensor as its first argument, so it already is a
method; listing names here keeps ``tensor.py`` about the class itself.
"""
from .ops import creation as C
from .ops import elementwise as E
from .ops import index as I
from .ops import linalg as L
from .ops import reduce as R
from .ops import shape as S
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
          flip fliplr flipud roll clone contiguous""",
    I: """index_select index_add index_fill index_copy gather scatter scatter_add scatter_reduce masked_fill
          masked_select masked_scatter take take_along_dim nonzero argwhere sort argsort topk kthvalue median msort
          unique unique_consecutive bincount tril triu diag diagonal diag_embed trace""",
    L: "mm bmm matmul dot mv outer ger addmm addmv baddbmm addbmm kron",
    C: "bernoulli multinomial",
}

for _mod, _names in _METHODS.items():
    for _name in _names.split():
        if _name not in Tensor.__dict__:
            setattr(Tensor, _name, getattr(_mod, _name))

Tensor.greater, Tensor.greater_equal, Tensor.less, Tensor.less_equal = E.gt, E.ge, E.lt, E.le
Tensor.not_equal = E.ne
Tensor.inner = L.dot


def _where(self, condition, y):
    return E.where(condition, self, y)


Tensor.where = _where


def _inplace_of(fn):
    def method(self, *args, **kwargs):
        return self._inplace(fn(self, *args, **kwargs))
    method.__name__ = fn.__name__ + "_"
    method.__doc__ = f"In-place version of :meth:`{fn.__name__}`."
    return method


_INPLACE = """add sub mul div true_divide floor_divide remainder fmod pow float_power clamp clip clamp_min
    clamp_max round neg negative exp exp2 expm1 log log2 log10 log1p sqrt rsqrt sin cos tan asin acos atan sinh
    cosh tanh sigmoid reciprocal square abs absolute sign sgn floor ceil trunc fix frac relu lerp maximum minimum
    atan2 nan_to_num logical_and logical_or logical_xor logical_not bitwise_and bitwise_or bitwise_xor bitwise_not
    eq ne lt le gt ge masked_fill index_fill index_add index_copy scatter scatter_add scatter_reduce masked_scatter
    tril triu subtract multiply divide"""

for _name in _INPLACE.split():
    setattr(Tensor, _name + "_", _inplace_of(getattr(Tensor, _name)))


def _meta_inplace(fn):
    # squeeze_/unsqueeze_/t_/transpose_ change the tensor's own shape, not its values
    def method(self, *args, **kwargs):
        from .autograd.grad_mode import _state
        if _state.enabled and self._requires_grad:
            r = fn(self, *args, **kwargs)
            self._data, self._grad_fn, self._output_nr = r._data, r._grad_fn, r._output_nr
            return self
        self._data = fn(self, *args, **kwargs)._data
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
Tensor.__getitem__ = _fast.getitem
Tensor.sum = _fast.sum
