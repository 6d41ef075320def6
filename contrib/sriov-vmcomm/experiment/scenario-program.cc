/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * ScenarioProgram: the main skeleton of the module's programs, the scenario programs' main
 * (RunExperimentProgram) and their run summary (see scenario-program.h).
 */
#include "scenario-program.h"

#include "experiment.h"
#include "ns3/command-line.h"
#include "ns3/preset.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/vmcomm-version.h"
#include "option-list.h"
#include "topology-reader.h"
#include "topology.h"

#include <cstring>
#include <iomanip>
#include <iostream>
#include <map>
#include <stdexcept>

namespace ns3 {

namespace {

std::string
JoinPresets()
{
    std::string s;
    for (const std::string& p : ListPresets())
    {
        s += (s.empty() ? "" : "|") + p;
    }
    return s;
}

/**
 * The scenario programs: ExperimentOptions and --preset; each mode of --mode run in turn.
 */
class ExperimentProgram : public ScenarioProgram
{
  public:
    /** \param name program name \param defaults the options' defaults */
    ExperimentProgram(const std::string& name, const ExperimentOptions& defaults)
        : ScenarioProgram(name)
        , m_commandLine(defaults)
    {
    }

  protected:
    void AddOptions(CommandLine& cmd, CommandLineCheck& check) override
    {
        m_commandLine.AddOptions(cmd, check);
        check.AddValue(cmd, "preset",
                       "NIC + PCIe + IOMMU configuration: " + JoinPresets()
                           + " (applied first; --ns3:: options override it)",
                       m_presetOption);
    }

    void DescribeOptions(OptionList& list) const override
    {
        m_commandLine.Describe(list);
        list.Choices("preset", ListPresets());
    }

    void Prepare(int argc, char** argv) override
    {
        m_options = m_commandLine.GetOptions();
        // Each value as the option reads it back, so that the run replays from run_params alone.
        std::map<std::string, std::string> recorded
            = ExperimentCommandLine::Record(m_options, GetPreset());
        // Attributes of other ns-3 modules set on the command line (--ns3::TcpSocket::...): the
        // module's own are all recorded by CollectAttributeDefaults, these only when given.
        for (int i = 1; i < argc; ++i)
        {
            std::string a = argv[i];
            std::size_t eq = a.find('=');
            if (a.rfind("--ns3::", 0) == 0 && eq != std::string::npos)
            {
                recorded[a.substr(2, eq - 2)] = a.substr(eq + 1);
            }
        }
        m_experiment = std::make_unique<Experiment>(GetName(), m_options);
        m_experiment->SetRecordedOptions(recorded);
        m_experiment->Validate();
        m_experiment->CheckMemory();
    }

    std::string GetDbPath() const override
    {
        return m_options.db;
    }

    int Run(ResultsDb* db) override
    {
        for (CommMode mode : m_options.modes)
        {
            RunRecord r = m_experiment->RunMode(mode);
            if (m_options.modes.size() > 1 && r.point)
            {
                *r.point += "/" + ToString(mode);
            }
            if (!m_options.quiet)
            {
                PrintRunSummary(r, std::cout);
            }
            if (db)
            {
                db->WriteRun(r);
            }
        }
        return 0;
    }

  private:
    ExperimentCommandLine m_commandLine;      //!< the options' command-line form
    std::string m_presetOption;               //!< --preset (applied before parsing)
    ExperimentOptions m_options;              //!< the options parsed
    std::unique_ptr<Experiment> m_experiment; //!< the runs
};

/**
 * topology-check: validate a topology DOT file, print what it holds. Its one argument is the
 * file: 1 on usage, 2 on an invalid file (the reader's message, naming file and element).
 */
class TopologyCheckProgram : public ScenarioProgram
{
  public:
    TopologyCheckProgram()
        : ScenarioProgram("topology-check")
    {
    }

  protected:
    void AddOptions(CommandLine& cmd, CommandLineCheck&) override
    {
        cmd.AddNonOption("file", "topology DOT file", m_path);
    }

