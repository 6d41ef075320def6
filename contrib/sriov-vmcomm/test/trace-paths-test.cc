/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Every trace source of doc/traces.md (ListTraceSources) is reached by its Config path in a
 * scenario with every kind of object: hosts in each mode (two NICs on one), the vswitch modes'
 * switch and PF, and an Ethernet switch cabling the uplinks. Each path is connected with a sink
 * of the signature its callback typedef names (a wrong signature aborts the connection), and
 * traffic between the VMs of every host makes the devices' sources fire.
 */
#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/ethernet-helper.h"
#include "ns3/ethernet-switch.h"
#include "ns3/host.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/nic-frame.h"
#include "ns3/sriov-nic.h"
#include "ns3/trace-source-list.h"
#include "ns3/vf-dma-step.h"
#include "ns3/vmcomm-helper.h"

#include <gtest/gtest.h>

#include <functional>
#include <map>

using namespace ns3;

namespace {

/** A sink of any signature: counts its calls. \param n the count */
template<typename... Args>
void
Count(uint64_t* n, Args...)
{
    ++*n;
}

/** Connects a counting sink of one signature by path; true if the path matched an object. */
using Connector = std::function<bool(const std::string& path, uint64_t* n)>;

/** \return a Connector for a sink taking \p Args */
template<typename... Args>
Connector
Sink()
{
    return [](const std::string& path, uint64_t* n)
    {
        return Config::ConnectWithoutContextFailSafe(path, MakeBoundCallback(&Count<Args...>, n));
    };
}

/** The module's callback typedefs and their signatures. */
const std::map<std::string, Connector>&
Connectors()
{
    using P = Ptr<const Packet>;
    static const std::map<std::string, Connector> c = {
        {"ns3::Packet::TracedCallback", Sink<P>()},
        {"ns3::Time::TracedCallback", Sink<Time>()},
        {"ns3::DmaEngine::OperationTracedCallback",
         Sink<bool, uint64_t, uint64_t, uint32_t, Time>()},
        {"ns3::EthernetNetDevice::DropTracedCallback", Sink<P, const char*>()},
        {"ns3::EthernetSwitch::DropTracedCallback", Sink<uint32_t, P, const char*>()},
        {"ns3::EthernetSwitch::LearnTracedCallback", Sink<Mac48Address, uint16_t, uint32_t>()},
        {"ns3::EthernetSwitch::PortPacketTracedCallback", Sink<uint32_t, P>()},
        {"ns3::Iommu::FaultTracedCallback", Sink<uint32_t, uint64_t, bool>()},
        {"ns3::Iommu::TranslateTracedCallback", Sink<uint32_t, uint64_t, uint64_t, bool>()},
        {"ns3::PcieLink::TransferTracedCallback", Sink<uint8_t, uint64_t, uint64_t, Time, Time>()},
        {"ns3::SriovNic::DropTracedCallback", Sink<uint32_t, const char*>()},
        {"ns3::SriovNic::PacketDropTracedCallback", Sink<P, const char*>()},
        {"ns3::VfNetDevice::RxLatencyTracedCallback", Sink<P, const LatencyBreakdown&>()},
        {"ns3::VfNetDevice::StepTracedCallback", Sink<const VfDmaStep&>()},
        {"ns3::VirtioNetDevice::DropTracedCallback", Sink<P, const char*>()},
        {"ns3::VirtioNetDevice::RxLatencyTracedCallback", Sink<P, const LatencyBreakdown&>()},
        {"ns3::VirtualSwitch::BatchTracedCallback", Sink<uint32_t, uint32_t, uint32_t, Time>()},
        {"ns3::VirtualSwitch::DropTracedCallback", Sink<P, uint32_t, const char*>()},
        {"ns3::VirtualSwitch::ForwardTracedCallback", Sink<P, uint32_t, uint32_t>()},
    };
    return c;
}

/** \param path a listed path \return the path with every "[i]" as "*" */
std::string
Wildcards(std::string path)
{
    for (std::size_t at = path.find("[i]"); at != std::string::npos; at = path.find("[i]"))
    {
        path.replace(at, 3, "*");
    }
    return path;
}

} // namespace

