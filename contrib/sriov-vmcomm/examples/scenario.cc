/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The general scenario: a topology from a DOT file, a mode, a traffic pattern.
 *
 *   ./vmcomm run scenario --topology=scenarios/topologies/rack.dot --mode=vf-dma \
 *       --traffic=permutation --size=1518 --load=0.1 --duration=1ms --db=results/vmcomm.db
 *
 * Any ns-3 attribute can be set too (--ns3::Iommu::IotlbEntries=128), and --RngRun.
 */
#include "ns3/scenario-program.h"

int
main(int argc, char* argv[])
{
    return ns3::RunExperimentProgram("scenario", ns3::ExperimentOptions(), argc, argv);
}
