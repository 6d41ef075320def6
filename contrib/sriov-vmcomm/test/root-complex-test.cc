/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Tests of the DMA path's mechanisms, each on its own: how a transfer splits into TLPs and cache
 * lines (SplitDmaTransfer), the root complex's request pipeline shared by reads and writes, its
 * direction switches, the host cache (cold reads' latency and memory path), the read latency
 * spread and completion coalescing, and the DMA engine's write data fetch (latency and its
 * burst stage) and device-alignment costs.
 */
#include "ns3/data-rate.h"
#include "ns3/dma-engine.h"
#include "ns3/dma-transfer-split.h"
#include "ns3/iommu.h"
#include "ns3/memory-domain.h"
#include "ns3/nstime.h"
#include "ns3/pcie-link.h"
#include "ns3/root-complex.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <utility>
#include <vector>

using namespace ns3;

namespace {

DmaTransferSplit
Split(uint64_t addr, uint32_t len, uint64_t device = 0)
{
    // MPS 256, MRRS 512, RCB 64, 64 B lines, 8 B device words: the NFP6000 setup.
    return SplitDmaTransfer(addr, len, device, 256, 512, 64, 64, 8);
}

/** A link, an engine without IOMMU and 1 MiB of memory; every mechanism off unless set. */
struct Rig
{
    Ptr<PcieLink> link;
    Ptr<DmaEngine> dma;
    Ptr<MemoryDomain> mem;

    Rig()
    {
        link = CreateObject<PcieLink>();
        link->SetAttribute("MaxOutstandingReads", UintegerValue(1024));
        dma = CreateObject<DmaEngine>();
        dma->Attach(link, nullptr);
        // The card's write data fetch stage is on by default: off here, as the host's parts.
        dma->SetAttribute("WriteFetchTime", TimeValue(Time(0)));
        dma->SetAttribute("WriteFetchBurstTime", TimeValue(Time(0)));
        mem = CreateObject<MemoryDomain>();
        mem->SetAttribute("SizeBytes", UintegerValue(1 << 20));
        mem->Attach(nullptr, uint64_t{1} << 30);
    }

    Ptr<RootComplex> Rc() const
    {
        return dma->GetRootComplex();
    }

    /** Spacing of the last 50 of 100 reads of \p len submitted at once, ns. */
    double ReadSpacing(uint32_t len, uint64_t device = 0)
    {
        std::vector<Time> done;
        for (int i = 0; i < 100; ++i)
        {
            done.push_back(dma->Read(mem, 4096 * i, nullptr, len, Seconds(0), device).done);
        }
        std::sort(done.begin(), done.end());
        return (done[99] - done[49]).GetNanoSeconds() / 50.0;
    }

    /** As ReadSpacing, for writes. */
    double WriteSpacing(uint32_t len, uint64_t device = 0)
    {
        std::vector<Time> done;
        for (int i = 0; i < 100; ++i)
        {
            done.push_back(dma->Write(mem, 4096 * i, len, Seconds(0), device).done);
        }
        std::sort(done.begin(), done.end());
        return (done[99] - done[49]).GetNanoSeconds() / 50.0;
    }
};

} // namespace

TEST(DmaTransferSplit, CacheLinesFollowTheAddress)
{
    EXPECT_EQ(Split(0, 64).cacheLines, 1u);
    EXPECT_EQ(Split(0, 64).partialLines, 0u);
    EXPECT_EQ(Split(0, 65).cacheLines, 2u); // one byte past the line: one more line
    EXPECT_EQ(Split(0, 65).partialLines, 1u);
    EXPECT_EQ(Split(0, 128).cacheLines, 2u);
    EXPECT_EQ(Split(3, 64).cacheLines, 2u); // 64 B at host offset 3 straddles two lines
    EXPECT_EQ(Split(3, 64).partialLines, 2u);
    EXPECT_EQ(Split(3, 58).cacheLines, 1u);
    EXPECT_EQ(Split(3, 58).partialLines, 1u);
    EXPECT_EQ(Split(0, 257).cacheLines, 5u);
    // Lines beyond the size in lines: only a host offset makes them.
    EXPECT_EQ(Split(0, 65).straddleLines, 0u);
    EXPECT_EQ(Split(3, 64).straddleLines, 1u);
    EXPECT_EQ(Split(3, 58).straddleLines, 0u);
}

