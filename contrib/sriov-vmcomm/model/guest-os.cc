/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The operating system of a VM as its network path sees it (see guest-os.h): stack costs per
 * packet, the vCPU's serialized work, halt and wake-up, interrupt delivery; or a DPDK guest.
 */
#include "guest-os.h"

#include "ns3-compat.h"
#include "ns3/boolean.h"
#include "ns3/enum.h"
#include "ns3/log.h"
#include "ns3/simulator.h"

#include <algorithm>

namespace ns3 {

NS_LOG_COMPONENT_DEFINE("GuestOs");
NS_OBJECT_ENSURE_REGISTERED(GuestOs);

TypeId
GuestOs::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::GuestOs")
              .SetParent<Object>()
              .SetGroupName("SriovVmcomm")
              .AddConstructor<GuestOs>()
              .AddAttribute(
                  "Stack",
                  "The guest's network stack: Kernel (Linux: system calls, UDP/TCP/IP, "
                  "interrupts and NAPI, a vCPU that halts when idle) or Dpdk (a poll mode "
                  "driver in a busy loop: no interrupts, no kernel stack, no halt)",
                  EnumValue(KERNEL), compat::MakeEnumAccessor(&GuestOs::m_stack),
                  MakeEnumChecker(KERNEL, "Kernel", DPDK, "Dpdk"))
              .AddAttribute("SyscallCost",
                            "vCPU time of a system call's entry and exit, paid once per packet "
                            "sent (sendto) and once per packet received (recvfrom). Source: Rizzo, "
                            "netmap, USENIX ATC 2012, Fig. 2: 96 ns of a 950 ns sendto() on a "
                            "2.93 GHz core; 100 ns (guests with Meltdown/Spectre mitigations pay "
                            "more: an estimate on the low side)",
                            TimeValue(NanoSeconds(100)), MakeTimeAccessor(&GuestOs::m_syscallCost),
                            MakeTimeChecker(Time(0)))
              .AddAttribute(
                  "TxStackCost",
                  "vCPU time of the transmit path per packet between the system call and "
                  "the NIC driver (UDP/TCP, IP, neighbour, queue disc, buffer "
                  "allocation). Source: Rizzo 2012, Fig. 2: of the 950 ns sendto(), about "
                  "600 ns are the protocol layers (the rest the system call and the "
                  "driver)",
                  TimeValue(NanoSeconds(600)), MakeTimeAccessor(&GuestOs::m_txStackCost),
                  MakeTimeChecker(Time(0)))
              .AddAttribute("RxStackCost",
                            "vCPU time of the receive path per packet between the NIC driver and "
                            "the socket's queue (buffer allocation, IP, UDP/TCP demultiplexing). "
                            "Estimate: the transmit path's 600 ns",
                            TimeValue(NanoSeconds(600)), MakeTimeAccessor(&GuestOs::m_rxStackCost),
                            MakeTimeChecker(Time(0)))
              .AddAttribute("SocketWakeupCost",
                            "vCPU time to wake the thread blocked on the socket and switch to it, "
                            "once per batch of packets the driver hands up. Estimate: 2 us, a "
                            "Linux wake-up and context switch (lmbench lat_ctx / lat_pipe: a few "
                            "microseconds per switch)",
                            TimeValue(MicroSeconds(2)),
                            MakeTimeAccessor(&GuestOs::m_socketWakeupCost),
                            MakeTimeChecker(Time(0)))
              .AddAttribute("HaltPollNs",
                            "KVM halt-polling window: after the guest halts an idle vCPU, KVM "
                            "polls this long for an event before it schedules the vCPU thread out "
                            "(module parameter halt_poll_ns, x86 default KVM_HALT_POLL_NS_DEFAULT "
                            "= 200000 ns, the ceiling of KVM's adaptive window); 0 = no polling",
                            TimeValue(MicroSeconds(200)), MakeTimeAccessor(&GuestOs::m_haltPoll),
                            MakeTimeChecker(Time(0)))
              .AddAttribute("PolledWakeupLatency",
                            "Wake-up of a halted vCPU within the halt-polling window: KVM's poll "
                            "loop sees the event and re-enters the guest. Estimate: 500 ns, one "
                            "VM exit/entry round trip (kvm-unit-tests vmexit 'vmcall': about 1,200 "
                            "cycles on Haswell/Broadwell Xeons at 2.2-2.6 GHz)",
                            TimeValue(NanoSeconds(500)),
                            MakeTimeAccessor(&GuestOs::m_polledWakeupLatency),
                            MakeTimeChecker(Time(0)))
              .AddAttribute("HaltWakeupLatency",
                            "Wake-up of a vCPU halted longer than HaltPollNs: its thread sleeps in "
                            "kvm_vcpu_block; the host wakes it (try_to_wake_up, context switch, "
                            "shallow C-state exit) and enters the guest. Estimate: 5 us (deeper "
                            "host C-states add tens of microseconds)",
                            TimeValue(MicroSeconds(5)),
                            MakeTimeAccessor(&GuestOs::m_haltWakeupLatency),
                            MakeTimeChecker(Time(0)))
              .AddAttribute("PostedInterruptLatency",
                            "Time from the MSI-X write at the root complex to the guest's handler "
                            "with VT-d posted interrupts (no VM exit). Estimate: 1 us (IRQ entry "
                            "in the guest)",
                            TimeValue(MicroSeconds(1)), MakeTimeAccessor(&GuestOs::m_postedLatency),
                            MakeTimeChecker(Time(0)))
              .AddAttribute("InjectedInterruptLatency",
                            "Time from the host's signal (virtio's irqfd; a VF's MSI-X without "
                            "posted interrupts) to the guest's handler when KVM injects it: the "
                            "IPI exits the running vCPU, KVM injects, re-enters. Estimate: 2 us, "
                            "two exit round trips and the eventfd hop (kvm-unit-tests vmexit "
                            "'ipi' and 'vmcall' orders)",
                            TimeValue(MicroSeconds(2)),
                            MakeTimeAccessor(&GuestOs::m_injectedLatency), MakeTimeChecker(Time(0)))
              .AddAttribute("VfInterruptDelivery",
                            "How a VF's MSI-X reaches the vCPU: Posted (VT-d posted interrupts, "
                            "no exit) or Injected (KVM injects it after an exit)",
                            EnumValue(POSTED), compat::MakeEnumAccessor(&GuestOs::m_vfDelivery),
                            MakeEnumChecker(POSTED, "Posted", INJECTED, "Injected"))
              .AddAttribute("KickCost",
                            "vCPU time of a virtio kick: an MMIO/PIO write that exits to KVM, "
                            "ioeventfd signals the backend. Estimate: 1.5 us, a VM exit round trip "
                            "with the eventfd (kvm-unit-tests vmexit 'mmio-wildcard-eventfd' "
                            "order). Paid only when the backend sleeps on the queue",
                            TimeValue(NanoSeconds(1500)), MakeTimeAccessor(&GuestOs::m_kickCost),
                            MakeTimeChecker(Time(0)))
              .AddAttribute("PmdTxCost",
                            "Stack=Dpdk: vCPU time per sent packet of the poll mode driver and the "
                            "application (descriptor, burst bookkeeping). Estimate: 40 ns, about "
                            "100 cycles at 2.5 GHz",
                            TimeValue(NanoSeconds(40)), MakeTimeAccessor(&GuestOs::m_pmdTxCost),
                            MakeTimeChecker(Time(0)))
              .AddAttribute("PmdRxCost",
                            "Stack=Dpdk: vCPU time per received packet of the poll mode driver and "
                            "the application. Estimate: 40 ns, about 100 cycles at 2.5 GHz",
                            TimeValue(NanoSeconds(40)), MakeTimeAccessor(&GuestOs::m_pmdRxCost),
                            MakeTimeChecker(Time(0)))
              .AddAttribute("PmdWritesFrames",
                            "Stack=Dpdk: the application writes each frame it sends just before "
                            "sending it, as a forwarder (l2fwd) rewriting the header, so the "
                            "frame's header line is Modified in the vCPU's core cache when the "
                            "switch copies it (VirtualSwitch ModifiedLineCycles). Default false: "
                            "frames prepared beforehand, as a packet generator's. A kernel "
                            "guest's stack always writes the headers.",
                            BooleanValue(false), MakeBooleanAccessor(&GuestOs::m_pmdWritesFrames),
                            MakeBooleanChecker());
    return tid;
}

