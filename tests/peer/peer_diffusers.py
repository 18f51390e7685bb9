"""Peer test: the engine against diffusers/transformers computed in this run, on fresh random tiny SD 1 and SD 2.

tests/golden/make_golden.py builds both tiny pipelines in diffusers with a seed other than the stored sets' (random
weights, both layouts: diffusers folder and single file), computes the reference text embeddings, UNet outputs,
attention maps and gradient in this venv's diffusers/transformers/torch, and writes them to a temporary golden
root; the parity test binary then runs on that root (INVSEG_GOLDEN_DIR) at its own tolerances. Every parity test
must run and pass, none skipped, and both sets must have been compared.
"""

from __future__ import annotations

import json
import os
import tempfile
import unittest
from pathlib import Path

import peer_common as pc

SEED = int(os.environ.get("INVSEG_PEER_SEED", "1"))


class DiffusersPeer(unittest.TestCase):
    def test_parity_with_fresh_sets(self):
        with tempfile.TemporaryDirectory(prefix="invseg-peer-diffusers-") as tmp:
            tmp = Path(tmp)
            root = tmp / "golden"
            import sys
            pc.run([sys.executable, pc.REPO / "tests" / "golden" / "make_golden.py", "--sets", "sd1,sd2",
                    "--seed", SEED, "--out", root])
            sets = sorted(p.parent.name for p in root.glob("*/golden.json"))
            self.assertEqual(sets, ["sd1", "sd2"], "the generator did not write both sets")
            report = tmp / "parity.json"
            env = dict(os.environ, INVSEG_GOLDEN_DIR=str(root))
            r = pc.run([pc.tool("INVSEG_PARITY_TEST"), f"--gtest_output=json:{report}", "--gtest_brief=0"], env=env)
            print(r.stdout[-6000:])
            res = json.loads(report.read_text())
            ran = [t for s in res["testsuites"] for t in s["testsuite"]]
            skipped = [t["name"] for t in ran if t.get("result") == "SKIPPED" or t.get("status") != "RUN"]
            print(f"seed {SEED}: {len(ran)} parity tests on sets {sets}, {res['failures']} failures, "
                  f"skipped {skipped}")
            self.assertGreater(len(ran), 0)
            self.assertEqual(res["failures"], 0)
            self.assertEqual(res["errors"], 0)
            self.assertEqual(skipped, [])
            for s in sets:
                self.assertIn(f"{s}/", r.stdout, f"no comparison on set {s} was reported")


if __name__ == "__main__":
    unittest.main(verbosity=2)
