"""Padding, PixelShuffle/Unshuffle, Upsample, CosineSimilarity/PairwiseDistance (and F.cosine_similarity,
F.pairwise_distance, F.normalize), Fold/Unfold against torch: reprs, forward/backward, grad_fn names, errors."""
import numpy as np
import pytest

import torch
from conftest import check, randn, same, same_error
from layer_check import layer_check

PAD_CASES = [
    ("ZeroPad1d", (2,)), ("ZeroPad1d", ((1, 3),)), ("ZeroPad2d", (1,)), ("ZeroPad2d", ((1, 0, 2, 1),)),
    ("ZeroPad3d", (1,)), ("ConstantPad1d", (2, 3.5)), ("ConstantPad2d", ((1, 2, 0, 1), -1.0)),
    ("ConstantPad3d", (1, 0.5)), ("ReflectionPad1d", (2,)), ("ReflectionPad2d", ((1, 2, 2, 0),)),
    ("ReflectionPad3d", (1,)), ("ReplicationPad1d", ((3, 1),)), ("ReplicationPad2d", (2,)),
    ("ReplicationPad3d", ((1, 0, 1, 2, 0, 1),)), ("CircularPad1d", (2,)), ("CircularPad2d", ((1, 2, 0, 1),)),
    ("CircularPad3d", (1,)), ("ZeroPad2d", ((-1, 1, 0, -1),)),
]


@pytest.mark.parametrize("batched", [True, False])
@pytest.mark.parametrize("name,args", PAD_CASES, ids=[f"{n}-{a}" for n, a in PAD_CASES])
def test_padding_matches_torch(name, args, batched):
    nd = int(name[-2])
    x = randn(*((2, 3) if batched else (3,)) + (4, 5, 6)[:nd])
    layer_check(lambda lib: getattr(lib.nn, name)(*args), x)


def test_padding_reprs_and_errors():
    def f(lib):
        nn = lib.nn
        return [repr(m) for m in (nn.ZeroPad2d(2), nn.ConstantPad1d((1, 2), 0.5), nn.ReflectionPad2d((1, 1, 2, 0)),
                                  nn.ReplicationPad3d(1), nn.CircularPad1d(3), nn.ZeroPad1d(1), nn.ConstantPad3d(1, 2))]
    same(f)
    same_error(lambda lib: lib.nn.CircularPad2d(1)(lib.ones(3, 3)))
    same_error(lambda lib: lib.nn.ReflectionPad1d(4)(lib.ones(1, 2, 3)))


