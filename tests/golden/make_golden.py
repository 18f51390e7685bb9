#!/usr/bin/env python3
"""Regenerates the golden reference sets of the parity tests (tests/data/golden).

A golden set is a tiny Stable Diffusion with random weights plus what the reference implementation computes from it
(the format is described in tests/data/golden/README.md). The C++ parity tests compare the engine against these
tensors. Every parameter, biases and norms included, is drawn from a seeded generator, and every reference tensor is
computed in float32 on the CPU with the reference implementation:

  diffusers UNet2DConditionModel / AutoencoderKL / DDPMScheduler, transformers CLIPTextModel and CLIPTokenizer
  (built from the project's vocabulary resources/clip/bpe_simple_vocab_16e6.txt.gz).

Pinned versions: packaging/torch2/requirements.txt (torch 2.11.0, diffusers 0.40.0, transformers 5.17.0,
safetensors 0.8.0, numpy 2.3.5). Make the environment with packaging/torch2/make-venv.sh, then from the repository
root:

  .venv/bin/python tests/golden/make_golden.py                  # every set into tests/data/golden
  .venv/bin/python tests/golden/make_golden.py --sets sd1 --out /tmp/golden

The output is deterministic: with the same seed and versions, a second run on the same machine writes the same bytes.
Before writing a set the script checks it: the single file read back through diffusers' own single-file
converters gives exactly the float16-rounded diffusers weights, the float16-rounded weights reproduce every
reference tensor well inside the single-file bound, the UNet output depends on the timestep, the text encoder folder
reads back through transformers as the same model, and the SD 2.x text encoder's penultimate layer equals the
diffusers folder's last layer.

Beside it: golden_clip_tokenizer.py (the tokenizer files and prompt ids) and golden_single_file.py (the published
weight names, the original single-file layout and its read-back check).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from golden_clip_tokenizer import BOS, CONTEXT, EOS, clip_vocabulary, token_ids, write_tokenizer
from golden_single_file import check_single_file, published_text_state, single_file_state

DEFAULT_SEED = 20240607
REPO = Path(__file__).resolve().parents[2]
PROMPTS = ["cat", "dog, grass, sky", "a photo of a cat on the grass"]
TIMESTEPS = [100, 500]
SCALING_FACTOR = 0.18215
# The single-file bound of the parity tests is 2e-2; a set whose float16 rounding alone uses more than this is not
# written (it would leave the engine no room).
FP16_SELF_CHECK = 5e-3
TOKEN_TESTS = [
    "a photo of a cat",
    "cat",
    "dog, grass, sky",
    "A Photo Of THE Eiffel-Tower!!",
    "aeroplane bicycle bird boat bottle bus car cat chair cow diningtable dog horse motorbike person pottedplant "
    "sheep sofa train tvmonitor",
    "  lots   of\twhitespace\n here ",
    "numbers 12345 and 3.14159",
    "caf\u00e9 na\u00efve r\u00e9sum\u00e9",
    "emoji \U0001F600 test",
    "it's a person's dog's bone, isn't it?",
    "&amp; html &lt;escaped&gt;",
    "",
    "tv monitor",
    "potted plant",
    "\u00dcn\u00efc\u00f6d\u00e9 \u00c4\u00d6\u00dc \u00df",
    "\u65e5\u672c\u8a9e\u306e\u30c6\u30ad\u30b9\u30c8",
    "x" * 400,
    "hyphen-ated under_score slash/word",
]


@dataclass
class SetSpec:
    """One golden set: the architecture and the image size. Widths are tiny, the topology is Stable Diffusion's."""

    name: str
    variant: str  # "sd1" (OpenAI CLIP, epsilon) or "sd2" (OpenCLIP, v-prediction)
    image_hw: tuple[int, int]
    unet_channels: list[int]
    unet_layers_per_block: int
    unet_heads: int | list[int]  # diffusers' attention_head_dim (which is the number of heads)
    vae_channels: list[int]
    vae_layers_per_block: int
    text_width: int
    text_mlp: int
    text_heads: int
    text_layers: int  # layers of the diffusers folder (SD 2.x single files hold one more)
    head_layer: str  # the attention layer stored per head
    upcast_attention: bool = False

    @property
    def sd2(self) -> bool:
        return self.variant == "sd2"


