"""Tests of analysis/merge.py and of the schema module vmcomm_db.py."""

import glob
import os
import sqlite3
import subprocess
import unittest

import helpers
from helpers import TempDirTest, content, rows, small_spec

import vmcomm_db


def set_version(db, version):
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()


class MergeTest(TempDirTest):
    def spec(self):
        # 16 points, half of them failing: failed rows must merge like ok ones.
        return self.write_spec(small_spec(sizes=(64, 256)).replace("[vary]\n", "[vary]\nfail = [false, true]\n"))

    def test_merged_shards_equal_a_single_file_sweep(self):
        spec = self.spec()
        single = self.path("single.db")
        self.assertEqual(self.sweep(spec, single, "--jobs=2").returncode, 1)
        slurm = self.path("slurm")
        result = self.sweep(spec, self.path("merged.db"), "--backend=slurm", f"--slurm-dir={slurm}", "--chunk=5")
        self.assertEqual(result.returncode, 0, result.stderr)
        for task in range(4):  # 16 points, 5 per task
            env = dict(os.environ, SLURM_ARRAY_TASK_ID=str(task), SLURM_CPUS_PER_TASK="2")
            subprocess.run(["bash", os.path.join(slurm, "sweep.sbatch")], env=env,
                           capture_output=True, timeout=60)
        shards = sorted(glob.glob(os.path.join(slurm, "shards", "shard-*.db")))
        self.assertEqual(len(shards), 4)
        merged = self.path("merged.db")
        result = self.run_tool("merge.py", merged, *shards)
        self.assertEqual(result.returncode, 0, result.stderr)
        expected = content(single)
        self.assertEqual(len(expected), 16)
        self.assertEqual(content(merged), expected)
        # Merging again adds nothing.
        result = self.run_tool("merge.py", merged, *shards)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("0 runs added, 0 replaced, 16 skipped", result.stderr)
        self.assertEqual(content(merged), expected)

    def test_ok_run_replaces_failed_and_ok_is_kept(self):
        spec = self.write_spec(small_spec(reps=1, sizes=(64,)))  # 2 points
        shard = self.path("shard.db")
        self.assertEqual(self.sweep(spec, shard).returncode, 0)
        points = [r[0] for r in rows(shard, "SELECT point FROM runs ORDER BY point")]
        out = self.path("out.db")
        conn = vmcomm_db.connect(out)
        vmcomm_db.record_failed_run(conn, points[0], "compare-modes", {"size": "64"}, 1, "exit code 9")
        conn.execute("BEGIN")
        vmcomm_db.insert_run(conn, dict(point=points[1], scenario="compare-modes", status="ok",
                                        message="kept"), {})
        conn.execute("COMMIT")
        conn.close()
        result = self.run_tool("merge.py", out, shard)
        # The ok run in OUT has other results than the shard's: kept, and reported as a conflict.
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn("0 runs added, 1 failed runs replaced, 1 already present (1 with other results)",
                      result.stderr)
        self.assertIn(f"conflict: {shard}: {points[1]}: results differ", result.stderr)
        got = dict((r[0], r[1:]) for r in rows(out, "SELECT point, status, message FROM runs"))
        self.assertEqual(got[points[0]], ("ok", None))
        self.assertEqual(got[points[1]], ("ok", "kept"))
        self.assertEqual(content(out)[points[0]], content(shard)[points[0]])
        self.assertEqual(rows(out, "SELECT COUNT(*) FROM run_params WHERE run_id NOT IN (SELECT id FROM runs)")[0][0], 0)

    def test_merging_ad_hoc_runs_again_adds_nothing(self):
        adhoc = self.path("adhoc.db")
        for run in (1, 2):  # two runs without a point key, as `compare-modes --db=...` writes them
            subprocess.run([helpers.PYTHON, os.path.join(self.build, "bin", "compare-modes"), "--mode=veb",
                            f"--RngRun={run}", f"--db={adhoc}"], check=True, timeout=60)
        self.assertEqual(rows(adhoc, "SELECT COUNT(*) FROM runs WHERE point IS NULL")[0][0], 2)
        out = self.path("out.db")
        for attempt in range(3):
            result = self.run_tool("merge.py", out, adhoc)
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertEqual(rows(out, "SELECT COUNT(*) FROM runs")[0][0], 2, f"merge number {attempt + 1}")
        self.assertIn("0 runs added, 0 replaced, 2 skipped", result.stderr)
        self.assertEqual(sorted(content(out).values()), sorted(content(adhoc).values()))

    def test_conflicting_results_are_reported(self):
        spec = self.write_spec(small_spec(reps=1, sizes=(64,)))  # 2 points
        a, b = self.path("a.db"), self.path("b.db")
        self.assertEqual(self.sweep(spec, a).returncode, 0)
        self.assertEqual(self.sweep(spec, b).returncode, 0)
        point = rows(b, "SELECT point FROM runs ORDER BY point")[0][0]
        conn = sqlite3.connect(b)
        conn.execute("UPDATE flows SET rx_frames = rx_frames - 1 WHERE flow_id = 0 AND run_id = "
                     "(SELECT id FROM runs WHERE point = ?)", (point,))
        conn.commit()
        conn.close()
        out = self.path("out.db")
        result = self.run_tool("merge.py", out, a, b)
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn(f"merge: conflict: {b}: {point}: results differ from those in {out} (flows); "
                      f"kept {out}'s", result.stderr)
        self.assertIn("1 conflicts", result.stderr)
        self.assertEqual(content(out), content(a))

    def test_refuses_newer_foreign_and_missing_databases(self):
        good = self.path("good.db")
        vmcomm_db.connect(good).close()
        newer = self.path("newer.db")
        vmcomm_db.connect(newer).close()
        set_version(newer, 4)
        foreign = self.path("foreign.db")
        conn = sqlite3.connect(foreign)
        conn.execute("CREATE TABLE t(x)")
        conn.commit()
        conn.close()
        garbage = self.path("garbage.db")
        with open(garbage, "w") as f:
            f.write("this is not a database, just some text that is long enough " * 20)
        for args, fragment in (
            ((self.path("out.db"), newer), "schema version 4"),
            ((newer, good), "schema version 4"),
            ((self.path("out.db"), foreign), "not a sriov-vmcomm results database"),
            ((self.path("out.db"), self.path("missing.db")), "no such results database"),
            ((self.path("out.db"), garbage), "cannot read"),
            ((good, good), "output database itself"),
        ):
            result = self.run_tool("merge.py", *args)
            self.assertEqual(result.returncode, 2, (args, result.stderr))
            self.assertIn(fragment, result.stderr)
        self.assertEqual(self.run_tool("merge.py", "only-one.db").returncode, 2)


