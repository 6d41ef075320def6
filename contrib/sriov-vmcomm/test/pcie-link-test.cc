/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Tests of PcieLink against the pcie-bench model (doc/model.md, PCIe timing).
 */
#include "ns3/boolean.h"
#include "ns3/config.h"
#include "ns3/enum.h"
#include "ns3/ns3-compat.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/pcie-link.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

using namespace ns3;

namespace {

Ptr<PcieLink>
MakeLink(uint32_t generation, uint32_t lanes)
{
    Ptr<PcieLink> link = CreateObject<PcieLink>();
    link->SetAttribute("Generation", UintegerValue(generation));
    link->SetAttribute("Lanes", UintegerValue(lanes));
    return link;
}

/** Raw x (1 - (16/ackLimit + 4/1538)), the design's formula with a given AckLimit. */
double
ExpectedTlpBps(uint32_t generation, uint32_t lanes, double ackLimit)
{
    const double gtps[] = {2.5e9, 5e9, 8e9, 16e9, 32e9};
    const double encoding = generation <= 2 ? 0.8 : 128.0 / 130.0;
    return gtps[generation - 1] * encoding * lanes * (1.0 - (16.0 / ackLimit + 4.0 / 1538.0));
}

void
ExpectRelNear(double actual, double expected, double rel)
{
    EXPECT_NEAR(actual, expected, expected * rel)
        << "actual " << actual << " expected " << expected;
}

} // namespace

TEST(PcieLink, TlpBandwidthGen3x8Mps256)
{
    Ptr<PcieLink> link = CreateObject<PcieLink>(); // defaults: Gen3 x8 MPS 256
    EXPECT_NEAR(link->GetRawBandwidthBps(), 8e9 * 128 / 130 * 8, 1.0);
    EXPECT_NEAR(link->GetTlpBandwidthBps() / 1e9, 57.88, 0.005);
}

TEST(PcieLink, AckLimitsOfTheDesign)
{
    // PCIe specification ACK limits (doc/model.md, PCIe timing): gen3 and gen4, x8 -> 163 / 203,
    // x16 -> 144 / 168 at MPS 128 / 256.
    struct Case
    {
        uint32_t lanes;
        uint32_t mps;
        double ackLimit;
    };

    const Case cases[] = {{8, 128, 163}, {8, 256, 203}, {16, 128, 144}, {16, 256, 168}};
    for (uint32_t gen : {3u, 4u})
    {
        for (const auto& c : cases)
        {
            Ptr<PcieLink> link = MakeLink(gen, c.lanes);
            link->SetAttribute("MaxPayloadSize", UintegerValue(c.mps));
            SCOPED_TRACE("gen " + std::to_string(gen) + " x" + std::to_string(c.lanes) + " MPS "
                         + std::to_string(c.mps));
            ExpectRelNear(link->GetTlpBandwidthBps(), ExpectedTlpBps(gen, c.lanes, c.ackLimit),
                          1e-12);
        }
    }
}

TEST(PcieLink, AckLimitsOfTheSpecTables)
{
    // Spot checks of the spec's Ack latency tables (2.5 GT/s; 5.0 GT/s = +51; 8.0 GT/s = +96).
    struct Case
    {
        uint32_t gen;
        uint32_t lanes;
        uint32_t mps;
        double ackLimit;
    };

    const Case cases[]
        = {{1, 1, 128, 237}, {1, 4, 512, 154}, {1, 32, 4096, 276}, {2, 1, 128, 288},
           {2, 8, 128, 118}, {3, 1, 128, 333}, {3, 16, 1024, 246}, {5, 32, 256, 141}};
    for (const auto& c : cases)
    {
        Ptr<PcieLink> link = MakeLink(c.gen, c.lanes);
        link->SetAttribute("MaxPayloadSize", UintegerValue(c.mps));
        SCOPED_TRACE("gen " + std::to_string(c.gen) + " x" + std::to_string(c.lanes) + " MPS "
                     + std::to_string(c.mps));
        ExpectRelNear(link->GetTlpBandwidthBps(), ExpectedTlpBps(c.gen, c.lanes, c.ackLimit),
                      1e-12);
    }
}

