/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Runs replay from their run_params alone: every program that writes a database runs into one,
 * the replay recipe of doc/results.md (run here as it is written there) rebuilds each run's
 * command line from run_params and runs it into a second database, and the two hold the same
 * rows (wall-clock counters excepted).
 */
#include "ns3/results-db.h"
#include "test-dir.h"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;

namespace {

const std::string BIN = VMCOMM_BIN_DIR;
const std::string SRC = VMCOMM_SOURCE_DIR;

/** \return the shell block of doc/results.md after the "replay recipe" marker */
std::string
Recipe()
{
    std::ifstream in(SRC + "/contrib/sriov-vmcomm/doc/results.md");
    std::string line;
    bool marker = false;
    bool inBlock = false;
    std::string block;
    while (std::getline(in, line))
    {
        if (!marker)
        {
            marker = line.find("<!-- replay recipe") != std::string::npos;
            continue;
        }
        if (!inBlock)
        {
            inBlock = line.rfind("```", 0) == 0;
            continue;
        }
        if (line.rfind("```", 0) == 0)
        {
            return block;
        }
        block += line + "\n";
    }
    return "";
}

/** Quote for the shell. */
std::string
Quote(const std::string& s)
{
    std::string out = "'";
    for (char c : s)
    {
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return out + "'";
}

/** Run a shell command; \return its exit status, with stderr in \p err. */
int
Shell(const std::string& cmd, std::string* err)
{
    const std::string errFile = TestDir() + "replay.err";
    const int status = std::system(("(" + cmd + ") >/dev/null 2>" + errFile).c_str());
    std::ifstream in(errFile);
    err->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/** \return the rows of a query as text lines, one cell after another */
std::vector<std::string>
Rows(const std::string& db, const std::string& sql)
{
    ResultsDb r(db);
    std::vector<std::string> out;
    for (const auto& row : r.Query(sql))
    {
        std::ostringstream line;
        line.precision(17);
        for (const auto& cell : row)
        {
            switch (cell.type)
            {
                case ResultsDb::Cell::TEXT:
                    line << cell.text;
                    break;
                case ResultsDb::Cell::INTEGER:
                    line << cell.i;
                    break;
                case ResultsDb::Cell::REAL:
                    line << cell.d;
                    break;
                default:
                    line << "NULL";
            }
            line << "|";
        }
        out.push_back(line.str());
    }
    return out;
}

/**
 * The rows a replay must reproduce for one run. Wall-clock counters measure the machine.
 * \param db database
 * \param run run id
 * \return one list per table
 */
std::vector<std::vector<std::string>>
RunRows(const std::string& db, int64_t run)
{
    const std::string id = std::to_string(run);
    return {
        Rows(db,
             "SELECT scenario, topology, mode, rng_seed, rng_run, sim_seconds, status FROM runs "
             "WHERE id = "
                 + id),
        Rows(db,
             "SELECT flow_id, src, dst, src_host, dst_host, same_host, tx_frames, tx_bytes, "
             "rx_frames, rx_bytes, dropped, throughput_bps, lat_mean_ns, lat_p50_ns, lat_p99_ns, "
             "lat_p999_ns, lat_max_ns FROM flows WHERE run_id = "
                 + id + " ORDER BY flow_id"),
        Rows(db, "SELECT component, name, value FROM counters WHERE run_id = " + id
                     + " AND NOT (component = 'experiment' AND name LIKE '%wall_seconds') "
                       "ORDER BY component, name"),
        Rows(db, "SELECT component, reason, count FROM drops WHERE run_id = " + id
                     + " ORDER BY component, reason"),
        Rows(db, "SELECT flow_id, lo_ns, hi_ns, count FROM latency_hist WHERE run_id = " + id
                     + " ORDER BY flow_id, lo_ns"),
        Rows(db, "SELECT name, value FROM run_params WHERE run_id = " + id + " ORDER BY name"),
        Rows(db, "SELECT component, name, value FROM component_params WHERE run_id = " + id
                     + " ORDER BY component, name"),
    };
}

/**
 * Run a program into a database, replay each of its runs with the recipe, compare.
 * \param program program in VMCOMM_BIN_DIR
 * \param args its arguments
 * \param runs how many runs it writes
 */
void
ExpectReplays(const std::string& name, const std::string& program, const std::string& args,
              int runs)
{
    const std::string recipe = Recipe();
    ASSERT_FALSE(recipe.empty()) << "no replay recipe in doc/results.md";
    const std::string db = TestDir() + name + ".db";
    std::filesystem::remove(db);
    std::string err;
    ASSERT_EQ(Shell(BIN + "/" + program + " " + args + " --db=" + db, &err), 0) << err;
    const auto ids = Rows(db, "SELECT id FROM runs ORDER BY id");
    ASSERT_EQ(static_cast<int>(ids.size()), runs);
    for (const auto& idText : ids)
    {
        const int64_t run = std::stoll(idText);
        const std::string out = TestDir() + name + "-replay" + std::to_string(run) + ".db";
        std::filesystem::remove(out);
        ASSERT_EQ(Shell("DB=" + Quote(db) + " RUN=" + std::to_string(run) + " BIN=" + Quote(BIN)
                            + " OUT=" + Quote(out) + " bash -c "
                            + Quote("set -eo pipefail\n" + recipe),
                        &err),
                  0)
            << program << " run " << run << ": the replay failed:\n"
            << err;
        const auto original = RunRows(db, run);
        const auto replayed = RunRows(out, 1);
        const char* tables[] = {"runs",         "flows",      "counters",        "drops",
                                "latency_hist", "run_params", "component_params"};
        if (program != "dma-bench")
        {
            // Traffic flowed: else equal rows would prove little.
            const auto sent = Rows(db, "SELECT sum(rx_frames) FROM flows WHERE run_id = "
                                           + std::to_string(run));
            EXPECT_GT(std::stoll(sent.at(0)), 0) << program << " " << args << ": no frames";
        }
        for (std::size_t t = 0; t < original.size(); ++t)
        {
            EXPECT_EQ(original[t], replayed[t])
                << program << " " << args << ": run " << run << ", table " << tables[t];
        }
    }
}

TEST(Replay, ScenarioFromRunParamsAlone)
{
    // Sub-microsecond times (stored as 0.000001 s before), attributes of the model and of
    // ns-3 set on the command line, a double, a non-default seed and run.
    ExpectReplays("scenario", "scenario",
                  "--quiet --duration=21500ns --RngRun=3 --RngSeed=7 --size=400 --load=0.3 "
                  "--ns3::Iommu::IotlbEntries=32 --ns3::VfNetDevice::GuestRxCost=123ns "
                  "--ns3::VirtualSwitch::ClockGHz=2.345678901234 --traffic=permutation --vms=5",
                  1);
}

TEST(Replay, ScenarioWithTopologyAndTcp)
{
    ExpectReplays("tcp", "scenario",
                  "--quiet --topology=" + SRC
                      + "/scenarios/topologies/two-hosts.dot --placement=cross-host "
                        "--mode=vepa --app=tcp --duration=100us",
                  1);
}

TEST(Replay, CompareModesEveryModeFromRunParamsAlone)
{
    ExpectReplays("compare", "compare-modes",
                  "--quiet --mode=all --size=256 --duration=15us --load=0.5", 6);
}

TEST(Replay, CompareModesOnOffFromRunParamsAlone)
{
    // On-off sources draw their bursts from random streams: each mode's, run after others in
    // one process, must draw what it draws alone.
    ExpectReplays("onoff", "compare-modes",
                  "--quiet --mode=all --size=256 --duration=1ms --app=onoff --load=0.2", 6);
}

TEST(Replay, DmaBenchFromRunParamsAlone)
{
    ExpectReplays("dma", "dma-bench",
                  "--op=rw --size=64,256 --window=4KiB --iommu=on --metric=lat --ops=200 "
                  "--warmup=50 --RngRun=2",
                  2);
}

} // namespace
