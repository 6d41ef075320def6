/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef VIRTIO_NET_DEVICE_H
#define VIRTIO_NET_DEVICE_H

#include "guest-net-device.h"
#include "guest-os.h"
#include "nic-frame.h"
#include "ns3/channel.h"
#include "ns3/event-id.h"
#include "ns3/mac48-address.h"
#include "ns3/net-device.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/packet.h"
#include "ns3/traced-callback.h"
#include "virtio-backend.h"
#include "virtqueue.h"

#include <vector>

namespace ns3 {

class NetDeviceQueueInterface;

/**
 * \ingroup sriov-vmcomm
 * \brief A paravirtual (virtio-net) guest NIC: an Ethernet ns3::NetDevice whose TX and RX
 * virtqueues are shared with a host backend (vhost-net in the kernel, or a vhost-user switch).
 *
 * The VM's GuestOs (aggregated to its Node; a default one is aggregated at first use if there is
 * none) holds what is not the driver's: the stack's cost per packet, the vCPU (serialized work,
 * halt and wake-up), the kick's VM exit, the interrupt's injection, and whether the guest runs a
 * kernel driver (interrupts, then NAPI) or a DPDK virtio PMD (a busy loop, no interrupts).
 *
 * TX: the guest's stack and the driver (GuestTxCost per frame) run on the vCPU, then the frame is
 * published in the TX virtqueue and, if the backend sleeps on the queue, the guest kicks it: a
 * VM exit (GuestOs KickCost). A polling backend asks for no kicks. A full TX virtqueue drops the
 * frame (tx-virtqueue-full); with a NetDeviceQueueInterface aggregated (VswitchHelper does it) the
 * device stops the stack's queue when the ring fills and wakes it once the backend has freed
 * descriptors, as Linux virtio-net does, so a queue disc holds the excess instead.
 *
 * RX: the backend copies a frame into a posted RX buffer (none free: rx-virtqueue-full) and,
 * after each batch, notifies the guest. A kernel guest takes an interrupt (irqfd, injected by
 * KVM: GuestOs InjectedInterruptLatency, after waking a halted vCPU) unless it is already
 * polling (NAPI: interrupts stay off while it polls, NapiBudget frames per round, each paying
 * GuestRxCost and the guest's stack; the batch wakes the receiving thread once); a DPDK guest's
 * loop sees frames without interrupts (PmdRxCost each).
 *
 * Each delivered frame fires RxLatency with a LatencyBreakdown: guest = driver time and waits
 * in the guest, interrupt = guest kick exit + host-to-guest notification, nic = time in the
 * virtual switch (wait for a core, processing), pcie = iommu = 0.
 */
class VirtioNetDevice : public GuestNetDevice
{
  public:
    /** Why the device dropped a frame. */
    enum DropReason
    {
        DROP_TX_QUEUE_FULL = 0, //!< the TX virtqueue was full when the stack sent
        DROP_RX_QUEUE_FULL,     //!< the backend found no free RX buffer
        DROP_FRAME_TOO_LARGE,   //!< payload larger than the MTU
        DROP_NO_BACKEND,        //!< sent before the device was attached to a backend
        DROP_REASONS            //!< number of reasons
    };

    /** Per-device counters. */
    struct Counters
    {
        uint64_t txFrames{0};   //!< frames published in the TX virtqueue
        uint64_t rxFrames{0};   //!< frames handed to the guest's stack
        uint64_t kicks{0};      //!< guest-to-host notifications (VM exits)
        uint64_t interrupts{0}; //!< host-to-guest notifications (RX and TX interrupts)
        uint64_t polls{0};      //!< guest RX polls that found frames
        uint64_t queueStops{0}; //!< times the stack's TX queue was stopped (ring full)
    };

    /**
     * \param reason a drop reason
     * \return its name ("tx-virtqueue-full", ...), as in the results database
     */
    static const char* GetDropReasonName(DropReason reason);

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    /**
     * TracedCallback signature of the Drop trace.
     * \param packet the frame's payload
     * \param reason the reason's name
     */
    typedef void (*DropTracedCallback)(Ptr<const Packet> packet, const char* reason);
    /**
     * TracedCallback signature of the RxLatency trace (the same as VfNetDevice's).
     * \param packet the frame handed to the stack
     * \param latency where its one-way latency went
     */
    typedef void (*RxLatencyTracedCallback)(Ptr<const Packet> packet,
                                            const LatencyBreakdown& latency);

    VirtioNetDevice();
    ~VirtioNetDevice() override;

    /**
     * \brief Connect the device to its host backend (done by VirtualSwitch::AddPort).
     * \param backend the backend, or null to detach
     * \param port the device's port number on the backend
     */
    void AttachBackend(Ptr<VirtioBackend> backend, uint32_t port);
    /** \return the backend (may be null) */
    Ptr<VirtioBackend> GetBackend() const;
    /** \return the device's port number on its backend */
    uint32_t GetBackendPort() const;

