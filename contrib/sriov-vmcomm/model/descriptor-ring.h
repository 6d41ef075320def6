/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * A descriptor ring in a VM's memory, as the guest driver and the VF share it: the 16-byte
 * descriptor layout, its buffers, and the instant each slot's write-back becomes visible.
 */
#ifndef DESCRIPTOR_RING_H
#define DESCRIPTOR_RING_H

#include "ns3/nstime.h"
#include "ns3/packet.h"
#include "ns3/ptr.h"

#include <cstdint>
#include <vector>

namespace ns3 {

class MemoryDomain;

/**
 * \ingroup sriov-vmcomm
 * \brief A TX or RX descriptor ring and its buffers in a VM's memory.
 *
 * Descriptors are 16 bytes: buffer address (8, little endian), length (2), status (1: bit 0
 * descriptor done, bit 1 error), 5 reserved. The ring keeps, per slot, the instant the VF's
 * write-back of it becomes visible to the guest (the guest reads memory written at reservation
 * time, so it must not look before); an RX ring also keeps what the simulation carries beside
 * the bytes of a completed frame (the sender's packet for its tags, the latency parts).
 *
 * Per-slot instants are simulator ticks (Time::GetTimeStep), not ns3::Time: a Time built
 * before the simulation starts is registered in a global set (so that a change of resolution
 * can convert it), which cost about 300 bytes per ring slot.
 */
class DescriptorRing
{
  public:
    static constexpr uint32_t DESC_BYTES = 16;  //!< descriptor size
    static constexpr uint8_t DESC_DONE = 1;     //!< status: descriptor done
    static constexpr uint8_t DESC_ERROR = 2;    //!< status: error
    static constexpr int64_t NEVER = INT64_MAX; //!< a slot not written back

    /** What an RX slot carries besides its bytes once the VF completed it. */
    struct Completion
    {
        Ptr<const Packet> meta; //!< sender's packet (tags); null for an error completion
        int64_t sent{0};        //!< send instant, ticks
        int64_t guestTx{0};     //!< sending guest's time before the doorbell, ticks
        int64_t iommu{0};       //!< IOMMU time of the frame, ticks
        int64_t nic{0};         //!< NIC time of the frame, ticks
    };

    /**
     * \brief Allocate the ring and its buffers in \p memory, page aligned as drivers do.
     * \param memory the VM's memory
     * \param size descriptors
     * \param bufferBytes bytes per buffer
     * \param rx true for an RX ring (keeps a Completion per slot)
     */
    void Allocate(Ptr<MemoryDomain> memory, uint32_t size, uint32_t bufferBytes, bool rx);
    /** \brief Release the memory reference and per-slot state. */
    void Clear();

    /** \return descriptors in the ring */
    uint32_t GetSize() const
    {
        return m_size;
    }

    /** \return bytes per buffer */
    uint32_t GetBufferBytes() const
    {
        return m_bufferBytes;
    }

    /** \param slot a slot \return the address of its descriptor */
    uint64_t GetDescriptorAddress(uint32_t slot) const
    {
        return m_base + uint64_t(slot) * DESC_BYTES;
    }

    /** \param slot a slot \return the address of the buffer the driver gives it */
    uint64_t GetBufferAddress(uint32_t slot) const
    {
        return m_buffers + uint64_t(slot) * m_bufferBytes;
    }

    /** \param slot a slot \param next slots further \return the slot \p next after \p slot */
    uint32_t Next(uint32_t slot, uint32_t next = 1) const
    {
        return (slot + next) % m_size;
    }

    /**
     * \brief Write a descriptor into the VM's memory (the guest driver posting it).
     * \param slot slot \param addr buffer \param len length \param status status bits
     */
    void WriteDescriptor(uint32_t slot, uint64_t addr, uint16_t len, uint8_t status);

    /**
     * \brief Lay out a descriptor. \param d 16 bytes \param addr buffer \param len length
     * \param status status bits
     */
    static void Encode(uint8_t* d, uint64_t addr, uint16_t len, uint8_t status);
    /** \param d a descriptor \return its buffer address */
    static uint64_t GetAddress(const uint8_t* d);
    /** \param d a descriptor \return its length */
    static uint16_t GetLength(const uint8_t* d);

    /** \param slot a slot \return instant its write-back is visible, ticks (NEVER: none) */
    int64_t GetDoneAt(uint32_t slot) const
    {
        return m_doneAt[slot];
    }

    /** \param slot a slot \param ticks instant its write-back is visible (NEVER: none) */
    void SetDoneAt(uint32_t slot, int64_t ticks)
    {
        m_doneAt[slot] = ticks;
    }

    /** \param slot an RX slot \return what it carries besides its bytes */
    Completion& GetCompletion(uint32_t slot)
    {
        return m_completions[slot];
    }

    /** \param slot an RX slot \return what it carries besides its bytes */
    const Completion& GetCompletion(uint32_t slot) const
    {
        return m_completions[slot];
    }

  private:
    Ptr<MemoryDomain> m_memory;            //!< the VM's memory
    uint64_t m_base{0};                    //!< ring base address
    uint64_t m_buffers{0};                 //!< buffers base address
    uint32_t m_size{0};                    //!< descriptors
    uint32_t m_bufferBytes{0};             //!< bytes per buffer
    std::vector<int64_t> m_doneAt;         //!< per slot: write-back visible, ticks
    std::vector<Completion> m_completions; //!< per RX slot (empty for TX)
};

} // namespace ns3

#endif /* DESCRIPTOR_RING_H */
