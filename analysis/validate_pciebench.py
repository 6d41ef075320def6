"""Validate the DMA model against a pcie-bench data directory: run dma-bench on every measured
point and print measured vs. model with the error, a summary by test, and one plot per file.

    ./vmcomm validate-pciebench DIR --preset=NAME [--iommu=on|off|auto] [--page-size=4KiB]
                                [--jobs=N] [--csv FILE] [--markdown FILE] [--out DIR] [--ops=N]
                                [--summary-only] [--ns3::Type::Attribute=VALUE ...]

DIR holds CSV files as the pcie-bench tools write them (github.com pcie-bench/data; the project
ships one host's in scenarios/calibration/pcie-bench/). Each file is read by its header, not its
name: a point file has the columns Test, PAT, Cache, HO, DO, WinSZ, SZ and the measured figures,
`BW (GB/s)` (which holds Gb/s) or the latency columns `Med(ns)`, `95%(ns)`, `99.9%(ns)`,
`Min(ns)`; a distribution file has cycles, ns, cdf. Each row becomes a dma-bench point:

    Test     BW_DMA_RD / BW_DMA_WR / BW_DMA_RW(RDWR) -> --op=read/write/rw --metric=bw
             LAT_DMA_RD / LAT_DMA_WRRD               -> --op=read/rw --metric=lat
    PAT      Rand / Seq -> --pattern=rand/seq        SZ, WinSZ -> --size, --window (bytes)
    HO, DO   -> --host-offset, --device-offset       (if dma-bench has them)
    Cache    HWarm / Cold -> --cache=warm / cold     (if dma-bench has --cache)

Whether the IOMMU is on is a property of the directory, not of a column: --iommu=auto (the
default) takes it from the directory's name (pcie-bench names IOMMU runs `...-iommu...`).

A distribution file X_cdf.csv holds one CDF per row of X.csv, in order. If dma-bench has --cdf
(it is asked, `dma-bench --list-options`), every latency call gets --cdf=on and each distribution
is compared with the model's CDF of its row's point: at every measured CDF row with
0 < F <= 0.999, the model's quantile at F (its smallest latency reached by a share F of the
operations) against the measured latency; the distribution's error is the largest
|model - measured| / measured of those rows.

A point dma-bench cannot express is listed as "not modelled" with the reason, never dropped and
never given a value: the NFP command-interface tests (LAT_CMD_*), offsets and cache states
dma-bench has no option for, latency figures it does not print, distributions that cannot be
paired with a row or whose row is not modelled. Points are batched per dma-bench call (lists of
sizes or windows) and the calls run --jobs at a time. --ns3::Type::Attribute=VALUE options go to every
dma-bench call, over the preset (to try a parameter against the data).

Exit status: 0 done, 2 bad input (one line on stderr; nothing run or written), 1 other errors.
"""

import argparse
import csv
import json
import math
import os
import re
import statistics
import subprocess
import sys
import textwrap
from collections import OrderedDict, defaultdict
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# pcie-bench test -> (dma-bench --op, --metric)
DMA_TESTS = {
    "BW_DMA_RD": ("read", "bw"),
    "BW_DMA_WR": ("write", "bw"),
    "BW_DMA_RW": ("rw", "bw"),
    "BW_DMA_RDWR": ("rw", "bw"),
    "LAT_DMA_RD": ("read", "lat"),
    "LAT_DMA_WRRD": ("rw", "lat"),
}
KEY_COLUMNS = ("Test", "PAT", "Cache", "HO", "DO", "WinSZ", "SZ")
# measured column -> (quantity, dma-bench JSON key); BW (GB/s) holds Gb/s (pcie-bench's naming)
BW_QUANTITIES = (("BW (GB/s)", "bw_gbps", "gbps"),)
LAT_QUANTITIES = (
    ("Med(ns)", "lat_med_ns", "lat_median_ns"),
    ("95%(ns)", "lat_p95_ns", "lat_p95_ns"),
    ("99.9%(ns)", "lat_p999_ns", "lat_p999_ns"),
    ("Min(ns)", "lat_min_ns", "lat_min_ns"),
)
CDF_COLUMNS = ("cycles", "ns", "cdf")
PATTERNS = {"Rand": "rand", "Seq": "seq"}
# pcie-bench cache state -> dma-bench --cache value (when dma-bench has the option)
CACHE_STATES = {"HWarm": "warm", "Cold": "cold"}
CACHE_MEANING = {
    "HWarm": "warmed by the host",
    "Cold": "cold host cache",
    "DWarm": "warmed by the device's own DMA",
    "DThrash": "thrashed by the device",
}
MAX_SIZE = 1 << 20  # dma-bench's limits
MAX_WINDOW = 1 << 40
BATCH = 24  # points per dma-bench call at most, so that --jobs has calls to share
WITHIN_PCT = 10.0
CDF_MAX_F = 0.999  # the CDF rows compared: 0 < F <= 0.999 (above: a few outliers of ~10 us)
CDF_F_SLACK = 1e-9  # the model's fractions are printed to 9 significant digits


