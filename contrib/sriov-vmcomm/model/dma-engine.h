/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef DMA_ENGINE_H
#define DMA_ENGINE_H

#include "busy-calendar.h"
#include "ns3/data-rate.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/ptr.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <functional>
#include <queue>
#include <vector>

namespace ns3 {

class Iommu;
class MemoryDomain;
class PcieLink;
class RootComplex;
struct DmaTransferSplit;

/**
 * \ingroup sriov-vmcomm
 * \brief The NIC's DMA engine, shared by all its functions: moves bytes between the NIC and a
 * VM's memory across the PCIe link, through the IOMMU.
 *
 * Each operation is timed by reservation on the PCIe link (see PcieLink) and on the engine
 * itself: the engine costs no simulator event. An operation spends ProcessingLatency in the
 * engine's pipeline before its first TLP, then occupies the engine's issue stage for
 * ReadIssueInterval or WriteIssueInterval (so the engine issues at most one operation per
 * interval: the small-transfer rate limit). A read holds one of MaxOutstandingReads engine slots
 * (and one of the link's tags) until its data is in NIC memory; it stores its data there, after
 * the last completion arrived, at ReadDataRate. A read whose bytes straddle one more NIC-memory
 * word than its length needs is realigned: it holds the issue stage UnalignedReadTime more, and
 * the engine's receive path, which takes its completions as the link delivers them, then spends
 * UnalignedReadReceiveTime on it and takes no other such read meanwhile. A write's data is pulled
 * from NIC memory by a fetch stage of its own, busy WriteFetchTime plus WriteFetchBurstTime per
 * burst of up to WriteFetchBurstBytes (whole NIC-memory words from the first word the data
 * touches, DeviceBursts()): the large-write rate limit, which also makes a write that straddles
 * one more word cost a burst more when that word starts a burst. A write is translated when
 * its TLPs reach the root complex (where VT-d sits); a read when its request does. A fault stops
 * the access: nothing is read or written.
 *
 * The defaults are the nfp6000-bdw calibration (helper/preset.h, doc/validation.md).
 *
 * Reads move their bytes at once (the caller owns the result from the returned instant on);
 * writes return their translation so the caller can store the bytes when its own event for the
 * instant fires (Commit()).
 */
class DmaEngine : public Object
{
  public:
    /** Outcome of one DMA operation. */
    struct Result
    {
        bool fault{false};     //!< the IOMMU refused an address: nothing was moved
        bool iotlbMiss{false}; //!< at least one page missed the IOTLB
        uint64_t hpa{0};       //!< host physical address of the first byte
        Time iommuTime;        //!< how much the IOMMU walks delayed it past its last byte's arrival
        Time done; //!< read: data in NIC memory; write: data at the root complex, translated
    };

    /**
     * TracedCallback signature of the Operation trace source.
     * \param write true for a write, false for a read
     * \param iova IO virtual address of the access
     * \param hpa host physical address it was translated to
     * \param length bytes
     * \param done completion instant (Result::done)
     */
    typedef void (*OperationTracedCallback)(bool write, uint64_t iova, uint64_t hpa,
                                            uint32_t length, Time done);

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    DmaEngine();
    ~DmaEngine() override;

    /**
     * \brief Connect the engine to the link and IOMMU of its host.
     * \param link PCIe link between the NIC and the root complex
     * \param iommu the host's IOMMU; null for a host without DMA remapping (identity)
     */
    void Attach(Ptr<PcieLink> link, Ptr<Iommu> iommu);

    /**
     * \brief DMA read of guest memory into the NIC.
     * \param mem the VM memory (its IOMMU domain translates)
     * \param iova address in the VM's IO virtual address space
     * \param out destination for the bytes (may be null: timing only)
     * \param len bytes
     * \param earliest instant the NIC hands the read to the engine
     * \param deviceAddr address of the data in NIC memory (its offset within a word may cost,
     *        see UnalignedReadTime)
     * \return result; on a fault nothing is copied
     */
    Result Read(const Ptr<MemoryDomain>& mem, uint64_t iova, uint8_t* out, uint32_t len,
                const Time& earliest, uint64_t deviceAddr = 0);

    /**
     * \brief Time and translate a DMA write into guest memory; the bytes are stored by Commit().
     * \param mem the VM memory
     * \param iova address in the VM's IO virtual address space; [iova, iova+len) must lie in one
     *        IOMMU page or in physically contiguous pages (true for MemoryDomain)
     * \param len bytes
     * \param earliest instant the NIC hands the write to the engine
     * \param deviceAddr address of the data in NIC memory (see UnalignedWriteTime)
     * \return result: hpa is where Commit() writes; on a fault nothing may be written
     */
    Result Write(const Ptr<MemoryDomain>& mem, uint64_t iova, uint32_t len, const Time& earliest,
                 uint64_t deviceAddr = 0);

