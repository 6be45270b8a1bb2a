"""Differential tests of ``ember/ops/reduce.py`` against torch.

Reductions and scans as functions and methods, over ``dim`` given as None, an
int, a negative int, a tuple, a list or ``()``, with and without ``keepdim``
and ``dtype=``; values, dtypes, shapes, grads and ``grad_fn`` names must match
torch's, and bad arguments must raise what torch raises.
"""

import numpy as np
import pytest
import torch

import ember
from conftest import check, check_gradcheck, check_raises, check_or_raises

# both libraries warn for var/std with too few samples; test_var_std_dof_warning checks that ember does
pytestmark = pytest.mark.filterwarnings("ignore:.*degrees of freedom is <= 0:UserWarning")

F16, F32, F64 = np.float16, np.float32, np.float64
I64, I32, U8, B = np.int64, np.int32, np.uint8, np.bool_
DTYPES = [F32, F64, F16, I64, I32, U8, B]


def data(shape, dtype, seed=0, kind="any"):
    rng = np.random.default_rng(seed)
    dt = np.dtype(dtype)
    if dt.kind == "b":
        return np.asarray(rng.random(shape) < 0.5)
    if dt.kind in "iu":
        lo, hi = {"any": (-4, 5), "pos": (1, 4), "small": (0, 3)}[kind]
        return np.asarray(np.abs(rng.integers(lo, hi, size=shape)) if dt.kind == "u" else
                          rng.integers(lo, hi, size=shape)).astype(dt)
    a = rng.standard_normal(shape)
    if kind == "pos":
        a = np.abs(a) + 0.5
    elif kind == "small":
        a = rng.uniform(0.5, 1.5, shape) * np.where(rng.random(shape) < 0.5, -1, 1)
    return np.asarray(a).astype(dt)


_diff = check_or_raises


dtype_id = lambda d: np.dtype(d).name  # noqa: E731

DIMS = [None, 0, -1, 1, (0, 2), [0, -1], (), (-3, 1, 2), [1]]
dim_id = lambda d: repr(d).replace(" ", "")  # noqa: E731


# ============================================================================ sum / mean / prod / nansum / nanmean

@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("dim", DIMS, ids=dim_id)
@pytest.mark.parametrize("name", ["sum", "mean", "nansum", "nanmean"])
def test_sum_mean(name, dim, keepdim, dtype):
    x = data((2, 3, 4), dtype, 1)
    if dim is None and not keepdim:
        _diff(lambda t, a: getattr(t, name)(a), x)
        _diff(lambda t, a: getattr(a, name)(), x)
    else:
        _diff(lambda t, a: getattr(t, name)(a, dim, keepdim), x)
        _diff(lambda t, a: getattr(a, name)(dim=dim, keepdim=keepdim), x)


@pytest.mark.parametrize("out_dtype", [F64, F32, I64, F16], ids=dtype_id)
@pytest.mark.parametrize("dtype", [F32, I64, B, U8], ids=dtype_id)
@pytest.mark.parametrize("name", ["sum", "mean", "prod", "nansum", "cumsum", "cumprod", "softmax", "log_softmax"])
def test_reduction_dtype_arg(name, dtype, out_dtype):
    x = data((3, 4), dtype, 2, "small")
    od = np.dtype(out_dtype).name
    # a float input that requires grad cannot give an integer result (checked in test_integer_dtype_needs_no_grad);
    # a float16 result makes float16-precision grads
    kw = {"grad": np.dtype(out_dtype).kind == "f"}
    if out_dtype is F16:
        kw.update(grad_atol=1e-2, grad_rtol=1e-2)
    if name in ("cumsum", "cumprod", "softmax", "log_softmax"):
        _diff(lambda t, a: getattr(t, name)(a, 1, dtype=getattr(t, od)), x, **kw)
        _diff(lambda t, a: getattr(a, name)(0, dtype=getattr(t, od)), x, **kw)
    else:
        _diff(lambda t, a: getattr(t, name)(a, dtype=getattr(t, od)), x, **kw)
        _diff(lambda t, a: getattr(a, name)(1, keepdim=True, dtype=getattr(t, od)), x, **kw)


