"""The tokenizer side of the golden sets: openai/CLIP's vocabulary and merges read from the project's BPE file,
written as a transformers CLIPTokenizer folder, and the 77 ids a prompt becomes. Used by make_golden.py (and, through
it, bench/peer/diffusers_step.py)."""

from __future__ import annotations

import gzip
import html
import json
from pathlib import Path

BOS, EOS = 49406, 49407
CONTEXT = 77


def bytes_to_unicode() -> dict[int, str]:
    """openai/CLIP's byte → printable character table."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


def clip_vocabulary(gz_path: Path) -> tuple[dict[str, int], list[str]]:
    """vocab (token → id) and merges of openai/CLIP's SimpleTokenizer: 48,894 merges, 49,408 tokens."""
    lines = gzip.open(gz_path, "rt", encoding="utf-8").read().split("\n")
    merges = lines[1:49152 - 256 - 2 + 1]
    chars = list(bytes_to_unicode().values())
    tokens = chars + [c + "</w>" for c in chars] + ["".join(m.split(" ")) for m in merges]
    tokens += ["<|startoftext|>", "<|endoftext|>"]
    vocab = {t: i for i, t in enumerate(tokens)}
    if len(vocab) != 49408 or vocab["<|startoftext|>"] != BOS or vocab["<|endoftext|>"] != EOS:
        raise SystemExit(f"{gz_path}: unexpected vocabulary ({len(vocab)} tokens)")
    return vocab, merges


def write_tokenizer(folder: Path, vocab: dict[str, int], merges: list[str], pad_token: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    (folder / "merges.txt").write_text("#version: 0.2\n" + "\n".join(merges) + "\n", encoding="utf-8")
    special = {"bos_token": "<|startoftext|>", "eos_token": "<|endoftext|>", "unk_token": "<|endoftext|>",
               "pad_token": pad_token}
    (folder / "special_tokens_map.json").write_text(json.dumps(special), encoding="utf-8")
    config = {"model_max_length": CONTEXT, "do_lower_case": True, "tokenizer_class": "CLIPTokenizer",
              "pad_token": pad_token}
    (folder / "tokenizer_config.json").write_text(json.dumps(config), encoding="utf-8")


def token_ids(tokenizer, text: str, pad_id: int) -> list[int]:
    """77 ids: start, the text's tokens (truncated to 75), end, then pad_id.

    The text is first cleaned as openai/CLIP's and open_clip's tokenizers clean it (html.unescape twice; their ftfy
    pass changes none of the texts here), which transformers' CLIPTokenizer does not do without ftfy. The tokenizer
    is made with pad_token <|endoftext|> and the padding is added here: an SD 2.x tokenizer whose pad_token is "!"
    would also turn a literal "!" into id 0, which open_clip (what SD 2.x was trained with) does not.
    """
    text = html.unescape(html.unescape(text))
    ids = tokenizer(text, truncation=True, max_length=CONTEXT)["input_ids"]
    if ids[0] != BOS or ids[-1] != EOS:
        raise SystemExit(f"tokenizer: no start/end token around {text!r}")
    return ids + [pad_id] * (CONTEXT - len(ids))
