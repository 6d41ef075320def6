/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Bad input to the programs, as users type it: each is refused with exit status 2 and one line
 * naming the option (or file), the value and what is allowed, before anything is written (no
 * database file is created).
 */
#include "ns3/command-line-check.h"
#include "ns3/results-db.h"
#include "test-dir.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

using namespace ns3;

namespace {

const std::string BIN = VMCOMM_BIN_DIR;
const std::string SRC = VMCOMM_SOURCE_DIR;

/** What a program run gave. */
struct Outcome
{
    int status;      //!< exit status, -1 if killed (a crash)
    std::string err; //!< stderr
};

/**
 * Run a program with arguments (no shell) and a 30 s limit.
 * \param argv program path and arguments
 * \param readOnlyBinding as root, without the capabilities to write read-only files
 * \return exit status and stderr
 */
Outcome
RunProgram(const std::vector<std::string>& argv, bool readOnlyBinding = false)
{
    const std::string errFile = TestDir() + "run.err";
    std::fflush(nullptr);
    const pid_t pid = fork();
    if (pid == 0)
    {
        const int out = ::open("/dev/null", O_WRONLY);
        const int err = ::open(errFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0666);
        dup2(out, STDOUT_FILENO);
        dup2(err, STDERR_FILENO);
        // Root writes read-only files: drop the capabilities that let it from the bounding set,
        // so the program exec'd next runs without them (still as root, so it reaches a clone in
        // /root, which another user could not).
        if (readOnlyBinding && geteuid() == 0
            && (prctl(PR_CAPBSET_DROP, CAP_DAC_OVERRIDE, 0, 0, 0) != 0
                || prctl(PR_CAPBSET_DROP, CAP_DAC_READ_SEARCH, 0, 0, 0) != 0))
        {
            _exit(99);
        }
        // A broken program (reading /dev/zero for ever) must fail, not take the machine.
        const rlimit memory{rlim_t(4) << 30, rlim_t(4) << 30};
        setrlimit(RLIMIT_AS, &memory);
        alarm(30);
        std::vector<char*> args;
        for (const auto& a : argv)
        {
            args.push_back(const_cast<char*>(a.c_str()));
        }
        args.push_back(nullptr);
        execv(args[0], args.data());
        _exit(98);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    std::ifstream in(errFile);
    Outcome o;
    o.err.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    o.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return o;
}

/** \return number of lines of text */
int
Lines(const std::string& text)
{
    return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

/**
 * Expect a program to refuse arguments: exit 2, one line containing every fragment, no db.
 * \param program program name in VMCOMM_BIN_DIR
 * \param args its arguments (a --db=... is added)
 * \param fragments what the message must name
 */
void
ExpectRefused(const std::string& program, const std::vector<std::string>& args,
              const std::vector<std::string>& fragments)
{
    const std::string db = TestDir() + "refused.db";
    std::filesystem::remove(db);
    std::vector<std::string> argv = {BIN + "/" + program};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.push_back("--db=" + db);
    const Outcome o = RunProgram(argv);
    std::string shown;
    for (const auto& a : args)
    {
        shown += a + " ";
    }
    EXPECT_EQ(o.status, 2) << program << " " << shown << "\n" << o.err;
    EXPECT_EQ(Lines(o.err), 1) << program << " " << shown << "\n" << o.err;
    for (const auto& f : fragments)
    {
        EXPECT_NE(o.err.find(f), std::string::npos)
            << program << " " << shown << ": message lacks '" << f << "':\n"
            << o.err;
    }
    EXPECT_FALSE(std::filesystem::exists(db)) << program << " " << shown << " created the db";
}

/** Write a DOT file into the scratch directory. \return its path */
std::string
Dot(const std::string& name, const std::string& text)
{
    const std::string path = TestDir() + name;
    std::ofstream(path) << text;
    return path;
}

TEST(Inputs, MalformedValuesAreRefusedNotAborted)
{
    for (const std::string program : {"scenario", "compare-modes"})
    {
        ExpectRefused(program, {"--duration=abc"}, {"--duration=abc", "a positive time"});
        ExpectRefused(program, {"--duration=5"}, {"--duration=5", "has no unit"});
        ExpectRefused(program, {"--RngRun=abc"}, {"--RngRun=abc", "integer 0.."});
        ExpectRefused(program, {"--RngRun=-1"}, {"--RngRun=-1", "integer 0.."});
        ExpectRefused(program, {"--RngSeed=0"}, {"--RngSeed=0", "integer 1.."});
        ExpectRefused(program, {"--ns3::X=abc"}, {"--ns3::X=abc", "ns3::Type::Attribute"});
        ExpectRefused(program, {"--ns3::Iommu::IotlbEntries=abc"},
                      {"--ns3::Iommu::IotlbEntries=abc", "uint32_t"});
        ExpectRefused(program, {"--vms=-1"}, {"--vms=-1", "integer 0..4294967295"});
        ExpectRefused(program, {"--size=1e3"}, {"--size=1e3", "integer"});
        ExpectRefused(program, {"--quiet=maybe"}, {"--quiet=maybe", "true, false"});
        ExpectRefused(program, {"--topology="}, {"--topology=", "needs a value"});
    }
    ExpectRefused("dma-bench", {"--RngSeed=0"}, {"--RngSeed=0", "integer 1.."});
    ExpectRefused("dma-bench", {"--RngRun=-1"}, {"--RngRun=-1", "integer 0.."});
    ExpectRefused("dma-bench", {"--ns3::PcieLink::Lanes=3"}, {"Lanes=3", "1, 2, 4, 8, 16, 32"});
}

TEST(Inputs, AttributeValuesOutOfRangeAreRefused)
{
    for (const std::string program : {"scenario", "dma-bench"})
    {
        ExpectRefused(program, {"--ns3::Iommu::IotlbEntries=0"},
                      {"--ns3::Iommu::IotlbEntries=0", "1:4294967295"});
        ExpectRefused(program, {"--ns3::PcieLink::Lanes=3"},
                      {"--ns3::PcieLink::Lanes=3", "one of 1, 2, 4, 8, 16, 32"});
        ExpectRefused(program, {"--ns3::PcieLink::Generation=9"},
                      {"--ns3::PcieLink::Generation=9", "1:5"});
        ExpectRefused(program, {"--ns3::PcieLink::MaxPayloadSize=300"},
                      {"MaxPayloadSize=300", "128, 256"});
    }
}

TEST(Inputs, AttributesThatConstrainEachOtherAreRefused)
{
    ExpectRefused("scenario", {"--ns3::Iommu::IotlbEntries=1"},
                  {"ns3::Iommu::IotlbWays=4 must divide ns3::Iommu::IotlbEntries=1"});
    ExpectRefused("scenario", {"--ns3::MemoryDomain::SizeBytes=5000"},
                  {"SizeBytes=5000 must be a multiple of ns3::MemoryDomain::PageSize=4096"});
    ExpectRefused("scenario", {"--ns3::MemoryDomain::AllocationBase=4294967295"},
                  {"AllocationBase=4294967295 must be below"});
    ExpectRefused("scenario", {"--ns3::Iommu::MaxConcurrentWalks=4294967295"},
                  {"MaxConcurrentWalks=4294967295", "1:65536"});
    ExpectRefused("scenario", {"--ns3::EthernetNetDevice::VlanId=0"}, {"VlanId=0", "1..4094"});
    ExpectRefused("scenario", {"--ns3::Iommu::FlushTimeout=0ns"}, {"FlushTimeout=0ns"});
    ExpectRefused("scenario", {"--ns3::MemoryDomain::PageSize=8192"},
                  {"PageSize=8192", "4096, 2097152 or 1073741824"});
}

TEST(Inputs, UnknownOptionsAreNamedInOneLine)
{
    ExpectRefused("scenario", {"--frame_size=64"}, {"unknown option --frame_size=64", "--size"});
    ExpectRefused("scenario", {"--ns3::Iommu::IotlbEntrys=8"},
                  {"--ns3::Iommu::IotlbEntrys=8", "no attribute IotlbEntrys", "IotlbEntries"});
    ExpectRefused("scenario", {"--ns3::NoSuchType::X=1"}, {"no ns-3 type ns3::NoSuchType"});
    ExpectRefused("scenario", {"stray"}, {"unexpected argument 'stray'"});
    ExpectRefused("compare-modes", {"--frame_size=64"}, {"unknown option --frame_size=64"});
}

TEST(Inputs, VmsAreBoundedByTheVfsOfTheNic)
{
    // --vms=4294967295 would hang building VMs; the NIC offers MaxVfs per PF.
    ExpectRefused("scenario", {"--vms=4294967295"},
                  {"--vms=4294967295", "allowed: 1..64", "ns3::SriovNic::MaxVfs=64"});
    ExpectRefused("scenario", {"--vms=65"}, {"--vms=65", "allowed: 1..64"});
    ExpectRefused("scenario", {"--vms=130", "--nics=2"}, {"--vms=130", "allowed: 1..128"});
    const std::string dot = Dot("many.dot", "graph { h1 [kind=host vms=100000]; }\n");
    ExpectRefused("scenario", {"--topology=" + dot},
                  {"many.dot", "\"h1\"", "vms=\"100000\"", "allowed: 1..64"});
    // A preset's NIC offers its own count.
    const std::string big
        = Dot("big.dot", "graph { h1 [kind=host vms=1025 nic=\"gen4x16-100g\"]; }\n");
    ExpectRefused("scenario", {"--topology=" + big}, {"vms=\"1025\"", "allowed: 1..1024"});
    // Software modes give VMs no VF: the bound there is the machine's memory.
    ExpectRefused("scenario", {"--vms=4294967295", "--mode=vswitch-kernel"},
                  {"4294967295 VMs x 128 KiB", "more than the machine has", "MemTotal"});
    // And the bound is the one in force: the attribute set on the command line.
    ExpectRefused("scenario", {"--vms=9", "--ns3::SriovNic::MaxVfs=8"}, {"allowed: 1..8"});
}

TEST(Inputs, VepaWithoutASwitchIsRefused)
{
    const std::string single = SRC + "/scenarios/topologies/single-host.dot";
    ExpectRefused("scenario", {"--mode=vepa", "--topology=" + single},
                  {"--mode=vepa", "single-host.dot", "reflective relay"});
    const std::string direct = Dot("direct.dot", "graph { h1 [kind=host]; h2 [kind=host]; "
                                                 "h1 -- h2; }\n");
    ExpectRefused("scenario", {"--mode=vepa", "--topology=" + direct},
                  {"--mode=vepa", "\"h1\"", "reflective relay"});
    ExpectRefused("compare-modes", {"--topology=" + single}, {"--mode=all", "reflective relay"});
    // Flows between hosts only: no frame needs reflecting, the run is valid.
    const Outcome o = RunProgram({BIN + "/scenario", "--mode=vepa", "--topology=" + direct,
                                  "--placement=cross-host", "--duration=20us", "--quiet"});
    EXPECT_EQ(o.status, 0) << o.err;
}

TEST(Inputs, TopologyFilesThatAreNoFiles)
{
    const std::string dir = TestDir() + "adir";
    std::filesystem::create_directories(dir);
    ExpectRefused("scenario", {"--topology=" + dir}, {"adir", "is a directory"});
    ExpectRefused("scenario", {"--topology=/dev/zero"}, {"/dev/zero", "is a device"});
    const Outcome o = RunProgram({BIN + "/topology-check", "/dev/zero"});
    EXPECT_EQ(o.status, 2) << o.err;
    EXPECT_NE(o.err.find("is a device"), std::string::npos) << o.err;
    // A pipe (20 MB here; it could be endless) is read up to the bound, no further.
    const std::string err = TestDir() + "pipe.err";
    const int status = std::system(("ulimit -v 4194304; yes 'graph {' | head -c 20000000 | " + BIN
                                    + "/scenario --topology=/dev/stdin 2>" + err + " >/dev/null")
                                       .c_str());
    std::ifstream in(err);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(WEXITSTATUS(status), 2) << text;
    EXPECT_NE(text.find("/dev/stdin: larger than 16 MiB"), std::string::npos) << text;
}

TEST(Inputs, NodeDeclaredTwiceIsRefused)
{
    const std::string dot
        = Dot("twice.dot", "graph {\n  h1 [kind=host];\n  s [kind=switch];\n  h1 -- s;\n"
                           "  h1 [kind=host vms=4];\n}\n");
    ExpectRefused("scenario", {"--topology=" + dot},
                  {"twice.dot", "node \"h1\"", "declared twice (lines 2 and 5)"});
    // Edges name nodes without declaring them again; quoted names are the same node.
    const std::string ok
        = Dot("once.dot", "graph {\n  \"h1\" [kind=host];\n  s [kind=switch];\n"
                          "  s2 [kind=switch];\n  h1 -- s [rate=\"10Gbps\"];\n  s -- \"s2\";\n}\n");
    const Outcome o = RunProgram({BIN + "/topology-check", ok});
    EXPECT_EQ(o.status, 0) << o.err;
}

TEST(Inputs, TopologyCheckAndScenarioAgreeOnNames)
{
    for (const std::string attr : {"nic", "vswitch"})
    {
        const std::string dot
            = Dot(attr + ".dot", "graph { h1 [kind=host " + attr + "=\"foo\"]; }\n");
        const Outcome check = RunProgram({BIN + "/topology-check", dot});
        EXPECT_EQ(check.status, 2) << check.err;
        EXPECT_NE(check.err.find(attr + "=\"foo\""), std::string::npos) << check.err;
        ExpectRefused("scenario", {"--topology=" + dot}, {attr + "=\"foo\"", "allowed"});
    }
}

TEST(Inputs, OutOfRangeNumbersSaySo)
{
    const std::string vms = Dot("vms.dot", "graph { h1 [kind=host vms=99999999999]; }\n");
    ExpectRefused("scenario", {"--topology=" + vms}, {"vms=\"99999999999\"", "out of range"});
    const std::string rate = Dot("rate.dot", "graph { h1 [kind=host]; h2 [kind=host]; "
                                             "h1 -- h2 [rate=\"1e30Gbps\"]; }\n");
    ExpectRefused("scenario", {"--topology=" + rate}, {"rate=\"1e30Gbps\"", "out of range"});
}

TEST(Inputs, ReadOnlyDatabaseIsRefusedBeforeSimulating)
{
    // An existing database the user may not write: refused at open, exit 2, file untouched.
    const std::string dir = TestDir() + "ro/";
    std::filesystem::create_directories(dir);
    const std::string db = dir + "results.db";
    {
        ResultsDb r(db);
    }
    std::filesystem::remove(db + "-wal");
    std::filesystem::remove(db + "-shm");
    chmod(db.c_str(), 0444);
    chmod(dir.c_str(), 0555);
    chmod(TestDir().c_str(), 0755);
    struct stat before;
    ASSERT_EQ(stat(db.c_str(), &before), 0);
    // As root a read-only file is writable: run without the capabilities that allow it.
    const Outcome o = RunProgram({BIN + "/scenario", "--db=" + db, "--quiet"}, true);
    struct stat after;
    ASSERT_EQ(stat(db.c_str(), &after), 0);
    chmod(dir.c_str(), 0755);
    EXPECT_EQ(o.status, 2) << o.err;
    EXPECT_EQ(Lines(o.err), 1) << o.err;
    EXPECT_NE(o.err.find("--db=" + db), std::string::npos) << o.err;
    EXPECT_NE(o.err.find("writable"), std::string::npos) << o.err;
    EXPECT_EQ(before.st_mtime, after.st_mtime);
    EXPECT_EQ(before.st_size, after.st_size);
    // The same check in dma-bench.
    const Outcome b
        = RunProgram({BIN + "/dma-bench", "--db=" + db, "--ops=10", "--warmup=10"}, true);
    EXPECT_EQ(b.status, 2) << b.err;
    EXPECT_NE(b.err.find("writable"), std::string::npos) << b.err;
}

TEST(Inputs, TimesReadBackExactly)
{
    Time t;
    std::string why;
    ASSERT_TRUE(CommandLineCheck::ParseTime("1500ns", &t, &why)) << why;
    EXPECT_EQ(CommandLineCheck::FormatTime(t), "1500ns");
    ASSERT_TRUE(CommandLineCheck::ParseTime("1.5us", &t, &why)) << why;
    EXPECT_EQ(t, NanoSeconds(1500));
    ASSERT_TRUE(CommandLineCheck::ParseTime("400ns", &t, &why)) << why;
    EXPECT_EQ(CommandLineCheck::FormatTime(t), "400ns");
    EXPECT_EQ(CommandLineCheck::FormatTime(MilliSeconds(1)), "1000000ns");
    EXPECT_FALSE(CommandLineCheck::ParseTime("5", &t, &why));
    EXPECT_FALSE(CommandLineCheck::ParseTime("0ms", &t, &why));
    EXPECT_FALSE(CommandLineCheck::ParseTime("1.5ns", &t, &why));
    EXPECT_FALSE(CommandLineCheck::ParseTime("-1ms", &t, &why));
}

} // namespace

TEST(Inputs, AttributeDefaultsFromTheEnvironmentAreRefused)
{
    // ns-3 would apply them behind the attribute system: run_params would not record them.
    ASSERT_EQ(std::getenv("NS_ATTRIBUTE_DEFAULT"), nullptr);
    // Unset again when the test ends, however it ends (the other tests of the process run after).
    struct UnsetOnExit
    {
        ~UnsetOnExit()
        {
            unsetenv("NS_ATTRIBUTE_DEFAULT");
        }
    } unset;
    setenv("NS_ATTRIBUTE_DEFAULT", "ns3::PcieLink::PropagationDelay=81ns", 1);
    for (const std::string program : {"scenario", "compare-modes", "dma-bench"})
    {
        ExpectRefused(program, {}, {"NS_ATTRIBUTE_DEFAULT", "--ns3::Type::Attribute=value"});
    }
}
