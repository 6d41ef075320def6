/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef VF_MAPPING_TABLE_H
#define VF_MAPPING_TABLE_H

#include "ns3/mac48-address.h"
#include "ns3/simple-ref-count.h"

#include <cstdint>
#include <unordered_map>
#include <vector>

namespace ns3 {

/**
 * \ingroup sriov-vmcomm
 * \brief The mapping table of patent US9483290B1 (claim 1, step 2): destination network address
 * [+ VLAN] to virtual function, and the IOMMU domain the VF's DMA is translated in.
 *
 * The physical function's driver fills it; the NIC provides the same table to every VF and to
 * the DMA remapping unit. In a host with several NICs (PcieHierarchy) the NICs share one table
 * and each entry names the NIC of its VF (claim 1's first and second device).
 */
class VfMappingTable : public SimpleRefCount<VfMappingTable>
{
  public:
    /** What an address maps to. */
    struct Entry
    {
        uint32_t vf;          //!< VF index on its NIC
        uint32_t iommuDomain; //!< IOMMU domain of the VM using that VF
        uint32_t nic{0};      //!< the VF's NIC: its index in the host's PcieHierarchy
    };

    /** VLAN id meaning "untagged". */
    static constexpr uint16_t NO_VLAN = 0xffff;

    /**
     * \brief Add or replace an entry.
     * \param mac the VF's MAC address
     * \param vlan VLAN id, or NO_VLAN
     * \param entry VF and IOMMU domain
     */
    void Add(Mac48Address mac, uint16_t vlan, Entry entry);

    /**
     * \brief Remove an entry (no effect if absent).
     * \param mac MAC address
     * \param vlan VLAN id, or NO_VLAN
     */
    void Remove(Mac48Address mac, uint16_t vlan);

    /**
     * \brief Look a destination up.
     * \param mac destination MAC address
     * \param vlan VLAN id, or NO_VLAN
     * \return the entry, or nullptr when the address is in no entry
     */
    const Entry* Lookup(Mac48Address mac, uint16_t vlan) const;

    /**
     * \brief Look a destination up by the address bytes of a frame (the NIC's per-frame path,
     * without a Mac48Address round trip).
     * \param mac the 6 bytes of the destination MAC address, in network order
     * \param vlan VLAN id, or NO_VLAN
     * \return the entry, or nullptr when the address is in no entry
     */
    const Entry* Lookup(const uint8_t* mac, uint16_t vlan) const;

    /** \return number of entries */
    std::size_t GetSize() const;

  private:
    /** \param mac address \param vlan VLAN \return the hash key */
    static uint64_t Key(Mac48Address mac, uint16_t vlan);
    /** \param mac 6 address bytes \param vlan VLAN \return the hash key */
    static uint64_t Key(const uint8_t* mac, uint16_t vlan);

    std::unordered_map<uint64_t, Entry> m_entries; //!< key: MAC (48 bits) | VLAN << 48
};

} // namespace ns3

#endif /* VF_MAPPING_TABLE_H */
