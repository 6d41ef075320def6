#!/usr/bin/python3
"""Validation plots of the DMA model: dma-bench runs of a results database against pcie-bench.

  plot_dma.py DB [--out DIR] [--generate] [--bin PATH]

Reads the dma-bench runs (scenario 'dma-bench', status ok) of DB and writes, into DIR (default
contrib/sriov-vmcomm/doc/figures), PNG files comparing the model with the published pcie-bench
measurements of the pcie-bench paper (Neugebauer et al., SIGCOMM 2018):

  dma-bw-vs-size.png     DMA read / write bandwidth vs transfer size, IOMMU off
  dma-lat-vs-size.png    DMA read latency (median, 99.9th percentile) vs transfer size
  dma-iommu-window.png   64 B random reads with the IOMMU on: bandwidth and latency vs window

--generate first runs the dma-bench points these plots need (GENERATE below, the commands
doc/validation.md lists) into DB, with the program at --bin (default build/bin/dma-bench).
A plot whose points DB lacks is skipped with a note. Exit status: 0 done, 2 bad database or a
failed dma-bench run. Run with /usr/bin/python3 (Debian's matplotlib).
"""

import argparse
import collections
import os
import statistics
import subprocess
import sys

import plot_overlap
import vmcomm_db

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_OUT = os.path.join(ROOT, "contrib", "sriov-vmcomm", "doc", "figures")
DEFAULT_BIN = os.path.join(ROOT, "build", "bin", "dma-bench")

KIB = 1024
MIB = 1024 * KIB

# Transfer sizes 64 B..2 KiB, with sizes just past a 64 B (cache line) and 256 B (MPS) boundary.
SIZES = ("64,65,96,128,129,192,256,257,320,384,448,512,513,640,768,896,1024,1025,1280,1500,"
         "1520,1536,1792,2048")
WINDOWS = ",".join(f"{4 << i}KiB" for i in range(15))  # 4 KiB .. 64 MiB

# The dma-bench points of the plots (doc/validation.md lists the same commands).
GENERATE = [
    ["--op=read", f"--size={SIZES}", "--window=8KiB"],
    ["--op=write", f"--size={SIZES}", "--window=8KiB"],
    ["--op=rw", f"--size={SIZES}", "--window=8KiB"],
    ["--preset=ideal-gen3x8", "--op=read", f"--size={SIZES}", "--window=8KiB"],
    ["--preset=ideal-gen3x8", "--op=write", f"--size={SIZES}", "--window=8KiB"],
    ["--op=read", "--metric=lat", f"--size={SIZES}", "--window=8KiB"],
    ["--op=read", "--iommu=on", "--page-size=4KiB", f"--window={WINDOWS}"],
    ["--op=read", "--iommu=on", "--page-size=2MiB", f"--window={WINDOWS}"],
    ["--op=read", "--iommu=on", "--page-size=4KiB", f"--window={WINDOWS}",
     "--ns3::Iommu::IotlbEntries=128"],
    ["--op=read", "--iommu=on", "--page-size=4KiB", "--metric=lat", f"--window={WINDOWS}"],
]

# Published measurements, pcie-bench nfp6000-bdw (Neugebauer et al., SIGCOMM 2018). Sizes in
# bytes, bandwidth in Gb/s, latency in ns.
MEASURED_BW = {"read": [(64, 31.9), (2048, 55.6)], "write": [(64, 24.3), (2048, 53.0)]}
MEASURED_LAT = [(64, 546.0), (1520, 986.0)]
MEASURED_LAT_RANDOM = [(64, 560.0)]
MEASURED_IOMMU_BW = [(256 * KIB, 32.4), (64 * MIB, 9.8)]  # flat from small windows up to 256 KiB
MEASURED_IOMMU_LAT = [(256 * KIB, 560.0), (64 * MIB, 880.0)]

DEFAULT_PRESET = "nfp6000-bdw"


class Skip(Exception):
    """A plot whose points the database does not have; the message says which."""