@pytest.mark.parametrize("name", ["sum", "prod", "nansum", "cumsum", "cumprod"])
def test_integer_dtype_needs_no_grad(name):
    x = data((3, 4), F32, 2)
    args = (1,) if name.startswith("cum") else ()
    e, t = check_raises(lambda t, a: getattr(a.requires_grad_(), name)(*args, dtype=t.int64), x)
    assert str(e) == str(t)
    check(lambda t, a: getattr(a, name)(*args, dtype=t.int64), x, grad=False)


@pytest.mark.parametrize("shape", [(), (0,), (0, 3), (3, 0), (1,), (5,), (1, 1, 1)], ids=str)
@pytest.mark.parametrize("name", ["sum", "mean", "prod", "nansum", "nanmean", "amax", "amin", "max", "min",
                                  "argmax", "argmin", "var", "std", "norm", "logsumexp", "all", "any",
                                  "count_nonzero", "cumsum", "cumprod", "softmax", "log_softmax"])
def test_reduction_degenerate_shapes(name, shape):
    x = data(shape, F64, 3)
    needs_dim = name in ("logsumexp", "cumsum", "cumprod", "softmax", "log_softmax")
    if not needs_dim:
        _diff(lambda t, a: getattr(t, name)(a), x)
    _diff(lambda t, a: getattr(t, name)(a, 0), x)
    _diff(lambda t, a: getattr(t, name)(a, -1), x)
    if name not in ("cumsum", "cumprod", "softmax", "log_softmax", "argmax", "argmin", "max", "min", "count_nonzero"):
        _diff(lambda t, a: getattr(t, name)(a, 0, keepdim=True), x)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("dim", [None, 0, -1, 2], ids=dim_id)
def test_prod(dim, keepdim, dtype):
    x = data((2, 3, 4), dtype, 4, "small")
    if dim is None:
        _diff(lambda t, a: t.prod(a), x)
        _diff(lambda t, a: a.prod(), x)
    else:
        _diff(lambda t, a: t.prod(a, dim, keepdim), x)
        _diff(lambda t, a: a.prod(dim, keepdim=keepdim), x)


@pytest.mark.parametrize("case", ["one_zero", "two_zeros", "all_zero", "no_zero"])
@pytest.mark.parametrize("dim", [None, 0, 1], ids=dim_id)
def test_prod_grad_with_zeros(case, dim):
    x = data((3, 4), F64, 5, "small")
    if case == "one_zero":
        x[1, 2] = 0
    elif case == "two_zeros":
        x[1, 2] = x[1, 0] = x[2, 2] = 0
    elif case == "all_zero":
        x[:] = 0
    fn = (lambda t, a: t.prod(a)) if dim is None else (lambda t, a: t.prod(a, dim))
    check(fn, x)
    check_gradcheck(lambda a: ember.prod(a) if dim is None else ember.prod(a, dim), x)


def test_sum_large_and_precision():
    x = np.full((1000,), 0.1, dtype=F16)
    check(lambda t, a: a.sum(), x)
    check(lambda t, a: a.mean(), x)
    check(lambda t, a: a.sum(0, keepdim=True), x)
    y = (np.arange(10000) % 7).astype(F32) * 1e-3
    check(lambda t, a: a.sum(), y)
    check(lambda t, a: t.sum(a, dtype=t.float64), y)


def test_nan_reductions():
    x = np.array([[1.0, np.nan, 2.0], [np.nan, np.nan, np.nan], [3.0, 4.0, -1.0]], dtype=F32)
    for fn in (lambda t, a: a.sum(), lambda t, a: a.nansum(), lambda t, a: a.nansum(1), lambda t, a: a.nanmean(1),
               lambda t, a: a.nanmean(), lambda t, a: a.mean(0), lambda t, a: t.nansum(a, (0, 1), keepdim=True),
               lambda t, a: a.prod(1), lambda t, a: a.cumsum(1), lambda t, a: a.logsumexp(1)):
        check(fn, x)


# ============================================================================ max / min / amax / amin / argmax / argmin

@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("name", ["max", "min"])
def test_max_min_all(name, dtype):
    x = data((3, 4), dtype, 6)
    _diff(lambda t, a: getattr(t, name)(a), x)
    _diff(lambda t, a: getattr(a, name)(), x)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("dim", [0, 1, -1, -3], ids=dim_id)
