/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "results-db.h"

#include "command-line-check.h"
#include "ns3/double.h"
#include "ns3/global-value.h"
#include "ns3/log.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/pointer.h"
#include "ns3/type-id.h"

#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <iomanip>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace ns3 {

NS_LOG_COMPONENT_DEFINE("ResultsDb");

namespace {

/**
 * The schema, version ResultsDb::SCHEMA_VERSION: the one place it is written down
 * (doc/results.md explains it). A change to it must bump SCHEMA_VERSION.
 */
const char* const SCHEMA_SQL = R"sql(
CREATE TABLE runs (
    id           INTEGER PRIMARY KEY,
    point        TEXT UNIQUE,
    scenario     TEXT NOT NULL,
    topology     TEXT,
    mode         TEXT,
    rng_seed     INTEGER,
    rng_run      INTEGER,
    version      TEXT,
    started_at   TEXT,
    wall_seconds REAL,
    sim_seconds  REAL,
    status       TEXT NOT NULL CHECK (status IN ('ok', 'failed')),
    message      TEXT
);
CREATE INDEX runs_scenario_mode ON runs (scenario, mode);

CREATE TABLE run_params (
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    name   TEXT NOT NULL,
    value  TEXT,
    PRIMARY KEY (run_id, name)
);

CREATE TABLE flows (
    run_id         INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    flow_id        INTEGER NOT NULL,
    src            TEXT,
    dst            TEXT,
    src_host       TEXT,
    dst_host       TEXT,
    same_host      INTEGER CHECK (same_host IN (0, 1)),
    tx_frames      INTEGER,
    tx_bytes       INTEGER,
    rx_frames      INTEGER,
    rx_bytes       INTEGER,
    dropped        INTEGER,
    throughput_bps REAL,
    frame_bps      REAL,
    offered_bps    REAL,
    saturated      INTEGER CHECK (saturated IN (0, 1)),
    lat_mean_ns    REAL,
    lat_p50_ns     REAL,
    lat_p99_ns     REAL,
    lat_p999_ns    REAL,
    lat_max_ns     REAL,
    in_flight      INTEGER,
    PRIMARY KEY (run_id, flow_id)
);

CREATE TABLE drops (
    run_id    INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    component TEXT NOT NULL,
    reason    TEXT NOT NULL,
    count     INTEGER NOT NULL,
    PRIMARY KEY (run_id, component, reason)
);

CREATE TABLE counters (
    run_id    INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    component TEXT NOT NULL,
    name      TEXT NOT NULL,
    value     REAL,
    PRIMARY KEY (run_id, component, name)
);

CREATE TABLE latency_hist (
    run_id  INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    flow_id INTEGER NOT NULL,
    lo_ns   REAL NOT NULL,
    hi_ns   REAL NOT NULL,
    count   INTEGER NOT NULL,
    PRIMARY KEY (run_id, flow_id, lo_ns)
);

CREATE VIEW flow_results AS
    SELECT r.point, r.scenario, r.topology, r.mode, r.rng_seed, r.rng_run, f.*
    FROM flows AS f JOIN runs AS r ON r.id = f.run_id
    WHERE r.status = 'ok';
)sql";

/// Tables holding rows of one run, children of runs; deleted before the runs row.
const char* const CHILD_DELETES[] = {
    "DELETE FROM run_params WHERE run_id = ?1",   "DELETE FROM flows WHERE run_id = ?1",
    "DELETE FROM drops WHERE run_id = ?1",        "DELETE FROM counters WHERE run_id = ?1",
    "DELETE FROM latency_hist WHERE run_id = ?1", "DELETE FROM runs WHERE id = ?1",
};

/**
 * \param path database file name
 * \param what what was being done
 * \param db the connection (for its error message), may be null
 * \returns an exception naming the file, the step and SQLite's message
 */
std::runtime_error
SqlError(const std::string& path, const std::string& what, sqlite3* db)
{
    std::string msg = "results database " + path + ": " + what;
    if (db != nullptr)
    {
        msg += ": ";
        msg += sqlite3_errmsg(db);
    }
    return std::runtime_error(msg);
}

