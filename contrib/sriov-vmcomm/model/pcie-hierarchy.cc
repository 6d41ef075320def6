/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The PCIe hierarchy that joins the SR-IOV NICs of one host, and the way a posted write from one
 * NIC reaches another (peer to peer): up the sender's link, across the root complex or a PCIe
 * switch, down the receiver's link (see pcie-hierarchy.h).
 */
#include "pcie-hierarchy.h"

#include "device-list-channel.h"
#include "iommu.h"
#include "ns3-compat.h"
#include "ns3/abort.h"
#include "ns3/boolean.h"
#include "ns3/enum.h"
#include "ns3/log.h"
#include "ns3/uinteger.h"
#include "pcie-link.h"
#include "sriov-nic.h"
#include "uinteger-checkers.h"
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
                  "below one PCIe switch, whose upstream link every DMA then crosses). Fixed once "
                  "NICs are added.",
                  EnumValue(ROUTE_ROOT_COMPLEX), compat::MakeEnumAccessor(&PcieHierarchy::m_route),
                  MakeEnumChecker(ROUTE_ROOT_COMPLEX, "RootComplex", ROUTE_SWITCH, "Switch"))
              .AddAttribute("AcsRedirect",
                            "Route=Switch: the switch's downstream ports redirect peer-to-peer "
                            "requests to the root complex (PCIe ACS P2P Request Redirect), where "
                            "the IOMMU translates them. Linux enables it on every switch port "
                            "when an IOMMU is on (pci_enable_acs); peer-to-peer setups turn it "
                            "off. Default false: the switch forwards directly.",
                            BooleanValue(false), MakeBooleanAccessor(&PcieHierarchy::m_acsRedirect),
                            MakeBooleanChecker())
              .AddAttribute("SwitchUpstreamLanes",
                            "Route=Switch: lanes of the switch's upstream link to the root "
                            "complex: 1, 2, 4, 8, 16 or 32 (the rest as the NICs' links: "
                            "SriovHelper makes it with their attributes). Default 16: a x16 "
                            "upstream port above x8 NICs, as PEX 8796 configurations (96 lanes) "
                            "are commonly set up.",
                            UintegerValue(16),
                            MakeUintegerAccessor(&PcieHierarchy::m_upstreamLanes),
                            MakePowerOfTwoChecker(1, 32))
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
    : m_requesters(0)
    , m_writes(0)
    , m_bytes(0)
{
    NS_LOG_FUNCTION(this);
}

PcieHierarchy::~PcieHierarchy()
{
    NS_LOG_FUNCTION(this);
}

void
PcieHierarchy::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_nics.clear();
    m_iommu = nullptr;
    m_upstream = nullptr;
    m_table = nullptr;
    m_channel = nullptr;
    Object::DoDispose();
}

void
PcieHierarchy::SetIommu(Ptr<Iommu> iommu)
{
    NS_LOG_FUNCTION(this << iommu);
    m_iommu = iommu;
}

void
PcieHierarchy::AddRequester(uint32_t domain)
{
    NS_LOG_FUNCTION(this << domain);
    if (!m_iommu)
    {
        return;
    }
    for (uint32_t n = 0; n < m_nics.size(); ++n)
    {
        m_iommu->Map(domain, PEER_BAR_IOVA + n * BAR_BYTES, BAR_HPA + n * BAR_BYTES, BAR_BYTES,
                     4096);
    }
    ++m_requesters;
}

