/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * An SR-IOV virtual function as its VM sees it: the ns3::NetDevice and its guest driver (TX fill,
 * NAPI poll, RX build); the VF hardware is VirtualFunction.
 */
#ifndef VF_NET_DEVICE_H
#define VF_NET_DEVICE_H

#include "descriptor-ring.h"
#include "guest-net-device.h"
#include "guest-os.h"
#include "nic-frame.h"
#include "ns3/event-id.h"
#include "ns3/mac48-address.h"
#include "ns3/net-device.h"
#include "ns3/traced-callback.h"
#include "packet-tag-copier.h"
#include "vf-dma-step.h"

#include <memory>
#include <utility>
#include <vector>

namespace ns3 {

class MemoryDomain;
class SriovNic;
class VirtualFunction;

/**
 * \ingroup sriov-vmcomm
 * \brief An SR-IOV virtual function as its VM sees it: an Ethernet ns3::NetDevice with TX and RX
 * descriptor rings in the VM's memory, a doorbell, MSI-X with interrupt coalescing, and the
 * guest driver that serves them (NAPI-style polling after an interrupt).
 *
 * This class is the driver side: the guest fills TX descriptors and rings the doorbell, and
 * after an MSI-X interrupt polls the RX ring (NAPI) and hands the frames to its stack. The VF's
 * hardware is a VirtualFunction (TX fetch, RX descriptor cache, completion, MSI-X coalescing;
 * attribute VirtualFunction), the forwarding its NIC's NicForwarder. The eleven steps of the
 * patent fire this device's trace sources Step<N><Name> wherever they run: AssignAddress (1),
 * ProvideMappingTable (2), FetchTxFrame (3), LookUpDestination (4), SendLengthToPeer (5),
 * ProvideRxBufferAddress (6, on the destination VF), StartDmaWrite (7), TranslateWrite (8),
 * WriteIntoDestination (9), NotifyTransferDone (10), NotifyGuest (11, on the destination VF).
 * A trace fires when its step completes in simulated time.
 *
 * Descriptors are 16 bytes in guest memory (DescriptorRing).
 *
 * The VM's GuestOs (aggregated to its Node) holds what is not the driver's: the stack's cost
 * per packet, the vCPU's halt and wake-up, the interrupt's delivery, or a DPDK guest's polling
 * (no MSI-X: the poll loop sees each write-back). A VF on a node without a GuestOs that has a
 * Host aggregated (the host's PF) is driven by the host kernel: its driver's cost only, the
 * interrupt entry within it. Any other node gets a default GuestOs aggregated at first use.
 */
class VfNetDevice : public GuestNetDevice
{
  public:
    /** Per-VF counters. */
    struct Counters
    {
        uint64_t txFrames{0};   //!< frames the guest handed to the VF
        uint64_t rxFrames{0};   //!< frames delivered to the guest's stack
        uint64_t interrupts{0}; //!< MSI-X messages sent
        uint64_t polls{0};      //!< NAPI polls run
    };

    /**
     * TracedCallback signature of the Step<N><Name> trace sources.
     * \param step the step as it completed
     */
    typedef void (*StepTracedCallback)(const VfDmaStep& step);

    /**
     * TracedCallback signature of the RxLatency trace source.
     * \param packet the frame as handed to the stack
     * \param latency where its one-way latency went
     */
    typedef void (*RxLatencyTracedCallback)(Ptr<const Packet> packet,
                                            const LatencyBreakdown& latency);

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    VfNetDevice();
    ~VfNetDevice() override;

    /**
     * \brief Connect the VF to its NIC and its VM's memory, allocate and post the rings.
     * \param nic the NIC
     * \param index VF index on the NIC
     * \param memory the VM's memory
     */
    void Attach(Ptr<SriovNic> nic, uint32_t index, Ptr<MemoryDomain> memory);

    /** \return the VF index on its NIC */
    uint32_t GetVfIndex() const;
    /** \return the NIC */
    Ptr<SriovNic> GetNic() const;
    /** \return the VM memory the VF's rings and buffers live in */
    Ptr<MemoryDomain> GetMemory() const;
    /** \return size of the VM's RX buffers, bytes: the largest frame it can receive */
    uint32_t GetRxBufferBytes() const;
    /** \return counters */
    const Counters& GetCounters() const;
    /**
     * \return frames in the RX ring that the NIC completed and the guest has not handed to its
     * stack yet (at the end of a run: frames in flight in the guest's RX ring)
     */
    uint32_t GetRxRingBacklog() const;
    /** \return sum of the latency breakdowns of the frames delivered so far */
    const LatencyBreakdown& GetLatencySum() const;

    /** \return the VF's hardware (its steps' trace sources are this device's) */
    Ptr<VirtualFunction> GetFunction() const;
    /**
     * \brief A poll mode driver on the host side owns this device (a PF that a DPDK switch's
     * PMD polls): the queue sends no MSI-X, the poll loop sees each write-back when it lands,
     * as in a DPDK guest. Off by default (the host kernel's interrupt-driven driver).
     * \param polled true: the host's poll mode driver
     */
    void SetHostPolled(bool polled);
    /** \return the simulator context of the device's events (its VM node) */
    uint32_t GetEventContext() const
    {
        return GetContext();
    }

