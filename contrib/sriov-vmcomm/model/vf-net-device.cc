/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The guest side of an SR-IOV virtual function (see vf-net-device.h): TX fill and doorbell,
 * interrupt handling, NAPI poll and packet building; the trace sources of the eleven steps.
 */
#include "vf-net-device.h"

#include "device-list-channel.h"
#include "guest-os.h"
#include "host.h"
#include "memory-domain.h"
#include "ns3-compat.h"
#include "ns3/abort.h"
#include "ns3/enum.h"
#include "ns3/ethernet-header.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/pointer.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"
#include "sriov-nic.h"
#include "virtual-function.h"

#include <algorithm>
#include <cstring>

namespace ns3 {

NS_LOG_COMPONENT_DEFINE("VfNetDevice");
NS_OBJECT_ENSURE_REGISTERED(VfNetDevice);

TracedCallback<const VfDmaStep&>&
VfNetDevice::GetStepTrace(uint8_t step)
{
    return m_function->GetStepTrace(step);
}

TypeId
VfNetDevice::GetTypeId()
{
    static TypeId tid = []
    {
        TypeId t
            = TypeId("ns3::VfNetDevice")
                  .SetParent<GuestNetDevice>()
                  .SetGroupName("SriovVmcomm")
                  .AddConstructor<VfNetDevice>()
                  .AddAttribute("Mtu", "MAC-level MTU, bytes (Ethernet default)",
                                UintegerValue(1500),
                                MakeUintegerAccessor(&VfNetDevice::SetMtu, &VfNetDevice::GetMtu),
                                MakeUintegerChecker<uint16_t>(68, 9000))
                  .AddAttribute(
                      "TxRingSize",
                      "TX descriptors in the guest's ring (Linux mlx5 and ixgbe default 1024 "
                      "and 512; we take mlx5's)",
                      UintegerValue(1024), MakeUintegerAccessor(&VfNetDevice::m_txRingSize),
                      MakeUintegerChecker<uint32_t>(1, 65536))
                  .AddAttribute(
                      "RxRingSize", "RX descriptors in the guest's ring (Linux mlx5 default 1024)",
                      UintegerValue(1024), MakeUintegerAccessor(&VfNetDevice::m_rxRingSize),
                      MakeUintegerChecker<uint32_t>(1, 65536))
                  .AddAttribute("RxBufferBytes",
                                "Size of each RX (and TX) buffer, bytes: Linux drivers use 2 KiB "
                                "buffers for a 1500-byte MTU",
                                UintegerValue(2048),
                                MakeUintegerAccessor(&VfNetDevice::m_rxBufferBytes),
                                MakeUintegerChecker<uint32_t>(64, 65536))
                  .AddAttribute("CoalesceUsecs",
                                "MSI-X coalescing: raise the interrupt at most this long after the "
                                "first unsignalled completion (Linux mlx5 driver default 16 us)",
                                TimeValue(MicroSeconds(16)),
                                MakeTimeAccessor(&VfNetDevice::SetCoalesceUsecs,
                                                 &VfNetDevice::GetCoalesceUsecs),
                                MakeTimeChecker(Time(0)))
                  .AddAttribute(
                      "CoalesceFrames",
                      "MSI-X coalescing: raise the interrupt once this many completions are "
                      "pending (Linux mlx5 driver default 32); 1 = no coalescing",
                      UintegerValue(32),
                      MakeUintegerAccessor(&VfNetDevice::SetCoalesceFrames,
                                           &VfNetDevice::GetCoalesceFrames),
                      MakeUintegerChecker<uint32_t>(1))
                  .AddAttribute("GuestTxCost",
                                "Kernel driver time per sent frame before the doorbell "
                                "(descriptor write, copy into the TX buffer); the stack's time "
                                "is the VM's GuestOs's, and a DPDK guest pays its PmdTxCost "
                                "instead. Estimate: 200 ns.",
                                TimeValue(NanoSeconds(200)),
                                MakeTimeAccessor(&VfNetDevice::m_guestTxCost),
                                MakeTimeChecker(Time(0)))
                  .AddAttribute("GuestRxCost",
                                "Kernel driver time per received frame before the stack has it "
                                "(descriptor read, packet allocation); the stack's time is the "
                                "VM's GuestOs's, and a DPDK guest pays its PmdRxCost instead. "
                                "Estimate: 200 ns.",
                                TimeValue(NanoSeconds(200)),
                                MakeTimeAccessor(&VfNetDevice::m_guestRxCost),
                                MakeTimeChecker(Time(0)))
                  .AddAttribute("NapiBudget",
                                "Frames the guest driver takes per poll (Linux NAPI default 64)",
                                UintegerValue(64), MakeUintegerAccessor(&VfNetDevice::m_napiBudget),
                                MakeUintegerChecker<uint32_t>(1))
                  .AddAttribute("Nic",
                                "The SR-IOV NIC this VF belongs to (set by SriovNic::AddVf): "
                                "its DMA engine, PCIe link, IOMMU and drop traces are reachable "
                                "through it in the Config namespace",
                                TypeId::ATTR_GET, PointerValue(),
                                MakePointerAccessor(&VfNetDevice::GetNic),
                                MakePointerChecker<SriovNic>())
                  .AddAttribute("VirtualFunction",
                                "The VF's hardware: TX fetch, RX descriptor cache, completion, "
                                "MSI-X coalescing",
                                TypeId::ATTR_GET, PointerValue(),
                                MakePointerAccessor(&VfNetDevice::GetFunction),
                                MakePointerChecker<VirtualFunction>())
                  .AddTraceSource("MacTx", "A frame handed to the device by the stack",
                                  MakeTraceSourceAccessor(&VfNetDevice::m_macTxTrace),
                                  "ns3::Packet::TracedCallback")
                  .AddTraceSource("MacTxDrop", "A frame dropped at send (TX ring full)",
                                  MakeTraceSourceAccessor(&VfNetDevice::m_macTxDropTrace),
                                  "ns3::Packet::TracedCallback")
                  .AddTraceSource("MacRx", "A frame handed to the stack",
                                  MakeTraceSourceAccessor(&VfNetDevice::m_macRxTrace),
                                  "ns3::Packet::TracedCallback")
                  .AddTraceSource("Sniffer", "Ethernet frames sent and received (for PCAP)",
                                  MakeTraceSourceAccessor(&VfNetDevice::m_snifferTrace),
                                  "ns3::Packet::TracedCallback")
                  .AddTraceSource("PromiscSniffer",
                                  "Ethernet frames sent and received, promiscuous (for PCAP)",
                                  MakeTraceSourceAccessor(&VfNetDevice::m_promiscSnifferTrace),
                                  "ns3::Packet::TracedCallback")
                  .AddTraceSource("RxLatency",
                                  "A frame reached the stack: the packet and its latency breakdown",
                                  MakeTraceSourceAccessor(&VfNetDevice::m_rxLatencyTrace),
                                  "ns3::VfNetDevice::RxLatencyTracedCallback");
        for (uint8_t i = STEP_ASSIGN_ADDRESS; i < STEP_END; ++i)
        {
            t.AddTraceSource(GetVfDmaStepName(i), GetVfDmaStepHelp(i),
                             Create<VfDmaStepTraceAccessor<VfNetDevice>>(i),
                             "ns3::VfNetDevice::StepTracedCallback");
        }
        return t;
    }();
    return tid;
}

VfNetDevice::VfNetDevice()
    : m_function(CreateObject<VirtualFunction>())
    , m_index(0)
    , m_coalesceFrames(1)
    , m_txTail(0)
    , m_txHead(0)
    , m_txInUse(0)
    , m_rxNextClean(0)
    , m_pollWakes(false)
    , m_guestResolved(false)
    , m_hostPolled(false)
{
    NS_LOG_FUNCTION(this);
}

VfNetDevice::~VfNetDevice() = default;

void
VfNetDevice::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_pollEvent.Cancel();
    if (m_function)
    {
        m_function->Dispose();
    }
    m_nic = nullptr;
    m_memory = nullptr;
    m_guest = nullptr;
    m_txRing.Clear();
    m_rxRing.Clear();
    GuestNetDevice::DoDispose();
}

