/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * topology-check: validate a topology DOT file and print what it holds.
 *
 *   build/bin/topology-check scenarios/topologies/leaf-spine.dot
 *
 * Exit status: 0 valid (summary on stdout), 2 invalid (the error on stderr, naming the file and
 * the element), 1 usage. ./vmcomm runs it before a simulation, so a bad file fails in a second.
 */
#include "ns3/topology-reader.h"
#include "ns3/topology.h"

#include <cstring>
#include <iostream>

int
main(int argc, char** argv)
{
    if (argc != 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0)
    {
        std::cerr << "usage: topology-check FILE.dot\n"
                     "Validates a sriov-vmcomm topology and prints hosts, VMs, switches, links.\n";
        return 1;
    }
    const std::string path = argv[1];
    try
    {
        ns3::Topology t = ns3::TopologyReader::Read(path);
        // Routing proves every host reaches every other; its cost is small (BFS per host).
        t.ComputeRoutes();
        std::cout << path << ": ok\n"
                  << "hosts " << t.GetNHosts() << "\n"
                  << "vms " << t.GetNVms() << "\n"
                  << "switches " << t.GetNSwitches() << "\n"
                  << "links " << t.GetNLinks() << "\n"
                  << "max-host-hops " << t.GetMaxHostHops() << "\n";
    }
    catch (const ns3::TopologyError& e)
    {
        std::cerr << e.what() << "\n";
        return 2;
    }
    return 0;
}
