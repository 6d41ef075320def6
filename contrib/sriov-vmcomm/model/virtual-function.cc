/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The hardware of an SR-IOV virtual function (see virtual-function.h): TX fetch (step 3), RX
 * descriptor cache (step 6), in-order RX completion (step 11), MSI-X coalescing.
 */
#include "virtual-function.h"

#include "dma-engine.h"
#include "memory-domain.h"
#include "nic-frame-event.h"
#include "ns3-compat.h"
#include "ns3/abort.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"
#include "sriov-nic.h"
#include "vf-mapping-table.h"
#include "vf-net-device.h"

#include <algorithm>

namespace ns3 {

NS_LOG_COMPONENT_DEFINE("VirtualFunction");
NS_OBJECT_ENSURE_REGISTERED(VirtualFunction);

TypeId
VirtualFunction::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::VirtualFunction")
              .SetParent<Object>()
              .SetGroupName("SriovVmcomm")
              .AddConstructor<VirtualFunction>()
              .AddAttribute("TxFramesInFlight",
                            "Frames the VF's TX engine keeps in the NIC at once: fetched "
                            "(or being fetched) and not yet completed at their destination, "
                            "dropped or sent out of the uplink; the next doorbell's frame is "
                            "fetched when one leaves, so a queue drains only as fast as the "
                            "NIC forwards. Default 256: an estimate, above what a queue needs "
                            "at the NIC's capacity (vf-dma at 1518 B, nfp6000-bdw: about 100 "
                            "frames in flight), while an overloaded queue books at most about "
                            "25 us of DMA work ahead at 64 B (doc/model.md, \"Overload\").",
                            UintegerValue(256), MakeUintegerAccessor(&VirtualFunction::m_txWindow),
                            MakeUintegerChecker<uint32_t>(1, 65536));
    return tid;
}

VirtualFunction::VirtualFunction()
    : m_device(nullptr)
    , m_nic(nullptr)
    , m_dma(nullptr)
    , m_tx(nullptr)
    , m_rx(nullptr)
    , m_index(0)
    , m_rxNextUse(0)
    , m_rxFetched(0)
    , m_rxRetireNext(0)
    , m_txRetiredAt(0)
    , m_txWindow(256)
    , m_txInFlight(0)
    , m_txPendingHead(0)
    , m_txPendingCount(0)
    , m_txIssuing(false)
{
}

VirtualFunction::~VirtualFunction() = default;

void
VirtualFunction::DoDispose()
{
    m_msix.Dispose();
    m_txWake.Cancel();
    m_device = nullptr;
    m_nic = nullptr;
    m_dma = nullptr;
    m_memory = nullptr;
    m_tx = nullptr;
    m_rx = nullptr;
    m_table = nullptr;
    m_rxParked.clear();
    m_txPending.clear();
    m_txPendingCount = 0;
    Object::DoDispose();
}

void
VirtualFunction::Attach(VfNetDevice* device, Ptr<SriovNic> nic, uint32_t index,
                        Ptr<MemoryDomain> memory, DescriptorRing* tx, DescriptorRing* rx)
{
    NS_LOG_FUNCTION(this << device << nic << index);
    m_device = device;
    m_nic = PeekPointer(nic);
    m_dma = PeekPointer(nic->GetDmaEngine());
    m_index = index;
    m_memory = memory;
    m_tx = tx;
    m_rx = rx;
    m_table = nic->GetMappingTable(); // shared, filled as VFs join; provided again at step 2
    m_rxCacheAddr.assign(rx->GetSize(), 0);
    m_rxCacheAt.assign(rx->GetSize(), DescriptorRing::NEVER);
    m_rxParked.assign(rx->GetSize(), nullptr);
    m_txPending.assign(tx->GetSize(), PendingTx{nullptr, 0, Time(0)});
    m_scratch.resize(rx->GetSize() * DescriptorRing::DESC_BYTES);
    m_msix.Attach(m_dma, MakeCallback(&VfNetDevice::Interrupt, device));
}

uint32_t
VirtualFunction::GetContext() const
{
    return m_device->GetEventContext();
}

uint32_t
VirtualFunction::GetRxBufferBytes() const
{
    return m_rx->GetBufferBytes();
}

bool
VirtualFunction::HasFreeRxBuffer(Time at) const
{
    return m_rxFetched > 0 && m_rxCacheAt[m_rxNextUse] <= at.GetTimeStep();
}

