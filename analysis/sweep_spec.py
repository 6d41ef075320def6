"""Sweep specifications (TOML) and the points they expand to.

A spec names a scenario program, options fixed for every point, options to vary (cartesian
product) and the RngRun values to repeat each combination with; analysis/README.md documents the
format. Each point gets a key that depends only on what the program is asked to do, so a point
run twice (resume, another runner, a cluster shard) is recognised as the same point.
"""

import dataclasses
import hashlib
import itertools
import json
import os
import re
import shlex

ALLOWED_KEYS = ("scenario", "repetitions", "runs", "db", "fixed", "vary", "exclude", "slurm")
SLURM_KEYS = ("chunk", "time", "partition", "cpus-per-task", "extra")
DEFAULT_DB = "results/vmcomm.db"

# Options the runner sets itself for every point.
RESERVED_OPTIONS = {
    "RngRun": "set by the runner from 'repetitions' or 'runs'",
    "db": "set by the runner ('db' key or --db)",
    "point": "set by the runner (the point key)",
}

# Program names are file names in build/bin; option names are ns-3 CommandLine names, including
# attribute paths such as ns3::Iommu::IotlbEntries.
SCENARIO_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.+-]*$")
OPTION_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.:+-]*$")


class SpecError(Exception):
    """An invalid spec; the message names the file, the key and what is allowed."""


@dataclasses.dataclass(frozen=True)
class Point:
    """One run of a scenario program: its options (name -> command-line string) and RngRun."""

    scenario: str
    options: tuple  # ((name, value), ...) in spec order
    rng_run: int

    @property
    def key(self):
        return point_key(self.scenario, dict(self.options), self.rng_run)

    def option(self, name):
        return dict(self.options).get(name)

    def argv(self, program):
        """Command line for this point, without --db (the runner or the batch task adds it)."""
        args = [program] + [f"--{n}={v}" for n, v in self.options]
        return args + [f"--RngRun={self.rng_run}", f"--point={self.key}"]


@dataclasses.dataclass
class Spec:
    path: str
    scenario: str
    fixed: dict
    vary: dict
    runs: list
    db: str
    slurm: dict
    exclude: list = dataclasses.field(default_factory=list)  # [{name: {values}}]

    def excluded(self, options):
        """Whether a combination matches an [[exclude]] entry: each of its options has one of
        the entry's values."""
        return any(all(options.get(n) in values for n, values in entry.items()) for entry in self.exclude)

    def points(self):
        """All points, RngRun outermost: the first repetition of every combination runs first,
        so a partial sweep already covers the whole parameter space."""
        names = list(self.vary)
        combos = list(itertools.product(*(self.vary[n] for n in names)))
        result = []
        for run in self.runs:
            for combo in combos:
                options = dict(self.fixed)
                options.update(zip(names, combo))
                if self.excluded(options):
                    continue
                result.append(Point(self.scenario, tuple(options.items()), run))
        return result


