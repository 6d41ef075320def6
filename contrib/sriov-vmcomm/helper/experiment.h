/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EXPERIMENT_H
#define EXPERIMENT_H

#include "experiment-options.h"
#include "latency-histogram.h"
#include "ns3/application-container.h"
#include "ns3/command-line.h"
#include "ns3/data-rate.h"
#include "ns3/ipv4-header.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/net-device-container.h"
#include "ns3/node-container.h"
#include "ns3/nstime.h"
#include "results-db.h"
#include "topology.h"

#include <map>
#include <stdexcept>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

namespace ns3 {

class EthernetSwitch;
class Host;
class QueueDiscItem;

/**
 * \ingroup sriov-vmcomm
 * \brief One scenario run, from options to a row set in the results database: builds the hosts
 * of a topology in one communication mode, the fabric between them, the traffic, runs it, and
 * collects flows, drops, counters and latency histograms.
 *
 * Every mode of DESIGN.md section 1 is built from the same options, so that a researcher
 * changes only `--mode` to compare them.
 */
class Experiment
{
  public:
    /**
     * One flow of the traffic pattern. Frames are counted at the IP layer of the VMs: a frame
     * sent is an IPv4 packet of the flow the sender's IP layer hands down (for TCP a segment
     * carrying data, retransmissions included; not pure ACKs); a frame received is one the
     * receiver's IP layer (TCP) or UDP application gets. Bytes are L4 payload bytes on both
     * sides; frame bytes are the Ethernet frame (header + FCS, padded to 64) that carries it.
     */
    struct Flow
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
         * GetReceiveSpan() (0 for an empty span) */
        double GetCarriedBps(Time span) const;
        /** \return payload bit/s received over \p span */
        double GetGoodputBps(Time span) const;
    };

    /**
     * A flow is saturated (its path could not carry what it offered) when it received less than
     * (1 - SATURATION_TOLERANCE) of its frames (lost, or still queued when the run ended), or
     * when its last frame took longer than its fastest one by more than SATURATION_TOLERANCE of
     * the time it sent for (a queue grew on its path). A TCP bulk sender always is.
     */
    static constexpr double SATURATION_TOLERANCE = 0.05;

    /**
     * \param scenario scenario name, as stored in the database
     * \param options the run's options (Main() replaces them with the command line's, which
     *        takes these as its defaults)
     */
    explicit Experiment(const std::string& scenario,
                        const ExperimentOptions& options = ExperimentOptions());
    ~Experiment();

    /** \return the options */
    const ExperimentOptions& GetOptions() const;

    /**
     * \brief Parse the command line, validate, run every requested mode, write the database.
     * \param argc argument count
     * \param argv arguments
     * \return the process exit status: 0; 2 on bad input (arguments, topology, a database that
     *         cannot be opened for writing), reported before anything is created or simulated;
     *         1 on a failure while running or writing
     */
    int Main(int argc, char** argv);

    /**
     * \brief Check the options and load the topology.
     * \throws ExperimentError naming the problem
     */
    void Validate();

    /**
     * \brief Build, run and collect one mode (the options must be valid).
     * \param mode the mode
     * \return the run's record, ready for the database
     */
    RunRecord RunMode(CommMode mode);

    /**
     * \brief RunMode() by the mode's name.
     * \param mode the mode's name
     * \return the run's record
     * \throws ExperimentError if \p mode names no mode
     */
    RunRecord RunMode(const std::string& mode);

    /** \return the modes this build knows */
    static std::vector<std::string> GetModes();

    /** \return the flows of the last run */
    const std::vector<Flow>& GetFlows() const;

