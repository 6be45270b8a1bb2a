"""RNN, LSTM, GRU and the cells vs torch: repr, state_dict, bit-identical init, outputs and every grad."""
import numpy as np
import pytest
import torch

import ember
from layer_check import layer_check

RNG = np.random.default_rng(0)


def _flat(out):
    if isinstance(out, (tuple, list)):
        return [t for o in out for t in _flat(o)]
    return [out]


def _fwd(m, *args):
    return _flat(m(*args))


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("bidirectional", [False, True])
@pytest.mark.parametrize("num_layers", [1, 2])
@pytest.mark.parametrize("kind", ["RNN", "RNN_relu", "LSTM", "LSTM_proj", "GRU"])
def test_recurrent_matches_torch(kind, num_layers, bidirectional, batch_first):
    kw = dict(num_layers=num_layers, bidirectional=bidirectional, batch_first=batch_first)
    name = kind.split("_")[0]
    if kind == "RNN_relu":
        kw["nonlinearity"] = "relu"
    if kind == "LSTM_proj":
        kw["proj_size"] = 3
    x = RNG.standard_normal((2, 5, 4) if batch_first else (5, 2, 4)).astype(np.float32)
    layer_check(lambda lib: getattr(lib.nn, name)(4, 6, **kw), x, forward=_fwd, check_grad_fn=False, atol=1e-5)


@pytest.mark.parametrize("name", ["RNN", "LSTM", "GRU"])
def test_recurrent_given_state_unbatched_nobias(name):
    d, h = 4, 2 * 2
    x = RNG.standard_normal((5, 3)).astype(np.float32)
    h0 = RNG.standard_normal((d, h)).astype(np.float32)
    args = (x, (h0, RNG.standard_normal((d, h)).astype(np.float32))) if name == "LSTM" else (x, h0)

    def fwd(m, x, *state):
        return _fwd(m, x, tuple(state) if len(state) == 2 else state[0])
    flat = (x, *args[1]) if name == "LSTM" else args
    layer_check(lambda lib: getattr(lib.nn, name)(3, h, num_layers=2, bidirectional=True, bias=False), *flat,
                forward=fwd, check_grad_fn=False, atol=1e-5)


@pytest.mark.parametrize("name", ["RNNCell", "LSTMCell", "GRUCell"])
@pytest.mark.parametrize("batched", [True, False])
@pytest.mark.parametrize("bias", [True, False])
def test_cells_match_torch(name, batched, bias):
    x = RNG.standard_normal((3, 4) if batched else (4,)).astype(np.float32)
    hs = (3, 5) if batched else (5,)
    state = [RNG.standard_normal(hs).astype(np.float32) for _ in range(2 if name == "LSTMCell" else 1)]

    def fwd(m, x, *s):
        return _fwd(m, x, tuple(s) if len(s) == 2 else s[0])
    layer_check(lambda lib: getattr(lib.nn, name)(4, 5, bias=bias), x, *state, forward=fwd, check_grad_fn=False)
    layer_check(lambda lib: getattr(lib.nn, name)(4, 5, bias=bias), x, forward=_fwd, check_grad_fn=False)


def test_rnncell_relu_and_reprs():
    layer_check(lambda lib: lib.nn.RNNCell(4, 5, nonlinearity="relu"),
                RNG.standard_normal((3, 4)).astype(np.float32), check_grad_fn=False)
    for args, kw in [((3, 4), {}), ((3, 4, 2, "relu"), dict(dropout=0.5, batch_first=True)),
                     ((3, 4), dict(bias=False, bidirectional=True))]:
        assert repr(ember.nn.RNN(*args, **kw)) == repr(torch.nn.RNN(*args, **kw))
    assert repr(ember.nn.LSTM(3, 4, proj_size=2, dropout=0.25, num_layers=3)) == \
        repr(torch.nn.LSTM(3, 4, proj_size=2, dropout=0.25, num_layers=3))


def test_dropout_between_layers():
    m = ember.nn.GRU(3, 4, num_layers=2, dropout=1.0)
    x = ember.randn(5, 2, 3)
    m.eval()
    out_eval, _ = m(x)
    m.train()
    out_train, _ = m(x)
    # p=1 zeroes the second layer's input in training only; eval matches a dropout-free copy
    assert not np.allclose(out_eval.detach().numpy(), out_train.detach().numpy())
    ref = ember.nn.GRU(3, 4, num_layers=2, dropout=0.0)
    ref.load_state_dict(m.state_dict())
    ref.train()
    np.testing.assert_allclose(ref(x)[0].detach().numpy(), out_eval.detach().numpy(), atol=1e-6)


def _raises(fn_e, fn_t):
    with pytest.raises(Exception) as te:
        fn_t()
    with pytest.raises(type(te.value)) as ee:
        fn_e()
    assert str(ee.value) == str(te.value)


@pytest.mark.parametrize("case", [
    lambda lib: lib.nn.LSTM(3, 4)(lib.zeros(2, 2, 2, 3)),
    lambda lib: lib.nn.GRU(3, 4)(lib.zeros(2, 2, 5)),
    lambda lib: lib.nn.RNN(3, 4)(lib.zeros(2, 2, 3), lib.zeros(1, 3, 4)),
    lambda lib: lib.nn.RNN(3, 4)(lib.zeros(2, 2, 3), lib.zeros(2, 4)),
    lambda lib: lib.nn.RNN(3, 4)(lib.zeros(2, 3), lib.zeros(1, 1, 4)),
    lambda lib: lib.nn.LSTM(3, 4)(lib.zeros(2, 2, 3), (lib.zeros(1, 2, 4), lib.zeros(1, 2, 5))),
    lambda lib: lib.nn.LSTM(3, 4)(lib.zeros(2, 2, 3), (lib.zeros(2, 4), lib.zeros(1, 2, 4))),
    lambda lib: lib.nn.LSTM(3, 4)(lib.zeros(2, 2, 3, dtype=lib.float64)),
    lambda lib: lib.nn.RNN(3, 4, nonlinearity="gelu"),
    lambda lib: lib.nn.GRU(3, 4, proj_size=2),
    lambda lib: lib.nn.LSTM(3, 4, proj_size=4),
    lambda lib: lib.nn.LSTM(3, 0),
    lambda lib: lib.nn.LSTM(3, 4, dropout=2),
    lambda lib: lib.nn.LSTM(3, 4, num_layers=0),
    lambda lib: lib.nn.LSTMCell(3, 4)(lib.zeros(2, 2, 3)),
    lambda lib: lib.nn.GRUCell(3, 4)(lib.zeros(2, 3), lib.zeros(1, 1, 4)),
])
def test_errors_match_torch(case):
    _raises(lambda: case(ember), lambda: case(torch))


def test_dropout_single_layer_warns():
    with pytest.warns(UserWarning, match="dropout option adds dropout"):
        ember.nn.LSTM(3, 4, dropout=0.5)
