/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "ns3/config.h"
#include "ns3/enum.h"
#include "ns3/iommu.h"
#include "ns3/nstime.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <tuple>
#include <vector>

using namespace ns3;

namespace {
constexpr uint64_t KIB4 = 4096;
constexpr uint64_t MIB2 = 2097152;
constexpr uint64_t GIB1 = 1073741824;
constexpr uint64_t HPA = uint64_t{64} << 30; // host physical base of the test mappings

Ptr<Iommu>
MakeIommu(uint32_t entries, uint32_t ways, uint32_t walks = 6,
          Iommu::InvalidationMode mode = Iommu::LAZY)
{
    Ptr<Iommu> iommu = CreateObject<Iommu>();
    iommu->SetAttribute("IotlbEntries", UintegerValue(entries));
    iommu->SetAttribute("IotlbWays", UintegerValue(ways));
    iommu->SetAttribute("MaxConcurrentWalks", UintegerValue(walks));
    iommu->SetAttribute("InvalidationMode", EnumValue(mode));
    return iommu;
}

/** Translate pages (4 KiB page numbers) in order; return "H"/"M" per access. */
std::string
Pattern(Ptr<Iommu> iommu, uint32_t domain, const std::vector<uint64_t>& pages)
{
    std::string s;
    Time now = MicroSeconds(1);
    for (uint64_t p : pages)
    {
        Iommu::Translation t = iommu->Translate(domain, p * KIB4 + 8, false, now);
        EXPECT_FALSE(t.fault);
        EXPECT_EQ(t.hpa, HPA + p * KIB4 + 8);
        s += t.iotlbHit ? 'H' : 'M';
        now += MicroSeconds(1); // every walk finished: no walker contention
    }
    return s;
}
} // namespace

TEST(IommuTest, FullyAssociativeLru)
{
    Ptr<Iommu> iommu = MakeIommu(4, 4);
    uint32_t d = iommu->CreateDomain();
    iommu->Map(d, 0, HPA, 16 * KIB4, KIB4);
    // A B C D A E B D C: E evicts B (least recent after A's reuse), B evicts C, D still hits.
    // FIFO would give MMMMHMHHM, so this checks LRU.
    EXPECT_EQ(Pattern(iommu, d, {0, 1, 2, 3, 0, 4, 1, 3, 2}), "MMMMHMMHM");
    EXPECT_EQ(iommu->GetHits(), 2u);
    EXPECT_EQ(iommu->GetMisses(), 7u);
    EXPECT_EQ(iommu->GetWalkAccesses(), 7u * 4);
}

TEST(IommuTest, SetAssociativeConflictMisses)
{
    // Pages 0, 4, 8 differ by a multiple of the set count (8 entries / 2 ways = 4 sets): they
    // share one 2-way set and thrash it, though the IOTLB has room for all three.
    Ptr<Iommu> setAssoc = MakeIommu(8, 2);
    uint32_t d = setAssoc->CreateDomain();
    setAssoc->Map(d, 0, HPA, 16 * KIB4, KIB4);
    EXPECT_EQ(Pattern(setAssoc, d, {0, 4, 8, 0, 4, 8}), "MMMMMM");
    // Pages in distinct sets do not conflict.
    EXPECT_EQ(Pattern(setAssoc, d, {1, 2, 3, 1, 2, 3}), "MMMHHH");

    Ptr<Iommu> full = MakeIommu(8, 8);
    uint32_t f = full->CreateDomain();
    full->Map(f, 0, HPA, 16 * KIB4, KIB4);
    EXPECT_EQ(Pattern(full, f, {0, 4, 8, 0, 4, 8}), "MMMHHH");
}

