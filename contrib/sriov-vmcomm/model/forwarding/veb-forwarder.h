/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Forwarding mode veb: the NIC's embedded switch hairpins a frame between two VFs of the NIC.
 */
#ifndef VEB_FORWARDER_H
#define VEB_FORWARDER_H

#include "nic-forwarder.h"

namespace ns3 {

/**
 * \ingroup sriov-vmcomm
 * \brief veb (virtual Ethernet bridge): the frame is stored in the embedded switch's buffer
 * memory (EswitchBufferBytes; beyond, eswitch-buffer-full), switched (EswitchLatency) by the
 * mapping table (step 4, this NIC's VFs only) and written into the destination VF's RX buffer
 * by that VF's own RX engine (steps 6 to 10). A frame for no VF of this NIC leaves through the
 * uplink.
 */
class VebForwarder : public NicForwarder
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    void Forward(NicFrame* frame, VirtualFunction& src) override;
    bool ReachesPeerNics() const override;

  protected:
    /** Take the frame into the embedded switch, switch it and hand it to \p dst's RX path. */
    void ForwardToVf(NicFrame* frame, VirtualFunction& src, SriovNic& nic,
                     VirtualFunction& dst) override;
};

} // namespace ns3

#endif /* VEB_FORWARDER_H */
