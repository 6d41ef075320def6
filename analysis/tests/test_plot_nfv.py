"""Tests of analysis/plot_nfv.py on a small database written as nfv-bench writes it."""

import os
import unittest

from helpers import TempDirTest

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
