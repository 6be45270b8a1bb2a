"""Loss layers against torch: repr, state_dict (weight / pos_weight buffers), legacy size_average/reduce
(the reduction they resolve to and the deprecation warning), forward/backward for every reduction, errors."""
import warnings

import numpy as np
import pytest
import torch

from conftest import randn, same, same_error
from layer_check import layer_check

REDUCTIONS = ["mean", "sum", "none"]
N, C = 4, 5


def _rng(seed=0):
    return np.random.default_rng(seed)


def logits():
    return randn(N, C)


def classes():
    return _rng(3).integers(0, C, size=N).astype(np.int64)


def probs(*shape, seed=1):
    return _rng(seed).uniform(0.05, 0.95, size=shape).astype(np.float32)


def signs(*shape, seed=2):
    return np.where(_rng(seed).random(shape) < 0.5, -1.0, 1.0).astype(np.float32)


# (class name, ctor kwargs (lib -> dict), inputs (thunk), indices of inputs that get grads)
CASES = [
    ("L1Loss", lambda lib: {}, lambda: (randn(3, 4), randn(3, 4, seed=1)), (0, 1)),
    ("MSELoss", lambda lib: {}, lambda: (randn(3, 4), randn(3, 4, seed=1)), (0, 1)),
    ("SmoothL1Loss", lambda lib: {"beta": 0.5}, lambda: (randn(3, 4), randn(3, 4, seed=1)), (0, 1)),
    ("HuberLoss", lambda lib: {"delta": 0.7}, lambda: (randn(3, 4), randn(3, 4, seed=1)), (0, 1)),
    ("CrossEntropyLoss", lambda lib: {}, lambda: (logits(), classes()), (0,)),
    ("CrossEntropyLoss", lambda lib: {"weight": lib.tensor([1.0, 2.0, 0.5, 1.0, 3.0]), "ignore_index": 2,
                                      "label_smoothing": 0.1}, lambda: (logits(), classes()), (0,)),
    ("CrossEntropyLoss", lambda lib: {}, lambda: (logits(), probs(N, C)), (0,)),
    ("NLLLoss", lambda lib: {}, lambda: (logits(), classes()), (0,)),
    ("NLLLoss", lambda lib: {"weight": lib.tensor([1.0, 2.0, 0.5, 1.0, 3.0]), "ignore_index": 1},
     lambda: (logits(), classes()), (0,)),
    ("BCELoss", lambda lib: {}, lambda: (probs(3, 4), probs(3, 4, seed=5)), (0,)),
    ("BCELoss", lambda lib: {"weight": lib.tensor([1.0, 2.0, 0.5, 3.0])}, lambda: (probs(3, 4), probs(3, 4, seed=5)),
     (0,)),
    ("BCEWithLogitsLoss", lambda lib: {}, lambda: (randn(3, 4), probs(3, 4)), (0, 1)),
    ("BCEWithLogitsLoss", lambda lib: {"weight": lib.tensor([1.0, 2.0, 0.5, 3.0]),
                                       "pos_weight": lib.tensor([2.0, 1.0, 1.0, 0.5])},
     lambda: (randn(3, 4), probs(3, 4)), (0, 1)),
    ("KLDivLoss", lambda lib: {}, lambda: (np.log(probs(3, 4)), probs(3, 4, seed=4)), (0, 1)),
    ("KLDivLoss", lambda lib: {"log_target": True}, lambda: (np.log(probs(3, 4)), np.log(probs(3, 4, seed=4))),
     (0, 1)),
    ("CosineEmbeddingLoss", lambda lib: {"margin": 0.2}, lambda: (randn(N, 3), randn(N, 3, seed=1), signs(N)),
     (0, 1)),
    ("MarginRankingLoss", lambda lib: {"margin": 0.1}, lambda: (randn(N), randn(N, seed=1), signs(N)), (0, 1)),
    ("TripletMarginLoss", lambda lib: {}, lambda: (randn(N, 3), randn(N, 3, seed=1), randn(N, 3, seed=2)),
     (0, 1, 2)),
    ("TripletMarginLoss", lambda lib: {"margin": 0.5, "p": 1.0, "swap": True},
     lambda: (randn(N, 3), randn(N, 3, seed=1), randn(N, 3, seed=2)), (0, 1, 2)),
    ("TripletMarginWithDistanceLoss", lambda lib: {},
     lambda: (randn(N, 3), randn(N, 3, seed=1), randn(N, 3, seed=2)), (0, 1, 2)),
    ("HingeEmbeddingLoss", lambda lib: {"margin": 0.5}, lambda: (randn(3, 4), signs(3, 4)), (0,)),
    ("PoissonNLLLoss", lambda lib: {}, lambda: (randn(3, 4), probs(3, 4) * 4), (0,)),
    ("PoissonNLLLoss", lambda lib: {"log_input": False, "full": True}, lambda: (probs(3, 4) * 3, probs(3, 4) * 4),
     (0,)),
    ("GaussianNLLLoss", lambda lib: {}, lambda: (randn(3, 4), randn(3, 4, seed=1), probs(3, 4)), (0, 1, 2)),
    ("GaussianNLLLoss", lambda lib: {"full": True, "eps": 1e-3}, lambda: (randn(3, 4), randn(3, 4, seed=1),
                                                                         probs(3, 1)), (0, 1, 2)),
    ("SoftMarginLoss", lambda lib: {}, lambda: (randn(3, 4), signs(3, 4)), (0,)),
    ("MultiLabelSoftMarginLoss", lambda lib: {}, lambda: (randn(N, C), (probs(N, C) > 0.5).astype(np.float32)), (0,)),
    ("MultiLabelSoftMarginLoss", lambda lib: {"weight": lib.tensor([1.0, 2.0, 0.5, 1.0, 3.0])},
     lambda: (randn(N, C), (probs(N, C) > 0.5).astype(np.float32)), (0,)),
    ("MultiMarginLoss", lambda lib: {}, lambda: (logits(), classes()), (0,)),
    ("MultiMarginLoss", lambda lib: {"p": 2, "margin": 0.5, "weight": lib.tensor([1.0, 2.0, 0.5, 1.0, 3.0])},
     lambda: (logits(), classes()), (0,)),
]


