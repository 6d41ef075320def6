/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * dma-bench and the presets: the pcie-bench calibration figures (doc/validation.md) from the model
 * running (within 10%), the IOTLB knee moving with the IOTLB reach, Little's law for the
 * outstanding-read bounds, the preset API, and the dma-bench program's input checks.
 */
#include "ns3/command-line.h"
#include "ns3/config.h"
#include "ns3/dma-bench.h"
#include "ns3/preset.h"
#include "ns3/results-db.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"
#include "test-dir.h"
#include "test-util.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <stdexcept>
#include <string>

using namespace ns3;

namespace {

constexpr uint64_t KIB = 1024;
constexpr uint64_t MIB = 1024 * 1024;

/** Each test starts and ends on the default preset, whatever it changed. */
class DmaBench : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        ApplyPreset(GetDefaultPresetName());
    }

    void TearDown() override
    {
        ApplyPreset(GetDefaultPresetName());
    }

    /** Restores after TearDown what a test set with Config::SetDefault beside the preset. */
    GlobalDefaultsGuard m_restore;
};

DmaBenchConfig
Point(DmaBenchConfig::Op op, uint32_t size, uint64_t window, DmaBenchConfig::Metric metric,
      bool iommu = false, uint64_t page = 4096)
{
    DmaBenchConfig c;
    c.op = op;
    c.size = size;
    c.window = window;
    c.metric = metric;
    c.iommu = iommu;
    c.pageBytes = page;
    c.ops = metric == DmaBenchConfig::BANDWIDTH ? 10000 : 2000;
    return c;
}

double
Bw(DmaBenchConfig::Op op, uint32_t size, uint64_t window, bool iommu = false, uint64_t page = 4096)
{
    return RunDmaBenchPoint(Point(op, size, window, DmaBenchConfig::BANDWIDTH, iommu, page)).gbps;
}

double
LatMedian(uint32_t size, uint64_t window, bool iommu = false)
{
    return RunDmaBenchPoint(
               Point(DmaBenchConfig::READ, size, window, DmaBenchConfig::LATENCY, iommu))
        .latMedianNs;
}

void
ExpectWithin(double model, double measured, double rel, const std::string& what)
{
    EXPECT_NEAR(model, measured, measured * rel)
        << what << ": model " << model << ", measured " << measured;
}

} // namespace

// The pcie-bench calibration figures (doc/validation.md), each within 10%.

TEST_F(DmaBench, CalibrationBandwidth)
{
    using C = DmaBenchConfig;
    ExpectWithin(Bw(C::READ, 64, 8 * KIB), 31.9, 0.10, "read 64 B");
    ExpectWithin(Bw(C::READ, 2048, 8 * KIB), 55.6, 0.10, "read 2048 B");
    ExpectWithin(Bw(C::WRITE, 64, 8 * KIB), 24.3, 0.10, "write 64 B");
    ExpectWithin(Bw(C::WRITE, 2048, 8 * KIB), 53.0, 0.10, "write 2048 B");
}

TEST_F(DmaBench, CalibrationLatency)
{
    const double lat64 = LatMedian(64, 8 * KIB);
    ExpectWithin(lat64, 546, 0.10, "read latency 64 B");
    ExpectWithin(lat64, 560, 0.10, "read latency 64 B, random addresses");
    ExpectWithin(LatMedian(1520, 8 * KIB), 986, 0.10, "read latency 1520 B");
}

TEST_F(DmaBench, CalibrationIommu)
{
    using C = DmaBenchConfig;
    // Flat up to 256 KiB with 4 KiB pages...
    for (uint64_t w : {8 * KIB, 64 * KIB, 256 * KIB})
    {
        ExpectWithin(Bw(C::READ, 64, w, true), 32.4, 0.10, "IOMMU, window " + std::to_string(w));
    }
    ExpectWithin(LatMedian(64, 256 * KIB, true), 560, 0.10, "IOMMU latency, 256 KiB");
    // ...9.8 Gb/s and 880 ns at 64 MiB, where almost every access misses...
    DmaBenchConfig big = Point(C::READ, 64, 64 * MIB, C::BANDWIDTH, true);
    DmaBenchResult r = RunDmaBenchPoint(big);
    ExpectWithin(r.gbps, 9.8, 0.10, "IOMMU, 64 MiB");
    EXPECT_GT(r.iotlbMissRate, 0.95);
    ExpectWithin(LatMedian(64, 64 * MIB, true), 880, 0.10, "IOMMU latency, 64 MiB");
    // ...and no drop with 2 MiB pages.
    ExpectWithin(Bw(C::READ, 64, 64 * MIB, true, 2 * MIB), 32.4, 0.10, "IOMMU 2 MiB pages, 64 MiB");
}

