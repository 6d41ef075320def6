/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * dma-bench: the pcie-bench methodology (Neugebauer et al., SIGCOMM 2018) on the model. The NIC's
 * DMA engine reads, writes or writes-then-reads SIZE bytes at random or sequential cache-line
 * aligned offsets in a WINDOW of host memory, IOMMU on or off; bandwidth (Gb/s) or latency
 * (median, 99.9th percentile). Lists of sizes and windows give curves.
 *
 *   ./vmcomm dma-bench --op=read --size=64,128,256 --window=8KiB --metric=bw
 *   ./vmcomm dma-bench --iommu=on --window=4KiB,256KiB,64MiB --db=results/dma.db
 *
 * One JSON object per point on stdout; with --db, one run per point in the results database.
 * Exit status: 0 done, 2 bad input (nothing run, nothing written), 1 other errors.
 */
#include "ns3/dma-bench.h"

#include "ns3/command-line-check.h"
#include "ns3/command-line.h"
#include "ns3/config.h"
#include "ns3/global-value.h"
#include "ns3/option-list.h"
#include "ns3/preset.h"
#include "ns3/results-db.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

using namespace ns3;

namespace {

/** Bench options: name, allowed values, default (for the messages and --help). */
struct Option
{
    const char* name;
    const char* allowed;
    const char* def;
};

const Option OPTIONS[] = {
    {"preset", "a preset name (--list-presets)", "nfp6000-bdw"},
    {"op", "read, write or rw (write then read)", "read"},
    {"size", "transfer sizes, comma separated, bytes with optional KiB/MiB/GiB", "64"},
    {"window", "window sizes, comma separated, bytes with optional KiB/MiB/GiB", "8KiB"},
    {"pattern", "rand or seq", "rand"},
    {"iommu", "on or off", "off"},
    {"page-size", "4KiB, 2MiB or 1GiB (IOMMU page size)", "4KiB"},
    {"metric", "bw (bandwidth) or lat (latency)", "bw"},
    {"db", "results database file (optional)", ""},
    {"ops", "measured operations per point, a positive integer (0: 20000 bw, 5000 lat)", "0"},
    {"warmup",
     "warm-up operations per point, a positive integer (0: 2000, at least 8 x outstanding)", "0"},
    {"outstanding", "bw: operations kept submitted (0: twice the read bound, at least 64)", "0"},
    {"host-offset", "bytes past the cache-line boundary of each host address, 0..63", "0"},
    {"device-offset", "bytes past a cache-line boundary of the NIC-memory address, 0..63", "0"},
    {"cache", "warm or cold (host cache: the window warmed by the host, or flushed)", "warm"},
};

/** ns-3's own informational options, handed to CommandLine as they are. */
const char* const NS3_FLAGS[] = {"PrintHelp",    "PrintGlobals",    "PrintGroups", "PrintTypeIds",
                                 "PrintVersion", "PrintAttributes", "PrintGroup",  "help"};

class BadInput : public std::runtime_error
{
  public:
    using std::runtime_error::runtime_error;
};

std::string
AllowedOptions()
{
    std::string s;
    for (const auto& o : OPTIONS)
    {
        s += std::string(s.empty() ? "" : ", ") + "--" + o.name;
    }
    return s
         + ", --list-presets, --ns3::Type::Attribute=VALUE, --RngRun=N (and other ns-3 "
           "globals), --help";
}

/** Check every argument before anything is applied; throws BadInput. \return --list-presets */
bool
CheckArguments(int argc, char* argv[])
{
    try
    {
        CommandLineCheck::CheckEnvironment();
    }
    catch (const CommandLineError& e)
    {
        throw BadInput(e.what());
    }
    bool listPresets = false;
    for (int i = 1; i < argc; ++i)
    {
        std::string a = argv[i];
        if (a.empty() || a[0] != '-')
        {
            throw BadInput("unexpected argument '" + a + "'; options are " + AllowedOptions());
        }
        a = a.substr(a.rfind("--", 0) == 0 ? 2 : 1);
        const std::size_t eq = a.find('=');
        const std::string name = a.substr(0, eq);
        const std::string value = eq == std::string::npos ? "" : a.substr(eq + 1);
        if (name == "list-presets")
        {
            listPresets = true;
            continue;
        }
        bool known = false;
        for (const auto& f : NS3_FLAGS)
        {
            known |= name == f;
        }
        for (const auto& o : OPTIONS)
        {
            if (name == o.name)
            {
                if (eq == std::string::npos)
                {
                    throw BadInput("--" + name + " needs a value: --" + name + "=VALUE, "
                                   + o.allowed);
                }
                known = true;
            }
        }
        if (known)
        {
            continue;
        }
        std::string why;
        // The scenario programs' check of ns-3 attributes and global values (one for all).
        if (eq == std::string::npos || !CommandLineCheck::CheckNs3Setting(name, value, &why))
        {
            if (why.empty() || why == "unknown option")
            {
                throw BadInput("unknown option '" + std::string(argv[i]) + "'; options are "
                               + AllowedOptions());
            }
            throw BadInput("--" + name + "=" + value + ": " + why);
        }
    }
    return listPresets;
}

std::vector<std::string>
SplitList(const std::string& s)
{
    std::vector<std::string> out;
    std::stringstream ss(s);
    std::string item;
    while (std::getline(ss, item, ','))
    {
        out.push_back(item);
    }
    if (out.empty() || s.back() == ',')
    {
        out.push_back("");
    }
    return out;
}

template<typename T>
T
Choose(const std::string& option, const std::string& value,
       const std::vector<std::pair<std::string, T>>& choices)
{
    std::string allowed;
    for (const auto& c : choices)
    {
        if (c.first == value)
        {
            return c.second;
        }
        allowed += std::string(allowed.empty() ? "" : ", ") + c.first;
    }
    throw BadInput("--" + option + "=" + value + ": allowed values are " + allowed);
}

uint32_t
ParseCount(const std::string& option, const std::string& value)
{
    if (value.empty() || value.size() > 9
        || value.find_first_not_of("0123456789") != std::string::npos)
    {
        throw BadInput("--" + option + "=" + value + ": allowed: a whole number (0..999999999)");
    }
    return static_cast<uint32_t>(std::stoul(value));
}

uint32_t
ParseOffset(const std::string& option, const std::string& value)
{
    if (value.empty() || value.size() > 2
        || value.find_first_not_of("0123456789") != std::string::npos || std::stoul(value) > 63)
    {
        throw BadInput("--" + option + "=" + value
                       + ": allowed: 0..63 (bytes within a cache line)");
    }
    return static_cast<uint32_t>(std::stoul(value));
}

std::vector<uint64_t>
ParseSizes(const std::string& option, const std::string& value)
{
    std::vector<uint64_t> out;
    for (const auto& item : SplitList(value))
    {
        uint64_t bytes = 0;
        try
        {
            bytes = ParseByteSize(item);
        }
        catch (const std::invalid_argument& e)
        {
            throw BadInput("--" + option + ": " + e.what());
        }
        if (bytes == 0)
        {
            throw BadInput("--" + option + "=" + item + ": must be at least 1 byte");
        }
        out.push_back(bytes);
    }
    return out;
}

std::string
JsonNumber(double v, int precision)
{
    if (!std::isfinite(v))
    {
        return "null";
    }
    char buf[64];
    std::snprintf(buf, sizeof(buf), "%.*f", precision, v);
    return buf;
}

void
PrintPresets()
{
    for (const auto& name : ListPresets())
    {
        const Preset& p = GetPreset(name);
        std::cout << p.name << (p.name == GetDefaultPresetName() ? " (default)" : "") << ": "
                  << p.description << "\n";
        for (const auto& q : p.parameters)
        {
            std::cout << "  --" << q.attribute << "=" << q.value << "  [" << q.source << "]\n";
        }
    }
}

int
Run(int argc, char* argv[])
{
    if (CheckArguments(argc, argv))
    {
        PrintPresets();
        return 0;
    }
    std::string preset;
    try
    {
        // Before Parse: the preset first, then every --ns3:: option overrides it.
        preset = ApplyPresetFromCommandLine(argc, argv);
    }
    catch (const std::invalid_argument& e)
    {
        throw BadInput(std::string("--preset: ") + e.what());
    }

    std::string presetOpt = GetDefaultPresetName();
    std::string op = "read";
    std::string size = "64";
    std::string window = "8KiB";
    std::string pattern = "rand";
    std::string iommu = "off";
    std::string pageSize = "4KiB";
    std::string metric = "bw";
    std::string db;
    std::string ops = "0";
    std::string warmup = "0";
    std::string outstanding = "0";
    std::string hostOffset = "0";
    std::string deviceOffset = "0";
    std::string cache = "warm";

    CommandLine cmd(__FILE__);
    cmd.Usage("pcie-bench style DMA microbenchmark of the model: one JSON object per point on "
              "stdout. Lists of --size and --window give every combination. --list-presets "
              "prints the presets and the sources of their values.");
    std::string* targets[]
        = {&presetOpt, &op,  &size,   &window,      &pattern,    &iommu,        &pageSize, &metric,
           &db,        &ops, &warmup, &outstanding, &hostOffset, &deviceOffset, &cache};
    static_assert(sizeof(targets) / sizeof(targets[0]) == sizeof(OPTIONS) / sizeof(OPTIONS[0]),
                  "one target per option");
    for (std::size_t i = 0; i < sizeof(OPTIONS) / sizeof(OPTIONS[0]); ++i)
    {
        cmd.AddValue(OPTIONS[i].name,
                     std::string(OPTIONS[i].allowed) + " (default "
                         + (OPTIONS[i].def[0] ? OPTIONS[i].def : "none") + ")",
                     *targets[i]);
    }
    cmd.Parse(argc, argv);

    DmaBenchConfig base;
    base.op = Choose<DmaBenchConfig::Op>("op", op,
                                         {{"read", DmaBenchConfig::READ},
                                          {"write", DmaBenchConfig::WRITE},
                                          {"rw", DmaBenchConfig::WRITE_READ}});
    base.pattern = Choose<DmaBenchConfig::Pattern>(
        "pattern", pattern,
        {{"rand", DmaBenchConfig::RANDOM}, {"seq", DmaBenchConfig::SEQUENTIAL}});
    base.iommu = Choose<bool>("iommu", iommu, {{"on", true}, {"off", false}});
    base.metric = Choose<DmaBenchConfig::Metric>(
        "metric", metric, {{"bw", DmaBenchConfig::BANDWIDTH}, {"lat", DmaBenchConfig::LATENCY}});
    {
        uint64_t page = 0;
        try
        {
            page = ParseByteSize(pageSize);
        }
        catch (const std::invalid_argument& e)
        {
            throw BadInput(std::string("--page-size: ") + e.what());
        }
        base.pageBytes
            = Choose<uint64_t>("page-size", FormatByteSize(page),
                               {{"4KiB", 4096}, {"2MiB", 2097152}, {"1GiB", 1073741824}});
    }
    base.ops = ParseCount("ops", ops);
    base.warmup = ParseCount("warmup", warmup);
    base.outstanding = ParseCount("outstanding", outstanding);
    base.hostOffset = ParseOffset("host-offset", hostOffset);
    base.deviceOffset = ParseOffset("device-offset", deviceOffset);
    base.cacheWarm = Choose<bool>("cache", cache, {{"warm", true}, {"cold", false}});
    const std::vector<uint64_t> sizes = ParseSizes("size", size);
    const std::vector<uint64_t> windows = ParseSizes("window", window);
    for (uint64_t s : sizes)
    {
        if (s > (uint64_t{1} << 20))
        {
            throw BadInput("--size=" + FormatByteSize(s) + ": at most 1MiB per transfer");
        }
        for (uint64_t w : windows)
        {
            if (w < s + base.hostOffset)
            {
                throw BadInput("--window=" + FormatByteSize(w)
                               + " is smaller than --size=" + FormatByteSize(s)
                               + " plus --host-offset=" + std::to_string(base.hostOffset)
                               + "; every window must hold a transfer");
            }
            if (w > (uint64_t{1} << 40))
            {
                throw BadInput("--window=" + FormatByteSize(w) + ": at most 1TiB");
            }
        }
    }

    std::unique_ptr<ResultsDb> out;
    if (!db.empty())
    {
        try
        {
            out = std::make_unique<ResultsDb>(db); // checked writable before any point runs
        }
        catch (const std::exception& e)
        {
            throw BadInput("--db=" + db + ": " + e.what());
        }
    }
    UintegerValue seed;
    UintegerValue run;
    GlobalValue::GetValueByName("RngSeed", seed);
    GlobalValue::GetValueByName("RngRun", run);

    for (uint64_t s : sizes)
    {
        for (uint64_t w : windows)
        {
            DmaBenchConfig c = base;
            c.size = static_cast<uint32_t>(s);
            c.window = w;
            const std::string started = ResultsDb::NowIso8601();
            const auto wall0 = std::chrono::steady_clock::now();
            const DmaBenchResult r = RunDmaBenchPoint(c);
            const double wall
                = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();

            int64_t runId = -1;
            if (out)
            {
                RunRecord rec;
                rec.scenario = "dma-bench";
                rec.rngSeed = static_cast<int64_t>(seed.Get());
                rec.rngRun = static_cast<int64_t>(run.Get());
                rec.version = "0.1.0";
                rec.startedAt = started;
                rec.wallSeconds = wall;
                rec.simSeconds = r.simTime.GetSeconds();
                const uint64_t memBytes = (w + c.pageBytes - 1) / c.pageBytes * c.pageBytes;
                for (auto& kv : CollectAttributeDefaults("SriovVmcomm"))
                {
                    // The bench sizes the memory per point: record what it used.
                    if (kv.first == "ns3::MemoryDomain::PageSize")
                    {
                        kv.second = std::to_string(c.pageBytes);
                    }
                    else if (kv.first == "ns3::MemoryDomain::SizeBytes")
                    {
                        kv.second = std::to_string(memBytes);
                    }
                    rec.params.push_back(kv);
                }
                rec.params.emplace_back("preset", preset);
                rec.params.emplace_back("op", ToString(c.op));
                rec.params.emplace_back("size", std::to_string(c.size));
                rec.params.emplace_back("window", std::to_string(c.window));
                rec.params.emplace_back("pattern", ToString(c.pattern));
                rec.params.emplace_back("iommu", c.iommu ? "on" : "off");
                rec.params.emplace_back("page-size", std::to_string(c.pageBytes));
                rec.params.emplace_back("metric", ToString(c.metric));
                rec.params.emplace_back("ops", std::to_string(r.ops));
                rec.params.emplace_back("warmup", std::to_string(c.warmup));
                rec.params.emplace_back("outstanding", std::to_string(r.outstanding));
                rec.params.emplace_back("host-offset", std::to_string(c.hostOffset));
                rec.params.emplace_back("device-offset", std::to_string(c.deviceOffset));
                rec.params.emplace_back("cache", c.cacheWarm ? "warm" : "cold");
                const std::string comp = "dma-bench";
                if (c.metric == DmaBenchConfig::BANDWIDTH)
                {
                    rec.counters.push_back({comp, "gbps", r.gbps});
                }
                else
                {
                    rec.counters.push_back({comp, "lat_median_ns", r.latMedianNs});
                    rec.counters.push_back({comp, "lat_p95_ns", r.latP95Ns});
                    rec.counters.push_back({comp, "lat_p999_ns", r.latP999Ns});
                    rec.counters.push_back({comp, "lat_min_ns", r.latMinNs});
                    rec.histograms.emplace_back(-1, r.latency);
                }
                if (c.iommu)
                {
                    rec.counters.push_back({comp, "iotlb_miss_rate", r.iotlbMissRate});
                }
                for (const auto& kv : r.counters)
                {
                    rec.counters.push_back({comp, kv.first, kv.second});
                }
                runId = out->WriteRun(rec);
            }

            // Only the chosen metric: bandwidth-mode latencies would measure the loop's own
            // queue (Little: outstanding / rate), latency-mode throughput nothing useful.
            const bool bw = c.metric == DmaBenchConfig::BANDWIDTH;
            const double nan = std::nan("");
            std::cout << "{\"preset\":\"" << preset << "\",\"op\":\"" << ToString(c.op)
                      << "\",\"size\":" << c.size << ",\"window\":" << c.window << ",\"pattern\":\""
                      << ToString(c.pattern) << "\",\"iommu\":\"" << (c.iommu ? "on" : "off")
                      << "\",\"page_size\":" << c.pageBytes << ",\"metric\":\""
                      << ToString(c.metric) << "\",\"gbps\":" << JsonNumber(bw ? r.gbps : nan, 3)
                      << ",\"lat_median_ns\":" << JsonNumber(bw ? nan : r.latMedianNs, 1)
                      << ",\"lat_p95_ns\":" << JsonNumber(bw ? nan : r.latP95Ns, 1)
                      << ",\"lat_p999_ns\":" << JsonNumber(bw ? nan : r.latP999Ns, 1)
                      << ",\"lat_min_ns\":" << JsonNumber(bw ? nan : r.latMinNs, 1)
                      << ",\"host_offset\":" << c.hostOffset
                      << ",\"device_offset\":" << c.deviceOffset << ",\"cache\":\""
                      << (c.cacheWarm ? "warm" : "cold") << "\""
                      << ",\"iotlb_miss_rate\":"
                      << (c.iommu ? JsonNumber(r.iotlbMissRate, 4) : std::string("null"))
                      << ",\"ops\":" << r.ops;
            if (runId >= 0)
            {
                std::cout << ",\"run_id\":" << runId;
            }
            std::cout << "}" << std::endl;
        }
    }
    return 0;
}

} // namespace

int
main(int argc, char* argv[])
{
    if (OptionList::Requested(argc, argv)) // what sweep.py checks a spec against
    {
        CommandLine cmd("dma-bench");
        std::vector<std::string> values(std::size(OPTIONS));
        for (std::size_t i = 0; i < values.size(); ++i)
        {
            cmd.AddValue(OPTIONS[i].name, OPTIONS[i].allowed, values[i] = OPTIONS[i].def);
        }
        OptionList list("dma-bench", cmd);
        for (const auto& o : OPTIONS)
        {
            list.Type(o.name, "string"); // lists and sizes with units: the program checks them
        }
        return list.Choices("preset", ListPresets())
            .Choices("op", {"read", "write", "rw"})
            .Choices("pattern", {"rand", "seq"})
            .Choices("iommu", {"on", "off"})
            .Choices("metric", {"bw", "lat"})
            .Choices("cache", {"warm", "cold"})
            .Print(std::cout);
    }
    try
    {
        return Run(argc, argv);
    }
    catch (const BadInput& e)
    {
        std::cerr << "dma-bench: " << e.what() << "\n";
        return 2;
    }
    catch (const std::exception& e)
    {
        std::cerr << "dma-bench: error: " << e.what() << "\n";
        return 1;
    }
}
