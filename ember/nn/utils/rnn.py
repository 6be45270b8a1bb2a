"""Padding and packing of variable-length sequences (mirrors ``torch/nn/utils/rnn.py``).

A PackedSequence stores a batch of sequences sorted by decreasing length, time step by time step: ``data`` holds
step 0 of every sequence, then step 1 of every sequence still running, ...; ``batch_sizes[t]`` is how many
sequences are still running at step t. Everything here is composed from ember ops, so gradients flow through
packing and padding.
"""
from collections.abc import Iterable
from typing import NamedTuple

from ...ops.creation import arange, as_tensor, empty_like, full, tensor
from ...ops.join import cat, stack
from ...tensor import Tensor

__all__ = [
    "PackedSequence",
    "invert_permutation",
    "pack_padded_sequence",
    "pad_packed_sequence",
    "pad_sequence",
    "unpad_sequence",
    "pack_sequence",
    "unpack_sequence",
]


class PackedSequence_(NamedTuple):
    data: Tensor
    batch_sizes: Tensor
    sorted_indices: Tensor | None
    unsorted_indices: Tensor | None


def bind(optional, fn):
    return None if optional is None else fn(optional)


class PackedSequence(PackedSequence_):
    """Holds the data and ``batch_sizes`` of a packed batch of sequences (build it with ``pack_*``).

    Mirrors https://pytorch.org/docs/stable/generated/torch.nn.utils.rnn.PackedSequence.html
    """

    def __new__(cls, data, batch_sizes=None, sorted_indices=None, unsorted_indices=None):
        return super().__new__(cls, *_packed_sequence_init_args(data, batch_sizes, sorted_indices, unsorted_indices))

    def to(self, *args, **kwargs):
        data = self.data.to(*args, **kwargs)
        if data is self.data:
            return self
        sorted_indices = bind(self.sorted_indices, lambda t: t.to(data.device))
        unsorted_indices = bind(self.unsorted_indices, lambda t: t.to(data.device))
        return type(self)(data, self.batch_sizes, sorted_indices, unsorted_indices)

    def cpu(self, *args, **kwargs):
        kwargs["device"] = "cpu"
        return self.to(*args, **kwargs)

    def double(self):
        return self.to(dtype=_dtypes().float64)

    def float(self):
        return self.to(dtype=_dtypes().float32)

    def half(self):
        return self.to(dtype=_dtypes().float16)

    def long(self):
        return self.to(dtype=_dtypes().int64)

    def int(self):
        return self.to(dtype=_dtypes().int32)

    def short(self):
        return self.to(dtype=_dtypes().int16)

    def char(self):
        return self.to(dtype=_dtypes().int8)

    def byte(self):
        return self.to(dtype=_dtypes().uint8)

    @property
    def is_cuda(self):
        return self.data.is_cuda


def _dtypes():
    from ... import dtypes
    return dtypes


def _packed_sequence_init_args(data, batch_sizes=None, sorted_indices=None, unsorted_indices=None):
    if unsorted_indices is None:
        unsorted_indices = invert_permutation(sorted_indices)
    if batch_sizes is not None:
        return data, batch_sizes, sorted_indices, unsorted_indices
    if not (isinstance(data, (list, tuple)) and len(data) == 2):
        raise AssertionError("Expected data to be a list or tuple of length 2")
    return data[0], data[1], sorted_indices, unsorted_indices


def invert_permutation(permutation):
    """The permutation that undoes ``permutation`` (None stays None)."""
    if permutation is None:
        return None
    output = empty_like(permutation)
    output.scatter_(0, permutation, arange(0, permutation.numel(), device=permutation.device))
    return output


def _pack(input, lengths, batch_first):
    """``_VF._pack_padded_sequence``: (data, batch_sizes) from a padded, length-sorted batch."""
    if batch_first:
        input = input.transpose(0, 1)
    lens = [int(v) for v in lengths.tolist()]
    if lengths.dim() != 1:
        raise RuntimeError(f"'lengths' argument should be a 1D CPU int64 tensor, but got {lengths.dim()}D "
                           f"{lengths.device} {str(lengths.dtype).replace('torch.', '').capitalize()} tensor")
    batch_size = input.size(1)
    if len(lens) != batch_size:
        raise RuntimeError(f"Expected `len(lengths)` to be equal to batch_size, but got {len(lens)} "
                           f"(batch_size={batch_size})")
    if lens and lens[-1] <= 0:
        raise RuntimeError("Length of all samples has to be greater than 0, but found an element in 'lengths' "
                           "that is <= 0")
    for a, b in zip(lens, lens[1:]):
        if b > a:
            raise RuntimeError("`lengths` array must be sorted in decreasing order when `enforce_sorted` is True. "
                               "You can pass `enforce_sorted=False` to pack_padded_sequence and/or pack_sequence "
                               "to sidestep this requirement if you do not need ONNX exportability.")
    steps, sizes = [], []
    for t in range(lens[0] if lens else 0):
        bs = sum(1 for n in lens if n > t)
        steps.append(input[t, :bs])
        sizes.append(bs)
    return cat(steps, 0), tensor(sizes)


