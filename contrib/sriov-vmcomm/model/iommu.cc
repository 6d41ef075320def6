/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * DMA remapping unit (Intel VT-d class) in the root complex (see iommu.h).
 */
#include "iommu.h"

#include "ns3-compat.h"
#include "ns3/abort.h"
#include "ns3/assert.h"
#include "ns3/enum.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/trace-source-accessor.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <functional>
#include <limits>

namespace ns3 {

NS_LOG_COMPONENT_DEFINE("Iommu");

NS_OBJECT_ENSURE_REGISTERED(Iommu);

namespace {
constexpr uint64_t PAGE_4K = 4096;
constexpr uint64_t PAGE_2M = 2097152;
constexpr uint64_t PAGE_1G = 1073741824;

bool
IsPageSize(uint64_t pageBytes)
{
    return pageBytes == PAGE_4K || pageBytes == PAGE_2M || pageBytes == PAGE_1G;
}

/** \return log2 of a page size (12, 21 or 30) */
uint32_t
PageShift(uint64_t pageBytes)
{
    return static_cast<uint32_t>(__builtin_ctzll(pageBytes));
}
} // namespace

TypeId
Iommu::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::Iommu")
              .SetParent<Object>()
              .SetGroupName("SriovVmcomm")
              .AddConstructor<Iommu>()
              .AddAttribute(
                  "IotlbEntries",
                  "IOTLB capacity in entries (translations). Default 64: pcie-bench "
                  "(Neugebauer et al., SIGCOMM 2018, nfp6000-bdw) measured the IOTLB knee "
                  "at a 256 KiB window with 4 KiB pages = 64 entries (DESIGN section 7).",
                  UintegerValue(64), MakeUintegerAccessor(&Iommu::m_iotlbEntries),
                  MakeUintegerChecker<uint32_t>(1))
              .AddAttribute("IotlbWays",
                            "IOTLB associativity in entries per set; must divide IotlbEntries "
                            "(IotlbWays == IotlbEntries: fully associative). Default 4: an "
                            "estimate, Intel does not publish the VT-d IOTLB geometry.",
                            UintegerValue(4), MakeUintegerAccessor(&Iommu::m_iotlbWays),
                            MakeUintegerChecker<uint32_t>(1))
              .AddAttribute(
                  "PageWalkLevelLatency",
                  "Time of one page-table memory access during a walk (a walk makes one "
                  "per level: 4 for 4 KiB pages, 3 for 2 MiB, 2 for 1 GiB). Default 80 ns: "
                  "calibrated to pcie-bench nfp6000-bdw (DESIGN section 7), where a 4-level "
                  "walk adds 880 - 560 = 320 ns to a 64 B DMA read.",
                  TimeValue(NanoSeconds(80)), MakeTimeAccessor(&Iommu::m_walkLevelLatency),
                  MakeTimeChecker(Time(0)))
              .AddAttribute("MaxConcurrentWalks",
                            "Page walks in progress at once (walkers); a miss waits for a free "
                            "walker. Default 6: an estimate derived from pcie-bench nfp6000-bdw "
                            "(DESIGN section 7) by Little's law: 9.8 Gb/s of 64 B reads with "
                            "almost every access missing = 19.1 M walks/s x 320 ns = 6 walks. "
                            "At most 65536 (one slot each is kept).",
                            UintegerValue(6), MakeUintegerAccessor(&Iommu::m_maxWalks),
                            MakeUintegerChecker<uint32_t>(1, 65536))
              .AddAttribute(
                  "PostedWriteWalks",
                  "Page walks in progress at once for posted writes, in walkers of their own; "
                  "0: writes share the MaxConcurrentWalks walkers with reads. The root complex "
                  "keeps posted and non-posted requests in separate queues (PCIe ordering: a "
                  "posted write must be able to pass a read), and an IOMMU translating in that "
                  "inbound path can serve each queue with its own walkers: a write's miss then "
                  "waits for no read's walk, and the card does not wait for a posted write's "
                  "walk at all. Default 0: nfp6000-bdw measured reads only. nfp6000-hsw: fitted "
                  "on pcie-bench's Haswell host with the IOMMU on (estimate): 64 B writes over "
                  "8-64 MiB windows (every access misses) sustain 22.1-23.1 M walks/s where "
                  "reads sustain 19.1: 22.5 M/s x 320 ns = 7 walks (doc/validation.md). At "
                  "most 65536.",
                  UintegerValue(0), MakeUintegerAccessor(&Iommu::m_postedWalks),
                  MakeUintegerChecker<uint32_t>(0, 65536))
              .AddAttribute(
                  "PageWalkLeafExtraLatency",
                  "Time a walk's last access (the leaf entry: the page-table entry of a 4 KiB "
                  "page) takes beyond PageWalkLevelLatency: leaf entries are many and spread, "
                  "upper entries few and kept in the host's cache. Default 0: every level "
                  "costs the same, as nfp6000-bdw was calibrated.",
                  TimeValue(Time(0)), MakeTimeAccessor(&Iommu::m_walkLeafExtra),
                  MakeTimeChecker(Time(0)))
              .AddAttribute(
                  "PagingStructureCacheEntries",
                  "Entries of each of the paging-structure caches (PML4, PDPT and PD entries, "
                  "VT-d spec 6.2.2): a walk reads only the levels below the deepest cached "
                  "entry (a miss in a 2 MiB region whose PD entry is cached costs one level). "
                  "Default 0: no cache, every walk reads all its levels, as nfp6000-bdw was "
                  "calibrated (Intel does not publish the sizes).",
                  UintegerValue(0), MakeUintegerAccessor(&Iommu::m_pwcEntries),
                  MakeUintegerChecker<uint32_t>(0, 4096))
              .AddAttribute("InvalidationMode",
                            "IOTLB invalidation on unmap: STRICT (invalidate at every unmap) or "
                            "LAZY (batched in a flush queue). Default LAZY: the Linux default "
                            "(iommu.strict=0).",
                            EnumValue(Iommu::LAZY), compat::MakeEnumAccessor(&Iommu::m_mode),
                            MakeEnumChecker(Iommu::STRICT, "STRICT", Iommu::LAZY, "LAZY"))
              .AddAttribute("InvalidationLatency",
                            "CPU time of one synchronous IOTLB invalidation (submit the "
                            "invalidation and wait for its completion), charged to the unmap that "
                            "performs it. Default 1 us: an estimate of the order of magnitude of a "
                            "VT-d queued invalidation with wait; not measured for this model.",
                            TimeValue(MicroSeconds(1)),
                            MakeTimeAccessor(&Iommu::m_invalidationLatency),
                            MakeTimeChecker(Time(0)))
              .AddAttribute("FlushQueueEntries",
                            "Lazy mode: unmaps queued before the IOTLB is flushed, in entries. "
                            "Default 256: Linux's per-CPU flush queue size (IOVA_FQ_SIZE).",
                            UintegerValue(256), MakeUintegerAccessor(&Iommu::m_flushQueueEntries),
                            MakeUintegerChecker<uint32_t>(1))
              .AddAttribute(
                  "FlushTimeout",
                  "Lazy mode: time after the first queued unmap at which the IOTLB is "
                  "flushed. Default 10 ms: Linux's flush queue timeout (IOVA_FQ_TIMEOUT).",
                  TimeValue(MilliSeconds(10)), MakeTimeAccessor(&Iommu::m_flushTimeout),
                  MakeTimeChecker(TimeStep(1)))
              .AddTraceSource(
                  "Fault", "A DMA access faulted (unmapped IOVA or write to a read-only page).",
                  MakeTraceSourceAccessor(&Iommu::m_faultTrace), "ns3::Iommu::FaultTracedCallback")
              .AddTraceSource("Translate", "An access was translated (IOTLB hit or walk).",
                              MakeTraceSourceAccessor(&Iommu::m_translateTrace),
                              "ns3::Iommu::TranslateTracedCallback");
    return tid;
}

