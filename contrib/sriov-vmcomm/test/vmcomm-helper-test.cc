/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The helpers as ns-3's own: SriovHelper and VswitchHelper give back the VMs' devices (device i
 * on VM i) with the Host and switch reachable from them; VmCommHelper builds every mode through
 * one entry point and says what a host's place lacks for a mode; ASCII traces write one "r"
 * line per frame delivered and one "+" line per frame sent.
 */
#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/host.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/ns3-compat.h"
#include "ns3/sriov-nic.h"
#include "ns3/vf-net-device.h"
#include "ns3/virtio-net-device.h"
#include "ns3/virtual-switch.h"
#include "ns3/vmcomm-helper.h"
#include "test-util.h"

#include <gtest/gtest.h>

#include <limits>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>

using namespace ns3;

namespace {

/** \param text ASCII trace lines \param kind first character \return lines of that kind */
uint32_t
CountLines(const std::string& text, char kind)
{
    std::istringstream in(text);
    std::string line;
    uint32_t n = 0;
    while (std::getline(in, line))
    {
        n += !line.empty() && line[0] == kind && line.size() > 1 && line[1] == ' ';
    }
    return n;
}

/** Frames delivered to, and handed by, the stacks of the VMs' devices (either kind). */
struct Frames
{
    uint64_t rx{0}; //!< delivered to the stack
    uint64_t tx{0}; //!< handed to the device
};

/** \param devices VM devices \return their frame counters, summed */
Frames
Count(const NetDeviceContainer& devices)
{
    Frames f;
    for (uint32_t i = 0; i < devices.GetN(); ++i)
    {
        if (Ptr<VfNetDevice> vf = DynamicCast<VfNetDevice>(devices.Get(i)))
        {
            f.rx += vf->GetCounters().rxFrames;
            f.tx += vf->GetCounters().txFrames;
        }
        else if (Ptr<VirtioNetDevice> v = DynamicCast<VirtioNetDevice>(devices.Get(i)))
        {
            f.rx += v->GetCounters().rxFrames;
            f.tx += v->GetCounters().txFrames;
        }
    }
    return f;
}

} // namespace

TEST(SriovHelper, InstallGivesTheDevicesOnTheVmsAndTheHostFromThem)
{
    SriovHelper sriov;
    NodeContainer vms;
    vms.Create(3);
    NetDeviceContainer devices = sriov.Install(vms);
    ASSERT_EQ(devices.GetN(), 3u);
    Ptr<Host> host = SriovHelper::GetHost(devices);
    ASSERT_TRUE(host);
    EXPECT_EQ(host->GetNode()->GetObject<Host>(), host);
    for (uint32_t i = 0; i < 3; ++i)
    {
        EXPECT_EQ(devices.Get(i)->GetNode(), vms.Get(i)) << i;
        EXPECT_TRUE(DynamicCast<VfNetDevice>(devices.Get(i))) << i;
        EXPECT_EQ(host->GetVmDevice(i), devices.Get(i)) << i;
        EXPECT_EQ(SriovHelper::GetHost(devices.Get(i)), host) << i;
    }
    // A host of no VM, on a node of the caller's: reached from the node; its PF finds it too.
    Ptr<Node> node = CreateObject<Node>();
    EXPECT_EQ(sriov.Install(node, NodeContainer()).GetN(), 0u);
    Ptr<Host> empty = node->GetObject<Host>();
    ASSERT_TRUE(empty);
    EXPECT_EQ(empty->GetNVms(), 0u);
    EXPECT_EQ(SriovHelper::GetHost(sriov.AddPf(empty)), empty);
    // A device of no host.
    EXPECT_FALSE(SriovHelper::GetHost(CreateObject<SimpleNetDevice>()));
    Simulator::Destroy();
}

TEST(SriovHelper, VfCapacityFollowsNicsAttributeAndPreset)
{
    GlobalDefaultsGuard restore;
    SriovHelper sriov;
    std::string maxVfs;
    EXPECT_EQ(sriov.GetVfCapacity(&maxVfs), 64u);
    EXPECT_EQ(maxVfs, "64");
    sriov.SetNics(2);
    EXPECT_EQ(sriov.GetVfCapacity(), 128u);
    sriov.SetNicAttribute("MaxVfs", UintegerValue(8));
    EXPECT_EQ(sriov.GetVfCapacity(&maxVfs), 16u);
    EXPECT_EQ(maxVfs, "8");
    // The default in force when nothing was set on the helper.
    Config::SetDefault("ns3::SriovNic::MaxVfs", UintegerValue(4));
    EXPECT_EQ(SriovHelper().GetVfCapacity(), 4u);
}