TEST(PcieLink, ReferenceRatesGen3x8)
{
    // The pcie-bench model's reference outputs (doc/model.md, PCIe timing), Gen3 x8, MPS 256,
    // MRRS 512, RCB 64, 64-bit, no ECRC: write / read.
    struct Ref
    {
        uint32_t bytes;
        double writeGbps;
        double readGbps;
    };

    const Ref refs[] = {{64, 42.1, 44.1}, {128, 48.7, 50.1}, {256, 52.9, 53.7}, {1500, 52.8, 53.6}};
    Ptr<PcieLink> link = MakeLink(3, 8);
    for (const auto& r : refs)
    {
        SCOPED_TRACE(r.bytes);
        ExpectRelNear(link->GetEffectiveWriteBps(r.bytes) / 1e9, r.writeGbps, 0.005);
        ExpectRelNear(link->GetEffectiveReadBps(r.bytes) / 1e9, r.readGbps, 0.005);
    }
}

TEST(PcieLink, ReferenceRatesGen4x16)
{
    struct Ref
    {
        uint32_t bytes;
        double writeGbps;
        double readGbps;
    };

    const Ref refs[] = {{64, 165, 173}, {256, 208, 211}};
    Ptr<PcieLink> link = MakeLink(4, 16);
    for (const auto& r : refs)
    {
        SCOPED_TRACE(r.bytes);
        ExpectRelNear(link->GetEffectiveWriteBps(r.bytes) / 1e9, r.writeGbps, 0.005);
        ExpectRelNear(link->GetEffectiveReadBps(r.bytes) / 1e9, r.readGbps, 0.005);
    }
}

TEST(PcieLink, WireBytes)
{
    Ptr<PcieLink> link = CreateObject<PcieLink>();
    EXPECT_EQ(link->GetWriteWireBytes(64), 88u);            // 64 + 8 + 4 + 12
    EXPECT_EQ(link->GetWriteWireBytes(256), 280u);          // one TLP at MPS 256
    EXPECT_EQ(link->GetWriteWireBytes(257), 257u + 2 * 24); // two TLPs
    EXPECT_EQ(link->GetWriteWireBytes(1500), 1500u + 6 * 24);
    EXPECT_EQ(link->GetWriteWireBytes(0), 24u); // a zero-length write is still a TLP
    EXPECT_EQ(link->GetReadRequestWireBytes(64), 24u);
    EXPECT_EQ(link->GetReadRequestWireBytes(512), 24u);
    EXPECT_EQ(link->GetReadRequestWireBytes(1500), 3u * 24); // MRRS 512
    EXPECT_EQ(link->GetReadCompletionWireBytes(64), 84u);    // 64 + 8 + 4 + 8
    EXPECT_EQ(link->GetReadCompletionWireBytes(1500), 1500u + 6 * 20);

    // 1500 B write: 6 TLPs on the counters too.
    link->DeviceWrite(1500, Seconds(0));
    EXPECT_EQ(link->GetTlps(PcieLink::UPSTREAM), 6u);
    EXPECT_EQ(link->GetWireBytes(PcieLink::UPSTREAM), 1644u);

    link->SetAttribute("CompletionSplit", StringValue("RCB"));
    EXPECT_EQ(link->GetReadCompletionWireBytes(1500), 1500u + 24 * 20); // ceil(1500/64) = 24
    link->SetAttribute("ReadCompletionBoundary", UintegerValue(128));
    EXPECT_EQ(link->GetReadCompletionWireBytes(1500), 1500u + 12 * 20);
    link->SetAttribute("CompletionSplit", EnumValue(PcieLink::SPLIT_MPS));

    // Completions never exceed the request they answer.
    link->SetAttribute("MaxReadRequestSize", UintegerValue(128));
    EXPECT_EQ(link->GetReadRequestWireBytes(1500), 12u * 24);
    EXPECT_EQ(link->GetReadCompletionWireBytes(1500), 1500u + 12 * 20);
    link->SetAttribute("MaxReadRequestSize", UintegerValue(512));

    link->SetAttribute("Addr64", BooleanValue(false));
    EXPECT_EQ(link->GetWriteWireBytes(64), 84u);
    EXPECT_EQ(link->GetReadRequestWireBytes(64), 20u);
    EXPECT_EQ(link->GetReadCompletionWireBytes(64), 84u); // completions have no address
    // The root complex's own split: one header per completion it sends.
    EXPECT_EQ(link->GetReadCompletionWireBytes(416, 7), 416u + 7 * 20);
    EXPECT_EQ(link->GetReadCompletionWireBytes(416, 0), link->GetReadCompletionWireBytes(416));
    link->SetAttribute("Addr64", BooleanValue(true));

    link->SetAttribute("Ecrc", BooleanValue(true));
    EXPECT_EQ(link->GetWriteWireBytes(64), 92u);
    EXPECT_EQ(link->GetReadRequestWireBytes(64), 28u);
    EXPECT_EQ(link->GetReadCompletionWireBytes(64), 88u);
    EXPECT_EQ(link->GetWriteWireBytes(1500), 1500u + 6 * 28);
}

