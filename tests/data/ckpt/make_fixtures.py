#!/usr/bin/env python3
"""Regenerates the PyTorch checkpoint fixtures of tests/core/io/test_torch_checkpoint.cpp.

Needs python3-torch (Debian's 1.13.1: `apt-get install python3-torch`). Run from this directory:
    python3 make_fixtures.py
Every tensor is made from arange so the C++ test can recompute the expected values. The malicious fixtures are
not here: the C++ test writes those bytes itself, so nothing hostile is ever unpickled by Python.
"""
import argparse
import collections
import os
import zipfile

import torch

HERE = os.path.dirname(os.path.abspath(__file__))


def path(name):
    return os.path.join(HERE, name)


def mixed_state_dict():
    """Mixed dtypes, views sharing one storage, a 0-d and an empty tensor, a nested dict."""
    sd = collections.OrderedDict()
    sd["model.f32"] = torch.arange(6, dtype=torch.float32).reshape(2, 3)
    sd["model.f16"] = (torch.arange(8, dtype=torch.float32) / 4).to(torch.float16).reshape(2, 4)
    sd["model.bf16"] = (torch.arange(5, dtype=torch.float32) - 2).to(torch.bfloat16)
    sd["model.position_ids"] = torch.arange(77, dtype=torch.int64).reshape(1, 77)
    base = torch.arange(20, dtype=torch.float32)
    sd["shared.base"] = base                        # the whole storage
    sd["shared.slice"] = base[5:11].view(2, 3)      # storage offset 5, contiguous
    sd["shared.transposed"] = base.view(4, 5).t()   # offset 0, strides (1, 5): not contiguous
    sd["shared.strided"] = base[1::3]               # offset 1, stride 3
    sd["scalar"] = torch.tensor(3.5, dtype=torch.float32)
    sd["empty"] = torch.zeros(0, 3, dtype=torch.float32)
    sd["nested"] = {"inner": {"x": torch.arange(3, dtype=torch.int64)}, "note": "not a tensor"}
    return sd


def main():
    torch.manual_seed(0)

    # 1. A plain dict of tensors, no wrapper (the HF/diffusers .bin style), default protocol 2.
    plain = collections.OrderedDict()
    plain["weight"] = torch.arange(12, dtype=torch.float32).reshape(3, 4)
    plain["bias"] = torch.arange(4, dtype=torch.float32) * -1
    torch.save(plain, path("plain_f32.pt"))

    # 2. The LDM/Lightning layout: {"state_dict": ..., "global_step": ..., "callbacks": ...}. The callbacks dict is
    #    keyed by a class object (a GLOBAL that is referenced but never called), as old Lightning versions did.
    wrapped = {
        "state_dict": mixed_state_dict(),
        "global_step": 470000,
        "epoch": 5,
        "callbacks": {argparse.Namespace: {"best_model_score": 0.25, "monitor": None}},
        "hyper": {"lr": 1e-4, "betas": (0.9, 0.999), "big": 2**70, "neg": -5, "ok": True},
    }
    torch.save(wrapped, path("wrapped_mixed.ckpt"))

    # 3. Protocol 4 (STACK_GLOBAL, MEMOIZE, FRAME) with nn.Parameters (torch._utils._rebuild_parameter).
    p4 = collections.OrderedDict()
    p4["param"] = torch.nn.Parameter(torch.arange(6, dtype=torch.float32).reshape(3, 2))
    p4["buffer"] = torch.arange(4, dtype=torch.int64)
    torch.save(p4, path("protocol4.pt"), pickle_protocol=4)

    # 4. A module's state_dict: an OrderedDict with _metadata set through BUILD.
    net = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.LayerNorm(2))
    with torch.no_grad():
        for i, p in enumerate(net.parameters()):
            p.copy_(torch.arange(p.numel(), dtype=torch.float32).reshape(p.shape) + 10 * i)
    torch.save(net.state_dict(), path("module_state.pt"))

    # 5. Every storage type the reader accepts.
    dtypes = collections.OrderedDict()
    dtypes["f64"] = torch.arange(3, dtype=torch.float64) / 2
    dtypes["i32"] = torch.arange(3, dtype=torch.int32) - 1
    dtypes["i16"] = torch.arange(3, dtype=torch.int16) - 2
    dtypes["i8"] = torch.arange(3, dtype=torch.int8) - 3
    dtypes["u8"] = torch.arange(3, dtype=torch.uint8) + 250
    dtypes["bool"] = torch.tensor([True, False, True])
    torch.save(dtypes, path("dtypes.pt"))

    # 6. The same archive as 2, re-zipped with DEFLATE (torch never writes this, other zip tools may).
    with zipfile.ZipFile(path("wrapped_mixed.ckpt")) as src, \
            zipfile.ZipFile(path("deflated.ckpt"), "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info.filename))

    # 7. A real-world refusal: argparse.Namespace instances are rebuilt by calling copyreg._reconstructor.
    torch.save({"state_dict": plain, "args": argparse.Namespace(lr=0.1)}, path("namespace_args.ckpt"))

    for name in sorted(os.listdir(HERE)):
        if not name.endswith(".py"):
            size = os.path.getsize(path(name))
            assert size < 50_000, name
            print(f"{name}: {size} bytes")


if __name__ == "__main__":
    main()
