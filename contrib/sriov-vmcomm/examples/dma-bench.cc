/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * dma-bench: the pcie-bench methodology (Neugebauer et al., SIGCOMM 2018) on the model. The NIC's
 * DMA engine reads, writes or writes-then-reads SIZE bytes at random or sequential cache-line
 * aligned offsets in a WINDOW of host memory, IOMMU on or off; bandwidth (Gb/s) or latency
 * (median, 99.9th percentile). Lists of sizes and windows give curves.
 *
 *   ./vmcomm dma-bench --op=read --size=64,128,256 --window=8KiB --metric=bw
 *   ./vmcomm dma-bench --iommu=on --window=4KiB,256KiB,64MiB --db=results/dma.db
 *
 * One JSON object per point on stdout; with --db, one run per point in the results database.
 * Exit status: 0 done, 2 bad input (nothing run, nothing written), 1 other errors.
 */
#include "ns3/dma-bench-program.h"

int
main(int argc, char* argv[])
{
    return ns3::RunDmaBenchProgram(argc, argv);
}
