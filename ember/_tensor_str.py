"""How tensors print: ``repr(t)`` / ``str(t)`` identical to PyTorch's output.

People paste tutorial output next to their own, so this mirrors the algorithm of
PyTorch's ``torch/_tensor_str.py`` rather than NumPy's array printing:

* big tensors (numel > threshold) are summarised first -- only ``edgeitems``
  rows/columns at each end of every long dimension are kept -- so printing
  a huge tensor formats at most a few thousand numbers;
* one formatter per tensor (two for complex: real and imaginary parts) picks
  integer mode (``1.``), fixed point or scientific notation and a column width
  from the *non-zero finite* values only, exactly like PyTorch (so ``nan``,
  ``inf`` and zeros do not widen the columns);
* numbers are rendered by Python's own ``%`` formatting (``np.char.mod``),
  which is what PyTorch ends up calling, so rounding is byte-identical;
* rows wrap at ``linewidth`` and suffixes (``dtype=``, ``grad_fn=`` ...) are
  appended with PyTorch's line-length bookkeeping, quirks included.
"""
import contextlib
import dataclasses
import math

import numpy as np

from . import dtypes as _dtypes

__all__ = ["set_printoptions", "get_printoptions", "printoptions"]


@dataclasses.dataclass
class _PrinterOptions:
    precision: int = 4
    threshold: float = 1000
    edgeitems: int = 3
    linewidth: int = 80
    sci_mode: "bool | None" = None


PRINT_OPTS = _PrinterOptions()

# profile -> (precision, threshold, edgeitems, linewidth), PyTorch's presets
_PROFILES = {
    "default": (4, 1000, 3, 80),
    "short": (2, 1000, 2, 80),
    "full": (4, math.inf, 3, 80),
}


def set_printoptions(precision=None, threshold=None, edgeitems=None, linewidth=None,
                     profile=None, sci_mode=None):
    """Set the options used when printing tensors (same semantics as ``torch.set_printoptions``).

    A ``profile`` ("default", "short", "full") is applied first, then any explicit
    option overrides it. As in PyTorch, ``sci_mode`` is always reset to the value
    passed (so omitting it goes back to automatic choice), and an unknown
    profile name is silently ignored.
    """
    if profile in _PROFILES:
        (PRINT_OPTS.precision, PRINT_OPTS.threshold,
         PRINT_OPTS.edgeitems, PRINT_OPTS.linewidth) = _PROFILES[profile]
    if precision is not None:
        PRINT_OPTS.precision = precision
    if threshold is not None:
        PRINT_OPTS.threshold = threshold
    if edgeitems is not None:
        PRINT_OPTS.edgeitems = edgeitems
    if linewidth is not None:
        PRINT_OPTS.linewidth = linewidth
    PRINT_OPTS.sci_mode = sci_mode


def get_printoptions():
    """The current print options as a dict that ``set_printoptions(**d)`` accepts."""
    return dataclasses.asdict(PRINT_OPTS)


@contextlib.contextmanager
def printoptions(**kwargs):
    """Temporarily change print options: ``with printoptions(precision=2): print(t)``."""
    saved = get_printoptions()
    set_printoptions(**kwargs)
    try:
        yield
    finally:
        set_printoptions(**saved)


# ----------------------------------------------------------------------------- formatting numbers

class _Formatter:
    """Chooses how the values of one real array print and how wide each column is.

    Built from the (summarised) values that will actually be printed.
    """

    def __init__(self, values, floating):
        self.floating = floating
        self.int_mode = True
        self.sci_mode = False
        self.width = 1
        flat = values.reshape(-1)
        if not floating:
            if flat.size:  # str() of every int / bool, as PyTorch measures them
                self.width = max(1, int(np.char.str_len(flat.astype(str)).max()))
            return

        flat = flat.astype(np.float64)
        nonzero = flat[np.isfinite(flat) & (flat != 0)]
        if nonzero.size == 0:  # only zeros / inf / nan: integer mode, width 1
            return
        mag = np.abs(nonzero)
        lo, hi = mag.min(), mag.max()
        self.int_mode = bool(np.all(nonzero == np.ceil(nonzero)))
        if PRINT_OPTS.sci_mode is None:
            with np.errstate(over="ignore"):  # hi / lo may overflow to inf: still "> 1000"
                self.sci_mode = bool(hi / lo > 1000.0 or hi > 1.0e8 or lo < 1.0e-4)
        else:
            self.sci_mode = PRINT_OPTS.sci_mode
        strs = self._render(nonzero)
        self.width = max(self.width, int(np.char.str_len(strs).max()))

    def _render(self, flat64):
        """Unpadded strings for a flat float64 array, in the chosen mode."""
        p = PRINT_OPTS.precision
        if self.sci_mode:
            return np.char.mod(f"%.{p}e", flat64)
        if self.int_mode:
            # a trailing "." marks the tensor as floating; inf / nan get none
            return np.char.add(np.char.mod("%.0f", flat64),
                               np.where(np.isfinite(flat64), ".", ""))
        return np.char.mod(f"%.{p}f", flat64)

    def format(self, values):
        """Right-justified strings for ``values`` (any shape; same shape back)."""
        flat = values.reshape(-1)
        strs = self._render(flat.astype(np.float64)) if self.floating else flat.astype(str)
        return np.char.rjust(strs, self.width).reshape(values.shape)


