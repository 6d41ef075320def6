"""Tests of analysis/sweep.py with the fake scenario program."""

import os
import shutil
import signal
import sqlite3
import subprocess
import time
import unittest

from helpers import PYTHON, TempDirTest, read, rows, small_spec, tool

import sweep_spec


def expected_keys(spec_path):
    return {p.key for p in sweep_spec.load_spec(spec_path).points()}


def wait_for(predicate, timeout=60.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def count_ok(db):
    if not os.path.exists(db):
        return 0
    try:
        return rows(db, "SELECT COUNT(*) FROM runs WHERE status = 'ok'")[0][0]
    except sqlite3.OperationalError:  # schema not created yet
        return 0


class SpecValidationTest(TempDirTest):
    def check_error(self, text, *fragments):
        spec = self.write_spec(text)
        result = self.sweep(spec, self.path("r.db"))
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn("spec.toml", result.stderr)
        for fragment in fragments:
            self.assertIn(fragment, result.stderr)
        self.assertFalse(os.path.exists(self.path("r.db")), "a bad spec must not create the database")

    def test_errors_exit_2_with_file_key_and_what_is_allowed(self):
        self.check_error('repetitions = 2\n', "scenario", "missing")
        self.check_error('scenario = "compare-modes"\nfoo = 1\n', "foo", "allowed: scenario, repetitions")
        self.check_error('scenario = "compare-modes"\n[vary]\nsize = 64\n', "[vary] 'size'", "non-empty list")
        self.check_error('scenario = "compare-modes"\n[vary]\nsize = []\n', "non-empty list")
        self.check_error('scenario = "compare-modes"\n[fixed]\nRngRun = 3\n', "RngRun", "repetitions")
        self.check_error('scenario = "compare-modes"\nrepetitions = 0\n', "repetitions", ">= 1")
        self.check_error('scenario = "compare-modes"\nrepetitions = 2\nruns = [1]\n', "give one of them")
        self.check_error('scenario = "compare-modes"\n[fixed]\nsize = 1\n[vary]\nsize = [2]\n', "also in [fixed]")
        self.check_error('scenario = "compare-modes"\n[vary]\nsize = [64, 64]\n', "distinct")
        self.check_error('scenario = "compare-modes"\n[fixed]\nx = [1]\n', "[fixed] 'x'", "string, integer")
        self.check_error('scenario = "compare modes"\n', "scenario", "program name")
        self.check_error('scenario = "compare-modes"\n[vary\n', "not valid TOML")

    def test_missing_spec_and_missing_program(self):
        result = self.sweep(self.path("nope.toml"), self.path("r.db"))
        self.assertEqual(result.returncode, 2)
        self.assertIn("nope.toml: cannot read", result.stderr)
        spec = self.write_spec('scenario = "not-built"\n')
        result = self.sweep(spec, self.path("r.db"))
        self.assertEqual(result.returncode, 2)
        self.assertIn("not-built", result.stderr)
        self.assertIn("build", result.stderr)


class PointKeyTest(unittest.TestCase):
    def test_key_is_canonical(self):
        a = sweep_spec.point_key("s", {"b": "2", "a": "1"}, 1)
        b = sweep_spec.point_key("s", {"a": "1", "b": "2"}, 1)
        self.assertEqual(a, b)
        self.assertTrue(a.startswith("s/") and a.endswith("/r1"))
        self.assertNotEqual(a, sweep_spec.point_key("s", {"a": "1", "b": "2"}, 2))
        self.assertNotEqual(a, sweep_spec.point_key("t", {"a": "1", "b": "2"}, 1))
        self.assertNotEqual(a, sweep_spec.point_key("s", {"a": "1", "b": "3"}, 1))
        # Same command line, same point: 64 and "64" are indistinguishable to the program.
        spec1 = sweep_spec.parse_spec({"scenario": "s", "vary": {"size": [64]}}, "x")
        spec2 = sweep_spec.parse_spec({"scenario": "s", "fixed": {"size": "64"}}, "x")
        self.assertEqual(spec1.points()[0].key, spec2.points()[0].key)

    def test_points_and_runs(self):
        spec = sweep_spec.parse_spec(
            {"scenario": "s", "runs": [1, 5, 9], "fixed": {"d": "1ms", "on": True, "f": 0.5},
             "vary": {"mode": ["a", "b"], "ns3::Iommu::IotlbEntries": [64, 128]}}, "x")
        points = spec.points()
        self.assertEqual(len(points), 12)
        self.assertEqual(len({p.key for p in points}), 12)
        self.assertEqual([p.rng_run for p in points[:4]], [1, 1, 1, 1])  # RngRun outermost
        argv = points[0].argv("/b/s")
        self.assertEqual(argv[:5], ["/b/s", "--d=1ms", "--on=true", "--f=0.5", "--mode=a"])
        self.assertIn("--ns3::Iommu::IotlbEntries=64", argv)
        self.assertEqual(argv[-2:], ["--RngRun=1", f"--point={points[0].key}"])
        program, back = sweep_spec.parse_command_line(" ".join(argv))
        self.assertEqual((program, back), ("/b/s", points[0]))


    def test_exclude(self):
        spec = sweep_spec.parse_spec(
            {"scenario": "s", "vary": {"scenario": ["p2p", "p2v"], "mode": ["a", "b", "c"], "size": [64, 1518]},
             "exclude": [{"scenario": "p2p", "mode": ["a", "b"]}, {"size": 1518, "mode": "c"}]}, "x")
        combos = {(p.option("scenario"), p.option("mode"), p.option("size")) for p in spec.points()}
        self.assertEqual(combos, {("p2p", "c", "64"), ("p2v", "a", "64"), ("p2v", "a", "1518"),
                                  ("p2v", "b", "64"), ("p2v", "b", "1518"), ("p2v", "c", "64")})
        for bad, fragment in (({"mode": "z"}, "z not among its [vary] values"),
                              ({"duration": "1ms"}, "not in [vary]"),
                              ({"mode": []}, "non-empty list")):
            with self.assertRaises(sweep_spec.SpecError) as e:
                sweep_spec.parse_spec({"scenario": "s", "vary": {"mode": ["a", "b"]}, "exclude": [bad]}, "x")
            self.assertIn(fragment, str(e.exception))
        with self.assertRaises(sweep_spec.SpecError) as e:
            sweep_spec.parse_spec({"scenario": "s", "vary": {"mode": ["a"]}, "exclude": {"mode": "a"}}, "x")
        self.assertIn("[[exclude]]", str(e.exception))


class SweepTest(TempDirTest):
    def test_sweep_writes_one_ok_row_per_point_and_resume_runs_nothing(self):
        spec = self.write_spec(small_spec())
        db = self.path("r.db")
        result = self.sweep(spec, db, "--jobs=2")
        self.assertEqual(result.returncode, 0, result.stderr)
        got = rows(db, "SELECT point, status, mode, scenario FROM runs")
        self.assertEqual(len(got), 12)
        self.assertEqual({r[0] for r in got}, expected_keys(spec))
        self.assertEqual({r[1] for r in got}, {"ok"})
        self.assertEqual({r[3] for r in got}, {"compare-modes"})
        self.assertEqual(rows(db, "SELECT COUNT(*) FROM run_params WHERE name = 'size'")[0][0], 12)
        self.assertIn("12 points: 12 ok, 0 failed", result.stderr)
        again = self.sweep(spec, db, "--jobs=2")
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertIn("12 ok and 0 failed already", again.stderr)
        self.assertIn("running 0", again.stderr)
        self.assertEqual(len(rows(db, "SELECT id FROM runs")), 12)

    def test_db_from_spec_and_dry_run(self):
        spec = self.write_spec(small_spec(reps=1))
        text = read(spec).replace("repetitions = 1\n", 'repetitions = 1\ndb = "out/x.db"\n')
        spec = self.write_spec(text)
        result = self.run_tool("sweep.py", spec, f"--build-dir={self.build}", "--dry-run")
        self.assertEqual(result.returncode, 0, result.stderr)
        lines = result.stdout.splitlines()
        self.assertEqual(len(lines), 6)
        self.assertTrue(all("--db=out/x.db" in line and "--point=compare-modes/" in line for line in lines))
        self.assertFalse(os.path.exists(self.path("out")), "a dry run writes nothing")
        result = self.run_tool("sweep.py", spec, f"--build-dir={self.build}", "--jobs=2")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(count_ok(self.path("out", "x.db")), 6)

    def test_failures_are_recorded_and_the_sweep_goes_on(self):
        spec = self.write_spec(small_spec(reps=1, sizes=(64, 128)).replace(
            "[vary]\n", "[vary]\nfail = [false, true]\n"))
        db = self.path("r.db")
        result = self.sweep(spec, db, "--jobs=2")
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn("8 points: 4 ok, 4 failed", result.stderr)
        failed = rows(db, "SELECT point, mode, rng_run, message, scenario FROM runs WHERE status = 'failed'")
        self.assertEqual(len(failed), 4)
        for point, mode, rng_run, message, scenario in failed:
            self.assertIn(mode, ("vf-dma", "vswitch-kernel"))
            self.assertEqual((rng_run, scenario), (1, "compare-modes"))
            lines = message.splitlines()
            self.assertEqual(lines[0], "exit code 3")
            # The whole stderr: its first line may be the one that says what went wrong.
            self.assertEqual(len(lines), 27)
            self.assertEqual(lines[1], "fake: simulation step 0")
            self.assertEqual(lines[-1], "fake: simulated failure at size " + rows(
                db, "SELECT value FROM run_params p JOIN runs r ON r.id = p.run_id "
                "WHERE r.point = ? AND p.name = 'size'", (point,))[0][0])
        self.assertEqual(rows(db, "SELECT COUNT(*) FROM run_params p JOIN runs r ON r.id = p.run_id "
                                  "WHERE r.status = 'failed' AND p.name = 'fail' AND p.value = 'true'")[0][0], 4)
        self.assertIn("FAILED compare-modes/", result.stderr)

    def test_retry_failed(self):
        flag = self.path("fail-now")
        open(flag, "w").close()
        spec = self.write_spec(small_spec(reps=1, extra_fixed=f'fail-if-exists = "{flag}"'))
        db = self.path("r.db")
        self.assertEqual(self.sweep(spec, db, "--jobs=2").returncode, 1)
        self.assertEqual(rows(db, "SELECT COUNT(*) FROM runs WHERE status = 'failed'")[0][0], 6)
        os.unlink(flag)
        result = self.sweep(spec, db, "--jobs=2")  # failed points are not retried by default
        self.assertEqual(result.returncode, 1)
        self.assertIn("--retry-failed", result.stderr)
        self.assertEqual(rows(db, "SELECT COUNT(*) FROM runs WHERE status = 'failed'")[0][0], 6)
        result = self.sweep(spec, db, "--jobs=2", "--retry-failed")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(rows(db, "SELECT status, COUNT(*) FROM runs GROUP BY status"), [("ok", 6)])
        # No orphans of the deleted failed runs.
        self.assertEqual(rows(db, "SELECT COUNT(*) FROM run_params WHERE run_id NOT IN (SELECT id FROM runs)")[0][0], 0)

    def test_bad_input_and_broken_program_are_failures(self):
        # A value the option list cannot check (a file that is not there): the program refuses it.
        spec = self.write_spec('scenario = "compare-modes"\n[fixed]\nmode = "vf-dma"\n'
                               'topology = "missing.dot"\n[vary]\n"no-write" = [false, true]\n')
        db = self.path("r.db")
        result = self.sweep(spec, db, "--jobs=2")
        self.assertEqual(result.returncode, 1)
        messages = sorted(r[0] for r in rows(db, "SELECT message FROM runs WHERE status = 'failed'"))
        self.assertEqual(len(messages), 2)
        self.assertTrue(all(m.startswith("exit code 2\n") and "--topology=missing.dot" in m for m in messages))
        spec = self.write_spec('scenario = "compare-modes"\n[fixed]\nmode = "vf-dma"\n"no-write" = true\n',
                               "broken.toml")
        result = self.sweep(spec, db)
        self.assertEqual(result.returncode, 1)
        self.assertIn("wrote no runs row", rows(db, "SELECT message FROM runs WHERE message LIKE '%no runs row%'")[0][0])

    def test_results_committed_before_a_late_failure_are_kept(self):
        spec = self.write_spec('scenario = "compare-modes"\n[fixed]\nmode = "vf-dma"\n"exit-after-write" = 4\n')
        db = self.path("r.db")
        result = self.sweep(spec, db)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("already holds its results; kept", result.stderr)
        self.assertEqual(rows(db, "SELECT status, message FROM runs"), [("ok", None)])

    def test_a_failure_the_program_recorded_itself_is_kept(self):
        spec = self.write_spec('scenario = "compare-modes"\n[fixed]\nmode = "vf-dma"\n"write-failed" = true\n')
        db = self.path("r.db")
        result = self.sweep(spec, db)
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn("exit code 1: fake: model error: IOMMU fault storm", result.stderr)
        self.assertEqual(rows(db, "SELECT status, message FROM runs"),
                         [("failed", "fake: model error: IOMMU fault storm")])


class InterruptionTest(TempDirTest):
    def start_sweep(self, spec, db, jobs=2):
        """Start a runner in its own process group (as a shell or a batch system would). Its
        point logs go into the test's directory: a runner killed with SIGKILL cannot remove its
        temporary one."""
        return subprocess.Popen(
            [PYTHON, tool("sweep.py"), spec, f"--db={db}", f"--build-dir={self.build}", f"--jobs={jobs}",
             f"--log-dir={self.path('logs')}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)

    def test_resume_after_sigkill_of_the_whole_group(self):
        spec = self.write_spec(small_spec(extra_fixed="sleep = 0.5"))  # >= 3 s for 12 points
        db = self.path("r.db")
        proc = self.start_sweep(spec, db)
        try:
            wait_for(lambda: count_ok(db) >= 2, what="first rows")
        finally:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            proc.stderr.close()
        done = count_ok(db)
        self.assertLess(done, 12, "the sweep was not interrupted; make the points slower")
        result = self.sweep(spec, db, "--jobs=2")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn(f"{done} ok and 0 failed already", result.stderr)
        got = rows(db, "SELECT point, status FROM runs")
        self.assertEqual(len(got), 12)
        self.assertEqual({p for p, _ in got}, expected_keys(spec))
        self.assertEqual({s for _, s in got}, {"ok"})
        # Every run has its children (nothing half-written by the killed programs).
        self.assertEqual(rows(db, "SELECT COUNT(DISTINCT run_id) FROM flows")[0][0], 12)

    def test_sigterm_stops_children_and_records_nothing_for_them(self):
        pids = self.path("pids")
        os.mkdir(pids)
        spec = self.write_spec(small_spec(extra_fixed=f'sleep = 30\n"pid-dir" = "{pids}"'))
        db = self.path("r.db")
        proc = self.start_sweep(spec, db)
        try:
            wait_for(lambda: len(os.listdir(pids)) >= 2, what="two running points")
            started = time.monotonic()
            proc.send_signal(signal.SIGTERM)  # the runner only, not its group
            _, err = proc.communicate(timeout=15)
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
        self.assertEqual(proc.returncode, 128 + signal.SIGTERM, err)
        self.assertLess(time.monotonic() - started, 10)
        self.assertIn("interrupted by SIGTERM", err)
        for pid in map(int, os.listdir(pids)):
            self.assertFalse(alive(pid), f"point process {pid} survived the runner")
        self.assertEqual(rows(db, "SELECT COUNT(*) FROM runs")[0][0], 0, "interrupted points are not failures")

    def test_concurrent_runners_lose_nothing(self):
        spec_a = self.write_spec(small_spec(extra_fixed='tag = "a"'), "a.toml")
        spec_b = self.write_spec(small_spec(extra_fixed='tag = "b"'), "b.toml")
        db = self.path("r.db")
        procs = [self.start_sweep(s, db, jobs=1) for s in (spec_a, spec_b, spec_a)]
        results = [(p.wait(timeout=60), p.stderr.read()) for p in procs]
        for p in procs:
            p.stderr.close()
        for rc, err in results:
            self.assertEqual(rc, 0, err)
        got = rows(db, "SELECT point, status FROM runs")
        self.assertEqual(len(got), 24)
        self.assertEqual({p for p, _ in got}, expected_keys(spec_a) | expected_keys(spec_b))
        self.assertEqual({s for _, s in got}, {"ok"})


def alive(pid):
    """True if pid is a live (not zombie) process."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


class SlurmTest(TempDirTest):
    def test_batch_script(self):
        spec = self.write_spec(small_spec())  # 12 points
        out = self.path("slurm")
        result = self.sweep(spec, self.path("r.db"), "--backend=slurm", f"--slurm-dir={out}", "--chunk=5")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("merge.py", result.stderr)
        script = read(os.path.join(out, "sweep.sbatch"))
        self.assertIn("#SBATCH --array=0-2\n", script)
        self.assertIn('SHARD="$DIR/shards/shard-$TASK.db"', script)
        self.assertIn("CHUNK=5\n", script)
        self.assertIn(f"DIR={out}\n", script)
        self.assertTrue(os.path.isdir(os.path.join(out, "logs")))
        subprocess.run(["bash", "-n", os.path.join(out, "sweep.sbatch")], check=True)
        lines = read(os.path.join(out, "points.txt")).splitlines()
        self.assertEqual(len(lines), 12)
        self.assertEqual({sweep_spec.parse_command_line(line)[1].key for line in lines}, expected_keys(spec))
        self.assertFalse(os.path.exists(self.path("r.db")), "generating the script runs nothing")

    @unittest.skipIf(shutil.which("sbatch"), "sbatch is installed here")
    def test_submit_without_sbatch(self):
        spec = self.write_spec(small_spec(reps=1))
        result = self.sweep(spec, self.path("r.db"), "--backend=slurm", f"--slurm-dir={self.path('s')}", "--submit")
        self.assertEqual(result.returncode, 1)
        self.assertIn("sbatch not found", result.stderr)


if __name__ == "__main__":
    unittest.main()