# Widths: GroupNorm uses 32 groups (the single-file convention), so a 32-channel level has one channel per group, and
# there a per-channel constant (a conv bias before a norm, the timestep embedding of a resnet) is normalised away
# exactly. Every set therefore has a 64-channel deepest level in its UNet, and sd2 also in its VAE, so that every kind
# of parameter, the timestep path included, changes what the set records; the other levels stay at 32 to keep the
# files small.
SETS = {
    # SD 1.x: the real UNet topology (4 levels, 2 resnets per down level, cross-attention at the first three), 8
    # heads, Conv2d proj_in/out, quick_gelu text encoder, epsilon prediction. 96² images give 12² latents, whose odd
    # 3×3 level makes the up path take its output size from the skip connection.
    "sd1": SetSpec(
        name="sd1", variant="sd1", image_hw=(96, 96),
        unet_channels=[32, 32, 32, 64], unet_layers_per_block=2, unet_heads=8,
        vae_channels=[32, 32, 32, 32], vae_layers_per_block=1,
        text_width=8, text_mlp=32, text_heads=2, text_layers=3,
        head_layer="down_blocks.0.attentions.0.transformer_blocks.0.attn2"),
    # SD 2.x conventions on another shape of everything: per-level head counts, Linear proj_in/out, upcast attention,
    # gelu text encoder whose single file holds one more OpenCLIP layer (the penultimate-layer convention),
    # v-prediction, pad id 0; a non-square image (48×80: latents 6×10 → 3×5 → 2×3), 3 UNet levels with one resnet
    # per down level, a VAE whose deepest level is wider (shortcut convolutions), a 2-layer text encoder.
    "sd2": SetSpec(
        name="sd2", variant="sd2", image_hw=(48, 80),
        unet_channels=[32, 32, 64], unet_layers_per_block=1, unet_heads=[4, 2, 8],
        vae_channels=[32, 32, 32, 64], vae_layers_per_block=1,
        text_width=8, text_mlp=32, text_heads=4, text_layers=2,
        head_layer="down_blocks.0.attentions.0.transformer_blocks.0.attn1", upcast_attention=True),
}


# ----------------------------------------------------------------------------------------------------------------------
# Random weights
# ----------------------------------------------------------------------------------------------------------------------

# Spread of the random biases and norm affine parameters: large enough that a bias or norm loaded in the wrong place
# moves the outputs well past the single-file bound, small enough for float16 rounding to stay far inside it.
BIAS_STD = 0.1
NORM_STD = 0.2


def randomize(model, gen) -> None:
    """Draws every parameter: linear/conv weights N(0, 1/fan_in), biases N(0, BIAS_STD²), norm scales
    1 + N(0, NORM_STD²), norm shifts N(0, NORM_STD²), embeddings N(0, 1). Fails if some parameter belongs to no
    module kind handled here."""
    import torch
    from torch import nn

    seen = set()

    def draw(t, std, mean=0.0):
        t.copy_(torch.randn(t.shape, generator=gen) * std + mean)
        seen.add(id(t))

    with torch.no_grad():
        for _, mod in model.named_modules():
            if isinstance(mod, (nn.GroupNorm, nn.LayerNorm)):
                draw(mod.weight, NORM_STD, 1.0)
                draw(mod.bias, NORM_STD)
            elif isinstance(mod, (nn.Linear, nn.Conv2d)):
                draw(mod.weight, 1.0 / math.sqrt(mod.weight[0].numel()))
                if mod.bias is not None:
                    draw(mod.bias, BIAS_STD)
            elif isinstance(mod, nn.Embedding):
                draw(mod.weight, 1.0)
    missed = [n for n, p in model.named_parameters() if id(p) not in seen]
    if missed:
        raise SystemExit(f"parameters left at their initial values: {missed[:5]}")


# ----------------------------------------------------------------------------------------------------------------------
# Models
# ----------------------------------------------------------------------------------------------------------------------

