"""Seeds 000 (day 12: nn.Module, nn.Parameter, hooks, apply) and 001 (cs231n: "PyTorch nn: define new
Modules"): a two-layer net as a Module, what it registers, its state_dict, hooks, init with apply, freezing."""
from collections import OrderedDict

import ember as torch

nn = torch.nn

torch.manual_seed(0)


# 1. nn.Parameter vs a plain Tensor: only Parameters (and registered buffers) are the module's state
class Scale(nn.Module):
    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(torch.ones(3))  # learnable: in parameters() and state_dict()
        self.cache = torch.zeros(3)  # a plain attribute: neither
        self.register_buffer("count", torch.tensor(0))  # a buffer: in state_dict(), not in parameters()

    def forward(self, x):
        self.count += 1
        return x * self.w


s = Scale()
print([n for n, _ in s.named_parameters()], list(s.state_dict()), s.w.requires_grad, s.cache.requires_grad)
print(s.w)


# 2. cs231n: a new Module holding two Linear layers
class ReLU(nn.Module):
    def forward(self, x):
        return x.clamp(min=0)


class TwoLayerNet(nn.Module):
    def __init__(self, D_in, H, D_out):
        super().__init__()
        self.linear1 = nn.Linear(D_in, H)
        self.act = ReLU()
        self.linear2 = nn.Linear(H, D_out)

    def forward(self, x):
        return self.linear2(self.act(self.linear1(x)))


N, D_in, H, D_out = 16, 8, 6, 3
x = torch.randn(N, D_in)
y = torch.randn(N, D_out)
model = TwoLayerNet(D_in, H, D_out)
print(model)
print([name for name, _ in model.named_children()])
print([type(m).__name__ for m in model.modules()])
for name, p in model.named_parameters():
    print(name, tuple(p.shape), p.requires_grad)
for key, value in model.state_dict().items():
    print(key, value.shape)
print(model.linear1.weight[0])

# 3. training: zero_grad -> forward -> loss -> backward -> step (plain SGD on the parameters)
learning_rate = 1e-2
for t in range(30):
    model.zero_grad()
    loss = (model(x) - y).pow(2).sum()
    loss.backward()
    with torch.no_grad():
        for p in model.parameters():
            p -= learning_rate * p.grad
    if t % 10 == 9:
        print(t, f"{loss.item():.4f}")

# 4. hooks: before forward (inputs only), after forward (inputs and output), at backward (grads)
log = []
h1 = model.linear2.register_forward_pre_hook(lambda m, inp: log.append(("pre", tuple(inp[0].shape))))
h2 = model.linear2.register_forward_hook(lambda m, inp, out: log.append(("fwd", tuple(out.shape))))
h3 = model.linear2.register_full_backward_hook(
    lambda m, grad_in, grad_out: log.append(("bwd", tuple(grad_in[0].shape), round(grad_out[0].abs().sum().item(), 3))))
model(x).sum().backward()
for entry in log:
    print(*entry)
for h in (h1, h2, h3):
    h.remove()
model(x)
print(len(log), "hook calls; none after remove()")

# a forward hook may replace the output
with model.act.register_forward_hook(lambda m, inp, out: out * 0):
    print(model(x[:2]))


# 5. apply: visit every submodule (children first) and re-initialise the Linear layers
def init_weights(m):
    print("visit", type(m).__name__)
    if isinstance(m, nn.Linear):
        nn.init.xavier_uniform_(m.weight)
        nn.init.zeros_(m.bias)


torch.manual_seed(1)
model.apply(init_weights)
print(model.linear2.weight)
print(model.linear2.bias)

# 6. freezing: requires_grad_(False) on a submodule keeps its parameters out of backward
model.zero_grad()
model.linear1.requires_grad_(False)
(model(x) - y).pow(2).sum().backward()
for name, p in model.named_parameters():
    print(name, p.requires_grad, None if p.grad is None else tuple(p.grad.shape))

# 7. state_dict round trip, and the error for a mismatched checkpoint
clone = TwoLayerNet(D_in, H, D_out)
print(clone.load_state_dict(model.state_dict()))
print(torch.equal(clone.linear2.weight, model.linear2.weight))
bad = OrderedDict((k, v) for k, v in model.state_dict().items() if k != "linear2.bias")
bad["linear1.weight"] = torch.zeros(2, 2)
bad["extra"] = torch.zeros(1)
try:
    clone.load_state_dict(bad)
except RuntimeError as e:
    print(e)
print(clone.load_state_dict({"linear2.bias": torch.zeros(D_out)}, strict=False))

# the same net as an nn.Sequential
seq = nn.Sequential(OrderedDict([("linear1", nn.Linear(D_in, H)), ("act", ReLU()), ("linear2", nn.Linear(H, D_out))]))
seq.load_state_dict(model.state_dict())
print(seq)
print(torch.allclose(seq(x), model(x)), seq[0] is seq.linear1, len(seq), seq[-1])
