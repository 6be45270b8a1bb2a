"""Seed 001 (cs231n, PyTorch Autograd): the same net, gradients from loss.backward()."""
import ember as torch
from ember.autograd import Variable

torch.manual_seed(0)
N, D_in, H, D_out = 64, 100, 50, 10

# cs231n's 2017 slides wrap data in Variables; since PyTorch 0.4 a Variable is a Tensor
x = Variable(torch.randn(N, D_in), requires_grad=False)
y = Variable(torch.randn(N, D_out), requires_grad=False)
w1 = Variable(torch.randn(D_in, H), requires_grad=True)
w2 = Variable(torch.randn(H, D_out), requires_grad=True)

learning_rate = 1e-6
for t in range(200):
    y_pred = x.mm(w1).clamp(min=0).mm(w2)
    loss = (y_pred - y).pow(2).sum()
    if t % 20 == 19:
        print(t, f"{loss.item():.6g}")
    if w1.grad is not None:
        w1.grad.data.zero_()
        w2.grad.data.zero_()
    loss.backward()
    w1.data -= learning_rate * w1.grad.data
    w2.data -= learning_rate * w2.grad.data
print(loss.grad_fn, w1.grad.shape, w1.requires_grad, x.requires_grad)
