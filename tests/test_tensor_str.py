"""Differential tests: ember's tensor printing must match PyTorch's byte for byte.

Each test builds one NumPy array, gives it to both libraries and compares
``repr`` and ``str``. PyTorch is the oracle and is imported unconditionally:
a missing torch must fail loudly, not skip.
"""
import math
import pickle
import time

import numpy as np
import pytest
import torch
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import ember
from ember import _tensor_str, dtypes as edt, return_types

# ----------------------------------------------------------------------------- ember side


def E(arr, requires_grad=False):
    """The ember tensor for a NumPy array."""
    e = ember.from_numpy(np.array(arr))
    return e.requires_grad_() if requires_grad else e


def ember_set_default_dtype(name):
    ember.set_default_dtype(getattr(ember, name))


ember_set_printoptions = ember.set_printoptions
ember_get_printoptions = ember.get_printoptions
ember_printoptions = ember.printoptions


class _Stand:
    """Minimal object with what ``_tensor_str._str`` reads, for dtypes ember may lack (bfloat16)."""

    def __init__(self, arr, dtype):
        self._data, self.dtype = arr, dtype
        self.requires_grad, self.grad_fn = False, None
        self.device = ember.device("cpu")


# ----------------------------------------------------------------------------- helpers


@pytest.fixture(autouse=True)
def _restore_global_state():
    """Every test starts and ends with default print options and float32 default dtype."""
    yield
    torch.set_printoptions(profile="default")
    ember_set_printoptions(profile="default")
    torch.set_default_dtype(torch.float32)
    ember_set_default_dtype("float32")


def T(arr, requires_grad=False):
    t = torch.from_numpy(np.array(arr))
    return t.requires_grad_() if requires_grad else t


def check(arr, requires_grad=False):
    arr = np.array(arr)
    t, e = T(arr, requires_grad), E(arr, requires_grad)
    assert repr(e) == repr(t)
    assert str(e) == str(t)


def both_set_printoptions(**kw):
    torch.set_printoptions(**kw)
    ember_set_printoptions(**kw)


rng = np.random.default_rng(1234)

# ----------------------------------------------------------------------------- fixed cases

FLOAT_CASES = {
    "scalar": np.array(3.0, np.float32),
    "scalar_frac": np.array(-2.5, np.float32),
    "scalar_nan": np.array(np.nan, np.float32),
    "scalar_inf": np.array(-np.inf, np.float32),
    "scalar_tiny": np.array(1.5e-7, np.float32),
    "scalar_zero": np.array(0.0, np.float32),
    "scalar_negzero": np.array(-0.0, np.float32),
    "ints_as_float": np.array([1.0, 2.0, -3.0, 100.0], np.float32),
    "frac": np.array([1.5, 0.25, -3.125], np.float32),
    "randn_2d": rng.standard_normal((3, 4)).astype(np.float32),
    "randn_3d": rng.standard_normal((2, 3, 4)).astype(np.float32),
    "randn_4d": rng.standard_normal((2, 2, 2, 3)).astype(np.float32),
    "tiny": (rng.standard_normal(6) * 1e-6).astype(np.float32),
    "huge": (rng.standard_normal(6) * 1e9).astype(np.float32),
    "huge_ints": np.array([1e10, 1.0, 2.0]),
    "wide_ratio": np.array([0.001, 5.0]),
    "ratio_just_1000": np.array([1.0, 1000.0]),
    "ratio_over_1000": np.array([1.0, 1000.5]),
    "min_1e-4": np.array([1e-4, 1.0]),
    "inf_nan_mix": np.array([1.0, np.inf, -np.inf, np.nan], np.float32),
    "inf_nan_frac": np.array([1.5, np.inf, np.nan, -0.0], np.float32),
    "only_nonfinite": np.array([np.inf, np.nan, -np.inf], np.float32),
    "zeros": np.zeros((2, 3), np.float32),
    "neg_zero": np.array([-0.0, 0.0, 1.0], np.float32),
    "neg_zero_frac": np.array([-0.0, 0.5], np.float32),
    "sci_with_nan": np.array([1e-8, np.nan, 3.0]),
    "big_magnitude_fixed": np.array([12345678.9, 0.5]),
    "float64_1d": rng.standard_normal(5),
    "float16": rng.standard_normal((2, 5)).astype(np.float16),
    "float16_max": np.array([65504.0, 1.0], np.float16),
    "wide_row": rng.standard_normal(40).astype(np.float32) * 100,
    "wide_2d": rng.standard_normal((3, 30)).astype(np.float32),
    "wide_sci_rows": (rng.standard_normal((2, 20)) * 1e-9).astype(np.float32),
    "one_column": rng.standard_normal((5, 1)).astype(np.float32),
    "size1_dims": np.ones((1, 1, 1), np.float32),
}


