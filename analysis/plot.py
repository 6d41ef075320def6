#!/usr/bin/python3
"""Plots and a summary table from a sriov-vmcomm results database.

  plot.py DB [--out DIR]

Writes PNG files into DIR (default: a 'plots' directory beside DB) and prints a table per mode
on stdout. Only runs with status ok are used; repetitions (RngRun) are averaged over. Runs that
differ in any other parameter besides the mode and the frame size (a sweep's other [vary]
entries: --nics, --load, an ns-3 attribute...) are separate series, labelled with it:
"vf-dma (nics=2)". A plot whose data the database does not have is skipped with a note saying
what is missing. Exit status: 0 done (even if some plots were skipped), 2 the database is
missing, unreadable or of a newer schema version.

Files: latency-cdf.png, throughput-vs-size.png, p99-latency-vs-size.png, speedup.png,
cpu-per-gbps.png, iotlb-hit-rate.png, pcie-utilization.png.
"""

import argparse
import collections
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import vmcomm_db  # noqa: E402

# Presentation order (DESIGN.md section 1); modes not listed follow in alphabetical order.
MODE_ORDER = ("vf-dma", "veb", "vepa", "vswitch-kernel", "vswitch-dpdk", "vswitch-offload")
SIZE_PARAMS = ("size", "frame-size")
# Parameters that never make a series of their own: plotted (mode, size) or averaged over
# (repetitions), or bookkeeping of the sweep.
NOT_SERIES = {"mode", "RngRun", "RngSeed", "point", "db", "quiet", *SIZE_PARAMS}
# Host-core seconds spent forwarding, one counter per host (poll-mode cores count whole).
CPU_COUNTER_SQL = "(name = 'forwarding_core_seconds')"


class Skip(Exception):
    """A plot that cannot be drawn from this database; the message says what is missing."""


def mode_key(label):
    """Sort key of a series label "MODE" or "MODE (name=value ...)": mode order, then label."""
    mode = label.split(" ", 1)[0]
    return (MODE_ORDER.index(mode), label) if mode in MODE_ORDER else (len(MODE_ORDER), label)


def variant_of(label):
    """The " (name=value ...)" part of a series label, or ""."""
    return label[len(label.split(" ", 1)[0]):]


def hist_percentile(buckets, q):
    """Percentile q (0..1) of a histogram [(lo, hi, count)], linear inside the bucket."""
    total = sum(c for _, _, c in buckets)
    if total <= 0:
        return None
    target = q * total
    seen = 0
    for lo, hi, count in sorted(buckets):
        if count and seen + count >= target:
            return lo + (hi - lo) * (target - seen) / count
        seen += count
    return sorted(buckets)[-1][1]


def mean(values):
    values = [v for v in values if v is not None]
    return statistics.fmean(values) if values else None


