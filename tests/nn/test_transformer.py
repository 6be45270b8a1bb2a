"""Transformer, TransformerEncoder/Decoder and their layers vs torch: reprs, state_dict keys/order/shapes,
bit-identical default init (xavier for Transformer), outputs and every grad in train (dropout 0 and dropout
under the same seed) and eval mode, masks, causal detection, errors and warnings."""
import warnings

import numpy as np
import pytest
import torch

import ember
from conftest import same, same_error
from layer_check import layer_check

pytestmark = [pytest.mark.filterwarnings("ignore:Support for mismatched"),
              pytest.mark.filterwarnings("ignore:The PyTorch API of nested tensors")]
RNG = np.random.default_rng(0)


@pytest.fixture(autouse=True, scope="module")
def _torch_one_thread():
    # the oracle's tiny ops are several times slower with intra-op threads on a busy machine
    old = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(old)
D, H, FF = 8, 2, 12
S, T, N = 5, 4, 2


def _r(*shape):
    return RNG.standard_normal(shape).astype(np.float32)


def _x(length, batch_first=False, batched=True):
    if not batched:
        return _r(length, D)
    return _r(N, length, D) if batch_first else _r(length, N, D)


_KPM = np.zeros((N, S), dtype=bool)
_KPM[1, -2:] = True
_TKPM = np.zeros((N, T), dtype=bool)
_TKPM[0, -1] = True


def _causal(n):
    return np.triu(np.full((n, n), -np.inf, dtype=np.float32), 1)


def _quiet(build):
    # the encoder's enable_nested_tensor warning is tested on its own below
    def b(lib):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return build(lib)
    return b


# ============================================================================ encoder layer

def _act(lib, name):
    return {"relu": "relu", "gelu": "gelu", "F.gelu": lib.nn.functional.gelu, "silu": lib.nn.functional.silu,
            "GELU": lib.nn.GELU(), "ReLU": lib.nn.ReLU()}[name]


@pytest.mark.parametrize("norm_first", [False, True])
@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("activation", ["relu", "gelu", "F.gelu", "silu", "GELU"])
def test_encoder_layer_matches_torch(norm_first, batch_first, activation):
    layer_check(lambda lib: lib.nn.TransformerEncoderLayer(D, H, FF, dropout=0.0, activation=_act(lib, activation),
                                                          batch_first=batch_first, norm_first=norm_first),
                _x(S, batch_first), atol=1e-5)


@pytest.mark.parametrize("masks", ["causal_float", "bool", "kpm", "both", "both_float"])
@pytest.mark.parametrize("train", [True, False])
def test_encoder_layer_masks(masks, train):
    src_mask = {"causal_float": _causal(S), "bool": RNG.random((S, S)) > 0.7, "kpm": None,
                "both": np.triu(np.ones((S, S), dtype=bool), 1), "both_float": _causal(S)}[masks]
    kpm = None if masks in ("causal_float", "bool") else _KPM
    if masks == "both_float":
        kpm = np.where(_KPM, -np.inf, 0).astype(np.float32)
    layer_check(lambda lib: lib.nn.TransformerEncoderLayer(D, H, FF, dropout=0.0), _x(S), src_mask, kpm,
                forward=lambda m, x, sm, kp: m(x, src_mask=sm, src_key_padding_mask=kp), grad_inputs=(0,),
                train=train, atol=1e-5)


@pytest.mark.parametrize("is_causal", [False, True])
def test_encoder_layer_unbatched_bias_eps(is_causal):
    layer_check(lambda lib: lib.nn.TransformerEncoderLayer(D, H, FF, dropout=0.0, bias=False, layer_norm_eps=1e-3,
                                                          activation=_act(lib, "ReLU")),
                _x(S, batched=False), _causal(S), forward=lambda m, x, sm: m(x, sm, is_causal=is_causal),
                grad_inputs=(0,), atol=1e-5)


def test_encoder_layer_dropout_same_seed():
    # sequence-first: with batch_first, torch's dropout1 sees a transposed tensor and draws its mask in memory
    # order, which ember's dropout (logical order) does not reproduce for non-contiguous inputs
    layer_check(lambda lib: lib.nn.TransformerEncoderLayer(D, H, FF, dropout=0.3), _x(S), train=True, atol=1e-5)


# ============================================================================ encoder

@pytest.mark.parametrize("norm", [False, True])
@pytest.mark.parametrize("batch_first", [False, True])
def test_encoder_matches_torch(norm, batch_first):
    def build(lib):
        layer = lib.nn.TransformerEncoderLayer(D, H, FF, dropout=0.0, batch_first=batch_first)
        return lib.nn.TransformerEncoder(layer, 2, lib.nn.LayerNorm(D) if norm else None, mask_check=False)
    x = _x(S, batch_first)
    layer_check(_quiet(build), x, _causal(S), _KPM, grad_inputs=(0,), atol=1e-5,
                forward=lambda m, x, sm, kp: m(x, mask=sm, src_key_padding_mask=kp))


