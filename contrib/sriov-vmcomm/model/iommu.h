/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef IOMMU_H
#define IOMMU_H

#include "iotlb.h"
#include "ns3/callback.h"
#include "ns3/event-id.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"
#include "paging-structure-cache.h"

#include <cstdint>
#include <map>
#include <vector>

namespace ns3 {

/**
 * \ingroup sriov-vmcomm
 * \brief DMA remapping unit (Intel VT-d class) in the root complex.
 *
 * One domain per VM, each with an IO page table from IO virtual address (IOVA, the guest
 * physical address under device assignment) to host physical address (HPA), in 4 KiB, 2 MiB or
 * 1 GiB pages. Page tables are kept as extents (a mapped range and its page size), so a VM with
 * gigabytes of memory costs a few map entries; the page granularity matters for the IOTLB and for
 * the depth of a walk.
 *
 * The IOTLB (Iotlb) is set associative (IotlbEntries, IotlbWays) with LRU replacement per set,
 * tagged by domain, page number and page size. A hit costs nothing; a miss walks the page table:
 * one memory access per level (4 levels for 4 KiB, 3 for 2 MiB, 2 for 1 GiB pages), at most
 * MaxConcurrentWalks walks at a time, later ones wait for a walker. With PostedWriteWalks > 0,
 * posted writes have walkers of their own (the root complex's posted queue): a write's miss and a
 * read's miss never wait for each other's walk. With PagingStructureCacheEntries > 0, the upper
 * entries a walk reads (PML4, PDPT, PD) are cached (PagingStructureCache) and a later walk reads
 * only the levels below the deepest cached one. The leaf read may wait for a DRAM refresh
 * (SetDramRefreshWait).
 *
 * An access with no mapping, or a write to a read-only mapping, is a fault: the translation
 * fails, the fault is counted and fired on the Fault trace, and the caller must write nothing.
 *
 * Unmap in strict mode invalidates the IOTLB at once (the invalidation takes
 * InvalidationLatency of CPU time, returned to the caller). In lazy mode, as Linux's flush queue,
 * the IOVA range is queued and the IOTLB is flushed when FlushQueueEntries are queued or
 * FlushTimeout after the first one: until then, a stale IOTLB entry still translates.
 */
class Iommu : public Object
{
  public:
    /** IOTLB invalidation policy on unmap. */
    enum InvalidationMode
    {
        STRICT = 0, //!< invalidate on every unmap
        LAZY = 1    //!< batch invalidations (flush queue)
    };

    /** Result of translating one access. */
    struct Translation
    {
        bool fault{false};     //!< no valid mapping: nothing may be accessed
        bool iotlbHit{false};  //!< the IOTLB held the page
        uint64_t hpa{0};       //!< host physical address of the IOVA
        uint64_t pageBytes{0}; //!< size of the page holding the IOVA
        Time readyAt;          //!< instant the translation is available (walk done)
    };

    /**
     * TracedCallback signature of the Fault trace.
     * \param domain domain id \param iova address \param write true for a DMA write
     */
    typedef void (*FaultTracedCallback)(uint32_t domain, uint64_t iova, bool write);
    /**
     * TracedCallback signature of the Translate trace.
     * \param domain domain id \param iova address \param hpa host physical address
     * \param hit true on an IOTLB hit
     */
    typedef void (*TranslateTracedCallback)(uint32_t domain, uint64_t iova, uint64_t hpa, bool hit);

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    Iommu();
    ~Iommu() override;

    /** \return a new, empty domain's id */
    uint32_t CreateDomain();

    /**
     * \brief Map [iova, iova+bytes) to [hpa, hpa+bytes) with pages of \p pageBytes.
     * \param domain domain id
     * \param iova IO virtual address, aligned to pageBytes
     * \param hpa host physical address, aligned to pageBytes
     * \param bytes length, a multiple of pageBytes
     * \param pageBytes 4096, 2097152 or 1073741824
     * \param writable false for a read-only mapping
     *
     * Aborts (NS_ABORT_MSG) on misaligned arguments, an unknown page size, or an overlap with an
     * existing mapping of the domain.
     */
    void Map(uint32_t domain, uint64_t iova, uint64_t hpa, uint64_t bytes, uint64_t pageBytes,
             bool writable = true);

