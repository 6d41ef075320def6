/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * An SR-IOV NIC: physical function, virtual functions, mapping table, DMA engine, uplink port,
 * frame records and drop accounting; its forwarding is a NicForwarder (model/forwarding/).
 */
#ifndef SRIOV_NIC_H
#define SRIOV_NIC_H

#include "nic-frame.h"
#include "ns3/channel.h"
#include "ns3/mac48-address.h"
#include "ns3/net-device.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"
#include "vf-mapping-table.h"

#include <memory>
#include <vector>

namespace ns3 {

class DmaEngine;
class Iommu;
class NicForwarder;
class VirtualFunction;
class MemoryDomain;
class PcieHierarchy;
class PcieLink;
class DeviceListChannel;
class VfNetDevice;

/**
 * \ingroup sriov-vmcomm
 * \brief An SR-IOV NIC: the physical function (which configures the VFs and the mapping table),
 * its virtual functions, the DMA engine they share, and the uplink port.
 *
 * The PF driver gives each VF its MAC address (step 1) and provides one mapping table to the
 * VFs and the IOMMU (step 2), when the VF comes up (ConfigureVf()). A frame a VF fetched
 * (VirtualFunction, step 3) goes to the NIC's forwarder (NicForwarder, one per Forwarding
 * mode, attribute Forwarder): by the table to a VF (steps 4-10, VF-to-VF DMA under VfDma) or
 * out of the uplink port, an ns-3 NetDevice of the host that supports SendFrom. Frames
 * received on the uplink for a VF's MAC are DMA-written into that VF's RX ring.
 *
 * An SriovNic is one physical function and its port: a multi-port adapter (the 82599ES has two)
 * is one SriovNic per port, each with its own VFs, embedded switch, uplink and DMA engine, on
 * the adapter's one PCIe link (SriovHelper::SetPorts).
 *
 * A host may carry several NICs joined by a PcieHierarchy: they share its mapping table, and
 * under VfDma (and Offload) forwarding a VF performs the eleven steps with a VF of another NIC
 * of the host, its messages crossing PCIe peer to peer (SendVfMessage()).
 *
 * Every frame sent is delivered or counted as a drop with a reason (GetDrops()).
 */
class SriovNic : public Object
{
  public:
    /** Why a frame was dropped. */
    enum DropReason
    {
        DROP_NO_RX_BUFFER = 0, //!< step 6: the destination had no free RX buffer
        DROP_IOMMU_FAULT,      //!< step 8: the write's address is not mapped for the VM
        DROP_TX_RING_FULL,     //!< the sender's TX ring was full
        DROP_NO_UPLINK,        //!< not for a VF of this NIC, and no uplink attached
        DROP_FRAME_TOO_LARGE,  //!< larger than the destination's RX buffer
        DROP_HOLD_QUEUE_FULL,  //!< HOLD policy, and the hold queue was full
        DROP_UPLINK_REFUSED,   //!< the uplink device refused the frame
        DROP_ESWITCH_FULL,     //!< veb: the embedded switch's buffer memory was full
        DROP_NO_DESTINATION, //!< vswitch-offload: the host's switch decided nowhere the NIC reaches
        DROP_REASONS         //!< number of reasons
    };

    /** How the NIC forwards a frame from one of its VFs to another (doc/modes.md). */
    enum Forwarding
    {
        FORWARD_VF_DMA = 0, //!< the patent's VF-to-VF DMA (steps 3-11)
        FORWARD_VEB = 1,    //!< embedded switch: store in NIC buffer memory, switch, RX path
        FORWARD_VEPA = 2,   //!< every frame leaves through the uplink; the switch reflects it
        FORWARD_OFFLOAD = 3 //!< a host virtual switch decides each frame; the VF does the DMA
    };

    /** What to do at step 6 when the destination has no free RX buffer. */
    enum NoRxBufferPolicy
    {
        POLICY_DROP = 0, //!< drop and count (no-rx-buffer)
        POLICY_HOLD = 1  //!< keep the frame in NIC memory until the guest posts buffers
    };

    /**
     * \param reason a drop reason
     * \return its name, as stored in the results database ("no-rx-buffer", ...)
     */
    static const char* GetDropReasonName(DropReason reason);

