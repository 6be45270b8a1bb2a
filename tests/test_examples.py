"""Every seed walkthrough under examples/seeds prints what the same script prints with real PyTorch."""
import pathlib
import re
import subprocess
import sys

import pytest
import torch  # noqa: F401  (the oracle must be installed)

SEEDS = sorted((pathlib.Path(__file__).parent.parent / "examples" / "seeds").glob("*.py"))
_ADDR = re.compile(r"0x[0-9a-f]+")
_NUM = re.compile(r"-?\d+\.\d*(?:e[+-]?\d+)?|-?\d+e[+-]?\d+")


def _run(source):
    r = subprocess.run([sys.executable, "-c", source], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    return r.stdout


def _same(ours, theirs):
    """Equal text, except that numbers printed with a decimal point may differ in the last digits
    (NumPy's BLAS and PyTorch's sum in different orders)."""
    ours, theirs = _ADDR.sub("0x?", ours), _ADDR.sub("0x?", theirs)
    a, b = _NUM.split(ours), _NUM.split(theirs)
    assert a == b, f"outputs differ:\n--- ember ---\n{ours}\n--- torch ---\n{theirs}"
    for x, y in zip(_NUM.findall(ours), _NUM.findall(theirs)):
        assert abs(float(x) - float(y)) <= 1e-3 * max(1.0, abs(float(y))), f"{x} != {y}\n{ours}\n---\n{theirs}"


@pytest.mark.parametrize("path", SEEDS, ids=[p.stem for p in SEEDS])
def test_seed_example_matches_torch(path):
    src = path.read_text()
    torch_src = src.replace("import ember as torch", "import torch").replace("import ember.nn.functional as F",
                                                                            "import torch.nn.functional as F")
    torch_src = torch_src.replace("from ember.", "from torch.")
    assert torch_src != src
    _same(_run(src), _run(torch_src))