TEST(PcieLink, BackToBackWritesReachTheEffectiveRate)
{
    const uint32_t n = 10000;
    for (uint32_t bytes : {64u, 128u, 256u, 1500u})
    {
        SCOPED_TRACE(bytes);
        Ptr<PcieLink> link = CreateObject<PcieLink>();
        const Time prop = NanoSeconds(80);
        Time last;
        for (uint32_t i = 0; i < n; ++i)
        {
            last = link->DeviceWrite(bytes, Seconds(0));
        }
        const double serialization
            = n * link->GetWriteWireBytes(bytes) * 8.0 / link->GetTlpBandwidthBps();
        EXPECT_NEAR((last - prop).GetSeconds(), serialization, 1e-9); // within 1 ns
        const double measured = n * bytes * 8.0 / (last - prop).GetSeconds();
        ExpectRelNear(measured, link->GetEffectiveWriteBps(bytes), 0.005);
        EXPECT_NEAR(link->GetBusyTime(PcieLink::UPSTREAM).GetSeconds(), serialization, 1e-9);
    }
}

TEST(PcieLink, ReservationsQueueInOneDirection)
{
    Ptr<PcieLink> link = CreateObject<PcieLink>();
    link->SetAttribute("PropagationDelay", TimeValue(NanoSeconds(100)));
    const double ser = 1644 * 8.0 / link->GetTlpBandwidthBps();
    const Time first = link->DeviceWrite(1500, Seconds(0));
    const Time second = link->DeviceWrite(1500, Seconds(0));
    EXPECT_NEAR(first.GetSeconds(), ser + 100e-9, 1e-9);
    EXPECT_NEAR(second.GetSeconds(), 2 * ser + 100e-9, 1e-9);
    // A later, idle start is not queued behind the past.
    const Time third = link->DeviceWrite(1500, MicroSeconds(10));
    EXPECT_NEAR(third.GetSeconds(), 10e-6 + ser + 100e-9, 1e-9);
}

