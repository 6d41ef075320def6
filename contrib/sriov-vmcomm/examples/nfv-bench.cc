/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * nfv-bench: the NFV benchmark methodology of Zhang et al., "Comparing the performance of
 * state-of-the-art software switches for NFV" (CoNEXT 2019), on the model: RFC 2544 throughput
 * (R+, in Mpps and Gb/s counting L1 bits) and latency at a fraction of it, for the scenarios
 * p2p, p2v, v2v and loopback (a chain of l2fwd VNFs), uni- or bidirectional, in every mode.
 *
 *   ./vmcomm nfv-bench --scenario=p2v --mode=vf-dma --size=64
 *   ./vmcomm nfv-bench --scenario=loopback --chain=2 --mode=vswitch-dpdk --metric=latency \
 *       --load-fraction=0.5 --db=results/nfv.db
 *
 * One JSON object on stdout; with --db, one run in the results database.
 * Exit status: 0 done, 2 bad input or a scenario the mode cannot carry (nothing run, nothing
 * written), 1 other errors.
 */
#include "ns3/nfv-bench-program.h"

int
main(int argc, char* argv[])
{
    return ns3::RunNfvBenchProgram(argc, argv);
}