TEST(IommuTest, WalkLatencyOnMissOnly)
{
    Ptr<Iommu> iommu = MakeIommu(64, 4);
    iommu->SetAttribute("PageWalkLevelLatency", TimeValue(NanoSeconds(80)));
    uint32_t d = iommu->CreateDomain();
    iommu->Map(d, 0, HPA, 4 * KIB4, KIB4);
    iommu->Map(d, MIB2, HPA + MIB2, MIB2, MIB2);
    iommu->Map(d, GIB1, HPA + GIB1, GIB1, GIB1);

    const Time now = MicroSeconds(10);
    Iommu::Translation miss = iommu->Translate(d, 100, false, now);
    EXPECT_FALSE(miss.iotlbHit);
    EXPECT_EQ(miss.readyAt - now, NanoSeconds(4 * 80));
    EXPECT_EQ(miss.pageBytes, KIB4);
    EXPECT_EQ(miss.hpa, HPA + 100);

    const Time later = MicroSeconds(20);
    Iommu::Translation hit = iommu->Translate(d, 200, true, later);
    EXPECT_TRUE(hit.iotlbHit);
    EXPECT_EQ(hit.readyAt, later);
    EXPECT_EQ(hit.hpa, HPA + 200);

    EXPECT_EQ(iommu->Translate(d, MIB2 + 5, false, later).readyAt - later, NanoSeconds(3 * 80));
    EXPECT_EQ(iommu->Translate(d, GIB1 + 5, false, later).readyAt - later, NanoSeconds(2 * 80));
    EXPECT_EQ(iommu->GetWalkAccesses(), 4u + 3u + 2u);

    iommu->ResetCounters();
    EXPECT_EQ(iommu->GetHits() + iommu->GetMisses() + iommu->GetWalkAccesses(), 0u);
}

TEST(IommuTest, HitDuringWalkWaitsForIt)
{
    Ptr<Iommu> iommu = MakeIommu(64, 4);
    uint32_t d = iommu->CreateDomain();
    iommu->Map(d, 0, HPA, KIB4, KIB4);
    const Time now = MicroSeconds(1);
    Iommu::Translation first = iommu->Translate(d, 0, false, now);
    Iommu::Translation second = iommu->Translate(d, 64, false, now + NanoSeconds(10));
    EXPECT_FALSE(first.iotlbHit);
    EXPECT_TRUE(second.iotlbHit);
    EXPECT_EQ(second.readyAt, first.readyAt);
    EXPECT_EQ(iommu->GetMisses(), 1u);
}

TEST(IommuTest, HugePagesRemoveMisses)
{
    auto sweep = [](uint64_t pageBytes)
    {
        Ptr<Iommu> iommu = MakeIommu(64, 4);
        uint32_t d = iommu->CreateDomain();
        iommu->Map(d, 0, HPA, MIB2, pageBytes);
        Time now = MicroSeconds(1);
        std::vector<uint64_t> misses;
        for (int pass = 0; pass < 2; pass++)
        {
            iommu->ResetCounters();
            for (uint64_t a = 0; a < MIB2; a += 64)
            {
                EXPECT_FALSE(iommu->Translate(d, a, false, now).fault);
                now += NanoSeconds(10);
            }
            misses.push_back(iommu->GetMisses());
        }
        return misses;
    };
    // 512 pages of 4 KiB cycle through 64 entries: every page misses on every pass.
    EXPECT_EQ(sweep(KIB4), (std::vector<uint64_t>{512, 512}));
    EXPECT_EQ(sweep(MIB2), (std::vector<uint64_t>{1, 0}));
}

TEST(IommuTest, IotlbReach)
{
    // pcie-bench's knee: random 64 B accesses hit within entries x 4 KiB and mostly miss beyond.
    auto hitRatio = [](uint64_t window)
    {
        Ptr<Iommu> iommu = MakeIommu(64, 4);
        uint32_t d = iommu->CreateDomain();
        iommu->Map(d, 0, HPA, uint64_t{64} << 20, KIB4);
        std::mt19937_64 rng(42);
        std::uniform_int_distribution<uint64_t> pick(0, window / 64 - 1);
        Time now = MicroSeconds(1);
        for (int i = 0; i < 20000; i++) // warm-up
        {
            iommu->Translate(d, pick(rng) * 64, false, now);
        }
        iommu->ResetCounters();
        for (int i = 0; i < 20000; i++)
        {
            iommu->Translate(d, pick(rng) * 64, false, now);
        }
        return double(iommu->GetHits()) / double(iommu->GetHits() + iommu->GetMisses());
    };
    EXPECT_GT(hitRatio(64 * KIB4), 0.99);
    EXPECT_LT(hitRatio(16 * 64 * KIB4), 0.15); // expected 1/16
}

