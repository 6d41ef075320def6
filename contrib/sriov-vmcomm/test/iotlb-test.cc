/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Tests of the IOTLB alone (Iotlb): set mapping, LRU replacement within a set, hits after a fill,
 * page- and domain-selective invalidation, the page size in the tag.
 */
#include "ns3/iotlb.h"

#include <gtest/gtest.h>

#include <set>
#include <vector>

using namespace ns3;

namespace {
constexpr uint64_t KIB4 = 4096;
constexpr uint64_t MIB2 = 2097152;
constexpr uint64_t GIB1 = 1073741824;
constexpr uint64_t HPA = uint64_t{64} << 30; // host physical base of the test translations

/** A translation of page \p page (of \p pageBytes) of \p domain to HPA + page * pageBytes. */
Iotlb::Entry
Translation(uint32_t domain, uint64_t page, uint64_t pageBytes = KIB4, bool writable = true)
{
    Iotlb::Entry e;
    e.domain = domain;
    e.page = page;
    e.pageBytes = pageBytes;
    e.hpaPage = HPA + page * pageBytes;
    e.writable = writable;
    e.readyStep = static_cast<int64_t>(page);
    return e;
}

/** \return the pages of \p pages that \p tlb holds (domain 0, 4 KiB), without touching them */
std::vector<uint64_t>
Held(Iotlb& tlb, const std::vector<uint64_t>& pages)
{
    std::vector<uint64_t> held;
    for (uint64_t p : pages)
    {
        if (tlb.Find(0, p, KIB4) != nullptr)
        {
            held.push_back(p);
        }
    }
    return held;
}
} // namespace

TEST(IotlbTest, Geometry)
{
    Iotlb tlb;
    tlb.Resize(64, 4);
    EXPECT_EQ(tlb.GetEntries(), 64u);
    EXPECT_EQ(tlb.GetWays(), 4u);
    EXPECT_EQ(tlb.GetSets(), 16u);
    tlb.Resize(12, 12);
    EXPECT_EQ(tlb.GetSets(), 1u);
    tlb.Resize(12, 4);
    EXPECT_EQ(tlb.GetSets(), 3u);
}

TEST(IotlbTest, SetMapping)
{
    Iotlb tlb;
    // Power-of-two set count (mask) and not (modulo): domain 0's 4 KiB pages map to page mod sets.
    for (uint32_t entries : {64u, 12u})
    {
        tlb.Resize(entries, 4);
        const uint32_t sets = tlb.GetSets();
        for (uint64_t p = 0; p < 40; p++)
        {
            EXPECT_EQ(tlb.SetIndex(0, p, KIB4), p % sets) << "page " << p << ", sets " << sets;
        }
        // Any domain and page size: consecutive pages go to consecutive sets (no set conflict
        // within a run of `sets` pages), and every set index is in range.
        for (uint32_t d : {1u, 7u})
        {
            for (uint64_t pb : {KIB4, MIB2, GIB1})
            {
                std::set<uint32_t> used;
                for (uint64_t p = 1000; p < 1000 + sets; p++)
                {
                    const uint32_t s = tlb.SetIndex(d, p, pb);
                    EXPECT_LT(s, sets);
                    EXPECT_EQ(tlb.SetIndex(d, p + 1, pb), (s + 1) % sets);
                    used.insert(s);
                }
                EXPECT_EQ(used.size(), sets);
            }
        }
    }
    // The domain rotates the mapping: page 0 of domains 0 and 1 lands in different sets.
    tlb.Resize(64, 4);
    EXPECT_NE(tlb.SetIndex(0, 0, KIB4), tlb.SetIndex(1, 0, KIB4));
}

