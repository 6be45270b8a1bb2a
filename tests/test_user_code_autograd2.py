"""More autograd snippets in the style of tutorials, course notes, Stack Overflow answers and blog posts:
custom Functions (ReLU, Exp, LegendrePolynomial3, straight-through estimators, gradient reversal, several
outputs, non-tensor arguments), hooks for clipping and printing, accumulation, ``requires_grad_``, ``detach``
versus ``.data``, grad modes as decorators and contexts, ``inference_mode``, Hessians and Jacobians, graph
walking, the in-place errors users hit, ``gradcheck``, legacy ``Variable`` and anomaly detection. Each prints
exactly what it prints with real PyTorch (exception messages included where it catches them), raises the same
exception class and emits the same warnings. The harness is ``test_user_code``'s.
"""
import pytest

from test_user_code import _split, test_snippet_matches_torch as _check

_SRC = r'''
# --- custom Functions from the tutorials
{{{
class LegendrePolynomial3(torch.autograd.Function):
    @staticmethod
    def forward(ctx, input):
        ctx.save_for_backward(input)
        return 0.5 * (5 * input ** 3 - 3 * input)
    @staticmethod
    def backward(ctx, grad_output):
        input, = ctx.saved_tensors
        return grad_output * 1.5 * (5 * input ** 2 - 1)
dtype = torch.float
x = torch.linspace(-1, 1, 200, dtype=dtype)
y = torch.sin(x)
a = torch.full((), 0.0, dtype=dtype, requires_grad=True)
b = torch.full((), -1.0, dtype=dtype, requires_grad=True)
c = torch.full((), 0.0, dtype=dtype, requires_grad=True)
d = torch.full((), 0.3, dtype=dtype, requires_grad=True)
learning_rate = 5e-4
for t in range(100):
    P3 = LegendrePolynomial3.apply
    y_pred = a + b * P3(c + d * x)
    loss = (y_pred - y).pow(2).sum()
    if t % 25 == 24:
        print(t, round(loss.item(), 3))
    loss.backward()
    with torch.no_grad():
        a -= learning_rate * a.grad
        b -= learning_rate * b.grad
        c -= learning_rate * c.grad
        d -= learning_rate * d.grad
        a.grad = None
        b.grad = None
        c.grad = None
        d.grad = None
print(f'Result: y = {a.item():.3f} + {b.item():.3f} * P3({c.item():.3f} + {d.item():.3f} x)')
print(y_pred.grad_fn, type(y_pred.grad_fn.next_functions[1][0].next_functions[1][0]).__name__)
}}}
{{{
class MyReLU(torch.autograd.Function):
    @staticmethod
    def forward(input):
        return input.clamp(min=0)
    @staticmethod
    def setup_context(ctx, inputs, output):
        input, = inputs
        ctx.save_for_backward(input)
    @staticmethod
    def backward(ctx, grad_output):
        input, = ctx.saved_tensors
        grad_input = grad_output.clone()
        grad_input[input < 0] = 0
        return grad_input
x = torch.tensor([[-1.5, 2.0], [0.5, -0.1]], requires_grad=True)
y = MyReLU.apply(x)
print(y)
(y ** 2).sum().backward()
print(x.grad, y.grad_fn.name())
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
x = torch.tensor([0.0, 0.5, 1.0], requires_grad=True)
out = Exp.apply(x)
out.backward(torch.ones(3))
print(out, x.grad, torch.allclose(x.grad, x.exp()))
out2 = Exp.apply(x)
out2.sum().backward()
out2.sum().backward()
}}}
{{{
class StraightThroughRound(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return torch.round(x)
    @staticmethod
    def backward(ctx, grad_output):
        return grad_output
x = torch.tensor([0.2, 1.7, -0.6, 2.5], requires_grad=True)
y = StraightThroughRound.apply(x)
(y * torch.tensor([1.0, 2.0, 3.0, 4.0])).sum().backward()
print(y, x.grad)
x.grad = None
torch.round(x).sum().backward()
print(x.grad)
}}}
{{{
class BinarizeSTE(torch.autograd.Function):
    """sign() forward, hardtanh-style clipped identity backward (BinaryConnect)."""
    @staticmethod
    def forward(ctx, input):
        ctx.save_for_backward(input)
        return input.sign()
    @staticmethod
    def backward(ctx, grad_output):
        input, = ctx.saved_tensors
        grad_input = grad_output.clone()
        grad_input[input.abs() > 1] = 0
        return grad_input
w = torch.tensor([-2.0, -0.5, 0.0, 0.3, 1.5], requires_grad=True)
wb = BinarizeSTE.apply(w)
loss = (wb * torch.arange(1.0, 6.0)).sum()
loss.backward()
print(wb, loss, w.grad)
}}}
{{{
class ClampSTE(torch.autograd.Function):
    @staticmethod
    def forward(ctx, input, min_val, max_val):
        return input.clamp(min_val, max_val)
    @staticmethod
    def backward(ctx, grad_output):
        return grad_output, None, None
x = torch.tensor([-3.0, 0.25, 4.0], requires_grad=True)
y = ClampSTE.apply(x, -1.0, 1.0)
y.sum().backward()
print(y, x.grad)
x.grad.zero_()
x.clamp(-1.0, 1.0).sum().backward()
print(x.grad)
}}}
x = torch.tensor([0.2, 1.7, -0.6], requires_grad=True); y = x + (x.round() - x).detach(); y.sum().backward(); print(y, y.grad_fn, x.grad)
x = torch.tensor([0.3, -1.2, 0.9], requires_grad=True); q = x.clamp(-1, 1); y = q + (torch.sign(q) - q).detach(); (y * 3).sum().backward(); print(y, x.grad)
{{{
class GradReverse(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, lambd):
        ctx.lambd = lambd
        return x.view_as(x)
    @staticmethod
    def backward(ctx, grad_output):
        return grad_output.neg() * ctx.lambd, None
def grad_reverse(x, lambd=1.0):
    return GradReverse.apply(x, lambd)
feat = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
h = feat * 2
dom = grad_reverse(h, 0.5)
cls_loss = h.sum()
dom_loss = (dom ** 2).sum()
(cls_loss + dom_loss).backward()
print(dom, dom.grad_fn.name(), feat.grad)
}}}
{{{
class GradReverse(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x.view_as(x)
    @staticmethod
    def backward(ctx, grad_output):
        return grad_output.neg()
x = torch.tensor([1.0, -1.0], requires_grad=True)
y = GradReverse.apply(x)
print(y._base is x, y.is_leaf, y.requires_grad)
y.sum().backward()
print(x.grad)
}}}
{{{
class SinCos(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.sin(), x.cos()
    @staticmethod
    def backward(ctx, gs, gc):
        x, = ctx.saved_tensors
        return gs * x.cos() - gc * x.sin()
x = torch.tensor([0.0, 1.0], requires_grad=True)
s, c = SinCos.apply(x)
print(s.grad_fn is c.grad_fn, s.output_nr if hasattr(s, "output_nr") else None, c.output_nr)
(s * 2 + c).sum().backward()
print(x.grad)
x.grad = None
s, c = SinCos.apply(x)
c.sum().backward()
print(x.grad)
}}}
{{{
class TopK(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, k):
        vals, idx = x.topk(k)
        ctx.mark_non_differentiable(idx)
        ctx.save_for_backward(idx)
        ctx.n = x.shape[0]
        return vals, idx
    @staticmethod
    def backward(ctx, gv, gi):
        idx, = ctx.saved_tensors
        g = torch.zeros(ctx.n, dtype=gv.dtype)
        g[idx] = gv
        return g, None
x = torch.tensor([0.5, 3.0, -1.0, 2.0], requires_grad=True)
v, i = TopK.apply(x, 2)
print(v, i, v.requires_grad, i.requires_grad, i.grad_fn)
(v * torch.tensor([10.0, 1.0])).sum().backward()
print(x.grad)
}}}
{{{
class MulConstant(torch.autograd.Function):
    @staticmethod
    def forward(ctx, tensor, constant):
        ctx.constant = constant
        return tensor * constant
    @staticmethod
    def backward(ctx, grad_output):
        return grad_output * ctx.constant, None
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = MulConstant.apply(x, 5.5)
y.sum().backward()
print(y, x.grad)
MulConstant.apply(x, constant=2.0).sum().backward()
print(x.grad)
}}}
{{{
class LinearFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, input, weight, bias=None):
        ctx.save_for_backward(input, weight, bias)
        output = input.mm(weight.t())
        if bias is not None:
            output += bias.unsqueeze(0).expand_as(output)
        return output
    @staticmethod
    def backward(ctx, grad_output):
        input, weight, bias = ctx.saved_tensors
        grad_input = grad_weight = grad_bias = None
        if ctx.needs_input_grad[0]:
            grad_input = grad_output.mm(weight)
        if ctx.needs_input_grad[1]:
            grad_weight = grad_output.t().mm(input)
        if bias is not None and ctx.needs_input_grad[2]:
            grad_bias = grad_output.sum(0)
        return grad_input, grad_weight, grad_bias
torch.manual_seed(0)
input = (torch.randn(4, 3, dtype=torch.double, requires_grad=True), torch.randn(2, 3, dtype=torch.double, requires_grad=True))
print(torch.autograd.gradcheck(LinearFunction.apply, input, eps=1e-6, atol=1e-4))
inp = torch.randn(4, 3, dtype=torch.double, requires_grad=True); w = torch.randn(2, 3, dtype=torch.double, requires_grad=True); b = torch.randn(2, dtype=torch.double, requires_grad=True)
print(torch.autograd.gradcheck(LinearFunction.apply, (inp, w, b)))
out = LinearFunction.apply(inp, w, b)
out.pow(2).sum().backward()
print(out.shape, out.dtype, inp.grad.shape, w.grad.shape, b.grad, out.grad_fn)
}}}
{{{
class BadSquare(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 2
    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return g * x
x = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
print(torch.autograd.gradcheck(BadSquare.apply, (x,), raise_exception=False))
try:
    torch.autograd.gradcheck(BadSquare.apply, (x,))
except RuntimeError as e:
    print(type(e).__name__, str(e).splitlines()[0])
}}}
{{{
class Square(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 2
    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return 2 * x * g
x = torch.tensor([1.0, 2.0], requires_grad=True)
print(torch.autograd.gradcheck(Square.apply, (x,), eps=1e-3, atol=1e-2))
xd = torch.tensor([0.5, -1.5], dtype=torch.float64, requires_grad=True)
print(torch.autograd.gradcheck(Square.apply, (xd,)), torch.autograd.gradgradcheck(Square.apply, (xd,)))
}}}
{{{
class Cube(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3
    @staticmethod
    @torch.autograd.function.once_differentiable
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return 3 * x ** 2 * g
x = torch.tensor([2.0], requires_grad=True)
y = Cube.apply(x)
g, = torch.autograd.grad(y, x, create_graph=True)
print(g, g.requires_grad)
try:
    g.backward()
except RuntimeError as e:
    print("RuntimeError:", e)
}}}
{{{
class Identity(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.set_materialize_grads(False)
        return x.clone(), x.clone()
    @staticmethod
    def backward(ctx, g1, g2):
        print("got", g1 is None, g2 is None)
        out = torch.zeros(2)
        if g1 is not None:
            out = out + g1
        if g2 is not None:
            out = out + 2 * g2
        return out
x = torch.tensor([1.0, 2.0], requires_grad=True)
a, b = Identity.apply(x)
a.sum().backward()
print(x.grad)
}}}
{{{
class Identity(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x.clone(), x.clone()
    @staticmethod
    def backward(ctx, g1, g2):
        print("got", g1, g2)
        return g1 + g2
x = torch.tensor([1.0, 2.0], requires_grad=True)
a, b = Identity.apply(x)
b.sum().backward()
print(x.grad)
}}}
{{{
class AddOne(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.mark_dirty(x)
        x.add_(1)
        return x
    @staticmethod
    def backward(ctx, g):
        return g
x = torch.tensor([1.0, 2.0], requires_grad=True)
try:
    AddOne.apply(x)
except RuntimeError as e:
    print(e)
y = x * 1
z = AddOne.apply(y)
print(z is y, z, z.grad_fn.name(), y._version)
z.sum().backward()
print(x.grad)
}}}
{{{
class Forgot(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a, b):
        return a * b
    @staticmethod
    def backward(ctx, g):
        return g
a = torch.tensor([1.0, 2.0], requires_grad=True); b = torch.tensor([3.0, 4.0], requires_grad=True)
try:
    Forgot.apply(a, b).sum().backward()
except RuntimeError as e:
    print(e)
}}}
{{{
class TooMany(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a):
        return a * 2
    @staticmethod
    def backward(ctx, g):
        return g * 2, g * 3
a = torch.tensor([1.0, 2.0], requires_grad=True)
try:
    TooMany.apply(a).sum().backward()
except RuntimeError as e:
    print(e)
}}}
{{{
class SaveScalar(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, k):
        ctx.save_for_backward(x, k)
        return x * k
    @staticmethod
    def backward(ctx, g):
        return g, None
try:
    SaveScalar.apply(torch.ones(2, requires_grad=True), 3)
except TypeError as e:
    print(e)
}}}
{{{
class MyReLU(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x.clamp(min=0)
    @staticmethod
    def backward(ctx, g):
        return g
x = torch.tensor([-1.0, 1.0], requires_grad=True)
try:
    MyReLU()(x)
except RuntimeError as e:
    print(type(e).__name__, e)
}}}
{{{
class ReturnsNumpyGrad(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2
    @staticmethod
    def backward(ctx, g):
        return 2.0
x = torch.tensor([1.0, 2.0], requires_grad=True)
try:
    ReturnsNumpyGrad.apply(x).sum().backward()
except (RuntimeError, TypeError) as e:
    print(type(e).__name__, e)
}}}
{{{
class Scale(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, factor, label="scale"):
        ctx.factor = factor
        ctx.label = label
        return x * factor
    @staticmethod
    def backward(ctx, g):
        print(ctx.label, ctx.factor, ctx.needs_input_grad)
        return g * ctx.factor, None, None
x = torch.tensor([1.0, 2.0], requires_grad=True)
Scale.apply(x, 3.0).sum().backward()
Scale.apply(x, 2, "double").sum().backward()
print(x.grad)
}}}
{{{
class Mul(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return a * b
    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        print(ctx.needs_input_grad)
        ga = g * b if ctx.needs_input_grad[0] else None
        gb = g * a if ctx.needs_input_grad[1] else None
        return ga, gb
a = torch.tensor([1.0, 2.0], requires_grad=True)
b = torch.tensor([3.0, 4.0])
Mul.apply(a, b).sum().backward()
Mul.apply(b, a).sum().backward()
print(a.grad, b.grad)
with torch.no_grad():
    out = Mul.apply(a, b)
print(out.requires_grad, out.grad_fn)
}}}
{{{
class Clamp01(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.clamp(0, 1)
    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return g * ((x >= 0) & (x <= 1)).float()
x = torch.tensor([-0.5, 0.5, 1.5], requires_grad=True)
y = Clamp01.apply(x)
y.sum().backward(retain_graph=True)
y.sum().backward()
print(x.grad)
print(y.grad_fn.saved_tensors)
}}}
{{{
class Clamp01(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.clamp(0, 1)
    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return g * ((x >= 0) & (x <= 1)).float()
x = torch.tensor([-0.5, 0.5, 1.5], requires_grad=True)
y = Clamp01.apply(x)
y.sum().backward()
try:
    y.grad_fn.saved_tensors
except RuntimeError as e:
    print(e)
}}}
{{{
class SquareSaved(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 2
    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return 2 * x * g
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 1
out = SquareSaved.apply(y)
y.add_(1)
try:
    out.sum().backward()
except RuntimeError as e:
    print(e)
}}}
{{{
class Swish(torch.autograd.Function):
    @staticmethod
    def forward(ctx, i):
        result = i * torch.sigmoid(i)
        ctx.save_for_backward(i)
        return result
    @staticmethod
    def backward(ctx, grad_output):
        i, = ctx.saved_tensors
        s = torch.sigmoid(i)
        return grad_output * (s * (1 + i * (1 - s)))
x = torch.tensor([-1.0, 0.0, 2.0], dtype=torch.float64, requires_grad=True)
print(torch.autograd.gradcheck(Swish.apply, (x,)))
y = Swish.apply(x); y.sum().backward(); g1 = x.grad.clone(); x.grad = None
(x * torch.sigmoid(x)).sum().backward(); print(y, torch.allclose(g1, x.grad), g1)
}}}
{{{
class Pair(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, y):
        return x + y, x * y
    @staticmethod
    def backward(ctx, ga, gb):
        return ga + gb, ga + gb
x = torch.tensor(2.0, requires_grad=True)
y = torch.tensor(3.0)
s, p = Pair.apply(x, y)
print(s.requires_grad, p.requires_grad, s.grad_fn.next_functions)
(s + p).backward()
print(x.grad, y.grad)
}}}
{{{
class F1(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 3
    @staticmethod
    def backward(ctx, g):
        return g * 3
x = torch.tensor(1.0, requires_grad=True)
y = F1.apply(F1.apply(x) + 1)
print(y, y.grad_fn, [type(n[0]).__name__ for n in y.grad_fn.next_functions])
y.backward()
print(x.grad)
}}}
{{{
class Int(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x.long()
    @staticmethod
    def backward(ctx, g):
        return g
x = torch.tensor([1.5, 2.5], requires_grad=True)
y = Int.apply(x)
print(y, y.requires_grad, y.grad_fn, y.dtype)
}}}
# --- hooks: printing, clipping, inspecting
{{{
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x * 2
z = y.pow(2).sum()
y.register_hook(lambda grad: print("y grad:", grad))
x.register_hook(lambda grad: print("x grad:", grad))
z.backward()
}}}
{{{
torch.manual_seed(0)
w = torch.randn(4, requires_grad=True)
b = torch.randn(1, requires_grad=True)
for p in (w, b):
    p.register_hook(lambda grad: torch.clamp(grad, -0.5, 0.5))
X = torch.randn(6, 4); y = torch.randn(6)
loss = ((X @ w + b - y) ** 2).mean() * 10
loss.backward()
print(w.grad, b.grad, loss)
}}}
{{{
grads = {}
def save_grad(name):
    def hook(grad):
        grads[name] = grad
    return hook
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = 3 * x
z = y * y
y.register_hook(save_grad('y'))
z.register_hook(save_grad('z'))
z.sum().backward()
print(grads['y'], grads['z'], sorted(grads))
}}}
{{{
x = torch.tensor([1.0, -1.0, 0.5], requires_grad=True)
h = x.register_hook(lambda g: g * 0)
(x ** 2).sum().backward()
print(x.grad)
h.remove()
(x ** 2).sum().backward()
print(x.grad)
h.remove()
}}}
{{{
x = torch.tensor([3.0, 4.0], requires_grad=True)
def clip_norm_hook(g, max_norm=1.0):
    n = g.norm()
    return g * (max_norm / n) if n > max_norm else g
x.register_hook(clip_norm_hook)
(x ** 2).sum().backward()
print(x.grad, x.grad.norm())
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 2
y.register_hook(lambda g: torch.ones(3))
try:
    y.sum().backward()
except RuntimeError as e:
    print(e)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 2
y.register_hook(lambda g: g.double())
try:
    y.sum().backward()
except RuntimeError as e:
    print(e)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x.exp()
def pre(grad_outputs):
    print("pre", grad_outputs)
    return (grad_outputs[0] * 10,)
def post(grad_inputs, grad_outputs):
    print("post", grad_inputs, grad_outputs)
y.grad_fn.register_prehook(pre)
y.grad_fn.register_hook(post)
y.sum().backward()
print(x.grad)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = (x * 3).sum()
acc = y.grad_fn.next_functions[0][0].next_functions[0][0]
print(acc.name(), acc.variable is x)
acc.register_hook(lambda gi, go: print("acc hook", gi, go))
y.backward()
print(x.grad)
}}}
{{{
torch.manual_seed(0)
w = torch.randn(3, requires_grad=True)
lr = 0.1
def sgd_hook(p):
    with torch.no_grad():
        p -= lr * p.grad
    p.grad = None
w.register_post_accumulate_grad_hook(sgd_hook)
for step in range(3):
    loss = (w ** 2).sum()
    loss.backward()
    print(step, loss.item(), w.grad)
print(w)
}}}
{{{
x = torch.tensor(2.0, requires_grad=True)
y = x ** 2
y.retain_grad()
z = y * 3
z.retain_grad()
w = z.exp() if False else z * z
w.backward()
print(y.grad, z.grad, x.grad, w.grad if w.retains_grad else None, y.retains_grad)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 2
y.retain_grad()
y.register_hook(lambda g: g * 100)
y.sum().backward()
print(y.grad, x.grad)
}}}
x = torch.tensor([1.0, 2.0], requires_grad=True); y = x * 2; y.sum().backward(); print(y.grad)
x = torch.tensor([1.0, 2.0], requires_grad=True); y = x * 2; y.backward(torch.ones(2)); print(x.grad, y.is_leaf, y.retains_grad)
x = torch.tensor([1.0, 2.0]); x.retain_grad()
x = torch.tensor([1.0, 2.0], requires_grad=True); y = x + 1; y.register_post_accumulate_grad_hook(lambda t: None)
# --- gradient accumulation and zeroing
{{{
torch.manual_seed(1)
w = torch.zeros(3, requires_grad=True)
X = torch.randn(12, 3); y = X @ torch.tensor([1.0, -2.0, 0.5])
accum_steps = 3
for i, start in enumerate(range(0, 12, 4)):
    loss = ((X[start:start+4] @ w - y[start:start+4]) ** 2).mean() / accum_steps
    loss.backward()
    print(i, round(loss.item(), 4), w.grad)
with torch.no_grad():
    w -= 0.5 * w.grad
w.grad.zero_()
print(w, w.grad)
}}}
{{{
w = torch.tensor([1.0, 2.0], requires_grad=True)
full = ((w * torch.tensor([3.0, 4.0])) ** 2).sum()
full.backward()
g_full = w.grad.clone()
w.grad = None
for part in (torch.tensor([3.0, 0.0]), torch.tensor([0.0, 4.0])):
    ((w * part) ** 2).sum().backward()
print(g_full, w.grad, torch.equal(g_full, w.grad))
}}}
{{{
w = torch.tensor([1.0, 2.0], requires_grad=True)
(w * 2).sum().backward()
w.grad.data.zero_()
(w * 3).sum().backward()
print(w.grad)
w.grad.detach_()
w.grad.zero_()
print(w.grad)
}}}
{{{
w = torch.tensor([1.0, 2.0], requires_grad=True)
for i in range(3):
    loss = (w ** 2).sum()
    loss.backward()
    print(i, w.grad)
    if w.grad is not None:
        w.grad = None
print(w.grad)
}}}
{{{
a = torch.tensor(1.0, requires_grad=True)
b = torch.tensor(2.0, requires_grad=True)
loss1 = a * b
loss2 = a + b
loss1.backward()
loss2.backward()
print(a.grad, b.grad)
(loss1 + loss2).backward()
}}}
# --- requires_grad_, freezing, detach vs .data
{{{
torch.manual_seed(0)
w1 = torch.randn(3, 2, requires_grad=True)
w2 = torch.randn(2, requires_grad=True)
w1.requires_grad_(False)
x = torch.randn(4, 3)
out = (x @ w1 @ w2).sum()
out.backward()
print(w1.grad, w2.grad is not None, out.grad_fn.name(), w1.requires_grad)
w1.requires_grad_(True)
(x @ w1 @ w2).sum().backward()
print(w1.grad.shape, w1.is_leaf)
}}}
{{{
x = torch.ones(2, requires_grad=True)
y = x * 2
try:
    y.requires_grad = False
except RuntimeError as e:
    print(e)
}}}
x = torch.ones(2, requires_grad=True); y = x * 2; y.requires_grad = True; print(y.requires_grad, y.is_leaf)
x = torch.arange(3); x.requires_grad = True
x = torch.arange(3, requires_grad=True)
x = torch.tensor([1, 2, 3], dtype=torch.float16, requires_grad=True); print(x, x.dtype, x.requires_grad)
x = torch.zeros(2, 2, dtype=torch.int64); x.requires_grad_(False); print(x.requires_grad)
{{{
a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
out = a.sigmoid()
c = out.data
c.zero_()
print(out)
out.sum().backward()
print(a.grad)
}}}
{{{
a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
out = a.sigmoid()
c = out.detach()
c.zero_()
print(out)
try:
    out.sum().backward()
except RuntimeError as e:
    print(e)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
d = x.detach()
print(d.requires_grad, d.is_leaf, d.grad_fn, d.data_ptr() == x.data_ptr(), x._version, d._version)
d.add_(10)
print(x, x._version, d._version)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x.data
print(y.requires_grad, y.is_leaf)
y.mul_(3)
print(x, x._version, y._version)
z = (x * x).sum(); z.backward(); print(x.grad)
}}}
x = torch.tensor([1.0, 2.0], requires_grad=True); y = x.detach().clone(); y += 1; print(x, y, y.requires_grad)
x = torch.tensor([1.0, 2.0], requires_grad=True); y = x.clone().detach().requires_grad_(True); print(y, y.is_leaf, y.grad_fn)
x = torch.tensor([1.0, 2.0], requires_grad=True); y = torch.tensor(x); print(y, y.requires_grad)
x = torch.tensor([1.0, 2.0], requires_grad=True); y = x.new_tensor([3.0, 4.0]); print(y.requires_grad, y.dtype)
x = torch.tensor([1.0, 2.0], requires_grad=True); x.numpy()
x = torch.tensor([1.0, 2.0], requires_grad=True); print(x.detach().numpy(), (x * 2).tolist(), (x.sum() * 2).item())
x = torch.tensor([1.0, 2.0], requires_grad=True); print(x.detach().numpy() * 2, float(x[0]), int(x[1] * 3))
{{{
torch.manual_seed(0)
w = torch.randn(2, requires_grad=True)
target = w.detach() * 2
for _ in range(2):
    loss = ((w - target) ** 2).sum()
    loss.backward()
    with torch.no_grad():
        w.sub_(0.25 * w.grad)
    w.grad.zero_()
print(w, target, target.requires_grad)
}}}
# --- no_grad / enable_grad / set_grad_enabled as contexts and decorators
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
@torch.no_grad()
def gen(n):
    for i in range(n):
        print("inside:", torch.is_grad_enabled())
        yield x * i
for y in gen(2):
    print("outside:", torch.is_grad_enabled(), y.requires_grad)
}}}
{{{
x = torch.tensor([1.0], requires_grad=True)
@torch.no_grad
def predict(t):
    return t * 2
@torch.inference_mode()
def infer(t):
    return t * 3
y = predict(x); z = infer(x)
print(y.requires_grad, z.requires_grad, z.is_inference(), y.is_inference(), predict.__name__)
}}}
{{{
x = torch.tensor(2.0, requires_grad=True)
def train_step(is_train):
    with torch.set_grad_enabled(is_train):
        y = x ** 2
    return y
print(train_step(True).requires_grad, train_step(False).requires_grad, torch.is_grad_enabled())
}}}
{{{
x = torch.tensor(2.0, requires_grad=True)
with torch.no_grad():
    with torch.enable_grad():
        y = x * 2
    z = x * 2
    print(torch.is_grad_enabled())
print(y.requires_grad, z.requires_grad, y.grad_fn.name(), z.grad_fn)
y.backward(); print(x.grad)
}}}
{{{
x = torch.tensor(2.0, requires_grad=True)
@torch.enable_grad()
def needs_grad(t):
    return torch.autograd.grad(t ** 3, t)[0]
with torch.no_grad():
    print(needs_grad(x), torch.is_grad_enabled())
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
with torch.no_grad():
    y = x * 2
try:
    y.sum().backward()
except RuntimeError as e:
    print(e)
}}}
{{{
class Model:
    def __init__(self):
        self.w = torch.tensor([0.5, -0.5], requires_grad=True)
    def __call__(self, x):
        return x @ self.w
    @torch.no_grad()
    def predict(self, x):
        return self(x).sign()
m = Model()
x = torch.tensor([[1.0, 2.0], [3.0, 1.0]])
p = m.predict(x)
print(p, p.requires_grad, m(x).requires_grad, m.predict.__name__)
}}}
{{{
x = torch.tensor([1.0], requires_grad=True)
torch.set_grad_enabled(False)
y = x * 2
print(torch.is_grad_enabled(), y.requires_grad)
torch.set_grad_enabled(True)
print(torch.is_grad_enabled(), (x * 2).requires_grad)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
with torch.no_grad():
    v = x[:1]
print(v.requires_grad, v.is_leaf, v.grad_fn)
try:
    v.mul_(2)
except RuntimeError as e:
    print(e)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
with torch.no_grad():
    y = x + 1
y.requires_grad_()
(y * y).sum().backward()
print(y.grad, x.grad, y.is_leaf)
}}}
print(torch.no_grad().__class__.__name__, isinstance(torch.no_grad(), torch.autograd.no_grad), torch.autograd.grad_mode.no_grad is torch.no_grad)
{{{
import functools
x = torch.tensor([3.0], requires_grad=True)
@torch.no_grad()
def f(t, scale=2):
    """Docstring survives."""
    return t * scale
print(f(x, scale=3), f.__doc__, f.__wrapped__(x).requires_grad)
}}}
# --- inference_mode in evaluation loops
{{{
torch.manual_seed(0)
w = torch.randn(3, requires_grad=True)
data = [torch.randn(2, 3) for _ in range(3)]
total = 0.0
with torch.inference_mode():
    for xb in data:
        out = xb @ w
        total += out.sum().item()
        print(out.requires_grad, out.is_inference(), torch.is_inference_mode_enabled())
print(round(total, 4), torch.is_inference_mode_enabled(), torch.is_grad_enabled())
}}}
{{{
with torch.inference_mode():
    t = torch.ones(3)
print(t.is_inference(), t.requires_grad)
try:
    t.add_(1)
except RuntimeError as e:
    print(e)
u = t.clone()
u.add_(1)
print(u, u.is_inference())
}}}
{{{
with torch.inference_mode():
    t = torch.ones(3)
w = torch.ones(3, requires_grad=True)
try:
    (t * w).sum().backward()
except RuntimeError as e:
    print(e)
print((t.clone() * w).sum().requires_grad)
}}}
{{{
with torch.inference_mode():
    t = torch.ones(3)
try:
    t.requires_grad_()
except RuntimeError as e:
    print(e)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
with torch.inference_mode():
    y = x * 2
    with torch.inference_mode(False):
        z = x * 2
        print(torch.is_inference_mode_enabled(), torch.is_grad_enabled())
print(y.requires_grad, z.requires_grad, z.grad_fn.name())
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
with torch.inference_mode():
    y = x * 2
try:
    y.sum().backward()
except RuntimeError as e:
    print(e)
}}}
{{{
w = torch.tensor([1.0, 2.0], requires_grad=True)
def evaluate(xs):
    with torch.no_grad():
        return [(x * w).sum().item() for x in xs]
def evaluate_im(xs):
    with torch.inference_mode():
        return torch.stack([(x * w).sum() for x in xs])
xs = [torch.tensor([1.0, 1.0]), torch.tensor([0.5, -1.0])]
r = evaluate_im(xs)
print(evaluate(xs), r, r.is_inference(), r.requires_grad)
}}}
# --- Hessians, Jacobians, higher-order derivatives
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
def f(x):
    return x[0] ** 2 * x[1] + x[1] ** 3
y = f(x)
grad = torch.autograd.grad(y, x, create_graph=True)[0]
hessian = torch.stack([torch.autograd.grad(grad[i], x, retain_graph=True)[0] for i in range(2)])
print(grad, hessian)
print(torch.autograd.functional.hessian(f, x))
}}}
{{{
def f(x):
    return (x ** 3).sum() + x.prod()
x = torch.tensor([1.0, 2.0, 3.0])
H = torch.autograd.functional.hessian(f, x)
print(H, H.shape, H.requires_grad, x.requires_grad)
}}}
{{{
def f(x, y):
    return (x ** 2 * y).sum()
x = torch.tensor([1.0, 2.0]); y = torch.tensor([3.0, 4.0])
H = torch.autograd.functional.hessian(f, (x, y))
print(len(H), len(H[0]), H[0][0], H[0][1], H[1][1])
}}}
{{{
def f(x):
    return torch.stack([x[0] * x[1], x[0] ** 2, torch.sin(x[1])])
x = torch.tensor([1.0, 2.0])
J = torch.autograd.functional.jacobian(f, x)
print(J, J.shape)
}}}
{{{
def exp_reducer(x):
    return x.exp().sum(dim=1)
inputs = torch.tensor([[0.0, 1.0], [0.5, -0.5]])
print(torch.autograd.functional.jacobian(exp_reducer, inputs))
print(torch.autograd.functional.jacobian(exp_reducer, inputs, create_graph=True).requires_grad)
}}}
{{{
def exp_adder(x, y):
    return 2 * x.exp() + 3 * y
inputs = (torch.tensor([0.0, 1.0]), torch.tensor([1.0, 2.0]))
J = torch.autograd.functional.jacobian(exp_adder, inputs)
print(type(J).__name__, J[0], J[1])
}}}
{{{
W = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
J = torch.autograd.functional.jacobian(lambda x: W @ x, torch.tensor([1.0, -1.0]))
print(torch.equal(J, W), J.dtype)
J2 = torch.autograd.functional.jacobian(lambda x: torch.tanh(x), torch.zeros(3))
print(J2)
}}}
{{{
def f(x):
    return x ** 2
x = torch.tensor([1.0, 2.0, 3.0])
v = torch.ones(3)
out, vjp = torch.autograd.functional.vjp(f, x, v)
print(out, vjp)
out, jvp = torch.autograd.functional.jvp(f, x, v)
print(out, jvp)
}}}
{{{
def pow_reducer(x):
    return x.pow(3).sum()
x = torch.tensor([[1.0, 2.0], [0.5, -1.0]])
v = torch.ones(2, 2)
print(torch.autograd.functional.hvp(pow_reducer, x, v))
print(torch.autograd.functional.vhp(pow_reducer, x, v))
}}}
{{{
def f(x):
    return x.sum() * 2
try:
    torch.autograd.functional.hessian(f, torch.ones(2), strict=True)
except RuntimeError as e:
    print(e)
print(torch.autograd.functional.hessian(f, torch.ones(2)))
}}}
{{{
try:
    torch.autograd.functional.jacobian(lambda x: x * 2, [1.0, 2.0])
except TypeError as e:
    print(e)
}}}
{{{
x = torch.tensor(2.0, requires_grad=True)
y = x ** 4 - 3 * x ** 2 + x
derivs = []
g = y
for k in range(4):
    g, = torch.autograd.grad(g, x, create_graph=True)
    derivs.append(g.item())
print(derivs)
}}}
{{{
x = torch.tensor(1.5, requires_grad=True)
y = x ** 3
d1, = torch.autograd.grad(y, x, create_graph=True)
d2, = torch.autograd.grad(d1, x, create_graph=True)
d3, = torch.autograd.grad(d2, x, create_graph=True)
print(d1, d2, d3, d3.requires_grad)
try:
    torch.autograd.grad(d3, x)
except RuntimeError as e:
    print(e)
}}}
{{{
x = torch.linspace(-1, 1, 5, requires_grad=True)
y = torch.sin(x)
dy = torch.autograd.grad(y, x, torch.ones_like(y), create_graph=True)[0]
d2y = torch.autograd.grad(dy, x, torch.ones_like(dy), create_graph=True)[0]
print(torch.allclose(dy, torch.cos(x)), torch.allclose(d2y, -torch.sin(x)), d2y.grad_fn is not None)
}}}
{{{
torch.manual_seed(0)
t = torch.rand(6, 1, requires_grad=True)
w = torch.randn(1, 4); v = torch.randn(4, 1)
u = torch.tanh(t @ w) @ v
u_t = torch.autograd.grad(u, t, grad_outputs=torch.ones_like(u), create_graph=True)[0]
u_tt = torch.autograd.grad(u_t, t, grad_outputs=torch.ones_like(u_t), create_graph=True)[0]
residual = (u_tt + u).pow(2).mean()
residual.backward()
print(u.shape, u_t.shape, u_tt.shape, residual.item() > 0, t.grad.shape)
}}}
{{{
torch.manual_seed(0)
w = torch.randn(3, requires_grad=True)
real = torch.randn(4, 3); fake = torch.randn(4, 3)
alpha = torch.rand(4, 1)
interp = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
d_out = torch.tanh(interp @ w)
gradients = torch.autograd.grad(outputs=d_out, inputs=interp, grad_outputs=torch.ones_like(d_out),
                                create_graph=True, retain_graph=True)[0]
gp = ((gradients.norm(2, dim=1) - 1) ** 2).mean()
gp.backward()
print(gradients.shape, round(gp.item(), 4), w.grad)
}}}
{{{
x = torch.tensor(3.0, requires_grad=True)
y = x ** 2
gx, = torch.autograd.grad(y, x)
print(gx, gx.requires_grad)
try:
    torch.autograd.grad(gx, x)
except RuntimeError as e:
    print(e)
}}}
{{{
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x.sum()
print(torch.autograd.grad(y, x, create_graph=True)[0].requires_grad)
(gy,) = torch.autograd.grad(y, x, create_graph=True)
print(gy.grad_fn)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
w = torch.tensor([0.5, 0.5], requires_grad=True)
loss = (x * w).sum() ** 2
gx, gw = torch.autograd.grad(loss, [x, w], create_graph=True)
penalty = gx.pow(2).sum()
penalty.backward()
print(gx, gw, x.grad, w.grad)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 2
z = x * 3
g = torch.autograd.grad([y.sum(), z.sum()], [x])
print(g)
g = torch.autograd.grad([y, z], x, grad_outputs=[torch.ones(2), torch.tensor([1.0, 0.0])])
print(g)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 2
try:
    torch.autograd.grad(y, x)
except RuntimeError as e:
    print(e)
try:
    torch.autograd.grad(y.sum(), x, grad_outputs=torch.ones(2))
except RuntimeError as e:
    print(e)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
u = torch.tensor([1.0, 1.0], requires_grad=True)
y = x * 2
g = torch.autograd.grad(y.sum(), [x, u], allow_unused=True, materialize_grads=True)
print(g)
try:
    torch.autograd.grad(y.sum(), [x, u])
except RuntimeError as e:
    print(e)
}}}
{{{
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x ** 2
eye = torch.eye(3)
jac, = torch.autograd.grad(y, x, eye, is_grads_batched=True)
print(jac)
}}}
# --- retain_graph
{{{
x = torch.tensor(2.0, requires_grad=True)
y = x ** 2
z = y * 3
try:
    z.backward()
    z.backward()
except RuntimeError as e:
    print(e)
}}}
{{{
x = torch.tensor(2.0, requires_grad=True)
shared = x.exp()
loss_a = shared * 2
loss_b = shared.sin()
loss_a.backward(retain_graph=True)
loss_b.backward()
print(x.grad)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * x
for i in range(3):
    y.sum().backward(retain_graph=True)
print(x.grad)
y.sum().backward()
print(x.grad)
}}}
{{{
x = torch.tensor(1.0, requires_grad=True)
h = torch.tensor(0.0)
losses = []
for t in range(3):
    h = torch.tanh(h + x)
    losses.append(h)
try:
    for l in losses:
        l.backward()
except RuntimeError as e:
    print(type(e).__name__, str(e)[:60])
print(x.grad)
}}}
{{{
x = torch.tensor(1.0, requires_grad=True)
h = torch.tensor(0.0)
for t in range(3):
    h = torch.tanh(h + x)
    h.backward(retain_graph=True)
    print(t, x.grad)
}}}
{{{
x = torch.tensor(1.0, requires_grad=True)
h = torch.tensor(0.0)
for t in range(3):
    h = torch.tanh(h.detach() + x)
    h.backward()
print(x.grad)
}}}
{{{
x = torch.tensor(2.0, requires_grad=True)
y = x * 3
y.backward()
y.backward()
print(x.grad)
}}}
# --- grad_fn chains, next_functions, is_leaf
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
w = torch.tensor([[1.0, 0.0], [0.0, 1.0]], requires_grad=True)
y = torch.relu(w @ x + 1).sum()
def walk(fn, depth=0):
    if fn is None:
        return
    print("  " * depth + fn.name())
    for nxt, _ in fn.next_functions:
        walk(nxt, depth + 1)
walk(y.grad_fn)
}}}
{{{
a = torch.tensor(2.0, requires_grad=True)
b = torch.tensor(3.0, requires_grad=True)
c = a * b
d = c + a
e = d.exp() / b
print(e.grad_fn.name())
print(e.grad_fn.next_functions[0][0].name(), e.grad_fn.next_functions[1][0].name())
print(e.grad_fn.next_functions[0][0].next_functions[0][0].name())
print(e.grad_fn.next_functions[1][0].variable is b)
}}}
{{{
x = torch.ones(2, 3, requires_grad=True)
y = x.view(3, 2).t().reshape(-1)[1:4].unsqueeze(0).squeeze().expand(2, 3).contiguous().sum(1).mean()
fn = y.grad_fn
names = []
while fn is not None:
    names.append(fn.name())
    fn = fn.next_functions[0][0] if fn.next_functions else None
print(names)
}}}
{{{
x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
outs = [x.sum(), x.mean(), x.max(), x.min(), x.prod(), x.norm(), x.std(), x.var(), x.abs().sum(), x.t(), x.T, x.transpose(0, 1), x.permute(1, 0), x.flatten(), x[0], x[:, 1], x[x > 2], x.diag(), x.trace(), x.cumsum(0), torch.sigmoid(x), torch.tanh(x), x.exp(), x.log(), x.sqrt(), x.reciprocal(), -x, x - 1, x / 2, x ** 2, 2 ** x, x @ x, x.mm(x), x.matmul(x), x.clamp(0, 3), x.max(dim=0).values, x.sort(dim=1).values, x.softmax(0), x.log_softmax(1), torch.cat([x, x]), torch.stack([x, x]), x.repeat(2, 1), x.flip(0), x.roll(1), x.split(1)[0], x.chunk(2)[1], x.squeeze(), x.unsqueeze(1), x.narrow(0, 0, 1), x.masked_fill(x > 2, 0), torch.where(x > 2, x, 0.0), x.gather(1, torch.tensor([[0], [1]])), x.index_select(0, torch.tensor([1])), x.float(), x.double(), x.clone(), x.detach()]
print([o.grad_fn.name() if o.grad_fn is not None else None for o in outs])
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 2
print(y)
print(y.grad_fn)
print(repr(x), x.grad_fn)
z = y.sum()
print(z, z.grad_fn.next_functions)
}}}
{{{
a = torch.rand(10, requires_grad=True)
b = torch.rand(10, requires_grad=True).double()
c = torch.rand(10).requires_grad_()
d = torch.rand(10, requires_grad=True) + 2
e = torch.rand(10).double()
f = torch.rand(10, requires_grad=True).detach()
print(a.is_leaf, b.is_leaf, c.is_leaf, d.is_leaf, e.is_leaf, f.is_leaf)
print(a.requires_grad, b.requires_grad, c.requires_grad, d.requires_grad, e.requires_grad, f.requires_grad)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x.pow(2)
print(x.equal(y.grad_fn._saved_self), x is y.grad_fn._saved_self)
y = x.exp()
print(y.equal(y.grad_fn._saved_result), y is y.grad_fn._saved_result)
}}}
x = torch.tensor([1.0, 2.0], requires_grad=True); y = x * 2; print(y.grad_fn.next_functions[0][0], y.grad_fn.next_functions[1])
x = torch.tensor(1.0, requires_grad=True); y = x + x; print(y.grad_fn.next_functions[0][0] is y.grad_fn.next_functions[1][0]); y.backward(); print(x.grad)
x = torch.tensor([1.0, 2.0], requires_grad=True); y = x.max(); z = x.argmax(); print(y.grad_fn.name(), z.grad_fn, z.requires_grad, z.dtype)
x = torch.tensor([1.0, 2.0], requires_grad=True); y = x > 1; print(y.requires_grad, y.grad_fn, (x.floor()).grad_fn.name(), (x.round() + x.ceil() + x.trunc()).requires_grad)
x = torch.tensor([1.0, 2.0], requires_grad=True); y = x.floor() + x.sign(); y.sum().backward(); print(x.grad)
x = torch.tensor([1.0, 2.0], requires_grad=True); v, i = x.max(0); print(v.grad_fn.name(), i.grad_fn, i.requires_grad); v.backward(); print(x.grad)
x = torch.tensor([1.0, 2.0], requires_grad=True); y = x.long(); print(y.requires_grad, y.grad_fn, y.is_leaf)
# --- in-place operations users get wrong
{{{
w = torch.tensor([1.0, 2.0], requires_grad=True)
try:
    w += 1
except RuntimeError as e:
    print(e)
try:
    w.zero_()
except RuntimeError as e:
    print(e)
try:
    w[0] = 0.0
except RuntimeError as e:
    print(e)
print(w, w._version)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = torch.sigmoid(x)
y.mul_(2)
try:
    y.sum().backward()
except RuntimeError as e:
    print(e)
}}}
{{{
x = torch.tensor([0.5, 1.0], requires_grad=True)
y = x.tanh()
z = y * 3
y.add_(1)
try:
    z.sum().backward()
except RuntimeError as e:
    print(e)
}}}
{{{
x = torch.tensor([0.5, 1.0], requires_grad=True)
y = x * 2
z = y ** 2
y[0] = 10.0
try:
    z.sum().backward()
except RuntimeError as e:
    print(e)
}}}
{{{
x = torch.tensor([0.5, 1.0], requires_grad=True)
y = x * 2
z = y + 5
y[0] = 10.0
z.sum().backward()
print(x.grad, y, y._version)
}}}
{{{
torch.manual_seed(0)
x = torch.randn(2, 2, requires_grad=True)
w = torch.randn(2, 2)
h = x @ w
h2 = torch.relu(h)
h2 += 1
try:
    h2.sum().backward()
except RuntimeError as e:
    print(e)
}}}
{{{
torch.manual_seed(0)
x = torch.randn(3, requires_grad=True)
a = x.exp()
b = a * 2
a.relu_()
try:
    b.sum().backward()
except RuntimeError as e:
    print(e)
}}}
{{{
x = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
y = x * 1
y.relu_()
y.sum().backward()
print(y, y.grad_fn.name(), x.grad)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x.clone()
y[1] = y[0] * 5
y.sum().backward()
print(y, x.grad, y.grad_fn.name())
}}}
{{{
w = torch.tensor([1.0, 2.0], requires_grad=True)
loss = (w ** 2).sum()
loss.backward()
try:
    w -= 0.1 * w.grad
except RuntimeError as e:
    print(e)
w = w - 0.1 * w.grad
print(w, w.is_leaf, w.grad_fn.name())
print(w.grad)
}}}
{{{
w = torch.tensor([1.0, 2.0], requires_grad=True)
(w ** 2).sum().backward()
w.data -= 0.1 * w.grad.data
w.grad.data.zero_()
print(w, w.is_leaf, w.grad)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x.view(2)
try:
    y.add_(1)
except RuntimeError as e:
    print(e)
}}}
{{{
x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
a, b = (x * 1).unbind(0)
try:
    a.mul_(2)
except RuntimeError as e:
    print(e)
c, d = (x * 1).split(1)
try:
    c.mul_(2)
except RuntimeError as e:
    print(e)
}}}
{{{
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x * 1
v = y[1:]
v.mul_(10)
print(y, y.grad_fn.name(), v.grad_fn.name())
y.sum().backward()
print(x.grad)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x.exp()
print(y._version)
y.add_(1)
y.mul_(2)
print(y._version, x._version)
}}}
{{{
x = torch.tensor([2.0], requires_grad=True)
y = x ** 2
y.data.add_(100)
y.backward()
print(y, x.grad)
}}}
# --- where / NaN gradients / anomaly detection
x = torch.tensor([-1.0, 4.0], requires_grad=True); y = torch.where(x > 0, x.sqrt(), torch.zeros_like(x)); y.sum().backward(); print(y, x.grad)
x = torch.tensor([-1.0, 4.0], requires_grad=True); safe = torch.where(x > 0, x, torch.ones_like(x)); y = torch.where(x > 0, safe.sqrt(), torch.zeros_like(x)); y.sum().backward(); print(y, x.grad)
x = torch.tensor([0.0, 1.0], requires_grad=True); y = x.norm(); y.backward(); print(x.grad); x.grad = None; torch.zeros(2, requires_grad=True).norm().backward()
x = torch.zeros(2, requires_grad=True); n = x.norm(); n.backward(); print(n, x.grad)
x = torch.tensor([0.0], requires_grad=True); y = x * torch.log(x); y.backward(); print(y, x.grad)
x = torch.tensor([0.0], requires_grad=True); y = torch.xlogy(x, x); y.backward(); print(y, x.grad)
{{{
x = torch.tensor([-1.0, 4.0], requires_grad=True)
with torch.autograd.detect_anomaly():
    y = torch.sqrt(x)
    try:
        y.sum().backward()
    except RuntimeError as e:
        print(e)
print(x.grad)
}}}
{{{
x = torch.tensor([0.0, 4.0], requires_grad=True)
with torch.autograd.detect_anomaly():
    y = x.sqrt() * 0
    try:
        y.sum().backward()
    except RuntimeError as e:
        print(e)
}}}
{{{
torch.autograd.set_detect_anomaly(True)
print(torch.is_anomaly_enabled())
x = torch.tensor([1.0, 4.0], requires_grad=True)
x.sqrt().sum().backward()
print(x.grad)
torch.autograd.set_detect_anomaly(False)
print(torch.is_anomaly_enabled())
}}}
{{{
x = torch.tensor([-1.0, 4.0], requires_grad=True)
with torch.autograd.detect_anomaly(check_nan=False):
    y = torch.sqrt(x)
    y.sum().backward()
print(x.grad, torch.is_anomaly_check_nan_enabled())
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
with torch.autograd.set_detect_anomaly(True):
    y = x.sigmoid()
    y.mul_(2)
    try:
        y.sum().backward()
    except RuntimeError as e:
        print(str(e).split("Hint")[0])
}}}
x = torch.tensor([1.0, float("nan")], requires_grad=True); y = torch.nan_to_num(x * 2); y.sum().backward(); print(y, x.grad)
x = torch.tensor([1.0, float("inf")], requires_grad=True); y = (x * 0).sum(); y.backward(); print(y, x.grad)
# --- Variable and other legacy code
{{{
Variable = torch.autograd.Variable
x = Variable(torch.ones(2, 2), requires_grad=True)
y = x + 2
z = y * y * 3
out = z.mean()
out.backward()
print(x.grad, out.data, type(out).__name__, isinstance(out, Variable))
}}}
{{{
Variable = torch.autograd.Variable
w = Variable(torch.tensor([1.0, 2.0]), requires_grad=True)
x = Variable(torch.tensor([3.0, 4.0]))
loss = (w * x).sum()
loss.backward()
print(w.grad.data, x.requires_grad, loss.data.item(), w.data.numpy())
w.data = w.data - 0.1 * w.grad.data
print(w, w.requires_grad)
}}}
{{{
v = torch.autograd.Variable(torch.ones(2), volatile=True)
print(v, v.requires_grad)
}}}
torch.autograd.Variable([1.0, 2.0])
x = torch.autograd.Variable(torch.tensor([1, 2]), requires_grad=True)
{{{
x = torch.autograd.Variable(torch.tensor([2.0]), requires_grad=True)
y = x ** 2
print(y.grad_fn.name(), torch.autograd.grad(y, x)[0], isinstance(x, torch.Tensor), isinstance(torch.ones(1), torch.autograd.Variable))
}}}
# --- training loops with manual SGD
{{{
torch.manual_seed(42)
X = torch.linspace(0, 1, 20).unsqueeze(1)
y = 3 * X + 1 + 0.01 * torch.randn(20, 1)
w = torch.zeros(1, 1, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
lr = 0.5
for epoch in range(200):
    y_hat = X @ w + b
    loss = ((y_hat - y) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        w -= lr * w.grad
        b -= lr * b.grad
    w.grad.zero_()
    b.grad.zero_()
    if epoch % 50 == 0:
        print(epoch, round(loss.item(), 4))
print(round(w.item(), 2), round(b.item(), 2))
}}}
{{{
torch.manual_seed(0)
X = torch.randn(30, 2)
y = (X[:, 0] + X[:, 1] > 0).float()
w = torch.zeros(2, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
for step in range(50):
    p = torch.sigmoid(X @ w + b)
    loss = -(y * torch.log(p + 1e-7) + (1 - y) * torch.log(1 - p + 1e-7)).mean()
    w.grad = None; b.grad = None
    loss.backward()
    with torch.no_grad():
        w.add_(w.grad, alpha=-1.0)
        b.add_(b.grad, alpha=-1.0)
print(round(loss.item(), 4), ((p > 0.5).float() == y).float().mean())
}}}
{{{
torch.manual_seed(0)
X = torch.randn(12, 4)
labels = torch.tensor([0, 1, 2, 1, 0, 2, 2, 1, 0, 0, 1, 2])
W = torch.zeros(4, 3, requires_grad=True)
for step in range(20):
    logits = X @ W
    logp = F.log_softmax(logits, dim=1)
    loss = -(logp * F.one_hot(labels, 3)).sum(1).mean()
    loss.backward()
    with torch.no_grad():
        W -= 0.5 * W.grad
        W.grad.zero_()
    if step % 5 == 0:
        print(step, round(loss.item(), 4))
print(logits.argmax(1), W.grad.abs().sum())
}}}
{{{
torch.manual_seed(0)
params = [torch.randn(3, 3, requires_grad=True), torch.randn(3, requires_grad=True)]
x = torch.randn(5, 3)
out = torch.tanh(x @ params[0] + params[1]).pow(2).sum() * 10
out.backward()
max_norm = 1.0
total_norm = torch.norm(torch.stack([p.grad.detach().norm(2) for p in params]), 2)
clip_coef = max_norm / (total_norm + 1e-6)
if clip_coef < 1:
    for p in params:
        p.grad.detach().mul_(clip_coef)
print(round(total_norm.item(), 4), round(torch.norm(torch.stack([p.grad.norm() for p in params])).item(), 4))
}}}
{{{
torch.manual_seed(0)
w = torch.randn(3, requires_grad=True)
momentum = torch.zeros_like(w)
for step in range(5):
    loss = ((w - torch.tensor([1.0, 2.0, 3.0])) ** 2).sum()
    loss.backward()
    with torch.no_grad():
        momentum = 0.9 * momentum + w.grad
        w -= 0.05 * momentum
    w.grad = None
print(w, momentum, loss.item(), momentum.requires_grad)
}}}
{{{
w = torch.tensor([1.0, 2.0], requires_grad=True)
for step in range(2):
    loss = (w ** 2).sum()
    loss.backward()
    w = w - 0.1 * w.grad
    print(step, w.is_leaf, w.requires_grad)
print(w.grad)
}}}
{{{
torch.manual_seed(0)
w = torch.randn(2, requires_grad=True)
ema = w.detach().clone()
for step in range(3):
    loss = (w ** 2).sum()
    loss.backward()
    with torch.no_grad():
        w -= 0.1 * w.grad
        ema.mul_(0.9).add_(w, alpha=0.1)
    w.grad.zero_()
print(w, ema, ema.requires_grad, ema.is_leaf)
}}}
{{{
x = torch.tensor([1.0, 2.0, 3.0])
w = torch.tensor(0.0, requires_grad=True)
y = torch.tensor([2.0, 4.0, 6.0])
for epoch in range(10):
    l = ((w * x - y) ** 2).mean()
    l.backward()
    with torch.no_grad():
        w -= 0.01 * w.grad
    w.grad.zero_()
    if epoch % 3 == 0:
        print(f'epoch {epoch + 1}: w = {w:.3f}, loss = {l:.8f}')
print(f'Prediction after training: f(5) = {(w * 5).item():.3f}')
}}}
# --- autograd.backward with inputs, misc user errors
{{{
a = torch.tensor(1.0, requires_grad=True)
b = torch.tensor(2.0, requires_grad=True)
loss = a * b + b
loss.backward(inputs=[a])
print(a.grad, b.grad)
torch.autograd.backward(a * b * 3, inputs=[b])
print(a.grad, b.grad)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 2
torch.autograd.backward([y.sum(), (x ** 2).sum()])
print(x.grad)
torch.autograd.backward([x * 1, x * 2], [torch.ones(2), torch.tensor([1.0, -1.0])])
print(x.grad)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 2
try:
    y.backward()
except RuntimeError as e:
    print(e)
try:
    y.backward(torch.ones(3))
except RuntimeError as e:
    print(e)
}}}
{{{
x = torch.tensor([1.0, 2.0])
try:
    (x * 2).sum().backward()
except RuntimeError as e:
    print(e)
}}}
{{{
x = torch.tensor([1, 2, 3], dtype=torch.float32, requires_grad=True)
y = (x.int() * 2).float().sum()
print(y.requires_grad, y.grad_fn)
}}}
{{{
try:
    torch.tensor([1, 2, 3], requires_grad=True)
except RuntimeError as e:
    print(e)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x.sum()
y.backward(torch.tensor(2.0))
print(x.grad)
y2 = x.sum()
y2.backward(gradient=torch.tensor([2.0]))
}}}
{{{
x = torch.tensor(2.0, requires_grad=True)
y = x * 3
y.backward(torch.tensor(1.0, dtype=torch.float64))
print(x.grad, x.grad.dtype)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True, dtype=torch.float64)
y = (x.float() * 2).sum()
y.backward()
print(x.grad, x.grad.dtype, y.dtype)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x.to(torch.float64).sum()
print(y.grad_fn.name(), y.grad_fn.next_functions[0][0].name())
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
print(x.grad)
x.grad = torch.tensor([0.5, 0.5])
(x * 2).sum().backward()
print(x.grad)
try:
    x.grad = torch.tensor([1.0, 2.0, 3.0])
except RuntimeError as e:
    print(e)
try:
    x.grad = torch.tensor([1, 2])
except RuntimeError as e:
    print(e)
}}}
# --- saved tensors hooks
{{{
class Mul2(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * 2
    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return g * 2
def pack_hook(t):
    print("Packing", t)
    return t
def unpack_hook(t):
    print("Unpacking", t)
    return t
x = torch.ones(3, requires_grad=True)
with torch.autograd.graph.saved_tensors_hooks(pack_hook, unpack_hook):
    y = Mul2.apply(x)
y.sum().backward()
print(x.grad)
}}}
{{{
storage = []
def pack(t):
    storage.append(t.clone())
    return len(storage) - 1
def unpack(i):
    return storage[i]
class Sq(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 2
    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return 2 * x * g
x = torch.tensor([1.0, 3.0], requires_grad=True)
with torch.autograd.graph.saved_tensors_hooks(pack, unpack):
    y = Sq.apply(x)
y.sum().backward()
print(x.grad, len(storage))
}}}
# --- double backward with custom Functions (the tutorial), saved tensors, graph details, grad modes
{{{
class Sinh(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        expx = torch.exp(x)
        expnegx = torch.exp(-x)
        ctx.save_for_backward(expx, expnegx)
        return (expx - expnegx) / 2, expx, expnegx
    @staticmethod
    def backward(ctx, grad_out, _grad_out_exp, _grad_out_negexp):
        expx, expnegx = ctx.saved_tensors
        grad_input = grad_out * (expx + expnegx) / 2
        grad_input += _grad_out_exp * expx
        grad_input -= _grad_out_negexp * expnegx
        return grad_input
def sinh(x):
    return Sinh.apply(x)[0]
torch.manual_seed(0)
x = torch.rand(3, 3, requires_grad=True, dtype=torch.double)
print(torch.autograd.gradcheck(sinh, x), torch.autograd.gradgradcheck(sinh, x))
y = sinh(x)
g, = torch.autograd.grad(y.sum(), x, create_graph=True)
g2, = torch.autograd.grad(g.sum(), x)
print(torch.allclose(g, torch.cosh(x)), torch.allclose(g2, torch.sinh(x)))
}}}
{{{
class SinhBad(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        expx = torch.exp(x)
        expnegx = torch.exp(-x)
        ctx.save_for_backward(expx, expnegx)
        return (expx - expnegx) / 2
    @staticmethod
    def backward(ctx, grad_out):
        expx, expnegx = ctx.saved_tensors
        return grad_out * (expx + expnegx) / 2
x = torch.tensor([0.5, 1.0], dtype=torch.double, requires_grad=True)
print(torch.autograd.gradcheck(SinhBad.apply, x))
print(torch.autograd.gradgradcheck(SinhBad.apply, x, raise_exception=False))
g, = torch.autograd.grad(SinhBad.apply(x).sum(), x, create_graph=True)
print(g.requires_grad, g.grad_fn)
}}}
{{{
def cube_forward(x):
    return x**3
def cube_backward(grad_out, x):
    return grad_out * 3 * x**2
def cube_backward_backward(grad_out, sav_grad_out, x):
    return grad_out * sav_grad_out * 6 * x
def cube_backward_backward_grad_out(grad_out, x):
    return grad_out * 3 * x**2
class Cube(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return cube_forward(x)
    @staticmethod
    def backward(ctx, grad_out):
        x, = ctx.saved_tensors
        return CubeBackward.apply(grad_out, x)
class CubeBackward(torch.autograd.Function):
    @staticmethod
    def forward(ctx, grad_out, x):
        ctx.save_for_backward(x, grad_out)
        return cube_backward(grad_out, x)
    @staticmethod
    def backward(ctx, grad_out):
        x, sav_grad_out = ctx.saved_tensors
        dx = cube_backward_backward(grad_out, sav_grad_out, x)
        dgrad_out = cube_backward_backward_grad_out(grad_out, x)
        return dgrad_out, dx
x = torch.tensor(2., requires_grad=True, dtype=torch.double)
print(torch.autograd.gradcheck(Cube.apply, x), torch.autograd.gradgradcheck(Cube.apply, x))
g, = torch.autograd.grad(Cube.apply(x), x, create_graph=True)
print(g, g.grad_fn.name(), torch.autograd.grad(g, x)[0])
}}}
{{{
class MyCube(torch.autograd.Function):
    @staticmethod
    def forward(x):
        result = x ** 3
        dx = 3 * x ** 2
        return result, dx
    @staticmethod
    def setup_context(ctx, inputs, output):
        x, = inputs
        result, dx = output
        ctx.save_for_backward(x, dx)
    @staticmethod
    def backward(ctx, grad_output, grad_dx):
        x, dx = ctx.saved_tensors
        result = grad_output * dx + grad_dx * 6 * x
        return result
def my_cube(x):
    result, _ = MyCube.apply(x)
    return result
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = my_cube(x)
g, = torch.autograd.grad(y.sum(), x, create_graph=True)
gg, = torch.autograd.grad(g.sum(), x)
print(y, g, gg)
}}}
{{{
class SimpleFunc(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.set_materialize_grads(False)
        ctx.save_for_backward(x)
        return x.clone(), x.clone()
    @staticmethod
    @torch.autograd.function.once_differentiable
    def backward(ctx, g1, g2):
        x, = ctx.saved_tensors
        grad_input = torch.zeros_like(x)
        if g1 is not None:
            grad_input += g1
        if g2 is not None:
            grad_input += g2
        return grad_input
a = torch.tensor(1.0, requires_grad=True)
b, _ = SimpleFunc.apply(a)
b.backward()
print(a.grad)
}}}
{{{
x = torch.randn(5, requires_grad=True)
y = x.pow(2)
y.sum().backward()
try:
    y.grad_fn._saved_self
except RuntimeError as e:
    print(e)
}}}
{{{
a = torch.tensor([1.0, 2.0], requires_grad=True)
b = torch.tensor([3.0, 4.0], requires_grad=True)
y = a * b
print(y.grad_fn._saved_self is a, y.grad_fn._saved_other is b, torch.equal(y.grad_fn._saved_other, b))
z = a.exp()
print(z.grad_fn._saved_result.equal(z), z.grad_fn._saved_result is z)
}}}
{{{
a = torch.tensor([1.0, 2.0], requires_grad=True)
b = torch.tensor([3.0, 4.0], requires_grad=True)
c = torch.tensor([1.0, 1.0], requires_grad=True)
with torch.autograd.graph.save_on_cpu():
    y = (a * b + c).exp()
y.sum().backward()
print(a.grad, b.grad, c.grad)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
print(isinstance(x.grad_fn, torch.autograd.graph.Node), isinstance((x * 2).grad_fn, torch.autograd.graph.Node))
y = x * 2
y.grad_fn.metadata["name"] = "double"
print(y.grad_fn.metadata, y.grad_fn.name())
}}}
{{{
a = torch.tensor(1.0, requires_grad=True)
b = torch.tensor(2.0, requires_grad=True)
c = torch.tensor([a, b])
print(c, c.requires_grad)
d = torch.stack([a, b])
print(d, d.requires_grad, d.grad_fn.name())
(d * torch.tensor([3.0, 4.0])).sum().backward()
print(a.grad, b.grad)
}}}
{{{
x = torch.tensor(3.0, requires_grad=True)
y = torch.tensor(x.item() ** 2)
print(y.requires_grad)
z = x ** 2
print(torch.autograd.grad(z, x))
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
g = torch.autograd.grad(x.sum(), x, only_inputs=False)
print(g)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
print(torch.autograd.grad(x, x, torch.ones(2)), torch.autograd.grad(x.sum(), x)[0] is x.grad)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = torch.tensor([1.0, 2.0])
try:
    torch.autograd.grad([x.sum(), y.sum()], x)
except RuntimeError as e:
    print(e)
try:
    torch.autograd.backward([x.sum(), x.sum()], [torch.tensor(1.0)])
except RuntimeError as e:
    print(e)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
(x * 2).sum().backward()
g = x.grad
(x * 3).sum().backward()
print(g is x.grad, g)
t = torch.zeros(2)
x.grad = t
(x * 1).sum().backward()
print(t, x.grad is t)
}}}
{{{
a = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
b = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
c = torch.tensor([[2.0], [3.0]], requires_grad=True)
(a * b + c).sum().backward()
print(a.grad, b.grad, c.grad)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x.expand(3, 2)
z = x.repeat(2)
(y.sum() + (z * torch.arange(4.0)).sum()).backward()
print(y.grad_fn.name(), z.grad_fn.name(), x.grad)
}}}
{{{
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
u, v, w = x.unbind()
u.register_hook(lambda g: print("u", g))
w.register_hook(lambda g: g * 100)
(u * 2 + v * 3 + w).backward()
print(x.grad)
}}}
{{{
x = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
a, b = x.split(2)
a.retain_grad(); b.retain_grad()
(a.prod() + b.sum()).backward()
print(a.grad, b.grad, x.grad)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 2
y.retain_grad()
y.mul_(3)
y.sum().backward()
print(y.grad, x.grad, y.grad_fn.name())
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 2
h = y.register_hook(lambda g: print("hook on y:", g))
y.add_(1)
(y * y).sum().backward()
print(x.grad)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
calls = []
x.register_hook(lambda g: calls.append(("first", g.tolist())))
x.register_hook(lambda g: calls.append(("second", g.tolist())) or g * 2)
x.register_post_accumulate_grad_hook(lambda p: calls.append(("post", p.grad.tolist())))
y = x * x + x
y.sum().backward()
print(calls, x.grad)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
with x.register_hook(lambda g: g * 0):
    (x * 3).sum().backward()
print(x.grad)
}}}
{{{
def newton(f, x, steps=4):
    x = x.clone().requires_grad_(True)
    for _ in range(steps):
        y = f(x)
        g, = torch.autograd.grad(y, x, create_graph=True)
        H = torch.stack([torch.autograd.grad(g[i], x, retain_graph=True)[0] for i in range(x.numel())])
        with torch.no_grad():
            x -= torch.linalg.solve(H, g)
    return x.detach()
f = lambda x: (x[0] - 1) ** 4 + (x[0] - 2 * x[1]) ** 2 + x[1] ** 2
print(newton(f, torch.tensor([0.0, 3.0], dtype=torch.float64)))
}}}
{{{
x = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
for name, f in [("relu", torch.relu), ("tanh", torch.tanh), ("sigmoid", torch.sigmoid), ("softmax", lambda t: t.softmax(0)),
                ("exp", torch.exp), ("square", torch.square), ("abs", torch.abs),
                ("norm", lambda t: t.norm()), ("std", lambda t: t.std()), ("div", lambda t: t / (t * t + 1)),
                ("pow", lambda t: t.abs() ** t), ("logsumexp", lambda t: t.logsumexp(0)), ("cumsum", lambda t: t.cumsum(0)), ("mm", lambda t: t.unsqueeze(0) @ t.unsqueeze(1)), ("max", lambda t: t.max())]:
    g, = torch.autograd.grad(f(x).sum(), x, create_graph=True)
    gg, = torch.autograd.grad(g.sum(), x, allow_unused=True)
    print(name, g.detach(), gg)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
p = torch.tensor([2.0, 0.5], requires_grad=True)
y = torch.pow(x, p)
y.sum().backward()
print(y, x.grad, p.grad)
z = 2 ** x
print(torch.autograd.grad(z.sum(), x)[0])
}}}
{{{
x = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
print(torch.autograd.gradcheck(torch.sigmoid, (x,)), torch.autograd.gradgradcheck(torch.tanh, (x,)))
print(torch.autograd.gradcheck(lambda t: (t ** 2).sum(), x, fast_mode=True))
}}}
{{{
x = torch.tensor([1.0, 2.0], dtype=torch.float64)
try:
    torch.autograd.gradcheck(torch.sigmoid, (x,))
except ValueError as e:
    print(e)
}}}
{{{
class MulConstant(torch.autograd.Function):
    @staticmethod
    def forward(ctx, tensor, constant):
        ctx.constant = constant
        return tensor * constant
    @staticmethod
    def backward(ctx, grad_output):
        return grad_output * ctx.constant, None
x = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
print(torch.autograd.gradcheck(lambda t: MulConstant.apply(t, 3.0), (x,)))
y = MulConstant.apply(x, 3.0)
print(y.grad_fn.next_functions, y.grad_fn.name(), type(y.grad_fn).__name__)
}}}
{{{
def f(x):
    return x.sin(), x.cos() * 2
x = torch.tensor([0.0, 1.0])
J = torch.autograd.functional.jacobian(f, x)
print(type(J).__name__, len(J), J[0], J[1])
Jv = torch.autograd.functional.jacobian(f, x, vectorize=True)
print(torch.allclose(Jv[0], J[0]), torch.allclose(Jv[1], J[1]))
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
out, v = torch.autograd.functional.vjp(lambda t: t ** 3, x, torch.ones(2), create_graph=True)
print(out.requires_grad, v.requires_grad, v)
v.sum().backward()
print(x.grad)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
with torch.inference_mode():
    with torch.enable_grad():
        y = x * 2
        print(torch.is_grad_enabled(), torch.is_inference_mode_enabled())
print(y.requires_grad, y.is_inference())
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
@torch.set_grad_enabled(False)
def f(t):
    return t * 2
print(f(x).requires_grad, torch.is_grad_enabled())
with torch.autograd.set_grad_enabled(False):
    print((x * 2).requires_grad)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
for i in range(5):
    with torch.no_grad():
        if i == 2:
            break
        y = x * i
print(torch.is_grad_enabled(), y.requires_grad)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
def f():
    with torch.no_grad():
        raise ValueError("boom")
try:
    f()
except ValueError as e:
    print(e, torch.is_grad_enabled())
}}}
{{{
class Exp(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        out = x.exp()
        ctx.save_for_backward(out)
        return out
    @staticmethod
    def backward(ctx, g):
        out, = ctx.saved_tensors
        return g * out
x = torch.tensor([0.0, 1.0], requires_grad=True)
y = Exp.apply(x)
y.mul_(2)
try:
    y.sum().backward()
except RuntimeError as e:
    print(e)
}}}
{{{
class SaveNone(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, w=None):
        ctx.save_for_backward(x, w)
        return x * 2 if w is None else x * w
    @staticmethod
    def backward(ctx, g):
        x, w = ctx.saved_tensors
        print(w)
        return g * 2, None
x = torch.tensor([1.0, 2.0], requires_grad=True)
SaveNone.apply(x).sum().backward()
print(x.grad)
}}}
{{{
class Count(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2, int((x > 0).sum())
    @staticmethod
    def backward(ctx, g, _):
        return g * 2
x = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
y, n = Count.apply(x)
print(y, n, type(n).__name__)
y.sum().backward()
print(x.grad)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 2
z = y.view(2, 1)
try:
    z.detach_()
except RuntimeError as e:
    print(str(e)[:60])
x2 = torch.tensor([1.0], requires_grad=True)
x2.detach_()
print(x2.requires_grad, x2.is_leaf)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
x.data = torch.tensor([1.0, 2.0, 3.0])
print(x, x.shape, x.requires_grad)
(x * 2).sum().backward()
print(x.grad)
}}}
{{{
x = torch.ones(1, requires_grad=True)
y = x * 2
y.backward()
print(x.grad, y.shape)
z = torch.ones(1, 1, requires_grad=True).sum(0)
z.backward()
}}}
{{{
torch.manual_seed(0)
x = torch.randn(4, 3)
W1 = torch.randn(3, 5, requires_grad=True)
W2 = torch.randn(5, 2, requires_grad=True)
h = x @ W1
h.retain_grad()
a = torch.relu(h)
out = a @ W2
loss = out.pow(2).mean()
loss.backward()
dout = 2 * out / out.numel()
dW2 = a.t() @ dout
da = dout @ W2.t()
dh = da * (h > 0).float()
dW1 = x.t() @ dh
print(torch.allclose(dW2, W2.grad), torch.allclose(dW1, W1.grad), torch.allclose(dh, h.grad))
}}}
{{{
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
with torch.no_grad():
    x[0] = 100.0
    x.clamp_(max=50)
print(x, x.is_leaf, x._version)
(x * 2).sum().backward()
print(x.grad)
}}}
{{{
w = torch.tensor([1.0, -2.0], requires_grad=True)
opt_steps = []
for i in range(3):
    loss = (w.abs()).sum()
    grad, = torch.autograd.grad(loss, w)
    w.data.sub_(0.5 * grad)
    opt_steps.append(w.detach().clone())
print(opt_steps, w.requires_grad, w.grad)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x.sum()
y.backward()
try:
    y.backward()
except RuntimeError as e:
    print("second:", e)
print(x.grad)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = (x * 2).mean()
print(y.grad_fn, y.grad_fn.next_functions[0][0], y.grad_fn.next_functions[0][0].next_functions)
}}}
# --- which ops save what (version checks), classic Stack Overflow errors, edge-case grads, functional API
{{{
ops = [("exp", torch.exp), ("sigmoid", torch.sigmoid), ("tanh", torch.tanh), ("relu", torch.relu), ("sin", torch.sin),
       ("pow2", lambda t: t ** 2), ("mul_scalar", lambda t: t * 3), ("add", lambda t: t + 1), ("sum", lambda t: t.sum()),
       ("mean", lambda t: t.mean()), ("sqrt", torch.sqrt), ("log", torch.log), ("abs", torch.abs), ("clamp", lambda t: t.clamp(0, 1)),
       ("softmax", lambda t: t.softmax(0)), ("matmul", lambda t: t @ t), ("max", lambda t: t.max()),
       ("norm", lambda t: t.norm()), ("cumsum", lambda t: t.cumsum(0)), ("index", lambda t: t[torch.tensor([0, 1])]),
       ("view", lambda t: t.view(2) * 1), ("neg", lambda t: -t), ("reciprocal", torch.reciprocal)]
for name, f in ops:
    x = torch.tensor([0.5, 1.5], requires_grad=True)
    a = x * 1
    y = f(a)
    a.add_(1)
    try:
        y.sum().backward()
        print(name, "ok", x.grad)
    except RuntimeError as e:
        print(name, "input modified:", str(e)[90:170])
}}}
{{{
ops = [("exp", torch.exp), ("sigmoid", torch.sigmoid), ("tanh", torch.tanh), ("relu", torch.relu), ("sin", torch.sin),
       ("pow2", lambda t: t ** 2), ("mul_scalar", lambda t: t * 3), ("sqrt", torch.sqrt), ("log", torch.log),
       ("softmax", lambda t: t.softmax(0)), ("div_by", lambda t: 1 / t), ("clone", lambda t: t.clone()), ("reciprocal", torch.reciprocal),
       ("log_softmax", lambda t: t.log_softmax(0)), ("pow_t", lambda t: t ** t), ("exp2", torch.exp2), ("rsqrt", torch.rsqrt)]
for name, f in ops:
    x = torch.tensor([0.5, 1.5], requires_grad=True)
    y = f(x)
    y.mul_(2)
    try:
        y.sum().backward()
        print(name, "ok", x.grad)
    except RuntimeError as e:
        print(name, "output modified:", str(e)[90:170])
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
try:
    torch.autograd.grad((x ** 2).sum(), x[0])
except RuntimeError as e:
    print(e)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = (x.detach() ** 2).sum()
try:
    torch.autograd.grad(y, x)
except RuntimeError as e:
    print(e)
z = (x.detach() ** 2).sum() + 0 * x.sum()
print(torch.autograd.grad(z, x))
}}}
{{{
torch.manual_seed(0)
w = torch.randn(3, dtype=torch.float64, requires_grad=True)
x = torch.randn(3)
try:
    y = x @ w
except RuntimeError as e:
    print(e)
y = x.double() @ w
y.backward()
print(w.grad.dtype, w.grad)
}}}
{{{
x = torch.tensor([1.0, 3.0, 3.0, 2.0], requires_grad=True)
x.max().backward()
print(x.grad)
x.grad = None
x.max(dim=0).values.backward()
print(x.grad)
x.grad = None
x.amax().backward()
print(x.grad)
x.grad = None
torch.max(x, torch.tensor(3.0)).sum().backward()
print(x.grad)
}}}
{{{
x = torch.tensor([-1.0, 0.0, 1.0], requires_grad=True)
for f in (torch.relu, torch.abs, lambda t: t.clamp(min=0), lambda t: t.clamp(0, 1), torch.sign, lambda t: torch.where(t > 0, t, 0.1 * t), torch.nn.functional.relu):
    g, = torch.autograd.grad(f(x).sum(), x)
    print(g)
}}}
{{{
x = torch.tensor([0.0, 1.0], requires_grad=True)
y = torch.sqrt(x)
y.sum().backward()
print(x.grad)
x.grad = None
(x ** 0.5).sum().backward()
print(x.grad)
x.grad = None
(x ** 2).sqrt().sum().backward()
print(x.grad)
}}}
{{{
x = torch.tensor(2.0, requires_grad=True)
x.backward()
print(x.grad)
x.backward(torch.tensor(3.0))
print(x.grad)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
torch.autograd.backward([(x * 2).sum(), (x ** 2).sum()], grad_tensors=[None, torch.tensor(0.5)])
print(x.grad)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 2
z = y ** 2
gy, = torch.autograd.grad(z.sum(), y, retain_graph=True)
gx, = torch.autograd.grad(z.sum(), x)
print(gy, gx, y.grad_fn.name())
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
seen = []
x.register_hook(lambda g: seen.append(g.clone()) or g * 2)
g, = torch.autograd.grad((x ** 2).sum(), x)
print(g, seen, x.grad)
}}}
{{{
t = torch.ones(2)
v = torch.autograd.Variable(t)
v[0] = 5.0
print(t, v is t, v.requires_grad)
w = torch.autograd.Variable(t, requires_grad=True)
print(w.is_leaf, w.grad_fn, t.requires_grad)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
try:
    x.grad.zero_()
except AttributeError as e:
    print(e)
}}}
{{{
torch.manual_seed(3)
params = {"w": torch.randn(2, 2, requires_grad=True), "b": torch.zeros(2, requires_grad=True)}
x = torch.randn(3, 2)
loss = (x @ params["w"] + params["b"]).tanh().sum()
grads = torch.autograd.grad(loss, list(params.values()))
print({k: tuple(g.shape) for k, g in zip(params, grads)})
gd = torch.autograd.grad((x @ params["w"] + params["b"]).tanh().sum(), params)
print(type(gd).__name__, list(gd), torch.equal(gd["b"], grads[1]))
}}}
{{{
torch.manual_seed(0)
w = torch.randn(2, requires_grad=True)
def loss_fn(w, x):
    return ((x @ w) ** 2).mean()
x_tr, x_val = torch.randn(4, 2), torch.randn(4, 2)
inner_lr = 0.1
g, = torch.autograd.grad(loss_fn(w, x_tr), w, create_graph=True)
w_fast = w - inner_lr * g
meta_loss = loss_fn(w_fast, x_val)
meta_loss.backward()
print(w_fast.grad_fn.name(), round(meta_loss.item(), 5), w.grad)
}}}
{{{
x = torch.tensor([1.0, 2.0, 3.0])
def f(x):
    return x.pow(2).sum()
try:
    torch.autograd.functional.vjp(f, x, torch.ones(3))
except RuntimeError as e:
    print(e)
print(torch.autograd.functional.vjp(f, x))
try:
    torch.autograd.functional.jvp(f, x, torch.ones(2))
except RuntimeError as e:
    print(e)
}}}
{{{
def f(x):
    return torch.zeros(2)
try:
    torch.autograd.functional.jacobian(f, torch.ones(2), strict=True)
except RuntimeError as e:
    print(e)
print(torch.autograd.functional.jacobian(f, torch.ones(2)))
}}}
{{{
def f(x):
    return x.detach() * 2
print(torch.autograd.functional.jacobian(f, torch.ones(2)))
try:
    torch.autograd.functional.jacobian(f, torch.ones(2), strict=True)
except RuntimeError as e:
    print(e)
}}}
{{{
def rosen(x):
    return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2
x = torch.tensor([1.0, 1.0])
print(torch.autograd.functional.jacobian(rosen, x), torch.autograd.functional.hessian(rosen, x))
x = torch.tensor([-1.0, 2.0], requires_grad=True)
for i in range(3):
    loss = rosen(x)
    loss.backward()
    with torch.no_grad():
        x -= 1e-3 * x.grad
    x.grad.zero_()
print(x, loss)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 2
print(y.grad_fn.next_functions[0][0].variable, y.grad_fn.next_functions[0][0].variable is x)
acc = y.grad_fn.next_functions[0][0]
print(acc.next_functions, acc.name())
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x.exp()
print(y.grad_fn(torch.ones(2)))
z = x * torch.tensor([3.0, 4.0])
print(z.grad_fn(torch.ones(2)))
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
torch.autograd.graph.increment_version(x)
print(x._version)
y = x.sin()
torch.autograd.graph.increment_version(x)
try:
    y.sum().backward()
except RuntimeError as e:
    print(str(e)[:120])
}}}
{{{
a = torch.tensor([1.0, 2.0], requires_grad=True)
b = a.detach()
b.requires_grad_()
(b * 2).sum().backward()
print(a.grad, b.grad, b.is_leaf)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x + 0
print(y is x, y.is_leaf, y.grad_fn)
z = x.view_as(x)
print(z is x, z.is_leaf, z.grad_fn, z._base is x)
w = x.reshape(2)
print(w.grad_fn, w._base is x)
}}}
{{{
x = torch.tensor([2.0], requires_grad=True)
y = torch.tensor([3.0], requires_grad=True)
z = x * y
z.backward(retain_graph=True)
print(x.grad, y.grad)
x.grad.zero_(); y.grad.zero_()
z.backward(inputs=[x])
print(x.grad, y.grad)
try:
    z.backward(inputs=[])
except RuntimeError as e:
    print(e)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
with torch.no_grad():
    y = x.clone()
y.requires_grad_(True)
y.retain_grad()
(y * 3).sum().backward()
print(y.grad, x.grad, y.is_leaf, y.retains_grad)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
try:
    torch.autograd.grad((x * 2).sum(), x, grad_outputs=torch.tensor(1))
except RuntimeError as e:
    print(e)
try:
    (x * 2).backward(torch.tensor([1, 2]))
except RuntimeError as e:
    print(e)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x.sum()
with torch.no_grad():
    y.backward()
print(x.grad, torch.is_grad_enabled())
with torch.inference_mode():
    z = x.sum()
print(z.requires_grad)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = torch.tensor([3.0, 4.0], requires_grad=True)
z = torch.cat([x, y]) * torch.tensor([1.0, 2.0, 3.0, 4.0])
zx, zy = z.split(2)
(zx.sum() + 2 * zy.sum()).backward()
print(x.grad, y.grad, zx.grad_fn.name(), z.grad_fn.name())
}}}
{{{
torch.manual_seed(0)
emb = torch.randn(5, 3, requires_grad=True)
idx = torch.tensor([0, 2, 0, 4])
out = emb[idx].sum()
out.backward()
print(emb.grad)
emb.grad = None
torch.index_select(emb, 0, idx).pow(2).sum().backward()
print(emb.grad[0], emb.grad[1], emb.grad.shape)
}}}
{{{
x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
mask = torch.tensor([[True, False], [False, True]])
y = x.masked_fill(mask, 0.0)
y.sum().backward()
print(y, x.grad)
x.grad = None
(x * mask).sum().backward()
print(x.grad)
}}}
{{{
x = torch.tensor([3.0], requires_grad=True)
y = x * 2
y.backward()
z = x * 2
z.backward(retain_graph=True)
z.backward()
print(x.grad, x.grad.shape)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
g = torch.ones(2, requires_grad=True)
y = x * x
gx, = torch.autograd.grad(y, x, grad_outputs=g, create_graph=True)
print(gx, gx.grad_fn.name())
dgx_dg, = torch.autograd.grad(gx.sum(), g)
print(dgx_dg)
}}}
{{{
torch.manual_seed(0)
x = torch.randn(3, 4)
W = torch.randn(4, 2, requires_grad=True)
out = x @ W
loss = out.sum()
loss.backward()
print(torch.allclose(W.grad, x.sum(0, keepdim=True).t().expand(4, 2)), W.grad.shape, out.grad_fn.name())
}}}
{{{
x = torch.tensor(1.0, requires_grad=True)
y = x * 2
del x
y.backward()
print(y.grad_fn.next_functions[0][0].variable)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 2
handle = y.grad_fn.register_prehook(lambda go: (go[0] * 0,))
y.sum().backward(retain_graph=True)
print(x.grad)
handle.remove()
y.sum().backward()
print(x.grad)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x.exp()
y.grad_fn.register_hook(lambda gi, go: gi[0] * 2)
try:
    y.sum().backward()
except TypeError as e:
    print(e)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 2
y.register_hook(lambda g: 5)
try:
    y.sum().backward()
except TypeError as e:
    print(e)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
x.register_post_accumulate_grad_hook(lambda p: p.grad)
try:
    (x * 2).sum().backward()
except RuntimeError as e:
    print(e)
}}}
{{{
torch.manual_seed(0)
x = torch.randn(5, requires_grad=True)
with torch.autograd.detect_anomaly():
    y = torch.log(x)
    try:
        y.sum().backward()
        print("no error", x.grad.isnan().any())
    except RuntimeError as e:
        print(e)
}}}
{{{
x = torch.tensor([0.0, 1.0], requires_grad=True)
with torch.autograd.detect_anomaly():
    y = x / x
    try:
        y.sum().backward()
    except RuntimeError as e:
        print(e)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x.clone()
with torch.no_grad():
    y.mul_(2)
y.sum().backward()
print(y, x.grad, y.grad_fn.name(), y._version)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x.sigmoid()
with torch.no_grad():
    y.mul_(2)
try:
    y.sum().backward()
except RuntimeError as e:
    print(str(e)[:150])
}}}
{{{
x = torch.ones(2, 2, requires_grad=True)
y = x.t()
z = y.contiguous().view(-1)
print(y.is_contiguous(), z.grad_fn.name())
try:
    y.view(-1)
except RuntimeError as e:
    print(e)
}}}
{{{
x = torch.ones(3, requires_grad=True)
y = torch.zeros(3)
y[1:] = x[1:] * 2
print(y.requires_grad, y.grad_fn.name(), y.is_leaf)
y.sum().backward()
print(x.grad)
}}}
{{{
x = torch.ones(3, requires_grad=True)
out = torch.empty(3)
out.copy_(x * 2)
print(out.requires_grad, out.grad_fn.name())
out.sum().backward()
print(x.grad)
}}}
{{{
x = torch.ones(3, requires_grad=True)
try:
    torch.exp(x, out=torch.empty(3))
except RuntimeError as e:
    print(e)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 3
y.sum().backward()
print(x.grad.requires_grad, x.grad.is_leaf, x.grad.grad_fn, x.grad._version)
x.grad += 1
print(x.grad, x.grad._version)
}}}
# --- generators under grad modes, hooks that edit grads, Function internals, frozen parameters
{{{
x = torch.tensor([1.0], requires_grad=True)
@torch.no_grad()
def echo():
    got = yield x * 2
    print("got", got, torch.is_grad_enabled())
    while True:
        try:
            got = yield x * got
        except ValueError as e:
            print("caught", e, torch.is_grad_enabled())
            got = yield x * 100
g = echo()
a = next(g)
b = g.send(3)
c = g.throw(ValueError("bad"))
print(a.requires_grad, b, c, torch.is_grad_enabled())
g.close()
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
@torch.inference_mode()
def batches(n):
    for i in range(n):
        yield x * i
outs = list(batches(3))
print([o.is_inference() for o in outs], outs[-1], torch.is_inference_mode_enabled())
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
@torch.enable_grad()
def gen():
    yield x * 2
with torch.no_grad():
    for y in gen():
        print(y.requires_grad, y.grad_fn.name(), torch.is_grad_enabled())
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
with torch.no_grad():
    v = x[0]
    w = x * 2
    print(v)
    print(w)
print(v.requires_grad, w.requires_grad, v.grad_fn, v.is_leaf)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
ng = torch.no_grad()
with ng:
    with ng:
        y = x * 2
    z = x * 2
print(y.requires_grad, z.requires_grad, torch.is_grad_enabled())
}}}
{{{
class Net:
    def __init__(self):
        self.w = torch.tensor([1.0, -1.0], requires_grad=True)
    @staticmethod
    @torch.no_grad()
    def normalize(t):
        return t / t.norm()
    @torch.no_grad()
    def step(self, lr):
        self.w -= lr * self.w.grad
        self.w.grad.zero_()
net = Net()
(net.w ** 2).sum().backward()
net.step(0.25)
print(net.w, net.w.grad, Net.normalize(net.w).requires_grad)
}}}
{{{
class Probe(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        print("forward grad enabled:", torch.is_grad_enabled(), "needs:", ctx.needs_input_grad)
        return x * 2
    @staticmethod
    def backward(ctx, g):
        print("backward grad enabled:", torch.is_grad_enabled())
        return g * 2
x = torch.tensor([1.0], requires_grad=True)
Probe.apply(x).sum().backward()
g, = torch.autograd.grad(Probe.apply(x).sum(), x, create_graph=True)
print(g, g.requires_grad)
}}}
{{{
class Boom(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x.clone()
    @staticmethod
    def backward(ctx, g):
        raise ValueError("custom backward failed")
x = torch.tensor([1.0], requires_grad=True)
try:
    Boom.apply(x).sum().backward()
except ValueError as e:
    print(type(e).__name__, e)
}}}
{{{
class Boom(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x.clone()
    @staticmethod
    def backward(ctx, g):
        return g * float("nan")
x = torch.tensor([1.0], requires_grad=True)
with torch.autograd.detect_anomaly():
    y = Boom.apply(x)
    try:
        (y * 2).sum().backward()
    except RuntimeError as e:
        print(e)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
def bad_hook(g):
    raise RuntimeError("hook says no")
x.register_hook(bad_hook)
try:
    (x * 2).sum().backward()
except RuntimeError as e:
    print(e, x.grad)
}}}
{{{
x = torch.tensor([3.0, -4.0], requires_grad=True)
def clip_inplace(g):
    g.clamp_(-1.0, 1.0)
x.register_hook(clip_inplace)
(x * torch.tensor([5.0, 0.5])).sum().backward()
print(x.grad)
}}}
{{{
torch.manual_seed(0)
w = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
w.register_hook(lambda g: g + 0.01 * torch.randn_like(g))
(w ** 2).sum().backward()
print(w.grad)
}}}
{{{
x = torch.tensor([1.0, float("nan"), 3.0], requires_grad=True)
x.register_hook(lambda g: torch.nan_to_num(g, nan=0.0))
(x * 2).sum().backward()
print(x.grad, torch.isnan(x.grad).any())
}}}
{{{
torch.manual_seed(0)
W1 = torch.randn(3, 3, requires_grad=True)
W2 = torch.randn(3, 1, requires_grad=True)
W1.requires_grad_(False)
x = torch.randn(4, 3)
loss = (x @ W1 @ W2).pow(2).mean()
try:
    torch.autograd.grad(loss, [W1, W2])
except RuntimeError as e:
    print(e)
gW2, = torch.autograd.grad(loss, [W2])
print(gW2.shape, W1.grad, W2.grad)
}}}
{{{
torch.manual_seed(0)
w = torch.randn(3, requires_grad=True)
x = torch.randn(5, 3)
loss = torch.tanh(x @ w).pow(2).sum()
g, = torch.autograd.grad(loss, w, create_graph=True)
v = torch.tensor([1.0, 0.0, -1.0])
hv, = torch.autograd.grad(g @ v, w)
H = torch.autograd.functional.hessian(lambda w: torch.tanh(x @ w).pow(2).sum(), w.detach())
print(torch.allclose(hv, H @ v, atol=1e-6), hv.shape)
}}}
{{{
def f(x):
    return (x ** 2).sum(dim=1)
x = torch.ones(2, 2)
H = torch.autograd.functional.hessian(lambda t: f(t).sum(), x)
print(H.shape, H.sum())
J = torch.autograd.functional.jacobian(lambda t: t.sum(), torch.ones(3))
print(J, J.shape)
J = torch.autograd.functional.jacobian(lambda a, b: a * b, (torch.tensor(2.0), torch.tensor(3.0)))
print(J)
}}}
{{{
x = torch.tensor([1.0, -2.0, 0.0], requires_grad=True)
loss = (x ** 2).sum() + 0.5 * x.abs().sum()
loss.backward()
print(x.grad)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
x.retain_grad()
(x * 2).sum().backward()
print(x.grad, x.retains_grad, x.is_leaf)
}}}
{{{
x = torch.tensor([1.0, 2.0])
try:
    x.backward(inputs=[x])
except RuntimeError as e:
    print(e)
w = torch.tensor([1.0, 2.0], requires_grad=True)
try:
    (w * 2).sum().backward(inputs=[x])
except RuntimeError as e:
    print(e)
}}}
{{{
print(torch.ones(2, requires_grad=True).sum())
print(torch.ones(2, requires_grad=True).mean(), torch.ones(2, 2, requires_grad=True)[0])
print(torch.ones(2, requires_grad=True) @ torch.ones(2))
print(torch.zeros(1, requires_grad=True).expand(3))
print(torch.ones(2, dtype=torch.float64, requires_grad=True) * 2)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x.detach()
z = x.clone()
print(y.requires_grad, z.requires_grad, z.grad_fn.name(), y._is_view(), z._is_view())
y2 = x.detach().requires_grad_()
print(y2.requires_grad, y2.is_leaf, y2._version)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 2
z = y.sum()
print(z.grad_fn.next_functions[0][0] is y.grad_fn, y.grad_fn.next_functions[0][0].variable is x)
grad_fns = []
fn = z.grad_fn
while fn is not None:
    grad_fns.append(type(fn).__name__)
    fn = fn.next_functions[0][0] if fn.next_functions else None
print(grad_fns)
}}}
{{{
class LinearFn(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, w, b):
        ctx.save_for_backward(x, w)
        return x @ w.t() + b
    @staticmethod
    def backward(ctx, g):
        x, w = ctx.saved_tensors
        return g @ w, g.t() @ x, g.sum(0)
torch.manual_seed(0)
x = torch.randn(4, 3); y = torch.randn(4, 2)
w = torch.zeros(2, 3, requires_grad=True); b = torch.zeros(2, requires_grad=True)
for step in range(20):
    loss = ((LinearFn.apply(x, w, b) - y) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        w -= 0.1 * w.grad
        b -= 0.1 * b.grad
        w.grad.zero_(); b.grad.zero_()
print(round(loss.item(), 5), w.shape, b)
}}}
{{{
class Normalize(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, eps=1e-5):
        mu = x.mean()
        var = x.var(unbiased=False)
        xhat = (x - mu) / torch.sqrt(var + eps)
        ctx.save_for_backward(xhat, var)
        ctx.eps = eps
        return xhat
    @staticmethod
    def backward(ctx, g):
        xhat, var = ctx.saved_tensors
        n = g.numel()
        std_inv = 1.0 / torch.sqrt(var + ctx.eps)
        return std_inv / n * (n * g - g.sum() - xhat * (g * xhat).sum()), None
x = torch.tensor([1.0, 2.0, 4.0, 7.0], dtype=torch.float64, requires_grad=True)
print(torch.autograd.gradcheck(Normalize.apply, (x,)))
y = Normalize.apply(x)
print(y, y.mean().abs() < 1e-9)
}}}
{{{
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 2
print(torch.autograd.grad(y, x, torch.ones_like(y), retain_graph=True))
print(torch.autograd.grad(y.sum(), x, create_graph=True, retain_graph=False)[0].requires_grad)
print(torch.autograd.grad(y, x, grad_outputs=[torch.ones(2)]))
}}}
{{{
torch.manual_seed(0)
X = torch.randn(10, 3)
true_w = torch.tensor([1.5, -2.0, 0.5])
y = X @ true_w
w = torch.zeros(3, requires_grad=True)
for epoch in range(100):
    pred = X @ w
    loss = torch.mean((pred - y) ** 2)
    grad_w, = torch.autograd.grad(loss, w)
    with torch.no_grad():
        w.sub_(0.1 * grad_w)
print(round(loss.item(), 6), w)
}}}
{{{
torch.manual_seed(0)
a = torch.randn(3, requires_grad=True)
b = torch.randn(3, requires_grad=True)
loss_a = (a * 2).sum()
loss_b = (a * b).sum()
ga, = torch.autograd.grad(loss_a, a, retain_graph=True)
gab = torch.autograd.grad(loss_b, [a, b])
print(ga, gab[0].equal(b), gab[1].equal(a))
}}}
'''

SNIPPETS = _split(_SRC)


@pytest.mark.parametrize("src", SNIPPETS, ids=[f"b{i:03d}" for i in range(len(SNIPPETS))])
def test_autograd2_snippet_matches_torch(src):
    _check(src)
