/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The nfv-bench program (the NFV benchmark methodology of Zhang et al., CoNEXT 2019, on the
 * model) on the ScenarioProgram skeleton: its options and their checks, RFC 2544 throughput
 * (Rfc2544Search over RunNfvTrial) or latency at a fraction of it, one JSON object per point on
 * stdout and one run per point in --db.
 */
#ifndef NFV_BENCH_PROGRAM_H
#define NFV_BENCH_PROGRAM_H

#include "nfv-bench-testbed.h"

#include <cstdint>
#include <string>

namespace ns3 {

/**
 * \ingroup sriov-vmcomm
 * \brief How the search of one point runs.
 */
struct NfvSearchConfig
{
    double maxGbps{0};         //!< top of the search, Gb/s L1 per flow (0: the scenario's)
    double resolution{0.002};  //!< search resolution, fraction of the top rate
    uint64_t lossThreshold{0}; //!< frames a passing trial may lose
};

/**
 * \ingroup sriov-vmcomm
 * \brief One point's result: R+ and, for a latency point, the latency trial.
 */
struct NfvPointResult
{
    double rplusPps{0};     //!< R+, frames/s, all flows together
    uint32_t trials{0};     //!< trials of the search
    double offeredPps{0};   //!< latency point: rate of the latency trial, all flows
    NfvTrialResult latency; //!< latency point: the latency trial
    /// with \p collect: throughput point, a trial at R+ collecting the components' counters;
    /// latency point, the latency trial's
    NfvTrialResult components;
    double simSeconds{0}; //!< simulated seconds over all trials
    uint64_t events{0};   //!< simulator events over all trials
};

/**
 * \ingroup sriov-vmcomm
 * \param c the testbed \param s the search
 * \return the top of the search per flow, frames/s: the line rate on the wire; v2v (no wire) 4x
 * it unless \p s says
 */
double GetNfvTopRate(const NfvBenchConfig& c, const NfvSearchConfig& s);

/**
 * \ingroup sriov-vmcomm
 * \brief R+ by Rfc2544Search over RunNfvTrial, then, if \p loadFraction > 0, a latency trial
 * at that fraction of it.
 * \param c the testbed \param s the search \param loadFraction 0 for throughput only
 * \param collect collect the components' counters and drops (NfvPointResult::components):
 * a throughput point runs one more trial, at R+
 * \return the point's result
 */
NfvPointResult RunNfvPoint(const NfvBenchConfig& c, const NfvSearchConfig& s, double loadFraction,
                           bool collect = false);

/**
 * \ingroup sriov-vmcomm
 * \brief The main of nfv-bench: --scenario, --chain, --mode, --vswitch, --guest, --size,
 * --direction, --metric, --load-fraction, --db and the search's options; one JSON object on
 * stdout, one run in --db.
 * \param argc argument count of main() \param argv arguments of main()
 * \return the exit status: 0 done, 2 bad input or a scenario the mode cannot carry (nothing
 * run, nothing written), 1 other errors
 */
int RunNfvBenchProgram(int argc, char** argv);

} // namespace ns3

#endif /* NFV_BENCH_PROGRAM_H */
