/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * ExperimentOptions and their command-line form: parsing into typed options, the checks that
 * need no topology (each naming its option), what run_params records, --list-options choices.
 */
#include "ns3/command-line-check.h"
#include "ns3/command-line.h"
#include "ns3/experiment-options.h"
#include "ns3/option-list.h"

#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;

namespace {

/** Parse \p args (without the program name) into options, from \p defaults. */
ExperimentOptions
Parse(std::vector<std::string> args, const ExperimentOptions& defaults = ExperimentOptions())
{
    CommandLine cmd("test");
    CommandLineCheck check("test");
    ExperimentCommandLine options(defaults);
    options.AddOptions(cmd, check);
    args.insert(args.begin(), "test");
    std::vector<char*> argv;
    for (std::string& a : args)
    {
        argv.push_back(a.data());
    }
    check.Check(argv.size(), argv.data());
    cmd.Parse(argv.size(), argv.data());
    return options.GetOptions();
}

/** \return the message of the ExperimentError \p f throws, or "" */
template<typename F>
std::string
ErrorOf(F f)
{
    try
    {
        f();
    }
    catch (const ExperimentError& e)
    {
        return e.what();
    }
    return "";
}

} // namespace

TEST(ExperimentOptionsTest, CommandLineGivesTypedOptions)
{
    const ExperimentOptions o
        = Parse({"--mode=vepa", "--traffic=incast", "--placement=cross-host", "--app=onoff",
                 "--size=512", "--duration=20us", "--nics=2", "--tcp-sndbuf=16384", "--quiet",
                 "--guest=dpdk", "--vswitch=vpp"});
    EXPECT_EQ(o.modes, std::vector<CommMode>{CommMode::VEPA});
    EXPECT_EQ(o.traffic, TrafficPattern::INCAST);
    EXPECT_EQ(o.placement, Placement::CROSS_HOST);
    EXPECT_EQ(o.app, TrafficApp::ONOFF);
    EXPECT_EQ(o.size, 512u);
    EXPECT_EQ(o.duration, MicroSeconds(20));
    EXPECT_EQ(o.nics, 2u);
    EXPECT_EQ(o.tcpSndBuf, 16384u);
    EXPECT_TRUE(o.quiet);
    EXPECT_EQ(o.guest, GuestKind::DPDK);
    EXPECT_EQ(Parse({}).guest, GuestKind::KERNEL); // what the programs ran before --guest
    EXPECT_EQ(o.vswitch, "vpp");
    EXPECT_EQ(Parse({}).vswitch, "default"); // the mode's profile
    // Nothing given: the defaults, compare-modes' every mode included.
    ExperimentOptions all;
    all.modes = GetCommModes();
    EXPECT_EQ(Parse({}, all).modes, GetCommModes());
    EXPECT_EQ(Parse({}).modes, std::vector<CommMode>{CommMode::VF_DMA});
    EXPECT_EQ(Parse({"--mode=all"}).modes, GetCommModes());
}

TEST(ExperimentOptionsTest, UnknownNamesAreRefusedWithTheAllowedOnes)
{
    EXPECT_EQ(ErrorOf(
                  []()
                  {
                      Parse({"--mode=carrier-pigeon"});
                  }),
              "--mode=carrier-pigeon: unknown mode; allowed: vf-dma|veb|vepa|vswitch-kernel|"
              "vswitch-dpdk|vswitch-offload, all");
    EXPECT_EQ(ErrorOf(
                  []()
                  {
                      Parse({"--traffic=x"});
                  }),
              "--traffic=x: allowed: pairs|all-to-all|incast|permutation");
    EXPECT_EQ(ErrorOf(
                  []()
                  {
                      Parse({"--placement=x"});
                  }),
              "--placement=x: allowed: same-host|cross-host");
    EXPECT_EQ(ErrorOf(
                  []()
                  {
                      Parse({"--app=x"});
                  }),
              "--app=x: allowed: udp|onoff|tcp");
    EXPECT_EQ(ErrorOf(
                  []()
                  {
                      Parse({"--guest=x"});
                  }),
              "--guest=x: allowed: kernel|dpdk");
    EXPECT_EQ(ErrorOf(
                  []()
                  {
                      Parse({"--vswitch=ovs-turbo"});
                  }),
              "--vswitch=ovs-turbo: allowed: ovs-kernel|ovs-dpdk|vpp|bess|default");
}

