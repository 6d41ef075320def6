/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * RunCollector: a run's flows, counters and drops into its RunRecord, and drops charged to
 * their flows (see run-collector.h).
 */
#include "run-collector.h"

#include "component-params.h"
#include "ns3/ethernet-channel.h"
#include "ns3/ethernet-net-device.h"
#include "ns3/ethernet-switch.h"
#include "ns3/host.h"
#include "ns3/iommu.h"
#include "ns3/ipv4-queue-disc-item.h"
#include "ns3/pcie-hierarchy.h"
#include "ns3/pcie-link.h"
#include "ns3/queue-disc.h"
#include "ns3/queue.h"
#include "ns3/simulator.h"
#include "ns3/sriov-nic.h"
#include "ns3/traffic-control-layer.h"
#include "ns3/vf-net-device.h"
#include "ns3/virtio-net-device.h"
#include "ns3/virtual-switch.h"
#include "traffic-builder.h"

#include <algorithm>
#include <initializer_list>

namespace ns3 {

namespace {

void
AddDrop(RunRecord& r, const std::string& component, const char* reason, uint64_t count)
{
    r.drops.push_back({component, reason, count});
}

/**
 * The one way a component's drop counters reach the record: a row per reason that dropped
 * something, named by the component's GetDropReasonName.
 * \param r the record \param component the component \param reasons the reasons to report
 * \param name the reason's name \param count the drops of a reason
 */
template<typename Reason, typename Count>
void
AddDrops(RunRecord& r, const std::string& component, const std::vector<Reason>& reasons,
         const char* (*name)(Reason), Count count)
{
    for (Reason why : reasons)
    {
        const uint64_t n = count(why);
        if (n > 0)
        {
            AddDrop(r, component, name(why), n);
        }
    }
}

/**
 * \param host a host
 * \return its virtual switch if frames go through the switch's software datapath (it has VM
 * ports or an uplink), else null: under vswitch-offload the host's switch has representor
 * ports only, decides on its upcall core (counted by the NICs, GetOffloadCoreTime) and its
 * datapath cores, counters and drops stay idle, so they are not reported
 */
Ptr<VirtualSwitch>
GetDatapathSwitch(const Ptr<Host>& host)
{
    Ptr<VirtualSwitch> vs = host->GetVirtualSwitch();
    return vs && (vs->GetDevices().GetN() > 0 || vs->GetUplink()) ? vs : nullptr;
}

/** \return every reason of a component's DropReason enumeration, 0 .. n-1 \param n count */
template<typename Reason>
std::vector<Reason>
AllReasons(int n)
{
    std::vector<Reason> all;
    for (int i = 0; i < n; ++i)
    {
        all.push_back(Reason(i));
    }
    return all;
}

/** What a cable end counts as its own drops: what it receives and refuses. */
const std::vector<EthernetNetDevice::DropReason> CABLE_RX_DROPS
    = {EthernetNetDevice::DROP_RX_ERROR, EthernetNetDevice::DROP_VLAN_MISMATCH,
       EthernetNetDevice::DROP_NOT_FOR_HOST};

/**
 * A cable end's receive drops (what it refuses to send is counted by the switch or NIC that
 * handed it the frame) and the frames at the end in its transmit queue and on its wire.
 */
void
CableCounters(RunRecord& r, const std::string& component, const Ptr<EthernetNetDevice>& dev)
{
    AddDrops(r, component, CABLE_RX_DROPS, &EthernetNetDevice::GetDropReasonName,
             [&dev](EthernetNetDevice::DropReason why)
             {
                 return dev->GetDrops(why);
             });
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

} // namespace

RunCollector::RunCollector(const std::vector<Ptr<Host>>& hosts,
                           const std::vector<Ptr<EthernetSwitch>>& switches,
                           const std::vector<std::string>& switchNames, TrafficBuilder& traffic)
    : m_hosts(hosts)
    , m_switches(switches)
    , m_switchNames(switchNames)
    , m_traffic(traffic)
{
}

void
RunCollector::IpDrop(const Ipv4Header& ip, Ptr<const Packet> p, Ipv4L3Protocol::DropReason reason,
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
        m_traffic.ChargeDrop(p);
    }
    else
    {
        m_traffic.ChargeDrop(ip, p);
    }
}

void
RunCollector::OnPacketDrop(RunCollector* c, Ptr<const Packet> p, const char*)
{
    c->m_traffic.ChargeDrop(p);
}

void
RunCollector::OnVswitchDrop(RunCollector* c, bool pfUplink, Ptr<const Packet> p, uint32_t,
                            const char* reason)
{
    if (pfUplink
        && std::string(reason)
               == VirtualSwitch::GetDropReasonName(VirtualSwitch::DROP_UPLINK_REFUSED))
    {
        return; // the PF's NIC counted it (tx-ring-full, frame-too-large)
    }
    c->m_traffic.ChargeDrop(p);
}

void
RunCollector::OnSwitchDrop(RunCollector* c, uint32_t, Ptr<const Packet> p, const char*)
{
    c->m_traffic.ChargeDrop(p);
}

void
RunCollector::OnCableDrop(RunCollector* c, Ptr<const Packet> p, const char* reason)
{
    for (auto rx : CABLE_RX_DROPS)
    {
        if (std::string(reason) == EthernetNetDevice::GetDropReasonName(rx))
        {
            c->m_traffic.ChargeDrop(p);
        }
    }
}

void
RunCollector::OnQueueDiscDrop(RunCollector* c, Ptr<const QueueDiscItem> item)
{
    if (auto ip = DynamicCast<const Ipv4QueueDiscItem>(item))
    {
        c->m_traffic.ChargeDrop(ip->GetHeader(), ip->GetPacket());
    }
    else
    {
        c->m_traffic.ChargeDrop(item->GetPacket());
    }
}

void
RunCollector::ConnectDropTraces()
{
    m_ipv4Host.clear();
    m_ipDrops.clear();
    for (const Ptr<Host>& h : m_hosts)
    {
        for (uint32_t n = 0; n < h->GetNNics(); ++n)
        {
            h->GetNic(n)->TraceConnectWithoutContext(
                "PacketDrop", MakeBoundCallback(&RunCollector::OnPacketDrop, this));
            if (Ptr<EthernetNetDevice> cable
                = DynamicCast<EthernetNetDevice>(h->GetNic(n)->GetUplink()))
            {
                cable->TraceConnectWithoutContext(
                    "Drop", MakeBoundCallback(&RunCollector::OnCableDrop, this));
            }
        }
        for (uint32_t i = 0; i < h->GetNVms(); ++i)
        {
            Ptr<NetDevice> dev = h->GetVmDevice(i);
            if (DynamicCast<VirtioNetDevice>(dev))
            {
                dev->TraceConnectWithoutContext(
                    "Drop", MakeBoundCallback(&RunCollector::OnPacketDrop, this));
            }
            Ptr<Node> vm = h->GetVm(i);
            Ptr<TrafficControlLayer> tc = vm->GetObject<TrafficControlLayer>();
            if (Ptr<QueueDisc> qd = tc ? tc->GetRootQueueDiscOnDevice(dev) : nullptr)
            {
                qd->TraceConnectWithoutContext(
                    "Drop", MakeBoundCallback(&RunCollector::OnQueueDiscDrop, this));
            }
            if (Ptr<Ipv4> ipv4 = vm->GetObject<Ipv4>())
            {
                m_ipv4Host[PeekPointer(ipv4)] = h->GetName();
                ipv4->TraceConnectWithoutContext("Drop", MakeCallback(&RunCollector::IpDrop, this));
            }
        }
        if (Ptr<VirtualSwitch> vs = GetDatapathSwitch(h))
        {
            bool pfUplink = DynamicCast<VfNetDevice>(vs->GetUplink()) != nullptr;
            vs->TraceConnectWithoutContext(
                "Drop", MakeBoundCallback(&RunCollector::OnVswitchDrop, this, pfUplink));
        }
    }
    for (const Ptr<EthernetSwitch>& es : m_switches)
    {
        es->TraceConnectWithoutContext("Drop",
                                       MakeBoundCallback(&RunCollector::OnSwitchDrop, this));
        for (uint32_t p = 0; p < es->GetNPorts(); ++p)
        {
            es->GetPort(p)->TraceConnectWithoutContext(
                "Drop", MakeBoundCallback(&RunCollector::OnCableDrop, this));
        }
    }
}

void
RunCollector::ScheduleWindow(Time start, Time duration)
{
    m_windowStart = start;
    m_window = duration;
    m_busyStart.clear();
    m_busyEnd.clear();
    Simulator::Schedule(start,
                        [this]()
                        {
                            m_busyStart = SnapshotBusy();
                        });
    Simulator::Schedule(start + duration,
                        [this]()
                        {
                            m_busyEnd = SnapshotBusy();
                        });
}

double
RunCollector::InWindow(const std::string& key) const
{
    auto a = m_busyStart.find(key);
    auto b = m_busyEnd.find(key);
    return a == m_busyStart.end() || b == m_busyEnd.end()
             ? 0.0
             : (b->second - a->second) / m_window.GetSeconds();
}

void
RunCollector::CollectFlows(RunRecord& r, const std::vector<uint32_t>& vmHost, bool tcp) const
{
    const std::vector<TrafficFlow>& flows = m_traffic.GetFlows();
    const Time span = m_traffic.GetReceiveSpan();
    double carried = 0;
    for (std::size_t i = 0; i < flows.size(); ++i)
    {
        const TrafficFlow& f = flows[i];
        FlowRow row;
        row.flowId = i;
        row.src = "vm" + std::to_string(f.src);
        row.dst = "vm" + std::to_string(f.dst);
        row.srcHost = m_hosts[vmHost[f.src]]->GetName();
        row.dstHost = m_hosts[vmHost[f.dst]]->GetName();
        row.sameHost = vmHost[f.src] == vmHost[f.dst];
        row.txFrames = f.txFrames;
        row.txBytes = f.txBytes;
        row.rxFrames = f.rxFrames;
        row.rxBytes = f.rxBytes;
        // Drops charged to the flow by the components' drop traces; what is neither received
        // nor dropped is still in a queue, ring or cable (doc/results.md, accounting). TCP's
        // duplicates and ACKs keep it out of the identity: no in-flight figure for it.
        row.dropped = f.dropped;
        if (!tcp)
        {
            row.inFlight = int64_t(f.txFrames) - int64_t(f.rxFrames) - int64_t(f.dropped);
        }
        // Over the run's span, so never above what the flow's path carries.
        row.throughputBps = f.GetGoodputBps(span);
        row.frameBps = f.GetCarriedBps(span);
        carried += row.frameBps;
        row.offeredBps = f.GetOfferedBps();
        row.saturated = m_traffic.IsSaturated(f);
        row.SetLatency(f.latency);
        r.flows.push_back(row);
        if (flows.size() <= 16)
        {
            r.histograms.emplace_back(i, f.latency);
        }
    }
    r.histograms.emplace_back(-1, m_traffic.GetLatency());
    // The run's offered and carried load: every flow together, over the same span.
    {
        double offered = 0;
        bool saturated = false;
        for (const TrafficFlow& f : flows)
        {
            offered += f.GetOfferedBps();
            saturated = saturated || m_traffic.IsSaturated(f);
        }
        r.counters.push_back({"traffic", "offered_bps", offered});
        r.counters.push_back({"traffic", "carried_bps", carried});
        r.counters.push_back({"traffic", "saturated", saturated ? 1.0 : 0.0});
        r.counters.push_back({"traffic", "window_start_seconds", m_windowStart.GetSeconds()});
        r.counters.push_back({"traffic", "window_seconds", m_window.GetSeconds()});
    }
}

std::map<std::string, double>
RunCollector::SnapshotBusy() const
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
        const std::vector<Ptr<PcieLink>> links = h->GetPcieLinks();
        for (uint32_t n = 0; n < links.size(); ++n)
        {
            link(name + "/pcie" + std::to_string(n), links[n]);
        }
        for (uint32_t n = 0; n < h->GetNNics(); ++n)
        {
            cores += h->GetNic(n)->GetOffloadCoreTimeSoFar().GetSeconds();
        }
        if (Ptr<PcieHierarchy> p2p = h->GetPcieHierarchy())
        {
            if (Ptr<PcieLink> up = p2p->GetSwitchUpstream())
            {
                link(name + "/pcie-switch", up);
            }
        }
        if (Ptr<VirtualSwitch> vs = GetDatapathSwitch(h))
        {
            for (uint32_t c = 0; c < vs->GetNCores(); ++c)
            {
                cores += vs->GetBusyTime(c).GetSeconds();
            }
            for (uint32_t w = 0; w < vs->GetNWorkers(); ++w)
            {
                cores += vs->GetWorkerByIndex(w)->GetBusyTime().GetSeconds();
            }
        }
        busy[name + "/cpu|cores"] = cores;
    }
    return busy;
}

