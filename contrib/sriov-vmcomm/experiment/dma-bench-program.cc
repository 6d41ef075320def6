/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The dma-bench program on the ScenarioProgram skeleton (see dma-bench-program.h).
 */
#include "dma-bench-program.h"

#include "command-line-check.h"
#include "json-text.h"
#include "ns3/command-line.h"
#include "ns3/dma-bench.h"
#include "ns3/preset.h"
#include "option-list.h"
#include "results-db.h"
#include "scenario-program.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace ns3 {

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
    {"cdf",
     "on or off: with --metric=lat each JSON object gains \"lat_cdf\":[[ns,fraction],...], the "
     "empirical CDF of the measured latencies (each distinct latency and the share of operations "
     "at or below it); absent with --metric=bw or off",
     "off"},
};

/** ns-3's own informational options, handed to CommandLine as they are. */
const char* const NS3_FLAGS[] = {"PrintHelp",    "PrintGlobals",    "PrintGroups", "PrintTypeIds",
                                 "PrintVersion", "PrintAttributes", "PrintGroup",  "help"};

/** Index of each option in OPTIONS. */
enum OptionIndex
{
    PRESET,
    OP,
    SIZE,
    WINDOW,
    PATTERN,
    IOMMU,
    PAGE_SIZE,
    METRIC,
    DB,
    OPS,
    WARMUP,
    OUTSTANDING,
    HOST_OFFSET,
    DEVICE_OFFSET,
    CACHE,
    CDF,
    N_OPTIONS
};

static_assert(sizeof(OPTIONS) / sizeof(OPTIONS[0]) == N_OPTIONS, "one index per option");

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

/** Check every argument before anything is applied; throws ExperimentError. \return --list-presets
 */
