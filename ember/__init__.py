"""ember: a deep-learning framework on NumPy that speaks PyTorch's API (``import ember as torch``)."""
import builtins as _builtins

import numpy as _np

# PyTorch computes 1/0, log(0), overflow silently (inf/nan); NumPy would warn on every such op.
# NOTE: this sets NumPy's process-wide error state. A filter scoped to ember's modules loses to
# any ``warnings.simplefilter("always")`` in user code, and np.errstate per op costs ~1 us.
_np.seterr(all="ignore")

from . import dtypes as _dtypes  # noqa: E402
from ._size import Size  # noqa: E402
from ._layout import (  # noqa: E402,F401
    channels_last, channels_last_3d, contiguous_format, layout, memory_format, preserve_format, sparse_coo, strided)
from .device import device  # noqa: E402
from .dtypes import (  # noqa: E402,F401
    bfloat16, bool, cdouble, cfloat, complex64, complex128, double, dtype, float, float16, float32, float64, half,
    int, int8, int16, int32, int64, long, short, uint8, uint16, uint32, uint64, get_default_dtype, set_default_dtype,
    promote_types, can_cast, finfo, iinfo)
from .tensor import Tensor  # noqa: E402
from .autograd.grad_mode import (  # noqa: E402
    enable_grad, inference_mode, is_grad_enabled, is_inference_mode_enabled, no_grad, set_grad_enabled)
from .autograd.anomaly_mode import is_anomaly_check_nan_enabled, is_anomaly_enabled  # noqa: E402,F401
from . import autograd, cuda, return_types  # noqa: E402,F401
from .ops.creation import (  # noqa: E402,F401
    arange, as_tensor, asarray, bernoulli, cartesian_prod, empty, empty_like, eye, from_numpy, frombuffer, full,
    full_like, linspace, logspace, meshgrid, multinomial, normal, ones, ones_like, poisson, rand, rand_like, randint,
    randint_like, randn, randn_like, randperm, range, tensor, tril_indices, triu_indices, zeros, zeros_like)
from .ops.unary import conj, imag, real  # noqa: E402,F401
from .ops.elementwise import (  # noqa: E402,F401
    abs, absolute, acos, add, allclose, arccos, arcsin, arctan, arctan2, asin, atan, atan2, bitwise_and, bitwise_not,
    bitwise_or, bitwise_xor, ceil, clamp, clamp_max, clamp_min, clip, cos, cosh, div, divide, eq, equal, exp, exp2,
    expm1, fix, float_power, floor, floor_divide, fmax, fmin, fmod, frac, ge, gt, isclose, isfinite, isinf, isnan,
    isneginf, isposinf, le, lerp, log, log1p, log2, log10, logical_and, logical_not, logical_or, logical_xor, lt,
    maximum, minimum, mul, multiply, nan_to_num, ne, neg, negative, pow, reciprocal, relu, remainder, round, rsqrt,
    rsub, sgn, sigmoid, sign, signbit, sin, sinh, sqrt, square, sub, subtract, tan, tanh, true_divide, trunc, where)
from .ops.elementwise import ge as greater_equal, gt as greater, le as less_equal, lt as less, ne as not_equal  # noqa
from .ops.reduce import (  # noqa: E402,F401
    all, amax, amin, aminmax, any, argmax, argmin, count_nonzero, cummax, cummin, cumprod, cumsum, log_softmax,
    logsumexp, max, mean, min, nanmean, nansum, norm, prod, softmax, std, std_mean, sum, var, var_mean)
from .ops.shape import (  # noqa: E402,F401
    atleast_1d, atleast_2d, atleast_3d, broadcast_tensors, broadcast_to, cat, chunk, clone, column_stack, concat,
    concatenate, dstack, flatten, flip, fliplr, flipud, hstack, movedim, moveaxis, narrow,
    permute, repeat_interleave, reshape, roll, row_stack, select, split, squeeze, stack, swapaxes,
    swapdims, t, tensor_split, tile, transpose, unbind, unflatten, unsqueeze, vstack)
from .ops.index import (  # noqa: E402,F401
    argsort, argwhere, bincount, bucketize, diag, diag_embed, diagonal, gather, index_add, index_copy, index_fill,
    index_put, index_put_,
    index_select, kthvalue, masked_fill, masked_scatter, masked_select, median, msort, nonzero, scatter, scatter_add,
    scatter_reduce, searchsorted, sort, take, take_along_dim, topk, trace, tril, triu, unique, unique_consecutive)
