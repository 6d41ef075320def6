/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef ETHERNET_NET_DEVICE_H
#define ETHERNET_NET_DEVICE_H

#include "ethernet-frame.h"
#include "ns3/callback.h"
#include "ns3/data-rate.h"
#include "ns3/mac48-address.h"
#include "ns3/net-device.h"
#include "ns3/nstime.h"
#include "ns3/packet.h"
#include "ns3/ptr.h"
#include "ns3/queue-fwd.h"
#include "ns3/traced-callback.h"

namespace ns3 {

class EthernetChannel;
class ErrorModel;
class Node;

/**
 * \ingroup sriov-vmcomm
 * \brief A full-duplex Ethernet port (MAC + PHY) at one end of an EthernetChannel.
 *
 * Frames are serialized at DataRate with the real framing overhead counted as line time
 * (preamble + SFD, MAC header with or without 802.1Q tag, pad to 64 bytes, FCS, inter-frame
 * gap; see EthernetFraming), so 64-byte frames at 100 Gb/s leave at 148.81 Mframes/s. Line time
 * is kept to a fraction of a simulator tick across back-to-back frames, so the rate is exact
 * even when a frame's time is not a whole number of ticks (6.72 ns at 100 Gb/s).
 *
 * Frames wait in a transmit queue (an ns3::Queue<Packet>, DropTailQueue by default); a frame
 * that finds it full is dropped and counted. The device sends with the MAC header of
 * EthernetFrameHeader; with a VlanId it tags its frames and its stack receives only frames of
 * that VLAN, the promiscuous callback receives every frame (tagged ones with an EthernetVlanTag).
 * It supports SendFrom, so it can be a bridge port, an SR-IOV NIC's uplink or an EthernetSwitch
 * port.
 *
 * Per frame the device schedules what a PointToPointNetDevice does: one transmit-complete event
 * and, through the channel, one receive event at the peer; the packet itself travels.
 */
class EthernetNetDevice : public NetDevice
{
  public:
    /** Why the device dropped a frame. */
    enum DropReason
    {
        DROP_QUEUE_FULL = 0, //!< TX: the transmit queue was full
        DROP_TOO_LARGE,      //!< TX: payload larger than the MTU
        DROP_LINK_DOWN,      //!< TX: no peer attached
        DROP_RX_ERROR,       //!< RX: corrupted (receive error model)
        DROP_VLAN_MISMATCH,  //!< RX: not of the device's VLAN, and no promiscuous receiver
        DROP_NOT_FOR_HOST,   //!< RX: addressed to another host, and no promiscuous receiver
        DROP_REASONS         //!< number of reasons
    };

    /** Outcome of SendFrame. */
    enum TxStatus
    {
        TX_OK = 0,     //!< queued or on the wire
        TX_QUEUE_FULL, //!< dropped: transmit queue full
        TX_TOO_LARGE,  //!< dropped: payload larger than the MTU
        TX_LINK_DOWN   //!< dropped: no peer
    };

    /**
     * Receive hook of a switch port: the device, the payload (header removed) and the header.
     * When set, every received frame goes to it and nowhere else.
     */
    typedef Callback<void, Ptr<EthernetNetDevice>, Ptr<Packet>, const EthernetFrameHeader&>
        FrameReceiveCallback;

    /**
     * TracedCallback signature for drops with a reason.
     * \param packet the frame or payload
     * \param reason the reason's name (GetDropReasonName)
     */
    typedef void (*DropTracedCallback)(Ptr<const Packet> packet, const char* reason);

    /**
     * \param reason a drop reason
     * \return its name ("queue-full", ...)
     */
    static const char* GetDropReasonName(DropReason reason);

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    /** A device with default attributes, not attached to a channel. */
    EthernetNetDevice();
    ~EthernetNetDevice() override;

    /**
     * \brief Connect the device to a cable.
     * \param channel the channel
     * \return true
     */
    bool Attach(Ptr<EthernetChannel> channel);

