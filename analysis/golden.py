#!/usr/bin/python3
"""Golden results: prove that a change leaves every figure of a fixed set of runs identical.

  golden.py check [NAME...] [--build-dir=DIR] [--jobs=N]   run the set(s), compare with the files
  golden.py update [NAME...] [--build-dir=DIR] [--jobs=N]  run the set(s), rewrite the files
  golden.py dump DB                                        print the canonical dump of a database

A golden set (SETS below) is a few sweep specs and program runs. `check` runs them with the built
programs into a fresh results database, dumps it in the canonical form below and compares it row
by row with analysis/golden/NAME.tsv, printing the first differing rows (expected and actual); ctest
runs it as golden-NAME. `update` (./vmcomm golden --update) rewrites the files: the commit that
changes one must say why its figures changed (analysis/golden/README.md).

The canonical dump: for every run with status ok, one line per row of runs, run_params, flows,
drops, counters, component_params and latency_hist, tab-separated: the run's label, the row's kind (run, param,
flow, drop, counter, cparam, hist), then its columns, primary key first. Runs are sorted by their key and
labelled r01, r02 ... in that order; a header line `# run r01: KEY` gives each label its key, and
the comparison matches rows by key, kind and primary key (a run gone missing does not shift the
others). Rows are sorted by primary key. Integers print as integers, floats with repr (shortest
form that reads back as the same double: equal text is equal bits), NULL as \\N, and a tab,
newline or backslash inside a text as \\t, \\n, \\\\. Left out, because they depend on the
wall clock or the host and not on the model:
- runs.id: the order in which runs were inserted (parallel points finish in any order);
- runs.started_at, runs.wall_seconds: wall-clock time;
- runs.version: the sriov-vmcomm release string, bumped without any figure changing;
- counters experiment/build_wall_seconds and experiment/run_wall_seconds: wall-clock time;
- run_params db and point: where the run was written (a path on this host) and its sweep key
  (the key is the run's key below, not a row).
Everything else is compared, the counter experiment/events (simulator events) included: a
refactoring that adds or removes events per frame shows there, which is a cost to state in its
commit. A run's key is runs.point. An ad-hoc run (no point, e.g. compare-modes --mode=all) is
keyed by its scenario, its mode and the run_params that differ between the ad-hoc runs of that
scenario in the database, and its RngRun: compare-modes/mode=vf-dma,app=udp,nics=2/r1.

Results depend on the ns-3 release (the other modules' models and random streams), so a golden
file records the ns-3 version of the build that wrote it; `check` against a build of another ns-3
version skips (exit 77, which ctest shows as Skipped) and says so.

Exit status: 0 identical (or updated), 1 differences, 2 error (a run failed, no golden file, bad
usage), 77 skipped (another ns-3 version).
"""

import argparse
import os
import re
import sqlite3
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GOLDEN_DIR = os.path.join(ROOT, "analysis", "golden")
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
FORMAT = 1
EXIT_DIFFERENT, EXIT_ERROR, EXIT_SKIPPED = 1, 2, 77

# The golden sets: name -> commands, run in order into one results database.
#   ("sweep", SPEC): analysis/sweep.py SPEC (a path relative to the repository);
#   ("run", PROGRAM, ARGS): build/bin/PROGRAM ARGS --db=FILE, in the repository's directory.
SETS = {
    # 24 of the demo sweep's points: every mode, 64 and 1500 B, a steady and a saturated load.
    "demo": (("sweep", "analysis/golden/demo.toml"),),
    # compare-modes in every mode: one and two NICs, UDP and TCP (1518 B at 10 Gb/s per flow),
    # and two hosts under a top-of-rack switch (traffic across the fabric).
    "compare-modes": (
        ("run", "compare-modes", ("--mode=all", "--quiet")),
        ("run", "compare-modes", ("--mode=all", "--nics=2", "--quiet")),
        ("run", "compare-modes", ("--mode=all", "--app=tcp", "--quiet")),
        ("run", "compare-modes", ("--mode=all", "--app=tcp", "--nics=2", "--quiet")),
        ("run", "compare-modes", ("--mode=all", "--topology=scenarios/topologies/two-hosts.dot",
                                  "--placement=cross-host", "--quiet")),
    ),
}