    /**
     * \brief Store the bytes of a translated write.
     * \param mem the VM memory
     * \param result the Write() result (must not be a fault)
     * \param data bytes
     * \param len length
     */
    void Commit(const Ptr<MemoryDomain>& mem, const Result& result, const uint8_t* data,
                uint32_t len);

    /**
     * \brief An MSI-X message: a posted 4-byte write upstream (interrupt remapping is not
     * modelled, so it is not translated).
     * \param earliest instant the NIC raises the interrupt
     * \return instant the message reaches the root complex
     */
    Time MsiX(const Time& earliest);

    /**
     * \brief An MMIO write from a CPU to the NIC (a doorbell).
     * \param earliest instant the CPU writes
     * \return instant the NIC sees it
     */
    Time Doorbell(const Time& earliest);

    /**
     * \brief Register a region of the host's physical memory (a VM's memory): DMA data goes to
     * whichever region holds the translated address.
     * \param memory the region
     */
    void AddMemory(Ptr<MemoryDomain> memory);

    /** \return the PCIe link */
    Ptr<PcieLink> GetLink() const;
    /** \return the IOMMU (may be null) */
    Ptr<Iommu> GetIommu() const;
    /** \return the host's root complex the engine's requests go through */
    Ptr<RootComplex> GetRootComplex() const;
    /**
     * \brief Share a host's root complex (by default each engine has one of its own, from the
     * attribute defaults).
     * \param rootComplex the root complex (not null)
     */
    void SetRootComplex(Ptr<RootComplex> rootComplex);
    /** \return DMA reads issued */
    uint64_t GetReads() const;
    /** \return DMA writes issued */
    uint64_t GetWrites() const;
    /** \return reads that waited for a free engine read slot (MaxOutstandingReads) */
    uint64_t GetReadSlotStalls() const;

  protected:
    void DoDispose() override;

  private:
    // Translate, Resolve, Issue, AcquireReadSlot and StoreTime are defined inline in
    // dma-engine.cc: the library is built with -fPIC, where GCC inlines no exported function,
    // and they run on every DMA.

    /**
     * \brief Translate [iova, iova+len) page by page.
     *
     * A write's TLPs reach the IOMMU one after another, from \p at (the first byte's) to
     * \p last (the last byte's): each page is translated when its first byte arrives (as
     * interpolated by its offset), so a walk overlaps the transfer of the TLPs behind it.
     * \param mem the VM memory
     * \param iova start
     * \param len length
     * \param write access type
     * \param at instant the first byte reaches the IOMMU
     * \param last instant the last byte reaches it (not before \p at; \p at for a read, whose
     *        request carries the whole range)
     * \param firstReady if not null, set to the instant the first page is translated
     * \return fault, first hpa, the instant the whole access is there and translated (in done),
     *         and how much later than \p last that is (iommuTime)
     */
    Result Translate(MemoryDomain* mem, uint64_t iova, uint32_t len, bool write, const Time& at,
                     const Time& last, Time* firstReady = nullptr);
    /**
     * \param len bytes of a posted write
     * \param tlps its TLPs
     * \return how long before its last TLP its first one arrives (back to back on the link)
     */
    Time EarlierTlps(uint32_t len, uint32_t tlps) const;
    /**
     * \param hpa host physical address
     * \param len length
     * \param fallback region to use when none is registered
     * \return the registered region holding [hpa, hpa+len)
     */
    MemoryDomain* Resolve(uint64_t hpa, uint32_t len, MemoryDomain* fallback) const;
    /**
     * \brief Reserve the issue stage.
     * \param earliest instant the operation is ready to issue
     * \param interval issue-stage occupancy of the operation
     * \param now the present (read only if the reservation needs it)
     * \return instant the engine issues it
     */
    Time Issue(const Time& earliest, const Time& interval, LazyNow& now);
    /**
     * \brief Wait for an engine read slot (MaxOutstandingReads).
     * \param earliest instant the read is ready
     * \return instant a slot is free (the caller must then push the read's release instant)
     */
    Time AcquireReadSlot(const Time& earliest);
    /** \param bytes read size \return time to store the read's data in NIC memory */
    Time StoreTime(uint32_t bytes) const;
    /**
     * \param split the operation's split
     * \param write whether it is a write
     * \param len bytes
     * \return extra issue-stage time of an operation that straddles a device word
     */
    Time UnalignedTime(const DmaTransferSplit& split, bool write, uint32_t len) const;
    /**
     * \param deviceAddr the operation's NIC-memory address
     * \return whether the transfer split is needed (root complex or alignment costs)
     */
    bool NeedsSplit(uint64_t deviceAddr) const;
    /**
     * \brief Reserve the write data fetch stage.
     * \param ready instant the write's data could be in the engine (fetch latency included)
     * \param deviceAddr the write's NIC-memory address
     * \param len bytes
     * \param now the present (read only if the reservation needs it)
     * \return instant the stage serves the write (ready when it is idle)
     */
    Time FetchWriteData(const Time& ready, uint64_t deviceAddr, uint32_t len, LazyNow& now);
    /** \param rate the WriteDataRate attribute */
    void SetWriteDataRate(DataRate rate);
    /** \return the WriteDataRate attribute */
    DataRate GetWriteDataRate() const;
    /** \param rate the ReadDataRate attribute */
    void SetReadDataRate(DataRate rate);
    /** \return the ReadDataRate attribute */
    DataRate GetReadDataRate() const;

