/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Tests of the RFC 2544 throughput search (experiment/rfc2544-search.h): on deterministic toy
 * paths of known capacity it finds the capacity to the resolution, in the number of trials a
 * binary search needs.
 */
#include "ns3/rfc2544-search.h"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

using namespace ns3;

namespace {

/**
 * A toy path: a server of \p capacity frames/s behind a buffer of \p buffer frames, offered a
 * constant rate for \p seconds: it delivers what it serves plus what the buffer holds at the end,
 * and loses the rest.
 */
Rfc2544Search::TrialFunction
ToyPath(double capacity, double buffer, double seconds, uint32_t* calls)
{
    return [=](double rate)
    {
        ++*calls;
        const uint64_t offered = uint64_t(std::floor(rate * seconds));
        const double served = capacity * seconds + buffer;
        const uint64_t received = offered < served ? offered : uint64_t(std::floor(served));
        return std::make_pair(offered, received);
    };
}

} // namespace

// A path of 6.01 Mpps behind a 10GbE link of 64 B frames: R+ is the capacity, to the resolution,
// after 1 + ceil(log2(line rate / resolution)) trials.
TEST(Rfc2544Search, FindsTheCapacityOfAToyPath)
{
    const double line = 14880952.38;
    const double capacity = 6.01e6;
    const double resolution = 0.001 * line;
    uint32_t calls = 0;
    Rfc2544Search search(line, resolution);
    const double rplus = search.Run(ToyPath(capacity, 0, 1, &calls));
    EXPECT_LE(rplus, capacity);
    EXPECT_GT(rplus, capacity - resolution);
    EXPECT_EQ(Rfc2544Search::MaxTrials(line, resolution), 11u); // 1 + ceil(log2(1000))
    EXPECT_EQ(calls, 11u);
    ASSERT_EQ(search.GetTrials().size(), 11u);
    EXPECT_DOUBLE_EQ(search.GetTrials().front().rate, line);
    EXPECT_FALSE(search.GetTrials().front().passed);
    // Every trial passed exactly when it offered no more than the capacity.
    for (const Rfc2544Trial& t : search.GetTrials())
    {
        EXPECT_EQ(t.passed, t.rate <= capacity) << t.rate;
        EXPECT_EQ(t.passed, t.received == t.offered) << t.rate;
    }
    // R+ is the highest rate that passed.
    double best = 0;
    for (const Rfc2544Trial& t : search.GetTrials())
    {
        best = t.passed ? std::max(best, t.rate) : best;
    }
    EXPECT_DOUBLE_EQ(rplus, best);
}

// Capacities anywhere in the range, and resolutions that are no power of two of it.
TEST(Rfc2544Search, FindsEveryCapacityToTheResolution)
{
    for (double resolution : {1e5, 3.3e4, 1e3})
    {
        for (double capacity : {1.0e5, 2.5e6, 7.77e6, 9.99e6})
        {
            uint32_t calls = 0;
            Rfc2544Search search(1e7, resolution);
            const double rplus = search.Run(ToyPath(capacity, 0, 1, &calls));
            EXPECT_LE(rplus, capacity) << capacity << " " << resolution;
            EXPECT_GT(rplus, capacity - resolution) << capacity << " " << resolution;
            EXPECT_EQ(calls, Rfc2544Search::MaxTrials(1e7, resolution));
        }
    }
    EXPECT_EQ(Rfc2544Search::MaxTrials(1e7, 1e5), 8u);    // 100 -> 7 halvings
    EXPECT_EQ(Rfc2544Search::MaxTrials(1e7, 3.3e4), 10u); // 303 -> 9 halvings
    EXPECT_EQ(Rfc2544Search::MaxTrials(1e7, 1e7), 1u);
}

// A path that carries the line rate takes one trial; one that carries nothing gives R+ = 0.
TEST(Rfc2544Search, LineRateAndNothing)
{
    uint32_t calls = 0;
    Rfc2544Search search(1e7, 1e4);
    EXPECT_DOUBLE_EQ(search.Run(ToyPath(2e7, 0, 1, &calls)), 1e7);
    EXPECT_EQ(calls, 1u);
    calls = 0;
    EXPECT_DOUBLE_EQ(search.Run(ToyPath(0, 0, 1, &calls)), 0);
    EXPECT_EQ(calls, Rfc2544Search::MaxTrials(1e7, 1e4));
}

// A loss threshold lets a trial lose that many frames: over a 0.01 s trial, 1000 frames lost
// allow 1e5 frames/s above the capacity.
TEST(Rfc2544Search, LossThreshold)
{
    uint32_t calls = 0;
    const double capacity = 4e6;
    Rfc2544Search strict(1e7, 1e3, 0);
    const double r0 = strict.Run(ToyPath(capacity, 0, 0.01, &calls));
    Rfc2544Search lenient(1e7, 1e3, 1000);
    const double r1 = lenient.Run(ToyPath(capacity, 0, 0.01, &calls));
    EXPECT_GT(r0, capacity - 1e3);
    EXPECT_LE(r0, capacity);
    EXPECT_GT(r1, capacity + 1e5 - 1e3 - 100);
    EXPECT_LE(r1, capacity + 1e5 + 100);
}

TEST(Rfc2544Search, RejectsNonPositiveRates)
{
    EXPECT_THROW(Rfc2544Search(0, 1), std::invalid_argument);
    EXPECT_THROW(Rfc2544Search(1e6, 0), std::invalid_argument);
}

// L1 accounting: a frame of --size bytes (FCS included) takes size + 20 bytes of line time, as
// the cable model (EthernetFraming::WireBytes) sends it; 64 B at 10GbE line rate is 14.880952
// Mpps and 10 Gb/s counting L1 bits, 7.62 Gb/s counting frame bits.
TEST(L1Accounting, TenGbeLineRate)
{
    EXPECT_NEAR(LineRatePps(10e9, 64) / 1e6, 14.880952, 5e-7);
    EXPECT_NEAR(LineRatePps(10e9, 1518), 812743.82, 0.01);
    EXPECT_NEAR(L1BitsPerSecond(LineRatePps(10e9, 64), 64), 10e9, 1e-3);
    EXPECT_NEAR(LineRatePps(10e9, 64) * 64 * 8 / 1e9, 7.619, 1e-3);
    // The cable's frame of 60 B header and payload (FCS added: 64 B) occupies 84 B of line.
    EXPECT_DOUBLE_EQ(EthernetL1Bits(64), EthernetFraming::WireBytes(60) * 8.0);
    EXPECT_DOUBLE_EQ(EthernetL1Bits(1518), EthernetFraming::WireBytes(1514) * 8.0);
    // Zhang et al. 2019: OVS-DPDK p2p 64 B at 8.05 Gb/s L1 is 11.98 Mpps, above the 64 B
    // frames' 7.62 Gb/s of frame bits at line rate: their Gb/s count L1 bits.
    EXPECT_NEAR(8.05e9 / EthernetL1Bits(64) / 1e6, 11.979, 1e-3);
}
