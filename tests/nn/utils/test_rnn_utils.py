"""ember.nn.utils.rnn vs torch: padding, packing round trips, and recurrent layers on PackedSequence."""
import numpy as np
import pytest
import torch

import ember
from conftest import assert_same

RNG = np.random.default_rng(0)
LENGTHS = [3, 5, 1, 4]


def _seqs(lengths=LENGTHS, feat=3):
    return [RNG.standard_normal((n, feat)).astype(np.float32) for n in lengths]


def _both(arrays, requires_grad=False):
    t = [torch.from_numpy(a.copy()).requires_grad_(requires_grad) for a in arrays]
    e = [ember.from_numpy(a.copy()).requires_grad_(requires_grad) for a in arrays]
    return e, t


def _same_packed(e, t):
    assert type(e).__name__ == type(t).__name__ == "PackedSequence"
    assert_same(e.data, t.data, what="data")
    assert_same(e.batch_sizes, t.batch_sizes, what="batch_sizes")
    for name in ("sorted_indices", "unsorted_indices"):
        a, b = getattr(e, name), getattr(t, name)
        assert (a is None) == (b is None), name
        if b is not None:
            assert_same(a, b, what=name)


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("padding_side", ["right", "left"])
def test_pad_sequence(batch_first, padding_side):
    e, t = _both(_seqs(), requires_grad=True)
    pe = ember.nn.utils.rnn.pad_sequence(e, batch_first, -1.5, padding_side)
    pt = torch.nn.utils.rnn.pad_sequence(t, batch_first, -1.5, padding_side)
    assert_same(pe, pt)
    g = RNG.standard_normal(tuple(pt.shape)).astype(np.float32)
    pe.backward(ember.from_numpy(g))
    pt.backward(torch.from_numpy(g))
    for a, b in zip(e, t):
        assert_same(a.grad, b.grad)


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("enforce_sorted", [False, True])
@pytest.mark.parametrize("total_length", [None, 7])
def test_pack_pad_round_trip(batch_first, enforce_sorted, total_length):
    lengths = sorted(LENGTHS, reverse=True) if enforce_sorted else LENGTHS
    e, t = _both(_seqs(lengths))
    U = ember.nn.utils.rnn
    V = torch.nn.utils.rnn
    pe = U.pack_padded_sequence(U.pad_sequence(e, batch_first), lengths, batch_first, enforce_sorted)
    pt = V.pack_padded_sequence(V.pad_sequence(t, batch_first), lengths, batch_first, enforce_sorted)
    _same_packed(pe, pt)
    (oe, le), (ot, lt) = (U.pad_packed_sequence(pe, batch_first, 0.5, total_length),
                          V.pad_packed_sequence(pt, batch_first, 0.5, total_length))
    assert_same(oe, ot)
    assert_same(le, lt)
    _same_packed(U.pack_sequence(e, enforce_sorted), V.pack_sequence(t, enforce_sorted))
    for a, b in zip(U.unpack_sequence(U.pack_sequence(e, enforce_sorted)),
                    V.unpack_sequence(V.pack_sequence(t, enforce_sorted))):
        assert_same(a, b)


def test_packed_sequence_repr_and_fields():
    e, t = _both(_seqs([2, 1]))
    pe, pt = ember.nn.utils.rnn.pack_sequence(e), torch.nn.utils.rnn.pack_sequence(t)
    assert repr(pe) == repr(pt)
    assert pe._fields == pt._fields
    data, batch_sizes, s, u = pe
    assert data is pe.data and s is None and u is None


@pytest.mark.parametrize("case", [
    lambda lib: lib.nn.utils.rnn.pack_padded_sequence(lib.zeros(3, 2, 1), [1, 3]),
    lambda lib: lib.nn.utils.rnn.pack_padded_sequence(lib.zeros(3, 2, 1), [3, 0]),
    lambda lib: lib.nn.utils.rnn.pack_padded_sequence(lib.zeros(3, 2, 1), [3, 2, 1]),
    lambda lib: lib.nn.utils.rnn.pad_packed_sequence(
        lib.nn.utils.rnn.pack_sequence([lib.zeros(3, 1)]), total_length=2),
    lambda lib: lib.nn.utils.rnn.pad_sequence([lib.zeros(3, 1)], padding_side="middle"),
])
def test_errors_match_torch(case):
    with pytest.raises(Exception) as te:
        case(torch)
    with pytest.raises(type(te.value)) as ee:
        case(ember)
    assert str(ee.value) == str(te.value)


@pytest.mark.parametrize("bidirectional", [False, True])
@pytest.mark.parametrize("num_layers", [1, 2])
@pytest.mark.parametrize("kind", ["RNN", "LSTM", "LSTM_proj", "GRU"])
@pytest.mark.parametrize("with_hx", [False, True])
def test_recurrent_on_packed_sequence(kind, num_layers, bidirectional, with_hx):
    name = kind.split("_")[0]
    kw = dict(num_layers=num_layers, bidirectional=bidirectional)
    if kind == "LSTM_proj":
        kw["proj_size"] = 2
    mods = {}
    for lib in (torch, ember):
        lib.manual_seed(0)
        mods[lib] = getattr(lib.nn, name)(3, 4, **kw)
    d = num_layers * (2 if bidirectional else 1)
    hx_np = [RNG.standard_normal((d, len(LENGTHS), 2 if kind == "LSTM_proj" else 4)).astype(np.float32)]
    if name == "LSTM":
        hx_np.append(RNG.standard_normal((d, len(LENGTHS), 4)).astype(np.float32))
    seqs = _seqs()
    res = {}
    for lib in (torch, ember):
        xs = [lib.from_numpy(a.copy()).requires_grad_(True) for a in seqs]
        hx = [lib.from_numpy(a.copy()).requires_grad_(True) for a in hx_np]
        state = (tuple(hx) if name == "LSTM" else hx[0]) if with_hx else None
        packed = lib.nn.utils.rnn.pack_sequence(xs, enforce_sorted=False)
        out, h = mods[lib](packed, state)
        padded, lengths = lib.nn.utils.rnn.pad_packed_sequence(out, batch_first=True)
        hs = list(h) if name == "LSTM" else [h]
        roots = [padded] + hs
        gs = [np.random.default_rng(1).standard_normal(tuple(r.shape)).astype(np.float32) for r in roots]
        lib.autograd.backward(roots, [lib.from_numpy(g) for g in gs])
        res[lib] = (out, roots, xs, hx if with_hx else [], lengths)
    (oe, re_, xe, he, le), (ot, rt, xt, ht, lt) = res[ember], res[torch]
    _same_packed(oe, ot)
    assert_same(le, lt)
    for a, b in zip(re_, rt):
        assert_same(a, b, atol=1e-5)
    for a, b in zip(xe + he, xt + ht):
        assert_same(a.grad, b.grad, atol=1e-5)
    for (n, tp), (_, ep) in zip(mods[torch].named_parameters(), mods[ember].named_parameters()):
        assert_same(ep.grad, tp.grad, atol=1e-5, what=n)