class Results:
    """The ok runs of a database with the per-run numbers the plots need."""

    def __init__(self, conn):
        self.failed = conn.execute("SELECT COUNT(*) FROM runs WHERE status = 'failed'").fetchone()[0]
        self.runs = {}
        for run_id, mode, sim_s in conn.execute(
            "SELECT id, mode, sim_seconds FROM runs WHERE status = 'ok' ORDER BY id"
        ):
            self.runs[run_id] = dict(mode=mode, sim_s=sim_s, params={}, hist=[])
        for run_id, name, value in conn.execute("SELECT run_id, name, value FROM run_params"):
            if run_id in self.runs:
                self.runs[run_id]["params"][name] = value
        for run in self.runs.values():
            run["mode"] = run["mode"] or run["params"].get("mode") or "(no mode)"
            run["size"] = self._size(run["params"])
        self._label_series()
        self._flows(conn)
        for run_id, lo, hi, count in conn.execute(
            "SELECT run_id, lo_ns, hi_ns, count FROM latency_hist WHERE flow_id = -1"
        ):
            if run_id in self.runs:
                self.runs[run_id]["hist"].append((lo, hi, count))
        for run in self.runs.values():
            if run["hist"]:
                run["p50"] = hist_percentile(run["hist"], 0.50)
                run["p99"] = hist_percentile(run["hist"], 0.99)
        self._counters(conn)

    def _label_series(self):
        """Add to each run's mode the parameters that vary between runs, so that a sweep over
        them is not averaged into one series."""
        names = {n for run in self.runs.values() for n in run["params"]} - NOT_SERIES
        varying = sorted(n for n in names
                         if len({run["params"].get(n) for run in self.runs.values()}) > 1)
        for run in self.runs.values():
            parts = [f"{name.split('::')[-1]}={run['params'][name]}"
                     for name in varying if name in run["params"]]
            if parts:
                run["mode"] += " (" + " ".join(parts) + ")"

    @staticmethod
    def _size(params):
        for name in SIZE_PARAMS:
            if name in params:
                try:
                    return float(params[name])
                except ValueError:
                    return None
        return None

    def _flows(self, conn):
        per_run = collections.defaultdict(list)
        for row in conn.execute("SELECT run_id, throughput_bps, rx_frames, lat_p50_ns, lat_p99_ns FROM flows"):
            if row[0] in self.runs:
                per_run[row[0]].append(row[1:])
        for run_id, run in self.runs.items():
            flows = per_run.get(run_id)
            run["gbps"] = None
            run["p50"] = run["p99"] = None
            if not flows:
                continue
            tput = [f[0] for f in flows if f[0] is not None]
            run["gbps"] = sum(tput) / 1e9 if tput else None
            # Without an all-flows histogram: frame-weighted mean of the flows' percentiles (an
            # approximation; exact when there is one flow). The histogram overrides it later.
            for key, idx in (("p50", 2), ("p99", 3)):
                pairs = [(f[1] or 0, f[idx]) for f in flows if f[idx] is not None]
                weight = sum(w for w, _ in pairs)
                if pairs:
                    run[key] = (sum(w * v for w, v in pairs) / weight if weight
                                else statistics.fmean(v for _, v in pairs))

    def _counters(self, conn):
        for run in self.runs.values():
            run.update(cpu_s=None, hits=None, misses=None, up=[], down=[])
        for run_id, total in conn.execute(
            f"SELECT run_id, SUM(value) FROM counters WHERE {CPU_COUNTER_SQL} GROUP BY run_id"
        ):
            if run_id in self.runs:
                self.runs[run_id]["cpu_s"] = total
        for run_id, name, total in conn.execute(
            "SELECT run_id, name, SUM(value) FROM counters WHERE name IN ('iotlb_hits', 'iotlb_misses') "
            "GROUP BY run_id, name"
        ):
            if run_id in self.runs:
                self.runs[run_id]["hits" if name == "iotlb_hits" else "misses"] = total
        for run_id, name, value in conn.execute(
            "SELECT run_id, name, value FROM counters WHERE name IN ('up_utilization', 'down_utilization')"
        ):
            if run_id in self.runs:
                self.runs[run_id]["up" if name.startswith("up") else "down"].append(value)
        self.cpu_missing = 0
        any_cpu = any(r["cpu_s"] is not None for r in self.runs.values())
        for run in self.runs.values():
            if run["cpu_s"] is None and any_cpu:
                # A mode with no software switch writes no CPU counter: it used no host core.
                run["cpu_s"] = 0.0
                self.cpu_missing += 1
            run["cores"] = (run["cpu_s"] / run["sim_s"]
                            if run["cpu_s"] is not None and run["sim_s"] else None)

    def modes(self):
        return sorted({r["mode"] for r in self.runs.values()}, key=mode_key)

    def by_mode(self, mode):
        return [r for r in self.runs.values() if r["mode"] == mode]

    def sizes(self):
        return sorted({r["size"] for r in self.runs.values() if r["size"] is not None})

    def mean_of(self, runs, key):
        return mean(r[key] for r in runs)


# ---------------------------------------------------------------------------------------------
# Plots. Each takes (Results, plt, out_dir), returns the file written or raises Skip.


def _save(fig, out_dir, name):
    path = os.path.join(out_dir, name)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    import matplotlib.pyplot as plt

    plt.close(fig)
    return path


