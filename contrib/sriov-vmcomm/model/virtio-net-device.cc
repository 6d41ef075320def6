/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * A paravirtual (virtio-net) guest NIC: an Ethernet ns3::NetDevice whose TX and RX virtqueues are
 * shared with a host backend (vhost-net in the kernel, or a vhost-user switch) (see
 * virtio-net-device.h).
 */
#include "virtio-net-device.h"

#include "guest-os.h"
#include "ns3-compat.h"
#include "ns3/abort.h"
#include "ns3/enum.h"
#include "ns3/ethernet-header.h"
#include "ns3/log.h"
#include "ns3/net-device-queue-interface.h"
#include "ns3/node.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

#include <algorithm>

namespace ns3 {

NS_LOG_COMPONENT_DEFINE("VirtioNetDevice");
NS_OBJECT_ENSURE_REGISTERED(VirtioNetDevice);

// ---- VirtioNetDevice ----

const char*
VirtioNetDevice::GetDropReasonName(DropReason reason)
{
    switch (reason)
    {
        case DROP_TX_QUEUE_FULL:
            return "tx-virtqueue-full";
        case DROP_RX_QUEUE_FULL:
            return "rx-virtqueue-full";
        case DROP_FRAME_TOO_LARGE:
            return "frame-too-large";
        case DROP_NO_BACKEND:
            return "no-backend";
        default:
            return "unknown";
    }
}

TypeId
VirtioNetDevice::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::VirtioNetDevice")
              .SetParent<GuestNetDevice>()
              .SetGroupName("SriovVmcomm")
              .AddConstructor<VirtioNetDevice>()
              .AddAttribute(
                  "Mtu", "MAC-level MTU, bytes (Ethernet default)", UintegerValue(1500),
                  MakeUintegerAccessor(&VirtioNetDevice::SetMtu, &VirtioNetDevice::GetMtu),
                  MakeUintegerChecker<uint16_t>(68, 65521))
              .AddAttribute("TxQueueSize",
                            "TX virtqueue descriptors (QEMU virtio-net tx_queue_size default 256); "
                            "set before the device is attached",
                            UintegerValue(256),
                            MakeUintegerAccessor(&VirtioNetDevice::m_txQueueSize),
                            MakeUintegerChecker<uint32_t>(1, 32768))
              .AddAttribute("RxQueueSize",
                            "RX virtqueue descriptors, one posted buffer each (QEMU virtio-net "
                            "rx_queue_size default 256); set before the device is attached",
                            UintegerValue(256),
                            MakeUintegerAccessor(&VirtioNetDevice::m_rxQueueSize),
                            MakeUintegerChecker<uint32_t>(1, 32768))
              .AddAttribute("GuestTxCost",
                            "Kernel driver (virtio-net) time per sent frame before it is "
                            "published (descriptor chain, header; no copy); the stack's time is "
                            "the VM's GuestOs's, and a DPDK guest pays its PmdTxCost instead. "
                            "Estimate: 200 ns, as VfNetDevice's.",
                            TimeValue(NanoSeconds(200)),
                            MakeTimeAccessor(&VirtioNetDevice::m_guestTxCost),
                            MakeTimeChecker(Time(0)))
              .AddAttribute("GuestRxCost",
                            "Kernel driver (virtio-net) time per received frame before the stack "
                            "has it (used ring read, skb build, buffer refill); the stack's time "
                            "is the VM's GuestOs's, and a DPDK guest pays its PmdRxCost instead. "
                            "Estimate: 200 ns, as VfNetDevice's.",
                            TimeValue(NanoSeconds(200)),
                            MakeTimeAccessor(&VirtioNetDevice::m_guestRxCost),
                            MakeTimeChecker(Time(0)))
              .AddAttribute("NapiBudget",
                            "Frames the guest driver takes per poll round (Linux NAPI default 64)",
                            UintegerValue(64), MakeUintegerAccessor(&VirtioNetDevice::m_napiBudget),
                            MakeUintegerChecker<uint32_t>(1))
              .AddTraceSource("MacTx", "A frame handed to the device by the stack",
                              MakeTraceSourceAccessor(&VirtioNetDevice::m_macTxTrace),
                              "ns3::Packet::TracedCallback")
              .AddTraceSource("MacTxDrop",
                              "A frame dropped at send (TX virtqueue full, too large, no backend)",
                              MakeTraceSourceAccessor(&VirtioNetDevice::m_macTxDropTrace),
                              "ns3::Packet::TracedCallback")
              .AddTraceSource("MacRx", "A frame handed to the stack",
                              MakeTraceSourceAccessor(&VirtioNetDevice::m_macRxTrace),
                              "ns3::Packet::TracedCallback")
              .AddTraceSource("Sniffer", "Ethernet frames sent and received (for PCAP, DLT_EN10MB)",
                              MakeTraceSourceAccessor(&VirtioNetDevice::m_snifferTrace),
                              "ns3::Packet::TracedCallback")
              .AddTraceSource("PromiscSniffer",
                              "Ethernet frames sent and received, promiscuous (for PCAP)",
                              MakeTraceSourceAccessor(&VirtioNetDevice::m_promiscSnifferTrace),
                              "ns3::Packet::TracedCallback")
              .AddTraceSource("Drop",
                              "A frame dropped by the device: its payload and the reason name",
                              MakeTraceSourceAccessor(&VirtioNetDevice::m_dropTrace),
                              "ns3::VirtioNetDevice::DropTracedCallback")
              .AddTraceSource("Kick", "The guest kicked the backend: the instant the host sees it",
                              MakeTraceSourceAccessor(&VirtioNetDevice::m_kickTrace),
                              "ns3::Time::TracedCallback")
              .AddTraceSource("RxLatency",
                              "A frame reached the stack: the packet and its latency breakdown",
                              MakeTraceSourceAccessor(&VirtioNetDevice::m_rxLatencyTrace),
                              "ns3::VirtioNetDevice::RxLatencyTracedCallback");
    return tid;
}

