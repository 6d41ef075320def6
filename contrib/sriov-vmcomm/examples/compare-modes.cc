/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The comparison: the same VM pairs and the same offered load in each communication mode.
 *
 *   ./vmcomm run compare-modes --mode=all --size=64 --load=1Gbps --duration=1ms
 *   ./vmcomm run compare-modes --mode=vf-dma --topology=scenarios/topologies/two-hosts.dot \
 *       --placement=cross-host --db=results/vmcomm.db
 *
 * Prints per mode throughput, latency percentiles, host cores used, PCIe utilization per
 * direction and drops by reason; with --db, adds one run per mode to the results database.
 */
#include "ns3/scenario-program.h"

int
main(int argc, char* argv[])
{
    ns3::ExperimentOptions defaults;
    defaults.modes = ns3::GetCommModes(); // --mode=all
    return ns3::RunExperimentProgram("compare-modes", defaults, argc, argv);
}