void
RunCollector::CollectComponents(RunRecord& r) const
{
    CollectComponentParams(m_hosts, r);
    for (const Ptr<Host>& h : m_hosts)
    {
        CollectHost(r, h);
    }
    for (std::size_t s = 0; s < m_switches.size(); ++s)
    {
        const Ptr<EthernetSwitch>& es = m_switches[s];
        const std::string& name = m_switchNames[s];
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
        AddDrops(r, name, AllReasons<EthernetSwitch::DropReason>(EthernetSwitch::DROP_REASONS),
                 &EthernetSwitch::GetDropReasonName,
                 [&es](EthernetSwitch::DropReason why)
                 {
                     return es->GetDrops(why);
                 });
    }
    r.counters.push_back({"experiment", "uncharged_drops", double(m_traffic.GetUnchargedDrops())});
}

void
RunCollector::CollectHost(RunRecord& r, const Ptr<Host>& h) const
{
    const std::string name = h->GetName();
    // Every NIC's parts carry its index, NIC 0's too ("h1/nic0", "h1/pcie0", "h1/uplink0").
    auto numbered = [&](const char* what, uint32_t n)
    {
        return name + "/" + what + std::to_string(n);
    };
    for (uint32_t n = 0; n < h->GetNNics(); ++n)
    {
        Ptr<SriovNic> nic = h->GetNic(n);
        AddDrops(r, numbered("nic", n), AllReasons<SriovNic::DropReason>(SriovNic::DROP_REASONS),
                 &SriovNic::GetDropReasonName,
                 [&nic](SriovNic::DropReason why)
                 {
                     return nic->GetDrops(why);
                 });
    }
    if (Ptr<Iommu> iommu = h->GetIommu())
    {
        r.counters.push_back({name + "/iommu", "iotlb_hits", double(iommu->GetHits())});
        r.counters.push_back({name + "/iommu", "iotlb_misses", double(iommu->GetMisses())});
        r.counters.push_back({name + "/iommu", "walk_accesses", double(iommu->GetWalkAccesses())});
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
                {component, tag + "_utilization", InWindow(component + "|" + tag)});
        }
    };
    const std::vector<Ptr<PcieLink>> links = h->GetPcieLinks();
    for (uint32_t n = 0; n < links.size(); ++n)
    {
        linkCounters(numbered("pcie", n), links[n]);
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
    std::vector<Ptr<VirtioNetDevice>> virtio;
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
            virtio.push_back(v);
            virtioTxBacklog += v->GetTxQueue().GetSize();
            virtioRxBacklog += v->GetRxQueue().GetSize();
        }
    }
    // One row per reason for the host's virtio NICs together (a row per VM would repeat the
    // drops table's key).
    AddDrops(r, name + "/virtio",
             AllReasons<VirtioNetDevice::DropReason>(VirtioNetDevice::DROP_REASONS),
             &VirtioNetDevice::GetDropReasonName,
             [&virtio](VirtioNetDevice::DropReason why)
             {
                 uint64_t n = 0;
                 for (const Ptr<VirtioNetDevice>& v : virtio)
                 {
                     n += v->GetDrops(why);
                 }
                 return n;
             });
    // The host's PF, and any further PF its switch has as an uplink (nfv-bench's second port).
    std::vector<Ptr<VfNetDevice>> pfs;
    if (Ptr<VfNetDevice> pf = h->GetPf())
    {
        pfs.push_back(pf);
    }
    if (Ptr<VirtualSwitch> vs = h->GetVirtualSwitch())
    {
        for (uint32_t i = 0; i < vs->GetNUplinks(); ++i)
        {
            Ptr<VfNetDevice> pf = DynamicCast<VfNetDevice>(vs->GetUplinkByIndex(i));
            if (pf && std::find(pfs.begin(), pfs.end(), pf) == pfs.end())
            {
                pfs.push_back(pf);
            }
        }
    }
    for (const Ptr<VfNetDevice>& pf : pfs)
    {
        interrupts += pf->GetCounters().interrupts;
        rxRingBacklog += pf->GetRxRingBacklog();
    }
    r.counters.push_back({name + "/vf", "interrupts", double(interrupts)});
    r.counters.push_back({name + "/vf", "tx_frames", double(vfTx)});
    r.counters.push_back({name + "/vf", "rx_frames", double(vfRx)});
    // Frames in flight at the end, component by component (doc/results.md, accounting).
    r.counters.push_back({name + "/vf", "rx_ring_backlog_at_end", double(rxRingBacklog)});
    if (!virtio.empty())
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
    if (Ptr<VirtualSwitch> vs = GetDatapathSwitch(h))
    {
        for (uint32_t c = 0; c < vs->GetNCores(); ++c)
        {
            busy += vs->GetBusyTime(c).GetSeconds();
            useful += vs->GetUsefulTime(c).GetSeconds();
            r.counters.push_back({name + "/cpu/core" + std::to_string(c), "busy_seconds",
                                  vs->GetBusyTime(c).GetSeconds()});
        }
        // vhost-net: a worker thread per VM port, running when it has work.
        for (uint32_t port = 0; port < vs->GetNPorts(); ++port)
        {
            if (Ptr<VhostWorker> w = vs->GetWorker(port))
            {
                const std::string thread = name + "/cpu/vhost" + std::to_string(port);
                busy += w->GetBusyTime().GetSeconds();
                useful += w->GetBusyTime().GetSeconds();
                r.counters.push_back({thread, "busy_seconds", w->GetBusyTime().GetSeconds()});
                r.counters.push_back({thread, "wakeups", double(w->GetStats().wakeups)});
                r.counters.push_back({thread, "input_queue_drops",
                                      double(vs->GetPortDevice(port)->GetDrops(
                                          VirtioNetDevice::DROP_TX_QUEUE_FULL))});
                r.counters.push_back({thread, "tap_backlog_at_end", double(w->GetTapBacklog())});
            }
        }
        // A frame the PF refuses is counted by its NIC (tx-ring-full, frame-too-large): the
        // switch's own uplink-refused would count it twice.
        const bool pfUplink = DynamicCast<VfNetDevice>(vs->GetUplink()) != nullptr;
        AddDrops(r, name + "/vswitch",
                 AllReasons<VirtualSwitch::DropReason>(VirtualSwitch::DROP_REASONS),
                 &VirtualSwitch::GetDropReasonName,
                 [&vs, pfUplink](VirtualSwitch::DropReason why)
                 {
                     return pfUplink && why == VirtualSwitch::DROP_UPLINK_REFUSED
                              ? uint64_t{0}
                              : vs->GetDrops(why);
                 });
        // Per core, the drops of the input queues it serves: the same frames as the virtio
        // tx-queue-full and the switch's uplink-queue-full drops, so a counter, not drops.
        for (uint32_t c = 0; c < vs->GetNCores(); ++c)
        {
            r.counters.push_back({name + "/vswitch/core" + std::to_string(c), "input_queue_drops",
                                  double(vs->GetCoreQueueDrops(c))});
        }
        r.counters.push_back({name + "/vswitch", "uplink_queue_backlog_at_end",
                              double(vs->GetUplinkQueueBacklog())});
        // Frames from the uplink for no port of this switch: not a drop (a flood's copy for
        // another host), but a unicast frame of a flow here would be lost uncounted.
        r.counters.push_back(
            {name + "/vswitch", "filtered_frames", double(vs->GetCounters().filtered)});
    }
    // Host cores spent forwarding: none for the hardware modes, measured, not assumed.
    r.counters.push_back({name + "/cpu", "forwarding_core_seconds", busy});
    r.counters.push_back({name + "/cpu", "useful_core_seconds", useful});
    r.counters.push_back({name + "/cpu", "cores_busy", InWindow(name + "/cpu|cores")});
}

} // namespace ns3
