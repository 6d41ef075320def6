/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The root complex's side of device DMA: the request pipeline shared by reads and writes (per
 * TLP and per cache line), the host cache (cold reads), and the spread of read latency.
 */
#include "root-complex.h"

#include "ns3/abort.h"
#include "ns3/double.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

#include <algorithm>

namespace ns3 {

NS_LOG_COMPONENT_DEFINE("RootComplex");
NS_OBJECT_ENSURE_REGISTERED(RootComplex);

namespace {
constexpr uint64_t CACHE_LINE_BYTES = 64; //!< host cache line (x86)
} // namespace

TypeId
RootComplex::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::RootComplex")
              .SetParent<Object>()
              .SetGroupName("SriovVmcomm")
              .AddConstructor<RootComplex>()
              .AddAttribute(
                  "ReadRequestTime",
                  "Time the root complex's request pipeline (shared by reads and writes) is "
                  "busy per read request TLP, on top of ReadLineTime per line. Default 0 (no "
                  "bound): not measured on nfp6000-bdw; the nfp6000-hsw preset fits it to "
                  "pcie-bench's read bandwidth by size (doc/validation.md).",
                  TimeValue(Time(0)), MakeTimeAccessor(&RootComplex::m_readRequestTime),
                  MakeTimeChecker(Time(0)))
              .AddAttribute(
                  "ReadLineTime",
                  "Time the request pipeline is busy per cache line a read touches (a partial "
                  "line as a whole one). Default 0: as ReadRequestTime.",
                  TimeValue(Time(0)), MakeTimeAccessor(&RootComplex::m_readLineTime),
                  MakeTimeChecker(Time(0)))
              .AddAttribute(
                  "WriteTlpTime",
                  "Time the request pipeline is busy per posted write TLP, on top of "
                  "WriteLineTime per line. Default 0: as ReadRequestTime (write bandwidth by "
                  "size).",
                  TimeValue(Time(0)), MakeTimeAccessor(&RootComplex::m_writeTlpTime),
                  MakeTimeChecker(Time(0)))
              .AddAttribute("WriteLineTime",
                            "Time the request pipeline is busy per cache line a write touches "
                            "(a partial line as a whole one). Default 0: as WriteTlpTime.",
                            TimeValue(Time(0)), MakeTimeAccessor(&RootComplex::m_writeLineTime),
                            MakeTimeChecker(Time(0)))
              .AddAttribute(
                  "ReadStraddleLineTime",
                  "Pipeline time of the line a read touches beyond its size in lines (a host "
                  "offset within a line makes 64 B touch two), instead of ReadLineTime: the host "
                  "fetches that line along with the others. Default 0: as ReadRequestTime "
                  "(pcie-bench bw_dma_off_rd, host offsets).",
                  TimeValue(Time(0)), MakeTimeAccessor(&RootComplex::m_readStraddleLineTime),
                  MakeTimeChecker(Time(0)))
              .AddAttribute(
                  "WriteStraddleLineTime",
                  "As ReadStraddleLineTime, for writes (instead of WriteLineTime): the host "
                  "merges the two partial lines. Default 0: as ReadRequestTime (pcie-bench "
                  "bw_dma_off_wr, host offsets).",
                  TimeValue(Time(0)), MakeTimeAccessor(&RootComplex::m_writeStraddleLineTime),
                  MakeTimeChecker(Time(0)))
              .AddAttribute(
                  "DirectionSwitchLineTime",
                  "Extra pipeline time per cache line of an operation whose direction (read "
                  "or write) differs from the operation before it. Default 0: as "
                  "ReadRequestTime (pcie-bench BW_RDWR, mixed reads and writes).",
                  TimeValue(Time(0)), MakeTimeAccessor(&RootComplex::m_switchLineTime),
                  MakeTimeChecker(Time(0)))
              .AddAttribute(
                  "DirectionSwitchLines",
                  "Cache lines, counted: how many lines of an operation after a direction "
                  "switch pay DirectionSwitchLineTime (the memory system's turnaround: its "
                  "queues refill, then it runs at its one-direction rate); 0: all of them. "
                  "Default 0; nfp6000-hsw: 18, pcie-bench bw_dma_sz_sweep BW_DMA_RW: mixed reads "
                  "and writes take 3 ns per line more than the two alone up to 1 KiB (16 lines), "
                  "and no more than 50-60 ns per operation from 1 KiB to 2 KiB.",
                  UintegerValue(0), MakeUintegerAccessor(&RootComplex::m_switchLines),
                  MakeUintegerChecker<uint32_t>())
              .AddAttribute(
                  "ColdReadLatency",
                  "Extra latency of a read that misses the host's last-level cache (the DRAM "
                  "access). Default 0: nfp6000-bdw was measured warm only; nfp6000-hsw: "
                  "pcie-bench LAT_DMA_RD cold minus warm.",
                  TimeValue(Time(0)), MakeTimeAccessor(&RootComplex::m_coldReadLatency),
                  MakeTimeChecker(Time(0)))
              .AddAttribute(
                  "DramRefreshInterval",
                  "Interval between two refreshes of a DRAM rank (JEDEC tREFI): a read that "
                  "misses the last-level cache and reaches memory while its rank refreshes "
                  "waits until the refresh ends (DramRefreshTime). The device's accesses are "
                  "not synchronized with refresh: each cold read meets its rank at a uniformly "
                  "drawn phase of the interval. 0: no refresh modelled. Default 0: nfp6000-bdw "
                  "was measured warm only; nfp6000-hsw: 7.8 us, JEDEC JESD79-4 (DDR4, 0-85 C).",
                  TimeValue(Time(0)), MakeTimeAccessor(&RootComplex::m_refreshInterval),
                  MakeTimeChecker(Time(0)))
              .AddAttribute(
                  "DramRefreshTime",
                  "Time a rank is busy per refresh (JEDEC tRFC), during which a cold read to it "
                  "waits. Default 0; nfp6000-hsw: 260 ns, JEDEC JESD79-4 tRFC1 of a 4 Gb DDR4 "
                  "die, as the Haswell host's tail shows: pcie-bench LAT_DMA_RD cold p99.9 is "
                  "267-280 ns above the median, p95 13 ns (tRFC / tREFI = 3.3% of cold reads "
                  "wait, up to 260 ns).",
                  TimeValue(Time(0)), MakeTimeAccessor(&RootComplex::m_refreshTime),
                  MakeTimeChecker(Time(0)))
              .AddAttribute(
                  "ColdReadRequestTime",
                  "Time the host's path to memory is busy per read request that misses the "
                  "last-level cache: at most one such request per interval, a server of its own "
                  "beside the request pipeline (a miss waits for whichever is later). Default 0 "
                  "(no bound): nfp6000-bdw was measured warm only; nfp6000-hsw: pcie-bench 64 B "
                  "reads, cold 19.5 ns per read against warm 17.1 (bw_dma_win_sweep_rd_rnd_64), "
                  "18.9 sequential (bw_dma_off_rd_cold), "
                  "where 128 B reads cold take 24.4-24.5 against 23.7: the pipeline's 24 binds.",
                  TimeValue(Time(0)), MakeTimeAccessor(&RootComplex::m_coldRequestTime),
                  MakeTimeChecker(Time(0)))
              .AddAttribute(
                  "HostCacheBytes",
                  "Bytes of device data the host's last-level cache holds warm; a larger "
                  "working set misses in proportion (SetWorkingSet). 0: unbounded. Default 0.",
                  UintegerValue(0), MakeUintegerAccessor(&RootComplex::m_cacheBytes),
                  MakeUintegerChecker<uint64_t>())
              .AddAttribute(
                  "DeviceWriteAllocateBytes",
                  "Bytes of the device's most recent writes the last-level cache keeps (Intel "
                  "DDIO allocates device writes in a part of the cache): a read of lines the "
                  "device wrote among its last this many bytes hits, whatever SetWorkingSet "
                  "says. 0: writes not tracked. Default 0: nfp6000-bdw was measured warm only; "
                  "nfp6000-hsw: 1.5 MiB, the 2 of 20 ways of its 15 MiB cache DDIO allocates in "
                  "(Intel DDIO technology brief), as pcie-bench LAT_DMA_WRRD shows: a read of the "
                  "line just written takes as long cold as warm (median 800 ns, p99.9 840 both).",
                  UintegerValue(0),
                  MakeUintegerAccessor(&RootComplex::SetDeviceWriteAllocateBytes,
                                       &RootComplex::GetDeviceWriteAllocateBytes),
                  MakeUintegerChecker<uint64_t>())
              .AddAttribute(
                  "CompletionCoalesceLines",
                  "Cache lines, counted: a read request that touches fewer than this many lines "
                  "gets one completion TLP per line (64 B, each with its own 20 B of header and "
                  "framing on the link); from this many on, the root complex merges them into "
                  "completions of up to MPS bytes. 0: always merged (what PcieLink assumes). "
                  "Default 0: nfp6000-bdw measured reads of 64 B and 2048 B only; nfp6000-hsw: "
                  "8, pcie-bench bw_dma_sz_sweep and bw_dma_off_rd of the Haswell host "
                  "(doc/validation.md): reads of 3-7 lines take 11.3 ns per line, the link's "
                  "time for 64 B + 20 B, and 416 B reads touching 8 lines move 54 Gb/s where "
                  "those touching 7 move 43.8.",
                  UintegerValue(0), MakeUintegerAccessor(&RootComplex::m_coalesceLines),
                  MakeUintegerChecker<uint32_t>(0, 64))
              .AddAttribute(
                  "ReadLatencySpreadMean",
                  "Mean of the extra latency of each read's memory access, drawn per read from "
                  "a normal distribution (ReadLatencySpreadStdDev) limited to 0 .. twice the "
                  "mean: the spread of DMA latency (median, p95 and p99.9 differ). Default 0: "
                  "no spread, no random stream used (nfp6000-bdw's distribution was not "
                  "measured).",
                  TimeValue(Time(0)),
                  MakeTimeAccessor(&RootComplex::SetSpreadMean, &RootComplex::GetSpreadMean),
                  MakeTimeChecker(Time(0)))
              .AddAttribute("ReadLatencySpreadStdDev",
                            "Standard deviation of that extra latency. Default 0.",
                            TimeValue(Time(0)), MakeTimeAccessor(&RootComplex::m_spreadStdDev),
                            MakeTimeChecker(Time(0)));
    return tid;
}

