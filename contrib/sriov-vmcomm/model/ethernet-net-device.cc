/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * A full-duplex Ethernet port (MAC + PHY) at one end of an EthernetChannel (see
 * ethernet-net-device.h).
 */
#include "ethernet-net-device.h"

#include "ethernet-channel.h"
#include "ns3/abort.h"
#include "ns3/drop-tail-queue.h"
#include "ns3/error-model.h"
#include "ns3/log.h"
#include "ns3/mac48-address.h"
#include "ns3/node.h"
#include "ns3/pointer.h"
#include "ns3/queue.h"
#include "ns3/simulator.h"
#include "ns3/trace-source-accessor.h"
#include "ns3/uinteger.h"
#include "uinteger-checkers.h"

#include <cmath>

namespace ns3 {

NS_LOG_COMPONENT_DEFINE("EthernetNetDevice");

NS_OBJECT_ENSURE_REGISTERED(EthernetNetDevice);

const char*
EthernetNetDevice::GetDropReasonName(DropReason reason)
{
    switch (reason)
    {
        case DROP_QUEUE_FULL:
            return "queue-full";
        case DROP_TOO_LARGE:
            return "too-large";
        case DROP_LINK_DOWN:
            return "link-down";
        case DROP_RX_ERROR:
            return "rx-error";
        case DROP_VLAN_MISMATCH:
            return "vlan-mismatch";
        case DROP_NOT_FOR_HOST:
            return "not-for-host";
        default:
            return "unknown";
    }
}

TypeId
EthernetNetDevice::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::EthernetNetDevice")
              .SetParent<NetDevice>()
              .SetGroupName("SriovVmcomm")
              .AddConstructor<EthernetNetDevice>()
              .AddAttribute(
                  "Mtu",
                  "Largest payload (bytes) of a frame, after the MAC header. Default: "
                  "1500, the maximum of a basic frame (IEEE 802.3 clause 3.2.7).",
                  UintegerValue(1500),
                  MakeUintegerAccessor(&EthernetNetDevice::SetMtu, &EthernetNetDevice::GetMtu),
                  MakeUintegerChecker<uint16_t>(1))
              .AddAttribute("Address",
                            "MAC address of the device (no unit). Default: broadcast, i.e. unset; "
                            "helpers allocate one.",
                            Mac48AddressValue(Mac48Address("ff:ff:ff:ff:ff:ff")),
                            MakeMac48AddressAccessor(&EthernetNetDevice::m_address),
                            MakeMac48AddressChecker())
              .AddAttribute(
                  "DataRate",
                  "Line rate (bit/s), above 0. Default: estimate, 100GbE, a current datacenter "
                  "server port.",
                  DataRateValue(DataRate("100Gbps")),
                  MakeDataRateAccessor(&EthernetNetDevice::m_bps), MakePositiveDataRateChecker())
              .AddAttribute(
                  "PhyLatency",
                  "Time a frame spends in this port's physical layer in each direction, >= 0: "
                  "transmitting, from the MAC to the medium, receiving, from the medium to the "
                  "MAC (PCS encoding and gearbox, PMA, PMD and transceiver). A frame crossing "
                  "a cable takes the sender's and the receiver's. Default: 0 (not modelled), "
                  "presets set it (helper/preset.cc); IEEE 802.3 Table 44-2 bounds 10GBASE-R at "
                  "(3584 + 512) bit times for both directions of one port, 204.8 ns each way.",
                  TimeValue(Time(0)), MakeTimeAccessor(&EthernetNetDevice::m_phyLatency),
                  MakeTimeChecker(Time(0)))
              .AddAttribute(
                  "VlanId",
                  "802.1Q VLAN id (1..4094) of this interface: its frames are tagged with "
                  "it and its stack receives only frames of it. 65535 (default): untagged.",
                  UintegerValue(EthernetFrameHeader::NO_VLAN),
                  MakeUintegerAccessor(&EthernetNetDevice::SetVlanId,
                                       &EthernetNetDevice::GetVlanId),
                  MakeUintegerCheckerIf(
                      [](uint64_t v)
                      {
                          return (v >= 1 && v <= 4094) || v == EthernetFrameHeader::NO_VLAN;
                      },
                      "1..4094, or 65535 (untagged)"))
              .AddAttribute("TxQueue",
                            "Transmit queue (ns3::Queue<Packet>). Default: none set, a "
                            "DropTailQueue<Packet> with its default MaxSize (100 packets, ns-3's "
                            "default) is created on first use.",
                            PointerValue(), MakePointerAccessor(&EthernetNetDevice::m_queue),
                            MakePointerChecker<Queue<Packet>>())
              .AddAttribute(
                  "ReceiveErrorModel", "Error model applied to received frames (default: none).",
                  PointerValue(), MakePointerAccessor(&EthernetNetDevice::m_receiveErrorModel),
                  MakePointerChecker<ErrorModel>())
              .AddTraceSource("MacTx",
                              "A payload was handed to the MAC for transmission (before queueing)",
                              MakeTraceSourceAccessor(&EthernetNetDevice::m_macTxTrace),
                              "ns3::Packet::TracedCallback")
              .AddTraceSource("MacTxDrop",
                              "A payload was dropped before transmission (queue full, too large, "
                              "link down)",
                              MakeTraceSourceAccessor(&EthernetNetDevice::m_macTxDropTrace),
                              "ns3::Packet::TracedCallback")
              .AddTraceSource("MacPromiscRx",
                              "A received payload is handed to the promiscuous receiver or switch",
                              MakeTraceSourceAccessor(&EthernetNetDevice::m_macPromiscRxTrace),
                              "ns3::Packet::TracedCallback")
              .AddTraceSource("MacRx", "A received payload is handed to the node's protocol stack",
                              MakeTraceSourceAccessor(&EthernetNetDevice::m_macRxTrace),
                              "ns3::Packet::TracedCallback")
              .AddTraceSource("PhyTxBegin", "A frame's first bit goes on the wire",
                              MakeTraceSourceAccessor(&EthernetNetDevice::m_phyTxBeginTrace),
                              "ns3::Packet::TracedCallback")
              .AddTraceSource("PhyTxEnd",
                              "A frame and its inter-frame gap are over (with a propagation delay "
                              "shorter than the gap the peer may already hold the frame)",
                              MakeTraceSourceAccessor(&EthernetNetDevice::m_phyTxEndTrace),
                              "ns3::Packet::TracedCallback")
              .AddTraceSource("PhyRxEnd", "A frame's last bit has arrived",
                              MakeTraceSourceAccessor(&EthernetNetDevice::m_phyRxEndTrace),
                              "ns3::Packet::TracedCallback")
              .AddTraceSource("PhyRxDrop", "A received frame was corrupted (receive error model)",
                              MakeTraceSourceAccessor(&EthernetNetDevice::m_phyRxDropTrace),
                              "ns3::Packet::TracedCallback")
              .AddTraceSource("Sniffer",
                              "A frame sent, or received for this host (MAC header included)",
                              MakeTraceSourceAccessor(&EthernetNetDevice::m_snifferTrace),
                              "ns3::Packet::TracedCallback")
              .AddTraceSource("PromiscSniffer", "A frame sent or received (MAC header included)",
                              MakeTraceSourceAccessor(&EthernetNetDevice::m_promiscSnifferTrace),
                              "ns3::Packet::TracedCallback")
              .AddTraceSource("Drop", "A frame was dropped, with the reason's name",
                              MakeTraceSourceAccessor(&EthernetNetDevice::m_dropTrace),
                              "ns3::EthernetNetDevice::DropTracedCallback");
    return tid;
}