TEST(DmaTransferSplit, TlpsSplitBySize)
{
    // Writes of up to MPS (256 B), reads of up to MRRS (512 B), both from the first byte.
    EXPECT_EQ(Split(0, 256).writeTlps, 1u);
    EXPECT_EQ(Split(0, 257).writeTlps, 2u);
    EXPECT_EQ(Split(192, 128).writeTlps, 1u);  // by size, not at 256 B-aligned addresses
    EXPECT_EQ(Split(4032, 128).writeTlps, 2u); // but never across 4 KiB
    EXPECT_EQ(Split(0, 2048).writeTlps, 8u);
    EXPECT_EQ(Split(0, 512).readRequests, 1u);
    EXPECT_EQ(Split(0, 513).readRequests, 2u);
    EXPECT_EQ(Split(448, 128).readRequests, 1u); // by size, not at 512 B-aligned addresses
    EXPECT_EQ(Split(64, 512).readRequests, 1u);
    EXPECT_EQ(Split(4032, 128).readRequests, 2u); // but never across 4 KiB
    // Completions merged up to MPS per request (the default: the root complex always merges).
    EXPECT_EQ(Split(0, 512).completions, 2u);
    EXPECT_EQ(Split(448, 128).completions, 1u);
    EXPECT_EQ(Split(0, 64).completions, 1u);
    EXPECT_EQ(Split(0, 513).completions, 3u); // 512 B in two, 1 B in one
    // No request crosses 4 KiB whatever MRRS.
    EXPECT_EQ(SplitDmaTransfer(4000, 200, 0, 4096, 4096, 64, 64, 8).readRequests, 2u);
}

TEST(DmaTransferSplit, SmallRequestsGetACompletionPerLine)
{
    // The root complex merges a request's lines only from 8 lines on: below, one per line.
    auto split = [](uint64_t addr, uint32_t len)
    {
        return SplitDmaTransfer(addr, len, 0, 256, 512, 64, 64, 8, 8);
    };
    EXPECT_EQ(split(0, 64).completions, 1u);
    EXPECT_EQ(split(0, 256).completions, 4u);      // 4 lines: 4 completions, not 1
    EXPECT_EQ(split(3, 256).completions, 5u);      // a host offset: 5 lines
    EXPECT_EQ(split(0, 416).completions, 7u);      // 7 lines
    EXPECT_EQ(split(41, 416).completions, 2u);     // the same size touching 8 lines: merged
    EXPECT_EQ(split(0, 512).completions, 2u);      // 8 lines
    EXPECT_EQ(split(64, 512).completions, 2u);     // one request, merged from its start
    EXPECT_EQ(split(0, 768).completions, 2u + 4u); // 512 B merged, then 256 B of 4 lines
    EXPECT_EQ(split(0, 2048).completions, 8u);
}

TEST(DmaTransferSplit, DeviceWordStraddle)
{
    // One more 8 B word than the length needs: only an offset within a word makes it.
    EXPECT_EQ(Split(0, 64, 16).deviceStraddleWords, 0u);
    EXPECT_EQ(Split(0, 64, 3).deviceStraddleWords, 1u);  // 9 words for 8
    EXPECT_EQ(Split(0, 407, 0).deviceStraddleWords, 0u); // 51 words: the end needs no more
    EXPECT_EQ(Split(0, 407, 1).deviceStraddleWords, 0u); // bytes 1..407 of words 0..50
    EXPECT_EQ(Split(0, 407, 25).deviceStraddleWords, 0u);
    EXPECT_EQ(Split(0, 407, 2).deviceStraddleWords, 1u); // 52 words
    EXPECT_EQ(Split(0, 407, 63).deviceStraddleWords, 1u);
    EXPECT_EQ(Split(0, 127, 0).deviceStraddleWords, 0u); // odd sizes at offset 0: never
    // A device that accesses any byte (word 1) never straddles.
    EXPECT_EQ(SplitDmaTransfer(0, 407, 3, 256, 512, 64, 64, 1).deviceStraddleWords, 0u);
}

TEST(RootComplex, TransparentByDefault)
{
    Rig r;
    EXPECT_FALSE(r.Rc()->IsActive());
    Rig plain;
    // With every mechanism at 0 the engine's timing is the link's and its own.
    EXPECT_EQ(r.dma->Read(r.mem, 0, nullptr, 65, Seconds(0)).done,
              plain.dma->Read(plain.mem, 0, nullptr, 65, Seconds(0)).done);
}

TEST(RootComplex, ReadPipelineCostsPerRequestAndPerLine)
{
    // 12 ns per request + 6 ns per line: a 64 B read occupies 18 ns, 65 B and 128 B 24 ns
    // (one more line), 129 B 30 ns; the engine's 16 ns and the link are faster.
    Rig r;
    r.Rc()->SetAttribute("ReadRequestTime", TimeValue(NanoSeconds(12)));
    r.Rc()->SetAttribute("ReadLineTime", TimeValue(NanoSeconds(6)));
    EXPECT_TRUE(r.Rc()->IsActive());
    EXPECT_NEAR(r.ReadSpacing(64), 18, 0.5);
    Rig r65;
    r65.Rc()->SetAttribute("ReadRequestTime", TimeValue(NanoSeconds(12)));
    r65.Rc()->SetAttribute("ReadLineTime", TimeValue(NanoSeconds(6)));
    EXPECT_NEAR(r65.ReadSpacing(65), 24, 0.5);
    Rig r129;
    r129.Rc()->SetAttribute("ReadRequestTime", TimeValue(NanoSeconds(12)));
    r129.Rc()->SetAttribute("ReadLineTime", TimeValue(NanoSeconds(6)));
    EXPECT_NEAR(r129.ReadSpacing(129), 30, 0.5);
    EXPECT_EQ(r129.Rc()->GetLines(), 300u);
}

