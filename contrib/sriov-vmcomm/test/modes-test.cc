/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The comparison of communication modes, through the Experiment that scenario programs use.
 */
#include "counters.h"
#include "ns3/core-module.h"
#include "ns3/experiment.h"
#include "test-dir.h"
#include "test-util.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <utility>
#include <vector>

using namespace ns3;

namespace {

uint64_t
Drops(const RunRecord& r)
{
    uint64_t sum = 0;
    for (const DropRow& d : r.drops)
    {
        sum += d.count;
    }
    return sum;
}

uint64_t
Sent(const RunRecord& r)
{
    uint64_t sum = 0;
    for (const FlowRow& f : r.flows)
    {
        sum += f.txFrames;
    }
    return sum;
}

uint64_t
Received(const RunRecord& r)
{
    uint64_t sum = 0;
    for (const FlowRow& f : r.flows)
    {
        sum += f.rxFrames;
    }
    return sum;
}

/** A two-host topology file (one ToR). */
std::string
TwoHosts()
{
    std::string path = TestDir() + "modes-two-hosts.dot";
    std::ofstream(path) << "graph t {\n"
                           "  h1 [kind=host, vms=2]; h2 [kind=host, vms=2]; tor [kind=switch];\n"
                           "  h1 -- tor [rate=\"100Gbps\", delay=\"10ns\"];\n"
                           "  h2 -- tor [rate=\"100Gbps\", delay=\"10ns\"];\n"
                           "}\n";
    return path;
}

} // namespace

TEST(ModesTest, EveryModeDeliversTheSameFramesBelowSaturation)
{
    std::vector<uint64_t> received;
    for (const std::string& mode : Experiment::GetModes())
    {
        ExperimentOptions options;
        options.vms = 4;
        options.size = 512;
        options.load = "1Gbps";
        options.duration = MicroSeconds(500);
        Experiment e("test", options);
        e.Validate();
        RunRecord r = e.RunMode(mode);
        EXPECT_EQ(Sent(r), Received(r) + Drops(r)) << mode;
        EXPECT_EQ(Drops(r), 0u) << mode;
        EXPECT_GT(Received(r), 100u) << mode;
        received.push_back(Received(r));
    }
    for (uint64_t n : received)
    {
        EXPECT_EQ(n, received.front());
    }
}

TEST(ModesTest, VfDmaUsesNoHostCoreAndVswitchCoresScaleWithLoad)
{
    std::map<std::string, std::vector<double>> useful;
    // Loads light enough that every frame finds the core idle (no batching to amortise).
    for (const char* load : {"100Mbps", "200Mbps"})
    {
        for (const std::string& mode : Experiment::GetModes())
        {
            ExperimentOptions options;
            options.size = 256;
            options.load = load;
            options.duration = MilliSeconds(2);
            Experiment e("test", options);
            e.Validate();
            RunRecord r = e.RunMode(mode);
            useful[mode].push_back(Counter(r, "/cpu", "useful_core_seconds"));
            if (mode == "vf-dma")
            {
                EXPECT_EQ(Counter(r, "/cpu", "forwarding_core_seconds"), 0.0);
            }
        }
    }
    EXPECT_EQ(useful["vf-dma"][0], 0.0);
    for (const char* mode : {"vswitch-kernel", "vswitch-dpdk"})
    {
        ASSERT_GT(useful[mode][0], 0.0) << mode;
        // Twice the load, twice the forwarding work (within a batch's worth).
        EXPECT_NEAR(useful[mode][1] / useful[mode][0], 2.0, 0.1) << mode;
    }
}

