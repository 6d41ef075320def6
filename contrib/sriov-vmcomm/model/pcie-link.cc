/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The PCIe link between a root complex and a device (the NIC), after the pcie-bench model
 * (Neugebauer et al., "Understanding PCIe performance for end host networking", SIGCOMM 2018) (see
 * pcie-link.h).
 */
#include "pcie-link.h"

#include "ns3-compat.h"
#include "ns3/abort.h"
#include "ns3/assert.h"
#include "ns3/boolean.h"
#include "ns3/enum.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/trace-source-accessor.h"
#include "ns3/uinteger.h"
#include "uinteger-checkers.h"

#include <algorithm>
#include <cmath>

namespace ns3 {

NS_LOG_COMPONENT_DEFINE("PcieLink");

NS_OBJECT_ENSURE_REGISTERED(PcieLink);

namespace {

// Per-TLP overhead, bytes (pcie-bench model, Neugebauer et al., SIGCOMM 2018; doc/model.md "PCIe
// timing").
constexpr uint32_t DLLP_FRAMING = 8;    // framing + sequence number + LCRC
constexpr uint32_t TLP_HEADER = 4;      // first header DW
constexpr uint32_t MEM_REQ_ADDR64 = 12; // rest of a 4DW memory request header
constexpr uint32_t MEM_REQ_ADDR32 = 8;  // rest of a 3DW memory request header
constexpr uint32_t COMPLETION = 8;      // rest of a 3DW completion header
constexpr uint32_t ECRC = 4;            // TLP digest

bool
IsPowerOfTwo(uint32_t v)
{
    return v != 0 && (v & (v - 1)) == 0;
}

/**
 * std::llround without the libm call. Below 2^52, x - trunc(x) is exact, so rounding half away
 * from zero on it gives llround's result exactly; other values (never met: wire bytes times fs
 * per byte) go to llround.
 * \param x a duration in femtoseconds
 * \return x rounded to the nearest integer, halves away from zero
 */
inline int64_t
RoundToFs(double x)
{
    if (!(x >= 0.0 && x < 4503599627370496.0)) // 2^52
    {
        return std::llround(x);
    }
    const auto t = static_cast<int64_t>(x);
    return x - static_cast<double>(t) >= 0.5 ? t + 1 : t;
}

} // namespace

TypeId
PcieLink::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::PcieLink")
              .SetParent<Object>()
              .SetGroupName("SriovVmcomm")
              .AddConstructor<PcieLink>()
              .AddAttribute(
                  "Generation",
                  "PCIe generation, 1..5 (2.5, 5, 8, 16, 32 GT/s per lane). Default 3: the "
                  "pcie-bench nfp6000-bdw setup (NFP6000 on PCIe Gen3 x8; doc/validation.md).",
                  UintegerValue(3),
                  MakeUintegerAccessor(&PcieLink::SetGeneration, &PcieLink::GetGeneration),
                  MakeUintegerChecker<uint32_t>(1, 5))
              .AddAttribute("Lanes",
                            "Link width in lanes: 1, 2, 4, 8, 16 or 32. Default 8: the pcie-bench "
                            "nfp6000-bdw setup (Gen3 x8).",
                            UintegerValue(8),
                            MakeUintegerAccessor(&PcieLink::SetLanes, &PcieLink::GetLanes),
                            MakePowerOfTwoChecker(1, 32))
              .AddAttribute("MaxPayloadSize",
                            "Max payload size (MPS) in bytes, a power of two in 128..4096. Default "
                            "256: the pcie-bench nfp6000-bdw setup.",
                            UintegerValue(256),
                            MakeUintegerAccessor(&PcieLink::SetMps, &PcieLink::GetMps),
                            MakePowerOfTwoChecker(128, 4096))
              .AddAttribute(
                  "MaxReadRequestSize",
                  "Max read request size (MRRS) in bytes, a power of two in 128..4096. "
                  "Default 512: the pcie-bench reference model (Neugebauer et al., SIGCOMM 2018).",
                  UintegerValue(512), MakeUintegerAccessor(&PcieLink::SetMrrs, &PcieLink::GetMrrs),
                  MakePowerOfTwoChecker(128, 4096))
              .AddAttribute("ReadCompletionBoundary",
                            "Read completion boundary (RCB) in bytes, 64 or 128. Default 64: the "
                            "pcie-bench reference model (Neugebauer et al., SIGCOMM 2018), a root "
                            "complex's usual RCB.",
                            UintegerValue(64),
                            MakeUintegerAccessor(&PcieLink::SetRcb, &PcieLink::GetRcb),
                            MakePowerOfTwoChecker(64, 128))
              .AddAttribute(
                  "CompletionSplit",
                  "How read data is split into completion TLPs: MPS (chunks of up to MPS "
                  "bytes) or RCB (chunks of up to RCB bytes). Default MPS: the pcie-bench "
                  "reference model (Neugebauer et al., SIGCOMM 2018).",
                  EnumValue(SPLIT_MPS), compat::MakeEnumAccessor(&PcieLink::m_split),
                  MakeEnumChecker(SPLIT_MPS, "MPS", SPLIT_RCB, "RCB"))
              .AddAttribute(
                  "Ecrc",
                  "Append a 4-byte ECRC digest to every TLP. Default false: the pcie-bench "
                  "reference model (Neugebauer et al., SIGCOMM 2018).",
                  BooleanValue(false), MakeBooleanAccessor(&PcieLink::m_ecrc), MakeBooleanChecker())
              .AddAttribute("Addr64",
                            "Memory requests use 64-bit addresses (4DW headers, 12 bytes after the "
                            "first DW; 8 with 32-bit addresses). Default true: the pcie-bench "
                            "reference model (Neugebauer et al., SIGCOMM 2018).",
                            BooleanValue(true), MakeBooleanAccessor(&PcieLink::m_addr64),
                            MakeBooleanChecker())
              .AddAttribute("PropagationDelay",
                            "One-way latency per direction on top of serialization (PHY/DLL "
                            "pipelines at both ends). Default 80 ns: an estimate; only the sum "
                            "2 x PropagationDelay + RootComplexReadLatency + "
                            "DmaEngine::ProcessingLatency = 530 ns is calibrated (pcie-bench "
                            "nfp6000-bdw 64 B read latency, doc/validation.md), not the split.",
                            TimeValue(NanoSeconds(80)),
                            MakeTimeAccessor(&PcieLink::SetPropagation, &PcieLink::GetPropagation),
                            MakeTimeChecker(Time(0)))
              .AddAttribute(
                  "RootComplexReadLatency",
                  "Time a read spends at the root complex (the memory access), between "
                  "its last request TLP arriving and its completions being ready. Default "
                  "300 ns: an estimate (host cache warm, as in pcie-bench); with the "
                  "default PropagationDelay a 64 B read takes ~475 ns on the link, and "
                  "the DMA engine's ProcessingLatency and ReadDataRate bring it to the "
                  "546-560 ns median measured by pcie-bench on nfp6000-bdw "
                  "(doc/validation.md).",
                  TimeValue(NanoSeconds(300)),
                  MakeTimeAccessor(&PcieLink::SetRootReadLatency, &PcieLink::GetRootReadLatency),
                  MakeTimeChecker(Time(0)))
              .AddAttribute("MaxOutstandingReads",
                            "Non-posted read tags (1..1024): reads in flight at once, each holding "
                            "a tag from its request to its last completion. Default 32: the "
                            "PCIe 5-bit Tag field without Extended Tags, an estimate for the "
                            "NFP6000; 32 tags over the ~475 ns round trip allow ~34 Gb/s of 64 B "
                            "reads, just above the 31.9 Gb/s pcie-bench measured (the DMA "
                            "engine's issue rate binds first, doc/validation.md).",
                            UintegerValue(32),
                            MakeUintegerAccessor(&PcieLink::SetMaxOutstandingReads,
                                                 &PcieLink::GetMaxOutstandingReads),
                            MakeUintegerChecker<uint32_t>(1, 1024))
              .AddTraceSource("Transfer",
                              "A reservation of one direction: direction (0 up, 1 down), payload "
                              "bytes, wire bytes, start and end of serialization.",
                              MakeTraceSourceAccessor(&PcieLink::m_transferTrace),
                              "ns3::PcieLink::TransferTracedCallback");
    return tid;
}

