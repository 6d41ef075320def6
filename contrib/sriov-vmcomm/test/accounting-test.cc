/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Frame accounting in overload (doc/results.md, "Accounting"): in every mode, traffic pattern
 * and application, every frame sent is received, counted in the drops table, or still in flight
 * at the end (the *_at_end counters), and each flow's `dropped` is its exact share of the drops.
 */
#include "ns3/core-module.h"
#include "ns3/experiment.h"
#include "ns3/queue-size.h"
#include "test-dir.h"
#include "test-util.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <string>
#include <utility>

using namespace ns3;

namespace {

/** One scenario of the test matrix. */
struct Case
{
    std::string traffic;   //!< --traffic
    std::string placement; //!< --placement
    std::string lineRate;  //!< --line-rate of the cables; "asymmetric": h1's 100 Gb/s, h2's 1 Gb/s
    bool slowGuests;       //!< guests take 100 us per received frame; the NIC holds what waits
};

// Two hosts of three VMs on one switch: every pattern but same-host pairs crosses it. More cases
// overload the cables (1 Gb/s), the switch (100 Gb/s in, 1 Gb/s out) and the receiving guests
// (still busy when the run stops).
const Case CASES[] = {
    {"pairs", "same-host", "100Gbps", false},       {"pairs", "cross-host", "100Gbps", false},
    {"all-to-all", "same-host", "100Gbps", false},  {"incast", "same-host", "100Gbps", false},
    {"permutation", "same-host", "100Gbps", false}, {"pairs", "cross-host", "1Gbps", false},
    {"pairs", "cross-host", "asymmetric", false},   {"all-to-all", "same-host", "100Gbps", true},
};

/** Sum of the counters named *_at_end: the frames in flight when the run stopped. */
double
AtEnd(const RunRecord& r)
{
    double sum = 0;
    const std::string suffix = "_at_end";
    for (const CounterRow& c : r.counters)
    {
        if (c.name.size() > suffix.size()
            && c.name.compare(c.name.size() - suffix.size(), suffix.size(), suffix) == 0)
        {
            sum += c.value;
        }
    }
    return sum;
}

double
CounterValue(const RunRecord& r, const std::string& component, const std::string& name)
{
    for (const CounterRow& c : r.counters)
    {
        if (c.component == component && c.name == name)
        {
            return c.value;
        }
    }
    return -1;
}

/**
 * Check the accounting identity of a run, per run and per flow.
 * \param r the run \param what the case, for messages
 * \return frames neither received nor dropped (in flight at the end)
 */
uint64_t
CheckIdentity(const RunRecord& r, const std::string& what)
{
    uint64_t tx = 0;
    uint64_t rx = 0;
    uint64_t dropped = 0;
    int64_t inFlight = 0;
    for (const FlowRow& f : r.flows)
    {
        tx += f.txFrames;
        rx += f.rxFrames;
        dropped += f.dropped;
        EXPECT_TRUE(f.inFlight.has_value()) << what << " flow " << f.flowId;
        if (!f.inFlight)
        {
            continue;
        }
        EXPECT_GE(*f.inFlight, 0) << what << " flow " << f.flowId;
        EXPECT_EQ(f.txFrames, f.rxFrames + f.dropped + uint64_t(*f.inFlight))
            << what << " flow " << f.flowId;
        inFlight += *f.inFlight;
    }
    uint64_t drops = 0;
    std::set<std::pair<std::string, std::string>> dropKeys;
    for (const DropRow& d : r.drops)
    {
        drops += d.count;
        // The drops table's key: one row per component and reason.
        EXPECT_TRUE(dropKeys.insert({d.component, d.reason}).second)
            << what << ": drops row " << d.component << " " << d.reason << " twice";
    }
    std::set<std::pair<std::string, std::string>> counterKeys;
    for (const CounterRow& c : r.counters)
    {
        EXPECT_TRUE(counterKeys.insert({c.component, c.name}).second)
            << what << ": counter " << c.component << " " << c.name << " twice";
    }
    const double atEnd = AtEnd(r);
    // The run's identity, from the components' counters alone.
    EXPECT_EQ(double(tx), double(rx + drops) + atEnd) << what;
    // flows.dropped is the flows' share of the drops table: every drop is of a flow's frame.
    EXPECT_EQ(dropped, drops) << what;
    EXPECT_EQ(CounterValue(r, "experiment", "uncharged_drops"), 0.0) << what;
    // What the flows still miss is what the components hold.
    EXPECT_EQ(double(inFlight), atEnd) << what;
    return tx - rx - drops;
}

/**
 * Run one case, overloaded: small rings and queues everywhere, so that every stage of each path
 * fills, and check its accounting.
 * \return frames sent and received
 */
std::pair<uint64_t, uint64_t>
RunCase(const std::string& mode, const std::string& app, const Case& c)
{
    const std::string what = mode + " " + app + " " + c.traffic + " " + c.placement + " "
                           + c.lineRate + (c.slowGuests ? " slow guests" : "");
    GlobalDefaultsGuard restore; // the defaults below, and the TCP ones an Experiment sets
    Config::SetDefault("ns3::VfNetDevice::TxRingSize", UintegerValue(32));
    Config::SetDefault("ns3::VfNetDevice::RxRingSize", UintegerValue(32));
    Config::SetDefault("ns3::VirtioNetDevice::TxQueueSize", UintegerValue(32));
    Config::SetDefault("ns3::VirtioNetDevice::RxQueueSize", UintegerValue(32));
    Config::SetDefault("ns3::VirtualSwitch::UplinkQueueSize", UintegerValue(32));
    // The virtio guests' queue disc (ns-3's default, FqCoDel) too.
    Config::SetDefault("ns3::FqCoDelQueueDisc::MaxSize", QueueSizeValue(QueueSize("64p")));
    if (c.slowGuests)
    {
        // One frame per poll, 100 us each: 10 frames per guest in the 1 ms drain.
        Config::SetDefault("ns3::VfNetDevice::GuestRxCost", TimeValue(MicroSeconds(100)));
        Config::SetDefault("ns3::VfNetDevice::NapiBudget", UintegerValue(1));
        Config::SetDefault("ns3::VirtioNetDevice::GuestRxCost", TimeValue(MicroSeconds(100)));
        Config::SetDefault("ns3::VirtioNetDevice::NapiBudget", UintegerValue(1));
        Config::SetDefault("ns3::SriovNic::NoRxBufferPolicy", StringValue("Hold"));
    }
    ExperimentOptions options;
    options.hosts = 2;
    options.vms = 3;
    EXPECT_TRUE(ParseTrafficPattern(c.traffic, &options.traffic));
    EXPECT_TRUE(ParsePlacement(c.placement, &options.placement));
    EXPECT_TRUE(ParseTrafficApp(app, &options.app));
    options.size = 256;
    // Every flow at 100 Gb/s, far above what any mode carries. OnOff waits for an exponential
    // off time of 1 ms mean before its first burst: run it longer, at 10 Gb/s per flow (still
    // above what the small rings let through).
    if (c.lineRate == "asymmetric")
    {
        options.topologyFile = TestDir() + "accounting-asymmetric.dot";
        std::ofstream(options.topologyFile)
            << "graph t {\n"
               "  h1 [kind=host, vms=3]; h2 [kind=host, vms=3]; tor [kind=switch];\n"
               "  h1 -- tor [rate=\"100Gbps\", delay=\"10ns\"];\n"
               "  h2 -- tor [rate=\"1Gbps\", delay=\"10ns\"];\n"
               "}\n";
    }
    else
    {
        options.lineRate = c.lineRate;
    }
    options.load = app == "onoff" ? "10Gbps" : "100Gbps";
    options.duration = app == "onoff" ? MilliSeconds(1) : MicroSeconds(20);
    Experiment e("test", options);
    e.Validate();
    RunRecord r = e.RunMode(mode);
    uint64_t tx = 0;
    uint64_t rx = 0;
    for (const FlowRow& f : r.flows)
    {
        tx += f.txFrames;
        rx += f.rxFrames;
    }
    if (app == "udp")
    {
        EXPECT_GT(rx, 0u) << what;
        EXPECT_GT(tx, rx) << what << ": not overloaded";
    }
    if (c.slowGuests && tx > 0)
    {
        // The run stopped with frames in the guests' rings (and the NICs' hold queues).
        EXPECT_GT(AtEnd(r), 0.0) << what;
    }
    CheckIdentity(r, what);
    return {tx, rx};
}

/** Run one mode through every case with one application. */
void
CheckMode(const std::string& mode, const std::string& app)
{
    uint64_t sent = 0;
    uint64_t lost = 0;
    for (const Case& c : CASES)
    {
        auto [tx, rx] = RunCase(mode, app, c);
        sent += tx;
        lost += tx - rx;
    }
    // Overload: frames were lost or held back in every mode.
    EXPECT_GT(sent, lost) << mode << " " << app;
    EXPECT_GT(lost, 0u) << mode << " " << app;
}

} // namespace

