"""Peer test: pycocotools reads the engine's COCO export and gets the VOC PNG's labels back, pixel for pixel.

Two sources: `invseg segment --format voc,coco` on images of several sizes (odd ones included, with class names
that match nothing so that some classes are empty), and clean synthetic masks through the engine's exporter
(invseg_peer_export). For every image and every category, the union of the decoded masks of its annotations must
equal (PNG == label) exactly, annotation areas and boxes must be pycocotools' own, and COCO(...) must load the file
without printing a warning.
"""

from __future__ import annotations

import contextlib
import io
import tempfile
import unittest
import warnings
from pathlib import Path

import numpy as np
from pycocotools import mask as mask_utils
from pycocotools.coco import COCO

import peer_common as pc


def load_coco(path: Path) -> COCO:
    """COCO(path) with its stdout and Python warnings captured; a warning fails the test."""
    out = io.StringIO()
    with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stdout(out):
        warnings.simplefilter("always")
        coco = COCO(str(path))
    text = out.getvalue()
    print(text, end="")
    if caught:
        raise AssertionError(f"COCO({path.name}) warned: {[str(w.message) for w in caught]}")
    bad = [line for line in text.splitlines() if "warn" in line.lower() or "error" in line.lower()]
    if bad:
        raise AssertionError(f"COCO({path.name}) printed {bad}")
    return coco


class CocoPeer(unittest.TestCase):
    def check(self, coco: COCO, pngs: dict, classes_of: dict) -> dict:
        """Compares every image of `coco` with its PNG; returns category name -> images in which it is empty."""
        self.assertEqual(sorted(im["file_name"] for im in coco.dataset["images"]), sorted(pngs))
        empty = {}
        for im in coco.dataset["images"]:
            labels = pc.read_label_png(pngs[im["file_name"]])
            names = classes_of[im["file_name"]]
            self.assertEqual((im["height"], im["width"]), labels.shape, im["file_name"])
            cats = {c["id"]: c["name"] for c in coco.dataset["categories"]}
            self.assertEqual(sorted(cats.values()), sorted(names[1:]), "categories are the classes but background")
            for cat_id, name in cats.items():
                want = labels == names.index(name)
                got = np.zeros(labels.shape, bool)
                anns = coco.loadAnns(coco.getAnnIds(imgIds=[im["id"]], catIds=[cat_id]))
                for ann in anns:
                    m = coco.annToMask(ann).astype(bool)
                    self.assertEqual(m.shape, labels.shape)
                    self.assertFalse((got & m).any(), f"{im['file_name']}/{name}: annotations overlap")
                    got |= m
                    rle = coco.annToRLE(ann)
                    self.assertEqual(int(mask_utils.area(rle)), ann["area"], f"{im['file_name']}/{name}: area")
                    np.testing.assert_allclose(mask_utils.toBbox(rle), ann["bbox"], atol=0,
                                               err_msg=f"{im['file_name']}/{name}: bbox")
                mismatch = int((got != want).sum())
                self.assertEqual(mismatch, 0, f"{im['file_name']}/{name}: {mismatch} pixels differ from the PNG")
                if not want.any():
                    self.assertEqual(anns, [], f"{im['file_name']}/{name}: annotation for an empty class")
                    empty.setdefault(name, []).append(im["file_name"])
        return empty

    def test_cli_export_matches_voc_png(self):
        with tempfile.TemporaryDirectory(prefix="invseg-peer-coco-") as tmp:
            tmp = Path(tmp)
            out, reports = pc.segment_samples(tmp, "voc,coco")
            pngs = {name: outputs["voc"] for name, (_, outputs) in reports.items()}
            classes_of = {name: pc.class_list(png) for name, png in pngs.items()}
            coco = load_coco(out / "coco.json")
            empty = self.check(coco, pngs, classes_of)
            sizes = {pc.read_label_png(p).shape for p in pngs.values()}
            print(f"checked {len(pngs)} images, sizes {sorted(sizes)}; empty classes: {empty}")
            self.assertTrue(any(h % 2 or w % 2 for h, w in sizes), "no odd-sized image was checked")
            self.assertTrue(empty, "no class was empty in any image: the run checked no empty class")

    def test_synthetic_masks(self):
        with tempfile.TemporaryDirectory(prefix="invseg-peer-coco-syn-") as tmp:
            tmp = Path(tmp)
            names = ["background", "cat", "dog", "grass", "empty class"]
            for i, (h, w) in enumerate([(64, 64), (61, 97), (130, 45), (1, 17), (33, 1)]):
                labels = pc.synthetic_mask(max(h, 9), max(w, 9), 4, seed=i)[:h, :w] if min(h, w) > 1 \
                    else (np.arange(h * w).reshape(h, w) % 3).astype(np.uint8)
                png = tmp / f"syn{i}.png"
                pc.save_label_png(png, labels)
                (tmp / "classes.txt").write_text("\n".join(names) + "\n")
                pc.run([pc.tool("INVSEG_PEER_EXPORT"), png, tmp / "classes.txt", tmp / f"syn{i}", png.name])
                coco = load_coco(tmp / f"syn{i}.coco.json")
                empty = self.check(coco, {png.name: png}, {png.name: names})
                self.assertIn("empty class", empty)


if __name__ == "__main__":
    unittest.main(verbosity=2)
