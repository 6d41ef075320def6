/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * One dma-bench point: builds the DMA path from the attribute defaults, runs the closed loop,
 * measures bandwidth or latency (see dma-bench.h); byte-size parsing and formatting.
 */
#include "dma-bench.h"

#include "ns3/abort.h"
#include "ns3/dma-engine.h"
#include "ns3/iommu.h"
#include "ns3/log.h"
#include "ns3/memory-domain.h"
#include "ns3/pcie-link.h"
#include "ns3/random-variable-stream.h"
#include "ns3/root-complex.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace ns3 {

NS_LOG_COMPONENT_DEFINE("DmaBench");

namespace {

constexpr uint64_t CACHE_LINE = 64;
constexpr uint64_t HPA_BASE = uint64_t{4} << 30; // aligned for every page size
constexpr uint32_t DEFAULT_BW_OPS = 20000;
constexpr uint32_t DEFAULT_LAT_OPS = 5000;
constexpr uint32_t DEFAULT_WARMUP = 2000;
constexpr int64_t RC_STREAM_BASE = 1000000; // root-complex streams, apart from the addresses'
constexpr uint64_t DEVICE_BASE = 1 << 20;   // NIC-memory buffer, aligned for every offset

/** The closed-loop benchmark of one point. */
class Bench
{
  public:
    explicit Bench(const DmaBenchConfig& c);
    DmaBenchResult Run();

  private:
    /** Submit one operation now. */
    void Submit();
    /** An operation submitted at \p submitted and moving \p bytes completes now. */
    void Complete(Time submitted, uint32_t bytes);
    /** The warm-up is over: zero the counters. */
    void StartMeasuring();
    /** The measurement is over: take the counters and stop. */
    void StopMeasuring();
    /** \return the window offset of the next operation */
    uint64_t NextOffset();

