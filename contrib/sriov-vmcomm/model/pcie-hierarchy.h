/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef PCIE_HIERARCHY_H
#define PCIE_HIERARCHY_H

#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/ptr.h"

#include <cstdint>
#include <vector>

namespace ns3 {

class Channel;
class Iommu;
class PcieLink;
class DeviceListChannel;
class SriovNic;
class VfMappingTable;

/**
 * \ingroup sriov-vmcomm
 * \brief The PCIe hierarchy that joins the SR-IOV NICs of one host, and the way a posted write
 * from one NIC reaches another (peer to peer): up the sender's link, across the root complex or
 * a PCIe switch, down the receiver's link.
 *
 * Claim 1 of patent US9483290B1 names a first and a second device: the NICs of a host share one
 * mapping table (their PF drivers fill it; each entry names the NIC of its VF), and a VF of one
 * NIC performs the eleven steps with a VF of another. The length (step 5), buffer address
 * (step 6) and done (step 10) messages then cross PCIe as peer-to-peer posted writes, timed and
 * counted on both links; the frame itself is DMA-written over the sender's link into the
 * destination VM's memory, through the host's IOMMU.
 *
 * A message is a write by a VF to the peer VF's page of its NIC's BAR. Through the root complex
 * it is a request like any other: the host's IOMMU translates it in the requesting VM's domain,
 * where the peer NICs' BARs are mapped (as VFIO maps the BARs of a container's devices for peer
 * to peer). Below a switch it goes straight across, untranslated, unless the switch's downstream
 * ports redirect peer-to-peer requests upstream (PCIe ACS P2P Request Redirect, AcsRedirect),
 * as Linux sets them when an IOMMU is on: then it turns around at the root complex, translated.
 *
 * Each NIC keeps its own PcieLink. With Route=Switch those are the switch's downstream ports,
 * and the switch's upstream link to the root complex is given with SetSwitchUpstream before the
 * NICs are added (SriovHelper makes it like the NICs' links, SwitchUpstreamLanes wide): every DMA
 * to or from memory then crosses the switch and shares that link (PcieLink::SetUpstream), while
 * peer-to-peer writes turn around in the switch.
 *
 * The hierarchy creates nothing: the shared mapping table and the VFs' channel (SetMappingTable,
 * SetChannel) and the switch's upstream link (SetSwitchUpstream) are the helper's (SriovHelper).
 */
class PcieHierarchy : public Object
{
  public:
    /** Where a peer-to-peer write turns around. */
    enum Route
    {
        ROUTE_ROOT_COMPLEX = 0, //!< both NICs on root ports: the root complex forwards
        ROUTE_SWITCH = 1        //!< both NICs below one PCIe switch: it forwards port to port
    };

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    PcieHierarchy();
    ~PcieHierarchy() override;

    /** IOVA at which every requester's IOMMU domain maps NIC 0's BAR; NIC i's follows at
     * i * BAR_BYTES. Above any VM memory (IOVA = guest physical address). */
    static constexpr uint64_t PEER_BAR_IOVA = uint64_t(1) << 46;
    /** Host physical address of NIC 0's BAR; NIC i's follows at i * BAR_BYTES. */
    static constexpr uint64_t BAR_HPA = uint64_t(1) << 47;
    /** BAR size: one 4 KiB message page per VF, 4096 VFs. */
    static constexpr uint64_t BAR_BYTES = uint64_t(16) << 20;

    /**
     * \brief Translate peer-to-peer requests that reach the root complex with this IOMMU.
     * \param iommu the host's IOMMU (null: no DMA remapping)
     */
    void SetIommu(Ptr<Iommu> iommu);

    /**
     * \brief Map every NIC's BAR into an IOMMU domain whose device (a VF) may send peer-to-peer
     * messages. Call it after the NICs are added.
     * \param domain the requester's IOMMU domain
     */
    void AddRequester(uint32_t domain);

