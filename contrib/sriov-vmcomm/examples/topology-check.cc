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
#include "ns3/scenario-program.h"

int
main(int argc, char** argv)
{
    return ns3::RunTopologyCheckProgram(argc, argv);
}
