/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MSI-X interrupt coalescing of a VF: completions counted against a frame threshold and a
 * timeout, and the MSI-X message sent through the NIC's DMA engine.
 */
#ifndef MSIX_COALESCER_H
#define MSIX_COALESCER_H

#include "ns3/callback.h"
#include "ns3/event-id.h"
#include "ns3/nstime.h"

#include <cstdint>

namespace ns3 {

class DmaEngine;

/**
 * \ingroup sriov-vmcomm
 * \brief The interrupt moderation of one VF's RX queue (ethtool's rx-usecs / rx-frames): raise
 * MSI-X once CoalesceFrames completions are pending or CoalesceUsecs after the first pending
 * one, whichever comes first. The message is a posted write up the PCIe link, ordered after
 * every write-back it signals.
 */
class MsixCoalescer
{
  public:
    /**
     * Called when the MSI-X message reaches the root complex.
     * \param at that instant
     */
    typedef Callback<void, Time> InterruptCallback;

    MsixCoalescer();

    /**
     * \brief Connect to the DMA engine that sends the message and the interrupt's receiver.
     * \param dma the NIC's DMA engine (outlives the coalescer)
     * \param interrupt called per MSI-X message
     */
    void Attach(DmaEngine* dma, InterruptCallback interrupt);
    /** \param usecs raise the interrupt at most this long after the first pending completion */
    void SetUsecs(Time usecs);
    /** \param frames raise the interrupt once this many completions are pending */
    void SetFrames(uint32_t frames);
    /**
     * \param polled true if the guest polls the ring (a DPDK poll mode driver masks the queue's
     * interrupt): each completion is then reported at once, with no MSI-X message
     */
    void SetPolled(bool polled);
    /** \brief Cancel the timeout and drop the references. */
    void Dispose();

    /**
     * \brief Count a completion (a written-back RX descriptor) towards coalescing; if the guest
     * polls, report it to the receiver at once instead (no message).
     * \param at instant the write-back is visible
     */
    void CountCompletion(Time at);

  private:
    /** \brief Send the MSI-X message. \param at instant the VF raises it */
    void FireInterrupt(Time at);

    DmaEngine* m_dma;              //!< the NIC's DMA engine
    InterruptCallback m_interrupt; //!< the interrupt's receiver
    Time m_usecs;                  //!< coalescing time
    uint32_t m_frames;             //!< coalescing frame count
    uint32_t m_pending;            //!< completions since the last MSI-X
    EventId m_timer;               //!< coalescing timeout
    bool m_timerPending;           //!< m_timer is scheduled and has not fired
    Time m_latestCompletion;       //!< latest write-back instant counted
    bool m_polled;                 //!< interrupts masked: the guest polls
};

} // namespace ns3

#endif /* MSIX_COALESCER_H */
