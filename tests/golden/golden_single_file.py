"""Weight names of the published layouts for the golden sets: the text encoder's text_model.* names and the original
(LDM) single file (model.diffusion_model.*, first_stage_model.*, cond_stage_model.*), with the check that diffusers'
own single-file converters read that file back as the diffusers folder's weights. Used by make_golden.py."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from make_golden import SetSpec


def published_text_state(model) -> dict:
    """The text encoder's weights under the names published checkpoints use (text_model.*); transformers 5 keeps
    them without the prefix in memory."""
    out = {}
    for k, v in model.state_dict().items():
        if k.endswith("position_ids"):
            continue
        out[k if k.startswith("text_model.") else "text_model." + k] = v
    return out


# ----------------------------------------------------------------------------------------------------------------------
# The original (LDM) single-file layout
# ----------------------------------------------------------------------------------------------------------------------

RESNET_TO_LDM = {"norm1": "in_layers.0", "conv1": "in_layers.2", "time_emb_proj": "emb_layers.1",
                 "norm2": "out_layers.0", "conv2": "out_layers.3", "conv_shortcut": "skip_connection"}


def ldm_unet_key(key: str, levels: int, lpb: int, up_has_attention: list[bool]) -> str:
    """diffusers UNet key → original (openaimodel.py) key, for any number of levels and layers per block."""
    fixed = {"time_embedding.linear_1": "time_embed.0", "time_embedding.linear_2": "time_embed.2",
             "conv_in": "input_blocks.0.0", "conv_norm_out": "out.0", "conv_out": "out.2"}
    module, _, leaf = key.rpartition(".")
    if module in fixed:
        return f"{fixed[module]}.{leaf}"

    def resnet(rest: str) -> str:
        name, _, tail = rest.partition(".")
        return f"{RESNET_TO_LDM[name]}.{tail}"

    if m := re.fullmatch(r"down_blocks\.(\d+)\.resnets\.(\d+)\.(.+)", key):
        i, j = int(m[1]), int(m[2])
        return f"input_blocks.{1 + i * (lpb + 1) + j}.0.{resnet(m[3])}"
    if m := re.fullmatch(r"down_blocks\.(\d+)\.attentions\.(\d+)\.(.+)", key):
        i, j = int(m[1]), int(m[2])
        return f"input_blocks.{1 + i * (lpb + 1) + j}.1.{m[3]}"
    if m := re.fullmatch(r"down_blocks\.(\d+)\.downsamplers\.0\.conv\.(.+)", key):
        return f"input_blocks.{(int(m[1]) + 1) * (lpb + 1)}.0.op.{m[2]}"
    if m := re.fullmatch(r"mid_block\.resnets\.(\d+)\.(.+)", key):
        return f"middle_block.{2 * int(m[1])}.{resnet(m[2])}"
    if m := re.fullmatch(r"mid_block\.attentions\.0\.(.+)", key):
        return f"middle_block.1.{m[1]}"
    if m := re.fullmatch(r"up_blocks\.(\d+)\.resnets\.(\d+)\.(.+)", key):
        i, j = int(m[1]), int(m[2])
        return f"output_blocks.{i * (lpb + 1) + j}.0.{resnet(m[3])}"
    if m := re.fullmatch(r"up_blocks\.(\d+)\.attentions\.(\d+)\.(.+)", key):
        i, j = int(m[1]), int(m[2])
        return f"output_blocks.{i * (lpb + 1) + j}.1.{m[3]}"
    if m := re.fullmatch(r"up_blocks\.(\d+)\.upsamplers\.0\.conv\.(.+)", key):
        i = int(m[1])
        return f"output_blocks.{i * (lpb + 1) + lpb}.{2 if up_has_attention[i] else 1}.conv.{m[2]}"
    raise SystemExit(f"no original-layout name for UNet key {key}")


def ldm_vae_key(key: str, levels: int) -> tuple[str, bool]:
    """diffusers VAE key → (original key, whether the weight becomes a 1×1 convolution)."""
    def resnet(rest: str) -> str:
        return rest.replace("conv_shortcut", "nin_shortcut")

    part, _, rest = key.partition(".")
    if part in ("quant_conv", "post_quant_conv"):
        return key, False
    if m := re.fullmatch(r"down_blocks\.(\d+)\.resnets\.(\d+)\.(.+)", rest):
        return f"{part}.down.{m[1]}.block.{m[2]}.{resnet(m[3])}", False
    if m := re.fullmatch(r"down_blocks\.(\d+)\.downsamplers\.0\.conv\.(.+)", rest):
        return f"{part}.down.{m[1]}.downsample.conv.{m[2]}", False
    if m := re.fullmatch(r"up_blocks\.(\d+)\.resnets\.(\d+)\.(.+)", rest):
        return f"{part}.up.{levels - 1 - int(m[1])}.block.{m[2]}.{resnet(m[3])}", False
    if m := re.fullmatch(r"up_blocks\.(\d+)\.upsamplers\.0\.conv\.(.+)", rest):
        return f"{part}.up.{levels - 1 - int(m[1])}.upsample.conv.{m[2]}", False
    if m := re.fullmatch(r"mid_block\.resnets\.(\d+)\.(.+)", rest):
        return f"{part}.mid.block_{int(m[1]) + 1}.{resnet(m[2])}", False
    if m := re.fullmatch(r"mid_block\.attentions\.0\.(group_norm|to_q|to_k|to_v|to_out\.0)\.(.+)", rest):
        name = {"group_norm": "norm", "to_q": "q", "to_k": "k", "to_v": "v", "to_out.0": "proj_out"}[m[1]]
        return f"{part}.mid.attn_1.{name}.{m[2]}", m[1] != "group_norm" and m[2] == "weight"
    if m := re.fullmatch(r"(conv_in|conv_out|conv_norm_out)\.(.+)", rest):
        return f"{part}.{'norm_out' if m[1] == 'conv_norm_out' else m[1]}.{m[2]}", False
    raise SystemExit(f"no original-layout name for VAE key {key}")


def single_file_state(unet, vae, text_single: dict, spec: SetSpec) -> dict:
    import torch

    levels = len(spec.unet_channels)
    up_attn = [hasattr(b, "attentions") for b in unet.up_blocks]
    out = {}
    for k, v in unet.state_dict().items():
        out["model.diffusion_model." + ldm_unet_key(k, levels, spec.unet_layers_per_block, up_attn)] = v
    for k, v in vae.state_dict().items():
        name, conv = ldm_vae_key(k, len(spec.vae_channels))
        out["first_stage_model." + name] = v[:, :, None, None] if conv else v
    out.update(text_single)
    if len(out) != len(unet.state_dict()) + len(vae.state_dict()) + len(text_single):
        raise SystemExit(f"{spec.name}: two weights got the same original-layout name")
    return {k: v.detach().to(torch.float16).contiguous() for k, v in out.items()}


def check_single_file(single: dict, unet, vae, text, spec: SetSpec) -> None:
    """Reads the single file back with diffusers' own converters: every weight must come back, by name and value,
    as the float16 rounding of the diffusers folder's weight."""
    import torch
    from diffusers.loaders import single_file_utils as sfu

    got = {
        "unet": sfu.convert_ldm_unet_checkpoint(single, dict(unet.config)),
        "vae": sfu.convert_ldm_vae_checkpoint(single, dict(vae.config)),
        "text": (sfu.convert_open_clip_checkpoint(text, single) if spec.sd2
                 else sfu.convert_ldm_clip_checkpoint(single)),
    }
    want = {"unet": unet.state_dict(), "vae": vae.state_dict(), "text": published_text_state(text)}
    if spec.sd2:
        # diffusers drops the unused last OpenCLIP layer by its SD 2.x index (23); here it is the next index after
        # the folder's layers.
        got["text"] = {k: v for k, v in got["text"].items()
                       if not k.startswith(f"text_model.encoder.layers.{spec.text_layers}.")}
    for part in got:
        g, w = got[part], want[part]
        if set(g) != set(w):
            raise SystemExit(f"{spec.name}: diffusers reads the single file's {part} as other keys: "
                             f"missing {sorted(set(w) - set(g))[:4]}, extra {sorted(set(g) - set(w))[:4]}")
        for k in w:
            if not torch.equal(g[k].reshape(w[k].shape), w[k].to(torch.float16)):
                raise SystemExit(f"{spec.name}: single-file {part} weight {k} differs from the diffusers folder's")
