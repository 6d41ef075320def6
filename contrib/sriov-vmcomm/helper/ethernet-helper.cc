/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Builds the Ethernet fabric: full-duplex links (an EthernetChannel and two EthernetNetDevices) and
 * EthernetSwitches; PCAP (DLT_EN10MB) capture on its devices (see ethernet-helper.h).
 */
#include "ethernet-helper.h"

#include "ns3/abort.h"
#include "ns3/ethernet-channel.h"
#include "ns3/ethernet-net-device.h"
#include "ns3/log.h"
#include "ns3/mac48-address.h"
#include "ns3/net-device-queue-interface.h"
#include "ns3/node.h"

namespace ns3 {

NS_LOG_COMPONENT_DEFINE("EthernetHelper");

EthernetHelper::EthernetHelper()
    : m_flowControl(true)
{
    m_queueFactory.SetTypeId("ns3::DropTailQueue<Packet>");
    m_deviceFactory.SetTypeId("ns3::EthernetNetDevice");
    m_channelFactory.SetTypeId("ns3::EthernetChannel");
    m_switchFactory.SetTypeId("ns3::EthernetSwitch");
}

EthernetHelper::~EthernetHelper() {}

void
EthernetHelper::SetDeviceAttribute(std::string name, const AttributeValue& value)
{
    m_deviceFactory.Set(name, value);
}

void
EthernetHelper::SetChannelAttribute(std::string name, const AttributeValue& value)
{
    m_channelFactory.Set(name, value);
}

void
EthernetHelper::SetSwitchAttribute(std::string name, const AttributeValue& value)
{
    m_switchFactory.Set(name, value);
}

void
EthernetHelper::SetFlowControl(bool enable)
{
    m_flowControl = enable;
}

NetDeviceContainer
EthernetHelper::Install(Ptr<Node> a, Ptr<Node> b)
{
    NetDeviceContainer devices;
    Ptr<EthernetChannel> channel = m_channelFactory.Create<EthernetChannel>();
    for (Ptr<Node> node : {a, b})
    {
        Ptr<EthernetNetDevice> dev = m_deviceFactory.Create<EthernetNetDevice>();
        dev->SetAddress(Mac48Address::Allocate());
        node->AddDevice(dev);
        Ptr<Queue<Packet>> queue = m_queueFactory.Create<Queue<Packet>>();
        dev->SetQueue(queue);
        if (m_flowControl)
        {
            Ptr<NetDeviceQueueInterface> ndqi = CreateObject<NetDeviceQueueInterface>();
            ndqi->GetTxQueue(0)->ConnectQueueTraces(queue);
            dev->AggregateObject(ndqi);
        }
        dev->Attach(channel);
        devices.Add(dev);
    }
    return devices;
}

NetDeviceContainer
EthernetHelper::Install(NodeContainer nodes)
{
    NS_ABORT_MSG_IF(nodes.GetN() != 2, "EthernetHelper::Install: needs exactly two nodes");
    return Install(nodes.Get(0), nodes.Get(1));
}

Ptr<EthernetSwitch>
EthernetHelper::InstallSwitch(Ptr<Node> node, NetDeviceContainer ports)
{
    NS_ABORT_MSG_IF(node->GetObject<EthernetSwitch>(), "EthernetHelper::InstallSwitch: node "
                                                           << node->GetId()
                                                           << " already has a switch");
    Ptr<EthernetSwitch> sw = m_switchFactory.Create<EthernetSwitch>();
    node->AggregateObject(sw);
    for (uint32_t i = 0; i < ports.GetN(); ++i)
    {
        Ptr<EthernetNetDevice> port = DynamicCast<EthernetNetDevice>(ports.Get(i));
        NS_ABORT_MSG_IF(!port, "EthernetHelper::InstallSwitch: port "
                                   << i << " is not an EthernetNetDevice");
        NS_ABORT_MSG_IF(port->GetNode() != node,
                        "EthernetHelper::InstallSwitch: port " << i << " is on another node");
        sw->AddPort(port);
    }
    return sw;
}

void
EthernetHelper::EnablePcapInternal(std::string prefix, Ptr<NetDevice> nd, bool promiscuous,
                                   bool explicitFilename)
{
    Ptr<EthernetNetDevice> device = DynamicCast<EthernetNetDevice>(nd);
    if (!device)
    {
        NS_LOG_INFO("EthernetHelper::EnablePcapInternal: not an EthernetNetDevice, ignored");
        return;
    }
    PcapHelper pcapHelper;
    std::string filename
        = explicitFilename ? prefix : pcapHelper.GetFilenameFromDevice(prefix, device);
    Ptr<PcapFileWrapper> file
        = pcapHelper.CreateFile(filename, std::ios::out, PcapHelper::DLT_EN10MB);
    pcapHelper.HookDefaultSink<EthernetNetDevice>(device,
                                                  promiscuous ? "PromiscSniffer" : "Sniffer", file);
}

} // namespace ns3
