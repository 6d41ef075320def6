#!/usr/bin/python3
"""Plots and a summary table from a sriov-vmcomm results database.

  plot.py DB [--out DIR]

Writes PNG files into DIR (default: a 'plots' directory beside DB) and prints a table per series
on stdout. Only runs with status ok are used; repetitions (RngRun) are averaged over. Runs that
differ in any parameter besides the repetition (frame size, --load, --nics, an ns-3
attribute...) are separate series, labelled with it: "vf-dma (nics=2 size=64)"; a plot leaves
out of the label only the parameter on its x axis.

Saturation (flows.saturated, doc/results.md): a saturated run measures the bottleneck and its
queues, not the path's steady state. Steady-state plots (latency CDF, vs frame size, speedup,
CPU, IOTLB, PCIe) leave saturated runs out, and when the load varies they use the lowest load
of the sweep only (the title says so); the load plot shows where each mode saturates (hollow
markers: saturated). The table has a column counting saturated runs.

Modes often give the same figures (vf-dma, veb, vepa): in the line plots every series has its
own marker (one colour per mode, one line style per variant), a series that later ones cover is
drawn again under them, with larger markers and a wider line where they cover it, so that it
shows around them (values unmoved), and the legend's title names the series whose values are
identical (plot_overlap.py).

A plot whose data the database does not have is skipped with a note saying what is missing.
Exit status: 0 done (even if some plots were skipped), 2 the database is missing, unreadable or
of another schema version.

Files: latency-cdf.png, throughput-vs-size.png, p99-latency-vs-size.png, speedup.png,
cpu-per-gbps.png, iotlb-hit-rate.png, pcie-utilization.png, load.png.
"""

import argparse
import collections
import os
import re
import statistics
import sys

import plot_overlap
import vmcomm_db

# Presentation order (doc/modes.md); modes not listed follow in alphabetical order.
MODE_ORDER = ("vf-dma", "veb", "vepa", "vswitch-kernel", "vswitch-dpdk", "vswitch-offload")
SIZE_PARAMS = ("size", "frame-size")
LOAD_PARAM = "load"
# Parameters that never make a series of their own: the mode (the label's first word), averaged
# over (repetitions), or bookkeeping of the sweep.
NOT_SERIES = {"mode", "RngRun", "RngSeed", "point", "db", "quiet"}
# Host-core seconds spent forwarding, one counter per host (poll-mode cores count whole).
CPU_COUNTER_SQL = "(name = 'forwarding_core_seconds')"


class Skip(Exception):
    """A plot that cannot be drawn from this database; the message says what is missing."""


def mode_key(label):
    """Sort key of a series label "MODE" or "MODE (name=value ...)": mode order, then label with
    numbers in numeric order (size=64 before size=1500)."""
    mode = label.split(" ", 1)[0]
    natural = tuple((0, float(t), "") if re.fullmatch(r"[0-9.]+", t) and t.count(".") <= 1 else (1, 0.0, t)
                    for t in re.split(r"([0-9.]+)", label) if t)
    return (MODE_ORDER.index(mode) if mode in MODE_ORDER else len(MODE_ORDER), natural)


def series_style(labels):
    """{label: (colour, linestyle)}: one colour per mode, one line style per variant (the
    " (name=value ...)" part), so that twelve series stay told apart in one legend."""
    variants = sorted({variant_of(l) for l in labels}, key=mode_key)
    styles = ("-", "--", ":", "-.")
    colours = ("tab:blue", "tab:green", "tab:purple", "tab:pink", "tab:olive", "tab:cyan")
    out = {}
    for label in labels:
        mode = label.split(" ", 1)[0]
        i = MODE_ORDER.index(mode) if mode in MODE_ORDER else len(MODE_ORDER)
        out[label] = (colours[i] if i < len(colours) else "tab:gray",
                      styles[variants.index(variant_of(label)) % len(styles)])
    return out


def variant_of(label):
    """The " (name=value ...)" part of a series label, or ""."""
    return label[len(label.split(" ", 1)[0]):]


