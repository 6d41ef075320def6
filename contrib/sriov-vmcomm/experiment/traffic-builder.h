/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * TrafficBuilder: the traffic of a scenario run: one flow per pair of the traffic pattern,
 * the VMs' neighbour (ARP) entries and virtual-switch rules for them, the applications and
 * sinks, and the per-flow statistics (frames, bytes, latency, drops charged to the flow).
 */
#ifndef TRAFFIC_BUILDER_H
#define TRAFFIC_BUILDER_H

#include "experiment-options.h"
#include "ns3/data-rate.h"
#include "ns3/ipv4-address.h"
#include "ns3/ipv4-header.h"
#include "ns3/latency-histogram.h"
#include "ns3/net-device-container.h"
#include "ns3/node-container.h"
#include "ns3/nstime.h"
#include "ns3/packet.h"
#include "traffic-pattern.h"

#include <map>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

namespace ns3 {

class Host;

/**
 * \ingroup sriov-vmcomm
 * \brief One flow of the traffic pattern and what it did. Frames are counted at the IP layer
 * of the VMs: a frame sent is an IPv4 packet of the flow the sender's IP layer hands down (for
 * TCP a segment carrying data, retransmissions included; not pure ACKs); a frame received is
 * one the receiver's IP layer (TCP) or UDP application gets. Bytes are L4 payload bytes on both
 * sides; frame bytes are the Ethernet frame (header + FCS, padded to 64) that carries it.
 */
struct TrafficFlow
{
    uint32_t src;                  //!< global VM index of the sender
    uint32_t dst;                  //!< global VM index of the receiver
    uint64_t txFrames{0};          //!< frames sent
    uint64_t txBytes{0};           //!< payload bytes sent
    uint64_t txFrameBytes{0};      //!< Ethernet frame bytes sent
    uint64_t rxFrames{0};          //!< frames received
    uint64_t rxBytes{0};           //!< payload bytes received
    uint64_t rxFrameBytes{0};      //!< Ethernet frame bytes received
    Time firstTx;                  //!< instant of the first frame sent
    Time lastTx;                   //!< instant of the last frame sent
    Time lastRx;                   //!< instant of the last frame received
    uint32_t firstTxFrameBytes{0}; //!< frame bytes of the first frame sent
    LatencyHistogram latency;      //!< one-way latency of the frames
    Time lastLatency;              //!< one-way latency of the last frame received
    uint64_t dropped{0};           //!< frames of the flow counted in a drop counter
    /// tcp: send instant of each data segment not yet received, by sequence number
    std::unordered_map<uint32_t, Time> tcpSent;

    /** \return frame bit/s the sender offered: frame bits after the first frame over the
     * time from the first to the last frame sent (0 below two frames) */
    double GetOfferedBps() const;
    /** \return frame bit/s the flow carried: frame bits received over \p span, the run's
     * TrafficBuilder::GetReceiveSpan() (0 for an empty span) */
    double GetCarriedBps(Time span) const;
    /** \return payload bit/s received over \p span */
    double GetGoodputBps(Time span) const;
};

/**
 * \ingroup sriov-vmcomm
 * \brief The VMs of a run, by global index (host by host, in topology order).
 */
struct VmTable
{
    NodeContainer nodes;                //!< every VM
    NetDeviceContainer devices;         //!< every VM's guest NIC
    std::vector<Ipv4Address> addresses; //!< IPv4 address per VM
    std::vector<uint32_t> host;         //!< host ordinal per VM
};

/**
 * \ingroup sriov-vmcomm
 * \brief Builds the traffic of a run and keeps its per-flow statistics.
 *
 * Prepare() makes the flows and fills the VMs' ARP caches for them, both ways (static, as VM
 * images would), and the virtual switches' forwarding entries for remote ends (an operator's
 * flow rules); InstallApplications() installs per flow a sender (UdpClient, OnOff or BulkSend,
 * --app) on the source VM from GetStart() for the options' duration, and a sink on the
 * destination VM, and hooks the IP layer traces that count frames. Drop trace sinks charge a
 * dropped frame to its flow with ChargeDrop().
 */
class TrafficBuilder
{
  public:
    /**
     * \param options the run's options (app, frame size, duration, TCP buffers)
     * \param rate per-flow offered rate
     */
    TrafficBuilder(const ExperimentOptions& options, DataRate rate);