// ---- Steps 1 and 2: configuration by the PF ----

void
VirtualFunction::AssignAddress(Mac48Address address)
{
    NS_LOG_FUNCTION(this << address);
    m_address = address;
    FireStep({STEP_ASSIGN_ADDRESS, 0, m_index, m_index, 0, 0, 0, true});
}

void
VirtualFunction::ProvideMappingTable(Ptr<const VfMappingTable> table)
{
    NS_LOG_FUNCTION(this << table);
    m_table = table;
    FireStep(
        {STEP_PROVIDE_MAPPING_TABLE, 0, m_index, m_index, 0, 0, uint32_t(table->GetSize()), true});
}

// ---- TX: doorbell and step 3 ----

void
VirtualFunction::TxDoorbell(uint32_t slot, Ptr<const Packet> meta, Time doorbell)
{
    NS_LOG_FUNCTION(this << slot << doorbell);
    NicFrame* frame = m_nic->AllocateFrame();
    frame->srcVf = m_index;
    frame->meta = meta;
    frame->sent = frame->at; // now: AllocateFrame() starts the NIC clock at the present
    frame->guestTx = doorbell - frame->sent;
    const Time arrival = m_dma->Doorbell(doorbell);
    if (m_txInFlight < m_txWindow && m_txPendingCount == 0)
    {
        StartTxFetch(frame, slot, arrival);
        return;
    }
    // The NIC holds a window's worth of this queue's frames: this one waits in the ring.
    NS_ABORT_MSG_IF(m_txPendingCount == m_txPending.size(),
                    "VF " << m_index << ": more TX doorbells than TX ring slots");
    m_txPending[(m_txPendingHead + m_txPendingCount) % m_txPending.size()] = {frame, slot, arrival};
    ++m_txPendingCount;
}

void
VirtualFunction::StartTxFetch(NicFrame* frame, uint32_t slot, Time doorbell)
{
    ++m_txInFlight;
    frame->txWindow = true;
    FetchTxFrame(frame, slot, doorbell);
}

void
VirtualFunction::TxFrameLeft()
{
    NS_LOG_FUNCTION(this << m_txInFlight << m_txPendingCount);
    --m_txInFlight;
    IssuePendingTx();
}

void
VirtualFunction::IssuePendingTx()
{
    if (m_txIssuing)
    {
        return; // a fetch this loop issued was dropped at once: the loop goes on
    }
    m_txIssuing = true;
    const Time now = Simulator::Now();
    while (m_txPendingCount > 0 && m_txInFlight < m_txWindow)
    {
        const PendingTx p = m_txPending[m_txPendingHead];
        if (p.doorbell > now)
        {
            // Its doorbell has not rung yet (the guest's vCPU is still on earlier work): the
            // place waits for it.
            if (!compat::IsPending(m_txWake))
            {
                m_txWake
                    = Simulator::Schedule(p.doorbell - now, &VirtualFunction::IssuePendingTx, this);
            }
            break;
        }
        m_txPendingHead = (m_txPendingHead + 1) % m_txPending.size();
        --m_txPendingCount;
        // The wait for a place in the window is time in the NIC's TX queue.
        p.frame->nic += now - p.doorbell;
        StartTxFetch(p.frame, p.slot, now);
    }
    m_txIssuing = false;
}