Iommu::Iommu()
    : m_iotlbEntries(64)
    , m_iotlbWays(4)
    , m_walkLevelLatency(NanoSeconds(80))
    , m_walkLeafExtra(Time(0))
    , m_maxWalks(6)
    , m_postedWalks(0)
    , m_pwcEntries(0)
    , m_mode(LAZY)
    , m_invalidationLatency(MicroSeconds(1))
    , m_flushQueueEntries(256)
    , m_flushTimeout(MilliSeconds(10))
    , m_builtWalks(0)
    , m_builtPostedWalks(0)
    , m_builtPwcEntries(0)
    , m_lruClock(0)
    , m_walkAccesses(0)
    , m_faults(0)
    , m_invalidations(0)
{
    NS_LOG_FUNCTION(this);
}

Iommu::~Iommu()
{
    NS_LOG_FUNCTION(this);
}

void
Iommu::NotifyConstructionCompleted()
{
    NS_LOG_FUNCTION(this);
    Object::NotifyConstructionCompleted();
    BuildGeometry();
}

void
Iommu::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_flushEvent.Cancel();
    m_flushQueue.clear();
    m_domains.clear();
    m_lastExtent.clear();
    m_iotlb = Iotlb();
    m_walkers.clear();
    m_refreshWait.Nullify();
    m_writeWalkers.clear();
    Object::DoDispose();
}

