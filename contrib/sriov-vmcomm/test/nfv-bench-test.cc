/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Tests of the NFV benchmark (experiment/nfv-bench-testbed.h, nfv-bench-program.h and the
 * nfv-bench program): the frame paths of the scenarios (a chain of N VNFs crosses the switch
 * N+1 times), bidirectional traffic sharing the switch's cores, late frames counting as lost,
 * the scenarios a mode cannot carry, and the program's output and input checks.
 */
#include "ns3/nfv-bench-program.h"
#include "ns3/nfv-bench-testbed.h"
#include "ns3/rfc2544-search.h"
#include "test-dir.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <map>
#include <string>

using namespace ns3;

namespace {

NfvBenchConfig
Config(NfvScenario s, CommMode m, uint32_t chain = 1)
{
    NfvBenchConfig c;
    c.scenario = s;
    c.mode = m;
    c.chain = chain;
    c.size = 64;
    c.trial = MilliSeconds(1);
    return c;
}

} // namespace

// Loopback: the generator's frame enters the host, crosses the switch into VNF 1, between each
// pair of VNFs, and out of VNF N: N+1 crossings. p2p, p2v and v2v cross it once.
TEST(NfvBench, ChainOfNVnfsCrossesTheSwitchNPlusOneTimes)
{
    for (uint32_t n : {1u, 2u, 4u})
    {
        const NfvTrialResult r
            = RunNfvTrial(Config(NfvScenario::LOOPBACK, CommMode::VSWITCH_DPDK, n), 0.5e6);
        EXPECT_EQ(r.offered, 500u) << n;
        EXPECT_EQ(r.received, r.offered) << n;
        EXPECT_EQ(r.switchForwards, r.offered * (n + 1)) << n;
    }
    for (NfvScenario s : {NfvScenario::P2P, NfvScenario::P2V, NfvScenario::V2V})
    {
        const NfvTrialResult r = RunNfvTrial(Config(s, CommMode::VSWITCH_KERNEL), 0.2e6);
        EXPECT_EQ(r.received, r.offered) << ToString(s);
        EXPECT_EQ(r.switchForwards, r.offered) << ToString(s);
    }
    // In a NIC mode every frame of the chain reaches the generator too (no software switch),
    // both ways (the generator starts once the VFs have posted their RX buffers).
    for (CommMode m : {CommMode::VF_DMA, CommMode::VEB, CommMode::VEPA, CommMode::VSWITCH_OFFLOAD})
    {
        NfvBenchConfig c = Config(NfvScenario::LOOPBACK, m, 3);
        c.bidirectional = true;
        const NfvTrialResult r = RunNfvTrial(c, 0.5e6);
        EXPECT_EQ(r.offered, 1000u) << ToString(m);
        EXPECT_EQ(r.received, r.offered) << ToString(m);
        EXPECT_GT(r.latency.GetMin(), Time(0)) << ToString(m);
    }
}

// The switch's one core serves both directions: at 0.4 of the uni-directional capacity per flow
// both flows pass, at 0.6 they do not, though 0.6 alone passes.
TEST(NfvBench, BidirectionalTrafficSharesTheSwitchCores)
{
    NfvBenchConfig c = Config(NfvScenario::P2P, CommMode::VSWITCH_DPDK);
    NfvSearchConfig s;
    s.resolution = 0.01;
    const NfvPointResult uni = RunNfvPoint(c, s, 0);
    ASSERT_GT(uni.rplusPps, 1e6);
    EXPECT_EQ(uni.trials, Rfc2544Search::MaxTrials(1, 0.01));
    auto passes = [&](bool bi, double rate)
    {
        c.bidirectional = bi;
        const NfvTrialResult r = RunNfvTrial(c, rate);
        return r.received == r.offered;
    };
    EXPECT_TRUE(passes(false, 0.6 * uni.rplusPps));
    EXPECT_TRUE(passes(true, 0.4 * uni.rplusPps));
    EXPECT_FALSE(passes(true, 0.6 * uni.rplusPps));
}

