"""Tests of analysis/golden.py: the canonical dump of a results database, the row-by-row
comparison, and check/update of a golden set (with the fake scenario program)."""

import contextlib
import io
import math
import os
import unittest
from unittest import mock

import helpers
from helpers import TempDirTest, small_spec

import golden
import vmcomm_db


def add_run(conn, point=None, mode="vf-dma", params=None, counter=0.1, version="0.1.0",
            started_at="2026-01-01T00:00:00Z", wall=1.5, extra_counters=(), scenario="compare-modes",
            status="ok", tx_frames=5):
    """One run with a row in every child table; returns its id."""
    run = dict(point=point, scenario=scenario, topology="rack", mode=mode, rng_seed=1, rng_run=1,
               version=version, started_at=started_at, wall_seconds=wall, sim_seconds=0.003,
               status=status)
    run_id = vmcomm_db.insert_run(conn, run, {"mode": mode, "ns3::Iommu::IotlbEntries": 64, **(params or {})})
    conn.execute("INSERT INTO flows (run_id, flow_id, src, dst, tx_frames, rx_frames, throughput_bps) "
                 "VALUES (?, 0, 'vm0', 'vm1', ?, 5, 1e9)", (run_id, tx_frames))
    conn.execute("INSERT INTO drops VALUES (?, 'host0/nic', 'no-rx-buffer', 2)", (run_id,))
    conn.executemany("INSERT INTO counters VALUES (?, ?, ?, ?)",
                     [(run_id, "host0/pcie", "up_utilization", counter),
                      (run_id, "experiment", "events", 3435.0), *((run_id, *c) for c in extra_counters)])
    conn.execute("INSERT INTO latency_hist VALUES (?, -1, 1024.0, 1056.0, 7)", (run_id,))
    return run_id


class DumpTest(TempDirTest):
    def db(self, name, fill):
        path = self.path(name)
        conn = vmcomm_db.connect(path)  # autocommit: each insert is its own transaction
        fill(conn)
        conn.close()
        return path

    def test_wall_clock_and_host_fields_are_left_out(self):
        a = self.db("a.db", lambda c: add_run(c, point="p/1", params={"db": "a.db", "point": "p/1"},
                                              extra_counters=[("experiment", "run_wall_seconds", 0.02),
                                                              ("experiment", "build_wall_seconds", 0.03)]))

        def other(conn):  # another id, start, wall time, version, database name, wall counters
            vmcomm_db.delete_run(conn, add_run(conn, point="x"))
            add_run(conn, point="p/1", params={"db": "/elsewhere/b.db", "point": "p/1"}, version="0.2.0",
                    started_at="2027-05-05T05:05:05Z", wall=99.0,
                    extra_counters=[("experiment", "run_wall_seconds", 7.0),
                                    ("experiment", "build_wall_seconds", 8.0)])

        b = self.db("b.db", other)
        dump_a, dump_b = golden.dump(a), golden.dump(b)
        self.assertEqual(dump_a, dump_b)
        text = "\n".join(dump_a[0] + dump_a[1])
        for left_out in ("wall_seconds", "0.1.0", "2026-01-01", "a.db", "\tpoint\t"):
            self.assertNotIn(left_out, text)
        # Everything else is there: one line per row, the run's label first.
        kinds = sorted(line.split("\t")[1] for line in dump_a[1])
        self.assertEqual(kinds, ["counter", "counter", "drop", "flow", "hist", "param", "param", "run"])
        self.assertIn("# run r01: p/1", dump_a[0])
        self.assertIn("r01\tcounter\texperiment\tevents\t3435.0", dump_a[1])

    def test_floats_are_exact(self):
        a = self.db("a.db", lambda c: add_run(c, point="p", counter=0.1))
        b = self.db("b.db", lambda c: add_run(c, point="p", counter=math.nextafter(0.1, 1.0)))
        self.assertIn("r01\tcounter\thost0/pcie\tup_utilization\t0.1", golden.dump(a)[1])
        self.assertNotEqual(golden.dump(a)[1], golden.dump(b)[1])

    def test_order_of_insertion_does_not_matter(self):
        def forward(conn):
            add_run(conn, point="p/1", mode="veb")
            add_run(conn, point="p/2", mode="vepa")

        def backward(conn):
            add_run(conn, point="p/2", mode="vepa")
            add_run(conn, point="p/1", mode="veb")

        self.assertEqual(golden.dump(self.db("a.db", forward)), golden.dump(self.db("b.db", backward)))

    def test_failed_runs_are_listed_not_dumped(self):
        def fill(conn):
            add_run(conn, point="p/ok")
            vmcomm_db.record_failed_run(conn, "p/bad", "compare-modes", {}, 1, "it broke")

        header, lines, failed = golden.dump(self.db("a.db", fill))
        self.assertEqual(failed, [("p/bad", "it broke")])
        self.assertEqual([h for h in header if h.startswith("# run ")], ["# run r01: p/ok"])

    def test_adhoc_runs_are_keyed_by_what_sets_them_apart(self):
        def fill(conn):
            for mode in ("vf-dma", "veb"):
                add_run(conn, mode=mode, params={"nics": 1, "app": "udp", "placement": "same-host", "topology": ""})
                add_run(conn, mode=mode, params={"nics": 2, "app": "udp", "placement": "same-host", "topology": ""})
                add_run(conn, mode=mode, params={"nics": 1, "app": "udp", "placement": "cross-host",
                                                 "topology": "scenarios/topologies/two-hosts.dot"})

        header = golden.dump(self.db("a.db", fill))[0]
        keys = [h.split(": ", 1)[1] for h in header if h.startswith("# run ")]
        # app does not vary; topology goes with placement, so placement (shorter) names it.
        self.assertEqual(keys, [
            "compare-modes/mode=veb,nics=1,placement=cross-host/r1",
            "compare-modes/mode=veb,nics=1,placement=same-host/r1",
            "compare-modes/mode=veb,nics=2,placement=same-host/r1",
            "compare-modes/mode=vf-dma,nics=1,placement=cross-host/r1",
            "compare-modes/mode=vf-dma,nics=1,placement=same-host/r1",
            "compare-modes/mode=vf-dma,nics=2,placement=same-host/r1",
        ])

    def test_identical_adhoc_runs_are_numbered(self):
        def fill(conn):
            add_run(conn, tx_frames=6)
            add_run(conn, tx_frames=5)

        header, lines, _ = golden.dump(self.db("a.db", fill))
        self.assertIn("# run r01: compare-modes/mode=vf-dma/r1#1", header)
        self.assertIn("# run r02: compare-modes/mode=vf-dma/r1#2", header)

    def test_missing_database_is_an_error(self):
        with self.assertRaisesRegex(golden.GoldenError, "no such results database"):
            golden.dump(self.path("none.db"))


