/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Topology data model, DOT reader, validation and routing.
 */
#include "leaf-spine-dot.h"
#include "ns3/topology-reader.h"
#include "ns3/topology.h"
#include "test-dir.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;
namespace fs = std::filesystem;

namespace {

/** The shipped topologies: scenarios/topologies of the repository (overridable). */
fs::path
TopologyDir()
{
    if (const char* dir = std::getenv("VMCOMM_TOPOLOGY_DIR"))
    {
        return dir;
    }
    return fs::path(VMCOMM_SOURCE_DIR) / "scenarios" / "topologies";
}

/** This process's scratch directory (test-dir.h removes it when the tests end). */
fs::path
TempDir()
{
    return TestDirPath();
}

/** Write text to a fresh file in a per-test temporary directory, return its path. */
std::string
WriteTemp(const std::string& name, const std::string& text)
{
    const fs::path dir = TempDir();
    fs::create_directories(dir);
    const fs::path path = dir / name;
    std::ofstream(path) << text;
    return path.string();
}

/**
 * Expect reading a file with this text to throw TopologyError whose message contains the file
 * name and every one of the fragments; return the message.
 */
std::string
ExpectError(const std::string& name, const std::string& text,
            const std::vector<std::string>& fragments)
{
    const std::string path = WriteTemp(name, text);
    try
    {
        TopologyReader::Read(path);
    }
    catch (const TopologyError& e)
    {
        const std::string msg = e.what();
        EXPECT_NE(msg.find(path), std::string::npos) << msg;
        EXPECT_EQ(e.GetSource(), path);
        for (const auto& f : fragments)
        {
            EXPECT_NE(msg.find(f), std::string::npos) << "missing \"" << f << "\" in: " << msg;
        }
        return msg;
    }
    ADD_FAILURE() << name << ": no TopologyError";
    return "";
}

/** Check that the routed path from a to b follows links and never transits a host. */
void
CheckPath(const Topology& t, int a, int b)
{
    const std::vector<int> path = t.Path(a, b);
    ASSERT_EQ(static_cast<int>(path.size()), t.HopCount(a, b) + 1);
    for (std::size_t i = 0; i + 1 < path.size(); ++i)
    {
        const int l = t.NextHopLink(path[i], b);
        ASSERT_GE(l, 0);
        EXPECT_EQ(t.GetLink(l).Other(path[i]), path[i + 1]);
        if (i > 0)
        {
            EXPECT_EQ(t.GetNode(path[i]).kind, Topology::SWITCH);
        }
        // Every hop gets one closer.
        EXPECT_EQ(t.HopCount(path[i + 1], b), t.HopCount(path[i], b) - 1);
    }
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Shipped files

TEST(TopologyFiles, EveryShippedFileLoadsAndRoutes)
{
    int count = 0;
    for (const auto& entry : fs::directory_iterator(TopologyDir()))
    {
        if (entry.path().extension() != ".dot")
        {
            continue;
        }
        ++count;
        SCOPED_TRACE(entry.path().string());
        Topology t = TopologyReader::Read(entry.path().string());
        EXPECT_NO_THROW(t.Validate());
        t.ComputeRoutes();
        for (int a : t.GetHosts())
        {
            for (int b : t.GetHosts())
            {
                CheckPath(t, a, b);
            }
        }
    }
    EXPECT_GE(count, 5);
}

TEST(TopologyFiles, Counts)
{
    struct Expected
    {
        const char* file;
        int hosts;
        int switches;
        int links;
        uint64_t vms;
        int maxHops;
    };

    const Expected expected[] = {
        {"single-host.dot", 1, 0, 0, 2, 0},     {"two-hosts.dot", 2, 1, 2, 4, 2},
        {"rack.dot", 16, 1, 16, 64, 2},         {"leaf-spine.dot", 128, 12, 128 + 32, 128 * 16, 4},
        {"fat-tree-k4.dot", 16, 20, 48, 32, 6},
    };
    for (const auto& e : expected)
    {
        SCOPED_TRACE(e.file);
        Topology t = TopologyReader::Read((TopologyDir() / e.file).string());
        EXPECT_EQ(t.GetNHosts(), e.hosts);
        EXPECT_EQ(t.GetNSwitches(), e.switches);
        EXPECT_EQ(t.GetNLinks(), e.links);
        EXPECT_EQ(t.GetNNodes(), e.hosts + e.switches);
        EXPECT_EQ(t.GetNVms(), e.vms);
        t.ComputeRoutes();
        EXPECT_EQ(t.GetMaxHostHops(), e.maxHops);
        // Hosts come first, in natural order: host ordinal == node index, h2 before h10.
        for (int i = 0; i < t.GetNHosts(); ++i)
        {
            EXPECT_EQ(t.GetHosts()[i], i);
            EXPECT_EQ(t.GetHostOrdinal(i), i);
            EXPECT_EQ(t.GetNode(i).name, "h" + std::to_string(i + 1));
        }
    }
}

TEST(TopologyFiles, AttributesAndDefaults)
{
    Topology t = TopologyReader::Read((TopologyDir() / "leaf-spine.dot").string());
    const auto& h1 = t.GetNode(t.FindNode("h1"));
    EXPECT_EQ(h1.kind, Topology::HOST);
    EXPECT_EQ(h1.vms, 16u);
    EXPECT_EQ(h1.nic, "default");
    EXPECT_EQ(h1.vswitch, "default");
    const auto& leaf = t.GetNode(t.FindNode("leaf1"));
    EXPECT_EQ(leaf.kind, Topology::SWITCH);
    EXPECT_EQ(leaf.buffer, "2MB");
    EXPECT_EQ(leaf.links.size(), 16u + 4u);
    const auto& up = t.GetLink(h1.links.at(0));
    EXPECT_EQ(up.rate.GetBitRate(), 100000000000ULL);
    EXPECT_EQ(up.delay, NanoSeconds(10));
    EXPECT_EQ(t.GetPort(t.FindNode("h1"), h1.links.at(0)), 0);

    Topology d = TopologyReader::ReadString("graph { a [kind=host, nic=\"nfp6000-bdw\"]; "
                                            "s [kind=switch, ports=8]; a -- s; }",
                                            "inline");
    const auto& l = d.GetLink(0);
    EXPECT_EQ(l.rateString, Topology::DEFAULT_RATE);
    EXPECT_EQ(l.rate.GetBitRate(), 100000000000ULL);
    EXPECT_EQ(l.delay, NanoSeconds(500));
    EXPECT_EQ(d.GetNode(d.FindNode("a")).vms, 2u);
    EXPECT_EQ(d.GetNode(d.FindNode("a")).nic, "nfp6000-bdw");
    EXPECT_EQ(d.GetNode(d.FindNode("s")).ports, 8u);
    EXPECT_EQ(d.FindNode("nope"), -1);
}

TEST(TopologyFiles, DefaultAttributeStatements)
{
    Topology t = TopologyReader::ReadString(
        "graph { s [kind=switch]; node [kind=host, vms=4]; edge [rate=\"25Gbps\"]; a; b; "
        "a -- s; b -- s [delay=\"1us\", comment=\"short cable\"]; }",
        "inline");
    EXPECT_EQ(t.GetNHosts(), 2);
    EXPECT_EQ(t.GetNode(0).vms, 4u);
    EXPECT_EQ(t.GetLink(1).rate.GetBitRate(), 25000000000ULL);
    EXPECT_EQ(t.GetLink(1).delay, MicroSeconds(1));
}

TEST(TopologyValues, EveryUnitNs3KnowsParses)
{
    DataRate rate;
    Time delay;
    std::string why;
    for (const char* unit :
         {"bps",   "b/s",   "Bps",  "B/s",   "kbps",  "kb/s", "Kbps",  "Kb/s", "kBps",
          "kB/s",  "KBps",  "KB/s", "Kib/s", "KiB/s", "Mbps", "Mb/s",  "MBps", "MB/s",
          "Mib/s", "MiB/s", "Gbps", "Gb/s",  "GBps",  "GB/s", "Gib/s", "GiB/s"})
    {
        EXPECT_TRUE(TopologyValues::ParseRate(std::string("2.5") + unit, &rate, &why))
            << unit << why;
    }
    EXPECT_TRUE(TopologyValues::ParseRate("25Gbps", &rate, &why));
    EXPECT_EQ(rate.GetBitRate(), 25000000000ULL);
    EXPECT_FALSE(TopologyValues::ParseRate("1e3Gbps", &rate, &why));
    EXPECT_FALSE(TopologyValues::ParseRate("99999999999Gbps", &rate, &why)); // would overflow
    EXPECT_FALSE(TopologyValues::ParseRate("", &rate, &why));
    for (const char* text : {"1s", "5ms", "2us", "500ns", "0ns", "1.5us", "1e3ns", "0.1min"})
    {
        EXPECT_TRUE(TopologyValues::ParseDelay(text, &delay, &why)) << text << why;
    }
    EXPECT_TRUE(TopologyValues::ParseDelay("1.5us", &delay, &why));
    EXPECT_EQ(delay, NanoSeconds(1500));
    EXPECT_FALSE(TopologyValues::ParseDelay("1h", &delay, &why)); // > 10 s
    EXPECT_FALSE(TopologyValues::ParseDelay("-0ns", &delay, &why));
    for (const char* text : {"1500B", "64kB", "64KB", "64KiB", "2MB", "2MiB", "1000p", "1kp", "1Kp",
                             "1Kip", "1Mp", "1Mip"})
    {
        EXPECT_TRUE(TopologyValues::CheckBuffer(text, &why)) << text << why;
    }
    for (const char* text : {"0p", "12", "1.5MB", "5000MiB", "1GB", "-1p"})
    {
        EXPECT_FALSE(TopologyValues::CheckBuffer(text, &why)) << text;
    }
    uint32_t n = 0;
    EXPECT_TRUE(TopologyValues::ParsePositiveInt("16", &n, &why));
    EXPECT_EQ(n, 16u);
    for (const char* text : {"0", "-2", "two", "", "1.5", "99999999999"})
    {
        EXPECT_FALSE(TopologyValues::ParsePositiveInt(text, &n, &why)) << text;
    }
}

// ---------------------------------------------------------------------------------------------
// Routing

TEST(TopologyRoutes, LeafSpineHopsAndPaths)
{
    Topology t = TopologyReader::Read((TopologyDir() / "leaf-spine.dot").string());
    t.ComputeRoutes();
    const int h1 = t.FindNode("h1");
    const int h2 = t.FindNode("h2");
    const int h17 = t.FindNode("h17"); // first host of leaf2

    EXPECT_EQ(t.HopCount(h1, h2), 2);
    std::vector<int> same = t.Path(h1, h2);
    ASSERT_EQ(same.size(), 3u);
    EXPECT_EQ(t.GetNode(same[1]).name, "leaf1");

    EXPECT_EQ(t.HopCount(h1, h17), 4);
    std::vector<int> far = t.Path(h1, h17);
    ASSERT_EQ(far.size(), 5u);
    EXPECT_EQ(t.GetNode(far[0]).kind, Topology::HOST);
    EXPECT_EQ(t.GetNode(far[1]).name, "leaf1");
    EXPECT_EQ(t.GetNode(far[2]).name.rfind("spine", 0), 0u);
    EXPECT_EQ(t.GetNode(far[3]).name, "leaf2");
    EXPECT_EQ(t.GetNode(far[4]).name, "h17");
    EXPECT_EQ(t.EqualCostLinks(t.FindNode("leaf1"), h17).size(), 4u);

    for (int a : t.GetHosts())
    {
        for (int b : t.GetHosts())
        {
            const bool sameLeaf = a / 16 == b / 16;
            EXPECT_EQ(t.HopCount(a, b), a == b ? 0 : (sameLeaf ? 2 : 4));
        }
        EXPECT_EQ(t.NextHopLink(a, a), -1);
        EXPECT_EQ(t.NextHopNode(a, a), -1);
    }
}

TEST(TopologyRoutes, TieBreakIsDeterministicAndSpreads)
{
    Topology t = TopologyReader::Read((TopologyDir() / "leaf-spine.dot").string());
    const int leaf1 = t.FindNode("leaf1");
    auto spinesUsed = [&](const Topology& topo)
    {
        std::set<int> used;
        for (int h : topo.GetHosts())
        {
            if (h >= 16)
            {
                used.insert(topo.NextHopNode(leaf1, h));
            }
        }
        return used;
    };

    t.ComputeRoutes(Topology::LOWEST_INDEX);
    std::set<int> lowest = spinesUsed(t);
    ASSERT_EQ(lowest.size(), 1u);
    EXPECT_EQ(t.GetNode(*lowest.begin()).name, "spine1");

    t.ComputeRoutes();                   // HASH_DESTINATION
    EXPECT_EQ(spinesUsed(t).size(), 4u); // 112 destinations spread over the 4 spines
    std::vector<int> first;
    for (int n = 0; n < t.GetNNodes(); ++n)
    {
        for (int h : t.GetHosts())
        {
            first.push_back(t.NextHopLink(n, h));
        }
    }
    Topology again = TopologyReader::Read((TopologyDir() / "leaf-spine.dot").string());
    again.ComputeRoutes();
    std::size_t i = 0;
    for (int n = 0; n < again.GetNNodes(); ++n)
    {
        for (int h : again.GetHosts())
        {
            ASSERT_EQ(again.NextHopLink(n, h), first[i++]);
        }
    }
}

TEST(TopologyRoutes, FatTreeHopCounts)
{
    Topology t = TopologyReader::Read((TopologyDir() / "fat-tree-k4.dot").string());
    t.ComputeRoutes();
    // Hosts h1..h16: two per edge switch, two edge switches (four hosts) per pod.
    for (int a : t.GetHosts())
    {
        for (int b : t.GetHosts())
        {
            int expected = 6;
            if (a == b)
            {
                expected = 0;
            }
            else if (a / 2 == b / 2)
            {
                expected = 2;
            }
            else if (a / 4 == b / 4)
            {
                expected = 4;
            }
            EXPECT_EQ(t.HopCount(a, b), expected) << a << " -> " << b;
        }
    }
    // From a core switch every host is 3 links away: core-agg-edge-host.
    EXPECT_EQ(t.HopCount(t.FindNode("core1"), t.FindNode("h16")), 3);
}

TEST(TopologyRoutes, InMemoryAndErrors)
{
    Topology t;
    const int a = t.AddHost("a");
    const int b = t.AddHost("b", 3);
    const int s = t.AddSwitch("s");
    t.AddLink(a, s);
    t.AddLink(b, s, "25Gbps", "1us");
    EXPECT_THROW(t.NextHopLink(a, b), std::logic_error);
    t.ComputeRoutes();
    EXPECT_EQ(t.NextHopNode(a, b), s);
    EXPECT_EQ(t.NextHopLink(s, b), 1);
    EXPECT_EQ(t.GetPort(s, 1), 1);
    EXPECT_THROW(t.NextHopLink(a, s), std::out_of_range); // s is not a host
    EXPECT_THROW(t.NextHopLink(7, a), std::out_of_range);
    t.AddHost("c");
    EXPECT_FALSE(t.HasRoutes());                    // adding invalidates
    EXPECT_THROW(t.ComputeRoutes(), TopologyError); // c has no link
    EXPECT_THROW(t.AddHost("a"), TopologyError);    // duplicate name
    EXPECT_THROW(t.AddLink(a, s, "fast"), TopologyError);
    EXPECT_THROW(t.AddLink(a, 99), TopologyError);
}

// ---------------------------------------------------------------------------------------------
// Malformed files: each names the file and the element

TEST(TopologyErrors, SyntaxErrorHasLine)
{
    ExpectError("syntax.dot",
                "graph {\n"
                "  h1 [kind=host];\n"
                "  s1 [kind=switch];\n"
                "  h1 -- s1 [rate=];\n"
                "}\n",
                {"line 4", "syntax error"});
    ExpectError("syntax-eof.dot", "graph {\n  h1 [kind=host];\n", {"line 2", "syntax error"});
    ExpectError("syntax-arrow.dot",
                "graph {\n  h1 [kind=host];\n  s1 [kind=switch];\n\n  h1 -> s1;\n}\n", {"line 5"});
}

TEST(TopologyErrors, Digraph)
{
    ExpectError("digraph.dot", "digraph { h1 [kind=host]; s1 [kind=switch]; h1 -> s1; }",
                {"graph", "digraph", "undirected"});
}

TEST(TopologyErrors, UnknownAttribute)
{
    ExpectError("unknown-node.dot",
                "graph { h1 [kind=host, colour=red]; s1 [kind=switch]; h1 -- s1; }",
                {"node \"h1\"", "unknown attribute colour=\"red\"", "allowed"});
    ExpectError("unknown-edge.dot",
                "graph { h1 [kind=host]; s1 [kind=switch]; h1 -- s1 [speed=\"1G\"]; }",
                {"edge \"h1 -- s1\"", "unknown attribute speed"});
    ExpectError("unknown-graph.dot", "graph { label=\"x\"; h1 [kind=host]; }",
                {"graph", "unknown attribute label"});
}

TEST(TopologyErrors, LinkToUndeclaredNode)
{
    ExpectError("missing-node.dot",
                "graph { h1 [kind=host]; s1 [kind=switch]; h1 -- s1; s1 -- s9; }",
                {"edge \"s1 -- s9\"", "node \"s9\" is not declared"});
}

TEST(TopologyErrors, Kind)
{
    ExpectError("no-kind.dot", "graph { h1 [kind=host]; lonely; }",
                {"node \"lonely\"", "kind is missing", "host or switch"});
    ExpectError("bad-kind.dot", "graph { h1 [kind=host]; r1 [kind=router]; h1 -- r1; }",
                {"node \"r1\"", "kind=\"router\"", "host or switch"});
    ExpectError("host-attr-on-switch.dot",
                "graph { h1 [kind=host]; s1 [kind=switch, vms=4]; h1 -- s1; }",
                {"node \"s1\"", "vms", "only allowed on hosts"});
    ExpectError("switch-attr-on-host.dot",
                "graph { h1 [kind=host, buffer=\"1MB\"]; s1 [kind=switch]; h1 -- s1; }",
                {"node \"h1\"", "buffer", "only allowed on switches"});
}

TEST(TopologyErrors, Vms)
{
    ExpectError("vms-negative.dot", "graph { h3 [kind=host, vms=-2]; }",
                {"node \"h3\"", "vms=\"-2\"", "integer >= 1"});
    ExpectError("vms-zero.dot", "graph { h3 [kind=host, vms=0]; }", {"node \"h3\"", ">= 1"});
    ExpectError("vms-text.dot", "graph { h3 [kind=host, vms=\"two\"]; }",
                {"node \"h3\"", "vms=\"two\""});
    ExpectError("nic-bad.dot", "graph { h3 [kind=host, nic=\"a b\"]; }",
                {"node \"h3\"", "nic=\"a b\"", "preset"});
}

TEST(TopologyErrors, Nics)
{
    ExpectError("nics-zero.dot", "graph { h3 [kind=host, nics=0]; }", {"node \"h3\"", ">= 1"});
    ExpectError("nics-many.dot", "graph { h3 [kind=host, nics=9]; }",
                {"node \"h3\"", "nics=\"9\"", "1..8"});
    ExpectError("nics-on-switch.dot",
                "graph { h1 [kind=host]; s1 [kind=switch, nics=2]; h1 -- s1; }",
                {"node \"s1\"", "nics", "only allowed on hosts"});
    Topology t = TopologyReader::Read(WriteTemp("nics.dot", "graph { h1 [kind=host, nics=2]; }"));
    EXPECT_EQ(t.GetNode(t.GetHosts()[0]).nics, 2u);
    Topology d = TopologyReader::Read(WriteTemp("nics-default.dot", "graph { h1 [kind=host]; }"));
    EXPECT_EQ(d.GetNode(d.GetHosts()[0]).nics, 0u) << "0: the program's --nics";
    EXPECT_EQ(d.GetNode(d.GetHosts()[0]).guest, "default") << "the program's --guest";
}

TEST(TopologyErrors, Guest)
{
    Topology t = TopologyReader::Read(
        WriteTemp("guest.dot", "graph { h1 [kind=host, guest=dpdk]; h2 [kind=host, "
                               "guest=\"kernel\"]; s [kind=switch]; h1 -- s; h2 -- s; }"));
    EXPECT_EQ(t.GetNode(t.FindNode("h1")).guest, "dpdk");
    EXPECT_EQ(t.GetNode(t.FindNode("h2")).guest, "kernel");
    ExpectError("guest-bad.dot", "graph { h3 [kind=host, guest=\"rtos\"]; }",
                {"node \"h3\"", "guest=\"rtos\"", "allowed: default, kernel, dpdk"});
    ExpectError("guest-on-switch.dot",
                "graph { h1 [kind=host]; s1 [kind=switch, guest=dpdk]; h1 -- s1; }",
                {"node \"s1\"", "guest", "only allowed on hosts"});
}

TEST(TopologyErrors, Rate)
{
    const std::string head = "graph { h1 [kind=host]; s1 [kind=switch]; h1 -- s1 [rate=\"";
    ExpectError("rate-negative.dot", head + "-5Gbps\"]; }", {"edge \"h1 -- s1\"", "-5Gbps", "> 0"});
    ExpectError("rate-zero.dot", head + "0Gbps\"]; }", {"edge \"h1 -- s1\"", "> 0"});
    ExpectError("rate-text.dot", head + "fast\"]; }", {"edge \"h1 -- s1\"", "rate=\"fast\""});
    ExpectError("rate-no-unit.dot", head + "100\"]; }", {"edge \"h1 -- s1\"", "no unit"});
    ExpectError("rate-bad-unit.dot", head + "100Gbs\"]; }",
                {"edge \"h1 -- s1\"", "unknown unit \"Gbs\"", "Gbps"});
}

TEST(TopologyErrors, Delay)
{
    const std::string head = "graph { h1 [kind=host]; s1 [kind=switch]; h1 -- s1 [delay=\"";
    ExpectError("delay-negative.dot", head + "-1ns\"]; }",
                {"edge \"h1 -- s1\"", "delay=\"-1ns\"", "negative", ">= 0"});
    ExpectError("delay-no-unit.dot", head + "500\"]; }", {"edge \"h1 -- s1\"", "no unit"});
    ExpectError("delay-bad-unit.dot", head + "5parsecs\"]; }", {"edge \"h1 -- s1\"", "unit"});
    // Zero delay is allowed.
    EXPECT_NO_THROW(TopologyReader::ReadString(head + "0ns\"]; }", "inline"));
}

TEST(TopologyErrors, Disconnected)
{
    ExpectError("disconnected.dot",
                "graph { h1 [kind=host]; h2 [kind=host]; h3 [kind=host]; h4 [kind=host];\n"
                "  s1 [kind=switch]; s2 [kind=switch];\n"
                "  h1 -- s1; h2 -- s1; h3 -- s2; h4 -- s2; }",
                {"node \"h3\"", "disconnected", "unreachable"});
}

TEST(TopologyErrors, DuplicateLink)
{
    ExpectError("duplicate.dot",
                "graph { h1 [kind=host]; s1 [kind=switch]; s2 [kind=switch]; h1 -- s1;\n"
                "  s1 -- s2; s2 -- s1; }",
                {"edge \"s2 -- s1\"", "duplicate link", "s1 -- s2"});
}

TEST(TopologyErrors, SelfLoop)
{
    ExpectError("self-loop.dot", "graph { h1 [kind=host]; s1 [kind=switch]; h1 -- s1; s1 -- s1; }",
                {"edge \"s1 -- s1\"", "self loop"});
}

TEST(TopologyErrors, HostLinks)
{
    ExpectError("host-no-link.dot",
                "graph { h1 [kind=host]; h2 [kind=host]; s1 [kind=switch]; h1 -- s1; }",
                {"node \"h2\"", "no link"});
    ExpectError("host-two-links.dot",
                "graph { h1 [kind=host]; s1 [kind=switch]; s2 [kind=switch];\n"
                "  h1 -- s1; h1 -- s2; s1 -- s2; }",
                {"node \"h1\"", "2 links", "exactly one link"});
    ExpectError("ports.dot",
                "graph { h1 [kind=host]; h2 [kind=host]; s1 [kind=switch, ports=1];\n"
                "  h1 -- s1; h2 -- s1; }",
                {"node \"s1\"", "ports=1"});
}

TEST(TopologyErrors, EmptyAndMissing)
{
    ExpectError("empty.dot", "graph { }", {"graph", "no nodes"});
    ExpectError("no-host.dot", "graph { s1 [kind=switch]; }", {"graph", "no host"});
    const std::string missing = WriteTemp("x.dot", "") + ".absent";
    try
    {
        TopologyReader::Read(missing);
        ADD_FAILURE() << "no error";
    }
    catch (const TopologyError& e)
    {
        EXPECT_NE(std::string(e.what()).find(missing), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("cannot open"), std::string::npos);
    }
}

// ---------------------------------------------------------------------------------------------
// Scale: about 1000 hosts

TEST(TopologyScale, ThousandHostLeafSpineFromFile)
{
    // Correctness only: the time it takes is measured by bench/bench-topology.cc.
    const std::string path = WriteTemp("leaf-spine-1008.dot", LeafSpineDot(4, 63, 16));
    Topology t = TopologyReader::Read(path);
    t.ComputeRoutes();
    EXPECT_EQ(t.GetNHosts(), 1008);
    EXPECT_EQ(t.GetNSwitches(), 67);
    EXPECT_EQ(t.GetNLinks(), 1008 + 63 * 4);
    EXPECT_EQ(t.GetMaxHostHops(), 4);
    EXPECT_EQ(t.HopCount(0, 1007), 4);
    EXPECT_EQ(t.HopCount(0, 15), 2);
    CheckPath(t, 0, 1007);
}

TEST(TopologyScale, ThousandHostInMemory)
{
    Topology t;
    const int spines = 4;
    const int leaves = 63;
    std::vector<int> spine;
    std::vector<int> leaf;
    for (int h = 0; h < leaves * 16; ++h)
    {
        t.AddHost("h" + std::to_string(h + 1), 16);
    }
    for (int s = 0; s < spines; ++s)
    {
        spine.push_back(t.AddSwitch("spine" + std::to_string(s + 1)));
    }
    for (int l = 0; l < leaves; ++l)
    {
        leaf.push_back(t.AddSwitch("leaf" + std::to_string(l + 1)));
        for (int j = 0; j < 16; ++j)
        {
            t.AddLink(l * 16 + j, leaf.back(), "100Gbps", "10ns");
        }
        for (int s : spine)
        {
            t.AddLink(leaf.back(), s, "400Gbps", "500ns");
        }
    }
    t.ComputeRoutes();
    EXPECT_EQ(t.GetNVms(), 1008u * 16);
    EXPECT_EQ(t.HopCount(spine[0], 500), 2);
    EXPECT_EQ(t.HopCount(17, 1000), 4);
}