void
VfNetDevice::DoInitialize()
{
    NS_LOG_FUNCTION(this);
    // The VF comes up: its PF configures it (steps 1 and 2), observable by any sink connected
    // since installation.
    if (m_nic)
    {
        m_nic->ConfigureVf(m_index);
    }
    GuestNetDevice::DoInitialize();
}

void
VfNetDevice::Attach(Ptr<SriovNic> nic, uint32_t index, Ptr<MemoryDomain> memory)
{
    NS_LOG_FUNCTION(this << nic << index << memory);
    NS_ABORT_MSG_IF(m_rxBufferBytes < uint32_t(m_mtu) + 18,
                    "VfNetDevice: RxBufferBytes " << m_rxBufferBytes << " cannot hold an MTU "
                                                  << m_mtu << " frame");
    m_nic = nic;
    m_index = index;
    m_memory = memory;
    // Rings and buffers live in guest memory, page aligned as drivers allocate them.
    m_txRing.Allocate(memory, m_txRingSize, m_rxBufferBytes, false);
    m_rxRing.Allocate(memory, m_rxRingSize, m_rxBufferBytes, true);
    m_scratch.resize(m_rxBufferBytes);
    m_function->Attach(this, nic, index, memory, &m_txRing, &m_rxRing);
    // The guest driver posts every RX buffer and rings the RX doorbell.
    for (uint32_t slot = 0; slot < m_rxRingSize; ++slot)
    {
        m_rxRing.WriteDescriptor(slot, m_rxRing.GetBufferAddress(slot), 0, 0);
    }
    m_function->RxDoorbell(0, m_rxRingSize);
    m_guestResolved = false;
    GetGuest();
}