class BadInput(Exception):
    """Bad command-line input or data file: one line, exit 2."""


class Point:
    """One measured figure of one row of a point file, and the model's."""

    def __init__(self, file, line, row, quantity, measured):
        self.file = file
        self.line = line
        self.test = row["Test"]
        self.pattern = row["PAT"]
        self.cache = row["Cache"]
        self.ho = row["HO"]
        self.do = row["DO"]
        self.window = row["WinSZ"]
        self.size = row["SZ"]
        self.quantity = quantity
        self.measured = measured
        self.run = None  # (call key, size, window) when modelled
        self.json_key = None
        self.model = None
        self.reason = None  # why not modelled

    @property
    def error_pct(self):
        if self.model is None or not self.measured:
            return None
        return (self.model - self.measured) / self.measured * 100.0


class Distribution:
    """One measured latency distribution of a CDF file, and the model's."""

    def __init__(self, file, index, rows):
        self.file = file
        self.index = index  # 0-based, in the file
        self.rows = rows  # [(ns, F, line)] as measured
        self.label = f"distribution {index + 1}"
        self.point = None  # the Point of its row (lat_med_ns) when it can be paired with one
        self.reason = None  # why not modelled
        self.model_cdf = None  # [(ns, F)] of the model's point
        self.error_pct = None  # largest |model - measured| / measured over the compared rows, %
        self.worst = None  # (F, measured ns, model ns, line) of the row where it is largest

    def compare(self, model_cdf):
        """Set model_cdf, error_pct and worst from the model's CDF [(ns, F)] (sorted), or the
        reason if no measured row is comparable."""
        self.model_cdf = model_cdf
        worst = None
        for ns, f, line in self.rows:
            if not 0 < f <= CDF_MAX_F or ns <= 0:
                continue
            model = quantile(model_cdf, f)
            err = abs(model - ns) / ns * 100.0
            if worst is None or err > worst[0]:
                worst = (err, f, ns, model, line)
        if worst is None:
            self.reason = f"no CDF row with 0 < F <= {CDF_MAX_F}"
            return
        self.error_pct = worst[0]
        self.worst = worst[1:]


def fraction(f):
    """A CDF fraction for the table: 0.9780, or 3.0e-05 below 0.001."""
    return f"{f:.4f}" if f >= 0.001 else f"{f:.1e}"


def quantile(cdf, f):
    """The smallest latency of a CDF [(ns, F)] (sorted) whose F reaches f."""
    for ns, frac in cdf:
        if frac >= f - CDF_F_SLACK:
            return ns
    return cdf[-1][0]


class Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2 (argparse prints the usage too)
        raise BadInput(message)


def parse_args(argv):
    p = Parser(prog="validate-pciebench", description=__doc__.split("\n\n")[0])
    p.add_argument("dir", help="a pcie-bench data directory (CSV files)")
    p.add_argument("--preset", required=True, help="dma-bench preset (dma-bench --list-presets)")
    p.add_argument("--iommu", default="auto", choices=("on", "off", "auto"),
                   help="IOMMU of the measurements; auto: on if the directory's name says iommu")
    p.add_argument("--page-size", default="4KiB", help="IOMMU page size given to dma-bench (4KiB)")
    p.add_argument("--jobs", type=int, default=1, help="dma-bench calls at once (default 1)")
    p.add_argument("--csv", help="write the table to this CSV file")
    p.add_argument("--markdown", help="write the summary to this file as a Markdown table")
    p.add_argument("--out", help="write one PNG per data file into this directory")
    p.add_argument("--ops", type=int, default=0, help="dma-bench --ops per point (0: its default)")
    p.add_argument("--summary-only", action="store_true", help="print the summary, not the table")
    p.add_argument("--build-dir", default=os.environ.get("VMCOMM_BUILD_DIR") or os.path.join(ROOT, "build"),
                   help="build directory holding bin/dma-bench")
    a, extra = p.parse_known_args(argv)
    for x in extra:
        if not (x.startswith("--ns3::") and "=" in x):
            raise BadInput(f"unknown option '{x}'; options are DIR, --preset, --iommu, --page-size, --jobs, "
                           "--csv, --markdown, --out, --ops, --summary-only, --build-dir, "
                           "--ns3::Type::Attribute=VALUE")
    a.ns3 = extra
    if a.jobs < 1:
        raise BadInput(f"--jobs={a.jobs}: allowed: a positive integer")
    if a.ops < 0:
        raise BadInput(f"--ops={a.ops}: allowed: 0 (dma-bench's default) or a positive integer")
    if a.page_size not in ("4KiB", "2MiB", "1GiB"):
        raise BadInput(f"--page-size={a.page_size}: allowed: 4KiB, 2MiB, 1GiB")
    return a


