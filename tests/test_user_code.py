"""Short snippets written the way PyTorch users write them (tutorials, course notes, Stack Overflow
answers) print exactly what they print with real PyTorch, and raise the same exception class.

Each snippet is executed twice, with ``torch`` bound to real torch and to ember; stdout is captured.
"""
import contextlib
import io
import re
import warnings

import numpy as np
import pytest
import torch as real_torch

import ember


_ADDR = re.compile(r"0x[0-9a-f]+")
_NUM = re.compile(r"-?\d+\.\d*(?:e[+-]?\d+)?|-?\d+e[+-]?\d+")


def _run(lib, src):
    """Run ``src`` with ``torch`` bound to ``lib``: (stdout, exception or None, warning classes)."""
    out = io.StringIO()
    state = lib.get_rng_state()
    dflt = lib.get_default_dtype()
    exc = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            with contextlib.redirect_stdout(out):
                exec(src, {"torch": lib, "np": np, "F": lib.nn.functional, "__name__": "__snippet__"})
        except Exception as e:  # noqa: BLE001 - the exception class is compared below
            exc = e
        finally:
            lib.set_default_dtype(dflt)
            lib.set_rng_state(state)
            lib.set_printoptions(profile="default")
            lib.set_grad_enabled(True)
    return out.getvalue(), exc, [w.category for w in caught]


def _base(exc):
    return None if exc is None else next(c for c in type(exc).__mro__ if c.__module__ == "builtins")


def _same_text(ours, theirs):
    """Equal text; numbers with a decimal point may differ in the last digit (BLAS summation order)."""
    ours, theirs = _ADDR.sub("0x?", ours), _ADDR.sub("0x?", theirs)
    if ours == theirs:
        return
    a, b = _NUM.split(ours), _NUM.split(theirs)
    assert a == b, f"outputs differ:\n--- ember ---\n{ours}\n--- torch ---\n{theirs}"
    for x, y in zip(_NUM.findall(ours), _NUM.findall(theirs)):
        assert abs(float(x) - float(y)) <= 1e-4 * max(1.0, abs(float(y))) + 1e-4, (
            f"{x} != {y}\n--- ember ---\n{ours}\n--- torch ---\n{theirs}")