TEST(IommuTest, BoundedConcurrentWalks)
{
    const uint32_t walkers = 2;
    Ptr<Iommu> iommu = MakeIommu(64, 64, walkers);
    uint32_t d = iommu->CreateDomain();
    iommu->Map(d, 0, HPA, 16 * KIB4, KIB4);
    const Time walk = iommu->Translate(d, 15 * KIB4, false, Seconds(0)).readyAt;
    ASSERT_EQ(walk, NanoSeconds(320));

    const Time now = MicroSeconds(5);
    std::vector<Time> ready;
    for (uint64_t p = 0; p < 5; p++)
    {
        ready.push_back(iommu->Translate(d, p * KIB4, false, now).readyAt - now);
    }
    // Two walkers: misses start in pairs, each pair one walk after the previous.
    EXPECT_EQ(ready, (std::vector<Time>{walk, walk, 2 * walk, 2 * walk, 3 * walk}));
}

// Posted writes with walkers of their own (PostedWriteWalks): a burst of write misses waits only
// for the write walkers, reads only for theirs, and 0 keeps one shared pool.
TEST(IommuTest, PostedWritesHaveTheirOwnWalkers)
{
    const Time walk = NanoSeconds(320); // 4 levels x 80 ns
    const Time now = MicroSeconds(5);
    auto burst = [&](Ptr<Iommu> iommu, uint32_t d, const std::vector<bool>& writes)
    {
        std::vector<Time> ready;
        for (uint64_t p = 0; p < writes.size(); p++)
        {
            ready.push_back(iommu->Translate(d, p * KIB4, writes[p], now).readyAt - now);
        }
        return ready;
    };
    const std::vector<bool> mix{true, true, true, false, false, true};
    {
        // Shared: two walkers for reads and writes alike, misses start in pairs.
        Ptr<Iommu> iommu = MakeIommu(64, 64, 2);
        const uint32_t d = iommu->CreateDomain();
        iommu->Map(d, 0, HPA, 16 * KIB4, KIB4);
        EXPECT_EQ(burst(iommu, d, mix),
                  (std::vector<Time>{walk, walk, 2 * walk, 2 * walk, 3 * walk, 3 * walk}));
    }
    {
        // Two read walkers, three write walkers: the reads find theirs free.
        Ptr<Iommu> iommu = MakeIommu(64, 64, 2);
        iommu->SetAttribute("PostedWriteWalks", UintegerValue(3));
        const uint32_t d = iommu->CreateDomain();
        iommu->Map(d, 0, HPA, 16 * KIB4, KIB4);
        EXPECT_EQ(burst(iommu, d, mix),
                  (std::vector<Time>{walk, walk, walk, walk, walk, 2 * walk}));
        // Four more writes to new pages: three walkers each busy until 2 walks, 1 walk, 1 walk.
        std::vector<Time> more;
        for (uint64_t p = 6; p < 10; p++)
        {
            more.push_back(iommu->Translate(d, p * KIB4, true, now).readyAt - now);
        }
        EXPECT_EQ(more, (std::vector<Time>{2 * walk, 2 * walk, 3 * walk, 3 * walk}));
        // A write to a page a write walker already walks shares that walk (no walker).
        EXPECT_EQ(iommu->Translate(d, 9 * KIB4 + 64, true, now).readyAt - now, 3 * walk);
        EXPECT_EQ(iommu->GetMisses(), 10u);
    }
}

