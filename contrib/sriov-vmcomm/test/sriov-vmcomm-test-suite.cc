/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The module's GoogleTest cases (test/NAME-test.cc) as an ns-3 TestSuite, for ./test.py inside an
 * ns-3 source tree (./test.py -s sriov-vmcomm). Each GoogleTest case runs in a child process of
 * its own, as ctest runs them in the standalone build, so no case sees another's global state;
 * the suite fails if any case fails and names those that did (their output is above it).
 */
#include "ns3/test.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace {

/** Runs every GoogleTest case linked into the module's test library. */
class GoogleTestCases : public ns3::TestCase
{
  public:
    GoogleTestCases()
        : TestCase("GoogleTest cases, one child process each")
    {
    }

  private:
    void DoRun() override
    {
        // argv[0] is this program: "threadsafe" death tests re-execute it (DeathTestChild below).
        std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
        int argc = 1;
        char* argv[] = {self.data(), nullptr};
        ::testing::InitGoogleTest(&argc, argv);
        std::vector<std::string> names;
        const ::testing::UnitTest& unit = *::testing::UnitTest::GetInstance();
        for (int i = 0; i < unit.total_test_suite_count(); ++i)
        {
            const ::testing::TestSuite& suite = *unit.GetTestSuite(i);
            for (int j = 0; j < suite.total_test_count(); ++j)
            {
                names.push_back(std::string(suite.name()) + "." + suite.GetTestInfo(j)->name());
            }
        }
        NS_TEST_ASSERT_MSG_GT(names.size(), 0, "no GoogleTest case linked into the suite");
        std::string failed;
        for (const std::string& name : names)
        {
            std::fflush(nullptr);
            const pid_t pid = ::fork();
            NS_TEST_ASSERT_MSG_NE(pid, -1, "fork failed for " << name);
            if (pid == 0)
            {
                ::testing::GTEST_FLAG(filter) = name;
                const int rc = RUN_ALL_TESTS();
                std::fflush(nullptr);
                ::_exit(rc == 0 ? 0 : 1);
            }
            int status = 0;
            ::waitpid(pid, &status, 0);
            if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            {
                failed += " " + name;
            }
        }
        NS_TEST_ASSERT_MSG_EQ(failed, "", "GoogleTest cases failed:" << failed);
    }
};

/**
 * A "threadsafe" death test re-executes the program with GoogleTest's flags: in that child, run
 * the one death test GoogleTest asks for before the program's own main (ns-3's test runner, which
 * does not know these flags) sees them. This file is the last of the test library's sources, so
 * the GoogleTest cases of the others are registered when this runs.
 */
struct DeathTestChild
{
    DeathTestChild()
    {
        std::ifstream file("/proc/self/cmdline", std::ios::binary);
        std::vector<std::string> args;
        for (std::string arg; std::getline(file, arg, '\0');)
        {
            args.push_back(arg);
        }
        bool child = false;
        for (const std::string& arg : args)
        {
            child = child || arg.rfind("--gtest_internal_run_death_test", 0) == 0;
        }
        if (!child)
        {
            return;
        }
        std::vector<char*> argv;
        for (std::string& arg : args)
        {
            argv.push_back(arg.data());
        }
        argv.push_back(nullptr);
        int argc = static_cast<int>(args.size());
        ::testing::InitGoogleTest(&argc, argv.data());
        std::exit(RUN_ALL_TESTS());
    }
};

/** Runs before main (see DeathTestChild). */
DeathTestChild g_deathTestChild;

/** The module's test suite: ./test.py -s sriov-vmcomm. */
class SriovVmcommTestSuite : public ns3::TestSuite
{
  public:
    SriovVmcommTestSuite()
        : TestSuite("sriov-vmcomm", UNIT)
    {
        AddTestCase(new GoogleTestCases(), TestCase::QUICK);
    }
};

/** The suite's instance, registered with ns-3's test runner. */
SriovVmcommTestSuite g_sriovVmcommTestSuite;

} // namespace
