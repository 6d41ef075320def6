/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Forwarding mode vswitch-offload: the host's virtual switch decides each frame; the VF then does
 * the VF-to-VF DMA as in vf-dma.
 */
#ifndef OFFLOAD_FORWARDER_H
#define OFFLOAD_FORWARDER_H

#include "vf-dma-forwarder.h"

namespace ns3 {

class VirtualSwitch;

/**
 * \ingroup sriov-vmcomm
 * \brief vswitch-offload: before step 4 the VF asks the host's VirtualSwitch where the frame
 * goes. It writes the frame's header to host memory and raises an upcall
 * (SriovNic::OffloadUpcallLatency); the frame comes up by its VF's representor port, the switch
 * decides (VirtualSwitch::Upcall: its table and Decide(), OffloadDecisionTime on its upcall
 * handler core, one for the host, in order of arrival) and writes the answer back (MMIO). Step 4
 * then takes the switch's answer (a VF's representor: that VF; the uplink's: the uplink; flood:
 * every VF in reach and the uplink; nowhere, or a port of the switch's software datapath: the
 * frame is dropped, no-destination). The transfer is vf-dma's.
 *
 * Every frame is decided by the switch, as in the patent abstract's variant (the host's switch
 * holds the table); hardware offload that caches the decision as an embedded-switch rule after
 * the first frame of a flow would take the upcall off the later frames.
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
    ~OffloadForwarder() override;

    /**
     * \param vswitch the host's virtual switch, with a representor port for each VF of this
     * forwarder's NIC (SriovHelper sets it)
     */
    void SetVirtualSwitch(Ptr<VirtualSwitch> vswitch);
    /** \return the host's virtual switch */
    Ptr<VirtualSwitch> GetVirtualSwitch() const;

    void Forward(NicFrame* frame, VirtualFunction& src) override;
    Time GetDecisionCoreTime() const override;
    Time GetDecisionCoreTimeSoFar() const override;

  protected:
    void DoDispose() override;

  private:
    Ptr<VirtualSwitch> m_vswitch; //!< the host's virtual switch
};

} // namespace ns3

#endif /* OFFLOAD_FORWARDER_H */
