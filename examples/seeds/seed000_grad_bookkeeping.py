"""Seed 000 (day 12 peer session): hooks and gradient bookkeeping, at the tensor and graph-node level.

The seed asks what the hooks are for and what happens without ``zero_grad()``.
Module hooks (register_forward_pre_hook / register_forward_hook /
register_full_backward_hook) build on the tensor and node hooks shown here.
"""
import ember as torch

torch.manual_seed(0)
w = torch.randn(3, requires_grad=True)
x = torch.tensor([1.0, 2.0, 3.0])

# 1. without zeroing, grads accumulate across backward calls
for step in range(3):
    loss = (w * x).sum()
    loss.backward()
    print("step", step, "w.grad =", w.grad)
w.grad = None

# 2. a tensor hook sees (and may replace) the grad flowing into a tensor
h = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
y = h * 2
y.register_hook(lambda g: print("grad into y:", g))
handle = h.register_hook(lambda g: g.clamp(min=-1, max=1))  # clip the leaf's grad
(y * torch.tensor([3.0, -4.0, 0.1])).sum().backward()
print("clipped h.grad:", h.grad)
handle.remove()

# 3. retain_grad keeps a non-leaf's grad; the post-accumulate hook fires once .grad is written
z = h.exp()
z.retain_grad()
h.register_post_accumulate_grad_hook(lambda t: print("accumulated, h.grad =", t.grad))
h.grad = None
z.sum().backward()
print("z.grad:", z.grad)

# 4. graph nodes: what backward will run, and hooks on a node
out = (h.sin() * 3).mean()
node = out.grad_fn
print(node.name(), [type(f).__name__ for f, _ in node.next_functions])
node.register_prehook(lambda grad_outputs: print("MeanBackward0 receives", grad_outputs[0]))
node.register_hook(lambda grad_inputs, grad_outputs: print("MeanBackward0 passes on", grad_inputs[0]))
out.backward()

# 5. autograd.grad returns grads without touching .grad; create_graph gives second derivatives
a = torch.tensor(2.0, requires_grad=True)
f = a ** 3
(df,) = torch.autograd.grad(f, a, create_graph=True)
(d2f,) = torch.autograd.grad(df, a)
print("f' =", df.item(), "f'' =", d2f.item(), "a.grad is", a.grad)