@pytest.mark.parametrize("name", FLOAT_CASES)
def test_float_cases(name):
    check(FLOAT_CASES[name])


INT_CASES = {
    "int64": np.arange(-5, 7),
    "int64_big": np.array([2**62, -(2**63), 0]),
    "int64_2d": rng.integers(-1000, 1000, (4, 5)),
    "int64_scalar": np.array(7),
    "int32": np.arange(6, dtype=np.int32).reshape(2, 3),
    "int16": np.array([-300, 2], np.int16),
    "int8": np.array([-128, 127, 0], np.int8),
    "uint8": np.arange(250, 256, dtype=np.uint8),
    "uint8_scalar": np.array(9, np.uint8),
    "bool": np.array([True, False, True]),
    "bool_2d": rng.random((3, 3)) > 0.5,
    "bool_scalar": np.array(False),
    "int_wrap": np.arange(100) * 1000,
}


@pytest.mark.parametrize("name", INT_CASES)
def test_int_bool_cases(name):
    check(INT_CASES[name])


@pytest.mark.parametrize("npdtype", [np.uint16, np.uint32, np.uint64])
def test_unsigned_wide(npdtype):
    check(np.array([0, 1, 200], npdtype))


COMPLEX_CASES = {
    "c64": (rng.standard_normal((2, 3)) + 1j * rng.standard_normal((2, 3))).astype(np.complex64),
    "c128": rng.standard_normal(4) + 1j * rng.standard_normal(4),
    "c_int_mode": np.array([1 + 2j, -3 - 0j, 0 + 0j], np.complex64),
    "c_neg_zero": np.array([complex(-0.0, -0.0), complex(1, 0.0)], np.complex64),
    "c_nonfinite": np.array([complex(np.inf, np.nan), 1 + 1j], np.complex64),
    "c_sci": np.array([1e-7 + 1e5j, 3 + 4j], np.complex64),
    "c_scalar": np.array(1.5 - 2j, np.complex64),
    "c_scalar_int": np.array(2 + 0j, np.complex128),
    "c_wide": (rng.standard_normal(30) + 1j * rng.standard_normal(30)).astype(np.complex64),
}


@pytest.mark.parametrize("name", COMPLEX_CASES)
def test_complex_cases(name):
    check(COMPLEX_CASES[name])


@pytest.mark.parametrize("shape", [(0,), (0, 3), (3, 0), (2, 0, 4), (0, 0), (1, 0)])
@pytest.mark.parametrize("npdtype", [np.float32, np.float64, np.int64, np.int32, np.bool_, np.complex64, np.float16])
def test_empty(shape, npdtype):
    check(np.zeros(shape, npdtype))


@pytest.mark.parametrize("values", [np.arange(15.0).reshape(3, 5) * 37.3, np.array([1e-6, 3.0, np.inf]),
                                    np.array(2.5), np.zeros((0, 2)), np.linspace(-1, 1, 2001)])
def test_bfloat16(values):
    # Printing only needs the values and the dtype's name; NumPy has no bfloat16
    # (ember's is optional), so hold the exactly rounded bf16 values in float32.
    t = torch.from_numpy(np.array(values)).bfloat16()
    bf16 = edt.bfloat16 or edt.dtype("bfloat16", np.float32, edt._FLOAT)
    e = _Stand(t.float().numpy(), bf16)
    assert _tensor_str._str(e) == repr(t)


# ----------------------------------------------------------------------------- summarisation