    /** \name Backend side (vhost): what the host touches in the shared rings
     * @{ */
    /** \return the TX virtqueue: the backend takes frames and releases them */
    Virtqueue& GetTxQueue();
    /**
     * \brief The backend has released TX descriptors (after copying their frames): the guest may
     * reuse them. Wakes the stack's stopped queue, after a TX interrupt in Interrupt mode.
     */
    void TxReleased();
    /**
     * \brief The backend copies a frame into the next posted RX buffer.
     * \param frame the frame (copied into the ring)
     * \return false if no RX buffer was free: dropped and counted (rx-virtqueue-full)
     */
    bool DeliverFromHost(const VswitchFrame& frame);
    /**
     * \brief The backend has finished a batch of DeliverFromHost(): signal the guest (an
     * interrupt if it has them enabled; a polling guest just sees the frames).
     */
    void NotifyGuest();
    /** @} */

    /** \return the RX virtqueue (for tests and statistics) */
    const Virtqueue& GetRxQueue() const;
    /** \return counters */
    const Counters& GetCounters() const;
    /** \param reason a reason \return frames dropped for it */
    uint64_t GetDrops(DropReason reason) const;
    /** \return frames dropped for any reason */
    uint64_t GetTotalDrops() const;
    /** \return sum of the latency breakdowns of the frames delivered so far */
    const LatencyBreakdown& GetLatencySum() const;
    /** \return true if the guest polls (a DPDK virtio PMD): no interrupts */
    bool IsPolling();

    // NetDevice
    Ptr<Channel> GetChannel() const override;
    bool Send(Ptr<Packet> packet, const Address& dest, uint16_t protocolNumber) override;
    bool SendFrom(Ptr<Packet> packet, const Address& source, const Address& dest,
                  uint16_t protocolNumber) override;

  protected:
    void DoDispose() override;
    void NotifyNewAggregate() override;
    void NotifyConstructionCompleted() override;

  private:
    /**
     * \brief Count a drop and fire the Drop trace.
     * \param packet the frame's payload \param reason why
     */
    void CountDrop(Ptr<const Packet> packet, DropReason reason);
    /** \brief Guest driver: take the RX frames that are ready, up to the budget. */
    void GuestPoll();
    /** \brief Guest driver: hand the frames of the last poll to the stack, then poll again. */
    void GuestDeliver();
    /** \brief Guest driver: deliver one RX entry. \param f the entry */
    void GuestReceive(VswitchFrame& f);
    /** \brief TX interrupt (or poll): wake the stack's queue. */
    void WakeTxQueue();
    /**
     * \brief Build the Ethernet frame for the sniffers.
     * \param f the frame \return payload with its Ethernet header
     */
    Ptr<Packet> MakeEthernetFrame(const VswitchFrame& f) const;
    /** \return the VM's guest OS (aggregated to the node at first use if it has none) */
    GuestOs* GetGuest();

    Ptr<VirtioBackend> m_backend;                  //!< host side
    Ptr<NetDeviceQueueInterface> m_queueInterface; //!< stack flow control (may be null)
    uint32_t m_port;                               //!< port on the backend

    // Attributes
    uint32_t m_txQueueSize; //!< TX virtqueue descriptors
    uint32_t m_rxQueueSize; //!< RX virtqueue descriptors (posted buffers)
    Time m_guestTxCost;     //!< guest driver time per sent frame
    Time m_guestRxCost;     //!< guest driver time per received frame
    uint32_t m_napiBudget;  //!< frames per poll round

    Virtqueue m_tx;                 //!< TX virtqueue
    Virtqueue m_rx;                 //!< RX virtqueue (used buffers not yet handed to the stack)
    Ptr<GuestOs> m_guest;           //!< the VM's guest OS (resolved at first use)
    bool m_pollWakes;               //!< the next RX round follows an interrupt: wakes a reader
    bool m_rxActive;                //!< interrupt in flight or guest polling (no interrupts wanted)
    uint32_t m_rxUnsignalled;       //!< RX entries since the last NotifyGuest()
    bool m_txStopped;               //!< the stack's queue is stopped
    EventId m_rxEvent;              //!< pending interrupt handler or delivery
    EventId m_txWakeEvent;          //!< pending TX interrupt
    Counters m_counters;            //!< counters
    uint64_t m_drops[DROP_REASONS]; //!< drop counters
    LatencyBreakdown m_latencySum;  //!< sum over delivered frames

    TracedCallback<Ptr<const Packet>> m_macTxTrace;             //!< frame from the stack
    TracedCallback<Ptr<const Packet>> m_macTxDropTrace;         //!< frame dropped at send
    TracedCallback<Ptr<const Packet>> m_macRxTrace;             //!< frame to the stack
    TracedCallback<Ptr<const Packet>> m_snifferTrace;           //!< Ethernet frames, TX and RX
    TracedCallback<Ptr<const Packet>> m_promiscSnifferTrace;    //!< same, promiscuous
    TracedCallback<Ptr<const Packet>, const char*> m_dropTrace; //!< any drop, with reason
    TracedCallback<Time> m_kickTrace;                           //!< a kick, with its ready instant
    TracedCallback<Ptr<const Packet>, const LatencyBreakdown&> m_rxLatencyTrace; //!< per frame
};

} // namespace ns3

#endif /* VIRTIO_NET_DEVICE_H */