TEST(RootComplex, StraddledLineCostsItsOwnTime)
{
    // 64 B at host offset 3 touches two lines, one of them beyond its size in lines: 12 ns per
    // request + 6 ns for the line + 3 ns for the straddled one = 21 ns (65 B at offset 0: 24).
    Rig r;
    r.Rc()->SetAttribute("ReadRequestTime", TimeValue(NanoSeconds(12)));
    r.Rc()->SetAttribute("ReadLineTime", TimeValue(NanoSeconds(6)));
    r.Rc()->SetAttribute("ReadStraddleLineTime", TimeValue(NanoSeconds(3)));
    r.Rc()->SetAttribute("WriteStraddleLineTime", TimeValue(NanoSeconds(30))); // not a read's
    std::vector<Time> done;
    for (int i = 0; i < 100; ++i)
    {
        done.push_back(r.dma->Read(r.mem, 4096 * i + 3, nullptr, 64, Seconds(0)).done);
    }
    std::sort(done.begin(), done.end());
    EXPECT_NEAR((done[99] - done[49]).GetNanoSeconds() / 50.0, 21, 0.5);
}

TEST(RootComplex, WriteStraddledLineCostsItsOwnTime)
{
    // 128 B written at host offset 3 touches three lines, one beyond its size: 10 ns per TLP +
    // 2 x 7 ns + 4 ns for the straddled line = 28 ns (the read figure does not apply).
    Rig r;
    r.dma->SetAttribute("WriteIssueInterval", TimeValue(NanoSeconds(1)));
    r.dma->SetAttribute("WriteDataRate", DataRateValue(DataRate(0)));
    r.Rc()->SetAttribute("WriteTlpTime", TimeValue(NanoSeconds(10)));
    r.Rc()->SetAttribute("WriteLineTime", TimeValue(NanoSeconds(7)));
    r.Rc()->SetAttribute("WriteStraddleLineTime", TimeValue(NanoSeconds(4)));
    r.Rc()->SetAttribute("ReadStraddleLineTime", TimeValue(NanoSeconds(40)));
    std::vector<Time> done;
    for (int i = 0; i < 100; ++i)
    {
        done.push_back(r.dma->Write(r.mem, 4096 * i + 3, 128, Seconds(0)).done);
    }
    std::sort(done.begin(), done.end());
    EXPECT_NEAR((done[99] - done[49]).GetNanoSeconds() / 50.0, 28, 0.5);
}

TEST(RootComplex, ReadPipelineAddsNoLatencyWhenIdle)
{
    Rig a;
    Rig b;
    b.Rc()->SetAttribute("ReadRequestTime", TimeValue(NanoSeconds(12)));
    b.Rc()->SetAttribute("ReadLineTime", TimeValue(NanoSeconds(6)));
    EXPECT_EQ(a.dma->Read(a.mem, 0, nullptr, 64, Seconds(0)).done,
              b.dma->Read(b.mem, 0, nullptr, 64, Seconds(0)).done);
}

TEST(RootComplex, WritePipelineCostsPerTlpAndPerLine)
{
    // 10 ns per TLP + 7 per line: 192 B (1 TLP, 3 lines) 31 ns, 257 B (2 TLPs, 5 lines) 55 ns
    // (the link alone takes 29.9 and 41.3 ns).
    for (auto [len, ns] : std::vector<std::pair<uint32_t, double>>{{192, 31}, {257, 55}})
    {
        SCOPED_TRACE(len);
        Rig r;
        r.Rc()->SetAttribute("WriteTlpTime", TimeValue(NanoSeconds(10)));
        r.Rc()->SetAttribute("WriteLineTime", TimeValue(NanoSeconds(7)));
        EXPECT_NEAR(r.WriteSpacing(len), ns, 0.5);
    }
}

TEST(RootComplex, WriteTlpsArePipelinedAsTheyArrive)
{
    // A 1024 B write is 4 TLPs, 16 lines: 4 x 10 + 16 x 5 = 120 ns of pipeline work. Its last
    // TLP is there at 200 ns, the first 90 ns earlier: the work runs 110 .. 230 ns, and a read
    // ready at 200 ns waits 30 ns for it (120 ns if the work waited for the last TLP: 200 .. 320).
    const DmaTransferSplit w = Split(0, 1024);
    ASSERT_EQ(w.writeTlps, 4u);
    for (auto [earlier, wait] : std::vector<std::pair<int, int>>{{90, 30}, {0, 120}})
    {
        SCOPED_TRACE(earlier);
        Ptr<RootComplex> rc = CreateObject<RootComplex>();
        rc->SetAttribute("WriteTlpTime", TimeValue(NanoSeconds(10)));
        rc->SetAttribute("WriteLineTime", TimeValue(NanoSeconds(5)));
        rc->SetAttribute("ReadLineTime", TimeValue(NanoSeconds(1)));
        // The pipeline has taken the write no earlier than its last TLP arrived.
        EXPECT_EQ(rc->Write(w, NanoSeconds(200), NanoSeconds(earlier)), NanoSeconds(200));
        EXPECT_EQ(rc->Read(Split(8192, 64), NanoSeconds(200)), NanoSeconds(wait));
    }
}