def _id(case):
    name, kw, _, _ = case
    return name + ("-" + "-".join(kw(torch)) if kw(torch) else "")


@pytest.mark.filterwarnings("ignore:reduction. 'mean' divides the total loss")
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_loss_matches_torch(case, reduction):
    name, kw, inputs, grads = case
    layer_check(lambda lib: getattr(lib.nn, name)(reduction=reduction, **kw(lib)), *inputs(), grad_inputs=grads,
                atol=1e-5)


@pytest.mark.parametrize("log_target", [False, True])
def test_kldiv_batchmean(log_target):
    x, t = np.log(probs(3, 4)), probs(3, 4, seed=4)
    layer_check(lambda lib: lib.nn.KLDivLoss(reduction="batchmean", log_target=log_target), x,
                np.log(t) if log_target else t)


def test_reprs():
    def f(lib):
        nn = lib.nn
        return [repr(m) for m in (nn.MSELoss(), nn.CrossEntropyLoss(weight=lib.ones(3)), nn.NLLLoss(reduction="sum"),
                                  nn.BCEWithLogitsLoss(pos_weight=lib.ones(2)), nn.TripletMarginWithDistanceLoss(),
                                  nn.TripletMarginWithDistanceLoss(distance_function=nn.CosineSimilarity()),
                                  nn.HuberLoss(delta=2))]
    same(f)