    /**
     * TracedCallback signature of Drop.
     * \param vf the sending VF (the destination VF for a frame from the wire)
     * \param reason the reason's name
     */
    typedef void (*DropTracedCallback)(uint32_t vf, const char* reason);

    /**
     * TracedCallback signature of PacketDrop.
     * \param packet the dropped frame's packet as its sender handed it (may be null)
     * \param reason the reason's name
     */
    typedef void (*PacketDropTracedCallback)(Ptr<const Packet> packet, const char* reason);

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    SriovNic();
    ~SriovNic() override;

    /**
     * \brief Connect the NIC to its host through its DMA engine.
     * \param link PCIe link to the root complex
     * \param iommu the host's IOMMU (may be null)
     * \param dma the NIC's DMA engine (null: one with default attributes)
     */
    void Attach(Ptr<PcieLink> link, Ptr<Iommu> iommu, Ptr<DmaEngine> dma = nullptr);

    /**
     * \brief Enable a VF for a VM: attach it, give it its address and add it to the mapping
     * table. Steps 1 and 2 (the PF assigning the address and providing the table) run when the
     * VF comes up at simulation start (ConfigureVf()), so that trace sinks connected after
     * installation see them.
     * \param vf the VF device (already attached to its VM node)
     * \param memory the VM's memory
     * \param address MAC address for the VF
     * \param vlan VLAN id of the VF, or VfMappingTable::NO_VLAN
     * \return the VF index
     */
    uint32_t AddVf(Ptr<VfNetDevice> vf, Ptr<MemoryDomain> memory, Mac48Address address,
                   uint16_t vlan = VfMappingTable::NO_VLAN);

    /**
     * \brief Steps 1 and 2 for one VF, as it comes up (VfNetDevice::DoInitialize, at simulation
     * start): the PF assigns the VF its address and provides the host's mapping table to it.
     * \param vf the VF index
     */
    void ConfigureVf(uint32_t vf);

    /**
     * \brief Join the host's PCIe hierarchy (called by PcieHierarchy::Add): share its mapping
     * table, whose entries for this NIC's VFs carry \p index, and its channel.
     * \param hierarchy the hierarchy
     * \param index this NIC's index in it
     */
    void JoinHierarchy(Ptr<PcieHierarchy> hierarchy, uint32_t index);
    /**
     * \brief Give a NIC alone in its host its own mapping table and VF segment, before its VFs
     * are added (the helper creates them; a NIC in a hierarchy shares the hierarchy's instead).
     * \param table the mapping table (step 2)
     * \param channel the segment of the NIC's VFs
     */
    void SetSegment(Ptr<VfMappingTable> table, Ptr<DeviceListChannel> channel);
    /** \return the hierarchy joined, or null (a NIC alone in its host) */
    Ptr<PcieHierarchy> GetHierarchy() const;
    /** \return this NIC's index in its hierarchy (0 when alone) */
    uint32_t GetNicIndex() const;
    /**
     * \param nic a NIC index, as in a mapping-table entry
     * \return that NIC of the host (this one for its own index)
     */
    SriovNic* GetPeer(uint32_t nic);
    /**
     * \brief Time a message between two VFs (steps 5, 6, 10) sent by a VF of this NIC: on-chip
     * handling (VfMessageLatency), then, to a VF of another NIC, a peer-to-peer posted write to
     * its page of that NIC's BAR (to a VF of another port of the same NIC, one on its PCIe link,
     * the message stays on the chip).
     * \param to the receiving VF's NIC
     * \param toVf the receiving VF's index on it
     * \param fromDomain IOMMU domain of the sending VF's VM
     * \param at instant the sending VF issues the message
     * \return instant the receiving VF has it
     */
    Time SendVfMessage(const SriovNic& to, uint32_t toVf, uint32_t fromDomain, const Time& at);

    /** \return number of VFs */
    uint32_t GetNVfs() const;
    /** \param i index \return VF i */
    Ptr<VfNetDevice> GetVf(uint32_t i) const;
    /** \return the mapping table */
    Ptr<const VfMappingTable> GetMappingTable() const
    {
        return m_table;
    }
    /** \return the channel joining the VFs (what ns-3's routing sees as their segment) */
    Ptr<Channel> GetChannel() const;
    /** \return the DMA engine */
    Ptr<DmaEngine> GetDmaEngine() const;
    /** \return the PCIe link */
    Ptr<PcieLink> GetPcieLink() const;
    /** \return the host's IOMMU the DMA engine translates through (null: none) */
    Ptr<Iommu> GetIommu() const;

