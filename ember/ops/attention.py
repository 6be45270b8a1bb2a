"""``scaled_dot_product_attention`` (one op, forward beside backward) and the pieces of
``multi_head_attention_forward`` (PyTorch's ``torch/nn/functional.py``).

NOTE [ sdpa ]: the math follows PyTorch's reference: scores = (q * sqrt(scale)) @ (k * sqrt(scale))^T plus
the additive bias (a bool mask gives 0 / -inf, ``is_causal`` the upper-left lower triangle), then a "safe"
softmax (rows that are -inf everywhere give all-zero weights, as PyTorch's CPU kernels do), dropout drawn
exactly as ``torch.dropout`` draws it on the weights, then weights @ v. The whole thing is one node: the
composition from ember ops would be about ten nodes with a (…, L, S) temporary each. Under
``create_graph`` the backward re-runs that composition and differentiates it, so higher derivatives work.
"""
import math
import warnings

import numpy as np

from ..autograd.function import _NOCTX
from ..autograd.grad_mode import _state as _grad_state
from ._util import _wrap, is_tensor
from .dropout import _noise
from .elementwise import _C_NAMES, Op, _type_name, broadcast_shapes_or_raise


def _sum_to(a, shape):
    """Sum a broadcast NumPy grad back to ``shape``."""
    if a.shape == tuple(shape):
        return a
    lead = a.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(i + lead for i, s in enumerate(shape) if s == 1 and a.shape[i + lead] != 1)
    return a.sum(axes, keepdims=True).reshape(shape)


def _group_sum(a, heads):
    """Undo a repeat_interleave of dim -3 (GQA): sum each group of repeated heads."""
    if a.shape[-3] == heads:
        return a
    rep = a.shape[-3] // heads
    return a.reshape(a.shape[:-3] + (heads, rep) + a.shape[-2:]).sum(-3)


