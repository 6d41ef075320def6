/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The dma-bench program (the pcie-bench methodology on the model) on the ScenarioProgram
 * skeleton: its options, their checks, one RunDmaBenchPoint per size and window, a JSON line
 * and a database run per point.
 */
#ifndef DMA_BENCH_PROGRAM_H
#define DMA_BENCH_PROGRAM_H

namespace ns3 {

/**
 * \ingroup sriov-vmcomm
 * \brief The main of dma-bench: --op, --size (a list), --window (a list), --pattern, --iommu,
 * --page-size, --metric, --ops, --warmup, --outstanding, --preset, --list-presets, --db and
 * ns-3 attributes; one RunDmaBenchPoint per (size, window), one JSON object per point on
 * stdout, one run per point in --db.
 * \param argc argument count of main() \param argv arguments of main()
 * \return the exit status: 0 done, 2 bad input (nothing run, nothing written), 1 other errors
 */
int RunDmaBenchProgram(int argc, char** argv);

} // namespace ns3

#endif /* DMA_BENCH_PROGRAM_H */
