/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Frames of one queue arrive in the order they were sent, in every mode (issue 9 item 5): a NIC
 * processes a queue's descriptors in ring order. Checked at the receiving VM's IP layer with the
 * sender's sequence numbers: the IPv4 identification (ns-3 numbers it per source, destination
 * and protocol, so it orders every frame of a VM pair's queue, retransmissions included) and,
 * for UDP, the SeqTsHeader sequence of each flow.
 */
#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/experiment.h"
#include "ns3/host.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/ns3-compat.h"
#include "ns3/sriov-helper.h"
#include "ns3/sriov-nic.h"
#include "ns3/vf-net-device.h"
#include "test-util.h"

#include <gtest/gtest.h>

#include <limits>
#include <map>
#include <tuple>
#include <vector>

using namespace ns3;

namespace {

/** Counts frames delivered out of their sender's order, at every VM's IP layer. */
struct OrderCheck
{
    uint64_t delivered{0}; //!< IP packets delivered to a VM
    uint64_t reordered{0}; //!< with an IP ID below one already delivered (same src, dst, proto)
    uint64_t udp{0};       //!< UDP datagrams carrying a SeqTsHeader
    uint64_t udpLate{0};   //!< with a sequence number below one already delivered (same flow)
    /** highest IP ID delivered, per (source, destination, protocol) */
    std::map<std::tuple<uint32_t, uint32_t, uint8_t>, uint16_t> lastId;
    /** highest UDP sequence number delivered, per (source, source port, destination port) */
    std::map<std::tuple<uint32_t, uint16_t, uint16_t>, uint32_t> lastSeq;

    void Deliver(const Ipv4Header& ip, Ptr<const Packet> p, uint32_t)
    {
        ++delivered;
        auto key
            = std::make_tuple(ip.GetSource().Get(), ip.GetDestination().Get(), ip.GetProtocol());
        auto it = lastId.find(key);
        if (it == lastId.end())
        {
            lastId.emplace(key, ip.GetIdentification());
        }
        else if (int16_t(ip.GetIdentification() - it->second) < 0) // modulo 2^16
        {
            ++reordered;
        }
        else
        {
            it->second = ip.GetIdentification();
        }
        if (ip.GetProtocol() == UdpL4Protocol::PROT_NUMBER)
        {
            Ptr<Packet> copy = p->Copy();
            UdpHeader udpHeader;
            copy->RemoveHeader(udpHeader);
            if (copy->GetSize() < SeqTsHeader().GetSerializedSize())
            {
                return;
            }
            SeqTsHeader seq;
            copy->RemoveHeader(seq);
            ++udp;
            auto flow = std::make_tuple(ip.GetSource().Get(), udpHeader.GetSourcePort(),
                                        udpHeader.GetDestinationPort());
            auto s = lastSeq.find(flow);
            if (s == lastSeq.end())
            {
                lastSeq.emplace(flow, seq.GetSeq());
            }
            else if (seq.GetSeq() < s->second)
            {
                ++udpLate;
            }
            else
            {
                s->second = seq.GetSeq();
            }
        }
    }
};

/**
 * A second UDP flow of another frame size beside every UDP flow of the run, into the same
 * server: the VM pair's queue then carries mixed sizes (a small frame behind a large one).
 */
void
AddMixedFlows(uint32_t size)
{
    for (uint32_t n = 0; n < NodeList::GetNNodes(); ++n)
    {
        Ptr<Node> node = NodeList::GetNode(n);
        const uint32_t apps = node->GetNApplications();
        for (uint32_t a = 0; a < apps; ++a)
        {
            Ptr<UdpClient> client = DynamicCast<UdpClient>(node->GetApplication(a));
            if (!client)
            {
                continue;
            }
            TimeValue interval;
            client->GetAttribute("Interval", interval);
            UdpClientHelper helper = compat::UdpClientHelperTo(client);
            helper.SetAttribute("PacketSize", UintegerValue(size - 46)); // Eth, FCS, IP, UDP
            helper.SetAttribute("Interval", interval);
            helper.SetAttribute("MaxPackets", UintegerValue(std::numeric_limits<uint32_t>::max()));
            ApplicationContainer c = helper.Install(node);
            c.Start(MilliSeconds(1));
            c.Stop(MilliSeconds(2));
        }
    }
}

/** What one run saw. */
struct Seen
{
    OrderCheck order; //!< ordering at the receivers
    uint64_t sent{0}; //!< frames the flows sent
    uint64_t rx{0};   //!< frames the flows received
};

/**
 * Run one mode through the Experiment the scenario programs use, checking order at every VM.
 * \param mode the mode \param app udp or tcp \param nics NICs per host \param vms VMs
 * \param size frame bytes \param load per-flow load \param duration traffic time
 * \param mixed 0, or the frame size of a second UDP flow beside each UDP flow
 */
Seen
RunChecked(const std::string& mode, const std::string& app, uint32_t nics, uint32_t vms,
           uint32_t size, const std::string& load, Time duration, uint32_t mixed = 0)
{
    Seen seen;
    GlobalDefaultsGuard restore; // the TCP socket defaults a tcp run sets
    ExperimentOptions options;
    EXPECT_TRUE(ParseTrafficApp(app, &options.app));
    options.nics = nics;
    options.vms = vms;
    options.size = size;
    options.load = load;
    options.duration = duration;
    Experiment e("test", options);
    e.Validate();
    // Before the run starts (t = 0, after Build): the VMs and their applications exist.
    Simulator::Schedule(Time(0),
                        [&seen, mixed]()
                        {
                            Config::ConnectWithoutContext(
                                "/NodeList/*/$ns3::Ipv4L3Protocol/LocalDeliver",
                                MakeCallback(&OrderCheck::Deliver, &seen.order));
                            if (mixed != 0)
                            {
                                AddMixedFlows(mixed);
                            }
                        });
    e.RunMode(mode);
    for (const Experiment::Flow& f : e.GetFlows())
    {
        seen.sent += f.txFrames;
        seen.rx += f.rxFrames;
    }
    return seen;
}

/** The modes, hardware ones first. */
const char* const MODES[]
    = {"vf-dma", "veb", "vepa", "vswitch-offload", "vswitch-kernel", "vswitch-dpdk"};

/** \param mode a mode \return true for the software switch modes (virtio guests) */
bool
Software(const std::string& mode)
{
    return mode == "vswitch-kernel" || mode == "vswitch-dpdk";
}

} // namespace

