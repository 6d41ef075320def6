/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "vf-net-device.h"

#include "dma-engine.h"
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
#include "pcie-hierarchy.h"
#include "pcie-link.h"
#include "sriov-channel.h"
#include "sriov-nic.h"
#include "vf-mapping-table.h"

#include <cstring>

namespace ns3 {

NS_LOG_COMPONENT_DEFINE("VfNetDevice");
NS_OBJECT_ENSURE_REGISTERED(VfNetDevice);

namespace {

const char* const STEP_NAMES[12] = {"",
                                    "Step1AssignAddress",
                                    "Step2ProvideMappingTable",
                                    "Step3FetchTxFrame",
                                    "Step4LookUpDestination",
                                    "Step5SendLengthToPeer",
                                    "Step6ProvideRxBufferAddress",
                                    "Step7StartDmaWrite",
                                    "Step8TranslateWrite",
                                    "Step9WriteIntoDestination",
                                    "Step10NotifyTransferDone",
                                    "Step11NotifyGuest"};

const char* const STEP_HELP[12]
    = {"",
       "Step 1: the PF assigned the VF its MAC address",
       "Step 2: the mapping table was provided to the VF and the IOMMU",
       "Step 3: TX descriptor and frame fetched from the sending VM by DMA read",
       "Step 4: destination compared with the mapping table",
       "Step 5: frame length sent to the destination VF",
       "Step 6: the destination VF answered with the address of the VM's next free RX buffer",
       "Step 7: second DMA operation (write to that address) started",
       "Step 8: the IOMMU translated the write (or faulted)",
       "Step 9: the frame was written into the destination VM's memory",
       "Step 10: the destination VF was notified that the transfer is done",
       "Step 11: RX descriptor written back and MSI-X raised to the destination VM"};

void
PutLe(uint8_t* p, uint64_t v, int n)
{
    for (int i = 0; i < n; ++i)
    {
        p[i] = uint8_t(v >> (8 * i));
    }
}

uint64_t
GetLe(const uint8_t* p, int n)
{
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; --i)
    {
        v = (v << 8) | p[i];
    }
    return v;
}

/**
 * The simulator event of a frame's next step (TxFetched, DmaWritten). Each NicFrame keeps one,
 * recycled with the record, instead of a MakeEvent allocation per step: a frame has at most one
 * step pending, and the NIC reuses its records.
 */
class VfFrameEvent : public EventImpl
{
  public:
    VfNetDevice* device{nullptr};                     //!< whose handler runs
    void (VfNetDevice::*handler)(NicFrame*){nullptr}; //!< the step
    NicFrame* frame{nullptr};                         //!< the frame
    bool pending{false};                              //!< scheduled and not run yet

  protected:
    void Notify() override
    {
        pending = false;
        (device->*handler)(frame);
    }
};

} // namespace

VfNetDevice::StepTrace VfNetDevice::*const VfNetDevice::STEP_TRACES[12] = {nullptr,
                                                                           &VfNetDevice::m_step1,
                                                                           &VfNetDevice::m_step2,
                                                                           &VfNetDevice::m_step3,
                                                                           &VfNetDevice::m_step4,
                                                                           &VfNetDevice::m_step5,
                                                                           &VfNetDevice::m_step6,
                                                                           &VfNetDevice::m_step7,
                                                                           &VfNetDevice::m_step8,
                                                                           &VfNetDevice::m_step9,
                                                                           &VfNetDevice::m_step10,
                                                                           &VfNetDevice::m_step11};

