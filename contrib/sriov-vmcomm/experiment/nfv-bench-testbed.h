/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The NFV benchmark's testbed (Zhang et al., CoNEXT 2019): an external traffic generator cabled
 * to one host's dual-port NIC by 10GbE ports (two, in by one and out by the other, for p2p and
 * loopback; one otherwise), the host's VMs in a communication mode, the scenario's frame
 * paths (p2p, p2v, v2v, loopback through a chain of l2fwd VNFs), and one trial of the RFC 2544
 * search: frames offered at a rate, frames received in time, their latency.
 */
#ifndef NFV_BENCH_TESTBED_H
#define NFV_BENCH_TESTBED_H

#include "ns3/comm-mode.h"
#include "ns3/data-rate.h"
#include "ns3/latency-histogram.h"
#include "ns3/nstime.h"
#include "results-db.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3 {

class VmCommHelper;

/**
 * \ingroup sriov-vmcomm
 * \brief The frame paths of Zhang et al. 2019 (section 3).
 */
enum class NfvScenario
{
    P2P,     //!< "p2p": generator -> NIC 0 -> switch -> NIC 1 -> generator, no VM
    P2V,     //!< "p2v": generator -> NIC -> switch -> VM (a sink in the VM)
    V2V,     //!< "v2v": VM -> switch -> VM (generator in one VM, sink in the other)
    LOOPBACK //!< "loopback": generator -> NIC -> VNF 1 -> ... -> VNF N -> NIC -> generator
};

/** \ingroup sriov-vmcomm \return the scenario names, in order */
std::vector<std::string> GetNfvScenarioNames();
/** \ingroup sriov-vmcomm \param s a scenario \return its name */
std::string ToString(NfvScenario s);
/**
 * \ingroup sriov-vmcomm
 * \param name a name \param s [out] the scenario \return false if \p name is no scenario
 */
bool ParseNfvScenario(const std::string& name, NfvScenario* s);

/**
 * \ingroup sriov-vmcomm
 * \brief What one NFV benchmark point builds and how its trials run.
 */
struct NfvBenchConfig
{
    NfvScenario scenario{NfvScenario::P2V}; //!< frame path
    CommMode mode{CommMode::VF_DMA};        //!< how the host switches
    std::string vswitch;                    //!< software switch profile; "" = the mode's
    std::string guest{"dpdk"};              //!< guests: "dpdk" or "kernel" (GuestHelper::SetGuest)
    uint32_t size{64};                      //!< Ethernet frame bytes, FCS included
    bool bidirectional{false};              //!< a second flow in the opposite direction
    uint32_t chain{1};                      //!< loopback: VNFs in the chain
    DataRate lineRate{"10Gbps"};            //!< the generator's port
    Time trial{MilliSeconds(1)};            //!< traffic time of a trial
    Time lateTolerance{MicroSeconds(2)};    //!< see NfvTrialResult::late
};

/**
 * \ingroup sriov-vmcomm
 * \param c a configuration
 * \return "" if the mode can carry the scenario, else why not (one sentence)
 */
std::string CheckNfvSupport(const NfvBenchConfig& c);

/**
 * \ingroup sriov-vmcomm
 * \brief What a trial measured, over all flows (one, or two when bidirectional).
 */
struct NfvTrialResult
{
    uint64_t offered{0};        //!< frames the generators offered
    uint64_t received{0};       //!< frames received in time (offered - lost)
    uint64_t late{0};           //!< frames received, but late: counted lost
    LatencyHistogram latency;   //!< one-way latency of every frame received
    uint64_t switchForwards{0}; //!< frames the software switch forwarded (vswitch modes)
    double simSeconds{0};       //!< simulated time
    uint64_t events{0};         //!< simulator events
    /// with \p collect: the components' counters, as scenario runs record them
    /// (RunCollector: NICs, VFs, virtio NICs, the software switch and its cores, cables)
    std::vector<CounterRow> counters;
    std::vector<DropRow> drops; //!< with \p collect: drops by component and reason
    std::vector<ComponentParamRow> componentParams; //!< with \p collect: per-object settings
};

/**
 * \ingroup sriov-vmcomm
 * \brief Build the testbed, offer constant-rate traffic for the configuration's trial time, run
 * until it has drained, and count.
 *
 * A trial is milliseconds of simulated time, not RFC 2544's 60 s: the path's buffers (NIC
 * rings, virtqueues, the switch's queues) could hold the excess of a rate slightly above
 * capacity until the trial ends. So a frame counts as received only in time: if the median
 * latency of the last quarter of the frames (in the order sent) exceeds that of the first quarter
 * by more than the late tolerance, a queue grew over the trial (over 60 s it would have
 * overflowed), and the frames of the last quarter above that bound are late, and lost. Medians,
 * not extremes, so that the latency's spread while the path keeps up (batching, polling,
 * interrupt moderation, a rare slow frame) does not count; a queue growing at a fraction e of
 * the rate adds about e x 3/4 x the trial time between the quarters.
 *
 * \param c the configuration (CheckNfvSupport() must accept it)
 * \param ratePps offered frames per second of each flow
 * \param collect also collect the components' counters and drops (RunCollector), utilization
 * over the trial's traffic time
 * \return what the trial measured
 */
NfvTrialResult RunNfvTrial(const NfvBenchConfig& c, double ratePps, bool collect = false);

} // namespace ns3

#endif /* NFV_BENCH_TESTBED_H */
