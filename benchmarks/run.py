"""Time ember against torch, alternating rounds in one process; print ``workload | ember | torch | ratio``.

ratio = ember time / torch time, the median of per-round ratios (the machine is shared and noisy).
``--quick`` runs each workload briefly (CI smoke: only that every workload runs).
"""
import argparse
import statistics
import sys
import time
import timeit

import numpy as np
import torch

import ember


def _per_op(workload_fn, number):
    t = timeit.Timer(workload_fn)
    return t.timeit(number) / number


def workloads():
    """name -> (setup(lib) returning a zero-arg callable, calls per round)."""
    a4 = np.arange(4, dtype=np.float32)
    big = np.random.default_rng(0).standard_normal((1000, 1000)).astype(np.float32)
    vec = np.random.default_rng(1).standard_normal(1_000_000).astype(np.float32)
    m10 = np.arange(100, dtype=np.float32).reshape(10, 10)

    def add4(lib):
        x, y = lib.from_numpy(a4.copy()), lib.from_numpy(a4.copy())
        return lambda: x + y

    def add4_grad(lib):
        x, y = lib.from_numpy(a4.copy()).requires_grad_(), lib.from_numpy(a4.copy())
        return lambda: x + y

    def slice2d(lib):
        x = lib.from_numpy(m10.copy())
        return lambda: x[2:5, 1:7]

    def sum4(lib):
        x = lib.from_numpy(a4.copy())
        return lambda: x.sum()

    def view4(lib):
        x = lib.from_numpy(a4.copy())
        return lambda: x.view(2, 2)

    def matmul1k(lib):
        x, y = lib.from_numpy(big), lib.from_numpy(big.T.copy())
        return lambda: x @ y

    def exp1m(lib):
        x = lib.from_numpy(vec)
        return lambda: x.exp()

    def mlp_step(lib):
        rng = np.random.default_rng(0)
        X = lib.from_numpy(rng.standard_normal((32, 20)).astype(np.float32))
        w1 = lib.from_numpy((rng.standard_normal((20, 32)) * 0.1).astype(np.float32)).requires_grad_()
        w2 = lib.from_numpy((rng.standard_normal((32, 1)) * 0.1).astype(np.float32)).requires_grad_()

        def step():
            loss = (X.mm(w1).relu().mm(w2) ** 2).mean()
            loss.backward()
            with lib.no_grad():
                w1.sub_(0.01 * w1.grad)
                w2.sub_(0.01 * w2.grad)
                w1.grad.zero_()
                w2.grad.zero_()
        return step

    def _chain(lib):
        # 50 elementwise ops on a 4-element tensor: mostly per-node overhead
        x = lib.from_numpy(a4 / 10).requires_grad_()
        y = x
        for i in range(25):
            y = y * 1.01
            y = y.sin() if i % 2 else y + 0.5
        return x, y.sum()

    def chain_backward(lib):
        _, loss = _chain(lib)
        return lambda: loss.backward(retain_graph=True)

    def chain_step(lib):
        def step():
            x, loss = _chain(lib)
            loss.backward()
        return step

    def lenet_conv(lib):
        # LeNet-5's feature extractor: conv 1->6 5x5, max pool 2, conv 6->16 5x5, max pool 2; fwd + bwd
        rng = np.random.default_rng(0)
        x = lib.from_numpy(rng.standard_normal((64, 1, 28, 28)).astype(np.float32))
        ps = [lib.from_numpy(a.astype(np.float32)).requires_grad_() for a in (
            rng.standard_normal((6, 1, 5, 5)) * 0.2, np.zeros(6), rng.standard_normal((16, 6, 5, 5)) * 0.1,
            np.zeros(16))]
        F = lib.nn.functional

        def step():
            h = F.max_pool2d(F.conv2d(x, ps[0], ps[1]), 2)
            h = F.max_pool2d(F.conv2d(h, ps[2], ps[3]), 2)
            h.sum().backward()
            for p in ps:
                p.grad = None
        return step

    def nn_mlp(sizes, batch):
        # issue 5's MLP steps: nn.Sequential(Linear, ReLU, Linear), cross-entropy, manual SGD update
        def setup(lib):
            lib.manual_seed(0)
            rng = np.random.default_rng(0)
            x = lib.from_numpy(rng.standard_normal((batch, sizes[0])).astype(np.float32))
            y = lib.from_numpy(rng.integers(0, sizes[2], batch))
            model = lib.nn.Sequential(lib.nn.Linear(sizes[0], sizes[1]), lib.nn.ReLU(),
                                      lib.nn.Linear(sizes[1], sizes[2]))
            params = list(model.parameters())

            def step():
                loss = lib.nn.functional.cross_entropy(model(x), y)
                loss.backward()
                with lib.no_grad():
                    for p in params:
                        p -= 0.01 * p.grad
                        p.grad = None
            return step
        return setup

    def lenet_step(lib):
        # LeNet-5 train step: conv/relu/pool x2, three Linear layers, cross-entropy, manual SGD
        lib.manual_seed(0)
        rng = np.random.default_rng(0)
        nn = lib.nn
        x = lib.from_numpy(rng.standard_normal((64, 1, 28, 28)).astype(np.float32))
        y = lib.from_numpy(rng.integers(0, 10, 64))
        model = nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5),
                              nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(400, 120), nn.ReLU(),
                              nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))
        params = list(model.parameters())

        def step():
            loss = nn.functional.cross_entropy(model(x), y)
            loss.backward()
            with lib.no_grad():
                for p in params:
                    p -= 0.01 * p.grad
                    p.grad = None
        return step

    return {
        "add 4-elem float32": (add4, 20000),
        "add 4-elem, requires_grad": (add4_grad, 20000),
        "2-D slice x[2:5, 1:7]": (slice2d, 20000),
        "sum() 4-elem": (sum4, 20000),
        "view(2, 2)": (view4, 20000),
        "tiny MLP train step": (mlp_step, 500),
        "backward of 50-op chain": (chain_backward, 1000),
        "50-op chain fwd+bwd": (chain_step, 500),
        "matmul 1000x1000": (matmul1k, 3),
        "exp 1M elements": (exp1m, 20),
        "LeNet-5 conv2d fwd+bwd batch 64 28x28": (lenet_conv, 20),
        "nn MLP 64-128-10 batch 32 step": (nn_mlp((64, 128, 10), 32), 500),
        "nn MLP 784-256-10 batch 128 step": (nn_mlp((784, 256, 10), 128), 100),
        "LeNet-5 train step batch 64": (lenet_step, 10),
    }