/**
 * Run SQL without parameters (pragmas, transaction control, the constant schema).
 * \param db connection
 * \param path file name for messages
 * \param sql the SQL
 */
void
Exec(sqlite3* db, const std::string& path, const char* sql)
{
    char* err = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK)
    {
        std::string msg = "results database " + path + ": " + sql + ": "
                        + (err != nullptr ? err : sqlite3_errmsg(db));
        sqlite3_free(err);
        throw std::runtime_error(msg);
    }
}

/// A prepared statement, finalized on destruction; every value is bound, never pasted.
class Statement
{
  public:
    /**
     * \param db connection
     * \param path file name for messages
     * \param sql one SQL statement
     */
    Statement(sqlite3* db, const std::string& path, const std::string& sql)
        : m_db(db)
        , m_path(path)
        , m_stmt(nullptr)
    {
        const char* tail = nullptr;
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &m_stmt, &tail) != SQLITE_OK)
        {
            throw SqlError(path, "preparing \"" + sql + "\"", db);
        }
        for (; tail != nullptr && *tail != '\0'; ++tail)
        {
            if (!std::isspace(static_cast<unsigned char>(*tail)) && *tail != ';')
            {
                throw std::runtime_error("results database " + path
                                         + ": more than one SQL statement in \"" + sql + "\"");
            }
        }
        if (m_stmt == nullptr)
        {
            throw std::runtime_error("results database " + path + ": empty SQL statement");
        }
    }

    ~Statement()
    {
        sqlite3_finalize(m_stmt);
    }

    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    /// Bind an integer to parameter i (1-based).
    Statement& Bind(int i, int64_t v)
    {
        Check(sqlite3_bind_int64(m_stmt, i, v), "binding");
        return *this;
    }

    /// Bind an unsigned integer (SQLite integers are signed 64-bit).
    Statement& Bind(int i, uint64_t v)
    {
        return Bind(i, static_cast<int64_t>(v));
    }

    /// Bind a double.
    Statement& Bind(int i, double v)
    {
        Check(sqlite3_bind_double(m_stmt, i, v), "binding");
        return *this;
    }

    /// Bind text.
    Statement& Bind(int i, const std::string& v)
    {
        Check(sqlite3_bind_text(m_stmt, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT),
              "binding");
        return *this;
    }

    /// Bind NULL.
    Statement& BindNull(int i)
    {
        Check(sqlite3_bind_null(m_stmt, i), "binding");
        return *this;
    }

    /// Bind text, or NULL if it is empty.
    Statement& BindOrNull(int i, const std::string& v)
    {
        if (v.empty())
        {
            Check(sqlite3_bind_null(m_stmt, i), "binding");
            return *this;
        }
        return Bind(i, v);
    }

    /// Step once. \returns true if a row is available, false when done.
    bool Step()
    {
        const int rc = sqlite3_step(m_stmt);
        if (rc == SQLITE_ROW)
        {
            return true;
        }
        if (rc == SQLITE_DONE)
        {
            return false;
        }
        throw SqlError(m_path, std::string("executing \"") + sqlite3_sql(m_stmt) + "\"", m_db);
    }

    /// Run to completion and make the statement ready for new bindings.
    void Run()
    {
        while (Step())
        {
        }
        sqlite3_reset(m_stmt);
        sqlite3_clear_bindings(m_stmt);
    }

    /// \returns the raw statement, for reading columns
    sqlite3_stmt* Get() const
    {
        return m_stmt;
    }

  private:
    /// Throw unless rc is SQLITE_OK.
    void Check(int rc, const char* what) const
    {
        if (rc != SQLITE_OK)
        {
            throw SqlError(m_path, what, m_db);
        }
    }

    sqlite3* m_db;        //!< connection
    std::string m_path;   //!< file name for messages
    sqlite3_stmt* m_stmt; //!< the statement
};