EthernetNetDevice::EthernetNetDevice()
    : m_mtu(1500)
    , m_vlan(EthernetFrameHeader::NO_VLAN)
    , m_ifIndex(0)
    , m_linkUp(false)
    , m_txBusy(false)
    , m_txEnd(Time(-1))
    , m_txCarry(0.0)
    , m_txFrames(0)
    , m_txBytes(0)
    , m_txWireBytes(0)
    , m_rxFrames(0)
    , m_rxBytes(0)
    , m_drops{}
{
    NS_LOG_FUNCTION(this);
}

EthernetNetDevice::~EthernetNetDevice()
{
    NS_LOG_FUNCTION(this);
}

void
EthernetNetDevice::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_node = nullptr;
    m_channel = nullptr;
    m_queue = nullptr;
    m_receiveErrorModel = nullptr;
    m_currentPkt = nullptr;
    m_rxCallback = NetDevice::ReceiveCallback();
    m_promiscCallback = NetDevice::PromiscReceiveCallback();
    m_frameRxCallback = FrameReceiveCallback();
    NetDevice::DoDispose();
}

bool
EthernetNetDevice::Attach(Ptr<EthernetChannel> channel)
{
    NS_LOG_FUNCTION(this << channel);
    NS_ABORT_MSG_IF(m_channel, "EthernetNetDevice::Attach: already attached");
    m_channel = channel;
    channel->Attach(this);
    return true;
}