    /**
     * \brief Attach the uplink port: frames for addresses not on this NIC leave through it, and
     * frames it receives for a VF are delivered to that VF.
     * \param device a NetDevice of the host's node that supports SendFrom
     */
    void SetUplink(Ptr<NetDevice> device);
    /** \return the uplink device (may be null) */
    Ptr<NetDevice> GetUplink() const
    {
        return m_uplink;
    }

    /**
     * \brief Deliver frames from the wire whose address no VF owns to this function (the PF,
     * when a virtual switch on the host sits behind it) instead of ignoring them.
     * \param vf function index
     */
    void SetDefaultVf(uint32_t vf);

    /** \return time of a mapping-table lookup */
    Time GetLookupLatency() const
    {
        return m_lookupLatency;
    }
    /** \return time of one VF-to-VF message (length, address, done) inside the NIC */
    Time GetVfMessageLatency() const
    {
        return m_vfMessageLatency;
    }
    /** \return frames held per VF at most (Hold policy) */
    uint32_t GetHoldQueueFrames() const
    {
        return m_holdLimit;
    }

    /** \return the step-6 policy */
    NoRxBufferPolicy GetNoRxBufferPolicy() const
    {
        return m_policy;
    }
    /** \return how VF-to-VF frames are forwarded */
    Forwarding GetForwarding() const
    {
        return m_forwarding;
    }
    /** \return the forwarding strategy the NIC created for its Forwarding mode */
    Ptr<NicForwarder> GetForwarder() const;
    /** \param i index \return the hardware of VF i (owned by its device) */
    VirtualFunction* GetFunction(uint32_t i) const
    {
        return m_functions[i];
    }

    /**
     * \brief A VF of this NIC fetched a frame (after step 3): forward it (the forwarder).
     * \param frame the frame
     * \param src the VF
     */
    void Forward(NicFrame* frame, VirtualFunction& src);

    /** \return veb: the embedded switch's store-and-forward time */
    Time GetEswitchLatency() const
    {
        return m_eswitchLatency;
    }
    /**
     * \brief veb: hold the frame in the embedded switch's buffer memory until it is freed.
     * \param frame the frame
     * \return false if the buffer cannot hold it
     */
    bool ReserveEswitchBuffer(NicFrame* frame);
    /** \return vswitch-offload: time for the host's virtual switch to see a request */
    Time GetOffloadUpcallLatency() const
    {
        return m_upcallLatency;
    }
    /** \return vswitch-offload: host-core time to decide one frame */
    Time GetOffloadDecisionTime() const
    {
        return m_decisionTime;
    }
    /**
     * \return host-core time spent deciding for offloaded frames (in a hierarchy, NIC 0 counts
     * the decisions of every NIC: the host's virtual switch has one deciding core)
     */
    Time GetOffloadCoreTime() const;
    /**
     * \return GetOffloadCoreTime() up to the present: without the decisions reserved on the
     * deciding core for later (frames queued behind a backlog)
     */
    Time GetOffloadCoreTimeSoFar() const;
    /** \return frames inside the NIC now (fetched, not yet completed or dropped) */
    uint32_t GetFramesInFlight() const;
    /** \return frames the embedded switch hairpinned (veb) */
    uint64_t GetEswitchFrames() const;

    /** \return a frame record to fill (recycled), owned by this NIC */
    NicFrame* AllocateFrame();
    /** \param frame a record no longer in use: it goes back to the NIC that owns it */
    void FreeFrame(NicFrame* frame);

    /**
     * \brief Count a dropped frame, fire the Drop trace and recycle the record.
     * \param frame the frame
     * \param reason why
     */
    void Drop(NicFrame* frame, DropReason reason);
    /**
     * \brief Count a frame dropped before it had a NIC record (the guest's TX ring was full).
     * \param vf sending VF
     * \param reason why
     */
    void CountDrop(uint32_t vf, DropReason reason, Ptr<const Packet> packet = nullptr);

