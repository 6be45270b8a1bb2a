"""Version counters and in-place checks against torch: ``_version`` bumps, views sharing their base's counter,
``.data``/``detach`` aliases, the saved-tensor version error, and in-place ops on leaves, views and non-leaves."""
import pytest

from conftest import same, same_error


def _setitem(x, k, v):
    x[k] = v


def _iadd(x, v):
    x += v


def _imul(x, v):
    x *= v


# ---------------------------------------------------------------- _version bumps

def test_fresh_tensors_start_at_version_zero():
    def f(lib):
        x = lib.zeros(3)
        x.add_(1)
        return (lib.zeros(3)._version, lib.empty(2)._version, lib.tensor([1.0])._version, x.clone()._version,
                (x * 1)._version, x.detach()._version, x.data._version)
    assert same(f) == (0, 0, 0, 0, 0, 1, 0)


INPLACE = {
    "add_": lambda lib, x: x.add_(1),
    "sub_div_chain": lambda lib, x: x.sub_(1).div_(2),
    "mul_add_chain": lambda lib, x: x.mul_(2).add_(1),
    "zero_": lambda lib, x: x.zero_(),
    "fill_": lambda lib, x: x.fill_(3),
    "copy_": lambda lib, x: x.copy_(lib.ones(4)),
    "clamp_": lambda lib, x: x.clamp_(0, 1),
    "exp_": lambda lib, x: x.exp_(),
    "masked_fill_": lambda lib, x: x.masked_fill_(x > 0, 1.0),
    "index_add_": lambda lib, x: x.index_add_(0, lib.tensor([0, 2]), lib.ones(2)),
    "uniform_": lambda lib, x: x.uniform_(),
    "normal_": lambda lib, x: x.normal_(),
    "setitem_int": lambda lib, x: _setitem(x, 0, 1.0),
    "setitem_slice": lambda lib, x: _setitem(x, slice(1, 3), lib.ones(2)),
    "setitem_index_list": lambda lib, x: _setitem(x, [0, 1], 5.0),
    "setitem_mask": lambda lib, x: _setitem(x, x > 0, 0.0),
    "iadd": lambda lib, x: _iadd(x, 1),
    "imul": lambda lib, x: _imul(x, 2),
    "getitem_iadd": lambda lib, x: x.__setitem__(0, x[0].__iadd__(1)),  # x[0] += 1: the view, then the copy
    "out_self": lambda lib, x: lib.add(x, 1, out=x),
    "view_add_": lambda lib, x: x[1:3].add_(1),
    "reshape_view_add_": lambda lib, x: x.reshape(2, 2).add_(1),
    "t_view_add_": lambda lib, x: x.view(2, 2).t().add_(1),
    "detach_add_": lambda lib, x: x.detach().add_(1),
    "unbind_elem_add_": lambda lib, x: x.unbind(0)[0].add_(1),
    "transpose_": lambda lib, x: x.view(2, 2).transpose_(0, 1),
    "unsqueeze_": lambda lib, x: x.unsqueeze_(0),
    "t_": lambda lib, x: x.view(2, 2).t_(),
}


@pytest.mark.parametrize("op", sorted(INPLACE))
def test_inplace_op_bumps_version(op):
    def f(lib):
        x = lib.tensor([0.5, -1.0, 2.0, 0.0])
        before = x._version
        INPLACE[op](lib, x)
        return before, x._version
    same(f)


NO_BUMP = {
    "data_add_": lambda lib, x: x.data.add_(1),
    "numpy_write": lambda lib, x: x.numpy().__setitem__(0, 9.0),
    "requires_grad_": lambda lib, x: x.requires_grad_(),
    "data_assign": lambda lib, x: setattr(x, "data", lib.ones(4)),
    "out_of_place": lambda lib, x: (x + 1, x.exp(), x.view(2, 2), x[1:]),
    "clone_add_": lambda lib, x: x.clone().add_(1),
}


@pytest.mark.parametrize("op", sorted(NO_BUMP))
def test_ops_that_do_not_bump_version(op):
    def f(lib):
        x = lib.tensor([0.5, -1.0, 2.0, 0.0])
        NO_BUMP[op](lib, x)
        return x._version
    assert same(f) == 0


def test_out_argument_bumps_the_out_tensor():
    def f(lib):
        x = lib.ones(3)
        o = lib.empty(3)
        lib.add(x, 1, out=o)
        r = lib.empty(0)  # resized by out=
        lib.mul(x, 2, out=r)
        return x._version, o._version, r._version, o, r
    same(f)


def test_views_share_the_version_counter_of_their_base():
    def f(lib):
        x = lib.zeros(4)
        v, r, s = x[1:3], x.view(2, 2), x.split(2)[1]
        e = x.expand(2, 4)
        d = x.detach()
        out = [(x._version, v._version, r._version, s._version, e._version, d._version)]
        v.add_(1)   # through a view
        out.append((x._version, v._version, r._version, s._version, e._version, d._version))
        x.mul_(2)   # through the base
        out.append((x._version, v._version, r._version, s._version, e._version, d._version))
        d.sub_(1)   # through detach (same storage, same counter)
        out.append((x._version, v._version, r._version, s._version, e._version, d._version))
        return out, x
    assert same(f)[0] == [(0,) * 6, (1,) * 6, (2,) * 6, (3,) * 6]


