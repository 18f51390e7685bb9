#!/usr/bin/env python3
"""Plots toy-model training runs: epsilon MSE and validation mIoU (baseline, K = 0) against samples seen.

usage: plot_toy_training.py OUT.png RUN_DIR[=LABEL] [RUN_DIR[=LABEL] ...]

Each RUN_DIR is an `invseg-train-toy --out` folder (its loss.csv: stage,step,loss,lr,seconds,samples,val_miou).
"""
import csv
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def read_run(folder):
    loss, val = [], []
    with open(f"{folder}/loss.csv", newline="") as f:
        for row in csv.DictReader(f):
            if row["stage"] == "unet" and row["loss"]:
                loss.append((int(row["samples"]), float(row["loss"])))
            elif row["stage"] == "val" and row["val_miou"]:
                val.append((int(row["samples"]), float(row["val_miou"]), float(row["seconds"])))
    return loss, val


def smooth(points, window=50):
    out, acc = [], []
    for x, y in points:
        acc.append(y)
        if len(acc) > window:
            acc.pop(0)
        out.append((x, sum(acc) / len(acc)))
    return out


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    out = argv[1]
    fig, (ax_loss, ax_val) = plt.subplots(1, 2, figsize=(12, 4.5))
    for spec in argv[2:]:
        folder, _, label = spec.partition("=")
        label = label or folder.rstrip("/").split("/")[-1]
        loss, val = read_run(folder)
        if loss:
            s = smooth(loss)
            ax_loss.plot([p[0] for p in s], [p[1] for p in s], label=label)
        if val:
            ax_val.plot([p[0] for p in val], [p[1] for p in val], marker="o", label=label)
    ax_loss.set_xlabel("training samples seen (UNet stage)")
    ax_loss.set_ylabel("epsilon MSE (running mean of 50 steps)")
    ax_loss.set_title("loss")
    ax_val.set_xlabel("training samples seen (UNet stage)")
    ax_val.set_ylabel("mIoU % (baseline K = 0, validation scenes)")
    ax_val.set_title("validation mIoU")
    for ax in (ax_loss, ax_val):
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