from .ops.linalg import (  # noqa: E402,F401
    addbmm, addmm, addmv, baddbmm, bmm, dot, einsum, ger, kron, matmul, mm, mv, outer, tensordot)
from .ops.linalg import det, inner, inverse, vdot  # noqa: E402,F401
from .ops.special import (  # noqa: E402,F401
    acosh, addcdiv, addcmul, arccosh, arcsinh, arctanh, asinh, atanh, copysign, deg2rad, digamma, erf, erfc, erfinv,
    heaviside, hypot, lgamma, logaddexp, logaddexp2, logit, polygamma, positive, rad2deg, sinc, xlogy)
from .ops.misc import (  # noqa: E402,F401
    cdist, corrcoef, cosine_similarity, cov, cross, cumulative_trapezoid, diff, dist, histc, is_same_size,
    logcumsumexp, mode, nanquantile, pairwise_distance, quantile, ravel, rot90, trapezoid)
from .ops.misc import trapezoid as trapz  # noqa: E402,F401
from .ops.norm import batch_norm, group_norm, instance_norm, layer_norm, rms_norm  # noqa: E402,F401
from .ops.dropout import (  # noqa: E402,F401
    alpha_dropout, alpha_dropout_, dropout, dropout_, feature_alpha_dropout, feature_alpha_dropout_, feature_dropout,
    feature_dropout_)
from .ops.embedding import embedding, embedding_renorm_  # noqa: E402,F401
from .ops.linalg_orth import geqrf, matrix_exp, orgqr  # noqa: E402,F401
from .ops.weight_norm import _weight_norm, norm_except_dim  # noqa: E402,F401
from ._legacy import (  # noqa: E402,F401
    BoolTensor, ByteTensor, CharTensor, DoubleTensor, FloatTensor, HalfTensor, IntTensor, LongTensor, ShortTensor)
from .random import (  # noqa: E402,F401
    Generator, default_generator, get_rng_state, initial_seed, manual_seed, seed, set_rng_state)
from . import linalg, nn  # noqa: E402,F401
from . import func  # noqa: E402,F401
from .ops._parallel import get_num_threads, set_num_threads  # noqa: E402,F401
from ._tensor_str import set_printoptions, get_printoptions, printoptions  # noqa: E402,F401

__version__ = "0.1.0"


def _inplace_fn(name):
    def f(input, *args, **kwargs):
        return getattr(input, name)(*args, **kwargs)
    f.__name__ = name
    return f


# torch.relu_(x), torch.clamp_(x, ...) ...: the Tensor methods as functions
for _name in """abs_ acos_ acosh_ asin_ asinh_ atan_ atanh_ ceil_ clamp_ clamp_min_ clamp_max_ clip_ cos_ cosh_
        deg2rad_ erf_ erfc_ erfinv_ exp_ exp2_ expm1_ fix_ floor_ frac_ log_ log10_ log1p_ log2_ logit_ neg_
        negative_ rad2deg_ reciprocal_ relu_ round_ rsqrt_ sigmoid_ sin_ sinc_ sinh_ sqrt_ square_ tan_ tanh_
        trunc_ xlogy_ fill_ zero_ nan_to_num_""".split():
    globals()[_name] = _inplace_fn(_name)
del _name

from ._tensor_methods import NUMPY_KWARG_FNS as _NPK, numpy_kwargs as _numpy_kwargs  # noqa: E402
for _name in _NPK + ["sum"]:
    globals()[_name] = _numpy_kwargs(globals()[_name])
del _name, _NPK

# public classes print as PyTorch's do (``<class 'torch.Tensor'>``): ``<class 'ember.Tensor'>``
for _cls in (Tensor, Size, dtype, device):
    _cls.__module__ = "ember"
del _cls


def is_tensor(obj):
    """True if ``obj`` is an ember Tensor."""
    return isinstance(obj, Tensor)


def is_floating_point(input):
    return input.is_floating_point()


def is_complex(input):
    return input.is_complex()


def is_nonzero(input):
    if input.numel() != 1:
        raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous" if input.numel() > 1
                           else "Boolean value of Tensor with no values is ambiguous")
    return _builtins.bool(input.item())


def numel(input):
    return input.numel()


