"""Tests of analysis/nfv_training.py with a fake nfv-bench program."""

import os
import stat
import unittest

from helpers import PYTHON, TempDirTest

import nfv_training

# Answers as nfv-bench would: a point per profile it knows, exit status 2 for the others.
FAKE = f"""#!{PYTHON}
import json, sys
args = dict(a[2:].split("=", 1) for a in sys.argv[1:] if "=" in a)
if args.get("vswitch") not in ("ovs-dpdk", "ovs-kernel"):
    sys.stderr.write("nfv-bench: --vswitch=" + args.get("vswitch", "") + ": allowed values are ovs-kernel, ovs-dpdk\\n")
    sys.exit(2)
if args.get("scenario") == "p2v":
    sys.stderr.write("boom\\n")
    sys.exit(1)
print(json.dumps({{"gbps_l1": 4.433, "lat_median_us": 4.26, "lat_p99_us": 9.78}}))
"""


class NfvTrainingTest(TempDirTest):
    def test_table_against_a_fake_program(self):
        program = self.path("nfv-bench")
        with open(program, "w") as f:
            f.write(FAKE)
        os.chmod(program, os.stat(program).st_mode | stat.S_IEXEC)
        result = self.run_tool("nfv_training.py", f"--bin={program}", "--markdown")
        self.assertEqual(result.returncode, 1, result.stderr)  # p2v failed
        lines = result.stdout.splitlines()
        self.assertEqual(lines[0], "| figure (Zhang et al. 2019) | published | model | deviation |")
        self.assertEqual(len(lines), 2 + len(nfv_training.FIGURES))
        self.assertIn("| OVS-DPDK v2v 64 B | 4.03 Gb/s | 4.43 Gb/s | +10.0% |", lines)
        self.assertIn("| OVS-DPDK p2p 64 B latency at 0.1 R+, median | 4.26 us | 4.26 us | +0.0% |", lines)
        self.assertIn("| OVS-DPDK p2p 64 B latency at 0.1 R+, p99 | 4.89 us | 9.78 us | +100.0% |", lines)
        self.assertTrue(any(l.startswith("| VPP v2v 64 B | 4.54 Gb/s | n/a | not available: nfv-bench: "
                                         "--vswitch=vpp") for l in lines), lines)
        self.assertTrue(any(l.startswith("| OVS-DPDK p2v 64 B | 5.14 Gb/s | n/a | failed: boom") for l in lines))

    def test_missing_program(self):
        result = self.run_tool("nfv_training.py", f"--bin={self.path('none')}")
        self.assertEqual(result.returncode, 2)
        self.assertIn("no nfv-bench program", result.stderr)


if __name__ == "__main__":
    unittest.main()