TEST_F(DmaBench, KneeFollowsIotlbReach)
{
    using C = DmaBenchConfig;
    const double flat = Bw(C::READ, 64, 64 * KIB, true);
    // 64 entries x 4 KiB: 256 KiB still flat, 512 KiB already lower.
    EXPECT_GT(Bw(C::READ, 64, 256 * KIB, true), 0.95 * flat);
    EXPECT_LT(Bw(C::READ, 64, 512 * KIB, true), 0.85 * flat);
    // 128 entries: the knee moves to 512 KiB.
    Config::SetDefault("ns3::Iommu::IotlbEntries", UintegerValue(128));
    EXPECT_GT(Bw(C::READ, 64, 512 * KIB, true), 0.95 * flat);
    EXPECT_LT(Bw(C::READ, 64, 1 * MIB, true), 0.85 * flat);
}

TEST_F(DmaBench, SequentialAccessesMissOncePerPage)
{
    DmaBenchConfig c = Point(DmaBenchConfig::READ, 64, 64 * MIB, DmaBenchConfig::BANDWIDTH, true);
    c.pattern = DmaBenchConfig::SEQUENTIAL;
    const DmaBenchResult r = RunDmaBenchPoint(c);
    EXPECT_NEAR(r.iotlbMissRate, 1.0 / 64, 0.002); // 64 reads of 64 B per 4 KiB page
    // Reads behind a walk wait for it, but far fewer than with random addresses.
    EXPECT_GT(r.gbps, 2 * Bw(DmaBenchConfig::READ, 64, 64 * MIB, true));
}

TEST_F(DmaBench, EngineOutstandingReadBoundIsLittlesLaw)
{
    // K reads in flight, each taking the unloaded latency L: K x size / L.
    const uint32_t k = 4;
    Config::SetDefault("ns3::DmaEngine::MaxOutstandingReads", UintegerValue(k));
    for (uint32_t size : {64u, 512u})
    {
        SCOPED_TRACE(size);
        const double lat = LatMedian(size, 8 * KIB);
        const double bw = Bw(DmaBenchConfig::READ, size, 8 * KIB);
        ExpectWithin(bw, k * size * 8.0 / lat, 0.03, "Little's law");
    }
}

TEST_F(DmaBench, LinkTagBoundIsLittlesLaw)
{
    // The link's tags are held from the request to the last completion: the latency less the
    // engine's pipeline (70 ns) and its store of the data (64 B at 55 Gb/s).
    const uint32_t tags = 4;
    Config::SetDefault("ns3::PcieLink::MaxOutstandingReads", UintegerValue(tags));
    const double hold = LatMedian(64, 8 * KIB) - 70 - 64 * 8 / 55.0;
    ExpectWithin(Bw(DmaBenchConfig::READ, 64, 8 * KIB), tags * 64 * 8.0 / hold, 0.03,
                 "Little's law, tags");
}

TEST_F(DmaBench, IdealPresetsReproduceThePcieBenchModel)
{
    // The pcie-bench model's reference outputs (doc/model.md, PCIe timing), from the simulated
    // link with an ideal device.
    using C = DmaBenchConfig;
    ApplyPreset("ideal-gen3x8");
    ExpectWithin(Bw(C::WRITE, 64, 8 * KIB), 42.1, 0.01, "gen3 write 64");
    ExpectWithin(Bw(C::READ, 64, 8 * KIB), 44.1, 0.01, "gen3 read 64");
    ExpectWithin(Bw(C::WRITE, 256, 8 * KIB), 52.9, 0.01, "gen3 write 256");
    ExpectWithin(Bw(C::READ, 256, 8 * KIB), 53.7, 0.01, "gen3 read 256");
    ApplyPreset("ideal-gen4x16");
    ExpectWithin(Bw(C::WRITE, 64, 8 * KIB), 165, 0.01, "gen4 write 64");
    ExpectWithin(Bw(C::READ, 64, 8 * KIB), 173, 0.01, "gen4 read 64");
}

