/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef ETHERNET_HELPER_H
#define ETHERNET_HELPER_H

#include "ns3/ethernet-switch.h"
#include "ns3/net-device-container.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"
#include "ns3/queue.h"
#include "ns3/trace-helper.h"

#include <string>

namespace ns3 {

/**
 * \ingroup sriov-vmcomm
 * \brief Builds the Ethernet fabric: full-duplex links (an EthernetChannel and two
 * EthernetNetDevices) and EthernetSwitches; PCAP (DLT_EN10MB) capture on its devices.
 *
 * \code
 *   EthernetHelper eth;
 *   eth.SetDeviceAttribute("DataRate", DataRateValue(DataRate("100Gbps")));
 *   eth.SetQueue("ns3::DropTailQueue", "MaxSize", QueueSizeValue(QueueSize("1000p")));
 *   NetDeviceContainer ports;
 *   for (each host h) { NetDeviceContainer l = eth.Install(h, tor); ports.Add(l.Get(1)); }
 *   Ptr<EthernetSwitch> sw = eth.InstallSwitch(tor, ports);
 * \endcode
 */
class EthernetHelper : public PcapHelperForDevice
{
  public:
    /** Devices, channels and switches with default attributes; DropTailQueue<Packet> queues. */
    EthernetHelper();
    ~EthernetHelper() override;

    /**
     * \brief Set the transmit queue type and attributes of the devices created next.
     * \tparam Ts \deduced argument types
     * \param type queue type id, e.g. "ns3::DropTailQueue" ("<Packet>" is appended if missing)
     * \param args name and AttributeValue pairs
     */
    template<typename... Ts>
    void SetQueue(std::string type, Ts&&... args);

    /**
     * \param name attribute of ns3::EthernetNetDevice
     * \param value its value, for the devices created next
     */
    void SetDeviceAttribute(std::string name, const AttributeValue& value);
    /**
     * \param name attribute of ns3::EthernetChannel
     * \param value its value, for the channels created next
     */
    void SetChannelAttribute(std::string name, const AttributeValue& value);
    /**
     * \param name attribute of ns3::EthernetSwitch
     * \param value its value, for the switches created next
     */
    void SetSwitchAttribute(std::string name, const AttributeValue& value);

    /**
     * \brief Have the helper aggregate a NetDeviceQueueInterface to each device, so that the
     * traffic-control layer stops and wakes its queue (as PointToPointHelper does; on by
     * default).
     * \param enable on or off
     */
    void SetFlowControl(bool enable);

    /**
     * \brief Connect two nodes with a full-duplex Ethernet link.
     * \param a one node
     * \param b the other
     * \return the two devices, a's first
     */
    NetDeviceContainer Install(Ptr<Node> a, Ptr<Node> b);
    /**
     * \param nodes exactly two nodes
     * \return the two devices
     */
    NetDeviceContainer Install(NodeContainer nodes);

    /**
     * \brief Make a node an L2 switch over some of its EthernetNetDevices; the switch is
     * aggregated to the node (one per node).
     * \param node the node
     * \param ports its EthernetNetDevices, in port order
     * \return the switch
     */
    Ptr<EthernetSwitch> InstallSwitch(Ptr<Node> node, NetDeviceContainer ports);

  private:
    void EnablePcapInternal(std::string prefix, Ptr<NetDevice> nd, bool promiscuous,
                            bool explicitFilename) override;

    ObjectFactory m_queueFactory;   //!< transmit queues
    ObjectFactory m_deviceFactory;  //!< devices
    ObjectFactory m_channelFactory; //!< channels
    ObjectFactory m_switchFactory;  //!< switches
    bool m_flowControl;             //!< aggregate a NetDeviceQueueInterface
};

template<typename... Ts>
void
EthernetHelper::SetQueue(std::string type, Ts&&... args)
{
    QueueBase::AppendItemTypeIfNotPresent(type, "Packet");
    m_queueFactory.SetTypeId(type);
    m_queueFactory.Set(std::forward<Ts>(args)...);
}

} // namespace ns3

#endif /* ETHERNET_HELPER_H */
