"""``ember.nn.functional`` losses against torch: values, dtypes, grads (input and target), grad_fn names,
second derivatives, legacy reduction arguments, warnings and errors."""
import warnings

import numpy as np
import pytest
import torch
from hypothesis import given, settings, strategies as st

import ember
from conftest import check, check_gradcheck, check_raises, randn, same_error

# torch and ember both warn here on purpose (kl_div's 'mean', a broadcast target); tests that check them record them
pytestmark = [pytest.mark.filterwarnings("ignore:reduction. 'mean' divides"),
              pytest.mark.filterwarnings("ignore:Using a target size")]


def F(lib):
    return lib.nn.functional


RED = ["none", "mean", "sum"]


def rng(seed=0):
    return np.random.default_rng(seed)


def probs(*shape, dtype=np.float64, seed=0):
    return rng(seed).uniform(0.05, 0.95, shape).astype(dtype)


def labels(n, c, seed=0, shape=None):
    return rng(seed).integers(0, c, shape if shape is not None else (n,)).astype(np.int64)


def signs(*shape, seed=0, dtype=np.float64):
    return np.where(rng(seed).uniform(size=shape) > 0.5, 1.0, -1.0).astype(dtype)


def soft(*shape, seed=0, dtype=np.float64):
    a = rng(seed).uniform(0.1, 1, shape)
    return (a / a.sum(1 if len(shape) > 1 else 0, keepdims=True)).astype(dtype)


# ============================================================================ regression losses

def wlike(L, t):
    """Fixed positive weights of ``t``'s shape (independent of ``t``'s values, so gradcheck can perturb ``t``)."""
    n = t.numel()
    return (L.arange(n, dtype=t.dtype) % 5 * 0.3 + 0.2).reshape(tuple(t.shape))


PAIR = {
    "mse": lambda L, x, t, r: F(L).mse_loss(x, t, reduction=r),
    "l1": lambda L, x, t, r: F(L).l1_loss(x, t, reduction=r),
    "smooth_l1": lambda L, x, t, r: F(L).smooth_l1_loss(x, t, reduction=r),
    "smooth_l1_beta": lambda L, x, t, r: F(L).smooth_l1_loss(x, t, reduction=r, beta=0.3),
    "smooth_l1_beta0": lambda L, x, t, r: F(L).smooth_l1_loss(x, t, reduction=r, beta=0.0),
    "huber": lambda L, x, t, r: F(L).huber_loss(x, t, reduction=r),
    "huber_delta": lambda L, x, t, r: F(L).huber_loss(x, t, r, 0.4),
    "soft_margin": lambda L, x, t, r: F(L).soft_margin_loss(x, t.detach().sign(), reduction=r),
    "kl_div": lambda L, x, t, r: F(L).kl_div(x, t.abs(), reduction=r),
    "kl_div_log": lambda L, x, t, r: F(L).kl_div(x, t, reduction=r, log_target=True),
    "poisson": lambda L, x, t, r: F(L).poisson_nll_loss(x, t.abs(), reduction=r),
    "poisson_full": lambda L, x, t, r: F(L).poisson_nll_loss(x.abs() + 0.1, t.abs() * 3, False, True, reduction=r),
    "gaussian": lambda L, x, t, r: F(L).gaussian_nll_loss(x, t, t.abs() + 0.2, reduction=r),
    "gaussian_full": lambda L, x, t, r: F(L).gaussian_nll_loss(x, t, (t.abs() + 0.2)[:, :1], full=True, reduction=r),
    "gaussian_float": lambda L, x, t, r: F(L).gaussian_nll_loss(x, t, 0.7, reduction=r),
    "hinge_embedding": lambda L, x, t, r: F(L).hinge_embedding_loss(x, t.sign(), reduction=r),
    "hinge_embedding_margin": lambda L, x, t, r: F(L).hinge_embedding_loss(x, t.sign(), 0.5, reduction=r),
    "multilabel_soft_margin": lambda L, x, t, r: F(L).multilabel_soft_margin_loss(x, (t > 0).to(x.dtype), reduction=r),
    "multilabel_soft_margin_w": lambda L, x, t, r: F(L).multilabel_soft_margin_loss(
        x, (t > 0).to(x.dtype), weight=t.abs()[0], reduction=r),
    "bce": lambda L, x, t, r: F(L).binary_cross_entropy(x.sigmoid(), t.sigmoid(), reduction=r),
    "bce_weight": lambda L, x, t, r: F(L).binary_cross_entropy(x.sigmoid(), t.sigmoid(), wlike(L, t),
                                                                reduction=r),
    "bce_logits": lambda L, x, t, r: F(L).binary_cross_entropy_with_logits(x * 3, t.sigmoid(), reduction=r),
    "bce_logits_weight": lambda L, x, t, r: F(L).binary_cross_entropy_with_logits(
        x, t.sigmoid(), weight=wlike(L, t), reduction=r),
    "bce_logits_pos_weight": lambda L, x, t, r: F(L).binary_cross_entropy_with_logits(
        x, t.sigmoid(), reduction=r, pos_weight=wlike(L, t)[0] + 0.5),
    "bce_logits_both": lambda L, x, t, r: F(L).binary_cross_entropy_with_logits(
        x, t.sigmoid(), wlike(L, t)[:1], reduction=r, pos_weight=wlike(L, t)[0] + 0.5),
    "mse_weight": lambda L, x, t, r: F(L).mse_loss(x, t, reduction=r, weight=wlike(L, t)),
    "l1_weight": lambda L, x, t, r: F(L).l1_loss(x, t, reduction=r, weight=wlike(L, t)),
    "huber_weight": lambda L, x, t, r: F(L).huber_loss(x, t, reduction=r, weight=wlike(L, t)),
}


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("reduction", RED)
@pytest.mark.parametrize("name", list(PAIR))
def test_pair_loss(name, reduction, dtype):
    check(lambda L, x, t: PAIR[name](L, x, t, reduction), randn(4, 5, dtype=dtype), randn(4, 5, dtype=dtype, seed=1))


