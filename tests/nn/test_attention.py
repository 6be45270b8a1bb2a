"""scaled_dot_product_attention, multi_head_attention_forward and MultiheadAttention vs torch: outputs, input and
parameter grads, masks of every kind, dropout under the same seed, reprs/state_dicts/init, errors and warnings."""
import warnings

import numpy as np
import pytest
import torch

import ember
from conftest import check, check_gradcheck, same, same_error
from layer_check import layer_check

pytestmark = pytest.mark.filterwarnings("ignore:Support for mismatched")
RNG = np.random.default_rng(0)


@pytest.fixture(autouse=True, scope="module")
def _torch_one_thread():
    # the oracle's tiny ops are several times slower with intra-op threads on a busy machine
    old = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(old)


def _r(*shape, seed=None):
    rng = RNG if seed is None else np.random.default_rng(seed)
    return rng.standard_normal(shape).astype(np.float32)


def _sdpa(**kw):
    return lambda lib, q, k, v, *m: lib.nn.functional.scaled_dot_product_attention(q, k, v, *m, **kw)


# ============================================================================ scaled_dot_product_attention

_BOOL = RNG.random((3, 5)) > 0.4
_BOOL[1] = False  # a row that attends to nothing: all-zero weights (PyTorch's CPU kernels), not NaN
SDPA_CASES = {
    "plain": ((2, 4, 3, 8), (2, 4, 5, 8), (2, 4, 5, 6), None, {}),
    "scale": ((2, 2, 3, 8), (2, 2, 5, 8), (2, 2, 5, 6), None, {"scale": 0.3}),
    "causal": ((1, 2, 3, 4), (1, 2, 5, 4), (1, 2, 5, 3), None, {"is_causal": True}),
    "causal_tall": ((1, 2, 5, 4), (1, 2, 3, 4), (1, 2, 3, 3), None, {"is_causal": True}),
    "bool2d": ((2, 2, 3, 4), (2, 2, 5, 4), (2, 2, 5, 4), _BOOL, {}),
    "bool_bcast": ((2, 2, 3, 4), (2, 2, 5, 4), (2, 2, 5, 4), RNG.random((2, 1, 1, 5)) > 0.3, {}),
    "float": ((2, 2, 3, 4), (2, 2, 5, 4), (2, 2, 5, 4), _r(3, 5), {}),
    "float_bcast": ((2, 2, 3, 4), (2, 2, 5, 4), (2, 2, 5, 4), _r(2, 1, 3, 5), {}),
    "float_neginf_row": ((1, 2, 3, 4), (1, 2, 5, 4), (1, 2, 5, 4), np.where(_BOOL, 0, -np.inf).astype(np.float32),
                         {}),
    # a 1-D mask broadcasts (torch's 4-D CPU flash kernel alone refuses one: a kernel quirk ember does not copy)
    "bool1d": ((2, 3, 4), (2, 5, 4), (2, 5, 4), RNG.random(5) > 0.3, {}),
    "batch_bcast": ((4, 3, 8), (2, 4, 5, 8), (1, 5, 6), None, {}),
    "head_bcast": ((2, 4, 3, 8), (2, 1, 5, 8), (2, 1, 5, 6), None, {}),
    "gqa": ((2, 4, 3, 8), (2, 2, 5, 8), (2, 1, 5, 6), None, {"enable_gqa": True}),
    "gqa_3d": ((4, 3, 8), (2, 5, 8), (2, 5, 6), None, {"enable_gqa": True}),
    "gqa_same_heads": ((2, 2, 3, 8), (2, 2, 5, 8), (2, 2, 5, 6), None, {"enable_gqa": True}),
    "2d": ((3, 8), (5, 8), (5, 6), None, {}),
    "empty_q": ((2, 2, 0, 4), (2, 2, 5, 4), (2, 2, 5, 3), None, {}),
}


@pytest.mark.parametrize("case", list(SDPA_CASES))
def test_sdpa_matches_torch(case):
    qs, ks, vs, mask, kw = SDPA_CASES[case]
    arrays = [_r(*qs), _r(*ks), _r(*vs)] + ([] if mask is None else [mask])
    check(_sdpa(**kw), *arrays, atol=1e-5, check_grad_fn=False)


def test_sdpa_empty_keys_gives_zeros():
    check(_sdpa(), _r(2, 2, 3, 4), _r(2, 2, 0, 4), _r(2, 2, 0, 3), check_grad_fn=False)


