/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The host's software switch (OVS kernel datapath, OVS-DPDK, VPP class): the vhost backend of its
 * VMs' VirtioNetDevices, an optional uplink port, a MAC forwarding table, and host cores that do
 * the work (see virtual-switch.h).
 */
// The host's software virtual switch: its attributes, ports (VM virtio devices, uplinks) and
// statistics. The per-frame path (decision, cost, output) is virtual-switch-datapath.cc; its
// cores are VswitchCoreScheduler; its calibration profiles are in the helper-level registry
// (helper/preset.cc).
#include "virtual-switch.h"

#include "ns3-compat.h"
#include "ns3/abort.h"
#include "ns3/boolean.h"
#include "ns3/double.h"
#include "ns3/enum.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/object-vector.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cmath>

namespace ns3 {

NS_LOG_COMPONENT_DEFINE("VirtualSwitch");
NS_OBJECT_ENSURE_REGISTERED(VirtualSwitch);

const char*
VirtualSwitch::GetDropReasonName(DropReason reason)
{
    switch (reason)
    {
        case DROP_UPLINK_QUEUE_FULL:
            return "uplink-queue-full";
        case DROP_UPLINK_REFUSED:
            return "uplink-refused";
        case DROP_NO_DESTINATION:
            return "no-destination";
        case DROP_TAP_QUEUE_FULL:
            return "tap-queue-full";
        default:
            return "unknown";
    }
}

// ---- VirtualSwitch ----

TypeId
VirtualSwitch::GetTypeId()
{
    using P = VswitchCoreScheduler::Parameters;
    static TypeId tid
        = TypeId("ns3::VirtualSwitch")
              .SetParent<VirtioBackend>()
              .SetGroupName("SriovVmcomm")
              .AddConstructor<VirtualSwitch>()
              .AddAttribute(
                  "Mode",
                  "Interrupt (kernel datapath: kicks wake sleeping cores) or Poll (DPDK "
                  "PMD: cores spin, always busy). Default: the ovs-kernel profile "
                  "(profiles: helper/preset.cc, doc/vswitch.md).",
                  EnumValue(INTERRUPT),
                  compat::MakeEnumAccessor(&VirtualSwitch::SetMode, &VirtualSwitch::GetMode),
                  MakeEnumChecker(INTERRUPT, "Interrupt", POLL, "Poll"))
              .AddAttribute(
                  "VhostWorkers",
                  "Interrupt mode: each VM port is served by a vhost-net worker thread of its "
                  "own (VhostWorker: the sender's copies out and runs the datapath, the "
                  "receiver's copies in), as Linux vhost-net runs one per virtio device; the "
                  "cores then serve the uplink only. false: the cores serve the VM ports too "
                  "(one wake-up per kick, no per-device thread). No effect in Poll mode.",
                  BooleanValue(true),
                  MakeBooleanAccessor(&VirtualSwitch::SetVhostWorkers,
                                      &VirtualSwitch::GetVhostWorkers),
                  MakeBooleanChecker())
              .AddAttribute(
                  "NCores",
                  "Host cores running the switch; ports are assigned to them round "
                  "robin (again, when set later). Takes effect when set, as long as "
                  "no core is working (aborts otherwise: set it before traffic).",
                  UintegerValue(1),
                  MakeUintegerAccessor(&VirtualSwitch::SetNCores, &VirtualSwitch::GetNCores),
                  MakeUintegerChecker<uint32_t>(1, 1024))
              .AddAttribute(
                  "ClockGHz",
                  "Core clock, GHz. 2.2 = Xeon E5-2630 v4 of the calibration host "
                  "(doc/validation.md), the clock the ovs-kernel profile's cycles assume "
                  "(a profile sets the clock its cycles were measured at).",
                  DoubleValue(2.2),
                  MakeDoubleAccessor(&VirtualSwitch::SetCoreParameter<double, &P::clockGHz>,
                                     &VirtualSwitch::GetCoreParameter<double, &P::clockGHz>),
                  MakeDoubleChecker<double>(0.01))
              .AddAttribute(
                  "CyclesPerPacket",
                  "Cycles per frame switched (parse, lookup, action), the ports' own cycles "
                  "aside. Default 1157.9: ovs-kernel, 1.9 Mpps/core at 64 B port to port "
                  "(Emmerich et al., JNSM 2018); derived in helper/preset.cc.",
                  DoubleValue(1157.8947368421054),
                  MakeDoubleAccessor(&VirtualSwitch::SetCoreParameter<double, &P::cyclesPerPacket>,
                                     &VirtualSwitch::GetCoreParameter<double, &P::cyclesPerPacket>),
                  MakeDoubleChecker<double>(0))
              .AddAttribute(
                  "CyclesPerByte",
                  "Cycles per frame byte copied; a frame is copied at each VM port it "
                  "crosses (guest TX buffer to the switch's, the switch's to guest RX "
                  "buffer), not at the NIC (DMA). Default 0.1679: OVS-DPDK's 64 B and "
                  "1024 B VM-to-VM rates (Zhang et al. 2019); derived in helper/preset.cc.",
                  DoubleValue(0.16785870675813752),
                  MakeDoubleAccessor(&VirtualSwitch::SetCoreParameter<double, &P::cyclesPerByte>,
                                     &VirtualSwitch::GetCoreParameter<double, &P::cyclesPerByte>),
                  MakeDoubleChecker<double>(0))
              .AddAttribute(
                  "VmPortRxCycles",
                  "Cycles per frame the core takes from a VM's TX virtqueue (vhost dequeue: "
                  "descriptor and buffer handling), besides its copy. Default 0: the ovs-kernel "
                  "profile (no VM-port figure published; derivation in helper/preset.cc).",
                  DoubleValue(0),
                  MakeDoubleAccessor(&VirtualSwitch::SetCoreParameter<double, &P::vmPortRxCycles>,
                                     &VirtualSwitch::GetCoreParameter<double, &P::vmPortRxCycles>),
                  MakeDoubleChecker<double>(0))
              .AddAttribute(
                  "VmPortTxCycles",
                  "Cycles per frame the core puts into a VM's RX virtqueue (vhost enqueue), "
                  "besides its copy. Default 0: the ovs-kernel profile (helper/preset.cc).",
                  DoubleValue(0),
                  MakeDoubleAccessor(&VirtualSwitch::SetCoreParameter<double, &P::vmPortTxCycles>,
                                     &VirtualSwitch::GetCoreParameter<double, &P::vmPortTxCycles>),
                  MakeDoubleChecker<double>(0))
              .AddAttribute(
                  "NicPortRxCycles",
                  "Cycles per frame the core receives from the uplink NIC (driver or PMD RX; "
                  "the NIC wrote the bytes by DMA: no copy). Default 0: the ovs-kernel "
                  "profile, whose port-to-port figure is all in CyclesPerPacket.",
                  DoubleValue(0),
                  MakeDoubleAccessor(&VirtualSwitch::SetCoreParameter<double, &P::nicPortRxCycles>,
                                     &VirtualSwitch::GetCoreParameter<double, &P::nicPortRxCycles>),
                  MakeDoubleChecker<double>(0))
              .AddAttribute(
                  "NicPortTxCycles",
                  "Cycles per frame the core sends to the uplink NIC (driver or PMD TX, no "
                  "copy). Default 0: see NicPortRxCycles.",
                  DoubleValue(0),
                  MakeDoubleAccessor(&VirtualSwitch::SetCoreParameter<double, &P::nicPortTxCycles>,
                                     &VirtualSwitch::GetCoreParameter<double, &P::nicPortTxCycles>),
                  MakeDoubleChecker<double>(0))
              .AddAttribute(
                  "BatchSize",
                  "Frames a core takes from one port per batch at most. Default 64 "
                  "(Linux NAPI weight); OVS-DPDK bursts are 32 (NETDEV_MAX_BURST). 1 = "
                  "per-packet processing.",
                  UintegerValue(64),
                  MakeUintegerAccessor(&VirtualSwitch::SetCoreParameter<uint32_t, &P::batchSize>,
                                       &VirtualSwitch::GetCoreParameter<uint32_t, &P::batchSize>),
                  MakeUintegerChecker<uint32_t>(1, 4096))
              .AddAttribute(
                  "BatchCycles",
                  "Cycles per batch (poll-loop iteration, burst call). Default 0 "
                  "(kernel: in WakeupCycles); ovs-dpdk 400, an estimate.",
                  DoubleValue(0),
                  MakeDoubleAccessor(&VirtualSwitch::SetCoreParameter<double, &P::batchCycles>,
                                     &VirtualSwitch::GetCoreParameter<double, &P::batchCycles>),
                  MakeDoubleChecker<double>(0))
              .AddAttribute(
                  "WakeupCycles",
                  "Interrupt mode: cycles to wake an idle core for an uplink interrupt "
                  "(NAPI softirq) or, without VhostWorkers, a kick (eventfd, scheduler, "
                  "switch-in; a VhostWorker has its own). Estimate: 2200 (~1 us at 2.2 GHz).",
                  DoubleValue(2200),
                  MakeDoubleAccessor(&VirtualSwitch::SetCoreParameter<double, &P::wakeupCycles>,
                                     &VirtualSwitch::GetCoreParameter<double, &P::wakeupCycles>),
                  MakeDoubleChecker<double>(0))
              .AddAttribute(
                  "WakeupLatency",
                  "Interrupt mode: time from an uplink interrupt (or, without VhostWorkers, "
                  "a kick) reaching the host to the core starting on it (a VhostWorker has "
                  "its own). Estimate: 1 us.",
                  TimeValue(MicroSeconds(1)),
                  MakeTimeAccessor(&VirtualSwitch::SetCoreParameter<Time, &P::wakeupLatency>,
                                   &VirtualSwitch::GetCoreParameter<Time, &P::wakeupLatency>),
                  MakeTimeChecker(Time(0)))
              .AddAttribute("VhostWorkerList",
                            "The vhost-net worker threads of the VM ports, in port order (none "
                            "in Poll mode or without VhostWorkers)",
                            TypeId::ATTR_GET, ObjectVectorValue(),
                            MakeObjectVectorAccessor(&VirtualSwitch::GetNWorkers,
                                                     &VirtualSwitch::GetWorkerByIndex),
                            MakeObjectVectorChecker<VhostWorker>())
              .AddAttribute(
                  "PollLoopCycles",
                  "Poll mode: cycles of one iteration of an idle core's poll loop besides its "
                  "ports' polls (the PMD's own bookkeeping per iteration); a frame waits for the "
                  "loop to come round to its port, a phase over the loop's period. Default 0 "
                  "(ovs-kernel: interrupt mode); poll profiles: fitted on Zhang et al. 2019 "
                  "(OVS-DPDK p2p latency spread, helper/preset.cc).",
                  DoubleValue(0),
                  MakeDoubleAccessor(&VirtualSwitch::SetCoreParameter<double, &P::pollLoopCycles>,
                                     &VirtualSwitch::GetCoreParameter<double, &P::pollLoopCycles>),
                  MakeDoubleChecker<double>(0))
              .AddAttribute(
                  "EmptyPollCycles",
                  "Poll mode: cycles to poll one port and find it empty (an RX burst call "
                  "reading one descriptor's done bit, or a virtqueue's avail index). Default 0 "
                  "(ovs-kernel); poll profiles 50, an estimate.",
                  DoubleValue(0),
                  MakeDoubleAccessor(&VirtualSwitch::SetCoreParameter<double, &P::emptyPollCycles>,
                                     &VirtualSwitch::GetCoreParameter<double, &P::emptyPollCycles>),
                  MakeDoubleChecker<double>(0))
              .AddAttribute(
                  "ModifiedLineCycles",
                  "Cycles per frame the core pays, besides VmPortRxCycles and the copy, to take a "
                  "frame its guest wrote just before sending it (GuestOs::WritesFrames: a kernel "
                  "stack, or a DPDK forwarder rewriting the header): the header's cache line is "
                  "Modified in the vCPU's core and the copy pulls it across (a snoop that hits a "
                  "modified line). VmPortRxCycles is fitted on frames a DPDK generator prepared "
                  "beforehand, which it does not pay. Default 0 (ovs-kernel); poll profiles: "
                  "fitted on Zhang et al. 2019, OVS-DPDK loopback 1 VNF 64 B (helper/preset.cc).",
                  DoubleValue(0),
                  MakeDoubleAccessor(
                      &VirtualSwitch::SetCoreParameter<double, &P::modifiedLineCycles>,
                      &VirtualSwitch::GetCoreParameter<double, &P::modifiedLineCycles>),
                  MakeDoubleChecker<double>(0))
              .AddAttribute("UplinkQueueSize",
                            "Frames from the uplink waiting for their core (the NIC RX ring the "
                            "host polls or is interrupted for). Estimate: 1024, mlx5's default "
                            "ring size. Takes effect when set, while the queue is empty (aborts "
                            "otherwise: set it before traffic).",
                            UintegerValue(1024),
                            MakeUintegerAccessor(&VirtualSwitch::SetUplinkQueueSize,
                                                 &VirtualSwitch::GetUplinkQueueSize),
                            MakeUintegerChecker<uint32_t>(1, 65536))
              .AddAttribute("Learning", "Learn source MAC addresses (OVS NORMAL action)",
                            BooleanValue(true), MakeBooleanAccessor(&VirtualSwitch::m_learning),
                            MakeBooleanChecker())
              .AddAttribute(
                  "MacAgingTime", "Lifetime of a learned entry (OVS mac-aging-time default 300 s)",
                  TimeValue(Seconds(300)),
                  MakeTimeAccessor(&VirtualSwitch::SetAgingTime, &VirtualSwitch::GetAgingTime),
                  MakeTimeChecker(Time(0)))
              .AddTraceSource("Forward",
                              "A frame output to a port: payload, input port, output port",
                              MakeTraceSourceAccessor(&VirtualSwitch::m_forwardTrace),
                              "ns3::VirtualSwitch::ForwardTracedCallback")
              .AddTraceSource("Drop", "A frame dropped by the switch: payload, port, reason name",
                              MakeTraceSourceAccessor(&VirtualSwitch::m_dropTrace),
                              "ns3::VirtualSwitch::DropTracedCallback")
              .AddTraceSource("Batch",
                              "A core started a batch: core, port, frames, processing time",
                              MakeTraceSourceAccessor(&VirtualSwitch::m_batchTrace),
                              "ns3::VirtualSwitch::BatchTracedCallback");
    return tid;
}

VirtualSwitch::VirtualSwitch()
    : m_learning(true)
    , m_vhostWorkers(true)
    , m_context(Simulator::NO_CONTEXT)
    , m_uplinkPort(PORT_NONE)
    , m_uplinkRepresentor(PORT_NONE)
    , m_nRepresentors(0)
    , m_upcallCoreTime(Time(0))
    , m_drops{}
{
    NS_LOG_FUNCTION(this);
    m_scheduler.SetClient(this, &m_batchTrace);
}

VirtualSwitch::~VirtualSwitch() = default;

void
VirtualSwitch::NotifyConstructionCompleted()
{
    NS_LOG_FUNCTION(this);
    m_channel = CreateObject<DeviceListChannel>();
    VirtioBackend::NotifyConstructionCompleted();
}

void
VirtualSwitch::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_scheduler.Dispose();
    for (auto& p : m_ports)
    {
        if (p.worker)
        {
            p.worker->Dispose();
            p.worker = nullptr;
        }
        if (p.vm)
        {
            p.vm->AttachBackend(nullptr, 0);
        }
        p.vm = nullptr;
        p.uplink = nullptr;
    }
    m_ports.clear();
    m_representors.clear();
    m_uplinkQueue.Clear();
    m_extraUplinkQueues.clear();
    m_uplinkPorts.clear();
    m_table.Clear();
    m_channel = nullptr;
    VirtioBackend::DoDispose();
}

