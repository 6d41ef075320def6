/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The nfv-bench program on the ScenarioProgram skeleton (see nfv-bench-program.h).
 */
#include "nfv-bench-program.h"

#include "command-line-check.h"
#include "json-text.h"
#include "ns3/command-line.h"
#include "ns3/preset.h"
#include "ns3/simulator.h"
#include "ns3/vswitch-helper.h"
#include "option-list.h"
#include "results-db.h"
#include "rfc2544-search.h"
#include "scenario-program.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <sstream>

namespace ns3 {

namespace {

std::string
Join(const std::vector<std::string>& v)
{
    std::string s;
    for (const std::string& x : v)
    {
        s += (s.empty() ? "" : ", ") + x;
    }
    return s;
}

/** \return \p text as a number within [lo, hi] \throws ExperimentError naming the option */
double
ParseNumber(const std::string& option, const std::string& text, double lo, double hi,
            const std::string& allowed)
{
    std::size_t used = 0;
    double v = 0;
    try
    {
        v = std::stod(text, &used);
    }
    catch (const std::exception&)
    {
        used = 0;
    }
    if (text.empty() || used != text.size() || !std::isfinite(v) || v < lo || v > hi)
    {
        throw ExperimentError("--" + option + "=" + text + ": allowed: " + allowed);
    }
    return v;
}

/** nfv-bench: the options, one point. */
class NfvBenchProgram : public ScenarioProgram
{
  public:
    NfvBenchProgram()
        : ScenarioProgram("nfv-bench")
    {
        SetUsage(
            "The NFV benchmark methodology of Zhang et al. (CoNEXT 2019) on the model: a traffic "
            "generator cabled to the host's dual-port NIC (--line-rate; in by port 0 and out by "
            "port "
            "1 for p2p and loopback, port 0 alone for p2v and v2v), the scenario's frame path "
            "in the mode, and one JSON object on stdout with the keys scenario, mode, vswitch, "
            "guest, size, direction, chain, metric, load_fraction, gbps_l1, mpps, lat_median_us, "
            "lat_p99_us, lat_p999_us (null where not measured). Throughput: R+, the maximum "
            "loss-free rate by RFC 2544 binary search (first trial at the top rate, then halving "
            "until the interval is --resolution x the top rate; a trial passes if it loses at "
            "most --loss-threshold frames, frames received late counting lost: see --late; "
            "each trial offers --trial of simulated traffic, then 1 ms to drain), "
            "all flows together (bi: both directions summed), in Mpps and in Gb/s counting L1 "
            "bits ((size + 20 B preamble, SFD and inter-frame gap) x 8: 10 = 10GbE line rate). "
            "Latency: R+ first, then a trial at --load-fraction of it (--trial, longer if needed "
            "for 10000 frames per flow, at most 50 ms); percentiles of the "
            "one-way latency of every frame, measured where the flow ends (the generator, or the "
            "VM sink of p2v and v2v); mpps and gbps_l1 are then the trial's offered load.");
    }

  protected:
    std::string GetFallbackPreset() const override
    {
        return "e5-2690v3-82599"; // the testbed of Zhang et al. 2019
    }

    void AddOptions(CommandLine& cmd, CommandLineCheck& check) override
    {
        check.AddValue(cmd, "scenario", "frame path: " + Join(GetNfvScenarioNames()), m_scenario);
        check.AddValue(cmd, "chain", "loopback: VNFs in the chain, 1..16", m_chain);
        check.AddValue(cmd, "mode", "the mode: " + Join(GetCommModeNames()), m_mode);
        check.AddValue(cmd, "vswitch",
                       "software switch profile of the vswitch modes: "
                           + Join(VswitchHelper::GetProfileNames())
                           + ", or default (the mode's; the only value for the NIC modes)",
                       m_vswitch);
        check.AddValue(cmd, "guest",
                       "what runs in every VM: dpdk (a poll mode driver, no interrupts, no kernel "
                       "stack) or kernel (Linux: stack, interrupts, vCPU halts); ns3::GuestOs",
                       m_guest);
        check.AddValue(cmd, "preset",
                       "NIC + PCIe + IOMMU configuration: " + Join(ListPresets())
                           + "; default e5-2690v3-82599, the paper's testbed (applied first; "
                             "--ns3:: options override it)",
                       m_presetOption);
        check.AddValue(cmd, "size", "Ethernet frame size in bytes, FCS included (64..1518)",
                       m_size);
        check.AddValue(cmd, "direction", "uni, or bi (a second flow the opposite way)",
                       m_direction);
        check.AddValue(cmd, "metric", "throughput or latency", m_metric);
        check.AddValue(cmd, "load-fraction",
                       "latency: offered load as a fraction of R+, above 0 and at most 1 (the "
                       "paper: 0.1, 0.5, 0.99)",
                       m_loadFraction);
        check.AddValue(cmd, "db", "results database to add the point to (default: none)", m_db);
        check.AddValue(cmd, "point", "sweep point key (set by ./vmcomm sweep)", m_point);
        check.AddValue(cmd, "line-rate", "the generator's port and the NIC's uplink", m_lineRate);
        check.AddValue(cmd, "max-gbps",
                       "top of the search per flow, Gb/s counting L1 bits (0: the line rate; v2v, "
                       "which has no wire: 4x the line rate)",
                       m_maxGbps);
        check.AddValue(cmd, "resolution",
                       "search resolution as a fraction of the top rate, 0.0001..0.5 (0.002: "
                       "0.03 Mpps at 64 B on 10GbE, 10 trials)",
                       m_resolution);
        check.AddValue(cmd, "loss-threshold", "frames a trial may lose and pass (RFC 2544: 0)",
                       m_lossThreshold);
        check.AddValue(cmd, "trial", "traffic time of a trial (simulated)", m_config.trial);
        check.AddValue(cmd, "late",
                       "late tolerance: if the median latency of a trial's last quarter of frames "
                       "exceeds the first quarter's by more, a queue grew, and the last quarter's "
                       "frames above that bound count as lost",
                       m_config.lateTolerance);
    }

