/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * FabricBuilder: cables per NIC as the hosts' uplinks, switch ports, the switch buffer=
 * attribute on the ports' queues, reflective relay; and a small buffer dropping where the
 * default one does not.
 */
#include "ns3/ethernet-net-device.h"
#include "ns3/ethernet-switch.h"
#include "ns3/experiment.h"
#include "ns3/fabric-builder.h"
#include "ns3/host.h"
#include "ns3/queue-size.h"
#include "ns3/queue.h"
#include "ns3/simulator.h"
#include "ns3/sriov-helper.h"
#include "ns3/sriov-nic.h"
#include "ns3/topology.h"
#include "test-dir.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

using namespace ns3;

namespace {

/** Two hosts (h1 with two NICs) on a switch "tor" with \p buffer, a second switch "spare". */
Topology
TwoHostsOnASwitch(const std::string& buffer)
{
    Topology t("fabric-test");
    int h1 = t.AddHost("h1", 2, "default", "default", 2);
    int h2 = t.AddHost("h2", 2, "default", "default", 1);
    int tor = t.AddSwitch("tor", 0, buffer);
    int spare = t.AddSwitch("spare");
    t.AddLink(h1, tor, "10Gbps");
    t.AddLink(h2, tor, "10Gbps");
    t.AddLink(tor, spare, "10Gbps");
    t.Validate();
    t.ComputeRoutes();
    return t;
}

std::vector<Ptr<Host>>
BuildHosts(const Topology& t)
{
    std::vector<Ptr<Host>> hosts;
    for (int h : t.GetHosts())
    {
        SriovHelper sriov;
        sriov.SetNics(t.GetNode(h).nics);
        hosts.push_back(SriovHelper::GetHost(sriov.Install(t.GetNode(h).vms)));
    }
    return hosts;
}

uint64_t
SwitchDrops(const RunRecord& r, const std::string& component, const std::string& reason)
{
    uint64_t n = 0;
    for (const DropRow& d : r.drops)
    {
        n += d.component == component && d.reason == reason ? d.count : 0;
    }
    return n;
}

} // namespace

TEST(FabricBuilderTest, CablesPerNicBecomeUplinksAndSwitchBufferSetsPortQueues)
{
    const Topology t = TwoHostsOnASwitch("7p");
    std::vector<Ptr<Host>> hosts = BuildHosts(t);
    FabricBuilder fabric(t);
    fabric.Install(hosts);
    ASSERT_EQ(fabric.GetSwitches().size(), 2u);
    ASSERT_EQ(fabric.GetSwitchNodes().size(), 2u);
    // h1: two cables (one per NIC), h2: one, tor-spare: one; two ends each.
    EXPECT_EQ(fabric.GetDevices().size(), 8u);
    for (const Ptr<Host>& h : hosts)
    {
        for (uint32_t n = 0; n < h->GetNNics(); ++n)
        {
            Ptr<EthernetNetDevice> up = DynamicCast<EthernetNetDevice>(h->GetNic(n)->GetUplink());
            ASSERT_TRUE(up) << "NIC " << n << " has no cable";
            // The host end keeps the helper's queue.
            EXPECT_NE(up->GetQueue()->GetMaxSize(), QueueSize("7p"));
        }
    }
    Ptr<EthernetSwitch> tor = fabric.GetSwitches()[0];
    Ptr<EthernetSwitch> spare = fabric.GetSwitches()[1];
    ASSERT_EQ(tor->GetNPorts(), 4u);
    ASSERT_EQ(spare->GetNPorts(), 1u);
    for (uint32_t p = 0; p < tor->GetNPorts(); ++p)
    {
        EXPECT_EQ(tor->GetPort(p)->GetQueue()->GetMaxSize(), QueueSize("7p")) << "port " << p;
        EXPECT_FALSE(tor->GetReflectiveRelay(p));
    }
    // No buffer=: the helper's queue, as the host ends have.
    EXPECT_EQ(
        spare->GetPort(0)->GetQueue()->GetMaxSize(),
        DynamicCast<EthernetNetDevice>(hosts[1]->GetNic(0)->GetUplink())->GetQueue()->GetMaxSize());
    Simulator::Destroy();
}

TEST(FabricBuilderTest, ReflectiveRelayOnlyOnPortsFacingHosts)
{
    const Topology t = TwoHostsOnASwitch("");
    std::vector<Ptr<Host>> hosts = BuildHosts(t);
    FabricBuilder fabric(t);
    fabric.SetReflectiveRelay(true);
    fabric.Install(hosts);
    Ptr<EthernetSwitch> tor = fabric.GetSwitches()[0];
    Ptr<EthernetSwitch> spare = fabric.GetSwitches()[1];
    // tor's ports: h1's two cables, h2's, then the one to spare.
    EXPECT_TRUE(tor->GetReflectiveRelay(0));
    EXPECT_TRUE(tor->GetReflectiveRelay(1));
    EXPECT_TRUE(tor->GetReflectiveRelay(2));
    EXPECT_FALSE(tor->GetReflectiveRelay(3));
    EXPECT_FALSE(spare->GetReflectiveRelay(0));
    Simulator::Destroy();
}

TEST(FabricBuilderTest, SmallSwitchBufferDropsWhereTheDefaultDoesNot)
{
    // h1 sends at 10 Gb/s to h2 behind a 1 Gb/s link: the switch's port to h2 queues about 15
    // frames in 20 us. The default queue holds them; a 4-frame buffer drops the rest.
    std::map<std::string, uint64_t> drops;
    for (const std::string buffer : {"", "4p"})
    {
        const std::string path = TestDir() + "fabric-buffer.dot";
        std::ofstream(path) << "graph t {\n"
                               "  h1 [kind=host, vms=1]; h2 [kind=host, vms=1];\n"
                               "  tor [kind=switch"
                            << (buffer.empty() ? "" : ", buffer=\"" + buffer + "\"")
                            << "];\n"
                               "  h1 -- tor [rate=\"100Gbps\"];\n"
                               "  h2 -- tor [rate=\"1Gbps\"];\n"
                               "}\n";
        ExperimentOptions options;
        options.topologyFile = path;
        options.placement = Placement::CROSS_HOST;
        options.size = 1518;
        options.load = "10Gbps";
        options.duration = MicroSeconds(20);
        Experiment e("test", options);
        e.Validate();
        RunRecord r = e.RunMode(CommMode::VF_DMA);
        std::remove(path.c_str());
        ASSERT_EQ(r.flows.size(), 1u);
        EXPECT_GT(r.flows[0].txFrames, 10u);
        drops[buffer] = SwitchDrops(r, "tor", "queue-full");
        // Every frame sent is received, dropped or still in flight: the drops are the flow's.
        EXPECT_EQ(r.flows[0].dropped, drops[buffer]) << buffer;
    }
    EXPECT_EQ(drops[""], 0u);
    EXPECT_GT(drops["4p"], 0u);
}
