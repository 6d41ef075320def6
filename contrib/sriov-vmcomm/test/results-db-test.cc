/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "ns3/results-db.h"
#include "test-dir.h"
#include "test-util.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

using namespace ns3;

namespace {

/// A fresh database file name for the running test, removed (with WAL files) on destruction.
class TempDb
{
  public:
    /** \param suffix tells apart the files of one test */
    explicit TempDb(const std::string& suffix = "")
    {
        const auto* info = testing::UnitTest::GetInstance()->current_test_info();
        m_path = TestDir() + info->test_suite_name() + "-" + info->name() + suffix + ".sqlite";
        Remove();
    }

    ~TempDb()
    {
        Remove();
    }

    const std::string& Path() const
    {
        return m_path;
    }

  private:
    void Remove() const
    {
        for (const char* suffix : {"", "-wal", "-shm", "-journal"})
        {
            std::remove((m_path + suffix).c_str());
        }
    }

    std::string m_path;
};

/// A run with a row in every table.
RunRecord
MakeRun(const std::string& point = "")
{
    RunRecord r;
    if (!point.empty())
    {
        r.point = point;
    }
    r.scenario = "two-vms";
    r.topology = "scenarios/topologies/one-host.dot";
    r.mode = "vf-dma";
    r.rngSeed = 3;
    r.rngRun = 7;
    r.version = "0.1.0";
    r.startedAt = ResultsDb::NowIso8601();
    r.wallSeconds = 1.25;
    r.simSeconds = 0.1;
    r.params = {{"ns3::UdpSocket::RcvBufSize", "131072"}, {"packetSize", "1500"}};

    LatencyHistogram h;
    for (int64_t v = 1000; v < 2000; ++v)
    {
        h.RecordNs(v);
    }
    FlowRow f;
    f.flowId = 1;
    f.src = "vm0";
    f.dst = "vm1";
    f.srcHost = "host0";
    f.dstHost = "host0";
    f.sameHost = true;
    f.txFrames = 1000;
    f.txBytes = 1500000;
    f.rxFrames = 998;
    f.rxBytes = 1497000;
    f.dropped = 2;
    f.throughputBps = 9.4e9 / 3.0; // not exactly representable in decimal
    f.SetLatency(h);
    r.flows.push_back(f);
    f.flowId = 2;
    f.dstHost = "host1";
    f.sameHost = false;
    r.flows.push_back(f);

    r.drops = {{"host0/nic0/vf1", "rx-ring-full", 2}, {"host0/nic0/vf1", "no-mapping", 0}};
    r.counters = {{"host0/iommu", "iotlb_hits", 123}, {"host0/pcie0", "up_utilization", 0.4}};
    r.histograms.emplace_back(1, h);
    r.histograms.emplace_back(-1, h);
    return r;
}

int64_t
Count(ResultsDb& db, const std::string& table)
{
    return db.Query("SELECT count(*) FROM " + table).at(0).at(0).i;
}

} // namespace

TEST(ResultsDb, CreatesSchemaVersion3)
{
    TempDb tmp;
    ResultsDb db(tmp.Path());
    EXPECT_EQ(db.GetSchemaVersion(), 3);
    EXPECT_EQ(db.Query("PRAGMA journal_mode").at(0).at(0).text, "wal");
    std::map<std::string, std::string> objects;
    for (const auto& row : db.Query("SELECT name, type FROM sqlite_master"))
    {
        objects[row.at(0).text] = row.at(1).text;
    }
    for (const char* t :
         {"runs", "run_params", "flows", "drops", "counters", "component_params", "latency_hist"})
    {
        EXPECT_EQ(objects[t], "table") << t;
    }
    EXPECT_EQ(objects["flow_results"], "view");
    EXPECT_EQ(Count(db, "runs"), 0);
    // Opening again does not re-create anything.
    ResultsDb again(tmp.Path());
    EXPECT_EQ(again.GetSchemaVersion(), 3);
}

