/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Forwarding mode vswitch-offload: a host virtual switch decides each frame; the VF then does
 * the VF-to-VF DMA as in vf-dma.
 */
#ifndef OFFLOAD_FORWARDER_H
#define OFFLOAD_FORWARDER_H

#include "ns3/busy-calendar.h"
#include "vf-dma-forwarder.h"

namespace ns3 {

/**
 * \ingroup sriov-vmcomm
 * \brief vswitch-offload: before step 4 the VF asks the host's virtual switch where the frame
 * goes. It writes the frame's header to host memory and raises an upcall
 * (OffloadUpcallLatency); a host core decides (OffloadDecisionTime, one core for the host, in
 * order of arrival) and writes the answer back (MMIO). The transfer is then vf-dma's.
 */
class OffloadForwarder : public VfDmaForwarder
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    OffloadForwarder();

    void Forward(NicFrame* frame, VirtualFunction& src) override;
    Time GetDecisionCoreTime() const override;
    Time GetDecisionCoreTimeSoFar() const override;

  private:
    /**
     * \brief Ask the host's virtual switch where a frame goes.
     * \param at instant the VF has the frame
     * \return instant the VF has the answer
     */
    Time AskVirtualSwitch(Time at);

    BusyCalendar m_core; //!< the deciding host core (used on NIC 0's forwarder)
    Time m_coreTime;     //!< decisions made on m_core
};

} // namespace ns3

#endif /* OFFLOAD_FORWARDER_H */