@pytest.mark.parametrize("is_causal", [None, True, False])
def test_encoder_causal_detection(is_causal):
    # is_causal=None: a mask equal to generate_square_subsequent_mask is used as the causal hint
    def build(lib):
        return lib.nn.TransformerEncoder(lib.nn.TransformerEncoderLayer(D, H, FF, dropout=0.0), 2,
                                         enable_nested_tensor=False)
    layer_check(build, _x(S), _causal(S), grad_inputs=(0,), atol=1e-5,
                forward=lambda m, x, sm: m(x, mask=sm, is_causal=is_causal))


def test_encoder_nested_tensor_warning():
    msgs = {}
    for lib in (torch, ember):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            enc = lib.nn.TransformerEncoder(lib.nn.TransformerEncoderLayer(D, H, FF, norm_first=True), 1)
        msgs[lib] = ([str(m.message) for m in w], enc.use_nested_tensor, enc.enable_nested_tensor)
    assert msgs[ember] == msgs[torch] and msgs[torch][0]
    for lib in (torch, ember):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            enc = lib.nn.TransformerEncoder(lib.nn.TransformerEncoderLayer(D, H, FF, batch_first=True), 1)
        assert enc.use_nested_tensor


def test_encoder_eval_no_grad_fast_path_values():
    # torch's eval/no-grad fast path (fused layer, nested tensors) gives the slow path's values at unpadded
    # positions; at padded positions its nested tensor leaves zeros, the slow path does not
    x = _x(S, True)

    def run(lib):
        lib.manual_seed(0)
        enc = lib.nn.TransformerEncoder(lib.nn.TransformerEncoderLayer(D, H, FF, batch_first=True), 2).eval()
        with lib.no_grad():
            a = enc(lib.from_numpy(x))
            b = enc(lib.from_numpy(x), src_key_padding_mask=lib.from_numpy(_KPM))
        return a, b[0], b[1, :S - 2]
    same(run, atol=1e-5)


# ============================================================================ decoder

@pytest.mark.parametrize("norm_first", [False, True])
@pytest.mark.parametrize("batch_first", [False, True])
def test_decoder_layer_matches_torch(norm_first, batch_first):
    layer_check(lambda lib: lib.nn.TransformerDecoderLayer(D, H, FF, dropout=0.0, batch_first=batch_first,
                                                          norm_first=norm_first, activation="gelu"),
                _x(T, batch_first), _x(S, batch_first), atol=1e-5)


@pytest.mark.parametrize("train", [True, False])
def test_decoder_layer_masks(train):
    mem_mask = RNG.random((T, S)) > 0.8
    layer_check(lambda lib: lib.nn.TransformerDecoderLayer(D, H, FF, dropout=0.0, bias=False), _x(T), _x(S),
                _causal(T), mem_mask, _TKPM, _KPM, grad_inputs=(0, 1), train=train, atol=1e-5,
                forward=lambda m, t, mem, tm, mm, tk, mk: m(t, mem, tgt_mask=tm, memory_mask=mm,
                                                              tgt_key_padding_mask=tk, memory_key_padding_mask=mk,
                                                              tgt_is_causal=True))


def test_decoder_unbatched():
    layer_check(lambda lib: lib.nn.TransformerDecoder(lib.nn.TransformerDecoderLayer(D, H, FF, dropout=0.0), 2,
                                                      lib.nn.LayerNorm(D)),
                _x(T, batched=False), _x(S, batched=False), _causal(T), grad_inputs=(0, 1), atol=1e-5,
                forward=lambda m, t, mem, tm: m(t, mem, tgt_mask=tm))


@pytest.mark.parametrize("tgt_is_causal", [None, False])
def test_decoder_matches_torch(tgt_is_causal):
    layer_check(lambda lib: lib.nn.TransformerDecoder(lib.nn.TransformerDecoderLayer(D, H, FF, dropout=0.0), 2),
                _x(T), _x(S), _causal(T), _TKPM, grad_inputs=(0, 1), atol=1e-5,
                forward=lambda m, t, mem, tm, tk: m(t, mem, tgt_mask=tm, tgt_key_padding_mask=tk,
                                                    tgt_is_causal=tgt_is_causal))


# ============================================================================ Transformer

