"""Bad sweep inputs are refused before anything runs (exit 2, one line, nothing written), and
runner and program agree on point keys. Uses the fake scenario, and the real programs of the
build directory where they are built (ctest sets VMCOMM_BUILD_DIR)."""

import json
import os
import subprocess
import unittest

from helpers import ANALYSIS, TempDirTest, rows

import program_options
import sweep_spec

MODES = ("vf-dma", "veb", "vepa", "vswitch-kernel", "vswitch-dpdk", "vswitch-offload")
REAL_BUILD = os.environ.get("VMCOMM_BUILD_DIR") or os.path.join(os.path.dirname(ANALYSIS), "build")


def keys(spec_text, path="x"):
    import tomllib

    return {p.key for p in sweep_spec.parse_spec(tomllib.loads(spec_text), path).points()}


class RefusedBeforeRunningTest(TempDirTest):
    def refused(self, body, *fragments):
        """A spec of the fake compare-modes with this body must be refused, naming the file."""
        spec = self.write_spec('scenario = "compare-modes"\n' + body)
        db = self.path("r.db")
        result = self.sweep(spec, db)
        self.assertEqual(result.returncode, 2, (body, result.stderr))
        self.assertEqual(len(result.stderr.strip().splitlines()), 1, result.stderr)
        self.assertIn("spec.toml", result.stderr)
        for fragment in fragments:
            self.assertIn(fragment, result.stderr)
        self.assertFalse(os.path.exists(db), f"{body}: nothing may run or be written")

    def test_unknown_options_and_attributes(self):
        self.refused('[vary]\nframe_size = [64, 128]\n',
                     "[vary] 'frame_size'", "no option --frame_size", "did you mean size?")
        self.refused('[fixed]\n"ns3::Iommu::IotlbEntrys" = 64\n',
                     "'ns3::Iommu::IotlbEntrys'", "ns3::Iommu has no attribute IotlbEntrys",
                     "did you mean IotlbEntries?")
        self.refused('[fixed]\n"ns3::Iomu::IotlbEntries" = 64\n', "no ns-3 type ns3::Iomu")
        self.refused('[fixed]\n"Iommu::IotlbEntries" = 64\n', '"ns3::Iommu::IotlbEntries"')

    def test_values_the_option_list_can_check(self):
        self.refused('[vary]\nmode = ["vf-dma", "warp-drive"]\n', "'warp-drive'", "allowed: vf-dma, veb")
        self.refused('[fixed]\n"ns3::Iommu::IotlbEntries" = 0\n', "'0'", "out of range; allowed: 1..4294967295")
        self.refused('[fixed]\n"ns3::Iommu::InvalidationMode" = "LAZYY"\n', "allowed: STRICT, LAZY")
        self.refused('[fixed]\nnics = 9\n', "'nics'", "allowed: 1..8")
        self.refused('[fixed]\nsize = "64B"\n', "'size'", "not an integer")
        self.refused('[fixed]\n"ns3::PcieLink::Ecrc" = "yes"\n', "true or false")
        self.refused('[fixed]\nduration = 5\n', "'duration'", "needs a unit")

    def test_a_program_that_cannot_say_what_it_accepts(self):
        old = self.path("build", "bin", "old-program")
        with open(old, "w") as f:
            f.write("#!/bin/sh\necho 'Invalid command-line argument: --list-options' >&2\nexit 1\n")
        os.chmod(old, 0o755)
        spec = self.write_spec('scenario = "old-program"\n')
        result = self.sweep(spec, self.path("r.db"))
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn("--list-options: exit code 1", result.stderr)
        self.assertIn("rebuild", result.stderr)
        self.assertFalse(os.path.exists(self.path("r.db")))

    def test_invalid_utf8_spec(self):
        spec = self.path("spec.toml")
        with open(spec, "wb") as f:
            f.write(b'scenario = "compare-modes"\n[fixed]\n# caf\xe9\nsize = 64\n')
        result = self.sweep(spec, self.path("r.db"))
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertNotIn("Traceback", result.stderr)
        self.assertIn("spec.toml: line 3, column 6: byte 0xe9 is not valid UTF-8", result.stderr)