def _legend(ax, series, **kwargs):
    """The legend, titled with the series [(label, [(x, y)])] whose values are identical
    (plot_overlap)."""
    title = plot_overlap.note(series)
    ax.legend(title=title or None, title_fontsize=kwargs.get("fontsize"), **kwargs)


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
            # nfv-bench points are not flows of a scenario: plot_nfv.py draws them.
            "SELECT id, mode, sim_seconds FROM runs WHERE status = 'ok' AND scenario != 'nfv-bench' ORDER BY id"
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
        """Label each run with its mode and the parameters that vary between runs, so that a
        sweep over them is not averaged into one series. run["mode"] is the full label;
        label(run, without) leaves out the parameters a plot has on an axis."""
        names = {n for run in self.runs.values() for n in run["params"]} - NOT_SERIES
        self.varying = sorted(n for n in names
                              if len({run["params"].get(n) for run in self.runs.values()}) > 1)
        for run in self.runs.values():
            run["base"] = run["mode"]
            run["mode"] = self.label(run)

    def label(self, run, without=()):
        parts = [f"{name.split('::')[-1]}={run['params'][name]}" for name in self.varying
                 if name in run["params"] and name not in without]
        return run["base"] + (" (" + " ".join(parts) + ")" if parts else "")

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
        for row in conn.execute("SELECT run_id, throughput_bps, rx_frames, lat_p50_ns, lat_p99_ns, "
                                "saturated, offered_bps, frame_bps FROM flows"):
            if row[0] in self.runs:
                per_run[row[0]].append(row[1:])
        for run_id, run in self.runs.items():
            flows = per_run.get(run_id)
            run["gbps"] = run["offered"] = run["carried"] = None
            run["p50"] = run["p99"] = None
            run["saturated"] = False
            if not flows:
                continue
            tput = [f[0] for f in flows if f[0] is not None]
            run["gbps"] = sum(tput) / 1e9 if tput else None
            run["saturated"] = any(f[4] for f in flows)
            offered = [f[5] for f in flows if f[5] is not None]
            carried = [f[6] for f in flows if f[6] is not None]
            run["offered"] = sum(offered) / 1e9 if offered else None
            run["carried"] = sum(carried) / 1e9 if carried else None
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
        busy = {}
        for run_id, total in conn.execute(
            "SELECT run_id, SUM(value) FROM counters WHERE name = 'cores_busy' GROUP BY run_id"
        ):
            busy[run_id] = total
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
        for run_id, run in self.runs.items():
            # Host cores busy over the traffic window (counters cores_busy), summed over hosts.
            run["cores"] = busy.get(run_id, 0.0 if run["cpu_s"] is not None else None)

    def modes(self):
        return sorted({r["mode"] for r in self.runs.values()}, key=mode_key)

    def by_mode(self, mode):
        return [r for r in self.runs.values() if r["mode"] == mode]

    def lowest_load(self):
        """The lowest --load of the sweep if the load varies (as a string), else None."""
        if LOAD_PARAM not in self.varying:
            return None
        loads = {r["params"][LOAD_PARAM] for r in self.runs.values() if LOAD_PARAM in r["params"]}
        return min(loads, key=_load_value)

    def steady(self):
        """A Results-like view for the steady-state plots: no saturated run, the lowest load."""
        view = Steady(self)
        return view

    def sizes(self):
        return sorted({r["size"] for r in self.runs.values() if r["size"] is not None})

    def mean_of(self, runs, key):
        return mean(r[key] for r in runs)


def _load_value(text):
    """A --load value as a number for ordering: a fraction, or a rate (10Gbps) in bit/s."""
    units = (("Gbps", 1e9), ("Mbps", 1e6), ("Kbps", 1e3), ("kbps", 1e3), ("bps", 1.0))
    for unit, scale in units:
        if text.endswith(unit):
            try:
                return float(text[: -len(unit)]) * scale
            except ValueError:
                return float("inf")
    try:
        return float(text)
    except ValueError:
        return float("inf")


