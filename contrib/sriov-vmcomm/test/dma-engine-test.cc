/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Tests of the DmaEngine's own timing: issue intervals, pipeline latency, read store rate and
 * the engine's bound on outstanding reads, on top of PcieLink.
 */
#include "ns3/data-rate.h"
#include "ns3/dma-engine.h"
#include "ns3/iommu.h"
#include "ns3/memory-domain.h"
#include "ns3/nstime.h"
#include "ns3/pcie-link.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

#include <gtest/gtest.h>

#include <vector>

using namespace ns3;

namespace {

struct Rig
{
    Ptr<PcieLink> link;
    Ptr<DmaEngine> dma;
    Ptr<MemoryDomain> mem;
};

/** A link, an engine without IOMMU and 1 MiB of memory; \p tags link tags. */
Rig
MakeRig(uint32_t tags = 1024)
{
    Rig r;
    r.link = CreateObject<PcieLink>();
    r.link->SetAttribute("MaxOutstandingReads", UintegerValue(tags));
    r.dma = CreateObject<DmaEngine>();
    r.dma->Attach(r.link, nullptr);
    r.mem = CreateObject<MemoryDomain>();
    r.mem->SetAttribute("SizeBytes", UintegerValue(1 << 20));
    r.mem->Attach(nullptr, uint64_t{1} << 30);
    return r;
}

} // namespace

TEST(DmaEngine, DefaultsAreTheNfp6000BdwCalibration)
{
    Ptr<DmaEngine> dma = CreateObject<DmaEngine>();
    TimeValue t;
    dma->GetAttribute("ReadIssueInterval", t);
    EXPECT_EQ(t.Get(), NanoSeconds(16));
    dma->GetAttribute("WriteIssueInterval", t);
    EXPECT_EQ(t.Get(), NanoSeconds(21));
    dma->GetAttribute("ProcessingLatency", t);
    EXPECT_EQ(t.Get(), NanoSeconds(70));
    DataRateValue d;
    dma->GetAttribute("ReadDataRate", d);
    EXPECT_EQ(d.Get(), DataRate("55Gbps"));
    UintegerValue u;
    dma->GetAttribute("MaxOutstandingReads", u);
    EXPECT_EQ(u.Get(), 0u);
}

TEST(DmaEngine, ReadLatencyIsPipelinePlusLinkPlusStore)
{
    for (uint32_t bytes : {64u, 1520u})
    {
        SCOPED_TRACE(bytes);
        Rig r = MakeRig();
        Ptr<PcieLink> bare = CreateObject<PcieLink>();
        const Time link = bare->DeviceRead(bytes, Seconds(0), Seconds(0));
        const Time store = Seconds(8.0 * bytes / 55e9);
        const DmaEngine::Result res = r.dma->Read(r.mem, 0, nullptr, bytes, Seconds(0));
        EXPECT_FALSE(res.fault);
        EXPECT_NEAR(res.done.GetNanoSeconds(), (NanoSeconds(70) + link + store).GetNanoSeconds(),
                    1);
    }
    // Without the pipeline and the store, the engine adds nothing to the link.
    Rig r = MakeRig();
    r.dma->SetAttribute("ProcessingLatency", TimeValue(Seconds(0)));
    r.dma->SetAttribute("ReadDataRate", DataRateValue(DataRate(0)));
    Ptr<PcieLink> bare = CreateObject<PcieLink>();
    EXPECT_EQ(r.dma->Read(r.mem, 0, nullptr, 64, Seconds(0)).done,
              bare->DeviceRead(64, Seconds(0), Seconds(0)));
}