void
Iommu::CheckAttributes() const
{
    // The attributes' checkers refuse each value out of its range; what one checker cannot see
    // is a combination of two.
    NS_ASSERT_MSG(m_iotlbEntries >= 1 && m_iotlbWays >= 1 && m_maxWalks >= 1
                      && m_flushQueueEntries >= 1 && m_flushTimeout.IsStrictlyPositive(),
                  "Iommu: an attribute out of its checker's range");
    NS_ABORT_MSG_IF(m_iotlbEntries % m_iotlbWays != 0,
                    "Iommu: IotlbWays (" << m_iotlbWays << ") must divide IotlbEntries ("
                                         << m_iotlbEntries << ")");
}

void
Iommu::BuildGeometry()
{
    NS_LOG_FUNCTION(this << m_iotlbEntries << m_iotlbWays << m_maxWalks);
    CheckAttributes();
    m_iotlb.Resize(m_iotlbEntries, m_iotlbWays);
    m_walkers.assign(m_maxWalks, std::numeric_limits<int64_t>::min());
    m_writeWalkers.assign(m_postedWalks, std::numeric_limits<int64_t>::min());
    m_builtWalks = m_maxWalks;
    m_builtPostedWalks = m_postedWalks;
    m_pwc.Resize(m_pwcEntries);
    m_builtPwcEntries = m_pwcEntries;
}

uint32_t
Iommu::CreateDomain()
{
    NS_LOG_FUNCTION(this);
    m_domains.emplace_back();
    m_lastExtent.push_back(nullptr);
    return static_cast<uint32_t>(m_domains.size() - 1);
}

void
Iommu::NoSuchDomain(uint32_t domain) const
{
    NS_ABORT_MSG("Iommu: domain " << domain << " does not exist (" << m_domains.size()
                                  << " domains created)");
}