@pytest.mark.parametrize("name", ["max", "min"])
def test_max_min_dim(name, dim, keepdim, dtype):
    x = data((2, 3, 4), dtype, 7, "small")  # small integers: plenty of ties
    r = _diff(lambda t, a: getattr(t, name)(a, dim, keepdim), x)
    _diff(lambda t, a: getattr(a, name)(dim=dim, keepdim=keepdim), x)
    if r == "ok":
        e = getattr(ember, name)(ember.from_numpy(x), dim, keepdim)
        t = getattr(torch, name)(torch.from_numpy(x), dim, keepdim)
        assert isinstance(e, getattr(ember.return_types, name)) and isinstance(t, getattr(torch.return_types, name))
        assert isinstance(e, tuple) and len(e) == len(t) == 2
        check(lambda lib, a: getattr(lib, name)(a, dim, keepdim).values, x)
        check(lambda lib, a: getattr(lib, name)(a, dim, keepdim).indices, x)
        check(lambda lib, a: getattr(lib, name)(a, dim, keepdim)[0], x)


@pytest.mark.parametrize("name", ["max", "min", "amax", "amin", "argmax", "argmin"])
def test_extreme_ties_first_index_and_grad(name):
    x = np.array([[1.0, 3.0, 3.0, 0.0], [2.0, 2.0, 2.0, 2.0], [-1.0, 5.0, -1.0, 5.0]], dtype=F64)
    if name in ("argmax", "argmin"):
        for d in (None, 0, 1):
            check(lambda t, a: getattr(t, name)(a, d), x)
        return
    check(lambda t, a: getattr(t, name)(a), x)  # all: the grad is shared among ties
    check(lambda t, a: getattr(t, name)(a, 1), x)
    check(lambda t, a: getattr(t, name)(a, 0, True), x)
    if name in ("amax", "amin"):
        check(lambda t, a: getattr(t, name)(a, (0, 1)), x)
        check(lambda t, a: getattr(t, name)(a, ()), x)


@pytest.mark.parametrize("name", ["max", "min", "amax", "amin", "argmax", "argmin"])
def test_extreme_nan(name):
    x = np.array([[1.0, np.nan, 3.0, np.nan], [2.0, 5.0, 2.0, 0.0], [np.nan, 5.0, -1.0, 5.0]], dtype=F32)
    check(lambda t, a: getattr(t, name)(a), x)
    check(lambda t, a: getattr(t, name)(a, 1), x)
    check(lambda t, a: getattr(t, name)(a, 0), x)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("dim", [(), 0, -1, (0, 2), [1, 2], (-1, 0, 1)], ids=dim_id)
@pytest.mark.parametrize("name", ["amax", "amin"])
def test_amax_amin(name, dim, keepdim, dtype):
    x = data((2, 3, 4), dtype, 8, "small")
    _diff(lambda t, a: getattr(t, name)(a, dim, keepdim), x)
    _diff(lambda t, a: getattr(a, name)(dim, keepdim=keepdim), x)


@pytest.mark.parametrize("dtype", [F32, I64, B, F16], ids=dtype_id)
@pytest.mark.parametrize("kw", [{}, {"dim": 0}, {"dim": -1, "keepdim": True}, {"dim": 1}], ids=str)
def test_aminmax(kw, dtype):
    x = data((3, 4), dtype, 9, "small")
    _diff(lambda t, a: t.aminmax(a, **kw), x)
    r = _diff(lambda t, a: a.aminmax(**kw), x)
    if r == "ok":
        e, t = ember.aminmax(ember.from_numpy(x), **kw), torch.aminmax(torch.from_numpy(x), **kw)
        assert type(e).__name__ == type(t).__name__ and e.min.shape == t.min.shape and e.max.shape == t.max.shape


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("dim", [None, 0, 1, -1], ids=dim_id)
@pytest.mark.parametrize("name", ["argmax", "argmin"])
def test_argmax_argmin(name, dim, keepdim, dtype):
    x = data((3, 4, 2), dtype, 10, "small")
    _diff(lambda t, a: getattr(t, name)(a, dim, keepdim), x)
    _diff(lambda t, a: getattr(a, name)(dim=dim, keepdim=keepdim), x)