void
EthernetNetDevice::NotifyLinkUp()
{
    m_linkUp = true;
    m_linkChangeCallbacks();
}

void
EthernetNetDevice::SetDataRate(DataRate rate)
{
    NS_LOG_FUNCTION(this << rate);
    NS_ABORT_MSG_IF(rate.GetBitRate() == 0, "EthernetNetDevice::SetDataRate: the rate must be "
                                            "above 0 bit/s");
    m_bps = rate;
}

DataRate
EthernetNetDevice::GetDataRate() const
{
    return m_bps;
}

Time
EthernetNetDevice::GetPhyLatency() const
{
    return m_phyLatency;
}

void
EthernetNetDevice::SetQueue(Ptr<Queue<Packet>> queue)
{
    m_queue = queue;
}

void
EthernetNetDevice::EnsureQueue() const
{
    if (!m_queue)
    {
        m_queue = CreateObject<DropTailQueue<Packet>>();
    }
}

Ptr<Queue<Packet>>
EthernetNetDevice::GetQueue() const
{
    EnsureQueue();
    return m_queue;
}

void
EthernetNetDevice::SetReceiveErrorModel(Ptr<ErrorModel> em)
{
    m_receiveErrorModel = em;
}

void
EthernetNetDevice::SetVlanId(uint16_t vlan)
{
    NS_ABORT_MSG_IF(vlan != EthernetFrameHeader::NO_VLAN && (vlan == 0 || vlan > 4094),
                    "EthernetNetDevice: VlanId " << vlan << " out of range 1..4094");
    m_vlan = vlan;
}

uint16_t
EthernetNetDevice::GetVlanId() const
{
    return m_vlan;
}

double
EthernetNetDevice::GetFrameLineSeconds(uint32_t payloadBytes, bool tagged) const
{
    uint32_t header = EthernetFraming::HEADER + (tagged ? EthernetFraming::VLAN_TAG : 0);
    return EthernetFraming::WireBytes(header + payloadBytes) * 8.0 / m_bps.GetBitRate();
}

void
EthernetNetDevice::CountDrop(Ptr<const Packet> packet, DropReason reason)
{
    ++m_drops[reason];
    NS_LOG_LOGIC(this << " drop " << GetDropReasonName(reason));
    m_dropTrace(packet, GetDropReasonName(reason));
}

EthernetNetDevice::TxStatus
EthernetNetDevice::SendFrame(Ptr<Packet> payload, const EthernetFrameHeader& header)
{
    NS_LOG_FUNCTION(this << payload << header);
    if (!m_linkUp)
    {
        m_macTxDropTrace(payload);
        CountDrop(payload, DROP_LINK_DOWN);
        return TX_LINK_DOWN;
    }
    if (payload->GetSize() > m_mtu)
    {
        m_macTxDropTrace(payload);
        CountDrop(payload, DROP_TOO_LARGE);
        return TX_TOO_LARGE;
    }
    m_macTxTrace(payload);
    payload->AddHeader(header);
    EnsureQueue();
    if (!m_queue->Enqueue(payload))
    {
        m_macTxDropTrace(payload);
        CountDrop(payload, DROP_QUEUE_FULL);
        return TX_QUEUE_FULL;
    }
    if (!m_txBusy)
    {
        Ptr<Packet> frame = m_queue->Dequeue();
        m_snifferTrace(frame);
        m_promiscSnifferTrace(frame);
        TransmitStart(frame);
    }
    return TX_OK;
}