// p2p through a software switch uses the tester's two ports, as Zhang et al.'s: in by port 0,
// out by port 1, and the reverse flow the other way. At 1518 B the switch keeps up with the line,
// so each port's receive direction carries a flow at line rate: bidirectional carries twice
// unidirectional (one cable, both flows would share its one receive direction: 10 Gb/s in all).
TEST(NfvBench, BidirectionalP2pUsesBothPortsAtLineRate)
{
    NfvBenchConfig c = Config(NfvScenario::P2P, CommMode::VSWITCH_DPDK);
    c.size = 1518;
    NfvSearchConfig s;
    s.resolution = 0.01;
    // Frames/s of one 10 Gb/s port: preamble, SFD and inter-frame gap (20 B) around each frame.
    const double linePps = 10e9 / ((1518.0 + 20) * 8);
    const NfvPointResult uni = RunNfvPoint(c, s, 0);
    EXPECT_GT(uni.rplusPps, 0.98 * linePps);
    EXPECT_LE(uni.rplusPps, 1.0001 * linePps);
    c.bidirectional = true;
    const NfvPointResult bi = RunNfvPoint(c, s, 0);
    EXPECT_NEAR(bi.rplusPps, 2 * uni.rplusPps, 0.02 * uni.rplusPps);
    // Both flows at 0.99 of the line: every frame arrives.
    const NfvTrialResult r = RunNfvTrial(c, 0.99 * linePps);
    EXPECT_EQ(r.received, r.offered);
    EXPECT_EQ(r.switchForwards, r.offered);
}

// Loopback through the NIC's VFs uses the dual-port NIC as the paper's tester does: in by port 0,
// out by port 1, so the bidirectional point carries both flows at the line rate; a chain of two
// keeps the frames between the VNFs on one port's embedded switch (veb).
TEST(NfvBench, BidirectionalLoopbackThroughVfsUsesBothPorts)
{
    NfvBenchConfig c = Config(NfvScenario::LOOPBACK, CommMode::VF_DMA);
    c.size = 1518;
    NfvSearchConfig s;
    s.resolution = 0.01;
    const double linePps = 10e9 / ((1518.0 + 20) * 8);
    c.bidirectional = true;
    const NfvPointResult bi = RunNfvPoint(c, s, 0);
    EXPECT_GT(bi.rplusPps, 2 * 0.98 * linePps);
    EXPECT_LE(bi.rplusPps, 2 * 1.0001 * linePps);

    NfvBenchConfig veb = Config(NfvScenario::LOOPBACK, CommMode::VEB, 2);
    const NfvTrialResult r = RunNfvTrial(veb, 100000, true);
    EXPECT_EQ(r.received, r.offered);
    std::map<std::string, double> counter;
    for (const CounterRow& row : r.counters)
    {
        counter[row.component + " " + row.name] = row.value;
    }
    // VNF 1 to VNF 2 on port 0's embedded switch; out of port 1 to the generator.
    EXPECT_EQ(counter["dut/nic0 eswitch_frames"], double(r.offered));
    EXPECT_EQ(counter["dut/nic1 eswitch_frames"], 0);
    EXPECT_EQ(counter["dut/nic1 uplink_tx_frames"], double(r.offered));
    EXPECT_EQ(counter["dut/nic0 uplink_tx_frames"], 0);
    EXPECT_EQ(counter.count("dut/pcie1 up_bytes"), 0u); // one PCIe link
}

// The second port's PF is counted too: bidirectional p2p through the kernel switch interrupts
// both PFs (each receives one flow), unidirectional only the first.
TEST(NfvBench, CollectsBothPortsPfs)
{
    NfvBenchConfig c = Config(NfvScenario::P2P, CommMode::VSWITCH_KERNEL);
    auto interrupts = [&c]()
    {
        const NfvTrialResult r = RunNfvTrial(c, 50000, true);
        EXPECT_EQ(r.received, r.offered);
        double n = -1;
        for (const CounterRow& row : r.counters)
        {
            n = row.component == "dut/vf" && row.name == "interrupts" ? row.value : n;
        }
        return n;
    };
    const double uni = interrupts();
    ASSERT_GT(uni, 0);
    c.bidirectional = true;
    EXPECT_GT(interrupts(), 1.5 * uni);
}

