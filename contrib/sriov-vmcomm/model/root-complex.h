/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef ROOT_COMPLEX_H
#define ROOT_COMPLEX_H

#include "busy-calendar.h"
#include "dma-transfer-split.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/ptr.h"
#include "ns3/random-variable-stream.h"

#include <cstdint>
#include <list>
#include <unordered_map>

namespace ns3 {

/**
 * \ingroup sriov-vmcomm
 * \brief The host side of device DMA in the root complex: the pipeline that turns a device's
 * memory requests into cache-line accesses, and the host cache those accesses hit or miss.
 *
 * Five mechanisms, each with its own attributes (all zero by default: then the root complex is
 * transparent and PcieLink::RootComplexReadLatency alone stands for it):
 * - **Request pipeline.** Reads and writes go through one pipeline (they share it: the reason a
 *   mix of reads and writes moves less than either alone). A read occupies it for
 *   ReadRequestTime per request TLP plus ReadLineTime per cache line it touches, a write for
 *   WriteTlpTime per TLP plus WriteLineTime per line; an operation of the other direction than
 *   the one before it adds DirectionSwitchLineTime per line (the memory system turns around).
 *   Lines are counted by the transfer's size (a 65 B read costs two, as a 128 B one); the one
 *   more line a host offset makes the bytes straddle costs ReadStraddleLineTime or
 *   WriteStraddleLineTime instead (reads and writes differ: a write merges partial lines).
 *   The pipeline is a work-conserving server (BusyCalendar): it bounds the rate, it adds no
 *   latency when idle. A partial line costs as much as a whole one. It takes a multi-TLP write
 *   TLP by TLP as they arrive (its work overlaps the write's own serialization on the link).
 * - **Host cache.** A read whose line is not in the last-level cache waits ColdReadLatency more
 *   (the DRAM access); the misses go to memory through a path of their own, busy
 *   ColdReadRequestTime per request (a bound on the rate of misses beside the pipeline's).
 * SetWorkingSet() says how the device's data sits in the cache: all of it cold, or warm up to
 * HostCacheBytes (a larger working set misses in proportion). Writes allocate in the cache (Intel
 * DDIO) and never pay it.
 * - **Completion coalescing.** The root complex merges the cache lines of a read request into
 *   completions of up to MPS bytes only when the request touches at least
 *   CompletionCoalesceLines lines; a smaller request gets one completion per line, each with its
 *   own header on the link (SplitDmaTransfer counts them, PcieLink carries them).
 * - **DRAM refresh.** A cold read that reaches memory while a refresh is in progress
 *   (DramRefreshTime every DramRefreshInterval) waits for its end: the tail of cold reads'
 *   latency (p99.9 far above p95). It adds latency, not a rate bound (one rank refreshes while
 *   the others serve).
 * - **Read latency distribution.** Each read's memory access takes more by a normal draw
 *   (ReadLatencySpreadMean, ReadLatencySpreadStdDev), limited to 0 .. twice the mean: the spread
 *   of real DMA latency (median, p95, p99.9 and min differ).
 *
 * The link's fixed RootComplexReadLatency is the smallest read latency; this class adds the rest.
 */
class RootComplex : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    RootComplex();
    ~RootComplex() override;

    /**
     * \brief A read whose request reached the root complex, translated, at \p ready.
     * \param split the read's split (request TLPs, cache lines)
     * \param ready instant the request is at the root complex and translated
     * \param hpa host-physical address of its first byte (lines the device wrote hit:
     *        DeviceWriteAllocateBytes)
     * \return time the read's completions wait on top of the link's RootComplexReadLatency
     *         (pipeline queueing, cache miss, latency spread), from \p ready
     */
    Time Read(const DmaTransferSplit& split, const Time& ready, uint64_t hpa = 0);

    /**
     * \brief A posted write that reached the root complex, translated, at \p ready.
     *
     * The pipeline takes a write TLP by TLP as they arrive: the work of the TLPs before the
     * last may start \p earlierTlps before \p ready (their serialization on the link), so a
     * long write's pipeline time overlaps its own transfer and only its last TLP's work
     * follows its arrival.
     * \param split the write's split (TLPs, cache lines)
     * \param ready instant its last TLP is at the root complex and translated
     * \param earlierTlps how much earlier the first TLP arrived (0: one TLP)
     * \param hpa host-physical address of its first byte (its lines are then in the cache)
     * \return instant the pipeline has taken the write (>= \p ready)
     */
    Time Write(const DmaTransferSplit& split, const Time& ready, const Time& earlierTlps = Time(0),
               uint64_t hpa = 0);

    /**
     * \brief Where the device's data sits in the host cache.
     * \param bytes the working set the device accesses (e.g. a benchmark's window)
     * \param warm whether the host has brought it into the cache (false: every read misses)
     */
    void SetWorkingSet(uint64_t bytes, bool warm);

