"""Samplers vs torch: exact indices where ember's generator reproduces torch's, distributions otherwise."""
import numpy as np
import pytest
from data_check import both, raises_same

import ember


def test_sequential_sampler():
    e, t = both(lambda lib: (list(lib.utils.data.SequentialSampler(range(7))),
                             len(lib.utils.data.SequentialSampler(range(7)))))
    assert e == t


@pytest.mark.parametrize("kw", [{}, {"replacement": True}, {"replacement": True, "num_samples": 70},
                                {"num_samples": 25}, {"num_samples": 3}])
def test_random_sampler_matches_torch(kw):
    def run(lib):
        s = lib.utils.data.RandomSampler(range(10), generator=lib.Generator().manual_seed(3), **kw)
        return list(s), list(s), len(s)
    e, t = both(run)
    assert e == t
    if not kw:
        assert sorted(e[0]) == list(range(10))  # a permutation


def test_random_sampler_global_generator():
    # without a generator, one draw from the global generator seeds a private one (as in torch)
    def run(lib):
        lib.manual_seed(11)
        s = lib.utils.data.RandomSampler(range(20))
        return list(s), list(s), lib.randint(0, 100, (3,)).tolist()
    e, t = both(run)
    assert e == t
    assert sorted(e[0]) == list(range(20))


def test_random_sampler_errors():
    raises_same(lambda lib: lib.utils.data.RandomSampler(range(3), replacement=1))
    raises_same(lambda lib: lib.utils.data.RandomSampler(range(3), num_samples=0))
    raises_same(lambda lib: lib.utils.data.RandomSampler(range(0)))


def test_subset_random_sampler():
    def run(lib):
        s = lib.utils.data.SubsetRandomSampler([10, 20, 30, 40, 50], generator=lib.Generator().manual_seed(5))
        return list(s), list(s), len(s)
    e, t = both(run)
    assert e == t
    assert sorted(e[0]) == [10, 20, 30, 40, 50]


@pytest.mark.parametrize("replacement", [True, False])
def test_weighted_random_sampler_matches_torch(replacement):
    w = [0.1, 0.9, 0.4, 0.7, 3.0, 0.6]

    def run(lib):
        s = lib.utils.data.WeightedRandomSampler(w, 5, replacement=replacement,
                                                 generator=lib.Generator().manual_seed(0))
        return list(s), len(s), str(s.weights.dtype)
    e, t = both(run)
    assert e == t


def test_weighted_random_sampler_frequencies_chi_square():
    w = np.array([1.0, 2.0, 3.0, 4.0])
    n = 20000
    s = ember.utils.data.WeightedRandomSampler(w.tolist(), n, generator=ember.Generator().manual_seed(1))
    counts = np.bincount(list(s), minlength=4)
    expected = n * w / w.sum()
    chi2 = ((counts - expected) ** 2 / expected).sum()
    assert chi2 < 16.27  # chi-square, 3 degrees of freedom, p = 0.001


def test_weighted_random_sampler_errors():
    raises_same(lambda lib: lib.utils.data.WeightedRandomSampler([1.0, 2.0], 0))
    raises_same(lambda lib: lib.utils.data.WeightedRandomSampler([1.0, 2.0], True))
    raises_same(lambda lib: lib.utils.data.WeightedRandomSampler([1.0, 2.0], 2, replacement=0))
    raises_same(lambda lib: lib.utils.data.WeightedRandomSampler([[1.0, 2.0]], 2))


@pytest.mark.parametrize("drop_last", [False, True])
@pytest.mark.parametrize("bs", [1, 3, 4, 10, 11])
def test_batch_sampler(bs, drop_last):
    def run(lib):
        s = lib.utils.data.BatchSampler(lib.utils.data.SequentialSampler(range(10)), bs, drop_last)
        return list(s), len(s)
    e, t = both(run)
    assert e == t


def test_batch_sampler_errors():
    raises_same(lambda lib: lib.utils.data.BatchSampler(range(3), 0, False))
    raises_same(lambda lib: lib.utils.data.BatchSampler(range(3), True, False))
    raises_same(lambda lib: lib.utils.data.BatchSampler(range(3), 2, None))


@pytest.mark.parametrize("n, replicas", [(10, 3), (10, 2), (7, 4), (2, 5), (12, 4)])
@pytest.mark.parametrize("shuffle", [True, False])
@pytest.mark.parametrize("drop_last", [True, False])
def test_distributed_sampler_matches_torch(n, replicas, shuffle, drop_last):
    from torch.utils.data.distributed import DistributedSampler as TDS

    from ember.utils.data.distributed import DistributedSampler as EDS
    for epoch in (0, 3):
        for rank in range(replicas):
            e = EDS(range(n), num_replicas=replicas, rank=rank, shuffle=shuffle, seed=9, drop_last=drop_last)
            t = TDS(range(n), num_replicas=replicas, rank=rank, shuffle=shuffle, seed=9, drop_last=drop_last)
            e.set_epoch(epoch)
            t.set_epoch(epoch)
            assert list(e) == list(t) and len(e) == len(t) and e.total_size == t.total_size


def test_distributed_sampler_errors():
    from torch.utils.data.distributed import DistributedSampler as TDS

    from ember.utils.data.distributed import DistributedSampler as EDS
    for kw in ({"num_replicas": 2, "rank": 2}, {"num_replicas": 2, "rank": -1}):
        with pytest.raises(ValueError) as te:
            TDS(range(4), **kw)
        with pytest.raises(ValueError) as ee:
            EDS(range(4), **kw)
        assert str(ee.value) == str(te.value)
    # no process group: both refuse to guess the world size
    with pytest.raises((RuntimeError, ValueError)):
        TDS(range(4))
    with pytest.raises(RuntimeError):
        EDS(range(4))


def test_custom_sampler_subclass():
    def run(lib):
        class Evens(lib.utils.data.Sampler):
            def __init__(self, n):
                self.n = n

            def __iter__(self):
                return iter(range(0, self.n, 2))

            def __len__(self):
                return (self.n + 1) // 2
        dl = lib.utils.data.DataLoader(list(range(10)), sampler=Evens(10), batch_size=2)
        return [b.tolist() for b in dl], len(dl)
    e, t = both(run)
    assert e == t