void
EthernetNetDevice::TransmitStart(Ptr<Packet> packet)
{
    NS_LOG_FUNCTION(this << packet);
    m_txBusy = true;
    m_currentPkt = packet;
    m_phyTxBeginTrace(packet);

    // Line time in ticks, kept exactly across back-to-back frames: m_txCarry is how far past
    // m_txEnd (a whole tick) the previous frame's gap really ended. After an idle period the
    // line starts afresh now.
    const Time now = Simulator::Now();
    if (now != m_txEnd)
    {
        m_txCarry = 0.0;
    }
    const double ticksPerBit
        = double(Time::FromInteger(1, Time::S).GetTimeStep()) / double(m_bps.GetBitRate());
    const uint32_t frameBytes = EthernetFraming::FrameBytes(packet->GetSize());
    const double frameEnd
        = m_txCarry + 8.0 * (EthernetFraming::PREAMBLE_SFD + frameBytes) * ticksPerBit;
    const double gapEnd = frameEnd + 8.0 * EthernetFraming::IFG * ticksPerBit;
    const int64_t frameTicks = int64_t(std::floor(frameEnd));
    const int64_t gapTicks = int64_t(std::floor(gapEnd));
    m_txCarry = gapEnd - double(gapTicks);
    m_txEnd = now + TimeStep(gapTicks);

    ++m_txFrames;
    m_txBytes += packet->GetSize();
    m_txWireBytes += EthernetFraming::PREAMBLE_SFD + frameBytes + EthernetFraming::IFG;

    // The device's node's event, even when another node's model hands it the frame.
    Simulator::ScheduleWithContext(m_node ? m_node->GetId() : Simulator::GetContext(),
                                   TimeStep(gapTicks), &EthernetNetDevice::TransmitComplete, this);
    m_channel->TransmitStart(packet, this, TimeStep(frameTicks));
}

void
EthernetNetDevice::TransmitComplete()
{
    NS_LOG_FUNCTION(this);
    m_txBusy = false;
    m_phyTxEndTrace(m_currentPkt);
    m_currentPkt = nullptr;
    Ptr<Packet> frame = m_queue->Dequeue();
    if (!frame)
    {
        return;
    }
    m_snifferTrace(frame);
    m_promiscSnifferTrace(frame);
    TransmitStart(frame);
}

void
EthernetNetDevice::Receive(Ptr<Packet> packet)
{
    NS_LOG_FUNCTION(this << packet);
    if (m_receiveErrorModel && m_receiveErrorModel->IsCorrupt(packet))
    {
        m_phyRxDropTrace(packet);
        CountDrop(packet, DROP_RX_ERROR);
        return;
    }
    ++m_rxFrames;
    m_rxBytes += packet->GetSize();
    m_phyRxEndTrace(packet);
    m_promiscSnifferTrace(packet);

    EthernetFrameHeader header;
    if (!m_frameRxCallback.IsNull())
    {
        // A switch port takes every frame.
        m_snifferTrace(packet);
        packet->RemoveHeader(header);
        m_macPromiscRxTrace(packet);
        m_frameRxCallback(this, packet, header);
        return;
    }

    packet->PeekHeader(header);
    const Mac48Address destination = header.GetDestination();
    NetDevice::PacketType type;
    if (destination == m_address)
    {
        type = NetDevice::PACKET_HOST;
    }
    else if (destination.IsBroadcast())
    {
        type = NetDevice::PACKET_BROADCAST;
    }
    else if (destination.IsGroup())
    {
        type = NetDevice::PACKET_MULTICAST;
    }
    else
    {
        type = NetDevice::PACKET_OTHERHOST;
    }
    const bool vlanMatch = header.GetVlanId() == m_vlan;
    const bool forStack = type != NetDevice::PACKET_OTHERHOST && vlanMatch;
    if (forStack)
    {
        m_snifferTrace(packet);
    }
    packet->RemoveHeader(header);

    if (!m_promiscCallback.IsNull())
    {
        m_macPromiscRxTrace(packet);
        Ptr<Packet> up = packet;
        if (header.IsTagged())
        {
            // The VLAN travels up as a tag, on a copy: the stack's packet must not carry it (a
            // router would otherwise send it on tagged).
            up = packet->Copy();
            up->AddPacketTag(EthernetVlanTag(header.GetVlanId()));
        }
        m_promiscCallback(this, up, header.GetEtherType(), header.GetSource(), destination, type);
    }
    if (forStack)
    {
        m_macRxTrace(packet);
        if (!m_rxCallback.IsNull())
        {
            m_rxCallback(this, packet, header.GetEtherType(), header.GetSource());
        }
    }
    else if (m_promiscCallback.IsNull())
    {
        CountDrop(packet, vlanMatch ? DROP_NOT_FOR_HOST : DROP_VLAN_MISMATCH);
    }
}

