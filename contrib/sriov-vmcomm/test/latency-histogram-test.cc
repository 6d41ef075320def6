/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "ns3/latency-histogram.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

using namespace ns3;

namespace {

/// Exact nearest-rank percentile of a sorted sample.
int64_t
ExactPercentile(const std::vector<int64_t>& sorted, double p)
{
    auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * sorted.size()));
    rank = std::clamp<std::size_t>(rank, 1, sorted.size());
    return sorted[rank - 1];
}

} // namespace

TEST(LatencyHistogram, EmptyIsZero)
{
    LatencyHistogram h;
    EXPECT_EQ(h.GetCount(), 0U);
    EXPECT_EQ(h.GetMean(), Time(0));
    EXPECT_EQ(h.GetMin(), Time(0));
    EXPECT_EQ(h.GetMax(), Time(0));
    EXPECT_EQ(h.GetPercentile(50), Time(0));
    EXPECT_TRUE(h.GetBuckets().empty());
}

TEST(LatencyHistogram, BucketLayoutIsContiguousAndNarrow)
{
    // Every bucket starts where the previous ends, and is at most 1/32 of its start wide.
    for (std::size_t i = 1; i < LatencyHistogram::BUCKET_COUNT; ++i)
    {
        ASSERT_EQ(LatencyHistogram::BucketLowNs(i), LatencyHistogram::BucketHighNs(i - 1)) << i;
        const int64_t lo = LatencyHistogram::BucketLowNs(i);
        const int64_t hi = LatencyHistogram::BucketHighNs(i);
        ASSERT_GT(hi, lo);
        if (i >= static_cast<std::size_t>(LatencyHistogram::SUB_COUNT))
        {
            ASSERT_LE(static_cast<double>(hi - lo) / static_cast<double>(lo), 1.0 / 32 + 1e-12);
        }
        ASSERT_EQ(LatencyHistogram::BucketIndex(lo), i);
        if (i + 1 < LatencyHistogram::BUCKET_COUNT)
        {
            ASSERT_EQ(LatencyHistogram::BucketIndex(hi - 1), i);
        }
    }
    EXPECT_EQ(LatencyHistogram::BucketIndex(std::numeric_limits<int64_t>::max()),
              LatencyHistogram::BUCKET_COUNT - 1);
    EXPECT_EQ(LatencyHistogram::BucketIndex(-5), 0U);
}

TEST(LatencyHistogram, UniformPercentiles)
{
    LatencyHistogram h;
    for (int64_t v = 1; v <= 10000; ++v)
    {
        h.Record(NanoSeconds(v));
    }
    EXPECT_EQ(h.GetCount(), 10000U);
    EXPECT_EQ(h.GetMin(), NanoSeconds(1));
    EXPECT_EQ(h.GetMax(), NanoSeconds(10000));
    EXPECT_DOUBLE_EQ(h.GetMeanNs(), 5000.5);
    EXPECT_EQ(h.GetSumNs(), 50005000);
    EXPECT_NEAR(h.GetPercentileNs(50), 5000, 5000 * 0.05);
    EXPECT_NEAR(h.GetPercentileNs(99), 9900, 9900 * 0.05);
    EXPECT_NEAR(h.GetPercentileNs(99.9), 9990, 9990 * 0.05);
    EXPECT_EQ(h.GetPercentileNs(0), 1);
    EXPECT_EQ(h.GetPercentileNs(100), 10000);
    EXPECT_NEAR(h.GetPercentile(50).GetNanoSeconds(), 5000, 250);
    // Small values are exact.
    EXPECT_EQ(h.GetPercentileNs(0.1), 10);
}