void
VfNetDevice::FireStep(const VfDmaStep& s)
{
    (this->*STEP_TRACES[s.step])(s);
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
                  .AddAttribute(
                      "CoalesceUsecs",
                      "MSI-X coalescing: raise the interrupt at most this long after the "
                      "first unsignalled completion (mlx5 default 16 us, DESIGN.md section 7)",
                      TimeValue(MicroSeconds(16)), MakeTimeAccessor(&VfNetDevice::m_coalesceUsecs),
                      MakeTimeChecker(Time(0)))
                  .AddAttribute(
                      "CoalesceFrames",
                      "MSI-X coalescing: raise the interrupt once this many completions are "
                      "pending (mlx5 default 32, DESIGN.md section 7); 1 = no coalescing",
                      UintegerValue(32), MakeUintegerAccessor(&VfNetDevice::m_coalesceFrames),
                      MakeUintegerChecker<uint32_t>(1))
                  .AddAttribute(
                      "InterruptDelivery",
                      "How MSI-X reaches the vCPU: Posted (VT-d posted interrupts, no exit) "
                      "or VmExit (hypervisor injection)",
                      EnumValue(POSTED), compat::MakeEnumAccessor(&VfNetDevice::m_delivery),
                      MakeEnumChecker(POSTED, "Posted", VM_EXIT, "VmExit"))
                  .AddAttribute(
                      "PostedInterruptLatency",
                      "Time from the MSI-X write at the root complex to the guest handler "
                      "with posted interrupts. Estimate: ~1 us (IRQ entry in the guest).",
                      TimeValue(MicroSeconds(1)), MakeTimeAccessor(&VfNetDevice::m_postedLatency),
                      MakeTimeChecker(Time(0)))
                  .AddAttribute("VmExitInterruptLatency",
                                "Same, when the hypervisor injects the interrupt after a VM exit. "
                                "Estimate: ~4 us (exit, injection, entry, EOI exit).",
                                TimeValue(MicroSeconds(4)),
                                MakeTimeAccessor(&VfNetDevice::m_vmExitLatency),
                                MakeTimeChecker(Time(0)))
                  .AddAttribute("GuestTxCost",
                                "Guest driver time per sent frame before the doorbell (descriptor "
                                "write, copy into the TX buffer). Estimate: 200 ns.",
                                TimeValue(NanoSeconds(200)),
                                MakeTimeAccessor(&VfNetDevice::m_guestTxCost),
                                MakeTimeChecker(Time(0)))
                  .AddAttribute("GuestRxCost",
                                "Guest driver time per received frame before the stack has it "
                                "(descriptor read, packet allocation). Estimate: 200 ns.",
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
        for (int i = 1; i <= 11; ++i)
        {
            t.AddTraceSource(STEP_NAMES[i], STEP_HELP[i], MakeTraceSourceAccessor(STEP_TRACES[i]),
                             "ns3::VfNetDevice::StepTracedCallback");
        }
        return t;
    }();
    return tid;
}

VfNetDevice::VfNetDevice()
    : m_dma(nullptr)
    , m_index(0)
    , m_txRing(0)
    , m_txBuffers(0)
    , m_rxRing(0)
    , m_rxBuffers(0)
    , m_txTail(0)
    , m_txHead(0)
    , m_txInUse(0)
    , m_rxNextClean(0)
    , m_rxNextUse(0)
    , m_rxFetched(0)
    , m_rxRetireNext(0)
    , m_txRetiredAt(0)
    , m_pendingCompletions(0)
    , m_coalescePending(false)
{
}

VfNetDevice::~VfNetDevice() = default;

void
VfNetDevice::DoDispose()
{
    m_coalesceTimer.Cancel();
    m_coalescePending = false;
    m_pollEvent.Cancel();
    m_nic = nullptr;
    m_dma = nullptr;
    m_memory = nullptr;
    m_table = nullptr;
    m_rxSlots.clear();
    m_rxParked.clear();
    GuestNetDevice::DoDispose();
}