TEST(OrderingTest, TcpBulkSendArrivesInOrderInEveryMode)
{
    for (uint32_t nics : {1u, 2u})
    {
        for (const char* mode : MODES)
        {
            if (nics == 2 && Software(mode))
            {
                continue; // the software switch moves frames between VMs with no NIC
            }
            Seen s = RunChecked(mode, "tcp", nics, 2, 1518, "10Gbps", MilliSeconds(3));
            EXPECT_GT(s.order.delivered, 1000u) << mode << " nics=" << nics;
            EXPECT_EQ(s.order.reordered, 0u) << mode << " nics=" << nics;
        }
    }
}

/**
 * UDP flows of 64-byte frames, each with a 1518-byte flow beside it between the same VMs, at a
 * per-flow \p load: every flow in order in every mode, one and two NICs; in the modes where the
 * VM's VF gets its frames in the order IP numbered them, the VF's queue in order too. (The virtio
 * guests of the software modes have Linux's default qdisc, fq_codel, as ns-3 installs it: it
 * interleaves the flows, so only each flow's order is the switch's to keep.)
 */
void
ExpectUdpInOrder(const std::string& load)
{
    for (uint32_t nics : {1u, 2u})
    {
        for (const char* mode : MODES)
        {
            if (nics == 2 && Software(mode))
            {
                continue;
            }
            Seen s = RunChecked(mode, "udp", nics, 2, 64, load, MicroSeconds(500), 1518);
            EXPECT_GT(s.order.udp, 1500u) << mode << " nics=" << nics;
            EXPECT_EQ(s.order.lastSeq.size(), 2u) << mode << " nics=" << nics; // both sizes
            EXPECT_EQ(s.order.udpLate, 0u) << mode << " nics=" << nics;
            if (!Software(mode))
            {
                EXPECT_EQ(s.order.reordered, 0u) << mode << " nics=" << nics;
            }
        }
    }
}

TEST(OrderingTest, UdpOfMixedSizesBelowVfSaturationArrivesInOrderInEveryMode)
{
    // 5 Gb/s of 64-byte frames, and as many 1518-byte ones: about what the VF modes carry.
    ExpectUdpInOrder("0.05");
}

TEST(OrderingTest, OverloadedUdpOfMixedSizesArrivesInOrderInEveryMode)
{
    // Twice that: the survivors stay in order.
    ExpectUdpInOrder("0.1");
}

