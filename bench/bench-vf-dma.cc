/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Simulation speed of the VF-to-VF DMA model against stock ns-3 point-to-point (./vmcomm bench).
 *
 * One process runs the same UDP stream (UdpClient -> UdpServer, 1024-byte payloads, 1,000,000
 * packets at 10 Gb/s by default) over
 *   (a) two nodes joined by a stock PointToPoint link (100 Gb/s, 1 us: never the bottleneck),
 *   (b) two VMs on one host talking through VF-to-VF DMA (sriov-vmcomm, default attributes),
 * and prints simulated packets per wall-clock second of Simulator::Run() for each; the last line
 * is "ratio b/a: X.XX". Each variant runs --repeat times (interleaved a, b, a, b, ...) and the
 * best run counts, to damp the noise of a shared machine. Build time (topology, stack, apps) is
 * timed separately and not part of the rate.
 *
 * Both variants must deliver (almost) every packet: a model that loses packets does less work
 * and would flatter the ratio, so the bench exits with status 1 if either loses more than 0.1%.
 *
 *   ./vmcomm bench                          # the full 1M-packet comparison
 *   ./vmcomm bench --packets=100000 --repeat=1
 *   build/bin/bench-vf-dma --variant=vf --packets=20000 --repeat=1   # for a profiler
 */
#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/host.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/sriov-helper.h"
#include "ns3/sriov-nic.h"
#include "ns3/traffic-control-module.h"
#include "ns3/vf-net-device.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>

using namespace ns3;

namespace {

/** What one run of one variant measured. */
struct RunResult
{
    double buildSeconds{0}; //!< wall time to build topology, stacks and applications
    double runSeconds{0};   //!< wall time of Simulator::Run()
    uint64_t received{0};   //!< packets the UdpServer received
    uint64_t events{0};     //!< simulator events executed
    double simSeconds{0};   //!< simulated time at the end of the run

    /** \return simulated packets per wall-clock second of Simulator::Run() */
    double Rate() const
    {
        return runSeconds > 0 ? received / runSeconds : 0;
    }
};

/** The stream both variants carry. */
struct Stream
{
    uint32_t packets; //!< packets to send
    uint32_t size;    //!< UDP payload bytes
    Time interval;    //!< time between packets
    bool qdisc;       //!< keep ns-3's default queue disc on the point-to-point devices
    uint32_t nics;    //!< (b): NICs in the host; 2 puts the VMs on different NICs
};

double
Since(std::chrono::steady_clock::time_point t0)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

/**
 * Install the UDP stream from \p from to \p to and run the simulation.
 * \param s the stream \param from sender \param to receiver \param toAddr receiver's address
 * \param t0 instant the build started \return the measurements
 */
RunResult
RunStream(const Stream& s, Ptr<Node> from, Ptr<Node> to, Ipv4Address toAddr,
          std::chrono::steady_clock::time_point t0)
{
    UdpServerHelper server(9);
    ApplicationContainer serverApp = server.Install(to);
    UdpClientHelper client(toAddr, 9);
    client.SetAttribute("Interval", TimeValue(s.interval));
    client.SetAttribute("PacketSize", UintegerValue(s.size));
    // ns-3.37's UdpClient sends ONE packet when MaxPackets is 0: give the count explicitly.
    client.SetAttribute("MaxPackets", UintegerValue(s.packets));
    ApplicationContainer clientApp = client.Install(from);
    Time start = MicroSeconds(10);
    serverApp.Start(Time(0));
    clientApp.Start(start);
    // A bound only: the run ends by itself once the last packet is delivered.
    Simulator::Stop(start + s.interval * s.packets + MilliSeconds(10));

    RunResult r;
    r.buildSeconds = Since(t0);
    uint64_t events0 = Simulator::GetEventCount();
    auto t1 = std::chrono::steady_clock::now();
    Simulator::Run();
    r.runSeconds = Since(t1);
    r.events = Simulator::GetEventCount() - events0;
    r.simSeconds = Simulator::Now().GetSeconds();
    r.received = DynamicCast<UdpServer>(serverApp.Get(0))->GetReceived();
    return r;
}

/** (a) Stock ns-3: two nodes, one point-to-point link. */
RunResult
RunP2p(const Stream& s)
{
    auto t0 = std::chrono::steady_clock::now();
    NodeContainer nodes;
    nodes.Create(2);
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("100Gbps"));
    p2p.SetChannelAttribute("Delay", StringValue("1us"));
    NetDeviceContainer devs = p2p.Install(nodes);
    InternetStackHelper stack;
    stack.SetIpv6StackInstall(false); // as for (b): IPv4 only, no IPv6 DAD/MLD traffic
    stack.Install(nodes);
    Ipv4AddressHelper ip("10.0.0.0", "255.255.255.0");
    Ipv4InterfaceContainer ifs = ip.Assign(devs);
    if (!s.qdisc)
    {
        // The VF has no NetDeviceQueueInterface, so ns-3 gives it no queue disc: remove the
        // point-to-point devices' default one too, so both stacks do the same work per packet.
        TrafficControlHelper().Uninstall(devs);
    }
    // Static neighbour entries: ns-3's ARP waits up to 10 ms (RequestJitter) before a request.
    // (The IPv4 overload: the all-channels one dereferences IPv6, which is not installed.)
    NeighborCacheHelper().PopulateNeighborCache(ifs);
    return RunStream(s, nodes.Get(0), nodes.Get(1), ifs.GetAddress(1), t0);
}

