/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef VF_NET_DEVICE_H
#define VF_NET_DEVICE_H

#include "guest-net-device.h"
#include "nic-frame.h"
#include "ns3/event-id.h"
#include "ns3/mac48-address.h"
#include "ns3/net-device.h"
#include "ns3/tag.h"
#include "ns3/traced-callback.h"

#include <memory>
#include <utility>
#include <vector>

namespace ns3 {

class DmaEngine;
class MemoryDomain;
class SriovNic;
class VfMappingTable;

/**
 * \ingroup sriov-vmcomm
 * \brief One step of patent US9483290B1's claim 1, as fired by the Step* trace sources.
 */
struct VfDmaStep
{
    uint8_t step;    //!< 1..11, DESIGN.md section 3
    uint64_t frame;  //!< frame number, unique in the host (0 for the setup steps 1 and 2)
    uint32_t srcVf;  //!< sending VF on its NIC (NicFrame::UPLINK for a frame from the wire)
    uint32_t dstVf;  //!< destination VF on its NIC
    uint64_t iova;   //!< address the step concerns (IO virtual)
    uint64_t hpa;    //!< host physical address (step 8 and 9), else 0
    uint32_t length; //!< bytes
    bool ok;         //!< false: the step failed (no RX buffer, IOMMU fault)
};

/**
 * \ingroup sriov-vmcomm
 * \brief An SR-IOV virtual function as its VM sees it: an Ethernet ns3::NetDevice with TX and RX
 * descriptor rings in the VM's memory, a doorbell, MSI-X with interrupt coalescing, and the
 * guest driver that serves them (NAPI-style polling after an interrupt).
 *
 * Both the guest side and the VF side of the patent's VF-to-VF DMA are here, each step a named
 * method in the order of DESIGN.md section 3, each firing its trace source Step<N><Name>:
 * AssignAddress (1), ProvideMappingTable (2), FetchTxFrame (3), LookUpDestination (4),
 * SendLengthToPeer (5), ProvideRxBufferAddress (6, on the destination VF), StartDmaWrite (7),
 * TranslateWrite (8), WriteIntoDestination (9), NotifyTransferDone (10), NotifyGuest (11, on the
 * destination VF). A trace fires when its step completes in simulated time.
 *
 * Descriptors are 16 bytes in guest memory: buffer address (8, little endian), length (2),
 * status (1: bit 0 descriptor done, bit 1 error), 5 reserved.
 */
class VfNetDevice : public GuestNetDevice
{
  public:
    /** How an MSI-X interrupt reaches the VM's vCPU. */
    enum InterruptDelivery
    {
        POSTED = 0, //!< posted interrupt (VT-d PI / APICv): no VM exit
        VM_EXIT = 1 //!< injected by the hypervisor after an exit
    };

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
    /**
     * \param at instant asked about
     * \return true if the VF holds a fetched, unused RX descriptor at \p at
     */
    bool HasFreeRxBuffer(Time at) const;
    /** \return counters */
    const Counters& GetCounters() const;
    /**
     * \return frames in the RX ring that the NIC completed and the guest has not handed to its
     * stack yet (at the end of a run: frames in flight in the guest's RX ring)
     */
    uint32_t GetRxRingBacklog() const;
    /** \return sum of the latency breakdowns of the frames delivered so far */
    const LatencyBreakdown& GetLatencySum() const;