PcieLink::PcieLink()
    : m_generation(3)
    , m_lanes(8)
    , m_mps(256)
    , m_mrrs(512)
    , m_rcb(64)
    , m_split(SPLIT_MPS)
    , m_ecrc(false)
    , m_addr64(true)
    , m_propagation(NanoSeconds(80))
    , m_rootReadLatency(NanoSeconds(300))
    , m_propagationFs(m_propagation.GetFemtoSeconds())
    , m_switchFs(0)
    , m_rootReadLatencyFs(m_rootReadLatency.GetFemtoSeconds())
    , m_maxOutstandingReads(32)
    , m_tlpBps(0)
    , m_fsPerByte(0)
    , m_fsPerTick(0)
    , m_busyFs{0, 0}
    , m_payload{0, 0}
    , m_wire{0, 0}
    , m_tlps{0, 0}
    , m_tagStalls(0)
{
    NS_LOG_FUNCTION(this);
}

PcieLink::~PcieLink()
{
    NS_LOG_FUNCTION(this);
}

void
PcieLink::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_upstream = nullptr;
    Object::DoDispose();
}

void
PcieLink::SetGeneration(uint32_t generation)
{
    NS_LOG_FUNCTION(this << generation);
    // The attribute's checker refuses other values (the only way here).
    NS_ASSERT_MSG(generation >= 1 && generation <= 5, "PcieLink: Generation " << generation);
    m_generation = generation;
    m_tlpBps = 0;
}

