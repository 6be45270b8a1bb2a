"""``F.ctc_loss`` and ``nn.CTCLoss`` against torch: padded and concatenated targets, tensor and tuple lengths,
every reduction, zero_infinity, impossible alignments, unbatched input, blanks other than 0, the gradient w.r.t.
``log_probs`` itself (PyTorch's log_softmax-assuming form) and w.r.t. the logits, float64 gradcheck, errors."""
import numpy as np
import pytest
import torch

import ember
from conftest import check, check_gradcheck, randn, same_error


def F(lib):
    return lib.nn.functional


T, N, C = 7, 4, 5
IL = np.array([7, 5, 4, 2])
TL = np.array([4, 2, 3, 2])
TG = np.array([[1, 1, 3, 2], [4, 2, 9, 9], [3, 3, 3, 9], [2, 2, 9, 9]])  # sample 3: '2 2' needs 3 steps, has 2
TG_CAT = np.concatenate([TG[i, :TL[i]] for i in range(N)])


def _lengths(L, a, kind):
    if kind == "tensor":
        return L.from_numpy(a.copy())
    return tuple(int(v) for v in a) if kind == "tuple" else [int(v) for v in a]


def _ctc(targets, il=IL, tl=TL, kind="tensor", logits=True, **kw):
    def fn(L, x):
        lp = x.log_softmax(-1) if logits else x
        return F(L).ctc_loss(lp, L.from_numpy(targets.copy()), _lengths(L, il, kind), _lengths(L, tl, kind), **kw)
    return fn


@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
@pytest.mark.parametrize("zero_infinity", [False, True])
@pytest.mark.parametrize("targets", ["padded", "concat"])
def test_reductions(reduction, zero_infinity, targets):
    tg = TG if targets == "padded" else TG_CAT
    x = randn(T, N, C)
    check(_ctc(tg, reduction=reduction, zero_infinity=zero_infinity), x)  # grads w.r.t. the logits
    # w.r.t. log_probs as a leaf: PyTorch's exp(log_probs) - occupancy form (NaN at impossible alignments)
    lp = torch.from_numpy(x).log_softmax(-1).numpy()
    check(_ctc(tg, logits=False, reduction=reduction, zero_infinity=zero_infinity), lp)


@pytest.mark.parametrize("kind", ["tuple", "list"])
def test_sequence_lengths_and_int32(kind):
    check(_ctc(TG, kind=kind, zero_infinity=True), randn(T, N, C))
    check(lambda L, x: F(L).ctc_loss(x.log_softmax(-1), L.from_numpy(TG.astype(np.int32)),
                                     L.from_numpy(IL.astype(np.int32)), L.from_numpy(TL.astype(np.int32)),
                                     reduction="none"), randn(T, N, C))


def test_edge_lengths_and_blank():
    # empty targets, empty inputs (loss 0 for an empty target, inf otherwise), T = 1, blank = C - 1
    tg = np.array([[1, 2], [0, 0], [3, 3], [0, 1]])
    check(_ctc(tg, il=np.array([3, 0, 3, 0]), tl=np.array([2, 0, 2, 2]), reduction="none", blank=4),
          randn(3, N, C))
    check(_ctc(tg, il=np.array([1, 1, 1, 1]), tl=np.array([0, 1, 0, 1]), reduction="none", blank=2),
          randn(1, N, C))
    check(_ctc(tg, il=np.array([3, 0, 3, 0]), tl=np.array([0, 0, 0, 0]), reduction="mean"), randn(3, N, C))


@pytest.mark.parametrize("reduction", ["none", "mean"])
@pytest.mark.parametrize("kind", ["tensor0d", "tensor1", "tuple"])
def test_unbatched(reduction, kind):
    def lens(L, v):
        return L.tensor(v) if kind == "tensor0d" else (L.tensor([v]) if kind == "tensor1" else (v,))

    for tg in (np.array([1, 3, 3]), np.array([[1, 3, 3]])):
        check(lambda L, x: F(L).ctc_loss(x.log_softmax(-1), L.from_numpy(tg.copy()), lens(L, 6), lens(L, 3),
                                         reduction=reduction), randn(6, C))


