/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The operating system of a VM as its network path sees it: the CPU time of its network stack
 * per packet, its vCPU (serialized work, halt when idle, wake-up with KVM halt-polling) and the
 * delivery of interrupts into it; or a DPDK guest (poll mode driver, no interrupts, no stack).
 */
#ifndef GUEST_OS_H
#define GUEST_OS_H

#include "ns3/nstime.h"
#include "ns3/object.h"

#include <cstdint>

namespace ns3 {

/**
 * \ingroup sriov-vmcomm
 * \brief The guest operating system of a VM and the vCPU its network path runs on: one object
 * per VM, aggregated to the VM's Node (SriovHelper and VswitchHelper create it, GuestHelper
 * configures it), used by every guest NIC of the VM (VfNetDevice, VirtioNetDevice).
 *
 * Two kinds of guest (attribute Stack):
 * - Kernel: a Linux guest. A packet sent pays the system call and the UDP/TCP/IP transmit path
 *   before the NIC driver's own work (GetTxCost); a packet received pays the driver, the receive
 *   path (IP, UDP, socket queue) and the receiving thread's system call, and each batch of
 *   received packets wakes the receiving thread once (SocketWakeupCost). Interrupts reach the
 *   vCPU as posted interrupts (a VF with VT-d posted interrupts: no VM exit) or injected by KVM
 *   (virtio's irqfd; a VF without posted interrupts) after a VM exit. A vCPU with nothing to do
 *   halts; KVM polls for HaltPollNs before it schedules the vCPU thread out, so an interrupt
 *   within the poll window costs PolledWakeupLatency and later ones HaltWakeupLatency.
 * - Dpdk: a poll mode driver in a busy loop: no interrupts, no kernel stack, no halt; each
 *   packet costs PmdTxCost or PmdRxCost on the vCPU.
 *
 * All the work is serialized on one vCPU (the VM's network path is assumed single-queue): a
 * packet sent while the vCPU handles a receive waits for it, and the reverse. The model only
 * computes instants: it schedules no event of its own.
 */
class GuestOs : public Object
{
  public:
    /** The guest's network stack. */
    enum Stack
    {
        KERNEL = 0, //!< Linux kernel stack, interrupt driven (NAPI)
        DPDK = 1    //!< DPDK poll mode driver in the guest
    };

    /** How an interrupt reaches the vCPU. */
    enum InterruptKind
    {
        POSTED = 0,  //!< VT-d posted interrupt (a VF's MSI-X): no VM exit
        INJECTED = 1 //!< injected by KVM after a VM exit (irqfd of virtio; a VF without VT-d PI)
    };

    /** What the guest paid, counted per packet, batch and interrupt. */
    struct Counters
    {
        uint64_t txPackets{0};     //!< packets sent (each paid the TX path once)
        uint64_t rxPackets{0};     //!< packets received (each paid the RX path once)
        uint64_t socketWakeups{0}; //!< wake-ups of the receiving thread (one per batch)
        uint64_t interrupts{0};    //!< interrupts delivered to the vCPU
        uint64_t haltWakeups{0};   //!< interrupts that found the vCPU halted past the poll window
        uint64_t polledWakeups{0}; //!< interrupts that found the vCPU in KVM's halt-polling
        uint64_t kicks{0};         //!< VM exits to notify a backend (virtio kicks)
    };

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    GuestOs();
    ~GuestOs() override;

    /** \return the guest's stack */
    Stack GetStack() const;
    /** \return true for a DPDK guest: it polls, takes no interrupts and has no kernel stack */
    bool IsPolling() const
    {
        return m_stack == DPDK;
    }
    /**
     * \return true if the guest writes each frame it sends just before sending it (a kernel
     * stack builds the headers; a DPDK application if PmdWritesFrames, as a forwarder rewriting
     * the header): the frame's header line is then Modified in the vCPU's core cache
     */
    bool WritesFrames() const
    {
        return m_stack == KERNEL || m_pmdWritesFrames;
    }

