/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Ethernet framing on the wire (IEEE 802.3 clauses 3 and 4, IEEE 802.1Q clause 9) (see
 * ethernet-frame.h).
 */
#include "ethernet-frame.h"

#include "ns3/abort.h"
#include "ns3/address-utils.h"

namespace ns3 {

NS_OBJECT_ENSURE_REGISTERED(EthernetFrameHeader);
NS_OBJECT_ENSURE_REGISTERED(EthernetVlanTag);

TypeId
EthernetFrameHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::EthernetFrameHeader")
                            .SetParent<Header>()
                            .SetGroupName("SriovVmcomm")
                            .AddConstructor<EthernetFrameHeader>();
    return tid;
}

TypeId
EthernetFrameHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

EthernetFrameHeader::EthernetFrameHeader()
    : m_etherType(0)
    , m_vlan(NO_VLAN)
    , m_pcp(0)
{
}

EthernetFrameHeader::EthernetFrameHeader(Mac48Address source, Mac48Address destination,
                                         uint16_t etherType, uint16_t vlan)
    : m_source(source)
    , m_destination(destination)
    , m_etherType(etherType)
    , m_vlan(NO_VLAN)
    , m_pcp(0)
{
    SetVlanId(vlan);
}

void
EthernetFrameHeader::SetSource(Mac48Address source)
{
    m_source = source;
}

Mac48Address
EthernetFrameHeader::GetSource() const
{
    return m_source;
}

void
EthernetFrameHeader::SetDestination(Mac48Address destination)
{
    m_destination = destination;
}

Mac48Address
EthernetFrameHeader::GetDestination() const
{
    return m_destination;
}

void
EthernetFrameHeader::SetEtherType(uint16_t etherType)
{
    m_etherType = etherType;
}

uint16_t
EthernetFrameHeader::GetEtherType() const
{
    return m_etherType;
}

void
EthernetFrameHeader::SetVlanId(uint16_t vlan)
{
    // 4095 is reserved by 802.1Q; 0 is a priority tag (no VLAN), accepted as such.
    NS_ABORT_MSG_IF(vlan != NO_VLAN && vlan > 4094,
                    "EthernetFrameHeader: VLAN id " << vlan << " out of range 0..4094");
    m_vlan = vlan;
}

uint16_t
EthernetFrameHeader::GetVlanId() const
{
    return m_vlan;
}

bool
EthernetFrameHeader::IsTagged() const
{
    return m_vlan != NO_VLAN;
}

void
EthernetFrameHeader::SetPcp(uint8_t pcp)
{
    NS_ABORT_MSG_IF(pcp > 7, "EthernetFrameHeader: PCP " << unsigned(pcp) << " out of range 0..7");
    m_pcp = pcp;
}

uint8_t
EthernetFrameHeader::GetPcp() const
{
    return m_pcp;
}

uint32_t
EthernetFrameHeader::GetSerializedSize() const
{
    return IsTagged() ? EthernetFraming::HEADER + EthernetFraming::VLAN_TAG
                      : EthernetFraming::HEADER;
}

void
EthernetFrameHeader::Serialize(Buffer::Iterator start) const
{
    WriteTo(start, m_destination);
    WriteTo(start, m_source);
    if (IsTagged())
    {
        start.WriteHtonU16(TPID);
        start.WriteHtonU16(uint16_t(m_pcp) << 13 | m_vlan);
    }
    start.WriteHtonU16(m_etherType);
}

uint32_t
EthernetFrameHeader::Deserialize(Buffer::Iterator start)
{
    ReadFrom(start, m_destination);
    ReadFrom(start, m_source);
    uint16_t type = start.ReadNtohU16();
    m_vlan = NO_VLAN;
    m_pcp = 0;
    if (type == TPID)
    {
        uint16_t tci = start.ReadNtohU16();
        m_vlan = tci & 0x0fff;
        m_pcp = tci >> 13;
        type = start.ReadNtohU16();
    }
    m_etherType = type;
    return GetSerializedSize();
}

void
EthernetFrameHeader::Print(std::ostream& os) const
{
    os << m_source << " > " << m_destination;
    if (IsTagged())
    {
        os << " vlan " << m_vlan << " pcp " << unsigned(m_pcp);
    }
    os << " type 0x" << std::hex << m_etherType << std::dec;
}

TypeId
EthernetVlanTag::GetTypeId()
{
    static TypeId tid = TypeId("ns3::EthernetVlanTag")
                            .SetParent<Tag>()
                            .SetGroupName("SriovVmcomm")
                            .AddConstructor<EthernetVlanTag>();
    return tid;
}

TypeId
EthernetVlanTag::GetInstanceTypeId() const
{
    return GetTypeId();
}

EthernetVlanTag::EthernetVlanTag(uint16_t vlan)
    : m_vlan(vlan)
{
}

void
EthernetVlanTag::SetVlanId(uint16_t vlan)
{
    m_vlan = vlan;
}

uint16_t
EthernetVlanTag::GetVlanId() const
{
    return m_vlan;
}

uint32_t
EthernetVlanTag::GetSerializedSize() const
{
    return 2;
}

void
EthernetVlanTag::Serialize(TagBuffer i) const
{
    i.WriteU16(m_vlan);
}

void
EthernetVlanTag::Deserialize(TagBuffer i)
{
    m_vlan = i.ReadU16();
}

void
EthernetVlanTag::Print(std::ostream& os) const
{
    os << "vlan=" << m_vlan;
}

} // namespace ns3
