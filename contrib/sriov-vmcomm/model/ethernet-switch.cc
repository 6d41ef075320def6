/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * A store-and-forward L2 switch (IEEE 802.1Q bridge) whose ports are EthernetNetDevices of one
 * node; the switch is aggregated to that node (EthernetHelper::InstallSwitch) (see
 * ethernet-switch.h).
 */
#include "ethernet-switch.h"

#include "ns3/abort.h"
#include "ns3/boolean.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/simulator.h"
#include "ns3/trace-source-accessor.h"

namespace ns3 {

NS_LOG_COMPONENT_DEFINE("EthernetSwitch");

NS_OBJECT_ENSURE_REGISTERED(EthernetSwitch);

uint64_t
EthernetSwitch::PortCounters::GetTotalDrops() const
{
    uint64_t sum = 0;
    for (uint64_t d : drops)
    {
        sum += d;
    }
    return sum;
}

const char*
EthernetSwitch::GetDropReasonName(DropReason reason)
{
    switch (reason)
    {
        case DROP_QUEUE_FULL:
            return "queue-full";
        case DROP_VLAN_INGRESS:
            return "vlan-ingress";
        case DROP_SAME_PORT:
            return "same-port";
        case DROP_VLAN_EGRESS:
            return "vlan-egress";
        case DROP_NO_EGRESS:
            return "no-egress";
        case DROP_TOO_LARGE:
            return "too-large";
        case DROP_LINK_DOWN:
            return "link-down";
        default:
            return "unknown";
    }
}

TypeId
EthernetSwitch::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::EthernetSwitch")
              .SetParent<Object>()
              .SetGroupName("SriovVmcomm")
              .AddConstructor<EthernetSwitch>()
              .AddAttribute(
                  "Latency",
                  "Pipeline latency (s) from a frame's last received bit to its queueing "
                  "on the egress port (store-and-forward). Default: estimate, of the order "
                  "of the port-to-port latency of datacenter top-of-rack switches "
                  "(0.3-1 us published for 10-100GbE merchant-silicon switches).",
                  TimeValue(NanoSeconds(500)), MakeTimeAccessor(&EthernetSwitch::m_latency),
                  MakeTimeChecker(Time(0)))
              .AddAttribute(
                  "AgingTime",
                  "Time (s) a learned address stays in the forwarding table without "
                  "being seen again. Default: 300 s, IEEE 802.1Q's recommended ageing "
                  "time.",
                  TimeValue(Seconds(300)),
                  MakeTimeAccessor(&EthernetSwitch::SetAgingTime, &EthernetSwitch::GetAgingTime),
                  MakeTimeChecker(Time(0)))
              .AddAttribute("Learning",
                            "Learn source addresses (default true; false: static entries only, "
                            "everything else is flooded).",
                            BooleanValue(true), MakeBooleanAccessor(&EthernetSwitch::m_learning),
                            MakeBooleanChecker())
              .AddTraceSource("Rx", "A frame was received on a port (payload)",
                              MakeTraceSourceAccessor(&EthernetSwitch::m_rxTrace),
                              "ns3::EthernetSwitch::PortPacketTracedCallback")
              .AddTraceSource("Tx", "A frame was queued on an egress port (MAC header included)",
                              MakeTraceSourceAccessor(&EthernetSwitch::m_txTrace),
                              "ns3::EthernetSwitch::PortPacketTracedCallback")
              .AddTraceSource("Reflect",
                              "A frame was sent back out its ingress port (reflective relay)",
                              MakeTraceSourceAccessor(&EthernetSwitch::m_reflectTrace),
                              "ns3::EthernetSwitch::PortPacketTracedCallback")
              .AddTraceSource("Drop", "A frame was dropped: port counted on, packet, reason",
                              MakeTraceSourceAccessor(&EthernetSwitch::m_dropTrace),
                              "ns3::EthernetSwitch::DropTracedCallback")
              .AddTraceSource("Learn", "An address was learned or moved to another port",
                              MakeTraceSourceAccessor(&EthernetSwitch::m_learnTrace),
                              "ns3::EthernetSwitch::LearnTracedCallback");
    return tid;
}