def build_unet(spec: SetSpec):
    from diffusers import UNet2DConditionModel

    levels = len(spec.unet_channels)
    return UNet2DConditionModel(
        sample_size=min(spec.image_hw) // 8,
        in_channels=4, out_channels=4,
        down_block_types=["CrossAttnDownBlock2D"] * (levels - 1) + ["DownBlock2D"],
        up_block_types=["UpBlock2D"] + ["CrossAttnUpBlock2D"] * (levels - 1),
        block_out_channels=spec.unet_channels,
        layers_per_block=spec.unet_layers_per_block,
        attention_head_dim=spec.unet_heads,
        cross_attention_dim=spec.text_width,
        use_linear_projection=spec.sd2,
        upcast_attention=spec.upcast_attention,
        norm_num_groups=32, norm_eps=1e-5, flip_sin_to_cos=True, freq_shift=0,
    ).float().eval()


def build_vae(spec: SetSpec):
    from diffusers import AutoencoderKL

    levels = len(spec.vae_channels)
    return AutoencoderKL(
        in_channels=3, out_channels=3, latent_channels=4,
        down_block_types=["DownEncoderBlock2D"] * levels,
        up_block_types=["UpDecoderBlock2D"] * levels,
        block_out_channels=spec.vae_channels,
        layers_per_block=spec.vae_layers_per_block,
        norm_num_groups=32, sample_size=min(spec.image_hw), scaling_factor=SCALING_FACTOR,
    ).float().eval()


def text_config(spec: SetSpec, layers: int):
    from transformers import CLIPTextConfig

    return CLIPTextConfig(
        vocab_size=49408, hidden_size=spec.text_width, intermediate_size=spec.text_mlp,
        num_attention_heads=spec.text_heads, num_hidden_layers=layers, max_position_embeddings=CONTEXT,
        hidden_act="gelu" if spec.sd2 else "quick_gelu", layer_norm_eps=1e-5,
        pad_token_id=0 if spec.sd2 else EOS, bos_token_id=BOS, eos_token_id=EOS,
        projection_dim=spec.text_width)


def build_text_encoders(spec: SetSpec, gen):
    """(the diffusers folder's text encoder, the single file's text state dict in the original layout).

    SD 2.x: the OpenCLIP model has one layer more than the diffusers folder; the folder keeps the first layers and
    the final norm (the penultimate-layer convention)."""
    import torch
    from transformers import CLIPTextModel

    full_layers = spec.text_layers + (1 if spec.sd2 else 0)
    full = CLIPTextModel(text_config(spec, full_layers)).float().eval()
    randomize(full, gen)
    model = CLIPTextModel(text_config(spec, spec.text_layers)).float().eval()
    kept = {k: v for k, v in full.state_dict().items()
            if ".layers." not in k or int(k.split(".layers.")[1].split(".")[0]) < spec.text_layers}
    model.load_state_dict(kept, strict=True)
    fsd = published_text_state(full)

    if not spec.sd2:
        return model, {"cond_stage_model.transformer." + k: v for k, v in fsd.items()}

    p = "cond_stage_model.model."
    single = {
        p + "token_embedding.weight": fsd["text_model.embeddings.token_embedding.weight"],
        p + "positional_embedding": fsd["text_model.embeddings.position_embedding.weight"],
        p + "ln_final.weight": fsd["text_model.final_layer_norm.weight"],
        p + "ln_final.bias": fsd["text_model.final_layer_norm.bias"],
        # Unused by Stable Diffusion, present in every OpenCLIP checkpoint.
        p + "text_projection": torch.randn(spec.text_width, spec.text_width, generator=gen)
        / math.sqrt(spec.text_width),
        p + "logit_scale": torch.tensor(math.log(1 / 0.07)) + 0.1 * torch.randn((), generator=gen),
    }
    for i in range(full_layers):
        s, d = f"text_model.encoder.layers.{i}.", f"{p}transformer.resblocks.{i}."
        for w in ("weight", "bias"):
            single[d + f"attn.in_proj_{w}"] = torch.cat([fsd[s + f"self_attn.{x}_proj.{w}"] for x in "qkv"], 0)
            single[d + f"attn.out_proj.{w}"] = fsd[s + f"self_attn.out_proj.{w}"]
            single[d + f"ln_1.{w}"] = fsd[s + f"layer_norm1.{w}"]
            single[d + f"ln_2.{w}"] = fsd[s + f"layer_norm2.{w}"]
            single[d + f"mlp.c_fc.{w}"] = fsd[s + f"mlp.fc1.{w}"]
            single[d + f"mlp.c_proj.{w}"] = fsd[s + f"mlp.fc2.{w}"]

    # The folder's output is the full model's penultimate hidden state through the final norm.
    ids = torch.randint(0, 49408, (2, CONTEXT), generator=gen)
    with torch.no_grad():
        out = full(ids, output_hidden_states=True)
        penultimate = full.final_layer_norm(out.hidden_states[-2])
        if not torch.allclose(model(ids).last_hidden_state, penultimate, rtol=0, atol=1e-6):
            raise SystemExit(f"{spec.name}: the text encoder is not the penultimate layer of its single file")
    return model, single


