/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef TOPOLOGY_READER_H
#define TOPOLOGY_READER_H

#include "topology.h"

#include <string>

namespace ns3 {

/**
 * \ingroup sriov-vmcomm
 * \brief Reads a Topology from a Graphviz DOT file (boost::read_graphviz), validating it.
 *
 * The file is an undirected `graph { ... }`: links are full duplex, so a `digraph` is rejected
 * rather than silently folded. Attributes (anything else is an error, with its element named):
 *
 * | element | attribute | value | default |
 * |---|---|---|---|
 * | node | `kind` | `host` or `switch` | required |
 * | host | `vms` | integer >= 1 (a scenario with VFs allows NICs x SriovNic::MaxVfs) | 2 |
 * | host | `nic` | `default` or a NIC preset (ListPresets()) | `default` |
 * | host | `vswitch` | `default` or a virtual switch profile (ovs-kernel, ovs-dpdk) | `default` |
 * | switch | `ports` | integer >= 1, at least its link count | as many as links |
 * | switch | `buffer` | per-port output queue, ns3::QueueSize (`1000p`, `12MB`) | builder's |
 * | edge | `rate` | ns3::DataRate > 0 with a unit (`100Gbps`) | 100Gbps |
 * | edge | `delay` | ns3::Time >= 0 with a unit (`500ns`) | 500ns |
 * | any | `comment` | free text, ignored | |
 *
 * Default attribute statements (`node [kind=host, vms=4];`, `edge [rate=400Gbps];`) work as in
 * Graphviz. A node is declared by having a `kind`: read_graphviz creates a node for every name
 * used in an edge, so an edge naming a node without `kind` is reported as a link to an
 * undeclared node. (Graphviz applies `node [kind=...]` defaults to nodes first seen in an edge
 * too; files that want typos caught give `kind` per node, as the shipped ones do.)
 *
 * A node is declared by one node statement: a second one (which read_graphviz would merge
 * into the first) is an error. A directory, a device or a file larger than MAX_BYTES is refused
 * by name.
 *
 * Node numbering: hosts first, then switches, each in natural name order (h2 before h10);
 * links in file order. Errors are TopologyError with the file name and the element: a syntax
 * error gives its line number, found by re-parsing line prefixes (a few parses, only on error).
 */
class TopologyReader
{
  public:
    /** Largest file Read() reads (a pipe or /dev/zero is not read forever). */
    static constexpr std::size_t MAX_BYTES = std::size_t(16) << 20;

    /**
     * Read and validate a DOT file.
     * \param path file name (also used as the source in error messages)
     * \return the topology (routes not computed yet: call ComputeRoutes())
     * \throws TopologyError if the file cannot be read or is not a valid topology
     */
    static Topology Read(const std::string& path);

    /**
     * Read and validate DOT text.
     * \param text the DOT source
     * \param source name used in error messages
     * \return the topology (routes not computed yet)
     * \throws TopologyError if the text is not a valid topology
     */
    static Topology ReadString(const std::string& text, const std::string& source = "<string>");
};

} // namespace ns3

#endif /* TOPOLOGY_READER_H */