# runs columns left out of the dump (see above); point becomes the run's key.
EXCLUDED_RUN_COLUMNS = ("id", "point", "started_at", "wall_seconds", "version")
# Child tables: (table, kind written on its lines, primary key without run_id, excluded rows).
TABLES = (
    ("run_params", "param", ("name",), {("db",), ("point",)}),
    ("flows", "flow", ("flow_id",), set()),
    ("drops", "drop", ("component", "reason"), set()),
    ("counters", "counter", ("component", "name"),
     {("experiment", "build_wall_seconds"), ("experiment", "run_wall_seconds")}),
    ("component_params", "cparam", ("component", "name"), set()),
    ("latency_hist", "hist", ("flow_id", "lo_ns"), set()),
)
# Fields of a line that identify its row: the key, the kind and the primary key.
IDENTITY_FIELDS = {"run": 2, **{kind: 2 + len(pk) for _, kind, pk, _ in TABLES}}
RUN_LABEL_RE = re.compile(r"^# run (r[0-9]+): (.*)$")


class GoldenError(Exception):
    """Something that keeps the comparison from being made; exit status 2."""


def fmt(value):
    """One field of the canonical dump (exact: floats with repr)."""
    if value is None:
        return "\\N"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, bytes):
        return "x'" + value.hex() + "'"
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _columns(conn, table):
    """Names of a table's columns and of its primary key, in schema order."""
    info = conn.execute(f"PRAGMA table_info({table})").fetchall()
    if not info:
        raise GoldenError(f"no table {table}: not a sriov-vmcomm results database")
    cols = [r[1] for r in info]
    pk = [r[1] for r in sorted(info, key=lambda r: r[5]) if r[5] > 0]
    return cols, pk


def _layout(conn):
    """Per table: the columns to dump, primary key first. Checks the primary keys are the ones
    this file knows, so that a schema change cannot make two rows one line."""
    run_cols = [c for c in _columns(conn, "runs")[0] if c not in EXCLUDED_RUN_COLUMNS]
    layout = []
    for table, kind, pk, excluded in TABLES:
        cols, db_pk = _columns(conn, table)
        if db_pk != ["run_id", *pk]:
            raise GoldenError(f"table {table} has primary key ({', '.join(db_pk)}), analysis/golden.py "
                              f"expects (run_id, {', '.join(pk)}): update its TABLES")
        rest = [c for c in cols if c != "run_id" and c not in pk]
        layout.append((table, kind, list(pk), rest, excluded))
    return run_cols, layout


def column_lines(conn):
    """Header lines naming the fields of each kind of line."""
    run_cols, layout = _layout(conn)
    lines = ["# columns: RUN run " + " ".join(run_cols)]
    for _, kind, pk, rest, _ in layout:
        lines.append(f"# columns: RUN {kind} " + " ".join(pk + rest))
    return lines


def _partition(group, names):
    """Runs of `group` grouped by their values of `names` (as a set of frozensets of ids)."""
    parts = {}
    for run in group:
        parts.setdefault(tuple(run["params"].get(n) for n in names), set()).add(run["id"])
    return {frozenset(ids) for ids in parts.values()}


