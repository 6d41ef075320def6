/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Tests of the parts of the DPDK path's latency, each alone: the poll loop of a poll-mode switch
 * core (a frame waits for the idle loop to come round to its port: a phase over the loop's
 * period), the physical layer's latency of an Ethernet port (EthernetNetDevice PhyLatency), and
 * the switch's cost of copying a frame its guest has just written (ModifiedLineCycles).
 */
#include "ns3/double.h"
#include "ns3/ethernet-helper.h"
#include "ns3/ethernet-net-device.h"
#include "ns3/guest-helper.h"
#include "ns3/guest-os.h"
#include "ns3/node.h"
#include "ns3/packet-socket-address.h"
#include "ns3/packet-socket-factory.h"
#include "ns3/packet-socket-helper.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/socket.h"
#include "ns3/string.h"
#include "ns3/virtio-net-device.h"
#include "ns3/virtual-switch.h"
#include "ns3/vswitch-core-scheduler.h"
#include "ns3/vswitch-helper.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

using namespace ns3;

namespace {

/** A switch that costs a fixed number of cycles per frame and outputs nothing. */
class FixedCostClient : public VswitchCoreScheduler::Client
{
  public:
    double ClassifyFrame(VswitchFrame&, uint32_t) override
    {
        return 100; // 100 ns at 1 GHz
    }

    void FinishBatch(uint32_t, Virtqueue& queue, uint32_t frames) override
    {
        queue.Release(frames);
    }
};

/** One poll-mode core serving \p ports ports of \p queues at 1 GHz; batch starts recorded. */
struct PollCore
{
    FixedCostClient client;
    VswitchCoreScheduler::BatchTrace trace;
    VswitchCoreScheduler sched;
    std::vector<Virtqueue> queues;
    std::vector<Time> starts; //!< batch start instants

    PollCore(uint32_t ports, double loopCycles, double emptyCycles, bool poll = true)
        : queues(ports)
    {
        sched.SetClient(&client, &trace);
        VswitchCoreScheduler::Parameters& p = sched.GetParameters();
        p.poll = poll;
        p.clockGHz = 1;
        p.batchSize = 32;
        p.pollLoopCycles = loopCycles;
        p.emptyPollCycles = emptyCycles;
        sched.SetNCores(1);
        for (Virtqueue& q : queues)
        {
            q.Resize(64);
            sched.AddPort(&q);
        }
        trace.ConnectWithoutContext(MakeCallback(&PollCore::Started, this));
    }

    ~PollCore()
    {
        sched.Dispose();
        Simulator::Destroy();
    }

    void Started(uint32_t, uint32_t, uint32_t, Time)
    {
        starts.push_back(Simulator::Now());
    }

    /** A frame on \p port, visible now. */
    void Arrive(uint32_t port)
    {
        VswitchFrame& f = queues[port].Push();
        f.ready = Simulator::Now();
        f.length = 64;
        sched.Notify(port, f.ready, sched.NeedsKick(port));
    }
};

} // namespace

// An idle core polls its one port once per loop iteration, P = (loop + empty poll) / clock, from
// the instant it went idle (time zero here): a frame is seen at the next poll.
TEST(PollLoop, IdleCoreSeesAFrameAtItsPortsNextPoll)
{
    PollCore core(1, 950, 50); // P = 1000 ns
    EXPECT_EQ(core.sched.GetPollPeriod(0), NanoSeconds(1000));
    Simulator::Schedule(NanoSeconds(300), &PollCore::Arrive, &core, 0u);
    Simulator::Run();
    ASSERT_EQ(core.starts.size(), 1u);
    EXPECT_EQ(core.starts[0], NanoSeconds(1000));
    // The batch (100 ns) ended at 1100 ns: the loop's next iterations poll at 2100, 3100, ...
    Simulator::Schedule(NanoSeconds(2500) - Simulator::Now(), &PollCore::Arrive, &core, 0u);
    Simulator::Run();
    ASSERT_EQ(core.starts.size(), 2u);
    EXPECT_EQ(core.starts[1], NanoSeconds(3100));
}