GuestOs*
VfNetDevice::GetGuest()
{
    if (!m_guestResolved && m_node)
    {
        m_guestResolved = true;
        m_guest = m_node->GetObject<GuestOs>();
        if (!m_guest && !m_node->GetObject<Host>())
        {
            // A VM built without a helper: it runs the default guest.
            m_guest = CreateObject<GuestOs>();
            m_node->AggregateObject(m_guest);
        }
        // A DPDK guest (or the host's PMD) masks the queue's interrupt and polls the ring.
        m_function->GetMsix().SetPolled(m_hostPolled || (m_guest && m_guest->IsPolling()));
    }
    return PeekPointer(m_guest);
}

void
VfNetDevice::SetHostPolled(bool polled)
{
    NS_LOG_FUNCTION(this << polled);
    m_hostPolled = polled;
    m_guestResolved = false; // the queue's interrupt is decided again at the next use
}

Time
VfNetDevice::RxCost()
{
    GuestOs* guest = GetGuest();
    return guest ? guest->GetRxCost(m_guestRxCost) : m_guestRxCost;
}

uint32_t
VfNetDevice::GetVfIndex() const
{
    return m_index;
}

Ptr<SriovNic>
VfNetDevice::GetNic() const
{
    return m_nic;
}

Ptr<VirtualFunction>
VfNetDevice::GetFunction() const
{
    return m_function;
}

Ptr<MemoryDomain>
VfNetDevice::GetMemory() const
{
    return m_memory;
}

uint32_t
VfNetDevice::GetRxBufferBytes() const
{
    return m_rxBufferBytes;
}

const VfNetDevice::Counters&
VfNetDevice::GetCounters() const
{
    return m_counters;
}

uint32_t
VfNetDevice::GetRxRingBacklog() const
{
    // Completed slots still waiting for a poll; an error completion (meta cleared) carries no
    // frame: the NIC counted it as dropped.
    uint32_t n = 0;
    for (uint32_t slot = 0; slot < m_rxRing.GetSize(); ++slot)
    {
        n += m_rxRing.GetDoneAt(slot) != DescriptorRing::NEVER && m_rxRing.GetCompletion(slot).meta;
    }
    return n;
}