    DmaBenchConfig m_c;
    Ptr<PcieLink> m_link;
    Ptr<Iommu> m_iommu;
    Ptr<DmaEngine> m_dma;
    Ptr<MemoryDomain> m_mem;
    Ptr<UniformRandomVariable> m_rng;
    uint64_t m_slots{0};     //!< random: aligned offsets that hold a transfer
    uint64_t m_stride{0};    //!< sequential: distance between transfers
    uint64_t m_seqOffset{0}; //!< sequential: next offset
    uint64_t m_submitted{0};
    uint64_t m_completed{0};
    uint64_t m_warmup{0};
    uint64_t m_ops{0};
    uint32_t m_outstanding{1};
    bool m_measuring{false};
    bool m_done{false};
    Time m_t0;
    Time m_t1;
    uint64_t m_bytes{0};
    uint64_t m_slotStalls0{0};
    uint64_t m_coldReads0{0};
    std::vector<int64_t> m_latNs;
    DmaBenchResult m_r;
};

Bench::Bench(const DmaBenchConfig& c)
    : m_c(c)
{
    if (c.size == 0)
    {
        throw std::invalid_argument("size must be at least 1 byte");
    }
    if (c.window < c.size)
    {
        throw std::invalid_argument("window (" + std::to_string(c.window)
                                    + " bytes) is smaller than the transfer size ("
                                    + std::to_string(c.size) + " bytes)");
    }
    if (c.hostOffset >= CACHE_LINE)
    {
        throw std::invalid_argument("host offset " + std::to_string(c.hostOffset)
                                    + " is not within a cache line (0..63 bytes)");
    }
    if (c.window < uint64_t{c.size} + c.hostOffset)
    {
        throw std::invalid_argument("window (" + std::to_string(c.window)
                                    + " bytes) is smaller than the host offset plus the size ("
                                    + std::to_string(c.hostOffset + uint64_t{c.size}) + " bytes)");
    }
    if (c.deviceOffset >= CACHE_LINE)
    {
        throw std::invalid_argument("device offset " + std::to_string(c.deviceOffset)
                                    + " is not within a cache line (0..63 bytes)");
    }
    if (c.pageBytes != 4096 && c.pageBytes != 2097152 && c.pageBytes != 1073741824)
    {
        throw std::invalid_argument("page size " + std::to_string(c.pageBytes)
                                    + " is not 4KiB, 2MiB or 1GiB");
    }
    if (c.window > (uint64_t{1} << 40))
    {
        throw std::invalid_argument("window larger than 1 TiB");
    }

    m_link = CreateObject<PcieLink>();
    m_iommu = c.iommu ? CreateObject<Iommu>() : nullptr;
    m_dma = CreateObject<DmaEngine>();
    m_dma->Attach(m_link, m_iommu);
    m_mem = CreateObject<MemoryDomain>();
    const uint64_t memBytes = (c.window + c.pageBytes - 1) / c.pageBytes * c.pageBytes;
    m_mem->SetAttribute("SizeBytes", UintegerValue(memBytes));
    m_mem->SetAttribute("PageSize", UintegerValue(c.pageBytes));
    m_mem->Attach(m_iommu, HPA_BASE);
    // The host cache: pcie-bench warms the window from the host (HWarm) or flushes it (Cold).
    Ptr<RootComplex> rc = m_dma->GetRootComplex();
    rc->SetWorkingSet(c.window, c.cacheWarm);
    rc->AssignStreams(RC_STREAM_BASE + 2 * int64_t{c.rngStream});

    m_rng = CreateObject<UniformRandomVariable>();
    m_rng->SetStream(c.rngStream);
    m_slots = (c.window - c.size - c.hostOffset) / CACHE_LINE + 1;
    m_stride = (c.size + CACHE_LINE - 1) / CACHE_LINE * CACHE_LINE;

    const bool bw = c.metric == DmaBenchConfig::BANDWIDTH;
    m_ops = c.ops != 0 ? c.ops : (bw ? DEFAULT_BW_OPS : DEFAULT_LAT_OPS);
    if (bw)
    {
        // Enough in flight that the device, not the loop, is the limit: twice the read bound.
        UintegerValue tags;
        m_link->GetAttribute("MaxOutstandingReads", tags);
        UintegerValue engine;
        m_dma->GetAttribute("MaxOutstandingReads", engine);
        uint64_t bound = tags.Get();
        if (engine.Get() != 0)
        {
            bound = std::min<uint64_t>(bound, engine.Get());
        }
        m_outstanding = c.outstanding != 0
                          ? c.outstanding
                          : static_cast<uint32_t>(std::max<uint64_t>(64, 2 * bound));
    }
    // The warm-up fills the IOTLB and lets the loop settle after its start-up burst.
    m_warmup = c.warmup != 0 ? c.warmup : std::max<uint64_t>(DEFAULT_WARMUP, 8 * m_outstanding);
    m_latNs.reserve(m_ops);
}

uint64_t
Bench::NextOffset()
{
    if (m_c.pattern == DmaBenchConfig::RANDOM)
    {
        return CACHE_LINE
                 * m_rng->GetInteger(0, static_cast<uint32_t>(std::min<uint64_t>(
                                            m_slots - 1, std::numeric_limits<uint32_t>::max())))
             + m_c.hostOffset;
    }
    if (m_seqOffset + m_c.hostOffset + m_c.size > m_c.window)
    {
        m_seqOffset = 0;
    }
    const uint64_t offset = m_seqOffset + m_c.hostOffset;
    m_seqOffset += m_stride;
    return offset;
}

void
Bench::Submit()
{
    const Time now = Simulator::Now();
    const uint64_t addr = NextOffset();
    const uint64_t device = DEVICE_BASE + m_c.deviceOffset;
    DmaEngine::Result r;
    uint32_t bytes = m_c.size;
    bool write = m_c.op == DmaBenchConfig::WRITE;
    if (m_c.op == DmaBenchConfig::WRITE_READ)
    {
        if (m_c.metric == DmaBenchConfig::LATENCY)
        {
            // LAT_WRRD: the engine runs the two commands in order, and PCIe ordering (a read
            // does not pass a posted write) keeps the read behind the write: the read starts
            // when the write has reached the root complex.
            DmaEngine::Result w = m_dma->Write(m_mem, addr, m_c.size, now, device);
            NS_ABORT_MSG_IF(w.fault, "dma-bench: IOMMU fault on a write at 0x" << std::hex << addr);
            r = m_dma->Read(m_mem, addr, nullptr, m_c.size, w.done, device);
            NS_ABORT_MSG_IF(r.fault, "dma-bench: IOMMU fault at 0x" << std::hex << addr);
            ++m_submitted;
            Simulator::Schedule(r.done - now, &Bench::Complete, this, now, 2 * m_c.size);
            return;
        }
        else
        {
            write = m_submitted % 2 == 0; // BW_RDWR: alternate
        }
    }
    r = write ? m_dma->Write(m_mem, addr, m_c.size, now, device)
              : m_dma->Read(m_mem, addr, nullptr, m_c.size, now, device);
    NS_ABORT_MSG_IF(r.fault, "dma-bench: IOMMU fault at 0x" << std::hex << addr);
    ++m_submitted;
    Simulator::Schedule(r.done - now, &Bench::Complete, this, now, bytes);
}

void
Bench::StartMeasuring()
{
    m_measuring = true;
    m_t0 = Simulator::Now();
    m_link->ResetCounters();
    if (m_iommu)
    {
        m_iommu->ResetCounters();
    }
    m_slotStalls0 = m_dma->GetReadSlotStalls();
    m_coldReads0 = m_dma->GetRootComplex()->GetColdReads();
}

void
Bench::StopMeasuring()
{
    m_done = true;
    m_t1 = Simulator::Now();
    const double seconds = (m_t1 - m_t0).GetSeconds();
    auto& c = m_r.counters;
    c.emplace_back("pcie_up_utilization",
                   m_link->GetBusyTime(PcieLink::UPSTREAM).GetSeconds() / seconds);
    c.emplace_back("pcie_down_utilization",
                   m_link->GetBusyTime(PcieLink::DOWNSTREAM).GetSeconds() / seconds);
    c.emplace_back("pcie_up_wire_bytes", m_link->GetWireBytes(PcieLink::UPSTREAM));
    c.emplace_back("pcie_down_wire_bytes", m_link->GetWireBytes(PcieLink::DOWNSTREAM));
    c.emplace_back("pcie_tag_stalls", m_link->GetTagStalls());
    c.emplace_back("engine_read_slot_stalls", m_dma->GetReadSlotStalls() - m_slotStalls0);
    if (m_iommu)
    {
        const double hits = m_iommu->GetHits();
        const double misses = m_iommu->GetMisses();
        m_r.iotlbMissRate = hits + misses > 0 ? misses / (hits + misses) : 0;
        c.emplace_back("iotlb_hits", hits);
        c.emplace_back("iotlb_misses", misses);
        c.emplace_back("iotlb_walk_accesses", m_iommu->GetWalkAccesses());
    }
    c.emplace_back("host_cache_cold_reads", m_dma->GetRootComplex()->GetColdReads() - m_coldReads0);
    Simulator::Stop();
}

void
Bench::Complete(Time submitted, uint32_t bytes)
{
    if (m_done)
    {
        return;
    }
    ++m_completed;
    if (m_measuring)
    {
        const Time lat = Simulator::Now() - submitted;
        m_latNs.push_back(lat.GetNanoSeconds());
        m_r.latency.Record(lat);
        m_bytes += bytes;
        if (m_completed == m_warmup + m_ops)
        {
            StopMeasuring();
            return;
        }
    }
    else if (m_completed == m_warmup)
    {
        StartMeasuring();
    }
    Submit();
}

DmaBenchResult
Bench::Run()
{
    // Warm the IOTLB with the window's pages first, as pcie-bench warms before it measures:
    // otherwise the start-up walks leave a backlog that drains only slowly when the link is
    // barely faster than the engine.
    Time start;
    if (m_iommu)
    {
        const uint64_t pages = std::min<uint64_t>((m_c.window + m_c.pageBytes - 1) / m_c.pageBytes,
                                                  uint64_t{1} << 16);
        for (uint64_t p = 0; p < pages; ++p)
        {
            const Iommu::Translation t
                = m_iommu->Translate(m_mem->GetIommuDomain(), p * m_c.pageBytes, false, Time(0));
            start = std::max(start, t.readyAt);
        }
        start += MicroSeconds(1);
    }
    for (uint32_t i = 0; i < m_outstanding; ++i)
    {
        Simulator::Schedule(start, &Bench::Submit, this);
    }
    Simulator::Run();
    NS_ABORT_MSG_IF(!m_done, "dma-bench: the simulation ended before the measurement did");
    m_r.simTime = Simulator::Now();
    Simulator::Destroy();

    m_r.ops = m_latNs.size();
    m_r.bytes = m_bytes;
    m_r.outstanding = m_outstanding;
    m_r.interval = m_t1 - m_t0;
    m_r.gbps
        = m_r.interval.IsStrictlyPositive() ? m_bytes * 8.0 / m_r.interval.GetSeconds() / 1e9 : 0.0;
    std::sort(m_latNs.begin(), m_latNs.end());
    // Nearest-rank percentiles of the exact samples.
    auto pct = [this](double p)
    {
        const std::size_t n = m_latNs.size();
        const std::size_t rank = static_cast<std::size_t>(std::ceil(p / 100.0 * n));
        return static_cast<double>(m_latNs[std::max<std::size_t>(rank, 1) - 1]);
    };
    m_r.latMedianNs = pct(50);
    m_r.latP95Ns = pct(95);
    m_r.latP999Ns = pct(99.9);
    m_r.latMinNs = static_cast<double>(m_latNs.front());
    if (m_c.latCdf && m_c.metric == DmaBenchConfig::LATENCY)
    {
        // One pair per distinct latency: the last of a run of equal samples gives its fraction.
        const std::size_t n = m_latNs.size();
        for (std::size_t i = 0; i < n; ++i)
        {
            if (i + 1 == n || m_latNs[i + 1] != m_latNs[i])
            {
                m_r.latCdf.emplace_back(static_cast<double>(m_latNs[i]),
                                        static_cast<double>(i + 1) / static_cast<double>(n));
            }
        }
    }
    m_r.counters.emplace_back("outstanding", m_outstanding);
    m_r.counters.emplace_back("ops", m_r.ops);
    m_r.counters.emplace_back("interval_seconds", m_r.interval.GetSeconds());
    return m_r;
}

} // namespace

