/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * vswitch-offload asks the host's real VirtualSwitch: its representor ports, its table and
 * Decide() name where a VF's frame goes, on its upcall core.
 */
#include "ns3/enum.h"
#include "ns3/host.h"
#include "ns3/mac48-address.h"
#include "ns3/node.h"
#include "ns3/nstime.h"
#include "ns3/offload-forwarder.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/sriov-helper.h"
#include "ns3/sriov-nic.h"
#include "ns3/vf-dma-step.h"
#include "ns3/vf-net-device.h"
#include "ns3/virtual-switch.h"

#include <gtest/gtest.h>

#include <vector>

using namespace ns3;

namespace {

constexpr uint16_t ETHERTYPE = 0x88b5; // IEEE local experimental

/** Where the frames went: step 11 (the receiving VF completes a frame) per VM. */
struct Completions
{
    std::vector<uint32_t> frames;

    explicit Completions(Ptr<Host> host)
        : frames(host->GetNVms(), 0)
    {
        for (uint32_t i = 0; i < host->GetNVms(); ++i)
        {
            host->GetVf(i)->TraceConnectWithoutContext(
                "Step11NotifyGuest", MakeCallback(&Completions::Seen, this).Bind(i));
        }
    }

    void Seen(uint32_t vm, const VfDmaStep&)
    {
        ++frames[vm];
    }
};

/** Send a frame from VM \p from to the address of VM \p to of \p host at 10 us. */
void
Send(Ptr<Host> host, uint32_t from, uint32_t to)
{
    Simulator::Schedule(MicroSeconds(10),
                        [host, from, to]()
                        {
                            host->GetVf(from)->Send(Create<Packet>(300),
                                                    host->GetVf(to)->GetAddress(), ETHERTYPE);
                        });
}

/** \param host a host \param vm a VM \return its VF's MAC address */
Mac48Address
MacOf(Ptr<Host> host, uint32_t vm)
{
    return Mac48Address::ConvertFrom(host->GetVf(vm)->GetAddress());
}

class OffloadTest : public ::testing::Test
{
  protected:
    void TearDown() override
    {
        Simulator::Destroy();
    }

    /** \param nics NICs per host \return an offload host with 3 VMs */
    Ptr<Host> Build(uint32_t nics)
    {
        SriovHelper sriov;
        sriov.SetNics(nics);
        sriov.SetNicAttribute("Forwarding", EnumValue(SriovNic::FORWARD_OFFLOAD));
        return SriovHelper::GetHost(sriov.Install(3));
    }
};

} // namespace

TEST(VirtualSwitchRepresentor, PortsNameTheFunctionsTheyRepresent)
{
    Ptr<VirtualSwitch> vs = CreateObject<VirtualSwitch>();
    const uint32_t uplink = vs->AddUplinkRepresentor();
    const uint32_t vf3 = vs->AddRepresentor(1, 3);
    EXPECT_EQ(vs->GetNPorts(), 2u);
    EXPECT_EQ(vs->GetUplinkRepresentorPort(), uplink);
    EXPECT_EQ(vs->GetRepresentorPort(1, 3), vf3);
    EXPECT_EQ(vs->GetRepresentorPort(0, 3), VirtualSwitch::PORT_NONE);
    EXPECT_EQ(vs->GetRepresentorPort(1, 2), VirtualSwitch::PORT_NONE);
    uint32_t nic = 9;
    uint32_t vf = 9;
    ASSERT_TRUE(vs->GetRepresented(vf3, nic, vf));
    EXPECT_EQ(nic, 1u);
    EXPECT_EQ(vf, 3u);
    ASSERT_TRUE(vs->GetRepresented(uplink, nic, vf));
    EXPECT_EQ(vf, VirtualSwitch::REPRESENTED_UPLINK);
    EXPECT_FALSE(vs->GetRepresented(7, nic, vf));
    // The table names representors like any port; Decide() answers with them.
    const Mac48Address a("02:00:00:00:00:0a");
    const Mac48Address b("02:00:00:00:00:0b");
    vs->AddStaticEntry(b, vf3);
    VswitchFrame f;
    f.src = a;
    f.dst = b;
    f.inPort = uplink;
    EXPECT_EQ(vs->Decide(f), vf3);
    // An upcall learns the source behind its representor, and decides after the cost.
    f.inPort = vf3;
    f.src = b;
    f.dst = a;
    EXPECT_EQ(vs->Upcall(f, NanoSeconds(100), NanoSeconds(50)), NanoSeconds(150));
    EXPECT_EQ(f.outPort, VirtualSwitch::PORT_FLOOD); // a unknown: a learning switch floods
    f.inPort = uplink;
    f.src = a;
    f.dst = b;
    // One upcall core: the second decision waits for the first.
    EXPECT_EQ(vs->Upcall(f, NanoSeconds(120), NanoSeconds(50)), NanoSeconds(200));
    EXPECT_EQ(f.outPort, vf3);
    EXPECT_EQ(vs->GetUpcallCoreTime(), NanoSeconds(100));
    vs->Dispose();
}