  private:
    /** \brief Build the hosts and fabric for a mode. \param mode the mode */
    void Build(CommMode mode);
    /** \brief Build the links and switches of the topology, routes as static entries. */
    void BuildFabric();
    /** \brief Build the traffic applications. */
    void BuildTraffic();
    /**
     * \brief Gather the run's results.
     * \param mode the mode
     * \param wall wall-clock seconds of the run
     * \return the record
     */
    RunRecord Collect(CommMode mode, double wall);
    /** \brief Print one run's summary. \param r the record */
    void Print(const RunRecord& r) const;
    /**
     * \brief Check the attribute values that constrain each other (IotlbWays divides
     * IotlbEntries, ...), per NIC preset of the topology.
     * \throws ExperimentError naming both attributes
     */
    void CheckAttributeCombinations() const;
    /** \brief Give the run's random variables fixed streams (the same whatever ran before). */
    void AssignStreams();
    /** \return how many flows MakePattern() gives, without making them */
    uint64_t CountFlows() const;
    /**
     * \brief Estimate the run's memory: warn (stderr) above what is available, refuse above
     * what the machine has.
     * \throws ExperimentError when the machine cannot hold the run
     */
    void CheckMemory() const;
    /** \return the flows of the traffic pattern (global VM indices) */
    std::vector<VmPair> MakePattern() const;
    /** \return the VMs of each host, in topology order */
    std::vector<uint32_t> GetVmsPerHost() const;
    /** \brief Populate ARP caches for the flows, both ways (static, as VM images would). */
    void PopulateNeighbours();
    /**
     * \return busy time so far of every component whose utilization is reported, by
     * "component|counter" (PCIe link directions, forwarding cores), seconds
     */
    std::map<std::string, double> SnapshotBusy() const;
    /** \return true if the flow is saturated (SATURATION_TOLERANCE) \param f the flow */
    bool IsSaturated(const Flow& f) const;
    /**
     * \return the interval every flow's carried rate is measured over: from the first frame any
     * flow sent to the last frame any flow received (0 if nothing was received). Every frame
     * crossed its path within it, so rates over it never exceed what a link carries, and one
     * interval for all flows makes their rates add up.
     */
    Time GetReceiveSpan() const;
    /**
     * \brief Hook the drop trace of every component that counts drops in the `drops` table, to
     * charge each dropped frame to its flow (only drops pay: the fast path is untouched).
     */
    void ConnectDropTraces();
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
    /**
     * \brief Trace sink of a VM's IPv4 Drop: counted here (IPv4 has no counter) and charged.
     * \param ip header \param p packet \param reason why \param ipv4 the VM's IPv4 \param itf
     * interface
     */
    void IpDrop(const Ipv4Header& ip, Ptr<const Packet> p, Ipv4L3Protocol::DropReason reason,
                Ptr<Ipv4> ipv4, uint32_t itf);
    /** \brief Drop sink: NIC PacketDrop, virtio Drop. \param e run \param p frame */
    static void OnPacketDrop(Experiment* e, Ptr<const Packet> p, const char*);
    /**
     * \brief Drop sink of a virtual switch.
     * \param e run \param pfUplink the uplink is a PF, whose NIC counts what it refuses
     * \param p frame \param reason why
     */
    static void OnVswitchDrop(Experiment* e, bool pfUplink, Ptr<const Packet> p, uint32_t,
                              const char* reason);
    /** \brief Drop sink of an Ethernet switch. \param e run \param p frame */
    static void OnSwitchDrop(Experiment* e, uint32_t, Ptr<const Packet> p, const char*);
    /**
     * \brief Drop sink of a cable's device: receive drops only (what it refuses to send is
     * counted by the switch or NIC that handed it the frame). \param e run \param p frame
     * \param reason why
     */
    static void OnCableDrop(Experiment* e, Ptr<const Packet> p, const char* reason);
    /** \brief Drop sink of a VM's queue disc. \param e run \param item the dropped item */
    static void OnQueueDiscDrop(Experiment* e, Ptr<const QueueDiscItem> item);

    ExperimentOptions m_opt;                      //!< the options
    std::string m_scenario;                       //!< scenario name
    CommMode m_currentMode{CommMode::VF_DMA};     //!< mode being built or run
    Topology m_topology;                          //!< hosts, switches, links
    DataRate m_rate;                              //!< per-flow offered rate
    std::vector<Ptr<Host>> m_hosts;               //!< per topology host
    std::vector<Ptr<Node>> m_switchNodes;         //!< per topology switch
    std::vector<Ptr<EthernetSwitch>> m_switches;  //!< per topology switch
    std::vector<Ptr<NetDevice>> m_fabricDevices;  //!< every fabric port
    NodeContainer m_vmNodes;                      //!< every VM, global index
    std::vector<uint32_t> m_vmHost;               //!< global VM index -> host ordinal
    NetDeviceContainer m_vmDevices;               //!< every VM's guest NIC
    std::vector<Ipv4Address> m_vmAddress;         //!< IPv4 address per VM
    std::vector<Flow> m_flows;                    //!< traffic
    LatencyHistogram m_allLatency;                //!< every flow's latency together
    std::map<std::string, std::string> m_options; //!< option name -> value, for run_params
    /** per sending VM: its flows by (destination address, port) */
    std::map<uint32_t, std::map<std::pair<uint32_t, uint16_t>, Flow*>> m_senders;
    /** tcp, per receiving VM: its flows by (source address, destination port) */
    std::map<uint32_t, std::map<std::pair<uint32_t, uint16_t>, Flow*>> m_tcpReceivers;
    Time m_windowStart;                        //!< start of the traffic window
    std::map<std::string, double> m_busyStart; //!< SnapshotBusy() at the window's start
    std::map<std::string, double> m_busyEnd;   //!< SnapshotBusy() at the window's end
    /** flow by (source address, destination address, destination port), to charge drops */
    std::map<std::tuple<uint32_t, uint32_t, uint16_t>, Flow*> m_flowByKey;
    uint64_t m_unchargedDrops{0};                  //!< drops of frames of no flow
    std::map<const Ipv4*, std::string> m_ipv4Host; //!< VM's IPv4 -> its host's name
    std::map<std::pair<std::string, std::string>, uint64_t> m_ipDrops; //!< (component, reason)
};

} // namespace ns3

#endif /* EXPERIMENT_H */
