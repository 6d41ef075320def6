"""The sriov-vmcomm results database, seen from Python.

One SQLite file holds many runs (doc/results.md). The C++ results writer creates and fills it
from the scenario programs; the Python tools (sweep runner, merge, plot) read it and write the
rows that no program can write itself (a point whose program crashed) or merge shard files.

The schema is contrib/sriov-vmcomm/experiment/results-schema.sql, read here at import time; the C++
writer embeds the same file when it is built (a test compares the databases both create).
"""

import datetime
import os
import re
import sqlite3
import time

SCHEMA_FILE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                           "contrib", "sriov-vmcomm", "experiment", "results-schema.sql")


def _read_schema(path):
    """The statements of the schema file (tables, view, and last its PRAGMA user_version) and the
    version that PRAGMA sets."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines(keepends=True)
    statements, pending = [], ""
    for line in lines:
        pending += line
        if sqlite3.complete_statement(pending):
            statements.append(pending.strip())
            pending = ""
    if pending.strip() and not all(l.strip().startswith("--") or not l.strip() for l in pending.splitlines()):
        raise RuntimeError(f"{path}: unterminated SQL statement at its end")
    versions = [m for s in statements for m in re.findall(r"PRAGMA\s+user_version\s*=\s*(\d+)", s)]
    if len(versions) != 1:
        raise RuntimeError(f"{path}: needs exactly one 'PRAGMA user_version = N;', found {len(versions)}")
    return statements, int(versions[0])


SCHEMA_STATEMENTS, SCHEMA_VERSION = _read_schema(SCHEMA_FILE)

# The sriov-vmcomm release, written once in contrib/sriov-vmcomm/VERSION (CMake compiles the same
# file into the programs' runs.version); the failed runs the tools record carry it too.
VERSION_FILE = os.path.join(os.path.dirname(SCHEMA_FILE), os.pardir, "VERSION")
with open(VERSION_FILE, encoding="utf-8") as _f:
    VERSION = _f.readline().strip()

# Older versions a writer upgrades in place, each with the tables the next version added (their
# CREATE statements are the schema file's): version 3 added component_params and changed nothing
# else, so a version-2 file keeps its runs and gains the empty table. Readers take them as they are.
UPGRADES = {2: ("component_params",)}


def _create_statement(table):
    """The schema file's CREATE TABLE statement of `table`."""
    for statement in SCHEMA_STATEMENTS:
        body = "\n".join(l for l in statement.splitlines() if not l.lstrip().startswith("--"))
        if re.match(rf"\s*CREATE\s+TABLE\s+{table}\s*\(", body):
            return body
    raise RuntimeError(f"{SCHEMA_FILE}: no CREATE TABLE {table}")


# Tables whose rows belong to one run (column run_id = runs.id).
CHILD_TABLES = ("run_params", "flows", "drops", "counters", "component_params", "latency_hist")

# Every writer waits this long for another process's transaction (WAL allows one writer at a time).
BUSY_TIMEOUT_S = 60


class DbError(Exception):
    """A database that cannot be used: missing, not SQLite, not ours, or too new."""


def _check_version(conn, path):
    """Raise DbError unless the database at `path` has a schema this code understands."""
    # The version and the table list from one snapshot: read in two autocommit statements, a
    # schema another process commits in between looks like tables without a version.
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN")
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    finally:
        if own:
            conn.execute("COMMIT")
    if version > SCHEMA_VERSION:
        raise DbError(
            f"{path}: results database has schema version {version}, but these tools understand "
            f"only version {SCHEMA_VERSION}; use the sriov-vmcomm version that wrote it, or update"
        )
    if 0 < version < SCHEMA_VERSION and version not in UPGRADES:
        # It lacks this version's parts (version 2: the flows' frame_bps, offered_bps, saturated;
        # version 3: the component_params table).
        raise DbError(
            f"{path}: results database has the older schema version {version}; these tools "
            f"understand only version {SCHEMA_VERSION}; run the sweep again into a new file"
        )
    if version == 0:
        if tables:
            raise DbError(
                f"{path}: not a sriov-vmcomm results database (no schema version, "
                f"tables: {', '.join(sorted(tables))})"
            )
    return version


