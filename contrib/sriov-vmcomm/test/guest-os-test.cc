/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Tests of the guest model (GuestOs): each guest cost is paid once per packet, batch or interrupt
 * where it should be, counted; halt-polling decides the wake-up; a DPDK guest takes no interrupt
 * and pays no stack; on both guest NICs (VfNetDevice, VirtioNetDevice).
 */
#include "ns3/guest-helper.h"
#include "ns3/guest-os.h"
#include "ns3/host.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/sriov-helper.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"
#include "ns3/vf-net-device.h"
#include "ns3/virtio-net-device.h"
#include "ns3/virtual-switch.h"
#include "ns3/vswitch-helper.h"

#include <gtest/gtest.h>

#include <algorithm>

using namespace ns3;

namespace {

constexpr uint16_t RAW_PROTOCOL = 0x88b5; //!< local experimental EtherType

/** Counts the frames a VM's stack receives. */
struct Sink
{
    uint32_t frames{0}; //!< frames received

    /** \param node the VM */
    void Install(Ptr<Node> node)
    {
        node->RegisterProtocolHandler(MakeCallback(&Sink::Receive, this), RAW_PROTOCOL, nullptr);
    }

    /** Protocol handler. */
    void Receive(Ptr<NetDevice>, Ptr<const Packet>, uint16_t, const Address&, const Address&,
                 NetDevice::PacketType)
    {
        ++frames;
    }
};

/**
 * \brief Send \p n lone frames from \p src to \p dst, one every \p gap from 1 ms on (the
 * VMs idle until then: the first frame finds the receiver's vCPU asleep).
 * \param src sender \param dst receiver \param n frames \param gap interval
 */
void
SendLone(Ptr<NetDevice> src, Ptr<NetDevice> dst, uint32_t n, Time gap)
{
    for (uint32_t i = 0; i < n; ++i)
    {
        Simulator::ScheduleWithContext(src->GetNode()->GetId(), MilliSeconds(1) + gap * i,
                                       [src, dst]()
                                       {
                                           src->Send(Create<Packet>(100), dst->GetAddress(),
                                                     RAW_PROTOCOL);
                                       });
    }
}

/** What a run of lone frames through two VMs' guests gives. */
struct Outcome
{
    GuestOs::Counters tx;      //!< sender's guest
    GuestOs::Counters rx;      //!< receiver's guest
    uint32_t delivered{0};     //!< frames the receiver's stack got
    uint64_t nicInterrupts{0}; //!< the receiving device's interrupts (MSI-X or virtio)
    Time meanLatency;          //!< mean one-way latency (device RxLatency breakdown)
};

/**
 * \brief Two VMs on VFs (vf-dma), \p n lone frames one way.
 * \param guest the VMs' guest \param n frames \param gap interval
 */
Outcome
RunVf(const GuestHelper& guest, uint32_t n, Time gap)
{
    SriovHelper sriov;
    sriov.SetGuestHelper(guest);
    sriov.SetVfAttribute("CoalesceFrames", UintegerValue(1)); // an interrupt per frame
    Ptr<Host> host = SriovHelper::GetHost(sriov.Install(2));
    Sink sink;
    sink.Install(host->GetVm(1));
    SendLone(host->GetVf(0), host->GetVf(1), n, gap);
    Simulator::Run();
    Outcome o;
    o.tx = host->GetVm(0)->GetObject<GuestOs>()->GetCounters();
    o.rx = host->GetVm(1)->GetObject<GuestOs>()->GetCounters();
    o.delivered = sink.frames;
    o.nicInterrupts = host->GetVf(1)->GetCounters().interrupts;
    o.meanLatency = host->GetVf(1)->GetLatencySum().total / std::max(1u, sink.frames);
    Simulator::Destroy();
    return o;
}

/**
 * \brief Two VMs on a kernel switch (vswitch-kernel), \p n lone frames one way.
 * \param guest the VMs' guest \param n frames \param gap interval
 */
Outcome
RunVirtio(const GuestHelper& guest, uint32_t n, Time gap)
{
    VswitchHelper vswitch;
    vswitch.SetProfile("ovs-kernel");
    vswitch.SetGuestHelper(guest);
    NodeContainer vms;
    vms.Create(2);
    Ptr<VirtualSwitch> sw = VswitchHelper::GetSwitch(vswitch.Install(vms).Get(0));
    Sink sink;
    sink.Install(vms.Get(1));
    SendLone(sw->GetPortDevice(0), sw->GetPortDevice(1), n, gap);
    Simulator::Run();
    Outcome o;
    o.tx = vms.Get(0)->GetObject<GuestOs>()->GetCounters();
    o.rx = vms.Get(1)->GetObject<GuestOs>()->GetCounters();
    o.delivered = sink.frames;
    o.nicInterrupts = sw->GetPortDevice(1)->GetCounters().interrupts;
    o.meanLatency = sw->GetPortDevice(1)->GetLatencySum().total / std::max(1u, sink.frames);
    Simulator::Destroy();
    return o;
}

} // namespace

