/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The cable of a full-duplex point-to-point Ethernet link (an "Ethernet link" is this channel and
 * the two EthernetNetDevices at its ends) (see ethernet-channel.h).
 */
#include "ethernet-channel.h"

#include "ethernet-net-device.h"
#include "ns3/abort.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/simulator.h"

namespace ns3 {

NS_LOG_COMPONENT_DEFINE("EthernetChannel");

NS_OBJECT_ENSURE_REGISTERED(EthernetChannel);

TypeId
EthernetChannel::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::EthernetChannel")
              .SetParent<Channel>()
              .SetGroupName("SriovVmcomm")
              .AddConstructor<EthernetChannel>()
              .AddAttribute("Delay",
                            "One-way propagation delay (s). Default: estimate, a 2 m direct-attach "
                            "cable from a server to its top-of-rack switch at about 5 ns/m.",
                            TimeValue(NanoSeconds(10)), MakeTimeAccessor(&EthernetChannel::m_delay),
                            MakeTimeChecker(Time(0)));
    return tid;
}

EthernetChannel::EthernetChannel()
    : m_nDevices(0)
{
    NS_LOG_FUNCTION(this);
}

void
EthernetChannel::DoDispose()
{
    m_device[0] = nullptr;
    m_device[1] = nullptr;
    m_nDevices = 0;
    Channel::DoDispose();
}

void
EthernetChannel::Attach(Ptr<EthernetNetDevice> device)
{
    NS_LOG_FUNCTION(this << device);
    NS_ABORT_MSG_IF(!device, "EthernetChannel::Attach: null device");
    NS_ABORT_MSG_IF(m_nDevices == 2, "EthernetChannel::Attach: both ends are already attached");
    m_device[m_nDevices++] = device;
    if (m_nDevices == 2)
    {
        m_device[0]->NotifyLinkUp();
        m_device[1]->NotifyLinkUp();
    }
}

bool
EthernetChannel::TransmitStart(Ptr<Packet> packet, Ptr<EthernetNetDevice> source, Time frameTime)
{
    if (m_nDevices < 2)
    {
        return false;
    }
    Ptr<EthernetNetDevice> peer = m_device[0] == source ? m_device[1] : m_device[0];
    Ptr<Node> node = peer->GetNode();
    // The receive event runs in the peer node's context, as in ns-3's point-to-point channel.
    uint32_t context = node ? node->GetId() : Simulator::GetContext();
    // The frame's last bit leaves the sender's MAC, crosses its PHY, the cable and the peer's
    // PHY (PhyLatency of each end: pipelined, the line is free again at the end of the gap).
    const Time arrival = frameTime + source->GetPhyLatency() + m_delay + peer->GetPhyLatency();
    Simulator::ScheduleWithContext(context, arrival, &EthernetNetDevice::Receive, peer, packet);
    return true;
}

Time
EthernetChannel::GetDelay() const
{
    return m_delay;
}

Ptr<EthernetNetDevice>
EthernetChannel::GetPeer(Ptr<const EthernetNetDevice> device) const
{
    if (m_nDevices < 2)
    {
        return nullptr;
    }
    return m_device[0] == device ? m_device[1] : m_device[0];
}

std::size_t
EthernetChannel::GetNDevices() const
{
    return m_nDevices;
}

Ptr<NetDevice>
EthernetChannel::GetDevice(std::size_t i) const
{
    NS_ABORT_MSG_IF(i >= m_nDevices, "EthernetChannel::GetDevice: index " << i << " out of range");
    return m_device[i];
}

} // namespace ns3