    /**
     * \brief Make the flows and their neighbour entries; set the TCP socket buffers.
     * \param pattern the flows' (source, destination) VMs
     * \param vms the VMs (they have IPv4)
     * \param hosts the hosts, by ordinal
     */
    void Prepare(const std::vector<VmPair>& pattern, const VmTable& vms,
                 const std::vector<Ptr<Host>>& hosts);

    /** \brief Install the applications and sinks of the flows Prepare() made. */
    void InstallApplications();

    /** \return the instant the applications start sending */
    static Time GetStart();

    /** \return the flows */
    const std::vector<TrafficFlow>& GetFlows() const;

    /** \return the latency of every flow's frames together */
    const LatencyHistogram& GetLatency() const;

    /**
     * \brief Charge a dropped frame to its flow.
     * \param p the frame: an IPv4 packet, with or without its Ethernet header (may be null)
     */
    void ChargeDrop(Ptr<const Packet> p);

    /**
     * \brief Charge a dropped frame to its flow.
     * \param ip its IPv4 header \param l4 its payload, starting with the UDP or TCP header
     */
    void ChargeDrop(const Ipv4Header& ip, Ptr<const Packet> l4);

    /** \return drops of frames of no flow */
    uint64_t GetUnchargedDrops() const;

    /**
     * \return the interval every flow's carried rate is measured over: from the first frame any
     * flow sent to the last frame any flow received (0 if nothing was received). Every frame
     * crossed its path within it, so rates over it never exceed what a link carries, and one
     * interval for all flows makes their rates add up.
     */
    Time GetReceiveSpan() const;

    /**
     * A flow is saturated (its path could not carry what it offered) when it received less
     * than (1 - SATURATION_TOLERANCE) of its frames (lost, or still queued when the run ended),
     * or when its last frame took longer than its fastest one by more than SATURATION_TOLERANCE
     * of the time it sent for (a queue grew on its path). A TCP bulk sender always is.
     */
    static constexpr double SATURATION_TOLERANCE = 0.05;

    /** \return true if the flow is saturated (SATURATION_TOLERANCE) \param f the flow */
    bool IsSaturated(const TrafficFlow& f) const;

    /** Ethernet header + FCS bytes around a frame's payload. */
    static constexpr uint32_t ETH_OVERHEAD = 18;
    /** Ethernet, IPv4 and UDP header bytes around a UDP payload. */
    static constexpr uint32_t UDP_OVERHEAD = ETH_OVERHEAD + 20 + 8;
    /** Ethernet, IPv4 and TCP header (with the timestamp option) bytes around a TCP payload. */
    static constexpr uint32_t TCP_OVERHEAD = ETH_OVERHEAD + 20 + 32;

    /** A VM's flows by (remote address, port). */
    using FlowMap = std::map<std::pair<uint32_t, uint16_t>, TrafficFlow*>;

  private:
    ExperimentOptions m_options;      //!< the run's options
    DataRate m_rate;                  //!< per-flow offered rate
    VmTable m_vms;                    //!< the VMs
    std::vector<TrafficFlow> m_flows; //!< the flows (not resized after Prepare)
    LatencyHistogram m_allLatency;    //!< every flow's latency together
    /** per sending VM: its flows by (destination address, port) */
    std::map<uint32_t, FlowMap> m_senders;
    /** tcp, per receiving VM: its flows by (source address, destination port) */
    std::map<uint32_t, FlowMap> m_tcpReceivers;
    /** flow by (source address, destination address, destination port), to charge drops */
    std::map<std::tuple<uint32_t, uint32_t, uint16_t>, TrafficFlow*> m_flowByKey;
    uint64_t m_unchargedDrops{0}; //!< drops of frames of no flow
};

} // namespace ns3

#endif /* TRAFFIC_BUILDER_H */
