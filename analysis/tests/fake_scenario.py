#!/usr/bin/python3
"""A stand-in scenario program for the Python tests (never used for results).

It obeys the scenario contract of the C++ programs:
  NAME --opt=value ... --RngRun=N --db=FILE --point=KEY
writes exactly one runs row (point=KEY) and its child rows in ONE transaction at its end and
exits 0; exits 2 with a message on stderr on bad input; other failures exit non-zero.
NAME (the runs.scenario) is the name it was started as, so a symlink bin/compare-modes works.

Test knobs (ordinary options, so a spec can vary them):
  --sleep=S        sleep S seconds before writing (to make a sweep slow enough to kill)
  --fail=true      print 25 lines on stderr and exit 3
  --fail-if-exists=PATH  fail like --fail=true while PATH exists
  --write-failed=true  record the point as failed itself (status 'failed'), then exit 1
  --no-write=true  exit 0 without writing anything (a broken program)
  --exit-after-write=N  exit N after committing the results (a program that fails at its very end)
  --pid-dir=DIR    write DIR/PID at start (lets a test check that children were stopped)
  --mode=M         one of the six modes, or all: one run per mode, each stored with the point key
                   KEY/MODE (as the C++ programs; the default when started as compare-modes)
  --size=B         frame size in bytes, an integer >= 1 (anything else: exit 2)
  --topology=PATH  must be a readable file (else exit 2: a value no option list can check)
  --list-options   print the option list (JSON) as the C++ programs do, and exit 0
An option not in that list is refused as ns-3's CommandLine does: a line naming it, then the
whole help (60 lines), exit 1. Without --point the run is ad hoc (runs.point NULL).
Results are a deterministic function of the options and RngRun, so two sweeps of the same
points give the same rows (only ids, start and wall times differ).
"""

import hashlib
import json
import os
import random
import sqlite3
import sys
import time

import vmcomm_db  # from analysis/: the tests run with PYTHONPATH=analysis, which the sweep runner passes on

MODES = ("vf-dma", "veb", "vepa", "vswitch-kernel", "vswitch-dpdk", "vswitch-offload")
TRUE = ("1", "true", "yes")


def bad_input(message):
    print(f"{os.path.basename(sys.argv[0])}: {message}", file=sys.stderr)
    sys.exit(2)


def option_list(scenario):
    """What --list-options prints: the fake's own options, two globals and a few attributes."""
    def opt(name, kind, **more):
        return dict(name=name, type=kind, help=f"fake option {name}", **more)

    options = [
        opt("mode", "enum", choices=list(MODES) + ["all"], expands={"all": list(MODES)},
            default="all" if scenario == "compare-modes" else "vf-dma"),
        opt("size", "integer", min=1, max=65535, default="1500"),
        opt("nics", "integer", min=1, max=8, default="1"),
        opt("duration", "time", default="+1ms"),
        opt("load", "string", default="10Gbps"),
        opt("topology", "string"),
        opt("tag", "string"),
        opt("sleep", "float", default="0"),
        opt("fail", "boolean", default="false"),
        opt("fail-if-exists", "string"),
        opt("write-failed", "boolean", default="false"),
        opt("no-write", "boolean", default="false"),
        opt("exit-after-write", "integer", default="0"),
        opt("pid-dir", "string"),
        opt("db", "string"),
        opt("point", "string"),
    ]
    integer = dict(type="integer", checker="ns3::UintegerValue", help="")
    return {
        "program": scenario,
        "options": options,
        "globals": [dict(name="RngSeed", min=1, max=4294967295, default="1", **integer),
                    dict(name="RngRun", min=0, max=18446744073709551615, default="1", **integer)],
        "attributes": [
            dict(name="ns3::Iommu::IotlbEntries", min=1, max=4294967295, default="64", **integer),
            dict(name="ns3::MemoryDomain::PageSize", min=4096, max=1 << 30, default="4096", **integer),
            dict(name="ns3::Iommu::InvalidationMode", type="enum", choices=["STRICT", "LAZY"],
                 checker="ns3::EnumValue", default="LAZY", help=""),
            dict(name="ns3::PcieLink::Ecrc", type="boolean", checker="ns3::BooleanValue",
                 default="false", help=""),
        ],
    }