TEST(PcieLink, TlpsOfATransferFillGapsOneByOne)
{
    // A 256 B TLP reserved ahead (a read completion, say) leaves a gap of exactly one 256 B TLP
    // before it. A 512 B write ready at 0 is two TLPs: the first takes the gap, the second
    // follows the reserved one; the link is never idle. Reserved whole, the write would wait
    // for a gap of two TLPs and leave the first one idle (end at 4 TLPs, not 3).
    Ptr<PcieLink> link = CreateObject<PcieLink>(); // Gen3 x8, MPS 256, 80 ns propagation
    const double tlp = link->GetWriteWireBytes(256) * 8.0 / link->GetTlpBandwidthBps();
    const Time gap = NanoSeconds(std::ceil(tlp * 1e9)); // Time counts ns: the gap holds a TLP
    const Time ahead = link->HostWrite(256, gap);
    EXPECT_NEAR(ahead.GetSeconds(), gap.GetSeconds() + tlp + 80e-9, 1e-9);
    const Time write = link->HostWrite(512, Seconds(0));
    EXPECT_NEAR(write.GetSeconds(), gap.GetSeconds() + 2 * tlp + 80e-9, 1e-9);
    EXPECT_NEAR(link->GetBusyTime(PcieLink::DOWNSTREAM).GetSeconds(), 3 * tlp, 1e-9);
    EXPECT_EQ(link->GetTlps(PcieLink::DOWNSTREAM), 3u);
}

TEST(PcieLink, FullDuplex)
{
    Ptr<PcieLink> fresh = CreateObject<PcieLink>();
    const Time alone = fresh->DeviceWrite(1500, Seconds(0));
    const Time aloneDown = fresh->HostWrite(1500, Seconds(0));
    EXPECT_EQ(alone, aloneDown); // same rate and overhead both ways

    Ptr<PcieLink> link = CreateObject<PcieLink>();
    Time downLast;
    for (int i = 0; i < 100; ++i)
    {
        downLast = link->HostWrite(1500, Seconds(0));
    }
    EXPECT_GT(downLast, 50 * alone);                       // the downstream burst is long...
    EXPECT_EQ(link->DeviceWrite(1500, Seconds(0)), alone); // ...and does not delay upstream

    // Nor do completions delay writes.
    Ptr<PcieLink> reading = CreateObject<PcieLink>();
    reading->SetAttribute("MaxOutstandingReads", UintegerValue(1024));
    for (int i = 0; i < 100; ++i)
    {
        reading->DeviceRead(1500, Seconds(0), Seconds(0));
    }
    const Time afterReads = reading->DeviceWrite(1500, Seconds(0));
    // Only the 100 read requests (72 B each) are ahead of it upstream.
    const double requests = 100 * 72 * 8.0 / reading->GetTlpBandwidthBps();
    EXPECT_NEAR(afterReads.GetSeconds(), alone.GetSeconds() + requests, 1e-9);
}

TEST(PcieLink, ReadLatency)
{
    Ptr<PcieLink> link = CreateObject<PcieLink>();
    link->SetAttribute("PropagationDelay", TimeValue(NanoSeconds(100)));
    link->SetAttribute("RootComplexReadLatency", TimeValue(NanoSeconds(250)));
    const double bw = link->GetTlpBandwidthBps();
    const Time done = link->DeviceRead(64, Seconds(0), Seconds(0));
    const double expected = 24 * 8.0 / bw + 100e-9 + 250e-9 + 84 * 8.0 / bw + 100e-9;
    EXPECT_NEAR(done.GetSeconds(), expected, 1e-9);

    // The callback sees the request's arrival; its answer delays the completion.
    Ptr<PcieLink> other = CreateObject<PcieLink>();
    other->SetAttribute("PropagationDelay", TimeValue(NanoSeconds(100)));
    other->SetAttribute("RootComplexReadLatency", TimeValue(NanoSeconds(250)));
    Time seen = Seconds(-1);
    const Time withWalk = other->DeviceRead(64, Seconds(0),
                                            [&seen](Time arrival)
                                            {
                                                seen = arrival;
                                                return MicroSeconds(1);
                                            });
    EXPECT_NEAR(seen.GetSeconds(), 24 * 8.0 / bw + 100e-9, 1e-9);
    EXPECT_NEAR((withWalk - done).GetSeconds(), 1e-6, 1e-9);

    // The Time overload adds the same extra latency.
    Ptr<PcieLink> third = CreateObject<PcieLink>();
    third->SetAttribute("PropagationDelay", TimeValue(NanoSeconds(100)));
    third->SetAttribute("RootComplexReadLatency", TimeValue(NanoSeconds(250)));
    EXPECT_EQ(third->DeviceRead(64, Seconds(0), MicroSeconds(1)), withWalk);
}