    void DescribeOptions(OptionList& list) const override
    {
        std::vector<std::string> profiles = VswitchHelper::GetProfileNames();
        profiles.push_back("default");
        list.Choices("scenario", GetNfvScenarioNames())
            .Choices("vswitch", profiles)
            .Choices("mode", GetCommModeNames())
            .Choices("guest", {"dpdk", "kernel"})
            .Choices("preset", ListPresets())
            .Choices("direction", {"uni", "bi"})
            .Choices("metric", {"throughput", "latency"})
            .Range("size", 64, 1518)
            .Range("chain", 1, 16);
    }

    void Prepare(int, char**) override
    {
        NfvBenchConfig& c = m_config;
        if (!ParseNfvScenario(m_scenario, &c.scenario))
        {
            throw ExperimentError("--scenario=" + m_scenario + ": allowed values are "
                                  + Join(GetNfvScenarioNames()));
        }
        if (!ParseCommMode(m_mode, &c.mode))
        {
            throw ExperimentError("--mode=" + m_mode + ": allowed values are "
                                  + Join(GetCommModeNames()));
        }
        if (m_chain < 1 || m_chain > 16)
        {
            throw ExperimentError("--chain=" + std::to_string(m_chain) + ": allowed: 1..16");
        }
        if (m_chain != 1 && c.scenario != NfvScenario::LOOPBACK)
        {
            throw ExperimentError("--chain=" + std::to_string(m_chain)
                                  + ": only --scenario=loopback has a chain of VNFs");
        }
        c.chain = m_chain;
        const std::vector<std::string> profiles = VswitchHelper::GetProfileNames();
        if (!m_vswitch.empty() && m_vswitch != "default")
        {
            if (std::find(profiles.begin(), profiles.end(), m_vswitch) == profiles.end())
            {
                throw ExperimentError("--vswitch=" + m_vswitch + ": allowed values are "
                                      + Join(profiles));
            }
            if (!IsSoftwareSwitched(c.mode))
            {
                throw ExperimentError("--vswitch=" + m_vswitch + ": mode " + m_mode
                                      + " switches in the NIC; a software switch profile applies "
                                        "to vswitch-kernel and vswitch-dpdk only");
            }
        }
        c.vswitch = m_vswitch == "default" ? "" : m_vswitch;
        if (m_guest != "dpdk" && m_guest != "kernel")
        {
            throw ExperimentError("--guest=" + m_guest + ": allowed values are dpdk, kernel");
        }
        c.guest = m_guest;
        if (m_size < 64 || m_size > 1518)
        {
            throw ExperimentError("--size=" + std::to_string(m_size) + ": allowed: 64..1518");
        }
        c.size = m_size;
        if (m_direction != "uni" && m_direction != "bi")
        {
            throw ExperimentError("--direction=" + m_direction + ": allowed values are uni, bi");
        }
        c.bidirectional = m_direction == "bi";
        if (m_metric != "throughput" && m_metric != "latency")
        {
            throw ExperimentError("--metric=" + m_metric
                                  + ": allowed values are throughput, latency");
        }
        m_fraction = ParseNumber("load-fraction", m_loadFraction, 1e-6, 1,
                                 "a fraction above 0 and at most 1");
        try
        {
            c.lineRate = DataRate(m_lineRate);
        }
        catch (const std::exception&)
        {
            throw ExperimentError("--line-rate=" + m_lineRate + ": allowed: a data rate (10Gbps)");
        }
        if (c.lineRate.GetBitRate() == 0)
        {
            throw ExperimentError("--line-rate=" + m_lineRate + ": must be above 0");
        }
        m_search.maxGbps
            = ParseNumber("max-gbps", m_maxGbps, 0, 1e4, "0..10000 (Gb/s, 0: default)");
        m_search.resolution
            = ParseNumber("resolution", m_resolution, 1e-4, 0.5, "a fraction 0.0001..0.5");
        m_search.lossThreshold = m_lossThreshold;
        if (!c.trial.IsStrictlyPositive() || c.trial > MilliSeconds(100))
        {
            throw ExperimentError("--trial=" + std::to_string(c.trial.GetSeconds())
                                  + "s: allowed: above 0, at most 100ms");
        }
        if (c.lateTolerance.IsStrictlyNegative())
        {
            throw ExperimentError("--late: must be 0 or more");
        }
        const std::string why = CheckNfvSupport(c);
        if (!why.empty())
        {
            throw ExperimentError("--scenario=" + m_scenario + " --mode=" + m_mode + ": " + why);
        }
    }