void
VirtualSwitch::SetNCores(uint32_t n)
{
    NS_LOG_FUNCTION(this << n);
    m_scheduler.SetNCores(n); // aborts if a core is working
}

void
VirtualSwitch::SetMode(Mode mode)
{
    NS_LOG_FUNCTION(this << mode);
    m_scheduler.GetParameters().poll = mode == POLL;
    PollUplink();
    UpdateWorkers();
}

uint32_t
VirtualSwitch::AddPort(Ptr<VirtioNetDevice> device)
{
    NS_LOG_FUNCTION(this << device);
    NS_ABORT_MSG_IF(!device, "VirtualSwitch::AddPort: null device");
    NS_ABORT_MSG_IF(device->GetBackend(), "VirtualSwitch::AddPort: device already has a backend");
    uint32_t index = m_scheduler.AddPort(&device->GetTxQueue());
    Port p;
    p.vm = device;
    m_ports.push_back(p);
    m_touched.reserve(m_ports.size());
    device->AttachBackend(this, index);
    m_channel->Add(device);
    UpdateWorkers();
    return index;
}

uint32_t
VirtualSwitch::GetNPorts() const
{
    return m_ports.size();
}

Ptr<VirtioNetDevice>
VirtualSwitch::GetPortDevice(uint32_t port) const
{
    return m_ports.at(port).vm;
}