def ask_dma_bench(program):
    """dma-bench's own options (name -> entry), from `dma-bench --list-options`."""
    if not os.access(program, os.X_OK):
        raise RuntimeError(f"{program}: not built (./vmcomm build)")
    r = subprocess.run([program, "--list-options"], capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        raise RuntimeError(f"{program} --list-options: exit code {r.returncode}: {r.stderr.strip()}")
    return {o["name"]: o for o in json.loads(r.stdout)["options"]}


def number(text, file, line, column, integer):
    try:
        v = float(text)
    except ValueError:
        raise BadInput(f"{file}:{line}: column {column}: '{text}' is not a number") from None
    if integer:
        if not math.isfinite(v) or v != int(v) or v < 0:
            raise BadInput(f"{file}:{line}: column {column}: '{text}' is not a whole number of bytes")
        return int(v)
    return v


def read_dir(directory):
    """The pcie-bench files of a directory: (point files {name: [Point]}, cdf files {name: rows},
    ignored [(name, why)])."""
    points, cdfs, ignored = OrderedDict(), OrderedDict(), []
    for name in sorted(os.listdir(directory)):
        path = os.path.join(directory, name)
        if not name.endswith(".csv") or not os.path.isfile(path):
            continue
        with open(path, newline="", errors="replace") as f:
            reader = csv.reader(f)
            header = [h.strip() for h in next(reader, [])]
            body = list(reader)
        if tuple(header[:3]) == CDF_COLUMNS:
            # pcie-bench concatenates one CDF per run of its details file: a new one starts
            # where the latency or the fraction goes down
            dists = []
            for i, r in enumerate(body):
                if not r:
                    continue
                ns, frac = number(r[1], name, i + 2, "ns", False), number(r[2], name, i + 2, "cdf", False)
                if not dists or ns < dists[-1][-1][0] or frac < dists[-1][-1][1]:
                    dists.append([])
                dists[-1].append((ns, frac, i + 2))
            cdfs[name] = dists
            continue
        missing = [c for c in KEY_COLUMNS if c not in header]
        quantities = [q for q in BW_QUANTITIES + LAT_QUANTITIES if q[0] in header]
        if missing or not quantities:
            ignored.append((name, f"lacks {', '.join(missing)}" if missing else "no measured column"))
            continue
        col = {h: i for i, h in enumerate(header)}
        rows = []
        for i, r in enumerate(body):
            line = i + 2
            if not r:
                continue
            if len(r) != len(header):
                raise BadInput(f"{name}:{line}: {len(r)} fields, the header has {len(header)}")
            row = {c: r[col[c]].strip() for c in KEY_COLUMNS}
            for c in ("HO", "DO", "WinSZ", "SZ"):
                row[c] = number(row[c], name, line, c, True)
            for column, quantity, key in quantities:
                # a latency test's file holds latency columns, a bandwidth test's bandwidth
                if (quantity == "bw_gbps") != row["Test"].startswith("BW_"):
                    continue
                p = Point(name, line, row, quantity, number(r[col[column]], name, line, column, False))
                p.json_key = key
                rows.append(p)
        points[name] = rows
    return points, cdfs, ignored


def label_distributions(cdfs, points_by_file):
    """{cdf file: [Distribution]}. X_cdf.csv is taken as the distributions of X.csv's rows, in
    order (pcie-bench writes them so), if it holds one per row and each starts at its row's
    Min(ns): each is then named by its row and paired with the row's Point (its lat_med_ns, whose
    dma-bench call gives the model's CDF); otherwise they are numbered and not modelled."""
    out = OrderedDict()
    for name, dists in cdfs.items():
        ds = [Distribution(name, i, rows) for i, rows in enumerate(dists)]
        out[name] = ds
        sibling = name[:-len("_cdf.csv")] + ".csv" if name.endswith("_cdf.csv") else None
        if sibling is None:
            why = "no point file to pair it with (the name is not X_cdf.csv)"
        elif sibling not in points_by_file:
            why = f"no point file {sibling} to pair it with"
        else:
            by_line = OrderedDict()
            for p in points_by_file[sibling]:
                by_line.setdefault(p.line, []).append(p)
            mins = {p.line: p.measured for p in points_by_file[sibling] if p.quantity == "lat_min_ns"}
            rows = list(by_line.values())
            if len(rows) != len(ds):
                why = f"{sibling} has {len(rows)} rows, {name} {len(ds)} distributions"
            elif not all(abs(mins.get(r[0].line, -9) - d.rows[0][0]) < 1 for r, d in zip(rows, ds)):
                why = f"their minima are not the Min(ns) of {sibling}'s rows"
            else:
                why = None
                for r, d in zip(rows, ds):
                    p = next((p for p in r if p.quantity == "lat_med_ns"), r[0])
                    d.point = p
                    d.label = f"{p.test} {p.pattern} {p.cache} window={byte_size(p.window)} size={p.size}"
        if why:
            for d in ds:
                d.reason = "cannot be paired with a row: " + why
    return out


def model_distributions(cdfs, options, results):
    """Compare each paired distribution with the model's CDF of its row's point (results: the
    dma-bench objects by (call key, size, window)), or say why not."""
    for d in (d for ds in cdfs.values() for d in ds):
        if d.reason:
            continue
        if "cdf" not in options:
            d.reason = "dma-bench has no --cdf (it prints no latency distribution)"
        elif d.point.run is None:
            d.reason = "as its row: " + (d.point.reason or "?")
        elif not results[d.point.run].get("lat_cdf"):
            d.reason = "dma-bench printed no lat_cdf for its point"
        else:
            d.compare([(float(ns), float(f)) for ns, f in results[d.point.run]["lat_cdf"]])


def plan(points, options, cache_choices):
    """Decide for every point how dma-bench runs it, or why it cannot. Returns the dma-bench
    calls: {call key: set of (size, window)}."""
    has_offsets = "host-offset" in options and "device-offset" in options
    calls = defaultdict(set)
    for p in points:
        if p.test.startswith("LAT_CMD_"):
            p.reason = "NFP command interface (LAT_CMD_*), not the DMA engines"
            continue
        if p.test not in DMA_TESTS:
            p.reason = f"pcie-bench test {p.test} has no dma-bench counterpart"
            continue
        op, metric = DMA_TESTS[p.test]
        if p.pattern not in PATTERNS:
            p.reason = f"address pattern '{p.pattern}' (dma-bench: Rand, Seq)"
            continue
        if (p.ho or p.do) and not has_offsets:
            p.reason = "offset within a cache line: dma-bench has no --host-offset/--device-offset"
            continue
        cache = None
        if "cache" in options:
            cache = CACHE_STATES.get(p.cache)
            if cache not in cache_choices:
                p.reason = (f"cache {p.cache} ({CACHE_MEANING.get(p.cache, 'unknown state')}): "
                            f"dma-bench --cache has {', '.join(cache_choices)}")
                continue
        elif p.cache != "HWarm":
            p.reason = (f"cache {p.cache} ({CACHE_MEANING.get(p.cache, 'unknown state')}): dma-bench "
                        "has no --cache, its host cache is warm")
            continue
        if p.size < 1 or p.size > MAX_SIZE:
            p.reason = f"size {p.size} B outside dma-bench's 1 B .. 1 MiB"
            continue
        if p.window < p.size or p.window > MAX_WINDOW:
            p.reason = f"window {p.window} B smaller than the size or above 1 TiB"
            continue
        key = (op, metric, PATTERNS[p.pattern], cache, p.ho if has_offsets else None,
               p.do if has_offsets else None)
        p.run = (key, p.size, p.window)
        calls[key].add((p.size, p.window))
    return calls


def batches(pairs):
    """Split (size, window) pairs into dma-bench calls (sizes x windows each) running nothing
    that was not asked for: one call if the pairs are a full cross product, else one list of
    sizes per window or of windows per size, whichever needs fewer calls."""
    sizes = sorted({s for s, _ in pairs})
    windows = sorted({w for _, w in pairs})
    if len(sizes) * len(windows) == len(pairs):
        groups = [(sizes, windows)]
    else:
        by_w = defaultdict(list)
        by_s = defaultdict(list)
        for s, w in sorted(pairs):
            by_w[w].append(s)
            by_s[s].append(w)
        if len(by_w) <= len(by_s):
            groups = [(ss, [w]) for w, ss in sorted(by_w.items())]
        else:
            groups = [([s], ws) for s, ws in sorted(by_s.items())]
    out = []
    for ss, ws in groups:  # at most BATCH points a call
        if len(ss) >= len(ws):
            step = max(1, BATCH // len(ws))
            out += [(ss[i:i + step], ws) for i in range(0, len(ss), step)]
        else:
            step = max(1, BATCH // len(ss))
            out += [(ss, ws[i:i + step]) for i in range(0, len(ws), step)]
    return out


def command(program, args, key, sizes, windows):
    op, metric, pattern, cache, ho, do = key
    cmd = [program, f"--preset={args.preset}", f"--op={op}", f"--metric={metric}", f"--pattern={pattern}",
           f"--iommu={args.iommu_on}", f"--page-size={args.page_size}",
           "--size=" + ",".join(map(str, sizes)), "--window=" + ",".join(map(str, windows))]
    if cache is not None:
        cmd.append(f"--cache={cache}")
    if ho is not None:
        cmd += [f"--host-offset={ho}", f"--device-offset={do}"]
    if args.ops:
        cmd.append(f"--ops={args.ops}")
    if metric == "lat" and args.cdf:
        cmd.append("--cdf=on")
    return cmd + args.ns3


def run_call(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)}: exit code {r.returncode}: {r.stderr.strip()}")
    return {(o["size"], o["window"]): o for o in (json.loads(x) for x in r.stdout.splitlines() if x)}


def run_model(program, args, calls):
    """Run every call; returns {(call key, size, window): dma-bench's JSON object}."""
    jobs = [(key, command(program, args, key, ss, ws)) for key, pairs in calls.items()
            for ss, ws in batches(pairs)]
    results = {}
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for (key, _), out in zip(jobs, pool.map(lambda j: run_call(j[1]), jobs)):
            for (size, window), obj in out.items():
                results[(key, size, window)] = obj
    return results


def fmt(v, digits=1):
    return "-" if v is None else f"{v:.{digits}f}"


TABLE_COLUMNS = ("file", "line", "test", "pattern", "cache", "host_offset", "device_offset", "window",
                 "size", "quantity", "measured", "model", "error_pct", "status")


def table_rows(points):
    for p in points:
        yield (p.file, p.line, p.test, p.pattern, p.cache, p.ho, p.do, p.window, p.size, p.quantity,
               round(p.measured, 3), None if p.model is None else round(p.model, 3),
               None if p.error_pct is None else round(p.error_pct, 2),
               "ok" if p.reason is None else "not modelled: " + p.reason)


def cdf_rows(cdfs):
    """The table rows of the distributions (TABLE_COLUMNS): a modelled one shows the measured and
    the model's quantile where they differ most (line and F of that CDF row); the key columns are
    its row's when it is paired with one."""
    for d in (d for ds in cdfs.values() for d in ds):
        p = d.point
        key = (p.pattern, p.cache, p.ho, p.do, p.window, p.size) if p else ("",) * 6
        if d.worst is not None:
            f, measured, model, line = d.worst
            yield (d.file, line, "(cdf)", *key, f"cdf q{fraction(f)}", round(measured, 3), round(model, 3),
                   round((model - measured) / measured * 100.0, 2), "ok")
        else:
            yield (d.file, d.rows[0][2], "(cdf)", *key, "cdf", None, None, None,
                   f"not modelled: {d.reason}")


def print_table(points, cdfs, out):
    widths = (31, 4, 12, 4, 7, 3, 3, 9, 5, 11, 9, 9, 7)
    head = ("file", "line", "test", "pat", "cache", "ho", "do", "window", "size", "quantity", "measured",
            "model", "err%")
    out.write(" ".join(h.ljust(w) if i < 10 else h.rjust(w) for i, (h, w) in enumerate(zip(head, widths)))
              + "  note\n")
    for r in table_rows(points):
        cells = [str(c) for c in r[:10]] + [fmt(r[10], 2), fmt(r[11], 2), fmt(r[12], 1)]
        out.write(" ".join(c.ljust(w) if i < 10 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))
                  + ("" if r[13] == "ok" else "  " + r[13]) + "\n")
    for d, r in zip((d for ds in cdfs.values() for d in ds), cdf_rows(cdfs)):
        cells = [str(c) for c in r[:10]] + [fmt(r[10], 2), fmt(r[11], 2), fmt(r[12], 1)]
        note = f"latency distribution of {d.label}, {len(d.rows)} CDF rows"
        if d.worst is not None:
            note += f", largest error at F={fraction(d.worst[0])}"
        else:
            note += f"; {r[13]}"
        out.write(" ".join(c.ljust(w) if i < 10 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))
                  + "  " + note + "\n")