TEST(TracePaths, EveryListedSourceConnectsByItsPath)
{
    const std::vector<TraceSourceEntry> entries = ListTraceSources();
    ASSERT_GE(entries.size(), 40u) << "the module's TypeIds are not registered";

    // One host per mode, two NICs on the first (PCIe hierarchy), two VMs each with a UDP stream
    // between them; every host's uplink on one Ethernet switch.
    NodeContainer all;
    std::vector<Ptr<Host>> hosts;
    std::vector<NetDeviceContainer> devices;
    for (CommMode mode : GetCommModes())
    {
        VmCommHelper comm;
        comm.SetMode(mode);
        comm.GetSriovHelper().SetNics(hosts.empty() ? 2 : 1);
        NodeContainer vms;
        vms.Create(2);
        devices.push_back(comm.Install(vms));
        hosts.push_back(VmCommHelper::GetHost(devices.back()));
        all.Add(vms);
    }
    Ptr<Node> tor = CreateObject<Node>();
    EthernetHelper eth;
    NetDeviceContainer ports;
    for (const Ptr<Host>& host : hosts)
    {
        for (uint32_t n = 0; n < host->GetNNics(); ++n)
        {
            NetDeviceContainer cable = eth.Install(host->GetNode(), tor);
            host->GetNic(n)->SetUplink(cable.Get(0));
            ports.Add(cable.Get(1));
        }
    }
    Ptr<EthernetSwitch> sw = eth.InstallSwitch(tor, ports);
    for (uint32_t p = 0; p < ports.GetN(); ++p)
    {
        sw->SetReflectiveRelay(p, true); // the vepa host's frames come back
    }
    InternetStackHelper stack;
    stack.SetIpv6StackInstall(false);
    stack.Install(all);
    for (std::size_t h = 0; h < hosts.size(); ++h)
    {
        std::string net = "10.0." + std::to_string(h) + ".0";
        Ipv4InterfaceContainer ifs
            = Ipv4AddressHelper(net.c_str(), "255.255.255.0").Assign(devices[h]);
        NeighborCacheHelper().PopulateNeighborCache(ifs);
        UdpServerHelper server(9);
        server.Install(devices[h].Get(1)->GetNode());
        UdpClientHelper client(ifs.GetAddress(1), 9);
        client.SetAttribute("Interval", TimeValue(MicroSeconds(10)));
        client.SetAttribute("PacketSize", UintegerValue(300));
        client.SetAttribute("MaxPackets", UintegerValue(10));
        client.Install(devices[h].Get(0)->GetNode()).Start(MicroSeconds(20));
    }

    std::map<std::string, uint64_t> fired;
    for (const TraceSourceEntry& e : entries)
    {
        SCOPED_TRACE(e.type + "::" + e.name);
        ASSERT_FALSE(e.path.empty()) << "no Config path reaches " << e.type << "::" << e.name;
        auto c = Connectors().find(e.callback);
        ASSERT_NE(c, Connectors().end())
            << "callback typedef " << e.callback << " unknown to this test: add its signature";
        EXPECT_TRUE(c->second(Wildcards(e.path), &fired[e.path])) << e.path << " matches no object";
    }
    Simulator::Stop(MilliSeconds(1));
    Simulator::Run();
    // The traffic went through the paths of the devices, NICs, switches and links.
    for (const char* path : {"/NodeList/[i]/DeviceList/[i]/$ns3::VfNetDevice/MacRx",
                             "/NodeList/[i]/DeviceList/[i]/$ns3::VirtioNetDevice/MacRx",
                             "/NodeList/[i]/$ns3::Host/VirtualSwitch/Forward",
                             "/NodeList/[i]/$ns3::EthernetSwitch/Reflect"})
    {
        ASSERT_TRUE(fired.count(path)) << path << " is not listed";
        EXPECT_GT(fired[path], 0u) << path;
    }
    Simulator::Destroy();
}