def test_peaked_long_sequences_float32():
    rng = np.random.default_rng(1)
    t, n, c = 60, 3, 12
    x = (rng.standard_normal((t, n, c)) * 8).astype(np.float32)  # confident, far-from-uniform predictions
    tg = rng.integers(1, c, (n, 20))
    check(_ctc(tg, il=np.array([60, 45, 31]), tl=np.array([20, 13, 9]), reduction="sum"), x,
          atol=1e-4, rtol=1e-4)


def test_float64_and_gradcheck():
    x = randn(T, N, C, dtype=np.float64)
    check(_ctc(TG, reduction="none"), x)
    il, tl = ember.tensor(IL.tolist()), ember.tensor([4, 2, 2, 1])  # all alignments possible
    tg = ember.from_numpy(TG)
    check_gradcheck(lambda x: ember.nn.functional.ctc_loss(x.log_softmax(-1), tg, il, tl, reduction="none"),
                    randn(T, N, C))
    check_gradcheck(lambda x: ember.nn.functional.ctc_loss(x.log_softmax(-1), tg, il, tl,
                                                           reduction="mean"), randn(T, N, C, seed=3))


def test_double_backward_refused():
    for L in (torch, ember):
        lp = L.from_numpy(randn(T, N, C)).log_softmax(-1).detach().requires_grad_()
        loss = F(L).ctc_loss(lp, L.from_numpy(TG), L.from_numpy(IL), L.from_numpy(TL), reduction="none",
                             zero_infinity=True)
        g, = L.autograd.grad((loss * loss).sum(), lp, create_graph=True)
        assert g.grad_fn.name() == "torch::autograd::NotImplemented"
        with pytest.raises(RuntimeError, match="derivative for aten::_ctc_loss_backward is not implemented"):
            g.sum().backward()


def test_module():
    for kw in ({}, {"blank": 4, "reduction": "sum", "zero_infinity": True}, {"reduction": "none"}):
        res = {}
        for L in (torch, ember):
            m = L.nn.CTCLoss(**kw)
            x = L.from_numpy(randn(T, N, C)).requires_grad_()
            out = m(x.log_softmax(-1), L.from_numpy(TG % 4), L.from_numpy(IL), L.from_numpy(TL))
            out.sum().backward()
            res[L] = (repr(m), m.blank, m.reduction, m.zero_infinity, out.detach().numpy(), x.grad.numpy())
        assert res[ember][:4] == res[torch][:4]
        for a, b in zip(res[ember][4:], res[torch][4:]):
            np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)
    assert ember.nn.CTCLoss.__constants__ == torch.nn.CTCLoss.__constants__
    same_error(lambda L: L.nn.CTCLoss(reduction="bad")(L.from_numpy(LP), L.from_numpy(TG), L.from_numpy(IL),
                                                       L.from_numpy(TL)))


LP = randn(T, N, C)


@pytest.mark.parametrize("args,kw", [
    ((TG, IL[:3], TL), {}), ((TG, IL, TL[:3]), {}), ((TG, np.array([8, 5, 4, 2]), TL), {}),
    ((TG, np.array([-1, 5, 4, 2]), TL), {}), ((TG, IL, np.array([5, 2, 3, 2])), {}),
    ((TG, IL, np.array([-1, 2, 3, 2])), {}), ((TG[:3], IL, TL), {}), ((TG_CAT[:-1], IL, TL), {}),
    ((TG[None], IL, TL), {}), ((TG, IL, TL), {"blank": 5}), ((TG, IL, TL), {"blank": -1}),
    ((TG, IL, TL), {"reduction": "foo"}), ((TG, IL.astype(np.float32), TL), {}),
    ((TG, IL, TL.astype(np.float64)), {}),
])
def test_errors(args, kw):
    tg, il, tl = args
    same_error(lambda L: F(L).ctc_loss(L.from_numpy(LP), L.from_numpy(tg), L.from_numpy(il), L.from_numpy(tl), **kw))


def test_errors_inputs():
    tg, il, tl = TG, IL, TL
    for lp in (LP[0], LP[None], LP.astype(np.float16), LP.astype(np.int64), LP[:0]):
        same_error(lambda L: F(L).ctc_loss(L.from_numpy(lp.copy()), L.from_numpy(tg), L.from_numpy(il),
                                           L.from_numpy(tl)))
    # mixed tensor / tuple lengths: torch's overload resolution refuses (its message lists the signatures)
    same_error(lambda L: F(L).ctc_loss(L.from_numpy(LP), L.from_numpy(tg), L.from_numpy(il), tuple(tl.tolist())),
               exact=False)
