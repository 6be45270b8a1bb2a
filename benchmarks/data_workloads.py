"""Issue 7's DataLoader benchmark: one epoch of 50,000 3x32x32 float32 images + int labels, batch 128.

``workloads()`` has run.py's format (name -> (setup(lib) -> zero-arg callable, calls per round)); one call is
one full epoch. ``python benchmarks/data_workloads.py`` runs its own driver: ember and torch epochs alternate,
and it prints items/s for each and the median of the per-round ratios.
"""
import argparse
import statistics
import sys
import time

import numpy as np

N_ITEMS = 50_000
BATCH = 128
_DATA = {}


def _arrays():
    # one copy shared by both libraries (from_numpy shares memory); workers inherit it at fork
    if not _DATA:
        rng = np.random.default_rng(0)
        _DATA["x"] = rng.random((N_ITEMS, 3, 32, 32), dtype=np.float32)
        _DATA["y"] = rng.integers(0, 10, N_ITEMS)
    return _DATA["x"], _DATA["y"]


def _loader(lib, num_workers):
    x, y = _arrays()
    data = lib.utils.data

    class Images(data.Dataset):
        """Per-item fetch with a small transform (normalise), label as a Python int."""

        def __init__(self):
            self.x = lib.from_numpy(x)
            self.y = y.tolist()

        def __len__(self):
            return N_ITEMS

        def __getitem__(self, i):
            return (self.x[i] - 0.5) / 0.25, self.y[i]

    return data.DataLoader(Images(), batch_size=BATCH, shuffle=True, num_workers=num_workers)


def _epoch(num_workers):
    def setup(lib):
        lib.manual_seed(0)
        loader = _loader(lib, num_workers)

        def run():
            n = 0
            for xb, yb in loader:
                n += len(yb)
            assert n == N_ITEMS
        return run
    return setup


def workloads():
    """name -> (setup(lib) returning a zero-arg callable, calls per round); one call = one epoch."""
    return {
        "DataLoader epoch 50k 3x32x32, batch 128, 0 workers": (_epoch(0), 1),
        "DataLoader epoch 50k 3x32x32, batch 128, 2 workers": (_epoch(2), 1),
    }


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--only", help="run only the workloads whose name contains this text")
    args = p.parse_args(argv)
    import torch

    import ember
    print(f"{'workload':55s} | {'ember items/s':>13s} | {'torch items/s':>13s} | ember/torch")
    for name, (setup, number) in workloads().items():
        if args.only and args.only not in name:
            continue
        fe, ft = setup(ember), setup(torch)
        fe(), ft()  # warm up (page in the data, first forks)
        te_all, tt_all, ratios = [], [], []
        for _ in range(args.rounds):
            t0 = time.perf_counter()
            for _ in range(number):
                fe()
            te = time.perf_counter() - t0
            t0 = time.perf_counter()
            for _ in range(number):
                ft()
            tt = time.perf_counter() - t0
            te_all.append(te)
            tt_all.append(tt)
            ratios.append(tt / te)  # items/s ratio: > 1 means ember is faster
        items = N_ITEMS * number
        print(f"{name:55s} | {items / statistics.median(te_all):13,.0f} | {items / statistics.median(tt_all):13,.0f}"
              f" | {statistics.median(ratios):.2f}x", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
