/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Unit tests of the VF hardware's parts: the descriptor ring layout (DescriptorRing) and MSI-X
 * interrupt coalescing (MsixCoalescer).
 */
#include "ns3/core-module.h"
#include "ns3/descriptor-ring.h"
#include "ns3/dma-engine.h"
#include "ns3/iommu.h"
#include "ns3/memory-domain.h"
#include "ns3/msix-coalescer.h"
#include "ns3/pcie-link.h"

#include <gtest/gtest.h>

#include <vector>

using namespace ns3;

namespace {

/** MSI-X messages as the coalescer's receiver sees them. */
struct Interrupts
{
    std::vector<Time> raisedAt; //!< simulator time of each call
    std::vector<Time> landsAt;  //!< instant the message lands

    void Receive(Time at)
    {
        raisedAt.push_back(Simulator::Now());
        landsAt.push_back(at);
    }
};

class MsixCoalescerTest : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        link = CreateObject<PcieLink>();
        dma = CreateObject<DmaEngine>();
        dma->Attach(link, nullptr);
        msix.Attach(PeekPointer(dma), MakeCallback(&Interrupts::Receive, &seen));
    }

    void TearDown() override
    {
        msix.Dispose();
        Simulator::Destroy();
    }

    Ptr<PcieLink> link;
    Ptr<DmaEngine> dma;
    MsixCoalescer msix;
    Interrupts seen;
};

} // namespace

TEST(DescriptorRing, LayoutIsLittleEndianAddressLengthStatus)
{
    uint8_t d[DescriptorRing::DESC_BYTES];
    DescriptorRing::Encode(d, 0x0102030405060708ULL, 0x0a0b, DescriptorRing::DESC_DONE);
    EXPECT_EQ(d[0], 0x08);
    EXPECT_EQ(d[7], 0x01);
    EXPECT_EQ(d[8], 0x0b);
    EXPECT_EQ(d[9], 0x0a);
    EXPECT_EQ(d[10], DescriptorRing::DESC_DONE);
    EXPECT_EQ(DescriptorRing::GetAddress(d), 0x0102030405060708ULL);
    EXPECT_EQ(DescriptorRing::GetLength(d), 0x0a0b);
}

TEST(DescriptorRing, SlotsLiveInTheVmMemoryAndWrap)
{
    Ptr<MemoryDomain> mem = CreateObject<MemoryDomain>();
    mem->SetAttribute("SizeBytes", UintegerValue(16 << 20)); // the first MiB is not allocated
    mem->Attach(nullptr, uint64_t{1} << 30);
    DescriptorRing ring;
    ring.Allocate(mem, 8, 2048, true);
    EXPECT_EQ(ring.GetSize(), 8u);
    EXPECT_EQ(ring.GetDescriptorAddress(0) % 4096, 0u) << "page aligned, as drivers allocate";
    EXPECT_EQ(ring.GetBufferAddress(0) % 4096, 0u);
    EXPECT_EQ(ring.GetDescriptorAddress(3) - ring.GetDescriptorAddress(0),
              3u * DescriptorRing::DESC_BYTES);
    EXPECT_EQ(ring.GetBufferAddress(2) - ring.GetBufferAddress(1), 2048u);
    EXPECT_EQ(ring.Next(7), 0u);
    EXPECT_EQ(ring.Next(6, 3), 1u);
    EXPECT_EQ(ring.GetDoneAt(5), DescriptorRing::NEVER);
    ring.WriteDescriptor(5, ring.GetBufferAddress(5), 60, DescriptorRing::DESC_DONE);
    uint8_t d[DescriptorRing::DESC_BYTES];
    mem->Read(ring.GetDescriptorAddress(5), d, sizeof d);
    EXPECT_EQ(DescriptorRing::GetAddress(d), ring.GetBufferAddress(5));
    EXPECT_EQ(DescriptorRing::GetLength(d), 60);
    EXPECT_EQ(d[10], DescriptorRing::DESC_DONE);
    ring.Clear();
}

TEST_F(MsixCoalescerTest, FrameCountRaisesAtOnce)
{
    msix.SetFrames(3);
    msix.SetUsecs(MicroSeconds(100));
    Simulator::Schedule(MicroSeconds(1),
                        [this]()
                        {
                            msix.CountCompletion(MicroSeconds(2));
                            msix.CountCompletion(MicroSeconds(3));
                            EXPECT_TRUE(seen.landsAt.empty());
                            msix.CountCompletion(MicroSeconds(2));
                        });
    Simulator::Run();
    ASSERT_EQ(seen.landsAt.size(), 1u) << "the timeout is cancelled by the frame count";
    EXPECT_EQ(seen.raisedAt[0], MicroSeconds(1));
    // Ordered after every write-back it signals (the latest, 3 us), plus the posted write.
    EXPECT_GT(seen.landsAt[0], MicroSeconds(3));
}

TEST_F(MsixCoalescerTest, TimeoutRaisesAfterTheFirstPendingCompletion)
{
    msix.SetFrames(32);
    msix.SetUsecs(MicroSeconds(16));
    Simulator::Schedule(MicroSeconds(1),
                        [this]()
                        {
                            msix.CountCompletion(MicroSeconds(2));
                            msix.CountCompletion(MicroSeconds(5));
                        });
    Simulator::Run();
    ASSERT_EQ(seen.raisedAt.size(), 1u);
    EXPECT_EQ(seen.raisedAt[0], MicroSeconds(18)) << "first completion (2 us) + 16 us";
    EXPECT_GE(seen.landsAt[0], MicroSeconds(18));
}

TEST_F(MsixCoalescerTest, NoCoalescingRaisesPerCompletion)
{
    msix.SetFrames(1);
    msix.SetUsecs(MicroSeconds(16));
    Simulator::Schedule(MicroSeconds(1),
                        [this]()
                        {
                            msix.CountCompletion(MicroSeconds(2));
                            msix.CountCompletion(MicroSeconds(4));
                        });
    Simulator::Run();
    EXPECT_EQ(seen.raisedAt.size(), 2u);
}