    /** \name The patent's steps (DESIGN.md section 3)
     * @{ */
    /**
     * \brief Step 1: the PF gives the VF its network address.
     * \param address MAC address
     */
    void AssignAddress(Mac48Address address);
    /**
     * \brief Step 2: the PF provides the mapping table to the VF (and the IOMMU).
     * \param table the table
     */
    void ProvideMappingTable(Ptr<const VfMappingTable> table);
    /**
     * \brief Step 3: after the doorbell, DMA-read the TX descriptor and the frame it points to.
     * \param frame NIC record to fill
     * \param slot TX ring slot
     * \param doorbell instant the doorbell reaches the VF
     */
    void FetchTxFrame(NicFrame* frame, uint32_t slot, Time doorbell);
    /**
     * \brief Step 4: compare the destination address with the mapping table and dispatch.
     * \param frame the fetched frame
     */
    void LookUpDestination(NicFrame* frame);
    /**
     * \brief Step 5: tell the destination VF the frame length; it answers (step 6).
     * \param frame the frame, dstVf set
     * \param dst destination VF
     * \return false when the destination had no RX buffer (frame dropped or held)
     */
    bool SendLengthToPeer(NicFrame* frame, const Ptr<VfNetDevice>& dst);
    /**
     * \brief Step 6 (destination VF): hand out the address of the VM's next free RX buffer.
     * \param frame the frame; rxIova and rxSlot are set on success
     * \return false if no RX buffer is free (or the frame is larger than the buffer)
     */
    bool ProvideRxBufferAddress(NicFrame* frame);
    /**
     * \brief Step 7: start the second DMA operation, a write to the RX buffer's address.
     * \param frame the frame, rxIova set
     * \param dst destination VF
     */
    void StartDmaWrite(NicFrame* frame, const Ptr<VfNetDevice>& dst);
    /**
     * \brief Step 8: the IOMMU has translated the write (or faulted).
     * \param frame the frame
     * \param dst destination VF
     * \return false on a fault
     */
    bool TranslateWrite(NicFrame* frame, const Ptr<VfNetDevice>& dst);
    /**
     * \brief Step 9: the frame is written into the destination VM's memory.
     * \param frame the frame
     * \param dst destination VF
     */
    void WriteIntoDestination(NicFrame* frame, const Ptr<VfNetDevice>& dst);
    /**
     * \brief Step 10: notify the destination VF that the transfer is done.
     * \param frame the frame
     * \param dst destination VF
     */
    void NotifyTransferDone(NicFrame* frame, const Ptr<VfNetDevice>& dst);
    /**
     * \brief Step 11 (destination VF): write back the RX descriptor and raise MSI-X, subject to
     * coalescing; the guest driver then hands the frame to the stack.
     * \param frame the frame
     * \param at instant the VF learns the transfer is done
     */
    void NotifyGuest(NicFrame* frame, Time at);
    /** @} */

    /**
     * \brief Complete an RX slot with an error status (the write faulted), so that the guest
     * recycles the buffer.
     * \param frame the frame whose slot to complete
     */
    void CompleteWithError(NicFrame* frame);

    /**
     * \brief Fetch RX descriptors the guest posted (after its RX doorbell).
     * \param first first ring slot
     * \param count number of slots
     * \param doorbell instant the doorbell reaches the VF
     * \return instant the descriptors are in the VF
     */
    Time FetchRxDescriptors(uint32_t first, uint32_t count, Time doorbell);

    // NetDevice
    Ptr<Channel> GetChannel() const override;
    bool Send(Ptr<Packet> packet, const Address& dest, uint16_t protocolNumber) override;
    bool SendFrom(Ptr<Packet> packet, const Address& source, const Address& dest,
                  uint16_t protocolNumber) override;

  protected:
    void DoDispose() override;
    void DoInitialize() override;

  private:
    friend class VfNetDeviceTestAccess; //!< tests inject a driver bug (PostForeignRxBuffer)

    /**
     * \brief Replace the buffer address of the next RX descriptor the VF will use and make it
     * fetch the descriptor again: the guest driver "bug" a fault test needs (tests only).
     * \param iova address to post instead of the VM's own buffer
     */
    void PostForeignRxBuffer(uint64_t iova);

    static constexpr uint32_t DESC_BYTES = 16; //!< descriptor size
    static constexpr uint8_t DESC_DONE = 1;    //!< status: descriptor done
    static constexpr uint8_t DESC_ERROR = 2;   //!< status: error

    /**
     * Per-slot instants are kept in simulator ticks (Time::GetTimeStep), not as ns3::Time: a Time
     * built before the simulation starts is registered in a global set (so that a change of
     * resolution can convert it), which cost about 300 bytes per ring slot.
     */
    static constexpr int64_t NEVER = INT64_MAX;

    /** What the guest keeps about a completed RX slot until it polls it. */
    struct RxSlotInfo
    {
        int64_t doneAt{NEVER};  //!< write-back visible to the guest, ticks
        Ptr<const Packet> meta; //!< sender's packet (tags)
        int64_t sent{0};        //!< send instant, ticks
        int64_t iommu{0};       //!< IOMMU time of the frame, ticks
        int64_t nic{0};         //!< NIC time of the frame, ticks
    };