void
Iommu::Map(uint32_t domain, uint64_t iova, uint64_t hpa, uint64_t bytes, uint64_t pageBytes,
           bool writable)
{
    NS_LOG_FUNCTION(this << domain << iova << hpa << bytes << pageBytes << writable);
    CheckAttributes();
    CheckDomain(domain);
    NS_ABORT_MSG_IF(!IsPageSize(pageBytes), "Iommu::Map: page size "
                                                << pageBytes
                                                << " is not 4096, 2097152 or 1073741824 bytes");
    NS_ABORT_MSG_IF(bytes == 0, "Iommu::Map: empty range");
    NS_ABORT_MSG_IF(iova % pageBytes != 0 || hpa % pageBytes != 0 || bytes % pageBytes != 0,
                    "Iommu::Map: iova 0x" << std::hex << iova << ", hpa 0x" << hpa << ", bytes 0x"
                                          << bytes << " not all aligned to the page size 0x"
                                          << pageBytes);
    NS_ABORT_MSG_IF(iova + bytes < iova || hpa + bytes < hpa,
                    "Iommu::Map: range wraps around the address space");

    auto& extents = m_domains[domain];
    auto next = extents.lower_bound(iova);
    NS_ABORT_MSG_IF(next != extents.end() && next->first < iova + bytes,
                    "Iommu::Map: [0x" << std::hex << iova << ", 0x" << iova + bytes
                                      << ") overlaps the mapping at 0x" << next->first
                                      << " in domain " << std::dec << domain);
    if (next != extents.begin())
    {
        const Extent& prev = std::prev(next)->second;
        NS_ABORT_MSG_IF(prev.iova + prev.bytes > iova,
                        "Iommu::Map: [0x" << std::hex << iova << ", 0x" << iova + bytes
                                          << ") overlaps the mapping at 0x" << prev.iova
                                          << " in domain " << std::dec << domain);
    }
    extents.emplace_hint(next, iova, Extent{iova, bytes, hpa, pageBytes, writable});

    // Linux never reuses an IOVA before its lazy flush; a caller that does must not see the old
    // translation, so drop stale entries of the range.
    for (const auto& p : m_flushQueue)
    {
        if (p.domain == domain && p.iova < iova + bytes && iova < p.iova + p.bytes)
        {
            InvalidateRange(domain, iova, bytes);
            break;
        }
    }
}

Time
Iommu::Unmap(uint32_t domain, uint64_t iova, uint64_t bytes)
{
    NS_LOG_FUNCTION(this << domain << iova << bytes);
    CheckAttributes();
    CheckDomain(domain);
    NS_ABORT_MSG_IF(bytes == 0, "Iommu::Unmap: empty range");
    const Extent* found = FindExtent(domain, iova);
    NS_ABORT_MSG_IF(found == nullptr, "Iommu::Unmap: iova 0x" << std::hex << iova
                                                              << " is not mapped in domain "
                                                              << std::dec << domain);
    const Extent ext = *found;
    const uint64_t end = iova + bytes;
    const uint64_t extEnd = ext.iova + ext.bytes;
    NS_ABORT_MSG_IF(end < iova || end > extEnd, "Iommu::Unmap: [0x"
                                                    << std::hex << iova << ", 0x" << end
                                                    << ") extends past the mapping [0x" << ext.iova
                                                    << ", 0x" << extEnd << ")");
    NS_ABORT_MSG_IF((iova - ext.iova) % ext.pageBytes != 0 || bytes % ext.pageBytes != 0,
                    "Iommu::Unmap: [0x" << std::hex << iova << ", 0x" << end
                                        << ") is not a whole number of the mapping's 0x"
                                        << ext.pageBytes << "-byte pages");

    // Keep what remains of the extent on either side.
    auto& extents = m_domains[domain];
    m_lastExtent[domain] = nullptr; // the extent is erased
    extents.erase(ext.iova);
    if (iova > ext.iova)
    {
        extents.emplace(ext.iova,
                        Extent{ext.iova, iova - ext.iova, ext.hpa, ext.pageBytes, ext.writable});
    }
    if (end < extEnd)
    {
        extents.emplace(end, Extent{end, extEnd - end, ext.hpa + (end - ext.iova), ext.pageBytes,
                                    ext.writable});
    }

    if (m_mode == STRICT)
    {
        InvalidateRange(domain, iova, bytes);
        m_invalidations++;
        return m_invalidationLatency;
    }

    m_flushQueue.push_back(PendingFlush{domain, iova, bytes});
    if (m_flushQueue.size() >= m_flushQueueEntries)
    {
        // As Linux's queue_iova(): a full queue is flushed synchronously by the unmap that
        // fills it, so that caller pays the invalidation.
        FlushQueue();
        return m_invalidationLatency;
    }
    if (!compat::IsPending(m_flushEvent))
    {
        m_flushEvent = Simulator::Schedule(m_flushTimeout, &Iommu::FlushQueue, this);
    }
    return Seconds(0);
}