/// The schema file is read by both writers: the database analysis/vmcomm_db.py creates is the one
/// ResultsDb creates, object for object (sqlite_master) and version.
TEST(ResultsDb, SchemaEqualsThePythonTools)
{
    TempDb tmp;
    const std::string pyPath = tmp.Path() + "-python.sqlite";
    for (const char* suffix : {"", "-wal", "-shm"})
    {
        std::remove((pyPath + suffix).c_str());
    }
    const std::string cmd = "PYTHONPATH='" VMCOMM_SOURCE_DIR "/analysis' /usr/bin/python3 -c "
                            "'import sys, vmcomm_db; vmcomm_db.connect(sys.argv[1]).close()' '"
                          + pyPath + "'";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
    const std::string objects = "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name";
    auto dump = [&](ResultsDb& db)
    {
        std::vector<std::string> out;
        for (const auto& row : db.Query(objects))
        {
            out.push_back(row.at(0).text + " " + row.at(1).text + " " + row.at(2).text + "\n"
                          + row.at(3).text);
        }
        out.push_back("user_version " + std::to_string(db.GetSchemaVersion()));
        return out;
    };
    ResultsDb cxx(tmp.Path());
    ResultsDb py(pyPath);
    const auto cxxObjects = dump(cxx);
    // 7 tables, their 7 key indexes, 1 index, 1 view, the version
    EXPECT_EQ(cxxObjects.size(), 17u);
    EXPECT_EQ(cxxObjects, dump(py));
    for (const char* suffix : {"", "-wal", "-shm"})
    {
        std::remove((pyPath + suffix).c_str());
    }
}

TEST(ResultsDb, WriteRunReadsBackEqual)
{
    TempDb tmp;
    ResultsDb db(tmp.Path());
    const RunRecord r = MakeRun("sweep/a=1");
    const int64_t id = db.WriteRun(r);
    EXPECT_GT(id, 0);

    auto runs = db.Query("SELECT id, point, scenario, topology, mode, rng_seed, rng_run, "
                         "version, started_at, wall_seconds, sim_seconds, status, message "
                         "FROM runs");
    ASSERT_EQ(runs.size(), 1U);
    const auto& run = runs[0];
    EXPECT_EQ(run[0].i, id);
    EXPECT_EQ(run[1].text, "sweep/a=1");
    EXPECT_EQ(run[2].text, r.scenario);
    EXPECT_EQ(run[3].text, r.topology);
    EXPECT_EQ(run[4].text, r.mode);
    EXPECT_EQ(run[5].i, 3);
    EXPECT_EQ(run[6].i, 7);
    EXPECT_EQ(run[7].text, "0.1.0");
    EXPECT_EQ(run[8].text, r.startedAt);
    EXPECT_EQ(run[8].text.size(), 20U); // YYYY-MM-DDTHH:MM:SSZ
    EXPECT_EQ(run[9].d, 1.25);
    EXPECT_EQ(run[10].d, 0.1);
    EXPECT_EQ(run[11].text, "ok");
    EXPECT_TRUE(run[12].IsNull()); // empty message is NULL

    auto params = db.Query("SELECT name, value FROM run_params WHERE run_id = ?1 ORDER BY name",
                           {std::to_string(id)});
    ASSERT_EQ(params.size(), 2U);
    EXPECT_EQ(params[0][0].text, "ns3::UdpSocket::RcvBufSize");
    EXPECT_EQ(params[0][1].text, "131072");
    EXPECT_EQ(params[1][0].text, "packetSize");

    auto flows = db.Query("SELECT flow_id, src, dst, src_host, dst_host, same_host, tx_frames, "
                          "tx_bytes, rx_frames, rx_bytes, dropped, throughput_bps, lat_mean_ns, "
                          "lat_p50_ns, lat_p99_ns, lat_p999_ns, lat_max_ns FROM flows "
                          "ORDER BY flow_id");
    ASSERT_EQ(flows.size(), 2U);
    for (std::size_t k = 0; k < 2; ++k)
    {
        const FlowRow& f = r.flows[k];
        const auto& row = flows[k];
        EXPECT_EQ(row[0].i, f.flowId);
        EXPECT_EQ(row[1].text, f.src);
        EXPECT_EQ(row[2].text, f.dst);
        EXPECT_EQ(row[3].text, f.srcHost);
        EXPECT_EQ(row[4].text, f.dstHost);
        EXPECT_EQ(row[5].i, f.sameHost ? 1 : 0);
        EXPECT_EQ(row[6].i, 1000);
        EXPECT_EQ(row[7].i, 1500000);
        EXPECT_EQ(row[8].i, 998);
        EXPECT_EQ(row[9].i, 1497000);
        EXPECT_EQ(row[10].i, 2);
        EXPECT_EQ(row[11].d, f.throughputBps); // bit-exact: REAL is an IEEE double
        EXPECT_EQ(row[12].d, f.latMeanNs);
        EXPECT_EQ(row[13].d, f.latP50Ns);
        EXPECT_EQ(row[14].d, f.latP99Ns);
        EXPECT_EQ(row[15].d, f.latP999Ns);
        EXPECT_EQ(row[16].d, f.latMaxNs);
    }
    EXPECT_DOUBLE_EQ(flows[0][12].d, 1499.5);
    EXPECT_EQ(flows[0][16].d, 1999);

    auto drops = db.Query("SELECT component, reason, count FROM drops ORDER BY reason");
    ASSERT_EQ(drops.size(), 2U);
    EXPECT_EQ(drops[0][1].text, "no-mapping");
    EXPECT_EQ(drops[1][0].text, "host0/nic0/vf1");
    EXPECT_EQ(drops[1][2].i, 2);

    auto counters = db.Query("SELECT component, name, value FROM counters ORDER BY component");
    ASSERT_EQ(counters.size(), 2U);
    EXPECT_EQ(counters[0][1].text, "iotlb_hits");
    EXPECT_EQ(counters[0][2].d, 123);
    EXPECT_EQ(counters[1][2].d, 0.4);

    const auto buckets = r.histograms[0].second.GetBuckets();
    for (const char* flowId : {"1", "-1"})
    {
        auto hist = db.Query("SELECT lo_ns, hi_ns, count FROM latency_hist WHERE flow_id = ?1 "
                             "ORDER BY lo_ns",
                             {flowId});
        ASSERT_EQ(hist.size(), buckets.size());
        int64_t total = 0;
        for (std::size_t k = 0; k < hist.size(); ++k)
        {
            EXPECT_EQ(hist[k][0].d, buckets[k].loNs);
            EXPECT_EQ(hist[k][1].d, buckets[k].hiNs);
            EXPECT_EQ(hist[k][2].i, static_cast<int64_t>(buckets[k].count));
            total += hist[k][2].i;
        }
        EXPECT_EQ(total, 1000);
    }

    auto view = db.Query("SELECT mode, point, flow_id FROM flow_results ORDER BY flow_id");
    ASSERT_EQ(view.size(), 2U);
    EXPECT_EQ(view[0][0].text, "vf-dma");
}