// The paging-structure cache (PagingStructureCacheEntries): a walk reads only the levels below
// the deepest cached upper entry (PML4 per 512 GiB, PDPT per 1 GiB, PD per 2 MiB), 0 keeps every
// walk at its full depth, and an invalidation drops the entries covering the range.
TEST(IommuTest, PagingStructureCacheShortensWalks)
{
    const Time level = NanoSeconds(80);
    const uint64_t MIB2 = 2097152;
    const uint64_t GIB1 = 1073741824;
    auto walk = [](Ptr<Iommu> iommu, uint32_t d, uint64_t iova, Time& now)
    {
        now += MicroSeconds(10); // walkers idle: readyAt - now is the walk's own time
        return iommu->Translate(d, iova, false, now).readyAt - now;
    };
    {
        Ptr<Iommu> iommu = MakeIommu(64, 64);
        iommu->SetAttribute("PagingStructureCacheEntries", UintegerValue(1));
        iommu->SetAttribute("InvalidationMode", EnumValue(Iommu::STRICT));
        const uint32_t d = iommu->CreateDomain();
        iommu->Map(d, 0, HPA, 2 * GIB1, KIB4);
        Time now = MicroSeconds(1);
        EXPECT_EQ(walk(iommu, d, 0, now), 4 * level);           // nothing cached
        EXPECT_EQ(walk(iommu, d, KIB4, now), level);            // same 2 MiB: PD cached
        EXPECT_EQ(walk(iommu, d, MIB2 + KIB4, now), 2 * level); // same 1 GiB: PDPT cached
        EXPECT_EQ(walk(iommu, d, GIB1 + KIB4, now), 3 * level); // same 512 GiB: PML4 cached
        EXPECT_EQ(walk(iommu, d, 2 * KIB4, now), 3 * level);    // one entry per level: evicted
        EXPECT_EQ(walk(iommu, d, 3 * KIB4, now), level);        // refilled by that walk
        EXPECT_EQ(iommu->GetPagingStructureHits(), 5u);
        EXPECT_EQ(iommu->GetWalkAccesses(), 14u);
        // A strict unmap of one page drops the PD, PDPT and PML4 entries covering it.
        iommu->Unmap(d, 4 * KIB4, KIB4);
        EXPECT_EQ(walk(iommu, d, 5 * KIB4, now), 4 * level);
        // Another domain's walk does not use this domain's entries.
        const uint32_t other = iommu->CreateDomain();
        iommu->Map(other, 0, HPA, MIB2, KIB4);
        EXPECT_EQ(walk(iommu, other, KIB4, now), 4 * level);
    }
    {
        // 0 (the default): every walk reads all its levels; a 2 MiB page walks 3.
        Ptr<Iommu> iommu = MakeIommu(64, 64);
        const uint32_t d = iommu->CreateDomain();
        iommu->Map(d, 0, HPA, MIB2, KIB4);
        iommu->Map(d, GIB1, HPA + GIB1, 2 * MIB2, MIB2);
        Time now = MicroSeconds(1);
        EXPECT_EQ(walk(iommu, d, 0, now), 4 * level);
        EXPECT_EQ(walk(iommu, d, KIB4, now), 4 * level);
        EXPECT_EQ(walk(iommu, d, GIB1, now), 3 * level);
        EXPECT_EQ(walk(iommu, d, GIB1 + MIB2, now), 3 * level);
        EXPECT_EQ(iommu->GetPagingStructureHits(), 0u);
    }
    {
        // 2 MiB pages: the PD entry is the leaf (IOTLB), so a walk caches PML4 and PDPT only.
        Ptr<Iommu> iommu = MakeIommu(64, 64);
        iommu->SetAttribute("PagingStructureCacheEntries", UintegerValue(4));
        const uint32_t d = iommu->CreateDomain();
        iommu->Map(d, 0, HPA, 4 * MIB2, MIB2);
        Time now = MicroSeconds(1);
        EXPECT_EQ(walk(iommu, d, 0, now), 3 * level);
        EXPECT_EQ(walk(iommu, d, MIB2, now), level);
    }
    {
        // PageWalkLeafExtraLatency: the leaf access costs more, whatever levels are skipped.
        Ptr<Iommu> iommu = MakeIommu(64, 64);
        iommu->SetAttribute("PagingStructureCacheEntries", UintegerValue(1));
        iommu->SetAttribute("PageWalkLeafExtraLatency", TimeValue(NanoSeconds(100)));
        const uint32_t d = iommu->CreateDomain();
        iommu->Map(d, 0, HPA, MIB2, KIB4);
        Time now = MicroSeconds(1);
        EXPECT_EQ(walk(iommu, d, 0, now), 4 * level + NanoSeconds(100));
        EXPECT_EQ(walk(iommu, d, KIB4, now), level + NanoSeconds(100));
    }
}

