"""Datasets vs torch.utils.data: TensorDataset, ConcatDataset/+, ChainDataset, Subset, StackDataset, random_split."""
import warnings

import numpy as np
import pytest
import torch
from data_check import both, raises_same, same_tree

import ember

X = np.arange(24, dtype=np.float32).reshape(6, 4)
Y = np.arange(6)


def tds(lib):
    return lib.utils.data.TensorDataset(lib.from_numpy(X.copy()), lib.from_numpy(Y.copy()))


def test_tensor_dataset_items_and_len():
    e, t = both(tds)
    assert len(e) == len(t) == 6
    for i in (0, 3, -1):
        same_tree(e[i], t[i])
    same_tree(e[1:4], t[1:4])
    raises_same(lambda lib: lib.utils.data.TensorDataset(lib.zeros(3), lib.zeros(4)))


def test_base_dataset_errors():
    raises_same(lambda lib: lib.utils.data.Dataset()[0])
    raises_same(lambda lib: len(lib.utils.data.Dataset()))


def test_concat_dataset_and_add():
    def run(lib):
        a = tds(lib)
        c = a + a
        out = [c[i] for i in (0, 5, 6, 11, -1, -12)]
        return len(c), c.cumulative_sizes, out, isinstance(c, lib.utils.data.ConcatDataset)
    e, t = both(run)
    same_tree(e, t)
    raises_same(lambda lib: (tds(lib) + tds(lib))[-13])
    raises_same(lambda lib: lib.utils.data.ConcatDataset([]))
    raises_same(lambda lib: lib.utils.data.ConcatDataset([tds(lib), Stream(lib)]))


def _stream_cls(lib):
    class S(lib.utils.data.IterableDataset):
        def __init__(self, n):
            self.n = n

        def __iter__(self):
            return iter(range(self.n))

        def __len__(self):
            return self.n
    return S


def Stream(lib, n=3):
    return _stream_cls(lib)(n)


def test_chain_dataset():
    def run(lib):
        c = Stream(lib, 3) + Stream(lib, 2)
        return type(c).__name__, list(c), len(c)
    e, t = both(run)
    assert e == t == ("ChainDataset", [0, 1, 2, 0, 1], 5)
    raises_same(lambda lib: list(lib.utils.data.ChainDataset([tds(lib)])))


def test_subset_and_getitems():
    def run(lib):
        s = lib.utils.data.Subset(tds(lib), [5, 0, 2])
        return len(s), s[0], s[-1], s.__getitems__([0, 2])
    same_tree(*both(run))

    def bad(lib):
        class MySubset(lib.utils.data.Subset):
            def __getitem__(self, i):
                return 0
        MySubset(tds(lib), [0])
    raises_same(bad)


def test_stack_dataset():
    def run(lib):
        d = lib.utils.data
        a, b = tds(lib), d.Subset(tds(lib), [1, 2, 3, 4, 5, 0])
        s1 = d.StackDataset(a, b)
        s2 = d.StackDataset(x=a, y=b)
        return len(s1), s1[2], s2[3], s1.__getitems__([0, 4]), s2.__getitems__([5, 1])
    same_tree(*both(run))
    raises_same(lambda lib: lib.utils.data.StackDataset())
    raises_same(lambda lib: lib.utils.data.StackDataset(tds(lib), x=tds(lib)))
    raises_same(lambda lib: lib.utils.data.StackDataset(tds(lib), range(3)))


@pytest.mark.parametrize("lengths", [[3, 7], [0.3, 0.7], [0.5, 0.25, 0.25], [1, 2, 3, 4], [0.33, 0.33, 0.34]])
def test_random_split_matches_torch_exactly(lengths):
    # ember's generator reproduces torch's randperm, so the split indices are identical
    def run(lib):
        g = lib.Generator().manual_seed(42)
        return [list(s.indices) for s in lib.utils.data.random_split(range(10), lengths, generator=g)]
    e, t = both(run)
    assert e == t
    assert sorted(sum(e, [])) == list(range(10))


def test_random_split_default_generator_and_errors():
    def run(lib):
        lib.manual_seed(7)
        return [list(s.indices) for s in lib.utils.data.random_split(range(9), [4, 5])]
    e, t = both(run)
    assert e == t
    raises_same(lambda lib: lib.utils.data.random_split(range(10), [3, 3]))
    raises_same(lambda lib: lib.utils.data.random_split(range(10), [1.2, -0.2]))
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        ember.utils.data.random_split(range(2), [0.0, 1.0])
    assert any("Length of split at index 0 is 0" in str(x.message) for x in w)


def test_dataset_generic_subscript():
    # Dataset[int] annotations work as with torch's Generic base
    assert ember.utils.data.Dataset[int] is not None and torch.utils.data.Dataset[int] is not None