uint32_t
PcieLink::GetGeneration() const
{
    return m_generation;
}

void
PcieLink::SetLanes(uint32_t lanes)
{
    NS_LOG_FUNCTION(this << lanes);
    NS_ASSERT_MSG(IsPowerOfTwo(lanes) && lanes <= 32, "PcieLink: Lanes " << lanes);
    m_lanes = lanes;
    m_tlpBps = 0;
}

uint32_t
PcieLink::GetLanes() const
{
    return m_lanes;
}

void
PcieLink::SetMps(uint32_t mps)
{
    NS_LOG_FUNCTION(this << mps);
    NS_ASSERT_MSG(IsPowerOfTwo(mps) && mps >= 128 && mps <= 4096, "PcieLink: MPS " << mps);
    m_mps = mps;
    m_tlpBps = 0;
}

uint32_t
PcieLink::GetMps() const
{
    return m_mps;
}

void
PcieLink::SetMrrs(uint32_t mrrs)
{
    NS_LOG_FUNCTION(this << mrrs);
    NS_ASSERT_MSG(IsPowerOfTwo(mrrs) && mrrs >= 128 && mrrs <= 4096, "PcieLink: MRRS " << mrrs);
    m_mrrs = mrrs;
}

uint32_t
PcieLink::GetMrrs() const
{
    return m_mrrs;
}

void
PcieLink::SetRcb(uint32_t rcb)
{
    NS_LOG_FUNCTION(this << rcb);
    NS_ASSERT_MSG(rcb == 64 || rcb == 128, "PcieLink: RCB " << rcb);
    m_rcb = rcb;
}

uint32_t
PcieLink::GetRcb() const
{
    return m_rcb;
}

void
PcieLink::SetPropagation(Time delay)
{
    NS_LOG_FUNCTION(this << delay);
    NS_ASSERT_MSG(!delay.IsStrictlyNegative(), "PcieLink: PropagationDelay " << delay);
    m_propagation = delay;
    m_propagationFs = delay.GetFemtoSeconds();
}

Time
PcieLink::GetPropagation() const
{
    return m_propagation;
}

void
PcieLink::SetRootReadLatency(Time latency)
{
    NS_LOG_FUNCTION(this << latency);
    NS_ASSERT_MSG(!latency.IsStrictlyNegative(), "PcieLink: RootComplexReadLatency " << latency);
    m_rootReadLatency = latency;
    m_rootReadLatencyFs = latency.GetFemtoSeconds();
}

Time
PcieLink::GetRootReadLatency() const
{
    return m_rootReadLatency;
}