@pytest.mark.parametrize("fn", [
    lambda t, a: a.max(), lambda t, a: a.min(), lambda t, a: a.max(0), lambda t, a: a.max(1), lambda t, a: a.amax(),
    lambda t, a: a.amax(0), lambda t, a: a.amin(1), lambda t, a: a.argmax(), lambda t, a: a.argmin(0),
    lambda t, a: a.argmax(1), lambda t, a: a.aminmax(), lambda t, a: a.aminmax(dim=1), lambda t, a: a.max(1, True),
    lambda t, a: a.logsumexp(0), lambda t, a: a.logsumexp(1), lambda t, a: a.prod(0), lambda t, a: a.sum(0),
    lambda t, a: a.mean(0), lambda t, a: a.var(0), lambda t, a: a.std(1), lambda t, a: a.norm(dim=0),
    lambda t, a: t.linalg.vector_norm(a, float("inf")), lambda t, a: t.linalg.vector_norm(a, float("inf"), dim=0),
    lambda t, a: t.linalg.vector_norm(a, float("-inf")), lambda t, a: a.softmax(0), lambda t, a: a.cumsum(0),
    lambda t, a: a.cummax(0), lambda t, a: a.cummax(1), lambda t, a: a.all(0), lambda t, a: a.any(1)], ids=range(30))
def test_empty_inputs(fn):
    _diff(fn, data((0, 3), F32, 1))


def test_max_keepdim_without_dim_raises():
    check_raises(lambda t, a: t.max(a, keepdim=True), data((3,), F32))


def test_max_min_with_other_tensor():
    x, y = data((3, 4), F32, 1), data((4,), F32, 2)
    check(lambda t, a, b: t.max(a, b), x, y)
    check(lambda t, a, b: a.min(b), x, y)
    check(lambda t, a, b: t.max(a, other=b), x, y)


# ============================================================================ var / std

STAT_CALLS = {
    "default": lambda t, f, a: f(a),
    "dim": lambda t, f, a: f(a, 1),
    "dim_neg_keep": lambda t, f, a: f(a, -1, keepdim=True),
    "dim_tuple": lambda t, f, a: f(a, (0, 2)),
    "dim_list_keep": lambda t, f, a: f(a, [0, 1], keepdim=True),
    "unbiased_pos_false": lambda t, f, a: f(a, False),
    "unbiased_pos_true": lambda t, f, a: f(a, True),
    "dim_unbiased_pos": lambda t, f, a: f(a, 1, False),
    "dim_unbiased_keep_pos": lambda t, f, a: f(a, 1, False, True),
    "unbiased_kw": lambda t, f, a: f(a, unbiased=False),
    "dim_unbiased_kw": lambda t, f, a: f(a, dim=0, unbiased=True),
    "correction0": lambda t, f, a: f(a, correction=0),
    "correction2": lambda t, f, a: f(a, 1, correction=2),
    "correction_half": lambda t, f, a: f(a, (0, 1), correction=0.5, keepdim=True),
    "correction_none_dim": lambda t, f, a: f(a, dim=None, correction=1),
    "dim_empty_tuple": lambda t, f, a: f(a, ()),
}


@pytest.mark.parametrize("dtype", [F32, F64, F16], ids=dtype_id)
@pytest.mark.parametrize("call", list(STAT_CALLS))
@pytest.mark.parametrize("name", ["var", "std", "var_mean", "std_mean"])
def test_var_std(name, call, dtype):
    x = data((2, 3, 4), dtype, 11)
    _diff(lambda t, a: STAT_CALLS[call](t, getattr(t, name), a), x)
    if name in ("var", "std"):  # the method form
        _diff(lambda t, a: STAT_CALLS[call](t, lambda self, *args, **kw: getattr(self, name)(*args, **kw), a), x)


@pytest.mark.parametrize("shape,dim", [((1,), None), ((1, 3), 0), ((2,), None), ((), None), ((3,), 0)], ids=str)
@pytest.mark.parametrize("correction", [1, 2, 0])
@pytest.mark.parametrize("name", ["var", "std"])
def test_var_std_too_few_samples(name, correction, shape, dim):
    x = data(shape, F64, 12)
    check(lambda t, a: getattr(t, name)(a, dim, correction=correction), x)