TEST(ResultsDb, FailedWriteLeavesNothing)
{
    TempDb tmp;
    ResultsDb db(tmp.Path());
    RunRecord r = MakeRun("p1");
    r.flows.push_back(r.flows.front()); // duplicate flow_id: PRIMARY KEY violation
    try
    {
        db.WriteRun(r);
        FAIL() << "duplicate flow_id was accepted";
    }
    catch (const std::runtime_error& e)
    {
        EXPECT_NE(std::string(e.what()).find("UNIQUE constraint failed"), std::string::npos)
            << e.what();
    }
    for (const char* t :
         {"runs", "run_params", "flows", "drops", "counters", "component_params", "latency_hist"})
    {
        EXPECT_EQ(Count(db, t), 0) << t;
    }
    EXPECT_FALSE(db.HasPoint("p1", false));

    // An invalid status is refused by the CHECK constraint, equally without a trace.
    RunRecord bad = MakeRun();
    bad.status = "maybe";
    EXPECT_THROW(db.WriteRun(bad), std::runtime_error);
    EXPECT_EQ(Count(db, "runs"), 0);

    // The connection is still usable afterwards.
    EXPECT_GT(db.WriteRun(MakeRun("p1")), 0);
    EXPECT_EQ(Count(db, "runs"), 1);
    EXPECT_EQ(Count(db, "flows"), 2);
}

