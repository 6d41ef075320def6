/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef MEMORY_DOMAIN_H
#define MEMORY_DOMAIN_H

#include "ns3/object.h"
#include "ns3/ptr.h"

#include <cstdint>
#include <memory>
#include <unordered_map>

namespace ns3 {

class Iommu;

/**
 * \ingroup sriov-vmcomm
 * \brief A VM's guest memory: real bytes, mapped into the VM's IOMMU domain.
 *
 * Guest physical addresses [0, SizeBytes) are the IOVAs a device assigned to the VM uses (as
 * with VFIO device assignment, where the whole guest memory is mapped at VM start). They sit at
 * host physical addresses [hpaBase, hpaBase + SizeBytes). Backing store is allocated lazily in
 * 4 KiB chunks on first write, so a large or numerous VM costs only the memory it touches;
 * untouched bytes read as zero.
 *
 * The guest side (drivers) allocates rings and packet buffers with Allocate() and accesses them
 * with Read()/Write() by guest physical address. Devices reach memory only by host physical
 * address, after IOMMU translation (WriteHpa()/ReadHpa()).
 */
class MemoryDomain : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    MemoryDomain();
    ~MemoryDomain() override;

    /**
     * \brief Place the memory at host physical address \p hpaBase and map it into a new domain
     * of \p iommu with pages of the PageSize attribute.
     * \param iommu the host's IOMMU (may be null: no translation, for a host without IOMMU)
     * \param hpaBase host physical base, aligned to PageSize
     */
    void Attach(Ptr<Iommu> iommu, uint64_t hpaBase);

    /** \return the IOMMU domain id given by Attach() */
    uint32_t GetIommuDomain() const;
    /** \return the host physical base */
    uint64_t GetHpaBase() const;
    /** \return the guest memory size in bytes */
    uint64_t GetSize() const;
    /** \return the IOMMU page size used to map this memory, bytes */
    uint64_t GetPageBytes() const;

    /**
     * \brief Guest allocator (a bump allocator above the AllocationBase attribute).
     * \param bytes size
     * \param align alignment, a power of two
     * \return guest physical address of the block; aborts when memory is exhausted
     */
    uint64_t Allocate(uint64_t bytes, uint64_t align);

    /**
     * \brief Guest CPU write.
     * \param gpa guest physical address; [gpa, gpa+len) must be inside the memory
     * \param data bytes
     * \param len length
     */
    void Write(uint64_t gpa, const uint8_t* data, uint32_t len);
    /**
     * \brief Guest CPU read.
     * \param gpa guest physical address
     * \param out destination
     * \param len length
     */
    void Read(uint64_t gpa, uint8_t* out, uint32_t len) const;

    /** \param hpa host physical address \return true if hpa lies in this memory */
    bool ContainsHpa(uint64_t hpa) const;
    /** \brief Device write by host physical address (after translation). \param hpa address
     * \param data bytes \param len length */
    void WriteHpa(uint64_t hpa, const uint8_t* data, uint32_t len);
    /** \brief Device read by host physical address. \param hpa address \param out destination
     * \param len length */
    void ReadHpa(uint64_t hpa, uint8_t* out, uint32_t len) const;

    /** \return a hash (FNV-1a) of the whole contents; equal contents give equal hashes */
    uint64_t Fingerprint() const;
    /** \return bytes of backing store allocated */
    uint64_t GetResidentBytes() const;
    /** \return bytes written by devices (WriteHpa) */
    uint64_t GetDeviceBytesWritten() const;

  protected:
    void DoDispose() override;

  private:
    static constexpr uint32_t CHUNK_SHIFT = 12;          //!< backing chunk: 4 KiB
    static constexpr uint32_t CHUNK = 1u << CHUNK_SHIFT; //!< backing chunk size

    /** \param chunk chunk number \return its storage, allocated (zeroed) if needed */
    uint8_t* Chunk(uint64_t chunk);
    /** \param chunk chunk number \return its storage, or nullptr if never written */
    const uint8_t* FindChunk(uint64_t chunk) const;
    /** \brief Abort unless [gpa, gpa+len) lies in the memory. \param what caller, for the
     * message \param gpa start \param len length */
    void CheckRange(const char* what, uint64_t gpa, uint64_t len) const;
    /** \brief Abort unless [hpa, hpa+len) lies in the attached memory. \param what caller
     * \param hpa start \param len length */
    void CheckHpaRange(const char* what, uint64_t hpa, uint64_t len) const;

    uint64_t m_size;          //!< bytes
    uint64_t m_pageBytes;     //!< IOMMU page size
    uint64_t m_allocBase;     //!< first address the allocator hands out
    uint64_t m_next;          //!< bump pointer (0: allocator not started)
    uint64_t m_hpaBase;       //!< host physical base
    uint32_t m_domain;        //!< IOMMU domain id
    bool m_attached;          //!< Attach() was called
    Ptr<Iommu> m_iommu;       //!< the IOMMU it is mapped in
    uint64_t m_deviceWritten; //!< counter
    std::unordered_map<uint64_t, std::unique_ptr<uint8_t[]>> m_chunks; //!< lazy backing
    mutable uint64_t m_lastChunk; //!< one-entry lookup cache: chunk number
    mutable uint8_t* m_lastData;  //!< one-entry lookup cache: its storage (nullptr: empty)
};

} // namespace ns3

#endif /* MEMORY_DOMAIN_H */