def has_dma_runs(conn):
    """True if the database holds ok dma-bench runs."""
    row = conn.execute("SELECT count(*) FROM runs WHERE scenario = 'dma-bench' AND status = 'ok'").fetchone()
    return row[0] > 0


def load(conn):
    """The dma-bench points: {key: {figure: mean over runs}}, key = (preset, op, metric, iommu,
    page, entries, pattern, size, window)."""
    runs = {rid: {} for (rid,) in conn.execute(
        "SELECT id FROM runs WHERE scenario = 'dma-bench' AND status = 'ok'")}
    for rid, name, value in conn.execute(
            "SELECT run_id, name, value FROM run_params WHERE run_id IN "
            "(SELECT id FROM runs WHERE scenario = 'dma-bench' AND status = 'ok')"):
        runs[rid][name] = value
    figures = collections.defaultdict(dict)
    for rid, name, value in conn.execute(
            "SELECT run_id, name, value FROM counters WHERE component = 'dma-bench' AND run_id IN "
            "(SELECT id FROM runs WHERE scenario = 'dma-bench' AND status = 'ok')"):
        figures[rid][name] = value
    points = collections.defaultdict(lambda: collections.defaultdict(list))
    for rid, p in runs.items():
        try:
            key = (p.get("preset", DEFAULT_PRESET), p["op"], p["metric"], p["iommu"], int(p["page-size"]),
                   int(p.get("ns3::Iommu::IotlbEntries", 64)), p["pattern"], int(p["size"]), int(p["window"]))
        except (KeyError, ValueError):
            continue  # not a run of this dma-bench version
        for name, value in figures[rid].items():
            points[key][name].append(value)
    return {k: {n: statistics.fmean(v) for n, v in f.items()} for k, f in points.items()}


def series(points, figure, x_index, **want):
    """Sorted (x, value) of the points matching want (fields of the key by name)."""
    fields = ("preset", "op", "metric", "iommu", "page", "entries", "pattern", "size", "window")
    out = []
    for key, figs in points.items():
        k = dict(zip(fields, key))
        if all(k[f] == v for f, v in want.items()) and figure in figs:
            out.append((key[x_index], figs[figure]))
    return sorted(out)


def draw(ax, series):
    """Draw model series [(xy, fmt, plot keywords with lw and ms)] in order, and under each where
    later ones cover it a larger marker and a wider line, grown from its own sizes
    (plot_overlap.draw_covered; the values are not moved). Returns the legend title naming the
    series whose values are identical, or None."""
    cover = plot_overlap.covered([(i, xy) for i, (xy, _, _) in enumerate(series)])
    for i, (xy, fmt, kw) in enumerate(series):
        kw = dict(kw, ms=kw.get("ms", 6.0), lw=kw.get("lw", 1.5))
        lines = ax.plot(*zip(*xy), fmt, **kw)
        look = dict(color=kw["color"], marker=lines[0].get_marker(), linestyle=lines[0].get_linestyle())
        plot_overlap.draw_covered(ax, cover[i], look, kw["ms"], kw["lw"])
    return plot_overlap.note([(kw["label"], xy) for xy, _, kw in series]) or None


def plot_bw_vs_size(points, plt, out_dir):
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    drawn = False
    styles = {"read": "tab:blue", "write": "tab:red", "rw": "tab:green"}
    lines = []  # where the link is the bound, the model is on the ideal device's line
    for op, color in styles.items():
        model = series(points, "gbps", 7, preset=DEFAULT_PRESET, op=op, metric="bw", iommu="off",
                       pattern="rand")
        if model:
            drawn = True
            label = {"rw": "model rw mix (reads + writes)"}.get(op, f"model {op}")
            lines.append((model, "-", dict(color=color, lw=1.4, marker=".", ms=4, label=label)))
        ideal = series(points, "gbps", 7, preset="ideal-gen3x8", op=op, metric="bw", iommu="off",
                       pattern="rand")
        if ideal and op != "rw":
            lines.append((ideal, ":", dict(color=color, lw=1.2, ms=0, label=f"link bound ({op}, ideal device)")))
    title = draw(ax, lines)
    for op, color in styles.items():
        if drawn and op in MEASURED_BW:
            ax.plot(*zip(*MEASURED_BW[op]), "o", color=color, mfc="white", ms=8, mew=1.6,
                    label=f"pcie-bench measured {op}")
    if not drawn:
        raise Skip("no nfp6000-bdw bandwidth runs with the IOMMU off")
    ax.set_xlabel("transfer size (bytes)")
    ax.set_ylabel("bandwidth (Gb/s)")
    ax.set_title("DMA bandwidth, Gen3 x8, nfp6000-bdw, IOMMU off", fontsize=10)
    ax.set_xlim(0, 2112)
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="lower right", title=title, title_fontsize=7)
    return save(fig, plt, out_dir, "dma-bw-vs-size.png")


