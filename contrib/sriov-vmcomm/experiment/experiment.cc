/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Experiment: one scenario run, orchestrated (see experiment.h): validation against the
 * topology, hosts per mode, fabric, traffic, run, collection.
 */
#include "experiment.h"

#include "fabric-builder.h"
#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/ethernet-switch.h"
#include "ns3/host.h"
#include "ns3/internet-module.h"
#include "ns3/preset.h"
#include "ns3/vmcomm-helper.h"
#include "run-collector.h"
#include "scenario-program.h"
#include "topology-reader.h"
#include "traffic-builder.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <set>
#include <sstream>
#include <utility>

namespace ns3 {

NS_LOG_COMPONENT_DEFINE("Experiment");

namespace {

/** RNG stream of the permutation pattern (AssignStreams numbers the run's others after it). */
constexpr int64_t PATTERN_STREAM = 1000;

} // namespace

Experiment::Experiment(const std::string& scenario, const ExperimentOptions& options)
    : m_opt(options)
    , m_scenario(scenario)
{
}

Experiment::~Experiment() = default;

std::vector<std::string>
Experiment::GetModes()
{
    return GetCommModeNames();
}

void
Experiment::SetRecordedOptions(const std::map<std::string, std::string>& options)
{
    m_options = options;
}

const ExperimentOptions&
Experiment::GetOptions() const
{
    return m_opt;
}

const std::vector<Experiment::Flow>&
Experiment::GetFlows() const
{
    static const std::vector<Flow> none;
    return m_traffic ? m_traffic->GetFlows() : none;
}

void
Experiment::Validate()
{
    m_rate = ValidateOptions(m_opt);

    if (m_opt.topologyFile.empty())
    {
        if (m_opt.vms < 1 || m_opt.hosts < 1)
        {
            throw ExperimentError("--vms and --hosts: at least one of each");
        }
        // Hosts on one top-of-rack switch (which only vepa and off-host traffic use).
        m_topology = Topology("rack");
        int tor = m_topology.AddSwitch("tor");
        for (uint32_t h = 0; h < m_opt.hosts; ++h)
        {
            int host = m_topology.AddHost("host" + std::to_string(h), m_opt.vms);
            m_topology.AddLink(host, tor, m_opt.lineRate, Topology::DEFAULT_DELAY);
        }
        m_topology.Validate();
    }
    else
    {
        try
        {
            m_topology = TopologyReader::Read(m_opt.topologyFile);
        }
        catch (const std::exception& e)
        {
            throw ExperimentError(e.what());
        }
    }
    m_topology.ComputeRoutes();
    // Hosts' nic= and vswitch= names were checked by the topology (Topology::AddHost).
    if (m_opt.traffic == TrafficPattern::PAIRS && m_opt.placement == Placement::CROSS_HOST
        && m_topology.GetNHosts() < 2)
    {
        throw ExperimentError("--placement=cross-host needs a topology with two hosts or more");
    }
    // Each mode says what a host's place in the topology lacks for it (VmCommHelper::Check):
    // VFs for every VM in the hardware modes, a reflecting switch port for vepa.
    const std::string modeText = FormatModes(m_opt.modes);
    const bool vepa = std::any_of(m_opt.modes.begin(), m_opt.modes.end(), NeedsReflectiveRelay);
    // VEPA sends every frame, VM to VM on the same host too, to the adjacent switch port: which
    // hosts have a flow between two of their VMs.
    std::vector<bool> sameHostFlow(m_topology.GetNHosts(), false);
    if (vepa && CountFlows() <= 1000000)
    {
        std::vector<uint32_t> hostOf;
        for (std::size_t h = 0; h < m_topology.GetHosts().size(); ++h)
        {
            hostOf.insert(hostOf.end(), m_topology.GetNode(m_topology.GetHosts()[h]).vms, h);
        }
        for (auto [src, dst] : MakePattern())
        {
            sameHostFlow[hostOf[src]] = sameHostFlow[hostOf[src]] || hostOf[src] == hostOf[dst];
        }
    }
    else if (vepa)
    {
        for (std::size_t h = 0; h < m_topology.GetHosts().size(); ++h)
        {
            sameHostFlow[h] = m_topology.GetNode(m_topology.GetHosts()[h]).vms >= 2;
        }
    }
    for (std::size_t h = 0; h < m_topology.GetHosts().size(); ++h)
    {
        const int node = m_topology.GetHosts()[h];
        const TopologyNode& spec = m_topology.GetNode(node);
        VmCommSite site;
        site.host = spec.name;
        site.where = m_topology.GetSource();
        site.vms = spec.vms;
        site.vmsSource = m_opt.topologyFile.empty()
                           ? "--vms=" + std::to_string(spec.vms)
                           : m_topology.GetSource() + ": node \"" + spec.name
                                 + "\": attribute vms=\"" + std::to_string(spec.vms) + "\"";
        for (int l : spec.links)
        {
            site.switchPort
                |= m_topology.GetNode(m_topology.GetLink(l).Other(node)).kind == Topology::SWITCH;
        }
        site.vmToVmFrames = sameHostFlow[h];
        for (CommMode mode : m_opt.modes)
        {
            const std::string lacks = MakeHelper(spec, mode).Check(site);
            if (!lacks.empty())
            {
                const bool relay = NeedsReflectiveRelay(mode) && !site.switchPort;
                throw ExperimentError(
                    "--mode=" + modeText + ": " + lacks
                    + (relay ? std::string("; use a topology with a switch")
                                   + (m_opt.modes.size() > 1 ? " or a single --mode" : "")
                             : ""));
            }
        }
    }
    CheckAttributeCombinations();
    if (CountFlows() == 0)
    {
        throw ExperimentError("--traffic=" + ToString(m_opt.traffic)
                              + " --placement=" + ToString(m_opt.placement)
                              + ": no flow fits this topology (too few VMs)");
    }
}

void
Experiment::CheckAttributeCombinations() const
{
    // Each checker sees one value; these constraints tie two together (the model aborts on
    // them when the objects are built). Per NIC preset of the topology's hosts, over the
    // defaults in force (command line included).
    const char* const names[]
        = {"ns3::Iommu::IotlbEntries", "ns3::Iommu::IotlbWays", "ns3::MemoryDomain::SizeBytes",
           "ns3::MemoryDomain::PageSize", "ns3::MemoryDomain::AllocationBase"};
    std::set<std::string> presets = {"default"};
    for (int h : m_topology.GetHosts())
    {
        presets.insert(m_topology.GetNode(h).nic);
    }
    for (const std::string& preset : presets)
    {
        std::map<std::string, uint64_t> v;
        for (const char* name : names)
        {
            const std::string full(name);
            const std::size_t sep = full.rfind("::");
            TypeId::AttributeInformation info;
            TypeId::LookupByName(full.substr(0, sep))
                .LookupAttributeByName(full.substr(sep + 2), &info);
            v[full] = std::stoull(info.initialValue->SerializeToString(info.checker));
        }
        for (const PresetParameter& q :
             preset == "default" ? std::vector<PresetParameter>() : GetPreset(preset).parameters)
        {
            if (v.count(q.attribute))
            {
                v[q.attribute] = std::stoull(q.value);
            }
        }
        const std::string where = preset == "default" ? "" : " (NIC preset " + preset + ")";
        auto show = [&v](const char* name)
        {
            return std::string(name) + "=" + std::to_string(v[name]);
        };
        if (v["ns3::Iommu::IotlbEntries"] % v["ns3::Iommu::IotlbWays"] != 0)
        {
            throw ExperimentError(show("ns3::Iommu::IotlbWays") + " must divide "
                                  + show("ns3::Iommu::IotlbEntries") + where);
        }
        if (v["ns3::MemoryDomain::SizeBytes"] % v["ns3::MemoryDomain::PageSize"] != 0)
        {
            throw ExperimentError(show("ns3::MemoryDomain::SizeBytes") + " must be a multiple of "
                                  + show("ns3::MemoryDomain::PageSize") + where);
        }
        if (v["ns3::MemoryDomain::AllocationBase"] >= v["ns3::MemoryDomain::SizeBytes"])
        {
            throw ExperimentError(show("ns3::MemoryDomain::AllocationBase") + " must be below "
                                  + show("ns3::MemoryDomain::SizeBytes") + where);
        }
    }
}

std::vector<uint32_t>
Experiment::GetVmsPerHost() const
{
    std::vector<uint32_t> vms;
    for (int h : m_topology.GetHosts())
    {
        vms.push_back(m_topology.GetNode(h).vms);
    }
    return vms;
}

uint64_t
Experiment::CountFlows() const
{
    return CountTrafficPattern(GetVmsPerHost(), m_opt.traffic, m_opt.placement);
}

void
Experiment::CheckMemory() const
{
    // Measured on this model (peak RSS, scenario --duration=10us, see doc/results.md): about
    // 20 MiB for the program, 128 KiB per VM (its host side, stack and guest NIC) and 64 KiB
    // per flow (applications, sockets, histogram), whatever the mode.
    const double need = 20.0 * 1048576 + double(m_topology.GetNVms()) * 128 * 1024
                      + double(CountFlows()) * 64 * 1024;
    std::map<std::string, double> kib;
    std::ifstream meminfo("/proc/meminfo");
    std::string key;
    double value = 0;
    std::string unit;
    while (meminfo >> key >> value >> unit)
    {
        kib[key] = value;
    }
    if (kib.count("MemAvailable:") == 0)
    {
        return; // not Linux: nothing to compare with
    }
    std::ostringstream what;
    what << std::fixed << std::setprecision(1) << "this run needs about " << need / (1u << 30)
         << " GiB of memory (" << m_topology.GetNVms() << " VMs x 128 KiB + " << CountFlows()
         << " flows x 64 KiB + 20 MiB, measured on this model)";
    const double total = (kib["MemTotal:"] + kib["SwapTotal:"]) * 1024;
    if (need > total)
    {
        what << ", more than the machine has: " << total / (1u << 30)
             << " GiB (/proc/meminfo MemTotal + SwapTotal); use fewer VMs, hosts or flows";
        throw ExperimentError(what.str());
    }
    if (need > kib["MemAvailable:"] * 1024)
    {
        std::cerr << m_scenario << ": warning: " << what.str() << ", more than the "
                  << kib["MemAvailable:"] / (1u << 20)
                  << " GiB available (/proc/meminfo MemAvailable)" << std::endl;
    }
}

std::vector<VmPair>
Experiment::MakePattern() const
{
    return MakeTrafficPattern(GetVmsPerHost(), m_opt.traffic, m_opt.placement, PATTERN_STREAM);
}

VmCommHelper
Experiment::MakeHelper(const TopologyNode& spec, CommMode mode) const
{
    VmCommHelper comm;
    comm.SetMode(mode);
    // The host's own guests (checked by Topology::AddHost), else the program's --guest; whatever
    // the mode.
    GuestKind kind = m_opt.guest;
    if (spec.guest != "default")
    {
        ParseGuestKind(spec.guest, &kind);
    }
    GuestHelper guest;
    guest.SetGuest(kind);
    comm.SetGuestHelper(guest);
    SriovHelper& sriov = comm.GetSriovHelper();
    sriov.SetHostAttribute("Name", StringValue(spec.name));
    sriov.SetNics(spec.nics > 0 ? spec.nics : m_opt.nics);
    if (spec.nic != "default")
    {
        sriov.SetPreset(spec.nic); // this host's hardware, over the program's --preset
    }
    // The host's own datapath, else the program's --vswitch, else the mode's.
    const std::string& profile = spec.vswitch != "default" ? spec.vswitch : m_opt.vswitch;
    if (profile != "default")
    {
        comm.SetVswitchProfile(profile);
    }
    return comm;
}

void
Experiment::Build(CommMode mode)
{
    m_hosts.clear();
    m_vms = VmTable();
    uint32_t hostIndex = 0;
    for (int h : m_topology.GetHosts())
    {
        const TopologyNode& spec = m_topology.GetNode(h);
        NodeContainer vms;
        vms.Create(spec.vms);
        Ptr<Node> hostNode = CreateObject<Node>();
        NetDeviceContainer devices = MakeHelper(spec, mode).Install(hostNode, vms);
        Ptr<Host> host = hostNode->GetObject<Host>();
        m_hosts.push_back(host);
        for (uint32_t i = 0; i < devices.GetN(); ++i)
        {
            m_vms.nodes.Add(vms.Get(i));
            m_vms.host.push_back(hostIndex);
            m_vms.devices.Add(devices.Get(i));
        }
        ++hostIndex;
    }
    BuildFabric();
    InternetStackHelper stack;
    stack.SetIpv6StackInstall(false);
    stack.Install(m_vms.nodes);
    Ipv4AddressHelper ip("10.0.0.0", "255.0.0.0");
    Ipv4InterfaceContainer ifs = ip.Assign(m_vms.devices);
    m_vms.addresses.clear();
    for (uint32_t i = 0; i < ifs.GetN(); ++i)
    {
        m_vms.addresses.push_back(ifs.GetAddress(i));
    }
}

void
Experiment::BuildFabric()
{
    FabricBuilder fabric(m_topology);
    fabric.SetReflectiveRelay(NeedsReflectiveRelay(m_currentMode));
    fabric.Install(m_hosts);
    m_switches = fabric.GetSwitches();
    m_switchNodes = fabric.GetSwitchNodes();
    m_fabricDevices = fabric.GetDevices();
}

RunRecord
Experiment::RunMode(const std::string& mode)
{
    const std::vector<CommMode> modes = ParseModes(mode);
    if (modes.size() != 1)
    {
        throw ExperimentError("RunMode: one mode at a time, not " + mode);
    }
    return RunMode(modes.front());
}

RunRecord
Experiment::RunMode(CommMode mode)
{
    if (m_opt.app == TrafficApp::TCP)
    {
        Config::SetDefault("ns3::TcpSocket::SegmentSize",
                           UintegerValue(m_opt.size - TrafficBuilder::TCP_OVERHEAD));
    }
    auto wallStart = std::chrono::steady_clock::now();
    m_currentMode = mode;
    Build(mode);
    m_traffic = std::make_unique<TrafficBuilder>(m_opt, m_rate);
    m_traffic->Prepare(MakePattern(), m_vms, m_hosts);
    std::vector<std::string> switchNames;
    for (int sw : m_topology.GetSwitches())
    {
        switchNames.push_back(m_topology.GetNode(sw).name);
    }
    m_collector = std::make_unique<RunCollector>(m_hosts, m_switches, switchNames, *m_traffic);
    m_collector->ScheduleWindow(TrafficBuilder::GetStart(), m_opt.duration);
    m_traffic->InstallApplications();
    m_collector->ConnectDropTraces();
    AssignStreams();
    auto built = std::chrono::steady_clock::now();
    // Traffic starts at 1 ms; give the last frames 1 ms to drain.
    Simulator::Stop(MilliSeconds(2) + m_opt.duration);
    Simulator::Run();
    auto ran = std::chrono::steady_clock::now();
    double wall = std::chrono::duration<double>(ran - wallStart).count();
    RunRecord r = Collect(mode, wall);
    // Simulation speed, for the scale benchmark (bench/scale.md).
    r.counters.push_back({"experiment", "build_wall_seconds",
                          std::chrono::duration<double>(built - wallStart).count()});
    r.counters.push_back(
        {"experiment", "run_wall_seconds", std::chrono::duration<double>(ran - built).count()});
    r.counters.push_back({"experiment", "events", double(Simulator::GetEventCount())});
    m_hosts.clear();
    m_switches.clear();
    m_switchNodes.clear();
    m_fabricDevices.clear();
    m_vms = VmTable();
    m_collector.reset();
    Simulator::Destroy();
    return r;
}

void
Experiment::AssignStreams()
{
    // Random variables otherwise take stream numbers in creation order across the process: a
    // mode run second by compare-modes would draw other numbers than the same mode run alone
    // (or replayed from run_params). Fixed streams per run, after MakePattern's (1000).
    int64_t stream = 2000;
    stream += InternetStackHelper().AssignStreams(m_vms.nodes, stream);
    for (uint32_t n = 0; n < m_vms.nodes.GetN(); ++n)
    {
        Ptr<Node> node = m_vms.nodes.Get(n);
        for (uint32_t a = 0; a < node->GetNApplications(); ++a)
        {
            if (Ptr<OnOffApplication> onoff
                = DynamicCast<OnOffApplication>(node->GetApplication(a)))
            {
                stream += onoff->AssignStreams(stream);
            }
        }
    }
}

RunRecord
Experiment::Collect(CommMode mode, double wall)
{
    RunRecord r;
    if (!m_opt.point.empty())
    {
        r.point = m_opt.point;
    }
    ScenarioProgram::FillRunHeader(r, m_scenario, ResultsDb::NowIso8601(), wall,
                                   Simulator::Now().GetSeconds());
    r.topology = m_opt.topologyFile.empty() ? "rack" : m_opt.topologyFile;
    r.mode = ToString(mode);
    // Every attribute of the module in force, then the options (which may name one again).
    std::map<std::string, std::string> params(m_options);
    for (auto& [name, value] : CollectAttributeDefaults("SriovVmcomm"))
    {
        params.emplace(name, value);
    }
    params["mode"] = ToString(mode);
    // The TCP socket buffers in force (they decide TCP throughput), so that a replay sets them.
    for (auto [option, attribute] :
         {std::make_pair("tcp-sndbuf", "SndBufSize"), std::make_pair("tcp-rcvbuf", "RcvBufSize")})
    {
        TypeId::AttributeInformation info;
        TypeId::LookupByName("ns3::TcpSocket").LookupAttributeByName(attribute, &info);
        params[option] = info.initialValue->SerializeToString(info.checker);
    }
    r.params.assign(params.begin(), params.end());

    m_collector->CollectFlows(r, m_vms.host, m_opt.app == TrafficApp::TCP);
    m_collector->CollectComponents(r);
    return r;
}

} // namespace ns3
