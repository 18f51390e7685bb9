#!/usr/bin/env python3
"""Regenerates the seed corpora of the fuzz targets (tests/fuzz/corpus/{safetensors,ckpt}/).

Needs python3-torch (Debian: apt-get install python3-torch). Run from anywhere:  python3 tests/fuzz/make_corpus.py
ckpt seeds are whole torch.save archives (inputs starting with "PK"), or a mode byte followed by a bare data.pkl
whose storages are the ones fuzz_torch_checkpoint.cpp supplies: keys "0".."3", 64 bytes each (the mode byte's
low bit picks a zip64 wrapper).
"""
import collections
import io
import json
import os
import struct
import zipfile

import torch

HERE = os.path.dirname(os.path.abspath(__file__))


def out(kind, name, data):
    d = os.path.join(HERE, "corpus", kind)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def safetensors(tensors, metadata=None):
    header, blob = {}, b""
    names = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.int64: "I64"}
    for name, t in tensors.items():
        raw = t.contiguous().reshape(-1).view(torch.uint8).numpy().tobytes() if t.numel() else b""
        header[name] = {"dtype": names[t.dtype], "shape": list(t.shape), "data_offsets": [len(blob), len(blob) + len(raw)]}
        blob += raw
    if metadata:
        header["__metadata__"] = metadata
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    return struct.pack("<Q", len(h)) + h + blob


def data_pkl(obj, protocol):
    buf = io.BytesIO()
    torch.save(obj, buf, pickle_protocol=protocol)
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as z:
        name = next(n for n in z.namelist() if n.endswith("/data.pkl"))
        return z.read(name), buf.getvalue()


def main():
    out("safetensors", "empty_header", safetensors({}))
    out("safetensors", "f32", safetensors({"x": torch.arange(4, dtype=torch.float32)}))
    out("safetensors", "mixed", safetensors({
        "i": torch.arange(3, dtype=torch.int64),
        "w": torch.arange(6, dtype=torch.float32).reshape(2, 3),
        "h": torch.arange(4, dtype=torch.float16),
        "b": torch.arange(2, dtype=torch.bfloat16),
        "s": torch.tensor(1.5),
        "e": torch.zeros(0, 2),
    }, {"format": "pt"}))

    # Storages of at most 64 bytes each, saved in this order so that their keys are "0".."3".
    f32 = torch.arange(16, dtype=torch.float32)
    f16 = torch.arange(32, dtype=torch.float16)
    bf16 = torch.arange(8, dtype=torch.bfloat16)
    i64 = torch.arange(8, dtype=torch.int64)
    sd = collections.OrderedDict()
    sd["a"] = f32.view(4, 4)
    sd["a_t"] = f32.view(4, 4).t()
    sd["h"] = f16[4:20].view(2, 8)
    sd["b"] = torch.nn.Parameter(bf16, requires_grad=False)
    sd["i"] = i64
    sd["nested"] = {"x": f32[1::5]}
    pkl2, whole = data_pkl({"state_dict": sd, "global_step": 3, "hp": {"lr": 0.5, "big": 2 ** 80}}, 2)
    pkl4, _ = data_pkl(sd, 4)
    out("ckpt", "pickle_p2", b"\x00" + pkl2)
    out("ckpt", "pickle_p2_zip64", b"\x01" + pkl2)
    out("ckpt", "pickle_p4", b"\x00" + pkl4)
    out("ckpt", "whole_archive", whole)
    fixtures = os.path.join(HERE, "..", "data", "ckpt")
    for name in ("plain_f32.pt", "module_state.pt"):
        with open(os.path.join(fixtures, name), "rb") as f:
            out("ckpt", name.replace(".", "_"), f.read())


if __name__ == "__main__":
    main()
