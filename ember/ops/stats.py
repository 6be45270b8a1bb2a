"""Statistics and norms: var/std (+ _mean), vector norms, logsumexp."""
import builtins
import math
import warnings

import numpy as np

from .. import dtypes as D
from .elementwise import Op, _fl, _type_name, exp, where, zeros_scalar
from .reduce import _axes, _expand_back, _float_input, _low_precision, _restore, _scale_grad_by_count


# ============================================================================ statistics

def _var_np(x, axes, correction, keepdim):
    """Variance in float64 (PyTorch accumulates in double on CPU), rounded to the input's real dtype."""
    rdt = x.real.dtype if x.dtype.kind == "c" else x.dtype
    xx = x.astype(np.complex128 if x.dtype.kind == "c" else np.float64)
    n = xx.size if axes is None else math.prod(xx.shape[i] for i in axes)
    m = np.mean(xx, axis=axes, keepdims=True) if n else np.zeros((1,) * xx.ndim)
    d = xx - m
    ss = np.sum((d * np.conj(d)).real, axis=axes, keepdims=keepdim)
    return np.asarray(np.true_divide(ss, builtins.max(n - correction, 0)), dtype=rdt)


class Var(Op):
    node_name = "VarBackward0"
    _name = "var"

    @classmethod
    def forward(cls, ctx, a, dim=None, correction=1, keepdim=False):
        x = a._data
        if not _float_input(x):
            raise RuntimeError("std and var only support floating point and complex dtypes")
        if _low_precision(x.dtype):
            x = x.astype(np.float32)
        axes = _axes(dim, x.ndim)
        n = x.size if axes is None else math.prod(x.shape[i] for i in axes)
        ctx.axes, ctx.keepdim, ctx.correction = axes, keepdim, correction
        # PyTorch's backward treats dim=None (or a 0-dim input) apart, and counts dim=() as one element
        ctx.all_reduce = dim is None or x.ndim == 0
        ctx.grad_n = 1 if isinstance(dim, (tuple, list)) and len(dim) == 0 and x.ndim else n
        r = _var_np(x, axes, correction, keepdim)
        return r.astype(a._data.dtype) if _low_precision(a._data.dtype) else r

    @staticmethod
    def _grad(ctx, g, a):
        """PyTorch's var_backward for a grad ``g`` of the (reduced) variance."""
        axes = ctx.axes
        m = a.mean(axes, keepdim=True) if axes else a.mean()
        dof = ctx.grad_n - ctx.correction
        if ctx.all_reduce:
            if dof <= 0:
                return g * where(a == m, float("nan"), float("inf"))
            return (2.0 / dof) * g * (a - m)
        g = _restore(g, a.shape, axes, ctx.keepdim)
        return (2.0 / dof if dof != 0 else math.inf) * g * (a - m)

    @staticmethod
    def backward(ctx, g):
        return Var._grad(ctx, g, ctx.inputs[0])


def _std_to_var_grad(g, out):
    """std's grad as a grad of the variance: ``(grad / (2 std)).masked_fill_(std == 0, 0)``."""
    return where(out == 0, zeros_scalar(g), g / (out * 2))


class Std(Var):
    node_name = "StdBackward0"
    _name = "std"

    @classmethod
    def forward(cls, ctx, a, dim=None, correction=1, keepdim=False):
        return np.sqrt(Var.forward.__func__(cls, ctx, a, dim, correction, keepdim))

    @staticmethod
    def backward(ctx, g):
        return Var._grad(ctx, _std_to_var_grad(g, ctx.saved_output()), ctx.inputs[0])


def _mean_grad(ctx, gm, a):
    n = a.numel() if ctx.axes is None else math.prod(a.shape[i] for i in ctx.axes)
    return _expand_back(gm, a.shape, ctx.axes, ctx.keepdim) / n


class VarMean(Op):
    node_name = "VarMeanBackward0"
    _name = "var_mean"

    @classmethod
    def forward(cls, ctx, a, dim=None, correction=1, keepdim=False):
        v = Var.forward.__func__(cls, ctx, a, dim, correction, keepdim)
        x = a._data
        m = np.mean(x.astype(np.float32) if _low_precision(x.dtype) else x, axis=_axes(dim, x.ndim), keepdims=keepdim)
        return v, np.asarray(m, dtype=x.dtype)

    @staticmethod
    def backward(ctx, gv, gm):
        a = ctx.inputs[0]
        return Var._grad(ctx, gv, a) + _mean_grad(ctx, gm, a)