class CheckAgainstListTest(unittest.TestCase):
    """program_options on a hand-written list (no program needed)."""

    LISTING = {"program": "p", "globals": [], "attributes": [], "options": [
        {"name": "db", "type": "string"}, {"name": "point", "type": "string"},
        {"name": "mode", "type": "enum", "choices": ["a", "b", "all"], "expands": {"all": ["a", "b"]},
         "default": "all"},
        {"name": "n", "type": "integer", "min": 1, "max": 4}]}

    def spec(self, **tables):
        return sweep_spec.parse_spec(dict(scenario="p", **tables), "s.toml")

    def test_expansion_keeps_every_point_one_run(self):
        for tables, expected in (({}, ["a", "b"]), ({"fixed": {"mode": "all"}}, ["a", "b"]),
                                 ({"vary": {"mode": ["b", "all"]}}, ["b", "a"]),
                                 ({"fixed": {"mode": "a"}}, None)):
            spec = self.spec(**tables)
            program_options.check_spec(spec, self.LISTING)
            notes = program_options.expand_multi_runs(spec, self.LISTING)
            self.assertEqual(spec.vary.get("mode"), expected, tables)
            self.assertEqual(len(notes), 0 if expected is None else 1)
            self.assertNotIn("all", [p.option("mode") for p in spec.points()])

    def test_a_program_without_point_cannot_be_swept(self):
        listing = dict(self.LISTING, options=[o for o in self.LISTING["options"] if o["name"] != "point"])
        with self.assertRaisesRegex(sweep_spec.SpecError, "p has no --point option"):
            program_options.check_spec(self.spec(), listing)

    def test_range_of_own_option(self):
        with self.assertRaisesRegex(sweep_spec.SpecError, r"s.toml: \[vary\] 'n': '5': out of range; allowed: 1..4"):
            program_options.check_spec(self.spec(vary={"n": [1, 5]}), self.LISTING)


class ModeAllTest(TempDirTest):
    """compare-modes runs every mode when --mode is not given (mode=all) and stores KEY/MODE:
    the runner must run such a sweep as one point per mode."""

    def test_sweep_without_mode_runs_one_point_per_mode(self):
        text = 'scenario = "compare-modes"\n[fixed]\nduration = "1ms"\n[vary]\nsize = [64, 1500]\n'
        spec = self.write_spec(text)
        db = self.path("r.db")
        result = self.sweep(spec, db, "--jobs=2")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("one run per value", result.stderr)
        expected = keys(text.replace("[vary]\n", '[vary]\nmode = ["' + '", "'.join(MODES) + '"]\n'))
        got = rows(db, "SELECT point, status, mode FROM runs")
        self.assertEqual(len(got), 12)
        self.assertEqual({p for p, _, _ in got}, expected)
        self.assertEqual({s for _, s, _ in got}, {"ok"})
        self.assertEqual({m for _, _, m in got}, set(MODES))
        for args in ((), ("--retry-failed",)):
            again = self.sweep(spec, db, *args)
            self.assertEqual(again.returncode, 0, again.stderr)
            self.assertIn("12 ok and 0 failed already", again.stderr)
            self.assertIn("running 0", again.stderr)
        # mode = "all" written out is the same sweep, and so is a list holding it.
        for variant in (text.replace("[vary]\n", 'mode = "all"\n[vary]\n'),
                        text + 'mode = ["all", "vf-dma"]\n'):
            again = self.sweep(self.write_spec(variant, "variant.toml"), db)
            self.assertEqual(again.returncode, 0, (variant, again.stderr))
            self.assertIn("running 0", again.stderr)
        self.assertEqual(rows(db, "SELECT COUNT(*) FROM runs")[0][0], 12)


PR_CAPBSET_DROP = 24
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 1, 2


def _drop_file_override():
    """In the child: remove the capabilities that let root write a read-only file, from the
    bounding set, so the program exec'd next runs without them (still as root, so it can reach
    a clone in /root, which a switch to another user could not)."""
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise PermissionError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) refused")


def as_other_user():
    """subprocess arguments under which root, too, may not write a read-only file."""
    if os.geteuid() != 0:
        return {}
    return dict(preexec_fn=_drop_file_override)


class ReadOnlyDatabaseTest(TempDirTest):
    def sweep_as_other(self, spec, db):
        try:
            return self.sweep(spec, db, **as_other_user())
        except (PermissionError, subprocess.SubprocessError) as e:  # no CAP_SETPCAP here
            self.skipTest(f"cannot drop the capability to write read-only files: {e}")

    def test_read_only_file_and_directory(self):
        spec = self.write_spec('scenario = "compare-modes"\n[fixed]\nmode = "vf-dma"\n')
        os.chmod(spec, 0o644)
        db = self.path("r.db")
        result = self.sweep(spec, db)  # one ok run, as the test's user
        self.assertEqual(result.returncode, 0, result.stderr)
        os.chmod(db, 0o444)
        for wal in (db + "-wal", db + "-shm"):
            if os.path.exists(wal):
                os.chmod(wal, 0o666)
        other = self.write_spec('scenario = "compare-modes"\n[fixed]\nmode = "veb"\n', "other.toml")
        os.chmod(other, 0o644)
        result = self.sweep_as_other(other, db)
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertNotIn("Traceback", result.stderr)
        self.assertEqual(result.stderr.count("\n"), 1, result.stderr)
        self.assertIn("r.db: results database is read-only", result.stderr)
        self.assertEqual(rows(db, "SELECT mode FROM runs"), [("vf-dma",)], "nothing ran")

        ro = self.path("ro")
        os.mkdir(ro, 0o555)
        os.chmod(ro, 0o555)
        result = self.sweep_as_other(other, os.path.join(ro, "sub", "r.db"))
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertNotIn("Traceback", result.stderr)
        self.assertIn(f"directory {ro} is not writable", result.stderr)
        self.assertFalse(os.path.exists(os.path.join(ro, "sub")))