TEST(IommuTest, FaultsAreCountedAndTraced)
{
    Ptr<Iommu> iommu = MakeIommu(64, 4);
    uint32_t d = iommu->CreateDomain();
    iommu->Map(d, 0, HPA, KIB4, KIB4, true);
    iommu->Map(d, KIB4, HPA + KIB4, KIB4, KIB4, false); // read-only

    std::vector<std::tuple<uint32_t, uint64_t, bool>> faults;
    iommu->TraceConnectWithoutContext("Fault",
                                      Callback<void, uint32_t, uint64_t, bool>(
                                          [&faults](uint32_t dom, uint64_t iova, bool write)
                                          {
                                              faults.emplace_back(dom, iova, write);
                                          }));
    std::vector<std::tuple<uint64_t, uint64_t, bool>> translations;
    iommu->TraceConnectWithoutContext(
        "Translate", Callback<void, uint32_t, uint64_t, uint64_t, bool>(
                         [&translations](uint32_t, uint64_t iova, uint64_t hpa, bool hit)
                         {
                             translations.emplace_back(iova, hpa, hit);
                         }));

    const Time now = MicroSeconds(1);
    Iommu::Translation unmapped = iommu->Translate(d, 5 * KIB4, true, now);
    EXPECT_TRUE(unmapped.fault);
    EXPECT_EQ(unmapped.hpa, 0u);
    Iommu::Translation readOnly = iommu->Translate(d, KIB4 + 16, true, now);
    EXPECT_TRUE(readOnly.fault);
    EXPECT_EQ(readOnly.hpa, 0u);
    Iommu::Translation read = iommu->Translate(d, KIB4 + 16, false, now);
    EXPECT_FALSE(read.fault);
    EXPECT_EQ(read.hpa, HPA + KIB4 + 16);

    EXPECT_EQ(iommu->GetFaults(), 2u);
    using F = std::tuple<uint32_t, uint64_t, bool>;
    EXPECT_EQ(faults, (std::vector<F>{F{d, 5 * KIB4, true}, F{d, KIB4 + 16, true}}));
    using T = std::tuple<uint64_t, uint64_t, bool>;
    EXPECT_EQ(translations, (std::vector<T>{T{KIB4 + 16, HPA + KIB4 + 16, false}}));
}

TEST(IommuTest, DomainsAreSeparate)
{
    Ptr<Iommu> iommu = MakeIommu(64, 4);
    uint32_t a = iommu->CreateDomain();
    uint32_t b = iommu->CreateDomain();
    EXPECT_NE(a, b);
    iommu->Map(a, 0, HPA, KIB4, KIB4);
    iommu->Map(b, 0, 2 * HPA, KIB4, KIB4);
    const Time now = MicroSeconds(1);
    EXPECT_EQ(iommu->Translate(a, 8, false, now).hpa, HPA + 8);
    EXPECT_EQ(iommu->Translate(b, 8, false, now).hpa, 2 * HPA + 8);
    EXPECT_EQ(iommu->Translate(b, 8, false, now).hpa, 2 * HPA + 8);
    EXPECT_EQ(iommu->GetMisses(), 2u); // domain b does not hit domain a's entry
    EXPECT_TRUE(iommu->Translate(b, KIB4, false, now).fault);
}