uint32_t
PcieHierarchy::Add(Ptr<SriovNic> nic)
{
    NS_LOG_FUNCTION(this << nic);
    NS_ABORT_MSG_IF(!nic->GetPcieLink(), "PcieHierarchy::Add: the NIC has no PCIe link yet");
    NS_ABORT_MSG_IF(m_requesters > 0,
                    "PcieHierarchy::Add: NICs must be added before AddRequester maps their BARs");
    NS_ABORT_MSG_IF(!m_table || !m_channel,
                    "PcieHierarchy::Add: the shared mapping table and channel (SetMappingTable, "
                    "SetChannel) must be given before the NICs are added");
    NS_ABORT_MSG_IF(m_route == ROUTE_SWITCH && !m_upstream,
                    "PcieHierarchy::Add: Route=Switch needs the switch's upstream link "
                    "(SetSwitchUpstream) before the NICs are added");
    uint32_t index = m_nics.size();
    m_nics.push_back(nic);
    if (m_route == ROUTE_SWITCH)
    {
        nic->GetPcieLink()->SetUpstream(m_upstream, m_switchLatency);
    }
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

void
PcieHierarchy::SetSwitchUpstream(Ptr<PcieLink> upstream)
{
    NS_LOG_FUNCTION(this << upstream);
    NS_ABORT_MSG_IF(m_route != ROUTE_SWITCH,
                    "PcieHierarchy::SetSwitchUpstream: Route is RootComplex, there is no switch");
    NS_ABORT_MSG_IF(!m_nics.empty(),
                    "PcieHierarchy::SetSwitchUpstream: NICs are already below the switch");
    NS_ABORT_MSG_IF(!upstream, "PcieHierarchy::SetSwitchUpstream: null link");
    m_upstream = upstream;
}

Ptr<PcieLink>
PcieHierarchy::GetSwitchUpstream() const
{
    return m_upstream;
}

uint32_t
PcieHierarchy::GetSwitchUpstreamLanes() const
{
    return m_upstreamLanes;
}

void
PcieHierarchy::SetMappingTable(Ptr<VfMappingTable> table)
{
    NS_LOG_FUNCTION(this << table);
    NS_ABORT_MSG_IF(!table, "PcieHierarchy::SetMappingTable: null table");
    NS_ABORT_MSG_IF(!m_nics.empty(),
                    "PcieHierarchy::SetMappingTable: NICs already share the previous table");
    m_table = table;
}

void
PcieHierarchy::SetChannel(Ptr<DeviceListChannel> channel)
{
    NS_LOG_FUNCTION(this << channel);
    NS_ABORT_MSG_IF(!channel, "PcieHierarchy::SetChannel: null channel");
    NS_ABORT_MSG_IF(!m_nics.empty(),
                    "PcieHierarchy::SetChannel: NICs already joined the previous channel");
    m_channel = channel;
}

Ptr<VfMappingTable>
PcieHierarchy::GetMappingTable() const
{
    return m_table;
}

Ptr<DeviceListChannel>
PcieHierarchy::GetChannel() const
{
    return m_channel;
}

PcieHierarchy::Route
PcieHierarchy::GetRoute() const
{
    return m_route;
}

Time
PcieHierarchy::GetForwardLatency() const
{
    return m_route == ROUTE_SWITCH && !m_acsRedirect ? m_switchLatency : m_rootComplexLatency;
}

bool
PcieHierarchy::IsTranslated() const
{
    return m_iommu && (m_route == ROUTE_ROOT_COMPLEX || m_acsRedirect);
}

Time
PcieHierarchy::PeerWrite(uint32_t from, uint32_t to, uint32_t toVf, uint32_t domain, uint32_t bytes,
                         const Time& earliest)
{
    NS_LOG_FUNCTION(this << from << to << toVf << domain << bytes << earliest);
    NS_ABORT_MSG_IF(from >= m_nics.size() || to >= m_nics.size() || from == to,
                    "PcieHierarchy::PeerWrite: no route from NIC " << from << " to NIC " << to);
    ++m_writes;
    m_bytes += bytes;
    // Posted writes: up the sender's link, turned around, down the receiver's link, each link
    // reserved (and counted) as for any other write in that direction.
    Ptr<PcieLink> up = m_nics[from]->GetPcieLink();
    Ptr<PcieLink> down = m_nics[to]->GetPcieLink();
    if (m_route == ROUTE_SWITCH && !m_acsRedirect)
    {
        // The switch turns it around: the root complex and its IOMMU never see it.
        return down->PortWrite(PcieLink::DOWNSTREAM, bytes,
                               up->PortWrite(PcieLink::UPSTREAM, bytes, earliest)
                                   + m_switchLatency);
    }
    // To the root complex (below a switch with ACS redirect: through it and its upstream link).
    Time at = up->DeviceWrite(bytes, earliest);
    if (IsTranslated())
    {
        NS_ABORT_MSG_IF(toVf >= BAR_BYTES / 4096, "PcieHierarchy: VF "
                                                      << toVf << " has no message page in a BAR of "
                                                      << BAR_BYTES << " bytes");
        uint64_t iova = PEER_BAR_IOVA + to * BAR_BYTES + uint64_t(toVf) * 4096;
        Iommu::Translation t = m_iommu->Translate(domain, iova, true, at);
        NS_ABORT_MSG_IF(t.fault, "PcieHierarchy: IOMMU domain " << domain
                                                                << " has no mapping of NIC " << to
                                                                << "'s BAR (AddRequester)");
        at = t.readyAt;
    }
    return down->HostWrite(bytes, at + m_rootComplexLatency);
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
