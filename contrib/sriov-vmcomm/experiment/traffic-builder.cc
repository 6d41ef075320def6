/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * TrafficBuilder: flows, neighbour entries, applications, sinks and per-flow statistics of a
 * scenario run (see traffic-builder.h).
 */
#include "traffic-builder.h"

#include "ns3/applications-module.h"
#include "ns3/arp-cache.h"
#include "ns3/core-module.h"
#include "ns3/host.h"
#include "ns3/internet-module.h"
#include "ns3/virtual-switch.h"

#include <algorithm>
#include <limits>
#include <string>

namespace ns3 {

namespace {

using FlowMap = TrafficBuilder::FlowMap;
constexpr uint32_t ETH_OVERHEAD = TrafficBuilder::ETH_OVERHEAD;
constexpr uint32_t UDP_OVERHEAD = TrafficBuilder::UDP_OVERHEAD;
constexpr uint32_t TCP_OVERHEAD = TrafficBuilder::TCP_OVERHEAD;

/** Ethernet frame bytes (header + FCS, padded to the 64-byte minimum) around an L4 packet. */
inline uint32_t
FrameBytes(uint32_t l4Bytes)
{
    return std::max<uint32_t>(64, l4Bytes + 20 + ETH_OVERHEAD);
}

inline void
NoteTx(TrafficFlow* f, uint32_t payload, uint32_t frame)
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
NoteRx(TrafficFlow* f, uint32_t payload, uint32_t frame)
{
    const Time now = Simulator::Now();
    f->lastRx = now;
    ++f->rxFrames;
    f->rxBytes += payload;
    f->rxFrameBytes += frame;
}

inline void
NoteLatency(TrafficFlow* f, LatencyHistogram* all, Time lat)
{
    f->lastLatency = lat;
    f->latency.Record(lat);
    all->Record(lat);
}

void
OnRx(TrafficFlow* f, LatencyHistogram* all, Ptr<const Packet>, const Address&, const Address&,
     const SeqTsSizeHeader& h)
{
    // OnOff over UDP: one message per datagram; h.GetSize() is the whole UDP payload.
    NoteRx(f, h.GetSize(), FrameBytes(h.GetSize() + 8));
    NoteLatency(f, all, Simulator::Now() - h.GetTs());
}

/** Count a frame a VM's IP layer sends (UdpClient and OnOff have no trace of the frames they
 * hand down): \p flows are the VM's flows by (destination address, destination port). */
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
    TrafficFlow* f = it->second;
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
OnUdpRx(TrafficFlow* f, LatencyHistogram* all, Ptr<const Packet> p, const Address&, const Address&)
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

TrafficBuilder::TrafficBuilder(const ExperimentOptions& options, DataRate rate)
    : m_options(options)
    , m_rate(rate)
{
}

Time
TrafficBuilder::GetStart()
{
    return MilliSeconds(1);
}

const std::vector<TrafficFlow>&
TrafficBuilder::GetFlows() const
{
    return m_flows;
}

const LatencyHistogram&
TrafficBuilder::GetLatency() const
{
    return m_allLatency;
}

uint64_t
TrafficBuilder::GetUnchargedDrops() const
{
    return m_unchargedDrops;
}

void
TrafficBuilder::ChargeDrop(Ptr<const Packet> p)
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
TrafficBuilder::ChargeDrop(const Ipv4Header& ip, Ptr<const Packet> l4)
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
TrafficBuilder::Prepare(const std::vector<VmPair>& pattern, const VmTable& vms,
                        const std::vector<Ptr<Host>>& hosts)
{
    m_vms = vms;
    m_flows.clear();
    m_senders.clear();
    m_tcpReceivers.clear();
    m_flowByKey.clear();
    m_unchargedDrops = 0;
    m_allLatency.Reset();
    for (auto [src, dst] : pattern)
    {
        TrafficFlow f;
        f.src = src;
        f.dst = dst;
        m_flows.push_back(std::move(f));
    }

    auto add = [this](uint32_t from, uint32_t to)
    {
        Ptr<Ipv4L3Protocol> ipv4 = m_vms.nodes.Get(from)->GetObject<Ipv4L3Protocol>();
        Ptr<Ipv4Interface> itf = ipv4->GetInterface(1);
        Ptr<ArpCache> cache = itf->GetArpCache();
        ArpCache::Entry* e = cache->Lookup(m_vms.addresses[to]);
        if (!e)
        {
            e = cache->Add(m_vms.addresses[to]);
        }
        e->SetMacAddress(m_vms.devices.Get(to)->GetAddress());
        e->MarkAutoGenerated();
    };
    // A virtual switch sends an address it does not know to every port: give it the remote
    // ends of its VMs' flows, behind its uplink, as an operator's flow rules would.
    auto route = [this, &hosts](uint32_t from, uint32_t to)
    {
        Ptr<VirtualSwitch> vs = hosts[m_vms.host[from]]->GetVirtualSwitch();
        if (vs && m_vms.host[from] != m_vms.host[to])
        {
            // vswitch-offload: the switch's way to the wire is its uplink representor.
            const uint32_t uplink = vs->GetUplinkPort() != VirtualSwitch::PORT_NONE
                                      ? vs->GetUplinkPort()
                                      : vs->GetUplinkRepresentorPort();
            vs->AddStaticEntry(Mac48Address::ConvertFrom(m_vms.devices.Get(to)->GetAddress()),
                               uplink);
        }
    };
    for (const TrafficFlow& f : m_flows)
    {
        add(f.src, f.dst);
        add(f.dst, f.src);
        route(f.src, f.dst);
        route(f.dst, f.src);
    }
    if (m_options.app == TrafficApp::TCP)
    {
        // The socket buffers bound TCP's window, so they decide TCP's throughput (and the
        // ranking of the modes): set from --tcp-sndbuf/--tcp-rcvbuf, else as configured.
        if (m_options.tcpSndBuf > 0)
        {
            Config::SetDefault("ns3::TcpSocket::SndBufSize", UintegerValue(m_options.tcpSndBuf));
        }
        if (m_options.tcpRcvBuf > 0)
        {
            Config::SetDefault("ns3::TcpSocket::RcvBufSize", UintegerValue(m_options.tcpRcvBuf));
        }
    }
}

void
TrafficBuilder::InstallApplications()
{
    const Time start = GetStart();
    for (std::size_t i = 0; i < m_flows.size(); ++i)
    {
        TrafficFlow& f = m_flows[i];
        uint16_t port = 10000 + i % 50000;
        m_flowByKey[{m_vms.addresses[f.src].Get(), m_vms.addresses[f.dst].Get(), port}] = &f;
        bool tcp = m_options.app == TrafficApp::TCP;
        std::string factory = tcp ? "ns3::TcpSocketFactory" : "ns3::UdpSocketFactory";
        ApplicationContainer sink;
        ApplicationContainer app;
        InetSocketAddress to(m_vms.addresses[f.dst], port);
        // Frames sent are counted at the sender's IP layer, for every app.
        m_senders[f.src][{m_vms.addresses[f.dst].Get(), port}] = &f;
        if (m_options.app == TrafficApp::UDP)
        {
            // Constant bit rate: the frame (FCS included) every size x 8 / rate seconds.
            UdpServerHelper server(port);
            sink = server.Install(m_vms.nodes.Get(f.dst));
            sink.Get(0)->TraceConnectWithoutContext("RxWithAddresses",
                                                    MakeBoundCallback(&OnUdpRx, &f, &m_allLatency));
            UdpClientHelper client(m_vms.addresses[f.dst], port);
            client.SetAttribute("PacketSize", UintegerValue(m_options.size - UDP_OVERHEAD));
            client.SetAttribute("Interval",
                                TimeValue(Seconds(m_options.size * 8.0 / m_rate.GetBitRate())));
            client.SetAttribute("MaxPackets", UintegerValue(std::numeric_limits<uint32_t>::max()));
            app = client.Install(m_vms.nodes.Get(f.src));
            app.Start(start);
            app.Stop(start + m_options.duration);
            sink.Start(Time(0));
            continue;
        }
        PacketSinkHelper sinkHelper(factory, InetSocketAddress(Ipv4Address::GetAny(), port));
        sinkHelper.SetAttribute("EnableSeqTsSizeHeader", BooleanValue(!tcp));
        sink = sinkHelper.Install(m_vms.nodes.Get(f.dst));
        if (tcp)
        {
            // Segments received are counted at the receiver's IP layer (OnTcpDeliver).
            m_tcpReceivers[f.dst][{m_vms.addresses[f.src].Get(), port}] = &f;
            BulkSendHelper bulk(factory, to);
            bulk.SetAttribute("SendSize", UintegerValue(m_options.size - TCP_OVERHEAD));
            app = bulk.Install(m_vms.nodes.Get(f.src));
        }
        else
        {
            sink.Get(0)->TraceConnectWithoutContext("RxWithSeqTsSize",
                                                    MakeBoundCallback(&OnRx, &f, &m_allLatency));
            OnOffHelper onoff(factory, to);
            onoff.SetAttribute("DataRate", DataRateValue(m_rate));
            onoff.SetAttribute("PacketSize", UintegerValue(m_options.size - UDP_OVERHEAD));
            onoff.SetAttribute("EnableSeqTsSizeHeader", BooleanValue(true));
            // Exponential bursts and silences of 1 ms mean: half the offered load on average.
            onoff.SetAttribute("OnTime", StringValue("ns3::ExponentialRandomVariable[Mean=0.001]"));
            onoff.SetAttribute("OffTime",
                               StringValue("ns3::ExponentialRandomVariable[Mean=0.001]"));
            app = onoff.Install(m_vms.nodes.Get(f.src));
        }
        app.Start(start);
        app.Stop(start + m_options.duration);
        sink.Start(Time(0));
    }
    for (auto& [vm, flows] : m_senders)
    {
        m_vms.nodes.Get(vm)->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
            "SendOutgoing", MakeBoundCallback(&OnIpSend, &flows));
    }
    for (auto& [vm, flows] : m_tcpReceivers)
    {
        m_vms.nodes.Get(vm)->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
            "LocalDeliver", MakeBoundCallback(&OnTcpDeliver, &flows, &m_allLatency));
    }
}

double
TrafficFlow::GetOfferedBps() const
{
    return RateBps(txFrameBytes, firstTxFrameBytes, txFrames, lastTx - firstTx);
}

double
TrafficFlow::GetCarriedBps(Time span) const
{
    return span.IsStrictlyPositive() ? double(rxFrameBytes) * 8 / span.GetSeconds() : 0;
}

double
TrafficFlow::GetGoodputBps(Time span) const
{
    return span.IsStrictlyPositive() ? double(rxBytes) * 8 / span.GetSeconds() : 0;
}

Time
TrafficBuilder::GetReceiveSpan() const
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
    for (const TrafficFlow& f : m_flows)
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
TrafficBuilder::IsSaturated(const TrafficFlow& f) const
{
    if (m_options.app == TrafficApp::TCP)
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

} // namespace ns3
