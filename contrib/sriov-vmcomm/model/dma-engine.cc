/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The NIC's DMA engine, shared by all its functions: moves bytes between the NIC and a VM's memory
 * across the PCIe link, through the IOMMU (see dma-engine.h).
 */
#include "dma-engine.h"

#include "dma-transfer-split.h"
#include "iommu.h"
#include "memory-domain.h"
#include "ns3/abort.h"
#include "ns3/data-rate.h"
#include "ns3/log.h"
#include "ns3/nstime.h"
#include "ns3/uinteger.h"
#include "pcie-link.h"
#include "root-complex.h"
#include "uinteger-checkers.h"

#include <algorithm>
#include <limits>

namespace ns3 {

NS_LOG_COMPONENT_DEFINE("DmaEngine");

namespace {
constexpr uint32_t CACHE_LINE_BYTES = 64; //!< host cache line (x86)
} // namespace
NS_OBJECT_ENSURE_REGISTERED(DmaEngine);

TypeId
DmaEngine::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::DmaEngine")
              .SetParent<Object>()
              .SetGroupName("SriovVmcomm")
              .AddConstructor<DmaEngine>()
              .AddAttribute(
                  "ReadIssueInterval",
                  "Time the engine's issue stage is busy per DMA read (command processing): at "
                  "most one read per interval, the small-read rate limit. Default 16 ns: "
                  "calibrated to pcie-bench nfp6000-bdw (Neugebauer et al., SIGCOMM 2018; "
                  "doc/validation.md), 31.9 Gb/s of 64 B "
                  "reads = 62.3 M reads/s = one per 16.05 ns (doc/validation.md).",
                  TimeValue(NanoSeconds(16)), MakeTimeAccessor(&DmaEngine::m_readIssueInterval),
                  MakeTimeChecker(Time(0)))
              .AddAttribute(
                  "WriteIssueInterval",
                  "Time the engine's issue stage is busy per DMA write (command processing and "
                  "fetching the data from NIC memory). Default 21 ns: calibrated to pcie-bench "
                  "nfp6000-bdw (Neugebauer et al., SIGCOMM 2018; doc/validation.md), 24.3 Gb/s of "
                  "64 B writes = 47.5 M writes/s = "
                  "one per 21.07 ns (doc/validation.md).",
                  TimeValue(NanoSeconds(21)), MakeTimeAccessor(&DmaEngine::m_writeIssueInterval),
                  MakeTimeChecker(Time(0)))
              .AddAttribute(
                  "ProcessingLatency",
                  "Latency of the engine's pipeline per operation, from the command to its "
                  "first TLP (pipelined: it does not limit the rate). Default 70 ns: calibrated "
                  "to pcie-bench nfp6000-bdw, the median 64 B read latency (546 ns, 560 ns with "
                  "random addresses) less the link and root-complex time (doc/validation.md).",
                  TimeValue(NanoSeconds(70)), MakeTimeAccessor(&DmaEngine::m_processingLatency),
                  MakeTimeChecker(Time(0)))
              .AddAttribute(
                  "ReadDataRate",
                  "Rate at which a read's data, once its last completion has arrived, is stored "
                  "into NIC memory (store and forward, per read; reads overlap, so it adds "
                  "latency, not a rate limit); 0 for none. Default 55 Gb/s: calibrated to "
                  "pcie-bench nfp6000-bdw, read latency 546 ns at 64 B and 986 ns at 1520 B: a "
                  "slope of 0.30 ns/B, of which the link's serialization explains 0.15 "
                  "(doc/validation.md).",
                  DataRateValue(DataRate("55Gbps")),
                  MakeDataRateAccessor(&DmaEngine::SetReadDataRate, &DmaEngine::GetReadDataRate),
                  MakeDataRateChecker())
              .AddAttribute(
                  "MaxOutstandingReads",
                  "Reads the engine keeps in flight at once (read contexts), each held from "
                  "the command until its data is in NIC memory; 0 for no bound of its own (the "
                  "link's PcieLink::MaxOutstandingReads tags still bound reads). Default 0: "
                  "pcie-bench nfp6000-bdw shows no engine bound below the link's tags (an "
                  "estimate; doc/validation.md).",
                  UintegerValue(0), MakeUintegerAccessor(&DmaEngine::m_maxOutstandingReads),
                  MakeUintegerChecker<uint32_t>(0, 65536))
              .AddAttribute(
                  "WriteDataRate",
                  "Rate at which a write's data is fetched from NIC memory before its first "
                  "TLP (store and forward, per write; writes overlap, so it adds latency, not a "
                  "rate limit); 0 for none. Default 55 Gb/s: the NFP6000's, fitted on the "
                  "Haswell host's pcie-bench LAT_DMA_WRRD by size (WRRD - RD grows by 0.26 "
                  "ns/B, the link explains 0.14), as ReadDataRate (doc/validation.md).",
                  DataRateValue(DataRate("55Gbps")),
                  MakeDataRateAccessor(&DmaEngine::SetWriteDataRate, &DmaEngine::GetWriteDataRate),
                  MakeDataRateChecker())
              .AddAttribute("DeviceWordBytes",
                            "Access unit of NIC memory, bytes (a power of two, 1..64): a "
                            "transfer whose offset within a word makes it touch one word more "
                            "than its length needs is realigned (UnalignedReadTime, "
                            "UnalignedWriteTime, ReadRealignDataRate, WriteRealignDataRate). "
                            "Default 8: pcie-bench bw_dma_off_* (device offsets 8, 16, 32, 48 "
                            "cost nothing, all others do; 407 B reads at device offsets 1, 25, "
                            "41, which end on a word, cost nothing either).",
                            UintegerValue(8), MakeUintegerAccessor(&DmaEngine::m_deviceWordBytes),
                            MakePowerOfTwoChecker(1, 64))
              .AddAttribute(
                  "UnalignedReadTime",
                  "Extra issue-stage time of a read that straddles one more NIC-memory word "
                  "than its length needs (DeviceWordBytes), on top of its bytes at "
                  "ReadRealignDataRate. Default 26 ns: the NFP6000's, fitted on pcie-bench "
                  "bw_dma_off_rd of the Haswell host (64 B and 128 B reads at device offset 1 "
                  "take 40.6 and 43.9 ns each: 16 ns issue + 26; doc/validation.md).",
                  TimeValue(NanoSeconds(26)), MakeTimeAccessor(&DmaEngine::m_unalignedReadTime),
                  MakeTimeChecker(Time(0)))
              .AddAttribute(
                  "UnalignedReadReceiveTime",
                  "Time the engine's receive path spends on a read that straddles one more "
                  "NIC-memory word than its length needs, after taking its completions at the "
                  "link's rate (realigning the data into NIC memory); it takes no other such "
                  "read meanwhile, so the cost adds to the link's time. Default 18 ns: the "
                  "NFP6000's, fitted on pcie-bench bw_dma_off_rd of the Haswell host (256 B "
                  "reads at device offset 1 take 64.3 ns where the link takes 46.4 for them "
                  "aligned, 2048 B 325 where it takes 305; doc/validation.md).",
                  TimeValue(NanoSeconds(18)),
                  MakeTimeAccessor(&DmaEngine::m_unalignedReadReceiveTime),
                  MakeTimeChecker(Time(0)))
              .AddAttribute("UnalignedWriteTime",
                            "As UnalignedReadTime, for writes (on top of their bytes at "
                            "WriteRealignDataRate). Default 0: pcie-bench bw_dma_off_wr of the "
                            "Haswell host fits the fetch burst the extra word may start "
                            "(WriteFetchBurstBytes) alone.",
                            TimeValue(Time(0)), MakeTimeAccessor(&DmaEngine::m_unalignedWriteTime),
                            MakeTimeChecker(Time(0)))
              .AddAttribute("ReadRealignDataRate",
                            "Rate at which the issue stage shifts the bytes of a read that "
                            "straddles a NIC-memory word (UnalignedReadTime); 0 for no per-byte "
                            "cost. Default 0: pcie-bench bw_dma_off_rd of the Haswell host fits "
                            "a cost per read in the issue stage and one in the receive path "
                            "(UnalignedReadReceiveTime), none per byte.",
                            DataRateValue(DataRate(0)),
                            MakeDataRateAccessor(&DmaEngine::m_readRealignDataRate),
                            MakeDataRateChecker())
              .AddAttribute("WriteRealignDataRate",
                            "As ReadRealignDataRate, for writes. Default 0: the NFP6000's "
                            "unaligned writes in pcie-bench bw_dma_off_wr of the Haswell host "
                            "cost the fetch burst their extra word may start "
                            "(WriteFetchBurstBytes), nothing per byte (64 B writes move 24.2 "
                            "Gb/s at every device offset; doc/validation.md).",
                            DataRateValue(DataRate(0)),
                            MakeDataRateAccessor(&DmaEngine::m_writeRealignDataRate),
                            MakeDataRateChecker())
              .AddAttribute(
                  "WriteFetchTime",
                  "Time the write data fetch stage is busy per write, on top of its bursts "
                  "(WriteFetchBurstTime); the stage limits the rate and adds no latency when idle "
                  "(the fetch's latency is WriteDataRate's). Default 4 ns: the NFP6000's, fitted "
                  "on pcie-bench of the Haswell host (bw_dma_sz_sweep, bw_dma_off_wr): writes of "
                  "1, 2, 3, 4, 5, 7, 9 bursts take 21, 38, 55, 72, 89, 123, 157 ns = 4 + 17 per "
                  "burst (doc/validation.md).",
                  TimeValue(NanoSeconds(4)), MakeTimeAccessor(&DmaEngine::m_writeFetchTime),
                  MakeTimeChecker(Time(0)))
              .AddAttribute(
                  "WriteFetchBurstTime",
                  "Time the write data fetch stage is busy per NIC-memory read burst of a write "
                  "(WriteFetchBurstBytes). Default 17 ns: the NFP6000's, fitted as "
                  "WriteFetchTime (129-192 B writes 38 ns, 257-320 B 55, 407-416 B 72 at every "
                  "device offset, 128 B at device offset 1, 17 words, 38 against 24 aligned).",
                  TimeValue(NanoSeconds(17)), MakeTimeAccessor(&DmaEngine::m_writeFetchBurstTime),
                  MakeTimeChecker(Time(0)))
              .AddAttribute(
                  "WriteFetchBurstBytes",
                  "Bytes of one NIC-memory read burst with which the engine pulls a write's data "
                  "(a power of two, 1..4096): whole device words (DeviceWordBytes) from the first "
                  "word the data touches, not at burst-aligned addresses. Default 128 (16 words "
                  "of 8 B): the NFP6000's, fitted on pcie-bench of the Haswell host "
                  "(bw_dma_off_wr: "
                  "64 B writes cost nothing at any device offset, 9 words; 128 B at offsets "
                  "8, 16, 32, 48 nothing, 16 words, at the others a burst, 17 words; 407 and "
                  "416 B, 51-53 words, 72 ns at every offset; bw_dma_sz_sweep: 65 B as 64, 129 "
                  "B as 192; doc/validation.md).",
                  UintegerValue(128), MakeUintegerAccessor(&DmaEngine::m_writeFetchBurstBytes),
                  MakePowerOfTwoChecker(1, 4096))
              .AddTraceSource("Operation",
                              "A DMA operation: is-write, iova, hpa, length, completion instant",
                              MakeTraceSourceAccessor(&DmaEngine::m_opTrace),
                              "ns3::DmaEngine::OperationTracedCallback");
    return tid;
}

