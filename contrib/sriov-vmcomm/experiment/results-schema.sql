-- The sriov-vmcomm results database, schema version 3 (the PRAGMA at the end): the one place
-- the schema is written down. CMake embeds this file into the C++ writer (ResultsDb, which checks
-- at compile time that its SCHEMA_VERSION is the version below); analysis/vmcomm_db.py reads it
-- at run time. doc/results.md explains the tables. An incompatible change must bump the version.
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

-- Attribute values the run's objects had that differ from the defaults in run_params: what a
-- preset, a switch profile, a guest kind or a topology file set on one host's parts.
CREATE TABLE component_params (
    run_id    INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    component TEXT NOT NULL,
    name      TEXT NOT NULL,
    value     TEXT,
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

PRAGMA user_version = 3;