void
PcieLink::SetMaxOutstandingReads(uint32_t n)
{
    NS_LOG_FUNCTION(this << n);
    NS_ASSERT_MSG(n >= 1 && n <= 1024, "PcieLink: MaxOutstandingReads " << n);
    m_maxOutstandingReads = n;
    // Reserve the heap now so that DeviceRead never allocates.
    std::vector<int64_t> heap;
    heap.reserve(n + 1);
    while (!m_tagRelease.empty())
    {
        heap.push_back(m_tagRelease.top());
        m_tagRelease.pop();
    }
    m_tagRelease = decltype(m_tagRelease)(std::greater<int64_t>(), std::move(heap));
}

uint32_t
PcieLink::GetMaxOutstandingReads() const
{
    return m_maxOutstandingReads;
}

inline uint64_t
PcieLink::Chunks(uint32_t bytes, uint32_t chunk)
{
    // A zero-byte transfer still takes one TLP (a zero-length read or write).
    return bytes == 0 ? 1 : (static_cast<uint64_t>(bytes) + chunk - 1) / chunk;
}

inline uint64_t
PcieLink::WriteWireBytes(uint32_t bytes) const
{
    const uint32_t perTlp = DLLP_FRAMING + TLP_HEADER + (m_addr64 ? MEM_REQ_ADDR64 : MEM_REQ_ADDR32)
                          + (m_ecrc ? ECRC : 0);
    return bytes + Chunks(bytes, m_mps) * perTlp;
}

inline uint64_t
PcieLink::RequestWireBytes(uint32_t bytes) const
{
    const uint32_t perTlp = DLLP_FRAMING + TLP_HEADER + (m_addr64 ? MEM_REQ_ADDR64 : MEM_REQ_ADDR32)
                          + (m_ecrc ? ECRC : 0);
    return Chunks(bytes, m_mrrs) * perTlp;
}

inline uint32_t
PcieLink::CompletionChunk() const
{
    // Each request gets its own completions, so a completion never exceeds MRRS either; with
    // power-of-two sizes that makes ceil(bytes / min(chunk, MRRS)) completions.
    return std::min(m_split == SPLIT_RCB ? m_rcb : m_mps, m_mrrs);
}

inline uint64_t
PcieLink::CompletionWireBytes(uint32_t bytes, uint32_t completions) const
{
    const uint32_t perTlp = DLLP_FRAMING + TLP_HEADER + COMPLETION + (m_ecrc ? ECRC : 0);
    return bytes + (completions == 0 ? Chunks(bytes, CompletionChunk()) : completions) * perTlp;
}

uint64_t
PcieLink::GetWriteWireBytes(uint32_t bytes) const
{
    return WriteWireBytes(bytes);
}

uint32_t
PcieLink::GetWriteTlps(uint32_t bytes) const
{
    return static_cast<uint32_t>(Chunks(bytes, m_mps));
}

uint64_t
PcieLink::GetReadRequestWireBytes(uint32_t bytes) const
{
    return RequestWireBytes(bytes);
}

uint64_t
PcieLink::GetReadCompletionWireBytes(uint32_t bytes, uint32_t completions) const
{
    return CompletionWireBytes(bytes, completions);
}

inline int64_t
PcieLink::Serialize(Direction dir, uint64_t payload, uint64_t wire, uint64_t tlps, uint32_t chunk,
                    int64_t earliestFs, LazyNow& now)
{
    if (m_tlpBps == 0)
    {
        UpdateRates();
    }
    auto present = [&now]()
    {
        return now.Get().GetFemtoSeconds();
    };
    // The link carries TLPs, not transfers: each TLP takes the first idle gap at or after the
    // previous one's end, so a transfer of several TLPs interleaves with TLPs reserved ahead of
    // it (read completions) instead of waiting for a gap that holds it whole, which would leave
    // the smaller gaps idle. TLP k carries min(chunk, what is left) payload bytes and its
    // share of the overhead.
    const uint64_t overhead = (wire - payload) / tlps;
    auto tlpFs = [&](uint64_t k)
    {
        const uint64_t before = std::min<uint64_t>(payload, k * chunk);
        return RoundToFs((std::min<uint64_t>(payload - before, chunk) + overhead) * m_fsPerByte);
    };
    int64_t start = 0;
    int64_t end = earliestFs;
    int64_t duration = 0;
    BusyCalendar& schedule = m_schedule[dir];
    if (tlps == 1 || schedule.IsIdleFrom(earliestFs))
    {
        // Nothing booked after it: its TLPs go back to back, one interval (the usual case,
        // one reservation).
        for (uint64_t k = 0; k < tlps; ++k)
        {
            duration += tlpFs(k);
        }
        start = schedule.ReserveLazy(earliestFs, duration, present);
        end = start + duration;
    }
    else
    {
        for (uint64_t k = 0; k < tlps; ++k)
        {
            const int64_t pieceFs = tlpFs(k);
            const int64_t at = schedule.ReserveLazy(end, pieceFs, present);
            start = k == 0 ? at : start;
            end = at + pieceFs;
            duration += pieceFs;
        }
    }
    m_busyFs[dir] += duration;
    m_payload[dir] += payload;
    m_wire[dir] += wire;
    m_tlps[dir] += tlps;
    if (!m_transferTrace.IsEmpty())
    {
        m_transferTrace(static_cast<uint8_t>(dir), payload, wire, FsToTime(start), FsToTime(end));
    }
    return end;
}

