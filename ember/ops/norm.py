"""Normalization ops: batch_norm, layer_norm, group_norm (primitives), instance_norm, rms_norm,
local_response_norm (compositions), forward beside backward.

NOTE [ one normalization primitive ]: batch, layer and group norm are the same computation seen
through different shapes. ``x`` is viewed as ``vshape`` (group norm: ``(N, G, -1)``), statistics are
taken over the axes ``raxes`` of that view, and the affine weight/bias broadcast against ``x`` in its
own shape, their grads summing over ``waxes``. One op class, ``_Norm``, implements forward and
backward for all three under PyTorch's node names (NativeBatchNormBackward0 ...).

Forward: ``mean``, ``xc = x - mean``, ``var = mean(xc^2)`` (two passes, stable), ``invstd``; then
``xc * invstd * w + b`` in place. Backward, with ``gw = g * w`` and ``xhat = (x - mean) * invstd``::

    grad_x = invstd * (gw - mean(gw) - xhat * mean(gw * xhat))      (means over raxes)
    grad_w = sum(g * xhat, waxes)       grad_b = sum(g, waxes)

written once (NOTE [ one formula, two paths ] in unary.py): on NumPy arrays in a first-order backward,
on Tensors under ``create_graph``, where ``mean``/``invstd`` are recomputed from ``x`` with ember ops so
that second derivatives come out right. (PyTorch's double-backward graph has a single
NativeBatchNormBackwardBackward0 node there; ember's is the composition: the same values, other
node names.)
"""
import numbers

import numpy as np

from ..autograd.grad_mode import _state as _grad_state, no_grad
from ._util import _wrap, is_tensor, norm_dim
from .elementwise import Op, _not_implemented


def _float_check(x, kernel):
    if x.dtype.kind != "f":
        raise _not_implemented(kernel, x.dtype)


def _sum(t, axes):
    """Sum over ``axes`` keeping dims, for an array or a Tensor."""
    if not axes:
        return t
    if is_tensor(t):
        return t.sum(axes, keepdim=True)
    return t.sum(axis=axes, keepdims=True)


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _sum_prod(a, b, axes):
    """``sum(a * b)`` over ``axes`` keeping dims; on arrays one einsum, with no ``a * b`` temporary."""
    if is_tensor(a) or is_tensor(b):
        return _sum(a * b, axes)
    if a.shape != b.shape:
        a, b = np.broadcast_arrays(a, b)
    sub = _LETTERS[:a.ndim]
    out = "".join(c for i, c in enumerate(sub) if i not in axes)
    r = np.einsum(f"{sub},{sub}->{out}", a, b)
    return r.reshape(tuple(1 if i in axes else d for i, d in enumerate(a.shape)))


def _norm_backward(g, x, w, mean, invstd, vshape, raxes, waxes, n, needs, wshape, bshape):
    """The three grads of ``_Norm`` (see the module NOTE); works on arrays or on Tensors alike.

    ``w`` is the weight already in its broadcast shape; ``wshape``/``bshape`` the shapes of the grads.
    On arrays the same formula runs with in-place updates (fresh temporaries cost page faults).
    """
    gx = gw = gb = None
    xshape = tuple(x.shape)
    arrays = not is_tensor(g)
    xhat = x.reshape(vshape) - mean
    if arrays:
        xhat *= invstd
    else:
        xhat = xhat * invstd
    if len(needs) > 1 and needs[1]:
        gw = _sum_prod(g, xhat.reshape(xshape), waxes).reshape(wshape)
    if len(needs) > 2 and needs[2]:
        gb = _sum(g, waxes).reshape(bshape)
    if needs[0]:
        gwv = (g if w is None else g * w).reshape(vshape)
        mg = _sum(gwv, raxes) * (1.0 / n)
        mgx = _sum_prod(gwv, xhat, raxes) * (1.0 / n)
        if arrays:
            xhat *= -mgx  # xhat is not needed any more: it becomes the grad
            xhat += gwv
            xhat -= mg
            xhat *= invstd
            gx = xhat.reshape(xshape)
        else:
            gx = (invstd * (gwv - mg - xhat * mgx)).reshape(xshape)
    return gx, gw, gb