def save_text_encoder(model, folder: Path) -> None:
    """config.json as transformers writes it, weights under the published names; read back by transformers, the
    folder must give the same model."""
    import torch
    from safetensors.torch import save_file
    from transformers import CLIPTextModel

    model.save_pretrained(folder, safe_serialization=True)
    for f in folder.glob("*.safetensors"):
        f.unlink()
    save_file({k: v.contiguous() for k, v in published_text_state(model).items()}, folder / "model.safetensors",
              metadata={"format": "pt"})
    back = CLIPTextModel.from_pretrained(folder).float().eval()
    ids = torch.arange(0, CONTEXT).reshape(1, -1) * 641
    with torch.no_grad():
        if not torch.equal(back(ids).last_hidden_state, model(ids).last_hidden_state):
            raise SystemExit(f"{folder}: transformers reads the text encoder back as another model")


# ----------------------------------------------------------------------------------------------------------------------
# Reference computations
# ----------------------------------------------------------------------------------------------------------------------

class RecordingProcessor:
    """diffusers' AttnProcessor (the plain softmax(QKᵀ/√d)·V path) that also keeps the probabilities per head."""

    def __init__(self, name: str, maps: dict, order: list):
        from diffusers.models.attention_processor import AttnProcessor

        self.name, self.maps, self.order, self.inner = name, maps, order, AttnProcessor()

    def __call__(self, attn, hidden_states, encoder_hidden_states=None, attention_mask=None, temb=None, **kw):
        original = attn.get_attention_scores

        def scores(query, key, mask=None):
            probs = original(query, key, mask)
            self.maps[self.name] = probs.unflatten(0, (-1, attn.heads))  # [batch, heads, queries, keys]
            if self.name not in self.order:
                self.order.append(self.name)
            return probs

        attn.get_attention_scores = scores
        try:
            return self.inner(attn, hidden_states, encoder_hidden_states, attention_mask, temb)
        finally:
            del attn.get_attention_scores


