/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef RESULTS_DB_H
#define RESULTS_DB_H

#include "attribute-snapshot.h" // CollectAttributeDefaults, which fills RunRecord::params
#include "ns3/latency-histogram.h"
#include "ns3/nstime.h"
#include "ns3/vmcomm-version.h" // GetVmcommVersion, for RunRecord::version

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

// Forward declarations so that users of this header need neither sqlite3.h nor to link SQLite.
struct sqlite3;

namespace ns3 {

/**
 * \ingroup sriov-vmcomm
 * \brief One row of the `flows` table: a flow's endpoints, counts and latency summary.
 */
struct FlowRow
{
    int64_t flowId{0};       //!< flow id, unique within the run
    std::string src;         //!< source endpoint (VM / VF name)
    std::string dst;         //!< destination endpoint
    std::string srcHost;     //!< host of the source
    std::string dstHost;     //!< host of the destination
    bool sameHost{false};    //!< true if both endpoints are on one host
    uint64_t txFrames{0};    //!< frames sent
    uint64_t txBytes{0};     //!< bytes sent
    uint64_t rxFrames{0};    //!< frames received
    uint64_t rxBytes{0};     //!< bytes received
    uint64_t dropped{0};     //!< frames of this flow counted in the run's drops table
    double throughputBps{0}; //!< payload bit/s received, over the run's span
    double frameBps{0};      //!< Ethernet frame bit/s received (carried load), same interval
    double offeredBps{0};    //!< Ethernet frame bit/s sent (offered load), over the send interval
    bool saturated{false};   //!< the flow could not carry its load (doc/results.md)
    double latMeanNs{0};     //!< mean one-way latency, ns
    double latP50Ns{0};      //!< median latency, ns
    double latP99Ns{0};      //!< 99th percentile latency, ns
    double latP999Ns{0};     //!< 99.9th percentile latency, ns
    double latMaxNs{0};      //!< maximum latency, ns
    /** frames of this flow still in a queue, ring or cable at the end (null: undefined, tcp) */
    std::optional<int64_t> inFlight;

    /**
     * Fill the latency columns (mean, p50, p99, p99.9, max) from a histogram.
     * \param hist the flow's latency histogram
     */
    void SetLatency(const LatencyHistogram& hist);
};

/**
 * \ingroup sriov-vmcomm
 * \brief One row of the `drops` table.
 */
struct DropRow
{
    std::string component; //!< where the frame was dropped, e.g. "host0/nic/vf3"
    std::string reason;    //!< why, e.g. "rx-ring-full"
    uint64_t count{0};     //!< number of frames
};

/**
 * \ingroup sriov-vmcomm
 * \brief One row of the `counters` table.
 */
struct CounterRow
{
    std::string component; //!< e.g. "host0/iommu"
    std::string name;      //!< e.g. "iotlb_hits"
    double value{0};       //!< the value (unit given by the name, see doc/results.md)
};

/**
 * \ingroup sriov-vmcomm
 * \brief One row of component_params: an attribute of one of the run's objects whose value
 * differs from the default in force (set on it by a preset, a profile or a topology file).
 */
struct ComponentParamRow
{
    std::string component; //!< e.g. "host0/vswitch"
    std::string name;      //!< e.g. "ns3::VirtualSwitch::PollLoopCycles"
    std::string value;     //!< the value, as --name=value would set it
};

/**
 * \ingroup sriov-vmcomm
 * \brief Everything one simulation run writes to the results database.
 *
 * Optional text fields (topology, mode, version, startedAt, message) are stored as NULL
 * when empty.
 */
struct RunRecord
{
    std::optional<std::string> point; //!< sweep point key; nullopt for an ad-hoc run
    std::string scenario;             //!< scenario program name (required)
    std::string topology;             //!< topology file or name
    std::string mode;                 //!< communication mode, e.g. "vf-dma"
    int64_t rngSeed{1};               //!< ns-3 RngSeed
    int64_t rngRun{1};                //!< ns-3 RngRun
    std::string version;              //!< release that produced the run: GetVmcommVersion()
    std::string startedAt;            //!< wall-clock start, ISO 8601 UTC (NowIso8601())
    double wallSeconds{0};            //!< wall-clock duration, s
    double simSeconds{0};             //!< simulated duration, s
    std::string status{"ok"};         //!< "ok" or "failed"
    std::string message;              //!< error message of a failed run