@pytest.mark.parametrize("shape", [(1001,), (5000,), (40, 30), (2, 600), (600, 2), (11, 11, 11),
                                   (7, 8, 9, 10), (3, 3, 3, 40), (1, 1, 2000), (2000, 1)])
def test_summarised_float(shape):
    check(rng.standard_normal(shape).astype(np.float32))


@pytest.mark.parametrize("shape", [(1001,), (40, 30), (11, 11, 11), (7, 8, 9, 10)])
def test_summarised_int(shape):
    check(rng.integers(-10**6, 10**6, shape))


def test_summarised_complex_and_bool():
    check((rng.standard_normal((30, 40)) + 1j * rng.standard_normal((30, 40))).astype(np.complex64))
    check(rng.random((50, 50)) > 0.5)


def test_summarised_formatter_ignores_hidden_values():
    # the huge value sits in the elided middle, so it must not force sci mode
    a = np.ones(2000, np.float32)
    a[1000] = 1e20
    check(a)


def test_big_tensor_repr_is_fast():
    big = np.ones((4000, 4000), np.float32)
    start = time.perf_counter()
    r = repr(E(big))
    assert time.perf_counter() - start < 1.0
    assert r == repr(T(big))


def test_non_contiguous_input():
    base = rng.standard_normal((6, 8)).astype(np.float32)
    t, e = T(base), E(base)
    assert repr(e.T) == repr(t.T)
    assert repr(e[::2, 1::3]) == repr(t[::2, 1::3])
    assert repr(e[:, 2]) == repr(t[:, 2])


# ----------------------------------------------------------------------------- suffixes

def test_requires_grad():
    check(rng.standard_normal((2, 3)).astype(np.float32), requires_grad=True)
    check(np.array(1.0, np.float32), requires_grad=True)
    check(np.array([1.0, 2.0]), requires_grad=True)  # float64: dtype and requires_grad
    check(rng.standard_normal((3, 25)).astype(np.float32), requires_grad=True)


def test_grad_fn():
    a = np.array([[1.5, -2.0], [0.25, 3.0]], np.float32)
    assert repr(E(a, requires_grad=True) * 2) == repr(T(a, requires_grad=True) * 2)
    a64 = rng.standard_normal(12)
    assert repr(E(a64, requires_grad=True) + 1) == repr(T(a64, requires_grad=True) + 1)
    wide = rng.standard_normal((3, 9))  # last line long enough to push grad_fn onto its own line
    assert str(E(wide, requires_grad=True) * 2) == str(T(wide, requires_grad=True) * 2)


def test_suffix_wraps_past_linewidth():
    # a last line near 80 columns pushes the suffix onto its own line
    a = (np.arange(11) + 0.5).astype(np.float64)
    check(a)
    check(a, requires_grad=True)
    check(rng.standard_normal((2, 8)), requires_grad=True)


@pytest.mark.parametrize("default", ["float64", "float16"])
def test_default_dtype_changes_suffix(default):
    torch.set_default_dtype(getattr(torch, default))
    ember_set_default_dtype(default)
    for arr in (np.array([1.5, 2.0]), np.array([1.5, 2.0], np.float32), np.array([1.0], np.float16),
                np.array([1 + 1j]), np.array([1 + 1j], np.complex64), np.zeros(0), np.zeros((0, 2), np.float32),
                np.zeros(0, np.int64), np.array(3.0), np.array([1, 2])):
        check(arr)


def test_tensor_contents_and_prefix():
    a = np.array([1.0, 2.0])
    t, e = T(a), E(a)
    assert _tensor_str._str(e, tensor_contents="[...]") == torch._tensor_str._str(t, tensor_contents="[...]")
    assert _tensor_str._str(e, prefix="Thing(") == "Thing([1., 2.], dtype=torch.float64)"


# ----------------------------------------------------------------------------- print options

PRINT_OPTION_CASES = [
    dict(precision=2),
    dict(precision=0),
    dict(precision=10),
    dict(threshold=5),
    dict(threshold=5, edgeitems=1),
    dict(threshold=5, edgeitems=0),
    dict(edgeitems=0),
    dict(threshold=0),
    dict(threshold=0, edgeitems=0),
    dict(linewidth=30),
    dict(linewidth=200),
    dict(linewidth=5),
    dict(sci_mode=True),
    dict(sci_mode=False),
    dict(profile="short"),
    dict(profile="full"),
    dict(profile="short", precision=6),
]