// Without loop cycles (or in interrupt mode) a frame is seen the instant it is ready.
TEST(PollLoop, FreeLoopSeesFramesAtOnce)
{
    PollCore core(1, 0, 0);
    EXPECT_EQ(core.sched.GetPollPeriod(0), Time(0));
    Simulator::Schedule(NanoSeconds(300), &PollCore::Arrive, &core, 0u);
    Simulator::Run();
    ASSERT_EQ(core.starts.size(), 1u);
    EXPECT_EQ(core.starts[0], NanoSeconds(300));
}

// Frames arriving at phases spread over the loop wait a phase uniformly distributed over [0, P):
// mean P / 2, each tenth of the period holding a tenth of the waits.
TEST(PollLoop, WaitIsUniformOverTheLoopPeriod)
{
    PollCore core(1, 1150, 50); // P = 1200 ns
    const int64_t period = 1200;
    const int n = 600;
    std::vector<int> bins(10, 0);
    double sum = 0;
    for (int k = 0; k < n; ++k)
    {
        // The core went idle when its last batch ended (now, once the simulation has run dry):
        // the next frame comes ten periods later plus a phase stepping by a number prime to P.
        const Time idle = Simulator::Now();
        const Time at = idle + NanoSeconds(10 * period + (k * 797) % period);
        Simulator::Schedule(at - idle, &PollCore::Arrive, &core, 0u);
        Simulator::Run();
        ASSERT_EQ(core.starts.size(), std::size_t(k + 1));
        const int64_t wait = (core.starts[k] - at).GetNanoSeconds();
        // Polls at idle + j P: the first at or after the frame.
        const int64_t phase = (at - idle).GetNanoSeconds() % period;
        EXPECT_EQ(wait, phase == 0 ? 0 : period - phase) << "frame " << k;
        sum += wait;
        ++bins[std::min<int64_t>(9, wait * 10 / period)];
    }
    EXPECT_NEAR(sum / n, period / 2.0, 0.02 * period);
    for (int b = 0; b < 10; ++b)
    {
        EXPECT_NEAR(bins[b], n / 10, n / 50) << "tenth " << b;
    }
}

// The period grows with the ports polled, and each port's polls are spread over it in the
// loop's order; a busy core (between batches) sees ready frames at once.
TEST(PollLoop, PeriodCountsEveryPortPolled)
{
    PollCore core(2, 900, 50); // P = 1000 ns: port 0 polled at 500 + k P, port 1 at 1000 + k P
    EXPECT_EQ(core.sched.GetPollPeriod(0), NanoSeconds(1000));
    Simulator::Schedule(NanoSeconds(100), &PollCore::Arrive, &core, 1u);
    Simulator::Schedule(NanoSeconds(1050), &PollCore::Arrive, &core, 0u); // during port 1's batch
    Simulator::Run();
    ASSERT_EQ(core.starts.size(), 2u);
    EXPECT_EQ(core.starts[0], NanoSeconds(1000));
    EXPECT_EQ(core.starts[1], NanoSeconds(1100)); // right after the batch, no loop phase
}

// Interrupt mode has no poll loop.
TEST(PollLoop, InterruptModeHasNoLoop)
{
    PollCore core(1, 950, 50, false);
    EXPECT_EQ(core.sched.GetPollPeriod(0), Time(0));
    EXPECT_EQ(core.sched.PollInstant(0, NanoSeconds(300)), NanoSeconds(300));
}

namespace {

/** Arrival instant of one 64 B frame over a 10 Gb/s cable of 5 ns with \p phy at both ends. */
Time
ArrivalWithPhy(Time phy)
{
    NodeContainer nodes;
    nodes.Create(2);
    EthernetHelper eth;
    eth.SetDeviceAttribute("DataRate", DataRateValue(DataRate("10Gbps")));
    eth.SetDeviceAttribute("PhyLatency", TimeValue(phy));
    eth.SetChannelAttribute("Delay", TimeValue(NanoSeconds(5)));
    NetDeviceContainer d = eth.Install(nodes.Get(0), nodes.Get(1));
    Time arrival = Time(-1);
    nodes.Get(1)->RegisterProtocolHandler(
        MakeBoundCallback(
            +[](Time* at, Ptr<NetDevice>, Ptr<const Packet>, uint16_t, const Address&,
                const Address&, NetDevice::PacketType)
            {
                *at = Simulator::Now();
            },
            &arrival),
        0x88b5, d.Get(1), false);
    Simulator::Schedule(NanoSeconds(1000),
                        [&]()
                        {
                            d.Get(0)->Send(Create<Packet>(46), d.Get(1)->GetAddress(), 0x88b5);
                        });
    Simulator::Run();
    Simulator::Destroy();
    return arrival;
}

} // namespace