NetDeviceContainer
VirtualSwitch::GetDevices() const
{
    NetDeviceContainer c;
    for (const auto& p : m_ports)
    {
        if (p.vm)
        {
            c.Add(p.vm);
        }
    }
    return c;
}

uint32_t
VirtualSwitch::GetPortCore(uint32_t port) const
{
    NS_ABORT_MSG_IF(port >= m_ports.size(), "VirtualSwitch::GetPortCore: no port " << port);
    return m_scheduler.GetPortCore(port);
}

void
VirtualSwitch::SetAgingTime(Time agingTime)
{
    NS_LOG_FUNCTION(this << agingTime);
    m_table.SetAgingTime(agingTime);
}

Time
VirtualSwitch::GetAgingTime() const
{
    return m_table.GetAgingTime();
}

uint32_t
VirtualSwitch::GetNCores() const
{
    return m_scheduler.GetNCores();
}

VirtualSwitch::Mode
VirtualSwitch::GetMode() const
{
    return m_scheduler.GetParameters().poll ? POLL : INTERRUPT;
}

Time
VirtualSwitch::CyclesToTime(double cycles) const
{
    return m_scheduler.CyclesToTime(cycles);
}

Time
VirtualSwitch::GetElapsed() const
{
    return m_scheduler.GetElapsed();
}