EthernetSwitch::EthernetSwitch()
    : m_latency(NanoSeconds(500))
    , m_learning(true)
{
    NS_LOG_FUNCTION(this);
}

EthernetSwitch::~EthernetSwitch()
{
    NS_LOG_FUNCTION(this);
}

void
EthernetSwitch::DoDispose()
{
    NS_LOG_FUNCTION(this);
    for (Port& p : m_ports)
    {
        p.device->SetFrameReceiveCallback(EthernetNetDevice::FrameReceiveCallback());
        p.device = nullptr;
    }
    m_ports.clear();
    m_table.Clear();
    Object::DoDispose();
}

void
EthernetSwitch::SetAgingTime(Time agingTime)
{
    NS_LOG_FUNCTION(this << agingTime);
    m_table.SetAgingTime(agingTime);
}

Time
EthernetSwitch::GetAgingTime() const
{
    return m_table.GetAgingTime();
}

uint32_t
EthernetSwitch::AddPort(Ptr<EthernetNetDevice> port)
{
    NS_LOG_FUNCTION(this << port);
    NS_ABORT_MSG_IF(!port, "EthernetSwitch::AddPort: null device");
    for (const Port& p : m_ports)
    {
        NS_ABORT_MSG_IF(p.device == port, "EthernetSwitch::AddPort: device is already a port");
    }
    Ptr<Node> node = GetNode();
    NS_ABORT_MSG_IF(node && port->GetNode() && port->GetNode() != node,
                    "EthernetSwitch::AddPort: the device is on another node");
    uint32_t index = m_ports.size();
    Port p;
    p.device = port;
    m_ports.push_back(p);
    port->SetFrameReceiveCallback(MakeCallback(&EthernetSwitch::PortReceive, this, index));
    return index;
}

uint32_t
EthernetSwitch::GetNPorts() const
{
    return m_ports.size();
}

Ptr<EthernetNetDevice>
EthernetSwitch::GetPort(uint32_t i) const
{
    NS_ABORT_MSG_IF(i >= m_ports.size(), "EthernetSwitch: port " << i << " out of range");
    return m_ports[i].device;
}

uint32_t
EthernetSwitch::GetPortIndex(Ptr<const NetDevice> device) const
{
    for (uint32_t i = 0; i < m_ports.size(); ++i)
    {
        if (m_ports[i].device == device)
        {
            return i;
        }
    }
    NS_ABORT_MSG("EthernetSwitch::GetPortIndex: the device is not a port of this switch");
    return 0;
}

Ptr<Node>
EthernetSwitch::GetNode() const
{
    return GetObject<Node>();
}

EthernetSwitch::Port&
EthernetSwitch::GetPortChecked(uint32_t port)
{
    NS_ABORT_MSG_IF(port >= m_ports.size(), "EthernetSwitch: port " << port << " out of range");
    return m_ports[port];
}

void
EthernetSwitch::SetPortAccess(uint32_t port, uint16_t vlan)
{
    NS_ABORT_MSG_IF(vlan == 0 || vlan > 4094,
                    "EthernetSwitch::SetPortAccess: VLAN " << vlan << " out of range 1..4094");
    Port& p = GetPortChecked(port);
    p.trunk = false;
    p.accessVlan = vlan;
    p.nativeVlan = EthernetFrameHeader::NO_VLAN;
    p.allVlans = true;
    p.allowed.clear();
}

