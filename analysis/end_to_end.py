#!/usr/bin/python3
"""How should two VMs talk: the end-to-end answer per mode, with kernel and with DPDK guests.

  end_to_end.py [--bin PATH/compare-modes] [--update-doc FILE | --check-doc FILE]

Runs compare-modes (every mode, one host, two VMs, 64-byte frames) and prints, per mode: the
one-way VM-to-VM latency p50 with kernel guests whose receiving vCPU is idle (a frame every
512 us: past KVM's halt-poll window, the vCPU has halted) and busy (a frame every 5 us), the same
with DPDK guests, and with DPDK guests the throughput: R+, the maximum loss-free rate of nfv-bench's
v2v scenario (RFC 2544, doc/nfv.md), in Mpps, and the host cores the switch keeps busy then.
Throughput is given with DPDK guests only: a kernel guest's stack, not the path, limits it. The
runs use the module's defaults (preset nfp6000-bdw, the modes' switch profiles); VF interrupt
moderation is off for the latency runs (CoalesceFrames=1). --update-doc FILE writes the Markdown table into
FILE (doc/validation.md), --check-doc FILE fails when FILE's table is not what the model gives
(ctest end-to-end-doc). Exit status: 0 done, 1 a run failed or the page differs, 2 bad usage.
Run with /usr/bin/python3.
"""

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile

import doc_table

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_BIN = os.path.join(ROOT, "build", "bin", "compare-modes")
SIZE = 64
LATENCY = ["--ns3::VfNetDevice::CoalesceFrames=1"]
# (guest, column, compare-modes options)
RUNS = [
    ("kernel", "idle", ["--load=1Mbps", "--duration=20ms"] + LATENCY),
    ("kernel", "busy", ["--load=100Mbps", "--duration=2ms"] + LATENCY),
    ("dpdk", "latency", ["--load=100Mbps", "--duration=2ms"] + LATENCY),
]


def run(program, guest, options, db):
    """One compare-modes run of every mode into db; raises on failure."""
    cmd = [program, "--mode=all", f"--size={SIZE}", f"--guest={guest}", f"--db={db}",
           "--quiet"] + options
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)}: exit status {proc.returncode}: {proc.stderr.strip()}")


def rplus(program, mode, db):
    """(Mpps, host cores busy) of nfv-bench v2v at R+ in mode, DPDK guests."""
    cmd = [program, "--scenario=v2v", f"--mode={mode}", f"--size={SIZE}", "--guest=dpdk",
           "--preset=nfp6000-bdw", f"--db={db}"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)}: exit status {proc.returncode}: {proc.stderr.strip()}")
    point = json.loads(next(l for l in proc.stdout.splitlines() if l.startswith("{")))
    conn = sqlite3.connect(db)
    cores = conn.execute("SELECT value FROM counters WHERE run_id = ? AND component LIKE '%/cpu' "
                         "AND name = 'cores_busy'", (point["run_id"],)).fetchone()
    conn.close()
    return point["mpps"], cores[0] if cores else 0.0


def measure(program, nfv):
    """(modes in the program's order, {mode: {column: value}}) from the runs."""
    out = {}
    modes = []
    with tempfile.TemporaryDirectory() as tmp:
        for guest, column, options in RUNS:
            db = os.path.join(tmp, f"{guest}-{column}.db")
            run(program, guest, options, db)
            conn = sqlite3.connect(db)
            rows = conn.execute("SELECT r.mode, f.lat_p50_ns FROM runs r JOIN flows f "
                                "ON f.run_id = r.id ORDER BY r.id").fetchall()
            conn.close()
            for mode, p50 in rows:
                if mode not in modes:
                    modes.append(mode)
                out.setdefault(mode, {})[column] = p50 / 1e3
        db = os.path.join(tmp, "rplus.db")
        for mode in modes:
            out[mode]["mpps"], out[mode]["cores"] = rplus(nfv, mode, db)
    return modes, out


def table(modes, out):
    lines = ["| mode | kernel guests: latency p50, vCPU idle | vCPU busy | DPDK guests: latency "
             "p50 | R+ (v2v, 64 B) | host cores busy then |",
             "| --- | --- | --- | --- | --- | --- |"]
    for mode in modes:
        c = out[mode]
        lines.append(f"| {mode} | {c['idle']:.1f} us | {c['busy']:.1f} us | {c['latency']:.1f} us "
                     f"| {c['mpps']:.2f} Mpps | {c['cores']:.2f} |")
    return "\n".join(lines)


def main(argv=None):
    p = argparse.ArgumentParser(prog="end_to_end.py", description=__doc__.split("\n")[0])
    p.add_argument("--bin", default=DEFAULT_BIN, help="the compare-modes program (nfv-bench is "
                   "taken from the same directory)")
    p.add_argument("--update-doc", metavar="FILE", help="write the table into FILE")
    p.add_argument("--check-doc", metavar="FILE", help="fail if FILE's table is not the model's")
    args = p.parse_args(argv)
    nfv = os.path.join(os.path.dirname(args.bin), "nfv-bench")
    for program in (args.bin, nfv):
        if not os.access(program, os.X_OK):
            print(f"end_to_end: error: {program}: no such program (build it, or give --bin)",
                  file=sys.stderr)
            return 2
    try:
        modes, out = measure(args.bin, nfv)
    except RuntimeError as e:
        print(f"end_to_end: {e}", file=sys.stderr)
        return 1
    text = table(modes, out)
    if args.update_doc or args.check_doc:
        return doc_table.update_or_check("end_to_end.py", args.update_doc or args.check_doc, text,
                                         bool(args.update_doc))
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
