"""Containers against torch: Sequential, ModuleList, ModuleDict, ParameterList, ParameterDict (indexing,
mutation, key renumbering, reprs including folded repeats, errors)."""
from collections import OrderedDict

import pytest

import ember

from conftest import same, same_error


def seq(lib, n=4):
    lib.manual_seed(0)
    nn = lib.nn
    layers = [nn.Linear(2, 2), nn.Identity(), nn.Flatten(), nn.Linear(2, 3, bias=False), nn.Unflatten(1, (3, 1))]
    return nn.Sequential(*layers[:n])


def names(m):
    return [(k, type(v).__name__) for k, v in m._modules.items()]


def test_sequential_basics():
    def f(lib):
        s = seq(lib)
        out = [len(s), type(s[0]).__name__, type(s[-1]).__name__, type(s[1:3]).__name__, names(s[1:3]),
               names(s[::-1]), repr(s), [type(m).__name__ for m in s]]
        y = s(lib.ones(1, 2))
        out.append(y.detach().numpy().tolist())
        return out
    same(f)


def test_sequential_ordereddict_and_repr():
    def f(lib):
        nn = lib.nn
        lib.manual_seed(0)
        s = nn.Sequential(OrderedDict([("conv", nn.Linear(1, 1)), ("act", nn.Identity())]))
        empty = nn.Sequential()
        return repr(s), repr(empty), s.conv is s[0], names(s), empty(5)
    same(f)


def test_sequential_mutation():
    def f(lib):
        nn = lib.nn
        s = seq(lib)
        out = []
        s.append(nn.Flatten(0))
        out.append(names(s))
        s.insert(1, nn.Unflatten(1, (2, 1)))
        s.insert(-1, nn.Identity())
        out.append(names(s))
        del s[2]
        out.append(names(s))
        del s[1:3]
        out.append(names(s))
        popped = s.pop(0)
        out.append((type(popped).__name__, names(s)))
        s[-1] = nn.Linear(1, 1)
        out.append(names(s))
        s.extend([nn.Identity(), nn.Identity()])
        out.append(names(s))
        t = s + seq(lib, 2)
        out.append((type(t).__name__, names(t)))
        s += seq(lib, 1)
        out.append(names(s))
        m = seq(lib, 2) * 2
        out.append((names(m), m[0] is m[2]))
        r = 2 * seq(lib, 1)
        out.append(names(r))
        k = seq(lib, 2)
        k *= 3
        out.append(names(k))
        return out
    same(f)


@pytest.mark.parametrize("code", ["s[5]", "s[-6]", "s['a']", "s + 1", "s += [1]", "s * 0", "s * 1.5",
                                  "s.insert(9, lib.nn.Identity())", "s.insert(0, 3)", "s.append(3)",
                                  "del s[7]", "s[1] = 3", "s.pop(10)", "s *= 0"])
def test_sequential_errors(code):
    def f(lib):
        s = seq(lib)
        exec(code, {"s": s, "lib": lib})
    same_error_modpath(f)


def same_error_modpath(fn):
    """Same class and message, but classes print under ember's module path (``<class 'ember.nn...'>``)."""
    msg = same_error(fn, exact=False)
    with pytest.raises(Exception) as e:
        fn(ember)
    assert str(e.value).replace("'ember.", "'torch.") == msg


def test_sequential_dir_hides_indices():
    same(lambda lib: [k for k in dir(seq(lib)) if k.isdigit() or k in ("append", "forward")])


def test_modulelist():
    def f(lib):
        nn = lib.nn
        lib.manual_seed(0)
        ml = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)])
        out = [len(ml), repr(ml), type(ml[1:]).__name__, len(ml[1:]), type(ml[-1]).__name__]
        ml.append(nn.Identity())
        ml.extend([nn.Identity(), nn.Flatten()])
        ml.insert(1, nn.Flatten())
        out.append(names(ml))
        out.append(repr(ml))
        del ml[0]
        out.append(names(ml))
        del ml[::2]
        out.append(names(ml))
        out.append(type(ml.pop(-1)).__name__)
        ml[0] = nn.Linear(1, 1)
        ml += [nn.Identity()]
        out.append(names(ml))
        out.append(names(ml + nn.ModuleList([nn.Flatten()])))
        out.append([n for n, _ in nn.Sequential(ml).named_parameters()])
        out.append(repr(nn.ModuleList()))
        return out
    same(f)


def test_modulelist_repr_folds_repeats_nested():
    def f(lib):
        nn = lib.nn
        block = lambda: nn.Sequential(nn.Linear(2, 2), nn.Identity())  # noqa: E731
        ml = nn.ModuleList([block(), block(), nn.Flatten(), nn.Flatten(), nn.Flatten(), block()])
        outer = nn.Sequential(OrderedDict(blocks=ml, head=nn.Linear(2, 1)))
        return repr(outer)
    same(f)


