/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Forwarding mode vf-dma: the VF-to-VF DMA of patent US9483290B1 (steps 4 to 10 between the
 * source VF and the destination VF, on one NIC or peer to peer across the host's NICs).
 */
#ifndef VF_DMA_FORWARDER_H
#define VF_DMA_FORWARDER_H

#include "nic-forwarder.h"

namespace ns3 {

/**
 * \ingroup sriov-vmcomm
 * \brief vf-dma: the source VF looks the destination up in the mapping table (step 4) and
 * moves the frame itself into the destination VF's RX buffer: length to the destination VF
 * (5), its RX buffer address back (6), DMA write (7), translation (8), write (9), done notice
 * (10). A destination on another NIC of the host is reached peer to peer through the PCIe
 * hierarchy; a frame for no VF leaves through the uplink; a group frame is copied to every
 * other VF in reach and sent to the uplink.
 */
class VfDmaForwarder : public NicForwarder
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

#endif /* VF_DMA_FORWARDER_H */
