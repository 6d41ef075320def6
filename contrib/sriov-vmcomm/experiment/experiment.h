/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Experiment: one scenario run, orchestrated: validate the options against the topology, build
 * the hosts in a mode (VmCommHelper), the fabric (FabricBuilder) and the traffic
 * (TrafficBuilder), run, and collect the RunRecord (RunCollector).
 */
#ifndef EXPERIMENT_H
#define EXPERIMENT_H

#include "experiment-options.h"
#include "ns3/data-rate.h"
#include "ns3/latency-histogram.h"
#include "ns3/net-device.h"
#include "ns3/node.h"
#include "ns3/vmcomm-helper.h"
#include "results-db.h"
#include "run-collector.h"
#include "topology.h"
#include "traffic-builder.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace ns3 {

class EthernetSwitch;
class Host;

/**
 * \ingroup sriov-vmcomm
 * \brief One scenario run, from options to a row set in the results database: builds the hosts
 * of a topology in one communication mode, the fabric between them, the traffic, runs it, and
 * collects flows, drops, counters and latency histograms.
 *
 * Every mode of doc/modes.md is built from the same options, so that a researcher
 * changes only `--mode` to compare them.
 */
class Experiment
{
  public:
    /** One flow of the traffic pattern and what it did. */
    using Flow = TrafficFlow;

    /** See TrafficBuilder::SATURATION_TOLERANCE. */
    static constexpr double SATURATION_TOLERANCE = TrafficBuilder::SATURATION_TOLERANCE;

    /**
     * \param scenario scenario name, as stored in the database
     * \param options the run's options (RunExperimentProgram() gives the command line's)
     */
    explicit Experiment(const std::string& scenario,
                        const ExperimentOptions& options = ExperimentOptions());
    ~Experiment();

    /** \return the options */
    const ExperimentOptions& GetOptions() const;

    /**
     * \brief Set the options as the command line gave them, recorded in run_params with the
     * attributes in force (RunExperimentProgram sets them; a run without keeps none).
     * \param options option name -> value
     */
    void SetRecordedOptions(const std::map<std::string, std::string>& options);

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

    /**
     * \brief Estimate the run's memory (after Validate()): warn (stderr) above what is
     * available, refuse above what the machine has.
     * \throws ExperimentError when the machine cannot hold the run
     */
    void CheckMemory() const;

    /** \return the modes this build knows */
    static std::vector<std::string> GetModes();

    /** \return the flows of the last run */
    const std::vector<Flow>& GetFlows() const;

  private:
    /**
     * \brief The helper building a host of the topology in a mode (its name, NICs, NIC preset
     * and switch profile). \param spec the host \param mode the mode \return the helper
     */
    VmCommHelper MakeHelper(const TopologyNode& spec, CommMode mode) const;
    /** \brief Build the hosts and fabric for a mode. \param mode the mode */
    void Build(CommMode mode);
    /** \brief Build the links and switches of the topology (FabricBuilder). */
    void BuildFabric();
    /**
     * \brief Gather the run's results.
     * \param mode the mode
     * \param wall wall-clock seconds of the run
     * \return the record
     */
    RunRecord Collect(CommMode mode, double wall);
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
    /** \return the flows of the traffic pattern (global VM indices) */
    std::vector<VmPair> MakePattern() const;
    /** \return the VMs of each host, in topology order */
    std::vector<uint32_t> GetVmsPerHost() const;

    ExperimentOptions m_opt;                      //!< the options
    std::string m_scenario;                       //!< scenario name
    CommMode m_currentMode{CommMode::VF_DMA};     //!< mode being built or run
    Topology m_topology;                          //!< hosts, switches, links
    DataRate m_rate;                              //!< per-flow offered rate
    std::vector<Ptr<Host>> m_hosts;               //!< per topology host
    std::vector<Ptr<Node>> m_switchNodes;         //!< per topology switch
    std::vector<Ptr<EthernetSwitch>> m_switches;  //!< per topology switch
    std::vector<Ptr<NetDevice>> m_fabricDevices;  //!< every fabric port
    VmTable m_vms;                                //!< every VM, global index
    std::unique_ptr<TrafficBuilder> m_traffic;    //!< the last run's traffic and flows
    std::unique_ptr<RunCollector> m_collector;    //!< the run's collector
    std::map<std::string, std::string> m_options; //!< option name -> value, for run_params
};

} // namespace ns3

#endif /* EXPERIMENT_H */