def _adhoc_keys(runs):
    """Keys of runs without a point: SCENARIO/mode=M,NAME=VALUE,.../rRUN, naming the params that
    differ between the ad-hoc runs of the scenario (leaving out one that others determine, as a
    topology file its placement), so the key says what sets the run apart."""
    by_scenario = {}
    for run in runs:
        by_scenario.setdefault(run["scenario"], []).append(run)
    keys = {}
    for scenario, group in by_scenario.items():
        names = set()
        for run in group:
            names.update(run["params"])
        varying = sorted(n for n in names if n not in ("mode", "RngRun")
                         and len({run["params"].get(n) for run in group}) > 1)
        whole = _partition(group, ["mode"] + varying)
        # Longest values first: of two params that go together, the shorter names the runs.
        for n in sorted(varying, key=lambda n: (-max(len(str(r["params"].get(n))) for r in group), n)):
            rest = [m for m in varying if m != n]
            if _partition(group, ["mode"] + rest) == whole:
                varying = rest
        for run in group:
            parts = [f"mode={run['mode']}"] + [f"{n}={run['params'].get(n)}" for n in varying]
            keys[run["id"]] = f"{scenario}/{','.join(parts)}/r{run['rng_run']}"
    return keys


def dump(db_path):
    """The canonical dump of a results database: (header lines, data lines, failed runs).

    The header names the columns of each kind of line and gives every run a short label, r01,
    r02 ... in the order of the runs' keys (`# run r01: KEY`); each data line starts with its
    run's label (short lines: the file stays small). Data lines come sorted by run key, then kind
    in TABLES order, then primary key. `failed` lists (key, message) of the runs whose status is
    not ok; they are not dumped. Runs alike in every key field get KEY#1, KEY#2 in content order."""
    if not os.path.isfile(db_path):
        raise GoldenError(f"{db_path}: no such results database")
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        run_cols, layout = _layout(conn)
        columns = column_lines(conn)
        failed = [(p or f"{s} mode={m}", msg) for p, s, m, msg in conn.execute(
            "SELECT point, scenario, mode, message FROM runs WHERE status != 'ok' ORDER BY id")]
        runs = []
        for run_id, point, scenario, mode, rng_run in conn.execute(
                "SELECT id, point, scenario, mode, rng_run FROM runs WHERE status = 'ok'"):
            params = dict(conn.execute("SELECT name, value FROM run_params WHERE run_id = ? "
                                       "AND name NOT IN ('db', 'point')", (run_id,)))
            runs.append({"id": run_id, "point": point, "scenario": scenario, "mode": mode,
                         "rng_run": rng_run, "params": params})
        adhoc = _adhoc_keys([r for r in runs if r["point"] is None])
        blocks = []
        for run in runs:
            rid = run["id"]
            row = conn.execute(f"SELECT {', '.join(run_cols)} FROM runs WHERE id = ?", (rid,)).fetchone()
            body = [["run", *map(fmt, row)]]
            for table, kind, pk, rest, excluded in layout:
                cols = pk + rest
                sql = (f"SELECT {', '.join(cols)} FROM {table} WHERE run_id = ? "
                       f"ORDER BY {', '.join(pk)}")
                for r in conn.execute(sql, (rid,)):
                    if tuple(r[:len(pk)]) in excluded:
                        continue
                    body.append([kind, *map(fmt, r)])
            blocks.append((run["point"] or adhoc[rid], body))
    finally:
        conn.close()
    blocks.sort(key=lambda b: (b[0], b[1]))
    total = {}
    for key, _ in blocks:
        total[key] = total.get(key, 0) + 1
    seen, labels, lines = {}, [], []
    width = max(2, len(str(len(blocks))))
    for number, (key, body) in enumerate(blocks, 1):
        if total[key] > 1:
            seen[key] = seen.get(key, 0) + 1
            key = f"{key}#{seen[key]}"
        label = f"r{number:0{width}d}"
        labels.append(f"# run {label}: {fmt(key)}")
        lines.extend("\t".join([label, *fields]) for fields in body)
    return columns + labels, lines, failed