OPTION_ARRAYS = [
    np.arange(12, dtype=np.float32).reshape(3, 4) / 7,
    np.arange(20),
    np.array([1e-9, 1.0, 3e5]),
    np.array(2.5, np.float32),
    rng.standard_normal((4, 5, 6)).astype(np.float32),
    rng.standard_normal(1500).astype(np.float32),
    np.array([np.nan, 1.0, -np.inf], np.float32),
    np.array([1 + 2j, 3.5 - 1j], np.complex64),
    np.zeros((0, 4), np.float32),
]


@pytest.mark.parametrize("opts", PRINT_OPTION_CASES, ids=str)
def test_print_options(opts):
    both_set_printoptions(**opts)
    assert ember_get_printoptions() == torch._tensor_str.get_printoptions()
    for arr in OPTION_ARRAYS:
        check(arr)
    check(OPTION_ARRAYS[0], requires_grad=True)


def test_full_profile_prints_everything():
    both_set_printoptions(profile="full")
    check(rng.standard_normal(1200).astype(np.float32))
    assert "..." not in repr(E(np.ones((40, 40))))


def test_get_printoptions_defaults_and_sci_reset():
    assert ember_get_printoptions() == dict(precision=4, threshold=1000, edgeitems=3, linewidth=80, sci_mode=None)
    ember_set_printoptions(sci_mode=True)
    ember_set_printoptions(precision=3)  # like PyTorch, resets sci_mode to None
    assert ember_get_printoptions()["sci_mode"] is None
    assert ember_get_printoptions()["precision"] == 3
    ember_set_printoptions(profile="no-such-profile")  # ignored, as in PyTorch
    assert ember_get_printoptions()["precision"] == 3
    assert ember_get_printoptions()["threshold"] == 1000


def test_printoptions_context_manager_restores():
    ember_set_printoptions(precision=6)
    with ember_printoptions(precision=1, threshold=3):
        assert repr(E(np.array([1.25, 2.5]))) == "tensor([1.2, 2.5], dtype=torch.float64)"
        assert "..." in repr(E(np.arange(10)))
    assert ember_get_printoptions()["precision"] == 6
    assert ember_get_printoptions()["threshold"] == 1000
    with pytest.raises(ValueError):
        with ember_printoptions(precision=2):
            raise ValueError
    assert ember_get_printoptions()["precision"] == 6


# ----------------------------------------------------------------------------- return types

def test_return_types_repr():
    a = np.array([[1.0, 5.0, 2.0], [3.0, 0.0, 4.0]], np.float32)
    r, tr = ember.max(E(a), 1), torch.max(T(a), 1)
    assert repr(r) == repr(tr)
    assert str(r) == str(tr)
    b = rng.standard_normal((3, 8)).astype(np.float32)
    assert repr(ember.max(E(b), 0)) == repr(torch.max(T(b), 0))
    assert repr(ember.sort(E(b), 1)) == repr(torch.sort(T(b), 1))
    assert repr(ember.topk(E(b), 2)) == repr(torch.topk(T(b), 2))
    assert repr(ember.min(E(b), 1, keepdim=True)) == repr(torch.min(T(b), 1, keepdim=True))


def test_return_types_behave_like_tuples():
    v, i = E(np.array([5.0])), E(np.array([1]))
    r = return_types.max((v, i))
    assert return_types.max(v, i) == r
    assert r.values is v and r.indices is i and r[0] is v and r[-1] is i
    values, indices = r
    assert values is v and indices is i
    assert r == (v, i) and isinstance(r, tuple) and len(r) == 2
    assert type(r[:1]) is tuple
    assert hash(return_types.sort((1, 2))) == hash((1, 2))
    assert pickle.loads(pickle.dumps(return_types.topk((1, 2)))) == (1, 2)
    with pytest.raises(AttributeError):
        r.values = 3
    with pytest.raises(TypeError, match=r"takes a 2-sequence \(3-sequence given\)"):
        return_types.max((1, 2, 3))
    with pytest.raises(TypeError, match="requires a sequence"):
        return_types.max(5)