TEST(IommuTest, PageRemainder)
{
    Ptr<Iommu> iommu = MakeIommu(64, 4);
    uint32_t d = iommu->CreateDomain();
    iommu->Map(d, 0, HPA, 2 * KIB4, KIB4);
    iommu->Map(d, MIB2, HPA + MIB2, MIB2, MIB2);
    EXPECT_EQ(iommu->GetPageRemainder(d, 100), KIB4 - 100);
    EXPECT_EQ(iommu->GetPageRemainder(d, KIB4), KIB4);
    EXPECT_EQ(iommu->GetPageRemainder(d, MIB2 + 100), MIB2 - 100);
    EXPECT_EQ(iommu->GetPageRemainder(d, 3 * KIB4), 0u);
    EXPECT_EQ(iommu->GetMisses() + iommu->GetHits(), 0u); // no side effect
}

TEST(IommuTest, StrictUnmapInvalidatesAtOnce)
{
    Ptr<Iommu> iommu = MakeIommu(64, 4, 6, Iommu::STRICT);
    iommu->SetAttribute("InvalidationLatency", TimeValue(MicroSeconds(2)));
    uint32_t d = iommu->CreateDomain();
    iommu->Map(d, 0, HPA, 3 * KIB4, KIB4);
    const Time now = MicroSeconds(1);
    for (uint64_t p = 0; p < 3; p++)
    {
        iommu->Translate(d, p * KIB4, false, now);
    }
    EXPECT_TRUE(iommu->Translate(d, KIB4, false, now).iotlbHit);

    // Unmap the middle page: it faults at once; its neighbours stay mapped and cached.
    EXPECT_EQ(iommu->Unmap(d, KIB4, KIB4), MicroSeconds(2));
    EXPECT_EQ(iommu->GetInvalidations(), 1u);
    EXPECT_TRUE(iommu->Translate(d, KIB4, false, now).fault);
    Iommu::Translation left = iommu->Translate(d, 0, false, now);
    Iommu::Translation right = iommu->Translate(d, 2 * KIB4 + 4, false, now);
    EXPECT_TRUE(left.iotlbHit);
    EXPECT_TRUE(right.iotlbHit);
    EXPECT_EQ(right.hpa, HPA + 2 * KIB4 + 4);
    EXPECT_EQ(iommu->GetPageRemainder(d, KIB4), 0u);
    EXPECT_EQ(iommu->GetPageRemainder(d, 2 * KIB4), KIB4);

    // Remapped elsewhere, the page walks again and gets the new address: no stale entry.
    iommu->Map(d, KIB4, 2 * HPA, KIB4, KIB4);
    Iommu::Translation remapped = iommu->Translate(d, KIB4 + 4, false, now);
    EXPECT_FALSE(remapped.iotlbHit);
    EXPECT_EQ(remapped.hpa, 2 * HPA + 4);
}

TEST(IommuTest, LazyUnmapLeavesStaleEntryUntilFlush)
{
    Ptr<Iommu> iommu = MakeIommu(64, 4, 6, Iommu::LAZY);
    uint32_t d = iommu->CreateDomain();
    iommu->Map(d, 0, HPA, 2 * KIB4, KIB4);
    const Time now = MicroSeconds(1);
    iommu->Translate(d, 0, false, now);
    iommu->Translate(d, KIB4, false, now);

    EXPECT_EQ(iommu->Unmap(d, 0, KIB4), Seconds(0));
    EXPECT_EQ(iommu->GetPageRemainder(d, 0), 0u); // the mapping is gone at once...
    Iommu::Translation stale = iommu->Translate(d, 8, true, now);
    EXPECT_FALSE(stale.fault); // ...but the IOTLB still translates it
    EXPECT_TRUE(stale.iotlbHit);
    EXPECT_EQ(stale.hpa, HPA + 8);
    EXPECT_EQ(iommu->GetInvalidations(), 0u);

    iommu->FlushQueue();
    EXPECT_EQ(iommu->GetInvalidations(), 1u);
    EXPECT_TRUE(iommu->Translate(d, 8, true, now).fault);
    // Linux flushes the whole domain: the live page misses once, then hits.
    Iommu::Translation live = iommu->Translate(d, KIB4, false, now);
    EXPECT_FALSE(live.fault);
    EXPECT_FALSE(live.iotlbHit);
    Simulator::Destroy();
}

