/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The VF modes under overload: offered four times what a pair of VMs carries, vf-dma, veb and
 * vepa deliver what they deliver at that capacity (a plateau, not a collapse), for DPDK and
 * kernel guests; the excess is refused in the sending guest's TX ring, not read over PCIe and
 * dropped at the receiving VF. At 1518 B the plateau is where the PCIe link's upstream direction
 * saturates, as the per-frame arithmetic of its TLPs says.
 */
#include "counters.h"
#include "ns3/core-module.h"
#include "ns3/descriptor-ring.h"
#include "ns3/dma-engine.h"
#include "ns3/experiment.h"
#include "ns3/pcie-link.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

using namespace ns3;

namespace {

/** \return frames dropped for \p reason in \p r */
uint64_t
Drops(const RunRecord& r, const std::string& reason)
{
    uint64_t sum = 0;
    for (const DropRow& d : r.drops)
    {
        sum += d.reason == reason ? d.count : 0;
    }
    return sum;
}

/**
 * \return one flow of \p size B frames between two VMs of a host at \p load, run in \p mode
 * for \p duration
 */
RunRecord
RunPair(const std::string& mode, GuestKind guest, const std::string& load, uint32_t size = 64,
        Time duration = MicroSeconds(500))
{
    ExperimentOptions options;
    options.guest = guest;
    options.size = size;
    options.load = load;
    options.duration = duration;
    Experiment e("test", options);
    e.Validate();
    return e.RunMode(mode);
}

/** A guest and the load at which one pair of its VMs is at capacity. */
struct Capacity
{
    GuestKind guest; //!< the guest
    const char* at;  //!< offered load at capacity (64 B frames)
    const char* x4;  //!< four times that
};

} // namespace

TEST(OverloadTest, VfModesDeliverTheirCapacityAtFourTimesIt)
{
    // DPDK guests: the NIC's DMA engine is the bottleneck (~9.8 Mpps of 64 B in vf-dma); kernel
    // guests: the sender's vCPU (~1.1 Mpps, GuestOs costs).
    for (const Capacity& c : {Capacity{GuestKind::DPDK, "5Gbps", "20Gbps"},
                              Capacity{GuestKind::KERNEL, "0.5Gbps", "2Gbps"}})
    {
        for (const char* mode : {"vf-dma", "veb", "vepa"})
        {
            const std::string what
                = std::string(mode) + (c.guest == GuestKind::DPDK ? " dpdk" : " kernel");
            const RunRecord at = RunPair(mode, c.guest, c.at);
            const RunRecord over = RunPair(mode, c.guest, c.x4);
            const double carriedAt = Counter(at, "traffic", "carried_bps");
            const double carriedOver = Counter(over, "traffic", "carried_bps");
            ASSERT_GT(carriedAt, 0.0) << what;
            EXPECT_EQ(Counter(at, "traffic", "saturated"), 0.0) << what;
            EXPECT_EQ(Counter(over, "traffic", "saturated"), 1.0) << what;
            EXPECT_GE(carriedOver, 0.95 * carriedAt) << what;
            // The excess stays in the sender: its TX ring fills (the NIC drains it only as fast
            // as it forwards); no frame is fetched only to find no RX buffer.
            EXPECT_GT(Drops(over, "tx-ring-full"), 0u) << what;
            EXPECT_EQ(Drops(over, "no-rx-buffer"), 0u) << what;
        }
    }
}

TEST(OverloadTest, FullSizeFramesPlateauWhereTheLinkSaturates)
{
    // Per 1518 B frame (1514 B in the NIC, no FCS) the link carries upstream: the read requests
    // of the TX descriptor and of the frame, the TX descriptor write-back, the frame's write and
    // the RX descriptor write-back. The DMA engine's write fetch stage serves the three writes:
    // WriteFetchTime + WriteFetchBurstTime per burst of WriteFetchBurstBytes. The plateau is the
    // slower of the two (with the defaults, nfp6000-bdw: the link, 3.94 Mfps = 47.9 Gb/s, against
    // 4.0 Mfps for the fetch stage). Before the TX write-back was booked when the frame retired,
    // it was booked at the doorbell, microseconds ahead, and left the fetch stage idle in gaps
    // too short for a frame's write: 36.8 Gb/s, the link 77% busy.
    const uint32_t frame = 1518;
    const uint32_t inNic = frame - 4;
    const uint32_t desc = DescriptorRing::DESC_BYTES;
    Ptr<PcieLink> link = CreateObject<PcieLink>();
    const double upWireBytes
        = double(link->GetReadRequestWireBytes(desc) + link->GetReadRequestWireBytes(inNic)
                 + 2 * link->GetWriteWireBytes(desc) + link->GetWriteWireBytes(inNic));
    const double linkFps = link->GetTlpBandwidthBps() / (8 * upWireBytes);
    Ptr<DmaEngine> dma = CreateObject<DmaEngine>();
    TimeValue fetch;
    TimeValue perBurst;
    UintegerValue burstBytes;
    dma->GetAttribute("WriteFetchTime", fetch);
    dma->GetAttribute("WriteFetchBurstTime", perBurst);
    dma->GetAttribute("WriteFetchBurstBytes", burstBytes);
    const uint64_t bursts = (inNic + burstBytes.Get() - 1) / burstBytes.Get();
    const double fetchSeconds = (fetch.Get() + perBurst.Get() * int64_t(bursts)).GetSeconds()
                              + 2 * (fetch.Get() + perBurst.Get()).GetSeconds();
    const double plateauBps = std::min(linkFps, 1 / fetchSeconds) * frame * 8;
    ASSERT_GT(plateauBps, 40e9);
    ASSERT_LT(plateauBps, 55e9);
    for (const char* mode : {"vf-dma", "veb", "vepa"})
    {
        const RunRecord over = RunPair(mode, GuestKind::DPDK, "60Gbps", frame, MilliSeconds(1));
        EXPECT_EQ(Counter(over, "traffic", "saturated"), 1.0) << mode;
        // Carried over the run's span, which includes the pipeline's fill: a little below.
        EXPECT_NEAR(Counter(over, "traffic", "carried_bps"), plateauBps, 0.04 * plateauBps) << mode;
        EXPECT_GT(Counter(over, "pcie0", "up_utilization"), 0.95) << mode;
    }
}
