/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The IOMMU's IOTLB, a set-associative cache with LRU replacement per set (see iotlb.h).
 */
#include "iotlb.h"

#include "ns3/abort.h"
#include "ns3/log.h"

namespace ns3 {

NS_LOG_COMPONENT_DEFINE("Iotlb");

void
Iotlb::Resize(uint32_t entries, uint32_t ways)
{
    NS_LOG_FUNCTION(this << entries << ways);
    NS_ABORT_MSG_IF(entries == 0 || ways == 0 || entries % ways != 0,
                    "Iotlb: " << entries << " entries in sets of " << ways
                              << " ways: entries must be at least 1 and a multiple of ways");
    m_entries = entries;
    m_ways = ways;
    m_sets = entries / ways;
    m_setsPowerOfTwo = (m_sets & (m_sets - 1)) == 0;
    m_setMask = m_setsPowerOfTwo ? m_sets - 1 : 0;
    m_entriesBySet.assign(entries, Entry());
}

void
Iotlb::InvalidateRange(uint32_t domain, uint64_t iova, uint64_t bytes)
{
    NS_LOG_FUNCTION(this << domain << iova << bytes);
    const uint64_t end = iova + bytes;
    for (auto& e : m_entriesBySet)
    {
        if (e.valid && e.domain == domain)
        {
            const uint64_t start = e.page * e.pageBytes;
            if (start < end && iova < start + e.pageBytes)
            {
                e.valid = false;
            }
        }
    }
}

void
Iotlb::InvalidateDomain(uint32_t domain)
{
    NS_LOG_FUNCTION(this << domain);
    for (auto& e : m_entriesBySet)
    {
        if (e.domain == domain)
        {
            e.valid = false;
        }
    }
}

} // namespace ns3
