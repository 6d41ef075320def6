/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Forwarding mode vepa: every frame leaves through the uplink; the adjacent switch reflects
 * frames between VFs of this NIC (reflective relay).
 */
#ifndef VEPA_FORWARDER_H
#define VEPA_FORWARDER_H

#include "nic-forwarder.h"

namespace ns3 {

/**
 * \ingroup sriov-vmcomm
 * \brief vepa (virtual Ethernet port aggregator): the NIC does not switch; step 4 sends every
 * frame to the uplink, and the adjacent switch forwards, even between VFs of this NIC (a frame
 * it reflects comes back through the uplink's receive path).
 */
class VepaForwarder : public NicForwarder
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
    void ForwardToVf(NicFrame* frame, VirtualFunction& src, SriovNic& nic,
                     VirtualFunction& dst) override;
};

} // namespace ns3

#endif /* VEPA_FORWARDER_H */
