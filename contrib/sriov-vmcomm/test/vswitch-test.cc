/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The software path: VirtioNetDevice + VirtualSwitch (modes vswitch-kernel, vswitch-dpdk).
 */
#include "echo.h"
#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/csma-module.h"
#include "ns3/host.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/preset.h"
#include "ns3/sriov-helper.h"
#include "ns3/virtio-net-device.h"
#include "ns3/virtual-switch.h"
#include "ns3/vswitch-helper.h"
#include "test-dir.h"
#include "test-util.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

using namespace ns3;

namespace {

constexpr uint16_t RAW_PROTOCOL = 0x88b5; // IEEE local experimental EtherType

/** Frames counted at a device. */
struct DeviceCount
{
    uint64_t tx{0};     //!< accepted from the stack
    uint64_t txDrop{0}; //!< refused at send
    uint64_t rx{0};     //!< handed to the stack
    uint64_t rxInWindow{0};
    Time windowStart;
    Time windowEnd{Time::Max()};
};

void
CountTx(DeviceCount* c, Ptr<const Packet>)
{
    ++c->tx;
}

void
CountTxDrop(DeviceCount* c, Ptr<const Packet>)
{
    ++c->txDrop;
}

void
CountRx(DeviceCount* c, Ptr<const Packet>)
{
    ++c->rx;
    Time now = Simulator::Now();
    if (now >= c->windowStart && now < c->windowEnd)
    {
        ++c->rxInWindow;
    }
}

void
Watch(Ptr<VirtioNetDevice> dev, DeviceCount* c)
{
    dev->TraceConnectWithoutContext("MacTx", MakeBoundCallback(&CountTx, c));
    dev->TraceConnectWithoutContext("MacTxDrop", MakeBoundCallback(&CountTxDrop, c));
    dev->TraceConnectWithoutContext("MacRx", MakeBoundCallback(&CountRx, c));
}

/**
 * Raw Ethernet frames of \p frameBytes (header included) from \p src to \p dst at \p pps, with
 * ns-3's stock OnOffApplication over a packet socket, from \p start to \p stop.
 */
void
OfferFrames(Ptr<VirtioNetDevice> src, Ptr<VirtioNetDevice> dst, uint32_t frameBytes, double pps,
            Time start, Time stop)
{
    PacketSocketAddress to;
    to.SetSingleDevice(src->GetIfIndex());
    to.SetPhysicalAddress(dst->GetAddress());
    to.SetProtocol(RAW_PROTOCOL);
    uint32_t payload = frameBytes - 14;
    OnOffHelper onoff("ns3::PacketSocketFactory", Address(to));
    onoff.SetConstantRate(DataRate(uint64_t(payload * 8 * pps)), payload);
    ApplicationContainer app = onoff.Install(src->GetNode());
    app.Start(start);
    app.Stop(stop);
}

/** Sum of the frames dropped anywhere on the software path. */
uint64_t
AllDrops(Ptr<VirtualSwitch> sw)
{
    uint64_t n = sw->GetTotalDrops();
    for (uint32_t p = 0; p < sw->GetNPorts(); ++p)
    {
        if (sw->GetPortDevice(p))
        {
            n += sw->GetPortDevice(p)->GetTotalDrops();
        }
    }
    return n;
}

/** VMs with a packet-socket stack (raw frames), attached to a switch built by \p helper. */
Ptr<VirtualSwitch>
RawVms(VswitchHelper& helper, uint32_t n)
{
    NodeContainer vms;
    vms.Create(n);
    PacketSocketHelper().Install(vms);
    return VswitchHelper::GetSwitch(helper.Install(vms).Get(0));
}

class VswitchTest : public ::testing::Test
{
  protected:
    void TearDown() override
    {
        Simulator::Destroy();
    }
};

} // namespace

// A core is a server of clock / cycles-per-packet frames per second; the excess is dropped at
// the input virtqueue and counted, and every frame offered is received or dropped.
TEST_F(VswitchTest, CoreSaturatesAtClockOverCyclesAndDropsTheExcess)
{
    VswitchHelper helper;
    helper.SetSwitchAttribute("Mode", StringValue("Interrupt"));
    helper.SetSwitchAttribute("VhostWorkers", BooleanValue(false)); // the core serves the VMs
    helper.SetSwitchAttribute("ClockGHz", DoubleValue(2.0));
    helper.SetSwitchAttribute("CyclesPerPacket", DoubleValue(1000)); // 2 Mpps
    helper.SetSwitchAttribute("CyclesPerByte", DoubleValue(0));
    helper.SetSwitchAttribute("BatchCycles", DoubleValue(0));
    helper.SetSwitchAttribute("WakeupCycles", DoubleValue(0));
    helper.SetVirtioAttribute("GuestTxCost", TimeValue(NanoSeconds(50)));
    helper.SetVirtioAttribute("GuestRxCost", TimeValue(NanoSeconds(50)));
    GuestHelper guest; // kernel guests whose stack costs nothing: the switch is the bottleneck
    for (const char* cost : {"SyscallCost", "TxStackCost", "RxStackCost", "SocketWakeupCost"})
    {
        guest.SetAttribute(cost, TimeValue(Time(0)));
    }
    helper.SetGuestHelper(guest);
    Ptr<VirtualSwitch> sw = RawVms(helper, 2);
    Ptr<VirtioNetDevice> a = sw->GetPortDevice(0);
    Ptr<VirtioNetDevice> b = sw->GetPortDevice(1);
    DeviceCount ca;
    DeviceCount cb;
    cb.windowStart = MilliSeconds(3);
    cb.windowEnd = MilliSeconds(10);
    Watch(a, &ca);
    Watch(b, &cb);
    OfferFrames(a, b, 64, 3e6, MilliSeconds(1), MilliSeconds(11)); // 1.5x the core's rate
    Simulator::Stop(MilliSeconds(20));
    Simulator::Run();

    double rate = cb.rxInWindow / 7e-3;
    EXPECT_NEAR(rate, 2e6, 2e6 * 0.02);
    uint64_t offered = ca.tx + ca.txDrop;
    EXPECT_NEAR(double(offered), 30000, 30);
    // The excess is dropped, at the sender's TX virtqueue (the core's input queue), and counted.
    uint64_t queueDrops = a->GetDrops(VirtioNetDevice::DROP_TX_QUEUE_FULL);
    EXPECT_EQ(queueDrops, ca.txDrop);
    EXPECT_EQ(sw->GetCoreQueueDrops(0), queueDrops);
    EXPECT_NEAR(double(queueDrops), offered - 2e6 * 10e-3, 0.03 * (offered - 2e6 * 10e-3));
    // sent = received + dropped
    EXPECT_EQ(offered, cb.rx + AllDrops(sw));
    EXPECT_EQ(b->GetCounters().rxFrames, cb.rx);
    // Under load the port stays being served: hardly any kicks.
    EXPECT_LT(a->GetCounters().kicks, 10u);
}

