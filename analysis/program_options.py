"""What a scenario program accepts, in its own words (PROGRAM --list-options), and the check of a
sweep spec against it.

A sweep asks its program once, before it runs anything: an option the program does not have,
an ns-3 attribute that does not exist, or a value outside a listed choice or range would make
every point fail. The program's answer is one JSON object (contrib/sriov-vmcomm/experiment/
option-list.h documents it): its own options (type, default, choices, range, and values that
stand for several runs, such as compare-modes' mode=all), the ns-3 global values and every
ns3::Type::Attribute with its checker's type and range.
"""

import difflib
import json
import re
import subprocess

from sweep_spec import RESERVED_OPTIONS, SpecError

LIST_TIMEOUT_S = 120

# Command-line forms the ns-3 parsers accept (BooleanValue; CommandLine's bool is a superset).
BOOLEANS = ("true", "false", "1", "0", "t", "f")
INTEGER_RE = re.compile(r"^[+-]?[0-9]+$")
# ns-3 Time: a number and a unit (without a unit an attribute reads seconds).
TIME_RE = re.compile(r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?(s|ms|us|ns|ps|fs|min|h|d|y)?$")
# Options a sweep point always gets from the runner: a program without them cannot be swept.
RUNNER_OPTIONS = ("db", "point")


class ProgramError(Exception):
    """The program does not say what it accepts (not built, too old, crashed)."""


def ask(program):
    """Run `program --list-options` and return its parsed answer."""
    try:
        result = subprocess.run([program, "--list-options"], stdin=subprocess.DEVNULL,
                                capture_output=True, timeout=LIST_TIMEOUT_S)
    except OSError as e:
        raise ProgramError(f"{program}: cannot run: {e.strerror}") from None
    except subprocess.TimeoutExpired:
        raise ProgramError(f"{program} --list-options: no answer in {LIST_TIMEOUT_S} s") from None
    why = None
    if result.returncode != 0:
        lines = result.stderr.decode("utf-8", "replace").strip().splitlines()
        why = f"exit code {result.returncode}" + (f": {lines[0]}" if lines else "")
    else:
        try:
            listing = json.loads(result.stdout)
            if not all(isinstance(listing.get(k), list) for k in ("options", "globals", "attributes")):
                why = "its answer lacks options, globals or attributes"
        except (ValueError, AttributeError) as e:
            why = f"its answer is not the JSON option list ({e})"
    if why:
        raise ProgramError(f"{program} --list-options: {why}; a program built before option lists "
                           "existed cannot be checked: rebuild it (./vmcomm build)")
    return listing


def _suggest(name, candidates):
    """' (did you mean X?)' for a misspelt name, or a name with a word too many (frame_size)."""
    norm = {c.lower().replace("_", "-"): c for c in candidates}
    wanted = name.lower().replace("_", "-")
    close = difflib.get_close_matches(wanted, list(norm), n=1, cutoff=0.6)
    if not close:
        words = wanted.split("-")
        close = [n for n in norm if n in words or (len(n) > 3 and n in wanted)][:1]
    return f" (did you mean {norm[close[0]]}?)" if close else ""


def _unknown(program, name, options, attributes, globals_):
    """Why `name` is not an option of the program: one line with what is allowed."""
    if name.startswith("ns3::"):
        type_name, _, attr = name.rpartition("::")
        types = {}
        for a in attributes:
            t, _, n = a.rpartition("::")
            types.setdefault(t, []).append(n)
        if type_name not in types:
            return (f"no ns-3 type {type_name or name} with attributes in {program}"
                    f"{_suggest(type_name, list(types))}; an attribute is written \"ns3::Type::Attribute\"")
        return (f"{type_name} has no attribute {attr}{_suggest(attr, types[type_name])}; its attributes: "
                f"{', '.join(types[type_name])}")
    if "::" in name:
        return f"not an option of {program}; ns-3 attributes are written with the namespace, \"ns3::{name}\""
    own = [n for n in options if n not in RESERVED_OPTIONS]
    glob = [n for n in globals_ if n not in RESERVED_OPTIONS]
    return (f"{program} has no option --{name}{_suggest(name, own + glob)}; its options: "
            f"{', '.join(own)}; ns-3 globals: {', '.join(glob)}; and attributes as "
            "\"ns3::Type::Attribute\"")


def _number(text):
    try:
        return float(text)
    except ValueError:
        return None


def value_problem(desc, value, own_option):
    """Why the program would refuse `value` (command-line form) for the option described by
    `desc`, or None if the list cannot tell it is wrong."""
    kind = desc.get("type")
    if kind == "enum" or desc.get("choices"):
        choices = desc.get("choices") or []
        if value not in choices:
            return f"allowed: {', '.join(choices)}"
        return None
    if kind == "boolean":
        if (value.lower() if own_option else value) not in BOOLEANS:
            return "allowed: true or false"
        return None
    if kind in ("integer", "float"):
        if kind == "integer" and not INTEGER_RE.match(value):
            return "not an integer"
        number = int(value) if kind == "integer" else _number(value)
        if number is None:
            return "not a number"
        lo, hi = desc.get("min"), desc.get("max")
        if (lo is not None and number < lo) or (hi is not None and number > hi):
            return f"out of range; allowed: {_fmt(lo)}..{_fmt(hi)}"
        return None
    if kind == "time":
        match = TIME_RE.match(value.strip())
        if not match:
            return "not a time; allowed: a number and a unit (s, ms, us, ns, ...), e.g. 1ms"
        if own_option and not match.group(3):
            return "a time needs a unit (s, ms, us, ns, ...), e.g. 1ms"
        return None
    return None


def _fmt(bound):
    if bound is None:
        return ""
    if isinstance(bound, float) and bound.is_integer() and abs(bound) < 1e18:
        return str(int(bound))
    return str(bound)


def check_spec(spec, listing):
    """Raise SpecError (FILE: [TABLE] 'KEY': what is allowed) unless the program accepts every
    option name of the spec, and every value the list can check."""
    program = listing.get("program") or spec.scenario
    options = {o["name"]: o for o in listing["options"]}
    globals_ = {g["name"]: g for g in listing["globals"]}
    attributes = {a["name"]: a for a in listing["attributes"]}
    for needed in RUNNER_OPTIONS:
        if needed not in options:
            raise SpecError(f"{spec.path}: scenario: {program} has no --{needed} option, so it cannot "
                            "run sweep points (a sweep program writes each point's run into --db, "
                            "keyed by --point)")
    entries = [("fixed", n, [v]) for n, v in spec.fixed.items()]
    entries += [("vary", n, vs) for n, vs in spec.vary.items()]
    for table, name, values in entries:
        desc = options.get(name) or globals_.get(name) or attributes.get(name)
        if desc is None:
            raise SpecError(f"{spec.path}: [{table}] {name!r}: "
                            f"{_unknown(program, name, options, attributes, globals_)}")
        for value in values:
            why = value_problem(desc, value, name in options)
            if why:
                raise SpecError(f"{spec.path}: [{table}] {name!r}: {value!r}: {why}")


def expand_multi_runs(spec, listing):
    """Make every point one run: a value that makes the program do several runs (mode=all, also
    when it is the default) becomes a [vary] entry over the values it stands for, so the point
    keys the runner records are the ones the program writes. Returns notes for the user."""
    notes = []
    for desc in listing["options"]:
        expands = desc.get("expands") or {}
        name = desc["name"]
        if not expands:
            continue
        if name in spec.fixed:
            values, origin = [spec.fixed[name]], "[fixed]"
        elif name in spec.vary:
            values, origin = list(spec.vary[name]), "[vary]"
        elif desc.get("default") in expands:
            values, origin = [desc["default"]], "the default"
        else:
            continue
        if not any(v in expands for v in values):
            continue
        new = []
        for v in values:
            for x in expands.get(v, [v]):
                if x not in new:
                    new.append(x)
        spec.fixed.pop(name, None)
        if name in spec.vary:
            spec.vary[name] = new
        else:
            spec.vary = {name: new, **spec.vary}
        multi = ", ".join(f"{name}={v}" for v in values if v in expands)
        notes.append(f"{multi} ({origin}) makes {spec.scenario} do one run per value; the sweep "
                     f"runs them as separate points: {name} = {', '.join(new)}")
    return notes