def plot_latency_cdf(res, plt, out_dir):
    fig, ax = plt.subplots(figsize=(7, 4.5))
    drawn = 0
    for mode in res.modes():
        buckets = collections.Counter()
        for run in res.by_mode(mode):
            for lo, hi, count in run["hist"]:
                buckets[(lo, hi)] += count
        total = sum(buckets.values())
        if not total:
            continue
        xs, ys, seen = [], [], 0
        for (lo, hi), count in sorted(buckets.items()):
            if not xs:
                xs.append(max(lo, 1e-3) / 1e3)
                ys.append(0.0)
            seen += count
            xs.append(hi / 1e3)
            ys.append(seen / total)
        ax.plot(xs, ys, drawstyle="steps-post", label=mode)
        drawn += 1
    if not drawn:
        plt.close(fig)
        raise Skip("no latency_hist rows with flow_id = -1 (all-flows histogram) in ok runs")
    ax.set_xscale("log")
    ax.set_xlabel("one-way latency (us)")
    ax.set_ylabel("fraction of frames")
    ax.set_ylim(0, 1.01)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    ax.set_title("Latency CDF per mode (all flows, all runs)")
    return _save(fig, out_dir, "latency-cdf.png")


def _size_series(res, key):
    """{mode: [(size, mean, min, max)]} of a per-run value, for runs with a frame size."""
    series = {}
    for mode in res.modes():
        per_size = collections.defaultdict(list)
        for run in res.by_mode(mode):
            if run["size"] is not None and run[key] is not None:
                per_size[run["size"]].append(run[key])
        if per_size:
            series[mode] = [(s, statistics.fmean(v), min(v), max(v)) for s, v in sorted(per_size.items())]
    return series


def _plot_vs_size(res, plt, out_dir, key, scale, ylabel, title, name):
    if not res.sizes():
        raise Skip(f"no frame size: no run has a run_params row named {' or '.join(SIZE_PARAMS)}")
    series = _size_series(res, key)
    if not series:
        raise Skip(f"no {ylabel} values (flows table or all-flows latency histogram) for runs with a frame size")
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for mode, points in series.items():
        sizes = [p[0] for p in points]
        means = [p[1] * scale for p in points]
        errs = [[(p[1] - p[2]) * scale for p in points], [(p[3] - p[1]) * scale for p in points]]
        ax.errorbar(sizes, means, yerr=errs, marker="o", capsize=3, label=mode)
    ax.set_xscale("log", base=2)
    ax.set_xticks(res.sizes())
    ax.set_xticklabels([f"{s:g}" for s in res.sizes()])
    ax.set_xlabel("frame size (bytes)")
    ax.set_ylabel(ylabel)
    ax.grid(True, alpha=0.3)
    ax.legend()
    ax.set_title(title + " (mean; bars: min-max over runs)")
    return _save(fig, out_dir, name)


def plot_throughput_vs_size(res, plt, out_dir):
    return _plot_vs_size(res, plt, out_dir, "gbps", 1.0, "throughput (Gb/s)",
                         "Throughput vs frame size", "throughput-vs-size.png")


def plot_p99_vs_size(res, plt, out_dir):
    return _plot_vs_size(res, plt, out_dir, "p99", 1e-3, "p99 latency (us)",
                         "p99 latency vs frame size", "p99-latency-vs-size.png")


