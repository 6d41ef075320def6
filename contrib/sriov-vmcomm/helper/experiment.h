/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EXPERIMENT_H
#define EXPERIMENT_H

#include "command-line-check.h"
#include "latency-histogram.h"
#include "ns3/application-container.h"
#include "ns3/command-line.h"
#include "ns3/data-rate.h"
#include "ns3/net-device-container.h"
#include "ns3/node-container.h"
#include "ns3/nstime.h"
#include "results-db.h"
#include "topology.h"

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace ns3 {

class Host;

/**
 * \ingroup sriov-vmcomm
 * \brief Bad input to a scenario: the message names the option, the value and what is allowed.
 * Scenario programs turn it into exit status 2, before anything is written.
 */
class ExperimentError : public std::runtime_error
{
  public:
    /** \param what the message */
    explicit ExperimentError(const std::string& what);
};

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
    /** One flow of the traffic pattern. */
    struct Flow
    {
        uint32_t src;             //!< global VM index of the sender
        uint32_t dst;             //!< global VM index of the receiver
        uint64_t txFrames{0};     //!< packets the application sent
        uint64_t txBytes{0};      //!< bytes the application sent
        uint64_t rxFrames{0};     //!< packets received
        uint64_t rxBytes{0};      //!< bytes received
        LatencyHistogram latency; //!< one-way application latency
    };

    /** \param scenario scenario name, as stored in the database */
    explicit Experiment(const std::string& scenario);
    ~Experiment();

    /**
     * \brief Register the scenario options on a command line.
     * \param cmd the program's command line
     */
    void AddOptions(CommandLine& cmd);

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
    RunRecord RunMode(const std::string& mode);

    /** \return the modes this build knows */
    static std::vector<std::string> GetModes();

    /** \return the flows of the last run */
    const std::vector<Flow>& GetFlows() const;

    // Options (public so that programs may set defaults before AddOptions)
    std::string m_mode;         //!< --mode: a mode, or "all"
    std::string m_topologyFile; //!< --topology: DOT file; empty = built-in rack
    uint32_t m_nHosts;          //!< --hosts: hosts of the built-in topology
    uint32_t m_vms;             //!< --vms: VMs per host of the built-in topology
    uint32_t m_nics;            //!< --nics: SR-IOV NICs per host
    std::string m_traffic;      //!< --traffic: pairs|all-to-all|incast|permutation
    std::string m_placement;    //!< --placement: same-host|cross-host (pairs)
    std::string m_app;          //!< --app: udp|onoff|tcp
    uint32_t m_size;            //!< --size: Ethernet frame bytes incl. FCS
    std::string m_load;         //!< --load: per-flow offered rate, or a fraction of line rate
    std::string m_lineRate;     //!< --line-rate: what a fractional load refers to
    Time m_duration;            //!< --duration: traffic time
    std::string m_db;           //!< --db: results database (empty: none)
    std::string m_point;        //!< --point: sweep point key
    bool m_quiet;               //!< --quiet: no summary on stdout

  private:
    /** \brief Build the hosts and fabric for a mode. \param mode the mode */
    void Build(const std::string& mode);
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
    RunRecord Collect(const std::string& mode, double wall);
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
    std::vector<std::pair<uint32_t, uint32_t>> MakePattern() const;
    /** \brief Populate ARP caches for the flows, both ways (static, as VM images would). */
    void PopulateNeighbours();

    std::string m_scenario;                       //!< scenario name
    std::string m_currentMode;                    //!< mode being built or run
    Topology m_topology;                          //!< hosts, switches, links
    DataRate m_rate;                              //!< per-flow offered rate
    std::vector<Ptr<Host>> m_hosts;               //!< per topology host
    std::vector<Ptr<Node>> m_switchNodes;         //!< per topology switch
    std::vector<Ptr<Object>> m_switches;          //!< the switch objects
    std::vector<Ptr<NetDevice>> m_fabricDevices;  //!< every fabric port
    NodeContainer m_vmNodes;                      //!< every VM, global index
    std::vector<uint32_t> m_vmHost;               //!< global VM index -> host ordinal
    NetDeviceContainer m_vmDevices;               //!< every VM's guest NIC
    std::vector<Ipv4Address> m_vmAddress;         //!< IPv4 address per VM
    std::vector<Flow> m_flows;                    //!< traffic
    LatencyHistogram m_allLatency;                //!< every flow's latency together
    std::map<std::string, std::string> m_options; //!< option name -> value, for run_params
    CommandLineCheck m_check;                     //!< the options, to check argv before parsing
    /** per sending VM: its UDP flows by (destination address, port) */
    std::map<uint32_t, std::map<std::pair<uint32_t, uint16_t>, Flow*>> m_udpSenders;
};

} // namespace ns3

#endif /* EXPERIMENT_H */
