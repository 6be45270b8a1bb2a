"""Seed 001 (cs231n, PyTorch Tensors): a two-layer net with hand-written forward and backward passes."""
import ember as torch

torch.manual_seed(0)
dtype = torch.float
N, D_in, H, D_out = 64, 100, 50, 10

x = torch.randn(N, D_in, dtype=dtype)
y = torch.randn(N, D_out, dtype=dtype)
w1 = torch.randn(D_in, H, dtype=dtype)
w2 = torch.randn(H, D_out, dtype=dtype)

learning_rate = 1e-6
for t in range(200):
    # forward pass
    h = x.mm(w1)
    h_relu = h.clamp(min=0)
    y_pred = h_relu.mm(w2)
    loss = (y_pred - y).pow(2).sum().item()
    if t % 20 == 19:
        print(t, f"{loss:.6g}")

    # backward pass by hand
    grad_y_pred = 2.0 * (y_pred - y)
    grad_w2 = h_relu.t().mm(grad_y_pred)
    grad_h_relu = grad_y_pred.mm(w2.t())
    grad_h = grad_h_relu.clone()
    grad_h[h < 0] = 0
    grad_w1 = x.t().mm(grad_h)

    w1 -= learning_rate * grad_w1
    w2 -= learning_rate * grad_w2
print(w1.shape, w2.dtype)
