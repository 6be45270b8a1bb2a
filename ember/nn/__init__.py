"""``ember.nn``: Parameter, Module, containers and layers, ``functional`` and ``init`` (PyTorch's ``torch.nn``)."""
from . import functional, init  # noqa: F401
from .modules import (  # noqa: F401
    Bilinear, Container, Flatten, Identity, LazyLinear, Linear, Module, ModuleDict, ModuleList, ParameterDict,
    ParameterList, Sequential, Unflatten)
from .parameter import Buffer, Parameter, UninitializedBuffer, UninitializedParameter  # noqa: F401
from . import modules  # noqa: F401