@pytest.mark.parametrize("reduction", RED)
@pytest.mark.parametrize("name", list(PAIR))
def test_pair_loss_gradcheck(name, reduction):
    t = randn(3, 4, dtype=np.float64, seed=1)
    check_gradcheck(lambda x, t: PAIR[name](ember, x, t, reduction), randn(3, 4, dtype=np.float64), t)


def _derivs(lib, fn, arrays, order=2):
    xs = [(torch.from_numpy if lib is torch else ember.from_numpy)(a.copy()).requires_grad_() for a in arrays]
    y = fn(lib, *xs)
    r = np.random.default_rng(3)
    w1 = lib.from_numpy(r.standard_normal(tuple(y.shape)))
    cur = (w1 * y + y * y).sum()
    out = [y.detach().numpy()]
    for k in range(order):
        gs = lib.autograd.grad(cur, xs, create_graph=k + 1 < order, allow_unused=True)
        out += [np.zeros_like(a) if g is None else g.detach().numpy() for g, a in zip(gs, arrays)]
        cur = 0
        for g in gs:
            if g is not None and g.requires_grad:
                cur = cur + (g * lib.from_numpy(r.standard_normal(tuple(g.shape)))).sum()
        if not hasattr(cur, "requires_grad"):
            break
    return out


def compare_derivs(fn, *arrays, order=2):
    e, t = _derivs(ember, fn, arrays, order), _derivs(torch, fn, arrays, order)
    assert len(e) == len(t)
    for k, (a, b) in enumerate(zip(e, t)):
        np.testing.assert_allclose(a, b, atol=1e-9, rtol=1e-7, err_msg=f"result {k}")


SECOND = ["mse", "l1", "smooth_l1", "smooth_l1_beta", "huber", "huber_delta", "soft_margin", "kl_div", "kl_div_log",
          "poisson", "gaussian", "bce", "bce_logits", "bce_logits_weight", "bce_logits_pos_weight",
          "multilabel_soft_margin", "mse_weight", "hinge_embedding"]


@pytest.mark.parametrize("reduction", RED)
@pytest.mark.parametrize("name", SECOND)
def test_pair_loss_second_derivative(name, reduction):
    compare_derivs(lambda L, x, t: PAIR[name](L, x, t, reduction), randn(3, 4, dtype=np.float64),
                   randn(3, 4, dtype=np.float64, seed=1))


