/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef DMA_ENGINE_H
#define DMA_ENGINE_H

#include "busy-calendar.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/ptr.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <vector>

namespace ns3 {

class Iommu;
class MemoryDomain;
class PcieLink;

/**
 * \ingroup sriov-vmcomm
 * \brief The NIC's DMA engine, shared by all its functions: moves bytes between the NIC and a
 * VM's memory across the PCIe link, through the IOMMU.
 *
 * Each operation is timed by reservation on the PCIe link (see PcieLink) and on the engine
 * itself, which issues one operation per IssueInterval: the engine costs no simulator event. A
 * write is translated when its TLPs reach the root complex (where VT-d sits); a read when its
 * request does. A fault stops the access: nothing is read or written.
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
        Time iommuTime;        //!< time spent waiting for IOMMU walks
        Time done; //!< read: data at the NIC; write: data at the root complex, translated
    };

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
     * \param earliest instant the NIC issues the read
     * \return result; on a fault nothing is copied
     */
    Result Read(Ptr<MemoryDomain> mem, uint64_t iova, uint8_t* out, uint32_t len, Time earliest);

    /**
     * \brief Time and translate a DMA write into guest memory; the bytes are stored by Commit().
     * \param mem the VM memory
     * \param iova address in the VM's IO virtual address space; [iova, iova+len) must lie in one
     *        IOMMU page or in physically contiguous pages (true for MemoryDomain)
     * \param len bytes
     * \param earliest instant the NIC issues the write
     * \return result: hpa is where Commit() writes; on a fault nothing may be written
     */
    Result Write(Ptr<MemoryDomain> mem, uint64_t iova, uint32_t len, Time earliest);

    /**
     * \brief Store the bytes of a translated write.
     * \param mem the VM memory
     * \param result the Write() result (must not be a fault)
     * \param data bytes
     * \param len length
     */
    void Commit(Ptr<MemoryDomain> mem, const Result& result, const uint8_t* data, uint32_t len);

    /**
     * \brief An MSI-X message: a posted 4-byte write upstream (interrupt remapping is not
     * modelled, so it is not translated).
     * \param earliest instant the NIC raises the interrupt
     * \return instant the message reaches the root complex
     */
    Time MsiX(Time earliest);

    /**
     * \brief An MMIO write from a CPU to the NIC (a doorbell).
     * \param earliest instant the CPU writes
     * \return instant the NIC sees it
     */
    Time Doorbell(Time earliest);

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
    /** \return DMA reads issued */
    uint64_t GetReads() const;
    /** \return DMA writes issued */
    uint64_t GetWrites() const;

  protected:
    void DoDispose() override;

  private:
    /**
     * \brief Translate [iova, iova+len) page by page.
     * \param mem the VM memory
     * \param iova start
     * \param len length
     * \param write access type
     * \param at instant the access reaches the IOMMU
     * \return fault, first hpa, instant all pages are translated (in done)
     */
    Result Translate(Ptr<MemoryDomain> mem, uint64_t iova, uint32_t len, bool write, Time at);
    /**
     * \param hpa host physical address
     * \param len length
     * \param fallback region to use when none is registered
     * \return the registered region holding [hpa, hpa+len)
     */
    MemoryDomain* Resolve(uint64_t hpa, uint32_t len, Ptr<MemoryDomain> fallback) const;
    /** \param earliest instant asked \return instant the engine issues the next operation */
    Time Issue(Time earliest);

    Ptr<PcieLink> m_link;                      //!< the NIC's PCIe link
    Ptr<Iommu> m_iommu;                        //!< the host's IOMMU
    std::vector<Ptr<MemoryDomain>> m_memories; //!< host physical memory, by base address
    Time m_issueInterval;                      //!< engine time per operation
    BusyCalendar m_engine;                     //!< issue slots reserved
    uint64_t m_reads;                          //!< counter
    uint64_t m_writes;                         //!< counter

    /** Fired per operation: is-write, iova, hpa, length, done */
    TracedCallback<bool, uint64_t, uint64_t, uint32_t, Time> m_opTrace;
};

} // namespace ns3

#endif /* DMA_ENGINE_H */
