"""default_collate / default_convert vs torch: structures, dtypes, values, errors; the dispatch table."""
import collections

import numpy as np
import pytest
import torch
from data_check import raises_same, same_tree

import ember

Point = collections.namedtuple("Point", ["x", "y"])


def _samples(lib):
    t = lib.from_numpy
    return {
        "tensors": [t(np.arange(6, dtype=np.float32).reshape(2, 3) + i) for i in range(4)],
        "int tensors": [t(np.arange(3) * i) for i in range(3)],
        "0-d tensors": [t(np.array(i, dtype=np.int32)) for i in range(5)],
        "arrays": [np.full((2, 2), i, dtype=np.float64) for i in range(3)],
        "uint8 arrays": [np.full(3, i, dtype=np.uint8) for i in range(3)],
        "0-d arrays": [np.array(1.5), np.array(2.5)],
        "ints": [1, 2, 3],
        "bools": [True, False, True],
        "floats": [1.0, 2.5],
        "np scalars": [np.float32(1), np.float32(2)],
        "np int scalars": [np.int16(1), np.int16(-2)],
        "np bool scalars": [np.bool_(True), np.bool_(False)],
        "strings": ["a", "bc"],
        "bytes": [b"a", b"b"],
        "tuples": [(t(np.ones(2, np.float32)), 1), (t(np.zeros(2, np.float32)), 2)],
        "lists": [[1, 2.0, "s"], [3, 4.0, "t"]],
        "dicts": [{"a": 1, "b": np.ones(2, np.float32)}, {"a": 2, "b": np.zeros(2, np.float32)}],
        "ordered": [collections.OrderedDict(z=1.0, a=2), collections.OrderedDict(z=3.0, a=4)],
        "namedtuples": [Point(1, 2.0), Point(3, 4.0)],
        "nested": [{"img": (np.ones((2, 2), np.float32), [1, {"k": 0.5}]), "name": "x"},
                   {"img": (np.zeros((2, 2), np.float32), [2, {"k": 1.5}]), "name": "y"}],
        "mixed dtypes": [t(np.zeros(2, np.int64)), t(np.ones(2, np.float32))],
    }


@pytest.mark.parametrize("case", list(_samples(torch)))
def test_default_collate_matches_torch(case):
    e = ember.utils.data.default_collate(_samples(ember)[case])
    t = torch.utils.data.default_collate(_samples(torch)[case])
    same_tree(e, t)


@pytest.mark.parametrize("case", list(_samples(torch)))
def test_default_convert_matches_torch(case):
    for i in range(2):
        e = ember.utils.data.default_convert(_samples(ember)[case][i])
        t = torch.utils.data.default_convert(_samples(torch)[case][i])
        same_tree(e, t)


def test_default_convert_arrays_share_memory_and_keep_strings():
    a = np.arange(4.0)
    out = ember.utils.data.default_convert(a)
    assert isinstance(out, ember.Tensor) and out.dtype == ember.float64
    a[0] = 7
    assert out[0].item() == 7.0
    s = np.array(["a", "b"])
    assert ember.utils.data.default_convert(s) is s


@pytest.mark.parametrize("bad", [[np.array(["a"]), np.array(["b"])], [[1, 2], [3]]])
def test_default_collate_errors(bad):
    raises_same(lambda lib: lib.utils.data.default_collate(bad))


def test_default_collate_unknown_type():
    # the message names the element's class, the same object for both libraries
    bad = [object(), object()]
    with pytest.raises(TypeError) as te:
        torch.utils.data.default_collate(bad)
    with pytest.raises(TypeError) as ee:
        ember.utils.data.default_collate(bad)
    assert str(ee.value) == str(te.value)


def test_default_collate_size_mismatch():
    raises_same(lambda lib: lib.utils.data.default_collate([lib.zeros(3), lib.zeros(4)]))


def test_collate_keeps_autograd_in_main_process():
    a = ember.ones(2, requires_grad=True)
    out = ember.utils.data.default_collate([a, a * 2])
    assert out.requires_grad and out.grad_fn is not None
    out.sum().backward()
    assert a.grad.tolist() == [3.0, 3.0]


def test_custom_collate_fn_map():
    from ember.utils.data._collate import collate, default_collate_fn_map

    class Box:
        def __init__(self, v):
            self.v = v

    def collate_box(batch, *, collate_fn_map=None):
        return ember.tensor([b.v for b in batch])

    table = {**default_collate_fn_map, Box: collate_box}
    out = collate([(Box(1), 2.0), (Box(3), 4.0)], collate_fn_map=table)
    assert out[0].tolist() == [1, 3] and out[1].dtype == ember.float64
    # lookups by isinstance after the exact-type miss
    class SubBox(Box):
        pass
    assert collate([SubBox(5)], collate_fn_map=table).tolist() == [5]
    # the Tensor entry comes first, as in torch's table
    assert list(default_collate_fn_map)[0] is ember.Tensor