TEST(RootComplex, ReadsAndWritesShareThePipeline)
{
    // Alternating 256 B reads (4 lines x 10 ns) and writes (4 x 10 ns) take 80 ns a pair, plus
    // 3 ns per line for every switch of direction: 104 ns a pair.
    Rig r;
    r.Rc()->SetAttribute("ReadLineTime", TimeValue(NanoSeconds(10)));
    r.Rc()->SetAttribute("WriteLineTime", TimeValue(NanoSeconds(10)));
    r.Rc()->SetAttribute("DirectionSwitchLineTime", TimeValue(NanoSeconds(3)));
    std::vector<Time> w;
    for (int i = 0; i < 100; ++i)
    {
        r.dma->Read(r.mem, 4096 * i, nullptr, 256, Seconds(0));
        w.push_back(r.dma->Write(r.mem, 4096 * i + 2048, 256, Seconds(0)).done);
    }
    EXPECT_NEAR((w[99] - w[49]).GetNanoSeconds() / 50.0, 104, 1);
}

TEST(RootComplex, DirectionSwitchCostsItsFirstLinesOnly)
{
    // The switch's 3 ns per line stop after DirectionSwitchLines lines of each operation: with
    // 2, alternating 256 B reads and writes (80 ns a pair alone) take 80 + 2 x 2 x 3 = 92 ns a
    // pair; 128 B ones (2 lines each, 40 ns a pair) still pay all theirs: 52 ns.
    auto pair = [](uint32_t len)
    {
        Rig r;
        r.Rc()->SetAttribute("ReadLineTime", TimeValue(NanoSeconds(10)));
        r.Rc()->SetAttribute("WriteLineTime", TimeValue(NanoSeconds(10)));
        r.Rc()->SetAttribute("DirectionSwitchLineTime", TimeValue(NanoSeconds(3)));
        r.Rc()->SetAttribute("DirectionSwitchLines", UintegerValue(2));
        std::vector<Time> w;
        for (int i = 0; i < 100; ++i)
        {
            r.dma->Read(r.mem, 4096 * i, nullptr, len, Seconds(0));
            w.push_back(r.dma->Write(r.mem, 4096 * i + 2048, len, Seconds(0)).done);
        }
        return (w[99] - w[49]).GetNanoSeconds() / 50.0;
    };
    EXPECT_NEAR(pair(256), 92, 1);
    EXPECT_NEAR(pair(128), 52, 1);
}

TEST(RootComplex, ColdReadsPayTheMemoryAccess)
{
    Rig warm;
    Rig cold;
    for (Rig* r : {&warm, &cold})
    {
        r->Rc()->SetAttribute("ColdReadLatency", TimeValue(NanoSeconds(40)));
    }
    cold.Rc()->SetWorkingSet(8192, false);
    EXPECT_FALSE(warm.Rc()->IsActive()); // warm: nothing to pay
    EXPECT_EQ(cold.dma->Read(cold.mem, 0, nullptr, 64, Seconds(0)).done
                  - warm.dma->Read(warm.mem, 0, nullptr, 64, Seconds(0)).done,
              NanoSeconds(40));
    EXPECT_EQ(cold.Rc()->GetColdReads(), 1u);
    // Writes allocate in the cache: the same either way.
    EXPECT_EQ(cold.dma->Write(cold.mem, 4096, 64, Seconds(0)).done,
              warm.dma->Write(warm.mem, 4096, 64, Seconds(0)).done);
}

TEST(RootComplex, ColdReadsHaveAMemoryPathOfTheirOwn)
{
    // Misses go to memory one request per 19 ns, beside the pipeline: cold 64 B reads take
    // 19 ns each where the engine issues one per 16, warm ones 16; cold 128 B reads behind a
    // 24 ns pipeline (12 ns per request + 6 per line) take 24, not 24 + 19.
    auto spacing = [](uint32_t len, bool warm, Time request, Time line)
    {
        Rig r;
        r.Rc()->SetAttribute("ColdReadRequestTime", TimeValue(NanoSeconds(19)));
        r.Rc()->SetAttribute("ReadRequestTime", TimeValue(request));
        r.Rc()->SetAttribute("ReadLineTime", TimeValue(line));
        r.Rc()->SetWorkingSet(8192, warm);
        return r.ReadSpacing(len);
    };
    EXPECT_NEAR(spacing(64, false, Time(0), Time(0)), 19, 0.5);
    EXPECT_NEAR(spacing(64, true, Time(0), Time(0)), 16, 0.5);
    EXPECT_NEAR(spacing(128, false, NanoSeconds(12), NanoSeconds(6)), 24, 0.5);
    // A miss adds no latency through the path when it is idle.
    Rig idle;
    idle.Rc()->SetAttribute("ColdReadRequestTime", TimeValue(NanoSeconds(19)));
    idle.Rc()->SetWorkingSet(8192, false);
    EXPECT_TRUE(idle.Rc()->IsActive());
    Rig plain;
    EXPECT_EQ(idle.dma->Read(idle.mem, 0, nullptr, 64, Seconds(0)).done,
              plain.dma->Read(plain.mem, 0, nullptr, 64, Seconds(0)).done);
}