@pytest.mark.filterwarnings("default")
@pytest.mark.parametrize("name", ["var", "std", "var_mean", "std_mean"])
def test_var_std_dof_warning(name):
    for lib in (torch, ember):
        with pytest.warns(UserWarning, match=rf"^{name}\(\): degrees of freedom is <= 0"):
            getattr(lib, name)(lib.ones(1))
        with pytest.warns(UserWarning, match="degrees of freedom"):
            getattr(lib, name)(lib.ones(2, 3), 0, correction=2)


def test_var_std_constant_input_grad():
    x = np.full((3, 4), 2.5, dtype=F64)
    check(lambda t, a: a.std(), x)
    check(lambda t, a: a.std(1), x)
    check(lambda t, a: a.var(0), x)


@pytest.mark.parametrize("dtype", [I64, B, U8], ids=dtype_id)
@pytest.mark.parametrize("name", ["var", "std", "var_mean", "std_mean", "mean", "nanmean"])
def test_stats_of_integers_raise(name, dtype):
    e, t = check_raises(lambda t, a: getattr(t, name)(a), data((3, 4), dtype))
    if name == "mean":
        assert str(e) == str(t)


# ============================================================================ norm

PS = [1, 2, 3, 0.5, 0, float("inf"), float("-inf"), -1, "fro", 2.5, -2]


@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("dim", [None, 0, -1, (0, 1), [1]], ids=dim_id)
@pytest.mark.parametrize("p", PS, ids=str)
def test_norm(p, dim, keepdim):
    x = data((3, 4), F64, 13)
    _diff(lambda t, a: t.norm(a, p, dim, keepdim), x)
    _diff(lambda t, a: a.norm(p=p, dim=dim, keepdim=keepdim), x)
    if p != "fro":
        _diff(lambda t, a: t.linalg.vector_norm(a, p, dim, keepdim), x)


@pytest.mark.parametrize("p", [1, 2, 3, 0.5, 0, float("inf"), float("-inf"), -1, 2.5], ids=str)
def test_norm_zeros_and_ties(p):
    x = np.array([[0.0, 0.0, 0.0], [1.0, -1.0, 0.5], [0.0, 2.0, -2.0]], dtype=F64)
    check(lambda t, a: t.linalg.vector_norm(a, p, 1), x)
    check(lambda t, a: t.linalg.vector_norm(a, p), x)
    check(lambda t, a: t.linalg.vector_norm(a * 0, p), x)


@pytest.mark.parametrize("dtype", [F32, F16, I64, B], ids=dtype_id)
def test_norm_dtypes(dtype):
    x = data((3, 4), dtype, 14)
    _diff(lambda t, a: a.norm(), x)
    _diff(lambda t, a: t.norm(a, 1, dim=0), x)
    _diff(lambda t, a: t.norm(a, dtype=t.float64), x)
    _diff(lambda t, a: t.linalg.vector_norm(a), x)
    _diff(lambda t, a: t.linalg.vector_norm(a, dtype=t.float64), x)


def test_norm_large_values():
    x = np.array([1e20, 3e20, -2e20], dtype=F32)
    check(lambda t, a: a.norm(), x)
    check(lambda t, a: t.linalg.vector_norm(a, 3), x)


# ============================================================================ logsumexp

@pytest.mark.parametrize("dtype", [F32, F64, I64, B], ids=dtype_id)
@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("dim", [0, -1, (0, 2), [1], ()], ids=dim_id)
def test_logsumexp(dim, keepdim, dtype):
    x = data((2, 3, 4), dtype, 15)
    _diff(lambda t, a: t.logsumexp(a, dim, keepdim), x)
    _diff(lambda t, a: a.logsumexp(dim, keepdim=keepdim), x)


def test_logsumexp_stability():
    x = np.array([[1000.0, 1000.0, -1000.0], [-1e4, -1e4, -1e4], [-np.inf, -np.inf, -np.inf],
                  [np.inf, 1.0, 2.0], [-np.inf, 0.0, 1.0]], dtype=F32)
    check(lambda t, a: t.logsumexp(a, 1), x[:2])
    check(lambda t, a: t.logsumexp(a, 1), x, grad=False)
    check(lambda t, a: t.logsumexp(a[4:], 1), x)
    check(lambda t, a: t.logsumexp(a, 1), x.astype(F64), grad=False)


