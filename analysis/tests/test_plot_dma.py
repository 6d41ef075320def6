"""Tests of analysis/plot_dma.py on a small database written as dma-bench writes it."""

import os
import unittest

from helpers import TempDirTest, assert_coinciding_visible

import vmcomm_db

PLOTS = ("dma-bw-vs-size.png", "dma-lat-vs-size.png", "dma-iommu-window.png")


def add_point(conn, figures, **params):
    """One dma-bench run with its params (as the program names them) and counters."""
    p = dict(preset="nfp6000-bdw", op="read", metric="bw", iommu="off", pattern="rand", size=64,
             window=8192, **{"page-size": 4096, "ns3::Iommu::IotlbEntries": 64})
    p.update({k.replace("_", "-"): v for k, v in params.items()})
    run_id = vmcomm_db.insert_run(conn, dict(scenario="dma-bench", status="ok"), p)
    conn.executemany("INSERT INTO counters(run_id, component, name, value) VALUES (?, 'dma-bench', ?, ?)",
                     [(run_id, n, v) for n, v in figures.items()])


class PlotDmaTest(TempDirTest):
    def test_plots_from_dma_bench_runs(self):
        db = self.path("dma.db")
        conn = vmcomm_db.connect(db)
        conn.execute("BEGIN")
        for size in (64, 256, 2048):
            add_point(conn, {"gbps": 30.0 + size / 100}, size=size)
            add_point(conn, {"gbps": 24.0 + size / 100}, size=size, op="write")
            add_point(conn, {"lat_median_ns": 550 + size * 0.3, "lat_p999_ns": 560 + size * 0.3},
                      size=size, metric="lat")
        for window in (4096, 262144, 67108864):
            add_point(conn, {"gbps": 32.0 if window <= 262144 else 9.7}, window=window, iommu="on")
            add_point(conn, {"lat_median_ns": 554 if window <= 262144 else 874}, window=window,
                      iommu="on", metric="lat")
        conn.execute("COMMIT")
        conn.close()

        out = self.path("fig")
        result = self.run_tool("plot_dma.py", db, "--out", out)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertNotIn("skipped", result.stderr)
        for name in PLOTS:
            with open(os.path.join(out, name), "rb") as f:
                self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")

        # plot.py makes them too when the database holds dma-bench runs.
        result = self.run_tool("plot.py", db, "--out", self.path("all"))
        self.assertEqual(result.returncode, 0, result.stderr)
        for name in PLOTS:
            self.assertTrue(os.path.isfile(self.path("all", name)), result.stderr)

    def test_coinciding_model_series_stay_visible(self):
        # Within the IOTLB's reach 4 KiB pages, 128 entries and 2 MiB pages give the same
        # bandwidth: each of the three shows (drawn around the next), values unmoved.
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        import plot_dma

        conn = vmcomm_db.connect(self.path("iommu.db"))
        conn.execute("BEGIN")
        windows = (4096, 65536, 262144, 1048576, 67108864)
        for window in windows:
            far = window > 262144
            add_point(conn, {"gbps": 9.7 if far else 32.0}, window=window, iommu="on")
            add_point(conn, {"gbps": 12.0 if far else 32.0}, window=window, iommu="on",
                      **{"ns3::Iommu::IotlbEntries": 128})
            add_point(conn, {"gbps": 32.0}, window=window, iommu="on", page_size=2097152)
        conn.execute("COMMIT")
        points = plot_dma.load(conn)
        conn.close()
        figures = {}

        def keep(fig, plt_, out_dir, name):
            figures[name] = fig
            return name

        original, plot_dma.save = plot_dma.save, keep
        try:
            plot_dma.plot_iommu_window(points, plt, self.dir)
        finally:
            plot_dma.save = original
        fig = figures["dma-iommu-window.png"]
        try:
            ax = fig.axes[0]
            self.assertGreater(assert_coinciding_visible(self, ax), 0)
            labelled = [line for line in ax.get_lines() if not line.get_label().startswith("_")]
            self.assertEqual([tuple(line.get_ydata()) for line in labelled[:3]],
                             [(32.0, 32.0, 32.0, 9.7, 9.7), (32.0, 32.0, 32.0, 12.0, 12.0), (32.0,) * 5])
        finally:
            plt.close(fig)

    def test_no_dma_runs_and_missing_database(self):
        db = self.path("empty.db")
        conn = vmcomm_db.connect(db)
        conn.close()
        result = self.run_tool("plot_dma.py", db, "--out", self.path("x"))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("no dma-bench runs", result.stderr)
        self.assertFalse(os.path.exists(self.path("x")))
        result = self.run_tool("plot_dma.py", self.path("missing.db"))
        self.assertEqual(result.returncode, 2)
        self.assertIn("no such results database", result.stderr)


if __name__ == "__main__":
    unittest.main()