GuestOs::GuestOs()
    : m_stack(KERNEL)
    , m_vfDelivery(POSTED)
    , m_pmdWritesFrames(false)
{
    NS_LOG_FUNCTION(this);
}

GuestOs::~GuestOs() = default;

GuestOs::Stack
GuestOs::GetStack() const
{
    return m_stack;
}

const GuestOs::Counters&
GuestOs::GetCounters() const
{
    return m_counters;
}

Time
GuestOs::Run(Time start, Time work)
{
    m_busyUntil = std::max(start, m_busyUntil) + work;
    return m_busyUntil;
}

Time
GuestOs::Send(Time driverCost)
{
    NS_LOG_FUNCTION(this << driverCost);
    ++m_counters.txPackets;
    return Run(Simulator::Now(), GetTxCost(driverCost));
}

Time
GuestOs::Kick(Time at)
{
    NS_LOG_FUNCTION(this << at);
    ++m_counters.kicks;
    return Run(at, m_kickCost);
}

Time
GuestOs::WakeupAt(Time at)
{
    if (m_stack == DPDK || at <= m_busyUntil)
    {
        return Time(0); // the vCPU is running (a PMD always is)
    }
    // Idle since m_busyUntil: the guest halted then, and KVM polled for HaltPollNs.
    if (at - m_busyUntil <= m_haltPoll)
    {
        ++m_counters.polledWakeups;
        return m_polledWakeupLatency;
    }
    ++m_counters.haltWakeups;
    return m_haltWakeupLatency;
}

Time
GuestOs::Interrupt(Time at, InterruptKind kind, Time work)
{
    NS_LOG_FUNCTION(this << at << kind << work);
    ++m_counters.interrupts;
    m_lastWakeup = WakeupAt(at);
    return Run(at + m_lastWakeup + GetInterruptLatency(kind), work);
}

} // namespace ns3