@pytest.mark.parametrize("p", [0.4, 1.0])
def test_sdpa_dropout_same_seed_same_mask(p):
    # ember's generator and dropout draws are PyTorch's: the same seed drops the same weights
    def f(lib, q, k, v):
        lib.manual_seed(3)
        return lib.nn.functional.scaled_dot_product_attention(q, k, v, dropout_p=p)
    check(f, _r(2, 2, 3, 4), _r(2, 2, 5, 4), _r(2, 2, 5, 4), check_grad_fn=False)


def test_sdpa_no_grad_and_float64():
    q, k, v = _r(2, 3, 4), _r(2, 5, 4), _r(2, 5, 2)
    same(lambda lib: lib.nn.functional.scaled_dot_product_attention(
        *(lib.from_numpy(a.astype(np.float64)) for a in (q, k, v)), is_causal=True), atol=1e-12)


@pytest.mark.parametrize("kw,mask", [({}, None), ({"is_causal": True, "scale": 0.7}, None),
                                     ({"enable_gqa": True}, "float"), ({}, "bool")])
def test_sdpa_gradcheck(kw, mask):
    rng = np.random.default_rng(1)
    q, k, v = rng.standard_normal((2, 2, 3, 4)), rng.standard_normal((2, 1, 4, 4)), rng.standard_normal((2, 1, 4, 3))
    F = ember.nn.functional
    if mask == "float":
        check_gradcheck(lambda q, k, v, m: F.scaled_dot_product_attention(q, k, v, m, **kw), q, k, v,
                        rng.standard_normal((3, 4)))
    elif mask == "bool":
        m = ember.from_numpy(rng.random((2, 1, 3, 4)) > 0.3)
        check_gradcheck(lambda q, k, v: F.scaled_dot_product_attention(q, k, v, m, **kw), q, k, v)
    else:
        check_gradcheck(lambda q, k, v: F.scaled_dot_product_attention(q, k, v, **kw), q, k, v)


def test_sdpa_gradgradcheck():
    rng = np.random.default_rng(2)
    ts = [ember.from_numpy(rng.standard_normal(s)).requires_grad_() for s in ((2, 2), (3, 2), (3, 2))]
    m = ember.from_numpy(rng.standard_normal((2, 3))).requires_grad_()
    assert ember.autograd.gradgradcheck(
        lambda q, k, v, m: ember.nn.functional.scaled_dot_product_attention(q, k, v, m), (*ts, m))


SDPA_ERRORS = {
    "mask_and_causal": lambda lib: lib.nn.functional.scaled_dot_product_attention(
        lib.ones(2, 3, 4), lib.ones(2, 5, 4), lib.ones(2, 5, 4), lib.ones(3, 5, dtype=lib.bool), is_causal=True),
    "dtypes": lambda lib: lib.nn.functional.scaled_dot_product_attention(
        lib.ones(2, 3, 4), lib.ones(2, 5, 4, dtype=lib.float64), lib.ones(2, 5, 4)),
    "int_mask": lambda lib: lib.nn.functional.scaled_dot_product_attention(
        lib.ones(2, 3, 4), lib.ones(2, 5, 4), lib.ones(2, 5, 4), lib.ones(3, 5, dtype=lib.int64)),
    "f64_mask": lambda lib: lib.nn.functional.scaled_dot_product_attention(
        lib.ones(2, 3, 4), lib.ones(2, 5, 4), lib.ones(2, 5, 4), lib.ones(3, 5, dtype=lib.float64)),
    "mask_shape": lambda lib: lib.nn.functional.scaled_dot_product_attention(
        lib.ones(2, 3, 4), lib.ones(2, 5, 4), lib.ones(2, 5, 4), lib.ones(3, 4)),
    "mask_rank": lambda lib: lib.nn.functional.scaled_dot_product_attention(
        lib.ones(2, 3, 4), lib.ones(2, 5, 4), lib.ones(2, 5, 4), lib.ones(3, 2, 3, 5, dtype=lib.bool)),
    "embed": lambda lib: lib.nn.functional.scaled_dot_product_attention(
        lib.ones(2, 4, 3, 8), lib.ones(2, 4, 5, 7), lib.ones(2, 4, 5, 6)),
    "value_len": lambda lib: lib.nn.functional.scaled_dot_product_attention(
        lib.ones(2, 4, 3, 8), lib.ones(2, 4, 5, 8), lib.ones(2, 4, 4, 6)),
    "heads": lambda lib: lib.nn.functional.scaled_dot_product_attention(
        lib.ones(2, 4, 3, 8), lib.ones(2, 2, 5, 8), lib.ones(2, 2, 5, 8)),
    "gqa_divide": lambda lib: lib.nn.functional.scaled_dot_product_attention(
        lib.ones(2, 4, 3, 8), lib.ones(2, 3, 5, 8), lib.ones(2, 3, 5, 8), enable_gqa=True),
    "gqa_2d": lambda lib: lib.nn.functional.scaled_dot_product_attention(
        lib.ones(3, 8), lib.ones(5, 8), lib.ones(5, 8), enable_gqa=True),
    "1d": lambda lib: lib.nn.functional.scaled_dot_product_attention(lib.ones(8), lib.ones(8), lib.ones(8)),
    "p": lambda lib: lib.nn.functional.scaled_dot_product_attention(
        lib.ones(2, 3, 4), lib.ones(2, 5, 4), lib.ones(2, 5, 4), dropout_p=1.5),
    "scale_positional": lambda lib: lib.nn.functional.scaled_dot_product_attention(
        lib.ones(2, 3, 4), lib.ones(2, 5, 4), lib.ones(2, 5, 4), None, 0.0, False, 0.3),
    "mask_not_tensor": lambda lib: lib.nn.functional.scaled_dot_product_attention(
        lib.ones(2, 3, 4), lib.ones(2, 5, 4), lib.ones(2, 5, 4), 1.0),
}


