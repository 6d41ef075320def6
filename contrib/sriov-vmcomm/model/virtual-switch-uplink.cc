/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * VirtualSwitch's uplink port: the host NIC the switch sends off-host frames through (see
 * virtual-switch.h).
 */
// VirtualSwitch's uplink ports: the host NIC devices (a PF, or the host OS's NIC) whose received
// frames wait in the switch's bounded uplink queues (one per uplink) (the RX ring the host polls or
// is interrupted for) until their core takes them, and out of which frames for other hosts leave.
// The rest of VirtualSwitch is in virtual-switch.cc.
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
    NS_ABORT_MSG_IF(GetUplinkQueueBacklog() > 0,
                    "VirtualSwitch: UplinkQueueSize cannot change to "
                        << n << " while " << GetUplinkQueueBacklog()
                        << " frames wait in the uplink queues; set it before traffic");
    m_uplinkQueue.Resize(n);
    for (Virtqueue& q : m_extraUplinkQueues)
    {
        q.Resize(n);
    }
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
    NS_ABORT_MSG_IF(m_uplinkPort != PORT_NONE,
                    "VirtualSwitch::SetUplink: already has an uplink (more: AddUplink)");
    return AddUplink(device);
}

uint32_t
VirtualSwitch::AddUplink(Ptr<NetDevice> device)
{
    NS_LOG_FUNCTION(this << device);
    NS_ABORT_MSG_IF(!device, "VirtualSwitch::AddUplink: null device");
    NS_ABORT_MSG_IF(!device->SupportsSendFrom(),
                    "VirtualSwitch::AddUplink: the uplink device must support SendFrom");
    for (uint32_t port : m_uplinkPorts)
    {
        NS_ABORT_MSG_IF(m_ports[port].uplink == device,
                        "VirtualSwitch::AddUplink: the device is already uplink port " << port);
    }
    Virtqueue* queue = &m_uplinkQueue;
    if (m_uplinkPort != PORT_NONE)
    {
        // A further uplink: its own ring, as large as the first's.
        queue = &m_extraUplinkQueues.emplace_back();
        queue->Resize(m_uplinkQueue.GetCapacity());
    }
    uint32_t index = m_scheduler.AddPort(queue);
    Port p;
    p.uplink = device;
    p.uplinkQueue = queue;
    m_ports.push_back(p);
    if (m_uplinkPort == PORT_NONE)
    {
        m_uplinkPort = index;
    }
    m_uplinkPorts.push_back(index);
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

uint32_t
VirtualSwitch::GetNUplinks() const
{
    return m_uplinkPorts.size();
}

uint32_t
VirtualSwitch::GetUplinkPortByIndex(uint32_t i) const
{
    NS_ABORT_MSG_IF(i >= m_uplinkPorts.size(),
                    "VirtualSwitch::GetUplinkPortByIndex: " << i << " of " << m_uplinkPorts.size());
    return m_uplinkPorts[i];
}

void
VirtualSwitch::PollUplink()
{
    // A poll-mode (DPDK) switch drives a PF uplink with its own PMD: no MSI-X on that queue.
    for (uint32_t port : m_uplinkPorts)
    {
        if (Ptr<VfNetDevice> pf = DynamicCast<VfNetDevice>(m_ports[port].uplink))
        {
            pf->SetHostPolled(m_scheduler.GetParameters().poll);
        }
    }
}

Ptr<NetDevice>
VirtualSwitch::GetUplink() const
{
    return m_uplinkPort == PORT_NONE ? nullptr : m_ports[m_uplinkPort].uplink;
}

Ptr<NetDevice>
VirtualSwitch::GetUplinkByIndex(uint32_t i) const
{
    return m_ports[GetUplinkPortByIndex(i)].uplink;
}

uint32_t
VirtualSwitch::GetUplinkPort() const
{
    return m_uplinkPort;
}

uint32_t
VirtualSwitch::GetUplinkQueueBacklog() const
{
    uint32_t n = m_uplinkQueue.GetSize();
    for (const Virtqueue& q : m_extraUplinkQueues)
    {
        n += q.GetSize();
    }
    return n;
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
    // The uplink it came by: the first, unless the switch has several.
    uint32_t port = m_uplinkPort;
    for (std::size_t i = 1; m_ports[port].uplink != device && i < m_uplinkPorts.size(); ++i)
    {
        port = m_uplinkPorts[i];
    }
    Port& in = m_ports[port];
    Mac48Address to = Mac48Address::ConvertFrom(destination);
    Mac48Address from = Mac48Address::ConvertFrom(source);
    if (in.uplinkQueue->IsFull())
    {
        ++in.uplinkQueueDrops;
        ++m_drops[DROP_UPLINK_QUEUE_FULL];
        m_dropTrace(packet, port, GetDropReasonName(DROP_UPLINK_QUEUE_FULL));
        return;
    }
    Time now = Simulator::Now();
    VswitchFrame& f = in.uplinkQueue->Push();
    f.packet = packet;
    f.src = from;
    f.dst = to;
    f.protocol = protocol;
    f.length = packet->GetSize() + 14;
    f.inPort = port;
    f.sent = now;
    f.guestTx = Time(0);
    f.kick = Time(0);
    f.ready = now;
    f.host = Time(0);
    f.notify = Time(0);
    // The NIC's RX interrupt, unless the port is already being served (or polled).
    m_scheduler.Notify(port, now, m_scheduler.NeedsKick(port));
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
