/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Models a virtqueue (virtio split ring) as its producer and consumer see it, and the frame
// record it holds on the software path (guest, vhost backend, virtual switch).
#ifndef VIRTQUEUE_H
#define VIRTQUEUE_H

#include "ns3/mac48-address.h"
#include "ns3/nstime.h"
#include "ns3/packet.h"
#include "ns3/ptr.h"

#include <cstdint>
#include <vector>

namespace ns3 {

/**
 * \ingroup sriov-vmcomm
 * \brief A frame on the software path: what a virtqueue descriptor chain holds and what the
 * virtual switch forwards. Rings keep these records and reuse them, so the per-frame path copies
 * smart pointers and never allocates.
 */
struct VswitchFrame
{
    Ptr<const Packet> packet; //!< payload without Ethernet header; shared with the sender, never
                              //!< modified (a receiver gets a copy)
    Mac48Address src;         //!< source MAC
    Mac48Address dst;         //!< destination MAC
    uint16_t protocol{0};     //!< EtherType
    uint32_t length{0};       //!< Ethernet frame bytes: 14 + payload (virtio carries no FCS)
    uint32_t inPort{0};       //!< switch port the frame entered by
    uint32_t outPort{0};      //!< switch decision (a port, or VirtualSwitch::PORT_FLOOD/NONE)
    Time sent;                //!< guest handed it to its driver (or it arrived from the uplink)
    Time guestTx;             //!< guest TX driver time, including waiting for the vCPU
    Time kick;                //!< VM exit of the guest's kick for this frame (0: none)
    Time ready;               //!< instant the consumer (host backend, or guest on RX) can see it
    Time host;                //!< time in the virtual switch: wait for a core, then processing
    Time notify;              //!< host-to-guest notification latency it waited for (0: none)
    bool written{false};      //!< the sending guest wrote it just before: its header's cache line
                              //!< is Modified in the guest's vCPU core (GuestOs::WritesFrames)
};

/**
 * \ingroup sriov-vmcomm
 * \brief A bounded virtqueue as its producer and consumer see it: a FIFO ring of frames, oldest
 * first. The consumer takes entries (they stay in the ring, still holding their slot, while it
 * works on them) and releases them when done, which is when the producer may reuse the slot.
 *
 * Entries [0, GetTaken()) from the head are taken, the next GetPending() are waiting.
 */
class Virtqueue
{
  public:
    /**
     * \brief Size the ring and empty it.
     * \param capacity number of descriptors (entries), > 0
     */
    void Resize(uint32_t capacity);
    /** \return number of entries the ring holds at most */
    uint32_t GetCapacity() const;
    /** \return entries in use (taken and pending) */
    uint32_t GetSize() const;
    /** \return true if no entry is free */
    bool IsFull() const;
    /** \return entries taken by the consumer and not released */
    uint32_t GetTaken() const;
    /** \return entries waiting for the consumer */
    uint32_t GetPending() const;
    /**
     * \brief Add an entry at the tail. The ring must not be full.
     * \return the entry to fill (a recycled record)
     */
    VswitchFrame& Push();
    /**
     * \param i index from the head (0 = oldest entry), < GetSize()
     * \return that entry
     */
    VswitchFrame& At(uint32_t i);
    /** \return the oldest pending entry; GetPending() must be > 0 */
    const VswitchFrame& FirstPending() const;
    /** \brief Mark the oldest pending entry taken. \return it */
    VswitchFrame& Take();
    /**
     * \brief Free the \p n oldest (taken) entries.
     * \param n count, <= GetTaken()
     */
    void Release(uint32_t n);
    /** \brief Free every entry. */
    void Clear();

  private:
    std::vector<VswitchFrame> m_ring; //!< the entries
    uint32_t m_head{0};               //!< index of the oldest entry
    uint32_t m_size{0};               //!< entries in use
    uint32_t m_taken{0};              //!< of which taken
};

} // namespace ns3

#endif /* VIRTQUEUE_H */