void
EthernetNetDevice::SetFrameReceiveCallback(FrameReceiveCallback cb)
{
    m_frameRxCallback = cb;
}

uint64_t
EthernetNetDevice::GetTxFrames() const
{
    return m_txFrames;
}

uint64_t
EthernetNetDevice::GetTxBytes() const
{
    return m_txBytes;
}

uint64_t
EthernetNetDevice::GetTxWireBytes() const
{
    return m_txWireBytes;
}

uint64_t
EthernetNetDevice::GetRxFrames() const
{
    return m_rxFrames;
}

uint64_t
EthernetNetDevice::GetRxBytes() const
{
    return m_rxBytes;
}

uint64_t
EthernetNetDevice::GetDrops(DropReason reason) const
{
    return m_drops[reason];
}

void
EthernetNetDevice::SetIfIndex(const uint32_t index)
{
    m_ifIndex = index;
}

uint32_t
EthernetNetDevice::GetIfIndex() const
{
    return m_ifIndex;
}

Ptr<Channel>
EthernetNetDevice::GetChannel() const
{
    return m_channel;
}

void
EthernetNetDevice::SetAddress(Address address)
{
    m_address = Mac48Address::ConvertFrom(address);
}

Address
EthernetNetDevice::GetAddress() const
{
    return m_address;
}

bool
EthernetNetDevice::SetMtu(const uint16_t mtu)
{
    m_mtu = mtu;
    return true;
}

uint16_t
EthernetNetDevice::GetMtu() const
{
    return m_mtu;
}

bool
EthernetNetDevice::IsLinkUp() const
{
    return m_linkUp;
}

void
EthernetNetDevice::AddLinkChangeCallback(Callback<void> callback)
{
    m_linkChangeCallbacks.ConnectWithoutContext(callback);
}

bool
EthernetNetDevice::IsBroadcast() const
{
    return true;
}

Address
EthernetNetDevice::GetBroadcast() const
{
    return Mac48Address::GetBroadcast();
}

bool
EthernetNetDevice::IsMulticast() const
{
    return true;
}

Address
EthernetNetDevice::GetMulticast(Ipv4Address multicastGroup) const
{
    return Mac48Address::GetMulticast(multicastGroup);
}

Address
EthernetNetDevice::GetMulticast(Ipv6Address addr) const
{
    return Mac48Address::GetMulticast(addr);
}

bool
EthernetNetDevice::IsPointToPoint() const
{
    // The cable is point to point, but the segment beyond it (a switch) is a broadcast domain.
    return false;
}

bool
EthernetNetDevice::IsBridge() const
{
    return false;
}

bool
EthernetNetDevice::Send(Ptr<Packet> packet, const Address& dest, uint16_t protocolNumber)
{
    return SendFrom(packet, m_address, dest, protocolNumber);
}

bool
EthernetNetDevice::SendFrom(Ptr<Packet> packet, const Address& source, const Address& dest,
                            uint16_t protocolNumber)
{
    uint16_t vlan = m_vlan;
    EthernetVlanTag tag;
    if (packet->RemovePacketTag(tag))
    {
        vlan = tag.GetVlanId();
    }
    EthernetFrameHeader header(Mac48Address::ConvertFrom(source), Mac48Address::ConvertFrom(dest),
                               protocolNumber, vlan);
    return SendFrame(packet, header) == TX_OK;
}

Ptr<Node>
EthernetNetDevice::GetNode() const
{
    return m_node;
}

void
EthernetNetDevice::SetNode(Ptr<Node> node)
{
    m_node = node;
}

bool
EthernetNetDevice::NeedsArp() const
{
    return true;
}

void
EthernetNetDevice::SetReceiveCallback(NetDevice::ReceiveCallback cb)
{
    m_rxCallback = cb;
}

void
EthernetNetDevice::SetPromiscReceiveCallback(NetDevice::PromiscReceiveCallback cb)
{
    m_promiscCallback = cb;
}

bool
EthernetNetDevice::SupportsSendFrom() const
{
    return true;
}

} // namespace ns3
