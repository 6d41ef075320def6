/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef IOTLB_H
#define IOTLB_H

#include <cstddef>
#include <cstdint>
#include <vector>

namespace ns3 {

/**
 * \ingroup sriov-vmcomm
 * \brief The IOMMU's IOTLB: a set-associative cache of leaf translations with LRU replacement
 * per set.
 *
 * Each entry translates one page of one domain (IO virtual page to host physical page) and is
 * tagged by domain, page number and page size, so a 4 KiB and a 2 MiB page of the same page
 * number never alias. The set is chosen by the low page-number bits (rotated by domain and page
 * size), as in hardware; within a set the least recently used entry is replaced. Invalidation is
 * page-selective (a range of a domain) or domain-selective. Owned by Iommu (attributes
 * IotlbEntries, IotlbWays); a plain class, so it has no attributes of its own.
 *
 * Probe(), SetIndex() and Fill() are defined here, inline: Iommu::Translate() calls them on every
 * DMA, and the library is built with -fPIC, where GCC inlines no exported out-of-line function.
 */
class Iotlb
{
  public:
    /** One IOTLB entry (one way of a set). */
    struct Entry
    {
        uint32_t domain{0};    //!< domain id
        uint64_t page{0};      //!< iova / pageBytes
        uint64_t pageBytes{0}; //!< page size
        uint64_t hpaPage{0};   //!< hpa of the page start
        bool writable{false};  //!< write permission
        bool valid{false};     //!< holds a translation
        uint64_t lastUse{0};   //!< LRU stamp, larger is more recent
        int64_t readyStep{0};  //!< time step its walk completes (earlier hits wait for it)
    };

    /**
     * \brief Empty the IOTLB and give it a geometry. Must be called before any other member.
     * \param entries total entries (at least 1)
     * \param ways entries per set (associativity); must divide \p entries (ways == entries:
     *        fully associative)
     *
     * Aborts (NS_ABORT_MSG) on a geometry that is not allowed.
     */
    void Resize(uint32_t entries, uint32_t ways);

    /** \return total entries */
    uint32_t GetEntries() const
    {
        return m_entries;
    }

    /** \return entries per set (associativity) */
    uint32_t GetWays() const
    {
        return m_ways;
    }

    /** \return sets (entries / ways) */
    uint32_t GetSets() const
    {
        return m_sets;
    }

    /**
     * \brief The set a page maps to.
     * \param domain domain id \param page page number (iova / pageBytes) \param pageBytes page size
     * \return the set index, below GetSets()
     */
    uint32_t SetIndex(uint32_t domain, uint64_t page, uint64_t pageBytes) const
    {
        // Low page-number bits pick the set, as in hardware, so consecutive pages of a domain
        // fill distinct sets; domain and page size only rotate the mapping (for domain 0 and
        // 4 KiB pages the set is page mod sets).
        const uint64_t sizeClass = pageBytes == PAGE_4K ? 0 : (pageBytes == PAGE_2M ? 1 : 2);
        const uint64_t key
            = page + uint64_t{domain} * 0x9E3779B97F4A7C15ULL + sizeClass * 0xC2B2AE3D27D4EB4FULL;
        // A mask when the set count is a power of two (the default 16 sets): the same set as the
        // modulo, without a 64-bit division per probe.
        if (m_setsPowerOfTwo)
        {
            return static_cast<uint32_t>(key & m_setMask);
        }
        return static_cast<uint32_t>(key % m_sets);
    }

    /**
     * \brief Look a page up; a hit makes its entry the set's most recently used. Counts a hit or
     * a miss.
     * \param domain domain id \param page page number \param pageBytes page size
     * \return the valid entry for the page (valid until the next Fill, Resize or invalidation),
     *         or nullptr
     */
    Entry* Probe(uint32_t domain, uint64_t page, uint64_t pageBytes)
    {
        Entry* e = Find(domain, page, pageBytes);
        if (e == nullptr)
        {
            m_misses++;
            return nullptr;
        }
        Touch(*e);
        return e;
    }

    /**
     * \brief Look a page up without counting it or changing the LRU order (the caller decides:
     * Touch() if it uses the entry).
     * \param domain domain id \param page page number \param pageBytes page size
     * \return the valid entry for the page, or nullptr
     */
    Entry* Find(uint32_t domain, uint64_t page, uint64_t pageBytes)
    {
        Entry* set = &m_entriesBySet[std::size_t{SetIndex(domain, page, pageBytes)} * m_ways];
        for (uint32_t w = 0; w < m_ways; w++)
        {
            Entry& e = set[w];
            if (e.valid && e.page == page && e.domain == domain && e.pageBytes == pageBytes)
            {
                return &e;
            }
        }
        return nullptr;
    }

    /**
     * \brief Use an entry found by Find(): it becomes its set's most recently used, and a hit is
     * counted.
     * \param e the entry
     */
    void Touch(Entry& e)
    {
        m_hits++;
        e.lastUse = ++m_lruClock;
    }

    /**
     * \brief Insert a translation into its set, replacing an invalid entry if the set has one,
     * else the least recently used. It becomes the set's most recently used.
     * \param e the translation (domain, page, pageBytes, hpaPage, writable, readyStep; valid and
     *        lastUse are set here)
     */
    void Fill(const Entry& e)
    {
        Entry* set = &m_entriesBySet[std::size_t{SetIndex(e.domain, e.page, e.pageBytes)} * m_ways];
        Entry* victim = &set[0];
        for (uint32_t w = 0; w < m_ways; w++)
        {
            if (!set[w].valid)
            {
                victim = &set[w];
                break;
            }
            if (set[w].lastUse < victim->lastUse)
            {
                victim = &set[w];
            }
        }
        *victim = e;
        victim->valid = true;
        victim->lastUse = ++m_lruClock;
    }

    /**
     * \brief Drop the domain's entries whose page overlaps [iova, iova+bytes) (page-selective
     * invalidation).
     * \param domain domain id \param iova start \param bytes length
     */
    void InvalidateRange(uint32_t domain, uint64_t iova, uint64_t bytes);
    /** \brief Drop every entry of the domain (domain-selective invalidation). \param domain id */
    void InvalidateDomain(uint32_t domain);

    /** \return lookups that hit (Probe() hits and Touch() calls) */
    uint64_t GetHits() const
    {
        return m_hits;
    }

    /** \return Probe() lookups that missed */
    uint64_t GetMisses() const
    {
        return m_misses;
    }

    /** \brief Zero the counters (the entries stay). */
    void ResetCounters()
    {
        m_hits = 0;
        m_misses = 0;
    }

  private:
    static constexpr uint64_t PAGE_4K = 4096;    //!< 4 KiB page
    static constexpr uint64_t PAGE_2M = 2097152; //!< 2 MiB page

    uint32_t m_entries{0};             //!< total entries
    uint32_t m_ways{0};                //!< associativity
    uint32_t m_sets{0};                //!< entries / ways
    uint32_t m_setMask{0};             //!< m_sets - 1 when m_sets is a power of two
    bool m_setsPowerOfTwo{false};      //!< m_sets is a power of two: set = key & mask
    std::vector<Entry> m_entriesBySet; //!< set s holds ways [s * ways, (s + 1) * ways)
    uint64_t m_lruClock{0};            //!< source of LRU stamps
    uint64_t m_hits{0};                //!< counter
    uint64_t m_misses{0};              //!< counter
};

} // namespace ns3

#endif /* IOTLB_H */
