/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Forwarding mode vswitch-offload (see offload-forwarder.h).
 */
#include "offload-forwarder.h"

#include "ns3/abort.h"
#include "ns3/log.h"
#include "ns3/pcie-link.h"
#include "ns3/simulator.h"
#include "ns3/sriov-nic.h"

#include <algorithm>

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

OffloadForwarder::OffloadForwarder()
    : m_coreTime(Time(0))
{
}

void
OffloadForwarder::Forward(NicFrame* frame, VirtualFunction& src)
{
    NS_LOG_FUNCTION(this << frame->id);
    // The host's virtual switch holds the table and decides; the VF waits for its answer.
    const Time answer = AskVirtualSwitch(frame->at);
    frame->nic += answer - frame->at;
    frame->at = answer;
    VfDmaForwarder::Forward(frame, src);
}

Time
OffloadForwarder::AskVirtualSwitch(Time at)
{
    Ptr<PcieLink> link = m_nic->GetPcieLink();
    const Time seen = link->DeviceWrite(64, at) + m_nic->GetOffloadUpcallLatency();
    const Time decision = m_nic->GetOffloadDecisionTime();
    // The host has one virtual switch: the NICs of a hierarchy share NIC 0's deciding core.
    SriovNic* nic0 = m_nic->GetPeer(0);
    NS_ABORT_MSG_IF(nic0->GetForwarding() != SriovNic::FORWARD_OFFLOAD,
                    "OffloadForwarder: NIC 0 of the host does not forward by Offload");
    auto* host = static_cast<OffloadForwarder*>(PeekPointer(nic0->GetForwarder()));
    const Time start = TimeStep(host->m_core.Reserve(seen.GetTimeStep(), decision.GetTimeStep(),
                                                     Simulator::Now().GetTimeStep()));
    host->m_coreTime += decision;
    return link->HostWrite(8, start + decision);
}

Time
OffloadForwarder::GetDecisionCoreTime() const
{
    return m_coreTime;
}

Time
OffloadForwarder::GetDecisionCoreTimeSoFar() const
{
    const int64_t ahead = m_core.GetBusyAfter(Simulator::Now().GetTimeStep());
    return std::max(Time(0), m_coreTime - TimeStep(ahead));
}

} // namespace ns3
