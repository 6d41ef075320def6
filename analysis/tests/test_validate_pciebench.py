"""analysis/validate_pciebench.py end to end on a small pcie-bench-format directory made here, with
the real dma-bench of the build directory (ctest sets VMCOMM_BUILD_DIR): the model figures and
the summary are what dma-bench prints for those points, a latency distribution paired with its row
is compared with dma-bench's CDF of that point, unmodelled tests and distributions are listed as
such (also with a dma-bench that has no --cdf), and bad input is refused (exit 2, one line,
nothing written)."""

import csv
import json
import os
import statistics
import subprocess
import sys
import textwrap
import unittest

from helpers import ANALYSIS, TempDirTest, assert_coinciding_visible

REAL_BUILD = os.environ.get("VMCOMM_BUILD_DIR") or os.path.join(os.path.dirname(ANALYSIS), "build")
DMA_BENCH = os.path.join(REAL_BUILD, "bin", "dma-bench")
OPS = 400  # short points: the test checks the plumbing, not the model

BW_HEADER = "Test,PAT,Cache,HO,DO,WinSZ,SZ,Time(cyc),Time,Bytes,Trans,BW (GB/s),Trans/s"
LAT_HEADER = ("Test,PAT,Cache,HO,DO,WinSZ,SZ,TAvg,Avg,Med,Min,Max,95%,99.9%,TAvg(ns),Avg(ns),Med(ns),"
              "Min(ns),Max(ns),95%(ns),99.9%(ns),#outliers,#samples")


def bw_row(test, pat, cache, window, size, gbps, ho=0, do=0):
    return f"{test},{pat},{cache},{ho},{do},{window},{size},1,1,1,1,{gbps},1"


def lat_row(test, pat, cache, window, size, med, p999):
    return (f"{test},{pat},{cache},0,0,{window},{size},1,1,1,1,1,1,1,1,1,{med},500.0,2000.0,{med + 20},"
            f"{p999},0,1000")


# Measured CDFs (ns, F) of lat.csv's three rows (each starts at the row's Min(ns), 500): the
# 0.9995 row is far off any model and must not count (only 0 < F <= 0.999 is compared).
LAT_CDFS = (
    [(500.0, 0.0), (560.0, 0.2), (600.0, 0.5), (640.0, 0.95), (700.0, 0.999), (5000.0, 0.9995), (6000.0, 1.0)],
    [(500.0, 0.0), (900.0, 0.5), (950.0, 0.999), (6000.0, 1.0)],
    [(500.0, 0.0), (780.0, 0.1), (800.0, 0.5), (840.0, 0.99), (6000.0, 1.0)],
)


def cdf_lines(*dists):
    return [f"{round(ns * 1.2)},{ns},{f}" for d in dists for ns, f in d]


def quantile(cdf, f):
    """The model's quantile as the tool takes it: the smallest latency whose fraction reaches f."""
    return next(ns for ns, frac in cdf if frac >= f - 1e-9)


def cdf_error(measured, model_cdf):
    """(largest |model - measured| / measured in % over 0 < F <= 0.999, its F)"""
    return max((abs(quantile(model_cdf, f) - ns) / ns * 100, f) for ns, f in measured if 0 < f <= 0.999)


def write(path, header, rows):
    with open(path, "w") as f:
        f.write("\n".join([header] + rows) + "\n")


def dma_bench(*args):
    out = subprocess.run([DMA_BENCH, "--preset=nfp6000-bdw", f"--ops={OPS}", *args], capture_output=True,
                         text=True, check=True).stdout
    return [json.loads(line) for line in out.splitlines()]


def options():
    out = subprocess.run([DMA_BENCH, "--list-options"], capture_output=True, text=True, check=True).stdout
    return {o["name"] for o in json.loads(out)["options"]}


