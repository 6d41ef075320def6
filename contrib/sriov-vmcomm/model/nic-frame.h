/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * A frame inside the NIC (NicFrame) and the latency breakdown it accumulates.
 */
#ifndef NIC_FRAME_H
#define NIC_FRAME_H

#include "dma-engine.h"
#include "ns3/event-impl.h"
#include "ns3/nstime.h"
#include "ns3/packet.h"

#include <cstdint>
#include <vector>

namespace ns3 {

class SriovNic;
class VirtualFunction;

/**
 * \ingroup sriov-vmcomm
 * \brief A frame inside the NIC, between its fetch from the source and its completion at the
 * destination: its bytes (NIC buffer memory), the addresses of the transfer and the times that
 * make up its latency. The NIC recycles these records, so the per-frame path allocates nothing.
 */
struct NicFrame
{
    static constexpr uint32_t UPLINK = 0xffffffff; //!< srcVf of a frame received from the wire

    uint64_t id{0};                   //!< frame number, unique in the host (owner NIC index << 48)
    SriovNic* owner{nullptr};         //!< NIC that allocated the record (it is freed back to it)
    SriovNic* dstNic{nullptr};        //!< NIC of the destination VF (another NIC: peer to peer)
    uint32_t srcVf{UPLINK};           //!< VF that sent it (on the owner NIC), or UPLINK
    uint32_t dstVf{0};                //!< destination VF (on dstNic)
    std::vector<uint8_t> bytes;       //!< the Ethernet frame as fetched (capacity kept across uses)
    uint32_t length{0};               //!< valid bytes in \c bytes
    uint64_t txIova{0};               //!< where the frame was in the source VM's memory
    uint32_t txSlot{0};               //!< TX ring slot it was sent from (its write-back at step 3)
    uint64_t rxIova{0};               //!< RX buffer address VF2 handed out at step 6
    uint32_t rxSlot{0};               //!< RX ring slot of that buffer
    DmaEngine::Result write;          //!< outcome of the step-7 DMA write
    Ptr<const Packet> meta;           //!< the sender's ns-3 packet: its tags travel with the bytes
    Time sent;                        //!< instant the guest handed the frame to the VF driver
    Time guestTx;                     //!< sending guest's time before the doorbell (0: wire)
    Time at;                          //!< instant the NIC's work on the frame has reached
    Time iommu;                       //!< accumulated IOMMU walk time
    Time nic;                         //!< accumulated time inside the NIC (lookup, VF messages)
    uint32_t eswitchBytes{0};         //!< embedded-switch buffer memory the frame holds (veb)
    VirtualFunction* writer{nullptr}; //!< VF whose DMA engine runs the step-7 write
    bool txWindow{false};             //!< holds a place in its source VF's TX window until freed
    Ptr<EventImpl> event; //!< the frame's next step as a simulator event (NicFrameEvent), recycled
};

/**
 * \ingroup sriov-vmcomm
 * \brief Where a frame's one-way latency went, from the sending guest's driver to the
 * receiving guest's stack.
 */
struct LatencyBreakdown
{
    Time total;     //!< driver send to stack delivery
    Time guest;     //!< guest driver work, TX and RX
    Time pcie;      //!< PCIe serialization and propagation (doorbell, fetches, writes, MSI-X)
    Time iommu;     //!< IOMMU page walks and waits for a walker
    Time nic;       //!< inside the NIC: table lookup, VF-to-VF messages
    Time interrupt; //!< coalescing wait and interrupt delivery to the vCPU
};

} // namespace ns3

#endif /* NIC_FRAME_H */