def parse(argv, scenario):
    listing = option_list(scenario)
    known = {o["name"] for o in listing["options"]} | {g["name"] for g in listing["globals"]}
    known |= {a["name"] for a in listing["attributes"]}
    opts = {}
    for arg in argv:
        if not arg.startswith("--") or "=" not in arg:
            bad_input(f"invalid argument {arg!r} (expected --name=value)")
        name, value = arg[2:].split("=", 1)
        if name not in known:
            # As ns-3 3.37's CommandLine: the bad option first, then the whole help.
            print(f"Invalid command-line argument: --{name}", file=sys.stderr)
            for i in range(60):
                print(f"    --option{i}:  help line {i} of the fake's help [default]", file=sys.stderr)
            sys.exit(1)
        opts[name] = value
    for required in ("db", "RngRun"):
        if required not in opts:
            bad_input(f"missing --{required}")
    opts.setdefault("mode", next(o["default"] for o in listing["options"] if o["name"] == "mode"))
    return opts


def results(opts, rng_run):
    """Made-up but plausible numbers, deterministic in (options, RngRun)."""
    params = sorted((k, v) for k, v in opts.items() if k not in ("db", "point", "sleep"))
    seed = hashlib.sha256(repr((params, rng_run)).encode()).hexdigest()
    rnd = random.Random(int(seed[:16], 16))
    mode = opts.get("mode", "vf-dma")
    size = int(opts.get("size", "1500"))
    software = mode.startswith("vswitch") and mode != "vswitch-offload"
    gbps = (8.0 if software else 40.0) * size / (size + 24) * (0.95 + 0.1 * rnd.random())
    base_ns = (6000.0 if software else 1500.0) + 2.0 * size
    cpu = 0.0 if mode in ("vf-dma", "veb", "vepa") else (0.01 if mode == "vswitch-offload" else 0.02)
    return rnd, gbps, base_ns, cpu


def write(opts, scenario, started, started_at):
    """Write the run(s): one, or one per mode for mode=all (point KEY/MODE)."""
    if opts["mode"] != "all":
        write_one(opts, scenario, started, started_at)
        return
    for mode in MODES:
        one = dict(opts, mode=mode)
        if opts.get("point"):
            one["point"] = f"{opts['point']}/{mode}"
        write_one(one, scenario, started, started_at)