DmaEngine::DmaEngine()
    : m_readIssueInterval(NanoSeconds(16))
    , m_writeIssueInterval(NanoSeconds(21))
    , m_processingLatency(NanoSeconds(70))
    , m_readDataRate("55Gbps")
    , m_maxOutstandingReads(0)
    , m_writeDataRate("55Gbps")
    , m_unalignedReadTime(NanoSeconds(26))
    , m_readRealignDataRate(0)
    , m_unalignedReadReceiveTime(NanoSeconds(18))
    , m_writeRealignDataRate(0)
    , m_writeFetchTime(NanoSeconds(4))
    , m_writeFetchBurstTime(NanoSeconds(17))
    , m_writeFetchBurstBytes(128)
    , m_deviceWordBytes(8)
    , m_rootComplex(CreateObject<RootComplex>())
    , m_reads(0)
    , m_writes(0)
    , m_readSlotStalls(0)
    , m_resolved(nullptr)
    , m_resolvedLow(1)
    , m_resolvedHigh(0)
{
}

DmaEngine::~DmaEngine() = default;

void
DmaEngine::DoDispose()
{
    m_link = nullptr;
    m_iommu = nullptr;
    m_rootComplex = nullptr; // may be shared with the host's other engines
    m_memories.clear();
    m_resolved = nullptr;
    m_resolvedLow = 1;
    m_resolvedHigh = 0;
    Object::DoDispose();
}

