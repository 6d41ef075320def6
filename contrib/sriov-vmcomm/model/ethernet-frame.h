/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef ETHERNET_FRAME_H
#define ETHERNET_FRAME_H

#include "ns3/header.h"
#include "ns3/mac48-address.h"
#include "ns3/tag.h"

#include <cstdint>

namespace ns3 {

/**
 * \ingroup sriov-vmcomm
 * \brief Ethernet framing on the wire (IEEE 802.3 clauses 3 and 4, IEEE 802.1Q clause 9).
 *
 * The packet an EthernetNetDevice sends carries the MAC header (EthernetFrameHeader) and the
 * payload; preamble, SFD, pad, FCS and the inter-frame gap are not bytes of the packet (PCAP's
 * DLT_EN10MB has no FCS either) but they take time on the wire, and these functions count them.
 */
struct EthernetFraming
{
    static constexpr uint32_t PREAMBLE_SFD = 8; //!< preamble (7) + start frame delimiter (1), bytes
    static constexpr uint32_t HEADER = 14;      //!< destination, source, EtherType, bytes
    static constexpr uint32_t VLAN_TAG = 4;     //!< 802.1Q tag (TPID + TCI), bytes
    static constexpr uint32_t FCS = 4;          //!< frame check sequence (CRC-32), bytes
    static constexpr uint32_t MIN_FRAME = 64;   //!< minimum frame, header to FCS, bytes
    static constexpr uint32_t IFG = 12;         //!< minimum inter-frame gap, bytes

    /**
     * \param headerAndPayload bytes of MAC header (14, or 18 tagged) plus payload
     * \return frame bytes from the destination address to the FCS, padded to the minimum
     */
    static constexpr uint32_t FrameBytes(uint32_t headerAndPayload)
    {
        return headerAndPayload + FCS < MIN_FRAME ? MIN_FRAME : headerAndPayload + FCS;
    }

    /**
     * \param headerAndPayload bytes of MAC header plus payload
     * \return bytes of line time the frame occupies: preamble + SFD + frame + inter-frame gap
     * (84 for a minimum frame: 148.81 Mframes/s at 100 Gb/s)
     */
    static constexpr uint32_t WireBytes(uint32_t headerAndPayload)
    {
        return PREAMBLE_SFD + FrameBytes(headerAndPayload) + IFG;
    }
};

/**
 * \ingroup sriov-vmcomm
 * \brief The Ethernet MAC header with an optional IEEE 802.1Q VLAN tag: destination, source,
 * [TPID 0x8100, TCI], EtherType. 14 bytes untagged, 18 tagged. As serialized it is what PCAP's
 * DLT_EN10MB expects, so captures show the tag.
 */
class EthernetFrameHeader : public Header
{
  public:
    static constexpr uint16_t NO_VLAN = 0xffff; //!< VLAN id of an untagged frame
    static constexpr uint16_t TPID = 0x8100;    //!< EtherType of an 802.1Q tag

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;

    /** An untagged header with zero addresses and EtherType 0. */
    EthernetFrameHeader();
    /**
     * \param source source MAC address
     * \param destination destination MAC address
     * \param etherType EtherType of the payload
     * \param vlan VLAN id (0..4094), or NO_VLAN for an untagged frame
     */
    EthernetFrameHeader(Mac48Address source, Mac48Address destination, uint16_t etherType,
                        uint16_t vlan = NO_VLAN);

    /** \param source source MAC address */
    void SetSource(Mac48Address source);
    /** \return source MAC address */
    Mac48Address GetSource() const;
    /** \param destination destination MAC address */
    void SetDestination(Mac48Address destination);
    /** \return destination MAC address */
    Mac48Address GetDestination() const;
    /** \param etherType EtherType of the payload */
    void SetEtherType(uint16_t etherType);
    /** \return EtherType of the payload */
    uint16_t GetEtherType() const;
    /** \param vlan VLAN id (0..4094), or NO_VLAN: untagged */
    void SetVlanId(uint16_t vlan);
    /** \return VLAN id, or NO_VLAN for an untagged frame */
    uint16_t GetVlanId() const;
    /** \return true if the frame carries an 802.1Q tag */
    bool IsTagged() const;
    /** \param pcp 802.1Q priority code point (0..7), carried in a tagged frame */
    void SetPcp(uint8_t pcp);
    /** \return 802.1Q priority code point */
    uint8_t GetPcp() const;

    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    uint32_t Deserialize(Buffer::Iterator start) override;
    void Print(std::ostream& os) const override;

  private:
    Mac48Address m_source;      //!< source address
    Mac48Address m_destination; //!< destination address
    uint16_t m_etherType;       //!< payload EtherType
    uint16_t m_vlan;            //!< VLAN id or NO_VLAN
    uint8_t m_pcp;              //!< priority code point
};

/**
 * \ingroup sriov-vmcomm
 * \brief The VLAN of a frame, as a packet tag, between an EthernetNetDevice and the layer above
 * it that uses the promiscuous callback (a bridge, an SR-IOV NIC's uplink logic).
 *
 * Receive: a tagged frame is handed to the promiscuous callback with this tag. Send: a packet
 * given to Send/SendFrom with this tag leaves tagged with its VLAN instead of the device's
 * VlanId (the device removes the tag). A packet forwarded from one device to another thus keeps
 * its VLAN.
 */
class EthernetVlanTag : public Tag
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;

    /** \param vlan VLAN id, or EthernetFrameHeader::NO_VLAN (send untagged) */
    explicit EthernetVlanTag(uint16_t vlan = EthernetFrameHeader::NO_VLAN);
    /** \param vlan VLAN id, or EthernetFrameHeader::NO_VLAN */
    void SetVlanId(uint16_t vlan);
    /** \return VLAN id, or EthernetFrameHeader::NO_VLAN */
    uint16_t GetVlanId() const;

    uint32_t GetSerializedSize() const override;
    void Serialize(TagBuffer i) const override;
    void Deserialize(TagBuffer i) override;
    void Print(std::ostream& os) const override;

  private:
    uint16_t m_vlan; //!< VLAN id
};

} // namespace ns3

#endif /* ETHERNET_FRAME_H */