    std::vector<std::pair<std::string, std::string>> params; //!< (name, value) in force
    std::vector<FlowRow> flows;                              //!< per-flow results
    std::vector<DropRow> drops;                              //!< drop counts
    std::vector<CounterRow> counters;                        //!< component counters
    std::vector<ComponentParamRow> componentParams;          //!< per-object settings
    /// latency histograms: (flow id, or -1 for all flows of the run; histogram)
    std::vector<std::pair<int64_t, LatencyHistogram>> histograms;
};

/**
 * \ingroup sriov-vmcomm
 * \brief Writer of the SQLite results database (one file, many runs, several writers).
 *
 * The schema (tables runs, run_params, flows, drops, counters, component_params, latency_hist and
 * the view flow_results) is documented in doc/results.md; its version is PRAGMA user_version. The
 * database uses WAL journaling and a busy timeout so that several processes can write one file at
 * once; every run is written in one transaction, so a crash leaves no partial run. An object must
 * not be shared across fork(); open one per process.
 */
class ResultsDb
{
  public:
    /// The schema version this build writes and the newest it reads.
    static constexpr int SCHEMA_VERSION = 3;

    /**
     * Open (and create if missing) a results database.
     * \param path file name
     * \param busyTimeout how long to wait for other writers before failing
     * \throws std::runtime_error if the file cannot be opened, is not a results database, or
     *         was written by a newer schema version
     */
    explicit ResultsDb(const std::string& path, Time busyTimeout = Seconds(60));
    /// Close the database.
    ~ResultsDb();

    ResultsDb(const ResultsDb&) = delete;
    ResultsDb& operator=(const ResultsDb&) = delete;
    /// Move constructor.
    ResultsDb(ResultsDb&&) noexcept;
    /// Move assignment.
    /// \returns this
    ResultsDb& operator=(ResultsDb&&) noexcept;

    /**
     * Write one run, with all its rows, in one transaction.
     *
     * If run.point is set and a run with that point already exists with status 'ok', nothing
     * is written and the existing id is returned (a resumed sweep cannot duplicate a point).
     * If it exists with status 'failed', the old run and its rows are replaced.
     *
     * \param run the run
     * \returns the run id (runs.id)
     * \throws std::runtime_error (with SQLite's message) if anything fails; then nothing of
     *         the run is in the database
     */
    int64_t WriteRun(const RunRecord& run);

    /**
     * \param point a sweep point key
     * \param okOnly if true (the default), count only runs with status 'ok'
     * \returns true if a run with that point exists
     */
    bool HasPoint(const std::string& point, bool okOnly = true);

    /// \returns the database's schema version (PRAGMA user_version)
    int GetSchemaVersion();

    /// \returns the file name given to the constructor
    const std::string& GetPath() const;

    /**
     * \brief One value of a query result.
     */
    struct Cell
    {
        /// SQLite storage class of the value.
        enum Type
        {
            NULL_VALUE, //!< SQL NULL
            INTEGER,    //!< 64-bit integer
            REAL,       //!< double
            TEXT        //!< text (BLOBs are returned as text, too)
        };

        Type type{NULL_VALUE}; //!< storage class
        int64_t i{0};          //!< value as integer
        double d{0};           //!< value as double
        std::string text;      //!< value as text (SQLite's conversion)

        /// \returns true for SQL NULL
        bool IsNull() const
        {
            return type == NULL_VALUE;
        }
    };

    /// A query result row.
    using Row = std::vector<Cell>;

    /**
     * Run one SQL statement with bound text parameters and return its rows, e.g. for tests,
     * tools and reports. Parameters bind to ?1, ?2, ... in order.
     * \param sql one SQL statement
     * \param args parameter values
     * \returns the result rows
     * \throws std::runtime_error on error
     */
    std::vector<Row> Query(const std::string& sql, const std::vector<std::string>& args = {});

    /// \returns the current wall-clock time as ISO 8601 UTC, e.g. "2024-05-01T12:34:56Z"
    static std::string NowIso8601();

  private:
    /// Set pragmas, check the version and create the schema if the file is new.
    void Initialize();
    /// Create the schema if no other process has done so yet (BEGIN IMMEDIATE).
    void CreateSchemaIfEmpty();

    /// Closes the sqlite3 handle.
    struct Closer
    {
        /// \param db handle to close
        void operator()(sqlite3* db) const;
    };

    std::string m_path;                    //!< file name
    int64_t m_busyTimeoutMs;               //!< busy timeout, ms
    std::unique_ptr<sqlite3, Closer> m_db; //!< connection
};

} // namespace ns3

#endif /* RESULTS_DB_H */
