/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The pcie-bench style DMA microbenchmark on the model (DmaBenchConfig, RunDmaBenchPoint):
 * one point's DMA engine, PCIe link, IOMMU and memory, its closed loop and its figures.
 */
#ifndef DMA_BENCH_H
#define DMA_BENCH_H

#include "latency-histogram.h"
#include "ns3/nstime.h"

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace ns3 {

/**
 * \ingroup sriov-vmcomm
 * \brief One point of the pcie-bench style DMA microbenchmark (Neugebauer et al., SIGCOMM 2018).
 *
 * The NIC's DMA engine reads, writes, or writes then reads transfers of \c size bytes at
 * cache-line (64 B) aligned offsets plus \c hostOffset inside a \c window of one VM's memory,
 * random or sequential, with the IOMMU on or off. The hardware is built from the attribute defaults
 * in force (see ApplyPreset()).
 */
struct DmaBenchConfig
{
    /** What each operation does. */
    enum Op
    {
        READ,      //!< DMA read (pcie-bench BW_RD / LAT_RD)
        WRITE,     //!< DMA write (BW_WR)
        WRITE_READ //!< bandwidth: writes and reads alternate (BW_RDWR); latency: a write then a
                   //!< read of the same address, timed together (LAT_WRRD)
    };

    /** How addresses are chosen. */
    enum Pattern
    {
        RANDOM,    //!< uniformly random 64 B aligned offsets in the window
        SEQUENTIAL //!< one transfer after the other (stride: size rounded up to 64 B), wrapping
    };

    /** What is measured. */
    enum Metric
    {
        BANDWIDTH, //!< keep as many operations in flight as the device takes; report Gb/s
        LATENCY    //!< one operation at a time, the next when it completes; report latency
    };

    Op op{READ};              //!< operation
    uint32_t size{64};        //!< transfer size, bytes (> 0)
    uint64_t window{8192};    //!< window size, bytes (>= size)
    Pattern pattern{RANDOM};  //!< address pattern
    bool iommu{false};        //!< DMA remapping on
    uint64_t pageBytes{4096}; //!< IOMMU page size: 4096, 2097152 or 1073741824
    Metric metric{BANDWIDTH}; //!< what is measured
    uint32_t ops{0};          //!< measured operations (0: 20000 bandwidth, 5000 latency)
    uint32_t warmup{0};       //!< operations before measuring (0: 2000, at least 8 x outstanding)
    uint32_t outstanding{0};  //!< bandwidth: operations submitted at once (0: automatic)
    uint32_t rngStream{0};    //!< ns-3 RNG stream of the random addresses
    uint32_t hostOffset{0};   //!< bytes past the cache-line boundary of each host address (0..63)
    uint32_t deviceOffset{0}; //!< bytes past a cache-line boundary of the NIC-memory address
    bool cacheWarm{true};     //!< host cache warm (the window's lines cached) or cold
    bool latCdf{false};       //!< latency: also build DmaBenchResult::latCdf (off: no cost)
};

/**
 * \ingroup sriov-vmcomm
 * \brief The figures of one dma-bench point.
 */
struct DmaBenchResult
{
    double gbps{0};           //!< payload bits moved per second of the measured interval, Gb/s
    double latMedianNs{0};    //!< median latency of the measured operations, ns (exact)
    double latP95Ns{0};       //!< 95th percentile latency, ns (exact)
    double latP999Ns{0};      //!< 99.9th percentile latency, ns (exact)
    double latMinNs{0};       //!< smallest latency, ns (exact)
    double iotlbMissRate{0};  //!< IOTLB misses / translations in the interval (0 without IOMMU)
    uint64_t ops{0};          //!< operations measured
    uint64_t bytes{0};        //!< payload bytes of the measured operations
    uint32_t outstanding{0};  //!< operations kept submitted (bandwidth; 1 for latency)
    Time interval;            //!< measured interval (simulated)
    Time simTime;             //!< simulated time of the whole point
    LatencyHistogram latency; //!< latency of each measured operation
    /**
     * Latency: the empirical CDF of the measured latencies, one (ns, fraction) pair per distinct
     * latency in increasing order, fraction = share of the operations at or below it (the last
     * is 1). Empty unless config.latCdf and the metric is LATENCY.
     */
    std::vector<std::pair<double, double>> latCdf;
    /** further counters of the interval, (name, value): PCIe utilization, IOTLB, stalls */
    std::vector<std::pair<std::string, double>> counters;
};

/**
 * \ingroup sriov-vmcomm
 * \brief Run one dma-bench point in the simulator.
 *
 * Builds a PcieLink, an Iommu (if config.iommu), a DmaEngine and one MemoryDomain holding the
 * window, from the attribute defaults in force, then runs a closed loop: bandwidth keeps
 * config.outstanding operations submitted (by default twice the read bound, the engine's or
 * else the link's tags, and at least 64, so the device and not the loop limits), latency one.
 * Each completion submits the next operation. The IOTLB is first warmed with the window's pages
 * (up to 65536), and warm-up operations let the loop settle; neither is measured (pcie-bench
 * also warms before it measures). The measurement runs from the warm-up's last completion to
 * the ops-th completion after it. Calls Simulator::Destroy().
 *
 * \param config the point
 * \return the figures
 * \throws std::invalid_argument if the config is invalid (the message says why)
 */
DmaBenchResult RunDmaBenchPoint(const DmaBenchConfig& config);

/**
 * \ingroup sriov-vmcomm
 * \brief Parse a byte count: digits with an optional suffix B, KiB, MiB or GiB (e.g. "4KiB").
 * \param text the text
 * \return the bytes
 * \throws std::invalid_argument naming the text and what is allowed
 */
uint64_t ParseByteSize(const std::string& text);

/**
 * \ingroup sriov-vmcomm
 * \param bytes a byte count
 * \return it in the shortest exact form ParseByteSize() reads: "64", "4KiB", "2MiB"
 */
std::string FormatByteSize(uint64_t bytes);

/** \ingroup sriov-vmcomm \param op an operation \return "read", "write" or "rw" */
std::string ToString(DmaBenchConfig::Op op);
/** \ingroup sriov-vmcomm \param p a pattern \return "rand" or "seq" */
std::string ToString(DmaBenchConfig::Pattern p);
/** \ingroup sriov-vmcomm \param m a metric \return "bw" or "lat" */
std::string ToString(DmaBenchConfig::Metric m);

} // namespace ns3

#endif /* DMA_BENCH_H */