    /**
     * \brief Write a descriptor into guest memory.
     * \param ring ring base address \param slot slot \param addr buffer
     * \param len length \param status status bits
     */
    void WriteDescriptor(uint64_t ring, uint32_t slot, uint64_t addr, uint16_t len, uint8_t status);
    /**
     * \brief Build and post a frame for the wire (the guest driver's transmit).
     * \param packet payload \param source source MAC \param dest destination MAC
     * \param protocolNumber EtherType \return false if dropped (ring full, too large)
     */
    bool DoSend(Ptr<Packet> packet, Mac48Address source, Mac48Address dest,
                uint16_t protocolNumber);
    /**
     * \brief Run \p handler on \p frame at \p at, through the frame's recycled event (a frame
     * has one pending event at most, so the per-frame path allocates no event).
     * \param frame the frame \param at instant \param handler member to call
     */
    void ScheduleFrame(NicFrame* frame, Time at, void (VfNetDevice::*handler)(NicFrame*));
    /**
     * \brief Event: the frame of a FetchTxFrame() is in the NIC and retires (ring order).
     * \param frame the frame
     */
    void TxFetched(NicFrame* frame);
    /** \brief Event: a step-7 write has reached memory. \param frame the frame */
    void DmaWritten(NicFrame* frame);
    /**
     * \brief Event (destination VF): step 10's notice has arrived; step 11 follows in ring order
     * (RetireRx()). \param frame the frame
     */
    void DoneNoticeArrived(NicFrame* frame);
    /**
     * \brief Event (destination VF): the step-7 write faulted; complete the slot with an error
     * (in ring order, RetireRx()) and drop the frame. \param frame the frame
     */
    void WriteFaulted(NicFrame* frame);
    /**
     * \brief Destination VF: complete the frame's RX slot (step 11, or an error completion for
     * a faulted write) once every earlier slot is complete; park it until then.
     * \param frame the frame, its transfer done or faulted
     */
    void RetireRx(NicFrame* frame);
    /**
     * \brief Complete the next RX slot in ring order with \p frame. \param frame the frame
     */
    void CompleteRx(NicFrame* frame);
    /** \brief Count a completion towards coalescing. \param at instant it is visible */
    void CountCompletion(Time at);
    /** \brief Send the MSI-X message. \param at instant the VF raises it */
    void FireInterrupt(Time at);
    /** \brief Guest driver: NAPI poll of the RX ring. */
    void GuestPoll();
    /** \brief Guest driver: deliver one completed RX slot to the stack. \param slot slot */
    void GuestReceive(uint32_t slot);
    /**
     * \brief Copy the ns-3 tags of the sender's packet onto the packet rebuilt from memory.
     * \param from sender's packet \param to rebuilt packet
     * \param byteOffset where the sender's first byte is in \p to
     */
    void CopyTags(const Packet& from, Packet& to, uint32_t byteOffset);
    /** \brief Guest driver: free TX slots whose write-back has landed. */
    void ReclaimTxSlots();
    /** \return the interrupt delivery latency in force */
    Time InterruptLatency() const;

    Ptr<SriovNic> m_nic;               //!< the NIC
    DmaEngine* m_dma;                  //!< the NIC's DMA engine (m_nic owns it)
    Ptr<MemoryDomain> m_memory;        //!< the VM's memory
    Ptr<const VfMappingTable> m_table; //!< step 2
    uint32_t m_index;                  //!< VF index

    // Attributes
    uint32_t m_txRingSize;        //!< TX descriptors
    uint32_t m_rxRingSize;        //!< RX descriptors
    uint32_t m_rxBufferBytes;     //!< RX buffer size
    Time m_coalesceUsecs;         //!< MSI-X coalescing time
    uint32_t m_coalesceFrames;    //!< MSI-X coalescing frame count
    InterruptDelivery m_delivery; //!< posted or VM exit
    Time m_postedLatency;         //!< posted-interrupt delivery
    Time m_vmExitLatency;         //!< exit-based delivery
    Time m_guestTxCost;           //!< guest driver time per sent frame
    Time m_guestRxCost;           //!< guest driver time per received frame
    uint32_t m_napiBudget;        //!< frames per poll

