/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The IOMMU's paging-structure caches (see paging-structure-cache.h).
 */
#include "paging-structure-cache.h"

namespace ns3 {

void
PagingStructureCache::Resize(uint32_t entriesPerLevel)
{
    m_entries = entriesPerLevel;
    for (auto& level : m_cache)
    {
        level.assign(entriesPerLevel, Entry());
    }
}

uint32_t
PagingStructureCache::Walk(uint32_t domain, uint64_t iova, uint32_t walkLevels, uint64_t stamp)
{
    if (m_entries == 0)
    {
        return walkLevels;
    }
    // The walk's upper levels are 0 .. walkLevels - 2 (the last level read is the leaf).
    const uint32_t upper = walkLevels - 1 < LEVELS ? walkLevels - 1 : LEVELS;
    uint32_t skipped = 0; // upper levels found cached: the walk starts below the deepest
    for (uint32_t k = upper; k-- > 0;)
    {
        const uint64_t tag = iova >> Shift(k);
        for (Entry& e : m_cache[k])
        {
            if (e.valid && e.tag == tag && e.domain == domain)
            {
                e.lastUse = stamp;
                skipped = k + 1;
                break;
            }
        }
        if (skipped != 0)
        {
            break;
        }
    }
    if (skipped != 0)
    {
        m_hits++;
    }
    // The walk reads the upper levels below the hit: they are cached from now on.
    for (uint32_t k = skipped; k < upper; k++)
    {
        Entry* victim = &m_cache[k][0];
        for (Entry& e : m_cache[k])
        {
            if (!e.valid)
            {
                victim = &e;
                break;
            }
            if (e.lastUse < victim->lastUse)
            {
                victim = &e;
            }
        }
        *victim = Entry{domain, iova >> Shift(k), stamp, true};
    }
    return walkLevels - skipped;
}

void
PagingStructureCache::InvalidateRange(uint32_t domain, uint64_t iova, uint64_t bytes)
{
    const uint64_t end = iova + bytes;
    for (uint32_t k = 0; k < LEVELS; k++)
    {
        for (Entry& e : m_cache[k])
        {
            const uint64_t start = e.tag << Shift(k);
            const uint64_t span = uint64_t{1} << Shift(k);
            if (e.valid && e.domain == domain && start < end && iova < start + span)
            {
                e.valid = false;
            }
        }
    }
}

void
PagingStructureCache::InvalidateDomain(uint32_t domain)
{
    for (auto& level : m_cache)
    {
        for (Entry& e : level)
        {
            if (e.domain == domain)
            {
                e.valid = false;
            }
        }
    }
}

} // namespace ns3