TEST(AccountingTest, VfDmaUdp)
{
    CheckMode("vf-dma", "udp");
}

TEST(AccountingTest, VfDmaOnOff)
{
    CheckMode("vf-dma", "onoff");
}

TEST(AccountingTest, VebUdp)
{
    CheckMode("veb", "udp");
}

TEST(AccountingTest, VebOnOff)
{
    CheckMode("veb", "onoff");
}

TEST(AccountingTest, VepaUdp)
{
    CheckMode("vepa", "udp");
}

TEST(AccountingTest, VepaOnOff)
{
    CheckMode("vepa", "onoff");
}

TEST(AccountingTest, VswitchKernelUdp)
{
    CheckMode("vswitch-kernel", "udp");
}

TEST(AccountingTest, VswitchKernelOnOff)
{
    CheckMode("vswitch-kernel", "onoff");
}

TEST(AccountingTest, VswitchDpdkUdp)
{
    CheckMode("vswitch-dpdk", "udp");
}

TEST(AccountingTest, VswitchDpdkOnOff)
{
    CheckMode("vswitch-dpdk", "onoff");
}

TEST(AccountingTest, VswitchOffloadUdp)
{
    CheckMode("vswitch-offload", "udp");
}

TEST(AccountingTest, VswitchOffloadOnOff)
{
    CheckMode("vswitch-offload", "onoff");
}

