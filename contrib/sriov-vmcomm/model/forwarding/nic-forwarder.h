/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * How an SR-IOV NIC forwards a frame its VF fetched (the forwarding strategy, one subclass per
 * mode: vf-dma-forwarder, veb-forwarder, vepa-forwarder, offload-forwarder), and the delivery
 * to a destination VF they share: steps 4, 5 and 7 to 10 of patent US9483290B1.
 */
#ifndef NIC_FORWARDER_H
#define NIC_FORWARDER_H

#include "ns3/nic-frame.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/vf-mapping-table.h"

#include <deque>
#include <vector>

namespace ns3 {

class SriovNic;
class VirtualFunction;

/**
 * \ingroup sriov-vmcomm
 * \brief The forwarding of an SR-IOV NIC: where a frame fetched from one of its VFs (step 3)
 * goes, and how a frame reaches a VF of the NIC.
 *
 * SriovNic creates one per its Forwarding attribute (its Forwarder attribute points to it). A
 * frame's walk is one direction, in hardware order: the source VF hands it to its NIC, the NIC
 * to its forwarder (Forward()), which looks the destination up (step 4) and delivers it to the
 * destination VF's NIC (DeliverLocal(): RX queue order, steps 5 and 6), starts the DMA write
 * (step 7); when the write is done, steps 8 to 10 run and the notice goes to the destination
 * VF, which completes the frame (step 11). The step traces fire on the VF that runs the step
 * (the sender's for 4, 5, 7 to 10; the receiver's for 6 and 11), as the patent assigns them.
 */
class NicForwarder : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    NicForwarder();
    ~NicForwarder() override;

    /** \param nic the NIC this forwarder works for (it owns the forwarder) */
    void SetNic(SriovNic* nic);

    /**
     * \brief Forward a frame fetched from a VF of this NIC (after step 3), in that VF's
     * context.
     * \param frame the frame
     * \param src the VF it came from
     */
    virtual void Forward(NicFrame* frame, VirtualFunction& src) = 0;

    /**
     * \return true if the mode reaches the VFs of the host's other NICs peer to peer (a flood
     * from a peer NIC's VF then arrives that way, not from the wire)
     */
    virtual bool ReachesPeerNics() const = 0;

    /**
     * \return host-core time spent deciding frames (offload; in a hierarchy NIC 0's forwarder
     * counts the decisions of every NIC: the host's virtual switch has one deciding core)
     */
    virtual Time GetDecisionCoreTime() const;
    /** \return GetDecisionCoreTime() up to the present (without decisions reserved ahead) */
    virtual Time GetDecisionCoreTimeSoFar() const;

    /**
     * \brief Deliver a frame to a VF of this forwarder's NIC (from a VF of this or another NIC
     * of the host, or from the wire). While frames are held for \p dst (Hold policy), a new one
     * is held behind them: the RX queue keeps its order.
     * \param frame the frame
     * \param src sending VF (it runs steps 5 and 7 to 10), or null: the destination VF's own RX
     * engine writes (a frame from the wire, or switched by the embedded switch)
     * \param dst destination VF
     */
    void DeliverLocal(NicFrame* frame, VirtualFunction* src, VirtualFunction& dst);
    /**
     * \brief DeliverLocal() of a frame whose turn it is in the destination's RX queue: size
     * check, steps 5 and 6 (6 alone without a sending VF), step 7; without a free RX buffer
     * the frame is held or dropped, per the NIC's policy.
     * \param frame the frame \param src sending VF or null \param dst destination VF
     */
    void Deliver(NicFrame* frame, VirtualFunction* src, VirtualFunction& dst);

    /**
     * \brief The destination VF has fetched new RX descriptors: retry its held frames then.
     * \param vf destination VF of this forwarder's NIC
     * \param at instant the descriptors are in the VF
     */
    void BuffersAvailable(uint32_t vf, Time at);

  protected:
    void DoDispose() override;

