#!/usr/bin/env python3
"""Chooses a toy model's readout (level weights by resolution, timestep) on VALIDATION scenes only.

usage: tune_toy_readout.py INVSEG_CLI MODEL_DIR [SEEDS] [THREADS] [PART/PARTS]

PART/PARTS (e.g. 0/2) runs every PARTS-th setting of the grid only, so that several processes can share it.

Runs `invseg evaluate --method baseline` on validation seeds (default 1000000000-1000000099) for a grid of level
weights and timesteps, prints a table and the best setting as the JSON for MODEL_DIR/invseg_defaults.json.
The test split (2000000000..) is never touched here.
"""
import json
import os
import subprocess
import sys
import tempfile

WEIGHTS = [
    [1, 0, 0, 0],
    [0.5, 0.5, 0, 0],
    [0.4, 0.4, 0.2, 0],
    [0.2, 0.5, 0.3, 0],
    [0, 1, 0, 0],
]
TIMESTEPS = [100, 200, 400]


def evaluate(cli, model, seeds, threads, options):
    with tempfile.TemporaryDirectory() as d:
        cfg = os.path.join(d, "options.json")
        out = os.path.join(d, "result.json")
        with open(cfg, "w") as f:
            json.dump(options, f)
        subprocess.run([cli, "evaluate", "--dataset", f"toy:seeds={seeds}", "--method", "baseline", "--model", model,
                        "--config", cfg, "--json", out, "--quiet", "--threads", str(threads)],
                       check=True, stdout=subprocess.DEVNULL)
        with open(out) as f:
            return json.load(f)["miou"]


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    cli, model = argv[1], argv[2]
    seeds = argv[3] if len(argv) > 3 else "1000000000-1000000099"
    threads = int(argv[4]) if len(argv) > 4 else 2
    part, parts = (int(x) for x in (argv[5] if len(argv) > 5 else "0/1").split("/"))
    assert seeds.startswith("1"), "validation seeds only"
    results = []
    grid = [(t, w) for t in TIMESTEPS for w in WEIGHTS]
    for i, (t, w) in enumerate(grid):
        if i % parts == part:
            miou = evaluate(cli, model, seeds, threads, {"level_weights": w, "timestep": t})
            results.append((miou, t, w))
            print(f"t={t:4d} weights={w}: {miou:.2f}", flush=True)
    best = max(results, key=lambda r: r[0])
    print("best:", json.dumps({"level_weights": best[2], "timestep": best[1]}), f"(validation mIoU {best[0]:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
