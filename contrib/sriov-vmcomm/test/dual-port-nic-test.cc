/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * A dual-port NIC (SriovHelper::SetPorts, as the Intel 82599ES): one physical function per port,
 * each with its own VFs, embedded switch, uplink and DMA engine, the ports on one PCIe link, and
 * the messages between VFs of its two ports on the chip.
 */
#include "host-frames.h"
#include "ns3/dma-engine.h"
#include "ns3/enum.h"
#include "ns3/host.h"
#include "ns3/pcie-hierarchy.h"
#include "ns3/pcie-link.h"
#include "ns3/simulator.h"
#include "ns3/sriov-helper.h"
#include "ns3/sriov-nic.h"
#include "ns3/vf-net-device.h"

#include <gtest/gtest.h>

#include <vector>

using namespace ns3;
using vmcomm_test::SendAt;
using vmcomm_test::Sinks;

namespace {

class DualPortNicTest : public ::testing::Test
{
  protected:
    void TearDown() override
    {
        Simulator::Destroy();
    }
};

} // namespace

TEST_F(DualPortNicTest, PortsShareTheLinkNotTheDmaEngines)
{
    SriovHelper sriov;
    sriov.SetPorts(2);
    EXPECT_EQ(sriov.GetVfCapacity(), 2 * SriovHelper().GetVfCapacity());
    Ptr<Host> host = SriovHelper::GetHost(sriov.Install(4));
    ASSERT_EQ(host->GetNNics(), 2u);
    EXPECT_EQ(host->GetPcieLink(0), host->GetPcieLink(1));
    EXPECT_EQ(host->GetNic(0)->GetPcieLink(), host->GetNic(1)->GetPcieLink());
    EXPECT_NE(host->GetNic(0)->GetDmaEngine(), host->GetNic(1)->GetDmaEngine());
    // Round robin over the ports; one mapping table names the port of every VF.
    EXPECT_EQ(host->GetNic(0)->GetNVfs(), 2u);
    EXPECT_EQ(host->GetNic(1)->GetNVfs(), 2u);
    EXPECT_EQ(host->GetNic(0)->GetMappingTable(), host->GetNic(1)->GetMappingTable());

    // Two NICs of one port each have a link each.
    SriovHelper two;
    two.SetNics(2);
    Ptr<Host> other = SriovHelper::GetHost(two.Install(2));
    EXPECT_NE(other->GetPcieLink(0), other->GetPcieLink(1));
}

TEST_F(DualPortNicTest, VfPlacementPutsEachVmOnItsPort)
{
    SriovHelper sriov;
    sriov.SetPorts(2);
    sriov.SetVfPlacement({1, 1, 0});
    Ptr<Host> host = SriovHelper::GetHost(sriov.Install(3));
    EXPECT_EQ(host->GetNic(0)->GetNVfs(), 1u);
    EXPECT_EQ(host->GetNic(1)->GetNVfs(), 2u);
    EXPECT_EQ(host->GetNic(1)->GetVf(0), host->GetVf(0));
    EXPECT_EQ(host->GetNic(0)->GetVf(0), host->GetVf(2));
}

// VF-to-VF DMA between the ports: the eleven steps with no peer-to-peer write, as fast as
// within one port (the messages stay on the chip).
TEST_F(DualPortNicTest, VfDmaAcrossPortsStaysOnTheChip)
{
    auto run = [](uint32_t ports)
    {
        SriovHelper sriov;
        sriov.SetPorts(ports);
        Ptr<Host> host = SriovHelper::GetHost(sriov.Install(2));
        Sinks sinks(host);
        SendAt(host, 0, 1, 1000, MicroSeconds(10));
        SendAt(host, 0, 1, 1000, MicroSeconds(50)); // the first warmed the IOTLB
        Simulator::Run();
        EXPECT_EQ(sinks.frames[1], 2u);
        if (ports == 2)
        {
            EXPECT_EQ(host->GetNic(1)->GetVf(0), host->GetVf(1)); // the other port
            EXPECT_EQ(host->GetPcieHierarchy()->GetPeerWrites(), 0u);
        }
        const Time at = sinks.lastAt[1];
        Simulator::Destroy();
        return at;
    };
    EXPECT_EQ(run(2), run(1));
}

// Each port's embedded switch hairpins between its own VFs only (the 82599's VEB is per port):
// a frame to a VF of the other port leaves by the uplink.
TEST_F(DualPortNicTest, VebHairpinsOnlyWithinItsPort)
{
    SriovHelper sriov;
    sriov.SetPorts(2);
    sriov.SetNicAttribute("Forwarding", EnumValue(SriovNic::FORWARD_VEB));
    Ptr<Host> host = SriovHelper::GetHost(sriov.Install(3)); // VMs 0, 2 on port 0; 1 on port 1
    Sinks sinks(host);
    SendAt(host, 0, 2, 300, MicroSeconds(10));
    SendAt(host, 0, 1, 300, MicroSeconds(11));
    Simulator::Run();
    EXPECT_EQ(sinks.frames[2], 1u);
    EXPECT_EQ(sinks.frames[1], 0u);
    EXPECT_EQ(host->GetNic(0)->GetEswitchFrames(), 1u);
    EXPECT_EQ(host->GetNic(0)->GetDrops(SriovNic::DROP_NO_UPLINK), 1u);
}
