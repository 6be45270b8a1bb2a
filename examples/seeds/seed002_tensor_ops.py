"""Seed 002 (PyTorch Basics_01): tensors from NumPy, mm vs matmul, softmax, argmax, one_hot, autograd, max."""
import numpy as np

import ember as torch
import ember.nn.functional as F

torch.manual_seed(0)

# Tensor from a NumPy array
n_array = np.arange(10).reshape(2, 5)
print(n_array)
t_array = torch.FloatTensor(n_array)
print(t_array)
print(n_array.shape)
print(t_array.shape)

# mm & matmul
n2 = np.arange(10).reshape(5, 2)
t2 = torch.FloatTensor(n2)
n1 = np.arange(10).reshape(2, 5)
t1 = torch.FloatTensor(n1)
print(t1.mm(t2))
a = torch.rand(5, 2, 3)
b = torch.rand(3)
try:
    a.mm(b)
except RuntimeError as e:
    print("RuntimeError:", e)
print(a.matmul(b))

# softmax
tensor = torch.FloatTensor([0.5, 0.7, 0.1])
h_tensor = F.softmax(tensor, dim=0)
print(h_tensor)

# argmax
a = torch.randn(4, 4)
print(a)
print(torch.argmax(a))

# one_hot
a = torch.arange(0, 5) % 3
print(a)
print(F.one_hot(a))
print(F.one_hot(torch.arange(0, 5) % 3, num_classes=5))
print(F.one_hot(torch.arange(0, 6).view(3, 2) % 3))

# autograd
w = torch.tensor(2.0, requires_grad=True)
y = w ** 2
z = 10 * y + 2
z.backward()
print(w.grad)

# from_numpy, zeros, zeros_like, max
temp = np.arange(30).reshape(2, 3, 5)
print(temp)
d = torch.from_numpy(temp)
print(d)
print(torch.zeros(2, 3))
print(torch.zeros_like(d))
print(torch.max(d))
print(torch.max(d, 0))
print(torch.max(d, 1))
print(torch.max(d, 2))
d32 = torch.from_numpy(temp.astype(np.int32))
print(torch.max(d32, 2))

# counting correct predictions
a = torch.tensor([0, 1, 2, 3, 4, 5])
b = torch.tensor([0, 1, 2, 3, 6, 7])
print(a == b)
print((a == b).sum())
print((a == b).sum().item())