TEST(ModesTest, OffHostPairCrossesBothNicsTheFabricAndTheRemoteIommu)
{
    ExperimentOptions sameOptions;
    sameOptions.topologyFile = TwoHosts();
    sameOptions.size = 1024;
    sameOptions.load = "1Gbps";
    sameOptions.duration = MicroSeconds(300);
    sameOptions.placement = Placement::SAME_HOST;
    Experiment same("test", sameOptions);
    same.Validate();
    RunRecord local = same.RunMode("vf-dma");

    ExperimentOptions crossOptions;
    crossOptions.topologyFile = TwoHosts();
    crossOptions.size = 1024;
    crossOptions.load = "1Gbps";
    crossOptions.duration = MicroSeconds(300);
    crossOptions.placement = Placement::CROSS_HOST;
    Experiment cross("test", crossOptions);
    cross.Validate();
    RunRecord remote = cross.RunMode("vf-dma");

    ASSERT_GT(Received(remote), 0u);
    EXPECT_EQ(Sent(remote), Received(remote) + Drops(remote));
    for (const FlowRow& f : remote.flows)
    {
        EXPECT_FALSE(f.sameHost);
    }
    // The ToR switched every frame, and the receiving host's IOMMU translated them.
    EXPECT_EQ(Counter(remote, "tor", "rx_frames"), double(Sent(remote)));
    EXPECT_GT(Counter(remote, "h2/iommu", "iotlb_hits")
                  + Counter(remote, "h2/iommu", "iotlb_misses"),
              0.0);
    EXPECT_EQ(Counter(local, "tor", "rx_frames"), 0.0);
    // Both NICs, two links and the switch: longer than the same-host path.
    EXPECT_GT(remote.flows[0].latMeanNs, local.flows[0].latMeanNs + 500);
}

TEST(ModesTest, BadOptionsAreRefusedWithTheirName)
{
    try
    {
        // The one place a mode's name is read: --mode's parser.
        ParseModes("carrier-pigeon");
        FAIL() << "an unknown mode was accepted";
    }
    catch (const ExperimentError& err)
    {
        EXPECT_NE(std::string(err.what()).find("--mode=carrier-pigeon"), std::string::npos);
        EXPECT_NE(std::string(err.what()).find("vf-dma"), std::string::npos);
    }
    ExperimentOptions sOptions;
    sOptions.size = 20;
    Experiment s("test", sOptions);
    EXPECT_THROW(s.Validate(), ExperimentError);
    ExperimentOptions lOptions;
    lOptions.load = "-3Gbps";
    Experiment l("test", lOptions);
    EXPECT_THROW(l.Validate(), ExperimentError);
    ExperimentOptions pOptions;
    pOptions.placement = Placement::CROSS_HOST; // one host only
    Experiment p("test", pOptions);
    EXPECT_THROW(p.Validate(), ExperimentError);
    for (uint32_t nics : {0u, 9u})
    {
        ExperimentOptions nOptions;
        nOptions.nics = nics;
        try
        {
            Experiment n("test", nOptions);
            n.Validate();
            ADD_FAILURE() << "--nics=" << nics << " accepted";
        }
        catch (const ExperimentError& err)
        {
            EXPECT_NE(
                std::string(err.what()).find("--nics=" + std::to_string(nics) + ": allowed: 1..8"),
                std::string::npos)
                << err.what();
        }
    }
}

