"""Convolutions (1-d, 2-d, 3-d, transposed) and their public im2col forms ``unfold``/``fold``.

NOTE [ conv as im2col + one GEMM ]: a convolution is one matrix product once the input's
windows are laid out as columns. ``_im2col`` copies the strided window view of the (padded)
input into ``col`` of layout ``(C, *kernel, N, *out)``: its innermost run is an output row, so
the copy is a few long block copies (one per channel and kernel position), and the product
``weight (O, C*K) @ col (C*K, N*P)`` is a single GEMM. The backward runs the same two
layouts the other way: ``grad_weight = g (O, N*P) @ col.T`` (one GEMM),
``grad_col = weight.T @ g`` (one GEMM) and ``_col2im`` adds ``grad_col`` back into the input
with one shifted, strided add per kernel position (no ``np.add.at``). A transposed convolution
is the same pair of kernels with forward and input-backward swapped. ``groups`` is a leading
batch dimension of the products.

With ``create_graph`` the backward is written with the ``Convolution`` op itself (PyTorch's
identities: grad_input of a conv is a transposed conv of the grad, grad_weight a conv of the
input with the grad), so every derivative order is available.
"""
import sys
import threading
import warnings

import numpy as np
from numpy.lib.stride_tricks import as_strided

from ..autograd.grad_mode import _state as _grad_state
from ._util import is_tensor
from .elementwise import Op, _type_name

_C_TYPES = {"float32": "float", "float64": "double", "float16": "c10::Half", "int64": "long int", "int32": "int",
            "int16": "short int", "int8": "signed char", "uint8": "unsigned char", "bool": "bool"}


def _prod(s):
    n = 1
    for v in s:
        n *= v
    return n


def _ctype(dt):
    return _C_TYPES.get(dt.name, dt.name)


# ============================================================================ array kernels

# NOTE [ scratch buffers ]: a fresh multi-MB array costs a page fault per 4 KiB page each time it is
# allocated (glibc returns large blocks to the OS); in a training loop the same im2col / col2im shapes
# come back every step. Such buffers are recycled here once nothing else references them any more
# (the saved columns of a node are dropped when its backward ran): ``sys.getrefcount`` tells.
_SCRATCH = {}
_SCRATCH_MIN = 1 << 18  # bytes: smaller arrays come from NumPy's allocator cheaply
_SCRATCH_MAX = 1 << 26  # bytes: larger ones are not kept (memory held between steps stays bounded)
_SCRATCH_LOCK = threading.Lock()


def _scratch(shape, dtype, zero=False):
    """An uninitialised (or zeroed) array of ``shape``, recycled when a previous one is free."""
    dtype = np.dtype(dtype)
    if not _SCRATCH_MIN <= _prod(shape) * dtype.itemsize <= _SCRATCH_MAX:
        return np.zeros(shape, dtype) if zero else np.empty(shape, dtype)
    key = (shape, dtype)
    with _SCRATCH_LOCK:  # two threads must never be handed the same free buffer
        bufs = _SCRATCH.get(key)
        if bufs is None:
            if len(_SCRATCH) >= 32:
                _SCRATCH.pop(next(iter(_SCRATCH)))
            bufs = _SCRATCH[key] = []
        for b in bufs:
            if sys.getrefcount(b) == 3:  # the list, the loop variable, getrefcount's argument
                break
        else:
            b = None
            if len(bufs) < 4:
                b = np.empty(shape, dtype)
                bufs.append(b)
    if b is None:
        return np.zeros(shape, dtype) if zero else np.empty(shape, dtype)
    if zero:
        b.fill(0)
    return b


def _pad_array(x, padding):
    """``x`` (N, C, *S) with zeros around its spatial dims (no copy when there is no padding)."""
    if not any(padding):
        return x
    sp = x.shape[2:]
    xp = np.zeros(x.shape[:2] + tuple(s + 2 * p for s, p in zip(sp, padding)), dtype=x.dtype)
    xp[(slice(None), slice(None)) + tuple(slice(p, p + s) for s, p in zip(sp, padding))] = x
    return xp