TEST(DmaEngine, IssueIntervalsBoundTheOperationRate)
{
    // Reads submitted at once leave one per ReadIssueInterval (the link carries 64 B reads
    // faster than that), writes one per WriteIssueInterval.
    Rig r = MakeRig();
    std::vector<Time> done;
    for (int i = 0; i < 100; ++i)
    {
        done.push_back(r.dma->Read(r.mem, 64 * i, nullptr, 64, Seconds(0)).done);
    }
    EXPECT_NEAR((done[99] - done[49]).GetNanoSeconds(), 50 * 16, 2);

    Rig w = MakeRig();
    std::vector<Time> wdone;
    for (int i = 0; i < 100; ++i)
    {
        wdone.push_back(w.dma->Write(w.mem, 64 * i, 64, Seconds(0)).done);
    }
    EXPECT_NEAR((wdone[99] - wdone[49]).GetNanoSeconds(), 50 * 21, 2);
    EXPECT_EQ(w.dma->GetWrites(), 100u);
    EXPECT_EQ(r.dma->GetReads(), 100u);
}

TEST(DmaEngine, OutstandingReadBound)
{
    Rig r = MakeRig();
    r.dma->SetAttribute("MaxOutstandingReads", UintegerValue(2));
    const Time a = r.dma->Read(r.mem, 0, nullptr, 64, Seconds(0)).done;
    const Time b = r.dma->Read(r.mem, 64, nullptr, 64, Seconds(0)).done;
    EXPECT_EQ(r.dma->GetReadSlotStalls(), 0u);
    // The third waits for the first to finish, then takes a whole read latency.
    const Time c = r.dma->Read(r.mem, 128, nullptr, 64, Seconds(0)).done;
    EXPECT_EQ(r.dma->GetReadSlotStalls(), 1u);
    EXPECT_NEAR(c.GetNanoSeconds(), (a + a).GetNanoSeconds(), 1);
    EXPECT_GT(b, a);
    // Writes are posted: they take no read slot.
    EXPECT_LT(r.dma->Write(r.mem, 0, 64, Seconds(0)).done, a);
}

TEST(DmaEngine, AWritesWalkOverlapsTheTransferOfItsLaterTlps)
{
    // The IOMMU translates a posted write's page when its first TLP arrives: a write of one TLP
    // pays the whole walk after arriving, a write of eight (2 KiB at MPS 256) only the part of
    // the walk that outlasts its last seven TLPs' serialization.
    const Time walk = NanoSeconds(4 * 150); // 4 levels of 4 KiB pages, no paging-structure cache
    auto finish = [walk](bool iommuOn, uint32_t len)
    {
        Rig r = MakeRig();
        Ptr<Iommu> iommu;
        if (iommuOn)
        {
            iommu = CreateObject<Iommu>();
            iommu->SetAttribute("PageWalkLevelLatency", TimeValue(walk / 4));
            r.dma->Attach(r.link, iommu);
        }
        r.mem = CreateObject<MemoryDomain>();
        r.mem->SetAttribute("SizeBytes", UintegerValue(1 << 20));
        r.mem->Attach(iommu, uint64_t{1} << 30);
        const Time t0 = MicroSeconds(1);
        const DmaEngine::Result w = r.dma->Write(r.mem, 0, len, t0);
        EXPECT_FALSE(w.fault);
        if (iommuOn)
        {
            EXPECT_TRUE(w.iotlbMiss);
        }
        Simulator::Destroy();
        return w.done;
    };
    // One TLP: the walk starts when the write has arrived.
    EXPECT_EQ(finish(true, 64) - finish(false, 64), walk);
    // Eight TLPs: it starts when the first one has, seven TLPs of serialization earlier.
    Ptr<PcieLink> link = CreateObject<PcieLink>();
    UintegerValue mpsValue;
    link->GetAttribute("MaxPayloadSize", mpsValue);
    const auto mps = static_cast<uint32_t>(mpsValue.Get());
    ASSERT_EQ(mps, 256u);
    const Time earlier
        = Seconds(link->GetWriteWireBytes(7 * mps) * 8.0 / link->GetTlpBandwidthBps());
    ASSERT_LT(earlier, walk);
    EXPECT_NEAR((finish(true, 2048) - finish(false, 2048)).GetNanoSeconds(),
                (walk - earlier).GetNanoSeconds(), 1.0);
}
