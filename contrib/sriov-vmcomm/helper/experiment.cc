/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "experiment.h"

#include "command-line-check.h"
#include "fabric-builder.h"
#include "ns3/applications-module.h"
#include "ns3/arp-cache.h"
#include "ns3/core-module.h"
#include "ns3/ethernet-channel.h"
#include "ns3/ethernet-net-device.h"
#include "ns3/ethernet-switch.h"
#include "ns3/host.h"
#include "ns3/internet-module.h"
#include "ns3/iommu.h"
#include "ns3/pcie-hierarchy.h"
#include "ns3/pcie-link.h"
#include "ns3/preset.h"
#include "ns3/sriov-nic.h"
#include "ns3/traffic-control-module.h"
#include "ns3/vf-net-device.h"
#include "ns3/virtio-net-device.h"
#include "ns3/virtual-switch.h"
#include "option-list.h"
#include "preset.h"
#include "sriov-helper.h"
#include "topology-reader.h"
#include "vswitch-helper.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <limits>
#include <set>
#include <sstream>

namespace ns3 {

NS_LOG_COMPONENT_DEFINE("Experiment");

namespace {

/** RNG stream of the permutation pattern (AssignStreams numbers the run's others after it). */
constexpr int64_t PATTERN_STREAM = 1000;

/** Ethernet header + FCS, IPv4 and UDP/TCP header bytes around a payload. */
constexpr uint32_t ETH_OVERHEAD = 18;
constexpr uint32_t UDP_OVERHEAD = ETH_OVERHEAD + 20 + 8;
constexpr uint32_t TCP_OVERHEAD = ETH_OVERHEAD + 20 + 32; // with the timestamp option

/** Ethernet frame bytes (header + FCS, padded to the 64-byte minimum) around an L4 packet. */
inline uint32_t
FrameBytes(uint32_t l4Bytes)
{
    return std::max<uint32_t>(64, l4Bytes + 20 + ETH_OVERHEAD);
}

inline void
NoteTx(Experiment::Flow* f, uint32_t payload, uint32_t frame)
{
    const Time now = Simulator::Now();
    if (f->txFrames == 0)
    {
        f->firstTx = now;
        f->firstTxFrameBytes = frame;
    }
    f->lastTx = now;
    ++f->txFrames;
    f->txBytes += payload;
    f->txFrameBytes += frame;
}

inline void
NoteRx(Experiment::Flow* f, uint32_t payload, uint32_t frame)
{
    const Time now = Simulator::Now();
    f->lastRx = now;
    ++f->rxFrames;
    f->rxBytes += payload;
    f->rxFrameBytes += frame;
}

inline void
NoteLatency(Experiment::Flow* f, LatencyHistogram* all, Time lat)
{
    f->lastLatency = lat;
    f->latency.Record(lat);
    all->Record(lat);
}

void
OnRx(Experiment::Flow* f, LatencyHistogram* all, Ptr<const Packet>, const Address&, const Address&,
     const SeqTsSizeHeader& h)
{
    // OnOff over UDP: one message per datagram; h.GetSize() is the whole UDP payload.
    NoteRx(f, h.GetSize(), FrameBytes(h.GetSize() + 8));
    NoteLatency(f, all, Simulator::Now() - h.GetTs());
}

/** A VM's flows by (remote address, port): destination port of what it sends (UdpClient and
 * OnOff have no trace of the frames they hand down). */
using FlowMap = std::map<std::pair<uint32_t, uint16_t>, Experiment::Flow*>;

void
OnIpSend(const FlowMap* flows, const Ipv4Header& ip, Ptr<const Packet> p, uint32_t)
{
    if (ip.GetProtocol() == UdpL4Protocol::PROT_NUMBER)
    {
        UdpHeader udp;
        p->PeekHeader(udp);
        auto it = flows->find({ip.GetDestination().Get(), udp.GetDestinationPort()});
        if (it != flows->end())
        {
            NoteTx(it->second, p->GetSize() - udp.GetSerializedSize(), FrameBytes(p->GetSize()));
        }
    }
    else if (ip.GetProtocol() == TcpL4Protocol::PROT_NUMBER)
    {
        TcpHeader tcp;
        p->PeekHeader(tcp);
        const uint32_t payload = p->GetSize() - tcp.GetSerializedSize();
        if (payload == 0)
        {
            return; // SYN, FIN, pure ACK: no data of the flow
        }
        auto it = flows->find({ip.GetDestination().Get(), tcp.GetDestinationPort()});
        if (it != flows->end())
        {
            NoteTx(it->second, payload, FrameBytes(p->GetSize()));
            // A retransmission restarts the segment's clock: its latency is the network's.
            it->second->tcpSent[tcp.GetSequenceNumber().GetValue()] = Simulator::Now();
        }
    }
}

void
OnTcpDeliver(const FlowMap* flows, LatencyHistogram* all, const Ipv4Header& ip, Ptr<const Packet> p,
             uint32_t)
{
    if (ip.GetProtocol() != TcpL4Protocol::PROT_NUMBER)
    {
        return;
    }
    TcpHeader tcp;
    p->PeekHeader(tcp);
    const uint32_t payload = p->GetSize() - tcp.GetSerializedSize();
    auto it = flows->find({ip.GetSource().Get(), tcp.GetDestinationPort()});
    if (payload == 0 || it == flows->end())
    {
        return;
    }
    Experiment::Flow* f = it->second;
    NoteRx(f, payload, FrameBytes(p->GetSize()));
    // Network latency of the segment, IP layer to IP layer (no socket-buffer waiting). A
    // duplicate (the original and its retransmission both arrive) has no sample the second time.
    auto sent = f->tcpSent.find(tcp.GetSequenceNumber().GetValue());
    if (sent != f->tcpSent.end())
    {
        NoteLatency(f, all, Simulator::Now() - sent->second);
        f->tcpSent.erase(sent);
    }
}

void
OnUdpRx(Experiment::Flow* f, LatencyHistogram* all, Ptr<const Packet> p, const Address&,
        const Address&)
{
    // UdpClient stamps each packet with a SeqTsHeader (12 bytes: fits a 64-byte frame).
    SeqTsHeader h;
    p->PeekHeader(h);
    NoteRx(f, p->GetSize(), FrameBytes(p->GetSize() + 8));
    NoteLatency(f, all, Simulator::Now() - h.GetTs());
}

/** \return bits after the first frame over \p span; 0 without two frames or a span */
double
RateBps(uint64_t bytes, uint32_t firstBytes, uint64_t frames, Time span)
{
    if (frames < 2 || !span.IsStrictlyPositive())
    {
        return 0;
    }
    return double(bytes - firstBytes) * 8 / span.GetSeconds();
}

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

void
AddDrop(RunRecord& r, const std::string& component, const char* reason, uint64_t count)
{
    r.drops.push_back({component, reason, count});
}

/**
 * A cable end's receive drops (what it refuses to send is counted by the switch or NIC that
 * handed it the frame) and the frames at the end in its transmit queue and on its wire.
 */
void
CableCounters(RunRecord& r, const std::string& component, const Ptr<EthernetNetDevice>& dev)
{
    for (auto rx : {EthernetNetDevice::DROP_RX_ERROR, EthernetNetDevice::DROP_VLAN_MISMATCH,
                    EthernetNetDevice::DROP_NOT_FOR_HOST})
    {
        if (dev->GetDrops(rx) > 0)
        {
            AddDrop(r, component, EthernetNetDevice::GetDropReasonName(rx), dev->GetDrops(rx));
        }
    }
    r.counters.push_back(
        {component, "tx_queue_backlog_at_end", double(dev->GetQueue()->GetNPackets())});
    // Sent (from the first bit) and not yet received whole or corrupted by the peer.
    uint64_t wire = 0;
    Ptr<EthernetChannel> ch = DynamicCast<EthernetChannel>(dev->GetChannel());
    if (Ptr<EthernetNetDevice> peer = ch ? ch->GetPeer(dev) : nullptr)
    {
        wire = dev->GetTxFrames() - peer->GetRxFrames()
             - peer->GetDrops(EthernetNetDevice::DROP_RX_ERROR);
    }
    r.counters.push_back({component, "wire_in_flight_at_end", double(wire)});
}

uint32_t
Be32(const uint8_t* b)
{
    return uint32_t(b[0]) << 24 | uint32_t(b[1]) << 16 | uint32_t(b[2]) << 8 | b[3];
}

/**
 * The flow key of a dropped frame: an IPv4 packet, bare or behind its Ethernet header (a cable's
 * queue holds frames with their header). UDP and TCP both keep the destination port at offset 2.
 * \return false if the frame is not IPv4 or too short
 */
bool
ReadFlowKey(const Packet& p, std::tuple<uint32_t, uint32_t, uint16_t>* key)
{
    uint8_t b[64];
    const uint32_t n = p.CopyData(b, sizeof b);
    uint32_t ip;
    if (n >= 14 + 24 && b[12] == 0x08 && b[13] == 0x00 && (b[14] >> 4) == 4)
    {
        ip = 14;
    }
    else if (n >= 18 + 24 && b[12] == 0x81 && b[13] == 0x00 && b[16] == 0x08 && b[17] == 0x00
             && (b[18] >> 4) == 4)
    {
        ip = 18; // 802.1Q tagged
    }
    else if (n >= 24 && (b[0] >> 4) == 4)
    {
        ip = 0;
    }
    else
    {
        return false;
    }
    const uint32_t l4 = ip + (b[ip] & 0x0f) * 4;
    if (n < l4 + 4)
    {
        return false;
    }
    *key = {Be32(b + ip + 12), Be32(b + ip + 16), uint16_t(b[l4 + 2] << 8 | b[l4 + 3])};
    return true;
}

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

const ExperimentOptions&
Experiment::GetOptions() const
{
    return m_opt;
}

const std::vector<Experiment::Flow>&
Experiment::GetFlows() const
{
    return m_flows;
}

void
Experiment::ChargeDrop(Ptr<const Packet> p)
{
    std::tuple<uint32_t, uint32_t, uint16_t> key;
    auto it = p && ReadFlowKey(*p, &key) ? m_flowByKey.find(key) : m_flowByKey.end();
    if (it == m_flowByKey.end())
    {
        ++m_unchargedDrops;
        return;
    }
    ++it->second->dropped;
}

void
Experiment::ChargeDrop(const Ipv4Header& ip, Ptr<const Packet> l4)
{
    uint8_t b[4];
    auto it = l4->CopyData(b, 4) == 4 ? m_flowByKey.find(
                  {ip.GetSource().Get(), ip.GetDestination().Get(), uint16_t(b[2] << 8 | b[3])})
                                      : m_flowByKey.end();
    if (it == m_flowByKey.end())
    {
        ++m_unchargedDrops;
        return;
    }
    ++it->second->dropped;
}

void
Experiment::IpDrop(const Ipv4Header& ip, Ptr<const Packet> p, Ipv4L3Protocol::DropReason reason,
                   Ptr<Ipv4> ipv4, uint32_t)
{
    static const char* const NAMES[] = {"",
                                        "ip-ttl-expired",
                                        "ip-no-route",
                                        "ip-bad-checksum",
                                        "ip-interface-down",
                                        "ip-route-error",
                                        "ip-fragment-timeout",
                                        "ip-duplicate"};
    const char* name = reason >= 1 && reason <= 7 ? NAMES[reason] : "ip-other";
    ++m_ipDrops[{m_ipv4Host[PeekPointer(ipv4)] + "/guest-ip", name}];
    // Some IPv4 drops pass the packet with its header, others without.
    uint8_t b[16];
    if (p->CopyData(b, 16) == 16 && (b[0] >> 4) == 4 && Be32(b + 12) == ip.GetSource().Get())
    {
        ChargeDrop(p);
    }
    else
    {
        ChargeDrop(ip, p);
    }
}

void
Experiment::OnPacketDrop(Experiment* e, Ptr<const Packet> p, const char*)
{
    e->ChargeDrop(p);
}

void
Experiment::OnVswitchDrop(Experiment* e, bool pfUplink, Ptr<const Packet> p, uint32_t,
                          const char* reason)
{
    if (pfUplink
        && std::string(reason)
               == VirtualSwitch::GetDropReasonName(VirtualSwitch::DROP_UPLINK_REFUSED))
    {
        return; // the PF's NIC counted it (tx-ring-full, frame-too-large)
    }
    e->ChargeDrop(p);
}

void
Experiment::OnSwitchDrop(Experiment* e, uint32_t, Ptr<const Packet> p, const char*)
{
    e->ChargeDrop(p);
}

void
Experiment::OnCableDrop(Experiment* e, Ptr<const Packet> p, const char* reason)
{
    for (auto rx : {EthernetNetDevice::DROP_RX_ERROR, EthernetNetDevice::DROP_VLAN_MISMATCH,
                    EthernetNetDevice::DROP_NOT_FOR_HOST})
    {
        if (std::string(reason) == EthernetNetDevice::GetDropReasonName(rx))
        {
            e->ChargeDrop(p);
        }
    }
}

void
Experiment::OnQueueDiscDrop(Experiment* e, Ptr<const QueueDiscItem> item)
{
    if (auto ip = DynamicCast<const Ipv4QueueDiscItem>(item))
    {
        e->ChargeDrop(ip->GetHeader(), ip->GetPacket());
    }
    else
    {
        e->ChargeDrop(item->GetPacket());
    }
}

void
Experiment::ConnectDropTraces()
{
    m_unchargedDrops = 0;
    m_ipv4Host.clear();
    m_ipDrops.clear();
    for (const Ptr<Host>& h : m_hosts)
    {
        for (uint32_t n = 0; n < h->GetNNics(); ++n)
        {
            h->GetNic(n)->TraceConnectWithoutContext(
                "PacketDrop", MakeBoundCallback(&Experiment::OnPacketDrop, this));
            if (Ptr<EthernetNetDevice> cable
                = DynamicCast<EthernetNetDevice>(h->GetNic(n)->GetUplink()))
            {
                cable->TraceConnectWithoutContext(
                    "Drop", MakeBoundCallback(&Experiment::OnCableDrop, this));
            }
        }
        for (uint32_t i = 0; i < h->GetNVms(); ++i)
        {
            Ptr<NetDevice> dev = h->GetVmDevice(i);
            if (DynamicCast<VirtioNetDevice>(dev))
            {
                dev->TraceConnectWithoutContext("Drop",
                                                MakeBoundCallback(&Experiment::OnPacketDrop, this));
            }
            Ptr<Node> vm = h->GetVm(i);
            Ptr<TrafficControlLayer> tc = vm->GetObject<TrafficControlLayer>();
            if (Ptr<QueueDisc> qd = tc ? tc->GetRootQueueDiscOnDevice(dev) : nullptr)
            {
                qd->TraceConnectWithoutContext(
                    "Drop", MakeBoundCallback(&Experiment::OnQueueDiscDrop, this));
            }
            if (Ptr<Ipv4> ipv4 = vm->GetObject<Ipv4>())
            {
                m_ipv4Host[PeekPointer(ipv4)] = h->GetName();
                ipv4->TraceConnectWithoutContext("Drop", MakeCallback(&Experiment::IpDrop, this));
            }
        }
        if (Ptr<VirtualSwitch> vs = h->GetVirtualSwitch())
        {
            bool pfUplink = DynamicCast<VfNetDevice>(vs->GetUplink()) != nullptr;
            vs->TraceConnectWithoutContext(
                "Drop", MakeBoundCallback(&Experiment::OnVswitchDrop, this, pfUplink));
        }
    }
    for (const Ptr<EthernetSwitch>& es : m_switches)
    {
        es->TraceConnectWithoutContext("Drop", MakeBoundCallback(&Experiment::OnSwitchDrop, this));
        for (uint32_t p = 0; p < es->GetNPorts(); ++p)
        {
            es->GetPort(p)->TraceConnectWithoutContext(
                "Drop", MakeBoundCallback(&Experiment::OnCableDrop, this));
        }
    }
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
    // The modes are named as --mode gave them, in messages.
    const std::string modeText = FormatModes(m_opt.modes);
    const bool vfs = std::any_of(m_opt.modes.begin(), m_opt.modes.end(),
                                 [](CommMode m)
                                 {
                                     return !IsSoftwareSwitched(m);
                                 });
    const bool vepa = std::any_of(m_opt.modes.begin(), m_opt.modes.end(), NeedsReflectiveRelay);
    const TypeId nicType = TypeId::LookupByName("ns3::SriovNic");
    for (int h : m_topology.GetHosts())
    {
        const Topology::Node& spec = m_topology.GetNode(h);
        const uint32_t nics = spec.nics > 0 ? spec.nics : m_opt.nics;
        // The hardware modes give every VM a VF of one of the host's NICs: the NIC offers
        // MaxVfs per PF (its preset's, or the attribute's default in force).
        std::string maxVfs;
        std::string preset = spec.nic != "default" ? spec.nic : "";
        for (const PresetParameter& q :
             preset.empty() ? std::vector<PresetParameter>() : GetPreset(preset).parameters)
        {
            if (q.attribute == "ns3::SriovNic::MaxVfs")
            {
                maxVfs = q.value;
            }
        }
        if (maxVfs.empty())
        {
            TypeId::AttributeInformation info;
            nicType.LookupAttributeByName("MaxVfs", &info);
            maxVfs = info.initialValue->SerializeToString(info.checker);
        }
        const uint64_t limit = std::stoull(maxVfs) * nics;
        if (vfs && spec.vms > limit)
        {
            const std::string what = m_opt.topologyFile.empty()
                                       ? "--vms=" + std::to_string(spec.vms)
                                       : m_topology.GetSource() + ": node \"" + spec.name
                                             + "\": attribute vms=\"" + std::to_string(spec.vms)
                                             + "\"";
            throw ExperimentError(what + ": more VMs than the host's NICs have VFs (mode "
                                  + modeText + " gives each VM a VF): allowed: 1.."
                                  + std::to_string(limit) + " (" + std::to_string(nics)
                                  + " NIC(s) x ns3::SriovNic::MaxVfs=" + maxVfs + ")");
        }
    }
    if (vepa)
    {
        // VEPA sends every frame, VM to VM on the same host too, to the adjacent switch port,
        // which reflects it (IEEE 802.1Qbg reflective relay): a host with a flow between two of
        // its VMs needs a switch there.
        std::vector<bool> sameHostFlow(m_topology.GetNHosts(), false);
        if (CountFlows() <= 1000000)
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
        else
        {
            for (std::size_t h = 0; h < m_topology.GetHosts().size(); ++h)
            {
                sameHostFlow[h] = m_topology.GetNode(m_topology.GetHosts()[h]).vms >= 2;
            }
        }
        for (std::size_t h = 0; h < m_topology.GetHosts().size(); ++h)
        {
            const int node = m_topology.GetHosts()[h];
            const Topology::Node& spec = m_topology.GetNode(node);
            bool switchPort = false;
            for (int l : spec.links)
            {
                switchPort |= m_topology.GetNode(m_topology.GetLink(l).Other(node)).kind
                           == Topology::SWITCH;
            }
            if (!switchPort && sameHostFlow[h])
            {
                throw ExperimentError(
                    "--mode=" + modeText + ": " + m_topology.GetSource() + ": host \"" + spec.name
                    + "\" is cabled to no switch: vepa needs a switch port with reflective relay "
                      "(IEEE 802.1Qbg) to turn its VM-to-VM frames around; use a topology with a "
                      "switch"
                    + (m_opt.modes.size() > 1 ? " or a single --mode" : ""));
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

void
Experiment::Build(CommMode mode)
{
    m_hosts.clear();
    m_vmNodes = NodeContainer();
    m_vmHost.clear();
    m_vmDevices = NetDeviceContainer();
    const bool software = IsSoftwareSwitched(mode);
    uint32_t hostIndex = 0;
    for (int h : m_topology.GetHosts())
    {
        const Topology::Node& spec = m_topology.GetNode(h);
        SriovHelper sriov;
        sriov.SetHostAttribute("Name", StringValue(spec.name));
        sriov.SetNics(spec.nics > 0 ? spec.nics : m_opt.nics);
        if (spec.nic != "default")
        {
            sriov.SetPreset(spec.nic); // this host's hardware, over the program's --preset
        }
        Ptr<Host> host;
        if (software)
        {
            // VMs with virtio NICs on a software switch; the switch reaches the wire through
            // the host kernel's PF on the same SR-IOV NIC.
            host = sriov.Install(NodeContainer());
            Ptr<VfNetDevice> pf = sriov.AddPf(host);
            NodeContainer vms;
            vms.Create(spec.vms);
            VswitchHelper vswitch;
            // The mode picks the datapath, unless the host names its own profile.
            vswitch.SetProfile(spec.vswitch != "default" ? spec.vswitch
                                                         : GetDefaultVswitchProfile(mode));
            vswitch.Install(host, vms)->SetUplink(pf);
        }
        else
        {
            // The hardware modes differ only in how the NIC forwards between its VFs.
            ConfigureNicForwarding(mode, sriov);
            host = sriov.Install(spec.vms);
        }
        m_hosts.push_back(host);
        for (uint32_t i = 0; i < host->GetNVms(); ++i)
        {
            m_vmNodes.Add(host->GetVm(i));
            m_vmHost.push_back(hostIndex);
            m_vmDevices.Add(host->GetVmDevice(i));
        }
        ++hostIndex;
    }
    BuildFabric();
    InternetStackHelper stack;
    stack.SetIpv6StackInstall(false);
    stack.Install(m_vmNodes);
    Ipv4AddressHelper ip("10.0.0.0", "255.0.0.0");
    Ipv4InterfaceContainer ifs = ip.Assign(m_vmDevices);
    m_vmAddress.clear();
    for (uint32_t i = 0; i < ifs.GetN(); ++i)
    {
        m_vmAddress.push_back(ifs.GetAddress(i));
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

void
Experiment::PopulateNeighbours()
{
    auto add = [this](uint32_t from, uint32_t to)
    {
        Ptr<Ipv4L3Protocol> ipv4 = m_vmNodes.Get(from)->GetObject<Ipv4L3Protocol>();
        Ptr<Ipv4Interface> itf = ipv4->GetInterface(1);
        Ptr<ArpCache> cache = itf->GetArpCache();
        ArpCache::Entry* e = cache->Lookup(m_vmAddress[to]);
        if (!e)
        {
            e = cache->Add(m_vmAddress[to]);
        }
        e->SetMacAddress(m_vmDevices.Get(to)->GetAddress());
        e->MarkAutoGenerated();
    };
    // A virtual switch sends an address it does not know to every port: give it the remote
    // ends of its VMs' flows, behind its uplink, as an operator's flow rules would.
    auto route = [this](uint32_t from, uint32_t to)
    {
        Ptr<VirtualSwitch> vs = m_hosts[m_vmHost[from]]->GetVirtualSwitch();
        if (vs && m_vmHost[from] != m_vmHost[to])
        {
            vs->AddStaticEntry(Mac48Address::ConvertFrom(m_vmDevices.Get(to)->GetAddress()),
                               vs->GetUplinkPort());
        }
    };
    for (const Flow& f : m_flows)
    {
        add(f.src, f.dst);
        add(f.dst, f.src);
        route(f.src, f.dst);
        route(f.dst, f.src);
    }
}

void
Experiment::BuildTraffic()
{
    m_flows.clear();
    m_senders.clear();
    m_tcpReceivers.clear();
    m_busyStart.clear();
    m_busyEnd.clear();
    m_flowByKey.clear();
    m_allLatency.Reset();
    for (auto [src, dst] : MakePattern())
    {
        Flow f;
        f.src = src;
        f.dst = dst;
        m_flows.push_back(std::move(f));
    }
    PopulateNeighbours();
    if (m_opt.app == TrafficApp::TCP)
    {
        // The socket buffers bound TCP's window, so they decide TCP's throughput (and the
        // ranking of the modes): set from --tcp-sndbuf/--tcp-rcvbuf, else as configured.
        if (m_opt.tcpSndBuf > 0)
        {
            Config::SetDefault("ns3::TcpSocket::SndBufSize", UintegerValue(m_opt.tcpSndBuf));
        }
        if (m_opt.tcpRcvBuf > 0)
        {
            Config::SetDefault("ns3::TcpSocket::RcvBufSize", UintegerValue(m_opt.tcpRcvBuf));
        }
    }
    const Time start = MilliSeconds(1);
    m_windowStart = start;
    // Busy times at both ends of the traffic window: utilization is busy time within it over
    // its length, not diluted by the idle start and the drain.
    Simulator::Schedule(start,
                        [this]()
                        {
                            m_busyStart = SnapshotBusy();
                        });
    Simulator::Schedule(start + m_opt.duration,
                        [this]()
                        {
                            m_busyEnd = SnapshotBusy();
                        });
    for (std::size_t i = 0; i < m_flows.size(); ++i)
    {
        Flow& f = m_flows[i];
        uint16_t port = 10000 + i % 50000;
        m_flowByKey[{m_vmAddress[f.src].Get(), m_vmAddress[f.dst].Get(), port}] = &f;
        bool tcp = m_opt.app == TrafficApp::TCP;
        std::string factory = tcp ? "ns3::TcpSocketFactory" : "ns3::UdpSocketFactory";
        ApplicationContainer sink;
        ApplicationContainer app;
        InetSocketAddress to(m_vmAddress[f.dst], port);
        // Frames sent are counted at the sender's IP layer, for every app.
        m_senders[f.src][{m_vmAddress[f.dst].Get(), port}] = &f;
        if (m_opt.app == TrafficApp::UDP)
        {
            // Constant bit rate: the frame (FCS included) every size x 8 / rate seconds.
            UdpServerHelper server(port);
            sink = server.Install(m_vmNodes.Get(f.dst));
            sink.Get(0)->TraceConnectWithoutContext("RxWithAddresses",
                                                    MakeBoundCallback(&OnUdpRx, &f, &m_allLatency));
            UdpClientHelper client(m_vmAddress[f.dst], port);
            client.SetAttribute("PacketSize", UintegerValue(m_opt.size - UDP_OVERHEAD));
            client.SetAttribute("Interval",
                                TimeValue(Seconds(m_opt.size * 8.0 / m_rate.GetBitRate())));
            client.SetAttribute("MaxPackets", UintegerValue(std::numeric_limits<uint32_t>::max()));
            app = client.Install(m_vmNodes.Get(f.src));
            app.Start(start);
            app.Stop(start + m_opt.duration);
            sink.Start(Time(0));
            continue;
        }
        PacketSinkHelper sinkHelper(factory, InetSocketAddress(Ipv4Address::GetAny(), port));
        sinkHelper.SetAttribute("EnableSeqTsSizeHeader", BooleanValue(!tcp));
        sink = sinkHelper.Install(m_vmNodes.Get(f.dst));
        if (tcp)
        {
            // Segments received are counted at the receiver's IP layer (OnTcpDeliver).
            m_tcpReceivers[f.dst][{m_vmAddress[f.src].Get(), port}] = &f;
            BulkSendHelper bulk(factory, to);
            bulk.SetAttribute("SendSize", UintegerValue(m_opt.size - TCP_OVERHEAD));
            app = bulk.Install(m_vmNodes.Get(f.src));
        }
        else
        {
            sink.Get(0)->TraceConnectWithoutContext("RxWithSeqTsSize",
                                                    MakeBoundCallback(&OnRx, &f, &m_allLatency));
            OnOffHelper onoff(factory, to);
            onoff.SetAttribute("DataRate", DataRateValue(m_rate));
            onoff.SetAttribute("PacketSize", UintegerValue(m_opt.size - UDP_OVERHEAD));
            onoff.SetAttribute("EnableSeqTsSizeHeader", BooleanValue(true));
            // Exponential bursts and silences of 1 ms mean: half the offered load on average.
            onoff.SetAttribute("OnTime", StringValue("ns3::ExponentialRandomVariable[Mean=0.001]"));
            onoff.SetAttribute("OffTime",
                               StringValue("ns3::ExponentialRandomVariable[Mean=0.001]"));
            app = onoff.Install(m_vmNodes.Get(f.src));
        }
        app.Start(start);
        app.Stop(start + m_opt.duration);
        sink.Start(Time(0));
    }
    for (auto& [vm, flows] : m_senders)
    {
        m_vmNodes.Get(vm)->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
            "SendOutgoing", MakeBoundCallback(&OnIpSend, &flows));
    }
    for (auto& [vm, flows] : m_tcpReceivers)
    {
        m_vmNodes.Get(vm)->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
            "LocalDeliver", MakeBoundCallback(&OnTcpDeliver, &flows, &m_allLatency));
    }
}

std::map<std::string, double>
Experiment::SnapshotBusy() const
{
    std::map<std::string, double> busy;
    for (const Ptr<Host>& h : m_hosts)
    {
        const std::string name = h->GetName();
        auto link = [&busy](const std::string& component, const Ptr<PcieLink>& l)
        {
            busy[component + "|up"] = l->GetBusyTimeSoFar(PcieLink::Direction(0)).GetSeconds();
            busy[component + "|down"] = l->GetBusyTimeSoFar(PcieLink::Direction(1)).GetSeconds();
        };
        double cores = 0;
        for (uint32_t n = 0; n < h->GetNNics(); ++n)
        {
            link(name + "/pcie" + (n == 0 ? "" : std::to_string(n)), h->GetPcieLink(n));
            cores += h->GetNic(n)->GetOffloadCoreTimeSoFar().GetSeconds();
        }
        if (Ptr<PcieHierarchy> p2p = h->GetPcieHierarchy())
        {
            if (Ptr<PcieLink> up = p2p->GetSwitchUpstream())
            {
                link(name + "/pcie-switch", up);
            }
        }
        if (Ptr<VirtualSwitch> vs = h->GetVirtualSwitch())
        {
            for (uint32_t c = 0; c < vs->GetNCores(); ++c)
            {
                cores += vs->GetBusyTime(c).GetSeconds();
            }
        }
        busy[name + "/cpu|cores"] = cores;
    }
    return busy;
}

double
Experiment::Flow::GetOfferedBps() const
{
    return RateBps(txFrameBytes, firstTxFrameBytes, txFrames, lastTx - firstTx);
}

double
Experiment::Flow::GetCarriedBps(Time span) const
{
    return span.IsStrictlyPositive() ? double(rxFrameBytes) * 8 / span.GetSeconds() : 0;
}

double
Experiment::Flow::GetGoodputBps(Time span) const
{
    return span.IsStrictlyPositive() ? double(rxBytes) * 8 / span.GetSeconds() : 0;
}

Time
Experiment::GetReceiveSpan() const
{
    // Every frame received crossed every link of its path between the instant it was sent and
    // the instant it was received, so all of them crossed within [first sent, last received]:
    // over that span, the flows through one link can never sum to more than the link carries,
    // whatever queues and interrupt batches do to the receive instants. The price: a run reads
    // low by about one latency over the duration (the pipeline's fill), which doc/results.md
    // states.
    // It also lasts at least as long as each flow's sending did, counted as one interval per
    // frame (the span offered_bps is measured over, plus its last frame's interval): a flow whose
    // latency is below its frame interval then reads what it offered, not more.
    Time firstTx = Time::Max();
    Time end = Time::Min();
    bool received = false;
    for (const Flow& f : m_flows)
    {
        if (f.txFrames > 0)
        {
            firstTx = std::min(firstTx, f.firstTx);
        }
        if (f.txFrames > 1)
        {
            end = std::max(end, f.lastTx + (f.lastTx - f.firstTx) / int64_t(f.txFrames - 1));
        }
        if (f.rxFrames > 0)
        {
            end = std::max(end, f.lastRx);
            received = true;
        }
    }
    return received && end > firstTx ? end - firstTx : Time(0);
}

bool
Experiment::IsSaturated(const Flow& f) const
{
    if (m_opt.app == TrafficApp::TCP)
    {
        return true; // a bulk sender always has more to send than the path takes
    }
    // Lost, or still queued at the end, more than the tolerance of its frames; or a queue that
    // grew while it sent: its last frame waited longer than the fastest one by more than the
    // tolerance of the sending time (a path that keeps up delivers the last frame about as fast
    // as the first, whatever the run's length).
    const double sending = (f.lastTx - f.firstTx).GetSeconds();
    return f.rxFrames < (1 - SATURATION_TOLERANCE) * f.txFrames
        || (f.rxFrames > 0
            && (f.lastLatency - f.latency.GetMin()).GetSeconds() > SATURATION_TOLERANCE * sending);
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
        Config::SetDefault("ns3::TcpSocket::SegmentSize", UintegerValue(m_opt.size - TCP_OVERHEAD));
    }
    auto wallStart = std::chrono::steady_clock::now();
    m_currentMode = mode;
    Build(mode);
    BuildTraffic();
    ConnectDropTraces();
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
    m_vmNodes = NodeContainer();
    m_vmDevices = NetDeviceContainer();
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
    stream += InternetStackHelper().AssignStreams(m_vmNodes, stream);
    for (uint32_t n = 0; n < m_vmNodes.GetN(); ++n)
    {
        Ptr<Node> node = m_vmNodes.Get(n);
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
    r.scenario = m_scenario;
    r.topology = m_opt.topologyFile.empty() ? "rack" : m_opt.topologyFile;
    r.mode = ToString(mode);
    r.rngSeed = RngSeedManager::GetSeed();
    r.rngRun = RngSeedManager::GetRun();
    r.version = "0.1.0";
    r.startedAt = ResultsDb::NowIso8601();
    r.wallSeconds = wall;
    r.simSeconds = Simulator::Now().GetSeconds();
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

    const Time span = GetReceiveSpan();
    double carried = 0;
    for (std::size_t i = 0; i < m_flows.size(); ++i)
    {
        const Flow& f = m_flows[i];
        FlowRow row;
        row.flowId = i;
        row.src = "vm" + std::to_string(f.src);
        row.dst = "vm" + std::to_string(f.dst);
        row.srcHost = m_hosts[m_vmHost[f.src]]->GetName();
        row.dstHost = m_hosts[m_vmHost[f.dst]]->GetName();
        row.sameHost = m_vmHost[f.src] == m_vmHost[f.dst];
        row.txFrames = f.txFrames;
        row.txBytes = f.txBytes;
        row.rxFrames = f.rxFrames;
        row.rxBytes = f.rxBytes;
        // Drops charged to the flow by the components' drop traces; what is neither received
        // nor dropped is still in a queue, ring or cable (doc/results.md, accounting). TCP's
        // duplicates and ACKs keep it out of the identity: no in-flight figure for it.
        row.dropped = f.dropped;
        if (m_opt.app != TrafficApp::TCP)
        {
            row.inFlight = int64_t(f.txFrames) - int64_t(f.rxFrames) - int64_t(f.dropped);
        }
        // Over the run's span, so never above what the flow's path carries.
        row.throughputBps = f.GetGoodputBps(span);
        row.frameBps = f.GetCarriedBps(span);
        carried += row.frameBps;
        row.offeredBps = f.GetOfferedBps();
        row.saturated = IsSaturated(f);
        row.SetLatency(f.latency);
        r.flows.push_back(row);
        if (m_flows.size() <= 16)
        {
            r.histograms.emplace_back(i, f.latency);
        }
    }
    r.histograms.emplace_back(-1, m_allLatency);
    // The run's offered and carried load: every flow together, over the same span.
    {
        double offered = 0;
        bool saturated = false;
        for (const Flow& f : m_flows)
        {
            offered += f.GetOfferedBps();
            saturated = saturated || IsSaturated(f);
        }
        r.counters.push_back({"traffic", "offered_bps", offered});
        r.counters.push_back({"traffic", "carried_bps", carried});
        r.counters.push_back({"traffic", "saturated", saturated ? 1.0 : 0.0});
        r.counters.push_back({"traffic", "window_start_seconds", m_windowStart.GetSeconds()});
        r.counters.push_back({"traffic", "window_seconds", m_opt.duration.GetSeconds()});
    }
    // Utilization: busy time within the traffic window over the window's length.
    const double window = m_opt.duration.GetSeconds();
    auto inWindow = [&](const std::string& key)
    {
        auto a = m_busyStart.find(key);
        auto b = m_busyEnd.find(key);
        return a == m_busyStart.end() || b == m_busyEnd.end() ? 0.0
                                                              : (b->second - a->second) / window;
    };

    for (const Ptr<Host>& h : m_hosts)
    {
        std::string name = h->GetName();
        // NIC 0 keeps the plain names ("h1/nic", "h1/pcie"); further NICs are numbered.
        auto numbered = [&](const char* what, uint32_t n)
        {
            return name + "/" + what + (n == 0 ? "" : std::to_string(n));
        };
        for (uint32_t n = 0; n < h->GetNNics(); ++n)
        {
            Ptr<SriovNic> nic = h->GetNic(n);
            for (int reason = 0; reason < SriovNic::DROP_REASONS; ++reason)
            {
                auto why = SriovNic::DropReason(reason);
                if (nic->GetDrops(why) > 0)
                {
                    AddDrop(r, numbered("nic", n), SriovNic::GetDropReasonName(why),
                            nic->GetDrops(why));
                }
            }
        }
        if (Ptr<Iommu> iommu = h->GetIommu())
        {
            r.counters.push_back({name + "/iommu", "iotlb_hits", double(iommu->GetHits())});
            r.counters.push_back({name + "/iommu", "iotlb_misses", double(iommu->GetMisses())});
            r.counters.push_back(
                {name + "/iommu", "walk_accesses", double(iommu->GetWalkAccesses())});
            r.counters.push_back({name + "/iommu", "faults", double(iommu->GetFaults())});
        }
        // Bytes and utilization per direction of a PCIe link.
        auto linkCounters = [&](const std::string& component, const Ptr<PcieLink>& link)
        {
            for (int d = 0; d < 2; ++d)
            {
                auto dir = PcieLink::Direction(d);
                std::string tag = d == 0 ? "up" : "down";
                r.counters.push_back({component, tag + "_bytes", double(link->GetWireBytes(dir))});
                r.counters.push_back(
                    {component, tag + "_utilization", inWindow(component + "|" + tag)});
            }
        };
        for (uint32_t n = 0; n < h->GetNNics(); ++n)
        {
            linkCounters(numbered("pcie", n), h->GetPcieLink(n));
        }
        if (Ptr<PcieHierarchy> p2p = h->GetPcieHierarchy())
        {
            r.counters.push_back({name + "/pcie-p2p", "writes", double(p2p->GetPeerWrites())});
            r.counters.push_back({name + "/pcie-p2p", "bytes", double(p2p->GetPeerBytes())});
            if (Ptr<PcieLink> up = p2p->GetSwitchUpstream())
            {
                linkCounters(name + "/pcie-switch", up);
            }
        }
        uint64_t interrupts = 0;
        uint64_t vfTx = 0;
        uint64_t vfRx = 0;
        uint64_t rxRingBacklog = 0;
        uint64_t virtioTxBacklog = 0;
        uint64_t virtioRxBacklog = 0;
        uint64_t virtioDrops[VirtioNetDevice::DROP_REASONS] = {};
        bool virtio = false;
        for (uint32_t i = 0; i < h->GetNVms(); ++i)
        {
            if (Ptr<VfNetDevice> vf = DynamicCast<VfNetDevice>(h->GetVmDevice(i)))
            {
                interrupts += vf->GetCounters().interrupts;
                vfTx += vf->GetCounters().txFrames;
                vfRx += vf->GetCounters().rxFrames;
                rxRingBacklog += vf->GetRxRingBacklog();
            }
            else if (Ptr<VirtioNetDevice> v = DynamicCast<VirtioNetDevice>(h->GetVmDevice(i)))
            {
                virtio = true;
                virtioTxBacklog += v->GetTxQueue().GetSize();
                virtioRxBacklog += v->GetRxQueue().GetSize();
                for (int reason = 0; reason < VirtioNetDevice::DROP_REASONS; ++reason)
                {
                    virtioDrops[reason] += v->GetDrops(VirtioNetDevice::DropReason(reason));
                }
            }
        }
        // One row per reason for the host's virtio NICs together (a row per VM would repeat
        // the drops table's key).
        for (int reason = 0; reason < VirtioNetDevice::DROP_REASONS; ++reason)
        {
            if (virtioDrops[reason] > 0)
            {
                AddDrop(r, name + "/virtio",
                        VirtioNetDevice::GetDropReasonName(VirtioNetDevice::DropReason(reason)),
                        virtioDrops[reason]);
            }
        }
        if (Ptr<VfNetDevice> pf = h->GetPf())
        {
            interrupts += pf->GetCounters().interrupts;
            rxRingBacklog += pf->GetRxRingBacklog();
        }
        r.counters.push_back({name + "/vf", "interrupts", double(interrupts)});
        r.counters.push_back({name + "/vf", "tx_frames", double(vfTx)});
        r.counters.push_back({name + "/vf", "rx_frames", double(vfRx)});
        // Frames in flight at the end, component by component (doc/results.md, accounting).
        r.counters.push_back({name + "/vf", "rx_ring_backlog_at_end", double(rxRingBacklog)});
        if (virtio)
        {
            r.counters.push_back(
                {name + "/virtio", "tx_queue_backlog_at_end", double(virtioTxBacklog)});
            r.counters.push_back(
                {name + "/virtio", "rx_queue_backlog_at_end", double(virtioRxBacklog)});
        }
        for (uint32_t n = 0; n < h->GetNNics(); ++n)
        {
            if (Ptr<EthernetNetDevice> cable
                = DynamicCast<EthernetNetDevice>(h->GetNic(n)->GetUplink()))
            {
                CableCounters(r, numbered("uplink", n), cable);
            }
        }
        for (const auto& [key, count] : m_ipDrops)
        {
            if (key.first == name + "/guest-ip")
            {
                AddDrop(r, key.first, key.second.c_str(), count);
            }
        }
        // A guest NIC with flow control (virtio) pushes back into the VM's queue disc: what it
        // drops is lost traffic too, and what it still holds at the end is in flight.
        uint64_t qdiscDrops = 0;
        uint64_t qdiscBacklog = 0;
        for (uint32_t i = 0; i < h->GetNVms(); ++i)
        {
            Ptr<TrafficControlLayer> tc = h->GetVm(i)->GetObject<TrafficControlLayer>();
            Ptr<QueueDisc> qd = tc ? tc->GetRootQueueDiscOnDevice(h->GetVmDevice(i)) : nullptr;
            if (qd)
            {
                qdiscDrops += qd->GetStats().nTotalDroppedPackets;
                qdiscBacklog += qd->GetNPackets();
            }
        }
        if (qdiscDrops > 0)
        {
            AddDrop(r, name + "/guest-qdisc", "queue-disc-full", qdiscDrops);
        }
        r.counters.push_back({name + "/guest-qdisc", "backlog_at_end", double(qdiscBacklog)});
        // vswitch-offload: the host core that decides each frame.
        double busy = 0;
        for (uint32_t n = 0; n < h->GetNNics(); ++n)
        {
            Ptr<SriovNic> nic = h->GetNic(n);
            busy += nic->GetOffloadCoreTime().GetSeconds();
            r.counters.push_back(
                {numbered("nic", n), "eswitch_frames", double(nic->GetEswitchFrames())});
            r.counters.push_back(
                {numbered("nic", n), "frames_in_flight_at_end", double(nic->GetFramesInFlight())});
            r.counters.push_back(
                {numbered("nic", n), "uplink_tx_frames", double(nic->GetUplinkTxFrames())});
        }
        double useful = busy;
        if (Ptr<VirtualSwitch> vs = h->GetVirtualSwitch())
        {
            for (uint32_t c = 0; c < vs->GetNCores(); ++c)
            {
                busy += vs->GetBusyTime(c).GetSeconds();
                useful += vs->GetUsefulTime(c).GetSeconds();
                r.counters.push_back({name + "/cpu/core" + std::to_string(c), "busy_seconds",
                                      vs->GetBusyTime(c).GetSeconds()});
            }
            // A frame the PF refuses is counted by its NIC (tx-ring-full, frame-too-large):
            // the switch's own uplink-refused would count it twice.
            const bool pfUplink = DynamicCast<VfNetDevice>(vs->GetUplink()) != nullptr;
            for (int reason = 0; reason < VirtualSwitch::DROP_REASONS; ++reason)
            {
                auto why = VirtualSwitch::DropReason(reason);
                if (vs->GetDrops(why) > 0
                    && !(pfUplink && why == VirtualSwitch::DROP_UPLINK_REFUSED))
                {
                    AddDrop(r, name + "/vswitch", VirtualSwitch::GetDropReasonName(why),
                            vs->GetDrops(why));
                }
            }
            // Per core, the drops of the input queues it serves: the same frames as the virtio
            // tx-queue-full and the switch's uplink-queue-full drops, so a counter, not drops.
            for (uint32_t c = 0; c < vs->GetNCores(); ++c)
            {
                r.counters.push_back({name + "/vswitch/core" + std::to_string(c),
                                      "input_queue_drops", double(vs->GetCoreQueueDrops(c))});
            }
            r.counters.push_back({name + "/vswitch", "uplink_queue_backlog_at_end",
                                  double(vs->GetUplinkQueueBacklog())});
            // Frames from the uplink for no port of this switch: not a drop (a flood's copy
            // for another host), but a unicast frame of a flow here would be lost uncounted.
            r.counters.push_back(
                {name + "/vswitch", "filtered_frames", double(vs->GetCounters().filtered)});
        }
        // Host cores spent forwarding: none for the hardware modes, measured, not assumed.
        r.counters.push_back({name + "/cpu", "forwarding_core_seconds", busy});
        r.counters.push_back({name + "/cpu", "useful_core_seconds", useful});
        r.counters.push_back({name + "/cpu", "cores_busy", inWindow(name + "/cpu|cores")});
    }
    for (std::size_t s = 0; s < m_switches.size(); ++s)
    {
        const Ptr<EthernetSwitch>& es = m_switches[s];
        std::string name = m_topology.GetNode(m_topology.GetSwitches()[s]).name;
        uint64_t rx = 0;
        uint64_t reflected = 0;
        for (uint32_t p = 0; p < es->GetNPorts(); ++p)
        {
            rx += es->GetPortCounters(p).rxFrames;
            reflected += es->GetPortCounters(p).reflectedFrames;
        }
        r.counters.push_back({name, "rx_frames", double(rx)});
        r.counters.push_back({name, "reflected_frames", double(reflected)});
        r.counters.push_back({name, "pipeline_at_end", double(es->GetFramesInPipeline())});
        for (uint32_t p = 0; p < es->GetNPorts(); ++p)
        {
            CableCounters(r, name + "/port" + std::to_string(p), es->GetPort(p));
        }
        for (int reason = 0; reason < EthernetSwitch::DROP_REASONS; ++reason)
        {
            auto why = EthernetSwitch::DropReason(reason);
            if (es->GetDrops(why) > 0)
            {
                r.drops.push_back(
                    {name, EthernetSwitch::GetDropReasonName(why), es->GetDrops(why)});
            }
        }
    }
    r.counters.push_back({"experiment", "uncharged_drops", double(m_unchargedDrops)});
    return r;
}

void
Experiment::Print(const RunRecord& r) const
{
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
    std::cout << std::fixed << std::setprecision(3);
    std::cout << r.mode << ": " << r.flows.size() << " flow(s), " << txFrames << " sent, "
              << rxFrames << " received; carried " << carried / 1e9 << " of " << offered / 1e9
              << " Gb/s offered" << (saturated ? " (SATURATED)" : "") << ", goodput "
              << goodput / 1e9 << " Gb/s; latency p50 "
              << m_allLatency.GetPercentile(50).GetNanoSeconds() / 1e3 << " us, p99 "
              << m_allLatency.GetPercentile(99).GetNanoSeconds() / 1e3 << " us, p99.9 "
              << m_allLatency.GetPercentile(99.9).GetNanoSeconds() / 1e3 << " us\n";
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
    std::cout << "  " << dropped << " dropped, " << uint64_t(atEnd) << " in flight at the end\n";
    for (const CounterRow& c : r.counters)
    {
        if (c.component == "experiment" || c.component == "traffic"
            || c.name.find("utilization") != std::string::npos
            || c.name.find("core_seconds") != std::string::npos || c.name == "cores_busy"
            || c.component.find("pcie-p2p") != std::string::npos)
        {
            std::cout << "  " << c.component << " " << c.name << " " << c.value << "\n";
        }
    }
    for (const DropRow& d : r.drops)
    {
        std::cout << "  drops " << d.component << " " << d.reason << " " << d.count << "\n";
    }
}

int
Experiment::Main(int argc, char** argv)
{
    CommandLine cmd(m_scenario);
    CommandLineCheck check(m_scenario);
    ExperimentCommandLine options(m_opt);
    options.AddOptions(cmd, check);
    std::string preset;
    check.AddValue(cmd, "preset",
                   "NIC + PCIe + IOMMU configuration: " + JoinPresets()
                       + " (applied first; --ns3:: options override it)",
                   preset);
    if (OptionList::Requested(argc, argv)) // what sweep.py checks a spec against
    {
        OptionList list(m_scenario, cmd);
        options.Describe(list);
        return list.Choices("preset", ListPresets()).Print(std::cout);
    }
    try
    {
        // Every argument, before ns-3 parses it (it aborts on a malformed value) and before
        // anything is created.
        check.Check(argc, argv);
        // Before parsing, so that --ns3::Type::Attr options given too win over the preset.
        preset = ApplyPresetFromCommandLine(argc, argv);
    }
    catch (const CommandLineError& e)
    {
        std::cerr << m_scenario << ": " << e.what() << std::endl;
        return 2;
    }
    catch (const std::invalid_argument& e)
    {
        std::cerr << m_scenario << ": --preset: " << e.what() << std::endl;
        return 2;
    }
    cmd.Parse(argc, argv);
    try
    {
        m_opt = options.GetOptions();
        // Each value as the option reads it back, so that the run replays from run_params alone.
        m_options = ExperimentCommandLine::Record(m_opt, preset);
        // Attributes of other ns-3 modules set on the command line (--ns3::TcpSocket::...): the
        // module's own are all recorded by CollectAttributeDefaults, these only when given.
        for (int i = 1; i < argc; ++i)
        {
            std::string a = argv[i];
            std::size_t eq = a.find('=');
            if (a.rfind("--ns3::", 0) == 0 && eq != std::string::npos)
            {
                m_options[a.substr(2, eq - 2)] = a.substr(eq + 1);
            }
        }
        Validate();
        CheckMemory();
    }
    catch (const ExperimentError& e)
    {
        std::cerr << m_scenario << ": " << e.what() << std::endl;
        return 2;
    }
    // The database is opened (and checked writable) before anything is simulated.
    std::unique_ptr<ResultsDb> db;
    try
    {
        if (!m_opt.db.empty())
        {
            db = std::make_unique<ResultsDb>(m_opt.db);
        }
    }
    catch (const std::exception& e)
    {
        std::cerr << m_scenario << ": --db=" << m_opt.db << ": " << e.what() << std::endl;
        return 2;
    }
    const std::vector<CommMode> modes = m_opt.modes;
    try
    {
        for (CommMode mode : modes)
        {
            RunRecord r = RunMode(mode);
            if (modes.size() > 1 && r.point)
            {
                *r.point += "/" + ToString(mode);
            }
            if (!m_opt.quiet)
            {
                Print(r);
            }
            if (db)
            {
                db->WriteRun(r);
            }
        }
    }
    catch (const std::exception& e)
    {
        std::cerr << m_scenario << ": " << e.what() << std::endl;
        return 1;
    }
    return 0;
}

} // namespace ns3
