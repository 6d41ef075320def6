/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Forwarding mode veb (see veb-forwarder.h).
 */
#include "veb-forwarder.h"

#include "ns3/log.h"
#include "ns3/sriov-nic.h"
#include "ns3/virtual-function.h"

namespace ns3 {

NS_LOG_COMPONENT_DEFINE("VebForwarder");
NS_OBJECT_ENSURE_REGISTERED(VebForwarder);

TypeId
VebForwarder::GetTypeId()
{
    static TypeId tid = TypeId("ns3::VebForwarder")
                            .SetParent<NicForwarder>()
                            .SetGroupName("SriovVmcomm")
                            .AddConstructor<VebForwarder>();
    return tid;
}

void
VebForwarder::Forward(NicFrame* frame, VirtualFunction& src)
{
    NS_LOG_FUNCTION(this << frame->id);
    // The embedded switch of a veb NIC reaches its own VFs only.
    ForwardByTable(frame, src, false);
}

bool
VebForwarder::ReachesPeerNics() const
{
    return false;
}

void
VebForwarder::ForwardToVf(NicFrame* frame, VirtualFunction& /* src: not in the transfer */,
                          SriovNic& /* nic: m_nic */, VirtualFunction& dst)
{
    NS_LOG_FUNCTION(this << frame->id << dst.GetIndex());
    if (!m_nic->ReserveEswitchBuffer(frame))
    {
        m_nic->Drop(frame, SriovNic::DROP_ESWITCH_FULL);
        return;
    }
    const Time latency = m_nic->GetEswitchLatency();
    frame->at += latency;
    frame->nic += latency;
    frame->dstVf = dst.GetIndex();
    // The destination VF's RX engine writes the frame (no sending VF in the transfer).
    DeliverLocal(frame, nullptr, dst);
}

} // namespace ns3