# ============================================================================ cumsum / cumprod / cummax / cummin

@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("dim", [0, 1, -1, 2], ids=dim_id)
@pytest.mark.parametrize("name", ["cumsum", "cumprod", "cummax", "cummin"])
def test_scans(name, dim, dtype):
    x = data((2, 3, 4), dtype, 16, "small")
    _diff(lambda t, a: getattr(t, name)(a, dim), x)
    _diff(lambda t, a: getattr(a, name)(dim), x)



@pytest.mark.parametrize("name", ["cumsum_", "cumprod_"])
def test_inplace_scans(name):
    check(lambda t, a: getattr(a.clone(), name)(1), data((2, 3), F32, 1), grad=False)


@pytest.mark.parametrize("zeros", [[], [1], [0], [3], [1, 2], [0, 3]], ids=str)
def test_cumprod_grad_with_zeros(zeros):
    x = data((2, 4), F64, 17, "small")
    x[:, zeros] = 0
    check(lambda t, a: t.cumprod(a, 1), x)
    check(lambda t, a: t.cumprod(a, 0), x)
    check_gradcheck(lambda a: ember.cumprod(a, 1), x)


@pytest.mark.parametrize("name", ["cummax", "cummin"])
def test_cummax_ties_and_nan(name):
    x = np.array([[1.0, 1.0, 3.0, 3.0, 2.0, 5.0], [np.nan, 1.0, 2.0, np.nan, 0.0, 1.0]], dtype=F64)
    check(lambda t, a: getattr(t, name)(a, 1), x)
    check(lambda t, a: getattr(t, name)(a, 0), x)
    check(lambda t, a: getattr(t, name)(a, 1), x[:1].astype(I64))


# ============================================================================ softmax / log_softmax

@pytest.mark.parametrize("dtype", [F32, F64, F16, I64], ids=dtype_id)
@pytest.mark.parametrize("dim", [0, 1, -1, -3], ids=dim_id)
@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_softmax(name, dim, dtype):
    x = data((2, 3, 4), dtype, 18)
    _diff(lambda t, a: getattr(t, name)(a, dim), x)
    _diff(lambda t, a: getattr(a, name)(dim), x)
    _diff(lambda t, a: getattr(t.nn.functional, name)(a, dim=dim), x)
    _diff(lambda t, a: getattr(t, name)(a, dim, dtype=t.float64), x)


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_softmax_extremes(name):
    x = np.array([[1000.0, 0.0, -1000.0], [-np.inf, 0.0, 1.0], [5.0, 5.0, 5.0], [-1e30, 1e30, 0.0]], dtype=F32)
    check(lambda t, a: getattr(t, name)(a, 1), x)
    check(lambda t, a: getattr(t, name)(a, 1), np.array([[-np.inf, -np.inf]], dtype=F32), grad=False)
    check(lambda t, a: getattr(t, name)(a, 0), np.array(1.5, dtype=F64))


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_softmax_implicit_dim_warns(name):
    for shape in ((3,), (2, 3), (2, 3, 4), (2, 1, 3, 4)):
        x = data(shape, F32, 19)
        with pytest.warns(UserWarning, match="Implicit dimension choice"):
            e = getattr(ember.nn.functional, name)(ember.from_numpy(x))
        with pytest.warns(UserWarning):
            t = getattr(torch.nn.functional, name)(torch.from_numpy(x))
        np.testing.assert_allclose(e.numpy(), t.numpy(), rtol=1e-5, atol=1e-6)


# ============================================================================ all / any / count_nonzero

@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("kw", [{}, {"dim": 0}, {"dim": -1, "keepdim": True}, {"dim": (0, 2)}, {"dim": [1]},
                                {"dim": ()}], ids=str)
@pytest.mark.parametrize("name", ["all", "any"])
def test_all_any(name, kw, dtype):
    x = data((2, 3, 4), dtype, 20, "small")
    _diff(lambda t, a: getattr(t, name)(a, **kw), x)
    _diff(lambda t, a: getattr(a, name)(**kw), x)