TEST(ModesTest, VepaFramesCrossTheSwitchVebAndVfDmaStayInTheNic)
{
    std::map<std::string, RunRecord> runs;
    for (const char* mode : {"vf-dma", "veb", "vepa", "vswitch-offload"})
    {
        ExperimentOptions options;
        options.size = 512;
        options.load = "1Gbps";
        options.duration = MicroSeconds(300);
        Experiment e("test", options);
        e.Validate();
        runs[mode] = e.RunMode(mode);
        ASSERT_GT(Received(runs[mode]), 0u) << mode;
        EXPECT_EQ(Sent(runs[mode]), Received(runs[mode])) << mode;
    }
    uint64_t sent = Sent(runs["vepa"]);
    // vepa: every frame out of the uplink, into the ToR, reflected back out of the same port.
    EXPECT_EQ(Counter(runs["vepa"], "/nic0", "uplink_tx_frames"), double(sent));
    EXPECT_EQ(Counter(runs["vepa"], "tor", "rx_frames"), double(sent));
    EXPECT_EQ(Counter(runs["vepa"], "tor", "reflected_frames"), double(sent));
    for (const char* mode : {"vf-dma", "veb", "vswitch-offload"})
    {
        EXPECT_EQ(Counter(runs[mode], "/nic0", "uplink_tx_frames"), 0.0) << mode;
        EXPECT_EQ(Counter(runs[mode], "tor", "rx_frames"), 0.0) << mode;
    }
    // veb hairpins in its embedded switch; vf-dma does not use it.
    EXPECT_EQ(Counter(runs["veb"], "/nic0", "eswitch_frames"), double(Sent(runs["veb"])));
    EXPECT_EQ(Counter(runs["vf-dma"], "/nic0", "eswitch_frames"), 0.0);
    // The offload mode spends a host core per frame deciding; vf-dma none.
    EXPECT_GT(Counter(runs["vswitch-offload"], "/cpu", "forwarding_core_seconds"), 0.0);
    EXPECT_EQ(Counter(runs["vf-dma"], "/cpu", "forwarding_core_seconds"), 0.0);
    // Through the switch and back costs time: vepa is slower than vf-dma.
    EXPECT_GT(runs["vepa"].flows[0].latMeanNs, runs["vf-dma"].flows[0].latMeanNs);
}

TEST(ModesTest, VebBufferBoundDropsAreCounted)
{
    ExperimentOptions options;
    options.vms = 8;
    options.size = 1518;
    options.load = "40Gbps";
    options.duration = MicroSeconds(200);
    Experiment e("test", options);
    e.Validate();
    GlobalDefaultsGuard restore;
    Config::SetDefault("ns3::SriovNic::EswitchBufferBytes", UintegerValue(4096));
    RunRecord r = e.RunMode("veb");
    uint64_t full = 0;
    for (const DropRow& d : r.drops)
    {
        if (d.reason == "eswitch-buffer-full")
        {
            full += d.count;
        }
    }
    EXPECT_GT(full, 0u);
    EXPECT_EQ(Sent(r), Received(r) + Drops(r));
}

namespace {

/** A two-host topology whose hosts h1 and h2 carry the given extra attributes. */
std::string
TwoHostsWith(const std::string& h1Attrs, const std::string& h2Attrs = "")
{
    std::string path = TestDir() + "modes-attrs.dot";
    std::ofstream(path) << "graph t {\n"
                           "  h1 [kind=host, vms=2, "
                        << h1Attrs << "]; h2 [kind=host, vms=2, " << h2Attrs
                        << "]; tor [kind=switch];\n"
                           "  h1 -- tor; h2 -- tor;\n"
                           "}\n";
    return path;
}

} // namespace

TEST(ModesTest, HostAttributesOfTheTopologyAreApplied)
{
    // h1 runs a DPDK switch while the mode says kernel: its poll core is busy all the time,
    // h2's kernel switch only while it works.
    ExperimentOptions options;
    options.topologyFile = TwoHostsWith("vswitch=\"ovs-dpdk\"");
    options.size = 256;
    options.load = "100Mbps";
    options.duration = MilliSeconds(1);
    Experiment e("test", options);
    e.Validate();
    RunRecord r = e.RunMode("vswitch-kernel");
    ASSERT_GT(Received(r), 0u);
    double h1 = Counter(r, "h1/cpu", "forwarding_core_seconds");
    double h2 = Counter(r, "h2/cpu", "forwarding_core_seconds");
    EXPECT_GE(h1, r.simSeconds * 0.99);
    EXPECT_LT(h2, h1 / 10);

    // h1 with the Gen4 x16 preset: the same traffic occupies its PCIe link less than h2's
    // Gen3 x8 one.
    ExperimentOptions gOptions;
    gOptions.topologyFile = TwoHostsWith("nic=\"gen4x16-100g\"");
    gOptions.size = 1024;
    gOptions.load = "5Gbps";
    gOptions.duration = MicroSeconds(300);
    Experiment g("test", gOptions);
    g.Validate();
    RunRecord rg = g.RunMode("vf-dma");
    double up1 = Counter(rg, "h1/pcie0", "up_utilization");
    double up2 = Counter(rg, "h2/pcie0", "up_utilization");
    ASSERT_GT(up2, 0.0);
    EXPECT_LT(up1, up2 * 0.6);
    std::remove(gOptions.topologyFile.c_str());
}