def check_writable(path):
    """Raise DbError unless a results database can be written at `path`: the file itself if it
    exists, and its directory (SQLite creates the -wal and -shm files beside the database), or
    the first existing ancestor directory where it would be created. Checked when a database is
    opened, so a tool says so before it simulates or copies anything."""
    shown = os.fspath(path)
    path = os.path.abspath(shown)
    if os.path.isdir(path):
        raise DbError(f"{shown}: is a directory, not a results database")
    parent = os.path.dirname(path)
    if os.path.exists(path):
        if not os.access(path, os.R_OK | os.W_OK):
            raise DbError(f"{shown}: results database is read-only (no write permission); "
                          "make it writable or give another file")
        if not os.access(parent, os.W_OK | os.X_OK):
            raise DbError(f"{shown}: its directory {parent} is read-only, and SQLite writes the "
                          "database's -wal and -shm files there; give a file in a writable directory")
        return
    ancestor = parent
    while not os.path.exists(ancestor):
        ancestor = os.path.dirname(ancestor)
    if not os.path.isdir(ancestor):
        raise DbError(f"{shown}: cannot create it: {ancestor} is not a directory")
    if not os.access(ancestor, os.W_OK | os.X_OK):
        raise DbError(f"{shown}: cannot create it: directory {ancestor} is not writable")