@pytest.mark.parametrize("name", ["mse", "huber", "smooth_l1", "l1"])
def test_broadcast_target_warns(name):
    fn = {"mse": "mse_loss", "huber": "huber_loss", "smooth_l1": "smooth_l1_loss", "l1": "l1_loss"}[name]
    msgs = []
    for L in (torch, ember):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            check_fn = getattr(F(L), fn)
            check_fn(L.ones(3, 1), L.ones(3))
        msgs.append([(str(m.message).replace("torch.Size", "Size"), m.filename) for m in w])
    assert msgs[0] == msgs[1] and msgs[0][0][0].startswith("Using a target size (Size([3])) that is different to "
                                                          "the input size (Size([3, 1])).")
    check(lambda L, x, t: getattr(F(L), fn)(x, t), randn(3, 1), randn(3), grad=True)


def test_mixed_dtypes_promote():
    check(lambda L, x, t: F(L).mse_loss(x, t), randn(3, 4), randn(3, 4, dtype=np.float64), grad_rtol=1e-5)
    check(lambda L, x, t: F(L).binary_cross_entropy_with_logits(x, t), randn(3, 4), probs(3, 4), grad_rtol=1e-5)


# ============================================================================ nll_loss, cross_entropy

def _ce_cases():
    x2, t2 = randn(5, 4), labels(5, 4)
    x3, t3 = randn(3, 4, 5), labels(3, 4, shape=(3, 5))
    x4, t4 = randn(2, 3, 4, 5), labels(2, 3, shape=(2, 4, 5))
    x5, t5 = randn(2, 3, 2, 2, 3), labels(2, 3, shape=(2, 2, 2, 3))
    x1, t0 = randn(4), np.array(2)
    return {"2d": (x2, t2), "3d": (x3, t3), "4d": (x4, t4), "5d": (x5, t5), "1d": (x1, t0)}


CE = _ce_cases()
W = {2: np.array([0.5, 1.0, 2.0, 0.3]), 3: np.array([0.2, 1.5, 0.7])}