void
Iommu::FlushQueue()
{
    NS_LOG_FUNCTION(this << m_flushQueue.size());
    m_flushEvent.Cancel();
    if (m_flushQueue.empty())
    {
        return;
    }
    // Linux's flush queue flushes the whole domain's IOTLB (flush_iotlb_all), not the queued
    // ranges: live translations of the domain are lost too.
    std::vector<uint32_t> flushed;
    for (const auto& p : m_flushQueue)
    {
        if (std::find(flushed.begin(), flushed.end(), p.domain) == flushed.end())
        {
            flushed.push_back(p.domain);
            InvalidateDomain(p.domain);
            m_invalidations++;
        }
    }
    m_flushQueue.clear();
}

inline const Iommu::Extent*
Iommu::FindExtent(uint32_t domain, uint64_t iova) const
{
    // Extents do not overlap: one that holds iova is the one the search would find.
    const Extent* last = m_lastExtent[domain];
    if (last != nullptr && iova - last->iova < last->bytes)
    {
        return last;
    }
    const auto& extents = m_domains[domain];
    auto it = extents.upper_bound(iova);
    if (it == extents.begin())
    {
        return nullptr;
    }
    --it;
    const Extent& e = it->second;
    if (iova - e.iova >= e.bytes)
    {
        return nullptr;
    }
    m_lastExtent[domain] = &e;
    return &e;
}

inline uint32_t
Iommu::WalkLevels(uint64_t pageBytes)
{
    // x86-64 4-level paging: a 2 MiB page stops one level early, a 1 GiB page two.
    switch (pageBytes)
    {
        case PAGE_4K:
            return 4;
        case PAGE_2M:
            return 3;
        case PAGE_1G:
            return 2;
        default:
            NS_ABORT_MSG("Iommu: unknown page size " << pageBytes);
    }
    return 4;
}

void
Iommu::InvalidateRange(uint32_t domain, uint64_t iova, uint64_t bytes)
{
    NS_LOG_FUNCTION(this << domain << iova << bytes);
    m_pwc.InvalidateRange(domain, iova, bytes);
    m_iotlb.InvalidateRange(domain, iova, bytes);
}

void
Iommu::InvalidateDomain(uint32_t domain)
{
    NS_LOG_FUNCTION(this << domain);
    m_pwc.InvalidateDomain(domain);
    m_iotlb.InvalidateDomain(domain);
}