def connect(path, create=True):
    """Open a results database for reading and writing.

    With create=True a missing file (or an empty one) gets the current schema; with
    create=False the file must exist. Raises DbError for a database of another kind or a newer
    schema version.
    """
    path = os.fspath(path)
    if not create and not os.path.exists(path):
        raise DbError(f"{path}: no such results database")
    check_writable(path)
    if create:
        parent = os.path.dirname(os.path.abspath(path))
        try:
            os.makedirs(parent, exist_ok=True)
        except OSError as e:
            raise DbError(f"{path}: cannot create its directory {parent}: {e.strerror}") from None
    conn = None
    try:
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, so a transaction is exactly
        # what the code says (and BEGIN IMMEDIATE takes the write lock up front, avoiding
        # deadlock-prone lock upgrades between concurrent writers).
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
        conn.execute("PRAGMA foreign_keys = ON")  # as the C++ writer: child rows need their run
        # Check the version before anything writes (journal_mode=WAL writes the header).
        _check_version(conn, path)
        # WAL: several scenario programs and the runner write one file at once. Switching to it
        # needs the file to itself for a moment, and SQLite answers "locked" at once rather than
        # through the busy handler (as the C++ writer, ResultsDb): retry until the busy timeout.
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        while True:
            try:
                conn.execute("PRAGMA journal_mode = WAL")
                break
            except sqlite3.OperationalError as e:
                if "locked" not in str(e) or time.monotonic() > deadline:
                    raise
                time.sleep(0.005)
        # With WAL, NORMAL is still crash-safe (a crash may lose the last commits, never corrupt).
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Again under the write lock: another process may have created the schema meanwhile.
            version = _check_version(conn, path)
            if version == 0:
                # One statement at a time: executescript() would COMMIT our transaction. The
                # last one sets user_version.
                for statement in SCHEMA_STATEMENTS:
                    conn.execute(statement)
            while version in UPGRADES:
                for table in UPGRADES[version]:
                    conn.execute(_create_statement(table))
                version += 1
                conn.execute(f"PRAGMA user_version = {version}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    except (sqlite3.DatabaseError, DbError) as e:
        if conn is not None:
            conn.close()
        if isinstance(e, DbError):
            raise
        raise DbError(f"{path}: cannot open results database: {e}") from None
    return conn


def connect_readonly(path):
    """Open an existing results database read-only (for plots and reports)."""
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise DbError(f"{path}: no such results database")
    if not os.access(path, os.R_OK):
        raise DbError(f"{path}: not readable")
    conn = None
    try:
        conn = sqlite3.connect(f"file:{_uri_path(path)}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S)
        if _check_version(conn, path) == 0:
            raise DbError(f"{path}: empty file, not a results database")
    except (sqlite3.DatabaseError, DbError) as e:
        if conn is not None:
            conn.close()
        if isinstance(e, DbError):
            raise
        raise DbError(f"{path}: cannot read results database: {e}") from None
    return conn


def _uri_path(path):
    """Quote a file name for an SQLite URI ('?' and '#' would otherwise end the path)."""
    from urllib.parse import quote

    return quote(os.path.abspath(path))


def now_iso():
    """Start times are stored as ISO 8601 UTC, like the C++ writer does."""
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def existing_points(conn):
    """Map point key -> status for every run that has a point key."""
    return dict(conn.execute("SELECT point, status FROM runs WHERE point IS NOT NULL"))


def delete_run(conn, run_id):
    """Delete a run; its child rows go with it (ON DELETE CASCADE, foreign_keys is on in every
    connection connect() opens). The caller holds the transaction."""
    conn.execute("DELETE FROM runs WHERE id = ?", (run_id,))


def claim_point(conn, point):
    """The rule for a run of a sweep point about to be written: a finished run wins, a failed one
    is replaced. The one place the Python tools decide it (ResultsDb::ClaimPoint is the C++
    writer's); the caller holds the write transaction. Returns (outcome, run id):
      ('free', None)      no run of the point exists: write yours;
      ('replaced', None)  its failed run (and the run's rows) was deleted: write yours;
      ('kept-ok', id)     run `id` of the point finished (status ok): keep it, write nothing.
    """
    row = conn.execute("SELECT id, status FROM runs WHERE point = ?", (point,)).fetchone()
    if row is None:
        return "free", None
    if row[1] == "ok":
        return "kept-ok", row[0]
    delete_run(conn, row[0])
    return "replaced", None


def insert_run(conn, run, params):
    """Insert one runs row (dict of column -> value) and its run_params; return the new id.

    The caller holds the transaction, so a run and its children appear together or not at all.
    """
    cols = list(run)
    cur = conn.execute(
        f"INSERT INTO runs({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
        [run[c] for c in cols],
    )
    run_id = cur.lastrowid
    conn.executemany(
        "INSERT INTO run_params(run_id, name, value) VALUES (?, ?, ?)",
        [(run_id, name, str(value)) for name, value in params.items()],
    )
    return run_id


def record_failed_run(conn, point, scenario, params, rng_run, message, **extra):
    """Record a point whose program failed, in one transaction.

    `extra` may set other runs columns (mode, topology, rng_seed, started_at, wall_seconds,
    version). Returns what happened:
      'inserted'  no row existed for the point; a failed row was written;
      'replaced'  an older failed row for the point was replaced by this one;
      'kept-ok'   an ok row for the point exists (another runner's, or the program committed its
                  results and then failed): it is complete, so it is kept untouched.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        outcome, _ = claim_point(conn, point)
        if outcome == "kept-ok":
            conn.execute("COMMIT")
            return outcome
        run = dict(point=point, scenario=scenario, rng_run=rng_run, status="failed", message=message)
        run.setdefault("started_at", now_iso())
        run.setdefault("version", VERSION)
        run.update({k: v for k, v in extra.items() if v is not None})
        insert_run(conn, run, params)
        conn.execute("COMMIT")
        return "inserted" if outcome == "free" else outcome
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def delete_failed_points(conn, points):
    """Delete the failed runs of the given point keys (for --retry-failed), in one transaction."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        for point in points:
            row = conn.execute(
                "SELECT id FROM runs WHERE point = ? AND status = 'failed'", (point,)
            ).fetchone()
            if row:
                delete_run(conn, row[0])
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