// The arithmetic: stack costs add up on the vCPU and serialize; wake-ups follow the window.
TEST(GuestOsTest, CostsAddUpSerializeAndTheWindowDecidesTheWakeup)
{
    Ptr<GuestOs> g = CreateObject<GuestOs>();
    // Send: system call 100 + stack 600 + driver 200 ns; a second send waits for the first.
    EXPECT_EQ(g->Send(NanoSeconds(200)), NanoSeconds(900));
    EXPECT_EQ(g->Send(NanoSeconds(200)), NanoSeconds(1800));
    EXPECT_EQ(g->GetCounters().txPackets, 2u);
    // Receive: driver 200 + stack 600 + the reader's system call 100 ns.
    EXPECT_EQ(g->GetRxCost(NanoSeconds(200)), NanoSeconds(900));
    // Idle since 1.8 us: 100 us later KVM is still polling (500 ns), 1 ms later the vCPU sleeps
    // (5 us); then the posted delivery (1 us) and the work.
    Time at = MicroSeconds(100);
    EXPECT_EQ(g->Interrupt(at, GuestOs::POSTED, NanoSeconds(300)),
              at + NanoSeconds(500) + MicroSeconds(1) + NanoSeconds(300));
    EXPECT_EQ(g->GetCounters().polledWakeups, 1u);
    at = MilliSeconds(2);
    EXPECT_EQ(g->Interrupt(at, GuestOs::INJECTED, Time(0)), at + MicroSeconds(5) + MicroSeconds(2));
    EXPECT_EQ(g->GetCounters().haltWakeups, 1u);
    // An interrupt while the vCPU works: no wake-up, the work waits for the vCPU.
    const Time busy = g->Run(at, MicroSeconds(50));
    EXPECT_EQ(g->Interrupt(at + MicroSeconds(10), GuestOs::POSTED, Time(0)), busy);
    EXPECT_EQ(g->GetLastWakeup(), Time(0));
    EXPECT_EQ(g->GetCounters().interrupts, 3u);

    // Without halt-polling the 100 us idle vCPU sleeps.
    Ptr<GuestOs> nopoll = CreateObject<GuestOs>();
    nopoll->SetAttribute("HaltPollNs", TimeValue(Time(0)));
    nopoll->Interrupt(MicroSeconds(100), GuestOs::POSTED, Time(0));
    EXPECT_EQ(nopoll->GetLastWakeup(), MicroSeconds(5));

    // DPDK: the PMD's cost only, never halted, no reader to wake.
    Ptr<GuestOs> dpdk = CreateObject<GuestOs>();
    dpdk->SetAttribute("Stack", StringValue("Dpdk"));
    EXPECT_TRUE(dpdk->IsPolling());
    EXPECT_EQ(dpdk->Send(NanoSeconds(200)), NanoSeconds(40));
    EXPECT_EQ(dpdk->GetRxCost(NanoSeconds(200)), NanoSeconds(40));
    EXPECT_EQ(dpdk->GetSocketWakeupCost(), Time(0));
    Simulator::Destroy();
}

// VF, kernel guests, frames 1 ms apart (longer than the 200 us window): per frame one TX path,
// one RX path, one reader wake-up, one interrupt, one wake-up of a sleeping vCPU.
TEST(GuestOsTest, VfKernelGuestPaysEachCostOncePerLoneFrame)
{
    const uint32_t n = 20;
    Outcome o = RunVf(GuestHelper(), n, MilliSeconds(1));
    EXPECT_EQ(o.delivered, n);
    EXPECT_EQ(o.tx.txPackets, n);
    EXPECT_EQ(o.rx.rxPackets, n);
    EXPECT_EQ(o.rx.socketWakeups, n);
    EXPECT_EQ(o.rx.interrupts, n);
    EXPECT_EQ(o.nicInterrupts, n);
    EXPECT_EQ(o.rx.haltWakeups, n);
    EXPECT_EQ(o.rx.polledWakeups, 0u);
    EXPECT_EQ(o.tx.rxPackets + o.rx.txPackets, 0u);
}

