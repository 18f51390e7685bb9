#!/usr/bin/env python3
"""The CPU performance peer of `invseg bench`: one InvSeg step's work in diffusers eager, timed the same way.

One step, as the engine does it (core/src/invseg/segmenter.cpp): the latent of both views (identity + flip) noised
at t, a UNet forward with the class tokens substituted into the prompt's text embeddings, the attention
probabilities the losses use captured (cross-attention at the levels with a weight, head-averaged, self-attention at
the top level), the refined maps M = a·Aᵀ, the CSC and entropy losses, backward to the class tokens and an Adam step.
Here the UNet is diffusers' UNet2DConditionModel; the captured layers compute softmax(QKᵀ) explicitly (as the engine
must), the others use diffusers' default processor (scaled_dot_product_attention). diffusers runs the whole UNet;
the engine stops after the last layer it needs, which is part of what is being compared.

Timing like `invseg bench`: one warm-up image of K steps, then R images of K steps; the median, min and max of the
R·K step times, in wall-clock and in CPU time (this process, all threads; with one thread it is the compute time
even on a shared machine). The VAE, the text encoder and the first pass (S, A₀) are outside the step and not timed.

  diffusers_step.py --model resources/models/toy --threads 1 --json toy.json
  diffusers_step.py --arch sd15 --size 128 --steps 2 --repeat 1 --threads 1
  diffusers_step.py ... --profile prof.txt      # torch.profiler table of one timed step
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "golden"))


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--model", type=Path, help="a diffusers folder (unet/, text_encoder/)")
    src.add_argument("--arch", choices=["sd15"], help="SD 1.5 sizes with random weights")
    p.add_argument("--size", type=int, default=512, help="input size for --arch (multiple of 64; default 512)")
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--classes", default="cat,dog,grass,sky")
    p.add_argument("--views", type=int, default=2, choices=[1, 2])
    p.add_argument("--timestep", type=int, default=100)
    p.add_argument("--level-weights", default="0,0.3,0.7,0", help="the engine's default (bench uses the defaults)")
    p.add_argument("--reuse-self-attention", action="store_true", help="no self-attention capture in the steps")
    p.add_argument("--json", type=Path)
    p.add_argument("--profile", type=Path, help="write a torch.profiler table of one step here")
    return p.parse_args()


def load_text_encoder(cls, folder: Path):
    """from_pretrained, also for a folder whose weights are gzip-compressed (model.safetensors.gz: the bundled toy
    model's, which transformers does not read): unpacked into a temporary folder first."""
    packed = folder / "model.safetensors.gz"
    if not packed.is_file():
        return cls.from_pretrained(folder)
    import gzip
    import shutil
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copy(folder / "config.json", tmp)
        with gzip.open(packed, "rb") as src, open(Path(tmp) / "model.safetensors", "wb") as dst:
            shutil.copyfileobj(src, dst)
        return cls.from_pretrained(tmp)


def main() -> int:
    args = parse_args()
    import torch
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    import torch.nn.functional as F
    from diffusers import DDPMScheduler, UNet2DConditionModel
    from diffusers.models.attention_processor import AttnProcessor2_0
    from transformers import CLIPTextConfig, CLIPTextModel, CLIPTokenizer
    import make_golden as mg

    torch.manual_seed(0)
    t_load = time.perf_counter()
    if args.model:
        unet = UNet2DConditionModel.from_pretrained(args.model / "unet")
        text = load_text_encoder(CLIPTextModel, args.model / "text_encoder")
        model_name = str(args.model)
    else:
        unet = UNet2DConditionModel(sample_size=args.size // 8, cross_attention_dim=768, attention_head_dim=8)
        text = CLIPTextModel(CLIPTextConfig(hidden_size=768, intermediate_size=3072, num_hidden_layers=12,
                                            num_attention_heads=12, max_position_embeddings=77,
                                            hidden_act="quick_gelu"))
        model_name = f"random:{args.arch}"
    unet = unet.float().eval().requires_grad_(False)  # float32, as `invseg bench` on the CPU
    text = text.float().eval().requires_grad_(False)
    load_s = time.perf_counter() - t_load
    size = unet.config.sample_size * 8 if args.model else args.size
    h = w = size // 8
    N = h * w
    levels = len(unet.config.block_out_channels)
    weights = [float(x) for x in args.level_weights.split(",")] + [0.0] * levels
    weights = weights[:levels]

    # Prompt and class-token positions with the project's CLIP vocabulary (make_golden.py's tokenizer files).
    classes = [c.strip() for c in args.classes.split(",")] + ["background"]
    with tempfile.TemporaryDirectory() as tmp:
        vocab, merges = mg.clip_vocabulary(REPO / "resources" / "clip" / "bpe_simple_vocab_16e6.txt.gz")
        mg.write_tokenizer(Path(tmp), vocab, merges, "<|endoftext|>")
        tok = CLIPTokenizer.from_pretrained(tmp)
    prompt = "a photograph of " + " and ".join(classes)
    ids = tok(prompt, padding="max_length", max_length=77, truncation=True, return_tensors="pt").input_ids
    positions, cursor = [], 1 + len(tok("a photograph of", add_special_tokens=False).input_ids)
    for i, c in enumerate(classes):
        n = len(tok(c, add_special_tokens=False).input_ids)
        positions.append(list(range(cursor, cursor + n)))
        cursor += n + (1 if i + 1 < len(classes) else 0)  # "and"
    learn = torch.tensor([p for ps in positions for p in ps])
    C = len(classes)
    with torch.no_grad():
        P0 = text(ids).last_hidden_state  # [1, 77, D]

    # Attention capture: explicit probabilities on the layers the losses read.
    maps: dict = {}

    class Capture:
        def __init__(self, name):
            self.name = name

        def __call__(self, attn, hidden_states, encoder_hidden_states=None, attention_mask=None, temb=None, **kw):
            ctx = hidden_states if encoder_hidden_states is None else encoder_hidden_states
            q = attn.head_to_batch_dim(attn.to_q(hidden_states))
            k = attn.head_to_batch_dim(attn.to_k(ctx))
            v = attn.head_to_batch_dim(attn.to_v(ctx))
            probs = attn.get_attention_scores(q, k, None)  # [B·heads, Q, K]
            maps[self.name] = probs.reshape(-1, attn.heads, *probs.shape[1:]).mean(1)
            out = attn.batch_to_head_dim(torch.bmm(probs, v))
            return attn.to_out[1](attn.to_out[0](out))

    def level_of(name: str) -> int:
        parts = name.split(".")
        if parts[0] == "down_blocks":
            return int(parts[1])
        if parts[0] == "up_blocks":
            return levels - 1 - int(parts[1])
        return levels - 1

    def install(want_self: bool):
        procs, cross, selfs = {}, {}, []
        for name in unet.attn_processors:
            layer = name[: -len(".processor")]
            lvl = level_of(layer)
            is_cross = layer.endswith("attn2")
            if is_cross and weights[lvl] > 0:
                procs[name] = Capture(layer)
                cross.setdefault(lvl, []).append(layer)
            elif not is_cross and want_self and lvl == 0:
                procs[name] = Capture(layer)
                selfs.append(layer)
            else:
                procs[name] = AttnProcessor2_0()
        unet.set_attn_processor(procs)
        return cross, selfs

    sched = DDPMScheduler(beta_schedule="scaled_linear", beta_start=0.00085, beta_end=0.012, num_train_timesteps=1000)
    gen = torch.Generator().manual_seed(0)
    z0 = torch.randn(1, 4, h, w, generator=gen)
    if args.views == 2:
        z0 = torch.cat([z0, z0.flip(3)], 0)
    V = z0.shape[0]
    t = torch.full((V,), args.timestep, dtype=torch.long)

    def run_pass(tokens, cross, selfs):
        maps.clear()
        cond = P0.clone()
        cond[:, learn] = tokens.unsqueeze(0)
        cond = cond.expand(V, -1, -1)
        zt = sched.add_noise(z0, torch.randn(z0.shape, generator=gen), t)
        unet(zt, t, encoder_hidden_states=cond)
        total = None
        for lvl, names in cross.items():
            mean = sum(maps[n] for n in names) / len(names)  # [V, Q, 77]
            lh, lw = h >> lvl, w >> lvl
            a = torch.stack([mean[:, :, ps].mean(2) for ps in positions], 1).reshape(V, C, lh, lw)
            if (lh, lw) != (h, w):
                a = F.interpolate(a, size=(h, w), mode="bilinear", align_corners=False)
            a = a.reshape(V, C, N)
            a = (a - a.amin(-1, keepdim=True)) / (a.amax(-1, keepdim=True) - a.amin(-1, keepdim=True) + 1e-8)
            total = a * weights[lvl] if total is None else total + a * weights[lvl]
        A = (sum(maps[n] for n in selfs) / len(selfs)).detach() if selfs else None
        return total, A

    def refine(a, A):
        M = torch.matmul(a, A.transpose(1, 2))
        if V == 2:
            M = torch.cat([M[:1], M[1:].reshape(1, C, h, w).flip(3).reshape(1, C, N)], 0)
        return M

    def minmax(m):
        return (m - m.amin(-1, keepdim=True)) / (m.amax(-1, keepdim=True) - m.amin(-1, keepdim=True) + 1e-8)

    # First pass (not timed): S and A0, as the engine's.
    cross, selfs = install(True)
    P = P0[0, learn].clone().requires_grad_(True)
    with torch.no_grad():
        _, A0 = run_pass(P.detach(), cross, selfs)
        A_id = A0[0]
        L = torch.log(A_id + 1e-8)
        hh = (A_id * L).sum(-1, keepdim=True)
        ALt = A_id @ L.T
        S = 0.5 * (hh + hh.T - ALt - ALt.T)
    cross, selfs = install(not args.reuse_self_attention)
    opt = torch.optim.Adam([P], lr=1e-2)

    def step():
        a, A = run_pass(P, cross, selfs)
        A = A0 if A is None else A
        M = refine(a, A)
        Mhat = minmax(M)
        post = torch.softmax(Mhat / 0.1, -2)
        anchors = (post * (post >= 0.5)).detach()
        lcsc = 0
        for v in range(V):
            Mt = M[v] / (M[v].sum(-1, keepdim=True) + 1e-12)
            D = S @ Mt.T
            D = D / (D.detach().mean() + 1e-12)
            logp = torch.log_softmax(-D / 0.1, 1)
            wv = anchors[v].T
            lcsc = lcsc + (-(wv * logp).sum() / wv.sum().clamp_min(1e-12))
        pbar = post.mean(0)
        loss = lcsc / V - (pbar * torch.log(pbar.clamp_min(1e-12))).sum(0).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss.item()

    print(f"diffusers_step: {model_name}, {size}² (latent {h}²), {V} views, {args.threads} threads, "
          f"torch {torch.__version__}", file=sys.stderr)
    times, cpu = [], []
    for r in range(args.repeat + 1):
        t_img = time.perf_counter()
        for _ in range(args.steps):
            t0, c0 = time.perf_counter(), time.process_time()
            step()
            if r > 0:
                times.append((time.perf_counter() - t0) * 1000)
                cpu.append((time.process_time() - c0) * 1000)
        print(f"  {'warm-up' if r == 0 else 'image ' + str(r)}: {time.perf_counter() - t_img:.2f} s", file=sys.stderr)
    times.sort()
    cpu.sort()
    res = {"ms_per_step": statistics.median(times), "ms_per_step_min": times[0], "ms_per_step_max": times[-1],
           # this process's CPU time (all threads), as `invseg bench` reports it: with one thread it does not depend
           # on what else runs on the machine
           "cpu_ms_per_step": statistics.median(cpu), "cpu_ms_per_step_min": cpu[0], "cpu_ms_per_step_max": cpu[-1],
           "model": model_name, "input_size": size, "latent_size": h, "views": V, "threads": torch.get_num_threads(),
           "steps": args.steps, "repeat": args.repeat, "classes": classes[:-1], "timestep": args.timestep,
           "level_weights": weights, "reuse_self_attention": args.reuse_self_attention, "load_s": load_s,
           "unet_params_m": sum(p.numel() for p in unet.parameters()) / 1e6, "torch": torch.__version__,
           "diffusers": __import__("diffusers").__version__}
    print(json.dumps(res, indent=1))
    if args.json:
        args.json.write_text(json.dumps(res, indent=1) + "\n")
    if args.profile:
        from torch.profiler import ProfilerActivity, profile
        with profile(activities=[ProfilerActivity.CPU]) as prof:
            step()
        args.profile.write_text(prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=25) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