void
DmaEngine::Attach(Ptr<PcieLink> link, Ptr<Iommu> iommu)
{
    NS_LOG_FUNCTION(this << link << iommu);
    NS_ABORT_MSG_IF(!link, "DmaEngine::Attach: a PCIe link is required");
    m_link = link;
    m_iommu = iommu;
    if (m_iommu)
    {
        // The walks read the host's memory: its refreshes delay them as they delay cold reads
        // (an IOMMU shared by several engines takes the last one's root complex: one memory).
        m_iommu->SetDramRefreshWait(MakeCallback(&RootComplex::DramRefreshWait, m_rootComplex));
    }
}

void
DmaEngine::AddMemory(Ptr<MemoryDomain> memory)
{
    auto at = std::upper_bound(m_memories.begin(), m_memories.end(), memory,
                               [](const Ptr<MemoryDomain>& a, const Ptr<MemoryDomain>& b)
                               {
                                   return a->GetHpaBase() < b->GetHpaBase();
                               });
    m_memories.insert(at, memory);
    // The neighbours of the cached region may have changed.
    m_resolved = nullptr;
    m_resolvedLow = 1;
    m_resolvedHigh = 0;
}

inline MemoryDomain*
DmaEngine::Resolve(uint64_t hpa, uint32_t len, MemoryDomain* fallback) const
{
    // In [m_resolvedLow, m_resolvedHigh), the search below would pick m_resolved again (the
    // region with the largest base at or below hpa); the end check is the same as below.
    if (hpa >= m_resolvedLow && hpa < m_resolvedHigh && m_resolved->ContainsHpa(hpa + len - 1))
    {
        return m_resolved;
    }
    if (m_memories.empty())
    {
        return fallback;
    }
    auto it = std::upper_bound(m_memories.begin(), m_memories.end(), hpa,
                               [](uint64_t a, const Ptr<MemoryDomain>& m)
                               {
                                   return a < m->GetHpaBase();
                               });
    NS_ABORT_MSG_IF(it == m_memories.begin() || !(*(it - 1))->ContainsHpa(hpa + len - 1),
                    "DMA to host physical address 0x" << std::hex << hpa
                                                      << " that no memory backs");
    m_resolved = PeekPointer(*(it - 1));
    m_resolvedLow = m_resolved->GetHpaBase();
    m_resolvedHigh
        = it == m_memories.end() ? std::numeric_limits<uint64_t>::max() : (*it)->GetHpaBase();
    return m_resolved;
}