// Version 3 only added component_params: a version-2 file is upgraded in place, its runs kept,
// its schema then the one a new file gets; version 1 (other flow columns) is refused.
TEST(ResultsDb, UpgradesSchema2InPlace)
{
    TempDb fresh("-fresh");
    TempDb tmp;
    {
        ResultsDb db(tmp.Path());
        db.WriteRun(MakeRun("p1"));
        db.Query("DROP TABLE component_params");
        db.Query("PRAGMA user_version = 2");
    }
    ResultsDb db(tmp.Path());
    EXPECT_EQ(db.GetSchemaVersion(), 3);
    EXPECT_EQ(Count(db, "runs"), 1);
    EXPECT_EQ(Count(db, "component_params"), 0);
    EXPECT_GT(db.WriteRun(MakeRun("p2")), 0);
    const std::string schema = "SELECT type, name, sql FROM sqlite_master ORDER BY name";
    ResultsDb newFile(fresh.Path());
    const auto rows = db.Query(schema);
    const auto expected = newFile.Query(schema);
    ASSERT_EQ(rows.size(), expected.size());
    for (std::size_t i = 0; i < rows.size(); ++i)
    {
        for (std::size_t c = 0; c < 3; ++c)
        {
            EXPECT_EQ(rows[i].at(c).text, expected[i].at(c).text) << i << " " << c;
        }
    }
    {
        TempDb old("-v1");
        {
            ResultsDb v1(old.Path());
            v1.Query("PRAGMA user_version = 1");
        }
        EXPECT_THROW(ResultsDb(old.Path()), std::runtime_error);
    }
}

TEST(ResultsDb, RefusesNewerSchema)
{
    TempDb tmp;
    {
        ResultsDb db(tmp.Path());
        db.Query("PRAGMA user_version = 4");
    }
    try
    {
        ResultsDb db(tmp.Path());
        FAIL() << "schema 4 was accepted";
    }
    catch (const std::runtime_error& e)
    {
        EXPECT_EQ(
            std::string(e.what()),
            "results database " + tmp.Path()
                + " was written by a newer sriov-vmcomm (schema 4, this build reads up to 3)");
    }
}

TEST(ResultsDb, RefusesForeignFiles)
{
    TempDb tmp;
    {
        ResultsDb db(tmp.Path());
        db.Query("PRAGMA user_version = 0");
    }
    EXPECT_THROW(ResultsDb{tmp.Path()}, std::runtime_error); // tables but no version
    {
        FILE* f = std::fopen(tmp.Path().c_str(), "w");
        ASSERT_NE(f, nullptr);
        std::fputs("this is not an SQLite database, just some text that is long enough.......", f);
        std::fclose(f);
        std::remove((tmp.Path() + "-wal").c_str());
        std::remove((tmp.Path() + "-shm").c_str());
    }
    EXPECT_THROW(ResultsDb{tmp.Path()}, std::runtime_error);
}

TEST(ResultsDb, PointIsWrittenOnce)
{
    TempDb tmp;
    ResultsDb db(tmp.Path());
    EXPECT_FALSE(db.HasPoint("a"));
    const int64_t first = db.WriteRun(MakeRun("a"));
    EXPECT_TRUE(db.HasPoint("a"));
    RunRecord again = MakeRun("a");
    again.mode = "veb";
    EXPECT_EQ(db.WriteRun(again), first);
    EXPECT_EQ(Count(db, "runs"), 1);
    EXPECT_EQ(Count(db, "flows"), 2);
    EXPECT_EQ(db.Query("SELECT mode FROM runs").at(0).at(0).text, "vf-dma");

    // Ad-hoc runs (no point) are never merged.
    db.WriteRun(MakeRun());
    db.WriteRun(MakeRun());
    EXPECT_EQ(Count(db, "runs"), 3);
    EXPECT_EQ(Count(db, "runs WHERE point IS NULL"), 2);
}

