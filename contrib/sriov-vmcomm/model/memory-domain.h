/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef MEMORY_DOMAIN_H
#define MEMORY_DOMAIN_H

#include "ns3/object.h"
#include "ns3/ptr.h"

#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

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
 * untouched bytes read as zero. Chunks are found through a two-level table (2 MiB of address
 * space per leaf), and accesses within one chunk take an inline path: every frame moves through
 * here several times, so it must cost little more than its memcpy.
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

    /**
     * \brief Direct access for a guest CPU that fills a buffer in place (a driver copying a
     * packet into its TX buffer), saving the copy through a staging buffer.
     * \param gpa guest physical address; [gpa, gpa+len) must be inside the memory
     * \param len length
     * \return the storage of [gpa, gpa+len), allocated if needed, valid until the next
     *         Dispose; nullptr if the range crosses a 4 KiB backing chunk (use Write())
     */
    uint8_t* GetWritableSpan(uint64_t gpa, uint32_t len);
    /**
     * \brief Direct read access, as GetWritableSpan() but allocating nothing.
     * \param gpa guest physical address; [gpa, gpa+len) must be inside the memory
     * \param len length
     * \return the bytes of [gpa, gpa+len); nullptr if the range crosses a backing chunk or was
     *         never written (it reads as zero: use Read())
     */
    const uint8_t* GetSpan(uint64_t gpa, uint32_t len) const;

    /** \param hpa host physical address \return true if hpa lies in this memory */
    bool ContainsHpa(uint64_t hpa) const;
    /** \brief Device write by host physical address (after translation). \param hpa address
     * \param data bytes \param len length */
    void WriteHpa(uint64_t hpa, const uint8_t* data, uint32_t len);
    /** \brief Device read by host physical address. \param hpa address \param out destination
     * \param len length */
    void ReadHpa(uint64_t hpa, uint8_t* out, uint32_t len) const;

    /**
     * \brief The guest no longer needs [gpa, gpa+len) (a packet buffer it has consumed, a TX
     * buffer the device has fetched): once no 64-byte line of a 4 KiB chunk holds live data, its
     * backing store is released and the chunk reads as zero again. Until then the bytes stay as
     * they were. This keeps a long run's memory to the buffers in flight.
     * \param gpa start
     * \param len length
     */
    void Discard(uint64_t gpa, uint32_t len);

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
    static constexpr uint32_t LEAF_SHIFT = 9;            //!< chunks per table leaf: 512 (2 MiB)
    static constexpr uint32_t LEAF = 1u << LEAF_SHIFT;   //!< chunks per table leaf

    /** One leaf of the chunk table: the storage of LEAF consecutive chunks. */
    struct Leaf
    {
        std::unique_ptr<uint8_t[]> chunks[LEAF]; //!< chunk storage, null: never written
        uint64_t live[LEAF] = {}; //!< per chunk: 64-byte lines written and not discarded
    };

    /**
     * \param gpa start, inside one chunk \param len length
     * \return the chunk's storage at gpa, allocated if needed, with the lines marked live
     */
    uint8_t* ChunkForWrite(uint64_t gpa, uint32_t len)
    {
        const uint64_t chunk = gpa >> CHUNK_SHIFT;
        uint8_t* data = Chunk(chunk);
        const uint32_t offset = static_cast<uint32_t>(gpa & (CHUNK - 1));
        if (len > 0)
        {
            const uint32_t first = offset >> 6;
            const uint32_t last = (offset + len - 1) >> 6;
            m_leaves[chunk >> LEAF_SHIFT]->live[chunk & (LEAF - 1)]
                |= (~uint64_t{0} >> (63 - (last - first))) << first;
        }
        return data + offset;
    }

    /** \param chunk chunk number \return its storage, allocated (zeroed) if needed */
    uint8_t* Chunk(uint64_t chunk)
    {
        const uint64_t leaf = chunk >> LEAF_SHIFT;
        if (leaf < m_leaves.size() && m_leaves[leaf])
        {
            uint8_t* data = m_leaves[leaf]->chunks[chunk & (LEAF - 1)].get();
            if (data != nullptr)
            {
                return data;
            }
        }
        return AllocateChunk(chunk);
    }

    /** \param chunk chunk number \return its storage, or nullptr if never written */
    const uint8_t* FindChunk(uint64_t chunk) const
    {
        const uint64_t leaf = chunk >> LEAF_SHIFT;
        return leaf < m_leaves.size() && m_leaves[leaf]
                 ? m_leaves[leaf]->chunks[chunk & (LEAF - 1)].get()
                 : nullptr;
    }

    /** \param chunk chunk number \return its storage, newly allocated and zeroed */
    uint8_t* AllocateChunk(uint64_t chunk);
    /** \brief Write() across chunks. \param gpa start \param data bytes \param len length */
    void WriteSlow(uint64_t gpa, const uint8_t* data, uint32_t len);
    /** \brief Read() across chunks. \param gpa start \param out destination \param len length */
    void ReadSlow(uint64_t gpa, uint8_t* out, uint32_t len) const;

    /** \param gpa start \param len length \return true if [gpa, gpa+len) lies in the memory */
    bool InRange(uint64_t gpa, uint64_t len) const
    {
        return gpa <= m_size && len <= m_size - gpa;
    }

    /** \brief Abort unless [gpa, gpa+len) lies in the memory. \param what caller, for the
     * message \param gpa start \param len length */
    void CheckRange(const char* what, uint64_t gpa, uint64_t len) const
    {
        if (!InRange(gpa, len))
        {
            RangeError(what, gpa, len);
        }
    }

    /** \brief Abort unless [hpa, hpa+len) lies in the attached memory. \param what caller
     * \param hpa start \param len length */
    void CheckHpaRange(const char* what, uint64_t hpa, uint64_t len) const
    {
        if (!m_attached || hpa < m_hpaBase || !InRange(hpa - m_hpaBase, len))
        {
            HpaRangeError(what, hpa, len);
        }
    }

    /** \brief Abort: [gpa, gpa+len) is outside. \param what caller \param gpa start
     * \param len length */
    [[noreturn]] void RangeError(const char* what, uint64_t gpa, uint64_t len) const;
    /** \brief Abort: [hpa, hpa+len) is outside, or not attached. \param what caller
     * \param hpa start \param len length */
    [[noreturn]] void HpaRangeError(const char* what, uint64_t hpa, uint64_t len) const;

    uint64_t m_size;                                 //!< bytes
    uint64_t m_pageBytes;                            //!< IOMMU page size
    uint64_t m_allocBase;                            //!< first address the allocator hands out
    uint64_t m_next;                                 //!< bump pointer (0: allocator not started)
    uint64_t m_hpaBase;                              //!< host physical base
    uint32_t m_domain;                               //!< IOMMU domain id
    bool m_attached;                                 //!< Attach() was called
    Ptr<Iommu> m_iommu;                              //!< the IOMMU it is mapped in
    uint64_t m_deviceWritten;                        //!< counter
    std::vector<std::unique_ptr<Leaf>> m_leaves;     //!< lazy backing: leaf, then chunk in leaf
    uint64_t m_residentChunks;                       //!< chunks allocated
    std::vector<std::unique_ptr<uint8_t[]>> m_spare; //!< discarded chunks, for reuse
};

