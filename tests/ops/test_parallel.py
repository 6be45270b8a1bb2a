"""Large elementwise ops split across threads give exactly the single-threaded result."""
import os

import numpy as np
import pytest
import torch  # noqa: F401  (the oracle must be installed)

import ember
from ember.ops import _parallel


@pytest.mark.parametrize("name", ["exp", "tanh", "sigmoid", "sqrt", "abs", "sin"])
def test_threaded_unary_matches_serial(name):
    x = np.random.default_rng(0).standard_normal((700, 600)).astype(np.float32)
    if name == "sqrt":
        x = np.abs(x)
    t = ember.from_numpy(x)
    old = ember.get_num_threads()
    try:
        ember.set_num_threads(1)
        serial = getattr(t, name)().numpy()
        ember.set_num_threads(2)
        threaded = getattr(t, name)().numpy()
    finally:
        ember.set_num_threads(old)
    assert x.size >= _parallel._MIN_ELEMENTS
    np.testing.assert_array_equal(serial, threaded)
    np.testing.assert_allclose(threaded, getattr(torch.from_numpy(x), name)().numpy(), rtol=1e-6, atol=1e-7)


def test_set_num_threads_validates():
    with pytest.raises(RuntimeError):
        ember.set_num_threads(0)
    assert ember.get_num_threads() >= 1


def test_pool_survives_fork():
    x = ember.from_numpy(np.ones(1 << 19, np.float32))
    ember.set_num_threads(2)
    x.exp()  # start the pool in the parent
    pid = os.fork()
    if pid == 0:  # the child must not wait on the parent's (absent) threads
        code = 0 if float(x.exp().sum()) > 0 else 1
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.WEXITSTATUS(status) == 0
