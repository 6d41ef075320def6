"""Run sweep points as parallel subprocesses on this machine.

Each point is one scenario program run that writes its own rows into the results database (WAL,
busy timeout) in one transaction at its end. The runner only writes the row of a point whose
program failed, so the database always says what happened to every point it was asked for.

Why polling and files instead of threads and pipes: a single-threaded loop over Popen.poll()
keeps signal handling simple (the handler only sets a flag), and output captured in files cannot
block a child however much it prints.
"""

import collections
import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

import vmcomm_db

MAX_LOG_BYTES = 1 << 20  # of a failed point's output kept in runs.message
POLL_S = 0.05
PLAIN_PROGRESS_EVERY_S = 10.0
TERMINATE_GRACE_S = 5.0


def fmt_duration(seconds):
    seconds = int(round(seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def read_log(path):
    """A point's stderr (or stdout) as text, whole: the line that says what went wrong may be
    the first of many (ns-3 prints its help after naming a bad option). Only a log larger than
    MAX_LOG_BYTES is shortened, to its beginning and its end with the omitted size between."""
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_LOG_BYTES + 1)
            if len(data) > MAX_LOG_BYTES:
                f.seek(0, os.SEEK_END)
                size = f.tell()
                f.seek(size - MAX_LOG_BYTES // 2)
                data = (data[:MAX_LOG_BYTES // 2]
                        + f"\n[... {size - MAX_LOG_BYTES} bytes omitted ...]\n".encode()
                        + f.read())
    except OSError:
        return []
    return [line for line in data.decode("utf-8", "replace").splitlines() if line.strip()]


def describe(point):
    """Short human description of a point, for progress and failure lines."""
    opts = " ".join(f"{n}={v}" for n, v in point.options)
    return f"{opts} RngRun={point.rng_run}".strip()


class Progress:
    """Progress on stderr: a redrawn bar on a terminal, a plain line every few seconds otherwise."""

    def __init__(self, total, done_before, stream=sys.stderr):
        self.total = total
        self.done_before = done_before
        self.stream = stream
        self.tty = stream.isatty()
        self.start = time.monotonic()
        self.last_plain = self.start
        self.drawn = False
        self.last_counts, self.last_draw = None, 0.0

    def line(self, done, failed):
        elapsed = time.monotonic() - self.start
        done_now = done - self.done_before
        remaining = self.total - done
        eta = fmt_duration(elapsed / done_now * remaining) if done_now and remaining else "-"
        return (
            f"{done}/{self.total} points done, {failed} failed, "
            f"{fmt_duration(elapsed)} elapsed, ETA {eta}"
        )

    def update(self, done, failed, force=False):
        now = time.monotonic()
        if self.tty and (force or (done, failed) != self.last_counts or now - self.last_draw >= 0.5):
            self.last_counts, self.last_draw = (done, failed), now
            width = 30
            filled = int(width * done / self.total) if self.total else width
            bar = "#" * filled + "." * (width - filled)
            self.stream.write(f"\r\033[K[{bar}] {self.line(done, failed)}")
            self.stream.flush()
            self.drawn = True
        elif not self.tty and (force or now - self.last_plain >= PLAIN_PROGRESS_EVERY_S):
            self.last_plain = time.monotonic()
            print(f"sweep: {self.line(done, failed)}", file=self.stream, flush=True)

    def message(self, text):
        """Print a line without garbling the bar."""
        if self.tty and self.drawn:
            self.stream.write("\r\033[K")
        print(text, file=self.stream, flush=True)

    def finish(self):
        if self.tty and self.drawn:
            self.stream.write("\n")
            self.stream.flush()


class _Task:
    def __init__(self, program, point, proc, out_path, err_path):
        self.program = program
        self.point = point
        self.proc = proc
        self.out_path = out_path
        self.err_path = err_path
        self.started = time.monotonic()
        self.started_at = vmcomm_db.now_iso()


class Runner:
    """Runs (program, point) pairs with at most `jobs` children at a time."""

    def __init__(self, db_path, jobs, log_dir=None, stream=sys.stderr):
        self.db_path = os.path.abspath(db_path)
        self.jobs = max(1, jobs)
        self.log_dir = log_dir
        self.stream = stream
        self.stop_signal = None
        self.failures = []  # (point, first line of message)
        self.ok = 0
        self.failed = 0
        self.elsewhere = 0  # points another runner finished meanwhile

    def request_stop(self, signum, _frame=None):
        """Signal handler: remember the signal; the main loop terminates the children."""
        self.stop_signal = signum

    def run(self, todo, total, done_before, failed_before):
        """Run the points in `todo`; returns when all are done or a stop was requested."""
        conn = vmcomm_db.connect(self.db_path)
        progress = Progress(total, done_before, self.stream)
        pending = collections.deque(todo)
        running = []
        with contextlib.ExitStack() as scratch:
            # The points' output goes to --log-dir, else to a directory removed at the end.
            log_dir = self.log_dir or scratch.enter_context(
                tempfile.TemporaryDirectory(prefix="vmcomm-sweep-"))
            os.makedirs(log_dir, exist_ok=True)
            progress.update(done_before, failed_before, force=True)
            try:
                self._loop(conn, progress, pending, running, log_dir, done_before, failed_before)
            except vmcomm_db.DbError:
                self._terminate(running)  # a database the runner cannot write: stop everything
                progress.finish()
                conn.close()
                raise
            if self.stop_signal is not None:
                self._terminate(running)
            progress.update(done_before + self.ok + self.failed + self.elsewhere,
                            failed_before + self.failed, force=True)
            progress.finish()
        conn.close()

    def _loop(self, conn, progress, pending, running, log_dir, done_before, failed_before):
        while (pending or running) and self.stop_signal is None:
            while pending and len(running) < self.jobs and self.stop_signal is None:
                program, point = pending.popleft()
                # Another runner on the same database may have done it meanwhile.
                if conn.execute("SELECT 1 FROM runs WHERE point = ?", (point.key,)).fetchone():
                    self.elsewhere += 1
                    continue
                running.append(self._start(program, point, log_dir))
            finished = [t for t in running if t.proc.poll() is not None]
            for task in finished:
                running.remove(task)
                if self.stop_signal is None:
                    self._finish(conn, task, progress)
            done = done_before + self.ok + self.failed + self.elsewhere
            progress.update(done, failed_before + self.failed)
            if not finished:
                time.sleep(POLL_S)

    def _start(self, program, point, log_dir):
        name = point.key.replace("/", "_")
        out_path = os.path.join(log_dir, name + ".out")
        err_path = os.path.join(log_dir, name + ".err")
        argv = point.argv(program) + [f"--db={self.db_path}"]
        with open(out_path, "wb") as out, open(err_path, "wb") as err:
            try:
                # Same process group as the runner: killing the sweep's group kills its points.
                proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
            except OSError as e:
                err.write(f"cannot start {program}: {e}\n".encode())
                proc = _FailedStart()
        return _Task(program, point, proc, out_path, err_path)

    def _finish(self, conn, task, progress):
        rc = task.proc.returncode
        wall = time.monotonic() - task.started
        point = task.point
        row = conn.execute("SELECT status, message FROM runs WHERE point = ?", (point.key,)).fetchone()
        if row is not None and row[0] == "failed":
            # The program recorded its own failure (no row existed when the point started):
            # its message says more than an exit code, so its row stays.
            self.failed += 1
            first = (row[1] or "recorded as failed by the program").splitlines()[0]
            summary = first if rc == 0 else f"exit code {rc}: {first}"
            self.failures.append((point, summary))
            progress.message(f"sweep: FAILED {point.key} ({describe(point)}): {summary}")
            return
        if rc == 0 and row is not None:
            self.ok += 1
            return
        if rc == 0:
            message = "exited 0 but wrote no runs row for its point (scenario contract broken)"
        elif rc < 0:
            try:
                name = signal.Signals(-rc).name
            except ValueError:
                name = str(-rc)
            message = f"killed by signal {name}"
        else:
            message = f"exit code {rc}"
        lines = read_log(task.err_path)
        if not lines:
            out_lines = read_log(task.out_path)
            if out_lines:
                lines = ["(stderr empty; stdout:)"] + out_lines
        full_message = "\n".join([message] + lines)
        options = dict(point.options)
        rng_seed = options.get("RngSeed")
        try:
            outcome = self._record(conn, point, options, full_message, rng_seed, task, wall)
        except sqlite3.Error as e:
            raise vmcomm_db.DbError(f"{self.db_path}: cannot record the failure of point {point.key}: {e}") from None
        if outcome == "kept-ok":
            # Complete results are in the database (written by another runner, or committed by
            # the program before it failed): the point is done.
            self.ok += 1
            progress.message(
                f"sweep: note: {point.key} ({describe(point)}): {message}, "
                "but the database already holds its results; kept"
            )
            return
        self.failed += 1
        last = lines[-1] if lines else ""
        summary = f"{message}: {last}" if last else message
        self.failures.append((point, summary))
        progress.message(f"sweep: FAILED {point.key} ({describe(point)}): {summary}")

    @staticmethod
    def _record(conn, point, options, full_message, rng_seed, task, wall):
        return vmcomm_db.record_failed_run(
            conn,
            point.key,
            point.scenario,
            options,
            point.rng_run,
            full_message,
            mode=options.get("mode"),
            topology=options.get("topology"),
            rng_seed=int(rng_seed) if rng_seed and rng_seed.isdigit() else None,
            started_at=task.started_at,
            wall_seconds=round(wall, 3),
        )

    def _terminate(self, running):
        """Stop all children: SIGTERM, then SIGKILL after a grace period."""
        for task in running:
            if task.proc.poll() is None:
                task.proc.terminate()
        deadline = time.monotonic() + TERMINATE_GRACE_S
        for task in running:
            try:
                task.proc.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                task.proc.kill()
                task.proc.wait()


class _FailedStart:
    """Stands in for a Popen whose program could not be started (recorded as a failure)."""

    returncode = 127

    def poll(self):
        return self.returncode

    def terminate(self):
        pass

    def kill(self):
        pass

    def wait(self, timeout=None):
        return self.returncode