const LatencyBreakdown&
VfNetDevice::GetLatencySum() const
{
    return m_latencySum;
}

void
VfNetDevice::SetCoalesceUsecs(Time usecs)
{
    m_coalesceUsecs = usecs;
    m_function->GetMsix().SetUsecs(usecs);
}

Time
VfNetDevice::GetCoalesceUsecs() const
{
    return m_coalesceUsecs;
}

void
VfNetDevice::SetCoalesceFrames(uint32_t frames)
{
    m_coalesceFrames = frames;
    m_function->GetMsix().SetFrames(frames);
}

uint32_t
VfNetDevice::GetCoalesceFrames() const
{
    return m_coalesceFrames;
}

// ---- Guest TX ----

bool
VfNetDevice::Send(Ptr<Packet> packet, const Address& dest, uint16_t protocolNumber)
{
    NS_LOG_FUNCTION(this << packet << dest << protocolNumber);
    return DoSend(packet, m_address, Mac48Address::ConvertFrom(dest), protocolNumber);
}

bool
VfNetDevice::SendFrom(Ptr<Packet> packet, const Address& source, const Address& dest,
                      uint16_t protocolNumber)
{
    NS_LOG_FUNCTION(this << packet << source << dest << protocolNumber);
    return DoSend(packet, Mac48Address::ConvertFrom(source), Mac48Address::ConvertFrom(dest),
                  protocolNumber);
}

bool
VfNetDevice::DoSend(Ptr<Packet> packet, Mac48Address source, Mac48Address dest,
                    uint16_t protocolNumber)
{
    NS_LOG_FUNCTION(this << packet << source << dest << protocolNumber);
    ReclaimTxSlots();
    uint32_t len = packet->GetSize() + 14;
    if (m_txInUse == m_txRingSize || len > m_rxBufferBytes)
    {
        m_macTxDropTrace(packet);
        m_nic->CountDrop(m_index,
                         m_txInUse == m_txRingSize ? SriovNic::DROP_TX_RING_FULL
                                                   : SriovNic::DROP_FRAME_TOO_LARGE,
                         packet);
        return false;
    }
    if (!m_macTxTrace.IsEmpty())
    {
        m_macTxTrace(packet);
    }
    // The guest driver builds the frame in its TX buffer and posts the descriptor: in place when
    // the buffer lies in one backing chunk of guest memory, else through the scratch buffer.
    uint32_t slot = m_txTail;
    uint64_t buffer = m_txRing.GetBufferAddress(slot);
    uint8_t* direct = m_memory->GetWritableSpan(buffer, len);
    uint8_t* f = direct ? direct : m_scratch.data();
    dest.CopyTo(f);
    source.CopyTo(f + 6);
    f[12] = protocolNumber >> 8;
    f[13] = protocolNumber & 0xff;
    packet->CopyData(f + 14, len - 14);
    if (!direct)
    {
        m_memory->Write(buffer, f, len);
    }
    m_txRing.WriteDescriptor(slot, buffer, len, 0);
    m_txRing.SetDoneAt(slot, DescriptorRing::NEVER);
    m_txTail = (slot + 1) % m_txRingSize;
    ++m_txInUse;
    ++m_counters.txFrames;
    if (!m_snifferTrace.IsEmpty() || !m_promiscSnifferTrace.IsEmpty())
    {
        Ptr<Packet> frame = Create<Packet>(f, len);
        m_snifferTrace(frame);
        m_promiscSnifferTrace(frame);
    }

    // The doorbell, once the stack's and the driver's work is done on the vCPU: the VF fetches
    // the frame (step 3).
    GuestOs* guest = GetGuest();
    m_function->TxDoorbell(slot, packet,
                           guest ? guest->Send(m_guestTxCost) : Simulator::Now() + m_guestTxCost);
    return true;
}

void
VfNetDevice::ReclaimTxSlots()
{
    Time now = Simulator::Now();
    while (m_txInUse > 0 && m_txRing.GetDoneAt(m_txHead) <= now.GetTimeStep())
    {
        m_txRing.SetDoneAt(m_txHead, DescriptorRing::NEVER);
        m_memory->Discard(m_txRing.GetBufferAddress(m_txHead), m_rxBufferBytes);
        m_txHead = (m_txHead + 1) % m_txRingSize;
        --m_txInUse;
    }
}