class Steady:
    """The runs of a Results that measure steady state: not saturated, at the lowest load."""

    def __init__(self, res):
        load = res.lowest_load()
        self.note = f" at load={load}" if load is not None else ""
        self.left_out = sum(1 for r in res.runs.values() if r["saturated"])
        self.runs = {i: r for i, r in res.runs.items()
                     if not r["saturated"] and (load is None or r["params"].get(LOAD_PARAM) == load)}
        self.varying = res.varying
        self.label = res.label

    modes = Results.modes
    by_mode = Results.by_mode
    sizes = Results.sizes
    mean_of = Results.mean_of


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
    st = res.steady()
    fig, ax = plt.subplots(figsize=(8, 5))
    curves = []
    for mode in st.modes():
        buckets = collections.Counter()
        for run in st.by_mode(mode):
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
        curves.append((mode, list(zip(xs, ys))))
    drawn = len(curves)
    # Curves drawn on top of one another (modes with the same histogram): the covered one wider
    # where it is covered (plot_overlap).
    style = series_style([mode for mode, _ in curves])
    looks = [(mode, xy, dict(drawstyle="steps-post", color=style[mode][0], linestyle=style[mode][1]))
             for mode, xy in curves]
    for mode, xy, look in looks:
        ax.plot(*zip(*xy), label=mode, linewidth=1.5, **look)
    plot_overlap.underlay(ax, looks, 0, 1.5)
    if not drawn:
        plt.close(fig)
        raise Skip("no latency_hist rows with flow_id = -1 (all-flows histogram) in ok runs "
                   "that are not saturated")
    ax.set_xscale("log")
    ax.set_xlabel("one-way latency (us)")
    ax.set_ylabel("fraction of frames")
    ax.set_ylim(0, 1.01)
    ax.grid(True, which="both", alpha=0.3)
    _legend(ax, curves, fontsize="x-small", ncol=2 if drawn > 8 else 1)
    ax.set_title(f"Latency CDF, steady state{st.note} (saturated runs left out)", fontsize="medium")
    return _save(fig, out_dir, "latency-cdf.png")


def _size_series(st, key):
    """{series: [(size, mean, min, max)]} of a per-run value, for steady runs with a frame size;
    the series label leaves out the size (the x axis) and the load (one load only)."""
    per = collections.defaultdict(lambda: collections.defaultdict(list))
    for run in st.runs.values():
        if run["size"] is not None and run[key] is not None:
            per[st.label(run, without=(*SIZE_PARAMS, LOAD_PARAM))][run["size"]].append(run[key])
    return {label: [(s, statistics.fmean(v), min(v), max(v)) for s, v in sorted(per[label].items())]
            for label in sorted(per, key=mode_key)}


def _log_if_wide(ax, values):
    """Log y axis when the values span more than a decade (steady-state values stay readable)."""
    values = [v for v in values if v and v > 0]
    if values and max(values) / min(values) > 10:
        ax.set_yscale("log")


def _plot_vs_size(res, plt, out_dir, key, scale, ylabel, title, name):
    if not res.sizes():
        raise Skip(f"no frame size: no run has a run_params row named {' or '.join(SIZE_PARAMS)}")
    st = res.steady()
    series = _size_series(st, key)
    if not series:
        raise Skip(f"no {ylabel} values (flows table or all-flows latency histogram) for runs with a "
                   "frame size that are not saturated")
    fig, ax = plt.subplots(figsize=(8, 5))
    # Modes with identical values overlap: a marker per series, and under a series that later
    # ones cover a larger marker and a wider line where they do (plot_overlap), so each shows.
    xy = [(mode, [(p[0], p[1] * scale) for p in points]) for mode, points in series.items()]
    style = series_style(list(series))
    looks = []
    for i, (mode, points) in enumerate(series.items()):
        sizes = [p[0] for p in points]
        means = [p[1] * scale for p in points]
        errs = [[(p[1] - p[2]) * scale for p in points], [(p[3] - p[1]) * scale for p in points]]
        colour, linestyle = style[mode]
        look = dict(marker=plot_overlap.marker(i), color=colour, linestyle=linestyle, alpha=0.8)
        ax.errorbar(sizes, means, yerr=errs, capsize=3, label=mode, markersize=6, linewidth=1.5, **look)
        looks.append((mode, xy[i][1], look))
    plot_overlap.underlay(ax, looks, 6, 1.5)
    _log_if_wide(ax, [p[1] * scale for points in series.values() for p in points])
    ax.set_xscale("log", base=2)
    ax.set_xticks(res.sizes())
    ax.set_xticklabels([f"{s:g}" for s in res.sizes()])
    ax.set_xlabel("frame size (bytes)")
    ax.set_ylabel(ylabel)
    ax.grid(True, which="both", alpha=0.3)
    _legend(ax, xy, fontsize="small")
    ax.set_title(f"{title}, steady state{st.note}\n(mean; bars: min-max over runs; saturated runs "
                 "left out)", fontsize="medium")
    return _save(fig, out_dir, name)


