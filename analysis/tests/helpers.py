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
    """Every series of ax (its lines, told apart by colour) that a series drawn above it covers
    shows around it: at a point they share, its largest marker is larger than theirs; along a
    segment they share, its line is wider. Artists are drawn by zorder, then in the order added.
    Returns how many covered points and segments it checked."""
    from matplotlib.colors import to_rgba

    at_point = {}  # (x, y) -> {series: (markersize, drawing rank)}
    on_segment = {}  # ((x, y), (x, y)) -> {series: (linewidth, drawing rank)}
    ranked = sorted(enumerate(ax.get_lines()), key=lambda il: (il[1].get_zorder(), il[0]))
    for rank, (_, line) in enumerate(ranked):
        series = to_rgba(line.get_markeredgecolor() if line.get_linestyle() == "None" else line.get_color())
        xy = list(zip(line.get_xdata(), line.get_ydata()))
        if line.get_marker() not in ("None", "", None):
            for p in xy:
                size = at_point.setdefault(p, {})
                if line.get_markersize() >= size.get(series, (0, 0))[0]:
                    size[series] = (line.get_markersize(), rank)
        if line.get_linestyle() != "None":
            for seg in zip(xy, xy[1:]):
                width = on_segment.setdefault(seg, {})
                if line.get_linewidth() >= width.get(series, (0, 0))[0]:
                    width[series] = (line.get_linewidth(), rank)
    checked = 0
    for where, what, shared in (("point", "marker", at_point), ("segment", "line", on_segment)):
        for place, by_series in shared.items():
            drawn = sorted(by_series.values(), key=lambda sr: sr[1])
            for below, above in zip(drawn, drawn[1:]):
                checked += 1
                test.assertGreater(below[0], above[0], f"a series' {what} hidden by a later one at {where} {place}")
    return checked