TEST(PcieLink, BackToBackReadsReachTheEffectiveRate)
{
    const uint32_t n = 20000;
    for (uint32_t bytes : {64u, 256u, 1500u})
    {
        SCOPED_TRACE(bytes);
        Ptr<PcieLink> link = CreateObject<PcieLink>();
        link->SetAttribute("MaxOutstandingReads", UintegerValue(1024)); // not the bound here
        Time last;
        for (uint32_t i = 0; i < n; ++i)
        {
            last = link->DeviceRead(bytes, Seconds(0), Seconds(0));
        }
        const double measured = n * bytes * 8.0 / last.GetSeconds();
        ExpectRelNear(measured, link->GetEffectiveReadBps(bytes), 0.005);
    }
}

TEST(PcieLink, OutstandingReadsBoundThroughput)
{
    // Little's law: K tags over a round trip R carry K x 64 B per R.
    const uint32_t k = 8;
    const uint32_t n = 800;
    Ptr<PcieLink> link = CreateObject<PcieLink>();
    link->SetAttribute("MaxOutstandingReads", UintegerValue(k));
    link->SetAttribute("RootComplexReadLatency", TimeValue(MicroSeconds(10)));
    link->SetAttribute("PropagationDelay", TimeValue(NanoSeconds(80)));
    const double bw = link->GetTlpBandwidthBps();
    const double rtt = 24 * 8.0 / bw + 80e-9 + 10e-6 + 84 * 8.0 / bw + 80e-9;

    Time last;
    for (uint32_t i = 0; i < n; ++i)
    {
        last = link->DeviceRead(64, Seconds(0), Seconds(0));
    }
    const double measured = n * 64 * 8.0 / last.GetSeconds();
    const double littles = k * 64 * 8.0 / rtt;
    ExpectRelNear(measured, littles, 0.02);
    EXPECT_LT(measured, 0.1 * link->GetEffectiveReadBps(64)); // far below the link rate
    EXPECT_EQ(link->GetTagStalls(), n - k);

    // With one tag, reads go one round trip after the other.
    Ptr<PcieLink> one = CreateObject<PcieLink>();
    one->SetAttribute("MaxOutstandingReads", UintegerValue(1));
    const Time a = one->DeviceRead(64, Seconds(0), Seconds(0));
    const Time b = one->DeviceRead(64, Seconds(0), Seconds(0));
    EXPECT_NEAR(b.GetSeconds(), 2 * a.GetSeconds(), 1e-9);
    EXPECT_EQ(one->GetTagStalls(), 1u);
    // A read issued after the tag came back does not stall.
    one->DeviceRead(64, b, Seconds(0));
    EXPECT_EQ(one->GetTagStalls(), 1u);
}