    // Rings (guest physical addresses) and the guest driver's indices
    uint64_t m_txRing;                 //!< TX ring base
    uint64_t m_txBuffers;              //!< TX buffers base
    uint64_t m_rxRing;                 //!< RX ring base
    uint64_t m_rxBuffers;              //!< RX buffers base
    uint32_t m_txTail;                 //!< next TX slot to fill
    uint32_t m_txHead;                 //!< oldest TX slot in use
    uint32_t m_txInUse;                //!< TX slots in use
    std::vector<int64_t> m_txDoneAt;   //!< TX write-back instants, ticks
    uint32_t m_rxNextClean;            //!< next RX slot the guest polls
    std::vector<RxSlotInfo> m_rxSlots; //!< guest-side RX slot state
    std::vector<uint8_t> m_scratch;    //!< guest copy buffer

    // VF state: RX descriptors fetched from the ring and not used yet
    std::vector<uint64_t> m_rxCacheAddr; //!< buffer address per fetched slot
    std::vector<int64_t> m_rxCacheAt;    //!< instant each slot's descriptor is in the VF, ticks
    uint32_t m_rxNextUse;                //!< next slot to hand out at step 6
    uint32_t m_rxFetched;                //!< fetched, unused slots
    std::vector<NicFrame*> m_rxParked;   //!< per RX slot: a frame done, waiting to complete
    uint32_t m_rxRetireNext;             //!< next RX slot to complete (ring order)
    int64_t m_txRetiredAt;               //!< instant the last fetched TX frame retired, ticks
    uint32_t m_pendingCompletions;       //!< completions since the last MSI-X
    EventId m_coalesceTimer;             //!< coalescing timeout
    bool m_coalescePending;              //!< m_coalesceTimer is scheduled and has not fired
    EventId m_pollEvent;                 //!< scheduled NAPI poll
    Time m_deferredPoll;                 //!< handler time of an interrupt raised during a poll
    Time m_latestCompletion;             //!< latest write-back instant counted towards coalescing

    Counters m_counters; //!< counters
    /** One reusable instance per tag type seen, for CopyTags (type uid, instance) */
    std::vector<std::pair<uint16_t, std::unique_ptr<Tag>>> m_tagScratch;
    LatencyBreakdown m_latencySum; //!< sum over delivered frames

    /** \brief Fire the trace source of a step. \param s the step record */
    void FireStep(const VfDmaStep& s);

    /** Type of the step trace sources. */
    typedef TracedCallback<const VfDmaStep&> StepTrace;
    static StepTrace VfNetDevice::*const STEP_TRACES[12];    //!< step number -> its trace member
    StepTrace m_step1;                                       //!< step 1 trace
    StepTrace m_step2;                                       //!< step 2 trace
    StepTrace m_step3;                                       //!< step 3 trace
    StepTrace m_step4;                                       //!< step 4 trace
    StepTrace m_step5;                                       //!< step 5 trace
    StepTrace m_step6;                                       //!< step 6 trace
    StepTrace m_step7;                                       //!< step 7 trace
    StepTrace m_step8;                                       //!< step 8 trace
    StepTrace m_step9;                                       //!< step 9 trace
    StepTrace m_step10;                                      //!< step 10 trace
    StepTrace m_step11;                                      //!< step 11 trace
    TracedCallback<Ptr<const Packet>> m_macTxTrace;          //!< frame from the stack
    TracedCallback<Ptr<const Packet>> m_macTxDropTrace;      //!< frame dropped at send
    TracedCallback<Ptr<const Packet>> m_macRxTrace;          //!< frame to the stack
    TracedCallback<Ptr<const Packet>> m_snifferTrace;        //!< Ethernet frames, TX and RX
    TracedCallback<Ptr<const Packet>> m_promiscSnifferTrace; //!< same, promiscuous
    TracedCallback<Ptr<const Packet>, const LatencyBreakdown&> m_rxLatencyTrace; //!< per frame
};

} // namespace ns3

#endif /* VF_NET_DEVICE_H */