def plot_throughput_vs_size(res, plt, out_dir):
    """The highest load each mode carried at each frame size, over the sweep's loads: its
    capacity where it saturated, a lower bound where it carried all it was offered. (A steady
    run carries what it was offered, so steady-state throughput says nothing of the path.)"""
    if not res.sizes():
        raise Skip(f"no frame size: no run has a run_params row named {' or '.join(SIZE_PARAMS)}")
    per = collections.defaultdict(lambda: collections.defaultdict(list))
    for run in res.runs.values():
        if run["size"] is not None and run["carried"] is not None:
            label = res.label(run, without=(*SIZE_PARAMS, LOAD_PARAM))
            per[(label, run["size"])][run["params"].get(LOAD_PARAM)].append(run)
    if not per:
        raise Skip("no carried load (flows.frame_bps) for runs with a frame size")
    series = collections.defaultdict(list)
    for (label, size), loads in per.items():
        # Mean over repetitions at each load, then the load that carried most.
        carried, saturated = max((mean(r["carried"] for r in runs), any(r["saturated"] for r in runs))
                                 for runs in loads.values())
        series[label].append((size, carried, saturated))
    fig, ax = plt.subplots(figsize=(8, 5))
    style = series_style(list(series))
    labels = sorted(series, key=mode_key)
    # Under a series that later ones cover: larger markers, a wider line where they do
    # (plot_overlap); the hollow markers of saturated points likewise.
    xy = [(label, [(p[0], p[1]) for p in sorted(series[label])]) for label in labels]
    looks, hollow = [], []
    for i, label in enumerate(labels):
        points = sorted(series[label])
        colour, linestyle = style[label]
        m = plot_overlap.marker(i)
        ax.plot([p[0] for p in points], [p[1] for p in points], marker=m, color=colour,
                linestyle=linestyle, label=label, alpha=0.8)
        ax.plot([p[0] for p in points if not p[2]], [p[1] for p in points if not p[2]],
                linestyle="none", marker=m, color=colour)
        sat = [(p[0], p[1]) for p in points if p[2]]
        look = dict(linestyle="none", marker=m, markerfacecolor="white", markeredgecolor=colour)
        if sat:
            ax.plot(*zip(*sat), markersize=10, zorder=3, **look)
        looks.append((label, xy[i][1], dict(marker=m, color=colour, linestyle=linestyle, alpha=0.8)))
        hollow.append((label, sat, look))
    plot_overlap.underlay(ax, looks, 6, 1.5)
    plot_overlap.underlay(ax, hollow, 10, 0, zorder=2.9)
    _log_if_wide(ax, [p[1] for points in series.values() for p in points])
    ax.set_xscale("log", base=2)
    ax.set_xticks(res.sizes())
    ax.set_xticklabels([f"{s:g}" for s in res.sizes()])
    ax.set_xlabel("frame size (bytes)")
    ax.set_ylabel("highest carried load (Gb/s of frames, all flows)")
    ax.grid(True, which="both", alpha=0.3)
    _legend(ax, xy, fontsize="small")
    ax.set_title("Highest carried load vs frame size, over the sweep's loads\n(hollow: saturated, "
                 "the mode's capacity; filled: carried all it was offered, capacity at least this)",
                 fontsize="medium")
    return _save(fig, out_dir, "throughput-vs-size.png")


def plot_p99_vs_size(res, plt, out_dir):
    return _plot_vs_size(res, plt, out_dir, "p99", 1e-3, "p99 latency (us)",
                         "p99 latency vs frame size", "p99-latency-vs-size.png")


