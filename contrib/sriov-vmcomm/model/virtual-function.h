/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The hardware of an SR-IOV virtual function: its TX engine (doorbell, descriptor and frame
 * fetch, step 3), its RX descriptor cache (step 6), its RX completion in ring order (step 11)
 * and its MSI-X coalescing. The VM's driver side is VfNetDevice.
 */
#ifndef VIRTUAL_FUNCTION_H
#define VIRTUAL_FUNCTION_H

#include "descriptor-ring.h"
#include "msix-coalescer.h"
#include "nic-frame.h"
#include "ns3/event-id.h"
#include "ns3/mac48-address.h"
#include "ns3/object.h"
#include "vf-dma-step.h"

#include <vector>

namespace ns3 {

class DmaEngine;
class MemoryDomain;
class SriovNic;
class VfMappingTable;
class VfNetDevice;

/**
 * \ingroup sriov-vmcomm
 * \brief The VF engine of one virtual function, inside the NIC.
 *
 * TX: after the guest's doorbell the VF DMA-reads the descriptor and the frame (step 3),
 * writes the descriptor back, and hands the frames on to its NIC in ring order. The TX engine
 * keeps at most TxFramesInFlight frames in the NIC (fetched, being forwarded, not yet completed
 * at their destination or sent): the queue is drained only as fast as the NIC forwards, and a
 * doorbell's frame beyond the window waits in the guest's ring, its fetch not yet issued. RX: the
 * VF fetches the descriptors the guest posts and hands their buffer addresses out (step 6);
 * transfers done (or faulted) are completed in ring order: the descriptor written back
 * (step 11) and counted towards MSI-X coalescing, whose interrupt goes to the device's driver.
 *
 * Each step fires its trace source on the VfNetDevice (Step<N><Name>): the VF keeps the
 * traced callbacks (GetStepTrace()), as the steps the NIC's forwarder runs for it fire them too.
 */
class VirtualFunction : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    VirtualFunction();
    ~VirtualFunction() override;

    /**
     * \brief Connect the VF to its device, its NIC and its VM's memory and rings.
     * \param device the driver side (owns this VF)
     * \param nic the NIC
     * \param index VF index on the NIC
     * \param memory the VM's memory
     * \param tx the TX ring (owned by the device)
     * \param rx the RX ring (owned by the device)
     */
    void Attach(VfNetDevice* device, Ptr<SriovNic> nic, uint32_t index, Ptr<MemoryDomain> memory,
                DescriptorRing* tx, DescriptorRing* rx);

    /** \return the VF index on its NIC */
    uint32_t GetIndex() const
    {
        return m_index;
    }

    /** \return the NIC */
    SriovNic* GetNic() const
    {
        return m_nic;
    }

    /** \return the VM's memory */
    const Ptr<MemoryDomain>& GetMemory() const
    {
        return m_memory;
    }

    /** \return the NIC's DMA engine */
    DmaEngine* GetDmaEngine() const
    {
        return m_dma;
    }

    /** \return the simulator context of the VF's events (its VM node) */
    uint32_t GetContext() const;
    /** \return size of the VM's RX buffers, bytes: the largest frame it can receive */
    uint32_t GetRxBufferBytes() const;
    /** \return the mapping table provided at step 2 */
    const Ptr<const VfMappingTable>& GetMappingTable() const
    {
        return m_table;
    }

    /** \return the MSI-X coalescer */
    MsixCoalescer& GetMsix()
    {
        return m_msix;
    }

    /** \param step 1..11 \return the traced callback of that step */
    TracedCallback<const VfDmaStep&>& GetStepTrace(uint8_t step)
    {
        return m_steps.Get(step);
    }

    /** \brief Fire a step's trace source. \param s the step */
    void FireStep(const VfDmaStep& s) const
    {
        m_steps.Fire(s);
    }

    /** \name The steps this VF runs (patent US9483290B1, claim 1; doc/model.md)
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
     * \brief Step 6 (destination VF): claim the VM's next free RX buffer for a frame and hand
     * out its address.
     * \param frame the frame; rxIova and rxSlot are set on success
     * \return false if no RX buffer is free
     */
    bool ProvideRxBufferAddress(NicFrame* frame);
    /**
     * \brief Step 11 (destination VF): write back the RX descriptor and count the completion
     * towards MSI-X; the guest driver then hands the frame to the stack.
     * \param frame the frame
     * \param at instant the VF learns the transfer is done
     */
    void NotifyGuest(NicFrame* frame, Time at);
    /** @} */

    /**
     * \brief The guest rang the TX doorbell for a frame it posted.
     * \param slot TX ring slot
     * \param meta the sender's packet (its tags travel with the bytes)
     * \param doorbell instant the guest rings (after its driver work)
     */
    void TxDoorbell(uint32_t slot, Ptr<const Packet> meta, Time doorbell);
    /**
     * \brief The guest rang the RX doorbell after posting \p count buffers from \p first.
     * \param first first ring slot \param count number of slots
     */
    void RxDoorbell(uint32_t first, uint32_t count);
    /**
     * \param at instant asked about
     * \return true if the VF holds a fetched, unused RX descriptor at \p at
     */
    bool HasFreeRxBuffer(Time at) const;
    /**
     * \brief Step 10's notice reaches this (destination) VF at \p at: complete the frame then,
     * in ring order. \param frame the frame \param at arrival instant
     */
    void ScheduleDoneNotice(NicFrame* frame, Time at);
    /**
     * \brief The step-7 write of \p frame to this (destination) VF faulted: complete its slot
     * with an error now, in ring order, in this VF's context. \param frame the frame
     */
    void ScheduleWriteFault(NicFrame* frame);
    /**
     * \brief A frame this VF fetched has left the NIC (completed, dropped or sent out of the
     * uplink; SriovNic::FreeFrame): fetch the frames waiting for its place in the TX window.
     */
    void TxFrameLeft();
    /** \return frames of this VF in the NIC now (at most TxFramesInFlight) */
    uint32_t GetTxFramesInFlight() const
    {
        return m_txInFlight;
    }