def smooth_image(h: int, w: int, gen):
    """A [1, 3, h, w] image in [-1, 1]: smooth random colour fields with a few sharp rectangles."""
    import torch
    import torch.nn.functional as F

    img = F.interpolate(torch.randn(1, 3, 5, 7, generator=gen), size=(h, w), mode="bicubic", align_corners=False)
    img = img + 0.15 * torch.randn(1, 3, h, w, generator=gen)
    for _ in range(3):
        y0, x0 = (int(torch.randint(0, s // 2, (1,), generator=gen)) for s in (h, w))
        y1, x1 = y0 + h // 4 + int(torch.randint(0, h // 4, (1,), generator=gen)), x0 + w // 4
        img[:, :, y0:y1, x0:x1] = torch.randn(1, 3, 1, 1, generator=gen) * 1.5
    return torch.tanh(img)


def reference(spec: SetSpec, unet, vae, text, tokenizer, scheduler, gen,
              given: dict | None = None) -> tuple[dict, dict]:
    """Every tensor of golden.safetensors and the metadata of golden.json, from the given (float32) models.

    With `given` (the tensors of an earlier call), every stage starts from the given inputs instead of the previous
    stage's output, as the parity tests do: the text embeddings, z0 and z_t the UNet sees, the image, the noise and
    the loss weights are the given ones."""
    import torch

    def pick(name, value):
        return given[name] if given is not None else value

    pad_id = 0 if spec.sd2 else EOS
    tensors: dict[str, torch.Tensor] = {}
    ids = torch.tensor([token_ids(tokenizer, p, pad_id) for p in PROMPTS], dtype=torch.int64)
    tensors["input_ids"] = ids.to(torch.int32)
    with torch.no_grad():
        tensors["text_embeddings"] = text(ids).last_hidden_state
        emb = pick("text_embeddings", tensors["text_embeddings"])

        h, w = spec.image_hw
        image = pick("image", smooth_image(h, w, gen))
        tensors["image"] = image
        posterior = vae.encode(image).latent_dist
        tensors["vae_posterior_mean"] = posterior.mean
        tensors["vae_posterior_logvar"] = posterior.logvar
        tensors["z0"] = posterior.mean * SCALING_FACTOR
        z0 = pick("z0", tensors["z0"])
        tensors["vae_decoded"] = vae.decode(z0 / SCALING_FACTOR).sample

        tensors["alphas_cumprod"] = scheduler.alphas_cumprod.to(torch.float32)
        noise = pick("noise", torch.randn(z0.shape, generator=gen))
        tensors["noise"] = noise
        for t in TIMESTEPS:
            tt = torch.tensor([t])
            tensors[f"zt_{t}"] = scheduler.add_noise(z0, noise, tt)
            if spec.sd2:
                tensors[f"v_target_{t}"] = scheduler.get_velocity(z0, noise, tt)

    maps: dict = {}
    order: list = []
    default_processors = unet.attn_processors
    unet.set_attn_processor({n: RecordingProcessor(n.removesuffix(".processor"), maps, order)
                             for n in unet.attn_processors})
    with torch.no_grad():
        for t in TIMESTEPS:
            zt = pick(f"zt_{t}", tensors[f"zt_{t}"])
            for p in range(len(PROMPTS)):
                tensors[f"unet_out_t{t}_p{p}"] = unet(zt, t, encoder_hidden_states=emb[p:p + 1]).sample

    # Maps, loss and gradient of one forward at t=100 for prompt 1, with frozen weights.
    for prm in unet.parameters():
        prm.requires_grad_(False)
    maps.clear()
    order.clear()
    cond = emb[1:2].clone().requires_grad_(True)
    unet(pick("zt_100", tensors["zt_100"]), 100, encoder_hidden_states=cond)
    layers = {}
    loss = torch.zeros(())
    for name in order:
        probs = maps[name]
        cross = name.endswith("attn2")
        heads, queries, keys = probs.shape[1:]
        layers[name] = {"kind": "cross" if cross else "self", "heads": heads, "queries": queries, "keys": keys}
        mean = probs[0].mean(0)
        tensors[f"attn/{name}"] = mean.detach()
        if name == spec.head_layer:
            tensors[f"attn_heads/{name}"] = probs[0].detach()
        if cross:
            weight = pick(f"loss_weight/{name}", torch.randn(queries, keys, generator=gen))
            tensors[f"loss_weight/{name}"] = weight
            loss = loss + (mean * weight).sum()
    if f"attn_heads/{spec.head_layer}" not in tensors:
        raise SystemExit(f"{spec.name}: no attention layer named {spec.head_layer}")
    (grad,) = torch.autograd.grad(loss, cond)
    tensors["grad_loss"] = loss.detach().reshape(1)
    tensors["grad_text_embeddings"] = grad
    unet.set_attn_processor(default_processors)

    meta = {
        "variant": spec.variant,
        "prompts": PROMPTS,
        "pad_id": pad_id,
        "prediction_type": "v_prediction" if spec.sd2 else "epsilon",
        "timesteps": TIMESTEPS,
        "scaling_factor": SCALING_FACTOR,
        "image_hw": list(spec.image_hw),
        "attention_layers": layers,
        "token_tests": [{"text": t, "ids": token_ids(tokenizer, t, pad_id)} for t in TOKEN_TESTS],
    }
    return {k: v.detach().contiguous() for k, v in tensors.items()}, meta


def rel_err(a, b) -> float:
    a, b = a.double(), b.double()
    d = b.norm().item()
    return (a - b).norm().item() / d if d > 0 else (a - b).norm().item()


def fp16_errors(spec, unet, vae, text, tokenizer, scheduler, ref) -> dict:
    """Relative error of every reference tensor when every weight is rounded to float16 (what the single file
    stores) and the computation stays float32, each stage fed the reference inputs as in the parity tests."""
    import copy

    import torch

    rounded = []
    for m in (unet, vae, text):
        r = copy.deepcopy(m)
        with torch.no_grad():
            for p in r.parameters():
                p.copy_(p.to(torch.float16).to(torch.float32))
        rounded.append(r)
    again, _ = reference(spec, *rounded, tokenizer, scheduler, None, given=ref)
    return {k: rel_err(again[k], ref[k]) for k in ref if ref[k].is_floating_point()}


# ----------------------------------------------------------------------------------------------------------------------
# Writing a set
# ----------------------------------------------------------------------------------------------------------------------

def save_json(path: Path, obj, indent=None) -> None:
    path.write_text(json.dumps(obj, indent=indent), encoding="utf-8")


def make_set(spec: SetSpec, out: Path, seed: int, vocab: dict, merges: list[str]) -> None:
    import diffusers
    import torch
    from diffusers import DDPMScheduler
    from safetensors.torch import save_file
    from transformers import CLIPTokenizer

    torch.manual_seed(seed)  # nothing should draw from the global generator; this makes sure it repeats if it does
    gen = torch.Generator().manual_seed(seed)
    unet, vae = build_unet(spec), build_vae(spec)
    randomize(unet, gen)
    randomize(vae, gen)
    text, text_single = build_text_encoders(spec, gen)
    scheduler = DDPMScheduler(num_train_timesteps=1000, beta_start=0.00085, beta_end=0.012,
                              beta_schedule="scaled_linear", clip_sample=False, steps_offset=1,
                              prediction_type="v_prediction" if spec.sd2 else "epsilon")

    with tempfile.TemporaryDirectory() as tmp:
        stage = Path(tmp) / spec.name
        folder = stage / "diffusers"
        unet.save_pretrained(folder / "unet", safe_serialization=True)
        vae.save_pretrained(folder / "vae", safe_serialization=True)
        save_text_encoder(text, folder / "text_encoder")
        scheduler.save_pretrained(folder / "scheduler")
        write_tokenizer(folder / "tokenizer", vocab, merges, "!" if spec.sd2 else "<|endoftext|>")
        save_json(folder / "model_index.json", {
            "_class_name": "StableDiffusionPipeline", "_diffusers_version": diffusers.__version__,
            "text_encoder": ["transformers", "CLIPTextModel"], "unet": ["diffusers", "UNet2DConditionModel"],
            "vae": ["diffusers", "AutoencoderKL"], "scheduler": ["diffusers", "DDPMScheduler"],
            "tokenizer": ["transformers", "CLIPTokenizer"]}, indent=1)
        # The reference tokenizer reads the files just written (pad_token: see token_ids).
        tokenizer = CLIPTokenizer.from_pretrained(folder / "tokenizer", pad_token="<|endoftext|>")

        single = single_file_state(unet, vae, text_single, spec)
        check_single_file(single, unet, vae, text, spec)
        save_file(single, stage / "single_file_fp16.safetensors")

        tensors, meta = reference(spec, unet, vae, text, tokenizer, scheduler, torch.Generator().manual_seed(seed + 1))
        with torch.no_grad():
            other_t = unet(tensors["zt_100"], TIMESTEPS[-1],
                           encoder_hidden_states=tensors["text_embeddings"][1:2]).sample
        t_effect = rel_err(other_t, tensors["unet_out_t100_p1"])
        if t_effect < 1e-2:
            raise SystemExit(f"{spec.name}: the UNet output hardly depends on the timestep ({t_effect:.1e}); a level "
                             "with at least two channels per norm group is needed")
        errors = fp16_errors(spec, unet, vae, text, tokenizer, scheduler, tensors)
        worst = max(errors, key=errors.get)
        margin = errors[worst]
        if margin > FP16_SELF_CHECK:
            raise SystemExit(f"{spec.name}: float16 weights alone move {worst} by {margin:.2e} "
                             f"(> {FP16_SELF_CHECK:.0e}); change the seed or the scales")
        save_file(tensors, stage / "golden.safetensors")
        save_json(stage / "golden.json", meta, indent=1)

        target = out / spec.name
        if target.exists():
            shutil.rmtree(target)
        out.mkdir(parents=True, exist_ok=True)
        shutil.copytree(stage, target)
    size = sum(f.stat().st_size for f in target.rglob("*") if f.is_file())
    print(f"{spec.name}: {target} ({size / 1e6:.1f} MB, {len(tensors)} tensors, "
          f"{len(meta['attention_layers'])} attention layers; float16 rounding moves the references by at most "
          f"{margin:.1e} ({worst}); t={TIMESTEPS[-1]} instead of t={TIMESTEPS[0]} moves the UNet output by "
          f"{t_effect:.2f})")


def main() -> int:
    parser = argparse.ArgumentParser(
        description="Regenerates the golden reference sets (tiny random Stable Diffusion models + reference tensors "
                    "computed with diffusers/transformers in float32 on the CPU).",
        epilog="Pinned versions: packaging/torch2/requirements.txt (make the environment with "
               "packaging/torch2/make-venv.sh). Example, from the repository root: "
               ".venv/bin/python tests/golden/make_golden.py")
    parser.add_argument("--out", type=Path, default=REPO / "tests" / "data" / "golden",
                        help="golden root to write the sets into (default: %(default)s)")
    parser.add_argument("--sets", default=",".join(SETS),
                        help=f"comma-separated sets to make, of {', '.join(SETS)} (default: all)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                        help="base seed; set i of the list above uses seed + 1000·i (default: %(default)s)")
    parser.add_argument("--vocab", type=Path, default=REPO / "resources" / "clip" / "bpe_simple_vocab_16e6.txt.gz",
                        help="CLIP BPE vocabulary (default: %(default)s)")
    args = parser.parse_args()

    names = [s.strip() for s in args.sets.split(",") if s.strip()]
    unknown = [n for n in names if n not in SETS]
    if unknown:
        parser.error(f"unknown set(s) {', '.join(unknown)}; known: {', '.join(SETS)}")

    import torch

    torch.set_grad_enabled(True)
    torch.use_deterministic_algorithms(True)
    vocab, merges = clip_vocabulary(args.vocab)
    for name in names:
        make_set(SETS[name], args.out, args.seed + 1000 * list(SETS).index(name), vocab, merges)
    share_tokenizer_files(args.out)
    return 0


def share_tokenizer_files(root: Path) -> None:
    """One copy of the large tokenizer files (vocab.json, merges.txt: 1.5 MB) for all the sets: a set whose file is
    identical to the first set's gets a relative symbolic link to it, so that the repository (and what a GPU run
    carries) holds them once; readers follow the link as they would a file."""
    sets = sorted(d for d in root.iterdir() if (d / "golden.json").is_file())
    for name in ("vocab.json", "merges.txt"):
        first = next((d / "diffusers" / "tokenizer" / name for d in sets
                      if (d / "diffusers" / "tokenizer" / name).is_file()
                      and not (d / "diffusers" / "tokenizer" / name).is_symlink()), None)
        if first is None:
            continue
        for d in sets:
            f = d / "diffusers" / "tokenizer" / name
            if f == first or not f.is_file() or f.is_symlink() or f.read_bytes() != first.read_bytes():
                continue
            f.unlink()
            f.symlink_to(os.path.relpath(first, f.parent))
            print(f"{f}: a link to {first}")


if __name__ == "__main__":
    sys.exit(main())