Time
VirtualSwitch::GetUsefulTime(uint32_t core) const
{
    return m_scheduler.GetUsefulTime(core);
}

Time
VirtualSwitch::GetBusyTime(uint32_t core) const
{
    return m_scheduler.GetBusyTime(core);
}

double
VirtualSwitch::GetUtilization(uint32_t core) const
{
    return m_scheduler.GetUtilization(core);
}

const VirtualSwitch::CoreStats&
VirtualSwitch::GetCoreStats(uint32_t core) const
{
    return m_scheduler.GetCoreStats(core);
}

uint64_t
VirtualSwitch::GetCoreQueueDrops(uint32_t core) const
{
    uint64_t n = 0;
    for (uint32_t port : m_scheduler.GetCorePorts(core))
    {
        const Port& p = m_ports[port];
        if (p.worker)
        {
            continue; // its worker serves it, not the core
        }
        n += p.vm ? p.vm->GetDrops(VirtioNetDevice::DROP_TX_QUEUE_FULL) : p.uplinkQueueDrops;
    }
    return n;
}

const VirtualSwitch::Counters&
VirtualSwitch::GetCounters() const
{
    return m_counters;
}

uint64_t
VirtualSwitch::GetDrops(DropReason reason) const
{
    return m_drops[reason];
}

uint64_t
VirtualSwitch::GetTotalDrops() const
{
    uint64_t n = 0;
    for (uint64_t d : m_drops)
    {
        n += d;
    }
    return n;
}

void
VirtualSwitch::ResetStatistics()
{
    NS_LOG_FUNCTION(this);
    m_scheduler.ResetStatistics();
    for (auto& p : m_ports)
    {
        if (p.worker)
        {
            p.worker->ResetStatistics();
        }
    }
    m_counters = Counters();
    std::fill(std::begin(m_drops), std::end(m_drops), 0);
}

// ---- Backend interface ----

Ptr<Channel>
VirtualSwitch::GetChannel() const
{
    return m_channel;
}

// ---- Batches (VswitchCoreScheduler::Client) ----

void
VirtualSwitch::SetNode(Ptr<Node> node)
{
    NS_LOG_FUNCTION(this << node);
    m_context = node ? node->GetId() : Simulator::NO_CONTEXT;
    m_scheduler.SetContext(m_context);
    for (auto& p : m_ports)
    {
        if (p.worker)
        {
            p.worker->SetContext(m_context);
        }
    }
}

} // namespace ns3