TEST_F(DmaBench, WriteThenRead)
{
    using C = DmaBenchConfig;
    // LAT_WRRD: the read starts when the write has reached the root complex (PCIe ordering), so
    // its completion comes a whole read after the write's own latency.
    const double read = LatMedian(64, 8 * KIB);
    const DmaBenchResult w = RunDmaBenchPoint(Point(C::WRITE, 64, 8 * KIB, C::LATENCY));
    const DmaBenchResult wr = RunDmaBenchPoint(Point(C::WRITE_READ, 64, 8 * KIB, C::LATENCY));
    EXPECT_NEAR(wr.latMedianNs, read + w.latMedianNs, 2.0);
    EXPECT_GT(w.latMedianNs, 100.0);
    // BW_RDWR: both directions carry data, so the mix beats writes alone.
    EXPECT_GT(Bw(C::WRITE_READ, 64, 8 * KIB), Bw(C::WRITE, 64, 8 * KIB));
}

TEST_F(DmaBench, HostOffsetIsChecked)
{
    // Offsets within a cache line run; one past it, or one that pushes a transfer out of the
    // window, is refused.
    DmaBenchConfig c = Point(DmaBenchConfig::READ, 64, 8 * KIB, DmaBenchConfig::LATENCY);
    c.pattern = DmaBenchConfig::SEQUENTIAL;
    c.hostOffset = 3;
    const DmaBenchResult r = RunDmaBenchPoint(c);
    EXPECT_EQ(r.ops, c.ops);
    c.hostOffset = 64;
    EXPECT_THROW(RunDmaBenchPoint(c), std::invalid_argument);
    c.hostOffset = 63;
    c.size = 8192;
    EXPECT_THROW(RunDmaBenchPoint(c), std::invalid_argument); // 63 + 8192 > window
}

TEST_F(DmaBench, LatencyPercentilesAreOrdered)
{
    const DmaBenchResult r
        = RunDmaBenchPoint(Point(DmaBenchConfig::READ, 64, 1 * MIB, DmaBenchConfig::LATENCY, true));
    EXPECT_LE(r.latMinNs, r.latMedianNs);
    EXPECT_LE(r.latMedianNs, r.latP95Ns);
    EXPECT_LE(r.latP95Ns, r.latP999Ns);
    // 1 MiB of 4 KiB pages overflows the 64-entry IOTLB: some reads walk, some do not.
    EXPECT_LT(r.latMinNs, r.latP999Ns);
}

TEST_F(DmaBench, LatencyCdfIsTheSamplesDistribution)
{
    DmaBenchConfig c = Point(DmaBenchConfig::READ, 64, 1 * MIB, DmaBenchConfig::LATENCY, true);
    c.latCdf = true;
    const DmaBenchResult r = RunDmaBenchPoint(c);
    ASSERT_GT(r.latCdf.size(), 1u); // IOTLB hits and walks: more than one latency
    EXPECT_LE(r.latCdf.size(), r.ops);
    EXPECT_EQ(r.latCdf.front().first, r.latMinNs);
    EXPECT_EQ(r.latCdf.back().second, 1.0);
    for (std::size_t i = 1; i < r.latCdf.size(); ++i)
    {
        EXPECT_LT(r.latCdf[i - 1].first, r.latCdf[i].first) << i;   // one pair per latency
        EXPECT_LT(r.latCdf[i - 1].second, r.latCdf[i].second) << i; // each adds operations
    }
    for (const auto& [ns, fraction] : r.latCdf)
    {
        const double count = fraction * static_cast<double>(r.ops); // a whole number of ops
        EXPECT_NEAR(count, std::round(count), 1e-6) << ns;
    }
    // Its quantiles are the nearest-rank percentiles: the smallest latency reaching the fraction.
    auto quantile = [&r](double f)
    {
        for (const auto& [ns, fraction] : r.latCdf)
        {
            if (fraction >= f)
            {
                return ns;
            }
        }
        return -1.0;
    };
    EXPECT_EQ(quantile(0.5), r.latMedianNs);
    EXPECT_EQ(quantile(0.95), r.latP95Ns);
    EXPECT_EQ(quantile(0.999), r.latP999Ns);

    // Not asked, or bandwidth: no CDF (and the other figures as with it).
    c.latCdf = false;
    const DmaBenchResult off = RunDmaBenchPoint(c);
    EXPECT_TRUE(off.latCdf.empty());
    EXPECT_EQ(off.latMedianNs, r.latMedianNs);
    EXPECT_EQ(off.latP999Ns, r.latP999Ns);
    DmaBenchConfig bw = Point(DmaBenchConfig::READ, 64, 8 * KIB, DmaBenchConfig::BANDWIDTH);
    bw.ops = 2000;
    bw.latCdf = true;
    EXPECT_TRUE(RunDmaBenchPoint(bw).latCdf.empty());
}

