/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * What every guest NIC of a VM (a VF, a virtio NIC) shares as an ns3::NetDevice: an Ethernet MAC
 * address, an MTU, broadcast and multicast, ARP, SendFrom, the stack's callbacks (see
 * guest-net-device.h).
 */
#include "guest-net-device.h"

namespace ns3 {

NS_OBJECT_ENSURE_REGISTERED(GuestNetDevice);

TypeId
GuestNetDevice::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::GuestNetDevice").SetParent<NetDevice>().SetGroupName("SriovVmcomm");
    return tid;
}

GuestNetDevice::GuestNetDevice()
    : m_ifIndex(0)
    , m_mtu(1500)
{
}

GuestNetDevice::~GuestNetDevice() = default;

void
GuestNetDevice::DoDispose()
{
    m_node = nullptr;
    m_rxCallback
        = MakeNullCallback<bool, Ptr<NetDevice>, Ptr<const Packet>, uint16_t, const Address&>();
    m_promiscCallback = MakeNullCallback<bool, Ptr<NetDevice>, Ptr<const Packet>, uint16_t,
                                         const Address&, const Address&, PacketType>();
    NetDevice::DoDispose();
}

void
GuestNetDevice::SetIfIndex(const uint32_t index)
{
    m_ifIndex = index;
}

uint32_t
GuestNetDevice::GetIfIndex() const
{
    return m_ifIndex;
}

void
GuestNetDevice::SetAddress(Address address)
{
    m_address = Mac48Address::ConvertFrom(address);
}

Address
GuestNetDevice::GetAddress() const
{
    return m_address;
}

bool
GuestNetDevice::SetMtu(const uint16_t mtu)
{
    m_mtu = mtu;
    return true;
}

uint16_t
GuestNetDevice::GetMtu() const
{
    return m_mtu;
}

bool
GuestNetDevice::IsLinkUp() const
{
    return true;
}

void
GuestNetDevice::AddLinkChangeCallback(Callback<void> /* callback */)
{
    // A VM's NIC has no cable: its link never goes down.
}

bool
GuestNetDevice::IsBroadcast() const
{
    return true;
}

Address
GuestNetDevice::GetBroadcast() const
{
    return Mac48Address::GetBroadcast();
}

bool
GuestNetDevice::IsMulticast() const
{
    return true;
}

Address
GuestNetDevice::GetMulticast(Ipv4Address multicastGroup) const
{
    return Mac48Address::GetMulticast(multicastGroup);
}

Address
GuestNetDevice::GetMulticast(Ipv6Address addr) const
{
    return Mac48Address::GetMulticast(addr);
}

bool
GuestNetDevice::IsPointToPoint() const
{
    return false;
}

bool
GuestNetDevice::IsBridge() const
{
    return false;
}

Ptr<Node>
GuestNetDevice::GetNode() const
{
    return m_node;
}

void
GuestNetDevice::SetNode(Ptr<Node> node)
{
    m_node = node;
}

bool
GuestNetDevice::NeedsArp() const
{
    return true;
}

void
GuestNetDevice::SetReceiveCallback(NetDevice::ReceiveCallback cb)
{
    m_rxCallback = cb;
}

void
GuestNetDevice::SetPromiscReceiveCallback(PromiscReceiveCallback cb)
{
    m_promiscCallback = cb;
}

bool
GuestNetDevice::SupportsSendFrom() const
{
    return true;
}

} // namespace ns3
