/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * VirtualSwitch's uplink port: the host NIC the switch sends off-host frames through (see
 * virtual-switch.h).
 */
// VirtualSwitch's uplink port: the host NIC device (a PF, or the host OS's NIC) whose received
// frames wait in the switch's bounded uplink queue (the RX ring the host polls or is interrupted
// for) until their core takes them, and out of which frames for other hosts leave. The rest of
// VirtualSwitch is in virtual-switch.cc.
#include "ns3/abort.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/simulator.h"
#include "vf-net-device.h"
#include "virtual-switch.h"

namespace ns3 {

NS_LOG_COMPONENT_DEFINE("VirtualSwitchUplink");

void
VirtualSwitch::SetUplinkQueueSize(uint32_t n)
{
    NS_LOG_FUNCTION(this << n);
    NS_ABORT_MSG_IF(m_uplinkQueue.GetSize() > 0,
                    "VirtualSwitch: UplinkQueueSize cannot change to "
                        << n << " while " << m_uplinkQueue.GetSize()
                        << " frames wait in the uplink queue; set it before traffic");
    m_uplinkQueue.Resize(n);
}

uint32_t
VirtualSwitch::GetUplinkQueueSize() const
{
    return m_uplinkQueue.GetCapacity();
}

uint32_t
VirtualSwitch::SetUplink(Ptr<NetDevice> device)
{
    NS_LOG_FUNCTION(this << device);
    NS_ABORT_MSG_IF(!device, "VirtualSwitch::SetUplink: null device");
    NS_ABORT_MSG_IF(m_uplinkPort != PORT_NONE, "VirtualSwitch::SetUplink: already has an uplink");
    NS_ABORT_MSG_IF(!device->SupportsSendFrom(),
                    "VirtualSwitch::SetUplink: the uplink device must support SendFrom");
    uint32_t index = m_scheduler.AddPort(&m_uplinkQueue);
    Port p;
    p.uplink = device;
    m_ports.push_back(p);
    m_uplinkPort = index;
    if (device->GetNode())
    {
        // As ns-3's BridgeNetDevice: a promiscuous handler, so the host's own stack still works.
        device->GetNode()->RegisterProtocolHandler(
            MakeCallback(&VirtualSwitch::UplinkReceive, this), 0, device, true);
    }
    else
    {
        device->SetPromiscReceiveCallback(MakeCallback(&VirtualSwitch::UplinkPromisc, this));
    }
    PollUplink();
    return index;
}

void
VirtualSwitch::PollUplink()
{
    // A poll-mode (DPDK) switch drives a PF uplink with its own PMD: no MSI-X on that queue.
    Ptr<VfNetDevice> pf = m_uplinkPort == PORT_NONE
                            ? nullptr
                            : DynamicCast<VfNetDevice>(m_ports[m_uplinkPort].uplink);
    if (pf)
    {
        pf->SetHostPolled(m_scheduler.GetParameters().poll);
    }
}

void
VirtualSwitch::SetUplinkHairpin(bool enable)
{
    NS_LOG_FUNCTION(this << enable);
    m_uplinkHairpin = enable;
}

Ptr<NetDevice>
VirtualSwitch::GetUplink() const
{
    return m_uplinkPort == PORT_NONE ? nullptr : m_ports[m_uplinkPort].uplink;
}

uint32_t
VirtualSwitch::GetUplinkPort() const
{
    return m_uplinkPort;
}

uint32_t
VirtualSwitch::GetUplinkQueueBacklog() const
{
    return m_uplinkQueue.GetSize();
}

void
VirtualSwitch::UplinkReceive(Ptr<NetDevice> device, Ptr<const Packet> packet, uint16_t protocol,
                             const Address& source, const Address& destination,
                             NetDevice::PacketType type)
{
    NS_LOG_FUNCTION(this << device << packet << protocol << source << destination << type);
    if (type == NetDevice::PACKET_HOST)
    {
        return; // for the host's own stack
    }
    ++m_counters.uplinkRx;
    Mac48Address to = Mac48Address::ConvertFrom(destination);
    Mac48Address from = Mac48Address::ConvertFrom(source);
    if (m_uplinkQueue.IsFull())
    {
        ++m_uplinkQueueDrops;
        ++m_drops[DROP_UPLINK_QUEUE_FULL];
        m_dropTrace(packet, m_uplinkPort, GetDropReasonName(DROP_UPLINK_QUEUE_FULL));
        return;
    }
    Time now = Simulator::Now();
    VswitchFrame& f = m_uplinkQueue.Push();
    f.packet = packet;
    f.src = from;
    f.dst = to;
    f.protocol = protocol;
    f.length = packet->GetSize() + 14;
    f.inPort = m_uplinkPort;
    f.sent = now;
    f.guestTx = Time(0);
    f.kick = Time(0);
    f.ready = now;
    f.host = Time(0);
    f.notify = Time(0);
    // The NIC's RX interrupt, unless the port is already being served (or polled).
    m_scheduler.Notify(m_uplinkPort, now, m_scheduler.NeedsKick(m_uplinkPort));
}

bool
VirtualSwitch::UplinkPromisc(Ptr<NetDevice> device, Ptr<const Packet> packet, uint16_t protocol,
                             const Address& source, const Address& destination,
                             NetDevice::PacketType type)
{
    UplinkReceive(device, packet, protocol, source, destination, type);
    return true;
}

} // namespace ns3