TEST(AccountingTest, OneBitPerSecondLinkHoldsItsFramesInQueueAndWire)
{
    // A 1 b/s cable between two hosts: the first frame is still on the wire at the end, the
    // cable's queue (100 frames) is full, the rest is dropped.
    std::string path = TestDir() + "accounting-1bps.dot";
    std::ofstream(path) << "graph t {\n"
                           "  h1 [kind=host, vms=1]; h2 [kind=host, vms=1];\n"
                           "  h1 -- h2 [rate=\"1bps\", delay=\"10ns\"];\n"
                           "}\n";
    for (const std::string& mode : Experiment::GetModes())
    {
        if (mode == "vepa")
        {
            continue; // no switch to reflect: vepa needs one
        }
        ExperimentOptions options;
        options.topologyFile = path;
        options.placement = Placement::CROSS_HOST;
        options.size = 512;
        options.load = "10Gbps";
        options.duration = MicroSeconds(100);
        Experiment e("test", options);
        e.Validate();
        RunRecord r = e.RunMode(mode);
        uint64_t held = CheckIdentity(r, mode + " 1bps");
        uint64_t rx = 0;
        for (const FlowRow& f : r.flows)
        {
            rx += f.rxFrames;
        }
        EXPECT_EQ(rx, 0u) << mode;
        EXPECT_EQ(CounterValue(r, "h1/uplink0", "wire_in_flight_at_end"), 1.0) << mode;
        EXPECT_EQ(CounterValue(r, "h1/uplink0", "tx_queue_backlog_at_end"), 100.0) << mode;
        EXPECT_GE(held, 101u) << mode;
    }
}
