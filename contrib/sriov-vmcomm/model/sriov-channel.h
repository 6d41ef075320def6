/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef SRIOV_CHANNEL_H
#define SRIOV_CHANNEL_H

#include "ns3/channel.h"

#include <vector>

namespace ns3 {

/**
 * \ingroup sriov-vmcomm
 * \brief The VFs of one NIC as one layer-2 segment, for what in ns-3 walks channels (global
 * routing, topology inspection). Frames do not travel through it: the NIC moves them.
 */
class SriovChannel : public Channel
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    /** \param device a VF joining the segment */
    void Add(Ptr<NetDevice> device);

    std::size_t GetNDevices() const override;
    Ptr<NetDevice> GetDevice(std::size_t i) const override;

  protected:
    void DoDispose() override;

  private:
    std::vector<Ptr<NetDevice>> m_devices; //!< the VFs
};

} // namespace ns3

#endif /* SRIOV_CHANNEL_H */
