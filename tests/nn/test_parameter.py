"""nn.Parameter against torch: construction, repr, type of op results, deepcopy/pickle, errors; Buffer."""
import copy
import pickle

import numpy as np
import pytest
import torch

import ember
from conftest import same, same_error


@pytest.mark.parametrize("make", [
    "lib.nn.Parameter(lib.tensor([[1.0, 2.5], [-3.0, 4.0]]))",
    "lib.nn.Parameter(lib.tensor([1.0, 2.0], dtype=lib.float64), requires_grad=False)",
    "lib.nn.Parameter()",
    "lib.nn.Parameter(lib.zeros(2, 0))",
    "lib.nn.Parameter(lib.tensor(3.5))",
    "lib.nn.Parameter(lib.arange(3), requires_grad=False)",
    "lib.nn.Parameter(lib.nn.Parameter(lib.ones(2)))",
    "lib.nn.Parameter(lib.ones(2, requires_grad=True) * 2)",
])
def test_repr_and_flags(make):
    def f(lib):
        p = eval(make, {"lib": lib})
        return (repr(p), str(p), type(p).__name__, p.requires_grad, p.is_leaf, p.grad_fn is None,
                isinstance(p, lib.Tensor), isinstance(p, lib.nn.Parameter), tuple(p.shape), str(p.dtype))
    same(f)


def test_shares_storage_with_data():
    def f(lib):
        t = lib.zeros(3)
        p = lib.nn.Parameter(t)
        with lib.no_grad():
            p[0] = 5
        t[1] = 7
        return p.detach().numpy().tolist(), t.tolist(), p.data_ptr() == t.data_ptr()
    same(f)


def test_ops_return_plain_tensors():
    def f(lib):
        p = lib.nn.Parameter(lib.ones(2, 2))
        return [type(r).__name__ for r in (p * 2, p + p, p.detach(), p.data, p.clone(), p[0], p.view(4), p.t(),
                                           p.sum(), -p, p @ p, p.exp(), lib.relu(p))]
    same(f)


def test_integer_requires_grad_error():
    same_error(lambda lib: lib.nn.Parameter(lib.tensor([1, 2])))
    same_error(lambda lib: lib.nn.Parameter([1.0]))


def test_grad_flows_and_is_leaf():
    def f(lib):
        p = lib.nn.Parameter(lib.tensor([1.0, -2.0]))
        (p * p).sum().backward()
        return p.grad.numpy(), type(p.grad).__name__
    same(f)


def test_inplace_on_parameter_needs_no_grad():
    same_error(lambda lib: lib.nn.Parameter(lib.ones(2)).add_(1))

    def f(lib):
        p = lib.nn.Parameter(lib.ones(2))
        with lib.no_grad():
            p.add_(1)
        return p._version, p.detach().numpy()
    same(f)


def test_deepcopy():
    def f(lib):
        p = lib.nn.Parameter(lib.tensor([1.0, 2.0]))
        p.sum().backward()
        q = copy.deepcopy(p)
        d = copy.deepcopy({"a": p, "b": p})
        return (type(q).__name__, q.requires_grad, q.grad is None, q.data_ptr() != p.data_ptr(),
                q.detach().numpy(), d["a"] is d["b"])
    same(f)


def test_pickle_roundtrip():
    def f(lib):
        p = lib.nn.Parameter(lib.tensor([1.0, 2.0]), requires_grad=False)
        q = pickle.loads(pickle.dumps(p))
        r = pickle.loads(pickle.dumps(lib.nn.Parameter(lib.ones(1))))
        return type(q).__name__, q.requires_grad, q.detach().numpy(), r.requires_grad, repr(r)
    same(f)


def test_pickle_keeps_instance_state():
    p = ember.nn.Parameter(ember.ones(1))
    p.tag = "w"
    q = pickle.loads(pickle.dumps(p))
    assert q.tag == "w" and isinstance(q, ember.nn.Parameter)


def test_module_to_keeps_parameter_type():
    m = ember.nn.Linear(2, 2)
    m.double()
    assert type(m.weight) is ember.nn.Parameter and m.weight.dtype is ember.float64 and m.weight.requires_grad


def test_buffer_registers_as_buffer():
    def f(lib):
        m = lib.nn.Module()
        m.a = lib.nn.Buffer(lib.ones(2))
        m.b = lib.nn.Buffer(lib.zeros(1), persistent=False)
        return list(m._buffers), list(m.state_dict()), sorted(m._non_persistent_buffers_set), \
            isinstance(m.a, lib.Tensor)
    same(f)


def test_uninitialized_parameter():
    p = ember.nn.UninitializedParameter()
    assert repr(p) == repr(torch.nn.UninitializedParameter()) == "<UninitializedParameter>"
    with pytest.raises(RuntimeError, match="Can't access the shape"):
        p.shape
    p.materialize((2, 3))
    assert type(p) is ember.nn.Parameter and tuple(p.shape) == (2, 3) and p.requires_grad
    assert ember.nn.parameter.is_lazy(ember.nn.UninitializedParameter())


def test_lazy_linear():
    def f(lib):
        lib.manual_seed(0)
        m = lib.nn.LazyLinear(3)
        y = m(lib.ones(2, 5))
        return type(m).__name__, repr(m), tuple(m.weight.shape), y.detach().numpy()
    same(f)


def test_numpy_view_of_parameter_data():
    p = ember.nn.Parameter(ember.ones(3))
    p.data.numpy()[0] = 2
    np.testing.assert_array_equal(p.detach().numpy(), [2, 1, 1])
