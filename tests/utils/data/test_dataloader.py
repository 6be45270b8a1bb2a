"""DataLoader vs torch: arguments and their errors, len(), order, shuffling, collation, workers' results and seeds."""
import random

import numpy as np
import pytest
import torch
from data_check import both, raises_same, same_tree

import ember

X = np.arange(60, dtype=np.float32).reshape(20, 3)


def tds(lib, n=20):
    return lib.utils.data.TensorDataset(lib.from_numpy(X[:n].copy()), lib.from_numpy(np.arange(n)))


class Items(ember.utils.data.Dataset):
    """A map-style dataset of (array, int, str) built on NumPy only, usable by both libraries."""

    def __init__(self, n=20):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        if i >= self.n:
            raise IndexError(i)
        return np.full((2, 3), i, np.float32), i, f"s{i}"


@pytest.mark.parametrize("kw", [
    {}, {"batch_size": 4}, {"batch_size": 6}, {"batch_size": 6, "drop_last": True}, {"batch_size": None},
    {"batch_size": 25}, {"batch_size": 25, "drop_last": True},
])
def test_sequential_batches_and_len_match_torch(kw):
    def run(lib):
        dl = lib.utils.data.DataLoader(tds(lib), **kw)
        return list(dl), len(dl)
    same_tree(*both(run))


def test_batch_sampler_and_sampler_args():
    def run(lib):
        d = lib.utils.data
        a = list(d.DataLoader(tds(lib), batch_sampler=[[3, 1], [0], [19, 18, 17]]))
        b = list(d.DataLoader(tds(lib), sampler=[5, 4, 3, 2], batch_size=3))
        return a, b, len(d.DataLoader(tds(lib), sampler=[5, 4, 3, 2], batch_size=3))
    same_tree(*both(run))


@pytest.mark.parametrize("kw", [{"batch_size": 4}, {"batch_size": 7, "drop_last": True}])
def test_shuffle_matches_torch_exactly(kw):
    # ember.manual_seed/Generator reproduce torch's stream: the shuffled order is torch's, not just a permutation
    def run(lib):
        lib.manual_seed(123)
        dl = lib.utils.data.DataLoader(tds(lib), shuffle=True, **kw)
        first = [b[1].tolist() for b in dl]
        second = [b[1].tolist() for b in dl]
        g = lib.Generator().manual_seed(5)
        third = [b[1].tolist() for b in lib.utils.data.DataLoader(tds(lib), shuffle=True, generator=g, **kw)]
        return first, second, third
    e, t = both(run)
    assert e == t
    assert e[0] != e[1]
    if not kw.get("drop_last"):
        assert sorted(sum(e[0], [])) == list(range(20))


def test_collated_structures_match_torch():
    def run(lib):
        return list(lib.utils.data.DataLoader(Items(), batch_size=8))
    e, t = both(run)
    same_tree(e, t)
    assert list(e[0][2]) == [f"s{i}" for i in range(8)]


def test_no_auto_batching_converts():
    def run(lib):
        return list(lib.utils.data.DataLoader(Items(3), batch_size=None))
    same_tree(*both(run))


def test_getitems_batched_fetch_is_used():
    calls = []

    class Batched(ember.utils.data.Dataset):
        def __len__(self):
            return 10

        def __getitem__(self, i):
            raise AssertionError("per-item fetch should not be used")

        def __getitems__(self, idx):
            calls.append(list(idx))
            return [(ember.tensor(float(i)), i) for i in idx]

    out = list(ember.utils.data.DataLoader(Batched(), batch_size=4))
    assert calls == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert out[2][0].tolist() == [8.0, 9.0] and out[2][1].dtype == ember.int64


@pytest.mark.parametrize("kw", [
    {"num_workers": -1}, {"timeout": -1}, {"prefetch_factor": 2}, {"persistent_workers": True},
    {"shuffle": True, "sampler": [1]}, {"batch_sampler": [[0]], "batch_size": 2},
    {"batch_sampler": [[0]], "shuffle": True}, {"batch_sampler": [[0]], "sampler": [0]},
    {"batch_sampler": [[0]], "drop_last": True}, {"batch_size": None, "drop_last": True},
    {"multiprocessing_context": "fork"}, {"num_workers": 1, "multiprocessing_context": "nope"},
    {"num_workers": 1, "multiprocessing_context": 3}, {"num_workers": 1, "prefetch_factor": -1},
])
def test_argument_errors_match_torch(kw):
    raises_same(lambda lib: lib.utils.data.DataLoader(tds(lib), **kw))


def _stream(lib, n):
    class S(lib.utils.data.IterableDataset):
        def __iter__(self):
            info = lib.utils.data.get_worker_info()
            lo, step = (0, 1) if info is None else (info.id, info.num_workers)
            return iter(range(lo, n, step))

        def __len__(self):
            return n
    return S()