TEST(IommuTest, WalkLeafReadWaitsForADramRefresh)
{
    // A walk's leaf read goes to DRAM: its refresh wait (one call per walk) lengthens the walk
    // and holds the walker, so the next miss on the one walker starts after it. Hits never ask.
    const Time level = NanoSeconds(80);
    Ptr<Iommu> iommu = MakeIommu(64, 64, 1);
    const uint32_t d = iommu->CreateDomain();
    iommu->Map(d, 0, HPA, 16 * KIB4, KIB4);
    int asked = 0;
    std::vector<Time> waits{NanoSeconds(100), Time(0)};
    iommu->SetDramRefreshWait(Callback<Time>(
        [&asked, &waits]()
        {
            return waits[asked++];
        }));
    const Time now = MicroSeconds(1);
    EXPECT_EQ(iommu->Translate(d, 0, false, now).readyAt, now + 4 * level + NanoSeconds(100));
    EXPECT_EQ(iommu->Translate(d, 8, false, now).readyAt, now + 4 * level + NanoSeconds(100));
    EXPECT_EQ(asked, 1); // the hit waited for the walk in progress, not for a refresh
    // The one walker was busy until the first walk's end.
    EXPECT_EQ(iommu->Translate(d, KIB4, false, now).readyAt, now + 8 * level + NanoSeconds(100));
    EXPECT_EQ(asked, 2);
}

TEST(IommuTest, LazyFlushOnTimeout)
{
    Ptr<Iommu> iommu = MakeIommu(64, 4, 6, Iommu::LAZY);
    iommu->SetAttribute("FlushTimeout", TimeValue(MilliSeconds(10)));
    uint32_t d = iommu->CreateDomain();
    iommu->Map(d, 0, HPA, KIB4, KIB4);
    iommu->Translate(d, 0, false, Seconds(0));
    iommu->Unmap(d, 0, KIB4); // at t = 0

    Simulator::Stop(MilliSeconds(9));
    Simulator::Run();
    EXPECT_TRUE(iommu->Translate(d, 0, false, Simulator::Now()).iotlbHit);
    EXPECT_EQ(iommu->GetInvalidations(), 0u);

    Simulator::Stop(MilliSeconds(2));
    Simulator::Run();
    EXPECT_EQ(iommu->GetInvalidations(), 1u);
    EXPECT_TRUE(iommu->Translate(d, 0, false, Simulator::Now()).fault);
    Simulator::Destroy();
}

TEST(IommuTest, LazyFlushWhenQueueFull)
{
    Ptr<Iommu> iommu = MakeIommu(64, 4, 6, Iommu::LAZY);
    iommu->SetAttribute("FlushQueueEntries", UintegerValue(4));
    iommu->SetAttribute("InvalidationLatency", TimeValue(MicroSeconds(1)));
    uint32_t d = iommu->CreateDomain();
    iommu->Map(d, 0, HPA, 4 * KIB4, KIB4);
    const Time now = MicroSeconds(1);
    for (uint64_t p = 0; p < 4; p++)
    {
        iommu->Translate(d, p * KIB4, false, now);
    }
    for (uint64_t p = 0; p < 3; p++)
    {
        EXPECT_EQ(iommu->Unmap(d, p * KIB4, KIB4), Seconds(0));
    }
    EXPECT_EQ(iommu->GetInvalidations(), 0u);
    EXPECT_TRUE(iommu->Translate(d, 2 * KIB4, false, now).iotlbHit);
    // The fourth fills the queue: that unmap flushes and pays the invalidation.
    EXPECT_EQ(iommu->Unmap(d, 3 * KIB4, KIB4), MicroSeconds(1));
    EXPECT_EQ(iommu->GetInvalidations(), 1u);
    for (uint64_t p = 0; p < 4; p++)
    {
        EXPECT_TRUE(iommu->Translate(d, p * KIB4, false, now).fault);
    }
    Simulator::Destroy();
}