RootComplex::RootComplex()
    : m_switchLines(0)
    , m_cacheBytes(0)
    , m_coalesceLines(0)
    , m_spreadMean(0)
    , m_spreadStdDev(0)
    , m_hitRatio(1.0)
    , m_jitterActive(false)
    , m_lastWrite(false)
    , m_writtenCapacity(0)
    , m_coldReads(0)
    , m_lines(0)
{
    NS_LOG_FUNCTION(this);
}

RootComplex::~RootComplex() = default;

void
RootComplex::DoDispose()
{
    m_jitter = nullptr;
    m_hit = nullptr;
    Object::DoDispose();
}

void
RootComplex::SetSpreadMean(Time mean)
{
    m_spreadMean = mean;
    m_jitterActive = mean.IsStrictlyPositive();
    if (m_jitterActive && !m_jitter)
    {
        m_jitter = CreateObject<NormalRandomVariable>(); // only when it draws
    }
}

Time
RootComplex::GetSpreadMean() const
{
    return m_spreadMean;
}

uint32_t
RootComplex::GetCompletionCoalesceLines() const
{
    return m_coalesceLines;
}

bool
RootComplex::IsActive() const
{
    if (m_readRequestTime.IsStrictlyPositive() || m_readLineTime.IsStrictlyPositive()
        || m_writeTlpTime.IsStrictlyPositive() || m_writeLineTime.IsStrictlyPositive()
        || m_switchLineTime.IsStrictlyPositive() || m_readStraddleLineTime.IsStrictlyPositive()
        || m_writeStraddleLineTime.IsStrictlyPositive() || m_coalesceLines != 0)
    {
        return true;
    }
    return m_jitterActive
        || ((m_coldReadLatency.IsStrictlyPositive() || m_coldRequestTime.IsStrictlyPositive())
            && m_hitRatio < 1.0);
}

