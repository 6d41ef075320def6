/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * A VM's guest memory: real bytes, mapped into the VM's IOMMU domain (see memory-domain.h).
 */
#include "memory-domain.h"

#include "iommu.h"
#include "ns3/abort.h"
#include "ns3/assert.h"
#include "ns3/log.h"
#include "ns3/uinteger.h"
#include "uinteger-checkers.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <vector>

namespace ns3 {

NS_LOG_COMPONENT_DEFINE("MemoryDomain");

NS_OBJECT_ENSURE_REGISTERED(MemoryDomain);

namespace {
/** Domain id reported when the memory is not mapped in an IOMMU. */
constexpr uint32_t NO_DOMAIN = std::numeric_limits<uint32_t>::max();
} // namespace

TypeId
MemoryDomain::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::MemoryDomain")
              .SetParent<Object>()
              .SetGroupName("SriovVmcomm")
              .AddConstructor<MemoryDomain>()
              .AddAttribute("SizeBytes",
                            "Guest RAM size in bytes; a multiple of PageSize. Default 1 GiB: an "
                            "estimate of a typical small VM.",
                            UintegerValue(uint64_t{1} << 30),
                            MakeUintegerAccessor(&MemoryDomain::m_size),
                            MakeUintegerChecker<uint64_t>(1))
              .AddAttribute(
                  "PageSize",
                  "IOMMU page size in bytes used to map the guest memory: 4096, 2097152 "
                  "or 1073741824. Default 4096: the Linux/VFIO default without hugepages.",
                  UintegerValue(4096), MakeUintegerAccessor(&MemoryDomain::m_pageBytes),
                  MakeUintegerCheckerIf(
                      [](uint64_t v)
                      {
                          return v == 4096 || v == 2097152 || v == 1073741824;
                      },
                      "4096, 2097152 or 1073741824 (4 KiB, 2 MiB, 1 GiB)"))
              .AddAttribute("AllocationBase",
                            "Guest physical address in bytes where the guest allocator starts; "
                            "memory below it stands for the guest kernel. Default 1 MiB: an "
                            "estimate (the x86 low-memory region).",
                            UintegerValue(uint64_t{1} << 20),
                            MakeUintegerAccessor(&MemoryDomain::m_allocBase),
                            MakeUintegerChecker<uint64_t>());
    return tid;
}

MemoryDomain::MemoryDomain()
    : m_size(uint64_t{1} << 30)
    , m_pageBytes(4096)
    , m_allocBase(uint64_t{1} << 20)
    , m_next(0)
    , m_hpaBase(0)
    , m_domain(NO_DOMAIN)
    , m_attached(false)
    , m_deviceWritten(0)
    , m_residentChunks(0)
{
    NS_LOG_FUNCTION(this);
}

MemoryDomain::~MemoryDomain()
{
    NS_LOG_FUNCTION(this);
}

void
MemoryDomain::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_iommu = nullptr;
    m_leaves.clear();
    m_spare.clear();
    m_residentChunks = 0;
    Object::DoDispose();
}

void
MemoryDomain::Attach(Ptr<Iommu> iommu, uint64_t hpaBase)
{
    NS_LOG_FUNCTION(this << iommu << hpaBase);
    NS_ABORT_MSG_IF(m_attached, "MemoryDomain::Attach: already attached");
    // The checkers refuse a PageSize out of the set and a SizeBytes of 0; what they cannot see
    // is a combination of the two.
    NS_ASSERT_MSG(
        m_size > 0 && (m_pageBytes == 4096 || m_pageBytes == 2097152 || m_pageBytes == 1073741824),
        "MemoryDomain: an attribute out of its checker's range");
    NS_ABORT_MSG_IF(m_size % m_pageBytes != 0, "MemoryDomain: SizeBytes "
                                                   << m_size << " is not a multiple of PageSize "
                                                   << m_pageBytes);
    NS_ABORT_MSG_IF(hpaBase % m_pageBytes != 0,
                    "MemoryDomain::Attach: hpaBase 0x"
                        << std::hex << hpaBase << " is not aligned to PageSize 0x" << m_pageBytes);
    NS_ABORT_MSG_IF(hpaBase + m_size < hpaBase,
                    "MemoryDomain::Attach: host physical range wraps around");
    m_hpaBase = hpaBase;
    m_attached = true;
    m_iommu = iommu;
    if (iommu)
    {
        // As VFIO device assignment: the whole guest memory, IOVA = guest physical address.
        m_domain = iommu->CreateDomain();
        iommu->Map(m_domain, 0, hpaBase, m_size, m_pageBytes, true);
    }
}