TEST(IommuTest, RemapBeforeLazyFlushSeesNewMapping)
{
    Ptr<Iommu> iommu = MakeIommu(64, 4, 6, Iommu::LAZY);
    uint32_t d = iommu->CreateDomain();
    iommu->Map(d, 0, HPA, KIB4, KIB4);
    const Time now = MicroSeconds(1);
    iommu->Translate(d, 0, false, now);
    iommu->Unmap(d, 0, KIB4);
    iommu->Map(d, 0, 2 * HPA, KIB4, KIB4);
    EXPECT_EQ(iommu->Translate(d, 0, false, now).hpa, 2 * HPA);
    Simulator::Destroy();
}

TEST(IommuDeathTest, InvalidUseAborts)
{
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_DEATH(
        {
            Ptr<Iommu> iommu = MakeIommu(64, 4);
            uint32_t d = iommu->CreateDomain();
            iommu->Map(d, 0, HPA, 4 * KIB4, KIB4);
            iommu->Map(d, 3 * KIB4, HPA, KIB4, KIB4);
        },
        "overlaps");
    EXPECT_DEATH(
        {
            Ptr<Iommu> iommu = MakeIommu(64, 4);
            uint32_t d = iommu->CreateDomain();
            iommu->Map(d, 100, HPA, KIB4, KIB4);
        },
        "aligned");
    EXPECT_DEATH(
        {
            Ptr<Iommu> iommu = MakeIommu(64, 4);
            uint32_t d = iommu->CreateDomain();
            iommu->Map(d, 0, HPA, 8192, 8192);
        },
        "page size");
    EXPECT_DEATH(
        {
            Ptr<Iommu> iommu = MakeIommu(64, 5);
            iommu->CreateDomain();
            iommu->Translate(0, 0, false, Seconds(0));
        },
        "must divide");
    EXPECT_DEATH(
        {
            Ptr<Iommu> iommu = MakeIommu(64, 4);
            iommu->Translate(3, 0, false, Seconds(0));
        },
        "does not exist");
}

TEST(IommuTest, InvalidAttributesAreRefused)
{
    // The checkers refuse what the IOMMU cannot take, on an object and as a default (a command
    // line's --ns3::Iommu::... goes through Config::SetDefaultFailSafe).
    auto refused = [](const std::string& name, const AttributeValue& value)
    {
        Ptr<Iommu> iommu = CreateObject<Iommu>();
        return !iommu->SetAttributeFailSafe(name, value)
            && !Config::SetDefaultFailSafe("ns3::Iommu::" + name, value);
    };
    EXPECT_TRUE(refused("IotlbEntries", UintegerValue(0)));
    EXPECT_TRUE(refused("IotlbWays", UintegerValue(0)));
    EXPECT_TRUE(refused("MaxConcurrentWalks", UintegerValue(0)));
    EXPECT_TRUE(refused("MaxConcurrentWalks", UintegerValue(65537)));
    EXPECT_TRUE(refused("FlushQueueEntries", UintegerValue(0)));
    EXPECT_TRUE(refused("FlushTimeout", TimeValue(Time(0))));
    EXPECT_TRUE(refused("PageWalkLevelLatency", TimeValue(NanoSeconds(-1))));
    EXPECT_TRUE(refused("InvalidationLatency", TimeValue(NanoSeconds(-1))));
    Ptr<Iommu> iommu = CreateObject<Iommu>();
    EXPECT_TRUE(iommu->SetAttributeFailSafe("MaxConcurrentWalks", UintegerValue(65536)));
    EXPECT_TRUE(iommu->SetAttributeFailSafe("FlushTimeout", TimeValue(NanoSeconds(1))));
}
