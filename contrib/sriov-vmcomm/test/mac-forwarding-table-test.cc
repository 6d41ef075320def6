/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Tests of MacForwardingTable, the learning table of EthernetSwitch and VirtualSwitch: learning,
 * moves, aging, static entries, VLAN separation, group addresses.
 */
#include "ns3/mac-forwarding-table.h"

#include <gtest/gtest.h>

using namespace ns3;

namespace {

const Mac48Address A("02:00:00:00:00:0a");
const Mac48Address B("02:00:00:00:00:0b");

/** \return the port of \p a in \p vlan at \p now, or -1 if none is valid */
int64_t
PortOf(const MacForwardingTable& t, Mac48Address a, uint16_t vlan, Time now)
{
    uint32_t port = 12345;
    return t.Lookup(a, vlan, now, port) ? int64_t(port) : -1;
}

} // namespace

TEST(MacForwardingTable, LearnsRefreshesAndFollowsAMove)
{
    MacForwardingTable t(Seconds(300));
    EXPECT_EQ(PortOf(t, A, 1, Seconds(0)), -1);
    EXPECT_EQ(t.Learn(A, 1, 2, Seconds(0)), MacForwardingTable::LEARN_NEW);
    EXPECT_EQ(PortOf(t, A, 1, Seconds(1)), 2);
    EXPECT_EQ(PortOf(t, B, 1, Seconds(1)), -1);
    EXPECT_EQ(t.Learn(A, 1, 2, Seconds(2)), MacForwardingTable::LEARN_REFRESHED);
    EXPECT_EQ(t.Learn(A, 1, 3, Seconds(3)), MacForwardingTable::LEARN_NEW); // the station moved
    EXPECT_EQ(PortOf(t, A, 1, Seconds(3)), 3);
    EXPECT_EQ(t.GetNEntries(), 1u);
}

TEST(MacForwardingTable, LearnedEntriesAgeOutUnlessRefreshed)
{
    MacForwardingTable t(Seconds(1));
    EXPECT_EQ(t.GetAgingTime(), Seconds(1));
    t.Learn(A, 1, 4, Seconds(0));
    t.Learn(B, 1, 5, Seconds(0));
    t.Learn(B, 1, 5, MilliSeconds(800)); // seen again: valid until 1.8 s
    EXPECT_EQ(PortOf(t, A, 1, MilliSeconds(999)), 4);
    EXPECT_EQ(PortOf(t, A, 1, Seconds(1)), -1); // valid until, not including, its expiry
    EXPECT_EQ(PortOf(t, B, 1, MilliSeconds(1500)), 5);
    EXPECT_EQ(PortOf(t, B, 1, MilliSeconds(1800)), -1);
    EXPECT_EQ(t.GetNEntries(), 2u); // aged entries stay until relearned or removed
    EXPECT_EQ(t.Learn(A, 1, 4, Seconds(2)), MacForwardingTable::LEARN_NEW); // relearned
    EXPECT_EQ(PortOf(t, A, 1, Seconds(2)), 4);
    // A new aging time applies to entries learned from then on.
    t.SetAgingTime(Seconds(10));
    t.Learn(B, 1, 5, Seconds(2));
    EXPECT_EQ(PortOf(t, B, 1, Seconds(11)), 5);
    EXPECT_EQ(PortOf(t, A, 1, Seconds(11)), -1);
}

TEST(MacForwardingTable, ZeroAgingTimeLearnsNothingUsable)
{
    MacForwardingTable t(Time(0));
    EXPECT_EQ(t.Learn(A, 1, 1, Seconds(1)), MacForwardingTable::LEARN_NEW);
    EXPECT_EQ(PortOf(t, A, 1, Seconds(1)), -1);
}

TEST(MacForwardingTable, VlansAreSeparateTables)
{
    MacForwardingTable t;
    t.Learn(A, 10, 1, Seconds(0));
    t.Learn(A, 20, 2, Seconds(0));
    t.AddStaticEntry(B, MacForwardingTable::NO_VLAN, 7);
    EXPECT_EQ(PortOf(t, A, 10, Seconds(1)), 1);
    EXPECT_EQ(PortOf(t, A, 20, Seconds(1)), 2);
    EXPECT_EQ(PortOf(t, A, 30, Seconds(1)), -1);
    EXPECT_EQ(PortOf(t, A, MacForwardingTable::NO_VLAN, Seconds(1)), -1);
    EXPECT_EQ(PortOf(t, B, MacForwardingTable::NO_VLAN, Seconds(1)), 7);
    EXPECT_EQ(PortOf(t, B, 1, Seconds(1)), -1);
    // A move in one VLAN leaves the other alone.
    EXPECT_EQ(t.Learn(A, 10, 3, Seconds(2)), MacForwardingTable::LEARN_NEW);
    EXPECT_EQ(PortOf(t, A, 20, Seconds(2)), 2);
    EXPECT_TRUE(t.Remove(A, 10));
    EXPECT_FALSE(t.Remove(A, 10));
    EXPECT_EQ(PortOf(t, A, 10, Seconds(2)), -1);
    EXPECT_EQ(PortOf(t, A, 20, Seconds(2)), 2);
    EXPECT_EQ(t.GetNEntries(), 2u);
}

TEST(MacForwardingTable, StaticEntriesNeverAgeAndLearningLeavesThemAlone)
{
    MacForwardingTable t(Seconds(1));
    t.AddStaticEntry(A, 1, 6);
    EXPECT_EQ(t.Learn(A, 1, 9, Seconds(5)), MacForwardingTable::LEARN_IGNORED);
    EXPECT_EQ(PortOf(t, A, 1, Seconds(1000)), 6);
    t.Learn(B, 1, 2, Seconds(0));
    t.FlushLearned();
    EXPECT_EQ(PortOf(t, A, 1, Seconds(0)), 6);
    EXPECT_EQ(PortOf(t, B, 1, Seconds(0)), -1);
    EXPECT_EQ(t.GetNEntries(), 1u);
    // A static entry replaces a learned one.
    t.Learn(B, 1, 2, Seconds(0));
    t.AddStaticEntry(B, 1, 3);
    EXPECT_EQ(PortOf(t, B, 1, Seconds(1000)), 3);
    t.Clear();
    EXPECT_EQ(t.GetNEntries(), 0u);
}

TEST(MacForwardingTable, GroupAddressesAreNotLearned)
{
    MacForwardingTable t;
    EXPECT_EQ(t.Learn(Mac48Address::GetBroadcast(), 1, 1, Seconds(0)),
              MacForwardingTable::LEARN_IGNORED);
    EXPECT_EQ(t.Learn(Mac48Address("01:00:5e:00:00:01"), 1, 1, Seconds(0)),
              MacForwardingTable::LEARN_IGNORED);
    EXPECT_EQ(t.GetNEntries(), 0u);
    // but may be entered statically (a multicast group behind a port)
    t.AddStaticEntry(Mac48Address("01:00:5e:00:00:01"), 1, 4);
    EXPECT_EQ(PortOf(t, Mac48Address("01:00:5e:00:00:01"), 1, Seconds(0)), 4);
}

TEST(MacForwardingTableDeathTest, NegativeAgingTimeIsRefused)
{
    MacForwardingTable t;
    EXPECT_DEATH(t.SetAgingTime(Seconds(-1)), "negative aging time");
}