TEST(PcieLink, CountersPerDirection)
{
    Ptr<PcieLink> link = CreateObject<PcieLink>();
    for (int i = 0; i < 3; ++i)
    {
        link->DeviceWrite(64, Seconds(0));
    }
    for (int i = 0; i < 2; ++i)
    {
        link->HostWrite(4, Seconds(0));
    }
    link->DeviceRead(1500, Seconds(0), Seconds(0));

    EXPECT_EQ(link->GetPayloadBytes(PcieLink::UPSTREAM), 3u * 64);
    EXPECT_EQ(link->GetWireBytes(PcieLink::UPSTREAM), 3u * 88 + 72);
    EXPECT_EQ(link->GetTlps(PcieLink::UPSTREAM), 3u + 3);
    EXPECT_EQ(link->GetPayloadBytes(PcieLink::DOWNSTREAM), 2u * 4 + 1500);
    EXPECT_EQ(link->GetWireBytes(PcieLink::DOWNSTREAM), 2u * 28 + 1620);
    EXPECT_EQ(link->GetTlps(PcieLink::DOWNSTREAM), 2u + 6);
    const double bw = link->GetTlpBandwidthBps();
    EXPECT_NEAR(link->GetBusyTime(PcieLink::UPSTREAM).GetSeconds(), 336 * 8.0 / bw, 1e-9);
    EXPECT_NEAR(link->GetBusyTime(PcieLink::DOWNSTREAM).GetSeconds(), 1676 * 8.0 / bw, 1e-9);
    EXPECT_EQ(link->GetTagStalls(), 0u);

    // Reset zeroes the counters but keeps the reservations.
    const Time queued = link->DeviceWrite(64, Seconds(0));
    link->ResetCounters();
    for (auto dir : {PcieLink::UPSTREAM, PcieLink::DOWNSTREAM})
    {
        EXPECT_EQ(link->GetPayloadBytes(dir), 0u);
        EXPECT_EQ(link->GetWireBytes(dir), 0u);
        EXPECT_EQ(link->GetTlps(dir), 0u);
        EXPECT_EQ(link->GetBusyTime(dir), Seconds(0));
    }
    const Time after = link->DeviceWrite(64, Seconds(0));
    EXPECT_NEAR((after - queued).GetSeconds(), 88 * 8.0 / bw, 1e-9);
    EXPECT_EQ(link->GetWireBytes(PcieLink::UPSTREAM), 88u);
}

namespace {

struct TransferRecord
{
    uint8_t dir;
    uint64_t payload;
    uint64_t wire;
    Time start;
    Time end;
};

std::vector<TransferRecord> g_transfers;

void
RecordTransfer(uint8_t dir, uint64_t payload, uint64_t wire, Time start, Time end)
{
    g_transfers.push_back({dir, payload, wire, start, end});
}

} // namespace

TEST(PcieLink, TransferTrace)
{
    g_transfers.clear();
    Ptr<PcieLink> link = CreateObject<PcieLink>();
    ASSERT_TRUE(link->TraceConnectWithoutContext("Transfer", MakeCallback(&RecordTransfer)));
    link->DeviceWrite(64, Seconds(0));
    link->DeviceRead(64, MicroSeconds(1), Seconds(0));
    ASSERT_EQ(g_transfers.size(), 3u);
    EXPECT_EQ(g_transfers[0].dir, PcieLink::UPSTREAM);
    EXPECT_EQ(g_transfers[0].payload, 64u);
    EXPECT_EQ(g_transfers[0].wire, 88u);
    EXPECT_EQ(g_transfers[0].start, Seconds(0));
    EXPECT_EQ(g_transfers[1].dir, PcieLink::UPSTREAM); // the read request
    EXPECT_EQ(g_transfers[1].payload, 0u);
    EXPECT_EQ(g_transfers[1].wire, 24u);
    EXPECT_EQ(g_transfers[1].start, MicroSeconds(1));
    EXPECT_EQ(g_transfers[2].dir, PcieLink::DOWNSTREAM); // its completion
    EXPECT_EQ(g_transfers[2].payload, 64u);
    EXPECT_EQ(g_transfers[2].wire, 84u);
    EXPECT_GE(g_transfers[2].start, g_transfers[1].end + NanoSeconds(80 + 300));
    EXPECT_GT(g_transfers[2].end, g_transfers[2].start);
}

