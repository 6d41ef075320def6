/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The vhost-net worker threads of the kernel switch (VhostWorker): a VM-to-VM frame wakes the
 * sender's worker (copy out, datapath) and the receiver's (copy in), each cost paid once; a
 * frame that arrives while a worker works pays no wake-up; a worker pays one wake-up per idle
 * period; frames to and from the uplink cross one worker, the uplink staying on the switch's
 * core; without VhostWorkers, or in Poll mode, the switch's cores serve the VM ports.
 */
#include "ns3/core-module.h"
#include "ns3/guest-helper.h"
#include "ns3/network-module.h"
#include "ns3/vhost-worker.h"
#include "ns3/virtio-net-device.h"
#include "ns3/virtual-switch.h"
#include "ns3/vswitch-helper.h"

#include <gtest/gtest.h>

#include <vector>

using namespace ns3;

namespace {

constexpr uint16_t RAW_PROTOCOL = 0x88b5;      // IEEE local experimental EtherType
constexpr uint32_t PAYLOAD = 100;              // bytes: a 114-byte frame
constexpr uint32_t FRAME_BYTES = PAYLOAD + 14; // what the workers copy

/** One batch of a worker, as its Batch trace gives it. */
struct Batch
{
    uint32_t worker; //!< the worker's port
    uint32_t queue;  //!< VhostWorker::TX_QUEUE or TAP_QUEUE
    uint32_t frames; //!< frames
    Time duration;   //!< processing time
    Time start;      //!< its start
};

/**
 * A kernel switch (ovs-kernel, vhost-net workers) with two VMs running DPDK guests (40 ns per
 * frame, no interrupts: the host side alone makes the latency), with round cycle costs at 1 GHz:
 * datapath 100 cycles, VM port RX 10 and TX 20, 1 cycle per byte copied, 1000 cycles and 5 us
 * per worker wake-up.
 */
class VhostWorkerTest : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        VswitchHelper helper;
        helper.SetProfile("ovs-kernel");
        helper.SetSwitchAttribute("ClockGHz", DoubleValue(1.0));
        helper.SetSwitchAttribute("CyclesPerPacket", DoubleValue(100));
        helper.SetSwitchAttribute("CyclesPerByte", DoubleValue(1));
        helper.SetSwitchAttribute("VmPortRxCycles", DoubleValue(10));
        helper.SetSwitchAttribute("VmPortTxCycles", DoubleValue(20));
        GuestHelper guest;
        guest.SetGuest(GuestKind::DPDK);
        helper.SetGuestHelper(guest);
        NodeContainer vms;
        vms.Create(2);
        sw = VswitchHelper::GetSwitch(helper.Install(vms).Get(0));
        a = sw->GetPortDevice(0);
        b = sw->GetPortDevice(1);
        for (uint32_t port = 0; port < 2; ++port)
        {
            Ptr<VhostWorker> w = sw->GetWorker(port);
            ASSERT_TRUE(w);
            w->SetAttribute("WakeupCycles", DoubleValue(1000));
            w->SetAttribute("WakeupLatency", TimeValue(MicroSeconds(5)));
            w->TraceConnectWithoutContext(
                "Batch",
                MakeBoundCallback(
                    +[](std::pair<std::vector<Batch>*, uint32_t> to, uint32_t, uint32_t queue,
                        uint32_t frames, Time d)
                    {
                        to.first->push_back({to.second, queue, frames, d, Simulator::Now()});
                    },
                    std::make_pair(&batches, port)));
        }
        b->TraceConnectWithoutContext(
            "RxLatency",
            MakeBoundCallback(
                +[](std::vector<LatencyBreakdown>* l, Ptr<const Packet>, const LatencyBreakdown& x)
                {
                    l->push_back(x);
                },
                &received));
    }

    void TearDown() override
    {
        Simulator::Destroy();
    }

    /** \brief VM a sends one frame to VM b at \p at. \param at instant */
    void SendAt(Time at)
    {
        Ptr<VirtioNetDevice> from = a;
        Address to = b->GetAddress();
        Simulator::ScheduleWithContext(from->GetNode()->GetId(), at,
                                       [from, to]
                                       {
                                           from->Send(Create<Packet>(PAYLOAD), to, RAW_PROTOCOL);
                                       });
    }

    /** \return the batches of the worker of \p port on \p queue */
    std::vector<Batch> Of(uint32_t port, uint32_t queue) const
    {
        std::vector<Batch> out;
        for (const Batch& x : batches)
        {
            if (x.worker == port && x.queue == queue)
            {
                out.push_back(x);
            }
        }
        return out;
    }

    Ptr<VirtualSwitch> sw;                  //!< the switch
    Ptr<VirtioNetDevice> a;                 //!< the sender's device (port 0)
    Ptr<VirtioNetDevice> b;                 //!< the receiver's device (port 1)
    std::vector<Batch> batches;             //!< every worker batch
    std::vector<LatencyBreakdown> received; //!< per frame received by b
};

} // namespace