def option_string(value):
    """The command-line form of a TOML value; the point key uses the same form, so 64 and "64"
    are one point (the program cannot tell them apart either)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)  # shortest round-trip form: stable across runs and platforms
    return str(value)


def point_key(scenario, options, rng_run):
    """Stable key of a point: SCENARIO/HASH/rRUN.

    HASH is the first 16 hex digits of the SHA-256 of the canonical JSON
    [scenario, [[name, value], ...] sorted by name, ] with values as command-line strings.
    It identifies the parameter combination (all repetitions share it); rRUN the RngRun.
    """
    canonical = json.dumps(
        [scenario, sorted([str(k), str(v)] for k, v in options.items())],
        separators=(",", ":"),
        ensure_ascii=True,
    )
    digest = hashlib.sha256(canonical.encode()).hexdigest()[:16]
    return f"{scenario}/{digest}/r{rng_run}"


def _scalar_ok(value):
    return isinstance(value, (str, int, float, bool))


def _check_option_name(err, table, name):
    if name in RESERVED_OPTIONS:
        err(f"[{table}] {name!r}", f"not allowed: {RESERVED_OPTIONS[name]}")
    if not OPTION_RE.match(name):
        err(
            f"[{table}] {name!r}",
            "not a valid option name (letters, digits, '_', '-', '.', ':'; "
            "ns-3 attributes as \"ns3::Type::Attribute\")",
        )


def _int_ok(value, minimum):
    return isinstance(value, int) and not isinstance(value, bool) and value >= minimum


def parse_spec(data, path):
    """Validate a parsed TOML document and return a Spec; raise SpecError on the first problem."""

    def err(key, what):
        raise SpecError(f"{path}: {key}: {what}")

    for key in data:
        if key not in ALLOWED_KEYS:
            err(key, f"unknown key (allowed: {', '.join(ALLOWED_KEYS)})")

    scenario = data.get("scenario")
    if scenario is None:
        err("scenario", "missing (the program to run, a name in build/bin)")
    if not isinstance(scenario, str) or not SCENARIO_RE.match(scenario):
        err("scenario", f"must be a program name in build/bin (letters, digits, '-', '_', '.'), got {scenario!r}")

    if "repetitions" in data and "runs" in data:
        err("repetitions/runs", "give one of them: repetitions = N (RngRun 1..N) or runs = [list of RngRun]")
    if "runs" in data:
        runs = data["runs"]
        if not isinstance(runs, list) or not runs or not all(_int_ok(r, 1) for r in runs):
            err("runs", f"must be a non-empty list of RngRun values (integers >= 1), got {runs!r}")
        if len(set(runs)) != len(runs):
            err("runs", f"RngRun values must be distinct, got {runs!r}")
    else:
        reps = data.get("repetitions", 1)
        if not _int_ok(reps, 1):
            err("repetitions", f"must be an integer >= 1, got {reps!r}")
        runs = list(range(1, reps + 1))

    db = data.get("db", DEFAULT_DB)
    if not isinstance(db, str) or not db:
        err("db", f"must be a file name (string), got {db!r}")

    fixed = {}
    raw_fixed = data.get("fixed", {})
    if not isinstance(raw_fixed, dict):
        err("fixed", "must be a table: [fixed] with lines name = value")
    for name, value in raw_fixed.items():
        _check_option_name(err, "fixed", name)
        if not _scalar_ok(value):
            err(f"[fixed] {name!r}", f"must be a string, integer, float or boolean, got {value!r}")
        fixed[name] = option_string(value)

    vary = {}
    raw_vary = data.get("vary", {})
    if not isinstance(raw_vary, dict):
        err("vary", "must be a table: [vary] with lines name = [value, ...]")
    for name, values in raw_vary.items():
        _check_option_name(err, "vary", name)
        if name in fixed:
            err(f"[vary] {name!r}", "also in [fixed]; an option is either fixed or varied")
        if not isinstance(values, list) or not values:
            err(f"[vary] {name!r}", "must be a non-empty list of values (put a single value in [fixed])")
        for v in values:
            if not _scalar_ok(v):
                err(f"[vary] {name!r}", f"values must be strings, integers, floats or booleans, got {v!r}")
        strings = [option_string(v) for v in values]
        if len(set(strings)) != len(strings):
            err(f"[vary] {name!r}", f"values must be distinct, got {values!r}")
        vary[name] = strings

    exclude = []
    raw_exclude = data.get("exclude", [])
    if not isinstance(raw_exclude, list) or not all(isinstance(e, dict) and e for e in raw_exclude):
        err("exclude", "must be a list of tables: [[exclude]] with lines name = value or [values]")
    for i, entry in enumerate(raw_exclude):
        values = {}
        for name, value in entry.items():
            if name not in vary:
                err(f"[[exclude]] {i + 1} {name!r}", "not in [vary]; an exclusion names varied options")
            items = value if isinstance(value, list) else [value]
            if not items or not all(_scalar_ok(v) for v in items):
                err(f"[[exclude]] {i + 1} {name!r}", f"must be a value or a non-empty list of values, got {value!r}")
            strings = {option_string(v) for v in items}
            unknown = sorted(strings - set(vary[name]))
            if unknown:
                err(f"[[exclude]] {i + 1} {name!r}", f"{', '.join(unknown)} not among its [vary] values {vary[name]}")
            values[name] = strings
        exclude.append(values)

    slurm = data.get("slurm", {})
    if not isinstance(slurm, dict):
        err("slurm", "must be a table: [slurm]")
    for key, value in slurm.items():
        if key not in SLURM_KEYS:
            err(f"[slurm] {key}", f"unknown key (allowed: {', '.join(SLURM_KEYS)})")
        if key in ("chunk", "cpus-per-task") and not _int_ok(value, 1):
            err(f"[slurm] {key}", f"must be an integer >= 1, got {value!r}")
        if key in ("time", "partition") and not isinstance(value, str):
            err(f"[slurm] {key}", f"must be a string, got {value!r}")
        if key == "extra" and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            err(f"[slurm] {key}", "must be a list of strings (sbatch options such as \"--mem=4G\")")

    return Spec(path=str(path), scenario=scenario, fixed=fixed, vary=vary, runs=runs, db=db, slurm=slurm,
                exclude=exclude)


def load_spec(path):
    """Read and validate a spec file."""
    import tomllib  # Python >= 3.11; imported here so batch tasks on older Pythons can run points

    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except OSError as e:
        raise SpecError(f"{path}: cannot read: {e.strerror}") from None
    except tomllib.TOMLDecodeError as e:
        raise SpecError(f"{path}: not valid TOML: {e}") from None
    except UnicodeDecodeError as e:
        # TOML is UTF-8; tomllib decodes the whole file before parsing.
        with open(path, "rb") as f:
            before = f.read()[: e.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        raise SpecError(f"{path}: line {line}, column {column}: byte 0x{e.object[e.start]:02x} is not "
                        "valid UTF-8 (a TOML file must be UTF-8 text)") from None
    return parse_spec(data, path)


def parse_command_line(line):
    """Turn one line of points.txt (as written by Point.argv, shell-quoted) back into a Point.

    Returns (program, point). Raises ValueError for a line not of that form.
    """
    args = shlex.split(line)
    if not args:
        raise ValueError("empty line")
    program, options, rng_run, key = args[0], [], None, None
    for arg in args[1:]:
        if not arg.startswith("--") or "=" not in arg:
            raise ValueError(f"not a --name=value option: {arg!r}")
        name, value = arg[2:].split("=", 1)
        if name == "RngRun":
            rng_run = int(value)
        elif name == "point":
            key = value
        elif name != "db":
            options.append((name, value))
    if rng_run is None:
        raise ValueError("no --RngRun")
    point = Point(os.path.basename(program), tuple(options), rng_run)
    if key is not None and key != point.key:
        raise ValueError(f"--point={key} does not match the options (expected {point.key})")
    return program, point