void
VirtualFunction::FetchTxFrame(NicFrame* frame, uint32_t slot, Time doorbell)
{
    NS_LOG_FUNCTION(this << frame->id << slot << doorbell);
    DmaEngine* dma = m_dma;
    uint8_t desc[DescriptorRing::DESC_BYTES];
    const uint64_t descAddr = m_tx->GetDescriptorAddress(slot);
    DmaEngine::Result r1
        = dma->Read(m_memory, descAddr, desc, DescriptorRing::DESC_BYTES, doorbell);
    NS_ABORT_MSG_IF(r1.fault, "VF " << m_index << ": TX ring not mapped in the VM's IOMMU domain");
    frame->txIova = DescriptorRing::GetAddress(desc);
    frame->length = DescriptorRing::GetLength(desc);
    if (frame->bytes.size() < frame->length)
    {
        frame->bytes.resize(m_rx->GetBufferBytes());
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
    frame->txSlot = slot;
    if (r2.fault)
    {
        // Nothing to forward: the error write-back is the frame's last step.
        WriteBackTx(frame, ready, DescriptorRing::DESC_ERROR);
        m_nic->Drop(frame, SriovNic::DROP_IOMMU_FAULT);
        return;
    }
    frame->at = ready;
    // Scheduled in ring order at non-decreasing instants: the events run in ring order.
    NicFrameEvent::Schedule<VirtualFunction, &VirtualFunction::TxFetched>(frame, GetContext(),
                                                                          ready, this);
}

void
VirtualFunction::TxFetched(NicFrame* frame)
{
    NS_LOG_FUNCTION(this << frame->id);
    // The write-back is asked for now, when the frame's data is in: booked at the doorbell with
    // the reads, it held the engine's write fetch stage microseconds ahead, in gaps too short
    // for the frame writes asked for meanwhile (doc/model.md, "Time").
    WriteBackTx(frame, Simulator::Now(), 0);
    FireStep({STEP_FETCH_TX_FRAME, frame->id, m_index, 0, frame->txIova, 0, frame->length, true});
    m_nic->Forward(frame, *this);
}

void
VirtualFunction::WriteBackTx(const NicFrame* frame, Time at, uint8_t status)
{
    // TX completion: the descriptor written back with its done bit, in ring order (the frames
    // retire in ring order at non-decreasing instants); the guest may then reuse the slot.
    const uint64_t descAddr = m_tx->GetDescriptorAddress(frame->txSlot);
    DmaEngine::Result wb = m_dma->Write(m_memory, descAddr, DescriptorRing::DESC_BYTES, at);
    NS_ABORT_MSG_IF(wb.fault, "VF " << m_index << ": TX ring not mapped in the VM's IOMMU domain");
    uint8_t desc[DescriptorRing::DESC_BYTES] = {};
    DescriptorRing::Encode(desc, frame->txIova, uint16_t(frame->length),
                           DescriptorRing::DESC_DONE | status);
    m_dma->Commit(m_memory, wb, desc, DescriptorRing::DESC_BYTES);
    m_tx->SetDoneAt(frame->txSlot, wb.done.GetTimeStep());
}

// ---- RX: descriptor cache and step 6 ----

void
VirtualFunction::RxDoorbell(uint32_t first, uint32_t count)
{
    NS_LOG_FUNCTION(this << first << count);
    FetchRxDescriptors(first, count, m_dma->Doorbell(Simulator::Now()));
}

Time
VirtualFunction::FetchRxDescriptors(uint32_t first, uint32_t count, Time doorbell)
{
    DmaEngine* dma = m_dma;
    const uint32_t size = m_rx->GetSize();
    Time done = doorbell;
    uint32_t slot = first;
    uint32_t left = count;
    while (left > 0)
    {
        // A ring wrap splits the fetch in two reads.
        uint32_t run = std::min(left, size - slot);
        DmaEngine::Result r = dma->Read(m_memory, m_rx->GetDescriptorAddress(slot),
                                        m_scratch.data(), run * DescriptorRing::DESC_BYTES, done);
        NS_ABORT_MSG_IF(r.fault, "VF " << m_index << ": RX ring not mapped in the IOMMU");
        done = r.done;
        for (uint32_t i = 0; i < run; ++i)
        {
            m_rxCacheAddr[slot + i]
                = DescriptorRing::GetAddress(m_scratch.data() + i * DescriptorRing::DESC_BYTES);
            m_rxCacheAt[slot + i] = done.GetTimeStep();
        }
        slot = (slot + run) % size;
        left -= run;
    }
    m_rxFetched += count;
    m_nic->BuffersAvailable(m_index, done);
    return done;
}

void
VirtualFunction::PostForeignRxBuffer(uint64_t iova)
{
    // Overwrite the next descriptor the VF will use and make it fetch it again.
    NS_ABORT_MSG_IF(m_rxFetched == 0, "PostForeignRxBuffer: no posted RX descriptor to replace");
    m_rx->WriteDescriptor(m_rxNextUse, iova, 0, 0);
    uint32_t count = m_rxFetched;
    m_rxFetched = 0;
    FetchRxDescriptors(m_rxNextUse, count, m_dma->Doorbell(Simulator::Now()));
}

bool
VirtualFunction::ProvideRxBufferAddress(NicFrame* frame)
{
    NS_LOG_FUNCTION(this << frame->id);
    frame->dstVf = m_index;
    if (!HasFreeRxBuffer(frame->at))
    {
        FireStep({STEP_PROVIDE_RX_BUFFER_ADDRESS, frame->id, frame->srcVf, m_index, 0, 0,
                  frame->length, false});
        return false;
    }
    frame->rxSlot = m_rxNextUse;
    frame->rxIova = m_rxCacheAddr[m_rxNextUse];
    m_rxNextUse = m_rx->Next(m_rxNextUse);
    --m_rxFetched;
    FireStep({STEP_PROVIDE_RX_BUFFER_ADDRESS, frame->id, frame->srcVf, m_index, frame->rxIova, 0,
              frame->length, true});
    return true;
}

// ---- RX completion in ring order and step 11 ----

void
VirtualFunction::ScheduleDoneNotice(NicFrame* frame, Time at)
{
    NicFrameEvent::Schedule<VirtualFunction, &VirtualFunction::DoneNoticeArrived>(
        frame, GetContext(), at, this);
}

void
VirtualFunction::ScheduleWriteFault(NicFrame* frame)
{
    NicFrameEvent::Schedule<VirtualFunction, &VirtualFunction::WriteFaulted>(
        frame, GetContext(), Simulator::Now(), this);
}

void
VirtualFunction::DoneNoticeArrived(NicFrame* frame)
{
    NS_LOG_FUNCTION(this << frame->id);
    RetireRx(frame);
}

void
VirtualFunction::WriteFaulted(NicFrame* frame)
{
    NS_LOG_FUNCTION(this << frame->id);
    RetireRx(frame);
}

void
VirtualFunction::RetireRx(NicFrame* frame)
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
VirtualFunction::CompleteRx(NicFrame* frame)
{
    m_rxRetireNext = m_rx->Next(m_rxRetireNext);
    if (frame->write.fault)
    {
        CompleteWithError(frame);
        frame->owner->Drop(frame, SriovNic::DROP_IOMMU_FAULT);
        return;
    }
    NotifyGuest(frame, Simulator::Now());
}

void
VirtualFunction::NotifyGuest(NicFrame* frame, Time at)
{
    NS_LOG_FUNCTION(this << frame->id << at);
    DmaEngine* dma = m_dma;
    const uint32_t slot = frame->rxSlot;
    const uint64_t descAddr = m_rx->GetDescriptorAddress(slot);
    DmaEngine::Result wb = dma->Write(m_memory, descAddr, DescriptorRing::DESC_BYTES, at);
    NS_ABORT_MSG_IF(wb.fault, "VF " << m_index << ": RX ring not mapped in the VM's IOMMU domain");
    uint8_t d[DescriptorRing::DESC_BYTES] = {};
    DescriptorRing::Encode(d, frame->rxIova, uint16_t(frame->length), DescriptorRing::DESC_DONE);
    dma->Commit(m_memory, wb, d, DescriptorRing::DESC_BYTES);
    m_rx->SetDoneAt(slot, wb.done.GetTimeStep());
    DescriptorRing::Completion& info = m_rx->GetCompletion(slot);
    info.meta = frame->meta;
    info.sent = frame->sent.GetTimeStep();
    info.guestTx = frame->guestTx.GetTimeStep();
    info.iommu = (frame->iommu + wb.iommuTime).GetTimeStep();
    info.nic = frame->nic.GetTimeStep();
    FireStep(
        {STEP_NOTIFY_GUEST, frame->id, frame->srcVf, m_index, descAddr, 0, frame->length, true});
    m_nic->FreeFrame(frame);
    m_msix.CountCompletion(wb.done);
}

void
VirtualFunction::CompleteWithError(NicFrame* frame)
{
    NS_LOG_FUNCTION(this << frame->id);
    DmaEngine* dma = m_dma;
    const uint32_t slot = frame->rxSlot;
    DmaEngine::Result wb = dma->Write(m_memory, m_rx->GetDescriptorAddress(slot),
                                      DescriptorRing::DESC_BYTES, Simulator::Now());
    uint8_t d[DescriptorRing::DESC_BYTES] = {};
    DescriptorRing::Encode(d, frame->rxIova, 0,
                           DescriptorRing::DESC_DONE | DescriptorRing::DESC_ERROR);
    dma->Commit(m_memory, wb, d, DescriptorRing::DESC_BYTES);
    m_rx->SetDoneAt(slot, wb.done.GetTimeStep());
    m_rx->GetCompletion(slot).meta = nullptr;
    m_msix.CountCompletion(wb.done);
}

} // namespace ns3