void
RootComplex::SetWorkingSet(uint64_t bytes, bool warm)
{
    NS_LOG_FUNCTION(this << bytes << warm);
    if (!warm)
    {
        m_hitRatio = 0.0;
    }
    else if (m_cacheBytes == 0 || bytes <= m_cacheBytes)
    {
        m_hitRatio = 1.0;
    }
    else
    {
        m_hitRatio = static_cast<double>(m_cacheBytes) / static_cast<double>(bytes);
    }
    if (m_hitRatio > 0.0 && m_hitRatio < 1.0 && !m_hit)
    {
        m_hit = CreateObject<UniformRandomVariable>(); // only when it draws
    }
}

double
RootComplex::GetCacheHitRatio() const
{
    return m_hitRatio;
}

int64_t
RootComplex::AssignStreams(int64_t stream)
{
    if (!m_hit)
    {
        m_hit = CreateObject<UniformRandomVariable>();
    }
    m_hit->SetStream(stream);
    if (!m_jitter)
    {
        m_jitter = CreateObject<NormalRandomVariable>();
    }
    m_jitter->SetStream(stream + 1);
    return 2;
}

inline int64_t
RootComplex::Occupy(bool write, const DmaTransferSplit& split, int64_t base, int64_t readyStep)
{
    const uint32_t lines = split.cacheLines;
    base += static_cast<int64_t>(split.straddleLines)
          * (write ? m_writeStraddleLineTime - m_writeLineTime
                   : m_readStraddleLineTime - m_readLineTime)
                .GetTimeStep();
    int64_t busy
        = base
        + static_cast<int64_t>(lines) * (write ? m_writeLineTime : m_readLineTime).GetTimeStep();
    if (write != m_lastWrite)
    {
        const uint32_t paying = m_switchLines == 0 ? lines : std::min(lines, m_switchLines);
        busy += static_cast<int64_t>(paying) * m_switchLineTime.GetTimeStep();
        m_lastWrite = write;
    }
    m_lines += lines;
    if (busy <= 0)
    {
        return readyStep;
    }
    return m_pipeline.ReserveLazy(readyStep, busy,
                                  []()
                                  {
                                      return Simulator::Now().GetTimeStep();
                                  });
}