TEST(ModesTest, HostGuestOfTheTopologyWinsOverTheProgramsGuest)
{
    // 64 B frames at 5 Mb/s from h1's VMs to h2's: with kernel guests the receiving vCPU halts
    // and the stacks run; a host's guest=dpdk turns both off for its VMs only.
    auto p50 = [](const std::string& h1, const std::string& h2, GuestKind program)
    {
        ExperimentOptions options;
        options.topologyFile = TwoHostsWith(h1, h2);
        options.guest = program;
        options.traffic = TrafficPattern::PAIRS;
        options.placement = Placement::CROSS_HOST;
        options.size = 64;
        options.load = "5Mbps";
        options.duration = MilliSeconds(2);
        Experiment e("test", options);
        e.Validate();
        RunRecord r = e.RunMode("vf-dma");
        std::remove(options.topologyFile.c_str());
        std::vector<double> v;
        for (const FlowRow& f : r.flows)
        {
            EXPECT_GT(f.rxFrames, 0u);
            v.push_back(f.latP50Ns);
        }
        return v;
    };
    const std::vector<double> kernel = p50("", "", GuestKind::KERNEL);
    const std::vector<double> dpdk = p50("", "", GuestKind::DPDK);
    ASSERT_EQ(kernel.size(), dpdk.size());
    ASSERT_FALSE(kernel.empty());
    // Both hosts say dpdk: the program's --guest=kernel is overridden, the rows are dpdk's.
    EXPECT_EQ(p50("guest=dpdk", "guest=dpdk", GuestKind::KERNEL), dpdk);
    EXPECT_EQ(p50("guest=kernel", "guest=kernel", GuestKind::DPDK), kernel);
    EXPECT_EQ(p50("guest=default", "", GuestKind::DPDK), dpdk);
    // One host each (flows go from h1 to h2): each kind pays its own side.
    const std::vector<double> dpdkToKernel = p50("guest=dpdk", "", GuestKind::KERNEL);
    const std::vector<double> kernelToDpdk = p50("", "guest=dpdk", GuestKind::KERNEL);
    ASSERT_EQ(dpdkToKernel.size(), kernel.size());
    ASSERT_EQ(kernelToDpdk.size(), kernel.size());
    for (std::size_t i = 0; i < kernel.size(); ++i)
    {
        // The sender's stack (about 0.9 us) is gone; the receiver's halt and stack remain.
        EXPECT_LT(dpdkToKernel[i], kernel[i] - 500) << "flow " << i;
        EXPECT_GT(dpdkToKernel[i], dpdk[i] + 10000) << "flow " << i;
        // The other way round: only the sender's stack.
        EXPECT_GT(kernelToDpdk[i], dpdk[i] + 500) << "flow " << i;
        EXPECT_LT(kernelToDpdk[i], kernel[i] - 10000) << "flow " << i;
    }
}

TEST(ModesTest, UnknownHostPresetOrProfileIsRefusedNamingTheNode)
{
    // The message lists what is valid.
    for (auto [attrs, valid] : {std::make_pair("nic=\"nfp9000\"", "nfp6000-bdw"),
                                std::make_pair("vswitch=\"ovs-fast\"", "ovs-dpdk")})
    {
        ExperimentOptions options;
        options.topologyFile = TwoHostsWith(attrs);
        try
        {
            Experiment e("test", options);
            e.Validate();
            ADD_FAILURE() << attrs << " accepted";
        }
        catch (const ExperimentError& err)
        {
            std::string what = err.what();
            EXPECT_NE(what.find("node \"h1\""), std::string::npos) << what;
            EXPECT_NE(what.find(attrs), std::string::npos) << what;
            EXPECT_NE(what.find(valid), std::string::npos) << what;
        }
        std::remove(options.topologyFile.c_str());
    }
}
