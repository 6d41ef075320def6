/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Speed of reading and routing a large topology (the measurement the scale tests of
 * contrib/sriov-vmcomm/test/topology-test.cc used to assert on; speed is measured here, never in
 * a test).
 *
 * Builds the DOT text of a leaf-spine fabric (default 4 spines, 63 leaves of 16 hosts: 1008
 * hosts, 16 VMs each), then times TopologyReader::ReadString and Topology::ComputeRoutes apart,
 * best of --repeat runs, and prints one line per phase in seconds.
 *
 *   build/bin/bench-topology
 *   build/bin/bench-topology --leaves=126 --repeat=1
 */
#include "leaf-spine-dot.h" // contrib/sriov-vmcomm/test/
#include "ns3/command-line.h"
#include "ns3/topology-reader.h"
#include "ns3/topology.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <limits>
#include <sstream>
#include <string>

using namespace ns3;

namespace {

/** \return seconds since \p start */
double
Since(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

} // namespace

int
main(int argc, char* argv[])
{
    uint32_t spines = 4;
    uint32_t leaves = 63;
    uint32_t hostsPerLeaf = 16;
    uint32_t repeat = 3;
    CommandLine cmd(__FILE__);
    cmd.AddValue("spines", "spine switches", spines);
    cmd.AddValue("leaves", "leaf switches", leaves);
    cmd.AddValue("hostsPerLeaf", "hosts below each leaf", hostsPerLeaf);
    cmd.AddValue("repeat", "runs; the best counts", repeat);
    cmd.Parse(argc, argv);
    if (spines == 0 || leaves == 0 || hostsPerLeaf == 0 || repeat == 0)
    {
        std::fprintf(stderr, "bench-topology: --spines, --leaves, --hostsPerLeaf and --repeat "
                             "must be at least 1\n");
        return 2;
    }
    const std::string dot = LeafSpineDot(spines, leaves, hostsPerLeaf);
    double read = std::numeric_limits<double>::max();
    double route = std::numeric_limits<double>::max();
    for (uint32_t r = 0; r < repeat; ++r)
    {
        auto start = std::chrono::steady_clock::now();
        Topology t = TopologyReader::ReadString(dot, "leaf-spine");
        read = std::min(read, Since(start));
        start = std::chrono::steady_clock::now();
        t.ComputeRoutes();
        route = std::min(route, Since(start));
    }
    std::printf("hosts: %u, switches: %u\n", leaves * hostsPerLeaf, spines + leaves);
    std::printf("read seconds: %.4f\n", read);
    std::printf("route seconds: %.4f\n", route);
    return 0;
}