Time
PcieLink::PostedWrite(Direction dir, uint32_t bytes, const Time& earliest, LazyNow& now)
{
    const uint64_t wire = WriteWireBytes(bytes);
    const uint64_t tlps = Chunks(bytes, m_mps);
    int64_t at = earliest.GetFemtoSeconds();
    if (m_upstream && dir == DOWNSTREAM)
    {
        // From the root complex: the switch's upstream link first, then the switch.
        at = m_upstream->Serialize(dir, bytes, wire, tlps, m_mps, at, now)
           + m_upstream->m_propagationFs + m_switchFs;
    }
    at = Serialize(dir, bytes, wire, tlps, m_mps, at, now) + m_propagationFs;
    if (m_upstream && dir == UPSTREAM)
    {
        at = m_upstream->Serialize(dir, bytes, wire, tlps, m_mps, at + m_switchFs, now)
           + m_upstream->m_propagationFs;
    }
    return FsToTime(at);
}

Time
PcieLink::PortWrite(Direction dir, uint32_t bytes, const Time& earliest)
{
    NS_LOG_FUNCTION(this << dir << bytes << earliest);
    LazyNow now;
    const int64_t end = Serialize(dir, bytes, WriteWireBytes(bytes), Chunks(bytes, m_mps), m_mps,
                                  earliest.GetFemtoSeconds(), now);
    return FsToTime(end + m_propagationFs);
}

void
PcieLink::SetUpstream(Ptr<PcieLink> upstream, Time switchLatency)
{
    NS_LOG_FUNCTION(this << upstream << switchLatency);
    NS_ABORT_MSG_IF(upstream == this, "PcieLink::SetUpstream: a link cannot be its own upstream");
    NS_ABORT_MSG_IF(upstream && upstream->m_upstream,
                    "PcieLink::SetUpstream: one switch level only");
    m_upstream = upstream;
    m_switchFs = switchLatency.GetFemtoSeconds();
}

Ptr<PcieLink>
PcieLink::GetUpstream() const
{
    return m_upstream;
}

Time
PcieLink::DeviceWrite(uint32_t bytes, const Time& earliest)
{
    NS_LOG_FUNCTION(this << bytes << earliest);
    LazyNow now;
    return PostedWrite(UPSTREAM, bytes, earliest, now);
}

Time
PcieLink::HostWrite(uint32_t bytes, const Time& earliest)
{
    NS_LOG_FUNCTION(this << bytes << earliest);
    LazyNow now;
    return PostedWrite(DOWNSTREAM, bytes, earliest, now);
}

int64_t
PcieLink::ReadRequest(uint32_t bytes, const Time& earliest, LazyNow& now)
{
    int64_t issue = earliest.GetFemtoSeconds();
    // Tags released by now are free. Assumes reads are reserved in roughly increasing time, as
    // they are when reserved at Simulator::Now().
    while (!m_tagRelease.empty() && m_tagRelease.top() <= issue)
    {
        m_tagRelease.pop();
    }
    if (m_tagRelease.size() >= m_maxOutstandingReads)
    {
        ++m_tagStalls;
        while (m_tagRelease.size() >= m_maxOutstandingReads)
        {
            issue = std::max(issue, m_tagRelease.top());
            m_tagRelease.pop();
        }
    }
    const uint64_t wire = RequestWireBytes(bytes);
    const uint64_t tlps = Chunks(bytes, m_mrrs);
    const int64_t arrival
        = Serialize(UPSTREAM, 0, wire, tlps, m_mrrs, issue, now) + m_propagationFs;
    if (m_upstream)
    {
        return m_upstream->Serialize(UPSTREAM, 0, wire, tlps, m_mrrs, arrival + m_switchFs, now)
             + m_upstream->m_propagationFs;
    }
    return arrival;
}