def test_iterable_dataset_rules():
    for kw in ({"shuffle": True}, {"sampler": [0]}, {"batch_sampler": [[0]]}):
        raises_same(lambda lib: lib.utils.data.DataLoader(_stream(lib, 5), **kw))

    def run(lib):
        dl = lib.utils.data.DataLoader(_stream(lib, 10), batch_size=3)
        dl2 = lib.utils.data.DataLoader(_stream(lib, 10), batch_size=3, drop_last=True)
        return [b.tolist() for b in dl], len(dl), [b.tolist() for b in dl2], len(dl2)
    e, t = both(run)
    assert e == t


def test_iterable_len_warning():
    class Liar(ember.utils.data.IterableDataset):
        def __iter__(self):
            return iter(range(5))

        def __len__(self):
            return 2
    dl = ember.utils.data.DataLoader(Liar(), batch_size=None)
    assert len(dl) == 2
    with pytest.warns(UserWarning, match="was reported to be 2"):
        list(dl)


def test_setattr_after_init_and_misc_warnings():
    raises_same(lambda lib: setattr(lib.utils.data.DataLoader(tds(lib)), "batch_size", 3))
    with pytest.warns(UserWarning, match="pin_memory"):
        list(ember.utils.data.DataLoader(tds(ember), pin_memory=True))
    # timeout needs workers: torch's single-process iterator refuses it the same way
    raises_same(lambda lib: iter(lib.utils.data.DataLoader(tds(lib), timeout=1)))
    # torch asserts the same, but its half-built iterator then fails in __del__: check ember alone
    with pytest.raises(AssertionError, match="^prefetch_factor must be greater than 0 for "):
        iter(ember.utils.data.DataLoader(tds(ember), num_workers=1, prefetch_factor=0))
    with pytest.warns(UserWarning, match="worker processes in total"):
        ember.utils.data.DataLoader(tds(ember), num_workers=1000)


def test_seed_002_random_dataset_collate_fn():
    def run(lib):
        class RandomDataset(lib.utils.data.Dataset):
            def __init__(self, tot_len=10):
                self.data = np.arange(tot_len * 2, dtype=np.float32).reshape(tot_len, 2)
                self.label = np.arange(tot_len) % 3

            def __len__(self):
                return len(self.data)

            def __getitem__(self, i):
                return self.data[i].tolist(), int(self.label[i])

        def collate_fn(batch):
            data_list, label_list = zip(*batch)
            return lib.Tensor(data_list), lib.LongTensor(label_list)
        return list(lib.utils.data.DataLoader(RandomDataset(), collate_fn=collate_fn, batch_size=4))
    same_tree(*both(run))


# ---------------------------------------------------------------------------------------------- workers
@pytest.mark.parametrize("kw", [{"batch_size": 4}, {"batch_size": 3, "drop_last": True}, {"batch_size": None},
                                {"batch_size": 5, "prefetch_factor": 1}, {"batch_size": 2, "prefetch_factor": 4}])
def test_workers_give_the_single_process_result(kw):
    single = list(ember.utils.data.DataLoader(Items(), **{k: v for k, v in kw.items() if k != "prefetch_factor"}))
    multi = list(ember.utils.data.DataLoader(Items(), num_workers=2, **kw))
    ref = list(torch.utils.data.DataLoader(Items(), **{k: v for k, v in kw.items() if k != "prefetch_factor"}))
    same_tree(single, ref)
    same_tree(multi, ref)


def test_workers_shuffle_matches_torch_order():
    def run(lib, workers):
        lib.manual_seed(3)
        return [b[1].tolist() for b in lib.utils.data.DataLoader(tds(lib), batch_size=4, shuffle=True,
                                                                 num_workers=workers)]
    e = run(ember, 2)
    assert e == run(ember, 0) == run(torch, 0)


def test_big_batches_travel_through_shared_memory_and_survive():
    # batches large enough for the shared slots; keeping them all forces the pickling fallback too
    class Big(ember.utils.data.Dataset):
        def __len__(self):
            return 64

        def __getitem__(self, i):
            return ember.full((3, 32, 32), float(i)), {"i": i, "v": np.full(600, i, np.int64)}

    dl = ember.utils.data.DataLoader(Big(), batch_size=4, num_workers=2)
    kept = list(dl)
    assert len(kept) == 16
    for k, (x, d) in enumerate(kept):
        ids = list(range(4 * k, 4 * k + 4))
        assert isinstance(x, ember.Tensor) and x.shape == (4, 3, 32, 32) and x.dtype == ember.float32
        assert x.numpy()[:, 0, 0, 0].tolist() == [float(i) for i in ids]
        assert (x.numpy() == np.array(ids, np.float32)[:, None, None, None]).all()
        assert d["i"].tolist() == ids and d["v"].shape == (4, 600) and (d["v"].numpy()[:, 0] == ids).all()
    # batches are writable and independent
    kept[0][0].zero_()
    assert kept[1][0].numpy()[0, 0, 0, 0] == 4.0
    # a second epoch reuses the freed slots and still gives the right data
    again = [x.numpy()[:, 0, 0, 0].tolist() for x, _ in dl]
    assert again == [[float(i) for i in range(4 * k, 4 * k + 4)] for k in range(16)]


