#!/usr/bin/env python3
"""Plots docs/performance.md's peer table: InvSeg (`invseg bench --json`) against diffusers (diffusers_step.py --json).

  plot_peer.py DIR [--out docs/performance-peer.png]

DIR holds, per model M of toy, sd1, sd15-128: invseg-M.json and diffusers-M.json; and, for the threads figure,
threads-*.json (invseg bench runs; the file name after "threads-" is the bar's label). Bars are the median CPU time
per step (cpu_ms_per_step: with one thread it does not depend on the machine's load), whiskers the min-max.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

MODELS = [("toy", "bundled toy"), ("sd1", "golden sd1"), ("sd15-128", "SD 1.5 size")]


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("dir", type=Path)
    p.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[2] / "docs" / "performance-peer.png")
    a = p.parse_args()
    load = lambda name: json.loads((a.dir / name).read_text()) if (a.dir / name).exists() else None  # noqa: E731
    threads = sorted(a.dir.glob("threads-*.json"))
    fig, axes = plt.subplots(1, 2 if threads else 1, figsize=(11 if threads else 7, 4.2), squeeze=False)
    ax = axes[0][0]
    labels, x = [], 0
    for key, label in MODELS:
        inv, dif = load(f"invseg-{key}.json"), load(f"diffusers-{key}.json")
        if not inv or not dif:
            continue
        for off, r, colour, name in ((-0.2, inv, "tab:blue", "InvSeg (LibTorch)"), (0.2, dif, "tab:orange",
                                                                                      "diffusers eager")):
            med, lo, hi = r["cpu_ms_per_step"], r["cpu_ms_per_step_min"], r["cpu_ms_per_step_max"]
            ax.bar(x + off, med, 0.4, color=colour, label=name if x == 0 else None,
                   yerr=[[med - lo], [hi - med]], capsize=3)
        ax.text(x, max(inv["cpu_ms_per_step"], dif["cpu_ms_per_step"]) * 1.15,
                f"{inv['cpu_ms_per_step'] / dif['cpu_ms_per_step']:.2f}×", ha="center")
        labels.append(f"{label}\n{inv['input_size']}² ({inv['unet_params_m']:.1f} M)")
        x += 1
    ax.set_xticks(range(len(labels)), labels)
    if "sd15-128" in " ".join(labels) or len(labels) > 2:
        ax.set_yscale("log")
    else:
        ax.set_ylim(0, ax.get_ylim()[1] * 1.25)
    ax.set_ylabel("CPU ms per step (median, 1 thread)")
    ax.set_title("One InvSeg step: engine vs diffusers (ratio above)")
    ax.legend(loc="lower right")
    if threads:
        ax = axes[0][1]
        for i, f in enumerate(threads):
            r = json.loads(f.read_text())
            ax.bar(i, r["ms_per_step"], 0.6, yerr=[[r["ms_per_step"] - r["ms_per_step_min"]],
                                                   [r["ms_per_step_max"] - r["ms_per_step"]]], capsize=3)
        ax.set_xticks(range(len(threads)), [f.stem[len("threads-"):].replace("_", "\n") for f in threads])
        ax.set_ylabel("wall ms per step (median, log)")
        ax.set_yscale("log")
        ax.set_title("toy model, --threads N: OpenBLAS pool set or untouched")
    fig.tight_layout()
    fig.savefig(a.out, dpi=110)
    print(f"wrote {a.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
