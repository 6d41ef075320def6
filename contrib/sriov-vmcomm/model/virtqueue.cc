/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * A virtqueue (virtio split ring) and the frames it carries on the software path (see virtqueue.h).
 */
// A virtqueue (virtio split ring) as its producer and consumer see it: see virtqueue.h.
#include "virtqueue.h"

#include "ns3/abort.h"

namespace ns3 {

void
Virtqueue::Resize(uint32_t capacity)
{
    NS_ABORT_MSG_IF(capacity == 0, "Virtqueue: capacity must be > 0");
    m_ring.assign(capacity, VswitchFrame());
    m_head = 0;
    m_size = 0;
    m_taken = 0;
}

uint32_t
Virtqueue::GetCapacity() const
{
    return m_ring.size();
}

uint32_t
Virtqueue::GetSize() const
{
    return m_size;
}

bool
Virtqueue::IsFull() const
{
    return m_size == m_ring.size();
}

uint32_t
Virtqueue::GetTaken() const
{
    return m_taken;
}

uint32_t
Virtqueue::GetPending() const
{
    return m_size - m_taken;
}

VswitchFrame&
Virtqueue::Push()
{
    NS_ABORT_MSG_IF(IsFull(), "Virtqueue::Push on a full ring");
    uint32_t i = (m_head + m_size) % m_ring.size();
    ++m_size;
    return m_ring[i];
}

VswitchFrame&
Virtqueue::At(uint32_t i)
{
    NS_ABORT_MSG_IF(i >= m_size, "Virtqueue::At(" << i << ") beyond " << m_size << " entries");
    return m_ring[(m_head + i) % m_ring.size()];
}

const VswitchFrame&
Virtqueue::FirstPending() const
{
    NS_ABORT_MSG_IF(m_taken == m_size, "Virtqueue::FirstPending on a ring with nothing pending");
    return m_ring[(m_head + m_taken) % m_ring.size()];
}

VswitchFrame&
Virtqueue::Take()
{
    NS_ABORT_MSG_IF(m_taken == m_size, "Virtqueue::Take on a ring with nothing pending");
    return m_ring[(m_head + m_taken++) % m_ring.size()];
}

void
Virtqueue::Release(uint32_t n)
{
    NS_ABORT_MSG_IF(n > m_taken, "Virtqueue::Release(" << n << ") of " << m_taken << " taken");
    for (uint32_t i = 0; i < n; ++i)
    {
        // Drop the packet reference now: the slot may not be reused for a long time.
        m_ring[m_head].packet = nullptr;
        m_head = (m_head + 1) % m_ring.size();
    }
    m_size -= n;
    m_taken -= n;
}

void
Virtqueue::Clear()
{
    for (auto& f : m_ring)
    {
        f.packet = nullptr;
    }
    m_head = 0;
    m_size = 0;
    m_taken = 0;
}

} // namespace ns3