def plot_speedup(res, plt, out_dir):
    modes = res.modes()
    # vf-dma against the vswitch modes of the same series (same other parameters).
    pairs = [(m, o) for m in modes if m.split(" ", 1)[0] == "vf-dma"
             for o in modes if o.startswith("vswitch") and variant_of(o) == variant_of(m)]
    missing = [what for what, ok in (("vf-dma runs", any(m.split(" ", 1)[0] == "vf-dma" for m in modes)),
                                     ("vswitch-* runs", any(m.startswith("vswitch") for m in modes)))
               if not ok]
    if missing or not pairs:
        raise Skip(f"needs vf-dma and vswitch-* runs of the same parameters; missing: "
                   f"{', '.join(missing) or 'a common series'}")
    # Compare at equal frame size when sizes exist, else over all runs of each mode.
    groups = res.sizes() or [None]

    def value(mode, size, key):
        runs = [r for r in res.by_mode(mode) if size is None or r["size"] == size]
        return res.mean_of(runs, key)

    fig, axes = plt.subplots(1, 2, figsize=(11, 4.5))
    width = 0.8 / len(pairs)
    drawn = 0
    for panel, (key, title, better) in enumerate((
        ("gbps", "throughput ratio vf-dma / vswitch", "higher"),
        ("p99", "p99 latency ratio vswitch / vf-dma", "higher"),
    )):
        ax = axes[panel]
        for i, (base, other) in enumerate(pairs):
            ratios = []
            for size in groups:
                a, b = value(base, size, key), value(other, size, key)
                if key == "gbps":
                    ratios.append(a / b if a and b else float("nan"))
                else:
                    ratios.append(b / a if a and b else float("nan"))
            drawn += sum(r == r for r in ratios)  # NaN != NaN
            ax.bar([g + i * width for g in range(len(groups))], ratios, width,
                   label=f"vs {other}" if base == "vf-dma" else f"{base} vs {other}")
        ax.set_xticks([g + width * (len(pairs) - 1) / 2 for g in range(len(groups))])
        ax.set_xticklabels([f"{s:g} B" if s is not None else "all runs" for s in groups])
        ax.axhline(1.0, color="black", linewidth=0.8)
        ax.set_ylabel(f"speedup of vf-dma ({better} is better)")
        ax.set_title(title)
        ax.grid(True, axis="y", alpha=0.3)
        ax.legend(fontsize="small")
    if not drawn:
        plt.close(fig)
        raise Skip("no throughput or latency values for vf-dma and vswitch-* at common frame sizes")
    return _save(fig, out_dir, "speedup.png")


def _bar_per_mode(ax, labels, values, ylabel, title):
    ax.bar(range(len(labels)), values)
    ax.set_xticks(range(len(labels)))
    ax.set_xticklabels(labels, rotation=20, ha="right")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(True, axis="y", alpha=0.3)


def plot_cpu_per_gbps(res, plt, out_dir):
    if all(r["cpu_s"] is None for r in res.runs.values()):
        raise Skip("no CPU counters (forwarding_core_seconds)")
    labels, values = [], []
    for mode in res.modes():
        per_run = [r["cores"] / r["gbps"] for r in res.by_mode(mode) if r["cores"] is not None and r["gbps"]]
        if per_run:
            labels.append(mode)
            values.append(statistics.fmean(per_run))
    if not labels:
        raise Skip("no run has CPU counters, simulated seconds (runs.sim_seconds) and throughput together")
    fig, ax = plt.subplots(figsize=(7, 4.5))
    _bar_per_mode(ax, labels, values, "host cores per Gb/s", "Host CPU per Gb/s of VM-to-VM throughput")
    return _save(fig, out_dir, "cpu-per-gbps.png")


def plot_iotlb(res, plt, out_dir):
    labels, values = [], []
    for mode in res.modes():
        rates = [r["hits"] / (r["hits"] + r["misses"]) for r in res.by_mode(mode)
                 if r["hits"] is not None and r["misses"] is not None and r["hits"] + r["misses"] > 0]
        if rates:
            labels.append(mode)
            values.append(100 * statistics.fmean(rates))
    if not labels:
        raise Skip("no IOTLB counters (counters named iotlb_hits and iotlb_misses)")
    fig, ax = plt.subplots(figsize=(7, 4.5))
    _bar_per_mode(ax, labels, values, "IOTLB hit rate (%)", "IOTLB hit rate per mode")
    ax.set_ylim(0, 100)
    return _save(fig, out_dir, "iotlb-hit-rate.png")