void
EthernetSwitch::SetPortTrunk(uint32_t port, const std::vector<uint16_t>& allowed,
                             uint16_t nativeVlan)
{
    NS_ABORT_MSG_IF(nativeVlan != EthernetFrameHeader::NO_VLAN
                        && (nativeVlan == 0 || nativeVlan > 4094),
                    "EthernetSwitch::SetPortTrunk: native VLAN " << nativeVlan << " out of range");
    Port& p = GetPortChecked(port);
    p.trunk = true;
    p.nativeVlan = nativeVlan;
    p.allVlans = allowed.empty();
    p.allowed.assign(allowed.empty() ? 0 : 4096, false);
    for (uint16_t v : allowed)
    {
        NS_ABORT_MSG_IF(v == 0 || v > 4094,
                        "EthernetSwitch::SetPortTrunk: VLAN " << v << " out of range 1..4094");
        p.allowed[v] = true;
    }
}

bool
EthernetSwitch::IsPortInVlan(uint32_t port, uint16_t vlan) const
{
    const Port& p = m_ports.at(port);
    if (!p.trunk)
    {
        return vlan == p.accessVlan;
    }
    return vlan == p.nativeVlan || (vlan < 4095 && (p.allVlans || p.allowed[vlan]));
}

void
EthernetSwitch::SetReflectiveRelay(uint32_t port, bool enable)
{
    GetPortChecked(port).reflectiveRelay = enable;
}

bool
EthernetSwitch::GetReflectiveRelay(uint32_t port) const
{
    return m_ports.at(port).reflectiveRelay;
}

void
EthernetSwitch::AddStaticEntry(Mac48Address address, uint16_t vlan, uint32_t port)
{
    NS_LOG_FUNCTION(this << address << vlan << port);
    GetPortChecked(port);
    m_table.AddStaticEntry(address, vlan, port);
}

bool
EthernetSwitch::RemoveEntry(Mac48Address address, uint16_t vlan)
{
    return m_table.Remove(address, vlan);
}

void
EthernetSwitch::FlushLearnedEntries()
{
    m_table.FlushLearned();
}

bool
EthernetSwitch::Lookup(Mac48Address address, uint16_t vlan, uint32_t& port) const
{
    return m_table.Lookup(address, vlan, Simulator::Now(), port);
}

std::size_t
EthernetSwitch::GetNEntries() const
{
    return m_table.GetNEntries();
}

const EthernetSwitch::PortCounters&
EthernetSwitch::GetPortCounters(uint32_t port) const
{
    return m_ports.at(port).counters;
}

uint64_t
EthernetSwitch::GetDrops(DropReason reason) const
{
    uint64_t sum = 0;
    for (const Port& p : m_ports)
    {
        sum += p.counters.drops[reason];
    }
    return sum;
}

uint64_t
EthernetSwitch::GetTotalDrops() const
{
    uint64_t sum = 0;
    for (const Port& p : m_ports)
    {
        sum += p.counters.GetTotalDrops();
    }
    return sum;
}

void
EthernetSwitch::Drop(uint32_t port, Ptr<const Packet> packet, DropReason reason)
{
    ++m_ports[port].counters.drops[reason];
    NS_LOG_LOGIC(this << " port " << port << " drop " << GetDropReasonName(reason));
    m_dropTrace(port, packet, GetDropReasonName(reason));
}

void
EthernetSwitch::PortReceive(uint32_t index,
                            Ptr<EthernetNetDevice> /* device: the port, given by index */,
                            Ptr<Packet> payload, const EthernetFrameHeader& header)
{
    NS_LOG_FUNCTION(this << index << payload << header);
    Port& in = m_ports[index];
    ++in.counters.rxFrames;
    m_rxTrace(index, payload);

    // Ingress: the frame's VLAN. Untagged and priority-tagged (VLAN 0) frames take the port's.
    uint16_t vlan = header.GetVlanId();
    if (vlan == EthernetFrameHeader::NO_VLAN || vlan == 0)
    {
        vlan = in.trunk ? in.nativeVlan : in.accessVlan;
        if (vlan == EthernetFrameHeader::NO_VLAN)
        {
            Drop(index, payload, DROP_VLAN_INGRESS);
            return;
        }
    }
    else if (!IsPortInVlan(index, vlan))
    {
        Drop(index, payload, DROP_VLAN_INGRESS);
        return;
    }

    const Mac48Address source = header.GetSource();
    // A station that is new, moved, or whose entry had aged out is reported.
    if (m_learning && !source.IsGroup()
        && m_table.Learn(source, vlan, index, Simulator::Now()) == MacForwardingTable::LEARN_NEW)
    {
        m_learnTrace(source, vlan, index);
    }

    EthernetFrameHeader h = header;
    h.SetVlanId(vlan);
    if (m_latency.IsZero())
    {
        Forward(index, payload, h);
    }
    else
    {
        ++m_inPipeline;
        Simulator::Schedule(m_latency, &EthernetSwitch::PipelineDone, this, index, payload, h);
    }
}