/** (b) sriov-vmcomm: two VMs on one host, VF-to-VF DMA (patent US9483290B1). */
RunResult
RunVf(const Stream& s)
{
    auto t0 = std::chrono::steady_clock::now();
    SriovHelper sriov;
    sriov.SetNics(s.nics);
    Ptr<Host> host = SriovHelper::GetHost(sriov.Install(2));
    NodeContainer vms = host->GetVms();
    InternetStackHelper stack;
    stack.SetIpv6StackInstall(false);
    stack.Install(vms);
    NetDeviceContainer vfs;
    vfs.Add(host->GetVf(0));
    vfs.Add(host->GetVf(1));
    Ipv4AddressHelper ip("10.0.0.0", "255.255.255.0");
    Ipv4InterfaceContainer ifs = ip.Assign(vfs);
    NeighborCacheHelper().PopulateNeighborCache(ifs);
    RunResult r = RunStream(s, vms.Get(0), vms.Get(1), ifs.GetAddress(1), t0);
    for (uint32_t n = 0; n < host->GetNNics(); ++n)
    {
        Ptr<SriovNic> nic = host->GetNic(n);
        for (int reason = 0; reason < SriovNic::DROP_REASONS; ++reason)
        {
            auto why = SriovNic::DropReason(reason);
            if (nic->GetDrops(why) > 0)
            {
                std::cout << "  (NIC " << n << " dropped " << nic->GetDrops(why)
                          << " frames: " << SriovNic::GetDropReasonName(why) << ")\n";
            }
        }
    }
    return r;
}

void
Print(const char* name, const RunResult& r, uint32_t packets)
{
    std::printf("  %-4s build %7.3f s  run %8.3f s  received %9llu/%u  events %10llu "
                "(%.2f/packet)  simulated %.4f s  %10.0f packets/s\n",
                name, r.buildSeconds, r.runSeconds, static_cast<unsigned long long>(r.received),
                packets, static_cast<unsigned long long>(r.events),
                r.received ? double(r.events) / r.received : 0.0, r.simSeconds, r.Rate());
    std::fflush(stdout);
}

} // namespace

int
main(int argc, char* argv[])
{
    uint32_t packets = 1000000;
    uint32_t size = 1024;
    DataRate rate("10Gbps");
    uint32_t repeat = 2;
    bool qdisc = false;
    std::string variant = "both";
    uint32_t nics = 1;

    CommandLine cmd(__FILE__);
    cmd.AddValue("packets", "UDP packets per run", packets);
    cmd.AddValue("size", "UDP payload bytes per packet", size);
    cmd.AddValue("rate", "offered load of the stream (the same for both variants)", rate);
    cmd.AddValue("repeat", "runs per variant, interleaved; the best one counts", repeat);
    cmd.AddValue("qdisc", "keep ns-3's default queue disc (FqCoDel) on the P2P devices", qdisc);
    cmd.AddValue("variant", "both, p2p (a only) or vf (b only, e.g. under a profiler)", variant);
    cmd.AddValue("nics", "NICs in (b)'s host: 1, or 2 for VF-to-VF DMA across NICs (P2P)", nics);
    cmd.Parse(argc, argv);
    if (packets == 0 || size < 12 || size > 1472 || repeat == 0 || nics < 1 || nics > 2
        || (variant != "both" && variant != "p2p" && variant != "vf"))
    {
        std::cerr << "bench-vf-dma: need --packets>0, --size in 12..1472, --repeat>0, "
                  << "--nics=1|2, --variant=both|p2p|vf" << std::endl;
        return 2;
    }

    // The interval of a 10 Gb/s Ethernet stream of these frames (UDP + IP + Ethernet headers).
    Stream s{packets, size, Seconds(double(size + 28 + 14) * 8 / rate.GetBitRate()), qdisc, nics};
    std::cout << "bench-vf-dma: " << packets << " UDP packets of " << size << " bytes every "
              << s.interval.As(Time::NS) << " (" << rate << "), best of " << repeat
              << " run(s) per variant, interleaved; rate = packets received / wall time of "
              << "Simulator::Run()\n"
              << "  a: stock ns-3 PointToPoint 100Gbps 1us"
              << (qdisc ? " with its default queue disc" : ", no queue disc") << "\n"
              << "  b: two VMs, VF-to-VF DMA (sriov-vmcomm defaults"
              << (nics == 2 ? ", the VMs on two NICs: peer to peer" : "") << ")\n";

    bool runA = variant != "vf";
    bool runB = variant != "p2p";
    RunResult bestA;
    RunResult bestB;
    bool lossy = false;
    auto check = [&](const char* name, const RunResult& r)
    {
        // More than 0.1% lost: the model is broken, and its speed means nothing.
        if (r.received * 1000 < uint64_t(packets) * 999)
        {
            std::cout << "  " << name << " LOST " << packets - r.received << " of " << packets
                      << " packets (> 0.1%)\n";
            lossy = true;
        }
    };
    for (uint32_t i = 0; i < repeat; ++i)
    {
        if (runA)
        {
            RunResult r = RunP2p(s);
            Simulator::Destroy();
            Print("a", r, packets);
            check("a", r);
            if (r.Rate() > bestA.Rate())
            {
                bestA = r;
            }
        }
        if (runB)
        {
            RunResult r = RunVf(s);
            Simulator::Destroy();
            Print("b", r, packets);
            check("b", r);
            if (r.Rate() > bestB.Rate())
            {
                bestB = r;
            }
        }
    }

    if (runA)
    {
        std::printf("a (point-to-point): %.0f packets/s (best)\n", bestA.Rate());
    }
    if (runB)
    {
        std::printf("b (VF-to-VF DMA):   %.0f packets/s (best)\n", bestB.Rate());
    }
    if (lossy)
    {
        std::printf("bench-vf-dma: a variant lost packets; no ratio\n");
        return 1;
    }
    if (runA && runB)
    {
        std::printf("ratio b/a: %.2f\n", bestB.Rate() / bestA.Rate());
    }
    return 0;
}