def write_one(opts, scenario, started, started_at):
    rng_run = int(opts["RngRun"])
    rnd, gbps, base_ns, cpu = results(opts, rng_run)
    mode = opts.get("mode")
    size = int(opts.get("size", "1500"))
    sim_s = 0.01
    conn = vmcomm_db.connect(opts["db"])
    conn.execute("BEGIN IMMEDIATE")
    try:
        # As the C++ writer (ResultsDb::WriteRun): an ok run of the point is kept, a failed one
        # replaced.
        if opts.get("point") is not None and vmcomm_db.claim_point(conn, opts["point"])[0] == "kept-ok":
            conn.execute("ROLLBACK")
            return
        run = dict(point=opts.get("point"), scenario=scenario, topology=opts.get("topology"), mode=mode,
                   rng_seed=1, rng_run=rng_run, version="fake-1", started_at=started_at,
                   wall_seconds=time.monotonic() - started, sim_seconds=sim_s, status="ok")
        params = {k: v for k, v in opts.items() if k not in ("db", "point", "RngRun")}
        run_id = vmcomm_db.insert_run(conn, run, params)
        hist_total = {}
        for flow in (0, 1):
            frames = int(gbps * 1e9 / 2 * sim_s / 8 / size)
            lat = [base_ns * (1 + 0.5 * rnd.random()) for _ in range(200)]
            lat.sort()
            conn.execute(
                "INSERT INTO flows VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (run_id, flow, f"vm{flow}", f"vm{flow + 2}", "host0", "host0", 1, frames + 3,
                 (frames + 3) * size, frames, frames * size, 3, gbps * 1e9 / 2, gbps * 1e9 / 2,
                 gbps * 1e9 / 2, 0, sum(lat) / len(lat), lat[100], lat[198], lat[199], lat[199], 0))
            for value in lat:
                lo = 2 ** int(value).bit_length() // 2
                hist_total[lo] = hist_total.get(lo, 0) + frames // 200 + 1
        for lo, count in sorted(hist_total.items()):
            conn.execute("INSERT INTO latency_hist VALUES (?,?,?,?,?)", (run_id, -1, lo, 2 * lo, count))
        conn.execute("INSERT INTO drops VALUES (?,?,?,?)", (run_id, "host0/vf1", "no-rx-buffer", 6))
        counters = [("host0/cpu", "forwarding_core_seconds", cpu),
                    ("host0/cpu", "cores_busy", cpu / 0.001),  # a 1 ms traffic window
                    ("host0/pcie", "up_utilization", 0.1 + 0.3 * rnd.random()),
                    ("host0/pcie", "down_utilization", 0.1 + 0.3 * rnd.random())]
        if mode in ("vf-dma", "vswitch-offload", None):
            counters += [("host0/iommu", "iotlb_hits", 900 + rnd.randrange(100)),
                         ("host0/iommu", "iotlb_misses", 10 + rnd.randrange(50))]
        conn.executemany("INSERT INTO counters VALUES (?,?,?,?)", [(run_id,) + c for c in counters])
        conn.execute("COMMIT")
    except sqlite3.Error as e:
        conn.execute("ROLLBACK")
        print(f"{scenario}: cannot write results for point {opts.get('point')}: {e}", file=sys.stderr)
        sys.exit(1)


def main():
    started, started_at = time.monotonic(), vmcomm_db.now_iso()
    scenario = os.path.basename(sys.argv[0]).removesuffix(".py")
    if "--list-options" in sys.argv[1:]:
        json.dump(option_list(scenario), sys.stdout)
        return
    opts = parse(sys.argv[1:], scenario)
    if opts["mode"] not in MODES + ("all",):
        bad_input(f"unknown --mode={opts['mode']} (one of {', '.join(MODES)}, all)")
    if "topology" in opts and not os.path.isfile(opts["topology"]):
        bad_input(f"--topology={opts['topology']}: no such file")
    if "size" in opts and not (opts["size"].isdigit() and int(opts["size"]) >= 1):
        bad_input(f"--size={opts['size']}: expected a frame size in bytes")
    if "pid-dir" in opts:
        open(os.path.join(opts["pid-dir"], str(os.getpid())), "w").close()
    time.sleep(float(opts.get("sleep", "0")))
    fail_file = opts.get("fail-if-exists")
    if opts.get("fail", "").lower() in TRUE or (fail_file and os.path.exists(fail_file)):
        for i in range(25):
            print(f"fake: simulation step {i}", file=sys.stderr)
        print(f"fake: simulated failure at size {opts.get('size')}", file=sys.stderr)
        sys.exit(3)
    if opts.get("no-write", "").lower() in TRUE:
        return
    if opts.get("write-failed", "").lower() in TRUE:
        conn = vmcomm_db.connect(opts["db"])
        vmcomm_db.record_failed_run(conn, opts["point"], scenario, {}, int(opts["RngRun"]),
                                    "fake: model error: IOMMU fault storm")
        print("fake: model error", file=sys.stderr)
        sys.exit(1)
    write(opts, scenario, started, started_at)
    sys.exit(int(opts.get("exit-after-write", "0")))


if __name__ == "__main__":
    main()
