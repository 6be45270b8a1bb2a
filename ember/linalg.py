"""``ember.linalg``: PyTorch's ``torch.linalg`` core (norms, inv, det, solve, svdvals, products)."""
from .ops.linalg import LinAlgError, det, inv, matrix_norm, solve, svdvals  # noqa: F401
from .ops.linalg import linalg_norm as norm  # noqa: F401
from .ops.linalg import matmul, vecdot  # noqa: F401
from .ops.reduce import vector_norm  # noqa: F401
from .ops.misc import linalg_cross as cross  # noqa: F401,E402
from .ops.linalg_orth import householder_product, matrix_exp  # noqa: F401,E402