uint32_t
MemoryDomain::GetIommuDomain() const
{
    // NO_DOMAIN (UINT32_MAX) when not attached or attached without an IOMMU.
    return m_domain;
}

uint64_t
MemoryDomain::GetHpaBase() const
{
    return m_hpaBase;
}

uint64_t
MemoryDomain::GetSize() const
{
    return m_size;
}

uint64_t
MemoryDomain::GetPageBytes() const
{
    return m_pageBytes;
}

uint64_t
MemoryDomain::Allocate(uint64_t bytes, uint64_t align)
{
    NS_LOG_FUNCTION(this << bytes << align);
    NS_ABORT_MSG_IF(bytes == 0, "MemoryDomain::Allocate: zero bytes requested");
    NS_ABORT_MSG_IF(align == 0 || (align & (align - 1)) != 0,
                    "MemoryDomain::Allocate: alignment " << align << " is not a power of two");
    const uint64_t next = std::max(m_next, m_allocBase);
    const uint64_t addr = (next + align - 1) & ~(align - 1);
    NS_ABORT_MSG_IF(addr < next || addr + bytes < addr || addr + bytes > m_size,
                    "MemoryDomain::Allocate: guest memory exhausted: "
                        << bytes << " bytes aligned to " << align << " requested, "
                        << (m_size > next ? m_size - next : 0) << " of " << m_size
                        << " bytes left above 0x" << std::hex << next);
    m_next = addr + bytes;
    return addr;
}

void
MemoryDomain::RangeError(const char* what, uint64_t gpa, uint64_t len) const
{
    NS_ABORT_MSG("MemoryDomain::" << what << ": [0x" << std::hex << gpa << ", 0x" << gpa + len
                                  << ") is outside guest memory [0, 0x" << m_size << ")");
}

void
MemoryDomain::HpaRangeError(const char* what, uint64_t hpa, uint64_t len) const
{
    NS_ABORT_MSG_IF(!m_attached, "MemoryDomain::" << what << ": not attached (no hpaBase)");
    NS_ABORT_MSG("MemoryDomain::" << what << ": host physical [0x" << std::hex << hpa << ", 0x"
                                  << hpa + len << ") is outside this memory [0x" << m_hpaBase
                                  << ", 0x" << m_hpaBase + m_size << ")");
}

uint8_t*
MemoryDomain::AllocateChunk(uint64_t chunk)
{
    const uint64_t leaf = chunk >> LEAF_SHIFT;
    if (leaf >= m_leaves.size())
    {
        // The whole table at once: one pointer per 2 MiB of guest memory.
        m_leaves.resize(std::max<uint64_t>(leaf + 1, (m_size + (uint64_t{CHUNK} << LEAF_SHIFT) - 1)
                                                         >> (CHUNK_SHIFT + LEAF_SHIFT)));
    }
    if (!m_leaves[leaf])
    {
        m_leaves[leaf] = std::make_unique<Leaf>();
    }
    auto& slot = m_leaves[leaf]->chunks[chunk & (LEAF - 1)];
    if (!slot)
    {
        if (m_spare.empty())
        {
            slot = std::make_unique<uint8_t[]>(CHUNK); // value-initialized: zero
        }
        else
        {
            slot = std::move(m_spare.back());
            m_spare.pop_back();
            std::memset(slot.get(), 0, CHUNK);
        }
        ++m_residentChunks;
    }
    return slot.get();
}

