/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * A descriptor ring in a VM's memory: allocation and the 16-byte descriptor layout.
 */
#include "descriptor-ring.h"

#include "memory-domain.h"

namespace ns3 {

namespace {

/** \brief Store \p n bytes of \p v little endian. \param p out \param v value \param n bytes */
void
PutLe(uint8_t* p, uint64_t v, int n)
{
    for (int i = 0; i < n; ++i)
    {
        p[i] = uint8_t(v >> (8 * i));
    }
}

/** \param p in \param n bytes \return the little-endian value */
uint64_t
GetLe(const uint8_t* p, int n)
{
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; --i)
    {
        v = (v << 8) | p[i];
    }
    return v;
}

} // namespace

void
DescriptorRing::Allocate(Ptr<MemoryDomain> memory, uint32_t size, uint32_t bufferBytes, bool rx)
{
    m_memory = memory;
    m_size = size;
    m_bufferBytes = bufferBytes;
    m_base = memory->Allocate(uint64_t(size) * DESC_BYTES, 4096);
    m_buffers = memory->Allocate(uint64_t(size) * bufferBytes, 4096);
    m_doneAt.assign(size, NEVER);
    m_completions.assign(rx ? size : 0, Completion());
}

void
DescriptorRing::Clear()
{
    m_memory = nullptr;
    m_completions.clear();
}

void
DescriptorRing::WriteDescriptor(uint32_t slot, uint64_t addr, uint16_t len, uint8_t status)
{
    uint8_t d[DESC_BYTES] = {};
    Encode(d, addr, len, status);
    m_memory->Write(GetDescriptorAddress(slot), d, DESC_BYTES);
}

void
DescriptorRing::Encode(uint8_t* d, uint64_t addr, uint16_t len, uint8_t status)
{
    PutLe(d, addr, 8);
    PutLe(d + 8, len, 2);
    d[10] = status;
}

uint64_t
DescriptorRing::GetAddress(const uint8_t* d)
{
    return GetLe(d, 8);
}

uint16_t
DescriptorRing::GetLength(const uint8_t* d)
{
    return uint16_t(GetLe(d + 8, 2));
}

} // namespace ns3
