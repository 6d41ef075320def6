/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Forwarding mode vswitch-offload (see offload-forwarder.h).
 */
#include "offload-forwarder.h"

#include "ns3/abort.h"
#include "ns3/log.h"
#include "ns3/pcie-hierarchy.h"
#include "ns3/pcie-link.h"
#include "ns3/pointer.h"
#include "ns3/sriov-nic.h"
#include "ns3/virtual-function.h"
#include "ns3/virtual-switch.h"

namespace ns3 {

NS_LOG_COMPONENT_DEFINE("OffloadForwarder");
NS_OBJECT_ENSURE_REGISTERED(OffloadForwarder);

TypeId
OffloadForwarder::GetTypeId()
{
    static TypeId tid = TypeId("ns3::OffloadForwarder")
                            .SetParent<VfDmaForwarder>()
                            .SetGroupName("SriovVmcomm")
                            .AddConstructor<OffloadForwarder>();
    return tid;
}

OffloadForwarder::OffloadForwarder() = default;

OffloadForwarder::~OffloadForwarder() = default;

void
OffloadForwarder::DoDispose()
{
    m_vswitch = nullptr;
    VfDmaForwarder::DoDispose();
}

void
OffloadForwarder::SetVirtualSwitch(Ptr<VirtualSwitch> vswitch)
{
    NS_LOG_FUNCTION(this << vswitch);
    m_vswitch = vswitch;
}

Ptr<VirtualSwitch>
OffloadForwarder::GetVirtualSwitch() const
{
    return m_vswitch;
}

void
OffloadForwarder::Forward(NicFrame* frame, VirtualFunction& src)
{
    NS_LOG_FUNCTION(this << frame->id);
    NS_ABORT_MSG_IF(!m_vswitch, "OffloadForwarder: the NIC has no host virtual switch to ask "
                                "(SriovHelper::Install gives it)");
    // The upcall: the frame's header written to host memory, the switch told.
    Ptr<PcieLink> link = m_nic->GetPcieLink();
    const Time seen = link->DeviceWrite(64, frame->at) + m_nic->GetOffloadUpcallLatency();
    VswitchFrame up;
    up.src.CopyFrom(frame->bytes.data() + 6);
    up.dst.CopyFrom(frame->bytes.data());
    up.inPort = m_vswitch->GetRepresentorPort(m_nic->GetNicIndex(), src.GetIndex());
    NS_ABORT_MSG_IF(up.inPort == VirtualSwitch::PORT_NONE,
                    "OffloadForwarder: VF " << src.GetIndex() << " of NIC " << m_nic->GetNicIndex()
                                            << " has no representor in the host's switch");
    const Time decided = m_vswitch->Upcall(up, seen, m_nic->GetOffloadDecisionTime());
    // The answer written back to the NIC (MMIO); the VF waits for it.
    const Time answer = link->HostWrite(8, decided);
    frame->nic += answer - frame->at;
    frame->at = answer;

    // Step 4 takes the switch's answer.
    const bool peers = m_nic->GetHierarchy() != nullptr;
    uint32_t nic = 0;
    uint32_t vf = 0;
    VfMappingTable::Entry decision{0, 0, 0};
    const VfMappingTable::Entry* e = nullptr;
    const bool flood = up.outPort == VirtualSwitch::PORT_FLOOD;
    const bool represented = m_vswitch->GetRepresented(up.outPort, nic, vf);
    if (represented && vf != VirtualSwitch::REPRESENTED_UPLINK)
    {
        decision.vf = vf;
        decision.nic = nic;
        e = &decision;
    }
    TakeDestination(frame, src, e);
    if (!flood && !represented)
    {
        // Nowhere (the frame's own port), or a port the NIC cannot reach (the switch's virtio
        // ports or its software uplink).
        m_nic->Drop(frame, SriovNic::DROP_NO_DESTINATION);
        return;
    }
    ForwardToDestination(frame, src, e, peers, flood);
}

Time
OffloadForwarder::GetDecisionCoreTime() const
{
    // The host's switch has one upcall core for all its NICs: NIC 0 counts it.
    return m_vswitch && m_nic->GetNicIndex() == 0 ? m_vswitch->GetUpcallCoreTime() : Time(0);
}

Time
OffloadForwarder::GetDecisionCoreTimeSoFar() const
{
    return m_vswitch && m_nic->GetNicIndex() == 0 ? m_vswitch->GetUpcallCoreTimeSoFar() : Time(0);
}

} // namespace ns3