@pytest.mark.parametrize("shape,r", [((2, 8, 3, 4), 2), ((9, 2, 2), 3), ((1, 2, 4, 3, 3), 2)])
def test_pixel_shuffle_round_trip(shape, r):
    x = randn(*shape)
    e, _ = layer_check(lambda lib: lib.nn.PixelShuffle(r), x)
    y = randn(*shape[:-3], shape[-3] // (r * r), shape[-2] * r, shape[-1] * r)
    layer_check(lambda lib: lib.nn.PixelUnshuffle(r), y)
    same_error(lambda lib: lib.nn.PixelShuffle(3)(lib.ones(1, 4, 2, 2)))


UPSAMPLE_CASES = [
    ((), {"scale_factor": 2}, (2, 3, 4, 5)), ((), {"size": (6, 7)}, (2, 3, 4, 5)),
    ((), {"scale_factor": (2, 1.5), "mode": "bilinear"}, (2, 3, 4, 4)),
    ((), {"scale_factor": 2, "mode": "bilinear", "align_corners": True}, (1, 2, 3, 5)),
    ((), {"size": 7, "mode": "linear"}, (2, 3, 5)), ((), {"scale_factor": 2, "mode": "nearest"}, (1, 2, 3, 3, 2)),
    ((), {"size": (3, 2), "mode": "area"}, (1, 2, 7, 5)),  # (bicubic: not in ember's F.interpolate yet)
    ((), {"size": (2, 3, 4), "mode": "trilinear"}, (1, 2, 3, 3, 2)),
    ((), {"scale_factor": 1.7, "mode": "nearest-exact", "recompute_scale_factor": True}, (1, 2, 5, 5)),
]


@pytest.mark.parametrize("args,kw,shape", UPSAMPLE_CASES, ids=[str(c[1]) for c in UPSAMPLE_CASES])
def test_upsample_matches_torch(args, kw, shape):
    layer_check(lambda lib: lib.nn.Upsample(*args, **kw), randn(*shape), atol=1e-5)


@pytest.mark.parametrize("name,kw", [("UpsamplingNearest2d", {"scale_factor": 2}),
                                     ("UpsamplingNearest2d", {"size": (5, 3)}),
                                     ("UpsamplingBilinear2d", {"scale_factor": 2}),
                                     ("UpsamplingBilinear2d", {"size": 7})])
def test_upsampling_2d(name, kw):
    layer_check(lambda lib: getattr(lib.nn, name)(**kw), randn(2, 3, 4, 5), atol=1e-5)


def test_upsample_reprs_and_attributes():
    def f(lib):
        nn = lib.nn
        ms = [nn.Upsample(scale_factor=2), nn.Upsample(size=(3, 4), mode="bilinear"),
              nn.Upsample(scale_factor=(2, 3)), nn.UpsamplingBilinear2d(scale_factor=2), nn.UpsamplingNearest2d(5),
              nn.Upsample()]
        return [(repr(m), m.name, m.scale_factor, m.size, m.align_corners) for m in ms]
    same(f)


# ---------------------------------------------------------------- distances

DIST_SHAPES = [((4, 5), (4, 5)), ((3, 4), (1, 4)), ((2, 3, 4), (3, 4)), ((5,), (5,)), ((4,), (2, 4))]


@pytest.mark.parametrize("s1,s2", DIST_SHAPES)
@pytest.mark.parametrize("kw", [{}, {"p": 1.0}, {"p": 3.0, "eps": 0.1, "keepdim": True}, {"p": float("inf")}])
def test_pairwise_distance(s1, s2, kw):
    layer_check(lambda lib: lib.nn.PairwiseDistance(**kw), randn(*s1), randn(*s2, seed=1), atol=1e-5)


@pytest.mark.parametrize("s1,s2,dim", [((4, 5), (4, 5), 1), ((3, 4), (1, 4), -1), ((2, 3, 4), (3, 4), 0),
                                       ((5,), (5,), 0), ((2, 3, 4), (2, 3, 4), 2)])
def test_cosine_similarity(s1, s2, dim):
    layer_check(lambda lib: lib.nn.CosineSimilarity(dim=dim), randn(*s1), randn(*s2, seed=1), atol=1e-5)


def test_cosine_similarity_zero_vector_and_eps():
    x = np.zeros((2, 3), np.float32)
    x[1] = 1e-5
    check(lambda lib, a, b: lib.nn.functional.cosine_similarity(a, b, 1, 1e-3), x, randn(2, 3))
    check(lambda lib, a, b: lib.cosine_similarity(a, b, 0), randn(3, 2, dtype=np.float64), randn(3, 2))
    check(lambda lib, a, b: lib.pairwise_distance(a, b), randn(3, 2, dtype=np.float64), randn(3, 2))


@pytest.mark.parametrize("make", [
    lambda lib: lib.nn.CosineSimilarity()(lib.ones(3, 4), lib.ones(3, 5)),
    lambda lib: lib.nn.CosineSimilarity(dim=2)(lib.ones(3, 4), lib.ones(3, 4)),
    lambda lib: lib.nn.CosineSimilarity(0)(lib.arange(3), lib.arange(3)),
    lambda lib: lib.nn.PairwiseDistance()(lib.ones(3, 4), lib.ones(3, 5)),
    lambda lib: lib.nn.functional.normalize(lib.ones(3), dim=1),
])
def test_distance_errors(make):
    same_error(make)


def test_distance_reprs_and_attributes():
    def f(lib):
        a, b = lib.nn.PairwiseDistance(p=1.0, keepdim=True), lib.nn.CosineSimilarity(dim=0, eps=1e-6)
        return repr(a), repr(b), a.norm, a.eps, a.keepdim, b.dim, b.eps
    same(f)


@pytest.mark.parametrize("shape,kw", [((3, 4), {}), ((2, 3, 4), {"p": 1.0, "dim": 2}), ((5,), {"dim": 0}),
                                      ((2, 3), {"p": 3.0, "eps": 0.5})])
def test_normalize(shape, kw):
    x = randn(*shape)
    x[0] = 0.0
    check(lambda lib, x: lib.nn.functional.normalize(x, **kw), x)


# ---------------------------------------------------------------- fold / unfold

@pytest.mark.parametrize("kw", [{"kernel_size": 2}, {"kernel_size": (2, 3), "stride": 2, "padding": 1},
                                {"kernel_size": 3, "dilation": 2, "padding": (2, 1)}])
def test_unfold_fold(kw):
    x = randn(2, 3, 7, 6)
    e, _ = layer_check(lambda lib: lib.nn.Unfold(**kw), x)
    cols = e(__import__("ember").from_numpy(x)).numpy()
    layer_check(lambda lib: lib.nn.Fold(output_size=(7, 6), **kw), cols)
    layer_check(lambda lib: lib.nn.Fold(output_size=(7, 6), **kw), cols[0])


def test_fold_reprs_and_errors():
    def f(lib):
        return repr(lib.nn.Fold((4, 5), 2)), repr(lib.nn.Unfold((2, 3), dilation=2, padding=1, stride=(1, 2)))
    same(f)
    same_error(lambda lib: lib.nn.Fold((4, 4), 2)(lib.ones(1, 5, 9)))


def test_all_layers_exported_like_torch():
    import ember
    names = """Conv1d Conv2d Conv3d ConvTranspose1d ConvTranspose2d ConvTranspose3d LazyConv1d LazyConv2d LazyConv3d
        LazyConvTranspose1d LazyConvTranspose2d LazyConvTranspose3d MaxPool1d MaxPool2d MaxPool3d AvgPool1d AvgPool2d
        AvgPool3d AdaptiveAvgPool1d AdaptiveAvgPool2d AdaptiveAvgPool3d AdaptiveMaxPool1d AdaptiveMaxPool2d
        AdaptiveMaxPool3d MaxUnpool1d MaxUnpool2d LPPool1d LPPool2d ZeroPad1d ZeroPad2d ZeroPad3d ConstantPad1d
        ConstantPad2d ConstantPad3d ReflectionPad1d ReflectionPad2d ReflectionPad3d ReplicationPad1d ReplicationPad2d
        ReplicationPad3d CircularPad1d CircularPad2d CircularPad3d PixelShuffle PixelUnshuffle Upsample
        UpsamplingNearest2d UpsamplingBilinear2d CosineSimilarity PairwiseDistance Fold Unfold L1Loss MSELoss
        CrossEntropyLoss NLLLoss BCELoss BCEWithLogitsLoss KLDivLoss ReLU GELU Softmax PReLU""".split()
    for n in names:
        assert getattr(ember.nn, n) is getattr(ember.nn.modules, n)
        assert getattr(torch.nn, n).__module__.replace("torch", "ember") == getattr(ember.nn, n).__module__