@pytest.mark.parametrize("case", list(SDPA_ERRORS))
def test_sdpa_errors(case):
    same_error(SDPA_ERRORS[case])


# ============================================================================ MultiheadAttention

def _mha(**kw):
    return lambda lib: lib.nn.MultiheadAttention(8, 2, **kw)


def _fwd(**kw):
    def f(m, q, k, v, *masks):
        extra = dict(zip(MASK_NAMES[len(masks)], masks))
        out, w = m(q, k, v, **extra, **kw)
        return (out,) if w is None else (out, w)
    return f


MASK_NAMES = {0: (), 1: ("attn_mask",), 2: ("attn_mask", "key_padding_mask")}
_L, _S, _N = 4, 5, 2
_CAUSAL = np.triu(np.ones((_L, _S), dtype=bool), 1)
_KPM = np.zeros((_N, _S), dtype=bool)
_KPM[0, -2:] = True


def _qkv(batch_first=False, kdim=8, vdim=8, batched=True):
    def shape(length, d):
        if not batched:
            return (length, d)
        return (_N, length, d) if batch_first else (length, _N, d)
    return _r(*shape(_L, 8)), _r(*shape(_S, kdim)), _r(*shape(_S, vdim))


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("need_weights,average", [(True, True), (True, False), (False, True)])
@pytest.mark.parametrize("masks", ["none", "bool_attn", "float_attn", "3d_attn", "kpm", "both", "float_both"])
def test_mha_matches_torch(batch_first, need_weights, average, masks):
    q, k, v = _qkv(batch_first)
    ms = {"none": [], "bool_attn": [_CAUSAL], "float_attn": [_r(_L, _S)],
          "3d_attn": [RNG.random((_N * 2, _L, _S)) > 0.6],
          "kpm": [None, _KPM], "both": [_CAUSAL, _KPM],
          "float_both": [np.where(_CAUSAL, -np.inf, 0).astype(np.float32),
                         np.where(_KPM, -np.inf, 0).astype(np.float32)]}[masks]
    layer_check(_mha(batch_first=batch_first), q, k, v, *ms, grad_inputs=(0, 1, 2),
                forward=_fwd(need_weights=need_weights, average_attn_weights=average), atol=1e-5)


def test_mha_self_attention_identity_paths():
    # q is k is v (one packed projection) and k is v (encoder-decoder split) against torch
    x, mem = _r(_L, _N, 8), _r(_S, _N, 8)
    layer_check(_mha(), x, forward=lambda m, x: m(x, x, x)[0], atol=1e-5)
    layer_check(_mha(), x, mem, forward=lambda m, x, mem: m(x, mem, mem), atol=1e-5)
    layer_check(_mha(batch_first=True), x, forward=lambda m, x: m(x, x, x, need_weights=False)[0], atol=1e-5)


@pytest.mark.parametrize("kw", [dict(kdim=3, vdim=5), dict(bias=False), dict(add_bias_kv=True),
                                dict(add_zero_attn=True), dict(add_bias_kv=True, add_zero_attn=True, kdim=3),
                                dict(bias=False, add_bias_kv=True, vdim=6)])
@pytest.mark.parametrize("need_weights", [True, False])
def test_mha_options(kw, need_weights):
    q, k, v = _qkv(kdim=kw.get("kdim", 8), vdim=kw.get("vdim", 8))
    layer_check(_mha(**kw), q, k, v, _CAUSAL, _KPM, forward=_fwd(need_weights=need_weights),
                grad_inputs=(0, 1, 2), atol=1e-5)


