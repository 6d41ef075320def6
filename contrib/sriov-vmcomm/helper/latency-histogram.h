/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef LATENCY_HISTOGRAM_H
#define LATENCY_HISTOGRAM_H

#include "ns3/nstime.h"

#include <cstdint>
#include <vector>

namespace ns3 {

/**
 * \ingroup sriov-vmcomm
 * \brief Latency statistics with log-spaced buckets (HDR-histogram style).
 *
 * Values are recorded in nanoseconds. Values below 2^SUB_BITS ns are counted exactly (one
 * bucket per nanosecond); above, every power of two [2^e, 2^(e+1)) is split into 2^SUB_BITS
 * equal sub-buckets, so a bucket is at most 1/32 of its lower bound wide and the
 * representative value (bucket middle) is within ~1.6% of any value in the bucket.
 * Count, sum, minimum and maximum are kept exactly.
 *
 * The bucket array is allocated once by the constructor: Record() is O(1) and never
 * allocates, so it can run on every packet. Negative values (which a correct model never
 * produces) are counted as 0 ns.
 */
class LatencyHistogram
{
  public:
    /// Number of bits of linear sub-bucket resolution inside a power of two.
    static constexpr int SUB_BITS = 5;
    /// Number of linear sub-buckets per power of two (32).
    static constexpr int64_t SUB_COUNT = int64_t{1} << SUB_BITS;
    /// Total number of buckets: the exact range plus 32 sub-buckets for 2^5 .. 2^62.
    static constexpr std::size_t BUCKET_COUNT = SUB_COUNT + (63 - SUB_BITS) * SUB_COUNT;

    /// One non-empty bucket: values in [loNs, hiNs) were seen count times.
    struct Bucket
    {
        int64_t loNs;   //!< inclusive lower bound, ns
        int64_t hiNs;   //!< exclusive upper bound, ns
        uint64_t count; //!< number of recorded values in the bucket
    };

    /// Create an empty histogram (allocates the bucket array once).
    LatencyHistogram();

    /**
     * Record one latency.
     * \param latency the latency (converted to integer nanoseconds)
     */
    void Record(Time latency);

    /**
     * Record a latency given in nanoseconds, possibly several times.
     * \param ns the latency in nanoseconds
     * \param count how many times to record it
     */
    void RecordNs(int64_t ns, uint64_t count = 1);

    /**
     * Add all values recorded in another histogram to this one.
     * \param other the histogram to merge in
     */
    void Merge(const LatencyHistogram& other);

    /// Forget all recorded values (keeps the bucket array).
    void Reset();

    /// \returns the number of recorded values
    uint64_t GetCount() const;
    /// \returns the exact sum of all recorded values, ns
    int64_t GetSumNs() const;
    /// \returns the exact mean (zero if empty)
    Time GetMean() const;
    /// \returns the exact mean in nanoseconds (0 if empty)
    double GetMeanNs() const;
    /// \returns the exact minimum (zero if empty)
    Time GetMin() const;
    /// \returns the exact minimum in nanoseconds (0 if empty)
    int64_t GetMinNs() const;
    /// \returns the exact maximum (zero if empty)
    Time GetMax() const;
    /// \returns the exact maximum in nanoseconds (0 if empty)
    int64_t GetMaxNs() const;

    /**
     * Percentile from the buckets.
     * \param p the percentile in [0, 100] (clamped); 0 gives the minimum, 100 the maximum
     * \returns the representative value of the bucket holding the ceil(p/100 * count)-th
     *          smallest value, clamped to [min, max]; zero if empty
     */
    Time GetPercentile(double p) const;
    /**
     * Percentile from the buckets, in nanoseconds (see GetPercentile()).
     * \param p the percentile in [0, 100]
     * \returns the percentile in nanoseconds (0 if empty)
     */
    double GetPercentileNs(double p) const;

    /// \returns the non-empty buckets in increasing order of value
    std::vector<Bucket> GetBuckets() const;

    /**
     * Call f(loNs, hiNs, count) for every non-empty bucket in increasing order of value,
     * without allocating.
     * \param f the callable
     */
    template<typename F>
    void ForEachBucket(F&& f) const
    {
        for (std::size_t i = 0; i < m_counts.size(); ++i)
        {
            if (m_counts[i] != 0)
            {
                f(BucketLowNs(i), BucketHighNs(i), m_counts[i]);
            }
        }
    }

    /**
     * \param ns a value in nanoseconds
     * \returns the index of the bucket that holds it
     */
    static std::size_t BucketIndex(int64_t ns);
    /**
     * \param index a bucket index
     * \returns the bucket's inclusive lower bound, ns
     */
    static int64_t BucketLowNs(std::size_t index);
    /**
     * \param index a bucket index
     * \returns the bucket's exclusive upper bound, ns (saturates at INT64_MAX for the last)
     */
    static int64_t BucketHighNs(std::size_t index);

  private:
    /// \returns the representative (middle) value of a bucket, ns
    static double BucketMiddleNs(std::size_t index);

    std::vector<uint64_t> m_counts; //!< per-bucket counts, BUCKET_COUNT entries
    uint64_t m_count;               //!< number of recorded values
    int64_t m_sumNs;                //!< sum of recorded values, ns
    int64_t m_minNs;                //!< smallest recorded value, ns
    int64_t m_maxNs;                //!< largest recorded value, ns
};

} // namespace ns3

#endif /* LATENCY_HISTOGRAM_H */