def _out_size(sp, k, stride, padding, dilation):
    return tuple((s + 2 * p - d * (kk - 1) - 1) // st + 1 for s, kk, st, p, d in zip(sp, k, stride, padding, dilation))


def _im2col(x, k, stride, padding, dilation, out=None):
    """Columns of ``x`` (N, C, *S): a contiguous (N, C, *k, *out) array (NOTE [ conv as im2col + one GEMM ])."""
    if out is None:
        out = _out_size(x.shape[2:], k, stride, padding, dilation)
    xp = _pad_array(x, padding)
    st = xp.strides
    sp = st[2:]
    shape = x.shape[:2] + tuple(k) + tuple(out)
    strides = st[:2] + tuple(s * d for s, d in zip(sp, dilation)) + tuple(s * t for s, t in zip(sp, stride))
    col = _scratch(shape, x.dtype)
    np.copyto(col, as_strided(xp, shape, strides, writeable=False))
    return col


def _col2im(col, sp, k, stride, padding, dilation):
    """Adjoint of ``_im2col``: ``col`` (N, C, *k, *out) summed back into an (N, C, *sp) array."""
    nd = len(sp)
    out = col.shape[2 + nd:]
    full = tuple(s + 2 * p for s, p in zip(sp, padding))
    acc = _scratch(col.shape[:2] + full, col.dtype, zero=True)
    lead = (slice(None), slice(None))
    for kk in np.ndindex(*k):
        sl = tuple(slice(i * d, i * d + t * (o - 1) + 1, t) for i, d, t, o in zip(kk, dilation, stride, out))
        acc[lead + sl] += col[lead + kk]
    if not any(padding):
        return acc
    return np.ascontiguousarray(acc[lead + tuple(slice(p, p + s) for s, p in zip(sp, padding))])


def _grad_input_batch_last(g, w, sp, stride, padding, dilation):
    """grad of a (groups=1) convolution's input: ``w.T @ g`` as K GEMMs, then col2im's K shifted adds.

    NOTE: the columns and the accumulator are laid out batch-last, (K, C, *out, N) and (C, *S, N), so
    every shifted add runs over contiguous runs of ``ow * N`` elements instead of ``ow`` (measured ~2x
    faster for LeNet's second conv than the (N, C, ...) layout, whose adds have inner loops of 8).
    """
    N, O = g.shape[:2]
    out = g.shape[2:]
    C, k = w.shape[1], w.shape[2:]
    K = _prod(k)
    go = _scratch((O,) + tuple(out) + (N,), g.dtype)
    np.copyto(go, np.moveaxis(g, 0, -1))
    wk = np.ascontiguousarray(w.reshape(O, C, K).transpose(2, 1, 0))  # (K, C, O)
    d = np.matmul(wk, go.reshape(O, -1), out=_scratch((K, C, go.size // O), np.result_type(wk, go)))
    d = d.reshape((K, C) + tuple(out) + (N,))
    full = tuple(s + 2 * p for s, p in zip(sp, padding))
    acc = _scratch((C,) + full + (N,), g.dtype, zero=True)
    for j, kk in enumerate(np.ndindex(*k)):
        sl = tuple(slice(i * dd, i * dd + t * (o - 1) + 1, t) for i, dd, t, o in zip(kk, dilation, stride, out))
        acc[(slice(None),) + sl] += d[j]
    acc = acc[(slice(None),) + tuple(slice(p, p + s) for s, p in zip(sp, padding))]
    res = np.empty((N, C) + tuple(sp), dtype=g.dtype)
    np.copyto(res, np.moveaxis(acc, -1, 0))
    return res


def _mm(a, b):
    """``a @ b`` over stacks; NumPy's matmul runs one GEMM per (sample, group) on cache-sized blocks."""
    return np.matmul(a, b)


def _conv_fwd(x, w, b, stride, padding, dilation, groups):
    """Returns (y, col): the convolution of ``x`` with ``w`` (+ ``b``), and the columns it used.

    ``col`` is (N, G, C/G*K, P) and ``y[n, g] = w[g] @ col[n, g]``: per-sample GEMMs write the
    output in its final (N, O, *out) layout (measured faster than one wide GEMM plus a transposing copy,
    whose column matrix does not fit in cache).
    """
    N = x.shape[0]
    O, k = w.shape[0], w.shape[2:]
    out = _out_size(x.shape[2:], k, stride, padding, dilation)
    P = _prod(out)
    col = _im2col(x, k, stride, padding, dilation, out)
    if groups == 1:
        colm = col.reshape(N, -1, P)
        y = np.matmul(w.reshape(O, -1), colm, out=_scratch((N, O, P), np.result_type(w, colm)))
    else:
        colm = col.reshape(N, groups, -1, P)
        y = np.matmul(w.reshape(groups, O // groups, -1), colm)
    y = y.reshape((N, O) + tuple(out))
    if b is not None:
        y += b.reshape((O,) + (1,) * len(out))
    return y, colm


def _gstack(a, groups):
    """(N, C, ...) as (N, C, P) or, with groups, (N, G, C/G, P) (a view of a contiguous array)."""
    N, C = a.shape[:2]
    return a.reshape(N, C, -1) if groups == 1 else a.reshape(N, groups, C // groups, -1)


def _cstack(col, groups, P):
    """Columns (N, C, *k, *out) as (N, C*K, P) or (N, G, C/G*K, P)."""
    N = col.shape[0]
    return col.reshape(N, -1, P) if groups == 1 else col.reshape(N, groups, -1, P)


def _wstack(w, groups):
    """A weight (A, B, *k) as (A, B*K) or (G, A/G, B*K)."""
    return w.reshape(w.shape[0], -1) if groups == 1 else w.reshape(groups, w.shape[0] // groups, -1)


def _batched_outer(g2, col):
    """``sum_n g2[n] @ col[n].T`` (grad_weight): per-sample GEMMs on cache-sized blocks, then a small sum.

    (One wide GEMM would need both operands transposed to (., N*P) first: two multi-MB copies.)
    """
    return np.matmul(g2, np.swapaxes(col, -1, -2)).sum(0)


def _conv_transpose_fwd(x, w, b, stride, padding, output_padding, dilation, groups):
    N, sp = x.shape[0], x.shape[2:]
    k = w.shape[2:]
    Co = w.shape[1] * groups
    osz = _tr_out_size(sp, k, stride, padding, output_padding, dilation)
    xs = _gstack(np.ascontiguousarray(x), groups)
    wt = np.swapaxes(_wstack(w, groups), -1, -2)
    cols = np.matmul(wt, xs)
    y = _col2im(cols.reshape((N, Co) + tuple(k) + tuple(sp)), osz, k, stride, padding, dilation)
    if b is not None:
        y += b.reshape((Co,) + (1,) * len(sp))
    return y, xs


def _tr_out_size(sp, k, stride, padding, output_padding, dilation):
    return tuple((s - 1) * t - 2 * p + d * (kk - 1) + op + 1
                 for s, kk, t, p, op, d in zip(sp, k, stride, padding, output_padding, dilation))


# ============================================================================ the op

class Convolution(Op):
    """``torch.convolution``: every convolution flavour, one node (``ConvolutionBackward0``)."""

    node_name = "ConvolutionBackward0"

    @staticmethod
    def forward(ctx, input, weight, bias, stride, padding, dilation, transposed, output_padding, groups):
        x, w = input._data, weight._data
        b = None if bias is None else bias._data
        needs = ctx.needs_input_grad
        if not transposed:
            y, col = _conv_fwd(x, w, b, stride, padding, dilation, groups)
            if needs and needs[1]:
                ctx.col = col  # grad_weight reuses the forward's columns
            return y
        y, x2 = _conv_transpose_fwd(x, w, b, stride, padding, output_padding, dilation, groups)
        if needs and needs[1]:
            ctx.x2 = x2
        return y

    @staticmethod
    def backward(ctx, g):
        input, weight, bias, stride, padding, dilation, transposed, output_padding, groups = ctx.inputs
        needs = ctx.needs_input_grad
        if _grad_state.enabled:
            return _conv_backward_graph(g, input, weight, bias, stride, padding, dilation, transposed, output_padding,
                                        groups, needs)
        x, w, ga = input._data, weight._data, np.ascontiguousarray(g._data)
        N, sp, k = x.shape[0], x.shape[2:], w.shape[2:]
        gi = gw = gb = None
        if not transposed:
            out = ga.shape[2:]
            g2 = _gstack(ga, groups)
            if needs[0] and groups == 1:
                gi = _grad_input_batch_last(ga, w, sp, stride, padding, dilation)
            elif needs[0]:
                dcol = np.matmul(np.swapaxes(_wstack(w, groups), -1, -2), g2)
                gi = _col2im(dcol.reshape((N, x.shape[1]) + tuple(k) + tuple(out)), sp, k, stride, padding, dilation)
            if needs[1]:
                col = ctx.__dict__.get("col")
                if col is None:
                    col = _cstack(_im2col(x, k, stride, padding, dilation, out), groups, _prod(out))
                gw = _batched_outer(g2, col).reshape(w.shape)
            if needs[2]:
                gb = ga.reshape(N, ga.shape[1], -1).sum(2).sum(0)
        else:
            # the grad's columns at the input's positions: a transposed conv's input grad is a plain conv
            colg = _cstack(_im2col(ga, k, stride, padding, dilation, sp), groups, _prod(sp))
            if needs[0]:
                gi = np.matmul(_wstack(w, groups), colg).reshape(x.shape)
            if needs[1]:
                xs = ctx.__dict__.get("x2")
                if xs is None:
                    xs = _gstack(np.ascontiguousarray(x), groups)
                gw = _batched_outer(xs, colg).reshape(w.shape)
            if needs[2]:
                gb = ga.reshape(N, ga.shape[1], -1).sum(2).sum(0)
        from ._util import _wrap
        return (None if gi is None else _wrap(gi), None if gw is None else _wrap(gw),
                None if gb is None else _wrap(gb))


def _conv_backward_graph(g, input, weight, bias, stride, padding, dilation, transposed, output_padding, groups,
                         needs):
    """The same grads written with differentiable ops (``create_graph``)."""
    nd = g.dim() - 2
    gi = gw = gb = None
    G = groups
    sp, gsp = tuple(input.shape[2:]), tuple(g.shape[2:])
    k = tuple(weight.shape[2:])
    if not transposed:
        if needs[0]:
            # a transposed conv of the grad; output_padding makes it reach the input's size exactly
            base = _tr_out_size(gsp, k, stride, padding, (0,) * nd, dilation)
            op = tuple(s - b for s, b in zip(sp, base))
            gi = Convolution.apply(g, weight, None, stride, padding, dilation, True, op, G)
        if needs[1]:
            # grad_weight[o, c, k] = sum_{n, p} g[n, o, p] x[n, c, p * stride + k * dilation]: a conv of the
            # input (channels as batch) with the grad (batch as channels), stride and dilation swapped
            N, C = input.shape[:2]
            O = weight.shape[0]
            xi = input.reshape((N, G, C // G) + sp).permute((2, 1, 0) + tuple(range(3, 3 + nd)))
            xi = xi.reshape((C // G, G * N) + sp)
            gk = g.reshape((N, G, O // G) + gsp).permute((1, 2, 0) + tuple(range(3, 3 + nd)))
            gk = gk.reshape((O, N) + gsp)
            r = Convolution.apply(xi, gk, None, dilation, padding, stride, False, (0,) * nd, G)
            r = r[(slice(None), slice(None)) + tuple(slice(0, kk) for kk in k)]
            gw = r.transpose(0, 1)
    else:
        if needs[0]:
            gi = Convolution.apply(g, weight, None, stride, padding, dilation, False, (0,) * nd, G)
            if tuple(gi.shape[2:]) != sp:
                gi = gi[(slice(None), slice(None)) + tuple(slice(0, s) for s in sp)]
        if needs[1]:
            N, Ci = input.shape[:2]
            Co = g.shape[1]
            gi_ = g.reshape((N, G, Co // G) + gsp).permute((2, 1, 0) + tuple(range(3, 3 + nd)))
            gi_ = gi_.reshape((Co // G, G * N) + gsp)
            xk = input.reshape((N, G, Ci // G) + sp).permute((1, 2, 0) + tuple(range(3, 3 + nd)))
            xk = xk.reshape((Ci, N) + sp)
            r = Convolution.apply(gi_, xk, None, dilation, padding, stride, False, (0,) * nd, G)
            r = r[(slice(None), slice(None)) + tuple(slice(0, kk) for kk in k)]
            gw = r.transpose(0, 1)
    if needs[2] and bias is not None:
        gb = g.sum((0,) + tuple(range(2, g.dim())))
    return gi, gw, gb


# ============================================================================ argument checks (PyTorch's wording)

def _expand(v, name, nd):
    if isinstance(v, (int, np.integer)):
        return (int(v),) * nd
    v = tuple(int(i) for i in v)
    if len(v) == 1:
        return v * nd
    if len(v) != nd:
        raise RuntimeError(f"expected {name} to be a single integer value or a list of {nd} values to match the "
                           f"convolution dimensions, but got {name}={list(v)}")
    return v


def _fmt_sizes(s):
    return " x ".join(str(v) for v in s)


def _check_conv(x, w, b, stride, padding, dilation, transposed, output_padding, groups):
    nd = w.ndim - 2
    stride = _expand(stride, "stride", nd)
    padding = _expand(padding, "padding", nd)
    dilation = _expand(dilation, "dilation", nd)
    output_padding = _expand(output_padding, "output_padding", nd)
    if any(p < 0 for p in padding):
        raise RuntimeError("negative padding is not supported")
    if any(p < 0 for p in output_padding):
        raise RuntimeError("negative output_padding is not supported")
    if any(s <= 0 for s in stride):
        raise RuntimeError("non-positive stride is not supported")
    if any(d <= 0 for d in dilation):
        raise RuntimeError(f"dilation should be greater than zero, but got {list(dilation)}")
    if groups <= 0:
        raise RuntimeError("non-positive groups is not supported")
    ws = list(w.shape)
    if w.ndim != x.ndim:
        raise RuntimeError(f"Expected {w.ndim}-dimensional input for {w.ndim}-dimensional weight {ws}, but got "
                           f"{x.ndim}-dimensional input of size {list(x.shape)} instead")
    if ws[0] < groups:
        raise RuntimeError(f"Given groups={groups}, expected weight to be at least {groups} at dimension 0, but got "
                           f"weight of size {ws} instead")
    if ws[0] % groups:
        raise RuntimeError(f"Given groups={groups}, expected weight to be divisible by {groups} at dimension 0, but "
                           f"got weight of size [{ws}] instead")
    if not transposed:
        if x.shape[1] != ws[1] * groups:
            raise RuntimeError(f"Given groups={groups}, weight of size {ws}, expected input{list(x.shape)} to have "
                               f"{ws[1] * groups} channels, but got {x.shape[1]} channels instead")
        if b is not None and (b.ndim != 1 or b.shape[0] != ws[0]):
            raise RuntimeError(f"Given weight of size {ws}, expected bias to be 1-dimensional with {ws[0]} elements, "
                               f"but got bias of size {list(b.shape)} instead")
        padded = [s + 2 * p for s, p in zip(x.shape[2:], padding)]
        kern = [d * (k - 1) + 1 for d, k in zip(dilation, ws[2:])]
        if any(p < k for p, k in zip(padded, kern)):
            raise RuntimeError(f"Calculated padded input size per channel: ({_fmt_sizes(padded)}). Kernel size: "
                               f"({_fmt_sizes(kern)}). Kernel size can't be greater than actual input size")
    else:
        if x.shape[1] != ws[0]:
            raise RuntimeError(f"Given transposed=1, weight of size {ws}, expected input{list(x.shape)} to have "
                               f"{ws[0]} channels, but got {x.shape[1]} channels instead")
        if b is not None and (b.ndim != 1 or b.shape[0] != ws[1] * groups):
            raise RuntimeError(f"Given transposed=1, weight of size {ws}, expected bias to be 1-dimensional with "
                               f"{ws[1] * groups} elements, but got bias of size {list(b.shape)} instead")
        # PyTorch runs a 1-d transposed conv as a 2-d one: its messages show a leading size-1 dim
        lift = (lambda t, one: (one,) + tuple(t)) if nd == 1 else (lambda t, one: tuple(t))
        if any(op >= s and op >= d for op, s, d in zip(output_padding, stride, dilation)):
            names = ("depth", "height", "width")[3 - len(lift(stride, 1)):]
            parts = [f"output_padding_{n}: {v}" for n, v in zip(names, lift(output_padding, 0))]
            parts += [f"stride_{n}: {v}" for n, v in zip(names, lift(stride, 1))]
            parts += [f"dilation_{n}: {v}" for n, v in zip(names, lift(dilation, 1))]
            raise RuntimeError("output padding must be smaller than either stride or dilation, but got " +
                               " ".join(parts))
        osz = _tr_out_size(x.shape[2:], ws[2:], stride, padding, output_padding, dilation)
        if any(o <= 0 for o in osz):
            raise RuntimeError(f"Given input size per channel: ({_fmt_sizes(lift(x.shape[2:], 1))}). Calculated "
                               f"output size per channel: ({_fmt_sizes(lift(osz, 1))}). Output size is too small")
    if x.dtype != w.dtype:
        raise RuntimeError(f"expected scalar type {_type_name(x.dtype)} but found {_type_name(w.dtype)}")
    if b is not None and b.dtype != x.dtype:
        raise RuntimeError(f"Input type ({_ctype(x.dtype)}) and bias type ({_ctype(b.dtype)}) should be the same")
    if x.dtype.kind == "b":
        raise NotImplementedError(f"\"slow_conv2d_cpu\" not implemented for '{_type_name(x.dtype)}'")
    return stride, padding, dilation, output_padding


def convolution(input, weight, bias, stride, padding, dilation, transposed, output_padding, groups):
    """``torch.convolution``: the common entry of every conv function (batched input)."""
    for name, t in (("input", input), ("weight", weight)):
        if not is_tensor(t):
            raise TypeError(f"convolution(): argument '{name}' must be Tensor, not {type(t).__name__}")
    stride, padding, dilation, output_padding = _check_conv(
        input._data, weight._data, None if bias is None else bias._data, stride, padding, dilation, transposed,
        output_padding, groups)
    return Convolution.apply(input, weight, bias, stride, padding, dilation, bool(transposed), output_padding,
                             int(groups))


# ============================================================================ public functions

def _ntuple(v, n):
    if isinstance(v, (int, np.integer)):
        return (int(v),) * n
    return tuple(v)


def _batchify(input, nd, name, what="(unbatched)"):
    if not is_tensor(input):
        raise TypeError(f"{name}() received an invalid combination of arguments - got ({type(input).__name__}, ...)")
    dim = input._data.ndim
    if dim not in (nd + 1, nd + 2):
        raise RuntimeError(f"Expected {nd + 1}D {what} or {nd + 2}D (batched) input to {name}, but got input of size: "
                           f"{list(input.shape)}")
    return dim == nd + 1


def _conv(nd, name, input, weight, bias, stride, padding, dilation, groups):
    unbatched = _batchify(input, nd, name)
    if isinstance(padding, str):
        if padding not in ("same", "valid"):
            raise RuntimeError(f"Invalid padding string: '{padding}'")
    x = input.unsqueeze(0) if unbatched else input
    stride_t, dil = _ntuple(stride, nd), _ntuple(dilation, nd)
    if padding == "valid":
        padding = 0
    elif padding == "same":
        if any(s != 1 for s in stride_t):
            raise RuntimeError("padding='same' is not supported for strided convolutions")
        k = weight.shape[2:]
        pad = []
        extra = []
        for d, kk in zip(_expand(dil, "dilation", len(k)), k):
            total = d * (kk - 1)
            pad.append(total // 2)
            extra.append(total - 2 * (total // 2))
        if any(extra):
            warnings.warn("Using padding='same' with even kernel lengths and odd dilation may require a zero-padded "
                          "copy of the input be created", UserWarning, stacklevel=3)
            from .spatial import pad as _pad
            spec = []
            for e in reversed(extra):
                spec += [0, e]
            x = _pad(x, spec)
        padding = tuple(pad)
    out = convolution(x, weight, bias, stride_t, _ntuple(padding, nd), dil, False, (0,) * nd, groups)
    return out.squeeze(0) if unbatched else out


def _conv_transpose(nd, name, input, weight, bias, stride, padding, output_padding, groups, dilation):
    if isinstance(padding, str):
        raise TypeError(f"{name}(): argument 'padding' must be tuple of ints, not str")
    unbatched = _batchify(input, nd, name)
    x = input.unsqueeze(0) if unbatched else input
    out = convolution(x, weight, bias, _ntuple(stride, nd), _ntuple(padding, nd), _ntuple(dilation, nd), True,
                      _ntuple(output_padding, nd), groups)
    return out.squeeze(0) if unbatched else out


def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    return _conv(1, "conv1d", input, weight, bias, stride, padding, dilation, groups)


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    return _conv(2, "conv2d", input, weight, bias, stride, padding, dilation, groups)


def conv3d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    return _conv(3, "conv3d", input, weight, bias, stride, padding, dilation, groups)


def conv_transpose1d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    return _conv_transpose(1, "conv_transpose1d", input, weight, bias, stride, padding, output_padding, groups,
                           dilation)


def conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    return _conv_transpose(2, "conv_transpose2d", input, weight, bias, stride, padding, output_padding, groups,
                           dilation)


def conv_transpose3d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    return _conv_transpose(3, "conv_transpose3d", input, weight, bias, stride, padding, output_padding, groups,
                           dilation)


# ============================================================================ unfold / fold (im2col / col2im)

def _pair(v, name):
    if isinstance(v, (int, np.integer)):
        return (int(v),) * 2
    v = tuple(v)
    if len(v) == 1:
        return v * 2
    return v


class Im2Col(Op):
    """``F.unfold``: (N, C, H, W) -> (N, C*kh*kw, L) sliding blocks."""

    node_name = "Im2ColBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, k, dilation, padding, stride):
        x = a._data
        unbatched = x.ndim == 3
        if unbatched:
            x = x[None]
        ctx.sp = x.shape[2:]
        col = _im2col(x, k, stride, padding, dilation)  # (N, C, kh, kw, oh, ow)
        N, C = x.shape[:2]
        res = col.reshape(N, C * k[0] * k[1], -1)
        return res[0] if unbatched else res

    @staticmethod
    def backward(ctx, g):
        k, dilation, padding, stride = ctx.inputs[1:]
        return fold(g, ctx.sp, k, dilation, padding, stride)


class Col2Im(Op):
    """``F.fold``: (N, C*kh*kw, L) blocks summed into (N, C, H, W)."""

    node_name = "Col2ImBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, output_size, k, dilation, padding, stride):
        g = a._data
        unbatched = g.ndim == 2
        if unbatched:
            g = g[None]
        N = g.shape[0]
        C = g.shape[1] // (k[0] * k[1])
        out = _out_size(output_size, k, stride, padding, dilation)
        col = np.ascontiguousarray(g).reshape((N, C) + tuple(k) + out)
        res = _col2im(col, tuple(output_size), k, stride, padding, dilation)
        return res[0] if unbatched else res

    @staticmethod
    def backward(ctx, g):
        output_size, k, dilation, padding, stride = ctx.inputs[1:]
        return unfold(g, k, dilation, padding, stride)


def _fold_args(kernel_size, dilation, padding, stride):
    return (_pair(kernel_size, "kernel_size"), _pair(dilation, "dilation"), _pair(padding, "padding"),
            _pair(stride, "stride"))


def unfold(input, kernel_size, dilation=1, padding=0, stride=1):
    """``F.unfold``: extract sliding local blocks (im2col) of a 4-D (or unbatched 3-D) input."""
    k, d, p, s = _fold_args(kernel_size, dilation, padding, stride)
    x = input._data
    if x.ndim < 3:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-x.ndim}, {x.ndim - 1}], but got 2)")
    if x.ndim not in (3, 4) or (x.ndim == 4 and x.shape[0] == 0) or any(v == 0 for v in x.shape[-3:]):
        raise RuntimeError(f"Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but "
                           f"got:{list(x.shape)}")
    if any(v <= 0 for v in k):
        raise RuntimeError(f"kernel size should be greater than zero, but got kernel_height: {k[0]} kernel_width: "
                           f"{k[1]}")
    if any(v <= 0 for v in s):
        raise RuntimeError(f"stride should be greater than zero, but got stride_height: {s[0]} stride_width: {s[1]}")
    if any(v <= 0 for v in d):
        raise RuntimeError(f"dilation should be greater than zero, but got dilation_height: {d[0]} dilation_width: "
                           f"{d[1]}")
    if any(v < 0 for v in p):
        raise RuntimeError(f"padding should be non-negative, but got pad_height: {p[0]} pad_width: {p[1]}")
    sp = x.shape[-2:]
    out = _out_size(sp, k, s, p, d)
    if any(o < 1 for o in out):
        raise RuntimeError(f"Given input with spatial size ({sp[0]}, {sp[1]}), kernel_size=({k[0]}, {k[1]}), "
                           f"dilation=({d[0]}, {d[1]}), padding=({p[0]}, {p[1]}), calculated shape of the array of "
                           f"sliding blocks as ({out[0]}, {out[1]}), but its components must be at least one.")
    return Im2Col.apply(input, k, d, p, s)


def fold(input, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """``F.fold``: sum sliding local blocks back into a 4-D (or unbatched 3-D) tensor (col2im)."""
    k, d, p, s = _fold_args(kernel_size, dilation, padding, stride)
    osz = _pair(output_size, "output_size")
    x = input._data
    if x.ndim not in (2, 3) or (x.ndim == 3 and x.shape[0] == 0) or any(v == 0 for v in x.shape[-2:]):
        raise RuntimeError(f"Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for input, but "
                           f"got:{list(x.shape)}")
    kk = k[0] * k[1]
    if x.shape[-2] % kk:
        raise RuntimeError(f"Expected size of input's dimension 1 to be divisible by the product of kernel_size, "
                           f"but got input.size(1)={x.shape[-2]} and kernel_size=({k[0]}, {k[1]}).")
    out = _out_size(osz, k, s, p, d)
    if out[0] * out[1] != x.shape[-1]:
        raise RuntimeError(f"Given output_size=({osz[0]}, {osz[1]}), kernel_size=({k[0]}, {k[1]}), dilation=({d[0]}, "
                           f"{d[1]}), padding=({p[0]}, {p[1]}), stride=({s[0]}, {s[1]}), expected size of input's "
                           f"dimension 2 to match the calculated number of sliding blocks {out[0]} * {out[1]} = "
                           f"{out[0] * out[1]}, but got input.size(2)={x.shape[-1]}.")
    return Col2Im.apply(input, osz, k, d, p, s)