    int CheckArguments(int argc, char** argv) override
    {
        if (argc != 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0)
        {
            std::cerr << "usage: topology-check FILE.dot\n"
                         "Validates a sriov-vmcomm topology and prints hosts, VMs, switches, "
                         "links.\n";
            return 1;
        }
        m_path = argv[1];
        return -1;
    }

    void Prepare(int, char**) override {}

    std::string GetDbPath() const override
    {
        return "";
    }

    int Run(ResultsDb*) override
    {
        try
        {
            Topology t = TopologyReader::Read(m_path);
            // Routing proves every host reaches every other; its cost is small (BFS per host).
            t.ComputeRoutes();
            std::cout << m_path << ": ok\n"
                      << "hosts " << t.GetNHosts() << "\n"
                      << "vms " << t.GetNVms() << "\n"
                      << "switches " << t.GetNSwitches() << "\n"
                      << "links " << t.GetNLinks() << "\n"
                      << "max-host-hops " << t.GetMaxHostHops() << "\n";
        }
        catch (const TopologyError& e)
        {
            std::cerr << e.what() << "\n";
            return 2;
        }
        return 0;
    }

  private:
    std::string m_path; //!< the file
};

} // namespace

ScenarioProgram::ScenarioProgram(const std::string& name)
    : m_name(name)
    , m_check(name)
{
}

ScenarioProgram::~ScenarioProgram() = default;

void
ScenarioProgram::DescribeOptions(OptionList&) const
{
}

int
ScenarioProgram::CheckArguments(int argc, char** argv)
{
    m_check.Check(argc, argv);
    return -1;
}

const std::string&
ScenarioProgram::GetName() const
{
    return m_name;
}

std::string
ScenarioProgram::GetFallbackPreset() const
{
    return "";
}

const std::string&
ScenarioProgram::GetPreset() const
{
    return m_preset;
}

bool
ScenarioProgram::IsListing() const
{
    return m_listing;
}

const CommandLineCheck&
ScenarioProgram::GetCheck() const
{
    return m_check;
}

void
ScenarioProgram::SetFailurePrefix(const std::string& prefix)
{
    m_failurePrefix = prefix;
}

void
ScenarioProgram::SetUsage(const std::string& usage)
{
    m_usage = usage;
}

void
ScenarioProgram::FillRunHeader(RunRecord& r, const std::string& scenario,
                               const std::string& startedAt, double wallSeconds, double simSeconds)
{
    r.scenario = scenario;
    r.rngSeed = RngSeedManager::GetSeed();
    r.rngRun = RngSeedManager::GetRun();
    r.version = GetVmcommVersion();
    r.startedAt = startedAt;
    r.wallSeconds = wallSeconds;
    r.simSeconds = simSeconds;
}

int
ScenarioProgram::Main(int argc, char** argv)
{
    try
    {
        CommandLine cmd(m_name);
        if (OptionList::Requested(argc, argv)) // what sweep.py checks a spec against
        {
            m_listing = true;
            AddOptions(cmd, m_check);
            OptionList list(m_name, cmd);
            DescribeOptions(list);
            return list.Print(std::cout);
        }
        if (!m_usage.empty())
        {
            cmd.Usage(m_usage);
        }
        AddOptions(cmd, m_check);
        try
        {
            // Every argument, before ns-3 parses it (it aborts on a malformed value) and before
            // anything is created.
            const int status = CheckArguments(argc, argv);
            if (status >= 0)
            {
                return status;
            }
            // Before parsing, so that --ns3::Type::Attr options given too win over the preset.
            m_preset = ApplyPresetFromCommandLine(argc, argv, GetFallbackPreset());
        }
        catch (const CommandLineError& e)
        {
            std::cerr << m_name << ": " << e.what() << std::endl;
            return 2;
        }
        catch (const ExperimentError& e)
        {
            std::cerr << m_name << ": " << e.what() << std::endl;
            return 2;
        }
        catch (const std::invalid_argument& e)
        {
            std::cerr << m_name << ": --preset: " << e.what() << std::endl;
            return 2;
        }
        cmd.Parse(argc, argv);
        try
        {
            Prepare(argc, argv);
        }
        catch (const ExperimentError& e)
        {
            std::cerr << m_name << ": " << e.what() << std::endl;
            return 2;
        }
        // The database is opened (and checked writable) before anything is simulated.
        std::unique_ptr<ResultsDb> db;
        const std::string path = GetDbPath();
        try
        {
            if (!path.empty())
            {
                db = std::make_unique<ResultsDb>(path);
            }
        }
        catch (const std::exception& e)
        {
            std::cerr << m_name << ": --db=" << path << ": " << e.what() << std::endl;
            return 2;
        }
        return Run(db.get());
    }
    catch (const std::exception& e)
    {
        std::cerr << m_name << ": " << m_failurePrefix << e.what() << std::endl;
        return 1;
    }
}

void
PrintRunSummary(const RunRecord& r, std::ostream& os)
{
    // Every flow's latency together: the histogram of flow id -1.
    LatencyHistogram all;
    for (const auto& [flow, histogram] : r.histograms)
    {
        if (flow == -1)
        {
            all = histogram;
        }
    }
    uint64_t txFrames = 0;
    uint64_t rxFrames = 0;
    double goodput = 0;
    double offered = 0;
    double carried = 0;
    bool saturated = false;
    for (const FlowRow& f : r.flows)
    {
        txFrames += f.txFrames;
        rxFrames += f.rxFrames;
        goodput += f.throughputBps;
        offered += f.offeredBps;
        carried += f.frameBps;
        saturated = saturated || f.saturated;
    }
    // The headline says whether the path kept up: a saturated run's figures are the bottleneck's
    // rate and its queueing, not the path's steady state (doc/results.md).
    os << std::fixed << std::setprecision(3);
    os << r.mode << ": " << r.flows.size() << " flow(s), " << txFrames << " sent, " << rxFrames
       << " received; carried " << carried / 1e9 << " of " << offered / 1e9 << " Gb/s offered"
       << (saturated ? " (SATURATED)" : "") << ", goodput " << goodput / 1e9
       << " Gb/s; latency p50 " << all.GetPercentile(50).GetNanoSeconds() / 1e3 << " us, p99 "
       << all.GetPercentile(99).GetNanoSeconds() / 1e3 << " us, p99.9 "
       << all.GetPercentile(99.9).GetNanoSeconds() / 1e3 << " us\n";
    // Where the frames not received went (doc/results.md, accounting).
    uint64_t dropped = 0;
    double atEnd = 0;
    for (const DropRow& d : r.drops)
    {
        dropped += d.count;
    }
    for (const CounterRow& c : r.counters)
    {
        if (c.name.size() > 7 && c.name.compare(c.name.size() - 7, 7, "_at_end") == 0)
        {
            atEnd += c.value;
        }
    }
    os << "  " << dropped << " dropped, " << uint64_t(atEnd) << " in flight at the end\n";
    for (const CounterRow& c : r.counters)
    {
        if (c.component == "experiment" || c.component == "traffic"
            || c.name.find("utilization") != std::string::npos
            || c.name.find("core_seconds") != std::string::npos || c.name == "cores_busy"
            || c.component.find("pcie-p2p") != std::string::npos)
        {
            os << "  " << c.component << " " << c.name << " " << c.value << "\n";
        }
    }
    for (const DropRow& d : r.drops)
    {
        os << "  drops " << d.component << " " << d.reason << " " << d.count << "\n";
    }
}

int
RunExperimentProgram(const std::string& name, const ExperimentOptions& defaults, int argc,
                     char** argv)
{
    ExperimentProgram program(name, defaults);
    return program.Main(argc, argv);
}

int
RunTopologyCheckProgram(int argc, char** argv)
{
    TopologyCheckProgram program;
    return program.Main(argc, argv);
}

} // namespace ns3