Ptr<PcieLink>
DmaEngine::GetLink() const
{
    return m_link;
}

Ptr<Iommu>
DmaEngine::GetIommu() const
{
    return m_iommu;
}

Ptr<RootComplex>
DmaEngine::GetRootComplex() const
{
    return m_rootComplex;
}

void
DmaEngine::SetRootComplex(Ptr<RootComplex> rootComplex)
{
    NS_ABORT_MSG_IF(!rootComplex, "DmaEngine::SetRootComplex: a root complex is required");
    m_rootComplex = rootComplex;
    if (m_iommu)
    {
        m_iommu->SetDramRefreshWait(MakeCallback(&RootComplex::DramRefreshWait, m_rootComplex));
    }
}

inline bool
DmaEngine::NeedsSplit(uint64_t deviceAddr) const
{
    // The split costs a little per operation: only when a mechanism uses it. Only a transfer
    // that starts off a device word can straddle one more (scenarios use aligned addresses).
    return m_rootComplex->IsActive()
        || ((deviceAddr & (m_deviceWordBytes - 1)) != 0
            && (m_unalignedReadTime.IsStrictlyPositive()
                || m_unalignedReadReceiveTime.IsStrictlyPositive()
                || m_unalignedWriteTime.IsStrictlyPositive()
                || m_readRealignDataRate.GetBitRate() != 0
                || m_writeRealignDataRate.GetBitRate() != 0));
}