// With collect, a point records the components as scenario runs do: at R+ the one DPDK core of
// the switch is busy, and nothing is dropped (R+ is loss-free).
TEST(NfvBench, CollectsTheComponentsAtRPlus)
{
    NfvSearchConfig s;
    s.resolution = 0.05;
    const NfvPointResult r
        = RunNfvPoint(Config(NfvScenario::P2V, CommMode::VSWITCH_DPDK), s, 0, true);
    ASSERT_GT(r.rplusPps, 0);
    double busy = -1;
    for (const CounterRow& c : r.components.counters)
    {
        busy = c.component == "dut/cpu" && c.name == "cores_busy" ? c.value : busy;
    }
    EXPECT_NEAR(busy, 1.0, 0.05);
    uint64_t drops = 0;
    for (const DropRow& d : r.components.drops)
    {
        drops += d.count;
    }
    EXPECT_EQ(drops, 0u);
    EXPECT_TRUE(RunNfvPoint(Config(NfvScenario::P2V, CommMode::VSWITCH_DPDK), s, 0)
                    .components.counters.empty());
}

// A rate a few percent above the path's capacity: the buffers hold the excess over a short
// trial, but the queue grows, and frames of the second half arrive late: lost.
TEST(NfvBench, LateFramesCountAsLost)
{
    NfvBenchConfig c = Config(NfvScenario::P2V, CommMode::VSWITCH_DPDK);
    NfvSearchConfig s;
    s.resolution = 0.01;
    const double rplus = RunNfvPoint(c, s, 0).rplusPps;
    const NfvTrialResult below = RunNfvTrial(c, 0.98 * rplus);
    EXPECT_EQ(below.late, 0u);
    EXPECT_EQ(below.received, below.offered);
    const NfvTrialResult above = RunNfvTrial(c, 1.03 * rplus);
    EXPECT_GT(above.late, 0u);
    EXPECT_LT(above.received, above.offered);
}

TEST(NfvBench, ScenariosAModeCannotCarry)
{
    for (CommMode m : GetCommModes())
    {
        const std::string why = CheckNfvSupport(Config(NfvScenario::P2P, m));
        EXPECT_EQ(why.empty(), IsSoftwareSwitched(m)) << ToString(m) << ": " << why;
        EXPECT_EQ(CheckNfvSupport(Config(NfvScenario::LOOPBACK, m, 4)), "") << ToString(m);
        // Every mode has the dual-port NIC: bidirectional loopback too.
        NfvBenchConfig bi = Config(NfvScenario::LOOPBACK, m, 1);
        bi.bidirectional = true;
        EXPECT_EQ(CheckNfvSupport(bi), "") << ToString(m);
    }
    // 64 VFs per port by default, the chain's hops split between the two ports: 63 VNFs fit
    // (63 VFs on each port), 64 do not (65 on port 0).
    EXPECT_EQ(CheckNfvSupport(Config(NfvScenario::LOOPBACK, CommMode::VEB, 63)), "");
    EXPECT_NE(CheckNfvSupport(Config(NfvScenario::LOOPBACK, CommMode::VEB, 64)), "");
    NfvScenario s;
    EXPECT_TRUE(ParseNfvScenario("loopback", &s));
    EXPECT_EQ(s, NfvScenario::LOOPBACK);
    EXPECT_FALSE(ParseNfvScenario("pvp", &s));
}

