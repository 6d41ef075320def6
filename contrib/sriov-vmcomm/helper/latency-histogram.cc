/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Latency statistics with log-spaced buckets (HDR-histogram style) (see latency-histogram.h).
 */
#include "latency-histogram.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ns3 {

LatencyHistogram::LatencyHistogram()
    : m_counts(BUCKET_COUNT, 0)
    , m_count(0)
    , m_sumNs(0)
    , m_minNs(0)
    , m_maxNs(0)
{
}

std::size_t
LatencyHistogram::BucketIndex(int64_t ns)
{
    if (ns < SUB_COUNT)
    {
        return ns < 0 ? 0 : static_cast<std::size_t>(ns);
    }
    // e = position of the highest set bit (>= SUB_BITS); the next SUB_BITS bits pick the
    // linear sub-bucket inside [2^e, 2^(e+1)).
    const int e = 63 - __builtin_clzll(static_cast<unsigned long long>(ns));
    const int shift = e - SUB_BITS;
    const auto sub = static_cast<std::size_t>((ns >> shift) - SUB_COUNT);
    return static_cast<std::size_t>(e - SUB_BITS + 1) * SUB_COUNT + sub;
}

int64_t
LatencyHistogram::BucketLowNs(std::size_t index)
{
    if (index < static_cast<std::size_t>(SUB_COUNT))
    {
        return static_cast<int64_t>(index);
    }
    const int shift = static_cast<int>(index / SUB_COUNT) - 1;
    const auto sub = static_cast<int64_t>(index % SUB_COUNT);
    return (SUB_COUNT + sub) << shift;
}

int64_t
LatencyHistogram::BucketHighNs(std::size_t index)
{
    if (index < static_cast<std::size_t>(SUB_COUNT))
    {
        return static_cast<int64_t>(index) + 1;
    }
    const int shift = static_cast<int>(index / SUB_COUNT) - 1;
    const int64_t low = BucketLowNs(index);
    const int64_t width = int64_t{1} << shift;
    // The last bucket ends at 2^63, which int64_t cannot hold.
    if (low > std::numeric_limits<int64_t>::max() - width)
    {
        return std::numeric_limits<int64_t>::max();
    }
    return low + width;
}

double
LatencyHistogram::BucketMiddleNs(std::size_t index)
{
    // Recorded values are integers lo .. hi-1; their middle is the best single estimate.
    const auto lo = static_cast<double>(BucketLowNs(index));
    const auto hi = static_cast<double>(BucketHighNs(index));
    return (lo + hi - 1.0) / 2.0;
}

void
LatencyHistogram::Record(Time latency)
{
    RecordNs(latency.GetNanoSeconds());
}

void
LatencyHistogram::RecordNs(int64_t ns, uint64_t count)
{
    if (count == 0)
    {
        return;
    }
    ns = std::max<int64_t>(ns, 0);
    m_counts[BucketIndex(ns)] += count;
    if (m_count == 0)
    {
        m_minNs = ns;
        m_maxNs = ns;
    }
    else
    {
        m_minNs = std::min(m_minNs, ns);
        m_maxNs = std::max(m_maxNs, ns);
    }
    m_count += count;
    m_sumNs += ns * static_cast<int64_t>(count);
}

void
LatencyHistogram::Merge(const LatencyHistogram& other)
{
    if (other.m_count == 0)
    {
        return;
    }
    for (std::size_t i = 0; i < BUCKET_COUNT; ++i)
    {
        m_counts[i] += other.m_counts[i];
    }
    if (m_count == 0)
    {
        m_minNs = other.m_minNs;
        m_maxNs = other.m_maxNs;
    }
    else
    {
        m_minNs = std::min(m_minNs, other.m_minNs);
        m_maxNs = std::max(m_maxNs, other.m_maxNs);
    }
    m_count += other.m_count;
    m_sumNs += other.m_sumNs;
}

void
LatencyHistogram::Reset()
{
    std::fill(m_counts.begin(), m_counts.end(), 0);
    m_count = 0;
    m_sumNs = 0;
    m_minNs = 0;
    m_maxNs = 0;
}

uint64_t
LatencyHistogram::GetCount() const
{
    return m_count;
}

int64_t
LatencyHistogram::GetSumNs() const
{
    return m_sumNs;
}

double
LatencyHistogram::GetMeanNs() const
{
    return m_count == 0 ? 0.0 : static_cast<double>(m_sumNs) / static_cast<double>(m_count);
}

Time
LatencyHistogram::GetMean() const
{
    return NanoSeconds(static_cast<int64_t>(std::llround(GetMeanNs())));
}

int64_t
LatencyHistogram::GetMinNs() const
{
    return m_minNs;
}

Time
LatencyHistogram::GetMin() const
{
    return NanoSeconds(m_minNs);
}

int64_t
LatencyHistogram::GetMaxNs() const
{
    return m_maxNs;
}

Time
LatencyHistogram::GetMax() const
{
    return NanoSeconds(m_maxNs);
}

double
LatencyHistogram::GetPercentileNs(double p) const
{
    if (m_count == 0)
    {
        return 0.0;
    }
    if (!(p > 0.0)) // also catches NaN
    {
        return static_cast<double>(m_minNs);
    }
    if (p >= 100.0)
    {
        return static_cast<double>(m_maxNs);
    }
    // Nearest-rank definition: the smallest value with at least p% of values at or below it.
    auto rank = static_cast<uint64_t>(std::ceil(p / 100.0 * static_cast<double>(m_count)));
    rank = std::clamp<uint64_t>(rank, 1, m_count);
    uint64_t seen = 0;
    for (std::size_t i = 0; i < BUCKET_COUNT; ++i)
    {
        seen += m_counts[i];
        if (seen >= rank)
        {
            return std::clamp(BucketMiddleNs(i), static_cast<double>(m_minNs),
                              static_cast<double>(m_maxNs));
        }
    }
    return static_cast<double>(m_maxNs); // not reached: the counts sum to m_count
}

Time
LatencyHistogram::GetPercentile(double p) const
{
    return NanoSeconds(static_cast<int64_t>(std::llround(GetPercentileNs(p))));
}

std::vector<LatencyHistogram::Bucket>
LatencyHistogram::GetBuckets() const
{
    std::vector<Bucket> buckets;
    ForEachBucket(
        [&buckets](int64_t lo, int64_t hi, uint64_t count)
        {
            buckets.push_back(Bucket{lo, hi, count});
        });
    return buckets;
}

} // namespace ns3