@pytest.mark.parametrize("code", ["ml[3]", "ml[-4]", "ml.extend(3)", "ml[5] = lib.nn.Identity()", "ml.append(2)",
                                  "lib.nn.ModuleList(3)", "del ml[3]"])
def test_modulelist_errors(code):
    def f(lib):
        ml = lib.nn.ModuleList([lib.nn.Identity() for _ in range(3)])
        exec(code, {"ml": ml, "lib": lib})
    same_error(f)


def test_moduledict():
    def f(lib):
        nn = lib.nn
        lib.manual_seed(0)
        md = nn.ModuleDict({"b": nn.Linear(1, 1), "a": nn.Identity()})
        out = [list(md), list(md.keys()), [type(v).__name__ for v in md.values()], "a" in md, len(md), repr(md)]
        md["c"] = nn.Flatten()
        md.update([("d", nn.Identity()), ("a", nn.Flatten())])
        md.update(nn.ModuleDict({"e": nn.Identity()}))
        out.append([(k, type(v).__name__) for k, v in md.items()])
        out.append(type(md.pop("b")).__name__)
        del md["c"]
        out.append(list(md))
        md.clear()
        out.append(len(md))
        return out
    same(f)


@pytest.mark.parametrize("code", ["md['zz']", "md.update(3)", "md.update([1])", "md.update([(1, 2, 3)])",
                                  "md['x'] = 3", "md['a.b'] = lib.nn.Identity()", "md.pop('q')"])
def test_moduledict_errors(code):
    def f(lib):
        md = lib.nn.ModuleDict({"a": lib.nn.Identity()})
        exec(code, {"md": md, "lib": lib})
    same_error(f)


def test_parameterlist():
    def f(lib):
        nn = lib.nn
        pl = nn.ParameterList([nn.Parameter(lib.ones(2, 3)), lib.zeros(3, dtype=lib.float64), 5, "s"])
        out = [len(pl), repr(pl), [type(p).__name__ for p in pl], list(dict(pl.named_parameters()))]
        pl.append(lib.ones(1))
        pl.extend([lib.ones(4)])
        pl[0] = lib.zeros(1)
        out.append([type(p).__name__ for p in pl])
        out.append(repr(pl[1:3]))
        out.append(repr(pl))
        out.append(list(nn.Sequential(nn.Identity()).state_dict()))
        return out
    same(f)


@pytest.mark.parametrize("code", ["pl[4]", "pl.extend(lib.ones(2))", "pl.extend(3)", "pl(1)"])
def test_parameterlist_errors(code):
    def f(lib):
        pl = lib.nn.ParameterList([lib.nn.Parameter(lib.ones(1))])
        exec(code, {"pl": pl, "lib": lib})
    same_error(f)


def test_parameterdict():
    def f(lib):
        nn = lib.nn
        pd = nn.ParameterDict({"b": nn.Parameter(lib.ones(2, 3)), "a": lib.zeros(3, dtype=lib.float64), "c": 7})
        out = [list(pd), repr(pd), [type(v).__name__ for v in pd.values()], "a" in pd, len(pd),
               list(dict(pd.named_parameters()))]
        pd["d"] = lib.ones(1)
        pd.update(OrderedDict(z=lib.ones(1), y=lib.ones(1)))
        pd.update([("x", lib.ones(2))])
        out.append(list(pd))
        out.append(type(pd.pop("a")).__name__)
        out.append(pd.popitem()[0])
        out.append(pd.get("nope", 3))
        out.append(type(pd.setdefault("s", lib.ones(1))).__name__)
        out.append(list(reversed(pd)))
        cp = pd.copy()
        out.append((list(cp), cp["b"] is pd["b"]))
        merged = pd | nn.ParameterDict({"m": lib.ones(1)})
        out.append(list(merged))
        pd |= nn.ParameterDict({"n": lib.ones(1)})
        out.append(list(pd))
        out.append(list(pd.fromkeys(["p", "q"])))
        pd.clear()
        out.append(len(pd))
        return out
    same(f)


@pytest.mark.parametrize("code", ["pd['zz']", "pd[1]", "pd.update(3)", "pd.update([1])", "pd.update([(1, 2, 3)])",
                                  "pd(1)", "del pd['q']"])
def test_parameterdict_errors(code):
    def f(lib):
        pd = lib.nn.ParameterDict({"a": lib.nn.Parameter(lib.ones(1))})
        exec(code, {"pd": pd, "lib": lib})
    same_error(f)


def test_container_state_dict_keys():
    def f(lib):
        nn = lib.nn
        m = nn.Module()
        m.seq = seq(lib)
        m.ml = nn.ModuleList([nn.Linear(1, 1), nn.Linear(1, 1, bias=False)])
        m.md = nn.ModuleDict({"z": nn.Linear(1, 1), "a": nn.Identity()})
        m.pl = nn.ParameterList([lib.ones(1), lib.ones(2)])
        m.pd = nn.ParameterDict({"w": lib.ones(1)})
        return [(k, tuple(v.shape)) for k, v in m.state_dict().items()], repr(m)
    same(f)