void
VfNetDevice::Interrupt(Time at)
{
    NS_LOG_FUNCTION(this << at);
    GuestOs* guest = GetGuest();
    // A poll mode driver sees the write-back: the guest's PMD, or the host's on a PF.
    const bool polled = m_hostPolled || (guest && guest->IsPolling());
    if (!polled)
    {
        ++m_counters.interrupts;
    }
    // The first packet's receive and the reader's wake-up run before the poll hands the batch up.
    const Time work = RxCost() + (guest ? guest->GetSocketWakeupCost() : Time(0));
    if (!compat::IsPending(m_pollEvent))
    {
        // The vCPU wakes if halted, takes the interrupt (a PMD just sees the write-back), runs.
        const Time handler = !guest ? at + work
                           : polled ? guest->Run(at, work)
                                    : guest->Interrupt(at, guest->GetVfInterruptDelivery(), work);
        m_pollWakes = true;
        m_pollEvent
            = Simulator::Schedule(handler - Simulator::Now(), &VfNetDevice::GuestPoll, this);
    }
    else
    {
        // A poll is already scheduled (interrupts masked): this interrupt stays pending and is
        // delivered when the poll is done, as an MSI-X pending bit is on unmask (a PMD's loop
        // comes back for a write-back its scheduled poll is too early to see).
        const Time latency = guest && !polled
                               ? guest->GetInterruptLatency(guest->GetVfInterruptDelivery())
                               : Time(0);
        m_deferredPoll = std::max(m_deferredPoll, at + latency + work);
    }
}

void
VfNetDevice::GuestPoll()
{
    NS_LOG_FUNCTION(this);
    CheckContext();
    ++m_counters.polls;
    Time now = Simulator::Now();
    uint32_t first = m_rxNextClean;
    uint32_t n = 0;
    const bool wakes = m_pollWakes;
    m_pollWakes = false;
    while (n < m_napiBudget && m_rxRing.GetDoneAt(m_rxNextClean) <= now.GetTimeStep())
    {
        GuestReceive(m_rxNextClean, wakes && n == 0);
        m_rxNextClean = (m_rxNextClean + 1) % m_rxRingSize;
        ++n;
    }
    GuestOs* guest = GetGuest();
    if (n > 0)
    {
        // Refilled buffers: one RX doorbell for the batch.
        m_function->RxDoorbell(first, n);
        if (guest)
        {
            guest->CountReceived(n, wakes);
        }
    }
    if (m_rxRing.GetDoneAt(m_rxNextClean) <= now.GetTimeStep())
    {
        // Budget spent with work left: poll again once this batch's CPU time has passed.
        const Time cost = RxCost() * n;
        const Time next = guest ? guest->Run(now, cost) : now + cost;
        m_pollEvent = Simulator::Schedule(next - now, &VfNetDevice::GuestPoll, this);
    }
    else if (m_deferredPoll > Simulator::Now())
    {
        m_pollWakes = true;
        m_pollEvent
            = Simulator::Schedule(m_deferredPoll - Simulator::Now(), &VfNetDevice::GuestPoll, this);
        m_deferredPoll = Time(0);
    }
    else
    {
        m_deferredPoll = Time(0); // this poll saw what it signalled
    }
}

