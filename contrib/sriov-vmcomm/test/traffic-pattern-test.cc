/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Traffic patterns (pairs same-host and cross-host, all-to-all, incast, permutation) on small
 * topologies, as pure functions of the VMs per host; their names; and the mode names.
 */
#include "ns3/comm-mode.h"
#include "ns3/experiment-options.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/traffic-pattern.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

using namespace ns3;

namespace {

std::vector<VmPair>
Make(const std::vector<uint32_t>& vms, TrafficPattern p, Placement pl = Placement::SAME_HOST)
{
    std::vector<VmPair> flows = MakeTrafficPattern(vms, p, pl, 1000);
    EXPECT_EQ(flows.size(), CountTrafficPattern(vms, p, pl)) << ToString(p) << " " << ToString(pl);
    return flows;
}

} // namespace

TEST(TrafficPatternTest, SameHostPairsAreNeighboursOnEachHost)
{
    // Host 0: VMs 0..4 (an odd one left out), host 1: VMs 5, 6.
    EXPECT_EQ(Make({5, 2}, TrafficPattern::PAIRS), (std::vector<VmPair>{{0, 1}, {2, 3}, {5, 6}}));
    EXPECT_TRUE(Make({1, 1}, TrafficPattern::PAIRS).empty());
}

TEST(TrafficPatternTest, CrossHostPairsJoinHostsTwoByTwo)
{
    // Hosts 0-1 paired (VMs 0,1,2 and 3,4: two pairs), host 2 (VMs 5, 6) has no partner.
    EXPECT_EQ(Make({3, 2, 2}, TrafficPattern::PAIRS, Placement::CROSS_HOST),
              (std::vector<VmPair>{{0, 3}, {1, 4}}));
    EXPECT_EQ(Make({1, 1, 1, 1}, TrafficPattern::PAIRS, Placement::CROSS_HOST),
              (std::vector<VmPair>{{0, 1}, {2, 3}}));
    EXPECT_TRUE(Make({4}, TrafficPattern::PAIRS, Placement::CROSS_HOST).empty());
}

TEST(TrafficPatternTest, AllToAllIsEveryOrderedPairOnce)
{
    const std::vector<VmPair> flows = Make({2, 1}, TrafficPattern::ALL_TO_ALL);
    EXPECT_EQ(flows, (std::vector<VmPair>{{0, 1}, {0, 2}, {1, 0}, {1, 2}, {2, 0}, {2, 1}}));
    EXPECT_TRUE(Make({1}, TrafficPattern::ALL_TO_ALL).empty());
    EXPECT_EQ(CountTrafficPattern({100, 100}, TrafficPattern::ALL_TO_ALL, Placement::SAME_HOST),
              200u * 199u);
}

TEST(TrafficPatternTest, IncastSendsEveryOtherVmToVmZero)
{
    EXPECT_EQ(Make({2, 2}, TrafficPattern::INCAST), (std::vector<VmPair>{{1, 0}, {2, 0}, {3, 0}}));
    EXPECT_TRUE(Make({1}, TrafficPattern::INCAST).empty());
    EXPECT_TRUE(Make({}, TrafficPattern::INCAST).empty());
}

TEST(TrafficPatternTest, PermutationIsADerangementFixedByItsStream)
{
    const uint32_t seed = RngSeedManager::GetSeed();
    const uint64_t run = RngSeedManager::GetRun();
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(1);
    for (const std::vector<uint32_t>& vms : std::vector<std::vector<uint32_t>>{{2}, {3, 4}, {7}})
    {
        const std::vector<VmPair> flows = Make(vms, TrafficPattern::PERMUTATION);
        uint32_t n = 0;
        for (uint32_t v : vms)
        {
            n += v;
        }
        ASSERT_EQ(flows.size(), n);
        std::set<uint32_t> receivers;
        for (uint32_t i = 0; i < n; ++i)
        {
            EXPECT_EQ(flows[i].first, i);
            EXPECT_NE(flows[i].second, i) << "VM " << i << " sends to itself";
            receivers.insert(flows[i].second);
        }
        EXPECT_EQ(receivers.size(), n) << "not a permutation";
        // Sattolo's algorithm gives one cycle: following it from VM 0 visits every VM.
        uint32_t v = 0;
        for (uint32_t k = 1; k < n; ++k)
        {
            v = flows[v].second;
            EXPECT_NE(v, 0u) << "a cycle shorter than " << n;
        }
        EXPECT_EQ(flows[v].second, 0u);
        // The same stream gives the same permutation; the pattern does not depend on history.
        EXPECT_EQ(MakeTrafficPattern(vms, TrafficPattern::PERMUTATION, Placement::SAME_HOST, 1000),
                  flows);
    }
    // Two VMs: the only derangement.
    EXPECT_EQ(Make({1, 1}, TrafficPattern::PERMUTATION), (std::vector<VmPair>{{0, 1}, {1, 0}}));
    EXPECT_TRUE(Make({1}, TrafficPattern::PERMUTATION).empty());
    RngSeedManager::SetSeed(seed);
    RngSeedManager::SetRun(run);
}

TEST(TrafficPatternTest, NamesParseBackAndUnknownNamesAreRefused)
{
    for (const std::string& name : GetTrafficPatternNames())
    {
        TrafficPattern p;
        ASSERT_TRUE(ParseTrafficPattern(name, &p));
        EXPECT_EQ(ToString(p), name);
    }
    for (const std::string& name : GetPlacementNames())
    {
        Placement p;
        ASSERT_TRUE(ParsePlacement(name, &p));
        EXPECT_EQ(ToString(p), name);
    }
    TrafficPattern p;
    EXPECT_FALSE(ParseTrafficPattern("pair", &p));
    Placement pl;
    EXPECT_FALSE(ParsePlacement("", &pl));
}

TEST(CommModeTest, NamesParseBackAndAllStandsForEveryMode)
{
    ASSERT_EQ(GetCommModes().size(), 6u);
    for (CommMode m : GetCommModes())
    {
        CommMode back;
        ASSERT_TRUE(ParseCommMode(ToString(m), &back));
        EXPECT_EQ(back, m);
        EXPECT_EQ(ParseModes(ToString(m)), std::vector<CommMode>{m});
        EXPECT_EQ(FormatModes({m}), ToString(m));
    }
    EXPECT_EQ(ParseModes("all"), GetCommModes());
    EXPECT_EQ(FormatModes(GetCommModes()), "all");
    EXPECT_THROW(ParseModes("carrier-pigeon"), ExperimentError);
    EXPECT_TRUE(IsSoftwareSwitched(CommMode::VSWITCH_KERNEL));
    EXPECT_TRUE(IsSoftwareSwitched(CommMode::VSWITCH_DPDK));
    EXPECT_FALSE(IsSoftwareSwitched(CommMode::VSWITCH_OFFLOAD));
    EXPECT_TRUE(NeedsReflectiveRelay(CommMode::VEPA));
    EXPECT_FALSE(NeedsReflectiveRelay(CommMode::VEB));
}