@pytest.mark.parametrize("need_weights", [True, False])
@pytest.mark.parametrize("masks", [0, 1, 2])
def test_mha_unbatched(need_weights, masks):
    q, k, v = _qkv(batched=False)
    ms = [np.triu(np.ones((_L, _S), dtype=bool), 1), np.array([False, False, False, True, False])][:masks]
    layer_check(_mha(add_bias_kv=True), q, k, v, *ms, forward=_fwd(need_weights=need_weights),
                grad_inputs=(0, 1, 2), atol=1e-5)


def test_mha_unbatched_3d_mask():
    q, k, v = _qkv(batched=False)
    layer_check(_mha(), q, k, v, RNG.random((2, _L, _S)) > 0.6, forward=_fwd(average_attn_weights=False),
                grad_inputs=(0, 1, 2), atol=1e-5)


@pytest.mark.parametrize("need_weights", [True, False])
def test_mha_is_causal_hint(need_weights):
    q, k, v = _qkv()
    causal = np.triu(np.ones((_L, _S), dtype=bool), 1)
    layer_check(_mha(), q, k, v, causal, forward=_fwd(need_weights=need_weights, is_causal=True),
                grad_inputs=(0, 1, 2), atol=1e-5)


@pytest.mark.parametrize("need_weights", [True, False])
def test_mha_dropout_train_same_seed(need_weights):
    q, k, v = _qkv(batch_first=True)
    layer_check(_mha(dropout=0.3, batch_first=True), q, k, v, forward=_fwd(need_weights=need_weights),
                train=True, atol=1e-5)


@pytest.mark.parametrize("batch_first", [False, True])
def test_mha_eval_no_grad(batch_first):
    # in eval mode without grad torch may take its fused fast path; the values are the same
    q, k, v = _qkv(batch_first)
    x = q

    def run(lib):
        lib.manual_seed(0)
        m = lib.nn.MultiheadAttention(8, 2, dropout=0.5, batch_first=batch_first).eval()
        with lib.no_grad():
            t = lib.from_numpy(x)
            a = m(t, t, t, key_padding_mask=lib.from_numpy(_KPM[:, :_L].copy()))
            b = m(lib.from_numpy(q), lib.from_numpy(k), lib.from_numpy(v), need_weights=False)
        return a[0], a[1], b[0]
    same(run, atol=1e-6)


def test_mha_double_dtype():
    q, k, v = (a.astype(np.float64) for a in _qkv())
    layer_check(lambda lib: lib.nn.MultiheadAttention(8, 4, dtype=lib.float64, add_bias_kv=True), q, k, v,
                _CAUSAL, forward=_fwd())


def test_mha_functional_static_kv():
    arrs = dict(q=_r(_L, _N, 8), k=_r(_S, _N, 8), w=_r(24, 8), b=_r(24), ow=_r(8, 8), ob=_r(8),
                sk=_r(_N * 2, 6, 4), sv=_r(_N * 2, 6, 4), qw=_r(8, 8), kw=_r(8, 8), vw=_r(8, 8))
    names = list(arrs)

    def f(lib, *ts):
        t = dict(zip(names, ts))
        return lib.nn.functional.multi_head_attention_forward(
            t["q"], t["k"], t["k"], 8, 2, None, t["b"], None, None, True, 0.0, t["ow"], t["ob"],
            use_separate_proj_weight=True, q_proj_weight=t["qw"], k_proj_weight=t["kw"], v_proj_weight=t["vw"],
            static_k=t["sk"], static_v=t["sv"], average_attn_weights=False)
    check(f, *arrs.values(), atol=1e-5)


def test_mha_reprs_and_state_dicts():
    for kw in [{}, dict(kdim=3, vdim=5), dict(bias=False, add_bias_kv=True), dict(batch_first=True, dropout=0.1)]:
        layer_check(_mha(**kw))
    m = ember.nn.MultiheadAttention(8, 2, kdim=3)
    assert [n for n, _ in m.named_parameters()] == [
        n for n, _ in torch.nn.MultiheadAttention(8, 2, kdim=3).named_parameters()]