def plot_pcie(res, plt, out_dir):
    labels, up, down = [], [], []
    for mode in res.modes():
        runs = res.by_mode(mode)
        u = mean(mean(r["up"]) for r in runs)
        d = mean(mean(r["down"]) for r in runs)
        if u is not None or d is not None:
            labels.append(mode)
            up.append(100 * (u or 0))
            down.append(100 * (d or 0))
    if not labels:
        raise Skip("no PCIe counters (counters named up_utilization and down_utilization)")
    fig, ax = plt.subplots(figsize=(7, 4.5))
    x = range(len(labels))
    ax.bar([i - 0.2 for i in x], up, 0.4, label="upstream (NIC to host)")
    ax.bar([i + 0.2 for i in x], down, 0.4, label="downstream (host to NIC)")
    ax.set_xticks(list(x))
    ax.set_xticklabels(labels, rotation=20, ha="right")
    ax.set_ylabel("PCIe link utilization (%)")
    ax.set_title("PCIe utilization per mode (mean over links and runs)")
    ax.grid(True, axis="y", alpha=0.3)
    ax.legend()
    return _save(fig, out_dir, "pcie-utilization.png")


PLOTS = (
    ("latency CDF", plot_latency_cdf),
    ("throughput vs frame size", plot_throughput_vs_size),
    ("p99 latency vs frame size", plot_p99_vs_size),
    ("vf-dma speedup", plot_speedup),
    ("host CPU per Gb/s", plot_cpu_per_gbps),
    ("IOTLB hit rate", plot_iotlb),
    ("PCIe utilization", plot_pcie),
)


def summary_table(res):
    """Per-mode table: the numbers a reader checks first."""

    def fmt(value, scale=1.0, digits=2):
        return "-" if value is None else f"{value * scale:.{digits}f}"

    header = ("mode", "runs", "Gb/s", "p50 us", "p99 us", "CPU cores")
    rows = []
    for mode in res.modes():
        runs = res.by_mode(mode)
        rows.append((mode, str(len(runs)), fmt(res.mean_of(runs, "gbps")),
                     fmt(res.mean_of(runs, "p50"), 1e-3), fmt(res.mean_of(runs, "p99"), 1e-3),
                     fmt(res.mean_of(runs, "cores"))))
    widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]
    lines = ["  ".join(h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in enumerate(zip(header, widths)))]
    for row in rows:
        lines.append("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))))
    return "\n".join(lines)


def main(argv=None):
    p = argparse.ArgumentParser(prog="plot.py", description="Plots from a sriov-vmcomm results database.")
    p.add_argument("db", help="results database (SQLite)")
    p.add_argument("--out", help="directory for the PNG files (default: 'plots' beside DB)")
    args = p.parse_args(argv)
    try:
        conn = vmcomm_db.connect_readonly(args.db)
        res = Results(conn)
        conn.close()
    except vmcomm_db.DbError as e:
        print(f"plot: error: {e}", file=sys.stderr)
        return 2
    except Exception as e:  # e.g. a table missing from a damaged file
        print(f"plot: error: {args.db}: cannot read results: {e}", file=sys.stderr)
        return 2

    print(f"{args.db}: {len(res.runs)} ok runs" + (f", {res.failed} failed runs not shown" if res.failed else ""))
    if not res.runs:
        print("plot: no ok runs in the database: nothing to plot", file=sys.stderr)
        return 0
    print(summary_table(res))
    if res.cpu_missing:
        print(f"(CPU: {res.cpu_missing} runs without CPU counters counted as 0 host cores)")

    import matplotlib

    matplotlib.use("Agg")  # files only; no display needed (or wanted) on a cluster or in CI
    import matplotlib.pyplot as plt

    out_dir = args.out or os.path.join(os.path.dirname(os.path.abspath(args.db)), "plots")
    os.makedirs(out_dir, exist_ok=True)
    written = []
    for title, fn in PLOTS:
        try:
            written.append(fn(res, plt, out_dir))
        except Skip as e:
            print(f"plot: skipped {title}: {e}", file=sys.stderr)
    # dma-bench runs (the pcie-bench style microbenchmark) have their own plots.
    import plot_dma

    conn = vmcomm_db.connect_readonly(args.db)
    if plot_dma.has_dma_runs(conn):
        written += plot_dma.make_plots(conn, out_dir)
    conn.close()
    print(f"plot: wrote {len(written)} plots to {out_dir}", file=sys.stderr)
    for path in written:
        print(f"  {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