bool
CheckBenchArguments(int argc, char** argv)
{
    try
    {
        CommandLineCheck::CheckEnvironment();
    }
    catch (const CommandLineError& e)
    {
        throw ExperimentError(e.what());
    }
    bool listPresets = false;
    for (int i = 1; i < argc; ++i)
    {
        std::string a = argv[i];
        if (a.empty() || a[0] != '-')
        {
            throw ExperimentError("unexpected argument '" + a + "'; options are "
                                  + AllowedOptions());
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
                    throw ExperimentError("--" + name + " needs a value: --" + name + "=VALUE, "
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
                throw ExperimentError("unknown option '" + std::string(argv[i]) + "'; options are "
                                      + AllowedOptions());
            }
            throw ExperimentError("--" + name + "=" + value + ": " + why);
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
    throw ExperimentError("--" + option + "=" + value + ": allowed values are " + allowed);
}

uint32_t
ParseCount(const std::string& option, const std::string& value)
{
    if (value.empty() || value.size() > 9
        || value.find_first_not_of("0123456789") != std::string::npos)
    {
        throw ExperimentError("--" + option + "=" + value
                              + ": allowed: a whole number (0..999999999)");
    }
    return static_cast<uint32_t>(std::stoul(value));
}

uint32_t
ParseOffset(const std::string& option, const std::string& value)
{
    if (value.empty() || value.size() > 2
        || value.find_first_not_of("0123456789") != std::string::npos || std::stoul(value) > 63)
    {
        throw ExperimentError("--" + option + "=" + value
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
            throw ExperimentError("--" + option + ": " + e.what());
        }
        if (bytes == 0)
        {
            throw ExperimentError("--" + option + "=" + item + ": must be at least 1 byte");
        }
        out.push_back(bytes);
    }
    return out;
}

/** \return the CDF's pairs as JSON arrays "[ns,fraction],...": ns whole (the samples are whole
 * nanoseconds), the fraction with 9 significant digits (exact for up to 10^9 operations). */
std::string
FormatCdf(const std::vector<std::pair<double, double>>& cdf)
{
    std::string s;
    s.reserve(cdf.size() * 16);
    char buf[64];
    for (const auto& [ns, fraction] : cdf)
    {
        std::snprintf(buf, sizeof(buf), "%s[%.0f,%.9g]", s.empty() ? "" : ",", ns, fraction);
        s += buf;
    }
    return s;
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

/** dma-bench: its own argument check (its messages list its options), then one point per
 * (size, window). */
class DmaBenchProgram : public ScenarioProgram
{
  public:
    DmaBenchProgram()
        : ScenarioProgram("dma-bench")
    {
        SetFailurePrefix("error: ");
        SetUsage("pcie-bench style DMA microbenchmark of the model: one JSON object per point on "
                 "stdout. Lists of --size and --window give every combination. --list-presets "
                 "prints the presets and the sources of their values.");
        for (std::size_t i = 0; i < N_OPTIONS; ++i)
        {
            m_text[i] = OPTIONS[i].def;
        }
        m_text[PRESET] = GetDefaultPresetName();
    }

  protected:
    void AddOptions(CommandLine& cmd, CommandLineCheck&) override
    {
        for (std::size_t i = 0; i < N_OPTIONS; ++i)
        {
            if (IsListing())
            {
                cmd.AddValue(OPTIONS[i].name, OPTIONS[i].allowed, m_text[i] = OPTIONS[i].def);
                continue;
            }
            cmd.AddValue(OPTIONS[i].name,
                         std::string(OPTIONS[i].allowed) + " (default "
                             + (OPTIONS[i].def[0] ? OPTIONS[i].def : "none") + ")",
                         m_text[i]);
        }
    }

    void DescribeOptions(OptionList& list) const override
    {
        for (const auto& o : OPTIONS)
        {
            list.Type(o.name, "string"); // lists and sizes with units: the program checks them
        }
        list.Choices("preset", ListPresets())
            .Choices("op", {"read", "write", "rw"})
            .Choices("pattern", {"rand", "seq"})
            .Choices("iommu", {"on", "off"})
            .Choices("metric", {"bw", "lat"})
            .Choices("cache", {"warm", "cold"})
            .Choices("cdf", {"on", "off"});
    }

    int CheckArguments(int argc, char** argv) override
    {
        if (CheckBenchArguments(argc, argv))
        {
            PrintPresets();
            return 0;
        }
        return -1;
    }

    void Prepare(int, char**) override
    {
        DmaBenchConfig& base = m_base;
        base.op = Choose<DmaBenchConfig::Op>("op", m_text[OP],
                                             {{"read", DmaBenchConfig::READ},
                                              {"write", DmaBenchConfig::WRITE},
                                              {"rw", DmaBenchConfig::WRITE_READ}});
        base.pattern = Choose<DmaBenchConfig::Pattern>(
            "pattern", m_text[PATTERN],
            {{"rand", DmaBenchConfig::RANDOM}, {"seq", DmaBenchConfig::SEQUENTIAL}});
        base.iommu = Choose<bool>("iommu", m_text[IOMMU], {{"on", true}, {"off", false}});
        base.metric = Choose<DmaBenchConfig::Metric>(
            "metric", m_text[METRIC],
            {{"bw", DmaBenchConfig::BANDWIDTH}, {"lat", DmaBenchConfig::LATENCY}});
        {
            uint64_t page = 0;
            try
            {
                page = ParseByteSize(m_text[PAGE_SIZE]);
            }
            catch (const std::invalid_argument& e)
            {
                throw ExperimentError(std::string("--page-size: ") + e.what());
            }
            base.pageBytes
                = Choose<uint64_t>("page-size", FormatByteSize(page),
                                   {{"4KiB", 4096}, {"2MiB", 2097152}, {"1GiB", 1073741824}});
        }
        base.ops = ParseCount("ops", m_text[OPS]);
        base.warmup = ParseCount("warmup", m_text[WARMUP]);
        base.outstanding = ParseCount("outstanding", m_text[OUTSTANDING]);
        base.hostOffset = ParseOffset("host-offset", m_text[HOST_OFFSET]);
        base.deviceOffset = ParseOffset("device-offset", m_text[DEVICE_OFFSET]);
        base.cacheWarm = Choose<bool>("cache", m_text[CACHE], {{"warm", true}, {"cold", false}});
        base.latCdf = Choose<bool>("cdf", m_text[CDF], {{"on", true}, {"off", false}});
        m_sizes = ParseSizes("size", m_text[SIZE]);
        m_windows = ParseSizes("window", m_text[WINDOW]);
        for (uint64_t s : m_sizes)
        {
            if (s > (uint64_t{1} << 20))
            {
                throw ExperimentError("--size=" + FormatByteSize(s)
                                      + ": at most 1MiB per transfer");
            }
            for (uint64_t w : m_windows)
            {
                if (w < s + base.hostOffset)
                {
                    throw ExperimentError("--window=" + FormatByteSize(w)
                                          + " is smaller than --size=" + FormatByteSize(s)
                                          + " plus --host-offset=" + std::to_string(base.hostOffset)
                                          + "; every window must hold a transfer");
                }
                if (w > (uint64_t{1} << 40))
                {
                    throw ExperimentError("--window=" + FormatByteSize(w) + ": at most 1TiB");
                }
            }
        }
    }

    std::string GetDbPath() const override
    {
        return m_text[DB];
    }

    int Run(ResultsDb* db) override
    {
        for (uint64_t s : m_sizes)
        {
            for (uint64_t w : m_windows)
            {
                DmaBenchConfig c = m_base;
                c.size = static_cast<uint32_t>(s);
                c.window = w;
                const std::string started = ResultsDb::NowIso8601();
                const auto wall0 = std::chrono::steady_clock::now();
                const DmaBenchResult r = RunDmaBenchPoint(c);
                const double wall
                    = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0)
                          .count();

                int64_t runId = -1;
                if (db)
                {
                    RunRecord rec;
                    FillRunHeader(rec, "dma-bench", started, wall, r.simTime.GetSeconds());
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
                    rec.params.emplace_back("preset", GetPreset());
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
                    runId = db->WriteRun(rec);
                }

                // Only the chosen metric: bandwidth-mode latencies would measure the loop's own
                // queue (Little: outstanding / rate), latency-mode throughput nothing useful.
                const bool bw = c.metric == DmaBenchConfig::BANDWIDTH;
                const double nan = std::nan("");
                std::cout << "{\"preset\":\"" << GetPreset() << "\",\"op\":\"" << ToString(c.op)
                          << "\",\"size\":" << c.size << ",\"window\":" << c.window
                          << ",\"pattern\":\"" << ToString(c.pattern) << "\",\"iommu\":\""
                          << (c.iommu ? "on" : "off") << "\",\"page_size\":" << c.pageBytes
                          << ",\"metric\":\"" << ToString(c.metric)
                          << "\",\"gbps\":" << JsonNumber(bw ? r.gbps : nan, 3)
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
                if (!r.latCdf.empty())
                {
                    std::cout << ",\"lat_cdf\":[" << FormatCdf(r.latCdf) << "]";
                }
                if (runId >= 0)
                {
                    std::cout << ",\"run_id\":" << runId;
                }
                std::cout << "}" << std::endl;
            }
        }
        return 0;
    }

  private:
    std::string m_text[N_OPTIONS];   //!< each option's text
    DmaBenchConfig m_base;           //!< the point's configuration but size and window
    std::vector<uint64_t> m_sizes;   //!< --size
    std::vector<uint64_t> m_windows; //!< --window
};

} // namespace

int
RunDmaBenchProgram(int argc, char** argv)
{
    DmaBenchProgram program;
    return program.Main(argc, argv);
}

} // namespace ns3