class StdMean(Op):
    node_name = "StdMeanBackward0"
    _name = "std_mean"

    @classmethod
    def forward(cls, ctx, a, dim=None, correction=1, keepdim=False):
        v, m = VarMean.forward.__func__(cls, ctx, a, dim, correction, keepdim)
        return np.sqrt(v), m

    @staticmethod
    def backward(ctx, gs, gm):
        a = ctx.inputs[0]
        return Var._grad(ctx, _std_to_var_grad(gs, ctx.saved_output(0)), a) + _mean_grad(ctx, gm, a)


def _stat_args(name, input, dim, unbiased, keepdim, correction):
    # var(x, True) / var(x, dim, True, keepdim) (legacy unbiased) and var(x, dim, correction=...)
    if isinstance(dim, bool):
        unbiased, dim = dim, None
    if unbiased is not None and correction is not None:
        raise TypeError(f"{name}() received an invalid combination of arguments - got (unbiased=bool, "
                        "correction=Number), but expected one of: (tuple of ints dim, bool unbiased = True, "
                        "bool keepdim = False), (tuple of ints dim = None, *, Number correction = None, "
                        "bool keepdim = False)")
    if correction is None:
        correction = 1 if unbiased is None or unbiased else 0
    x = input._data
    if _float_input(x):
        axes = _axes(dim, x.ndim)
        n = x.size if axes is None else math.prod(x.shape[i] for i in axes)
        if n - correction <= 0:
            warnings.warn(f"{name}(): degrees of freedom is <= 0. Correction should be strictly less "
                          "than the reduction factor (input numel divided by output numel).", UserWarning, stacklevel=3)
    return dict(dim=dim, correction=correction, keepdim=keepdim)