TEST_F(DmaBench, InvalidPointsThrow)
{
    DmaBenchConfig c = Point(DmaBenchConfig::READ, 0, 8 * KIB, DmaBenchConfig::BANDWIDTH);
    EXPECT_THROW(RunDmaBenchPoint(c), std::invalid_argument);
    c.size = 8192;
    c.window = 4096;
    EXPECT_THROW(RunDmaBenchPoint(c), std::invalid_argument);
    c.window = 8192;
    c.pageBytes = 8192;
    EXPECT_THROW(RunDmaBenchPoint(c), std::invalid_argument);
}

TEST(DmaBenchParse, ByteSizes)
{
    EXPECT_EQ(ParseByteSize("64"), 64u);
    EXPECT_EQ(ParseByteSize("64B"), 64u);
    EXPECT_EQ(ParseByteSize("4KiB"), 4096u);
    EXPECT_EQ(ParseByteSize("2MiB"), 2097152u);
    EXPECT_EQ(ParseByteSize("1GiB"), 1073741824u);
    for (const char* bad :
         {"", "KiB", "4kb", "4KB", "4 KiB", "-1", "1.5MiB", "99999999999999999999"})
    {
        EXPECT_THROW(ParseByteSize(bad), std::invalid_argument) << bad;
    }
    try
    {
        ParseByteSize("4kb");
    }
    catch (const std::invalid_argument& e)
    {
        EXPECT_NE(std::string(e.what()).find("KiB"), std::string::npos) << e.what();
    }
    for (uint64_t v : {uint64_t{64}, uint64_t{65}, 4 * KIB, 6 * KIB, 2 * MIB, uint64_t{1} << 30})
    {
        EXPECT_EQ(ParseByteSize(FormatByteSize(v)), v);
    }
    EXPECT_EQ(FormatByteSize(256 * KIB), "256KiB");
}

// The preset API.

TEST_F(DmaBench, AttributeDefaultsAreTheDefaultPreset)
{
    const Preset& p = GetPreset(GetDefaultPresetName());
    for (const auto& q : p.parameters)
    {
        SCOPED_TRACE(q.attribute);
        const std::size_t sep = q.attribute.rfind("::");
        TypeId tid = TypeId::LookupByName(q.attribute.substr(0, sep));
        TypeId::AttributeInformation info;
        ASSERT_TRUE(tid.LookupAttributeByName(q.attribute.substr(sep + 2), &info));
        Ptr<AttributeValue> v = info.checker->CreateValidValue(StringValue(q.value));
        ASSERT_TRUE(v);
        // The value compiled into GetTypeId, not one a Config::SetDefault left behind.
        EXPECT_EQ(info.originalInitialValue->SerializeToString(info.checker),
                  v->SerializeToString(info.checker));
    }
}

