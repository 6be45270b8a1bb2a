"""Memory layouts: memory_format objects, *_like/clone/contiguous keeping or choosing a layout, and random
fills walking a strided tensor in memory order (so the same seed gives torch's values)."""
import pickle

import pytest

import ember
from conftest import same, same_error

BASES = ["empty(40, 30).t()", "empty(4, 5, 6).permute(2, 0, 1)", "empty(8, 6)[:, ::2]", "empty(10, 1, 3).transpose(0, 2)",
         "empty(2, 3, 4, 5).contiguous(memory_format=lib.channels_last)"]


@pytest.mark.parametrize("fill", ["uniform_()", "uniform_(-2, 3)", "normal_(1, 2)", "bernoulli_(0.3)", "random_(0, 10)",
                                  "random_()", "exponential_(2.0)"])
@pytest.mark.parametrize("base", BASES)
def test_random_fill_of_strided_tensor_walks_memory_order(fill, base):
    def f(lib):
        lib.manual_seed(0)
        x = eval(f"lib.{base}", {"lib": lib})
        if "random_()" in fill:
            x = x.long()
        return eval(f"x.{fill}", {"x": x})
    same(f)


@pytest.mark.parametrize("fn", ["rand_like(x)", "randn_like(x)", "randint_like(x, 10)", "randint_like(x, 3, 10)",
                                "zeros_like(x)", "ones_like(x)", "full_like(x, 7)", "empty_like(x).fill_(1)",
                                "ones_like(x, memory_format=lib.contiguous_format)",
                                "rand_like(x, dtype=lib.float64)"])
@pytest.mark.parametrize("base", BASES)
def test_like_factories_keep_the_layout_and_draw_like_torch(fn, base):
    def f(lib):
        lib.manual_seed(0)
        x = eval(f"lib.{base}", {"lib": lib})
        r = eval(f"lib.{fn}", {"lib": lib, "x": x})
        return r, r.stride(), r.is_contiguous()
    same(f)


@pytest.mark.parametrize("expr", [
    "lib.empty_like(lib.empty(2, 3, 4, 5), memory_format=lib.channels_last).stride()",
    "lib.empty(2, 3, 4, 5).contiguous(memory_format=lib.channels_last).stride()",
    "lib.empty(2, 3, 4, 5).contiguous(memory_format=lib.channels_last).is_contiguous(memory_format=lib.channels_last)",
    "lib.empty(2, 3, 4, 5).contiguous(memory_format=lib.channels_last).is_contiguous()",
    "lib.empty(2, 3, 4, 5).contiguous(memory_format=lib.channels_last).contiguous().stride()",
    "lib.empty(2, 3, 4, 5).clone(memory_format=lib.channels_last).stride()",
    "lib.empty(2, 3, 4, 5, 6).contiguous(memory_format=lib.channels_last_3d).stride()",
    "lib.empty(2, 3, 4, 5).permute(0, 2, 3, 1).clone().stride()",
    "lib.empty(2, 3, 4, 5).is_contiguous(memory_format=lib.channels_last)",
    "lib.empty(2, 3, 4, 5).is_contiguous(memory_format=lib.preserve_format)",
    "[repr(lib.channels_last), repr(lib.contiguous_format), repr(lib.preserve_format), repr(lib.strided)]",
    "lib.empty(3, 4).t().clone().stride()",
    "lib.empty(3, 4).t().clone(memory_format=lib.contiguous_format).stride()",
])
def test_memory_formats(expr):
    same(lambda lib: eval(expr, {"lib": lib}))


def test_channels_last_needs_rank_4():
    same_error(lambda lib: lib.empty(2, 3, 4).contiguous(memory_format=lib.channels_last))
    same_error(lambda lib: lib.empty_like(lib.empty(2, 3), memory_format=lib.channels_last_3d))


def test_memory_format_objects_pickle_as_singletons():
    assert pickle.loads(pickle.dumps(ember.channels_last)) is ember.channels_last
    assert isinstance(ember.contiguous_format, ember.memory_format) and isinstance(ember.strided, ember.layout)


@pytest.mark.parametrize("fn", ["dropout(x, 0.4)", "alpha_dropout(x, 0.3, True)", "dropout2d(x, 0.5)"])
def test_dropout_of_a_transposed_input_draws_like_torch(fn):
    def f(lib):
        lib.manual_seed(0)
        x = lib.arange(120.).reshape(4, 6, 5).transpose(0, 1)
        return eval(f"lib.nn.functional.{fn}", {"lib": lib, "x": x})
    same(f)
