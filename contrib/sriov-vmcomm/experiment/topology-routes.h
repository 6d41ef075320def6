/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Shortest-path routes of a Topology towards every host: one Boost.Graph breadth-first search
// per destination host, equal-cost next hops chosen deterministically (hash or lowest index).
#ifndef TOPOLOGY_ROUTES_H
#define TOPOLOGY_ROUTES_H

#include <cstddef>
#include <cstdint>
#include <vector>

namespace ns3 {

struct TopologyNode;
struct TopologyLink;

/**
 * \ingroup sriov-vmcomm
 * \brief Next hops and hop counts from every node of a topology towards every host.
 *
 * Compute() runs one Boost.Graph breadth-first search per destination host (O(H x (V + E))
 * time; a node x host table of next hops and hop counts, 6 bytes per entry, 6.6 MB for 1000
 * hosts and 100 switches). Among equal-cost next hops the choice is deterministic: by default
 * a fixed hash of (node, destination) picks one, so destinations spread over the spines of a
 * leaf-spine fabric as destination-based ECMP does in an L2 fabric with per-MAC forwarding
 * entries; LOWEST_INDEX picks the neighbour with the lowest node index.
 *
 * Indices are not checked here: Topology, which owns the routes, checks them.
 */
class TopologyRoutes
{
  public:
    /** How equal-cost next hops are chosen (both are deterministic). */
    enum TieBreak
    {
        HASH_DESTINATION = 0, //!< fixed hash of (node, destination): spreads load like ECMP
        LOWEST_INDEX = 1      //!< the neighbour with the lowest node index (then lowest link)
    };

    /** Hop count of a node a search did not reach. */
    static constexpr uint16_t UNREACHED = UINT16_MAX;

    /**
     * Hop counts from one node to every node (one breadth-first search), e.g. to check that a
     * topology is connected.
     * \param nodes the nodes, by index
     * \param links the links, by index
     * \param source start node
     * \return hop count per node, UNREACHED where not reachable
     */
    static std::vector<uint16_t> HopCountsFrom(const std::vector<TopologyNode>& nodes,
                                               const std::vector<TopologyLink>& links, int source);

    /**
     * Compute the routes of a validated, connected topology.
     * \param nodes its nodes, by index
     * \param links its links, by index
     * \param hosts node indices of its hosts, in host-ordinal order
     * \param tieBreak how equal-cost next hops are chosen
     */
    void Compute(const std::vector<TopologyNode>& nodes, const std::vector<TopologyLink>& links,
                 const std::vector<int>& hosts, TieBreak tieBreak);
    /** Forget the routes (the graph changed). */
    void Clear();
    /** \return true once Compute() has run (and Clear() has not since) */
    bool IsComputed() const;

    /**
     * \param fromNode node index
     * \param hostOrdinal the destination's host ordinal
     * \return link index of the next hop, -1 at the destination itself
     */
    int NextHopLink(int fromNode, int hostOrdinal) const;
    /**
     * \param fromNode node index
     * \param hostOrdinal the destination's host ordinal
     * \return number of links on a shortest path
     */
    int HopCount(int fromNode, int hostOrdinal) const;

  private:
    /**
     * \param fromNode node index
     * \param hostOrdinal a host ordinal
     * \return flat index into the tables
     */
    std::size_t Index(int fromNode, int hostOrdinal) const;

    bool m_computed{false};         //!< the tables are valid
    std::size_t m_nHosts{0};        //!< hosts (columns of the tables)
    std::vector<int32_t> m_nextHop; //!< [node * H + host ordinal] -> link, -1 at the host
    std::vector<uint16_t> m_hops;   //!< [node * H + host ordinal] -> hop count
};

} // namespace ns3

#endif /* TOPOLOGY_ROUTES_H */