    /**
     * \brief A packet is sent now: the stack's TX path (kernel: system call + UDP/IP; DPDK: the
     * PMD's TX cost) and, in a kernel guest, the NIC driver's \p driverCost run on the vCPU
     * after the work it already has.
     * \param driverCost the kernel NIC driver's time per sent frame
     * \return the instant the driver has posted the frame (doorbell, virtqueue publish)
     */
    Time Send(Time driverCost);
    /**
     * \brief The guest notifies its backend (a virtio kick): a VM exit on the vCPU.
     * \param at the instant the frame is published
     * \return the instant the vCPU is back in the guest
     */
    Time Kick(Time at);
    /**
     * \brief An interrupt reaches the VM at \p at: wake the vCPU if it is halted, deliver the
     * interrupt, then run \p work (the handler, the first packet's receive, the thread's wake-up)
     * after whatever the vCPU is doing.
     * \param at instant the interrupt is raised (the MSI-X write lands, the irqfd is signalled)
     * \param kind posted or injected
     * \param work vCPU time of what the interrupt starts
     * \return the instant \p work is done
     */
    Time Interrupt(Time at, InterruptKind kind, Time work);
    /**
     * \brief Run \p work on the vCPU, from \p start or once the vCPU is free.
     * \param start earliest start \param work duration
     * \return the instant it is done
     */
    Time Run(Time start, Time work);
    /**
     * \param driverCost the kernel NIC driver's time per received frame
     * \return vCPU time per received packet: kernel: driver + RX path + the reader's system
     * call; DPDK: PmdRxCost
     */
    Time GetRxCost(Time driverCost) const
    {
        return m_stack == DPDK ? m_pmdRxCost : driverCost + m_rxStackCost + m_syscallCost;
    }
    /**
     * \param driverCost the kernel NIC driver's time per sent frame
     * \return vCPU time per sent packet (as Send() charges it)
     */
    Time GetTxCost(Time driverCost) const
    {
        return m_stack == DPDK ? m_pmdTxCost : m_syscallCost + m_txStackCost + driverCost;
    }
    /** \return the receiving thread's wake-up, paid once per batch (0 for DPDK) */
    Time GetSocketWakeupCost() const
    {
        return m_stack == DPDK ? Time(0) : m_socketWakeupCost;
    }
    /**
     * \brief Count packets received (their cost is in the instants the caller computed with
     * GetRxCost) and, if \p wakeup, one wake-up of the receiving thread.
     * \param packets packets handed to the stack \param wakeup the batch woke the reader
     */
    void CountReceived(uint32_t packets, bool wakeup)
    {
        m_counters.rxPackets += packets;
        m_counters.socketWakeups += wakeup && m_stack == KERNEL;
    }
    /** \return the time the last interrupt's wake-up took (0 if the vCPU was running) */
    Time GetLastWakeup() const
    {
        return m_lastWakeup;
    }
    /** \return the delivery latency of an interrupt of \p kind \param kind posted or injected */
    Time GetInterruptLatency(InterruptKind kind) const
    {
        return kind == POSTED ? m_postedLatency : m_injectedLatency;
    }
    /** \return how a VF's MSI-X reaches this guest (attribute VfInterruptDelivery) */
    InterruptKind GetVfInterruptDelivery() const
    {
        return m_vfDelivery;
    }
    /** \return counters */
    const Counters& GetCounters() const;

  private:
    /**
     * \param at instant an interrupt arrives
     * \return the wake-up the vCPU needs then (0 if it is running)
     */
    Time WakeupAt(Time at);

    // Attributes
    Stack m_stack;              //!< kernel or DPDK
    Time m_syscallCost;         //!< system call entry and exit
    Time m_txStackCost;         //!< UDP/TCP/IP transmit path
    Time m_rxStackCost;         //!< IP/UDP/TCP receive path up to the socket queue
    Time m_socketWakeupCost;    //!< wake-up of the blocked receiving thread
    Time m_haltPoll;            //!< KVM halt-polling window
    Time m_polledWakeupLatency; //!< wake-up within the window
    Time m_haltWakeupLatency;   //!< wake-up of a halted vCPU thread
    Time m_postedLatency;       //!< posted-interrupt delivery
    Time m_injectedLatency;     //!< KVM-injected interrupt delivery
    InterruptKind m_vfDelivery; //!< a VF's MSI-X: posted or injected
    Time m_kickCost;            //!< VM exit of a virtio notify
    Time m_pmdTxCost;           //!< DPDK PMD time per sent packet
    Time m_pmdRxCost;           //!< DPDK PMD time per received packet
    bool m_pmdWritesFrames;     //!< the DPDK application writes each frame it sends

    Time m_busyUntil;    //!< the vCPU has work until then; idle (halted) after
    Time m_lastWakeup;   //!< wake-up paid by the last interrupt
    Counters m_counters; //!< counters
};

} // namespace ns3

#endif /* GUEST_OS_H */