def var(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    return Var.apply(input, **_stat_args("var", input, dim, unbiased, keepdim, correction))


def std(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    return Std.apply(input, **_stat_args("std", input, dim, unbiased, keepdim, correction))


def var_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    return VarMean.apply(input, **_stat_args("var_mean", input, dim, unbiased, keepdim, correction))


def std_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    return StdMean.apply(input, **_stat_args("std_mean", input, dim, unbiased, keepdim, correction))


# ============================================================================ norms

def _ord_str(o):
    if o in (math.inf, -math.inf):
        return "inf" if o > 0 else "-inf"
    return str(int(o)) if float(o).is_integer() else str(o)


class Norm(Op):
    """Vector p-norm (LinalgVectorNormBackward0); PyTorch's norm_backward conventions at zeros and ties."""
    node_name = "LinalgVectorNormBackward0"

    @staticmethod
    def forward(ctx, a, ord=2, dim=None, keepdim=False):
        x = a._data
        axes = ctx.axes = _axes(dim, x.ndim)
        ctx.ord, ctx.keepdim = ord, keepdim
        rdt = x.real.dtype if x.dtype.kind == "c" else x.dtype
        if x.size == 0 and (ord < 0 or ord == math.inf):  # max/min-like norms have no identity
            if axes is None:
                raise RuntimeError(f"linalg.vector_norm cannot compute the {_ord_str(ord)} norm on an empty tensor "
                                   "because the operation does not have an identity")
            for d in axes:
                if x.shape[d] == 0:
                    raise RuntimeError(f"linalg.vector_norm cannot compute the {_ord_str(ord)} norm on the dimension "
                                       f"{d}because this dimension is empty and the operation does not have an "
                                       "identity")
        ax = np.abs(x)
        if _low_precision(ax.dtype):
            ax = ax.astype(np.float32)
        if ord == math.inf:
            r = np.max(ax, axis=axes, keepdims=keepdim)
        elif ord == -math.inf:
            r = np.min(ax, axis=axes, keepdims=keepdim)
        elif ord == 0:
            r = np.sum(ax != 0, axis=axes, keepdims=keepdim)
        elif ord == 1:
            r = np.sum(ax, axis=axes, keepdims=keepdim)
        elif ord == 2:
            r = np.sqrt(np.sum(ax * ax, axis=axes, keepdims=keepdim))
        else:
            r = np.sum(ax ** ord, axis=axes, keepdims=keepdim) ** (1.0 / ord)
        return np.asarray(r, dtype=rdt)

    @staticmethod
    def backward(ctx, g):
        return norm_backward(g, ctx.inputs[0], ctx.ord, ctx.saved_output(), ctx.axes, ctx.keepdim)


def norm_backward(g, a, p, out, axes, keepdim):
    """PyTorch's norm_backward: the grad of ``out = ||a||_p`` over ``axes``, written with ops (so it has a grad)."""
    if not keepdim and a.ndim != 0:
        g, out = _restore(g, a.shape, axes, False), _restore(out, a.shape, axes, False)
    z = zeros_scalar(g)
    if p == 0:
        return None
    if p == 1:
        return a.sgn() * g
    if p == 2:
        return g * where(out == 0, z, a / out)
    if p == math.inf or p == -math.inf:
        sa = a.abs()
        mask = (sa == out) | sa.isnan()
        return a.sgn() * _scale_grad_by_count(g, mask, axes)
    if p < 1:
        scaled = a.sgn() * where(a == 0, z, a.abs() ** (p - 1))
        return scaled * g * out ** (1 - p)
    if p < 2:
        scaled = a.sgn() * a.abs() ** (p - 1)
    else:
        scaled = a * a.abs() ** (p - 2)
    return scaled * where(out == 0, z, g / out ** (p - 1))


def vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None, out=None):
    if isinstance(ord, str):
        raise TypeError("linalg_vector_norm(): argument 'ord' (position 2) must be Number, not str")
    if not _float_input(x._data):
        raise RuntimeError("linalg.vector_norm: Expected a floating point or complex tensor as input. Got "
                           f"{_type_name(x._data.dtype)}")
    if dtype is not None:
        if D.promote_types(x.dtype, dtype) is not dtype:
            raise RuntimeError(f"linalg.vector_norm: the dtype of the input ({_type_name(x._data.dtype)}) should be "
                               f"convertible without narrowing to the specified dtype ({_type_name(dtype.np)})")
        x = x.to(dtype)
    r = Norm.apply(x, ord=ord, dim=dim, keepdim=keepdim)
    if out is not None:
        from .elementwise import _out
        return _out(r, out)
    return r


def norm(input, p="fro", dim=None, keepdim=False, out=None, dtype=None):
    """``torch.norm``: a vector norm, or (for ``p='nuc'`` or 'fro' over more than two dims) a matrix norm."""
    _dim = [dim] if isinstance(dim, (int, np.integer)) else dim
    if isinstance(p, str):
        if p == "fro" and (dim is None or isinstance(dim, (int, np.integer)) or len(dim) <= 2):
            r = vector_norm(input, 2, _dim, keepdim, dtype=dtype)
        else:
            from .linalg import matrix_norm
            r = matrix_norm(input, p, list(range(input.ndim)) if _dim is None else _dim, keepdim, dtype=dtype)
    else:
        r = vector_norm(input, 2.0 if p is None else p, _dim, keepdim, dtype=dtype)
    if out is not None:
        from .elementwise import _out
        return _out(r, out)
    return r


class LogSumExp(Op):
    """A primitive: composing exp/sum/log overflows for large inputs."""
    node_name = "LogsumexpBackward0"

    @staticmethod
    def forward(ctx, a, dim, keepdim=False):
        x = _fl(a._data)
        if isinstance(dim, (tuple, list)) and len(dim) == 0 and x.ndim and not keepdim:
            # PyTorch 2.13 reduces everything for dim=() but then fails writing the result
            raise RuntimeError(f"output with shape [] doesn't match the broadcast shape {[1] * x.ndim}")
        axes = ctx.axes = _axes(dim, x.ndim)
        ctx.keepdim = keepdim
        rdt = x.dtype
        if _low_precision(rdt):
            x = x.astype(np.float32)
        if x.size == 0:
            return np.asarray(np.full(np.sum(x, axis=axes, keepdims=keepdim).shape, -np.inf, rdt))
        m = np.max(x, axis=axes, keepdims=True)
        m = np.where(np.isinf(m), 0, m)
        r = np.log(np.sum(np.exp(x - m), axis=axes, keepdims=True)) + m
        if not keepdim:
            r = r.reshape(np.sum(x, axis=axes).shape) if axes is not None else r.reshape(())
        return np.asarray(r, dtype=rdt)

    @staticmethod
    def backward(ctx, g):
        a = ctx.inputs[0]
        out = ctx.saved_output()
        if not ctx.keepdim and a.ndim != 0:
            g, out = _restore(g, a.shape, ctx.axes, False), _restore(out, a.shape, ctx.axes, False)
        return g * exp(a - out)


def logsumexp(input, dim, keepdim=False):
    return LogSumExp.apply(input, dim=dim, keepdim=keepdim)
