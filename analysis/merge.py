#!/usr/bin/python3
"""Merge sriov-vmcomm results databases (e.g. the shards of a SLURM sweep) into one.

  merge.py OUT.db SHARD.db...

Runs get new ids in OUT.db and every child row follows its run. A point already in OUT.db with
status ok is skipped; a point recorded there as failed is replaced by an ok run from a shard.
Each shard is merged in one transaction, so an interrupted merge can simply be run again.
Exit status: 0 merged, 2 a database is missing, unreadable or of a newer schema version.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import vmcomm_db  # noqa: E402


def columns(conn, schema, table):
    return [r[1] for r in conn.execute(f"PRAGMA {schema}.table_info({table})")]


def child_tables(conn, schema):
    """Tables of `schema` whose rows belong to a run (they have a run_id column)."""
    names = [r[0] for r in conn.execute(f"SELECT name FROM {schema}.sqlite_master WHERE type='table'")]
    return [t for t in names if t != "runs" and "run_id" in columns(conn, schema, t)]


def check_shard(path):
    """Raise DbError unless `path` is a results database of a schema version we know."""
    vmcomm_db.connect_readonly(path).close()


def merge_shard(conn, path, warn):
    """Merge one shard into the open OUT database; returns (added, replaced, skipped)."""
    conn.execute("ATTACH DATABASE ? AS shard", (path,))
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            counts = _merge_attached(conn, path, warn)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    finally:
        conn.execute("DETACH DATABASE shard")
    return counts


def _merge_attached(conn, path, warn):
    run_cols = [c for c in columns(conn, "shard", "runs") if c != "id"]
    extra = set(run_cols) - set(columns(conn, "main", "runs"))
    if extra:
        warn(f"{path}: runs columns not in the output database, not copied: {', '.join(sorted(extra))}")
        run_cols = [c for c in run_cols if c not in extra]
    tables = []
    for table in child_tables(conn, "shard"):
        out_cols = columns(conn, "main", table)
        if not out_cols:
            warn(f"{path}: table {table} not in the output database, not copied")
            continue
        cols = [c for c in columns(conn, "shard", table) if c != "run_id" and c in out_cols]
        tables.append((table, cols))

    added = replaced = skipped = 0
    col_list = ", ".join(run_cols)
    shard_runs = conn.execute("SELECT id, point, status FROM shard.runs ORDER BY id").fetchall()
    for old_id, point, status in shard_runs:
        if point is not None:
            row = conn.execute("SELECT id, status FROM main.runs WHERE point = ?", (point,)).fetchone()
            if row is not None:
                # Keep what OUT has unless the shard brings an ok run for a point that failed.
                if row[1] == "ok" or status != "ok":
                    skipped += 1
                    continue
                vmcomm_db.delete_run(conn, row[0])
                replaced += 1
            else:
                added += 1
        else:
            added += 1  # a run without a point key cannot be matched: always copied
        cur = conn.execute(
            f"INSERT INTO main.runs({col_list}) SELECT {col_list} FROM shard.runs WHERE id = ?", (old_id,)
        )
        new_id = cur.lastrowid
        for table, cols in tables:
            c = ", ".join(cols)
            conn.execute(
                f"INSERT INTO main.{table}(run_id, {c}) SELECT ?, {c} FROM shard.{table} WHERE run_id = ?",
                (new_id, old_id),
            )
    return added, replaced, skipped


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) < 2 or any(a in ("-h", "--help") for a in argv):
        print(__doc__.strip(), file=sys.stderr if len(argv) < 2 else sys.stdout)
        return 2 if len(argv) < 2 else 0
    out, shards = argv[0], argv[1:]

    def warn(message):
        print(f"merge: warning: {message}", file=sys.stderr)

    try:
        for shard in shards:
            if os.path.exists(out) and os.path.samefile(out, shard):
                raise vmcomm_db.DbError(f"{shard}: is the output database itself")
            check_shard(shard)
        conn = vmcomm_db.connect(out)
    except vmcomm_db.DbError as e:
        print(f"merge: error: {e}", file=sys.stderr)
        return 2

    total = [0, 0, 0]
    for shard in shards:
        try:
            counts = merge_shard(conn, os.path.abspath(shard), warn)
        except Exception as e:  # a shard that breaks mid-way is rolled back; say which
            print(f"merge: error: {shard}: {e} (nothing of it merged)", file=sys.stderr)
            return 2
        total = [t + c for t, c in zip(total, counts)]
        print(f"merge: {shard}: {counts[0]} runs added, {counts[1]} failed runs replaced, "
              f"{counts[2]} already present", file=sys.stderr)
    conn.close()
    print(f"merge: {out}: {total[0]} runs added, {total[1]} replaced, {total[2]} skipped "
          f"from {len(shards)} databases", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
