/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef PAGING_STRUCTURE_CACHE_H
#define PAGING_STRUCTURE_CACHE_H

#include <cstdint>
#include <vector>

namespace ns3 {

/**
 * \ingroup sriov-vmcomm
 * \brief The IOMMU's paging-structure caches (Intel VT-d: PML4-, PDPT- and PD-entry caches).
 *
 * A page walk of x86-64 4-level paging reads one entry per level: PML4 (each entry covers
 * 512 GiB), PDPT (1 GiB), PD (2 MiB) and, for a 4 KiB page, the page table. The IOMMU keeps the
 * upper (non-leaf) entries it read in one small cache per level, tagged by domain and by the
 * address bits that level translates. A walk whose deepest cached entry is at level k reads only
 * the levels below it: a miss in a 2 MiB region whose PD entry is cached costs one access instead
 * of four. Each level's cache is fully associative with LRU replacement; the leaf entry goes to
 * the IOTLB, not here. Owned by Iommu (attribute PagingStructureCacheEntries); a plain class, so
 * it has no attributes of its own.
 */
class PagingStructureCache
{
  public:
    /** Upper levels that can be cached: PML4, PDPT, PD. */
    static constexpr uint32_t LEVELS = 3;

    /**
     * \brief Empty the caches and give each level \p entriesPerLevel entries (0: no cache, every
     * walk reads all its levels).
     * \param entriesPerLevel entries of each level's cache
     */
    void Resize(uint32_t entriesPerLevel);

    /**
     * \brief Find the deepest cached upper entry of a walk and fill the levels the walk reads.
     * \param domain domain id
     * \param iova address being translated
     * \param walkLevels levels of the full walk (4 for a 4 KiB page, 3 for 2 MiB, 2 for 1 GiB)
     * \param stamp LRU stamp (larger is more recent)
     * \return levels the walk must still read (1 .. walkLevels)
     */
    uint32_t Walk(uint32_t domain, uint64_t iova, uint32_t walkLevels, uint64_t stamp);

    /**
     * \brief Drop the domain's entries covering any of [iova, iova+bytes) (a page-selective
     * invalidation also invalidates the paging-structure caches, VT-d spec 6.5).
     * \param domain domain id \param iova start \param bytes length
     */
    void InvalidateRange(uint32_t domain, uint64_t iova, uint64_t bytes);
    /** \brief Drop every entry of the domain. \param domain domain id */
    void InvalidateDomain(uint32_t domain);

    /** \return walks that found at least one upper entry cached */
    uint64_t GetHits() const
    {
        return m_hits;
    }

    /** \brief Zero the counter. */
    void ResetCounters()
    {
        m_hits = 0;
    }

  private:
    /** One cached upper-level entry. */
    struct Entry
    {
        uint32_t domain{0};  //!< domain id
        uint64_t tag{0};     //!< iova >> the level's shift
        uint64_t lastUse{0}; //!< LRU stamp
        bool valid{false};   //!< holds an entry
    };

    /** \param level 0 = PML4, 1 = PDPT, 2 = PD \return address bits below that level's entry */
    static uint32_t Shift(uint32_t level)
    {
        return 39 - 9 * level;
    }

    uint32_t m_entries{0};              //!< entries per level
    std::vector<Entry> m_cache[LEVELS]; //!< per level, m_entries each
    uint64_t m_hits{0};                 //!< counter
};

} // namespace ns3

#endif /* PAGING_STRUCTURE_CACHE_H */
