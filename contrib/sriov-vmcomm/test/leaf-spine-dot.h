/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Leaf-spine fabrics as DOT text, for the topology tests and bench/bench-topology (which includes
// this file from contrib/sriov-vmcomm/test/): one generator, so the benchmark measures the fabric
// the tests check.
#ifndef VMCOMM_TEST_LEAF_SPINE_DOT_H
#define VMCOMM_TEST_LEAF_SPINE_DOT_H

#include <sstream>
#include <string>

/**
 * \param spines spine switches
 * \param leaves leaf switches, each joined to every spine
 * \param hostsPerLeaf hosts below each leaf (16 VMs each)
 * \return the fabric as DOT text: 100 Gb/s host links, 400 Gb/s leaf-spine links
 */
inline std::string
LeafSpineDot(int spines, int leaves, int hostsPerLeaf)
{
    std::ostringstream os;
    os << "graph g {\n";
    for (int h = 1; h <= leaves * hostsPerLeaf; ++h)
    {
        os << "  h" << h << " [kind=host, vms=16];\n";
    }
    for (int l = 1; l <= leaves; ++l)
    {
        os << "  leaf" << l << " [kind=switch];\n";
    }
    for (int s = 1; s <= spines; ++s)
    {
        os << "  spine" << s << " [kind=switch];\n";
    }
    for (int l = 1; l <= leaves; ++l)
    {
        for (int j = 1; j <= hostsPerLeaf; ++j)
        {
            os << "  h" << (l - 1) * hostsPerLeaf + j << " -- leaf" << l
               << " [rate=\"100Gbps\", delay=\"10ns\"];\n";
        }
        for (int s = 1; s <= spines; ++s)
        {
            os << "  leaf" << l << " -- spine" << s << " [rate=\"400Gbps\", delay=\"500ns\"];\n";
        }
    }
    os << "}\n";
    return os.str();
}

#endif