TEST(RootComplex, ColdReadsWaitForADramRefresh)
{
    // A refresh every 7.8 us keeps a rank busy 260 ns: a cold read meets it at a random phase,
    // so 260 / 7800 = 3.3% of cold reads wait, for 130 ns on average and 260 at most (the tail
    // of cold latency: p99.9 near the full 260, p95 untouched). Warm reads never meet one.
    Ptr<RootComplex> rc = CreateObject<RootComplex>();
    rc->SetAttribute("DramRefreshInterval", TimeValue(NanoSeconds(7800)));
    rc->SetAttribute("DramRefreshTime", TimeValue(NanoSeconds(260)));
    rc->SetAttribute("ColdReadLatency", TimeValue(NanoSeconds(40)));
    rc->AssignStreams(11);
    const DmaTransferSplit s = Split(0, 64);
    rc->SetWorkingSet(8192, true);
    EXPECT_EQ(rc->Read(s, Seconds(0)), Time(0));
    rc->SetWorkingSet(8192, false);
    std::vector<int64_t> waits;
    for (int i = 0; i < 40000; ++i)
    {
        waits.push_back((rc->Read(s, Seconds(0)) - NanoSeconds(40)).GetNanoSeconds());
    }
    const auto waited = std::count_if(waits.begin(), waits.end(),
                                      [](int64_t w)
                                      {
                                          return w > 0;
                                      });
    int64_t total = 0;
    for (int64_t w : waits)
    {
        total += w;
    }
    std::sort(waits.begin(), waits.end());
    EXPECT_NEAR(waited / 40000.0, 260.0 / 7800, 0.003);
    EXPECT_NEAR(static_cast<double>(total) / waited, 130, 8);
    EXPECT_EQ(waits[38000], 0);   // p95: no wait
    EXPECT_GT(waits[39960], 240); // p99.9: nearly a whole refresh
    EXPECT_LE(waits.back(), 260);
    // Off: no wait at all.
    rc->SetAttribute("DramRefreshInterval", TimeValue(Time(0)));
    EXPECT_EQ(rc->Read(s, Seconds(0)), NanoSeconds(40));
}

/** A root complex whose reads miss a cold cache (40 ns), with DDIO keeping the device's last
 *  two written lines. */
static Ptr<RootComplex>
MakeDdioRootComplex()
{
    Ptr<RootComplex> rc = CreateObject<RootComplex>();
    rc->SetAttribute("ColdReadLatency", TimeValue(NanoSeconds(40)));
    rc->SetAttribute("DeviceWriteAllocateBytes", UintegerValue(128)); // two lines
    rc->SetWorkingSet(8192, false);
    return rc;
}

TEST(RootComplex, LinesTheDeviceWroteHitTheCache)
{
    // DDIO: device writes allocate in the cache, so a read of the lines just written hits even
    // when the working set is cold; the cache keeps the last DeviceWriteAllocateBytes written.
    Ptr<RootComplex> rc = MakeDdioRootComplex();
    const uint64_t a = 0x10000;
    rc->Write(Split(a, 64), Seconds(0), Time(0), a);
    EXPECT_EQ(rc->Read(Split(a, 64), Seconds(0), a), Time(0));
    // Two lines, one written: the other misses.
    EXPECT_EQ(rc->Read(Split(a, 128), Seconds(0), a), NanoSeconds(40));
    // Two more lines written push the first out.
    rc->Write(Split(a + 4096, 128), Seconds(0), Time(0), a + 4096);
    EXPECT_EQ(rc->Read(Split(a + 4096, 128), Seconds(0), a + 4096), Time(0));
    EXPECT_EQ(rc->Read(Split(a, 64), Seconds(0), a), NanoSeconds(40));
    // Off (the default): written lines are not tracked.
    Ptr<RootComplex> plain = CreateObject<RootComplex>();
    plain->SetAttribute("ColdReadLatency", TimeValue(NanoSeconds(40)));
    plain->SetWorkingSet(8192, false);
    plain->Write(Split(a, 64), Seconds(0), Time(0), a);
    EXPECT_EQ(plain->Read(Split(a, 64), Seconds(0), a), NanoSeconds(40));
}