Time
RootComplex::Read(const DmaTransferSplit& split, const Time& ready, uint64_t hpa)
{
    const int64_t readyStep = ready.GetTimeStep();
    // Whether the read misses the host cache, drawn first: a miss also costs the pipeline.
    bool cold = m_hitRatio < 1.0
             && (m_coldReadLatency.IsStrictlyPositive() || m_coldRequestTime.IsStrictlyPositive())
             && (m_hitRatio <= 0.0 || m_hit->GetValue() >= m_hitRatio);
    if (cold && m_writtenCapacity != 0)
    {
        cold = !Written(hpa, split.cacheLines);
    }
    int64_t start
        = Occupy(false, split, split.readRequests * m_readRequestTime.GetTimeStep(), readyStep);
    if (cold && m_coldRequestTime.IsStrictlyPositive())
    {
        // The misses go to memory through a path of their own, one request per interval.
        start = std::max(start, m_memory.ReserveLazy(
                                    readyStep, split.readRequests * m_coldRequestTime.GetTimeStep(),
                                    []()
                                    {
                                        return Simulator::Now().GetTimeStep();
                                    }));
    }
    Time extra = TimeStep(start - readyStep);
    if (cold)
    {
        ++m_coldReads;
        extra += m_coldReadLatency + DramRefreshWait();
    }
    if (m_jitterActive)
    {
        const double mean = m_spreadMean.GetNanoSeconds();
        const double sd = m_spreadStdDev.GetNanoSeconds();
        const double ns = m_jitter->GetValue(mean, sd * sd, mean);
        extra += Time::FromDouble(std::max(0.0, ns), Time::NS);
    }
    return extra;
}