// A VM-to-VM frame wakes two threads: the sender's worker (copy out and the datapath) and the
// receiver's (copy in); the switch's cores do nothing, and no cost is paid twice.
TEST_F(VhostWorkerTest, VmToVmFrameWakesTwoWorkers)
{
    SendAt(MicroSeconds(10));
    Simulator::Run();
    ASSERT_EQ(received.size(), 1u);
    EXPECT_EQ(sw->GetNWorkers(), 2u);
    EXPECT_EQ(sw->GetWorker(0)->GetStats().wakeups, 1u);
    EXPECT_EQ(sw->GetWorker(1)->GetStats().wakeups, 1u);
    EXPECT_EQ(sw->GetWorker(0)->GetStats().frames, 1u);
    EXPECT_EQ(sw->GetWorker(1)->GetStats().frames, 1u);
    EXPECT_EQ(sw->GetCoreStats(0).frames, 0u);
    EXPECT_EQ(sw->GetCoreStats(0).wakeups, 0u);
    EXPECT_EQ(a->GetCounters().kicks, 1u);
    EXPECT_EQ(sw->GetCounters().forwarded, 1u);
    // Sender: wake-up + datapath + its port's RX + the copy out; not the output's TX or copy.
    const std::vector<Batch> tx = Of(0, VhostWorker::TX_QUEUE);
    ASSERT_EQ(tx.size(), 1u);
    EXPECT_EQ(tx[0].duration, NanoSeconds(1000 + 100 + 10 + FRAME_BYTES));
    // Receiver: wake-up + its port's TX + the copy in.
    const std::vector<Batch> rx = Of(1, VhostWorker::TAP_QUEUE);
    ASSERT_EQ(rx.size(), 1u);
    EXPECT_EQ(rx[0].duration, NanoSeconds(1000 + 20 + FRAME_BYTES));
    EXPECT_EQ(batches.size(), 2u);
    // The time on the host: two wake-ups and the two batches.
    EXPECT_EQ(received[0].nic,
              MicroSeconds(10)
                  + NanoSeconds(1000 + 100 + 10 + FRAME_BYTES + 1000 + 20 + FRAME_BYTES));
    EXPECT_EQ(sw->GetWorker(0)->GetBusyTime() + sw->GetWorker(1)->GetBusyTime(),
              tx[0].duration + rx[0].duration);
}

// A frame published while the sender's worker works pays no wake-up (and no kick): the worker
// takes it after its batch. The receiver's worker, woken for the first frame, finds both.
TEST_F(VhostWorkerTest, FrameArrivingWhileBusyPaysNoWakeup)
{
    // First frame: published at 10.04 us (PMD), kick exit 1.5 us, the worker runs from 16.54 us
    // for 1224 ns. The second is published at 17.04 us, during that batch.
    SendAt(MicroSeconds(10));
    SendAt(MicroSeconds(17));
    Simulator::Run();
    ASSERT_EQ(received.size(), 2u);
    EXPECT_EQ(a->GetCounters().kicks, 1u);
    EXPECT_EQ(sw->GetWorker(0)->GetStats().wakeups, 1u);
    const std::vector<Batch> tx = Of(0, VhostWorker::TX_QUEUE);
    ASSERT_EQ(tx.size(), 2u);
    EXPECT_EQ(tx[0].duration, NanoSeconds(1000 + 100 + 10 + FRAME_BYTES));
    EXPECT_EQ(tx[1].duration, NanoSeconds(100 + 10 + FRAME_BYTES)); // no wake-up cycles
    // The receiver sleeps until woken by the first frame; the second joins its batch.
    EXPECT_EQ(sw->GetWorker(1)->GetStats().wakeups, 1u);
    const std::vector<Batch> rx = Of(1, VhostWorker::TAP_QUEUE);
    ASSERT_EQ(rx.size(), 1u);
    EXPECT_EQ(rx[0].frames, 2u);
    EXPECT_EQ(rx[0].duration, NanoSeconds(1000 + 2 * (20 + FRAME_BYTES)));
    // On the host: the first frame from 11.54 us (after its kick) to the end of the receiver's
    // batch at 24.032 us (two wake-ups, three batches); the second from 17.04 us, woken for by
    // no one.
    EXPECT_EQ(received[0].nic, NanoSeconds(24032 - 11540));
    EXPECT_EQ(received[1].nic, NanoSeconds(24032 - 17040));
}

