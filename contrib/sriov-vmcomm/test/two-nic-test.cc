/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Two SR-IOV NICs in one host (patent US9483290B1, claim 1's first and second device): the
 * eleven steps between VFs of different NICs, peer to peer over PCIe (doc/modes.md, two NICs).
 */
#include "echo.h"
#include "host-frames.h"
#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/ethernet-helper.h"
#include "ns3/ethernet-switch.h"
#include "ns3/experiment.h"
#include "ns3/host.h"
#include "ns3/internet-module.h"
#include "ns3/iommu.h"
#include "ns3/memory-domain.h"
#include "ns3/network-module.h"
#include "ns3/pcie-hierarchy.h"
#include "ns3/pcie-link.h"
#include "ns3/sriov-helper.h"
#include "ns3/sriov-nic.h"
#include "ns3/vf-mapping-table.h"
#include "ns3/vf-net-device.h"
#include "test-dir.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <set>
#include <string>
#include <utility>
#include <vector>

using namespace ns3;
using vmcomm_test::ETHERTYPE;
using vmcomm_test::SendAt;
using vmcomm_test::Sinks;

namespace {

/** Every step seen, and when. */
struct StepClock
{
    std::vector<VfDmaStep> steps;
    std::vector<Time> at;

    explicit StepClock(Ptr<Host> host)
    {
        for (uint32_t i = 0; i < host->GetNVms(); ++i)
        {
            for (int s = 3; s <= 11; ++s)
            {
                static const char* names[]
                    = {"Step3FetchTxFrame",         "Step4LookUpDestination",
                       "Step5SendLengthToPeer",     "Step6ProvideRxBufferAddress",
                       "Step7StartDmaWrite",        "Step8TranslateWrite",
                       "Step9WriteIntoDestination", "Step10NotifyTransferDone",
                       "Step11NotifyGuest"};
                host->GetVf(i)->TraceConnectWithoutContext(names[s - 3],
                                                           MakeCallback(&StepClock::Seen, this));
            }
        }
    }

    void Seen(const VfDmaStep& s)
    {
        steps.push_back(s);
        at.push_back(Simulator::Now());
    }
};

/** What OneFrame() measured. */
struct FrameRun
{
    Time span;                //!< lookup (step 4) to delivery in the destination VM
    uint64_t translations{0}; //!< IOMMU translations of the run
};

/**
 * Frames from VM 0 to VM \p dst of a three-VM host with \p nics NICs (VMs 0 and 2 on NIC 0,
 * VM 1 on NIC 1 when there are two); measures the last of \p frames (the first warms the IOTLB
 * for the VF message pages).
 * \param route PcieHierarchy::Route of the run
 * \param acsRedirect PcieHierarchy::AcsRedirect
 */
FrameRun
OneFrame(uint32_t nics, PcieHierarchy::Route route, bool acsRedirect = false, int frames = 2,
         uint32_t dst = 1)
{
    SriovHelper sriov;
    sriov.SetNics(nics);
    sriov.SetHierarchyAttribute("Route", EnumValue(route));
    sriov.SetHierarchyAttribute("AcsRedirect", BooleanValue(acsRedirect));
    Ptr<Host> host = SriovHelper::GetHost(sriov.Install(3));
    StepClock clock(host);
    Sinks sinks(host);
    for (int i = 0; i < frames; ++i)
    {
        SendAt(host, 0, dst, 1000, MicroSeconds(10 + 40 * i));
    }
    Simulator::Run();
    Time lookup;
    for (uint32_t i = 0; i < clock.steps.size(); ++i)
    {
        if (clock.steps[i].step == 4)
        {
            lookup = clock.at[i]; // the last frame's
        }
    }
    FrameRun r{sinks.lastAt[dst] - lookup,
               host->GetIommu()->GetHits() + host->GetIommu()->GetMisses()};
    Simulator::Destroy();
    return r;
}

/** Sum of a PCIe counter over every link of the host. */
uint64_t
SumTlps(Ptr<Host> host, PcieLink::Direction dir)
{
    uint64_t sum = 0;
    for (uint32_t n = 0; n < host->GetNNics(); ++n)
    {
        sum += host->GetPcieLink(n)->GetTlps(dir);
    }
    return sum;
}

/** TLPs per direction that one frame from VM 0 to VM 1 adds, on a host with \p nics NICs. */
std::pair<uint64_t, uint64_t>
TlpsOfOneFrame(uint32_t nics, uint64_t* peerWrites)
{
    SriovHelper sriov;
    sriov.SetNics(nics);
    Ptr<Host> host = SriovHelper::GetHost(sriov.Install(2));
    std::pair<uint64_t, uint64_t> before;
    Simulator::Schedule(
        MicroSeconds(9),
        [&]()
        {
            before = {SumTlps(host, PcieLink::UPSTREAM), SumTlps(host, PcieLink::DOWNSTREAM)};
        });
    SendAt(host, 0, 1, 1000, MicroSeconds(10));
    Simulator::Run();
    std::pair<uint64_t, uint64_t> d{SumTlps(host, PcieLink::UPSTREAM) - before.first,
                                    SumTlps(host, PcieLink::DOWNSTREAM) - before.second};
    *peerWrites = host->GetPcieHierarchy() ? host->GetPcieHierarchy()->GetPeerWrites() : 0;
    Simulator::Destroy();
    return d;
}

/** Sum of a counter over the components starting with \p prefix. */
double
CounterWithPrefix(const RunRecord& r, const std::string& prefix, const std::string& name)
{
    double sum = 0;
    for (const CounterRow& c : r.counters)
    {
        if (c.name == name && c.component.rfind(prefix, 0) == 0)
        {
            sum += c.value;
        }
    }
    return sum;
}

class TwoNicTest : public ::testing::Test
{
  protected:
    void TearDown() override
    {
        Simulator::Destroy();
    }
};

} // namespace

TEST_F(TwoNicTest, OneTableNamesTheNicOfEveryVf)
{
    SriovHelper sriov;
    sriov.SetNics(2);
    Ptr<Host> host = SriovHelper::GetHost(sriov.Install(4));
    ASSERT_EQ(host->GetNNics(), 2u);
    Ptr<const VfMappingTable> table = host->GetNic(0)->GetMappingTable();
    EXPECT_EQ(PeekPointer(table), PeekPointer(host->GetNic(1)->GetMappingTable()));
    EXPECT_EQ(table->GetSize(), 4u);
    for (uint32_t i = 0; i < 4; ++i)
    {
        // VM i on NIC i mod 2.
        Ptr<VfNetDevice> vf = host->GetVf(i);
        EXPECT_EQ(vf->GetNic(), host->GetNic(i % 2));
        const VfMappingTable::Entry* e
            = table->Lookup(Mac48Address::ConvertFrom(vf->GetAddress()), VfMappingTable::NO_VLAN);
        ASSERT_NE(e, nullptr);
        EXPECT_EQ(e->nic, i % 2);
        EXPECT_EQ(e->vf, vf->GetVfIndex());
        EXPECT_EQ(e->iommuDomain, host->GetVmMemory(i)->GetIommuDomain());
    }
    EXPECT_NE(host->GetPcieLink(0), host->GetPcieLink(1));
}

TEST_F(TwoNicTest, ElevenStepsAcrossNicsThroughTheHostIommu)
{
    SriovHelper sriov;
    sriov.SetNics(2);
    Ptr<Host> host = SriovHelper::GetHost(sriov.Install(2));
    StepClock clock(host);
    Sinks sinks(host);
    SendAt(host, 0, 1, 1000, MicroSeconds(10));
    Simulator::Run();

    ASSERT_EQ(clock.steps.size(), 9u);
    for (uint32_t i = 0; i < clock.steps.size(); ++i)
    {
        EXPECT_EQ(clock.steps[i].step, 3 + i);
        EXPECT_TRUE(clock.steps[i].ok);
        EXPECT_EQ(clock.steps[i].length, 1014u);
        if (i > 0)
        {
            EXPECT_GE(clock.at[i], clock.at[i - 1]);
        }
    }
    // Step 11 starts when step 10's notice has crossed: two links and the root complex.
    TimeValue propagation;
    CreateObject<PcieLink>()->GetAttribute("PropagationDelay", propagation);
    EXPECT_GE(clock.at[8] - clock.at[7],
              2 * propagation.Get() + host->GetPcieHierarchy()->GetForwardLatency());
    // Step 8: the host IOMMU translated NIC 0's write into the VM behind NIC 1.
    EXPECT_TRUE(host->GetVmMemory(1)->ContainsHpa(clock.steps[5].hpa));
    EXPECT_EQ(sinks.frames[1], 1u);
    // Length, address and done: three peer-to-peer writes, nothing through the uplinks.
    EXPECT_EQ(host->GetPcieHierarchy()->GetPeerWrites(), 3u);
    EXPECT_EQ(host->GetPcieHierarchy()->GetPeerBytes(), 24u);
    EXPECT_EQ(host->GetNic(0)->GetDrops(SriovNic::DROP_NO_UPLINK), 0u);
    // The frame record went back to NIC 0, which allocated it (an unsigned count would wrap).
    EXPECT_EQ(host->GetNic(0)->GetFramesInFlight(), 0u);
    EXPECT_EQ(host->GetNic(1)->GetFramesInFlight(), 0u);
}

TEST_F(TwoNicTest, PeerWritesAreCountedOnBothLinks)
{
    uint64_t p2pOne = 0;
    uint64_t p2pTwo = 0;
    auto one = TlpsOfOneFrame(1, &p2pOne);
    auto two = TlpsOfOneFrame(2, &p2pTwo);
    EXPECT_EQ(p2pOne, 0u);
    EXPECT_EQ(p2pTwo, 3u);
    // Each message is one TLP up the sender's link and one down the receiver's; the rest of
    // the frame's PCIe traffic is the same.
    EXPECT_EQ(two.first, one.first + 3);
    EXPECT_EQ(two.second, one.second + 3);
}

TEST_F(TwoNicTest, CrossingCostsThreeTurnaroundsWhereverTheyTurn)
{
    // On one host: VM 0 to VM 2 (same NIC) against VM 0 to VM 1 (the other NIC).
    auto crossing = [](PcieHierarchy::Route route, bool acs)
    {
        return OneFrame(2, route, acs, 2, 1).span - OneFrame(2, route, acs, 2, 2).span;
    };
    Time rc = crossing(PcieHierarchy::ROUTE_ROOT_COMPLEX, false);
    Time sw = crossing(PcieHierarchy::ROUTE_SWITCH, false);
    Time acs = crossing(PcieHierarchy::ROUTE_SWITCH, true);
    Ptr<PcieHierarchy> defaults = CreateObject<PcieHierarchy>();
    TimeValue rcLatency;
    TimeValue swLatency;
    defaults->GetAttribute("RootComplexForwardLatency", rcLatency);
    defaults->GetAttribute("SwitchForwardLatency", swLatency);
    TimeValue propagation;
    CreateObject<PcieLink>()->GetAttribute("PropagationDelay", propagation);
    const Time link = propagation.Get();
    // Steps 5, 6 and 10 each cross: two links and the turnaround (and the serialization of an
    // 8-byte write, a few ns); the IOTLB holds the message pages (second frame).
    EXPECT_GE(rc, 3 * (2 * link + rcLatency.Get()));
    EXPECT_LE(rc, 3 * (2 * link + rcLatency.Get()) + NanoSeconds(60));
    EXPECT_GE(sw, 3 * (2 * link + swLatency.Get()));
    EXPECT_LE(sw, 3 * (2 * link + swLatency.Get()) + NanoSeconds(60));
    EXPECT_EQ(rc - sw, 3 * (rcLatency.Get() - swLatency.Get()));
    // ACS redirect: up through the switch and its upstream link, the root complex, back down.
    Time redirected = 2 * link + 2 * (swLatency.Get() + link) + rcLatency.Get();
    EXPECT_GE(acs, 3 * redirected);
    EXPECT_LE(acs, 3 * redirected + NanoSeconds(90));
}

TEST_F(TwoNicTest, BelowASwitchEveryDmaCrossesItsUpstreamLink)
{
    SriovHelper sriov;
    sriov.SetNics(2);
    sriov.SetHierarchyAttribute("Route", EnumValue(PcieHierarchy::ROUTE_SWITCH));
    Ptr<Host> host = SriovHelper::GetHost(sriov.Install(3));
    Ptr<PcieLink> up = host->GetPcieHierarchy()->GetSwitchUpstream();
    ASSERT_TRUE(up);
    EXPECT_EQ(host->GetPcieLink(0)->GetUpstream(), up);
    EXPECT_EQ(host->GetPcieLink(1)->GetUpstream(), up);
    UintegerValue lanes;
    up->GetAttribute("Lanes", lanes);
    EXPECT_EQ(lanes.Get(), 16u);
    Sinks sinks(host);
    SendAt(host, 0, 2, 1000, MicroSeconds(10)); // same NIC
    SendAt(host, 0, 1, 1000, MicroSeconds(30)); // across: the messages stay below the switch
    Simulator::Run();
    EXPECT_EQ(sinks.frames[2], 1u);
    EXPECT_EQ(sinks.frames[1], 1u);
    // Every byte between a NIC and memory crossed the upstream link; the peer-to-peer ones did
    // not.
    for (auto dir : {PcieLink::UPSTREAM, PcieLink::DOWNSTREAM})
    {
        EXPECT_EQ(up->GetPayloadBytes(dir), host->GetPcieLink(0)->GetPayloadBytes(dir)
                                                + host->GetPcieLink(1)->GetPayloadBytes(dir)
                                                - host->GetPcieHierarchy()->GetPeerBytes())
            << "direction " << dir;
    }
    // Through the root complex there is no switch.
    SriovHelper rc;
    rc.SetNics(2);
    EXPECT_FALSE(SriovHelper::GetHost(rc.Install(2))->GetPcieHierarchy()->GetSwitchUpstream());
}

TEST_F(TwoNicTest, MessagesThroughTheRootComplexAreTranslatedByTheIommu)
{
    // One frame: three messages, translated in the sender's domain at the root complex; the
    // first use of a VF's message page walks the page table (steps 5 and 10 share VF 2's page,
    // step 6 goes to VF 1's).
    FrameRun same = OneFrame(1, PcieHierarchy::ROUTE_ROOT_COMPLEX, false, 1);
    FrameRun rc = OneFrame(2, PcieHierarchy::ROUTE_ROOT_COMPLEX, false, 1);
    FrameRun sw = OneFrame(2, PcieHierarchy::ROUTE_SWITCH, false, 1);
    FrameRun acs = OneFrame(2, PcieHierarchy::ROUTE_SWITCH, true, 1);
    EXPECT_EQ(rc.translations, same.translations + 3);
    EXPECT_EQ(sw.translations, same.translations) << "straight across the switch: untranslated";
    EXPECT_EQ(acs.translations, same.translations + 3);
    TimeValue level;
    CreateObject<Iommu>()->GetAttribute("PageWalkLevelLatency", level);
    // The first frame's other cold pages (its buffers) are the same with one NIC or two.
    Time coldOne = same.span - OneFrame(1, PcieHierarchy::ROUTE_ROOT_COMPLEX).span;
    Time coldTwo = rc.span - OneFrame(2, PcieHierarchy::ROUTE_ROOT_COMPLEX).span;
    EXPECT_EQ(coldTwo - coldOne, 2 * 4 * level.Get()) << "two more cold 4-level walks";
}

TEST_F(TwoNicTest, RecordsReturnToTheirOwnerUnderLoadBothWays)
{
    SriovHelper sriov;
    sriov.SetNics(2);
    GuestHelper dpdk; // the NICs under load: guests that are not the bottleneck
    dpdk.SetGuest(GuestKind::DPDK);
    sriov.SetGuestHelper(dpdk);
    Ptr<Host> host = SriovHelper::GetHost(sriov.Install(4));
    Sinks sinks(host);
    const int n = 2000;
    for (int i = 0; i < n; ++i)
    {
        // VM 0 (NIC 0) <-> VM 1 (NIC 1), and VM 2 (NIC 0) -> VM 0 (same NIC).
        SendAt(host, 0, 1, 600, NanoSeconds(10000 + 400 * i));
        SendAt(host, 1, 0, 600, NanoSeconds(10100 + 400 * i));
        SendAt(host, 2, 0, 600, NanoSeconds(10200 + 400 * i));
    }
    Simulator::Run();
    EXPECT_EQ(sinks.frames[1], uint32_t(n));
    EXPECT_EQ(sinks.frames[0], uint32_t(2 * n));
    EXPECT_EQ(host->GetNic(0)->GetTotalDrops() + host->GetNic(1)->GetTotalDrops(), 0u);
    EXPECT_EQ(host->GetNic(0)->GetFramesInFlight(), 0u);
    EXPECT_EQ(host->GetNic(1)->GetFramesInFlight(), 0u);
    EXPECT_EQ(host->GetPcieHierarchy()->GetPeerWrites(), 3u * 2 * n);
}

TEST_F(TwoNicTest, HoldPolicyAcrossNicsDeliversEveryFrame)
{
    SriovHelper sriov;
    sriov.SetNics(2);
    sriov.SetVfAttribute("RxRingSize", UintegerValue(8));
    sriov.SetVfAttribute("CoalesceUsecs", TimeValue(MicroSeconds(50)));
    sriov.SetVfAttribute("CoalesceFrames", UintegerValue(1000));
    sriov.SetNicAttribute("NoRxBufferPolicy", EnumValue(SriovNic::POLICY_HOLD));
    Ptr<Host> host = SriovHelper::GetHost(sriov.Install(2));
    Sinks sinks(host);
    for (int i = 0; i < 20; ++i)
    {
        SendAt(host, 0, 1, 200, MicroSeconds(10 + i));
    }
    Simulator::Run();
    EXPECT_EQ(sinks.frames[1], 20u);
    EXPECT_EQ(host->GetNic(0)->GetTotalDrops() + host->GetNic(1)->GetTotalDrops(), 0u);
    EXPECT_EQ(host->GetNic(0)->GetFramesInFlight(), 0u);
}

TEST_F(TwoNicTest, VebHairpinsOnlyWithinItsNic)
{
    SriovHelper sriov;
    sriov.SetNics(2);
    sriov.SetNicAttribute("Forwarding", EnumValue(SriovNic::FORWARD_VEB));
    Ptr<Host> host = SriovHelper::GetHost(sriov.Install(3));
    Sinks sinks(host);
    SendAt(host, 0, 2, 300, MicroSeconds(10)); // both on NIC 0: the embedded switch
    SendAt(host, 0, 1, 300, MicroSeconds(11)); // NIC 1: the wire, and there is none
    Simulator::Run();
    EXPECT_EQ(sinks.frames[2], 1u);
    EXPECT_EQ(sinks.frames[1], 0u);
    EXPECT_EQ(host->GetNic(0)->GetEswitchFrames(), 1u);
    EXPECT_EQ(host->GetNic(0)->GetDrops(SriovNic::DROP_NO_UPLINK), 1u);
}

TEST_F(TwoNicTest, BroadcastReachesEveryVfOfTheHostOnce)
{
    // Both NICs cabled to one switch: the flood comes back on NIC 1's port too, and NIC 1 must
    // not deliver what its VFs already received peer to peer.
    SriovHelper sriov;
    sriov.SetNics(2);
    Ptr<Host> host = SriovHelper::GetHost(sriov.Install(4));
    Ptr<Node> tor = CreateObject<Node>();
    EthernetHelper eth;
    NetDeviceContainer ports;
    for (uint32_t n = 0; n < 2; ++n)
    {
        NetDeviceContainer cable = eth.Install(host->GetNode(), tor);
        host->GetNic(n)->SetUplink(cable.Get(0));
        ports.Add(cable.Get(1));
    }
    eth.InstallSwitch(tor, ports);
    Sinks sinks(host);
    Simulator::Schedule(MicroSeconds(10),
                        [&]()
                        {
                            host->GetVf(0)->Send(Create<Packet>(100), Mac48Address::GetBroadcast(),
                                                 ETHERTYPE);
                        });
    Simulator::Stop(MilliSeconds(1));
    Simulator::Run();
    EXPECT_EQ(sinks.frames, (std::vector<uint32_t>{0, 1, 1, 1}));
    EXPECT_EQ(host->GetPcieHierarchy()->GetPeerWrites(), 3u * 2); // to VMs 1 and 3
}

TEST_F(TwoNicTest, EveryModeDeliversWithTwoNicsPerHost)
{
    for (const std::string& mode : Experiment::GetModes())
    {
        ExperimentOptions options;
        options.vms = 4;
        options.nics = 2;
        options.size = 512;
        options.load = "1Gbps";
        options.duration = MicroSeconds(300);
        Experiment e("test", options);
        e.Validate();
        RunRecord r = e.RunMode(mode);
        uint64_t sent = 0;
        uint64_t received = 0;
        for (const FlowRow& f : r.flows)
        {
            sent += f.txFrames;
            received += f.rxFrames;
        }
        ASSERT_GT(received, 50u) << mode;
        EXPECT_EQ(sent, received) << mode;
        const double p2p = CounterWithPrefix(r, "host0/pcie-p2p", "writes");
        const double uplink = CounterWithPrefix(r, "host0/nic", "uplink_tx_frames");
        // Pairs (0,1) and (2,3) sit on different NICs.
        if (mode == "vf-dma" || mode == "vswitch-offload")
        {
            EXPECT_EQ(p2p, 3.0 * received) << mode;
            EXPECT_EQ(uplink, 0.0) << mode;
            EXPECT_GT(CounterWithPrefix(r, "host0/pcie1", "up_bytes"), 0.0) << mode;
        }
        else
        {
            EXPECT_EQ(p2p, 0.0) << mode;
        }
        if (mode == "veb" || mode == "vepa")
        {
            // No hairpin spans two NICs: out of one, through the switch, into the other.
            EXPECT_EQ(uplink, double(received)) << mode;
            EXPECT_EQ(CounterWithPrefix(r, "tor", "rx_frames"), double(received)) << mode;
        }
    }
}

TEST_F(TwoNicTest, TopologyHostsMayHaveTheirOwnNicCount)
{
    // h1 has two NICs, h2 the program's default (one): cross-host pairs leave h1 through the
    // cable of their VF's NIC and all arrive.
    std::string path = TestDir() + "two-nic.dot";
    std::ofstream(path) << "graph t {\n"
                           "  h1 [kind=host, vms=2, nics=2]; h2 [kind=host, vms=2];\n"
                           "  tor [kind=switch];\n"
                           "  h1 -- tor; h2 -- tor;\n"
                           "}\n";
    ExperimentOptions options;
    options.topologyFile = path;
    options.placement = Placement::CROSS_HOST;
    options.size = 256;
    options.load = "1Gbps";
    options.duration = MicroSeconds(200);
    Experiment e("test", options);
    e.Validate();
    RunRecord r = e.RunMode("vf-dma");
    ASSERT_EQ(r.flows.size(), 2u);
    for (const FlowRow& f : r.flows)
    {
        EXPECT_GT(f.rxFrames, 10u);
        EXPECT_EQ(f.txFrames, f.rxFrames);
    }
    // Flow 2 (h1's VM 1 -> h2's VM 1) leaves through NIC 1.
    EXPECT_EQ(CounterWithPrefix(r, "h1/nic1", "uplink_tx_frames"), double(r.flows[1].txFrames));
    EXPECT_EQ(CounterWithPrefix(r, "h2/nic1", "uplink_tx_frames"), 0.0); // h2 has no NIC 1
    EXPECT_EQ(CounterWithPrefix(r, "tor", "rx_frames"),
              double(r.flows[0].txFrames + r.flows[1].txFrames));
    std::remove(path.c_str());
}

TEST_F(TwoNicTest, OffloadDecisionsShareTheHostsOneCore)
{
    SriovHelper sriov;
    sriov.SetNics(2);
    sriov.SetNicAttribute("Forwarding", EnumValue(SriovNic::FORWARD_OFFLOAD));
    Ptr<Host> host = SriovHelper::GetHost(sriov.Install(4));
    Sinks sinks(host);
    SendAt(host, 1, 3, 300, MicroSeconds(10)); // NIC 1 to NIC 1
    SendAt(host, 0, 1, 300, MicroSeconds(10)); // NIC 0 to NIC 1
    Simulator::Run();
    EXPECT_EQ(sinks.frames[3], 1u);
    EXPECT_EQ(sinks.frames[1], 1u);
    TimeValue decision;
    host->GetNic(0)->GetAttribute("OffloadDecisionTime", decision);
    // The host's virtual switch decided both frames on its one core.
    EXPECT_EQ(host->GetNic(0)->GetOffloadCoreTime(), 2 * decision.Get());
    EXPECT_EQ(host->GetNic(1)->GetOffloadCoreTime(), Time(0));
}

TEST_F(TwoNicTest, FrameNumbersAreUniqueInTheHost)
{
    // Each NIC numbers its frames from 1; the NIC's index in the top bits keeps the step traces
    // of two NICs apart.
    SriovHelper sriov;
    sriov.SetNics(2);
    Ptr<Host> host = SriovHelper::GetHost(sriov.Install(2));
    StepClock clock(host);
    SendAt(host, 0, 1, 100, MicroSeconds(10));
    SendAt(host, 1, 0, 100, MicroSeconds(10));
    Simulator::Run();
    // Both senders are VF 0 of their NIC, and each NIC's first frame.
    std::set<uint64_t> nicsOfFrames;
    for (const VfDmaStep& s : clock.steps)
    {
        if (s.step == 3)
        {
            EXPECT_EQ(s.srcVf, 0u);
            EXPECT_EQ(s.frame & 0xffffffffffff, 1u);
            nicsOfFrames.insert(s.frame >> 48);
        }
    }
    EXPECT_EQ(nicsOfFrames, (std::set<uint64_t>{0, 1}));
}

TEST_F(TwoNicTest, VfsOfAllNicsAreOneSegmentForNs3)
{
    // The shared table makes the host's VFs one segment: ns-3's neighbour cache helper (which
    // goes by channel) fills the ARP caches across NICs, and ARP itself resolves across them.
    SriovHelper sriov;
    sriov.SetNics(2);
    Ptr<Host> host = SriovHelper::GetHost(sriov.Install(2));
    Ptr<Channel> channel = host->GetVf(0)->GetChannel();
    EXPECT_EQ(channel, host->GetVf(1)->GetChannel());
    EXPECT_EQ(channel->GetNDevices(), 2u);

    InternetStackHelper stack;
    stack.SetIpv6StackInstall(false);
    stack.Install(host->GetVms());
    NetDeviceContainer vfs;
    vfs.Add(host->GetVf(0));
    vfs.Add(host->GetVf(1));
    Ipv4InterfaceContainer ifs = Ipv4AddressHelper("10.0.0.0", "255.255.255.0").Assign(vfs);
    // 20 ms apart: past ARP's 10 ms jitter; from 1 ms: after the VFs have their RX descriptors.
    uint32_t echoes = RunEcho(host->GetVm(0), host->GetVm(1), ifs.GetAddress(1), 5,
                              MilliSeconds(20), MilliSeconds(1), Seconds(1));
    EXPECT_EQ(echoes, 5u) << "through ARP, across the two NICs";
    EXPECT_GT(host->GetPcieHierarchy()->GetPeerWrites(), 0u);
}
