/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The forwarding strategy's shared part (see nic-forwarder.h): forwarding by the mapping table
 * (step 4, flooding), delivery to a destination VF in RX queue order, and steps 5 and 7 to 10.
 */
#include "nic-forwarder.h"

#include "ns3/dma-engine.h"
#include "ns3/log.h"
#include "ns3/memory-domain.h"
#include "ns3/nic-frame-event.h"
#include "ns3/pcie-hierarchy.h"
#include "ns3/simulator.h"
#include "ns3/sriov-nic.h"
#include "ns3/virtual-function.h"

#include <algorithm>

namespace ns3 {

NS_LOG_COMPONENT_DEFINE("NicForwarder");
NS_OBJECT_ENSURE_REGISTERED(NicForwarder);

TypeId
NicForwarder::GetTypeId()
{
    static TypeId tid = TypeId("ns3::NicForwarder").SetParent<Object>().SetGroupName("SriovVmcomm");
    return tid;
}

NicForwarder::NicForwarder()
    : m_nic(nullptr)
{
}

NicForwarder::~NicForwarder() = default;

void
NicForwarder::DoDispose()
{
    m_nic = nullptr;
    m_held.clear();
    Object::DoDispose();
}

void
NicForwarder::SetNic(SriovNic* nic)
{
    m_nic = nic;
}

Time
NicForwarder::GetDecisionCoreTime() const
{
    return Time(0);
}

Time
NicForwarder::GetDecisionCoreTimeSoFar() const
{
    return Time(0);
}

// ---- Forwarding by the mapping table ----

const VfMappingTable::Entry*
NicForwarder::LookUpDestination(NicFrame* frame, VirtualFunction& src, bool peers)
{
    NS_LOG_FUNCTION(this << frame->id << src.GetIndex() << peers);
    const uint8_t* b = frame->bytes.data();
    uint16_t vlan = VfMappingTable::NO_VLAN;
    if (b[12] == 0x81 && b[13] == 0x00)
    {
        vlan = (uint16_t(b[14]) << 8 | b[15]) & 0x0fff;
    }
    const VfMappingTable::Entry* e = src.GetMappingTable()->Lookup(b, vlan);
    if (e && e->nic != m_nic->GetNicIndex() && !peers)
    {
        e = nullptr;
    }
    return TakeDestination(frame, src, e);
}

const VfMappingTable::Entry*
NicForwarder::TakeDestination(NicFrame* frame, VirtualFunction& src, const VfMappingTable::Entry* e)
{
    const Time lookup = m_nic->GetLookupLatency();
    frame->at += lookup;
    frame->nic += lookup;
    src.FireStep({STEP_LOOK_UP_DESTINATION, frame->id, src.GetIndex(), e ? e->vf : NicFrame::UPLINK,
                  frame->txIova, 0, frame->length, true});
    return e;
}

void
NicForwarder::ForwardByTable(NicFrame* frame, VirtualFunction& src, bool peers)
{
    const VfMappingTable::Entry* e = LookUpDestination(frame, src, peers);
    // Group bit: broadcast or multicast.
    ForwardToDestination(frame, src, e, peers, frame->bytes[0] & 0x01);
}

void
NicForwarder::ForwardToDestination(NicFrame* frame, VirtualFunction& src,
                                   const VfMappingTable::Entry* e, bool peers, bool flood)
{
    const uint8_t* b = frame->bytes.data();
    if (flood)
    {
        // Flood: a copy to every other VF in reach, the frame itself to the wire.
        const uint32_t nics = peers ? m_nic->GetHierarchy()->GetNNics() : 1;
        for (uint32_t n = 0; n < nics; ++n)
        {
            SriovNic* nic = peers ? m_nic->GetPeer(n) : m_nic;
            for (uint32_t i = 0; i < nic->GetNVfs(); ++i)
            {
                if (nic == m_nic && i == src.GetIndex())
                {
                    continue;
                }
                NicFrame* copy = m_nic->AllocateFrame();
                copy->srcVf = src.GetIndex();
                copy->dstVf = i;
                copy->bytes.assign(b, b + frame->length);
                copy->length = frame->length;
                copy->txIova = frame->txIova;
                copy->meta = frame->meta;
                copy->sent = frame->sent;
                copy->at = frame->at;
                copy->iommu = frame->iommu;
                copy->nic = frame->nic;
                ForwardToVf(copy, src, *nic, *nic->GetFunction(i));
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
    SriovNic* nic = m_nic->GetPeer(e->nic);
    ForwardToVf(frame, src, *nic, *nic->GetFunction(e->vf));
}

// ---- Delivery to a VF of this NIC ----

void
NicForwarder::DeliverLocal(NicFrame* frame, VirtualFunction* src, VirtualFunction& dst)
{
    NS_LOG_FUNCTION(this << frame->id << src << dst.GetIndex());
    const uint32_t vf = dst.GetIndex();
    if (IsHolding(vf))
    {
        // The RX queue is served in order: a frame may not take a buffer before the frames
        // held for it (Hold policy) have theirs.
        frame->dstNic = m_nic;
        frame->dstVf = vf;
        Hold(frame);
        return;
    }
    Deliver(frame, src, dst);
}

void
NicForwarder::Deliver(NicFrame* frame, VirtualFunction* src, VirtualFunction& dst)
{
    NS_LOG_FUNCTION(this << frame->id << src << dst.GetIndex());
    frame->at = std::max(frame->at, Simulator::Now()); // a held frame resumes now
    frame->dstNic = m_nic;
    if (frame->length > dst.GetRxBufferBytes())
    {
        m_nic->Drop(frame, SriovNic::DROP_FRAME_TOO_LARGE);
        return;
    }
    const bool ok = src ? SendLengthToPeer(frame, *src, dst) : dst.ProvideRxBufferAddress(frame);
    if (!ok)
    {
        if (m_nic->GetNoRxBufferPolicy() == SriovNic::POLICY_HOLD)
        {
            Hold(frame);
        }
        else
        {
            m_nic->Drop(frame, SriovNic::DROP_NO_RX_BUFFER);
        }
        return;
    }
    StartDmaWrite(frame, src ? *src : dst, dst);
}

void
NicForwarder::Hold(NicFrame* frame)
{
    NS_LOG_FUNCTION(this << frame->id);
    if (frame->dstVf >= m_held.size())
    {
        m_held.resize(frame->dstVf + 1);
    }
    auto& q = m_held[frame->dstVf];
    if (q.size() >= m_nic->GetHoldQueueFrames())
    {
        m_nic->Drop(frame, SriovNic::DROP_HOLD_QUEUE_FULL);
        return;
    }
    q.push_back(frame);
}

void
NicForwarder::BuffersAvailable(uint32_t vf, Time at)
{
    if (IsHolding(vf))
    {
        Simulator::Schedule(at - Simulator::Now(), &NicForwarder::RetryHeld, this, vf);
    }
}

void
NicForwarder::RetryHeld(uint32_t vf)
{
    NS_LOG_FUNCTION(this << vf);
    auto& q = m_held[vf];
    VirtualFunction& dst = *m_nic->GetFunction(vf);
    // In order: stop at the first frame that still finds no buffer.
    while (!q.empty() && dst.HasFreeRxBuffer(Simulator::Now()))
    {
        NicFrame* frame = q.front();
        q.pop_front();
        Deliver(frame,
                frame->srcVf == NicFrame::UPLINK ? nullptr
                                                 : frame->owner->GetFunction(frame->srcVf),
                dst);
    }
}

// ---- Steps 5 and 7 to 10 ----

bool
NicForwarder::SendLengthToPeer(NicFrame* frame, VirtualFunction& src, VirtualFunction& dst)
{
    NS_LOG_FUNCTION(this << frame->id << src.GetIndex() << dst.GetIndex());
    SriovNic& srcNic = *src.GetNic();
    SriovNic& dstNic = *dst.GetNic();
    frame->dstVf = dst.GetIndex();
    // On-chip handling counts as NIC time; a peer-to-peer crossing, as PCIe time.
    frame->at = srcNic.SendVfMessage(dstNic, dst.GetIndex(), src.GetMemory()->GetIommuDomain(),
                                     frame->at);
    frame->nic += srcNic.GetVfMessageLatency();
    src.FireStep({STEP_SEND_LENGTH_TO_PEER, frame->id, src.GetIndex(), frame->dstVf, 0, 0,
                  frame->length, true});
    const bool ok = dst.ProvideRxBufferAddress(frame);
    // Step 6's answer travels back to the source VF.
    frame->at = dstNic.SendVfMessage(srcNic, src.GetIndex(), dst.GetMemory()->GetIommuDomain(),
                                     frame->at);
    frame->nic += dstNic.GetVfMessageLatency();
    return ok;
}

void
NicForwarder::StartDmaWrite(NicFrame* frame, VirtualFunction& writer, VirtualFunction& dst)
{
    NS_LOG_FUNCTION(this << frame->id << writer.GetIndex() << dst.GetIndex());
    frame->write
        = writer.GetDmaEngine()->Write(dst.GetMemory(), frame->rxIova, frame->length, frame->at);
    frame->iommu += frame->write.iommuTime;
    frame->writer = &writer;
    writer.FireStep({STEP_START_DMA_WRITE, frame->id, frame->srcVf, frame->dstVf, frame->rxIova, 0,
                     frame->length, true});
    NicFrameEvent::Schedule<NicForwarder, &NicForwarder::DmaWritten>(frame, writer.GetContext(),
                                                                     frame->write.done, this);
}

void
NicForwarder::DmaWritten(NicFrame* frame)
{
    NS_LOG_FUNCTION(this << frame->id);
    VirtualFunction& writer = *frame->writer;
    VirtualFunction& dst = *frame->dstNic->GetFunction(frame->dstVf);
    if (!TranslateWrite(frame, writer))
    {
        // The destination VF completes the slot with an error, in its own context.
        dst.ScheduleWriteFault(frame);
        return;
    }
    WriteIntoDestination(frame, writer, dst);
    NotifyTransferDone(frame, writer, dst);
}

bool
NicForwarder::TranslateWrite(NicFrame* frame, VirtualFunction& writer)
{
    const bool ok = !frame->write.fault;
    writer.FireStep({STEP_TRANSLATE_WRITE, frame->id, frame->srcVf, frame->dstVf, frame->rxIova,
                     frame->write.hpa, frame->length, ok});
    return ok;
}

void
NicForwarder::WriteIntoDestination(NicFrame* frame, VirtualFunction& writer, VirtualFunction& dst)
{
    writer.GetDmaEngine()->Commit(dst.GetMemory(), frame->write, frame->bytes.data(),
                                  frame->length);
    writer.FireStep({STEP_WRITE_INTO_DESTINATION, frame->id, frame->srcVf, frame->dstVf,
                     frame->rxIova, frame->write.hpa, frame->length, true});
}

void
NicForwarder::NotifyTransferDone(NicFrame* frame, VirtualFunction& writer, VirtualFunction& dst)
{
    writer.FireStep({STEP_NOTIFY_TRANSFER_DONE, frame->id, frame->srcVf, frame->dstVf,
                     frame->rxIova, 0, frame->length, true});
    SriovNic& nic = *writer.GetNic();
    frame->nic += nic.GetVfMessageLatency();
    // Step 11 starts when the notice arrives (so its trace fires then).
    dst.ScheduleDoneNotice(frame, nic.SendVfMessage(*dst.GetNic(), dst.GetIndex(),
                                                    writer.GetMemory()->GetIommuDomain(),
                                                    Simulator::Now()));
}

} // namespace ns3