void
VfNetDevice::GuestReceive(uint32_t slot, bool wakeup)
{
    NS_LOG_FUNCTION(this << slot << wakeup);
    const uint64_t descAddr = m_rxRing.GetDescriptorAddress(slot);
    uint8_t descCopy[DescriptorRing::DESC_BYTES];
    const uint8_t* d = m_memory->GetSpan(descAddr, DescriptorRing::DESC_BYTES);
    if (d == nullptr)
    {
        m_memory->Read(descAddr, descCopy, DescriptorRing::DESC_BYTES);
        d = descCopy;
    }
    DescriptorRing::Completion& info = m_rxRing.GetCompletion(slot);
    const int64_t doneAt = m_rxRing.GetDoneAt(slot);
    uint64_t buffer = m_rxRing.GetBufferAddress(slot);
    if (!(d[10] & DescriptorRing::DESC_ERROR))
    {
        uint32_t len = DescriptorRing::GetLength(d);
        const uint8_t* bytes = m_memory->GetSpan(DescriptorRing::GetAddress(d), len);
        if (bytes == nullptr)
        {
            m_memory->Read(DescriptorRing::GetAddress(d), m_scratch.data(), len);
            bytes = m_scratch.data();
        }
        Mac48Address to;
        Mac48Address from;
        uint16_t lengthType;
        Ptr<Packet> frame;
        if (m_snifferTrace.IsEmpty() && m_promiscSnifferTrace.IsEmpty())
        {
            // The stack gets the frame without its Ethernet header: build it so, rather than
            // building the whole frame and removing the header (same packet, same tags).
            to.CopyFrom(bytes);
            from.CopyFrom(bytes + 6);
            lengthType = uint16_t(bytes[12]) << 8 | bytes[13];
            frame = Create<Packet>(bytes + 14, len - 14);
            if (info.meta)
            {
                m_tagCopier.Copy(*info.meta, *frame, 0);
            }
        }
        else
        {
            frame = Create<Packet>(bytes, len);
            if (info.meta)
            {
                m_tagCopier.Copy(*info.meta, *frame, 14);
            }
            m_snifferTrace(frame);
            m_promiscSnifferTrace(frame);
            EthernetHeader eth(false);
            frame->RemoveHeader(eth);
            to = eth.GetDestination();
            from = eth.GetSource();
            lengthType = eth.GetLengthType();
        }
        PacketType type = to == m_address  ? PACKET_HOST
                        : to.IsBroadcast() ? PACKET_BROADCAST
                        : to.IsGroup()     ? PACKET_MULTICAST
                                           : PACKET_OTHERHOST;
        ++m_counters.rxFrames;
        LatencyBreakdown lat;
        Time now = Simulator::Now();
        lat.total = now - TimeStep(info.sent);
        GuestOs* guest = GetGuest();
        const Time rx = RxCost() + (wakeup && guest ? guest->GetSocketWakeupCost() : Time(0));
        lat.guest = rx + TimeStep(info.guestTx);
        lat.iommu = TimeStep(info.iommu);
        lat.nic = TimeStep(info.nic);
        lat.interrupt = now - rx - TimeStep(doneAt);
        lat.pcie = lat.total - lat.guest - lat.iommu - lat.nic - lat.interrupt;
        m_latencySum.total += lat.total;
        m_latencySum.guest += lat.guest;
        m_latencySum.iommu += lat.iommu;
        m_latencySum.nic += lat.nic;
        m_latencySum.interrupt += lat.interrupt;
        m_latencySum.pcie += lat.pcie;
        if (!m_macRxTrace.IsEmpty())
        {
            m_macRxTrace(frame);
        }
        if (!m_rxLatencyTrace.IsEmpty())
        {
            m_rxLatencyTrace(frame, lat);
        }
        if (!m_promiscCallback.IsNull())
        {
            m_promiscCallback(this, frame, lengthType, from, to, type);
        }
        if (type != PACKET_OTHERHOST)
        {
            m_rxCallback(this, frame, lengthType, from);
        }
        // The stack has its copy: the buffer's bytes are dead until the NIC writes it again.
        if (DescriptorRing::GetAddress(d) == buffer)
        {
            m_memory->Discard(buffer, m_rxBufferBytes);
        }
    }
    // Give the buffer back to the VF.
    m_rxRing.SetDoneAt(slot, DescriptorRing::NEVER);
    info.meta = nullptr;
    m_rxRing.WriteDescriptor(slot, buffer, 0, 0);
}

// ---- NetDevice ----

Ptr<Channel>
VfNetDevice::GetChannel() const
{
    return m_nic ? m_nic->GetChannel() : nullptr;
}

} // namespace ns3
