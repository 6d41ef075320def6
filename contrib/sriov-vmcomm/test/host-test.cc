/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Host and PcieHierarchy as SriovHelper builds them: the Host aggregated to the host OS's Node
 * (reachable through the Config namespace, disposed with it), and the PCIe switch's upstream
 * link made by the helper like the NICs' links, SwitchUpstreamLanes wide.
 */
#include "ns3/config.h"
#include "ns3/device-list-channel.h"
#include "ns3/enum.h"
#include "ns3/host.h"
#include "ns3/node-list.h"
#include "ns3/node.h"
#include "ns3/pcie-hierarchy.h"
#include "ns3/pcie-link.h"
#include "ns3/simulator.h"
#include "ns3/sriov-helper.h"
#include "ns3/sriov-nic.h"
#include "ns3/uinteger.h"
#include "ns3/vf-mapping-table.h"

#include <gtest/gtest.h>

using namespace ns3;

namespace {

/** \param link a link \param name a UintegerValue attribute \return its value */
uint64_t
Uint(Ptr<PcieLink> link, const std::string& name)
{
    UintegerValue v;
    link->GetAttribute(name, v);
    return v.Get();
}

} // namespace

TEST(Host, AggregatedToItsNode)
{
    SriovHelper sriov;
    Ptr<Host> host = SriovHelper::GetHost(sriov.Install(2));
    Ptr<Node> node = host->GetNode();
    ASSERT_TRUE(node);
    EXPECT_EQ(node->GetObject<Host>(), host);
    // Install(2) creates the VMs' nodes, then the host's (node ids as before the Host was
    // aggregated: the Host used to create its node itself).
    EXPECT_EQ(node->GetId(), NodeList::GetNNodes() - 1);
    EXPECT_NE(host->GetVm(0), node);
    // The Config namespace reaches the Host through its node, and only that one.
    Config::MatchContainer m = Config::LookupMatches("/NodeList/*/$ns3::Host");
    ASSERT_EQ(m.GetN(), 1U);
    EXPECT_EQ(m.Get(0), host);
    // Disposed with its node: the references it held are released.
    Simulator::Destroy();
    EXPECT_FALSE(host->GetNode());
    EXPECT_EQ(host->GetNNics(), 0U);
}

TEST(PcieHierarchy, HelperMakesTheSwitchUpstreamLikeTheNicLinks)
{
    SriovHelper sriov;
    sriov.SetNics(2);
    sriov.SetPcieAttribute("Generation", UintegerValue(4));
    sriov.SetPcieAttribute("MaxPayloadSize", UintegerValue(512));
    sriov.SetHierarchyAttribute("Route", EnumValue(PcieHierarchy::ROUTE_SWITCH));
    sriov.SetHierarchyAttribute("SwitchUpstreamLanes", UintegerValue(32));
    Ptr<Host> host = SriovHelper::GetHost(sriov.Install(2));
    Ptr<PcieHierarchy> hierarchy = host->GetPcieHierarchy();
    ASSERT_TRUE(hierarchy);
    Ptr<PcieLink> upstream = hierarchy->GetSwitchUpstream();
    ASSERT_TRUE(upstream);
    EXPECT_EQ(Uint(upstream, "Lanes"), 32U);
    EXPECT_EQ(Uint(upstream, "Generation"), 4U);
    EXPECT_EQ(Uint(upstream, "MaxPayloadSize"), 512U);
    for (uint32_t n = 0; n < 2; ++n)
    {
        EXPECT_EQ(host->GetPcieLink(n)->GetUpstream(), upstream) << n;
        EXPECT_EQ(Uint(host->GetPcieLink(n), "Lanes"), 8U) << n;
    }
    Simulator::Destroy();
}

TEST(PcieHierarchy, NoUpstreamThroughTheRootComplex)
{
    SriovHelper sriov;
    sriov.SetNics(2);
    Ptr<Host> host = SriovHelper::GetHost(sriov.Install(2));
    EXPECT_FALSE(host->GetPcieHierarchy()->GetSwitchUpstream());
    EXPECT_FALSE(host->GetPcieLink(0)->GetUpstream());
    Simulator::Destroy();
}

TEST(PcieHierarchy, HelperGivesTheSharedTableAndChannel)
{
    // The hierarchy creates nothing itself: a bare one has neither table nor channel.
    Ptr<PcieHierarchy> bare = CreateObject<PcieHierarchy>();
    EXPECT_FALSE(bare->GetMappingTable());
    EXPECT_FALSE(bare->GetChannel());
    // SriovHelper gives them, and every NIC of the host shares both.
    SriovHelper sriov;
    sriov.SetNics(2);
    Ptr<Host> host = SriovHelper::GetHost(sriov.Install(2));
    Ptr<PcieHierarchy> hierarchy = host->GetPcieHierarchy();
    ASSERT_TRUE(hierarchy->GetMappingTable());
    ASSERT_TRUE(hierarchy->GetChannel());
    for (uint32_t n = 0; n < 2; ++n)
    {
        EXPECT_EQ(PeekPointer(host->GetNic(n)->GetMappingTable()),
                  PeekPointer(hierarchy->GetMappingTable()))
            << n;
        EXPECT_EQ(PeekPointer(host->GetNic(n)->GetChannel()),
                  static_cast<Channel*>(PeekPointer(hierarchy->GetChannel())))
            << n;
    }
    // VM 0 is on NIC 0, VM 1 on NIC 1: one segment of two VFs.
    EXPECT_EQ(hierarchy->GetChannel()->GetNDevices(), 2U);
    Simulator::Destroy();
}

TEST(PcieHierarchy, InvalidAttributesAreRefused)
{
    Ptr<PcieHierarchy> h = CreateObject<PcieHierarchy>();
    // The upstream link's Lanes take only powers of two: so does SwitchUpstreamLanes.
    EXPECT_FALSE(h->SetAttributeFailSafe("SwitchUpstreamLanes", UintegerValue(0)));
    EXPECT_FALSE(h->SetAttributeFailSafe("SwitchUpstreamLanes", UintegerValue(12)));
    EXPECT_FALSE(h->SetAttributeFailSafe("SwitchUpstreamLanes", UintegerValue(64)));
    EXPECT_FALSE(
        Config::SetDefaultFailSafe("ns3::PcieHierarchy::SwitchUpstreamLanes", UintegerValue(12)));
    EXPECT_FALSE(h->SetAttributeFailSafe("SwitchForwardLatency", TimeValue(NanoSeconds(-1))));
    EXPECT_FALSE(h->SetAttributeFailSafe("RootComplexForwardLatency", TimeValue(NanoSeconds(-1))));
    EXPECT_TRUE(h->SetAttributeFailSafe("SwitchUpstreamLanes", UintegerValue(4)));
}