// Each idle period costs one wake-up: frames far apart wake both workers every time; a stream
// faster than the sender's worker keeps it awake from its first wake-up on.
TEST_F(VhostWorkerTest, WakeupPaidOncePerIdlePeriod)
{
    for (uint32_t i = 0; i < 5; ++i)
    {
        SendAt(MicroSeconds(10 + 100 * i));
    }
    // Then 400 frames 200 ns apart: the sender's worker needs 224 ns each.
    for (uint32_t i = 0; i < 400; ++i)
    {
        SendAt(MicroSeconds(1000) + NanoSeconds(200 * i));
    }
    Simulator::Stop(MicroSeconds(900));
    Simulator::Run();
    ASSERT_EQ(received.size(), 5u);
    EXPECT_EQ(sw->GetWorker(0)->GetStats().wakeups, 5u);
    EXPECT_EQ(sw->GetWorker(1)->GetStats().wakeups, 5u);
    Simulator::Stop(MilliSeconds(2));
    Simulator::Run();
    ASSERT_EQ(received.size(), 405u);
    EXPECT_EQ(b->GetTotalDrops() + a->GetTotalDrops() + sw->GetTotalDrops(), 0u);
    EXPECT_EQ(a->GetCounters().kicks, 6u); // one per idle period of the sender's worker
    EXPECT_EQ(sw->GetWorker(0)->GetStats().wakeups, 6u);
    EXPECT_EQ(sw->GetWorker(0)->GetStats().frames, 405u);
    // The receiver's worker copies faster than the sender's feeds it: its tap runs dry between
    // the sender's batches and it sleeps, so it wakes once per such idle period, not per frame.
    const uint64_t rxWakeups = sw->GetWorker(1)->GetStats().wakeups;
    EXPECT_GT(rxWakeups, 6u);
    EXPECT_LT(rxWakeups, 5u + 400u / 10);
    // For each worker: a batch that starts when the previous one ended (the thread kept working)
    // pays no wake-up; one that starts later (it slept) pays exactly one.
    for (uint32_t port = 0; port < 2; ++port)
    {
        SCOPED_TRACE(port);
        const uint32_t queue = port == 0 ? VhostWorker::TX_QUEUE : VhostWorker::TAP_QUEUE;
        const double perFrame = port == 0 ? 100 + 10 + FRAME_BYTES : 20 + FRAME_BYTES;
        Time previousEnd = Time(-1);
        uint64_t woken = 0;
        for (const Batch& x : Of(port, queue))
        {
            const int64_t wakeNs = x.duration.GetNanoSeconds() - int64_t(x.frames * perFrame);
            EXPECT_EQ(wakeNs, x.start == previousEnd ? 0 : 1000) << "batch at " << x.start;
            woken += wakeNs == 1000;
            previousEnd = x.start + x.duration;
        }
        EXPECT_EQ(woken, sw->GetWorker(port)->GetStats().wakeups);
    }
}