    /**
     * \brief The destination VF has fetched new RX descriptors: schedule a retry of its held
     * frames at that instant.
     * \param vf destination VF
     * \param at instant the descriptors are in the VF
     */
    void BuffersAvailable(uint32_t vf, Time at);

    /**
     * \brief Send a fetched frame out of the uplink (the destination is not on this NIC).
     * \param frame the frame; recycled
     */
    void SendToUplink(NicFrame* frame);

    /** \param reason a reason \return frames dropped for it */
    uint64_t GetDrops(DropReason reason) const;
    /** \return frames dropped for any reason */
    uint64_t GetTotalDrops() const;
    /** \return frames sent out of the uplink */
    uint64_t GetUplinkTxFrames() const;
    /** \return frames received from the uplink */
    uint64_t GetUplinkRxFrames() const;

  protected:
    void DoDispose() override;

  private:
    /**
     * \brief Uplink receive (promiscuous callback): deliver frames for this NIC's VFs.
     * \param device the uplink
     * \param packet payload without Ethernet header
     * \param protocol EtherType
     * \param source source MAC
     * \param destination destination MAC
     * \param type packet type
     * \return true
     */
    bool UplinkReceive(Ptr<NetDevice> device, Ptr<const Packet> packet, uint16_t protocol,
                       const Address& source, const Address& destination,
                       NetDevice::PacketType type);
    /**
     * \brief Set the forwarding mode and create its forwarder.
     * \param forwarding the mode
     */
    void SetForwarding(Forwarding forwarding);

    Ptr<DmaEngine> m_dma;                                 //!< shared DMA engine
    Ptr<PcieLink> m_link;                                 //!< the NIC's PCIe link
    Ptr<PcieHierarchy> m_hierarchy;                       //!< the host's NICs, or null
    uint32_t m_nicIndex;                                  //!< index in m_hierarchy
    std::vector<Ptr<VfNetDevice>> m_vfs;                  //!< virtual functions
    std::vector<Mac48Address> m_vfAddresses;              //!< address of each VF (step 1)
    std::vector<VirtualFunction*> m_functions;            //!< their hardware (devices own it)
    Ptr<NicForwarder> m_forwarder;                        //!< strategy of m_forwarding
    Ptr<VfMappingTable> m_table;                          //!< step 2's table
    Ptr<DeviceListChannel> m_channel;                     //!< the VFs' segment
    Ptr<NetDevice> m_uplink;                              //!< uplink port
    Time m_lookupLatency;                                 //!< attribute
    Time m_vfMessageLatency;                              //!< attribute
    NoRxBufferPolicy m_policy;                            //!< attribute
    Forwarding m_forwarding;                              //!< attribute
    Time m_eswitchLatency;                                //!< attribute
    uint32_t m_eswitchBufferBytes;                        //!< attribute
    uint32_t m_eswitchUsed;                               //!< buffer bytes in use
    uint64_t m_eswitchFrames;                             //!< counter
    Time m_upcallLatency;                                 //!< attribute
    Time m_decisionTime;                                  //!< attribute
    uint32_t m_holdLimit;                                 //!< attribute: frames held per VF
    uint32_t m_maxVfs;                                    //!< attribute: functions per PF
    std::vector<std::unique_ptr<NicFrame>> m_frames;      //!< every record allocated
    std::vector<NicFrame*> m_freeFrames;                  //!< records ready for reuse
    uint64_t m_nextFrameId;                               //!< frame numbering
    uint64_t m_drops[DROP_REASONS];                       //!< drop counters
    uint64_t m_uplinkTx;                                  //!< counter
    uint64_t m_uplinkRx;                                  //!< counter
    static constexpr uint32_t NO_DEFAULT_VF = 0xffffffff; //!< m_defaultVf: none
    uint32_t m_defaultVf; //!< function for frames no VF owns, or NO_DEFAULT_VF

    /** Fired per drop: VF (source, or destination for wire frames), reason name */
    TracedCallback<uint32_t, const char*> m_dropTrace;
    /** Fired per drop: the frame's packet as the sender handed it (no Ethernet header), reason */
    TracedCallback<Ptr<const Packet>, const char*> m_packetDropTrace;
};

} // namespace ns3

#endif /* SRIOV_NIC_H */