@unittest.skipUnless(os.access(DMA_BENCH, os.X_OK), f"no built dma-bench in {REAL_BUILD}")
class PanelTest(unittest.TestCase):
    def test_coinciding_series_stay_visible_and_are_named(self):
        """Cold and warm measured 0.01 Gb/s apart and modelled the same: both visible, and the
        legend names the model series whose values are the same (the measured ones are not)."""
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        import validate_pciebench as vp

        points = []
        for cache, delta in (("Cold", 0.0), ("HWarm", 0.01)):
            for line, window in enumerate((4096, 65536, 1048576)):
                row = {"Test": "BW_DMA_WR", "PAT": "Rand", "Cache": cache, "HO": 0, "DO": 0,
                       "WinSZ": window, "SZ": 256}
                p = vp.Point("w.csv", line, row, "bw_gbps", 50.0 - line + delta)
                p.model = 52.0 - 2 * line
                points.append(p)
        fig, ax = plt.subplots()
        try:
            vp.draw_panel(ax, points, "window", "window (B)", ["cache", "window"], "bw_gbps")
            self.assertGreater(assert_coinciding_visible(self, ax), 0)
            self.assertEqual(ax.get_legend().get_title().get_text(),
                             "same values: Cold = HWarm (model)")
        finally:
            plt.close(fig)