// Halt-polling: frames 100 us apart find the receiver in KVM's poll loop; without polling they
// find it asleep, and each one-way latency grows by the difference of the two wake-ups.
TEST(GuestOsTest, HaltPollingTurnsSleepsIntoPolledWakeups)
{
    const uint32_t n = 20;
    Outcome polled = RunVf(GuestHelper(), n, MicroSeconds(100));
    GuestHelper noPoll;
    noPoll.SetAttribute("HaltPollNs", TimeValue(Time(0)));
    Outcome slept = RunVf(noPoll, n, MicroSeconds(100));
    EXPECT_EQ(polled.rx.polledWakeups, n - 1); // the first frame finds a vCPU idle since t=0
    EXPECT_EQ(polled.rx.haltWakeups, 1u);
    EXPECT_EQ(slept.rx.haltWakeups, n);
    EXPECT_EQ(slept.rx.polledWakeups, 0u);
    const Time step = MicroSeconds(5) - NanoSeconds(500);
    EXPECT_EQ((slept.meanLatency - polled.meanLatency) * n, step * (n - 1));
}

// DPDK guests on VFs: no MSI-X, no interrupt, no stack, no wake-up; still every frame.
TEST(GuestOsTest, VfDpdkGuestTakesNoInterrupt)
{
    GuestHelper dpdk;
    dpdk.SetGuest(GuestKind::DPDK);
    const uint32_t n = 20;
    Outcome o = RunVf(dpdk, n, MilliSeconds(1));
    EXPECT_EQ(o.delivered, n);
    EXPECT_EQ(o.nicInterrupts, 0u);
    EXPECT_EQ(o.rx.interrupts, 0u);
    EXPECT_EQ(o.rx.socketWakeups, 0u);
    EXPECT_EQ(o.rx.haltWakeups + o.rx.polledWakeups, 0u);
    EXPECT_EQ(o.rx.rxPackets, n);
    EXPECT_EQ(o.tx.txPackets, n);
    // Faster than the kernel guest by at least the stacks, the reader's wake-up, the vCPU's.
    Outcome kernel = RunVf(GuestHelper(), n, MilliSeconds(1));
    EXPECT_LT(o.meanLatency + MicroSeconds(8), kernel.meanLatency);
}

// Virtio on the kernel switch: per lone frame one TX path, one kick (the vhost worker sleeps),
// one injected interrupt, one RX path, one reader wake-up, one vCPU wake-up; DPDK: none of the
// interrupts, stacks or wake-ups.
TEST(GuestOsTest, VirtioGuestsPayEachCostOncePerLoneFrame)
{
    const uint32_t n = 20;
    Outcome k = RunVirtio(GuestHelper(), n, MilliSeconds(1));
    EXPECT_EQ(k.delivered, n);
    EXPECT_EQ(k.tx.txPackets, n);
    EXPECT_EQ(k.tx.kicks, n);
    EXPECT_EQ(k.rx.interrupts, n);
    EXPECT_EQ(k.nicInterrupts, n);
    EXPECT_EQ(k.rx.rxPackets, n);
    EXPECT_EQ(k.rx.socketWakeups, n);
    EXPECT_EQ(k.rx.haltWakeups, n);

    GuestHelper dpdk;
    dpdk.SetGuest(GuestKind::DPDK);
    Outcome d = RunVirtio(dpdk, n, MilliSeconds(1));
    EXPECT_EQ(d.delivered, n);
    EXPECT_EQ(d.rx.interrupts, 0u);
    EXPECT_EQ(d.nicInterrupts, 0u);
    EXPECT_EQ(d.rx.socketWakeups, 0u);
    EXPECT_EQ(d.rx.haltWakeups + d.rx.polledWakeups, 0u);
    EXPECT_EQ(d.rx.rxPackets, n);
    // Same kicks: the kernel switch's worker sleeps whatever the guest runs.
    EXPECT_EQ(d.tx.kicks, n);
    EXPECT_LT(d.meanLatency, k.meanLatency);
}