// Stock ns-3 UDP and TCP applications between two VMs through the kernel-profile switch.
TEST_F(VswitchTest, VmsExchangeUdpAndTcp)
{
    VswitchHelper helper;
    helper.SetProfile("ovs-kernel");
    NodeContainer vms;
    vms.Create(2);
    InternetStackHelper().Install(vms);
    Ptr<VirtualSwitch> sw = VswitchHelper::GetSwitch(helper.Install(vms).Get(0));
    Ipv4AddressHelper ip("10.1.0.0", "255.255.255.0");
    Ipv4InterfaceContainer ifs = ip.Assign(sw->GetDevices());
    std::string pcap = TestDir() + "vswitch-test-udp";
    helper.EnablePcap(pcap, sw->GetPortDevice(1), false, true);

    UdpEchoServerHelper server(9);
    server.Install(vms.Get(1)).Start(Seconds(0));
    UdpEchoClientHelper client(ifs.GetAddress(1), 9);
    client.SetAttribute("MaxPackets", UintegerValue(10));
    client.SetAttribute("Interval", TimeValue(MilliSeconds(10)));
    client.SetAttribute("PacketSize", UintegerValue(512));
    ApplicationContainer c = client.Install(vms.Get(0));
    c.Start(Seconds(0.1));
    uint32_t echoes = 0;
    c.Get(0)->TraceConnectWithoutContext("Rx", MakeBoundCallback(
                                                   +[](uint32_t* n, Ptr<const Packet>)
                                                   {
                                                       ++*n;
                                                   },
                                                   &echoes));

    PacketSinkHelper sinkHelper("ns3::TcpSocketFactory",
                                InetSocketAddress(Ipv4Address::GetAny(), 5000));
    ApplicationContainer sink = sinkHelper.Install(vms.Get(1));
    BulkSendHelper bulk("ns3::TcpSocketFactory", InetSocketAddress(ifs.GetAddress(1), 5000));
    bulk.SetAttribute("MaxBytes", UintegerValue(2000000));
    ApplicationContainer src = bulk.Install(vms.Get(0));
    src.Start(Seconds(0.5));

    Simulator::Stop(Seconds(3));
    Simulator::Run();

    EXPECT_EQ(echoes, 10u);
    EXPECT_EQ(DynamicCast<PacketSink>(sink.Get(0))->GetTotalRx(), 2000000u);
    // ARP went by flooding, the rest by the static entries; the frames went through the switch.
    EXPECT_GT(sw->GetCounters().flooded, 0u);
    EXPECT_GT(sw->GetCounters().forwarded, 1000u);
    // Flow control: the guest's queue disc held the excess, the TX virtqueue dropped nothing.
    Ptr<VirtioNetDevice> a = sw->GetPortDevice(0);
    EXPECT_EQ(a->GetDrops(VirtioNetDevice::DROP_TX_QUEUE_FULL), 0u);
    EXPECT_GT(a->GetCounters().kicks, 0u);
    EXPECT_GT(sw->GetPortDevice(1)->GetCounters().interrupts, 0u);
    // Latency breakdown: the parts add up, and the switch's share is there.
    const LatencyBreakdown& l = sw->GetPortDevice(1)->GetLatencySum();
    EXPECT_EQ(l.total, l.guest + l.interrupt + l.nic + l.pcie + l.iommu);
    EXPECT_GT(l.nic, Time(0));
    EXPECT_GT(l.interrupt, Time(0));
    // PCAP (DLT_EN10MB) was written.
    std::ifstream f(pcap, std::ios::binary | std::ios::ate);
    ASSERT_TRUE(f.good());
    EXPECT_GT(f.tellg(), 24 + 10 * (16 + 14 + 28 + 512));
    std::remove(pcap.c_str());
}

