"""Shared pieces of the analysis tests: a build directory holding the fake scenario, spec files,
running the tools as subprocesses, and a comparable dump of a results database."""

import os
import sqlite3
import subprocess
import sys
import tempfile
import unittest

import vmcomm_db  # the tools' modules: PYTHONPATH=analysis (ctest sets it; analysis/README.md)

TESTS = os.path.dirname(os.path.abspath(__file__))
ANALYSIS = os.path.dirname(TESTS)
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
FAKE = os.path.join(TESTS, "fake_scenario.py")

# Columns that legitimately differ between two runs of the same point.
VOLATILE_RUN_COLUMNS = ("id", "started_at", "wall_seconds")


def tool(name):
    return os.path.join(ANALYSIS, name)


class TempDirTest(unittest.TestCase):
    """A test with its own directory, holding build/bin/compare-modes = the fake scenario."""

    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="vmcomm-test-")
        self.dir = self._tmp.name
        self.build = os.path.join(self.dir, "build")
        os.makedirs(os.path.join(self.build, "bin"))
        os.symlink(FAKE, os.path.join(self.build, "bin", "compare-modes"))

    def tearDown(self):
        self._tmp.cleanup()

    def path(self, *parts):
        return os.path.join(self.dir, *parts)

    def write_spec(self, text, name="spec.toml"):
        path = self.path(name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def run_tool(self, name, *args, timeout=60, **kwargs):
        """Run an analysis tool; returns the CompletedProcess (text output captured)."""
        return subprocess.run([PYTHON, tool(name), *args], capture_output=True, text=True,
                              timeout=timeout, cwd=self.dir, **kwargs)

    def sweep(self, spec, db, *args, **kwargs):
        return self.run_tool("sweep.py", spec, f"--db={db}", f"--build-dir={self.build}", *args, **kwargs)


def small_spec(reps=2, extra_fixed="", modes=("vf-dma", "vswitch-kernel"), sizes=(64, 256, 1500)):
    """Spec text of len(modes) x len(sizes) x reps points of the fake scenario."""
    mode_list = ", ".join(f'"{m}"' for m in modes)
    size_list = ", ".join(str(s) for s in sizes)
    return (
        'scenario = "compare-modes"\n'
        f"repetitions = {reps}\n"
        "[fixed]\n"
        'duration = "1ms"\n'
        f"{extra_fixed}\n"
        "[vary]\n"
        f"mode = [{mode_list}]\n"
        f"size = [{size_list}]\n"
    )


def read(path):
    with open(path) as f:
        return f.read()


def rows(db, sql, args=()):
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def content(db):
    """Everything in a results database except run ids, start and wall times, keyed by point.

    Two databases with equal content hold the same results, however their runs were numbered.
    """
    conn = sqlite3.connect(db)
    try:
        run_cols = [r[1] for r in conn.execute("PRAGMA table_info(runs)") if r[1] not in VOLATILE_RUN_COLUMNS]
        result = {}
        for run_id, point in conn.execute("SELECT id, point FROM runs"):
            run = conn.execute(f"SELECT {', '.join(run_cols)} FROM runs WHERE id = ?", (run_id,)).fetchone()
            children = {}
            for table in vmcomm_db.CHILD_TABLES:
                cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})") if r[1] != "run_id"]
                children[table] = sorted(
                    conn.execute(f"SELECT {', '.join(cols)} FROM {table} WHERE run_id = ?", (run_id,)).fetchall(),
                    key=repr,
                )
            result[point] = (run, children)
        return result
    finally:
        conn.close()


def assert_coinciding_visible(test, ax):
    """Every line of ax that a later-drawn line covers (a marker on the same point, a segment
    along the same segment) shows around it: a larger marker, a wider line. Returns how many
    covered pairs it checked."""
    lines = [(line, list(zip(line.get_xdata(), line.get_ydata()))) for line in ax.get_lines()]
    checked = 0
    for i, (below, xy) in enumerate(lines):
        for above, other in lines[i + 1:]:
            if below.get_marker() not in ("None", "", None) and set(xy) & set(other):
                checked += 1
                test.assertGreater(below.get_markersize(), above.get_markersize(),
                                   f"{below.get_label()} hidden by {above.get_label()} at {set(xy) & set(other)}")
            if set(zip(xy, xy[1:])) & set(zip(other, other[1:])) and below.get_linestyle() != "None":
                test.assertGreater(below.get_linewidth(), above.get_linewidth(),
                                   f"line of {below.get_label()} hidden by {above.get_label()}")
    return checked