inline Time
DmaEngine::UnalignedTime(const DmaTransferSplit& split, bool write, uint32_t len) const
{
    if (split.deviceStraddleWords == 0)
    {
        return Time(0);
    }
    Time t = write ? m_unalignedWriteTime : m_unalignedReadTime;
    const uint64_t bps = (write ? m_writeRealignDataRate : m_readRealignDataRate).GetBitRate();
    if (bps != 0)
    {
        t += Seconds(8.0 * len / static_cast<double>(bps));
    }
    return t;
}

uint64_t
DmaEngine::GetReads() const
{
    return m_reads;
}

uint64_t
DmaEngine::GetWrites() const
{
    return m_writes;
}

uint64_t
DmaEngine::GetReadSlotStalls() const
{
    return m_readSlotStalls;
}

inline Time
DmaEngine::Issue(const Time& earliest, const Time& interval, LazyNow& now)
{
    if (!interval.IsStrictlyPositive())
    {
        return earliest;
    }
    // Gap-filling reservation (BusyCalendar): an operation reserved ahead of time does not hold
    // back one that is ready earlier.
    return TimeStep(m_engine.ReserveLazy(earliest.GetTimeStep(), interval.GetTimeStep(),
                                         [&now]()
                                         {
                                             return now.Get().GetTimeStep();
                                         }));
}

inline Time
DmaEngine::FetchWriteData(const Time& ready, uint64_t deviceAddr, uint32_t len, LazyNow& now)
{
    const int64_t burst = m_writeFetchBurstTime.GetTimeStep();
    const int64_t busy
        = m_writeFetchTime.GetTimeStep()
        + (burst == 0
               ? 0
               : burst * DeviceBursts(deviceAddr, len, m_deviceWordBytes, m_writeFetchBurstBytes));
    if (busy <= 0)
    {
        return ready;
    }
    return TimeStep(m_fetch.ReserveLazy(ready.GetTimeStep(), busy,
                                        [&now]()
                                        {
                                            return now.Get().GetTimeStep();
                                        }));
}

inline Time
DmaEngine::AcquireReadSlot(const Time& earliest)
{
    if (m_maxOutstandingReads == 0)
    {
        return earliest;
    }
    int64_t at = earliest.GetTimeStep();
    // As PcieLink's tags: assumes reads are reserved in roughly increasing time.
    while (!m_readSlots.empty() && m_readSlots.top() <= at)
    {
        m_readSlots.pop();
    }
    if (m_readSlots.size() >= m_maxOutstandingReads)
    {
        ++m_readSlotStalls;
        while (m_readSlots.size() >= m_maxOutstandingReads)
        {
            at = std::max(at, m_readSlots.top());
            m_readSlots.pop();
        }
    }
    return TimeStep(at);
}

void
DmaEngine::SetReadDataRate(DataRate rate)
{
    m_readDataRate = rate;
    for (auto& m : m_storeTimeMemo)
    {
        m.valid = false;
    }
}

DataRate
DmaEngine::GetReadDataRate() const
{
    return m_readDataRate;
}

void
DmaEngine::SetWriteDataRate(DataRate rate)
{
    m_writeDataRate = rate;
    for (auto& m : m_fetchTimeMemo)
    {
        m.valid = false;
    }
}

DataRate
DmaEngine::GetWriteDataRate() const
{
    return m_writeDataRate;
}

inline Time
DmaEngine::MemoTime(StoreTimeMemo* memo, const DataRate& rate, uint32_t bytes)
{
    StoreTimeMemo& m = memo[(bytes ^ (bytes >> 4)) & (STORE_TIME_MEMO - 1)];
    if (m.valid && m.bytes == bytes)
    {
        return m.time;
    }
    const uint64_t bps = rate.GetBitRate();
    m.time = bps == 0 ? Time(0) : Seconds(8.0 * bytes / static_cast<double>(bps));
    m.bytes = bytes;
    m.valid = true;
    return m.time;
}

inline Time
DmaEngine::StoreTime(uint32_t bytes) const
{
    return MemoTime(m_storeTimeMemo, m_readDataRate, bytes);
}