TEST(IotlbTest, HitAfterFill)
{
    Iotlb tlb;
    tlb.Resize(64, 4);
    EXPECT_EQ(tlb.Probe(0, 5, KIB4), nullptr);
    EXPECT_EQ(tlb.GetMisses(), 1u);
    tlb.Fill(Translation(0, 5, KIB4, false));
    Iotlb::Entry* e = tlb.Probe(0, 5, KIB4);
    ASSERT_NE(e, nullptr);
    EXPECT_TRUE(e->valid);
    EXPECT_EQ(e->hpaPage, HPA + 5 * KIB4);
    EXPECT_FALSE(e->writable);
    EXPECT_EQ(e->readyStep, 5);
    EXPECT_EQ(tlb.GetHits(), 1u);
    // Another domain's page 5 is another translation.
    EXPECT_EQ(tlb.Probe(1, 5, KIB4), nullptr);
    EXPECT_EQ(tlb.GetMisses(), 2u);
    // Find counts nothing; Touch counts a hit.
    e = tlb.Find(0, 5, KIB4);
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(tlb.GetHits(), 1u);
    tlb.Touch(*e);
    EXPECT_EQ(tlb.GetHits(), 2u);
    tlb.ResetCounters();
    EXPECT_EQ(tlb.GetHits(), 0u);
    EXPECT_EQ(tlb.GetMisses(), 0u);
    EXPECT_NE(tlb.Find(0, 5, KIB4), nullptr); // the entries stay
    // Resize empties it.
    tlb.Resize(64, 4);
    EXPECT_EQ(tlb.Find(0, 5, KIB4), nullptr);
}

TEST(IotlbTest, FullyAssociativeLru)
{
    Iotlb tlb;
    tlb.Resize(4, 4);
    for (uint64_t p = 0; p < 4; p++)
    {
        tlb.Fill(Translation(0, p));
    }
    EXPECT_EQ(Held(tlb, {0, 1, 2, 3}), (std::vector<uint64_t>{0, 1, 2, 3}));
    ASSERT_NE(tlb.Probe(0, 0, KIB4), nullptr); // 0 is now the most recent: 1 is the LRU
    tlb.Fill(Translation(0, 4));
    EXPECT_EQ(Held(tlb, {0, 1, 2, 3, 4}), (std::vector<uint64_t>{0, 2, 3, 4}));
    tlb.Fill(Translation(0, 5)); // evicts 2
    tlb.Fill(Translation(0, 6)); // evicts 3
    EXPECT_EQ(Held(tlb, {0, 1, 2, 3, 4, 5, 6}), (std::vector<uint64_t>{0, 4, 5, 6}));
    // Find does not change the order; Touch does.
    ASSERT_NE(tlb.Find(0, 0, KIB4), nullptr);
    tlb.Fill(Translation(0, 7)); // 0 is still the LRU
    EXPECT_EQ(Held(tlb, {0, 4, 5, 6, 7}), (std::vector<uint64_t>{4, 5, 6, 7}));
    tlb.Touch(*tlb.Find(0, 4, KIB4));
    tlb.Fill(Translation(0, 8)); // evicts 5, not 4
    EXPECT_EQ(Held(tlb, {4, 5, 6, 7, 8}), (std::vector<uint64_t>{4, 6, 7, 8}));
}

TEST(IotlbTest, FourWayLruWithinSet)
{
    Iotlb tlb;
    tlb.Resize(16, 4); // 4 sets: domain 0's page p is in set p mod 4
    for (uint64_t p : {0, 4, 8, 12, 1, 5})
    {
        tlb.Fill(Translation(0, p));
    }
    ASSERT_NE(tlb.Probe(0, 0, KIB4), nullptr);
    ASSERT_NE(tlb.Probe(0, 8, KIB4), nullptr);
    tlb.Fill(Translation(0, 16)); // set 0 is full: evicts its LRU, 4
    EXPECT_EQ(Held(tlb, {0, 4, 8, 12, 16}), (std::vector<uint64_t>{0, 8, 12, 16}));
    tlb.Fill(Translation(0, 20)); // then 12
    EXPECT_EQ(Held(tlb, {0, 4, 8, 12, 16, 20}), (std::vector<uint64_t>{0, 8, 16, 20}));
    // The other sets were not touched: set 1 still holds 1 and 5, and has free ways.
    EXPECT_EQ(Held(tlb, {1, 5}), (std::vector<uint64_t>{1, 5}));
    tlb.Fill(Translation(0, 9));
    tlb.Fill(Translation(0, 13));
    EXPECT_EQ(Held(tlb, {1, 5, 9, 13}), (std::vector<uint64_t>{1, 5, 9, 13}));
    // A fill into a set with an invalidated way takes that way, not the LRU.
    tlb.InvalidateRange(0, 8 * KIB4, KIB4);
    tlb.Fill(Translation(0, 24));
    EXPECT_EQ(Held(tlb, {0, 8, 16, 20, 24}), (std::vector<uint64_t>{0, 16, 20, 24}));
}