TEST(LatencyHistogram, RandomDistributionsWithinBucketError)
{
    std::mt19937_64 rng(42);
    std::lognormal_distribution<double> lognormal(std::log(20000.0), 1.0);
    std::exponential_distribution<double> expo(1.0 / 3000.0);
    for (int dist = 0; dist < 2; ++dist)
    {
        LatencyHistogram h;
        std::vector<int64_t> values;
        for (int i = 0; i < 100000; ++i)
        {
            const double x = dist == 0 ? lognormal(rng) : expo(rng);
            const auto v = static_cast<int64_t>(x);
            values.push_back(v);
            h.RecordNs(v);
        }
        std::sort(values.begin(), values.end());
        for (double p : {1.0, 10.0, 50.0, 90.0, 99.0, 99.9, 99.99})
        {
            const double exact = static_cast<double>(ExactPercentile(values, p));
            // Half a bucket (1/64) plus rounding for the smallest values.
            EXPECT_NEAR(h.GetPercentileNs(p), exact, exact / 60.0 + 1.0)
                << "distribution " << dist << " p" << p;
        }
        EXPECT_EQ(h.GetMinNs(), values.front());
        EXPECT_EQ(h.GetMaxNs(), values.back());
    }
}

TEST(LatencyHistogram, PercentileClampedToMinMax)
{
    LatencyHistogram h;
    h.RecordNs(1000000); // a wide bucket; its middle is above the value
    EXPECT_EQ(h.GetPercentileNs(50), 1000000);
    EXPECT_EQ(h.GetPercentile(99), MicroSeconds(1000));
}

TEST(LatencyHistogram, MergeEqualsRecordingAll)
{
    std::mt19937_64 rng(7);
    std::uniform_int_distribution<int64_t> dist(0, 50000000);
    LatencyHistogram a;
    LatencyHistogram b;
    LatencyHistogram all;
    for (int i = 0; i < 20000; ++i)
    {
        const int64_t v = dist(rng);
        (i % 3 == 0 ? a : b).RecordNs(v);
        all.RecordNs(v);
    }
    LatencyHistogram merged;
    merged.Merge(a);
    merged.Merge(b);
    merged.Merge(LatencyHistogram()); // merging an empty one changes nothing
    EXPECT_EQ(merged.GetCount(), all.GetCount());
    EXPECT_EQ(merged.GetSumNs(), all.GetSumNs());
    EXPECT_EQ(merged.GetMinNs(), all.GetMinNs());
    EXPECT_EQ(merged.GetMaxNs(), all.GetMaxNs());
    const auto mb = merged.GetBuckets();
    const auto ab = all.GetBuckets();
    ASSERT_EQ(mb.size(), ab.size());
    for (std::size_t i = 0; i < mb.size(); ++i)
    {
        EXPECT_EQ(mb[i].loNs, ab[i].loNs);
        EXPECT_EQ(mb[i].hiNs, ab[i].hiNs);
        EXPECT_EQ(mb[i].count, ab[i].count);
    }
    for (double p : {0.0, 25.0, 50.0, 99.0, 100.0})
    {
        EXPECT_EQ(merged.GetPercentileNs(p), all.GetPercentileNs(p));
    }
}

TEST(LatencyHistogram, BucketsCoverAllValues)
{
    LatencyHistogram h;
    h.RecordNs(3);
    h.RecordNs(3);
    h.RecordNs(100);
    h.RecordNs(1000000, 5);
    const auto buckets = h.GetBuckets();
    ASSERT_EQ(buckets.size(), 3U);
    EXPECT_EQ(buckets[0].loNs, 3);
    EXPECT_EQ(buckets[0].hiNs, 4);
    EXPECT_EQ(buckets[0].count, 2U);
    EXPECT_LE(buckets[1].loNs, 100);
    EXPECT_GT(buckets[1].hiNs, 100);
    EXPECT_LE(buckets[2].loNs, 1000000);
    EXPECT_GT(buckets[2].hiNs, 1000000);
    EXPECT_EQ(buckets[2].count, 5U);
    EXPECT_EQ(h.GetCount(), 8U);
    h.Reset();
    EXPECT_EQ(h.GetCount(), 0U);
    EXPECT_TRUE(h.GetBuckets().empty());
}