def run(rounds, scale, only=None):
    rows = []
    torch.set_num_threads(max(1, torch.get_num_threads()))
    for name, (setup, number) in workloads().items():
        if only and only not in name:
            continue
        n = max(1, int(number * scale))
        fe, ft = setup(ember), setup(torch)
        fe(), ft()  # warm up
        ratios, te_all, tt_all = [], [], []
        for _ in range(rounds):
            te = _per_op(fe, n)
            tt = _per_op(ft, n)
            te_all.append(te)
            tt_all.append(tt)
            ratios.append(te / tt)
        rows.append((name, statistics.median(te_all), statistics.median(tt_all), statistics.median(ratios)))
    return rows


def _fmt(s):
    return f"{s * 1e6:.2f} us" if s < 1e-3 else f"{s * 1e3:.2f} ms"


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--quick", action="store_true", help="smoke run: every workload once, briefly")
    p.add_argument("--rounds", type=int, default=7)
    p.add_argument("--only", help="run only the workloads whose name contains this text")
    args = p.parse_args(argv)
    rows = run(1 if args.quick else args.rounds, 0.02 if args.quick else 1.0, args.only)
    print(f"{'workload':38s} | {'ember':>10s} | {'torch':>10s} | ratio")
    print("-" * 74)
    for name, te, tt, r in rows:
        print(f"{name:38s} | {_fmt(te):>10s} | {_fmt(tt):>10s} | {r:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