def plot_lat_vs_size(points, plt, out_dir):
    median = series(points, "lat_median_ns", 7, preset=DEFAULT_PRESET, op="read", metric="lat",
                    iommu="off", pattern="rand")
    if not median:
        raise Skip("no nfp6000-bdw read latency runs with the IOMMU off")
    p999 = series(points, "lat_p999_ns", 7, preset=DEFAULT_PRESET, op="read", metric="lat",
                  iommu="off", pattern="rand")
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    lines = [(median, "-", dict(color="tab:blue", marker=".", ms=4, label="model median"))]
    if p999:
        lines.append((p999, "--", dict(color="tab:blue", lw=0.8, ms=0, label="model 99.9th percentile")))
    title = draw(ax, lines)
    ax.plot(*zip(*MEASURED_LAT), "o", color="tab:blue", mfc="white", ms=8, mew=1.6,
            label="pcie-bench measured median")
    ax.plot(*zip(*MEASURED_LAT_RANDOM), "s", color="tab:purple", mfc="white", ms=7, mew=1.4,
            label="measured median, random addresses")
    ax.set_xlabel("transfer size (bytes)")
    ax.set_ylabel("DMA read latency (ns)")
    ax.set_title("DMA read latency, one at a time, nfp6000-bdw, IOMMU off", fontsize=10)
    ax.set_xlim(0, 2112)
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="lower right", title=title, title_fontsize=7)
    return save(fig, plt, out_dir, "dma-lat-vs-size.png")


def plot_iommu_window(points, plt, out_dir):
    bw4k = series(points, "gbps", 8, preset=DEFAULT_PRESET, op="read", metric="bw", iommu="on",
                  page=4096, entries=64, pattern="rand", size=64)
    if not bw4k:
        raise Skip("no nfp6000-bdw 64 B read bandwidth runs with the IOMMU on and 4 KiB pages")
    fig, (ax, lx) = plt.subplots(1, 2, figsize=(9.6, 3.8))
    # Below the IOTLB's reach the three coincide: each drawn around the next (draw()).
    lines = [(bw4k, "-", dict(color="tab:blue", marker=".", label="model, 4 KiB pages"))]
    bw128 = series(points, "gbps", 8, preset=DEFAULT_PRESET, op="read", metric="bw", iommu="on",
                   page=4096, entries=128, pattern="rand", size=64)
    if bw128:
        lines.append((bw128, "-.", dict(color="tab:orange", marker=".", label="model, 4 KiB, 128 IOTLB entries")))
    bw2m = series(points, "gbps", 8, preset=DEFAULT_PRESET, op="read", metric="bw", iommu="on",
                  page=2 * MIB, entries=64, pattern="rand", size=64)
    if bw2m:
        lines.append((bw2m, "--", dict(color="tab:green", marker=".", label="model, 2 MiB pages")))
    title = draw(ax, lines)
    ax.plot(*zip(*MEASURED_IOMMU_BW), "o", color="black", mfc="white", ms=8, mew=1.6,
            label="pcie-bench measured (4 KiB)")
    ax.hlines(32.4, 4 * KIB, 256 * KIB, color="black", lw=0.8, ls=":")
    ax.axvline(64 * 4 * KIB, color="gray", lw=0.6, ls=":")
    ax.set_ylabel("bandwidth (Gb/s)")
    ax.set_title("64 B random reads, IOMMU on", fontsize=10)
    ax.set_ylim(bottom=0)

    lat = series(points, "lat_median_ns", 8, preset=DEFAULT_PRESET, op="read", metric="lat",
                 iommu="on", page=4096, entries=64, pattern="rand", size=64)
    if lat:
        draw(lx, [(lat, "-", dict(color="tab:blue", marker=".", label="model median, 4 KiB pages"))])
    lx.plot(*zip(*MEASURED_IOMMU_LAT), "o", color="black", mfc="white", ms=8, mew=1.6,
            label="pcie-bench measured median")
    lx.axvline(64 * 4 * KIB, color="gray", lw=0.6, ls=":")
    lx.set_ylabel("latency (ns)")
    lx.set_title("64 B random reads, one at a time", fontsize=10)
    lx.set_ylim(bottom=0)
    for a in (ax, lx):
        a.set_xscale("log", base=2)
        ticks = [4 * KIB, 64 * KIB, 256 * KIB, 1 * MIB, 4 * MIB, 16 * MIB, 64 * MIB]
        a.set_xticks(ticks)
        a.set_xticklabels([f"{t // MIB}M" if t >= MIB else f"{t // KIB}K" for t in ticks])
        a.set_xlabel("window (bytes); dotted: IOTLB reach 64 x 4 KiB")
        a.grid(alpha=0.3)
        a.legend(fontsize=7, loc="lower left", title=title if a is ax else None, title_fontsize=7)
    return save(fig, plt, out_dir, "dma-iommu-window.png")