def plot_speedup(res, plt, out_dir):
    # Steady state only: a ratio of two overloaded runs measures two queues, not two paths.
    st = res.steady()
    series = collections.defaultdict(list)
    for run in st.runs.values():
        series[st.label(run, without=(*SIZE_PARAMS, LOAD_PARAM))].append(run)
    modes = sorted(series, key=mode_key)
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
    groups = st.sizes() or [None]

    def value(mode, size, key):
        return mean(r[key] for r in series[mode] if size is None or r["size"] == size)

    # Throughput: the highest load each series carried anywhere in the sweep, saturated runs
    # included (a steady run carries what it was offered, so its ratio says nothing).
    best = collections.defaultdict(float)
    for run in res.runs.values():
        if run["carried"] is not None:
            key = (res.label(run, without=(*SIZE_PARAMS, LOAD_PARAM)), run["size"])
            best[key] = max(best[key], run["carried"])

    fig, axes = plt.subplots(1, 2, figsize=(11, 4.5))
    width = 0.8 / len(pairs)
    drawn = 0
    for panel, (key, title, better) in enumerate((
        ("carried", "highest carried load in the sweep, vf-dma / vswitch\n(1 where neither "
         "saturated within the sweep's loads)", "higher"),
        ("p99", f"p99 latency ratio vswitch / vf-dma\nsteady state{st.note}, saturated runs "
         "left out", "higher"),
    )):
        ax = axes[panel]
        for i, (base, other) in enumerate(pairs):
            ratios = []
            for size in groups:
                if key == "carried":
                    a, b = best.get((base, size)), best.get((other, size))
                    ratios.append(a / b if a and b else float("nan"))
                else:
                    a, b = value(base, size, key), value(other, size, key)
                    ratios.append(b / a if a and b else float("nan"))
            drawn += sum(r == r for r in ratios)  # NaN != NaN
            ax.bar([g + i * width for g in range(len(groups))], ratios, width,
                   label=f"vs {other}" if base == "vf-dma" else f"{base} vs {other}")
        ax.set_xticks([g + width * (len(pairs) - 1) / 2 for g in range(len(groups))])
        ax.set_xticklabels([f"{s:g} B" if s is not None else "all runs" for s in groups])
        ax.axhline(1.0, color="black", linewidth=0.8)
        ax.set_ylabel(f"speedup of vf-dma ({better} is better)")
        ax.set_title(title, fontsize="medium")
        ax.grid(True, axis="y", alpha=0.3)
        ax.legend(fontsize="small")
    if not drawn:
        plt.close(fig)
        raise Skip("no throughput or latency values for vf-dma and vswitch-* at common frame sizes "
                   "in runs that are not saturated")
    return _save(fig, out_dir, "speedup.png")


def _bar_per_mode(ax, labels, values, ylabel, title):
    ax.bar(range(len(labels)), values)
    ax.set_xticks(range(len(labels)))
    ax.set_xticklabels(labels, rotation=20 if len(labels) <= 8 else 60, ha="right", fontsize="small")
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize="medium")
    ax.grid(True, axis="y", alpha=0.3)


def plot_cpu_per_gbps(res, plt, out_dir):
    if all(r["cpu_s"] is None for r in res.runs.values()):
        raise Skip("no CPU counters (forwarding_core_seconds)")
    st = res.steady()
    labels, values = [], []
    for mode in st.modes():
        per_run = [r["cores"] / r["gbps"] for r in st.by_mode(mode) if r["cores"] is not None and r["gbps"]]
        if per_run:
            labels.append(mode)
            values.append(statistics.fmean(per_run))
    if not labels:
        raise Skip("no run has CPU counters, simulated seconds (runs.sim_seconds) and throughput together")
    fig, ax = plt.subplots(figsize=(max(7, 0.45 * len(labels)), 5))
    _bar_per_mode(ax, labels, values, "host cores busy per Gb/s of goodput",
                  f"Host CPU per Gb/s (traffic window), steady state{st.note}")
    return _save(fig, out_dir, "cpu-per-gbps.png")


def plot_iotlb(res, plt, out_dir):
    st = res.steady()
    labels, values = [], []
    for mode in st.modes():
        rates = [r["hits"] / (r["hits"] + r["misses"]) for r in st.by_mode(mode)
                 if r["hits"] is not None and r["misses"] is not None and r["hits"] + r["misses"] > 0]
        if rates:
            labels.append(mode)
            values.append(100 * statistics.fmean(rates))
    if not labels:
        raise Skip("no IOTLB counters (counters named iotlb_hits and iotlb_misses)")
    fig, ax = plt.subplots(figsize=(max(7, 0.45 * len(labels)), 5))
    _bar_per_mode(ax, labels, values, "IOTLB hit rate (%)", f"IOTLB hit rate, steady state{st.note}")
    ax.set_ylim(0, 100)
    return _save(fig, out_dir, "iotlb-hit-rate.png")


