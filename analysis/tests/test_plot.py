"""Tests of analysis/plot.py."""

import os
import sqlite3
import unittest

from unittest import mock

from helpers import TempDirTest, assert_coinciding_visible, small_spec

import vmcomm_db

PLOTS = ("latency-cdf.png", "throughput-vs-size.png", "p99-latency-vs-size.png", "speedup.png",
         "cpu-per-gbps.png", "iotlb-hit-rate.png", "pcie-utilization.png")
MODES = ("vf-dma", "veb", "vepa", "vswitch-kernel", "vswitch-dpdk", "vswitch-offload")


class PlotTest(TempDirTest):
    def test_all_plots_from_a_small_database(self):
        db = self.path("r.db")
        spec = self.write_spec(small_spec(reps=1, modes=MODES, sizes=(64, 1500)))
        self.assertEqual(self.sweep(spec, db, "--jobs=2").returncode, 0)
        out = self.path("plots")
        result = self.run_tool("plot.py", db, "--out", out)
        self.assertEqual(result.returncode, 0, result.stderr)
        for name in PLOTS:
            path = os.path.join(out, name)
            self.assertTrue(os.path.isfile(path), f"{name} missing; stderr: {result.stderr}")
            with open(path, "rb") as f:
                self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")
        self.assertEqual([line for line in result.stderr.splitlines() if "skipped" in line],
                         ["plot: skipped load sweep: the load does not vary (no sweep over --load)"])
        lines = result.stdout.splitlines()
        self.assertIn("12 ok runs", lines[0])
        self.assertEqual(lines[1].split(), ["series", "runs", "sat", "offered", "Gb/s", "carried", "Gb/s",
                                            "goodput", "Gb/s", "p50", "us", "p99", "us", "CPU", "cores"])
        # Frame size is a series of its own: 64 B and 1500 B are never averaged together.
        self.assertEqual([line.split(" (")[0] for line in lines[2:14]], [m for m in MODES for _ in (64, 1500)])
        self.assertEqual([line.split(")")[0].split("(")[1] for line in lines[2:4]], ["size=64", "size=1500"])
        vf = lines[2].split()
        self.assertEqual(vf[2], "1")
        self.assertEqual(vf[-1], "0.00")  # vf-dma uses no host core
        self.assertGreater(float(lines[8].split()[-1]), 0)  # vswitch-kernel does

    def test_missing_data_is_skipped_with_a_note(self):
        db = self.path("sparse.db")
        conn = vmcomm_db.connect(db)
        conn.execute("BEGIN")
        for mode in ("vf-dma", "veb"):
            run_id = vmcomm_db.insert_run(conn, dict(point=mode, scenario="x", mode=mode, status="ok"), {})
            conn.execute("INSERT INTO flows(run_id, flow_id, rx_frames, throughput_bps, lat_p50_ns, lat_p99_ns) "
                         "VALUES (?, 0, 10, 5e9, 1000, 2000)", (run_id,))
        vmcomm_db.insert_run(conn, dict(point="f", scenario="x", mode="veb", status="failed", message="x"), {})
        conn.execute("COMMIT")
        conn.close()
        result = self.run_tool("plot.py", db, "--out", self.path("p"))
        self.assertEqual(result.returncode, 0, result.stderr)
        for fragment in ("skipped latency CDF: no latency_hist rows", "skipped throughput vs frame size: no frame size",
                         "missing: vswitch-* runs", "skipped host CPU per Gb/s: no CPU counters",
                         "skipped IOTLB hit rate", "skipped PCIe utilization", "wrote 0 plots"):
            self.assertIn(fragment, result.stderr)
        self.assertIn("2 ok runs, 1 failed runs not shown", result.stdout)
        self.assertRegex(result.stdout, r"vf-dma\s+1\s+0\s+-\s+-\s+5.00\s+1.00\s+2.00\s+-")

    def test_a_varied_parameter_makes_its_own_series(self):
        # Two NIC counts are two series, not one average; repetitions are averaged.
        db = self.path("nics.db")
        conn = vmcomm_db.connect(db)
        conn.execute("BEGIN")
        for mode, nics, rng, p50 in (("vf-dma", 1, 1, 3000), ("vf-dma", 1, 2, 3200),
                                     ("vf-dma", 2, 1, 5000), ("vswitch-dpdk", 1, 1, 2700),
                                     ("vswitch-dpdk", 2, 1, 2700)):
            params = {"mode": mode, "nics": nics, "RngRun": rng, "size": 64,
                      "ns3::Iommu::IotlbEntries": 64}
            run_id = vmcomm_db.insert_run(
                conn, dict(point=f"{mode}-{nics}-{rng}", scenario="x", mode=mode, status="ok"), params)
            conn.execute("INSERT INTO flows(run_id, flow_id, rx_frames, throughput_bps, lat_p50_ns, lat_p99_ns) "
                         "VALUES (?, 0, 10, 1e9, ?, ?)", (run_id, p50, 2 * p50))
        conn.execute("COMMIT")
        conn.close()
        result = self.run_tool("plot.py", db, "--out", self.path("p"))
        self.assertEqual(result.returncode, 0, result.stderr)
        rows = {line.split(")")[0] + ")": line.split(")")[1].split()
                for line in result.stdout.splitlines() if "(nics=" in line}
        self.assertEqual(sorted(rows), ["vf-dma (nics=1)", "vf-dma (nics=2)",
                                        "vswitch-dpdk (nics=1)", "vswitch-dpdk (nics=2)"])
        self.assertEqual([rows["vf-dma (nics=1)"][i] for i in (0, 4, 5)], ["2", "1.00", "3.10"])
        self.assertEqual([rows["vf-dma (nics=2)"][i] for i in (0, 4, 5)], ["1", "1.00", "5.00"])
        # vf-dma is compared with the software switch of its own series.
        self.assertNotIn("skipped vf-dma speedup", result.stderr)

    def test_saturated_runs_are_split_counted_and_left_out_of_steady_state(self):
        # 64 B overloaded, 1500 B steady: the table keeps them apart, counts the saturated run,
        # and the speedup compares only steady runs (no "140x" from a queue).
        db = self.path("sat.db")
        conn = vmcomm_db.connect(db)
        conn.execute("BEGIN")
        for mode, size, p99, sat in (("vf-dma", 64, 300000, 1), ("vf-dma", 1500, 20000, 0),
                                     ("vswitch-dpdk", 64, 2000, 0), ("vswitch-dpdk", 1500, 3000, 0)):
            run_id = vmcomm_db.insert_run(
                conn, dict(point=f"{mode}-{size}", scenario="x", mode=mode, status="ok"),
                {"mode": mode, "size": size, "RngRun": 1})
            conn.execute("INSERT INTO flows(run_id, flow_id, rx_frames, throughput_bps, lat_p50_ns, lat_p99_ns, "
                         "saturated, offered_bps, frame_bps) VALUES (?, 0, 10, 1e9, ?, ?, ?, 2e9, 1e9)",
                         (run_id, p99 / 2, p99, sat))
        conn.execute("COMMIT")
        conn.close()
        result = self.run_tool("plot.py", db, "--out", self.path("p"))
        self.assertEqual(result.returncode, 0, result.stderr)
        rows = {line.split(")")[0] + ")": line.split(")")[1].split() for line in result.stdout.splitlines()
                if "(size=" in line}
        self.assertEqual(rows["vf-dma (size=64)"][:2], ["1", "1"])
        self.assertEqual(rows["vf-dma (size=64)"][6], "300.00")
        self.assertEqual(rows["vf-dma (size=1500)"][:2], ["1", "0"])
        self.assertEqual(rows["vf-dma (size=1500)"][6], "20.00")
        import plot
        res = plot.Results(vmcomm_db.connect_readonly(db))
        st = res.steady()
        self.assertEqual(sorted(r["mode"] for r in st.runs.values()),
                         ["vf-dma (size=1500)", "vswitch-dpdk (size=1500)", "vswitch-dpdk (size=64)"])

    def test_identical_modes_stay_visible_and_are_named(self):
        # vf-dma, veb and vepa with the same figures: in every line plot each shows (the covered
        # series drawn larger and wider, a marker per series) and the legend names them.
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        import plot

        db = self.path("same.db")
        conn = vmcomm_db.connect(db)
        conn.execute("BEGIN")
        for mode in ("vf-dma", "veb", "vepa", "vswitch-dpdk"):
            nic = mode != "vswitch-dpdk"
            for size in (64, 1500):
                for load, offered in (("1Gbps", 1e9), ("20Gbps", 20e9)):
                    carried = min(offered, 10e9 if nic else 5e9)
                    p99 = (2000 if nic else 4000) * (1 if offered == carried else 100) + size
                    run_id = vmcomm_db.insert_run(
                        conn, dict(point=f"{mode}-{size}-{load}", scenario="x", mode=mode, status="ok"),
                        {"mode": mode, "size": size, "load": load})
                    conn.execute("INSERT INTO flows(run_id, flow_id, rx_frames, throughput_bps, lat_p50_ns, "
                                 "lat_p99_ns, saturated, offered_bps, frame_bps) VALUES (?, 0, 10, ?, ?, ?, ?, ?, ?)",
                                 (run_id, carried, p99 / 2, p99, int(offered != carried), offered, carried))
                    conn.executemany("INSERT INTO latency_hist(run_id, flow_id, lo_ns, hi_ns, count) "
                                     "VALUES (?, -1, ?, ?, ?)",
                                     [(run_id, lo, lo + 500, 5) for lo in (p99 / 4, p99 / 2, p99 - 500)])
        conn.execute("COMMIT")
        res = plot.Results(conn)
        conn.close()
        figures = {}

        def keep(fig, out_dir, name):
            figures[name] = fig
            return name

        with mock.patch.object(plot, "_save", keep):
            for fn in (plot.plot_latency_cdf, plot.plot_throughput_vs_size, plot.plot_p99_vs_size,
                       plot.plot_load):
                fn(res, plt, self.dir)
        try:
            for name, fig in figures.items():
                for ax in fig.axes:
                    self.assertGreater(assert_coinciding_visible(self, ax), 0, name)
            same = "same values: vf-dma = veb = vepa"
            title = lambda ax: ax.get_legend().get_title().get_text()
            # The CDF: the steady runs (load 1Gbps), a series per frame size.
            self.assertEqual(title(figures["latency-cdf.png"].axes[0]), "; ".join(
                " = ".join(f"{m} (load=1Gbps size={size})" for m in ("vf-dma", "veb", "vepa"))
                for size in (64, 1500)).join(("same values: ", "")))
            for name in ("throughput-vs-size.png", "p99-latency-vs-size.png"):
                self.assertEqual(title(figures[name].axes[0]), same, name)
            for ax in figures["load.png"].axes:  # carried and p99 per frame size
                self.assertEqual(title(ax), same)
            # A marker per series: the legend's four modes are told apart by shape too.
            legend = figures["throughput-vs-size.png"].axes[0].get_legend()
            handles = legend.legend_handles if hasattr(legend, "legend_handles") else legend.legendHandles
            self.assertEqual(len({h.get_marker() for h in handles}), 4)
            # The values drawn are the data's: 10 Gb/s carried by each NIC mode at both sizes.
            lines = figures["throughput-vs-size.png"].axes[0].get_lines()
            self.assertEqual([tuple(line.get_ydata()) for line in lines[0:9:3]], [(10.0, 10.0)] * 3)
        finally:
            for fig in figures.values():
                plt.close(fig)

    def test_unusable_databases_exit_2(self):
        newer = self.path("newer.db")
        vmcomm_db.connect(newer).close()
        conn = sqlite3.connect(newer)
        conn.execute("PRAGMA user_version = 4")
        conn.close()
        garbage = self.path("garbage.db")
        with open(garbage, "w") as f:
            f.write("not sqlite " * 100)
        for db, fragment in ((newer, "schema version 4"), (garbage, "cannot read"),
                             (self.path("missing.db"), "no such results database")):
            result = self.run_tool("plot.py", db)
            self.assertEqual(result.returncode, 2, result.stderr)
            self.assertIn(fragment, result.stderr)

    def test_empty_database(self):
        db = self.path("empty.db")
        vmcomm_db.connect(db).close()
        result = self.run_tool("plot.py", db)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("nothing to plot", result.stderr)



class PlotStyleTest(unittest.TestCase):
    def test_every_series_of_the_demo_has_its_own_colour_and_line(self):
        import plot
        labels = [f"{m} (size={s})" for m in MODES for s in (64, 1500)]
        style = plot.series_style(labels)
        self.assertEqual(len(set(style.values())), len(labels))
        # One colour per mode, one line style per size.
        self.assertEqual(len({style[f"{m} (size=64)"][0] for m in MODES}), len(MODES))
        self.assertEqual(style["vf-dma (size=64)"][0], style["vf-dma (size=1500)"][0])


if __name__ == "__main__":
    unittest.main()
