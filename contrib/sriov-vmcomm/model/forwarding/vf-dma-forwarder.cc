/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Forwarding mode vf-dma (see vf-dma-forwarder.h).
 */
#include "vf-dma-forwarder.h"

#include "ns3/log.h"
#include "ns3/pcie-hierarchy.h"
#include "ns3/sriov-nic.h"

namespace ns3 {

NS_LOG_COMPONENT_DEFINE("VfDmaForwarder");
NS_OBJECT_ENSURE_REGISTERED(VfDmaForwarder);

TypeId
VfDmaForwarder::GetTypeId()
{
    static TypeId tid = TypeId("ns3::VfDmaForwarder")
                            .SetParent<NicForwarder>()
                            .SetGroupName("SriovVmcomm")
                            .AddConstructor<VfDmaForwarder>();
    return tid;
}

void
VfDmaForwarder::Forward(NicFrame* frame, VirtualFunction& src)
{
    NS_LOG_FUNCTION(this << frame->id);
    // VF-to-VF DMA reaches the VFs of every NIC of the host, peer to peer.
    ForwardByTable(frame, src, m_nic->GetHierarchy() != nullptr);
}

bool
VfDmaForwarder::ReachesPeerNics() const
{
    return true;
}

void
VfDmaForwarder::ForwardToVf(NicFrame* frame, VirtualFunction& src, SriovNic& nic,
                            VirtualFunction& dst)
{
    // The destination's NIC admits the frame to its VF's RX queue; the source VF then runs
    // steps 5 and 7 to 10 with the destination VF.
    nic.GetForwarder()->DeliverLocal(frame, &src, dst);
}

} // namespace ns3