def plot_pcie(res, plt, out_dir):
    st = res.steady()
    labels, up, down = [], [], []
    for mode in st.modes():
        runs = st.by_mode(mode)
        u = mean(mean(r["up"]) for r in runs)
        d = mean(mean(r["down"]) for r in runs)
        if u is not None or d is not None:
            labels.append(mode)
            up.append(100 * (u or 0))
            down.append(100 * (d or 0))
    if not labels:
        raise Skip("no PCIe counters (counters named up_utilization and down_utilization)")
    fig, ax = plt.subplots(figsize=(max(7, 0.45 * len(labels)), 5))
    x = range(len(labels))
    ax.bar([i - 0.2 for i in x], up, 0.4, label="upstream (NIC to host)")
    ax.bar([i + 0.2 for i in x], down, 0.4, label="downstream (host to NIC)")
    ax.set_xticks(list(x))
    ax.set_xticklabels(labels, rotation=20 if len(labels) <= 8 else 60, ha="right", fontsize="small")
    ax.set_ylabel("PCIe link utilization (%)")
    ax.set_title(f"PCIe utilization over the traffic window, steady state{st.note}\n(mean over links "
                 "and runs)", fontsize="medium")
    ax.grid(True, axis="y", alpha=0.3)
    ax.legend()
    return _save(fig, out_dir, "pcie-utilization.png")


def plot_load(res, plt, out_dir):
    """Carried vs offered load and p99 latency vs offered load: where each mode saturates."""
    if LOAD_PARAM not in res.varying:
        raise Skip("the load does not vary (no sweep over --load)")
    panels = collections.defaultdict(lambda: collections.defaultdict(list))
    for run in res.runs.values():
        if run["offered"] and run["carried"] is not None:
            # One panel row per frame size; series: everything else but the load.
            size = run["size"]
            panels[size][res.label(run, without=(*SIZE_PARAMS, LOAD_PARAM))].append(run)
    if not panels:
        raise Skip("no offered/carried load (flows.offered_bps, flows.frame_bps)")
    sizes = sorted(panels, key=lambda s: (s is None, s))
    fig, axes = plt.subplots(len(sizes), 2, figsize=(12, 4.2 * len(sizes)), squeeze=False)
    # One colour per mode, one line style per variant, one marker per series (the same in every
    # row); a series that later ones cover drawn larger and wider (plot_overlap).
    labels = sorted({label for series in panels.values() for label in series}, key=mode_key)
    style = series_style(labels)
    for row, size in enumerate(sizes):
        ax_t, ax_l = axes[row]
        lo, hi = float("inf"), 0.0
        drawn = []  # (label, points)
        for label in labels:
            if label not in panels[size]:
                continue
            per_load = collections.defaultdict(list)
            for run in panels[size][label]:
                per_load[run["params"].get(LOAD_PARAM)].append(run)
            points = []
            for load, runs in per_load.items():
                offered = mean(r["offered"] for r in runs)
                points.append((offered, mean(r["carried"] for r in runs),
                               mean(r["p99"] for r in runs), any(r["saturated"] for r in runs)))
            points.sort()
            xs = [p[0] for p in points]
            lo, hi = min(lo, *xs), max(hi, *xs)
            drawn.append((label, points))
        carried = [(label, [(p[0], p[1]) for p in points]) for label, points in drawn]
        p99 = [(label, [(p[0], p[2] / 1e3 if p[2] else float("nan")) for p in points])
               for label, points in drawn]
        for ax, series, k in ((ax_t, carried, 1), (ax_l, p99, 2)):
            looks, hollow = [], []
            for (label, xy), (_, points) in zip(series, drawn):
                colour, linestyle = style[label]
                m = plot_overlap.marker(labels.index(label))
                look = dict(marker=m, color=colour, linestyle=linestyle, alpha=0.8)
                ax.plot(*zip(*xy), label=label, **look)
                # Saturated points hollow: the path did not carry what was offered.
                sat = [(x, y) for (x, y), p in zip(xy, points) if p[3] and p[k]]
                hollow_look = dict(linestyle="none", marker=m, markerfacecolor="white", markeredgecolor=colour)
                if sat:
                    ax.plot(*zip(*sat), markersize=11, zorder=3, **hollow_look)
                looks.append((label, xy, look))
                hollow.append((label, sat, hollow_look))
            plot_overlap.underlay(ax, looks, 6, 1.5)
            plot_overlap.underlay(ax, hollow, 11, 0, zorder=2.9)
        if hi > 0:
            ax_t.plot([lo, hi], [lo, hi], color="grey", linestyle=":", linewidth=1,
                      label="carried = offered")
        where = f"{size:g} B frames" if size is not None else "all sizes"
        for ax in (ax_t, ax_l):
            ax.set_xscale("log")
            ax.set_yscale("log")
            ax.set_xlabel("offered load (Gb/s of frames, all flows)")
            ax.grid(True, which="both", alpha=0.3)
        ax_t.set_ylabel("carried load (Gb/s of frames)")
        ax_t.set_title(f"Carried vs offered load, {where}\n(hollow: saturated)", fontsize="medium")
        ax_l.set_ylabel("p99 latency (us)")
        ax_l.set_title(f"p99 latency vs offered load, {where}\n(hollow: saturated; queueing, "
                       "not the path)", fontsize="medium")
        _legend(ax_t, carried, fontsize="x-small")
        note = plot_overlap.note(p99)
        if note:
            ax_l.legend(handles=[], title=note, title_fontsize="x-small")
    return _save(fig, out_dir, "load.png")