def summarize(points, cdfs):
    """Summary rows by (test, quantity): points, modelled, not modelled, median and max |error| %,
    modelled within 10%."""
    by_test = OrderedDict()
    for p in points:
        by_test.setdefault(p.test, []).append(p)
    groups = OrderedDict()
    for test, ps in by_test.items():
        if all(p.model is None for p in ps):  # nothing of the test modelled: one line, per row
            rows_of_test = OrderedDict(((p.file, p.line), p) for p in ps)
            groups[(test, "all")] = list(rows_of_test.values())
            continue
        for p in ps:
            groups.setdefault((test, p.quantity), []).append(p)
    rows = []
    for (test, quantity), ps in groups.items():
        errs = [abs(p.error_pct) for p in ps if p.error_pct is not None]
        rows.append(dict(test=test, quantity=quantity, points=len(ps), modelled=len(errs),
                         not_modelled=len(ps) - len(errs),
                         median_abs_err_pct=statistics.median(errs) if errs else None,
                         max_abs_err_pct=max(errs) if errs else None,
                         within_10pct=sum(e <= WITHIN_PCT for e in errs)))
    for name, dists in cdfs.items():
        errs = [d.error_pct for d in dists if d.error_pct is not None]
        rows.append(dict(test=f"(cdf) {name}", quantity="cdf", points=len(dists), modelled=len(errs),
                         not_modelled=len(dists) - len(errs),
                         median_abs_err_pct=statistics.median(errs) if errs else None,
                         max_abs_err_pct=max(errs) if errs else None,
                         within_10pct=sum(e <= WITHIN_PCT for e in errs)))
    return rows