/// BEGIN IMMEDIATE on construction; ROLLBACK on destruction unless committed.
class Transaction
{
  public:
    /**
     * Take the write lock now (IMMEDIATE), so that concurrent writers wait in the busy
     * handler instead of failing later on a lock upgrade.
     * \param db connection
     * \param path file name for messages
     */
    Transaction(sqlite3* db, const std::string& path)
        : m_db(db)
        , m_path(path)
        , m_open(false)
    {
        Exec(m_db, m_path, "BEGIN IMMEDIATE");
        m_open = true;
    }

    ~Transaction()
    {
        if (m_open)
        {
            // Errors are ignored: SQLite may already have rolled back (e.g. after SQLITE_FULL).
            sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
        }
    }

    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    /// Commit; on failure the destructor rolls back.
    void Commit()
    {
        Exec(m_db, m_path, "COMMIT");
        m_open = false;
    }

  private:
    sqlite3* m_db;      //!< connection
    std::string m_path; //!< file name for messages
    bool m_open;        //!< true while the transaction must be rolled back on destruction
};

/**
 * \param db connection
 * \param path file name for messages
 * \returns PRAGMA user_version
 */
int
ReadUserVersion(sqlite3* db, const std::string& path)
{
    Statement st(db, path, "PRAGMA user_version");
    if (!st.Step())
    {
        throw SqlError(path, "PRAGMA user_version returned nothing", nullptr);
    }
    return sqlite3_column_int(st.Get(), 0);
}

/**
 * Throw if the database was written by a newer schema.
 * \param path file name
 * \param version its user_version
 */
void
CheckNotNewer(const std::string& path, int version)
{
    if (version > ResultsDb::SCHEMA_VERSION)
    {
        throw std::runtime_error("results database " + path
                                 + " was written by a newer sriov-vmcomm (schema "
                                 + std::to_string(version) + ", this build reads up to "
                                 + std::to_string(ResultsDb::SCHEMA_VERSION) + ")");
    }
}

} // namespace

void
FlowRow::SetLatency(const LatencyHistogram& hist)
{
    latMeanNs = hist.GetMeanNs();
    latP50Ns = hist.GetPercentileNs(50);
    latP99Ns = hist.GetPercentileNs(99);
    latP999Ns = hist.GetPercentileNs(99.9);
    latMaxNs = static_cast<double>(hist.GetMaxNs());
}

void
ResultsDb::Closer::operator()(sqlite3* db) const
{
    // sqlite3_close_v2 defers the close if a statement is still alive instead of failing.
    sqlite3_close_v2(db);
}

ResultsDb::ResultsDb(const std::string& path, Time busyTimeout)
    : m_path(path)
    , m_busyTimeoutMs(busyTimeout.GetMilliSeconds())
{
    NS_LOG_FUNCTION(this << path << busyTimeout);
    // Writable, checked before anything is simulated: SQLite would open a read-only file
    // read-only and fail only at the first write. It also keeps its journal (-wal, -shm)
    // beside the file, so the directory must be writable too.
    {
        const std::size_t slash = path.rfind('/');
        const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash + 1);
        if (access(path.c_str(), F_OK) == 0 && access(path.c_str(), R_OK | W_OK) != 0)
        {
            throw std::runtime_error(path + ": not writable (" + std::strerror(errno)
                                     + "): a results database must be writable");
        }
        if (access(dir.c_str(), W_OK | X_OK) != 0)
        {
            throw std::runtime_error(path + ": directory " + dir + " not writable ("
                                     + std::strerror(errno)
                                     + "): SQLite keeps its journal beside the database");
        }
    }
    sqlite3* raw = nullptr;
    const int rc
        = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    m_db.reset(raw); // sqlite3_open_v2 returns a handle even on failure; it must be closed
    if (rc != SQLITE_OK)
    {
        throw SqlError(path, "cannot open", m_db.get());
    }
    if (sqlite3_db_readonly(m_db.get(), "main") == 1)
    {
        throw std::runtime_error(path + ": opened read-only: a results database must be writable");
    }
    Initialize();
}

ResultsDb::~ResultsDb() = default;
ResultsDb::ResultsDb(ResultsDb&&) noexcept = default;
ResultsDb& ResultsDb::operator=(ResultsDb&&) noexcept = default;