class CompareTest(TempDirTest):
    def dump(self, fill):
        path = self.path(f"{len(os.listdir(self.dir))}.db")
        conn = vmcomm_db.connect(path)
        fill(conn)
        conn.close()
        header, lines, _ = golden.dump(path)
        return ["# ns-3: 3.37"] + header + lines

    @staticmethod
    def three(conn, tx=5, skip=None):
        for point in ("p/1", "p/2", "p/3"):
            if point != skip:
                add_run(conn, point=point, tx_frames=tx if point == "p/2" else 5)

    def test_identical_dumps_compare_equal(self):
        self.assertEqual(golden.compare(self.dump(self.three), self.dump(self.three)), [])

    def test_a_changed_value_is_shown_with_its_column(self):
        report = golden.compare(self.dump(self.three), self.dump(lambda c: self.three(c, tx=6)))
        text = "\n".join(report)
        self.assertIn("1 rows changed, 0 missing, 0 extra, in 1 of 3 runs (by kind: flow 1)", text)
        self.assertIn("run p/2 (mode=vf-dma):", text)
        self.assertIn("differs in: tx_frames 5 -> 6", text)

    def test_an_event_count_change_alone_is_named(self):
        expected = self.dump(self.three)
        actual = [ln.replace("\tevents\t3435.0", "\tevents\t3000.0") for ln in expected]
        report = golden.compare(expected, actual)
        self.assertIn("3 rows changed, 0 missing, 0 extra", report[0])
        self.assertIn("only the simulator's event count", report[1])
        actual[-1] += "1"  # and one figure too: no such note
        self.assertNotIn("only the simulator's event count", "\n".join(golden.compare(expected, actual)))

    def test_rows_are_matched_by_run_key_not_label(self):
        # Without p/1, p/2 and p/3 get other labels (r01, r02); their rows still match.
        report = golden.compare(self.dump(self.three), self.dump(lambda c: self.three(c, skip="p/1")))
        self.assertIn("0 rows changed, 8 missing, 0 extra, in 1 of 3 runs", report[0])
        self.assertNotIn("p/2", "\n".join(report))
        report = golden.compare(self.dump(lambda c: self.three(c, skip="p/1")), self.dump(self.three))
        self.assertIn("0 rows changed, 0 missing, 8 extra, in 1 of 2 runs", report[0])
        self.assertIn("  expected: (no such row)", report)

    def test_a_header_difference_is_reported(self):
        expected = self.dump(self.three)
        actual = [ln.replace("# ns-3: 3.37", "# ns-3: 3.38") for ln in expected]
        self.assertEqual(golden.compare(expected, actual)[:3],
                         ["header differs (other commands, columns or format: regenerate the file):",
                          "  expected: # ns-3: 3.37", "  actual:   # ns-3: 3.38"])


