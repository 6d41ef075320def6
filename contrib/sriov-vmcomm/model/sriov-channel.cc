/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "sriov-channel.h"

#include "ns3/net-device.h"

namespace ns3 {

NS_OBJECT_ENSURE_REGISTERED(SriovChannel);

TypeId
SriovChannel::GetTypeId()
{
    static TypeId tid = TypeId("ns3::SriovChannel")
                            .SetParent<Channel>()
                            .SetGroupName("SriovVmcomm")
                            .AddConstructor<SriovChannel>();
    return tid;
}

void
SriovChannel::Add(Ptr<NetDevice> device)
{
    m_devices.push_back(device);
}

std::size_t
SriovChannel::GetNDevices() const
{
    return m_devices.size();
}

Ptr<NetDevice>
SriovChannel::GetDevice(std::size_t i) const
{
    return m_devices.at(i);
}

void
SriovChannel::DoDispose()
{
    m_devices.clear();
    Channel::DoDispose();
}

} // namespace ns3