def _format_elements(values, dtype):
    """Formatted strings for every element and the printed width of one element.

    The width includes the ", " separator, as PyTorch counts it for wrapping.
    """
    if dtype.is_complex:
        real = _Formatter(values.real, True)
        imag = _Formatter(values.imag, True)
        re_s = real.format(values.real)
        im_s = np.char.lstrip(np.char.add(imag.format(values.imag), "j"))
        # imaginary part without its own sign ("2.j") needs an explicit "+"
        signed = np.char.startswith(im_s, "+") | np.char.startswith(im_s, "-")
        strs = np.char.add(np.char.add(re_s, np.where(signed, "", "+")), im_s)
        return strs, real.width + 2 + imag.width + 1
    fmt = _Formatter(values, dtype.is_floating_point)
    return fmt.format(values), fmt.width + 2


# ----------------------------------------------------------------------------- layout

def _summarise(data):
    """Keep ``edgeitems`` entries at both ends of every dimension longer than 2*edgeitems.

    Returns the kept values and, per dimension, whether entries were dropped
    (i.e. where a ``...`` goes). Uses one fancy-index, so no large copy is made.
    """
    e = PRINT_OPTS.edgeitems
    cut = [n > 2 * e for n in data.shape]
    index = [np.r_[0:e, n - e:n] if c else np.arange(n) for n, c in zip(data.shape, cut)]
    return data[np.ix_(*index)], cut


def _layout(strs, cut, indent, elem_len):
    """Nest the formatted strings in brackets; ``cut`` marks dims with a ``...``."""
    e = PRINT_OPTS.edgeitems
    if strs.ndim == 1:
        items = strs.tolist()
        if cut[0]:
            items = items[:e] + [" ..."] + items[e:]
        per_line = max(1, math.floor((PRINT_OPTS.linewidth - indent) / elem_len))
        lines = [", ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
        return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"
    parts = [_layout(sub, cut[1:], indent + 1, elem_len) for sub in strs]
    if cut[0]:
        parts.insert(e, "...")
    # sub-blocks of an N-d tensor are separated by N-1 newlines
    sep = "," + "\n" * (strs.ndim - 1) + " " * (indent + 1)
    return "[" + sep.join(parts) + "]"


def _tensor_str(data, dtype, indent):
    """The bracketed body of a tensor, e.g. ``[[1., 2.],\\n        [3., 4.]]``.

    ``data`` is the NumPy array, ``indent`` the column where the body starts.
    """
    if data.size == 0:
        return "[]"
    summarize = data.size > PRINT_OPTS.threshold
    if summarize and not PRINT_OPTS.edgeitems and data.ndim:
        return "[...]"
    if data.ndim and summarize:
        shown, cut = _summarise(data)
    else:
        shown, cut = data, [False] * data.ndim
    strs, elem_len = _format_elements(shown, dtype)
    if data.ndim == 0:
        return strs.item()
    return _layout(strs, cut, indent, elem_len)


def _add_suffixes(text, suffixes, indent, force_newline=False):
    """Append ``, suffix`` items and the closing ``)``, wrapping past ``linewidth``."""
    out = [text]
    # PyTorch's count (off by two when there is no newline); kept for identical wrapping
    last_line_len = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        if force_newline or last_line_len + len(suffix) + 2 > PRINT_OPTS.linewidth:
            out.append(",\n" + " " * indent + suffix)
            last_line_len = indent + len(suffix)
            force_newline = False
        else:
            out.append(", " + suffix)
            last_line_len += len(suffix) + 2
    out.append(")")
    return "".join(out)


def _grad_fn_name(grad_fn):
    name = getattr(grad_fn, "name", None)
    name = name() if callable(name) else type(grad_fn).__name__
    return name.rsplit("::", 1)[-1]  # PyTorch prints torch::autograd::NotImplemented as NotImplemented


def _str(self, *, tensor_contents=None, prefix="tensor("):
    """``repr`` of an ember Tensor, e.g. ``tensor([1., 2.], requires_grad=True)``.

    ``tensor_contents`` replaces the bracketed body (PyTorch's hook for
    subclasses); ``prefix`` lets a subclass print under another name.
    """
    data = self._data
    dtype = self.dtype
    indent = len(prefix)
    suffixes = []

    device = getattr(self, "device", None)
    if device is not None and device.type != "cpu":  # only non-default devices are shown
        suffixes.append("device='" + str(device) + "'")

    default = _dtypes.get_default_dtype()
    if data.size == 0:
        # numpy-style: the shape is only implied for 1-d "[]"
        if data.ndim != 1:
            suffixes.append("size=" + str(tuple(data.shape)))
        # no element shows whether it's int or float, so anything but the default is named
        if dtype is not default:
            suffixes.append("dtype=" + repr(dtype))
        body = "[]"
    else:
        if not PRINT_OPTS.edgeitems:  # "[...]" hides even the number of dims
            suffixes.append("size=" + str(tuple(data.shape)))
        # these four are what an unannotated literal would produce, so they go unnamed
        if dtype not in (default, _dtypes.default_complex(), _dtypes.int64, _dtypes.bool):
            suffixes.append("dtype=" + repr(dtype))
        body = None if tensor_contents is not None else _tensor_str(data, dtype, indent)
    if tensor_contents is not None:
        body = tensor_contents

    grad_fn = getattr(self, "grad_fn", None)
    if grad_fn is not None:
        suffixes.append(f"grad_fn=<{_grad_fn_name(grad_fn)}>")
    elif self.requires_grad:
        suffixes.append("requires_grad=True")

    return _add_suffixes(prefix + body, suffixes, indent)