// Kernel datapath (vhost-net): the two VMs' worker threads work only when there is traffic, and
// their busy time is proportional to the load (each frame, at these rates: the sender's worker
// wakes, copies it out and runs the datapath; the receiver's wakes and copies it in).
TEST_F(VswitchTest, KernelBusyTimeProportionalToLoad)
{
    const double rates[] = {25e3, 50e3, 100e3};
    double busy[3];
    double perFrame = 0;
    for (int i = 0; i < 3; ++i)
    {
        VswitchHelper helper;
        helper.SetProfile("ovs-kernel");
        Ptr<VirtualSwitch> sw = RawVms(helper, 2);
        OfferFrames(sw->GetPortDevice(0), sw->GetPortDevice(1), 64, rates[i], MilliSeconds(1),
                    MilliSeconds(41));
        Simulator::Stop(MilliSeconds(50));
        Simulator::Run();
        Ptr<VhostWorker> sender = sw->GetWorker(0);
        Ptr<VhostWorker> receiver = sw->GetWorker(1);
        ASSERT_TRUE(sender && receiver);
        busy[i] = (sender->GetBusyTime() + receiver->GetBusyTime()).GetSeconds();
        EXPECT_EQ(sw->GetBusyTime(0), Time(0)); // the cores serve the uplink only
        uint64_t frames = sender->GetStats().frames;
        EXPECT_NEAR(double(frames), rates[i] * 40e-3, 2);
        EXPECT_EQ(receiver->GetStats().frames, frames);
        // Light load: every frame kicks and wakes both workers on its own.
        EXPECT_EQ(sender->GetStats().wakeups, frames);
        EXPECT_EQ(receiver->GetStats().wakeups, frames);
        DoubleValue cpp;
        DoubleValue cpb;
        DoubleValue wake;
        DoubleValue ghz;
        sw->GetAttribute("CyclesPerPacket", cpp);
        sw->GetAttribute("CyclesPerByte", cpb);
        sender->GetAttribute("WakeupCycles", wake);
        sw->GetAttribute("ClockGHz", ghz);
        perFrame = (cpp.Get() + 2 * 64 * cpb.Get() + 2 * wake.Get()) / ghz.Get() * 1e-9;
        EXPECT_NEAR(busy[i], frames * perFrame, frames * perFrame * 1e-5);
        Simulator::Destroy();
    }
    EXPECT_NEAR(busy[1] / busy[0], 2.0, 0.05);
    EXPECT_NEAR(busy[2] / busy[0], 4.0, 0.1);
}

// A DPDK poll-mode core is 100% busy whenever the switch runs, traffic or not; the kernel
// datapath's is idle.
TEST_F(VswitchTest, DpdkPollCoreIsAlwaysBusy)
{
    VswitchHelper dpdk;
    dpdk.SetProfile("ovs-dpdk");
    dpdk.SetSwitchAttribute("NCores", UintegerValue(2));
    Ptr<VirtualSwitch> sw = RawVms(dpdk, 2);
    VswitchHelper kernel;
    kernel.SetProfile("ovs-kernel");
    Ptr<VirtualSwitch> ksw = RawVms(kernel, 2);
    Simulator::Stop(Seconds(1));
    Simulator::Run();
    ASSERT_EQ(sw->GetNCores(), 2u);
    for (uint32_t c = 0; c < 2; ++c)
    {
        EXPECT_EQ(sw->GetBusyTime(c), Seconds(1));
        EXPECT_DOUBLE_EQ(sw->GetUtilization(c), 1.0);
        EXPECT_EQ(sw->GetUsefulTime(c), Time(0));
    }
    EXPECT_EQ(ksw->GetBusyTime(0), Time(0));
    EXPECT_DOUBLE_EQ(ksw->GetUtilization(0), 0.0);
}

// Overload at both ends (TX virtqueues and an RX virtqueue), two cores: every frame sent is
// received or counted as a drop, with its reason.
TEST_F(VswitchTest, SentEqualsReceivedPlusDropped)
{
    VswitchHelper helper;
    helper.SetProfile("ovs-dpdk");
    helper.SetSwitchAttribute("NCores", UintegerValue(2));
    Ptr<VirtualSwitch> sw = RawVms(helper, 4);
    std::vector<DeviceCount> counts(4);
    for (uint32_t i = 0; i < 4; ++i)
    {
        Watch(sw->GetPortDevice(i), &counts[i]);
        EXPECT_EQ(sw->GetPortCore(i), i % 2);
    }
    for (uint32_t i = 1; i < 4; ++i)
    {
        OfferFrames(sw->GetPortDevice(i), sw->GetPortDevice(0), 128 * i, 6e6, MilliSeconds(1),
                    MilliSeconds(5));
    }
    // And some traffic the other way, not overloaded.
    OfferFrames(sw->GetPortDevice(0), sw->GetPortDevice(2), 1000, 1e5, MilliSeconds(1),
                MilliSeconds(5));
    uint64_t switchDropsSeen = 0;
    sw->TraceConnectWithoutContext("Drop",
                                   MakeBoundCallback(
                                       +[](uint64_t* n, Ptr<const Packet>, uint32_t, const char*)
                                       {
                                           ++*n;
                                       },
                                       &switchDropsSeen));
    Simulator::Stop(MilliSeconds(20));
    Simulator::Run();

    uint64_t sent = 0;
    uint64_t received = 0;
    for (const auto& c : counts)
    {
        sent += c.tx + c.txDrop;
        received += c.rx;
    }
    EXPECT_GT(sent, 50000u);
    EXPECT_EQ(sent, received + AllDrops(sw));
    EXPECT_GT(sw->GetPortDevice(1)->GetDrops(VirtioNetDevice::DROP_TX_QUEUE_FULL), 0u);
    EXPECT_GT(sw->GetPortDevice(0)->GetDrops(VirtioNetDevice::DROP_RX_QUEUE_FULL), 0u);
    EXPECT_EQ(switchDropsSeen, sw->GetTotalDrops());
    EXPECT_EQ(counts[2].rx, counts[0].tx); // the light flow lost nothing
    for (uint32_t i = 0; i < 4; ++i)
    {
        // Everything drained: no frame left in a ring.
        EXPECT_EQ(sw->GetPortDevice(i)->GetTxQueue().GetSize(), 0u);
        EXPECT_EQ(sw->GetPortDevice(i)->GetRxQueue().GetSize(), 0u);
    }
}

