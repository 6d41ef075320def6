/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * FabricBuilder: cables, switches, switch buffers, static routes and reflective relay of a
 * topology (see fabric-builder.h).
 */
#include "fabric-builder.h"

#include "ns3/data-rate.h"
#include "ns3/ethernet-helper.h"
#include "ns3/ethernet-net-device.h"
#include "ns3/ethernet-switch.h"
#include "ns3/host.h"
#include "ns3/log.h"
#include "ns3/mac48-address.h"
#include "ns3/queue-size.h"
#include "ns3/queue.h"
#include "ns3/sriov-nic.h"
#include "ns3/vf-net-device.h"

#include <algorithm>
#include <climits>
#include <utility>

namespace ns3 {

NS_LOG_COMPONENT_DEFINE("FabricBuilder");

FabricBuilder::FabricBuilder(const Topology& topology)
    : m_topology(topology)
{
}

void
FabricBuilder::SetReflectiveRelay(bool enable)
{
    m_reflectiveRelay = enable;
}

const std::vector<Ptr<EthernetSwitch>>&
FabricBuilder::GetSwitches() const
{
    return m_switches;
}

const std::vector<Ptr<Node>>&
FabricBuilder::GetSwitchNodes() const
{
    return m_switchNodes;
}

const std::vector<Ptr<NetDevice>>&
FabricBuilder::GetDevices() const
{
    return m_devices;
}

void
FabricBuilder::Install(const std::vector<Ptr<Host>>& hosts)
{
    NS_LOG_FUNCTION(this << hosts.size());
    m_switchNodes.clear();
    m_switches.clear();
    m_devices.clear();
    if (m_topology.GetNLinks() == 0)
    {
        return;
    }
    // Node of each topology node: a host's own node carries its NIC's uplink port.
    std::vector<Ptr<Node>> nodes(m_topology.GetNNodes());
    std::vector<int> hostOrdinal(m_topology.GetNNodes(), -1);
    for (std::size_t h = 0; h < m_topology.GetHosts().size(); ++h)
    {
        int n = m_topology.GetHosts()[h];
        nodes[n] = hosts[h]->GetNode();
        hostOrdinal[n] = h;
    }
    for (int sw : m_topology.GetSwitches())
    {
        nodes[sw] = CreateObject<Node>();
        m_switchNodes.push_back(nodes[sw]);
    }
    // A link with a host end is one cable per NIC of the host (NIC k on cable k); the switch
    // at the other end has a port per cable. Two hosts cabled directly: as many cables as the
    // host with fewer NICs has.
    auto cables = [&](const TopologyLink& link)
    {
        uint32_t n = UINT32_MAX;
        for (int end : {link.a, link.b})
        {
            if (hostOrdinal[end] >= 0)
            {
                n = std::min(n, hosts[hostOrdinal[end]]->GetNNics());
            }
        }
        return n == UINT32_MAX ? 1 : n;
    };
    std::vector<std::vector<Ptr<NetDevice>>> endA(m_topology.GetNLinks());
    std::vector<std::vector<Ptr<NetDevice>>> endB(m_topology.GetNLinks());
    for (int l = 0; l < m_topology.GetNLinks(); ++l)
    {
        const TopologyLink& link = m_topology.GetLink(l);
        EthernetHelper eth;
        eth.SetDeviceAttribute("DataRate", DataRateValue(link.rate));
        eth.SetChannelAttribute("Delay", TimeValue(link.delay));
        for (uint32_t c = 0; c < cables(link); ++c)
        {
            NetDeviceContainer d = eth.Install(nodes[link.a], nodes[link.b]);
            endA[l].push_back(d.Get(0));
            endB[l].push_back(d.Get(1));
            m_devices.push_back(d.Get(0));
            m_devices.push_back(d.Get(1));
            for (auto [end, dev] :
                 {std::make_pair(link.a, d.Get(0)), std::make_pair(link.b, d.Get(1))})
            {
                if (hostOrdinal[end] >= 0)
                {
                    hosts[hostOrdinal[end]]->GetNic(c)->SetUplink(dev);
                }
            }
        }
    }
    EthernetHelper eth;
    for (int sw : m_topology.GetSwitches())
    {
        const TopologyNode& spec = m_topology.GetNode(sw);
        NetDeviceContainer ports;
        std::vector<uint32_t> firstPort; // per link of the switch, in its order
        for (int l : spec.links)
        {
            firstPort.push_back(ports.GetN());
            for (const Ptr<NetDevice>& dev : m_topology.GetLink(l).a == sw ? endA[l] : endB[l])
            {
                ports.Add(dev);
            }
        }
        // The switch's output buffer per port (TopologyValues::CheckBuffer validated the text).
        if (!spec.buffer.empty())
        {
            const QueueSize buffer(spec.buffer);
            for (uint32_t p = 0; p < ports.GetN(); ++p)
            {
                DynamicCast<EthernetNetDevice>(ports.Get(p))->GetQueue()->SetMaxSize(buffer);
            }
        }
        Ptr<EthernetSwitch> es = eth.InstallSwitch(nodes[sw], ports);
        const std::vector<int>& links = spec.links;
        if (m_reflectiveRelay)
        {
            // IEEE 802.1Qbg reflective relay on the ports facing hosts.
            for (uint32_t i = 0; i < links.size(); ++i)
            {
                if (hostOrdinal[m_topology.GetLink(links[i]).Other(sw)] >= 0)
                {
                    for (uint32_t c = 0; c < cables(m_topology.GetLink(links[i])); ++c)
                    {
                        es->SetReflectiveRelay(firstPort[i] + c, true);
                    }
                }
            }
        }
        m_switches.push_back(es);
        // Routes from the topology's shortest paths, as static entries per VM address.
        for (std::size_t h = 0; h < hosts.size(); ++h)
        {
            int host = m_topology.GetHosts()[h];
            int link = m_topology.NextHopLink(sw, host);
            uint32_t i = std::find(links.begin(), links.end(), link) - links.begin();
            const bool facing = m_topology.GetLink(link).Other(sw) == host;
            for (uint32_t v = 0; v < hosts[h]->GetNVms(); ++v)
            {
                Ptr<NetDevice> dev = hosts[h]->GetVmDevice(v);
                // A VF is reached through its own NIC's cable; a virtio VM through the PF's.
                Ptr<VfNetDevice> vf = DynamicCast<VfNetDevice>(dev);
                uint32_t nic = vf ? vf->GetNic()->GetNicIndex() : 0;
                es->AddStaticEntry(Mac48Address::ConvertFrom(dev->GetAddress()),
                                   EthernetSwitch::DEFAULT_VLAN, firstPort[i] + (facing ? nic : 0));
            }
        }
    }
}

} // namespace ns3