class GoldenSetTest(TempDirTest):
    """check and update of a golden set made of runs of the fake scenario program."""

    def setUp(self):
        super().setUp()
        self.golden_dir = self.path("golden")
        os.makedirs(self.golden_dir)
        spec = self.write_spec(small_spec(reps=1))
        sets = {"fake": (("sweep", spec),
                         ("run", "compare-modes", ("--mode=all", "--size=64", "--RngRun=1")),
                         ("run", "compare-modes", ("--mode=veb", "--nics=2", "--RngRun=1")))}
        for patch in (mock.patch.object(golden, "GOLDEN_DIR", self.golden_dir),
                      mock.patch.object(golden, "SETS", sets)):
            patch.start()
            self.addCleanup(patch.stop)
        self.set_ns3("3.37")

    def set_ns3(self, version):
        ns3_dir = self.path("ns3", version)
        os.makedirs(ns3_dir, exist_ok=True)
        with open(os.path.join(ns3_dir, "ns3ConfigVersion.cmake"), "w") as f:
            f.write(f'set(PACKAGE_VERSION "{version}")\n')
        with open(os.path.join(self.build, "CMakeCache.txt"), "w") as f:
            f.write(f"CMAKE_BUILD_TYPE:STRING=Release\nns3_DIR:PATH={ns3_dir}\n")

    def golden(self, *args):
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            status = golden.main([*args, f"--build-dir={self.build}", "--jobs=2"])
        return status, out.getvalue()

    def test_update_then_check(self):
        status, out = self.golden("update")
        self.assertEqual(status, 0, out)
        path = os.path.join(self.golden_dir, "fake.tsv")
        text = helpers.read(path)
        self.assertIn("# ns-3: 3.37\n", text)
        self.assertIn("# run: compare-modes --mode=veb --nics=2 --RngRun=1\n", text)
        self.assertEqual(text.count("\trun\t"), 6 + 6 + 1)
        status, out = self.golden("check")
        self.assertEqual(status, 0, out)
        self.assertIn("rows identical", out)

        # A figure that changed: check fails and shows the row, expected and actual.
        lines = text.splitlines()
        i = next(i for i, ln in enumerate(lines) if "\tdrop\t" in ln)
        lines[i] = lines[i][:-1] + "7"
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")
        status, out = self.golden("check", "fake")
        self.assertEqual(status, golden.EXIT_DIFFERENT, out)
        self.assertIn("1 rows changed, 0 missing, 0 extra", out)
        self.assertIn("differs in: count 7 -> 6", out)
        self.assertIn("./vmcomm golden --update fake", out)

    def test_another_ns3_version_skips_and_says_so(self):
        self.assertEqual(self.golden("update")[0], 0)
        self.set_ns3("3.43")
        status, out = self.golden("check")
        self.assertEqual(status, golden.EXIT_SKIPPED)
        self.assertIn("SKIPPED", out)
        self.assertIn("generated with ns-3 3.37, this build uses ns-3 3.43", out)

    def test_no_golden_file_is_an_error(self):
        status, out = self.golden("check")
        self.assertEqual(status, golden.EXIT_ERROR)
        self.assertIn("no golden file; make it with ./vmcomm golden --update fake", out)

    def test_a_failing_command_is_an_error(self):
        golden.SETS["fake"] = (("run", "compare-modes", ("--mode=veb", "--fail=true", "--RngRun=1")),)
        status, out = self.golden("update")
        self.assertEqual(status, golden.EXIT_ERROR)
        self.assertIn("exited 3", out)
        self.assertFalse(os.path.exists(os.path.join(self.golden_dir, "fake.tsv")))

    def test_commands_run_without_ns3_environment_overrides(self):
        # NS_ATTRIBUTE_DEFAULT changes figures without showing in run_params: not for golden runs.
        seen = []
        real_run = golden.subprocess.run

        def run(argv, **kwargs):
            seen.append(kwargs["env"])
            return real_run(argv, **kwargs)

        with mock.patch.dict(os.environ, NS_ATTRIBUTE_DEFAULT="ns3::PcieLink::PropagationDelay=81ns",
                             NS_GLOBAL_VALUE="RngRun=3"), mock.patch.object(golden.subprocess, "run", run):
            self.assertEqual(self.golden("update")[0], 0)
        self.assertEqual(len(seen), 3)
        for env in seen:
            self.assertNotIn("NS_ATTRIBUTE_DEFAULT", env)
            self.assertNotIn("NS_GLOBAL_VALUE", env)
            self.assertEqual(env["PATH"], os.environ["PATH"])

    def test_ns3_version_needs_the_cmake_cache(self):
        os.remove(os.path.join(self.build, "CMakeCache.txt"))
        with self.assertRaisesRegex(golden.GoldenError, "CMakeCache.txt: cannot read"):
            golden.ns3_version(self.build)
        with open(os.path.join(self.build, "CMakeCache.txt"), "w") as f:
            f.write("CMAKE_BUILD_TYPE:STRING=Release\n")
        with self.assertRaisesRegex(golden.GoldenError, "no ns3_DIR"):
            golden.ns3_version(self.build)


if __name__ == "__main__":
    unittest.main()