TEST(IotlbTest, InvalidateRange)
{
    Iotlb tlb;
    tlb.Resize(64, 64);
    for (uint64_t p = 0; p < 8; p++)
    {
        tlb.Fill(Translation(0, p));
        tlb.Fill(Translation(1, p));
    }
    tlb.Fill(Translation(0, 3, MIB2)); // [6 MiB, 8 MiB)
    // [2 pages + 100, 3 pages + 100) overlaps pages 2 and 3 of domain 0 only.
    tlb.InvalidateRange(0, 2 * KIB4 + 100, KIB4);
    EXPECT_EQ(Held(tlb, {0, 1, 2, 3, 4, 5, 6, 7}), (std::vector<uint64_t>{0, 1, 4, 5, 6, 7}));
    for (uint64_t p = 0; p < 8; p++)
    {
        EXPECT_NE(tlb.Find(1, p, KIB4), nullptr) << "domain 1 page " << p;
    }
    EXPECT_NE(tlb.Find(0, 3, MIB2), nullptr);
    // A range ending where a page starts does not touch it; one byte inside a 2 MiB page drops it.
    tlb.InvalidateRange(0, 0, 3 * MIB2);
    EXPECT_NE(tlb.Find(0, 3, MIB2), nullptr);
    EXPECT_EQ(Held(tlb, {0, 1, 4, 5, 6, 7}), (std::vector<uint64_t>{}));
    tlb.InvalidateRange(0, 4 * MIB2 - 1, 1);
    EXPECT_EQ(tlb.Find(0, 3, MIB2), nullptr);
}

TEST(IotlbTest, InvalidateDomain)
{
    Iotlb tlb;
    tlb.Resize(64, 4);
    for (uint64_t p = 0; p < 8; p++)
    {
        tlb.Fill(Translation(0, p));
        tlb.Fill(Translation(1, p, MIB2));
    }
    tlb.InvalidateDomain(0);
    EXPECT_EQ(Held(tlb, {0, 1, 2, 3, 4, 5, 6, 7}), (std::vector<uint64_t>{}));
    for (uint64_t p = 0; p < 8; p++)
    {
        EXPECT_NE(tlb.Find(1, p, MIB2), nullptr) << "domain 1 page " << p;
    }
}

TEST(IotlbTest, PageSizeInTag)
{
    // A 4 KiB and a 2 MiB translation of the same page number are distinct entries, in a fully
    // associative IOTLB (same set) and in a 4-way one.
    for (uint32_t ways : {8u, 4u})
    {
        Iotlb tlb;
        tlb.Resize(8, ways);
        tlb.Fill(Translation(0, 5, KIB4));
        EXPECT_EQ(tlb.Probe(0, 5, MIB2), nullptr);
        EXPECT_EQ(tlb.Probe(0, 5, GIB1), nullptr);
        tlb.Fill(Translation(0, 5, MIB2));
        Iotlb::Entry* small = tlb.Probe(0, 5, KIB4);
        Iotlb::Entry* large = tlb.Probe(0, 5, MIB2);
        ASSERT_NE(small, nullptr);
        ASSERT_NE(large, nullptr);
        EXPECT_NE(small, large);
        EXPECT_EQ(small->hpaPage, HPA + 5 * KIB4);
        EXPECT_EQ(large->hpaPage, HPA + 5 * MIB2);
        EXPECT_EQ(large->pageBytes, MIB2);
        // Invalidating the 4 KiB page's range leaves the 2 MiB page (its range is elsewhere).
        tlb.InvalidateRange(0, 5 * KIB4, KIB4);
        EXPECT_EQ(tlb.Find(0, 5, KIB4), nullptr);
        EXPECT_NE(tlb.Find(0, 5, MIB2), nullptr);
    }
}

TEST(IotlbDeathTest, BadGeometryAborts)
{
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_DEATH(
        {
            Iotlb tlb;
            tlb.Resize(64, 5);
        },
        "multiple of ways");
    EXPECT_DEATH(
        {
            Iotlb tlb;
            tlb.Resize(0, 1);
        },
        "at least 1");
}