inline DmaEngine::Result
DmaEngine::Translate(MemoryDomain* mem, uint64_t iova, uint32_t len, bool write, const Time& at,
                     const Time& last, Time* firstReady)
{
    Result r;
    if (!m_iommu)
    {
        // No remapping: IOVA is the guest physical address, bounded by the VM's memory.
        r.done = last;
        if (firstReady != nullptr)
        {
            *firstReady = at;
        }
        r.fault = iova + len > mem->GetSize();
        r.hpa = mem->GetHpaBase() + iova;
        return r;
    }
    const uint32_t domain = mem->GetIommuDomain();
    const int64_t atStep = at.GetTimeStep();
    const int64_t lastStep = last.GetTimeStep();
    int64_t done = lastStep; // all there and translated, in steps (no Time temporaries per page)
    uint64_t addr = iova;
    const uint64_t end = iova + len;
    bool first = true;
    do
    {
        // A page after the first arrives later, in proportion to the bytes before it.
        const int64_t pageAt
            = first || lastStep == atStep
                ? atStep
                : atStep
                      + static_cast<int64_t>(static_cast<double>(lastStep - atStep)
                                             * static_cast<double>(addr - iova) / len);
        const Iommu::Translation t = m_iommu->Translate(domain, addr, write, TimeStep(pageAt));
        if (t.fault)
        {
            r.fault = true;
            r.done = TimeStep(done);
            return r;
        }
        if (first)
        {
            r.hpa = t.hpa;
            first = false;
            if (firstReady != nullptr)
            {
                *firstReady = t.readyAt;
            }
        }
        else
        {
            // Commit() writes one contiguous host-physical range.
            NS_ABORT_MSG_IF(t.hpa != r.hpa + (addr - iova),
                            "DMA across physically discontiguous pages at iova 0x" << std::hex
                                                                                   << addr);
        }
        r.iotlbMiss |= !t.iotlbHit;
        done = std::max(done, t.readyAt.GetTimeStep());
        const uint64_t remainder = t.pageBytes - (t.hpa & (t.pageBytes - 1));
        addr += remainder;
    } while (addr < end);
    r.done = TimeStep(done);
    r.iommuTime = TimeStep(done - lastStep);
    return r;
}

Time
DmaEngine::EarlierTlps(uint32_t len, uint32_t tlps) const
{
    if (tlps <= 1)
    {
        return Time(0);
    }
    const uint32_t before = std::min(len - 1, (tlps - 1) * m_link->GetMps());
    return Seconds(m_link->GetWriteWireBytes(before) * 8.0 / m_link->GetTlpBandwidthBps());
}

DmaEngine::Result
DmaEngine::Read(const Ptr<MemoryDomain>& mem, uint64_t iova, uint8_t* out, uint32_t len,
                const Time& earliest, uint64_t deviceAddr)
{
    NS_LOG_FUNCTION(this << mem << iova << len << earliest);
    ++m_reads;
    LazyNow now;
    const bool split = NeedsSplit(deviceAddr);
    DmaTransferSplit s;
    Time interval = m_readIssueInterval;
    if (split)
    {
        s = SplitDmaTransfer(iova, len, deviceAddr, m_link->GetMps(), m_link->GetMrrs(),
                             m_link->GetRcb(), CACHE_LINE_BYTES, m_deviceWordBytes,
                             m_rootComplex->GetCompletionCoalesceLines());
        interval += UnalignedTime(s, false, len);
    }
    const Time issue = Issue(AcquireReadSlot(earliest) + m_processingLatency, interval, now);
    // The link's two-phase read: the IOMMU translates when the request reaches the root complex,
    // and its walk delays the completions; then the root complex serves it.
    const int64_t arrival = m_link->ReadRequest(len, issue, now);
    const Time atRootComplex = m_link->FsToTime(arrival);
    Result r = Translate(PeekPointer(mem), iova, len, false, atRootComplex, atRootComplex);
    Time extra = r.iommuTime;
    if (split)
    {
        extra += m_rootComplex->Read(s, atRootComplex + r.iommuTime, r.hpa);
    }
    // The root complex's completions, when it does not merge them all up to MPS.
    const uint32_t completions
        = split && m_rootComplex->GetCompletionCoalesceLines() != 0 ? s.completions : 0;
    r.done = m_link->ReadCompletion(len, arrival, extra, now, completions);
    if (split && s.deviceStraddleWords != 0 && m_unalignedReadReceiveTime.IsStrictlyPositive())
    {
        // The receive path takes the completions as they arrive, then realigns the data.
        const uint64_t wire = m_link->GetReadCompletionWireBytes(len, completions);
        const Time onWire = Seconds(wire * 8.0 / m_link->GetTlpBandwidthBps());
        const int64_t busy = (onWire + m_unalignedReadReceiveTime).GetTimeStep();
        const int64_t start = m_receive.ReserveLazy((r.done - onWire).GetTimeStep(), busy,
                                                    [&now]()
                                                    {
                                                        return now.Get().GetTimeStep();
                                                    });
        r.done = TimeStep(start + busy);
    }
    r.done += StoreTime(len);
    if (m_maxOutstandingReads > 0)
    {
        m_readSlots.push(r.done.GetTimeStep());
    }
    if (!r.fault && out != nullptr)
    {
        Resolve(r.hpa, len, PeekPointer(mem))->ReadHpa(r.hpa, out, len);
    }
    if (!m_opTrace.IsEmpty())
    {
        m_opTrace(false, iova, r.hpa, len, r.done);
    }
    return r;
}