    /** \param rate line rate */
    void SetDataRate(DataRate rate);
    /** \return line rate */
    DataRate GetDataRate() const;
    /** \return the time a frame spends in this port's physical layer each way (PhyLatency) */
    Time GetPhyLatency() const;

    /** \param queue the transmit queue */
    void SetQueue(Ptr<Queue<Packet>> queue);
    /** \return the transmit queue (created with default attributes on first use if none set) */
    Ptr<Queue<Packet>> GetQueue() const;

    /** \param em error model applied to received frames (null: none) */
    void SetReceiveErrorModel(Ptr<ErrorModel> em);

    /** \param vlan VLAN id of this interface (1..4094), or EthernetFrameHeader::NO_VLAN */
    void SetVlanId(uint16_t vlan);
    /** \return VLAN id of this interface, or EthernetFrameHeader::NO_VLAN */
    uint16_t GetVlanId() const;

    /**
     * \brief Line time of one frame, inter-frame gap included (the inverse of the frame rate of
     * back-to-back frames), without rounding to simulator ticks.
     * \param payloadBytes payload bytes (after the MAC header)
     * \param tagged whether the frame carries an 802.1Q tag
     * \return seconds
     */
    double GetFrameLineSeconds(uint32_t payloadBytes, bool tagged) const;

    /**
     * \brief Queue a frame with a given header (used by EthernetSwitch, which sets the egress
     * VLAN). Fires MacTx, then queues; MacTxDrop and Drop on failure.
     * \param payload the payload (the header is added to it)
     * \param header the MAC header to send it with
     * \return TX_OK, or why it was dropped
     */
    TxStatus SendFrame(Ptr<Packet> payload, const EthernetFrameHeader& header);

    /**
     * \brief Make the device a switch port: every frame it receives goes to \p cb (and not to
     * the node's protocol handlers). A null callback ends this.
     * \param cb the switch's receive function
     */
    void SetFrameReceiveCallback(FrameReceiveCallback cb);

    /**
     * \brief Called by the channel when a frame's last bit has arrived.
     * \param packet the frame (MAC header and payload)
     */
    void Receive(Ptr<Packet> packet);

    /** \brief Called by the channel when both ends are attached. */
    void NotifyLinkUp();

    /** \return frames put on the wire */
    uint64_t GetTxFrames() const;
    /** \return bytes put on the wire, MAC header and payload (no preamble, pad, FCS, gap) */
    uint64_t GetTxBytes() const;
    /** \return bytes of line time used, preamble to inter-frame gap */
    uint64_t GetTxWireBytes() const;
    /** \return frames received intact (error-model drops excluded), before address and VLAN
     * filtering */
    uint64_t GetRxFrames() const;
    /** \return bytes received, MAC header and payload */
    uint64_t GetRxBytes() const;
    /** \param reason a reason \return frames dropped for it */
    uint64_t GetDrops(DropReason reason) const;

    // NetDevice
    void SetIfIndex(const uint32_t index) override;
    uint32_t GetIfIndex() const override;
    Ptr<Channel> GetChannel() const override;
    void SetAddress(Address address) override;
    Address GetAddress() const override;
    bool SetMtu(const uint16_t mtu) override;
    uint16_t GetMtu() const override;
    bool IsLinkUp() const override;
    void AddLinkChangeCallback(Callback<void> callback) override;
    bool IsBroadcast() const override;
    Address GetBroadcast() const override;
    bool IsMulticast() const override;
    Address GetMulticast(Ipv4Address multicastGroup) const override;
    Address GetMulticast(Ipv6Address addr) const override;
    bool IsPointToPoint() const override;
    bool IsBridge() const override;
    bool Send(Ptr<Packet> packet, const Address& dest, uint16_t protocolNumber) override;
    bool SendFrom(Ptr<Packet> packet, const Address& source, const Address& dest,
                  uint16_t protocolNumber) override;
    Ptr<Node> GetNode() const override;
    void SetNode(Ptr<Node> node) override;
    bool NeedsArp() const override;
    void SetReceiveCallback(NetDevice::ReceiveCallback cb) override;
    void SetPromiscReceiveCallback(NetDevice::PromiscReceiveCallback cb) override;
    bool SupportsSendFrom() const override;