class DatabaseFailsDuringSweepTest(TempDirTest):
    def test_runner_stops_with_one_line(self):
        """A database that cannot take the row of a failed point (disk full, I/O error) stops the
        sweep with a DbError naming the point, and its running points are stopped."""
        import io
        import sqlite3

        import sweep_runner
        import vmcomm_db

        spec = sweep_spec.parse_spec({"scenario": "compare-modes", "fixed": {"mode": "vf-dma"},
                                      "vary": {"fail": [True], "sleep": [0, 30]}}, "s.toml")
        program = os.path.join(self.build, "bin", "compare-modes")
        runner = sweep_runner.Runner(self.path("r.db"), 2, stream=io.StringIO())

        def broken(*args, **kwargs):
            raise sqlite3.OperationalError("database or disk is full")

        saved = vmcomm_db.record_failed_run
        vmcomm_db.record_failed_run = broken
        try:
            with self.assertRaisesRegex(vmcomm_db.DbError, "cannot record the failure of point "
                                        "compare-modes/.*: database or disk is full"):
                runner.run([(program, p) for p in spec.points()], 2, 0, 0)
        finally:
            vmcomm_db.record_failed_run = saved


@unittest.skipUnless(os.path.isfile(os.path.join(REAL_BUILD, "bin", "compare-modes")),
                     f"no built compare-modes in {REAL_BUILD}")
class RealProgramTest(TempDirTest):
    """The same agreements with the C++ programs themselves."""

    def real_sweep(self, text, *args):
        spec = self.write_spec(text)
        return self.run_tool("sweep.py", spec, f"--db={self.path('r.db')}", f"--build-dir={REAL_BUILD}",
                             *args, timeout=120)

    def test_option_list(self):
        for name in ("compare-modes", "scenario", "dma-bench"):
            out = subprocess.run([os.path.join(REAL_BUILD, "bin", name), "--list-options"],
                                 capture_output=True, timeout=60)
            self.assertEqual(out.returncode, 0, out.stderr)
            listing = json.loads(out.stdout)
            self.assertEqual(listing["program"], name)
            options = {o["name"]: o for o in listing["options"]}
            self.assertIn("preset", options)
            attributes = {a["name"]: a for a in listing["attributes"]}
            self.assertEqual(attributes["ns3::Iommu::IotlbEntries"]["type"], "integer")
            self.assertEqual(attributes["ns3::Iommu::InvalidationMode"]["choices"], ["STRICT", "LAZY"])
            self.assertEqual(attributes["ns3::PcieLink::Ecrc"]["type"], "boolean")
            self.assertIn("RngRun", {g["name"] for g in listing["globals"]})
        self.assertEqual(options["op"]["choices"], ["read", "write", "rw"])  # dma-bench

    def test_bad_names_refused_and_mode_all_expanded(self):
        for body, fragment in (('[vary]\nframe_size = [64, 128]\n', "no option --frame_size"),
                               ('[fixed]\n"ns3::Iommu::IotlbEntrys" = 64\n', "did you mean IotlbEntries?")):
            result = self.real_sweep('scenario = "compare-modes"\n' + body)
            self.assertEqual(result.returncode, 2, result.stderr)
            self.assertIn(fragment, result.stderr)
            self.assertFalse(os.path.exists(self.path("r.db")))
        result = self.real_sweep('scenario = "dma-bench"\n')
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn("dma-bench has no --point option", result.stderr)
        # No mode given: compare-modes would run all six under one point; the runner runs six.
        text = 'scenario = "compare-modes"\n[fixed]\nduration = "20us"\nsize = 1500\n'
        result = self.real_sweep(text, "--jobs=2")
        self.assertEqual(result.returncode, 0, result.stderr)
        got = rows(self.path("r.db"), "SELECT point, status, mode FROM runs")
        self.assertEqual(len(got), 6, got)
        self.assertEqual({p for p, _, _ in got},
                         keys(text + '[vary]\nmode = ["' + '", "'.join(MODES) + '"]\n'))
        self.assertEqual({(s, m) for _, s, m in got}, {("ok", m) for m in MODES})
        again = self.real_sweep(text, "--retry-failed")
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertIn("running 0", again.stderr)


if __name__ == "__main__":
    unittest.main()