@pytest.mark.parametrize("make", [
    lambda lib: lib.nn.CrossEntropyLoss(),
    lambda lib: lib.nn.CrossEntropyLoss(weight=lib.ones(3)),
    lambda lib: lib.nn.NLLLoss(lib.ones(3)),
    lambda lib: lib.nn.BCELoss(weight=lib.ones(3)),
    lambda lib: lib.nn.BCEWithLogitsLoss(pos_weight=lib.ones(3)),
    lambda lib: lib.nn.BCEWithLogitsLoss(lib.ones(3), pos_weight=lib.ones(3)),
    lambda lib: lib.nn.MultiMarginLoss(weight=lib.ones(3)),
    lambda lib: lib.nn.MultiLabelSoftMarginLoss(lib.ones(3)),
])
def test_weight_buffers_in_state_dict(make):
    def f(lib):
        m = make(lib)
        return (list(m.state_dict()), [n for n, _ in m.named_buffers()], list(m._buffers), list(m.parameters()),
                m.weight is None)
    same(f)


def test_weight_buffer_moves_with_module():
    def f(lib):
        m = lib.nn.CrossEntropyLoss(weight=lib.ones(3)).double()
        return str(m.weight.dtype), m.state_dict()["weight"].numpy()
    same(f)


@pytest.mark.parametrize("size_average,reduce", [(None, False), (False, None), (True, True), (False, True),
                                                 (True, False), (None, True), (True, None)])
@pytest.mark.parametrize("name", ["L1Loss", "MSELoss", "CrossEntropyLoss", "NLLLoss", "BCELoss", "KLDivLoss",
                                  "SmoothL1Loss", "SoftMarginLoss", "HingeEmbeddingLoss", "MultiMarginLoss",
                                  "BCEWithLogitsLoss", "PoissonNLLLoss", "CosineEmbeddingLoss", "MarginRankingLoss",
                                  "TripletMarginLoss", "MultiLabelSoftMarginLoss"])
def test_legacy_size_average_reduce(name, size_average, reduce):
    def f(lib):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            m = getattr(lib.nn, name)(size_average=size_average, reduce=reduce)
        return m.reduction, [(x.category.__name__, str(x.message)) for x in w]
    same(f)


def test_legacy_flags_override_reduction():
    def f(lib):
        with warnings.catch_warnings(record=True):
            warnings.simplefilter("always")
            m = lib.nn.MSELoss(size_average=False, reduction="none")
        return m.reduction, m(lib.ones(3), lib.zeros(3)).numpy()
    same(f)


@pytest.mark.parametrize("make", [
    lambda lib: lib.nn.MultiMarginLoss(p=3),
    lambda lib: lib.nn.MultiMarginLoss(weight=lib.ones(2, 2)),
    lambda lib: lib.nn.TripletMarginLoss(margin=0),
    lambda lib: lib.nn.TripletMarginWithDistanceLoss(margin=-1.0),
    lambda lib: lib.nn.HuberLoss(delta="1"),
    lambda lib: lib.nn.MSELoss(reduction="bogus")(lib.ones(2), lib.ones(2)),
    lambda lib: lib.nn.CrossEntropyLoss()(lib.ones(2, 3), lib.tensor([0, 3])),
    lambda lib: lib.nn.NLLLoss()(lib.ones(2, 3), lib.tensor([0, 1, 2])),
])
def test_errors(make):
    same_error(make)


def test_nllloss2d_deprecated():
    def f(lib):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            m = lib.nn.NLLLoss2d()
        return repr(m), [x.category.__name__ for x in w], isinstance(m, lib.nn.NLLLoss)
    same(f)


def test_cross_entropy_spatial_and_module_in_training_step():
    x, t = randn(2, 3, 4, 4), _rng(0).integers(0, 3, size=(2, 4, 4)).astype(np.int64)
    layer_check(lambda lib: lib.nn.CrossEntropyLoss(weight=lib.tensor([0.2, 1.0, 2.0])), x, t, grad_inputs=(0,))