TEST_F(DmaBench, PresetsAreComplete)
{
    const auto names = ListPresets();
    ASSERT_FALSE(names.empty());
    EXPECT_EQ(names.front(), GetDefaultPresetName());
    EXPECT_NE(std::find(names.begin(), names.end(), "gen4x16-100g"), names.end());
    std::set<std::string> first;
    for (const auto& q : GetPreset(names.front()).parameters)
    {
        first.insert(q.attribute);
    }
    for (const auto& name : names)
    {
        SCOPED_TRACE(name);
        const Preset& p = GetPreset(name);
        EXPECT_FALSE(p.description.empty());
        std::set<std::string> attrs;
        for (const auto& q : p.parameters)
        {
            EXPECT_FALSE(q.source.empty()) << q.attribute;
            attrs.insert(q.attribute);
        }
        EXPECT_EQ(attrs, first); // every preset sets the same attributes
        ApplyPreset(name);       // and every value is accepted
    }
}

TEST_F(DmaBench, UnknownPresetListsTheValidOnes)
{
    try
    {
        ApplyPreset("nfp9000");
        FAIL() << "no exception";
    }
    catch (const std::invalid_argument& e)
    {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("nfp9000"), std::string::npos) << msg;
        for (const auto& name : ListPresets())
        {
            EXPECT_NE(msg.find(name), std::string::npos) << msg;
        }
    }
}

TEST_F(DmaBench, CommandLineOptionsOverrideThePreset)
{
    // --ns3:: options win over --preset wherever they stand.
    std::string preset;
    const char* args[] = {"prog", "--ns3::PcieLink::Lanes=4", "--preset=gen4x16-100g"};
    char* argv[3];
    for (int i = 0; i < 3; ++i)
    {
        argv[i] = const_cast<char*>(args[i]);
    }
    EXPECT_EQ(ApplyPresetFromCommandLine(3, argv), "gen4x16-100g");
    CommandLine cmd;
    cmd.AddValue("preset", "preset", preset);
    cmd.Parse(3, argv);
    EXPECT_EQ(preset, "gen4x16-100g");
    auto lookup = [](const std::string& name)
    {
        for (const auto& kv : CollectAttributeDefaults("SriovVmcomm"))
        {
            if (kv.first == name)
            {
                return kv.second;
            }
        }
        return std::string("?");
    };
    EXPECT_EQ(lookup("ns3::PcieLink::Generation"), "4"); // from the preset
    EXPECT_EQ(lookup("ns3::PcieLink::Lanes"), "4");      // the option wins
    // No --preset: nothing applied, the default preset's name returned.
    char* none[] = {const_cast<char*>("prog")};
    EXPECT_EQ(ApplyPresetFromCommandLine(1, none), GetDefaultPresetName());
}

// The dma-bench program of this build (test/CMakeLists.txt passes its directory as
// VMCOMM_BIN_DIR): built with the tests, so its absence is a failure, not a reason to skip.