def pack_padded_sequence(input, lengths, batch_first=False, enforce_sorted=True):
    """Pack a padded batch of variable-length sequences.

    Mirrors https://pytorch.org/docs/stable/generated/torch.nn.utils.rnn.pack_padded_sequence.html
    """
    if not isinstance(lengths, Tensor):
        lengths = as_tensor(lengths, dtype=_dtypes().int64, device="cpu")
    else:
        lengths = lengths.to(dtype=_dtypes().int64)
    if enforce_sorted:
        sorted_indices = None
    else:
        from ...ops.sort import sort
        lengths, sorted_indices = sort(lengths, descending=True)
        sorted_indices = sorted_indices.to(input.device)
        input = input.index_select(0 if batch_first else 1, sorted_indices)
    data, batch_sizes = _pack(input, lengths, batch_first)
    return PackedSequence(data, batch_sizes, sorted_indices, None)


def pad_packed_sequence(sequence, batch_first=False, padding_value=0.0, total_length=None):
    """Inverse of ``pack_padded_sequence``: (padded batch, lengths).

    Mirrors https://pytorch.org/docs/stable/generated/torch.nn.utils.rnn.pad_packed_sequence.html
    """
    max_seq_length = sequence.batch_sizes.size(0)
    if total_length is not None:
        if total_length < max_seq_length:
            raise ValueError("Expected total_length to be at least the length of the longest sequence in input, but "
                             f"got total_length={total_length} and max sequence length being {max_seq_length}")
        max_seq_length = total_length
    data = sequence.data
    sizes = [int(v) for v in sequence.batch_sizes.tolist()]
    batch = sizes[0]
    trailing = tuple(data.shape[1:])
    rows, offset = [], 0
    for bs in sizes:
        step = data[offset:offset + bs]
        offset += bs
        if bs < batch:
            step = cat([step, full((batch - bs,) + trailing, padding_value, dtype=data.dtype, device=data.device)], 0)
        rows.append(step)
    padded = stack(rows, 0)
    if max_seq_length > len(sizes):
        pad = full((max_seq_length - len(sizes), batch) + trailing, padding_value, dtype=data.dtype,
                   device=data.device)
        padded = cat([padded, pad], 0)
    if batch_first:
        padded = padded.transpose(0, 1)
    lengths = tensor([sum(1 for bs in sizes if bs > b) for b in range(batch)])
    unsorted_indices = sequence.unsorted_indices
    if unsorted_indices is not None:
        return padded.index_select(0 if batch_first else 1, unsorted_indices), lengths[unsorted_indices.cpu()]
    return padded, lengths


def pad_sequence(sequences, batch_first=False, padding_value=0.0, padding_side="right"):
    """Stack sequences of shape (L_i, *) into (max L, B, *) (or (B, max L, *)), padding with ``padding_value``.

    Mirrors https://pytorch.org/docs/stable/generated/torch.nn.utils.rnn.pad_sequence.html
    """
    if not isinstance(sequences, Iterable):
        raise RuntimeError("pad_sequence: Expected iterable for input sequences, but got arg of type: "
                           f"{type(sequences)}")
    sequences = tuple(sequences)
    if padding_side not in ("left", "right"):
        raise RuntimeError(f"Expected padding_side to be one of left or right, but got {padding_side}.")
    if len(sequences) == 0:
        raise RuntimeError("received an empty list of sequences")
    max_len = max(s.size(0) for s in sequences)
    padded = []
    for s in sequences:
        n = max_len - s.size(0)
        if n:
            pad = full((n,) + tuple(s.shape[1:]), padding_value, dtype=s.dtype, device=s.device)
            s = cat([s, pad] if padding_side == "right" else [pad, s], 0)
        padded.append(s)
    return stack(padded, 0 if batch_first else 1)


def unpad_sequence(padded_sequences, lengths, batch_first=False):
    """Split a padded batch back into a list of its sequences.

    Mirrors https://pytorch.org/docs/stable/generated/torch.nn.utils.rnn.unpad_sequence.html
    """
    if not batch_first:
        padded_sequences.transpose_(0, 1)
    return [seq[:int(length)] for seq, length in zip(padded_sequences, lengths)]


def pack_sequence(sequences, enforce_sorted=True):
    """Pack a list of variable-length sequences.

    Mirrors https://pytorch.org/docs/stable/generated/torch.nn.utils.rnn.pack_sequence.html
    """
    lengths = as_tensor([v.size(0) for v in sequences])
    return pack_padded_sequence(pad_sequence(sequences), lengths, enforce_sorted=enforce_sorted)


def unpack_sequence(packed_sequences):
    """Inverse of ``pack_sequence``: the list of sequences.

    Mirrors https://pytorch.org/docs/stable/generated/torch.nn.utils.rnn.unpack_sequence.html
    """
    padded_sequences, lengths = pad_packed_sequence(packed_sequences, batch_first=True)
    return unpad_sequence(padded_sequences, lengths, batch_first=True)
