#!/usr/bin/python3
"""Plots of the NFV benchmark: nfv-bench runs of a results database, one PNG per scenario.

  plot_nfv.py DB [--out DIR]

Reads the nfv-bench runs (scenario 'nfv-bench', status ok) of DB (./vmcomm sweep
scenarios/sweeps/nfv.toml writes them) and writes, into DIR (default 'plots' beside DB), for each
scenario present:

  nfv-SCENARIO.png   left: throughput R+ (RFC 2544, Gb/s counting L1 bits: 10 = 10GbE line rate)
                     vs frame size, one colour per mode (and profile, guest), uni-directional
                     solid, bidirectional (both directions summed) dashed; loopback: one VNF.
                     Middle (loopback only): R+ at 64 B vs the number of VNFs in the chain.
                     Right: latency at 64 B, uni-directional, vs offered load as a fraction of
                     R+: median (circles, solid) and 99th percentile (crosses, dotted).

Every mode has its own colour and marker (left, middle); series with the same values stay
visible and the legend's title names them (plot_overlap.py). A panel without points says so.
Exit status: 0 done (also with no nfv-bench runs: nothing written), 2 bad database. Run with
/usr/bin/python3 (Debian's matplotlib).
"""

import argparse
import collections
import os
import statistics
import sys

import plot_overlap
import vmcomm_db

SCENARIOS = ("p2p", "p2v", "v2v", "loopback")
MODE_ORDER = ("vf-dma", "veb", "vepa", "vswitch-kernel", "vswitch-dpdk", "vswitch-offload")
DEFAULT_PROFILE = {"vswitch-kernel": "ovs-kernel", "vswitch-dpdk": "ovs-dpdk"}
PARAMS = ("nfv-scenario", "vswitch", "guest", "size", "direction", "chain", "metric", "load-fraction")


def has_nfv_runs(conn):
    """True if the database holds ok nfv-bench runs."""
    row = conn.execute("SELECT count(*) FROM runs WHERE scenario = 'nfv-bench' AND status = 'ok'").fetchone()
    return row[0] > 0


def load(conn):
    """The nfv-bench points: [(params dict incl. 'mode', {figure: mean over runs})]."""
    where = "run_id IN (SELECT id FROM runs WHERE scenario = 'nfv-bench' AND status = 'ok')"
    runs = {rid: {"mode": mode} for rid, mode in conn.execute(
        "SELECT id, mode FROM runs WHERE scenario = 'nfv-bench' AND status = 'ok'")}
    for rid, name, value in conn.execute(f"SELECT run_id, name, value FROM run_params WHERE {where}"):
        if name in PARAMS:
            runs[rid][name] = value
    figures = collections.defaultdict(dict)
    for rid, name, value in conn.execute(
            f"SELECT run_id, name, value FROM counters WHERE component = 'nfv-bench' AND {where}"):
        figures[rid][name] = value
    grouped = collections.defaultdict(lambda: collections.defaultdict(list))
    for rid, p in runs.items():
        if not all(k in p for k in PARAMS):
            continue  # not a run of this nfv-bench version
        key = tuple(sorted(p.items()))
        for name, value in figures[rid].items():
            grouped[key][name].append(value)
    return [(dict(k), {n: statistics.fmean(v) for n, v in f.items()}) for k, f in grouped.items()]


def label(p):
    """Series label: the mode, its profile if not the mode's own, the guest if not DPDK."""
    extra = []
    if p["vswitch"] and p["vswitch"] != DEFAULT_PROFILE.get(p["mode"]):
        extra.append(p["vswitch"])
    if p["guest"] != "dpdk":
        extra.append(f"{p['guest']} guests")
    return p["mode"] + (f" ({', '.join(extra)})" if extra else "")


def order(lbl):
    mode = lbl.split(" ", 1)[0]
    return (MODE_ORDER.index(mode) if mode in MODE_ORDER else len(MODE_ORDER), lbl)


def empty(ax, what):
    ax.text(0.5, 0.5, f"no {what} points", ha="center", va="center", transform=ax.transAxes)


def draw(ax, series, markersize, linewidth):
    """Draw series [(key, [(x, y)], style, legend label)] in order at the base sizes, and under
    each where later ones cover it a larger marker and a wider line (plot_overlap.underlay:
    concentric markers, banded lines; values unchanged)."""
    for key, xy, style, lbl in series:
        ax.plot(*zip(*xy), label=lbl, markersize=markersize, linewidth=linewidth, **style)
    plot_overlap.underlay(ax, [(key, xy, style) for key, xy, style, _ in series], markersize, linewidth)


def legend(ax, series, **kwargs):
    """The legend, titled with the series whose values are identical (by mode, per kind)."""
    title = plot_overlap.note([(key, xy) for key, xy, _, _ in series], name=lambda key: key[0],
                              kind=lambda key: key[1])
    ax.legend(fontsize=7, title=title or None, title_fontsize=7, **kwargs)