def print_summary(rows, points, cdfs, header, out):
    out.write(f"\nsummary: {header}\n")
    out.write(f"{'test':34} {'quantity':11} {'points':>6} {'modelled':>8} {'not_mod':>7} "
              f"{'med|err|%':>9} {'max|err|%':>9} {'<=10%':>6}\n")
    for r in rows:
        out.write(f"{r['test']:34} {r['quantity']:11} {r['points']:6d} {r['modelled']:8d} {r['not_modelled']:7d} "
                  f"{fmt(r['median_abs_err_pct']):>9} {fmt(r['max_abs_err_pct']):>9} {r['within_10pct']:6d}\n")
    reasons = not_modelled(points, cdfs)
    if reasons:
        out.write("not modelled (data rows):\n")
        for why, n in reasons:
            out.write(f"  {n:5d}  {why}\n")


def not_modelled(points, cdfs):
    """[(reason, data rows it concerns)], most rows first."""
    reasons = defaultdict(set)
    for p in points:
        if p.reason:
            reasons[p.reason].add((p.file, p.line))
    reasons = {why: len(rows) for why, rows in reasons.items()}
    for d in (d for ds in cdfs.values() for d in ds):
        if d.reason:
            why = "latency distribution (CDF): " + d.reason
            reasons[why] = reasons.get(why, 0) + 1
    return sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))


