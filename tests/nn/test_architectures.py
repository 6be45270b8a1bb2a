"""Whole architectures: the same model code built with ember and torch has the same state_dict (keys, order,
shapes), and with torch's weights loaded into ember gives the same outputs and parameter gradients."""
import numpy as np
import torch

import ember


def resnet(lib):
    nn, F = lib.nn, lib.nn.functional

    class BasicBlock(nn.Module):
        expansion = 1

        def __init__(self, inp, out, stride=1):
            super().__init__()
            self.conv1 = nn.Conv2d(inp, out, 3, stride, 1, bias=False)
            self.bn1 = nn.BatchNorm2d(out)
            self.conv2 = nn.Conv2d(out, out, 3, 1, 1, bias=False)
            self.bn2 = nn.BatchNorm2d(out)
            self.shortcut = nn.Sequential()
            if stride != 1 or inp != out:
                self.shortcut = nn.Sequential(nn.Conv2d(inp, out, 1, stride, bias=False), nn.BatchNorm2d(out))

        def forward(self, x):
            out = F.relu(self.bn1(self.conv1(x)))
            out = self.bn2(self.conv2(out))
            return F.relu(out + self.shortcut(x))

    class ResNet(nn.Module):
        def __init__(self, num_classes=10):
            super().__init__()
            self.conv1 = nn.Conv2d(3, 8, 3, 1, 1, bias=False)
            self.bn1 = nn.BatchNorm2d(8)
            self.layer1 = nn.Sequential(BasicBlock(8, 8), BasicBlock(8, 8))
            self.layer2 = nn.Sequential(BasicBlock(8, 16, 2), BasicBlock(16, 16))
            self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
            self.fc = nn.Linear(16, num_classes)

        def forward(self, x):
            x = F.relu(self.bn1(self.conv1(x)))
            x = self.layer2(self.layer1(x))
            return self.fc(lib.flatten(self.avgpool(x), 1))

    return ResNet()


def lstm_tagger(lib):
    nn = lib.nn

    class Tagger(nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = nn.Embedding(20, 6, padding_idx=0)
            self.lstm = nn.LSTM(6, 8, num_layers=2, bidirectional=True, batch_first=True)
            self.head = nn.Sequential(nn.Dropout(0.0), nn.Linear(16, 5))

        def forward(self, tokens):
            out, (h, c) = self.lstm(self.embed(tokens))
            return self.head(out), h, c

    return Tagger()


def _copy_torch_weights(t_model, e_model):
    sd = {k: ember.from_numpy(v.detach().numpy().copy()) for k, v in t_model.state_dict().items()}
    result = e_model.load_state_dict(sd)
    assert not result.missing_keys and not result.unexpected_keys


def _layout(model):
    return [(k, tuple(v.shape), str(v.dtype)) for k, v in model.state_dict().items()]


def _compare(e_model, t_model, e_in, t_in, train):
    e_model.train(train)
    t_model.train(train)
    e_out, t_out = e_model(e_in), t_model(t_in)
    e_out = e_out if isinstance(e_out, tuple) else (e_out,)
    t_out = t_out if isinstance(t_out, tuple) else (t_out,)
    for e, t in zip(e_out, t_out):
        np.testing.assert_allclose(e.detach().numpy(), t.detach().numpy(), rtol=1e-4, atol=1e-5)
    sum(o.square().sum() for o in e_out).backward()
    sum(o.square().sum() for o in t_out).backward()
    for (name, ep), tp in zip(e_model.named_parameters(), t_model.parameters()):
        assert (ep.grad is None) == (tp.grad is None), name
        if tp.grad is not None:
            np.testing.assert_allclose(ep.grad.numpy(), tp.grad.numpy(), rtol=1e-3, atol=1e-4, err_msg=name)
    for (name, eb), tb in zip(e_model.named_buffers(), t_model.buffers()):
        np.testing.assert_allclose(eb.numpy(), tb.numpy(), rtol=1e-5, atol=1e-6, err_msg=name)


def test_resnet_state_dict_layout_outputs_and_grads():
    e_model, t_model = resnet(ember), resnet(torch)
    assert _layout(e_model) == _layout(t_model)
    assert str(e_model) == str(t_model)
    _copy_torch_weights(t_model, e_model)
    x = np.random.default_rng(0).standard_normal((4, 3, 12, 12)).astype(np.float32)
    _compare(e_model, t_model, ember.from_numpy(x), torch.from_numpy(x), train=True)  # batch stats, running updates
    e_model.zero_grad()
    t_model.zero_grad()
    _compare(e_model, t_model, ember.from_numpy(x), torch.from_numpy(x), train=False)


def test_lstm_tagger_state_dict_layout_outputs_and_grads():
    e_model, t_model = lstm_tagger(ember), lstm_tagger(torch)
    assert _layout(e_model) == _layout(t_model)
    assert str(e_model) == str(t_model)
    _copy_torch_weights(t_model, e_model)
    tokens = np.random.default_rng(1).integers(0, 20, (3, 7))
    _compare(e_model, t_model, ember.from_numpy(tokens), torch.from_numpy(tokens), train=True)


def test_torch_checkpoint_of_resnet_loads_strictly_into_ember():
    t_model = resnet(torch)
    e_model = resnet(ember)
    sd = {k: ember.from_numpy(v.numpy().copy()) for k, v in t_model.state_dict().items()}
    e_model.load_state_dict(sd, strict=True)
    back = {k: v.numpy() for k, v in e_model.state_dict().items()}
    for k, v in t_model.state_dict().items():
        np.testing.assert_array_equal(back[k], v.numpy())