TEST_F(OffloadTest, HelperGivesTheHostASwitchWithARepresentorPerVf)
{
    Ptr<Host> host = Build(2);
    Ptr<VirtualSwitch> vs = host->GetVirtualSwitch();
    ASSERT_TRUE(vs);
    EXPECT_NE(vs->GetUplinkRepresentorPort(), VirtualSwitch::PORT_NONE);
    for (uint32_t n = 0; n < 2; ++n)
    {
        auto offload = DynamicCast<OffloadForwarder>(host->GetNic(n)->GetForwarder());
        ASSERT_TRUE(offload) << n;
        EXPECT_EQ(offload->GetVirtualSwitch(), vs) << n;
    }
    // VM i is VF i / 2 of NIC i mod 2; its address is behind its representor.
    for (uint32_t i = 0; i < 3; ++i)
    {
        const uint32_t port = vs->GetRepresentorPort(i % 2, host->GetVf(i)->GetVfIndex());
        ASSERT_NE(port, VirtualSwitch::PORT_NONE) << i;
        EXPECT_EQ(vs->LookUp(MacOf(host, i)), port) << i;
    }
    // Other forwarding modes have no switch.
    SriovHelper vfDma;
    EXPECT_FALSE(SriovHelper::GetHost(vfDma.Install(2))->GetVirtualSwitch());
}

TEST_F(OffloadTest, TheSwitchsTableDecidesWhereTheFrameGoes)
{
    Ptr<Host> host = Build(1);
    Completions done(host);
    Ptr<VirtualSwitch> vs = host->GetVirtualSwitch();
    // The switch's rule sends VM 1's address to VM 2's representor: the NIC obeys.
    vs->AddStaticEntry(MacOf(host, 1), vs->GetRepresentorPort(0, host->GetVf(2)->GetVfIndex()));
    Send(host, 0, 1);
    Simulator::Run();
    EXPECT_EQ(done.frames[1], 0u);
    EXPECT_EQ(done.frames[2], 1u);
    TimeValue decision;
    host->GetNic(0)->GetAttribute("OffloadDecisionTime", decision);
    EXPECT_EQ(vs->GetUpcallCoreTime(), decision.Get());
    EXPECT_EQ(host->GetNic(0)->GetOffloadCoreTime(), decision.Get());
}

TEST_F(OffloadTest, WithoutTheRuleTheFrameGoesToItsOwner)
{
    Ptr<Host> host = Build(2);
    Completions done(host);
    Send(host, 0, 1); // NIC 0 to NIC 1, peer to peer
    Simulator::Run();
    EXPECT_EQ(done.frames[1], 1u);
    EXPECT_EQ(done.frames[2], 0u);
}

TEST_F(OffloadTest, ADecisionForNowhereIsADrop)
{
    Ptr<Host> host = Build(1);
    Completions done(host);
    Ptr<VirtualSwitch> vs = host->GetVirtualSwitch();
    // VM 1's address behind VM 0's own representor: the switch does not send a frame back out
    // of the port it came in by.
    vs->AddStaticEntry(MacOf(host, 1), vs->GetRepresentorPort(0, host->GetVf(0)->GetVfIndex()));
    Send(host, 0, 1);
    Simulator::Run();
    EXPECT_EQ(done.frames[0] + done.frames[1] + done.frames[2], 0u);
    EXPECT_EQ(host->GetNic(0)->GetDrops(SriovNic::DROP_NO_DESTINATION), 1u);
}