void
MemoryDomain::Discard(uint64_t gpa, uint32_t len)
{
    NS_LOG_FUNCTION(this << gpa << len);
    CheckRange("Discard", gpa, len);
    const uint64_t end = gpa + len;
    while (gpa < end)
    {
        const uint64_t chunk = gpa >> CHUNK_SHIFT;
        const uint32_t offset = static_cast<uint32_t>(gpa & (CHUNK - 1));
        const uint32_t n = static_cast<uint32_t>(std::min<uint64_t>(end - gpa, CHUNK - offset));
        const uint64_t leaf = chunk >> LEAF_SHIFT;
        if (leaf < m_leaves.size() && m_leaves[leaf])
        {
            Leaf& l = *m_leaves[leaf];
            const uint32_t i = chunk & (LEAF - 1);
            // Only lines the range covers whole stop being live.
            const uint32_t first = (offset + 63) >> 6;
            const uint32_t stop = (offset + n) >> 6;
            if (first < stop)
            {
                l.live[i] &= ~((~uint64_t{0} >> (64 - (stop - first))) << first);
            }
            if (l.live[i] == 0 && l.chunks[i])
            {
                // A few spare chunks spare the allocator when a ring cycles through its buffers.
                if (m_spare.size() < 64)
                {
                    m_spare.push_back(std::move(l.chunks[i]));
                }
                l.chunks[i].reset();
                --m_residentChunks;
            }
        }
        gpa += n;
    }
}

void
MemoryDomain::WriteSlow(uint64_t gpa, const uint8_t* data, uint32_t len)
{
    NS_LOG_FUNCTION(this << gpa << len);
    CheckRange("Write", gpa, len);
    while (len > 0)
    {
        const uint32_t offset = static_cast<uint32_t>(gpa & (CHUNK - 1));
        const uint32_t n = std::min(len, CHUNK - offset);
        std::memcpy(ChunkForWrite(gpa, n), data, n);
        gpa += n;
        data += n;
        len -= n;
    }
}

void
MemoryDomain::ReadSlow(uint64_t gpa, uint8_t* out, uint32_t len) const
{
    NS_LOG_FUNCTION(this << gpa << len);
    CheckRange("Read", gpa, len);
    while (len > 0)
    {
        const uint32_t offset = static_cast<uint32_t>(gpa & (CHUNK - 1));
        const uint32_t n = std::min(len, CHUNK - offset);
        const uint8_t* src = FindChunk(gpa >> CHUNK_SHIFT);
        if (src != nullptr)
        {
            std::memcpy(out, src + offset, n);
        }
        else
        {
            std::memset(out, 0, n);
        }
        gpa += n;
        out += n;
        len -= n;
    }
}

uint64_t
MemoryDomain::Fingerprint() const
{
    NS_LOG_FUNCTION(this);
    // All-zero chunks are skipped and each chunk is hashed with its number, so the hash depends
    // only on the contents, not on which chunks happen to be allocated.
    static const uint8_t zero[CHUNK] = {};
    std::vector<uint64_t> chunks; // in increasing order, as the table holds them
    for (uint64_t leaf = 0; leaf < m_leaves.size(); ++leaf)
    {
        if (!m_leaves[leaf])
        {
            continue;
        }
        for (uint32_t i = 0; i < LEAF; ++i)
        {
            const uint8_t* data = m_leaves[leaf]->chunks[i].get();
            if (data != nullptr && std::memcmp(data, zero, CHUNK) != 0)
            {
                chunks.push_back((leaf << LEAF_SHIFT) | i);
            }
        }
    }

    uint64_t h = 14695981039346656037ULL; // FNV-1a 64 offset basis
    auto mix = [&h](uint8_t b)
    {
        h ^= b;
        h *= 1099511628211ULL; // FNV-1a 64 prime
    };
    for (uint64_t index : chunks)
    {
        for (int i = 0; i < 8; i++)
        {
            mix(static_cast<uint8_t>(index >> (8 * i)));
        }
        const uint8_t* data = FindChunk(index);
        for (uint32_t i = 0; i < CHUNK; i++)
        {
            mix(data[i]);
        }
    }
    return h;
}

uint64_t
MemoryDomain::GetResidentBytes() const
{
    return m_residentChunks * CHUNK;
}

uint64_t
MemoryDomain::GetDeviceBytesWritten() const
{
    return m_deviceWritten;
}

} // namespace ns3