namespace {

/** One-core OVS-DPDK VM-to-VM throughput in Gb/s of frame bytes, with DPDK guests. */
double
ProfileVmToVmGbpsL1(const std::string& profile, uint32_t size, double offeredPps,
                    double* eventsPerFrame)
{
    VswitchHelper helper;
    helper.SetProfile(profile);
    // The benchmark's VMs ran DPDK applications (a kernel guest cannot offer 6.0 Mpps): a
    // polling virtio PMD in the guest, tens of ns per frame (GuestOs PmdTxCost, PmdRxCost).
    GuestHelper guest;
    guest.SetGuest(GuestKind::DPDK);
    helper.SetGuestHelper(guest);
    Ptr<VirtualSwitch> sw = RawVms(helper, 2);
    DeviceCount cb;
    cb.windowStart = MilliSeconds(2);
    cb.windowEnd = MilliSeconds(5);
    Watch(sw->GetPortDevice(1), &cb);
    // A frame of `size` bytes on a wire carries a 4 B FCS, which the virtio frame has not.
    OfferFrames(sw->GetPortDevice(0), sw->GetPortDevice(1), size - 4, offeredPps, MilliSeconds(1),
                MilliSeconds(5));
    Simulator::Stop(MilliSeconds(6));
    uint64_t events0 = Simulator::GetEventCount();
    Simulator::Run();
    *eventsPerFrame = double(Simulator::GetEventCount() - events0) / cb.rx;
    // Zhang et al. count L1 bits: the frame, its FCS and 20 B of preamble, SFD and gap.
    double gbps = cb.rxInWindow * (size + 20) * 8 / 3e-3 / 1e9;
    // At saturation a PMD core runs full bursts, as full as the TX ring lets them be: a batch's
    // descriptors are released at its end, so bursts longer than half the ring (VPP's 256-frame
    // vectors on a 256-entry ring) alternate long and short.
    UintegerValue batch;
    sw->GetAttribute("BatchSize", batch);
    UintegerValue ring;
    sw->GetPortDevice(0)->GetAttribute("TxQueueSize", ring);
    const double full = std::min<double>(batch.Get(), ring.Get() / 2);
    EXPECT_GE(double(sw->GetCoreStats(0).frames) / sw->GetCoreStats(0).batches, full * 0.95)
        << profile;
    Simulator::Destroy();
    return gbps;
}

} // namespace

// The DPDK-class profiles, run, reproduce the published single-core VM-to-VM rates (Zhang et al.
// 2019, Gb/s counting L1 bits); their p2v and p2p figures are checked by nfv-bench's tests.
TEST_F(VswitchTest, PollProfilesReproduceZhang2019)
{
    struct Case
    {
        const char* profile;
        uint32_t size;
        double offeredPps;
        double published;
    };

    const Case cases[] = {
        {"ovs-dpdk", 64, 7.5e6, 4.03},
        {"ovs-dpdk", 1024, 4.2e6, 28.73},
        {"vpp", 64, 8.5e6, 4.54},
        {"bess", 64, 13e6, 7.37},
    };
    for (const Case& c : cases)
    {
        double events = 0;
        double gbps = ProfileVmToVmGbpsL1(c.profile, c.size, c.offeredPps, &events);
        std::printf("%s 1 core VM-to-VM %u B: %.2f Gb/s L1 (published %.2f); simulator events "
                    "per delivered frame %.2f (including the generator's one per frame "
                    "offered)\n",
                    c.profile, c.size, gbps, c.published, events);
        EXPECT_NEAR(gbps, c.published, c.published * 0.05) << c.profile << " " << c.size;
        // Beyond the generator's event per frame offered, the switch and the guests add about
        // one event per batch, far less than one per frame.
        EXPECT_LT(events, c.offeredPps / (c.published * 1e9 / ((c.size + 20) * 8)) + 0.15)
            << c.profile << " " << c.size;
    }
}

