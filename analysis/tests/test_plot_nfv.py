"""Tests of analysis/plot_nfv.py on a small database written as nfv-bench writes it."""

import os
import unittest

from helpers import TempDirTest, assert_coinciding_visible

import plot_nfv
import vmcomm_db


def add_point(conn, figures, mode, **params):
    """One nfv-bench run with its params (as the program names them) and counters."""
    p = {"nfv-scenario": "p2v", "vswitch": "", "guest": "dpdk", "size": 64, "direction": "uni", "chain": 1,
         "metric": "throughput", "load-fraction": "", "ns3::SriovNic::MaxVfs": 64}
    p.update({k.replace("_", "-"): v for k, v in params.items()})
    run_id = vmcomm_db.insert_run(conn, dict(scenario="nfv-bench", mode=mode, status="ok"), p)
    conn.executemany("INSERT INTO counters(run_id, component, name, value) VALUES (?, 'nfv-bench', ?, ?)",
                     [(run_id, n, v) for n, v in figures.items()])


class PlotNfvTest(TempDirTest):
    def test_a_plot_per_scenario(self):
        db = self.path("nfv.db")
        conn = vmcomm_db.connect(db)
        conn.execute("BEGIN")
        for mode, vswitch in (("veb", ""), ("vswitch-dpdk", "ovs-dpdk")):
            for scenario in ("p2v", "loopback"):
                for size in (64, 1518):
                    for direction in ("uni", "bi"):
                        add_point(conn, {"gbps_l1": size / 200, "mpps": 5.0}, mode, vswitch=vswitch,
                                  nfv_scenario=scenario, size=size, direction=direction)
                for fraction in (0.1, 0.5, 0.99):
                    add_point(conn, {"lat_median_us": 5 + fraction, "lat_p99_us": 9 + fraction, "mpps": 1.0},
                              mode, vswitch=vswitch, nfv_scenario=scenario, metric="latency",
                              load_fraction=fraction)
            add_point(conn, {"gbps_l1": 3.0, "mpps": 2.0}, mode, vswitch=vswitch, nfv_scenario="loopback", chain=2)
        # A failed run is not plotted.
        vmcomm_db.insert_run(conn, dict(scenario="nfv-bench", mode="vepa", status="failed"), {})
        conn.execute("COMMIT")
        points = plot_nfv.load(conn)
        conn.close()
        self.assertEqual(len(points), 2 * (2 * 2 * 2 + 2 * 3) + 2)
        self.assertEqual({plot_nfv.label(p) for p, _ in points}, {"veb", "vswitch-dpdk"})

        out = self.path("fig")
        result = self.run_tool("plot_nfv.py", db, "--out", out)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(sorted(os.listdir(out)), ["nfv-loopback.png", "nfv-p2v.png"])
        for name in os.listdir(out):
            with open(os.path.join(out, name), "rb") as f:
                self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")
        # plot.py makes them too when the database holds nfv-bench runs.
        result = self.run_tool("plot.py", db, "--out", self.path("all"))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertTrue(os.path.isfile(self.path("all", "nfv-p2v.png")), result.stderr)
        # ... and only them: nfv-bench points are no flows of a scenario run.
        self.assertEqual(sorted(os.listdir(self.path("all"))), ["nfv-loopback.png", "nfv-p2v.png"])

    def test_identical_modes_stay_visible_and_are_named(self):
        # vf-dma, veb and vepa with the same R+ and latency (the wire is the bottleneck): each
        # must show (a covered series drawn larger, its own marker) and the legend says they
        # are identical; the values drawn are the data's.
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        conn = vmcomm_db.connect(self.path("same.db"))
        conn.execute("BEGIN")
        for mode in ("vf-dma", "veb", "vepa", "vswitch-dpdk"):
            nic = mode != "vswitch-dpdk"
            vswitch = "" if nic else "ovs-dpdk"
            for size in (64, 256, 1518):
                for direction in ("uni", "bi"):
                    gbps = (10.0 if nic else size / 200) * (2 if direction == "bi" else 1)
                    add_point(conn, {"gbps_l1": gbps, "mpps": 14.88}, mode, vswitch=vswitch,
                              nfv_scenario="loopback", size=size, direction=direction)
            add_point(conn, {"gbps_l1": 5.0, "mpps": 7.5 if nic else 2.0}, mode, vswitch=vswitch,
                      nfv_scenario="loopback", chain=2)
            for fraction in (0.1, 0.99):
                add_point(conn, {"lat_median_us": (3 if nic else 5) + fraction, "lat_p99_us": 9 + fraction},
                          mode, vswitch=vswitch, nfv_scenario="loopback", metric="latency",
                          load_fraction=fraction)
        conn.execute("COMMIT")
        points = plot_nfv.load(conn)
        conn.close()
        fig = plot_nfv.figure(points, "loopback", plt)
        try:
            throughput, chain, latency = fig.axes
            for ax in fig.axes:
                self.assertGreater(assert_coinciding_visible(self, ax), 0)
            self.assertEqual(throughput.get_legend().get_title().get_text(),
                             "same values: vf-dma = veb = vepa (uni, bi)")
            # bi: one chain length only, the same 14.88 Mpps in every mode.
            self.assertEqual(chain.get_legend().get_title().get_text(),
                             "same values: vf-dma = veb = vepa (uni); vf-dma = veb = vepa = vswitch-dpdk (bi)")
            # p99 is the same in every mode; the median in the NIC modes only.
            self.assertEqual(latency.get_legend().get_title().get_text(),
                             "same values: vf-dma = veb = vepa (median); "
                             "vf-dma = veb = vepa = vswitch-dpdk (p99)")
            # One marker per mode in the throughput panels, in the legend as in the plot.
            handles = throughput.get_legend().legend_handles if hasattr(
                throughput.get_legend(), "legend_handles") else throughput.get_legend().legendHandles
            markers = {t.get_text().split(",")[0]: h.get_marker()
                       for t, h in zip(throughput.get_legend().get_texts(), handles)}
            self.assertEqual(len(set(markers.values())), 4, markers)
            # The values are the data's, not moved.
            self.assertEqual(sorted({tuple(line.get_ydata()) for line in throughput.get_lines()[:6]}),
                             [(10.0, 10.0, 10.0), (20.0, 20.0, 20.0)])
            self.assertEqual([tuple(line.get_xdata()) for line in throughput.get_lines()[:6]],
                             [(64, 256, 1518)] * 6)
        finally:
            plt.close(fig)

    def test_labels(self):
        self.assertEqual(plot_nfv.label({"mode": "vswitch-dpdk", "vswitch": "ovs-dpdk", "guest": "dpdk"}),
                         "vswitch-dpdk")
        self.assertEqual(plot_nfv.label({"mode": "vswitch-dpdk", "vswitch": "vpp", "guest": "kernel"}),
                         "vswitch-dpdk (vpp, kernel guests)")

    def test_no_nfv_runs_and_missing_database(self):
        db = self.path("empty.db")
        vmcomm_db.connect(db).close()
        result = self.run_tool("plot_nfv.py", db, "--out", self.path("x"))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("no nfv-bench runs", result.stderr)
        self.assertFalse(os.path.exists(self.path("x")))
        result = self.run_tool("plot_nfv.py", self.path("missing.db"))
        self.assertEqual(result.returncode, 2)


if __name__ == "__main__":
    unittest.main()