def write_markdown(path, rows, reasons, header):
    with open(path, "w") as f:
        f.write(f"Summary: {header}.\n\n")
        f.write("| test | quantity | points | modelled | not modelled | median abs. error | max abs. error "
                "| within 10% |\n|---|---|---|---|---|---|---|---|\n")
        for r in rows:
            pct = ["-" if r[k] is None else f"{r[k]:.1f}%" for k in ("median_abs_err_pct", "max_abs_err_pct")]
            f.write(f"| {r['test']} | {r['quantity']} | {r['points']} | {r['modelled']} | {r['not_modelled']} "
                    f"| {pct[0]} | {pct[1]} | {r['within_10pct']} |\n")
        if reasons:
            f.write("\nNot modelled (data rows):\n\n")
            for why, n in reasons:
                f.write(f"- {n}: {why}\n")


def write_csv(path, points, cdfs):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(TABLE_COLUMNS)
        for r in table_rows(points):
            w.writerow(["" if c is None else c for c in r])
        for r in cdf_rows(cdfs):
            w.writerow(["" if c is None else c for c in r])


def byte_size(n):
    """64 -> "64", 8192 -> "8KiB", 67108864 -> "64MiB" (as dma-bench writes sizes)."""
    for unit, bits in (("GiB", 30), ("MiB", 20), ("KiB", 10)):
        if n and n % (1 << bits) == 0:
            return f"{n >> bits}{unit}"
    return str(n)


def plot_files(out_dir, points_by_file, cdfs, title):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    os.makedirs(out_dir, exist_ok=True)
    written = []
    for name, points in points_by_file.items():
        primary = "bw_gbps" if any(p.quantity == "bw_gbps" for p in points) else "lat_med_ns"
        ps = [p for p in points if p.quantity == primary]
        if not ps:
            continue
        attrs = ("test", "pattern", "cache", "size", "window", "ho", "do")
        varying = [a for a in attrs if len({getattr(p, a) for p in ps}) > 1]
        if "ho" in varying and "do" in varying and all(p.ho == 0 or p.do == 0 for p in ps):
            # offset files: host offsets (device offset 0) and device offsets (host offset 0)
            panels = [("host offset (B), device offset 0", "ho", [p for p in ps if p.do == 0]),
                      ("device offset (B), host offset 0", "do", [p for p in ps if p.ho == 0])]
        else:
            numeric = [a for a in ("size", "window", "ho", "do") if a in varying] or ["size"]
            x = max(numeric, key=lambda a: len({getattr(p, a) for p in ps}))
            label = {"size": "transfer size (B)", "window": "window (B)", "ho": "host offset (B)",
                     "do": "device offset (B)"}[x]
            panels = [(label, x, ps)]
        fig, axes = plt.subplots(1, len(panels), figsize=(7.5 * len(panels), 5.0), squeeze=False)
        for ax, (xlabel, x, pp) in zip(axes[0], panels):
            draw_panel(ax, pp, x, xlabel, varying, primary)
        missing = [p for p in ps if p.model is None]
        note = ""
        if missing:
            whys = sorted({p.reason for p in missing if p.reason})
            note = "\n".join(textwrap.wrap(f"{len(missing)} of {len(ps)} points not modelled: " + "; ".join(whys),
                                           width=int(150 * len(panels))))
        fig.suptitle(f"{name}\n{title}", fontsize=9)
        fig.text(0.01, 0.01, note, fontsize=6.5, va="bottom")
        fig.tight_layout(rect=(0, 0.025 * (note.count("\n") + 1) + 0.01 if note else 0, 1, 1))
        path = os.path.join(out_dir, os.path.splitext(name)[0] + ".png")
        fig.savefig(path, dpi=110)
        plt.close(fig)
        written.append(path)
    for name, dists in cdfs.items():
        path = os.path.join(out_dir, os.path.splitext(name)[0] + ".png")
        plot_distributions(plt, Line2D, path, name, dists, title)
        written.append(path)
    return written


