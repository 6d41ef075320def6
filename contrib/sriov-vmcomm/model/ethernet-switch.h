/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef ETHERNET_SWITCH_H
#define ETHERNET_SWITCH_H

#include "ethernet-frame.h"
#include "ethernet-net-device.h"
#include "mac-forwarding-table.h"
#include "ns3/mac48-address.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/packet.h"
#include "ns3/traced-callback.h"

#include <vector>

namespace ns3 {

class Node;

/**
 * \ingroup sriov-vmcomm
 * \brief A store-and-forward L2 switch (IEEE 802.1Q bridge) whose ports are EthernetNetDevices
 * of one node; the switch is aggregated to that node (EthernetHelper::InstallSwitch).
 *
 * - Forwarding table keyed by (MAC, VLAN): addresses learned from source addresses (aged out
 *   after AgingTime) and static entries (AddStaticEntry, e.g. routes precomputed from a
 *   topology), which learning never overrides.
 * - VLANs: each port is an access port (untagged, one VLAN; VLAN 1 by default) or a trunk
 *   (tagged, a set of VLANs, optionally an untagged native VLAN). A frame is forwarded only to
 *   ports of its VLAN.
 * - Unknown unicast, broadcast and multicast are flooded to the VLAN's ports except the ingress
 *   port. A frame is never sent back out its ingress port, unless that port has reflective relay
 *   (IEEE 802.1Qbg, needed by VEPA): then unicast to a station behind the ingress port goes back
 *   out of it, and floods include it.
 * - Output queues: each port's transmit queue (bounded; drops counted per port and reason).
 * - Latency: a frame is switched Latency after its last bit was received (store-and-forward with
 *   a fixed pipeline latency; cut-through is not modelled).
 *
 * Every frame received on a port is forwarded, flooded or counted as a drop with a reason.
 */
class EthernetSwitch : public Object
{
  public:
    /** Why the switch dropped a frame. */
    enum DropReason
    {
        DROP_QUEUE_FULL = 0, //!< egress port's transmit queue full (counted on the egress port)
        DROP_VLAN_INGRESS,   //!< frame's VLAN not allowed on the ingress port
        DROP_SAME_PORT,      //!< destination behind the ingress port, no reflective relay there
        DROP_VLAN_EGRESS,    //!< static entry points at a port not in the frame's VLAN
        DROP_NO_EGRESS,      //!< flood found no port of the VLAN to send to
        DROP_TOO_LARGE,      //!< payload above the egress port's MTU (counted on the egress port)
        DROP_LINK_DOWN,      //!< egress port not connected (counted on the egress port)
        DROP_REASONS         //!< number of reasons
    };

    /** Per-port counters. */
    struct PortCounters
    {
        uint64_t rxFrames{0};           //!< frames received on the port
        uint64_t txFrames{0};           //!< frames queued for transmission on the port
        uint64_t reflectedFrames{0};    //!< of txFrames, frames sent back out their ingress
        uint64_t floodedFrames{0};      //!< frames received on the port that were flooded
        uint64_t drops[DROP_REASONS]{}; //!< frames dropped, per reason

        /** \return drops for all reasons */
        uint64_t GetTotalDrops() const;
    };

    static constexpr uint16_t DEFAULT_VLAN = 1; //!< access VLAN of a port not configured

    /**
     * TracedCallback signature for per-port frame events.
     * \param port port index
     * \param packet the payload (Rx, Reflect) or the frame as queued (Tx)
     */
    typedef void (*PortPacketTracedCallback)(uint32_t port, Ptr<const Packet> packet);
    /**
     * TracedCallback signature for drops.
     * \param port port index the drop is counted on
     * \param packet the payload or frame
     * \param reason the reason's name (GetDropReasonName)
     */
    typedef void (*DropTracedCallback)(uint32_t port, Ptr<const Packet> packet, const char* reason);
    /**
     * TracedCallback signature for learning.
     * \param address the station's address
     * \param vlan its VLAN
     * \param port the port it is behind
     */
    typedef void (*LearnTracedCallback)(Mac48Address address, uint16_t vlan, uint32_t port);

    /**
     * \param reason a drop reason
     * \return its name ("queue-full", "vlan-ingress", ...)
     */
    static const char* GetDropReasonName(DropReason reason);

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    /** A switch without ports. */
    EthernetSwitch();
    ~EthernetSwitch() override;

    /**
     * \brief Make a device a port of this switch: from now on every frame it receives goes to the
     * switch. The port is an access port of DEFAULT_VLAN without reflective relay.
     * \param port the device (on the switch's node)
     * \return the port index
     */
    uint32_t AddPort(Ptr<EthernetNetDevice> port);
    /** \return number of ports */
    uint32_t GetNPorts() const;
    /** \param i port index \return the port's device */
    Ptr<EthernetNetDevice> GetPort(uint32_t i) const;
    /**
     * \param device a port's device
     * \return its port index (aborts if it is not a port of this switch)
     */
    uint32_t GetPortIndex(Ptr<const NetDevice> device) const;
    /** \return the node the switch is aggregated to (may be null) */
    Ptr<Node> GetNode() const;

    /**
     * \brief Make a port an access port: untagged frames belong to \p vlan, frames leave untagged.
     * \param port port index
     * \param vlan VLAN id 1..4094
     */
    void SetPortAccess(uint32_t port, uint16_t vlan);
    /**
     * \brief Make a port a trunk: tagged frames of the allowed VLANs pass, tagged; untagged frames
     * belong to the native VLAN (dropped if there is none) and it leaves untagged.
     * \param port port index
     * \param allowed VLANs allowed (empty: all)
     * \param nativeVlan the untagged VLAN, or EthernetFrameHeader::NO_VLAN
     */
    void SetPortTrunk(uint32_t port, const std::vector<uint16_t>& allowed = {},
                      uint16_t nativeVlan = EthernetFrameHeader::NO_VLAN);
    /**
     * \param port port index
     * \param vlan VLAN id
     * \return whether frames of \p vlan may enter and leave through the port
     */
    bool IsPortInVlan(uint32_t port, uint16_t vlan) const;