_SRC = r'''
# --- printing tensors of many dtypes and shapes
print(torch.tensor([1, 2, 3]))
print(torch.tensor([1.0, 2.5, -3.25]))
print(torch.tensor([[1, 2], [3, 4]], dtype=torch.float64))
print(torch.tensor([True, False, True]))
print(torch.tensor(3.14159))
print(torch.tensor(7))
print(torch.tensor([]))
print(torch.zeros(2, 0, 3))
print(torch.tensor([1.5, 2.0], dtype=torch.float16))
print(torch.tensor([1, 2], dtype=torch.int32), torch.tensor([1, 2], dtype=torch.uint8))
print(torch.tensor([1e-8, 1.0, 1e8]))
print(torch.tensor([0.1, 123456.789]))
print(torch.tensor([float('nan'), float('inf'), -float('inf'), 1.0]))
print(torch.tensor([1 + 2j, 3 - 4j]))
print(torch.arange(2000))
print(torch.arange(1200, dtype=torch.float32).reshape(40, 30))
print(torch.ones(2, 3, 4))
print(torch.tensor([[1.0, -2.0], [3.0, 4.0]]).t())
print(torch.tensor([100.0, 2.0, 3.0]) / 7)
print(repr(torch.tensor([1, 2, 3], dtype=torch.int16)))
print(str(torch.eye(3)))
x = torch.tensor([[1.0, 2.0], [3.0, 4.0]]); print(x.shape, x.dtype, x.device)
x = torch.zeros(4, 5, 6); print(x.size(), x.size(1), x.size(-1), x.shape[0], x.ndim, x.dim())
x = torch.randn(3, 4); print(type(x.shape).__name__, type(x).__name__, x.shape == (3, 4), list(x.shape), tuple(x.size()))
x = torch.tensor(2.5); print(f"value: {x.item():.4f}", type(x.item()))
x = torch.tensor([1, 2, 3]); print(x.sum().item(), type(x.sum().item()))
x = torch.tensor([0.5]); print(f"{x.item():.2f}", float(x), int(torch.tensor(3)))
x = torch.tensor(1.23456); print(f"{x:.2f}", "{:.3f}".format(x))
print(torch.tensor([1, 2]).dtype, torch.tensor([1.0]).dtype, torch.tensor([True]).dtype, torch.tensor(1j).dtype)
print(torch.float32, torch.float, torch.double, torch.long, torch.int64 == torch.long)
print(torch.get_default_dtype(), torch.is_tensor(torch.zeros(1)), torch.is_tensor([1]), torch.numel(torch.zeros(3, 4)))
x = torch.zeros(2, 3); print(x.numel(), x.element_size(), x.nelement(), x.is_contiguous(), x.stride())
torch.set_printoptions(precision=2); print(torch.tensor([3.14159, 2.71828])); torch.set_printoptions(precision=4)
torch.set_printoptions(sci_mode=False); print(torch.tensor([1e-6, 1.0, 1e5])); torch.set_printoptions(profile="default")
torch.manual_seed(0); print(torch.rand(2, 3)); print(torch.randn(3))
torch.manual_seed(42); print(torch.randint(0, 10, (3, 4)))
torch.manual_seed(0); print(torch.randperm(10))
g = torch.Generator().manual_seed(42); print(torch.rand(3, generator=g)); print(torch.randn(2, generator=g))
torch.manual_seed(1); x = torch.randn(4, 4); print(x.mean(), x.std(), x.max(), x.min())
torch.manual_seed(0); print(torch.randint(5, (6,)), torch.randint(low=2, high=8, size=(2, 2)))
torch.manual_seed(3); print(torch.normal(0.0, 1.0, size=(2, 3))); print(torch.rand(2).dtype)
torch.manual_seed(0); x = torch.empty(3).uniform_(-1, 1); print(x); print(torch.empty(2, 2).normal_(mean=0, std=0.01))
torch.manual_seed(0); print(torch.multinomial(torch.tensor([0.1, 0.2, 0.7]), 5, replacement=True))
torch.manual_seed(0); print(torch.bernoulli(torch.full((2, 4), 0.5)))
torch.manual_seed(0); idx = torch.randperm(6); data = torch.arange(12).view(6, 2); print(data[idx])
print(torch.initial_seed() if False else "skip"); torch.manual_seed(123); print(torch.initial_seed())
torch.manual_seed(0); s = torch.get_rng_state(); a = torch.rand(2); torch.set_rng_state(s); print(torch.equal(a, torch.rand(2)))
# --- creation
print(torch.arange(12).reshape(3, 4))
print(torch.arange(0, 1, 0.25), torch.arange(5.0), torch.arange(1, 10, 3))
x = torch.tensor([[1, 2], [3, 4]]); print(torch.zeros_like(x), torch.ones_like(x, dtype=torch.float32))
print(torch.full((2, 3), 7), torch.full((2,), 1.5), torch.full((2, 2), True))
print(torch.linspace(0, 1, steps=5)); print(torch.linspace(-1, 1, 4))
print(torch.eye(3), torch.eye(2, 3))
print(torch.Tensor([1, 2, 3]), torch.Tensor(2, 3).shape, torch.Tensor([[1, 2]]).dtype)
print(torch.FloatTensor([1, 2]), torch.LongTensor([1, 2]), torch.IntTensor([3]), torch.DoubleTensor([1]))
print(torch.tensor(np.array([1, 2, 3])), torch.tensor(np.array([1.0, 2.0])).dtype, torch.tensor(np.float32(2.5)))
print(torch.zeros(3, dtype=torch.long), torch.ones((2, 2), dtype=torch.bool), torch.empty(0))
print(torch.tensor([[1, 2, 3], [4, 5, 6]]).new_zeros(2), torch.tensor([1.0]).new_ones((2, 2)))
print(torch.tensor([1.0, 2.0]).new_tensor([3, 4]), torch.tensor([1]).new_full((2,), 5))
print(torch.zeros(2, 3).fill_(4.0), torch.empty(2).zero_())
print(torch.logspace(0, 2, 3), torch.arange(10).reshape(2, 5).T)
print(torch.tensor([[1, 2], [3, 4]]).tolist(), torch.tensor(3.5).tolist(), torch.tensor([1.5]).tolist())
x = torch.tensor([1, 2, 3]); print(x.numpy(), type(x.numpy()), x.numpy().dtype)
a = np.ones(3); t = torch.from_numpy(a); a[0] = 5; print(t); t[1] = 7; print(a, t.dtype)
a = np.arange(6, dtype=np.float32).reshape(2, 3); t = torch.from_numpy(a); t.mul_(2); print(a)
x = torch.ones(3); n = x.numpy(); x.add_(1); print(n, x)
a = np.array([1, 2, 3]); t = torch.tensor(a); a[0] = 100; print(t, torch.as_tensor(a))
print(torch.tensor([[1, 2], [3, 4]]).reshape(-1), torch.tril(torch.ones(3, 3)), torch.triu(torch.ones(3, 3), diagonal=1))
print(torch.stack([torch.zeros(2), torch.ones(2)]).shape, torch.meshgrid(torch.arange(2), torch.arange(3), indexing="ij"))
print(torch.diag(torch.tensor([1, 2, 3])), torch.diag(torch.arange(9).view(3, 3)))
# --- dtype conversions
x = torch.tensor([1.7, -2.3, 3.5]); print(x.long(), x.int(), x.to(torch.float64), x.double().dtype, x.half())
x = torch.tensor([1, 0, 2]); print(x.float(), x.bool(), x.to(torch.float32).dtype, x.type(torch.FloatTensor))
x = torch.tensor([1.5, 2.5]); print(x.type(torch.IntTensor), x.type(), x.type(torch.float64))
x = torch.tensor([1, 2]); print(x.to(dtype=torch.float16), x.to("cpu"), x.to(torch.device("cpu")).device)
x = torch.arange(4); y = torch.ones(4); print(x.type_as(y), (x + y).dtype, (x / 2).dtype, (x // 2).dtype)
print((torch.tensor([1, 2]) * 1.5).dtype, (torch.tensor([1, 2], dtype=torch.int32) + 1).dtype)
print((torch.tensor([1.0], dtype=torch.float16) + torch.tensor(1.0, dtype=torch.float64)).dtype)
print(torch.tensor([True, False]) + 1, torch.tensor([True, False]).sum(), torch.tensor([3]).float().mean())
print(torch.tensor([250], dtype=torch.uint8) + 10, torch.tensor([-1.5]).to(torch.uint8))
x = torch.tensor([1, 2, 3]); print(x.is_floating_point(), x.float().is_floating_point(), x.dtype.is_floating_point)
print(torch.tensor(5) / torch.tensor(2), torch.tensor(5) // 2, torch.tensor(-5) // 2, torch.tensor(-5) % 3)
# --- arithmetic and broadcasting
a = torch.tensor([[1.0, 2.0], [3.0, 4.0]]); b = torch.tensor([10.0, 20.0]); print(a + b, a * b, a - 1, 2 ** a, a ** 2)
a = torch.arange(3).view(3, 1); b = torch.arange(4); print(a + b, (a * b).shape)
x = torch.tensor([1.0, 4.0, 9.0]); print(x.sqrt(), torch.exp(x / 9), torch.log(x), x.pow(0.5), x.abs().neg())
x = torch.tensor([-1.5, 0.0, 2.5]); print(torch.sigmoid(x), torch.tanh(x), torch.relu(x), F.relu(x))
x = torch.tensor([1.0, 2.0]); x += 1; x *= 3; print(x); x.add_(torch.ones(2)); print(x); x.div_(2); print(x)
x = torch.tensor([1, 2, 3]); y = x; y += 1; print(x); z = x.clone(); z += 1; print(x, z)
print(torch.add(torch.ones(2), torch.ones(2), alpha=10), torch.mul(torch.tensor([2, 3]), 4), torch.div(torch.tensor([7, 8]), 2, rounding_mode="floor"))
x = torch.tensor([-2.0, -0.5, 0.5, 2.0]); print(torch.clamp(x, min=-1, max=1), x.clamp(0), x.clamp(max=0.0), x.clip(-1, 1))
x = torch.tensor([-2, 0, 5]); print(x.clamp(min=0), torch.clamp(x, -1, 1).dtype)
x = torch.tensor([1.0, -2.0, 3.0]); print(torch.where(x > 0, x, torch.zeros_like(x)), torch.where(x > 0, x, 0.0), torch.where(x > 0))
x = torch.tensor([[1, -2], [-3, 4]]); print(torch.where(x < 0, 0, x), torch.where(x > 0, 1.0, -1.0))
x = torch.tensor([0.2, 0.7, 0.5]); print((x > 0.5).float(), (x >= 0.5).long(), x.round(), torch.round(x * 10) / 10)
x = torch.tensor([1.23456, 2.34567]); print(torch.round(x, decimals=2), x.floor(), x.ceil(), x.trunc(), x.frac())
print(torch.maximum(torch.tensor([1, 5]), torch.tensor([3, 2])), torch.minimum(torch.tensor([1.0, 5.0]), torch.tensor(2.0)))
print(torch.tensor([1.0, 2.0]) @ torch.tensor([3.0, 4.0]), torch.dot(torch.tensor([1, 2]), torch.tensor([3, 4])))
x = torch.tensor([3.0, 4.0]); print(x.norm(), torch.norm(x), x.norm(p=1), torch.linalg.norm(x), x / x.norm())
x = torch.tensor([[1.0, 2.0], [3.0, 4.0]]); print(x.norm(dim=1), x.norm(dim=0, keepdim=True), torch.linalg.norm(x, dim=1))
print(torch.tensor([1, 2, 3]) * torch.tensor([[1], [2]]), torch.tensor([1.0, 2.0]).lerp(torch.tensor([3.0, 4.0]), 0.5))
print(torch.isclose(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 2.1])), torch.allclose(torch.ones(2), torch.ones(2) + 1e-9))
print(torch.equal(torch.tensor([1, 2]), torch.tensor([1, 2])), torch.tensor([1, 2]).eq(torch.tensor([1, 3])))
print(torch.isnan(torch.tensor([1.0, float("nan")])), torch.nan_to_num(torch.tensor([float("nan"), float("inf")])))
print(torch.sign(torch.tensor([-2.0, 0.0, 3.0])), torch.exp(torch.tensor(1.0)), torch.log1p(torch.tensor([0.0, 1.0])))
print(torch.tensor([7, -7]) % 3, torch.fmod(torch.tensor([7, -7]), 3), torch.tensor([2]) ** torch.tensor([10]))
print(1 / torch.tensor([0.0, 2.0]), -torch.tensor([1]), torch.tensor([5.0]) - torch.tensor([2]))
# --- comparisons, accuracy
pred = torch.tensor([0, 2, 1, 1]); y = torch.tensor([0, 1, 1, 1]); print((pred == y).sum().item(), (pred == y).float().mean().item())
pred = torch.tensor([0, 2, 1, 1]); y = torch.tensor([0, 1, 1, 1]); print((pred == y).sum(), (pred == y).float().mean(), (pred == y).sum() / len(y))
logits = torch.tensor([[0.1, 0.8, 0.1], [0.6, 0.3, 0.1], [0.2, 0.2, 0.6]]); y = torch.tensor([1, 0, 1]); acc = (logits.argmax(dim=1) == y).float().mean(); print(f"acc={acc:.3f}", acc)
logits = torch.tensor([[0.1, 0.8], [0.6, 0.3]]); y = torch.tensor([1, 1]); correct = 0; correct += (logits.argmax(1) == y).sum().item(); print(correct, 100 * correct / 2)
out = torch.tensor([[1.0, 3.0, 2.0], [5.0, 4.0, 0.0]]); _, predicted = torch.max(out.data, 1); print(predicted, torch.max(out, 1)[1])
out = torch.tensor([[1.0, 3.0, 2.0], [5.0, 4.0, 0.0]]); values, idx = out.max(dim=1); print(values, idx); print(out.max(dim=1))
out = torch.tensor([[1.0, 3.0, 2.0], [5.0, 4.0, 0.0]]); r = torch.max(out, dim=0, keepdim=True); print(r.values, r.indices, r[0], type(r).__name__)
out = torch.tensor([[1, 3, 2], [5, 4, 0]]); print(out.min(1), out.max(), out.argmax(), out.argmin(dim=0), torch.argmax(out, 1, keepdim=True))
x = torch.tensor([1.0, 5.0, 3.0, 4.0]); v, i = torch.topk(x, 2); print(v, i); print(x.topk(3, largest=False))
x = torch.tensor([[1, 5, 3], [4, 2, 6]]); print(torch.topk(x, 1, dim=1), x.topk(2, dim=0).indices)
x = torch.tensor([3, 1, 2]); s, i = torch.sort(x); print(s, i); print(x.sort(descending=True)); print(torch.argsort(x))
x = torch.tensor([[3.0, 1.0], [0.5, 2.0]]); print(torch.sort(x, dim=0), x.sort(dim=1, descending=True).values)
print(torch.tensor([1, 2]) < torch.tensor([2, 2]), torch.tensor([1, 2]) != 2, (torch.tensor([1, 2]) > 1).any(), torch.tensor([True, True]).all())
x = torch.tensor([1.0, 2.0]); print(torch.eq(x, 1), torch.gt(x, 1.5), x.lt(2).sum(), torch.logical_and(x > 0, x < 2))
x = torch.tensor([0, 3, 0, 5]); print(x.nonzero(), torch.nonzero(x, as_tuple=True), torch.count_nonzero(x), x.bool().sum())
# --- reductions
x = torch.arange(6, dtype=torch.float32).view(2, 3); print(x.sum(), x.sum(0), x.sum(dim=1), x.sum(1, keepdim=True), torch.sum(x, (0, 1)))
x = torch.arange(6, dtype=torch.float32).view(2, 3); print(torch.mean(x, dim=0, keepdim=True), x.mean(-1), x.mean())
x = torch.arange(6).view(2, 3); print(x.float().mean(), x.sum(dtype=torch.float32), x.prod(), x.prod(1))
x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 6.0, 8.0]]); print(x.std(), x.std(0), x.std(dim=1, unbiased=False), x.var(1), x.var(correction=0))
x = torch.tensor([[1.0, 2.0], [3.0, 5.0], [5.0, 11.0]]); x_norm = (x - x.mean(0)) / x.std(0); print(x_norm); print(x_norm.mean(0), x_norm.std(0))
x = torch.tensor([[1.0, 2.0], [3.0, 5.0]]); print((x - x.mean(dim=1, keepdim=True)) / x.std(dim=1, keepdim=True))
x = torch.tensor([1, 2, 3, 4]); print(torch.cumsum(x, dim=0), x.cumsum(0).dtype, torch.cumprod(x.float(), 0))
x = torch.tensor([[1, 2], [3, 4]]); print(torch.cumsum(x, dim=1), x.cumsum(0))
x = torch.tensor([1, 3, 2, 3, 1, 1]); print(torch.unique(x), torch.unique(x, return_counts=True))
x = torch.tensor([1, 3, 2, 3, 1, 1]); u, c = x.unique(return_counts=True); print(u, c); print(torch.unique(x, sorted=True, return_inverse=True))
x = torch.tensor([2, 1, 2, 0]); print(torch.bincount(x), x.unique().numel(), torch.unique(torch.tensor([[1, 2], [1, 2]]), dim=0))
x = torch.tensor([[1.0, 2.0], [3.0, 4.0]]); print(torch.logsumexp(x, dim=1), x.median(), torch.median(x, dim=0), x.amax(1), x.amin())
print(torch.tensor([1.0, 2.0]).mean().dtype, torch.tensor([[]]).sum(), torch.tensor([1.0, float("nan")]).nansum())
x = torch.tensor([[True, False], [True, True]]); print(x.all(dim=1), x.any(0), x.sum(1), torch.all(x))
x = torch.tensor([4.0, 1.0, 3.0]); print(x.max().item(), x.argmax().item(), x.min(dim=0), torch.max(x, torch.tensor(2.0)))
# --- shape manipulation
x = torch.arange(24); print(x.view(2, 3, 4).shape, x.view(-1, 6).shape, x.reshape(4, -1).shape, x.view(2, -1, 3).size())
x = torch.arange(24).view(2, 3, 4); print(x.flatten(), x.flatten(1).shape, torch.flatten(x, start_dim=0, end_dim=1).shape)
x = torch.zeros(1, 3, 1, 2); print(x.squeeze().shape, x.squeeze(0).shape, x.squeeze(2).shape, x.unsqueeze(0).shape, x.unsqueeze(-1).shape)
x = torch.arange(6).view(2, 3); print(x.permute(1, 0), x.transpose(0, 1), x.T, x.t().is_contiguous(), x.mT.shape)
x = torch.arange(24).view(2, 3, 4); print(x.permute(2, 0, 1).shape, x.transpose(1, 2).shape, x.movedim(0, -1).shape)
x = torch.arange(6).view(2, 3); y = x.t(); print(y.contiguous().view(-1), y.reshape(-1), y.is_contiguous(), y.contiguous().is_contiguous())
x = torch.arange(4); print(x[None].shape, x[:, None].shape, x[..., None].shape, x.unsqueeze(1).expand(4, 3))
a = torch.ones(2, 3); b = torch.zeros(2, 3); print(torch.cat([a, b]).shape, torch.cat((a, b), dim=1), torch.cat([a, b], -1).shape)
a = torch.arange(3); b = torch.arange(3, 6); print(torch.stack([a, b]), torch.stack((a, b), dim=1), torch.vstack([a, b]), torch.hstack([a, b]))
x = torch.arange(10); print(x.chunk(3), torch.split(x, 4), x.split([2, 8]), torch.unbind(x.view(2, 5)))
x = torch.arange(6).view(2, 3); print(x.repeat(2, 1), x.expand(2, 2, 3).shape, x.flip(0), torch.roll(x, 1, 1))
x = torch.arange(6).view(1, 2, 3); print(x.squeeze(0).unsqueeze(2).shape, x.view(3, 2), x.reshape(x.size(0), -1))
x = torch.zeros(2, 3, 4); print(x.view(x.size(0), -1).shape, x.flatten(start_dim=1).shape, x.reshape(-1, 4).shape, x[0].shape)
x = torch.arange(4.).view(2, 2); print(torch.tile(x, (2,)), x.repeat_interleave(2), torch.repeat_interleave(torch.tensor([1, 2]), torch.tensor([2, 3])))
x = torch.arange(12).view(3, 4); print(x.narrow(1, 1, 2), x.unfold(1, 2, 2), x.view(3, 2, 2).sum(-1))
# --- indexing
x = torch.arange(12).view(3, 4); print(x[:, 0], x[0], x[1, 2], x[-1], x[:, -1], x[1:, ::2], x[0, 1].item())
x = torch.arange(12).view(3, 4); print(x[..., 1], x[:, 1:3], x[[0, 2]], x[[0, 2], [1, 3]], x[torch.tensor([2, 0])])
x = torch.tensor([1.0, -2.0, 3.0, -4.0]); print(x[x > 0], x[x < 0].sum(), x[torch.tensor([True, False, True, False])])
x = torch.tensor([1.0, -2.0, 3.0, -4.0]); x[x < 0] = 0; print(x)
x = torch.arange(12).view(3, 4); x[x % 2 == 0] = -1; print(x); x[:, 0] = 100; print(x); x[1] = torch.tensor([9, 9, 9, 9]); print(x)
x = torch.zeros(3, 3); x[0, :] = 1; x[:, 2] = torch.tensor([5.0, 6.0, 7.0]); x[1:, :2] = 2; print(x)
x = torch.zeros(5); x[[0, 2]] = 1; x[torch.tensor([3, 4])] += 2; print(x)
x = torch.arange(12).view(3, 4); print(torch.index_select(x, 0, torch.tensor([0, 2])), x.index_select(1, torch.tensor([3, 0])))
scores = torch.tensor([[0.1, 0.9, 0.0], [0.3, 0.3, 0.4]]); y = torch.tensor([1, 2]); print(scores.gather(1, y.view(-1, 1)), scores.gather(1, y.unsqueeze(1)).squeeze(1))
scores = torch.tensor([[0.1, 0.9, 0.0], [0.3, 0.3, 0.4]]); y = torch.tensor([1, 2]); print(scores[torch.arange(2), y], scores[range(2), y])
y = torch.tensor([0, 2, 1]); oh = torch.zeros(3, 4); oh.scatter_(1, y.unsqueeze(1), 1); print(oh); print(torch.zeros(3, 4).scatter(1, y.view(-1, 1), 1.0))
y = torch.tensor([0, 2, 1]); print(F.one_hot(y), F.one_hot(y, num_classes=5), F.one_hot(y).float().dtype)
print(F.one_hot(torch.tensor([[0, 1], [1, 0]]), 2).shape, F.one_hot(torch.arange(3) % 2))
x = torch.zeros(5); x.scatter_add_(0, torch.tensor([0, 1, 0, 3]), torch.tensor([1.0, 2.0, 3.0, 4.0])); print(x, x.index_add(0, torch.tensor([4]), torch.tensor([9.0])))
x = torch.arange(6).view(2, 3); print(x.masked_fill(x > 2, -1), x.masked_fill_(x == 0, 7), x)
x = torch.arange(6).view(2, 3); print(torch.masked_select(x, x > 1), x.take(torch.tensor([0, 5])), x.flatten()[[1, 1]])
x = torch.arange(10); print(x[2:8:2], x[-3:], x[::3], x[torch.tensor(3)], x[x > 5][:2])
x = torch.arange(24).view(2, 3, 4); print(x[:, :, 0], x[..., 0].shape, x[0, ..., 1:3], x[1, None, :, 0].shape, x[:, [0, 2], :].shape)
x = torch.arange(6).view(2, 3); row = x[0]; row[0] = 99; print(x, row.data_ptr() == x.data_ptr())
x = torch.arange(12.).view(3, 4); idx = torch.tensor([[0, 1], [2, 3]]); print(x[idx].shape, x[:, idx].shape, x[idx, 0])
x = torch.tensor([[1, 2], [3, 4]]); print(len(x), len(x[0])); [print(row) for row in x]; [print(v.item()) for v in x[1]]
x = torch.arange(3); print(list(x), [int(v) for v in x], sum(x), max(torch.tensor([1, 7, 3])))
x = torch.arange(6).view(3, 2); print(dict(enumerate(x.tolist())), list(zip(x[:, 0].tolist(), x[:, 1].tolist())))
# --- softmax family
x = torch.tensor([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]]); p = F.softmax(x, dim=1); print(p, p.sum(dim=1))
x = torch.tensor([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]]); print(F.log_softmax(x, dim=1), torch.softmax(x, 0), x.softmax(-1), x.log_softmax(dim=-1).exp())
x = torch.tensor([1000.0, 1000.0]); print(F.softmax(x, dim=0), F.log_softmax(torch.tensor([0.0, -1000.0]), dim=0))
logits = torch.tensor([[2.0, 1.0, 0.1]]); y = torch.tensor([0]); lp = F.log_softmax(logits, dim=1); loss = -lp[range(1), y].mean(); print(loss, loss.item())
logits = torch.tensor([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]]); y = torch.tensor([0, 1]); loss = -(F.one_hot(y, 3) * F.log_softmax(logits, 1)).sum(1).mean(); print(f"{loss.item():.6f}")
x = torch.tensor([[1, 2]], dtype=torch.float64); print(F.softmax(x, dim=-1), F.softmax(x, dim=1, dtype=torch.float32), F.relu(x - 1.5))
# --- linear algebra
a = torch.arange(6.).view(2, 3); b = torch.arange(12.).view(3, 4); print(torch.matmul(a, b), a @ b, torch.mm(a, b))
a = torch.arange(6.).view(2, 3); v = torch.tensor([1.0, 0.0, -1.0]); print(a @ v, torch.mv(a, v), v @ a.T, torch.matmul(v, v))
torch.manual_seed(0); a = torch.randn(4, 2, 3); b = torch.randn(4, 3, 5); print(torch.bmm(a, b).shape, (a @ b).shape, torch.matmul(a, b[0]).shape)
a = torch.arange(6.).view(2, 3); b = torch.arange(6.).view(3, 2); print(torch.einsum("ij,jk->ik", a, b), torch.einsum("ii", torch.eye(3)), torch.einsum("i,j->ij", torch.arange(2.), torch.arange(3.)))
a = torch.arange(6.).view(2, 3); print(torch.einsum("ij->ji", a), torch.einsum("ij->", a), torch.einsum("bij,bjk->bik", a[None], a.T[None]))
a = torch.tensor([[2.0, 1.0], [1.0, 3.0]]); print(torch.inverse(a), torch.linalg.inv(a) @ a, torch.det(a), torch.linalg.det(a), a.trace())
a = torch.tensor([[2.0, 1.0], [1.0, 3.0]]); b = torch.tensor([1.0, 2.0]); print(torch.linalg.solve(a, b), torch.outer(b, b))
torch.manual_seed(0); X = torch.randn(5, 3); w = torch.randn(3, 1); b = torch.zeros(1); print((X @ w + b).shape, (X.mm(w) + b).squeeze())
x = torch.arange(1., 5.).view(2, 2); print(x.matmul(x), x * x, x.mm(x.t()), torch.matrix_power(x, 2) if hasattr(torch, "matrix_power") else x @ x)
# --- autograd
x = torch.tensor(2.0, requires_grad=True); y = x ** 2 + 3 * x; y.backward(); print(x.grad, y, y.grad_fn, y.requires_grad, x.is_leaf, y.is_leaf)
x = torch.ones(2, 2, requires_grad=True); print(x); y = x + 2; print(y); z = y * y * 3; out = z.mean(); print(z, out); out.backward(); print(x.grad)
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True); y = (x * x).sum(); y.backward(); print(x.grad); x.grad.zero_(); print(x.grad); (x * 2).sum().backward(); print(x.grad)
x = torch.tensor([1.0, 2.0], requires_grad=True); (x ** 2).sum().backward(); (x ** 2).sum().backward(); print(x.grad)
x = torch.tensor([1.0, 2.0], requires_grad=True); y = x * 2; print(y.grad_fn.next_functions, type(y.grad_fn).__name__, y.grad_fn.name())
x = torch.randn(3, requires_grad=True); print(x.requires_grad, x.detach().requires_grad, x.data.requires_grad); print((x * 2).detach().grad_fn)
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
with torch.no_grad():
    y = x * 2
print(y.requires_grad, y.grad_fn, torch.is_grad_enabled())
}}}
x = torch.tensor(3.0, requires_grad=True); y = x ** 3; g, = torch.autograd.grad(y, x, create_graph=True); print(g); g2, = torch.autograd.grad(g, x); print(g2)
x = torch.tensor([1.0, 2.0], requires_grad=True); y = x.exp().sum(); print(torch.autograd.grad(y, [x]))
x = torch.tensor([1.0, 2.0], requires_grad=True); y = x * 3; y.retain_grad(); z = y.sum(); z.backward(); print(y.grad, x.grad, y.is_leaf, y.retains_grad)
x = torch.tensor([1.0, 2.0], requires_grad=True); y = x * 3; z = y.sum(); z.backward(); print(y.grad)
x = torch.tensor([1.0, 2.0], requires_grad=True); h = x.register_hook(lambda g: g * 2); (x * 3).sum().backward(); print(x.grad); h.remove()
x = torch.tensor([1.0, 2.0], requires_grad=True); y = x * 3; y.register_hook(lambda g: print("hook", g)); y.sum().backward(); print(x.grad)
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True); y = x * 2; y.backward(torch.tensor([1.0, 0.1, 0.01])); print(x.grad)
{{{
torch.manual_seed(0)
X = torch.randn(20, 1); y = 3 * X + 2 + 0.1 * torch.randn(20, 1)
w = torch.zeros(1, requires_grad=True); b = torch.zeros(1, requires_grad=True); lr = 0.1
for epoch in range(50):
    loss = ((X * w + b - y) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        w -= lr * w.grad
        b -= lr * b.grad
        w.grad.zero_()
        b.grad.zero_()
    if epoch % 10 == 0:
        print(f"epoch {epoch}: loss {loss.item():.4f}")
print(w, b)
}}}
{{{
torch.manual_seed(0)
x = torch.randn(8, 3); yt = torch.randint(0, 2, (8,)); W = torch.randn(3, 2, requires_grad=True)
for i in range(3):
    logp = F.log_softmax(x @ W, dim=1)
    loss = -logp[torch.arange(8), yt].mean()
    W.grad = None
    loss.backward()
    W.data -= 0.5 * W.grad
    print(round(loss.item(), 4), loss.grad_fn)
}}}
{{{
class MyReLU(torch.autograd.Function):
    @staticmethod
    def forward(ctx, input):
        ctx.save_for_backward(input)
        return input.clamp(min=0)
    @staticmethod
    def backward(ctx, grad_output):
        input, = ctx.saved_tensors
        grad_input = grad_output.clone()
        grad_input[input < 0] = 0
        return grad_input
x = torch.tensor([-1.0, 2.0, -3.0, 4.0], requires_grad=True); y = MyReLU.apply(x); y.sum().backward(); print(y, x.grad, type(y.grad_fn).__name__)
}}}
{{{
class Exp(torch.autograd.Function):
    @staticmethod
    def forward(ctx, i):
        result = i.exp()
        ctx.save_for_backward(result)
        return result
    @staticmethod
    def backward(ctx, grad_output):
        result, = ctx.saved_tensors
        return grad_output * result
x = torch.tensor([0.0, 1.0], requires_grad=True); Exp.apply(x).sum().backward(); print(x.grad)
}}}
{{{
class MulConst(torch.autograd.Function):
    @staticmethod
    def forward(ctx, tensor, constant):
        ctx.constant = constant
        return tensor * constant
    @staticmethod
    def backward(ctx, grad_output):
        return grad_output * ctx.constant, None
x = torch.ones(3, requires_grad=True); y = MulConst.apply(x, 5.0); y.backward(torch.ones(3)); print(x.grad, y.requires_grad)
}}}
x = torch.tensor([1.0, 2.0], requires_grad=True); y = x.sum(); print(y); z = x.mean(); print(z); print(x * 2); print(x[0]); print(x.view(2, 1))
x = torch.tensor([[1.0, 2.0]], requires_grad=True); print(x.t(), x.T, x.reshape(2), x.unsqueeze(0).squeeze(), x @ x.t(), x.pow(2), x.exp(), x.abs())
x = torch.tensor([1.0, 2.0], requires_grad=True); print(F.softmax(x, 0), F.log_softmax(x, 0), x.max(), x.norm(), x.std(), torch.cat([x, x]), torch.stack([x, x]))
x = torch.tensor([1.0, 2.0], requires_grad=True); print(x.numpy())
x = torch.tensor([1.0, 2.0], requires_grad=True); print(x.detach().numpy(), x.tolist(), x.item() if x.numel() == 1 else x.sum().item())
w = torch.tensor([1.0, 2.0], requires_grad=True); loss = (w * w).sum(); loss.backward(); loss.backward()
w = torch.tensor([1.0, 2.0], requires_grad=True); loss = (w * w).sum(); loss.backward(retain_graph=True); loss.backward(); print(w.grad)
x = torch.tensor([1, 2, 3], requires_grad=True)
x = torch.tensor([1, 2, 3]); x.requires_grad_()
x = torch.tensor([1, 2, 3], dtype=torch.float32); x.requires_grad = True; print(x, x.requires_grad_(False))
x = torch.tensor([1.0, 2.0], requires_grad=True); x.add_(1)
x = torch.tensor([1.0, 2.0], requires_grad=True); y = x ** 2; y.backward()
x = torch.tensor([1.0, 2.0]); y = x * 2; y.sum().backward()
x = torch.tensor([1.0, 2.0], requires_grad=True); print(x.grad); y = (x * x).sum(); y.backward(); print(x.grad, x.grad.requires_grad)
x = torch.tensor(1.0, requires_grad=True); y = torch.tensor(2.0, requires_grad=True); z = x * y + y ** 2; z.backward(); print(x.grad, y.grad, z.grad_fn.next_functions[0][0])
a = torch.tensor([2.0, 3.0], requires_grad=True); b = torch.tensor([6.0, 4.0], requires_grad=True); Q = 3 * a ** 3 - b ** 2; Q.backward(gradient=torch.ones(2)); print(9 * a ** 2 == a.grad, -2 * b == b.grad)
x = torch.ones(2, requires_grad=True); y = x.sigmoid().tanh().relu(); y.sum().backward(); print(x.grad, y.grad_fn)
x = torch.tensor([1.0, 2.0], requires_grad=True); y = x.clone(); y[0] = 10; y.sum().backward(); print(y, x.grad)
x = torch.tensor([0.5, -1.0], requires_grad=True); y = torch.where(x > 0, x, x * 0.1); y.sum().backward(); print(x.grad, y)
{{{
x = torch.tensor([3.0], requires_grad=True)
with torch.enable_grad():
    y = x * 2
with torch.set_grad_enabled(False):
    z = x * 2
print(y.requires_grad, z.requires_grad)
}}}
{{{
@torch.no_grad()
def f(x):
    return x * 2
x = torch.ones(1, requires_grad=True); print(f(x).requires_grad, f(x))
}}}
x = torch.tensor([1.0, 2.0], requires_grad=True); y = x.detach(); y[0] = 5; print(x)
x = torch.tensor([1.0, 2.0], requires_grad=True); y = x.exp(); x.data.mul_(2); print(x, y)
x = torch.tensor([1.0, 2.0], requires_grad=True); y = x.exp(); y.mul_(2); y.sum().backward()
x = torch.tensor([1.0, 2.0], requires_grad=True); y = x.sigmoid(); z = y * 1; y.add_(1); z.sum().backward(); print(x.grad)
x = torch.tensor(2.0, requires_grad=True); y = torch.tensor(3.0); z = x * y; print(torch.autograd.grad(z, [x, y]))
x = torch.tensor(2.0, requires_grad=True); y = torch.tensor(3.0, requires_grad=True); z = x * 2; print(torch.autograd.grad(z, [x, y], allow_unused=True))
torch.manual_seed(0); x = torch.randn(3, 3, requires_grad=True); y = x.matmul(x).trace(); g, = torch.autograd.grad(y, x); print(torch.allclose(g, 2 * x.t()))
x = torch.tensor([1.0, 2.0], requires_grad=True); print(x.grad_fn, (x + 1).grad_fn.next_functions[0][0].variable is x)
x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True); y = x[x > 2]; y.sum().backward(); print(y, x.grad)
x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True); y = x.gather(1, torch.tensor([[1], [0]])); y.sum().backward(); print(y, x.grad)
# --- common errors
torch.mm(torch.ones(2, 3), torch.ones(2, 3))
torch.ones(2, 3) + torch.ones(3, 2)
torch.ones(2, 3) @ torch.ones(2)
torch.arange(6).view(2, 3).t().view(6)
torch.arange(6).view(4, 2)
torch.arange(5)[5]
torch.tensor([1, 2, 3])[torch.tensor([3])]
torch.tensor([[1, 2], [3, 4]]).sum(dim=2)
torch.cat([torch.ones(2, 3), torch.ones(2, 4)])
torch.stack([torch.ones(2), torch.ones(3)])
torch.tensor([1, 2]).mean()
torch.tensor([1.0, 2.0]).item()
torch.tensor([[1.0], [2.0]]).squeeze(0).shape; torch.zeros(2).unsqueeze(3)
bool(torch.tensor([1, 2]))
torch.tensor([[1, 2], [3]])
torch.ones(2).permute(1, 0)
F.one_hot(torch.tensor([1.0, 2.0]))
F.one_hot(torch.tensor([0, 5]), num_classes=3)
torch.zeros(3).gather(0, torch.tensor([5]))
torch.ones(2, 2).view(-1, -1)
torch.randn(2, 3).transpose(0, 2)
torch.tensor([1, 2]) + "a"
torch.zeros(2, 2).index_select(0, torch.tensor([0.0]))
torch.tensor([1.0]).to("cuda")
x = torch.ones(3); x[torch.tensor([True, False])] = 0
torch.manual_seed(0); torch.randint(5, 2, (3,))
torch.einsum("ij,jk->ik", torch.ones(2, 3), torch.ones(2, 3))
torch.ones(2, 3).reshape(4, 2)
torch.linalg.inv(torch.zeros(2, 2))
x = torch.tensor([1.0], requires_grad=True); x[0] = 5
x = torch.tensor([1.0], requires_grad=True); torch.autograd.grad(x.sum(), x); torch.autograd.grad(x * 2, x)
# --- batch 2: printing corner cases
print(torch.tensor([-1, 200, 30000]), torch.tensor([10**12, -5]), torch.tensor([1.0, 2.0]), torch.tensor([-0.0, 0.0]))
print(torch.tensor([1e-4, 1e4]), torch.tensor([1e10]), torch.tensor([123456789.0]), torch.tensor([0.1], dtype=torch.float64))
print(torch.tensor([[True, False], [False, True]]), torch.zeros(0, 3, dtype=torch.long), torch.tensor([], dtype=torch.int32))
print(torch.zeros(3, requires_grad=True) * 2, torch.ones(2, dtype=torch.float64, requires_grad=True))
print(torch.arange(30.).view(2, 3, 5) / 3)
print(torch.arange(2000.).view(2, 1000), torch.arange(1001) * 1.5)
torch.set_printoptions(threshold=5, edgeitems=2); print(torch.arange(10)); print(torch.arange(20.).view(4, 5))
torch.set_printoptions(linewidth=40); print(torch.arange(30) * 1000)
torch.set_printoptions(precision=8); print(torch.tensor([1 / 3]), torch.tensor([1 / 3], dtype=torch.float64))
torch.set_printoptions(sci_mode=True); print(torch.tensor([1.5, 2.0]))
print(torch.Size([2, 3]), repr(torch.Size([2, 3])), torch.Size([2, 3]).numel(), torch.Size([]), list(torch.Size([4])))
x = torch.zeros(2, 3, 4); print(x.shape[1:], x.shape + (1,), x.shape[::-1], len(x.shape), x.shape[-2:] == (3, 4), x.stride(1))
print(torch.tensor(3.0).numpy(), np.asarray(torch.ones(2)), torch.ones(2).numpy().tolist())
print(str(torch.float32), torch.float32 == torch.float, repr(torch.int64), torch.tensor([1]).dtype is torch.int64)
print(torch.tensor([1.5]).dtype == torch.float, torch.finfo(torch.float32).eps, torch.iinfo(torch.int32).max, torch.finfo(torch.float16).max)
x = torch.tensor([1.0, 2.0]); print(x.data, x.grad, x.grad_fn, x.requires_grad, x.is_leaf, x.device.type, x.layout)
print(torch.tensor([[1.5, 2.25], [3.125, -4.0625]], dtype=torch.float64).t())
print(torch.tensor([1, 2, 3]).expand(2, 3), torch.tensor(5.).expand(3), torch.ones(1, 3).expand(2, -1).stride())
print(torch.tensor([[1, 2, 3]]).T.shape, torch.tensor([float("nan"), 1.0]).max(), torch.tensor([1.0, 2.0]).var())
print(torch.tensor([2.0, 1.0, 3.0, 0.5]).median(), torch.tensor([1, 2, 3, 4]).median(), torch.tensor([[1, 2, 3, 4]]).median(dim=1))
# --- creation corner cases
print(torch.zeros((2, 3)).shape, torch.zeros([2, 3]).shape, torch.ones(torch.Size([2, 3])).shape, torch.randn(*torch.zeros(2, 5).shape).shape)
print(torch.arange(0, 10, 2.5), torch.arange(-1, 1, 0.1), torch.arange(0.0, 1.0, 0.1).shape, torch.arange(1, 2, 0.3))
print(torch.linspace(0, 1, 11), torch.linspace(0, 10, steps=3, dtype=torch.int64), torch.arange(5).float() / 4)
print(torch.full((2, 2), 3.0).dtype, torch.full((2,), 3).dtype, torch.full((1,), True).dtype, torch.eye(3, dtype=torch.long))
print(torch.tensor([]).dtype, torch.tensor([[]]).shape, torch.empty(2, 3).shape, torch.ones(3).bool().int())
print(torch.tensor(np.array(5)), torch.tensor([np.float32(1.5), np.float32(2.5)]), torch.tensor(np.int64(3)).dtype)
print(torch.tensor([torch.tensor(1), torch.tensor(2)]), torch.tensor([torch.tensor(1.5), 2]))
torch.tensor([torch.tensor([1, 2]), torch.tensor([3, 4])])
x = torch.tensor([1.0, 2.0]); y = torch.tensor(x); print(y, y is x)
x = torch.tensor([1.0, 2.0], requires_grad=True); y = torch.tensor(x); print(y)
print(torch.Tensor(np.array([1, 2])), torch.Tensor(2).shape, torch.FloatTensor(2, 2).shape, torch.LongTensor(np.array([1, 2])))
print(torch.as_tensor([1, 2], dtype=torch.float32), torch.as_tensor(np.arange(3)).dtype, torch.from_numpy(np.arange(3, dtype=np.int32)))
print(torch.from_numpy(np.array([1.0, 2.0])).float(), torch.from_numpy(np.array([True, False])), torch.from_numpy(np.zeros((2, 2), dtype=np.float16)))
a = np.arange(6.0).reshape(2, 3).T; t = torch.from_numpy(a); print(t, t.stride(), t.is_contiguous())
a = np.arange(6.0)[::2]; t = torch.from_numpy(a); print(t, t.stride())
torch.from_numpy(np.arange(6.0)[::-1])
print(torch.zeros(2, 3, dtype=torch.float32, requires_grad=True).requires_grad, torch.empty(3).fill_(5), torch.zeros(2).new_empty(3).shape)
torch.manual_seed(0); print(torch.rand(2, 3) * 2 - 1, torch.randn(2, 2, dtype=torch.float64), torch.randint(0, 5, (2,), dtype=torch.int32))
torch.manual_seed(0); x = torch.ones(2, 3); print(torch.randn_like(x), torch.rand_like(x), torch.randint_like(x, 10), torch.zeros_like(x, dtype=torch.int8))
g = torch.Generator(); g.manual_seed(7); print(g.initial_seed(), torch.randperm(5, generator=g), torch.randint(0, 3, (4,), generator=g), torch.normal(2.0, 3.0, (2,), generator=g))
torch.manual_seed(0); a = torch.rand(3); torch.manual_seed(0); b = torch.rand(3); print(torch.equal(a, b), a == b)
torch.manual_seed(0); print(torch.randn(3, 2).abs().argmax(0), torch.rand(4).round(), torch.randint(10, (2, 2)).float().mean())
torch.manual_seed(2); w = torch.randn(3, 2) * 0.01; b = torch.zeros(2); print(w, b)
torch.manual_seed(0); x = torch.randn(100); print(f"{x.mean():.4f} {x.std():.4f} {x.min():.4f} {x.max():.4f}", (x > 0).sum())
torch.manual_seed(0); print(torch.empty(3).random_(0, 10), torch.empty(2).bernoulli_(0.5), torch.empty(2, 2).exponential_() if hasattr(torch.Tensor, "exponential_") else 0)
# --- dtype corner cases
print(torch.tensor(1, dtype=torch.int8) + 200, torch.tensor([127], dtype=torch.int8) + 1, torch.tensor([1, 2, 3]).to(torch.float).mean().item())
print(torch.tensor([1, 2]) + np.float64(1.5), (torch.tensor([1.0]) * np.float64(2.0)).dtype, torch.tensor([1, 2]) * True)
print(torch.tensor([True, False]).cumsum(0), torch.tensor([True, True]).sum().dtype, torch.tensor([1, 2], dtype=torch.uint8).sum().dtype)
print(torch.sqrt(torch.tensor(4)), torch.exp(torch.tensor([0, 1])), torch.tensor([3]) / torch.tensor([2]), torch.tensor([3]).true_divide(2))
print(torch.tensor([1, 2]) / 0, torch.tensor([-1.0, 0.0]) / 0, torch.log(torch.tensor(0.0)), torch.tensor(0.0) * float("inf"))
torch.tensor([1, 2]) // 0
torch.tensor(2) ** -1
print(torch.tensor(2.0) ** -1, torch.tensor(3) ** 2, 2 ** torch.tensor([1, 2]), torch.tensor([4]) ** 0.5)
x = torch.tensor([1.5, 2.5]); print(x.type("torch.IntTensor"), x.type(torch.DoubleTensor).dtype, x.to(torch.tensor([1])).dtype, x.to(torch.tensor([1.0], dtype=torch.float64), copy=True).dtype)
print(torch.tensor([1.0, 2.0]).to(torch.int64).dtype, torch.tensor([1.0]).int().dtype, torch.tensor([3.9, -3.9]).long(), torch.tensor([300.0]).byte())
print(torch.tensor([1, 2]).float().requires_grad_(), torch.tensor([1, 2]).double().dtype, torch.ones(2).half().dtype, torch.ones(2).to(torch.bfloat16).float())
print(torch.promote_types(torch.int32, torch.float32), torch.result_type(torch.tensor([1]), 1.0), torch.can_cast(torch.float64, torch.int32))
torch.set_default_dtype(torch.float64); print(torch.tensor([1.0]).dtype, torch.zeros(2).dtype, torch.arange(3.).dtype, torch.get_default_dtype())
print(torch.tensor(3).item(), type(torch.tensor(3).item()), type(torch.tensor(True).item()), torch.tensor([2.5]).item())
float(torch.tensor([1.0, 2.0]))
x = torch.tensor(1.0); print(x == 1.0, bool(x > 0), "pos" if x > 0 else "neg", int(x) + 1, x + 1 == 2)
# --- reductions with axis= and other keywords
x = torch.arange(6.).view(2, 3); print(x.sum(axis=1), x.mean(axis=0), torch.cat([x, x], axis=1).shape, x.max(axis=1), torch.sum(x, axis=0))
x = torch.arange(6.).view(2, 3); print(torch.sum(x, dim=(0, 1)), x.mean(dim=[0, 1]), x.sum(-1, keepdim=True), x.mean(dtype=torch.float64))
x = torch.arange(6.).view(2, 3); print(x.max(1, keepdim=True)[0], x.max(dim=0).values, torch.min(x, dim=1).indices, torch.max(x, torch.full((3,), 2.0)))
x = torch.tensor([[1.0, 2.0], [3.0, 4.0]]); print(torch.var_mean(x, dim=0), torch.std_mean(x), x.std(unbiased=True), x.var(dim=1, keepdim=True))
x = torch.tensor([3.0]); print(x.std(), torch.tensor([[1.0, 2.0]]).std(dim=0))
x = torch.tensor([[1.0, 5.0, 3.0], [4.0, 2.0, 6.0]]); print(torch.kthvalue(x, 2, dim=1), torch.aminmax(x), torch.argmax(x), x.argmin(1, keepdim=True))
x = torch.tensor([1.0, float("nan"), 3.0]); print(x.sum(), x.nansum(), x.mean(), x.nanmean(), torch.sort(x), x.max(), x.argmax())
x = torch.tensor([[1, 2], [3, 4]]); print(x.sum(0).tolist(), x.prod(dtype=torch.float32), torch.prod(torch.tensor(x.shape)), x.cumprod(1))
x = torch.tensor([0.5, 1.5, 1.5, 2.5]); print(torch.unique(x), x.unique(sorted=False), torch.unique_consecutive(torch.tensor([1, 1, 2, 2, 1])))
x = torch.tensor([[1.0, 2.0], [3.0, 4.0]]); print(torch.cummax(x, 0), torch.cummin(torch.tensor([3, 1, 2]), 0))
x = torch.tensor([True, False, True]); print(x.sum(), x.float().mean(), x.any().item(), (~x).int(), x & torch.tensor([True, True, False]), x | False)
x = torch.tensor([5, 3]); print(x & 1, x | 2, x ^ 1, ~x, x << 1, x >> 1)
# --- shape and view corner cases
x = torch.arange(6); y = x.view(2, 3); y[0, 0] = 100; print(x, y._base is x, x.data_ptr() == y.data_ptr(), y.is_contiguous())
x = torch.arange(24).view(2, 3, 4); print(x.T.shape if False else x.permute(*torch.arange(x.ndim - 1, -1, -1)).shape, x.mT.shape, x.transpose(-2, -1).shape)
x = torch.arange(6.).view(2, 3); print(x.T.reshape(6), x.T.contiguous().view(-1), x.view(3, 2).stride(), x.t().stride())
x = torch.arange(6.).view(2, 3); a, b = x.chunk(2, dim=-1); print(a, b); c, d = torch.split(x, [1, 2], dim=1); print(c.shape, d.shape)
x = torch.arange(6).view(2, 3); print(torch.broadcast_to(x[0], (2, 3)), x.expand(-1, 3).shape, x[None].expand(4, -1, -1).shape, torch.broadcast_tensors(x, x[0])[1])
x = torch.arange(6).view(2, 3); print(x.unsqueeze(1) - x.unsqueeze(0), (x.unsqueeze(1) - x.unsqueeze(0)).shape)
x = torch.arange(8).view(2, 4); print(x.view(*x.shape[:-1], 2, -1).shape, x.reshape(x.shape[0], 2, 2)[:, 1], x.unflatten(1, (2, 2)).shape)
x = torch.zeros(2, 1, 3); print(x.squeeze((0, 1)).shape, x.squeeze(-2).shape, x.squeeze(0).shape, x.unsqueeze(-4).shape)
x = torch.arange(4).view(2, 2); print(torch.stack([x, x], dim=-1).shape, torch.dstack([x, x]).shape, torch.column_stack([x[0], x[1]]), torch.cat([x, x.float()]).dtype)
x = torch.arange(5); print(x.flip(0), torch.fliplr(x.view(1, 5)), x.roll(-1))
torch.arange(10)[::-1]
torch.cat([torch.ones(2), torch.ones(2)], dim=1)
torch.stack([])
torch.zeros(2, 3).view(3, -1, 4)
torch.zeros(2, 3)[:, 0] = torch.zeros(3)
torch.zeros(3).expand(2, 4)
torch.tensor([[1, 2], [3, 4]])[2, 0]
torch.tensor([1, 2])[1.0]
torch.bmm(torch.ones(2, 2, 3), torch.ones(3, 3, 2))
torch.matmul(torch.ones(3), torch.ones(4))
torch.zeros(2, 2).squeeze(5)
torch.ones(2, 3).sum(dim=3)
torch.tensor([1.0, 2.0]).backward()
torch.ones(2, requires_grad=True).register_hook(lambda g: g) and torch.ones(2).register_hook(lambda g: g)
F.softmax(torch.tensor([1, 2, 3]), dim=0)
print(F.softmax(torch.tensor([1.0, 2.0, 3.0])), F.log_softmax(torch.tensor([[1.0, 2.0]])))
torch.tensor([1, 2, 3]).float().mean(dim=1)
torch.arange(6).view(2, 3) @ torch.arange(6.).view(3, 2)
# --- indexing corner cases
x = torch.arange(12).view(3, 4); x[1][2] = -5; print(x, x[:, None, :].shape, x[[True, False, True]], x[x.argmax() // 4], x[-1, -1])
x = torch.arange(12).view(3, 4); print(x[0:2, [0, 1]], x[torch.tensor([[0], [1]]), torch.tensor([0, 1])], x[np.array([0, 1])], x[np.int64(1)], x[torch.tensor(1)])
x = torch.arange(12).view(3, 4); print(x[10:], x[:, 5:], x[1:1], x[..., :0].shape, x[:, torch.tensor([], dtype=torch.long)].shape)
x = torch.arange(12).view(3, 4); print(x[x[:, 0] > 3], x[:, x[0] % 2 == 0], x[x > 5].shape, x[(x > 2) & (x < 6)])
x = torch.zeros(3, 4); x.index_put_((torch.tensor([0, 2]), torch.tensor([1, 3])), torch.tensor(5.0)); print(x)
x = torch.zeros(3, 4); x[torch.tensor([0, 0, 1]), torch.tensor([1, 1, 2])] = torch.tensor([1.0, 2.0, 3.0]); print(x)
x = torch.zeros(3, 4); x.index_put_((torch.tensor([0, 0]), torch.tensor([1, 1])), torch.tensor([1.0, 2.0]), accumulate=True); print(x)
x = torch.zeros(2, 3); x[:, 1:] = torch.tensor([7.0, 8.0]); x[0] += 1; x[x == 0] = torch.tensor(-1.0); print(x)
x = torch.zeros(2, 3); x[0] = 5; x[:, -1] = x[:, 0]; x[1, :2] = torch.tensor([[9, 9]]); print(x)
x = torch.zeros(4); x[torch.tensor([True, False, True, False])] = torch.tensor([1.0, 2.0]); print(x)
x = torch.arange(9.).view(3, 3); x[torch.eye(3).bool()] = 0; print(x, x.diagonal(), torch.diag(x, 1))
x = torch.arange(9.).view(3, 3); m = torch.triu(torch.ones(3, 3), diagonal=1).bool(); s = x.masked_fill(m, float("-inf")); print(s, F.softmax(s, dim=-1))
x = torch.full((2, 2), float("-inf")); print(F.softmax(x, dim=-1), F.log_softmax(torch.tensor([float("-inf"), 0.0]), 0))
x = torch.arange(6.).view(2, 3); x.index_fill_(1, torch.tensor([0, 2]), -1); print(x, x.index_copy(0, torch.tensor([1, 0]), torch.ones(2, 3)))
x = torch.zeros(3, 5); idx = torch.tensor([[0, 1, 2, 0, 0], [2, 0, 0, 1, 2]]); print(x.scatter(0, idx, torch.ones(2, 5)), torch.zeros(3, 5).scatter_(0, idx, 2.0, reduce="add"))
x = torch.tensor([[1, 2], [3, 4]]); print(torch.gather(x, 1, torch.tensor([[0, 0], [1, 0]])), x.gather(0, torch.tensor([[1, 0]])), torch.take_along_dim(x, torch.tensor([[1], [0]]), dim=1))
x = torch.tensor([[0.1, 0.9], [0.8, 0.2]]); t = torch.tensor([1, 0]); print(x[torch.arange(len(t)), t].log().neg().mean(), -x.log().gather(1, t[:, None]).mean())
src = torch.tensor([1.0, 2.0, 3.0, 4.0]); idx = torch.tensor([0, 1, 0, 1]); print(torch.zeros(2).scatter_add(0, idx, src), torch.zeros(2).index_add_(0, idx, src), torch.zeros(2).scatter_reduce(0, idx, src, reduce="amax"))
x = torch.arange(4); print([t.item() for t in x], [t for t in x.view(2, 2)], list(x.view(2, 2)), tuple(torch.arange(2)))
x = torch.arange(6).view(3, 2); print([a.tolist() for a in x.unbind(1)], {i: v for i, v in enumerate(x[:, 0].tolist())}, x.numpy()[1])
x = torch.tensor([3, 1, 2]); print(sorted(x.tolist()), min(x).item(), x.tolist().index(2), 2 in x, 5 in x, torch.tensor(1) in x)
# --- linalg corner cases
a = torch.tensor([[1.0, 2.0], [3.0, 4.0]]); print(torch.linalg.norm(a), torch.linalg.norm(a, ord=2), torch.linalg.matrix_norm(a), torch.linalg.vector_norm(a, ord=1), a.norm(p="fro"))
torch.manual_seed(0); q = torch.randn(1, 2, 3, 4); k = torch.randn(1, 2, 5, 4); import math; s = q @ k.transpose(-2, -1) / math.sqrt(4); print(F.softmax(s, dim=-1).sum(-1), torch.einsum("bhqd,bhkd->bhqk", q, k).shape)
torch.manual_seed(0); a = torch.randn(3, 4); b = torch.randn(4); print(torch.einsum("ij,j->i", a, b), torch.einsum("ij,ij->i", a, a), torch.einsum("i,i->", b, b), torch.einsum("...j,j", a, b))
torch.linalg.inv(torch.tensor([[1.0, 2.0], [2.0, 4.0]]))
# --- autograd corner cases
x = torch.tensor([1.0, 2.0], requires_grad=True); y = x ** 2; print(torch.autograd.grad(outputs=y, inputs=x, grad_outputs=torch.ones_like(y))); y.backward(torch.ones_like(y)); print(x.grad)
x = torch.tensor([1.0, 2.0], requires_grad=True); y = (x * x).sum(); y.backward(); print(x.grad.data.zero_(), x.grad is None, x.grad)
x = torch.tensor([1.0, 2.0], requires_grad=True); y = x.clone().detach(); z = x.detach().clone(); print(y.requires_grad, z.requires_grad, y, x.clone())
x = torch.tensor([1.0, 2.0], requires_grad=True); x.grad = torch.tensor([5.0, 5.0]); (2 * x).sum().backward(); print(x.grad); x.grad = None; print(x.grad)
x = torch.tensor([1.0, 2.0], requires_grad=True)
with torch.no_grad():
    x.add_(1)
    x *= 2
print(x, x.requires_grad, x.is_leaf, x.grad_fn)
x = torch.tensor([1.0, 2.0], requires_grad=True); x.data = torch.tensor([9.0, 9.0]); print(x); (x * 2).sum().backward(); print(x.grad)
torch.set_grad_enabled(False); y = torch.ones(2, requires_grad=True) * 2; torch.set_grad_enabled(True); print(y.requires_grad, torch.is_grad_enabled())
x = torch.ones(2, requires_grad=True)
with torch.inference_mode():
    y = x * 2
print(y.requires_grad, torch.is_inference_mode_enabled() if hasattr(torch, "is_inference_mode_enabled") else 0)
x = torch.ones(2, requires_grad=True)
with torch.no_grad():
    with torch.enable_grad():
        y = x * 2
print(y.requires_grad)
x = torch.tensor([1.0, -1.0], requires_grad=True); x.register_hook(lambda g: None); y = (x.abs() * 3).sum(); y.backward(); print(x.grad, y.grad_fn.next_functions)
x = torch.tensor([2.0], requires_grad=True); y = x * x; z = y * x; z.backward(); print(x.grad, z.grad_fn, z.grad_fn.next_functions[0][0].next_functions)
x = torch.tensor([1.0, 2.0], requires_grad=True); s = torch.sigmoid(x); print(torch.autograd.grad(s.sum(), x)[0], s * (1 - s))
p = torch.tensor([0.9, 0.2], requires_grad=True); y = torch.tensor([1.0, 0.0]); loss = -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean(); loss.backward(); print(loss, p.grad)
p = torch.tensor([1.0, 0.0, 0.5]); print(torch.clamp(p, 1e-7, 1 - 1e-7), torch.log(torch.clamp(p, min=1e-7)))
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True); y = x[1:] * 2; y.sum().backward(); print(x.grad, y.grad_fn, x[0].grad_fn)
x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True); y = x.view(-1); print(y.grad_fn, x.t().grad_fn, x.reshape(4).grad_fn, x.flatten().grad_fn, x.T.grad_fn, x.unsqueeze(0).grad_fn, x.expand(2, 2, 2).grad_fn)
x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True); print(x.sum().grad_fn, x.mean(0).grad_fn, x.max().grad_fn, x.max(0).values.grad_fn, (x @ x).grad_fn, x.exp().grad_fn, (x / 2).grad_fn, (1 - x).grad_fn, (-x).grad_fn)
x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True); print(F.softmax(x, 1).grad_fn, F.log_softmax(x, 1).grad_fn, F.relu(x).grad_fn, torch.cat([x, x]).grad_fn, torch.stack([x]).grad_fn, x[:, 0].grad_fn, x[x > 1].grad_fn, x[[0]].grad_fn)
x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True); print(x.std().grad_fn, x.var().grad_fn, x.norm().grad_fn, x.pow(2).grad_fn, x.sqrt().grad_fn, x.clamp(0, 1).grad_fn, torch.where(x > 2, x, 0.).grad_fn, x.float().grad_fn, x.double().grad_fn)
x = torch.tensor(1.0, requires_grad=True); y = x * 2; y.backward(); y.backward()
x = torch.tensor(1.0, requires_grad=True); y = x * 2; y.backward(); print(x.grad); y = x * 2; y.backward(); print(x.grad)
x = torch.tensor([1.0, 2.0], requires_grad=True); torch.autograd.backward([(x * 2).sum(), (x ** 2).sum()]); print(x.grad)
x = torch.tensor([1.0, 2.0], requires_grad=True); y = x * 2; z = y.sum(); z.backward(inputs=[x]); print(x.grad)
x = torch.tensor([3.0], requires_grad=True); y = x ** 2; (dy,) = torch.autograd.grad(y, x, create_graph=True); d2, = torch.autograd.grad(dy, x, create_graph=True); d3, = torch.autograd.grad(d2, x); print(dy, d2, d3)
x = torch.tensor([1.0, 2.0], requires_grad=True); y = x.detach(); y.requires_grad_(); print(y.is_leaf, y.requires_grad, x.requires_grad)
x = torch.tensor([1.0, 2.0], requires_grad=True); y = x.numpy()
x = torch.tensor([1.0, 2.0], requires_grad=True); y = x * 2; y.numpy()
x = torch.tensor([1.0, 2.0], requires_grad=True); print(x.tolist(), x.sum().item(), float(x[0]), x.detach().cpu().numpy(), np.array(x.tolist()))
x = torch.tensor([1.0, 2.0], requires_grad=True); y = x + 1; y.retain_grad(); y.register_hook(lambda g: g * 10); (y * y).sum().backward(); print(y.grad, x.grad)
x = torch.ones(2, requires_grad=True); y = x * 2; y.sum().backward(); print(y.grad)
x = torch.ones(2, requires_grad=True); print(torch.autograd.grad((x * 2).sum(), x, retain_graph=True)); x2 = x.clone(); print(x2.requires_grad, x2.is_leaf, x2.grad_fn)
x = torch.tensor([1.0, 2.0], requires_grad=True); y = x * 2; y.sum().backward(); print(y.grad_fn.next_functions[0][0], x.grad.grad_fn)
W = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True); x = torch.tensor([1.0, 1.0]); out = (W @ x).pow(2).sum(); out.backward(); print(out, W.grad)
torch.manual_seed(0)
X = torch.randn(16, 2); y = (X[:, 0] + X[:, 1] > 0).long()
W1 = torch.randn(2, 8, requires_grad=True); b1 = torch.zeros(8, requires_grad=True)
W2 = torch.randn(8, 2, requires_grad=True); b2 = torch.zeros(2, requires_grad=True)
for step in range(20):
    h = (X @ W1 + b1).clamp(min=0)
    logits = h @ W2 + b2
    loss = -F.log_softmax(logits, dim=1)[range(16), y].mean()
    for p in (W1, b1, W2, b2):
        p.grad = None
    loss.backward()
    with torch.no_grad():
        for p in (W1, b1, W2, b2):
            p -= 0.1 * p.grad
    if step % 5 == 0:
        acc = (logits.argmax(1) == y).float().mean()
        print(f"{step} {loss.item():.4f} {acc.item():.2f}")
class Square(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 2
    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        print("needs", ctx.needs_input_grad)
        return 2 * x * g
x = torch.tensor([3.0], requires_grad=True); y = Square.apply(x); print(y, y.grad_fn.__class__.__name__); y.backward(); print(x.grad)
print(torch.autograd.gradcheck(Square.apply, (torch.tensor([1.5], dtype=torch.float64, requires_grad=True),)))
class TwoOut(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return a + b, a * b
    @staticmethod
    def backward(ctx, ga, gb):
        a, b = ctx.saved_tensors
        return ga + gb * b, ga + gb * a
a = torch.tensor([1.0, 2.0], requires_grad=True); b = torch.tensor([3.0, 4.0], requires_grad=True); s, p = TwoOut.apply(a, b); (s + p).sum().backward(); print(s, p, a.grad, b.grad)
class Clip(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, lo=0.0):
        mask = x > lo
        ctx.save_for_backward(mask)
        ctx.mark_non_differentiable(mask)
        return x.clamp(min=lo), mask
    @staticmethod
    def backward(ctx, g, gm):
        mask, = ctx.saved_tensors
        return g * mask, None
x = torch.tensor([-1.0, 2.0], requires_grad=True); y, m = Clip.apply(x); y.sum().backward(); print(y, m, m.requires_grad, x.grad)
class Bad(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2
    @staticmethod
    def backward(ctx, g):
        return g, g
Bad.apply(torch.ones(2, requires_grad=True)).sum().backward()
class NoGradIn(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2
    @staticmethod
    def backward(ctx, g):
        return g * 2
y = NoGradIn.apply(torch.ones(2)); print(y, y.requires_grad, y.grad_fn)
# --- regressions of bugs these snippets found
print(torch.sort(torch.tensor(3.0)), torch.topk(torch.tensor(2.0), 1), torch.tensor(5.0).kthvalue(1), torch.tensor([4.0]).sort(descending=True))
x = torch.arange(6).view(2, 3); print(x.masked_scatter(x > 3, torch.tensor([9, 8])), torch.masked_select(x, torch.tensor([True, False, True])))
x = torch.arange(8.).requires_grad_(); w = x.unfold(0, 3, 2); print(w, w.stride()); (w * torch.arange(6.).view(2, 3)).sum().backward(); print(x.grad)
x = torch.tensor([[1, 2], [3, 4]]); print(x.repeat_interleave(2, dim=1), torch.repeat_interleave(x, torch.tensor([1, 2]), dim=0), x.repeat_interleave(3).shape)
x = torch.tensor([1.0, 2.0], requires_grad=True); y = x.repeat_interleave(2); print(y); y.sum().backward(); print(x.grad)
x = torch.arange(6.).view(2, 3); print(x.sum(axis=1, keepdim=True), torch.sum(x, axis=1, keepdims=True), x.mean(axis=1, keepdims=True), torch.std(x, axis=0), x.argmax(axis=1))
x = torch.tensor([2.0], requires_grad=True); y = x ** 2; g, = torch.autograd.grad(y, x, create_graph=True); g2, = torch.autograd.grad(g, x, create_graph=True); print(g, g2, torch.autograd.grad(g2, x))
x = torch.tensor([1.0, 2.0], requires_grad=True); print(f"{float(x[1]):.1f}", int(x[0]))
int(torch.tensor([1, 2]))
complex(torch.tensor([1.0, 2.0]))
torch.tensor([torch.tensor([1.0, 2.0]), torch.tensor([3.0, 4.0])])
print(torch.tensor([[1, 2], torch.tensor([3, 4])]), torch.tensor([[1.0], torch.tensor([2.0])]))
print(torch.finfo(torch.float32).eps, torch.finfo(torch.float16), torch.iinfo(torch.uint8), torch.finfo().tiny, torch.iinfo(torch.int64).min)
torch.finfo(torch.int32)
print(type(torch.zeros(1)).__module__ in ("torch", "ember"), type(torch.Size([1])).__module__ in ("torch", "ember"))
x = torch.zeros(2, 3); x.index_put_((torch.tensor([1]), torch.tensor([2])), torch.tensor(7.0)); print(x, torch.index_put(x, (torch.tensor([0, 0]),), torch.ones(3), accumulate=True))
torch.zeros(3).to("cuda")
'''


def _split(src):
    """One snippet a line; lines between ``{{{`` and ``}}}`` form one multi-line snippet."""
    out, block = [], None
    for line in src.splitlines():
        if line == "{{{":
            block = []
        elif line == "}}}":
            out.append("\n".join(block) + "\n")
            block = None
        elif block is not None:
            block.append(line)
        elif line.strip() and not line.startswith("#"):
            out.append(line + "\n")
    return out


SNIPPETS = _split(_SRC)


@pytest.mark.parametrize("src", SNIPPETS, ids=[f"s{i:03d}" for i in range(len(SNIPPETS))])
def test_snippet_matches_torch(src):
    t_out, t_exc, t_warn = _run(real_torch, src)
    e_out, e_exc, e_warn = _run(ember, src)
    t_base, e_base = _base(t_exc), _base(e_exc)
    assert e_base is t_base or (t_base is not None and isinstance(e_exc, t_base)), (
        f"torch raised {t_exc!r}, ember raised {e_exc!r}\n--- ember out ---\n{e_out}")
    _same_text(e_out, t_out)
    assert e_warn == t_warn, f"warnings: ember {e_warn}, torch {t_warn}"
