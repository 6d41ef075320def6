/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The NFV benchmark's testbed and trials (see nfv-bench-testbed.h): the generator node and its
 * cables to the host's dual-port NIC (both ports for p2p and loopback, one otherwise), the host
 * in its mode (VmCommHelper), the flows of a
 * scenario with their sources, l2fwd VNFs and sinks, and the counting of a trial.
 */
#include "nfv-bench-testbed.h"

#include "ns3/core-module.h"
#include "ns3/ethernet-helper.h"
#include "ns3/ethernet-switch.h"
#include "ns3/guest-os.h"
#include "ns3/host.h"
#include "ns3/seq-ts-header.h"
#include "ns3/sriov-nic.h"
#include "ns3/vf-net-device.h"
#include "ns3/virtual-switch.h"
#include "ns3/vmcomm-helper.h"
#include "run-collector.h"
#include "traffic-builder.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <deque>
#include <memory>

namespace ns3 {

NS_LOG_COMPONENT_DEFINE("NfvBenchTestbed");

namespace {

/** EtherTypes of the flows (IEEE 802 local experimental 1 and 2): they tell the flows apart. */
constexpr uint16_t FLOW_PROTOCOL[2] = {0x88b5, 0x88b6};
/** Ethernet header + FCS bytes around a frame's payload. */
constexpr uint32_t ETH_OVERHEAD = 18;
/** When the generators start: when a scenario run's applications do, once the guests' drivers
 * have posted their RX buffers (a VF posts them over PCIe after time zero). */
const Time START = TrafficBuilder::GetStart();
/** Time after the trial for the last frames to arrive (beyond it they are lost). */
const Time DRAIN = MilliSeconds(1);
/** The generator's cable: a direct-attach copper cable of about 1 m. */
const Time CABLE_DELAY = NanoSeconds(5);

/** One flow of a trial: its source and what its sink saw. */
struct NfvFlow
{
    Ptr<NetDevice> source;    //!< the device the generator sends through
    Mac48Address destination; //!< the first hop's address
    uint16_t protocol{0};     //!< the flow's EtherType
    uint32_t payload{0};      //!< bytes handed to the device per frame
    double rate{0};           //!< frames/s: frame k leaves at START + k x 1e9 / rate ns
    Time end;                 //!< no frame leaves at or after this
    uint64_t offered{0};      //!< frames offered
    int64_t stampOffset{0};   //!< ns to take off a latency: see SinkReceive
    std::vector<std::pair<int64_t, int64_t>> rx; //!< per frame received: (sent, latency), ns
};

/** An l2fwd VNF's port: what it receives on one NIC it sends out of \p out to \p next. */
struct NfvForward
{
    Ptr<NetDevice> out; //!< output NIC
    Mac48Address next;  //!< the next hop's address (MAC rewrite)
};

void
SendFrame(NfvFlow* f)
{
    Ptr<Packet> p = Create<Packet>(f->payload - 12);
    SeqTsHeader h;
    h.SetSeq(uint32_t(f->offered));
    p->AddHeader(h); // stamps the send time
    ++f->offered;
    f->source->Send(p, f->destination, f->protocol); // refused: lost
    const Time next = START + NanoSeconds(std::llround(double(f->offered) * 1e9 / f->rate));
    if (next < f->end)
    {
        Simulator::Schedule(next - Simulator::Now(), &SendFrame, f);
    }
}

void
SinkReceive(NfvFlow* f, Ptr<NetDevice>, Ptr<const Packet> p, uint16_t, const Address&,
            const Address&, NetDevice::PacketType)
{
    SeqTsHeader h;
    p->PeekHeader(h);
    const Time now = Simulator::Now();
    // At the generator the latency is the tester NIC's hardware timestamps' (MoonGen on the
    // 82599): both taken as the start-of-frame delimiter passes the MAC, where the model's are
    // the frame's first bit sent and its last bit received: the frame's bytes after the SFD
    // (stampOffset) come off.
    f->rx.emplace_back(h.GetTs().GetNanoSeconds(),
                       (now - h.GetTs()).GetNanoSeconds() - f->stampOffset);
}

void
ForwardFrame(NfvForward* fwd, Ptr<NetDevice>, Ptr<const Packet> p, uint16_t protocol,
             const Address&, const Address&, NetDevice::PacketType)
{
    // l2fwd: the frame unchanged, its destination address rewritten, out of the other port.
    fwd->out->Send(p->Copy(), fwd->next, protocol);
}

Mac48Address
MacOf(Ptr<NetDevice> d)
{
    return Mac48Address::ConvertFrom(d->GetAddress());
}

/**
 * Loopback through the NIC's VFs: the port (0 or 1) of the dual-port NIC that carries hop
 * \p link of the chain, link 0 being the generator's port 0 to VNF 1, link k the frames from
 * VNF k to VNF k+1 (both VFs on one port, so that its embedded switch turns them around), link
 * N the last VNF's frames to the generator's port 1. The first half of the links is on port 0,
 * the second on port 1.
 */
uint32_t
LoopbackLinkPort(uint32_t link, uint32_t chain)
{
    return link * 2 / (chain + 1);
}

/**
 * \return the port of each guest NIC of a loopback chain through the NIC's VFs: VNF i's NIC 2i
 * (its receiving side) on link i's port, NIC 2i+1 on link i+1's.
 */
std::vector<uint32_t>
LoopbackVfPorts(uint32_t chain)
{
    std::vector<uint32_t> ports;
    for (uint32_t i = 0; i < chain; ++i)
    {
        ports.push_back(LoopbackLinkPort(i, chain));
        ports.push_back(LoopbackLinkPort(i + 1, chain));
    }
    return ports;
}

} // namespace

std::vector<std::string>
GetNfvScenarioNames()
{
    return {"p2p", "p2v", "v2v", "loopback"};
}

std::string
ToString(NfvScenario s)
{
    return GetNfvScenarioNames()[static_cast<int>(s)];
}

bool
ParseNfvScenario(const std::string& name, NfvScenario* s)
{
    const std::vector<std::string> names = GetNfvScenarioNames();
    auto it = std::find(names.begin(), names.end(), name);
    if (it == names.end())
    {
        return false;
    }
    *s = static_cast<NfvScenario>(it - names.begin());
    return true;
}

std::string
CheckNfvSupport(const NfvBenchConfig& c)
{
    if (c.scenario == NfvScenario::P2P && !IsSoftwareSwitched(c.mode))
    {
        return "p2p forwards frames from the wire back to the wire with no VM, and in mode "
             + ToString(c.mode)
             + " the switch is the NIC's embedded switch, which forwards between its VFs and "
               "its uplink, never from the uplink back out of it (p2p needs a software switch: "
               "vswitch-kernel or vswitch-dpdk)";
    }
    if (!IsSoftwareSwitched(c.mode) && c.scenario == NfvScenario::LOOPBACK)
    {
        TypeId::AttributeInformation info;
        TypeId::LookupByName("ns3::SriovNic").LookupAttributeByName("MaxVfs", &info);
        const uint64_t maxVfs = std::stoull(info.initialValue->SerializeToString(info.checker));
        const std::vector<uint32_t> ports = LoopbackVfPorts(c.chain);
        const uint64_t onPort0 = std::count(ports.begin(), ports.end(), 0u);
        const uint64_t most = std::max(onPort0, ports.size() - onPort0);
        if (most > maxVfs)
        {
            return "a chain of " + std::to_string(c.chain) + " VNFs needs " + std::to_string(most)
                 + " VFs on one port of the dual-port NIC (two per VNF, the chain split between "
                   "the ports) and a port offers ns3::SriovNic::MaxVfs="
                 + std::to_string(maxVfs);
        }
    }
    return "";
}

NfvTrialResult
RunNfvTrial(const NfvBenchConfig& c, double ratePps, bool collect)
{
    NS_LOG_FUNCTION(ToString(c.scenario) << ToString(c.mode) << c.size << ratePps);
    const uint32_t nVms = c.scenario == NfvScenario::P2P ? 0
                        : c.scenario == NfvScenario::P2V ? 1
                        : c.scenario == NfvScenario::V2V ? 2
                                                         : c.chain;
    // A VNF has two NICs (port 2i receives from the generator's side, port 2i+1 sends on).
    const uint32_t perVm = c.scenario == NfvScenario::LOOPBACK ? 2 : 1;
    NodeContainer vms;
    vms.Create(nVms);
    NodeContainer ports; // one entry per guest NIC
    for (uint32_t i = 0; i < nVms; ++i)
    {
        for (uint32_t k = 0; k < perVm; ++k)
        {
            ports.Add(vms.Get(i));
        }
    }

    // Zhang et al.'s tester has two ports: p2p and loopback frames enter the DUT by port 0 and
    // leave by port 1 (the reverse flow the other way), and the DUT's NIC has two ports on one
    // PCIe link (their 82599ES). Through a software switch each port's PF is an uplink of the
    // switch; through the NIC's VFs the chain is split between the ports (LoopbackVfPorts).
    // p2v and v2v use one port.
    const bool twoPorts = c.scenario == NfvScenario::P2P || c.scenario == NfvScenario::LOOPBACK;
    const uint32_t nPorts = twoPorts ? 2 : 1;
    std::vector<uint32_t> vfPort(ports.GetN(), 0); // the port of each guest NIC's VF
    if (twoPorts && !IsSoftwareSwitched(c.mode))
    {
        vfPort = LoopbackVfPorts(c.chain);
    }

    // The host in its mode, through the one entry point scenario runs build hosts with.
    VmCommHelper comm;
    comm.SetMode(c.mode);
    comm.GetSriovHelper().SetPorts(nPorts);
    if (!IsSoftwareSwitched(c.mode))
    {
        comm.GetSriovHelper().SetVfPlacement(vfPort);
    }
    comm.GetSriovHelper().SetHostAttribute("Name", StringValue("dut"));
    comm.SetVswitchProfile(c.vswitch);
    GuestKind guestKind = GuestKind::DPDK;
    NS_ABORT_MSG_UNLESS(ParseGuestKind(c.guest, &guestKind), "nfv-bench: guest " << c.guest);
    GuestHelper guest; // every VM: the generators' and the VNFs'
    guest.SetGuest(guestKind);
    comm.SetGuestHelper(guest);
    Ptr<Node> hostNode = CreateObject<Node>();
    const NetDeviceContainer devices = comm.Install(hostNode, ports);
    Ptr<Host> host = hostNode->GetObject<Host>();
    // The software switch of the vswitch modes (vswitch-offload's decides for the NIC).
    Ptr<VirtualSwitch> vswitch = IsSoftwareSwitched(c.mode) ? host->GetVirtualSwitch() : nullptr;
    if (twoPorts && vswitch)
    {
        // Port 1's PF: the switch's second uplink (the first is port 0's).
        vswitch->AddUplink(comm.GetSriovHelper().AddPf(host, 1));
    }
    std::vector<Ptr<NetDevice>> guestNic(devices.Begin(), devices.End());
    if (c.scenario == NfvScenario::LOOPBACK)
    {
        // l2fwd rewrites each frame's header before sending it on (the generators of the other
        // scenarios send frames prepared beforehand).
        for (uint32_t i = 0; i < nVms; ++i)
        {
            if (Ptr<GuestOs> g = vms.Get(i)->GetObject<GuestOs>())
            {
                g->SetAttribute("PmdWritesFrames", BooleanValue(true));
            }
        }
    }

    // The generator, its port k cabled to the NIC's port k (vepa: through the adjacent bridge,
    // which reflects the VMs' frames to each other, IEEE 802.1Qbg).
    Ptr<Node> generator = CreateObject<Node>();
    EthernetHelper eth;
    eth.SetDeviceAttribute("DataRate", DataRateValue(c.lineRate));
    eth.SetChannelAttribute("Delay", TimeValue(CABLE_DELAY));
    std::vector<Ptr<NetDevice>> genPort;
    std::vector<Ptr<EthernetSwitch>> bridges;
    if (NeedsReflectiveRelay(c.mode))
    {
        // Bridge port 2k: the generator's port k; 2k+1: the NIC's port k.
        Ptr<Node> bridge = CreateObject<Node>();
        NetDeviceContainer bridgePorts;
        for (uint32_t k = 0; k < nPorts; ++k)
        {
            NetDeviceContainer a = eth.Install(generator, bridge);
            NetDeviceContainer b = eth.Install(host->GetNode(), bridge);
            host->GetNic(k)->SetUplink(b.Get(0));
            bridgePorts.Add(a.Get(1));
            bridgePorts.Add(b.Get(1));
            genPort.push_back(a.Get(0));
        }
        Ptr<EthernetSwitch> sw = eth.InstallSwitch(bridge, bridgePorts);
        bridges.push_back(sw);
        for (uint32_t k = 0; k < nPorts; ++k)
        {
            sw->SetReflectiveRelay(2 * k + 1, true);
            sw->AddStaticEntry(MacOf(genPort[k]), EthernetSwitch::DEFAULT_VLAN, 2 * k);
        }
        for (uint32_t j = 0; j < guestNic.size(); ++j)
        {
            sw->AddStaticEntry(MacOf(guestNic[j]), EthernetSwitch::DEFAULT_VLAN, 2 * vfPort[j] + 1);
        }
    }
    else
    {
        for (uint32_t k = 0; k < nPorts; ++k)
        {
            NetDeviceContainer a = eth.Install(generator, host->GetNode());
            host->GetNic(k)->SetUplink(a.Get(1));
            genPort.push_back(a.Get(0));
        }
    }
    Ptr<NetDevice> gen = genPort.front(); // port 0
    Ptr<NetDevice> gen1 = genPort.back(); // port 1 (two ports), else port 0
    const Mac48Address genMac = MacOf(gen);
    const Mac48Address gen1Mac = MacOf(gen1);
    // The switch's rule for the generator's addresses: out of the uplink of their port (an
    // operator's flow rule; a software switch would otherwise flood them to the VMs, an offloaded
    // one drop them).
    if (vswitch)
    {
        vswitch->AddStaticEntry(genMac, vswitch->GetUplinkPort());
        if (twoPorts)
        {
            vswitch->AddStaticEntry(gen1Mac, vswitch->GetUplinkPortByIndex(1));
        }
    }
    else if (Ptr<VirtualSwitch> offload = host->GetVirtualSwitch())
    {
        // The uplink representor: out of the port the frame's VF is on (the chain's last VF
        // is on port 1, the first on port 0).
        offload->AddStaticEntry(genMac, offload->GetUplinkRepresentorPort());
        if (twoPorts)
        {
            offload->AddStaticEntry(gen1Mac, offload->GetUplinkRepresentorPort());
        }
    }

    // The flows: (source device, first hop, sink node and device).
    std::deque<NfvFlow> flows;
    std::deque<NfvForward> forwards;
    auto addFlow = [&](Ptr<NetDevice> src, Mac48Address first, Ptr<NetDevice> sinkDev)
    {
        NfvFlow& f = flows.emplace_back();
        f.source = src;
        f.destination = first;
        f.protocol = FLOW_PROTOCOL[flows.size() - 1];
        f.payload = c.size - ETH_OVERHEAD;
        f.rate = ratePps;
        f.end = START + c.trial;
        if (sinkDev->GetNode() == generator)
        {
            // Hardware timestamps at the SFD (SinkReceive): the frame's time on the line.
            f.stampOffset = std::llround(double(c.size) * 8e9 / double(c.lineRate.GetBitRate()));
        }
        sinkDev->GetNode()->RegisterProtocolHandler(MakeBoundCallback(&SinkReceive, &f), f.protocol,
                                                    sinkDev, false);
    };
    auto addForward = [&](Ptr<NetDevice> in, Ptr<NetDevice> out, Mac48Address next)
    {
        NfvForward& fwd = forwards.emplace_back();
        fwd.out = out;
        fwd.next = next;
        in->GetNode()->RegisterProtocolHandler(MakeBoundCallback(&ForwardFrame, &fwd), 0, in,
                                               false);
    };
    switch (c.scenario)
    {
        case NfvScenario::P2P:
            addFlow(gen, gen1Mac, gen1);
            if (c.bidirectional)
            {
                addFlow(gen1, genMac, gen);
            }
            break;
        case NfvScenario::P2V:
            addFlow(gen, MacOf(guestNic[0]), guestNic[0]);
            if (c.bidirectional)
            {
                addFlow(guestNic[0], genMac, gen);
            }
            break;
        case NfvScenario::V2V:
            addFlow(guestNic[0], MacOf(guestNic[1]), guestNic[1]);
            if (c.bidirectional)
            {
                addFlow(guestNic[1], MacOf(guestNic[0]), guestNic[0]);
            }
            break;
        case NfvScenario::LOOPBACK:
            // VNF i: NIC 2i faces the generator's sending side, NIC 2i+1 the next VNF.
            addFlow(gen, MacOf(guestNic[0]), gen1);
            for (uint32_t i = 0; i < c.chain; ++i)
            {
                addForward(guestNic[2 * i], guestNic[2 * i + 1],
                           i + 1 < c.chain ? MacOf(guestNic[2 * i + 2]) : gen1Mac);
            }
            if (c.bidirectional)
            {
                addFlow(gen1, MacOf(guestNic[2 * c.chain - 1]), gen);
                for (uint32_t i = 0; i < c.chain; ++i)
                {
                    addForward(guestNic[2 * i + 1], guestNic[2 * i],
                               i > 0 ? MacOf(guestNic[2 * i - 1]) : genMac);
                }
            }
            break;
    }
    for (NfvFlow& f : flows)
    {
        Simulator::Schedule(START, &SendFrame, &f);
    }
    // The components' counters and drops, as a scenario run collects them (the frames are no
    // IP flows: the collector's drop traces find no flow to charge them to).
    std::unique_ptr<TrafficBuilder> noFlows;
    std::unique_ptr<RunCollector> collector;
    if (collect)
    {
        noFlows = std::make_unique<TrafficBuilder>(ExperimentOptions(), DataRate("1bps"));
        collector = std::make_unique<RunCollector>(
            std::vector<Ptr<Host>>{host}, bridges,
            std::vector<std::string>(bridges.size(), "bridge"), *noFlows);
        collector->ScheduleWindow(START, c.trial);
        collector->ConnectDropTraces();
    }
    Simulator::Stop(START + c.trial + DRAIN);
    Simulator::Run();

    NfvTrialResult r;
    r.simSeconds = Simulator::Now().GetSeconds();
    r.events = Simulator::GetEventCount();
    r.switchForwards = vswitch ? vswitch->GetCounters().forwarded : 0;
    if (collector)
    {
        RunRecord rec;
        collector->CollectComponents(rec);
        r.counters = std::move(rec.counters);
        r.drops = std::move(rec.drops);
        r.componentParams = std::move(rec.componentParams);
        collector.reset();
    }
    const int64_t tolerance = c.lateTolerance.GetNanoSeconds();
    for (const NfvFlow& f : flows)
    {
        // Frames in the order sent; the median latency of the first and of the last quarter.
        std::vector<std::pair<int64_t, int64_t>> rx = f.rx;
        std::sort(rx.begin(), rx.end());
        const std::size_t quarter = rx.size() / 4;
        auto median = [](std::vector<int64_t> v)
        {
            std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
            return v[v.size() / 2];
        };
        uint64_t late = 0;
        if (quarter > 0)
        {
            std::vector<int64_t> first;
            std::vector<int64_t> last;
            for (std::size_t i = 0; i < quarter; ++i)
            {
                first.push_back(rx[i].second);
                last.push_back(rx[rx.size() - quarter + i].second);
            }
            const int64_t bound = median(first) + tolerance;
            if (median(last) > bound)
            {
                // The queue grew: the last quarter's frames later than the bound are late.
                for (int64_t lat : last)
                {
                    late += lat > bound;
                }
            }
        }
        for (const auto& [sent, lat] : f.rx)
        {
            r.latency.Record(NanoSeconds(lat));
        }
        r.offered += f.offered;
        r.received += f.rx.size() - late;
        r.late += late;
    }
    Simulator::Destroy();
    return r;
}

} // namespace ns3