PLOTS = (
    ("latency CDF", plot_latency_cdf),
    ("throughput vs frame size", plot_throughput_vs_size),
    ("p99 latency vs frame size", plot_p99_vs_size),
    ("vf-dma speedup", plot_speedup),
    ("host CPU per Gb/s", plot_cpu_per_gbps),
    ("IOTLB hit rate", plot_iotlb),
    ("PCIe utilization", plot_pcie),
    ("load sweep", plot_load),
)


def summary_table(res):
    """Per-series table: the numbers a reader checks first. Offered and carried load are frame
    bit/s, goodput payload bit/s (doc/results.md); 'sat' counts the saturated runs, whose
    latency is queueing at the bottleneck."""

    def fmt(value, scale=1.0, digits=2):
        return "-" if value is None else f"{value * scale:.{digits}f}"

    header = ("series", "runs", "sat", "offered Gb/s", "carried Gb/s", "goodput Gb/s", "p50 us",
              "p99 us", "CPU cores")
    rows = []
    for mode in res.modes():
        runs = res.by_mode(mode)
        rows.append((mode, str(len(runs)), str(sum(1 for r in runs if r["saturated"])),
                     fmt(res.mean_of(runs, "offered")), fmt(res.mean_of(runs, "carried")),
                     fmt(res.mean_of(runs, "gbps")), fmt(res.mean_of(runs, "p50"), 1e-3),
                     fmt(res.mean_of(runs, "p99"), 1e-3), fmt(res.mean_of(runs, "cores"))))
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
    import plot_nfv

    conn = vmcomm_db.connect_readonly(args.db)
    nfv = plot_nfv.has_nfv_runs(conn)
    conn.close()
    if not res.runs and not nfv:
        print("plot: no ok runs in the database: nothing to plot", file=sys.stderr)
        return 0
    if res.runs:
        print(summary_table(res))
    if res.cpu_missing:
        print(f"(CPU: {res.cpu_missing} runs without CPU counters counted as 0 host cores)")

    import matplotlib

    matplotlib.use("Agg")  # files only; no display needed (or wanted) on a cluster or in CI
    import matplotlib.pyplot as plt

    out_dir = args.out or os.path.join(os.path.dirname(os.path.abspath(args.db)), "plots")
    os.makedirs(out_dir, exist_ok=True)
    written = []
    for title, fn in PLOTS if res.runs else ():
        try:
            written.append(fn(res, plt, out_dir))
        except Skip as e:
            print(f"plot: skipped {title}: {e}", file=sys.stderr)
    # dma-bench runs (the pcie-bench style microbenchmark) have their own plots.
    import plot_dma

    conn = vmcomm_db.connect_readonly(args.db)
    if plot_dma.has_dma_runs(conn):
        written += plot_dma.make_plots(conn, out_dir)
    # nfv-bench runs (the NFV benchmark of Zhang et al. 2019): a plot per scenario.
    if nfv:
        written += plot_nfv.make_plots(conn, out_dir)
    conn.close()
    print(f"plot: wrote {len(written)} plots to {out_dir}", file=sys.stderr)
    for path in written:
        print(f"  {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