PLOTS = (("bandwidth vs size", plot_bw_vs_size), ("latency vs size", plot_lat_vs_size),
         ("IOMMU window", plot_iommu_window))


def save(fig, plt, out_dir, name):
    path = os.path.join(out_dir, name)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return path


def make_plots(conn, out_dir):
    """Write the plots of the dma-bench runs in conn into out_dir; return the paths written."""
    import matplotlib

    matplotlib.use("Agg")  # files only
    import matplotlib.pyplot as plt

    points = load(conn)
    os.makedirs(out_dir, exist_ok=True)
    written = []
    for title, fn in PLOTS:
        try:
            written.append(fn(points, plt, out_dir))
        except Skip as e:
            print(f"plot_dma: skipped {title}: {e}", file=sys.stderr)
    return written


def generate(db, program):
    """Run the dma-bench points of GENERATE into db; return False if one failed."""
    if not os.access(program, os.X_OK):
        print(f"plot_dma: error: {program}: no dma-bench program (build it, or give --bin)", file=sys.stderr)
        return False
    os.makedirs(os.path.dirname(os.path.abspath(db)), exist_ok=True)
    for args in GENERATE:
        cmd = [program] + args + [f"--db={db}"]
        print("plot_dma: " + " ".join(cmd), file=sys.stderr)
        if subprocess.run(cmd, stdout=subprocess.DEVNULL).returncode != 0:
            print("plot_dma: error: dma-bench failed", file=sys.stderr)
            return False
    return True


def main(argv=None):
    p = argparse.ArgumentParser(prog="plot_dma.py", description=__doc__.split("\n")[0])
    p.add_argument("db", help="results database (SQLite) with dma-bench runs")
    p.add_argument("--out", default=DEFAULT_OUT, help="directory for the PNG files")
    p.add_argument("--generate", action="store_true", help="run the dma-bench points into DB first")
    p.add_argument("--bin", default=DEFAULT_BIN, help="the dma-bench program for --generate")
    args = p.parse_args(argv)
    if args.generate and not generate(args.db, args.bin):
        return 2
    try:
        conn = vmcomm_db.connect_readonly(args.db)
        if not has_dma_runs(conn):
            print(f"plot_dma: {args.db}: no dma-bench runs: nothing to plot", file=sys.stderr)
            return 0
        written = make_plots(conn, args.out)
        conn.close()
    except vmcomm_db.DbError as e:
        print(f"plot_dma: error: {e}", file=sys.stderr)
        return 2
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