class SchemaTest(TempDirTest):
    def test_schema_version_3(self):
        db = self.path("new.db")
        conn = vmcomm_db.connect(db)
        self.assertEqual(conn.execute("PRAGMA user_version").fetchone()[0], 3)
        self.assertEqual(conn.execute("PRAGMA journal_mode").fetchone()[0], "wal")
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        self.assertEqual(tables, {"runs", "run_params", "flows", "drops", "counters", "component_params",
                                  "latency_hist"})
        cols = [r[1] for r in conn.execute("PRAGMA table_info(flows)")]
        self.assertEqual(cols, ["run_id", "flow_id", "src", "dst", "src_host", "dst_host", "same_host",
                                "tx_frames", "tx_bytes", "rx_frames", "rx_bytes", "dropped", "throughput_bps",
                                "frame_bps", "offered_bps", "saturated", "lat_mean_ns", "lat_p50_ns", "lat_p99_ns", "lat_p999_ns", "lat_max_ns", "in_flight"])
        with self.assertRaises(sqlite3.IntegrityError):
            conn.execute("INSERT INTO runs(scenario, status) VALUES ('x', 'maybe')")
        conn.close()
        vmcomm_db.connect(db).close()  # opening again keeps it as it is
        set_version(db, 4)
        with self.assertRaisesRegex(vmcomm_db.DbError, "schema version 4"):
            vmcomm_db.connect(db)
        with self.assertRaisesRegex(vmcomm_db.DbError, "schema version 4"):
            vmcomm_db.connect_readonly(db)
        set_version(db, 1)  # before the load columns: refused, not half read
        with self.assertRaisesRegex(vmcomm_db.DbError, "older schema version 1"):
            vmcomm_db.connect_readonly(db)

    def test_schema_version_2_is_upgraded_in_place(self):
        # Version 3 only added component_params: a version-2 file keeps its runs, readers read it
        # as it is, and the first writer adds the table.
        db = self.path("old.db")
        conn = vmcomm_db.connect(db)
        vmcomm_db.insert_run(conn, dict(point="p", scenario="s", status="ok"), {"a": 1})
        conn.execute("DROP TABLE component_params")
        conn.close()
        set_version(db, 2)
        fresh = self.path("fresh.db")
        vmcomm_db.connect(fresh).close()
        ro = vmcomm_db.connect_readonly(db)
        self.assertEqual(ro.execute("SELECT count(*) FROM runs").fetchone()[0], 1)
        ro.close()
        conn = vmcomm_db.connect(db)
        self.assertEqual(conn.execute("PRAGMA user_version").fetchone()[0], 3)
        self.assertEqual(conn.execute("SELECT count(*) FROM runs").fetchone()[0], 1)
        schema = "SELECT type, name, sql FROM sqlite_master ORDER BY name"
        self.assertEqual(conn.execute(schema).fetchall(), sqlite3.connect(fresh).execute(schema).fetchall())
        conn.close()

    def test_schema_file_is_read_statement_by_statement(self):
        # The schema is contrib/sriov-vmcomm/experiment/results-schema.sql, shared with the C++
        # writer (results-db-test SchemaEqualsThePythonTools compares the databases both make).
        self.assertTrue(vmcomm_db.SCHEMA_FILE.endswith("experiment/results-schema.sql"))
        self.assertEqual(vmcomm_db.SCHEMA_STATEMENTS[-1], f"PRAGMA user_version = {vmcomm_db.SCHEMA_VERSION};")
        good = self.write_spec("-- a comment; with a semicolon\nCREATE TABLE t (a TEXT DEFAULT ';');\n"
                               "PRAGMA user_version = 5;\n", "good.sql")
        statements, version = vmcomm_db._read_schema(good)
        self.assertEqual(version, 5)
        self.assertEqual(len(statements), 2)
        no_version = self.write_spec("CREATE TABLE t (a);\n", "none.sql")
        with self.assertRaisesRegex(RuntimeError, "none.sql: needs exactly one 'PRAGMA user_version"):
            vmcomm_db._read_schema(no_version)
        unterminated = self.write_spec("PRAGMA user_version = 1;\nCREATE TABLE t (a)\n", "open.sql")
        with self.assertRaisesRegex(RuntimeError, "open.sql: unterminated"):
            vmcomm_db._read_schema(unterminated)

    def test_newer_database_refused_by_sweep(self):
        db = self.path("r.db")
        vmcomm_db.connect(db).close()
        set_version(db, 7)
        result = self.sweep(self.write_spec(small_spec(reps=1)), db)
        self.assertEqual(result.returncode, 2)
        self.assertIn("schema version 7", result.stderr)


if __name__ == "__main__":
    unittest.main()
