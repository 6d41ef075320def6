/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Two VMs on one host talk through VF-to-VF DMA (patent US9483290B1): a UDP stream from VM0 to
 * VM1. Prints the throughput and the one-way latency broken down by stage.
 *
 *   ./vmcomm run vf-to-vf --size=1024 --rate=10Gbps --duration=10ms [--pcap=1] [--ascii=1]
 *   ./vmcomm run vf-to-vf --ns3::Iommu::IotlbEntries=8 --ns3::VfNetDevice::CoalesceFrames=1
 *   ./vmcomm run vf-to-vf --preset=gen4x16-100g --rate=40Gbps
 */
#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/host.h"
#include "ns3/internet-module.h"
#include "ns3/iommu.h"
#include "ns3/network-module.h"
#include "ns3/pcie-link.h"
#include "ns3/preset.h"
#include "ns3/sriov-nic.h"
#include "ns3/vf-net-device.h"
#include "ns3/vmcomm-helper.h"

#include <iomanip>
#include <iostream>
#include <limits>

using namespace ns3;

int
main(int argc, char* argv[])
{
    uint32_t size = 1024;
    DataRate rate("10Gbps");
    Time duration = MilliSeconds(10);
    bool pcap = false;
    bool ascii = false;

    CommandLine cmd(__FILE__);
    cmd.AddValue("size", "UDP payload bytes per packet", size);
    cmd.AddValue("rate", "offered load of the stream", rate);
    cmd.AddValue("duration", "how long the stream runs", duration);
    cmd.AddValue("pcap", "write vf-to-vf-*.pcap for both VFs", pcap);
    cmd.AddValue("ascii", "write vf-to-vf.tr: +, d and r lines of both VFs", ascii);
    std::string preset;
    cmd.AddValue("preset",
                 "NIC + PCIe + IOMMU configuration (see ./vmcomm dma-bench --list-presets)",
                 preset);
    // Applied before parsing: --ns3::Type::Attr options then override the preset.
    preset = ApplyPresetFromCommandLine(argc, argv);
    cmd.Parse(argc, argv);
    if (size < 12 || size > 1472)
    {
        std::cerr << "vf-to-vf: --size=" << size << " out of range: 12..1472 bytes (UDP in a "
                  << "1500-byte MTU, 12 bytes for the sequence/timestamp header)" << std::endl;
        return 2;
    }

    // One host, two VMs, a VF each; the mode chosen on the helper (VmCommHelper::SetMode).
    VmCommHelper comm;
    comm.SetMode(CommMode::VF_DMA);
    NodeContainer vms;
    vms.Create(2);
    NetDeviceContainer vfs = comm.Install(vms); // VF i on VM i
    Ptr<Host> host = VmCommHelper::GetHost(vfs);
    InternetStackHelper stack;
    stack.Install(vms);
    Ipv4AddressHelper ip("10.0.0.0", "255.255.255.0");
    Ipv4InterfaceContainer ifs = ip.Assign(vfs);
    // Static neighbour entries, as a VM image would have: ns-3's ARP waits up to 10 ms (its
    // RequestJitter) before a request, which would otherwise dominate a short run.
    NeighborCacheHelper neighbors;
    neighbors.PopulateNeighborCache();
    if (pcap)
    {
        comm.EnablePcap("vf-to-vf", vfs);
    }
    if (ascii)
    {
        AsciiTraceHelper files;
        comm.EnableAscii(files.CreateFileStream("vf-to-vf.tr"), vfs);
    }

    UdpServerHelper server(9);
    ApplicationContainer serverApp = server.Install(vms.Get(1));
    UdpClientHelper client(ifs.GetAddress(1), 9);
    Time interval = Seconds(double(size + 28 + 14) * 8 / rate.GetBitRate());
    client.SetAttribute("Interval", TimeValue(interval));
    client.SetAttribute("PacketSize", UintegerValue(size));
    // MaxPackets=0 sends one packet in ns-3.37: bound the stream by its duration instead.
    client.SetAttribute("MaxPackets", UintegerValue(std::numeric_limits<uint32_t>::max()));
    ApplicationContainer clientApp = client.Install(vms.Get(0));
    Time start = MicroSeconds(10);
    clientApp.Start(start);
    clientApp.Stop(start + duration);
    serverApp.Start(Time(0));
    Simulator::Stop(start + duration + MilliSeconds(1));
    Simulator::Run();

    Ptr<UdpServer> udp = DynamicCast<UdpServer>(serverApp.Get(0));
    Ptr<VfNetDevice> rx = host->GetVf(1);
    const LatencyBreakdown& sum = rx->GetLatencySum();
    uint64_t frames = rx->GetCounters().rxFrames;
    double gbps = double(udp->GetReceived()) * size * 8 / duration.GetSeconds() / 1e9;
    auto us = [frames](Time t)
    {
        return frames ? t.GetSeconds() * 1e6 / frames : 0.0;
    };
    Ptr<Iommu> iommu = host->GetIommu();
    Ptr<PcieLink> pcie = host->GetPcieLink();
    Time simulated = Simulator::Now();

    std::cout << std::fixed << std::setprecision(3);
    std::cout << "vf-to-vf: " << size << "-byte UDP payloads at " << rate << " for " << duration
              << "\n";
    std::cout << "  packets received   " << udp->GetReceived() << " (lost " << udp->GetLost()
              << ")\n";
    std::cout << "  goodput            " << gbps << " Gb/s\n";
    std::cout << "  one-way latency    " << us(sum.total) << " us mean, of which\n";
    std::cout << "    guest driver     " << us(sum.guest) << " us\n";
    std::cout << "    PCIe             " << us(sum.pcie) << " us\n";
    std::cout << "    IOMMU            " << us(sum.iommu) << " us\n";
    std::cout << "    NIC              " << us(sum.nic) << " us\n";
    std::cout << "    interrupt        " << us(sum.interrupt) << " us\n";
    std::cout << "  IOTLB              " << iommu->GetHits() << " hits, " << iommu->GetMisses()
              << " misses\n";
    std::cout << "  PCIe utilization   up "
              << pcie->GetBusyTime(PcieLink::UPSTREAM).GetSeconds() / simulated.GetSeconds()
              << ", down "
              << pcie->GetBusyTime(PcieLink::DOWNSTREAM).GetSeconds() / simulated.GetSeconds()
              << "\n";
    std::cout << "  interrupts         " << rx->GetCounters().interrupts << "\n";
    std::cout << "  NIC drops          " << host->GetNic()->GetTotalDrops() << "\n";
    Simulator::Destroy();
    return 0;
}