// A frame costs the switching cycles plus each port it crosses: a VM port's RX or TX cycles and
// a copy, the uplink NIC's RX or TX cycles and no copy. Read off the batch trace at 1 GHz (one
// cycle = 1 ns), one frame per batch.
TEST_F(VswitchTest, FrameCostsItsPortsAndTheirCopies)
{
    VswitchHelper helper;
    helper.SetSwitchAttribute("Mode", StringValue("Poll"));
    helper.SetSwitchAttribute("ClockGHz", DoubleValue(1.0));
    helper.SetSwitchAttribute("CyclesPerPacket", DoubleValue(100));
    helper.SetSwitchAttribute("CyclesPerByte", DoubleValue(1));
    helper.SetSwitchAttribute("VmPortRxCycles", DoubleValue(10));
    helper.SetSwitchAttribute("VmPortTxCycles", DoubleValue(20));
    helper.SetSwitchAttribute("NicPortRxCycles", DoubleValue(1000));
    helper.SetSwitchAttribute("NicPortTxCycles", DoubleValue(2000));
    helper.SetSwitchAttribute("BatchCycles", DoubleValue(0));
    GuestHelper dpdk; // polling guests: no kicks, the batches are the frames alone
    dpdk.SetGuest(GuestKind::DPDK);
    helper.SetGuestHelper(dpdk);
    Ptr<VirtualSwitch> sw = RawVms(helper, 2);
    // An uplink the switch learns nothing from: frames to an unknown address flood to it and
    // to the other VM.
    NodeContainer ends; // the host OS's node, a machine outside
    ends.Create(2);
    NetDeviceContainer cable = SimpleNetDeviceHelper().Install(ends);
    sw->SetUplink(cable.Get(0));
    std::vector<Time> durations;
    sw->TraceConnectWithoutContext(
        "Batch", MakeBoundCallback(
                     +[](std::vector<Time>* d, uint32_t, uint32_t, uint32_t, Time t)
                     {
                         d->push_back(t);
                     },
                     &durations));
    const uint32_t length = 200; // bytes of the frame (header included, no FCS)
    PacketSocketAddress to;
    to.SetSingleDevice(sw->GetPortDevice(0)->GetIfIndex());
    to.SetPhysicalAddress(sw->GetPortDevice(1)->GetAddress());
    to.SetProtocol(RAW_PROTOCOL);
    Ptr<Socket> s
        = Socket::CreateSocket(sw->GetPortDevice(0)->GetNode(), PacketSocketFactory::GetTypeId());
    s->Bind();
    // VM to VM (the helper gave the switch its VMs' addresses); VM to an unknown address (a
    // flood: the other VM and the uplink); from outside, through the uplink, to VM 0.
    Simulator::Schedule(MicroSeconds(10),
                        [&]
                        {
                            s->SendTo(Create<Packet>(length - 14), 0, to);
                        });
    Simulator::Schedule(MicroSeconds(20),
                        [&]
                        {
                            to.SetPhysicalAddress(Mac48Address("02:00:00:00:99:99"));
                            s->SendTo(Create<Packet>(length - 14), 0, to);
                        });
    Simulator::Schedule(MicroSeconds(30),
                        [&]
                        {
                            cable.Get(1)->Send(Create<Packet>(length - 14),
                                               sw->GetPortDevice(0)->GetAddress(), RAW_PROTOCOL);
                        });
    Simulator::Run();
    ASSERT_EQ(durations.size(), 3u);
    // In at a VM port (10 + copy), out at the other VM (20 + copy).
    EXPECT_EQ(durations[0], NanoSeconds(100 + 10 + length + 20 + length));
    // ... and also out at the uplink (2000, no copy).
    EXPECT_EQ(durations[1], NanoSeconds(100 + 10 + length + 20 + length + 2000));
    // In at the uplink (1000, no copy), out at a VM (20 + copy).
    EXPECT_EQ(durations[2], NanoSeconds(100 + 1000 + 20 + length));
}

// Frames to and from another machine go through the uplink port (any NetDevice with SendFrom;
// here a CSMA device of the host OS), learned and filtered like a bridge.
TEST_F(VswitchTest, UplinkCarriesOffHostTraffic)
{
    // A host without NICs: its OS node with the Host aggregated, as SriovHelper makes them.
    Ptr<Host> host = CreateObject<Host>();
    CreateObject<Node>()->AggregateObject(host);
    NodeContainer vms;
    vms.Create(1);
    Ptr<Node> remote = CreateObject<Node>();
    InternetStackHelper().Install(vms);
    InternetStackHelper().Install(remote);
    VswitchHelper helper;
    helper.SetProfile("ovs-kernel");
    NetDeviceContainer devices = helper.Install(host, vms);
    Ptr<VirtualSwitch> sw = host->GetVirtualSwitch();
    ASSERT_TRUE(sw);
    ASSERT_EQ(devices.GetN(), 1u);
    EXPECT_EQ(devices.Get(0)->GetNode(), vms.Get(0));
    EXPECT_EQ(VswitchHelper::GetSwitch(devices.Get(0)), sw);
    EXPECT_EQ(SriovHelper::GetHost(devices.Get(0)), host);
    EXPECT_EQ(host->GetNVms(), 1u);

    CsmaHelper csma;
    csma.SetChannelAttribute("DataRate", StringValue("10Gbps"));
    NetDeviceContainer wire = csma.Install(NodeContainer(host->GetNode(), remote));
    uint32_t uplinkPort = sw->SetUplink(wire.Get(0));
    EXPECT_EQ(sw->GetUplink(), wire.Get(0));

    Ipv4AddressHelper ip("10.2.0.0", "255.255.255.0");
    NetDeviceContainer ends(sw->GetDevices());
    ends.Add(wire.Get(1));
    Ipv4InterfaceContainer ifs = ip.Assign(ends);

    // 20 ms apart: past ARP's RequestJitter (0-10 ms, a random draw at each end). 5 ms apart, the
    // remote's replies could outnumber its ARP PendingQueueSize (3) while it waited: a draw of
    // the ns-3 test-runner's streams lost one echo that way.
    uint32_t echoes = RunEcho(vms.Get(0), remote, ifs.GetAddress(1), 5, MilliSeconds(20),
                              Seconds(0.1), Seconds(1));

    EXPECT_EQ(echoes, 5u);
    EXPECT_GE(sw->GetCounters().uplinkTx, 6u); // ARP request + 5 echoes
    EXPECT_GE(sw->GetCounters().uplinkRx, 6u);
    EXPECT_EQ(sw->LookUp(Mac48Address::ConvertFrom(wire.Get(1)->GetAddress())), uplinkPort);
    // Decide(), the offload extension point, answers as the forwarding did.
    VswitchFrame f;
    f.inPort = 0;
    f.dst = Mac48Address::ConvertFrom(wire.Get(1)->GetAddress());
    EXPECT_EQ(sw->Decide(f), uplinkPort);
    f.inPort = uplinkPort;
    f.dst = Mac48Address("02:00:00:00:99:99");
    EXPECT_EQ(sw->Decide(f), VirtualSwitch::PORT_NONE);
    EXPECT_EQ(AllDrops(sw), 0u);
}