TEST(OrderingTest, RxDescriptorsCompleteInRingOrderWhateverOrderTheTransfersFinish)
{
    // VM 1 (NIC 1) receives from VM 0, whose done notices (step 10) cross PCIe peer to peer from
    // NIC 0, and from VM 3 (NIC 1 too), whose notices stay on the NIC: a frame of VM 3 that took
    // the RX slot after one of VM 0's and finished its transfer no later has its notice first.
    SriovHelper sriov;
    sriov.SetNics(2);
    Ptr<Host> host = SriovHelper::GetHost(sriov.Install(4)); // VM i on NIC i mod 2
    std::vector<uint64_t> slotOrder; // frames, in the order step 6 gave them VM 1's slots
    std::vector<uint64_t> completed; // in the order their RX descriptors completed (step 11)
    std::map<uint64_t, Time> done;   // frame -> instant its transfer finished (step 10)
    host->GetVf(1)->TraceConnectWithoutContext("Step6ProvideRxBufferAddress",
                                               MakeBoundCallback(
                                                   +[](std::vector<uint64_t>* v, const VfDmaStep& s)
                                                   {
                                                       if (s.ok)
                                                       {
                                                           v->push_back(s.frame);
                                                       }
                                                   },
                                                   &slotOrder));
    host->GetVf(1)->TraceConnectWithoutContext("Step11NotifyGuest",
                                               MakeBoundCallback(
                                                   +[](std::vector<uint64_t>* v, const VfDmaStep& s)
                                                   {
                                                       v->push_back(s.frame);
                                                   },
                                                   &completed));
    for (uint32_t src : {0u, 3u})
    {
        host->GetVf(src)->TraceConnectWithoutContext(
            "Step10NotifyTransferDone", MakeBoundCallback(
                                            +[](std::map<uint64_t, Time>* m, const VfDmaStep& s)
                                            {
                                                (*m)[s.frame] = Simulator::Now();
                                            },
                                            &done));
    }
    const Address to = host->GetVf(1)->GetAddress();
    for (int k = 0; k < 40; ++k)
    {
        // VM 3's frame 0 to 1.56 us after VM 0's: some take the next slot.
        Time at = MicroSeconds(10 + 5 * k);
        Simulator::Schedule(at,
                            [host, to]()
                            {
                                host->GetVf(0)->Send(Create<Packet>(1400), to, 0x88b5);
                            });
        Simulator::Schedule(at + NanoSeconds(40 * k),
                            [host, to]()
                            {
                                host->GetVf(3)->Send(Create<Packet>(50), to, 0x88b5);
                            });
    }
    Simulator::Run();
    Simulator::Destroy();
    ASSERT_EQ(slotOrder.size(), 80u);
    ASSERT_EQ(done.size(), 80u);
    // The case exists: a frame of VM 3 (NIC 1, frame ids with 1 in the top 16 bits) in the slot
    // after a frame of VM 0 finished its transfer no later, and its notice had no PCIe to cross.
    uint32_t overtaking = 0;
    for (std::size_t i = 1; i < slotOrder.size(); ++i)
    {
        const uint64_t a = slotOrder[i - 1];
        const uint64_t b = slotOrder[i];
        if (a >> 48 == 0 && b >> 48 == 1 && done[b] <= done[a])
        {
            ++overtaking;
        }
    }
    EXPECT_GT(overtaking, 5u);
    // Completions (descriptor write-backs) follow the ring all the same.
    EXPECT_EQ(completed, slotOrder);
}

TEST(OrderingTest, UnderTheHoldPolicyNoFrameOvertakesTheFramesHeldBeforeIt)
{
    // A burst from two VMs into a small RX ring, the NIC holding what finds no buffer: a frame
    // arriving while others wait for buffers queues behind them, though a buffer may be free
    // for it before the held frames are retried.
    for (uint32_t nics : {1u, 2u})
    {
        SriovHelper sriov;
        sriov.SetNics(nics);
        sriov.SetNicAttribute("NoRxBufferPolicy", EnumValue(SriovNic::POLICY_HOLD));
        sriov.SetNicAttribute("HoldQueueFrames", UintegerValue(4096));
        sriov.SetVfAttribute("RxRingSize", UintegerValue(32));
        sriov.SetVfAttribute("CoalesceFrames", UintegerValue(8));
        Ptr<Host> host = SriovHelper::GetHost(sriov.Install(3));
        // Sequence numbers per sender, in the first payload bytes, as received by VM 1.
        std::map<uint32_t, std::vector<uint32_t>> received;
        host->GetVm(1)->RegisterProtocolHandler(
            MakeBoundCallback(
                +[](std::map<uint32_t, std::vector<uint32_t>>* r, Ptr<NetDevice>,
                    Ptr<const Packet> p, uint16_t, const Address&, const Address&,
                    NetDevice::PacketType)
                {
                    uint8_t b[8];
                    p->CopyData(b, 8);
                    (*r)[b[0]].push_back(uint32_t(b[4]) << 8 | b[5]);
                },
                &received),
            0x88b5, nullptr);
        const Address to = host->GetVf(1)->GetAddress();
        const uint32_t frames = 400;
        for (uint32_t k = 0; k < frames; ++k)
        {
            for (uint8_t src : {0, 2})
            {
                Simulator::Schedule(
                    NanoSeconds(10000 + 300 * k + 150 * (src / 2)),
                    [host, to, src, k]()
                    {
                        uint8_t b[200] = {src, 0, 0, 0, uint8_t(k >> 8), uint8_t(k)};
                        host->GetVf(src)->Send(Create<Packet>(b, 200 - (k % 3) * 60), to, 0x88b5);
                    });
            }
        }
        Simulator::Run();
        uint64_t dropped = host->GetNic(0)->GetTotalDrops();
        Simulator::Destroy();
        EXPECT_EQ(dropped, 0u) << "nics=" << nics;
        for (uint8_t src : {0, 2})
        {
            const std::vector<uint32_t>& seq = received[src];
            // All delivered (so a burst of 240 frames into 16 buffers was held), in order.
            ASSERT_EQ(seq.size(), frames) << "from VM " << int(src) << " nics=" << nics;
            for (uint32_t k = 0; k < frames; ++k)
            {
                ASSERT_EQ(seq[k], k) << "from VM " << int(src) << " nics=" << nics;
            }
        }
    }
}