    /**
     * \brief Reflective relay (IEEE 802.1Qbg) on a port: frames may leave through the port they
     * came in by.
     * \param port port index
     * \param enable on or off
     */
    void SetReflectiveRelay(uint32_t port, bool enable);
    /** \param port port index \return whether reflective relay is on */
    bool GetReflectiveRelay(uint32_t port) const;

    /**
     * \brief Add a permanent forwarding entry (not aged, not overridden by learning).
     * \param address station address (unicast or group)
     * \param vlan VLAN id (DEFAULT_VLAN in a network without VLANs)
     * \param port port index
     */
    void AddStaticEntry(Mac48Address address, uint16_t vlan, uint32_t port);
    /**
     * \brief Remove an entry, static or learned.
     * \param address station address
     * \param vlan VLAN id
     * \return whether there was one
     */
    bool RemoveEntry(Mac48Address address, uint16_t vlan);
    /** \brief Forget every learned entry (static entries stay). */
    void FlushLearnedEntries();
    /**
     * \brief Look an address up as the forwarding does.
     * \param address station address
     * \param vlan VLAN id
     * \param[out] port its port, if found
     * \return whether there is a valid (static, or learned and not aged) entry
     */
    bool Lookup(Mac48Address address, uint16_t vlan, uint32_t& port) const;
    /** \return entries in the table, aged ones not yet removed included */
    std::size_t GetNEntries() const;

    /** \param port port index \return its counters */
    const PortCounters& GetPortCounters(uint32_t port) const;
    /** \param reason a reason \return frames dropped for it on all ports */
    uint64_t GetDrops(DropReason reason) const;
    /** \return frames dropped on all ports for all reasons */
    uint64_t GetTotalDrops() const;
    /**
     * \return frames received and not forwarded yet: in the pipeline (attribute Latency). At the
     * end of a run, frames in flight in the switch.
     */
    uint32_t GetFramesInPipeline() const;

  protected:
    void DoDispose() override;

  private:
    /** One port. */
    struct Port
    {
        Ptr<EthernetNetDevice> device;                     //!< the port's device
        bool trunk{false};                                 //!< trunk or access
        uint16_t accessVlan{DEFAULT_VLAN};                 //!< access VLAN
        uint16_t nativeVlan{EthernetFrameHeader::NO_VLAN}; //!< trunk's untagged VLAN
        bool allVlans{true};                               //!< trunk allows every VLAN
        std::vector<bool> allowed;                         //!< trunk's allowed VLANs (if not all)
        bool reflectiveRelay{false};                       //!< 802.1Qbg reflective relay
        PortCounters counters;                             //!< counters
    };

    /** \param agingTime attribute AgingTime (the table's learned-entry lifetime) */
    void SetAgingTime(Time agingTime);
    /** \return attribute AgingTime */
    Time GetAgingTime() const;

    /**
     * \brief A port's device received a frame.
     * \param index port index (bound)
     * \param device the device
     * \param payload the payload
     * \param header its MAC header
     */
    void PortReceive(uint32_t index, Ptr<EthernetNetDevice> device, Ptr<Packet> payload,
                     const EthernetFrameHeader& header);
    /**
     * \brief Forward a frame after the pipeline latency.
     * \param in ingress port
     * \param payload the payload
     * \param header its header, VLAN id set to the frame's VLAN
     */
    void Forward(uint32_t in, Ptr<Packet> payload, EthernetFrameHeader header);
    /**
     * \brief A frame leaves the pipeline: Forward() it.
     * \param in ingress port \param payload the frame \param header its header
     */
    void PipelineDone(uint32_t in, Ptr<Packet> payload, EthernetFrameHeader header);
    /**
     * \brief Queue a frame on an egress port, tagged per the port's VLAN mode.
     * \param out egress port
     * \param in ingress port
     * \param payload the payload
     * \param header its header, VLAN id set to the frame's VLAN
     */
    void Output(uint32_t out, uint32_t in, Ptr<Packet> payload, const EthernetFrameHeader& header);
    /**
     * \brief Count a drop and fire the Drop trace.
     * \param port port the drop is counted on
     * \param packet payload or frame
     * \param reason why
     */
    void Drop(uint32_t port, Ptr<const Packet> packet, DropReason reason);
    /**
     * \param port port index
     * \return the port (aborts if out of range)
     */
    Port& GetPortChecked(uint32_t port);

    std::vector<Port> m_ports;          //!< ports
    MacForwardingTable m_table;         //!< forwarding table (holds AgingTime)
    std::vector<uint32_t> m_floodPorts; //!< scratch list for flooding
    Time m_latency;                     //!< attribute Latency
    uint32_t m_inPipeline{0};           //!< frames received, not yet forwarded
    bool m_learning;                    //!< attribute Learning

    TracedCallback<uint32_t, Ptr<const Packet>> m_rxTrace;                //!< Rx
    TracedCallback<uint32_t, Ptr<const Packet>> m_txTrace;                //!< Tx
    TracedCallback<uint32_t, Ptr<const Packet>> m_reflectTrace;           //!< Reflect
    TracedCallback<uint32_t, Ptr<const Packet>, const char*> m_dropTrace; //!< Drop
    TracedCallback<Mac48Address, uint16_t, uint32_t> m_learnTrace;        //!< Learn
};

} // namespace ns3

#endif /* ETHERNET_SWITCH_H */