namespace {

/** Run nfv-bench with \p args; \return exit status, stdout and stderr in \p out. */
int
RunProgram(const std::string& args, std::string* out)
{
    const std::string cmd = "'" + std::string(VMCOMM_BIN_DIR) + "/nfv-bench' " + args + " 2>&1";
    FILE* f = popen(cmd.c_str(), "r");
    if (f == nullptr)
    {
        return -1;
    }
    char buf[4096];
    std::size_t n;
    out->clear();
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
    {
        out->append(buf, n);
    }
    const int status = pclose(f);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

} // namespace

TEST(NfvBenchProgram, PrintsOneJsonObjectWithTheKeys)
{
    ASSERT_EQ(access((std::string(VMCOMM_BIN_DIR) + "/nfv-bench").c_str(), X_OK), 0);
    std::string out;
    ASSERT_EQ(RunProgram("--scenario=loopback --chain=2 --mode=vswitch-dpdk --size=64 "
                         "--metric=latency --load-fraction=0.5 --trial=500us --resolution=0.02",
                         &out),
              0)
        << out;
    const char* keys[] = {"scenario",  "mode",          "vswitch",    "guest",         "size",
                          "direction", "chain",         "metric",     "load_fraction", "gbps_l1",
                          "mpps",      "lat_median_us", "lat_p99_us", "lat_p999_us"};
    std::size_t at = 0;
    for (const char* k : keys)
    {
        const std::size_t pos = out.find("\"" + std::string(k) + "\":", at);
        ASSERT_NE(pos, std::string::npos) << k << " in " << out;
        at = pos;
    }
    EXPECT_NE(out.find("\"chain\":2,"), std::string::npos) << out;
    EXPECT_NE(out.find("\"vswitch\":\"ovs-dpdk\""), std::string::npos) << out;
    EXPECT_NE(out.find("\"load_fraction\":0.5000"), std::string::npos) << out;
    EXPECT_EQ(out.find("null"), std::string::npos) << out; // latency point: everything measured
    ASSERT_EQ(RunProgram("--scenario=p2v --mode=veb --size=1518 --trial=200us", &out), 0) << out;
    EXPECT_NE(out.find("\"vswitch\":null,"), std::string::npos) << out;
    EXPECT_NE(out.find("\"chain\":null,"), std::string::npos) << out;
    EXPECT_NE(out.find("\"lat_median_us\":null,"), std::string::npos) << out;
    EXPECT_NE(out.find("\"gbps_l1\":10.0000,"), std::string::npos) << out; // 10GbE line rate
}

TEST(NfvBenchProgram, BadInputExits2)
{
    const struct
    {
        const char* args;
        const char* says;
    } cases[] = {
        {"--scenario=pvp", "--scenario=pvp: allowed values are p2p, p2v, v2v, loopback"},
        {"--scenario=p2p --mode=veb", "embedded switch"},
        {"--scenario=p2v --chain=2", "only --scenario=loopback"},
        {"--scenario=loopback --chain=0", "--chain=0: allowed: 1..16"},
        {"--mode=vf-dma --vswitch=ovs-dpdk", "switches in the NIC"},
        {"--mode=vswitch-dpdk --vswitch=bogus", "--vswitch=bogus: allowed values are"},
        {"--mode=vswitch-dpdk --vswitch=default --scenario=pvp", "--scenario=pvp"},
        {"--guest=windows", "--guest=windows: allowed values are dpdk, kernel"},
        {"--size=63", "--size=63: allowed: 64..1518"},
        {"--direction=both", "--direction=both"},
        {"--metric=jitter", "--metric=jitter"},
        {"--load-fraction=1.5", "--load-fraction=1.5"},
        {"--resolution=0", "--resolution=0"},
        {"--bogus=1", "bogus"},
    };
    for (const auto& c : cases)
    {
        std::string out;
        EXPECT_EQ(RunProgram(c.args, &out), 2) << c.args << "\n" << out;
        EXPECT_NE(out.find(c.says), std::string::npos) << c.args << "\n" << out;
        EXPECT_EQ(out.find('{'), std::string::npos) << c.args << "\n" << out;
    }
}
