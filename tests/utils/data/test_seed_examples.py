"""The seeds' Dataset/DataLoader walkthroughs (000, 002, 003, 004) run with ``import ember as torch`` and print
exactly what they print with PyTorch (shuffles included: ember's generator reproduces torch's)."""
import contextlib
import io

import numpy as np
import pytest
import torch as real_torch

import ember


def _printed(walkthrough, lib):
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        walkthrough(lib)
    return buf.getvalue()


def seed_002_iris(torch):
    """Seed 002: a custom IrisDataset over scikit-learn's iris, then the DataLoader arguments one by one."""
    from sklearn.datasets import load_iris
    Dataset, DataLoader = torch.utils.data.Dataset, torch.utils.data.DataLoader

    class IrisDataset(Dataset):
        def __init__(self):
            iris = load_iris()
            self.X = iris["data"]
            self.y = iris["target"]
            self.feature_names = iris["feature_names"]
            self.target_names = iris["target_names"]

        def __len__(self):
            return len(self.X)

        def __getitem__(self, idx):
            X = torch.tensor(self.X[idx], dtype=torch.float)
            y = torch.tensor(self.y[idx], dtype=torch.long)
            return X, y

    dataset_iris = IrisDataset()
    print(len(dataset_iris), dataset_iris[0])
    print(next(iter(DataLoader(dataset_iris, batch_size=4))))
    torch.manual_seed(0)
    print(next(iter(DataLoader(dataset_iris, batch_size=4, shuffle=True))))
    loader = DataLoader(dataset_iris, batch_size=32, drop_last=True)
    print(len(loader), [tuple(x.shape) for x, _ in loader][-1])


def seed_002_collate_and_drop_last(torch):
    """Seed 002: a collate_fn that prints the batch before and after, then drop_last with a worker."""
    Dataset, DataLoader = torch.utils.data.Dataset, torch.utils.data.DataLoader

    class RandomDataset(Dataset):
        def __init__(self, tot_len=10):
            rs = np.random.RandomState(0)
            self.data = rs.rand(tot_len, 3).round(4).tolist()
            self.label = rs.randint(0, 2, tot_len).tolist()

        def __len__(self):
            return len(self.data)

        def __getitem__(self, i):
            return self.data[i], self.label[i]

    dataset_random = RandomDataset(tot_len=10)

    def collate_fn(batch):
        print("Original:\n", batch)
        print("-" * 100)
        data_list, label_list = [], []
        for _data, _label in batch:
            data_list.append(_data)
            label_list.append(_label)
        print("Collated:\n", [torch.Tensor(data_list), torch.LongTensor(label_list)])
        print("-" * 100)
        return torch.Tensor(data_list), torch.LongTensor(label_list)

    next(iter(DataLoader(dataset_random, collate_fn=collate_fn, batch_size=4)))
    for data, label in DataLoader(dataset_random, num_workers=1, batch_size=4):
        print(len(data))
    for data, label in DataLoader(dataset_random, num_workers=1, batch_size=4, drop_last=True):
        print(len(data))
    print(next(iter(DataLoader(dataset_random, batch_size=3))))


def seed_000_samplers(torch):
    """Seed 000's "which sampler when": each sampler, batch_sampler and sampler= in a DataLoader."""
    d = torch.utils.data
    ds = d.TensorDataset(torch.arange(10.0).view(10, 1), torch.arange(10))
    g = torch.Generator().manual_seed(7)
    print(list(d.SequentialSampler(ds)))
    print(list(d.RandomSampler(ds, generator=g)))
    print(list(d.RandomSampler(ds, replacement=True, num_samples=15, generator=g)))
    print(list(d.SubsetRandomSampler([1, 3, 5, 7], generator=g)))
    print(list(d.WeightedRandomSampler([0.1, 0.9, 0.4, 0.7, 3.0, 0.6], 5, replacement=True, generator=g)))
    print(list(d.BatchSampler(d.SequentialSampler(range(10)), batch_size=3, drop_last=False)))
    print(list(d.BatchSampler(d.SequentialSampler(range(10)), batch_size=3, drop_last=True)))
    print(list(d.distributed.DistributedSampler(ds, num_replicas=3, rank=1, seed=0)))
    print(list(d.DataLoader(ds, batch_sampler=d.BatchSampler(d.RandomSampler(ds, generator=g), 4, False))))
    print(list(d.DataLoader(ds, sampler=d.WeightedRandomSampler([1.0] * 5 + [5.0] * 5, 6, generator=g),
                            batch_size=3)))


def seed_003_kfold_subset(torch):
    """Seed 003: K-fold indices from scikit-learn, one Dataset, a Subset per fold."""
    from sklearn.model_selection import KFold
    d = torch.utils.data

    class MyDataset(d.Dataset):
        def __init__(self, img_paths):
            self.img_paths = img_paths

        def __len__(self):
            return len(self.img_paths)

        def __getitem__(self, i):
            return torch.tensor([float(len(self.img_paths[i]))]), self.img_paths[i]

    img_paths = np.array([f"img_{i}.jpg" for i in range(12)])
    train_dataset = MyDataset(img_paths)
    kf = KFold(5)
    for train_idx, valid_idx in kf.split(img_paths):
        train_subset = d.Subset(train_dataset, train_idx)
        valid_subset = d.Subset(train_dataset, valid_idx)
        print(len(train_subset), len(valid_subset), valid_subset[0])
        torch.manual_seed(1)
        for x, names in d.DataLoader(train_subset, batch_size=5, shuffle=True):
            print(x.shape, names)
        print(next(iter(d.DataLoader(valid_subset, batch_size=len(valid_subset)))))
    a, b = d.random_split(train_dataset, [0.75, 0.25], generator=torch.Generator().manual_seed(42))
    print(len(a), len(b), list(b.indices))


def seed_004_basics(torch):
    """Seed 004: Dataset with __init__/__len__/__getitem__, DataLoader(dataset, batch_size, shuffle)."""
    d = torch.utils.data

    class CustomDataset(d.Dataset):
        def __init__(self):
            self.x = np.arange(16, dtype=np.float32).reshape(8, 2)
            self.y = (np.arange(8) % 2).astype(np.float32)

        def __len__(self):
            return len(self.x)

        def __getitem__(self, idx):
            return torch.FloatTensor(self.x[idx]), torch.FloatTensor([self.y[idx]])

    dataset = CustomDataset()
    torch.manual_seed(3)
    for batch_idx, (x, y) in enumerate(d.DataLoader(dataset, batch_size=3, shuffle=True)):
        print(batch_idx, x, y)
    print(len(d.DataLoader(dataset, batch_size=3)), len(d.DataLoader(dataset, batch_size=3, drop_last=True)))


@pytest.mark.parametrize("walkthrough", [seed_002_iris, seed_002_collate_and_drop_last, seed_000_samplers,
                                         seed_003_kfold_subset, seed_004_basics], ids=lambda f: f.__name__)
def test_walkthrough_prints_what_torch_prints(walkthrough):
    ours = _printed(walkthrough, ember)
    theirs = _printed(walkthrough, real_torch)
    assert ours == theirs
    assert ours.strip()
