"""End to end: a small CNN (Conv2d/ReLU/MaxPool2d/Linear, CrossEntropyLoss) trained on scikit-learn's 8x8
digits with the plain manual SGD loop reaches >= 97% test accuracy in seconds, and tracks torch's run of the
same loop from the same seed step for step at the start."""
import time

import numpy as np
import torch

import ember

import sklearn.datasets as sklearn_datasets  # a dev dependency (the digits ship with it): missing must fail
import sklearn.model_selection as model_selection

EPOCHS, LR, BATCH = 12, 0.05, 16


def _data():
    d = sklearn_datasets.load_digits()  # ships with scikit-learn: no download
    x = ((d.data - d.data.mean()) / d.data.std()).astype(np.float32).reshape(-1, 1, 8, 8)
    return model_selection.train_test_split(x, d.target.astype(np.int64), test_size=0.25, random_state=0,
                                            stratify=d.target)


def _model(lib):
    nn = lib.nn
    lib.manual_seed(0)
    return nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(32 * 2 * 2, 10))


def train(lib, x_train, y_train, epochs=EPOCHS, max_steps=None):
    """Minibatch SGD, the update written by hand; lr / 10 for the last third. Returns (model, step losses)."""
    model = _model(lib)
    loss_fn = lib.nn.CrossEntropyLoss()
    xs, ys = lib.from_numpy(x_train), lib.from_numpy(y_train)
    rng = np.random.default_rng(0)
    losses = []
    for epoch in range(epochs):
        lr = LR if epoch < epochs * 2 // 3 else LR / 10
        perm = rng.permutation(len(x_train))
        for i in range(0, len(perm), BATCH):
            idx = lib.from_numpy(perm[i:i + BATCH])
            loss = loss_fn(model(xs[idx]), ys[idx])
            loss.backward()
            with lib.no_grad():
                for p in model.parameters():
                    p -= lr * p.grad
            model.zero_grad()
            losses.append(loss.item())
            if max_steps is not None and len(losses) == max_steps:
                return model, losses
    return model, losses


def accuracy(lib, model, x, y):
    model.eval()
    with lib.no_grad():
        return float((model(lib.from_numpy(x)).argmax(1).numpy() == y).mean())


def test_cnn_learns_digits():
    x_train, x_test, y_train, y_test = _data()
    start = time.perf_counter()
    model, losses = train(ember, x_train, y_train)
    elapsed = time.perf_counter() - start
    acc = accuracy(ember, model, x_test, y_test)
    assert acc >= 0.97, f"test accuracy {acc:.4f}"
    assert elapsed < 60, f"training took {elapsed:.1f} s"
    assert np.mean(losses[-20:]) < 0.1


def test_first_steps_track_torch():
    x_train, _, y_train, _ = _data()
    _, e_losses = train(ember, x_train, y_train, max_steps=30)
    _, t_losses = train(torch, x_train, y_train, max_steps=30)
    np.testing.assert_allclose(e_losses, t_losses, rtol=1e-4, atol=1e-5)
