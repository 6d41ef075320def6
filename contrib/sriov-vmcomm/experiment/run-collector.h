/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * RunCollector: what a scenario run measured, into its RunRecord: the flows' rows and latency
 * histograms, the traffic's offered and carried load, and per component (NICs, IOMMUs, PCIe
 * links, VFs, virtio NICs, guest IP and queue discs, virtual switches, host cores, cables,
 * Ethernet switches) its counters and its drops by reason; it also charges each dropped frame
 * to its flow through the components' drop traces.
 */
#ifndef RUN_COLLECTOR_H
#define RUN_COLLECTOR_H

#include "ns3/ipv4-l3-protocol.h"
#include "ns3/nstime.h"
#include "ns3/ptr.h"
#include "results-db.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace ns3 {

class EthernetSwitch;
class Host;
class QueueDiscItem;
class TrafficBuilder;

/**
 * \ingroup sriov-vmcomm
 * \brief Collects one run's results: ConnectDropTraces() and ScheduleWindow() before the
 * simulation runs, CollectFlows() and CollectComponents() after.
 */
class RunCollector
{
  public:
    /**
     * \param hosts the hosts, by ordinal
     * \param switches the Ethernet switches
     * \param switchNames their names, as components
     * \param traffic the run's traffic, whose flows dropped frames are charged to
     */
    RunCollector(const std::vector<Ptr<Host>>& hosts,
                 const std::vector<Ptr<EthernetSwitch>>& switches,
                 const std::vector<std::string>& switchNames, TrafficBuilder& traffic);

    /**
     * \brief Hook the drop trace of every component that counts drops in the `drops` table, to
     * charge each dropped frame to its flow (only drops pay: the fast path is untouched), and
     * count the VMs' IPv4 drops (IPv4 has no counter).
     */
    void ConnectDropTraces();

    /**
     * \brief Take the busy time of the components whose utilization is reported at both ends
     * of the traffic window: utilization is busy time within it over its length, not diluted
     * by the idle start and the drain.
     * \param start start of the window \param duration its length
     */
    void ScheduleWindow(Time start, Time duration);

    /**
     * \brief Add the flows' rows and histograms, and the traffic's load counters.
     * \param r the record
     * \param vmHost host ordinal per VM
     * \param tcp the flows are TCP (no in-flight figure)
     */
    void CollectFlows(RunRecord& r, const std::vector<uint32_t>& vmHost, bool tcp) const;

    /**
     * \brief Add every component's counters and drops.
     * \param r the record
     */
    void CollectComponents(RunRecord& r) const;

  private:
    /**
     * \return busy time so far of every component whose utilization is reported, by
     * "component|counter" (PCIe link directions, forwarding cores), seconds
     */
    std::map<std::string, double> SnapshotBusy() const;
    /** \return the utilization within the window of \p key (SnapshotBusy) \param key key */
    double InWindow(const std::string& key) const;
    /** \brief Add a host's counters and drops. \param r record \param h host */
    void CollectHost(RunRecord& r, const Ptr<Host>& h) const;
    /**
     * \brief Trace sink of a VM's IPv4 Drop: counted here and charged.
     * \param ip header \param p packet \param reason why \param ipv4 the VM's IPv4 \param itf
     * interface
     */
    void IpDrop(const Ipv4Header& ip, Ptr<const Packet> p, Ipv4L3Protocol::DropReason reason,
                Ptr<Ipv4> ipv4, uint32_t itf);
    /** \brief Drop sink: NIC PacketDrop, virtio Drop. \param c collector \param p frame */
    static void OnPacketDrop(RunCollector* c, Ptr<const Packet> p, const char*);
    /**
     * \brief Drop sink of a virtual switch.
     * \param c collector \param pfUplink the uplink is a PF, whose NIC counts what it refuses
     * \param p frame \param reason why
     */
    static void OnVswitchDrop(RunCollector* c, bool pfUplink, Ptr<const Packet> p, uint32_t,
                              const char* reason);
    /** \brief Drop sink of an Ethernet switch. \param c collector \param p frame */
    static void OnSwitchDrop(RunCollector* c, uint32_t, Ptr<const Packet> p, const char*);
    /**
     * \brief Drop sink of a cable's device: receive drops only (what it refuses to send is
     * counted by the switch or NIC that handed it the frame). \param c collector \param p frame
     * \param reason why
     */
    static void OnCableDrop(RunCollector* c, Ptr<const Packet> p, const char* reason);
    /** \brief Drop sink of a VM's queue disc. \param c collector \param item the dropped item */
    static void OnQueueDiscDrop(RunCollector* c, Ptr<const QueueDiscItem> item);

    std::vector<Ptr<Host>> m_hosts;                //!< the hosts
    std::vector<Ptr<EthernetSwitch>> m_switches;   //!< the switches
    std::vector<std::string> m_switchNames;        //!< their names
    TrafficBuilder& m_traffic;                     //!< the flows
    Time m_windowStart;                            //!< start of the traffic window
    Time m_window;                                 //!< its length
    std::map<std::string, double> m_busyStart;     //!< SnapshotBusy() at the window's start
    std::map<std::string, double> m_busyEnd;       //!< SnapshotBusy() at the window's end
    std::map<const Ipv4*, std::string> m_ipv4Host; //!< VM's IPv4 -> its host's name
    std::map<std::pair<std::string, std::string>, uint64_t> m_ipDrops; //!< (component, reason)
};

} // namespace ns3

#endif /* RUN_COLLECTOR_H */