Time
RootComplex::DramRefreshWait()
{
    const int64_t interval = m_refreshInterval.GetTimeStep();
    const int64_t busy = m_refreshTime.GetTimeStep();
    if (interval <= 0 || busy <= 0)
    {
        return Time(0);
    }
    // A phase drawn, not the simulation's clock: a clock would lock onto a periodic benchmark
    // loop (every 13th 641 ns read meets a refresh), where real loops drift against it.
    if (!m_hit)
    {
        m_hit = CreateObject<UniformRandomVariable>();
    }
    const auto phase = static_cast<int64_t>(m_hit->GetValue() * static_cast<double>(interval));
    return phase < busy ? TimeStep(busy - phase) : Time(0);
}

void
RootComplex::SetDeviceWriteAllocateBytes(uint64_t bytes)
{
    m_writtenCapacity = bytes / CACHE_LINE_BYTES;
    m_written.clear();
    m_writtenOrder.clear();
}

uint64_t
RootComplex::GetDeviceWriteAllocateBytes() const
{
    return m_writtenCapacity * CACHE_LINE_BYTES;
}

void
RootComplex::Remember(uint64_t hpa, uint32_t lines)
{
    const uint64_t first = hpa / CACHE_LINE_BYTES;
    for (uint64_t line = first; line < first + lines; ++line)
    {
        auto it = m_written.find(line);
        if (it != m_written.end())
        {
            // Written again: the most recently used, wherever it was.
            m_writtenOrder.splice(m_writtenOrder.end(), m_writtenOrder, it->second);
        }
        else
        {
            m_written.emplace(line, m_writtenOrder.insert(m_writtenOrder.end(), line));
        }
    }
    // The least recently used lines leave the DDIO ways first.
    while (m_writtenOrder.size() > m_writtenCapacity)
    {
        m_written.erase(m_writtenOrder.front());
        m_writtenOrder.pop_front();
    }
}

bool
RootComplex::Written(uint64_t hpa, uint32_t lines)
{
    const uint64_t first = hpa / CACHE_LINE_BYTES;
    bool all = lines != 0;
    for (uint64_t line = first; line < first + lines; ++line)
    {
        auto it = m_written.find(line);
        if (it == m_written.end())
        {
            all = false;
            continue;
        }
        m_writtenOrder.splice(m_writtenOrder.end(), m_writtenOrder, it->second);
    }
    return all;
}

Time
RootComplex::Write(const DmaTransferSplit& split, const Time& ready, const Time& earlierTlps,
                   uint64_t hpa)
{
    if (m_writtenCapacity != 0 && m_hitRatio < 1.0)
    {
        Remember(hpa, split.cacheLines);
    }
    const int64_t readyStep = ready.GetTimeStep();
    // The first TLP's work may start when it arrived, earlierTlps before the last one.
    const int64_t start = Occupy(true, split, split.writeTlps * m_writeTlpTime.GetTimeStep(),
                                 readyStep - earlierTlps.GetTimeStep());
    return TimeStep(std::max(start, readyStep));
}

uint64_t
RootComplex::GetColdReads() const
{
    return m_coldReads;
}

uint64_t
RootComplex::GetLines() const
{
    return m_lines;
}

} // namespace ns3