// A second uplink (AddUplink, a second NIC's PF) has its own input queue; it is reached only
// by a forwarding entry naming its port, never by a flood; what any uplink receives is never
// flooded back out of an uplink. The first uplink stays the one floods use.
TEST_F(VswitchTest, SecondUplinkReceivesAndIsReachedByItsEntriesOnly)
{
    VswitchHelper helper;
    Ptr<VirtualSwitch> sw = RawVms(helper, 1);
    Ptr<VirtioNetDevice> vm = sw->GetPortDevice(0);
    DeviceCount vmCount;
    Watch(vm, &vmCount);
    // The host OS's node with two cables to two machines outside (A, B).
    Ptr<Node> hostOs = CreateObject<Node>();
    NodeContainer outside;
    outside.Create(2);
    NetDeviceContainer a = SimpleNetDeviceHelper().Install(NodeContainer(hostOs, outside.Get(0)));
    NetDeviceContainer b = SimpleNetDeviceHelper().Install(NodeContainer(hostOs, outside.Get(1)));
    const uint32_t first = sw->SetUplink(a.Get(0));
    const uint32_t second = sw->AddUplink(b.Get(0));
    EXPECT_NE(first, second);
    EXPECT_EQ(sw->GetUplink(), a.Get(0));
    EXPECT_EQ(sw->GetUplinkPort(), first);
    ASSERT_EQ(sw->GetNUplinks(), 2u);
    EXPECT_EQ(sw->GetUplinkPortByIndex(0), first);
    EXPECT_EQ(sw->GetUplinkPortByIndex(1), second);
    const Mac48Address macA = Mac48Address::ConvertFrom(a.Get(1)->GetAddress());
    const Mac48Address macB = Mac48Address::ConvertFrom(b.Get(1)->GetAddress());
    sw->AddStaticEntry(macA, first);
    // Every frame on each cable's outside end (promiscuous: addressed to it or not).
    uint64_t atA = 0;
    uint64_t atB = 0;
    auto count = [](uint64_t* n, Ptr<NetDevice>, Ptr<const Packet>, uint16_t, const Address&,
                    const Address&, NetDevice::PacketType)
    {
        ++*n;
    };
    outside.Get(0)->RegisterProtocolHandler(MakeBoundCallback(+count, &atA), 0, a.Get(1), true);
    outside.Get(1)->RegisterProtocolHandler(MakeBoundCallback(+count, &atB), 0, b.Get(1), true);
    auto sendFromB = [&](Mac48Address to)
    {
        b.Get(1)->Send(Create<Packet>(100), to, RAW_PROTOCOL);
    };
    // In by the second uplink, for A (static entry to the first): out by the first.
    Simulator::Schedule(MicroSeconds(10),
                        [&]
                        {
                            sendFromB(macA);
                        });
    // A broadcast in by the second uplink: to the VM, out of no uplink.
    Simulator::Schedule(MicroSeconds(20),
                        [&]
                        {
                            sendFromB(Mac48Address::GetBroadcast());
                        });
    // An unknown address in by the second uplink: not for the switch.
    Simulator::Schedule(MicroSeconds(30),
                        [&]
                        {
                            sendFromB(Mac48Address("02:00:00:00:99:99"));
                        });
    Simulator::Run();
    EXPECT_EQ(atA, 1u); // the frame for A only
    EXPECT_EQ(atB, 0u); // nothing back out of the uplink it came by
    EXPECT_EQ(vmCount.rx, 1u);
    EXPECT_EQ(sw->GetCounters().uplinkRx, 3u);
    EXPECT_EQ(sw->GetCounters().uplinkTx, 1u);
    EXPECT_EQ(sw->GetCounters().filtered, 1u);
    // B's address was learned on the second uplink: reached by its entry there.
    EXPECT_EQ(sw->LookUp(macB), second);
    VswitchFrame f;
    f.inPort = 0;
    f.dst = macB;
    EXPECT_EQ(sw->Decide(f), second);
    // A VM's flood (unknown address) goes out of the first uplink only.
    PacketSocketAddress to;
    to.SetSingleDevice(vm->GetIfIndex());
    to.SetPhysicalAddress(Mac48Address("02:00:00:00:99:98"));
    to.SetProtocol(RAW_PROTOCOL);
    Ptr<Socket> s = Socket::CreateSocket(vm->GetNode(), PacketSocketFactory::GetTypeId());
    s->Bind();
    Simulator::Schedule(MicroSeconds(10),
                        [&]
                        {
                            s->SendTo(Create<Packet>(100), 0, to);
                        });
    Simulator::Stop(Simulator::Now() + MilliSeconds(1));
    Simulator::Run();
    EXPECT_EQ(atA, 2u);
    EXPECT_EQ(atB, 0u);
    EXPECT_EQ(sw->GetCounters().flooded, 2u); // the broadcast and this one
    EXPECT_EQ(AllDrops(sw), 0u);
}