DmaEngine::Result
DmaEngine::Write(const Ptr<MemoryDomain>& mem, uint64_t iova, uint32_t len, const Time& earliest,
                 uint64_t deviceAddr)
{
    NS_LOG_FUNCTION(this << mem << iova << len << earliest);
    ++m_writes;
    LazyNow now;
    const bool split = NeedsSplit(deviceAddr);
    DmaTransferSplit s;
    Time interval = m_writeIssueInterval;
    if (split)
    {
        s = SplitDmaTransfer(iova, len, deviceAddr, m_link->GetMps(), m_link->GetMrrs(),
                             m_link->GetRcb(), CACHE_LINE_BYTES, m_deviceWordBytes);
        interval += UnalignedTime(s, true, len);
    }
    // The data comes from NIC memory before the first TLP (pipelined: latency only).
    Time ready = earliest + m_processingLatency;
    if (m_writeDataRate.GetBitRate() != 0)
    {
        ready += MemoTime(m_fetchTimeMemo, m_writeDataRate, len);
    }
    // The fetch stage serves the writes one after the other, in bursts from NIC memory.
    ready = FetchWriteData(ready, deviceAddr, len, now);
    const Time issue = Issue(ready, interval, now);
    const Time atRootComplex = m_link->PostedWrite(PcieLink::UPSTREAM, len, issue, now);
    // The TLPs arrive one after another: all but the last came in earlier by their serialization
    // on the link (back to back: the write is one burst). The IOMMU translates a page when its
    // first TLP arrives, so the walk overlaps the transfer of the TLPs behind it; the root
    // complex takes them as they arrive.
    Time earlier;
    if (split || m_iommu)
    {
        earlier = EarlierTlps(len, split ? s.writeTlps : m_link->GetWriteTlps(len));
    }
    Time firstReady;
    Result r = Translate(PeekPointer(mem), iova, len, true, atRootComplex - earlier, atRootComplex,
                         &firstReady);
    if (split && !r.fault)
    {
        // The first TLP's work may start once it is there and translated.
        r.done = m_rootComplex->Write(s, r.done, std::min(earlier, r.done - firstReady), r.hpa);
    }
    if (!m_opTrace.IsEmpty())
    {
        m_opTrace(true, iova, r.hpa, len, r.done);
    }
    return r;
}

void
DmaEngine::Commit(const Ptr<MemoryDomain>& mem, const Result& result, const uint8_t* data,
                  uint32_t len)
{
    NS_LOG_FUNCTION(this << mem << result.hpa << len);
    NS_ABORT_MSG_IF(result.fault, "DmaEngine::Commit of a faulted write");
    Resolve(result.hpa, len, PeekPointer(mem))->WriteHpa(result.hpa, data, len);
}

Time
DmaEngine::MsiX(const Time& earliest)
{
    NS_LOG_FUNCTION(this << earliest);
    return m_link->DeviceWrite(4, earliest);
}

Time
DmaEngine::Doorbell(const Time& earliest)
{
    NS_LOG_FUNCTION(this << earliest);
    return m_link->HostWrite(4, earliest);
}

} // namespace ns3