TEST(ResultsDb, FailedPointIsReplaced)
{
    TempDb tmp;
    ResultsDb db(tmp.Path());
    RunRecord failed = MakeRun("b");
    failed.status = "failed";
    failed.message = "simulation aborted";
    failed.flows.resize(1);
    const int64_t failedId = db.WriteRun(failed);
    EXPECT_FALSE(db.HasPoint("b"));
    EXPECT_TRUE(db.HasPoint("b", false));
    EXPECT_EQ(Count(db, "flow_results"), 0); // the view shows ok runs only

    // A failed run replaces a failed one: the newer message is kept.
    failed.message = "simulation aborted again";
    const int64_t failedAgain = db.WriteRun(failed);
    EXPECT_EQ(Count(db, "runs"), 1);
    EXPECT_EQ(db.Query("SELECT message FROM runs").at(0).at(0).text, "simulation aborted again");
    // An ad-hoc run takes the next id, so the ok run of the point gets a new one.
    db.WriteRun(MakeRun());
    const int64_t adhocFlows = 2;

    const int64_t okId = db.WriteRun(MakeRun("b"));
    EXPECT_TRUE(db.HasPoint("b"));
    EXPECT_EQ(Count(db, "runs WHERE point = 'b'"), 1);
    EXPECT_EQ(db.Query("SELECT status, message FROM runs WHERE point = 'b'").at(0).at(0).text,
              "ok");
    EXPECT_EQ(Count(db, "flows"), 2 + adhocFlows);
    EXPECT_EQ(Count(db, "run_params"), 2 + 2);
    // The failed runs' rows went with them (ON DELETE CASCADE).
    ASSERT_NE(okId, failedAgain);
    for (const int64_t gone : {failedId, failedAgain})
    {
        for (const char* t : {"run_params", "flows", "drops", "counters", "latency_hist"})
        {
            EXPECT_EQ(Count(db, std::string(t) + " WHERE run_id = " + std::to_string(gone)), 0)
                << t;
        }
    }
}

TEST(ResultsDb, ConcurrentWritersLoseNothing)
{
    TempDb tmp;
    // Both processes open a file that does not exist yet: creation races as well.
    pid_t pids[2];
    for (int p = 0; p < 2; ++p)
    {
        pids[p] = fork();
        ASSERT_GE(pids[p], 0);
        if (pids[p] == 0)
        {
            int rc = 0;
            try
            {
                ResultsDb db(tmp.Path());
                for (int i = 0; i < 50; ++i)
                {
                    RunRecord r = MakeRun("proc" + std::to_string(p) + "/" + std::to_string(i));
                    r.rngRun = i;
                    db.WriteRun(r);
                }
            }
            catch (const std::exception& e)
            {
                std::fprintf(stderr, "child %d: %s\n", p, e.what());
                rc = 1;
            }
            _exit(rc); // never return into the test framework from the child
        }
    }
    for (pid_t pid : pids)
    {
        int status = 0;
        ASSERT_EQ(waitpid(pid, &status, 0), pid);
        EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child status " << status;
    }
    ResultsDb db(tmp.Path());
    EXPECT_EQ(Count(db, "runs"), 100);
    EXPECT_EQ(Count(db, "flows"), 200);
    EXPECT_EQ(Count(db, "runs WHERE point LIKE 'proc0/%'"), 50);
    EXPECT_EQ(Count(db, "runs WHERE point LIKE 'proc1/%'"), 50);
}

TEST(ResultsDb, NowIso8601Format)
{
    const std::string now = ResultsDb::NowIso8601();
    ASSERT_EQ(now.size(), 20U);
    EXPECT_EQ(now[4], '-');
    EXPECT_EQ(now[10], 'T');
    EXPECT_EQ(now[19], 'Z');
    EXPECT_EQ(now.substr(0, 2), "20");
}

/// The release is written once, in contrib/sriov-vmcomm/VERSION: the library reports it, and the
/// Python tools read the same file (vmcomm_db.VERSION).
TEST(VmcommVersion, IsTheVersionFile)
{
    std::ifstream file(VMCOMM_SOURCE_DIR "/contrib/sriov-vmcomm/VERSION");
    ASSERT_TRUE(file.good());
    std::string line;
    std::getline(file, line);
    EXPECT_EQ(std::string(GetVmcommVersion()), line);
    const std::string cmd = "PYTHONPATH='" VMCOMM_SOURCE_DIR "/analysis' /usr/bin/python3 -c "
                            "'import sys, vmcomm_db; sys.exit(vmcomm_db.VERSION != sys.argv[1])' '"
                          + line + "'";
    EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
}