TEST(VswitchHelper, InstallGivesTheDevicesAndTheSwitchFromThem)
{
    VswitchHelper helper;
    NodeContainer vms;
    vms.Create(2);
    NetDeviceContainer devices = helper.Install(vms);
    ASSERT_EQ(devices.GetN(), 2u);
    Ptr<VirtualSwitch> sw = VswitchHelper::GetSwitch(devices.Get(0));
    ASSERT_TRUE(sw);
    for (uint32_t i = 0; i < 2; ++i)
    {
        EXPECT_EQ(devices.Get(i)->GetNode(), vms.Get(i)) << i;
        EXPECT_EQ(VswitchHelper::GetSwitch(devices.Get(i)), sw) << i;
        EXPECT_EQ(sw->GetPortDevice(i), devices.Get(i)) << i;
    }
    EXPECT_FALSE(VswitchHelper::GetSwitch(SriovHelper().Install(1).Get(0)));
    Simulator::Destroy();
}

TEST(VmCommHelper, EveryModeThroughOneEntryPoint)
{
    for (CommMode mode : GetCommModes())
    {
        VmCommHelper comm;
        comm.SetMode(ToString(mode));
        EXPECT_EQ(comm.GetMode(), mode);
        NodeContainer vms;
        vms.Create(2);
        NetDeviceContainer devices = comm.Install(vms);
        ASSERT_EQ(devices.GetN(), 2u) << ToString(mode);
        Ptr<Host> host = VmCommHelper::GetHost(devices);
        ASSERT_TRUE(host) << ToString(mode);
        EXPECT_EQ(host->GetNVms(), 2u);
        for (uint32_t i = 0; i < 2; ++i)
        {
            EXPECT_EQ(devices.Get(i)->GetNode(), vms.Get(i));
        }
        if (IsSoftwareSwitched(mode))
        {
            // Virtio guests on the host's switch, whose uplink is the host kernel's PF.
            ASSERT_TRUE(DynamicCast<VirtioNetDevice>(devices.Get(0))) << ToString(mode);
            Ptr<VirtualSwitch> sw = host->GetVirtualSwitch();
            ASSERT_TRUE(sw);
            EXPECT_EQ(VswitchHelper::GetSwitch(devices.Get(1)), sw);
            ASSERT_TRUE(host->GetPf());
            EXPECT_EQ(sw->GetUplink(), host->GetPf());
        }
        else
        {
            Ptr<VfNetDevice> vf = DynamicCast<VfNetDevice>(devices.Get(0));
            ASSERT_TRUE(vf) << ToString(mode);
            compat::EnumValueOf<SriovNic::Forwarding> forwarding;
            vf->GetNic()->GetAttribute("Forwarding", forwarding);
            const std::map<CommMode, int> expected
                = {{CommMode::VF_DMA, SriovNic::FORWARD_VF_DMA},
                   {CommMode::VEB, SriovNic::FORWARD_VEB},
                   {CommMode::VEPA, SriovNic::FORWARD_VEPA},
                   {CommMode::VSWITCH_OFFLOAD, SriovNic::FORWARD_OFFLOAD}};
            EXPECT_EQ(int(forwarding.Get()), expected.at(mode)) << ToString(mode);
            EXPECT_EQ(bool(host->GetVirtualSwitch()), mode == CommMode::VSWITCH_OFFLOAD);
            EXPECT_FALSE(host->GetPf());
        }
        EXPECT_EQ(comm.NeedsReflectiveRelay(), mode == CommMode::VEPA);
    }
    Simulator::Destroy();
}

TEST(VmCommHelper, UnknownModeNamesTheValidOnes)
{
    VmCommHelper comm;
    try
    {
        comm.SetMode("sr-iov");
        FAIL() << "no exception";
    }
    catch (const std::invalid_argument& e)
    {
        const std::string what = e.what();
        EXPECT_NE(what.find("\"sr-iov\""), std::string::npos) << what;
        for (const std::string& name : GetCommModeNames())
        {
            EXPECT_NE(what.find(name), std::string::npos) << what;
        }
    }
    EXPECT_EQ(comm.GetMode(), CommMode::VF_DMA);
}

TEST(VmCommHelper, CheckNamesTheModeAndWhatTheHostLacks)
{
    VmCommSite site;
    site.host = "h1";
    site.where = "one.dot";
    site.vms = 2;
    site.switchPort = false;
    site.vmToVmFrames = true;
    VmCommHelper comm;
    comm.SetMode(CommMode::VEPA);
    const std::string vepa = comm.Check(site);
    EXPECT_NE(vepa.find("mode vepa"), std::string::npos) << vepa;
    EXPECT_NE(vepa.find("one.dot: host \"h1\""), std::string::npos) << vepa;
    EXPECT_NE(vepa.find("reflective relay"), std::string::npos) << vepa;
    // A switch port, or no frame between two of its VMs: vepa can run.
    site.switchPort = true;
    EXPECT_EQ(comm.Check(site), "");
    site.switchPort = false;
    site.vmToVmFrames = false;
    EXPECT_EQ(comm.Check(site), "");
    // More VMs than VFs: the hardware modes cannot, the software switch can.
    site.vms = 65;
    site.vmsSource = "--vms=65";
    comm.SetMode(CommMode::VF_DMA);
    const std::string vfs = comm.Check(site);
    EXPECT_NE(vfs.find("--vms=65"), std::string::npos) << vfs;
    EXPECT_NE(vfs.find("mode vf-dma"), std::string::npos) << vfs;
    EXPECT_NE(vfs.find("allowed: 1..64 (1 NIC(s) x ns3::SriovNic::MaxVfs=64)"), std::string::npos)
        << vfs;
    comm.GetSriovHelper().SetNics(2);
    EXPECT_EQ(comm.Check(site), "");
    comm.GetSriovHelper().SetNics(1);
    comm.SetMode(CommMode::VSWITCH_DPDK);
    EXPECT_EQ(comm.Check(site), "");
}