void
ResultsDb::Initialize()
{
    sqlite3* db = m_db.get();
    sqlite3_extended_result_codes(db, 1);
    // The busy handler must be in place before anything touches the file: other processes
    // may be creating or writing it right now.
    sqlite3_busy_timeout(db, static_cast<int>(std::clamp<int64_t>(m_busyTimeoutMs, 0, INT32_MAX)));
    Exec(db, m_path, "PRAGMA foreign_keys = ON");

    // Check the version before anything writes (journal_mode=WAL writes the header).
    int version = 0;
    try
    {
        version = ReadUserVersion(db, m_path);
    }
    catch (const std::runtime_error& e)
    {
        throw std::runtime_error(std::string(e.what()) + " (is it an SQLite results database?)");
    }
    CheckNotNewer(m_path, version);
    if (version > 0 && version < SCHEMA_VERSION)
    {
        // Its tables lack this build's columns: appending would mix two meanings of a column.
        throw std::runtime_error("results database " + m_path
                                 + " was written by an older sriov-vmcomm (schema "
                                 + std::to_string(version) + ", this build writes "
                                 + std::to_string(SCHEMA_VERSION) + "): write to a new file");
    }

    {
        // WAL lets readers run during a write and makes concurrent writers cheap. Switching to
        // it needs the file to itself for a moment, and SQLite answers "locked" at once rather
        // than through the busy handler: retry until the busy timeout.
        auto deadline
            = std::chrono::steady_clock::now() + std::chrono::milliseconds(m_busyTimeoutMs);
        std::string mode;
        while (true)
        {
            char* err = nullptr;
            int rc = sqlite3_exec(
                db, "PRAGMA journal_mode = WAL",
                [](void* out, int n, char** values, char**)
                {
                    if (n > 0 && values[0] != nullptr)
                    {
                        *static_cast<std::string*>(out) = values[0];
                    }
                    return 0;
                },
                &mode, &err);
            std::string message = err != nullptr ? err : sqlite3_errstr(rc);
            sqlite3_free(err);
            if (rc == SQLITE_OK)
            {
                break;
            }
            bool busy = (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED;
            if (!busy || std::chrono::steady_clock::now() > deadline)
            {
                throw std::runtime_error("results database " + m_path
                                         + ": executing \"PRAGMA journal_mode = WAL\": " + message);
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        if (mode != "wal")
        {
            NS_LOG_WARN("results database " << m_path << ": journal_mode is " << mode
                                            << ", not wal; concurrent writers may block");
        }
    }
    // With WAL, NORMAL is still crash-safe (a crash may lose the last commits, never corrupt).
    Exec(db, m_path, "PRAGMA synchronous = NORMAL");

    if (version == 0)
    {
        CreateSchemaIfEmpty();
    }
}

void
ResultsDb::CreateSchemaIfEmpty()
{
    sqlite3* db = m_db.get();
    Transaction tx(db, m_path);
    // Another process may have created the schema between our first look and the write lock.
    const int version = ReadUserVersion(db, m_path);
    CheckNotNewer(m_path, version);
    if (version == SCHEMA_VERSION)
    {
        return; // the destructor ends the (empty) transaction
    }
    Statement count(db, m_path, "SELECT count(*) FROM sqlite_master");
    count.Step();
    if (sqlite3_column_int64(count.Get(), 0) != 0)
    {
        throw std::runtime_error("results database " + m_path
                                 + " has tables but no schema version (user_version 0): it is "
                                   "not a sriov-vmcomm results database");
    }
    NS_LOG_INFO("creating schema version " << SCHEMA_VERSION << " in " << m_path);
    Exec(db, m_path, SCHEMA_SQL);
    // PRAGMA takes no bound parameters; the value is a compile-time constant.
    Exec(db, m_path, ("PRAGMA user_version = " + std::to_string(SCHEMA_VERSION)).c_str());
    tx.Commit();
}

int64_t
ResultsDb::WriteRun(const RunRecord& run)
{
    NS_LOG_FUNCTION(this << run.scenario << run.point.value_or("<ad-hoc>"));
    sqlite3* db = m_db.get();
    try
    {
        Transaction tx(db, m_path);

        if (run.point)
        {
            // Inside the write transaction, so no other process can insert the point between
            // this check and our insert.
            Statement find(db, m_path, "SELECT id, status FROM runs WHERE point = ?1");
            find.Bind(1, *run.point);
            if (find.Step())
            {
                const int64_t oldId = sqlite3_column_int64(find.Get(), 0);
                const auto* st = reinterpret_cast<const char*>(sqlite3_column_text(find.Get(), 1));
                if (st != nullptr && std::string(st) == "ok")
                {
                    NS_LOG_INFO("point " << *run.point << " already done as run " << oldId);
                    return oldId; // the destructor ends the (empty) transaction
                }
                NS_LOG_INFO("replacing failed run " << oldId << " of point " << *run.point);
                for (const char* sql : CHILD_DELETES)
                {
                    Statement del(db, m_path, sql);
                    del.Bind(1, oldId);
                    del.Run();
                }
            }
        }

        Statement ins(db, m_path,
                      "INSERT INTO runs (point, scenario, topology, mode, rng_seed, rng_run, "
                      "version, started_at, wall_seconds, sim_seconds, status, message) "
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
        if (run.point)
        {
            ins.Bind(1, *run.point);
        }
        ins.Bind(2, run.scenario)
            .BindOrNull(3, run.topology)
            .BindOrNull(4, run.mode)
            .Bind(5, run.rngSeed)
            .Bind(6, run.rngRun)
            .BindOrNull(7, run.version)
            .BindOrNull(8, run.startedAt)
            .Bind(9, run.wallSeconds)
            .Bind(10, run.simSeconds)
            .Bind(11, run.status)
            .BindOrNull(12, run.message);
        ins.Run();
        const int64_t id = sqlite3_last_insert_rowid(db);

        Statement param(db, m_path,
                        "INSERT INTO run_params (run_id, name, value) VALUES (?1, ?2, ?3)");
        for (const auto& [name, value] : run.params)
        {
            param.Bind(1, id).Bind(2, name).Bind(3, value);
            param.Run();
        }

        Statement flow(
            db, m_path,
            "INSERT INTO flows (run_id, flow_id, src, dst, src_host, dst_host, "
            "same_host, tx_frames, tx_bytes, rx_frames, rx_bytes, dropped, "
            "throughput_bps, frame_bps, offered_bps, saturated, lat_mean_ns, "
            "lat_p50_ns, lat_p99_ns, lat_p999_ns, lat_max_ns, in_flight) VALUES (?1, ?2, "
            "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, "
            "?19, ?20, ?21, ?22)");
        for (const auto& f : run.flows)
        {
            flow.Bind(1, id)
                .Bind(2, f.flowId)
                .Bind(3, f.src)
                .Bind(4, f.dst)
                .Bind(5, f.srcHost)
                .Bind(6, f.dstHost)
                .Bind(7, int64_t{f.sameHost ? 1 : 0})
                .Bind(8, f.txFrames)
                .Bind(9, f.txBytes)
                .Bind(10, f.rxFrames)
                .Bind(11, f.rxBytes)
                .Bind(12, f.dropped)
                .Bind(13, f.throughputBps)
                .Bind(14, f.frameBps)
                .Bind(15, f.offeredBps)
                .Bind(16, int64_t{f.saturated ? 1 : 0})
                .Bind(17, f.latMeanNs)
                .Bind(18, f.latP50Ns)
                .Bind(19, f.latP99Ns)
                .Bind(20, f.latP999Ns)
                .Bind(21, f.latMaxNs);
            if (f.inFlight)
            {
                flow.Bind(22, *f.inFlight);
            }
            else
            {
                flow.BindNull(22);
            }

            flow.Run();
        }

        Statement drop(db, m_path,
                       "INSERT INTO drops (run_id, component, reason, count) "
                       "VALUES (?1, ?2, ?3, ?4)");
        for (const auto& d : run.drops)
        {
            drop.Bind(1, id).Bind(2, d.component).Bind(3, d.reason).Bind(4, d.count);
            drop.Run();
        }

        Statement counter(db, m_path,
                          "INSERT INTO counters (run_id, component, name, value) "
                          "VALUES (?1, ?2, ?3, ?4)");
        for (const auto& c : run.counters)
        {
            counter.Bind(1, id).Bind(2, c.component).Bind(3, c.name).Bind(4, c.value);
            counter.Run();
        }

        Statement hist(db, m_path,
                       "INSERT INTO latency_hist (run_id, flow_id, lo_ns, hi_ns, count) "
                       "VALUES (?1, ?2, ?3, ?4, ?5)");
        for (const auto& [flowId, h] : run.histograms)
        {
            h.ForEachBucket(
                [&](int64_t lo, int64_t hi, uint64_t count)
                {
                    hist.Bind(1, id)
                        .Bind(2, flowId)
                        .Bind(3, static_cast<double>(lo))
                        .Bind(4, static_cast<double>(hi))
                        .Bind(5, count);
                    hist.Run();
                });
        }

        tx.Commit();
        NS_LOG_INFO("wrote run " << id << " to " << m_path);
        return id;
    }
    catch (const std::runtime_error& e)
    {
        throw std::runtime_error(std::string(e.what()) + " (run of scenario '" + run.scenario
                                 + "' not written)");
    }
}

bool
ResultsDb::HasPoint(const std::string& point, bool okOnly)
{
    Statement st(m_db.get(), m_path,
                 okOnly ? "SELECT 1 FROM runs WHERE point = ?1 AND status = 'ok'"
                        : "SELECT 1 FROM runs WHERE point = ?1");
    st.Bind(1, point);
    return st.Step();
}

int
ResultsDb::GetSchemaVersion()
{
    return ReadUserVersion(m_db.get(), m_path);
}

const std::string&
ResultsDb::GetPath() const
{
    return m_path;
}

std::vector<ResultsDb::Row>
ResultsDb::Query(const std::string& sql, const std::vector<std::string>& args)
{
    Statement st(m_db.get(), m_path, sql);
    for (std::size_t i = 0; i < args.size(); ++i)
    {
        st.Bind(static_cast<int>(i + 1), args[i]);
    }
    std::vector<Row> rows;
    sqlite3_stmt* s = st.Get();
    while (st.Step())
    {
        Row row;
        const int n = sqlite3_column_count(s);
        row.reserve(n);
        for (int c = 0; c < n; ++c)
        {
            Cell cell;
            switch (sqlite3_column_type(s, c))
            {
                case SQLITE_NULL:
                    cell.type = Cell::NULL_VALUE;
                    break;
                case SQLITE_INTEGER:
                    cell.type = Cell::INTEGER;
                    break;
                case SQLITE_FLOAT:
                    cell.type = Cell::REAL;
                    break;
                default:
                    cell.type = Cell::TEXT;
                    break;
            }
            if (cell.type != Cell::NULL_VALUE)
            {
                // Read the numeric forms before the text form: converting changes the type.
                cell.i = sqlite3_column_int64(s, c);
                cell.d = sqlite3_column_double(s, c);
                const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(s, c));
                cell.text = text != nullptr ? text : "";
            }
            row.push_back(std::move(cell));
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

std::string
ResultsDb::NowIso8601()
{
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char buf[32];
    std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &utc);
    return buf;
}

namespace {

/**
 * Serialize an attribute value so that it can be set again from the string.
 * PointerValue would print an address; an object is written instead as
 * "TypeName[Attr=value|...]", the ObjectFactory syntax PointerValue accepts back.
 * \param value the value
 * \param checker its checker
 * \param depth nesting depth (objects inside objects are cut off at a few levels)
 * \returns the string
 */
std::string
SerializeValue(const AttributeValue& value, Ptr<const AttributeChecker> checker, int depth)
{
    // Written so that they read back exactly: DoubleValue writes 6 significant digits and
    // TimeValue "+3e+11ns" (run_params replay through the command line, doc/results.md).
    if (const auto* dv = dynamic_cast<const DoubleValue*>(&value); dv && std::isfinite(dv->Get()))
    {
        for (int digits = 15;; ++digits)
        {
            std::ostringstream os;
            os << std::setprecision(digits) << dv->Get();
            // strtod, not stod: a default of DBL_MAX at 15 digits reads back out of range.
            if (digits >= std::numeric_limits<double>::max_digits10
                || std::strtod(os.str().c_str(), nullptr) == dv->Get())
            {
                return os.str();
            }
        }
    }
    if (const auto* tv = dynamic_cast<const TimeValue*>(&value))
    {
        return CommandLineCheck::FormatTime(tv->Get());
    }
    const auto* pv = dynamic_cast<const PointerValue*>(&value);
    if (pv == nullptr)
    {
        return value.SerializeToString(checker);
    }
    Ptr<Object> obj = pv->GetObject();
    if (!obj)
    {
        return "0"; // what PointerValue writes for a null pointer
    }
    const TypeId tid = obj->GetInstanceTypeId();
    if (depth > 4)
    {
        return tid.GetName();
    }
    std::string out = tid.GetName() + "[";
    bool first = true;
    // Walk from the instance type up to ObjectBase: attributes are declared per type.
    TypeId t = tid;
    for (int level = 0; level < 64; ++level)
    {
        for (std::size_t i = 0; i < t.GetAttributeN(); ++i)
        {
            const TypeId::AttributeInformation info = t.GetAttribute(i);
            if (!(info.flags & TypeId::ATTR_GET)
                || !(info.flags & (TypeId::ATTR_SET | TypeId::ATTR_CONSTRUCT))
                || info.supportLevel == TypeId::OBSOLETE)
            {
                continue;
            }
            Ptr<AttributeValue> v = info.checker->Create();
            if (!obj->GetAttributeFailSafe(info.name, *v))
            {
                continue;
            }
            out += (first ? "" : "|") + info.name + "="
                 + SerializeValue(*v, info.checker, depth + 1);
            first = false;
        }
        if (!t.HasParent() || t.GetParent() == t)
        {
            break;
        }
        t = t.GetParent();
    }
    return out + "]";
}

} // namespace

std::vector<std::pair<std::string, std::string>>
CollectAttributeDefaults(const std::string& groupName)
{
    std::vector<std::pair<std::string, std::string>> out;
    for (uint16_t i = 0; i < TypeId::GetRegisteredN(); ++i)
    {
        const TypeId tid = TypeId::GetRegistered(i);
        if (!groupName.empty() && tid.GetGroupName() != groupName)
        {
            continue;
        }
        for (std::size_t a = 0; a < tid.GetAttributeN(); ++a)
        {
            const TypeId::AttributeInformation info = tid.GetAttribute(a);
            // Only construction attributes take their initial value; the others (read-only
            // state, containers) are not settings.
            if (!(info.flags & TypeId::ATTR_CONSTRUCT) || info.supportLevel == TypeId::OBSOLETE
                || !info.initialValue)
            {
                continue;
            }
            // No object (a null pointer: EthernetNetDevice::TxQueue) is no setting: ns-3
            // cannot read "0" back (--ns3::...::TxQueue=0 crashes it).
            const auto* pv = dynamic_cast<const PointerValue*>(PeekPointer(info.initialValue));
            if (pv != nullptr && !pv->GetObject())
            {
                continue;
            }
            out.emplace_back(tid.GetName() + "::" + info.name,
                             SerializeValue(*info.initialValue, info.checker, 0));
        }
    }
    for (auto it = GlobalValue::Begin(); it != GlobalValue::End(); ++it)
    {
        Ptr<const AttributeChecker> checker = (*it)->GetChecker();
        Ptr<AttributeValue> v = checker->Create();
        (*it)->GetValue(*v);
        out.emplace_back((*it)->GetName(), SerializeValue(*v, checker, 0));
    }
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace ns3