    /** \return the fraction of reads that hit the host cache (SetWorkingSet) */
    double GetCacheHitRatio() const;

    /**
     * \return the fewest cache lines a read request must touch for its completions to be
     *         merged up to MPS (0: always merged; CompletionCoalesceLines)
     */
    uint32_t GetCompletionCoalesceLines() const;

    /** \return whether any mechanism is configured (else Read() and Write() add nothing) */
    bool IsActive() const;

    /**
     * \brief Use fixed random streams.
     * \param stream first stream index
     * \return streams used (2)
     */
    int64_t AssignStreams(int64_t stream);

    /**
     * \brief One access to DRAM meets its rank at a random phase of DramRefreshInterval.
     *
     * Used for the data of cold reads and, through Iommu::SetDramRefreshWait, for the IOMMU's
     * page-table reads.
     * \return how long it waits for a refresh in progress (0: none, or refresh not modelled)
     */
    Time DramRefreshWait();

    /** \return reads that missed the host cache */
    uint64_t GetColdReads() const;
    /** \return cache lines read plus written */
    uint64_t GetLines() const;

  protected:
    void DoDispose() override;

  private:
    /**
     * Reserve the pipeline for an operation.
     * \param write whether it is a write
     * \param split its split (cache lines, lines straddled)
     * \param base its per-TLP time, time steps
     * \param readyStep instant it is ready, time steps
     * \return instant the pipeline starts it, time steps
     */
    int64_t Occupy(bool write, const DmaTransferSplit& split, int64_t base, int64_t readyStep);
    /** \param bytes the DeviceWriteAllocateBytes attribute */
    void SetDeviceWriteAllocateBytes(uint64_t bytes);
    /** \return the DeviceWriteAllocateBytes attribute */
    uint64_t GetDeviceWriteAllocateBytes() const;
    /**
     * \brief Note lines the device wrote (they are in the cache, the most recently used),
     * forgetting the least recently used beyond DeviceWriteAllocateBytes.
     * \param hpa host-physical address of the first byte
     * \param lines cache lines from there
     */
    void Remember(uint64_t hpa, uint32_t lines);
    /**
     * \brief Look a read's lines up among those the device wrote; those found become the most
     * recently used (a read hit updates the cache's replacement state; a miss allocates nothing).
     * \param hpa host-physical address of a read's first byte
     * \param lines its cache lines
     * \return whether all of them are there (the read hits)
     */
    bool Written(uint64_t hpa, uint32_t lines);
    /** \param mean the ReadLatencySpreadMean attribute */
    void SetSpreadMean(Time mean);
    /** \return the ReadLatencySpreadMean attribute */
    Time GetSpreadMean() const;

    Time m_readRequestTime;             //!< pipeline time per read request TLP
    Time m_readLineTime;                //!< pipeline time per cache line read
    Time m_writeTlpTime;                //!< pipeline time per write TLP
    Time m_writeLineTime;               //!< pipeline time per cache line written
    Time m_switchLineTime;              //!< extra per line after an operation of the other kind
    uint32_t m_switchLines;             //!< lines that pay it (0: all)
    Time m_readStraddleLineTime;        //!< pipeline time per line a read straddles
    Time m_writeStraddleLineTime;       //!< pipeline time per line a write straddles
    Time m_coldReadLatency;             //!< extra latency of a read that misses the cache
    Time m_coldRequestTime;             //!< memory-path time per request of such a read
    Time m_refreshInterval;             //!< DRAM refresh interval (tREFI; 0: none)
    Time m_refreshTime;                 //!< DRAM time per refresh (tRFC)
    uint64_t m_cacheBytes;              //!< host cache capacity for device data (0: unbounded)
    uint32_t m_coalesceLines;           //!< lines from which completions are merged (0: always)
    Time m_spreadMean;                  //!< mean extra latency per read
    Time m_spreadStdDev;                //!< its standard deviation
    Ptr<NormalRandomVariable> m_jitter; //!< draws it (created when needed)
    Ptr<UniformRandomVariable> m_hit;   //!< draws cache hits (created when needed)
    double m_hitRatio;                  //!< fraction of reads that hit (SetWorkingSet)
    bool m_jitterActive;                //!< m_jitter is not the constant 0
    bool m_lastWrite;                   //!< the last operation in the pipeline was a write
    BusyCalendar m_pipeline;            //!< pipeline reservations (time steps)
    BusyCalendar m_memory;              //!< memory-path reservations of cold reads
    uint64_t m_writtenCapacity;         //!< DeviceWriteAllocateBytes in lines (0: off)
    std::list<uint64_t>
        m_writtenOrder; //!< lines the device wrote, in the cache, least recent first
    /** the same lines, each to its place in m_writtenOrder */
    std::unordered_map<uint64_t, std::list<uint64_t>::iterator> m_written;
    uint64_t m_coldReads; //!< counter
    uint64_t m_lines;     //!< counter
};

} // namespace ns3

#endif /* ROOT_COMPLEX_H */