VirtioNetDevice::VirtioNetDevice()
    : m_port(0)
    , m_txQueueSize(256)
    , m_rxQueueSize(256)
    , m_napiBudget(64)
    , m_pollWakes(false)
    , m_rxActive(false)
    , m_rxUnsignalled(0)
    , m_txStopped(false)
    , m_drops{}
{
    NS_LOG_FUNCTION(this);
}

VirtioNetDevice::~VirtioNetDevice() = default;

void
VirtioNetDevice::NotifyConstructionCompleted()
{
    NS_LOG_FUNCTION(this);
    // The rings are sized once the attributes are known.
    m_tx.Resize(m_txQueueSize);
    m_rx.Resize(m_rxQueueSize);
    GuestNetDevice::NotifyConstructionCompleted();
}

void
VirtioNetDevice::NotifyNewAggregate()
{
    NS_LOG_FUNCTION(this);
    if (!m_queueInterface)
    {
        m_queueInterface = GetObject<NetDeviceQueueInterface>();
    }
    GuestNetDevice::NotifyNewAggregate();
}

void
VirtioNetDevice::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_rxEvent.Cancel();
    m_txWakeEvent.Cancel();
    m_backend = nullptr;
    m_queueInterface = nullptr;
    m_guest = nullptr;
    m_tx.Clear();
    m_rx.Clear();
    GuestNetDevice::DoDispose();
}

void
VirtioNetDevice::AttachBackend(Ptr<VirtioBackend> backend, uint32_t port)
{
    NS_LOG_FUNCTION(this << backend << port);
    m_backend = backend;
    m_port = port;
    // Attributes may have changed since construction; the rings are empty here.
    if (m_tx.GetSize() == 0 && m_tx.GetCapacity() != m_txQueueSize)
    {
        m_tx.Resize(m_txQueueSize);
    }
    if (m_rx.GetSize() == 0 && m_rx.GetCapacity() != m_rxQueueSize)
    {
        m_rx.Resize(m_rxQueueSize);
    }
}

