"""``ember.nn``: Parameter, Module, containers and layers, ``functional`` and ``init`` (PyTorch's ``torch.nn``)."""
from . import functional, init  # noqa: F401
from .modules import (  # noqa: F401
    Bilinear, Container, Flatten, Identity, LazyLinear, Linear, Module, ModuleDict, ModuleList, ParameterDict,
    ParameterList, Sequential, Unflatten)
from .parameter import Buffer, Parameter, UninitializedBuffer, UninitializedParameter  # noqa: F401
from .modules.activation import *  # noqa: E402,F401,F403  the layers: each file's __all__, as torch.nn does
from .modules.conv import *  # noqa: E402,F401,F403
from .modules.distance import *  # noqa: E402,F401,F403
from .modules.fold import *  # noqa: E402,F401,F403
from .modules.loss import *  # noqa: E402,F401,F403
from .modules.padding import *  # noqa: E402,F401,F403
from .modules.pixelshuffle import *  # noqa: E402,F401,F403
from .modules.pooling import *  # noqa: E402,F401,F403
from .modules.upsampling import *  # noqa: E402,F401,F403
from .modules.batchnorm import *  # noqa: E402,F401,F403
from .modules.dropout import *  # noqa: E402,F401,F403
from .modules.instancenorm import *  # noqa: E402,F401,F403
from .modules.normalization import *  # noqa: E402,F401,F403
from .modules.sparse import *  # noqa: E402,F401,F403
from .modules.rnn import *  # noqa: E402,F401,F403
from .modules.attention import *  # noqa: E402,F401,F403
from .modules.transformer import *  # noqa: E402,F401,F403
from . import modules  # noqa: F401
from . import utils  # noqa: E402,F401