def test_in_order_false_yields_everything():
    import time

    class Slow(ember.utils.data.Dataset):
        def __len__(self):
            return 12

        def __getitem__(self, i):
            if i < 2:
                time.sleep(0.2)  # worker 0's first batch is slow: later batches overtake it
            return i

    dl = ember.utils.data.DataLoader(Slow(), batch_size=2, num_workers=2, in_order=False)
    got = [b.tolist() for b in dl]
    assert sorted(sum(got, [])) == list(range(12))
    assert got[0] != [0, 1]
    dl = ember.utils.data.DataLoader(Slow(), batch_size=2, num_workers=2)
    assert [b.tolist() for b in dl] == [[2 * k, 2 * k + 1] for k in range(6)]


def _seeds_in_workers(lib, n_workers, **kw):
    class Probe(lib.utils.data.Dataset):
        def __len__(self):
            return n_workers

        def __getitem__(self, i):
            info = lib.utils.data.get_worker_info()
            return {"id": info.id, "n": info.num_workers, "seed": info.seed, "same_ds": info.dataset is self,
                    "py": random.random(), "np": float(np.random.rand()), "lib": lib.rand(2).tolist()}
    lib.manual_seed(2024)
    dl = lib.utils.data.DataLoader(Probe(), batch_size=None, num_workers=n_workers, **kw)
    return list(dl)


def test_worker_seeds_match_torch():
    # base_seed is drawn from the same generator stream, so every worker seed (and the Python, NumPy and
    # ember/torch draws made with it) equal torch's
    e = _seeds_in_workers(ember, 2)
    t = _seeds_in_workers(torch, 2)
    assert [x["id"] for x in e] == [0, 1] and all(x["n"] == 2 and x["same_ds"] for x in e)
    assert e[1]["seed"] == e[0]["seed"] + 1
    for a, b in zip(e, t):
        assert a == b
    assert ember.utils.data.get_worker_info() is None


def test_worker_init_fn_and_generator():
    def init(wid):
        np.random.seed(100 + wid)

    class P(ember.utils.data.Dataset):
        def __len__(self):
            return 4

        def __getitem__(self, i):
            return float(np.random.rand())

    g = ember.Generator().manual_seed(1)
    out = [b for b in ember.utils.data.DataLoader(P(), batch_size=None, num_workers=2, worker_init_fn=init,
                                                         generator=g)]
    expect = []
    for k in range(4):
        rs = np.random.RandomState(100 + k % 2)
        expect.append(rs.rand(1 + k // 2)[-1])
    assert np.allclose(out, expect)


def test_persistent_workers_reuse_processes():
    class Pid(ember.utils.data.Dataset):
        def __len__(self):
            return 8

        def __getitem__(self, i):
            import os
            return os.getpid()

    dl = ember.utils.data.DataLoader(Pid(), batch_size=2, num_workers=2, persistent_workers=True)
    pids1 = {int(p) for b in dl for p in b}
    it = iter(dl)
    next(it)  # an abandoned epoch: the next one must still start cleanly
    pids2 = {int(p) for b in dl for p in b}
    assert pids1 == pids2 and len(pids1) == 2
    workers = dl._iterator._workers
    del dl, it
    import gc
    gc.collect()
    assert not any(w.is_alive() for w in workers)
    dl = ember.utils.data.DataLoader(Pid(), batch_size=2, num_workers=2)
    assert {int(p) for b in dl for p in b}.isdisjoint({int(p) for b in dl for p in b})


def test_iterable_dataset_with_workers():
    e = sorted(x for b in ember.utils.data.DataLoader(_stream(ember, 11), batch_size=2, num_workers=2) for x in b.tolist())
    assert e == list(range(11))
    dl = ember.utils.data.DataLoader(_stream(ember, 11), batch_size=2, num_workers=2, persistent_workers=True)
    for _ in range(2):
        assert sorted(x for b in dl for x in b.tolist()) == list(range(11))


def test_spawn_context():
    import multiprocessing

    from spawn_items import SpawnItems
    ctx = multiprocessing.get_context("spawn")
    dl = ember.utils.data.DataLoader(SpawnItems(), batch_size=3, num_workers=1, multiprocessing_context=ctx)
    assert dl.multiprocessing_context is ctx
    dl = ember.utils.data.DataLoader(SpawnItems(), batch_size=3, num_workers=1, multiprocessing_context="spawn")
    same_tree(list(dl), list(torch.utils.data.DataLoader(SpawnItems(), batch_size=3)))