Ptr<VirtioBackend>
VirtioNetDevice::GetBackend() const
{
    return m_backend;
}

uint32_t
VirtioNetDevice::GetBackendPort() const
{
    return m_port;
}

Virtqueue&
VirtioNetDevice::GetTxQueue()
{
    return m_tx;
}

const Virtqueue&
VirtioNetDevice::GetRxQueue() const
{
    return m_rx;
}

const VirtioNetDevice::Counters&
VirtioNetDevice::GetCounters() const
{
    return m_counters;
}

uint64_t
VirtioNetDevice::GetDrops(DropReason reason) const
{
    return m_drops[reason];
}

uint64_t
VirtioNetDevice::GetTotalDrops() const
{
    uint64_t n = 0;
    for (uint64_t d : m_drops)
    {
        n += d;
    }
    return n;
}

const LatencyBreakdown&
VirtioNetDevice::GetLatencySum() const
{
    return m_latencySum;
}

GuestOs*
VirtioNetDevice::GetGuest()
{
    if (!m_guest)
    {
        NS_ABORT_MSG_IF(!m_node, "VirtioNetDevice: used before it was added to a node");
        m_guest = m_node->GetObject<GuestOs>();
        if (!m_guest)
        {
            // A VM built without a helper: it runs the default guest.
            m_guest = CreateObject<GuestOs>();
            m_node->AggregateObject(m_guest);
        }
    }
    return PeekPointer(m_guest);
}

bool
VirtioNetDevice::IsPolling()
{
    return GetGuest()->IsPolling();
}

void
VirtioNetDevice::CountDrop(Ptr<const Packet> packet, DropReason reason)
{
    NS_LOG_FUNCTION(this << packet << GetDropReasonName(reason));
    ++m_drops[reason];
    m_dropTrace(packet, GetDropReasonName(reason));
}

Ptr<Packet>
VirtioNetDevice::MakeEthernetFrame(const VswitchFrame& f) const
{
    Ptr<Packet> p = f.packet->Copy();
    EthernetHeader eth(false);
    eth.SetSource(f.src);
    eth.SetDestination(f.dst);
    eth.SetLengthType(f.protocol);
    p->AddHeader(eth);
    return p;
}

// ---- Guest TX ----

bool
VirtioNetDevice::Send(Ptr<Packet> packet, const Address& dest, uint16_t protocolNumber)
{
    NS_LOG_FUNCTION(this << packet << dest << protocolNumber);
    return SendFrom(packet, m_address, dest, protocolNumber);
}

bool
VirtioNetDevice::SendFrom(Ptr<Packet> packet, const Address& source, const Address& dest,
                          uint16_t protocolNumber)
{
    NS_LOG_FUNCTION(this << packet << source << dest << protocolNumber);
    DropReason reason = DROP_REASONS;
    if (packet->GetSize() > m_mtu)
    {
        reason = DROP_FRAME_TOO_LARGE;
    }
    else if (!m_backend)
    {
        reason = DROP_NO_BACKEND;
    }
    else if (m_tx.IsFull())
    {
        reason = DROP_TX_QUEUE_FULL;
    }
    if (reason != DROP_REASONS)
    {
        m_macTxDropTrace(packet);
        CountDrop(packet, reason);
        return false;
    }
    m_macTxTrace(packet);

    // The vCPU serializes the stack's and the driver's work: a frame sent while the vCPU is busy
    // (the previous frame, its kick, a receive) waits for it.
    GuestOs* guest = GetGuest();
    Time now = Simulator::Now();
    Time published = guest->Send(m_guestTxCost);
    bool kick = m_backend->NeedsKick(m_port);
    Time ready = kick ? guest->Kick(published) : published;

    VswitchFrame& f = m_tx.Push();
    f.packet = packet;
    f.src = Mac48Address::ConvertFrom(source);
    f.dst = Mac48Address::ConvertFrom(dest);
    f.protocol = protocolNumber;
    f.length = packet->GetSize() + 14;
    f.inPort = m_port;
    f.sent = now;
    f.guestTx = published - now;
    f.kick = ready - published;
    f.ready = ready;
    f.host = Time(0);
    f.notify = Time(0);
    f.written = guest->WritesFrames();
    ++m_counters.txFrames;
    if (!m_snifferTrace.IsEmpty() || !m_promiscSnifferTrace.IsEmpty())
    {
        Ptr<Packet> frame = MakeEthernetFrame(f);
        m_snifferTrace(frame);
        m_promiscSnifferTrace(frame);
    }
    if (m_tx.IsFull() && m_queueInterface)
    {
        // As virtio-net's start_xmit: stop the queue rather than have the next frame dropped.
        m_queueInterface->GetTxQueue(0)->Stop();
        m_txStopped = true;
        ++m_counters.queueStops;
    }
    if (kick)
    {
        ++m_counters.kicks;
        m_kickTrace(ready);
    }
    m_backend->TxPublished(m_port, ready, kick);
    return true;
}