inline void
MemoryDomain::Write(uint64_t gpa, const uint8_t* data, uint32_t len)
{
    const uint32_t offset = static_cast<uint32_t>(gpa & (CHUNK - 1));
    if (offset + uint64_t{len} <= CHUNK && InRange(gpa, len))
    {
        std::memcpy(ChunkForWrite(gpa, len), data, len);
        return;
    }
    WriteSlow(gpa, data, len);
}

inline void
MemoryDomain::Read(uint64_t gpa, uint8_t* out, uint32_t len) const
{
    const uint32_t offset = static_cast<uint32_t>(gpa & (CHUNK - 1));
    if (offset + uint64_t{len} <= CHUNK && InRange(gpa, len))
    {
        const uint8_t* src = FindChunk(gpa >> CHUNK_SHIFT);
        if (src != nullptr)
        {
            std::memcpy(out, src + offset, len);
        }
        else
        {
            std::memset(out, 0, len);
        }
        return;
    }
    ReadSlow(gpa, out, len);
}

inline uint8_t*
MemoryDomain::GetWritableSpan(uint64_t gpa, uint32_t len)
{
    CheckRange("GetWritableSpan", gpa, len);
    const uint32_t offset = static_cast<uint32_t>(gpa & (CHUNK - 1));
    return offset + uint64_t{len} <= CHUNK ? ChunkForWrite(gpa, len) : nullptr;
}

inline const uint8_t*
MemoryDomain::GetSpan(uint64_t gpa, uint32_t len) const
{
    CheckRange("GetSpan", gpa, len);
    const uint32_t offset = static_cast<uint32_t>(gpa & (CHUNK - 1));
    if (offset + uint64_t{len} > CHUNK)
    {
        return nullptr;
    }
    const uint8_t* data = FindChunk(gpa >> CHUNK_SHIFT);
    return data != nullptr ? data + offset : nullptr;
}

inline bool
MemoryDomain::ContainsHpa(uint64_t hpa) const
{
    return m_attached && hpa >= m_hpaBase && hpa - m_hpaBase < m_size;
}

inline void
MemoryDomain::WriteHpa(uint64_t hpa, const uint8_t* data, uint32_t len)
{
    CheckHpaRange("WriteHpa", hpa, len);
    Write(hpa - m_hpaBase, data, len);
    m_deviceWritten += len;
}

inline void
MemoryDomain::ReadHpa(uint64_t hpa, uint8_t* out, uint32_t len) const
{
    CheckHpaRange("ReadHpa", hpa, len);
    Read(hpa - m_hpaBase, out, len);
}

} // namespace ns3

#endif /* MEMORY_DOMAIN_H */