@pytest.mark.parametrize("dtype", [F32, I64, B], ids=dtype_id)
@pytest.mark.parametrize("dim", [None, 0, -1, (0, 2), [1, 2]], ids=dim_id)
def test_count_nonzero(dim, dtype):
    x = data((2, 3, 4), dtype, 21, "small")
    _diff(lambda t, a: t.count_nonzero(a, dim), x)
    _diff(lambda t, a: a.count_nonzero(dim=dim), x)


# ============================================================================ errors

REDUCTIONS_WITH_DIM = {
    "sum": lambda t, a, d: a.sum(d), "mean": lambda t, a, d: a.mean(d), "prod": lambda t, a, d: a.prod(d),
    "max": lambda t, a, d: a.max(d), "min": lambda t, a, d: a.min(d), "amax": lambda t, a, d: a.amax(d),
    "amin": lambda t, a, d: a.amin(d), "argmax": lambda t, a, d: a.argmax(d), "argmin": lambda t, a, d: a.argmin(d),
    "var": lambda t, a, d: a.var(d), "std": lambda t, a, d: a.std(d), "norm": lambda t, a, d: a.norm(dim=d),
    "logsumexp": lambda t, a, d: a.logsumexp(d), "cumsum": lambda t, a, d: a.cumsum(d),
    "cumprod": lambda t, a, d: a.cumprod(d), "cummax": lambda t, a, d: a.cummax(d),
    "softmax": lambda t, a, d: a.softmax(d), "log_softmax": lambda t, a, d: a.log_softmax(d),
    "all": lambda t, a, d: a.all(d), "any": lambda t, a, d: a.any(d), "nansum": lambda t, a, d: a.nansum(d),
    "count_nonzero": lambda t, a, d: a.count_nonzero(d), "aminmax": lambda t, a, d: a.aminmax(dim=d),
    "vector_norm": lambda t, a, d: t.linalg.vector_norm(a, dim=d),
}


@pytest.mark.parametrize("dim", [2, -3, 5], ids=dim_id)
@pytest.mark.parametrize("name", list(REDUCTIONS_WITH_DIM))
def test_dim_out_of_range(name, dim):
    e, t = check_raises(REDUCTIONS_WITH_DIM[name], data((3, 4), F32), dim)
    assert type(e) is IndexError
    assert str(e) == str(t)


@pytest.mark.parametrize("name", ["sum", "mean", "amax", "amin", "var", "std", "norm", "logsumexp", "nansum",
                                  "count_nonzero", "all", "any"])
def test_dim_tuple_errors(name):
    fn = REDUCTIONS_WITH_DIM[name]
    check_raises(fn, data((3, 4), F32), (0, 0))
    check_raises(fn, data((3, 4), F32), (1, -1))
    e, t = check_raises(fn, data((3, 4), F32), (0, 2))
    assert str(e) == str(t)


@pytest.mark.parametrize("name", ["sum", "mean", "max", "amax", "argmax", "logsumexp", "cumsum", "softmax", "var"])
def test_zero_dim_input_dims(name):
    fn = REDUCTIONS_WITH_DIM[name]
    for d in (0, -1):
        _diff(fn, data((), F64, 1), d)
    e, t = check_raises(fn, data((), F64, 1), 1)
    assert str(e) == str(t)


def test_error_messages():
    f = data((3, 4), F32)
    cases = [
        (lambda t, a: a.max(), data((0, 3), F32)), (lambda t, a: a.argmax(), data((0,), F32)),
        (lambda t, a: a.max(0), data((0, 3), F32)), (lambda t, a: a.amax(), data((2, 0), F32)),
        (lambda t, a: a.mean(), data((3,), I64)), (lambda t, a: a.mean(), data((3,), B)),
        (lambda t, a: a.softmax(0), data((3,), I64)), (lambda t, a: a.norm(), data((3,), I64)),
        (lambda t, a: t.logsumexp(a), f), (lambda t, a: a.cumsum(), f),
        (lambda t, a: a.var(0, correction=1, unbiased=True), f),
        (lambda t, a: a.norm(p="nuc", dim=0), f), (lambda t, a: t.linalg.vector_norm(a, "fro"), f),
        (lambda t, a: a.max(dim=0, keepdim=True, other=a), f), (lambda t, a: a.prod((0, 1)), f),
        (lambda t, a: a.var(), data((3,), I64)), (lambda t, a: a.argmax(), data((3,), B)),
        (lambda t, a: a.nanmean(), data((3,), I64)), (lambda t, a: a.aminmax(), data((0,), F32)),
    ]
    for fn, x in cases:
        check_raises(fn, x)