def test_data_alias_has_its_own_counter():
    def f(lib):
        w = lib.zeros(3)
        w.add_(1)
        dd = w.data
        v0 = dd._version
        dd.add_(1)
        return v0, w._version, dd._version, w
    assert same(f)[:3] == (0, 1, 1)


def test_from_numpy_tensors_have_independent_counters():
    def f(lib):
        w = lib.zeros(3)
        n = lib.from_numpy(w.numpy())
        n.add_(1)
        return w._version, n._version, w
    assert same(f)[:2] == (0, 1)


# ---------------------------------------------------------------- the saved-tensor version check

def _scalar_saved(lib):
    x = lib.ones(3, requires_grad=True)
    c = lib.ones(3)
    y = x * c
    c.add_(1)
    y.sum().backward()


def _double_saved(lib):
    x = lib.ones(3, dtype=lib.float64, requires_grad=True)
    c = lib.ones(3, dtype=lib.float64)
    y = x * c
    c.mul_(2)
    y.sum().backward()


def _saved_2d_setitem(lib):
    x = lib.ones(3, requires_grad=True)
    c = lib.ones(2, 3)
    y = x * c
    c[0, 0] = 3
    y.sum().backward()


def _saved_twice_modified(lib):
    x = lib.ones(3, requires_grad=True)
    c = lib.ones(3)
    y = x * c
    c.add_(1)
    c.add_(1)
    y.sum().backward()


def _saved_output_of_exp(lib):
    x = lib.ones(3, requires_grad=True)
    y = x.exp()  # saves its result
    y.add_(1)
    y.sum().backward()


def _saved_through_copyslices(lib):
    x = lib.ones(2, 3, requires_grad=True)
    y = x * 2
    z = y.sin()  # saves y
    y[0] = 0
    z.sum().backward()


def _saved_input_then_relu_(lib):
    x = lib.tensor([1.0, -2.0, 3.0], requires_grad=True)
    y = x * 2
    k = y * y  # saves y
    y.relu_()
    (k + y).sum().backward()


HINT = (" Hint: enable anomaly detection to find the operation that failed to compute its gradient, with "
        "torch.autograd.set_detect_anomaly(True, check_nan=False).")
PREFIX = "one of the variables needed for gradient computation has been modified by an inplace operation: "


@pytest.mark.parametrize("case, expected", [
    (_scalar_saved, "[torch.FloatTensor [3]] is at version 1; expected version 0 instead."),
    (_double_saved, "[torch.DoubleTensor [3]] is at version 1; expected version 0 instead."),
    (_saved_2d_setitem, "[torch.FloatTensor [2, 3]] is at version 1; expected version 0 instead."),
    (_saved_twice_modified, "[torch.FloatTensor [3]] is at version 2; expected version 0 instead."),
    (_saved_output_of_exp, "[torch.FloatTensor [3]], which is output 0 of Exp, is at version 1; expected version 0 "
                           "instead."),
    (_saved_through_copyslices, "[torch.FloatTensor [2, 3]], which is output 0 of torch::autograd::CopySlices, is "
                                "at version 1; expected version 0 instead."),
    (_saved_input_then_relu_, "[torch.FloatTensor [3]], which is output 0 of Relu, is at version 1; expected "
                              "version 0 instead."),
], ids=lambda c: c.__name__.strip("_") if callable(c) else "")
def test_modified_saved_tensor_raises_torch_message(case, expected):
    assert same_error(case) == PREFIX + expected + HINT


def test_data_writes_do_not_trip_the_check():
    def f(lib):
        x = lib.ones(3, requires_grad=True)
        c = lib.ones(3)
        y = x * c
        c.data.add_(1)  # untracked: backward sees the new value and does not complain
        y.sum().backward()
        g1 = x.grad.clone()
        x.grad = None
        y = x.exp()
        z = y * y
        y.data.mul_(2)
        z.sum().backward()
        return g1, x.grad, y._version, c._version
    same(f)


# ---------------------------------------------------------------- in-place on leaves and views of leaves

LEAF_MSG = "a leaf Variable that requires grad is being used in an in-place operation."
VIEW_MSG = "a view of a leaf Variable that requires grad is being used in an in-place operation."


