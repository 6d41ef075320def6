/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The options of a scenario run: command-line form, names and the checks that need no
 * topology (see experiment-options.h).
 */
#include "experiment-options.h"

#include "command-line-check.h"
#include "ns3/command-line.h"
#include "ns3/enum-names.h"
#include "ns3/preset.h"
#include "option-list.h"
#include "topology.h"

#include <algorithm>
#include <cstdlib>
#include <utility>
#include <vector>

namespace ns3 {

namespace {

const std::pair<TrafficApp, const char*> APPS[] = {
    {TrafficApp::UDP, "udp"},
    {TrafficApp::ONOFF, "onoff"},
    {TrafficApp::TCP, "tcp"},
};

/** \return the names joined by "|" */
std::string
Join(const std::vector<std::string>& names)
{
    std::string s;
    for (const std::string& x : names)
    {
        s += (s.empty() ? "" : "|") + x;
    }
    return s;
}

} // namespace

ExperimentError::ExperimentError(const std::string& what)
    : std::runtime_error(what)
{
}

std::vector<std::string>
GetTrafficAppNames()
{
    return enumnames::Names(APPS);
}

std::string
ToString(TrafficApp app)
{
    return enumnames::Name(APPS, app);
}

bool
ParseTrafficApp(const std::string& name, TrafficApp* app)
{
    return enumnames::Parse(APPS, name, app);
}

std::vector<CommMode>
ParseModes(const std::string& text)
{
    if (text == "all")
    {
        return GetCommModes();
    }
    CommMode mode;
    if (!ParseCommMode(text, &mode))
    {
        throw ExperimentError("--mode=" + text
                              + ": unknown mode; allowed: " + Join(GetCommModeNames()) + ", all");
    }
    return {mode};
}

std::string
FormatModes(const std::vector<CommMode>& modes)
{
    if (modes.size() > 1 && modes == GetCommModes())
    {
        return "all";
    }
    return modes.empty() ? "" : ToString(modes.front());
}

DataRate
ValidateOptions(const ExperimentOptions& o)
{
    if (o.modes.empty())
    {
        throw ExperimentError("--mode: no mode to run; allowed: " + Join(GetCommModeNames())
                              + ", all");
    }
    if (o.nics < 1 || o.nics > Topology::MAX_NICS)
    {
        throw ExperimentError("--nics=" + std::to_string(o.nics) + ": allowed: 1.."
                              + std::to_string(Topology::MAX_NICS));
    }
    // The application's timestamp header must fit: SeqTsHeader (12 B) for udp, SeqTsSizeHeader
    // (20 B) for onoff, and TCP needs room for a useful segment.
    const uint32_t minSize = o.app == TrafficApp::TCP ? 128 : o.app == TrafficApp::ONOFF ? 66 : 64;
    if (o.size < minSize || o.size > 1518)
    {
        throw ExperimentError("--size=" + std::to_string(o.size) + ": allowed: "
                              + std::to_string(minSize) + "..1518 bytes (Ethernet frame with FCS)");
    }
    if (!o.duration.IsStrictlyPositive())
    {
        throw ExperimentError("--duration: must be a positive time, e.g. 1ms");
    }
    // The load: a rate with a unit, or a fraction of the line rate.
    std::string why;
    DataRate line;
    if (!TopologyValues::ParseRate(o.lineRate, &line, &why))
    {
        throw ExperimentError("--line-rate=" + o.lineRate + ": " + why);
    }
    DataRate rate;
    char* end = nullptr;
    const double fraction = std::strtod(o.load.c_str(), &end);
    if (end != o.load.c_str() && *end == '\0')
    {
        if (!(fraction > 0 && fraction <= 1))
        {
            throw ExperimentError("--load=" + o.load
                                  + ": a fraction of the line rate must be in (0, 1]");
        }
        rate = DataRate(uint64_t(line.GetBitRate() * fraction));
    }
    else if (!TopologyValues::ParseRate(o.load, &rate, &why))
    {
        throw ExperimentError("--load=" + o.load + ": " + why);
    }
    return rate;
}

/** \return what --vswitch takes: every switch profile, and "default" */
static std::vector<std::string>
VswitchChoices()
{
    std::vector<std::string> v = ListPresets(PresetKind::VSWITCH);
    v.push_back("default");
    return v;
}

ExperimentCommandLine::ExperimentCommandLine(const ExperimentOptions& defaults)
    : m_options(defaults)
    , m_mode(FormatModes(defaults.modes))
    , m_traffic(ToString(defaults.traffic))
    , m_placement(ToString(defaults.placement))
    , m_app(ToString(defaults.app))
    , m_guest(ToString(defaults.guest))
{
}

void
ExperimentCommandLine::AddOptions(CommandLine& cmd, CommandLineCheck& check)
{
    ExperimentOptions& o = m_options;
    check.AddValue(cmd, "mode", "communication mode: " + Join(GetCommModeNames()) + ", or all",
                   m_mode);
    check.AddValue(cmd, "topology", "topology DOT file (default: one host with --vms VMs)",
                   o.topologyFile);
    check.AddValue(cmd, "hosts", "hosts of the default topology (all on one top-of-rack switch)",
                   o.hosts);
    check.AddValue(cmd, "vms",
                   "VMs per host of the default topology (modes with VFs: at most --nics x "
                   "ns3::SriovNic::MaxVfs, the VFs the NIC offers)",
                   o.vms);
    check.AddValue(cmd, "nics",
                   "SR-IOV NICs per host, 1..8, unless the topology's host says nics=N (VM i on "
                   "NIC i mod nics, each NIC its own uplink; vf-dma between NICs crosses PCIe peer "
                   "to peer)",
                   o.nics);
    check.AddValue(cmd, "traffic", "traffic pattern: " + Join(GetTrafficPatternNames()), m_traffic);
    check.AddValue(cmd, "placement", "pairs: " + Join(GetPlacementNames()), m_placement);
    check.AddValue(cmd, "app", "application: " + Join(GetTrafficAppNames()), m_app);
    check.AddValue(cmd, "guest",
                   "what runs in the VMs: kernel (Linux stack, interrupts, vCPU halt and wake-up) "
                   "or dpdk (poll mode driver: no interrupts, no stack); ns3::GuestOs attributes "
                   "set its costs",
                   m_guest);
    check.AddValue(cmd, "vswitch",
                   "software switch profile of the vswitch modes: "
                       + Join(ListPresets(PresetKind::VSWITCH))
                       + ", or default (the mode's: ovs-kernel, ovs-dpdk); a topology host's "
                         "vswitch= wins",
                   o.vswitch);
    check.AddValue(cmd, "size", "Ethernet frame size in bytes, FCS included (64..1518)", o.size);
    check.AddValue(cmd, "load",
                   "offered load per flow: a rate (10Gbps) or a fraction of --line-rate (0.5)",
                   o.load);
    check.AddValue(cmd, "line-rate", "rate a fractional --load refers to", o.lineRate);
    check.AddValue(cmd, "duration", "traffic duration (a time: 1ms)", o.duration);
    check.AddValue(cmd, "db", "results database to add the run(s) to (default: none)", o.db);
    check.AddValue(cmd, "point", "sweep point key (set by ./vmcomm sweep)", o.point);
    check.AddValue(cmd, "quiet", "print no summary", o.quiet);
    check.AddValue(cmd, "tcp-sndbuf",
                   "app=tcp: socket send buffer, bytes (ns3::TcpSocket::SndBufSize; 0 keeps it, "
                   "ns-3 default 131072): bounds TCP's window, so it decides TCP throughput",
                   o.tcpSndBuf);
    check.AddValue(cmd, "tcp-rcvbuf",
                   "app=tcp: socket receive buffer, bytes (ns3::TcpSocket::RcvBufSize; 0 keeps "
                   "it, ns-3 default 131072)",
                   o.tcpRcvBuf);
}

void
ExperimentCommandLine::Describe(OptionList& list) const
{
    std::vector<std::string> modes = GetCommModeNames();
    modes.push_back("all");
    list.Choices("mode", modes)
        .Expands("mode", "all", GetCommModeNames())
        .Choices("traffic", GetTrafficPatternNames())
        .Choices("placement", GetPlacementNames())
        .Choices("app", GetTrafficAppNames())
        .Choices("guest", GetGuestKindNames())
        .Choices("vswitch", VswitchChoices())
        .Range("nics", 1, Topology::MAX_NICS)
        .Range("size", 64, 1518);
}

ExperimentOptions
ExperimentCommandLine::GetOptions() const
{
    ExperimentOptions o = m_options;
    o.modes = ParseModes(m_mode);
    if (!ParseTrafficPattern(m_traffic, &o.traffic))
    {
        throw ExperimentError("--traffic=" + m_traffic
                              + ": allowed: " + Join(GetTrafficPatternNames()));
    }
    if (!ParsePlacement(m_placement, &o.placement))
    {
        throw ExperimentError("--placement=" + m_placement
                              + ": allowed: " + Join(GetPlacementNames()));
    }
    if (!ParseTrafficApp(m_app, &o.app))
    {
        throw ExperimentError("--app=" + m_app + ": allowed: " + Join(GetTrafficAppNames()));
    }
    if (!ParseGuestKind(m_guest, &o.guest))
    {
        throw ExperimentError("--guest=" + m_guest + ": allowed: " + Join(GetGuestKindNames()));
    }
    const std::vector<std::string> profiles = VswitchChoices();
    if (std::find(profiles.begin(), profiles.end(), o.vswitch) == profiles.end())
    {
        throw ExperimentError("--vswitch=" + o.vswitch + ": allowed: " + Join(profiles));
    }
    return o;
}

std::map<std::string, std::string>
ExperimentCommandLine::Record(const ExperimentOptions& o, const std::string& preset)
{
    std::map<std::string, std::string> r = {{"preset", preset},
                                            {"traffic", ToString(o.traffic)},
                                            {"placement", ToString(o.placement)},
                                            {"app", ToString(o.app)},
                                            {"guest", ToString(o.guest)},
                                            {"vswitch", o.vswitch},
                                            {"size", std::to_string(o.size)},
                                            {"load", o.load},
                                            {"line-rate", o.lineRate},
                                            {"duration", CommandLineCheck::FormatTime(o.duration)},
                                            {"vms", std::to_string(o.vms)},
                                            {"nics", std::to_string(o.nics)},
                                            {"hosts", std::to_string(o.hosts)}};
    if (!o.topologyFile.empty())
    {
        r["topology"] = o.topologyFile; // absent: the built-in rack (runs.topology)
    }
    return r;
}

} // namespace ns3