@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("norm_first", [False, True])
def test_transformer_matches_torch(batch_first, norm_first):
    build = _quiet(lambda lib: lib.nn.Transformer(D, H, 2, 1, FF, dropout=0.0, batch_first=batch_first,
                                                   norm_first=norm_first))
    layer_check(build, _x(S, batch_first), _x(T, batch_first), _causal(T), _KPM,
                forward=lambda m, s, t, tm, kp: m(s, t, tgt_mask=tm, src_key_padding_mask=kp,
                                                  memory_key_padding_mask=kp),
                grad_inputs=(0, 1), atol=1e-5)


def test_transformer_all_masks_eval_unbatched():
    build = _quiet(lambda lib: lib.nn.Transformer(D, H, 1, 2, FF, activation="gelu", bias=False,
                                                   layer_norm_eps=1e-4))
    layer_check(build, _x(S, batched=False), _x(T, batched=False), _causal(S), _causal(T),
                RNG.random((T, S)) > 0.8, train=False, grad_inputs=(0, 1), atol=1e-5,
                forward=lambda m, s, t, sm, tm, mm: m(s, t, src_mask=sm, tgt_mask=tm, memory_mask=mm,
                                                      src_is_causal=True))


def test_transformer_dropout_same_seed():
    build = _quiet(lambda lib: lib.nn.Transformer(D, H, 1, 1, FF, dropout=0.2))
    layer_check(build, _x(S), _x(T), train=True, atol=1e-5)


def test_transformer_custom_encoder_decoder():
    def build(lib):
        enc = lib.nn.TransformerEncoder(lib.nn.TransformerEncoderLayer(D, H, FF, dropout=0.0), 1,
                                        enable_nested_tensor=False)
        dec = lib.nn.TransformerDecoder(lib.nn.TransformerDecoderLayer(D, H, FF, dropout=0.0), 1)
        return lib.nn.Transformer(D, H, custom_encoder=enc, custom_decoder=dec)
    layer_check(build, _x(S), _x(T), atol=1e-5)


def test_transformer_default_init_statistics():
    # every >1-D parameter xavier_uniform_ (bound sqrt(6 / (fan_in + fan_out))); biases keep their init
    ember.manual_seed(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = ember.nn.Transformer(32, 4, 1, 1, 64)
    for name, p in m.named_parameters():
        a = p.detach().numpy()
        if a.ndim > 1:
            bound = np.sqrt(6 / (a.shape[0] + a.shape[1]))
            assert np.abs(a).max() <= bound and np.abs(a).max() > 0.9 * bound, name
            assert abs(a.std() - bound / np.sqrt(3)) < 0.15 * bound, name
    assert not m.encoder.layers[0].self_attn.in_proj_bias.detach().numpy().any()
    np.testing.assert_array_equal(m.decoder.norm.weight.detach().numpy(), np.ones(32, np.float32))


def test_generate_square_subsequent_mask():
    same(lambda lib: lib.nn.Transformer.generate_square_subsequent_mask(4))
    same(lambda lib: lib.nn.Transformer.generate_square_subsequent_mask(3, dtype=lib.float64))


def test_state_dict_keys_and_reprs():
    builds = [lambda lib: lib.nn.Transformer(D, H, 2, 2, FF),
              lambda lib: lib.nn.TransformerEncoder(lib.nn.TransformerEncoderLayer(D, H, FF, bias=False), 3,
                                                    lib.nn.LayerNorm(D)),
              lambda lib: lib.nn.TransformerDecoderLayer(D, H, activation=lib.nn.ReLU())]
    for b in builds:
        layer_check(_quiet(b))


TRANSFORMER_ERRORS = {
    "batch": lambda lib: lib.nn.Transformer(D, H, 1, 1, FF)(lib.ones(S, 2, D), lib.ones(T, 3, D)),
    "batch_first": lambda lib: lib.nn.Transformer(D, H, 1, 1, FF, batch_first=True)(
        lib.ones(2, S, D), lib.ones(3, T, D)),
    "d_model": lambda lib: lib.nn.Transformer(D, H, 1, 1, FF)(lib.ones(S, 2, 6), lib.ones(T, 2, 6)),
    "activation": lambda lib: lib.nn.TransformerEncoderLayer(D, H, activation="tanh"),
    "dec_activation": lambda lib: lib.nn.TransformerDecoderLayer(D, H, activation="swish"),
    "heads": lambda lib: lib.nn.TransformerEncoderLayer(D, 3),
    "int_mask": lambda lib: lib.nn.TransformerEncoderLayer(D, H)(lib.ones(S, 1, D),
                                                                 src_mask=lib.ones(S, S, dtype=lib.int64)),
}


@pytest.mark.parametrize("case", list(TRANSFORMER_ERRORS))
def test_transformer_errors(case):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        same_error(TRANSFORMER_ERRORS[case])
