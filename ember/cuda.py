"""``ember.cuda``: reports no GPU until the CuPy backend lands; asking for one fails clearly."""


def _cupy():
    try:
        import cupy  # noqa: F401  (optional extra: ember[cuda])
    except ImportError:
        return None
    return cupy


def is_available():
    """True when CuPy is installed and sees at least one GPU."""
    cp = _cupy()
    if cp is None:
        return False
    try:
        return cp.cuda.runtime.getDeviceCount() > 0
    except Exception:
        return False


def device_count():
    cp = _cupy()
    if cp is None:
        return 0
    try:
        return cp.cuda.runtime.getDeviceCount()
    except Exception:
        return 0


class CudaUnavailableError(RuntimeError, AssertionError):
    """No CUDA backend. An AssertionError too, like PyTorch's "Torch not compiled with CUDA enabled"."""


def _lazy_init():
    if _cupy() is None:
        raise CudaUnavailableError(
            "ember was asked for a CUDA device, but the CUDA backend needs CuPy, which is not installed: "
            "install the extra with `pip install ember[cuda]` on a machine with an NVIDIA GPU")
    if not is_available():
        raise RuntimeError("Found no NVIDIA driver on your system: CuPy is installed but sees no GPU")
    raise RuntimeError("ember's CUDA backend is not implemented yet: tensors can only live on the CPU")


def manual_seed(seed):
    """Seeding the (absent) GPU generators is a no-op, as in PyTorch without CUDA."""


def manual_seed_all(seed):
    """Seeding the (absent) GPU generators is a no-op, as in PyTorch without CUDA."""


def synchronize(device=None):
    _lazy_init()


def current_device():
    _lazy_init()
