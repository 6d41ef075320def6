/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The mapping table of patent US9483290B1 (claim 1, step 2): destination network address [+ VLAN]
 * to virtual function, and the IOMMU domain the VF's DMA is translated in (see vf-mapping-table.h).
 */
#include "vf-mapping-table.h"

namespace ns3 {

uint64_t
VfMappingTable::Key(Mac48Address mac, uint16_t vlan)
{
    uint8_t b[6];
    mac.CopyTo(b);
    return Key(b, vlan);
}

uint64_t
VfMappingTable::Key(const uint8_t* mac, uint16_t vlan)
{
    uint64_t key = 0;
    for (int i = 0; i < 6; ++i)
    {
        key = (key << 8) | mac[i];
    }
    return key | (uint64_t(vlan) << 48);
}

void
VfMappingTable::Add(Mac48Address mac, uint16_t vlan, Entry entry)
{
    m_entries[Key(mac, vlan)] = entry;
}

void
VfMappingTable::Remove(Mac48Address mac, uint16_t vlan)
{
    m_entries.erase(Key(mac, vlan));
}

const VfMappingTable::Entry*
VfMappingTable::Lookup(Mac48Address mac, uint16_t vlan) const
{
    auto it = m_entries.find(Key(mac, vlan));
    return it == m_entries.end() ? nullptr : &it->second;
}

const VfMappingTable::Entry*
VfMappingTable::Lookup(const uint8_t* mac, uint16_t vlan) const
{
    auto it = m_entries.find(Key(mac, vlan));
    return it == m_entries.end() ? nullptr : &it->second;
}

std::size_t
VfMappingTable::GetSize() const
{
    return m_entries.size();
}

} // namespace ns3
