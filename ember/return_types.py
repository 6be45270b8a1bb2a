"""Named result tuples of ops such as ``max(dim)``, ``sort`` and ``linalg.svd``.

PyTorch returns C "structseq" objects: tuple subclasses whose fields can also
be read by name (``r.values``) and whose repr is one ``name=value`` per line::

    torch.return_types.max(
    values=tensor([5., 4.]),
    indices=tensor([1, 2]))

The classes below behave the same way (equal to and hashed like plain tuples,
slicing gives a plain tuple, no ``_fields``, picklable). Their repr says
``torch.return_types.`` on purpose: code runs as ``import ember as torch``
and printed output is compared with PyTorch's.
"""
import operator

# name -> field names, as in torch.return_types (PyTorch 2.13)
_FIELDS = {
    "aminmax": ("min", "max"),
    "cummax": ("values", "indices"),
    "cummin": ("values", "indices"),
    "frexp": ("mantissa", "exponent"),
    "geqrf": ("a", "tau"),
    "histogram": ("hist", "bin_edges"),
    "histogramdd": ("hist", "bin_edges"),
    "kthvalue": ("values", "indices"),
    "linalg_cholesky_ex": ("L", "info"),
    "linalg_eig": ("eigenvalues", "eigenvectors"),
    "linalg_eigh": ("eigenvalues", "eigenvectors"),
    "linalg_inv_ex": ("inverse", "info"),
    "linalg_ldl_factor": ("LD", "pivots"),
    "linalg_ldl_factor_ex": ("LD", "pivots", "info"),
    "linalg_lstsq": ("solution", "residuals", "rank", "singular_values"),
    "linalg_lu": ("P", "L", "U"),
    "linalg_lu_factor": ("LU", "pivots"),
    "linalg_lu_factor_ex": ("LU", "pivots", "info"),
    "linalg_qr": ("Q", "R"),
    "linalg_slogdet": ("sign", "logabsdet"),
    "linalg_solve_ex": ("result", "info"),
    "linalg_svd": ("U", "S", "Vh"),
    "lu_unpack": ("P", "L", "U"),
    "max": ("values", "indices"),
    "median": ("values", "indices"),
    "min": ("values", "indices"),
    "mode": ("values", "indices"),
    "nanmedian": ("values", "indices"),
    "qr": ("Q", "R"),
    "slogdet": ("sign", "logabsdet"),
    "sort": ("values", "indices"),
    "svd": ("U", "S", "V"),
    "topk": ("values", "indices"),
    "triangular_solve": ("solution", "cloned_coefficient"),
}


class _StructSeq(tuple):
    """Base of every result type; subclasses only add ``_name`` and field properties."""

    __slots__ = ()
    _name = "structseq"
    n_fields = n_sequence_fields = 0
    n_unnamed_fields = 0

    def __new__(cls, *args):
        # PyTorch's form is cls((a, b)); ops inside ember may also call cls(a, b)
        if len(args) == 1:
            try:
                items = tuple(args[0])
            except TypeError:
                raise TypeError("constructor requires a sequence") from None
        else:
            items = args
        if len(items) != cls.n_fields:
            raise TypeError(f"torch.return_types.{cls._name}() takes a {cls.n_fields}-sequence "
                            f"({len(items)}-sequence given)")
        return super().__new__(cls, items)

    def __repr__(self):
        body = ",\n".join(f"{f}={v!r}" for f, v in zip(self.__match_args__, self))
        return f"torch.return_types.{self._name}(\n{body})"

    def __reduce__(self):
        return (type(self), (tuple(self),))


def _make(name, fields):
    """One result class: a ``_StructSeq`` with a read-only property per field."""
    ns = {f: property(operator.itemgetter(i), doc=f"field {i}") for i, f in enumerate(fields)}
    ns.update(__slots__=(), __match_args__=fields, _name=name, n_fields=len(fields),
              n_sequence_fields=len(fields), __module__=__name__, __qualname__=name)
    return type(name, (_StructSeq,), ns)


__all__ = []
all_return_types = []
for _name, _fields in _FIELDS.items():
    # the *_out twins are what the out= variants return in PyTorch (histogramdd has none)
    for _n in (_name,) if _name == "histogramdd" else (_name, _name + "_out"):
        globals()[_n] = _make(_n, _fields)
        __all__.append(_n)
        all_return_types.append(globals()[_n])
del _name, _fields, _n
