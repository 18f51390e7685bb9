#!/usr/bin/env python3
"""Stores a toy model's text encoder compactly: the rows of the token embedding that no toy-world text uses are set to
zero, and the file is gzip-compressed (text_encoder/model.safetensors -> text_encoder/model.safetensors.gz, which the
engine reads as it reads the plain file).

The trainer keeps the 49,408-row CLIP token embedding frozen at its random initialisation (a dense update of the whole
table costs more than it teaches), so 12.6 MB of the bundled model are random numbers, and only the rows of the tokens
that the toy world's captions and InvSeg's class-list prompts contain ever reach the network. Those rows are kept
bit for bit; every other row becomes zero, which compresses to almost nothing. The model's output for any toy-world
prompt is unchanged (the test TrainedToyModel.EmbedsEveryTokenTheToyWorldUses checks the rows; an evaluation before
and after gives the same figures). A word outside the toy world (a class name the toy model never saw) had a random
row that meant nothing to the model and now has a zero one, which means nothing either.

Usage (the venv of packaging/torch2/make-venv.sh has the tokenizer and safetensors):
  .venv/bin/python packaging/toy/compact_text_encoder.py resources/models/toy
The words kept are every string literal of the toy world's sources (core/src/toy, the trainer's prompts) and the
method's default template, tokenized with the CLIP tokenizer (tests/data/golden/sd1/diffusers/tokenizer: the same
vocabulary the engine ships).
"""
import argparse
import gzip
import re
import sys
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file, save
from transformers import CLIPTokenizer

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted((ROOT / "core/src/toy").glob("*.cpp")) + [ROOT / "core/src/train/toy_scenes.cpp"]
KEY = "text_model.embeddings.token_embedding.weight"


def toy_texts():
    texts = {"a photograph of", "and", "background", "a photograph of sky and background"}
    for path in SOURCES:
        for literal in re.findall(r'"((?:[^"\\]|\\.)*)"', path.read_text()):
            if literal.strip():
                texts.add(literal)
    return sorted(texts)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model", type=Path, help="a toy model folder (diffusers layout)")
    args = parser.parse_args()
    plain = args.model / "text_encoder" / "model.safetensors"
    packed = plain.with_name("model.safetensors.gz")
    if not plain.is_file():
        sys.exit(f"compact_text_encoder: {plain} is missing (already compacted: {packed.is_file()})")
    tokenizer = CLIPTokenizer.from_pretrained(ROOT / "tests/data/golden/sd1/diffusers/tokenizer")
    keep = {tokenizer.bos_token_id, tokenizer.eos_token_id, tokenizer.pad_token_id}
    texts = toy_texts()
    for text in texts:
        keep.update(tokenizer(text, add_special_tokens=False)["input_ids"])
    tensors = load_file(plain)
    table = tensors[KEY]
    mask = np.zeros(table.shape[0], dtype=bool)
    mask[sorted(keep)] = True
    table[~mask] = 0
    tensors[KEY] = table
    data = save(tensors, metadata={"format": "pt", "invseg_zeroed_embedding_rows": "tokens no toy-world text uses"})
    with open(packed, "wb") as f:
        # mtime 0 and no file name: the same weights always give the same bytes
        with gzip.GzipFile(fileobj=f, mode="wb", compresslevel=9, mtime=0, filename="") as gz:
            gz.write(data)
    plain.unlink()
    print(f"compact_text_encoder: kept {mask.sum()} of {table.shape[0]} embedding rows ({len(texts)} texts); "
          f"{len(data)} bytes -> {packed.stat().st_size} bytes in {packed}")


if __name__ == "__main__":
    main()