    /**
     * \brief Put a NIC in the hierarchy: it takes the shared mapping table (before its VFs are
     * added) and the index its table entries carry.
     * \param nic the NIC, attached to its PCIe link, with no VF yet
     * \return the NIC's index in the hierarchy
     */
    uint32_t Add(Ptr<SriovNic> nic);

    /** \return number of NICs */
    uint32_t GetNNics() const;
    /** \param i index \return NIC i */
    Ptr<SriovNic> GetNic(uint32_t i) const;
    /**
     * \brief Give the host-wide mapping table the NICs will share (SriovHelper creates it),
     * before any NIC is added.
     * \param table an empty table
     */
    void SetMappingTable(Ptr<VfMappingTable> table);
    /**
     * \brief Give the channel the VFs of all the NICs will join (SriovHelper creates it),
     * before any NIC is added.
     * \param channel an empty channel
     */
    void SetChannel(Ptr<DeviceListChannel> channel);
    /** \return the host-wide mapping table the NICs share (null before SetMappingTable) */
    Ptr<VfMappingTable> GetMappingTable() const;
    /**
     * \return the channel the VFs of all the NICs join (null before SetChannel): one segment, as
     * the shared table makes them (ns-3's neighbour cache and routing helpers see every VF of the
     * host on it)
     */
    Ptr<DeviceListChannel> GetChannel() const;
    /** \return where peer-to-peer writes turn around */
    Route GetRoute() const;
    /** \return forwarding time at the turn-around point in force (the root complex, or the
     * switch when it forwards directly) */
    Time GetForwardLatency() const;

    /**
     * \brief Time a peer-to-peer posted write from a VF of one NIC to a VF of another, reserving
     * both links and, where the route passes the root complex, translating it in the IOMMU.
     * \param from index of the sending NIC
     * \param to index of the receiving NIC
     * \param toVf the receiving VF: the write goes to its page of the BAR
     * \param domain IOMMU domain of the sending VF
     * \param bytes payload bytes
     * \param earliest instant the sender has the write ready
     * \return instant the write reaches the receiving NIC
     */
    Time PeerWrite(uint32_t from, uint32_t to, uint32_t toVf, uint32_t domain, uint32_t bytes,
                   const Time& earliest);

    /** \return whether peer-to-peer writes are translated by the IOMMU on their way */
    bool IsTranslated() const;

    /**
     * \brief Give the switch's upstream link to the root complex (Route=Switch), before any NIC
     * is added: each NIC's link is put below it (PcieLink::SetUpstream).
     * \param upstream the link, SwitchUpstreamLanes wide (SriovHelper makes it so)
     */
    void SetSwitchUpstream(Ptr<PcieLink> upstream);
    /** \return the switch's upstream link (Route=Switch), or null */
    Ptr<PcieLink> GetSwitchUpstream() const;
    /** \return the width the switch's upstream link should have (attribute SwitchUpstreamLanes) */
    uint32_t GetSwitchUpstreamLanes() const;

    /** \return peer-to-peer writes carried so far */
    uint64_t GetPeerWrites() const;
    /** \return payload bytes of those writes */
    uint64_t GetPeerBytes() const;

  protected:
    void DoDispose() override;

  private:
    std::vector<Ptr<SriovNic>> m_nics; //!< NICs, by index
    Ptr<VfMappingTable> m_table;       //!< the shared table
    Ptr<DeviceListChannel> m_channel;  //!< the VFs' segment
    Ptr<Iommu> m_iommu;                //!< the host's IOMMU, or null
    Ptr<PcieLink> m_upstream;          //!< Route=Switch: the switch's link to the root complex
    uint32_t m_upstreamLanes;          //!< attribute SwitchUpstreamLanes
    uint32_t m_requesters;             //!< domains mapped by AddRequester
    Route m_route;                     //!< attribute
    bool m_acsRedirect;                //!< attribute
    Time m_rootComplexLatency;         //!< attribute
    Time m_switchLatency;              //!< attribute
    uint64_t m_writes;                 //!< counter
    uint64_t m_bytes;                  //!< counter
};

} // namespace ns3

#endif /* PCIE_HIERARCHY_H */