void
VirtioNetDevice::TxReleased()
{
    NS_LOG_FUNCTION(this);
    if (!m_txStopped || compat::IsPending(m_txWakeEvent))
    {
        return;
    }
    if (DeferToOwnContext(&VirtioNetDevice::TxReleased))
    {
        return; // the host's switch released the descriptors; the guest wakes in its context
    }
    // A stopped queue asked for a TX interrupt (virtqueue_enable_cb_delayed); a polling driver
    // sees the used descriptors on its next loop. Either way the wake is an event of its own, so
    // the stack never runs inside the backend's batch.
    Time delay = Time(0);
    GuestOs* guest = GetGuest();
    if (!guest->IsPolling())
    {
        delay = guest->GetInterruptLatency(GuestOs::INJECTED);
        ++m_counters.interrupts;
    }
    m_txWakeEvent = Simulator::Schedule(delay, &VirtioNetDevice::WakeTxQueue, this);
}

void
VirtioNetDevice::WakeTxQueue()
{
    NS_LOG_FUNCTION(this);
    if (m_tx.IsFull())
    {
        return; // cannot happen after a release, but a wake must never overfill the ring
    }
    m_txStopped = false;
    if (m_queueInterface)
    {
        m_queueInterface->GetTxQueue(0)->Wake();
    }
}

// ---- Guest RX ----

bool
VirtioNetDevice::DeliverFromHost(const VswitchFrame& frame)
{
    NS_LOG_FUNCTION(this << frame.packet << frame.src << frame.dst);
    if (m_rx.IsFull())
    {
        CountDrop(frame.packet, DROP_RX_QUEUE_FULL);
        return false;
    }
    VswitchFrame& f = m_rx.Push();
    f = frame;
    f.ready = Simulator::Now();
    ++m_rxUnsignalled;
    return true;
}

void
VirtioNetDevice::NotifyGuest()
{
    NS_LOG_FUNCTION(this);
    if (DeferToOwnContext(&VirtioNetDevice::NotifyGuest))
    {
        return; // the host's switch calls; the guest's side runs in the VM's context
    }
    uint32_t fresh = m_rxUnsignalled;
    m_rxUnsignalled = 0;
    if (m_rxActive || fresh == 0)
    {
        return; // the guest is polling (or an interrupt is on its way): it will see them
    }
    GuestOs* guest = GetGuest();
    if (guest->IsPolling())
    {
        GuestPoll();
        return;
    }
    // Interrupt (irqfd): the frames of this batch wait for the vCPU's wake-up and the injection;
    // NAPI keeps further interrupts off until its poll finds the ring empty.
    const Time now = Simulator::Now();
    const Time notify = guest->Interrupt(now, GuestOs::INJECTED, Time(0)) - now;
    for (uint32_t i = m_rx.GetSize() - fresh; i < m_rx.GetSize(); ++i)
    {
        m_rx.At(i).notify = notify;
    }
    ++m_counters.interrupts;
    m_rxActive = true;
    m_pollWakes = true;
    m_rxEvent = Simulator::Schedule(notify, &VirtioNetDevice::GuestPoll, this);
}