// Profiles: the names, the derived calibration, and the error for an unknown name.
TEST_F(VswitchTest, Profiles)
{
    std::vector<std::string> names = VswitchHelper::GetProfileNames();
    ASSERT_EQ(names.size(), 4u);
    EXPECT_EQ(names[0], "ovs-kernel");
    EXPECT_EQ(names[1], "ovs-dpdk");
    EXPECT_EQ(names[2], "vpp");
    EXPECT_EQ(names[3], "bess");
    // The attribute defaults are the kernel profile: 1.9 Mpps at 64 B on one core, port to port
    // (no copy: the NIC's DMA moves the bytes).
    Ptr<VirtualSwitch> sw = CreateObject<VirtualSwitch>();
    DoubleValue cpp;
    DoubleValue cpb;
    sw->GetAttribute("CyclesPerPacket", cpp);
    sw->GetAttribute("CyclesPerByte", cpb);
    EXPECT_NEAR(2.2e9 / cpp.Get(), 1.9e6, 1);
    // Per copied byte: OVS-DPDK's 64 B and 1024 B VM-to-VM rates, two copies per frame, at
    // 2.6 GHz: (2.6 x 1044 x 8 / 28.73 - 2.6 x 84 x 8 / 4.03) / (2 x 960).
    EXPECT_NEAR(cpb.Get(), 0.16786, 1e-5);
    // ApplyPreset goes through Config, so --ns3::VirtualSwitch::... still overrides.
    {
        GlobalDefaultsGuard restore;
        ApplyPreset("ovs-dpdk", PresetKind::VSWITCH);
        Ptr<VirtualSwitch> d = CreateObject<VirtualSwitch>();
        EXPECT_EQ(d->GetMode(), VirtualSwitch::POLL);
    }
    EXPECT_EQ(CreateObject<VirtualSwitch>()->GetMode(), VirtualSwitch::INTERRUPT);

    ::testing::FLAGS_gtest_death_test_style = "threadsafe";
    VswitchHelper helper;
    EXPECT_DEATH(helper.SetProfile("ovs-turbo"), "unknown profile \"ovs-turbo\"; valid: "
                                                 "ovs-kernel, ovs-dpdk, vpp, bess");
}

// A --ns3::VirtualSwitch:: option of the program's command line (a changed default) wins over
// the profile a helper applies; the profile's other values stay.
TEST_F(VswitchTest, CommandLineAttributeWinsOverTheProfile)
{
    auto build = []()
    {
        VswitchHelper helper;
        helper.SetProfile("ovs-dpdk");
        Ptr<Host> host = CreateObject<Host>();
        CreateObject<Node>()->AggregateObject(host);
        NodeContainer vms;
        vms.Create(1);
        return VswitchHelper::GetSwitch(helper.Install(host, vms).Get(0));
    };
    DoubleValue loop;
    DoubleValue cpp;
    Ptr<VirtualSwitch> sw = build();
    sw->GetAttribute("PollLoopCycles", loop);
    EXPECT_EQ(loop.Get(), 2750.0) << "the profile's";
    {
        GlobalDefaultsGuard restore;
        const char* args[] = {"prog", "--ns3::VirtualSwitch::PollLoopCycles=100",
                              "--ns3::VirtualSwitch::CyclesPerPacket=1234"};
        char* argv[3];
        for (int i = 0; i < 3; ++i)
        {
            argv[i] = const_cast<char*>(args[i]);
        }
        CommandLine cmd;
        cmd.Parse(3, argv);
        sw = build();
        sw->GetAttribute("PollLoopCycles", loop);
        sw->GetAttribute("CyclesPerPacket", cpp);
        EXPECT_EQ(loop.Get(), 100.0);
        EXPECT_EQ(cpp.Get(), 1234.0);
        EXPECT_EQ(sw->GetMode(), VirtualSwitch::POLL) << "the profile's other values stay";
    }
    sw = build();
    sw->GetAttribute("PollLoopCycles", loop);
    EXPECT_EQ(loop.Get(), 2750.0) << "the defaults restored: the profile's again";
}