  protected:
    void DoDispose() override;

  private:
    /**
     * \brief Put a frame on the wire (the transmitter is idle).
     * \param packet the frame
     */
    void TransmitStart(Ptr<Packet> packet);
    /** \brief The frame and its inter-frame gap are over: send the next one, if any. */
    void TransmitComplete();
    /**
     * \brief Count a drop and fire the Drop trace.
     * \param packet the frame or payload
     * \param reason why
     */
    void CountDrop(Ptr<const Packet> packet, DropReason reason);
    /** \brief Create a default transmit queue if none was set. */
    void EnsureQueue() const;

    Ptr<Node> m_node;                        //!< owner
    Ptr<EthernetChannel> m_channel;          //!< cable
    mutable Ptr<Queue<Packet>> m_queue;      //!< transmit queue (attribute TxQueue)
    Ptr<ErrorModel> m_receiveErrorModel;     //!< attribute ReceiveErrorModel
    Mac48Address m_address;                  //!< attribute Address
    DataRate m_bps;                          //!< attribute DataRate
    Time m_phyLatency;                       //!< attribute PhyLatency
    uint16_t m_mtu;                          //!< attribute Mtu
    uint16_t m_vlan;                         //!< attribute VlanId
    uint32_t m_ifIndex;                      //!< interface index
    bool m_linkUp;                           //!< both ends attached
    bool m_txBusy;                           //!< a frame or its gap is on the wire
    Ptr<Packet> m_currentPkt;                //!< frame on the wire
    Time m_txEnd;                            //!< instant the last TransmitComplete was due
    double m_txCarry;                        //!< line time past m_txEnd, fraction of a tick
    NetDevice::ReceiveCallback m_rxCallback; //!< the node's protocol handlers
    NetDevice::PromiscReceiveCallback m_promiscCallback; //!< promiscuous receiver
    FrameReceiveCallback m_frameRxCallback;              //!< switch port hook
    TracedCallback<> m_linkChangeCallbacks;              //!< link change
    uint64_t m_txFrames;                                 //!< counter
    uint64_t m_txBytes;                                  //!< counter
    uint64_t m_txWireBytes;                              //!< counter
    uint64_t m_rxFrames;                                 //!< counter
    uint64_t m_rxBytes;                                  //!< counter
    uint64_t m_drops[DROP_REASONS];                      //!< counters per reason

    TracedCallback<Ptr<const Packet>> m_macTxTrace;             //!< MacTx
    TracedCallback<Ptr<const Packet>> m_macTxDropTrace;         //!< MacTxDrop
    TracedCallback<Ptr<const Packet>> m_macPromiscRxTrace;      //!< MacPromiscRx
    TracedCallback<Ptr<const Packet>> m_macRxTrace;             //!< MacRx
    TracedCallback<Ptr<const Packet>> m_phyTxBeginTrace;        //!< PhyTxBegin
    TracedCallback<Ptr<const Packet>> m_phyTxEndTrace;          //!< PhyTxEnd
    TracedCallback<Ptr<const Packet>> m_phyRxEndTrace;          //!< PhyRxEnd
    TracedCallback<Ptr<const Packet>> m_phyRxDropTrace;         //!< PhyRxDrop
    TracedCallback<Ptr<const Packet>> m_snifferTrace;           //!< Sniffer
    TracedCallback<Ptr<const Packet>> m_promiscSnifferTrace;    //!< PromiscSniffer
    TracedCallback<Ptr<const Packet>, const char*> m_dropTrace; //!< Drop
};

} // namespace ns3

#endif /* ETHERNET_NET_DEVICE_H */