@pytest.mark.parametrize("op, msg", [
    (lambda lib, x: x.add_(1), LEAF_MSG),
    (lambda lib, x: x.zero_(), LEAF_MSG),
    (lambda lib, x: _setitem(x, 0, 5.0), VIEW_MSG),  # x[0] = v is copy_ into the view x[0]
    (lambda lib, x: _iadd(x, 1), LEAF_MSG),
    (lambda lib, x: x.mul_(lib.ones(3)), LEAF_MSG),
    (lambda lib, x: x[0:2].add_(1), VIEW_MSG),
    (lambda lib, x: x.view(3).mul_(2), VIEW_MSG),
    (lambda lib, x: x[0].fill_(2), VIEW_MSG),
    (lambda lib, x: x.unsqueeze(0).zero_(), VIEW_MSG),
], ids=["add_", "zero_", "setitem", "iadd", "mul_tensor", "slice_add_", "view_mul_", "elem_fill_", "unsqueeze_zero_"])
def test_inplace_on_leaf_or_view_of_leaf_raises(op, msg):
    def f(lib):
        op(lib, lib.ones(3, requires_grad=True))
    assert same_error(f) == msg


def test_leaf_unchanged_after_refused_inplace():
    def f(lib):
        x = lib.ones(3, requires_grad=True)
        for op in (lambda: x.add_(1), lambda: x[0:2].add_(1)):
            with pytest.raises(RuntimeError):
                op()
        return x, x._version
    same(f)


def test_out_argument_with_requires_grad_raises():
    assert same_error(lambda lib: lib.add(lib.ones(3, requires_grad=True), 1, out=lib.empty(3))) == (
        "add(): functions with out=... arguments don't support automatic differentiation, but one of the arguments "
        "requires grad.")


def test_inplace_on_leaf_under_no_grad_is_allowed():
    def f(lib):
        x = lib.ones(3, requires_grad=True)
        with lib.no_grad():
            x.add_(1)
            x[0] = 5.0
            v = x[1:]
            v.mul_(3)
        info = (x.requires_grad, x.is_leaf, x.grad_fn is None, x._version)
        (x * x).sum().backward()  # backward uses the updated values
        x.detach().add_(1)  # through detach: allowed too, bumps x's counter
        return x, x.grad, info, x._version
    assert same(f)[2:] == ((True, True, True, 3), 4)


def test_view_made_under_no_grad_then_modified_with_grad():
    def f(lib):
        w = lib.ones(3, requires_grad=True) * 1
        with lib.no_grad():
            v = w[:2]
        v.mul_(2)
    assert same_error(f) == (
        "A view was created in no_grad mode and is being modified inplace with grad mode enabled. Given that this use "
        "case is ambiguous and error-prone, it is forbidden. You can clarify your code by moving both the view and the "
        "inplace either both inside the no_grad block (if you don't want the inplace to be tracked) or both outside "
        "(if you want the inplace to be tracked).")


@pytest.mark.parametrize("name", ["split", "unbind"])
def test_inplace_on_multi_output_view_raises(name):
    def f(lib):
        w = lib.ones(4, requires_grad=True) * 1
        parts = w.split(2) if name == "split" else w.unbind(0)
        parts[0].mul_(2)
    cls = "Split" if name == "split" else "Unbind"
    assert same_error(f) == (
        f"Output 0 of {cls} is a view and is being modified inplace. This view is the output of a function that "
        "returns multiple views. Such functions do not allow the output views to be modified inplace. You should "
        "replace the inplace operation by an out-of-place one.")


# ---------------------------------------------------------------- in-place on non-leaves (allowed, recorded)

def test_relu_inplace_on_mul_output():
    def f(lib):
        x = lib.tensor([1.0, -2.0, 3.0], requires_grad=True)
        y = x * 2
        z = y.relu_()
        info = (z is y, y.grad_fn.name(), y._version, y.is_leaf)
        (y * y).sum().backward()
        return x.grad, y, info
    assert same(f)[2] == (True, "ReluBackward0", 1, False)


def test_inplace_after_result_saving_op_is_fine():
    def f(lib):
        x = lib.tensor([1.0, -2.0, 3.0], requires_grad=True)
        y = x * 2
        k = y.sigmoid()  # saves its result, not y
        y.relu_()
        (k + y).sum().backward()
        return x.grad
    same(f)


def test_chain_of_inplace_ops_on_nonleaf():
    def f(lib):
        x = lib.tensor([0.5, -1.5, 2.0], requires_grad=True)
        w = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = x * 1
        y.mul_(w).add_(x).sub_(0.5).div_(2)
        y[1] = w[0] * 4
        names = [y.grad_fn.name()]
        y.exp_()
        names.append(y.grad_fn.name())
        y.sum().backward()
        return x.grad, w.grad, names, y._version
    assert same(f)[2:] == (["torch::autograd::CopySlices", "ExpBackward0"], 6)


def test_inplace_on_view_of_nonleaf_rebases_the_base():
    def f(lib):
        x = lib.tensor([1.0, -2.0, 3.0], requires_grad=True)
        y = x * 2
        v = y[:2]
        v.mul_(3)
        info = (y.grad_fn.name(), y._version, v._version, v._base is y)
        (y * y).sum().backward()
        return x.grad, y, info
    assert same(f)[2] == ("torch::autograd::CopySlices", 1, 1, True)


def test_view_grad_fn_after_inplace_on_view():
    def f(lib):
        y = lib.tensor([1.0, -2.0, 3.0], requires_grad=True) * 2
        v = y[:2]
        v.mul_(3)
        return v.grad_fn.name()
    same(f)