// The uplink stays on the switch's core (the NIC's softirq): a frame from it costs the core the
// datapath and the NIC port, and the VM's worker the copy in; a VM's frame for the uplink costs
// its worker the datapath, the copy out and the NIC port's TX, and wakes no other worker.
TEST_F(VhostWorkerTest, UplinkFramesCrossOneWorker)
{
    sw->SetAttribute("WakeupCycles", DoubleValue(500));
    sw->SetAttribute("NicPortRxCycles", DoubleValue(1000));
    sw->SetAttribute("NicPortTxCycles", DoubleValue(2000));
    NodeContainer ends; // the host OS's node, a machine outside
    ends.Create(2);
    NetDeviceContainer cable = SimpleNetDeviceHelper().Install(ends);
    sw->SetUplink(cable.Get(0));
    std::vector<Time> core;
    sw->TraceConnectWithoutContext(
        "Batch", MakeBoundCallback(
                     +[](std::vector<Time>* d, uint32_t, uint32_t, uint32_t, Time t)
                     {
                         d->push_back(t);
                     },
                     &core));
    Ptr<NetDevice> outside = cable.Get(1);
    Mac48Address vm = Mac48Address::ConvertFrom(a->GetAddress());
    Simulator::Schedule(MicroSeconds(10),
                        [outside, vm]
                        {
                            outside->Send(Create<Packet>(PAYLOAD), vm, RAW_PROTOCOL);
                        });
    Ptr<VirtioNetDevice> from = a;
    Address back = outside->GetAddress(); // learned from the first frame
    Simulator::ScheduleWithContext(from->GetNode()->GetId(), MicroSeconds(100),
                                   [from, back]
                                   {
                                       from->Send(Create<Packet>(PAYLOAD), back, RAW_PROTOCOL);
                                   });
    Simulator::Run();
    // In by the uplink: the core pays its wake-up, the datapath and the NIC's RX, no copy ...
    ASSERT_EQ(core.size(), 1u);
    EXPECT_EQ(core[0], NanoSeconds(500 + 100 + 1000));
    // ... and VM 0's worker the copy in.
    const std::vector<Batch> rx = Of(0, VhostWorker::TAP_QUEUE);
    ASSERT_EQ(rx.size(), 1u);
    EXPECT_EQ(rx[0].duration, NanoSeconds(1000 + 20 + FRAME_BYTES));
    EXPECT_EQ(a->GetCounters().rxFrames, 1u);
    // Out by the uplink: VM 0's worker runs it all.
    const std::vector<Batch> tx = Of(0, VhostWorker::TX_QUEUE);
    ASSERT_EQ(tx.size(), 1u);
    EXPECT_EQ(tx[0].duration, NanoSeconds(1000 + 100 + 10 + FRAME_BYTES + 2000));
    EXPECT_EQ(sw->GetCounters().uplinkTx, 1u);
    EXPECT_EQ(sw->GetWorker(1)->GetStats().wakeups, 0u);
    EXPECT_EQ(batches.size(), 2u);
}

// Without VhostWorkers the switch's cores serve the VM ports (one wake-up per kick); a
// poll-mode switch (vhost-user) has no workers whatever VhostWorkers says.
TEST(VhostWorkerConfig, SharedCoresWithoutWorkersAndInPollMode)
{
    for (const char* profile : {"ovs-kernel", "ovs-dpdk"})
    {
        VswitchHelper helper;
        helper.SetProfile(profile);
        helper.SetSwitchAttribute("VhostWorkers", BooleanValue(std::string(profile) == "ovs-dpdk"));
        NodeContainer vms;
        vms.Create(2);
        Ptr<VirtualSwitch> sw = VswitchHelper::GetSwitch(helper.Install(vms).Get(0));
        EXPECT_EQ(sw->GetNWorkers(), 0u) << profile;
        EXPECT_FALSE(sw->GetWorker(0)) << profile;
        Ptr<VirtioNetDevice> a = sw->GetPortDevice(0);
        Address to = sw->GetPortDevice(1)->GetAddress();
        Simulator::ScheduleWithContext(a->GetNode()->GetId(), MicroSeconds(10),
                                       [a, to]
                                       {
                                           a->Send(Create<Packet>(PAYLOAD), to, RAW_PROTOCOL);
                                       });
        Simulator::Stop(MilliSeconds(1));
        Simulator::Run();
        EXPECT_EQ(sw->GetCoreStats(0).frames, 1u) << profile;
        EXPECT_EQ(sw->GetCounters().forwarded, 1u) << profile;
        Simulator::Destroy();
    }
    // Turning the workers on in an Interrupt-mode switch gives each VM port its own.
    VswitchHelper helper;
    helper.SetProfile("ovs-kernel");
    helper.SetSwitchAttribute("VhostWorkers", BooleanValue(false));
    NodeContainer vms;
    vms.Create(3);
    Ptr<VirtualSwitch> sw = VswitchHelper::GetSwitch(helper.Install(vms).Get(0));
    sw->SetAttribute("VhostWorkers", BooleanValue(true));
    EXPECT_EQ(sw->GetNWorkers(), 3u);
    EXPECT_EQ(sw->GetWorkerByIndex(2), sw->GetWorker(2));
    sw->SetAttribute("Mode", StringValue("Poll"));
    EXPECT_EQ(sw->GetNWorkers(), 0u);
    Simulator::Destroy();
}