def _stats(xv, raxes, eps):
    """``mean``, biased ``var``, ``invstd`` of ``xv`` over ``raxes`` (kept dims) and ``xc = xv - mean``; two
    passes (stable), ``xc`` then becomes the output buffer of the forward."""
    n = 1
    for a in raxes:
        n *= xv.shape[a]
    mean = xv.mean(axis=raxes, keepdims=True)
    xc = xv - mean
    var = _sum_prod(xc, xc, raxes) / max(n, 1) if n else np.full(mean.shape, np.nan, xv.dtype)
    invstd = 1 / np.sqrt(var + eps)
    return mean, var.astype(xv.dtype, copy=False), invstd.astype(xv.dtype, copy=False), xc


class _Norm(Op):
    """Normalise ``x`` over ``raxes`` of its view ``vshape``, then ``* weight + bias`` (NOTE above).

    ``wb``: the shape weight and bias broadcast as against ``x``; ``stats``: ``(mean, invstd)`` from
    ``_stats`` (the caller computed them, to update running statistics without another pass).
    """

    node_name = "NativeNormBackward"
    check_inputs = staticmethod(lambda needs: [0, 1])

    @staticmethod
    def forward(ctx, x, weight, bias, *, vshape, raxes, waxes, wb, eps, stats):
        xd = x._data
        mean, invstd, out = stats  # out: x - mean, from _stats, normalised in place
        out *= invstd
        out = out.reshape(xd.shape)
        if weight is not None:
            out *= weight._data.reshape(wb)
        if bias is not None:
            out += bias._data.reshape(wb)
        vs = mean.shape  # the view's shape with 1 on the reduced axes
        n = (xd.size // int(np.prod(vs))) if xd.size else 0
        ctx.stats = (mean, invstd, vshape, raxes, waxes, wb, eps, n)
        return out

    @staticmethod
    def backward(ctx, g):
        x, w, b = ctx.inputs
        mean, invstd, vshape, raxes, waxes, wb, eps, n = ctx.stats
        needs = ctx.needs_input_grad
        wshape = w.shape if w is not None else None
        bshape = b.shape if b is not None else None
        if not _grad_state.enabled:
            res = _norm_backward(g._data, x._data, None if w is None else w._data.reshape(wb), mean, invstd,
                                 vshape, raxes, waxes, n, needs, wshape, bshape)
            return tuple(None if r is None else _wrap(np.asarray(r, dtype=g._data.dtype)) for r in res)
        # create_graph: the statistics again, as functions of x, so second derivatives see them
        xv = x.reshape(vshape)
        m = xv.mean(raxes, keepdim=True)
        c = xv - m
        istd = ((c * c).mean(raxes, keepdim=True) + eps).rsqrt()
        return _norm_backward(g, x, None if w is None else w.reshape(wb), m, istd, vshape, raxes, waxes, n, needs,
                              wshape, bshape)


def _norm_op(node):
    return type(node.replace("Backward0", ""), (_Norm,), {"node_name": node, "__module__": __name__})


BatchNormTrain = _norm_op("NativeBatchNormBackward0")
LayerNorm = _norm_op("NativeLayerNormBackward0")
GroupNorm = _norm_op("NativeGroupNormBackward0")


class BatchNormEval(Op):
    """Batch norm with given statistics: ``(x - mean) * invstd * w + b``, affine per channel."""

    node_name = "NativeBatchNormBackward0"
    check_inputs = staticmethod(lambda needs: [0, 1])

    @staticmethod
    def forward(ctx, x, weight, bias, *, mean, var, eps):
        xd = x._data
        bshape = (1, -1) + (1,) * (xd.ndim - 2)
        invstd = 1 / np.sqrt(var._data.astype(xd.dtype, copy=False) + eps)
        scale = invstd if weight is None else invstd * weight._data
        shift = -mean._data * scale
        if bias is not None:
            shift = shift + bias._data
        ctx.stats = (mean._data.reshape(bshape), invstd.reshape(bshape))
        return xd * scale.reshape(bshape) + shift.reshape(bshape)

    @staticmethod
    def backward(ctx, g):
        x, w, b = ctx.inputs
        mean, invstd = ctx.stats
        needs = ctx.needs_input_grad
        axes = (0,) + tuple(range(2, x.dim()))
        arrays = not _grad_state.enabled
        if not arrays:
            mean, invstd = _wrap(mean), _wrap(invstd)
        gd = g._data if arrays else g
        xd = x._data if arrays else x
        wb = None if w is None else (w._data if arrays else w).reshape(invstd.shape)
        gx = gw = gb = None
        if needs[0]:
            gx = gd * (invstd if wb is None else invstd * wb)
        if len(needs) > 1 and needs[1]:
            gw = _sum_prod(gd, (xd - mean) * invstd, axes).reshape(w.shape)
        if len(needs) > 2 and needs[2]:
            gb = _sum(gd, axes).reshape(b.shape)
        if arrays:
            return tuple(None if r is None else _wrap(np.asarray(r, dtype=g._data.dtype)) for r in (gx, gw, gb))
        return gx, gw, gb


# ============================================================================ public functions

def _bump(t):
    b = t._base
    (b if b is not None else t)._vc += 1


def _check_channels(name, t, c):
    if t is not None and t.numel() != c:
        raise RuntimeError(f"{name} should contain {c} elements not {t.numel()}")


def batch_norm(input, weight, bias, running_mean, running_var, training, momentum, eps, cudnn_enabled=True):
    """``torch.batch_norm``: normalise over every dim but 1; in training, update the running stats in place
    (``running = (1 - momentum) * running + momentum * batch_stat``, the variance unbiased)."""
    x = input._data
    if training and (running_mean is None) != (running_var is None):
        raise ValueError("running_mean and running_var must either both be None or neither be None")
    if x.ndim < 2:
        norm_dim(1, x.ndim)  # PyTorch's IndexError
    _float_check(x, "batch_norm")
    c = x.shape[1]
    for name, t in (("running_mean", running_mean), ("running_var", running_var), ("weight", weight), ("bias", bias)):
        _check_channels(name, t, c)
    if not training:
        if running_mean is None:
            raise RuntimeError("running_mean must be defined in evaluation mode")
        if running_var is None:
            raise RuntimeError("running_var must be defined in evaluation mode")
        return BatchNormEval.apply(input, weight, bias, mean=running_mean, var=running_var, eps=eps)
    raxes = (0,) + tuple(range(2, x.ndim))
    mean, var, invstd, xc = _stats(x, raxes, eps)
    wb = (1, c) + (1,) * (x.ndim - 2)
    out = BatchNormTrain.apply(input, weight, bias, vshape=x.shape, raxes=raxes, waxes=raxes, wb=wb, eps=eps,
                               stats=(mean, invstd, xc))
    n = x.size // c
    # PyTorch's CPU kernel: running = momentum * stat + (1 - momentum) * running, in double
    if running_mean is not None:
        rm = running_mean._data
        rm[...] = momentum * mean.reshape(c).astype(np.float64) + (1 - momentum) * rm.astype(np.float64)
        _bump(running_mean)
    if running_var is not None:
        rv = running_var._data
        unbiased = var.reshape(c).astype(np.float64) * (n / (n - 1) if n > 1 else np.inf)
        rv[...] = momentum * unbiased + (1 - momentum) * rv.astype(np.float64)
        _bump(running_var)
    return out


def _normalized_shape(normalized_shape, fname):
    """``normalized_shape`` as a tuple; PyTorch's TypeError for what its argument parser refuses."""
    if isinstance(normalized_shape, numbers.Integral):
        raise TypeError(f"{fname}(): argument 'normalized_shape' (position 2) must be tuple of ints, not "
                        f"{type(normalized_shape).__name__}")
    out = []
    for i, s in enumerate(normalized_shape):
        if not isinstance(s, numbers.Integral):
            raise TypeError(f"{fname}(): argument 'normalized_shape' (position 2) must be tuple of ints, but found "
                            f"element of type {type(s).__name__} at pos {i}")
        out.append(int(s))
    return tuple(out)


def _check_normalized(x_shape, ns, what="*, "):
    k = len(ns)
    if k == 0 or len(x_shape) < k or tuple(x_shape[len(x_shape) - k:]) != ns:
        exp = what + ", ".join(str(s) for s in ns)
        raise RuntimeError(f"Given normalized_shape={list(ns)}, expected input with shape [{exp}], but got input "
                           f"of size{list(x_shape)}")


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-05, cudnn_enable=True):
    """``torch.layer_norm``: normalise over the trailing ``normalized_shape`` dims."""
    ns = _normalized_shape(normalized_shape, "layer_norm")
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and tuple(t.shape) != ns:
            raise RuntimeError(f"Expected {name} to be of same shape as normalized_shape, but got {name} of shape "
                               f"{list(t.shape)} and normalized_shape = {list(ns)}")
    x = input._data
    _check_normalized(x.shape, ns)
    _float_check(x, "LayerNormKernelImpl")
    nd, k = x.ndim, len(ns)
    raxes = tuple(range(nd - k, nd))
    mean, _, invstd, xc = _stats(x, raxes, eps)
    return LayerNorm.apply(input, weight, bias, vshape=x.shape, raxes=raxes, waxes=tuple(range(nd - k)), wb=ns,
                           eps=eps, stats=(mean, invstd, xc))