TEST(VmCommHelper, VswitchProfileAndAttributesAfterIt)
{
    VmCommHelper comm;
    comm.SetMode(CommMode::VSWITCH_KERNEL);
    comm.SetVswitchProfile("ovs-dpdk");
    comm.SetSwitchAttribute("NCores", UintegerValue(3));
    NetDeviceContainer devices = comm.Install(NodeContainer(CreateObject<Node>()));
    Ptr<VirtualSwitch> sw = VswitchHelper::GetSwitch(devices.Get(0));
    ASSERT_TRUE(sw);
    UintegerValue cores;
    sw->GetAttribute("NCores", cores);
    EXPECT_EQ(cores.Get(), 3u);
    // The dpdk profile polls: compare with what the profile alone gives.
    VswitchHelper dpdk;
    dpdk.SetProfile("ovs-dpdk");
    Ptr<VirtualSwitch> ref = VswitchHelper::GetSwitch(dpdk.Install(1).Get(0));
    StringValue a;
    StringValue b;
    sw->GetAttribute("Mode", a);
    ref->GetAttribute("Mode", b);
    EXPECT_EQ(a.Get(), b.Get());
    EXPECT_EQ(a.Get(), "Poll");
    Simulator::Destroy();
}

/** ASCII traces of a UDP stream between two VMs, in a hardware and in a software mode. */
class AsciiTraceTest : public ::testing::TestWithParam<CommMode>
{
};

TEST_P(AsciiTraceTest, OneReceiveLinePerFrameDelivered)
{
    VmCommHelper comm;
    comm.SetMode(GetParam());
    NodeContainer vms;
    vms.Create(2);
    NetDeviceContainer devices = comm.Install(vms);
    InternetStackHelper stack;
    stack.SetIpv6StackInstall(false);
    stack.Install(vms);
    Ipv4InterfaceContainer ifs = Ipv4AddressHelper("10.0.0.0", "255.255.255.0").Assign(devices);
    NeighborCacheHelper().PopulateNeighborCache(ifs);
    std::ostringstream text;
    comm.EnableAsciiAll(Create<OutputStreamWrapper>(&text));

    const uint32_t packets = 20;
    UdpServerHelper server(9);
    ApplicationContainer serverApp = server.Install(vms.Get(1));
    UdpClientHelper client(ifs.GetAddress(1), 9);
    client.SetAttribute("Interval", TimeValue(MicroSeconds(5)));
    client.SetAttribute("PacketSize", UintegerValue(200));
    client.SetAttribute("MaxPackets", UintegerValue(packets));
    client.Install(vms.Get(0)).Start(MicroSeconds(10));
    Simulator::Stop(MilliSeconds(1));
    Simulator::Run();

    const Frames f = Count(devices);
    EXPECT_EQ(DynamicCast<UdpServer>(serverApp.Get(0))->GetReceived(), packets);
    EXPECT_EQ(f.rx, packets);
    EXPECT_EQ(CountLines(text.str(), 'r'), f.rx) << text.str();
    EXPECT_EQ(CountLines(text.str(), '+'), f.tx);
    EXPECT_EQ(CountLines(text.str(), 'd'), 0u);
    // With contexts: the receiving device's Config path.
    const std::string type = IsSoftwareSwitched(GetParam()) ? "VirtioNetDevice" : "VfNetDevice";
    std::ostringstream path;
    path << "/NodeList/" << vms.Get(1)->GetId() << "/DeviceList/" << devices.Get(1)->GetIfIndex()
         << "/$ns3::" << type << "/MacRx";
    EXPECT_NE(text.str().find(path.str()), std::string::npos) << text.str().substr(0, 400);
    Simulator::Destroy();
}

INSTANTIATE_TEST_SUITE_P(Modes, AsciiTraceTest,
                         ::testing::Values(CommMode::VF_DMA, CommMode::VSWITCH_KERNEL),
                         [](const ::testing::TestParamInfo<CommMode>& info)
                         {
                             std::string name = ToString(info.param);
                             for (char& c : name)
                             {
                                 c = c == '-' ? '_' : c;
                             }
                             return name;
                         });
