/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef ETHERNET_CHANNEL_H
#define ETHERNET_CHANNEL_H

#include "ns3/channel.h"
#include "ns3/nstime.h"
#include "ns3/packet.h"
#include "ns3/ptr.h"

namespace ns3 {

class EthernetNetDevice;

/**
 * \ingroup sriov-vmcomm
 * \brief The cable of a full-duplex point-to-point Ethernet link (an "Ethernet link" is this
 * channel and the two EthernetNetDevices at its ends).
 *
 * Each direction is independent: each device serializes its own frames (framing overhead and
 * inter-frame gap counted there) and the channel adds the propagation delay. No collisions, no
 * carrier sense: full-duplex Ethernet (IEEE 802.3 clause 4 full-duplex mode) has neither.
 */
class EthernetChannel : public Channel
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    /** A cable with no device attached. */
    EthernetChannel();

    /**
     * \brief Attach a device to one end of the cable; when both ends are attached the link is up.
     * \param device the device (at most two)
     */
    void Attach(Ptr<EthernetNetDevice> device);

    /**
     * \brief A device has started a frame: deliver it to the device at the other end once its
     * last bit is out plus the propagation delay.
     * \param packet the frame (MAC header and payload)
     * \param source the sending device
     * \param frameTime time from the frame's first to its last bit on the wire (preamble to FCS)
     * \return false if no device is attached at the other end (the frame is lost)
     */
    bool TransmitStart(Ptr<Packet> packet, Ptr<EthernetNetDevice> source, Time frameTime);

    /** \return the one-way propagation delay */
    Time GetDelay() const;

    /**
     * \param device a device attached to this channel
     * \return the device at the other end (null if none)
     */
    Ptr<EthernetNetDevice> GetPeer(Ptr<const EthernetNetDevice> device) const;

    std::size_t GetNDevices() const override;
    Ptr<NetDevice> GetDevice(std::size_t i) const override;

  protected:
    void DoDispose() override;

  private:
    Ptr<EthernetNetDevice> m_device[2]; //!< the two ends
    std::size_t m_nDevices;             //!< ends attached
    Time m_delay;                       //!< attribute: propagation delay
};

} // namespace ns3

#endif /* ETHERNET_CHANNEL_H */
