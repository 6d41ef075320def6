/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Forwarding mode vepa (see vepa-forwarder.h).
 */
#include "vepa-forwarder.h"

#include "ns3/abort.h"
#include "ns3/log.h"
#include "ns3/sriov-nic.h"
#include "ns3/virtual-function.h"

namespace ns3 {

NS_LOG_COMPONENT_DEFINE("VepaForwarder");
NS_OBJECT_ENSURE_REGISTERED(VepaForwarder);

TypeId
VepaForwarder::GetTypeId()
{
    static TypeId tid = TypeId("ns3::VepaForwarder")
                            .SetParent<NicForwarder>()
                            .SetGroupName("SriovVmcomm")
                            .AddConstructor<VepaForwarder>();
    return tid;
}

void
VepaForwarder::Forward(NicFrame* frame, VirtualFunction& src)
{
    NS_LOG_FUNCTION(this << frame->id);
    // Reflective relay: the adjacent switch forwards, even between VFs of this NIC.
    src.FireStep({STEP_LOOK_UP_DESTINATION, frame->id, src.GetIndex(), NicFrame::UPLINK,
                  frame->txIova, 0, frame->length, true});
    m_nic->SendToUplink(frame);
}

bool
VepaForwarder::ReachesPeerNics() const
{
    return false;
}

void
VepaForwarder::ForwardToVf(NicFrame* /* frame */, VirtualFunction& /* src */, SriovNic& /* nic */,
                           VirtualFunction& /* dst */)
{
    NS_ABORT_MSG("VepaForwarder: a vepa NIC does not forward between its VFs");
}

} // namespace ns3