def _safe_softmax(s):
    m = s.max(-1, keepdims=True, initial=-np.inf)
    m[~np.isfinite(m)] = 0  # an all -inf row: exp(-inf) = 0 everywhere, weights 0 (not NaN)
    e = np.exp(s - m)
    tot = e.sum(-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = e / tot
    p[np.broadcast_to(tot == 0, p.shape)] = 0
    return p


class ScaledDotProductAttention(Op):
    node_name = "ScaledDotProductFlashAttentionForCpuBackward0"

    @staticmethod
    def forward(ctx, q, k, v, mask, *, is_causal, scale, p, gqa):
        qa, ka, va = q._data, k._data, v._data
        kr, vr = ka, va
        if gqa:
            kr = np.repeat(ka, qa.shape[-3] // ka.shape[-3], axis=-3)
            vr = np.repeat(va, qa.shape[-3] // va.shape[-3], axis=-3)
        root = math.sqrt(scale)
        s = (qa * qa.dtype.type(root)) @ np.swapaxes(kr * kr.dtype.type(root), -1, -2)
        L, S = s.shape[-2:]
        if is_causal:
            s = np.where(np.tri(L, S, dtype=bool), s, -np.inf).astype(s.dtype, copy=False)
        if mask is not None:
            m = mask._data
            s = np.where(m, s, -np.inf).astype(s.dtype, copy=False) if m.dtype == np.bool_ else s + m
        w = _safe_softmax(s)
        noise = None
        if p > 0:
            noise = _noise(_wrap(w), p, False)._data / w.dtype.type(1 - p) if p < 1 else np.zeros_like(w)
            wd = w * noise
        else:
            wd = w
        out = wd @ vr
        if ctx is not _NOCTX:  # the no-grad call shares one dummy ctx: keep nothing on it
            ctx.args = (kr, vr, w, noise, scale, is_causal, p, gqa)
        return out

    @staticmethod
    def backward(ctx, g):
        kr, vr, w, noise, scale, is_causal, p, gqa = ctx.args
        q, k, v, mask = ctx.inputs
        needs = ctx.needs_input_grad
        if _grad_state.enabled:  # create_graph: differentiate the composition (NOTE [ sdpa ])
            from ..autograd import grad as _grad
            ins = [t for t, n in zip((q, k, v, mask), needs) if n]
            out = _sdpa_composite(q, k, v, mask, is_causal, scale, None if noise is None else _wrap(noise), gqa)
            gs = iter(_grad(out, ins, g, create_graph=True, allow_unused=True))
            return tuple(next(gs) if n else None for n in needs)
        ga = g._data
        wd = w if noise is None else w * noise
        dq = dk = dv = dm = None
        if needs[2]:
            dvr = _sum_to(np.swapaxes(wd, -1, -2) @ ga, vr.shape)
            dv = _wrap(_group_sum(dvr, v._data.shape[-3]) if gqa else dvr)
        if needs[0] or needs[1] or needs[3]:
            dw = ga @ np.swapaxes(vr, -1, -2)
            if noise is not None:
                dw = dw * noise
            ds = w * (dw - (dw * w).sum(-1, keepdims=True))
            if needs[3]:
                dm = _wrap(_sum_to(ds, mask._data.shape))
            sc = ds.dtype.type(scale)
            if needs[0]:
                dq = _wrap(_sum_to((ds @ kr) * sc, q._data.shape))
            if needs[1]:
                dkr = _sum_to((np.swapaxes(ds, -1, -2) @ q._data) * sc, kr.shape)
                dk = _wrap(_group_sum(dkr, k._data.shape[-3]) if gqa else dkr)
        return dq, dk, dv, dm


def _sdpa_composite(q, k, v, mask, is_causal, scale, noise, gqa):
    """The same attention from differentiable ember ops (``noise``: the scaled dropout mask, or None)."""
    from .creation import ones
    if gqa:
        k = k.repeat_interleave(q.size(-3) // k.size(-3), -3)
        v = v.repeat_interleave(q.size(-3) // v.size(-3), -3)
    root = math.sqrt(scale)
    s = (q * root) @ (k * root).transpose(-2, -1)
    L, S = s.shape[-2:]
    if is_causal:
        s = s.masked_fill(ones((L, S), dtype=_bool_dtype()).tril().logical_not(), float("-inf"))
    if mask is not None:
        s = s.masked_fill(mask.logical_not(), float("-inf")) if mask.dtype == _bool_dtype() else s + mask
    finite_row = (s > float("-inf")).any(-1, keepdim=True)
    w = s.masked_fill(finite_row.logical_not(), 0.0).softmax(-1).masked_fill(finite_row.logical_not(), 0.0)
    if noise is not None:
        w = w * noise
    return w @ v


def _check_sdpa(q, k, v, attn_mask, is_causal, enable_gqa):
    if q.dim() < 2 or k.dim() < 2 or v.dim() < 2:
        raise RuntimeError(f"Expected query, key, and value to all be  at least 2 dimensional, but got query.dim: "
                           f"{q.dim()} key.dim: {k.dim()} and value.dim: {v.dim()} instead.")
    qd, kd, vd = q._data.dtype, k._data.dtype, v._data.dtype
    if not (qd == kd == vd):
        raise RuntimeError(f"Expected query, key, and value to have the same dtype, but got query.dtype: "
                           f"{_C_NAMES[str(qd)]} key.dtype: {_C_NAMES[str(kd)]} and value.dtype: "
                           f"{_C_NAMES[str(vd)]} instead.")
    if qd.kind != "f":
        raise RuntimeError(f"expected scalar type Float but found {_type_name(qd)}")
    if attn_mask is not None:
        if is_causal:
            raise RuntimeError("_scaled_dot_product_attention: Explicit attn_mask should not be set when "
                               "is_causal=True")
        md = attn_mask._data.dtype
        if md != np.bool_ and md != qd:
            raise RuntimeError(f"Expected attn_mask dtype to be bool or float or to match query dtype, but got "
                               f"attn_mask.dtype: {_C_NAMES[str(md)]} and  query.dtype: {_C_NAMES[str(qd)]} "
                               f"instead.")
    qs, ks, vs = tuple(q.shape), tuple(k.shape), tuple(v.shape)
    if enable_gqa:
        if q.dim() < 3:
            raise IndexError(f"Dimension out of range (expected to be in range of [-{q.dim()}, {q.dim() - 1}], "
                             f"but got -3)")
        if qs[-3] % ks[-3] or qs[-3] % vs[-3]:
            raise RuntimeError("Number of heads in key and value must divide the number of heads in ")
        ks = ks[:-3] + (qs[-3],) + ks[-2:]
        vs = vs[:-3] + (qs[-3],) + vs[-2:]
    batch = broadcast_shapes_or_raise(qs[:-2], ks[:-2])
    nb = int(np.prod(batch))
    if qs[-1] != ks[-1]:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: [{nb}, {qs[-1]}] but "
                           f"got: [{nb}, {ks[-1]}].")
    scores = batch + (qs[-2], ks[-2])
    if attn_mask is not None:
        full = broadcast_shapes_or_raise(scores, tuple(attn_mask.shape))
        if full != scores:
            raise RuntimeError(f"output with shape {list(scores)} doesn't match the broadcast shape {list(full)}")
    batch = broadcast_shapes_or_raise(batch, vs[:-2])
    if vs[-2] != ks[-2]:
        nb = int(np.prod(batch))
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: [{nb}, {ks[-2]}] but "
                           f"got: [{nb}, {vs[-2]}].")


def scaled_dot_product_attention(query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False, *, scale=None,
                                 enable_gqa=False):
    """softmax(q @ k^T * scale + mask) @ v, with optional dropout on the weights (NOTE [ sdpa ])."""
    for name, t in (("query", query), ("key", key), ("value", value)):
        if not is_tensor(t):
            raise TypeError(f"scaled_dot_product_attention(): argument '{name}' must be Tensor, not "
                            f"{type(t).__name__}")
    if attn_mask is not None and not is_tensor(attn_mask):
        raise TypeError(f"scaled_dot_product_attention(): argument 'attn_mask' (position 4) must be Tensor, not "
                        f"{type(attn_mask).__name__}")
    _check_sdpa(query, key, value, attn_mask, is_causal, enable_gqa)
    if dropout_p > 1:
        raise RuntimeError(f"dropout probability has to be between 0 and 1, but got {dropout_p}")
    gqa = bool(enable_gqa) and (key.size(-3) != query.size(-3) or value.size(-3) != query.size(-3))
    scale = 1 / math.sqrt(query.size(-1)) if scale is None else float(scale)
    return ScaledDotProductAttention.apply(query, key, value, attn_mask, is_causal=bool(is_causal), scale=scale,
                                           p=max(float(dropout_p), 0.0), gqa=gqa)


# ============================================================================ multi_head_attention_forward pieces

def _none_or_dtype(input):
    if input is None:
        return None
    if is_tensor(input):
        return input.dtype
    raise RuntimeError("input to _none_or_dtype() must be None or torch.Tensor")


def _canonical_mask(mask, mask_name, other_type, other_name, target_type, check_other=True):
    """A bool mask as a float one (True -> -inf); float masks pass through. Warns on mismatched mask types."""
    if mask is None:
        return None
    is_float = mask.is_floating_point()
    if mask.dtype != _bool_dtype() and not is_float:
        raise AssertionError(f"only bool and floating types of {mask_name} are supported")
    if check_other and other_type is not None and mask.dtype != other_type:
        warnings.warn(f"Support for mismatched {mask_name} and {other_name} is deprecated. Use same type for both "
                      "instead.", stacklevel=3)
    if not is_float:
        from .creation import zeros_like
        mask = zeros_like(mask, dtype=target_type).masked_fill_(mask, float("-inf"))
    return mask


def _bool_dtype():
    from .. import dtypes
    return dtypes.bool


def _mha_shape_check(query, key, value, key_padding_mask, attn_mask, num_heads):
    """Whether the inputs are batched; PyTorch's AssertionErrors for ranks that do not fit together."""
    if query.dim() == 3:
        if key.dim() != 3 or value.dim() != 3:
            raise AssertionError("For batched (3-D) `query`, expected `key` and `value` to be 3-D but found "
                                 f"{key.dim()}-D and {value.dim()}-D tensors respectively")
        if key_padding_mask is not None and key_padding_mask.dim() != 2:
            raise AssertionError("For batched (3-D) `query`, expected `key_padding_mask` to be `None` or 2-D but "
                                 f"found {key_padding_mask.dim()}-D tensor instead")
        if attn_mask is not None and attn_mask.dim() not in (2, 3):
            raise AssertionError("For batched (3-D) `query`, expected `attn_mask` to be `None`, 2-D or 3-D but "
                                 f"found {attn_mask.dim()}-D tensor instead")
        return True
    if query.dim() == 2:
        if key.dim() != 2 or value.dim() != 2:
            raise AssertionError("For unbatched (2-D) `query`, expected `key` and `value` to be 2-D but found "
                                 f"{key.dim()}-D and {value.dim()}-D tensors respectively")
        if key_padding_mask is not None and key_padding_mask.dim() != 1:
            raise AssertionError("For unbatched (2-D) `query`, expected `key_padding_mask` to be `None` or 1-D but "
                                 f"found {key_padding_mask.dim()}-D tensor instead")
        if attn_mask is not None:
            if attn_mask.dim() not in (2, 3):
                raise AssertionError("For unbatched (2-D) `query`, expected `attn_mask` to be `None`, 2-D or 3-D "
                                     f"but found {attn_mask.dim()}-D tensor instead")
            if attn_mask.dim() == 3:
                expected = (num_heads, query.shape[0], key.shape[0])
                if tuple(attn_mask.shape) != expected:
                    raise AssertionError(f"Expected `attn_mask` shape to be {expected} but got {attn_mask.shape}")
        return False
    raise AssertionError(f"query should be unbatched 2D or batched 3D tensor but received {query.dim()}-D query "
                         "tensor")


def _in_projection_packed(q, k, v, w, b=None):
    """q, k, v projected by the row blocks of one packed (3E, E) weight (one matmul when q is k is v)."""
    from ..nn._functional_linear import linear
    E = q.size(-1)
    if k is v:
        if q is k:
            proj = linear(q, w, b).unflatten(-1, (3, E))
            return proj[..., 0, :], proj[..., 1, :], proj[..., 2, :]
        w_q, w_kv = w.split([E, E * 2])
        b_q, b_kv = (None, None) if b is None else b.split([E, E * 2])
        kv = linear(k, w_kv, b_kv).unflatten(-1, (2, E))
        return linear(q, w_q, b_q), kv[..., 0, :], kv[..., 1, :]
    w_q, w_k, w_v = w.chunk(3)
    b_q, b_k, b_v = (None, None, None) if b is None else b.chunk(3)
    return linear(q, w_q, b_q), linear(k, w_k, b_k), linear(v, w_v, b_v)


def _in_projection(q, k, v, w_q, w_k, w_v, b_q=None, b_k=None, b_v=None):
    """q, k, v projected by separate weights (kdim/vdim may differ from the embedding dim)."""
    from ..nn._functional_linear import linear
    Eq, Ek, Ev = q.size(-1), k.size(-1), v.size(-1)
    for name, t, want in (("query weights", w_q, (Eq, Eq)), ("key weights", w_k, (Eq, Ek)),
                          ("value weights", w_v, (Eq, Ev)), ("query bias", b_q, (Eq,)), ("key bias", b_k, (Eq,)),
                          ("value bias", b_v, (Eq,))):
        if t is not None and tuple(t.shape) != want:
            raise AssertionError(f"expecting {name} shape of {want}, but got {t.shape}")
    return linear(q, w_q, b_q), linear(k, w_k, b_k), linear(v, w_v, b_v)


def multi_head_attention_forward(query, key, value, embed_dim_to_check, num_heads, in_proj_weight, in_proj_bias,
                                 bias_k, bias_v, add_zero_attn, dropout_p, out_proj_weight, out_proj_bias,
                                 training=True, key_padding_mask=None, need_weights=True, attn_mask=None,
                                 use_separate_proj_weight=False, q_proj_weight=None, k_proj_weight=None,
                                 v_proj_weight=None, static_k=None, static_v=None, average_attn_weights=True,
                                 is_causal=False):
    """Multi-head attention on sequence-first (L, N, E) inputs, or unbatched (L, E); returns (output, weights).

    With ``need_weights`` the weights are computed explicitly (baddbmm, softmax, dropout, bmm) and returned,
    averaged over heads unless ``average_attn_weights`` is False; otherwise the heads go through
    ``scaled_dot_product_attention``. Masks: bool True / float -inf mean "do not attend".
    """
    from ..nn._functional_linear import linear
    from .creation import zeros
    from .dropout import dropout
    from .join import cat
    from .spatial import pad
    is_batched = _mha_shape_check(query, key, value, key_padding_mask, attn_mask, num_heads)
    if not is_batched:
        query, key, value = query.unsqueeze(1), key.unsqueeze(1), value.unsqueeze(1)
        if key_padding_mask is not None:
            key_padding_mask = key_padding_mask.unsqueeze(0)
    tgt_len, bsz, embed_dim = query.shape
    src_len = key.shape[0]
    key_padding_mask = _canonical_mask(key_padding_mask, "key_padding_mask", _none_or_dtype(attn_mask), "attn_mask",
                                       query.dtype)
    if is_causal and attn_mask is None:
        raise RuntimeError("Need attn_mask if specifying the is_causal hint. You may use the Transformer module "
                           "method `generate_square_subsequent_mask` to create this mask.")
    if is_causal and key_padding_mask is None and not need_weights:
        attn_mask = None  # sdpa applies the causal mask itself
    else:
        attn_mask = _canonical_mask(attn_mask, "attn_mask", None, "", query.dtype, check_other=False)
        if key_padding_mask is not None:
            is_causal = False  # merged with the padding mask, the mask is no longer causal
    if embed_dim != embed_dim_to_check:
        raise AssertionError(f"was expecting embedding dimension of {embed_dim_to_check}, but got {embed_dim}")
    head_dim = embed_dim // num_heads
    if head_dim * num_heads != embed_dim:
        raise AssertionError(f"embed_dim {embed_dim} not divisible by num_heads {num_heads}")
    if use_separate_proj_weight:
        if key.shape[:2] != value.shape[:2]:
            raise AssertionError(f"key's sequence and batch dims {key.shape[:2]} do not match value's "
                                 f"{value.shape[:2]}")
    elif key.shape != value.shape:
        raise AssertionError(f"key shape {key.shape} does not match value shape {value.shape}")

    if not use_separate_proj_weight:
        if in_proj_weight is None:
            raise AssertionError("use_separate_proj_weight is False but in_proj_weight is None")
        q, k, v = _in_projection_packed(query, key, value, in_proj_weight, in_proj_bias)
    else:
        for name, w in (("q", q_proj_weight), ("k", k_proj_weight), ("v", v_proj_weight)):
            if w is None:
                raise AssertionError(f"use_separate_proj_weight is True but {name}_proj_weight is None")
        b_q, b_k, b_v = (None, None, None) if in_proj_bias is None else in_proj_bias.chunk(3)
        q, k, v = _in_projection(query, key, value, q_proj_weight, k_proj_weight, v_proj_weight, b_q, b_k, b_v)

    if attn_mask is not None:
        if attn_mask.dim() == 2:
            if tuple(attn_mask.shape) != (tgt_len, src_len):
                raise RuntimeError(f"The shape of the 2D attn_mask is {attn_mask.shape}, but should be "
                                   f"{(tgt_len, src_len)}.")
            attn_mask = attn_mask.unsqueeze(0)
        elif attn_mask.dim() == 3:
            if tuple(attn_mask.shape) != (bsz * num_heads, tgt_len, src_len):
                raise RuntimeError(f"The shape of the 3D attn_mask is {attn_mask.shape}, but should be "
                                   f"{(bsz * num_heads, tgt_len, src_len)}.")
        else:
            raise RuntimeError(f"attn_mask's dimension {attn_mask.dim()} is not supported")

    if bias_k is not None and bias_v is not None:
        if static_k is not None:
            raise AssertionError("bias cannot be added to static key.")
        if static_v is not None:
            raise AssertionError("bias cannot be added to static value.")
        k = cat([k, bias_k.repeat(1, bsz, 1)])
        v = cat([v, bias_v.repeat(1, bsz, 1)])
        if attn_mask is not None:
            attn_mask = pad(attn_mask, (0, 1))
        if key_padding_mask is not None:
            key_padding_mask = pad(key_padding_mask, (0, 1))
    elif bias_k is not None:
        raise AssertionError("bias_k is set but bias_v is None")
    elif bias_v is not None:
        raise AssertionError("bias_v is set but bias_k is None")

    # heads into the batch dim: (N * H, L, head_dim)
    q = q.reshape(tgt_len, bsz * num_heads, head_dim).transpose(0, 1)
    k = _static_or_heads(k, static_k, "static_k", bsz * num_heads, head_dim)
    v = _static_or_heads(v, static_v, "static_v", bsz * num_heads, head_dim)

    if add_zero_attn:
        zero_shape = (bsz * num_heads, 1, head_dim)
        k = cat([k, zeros(zero_shape, dtype=k.dtype)], dim=1)
        v = cat([v, zeros(zero_shape, dtype=v.dtype)], dim=1)
        if attn_mask is not None:
            attn_mask = pad(attn_mask, (0, 1))
        if key_padding_mask is not None:
            key_padding_mask = pad(key_padding_mask, (0, 1))
    src_len = k.size(1)

    if key_padding_mask is not None:
        if key_padding_mask.shape[0] != bsz:
            raise AssertionError(f"Expected key_padded_mask.shape[0] to be {bsz}, but got "
                                 f"{key_padding_mask.shape[0]}")
        if key_padding_mask.shape[1] != src_len:
            raise AssertionError(f"Expected key_padded_mask.shape[1] to be {src_len}, but got "
                                 f"{key_padding_mask.shape[1]}")
        key_padding_mask = (key_padding_mask.view(bsz, 1, 1, src_len).expand(-1, num_heads, -1, -1)
                            .reshape(bsz * num_heads, 1, src_len))
        attn_mask = key_padding_mask if attn_mask is None else attn_mask + key_padding_mask

    if not training:
        dropout_p = 0.0

    if need_weights:
        E = q.shape[-1]
        q_scaled = q * math.sqrt(1.0 / float(E))
        if is_causal and attn_mask is None:
            raise AssertionError("FIXME: is_causal not implemented for need_weights")
        if attn_mask is not None:
            weights = attn_mask.baddbmm(q_scaled, k.transpose(-2, -1))
        else:
            weights = q_scaled.bmm(k.transpose(-2, -1))
        weights = weights.softmax(-1)
        if dropout_p > 0.0:
            weights = dropout(weights, dropout_p, True)
        out = weights.bmm(v).transpose(0, 1).reshape(tgt_len * bsz, embed_dim)
        out = linear(out, out_proj_weight, out_proj_bias)
        out = out.view(tgt_len, bsz, out.size(1))
        weights = weights.view(bsz, num_heads, tgt_len, src_len)
        if average_attn_weights:
            weights = weights.mean(dim=1)
        if not is_batched:
            out, weights = out.squeeze(1), weights.squeeze(0)
        return out, weights

    if attn_mask is not None:
        if attn_mask.size(0) == 1 and attn_mask.dim() == 3:
            attn_mask = attn_mask.unsqueeze(0)
        else:
            attn_mask = attn_mask.view(bsz, num_heads, -1, src_len)
    q = q.reshape(bsz, num_heads, tgt_len, head_dim)
    k = k.reshape(bsz, num_heads, src_len, head_dim)
    v = v.reshape(bsz, num_heads, src_len, head_dim)
    out = scaled_dot_product_attention(q, k, v, attn_mask, dropout_p, is_causal)
    out = out.permute(2, 0, 1, 3).reshape(bsz * tgt_len, embed_dim)
    out = linear(out, out_proj_weight, out_proj_bias)
    out = out.view(tgt_len, bsz, out.size(1))
    if not is_batched:
        out = out.squeeze(1)
    return out, None


def _static_or_heads(t, static, name, bh, head_dim):
    """Keys/values as (N * H, S, head_dim): the projection split into heads, or the given static tensor."""
    if static is None:
        return t.reshape(t.shape[0], bh, head_dim).transpose(0, 1)
    if static.size(0) != bh:
        raise AssertionError(f"expecting {name}.size(0) of {bh}, but got {static.size(0)}")
    if static.size(2) != head_dim:
        raise AssertionError(f"expecting {name}.size(2) of {head_dim}, but got {static.size(2)}")
    return static