    /**
     * \brief Remove the mapping of [iova, iova+bytes); the range must be exactly one earlier
     * Map() or a whole number of its pages at its start or end.
     * \param domain domain id
     * \param iova start of the range
     * \param bytes length of the range
     * \return CPU time the unmap costs the caller (InvalidationLatency in strict mode, zero when
     *         lazily queued)
     */
    Time Unmap(uint32_t domain, uint64_t iova, uint64_t bytes);

    /**
     * \brief Translate one access that does not cross a page boundary of its mapping.
     * \param domain domain id
     * \param iova address accessed
     * \param write true for a DMA write
     * \param now instant the access reaches the IOMMU
     * \return the translation; on a miss, readyAt includes the wait for a walker and the walk
     */
    Translation Translate(uint32_t domain, uint64_t iova, bool write, const Time& now);

    /**
     * \param domain domain id
     * \param iova address
     * \return bytes from iova to the end of its page, or 0 if iova is unmapped (no side effect)
     */
    uint64_t GetPageRemainder(uint32_t domain, uint64_t iova) const;

    /** \brief Flush the lazy invalidation queue now (also done by size and timeout). */
    void FlushQueue();

    /**
     * \brief Where a walk's leaf read goes: it waits this long for a DRAM refresh.
     *
     * A walk's leaf (page-table entry) read goes to memory (the leaf entries of a large window
     * are not in the host's cache, the upper ones are: PageWalkLeafExtraLatency), so it may meet
     * a refresh in progress (RootComplex::DramRefreshWait); DmaEngine::Attach sets it. Null
     * (the default): no wait.
     * \param wait returns one access's wait
     */
    void SetDramRefreshWait(Callback<Time> wait);

    /** \return IOTLB hits */
    uint64_t GetHits() const;
    /** \return IOTLB misses (each causes a walk) */
    uint64_t GetMisses() const;
    /** \return page-table memory accesses made by walks */
    uint64_t GetWalkAccesses() const;
    /** \return walks that skipped levels thanks to the paging-structure cache */
    uint64_t GetPagingStructureHits() const;
    /** \return faults */
    uint64_t GetFaults() const;
    /** \return IOTLB invalidation operations (strict unmaps and lazy flushes) */
    uint64_t GetInvalidations() const;
    /** \brief Zero the counters. */
    void ResetCounters();

  protected:
    void DoDispose() override;

  private:
    /** One mapped extent of a domain. */
    struct Extent
    {
        uint64_t iova;      //!< start
        uint64_t bytes;     //!< length
        uint64_t hpa;       //!< host physical start
        uint64_t pageBytes; //!< page size
        bool writable;      //!< write permission
    };

    /** A lazily queued invalidation. */
    struct PendingFlush
    {
        uint32_t domain; //!< domain id
        uint64_t iova;   //!< start
        uint64_t bytes;  //!< length
    };

    void NotifyConstructionCompleted() override;

    /** \brief Abort with a clear message if a combination of attribute values is invalid (the
     * checkers refuse single values out of range). */
    void CheckAttributes() const;
    /** \brief Rebuild the IOTLB, the walkers and the paging-structure cache if their
     * attributes changed. */
    void EnsureGeometry()
    {
        if (m_iotlb.GetEntries() != m_iotlbEntries || m_iotlb.GetWays() != m_iotlbWays
            || m_builtWalks != m_maxWalks || m_builtPostedWalks != m_postedWalks
            || m_builtPwcEntries != m_pwcEntries)
        {
            BuildGeometry();
        }
    }

    // FindExtent and WalkLevels are defined inline in iommu.cc (and the IOTLB's Probe, SetIndex
    // and Fill in iotlb.h): the library is built with -fPIC, where GCC inlines no exported
    // function, and Translate() calls them on every DMA.

