/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MSI-X interrupt coalescing of a VF (see msix-coalescer.h).
 */
#include "msix-coalescer.h"

#include "dma-engine.h"
#include "ns3/log.h"
#include "ns3/simulator.h"

#include <algorithm>

namespace ns3 {

NS_LOG_COMPONENT_DEFINE("MsixCoalescer");

MsixCoalescer::MsixCoalescer()
    : m_dma(nullptr)
    , m_frames(1)
    , m_pending(0)
    , m_timerPending(false)
    , m_polled(false)
{
}

void
MsixCoalescer::Attach(DmaEngine* dma, InterruptCallback interrupt)
{
    m_dma = dma;
    m_interrupt = interrupt;
}

void
MsixCoalescer::SetUsecs(Time usecs)
{
    m_usecs = usecs;
}

void
MsixCoalescer::SetFrames(uint32_t frames)
{
    m_frames = frames;
}

void
MsixCoalescer::SetPolled(bool polled)
{
    m_polled = polled;
}

void
MsixCoalescer::Dispose()
{
    m_timer.Cancel();
    m_timerPending = false;
    m_dma = nullptr;
    m_interrupt.Nullify();
}

void
MsixCoalescer::CountCompletion(Time at)
{
    NS_LOG_FUNCTION(this << at);
    if (m_polled)
    {
        m_interrupt(at); // the poll loop sees the write-back when it lands
        return;
    }
    m_latestCompletion = std::max(m_latestCompletion, at);
    if (++m_pending >= m_frames)
    {
        FireInterrupt(at);
    }
    else if (!m_timerPending)
    {
        Time fire = at + m_usecs;
        m_timer = Simulator::Schedule(fire - Simulator::Now(), &MsixCoalescer::FireInterrupt, this,
                                      fire);
        m_timerPending = true;
    }
}

void
MsixCoalescer::FireInterrupt(Time at)
{
    NS_LOG_FUNCTION(this << at);
    if (m_timerPending)
    {
        // Fired by the frame count before the timeout, or by the timeout itself (a no-op).
        m_timer.Cancel();
        m_timerPending = false;
    }
    m_pending = 0;
    // PCIe orders posted writes: the MSI-X message lands after every write-back it signals.
    m_interrupt(m_dma->MsiX(std::max(at, m_latestCompletion)));
}

} // namespace ns3
