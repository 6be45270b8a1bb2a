"""ember.device and ember.cuda against torch (CPU build): parsing, attributes, equality, placement, CUDA errors."""
import pickle

import numpy as np
import pytest
import torch

import ember

GOOD = ["cpu", "cuda", "cuda:1", "cuda:0", "cpu:0", "cuda:12", "mps", "meta", "xpu:3", "hpu", "privateuseone"]
BAD = ["foo", "CPU", " cpu", "cpu ", "cuda:-1", "cuda:x", "cuda:01", "cuda:1:2", "cuda:", ":1", "", "cu da", "foo:1"]


@pytest.mark.parametrize("s", GOOD)
def test_device_parse(s):
    e, t = ember.device(s), torch.device(s)
    assert e.type == t.type and e.index == t.index
    assert repr(e) == repr(t) and str(e) == str(t)


@pytest.mark.parametrize("s", BAD)
def test_device_parse_errors(s):
    with pytest.raises(RuntimeError) as t_exc:
        torch.device(s)
    with pytest.raises(RuntimeError) as e_exc:
        ember.device(s)
    assert str(e_exc.value) == str(t_exc.value)


@pytest.mark.parametrize("args", [("cuda", 1), ("cpu", 0), ("cuda", 0), ("meta", 2)])
def test_device_type_and_index(args):
    e, t = ember.device(*args), torch.device(*args)
    assert (e.type, e.index, repr(e), str(e)) == (t.type, t.index, repr(t), str(t))
    e2, t2 = ember.device(type=args[0], index=args[1]), torch.device(type=args[0], index=args[1])
    assert repr(e2) == repr(t2)


@pytest.mark.parametrize("args", [("cuda:1", 2), ("cuda", -1), ("cpu", -1)])
def test_device_index_errors(args):
    with pytest.raises(RuntimeError) as t_exc:
        torch.device(*args)
    with pytest.raises(RuntimeError) as e_exc:
        ember.device(*args)
    assert str(e_exc.value) == str(t_exc.value)


@pytest.mark.parametrize("bad", [None, 1.5, [1]])
def test_device_bad_argument_type(bad):
    with pytest.raises(TypeError) as t_exc:
        torch.device(bad)
    with pytest.raises(TypeError) as e_exc:
        ember.device(bad)
    first = str(t_exc.value).splitlines()[0]
    assert str(e_exc.value).splitlines()[0] == first


def test_device_int_needs_accelerator():
    with pytest.raises(RuntimeError) as t_exc:
        torch.device(0)
    with pytest.raises(RuntimeError) as e_exc:
        ember.device(0)
    assert str(e_exc.value) == str(t_exc.value)


def test_device_equality_and_hash():
    d = ember.device("cuda:1")
    td = torch.device("cuda:1")
    assert d == ember.device("cuda", 1) and td == torch.device("cuda", 1)
    assert d != ember.device("cuda:0")
    # like torch, a device never equals a string (compare str(d) or d.type)
    for s in ["cuda:1", "cuda", "cpu"]:
        assert (d == s) is (td == s) is False
        assert (d != s) is (td != s) is True
    assert (ember.device("cpu") == "cpu") is (torch.device("cpu") == "cpu")
    assert (ember.device("cpu") == ember.device("cpu:0")) is (torch.device("cpu") == torch.device("cpu:0")) is False
    assert (ember.device("cpu") == 5) is (torch.device("cpu") == 5) is False
    assert hash(d) == hash(ember.device("cuda", 1))
    assert {ember.device("cpu"): 1}[ember.device("cpu")] == 1
    assert str(d) == "cuda:1" and d.type == "cuda" and d.index == 1


def test_device_copy_and_pickle():
    d = ember.device("cuda:3")
    assert ember.device(d) == d and repr(ember.device(d)) == repr(torch.device(torch.device("cuda:3")))
    r = pickle.loads(pickle.dumps(d))
    assert r == d and repr(r) == "device(type='cuda', index=3)"


def test_tensor_device_cpu():
    x = ember.tensor([1.0, 2.0], device="cpu")
    assert x.device == ember.device("cpu")
    assert repr(x.device) == repr(torch.tensor([1.0]).device)
    assert ember.zeros(2, device=ember.device("cpu")).device.type == "cpu"
    assert ember.ones(2, device="cpu:0").device.type == "cpu"
    assert ember.arange(3, device="cpu").tolist() == [0, 1, 2]
    assert x.is_cuda is False and x.is_cpu is True


def test_to_cpu_returns_self():
    x = ember.tensor([1.0, 2.0])
    tx = torch.tensor([1.0, 2.0])
    assert (x.to("cpu") is x) is (tx.to("cpu") is tx) is True
    assert (x.to(ember.device("cpu")) is x) is (tx.to(torch.device("cpu")) is tx) is True
    assert x.cpu() is x
    assert str(x.to("cpu", ember.float64).dtype) == str(tx.to("cpu", torch.float64).dtype)
    assert str(x.to(device="cpu", dtype=ember.int32).dtype) == str(tx.to(device="cpu", dtype=torch.int32).dtype)
    assert (x.to("cpu", copy=True) is x) is (tx.to("cpu", copy=True) is tx) is False


def test_cuda_not_available():
    assert ember.cuda.is_available() is False
    assert ember.cuda.is_available() is torch.cuda.is_available()
    assert ember.cuda.device_count() == torch.cuda.device_count() == 0
    ember.cuda.manual_seed(0)  # seeding absent GPUs is a no-op, as in torch
    ember.cuda.manual_seed_all(0)


@pytest.mark.parametrize("make", [
    lambda: ember.zeros(2, device="cuda"),
    lambda: ember.tensor([1.0], device="cuda:0"),
    lambda: ember.tensor([1.0]).to("cuda"),
    lambda: ember.tensor([1.0]).to(ember.device("cuda", 1)),
    lambda: ember.tensor([1.0]).to(0),
    lambda: ember.tensor([1.0]).cuda(),
    lambda: ember.arange(3, device="cuda"),
    lambda: ember.full((2,), 1.0, device="cuda"),
    lambda: ember.cuda.current_device(),
    lambda: ember.cuda.synchronize(),
])
def test_cuda_requests_fail_naming_cupy(make):
    with pytest.raises(RuntimeError, match="CuPy"):
        make()


def test_other_device_types_fail_clearly():
    with pytest.raises(RuntimeError, match="meta"):
        ember.zeros(2, device="meta")
    with pytest.raises(RuntimeError, match="mps"):
        ember.tensor([1.0]).to("mps")


def test_device_context_manager():
    with ember.device("cpu") as d:
        assert ember.zeros(1).device == d


def test_from_numpy_is_on_cpu():
    assert ember.from_numpy(np.zeros(2)).device == ember.device("cpu")
