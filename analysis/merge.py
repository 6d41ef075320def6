#!/usr/bin/python3
"""Merge sriov-vmcomm results databases (e.g. the shards of a SLURM sweep) into one.

  merge.py OUT.db SHARD.db...

Runs get new ids in OUT.db and every child row follows its run. A point already in OUT.db with
status ok is skipped; a point recorded there as failed is replaced by an ok run from a shard.
A run without a point key (an ad-hoc run) is the same run as one of OUT.db whose runs row (but
its id) and parameters are equal, and is skipped too: merging again adds nothing. A point (or
ad-hoc run) that both hold ok with different results is a conflict: reported, OUT.db's kept.
Each shard is merged in one transaction, so an interrupted merge can simply be run again.
Exit status: 0 merged, 1 merged with conflicts, 2 a database is missing, unreadable, not
writable or of a newer schema version (checked before anything is merged).
"""

import os
import sys

import vmcomm_db


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
    """Merge one shard into the open OUT database; returns (added, replaced, skipped, conflicts),
    conflicts a list of (point or run, what differs)."""
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
    conflicts = []
    col_list = ", ".join(run_cols)
    shard_runs = conn.execute("SELECT id, point, status FROM shard.runs ORDER BY id").fetchall()
    for old_id, point, status in shard_runs:
        if point is not None and status != "ok":
            # A failed run of the shard fills a point OUT lacks, and replaces nothing.
            if conn.execute("SELECT 1 FROM main.runs WHERE point = ?", (point,)).fetchone():
                skipped += 1
                continue
            added += 1
        elif point is not None:
            # An ok run: OUT's finished run wins, its failed one is replaced.
            outcome, kept = vmcomm_db.claim_point(conn, point)
            if outcome == "kept-ok":
                what = differences(conn, kept, old_id, run_cols, tables)
                if what:
                    conflicts.append((point, what))
                skipped += 1
                continue
            if outcome == "replaced":
                replaced += 1
            else:
                added += 1
        else:
            # An ad-hoc run (no point key) is known by its content: the same run copied before.
            same = same_adhoc_run(conn, old_id, run_cols)
            if same is not None:
                what = differences(conn, same, old_id, run_cols, tables)
                if what:
                    conflicts.append((f"ad-hoc run {old_id} of {path}", what))
                skipped += 1
                continue
            added += 1
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
    return added, replaced, skipped, conflicts


# Columns of runs that may differ between two runs of the same point with the same results.
CIRCUMSTANCE_COLUMNS = ("point", "started_at", "wall_seconds", "version")


def _child_rows(conn, schema, table, cols, run_id):
    c = ", ".join(cols)
    return sorted(conn.execute(f"SELECT {c} FROM {schema}.{table} WHERE run_id = ?", (run_id,)), key=repr)


def differences(conn, out_id, shard_id, run_cols, tables):
    """What differs between the results of run out_id of OUT and run shard_id of the shard
    (runs columns other than when/where it ran, and the child rows); '' if nothing."""
    cols = [c for c in run_cols if c not in CIRCUMSTANCE_COLUMNS]
    sel = ", ".join(cols)
    a = conn.execute(f"SELECT {sel} FROM main.runs WHERE id = ?", (out_id,)).fetchone()
    b = conn.execute(f"SELECT {sel} FROM shard.runs WHERE id = ?", (shard_id,)).fetchone()
    what = [f"runs.{c}" for c, x, y in zip(cols, a, b) if x != y]
    for table, tcols in tables:
        if _child_rows(conn, "main", table, tcols, out_id) != _child_rows(conn, "shard", table, tcols, shard_id):
            what.append(table)
    return ", ".join(what)


def same_adhoc_run(conn, shard_id, run_cols):
    """Id of a run of OUT without a point key whose runs row (every column but id) and
    run_params equal those of the shard's run shard_id, or None."""
    match = " AND ".join(f"m.{c} IS s.{c}" for c in run_cols)
    candidates = [r[0] for r in conn.execute(
        f"SELECT m.id FROM main.runs AS m, shard.runs AS s WHERE s.id = ? AND m.point IS NULL AND {match}",
        (shard_id,))]
    params = _child_rows(conn, "shard", "run_params", ["name", "value"], shard_id)
    for out_id in candidates:
        if _child_rows(conn, "main", "run_params", ["name", "value"], out_id) == params:
            return out_id
    return None


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
    conflicts = 0
    for shard in shards:
        try:
            added, replaced, skipped, clashes = merge_shard(conn, os.path.abspath(shard), warn)
        except Exception as e:  # a shard that breaks mid-way is rolled back; say which
            print(f"merge: error: {shard}: {e} (nothing of it merged)", file=sys.stderr)
            return 2
        total = [t + c for t, c in zip(total, (added, replaced, skipped))]
        for what, differ in clashes:
            print(f"merge: conflict: {shard}: {what}: results differ from those in {out} ({differ}); "
                  f"kept {out}'s", file=sys.stderr)
        conflicts += len(clashes)
        print(f"merge: {shard}: {added} runs added, {replaced} failed runs replaced, "
              f"{skipped} already present" + (f" ({len(clashes)} with other results)" if clashes else ""),
              file=sys.stderr)
    conn.close()
    print(f"merge: {out}: {total[0]} runs added, {total[1]} replaced, {total[2]} skipped "
          f"from {len(shards)} databases" + (f"; {conflicts} conflicts" if conflicts else ""), file=sys.stderr)
    return 1 if conflicts else 0


if __name__ == "__main__":
    sys.exit(main())
