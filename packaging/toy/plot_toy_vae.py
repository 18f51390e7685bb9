#!/usr/bin/env python3
"""Figure of toy VAEs: validation scenes, their round trips through each VAE, and the per-class error.

usage: plot_toy_vae.py OUT.png RUN_DIR=LABEL [RUN_DIR=LABEL ...]

Each RUN_DIR holds the trainer's vae_roundtrip.png (8 originals above their round trips) and vae_eval.txt.
"""
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.image as mpimg  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402


def read_eval(folder):
    errors, summary = {}, ""
    with open(f"{folder}/vae_eval.txt") as f:
        for line in f.readlines()[1:]:
            parts = line.split()
            if len(parts) == 2:
                errors[parts[0]] = float(parts[1])
            else:
                summary = line.strip()
    return errors, summary


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    runs = [spec.partition("=")[::2] for spec in argv[2:]]
    fig = plt.figure(figsize=(12, 2.0 * (len(runs) + 1) + 3.2))
    grid = fig.add_gridspec(len(runs) + 2, 1, height_ratios=[1] * (len(runs) + 1) + [1.6])
    first = mpimg.imread(f"{runs[0][0]}/vae_roundtrip.png")
    h = first.shape[0] // 2
    ax = fig.add_subplot(grid[0])
    ax.imshow(first[:h])
    ax.set_title("validation scenes (originals)", fontsize=9)
    ax.axis("off")
    for i, (folder, label) in enumerate(runs):
        img = mpimg.imread(f"{folder}/vae_roundtrip.png")
        ax = fig.add_subplot(grid[i + 1])
        ax.imshow(img[h:])
        ax.set_title(f"round trip (posterior mean): {label}", fontsize=9)
        ax.axis("off")
    ax = fig.add_subplot(grid[-1])
    width = 0.8 / len(runs)
    for i, (folder, label) in enumerate(runs):
        errors, summary = read_eval(folder)
        names = list(errors)
        ax.bar([k + i * width for k in range(len(names))], [errors[n] for n in names], width, label=f"{label}: {summary}")
        ax.set_xticks([k + width * (len(runs) - 1) / 2 for k in range(len(names))], names, fontsize=8)
    ax.set_ylabel("MSE per pixel ([-1, 1] units)")
    ax.legend(fontsize=7)
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(argv[1], dpi=75)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