class ValidatePciebenchTest(TempDirTest):
    def make_data(self, name):
        d = self.path(name)
        os.makedirs(d)
        # a file name that says nothing: the header decides
        write(os.path.join(d, "sweep_a.csv"), BW_HEADER, [
            bw_row("BW_DMA_RD", "Rand", "HWarm", 8192, 64, 30.0),
            bw_row("BW_DMA_RD", "Rand", "HWarm", 8192, 256, 50.0),
            bw_row("BW_DMA_WR", "Rand", "HWarm", 8192, 64, 24.0),
            bw_row("BW_DMA_WR", "Rand", "HWarm", 8192, 256, 51.0),
            bw_row("BW_DMA_RD", "Rand", "HWarm", 67108864, 64, 10.0),
            bw_row("BW_DMA_RD", "Rand", "DWarm", 8192, 64, 29.0),
        ])
        write(os.path.join(d, "lat.csv"), LAT_HEADER, [
            lat_row("LAT_DMA_RD", "Seq", "HWarm", 8192, 64, 600.0, 650.0),
            lat_row("LAT_DMA_RD", "Seq", "HWarm", 8192, 1024, 900.0, 950.0),
            lat_row("LAT_DMA_WRRD", "Seq", "HWarm", 8192, 64, 800.0, 840.0),
        ])
        write(os.path.join(d, "cmd.csv"), LAT_HEADER, [
            lat_row("LAT_CMD_RD", "Seq", "HWarm", 4096, 8, 506.0, 780.0),
        ])
        # the distributions of lat.csv's rows, concatenated as pcie-bench writes them
        write(os.path.join(d, "lat_cdf.csv"), "cycles,ns,cdf", cdf_lines(*LAT_CDFS))
        # the command interface's: paired with its row, which is not modelled
        write(os.path.join(d, "cmd_cdf.csv"), "cycles,ns,cdf", cdf_lines([(500.0, 0.0), (506.0, 0.5), (780.0, 1.0)]))
        # two distributions of no point file: cannot be paired
        write(os.path.join(d, "x_cdf.csv"), "cycles,ns,cdf",
              ["700,583.3,0", "720,600.0,0.5", "800,666.7,1.0", "900,750.0,0", "950,791.7,1.0"])
        with open(os.path.join(d, "notes.csv"), "w") as f:
            f.write("a,b\n1,2\n")
        return d

    def validate(self, d, *args):
        return self.run_tool("validate_pciebench.py", d, "--preset=nfp6000-bdw", f"--build-dir={REAL_BUILD}",
                             f"--ops={OPS}", *args)

    def summary(self, stdout):
        """{(test, quantity): (points, modelled, not modelled, median, max, within 10%)}"""
        lines = stdout[stdout.index("\nsummary:"):].splitlines()[3:]
        out = {}
        for line in lines:
            if line.startswith("not modelled"):
                break
            f = line.split()
            if line.startswith("(cdf)"):
                f = [f"(cdf) {f[1]}"] + f[2:]
            out[(f[0], f[1])] = tuple(int(x) for x in f[2:5]) + tuple(
                None if x == "-" else float(x) for x in f[5:7]) + (int(f[7]),)
        return out

    def test_end_to_end_matches_dma_bench(self):
        d = self.make_data("cardx-hostx")
        result = self.validate(d, "--jobs=2", f"--csv={self.path('t.csv')}", f"--out={self.path('png')}")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("IOMMU off (auto", result.stdout)
        self.assertIn("ignored notes.csv", result.stderr)

        rd = {o["size"]: o["gbps"] for o in dma_bench("--op=read", "--size=64,256", "--window=8KiB")}
        wr = {o["size"]: o["gbps"] for o in dma_bench("--op=write", "--size=64,256", "--window=8KiB")}
        rd64m = dma_bench("--op=read", "--size=64", "--window=64MiB")[0]["gbps"]
        lat = {o["size"]: o for o in dma_bench("--op=read", "--metric=lat", "--pattern=seq", "--size=64,1024",
                                               "--cdf=on")}
        wrrd = dma_bench("--op=rw", "--metric=lat", "--pattern=seq", "--size=64", "--cdf=on")[0]

        with open(self.path("t.csv")) as f:
            table = list(csv.DictReader(f))
        model = {(r["test"], r["cache"], int(r["window"] or 0), int(r["size"] or 0), r["quantity"]): r
                 for r in table if r["test"] != "(cdf)"}
        self.assertEqual(float(model[("BW_DMA_RD", "HWarm", 8192, 64, "bw_gbps")]["model"]), rd[64])
        self.assertEqual(float(model[("BW_DMA_WR", "HWarm", 8192, 256, "bw_gbps")]["model"]), wr[256])
        self.assertEqual(float(model[("BW_DMA_RD", "HWarm", 67108864, 64, "bw_gbps")]["model"]), rd64m)
        self.assertEqual(float(model[("LAT_DMA_RD", "HWarm", 8192, 1024, "lat_med_ns")]["model"]),
                         lat[1024]["lat_median_ns"])
        self.assertEqual(float(model[("LAT_DMA_WRRD", "HWarm", 8192, 64, "lat_p999_ns")]["model"]),
                         wrrd["lat_p999_ns"])

        def err(model_value, measured):
            return abs(model_value - measured) / measured * 100

        summary = self.summary(result.stdout)
        rd_errs = [err(rd[64], 30.0), err(rd[256], 50.0), err(rd64m, 10.0)]
        points, modelled, not_modelled, med, mx, within = summary[("BW_DMA_RD", "bw_gbps")]
        self.assertEqual((points, modelled, not_modelled), (4, 3, 1))  # DWarm is not a dma-bench state
        self.assertAlmostEqual(med, statistics.median(rd_errs), delta=0.051)
        self.assertAlmostEqual(mx, max(rd_errs), delta=0.051)
        self.assertEqual(within, sum(e <= 10 for e in rd_errs))
        lat_errs = [err(lat[64]["lat_median_ns"], 600.0), err(lat[1024]["lat_median_ns"], 900.0)]
        row = summary[("LAT_DMA_RD", "lat_med_ns")]
        self.assertEqual(row[:3], (2, 2, 0))
        self.assertAlmostEqual(row[3], statistics.median(lat_errs), delta=0.051)
        self.assertAlmostEqual(row[4], max(lat_errs), delta=0.051)

        # the command interface is not the DMA engines: listed, not modelled, no value
        self.assertEqual(summary[("LAT_CMD_RD", "all")][:3], (1, 0, 1))
        cmd = [r for r in table if r["test"] == "LAT_CMD_RD"]
        self.assertTrue(cmd and all(r["model"] == "" and "not modelled: NFP command interface" in r["status"]
                                    for r in cmd))
        dwarm = model[("BW_DMA_RD", "DWarm", 8192, 64, "bw_gbps")]
        self.assertEqual(dwarm["model"], "")
        self.assertIn("not modelled: cache DWarm", dwarm["status"])
        if "cache" not in options():  # dma-bench without --cache: its host cache is warm only
            self.assertIn("no --cache", dwarm["status"])
        self.assertIn("not modelled", result.stdout)
        self.assertEqual(sorted(os.listdir(self.path("png"))),
                         ["cmd.png", "cmd_cdf.png", "lat.png", "lat_cdf.png", "sweep_a.png", "x_cdf.png"])

        # lat_cdf.csv: each distribution against dma-bench's CDF of its row's point; its error is
        # the largest quantile error, the table row shows where (measured, model quantile, F)
        cdf = {r["file"]: [] for r in table if r["test"] == "(cdf)"}
        for r in table:
            if r["test"] == "(cdf)":
                cdf[r["file"]].append(r)
        model_cdfs = (lat[64]["lat_cdf"], lat[1024]["lat_cdf"], wrrd["lat_cdf"])
        errors = []
        for row, measured, model_cdf in zip(cdf["lat_cdf.csv"], LAT_CDFS, model_cdfs):
            self.assertEqual(model_cdf[-1][1], 1)
            error, f = cdf_error(measured, model_cdf)
            errors.append(error)
            self.assertEqual(row["status"], "ok", row)
            self.assertEqual(row["quantity"], "cdf q" + (f"{f:.4f}" if f >= 0.001 else f"{f:.1e}"))
            self.assertEqual(float(row["measured"]), dict((f, ns) for ns, f in measured)[f])
            self.assertEqual(float(row["model"]), quantile(model_cdf, f))
            self.assertAlmostEqual(abs(float(row["error_pct"])), error, delta=0.006)
        self.assertEqual([(r["window"], r["size"]) for r in cdf["lat_cdf.csv"]],
                         [("8192", "64"), ("8192", "1024"), ("8192", "64")])
        points, modelled, not_modelled, med, mx, within = summary[("(cdf) lat_cdf.csv", "cdf")]
        self.assertEqual((points, modelled, not_modelled), (3, 3, 0))
        self.assertAlmostEqual(med, statistics.median(errors), delta=0.051)
        self.assertAlmostEqual(mx, max(errors), delta=0.051)
        self.assertEqual(within, sum(e <= 10 for e in errors))
        # the command interface's stays not modelled, as its row; x_cdf.csv has no row to pair with
        self.assertEqual(summary[("(cdf) cmd_cdf.csv", "cdf")][:3], (1, 0, 1))
        self.assertIn("not modelled: as its row: NFP command interface", cdf["cmd_cdf.csv"][0]["status"])
        self.assertEqual(summary[("(cdf) x_cdf.csv", "cdf")][:3], (2, 0, 2))
        self.assertEqual(len(cdf["x_cdf.csv"]), 2)
        self.assertTrue(all(r["model"] == "" and "cannot be paired with a row: no point file x.csv" in r["status"]
                            for r in cdf["x_cdf.csv"]), cdf["x_cdf.csv"])

    def test_dma_bench_without_cdf(self):
        """An older dma-bench (no --cdf in --list-options): the distributions are listed, not modelled,
        with the reason; the points still are."""
        d = self.path("card")
        os.makedirs(d)
        write(os.path.join(d, "lat.csv"), LAT_HEADER, [
            lat_row("LAT_DMA_RD", "Seq", "HWarm", 8192, 64, 600.0, 650.0),
        ])
        write(os.path.join(d, "lat_cdf.csv"), "cycles,ns,cdf", cdf_lines(LAT_CDFS[0]))
        old = self.path("old", "bin", "dma-bench")
        os.makedirs(os.path.dirname(old))
        with open(old, "w") as f:
            f.write(textwrap.dedent(f"""\
                #!{sys.executable}
                import json, os, subprocess, sys
                real = {DMA_BENCH!r}
                if "--list-options" in sys.argv:
                    out = json.loads(subprocess.run([real, "--list-options"], capture_output=True, text=True,
                                                    check=True).stdout)
                    out["options"] = [o for o in out["options"] if o["name"] != "cdf"]
                    print(json.dumps(out))
                    sys.exit(0)
                if any(a.startswith("--cdf") for a in sys.argv):
                    print("error: unknown option --cdf", file=sys.stderr)
                    sys.exit(2)
                os.execv(real, [real] + sys.argv[1:])
                """))
        os.chmod(old, 0o755)
        result = self.run_tool("validate_pciebench.py", d, "--preset=nfp6000-bdw", f"--build-dir={self.path('old')}",
                               f"--ops={OPS}", f"--csv={self.path('t.csv')}")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(self.summary(result.stdout)[("(cdf) lat_cdf.csv", "cdf")][:3], (1, 0, 1))
        self.assertIn("dma-bench has no --cdf", result.stdout)
        with open(self.path("t.csv")) as f:
            table = list(csv.DictReader(f))
        med = [r for r in table if r["quantity"] == "lat_med_ns"][0]
        self.assertEqual(med["status"], "ok")
        cdf = [r for r in table if r["test"] == "(cdf)"]
        self.assertEqual(len(cdf), 1)
        self.assertEqual(cdf[0]["status"], "not modelled: dma-bench has no --cdf (it prints no latency distribution)")

    def test_attribute_overrides_and_markdown(self):
        d = self.make_data("card")
        md = self.path("summary.md")
        result = self.validate(d, "--ns3::DmaEngine::ReadIssueInterval=32ns", f"--csv={self.path('t.csv')}",
                               f"--markdown={md}", "--summary-only")
        self.assertEqual(result.returncode, 0, result.stderr)
        slow = dma_bench("--op=read", "--size=64", "--window=8KiB", "--ns3::DmaEngine::ReadIssueInterval=32ns")
        with open(self.path("t.csv")) as f:
            row = [r for r in csv.DictReader(f) if (r["test"], r["cache"], r["window"], r["size"])
                   == ("BW_DMA_RD", "HWarm", "8192", "64")][0]
        self.assertEqual(float(row["model"]), slow[0]["gbps"])
        with open(md) as f:
            text = f.read()
        self.assertIn("ReadIssueInterval=32ns", text)
        self.assertIn("| BW_DMA_RD | bw_gbps | 4 | 3 | 1 |", text)
        self.assertIn("| LAT_CMD_RD | all | 1 | 0 | 1 | - | - | 0 |", text)
        self.assertIn("| (cdf) x_cdf.csv | cdf | 2 | 0 | 2 | - | - | 0 |", text)
        self.assertIn("| (cdf) lat_cdf.csv | cdf | 3 | 3 | 0 |", text)

    def test_iommu_from_the_directory_name(self):
        d = self.make_data("cardx-hostx-iommu-nosp")
        result = self.validate(d, f"--csv={self.path('t.csv')}", "--summary-only")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("IOMMU on (auto", result.stdout)
        on = dma_bench("--op=read", "--size=64", "--window=64MiB", "--iommu=on")[0]["gbps"]
        with open(self.path("t.csv")) as f:
            row = [r for r in csv.DictReader(f) if r["window"] == "67108864"][0]
        self.assertEqual(float(row["model"]), on)
        off = self.validate(d, "--iommu=off", "--summary-only")
        self.assertIn("IOMMU off (--iommu)", off.stdout)

    def test_bad_input_exits_2_and_writes_nothing(self):
        good = self.make_data("card")
        empty = self.path("empty")
        os.makedirs(empty)
        with open(os.path.join(empty, "other.csv"), "w") as f:
            f.write("x,y\n1,2\n")
        bad_row = self.path("badrow")
        os.makedirs(bad_row)
        write(os.path.join(bad_row, "a.csv"), BW_HEADER, [bw_row("BW_DMA_RD", "Rand", "HWarm", "8k", 64, 1.0)])
        cases = [
            ((self.path("missing"), "--preset=nfp6000-bdw"), "no such directory"),
            ((empty, "--preset=nfp6000-bdw"), "no pcie-bench CSV"),
            ((good, "--preset=nfp9999"), "unknown preset; allowed: nfp6000-bdw"),
            ((good,), "--preset"),
            ((good, "--preset=nfp6000-bdw", "--iommu=maybe"), "--iommu"),
            ((bad_row, "--preset=nfp6000-bdw"), "a.csv:2: column WinSZ: '8k'"),
            ((good, "--preset=nfp6000-bdw", "--ns3::DmaEngine::NoSuchThing=1"), "has no attribute"),
            ((good, "--preset=nfp6000-bdw", "--window=8KiB"), "unknown option '--window=8KiB'"),
        ]
        for args, fragment in cases:
            r = self.run_tool("validate_pciebench.py", *args, f"--build-dir={REAL_BUILD}",
                              f"--csv={self.path('t.csv')}", f"--out={self.path('png')}")
            self.assertEqual(r.returncode, 2, (args, r.stderr))
            self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
            self.assertIn(fragment, r.stderr)
            self.assertFalse(os.path.exists(self.path("t.csv")) or os.path.exists(self.path("png")), args)


if __name__ == "__main__":
    unittest.main()