def test_return_types_match_torch_fields():
    torch_names = {n for n in torch.return_types.__all__ if n not in ("pytree_register_structseq", "all_return_types")}
    assert set(return_types.__all__) == torch_names
    for name in torch_names:
        ours, theirs = getattr(return_types, name), getattr(torch.return_types, name)
        assert ours.__match_args__ == theirs.__match_args__, name
        assert ours.n_fields == theirs.n_fields
        values = tuple(range(ours.n_fields))
        assert repr(ours(values)) == repr(theirs(values)), name


# ----------------------------------------------------------------------------- random (hypothesis)

_FLOAT_ELEMS = {
    np.float32: st.floats(width=32),
    np.float64: st.floats(),
    np.float16: st.floats(width=16),
}
_SCALES = [1.0, 1e-6, 1e-3, 1e3, 1e9, 1e-30]


def _complex(re, im):
    """Complex array from parts (``re + 1j*im`` would turn an infinite im into nan+infj)."""
    out = np.empty(re.shape, np.result_type(re.dtype, np.complex64))
    out.real, out.imag = re, im
    return out


@st.composite
def arrays(draw, max_side=6):
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=max_side))
    kind = draw(st.sampled_from(["float", "float", "int", "bool", "complex", "uint8", "int32", "smallfloat"]))
    if kind == "int":
        return draw(hnp.arrays(np.int64, shape, elements=st.integers(-(2**63), 2**63 - 1)))
    if kind == "int32":
        return draw(hnp.arrays(np.int32, shape))
    if kind == "uint8":
        return draw(hnp.arrays(np.uint8, shape))
    if kind == "bool":
        return draw(hnp.arrays(np.bool_, shape))
    if kind == "smallfloat":  # few distinct "nice" values: exercises integer mode and zeros
        vals = st.sampled_from([0.0, -0.0, 1.0, -2.0, 0.5, np.nan, np.inf, 1e8, 12.0])
        return draw(hnp.arrays(np.float32, shape, elements=vals))
    npdtype = draw(st.sampled_from([np.float32, np.float64, np.float16]))
    if kind == "complex":
        npdtype = draw(st.sampled_from([np.float32, np.float64]))
    if draw(st.booleans()):  # gaussian data at one scale: typical tensors
        seed = draw(st.integers(0, 2**32 - 1))
        scale = draw(st.sampled_from(_SCALES))
        gen = np.random.default_rng(seed)
        with np.errstate(over="ignore"):  # float16 * 1e9 -> inf, which is wanted
            data = (gen.standard_normal(shape) * scale).astype(npdtype)
            if kind == "complex":
                data = _complex(data, (gen.standard_normal(shape) * scale).astype(npdtype))
    else:  # arbitrary floats, inf and nan included
        data = draw(hnp.arrays(npdtype, shape, elements=_FLOAT_ELEMS[npdtype]))
        if kind == "complex":
            data = _complex(data, draw(hnp.arrays(npdtype, shape, elements=_FLOAT_ELEMS[npdtype])))
    return data


@settings(max_examples=300, deadline=None)
@given(arrays(), st.booleans())
def test_random_arrays(arr, requires_grad):
    requires_grad = requires_grad and arr.dtype.kind in "fc"
    check(arr, requires_grad=requires_grad)


@settings(max_examples=300, deadline=None)
@given(
    arrays(max_side=12),
    st.fixed_dictionaries({}, optional={
        "precision": st.integers(0, 8),
        "threshold": st.integers(0, 200),
        "edgeitems": st.integers(0, 4),
        "linewidth": st.integers(10, 150),
        "sci_mode": st.sampled_from([True, False]),
        "profile": st.sampled_from(["default", "short", "full"]),
    }),
)
def test_random_arrays_with_print_options(arr, opts):
    try:
        both_set_printoptions(**opts)
        check(arr)
    finally:
        both_set_printoptions(profile="default")


def test_threshold_infinite_is_float():
    both_set_printoptions(profile="full")
    assert math.isinf(ember_get_printoptions()["threshold"])