void
VfNetDevice::DoInitialize()
{
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
    NS_ABORT_MSG_IF(m_rxBufferBytes < uint32_t(m_mtu) + 18,
                    "VfNetDevice: RxBufferBytes " << m_rxBufferBytes << " cannot hold an MTU "
                                                  << m_mtu << " frame");
    m_nic = nic;
    m_dma = PeekPointer(nic->GetDmaEngine());
    m_index = index;
    m_memory = memory;
    m_table = nic->GetMappingTable(); // shared, filled as VFs join; provided again at step 2
    // Rings and buffers live in guest memory, page aligned as drivers allocate them.
    m_txRing = memory->Allocate(uint64_t(m_txRingSize) * DESC_BYTES, 4096);
    m_txBuffers = memory->Allocate(uint64_t(m_txRingSize) * m_rxBufferBytes, 4096);
    m_rxRing = memory->Allocate(uint64_t(m_rxRingSize) * DESC_BYTES, 4096);
    m_rxBuffers = memory->Allocate(uint64_t(m_rxRingSize) * m_rxBufferBytes, 4096);
    m_txDoneAt.assign(m_txRingSize, NEVER);
    m_rxSlots.assign(m_rxRingSize, RxSlotInfo());
    m_rxCacheAddr.assign(m_rxRingSize, 0);
    m_rxCacheAt.assign(m_rxRingSize, NEVER);
    m_rxParked.assign(m_rxRingSize, nullptr);
    m_scratch.resize(std::max<uint32_t>(m_rxBufferBytes, m_rxRingSize * DESC_BYTES));
    // The guest driver posts every RX buffer and rings the RX doorbell.
    for (uint32_t slot = 0; slot < m_rxRingSize; ++slot)
    {
        WriteDescriptor(m_rxRing, slot, m_rxBuffers + uint64_t(slot) * m_rxBufferBytes, 0, 0);
    }
    FetchRxDescriptors(0, m_rxRingSize, m_dma->Doorbell(Simulator::Now()));
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

bool
VfNetDevice::HasFreeRxBuffer(Time at) const
{
    return m_rxFetched > 0 && m_rxCacheAt[m_rxNextUse] <= at.GetTimeStep();
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
    for (const RxSlotInfo& s : m_rxSlots)
    {
        n += s.doneAt != NEVER && s.meta;
    }
    return n;
}

const LatencyBreakdown&
VfNetDevice::GetLatencySum() const
{
    return m_latencySum;
}

void
VfNetDevice::WriteDescriptor(uint64_t ring, uint32_t slot, uint64_t addr, uint16_t len,
                             uint8_t status)
{
    uint8_t d[DESC_BYTES] = {};
    PutLe(d, addr, 8);
    PutLe(d + 8, len, 2);
    d[10] = status;
    m_memory->Write(ring + uint64_t(slot) * DESC_BYTES, d, DESC_BYTES);
}

// ---- Step 1 and 2: configuration by the PF ----

void
VfNetDevice::AssignAddress(Mac48Address address)
{
    m_address = address;
    FireStep({1, 0, m_index, m_index, 0, 0, 0, true});
}

void
VfNetDevice::ProvideMappingTable(Ptr<const VfMappingTable> table)
{
    m_table = table;
    FireStep({2, 0, m_index, m_index, 0, 0, uint32_t(table->GetSize()), true});
}

// ---- Guest TX and step 3 ----

bool
VfNetDevice::Send(Ptr<Packet> packet, const Address& dest, uint16_t protocolNumber)
{
    return DoSend(packet, m_address, Mac48Address::ConvertFrom(dest), protocolNumber);
}

bool
VfNetDevice::SendFrom(Ptr<Packet> packet, const Address& source, const Address& dest,
                      uint16_t protocolNumber)
{
    return DoSend(packet, Mac48Address::ConvertFrom(source), Mac48Address::ConvertFrom(dest),
                  protocolNumber);
}

bool
VfNetDevice::DoSend(Ptr<Packet> packet, Mac48Address source, Mac48Address dest,
                    uint16_t protocolNumber)
{
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
    uint64_t buffer = m_txBuffers + uint64_t(slot) * m_rxBufferBytes;
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
    WriteDescriptor(m_txRing, slot, buffer, len, 0);
    m_txDoneAt[slot] = NEVER;
    m_txTail = (slot + 1) % m_txRingSize;
    ++m_txInUse;
    ++m_counters.txFrames;
    if (!m_snifferTrace.IsEmpty() || !m_promiscSnifferTrace.IsEmpty())
    {
        Ptr<Packet> frame = Create<Packet>(f, len);
        m_snifferTrace(frame);
        m_promiscSnifferTrace(frame);
    }

    NicFrame* frame = m_nic->AllocateFrame();
    frame->srcVf = m_index;
    frame->meta = packet;
    frame->sent = frame->at; // now: AllocateFrame() starts the NIC clock at the present
    FetchTxFrame(frame, slot, m_dma->Doorbell(frame->sent + m_guestTxCost));
    return true;
}

void
VfNetDevice::ScheduleFrame(NicFrame* frame, Time at, void (VfNetDevice::*handler)(NicFrame*))
{
    if (!frame->event)
    {
        frame->event = Create<VfFrameEvent>();
    }
    auto* ev = static_cast<VfFrameEvent*>(PeekPointer(frame->event));
    NS_ABORT_MSG_IF(ev->pending,
                    "VF " << m_index << ": frame " << frame->id << " already has a step pending");
    ev->device = this;
    ev->handler = handler;
    ev->frame = frame;
    ev->pending = true;
    // In this device's context: a step it runs for another VF's frame is its node's event.
    Simulator::ScheduleWithContext(GetContext(), at - Simulator::Now(), GetPointer(frame->event));
}

void
VfNetDevice::FetchTxFrame(NicFrame* frame, uint32_t slot, Time doorbell)
{
    DmaEngine* dma = m_dma;
    uint8_t desc[DESC_BYTES];
    DmaEngine::Result r1
        = dma->Read(m_memory, m_txRing + uint64_t(slot) * DESC_BYTES, desc, DESC_BYTES, doorbell);
    NS_ABORT_MSG_IF(r1.fault, "VF " << m_index << ": TX ring not mapped in the VM's IOMMU domain");
    frame->txIova = GetLe(desc, 8);
    frame->length = GetLe(desc + 8, 2);
    if (frame->bytes.size() < frame->length)
    {
        frame->bytes.resize(m_rxBufferBytes);
    }
    DmaEngine::Result r2
        = dma->Read(m_memory, frame->txIova, frame->bytes.data(), frame->length, r1.done);
    frame->iommu += r1.iommuTime + r2.iommuTime;
    // In-order retirement (doc/model.md): the reads of a queue's descriptors may complete out of
    // order (one walks the IOMMU, the next hits the IOTLB), but the NIC hands the frames on in
    // ring order: a frame whose data is in early waits, in the NIC, for its predecessor's.
    const int64_t fetched = r2.done.GetTimeStep();
    const int64_t retired = std::max(fetched, m_txRetiredAt);
    m_txRetiredAt = retired;
    const Time ready = TimeStep(retired);
    frame->nic += TimeStep(retired - fetched);
    // TX completion: write the descriptor back with its done bit, in ring order; the guest may
    // then reuse it.
    DmaEngine::Result wb
        = dma->Write(m_memory, m_txRing + uint64_t(slot) * DESC_BYTES, DESC_BYTES, ready);
    desc[10] = DESC_DONE | (r2.fault ? DESC_ERROR : 0);
    dma->Commit(m_memory, wb, desc, DESC_BYTES);
    m_txDoneAt[slot] = wb.done.GetTimeStep();
    if (r2.fault)
    {
        m_nic->Drop(frame, SriovNic::DROP_IOMMU_FAULT);
        return;
    }
    frame->at = ready;
    // Scheduled in ring order at non-decreasing instants: the events run in ring order.
    ScheduleFrame(frame, ready, &VfNetDevice::TxFetched);
}

void
VfNetDevice::TxFetched(NicFrame* frame)
{
    FireStep({3, frame->id, m_index, 0, frame->txIova, 0, frame->length, true});
    LookUpDestination(frame);
}

void
VfNetDevice::ReclaimTxSlots()
{
    Time now = Simulator::Now();
    while (m_txInUse > 0 && m_txDoneAt[m_txHead] <= now.GetTimeStep())
    {
        m_txDoneAt[m_txHead] = NEVER;
        m_memory->Discard(m_txBuffers + uint64_t(m_txHead) * m_rxBufferBytes, m_rxBufferBytes);
        m_txHead = (m_txHead + 1) % m_txRingSize;
        --m_txInUse;
    }
}

// ---- Steps 4 to 10, on the sending VF ----

void
VfNetDevice::LookUpDestination(NicFrame* frame)
{
    const uint8_t* b = frame->bytes.data();
    uint16_t vlan = VfMappingTable::NO_VLAN;
    if (b[12] == 0x81 && b[13] == 0x00)
    {
        vlan = (uint16_t(b[14]) << 8 | b[15]) & 0x0fff;
    }
    const SriovNic::Forwarding forwarding = m_nic->GetForwarding();
    if (forwarding == SriovNic::FORWARD_VEPA)
    {
        // Reflective relay: the adjacent switch forwards, even between VFs of this NIC.
        FireStep({4, frame->id, m_index, NicFrame::UPLINK, frame->txIova, 0, frame->length, true});
        m_nic->SendToUplink(frame);
        return;
    }
    if (forwarding == SriovNic::FORWARD_OFFLOAD)
    {
        // The host's virtual switch holds the table and decides; the VF waits for its answer.
        Time answer = m_nic->AskVirtualSwitch(frame->at);
        frame->nic += answer - frame->at;
        frame->at = answer;
    }
    frame->at += m_nic->GetLookupLatency();
    frame->nic += m_nic->GetLookupLatency();
    const VfMappingTable::Entry* e = m_table->Lookup(b, vlan);
    // The embedded switch of a veb NIC reaches its own VFs only; VF-to-VF DMA (and offload)
    // reaches the VFs of every NIC of the host, peer to peer.
    const bool peers = forwarding != SriovNic::FORWARD_VEB && m_nic->GetHierarchy();
    if (e && e->nic != m_nic->GetNicIndex() && !peers)
    {
        e = nullptr;
    }
    uint32_t dst = e ? e->vf : NicFrame::UPLINK;
    FireStep({4, frame->id, m_index, dst, frame->txIova, 0, frame->length, true});
    if (b[0] & 0x01) // group bit: broadcast or multicast
    {
        // Flood: a copy to every other VF in reach, the frame itself to the wire.
        const uint32_t nics = peers ? m_nic->GetHierarchy()->GetNNics() : 1;
        for (uint32_t n = 0; n < nics; ++n)
        {
            SriovNic* nic = peers ? m_nic->GetPeer(n) : PeekPointer(m_nic);
            for (uint32_t i = 0; i < nic->GetNVfs(); ++i)
            {
                if (nic == PeekPointer(m_nic) && i == m_index)
                {
                    continue;
                }
                NicFrame* copy = m_nic->AllocateFrame();
                copy->srcVf = m_index;
                copy->dstVf = i;
                copy->bytes.assign(b, b + frame->length);
                copy->length = frame->length;
                copy->txIova = frame->txIova;
                copy->meta = frame->meta;
                copy->sent = frame->sent;
                copy->at = frame->at;
                copy->iommu = frame->iommu;
                copy->nic = frame->nic;
                if (forwarding == SriovNic::FORWARD_VEB)
                {
                    m_nic->SwitchLocally(copy, m_nic->GetVf(i));
                }
                else
                {
                    nic->DeliverLocal(copy, this, nic->GetVf(i));
                }
            }
        }
        if (m_nic->GetUplink())
        {
            m_nic->SendToUplink(frame);
        }
        else
        {
            m_nic->FreeFrame(frame);
        }
        return;
    }
    if (!e)
    {
        m_nic->SendToUplink(frame);
        return;
    }
    frame->dstVf = e->vf;
    if (forwarding == SriovNic::FORWARD_VEB)
    {
        m_nic->SwitchLocally(frame, m_nic->GetVf(e->vf));
        return;
    }
    SriovNic* nic = m_nic->GetPeer(e->nic);
    nic->DeliverLocal(frame, this, nic->GetVf(e->vf));
}

bool
VfNetDevice::SendLengthToPeer(NicFrame* frame, const Ptr<VfNetDevice>& dst)
{
    frame->dstVf = dst->m_index;
    // On-chip handling counts as NIC time; a peer-to-peer crossing, as PCIe time.
    frame->at
        = m_nic->SendVfMessage(*dst->m_nic, dst->m_index, m_memory->GetIommuDomain(), frame->at);
    frame->nic += m_nic->GetVfMessageLatency();
    FireStep({5, frame->id, m_index, frame->dstVf, 0, 0, frame->length, true});
    bool ok = dst->ProvideRxBufferAddress(frame);
    frame->at
        = dst->m_nic->SendVfMessage(*m_nic, m_index, dst->m_memory->GetIommuDomain(), frame->at);
    frame->nic += dst->m_nic->GetVfMessageLatency();
    return ok;
}

bool
VfNetDevice::ProvideRxBufferAddress(NicFrame* frame)
{
    frame->dstVf = m_index;
    if (!HasFreeRxBuffer(frame->at))
    {
        FireStep({6, frame->id, frame->srcVf, m_index, 0, 0, frame->length, false});
        return false;
    }
    frame->rxSlot = m_rxNextUse;
    frame->rxIova = m_rxCacheAddr[m_rxNextUse];
    m_rxNextUse = (m_rxNextUse + 1) % m_rxRingSize;
    --m_rxFetched;
    FireStep({6, frame->id, frame->srcVf, m_index, frame->rxIova, 0, frame->length, true});
    return true;
}

void
VfNetDevice::StartDmaWrite(NicFrame* frame, const Ptr<VfNetDevice>& dst)
{
    frame->write = m_dma->Write(dst->m_memory, frame->rxIova, frame->length, frame->at);
    frame->iommu += frame->write.iommuTime;
    FireStep({7, frame->id, frame->srcVf, frame->dstVf, frame->rxIova, 0, frame->length, true});
    ScheduleFrame(frame, frame->write.done, &VfNetDevice::DmaWritten);
}

void
VfNetDevice::DmaWritten(NicFrame* frame)
{
    Ptr<VfNetDevice> dst = frame->dstNic->GetVf(frame->dstVf);
    if (!TranslateWrite(frame, dst))
    {
        // The destination VF completes the slot with an error, in its own context.
        dst->ScheduleFrame(frame, Simulator::Now(), &VfNetDevice::WriteFaulted);
        return;
    }
    WriteIntoDestination(frame, dst);
    NotifyTransferDone(frame, dst);
}

bool
VfNetDevice::TranslateWrite(NicFrame* frame, const Ptr<VfNetDevice>& dst)
{
    bool ok = !frame->write.fault;
    FireStep({8, frame->id, frame->srcVf, frame->dstVf, frame->rxIova, frame->write.hpa,
              frame->length, ok});
    return ok;
}

void
VfNetDevice::WriteIntoDestination(NicFrame* frame, const Ptr<VfNetDevice>& dst)
{
    m_dma->Commit(dst->m_memory, frame->write, frame->bytes.data(), frame->length);
    FireStep({9, frame->id, frame->srcVf, frame->dstVf, frame->rxIova, frame->write.hpa,
              frame->length, true});
}

void
VfNetDevice::NotifyTransferDone(NicFrame* frame, const Ptr<VfNetDevice>& dst)
{
    FireStep({10, frame->id, frame->srcVf, frame->dstVf, frame->rxIova, 0, frame->length, true});
    frame->nic += m_nic->GetVfMessageLatency();
    // Step 11 starts when the notice arrives (so its trace fires then).
    dst->ScheduleFrame(frame,
                       m_nic->SendVfMessage(*dst->m_nic, dst->m_index, m_memory->GetIommuDomain(),
                                            Simulator::Now()),
                       &VfNetDevice::DoneNoticeArrived);
}

void
VfNetDevice::DoneNoticeArrived(NicFrame* frame)
{
    RetireRx(frame);
}

void
VfNetDevice::WriteFaulted(NicFrame* frame)
{
    RetireRx(frame);
}

void
VfNetDevice::RetireRx(NicFrame* frame)
{
    // In-order completion (doc/model.md): the RX descriptors of a queue are written back in
    // ring order, whatever order their transfers finished in. A frame done before the frames
    // that took earlier slots at step 6 waits for them in its slot of the completion buffer.
    if (frame->rxSlot != m_rxRetireNext)
    {
        frame->at = Simulator::Now();
        m_rxParked[frame->rxSlot] = frame;
        return;
    }
    CompleteRx(frame);
    while ((frame = m_rxParked[m_rxRetireNext]) != nullptr)
    {
        m_rxParked[m_rxRetireNext] = nullptr;
        frame->nic += Simulator::Now() - frame->at;
        CompleteRx(frame);
    }
}

void
VfNetDevice::CompleteRx(NicFrame* frame)
{
    m_rxRetireNext = (m_rxRetireNext + 1) % m_rxRingSize;
    if (frame->write.fault)
    {
        CompleteWithError(frame);
        frame->owner->Drop(frame, SriovNic::DROP_IOMMU_FAULT);
        return;
    }
    NotifyGuest(frame, Simulator::Now());
}

// ---- Step 11 and the guest's RX side, on the destination VF ----

void
VfNetDevice::NotifyGuest(NicFrame* frame, Time at)
{
    DmaEngine* dma = m_dma;
    uint32_t slot = frame->rxSlot;
    uint64_t descAddr = m_rxRing + uint64_t(slot) * DESC_BYTES;
    DmaEngine::Result wb = dma->Write(m_memory, descAddr, DESC_BYTES, at);
    NS_ABORT_MSG_IF(wb.fault, "VF " << m_index << ": RX ring not mapped in the VM's IOMMU domain");
    uint8_t d[DESC_BYTES] = {};
    PutLe(d, frame->rxIova, 8);
    PutLe(d + 8, frame->length, 2);
    d[10] = DESC_DONE;
    dma->Commit(m_memory, wb, d, DESC_BYTES);
    RxSlotInfo& info = m_rxSlots[slot];
    info.doneAt = wb.done.GetTimeStep();
    info.meta = frame->meta;
    info.sent = frame->sent.GetTimeStep();
    info.iommu = (frame->iommu + wb.iommuTime).GetTimeStep();
    info.nic = frame->nic.GetTimeStep();
    FireStep({11, frame->id, frame->srcVf, m_index, descAddr, 0, frame->length, true});
    m_nic->FreeFrame(frame);
    CountCompletion(wb.done);
}

void
VfNetDevice::CompleteWithError(NicFrame* frame)
{
    DmaEngine* dma = m_dma;
    uint32_t slot = frame->rxSlot;
    DmaEngine::Result wb = dma->Write(m_memory, m_rxRing + uint64_t(slot) * DESC_BYTES, DESC_BYTES,
                                      Simulator::Now());
    uint8_t d[DESC_BYTES] = {};
    PutLe(d, frame->rxIova, 8);
    d[10] = DESC_DONE | DESC_ERROR;
    dma->Commit(m_memory, wb, d, DESC_BYTES);
    m_rxSlots[slot].doneAt = wb.done.GetTimeStep();
    m_rxSlots[slot].meta = nullptr;
    CountCompletion(wb.done);
}

void
VfNetDevice::CountCompletion(Time at)
{
    m_latestCompletion = std::max(m_latestCompletion, at);
    if (++m_pendingCompletions >= m_coalesceFrames)
    {
        FireInterrupt(at);
    }
    else if (!m_coalescePending)
    {
        Time fire = at + m_coalesceUsecs;
        m_coalesceTimer
            = Simulator::Schedule(fire - Simulator::Now(), &VfNetDevice::FireInterrupt, this, fire);
        m_coalescePending = true;
    }
}

Time
VfNetDevice::InterruptLatency() const
{
    return m_delivery == POSTED ? m_postedLatency : m_vmExitLatency;
}

void
VfNetDevice::FireInterrupt(Time at)
{
    if (m_coalescePending)
    {
        // Fired by the frame count before the timeout, or by the timeout itself (a no-op).
        m_coalesceTimer.Cancel();
        m_coalescePending = false;
    }
    m_pendingCompletions = 0;
    ++m_counters.interrupts;
    // PCIe orders posted writes: the MSI-X message lands after every write-back it signals.
    Time handler
        = m_dma->MsiX(std::max(at, m_latestCompletion)) + InterruptLatency() + m_guestRxCost;
    if (!compat::IsPending(m_pollEvent))
    {
        m_pollEvent
            = Simulator::Schedule(handler - Simulator::Now(), &VfNetDevice::GuestPoll, this);
    }
    else
    {
        // A poll is already scheduled (interrupts masked): this interrupt stays pending and is
        // delivered when the poll is done, as an MSI-X pending bit is on unmask.
        m_deferredPoll = std::max(m_deferredPoll, handler);
    }
}

void
VfNetDevice::GuestPoll()
{
    CheckContext();
    ++m_counters.polls;
    Time now = Simulator::Now();
    uint32_t first = m_rxNextClean;
    uint32_t n = 0;
    while (n < m_napiBudget && m_rxSlots[m_rxNextClean].doneAt <= now.GetTimeStep())
    {
        GuestReceive(m_rxNextClean);
        m_rxNextClean = (m_rxNextClean + 1) % m_rxRingSize;
        ++n;
    }
    if (n > 0)
    {
        // Refilled buffers: one RX doorbell for the batch.
        FetchRxDescriptors(first, n, m_dma->Doorbell(now));
    }
    if (m_rxSlots[m_rxNextClean].doneAt <= now.GetTimeStep())
    {
        // Budget spent with work left: poll again once this batch's CPU time has passed.
        m_pollEvent = Simulator::Schedule(m_guestRxCost * n, &VfNetDevice::GuestPoll, this);
    }
    else if (m_deferredPoll > Simulator::Now())
    {
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
VfNetDevice::CopyTags(const Packet& from, Packet& to, uint32_t byteOffset)
{
    // One instance per tag type, reused: a copy then costs the tag's (de)serialization only.
    auto scratch = [this](TypeId tid) -> Tag&
    {
        const uint16_t uid = tid.GetUid();
        for (auto& [u, tag] : m_tagScratch)
        {
            if (u == uid)
            {
                return *tag;
            }
        }
        Tag* tag = dynamic_cast<Tag*>(tid.GetConstructor()());
        NS_ABORT_MSG_IF(tag == nullptr, "VfNetDevice: " << tid.GetName() << " is not a Tag");
        m_tagScratch.emplace_back(uid, std::unique_ptr<Tag>(tag));
        return *tag;
    };
    PacketTagIterator pi = from.GetPacketTagIterator();
    while (pi.HasNext())
    {
        PacketTagIterator::Item item = pi.Next();
        Tag& tag = scratch(item.GetTypeId());
        item.GetTag(tag);
        to.AddPacketTag(tag);
    }
    ByteTagIterator bi = from.GetByteTagIterator();
    while (bi.HasNext())
    {
        ByteTagIterator::Item item = bi.Next();
        Tag& tag = scratch(item.GetTypeId());
        item.GetTag(tag);
        to.AddByteTag(tag, item.GetStart() + byteOffset, item.GetEnd() + byteOffset);
    }
}

void
VfNetDevice::GuestReceive(uint32_t slot)
{
    const uint64_t descAddr = m_rxRing + uint64_t(slot) * DESC_BYTES;
    uint8_t descCopy[DESC_BYTES];
    const uint8_t* d = m_memory->GetSpan(descAddr, DESC_BYTES);
    if (d == nullptr)
    {
        m_memory->Read(descAddr, descCopy, DESC_BYTES);
        d = descCopy;
    }
    RxSlotInfo& info = m_rxSlots[slot];
    uint64_t buffer = m_rxBuffers + uint64_t(slot) * m_rxBufferBytes;
    if (!(d[10] & DESC_ERROR))
    {
        uint32_t len = GetLe(d + 8, 2);
        const uint8_t* bytes = m_memory->GetSpan(GetLe(d, 8), len);
        if (bytes == nullptr)
        {
            m_memory->Read(GetLe(d, 8), m_scratch.data(), len);
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
                CopyTags(*info.meta, *frame, 0);
            }
        }
        else
        {
            frame = Create<Packet>(bytes, len);
            if (info.meta)
            {
                CopyTags(*info.meta, *frame, 14);
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
        lat.guest = m_guestRxCost + (info.meta ? m_guestTxCost : Time(0));
        lat.iommu = TimeStep(info.iommu);
        lat.nic = TimeStep(info.nic);
        lat.interrupt = now - m_guestRxCost - TimeStep(info.doneAt);
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
        if (GetLe(d, 8) == buffer)
        {
            m_memory->Discard(buffer, m_rxBufferBytes);
        }
    }
    // Give the buffer back to the VF.
    info.doneAt = NEVER;
    info.meta = nullptr;
    WriteDescriptor(m_rxRing, slot, buffer, 0, 0);
}

void
VfNetDevice::PostForeignRxBuffer(uint64_t iova)
{
    // Overwrite the next descriptor the VF will use and make it fetch it again.
    NS_ABORT_MSG_IF(m_rxFetched == 0, "PostForeignRxBuffer: no posted RX descriptor to replace");
    WriteDescriptor(m_rxRing, m_rxNextUse, iova, 0, 0);
    uint32_t count = m_rxFetched;
    m_rxFetched = 0;
    FetchRxDescriptors(m_rxNextUse, count, m_dma->Doorbell(Simulator::Now()));
}

Time
VfNetDevice::FetchRxDescriptors(uint32_t first, uint32_t count, Time doorbell)
{
    DmaEngine* dma = m_dma;
    Time done = doorbell;
    uint32_t slot = first;
    uint32_t left = count;
    while (left > 0)
    {
        // A ring wrap splits the fetch in two reads.
        uint32_t run = std::min(left, m_rxRingSize - slot);
        DmaEngine::Result r = dma->Read(m_memory, m_rxRing + uint64_t(slot) * DESC_BYTES,
                                        m_scratch.data(), run * DESC_BYTES, done);
        NS_ABORT_MSG_IF(r.fault, "VF " << m_index << ": RX ring not mapped in the IOMMU");
        done = r.done;
        for (uint32_t i = 0; i < run; ++i)
        {
            m_rxCacheAddr[slot + i] = GetLe(m_scratch.data() + i * DESC_BYTES, 8);
            m_rxCacheAt[slot + i] = done.GetTimeStep();
        }
        slot = (slot + run) % m_rxRingSize;
        left -= run;
    }
    m_rxFetched += count;
    m_nic->BuffersAvailable(m_index, done);
    return done;
}

// ---- NetDevice ----

Ptr<Channel>
VfNetDevice::GetChannel() const
{
    return m_nic ? m_nic->GetChannel() : nullptr;
}

} // namespace ns3
