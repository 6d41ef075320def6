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