def result_type(tensor1, tensor2):
    """PyTorch's promoted dtype of two tensors/numbers."""
    from .ops._util import result_np_dtype
    return _dtypes.from_numpy_dtype(result_np_dtype(tensor1, tensor2))


def detach(input):
    return input.detach()


def compile(model=None, **kwargs):
    """``torch.compile`` is a no-op here: returns the model (or a decorator) unchanged."""
    if model is None:
        return lambda m: m
    return model


# ---- activations PyTorch also has at top level (torch.selu, torch.prelu ...) and as Tensor methods
from .ops import activation as _act  # noqa: E402
from .ops.activation import celu, celu_, hardshrink, prelu, selu, selu_  # noqa: E402,F401


def threshold(input, threshold, value):
    return _act.threshold(input, threshold, value)


def threshold_(input, threshold, value):
    return _act.threshold_(input, threshold, value)


def rrelu(input, lower=1.0 / 8, upper=1.0 / 3, training=False, generator=None):
    return _act.rrelu(input, lower, upper, training, generator=generator)


def rrelu_(input, lower=1.0 / 8, upper=1.0 / 3, training=False, generator=None):
    return _act.rrelu_(input, lower, upper, training, generator=generator)


Tensor.prelu = prelu
Tensor.hardshrink = hardshrink


# ---- convolution and pooling at top level, where PyTorch has them (torch.conv2d, torch.max_pool2d ...)
from .ops.conv import (  # noqa: E402,F401
    conv1d, conv2d, conv3d, conv_transpose1d, conv_transpose2d, conv_transpose3d, convolution)
from .ops.pool import (  # noqa: E402,F401
    adaptive_avg_pool1d, avg_pool1d, max_pool1d, max_pool1d_with_indices, max_pool2d,
    max_pool3d)
from .ops.spatial import pixel_shuffle, pixel_unshuffle  # noqa: E402,F401


def constant_pad_nd(input, pad, value=0):
    from .ops.spatial import pad as _pad
    return _pad(input, pad, "constant", value)


# ---- losses PyTorch has at top level: an int ``reduction`` (0 none, 1 mean, 2 sum). NOTE: PyTorch 2.13's
# bindings document ``reduction=Mean`` but apply no reduction when it is omitted; these follow that behaviour.
from .ops import loss as _loss  # noqa: E402
from .ops import loss_compose as _loss_compose  # noqa: E402


def _int_reduction(fn, pos, reduction):
    if not isinstance(reduction, _builtins.int) or isinstance(reduction, _builtins.bool):
        raise TypeError(f"{fn}(): argument 'reduction' (position {pos}) must be int, not {type(reduction).__name__}")
    return reduction


def binary_cross_entropy_with_logits(input, target, weight=None, pos_weight=None, reduction=0):
    r = _int_reduction("binary_cross_entropy_with_logits", 5, reduction)
    return _loss._bce_logits(input, target, weight, pos_weight, r)


def kl_div(input, target, reduction=0, *, log_target=False):
    return _loss_compose._kl_div(input, target, _int_reduction("kl_div", 3, reduction), log_target)


def cosine_embedding_loss(input1, input2, target, margin=0.0, reduction=0):
    r = _int_reduction("cosine_embedding_loss", 5, reduction)
    return _loss_compose._cosine_embedding(input1, input2, target, margin, r)


def margin_ranking_loss(input1, input2, target, margin=0.0, reduction=0):
    r = _int_reduction("margin_ranking_loss", 5, reduction)
    return _loss_compose._margin_ranking(input1, input2, target, margin, r)


def hinge_embedding_loss(input, target, margin=1.0, reduction=0):
    return _loss_compose._hinge_embedding(input, target, margin, _int_reduction("hinge_embedding_loss", 4, reduction))


def triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2, eps=1e-06, swap=False, reduction=0):
    r = _int_reduction("triplet_margin_loss", 8, reduction)
    return _loss_compose._triplet_margin(anchor, positive, negative, margin, p, eps, swap, r)


def poisson_nll_loss(input, target, log_input, full, eps, reduction):
    r = _int_reduction("poisson_nll_loss", 6, reduction)
    return _loss_compose._poisson_nll(input, target, log_input, full, eps, r)


def adaptive_max_pool1d(input, output_size):
    """``torch.adaptive_max_pool1d``: (values, indices), unlike ``F.adaptive_max_pool1d``'s default."""
    from .ops.pool import adaptive_max_pool1d as _amp1
    return _amp1(input, output_size, True)
