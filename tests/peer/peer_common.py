"""Shared helpers of the peer tests (tests/peer): run the engine's programs and find what they wrote.

The CLI's output file names are read from its per-image report (NAME.report.json, key "outputs") instead of being
assumed, so that a change of naming (for example masks written as NAME.label.png) needs no change here beyond
REPORT_GLOB, the one place that knows how reports are named.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
from PIL import Image

REPO = Path(__file__).resolve().parents[2]
# How the CLI names its per-image report; everything else is read from the reports.
REPORT_GLOB = "*.report.json"


def tool(name: str) -> Path:
    """A program of the build, passed by ctest as an environment variable (INVSEG_CLI, INVSEG_PEER_EXPORT, ...)."""
    value = os.environ.get(name)
    if not value or not Path(value).is_file():
        raise RuntimeError(f"{name} is not set to a built program (run through ctest: make peer-test)")
    return Path(value)


def run(cmd: list, **kw) -> subprocess.CompletedProcess:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    r = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, **kw)
    if r.returncode != 0:
        sys.stderr.write(r.stdout + r.stderr)
        raise RuntimeError(f"{cmd[0]} exited with {r.returncode}")
    return r


def read_reports(out_dir: Path) -> dict:
    """image file name -> (report, {format: output path}) for every report the CLI wrote into out_dir."""
    found = {}
    for path in sorted(out_dir.glob(REPORT_GLOB)):
        report = json.loads(path.read_text())
        image = Path(report["image"]["path"]).name
        outputs = {k: out_dir / v for k, v in report["outputs"].items() if isinstance(v, str)}
        found[image] = (report, outputs)
    if not found:
        raise AssertionError(f"no report matching {REPORT_GLOB} in {out_dir}: {sorted(os.listdir(out_dir))}")
    return found


def read_label_png(path: Path) -> np.ndarray:
    """The label of every pixel of a VOC palette PNG (pixel value = label), read with Pillow."""
    img = Image.open(path)
    if img.mode != "P":
        raise AssertionError(f"{path} is a {img.mode} PNG, not a palette PNG")
    return np.array(img)


def class_list(png: Path) -> list[str]:
    """The class names written beside a VOC PNG (NAME.classes.txt; line i = label i)."""
    return png.with_suffix(".classes.txt").read_text().splitlines()


def sample_images(out_dir: Path) -> tuple[list[Path], list[str]]:
    """Images of several sizes, odd ones included, cut and scaled from the bundled samples, and their classes.

    The class list adds names that match nothing in the toy world so that some classes are empty in some images.
    """
    samples = sorted(p for p in (REPO / "resources" / "samples").glob("*.png") if not p.name.endswith(".gt.png"))
    if not samples:
        raise AssertionError("no sample images in resources/samples")
    classes = [c for c in (samples[0].with_suffix(".classes.txt")).read_text().splitlines()
               if c.strip() and not c.startswith("#") and c.strip() != "background"]
    sizes = [(128, 128), (97, 61), (45, 130), (151, 89)]
    images = []
    for i, (w, h) in enumerate(sizes):
        src = Image.open(samples[i % len(samples)]).convert("RGB")
        if (w, h) != src.size:
            src = src.resize((w, h), Image.BILINEAR)
        path = out_dir / f"peer_{i}_{w}x{h}.png"
        src.save(path)
        images.append(path)
    return images, classes + ["zebra", "aeroplane"]


def segment(images: list[Path], classes: list[str], out_dir: Path, formats: str) -> None:
    """`invseg segment` on the bundled toy model, a few steps, one thread."""
    run([tool("INVSEG_CLI"), "segment", *images, "--classes", ",".join(classes), "--steps", "2", "--threads", "1",
         "--out", out_dir, "--format", formats, "--quiet"])


def segment_samples(tmp: Path, formats: str) -> tuple[Path, dict]:
    """sample_images() segmented into tmp/out with `formats`: (out folder, read_reports(out)), one report an image."""
    images, classes = sample_images(tmp)
    out = tmp / "out"
    segment(images, classes, out, formats)
    reports = read_reports(out)
    if sorted(reports) != sorted(p.name for p in images):
        raise AssertionError(f"reports for {sorted(reports)}, images {sorted(p.name for p in images)}")
    return out, reports


def synthetic_mask(h: int, w: int, n_classes: int, seed: int) -> np.ndarray:
    """A clean label map: discs, rectangles and a ring with a hole (a later region inside an earlier one)."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:h, 0:w]
    m = np.zeros((h, w), np.uint8)
    for _ in range(6):
        c = int(rng.integers(1, n_classes))
        if rng.random() < 0.5:
            cy, cx, r = rng.uniform(0, h), rng.uniform(0, w), rng.uniform(6, min(h, w) / 3)
            m[(yy - cy) ** 2 + (xx - cx) ** 2 <= r * r] = c
        else:
            y0, x0 = int(rng.integers(0, h - 8)), int(rng.integers(0, w - 8))
            m[y0:y0 + int(rng.integers(6, h // 2)), x0:x0 + int(rng.integers(6, w // 2))] = c
    cy, cx = h / 2, w / 2
    d = (yy - cy) ** 2 + (xx - cx) ** 2
    r = min(h, w) / 4
    m[(d <= r * r) & (d >= (r / 2) ** 2)] = 1
    return m


def save_label_png(path: Path, labels: np.ndarray) -> None:
    img = Image.fromarray(labels, mode="P")
    img.putpalette([v for i in range(256) for v in ((i * 37) % 256, (i * 91) % 256, (i * 53) % 256)])
    img.save(path)
