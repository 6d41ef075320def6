/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Checks of DOT source that read_graphviz does not make, for TopologyReader (internal).
#ifndef TOPOLOGY_DOT_SOURCE_H
#define TOPOLOGY_DOT_SOURCE_H

#include <string>

namespace ns3 {

/**
 * \ingroup sriov-vmcomm
 * \brief What TopologyReader checks in the DOT text itself, beyond read_graphviz.
 */
class TopologyDotSource
{
  public:
    /**
     * Refuse a node declared by two node statements: read_graphviz silently merges their
     * attributes, so the second "h1 [kind=host vms=4]" would change a host written earlier.
     * \param text DOT source (it parses)
     * \param source file name, for the message
     * \throws TopologyError naming the node and both lines
     */
    static void CheckDeclaredOnce(const std::string& text, const std::string& source);

    /**
     * Natural order: digit runs compare as numbers, so h2 < h10.
     * \param a first name
     * \param b second name
     * \return true if a sorts before b
     */
    static bool NaturalLess(const std::string& a, const std::string& b);
};

} // namespace ns3

#endif /* TOPOLOGY_DOT_SOURCE_H */