TEST(RootComplex, WrittenLinesLeaveLeastRecentlyUsedFirst)
{
    // The DDIO ways replace as the cache does: a line written again, or read, becomes the most
    // recently used and outlives lines written after it (first in, first out would evict it).
    Ptr<RootComplex> rc = MakeDdioRootComplex();
    const uint64_t a = 0x10000;
    const uint64_t b = a + 64;
    const uint64_t c = a + 4096;
    const uint64_t d = a + 8192;
    rc->Write(Split(a, 64), Seconds(0), Time(0), a);
    rc->Write(Split(b, 64), Seconds(0), Time(0), b);
    rc->Write(Split(a, 64), Seconds(0), Time(0), a); // a again: b is now the least recent
    rc->Write(Split(c, 64), Seconds(0), Time(0), c);
    EXPECT_EQ(rc->Read(Split(a, 64), Seconds(0), a), Time(0));
    EXPECT_EQ(rc->Read(Split(b, 64), Seconds(0), b), NanoSeconds(40));
    // A read hit refreshes too: c, read after a, outlives it.
    EXPECT_EQ(rc->Read(Split(c, 64), Seconds(0), c), Time(0));
    rc->Write(Split(d, 64), Seconds(0), Time(0), d);
    EXPECT_EQ(rc->Read(Split(c, 64), Seconds(0), c), Time(0));
    EXPECT_EQ(rc->Read(Split(a, 64), Seconds(0), a), NanoSeconds(40));
}

TEST(RootComplex, WarmWorkingSetBeyondTheCacheMissesInProportion)
{
    Ptr<RootComplex> rc = CreateObject<RootComplex>();
    rc->SetAttribute("HostCacheBytes", UintegerValue(16 << 20));
    rc->SetAttribute("ColdReadLatency", TimeValue(NanoSeconds(40)));
    rc->SetWorkingSet(8 << 20, true);
    EXPECT_DOUBLE_EQ(rc->GetCacheHitRatio(), 1.0);
    rc->SetWorkingSet(64 << 20, true);
    EXPECT_DOUBLE_EQ(rc->GetCacheHitRatio(), 0.25);
    rc->AssignStreams(7);
    const DmaTransferSplit s = Split(0, 64);
    int cold = 0;
    for (int i = 0; i < 4000; ++i)
    {
        cold += rc->Read(s, Seconds(0)) == NanoSeconds(40);
    }
    EXPECT_NEAR(cold / 4000.0, 0.75, 0.03);
    rc->SetWorkingSet(8 << 20, false);
    EXPECT_DOUBLE_EQ(rc->GetCacheHitRatio(), 0.0);
}

TEST(RootComplex, ReadLatencyHasASpread)
{
    Ptr<RootComplex> rc = CreateObject<RootComplex>();
    rc->SetAttribute("ReadLatencySpreadMean", TimeValue(NanoSeconds(50)));
    rc->SetAttribute("ReadLatencySpreadStdDev", TimeValue(NanoSeconds(10)));
    rc->AssignStreams(3);
    EXPECT_TRUE(rc->IsActive());
    std::vector<int64_t> ns;
    for (int i = 0; i < 5000; ++i)
    {
        ns.push_back(rc->Read(Split(0, 64), Seconds(0)).GetNanoSeconds());
    }
    std::sort(ns.begin(), ns.end());
    EXPECT_NEAR(ns[2500], 50, 2);            // median: the mean
    EXPECT_NEAR(ns[4750] - ns[2500], 16, 3); // p95: 1.645 sigma above
    EXPECT_GE(ns.front(), 0);
    EXPECT_LE(ns.back(), 100); // limited to twice the mean
}

TEST(DmaEngine, WriteDataFetchDelaysTheWrite)
{
    Rig a;
    Rig b;
    a.dma->SetAttribute("WriteDataRate", DataRateValue(DataRate(0)));
    b.dma->SetAttribute("WriteDataRate", DataRateValue(DataRate("64Gbps")));
    // 2048 B at 64 Gb/s = 256 ns before the first TLP.
    EXPECT_EQ(b.dma->Write(b.mem, 0, 2048, Seconds(0)).done
                  - a.dma->Write(a.mem, 0, 2048, Seconds(0)).done,
              NanoSeconds(256));
}

