"""analysis/iotlb_reach.py: the walks per second of a point, and the IOTLB size that makes them flat
over the windows when the data were made by walkers of a fixed capacity behind an IOTLB of that
size; bad input refused (exit 2, one line)."""

import os
import unittest

import iotlb_reach
from helpers import TempDirTest

HEADER = "Test,PAT,Cache,HO,DO,WinSZ,SZ,Time(cyc),Time,Bytes,Trans,BW (GB/s),Trans/s"
PAGE = 4096
WINDOWS = [1 << 20, 2 << 20, 4 << 20, 16 << 20, 64 << 20]


def transfers_behind(entries, capacity, window, size=64):
    """Transfers/s of walkers of `capacity` walks/s behind an IOTLB of `entries` (walker-bound)."""
    miss = 1.0 - min(1.0, entries / (window // PAGE))
    return capacity / (miss * iotlb_reach.pages_per_transfer(size, PAGE))


class WalkArithmetic(unittest.TestCase):
    def test_pages_per_transfer(self):
        self.assertEqual(iotlb_reach.pages_per_transfer(64, PAGE), 1.0)
        self.assertAlmostEqual(iotlb_reach.pages_per_transfer(512, PAGE), 1 + 7 * 64 / 4096)
        self.assertEqual(iotlb_reach.pages_per_transfer(8192, PAGE), 2.0)

    def test_walks_per_second(self):
        # 128 pages, 64 entries: half the lookups walk; a window the IOTLB covers walks none.
        self.assertAlmostEqual(iotlb_reach.walks_per_second(40e6, 64, 512 << 10, 64, PAGE), 20e6)
        self.assertEqual(iotlb_reach.walks_per_second(40e6, 64, 256 << 10, 64, PAGE), 0.0)

    def test_the_generating_size_is_the_flat_one(self):
        points = [("BW_DMA_WR", "HWarm", w, 64, transfers_behind(112, 22e6, w)) for w in WINDOWS]
        summary = iotlb_reach.summarise(points, [64, 112, 128], PAGE, 1 << 20)
        self.assertAlmostEqual(summary[("HWarm", 112)][2], 0.0)
        self.assertAlmostEqual(summary[("HWarm", 112)][0], 22e6)
        self.assertGreater(summary[("HWarm", 64)][2], 0.05)
        self.assertGreater(summary[("HWarm", 128)][2], 0.05)


class Program(TempDirTest):
    def reach(self, *args):
        return self.run_tool("iotlb_reach.py", *args)

    def write(self, name, rows):
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            f.write(HEADER + "\n" + "".join(r + "\n" for r in rows))
        return path

    def test_prints_each_file_and_cache(self):
        rows = [f"BW_DMA_RD,Rand,Cold,0,0,{w}.0,64,1,1,1,1,1,{transfers_behind(80, 19e6, w)}"
                for w in WINDOWS]
        rows.append("BW_DMA_RD,Seq,Cold,0,0,4096,64,1,1,1,1,1,1")  # sequential: ignored
        self.write("bw_dma_win_sweep_rd_rnd_64.csv", rows)
        r = self.reach(self.dir, "--entries=64,80")
        self.assertEqual(r.returncode, 0, r.stderr)
        line = [l for l in r.stdout.splitlines() if l.startswith("bw_dma_win_sweep_rd_rnd_64.csv")]
        self.assertEqual(len(line), 1)
        self.assertIn("19.0- 19.0 ( 0.0%)", line[0])  # E=80, the generating size

    def test_bad_input(self):
        self.write("bw_dma_win_sweep_rd_rnd_64.csv", ["BW_DMA_RD,Rand,Cold,0,0,big,64,1,1,1,1,1,1"])
        r = self.reach(self.dir)
        self.assertEqual(r.returncode, 2)
        self.assertIn("bw_dma_win_sweep_rd_rnd_64.csv:2: WinSZ 'big'", r.stderr)
        self.assertEqual(len(r.stderr.strip().splitlines()), 1)
        r = self.reach(self.dir, "--entries=0")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--entries=0", r.stderr)
        r = self.reach(os.path.join(self.dir, "nope"))
        self.assertEqual(r.returncode, 2)
        self.assertIn("not a directory", r.stderr)


if __name__ == "__main__":
    unittest.main()