    std::string GetDbPath() const override
    {
        return m_db;
    }

    int Run(ResultsDb* db) override
    {
        const NfvBenchConfig& c = m_config;
        const bool latency = m_metric == "latency";
        const std::string started = ResultsDb::NowIso8601();
        const auto wall0 = std::chrono::steady_clock::now();
        const NfvPointResult r = RunNfvPoint(c, m_search, latency ? m_fraction : 0, db != nullptr);
        const double wall
            = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
        const double nan = std::nan("");
        const double pps = latency ? r.offeredPps : r.rplusPps;
        const bool lat = latency && r.latency.latency.GetCount() > 0;
        const double p50 = lat ? r.latency.latency.GetPercentileNs(50) / 1e3 : nan;
        const double p99 = lat ? r.latency.latency.GetPercentileNs(99) / 1e3 : nan;
        const double p999 = lat ? r.latency.latency.GetPercentileNs(99.9) / 1e3 : nan;
        const std::string vswitch
            = IsSoftwareSwitched(c.mode)
                ? (c.vswitch.empty() ? GetDefaultVswitchProfile(c.mode) : c.vswitch)
                : "";
        int64_t runId = -1;
        if (db)
        {
            RunRecord rec;
            if (!m_point.empty())
            {
                rec.point = m_point;
            }
            FillRunHeader(rec, "nfv-bench", started, wall, r.simSeconds);
            rec.topology = "nfv-" + m_scenario;
            rec.mode = m_mode;
            rec.params = CollectAttributeDefaults("SriovVmcomm");
            const std::pair<const char*, std::string> options[]
                = {{"preset", GetPreset()},
                   {"nfv-scenario", m_scenario},
                   {"vswitch", vswitch},
                   {"guest", c.guest},
                   {"size", std::to_string(c.size)},
                   {"direction", m_direction},
                   {"chain", std::to_string(c.chain)},
                   {"metric", m_metric},
                   {"load-fraction", latency ? m_loadFraction : ""},
                   {"line-rate", m_lineRate},
                   {"max-gbps", m_maxGbps},
                   {"resolution", m_resolution},
                   {"loss-threshold", std::to_string(m_lossThreshold)},
                   {"trial", std::to_string(c.trial.GetNanoSeconds()) + "ns"},
                   {"late", std::to_string(c.lateTolerance.GetNanoSeconds()) + "ns"}};
            for (const auto& [name, value] : options)
            {
                rec.params.emplace_back(name, value);
            }
            const std::string comp = "nfv-bench";
            rec.counters.push_back({comp, "rplus_mpps", r.rplusPps / 1e6});
            rec.counters.push_back({comp, "mpps", pps / 1e6});
            rec.counters.push_back({comp, "gbps_l1", L1BitsPerSecond(pps, c.size) / 1e9});
            rec.counters.push_back({comp, "trials", double(r.trials)});
            rec.counters.push_back({"experiment", "events", double(r.events)});
            // The components at R+ (throughput) or in the latency trial, as scenario runs
            // record them: utilization of the switch's cores, NIC and PCIe counters, drops.
            rec.counters.insert(rec.counters.end(), r.components.counters.begin(),
                                r.components.counters.end());
            rec.drops = r.components.drops;
            rec.componentParams = r.components.componentParams;
            if (lat)
            {
                rec.counters.push_back({comp, "load_fraction", m_fraction});
                rec.counters.push_back({comp, "lat_median_us", p50});
                rec.counters.push_back({comp, "lat_p99_us", p99});
                rec.counters.push_back({comp, "lat_p999_us", p999});
                rec.counters.push_back({comp, "lat_offered", double(r.latency.offered)});
                rec.counters.push_back({comp, "lat_received", double(r.latency.received)});
                rec.histograms.emplace_back(-1, r.latency.latency);
            }
            runId = db->WriteRun(rec);
        }
        std::cout << "{\"scenario\":\"" << m_scenario << "\",\"mode\":\"" << m_mode
                  << "\",\"vswitch\":"
                  << (vswitch.empty() ? std::string("null") : "\"" + vswitch + "\"")
                  << ",\"guest\":\"" << c.guest << "\",\"size\":" << c.size << ",\"direction\":\""
                  << m_direction << "\",\"chain\":"
                  << (c.scenario == NfvScenario::LOOPBACK ? std::to_string(c.chain) : "null")
                  << ",\"metric\":\"" << m_metric
                  << "\",\"load_fraction\":" << (latency ? JsonNumber(m_fraction, 4) : "null")
                  << ",\"gbps_l1\":" << JsonNumber(L1BitsPerSecond(pps, c.size) / 1e9, 4)
                  << ",\"mpps\":" << JsonNumber(pps / 1e6, 4)
                  << ",\"lat_median_us\":" << JsonNumber(p50, 3)
                  << ",\"lat_p99_us\":" << JsonNumber(p99, 3)
                  << ",\"lat_p999_us\":" << JsonNumber(p999, 3);
        if (runId >= 0)
        {
            std::cout << ",\"run_id\":" << runId;
        }
        std::cout << "}" << std::endl;
        return 0;
    }

