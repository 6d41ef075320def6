#!/usr/bin/python3
"""The training figures of Zhang et al. (CoNEXT 2019) against nfv-bench on the model.

  nfv_training.py [--bin PATH] [--db FILE] [--markdown] [-- NFV-BENCH-OPTIONS...]

Runs the nfv-bench point of each published figure the switch profiles were trained on
(contrib/sriov-vmcomm/doc/vswitch.md, "Calibration": testbed 2x Xeon E5-2690 v3, Intel 82599ES
10GbE, DPDK guests; Gb/s count L1 bits) and prints
a table: figure, published, model, deviation. Options after "--" go to every point (a preset:
--preset=NAME, attributes: --ns3::Type::Attr=V). A point the program refuses (a switch profile
this build does not have: exit status 2) is listed as not available, with its message. --db adds
the points to a results database; --markdown prints the table for doc/validation.md;
--update-doc FILE writes it there (between the markers of analysis/doc_table.py) and --check-doc FILE
fails, saying how to regenerate, when the page's table is not what the model gives.
Exit status: 0 done, 1 a point failed otherwise, 2 bad usage. Run with /usr/bin/python3.
"""

import argparse
import json
import os
import subprocess
import sys

import doc_table

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_BIN = os.path.join(ROOT, "build", "bin", "nfv-bench")

# (figure, published value, unit, the JSON key it is compared with, nfv-bench options).
# Unidirectional; the software switch on its DPDK datapath (mode vswitch-dpdk) with the profile.
FIGURES = [
    ("OVS-DPDK v2v 64 B", 4.03, "Gb/s", "gbps_l1", ["--scenario=v2v", "--vswitch=ovs-dpdk", "--size=64"]),
    ("OVS-DPDK v2v 1024 B", 28.73, "Gb/s", "gbps_l1", ["--scenario=v2v", "--vswitch=ovs-dpdk", "--size=1024"]),
    ("OVS-DPDK p2p 64 B", 8.05, "Gb/s", "gbps_l1", ["--scenario=p2p", "--vswitch=ovs-dpdk", "--size=64"]),
    ("OVS-DPDK p2v 64 B", 5.14, "Gb/s", "gbps_l1", ["--scenario=p2v", "--vswitch=ovs-dpdk", "--size=64"]),
    ("OVS-DPDK loopback 1 VNF 64 B", 2.37, "Gb/s", "gbps_l1",
     ["--scenario=loopback", "--chain=1", "--vswitch=ovs-dpdk", "--size=64"]),
    ("OVS-DPDK p2p 64 B latency at 0.1 R+, median", 4.26, "us", "lat_median_us",
     ["--scenario=p2p", "--vswitch=ovs-dpdk", "--size=64", "--metric=latency", "--load-fraction=0.1"]),
    ("OVS-DPDK p2p 64 B latency at 0.1 R+, p99", 4.89, "us", "lat_p99_us",
     ["--scenario=p2p", "--vswitch=ovs-dpdk", "--size=64", "--metric=latency", "--load-fraction=0.1"]),
    ("VPP v2v 64 B", 4.54, "Gb/s", "gbps_l1", ["--scenario=v2v", "--vswitch=vpp", "--size=64"]),
    ("VPP p2v 64 B", 6.93, "Gb/s", "gbps_l1", ["--scenario=p2v", "--vswitch=vpp", "--size=64"]),
    ("BESS v2v 64 B", 7.37, "Gb/s", "gbps_l1", ["--scenario=v2v", "--vswitch=bess", "--size=64"]),
]
COMMON = ["--mode=vswitch-dpdk", "--guest=dpdk", "--direction=uni"]
def run_point(program, options, extra, db):
    """Run one point: (JSON object, None) or (None, message); exit status 2 is 'not available'."""
    cmd = [program] + COMMON + options + extra + ([f"--db={db}"] if db else [])
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode == 0:
        for line in proc.stdout.splitlines():
            if line.startswith("{"):
                return json.loads(line), None
        return None, "no JSON output"
    message = (proc.stderr.strip().splitlines() or [f"exit status {proc.returncode}"])[-1]
    return None, ("not available: " if proc.returncode == 2 else "failed: ") + message


def table(rows, markdown):
    """The comparison as text: rows are (figure, published, unit, model or None, note)."""
    lines = []
    if markdown:
        lines.append("| figure (Zhang et al. 2019) | published | model | deviation |")
        lines.append("| --- | --- | --- | --- |")
    for figure, published, unit, model, note in rows:
        if model is None:
            cells = (figure, f"{published:g} {unit}", "n/a", note)
        else:
            dev = (model - published) / published * 100
            cells = (figure, f"{published:g} {unit}", f"{model:.2f} {unit}", f"{dev:+.1f}%")
        lines.append("| " + " | ".join(cells) + " |" if markdown else "  ".join(
            (cells[0].ljust(46), cells[1].rjust(11), cells[2].rjust(11), cells[3])))
    return "\n".join(lines)


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    extra = []
    if "--" in argv:
        extra = argv[argv.index("--") + 1:]
        argv = argv[:argv.index("--")]
    p = argparse.ArgumentParser(prog="nfv_training.py", description=__doc__.split("\n")[0])
    p.add_argument("--bin", default=DEFAULT_BIN, help="the nfv-bench program")
    p.add_argument("--db", help="results database to add the points to")
    p.add_argument("--markdown", action="store_true", help="a Markdown table")
    p.add_argument("--update-doc", metavar="FILE", help="write the Markdown table into FILE")
    p.add_argument("--check-doc", metavar="FILE", help="fail if FILE's table is not the model's")
    args = p.parse_args(argv)
    if not os.access(args.bin, os.X_OK):
        print(f"nfv_training: error: {args.bin}: no nfv-bench program (build it, or give --bin)",
              file=sys.stderr)
        return 2
    rows = []
    failed = False
    cache = {}
    for figure, published, unit, key, options in FIGURES:
        ident = tuple(options)
        if ident not in cache:
            cache[ident] = run_point(args.bin, options, extra, args.db)
        point, message = cache[ident]
        failed |= message is not None and message.startswith("failed")
        rows.append((figure, published, unit, point.get(key) if point else None, message or ""))
    if args.update_doc or args.check_doc:
        status = doc_table.update_or_check("nfv_training.py", args.update_doc or args.check_doc,
                                           table(rows, True), bool(args.update_doc))
        return max(status, 1 if failed else 0)
    print(table(rows, args.markdown))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
