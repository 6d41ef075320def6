/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef GUEST_NET_DEVICE_H
#define GUEST_NET_DEVICE_H

#include "ns3/abort.h"
#include "ns3/mac48-address.h"
#include "ns3/net-device.h"
#include "ns3/node.h"
#include "ns3/simulator.h"

namespace ns3 {

/**
 * \ingroup sriov-vmcomm
 * \brief What every guest NIC of a VM (a VF, a virtio NIC) shares as an ns3::NetDevice: an
 * Ethernet MAC address, an MTU, broadcast and multicast, ARP, SendFrom, the stack's callbacks.
 * The subclasses model how frames travel (Send, SendFrom, GetChannel).
 */
class GuestNetDevice : public NetDevice
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    GuestNetDevice();
    ~GuestNetDevice() override;

    void SetIfIndex(const uint32_t index) override;
    uint32_t GetIfIndex() const override;
    void SetAddress(Address address) override;
    Address GetAddress() const override;
    bool SetMtu(const uint16_t mtu) override;
    uint16_t GetMtu() const override;
    bool IsLinkUp() const override;
    void AddLinkChangeCallback(Callback<void> callback) override;
    bool IsBroadcast() const override;
    Address GetBroadcast() const override;
    bool IsMulticast() const override;
    Address GetMulticast(Ipv4Address multicastGroup) const override;
    Address GetMulticast(Ipv6Address addr) const override;
    bool IsPointToPoint() const override;
    bool IsBridge() const override;
    Ptr<Node> GetNode() const override;
    void SetNode(Ptr<Node> node) override;
    bool NeedsArp() const override;
    void SetReceiveCallback(NetDevice::ReceiveCallback cb) override;
    void SetPromiscReceiveCallback(PromiscReceiveCallback cb) override;
    bool SupportsSendFrom() const override;

  protected:
    void DoDispose() override;

    /**
     * \return the simulator context of the device's own events: its node's id. The node's
     * stack must receive in its own context (ns-3 asserts it), and work the device does for
     * another node (a peer VF, the host's switch) starts in that node's context.
     */
    uint32_t GetContext() const
    {
        return m_node ? m_node->GetId() : Simulator::GetContext();
    }

    /**
     * \brief If the current event is another node's, run \p method of this device now in the
     * device's own context instead.
     * \tparam T the device class
     * \param method the member to run
     * \return true if it was deferred (the caller returns), false if already in context
     */
    template<typename T>
    bool DeferToOwnContext(void (T::*method)())
    {
        if (Simulator::GetContext() == GetContext())
        {
            return false;
        }
        Simulator::ScheduleWithContext(GetContext(), Time(0), method, static_cast<T*>(this));
        return true;
    }

    /**
     * \brief Abort unless the current event is the node's own: what ns-3's Node asserts on
     * receive, checked here too because the Debian build of ns-3 compiles its asserts out.
     */
    void CheckContext() const
    {
        NS_ABORT_MSG_IF(m_node && Simulator::GetContext() != m_node->GetId(),
                        "device of node " << m_node->GetId() << " delivering in the context of "
                                          << Simulator::GetContext());
    }

    Ptr<Node> m_node;                                    //!< the VM
    uint32_t m_ifIndex;                                  //!< interface index in the VM
    Mac48Address m_address;                              //!< MAC address
    uint16_t m_mtu;                                      //!< MTU, bytes
    NetDevice::ReceiveCallback m_rxCallback;             //!< stack
    NetDevice::PromiscReceiveCallback m_promiscCallback; //!< promiscuous taps
};

} // namespace ns3

#endif /* GUEST_NET_DEVICE_H */