def draw_panel(ax, pp, x, xlabel, varying, primary):
    """One panel of a point file's plot: a colour per series (the varying columns but x and the
    offsets), measured solid with dots, model dashed with crosses. Series drawn on one another
    (the same values, or within 1% of the panel's range) stay visible (plot_overlap: a covered
    series is drawn again beneath, larger, where later ones cover it; values never moved), and
    the legend's title names the series whose values are the same."""
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    import plot_overlap

    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    series = OrderedDict()
    for p in sorted(pp, key=lambda p: tuple(getattr(p, a) for a in varying)):
        k = tuple((a, getattr(p, a)) for a in varying if a not in ("ho", "do", x))
        series.setdefault(k, []).append(p)
    handles, drawn = [], {"measured": [], "model": []}
    for i, (k, sp) in enumerate(series.items()):
        sp.sort(key=lambda p: getattr(p, x))
        c = colors[i % len(colors)]
        lab = " ".join(f"{v}" if a in ("test", "cache", "pattern") else f"{a}={byte_size(v)}"
                       for a, v in k) or "data"
        xy = [(getattr(p, x), p.measured) for p in sp]
        ax.plot(*zip(*xy), "o-", color=c, ms=3.5, lw=1)
        drawn["measured"].append((lab, xy, dict(color=c, marker="o", linestyle="-")))
        m = [p for p in sp if p.model is not None]
        if m:
            xy = [(getattr(p, x), p.model) for p in m]
            ax.plot(*zip(*xy), "x--", color=c, ms=5, lw=1)
            drawn["model"].append((lab, xy, dict(color=c, marker="x", linestyle="--")))
        handles.append(Line2D([], [], color=c, lw=2, label=lab + ("" if m else " (not modelled)")))
    # Points closer than about a marker (1% of the panel's range) hide one another.
    ys = [y for kind in drawn.values() for _, xy, _ in kind for _, y in xy]
    ytol = 0.01 * (max(ys) - min(ys))
    plot_overlap.underlay(ax, drawn["measured"], 3.5, 1, ytol=ytol)
    plot_overlap.underlay(ax, drawn["model"], 5, 1, ytol=ytol)
    handles += [Line2D([], [], color="k", marker="o", ms=3.5, lw=1, label="measured"),
                Line2D([], [], color="k", marker="x", ls="--", ms=5, lw=1, label="model")]
    same = plot_overlap.note([((kind, lab), xy) for kind in ("measured", "model") for lab, xy, _ in drawn[kind]],
                             name=lambda key: key[1], kind=lambda key: key[0])
    xs = [getattr(p, x) for p in pp]
    if min(xs) > 0 and max(xs) / min(xs) >= 16:
        ax.set_xscale("log", base=2)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("bandwidth (Gb/s)" if primary == "bw_gbps" else "median latency (ns)")
    ax.grid(True, alpha=0.3)
    ax.legend(handles=handles, fontsize=6.5, loc="upper left", bbox_to_anchor=(1.01, 1.0),
              title="\n".join(textwrap.wrap(same, width=34)) or None, title_fontsize=6.5)


def short_label(d):
    """A panel title: "RD Rand Cold 8KiB 64B" for a paired distribution, else its number."""
    p = d.point
    if p is None:
        return d.label
    test = p.test.replace("LAT_DMA_", "").replace("LAT_CMD_", "CMD ")
    size = byte_size(p.size)
    return f"{test} {p.pattern} {p.cache} {byte_size(p.window)} {size}{'' if size[-1].isalpha() else 'B'}"