def ns3_version(build_dir):
    """The ns-3 version a build directory was configured against: PACKAGE_VERSION of the ns3 CMake
    package (ns3ConfigVersion.cmake in the cached ns3_DIR). Debian's programs cannot say it
    themselves (--PrintVersion prints a placeholder tag)."""
    cache = os.path.join(build_dir, "CMakeCache.txt")
    try:
        with open(cache) as f:
            text = f.read()
    except OSError as e:
        raise GoldenError(f"{cache}: cannot read ({e.strerror}); build first (./vmcomm build)") from None
    m = re.search(r"^ns3_DIR:\w+=(.*)$", text, re.M)
    if not m:
        raise GoldenError(f"{cache}: no ns3_DIR: cannot tell which ns-3 this build uses")
    version_file = os.path.join(m.group(1), "ns3ConfigVersion.cmake")
    try:
        with open(version_file) as f:
            v = re.search(r'set\(PACKAGE_VERSION "([^"]+)"\)', f.read())
    except OSError as e:
        raise GoldenError(f"{version_file}: cannot read ({e.strerror}): cannot tell the ns-3 version") from None
    if not v:
        raise GoldenError(f"{version_file}: no PACKAGE_VERSION: cannot tell the ns-3 version")
    return v.group(1)


def command_text(command):
    if command[0] == "sweep":
        return f"# sweep: {command[1]}"
    return f"# run: {command[1]} {' '.join(command[2])}"


def header(name, ns3):
    return [
        f"# sriov-vmcomm golden results, set {name}: the canonical dump (analysis/golden.py) of the",
        "# results database the commands below write. Compared row by row by ctest (golden-" + name + ").",
        f"# Regenerate on purpose: ./vmcomm golden --update {name}, and say why in the commit.",
        f"# format: {FORMAT}",
        f"# ns-3: {ns3}",
        *(command_text(c) for c in SETS[name]),
    ]


# Environment variables that change what ns-3 programs do: the sets run without them. ns-3 applies
# NS_ATTRIBUTE_DEFAULT to every object it constructs, but run_params records the TypeIds' own
# defaults, so a figure changed by it would show without the setting that changed it.
NS3_ENVIRONMENT = ("NS_ATTRIBUTE_DEFAULT", "NS_GLOBAL_VALUE", "NS_LOG")


def produce(name, build_dir, jobs, work):
    """Run the set's commands into a new database in `work`; returns (column lines, data lines)."""
    db = os.path.join(work, f"{name}.db")
    env = {k: v for k, v in os.environ.items() if k not in NS3_ENVIRONMENT}
    for command in SETS[name]:
        if command[0] == "sweep":
            argv = [PYTHON, os.path.join(ROOT, "analysis", "sweep.py"), os.path.join(ROOT, command[1]),
                    f"--db={db}", f"--build-dir={build_dir}", f"--jobs={jobs}"]
        else:
            argv = [os.path.join(build_dir, "bin", command[1]), *command[2], f"--db={db}"]
        result = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True)
        if result.returncode != 0:
            tail = "\n".join((result.stderr or result.stdout).strip().splitlines()[-15:])
            raise GoldenError(f"set {name}: {' '.join(argv)} exited {result.returncode}:\n{tail}")
    columns, lines, failed = dump(db)
    if failed:
        raise GoldenError(f"set {name}: {len(failed)} runs failed, e.g. {failed[0][0]}: {failed[0][1]}")
    return columns, lines


def golden_path(name):
    return os.path.join(GOLDEN_DIR, f"{name}.tsv")


def read_golden(name):
    path = golden_path(name)
    try:
        with open(path) as f:
            text = f.read()
    except FileNotFoundError:
        raise GoldenError(f"{os.path.relpath(path, ROOT)}: no golden file; make it with "
                          f"./vmcomm golden --update {name}") from None
    lines = text.splitlines()
    ns3 = next((ln.split(":", 1)[1].strip() for ln in lines if ln.startswith("# ns-3:")), None)
    if ns3 is None:
        raise GoldenError(f"{os.path.relpath(path, ROOT)}: no '# ns-3:' header line; regenerate it "
                          f"with ./vmcomm golden --update {name}")
    return lines, ns3


