"""The IOTLB's reach, read from a pcie-bench IOMMU data directory: page walks per second by window.

    python3 analysis/iotlb_reach.py DIR [--entries=64,96,128] [--page-size=4KiB]
                                    [--from-window=1MiB] [--detail]

Under uniformly random addresses over a window of P pages, a warm IOTLB of E entries hits E/P of
the pages looked up, whatever its replacement policy (every state holds E of the P equally likely
pages), so a point that moves T transfers per second makes W = T x pages x (1 - min(1, E/P))
walks per second, with pages the mean number of pages a transfer touches (1 + (lines - 1) x
64 / page size for cache-line-aligned random addresses: 1.11 for 512 B on 4 KiB pages). Past the
knee the walkers bind: W is then their capacity, a property of the walkers and not of the window,
and the IOTLB size E that makes W flat over the windows is the one the data says the host has.
For each window-sweep file (`bw_dma_win_sweep_*`: BW_DMA_RD/WR, random addresses) and cache
state, this prints W's least and greatest value over the windows from --from-window on, and its
spread (max - min) / mean, for each E; --detail adds W per window. Points still bound by something
else than the walkers (the link: 512 B reads) show a W that grows with the window for every E.

Exit status: 0 done, 2 bad input (one line on stderr).
"""

import argparse
import csv
import math
import os
import sys

LINE = 64


def parse_bytes(text):
    """'4KiB', '1MiB', '4096' -> bytes."""
    units = {"KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30, "": 1}
    for suffix in ("KiB", "MiB", "GiB", ""):
        if text.endswith(suffix):
            number = text[: len(text) - len(suffix)] if suffix else text
            if number.isdigit() and int(number) > 0:
                return int(number) * units[suffix]
    raise ValueError(f"{text!r} is not a size (a positive number of bytes, KiB, MiB or GiB)")


def pages_per_transfer(size, page):
    """Mean pages a transfer of size bytes at a random cache-line-aligned address touches."""
    lines = math.ceil(size / LINE)
    return 1.0 + min(1.0, (lines - 1) * LINE / page)


def walks_per_second(transfers_per_s, size, window, entries, page):
    """Walks per second of a point (module docstring)."""
    pages = max(1, window // page)
    miss = 1.0 - min(1.0, entries / pages)
    return transfers_per_s * pages_per_transfer(size, page) * miss


def read_points(path):
    """Rows of one window-sweep file: (test, cache, window, size, transfers/s)."""
    with open(path, newline="") as f:
        reader = csv.DictReader(f)
        need = {"Test", "PAT", "Cache", "WinSZ", "SZ", "Trans/s"}
        missing = need - set(reader.fieldnames or [])
        if missing:
            raise ValueError(f"{path}: no column {', '.join(sorted(missing))} (a pcie-bench "
                             "bandwidth file has Test, PAT, Cache, WinSZ, SZ, Trans/s)")
        points = []
        for line, row in enumerate(reader, start=2):
            if row["PAT"] != "Rand" or row["Test"] not in ("BW_DMA_RD", "BW_DMA_WR"):
                continue
            try:
                # pcie-bench writes some windows as floats (1572864.0).
                points.append((row["Test"], row["Cache"], int(float(row["WinSZ"])),
                               int(float(row["SZ"])), float(row["Trans/s"])))
            except ValueError:
                raise ValueError(f"{path}:{line}: WinSZ {row['WinSZ']!r}, SZ {row['SZ']!r}, "
                                 f"Trans/s {row['Trans/s']!r}: numbers expected") from None
    return points


def summarise(points, entries, page, from_window):
    """{(cache, E): (min W, max W, spread)} over the points from from_window on."""
    out = {}
    for cache in sorted({p[1] for p in points}):
        rows = [p for p in points if p[1] == cache and p[2] >= from_window]
        if len(rows) < 2:
            continue
        for e in entries:
            w = [walks_per_second(t, size, win, e, page) for _, _, win, size, t in rows]
            mean = sum(w) / len(w)
            out[(cache, e)] = (min(w), max(w), (max(w) - min(w)) / mean if mean > 0 else 0.0)
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dir", help="pcie-bench data directory (IOMMU on)")
    parser.add_argument("--entries", default="64,96,128", help="IOTLB sizes to try, comma-separated")
    parser.add_argument("--page-size", default="4KiB", help="IOMMU page size (default 4KiB)")
    parser.add_argument("--from-window", default="1MiB",
                        help="smallest window of the summary (default 1MiB)")
    parser.add_argument("--detail", action="store_true", help="also print W per window")
    args = parser.parse_args(argv)
    try:
        entries = [int(e) for e in args.entries.split(",")]
        if not entries or min(entries) < 1:
            raise ValueError
    except ValueError:
        print(f"iotlb_reach: --entries={args.entries}: positive integers, comma-separated",
              file=sys.stderr)
        return 2
    try:
        page = parse_bytes(args.page_size)
        from_window = parse_bytes(args.from_window)
    except ValueError as e:
        print(f"iotlb_reach: {e}", file=sys.stderr)
        return 2
    if not os.path.isdir(args.dir):
        print(f"iotlb_reach: {args.dir}: not a directory", file=sys.stderr)
        return 2
    files = sorted(f for f in os.listdir(args.dir)
                   if f.startswith("bw_dma_win_sweep_") and f.endswith(".csv"))
    if not files:
        print(f"iotlb_reach: {args.dir}: no bw_dma_win_sweep_*.csv file", file=sys.stderr)
        return 2
    try:
        data = {f: read_points(os.path.join(args.dir, f)) for f in files}
    except ValueError as e:
        print(f"iotlb_reach: {e}", file=sys.stderr)
        return 2

    print(f"walks per second, M/s, over windows >= {args.from_window}: least-greatest (spread)")
    print(f"{'file':34s} {'cache':6s} " + " ".join(f"{'E=' + str(e):>22s}" for e in entries))
    for f in files:
        summary = summarise(data[f], entries, page, from_window)
        for cache in sorted({c for c, _ in summary}):
            cells = []
            for e in entries:
                lo, hi, spread = summary[(cache, e)]
                cells.append(f"{lo / 1e6:6.1f}-{hi / 1e6:5.1f} ({spread * 100:4.1f}%)")
            print(f"{f:34s} {cache:6s} " + " ".join(f"{c:>22s}" for c in cells))
    if args.detail:
        print()
        print(f"{'file':34s} {'cache':6s} {'window':>9s} {'M trans/s':>10s} "
              + " ".join(f"{'W E=' + str(e):>9s}" for e in entries))
        for f in files:
            for test, cache, win, size, t in sorted(data[f], key=lambda p: (p[1], p[2])):
                w = [walks_per_second(t, size, win, e, page) / 1e6 for e in entries]
                print(f"{f:34s} {cache:6s} {win:9d} {t / 1e6:10.2f} "
                      + " ".join(f"{x:9.2f}" for x in w))
    return 0


if __name__ == "__main__":
    sys.exit(main())