namespace {

/** \return the program's path */
std::string
Program()
{
    return std::string(VMCOMM_BIN_DIR) + "/dma-bench";
}

/** \return whether the program is there to run (a failure of the calling test otherwise) */
::testing::AssertionResult
ProgramBuilt()
{
    if (access(Program().c_str(), X_OK) == 0)
    {
        return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure() << Program() << " is missing or not executable";
}

/** Run the program with \p args; \return exit status, stdout and stderr in \p out. */
int
RunProgram(const std::string& args, std::string* out)
{
    const std::string cmd = "'" + Program() + "' " + args + " 2>&1";
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

TEST(DmaBenchProgram, BadInputExits2AndWritesNothing)
{
    ASSERT_TRUE(ProgramBuilt());
    const std::string db = TestDir() + "dma-bench-test-bad.db";
    std::remove(db.c_str());
    struct Case
    {
        const char* args;
        const char* says;
    };

    const Case cases[] = {
        {"--frobnicate=1", "--op"},
        {"--preset=nfp9000", "nfp6000-bdw"},
        {"--size=0", "--size"},
        {"--size=64,0", "--size"},
        {"--size=8KiB --window=4KiB", "smaller"},
        {"--window=4kb", "KiB"},
        {"--op=copy", "read, write, rw"},
        {"--pattern=stride", "rand, seq"},
        {"--iommu=yes", "on, off"},
        {"--page-size=8KiB", "4KiB, 2MiB, 1GiB"},
        {"--metric=iops", "bw, lat"},
        {"--cdf=yes", "--cdf=yes: allowed values are on, off"},
        {"--ops=-3", "--ops"},
        {"--ns3::PcieLink::Lanes=many", "ns3::PcieLink::Lanes"},
        {"--ns3::PcieLink::Bogus=1", "Bogus"},
        {"stray", "stray"},
    };
    for (const auto& c : cases)
    {
        std::string out;
        EXPECT_EQ(RunProgram(std::string(c.args) + " --db=" + db, &out), 2) << c.args << "\n"
                                                                            << out;
        EXPECT_NE(out.find(c.says), std::string::npos) << c.args << "\n" << out;
        EXPECT_NE(access(db.c_str(), F_OK), 0) << c.args << ": the database was created";
    }
}

TEST(DmaBenchProgram, OneRunPerPoint)
{
    ASSERT_TRUE(ProgramBuilt());
    const std::string db = TestDir() + "dma-bench-test-ok.db";
    for (const char* suffix : {"", "-wal", "-shm"})
    {
        std::remove((db + suffix).c_str());
    }
    std::string out;
    ASSERT_EQ(
        RunProgram("--size=64,128 --window=4KiB --iommu=on --metric=lat --ops=500 --warmup=200 "
                   "--ns3::Iommu::IotlbEntries=32 --db="
                       + db,
                   &out),
        0)
        << out;
    // Two JSON lines with every key.
    std::size_t lines = 0;
    for (std::size_t at = out.find('{'); at != std::string::npos; at = out.find('{', at + 1))
    {
        ++lines;
    }
    EXPECT_EQ(lines, 2u) << out;
    for (const char* key :
         {"\"preset\":\"nfp6000-bdw\"", "\"op\":\"read\"", "\"size\":128", "\"window\":4096",
          "\"pattern\":\"rand\"", "\"iommu\":\"on\"", "\"page_size\":4096", "\"gbps\":null",
          "\"lat_median_ns\":", "\"lat_p999_ns\":", "\"iotlb_miss_rate\":"})
    {
        EXPECT_NE(out.find(key), std::string::npos) << key << "\n" << out;
    }

    ResultsDb results(db);
    auto rows = results.Query("SELECT count(*) FROM runs WHERE scenario = 'dma-bench' AND "
                              "status = 'ok'");
    EXPECT_EQ(rows.at(0).at(0).i, 2);
    rows = results.Query("SELECT value FROM run_params WHERE name = ?1 ORDER BY run_id",
                         {"ns3::Iommu::IotlbEntries"});
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0][0].text, "32"); // the override, as in force
    rows = results.Query("SELECT value FROM run_params WHERE name = 'size' ORDER BY run_id");
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0][0].text, "64");
    EXPECT_EQ(rows[1][0].text, "128");
    rows = results.Query("SELECT count(*) FROM counters WHERE component = 'dma-bench' AND name IN "
                         "('gbps', 'lat_median_ns', 'lat_p999_ns', 'iotlb_miss_rate')");
    EXPECT_EQ(rows.at(0).at(0).i, 6); // latency: no gbps
    rows = results.Query("SELECT sum(count) FROM latency_hist WHERE flow_id = -1");
    EXPECT_EQ(rows.at(0).at(0).i, 1000); // 500 measured operations per point
    for (const char* suffix : {"", "-wal", "-shm"})
    {
        std::remove((db + suffix).c_str());
    }
}

TEST(DmaBenchProgram, CdfOnlyWhenAsked)
{
    ASSERT_TRUE(ProgramBuilt());
    std::string out;
    ASSERT_EQ(
        RunProgram("--metric=lat --cdf=on --ops=300 --warmup=100 --window=1MiB --iommu=on", &out),
        0)
        << out;
    const std::size_t at = out.find("\"lat_cdf\":[[");
    ASSERT_NE(at, std::string::npos) << out;
    EXPECT_NE(out.find(",1]]}", at), std::string::npos) << out; // the last pair's fraction is 1
    for (const char* args : {"--metric=lat --cdf=off", "--metric=lat", "--metric=bw --cdf=on"})
    {
        ASSERT_EQ(RunProgram(std::string(args) + " --ops=300 --warmup=100", &out), 0) << out;
        EXPECT_EQ(out.find("lat_cdf"), std::string::npos) << args << "\n" << out;
    }
}