def _describe(key, rows):
    """A few settings of a run, from its param rows, to say which point a difference is in."""
    wanted = ("mode", "size", "load", "app", "nics", "placement", "topology")
    found = {}
    for n in wanted:
        line = rows.get(f"{key}\tparam\t{n}")
        if line is not None:
            found[n] = line.split("\t")[3]
    return " ".join(f"{n}={found[n]}" for n in wanted if found.get(n))


def _changed_fields(expected, actual, names):
    """'name expected -> actual' for each field that differs between two lines of one kind."""
    e, a = expected.split("\t"), actual.split("\t")
    cols = names.get(e[1], [])
    out = []
    for i in range(max(len(e), len(a))):
        x = e[i] if i < len(e) else "(none)"
        y = a[i] if i < len(a) else "(none)"
        if x != y:
            out.append(f"{cols[i] if i < len(cols) else f'field {i + 1}'} {x} -> {y}")
    return ", ".join(out)


def compare(expected, actual, limit=20):
    """Report lines (empty if identical) comparing two dumps (header and data lines) row by row:
    a row is identified by its run key, kind and primary key."""
    exp_head = [ln for ln in expected if ln.startswith("#") and not ln.startswith("# run r")]
    act_head = [ln for ln in actual if ln.startswith("#") and not ln.startswith("# run r")]
    report = []
    if exp_head != act_head:
        report.append("header differs (other commands, columns or format: regenerate the file):")
        report += [f"  expected: {ln}" for ln in exp_head if ln not in act_head][:limit]
        report += [f"  actual:   {ln}" for ln in act_head if ln not in exp_head][:limit]

    def rows(lines):
        """Row identity (run key, kind, primary key) -> line with the run's key for its label."""
        labels, out = {}, {}
        for ln in lines:
            m = RUN_LABEL_RE.match(ln)
            if m:
                labels[m.group(1)] = m.group(2)
            elif ln and not ln.startswith("#"):
                f = ln.split("\t")
                f[0] = labels.get(f[0], f[0])
                out["\t".join(f[:IDENTITY_FIELDS.get(f[1] if len(f) > 1 else "", 2)])] = "\t".join(f)
        return out

    exp, act = rows(expected), rows(actual)
    names = {}  # kind -> field names, from the expected file's column lines
    for ln in expected:
        if ln.startswith("# columns: "):
            f = ln[len("# columns: "):].split(" ")
            if len(f) > 1:
                names[f[1]] = f
    changed = [k for k in exp if k in act and exp[k] != act[k]]
    missing = [k for k in exp if k not in act]
    extra = [k for k in act if k not in exp]
    if not (changed or missing or extra):
        return report
    kinds = {}
    for k in changed + missing + extra:
        kind = k.split("\t")[1] if "\t" in k else "?"
        kinds[kind] = kinds.get(kind, 0) + 1
    runs = sorted({k.split("\t")[0] for k in changed + missing + extra})
    report.append(f"{len(changed)} rows changed, {len(missing)} missing, {len(extra)} extra, in {len(runs)} of "
                  f"{len({k.split(chr(9))[0] for k in exp})} runs (by kind: "
                  + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())) + ")")
    if not (missing or extra) and all(k.endswith("\tcounter\texperiment\tevents") for k in changed):
        report.append("only the simulator's event count (counter experiment/events) changed: no "
                      "figure did; a refactoring's commit says so, with the count before and after")
    shown = 0
    order = {k: i for i, k in enumerate(exp)}
    diffs = sorted(changed + missing, key=order.get) + extra
    last_run = None
    for k in diffs[:limit]:
        run = k.split("\t")[0]
        if run != last_run:
            report.append(f"run {run} ({_describe(run, exp) or _describe(run, act)}):")
            last_run = run
        report.append(f"  expected: {exp[k]}" if k in exp else "  expected: (no such row)")
        report.append(f"  actual:   {act[k]}" if k in act else "  actual:   (no such row)")
        if k in exp and k in act:
            report.append("  differs in: " + _changed_fields(exp[k], act[k], names))
        shown += 1
    if len(diffs) > shown:
        report.append(f"... and {len(diffs) - shown} more differing rows")
    return report