@pytest.mark.parametrize("reduction", RED)
@pytest.mark.parametrize("case", list(CE))
@pytest.mark.parametrize("fn", ["nll", "ce"])
@pytest.mark.parametrize("opts", ["plain", "weight", "ignore", "weight_ignore", "smooth", "smooth_weight_ignore"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_nll_and_cross_entropy(fn, case, reduction, opts, dtype):
    x, t = CE[case]
    x = x.astype(dtype)
    c = x.shape[1] if x.ndim > 1 else x.shape[0]
    w = W[2].astype(dtype)[:c] if c == 4 else W[3].astype(dtype)
    if fn == "nll" and "smooth" in opts:
        return
    t = t.copy()
    ignore = -100
    if "ignore" in opts and t.ndim:
        ignore = int(t.reshape(-1)[0])

    def f(L, x, t):
        kw = {"reduction": reduction}
        if "weight" in opts:
            kw["weight"] = L.from_numpy(w.copy())
        if "ignore" in opts:
            kw["ignore_index"] = ignore
        if "smooth" in opts:
            kw["label_smoothing"] = 0.15
        if fn == "nll":
            return F(L).nll_loss(x.log_softmax(0 if x.ndim == 1 else 1), t, **kw)
        return F(L).cross_entropy(x, t, **kw)
    check(f, x, t)


@pytest.mark.parametrize("reduction", RED)
@pytest.mark.parametrize("opts", [{}, {"weight": True}, {"label_smoothing": 0.2}, {"weight": True,
                                                                                    "label_smoothing": 0.1}])
@pytest.mark.parametrize("shape", [(5, 4), (4,), (2, 4, 3)])
def test_cross_entropy_probabilities(shape, reduction, opts):
    c = shape[1] if len(shape) > 1 else shape[0]
    w = W[2][:c]

    def f(L, x, t, w):
        kw = dict(opts, reduction=reduction)
        if kw.pop("weight", False):
            kw["weight"] = w
        return F(L).cross_entropy(x, t, **kw)
    check(f, randn(*shape, dtype=np.float64), soft(*shape), w)
    check(f, randn(*shape), soft(*shape, dtype=np.float32), w.astype(np.float32))


@pytest.mark.parametrize("reduction", RED)
@pytest.mark.parametrize("case", ["2d", "3d", "1d"])
def test_cross_entropy_gradcheck_and_second_order(case, reduction):
    x, t = CE[case]
    x = x.astype(np.float64)
    w = W[2] if (x.shape[1] if x.ndim > 1 else x.shape[0]) == 4 else W[3]
    check_gradcheck(lambda x: F(ember).cross_entropy(x, ember.from_numpy(t), reduction=reduction), x)
    check_gradcheck(lambda x: F(ember).cross_entropy(x, ember.from_numpy(t), ember.from_numpy(w),
                                                     reduction=reduction, label_smoothing=0.1), x)
    compare_derivs(lambda L, x: F(L).cross_entropy(x, L.from_numpy(t), reduction=reduction), x)
    compare_derivs(lambda L, x: F(L).cross_entropy(x, L.from_numpy(t), L.from_numpy(w), reduction=reduction,
                                                   label_smoothing=0.2), x)
    compare_derivs(lambda L, x: F(L).nll_loss(x, L.from_numpy(t), L.from_numpy(w), reduction=reduction), x)


def test_cross_entropy_prob_second_order():
    compare_derivs(lambda L, x, t: F(L).cross_entropy(x, t, label_smoothing=0.1), randn(3, 4, dtype=np.float64),
                   soft(3, 4))


def test_cross_entropy_graph_names():
    for L in (ember, torch):
        x = L.randn(3, 4, requires_grad=True)
        out = F(L).cross_entropy(x, L.tensor([0, 2, 1]))
        assert out.grad_fn.name() == "NllLossBackward0"
        assert out.grad_fn.next_functions[0][0].name() == "LogSoftmaxBackward0"


def test_cross_entropy_stable_for_huge_logits():
    x = np.array([[1e4, -1e4, 0.0], [-5e3, 5e3, 1.0]], dtype=np.float32)
    check(lambda L, x, t: F(L).cross_entropy(x, t), x, np.array([1, 0]))


def test_unbatched_input_with_one_element_target():
    # torch accepts a (1,) target for a (C,) input in forward (its backward then raises)
    for r in RED:
        check(lambda L, x, t: F(L).nll_loss(x, t, reduction=r), randn(4), np.array([3]), grad=False)
        check(lambda L, x, t: F(L).cross_entropy(x, t, reduction=r), randn(4), np.array([3]), grad=False)


def test_nll_uint8_target_and_all_ignored_and_empty():
    check(lambda L, x, t: F(L).nll_loss(x, t), randn(3, 4), np.array([0, 3, 1], dtype=np.uint8))
    check(lambda L, x, t: F(L).nll_loss(x, t), randn(3, 4), np.array([-100, -100, -100]))
    check(lambda L, x, t: F(L).cross_entropy(x, t, ignore_index=1), randn(3, 4), np.array([1, 1, 1]))
    for r in RED:
        check(lambda L, x, t: F(L).nll_loss(x, t, reduction=r), randn(0, 4), np.zeros(0, np.int64))
        check(lambda L, x, t: F(L).nll_loss(x, t, reduction=r), randn(0, 4, 3), np.zeros((0, 3), np.int64))


@pytest.mark.parametrize("fn", [
    lambda L: F(L).nll_loss(L.randn(3, 4), L.tensor([0.0, 1.0, 2.0])),
    lambda L: F(L).nll_loss(L.randn(3, 4), L.tensor([0, 1, 2], dtype=L.int32)),
    lambda L: F(L).cross_entropy(L.randn(3, 4), L.tensor([0.0, 1.0, 2.0])),
    lambda L: F(L).cross_entropy(L.randn(3, 4), L.zeros(3, 4, dtype=L.long)),
    lambda L: F(L).cross_entropy(L.randn(3, 4), L.rand(3, 4), ignore_index=1),
    lambda L: F(L).cross_entropy(L.randn(3, 4), L.tensor([0, 1])),
    lambda L: F(L).nll_loss(L.randn(3, 4), L.tensor([0, 1])),
    lambda L: F(L).nll_loss(L.tensor(1.0), L.tensor(0)),
    lambda L: F(L).nll_loss(L.randn(3, 4), L.zeros(3, 2, dtype=L.long)),
    lambda L: F(L).nll_loss(L.randn(3, 4), L.tensor([0, 1, 4])),
    lambda L: F(L).nll_loss(L.randn(3, 4), L.tensor([0, 1, -1])),
    lambda L: F(L).nll_loss(L.randn(3, 4), L.tensor([0, 1, 3]), weight=L.ones(3)),
    lambda L: F(L).nll_loss(L.randn(2, 3, 5), L.zeros(2, 4, dtype=L.long)),
    lambda L: F(L).nll_loss(L.randn(2, 3, 4, 5), L.zeros(2, 4, 4, dtype=L.long)),
    lambda L: F(L).nll_loss(L.randn(2, 3, 4, 5), L.zeros(2, 4, dtype=L.long)),
    lambda L: F(L).nll_loss(L.randn(4), L.tensor([1, 2])),
    lambda L: F(L).nll_loss(L.randn(3, 4), L.tensor([0, 1, 2]), reduction="foo"),
    lambda L: F(L).nll_loss(L.randn(3, 4), L.tensor([0, 1, 2]), weight=L.ones(4, requires_grad=True)),
    lambda L: F(L).cross_entropy(L.randn(3, 4, 2), L.zeros(3, 2, dtype=L.long), weight=L.ones(4, requires_grad=True)),
    lambda L: F(L).nll_loss(L.ones(3, 4, dtype=L.long), L.tensor([0, 1, 2])),
    lambda L: F(L).cross_entropy(L.randn(3, 4), L.tensor([0, 1, 2]), label_smoothing=1.5),
    lambda L: F(L).cross_entropy(L.randn(3, 4), L.rand(3, 4), weight=L.ones(3)),
    lambda L: F(L).binary_cross_entropy(L.tensor([1.5]), L.tensor([1.0])),
    lambda L: F(L).binary_cross_entropy(L.rand(3, 1), L.rand(3)),
    lambda L: F(L).binary_cross_entropy(L.rand(3), L.rand(3), weight=L.rand(3, requires_grad=True)),
    lambda L: F(L).binary_cross_entropy(L.rand(3, 2), L.rand(3, 2), weight=L.rand(3)),
    lambda L: F(L).binary_cross_entropy(L.rand(3), L.rand(3).double()),
    lambda L: F(L).binary_cross_entropy(L.rand(3), L.ones(3, dtype=L.long)),
    lambda L: F(L).binary_cross_entropy_with_logits(L.rand(3, 1), L.rand(3)),
    lambda L: F(L).binary_cross_entropy_with_logits(L.rand(3), L.rand(3), weight=L.rand(3, requires_grad=True)),
    lambda L: F(L).binary_cross_entropy_with_logits(L.rand(3), L.rand(3), pos_weight=L.rand(3, requires_grad=True)),
    lambda L: F(L).binary_cross_entropy_with_logits(L.rand(3), L.ones(3, dtype=L.long)),
    lambda L: F(L).mse_loss(L.ones(3, dtype=L.long), L.ones(3, dtype=L.long)),
    lambda L: F(L).mse_loss(L.rand(3), L.rand(4)),
    lambda L: F(L).mse_loss(L.rand(3), L.rand(3), weight=L.rand(1)),
    lambda L: F(L).mse_loss(L.rand(3), L.rand(3), weight=L.rand(3), reduction="foo"),
    lambda L: F(L).mse_loss(L.rand(3), L.rand(3), reduction="foo"),
    lambda L: F(L).smooth_l1_loss(L.ones(3, dtype=L.long), L.ones(3, dtype=L.long)),
    lambda L: F(L).smooth_l1_loss(L.rand(3), L.rand(3), beta=-1.0),
    lambda L: F(L).huber_loss(L.rand(3), L.rand(3), delta=0.0),
    lambda L: F(L).huber_loss(L.ones(3, dtype=L.long), L.ones(3, dtype=L.long)),
    lambda L: F(L).kl_div(L.ones(3, dtype=L.long), L.ones(3)),
    lambda L: F(L).soft_margin_loss(L.rand(3), L.rand(3, requires_grad=True)),
    lambda L: F(L).multi_margin_loss(L.randn(3, 4), L.tensor([0, 1, 2]), p=3),
    lambda L: F(L).multi_margin_loss(L.randn(3, 4), L.tensor([0, 1, 2]), weight=L.ones(4, 1)),
    lambda L: F(L).cosine_embedding_loss(L.randn(3, 4), L.randn(3, 4), L.ones(3, 1)),
    lambda L: F(L).cosine_embedding_loss(L.randn(3, 4), L.randn(3, 4), L.ones(())),
    lambda L: F(L).cosine_embedding_loss(L.randn(4), L.randn(4), L.ones(1)),
    lambda L: F(L).margin_ranking_loss(L.rand(3), L.rand(3), L.ones(3, 1)),
    lambda L: F(L).triplet_margin_loss(L.randn(3, 4), L.randn(3, 4), L.randn(3, 4), margin=0),
    lambda L: F(L).triplet_margin_loss(L.randn(3, 4), L.randn(3, 4), L.randn(4)),
    lambda L: F(L).gaussian_nll_loss(L.randn(3, 4), L.randn(3, 4), -L.ones(3, 4)),
    lambda L: F(L).gaussian_nll_loss(L.randn(3, 4), L.randn(3, 4), L.ones(3, 2)),
    lambda L: F(L).gaussian_nll_loss(L.randn(3, 4), L.randn(3, 4), L.ones(3, 4), reduction="foo"),
    lambda L: F(L).gaussian_nll_loss(L.randn(3, 4), L.randn(3, 4), -1.0),
    lambda L: F(L).poisson_nll_loss(L.randn(3, 4), L.randn(3, 4), reduction="foo"),
    lambda L: F(L).multilabel_soft_margin_loss(L.randn(3, 4), L.randn(3, 4), reduction="foo"),
    lambda L: F(L).l1_loss(L.rand(3), L.rand(3), reduction="foo"),
    lambda L: F(L).kl_div(L.rand(3), L.rand(3), reduction="foo"),
])
def test_errors(fn):
    same_error(fn)


# ============================================================================ legacy reduction arguments

LEGACY = {
    "mse_loss": lambda L, x, t, **k: F(L).mse_loss(x, t, **k),
    "l1_loss": lambda L, x, t, **k: F(L).l1_loss(x, t, **k),
    "smooth_l1_loss": lambda L, x, t, **k: F(L).smooth_l1_loss(x, t, **k),
    "nll_loss": lambda L, x, t, **k: F(L).nll_loss(x, (t[:, 0].abs() * 3).long().clamp(max=3), **k),
    "cross_entropy": lambda L, x, t, **k: F(L).cross_entropy(x, (t[:, 0].abs() * 3).long().clamp(max=3), **k),
    "binary_cross_entropy": lambda L, x, t, **k: F(L).binary_cross_entropy(x.sigmoid(), t.sigmoid(), **k),
    "bce_with_logits": lambda L, x, t, **k: F(L).binary_cross_entropy_with_logits(x, t.sigmoid(), **k),
    "kl_div": lambda L, x, t, **k: F(L).kl_div(x, t.abs(), **k),
    "soft_margin_loss": lambda L, x, t, **k: F(L).soft_margin_loss(x, t.sign(), **k),
    "poisson_nll_loss": lambda L, x, t, **k: F(L).poisson_nll_loss(x, t.abs(), **k),
    "hinge_embedding_loss": lambda L, x, t, **k: F(L).hinge_embedding_loss(x, t.sign(), **k),
    "multilabel_soft_margin_loss": lambda L, x, t, **k: F(L).multilabel_soft_margin_loss(x, (t > 0).double(), **k),
    "multi_margin_loss": lambda L, x, t, **k: F(L).multi_margin_loss(x, (t[:, 0].abs() * 3).long().clamp(max=3),
                                                                     **k),
    "margin_ranking_loss": lambda L, x, t, **k: F(L).margin_ranking_loss(x, t, t.sign(), **k),
    "cosine_embedding_loss": lambda L, x, t, **k: F(L).cosine_embedding_loss(x, t, t[:, 0].sign(), **k),
    "triplet_margin_loss": lambda L, x, t, **k: F(L).triplet_margin_loss(x, t, t * 2, **k),
}


@pytest.mark.parametrize("legacy", [dict(size_average=False), dict(reduce=False), dict(size_average=True),
                                    dict(size_average=True, reduce=True), dict(size_average=False, reduce=True),
                                    dict(reduction="elementwise_mean")])
@pytest.mark.parametrize("name", list(LEGACY))
def test_legacy_reduction_args(name, legacy):
    if legacy.get("reduction") == "elementwise_mean" and name in ("poisson_nll_loss", "multilabel_soft_margin_loss"):
        same_error(lambda L: LEGACY[name](L, L.ones(3, 4, dtype=L.float64), L.ones(3, 4, dtype=L.float64), **legacy))
        return
    x, t = randn(3, 4, dtype=np.float64), randn(3, 4, dtype=np.float64, seed=1)
    msgs = []
    outs = []
    for L in (torch, ember):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            outs.append(LEGACY[name](L, L.from_numpy(x.copy()), L.from_numpy(t.copy()), **legacy).detach().numpy())
        msgs.append([str(m.message) for m in w])
    assert msgs[0] == msgs[1]
    np.testing.assert_allclose(outs[1], outs[0], rtol=1e-10)


def test_kl_div_mean_warning_and_batchmean():
    x, t = randn(3, 4, dtype=np.float64), probs(3, 4)
    for L in (torch, ember):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            F(L).kl_div(L.from_numpy(x), L.from_numpy(t))
        assert len(w) == 1 and str(w[0].message).startswith("reduction: 'mean' divides the total loss by both")
        assert w[0].filename == __file__
    check(lambda L, x, t: F(L).kl_div(x, t, reduction="batchmean"), x, t)
    check(lambda L, x, t: F(L).kl_div(x, t, reduction="batchmean", log_target=True), x, t)
    check(lambda L, x, t: F(L).kl_div(x, t, reduction="batchmean"), np.array(0.3), np.array(0.5))


# ============================================================================ pairwise / margin losses

@pytest.mark.parametrize("reduction", RED)
@pytest.mark.parametrize("case", [
    ("cosine", lambda L, a, b, y, r: F(L).cosine_embedding_loss(a, b, y, reduction=r)),
    ("cosine_margin", lambda L, a, b, y, r: F(L).cosine_embedding_loss(a, b, y, margin=0.2, reduction=r)),
    ("cosine_1d", lambda L, a, b, y, r: F(L).cosine_embedding_loss(a[0], b[0], y[0], 0.1, reduction=r)),
    ("ranking", lambda L, a, b, y, r: F(L).margin_ranking_loss(a[:, 0], b[:, 0], y, reduction=r)),
    ("ranking_margin", lambda L, a, b, y, r: F(L).margin_ranking_loss(a[:, 0], b[:, 0], y, 0.5, reduction=r)),
    ("triplet", lambda L, a, b, y, r: F(L).triplet_margin_loss(a, b, a * 0.5 - b, reduction=r)),
    ("triplet_p1_swap", lambda L, a, b, y, r: F(L).triplet_margin_loss(a, b, a * 0.5 - b, 2.0, 1, swap=True,
                                                                       reduction=r)),
    ("triplet_1d", lambda L, a, b, y, r: F(L).triplet_margin_loss(a[0], b[0], b[1], reduction=r)),
], ids=lambda c: c[0] if isinstance(c, tuple) else c)
def test_margin_losses(case, reduction):
    _, fn = case
    a, b = randn(4, 5, dtype=np.float64), randn(4, 5, dtype=np.float64, seed=1)
    y = signs(4, seed=2)
    check(lambda L, a, b, y: fn(L, a, b, y, reduction), a, b, y)
    check(lambda L, a, b, y: fn(L, a, b, y, reduction), a.astype(np.float32), b.astype(np.float32),
          y.astype(np.float32))
    check_gradcheck(lambda a, b: fn(ember, a, b, ember.from_numpy(y), reduction), a, b)
    compare_derivs(lambda L, a, b: fn(L, a, b, L.from_numpy(y), reduction), a, b)


@pytest.mark.parametrize("reduction", RED)
@pytest.mark.parametrize("opts", [{}, {"p": 2}, {"margin": 0.5}, {"weight": True}, {"p": 2, "weight": True}])
@pytest.mark.parametrize("shape", [(5, 4), (4,)])
def test_multi_margin(shape, reduction, opts):
    w = np.array([0.5, 1.0, 2.0, 0.3])
    t = labels(5, 4) if len(shape) == 2 else np.array(2)

    def f(L, x, t):
        kw = dict(opts, reduction=reduction)
        if kw.pop("weight", False):
            kw["weight"] = L.from_numpy(w.astype(np.float64 if x.dtype == L.float64 else np.float32))
        return F(L).multi_margin_loss(x, t, **kw)
    check(f, randn(*shape, dtype=np.float64) * 0.5, t)
    check(f, randn(*shape) * 0.5, t)
    check_gradcheck(lambda x: f(ember, x, ember.from_numpy(t)), randn(*shape, dtype=np.float64) * 0.5)


# ============================================================================ torch.* (int reduction) spellings

TOP = {
    "binary_cross_entropy_with_logits": lambda L, x, t, *r: L.binary_cross_entropy_with_logits(x, t.sigmoid(), None,
                                                                                                None, *r),
    "kl_div": lambda L, x, t, *r: L.kl_div(x, t.abs(), *r),
    "kl_div_log": lambda L, x, t, *r: L.kl_div(x, t, *r, log_target=True),
    "cosine_embedding_loss": lambda L, x, t, *r: L.cosine_embedding_loss(x, t, t[:, 0].sign(), 0.1, *r),
    "margin_ranking_loss": lambda L, x, t, *r: L.margin_ranking_loss(x, t, t.sign(), 0.2, *r),
    "hinge_embedding_loss": lambda L, x, t, *r: L.hinge_embedding_loss(x, t.sign(), 1.0, *r),
    "triplet_margin_loss": lambda L, x, t, *r: L.triplet_margin_loss(x, t, t * 2, 1.0, 2, 1e-6, False, *r),
    "poisson_nll_loss": lambda L, x, t, *r: L.poisson_nll_loss(x, t.abs(), True, False, 1e-8, *(r or (1,))),
}


@pytest.mark.parametrize("reduction", [(), (0,), (1,), (2,)])
@pytest.mark.parametrize("name", list(TOP))
def test_top_level_losses(name, reduction):
    check(lambda L, x, t: TOP[name](L, x, t, *reduction), randn(3, 4, dtype=np.float64),
          randn(3, 4, dtype=np.float64, seed=1))


def test_top_level_bce_logits_string_reduction_raises():
    e, t = check_raises(lambda L, x: L.binary_cross_entropy_with_logits(x, x, None, None, "mean"), randn(3))
    assert type(e) is type(t)


# ============================================================================ properties

@settings(max_examples=30, deadline=None)
@given(n=st.integers(1, 6), c=st.integers(1, 5), extra=st.lists(st.integers(1, 3), max_size=2),
       seed=st.integers(0, 1000), reduction=st.sampled_from(RED), smoothing=st.sampled_from([0.0, 0.1]))
def test_cross_entropy_hypothesis(n, c, extra, seed, reduction, smoothing):
    x = randn(n, c, *extra, dtype=np.float64, seed=seed)
    t = labels(n, c, seed=seed, shape=(n, *extra))
    check(lambda L, x, t: F(L).cross_entropy(x, t, reduction=reduction, label_smoothing=smoothing), x, t)


@settings(max_examples=25, deadline=None)
@given(shape=st.lists(st.integers(1, 4), min_size=0, max_size=3), seed=st.integers(0, 1000),
       reduction=st.sampled_from(RED), name=st.sampled_from(["mse", "l1", "smooth_l1", "huber", "bce_logits", "bce"]))
def test_pair_hypothesis(shape, seed, reduction, name):
    x = np.asarray(randn(*shape, dtype=np.float64, seed=seed)) if shape else np.array(0.3)
    t = np.asarray(randn(*shape, dtype=np.float64, seed=seed + 1)) if shape else np.array(-0.2)
    check(lambda L, x, t: PAIR[name](L, x, t, reduction), x, t)


def test_bce_log_clamp_at_minus_100():
    check(lambda L, x, t: F(L).binary_cross_entropy(x, t), np.array([0.0, 1.0, 0.5, 1e-30]), np.array([1.0, 0.0, 1.0,
                                                                                                      1.0]), grad=False)


def test_bce_with_logits_extreme_logits():
    check(lambda L, x, t: F(L).binary_cross_entropy_with_logits(x, t, reduction="none"),
          np.array([-1e4, -100.0, 0.0, 100.0, 1e4], dtype=np.float32), np.array([1.0, 0.0, 0.5, 1.0, 0.0],
                                                                               dtype=np.float32))