    Ptr<PcieLink> m_link;                      //!< the NIC's PCIe link
    Ptr<Iommu> m_iommu;                        //!< the host's IOMMU
    std::vector<Ptr<MemoryDomain>> m_memories; //!< host physical memory, by base address
    Time m_readIssueInterval;                  //!< issue-stage time per read
    Time m_writeIssueInterval;                 //!< issue-stage time per write
    Time m_processingLatency;                  //!< pipeline latency before the first TLP
    DataRate m_readDataRate;                   //!< store rate of read data (0: instant)
    uint32_t m_maxOutstandingReads;            //!< engine read slots (0: unbounded)
    DataRate m_writeDataRate;                  //!< fetch rate of write data (0: instant)
    Time m_unalignedReadTime;                  //!< extra issue time, read straddling a word
    Time m_unalignedWriteTime;                 //!< extra issue time, write straddling a word
    DataRate m_readRealignDataRate;            //!< read realignment rate (0: none)
    Time m_unalignedReadReceiveTime;           //!< receive-path time, read straddling a word
    DataRate m_writeRealignDataRate;           //!< write realignment rate (0: none)
    Time m_writeFetchTime;                     //!< fetch-stage time per write
    Time m_writeFetchBurstTime;                //!< fetch-stage time per burst
    uint32_t m_writeFetchBurstBytes;           //!< bytes per NIC-memory read burst
    uint32_t m_deviceWordBytes;                //!< device memory access unit
    Ptr<RootComplex> m_rootComplex;            //!< the host side of the requests
    BusyCalendar m_engine;                     //!< issue slots reserved
    BusyCalendar m_receive;                    //!< receive path of word-straddling reads
    BusyCalendar m_fetch;                      //!< write data fetch stage
    /** release instants (time steps) of the engine read slots in use (min-heap) */
    std::priority_queue<int64_t, std::vector<int64_t>, std::greater<int64_t>> m_readSlots;
    uint64_t m_reads;          //!< counter
    uint64_t m_writes;         //!< counter
    uint64_t m_readSlotStalls; //!< counter

    /** One memoized StoreTime(). */
    struct StoreTimeMemo
    {
        uint32_t bytes{0}; //!< read size
        bool valid{false}; //!< time holds StoreTime(bytes)
        Time time;         //!< the store time
    };

    /** Memo slots for StoreTime(), a power of two (a frame's reads have two or three sizes). */
    static constexpr uint32_t STORE_TIME_MEMO = 16;
    /**
     * StoreTime() by read size, direct mapped: the same double-to-Time conversion as without
     * the memo, made once per size instead of once per read
     */
    mutable StoreTimeMemo m_storeTimeMemo[STORE_TIME_MEMO];
    /** The same for the write data fetch (WriteDataRate) by write size. */
    mutable StoreTimeMemo m_fetchTimeMemo[STORE_TIME_MEMO];
    /**
     * \param memo a memo array (STORE_TIME_MEMO slots)
     * \param rate the rate
     * \param bytes the size
     * \return bytes at rate, memoized
     */
    static Time MemoTime(StoreTimeMemo* memo, const DataRate& rate, uint32_t bytes);

    // One-entry cache of Resolve(): nearly every DMA goes to the memory of the last one.
    mutable MemoryDomain* m_resolved; //!< region Resolve() returned last (null: none)
    mutable uint64_t m_resolvedLow;   //!< its base: hpa below it is not in the cached range
    mutable uint64_t m_resolvedHigh;  //!< next region's base: hpa at or above it is not either

    /** Fired per operation: is-write, iova, hpa, length, done */
    TracedCallback<bool, uint64_t, uint64_t, uint32_t, Time> m_opTrace;
};

} // namespace ns3

#endif /* DMA_ENGINE_H */
