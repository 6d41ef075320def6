/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The devices of one segment whose frames some other object moves (an SR-IOV NIC's VFs, a virtual
 * switch's VM ports), as one ns3::Channel for what in ns-3 walks channels (global routing, topology
 * inspection) (see device-list-channel.h).
 */
// A layer-2 segment that is only a list of devices (an SR-IOV NIC's VFs, a virtual switch's VM
// ports): see device-list-channel.h.
#include "device-list-channel.h"

#include "ns3/log.h"
#include "ns3/net-device.h"

namespace ns3 {

NS_LOG_COMPONENT_DEFINE("DeviceListChannel");
NS_OBJECT_ENSURE_REGISTERED(DeviceListChannel);

TypeId
DeviceListChannel::GetTypeId()
{
    static TypeId tid = TypeId("ns3::DeviceListChannel")
                            .SetParent<Channel>()
                            .SetGroupName("SriovVmcomm")
                            .AddConstructor<DeviceListChannel>();
    return tid;
}

DeviceListChannel::DeviceListChannel()
{
    NS_LOG_FUNCTION(this);
}

DeviceListChannel::~DeviceListChannel()
{
    NS_LOG_FUNCTION(this);
}

void
DeviceListChannel::Add(Ptr<NetDevice> device)
{
    NS_LOG_FUNCTION(this << device);
    m_devices.push_back(device);
}

std::size_t
DeviceListChannel::GetNDevices() const
{
    return m_devices.size();
}

Ptr<NetDevice>
DeviceListChannel::GetDevice(std::size_t i) const
{
    return m_devices.at(i);
}

void
DeviceListChannel::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_devices.clear();
    Channel::DoDispose();
}

} // namespace ns3
