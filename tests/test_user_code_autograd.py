"""Autograd-tutorial snippets (graphs and ``grad_fn``, accumulation, ``autograd.grad``, higher derivatives,
``no_grad``/``enable_grad``, hooks, custom Functions, training-loop idioms) print exactly what they print with
real PyTorch and raise the same exception class. The harness is ``test_user_code``'s.
"""
import pytest

from test_user_code import _split, test_snippet_matches_torch as _check

_SRC = r'''
# --- autograd walkthroughs: graphs, grad_fn, next_functions
x = torch.tensor(2.0, requires_grad=True); y = x * 3 + 1; print(y.grad_fn, y.grad_fn.name(), x.grad_fn, x.is_leaf, y.is_leaf)
x = torch.tensor([1.0, 2.0], requires_grad=True); y = (x * 2).sum(); print([type(f).__name__ for f, _ in y.grad_fn.next_functions])
x = torch.tensor([1.0, 2.0], requires_grad=True); z = (x.exp() * x).mean(); print(z.grad_fn.next_functions[0][0].name(), [n[0].name() if n[0] else None for n in z.grad_fn.next_functions[0][0].next_functions])
a = torch.tensor(1.0, requires_grad=True); b = torch.tensor(2.0); c = a * b; print(c.grad_fn.next_functions, c.requires_grad, b.requires_grad)
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True); y = x.pow(2); print(y.grad_fn.name(), x.sqrt().grad_fn.name(), x.log().grad_fn.name(), x.sin().grad_fn.name())
x = torch.ones(2, 2, requires_grad=True); y = x + 2; z = y * y * 3; out = z.mean(); print(y, z, out); out.backward(); print(x.grad)
x = torch.randn(3, requires_grad=True); y = x * 2; print(y.requires_grad, y.detach().requires_grad, x.data.requires_grad, y.data.requires_grad)
x = torch.tensor([1.0, 2.0], requires_grad=True); y = x[0] * x[1]; print(y.grad_fn.next_functions[0][0].name()); y.backward(); print(x.grad)
x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True); y = x.t() @ x; print(y.grad_fn.name(), y.grad_fn.next_functions[0][0].name()); y.sum().backward(); print(x.grad)
x = torch.tensor(3.0, requires_grad=True); y = x.view(1); z = y.expand(3); print(y.grad_fn.name(), z.grad_fn.name(), z._base is None if hasattr(z, "_base") else None)
# --- accumulation and retain_graph
x = torch.tensor(2.0, requires_grad=True); y = x ** 3; y.backward(retain_graph=True); print(x.grad); y.backward(); print(x.grad)
x = torch.tensor(2.0, requires_grad=True); y = x ** 3; y.backward(); y.backward()
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
for i in range(3):
    (x * (i + 1)).sum().backward()
print(x.grad)
}}}
x = torch.tensor([1.0, 2.0], requires_grad=True); (x ** 2).sum().backward(); g1 = x.grad.clone(); x.grad.zero_(); (x ** 3).sum().backward(); print(g1, x.grad)
x = torch.tensor([1.0, 2.0], requires_grad=True); (x * 2).sum().backward(); x.grad = None; (x * 5).sum().backward(); print(x.grad)
w = torch.tensor([0.5, -0.5], requires_grad=True); X = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]]); Y = torch.tensor([1.0, 0.0, 1.0, 0.0]); [((X[i:i+2] @ w - Y[i:i+2]) ** 2).mean().div(2).backward() for i in (0, 2)]; print(w.grad)
x = torch.tensor(1.0, requires_grad=True); y = x * 2; z = y * 3; z.backward(retain_graph=True); y.backward(); print(x.grad)
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True); y = x * 2; y.backward()
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True); y = x * 2; y.backward(torch.tensor([1.0, 0.1, 0.01])); print(x.grad)
x = torch.tensor([1.0, 2.0], requires_grad=True); y = x * x; y.backward(gradient=torch.ones_like(y)); print(x.grad, y.grad_fn)
x = torch.tensor([1.0, 2.0]); y = x * 2; y.sum().backward()
# --- torch.autograd.grad
x = torch.tensor([1.0, 2.0], requires_grad=True); y = (x ** 2).sum(); g, = torch.autograd.grad(y, x); print(g, x.grad)
x = torch.tensor([1.0, 2.0], requires_grad=True); y = x ** 2; g = torch.autograd.grad(y, x, grad_outputs=torch.tensor([1.0, 0.5])); print(g)
x = torch.tensor([1.0, 2.0], requires_grad=True); y = x ** 2; torch.autograd.grad(y, x)
a = torch.tensor(2.0, requires_grad=True); b = torch.tensor(3.0, requires_grad=True); ga, gb = torch.autograd.grad(a * b + b ** 2, [a, b]); print(ga, gb)
a = torch.tensor(2.0, requires_grad=True); b = torch.tensor(3.0, requires_grad=True); print(torch.autograd.grad(a * 2, [a, b], allow_unused=True))
a = torch.tensor(2.0, requires_grad=True); b = torch.tensor(3.0, requires_grad=True); torch.autograd.grad(a * 2, [a, b])
x = torch.tensor(1.0, requires_grad=True); y = x * 2; g1, = torch.autograd.grad(y, x, retain_graph=True); g2, = torch.autograd.grad(y, x); print(g1, g2)
x = torch.tensor([0.5, 1.0], requires_grad=True); out = torch.autograd.grad(torch.sin(x).sum(), x, create_graph=True)[0]; print(out, out.requires_grad, out.grad_fn.name())
x = torch.tensor(2.0, requires_grad=True); y = x ** 4; d1, = torch.autograd.grad(y, x, create_graph=True); d2, = torch.autograd.grad(d1, x, create_graph=True); d3, = torch.autograd.grad(d2, x); print(d1, d2, d3)
x = torch.tensor(1.0, requires_grad=True); y = torch.exp(2 * x); d1, = torch.autograd.grad(y, x, create_graph=True); d2, = torch.autograd.grad(d1, x); print(d1, d2)
x = torch.tensor(0.3, requires_grad=True); y = torch.sin(x) * torch.cos(x); d1, = torch.autograd.grad(y, x, create_graph=True); d1.backward(); print(d1, x.grad)
x = torch.tensor([1.0, 2.0], requires_grad=True); y = (x ** 3).sum(); g, = torch.autograd.grad(y, x, create_graph=True); h = torch.stack([torch.autograd.grad(g[i], x, retain_graph=True)[0] for i in range(2)]); print(h)
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True); v = torch.tensor([1.0, 0.0, -1.0]); y = x ** 2; jvp_like, = torch.autograd.grad(y, x, grad_outputs=v); print(jvp_like)
x = torch.tensor([1.0, 2.0], requires_grad=True); W = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]); y = W @ x; J = torch.stack([torch.autograd.grad(y[i], x, retain_graph=True)[0] for i in range(3)]); print(J, torch.equal(J, W))
x = torch.tensor([1.0, 2.0], requires_grad=True); y = x * 2; u = torch.ones_like(y, requires_grad=True); g, = torch.autograd.grad(y, x, u, create_graph=True); jvp, = torch.autograd.grad(g, u, torch.tensor([1.0, 1.0])); print(g, jvp)
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True); n = x.norm(); n.backward(); print(n, x.grad, x / n)
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True); s = torch.softmax(x, dim=0); s[0].backward(); print(s, x.grad)
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True); ls = torch.log_softmax(x, 0); ls[2].backward(); print(ls, ls.grad_fn.name(), x.grad)
x = torch.tensor([[1.0, 2.0], [3.0, -1.0]], requires_grad=True); torch.logsumexp(x, dim=1).sum().backward(); print(x.grad, torch.softmax(x, 1))
x = torch.tensor([3.0, 4.0], requires_grad=True); (x.norm(p=1) + x.norm(p=float("inf"))).backward(); print(x.grad)
x = torch.tensor([[1.0, -2.0], [0.5, 4.0]], requires_grad=True); torch.linalg.norm(x).backward(); print(x.grad)
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True); y = x.mean(); z = x.std(); (y + z).backward(); print(x.grad)
x = torch.tensor([1.0, 5.0, 3.0], requires_grad=True); x.max().backward(); print(x.grad); x.grad = None; torch.sort(x).values[0].backward(); print(x.grad)
# --- requires_grad_, detach, data, no_grad, enable_grad
x = torch.tensor([1.0, 2.0]); x.requires_grad_(); y = (x * x).sum(); y.backward(); print(x.grad, x.requires_grad)
x = torch.tensor([1.0, 2.0], requires_grad=True); y = x.detach(); y[0] = 10; print(x, y.requires_grad)
x = torch.tensor([1.0, 2.0], requires_grad=True); x.data[0] = 10; print(x); y = (x * 2).sum(); y.backward(); print(x.grad)
x = torch.tensor([1.0, 2.0], requires_grad=True); x.data = torch.tensor([5.0, 6.0]); print(x, x.requires_grad, x.is_leaf)
x = torch.tensor([1.0, 2.0], requires_grad=True); y = x * 2; y.detach_(); print(y.requires_grad, y.grad_fn, y.is_leaf)
x = torch.tensor(1.0, requires_grad=True); y = x * 2; y.requires_grad_(False)
x = torch.tensor([1, 2]); x.requires_grad_()
{{{
x = torch.tensor(1.0, requires_grad=True)
with torch.no_grad():
    y = x * 2
    with torch.enable_grad():
        z = x * 3
print(y.requires_grad, z.requires_grad, z.grad_fn, torch.is_grad_enabled())
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
@torch.no_grad()
def f(t):
    return t * 2
@torch.enable_grad()
def g(t):
    return t * 2
with torch.no_grad():
    print(f(x).requires_grad, g(x).requires_grad)
print(f(x).requires_grad, torch.is_grad_enabled())
}}}
x = torch.tensor(1.0, requires_grad=True); torch.set_grad_enabled(False); y = x * 2; torch.set_grad_enabled(True); z = x * 2; print(y.requires_grad, z.requires_grad)
{{{
x = torch.tensor(1.0, requires_grad=True)
with torch.set_grad_enabled(False):
    y = x ** 2
print(y.requires_grad, y)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
with torch.no_grad():
    x *= 2
    x.add_(1)
print(x, x.requires_grad, x.grad_fn, x.is_leaf)
}}}
x = torch.tensor([1.0, 2.0], requires_grad=True); x *= 2
x = torch.tensor([1.0, 2.0], requires_grad=True); x[0] = 5.0
x = torch.tensor([1.0, 2.0], requires_grad=True); y = x * 1; y[0] = 5.0; print(y, y.grad_fn.name()); y.sum().backward(); print(x.grad)
x = torch.tensor([1.0, 2.0], requires_grad=True); y = x.exp(); y.add_(1); y.sum().backward()
x = torch.tensor([1.0, 2.0], requires_grad=True); y = x.exp(); z = y * 2; y.add_(1); z.sum().backward(); print(x.grad)
x = torch.tensor([1.0, 2.0], requires_grad=True); y = x.sigmoid(); y.mul_(2); y.sum().backward()
x = torch.tensor([1.0, 2.0], requires_grad=True); y = x.clone(); y.mul_(3); print(y.grad_fn.name(), y._version); y.sum().backward(); print(x.grad)
x = torch.tensor([1.0, 2.0], requires_grad=True); y = x * 2; print(y.grad); print(x.grad)
x = torch.tensor([1.0, 2.0], requires_grad=True); y = x * 2; y.retain_grad(); (y ** 2).sum().backward(); print(y.grad, x.grad, y.is_leaf)
# --- hooks
x = torch.tensor([1.0, 2.0], requires_grad=True); h = x.register_hook(lambda g: g * 10); (x * 3).sum().backward(); print(x.grad); h.remove(); x.grad = None; (x * 3).sum().backward(); print(x.grad)
x = torch.tensor([1.0, 2.0], requires_grad=True); y = x * 2; y.register_hook(lambda g: print("grad at y:", g)); y.sum().backward(); print(x.grad)
x = torch.tensor([1.0, -2.0], requires_grad=True); y = x * 2; y.register_hook(lambda g: g.clamp(min=0)); (y * torch.tensor([1.0, -1.0])).sum().backward(); print(x.grad)
x = torch.tensor([1.0, 2.0], requires_grad=True); grads = []; y = x ** 2; y.register_hook(grads.append); z = y.sum() * 3; z.backward(); print(grads, x.grad)
x = torch.tensor(1.0, requires_grad=True); y = x * 2; y.register_hook(lambda g: g + 1); y.register_hook(lambda g: g * 10); y.backward(); print(x.grad)
x = torch.tensor(1.0); x.register_hook(lambda g: g)
# --- custom autograd Functions
{{{
class MyReLU(torch.autograd.Function):
    @staticmethod
    def forward(ctx, inp):
        ctx.save_for_backward(inp)
        return inp.clamp(min=0)
    @staticmethod
    def backward(ctx, grad_output):
        inp, = ctx.saved_tensors
        grad_input = grad_output.clone()
        grad_input[inp < 0] = 0
        return grad_input
x = torch.tensor([-1.0, 0.5, 2.0], requires_grad=True)
y = MyReLU.apply(x)
print(y, y.grad_fn.name() if hasattr(y.grad_fn, "name") else type(y.grad_fn).__name__)
(y * torch.tensor([1.0, 2.0, 3.0])).sum().backward()
print(x.grad)
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
x = torch.tensor([0.0, 1.0], requires_grad=True)
y = Exp.apply(x); y.sum().backward(); print(y, x.grad)
print(torch.autograd.gradcheck(Exp.apply, (torch.tensor([0.3, -0.2], dtype=torch.float64, requires_grad=True),)))
}}}
{{{
class MulAdd(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a, b, k):
        ctx.save_for_backward(a, b)
        ctx.k = k
        return a * b + k
    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        print("needs:", ctx.needs_input_grad)
        return g * b, g * a, None
a = torch.tensor([1.0, 2.0], requires_grad=True); b = torch.tensor([3.0, 4.0])
out = MulAdd.apply(a, b, 5.0); out.sum().backward(); print(out, a.grad, b.grad)
}}}
{{{
class SplitSum(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x.sum(), x.prod()
    @staticmethod
    def backward(ctx, gs, gp):
        return gs * torch.ones(2) + gp * torch.tensor([2.0, 1.0])
x = torch.tensor([1.0, 2.0], requires_grad=True)
s, p = SplitSum.apply(x); (s + 10 * p).backward(); print(s, p, x.grad)
s, p = SplitSum.apply(x); x.grad = None; s.backward(); print(x.grad)
}}}
{{{
class Scale(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, factor):
        ctx.factor = factor
        return x * factor
    @staticmethod
    def backward(ctx, g):
        return g * ctx.factor, None
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = Scale.apply(x, 3); z = Scale.apply(y, 0.5); z.sum().backward(); print(z, x.grad, type(z.grad_fn).__name__)
with torch.no_grad():
    print(Scale.apply(x, 2).requires_grad)
}}}
{{{
class Cube(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3
    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return 3 * x ** 2 * g
x = torch.tensor(2.0, requires_grad=True)
y = Cube.apply(x)
g, = torch.autograd.grad(y, x, create_graph=True)
g2, = torch.autograd.grad(g, x)
print(y, g, g2)
}}}
{{{
class WrongShape(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2
    @staticmethod
    def backward(ctx, g):
        return torch.ones(5)
WrongShape.apply(torch.ones(3, requires_grad=True)).sum().backward()
}}}
{{{
class Twice(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.mark_dirty(x)
        return x.mul_(2)
    @staticmethod
    def backward(ctx, g):
        return g * 2
x = torch.tensor([1.0, 3.0], requires_grad=True)
y = x.clone()
z = Twice.apply(y)
z.sum().backward()
print(z, y, x.grad, z is y)
}}}
# --- training-loop idioms: clipping, manual SGD, accumulation
torch.manual_seed(0); w = torch.randn(3, requires_grad=True); x = torch.randn(5, 3); loss = ((x @ w) ** 2).mean(); loss.backward(); w.grad.clamp_(-0.1, 0.1); print(w.grad)
torch.manual_seed(0); w = torch.randn(4, requires_grad=True); (w ** 2).sum().mul(10).backward(); n = w.grad.norm(); w.grad.mul_(min(1.0, 1.0 / n.item())); print(n, w.grad, w.grad.norm())
torch.manual_seed(0); ps = [torch.randn(2, requires_grad=True), torch.randn(3, requires_grad=True)]; sum((p ** 2).sum() for p in ps).backward(); total = torch.norm(torch.stack([p.grad.norm() for p in ps])); print(total); [p.grad.mul_(0.5 / total) for p in ps]; print([p.grad for p in ps])
{{{
torch.manual_seed(0)
w = torch.zeros(2, requires_grad=True)
X = torch.randn(8, 2); y = X @ torch.tensor([2.0, -1.0])
lr = 0.1
for epoch in range(3):
    for i in range(0, 8, 4):
        loss = ((X[i:i+4] @ w - y[i:i+4]) ** 2).mean()
        loss.backward()
    with torch.no_grad():
        w -= lr * w.grad / 2
        w.grad.zero_()
    print(epoch, w, loss.item() > 0)
}}}
{{{
w = torch.tensor([1.0, -1.0], requires_grad=True)
opt_state = torch.zeros(2)
for step in range(3):
    loss = (w ** 2).sum() + w.prod()
    g, = torch.autograd.grad(loss, w)
    with torch.no_grad():
        opt_state.mul_(0.9).add_(g)
        w.sub_(0.1 * opt_state)
    print(step, loss.item(), w)
print(w.requires_grad, w.is_leaf, w.grad)
}}}
x = torch.tensor([1.0, 2.0], requires_grad=True); y = x * 2; y.sum().backward(); print(y.is_leaf, y.grad)
x = torch.tensor([1.0, 2.0], requires_grad=True); print(x.grad is None); (x * 2).sum().backward(); print(x.grad.requires_grad, x.grad.grad_fn)
x = torch.tensor([1.0, 2.0], requires_grad=True); y = (x ** 2).sum(); g, = torch.autograd.grad(y, x, create_graph=True); print(g.requires_grad, g.grad_fn.name(), x.grad)
x = torch.ones(2, 1, 3, requires_grad=True); y = (x * 2).squeeze_(1); print(y.grad_fn.name(), y.grad_fn.next_functions[0][0].name()); y.sum().backward(); print(x.grad.shape, x.grad.sum())
x = torch.arange(6.0, requires_grad=True); y = (x * 1).view(2, 3); y.t_(); print(y.grad_fn.name()); (y * torch.arange(6.0).view(3, 2)).sum().backward(); print(x.grad)
x = torch.ones(3, requires_grad=True); y = x * 1; y.unsqueeze_(0); y.mul_(2); print(y.grad_fn.name(), y.grad_fn.next_functions[0][0].name()); y.sum().backward(); print(x.grad)
x = torch.tensor([2.0], requires_grad=True); y = x ** 2; gx, = torch.autograd.grad(y, x, create_graph=True); gx.backward(); print(gx, x.grad)
x = torch.tensor([1.0, 2.0], requires_grad=True); y = x.sum() * 0; y.backward(); print(x.grad)
x = torch.tensor([1.0, 2.0], requires_grad=True); y = x.detach() * 2; y.sum().backward()
x = torch.tensor([1.0, 2.0], requires_grad=True); y = torch.where(x > 1.5, x ** 2, -x); y.sum().backward(); print(y, x.grad)
x = torch.tensor([0.0, 1.0], requires_grad=True); y = torch.sqrt(x); y.sum().backward(); print(x.grad)
x = torch.tensor([0.0, 1.0], requires_grad=True); y = torch.abs(x); y.sum().backward(); print(x.grad); x.grad = None; torch.relu(x).sum().backward(); print(x.grad)
x = torch.tensor([-1.0, 0.0, 2.0], requires_grad=True); x.clamp(min=0).sum().backward(); print(x.grad); x.grad = None; torch.maximum(x, torch.zeros(3)).sum().backward(); print(x.grad)
x = torch.tensor([1.0, 2.0], requires_grad=True); y = x.float(); z = x.double(); print(y is x, z.grad_fn.name(), z.dtype); z.sum().backward(); print(x.grad.dtype)
x = torch.tensor([1.0, 2.0], requires_grad=True); y = x.to(torch.float16); print(y.grad_fn.name(), y.requires_grad); x.long().requires_grad
x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True); y = x[:, 0] * 2 + x[1]; y.sum().backward(); print(x.grad, y.grad_fn.name())
x = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True); idx = torch.tensor([0, 0, 3]); x[idx].sum().backward(); print(x.grad)
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True); m = x > 1.5; x[m].sum().backward(); print(x.grad, x[m].grad_fn.name())
x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True); torch.cat([x, x * 2], dim=0).sum().backward(); print(x.grad)
x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True); a, b = x.unbind(0); (a * b).sum().backward(); print(x.grad, a.grad_fn.name())
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True); y = torch.erf(x); y.sum().backward(); print(y, x.grad)
x = torch.tensor([0.5, 2.0], requires_grad=True); y = torch.lgamma(x) + torch.digamma(x); y.sum().backward(); print(y, x.grad)
x = torch.tensor([0.2, 0.7], requires_grad=True); y = torch.logit(x); y.sum().backward(); print(y, x.grad)
x = torch.tensor([1.0, 2.0], requires_grad=True); y = torch.tensor([3.0, 0.5], requires_grad=True); z = torch.hypot(x, y) + torch.logaddexp(x, y) + torch.xlogy(x, y); z.sum().backward(); print(z, x.grad, y.grad)
x = torch.arange(6.0, requires_grad=True); q = torch.quantile(x, torch.tensor([0.25, 0.5])); q.sum().backward(); print(q, x.grad)
a = torch.tensor([1.0, 0.0, 0.0], requires_grad=True); b = torch.tensor([0.0, 1.0, 0.0]); c = torch.linalg.cross(a, b); c.sum().backward(); print(c, a.grad, c.grad_fn.name())
x = torch.tensor([[0.0, 0.0], [3.0, 4.0]], requires_grad=True); d = torch.cdist(x, x); d.sum().backward(); print(d, x.grad)
x = torch.tensor([1.0, 4.0, 9.0, 16.0], requires_grad=True); d = torch.diff(x); d.sum().backward(); print(d, x.grad, torch.diff(x, n=2))
x = torch.tensor([[1.0, 2.0], [3.0, 4.0]]); print(torch.rot90(x), torch.cov(x), torch.corrcoef(x), torch.logcumsumexp(x, 1))
x = torch.tensor([1.0, 2.0, 2.0, 3.0]); print(torch.mode(x), torch.addcmul(x, x, x, value=0.5), torch.addcdiv(x, x, x + 1))
x = torch.zeros(3, 3); x.fill_diagonal_(5); print(x, torch.histc(torch.tensor([1.0, 2.0, 1.0]), bins=3, min=0, max=3))
'''

SNIPPETS = _split(_SRC)


@pytest.mark.parametrize("src", SNIPPETS, ids=[f"a{i:03d}" for i in range(len(SNIPPETS))])
def test_autograd_snippet_matches_torch(src):
    _check(src)