DmaBenchResult
RunDmaBenchPoint(const DmaBenchConfig& config)
{
    Bench bench(config);
    return bench.Run();
}

uint64_t
ParseByteSize(const std::string& text)
{
    auto bad = [&text](const std::string& why)
    {
        return std::invalid_argument("'" + text + "': " + why
                                     + "; allowed: a whole number of bytes with an optional suffix "
                                       "B, KiB, MiB or GiB, e.g. 64, 4KiB, 2MiB");
    };
    std::size_t i = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])))
    {
        ++i;
    }
    if (i == 0)
    {
        throw bad("not a number");
    }
    if (i > 18)
    {
        throw bad("too large");
    }
    const uint64_t n = std::stoull(text.substr(0, i));
    const std::string suffix = text.substr(i);
    uint64_t unit = 0;
    if (suffix.empty() || suffix == "B")
    {
        unit = 1;
    }
    else if (suffix == "KiB")
    {
        unit = uint64_t{1} << 10;
    }
    else if (suffix == "MiB")
    {
        unit = uint64_t{1} << 20;
    }
    else if (suffix == "GiB")
    {
        unit = uint64_t{1} << 30;
    }
    else
    {
        throw bad("unknown suffix '" + suffix + "'");
    }
    if (n > std::numeric_limits<uint64_t>::max() / unit)
    {
        throw bad("too large");
    }
    return n * unit;
}

std::string
FormatByteSize(uint64_t bytes)
{
    if (bytes != 0 && bytes % (uint64_t{1} << 30) == 0)
    {
        return std::to_string(bytes >> 30) + "GiB";
    }
    if (bytes != 0 && bytes % (uint64_t{1} << 20) == 0)
    {
        return std::to_string(bytes >> 20) + "MiB";
    }
    if (bytes != 0 && bytes % 1024 == 0)
    {
        return std::to_string(bytes >> 10) + "KiB";
    }
    return std::to_string(bytes);
}

std::string
ToString(DmaBenchConfig::Op op)
{
    switch (op)
    {
        case DmaBenchConfig::READ:
            return "read";
        case DmaBenchConfig::WRITE:
            return "write";
        case DmaBenchConfig::WRITE_READ:
            return "rw";
    }
    return "?";
}

std::string
ToString(DmaBenchConfig::Pattern p)
{
    return p == DmaBenchConfig::RANDOM ? "rand" : "seq";
}

std::string
ToString(DmaBenchConfig::Metric m)
{
    return m == DmaBenchConfig::BANDWIDTH ? "bw" : "lat";
}

} // namespace ns3