TEST(DmaTransferSplit, DeviceBurstsCountWordsFromTheFirst)
{
    // Bursts of 16 words of 8 B, from the first word the bytes touch.
    EXPECT_EQ(DeviceBursts(0, 64, 8, 128), 1u);   // 8 words
    EXPECT_EQ(DeviceBursts(1, 64, 8, 128), 1u);   // 9 words: still one burst
    EXPECT_EQ(DeviceBursts(63, 64, 8, 128), 1u);  // bytes 63..126: words 7..15
    EXPECT_EQ(DeviceBursts(0, 128, 8, 128), 1u);  // 16 words
    EXPECT_EQ(DeviceBursts(1, 128, 8, 128), 2u);  // 17 words
    EXPECT_EQ(DeviceBursts(8, 128, 8, 128), 1u);  // 16 words, not at a 128 B boundary
    EXPECT_EQ(DeviceBursts(0, 129, 8, 128), 2u);  // 17 words
    EXPECT_EQ(DeviceBursts(0, 192, 8, 128), 2u);  // 24 words
    EXPECT_EQ(DeviceBursts(0, 407, 8, 128), 4u);  // 51 words
    EXPECT_EQ(DeviceBursts(2, 407, 8, 128), 4u);  // 52 words
    EXPECT_EQ(DeviceBursts(1, 416, 8, 128), 4u);  // 53 words
    EXPECT_EQ(DeviceBursts(0, 1024, 8, 128), 8u); // 128 words
    EXPECT_EQ(DeviceBursts(1, 1024, 8, 128), 9u); // 129 words
    EXPECT_EQ(DeviceBursts(0, 0, 8, 128), 1u);
    EXPECT_EQ(DeviceBursts(5, 64, 1, 64), 1u); // byte-addressed memory: no straddle
    EXPECT_EQ(DeviceBursts(0, 64, 8, 4), 8u);  // a burst below a word: one word each
}

TEST(DmaEngine, WriteFetchStageCostsPerBurst)
{
    // Back-to-back writes, everything but the fetch stage out of the way (the link takes less
    // for each): 4 ns per write + 17 ns per burst of up to 128 B (16 words of 8 B).
    auto spacing = [](uint32_t len, uint64_t device)
    {
        Rig r;
        r.dma->SetAttribute("WriteIssueInterval", TimeValue(NanoSeconds(1)));
        r.dma->SetAttribute("WriteDataRate", DataRateValue(DataRate(0)));
        r.dma->SetAttribute("WriteFetchTime", TimeValue(NanoSeconds(4)));
        r.dma->SetAttribute("WriteFetchBurstTime", TimeValue(NanoSeconds(17)));
        r.dma->SetAttribute("WriteFetchBurstBytes", UintegerValue(128));
        return r.WriteSpacing(len, device);
    };
    EXPECT_NEAR(spacing(64, 0), 21, 0.5);
    EXPECT_NEAR(spacing(64, 1), 21, 0.5); // 9 words: one burst, nothing to pay
    EXPECT_NEAR(spacing(128, 0), 21, 0.5);
    EXPECT_NEAR(spacing(128, 1), 38, 0.5); // 17 words: two bursts
    EXPECT_NEAR(spacing(128, 8), 21, 0.5);
    EXPECT_NEAR(spacing(192, 0), 38, 0.5);
    EXPECT_NEAR(spacing(256, 1), 55, 0.5);
    EXPECT_NEAR(spacing(416, 0), 72, 0.5);
    EXPECT_NEAR(spacing(416, 1), 72, 0.5); // 53 words: still four bursts
    // Reads do not use it: 64 B reads keep the 16 ns read issue interval.
    Rig r;
    r.dma->SetAttribute("WriteFetchTime", TimeValue(NanoSeconds(40)));
    EXPECT_NEAR(r.ReadSpacing(64), 16, 0.5);
}

TEST(DmaEngine, WriteFetchStageAddsNoLatencyWhenIdle)
{
    // 40 ns per burst: a 2048 B write at device offset 3 (257 words, 17 bursts) holds the stage
    // 4 + 17 x 40 = 684 ns, more than the link takes for it (2240 B of TLPs, 310 ns).
    Rig a;
    Rig b;
    b.dma->SetAttribute("WriteFetchTime", TimeValue(NanoSeconds(4)));
    b.dma->SetAttribute("WriteFetchBurstTime", TimeValue(NanoSeconds(40)));
    EXPECT_EQ(a.dma->Write(a.mem, 0, 2048, Seconds(0), 3).done,
              b.dma->Write(b.mem, 0, 2048, Seconds(0), 3).done);
    // The second of two writes handed over at once waits for the first in the stage (684 ns)
    // where without the stage it waits for the link only (310 ns).
    const Time without = a.dma->Write(a.mem, 8192, 2048, Seconds(0)).done;
    const Time with = b.dma->Write(b.mem, 8192, 2048, Seconds(0)).done;
    EXPECT_NEAR((with - without).GetNanoSeconds(), 684 - 310, 5);
}

TEST(DmaEngine, DeviceWordStraddleCostsIssueTime)
{
    // 15 B reads (the link is not the limit): the 16 ns read issue interval, plus 10 ns when the
    // bytes straddle one more 8 B word of NIC memory than their length needs.
    auto spacing = [](uint64_t device)
    {
        Rig r;
        r.dma->SetAttribute("UnalignedReadTime", TimeValue(NanoSeconds(10)));
        r.dma->SetAttribute("ReadRealignDataRate", DataRateValue(DataRate(0)));
        return r.ReadSpacing(15, device);
    };
    EXPECT_NEAR(spacing(0), 16, 0.5); // 2 words
    EXPECT_NEAR(spacing(1), 16, 0.5); // bytes 1..15 of 2 words: no straddle
    EXPECT_NEAR(spacing(2), 26, 0.5); // 3 words
    EXPECT_NEAR(spacing(9), 16, 0.5);
    EXPECT_NEAR(spacing(10), 26, 0.5);
}