def group_norm(input, num_groups, weight=None, bias=None, eps=1e-05, cudnn_enabled=True):
    """``torch.group_norm``: normalise each of ``num_groups`` channel groups of every sample."""
    x = input._data
    if x.ndim < 2 or x.shape[1] % num_groups != 0:
        raise RuntimeError(f"Expected number of channels in input to be divisible by num_groups, but got input of "
                           f"shape {list(x.shape)} and num_groups={num_groups}")
    c = x.shape[1]
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and (t.dim() != 1 or t.numel() != c):
            raise RuntimeError(f"Expected {name} to be a vector of size equal to the number of channels in input, "
                               f"but got {name} of shape {list(t.shape)} and input of shape {list(x.shape)}")
    _float_check(x, "group_norm")
    wb = (1, c) + (1,) * (x.ndim - 2)
    waxes = (0,) + tuple(range(2, x.ndim))
    vshape = (x.shape[0], num_groups, x.size // (x.shape[0] * num_groups) if x.size else 0)
    mean, _, invstd, xc = _stats(x.reshape(vshape), (2,), eps)
    return GroupNorm.apply(input, weight, bias, vshape=vshape, raxes=(2,), waxes=waxes, wb=wb, eps=eps,
                           stats=(mean, invstd, xc))


def instance_norm(input, weight, bias, running_mean, running_var, use_input_stats, momentum, eps,
                  cudnn_enabled=True):
    """``torch.instance_norm``: batch norm of the input viewed as ``(1, N*C, ...)`` (PyTorch's composition)."""
    if not use_input_stats and (running_mean is None or running_var is None):
        raise RuntimeError("Expected running_mean and running_var to be defined when use_input_stats is false")
    shape = tuple(input.shape)
    b, c = shape[0], shape[1]

    def rep(t):
        return None if t is None else t.repeat(b)

    rm, rv = rep(running_mean), rep(running_var)
    out = batch_norm(input.contiguous().view(1, b * c, *shape[2:]), rep(weight), rep(bias), rm, rv,
                     use_input_stats, momentum, eps)
    with no_grad():
        if running_mean is not None:
            running_mean.copy_(rm.view(b, c).mean(0))
        if running_var is not None:
            running_var.copy_(rv.view(b, c).mean(0))
    return out.view(*shape)


def rms_norm(input, normalized_shape, weight=None, eps=None):
    """``torch.rms_norm``: ``x * rsqrt(mean(x^2) + eps) * weight`` composed as PyTorch's CPU path does."""
    ns = _normalized_shape(normalized_shape, "rms_norm")
    if weight is not None and tuple(weight.shape) != ns:
        raise RuntimeError(f"Expected weight to be of same shape as normalized_shape, but got weight of shape "
                           f"{list(weight.shape)} and normalized_shape = {list(ns)}")
    _check_normalized(tuple(input.shape), ns, what="*")
    if eps is None:
        eps = float(np.finfo(input._data.dtype).eps) if input._data.dtype.kind == "f" else 1.1920928955078125e-07
    nd = input.dim()
    dims = [nd - i - 1 for i in range(len(ns))]
    r = (input.pow(2).mean(dims, keepdim=True) + eps).rsqrt()
    out = input * r
    return out if weight is None else out * weight


def local_response_norm(input, size, alpha=1e-4, beta=0.75, k=1.0):
    """``F.local_response_norm``: ``x / (k + alpha * mean(x^2 over size neighbouring channels))^beta``."""
    from .pool import avg_pool2d, avg_pool3d
    from .spatial import pad
    dim = input.dim()
    if dim < 3:
        raise ValueError(f"Expected 3D or higher dimensionality                          input (got {dim} dimensions)")
    if input.numel() == 0:
        return input
    div = input.mul(input)
    if dim == 3:
        div = div.unsqueeze(1)
        div = pad(div, (0, 0, size // 2, (size - 1) // 2))
        div = avg_pool2d(div, (size, 1), stride=1).squeeze(1)
    else:
        sizes = input.size()
        div = div.view(sizes[0], 1, sizes[1], sizes[2], -1)
        div = pad(div, (0, 0, 0, 0, size // 2, (size - 1) // 2))
        div = avg_pool3d(div, (size, 1, 1), stride=1).squeeze(1)
        div = div.view(sizes)
    div = div.mul(alpha).add(k).pow(beta)
    return input / div

