"""Peer test: labelme's own reader and rasteriser on the engine's labelme export.

labelme.label_file.LabelFile loads each exported JSON (its image found through imagePath, as the labelme app finds
it), the file's "version" is the installed labelme's (the version pinned in packaging/torch2/requirements.txt is
the format version the engine writes), and labelme.utils.shapes_to_label rasterises the shapes; every class's IoU
against the VOC PNG must be at least MIN_IOU. Run on `invseg segment --format voc,labelme` outputs for images of
several sizes and on clean synthetic masks through the engine's exporter (invseg_peer_export). Each IoU is printed.
"""

from __future__ import annotations

import json
import os
import tempfile
import unittest
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # labelme imports Qt; nothing here needs a display

import labelme  # noqa: E402
import numpy as np  # noqa: E402
from labelme.label_file import LabelFile  # noqa: E402
from labelme.utils import shapes_to_label  # noqa: E402
from PIL import Image  # noqa: E402

import peer_common as pc  # noqa: E402

MIN_IOU = 0.98


def ious(json_path: Path, labels: np.ndarray, names: list[str]) -> dict:
    """Per-class IoU of labelme's rasterisation of json_path against labels (classes present in either)."""
    lf = LabelFile(str(json_path))
    if lf.imageData is None:
        raise AssertionError(f"labelme found no image for {json_path.name} (imagePath {lf.imagePath})")
    img = np.asarray(Image.open(json_path.parent / lf.imagePath))
    if img.shape[:2] != labels.shape:
        raise AssertionError(f"{lf.imagePath}: image {img.shape[:2]}, labels {labels.shape}")
    name_to_value = {n: i for i, n in enumerate(names)}
    cls, _ = shapes_to_label(img.shape, lf.shapes, name_to_value)
    out = {}
    for value, name in enumerate(names[1:], start=1):
        a, b = cls == value, labels == value
        union = int((a | b).sum())
        if union:
            out[name] = int((a & b).sum()) / union
    return out


class LabelmePeer(unittest.TestCase):
    def check(self, json_path: Path, labels: np.ndarray, names: list[str]) -> dict:
        version = json.loads(json_path.read_text())["version"]
        self.assertEqual(version, labelme.__version__, "the file's format version is not the labelme it is read by")
        result = ious(json_path, labels, names)
        print(f"{json_path.name}: " + ", ".join(f"{k} {v:.4f}" for k, v in result.items()), flush=True)
        self.assertTrue(result, f"{json_path.name}: no class to compare")
        for name, iou in result.items():
            self.assertGreaterEqual(iou, MIN_IOU, f"{json_path.name}/{name}")
        return result

    def test_cli_export_matches_voc_png(self):
        with tempfile.TemporaryDirectory(prefix="invseg-peer-labelme-") as tmp:
            tmp = Path(tmp)
            _, reports = pc.segment_samples(tmp, "voc,labelme")
            failures = []
            for name, (_, outputs) in sorted(reports.items()):
                png = outputs["voc"]
                try:
                    self.check(outputs["labelme"], pc.read_label_png(png), pc.class_list(png))
                except AssertionError as e:  # report every image before failing
                    failures.append(str(e))
            self.assertEqual(failures, [])

    def test_synthetic_masks(self):
        with tempfile.TemporaryDirectory(prefix="invseg-peer-labelme-syn-") as tmp:
            tmp = Path(tmp)
            names = ["background", "cat", "dog", "grass"]
            (tmp / "classes.txt").write_text("\n".join(names) + "\n")
            failures = []
            for i, (h, w) in enumerate([(64, 64), (61, 97), (130, 45), (128, 128)]):
                labels = pc.synthetic_mask(h, w, len(names), seed=100 + i)
                png = tmp / f"syn{i}.png"
                pc.save_label_png(png, labels)
                image = tmp / f"syn{i}.image.png"
                Image.fromarray(np.full((h, w, 3), 128, np.uint8)).save(image)
                pc.run([pc.tool("INVSEG_PEER_EXPORT"), png, tmp / "classes.txt", tmp / f"syn{i}", image.name])
                try:
                    self.check(tmp / f"syn{i}.labelme.json", labels, names)
                except AssertionError as e:
                    failures.append(str(e))
            self.assertEqual(failures, [])


if __name__ == "__main__":
    unittest.main(verbosity=2)
