/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "pcie-hierarchy.h"

#include "ns3/abort.h"
#include "ns3/enum.h"
#include "ns3/log.h"
#include "pcie-link.h"
#include "sriov-nic.h"
#include "vf-mapping-table.h"

namespace ns3 {

NS_LOG_COMPONENT_DEFINE("PcieHierarchy");
NS_OBJECT_ENSURE_REGISTERED(PcieHierarchy);

TypeId
PcieHierarchy::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::PcieHierarchy")
              .SetParent<Object>()
              .SetGroupName("SriovVmcomm")
              .AddConstructor<PcieHierarchy>()
              .AddAttribute(
                  "Route",
                  "Where a peer-to-peer write between two NICs of the host turns "
                  "around: RootComplex (each NIC on its own root port) or Switch (both "
                  "below one PCIe switch)",
                  EnumValue(ROUTE_ROOT_COMPLEX), MakeEnumAccessor(&PcieHierarchy::m_route),
                  MakeEnumChecker(ROUTE_ROOT_COMPLEX, "RootComplex", ROUTE_SWITCH, "Switch"))
              .AddAttribute("RootComplexForwardLatency",
                            "Time the root complex takes to route a posted write from one root "
                            "port to another, after the write's serialization and propagation on "
                            "the sender's link. Estimate: 300 ns, of the order of the root "
                            "complex's share of a DMA read in the nfp6000-bdw preset "
                            "(PcieLink::RootComplexReadLatency); peer-to-peer latency through "
                            "the root complex is not published for that Xeon. Set it from a "
                            "measurement when there is one.",
                            TimeValue(NanoSeconds(300)),
                            MakeTimeAccessor(&PcieHierarchy::m_rootComplexLatency),
                            MakeTimeChecker(Time(0)))
              .AddAttribute("SwitchForwardLatency",
                            "Port-to-port (cut-through) latency of the PCIe switch, Route=Switch. "
                            "Source: Broadcom/PLX PEX 8796 (Gen3) product brief, 150 ns "
                            "port-to-port.",
                            TimeValue(NanoSeconds(150)),
                            MakeTimeAccessor(&PcieHierarchy::m_switchLatency),
                            MakeTimeChecker(Time(0)));
    return tid;
}

PcieHierarchy::PcieHierarchy()
    : m_table(Create<VfMappingTable>())
    , m_writes(0)
    , m_bytes(0)
{
}

PcieHierarchy::~PcieHierarchy() = default;

void
PcieHierarchy::DoDispose()
{
    m_nics.clear();
    Object::DoDispose();
}

uint32_t
PcieHierarchy::Add(Ptr<SriovNic> nic)
{
    NS_ABORT_MSG_IF(!nic->GetPcieLink(), "PcieHierarchy::Add: the NIC has no PCIe link yet");
    uint32_t index = m_nics.size();
    m_nics.push_back(nic);
    nic->JoinHierarchy(this, index);
    return index;
}

uint32_t
PcieHierarchy::GetNNics() const
{
    return m_nics.size();
}

Ptr<SriovNic>
PcieHierarchy::GetNic(uint32_t i) const
{
    NS_ABORT_MSG_IF(i >= m_nics.size(), "PcieHierarchy::GetNic: no NIC " << i);
    return m_nics[i];
}

Ptr<VfMappingTable>
PcieHierarchy::GetMappingTable() const
{
    return m_table;
}

PcieHierarchy::Route
PcieHierarchy::GetRoute() const
{
    return m_route;
}

Time
PcieHierarchy::GetForwardLatency() const
{
    return m_route == ROUTE_SWITCH ? m_switchLatency : m_rootComplexLatency;
}

Time
PcieHierarchy::PeerWrite(uint32_t from, uint32_t to, uint32_t bytes, const Time& earliest)
{
    NS_ABORT_MSG_IF(from >= m_nics.size() || to >= m_nics.size() || from == to,
                    "PcieHierarchy::PeerWrite: no route from NIC " << from << " to NIC " << to);
    ++m_writes;
    m_bytes += bytes;
    // Posted writes: up the sender's link, turned around, down the receiver's link, each link
    // reserved (and counted) as for any other write in that direction.
    Time turned = m_nics[from]->GetPcieLink()->DeviceWrite(bytes, earliest) + GetForwardLatency();
    return m_nics[to]->GetPcieLink()->HostWrite(bytes, turned);
}

uint64_t
PcieHierarchy::GetPeerWrites() const
{
    return m_writes;
}

uint64_t
PcieHierarchy::GetPeerBytes() const
{
    return m_bytes;
}

} // namespace ns3