TEST(PcieLink, AttributesRoundTrip)
{
    Ptr<PcieLink> link = CreateObject<PcieLink>();
    UintegerValue u;
    link->GetAttribute("Generation", u);
    EXPECT_EQ(u.Get(), 3u);
    link->GetAttribute("Lanes", u);
    EXPECT_EQ(u.Get(), 8u);
    link->GetAttribute("MaxPayloadSize", u);
    EXPECT_EQ(u.Get(), 256u);
    link->GetAttribute("MaxReadRequestSize", u);
    EXPECT_EQ(u.Get(), 512u);
    link->GetAttribute("ReadCompletionBoundary", u);
    EXPECT_EQ(u.Get(), 64u);
    link->GetAttribute("MaxOutstandingReads", u);
    EXPECT_EQ(u.Get(), 32u);
    compat::EnumValueOf<PcieLink::CompletionSplit> e;
    link->GetAttribute("CompletionSplit", e);
    EXPECT_EQ(e.Get(), PcieLink::SPLIT_MPS);
    TimeValue t;
    link->SetAttribute("PropagationDelay", TimeValue(NanoSeconds(123)));
    link->GetAttribute("PropagationDelay", t);
    EXPECT_EQ(t.Get(), NanoSeconds(123));

    // A change of generation or width changes the rate.
    const double gen3 = link->GetTlpBandwidthBps();
    link->SetAttribute("Generation", UintegerValue(4));
    EXPECT_NEAR(link->GetTlpBandwidthBps(), 2 * gen3, 1.0);
    link->SetAttribute("Lanes", UintegerValue(16));
    EXPECT_NEAR(link->GetTlpBandwidthBps(), ExpectedTlpBps(4, 16, 168), 1.0);
}

TEST(PcieLinkTest, InvalidAttributesAreRefused)
{
    // The attribute checkers refuse what the link cannot take, so that a command line or a
    // Config::SetDefault is refused before a run instead of aborting in it.
    auto refused = [](const std::string& name, const AttributeValue& value)
    {
        Ptr<PcieLink> link = CreateObject<PcieLink>();
        return !link->SetAttributeFailSafe(name, value)
            && !Config::SetDefaultFailSafe("ns3::PcieLink::" + name, value);
    };
    EXPECT_TRUE(refused("Generation", UintegerValue(0)));
    EXPECT_TRUE(refused("Generation", UintegerValue(6)));
    EXPECT_TRUE(refused("Lanes", UintegerValue(3)));
    EXPECT_TRUE(refused("Lanes", UintegerValue(12)));
    EXPECT_TRUE(refused("Lanes", UintegerValue(64)));
    EXPECT_TRUE(refused("MaxPayloadSize", UintegerValue(64)));
    EXPECT_TRUE(refused("MaxPayloadSize", UintegerValue(300)));
    EXPECT_TRUE(refused("MaxPayloadSize", UintegerValue(8192)));
    EXPECT_TRUE(refused("MaxReadRequestSize", UintegerValue(100)));
    EXPECT_TRUE(refused("ReadCompletionBoundary", UintegerValue(32)));
    EXPECT_TRUE(refused("MaxOutstandingReads", UintegerValue(0)));
    EXPECT_TRUE(refused("PropagationDelay", TimeValue(NanoSeconds(-1))));
    EXPECT_TRUE(refused("RootComplexReadLatency", TimeValue(NanoSeconds(-1))));
    // Valid values are taken.
    Ptr<PcieLink> link = CreateObject<PcieLink>();
    EXPECT_TRUE(link->SetAttributeFailSafe("Lanes", UintegerValue(32)));
    EXPECT_TRUE(link->SetAttributeFailSafe("MaxPayloadSize", UintegerValue(4096)));
    EXPECT_TRUE(link->SetAttributeFailSafe("Generation", UintegerValue(5)));
}

TEST(PcieLink, DisposeReleasesTheUpstreamLink)
{
    // A link below a switch holds the switch's upstream link; Dispose lets it go.
    Ptr<PcieLink> upstream = CreateObject<PcieLink>();
    Ptr<PcieLink> link = CreateObject<PcieLink>();
    link->SetUpstream(upstream, NanoSeconds(150));
    EXPECT_EQ(link->GetUpstream(), upstream);
    EXPECT_EQ(upstream->GetReferenceCount(), 2U);
    link->Dispose();
    EXPECT_FALSE(link->GetUpstream());
    EXPECT_EQ(upstream->GetReferenceCount(), 1U);
}