    /** \param domain domain id; aborts if it does not exist */
    void CheckDomain(uint32_t domain) const
    {
        if (domain >= m_domains.size())
        {
            NoSuchDomain(domain);
        }
    }

    /** \brief Abort: the domain does not exist. \param domain domain id */
    [[noreturn]] void NoSuchDomain(uint32_t domain) const;
    /**
     * \param domain domain id
     * \param iova address
     * \return the extent holding iova, or nullptr
     */
    const Extent* FindExtent(uint32_t domain, uint64_t iova) const;
    /** \param pageBytes page size \return walk depth in levels */
    static uint32_t WalkLevels(uint64_t pageBytes);
    /** \brief Remove the IOTLB's and the paging-structure caches' entries of the domain
     * overlapping [iova, iova+bytes). \param domain domain id \param iova start
     * \param bytes length */
    void InvalidateRange(uint32_t domain, uint64_t iova, uint64_t bytes);
    /** \brief Remove all IOTLB and paging-structure cache entries of the domain
     * (domain-selective invalidation). \param domain domain id */
    void InvalidateDomain(uint32_t domain);
    /** \brief (Re)build the IOTLB's sets, the walkers and the paging-structure cache from their
     * attributes (at construction, and after an attribute change). */
    void BuildGeometry();

    uint32_t m_iotlbEntries;      //!< total IOTLB entries
    uint32_t m_iotlbWays;         //!< associativity
    Time m_walkLevelLatency;      //!< one page-table memory access
    Time m_walkLeafExtra;         //!< extra time of a walk's last (leaf) access
    uint32_t m_maxWalks;          //!< concurrent page walks
    uint32_t m_postedWalks;       //!< concurrent page walks of posted writes (0: shared)
    uint32_t m_pwcEntries;        //!< paging-structure cache entries per level (0: none)
    InvalidationMode m_mode;      //!< strict or lazy
    Time m_invalidationLatency;   //!< CPU cost of a strict invalidation
    uint32_t m_flushQueueEntries; //!< lazy: flush when this many are queued
    Time m_flushTimeout;          //!< lazy: flush this long after the first queued entry

    uint32_t m_builtWalks;       //!< walkers the heap was built for
    uint32_t m_builtPostedWalks; //!< posted-write walkers that heap was built for
    uint32_t m_builtPwcEntries;  //!< paging-structure cache entries it was built for

    std::vector<std::map<uint64_t, Extent>> m_domains; //!< per domain: extents by start iova
    /**
     * Per domain: the extent FindExtent() found last, or null. A VM's DMAs nearly all fall in
     * one extent; map nodes do not move, so the pointer stays valid until the extent is erased.
     */
    mutable std::vector<const Extent*> m_lastExtent;
    Iotlb m_iotlb;                          //!< leaf translations of past walks
    uint64_t m_lruClock;                    //!< source of the paging-structure cache's LRU stamps
    std::vector<int64_t> m_walkers;         //!< min-heap of walker busy-until time steps
    std::vector<int64_t> m_writeWalkers;    //!< the same for posted writes (PostedWriteWalks)
    std::vector<PendingFlush> m_flushQueue; //!< lazy invalidations not yet done
    EventId m_flushEvent;                   //!< lazy flush timeout
    PagingStructureCache m_pwc;             //!< upper-level entries of past walks
    Callback<Time> m_refreshWait;           //!< a page-table read's wait for a DRAM refresh

    uint64_t m_walkAccesses;  //!< counter
    uint64_t m_faults;        //!< counter
    uint64_t m_invalidations; //!< counter

    /** Fired on a fault: domain, iova, write */
    TracedCallback<uint32_t, uint64_t, bool> m_faultTrace;
    /** Fired on every successful translation: domain, iova, hpa, IOTLB hit */
    TracedCallback<uint32_t, uint64_t, uint64_t, bool> m_translateTrace;
};

} // namespace ns3

#endif /* IOMMU_H */