// The model's attribute defaults are the registry's ovs-kernel profile, to the last bit; the
// registry keeps switch profiles and NIC presets apart.
TEST_F(VswitchTest, DefaultsAreTheKernelProfile)
{
    EXPECT_EQ(GetDefaultPresetName(PresetKind::VSWITCH), "ovs-kernel");
    const Preset& kernel = GetPreset("ovs-kernel", PresetKind::VSWITCH);
    EXPECT_EQ(kernel.kind, PresetKind::VSWITCH);
    TypeId tid = VirtualSwitch::GetTypeId();
    ASSERT_EQ(kernel.parameters.size(), 16u);
    for (const auto& q : kernel.parameters)
    {
        const std::string prefix = "ns3::VirtualSwitch::";
        ASSERT_EQ(q.attribute.compare(0, prefix.size(), prefix), 0) << q.attribute;
        TypeId::AttributeInformation info;
        ASSERT_TRUE(tid.LookupAttributeByName(q.attribute.substr(prefix.size()), &info))
            << q.attribute;
        Ptr<AttributeValue> v = info.checker->CreateValidValue(StringValue(q.value));
        ASSERT_TRUE(v) << q.attribute << " = " << q.value;
        auto d = DynamicCast<const DoubleValue>(v);
        if (d)
        {
            EXPECT_EQ(d->Get(), DynamicCast<const DoubleValue>(info.initialValue)->Get())
                << q.attribute;
        }
        else
        {
            EXPECT_EQ(v->SerializeToString(info.checker),
                      info.initialValue->SerializeToString(info.checker))
                << q.attribute;
        }
        EXPECT_FALSE(q.source.empty()) << q.attribute;
    }
    // The dpdk profile sets the same attributes (one profile after another leaves nothing).
    const Preset& dpdk = GetPreset("ovs-dpdk", PresetKind::VSWITCH);
    ASSERT_EQ(dpdk.parameters.size(), kernel.parameters.size());
    for (std::size_t i = 0; i < dpdk.parameters.size(); ++i)
    {
        EXPECT_EQ(dpdk.parameters[i].attribute, kernel.parameters[i].attribute);
    }
    // Kinds are separate lists: --preset= offers NIC presets only.
    for (const auto& name : ListPresets())
    {
        EXPECT_EQ(FindPreset(name, PresetKind::VSWITCH), nullptr) << name;
    }
    EXPECT_EQ(FindPreset("ovs-dpdk", PresetKind::NIC), nullptr);
    EXPECT_EQ(GetPresetNameList(PresetKind::VSWITCH), "ovs-kernel, ovs-dpdk, vpp, bess");
    try
    {
        GetPreset("ovs-turbo", PresetKind::VSWITCH);
        FAIL() << "no exception";
    }
    catch (const std::invalid_argument& e)
    {
        EXPECT_STREQ(e.what(), "unknown switch profile 'ovs-turbo'; valid profiles: ovs-kernel "
                               "(default), ovs-dpdk, vpp, bess");
    }
    // A factory of another type refuses a switch profile.
    ObjectFactory other("ns3::VirtioNetDevice");
    ::testing::FLAGS_gtest_death_test_style = "threadsafe";
    EXPECT_DEATH(ApplyPreset(dpdk, other), "is not an attribute of ns3::VirtioNetDevice");
}

// NCores and UplinkQueueSize take effect when set after construction (ports are assigned to the
// new cores round robin), and the cores then share the work as configured.
TEST_F(VswitchTest, NCoresAndUplinkQueueSizeTakeEffectWhenSet)
{
    VswitchHelper helper;
    helper.SetProfile("ovs-kernel");
    helper.SetSwitchAttribute("VhostWorkers", BooleanValue(false)); // the cores serve the VMs
    Ptr<VirtualSwitch> sw = RawVms(helper, 4);
    ASSERT_EQ(sw->GetNCores(), 1u);
    sw->SetAttribute("NCores", UintegerValue(2));
    EXPECT_EQ(sw->GetNCores(), 2u);
    for (uint32_t p = 0; p < 4; ++p)
    {
        EXPECT_EQ(sw->GetPortCore(p), p % 2) << "port " << p;
    }
    UintegerValue n;
    sw->GetAttribute("NCores", n);
    EXPECT_EQ(n.Get(), 2u);
    sw->SetAttribute("UplinkQueueSize", UintegerValue(8));
    sw->GetAttribute("UplinkQueueSize", n); // read back from the queue itself
    EXPECT_EQ(n.Get(), 8u);

    // Port 0 is served by core 0, port 1 by core 1.
    OfferFrames(sw->GetPortDevice(0), sw->GetPortDevice(2), 100, 1e5, MicroSeconds(10),
                MicroSeconds(110));
    OfferFrames(sw->GetPortDevice(1), sw->GetPortDevice(3), 100, 1e5, MicroSeconds(10),
                MicroSeconds(110));
    Simulator::Stop(MilliSeconds(1));
    Simulator::Run();
    const uint64_t f0 = sw->GetCoreStats(0).frames;
    const uint64_t f1 = sw->GetCoreStats(1).frames;
    EXPECT_GT(f0, 0u);
    EXPECT_GT(f1, 0u);
    EXPECT_EQ(f0 + f1, sw->GetCounters().forwarded);
    EXPECT_EQ(AllDrops(sw), 0u);
}

// Changing NCores while the cores are working is refused with a clear message, not ignored.
TEST_F(VswitchTest, NCoresIsRefusedWhileCoresWork)
{
    ::testing::FLAGS_gtest_death_test_style = "threadsafe";
    VswitchHelper helper;
    helper.SetProfile("ovs-kernel");
    helper.SetSwitchAttribute("VhostWorkers", BooleanValue(false)); // the core serves the VMs
    Ptr<VirtualSwitch> sw = RawVms(helper, 2);
    // 5 Mpps of 1000 B frames: far above a kernel core's rate, so the core never idles.
    OfferFrames(sw->GetPortDevice(0), sw->GetPortDevice(1), 1000, 5e6, Time(0), MilliSeconds(1));
    Simulator::Stop(MicroSeconds(100));
    Simulator::Run();
    EXPECT_DEATH(sw->SetAttribute("NCores", UintegerValue(2)),
                 "NCores cannot change to 2 while its cores are working");
    EXPECT_EQ(sw->GetNCores(), 1u);
}