  private:
    NfvBenchConfig m_config;            //!< the testbed
    NfvSearchConfig m_search;           //!< the search
    std::string m_scenario{"p2v"};      //!< --scenario
    uint32_t m_chain{1};                //!< --chain
    std::string m_mode{"vf-dma"};       //!< --mode
    std::string m_vswitch{"default"};   //!< --vswitch
    std::string m_guest{"dpdk"};        //!< --guest
    std::string m_presetOption;         //!< --preset (applied before parsing)
    uint32_t m_size{64};                //!< --size
    std::string m_direction{"uni"};     //!< --direction
    std::string m_metric{"throughput"}; //!< --metric
    std::string m_loadFraction{"0.1"};  //!< --load-fraction
    double m_fraction{0.1};             //!< --load-fraction, parsed
    std::string m_db;                   //!< --db
    std::string m_point;                //!< --point
    std::string m_lineRate{"10Gbps"};   //!< --line-rate
    std::string m_maxGbps{"0"};         //!< --max-gbps
    std::string m_resolution{"0.002"};  //!< --resolution
    uint32_t m_lossThreshold{0};        //!< --loss-threshold
};

} // namespace

/** Frames per flow a latency trial offers at least (within 50 ms of traffic). */
constexpr double LATENCY_FRAMES = 10000;

double
GetNfvTopRate(const NfvBenchConfig& c, const NfvSearchConfig& s)
{
    if (s.maxGbps > 0)
    {
        return s.maxGbps * 1e9 / EthernetL1Bits(c.size);
    }
    const double line = LineRatePps(double(c.lineRate.GetBitRate()), c.size);
    return c.scenario == NfvScenario::V2V ? 4 * line : line;
}

NfvPointResult
RunNfvPoint(const NfvBenchConfig& c, const NfvSearchConfig& s, double loadFraction, bool collect)
{
    NfvPointResult r;
    const double top = GetNfvTopRate(c, s);
    const double flows = c.bidirectional ? 2 : 1;
    Rfc2544Search search(top, s.resolution * top, s.lossThreshold);
    const double rplus = search.Run(
        [&](double rate)
        {
            const NfvTrialResult t = RunNfvTrial(c, rate);
            r.simSeconds += t.simSeconds;
            r.events += t.events;
            return std::make_pair(t.offered, t.received);
        });
    r.rplusPps = rplus * flows;
    r.trials = search.GetTrials().size();
    if (loadFraction > 0 && rplus > 0)
    {
        r.offeredPps = loadFraction * rplus * flows;
        // Enough frames for the 99.9th percentile: 10000 per flow, within 50 ms of traffic.
        NfvBenchConfig lc = c;
        lc.trial = std::max(
            c.trial, std::min(MilliSeconds(50), Seconds(LATENCY_FRAMES / (loadFraction * rplus))));
        r.latency = RunNfvTrial(lc, loadFraction * rplus, collect);
        r.simSeconds += r.latency.simSeconds;
        r.events += r.latency.events;
        if (collect)
        {
            r.components.counters = std::move(r.latency.counters);
            r.components.drops = std::move(r.latency.drops);
            r.components.componentParams = std::move(r.latency.componentParams);
        }
    }
    else if (collect && rplus > 0)
    {
        r.components = RunNfvTrial(c, rplus, true);
        r.simSeconds += r.components.simSeconds;
        r.events += r.components.events;
    }
    return r;
}

int
RunNfvBenchProgram(int argc, char** argv)
{
    NfvBenchProgram program;
    return program.Main(argc, argv);
}

} // namespace ns3