    /**
     * \brief The VF's MSI-X message reached the root complex at \p at (or, in a polling DPDK
     * guest, a write-back landed at \p at): after the vCPU's wake-up, the interrupt's delivery
     * (GuestOs) and the first packet's receive, poll the RX ring.
     * \param at instant the message (or write-back) lands
     */
    void Interrupt(Time at);

    // NetDevice
    Ptr<Channel> GetChannel() const override;
    bool Send(Ptr<Packet> packet, const Address& dest, uint16_t protocolNumber) override;
    bool SendFrom(Ptr<Packet> packet, const Address& source, const Address& dest,
                  uint16_t protocolNumber) override;

  protected:
    void DoDispose() override;
    void DoInitialize() override;

  private:
    /**
     * \brief Build and post a frame for the wire (the guest driver's transmit).
     * \param packet payload \param source source MAC \param dest destination MAC
     * \param protocolNumber EtherType \return false if dropped (ring full, too large)
     */
    bool DoSend(Ptr<Packet> packet, Mac48Address source, Mac48Address dest,
                uint16_t protocolNumber);
    /** \brief Guest driver: NAPI poll of the RX ring. */
    void GuestPoll();
    /**
     * \brief Guest driver: deliver one completed RX slot to the stack.
     * \param slot slot \param wakeup this packet woke the receiving thread (latency breakdown)
     */
    void GuestReceive(uint32_t slot, bool wakeup);
    /** \brief Guest driver: free TX slots whose write-back has landed. */
    void ReclaimTxSlots();
    /**
     * \return the VM's guest OS, or null for a host's own device (resolved at first use:
     * Attach, or the first packet)
     */
    GuestOs* GetGuest();
    /** \return vCPU time per received packet (driver, and the guest's stack) */
    Time RxCost();
    /** \param usecs MSI-X coalescing time (attribute CoalesceUsecs) */
    void SetCoalesceUsecs(Time usecs);
    /** \return MSI-X coalescing time */
    Time GetCoalesceUsecs() const;
    /** \param frames MSI-X coalescing frame count (attribute CoalesceFrames) */
    void SetCoalesceFrames(uint32_t frames);
    /** \return MSI-X coalescing frame count */
    uint32_t GetCoalesceFrames() const;
    /**
     * \param step 1..11
     * \return the traced callback of the step (it lives in the VF's hardware)
     */
    TracedCallback<const VfDmaStep&>& GetStepTrace(uint8_t step);

    friend class VfDmaStepTraceAccessor<VfNetDevice>; //!< reaches the step traces

    Ptr<SriovNic> m_nic;             //!< the NIC
    Ptr<VirtualFunction> m_function; //!< the VF's hardware
    Ptr<MemoryDomain> m_memory;      //!< the VM's memory
    uint32_t m_index;                //!< VF index

    // Attributes
    uint32_t m_txRingSize;     //!< TX descriptors
    uint32_t m_rxRingSize;     //!< RX descriptors
    uint32_t m_rxBufferBytes;  //!< RX buffer size
    Time m_coalesceUsecs;      //!< MSI-X coalescing time
    uint32_t m_coalesceFrames; //!< MSI-X coalescing frame count
    Time m_guestTxCost;        //!< guest driver time per sent frame
    Time m_guestRxCost;        //!< guest driver time per received frame
    uint32_t m_napiBudget;     //!< frames per poll

    // Rings in guest memory and the guest driver's indices
    DescriptorRing m_txRing;        //!< TX ring and buffers
    DescriptorRing m_rxRing;        //!< RX ring and buffers
    uint32_t m_txTail;              //!< next TX slot to fill
    uint32_t m_txHead;              //!< oldest TX slot in use
    uint32_t m_txInUse;             //!< TX slots in use
    uint32_t m_rxNextClean;         //!< next RX slot the guest polls
    std::vector<uint8_t> m_scratch; //!< guest copy buffer
    EventId m_pollEvent;            //!< scheduled NAPI poll
    bool m_pollWakes;               //!< the scheduled poll follows an interrupt: wakes a reader
    Ptr<GuestOs> m_guest;           //!< the VM's guest OS (null: the host's own device)
    bool m_guestResolved;           //!< m_guest looked up
    bool m_hostPolled;              //!< a host-side poll mode driver owns the device
    Time m_deferredPoll;            //!< handler time of an interrupt raised during a poll

    Counters m_counters;           //!< counters
    PacketTagCopier m_tagCopier;   //!< the sender's tags onto the rebuilt packets
    LatencyBreakdown m_latencySum; //!< sum over delivered frames

    TracedCallback<Ptr<const Packet>> m_macTxTrace;          //!< frame from the stack
    TracedCallback<Ptr<const Packet>> m_macTxDropTrace;      //!< frame dropped at send
    TracedCallback<Ptr<const Packet>> m_macRxTrace;          //!< frame to the stack
    TracedCallback<Ptr<const Packet>> m_snifferTrace;        //!< Ethernet frames, TX and RX
    TracedCallback<Ptr<const Packet>> m_promiscSnifferTrace; //!< same, promiscuous
    TracedCallback<Ptr<const Packet>, const LatencyBreakdown&> m_rxLatencyTrace; //!< per frame
};

} // namespace ns3

#endif /* VF_NET_DEVICE_H */