    /**
     * \brief Forward by the mapping table (vf-dma, veb, offload): step 4, then flood a group
     * frame, send a frame for no VF to the uplink, or ForwardToVf() a unicast frame.
     * \param frame the frame \param src its VF
     * \param peers true: the VFs of the host's other NICs are in reach
     */
    void ForwardByTable(NicFrame* frame, VirtualFunction& src, bool peers);
    /**
     * \brief Send a frame where step 4 found it goes: flood it (a copy to every other VF in
     * reach, the frame to the uplink), or to the uplink (no VF), or ForwardToVf() its VF.
     * \param frame the frame \param src its VF
     * \param e the destination VF's entry, or null
     * \param peers true: the VFs of the host's other NICs are in reach
     * \param flood true: flood it (e ignored)
     */
    void ForwardToDestination(NicFrame* frame, VirtualFunction& src, const VfMappingTable::Entry* e,
                              bool peers, bool flood);
    /**
     * \brief Hand a frame to a VF of \p nic (a frame from \p src).
     * \param frame the frame (dstVf set) \param src sending VF \param nic the destination's NIC
     * \param dst destination VF
     */
    virtual void ForwardToVf(NicFrame* frame, VirtualFunction& src, SriovNic& nic,
                             VirtualFunction& dst)
        = 0;

    /** \name The patent's steps run on the NIC's side (patent US9483290B1, claim 1; doc/model.md)
     * @{ */
    /**
     * \brief Step 4: compare the destination address with the mapping table (LookupLatency).
     * \param frame the fetched frame \param src its VF
     * \param peers true: entries naming the host's other NICs count
     * \return the destination's entry, or null (not a VF in reach)
     */
    const VfMappingTable::Entry* LookUpDestination(NicFrame* frame, VirtualFunction& src,
                                                   bool peers);
    /**
     * \brief Step 4's time (LookupLatency) and trace, once the destination is known: from the
     * mapping table (LookUpDestination()), or from the host's virtual switch (vswitch-offload).
     * \param frame the fetched frame \param src its VF
     * \param e the destination's entry, or null (not a VF)
     * \return e
     */
    const VfMappingTable::Entry* TakeDestination(NicFrame* frame, VirtualFunction& src,
                                                 const VfMappingTable::Entry* e);
    /**
     * \brief Step 5: the source VF tells the destination VF the frame length; it answers with
     * an RX buffer address (step 6), a message back.
     * \param frame the frame \param src source VF \param dst destination VF
     * \return false when the destination had no RX buffer
     */
    bool SendLengthToPeer(NicFrame* frame, VirtualFunction& src, VirtualFunction& dst);
    /**
     * \brief Step 7: start the second DMA operation, a write to the RX buffer's address, by the
     * writer's DMA engine; steps 8 to 10 follow when it is done (DmaWritten()).
     * \param frame the frame, rxIova set \param writer the VF that writes \param dst destination
     */
    void StartDmaWrite(NicFrame* frame, VirtualFunction& writer, VirtualFunction& dst);
    /**
     * \brief Step 8: the IOMMU has translated the write (or faulted).
     * \param frame the frame \param writer the VF that writes \return false on a fault
     */
    bool TranslateWrite(NicFrame* frame, VirtualFunction& writer);
    /**
     * \brief Step 9: the frame is written into the destination VM's memory.
     * \param frame the frame \param writer the VF that writes \param dst destination VF
     */
    void WriteIntoDestination(NicFrame* frame, VirtualFunction& writer, VirtualFunction& dst);
    /**
     * \brief Step 10: notify the destination VF that the transfer is done.
     * \param frame the frame \param writer the VF that wrote \param dst destination VF
     */
    void NotifyTransferDone(NicFrame* frame, VirtualFunction& writer, VirtualFunction& dst);
    /** @} */

    SriovNic* m_nic; //!< the NIC (it owns this forwarder)

  private:
    /** \brief Event: the step-7 write has reached memory (steps 8 to 10). \param frame it */
    void DmaWritten(NicFrame* frame);
    /**
     * \brief Keep a frame that found no RX buffer (Hold policy) until its destination's guest
     * posts buffers; beyond HoldQueueFrames it is dropped (hold-queue-full).
     * \param frame the frame (dstVf set)
     */
    void Hold(NicFrame* frame);
    /** \param vf a VF \return true while frames are held for it (its RX queue is blocked) */
    bool IsHolding(uint32_t vf) const
    {
        return vf < m_held.size() && !m_held[vf].empty();
    }

    /** \brief Retry the held frames of a VF. \param vf VF index */
    void RetryHeld(uint32_t vf);

    std::vector<std::deque<NicFrame*>> m_held; //!< per destination VF of m_nic (Hold policy)
};

} // namespace ns3

#endif /* NIC_FORWARDER_H */