TEST(DmaEngine, DeviceRealignCostsPerByte)
{
    // Writes: 20 ns + 64 B at 64 Gb/s (8 ns) on top of the 21 ns write issue interval, only
    // when the bytes straddle one more device word.
    Rig r;
    r.dma->SetAttribute("UnalignedWriteTime", TimeValue(NanoSeconds(20)));
    r.dma->SetAttribute("WriteRealignDataRate", DataRateValue(DataRate("64Gbps")));
    EXPECT_NEAR(r.WriteSpacing(64, 1), 49, 0.5);
    Rig s;
    s.dma->SetAttribute("UnalignedWriteTime", TimeValue(NanoSeconds(20)));
    s.dma->SetAttribute("WriteRealignDataRate", DataRateValue(DataRate("64Gbps")));
    EXPECT_NEAR(s.WriteSpacing(64, 16), 21, 0.5);
    // Reads have their own rate: 15 B at 8 Gb/s = 15 ns on top of 16.
    Rig t;
    t.dma->SetAttribute("UnalignedReadTime", TimeValue(Time(0)));
    t.dma->SetAttribute("ReadRealignDataRate", DataRateValue(DataRate("8Gbps")));
    EXPECT_NEAR(t.ReadSpacing(15, 2), 31, 0.5);
    EXPECT_NEAR(t.ReadSpacing(15, 1), 16, 0.5);
}

TEST(RootComplex, SmallReadsCarryACompletionPerLine)
{
    // With CompletionCoalesceLines 8, a 256 B read (4 lines) crosses the link as 4 completions
    // of 64 B (4 x 84 B = 336 B), a 512 B read (8 lines) as 2 of 256 B (2 x 276 B).
    for (uint32_t coalesce : {0u, 8u})
    {
        SCOPED_TRACE(coalesce);
        Rig r;
        r.Rc()->SetAttribute("CompletionCoalesceLines", UintegerValue(coalesce));
        EXPECT_EQ(r.Rc()->IsActive(), coalesce != 0);
        r.dma->Read(r.mem, 0, nullptr, 256, Seconds(0));
        EXPECT_EQ(r.link->GetWireBytes(PcieLink::DOWNSTREAM), coalesce == 0 ? 276u : 336u);
        r.dma->Read(r.mem, 4096, nullptr, 512, Seconds(0));
        EXPECT_EQ(r.link->GetWireBytes(PcieLink::DOWNSTREAM), (coalesce == 0 ? 276u : 336u) + 552u);
    }
    // Back to back the link is the limit: 256 B reads take 336 B / 7.235 B/ns = 46.4 ns each
    // (57.88 Gb/s of TLPs, Gen3 x8 MPS 256) where merged they took 276 B, 38.1 ns.
    Rig merged;
    Rig perLine;
    perLine.Rc()->SetAttribute("CompletionCoalesceLines", UintegerValue(8));
    EXPECT_NEAR(merged.ReadSpacing(256), 276 * 8 / 57.88, 0.5);
    EXPECT_NEAR(perLine.ReadSpacing(256), 336 * 8 / 57.88, 0.5);
    // 512 B (8 lines) is merged either way.
    Rig perLine512;
    perLine512.Rc()->SetAttribute("CompletionCoalesceLines", UintegerValue(8));
    EXPECT_NEAR(perLine512.ReadSpacing(512), 552 * 8 / 57.88, 0.5);
}

TEST(DmaEngine, UnalignedReadHoldsTheReceivePath)
{
    // 256 B reads are bound by the link: 276 B of completion at 57.88 Gb/s = 38.15 ns each. At
    // a device offset that straddles one more word, the receive path takes them at that rate,
    // then spends 18 ns realigning: 56.15 ns each, and each read's latency grows by 18 ns.
    auto rig = []()
    {
        Rig r;
        r.dma->SetAttribute("UnalignedReadTime", TimeValue(Time(0)));
        r.dma->SetAttribute("ReadRealignDataRate", DataRateValue(DataRate(0)));
        r.dma->SetAttribute("UnalignedReadReceiveTime", TimeValue(NanoSeconds(18)));
        return r;
    };
    const double link = 276 * 8 / 57.88;
    EXPECT_NEAR(rig().ReadSpacing(256, 8), link, 0.5); // whole words: nothing to realign
    EXPECT_NEAR(rig().ReadSpacing(256, 1), link + 18, 0.5);
    Rig a = rig();
    Rig b = rig();
    EXPECT_EQ(b.dma->Read(b.mem, 0, nullptr, 256, Seconds(0), 1).done
                  - a.dma->Read(a.mem, 0, nullptr, 256, Seconds(0), 0).done,
              NanoSeconds(18));
}