def plot_distributions(plt, Line2D, path, name, dists, title):
    """One panel per distribution: measured CDF (steps, solid) and the model's (dashed, same
    colour), x from a bit below the smaller minimum to a bit above the larger p99.9 of the two."""
    cols = min(4, len(dists))
    nrows = (len(dists) + cols - 1) // cols
    fig, axes = plt.subplots(nrows, cols, figsize=(3.1 * cols + 0.4, 2.35 * nrows + 1.0), squeeze=False)
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    note_box = dict(facecolor="white", alpha=0.8, edgecolor="none", pad=1.0)
    for i, d in enumerate(dists):
        ax = axes[i // cols][i % cols]
        c = colors[i % len(colors)]
        measured = [(r[0], r[1]) for r in d.rows]
        ax.plot([r[0] for r in measured], [r[1] for r in measured], "-", color=c, lw=1.2, drawstyle="steps-post")
        lo, hi = measured[0][0], quantile(measured, CDF_MAX_F)
        if d.model_cdf:
            model = [(d.model_cdf[0][0], 0.0)] + d.model_cdf
            ax.plot([r[0] for r in model], [r[1] for r in model], "--", color=c, lw=1.2, drawstyle="steps-post")
            lo, hi = min(lo, model[0][0]), max(hi, quantile(d.model_cdf, CDF_MAX_F))
        pad = max(0.08 * (hi - lo), 5.0)
        ax.set_xlim(lo - pad, hi + pad)
        ax.set_ylim(0, 1.02)
        ax.set_title(short_label(d), fontsize=8)
        ax.tick_params(labelsize=7)
        ax.grid(True, alpha=0.3)
        if d.error_pct is not None:
            ax.text(0.97, 0.05, f"max err {d.error_pct:.1f}%\nat F={fraction(d.worst[0])}", transform=ax.transAxes,
                    ha="right", va="bottom", fontsize=6.5, bbox=note_box)
        else:
            ax.text(0.97, 0.05, "\n".join(textwrap.wrap("not modelled: " + d.reason, width=34)),
                    transform=ax.transAxes, ha="right", va="bottom", fontsize=5.5, color="0.3", bbox=note_box)
        if i % cols == 0:
            ax.set_ylabel("CDF", fontsize=7)
        if i // cols == nrows - 1 or i + cols >= len(dists):
            ax.set_xlabel("latency (ns)", fontsize=7)
    for j in range(len(dists), nrows * cols):
        axes[j // cols][j % cols].set_visible(False)
    handles = [Line2D([], [], color="k", lw=1.2, label="measured"),
               Line2D([], [], color="k", lw=1.2, ls="--", label="model")]
    fig.legend(handles=handles, loc="upper right", fontsize=7.5, ncol=2, frameon=False)
    fig.suptitle(f"{name}\n{title}; x: up to the larger p99.9", fontsize=9)
    fig.tight_layout()  # leaves room for the suptitle
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv):
    args = parse_args(argv)
    directory = args.dir.rstrip("/") or "/"
    if not os.path.isdir(directory):
        raise BadInput(f"{args.dir}: no such directory")
    points_by_file, cdfs, ignored = read_dir(directory)
    cdfs = label_distributions(cdfs, points_by_file)
    if not points_by_file and not cdfs:
        raise BadInput(f"{args.dir}: no pcie-bench CSV file in it (a header with "
                       f"{', '.join(KEY_COLUMNS)} and BW (GB/s) or Med(ns), or cycles,ns,cdf)")
    for path in (args.csv, args.markdown, args.out):
        parent = os.path.dirname(os.path.abspath(path)) if path else None
        if parent and not os.path.isdir(parent):
            raise BadInput(f"{path}: directory {parent} does not exist")
    program = os.path.join(args.build_dir, "bin", "dma-bench")
    options = ask_dma_bench(program)
    presets = options.get("preset", {}).get("choices", [])
    if args.preset not in presets:
        raise BadInput(f"--preset={args.preset}: unknown preset; allowed: {', '.join(presets)}")
    # dma-bench checks the --ns3:: options (and the preset) itself: one tiny point first
    check = subprocess.run([program, f"--preset={args.preset}", "--ops=1", "--warmup=1", "--size=64",
                            "--window=4KiB"] + args.ns3, capture_output=True, text=True)
    if check.returncode == 2:
        lines = check.stderr.strip().splitlines()
        raise BadInput(lines[0] if lines else "dma-bench refused the options")
    if check.returncode != 0:
        raise RuntimeError(f"dma-bench: exit code {check.returncode}: {check.stderr.strip()}")
    base = os.path.basename(os.path.abspath(directory))
    if args.iommu == "auto":
        args.iommu_on = "on" if re.search("iommu", base, re.I) else "off"
        says = "says" if args.iommu_on == "on" else "does not say"
        iommu_note = f"IOMMU {args.iommu_on} (auto: the directory's name {says} iommu)"
    else:
        args.iommu_on = args.iommu
        iommu_note = f"IOMMU {args.iommu_on} (--iommu)"
    for name, why in ignored:
        print(f"validate-pciebench: ignored {name}: not a pcie-bench point file ({why})", file=sys.stderr)

    points = [p for ps in points_by_file.values() for p in ps]
    args.cdf = "cdf" in options  # latency calls print the CDF (an older dma-bench cannot)
    # --cache=warm|cold (issue 10); a dma-bench that lists no choices is taken at that word
    cache_choices = (options["cache"].get("choices") or ["warm", "cold"]) if "cache" in options else []
    calls = plan(points, options, cache_choices)
    results = run_model(program, args, calls)
    for p in points:
        if p.run is None:
            continue
        obj = results[p.run]
        if obj.get(p.json_key) is None:
            p.reason = f"dma-bench prints no {p.json_key}"
            p.run = None
        else:
            p.model = float(obj[p.json_key])
    model_distributions(cdfs, options, results)

    header = f"{base}, preset {args.preset}, {iommu_note}, page size {args.page_size}"
    if args.ns3:
        header += ", " + " ".join(args.ns3)
    if not args.summary_only:
        print(f"# {header}")
        print_table(points, cdfs, sys.stdout)
    print_summary(summarize(points, cdfs), points, cdfs, header, sys.stdout)
    if args.csv:
        write_csv(args.csv, points, cdfs)
    if args.markdown:
        write_markdown(args.markdown, summarize(points, cdfs), not_modelled(points, cdfs), header)
    if args.out:
        title = f"{base}; preset {args.preset}; IOMMU {args.iommu_on}"
        for path in plot_files(args.out, points_by_file, cdfs, title):
            print(f"validate-pciebench: wrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except BadInput as e:
        print(f"validate-pciebench: {e}", file=sys.stderr)
        sys.exit(2)
    except (RuntimeError, OSError) as e:
        print(f"validate-pciebench: error: {e}", file=sys.stderr)
        sys.exit(1)