uint32_t
EthernetSwitch::GetFramesInPipeline() const
{
    return m_inPipeline;
}

void
EthernetSwitch::PipelineDone(uint32_t in, Ptr<Packet> payload, EthernetFrameHeader header)
{
    --m_inPipeline;
    Forward(in, payload, header);
}

void
EthernetSwitch::Forward(uint32_t in, Ptr<Packet> payload, EthernetFrameHeader header)
{
    const uint16_t vlan = header.GetVlanId();
    const Mac48Address destination = header.GetDestination();
    uint32_t out;
    if (!destination.IsBroadcast() && Lookup(destination, vlan, out))
    {
        if (out == in && !m_ports[in].reflectiveRelay)
        {
            Drop(in, payload, DROP_SAME_PORT);
        }
        else if (!IsPortInVlan(out, vlan))
        {
            Drop(out, payload, DROP_VLAN_EGRESS);
        }
        else
        {
            Output(out, in, payload, header);
        }
        return;
    }

    // Flood within the VLAN; back out of the ingress port only with reflective relay.
    m_floodPorts.clear();
    for (uint32_t i = 0; i < m_ports.size(); ++i)
    {
        if ((i != in || m_ports[i].reflectiveRelay) && m_ports[i].device->IsLinkUp()
            && IsPortInVlan(i, vlan))
        {
            m_floodPorts.push_back(i);
        }
    }
    if (m_floodPorts.empty())
    {
        Drop(in, payload, DROP_NO_EGRESS);
        return;
    }
    ++m_ports[in].counters.floodedFrames;
    // Copies share the bytes (copy on write); the last port takes the original.
    const std::size_t n = m_floodPorts.size();
    for (std::size_t k = 0; k + 1 < n; ++k)
    {
        Output(m_floodPorts[k], in, payload->Copy(), header);
    }
    Output(m_floodPorts[n - 1], in, payload, header);
}

void
EthernetSwitch::Output(uint32_t out, uint32_t in, Ptr<Packet> payload,
                       const EthernetFrameHeader& header)
{
    Port& p = m_ports[out];
    EthernetFrameHeader h = header;
    const uint16_t vlan = header.GetVlanId();
    // Access ports and a trunk's native VLAN send untagged.
    if (!p.trunk || vlan == p.nativeVlan)
    {
        h.SetVlanId(EthernetFrameHeader::NO_VLAN);
    }
    switch (p.device->SendFrame(payload, h))
    {
        case EthernetNetDevice::TX_OK:
            ++p.counters.txFrames;
            m_txTrace(out, payload);
            if (out == in)
            {
                ++p.counters.reflectedFrames;
                m_reflectTrace(out, payload);
            }
            break;
        case EthernetNetDevice::TX_QUEUE_FULL:
            Drop(out, payload, DROP_QUEUE_FULL);
            break;
        case EthernetNetDevice::TX_TOO_LARGE:
            Drop(out, payload, DROP_TOO_LARGE);
            break;
        case EthernetNetDevice::TX_LINK_DOWN:
            Drop(out, payload, DROP_LINK_DOWN);
            break;
    }
}

} // namespace ns3
