"""Removable handles for hooks kept in dicts (tensor hooks, later module hooks)."""
import itertools
import warnings
import weakref

_ids = itertools.count()


class RemovableHandle:
    """A handle that removes its hook from the dict(s) it was registered in."""

    def __init__(self, hooks_dict, *, extra_dict=None):
        self.hooks_dict_ref = weakref.ref(hooks_dict)
        self.id = next(_ids)
        self.extra_dict_ref = () if extra_dict is None else tuple(
            weakref.ref(d) for d in (extra_dict if isinstance(extra_dict, list) else [extra_dict]))

    def remove(self):
        d = self.hooks_dict_ref()
        if d is not None and self.id in d:
            del d[self.id]
        for ref in self.extra_dict_ref:
            e = ref()
            if e is not None and self.id in e:
                del e[self.id]

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


_scalar_warned = []


def warn_scalar_once():
    """float()/complex() of a tensor requiring grad: PyTorch's warning, once per process as TORCH_WARN_ONCE."""
    if _scalar_warned:
        return
    _scalar_warned.append(True)
    warnings.warn("Converting a tensor with requires_grad=True to a scalar may lead to unexpected behavior.\n"
                  "Consider using tensor.detach() first.", UserWarning, stacklevel=3)


class BackwardHook:
    """A module's full backward (pre-)hooks, run from identity autograd nodes around its inputs and outputs.

    ``setup_input_hook`` passes the module's tensor inputs through an identity Function; a hook on that node
    sees the grads w.r.t. the inputs (grad_input). ``setup_output_hook`` does the same for the outputs, whose
    node sees grad_output first. Mirrors ``torch.utils.hooks.BackwardHook``.
    """

    def __init__(self, module, user_hooks, user_pre_hooks):
        self.user_hooks = user_hooks
        self.user_pre_hooks = user_pre_hooks
        self.module = module
        self.grad_outputs = None
        self.n_outputs = -1
        self.output_tensors_index = None
        self.n_inputs = -1
        self.input_tensors_index = None

    def _pack_with_none(self, indices, values, size):
        res = [None] * size
        for idx, val in zip(indices, values):
            res[idx] = val
        return tuple(res)

    def _unpack_none(self, indices, values):
        return tuple(values[idx] for idx in indices)

    def _set_user_hook(self, grad_fn):
        def hook(grad_input, _):
            if self.grad_outputs is None:
                # the output side never ran (the module's outputs got no grad): torch skips the user hooks
                return None
            res = self._pack_with_none(self.input_tensors_index, grad_input, self.n_inputs)
            for hook in self.user_hooks:
                out = hook(self.module, res, self.grad_outputs)
                if out is None:
                    continue
                if len(out) != len(res):
                    raise RuntimeError(f"Backward hook returned an invalid number of grad_input, got {len(out)}, but "
                                       f"expected {len(res)}")
                res = out
            self.grad_outputs = None
            return self._unpack_none(self.input_tensors_index, res)
        grad_fn.register_hook(hook)

    def _apply_on_tensors(self, fn, args):
        from ..autograd.grad_mode import is_grad_enabled
        from ..nn.modules._functions import BackwardHookFunction
        from ..tensor import Tensor
        tensors_idx = []
        tensors = []
        requires_grad = False
        for i, arg in enumerate(args):
            if isinstance(arg, Tensor):
                tensors_idx.append(i)
                tensors.append(arg)
                requires_grad |= arg.requires_grad
        if not (requires_grad and is_grad_enabled()):
            return args, None
        # NOTE: only the tensors that require grad go through the identity node; the others keep their object
        # (torch marks them non-differentiable, which is the same: they get no grad, the hook sees None)
        diff = [k for k, t in enumerate(tensors) if t.requires_grad]
        passed = BackwardHookFunction.apply(*[tensors[k] for k in diff])
        if not isinstance(passed, tuple):
            passed = (passed,)
        new_tensors = list(tensors)
        for k, t in zip(diff, passed):
            new_tensors[k] = t
        grad_fn = passed[0].grad_fn
        fn(grad_fn, [tensors_idx[k] for k in diff], dict(zip(tensors_idx, tensors)))
        arg_list = list(args)
        for idx, val in zip(tensors_idx, new_tensors):
            arg_list[idx] = val
        out = tuple(arg_list) if type(args) is tuple else type(args)(*arg_list)
        return out, tensors_idx

    def setup_input_hook(self, args):
        """Wrap the module's inputs; returns the args forward should see."""
        def fn(grad_fn, diff_idx, by_pos):
            self._set_user_hook(_Scatter(grad_fn, diff_idx, by_pos))

        res, input_idx = self._apply_on_tensors(fn, args)
        self.n_inputs = len(args)
        self.input_tensors_index = input_idx
        return res

    def setup_output_hook(self, args):
        """Wrap the module's outputs; returns the output the caller should see."""
        def fn(grad_fn, diff_idx, by_pos):
            def hook(grad_input, grad_output):
                self.grad_outputs = self._pack_with_none(diff_idx, grad_output, self.n_outputs)
                if self.user_pre_hooks:
                    expected_len = len(self.grad_outputs)
                    for user_pre_hook in self.user_pre_hooks:
                        hook_grad_outputs = user_pre_hook(self.module, self.grad_outputs)
                        if hook_grad_outputs is None:
                            continue
                        actual_len = len(hook_grad_outputs)
                        if actual_len != expected_len:
                            raise RuntimeError("Backward pre hook returned an invalid number of grad_output, got "
                                               f"{actual_len}, but expected {expected_len}")
                        self.grad_outputs = hook_grad_outputs
                local_grad_outputs = self.grad_outputs
                if self.input_tensors_index is None:
                    warnings.warn("Full backward hook is firing when gradients are computed with respect to module "
                                  "outputs since no inputs require gradients. See https://docs.pytorch.org/docs/main/"
                                  "generated/torch.nn.Module.html#torch.nn.Module.register_full_backward_hook for "
                                  "more details.", stacklevel=5)
                    grad_inputs = self._pack_with_none([], [], self.n_inputs)
                    for user_hook in self.user_hooks:
                        res = user_hook(self.module, grad_inputs, self.grad_outputs)
                        if res is not None and not (isinstance(res, tuple) and all(el is None for el in res)):
                            raise RuntimeError("Backward hook for Modules where no input requires gradient should "
                                               "always return None or None for all gradients.")
                    self.grad_outputs = None
                if local_grad_outputs is not None:
                    return tuple(local_grad_outputs[i] for i in diff_idx)
                return None
            grad_fn.register_hook(hook)

        is_tuple = True
        if not isinstance(args, tuple):
            args = (args,)
            is_tuple = False
        res, output_idx = self._apply_on_tensors(fn, args)
        self.n_outputs = len(args)
        self.output_tensors_index = output_idx
        if not is_tuple:
            res = res[0]
        return res


class _Scatter:
    """Adapts the input node's hooks: the node carries only the inputs that require grad; the user's hook
    (``BackwardHook._set_user_hook``) expects one grad per tensor input. An input that needs no grad gets
    zeros, as torch's identity node (which carries every tensor input, materialising their grads) gives."""

    def __init__(self, grad_fn, diff_idx, by_pos):
        self.grad_fn, self.diff_idx, self.by_pos = grad_fn, diff_idx, by_pos

    def register_hook(self, hook):
        diff_idx, by_pos = self.diff_idx, self.by_pos

        def adapted(grad_input, grad_output):
            from ..ops.creation import zeros_like
            got = dict(zip(diff_idx, grad_input))
            out = hook(tuple(got[i] if i in got else zeros_like(t) for i, t in by_pos.items()), grad_output)
            if out is None:
                return None
            back = dict(zip(by_pos, out))
            return tuple(back[i] for i in diff_idx)
        return self.grad_fn.register_hook(adapted)
