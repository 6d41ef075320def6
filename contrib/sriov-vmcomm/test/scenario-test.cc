/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The scenario program as users run it: bad input, reproducibility, concurrent writers, kills.
 */
#include "ns3/results-db.h"
#include "test-dir.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

using namespace ns3;

namespace {

const std::string BIN = VMCOMM_BIN_DIR;
const std::string SRC = VMCOMM_SOURCE_DIR;

/** Run a shell command; \return its exit status; stderr goes to \p err. */
int
Shell(const std::string& cmd, std::string* err = nullptr)
{
    // One file per process: ctest runs the test cases of this file in parallel.
    std::string errFile = TestDir() + "shell.err";
    int status = std::system((cmd + " >/dev/null 2>" + errFile).c_str());
    if (err)
    {
        std::ifstream in(errFile);
        err->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string
Temp(const std::string& name)
{
    std::string path = TestDir() + name;
    std::remove(path.c_str());
    std::remove((path + "-wal").c_str());
    std::remove((path + "-shm").c_str());
    return path;
}

int64_t
Count(const std::string& db, const std::string& table)
{
    ResultsDb r(db);
    return r.Query("SELECT COUNT(*) FROM " + table)[0][0].i;
}

/** The flow rows of a database as text, without run ids and wall-clock columns. */
std::string
FlowRows(const std::string& db)
{
    ResultsDb r(db);
    std::string out;
    for (const auto& row : r.Query("SELECT flow_id, src, dst, tx_frames, rx_frames, rx_bytes, "
                                   "lat_mean_ns, lat_p50_ns, lat_p99_ns, lat_max_ns FROM flows "
                                   "ORDER BY run_id, flow_id"))
    {
        for (const auto& cell : row)
        {
            out += (cell.type == ResultsDb::Cell::TEXT ? cell.text
                                                       : std::to_string(cell.d + cell.i))
                 + " ";
        }
        out += "\n";
    }
    return out;
}

} // namespace

TEST(ScenarioTest, MalformedTopologiesExitTwoNameTheProblemAndWriteNothing)
{
    struct Case
    {
        const char* name;
        const char* dot;
        const char* expect; // in the message
    };
    const Case cases[] = {
        {"syntax", "graph g { h1 [kind=host; }", "line"},
        {"unknown-attribute", "graph g { h1 [kind=host, colour=red]; }", "colour"},
        {"missing-node", "graph g { h1 [kind=host]; s1 [kind=switch]; h1 -- s1; s1 -- s9; }", "s9"},
        {"negative-rate",
         "graph g { h1 [kind=host]; h2 [kind=host]; s1 [kind=switch];"
         " h1 -- s1 [rate=\"-5Gbps\"]; h2 -- s1; }",
         "rate"},
        {"disconnected",
         "graph g { h1 [kind=host]; h2 [kind=host]; s1 [kind=switch]; s2 [kind=switch];"
         " h1 -- s1; h2 -- s2; }",
         "connected"},
    };
    for (const Case& c : cases)
    {
        std::string dot = TestDir() + "bad-" + c.name + ".dot";
        std::ofstream(dot) << c.dot << "\n";
        std::string db = Temp(std::string("bad-") + c.name + ".db");
        std::string err;
        int status = Shell(BIN + "/scenario --topology=" + dot + " --db=" + db, &err);
        EXPECT_EQ(status, 2) << c.name << ": " << err;
        EXPECT_NE(err.find(dot), std::string::npos) << c.name << ": " << err;
        EXPECT_NE(err.find(c.expect), std::string::npos) << c.name << ": " << err;
        // No database, or one without a row.
        if (access(db.c_str(), F_OK) == 0)
        {
            EXPECT_EQ(Count(db, "runs"), 0) << c.name;
        }
    }
}

TEST(ScenarioTest, BadOptionValuesExitTwo)
{
    std::string db = Temp("bad-option.db");
    std::string err;
    EXPECT_EQ(Shell(BIN + "/scenario --mode=teleport --db=" + db, &err), 2);
    EXPECT_NE(err.find("--mode=teleport"), std::string::npos) << err;
    EXPECT_EQ(Shell(BIN + "/scenario --size=9000 --db=" + db, &err), 2);
    EXPECT_NE(err.find("--size=9000"), std::string::npos) << err;
    EXPECT_EQ(access(db.c_str(), F_OK), -1) << "a refused run created its database";
}

TEST(ScenarioTest, SameRngRunGivesIdenticalFlowRows)
{
    std::string common = BIN + "/scenario --topology=" + SRC
                       + "/scenarios/topologies/rack.dot --traffic=permutation --load=0.02"
                         " --duration=200us --quiet";
    std::string a = Temp("rng-a.db");
    std::string b = Temp("rng-b.db");
    std::string c = Temp("rng-c.db");
    ASSERT_EQ(Shell(common + " --RngRun=5 --db=" + a), 0);
    ASSERT_EQ(Shell(common + " --RngRun=5 --db=" + b), 0);
    ASSERT_EQ(Shell(common + " --RngRun=6 --db=" + c), 0);
    EXPECT_GT(Count(a, "flows"), 0);
    EXPECT_EQ(FlowRows(a), FlowRows(b));
    EXPECT_NE(FlowRows(a), FlowRows(c)) << "another run number, another permutation";
}

TEST(ScenarioTest, TwoProcessesWritingOneDatabaseLoseNothing)
{
    std::string db = Temp("two-writers.db");
    std::string cmd = BIN + "/compare-modes --duration=200us --quiet --db=" + db;
    pid_t pids[2];
    for (pid_t& pid : pids)
    {
        pid = fork();
        if (pid == 0)
        {
            execl("/bin/sh", "sh", "-c", cmd.c_str(), nullptr);
            _exit(127);
        }
    }
    for (pid_t pid : pids)
    {
        int status = 0;
        waitpid(pid, &status, 0);
        EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    // compare-modes writes one run per mode.
    ResultsDb r(db);
    int64_t modes = r.Query("SELECT COUNT(DISTINCT mode) FROM runs")[0][0].i;
    EXPECT_GE(modes, 3);
    EXPECT_EQ(Count(db, "runs"), 2 * modes);
}

/** \return user + system CPU time of process \p pid in clock ticks (-1 if unreadable). */
static long
CpuTicks(pid_t pid)
{
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const std::size_t close = text.rfind(')');
    if (close == std::string::npos)
    {
        return -1;
    }
    std::istringstream fields(text.substr(close + 2));
    std::string field;
    long utime = 0;
    long stime = 0;
    for (int i = 3; i <= 15 && fields >> field; ++i)
    {
        if (i == 14)
        {
            utime = std::stol(field);
        }
        else if (i == 15)
        {
            stime = std::stol(field);
        }
    }
    return utime + stime;
}

TEST(ScenarioTest, KilledRunLeavesNothingHalfWritten)
{
    std::string db = Temp("killed.db");
    // First a finished run, then one killed in the middle of its simulation.
    ASSERT_EQ(Shell(BIN + "/scenario --duration=100us --quiet --db=" + db), 0);
    std::string cmd = BIN + "/scenario --topology=" + SRC
                    + "/scenarios/topologies/rack.dot --traffic=all-to-all --load=0.01"
                      " --duration=1s --quiet --db="
                    + db;
    pid_t pid = fork();
    if (pid == 0)
    {
        execl("/bin/sh", "sh", "-c", ("exec " + cmd).c_str(), nullptr);
        _exit(127);
    }
    // Kill it once it has used a second of CPU (well inside its simulation, whatever the
    // machine's speed), and only if it is still running: a run that finished proves nothing.
    int status = 0;
    bool exited = false;
    for (int i = 0; i < 600 && CpuTicks(pid) < sysconf(_SC_CLK_TCK); ++i)
    {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        if (waitpid(pid, &status, WNOHANG) == pid)
        {
            exited = true;
            break;
        }
    }
    ASSERT_FALSE(exited) << "the run ended before it could be killed: make it longer";
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFSIGNALED(status));
    EXPECT_EQ(Count(db, "runs"), 1);
    EXPECT_EQ(Count(db, "flows"), 1);
}

TEST(ScenarioTest, EveryShippedSweepsPointsAreAcceptedByItsProgram)
{
    // The first point of each sweep in scenarios/sweeps, as the sweep runner would start it,
    // with 1 us of traffic (nfv-bench: 20 us trials): a misspelt option or value in a shipped spec
    // fails here, not in a user's sweep.
    std::vector<std::string> specs;
    for (const auto& entry : std::filesystem::directory_iterator(SRC + "/scenarios/sweeps"))
    {
        if (entry.path().extension() == ".toml")
        {
            specs.push_back(entry.path().string());
        }
    }
    ASSERT_GE(specs.size(), 4u);
    for (const std::string& spec : specs)
    {
        std::string db = Temp("shipped-sweep.db");
        std::string list = Temp("shipped-sweep.points");
        ASSERT_EQ(Shell("(/usr/bin/python3 " + SRC + "/analysis/sweep.py " + spec
                        + " --dry-run --build-dir=" + BIN + "/.. --db=" + db + " > " + list + ")"),
                  0)
            << spec;
        std::ifstream in(list);
        std::string first;
        std::getline(in, first);
        ASSERT_NE(first.find(BIN), std::string::npos) << spec << ": " << first;
        std::string err;
        // nfv-bench has trials instead of a duration: a short one, a coarse search.
        const std::string quick = first.find("/nfv-bench ") != std::string::npos
                                    ? " --trial=20us --resolution=0.5"
                                    : " --duration=1us --quiet=true";
        EXPECT_EQ(Shell(first + quick, &err), 0) << first << "\n" << err;
        EXPECT_EQ(Count(db, "runs"), 1) << spec;
        std::remove(list.c_str());
    }
}