def test_mha_default_init_statistics():
    # xavier_uniform_ over (3E, E): bound sqrt(6 / (E + 3E)); biases zero; bias_k/v xavier_normal_
    ember.manual_seed(0)
    m = ember.nn.MultiheadAttention(64, 4, add_bias_kv=True)
    w = m.in_proj_weight.detach().numpy()
    bound = np.sqrt(6 / (64 + 192))
    assert np.abs(w).max() <= bound and np.abs(w).max() > 0.95 * bound
    assert abs(w.std() - bound / np.sqrt(3)) < 0.01
    assert not m.in_proj_bias.detach().numpy().any() and not m.out_proj.bias.detach().numpy().any()
    ob = 1 / np.sqrt(64)
    assert np.abs(m.out_proj.weight.detach().numpy()).max() <= ob


MHA_ERRORS = {
    "heads_divide": lambda lib: lib.nn.MultiheadAttention(6, 4),
    "nonpositive": lambda lib: lib.nn.MultiheadAttention(0, 2),
    "causal_no_mask": lambda lib: lib.nn.MultiheadAttention(4, 2)(
        lib.ones(3, 1, 4), lib.ones(3, 1, 4), lib.ones(3, 1, 4), is_causal=True),
    "int_mask": lambda lib: lib.nn.MultiheadAttention(4, 2)(
        lib.ones(3, 1, 4), lib.ones(3, 1, 4), lib.ones(3, 1, 4), attn_mask=lib.ones(3, 3, dtype=lib.int64)),
    "mask_2d_shape": lambda lib: lib.nn.MultiheadAttention(4, 2)(
        lib.ones(3, 1, 4), lib.ones(5, 1, 4), lib.ones(5, 1, 4), attn_mask=lib.ones(3, 4)),
    "mask_3d_shape": lambda lib: lib.nn.MultiheadAttention(4, 2)(
        lib.ones(3, 1, 4), lib.ones(5, 1, 4), lib.ones(5, 1, 4), attn_mask=lib.ones(1, 3, 5)),
    "mask_4d": lambda lib: lib.nn.MultiheadAttention(4, 2)(
        lib.ones(3, 1, 4), lib.ones(5, 1, 4), lib.ones(5, 1, 4), attn_mask=lib.ones(1, 1, 3, 5)),
    "kpm_rank": lambda lib: lib.nn.MultiheadAttention(4, 2)(
        lib.ones(3, 1, 4), lib.ones(5, 1, 4), lib.ones(5, 1, 4), key_padding_mask=lib.ones(5, dtype=lib.bool)),
    "kpm_shape": lambda lib: lib.nn.MultiheadAttention(4, 2)(
        lib.ones(3, 1, 4), lib.ones(5, 1, 4), lib.ones(5, 1, 4), key_padding_mask=lib.ones(1, 4, dtype=lib.bool)),
    "kv_rank": lambda lib: lib.nn.MultiheadAttention(4, 2)(lib.ones(3, 1, 4), lib.ones(5, 4), lib.ones(5, 4)),
    "q_rank": lambda lib: lib.nn.MultiheadAttention(4, 2)(lib.ones(4), lib.ones(4), lib.ones(4)),
    "unbatched_3d_mask": lambda lib: lib.nn.MultiheadAttention(4, 2)(
        lib.ones(3, 4), lib.ones(5, 4), lib.ones(5, 4), attn_mask=lib.ones(1, 3, 5)),
    "embed": lambda lib: lib.nn.MultiheadAttention(4, 2)(lib.ones(3, 1, 6), lib.ones(5, 1, 6), lib.ones(5, 1, 6)),
    "kv_shape": lambda lib: lib.nn.MultiheadAttention(4, 2)(lib.ones(3, 1, 4), lib.ones(5, 1, 4), lib.ones(4, 1, 4)),
    "kdim": lambda lib: lib.nn.MultiheadAttention(4, 2, kdim=3)(
        lib.ones(3, 1, 4), lib.ones(5, 1, 4), lib.ones(5, 1, 4)),
}


@pytest.mark.parametrize("case", list(MHA_ERRORS))
def test_mha_errors(case):
    same_error(MHA_ERRORS[case])


def test_mha_mismatched_mask_types_warn():
    msgs = {}
    for lib in (torch, ember):
        lib.manual_seed(0)
        m = lib.nn.MultiheadAttention(4, 2)
        x = lib.ones(3, 2, 4)
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            out = m(x, x, x, attn_mask=lib.zeros(3, 3), key_padding_mask=lib.zeros(2, 3, dtype=lib.bool))[0]
        msgs[lib] = ([str(x.message) for x in w], out.detach().numpy())
    assert msgs[ember][0] == msgs[torch][0] and msgs[torch][0]
    np.testing.assert_allclose(msgs[ember][1], msgs[torch][1], atol=1e-6)
