"""A dataset importable without torch, so spawned workers start fast (tests pickle it by reference)."""
import numpy as np

from ember.utils.data import Dataset


class SpawnItems(Dataset):
    def __len__(self):
        return 6

    def __getitem__(self, i):
        return np.full((2, 3), i, np.float32), i, f"s{i}"
