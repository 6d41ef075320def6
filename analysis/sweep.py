#!/usr/bin/python3
"""Run a parameter sweep of a sriov-vmcomm scenario program into one results database.

  sweep.py SPEC.toml [--db=FILE] [--jobs=N] [--build-dir=DIR] [--retry-failed]
           [--backend=local|slurm] [--slurm-dir=DIR] [--submit] [--dry-run] [--log-dir=DIR]

Every point runs build/bin/SCENARIO --opt=value ... --RngRun=N --db=FILE --point=KEY. Points
already in the database are skipped (resume after an interruption), failed ones too unless
--retry-failed. See analysis/README.md for the spec format.

Exit status: 0 all points ok, 1 some failed, 2 bad spec or usage, 128+N interrupted by signal N.
"""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import time

import program_options
import sweep_runner
import sweep_slurm
import vmcomm_db
from sweep_spec import SpecError, load_spec, parse_command_line

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class UsageError(Exception):
    """Bad command line or environment; exit status 2."""


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="sweep.py",
        description="Run a sriov-vmcomm parameter sweep (spec format: analysis/README.md).",
    )
    p.add_argument("spec", nargs="?", help="sweep spec (TOML)")
    p.add_argument("--db", help="results database (default: the spec's 'db', else results/vmcomm.db)")
    p.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1,
                   help="points run in parallel (default: number of CPUs)")
    p.add_argument("--build-dir", default=os.environ.get("VMCOMM_BUILD_DIR", os.path.join(ROOT, "build")),
                   help="build directory holding bin/SCENARIO (default: $VMCOMM_BUILD_DIR or ./build)")
    p.add_argument("--retry-failed", action="store_true", help="run again the points recorded as failed")
    p.add_argument("--backend", choices=("local", "slurm"), default="local")
    p.add_argument("--slurm-dir", help="where the slurm backend writes its files "
                   "(default: results/slurm-SPECNAME)")
    p.add_argument("--chunk", type=int, help="slurm: points per array task (default: spec [slurm] chunk, else 10)")
    p.add_argument("--submit", action="store_true", help="slurm: submit the job array with sbatch")
    p.add_argument("--dry-run", action="store_true", help="print the points that would run, run nothing")
    p.add_argument("--log-dir", help="keep every point's stdout/stderr in DIR/KEY.out|.err")
    # Used by the SLURM array tasks: run lines of a points file instead of a spec.
    p.add_argument("--points-file", help=argparse.SUPPRESS)
    p.add_argument("--slice", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.jobs < 1:
        p.error("--jobs must be >= 1")
    if args.chunk is not None and args.chunk < 1:
        p.error("--chunk must be >= 1")
    if args.spec is None and args.points_file is None:
        p.error("give a sweep spec (SPEC.toml)")
    if args.spec is not None and args.points_file is not None:
        p.error("give either a sweep spec or --points-file, not both")
    if args.submit and args.backend != "slurm":
        p.error("--submit needs --backend=slurm")
    return args


def program_path(build_dir, scenario):
    return os.path.join(os.path.abspath(build_dir), "bin", scenario)


def check_program(program):
    if not (os.path.isfile(program) and os.access(program, os.X_OK)):
        raise UsageError(f"no program {program}; build it first (./vmcomm build) or pass --build-dir")


def points_from_spec(spec, build_dir):
    """Check the spec against what its program accepts (asking it once), then expand it."""
    program = program_path(build_dir, spec.scenario)
    check_program(program)
    try:
        listing = program_options.ask(program)
    except program_options.ProgramError as e:
        raise UsageError(str(e)) from None
    program_options.check_spec(spec, listing)
    for note in program_options.expand_multi_runs(spec, listing):
        print(f"sweep: note: {spec.path}: {note}", file=sys.stderr)
    return [(program, point) for point in spec.points()]


def points_from_file(path, slice_arg):
    """(program, point) pairs of lines [start, stop) of a points.txt written by the slurm backend."""
    try:
        with open(path) as f:
            lines = [line for line in f.read().splitlines() if line.strip()]
    except OSError as e:
        raise UsageError(f"{path}: cannot read: {e.strerror}") from None
    start, stop = 0, len(lines)
    if slice_arg:
        try:
            start, stop = (int(x) for x in slice_arg.split(":"))
        except ValueError:
            raise UsageError(f"--slice={slice_arg}: expected START:STOP") from None
    todo = []
    for number in range(start, min(stop, len(lines))):
        try:
            todo.append(parse_command_line(lines[number]))
        except ValueError as e:
            raise UsageError(f"{path}:{number + 1}: {e}") from None
    return todo


def read_existing(db_path):
    """Point key -> status of the runs already in the database ({} if there is none yet)."""
    if not os.path.exists(db_path):
        return {}
    conn = vmcomm_db.connect(db_path)
    try:
        return vmcomm_db.existing_points(conn)
    finally:
        conn.close()


def split_todo(all_points, existing, retry_failed):
    """Which points to run, and how many are already ok / failed in the database."""
    todo, ok, failed, retry = [], 0, 0, []
    seen = set()
    for program, point in all_points:
        key = point.key
        if key in seen:  # cannot happen with a validated spec; guards a hand-edited points file
            continue
        seen.add(key)
        status = existing.get(key)
        if status == "ok":
            ok += 1
        elif status == "failed" and not retry_failed:
            failed += 1
        else:
            if status == "failed":
                retry.append(key)
            todo.append((program, point))
    return todo, ok, failed, retry


def run_slurm(args, spec, todo, db_path):
    out_dir = args.slurm_dir or os.path.join("results", f"slurm-{os.path.splitext(os.path.basename(spec.path))[0]}")
    script, tasks = sweep_slurm.write_batch(
        out_dir, todo, spec, os.path.abspath(args.build_dir), os.path.abspath(__file__), chunk=args.chunk
    )
    shards = os.path.join(os.path.abspath(out_dir), "shards", "shard-*.db")
    print(f"sweep: wrote {script} ({len(todo)} points, {tasks} array tasks) and "
          f"{os.path.join(os.path.abspath(out_dir), 'points.txt')}", file=sys.stderr)
    print(f"sweep: submit with:  sbatch {script}", file=sys.stderr)
    print(f"sweep: then merge:   /usr/bin/python3 {os.path.join(ROOT, 'analysis', 'merge.py')} "
          f"{db_path} {shards}", file=sys.stderr)
    if not args.submit:
        return 0
    sbatch = shutil.which("sbatch")
    if sbatch is None:
        print("sweep: error: --submit: sbatch not found on PATH (run this on the cluster's login "
              f"node, or submit {script} there)", file=sys.stderr)
        return 1
    return subprocess.call([sbatch, script])


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        if args.spec:
            spec = load_spec(args.spec)
            all_points = points_from_spec(spec, args.build_dir)
            db_path = args.db or spec.db
            scenario = spec.scenario
            if args.backend == "local":
                # Before anything runs: a database the points cannot write fails every one.
                vmcomm_db.check_writable(db_path)
        else:
            spec = None
            all_points = points_from_file(args.points_file, args.slice)
            if not args.db:
                raise UsageError("--points-file needs --db")
            db_path = args.db
            scenario = all_points[0][1].scenario if all_points else "-"
            vmcomm_db.check_writable(db_path)
        existing = read_existing(db_path)
    except (SpecError, UsageError, vmcomm_db.DbError) as e:
        print(f"sweep: error: {e}", file=sys.stderr)
        return 2

    todo, ok_before, failed_before, retry = split_todo(all_points, existing, args.retry_failed)
    total = len(all_points)

    if args.backend == "slurm":
        return run_slurm(args, spec, todo, db_path)

    if args.dry_run:
        for program, point in todo:
            print(" ".join(point.argv(program) + [f"--db={db_path}"]))
        print(f"sweep: {scenario}: {total} points, {ok_before} ok and {failed_before} failed already "
              f"in {db_path}, {len(todo)} to run (dry run: nothing run)", file=sys.stderr)
        return 0

    try:
        for program in sorted({program for program, _ in todo}):
            check_program(program)
    except UsageError as e:
        print(f"sweep: error: {e}", file=sys.stderr)
        return 2

    try:
        conn = vmcomm_db.connect(db_path)  # creates the schema before the children race to
        if retry:
            vmcomm_db.delete_failed_points(conn, retry)
        conn.close()
    except vmcomm_db.DbError as e:
        print(f"sweep: error: {e}", file=sys.stderr)
        return 2

    runner = sweep_runner.Runner(db_path, args.jobs, log_dir=args.log_dir)
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, runner.request_stop)
    print(f"sweep: {scenario}: {total} points, {ok_before} ok and {failed_before} failed already in "
          f"{db_path}, running {len(todo)} with {args.jobs} jobs", file=sys.stderr)
    start = time.monotonic()
    try:
        runner.run(todo, total, ok_before + failed_before, failed_before)
    except vmcomm_db.DbError as e:
        print(f"sweep: error: {e}; the running points were stopped", file=sys.stderr)
        return 2
    elapsed = sweep_runner.fmt_duration(time.monotonic() - start)

    if runner.stop_signal is not None:
        name = signal.Signals(runner.stop_signal).name
        print(f"sweep: interrupted by {name} after {elapsed}: {runner.ok} points ok, {runner.failed} "
              f"failed in this session; run the same command again to resume", file=sys.stderr)
        return 128 + runner.stop_signal

    failed = failed_before + runner.failed
    ok = ok_before + runner.ok
    print(f"sweep: {scenario}: {total} points: {ok} ok, {failed} failed"
          + (f", {runner.elsewhere} done by another runner" if runner.elsewhere else "")
          + f"; ran {runner.ok + runner.failed} in {elapsed}; results in {db_path}", file=sys.stderr)
    if runner.failures:
        print("sweep: failed points (message in runs.message):", file=sys.stderr)
        for point, summary in runner.failures[:20]:
            print(f"  {point.key} ({sweep_runner.describe(point)}): {summary}", file=sys.stderr)
        if len(runner.failures) > 20:
            print(f"  ... and {len(runner.failures) - 20} more", file=sys.stderr)
    if failed_before:
        print(f"sweep: {failed_before} points had failed in an earlier sweep; --retry-failed runs them "
              "again", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