  protected:
    void DoDispose() override;

  private:
    friend class VfNetDeviceTestAccess; //!< tests inject a driver bug (PostForeignRxBuffer)

    /**
     * \brief Replace the buffer address of the next RX descriptor the VF will use and fetch the
     * descriptor again: the guest driver "bug" a fault test needs (tests only).
     * \param iova address posted instead of the VM's own buffer
     */
    void PostForeignRxBuffer(uint64_t iova);
    /**
     * \brief Fetch RX descriptors the guest posted.
     * \param first first ring slot \param count number of slots
     * \param doorbell instant the doorbell reaches the VF
     * \return instant the descriptors are in the VF
     */
    Time FetchRxDescriptors(uint32_t first, uint32_t count, Time doorbell);
    /**
     * \brief Step 3 within the TX window: take a place in it and fetch.
     * \param frame the frame \param slot TX ring slot \param doorbell instant the VF may fetch
     */
    void StartTxFetch(NicFrame* frame, uint32_t slot, Time doorbell);
    /**
     * \brief Fetch the waiting frames the TX window has room for, in ring order; a frame whose
     * doorbell is still to come is fetched when it comes.
     */
    void IssuePendingTx();
    /**
     * \brief Event: step 3's frame is in the NIC and retires (ring order): its TX descriptor is
     * written back and the frame forwarded. \param frame it
     */
    void TxFetched(NicFrame* frame);
    /**
     * \brief Write a retired frame's TX descriptor back (done bit) and tell the ring when.
     * \param frame the frame (txSlot, txIova, length)
     * \param at instant the frame retired
     * \param status status bits besides the done bit (DESC_ERROR after a faulted read)
     */
    void WriteBackTx(const NicFrame* frame, Time at, uint8_t status);
    /** \brief Event: the done notice arrived (step 11 follows in ring order). \param frame it */
    void DoneNoticeArrived(NicFrame* frame);
    /** \brief Event: the write faulted (error completion in ring order). \param frame it */
    void WriteFaulted(NicFrame* frame);
    /**
     * \brief Complete the frame's RX slot once every earlier slot is complete; park it until
     * then. \param frame the frame, its transfer done or faulted
     */
    void RetireRx(NicFrame* frame);
    /** \brief Complete the next RX slot in ring order with \p frame. \param frame the frame */
    void CompleteRx(NicFrame* frame);
    /**
     * \brief Complete an RX slot with an error status (the write faulted), so that the guest
     * recycles the buffer. \param frame the frame whose slot to complete
     */
    void CompleteWithError(NicFrame* frame);

    VfNetDevice* m_device;             //!< the driver side (owns this VF)
    SriovNic* m_nic;                   //!< the NIC (the device holds its Ptr)
    DmaEngine* m_dma;                  //!< the NIC's DMA engine (the NIC owns it)
    Ptr<MemoryDomain> m_memory;        //!< the VM's memory
    DescriptorRing* m_tx;              //!< TX ring (the device owns it)
    DescriptorRing* m_rx;              //!< RX ring (the device owns it)
    uint32_t m_index;                  //!< VF index
    Mac48Address m_address;            //!< step 1
    Ptr<const VfMappingTable> m_table; //!< step 2

    std::vector<uint64_t> m_rxCacheAddr; //!< buffer address per fetched slot
    std::vector<int64_t> m_rxCacheAt;    //!< instant each slot's descriptor is in the VF, ticks
    uint32_t m_rxNextUse;                //!< next slot to hand out at step 6
    uint32_t m_rxFetched;                //!< fetched, unused slots
    std::vector<NicFrame*> m_rxParked;   //!< per RX slot: a frame done, waiting to complete
    uint32_t m_rxRetireNext;             //!< next RX slot to complete (ring order)
    int64_t m_txRetiredAt;               //!< instant the last fetched TX frame retired, ticks
    uint32_t m_txWindow;                 //!< attribute TxFramesInFlight
    uint32_t m_txInFlight;               //!< frames of this VF in the NIC

    /** A doorbell's frame waiting for a place in the TX window. */
    struct PendingTx
    {
        NicFrame* frame; //!< its NIC record
        uint32_t slot;   //!< TX ring slot
        Time doorbell;   //!< instant the doorbell reached the VF
    };

    std::vector<PendingTx> m_txPending; //!< FIFO of waiting frames (a ring of the TX ring's size)
    uint32_t m_txPendingHead;           //!< first waiting frame in m_txPending
    uint32_t m_txPendingCount;          //!< waiting frames
    bool m_txIssuing;                   //!< IssuePendingTx is running (no re-entry)
    EventId m_txWake;                   //!< the next waiting frame's doorbell
    std::vector<uint8_t> m_scratch;     //!< descriptor fetch buffer
    MsixCoalescer m_msix;               //!< interrupt moderation
    VfDmaStepTrace m_steps;             //!< the step trace sources
};

} // namespace ns3

#endif /* VIRTUAL_FUNCTION_H */
