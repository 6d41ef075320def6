"""Tests of analysis/vmcomm_db.py that the tool tests do not reach."""

import multiprocessing
import os

from helpers import TempDirTest

import vmcomm_db


def _open_and_close(path):
    """Open (creating if need be) a results database; return the error text, or ""."""
    try:
        vmcomm_db.connect(path).close()
        return ""
    except vmcomm_db.DbError as e:
        return str(e)


class ConnectTest(TempDirTest):
    def test_many_processes_creating_one_database_at_once(self):
        # Sweep runners and scenario programs open a fresh database together. Two races lost
        # such opens: the version and the table list read from two commits ("not a results
        # database"), and the switch to WAL answered "locked" without waiting. 120 opens of
        # 10 fresh files, 12 processes at a time: every one must succeed.
        with multiprocessing.get_context("fork").Pool(12) as pool:
            for i in range(10):
                path = self.path(f"fresh-{i}.db")
                errors = [e for e in pool.map(_open_and_close, [path] * 12) if e]
                self.assertEqual(errors, [], f"{len(errors)} of 12 opens failed")
                conn = vmcomm_db.connect(path, create=False)
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                conn.close()
                self.assertEqual(version, vmcomm_db.SCHEMA_VERSION)
                self.assertTrue(os.path.isfile(path))


class ClaimPointTest(TempDirTest):
    """The rule a finished run wins, a failed one is replaced (vmcomm_db.claim_point)."""

    def run_with_rows(self, conn, point, status):
        run_id = vmcomm_db.insert_run(conn, dict(point=point, scenario="s", status=status), {"a": 1})
        conn.execute("INSERT INTO flows (run_id, flow_id) VALUES (?, 0)", (run_id,))
        conn.execute("INSERT INTO drops VALUES (?, 'host0/nic0', 'no-rx-buffer', 2)", (run_id,))
        conn.execute("INSERT INTO counters VALUES (?, 'host0/pcie', 'x', 1)", (run_id,))
        conn.execute("INSERT INTO component_params VALUES (?, 'host0/vms', 'ns3::GuestOs::Stack', 'Dpdk')", (run_id,))
        conn.execute("INSERT INTO latency_hist VALUES (?, -1, 1.0, 2.0, 3)", (run_id,))
        return run_id

    def test_ok_kept_failed_replaced_with_its_rows(self):
        conn = vmcomm_db.connect(self.path("r.db"))
        self.assertEqual(vmcomm_db.claim_point(conn, "p"), ("free", None))
        ok = self.run_with_rows(conn, "p", "ok")
        failed = self.run_with_rows(conn, "q", "failed")
        self.run_with_rows(conn, "r", "ok")  # a higher id: the deleted one is not reused
        self.assertEqual(vmcomm_db.claim_point(conn, "p"), ("kept-ok", ok))
        self.assertEqual(vmcomm_db.claim_point(conn, "q"), ("replaced", None))
        self.assertEqual(vmcomm_db.claim_point(conn, "q"), ("free", None))
        for table in vmcomm_db.CHILD_TABLES:
            left = conn.execute(f"SELECT count(*) FROM {table} WHERE run_id = ?", (failed,)).fetchone()[0]
            self.assertEqual(left, 0, f"{table} rows of the replaced run")
            kept = conn.execute(f"SELECT count(*) FROM {table} WHERE run_id = ?", (ok,)).fetchone()[0]
            self.assertEqual(kept, 1, f"{table} rows of the kept run")
        conn.close()

    def test_record_failed_run_follows_the_rule(self):
        conn = vmcomm_db.connect(self.path("r.db"))
        self.assertEqual(vmcomm_db.record_failed_run(conn, "p", "s", {}, 1, "first"), "inserted")
        self.assertEqual(vmcomm_db.record_failed_run(conn, "p", "s", {}, 1, "second"), "replaced")
        self.assertEqual(conn.execute("SELECT message FROM runs WHERE point = 'p'").fetchall(), [("second",)])
        self.run_with_rows(conn, "o", "ok")
        self.assertEqual(vmcomm_db.record_failed_run(conn, "o", "s", {}, 1, "late"), "kept-ok")
        self.assertEqual(conn.execute("SELECT status FROM runs WHERE point = 'o'").fetchall(), [("ok",)])
        conn.close()