Time
PcieLink::ReadCompletion(uint32_t bytes, int64_t arrivalFs, const Time& extraRootLatency,
                         LazyNow& now, uint32_t completions)
{
    NS_ABORT_MSG_IF(extraRootLatency.IsStrictlyNegative(),
                    "PcieLink: negative extra root-complex latency " << extraRootLatency);
    int64_t ready = arrivalFs + m_rootReadLatencyFs + extraRootLatency.GetFemtoSeconds();
    const uint64_t wire = CompletionWireBytes(bytes, completions);
    uint64_t tlps;
    uint32_t chunk = CompletionChunk();
    if (completions == 0)
    {
        tlps = Chunks(bytes, chunk);
    }
    else
    {
        // The root complex's own split (RootComplex::CompletionCoalesceLines).
        tlps = completions;
        chunk = (bytes + completions - 1) / completions;
    }
    if (m_upstream)
    {
        ready = m_upstream->Serialize(DOWNSTREAM, bytes, wire, tlps, chunk, ready, now)
              + m_upstream->m_propagationFs + m_switchFs;
    }
    const int64_t completionEnd = Serialize(DOWNSTREAM, bytes, wire, tlps, chunk, ready, now);
    const int64_t done = completionEnd + m_propagationFs;
    m_tagRelease.push(done);
    NS_LOG_LOGIC("read " << bytes << " B ready at the root complex " << ready << " fs, done "
                         << done << " fs");
    return FsToTime(done);
}

template<typename F>
Time
PcieLink::DoDeviceRead(uint32_t bytes, const Time& earliest, F&& atRootComplex)
{
    LazyNow now;
    const int64_t arrival = ReadRequest(bytes, earliest, now);
    return ReadCompletion(bytes, arrival, atRootComplex(FsToTime(arrival)), now);
}

Time
PcieLink::DeviceRead(uint32_t bytes, Time earliest, Time extraRootLatency)
{
    NS_LOG_FUNCTION(this << bytes << earliest << extraRootLatency);
    return DoDeviceRead(bytes, earliest,
                        [extraRootLatency](Time)
                        {
                            return extraRootLatency;
                        });
}

Time
PcieLink::DeviceRead(uint32_t bytes, Time earliest, const std::function<Time(Time)>& atRootComplex)
{
    NS_LOG_FUNCTION(this << bytes << earliest);
    return DoDeviceRead(bytes, earliest, atRootComplex);
}

uint64_t
PcieLink::GetPayloadBytes(Direction dir) const
{
    return m_payload[dir];
}

uint64_t
PcieLink::GetWireBytes(Direction dir) const
{
    return m_wire[dir];
}

uint64_t
PcieLink::GetTlps(Direction dir) const
{
    return m_tlps[dir];
}

Time
PcieLink::GetBusyTime(Direction dir) const
{
    if (m_tlpBps == 0)
    {
        UpdateRates();
    }
    return FsToTime(m_busyFs[dir]);
}

Time
PcieLink::GetBusyTimeSoFar(Direction dir) const
{
    const int64_t ahead = m_schedule[dir].GetBusyAfter(Simulator::Now().GetFemtoSeconds());
    // ResetCounters() keeps the reservations: never below zero.
    return FsToTime(std::max<int64_t>(0, m_busyFs[dir] - ahead));
}

uint64_t
PcieLink::GetTagStalls() const
{
    return m_tagStalls;
}

void
PcieLink::ResetCounters()
{
    NS_LOG_FUNCTION(this);
    for (int d = 0; d < 2; ++d)
    {
        m_busyFs[d] = 0;
        m_payload[d] = 0;
        m_wire[d] = 0;
        m_tlps[d] = 0;
    }
    m_tagStalls = 0;
}

} // namespace ns3
