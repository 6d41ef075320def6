"""The sriov-vmcomm results database, seen from Python.

One SQLite file holds many runs (DESIGN.md section 8). The C++ results writer creates and fills it
from the scenario programs; the Python tools (sweep runner, merge, plot) read it and write the
rows that no program can write itself (a point whose program crashed) or merge shard files.

The schema below MUST match contrib/sriov-vmcomm/helper/results-db.cc, schema version 1.
Change both in the same commit, and bump SCHEMA_VERSION on any incompatible change.
"""

import datetime
import os
import sqlite3
import time

SCHEMA_VERSION = 1

# Must match SCHEMA_SQL in contrib/sriov-vmcomm/helper/results-db.cc (schema version 1), text
# for text: a database created by the Python tools must be the one a scenario program creates.
SCHEMA_SQL = """
CREATE TABLE runs (
    id           INTEGER PRIMARY KEY,
    point        TEXT UNIQUE,
    scenario     TEXT NOT NULL,
    topology     TEXT,
    mode         TEXT,
    rng_seed     INTEGER,
    rng_run      INTEGER,
    version      TEXT,
    started_at   TEXT,
    wall_seconds REAL,
    sim_seconds  REAL,
    status       TEXT NOT NULL CHECK (status IN ('ok', 'failed')),
    message      TEXT
);
CREATE INDEX runs_scenario_mode ON runs (scenario, mode);

CREATE TABLE run_params (
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    name   TEXT NOT NULL,
    value  TEXT,
    PRIMARY KEY (run_id, name)
);

CREATE TABLE flows (
    run_id         INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    flow_id        INTEGER NOT NULL,
    src            TEXT,
    dst            TEXT,
    src_host       TEXT,
    dst_host       TEXT,
    same_host      INTEGER CHECK (same_host IN (0, 1)),
    tx_frames      INTEGER,
    tx_bytes       INTEGER,
    rx_frames      INTEGER,
    rx_bytes       INTEGER,
    dropped        INTEGER,
    throughput_bps REAL,
    lat_mean_ns    REAL,
    lat_p50_ns     REAL,
    lat_p99_ns     REAL,
    lat_p999_ns    REAL,
    lat_max_ns     REAL,
    PRIMARY KEY (run_id, flow_id)
);

CREATE TABLE drops (
    run_id    INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    component TEXT NOT NULL,
    reason    TEXT NOT NULL,
    count     INTEGER NOT NULL,
    PRIMARY KEY (run_id, component, reason)
);

CREATE TABLE counters (
    run_id    INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    component TEXT NOT NULL,
    name      TEXT NOT NULL,
    value     REAL,
    PRIMARY KEY (run_id, component, name)
);

CREATE TABLE latency_hist (
    run_id  INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    flow_id INTEGER NOT NULL,
    lo_ns   REAL NOT NULL,
    hi_ns   REAL NOT NULL,
    count   INTEGER NOT NULL,
    PRIMARY KEY (run_id, flow_id, lo_ns)
);

CREATE VIEW flow_results AS
    SELECT r.point, r.scenario, r.topology, r.mode, r.rng_seed, r.rng_run, f.*
    FROM flows AS f JOIN runs AS r ON r.id = f.run_id
    WHERE r.status = 'ok';
"""

# Tables whose rows belong to one run (column run_id = runs.id).
CHILD_TABLES = ("run_params", "flows", "drops", "counters", "latency_hist")

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

    With create=True a missing file (or an empty one) gets the version-1 schema; with
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
            if _check_version(conn, path) == 0:
                # One statement at a time: executescript() would COMMIT our transaction.
                for statement in SCHEMA_SQL.split(";"):
                    if statement.strip():
                        conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
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
    """Delete a run and all its child rows (caller holds the transaction)."""
    for table in CHILD_TABLES:
        conn.execute(f"DELETE FROM {table} WHERE run_id = ?", (run_id,))
    conn.execute("DELETE FROM runs WHERE id = ?", (run_id,))


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
        row = conn.execute("SELECT id, status FROM runs WHERE point = ?", (point,)).fetchone()
        outcome = "inserted"
        if row is not None and row[1] == "ok":
            conn.execute("COMMIT")
            return "kept-ok"
        if row is not None:
            delete_run(conn, row[0])
            outcome = "replaced"
        run = dict(point=point, scenario=scenario, rng_run=rng_run, status="failed", message=message)
        run.setdefault("started_at", now_iso())
        run.update({k: v for k, v in extra.items() if v is not None})
        insert_run(conn, run, params)
        conn.execute("COMMIT")
        return outcome
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