TEST(ExperimentOptionsTest, ValidateNamesTheOptionAndReturnsTheRate)
{
    ExperimentOptions o;
    EXPECT_EQ(ValidateOptions(o), DataRate("10Gbps"));
    o.load = "0.25";
    EXPECT_EQ(ValidateOptions(o), DataRate("25Gbps")); // of the 100 Gb/s line rate
    o.load = "1.5";
    EXPECT_NE(ErrorOf(
                  [&o]()
                  {
                      ValidateOptions(o);
                  })
                  .find("--load=1.5"),
              std::string::npos);
    o = ExperimentOptions();
    o.app = TrafficApp::TCP;
    o.size = 100;
    EXPECT_EQ(ErrorOf(
                  [&o]()
                  {
                      ValidateOptions(o);
                  }),
              "--size=100: allowed: 128..1518 bytes (Ethernet frame with FCS)");
    o = ExperimentOptions();
    o.nics = 9;
    EXPECT_EQ(ErrorOf(
                  [&o]()
                  {
                      ValidateOptions(o);
                  }),
              "--nics=9: allowed: 1..8");
    o = ExperimentOptions();
    o.duration = Time(0);
    EXPECT_NE(ErrorOf(
                  [&o]()
                  {
                      ValidateOptions(o);
                  })
                  .find("--duration"),
              std::string::npos);
    o = ExperimentOptions();
    o.lineRate = "fast";
    EXPECT_NE(ErrorOf(
                  [&o]()
                  {
                      ValidateOptions(o);
                  })
                  .find("--line-rate=fast"),
              std::string::npos);
}

TEST(ExperimentOptionsTest, RecordReadsBackAsTheSameOptions)
{
    ExperimentOptions o = Parse({"--traffic=permutation", "--duration=1500ns", "--load=0.5",
                                 "--guest=dpdk", "--vswitch=bess"});
    const std::map<std::string, std::string> r = ExperimentCommandLine::Record(o, "nfp6000-bdw");
    EXPECT_EQ(r.at("preset"), "nfp6000-bdw");
    EXPECT_EQ(r.at("traffic"), "permutation");
    EXPECT_EQ(r.at("duration"), CommandLineCheck::FormatTime(NanoSeconds(1500)));
    EXPECT_EQ(r.at("load"), "0.5");
    EXPECT_EQ(r.at("guest"), "dpdk");
    EXPECT_EQ(r.count("topology"), 0u); // the built-in rack
    std::vector<std::string> args;
    for (const char* name : {"traffic", "placement", "app", "guest", "vswitch", "size", "load",
                             "line-rate", "duration", "vms", "nics", "hosts"})
    {
        args.push_back("--" + std::string(name) + "=" + r.at(name));
    }
    const ExperimentOptions back = Parse(args);
    EXPECT_EQ(back.traffic, o.traffic);
    EXPECT_EQ(back.duration, o.duration);
    EXPECT_EQ(back.load, o.load);
    EXPECT_EQ(back.guest, GuestKind::DPDK);
    EXPECT_EQ(back.vswitch, "bess");
    EXPECT_EQ(ExperimentCommandLine::Record(back, "nfp6000-bdw"), r);
}

TEST(ExperimentOptionsTest, ListOptionsGivesTheChoices)
{
    CommandLine cmd("test");
    CommandLineCheck check("test");
    ExperimentCommandLine options{ExperimentOptions()};
    options.AddOptions(cmd, check);
    OptionList list("test", cmd);
    options.Describe(list);
    std::ostringstream os;
    list.Print(os);
    const std::string json = os.str();
    for (const char* want : {"\"vswitch-offload\"", "\"all\"", "\"permutation\"", "\"cross-host\"",
                             "\"onoff\"", "\"tcp-rcvbuf\""})
    {
        EXPECT_NE(json.find(want), std::string::npos) << want;
    }
}
