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
 * Each NIC keeps its own PcieLink; with Route=Switch the links stand for the switch's
 * downstream ports, and the switch's upstream link to the root complex is not modelled.
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
    /** \return the host-wide mapping table the NICs share */
    Ptr<VfMappingTable> GetMappingTable() const;
    /** \return where peer-to-peer writes turn around */
    Route GetRoute() const;
    /** \return forwarding time at the turn-around point in force (root complex or switch) */
    Time GetForwardLatency() const;

    /**
     * \brief Time a peer-to-peer posted write from one NIC to another, reserving both links.
     * \param from index of the sending NIC
     * \param to index of the receiving NIC
     * \param bytes payload bytes
     * \param earliest instant the sender has the write ready
     * \return instant the write reaches the receiving NIC
     */
    Time PeerWrite(uint32_t from, uint32_t to, uint32_t bytes, const Time& earliest);

    /** \return peer-to-peer writes carried so far */
    uint64_t GetPeerWrites() const;
    /** \return payload bytes of those writes */
    uint64_t GetPeerBytes() const;

  protected:
    void DoDispose() override;

  private:
    std::vector<Ptr<SriovNic>> m_nics; //!< NICs, by index
    Ptr<VfMappingTable> m_table;       //!< the shared table
    Route m_route;                     //!< attribute
    Time m_rootComplexLatency;         //!< attribute
    Time m_switchLatency;              //!< attribute
    uint64_t m_writes;                 //!< counter
    uint64_t m_bytes;                  //!< counter
};

} // namespace ns3

#endif /* PCIE_HIERARCHY_H */
