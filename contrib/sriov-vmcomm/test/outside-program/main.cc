/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * A program outside the module's build, as a researcher writes one: it includes only ns-3's
 * headers and ns3/sriov-vmcomm-module.h, and links the installed module (find_package or
 * pkg-config). One host, two VMs, the NIC forwarding VF to VF by DMA (vf-dma); VM 0 sends one
 * UDP datagram to VM 1, which echoes it. Exits 0 only if the echo came back whole, over the VFs.
 */
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/sriov-vmcomm-module.h"

#include <iostream>

using namespace ns3;

namespace {

const uint16_t kPort = 7;
const uint32_t kBytes = 256;
uint32_t g_echoed = 0; //!< bytes of echoes VM 0 received

void
Echo(Ptr<Socket> socket)
{
    Address from;
    while (Ptr<Packet> packet = socket->RecvFrom(from))
    {
        socket->SendTo(packet, 0, from);
    }
}

void
Received(Ptr<Socket> socket)
{
    while (Ptr<Packet> packet = socket->Recv())
    {
        g_echoed += packet->GetSize();
    }
}

} // namespace

int
main(int argc, char* argv[])
{
    CommandLine cmd(__FILE__);
    cmd.Parse(argc, argv);
    Config::SetDefault("ns3::SriovNic::Forwarding", StringValue("VfDma"));

    NodeContainer vms(2);
    SriovHelper sriov;
    sriov.Install(vms); // one host, one VF per VM: each VM's device 0
    NetDeviceContainer vfs;
    for (uint32_t i = 0; i < vms.GetN(); ++i)
    {
        Ptr<VfNetDevice> vf = DynamicCast<VfNetDevice>(vms.Get(i)->GetDevice(0));
        if (!vf)
        {
            std::cerr << "outside-program: VM " << i << " has no VfNetDevice" << std::endl;
            return 1;
        }
        vfs.Add(vf);
    }
    InternetStackHelper stack;
    stack.Install(vms);
    Ipv4AddressHelper ip("10.0.0.0", "255.255.255.0");
    Ipv4InterfaceContainer ifs = ip.Assign(vfs);

    TypeId udp = TypeId::LookupByName("ns3::UdpSocketFactory");
    Ptr<Socket> server = Socket::CreateSocket(vms.Get(1), udp);
    server->Bind(InetSocketAddress(Ipv4Address::GetAny(), kPort));
    server->SetRecvCallback(MakeCallback(&Echo));
    Ptr<Socket> client = Socket::CreateSocket(vms.Get(0), udp);
    client->Bind();
    client->SetRecvCallback(MakeCallback(&Received));
    Simulator::Schedule(MilliSeconds(1),
                        [client, &ifs]()
                        {
                            client->SendTo(Create<Packet>(kBytes), 0,
                                           InetSocketAddress(ifs.GetAddress(1), kPort));
                        });
    Simulator::Stop(MilliSeconds(100));
    Simulator::Run();
    client->Close();
    server->Close();
    Simulator::Destroy();

    std::cout << "outside-program: sriov-vmcomm " << GetVmcommVersion() << ", echoed " << g_echoed
              << " of " << kBytes << " bytes" << std::endl;
    return g_echoed == kBytes ? 0 : 1;
}
