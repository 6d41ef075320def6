/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Models a layer-2 segment that is only a list of devices: the VFs of one SR-IOV NIC, or the VM
// ports of one virtual switch. Frames never travel through it (the NIC or the switch moves them);
// it exists for what in ns-3 walks channels (global routing, neighbour caches, topology
// inspection), as ns-3's BridgeChannel does for a bridge.
#ifndef DEVICE_LIST_CHANNEL_H
#define DEVICE_LIST_CHANNEL_H

#include "ns3/channel.h"

#include <vector>

namespace ns3 {

/**
 * \ingroup sriov-vmcomm
 * \brief The devices of one segment whose frames some other object moves (an SR-IOV NIC's VFs,
 * a virtual switch's VM ports), as one ns3::Channel for what in ns-3 walks channels (global
 * routing, topology inspection). Frames do not travel through it. Cf. ns-3's BridgeChannel.
 */
class DeviceListChannel : public Channel
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    DeviceListChannel();
    ~DeviceListChannel() override;

    /** \param device a device joining the segment (appended: GetDevice() keeps the order) */
    void Add(Ptr<NetDevice> device);

    std::size_t GetNDevices() const override;
    Ptr<NetDevice> GetDevice(std::size_t i) const override;

  protected:
    void DoDispose() override;

  private:
    std::vector<Ptr<NetDevice>> m_devices; //!< the devices, in the order they joined
};

} // namespace ns3

#endif /* DEVICE_LIST_CHANNEL_H */