def figure(points, scenario, plt):
    """The figure of one scenario (see the module's docstring)."""
    pts = [(p, f) for p, f in points if p["nfv-scenario"] == scenario]
    loop = scenario == "loopback"
    fig, axes = plt.subplots(1, 3 if loop else 2, figsize=(15 if loop else 10.5, 4.4))
    labels = sorted({label(p) for p, _ in pts}, key=order)
    # One colour and one marker per series label, the same in every panel.
    colours = {lbl: f"C{i % 10}" for i, lbl in enumerate(labels)}
    markers = {lbl: plot_overlap.marker(i) for i, lbl in enumerate(labels)}

    ax = axes[0]
    series = []
    for lbl in labels:
        for direction, style in (("uni", "-"), ("bi", "--")):
            xy = sorted((int(p["size"]), f["gbps_l1"]) for p, f in pts
                        if label(p) == lbl and p["metric"] == "throughput" and p["direction"] == direction
                        and p["chain"] == "1" and "gbps_l1" in f)
            if xy:
                series.append(((lbl, direction), xy, dict(linestyle=style, marker=markers[lbl],
                                                          color=colours[lbl]), f"{lbl}, {direction}"))
    draw(ax, series, 3, 1.5)
    ax.set_xscale("log", base=2)
    ax.set_xlabel("frame size, bytes (FCS included)")
    ax.set_ylabel("R+, Gb/s counting L1 bits")
    ax.set_title(f"{scenario}: RFC 2544 throughput" + (" (1 VNF)" if loop else ""))
    ax.axhline(10, color="grey", lw=0.8, ls=":")
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    if series:
        legend(ax, series, ncol=2)
    else:
        empty(ax, "throughput")

    if loop:
        ax = axes[1]
        series = []
        for lbl in labels:
            for direction, style in (("uni", "-"), ("bi", "--")):
                xy = sorted((int(p["chain"]), f["mpps"]) for p, f in pts
                            if label(p) == lbl and p["metric"] == "throughput" and p["size"] == "64"
                            and p["direction"] == direction and "mpps" in f)
                if xy:
                    series.append(((lbl, direction), xy, dict(linestyle=style, marker=markers[lbl],
                                                              color=colours[lbl]), f"{lbl}, {direction}"))
        draw(ax, series, 3, 1.5)
        ax.set_xlabel("VNFs in the chain")
        ax.set_ylabel("R+ at 64 B, Mpps")
        ax.set_title("loopback: throughput vs chain length")
        ax.set_ylim(bottom=0)
        ax.grid(alpha=0.3)
        if series:
            legend(ax, series, ncol=2)
        else:
            empty(ax, "64 B throughput")

    ax = axes[-1]
    series = []
    for lbl in labels:
        for figure_name, kind, marker, style in (("lat_median_us", "median", "o", "-"),
                                                 ("lat_p99_us", "p99", "x", ":")):
            xy = sorted((float(p["load-fraction"]), f[figure_name]) for p, f in pts
                        if label(p) == lbl and p["metric"] == "latency" and p["size"] == "64"
                        and p["direction"] == "uni" and p["chain"] == "1" and figure_name in f)
            if xy:
                series.append(((lbl, kind), xy, dict(linestyle=style, marker=marker, color=colours[lbl]),
                               lbl if kind == "median" else None))
    draw(ax, series, 6, 1.5)
    ax.set_xlabel("offered load, fraction of R+")
    ax.set_ylabel("one-way latency, us (o median, x p99)")
    ax.set_title(f"{scenario}: latency at 64 B, uni" + (" (1 VNF)" if loop else ""))
    ax.set_yscale("log")
    ax.grid(alpha=0.3, which="both")
    if series:
        legend(ax, series)
    else:
        empty(ax, "latency")
    fig.tight_layout()
    return fig


def plot_scenario(points, scenario, plt, out_dir):
    """Write nfv-SCENARIO.png into out_dir; return its path."""
    fig = figure(points, scenario, plt)
    path = os.path.join(out_dir, f"nfv-{scenario}.png")
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return path


def make_plots(conn, out_dir):
    """Write the plots of the nfv-bench runs in conn into out_dir; return the paths written."""
    import matplotlib

    matplotlib.use("Agg")  # files only
    import matplotlib.pyplot as plt

    points = load(conn)
    present = [s for s in SCENARIOS if any(p["nfv-scenario"] == s for p, _ in points)]
    os.makedirs(out_dir, exist_ok=True)
    return [plot_scenario(points, s, plt, out_dir) for s in present]


def main(argv=None):
    p = argparse.ArgumentParser(prog="plot_nfv.py", description=__doc__.split("\n")[0])
    p.add_argument("db", help="results database (SQLite) with nfv-bench runs")
    p.add_argument("--out", help="directory for the PNG files (default: 'plots' beside DB)")
    args = p.parse_args(argv)
    out_dir = args.out or os.path.join(os.path.dirname(os.path.abspath(args.db)), "plots")
    try:
        conn = vmcomm_db.connect_readonly(args.db)
        if not has_nfv_runs(conn):
            print(f"plot_nfv: {args.db}: no nfv-bench runs: nothing to plot", file=sys.stderr)
            return 0
        written = make_plots(conn, out_dir)
        conn.close()
    except vmcomm_db.DbError as e:
        print(f"plot_nfv: error: {e}", file=sys.stderr)
        return 2
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