// A frame crossing a cable takes the sender's PHY latency and the receiver's, on top of its line
// time and the cable's delay; the default is none.
TEST(EthernetPhy, FrameTakesBothEndsPhyLatency)
{
    const Time none = ArrivalWithPhy(Time(0));
    // Preamble + SFD + 64 B frame at 10 Gb/s (57.6 ns, whole ns ticks) + 5 ns of cable.
    EXPECT_EQ(none, NanoSeconds(1000 + 57 + 5));
    EXPECT_EQ(ArrivalWithPhy(NanoSeconds(200)) - none, NanoSeconds(400));
}

namespace {

/** Duration of the switch's batch for one 200-byte frame from VM 0 to VM 1, whose guests are
 * \p kind, the sender's PmdWritesFrames \p writes. */
Time
BatchForOneFrame(GuestKind kind, bool writes)
{
    VswitchHelper helper;
    helper.SetSwitchAttribute("Mode", StringValue("Poll"));
    helper.SetSwitchAttribute("ClockGHz", DoubleValue(1.0));
    helper.SetSwitchAttribute("CyclesPerPacket", DoubleValue(100));
    helper.SetSwitchAttribute("CyclesPerByte", DoubleValue(1));
    helper.SetSwitchAttribute("VmPortRxCycles", DoubleValue(10));
    helper.SetSwitchAttribute("VmPortTxCycles", DoubleValue(20));
    helper.SetSwitchAttribute("BatchCycles", DoubleValue(0));
    helper.SetSwitchAttribute("ModifiedLineCycles", DoubleValue(77));
    GuestHelper guest;
    guest.SetGuest(kind);
    helper.SetGuestHelper(guest);
    NodeContainer vms;
    vms.Create(2);
    PacketSocketHelper().Install(vms);
    Ptr<VirtualSwitch> sw = VswitchHelper::GetSwitch(helper.Install(vms).Get(0));
    vms.Get(0)->GetObject<GuestOs>()->SetAttribute("PmdWritesFrames", BooleanValue(writes));
    Time duration = Time(-1);
    sw->TraceConnectWithoutContext("Batch", MakeBoundCallback(
                                                +[](Time* d, uint32_t, uint32_t, uint32_t, Time t)
                                                {
                                                    *d = t;
                                                },
                                                &duration));
    PacketSocketAddress to;
    to.SetSingleDevice(sw->GetPortDevice(0)->GetIfIndex());
    to.SetPhysicalAddress(sw->GetPortDevice(1)->GetAddress());
    to.SetProtocol(0x88b5);
    Ptr<Socket> s = Socket::CreateSocket(vms.Get(0), PacketSocketFactory::GetTypeId());
    s->Bind();
    Simulator::Schedule(MicroSeconds(10),
                        [&]()
                        {
                            s->SendTo(Create<Packet>(200 - 14), 0, to);
                        });
    Simulator::Run();
    Simulator::Destroy();
    return duration;
}

} // namespace

// A frame prepared beforehand (a DPDK generator's) costs its ports and copies; one the guest wrote
// just before (a forwarder rewriting the header, or any kernel stack) also the modified line.
TEST(ModifiedLine, CopyOfAFrameTheGuestWroteCostsTheLine)
{
    const Time plain = NanoSeconds(100 + 10 + 200 + 20 + 200);
    EXPECT_EQ(BatchForOneFrame(GuestKind::DPDK, false), plain);
    EXPECT_EQ(BatchForOneFrame(GuestKind::DPDK, true), plain + NanoSeconds(77));
    EXPECT_EQ(BatchForOneFrame(GuestKind::KERNEL, false), plain + NanoSeconds(77));
}