def run_set(name, build_dir, jobs):
    """Run a set into a temporary database and dump it: (header column and run lines, data lines)."""
    with tempfile.TemporaryDirectory(prefix=f"vmcomm-golden-{name}-") as work:
        columns, lines = produce(name, build_dir, jobs, work)
    return columns, lines


def check(name, build_dir, jobs):
    expected, golden_ns3 = read_golden(name)
    rel = os.path.relpath(golden_path(name), ROOT)
    ns3 = ns3_version(build_dir)
    if ns3 != golden_ns3:
        print(f"golden {name}: SKIPPED: {rel} was generated with ns-3 {golden_ns3}, this build uses "
              f"ns-3 {ns3}; results may legitimately differ between ns-3 releases, so they are not "
              f"compared (./vmcomm golden --update {name} makes a baseline for ns-3 {ns3})")
        return EXIT_SKIPPED
    columns, lines = run_set(name, build_dir, jobs)
    actual = header(name, ns3) + columns + lines
    out = os.path.join(build_dir, "golden", f"{name}.tsv")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w") as f:
        f.write("\n".join(actual) + "\n")
    report = compare(expected, actual)
    if not report:
        print(f"golden {name}: {len(lines)} rows identical to {rel} (ns-3 {ns3})")
        return 0
    print(f"golden {name}: results differ from {rel} (ns-3 {ns3}):")
    for line in report:
        print(line)
    print(f"golden {name}: whole dump in {out} (diff {rel} {out}); if the change is on purpose, "
          f"./vmcomm golden --update {name} and say why in the commit")
    return EXIT_DIFFERENT


def update(name, build_dir, jobs):
    ns3 = ns3_version(build_dir)
    columns, lines = run_set(name, build_dir, jobs)
    path = golden_path(name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write("\n".join(header(name, ns3) + columns + lines) + "\n")
    print(f"golden {name}: wrote {os.path.relpath(path, ROOT)} ({len(lines)} rows, "
          f"{os.path.getsize(path)} bytes, ns-3 {ns3})")
    return 0


def main(argv=None):
    p = argparse.ArgumentParser(prog="golden.py", description="Golden results: run, dump, compare.")
    p.add_argument("action", choices=("check", "update", "dump"))
    p.add_argument("names", nargs="*", help=f"golden sets (default: all: {', '.join(SETS)}); "
                   "for dump: the database")
    p.add_argument("--build-dir", default=os.environ.get("VMCOMM_BUILD_DIR", os.path.join(ROOT, "build")))
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = p.parse_intermixed_args(sys.argv[1:] if argv is None else argv)
    build_dir = os.path.abspath(args.build_dir)
    try:
        if args.action == "dump":
            if len(args.names) != 1:
                p.error("dump takes one database")
            columns, lines, failed = dump(args.names[0])
            sys.stdout.write("\n".join(columns + lines) + "\n")
            for key, message in failed:
                print(f"golden: note: run {key} failed, not dumped: {message}", file=sys.stderr)
            return 0
        if args.jobs < 1:
            p.error("--jobs must be >= 1")
        for name in args.names:
            if name not in SETS:
                p.error(f"no golden set {name!r}; the sets: {', '.join(SETS)}")
        results = [(check if args.action == "check" else update)(name, build_dir, args.jobs)
                   for name in args.names or list(SETS)]
        if EXIT_DIFFERENT in results:
            return EXIT_DIFFERENT
        return EXIT_SKIPPED if all(r == EXIT_SKIPPED for r in results) else 0
    except GoldenError as e:
        print(f"golden: error: {e}", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