# ============================================================================ gradcheck / gradgradcheck (float64)

GRADCHECK = {
    "sum": lambda a: a.sum(), "sum_dim": lambda a: a.sum((0, 2), keepdim=True), "mean": lambda a: a.mean(),
    "mean_dim": lambda a: a.mean(-1), "nansum": lambda a: a.nansum(1), "nanmean": lambda a: a.nanmean(0),
    "prod": lambda a: a.prod(), "prod_dim": lambda a: a.prod(1), "max": lambda a: a.max(), "min": lambda a: a.min(),
    "max_dim": lambda a: a.max(1)[0], "min_dim": lambda a: a.min(0, keepdim=True).values,
    "amax": lambda a: a.amax((0, 1)), "amin": lambda a: a.amin(-1), "aminmax": lambda a: a.aminmax(dim=1),
    "var": lambda a: a.var(), "var_dim": lambda a: a.var(1, correction=0), "std": lambda a: a.std((0, 2)),
    "var_mean": lambda a: ember.var_mean(a, 1), "std_mean": lambda a: ember.std_mean(a, 1),
    "norm2": lambda a: a.norm(), "norm1": lambda a: a.norm(1, dim=1), "norm3": lambda a: a.norm(3, dim=0),
    "norm_half": lambda a: a.norm(0.5), "norm_inf": lambda a: a.norm(float("inf"), dim=1),
    "norm_neg_inf": lambda a: a.norm(float("-inf")), "norm_neg1": lambda a: a.norm(-1, dim=2),
    "logsumexp": lambda a: a.logsumexp((0, 1)), "cumsum": lambda a: a.cumsum(1), "cumprod": lambda a: a.cumprod(2),
    "cummax": lambda a: a.cummax(1)[0], "cummin": lambda a: a.cummin(0)[0], "softmax": lambda a: a.softmax(1),
    "log_softmax": lambda a: a.log_softmax(-1),
}


@pytest.mark.parametrize("name", list(GRADCHECK))
def test_gradcheck(name):
    check_gradcheck(GRADCHECK[name], data((2, 3, 2), F64, 30))


GRADGRAD = {
    "sum": lambda a: a.sum(1, keepdim=True) * a.sum(0, keepdim=True), "mean": lambda a: a.mean(0) ** 2,
    "softmax": lambda a: a.softmax(1), "log_softmax": lambda a: a.log_softmax(0), "logsumexp": lambda a: a.logsumexp(1),
    "norm": lambda a: a.norm(dim=1), "norm3": lambda a: a.norm(3), "var": lambda a: a.var(0), "std": lambda a: a.std(1),
    "prod": lambda a: a.prod(1), "cumsum": lambda a: a.cumsum(0) ** 2, "amax": lambda a: a.amax(1) ** 2,
}


@pytest.mark.parametrize("name", list(GRADGRAD))
def test_gradgradcheck(name):
    a = ember.from_numpy(data((3, 4), F64, 31)).requires_grad_()
    assert ember.autograd.gradgradcheck(GRADGRAD[name], (a,))


@pytest.mark.parametrize("name", list(GRADCHECK))
def test_no_grad_path(name):
    # without grad the ops run with a context that keeps nothing: forward must not read back what it stored
    fn = GRADCHECK[name]
    if name in ("var_mean", "std_mean"):
        fn = {"var_mean": lambda t, a: t.var_mean(a, 1), "std_mean": lambda t, a: t.std_mean(a, 1)}[name]
        check(fn, data((2, 3, 2), F64, 30), grad=False)
    else:
        check(lambda t, a: fn(a), data((2, 3, 2), F64, 30), grad=False)
        with ember.no_grad():
            r = fn(ember.from_numpy(data((2, 3, 2), F64, 30)).requires_grad_())
        assert all(not o.requires_grad for o in (r if isinstance(r, tuple) else (r,)))