Iommu::Translation
Iommu::Translate(uint32_t domain, uint64_t iova, bool write, const Time& now)
{
    NS_LOG_FUNCTION(this << domain << iova << write << now);
    EnsureGeometry();
    CheckDomain(domain);
    Translation t;
    const int64_t nowStep = now.GetTimeStep();

    const Extent* ext = FindExtent(domain, iova);
    Iotlb::Entry* hit = nullptr;
    bool fault = false;
    if (ext != nullptr)
    {
        fault = write && !ext->writable;
        if (!fault)
        {
            hit = m_iotlb.Probe(domain, iova >> PageShift(ext->pageBytes), ext->pageBytes);
        }
    }
    else if (!m_flushQueue.empty())
    {
        // Unmapped, but a lazily invalidated IOTLB entry may still translate it. Only then is
        // the page size unknown, so look each up; the entry is used (Touch) only if the access
        // is allowed.
        for (uint64_t pb : {PAGE_4K, PAGE_2M, PAGE_1G})
        {
            hit = m_iotlb.Find(domain, iova >> PageShift(pb), pb);
            if (hit != nullptr)
            {
                break;
            }
        }
        fault = hit == nullptr || (write && !hit->writable);
        if (!fault)
        {
            m_iotlb.Touch(*hit);
        }
    }
    else
    {
        fault = true;
    }

    if (fault)
    {
        m_faults++;
        NS_LOG_LOGIC("fault: domain " << domain << " iova 0x" << std::hex << iova << std::dec
                                      << (write ? " write" : " read"));
        m_faultTrace(domain, iova, write);
        t.fault = true;
        t.readyAt = now;
        return t;
    }

    if (hit != nullptr)
    {
        t.iotlbHit = true;
        t.pageBytes = hit->pageBytes;
        t.hpa = hit->hpaPage + (iova & (hit->pageBytes - 1));
        // A hit on an entry whose walk is still in progress waits for that walk.
        t.readyAt = hit->readyStep > nowStep ? TimeStep(hit->readyStep) : now;
    }
    else
    {
        // The walk reads only the levels below the deepest upper entry cached.
        const uint32_t levels = m_pwc.Walk(domain, iova, WalkLevels(ext->pageBytes), ++m_lruClock);
        m_walkAccesses += levels;
        // Take the walker that frees up first: a posted write's own walkers if it has them.
        std::vector<int64_t>& walkers
            = write && !m_writeWalkers.empty() ? m_writeWalkers : m_walkers;
        std::pop_heap(walkers.begin(), walkers.end(), std::greater<>());
        const int64_t start = std::max(nowStep, walkers.back());
        int64_t done = start + int64_t{levels} * m_walkLevelLatency.GetTimeStep()
                     + m_walkLeafExtra.GetTimeStep();
        if (!m_refreshWait.IsNull())
        {
            // The leaf read goes to DRAM (the upper entries stay in the host's cache) and may
            // meet a refresh; the walker waits for it too.
            done += m_refreshWait().GetTimeStep();
        }
        walkers.back() = done;
        std::push_heap(walkers.begin(), walkers.end(), std::greater<>());

        const uint64_t pageOffset = iova & (ext->pageBytes - 1);
        t.pageBytes = ext->pageBytes;
        t.hpa = ext->hpa + (iova - ext->iova);
        t.readyAt = TimeStep(done);

        Iotlb::Entry e;
        e.domain = domain;
        e.page = iova >> PageShift(ext->pageBytes);
        e.pageBytes = ext->pageBytes;
        e.hpaPage = t.hpa - pageOffset;
        e.writable = ext->writable;
        e.readyStep = done;
        m_iotlb.Fill(e);
        NS_LOG_LOGIC("miss: domain " << domain << " iova 0x" << std::hex << iova << std::dec
                                     << " walk " << levels << " levels, ready " << t.readyAt);
    }
    if (!m_translateTrace.IsEmpty())
    {
        m_translateTrace(domain, iova, t.hpa, t.iotlbHit);
    }
    return t;
}

uint64_t
Iommu::GetPageRemainder(uint32_t domain, uint64_t iova) const
{
    CheckDomain(domain);
    const Extent* ext = FindExtent(domain, iova);
    if (ext == nullptr)
    {
        return 0;
    }
    return ext->pageBytes - (iova & (ext->pageBytes - 1));
}

void
Iommu::SetDramRefreshWait(Callback<Time> wait)
{
    m_refreshWait = wait;
}

uint64_t
Iommu::GetHits() const
{
    return m_iotlb.GetHits();
}

uint64_t
Iommu::GetMisses() const
{
    return m_iotlb.GetMisses();
}

uint64_t
Iommu::GetWalkAccesses() const
{
    return m_walkAccesses;
}

uint64_t
Iommu::GetPagingStructureHits() const
{
    return m_pwc.GetHits();
}

uint64_t
Iommu::GetFaults() const
{
    return m_faults;
}

uint64_t
Iommu::GetInvalidations() const
{
    return m_invalidations;
}

void
Iommu::ResetCounters()
{
    NS_LOG_FUNCTION(this);
    m_iotlb.ResetCounters();
    m_walkAccesses = 0;
    m_pwc.ResetCounters();
    m_faults = 0;
    m_invalidations = 0;
}

} // namespace ns3