void
VirtioNetDevice::GuestPoll()
{
    NS_LOG_FUNCTION(this);
    Time now = Simulator::Now();
    uint32_t n = 0;
    while (n < m_napiBudget && m_rx.GetPending() > 0 && m_rx.FirstPending().ready <= now)
    {
        m_rx.Take();
        ++n;
    }
    if (n == 0)
    {
        // Ring empty: re-enable interrupts (Interrupt) or go back to spinning (Poll). Every
        // frame in the ring is ready at once (the backend writes at its own instant), so no
        // frame can slip between this check and the re-enable.
        m_rxActive = false;
        m_pollWakes = false;
        return;
    }
    ++m_counters.polls;
    m_rxActive = true;
    // The driver and the stack work through the batch on the vCPU, and the batch that follows
    // an interrupt wakes the receiving thread; the stack gets it at the end (GRO flushes at the
    // end of a NAPI poll too). One event per batch.
    GuestOs* guest = GetGuest();
    const bool wakes = m_pollWakes;
    m_pollWakes = false;
    guest->CountReceived(n, wakes);
    const Time work
        = guest->GetRxCost(m_guestRxCost) * n + (wakes ? guest->GetSocketWakeupCost() : Time(0));
    m_rxEvent
        = Simulator::Schedule(guest->Run(now, work) - now, &VirtioNetDevice::GuestDeliver, this);
}

void
VirtioNetDevice::GuestDeliver()
{
    NS_LOG_FUNCTION(this);
    CheckContext();
    uint32_t n = m_rx.GetTaken();
    for (uint32_t i = 0; i < n; ++i)
    {
        GuestReceive(m_rx.At(i));
    }
    m_rx.Release(n);
    GuestPoll();
}

void
VirtioNetDevice::GuestReceive(VswitchFrame& f)
{
    NS_LOG_FUNCTION(this << f.packet);
    Time now = Simulator::Now();
    Ptr<Packet> packet = f.packet->Copy();
    if (!m_snifferTrace.IsEmpty() || !m_promiscSnifferTrace.IsEmpty())
    {
        Ptr<Packet> frame = MakeEthernetFrame(f);
        m_snifferTrace(frame);
        m_promiscSnifferTrace(frame);
    }
    PacketType type = f.dst == m_address  ? PACKET_HOST
                    : f.dst.IsBroadcast() ? PACKET_BROADCAST
                    : f.dst.IsGroup()     ? PACKET_MULTICAST
                                          : PACKET_OTHERHOST;
    ++m_counters.rxFrames;
    LatencyBreakdown lat;
    lat.total = now - f.sent;
    lat.interrupt = f.kick + f.notify;
    lat.nic = f.host;
    lat.guest = lat.total - lat.interrupt - lat.nic;
    m_latencySum.total += lat.total;
    m_latencySum.guest += lat.guest;
    m_latencySum.interrupt += lat.interrupt;
    m_latencySum.nic += lat.nic;
    m_macRxTrace(packet);
    m_rxLatencyTrace(packet, lat);
    Mac48Address src = f.src;
    Mac48Address dst = f.dst;
    uint16_t protocol = f.protocol;
    if (!m_promiscCallback.IsNull())
    {
        m_promiscCallback(this, packet, protocol, src, dst, type);
    }
    if (type != PACKET_OTHERHOST && !m_rxCallback.IsNull())
    {
        m_rxCallback(this, packet, protocol, src);
    }
}

// ---- NetDevice ----

Ptr<Channel>
VirtioNetDevice::GetChannel() const
{
    return m_backend ? m_backend->GetChannel() : nullptr;
}

} // namespace ns3
