/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Next hops and hop counts from every node of a topology towards every host (see
 * topology-routes.h).
 */
// Shortest-path routes of a Topology towards every host (Boost.Graph breadth-first search).
#include "topology-routes.h"

#include "topology.h"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/visitors.hpp>

#include <algorithm>
#include <limits>

namespace ns3 {

namespace {

/** Undirected graph used for the BFS runs; vertex i is node i. */
using BfsGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;

/** Hop count of a node the search did not reach. */
constexpr uint16_t UNREACHED = TopologyRoutes::UNREACHED;

/**
 * Build the BFS graph of a topology.
 * \param nodes the nodes
 * \param links the links
 * \return one vertex per node, one edge per link
 */
BfsGraph
MakeBfsGraph(const std::vector<TopologyNode>& nodes, const std::vector<TopologyLink>& links)
{
    BfsGraph g(nodes.size());
    for (const auto& l : links)
    {
        boost::add_edge(l.a, l.b, g);
    }
    return g;
}

/**
 * Hop counts from one node to every node (Boost.Graph breadth-first search).
 * \param g the graph
 * \param source start vertex
 * \param dist [out] hop count per vertex, UNREACHED where not reachable
 */
void
HopCounts(const BfsGraph& g, int source, std::vector<uint16_t>* dist)
{
    dist->assign(boost::num_vertices(g), UNREACHED);
    (*dist)[source] = 0;
    boost::breadth_first_search(g, boost::vertex(source, g),
                                boost::visitor(boost::make_bfs_visitor(
                                    boost::record_distances(dist->data(), boost::on_tree_edge()))));
}

/**
 * splitmix64 finalizer: a fixed hash, identical on every platform (std::hash is not).
 * \param x input
 * \return mixed bits
 */
uint64_t
Mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

} // namespace

std::vector<uint16_t>
TopologyRoutes::HopCountsFrom(const std::vector<TopologyNode>& nodes,
                              const std::vector<TopologyLink>& links, int source)
{
    std::vector<uint16_t> dist;
    HopCounts(MakeBfsGraph(nodes, links), source, &dist);
    return dist;
}

void
TopologyRoutes::Compute(const std::vector<TopologyNode>& nodes,
                        const std::vector<TopologyLink>& links, const std::vector<int>& hosts,
                        TieBreak tieBreak)
{
    Clear();
    const std::size_t nNodes = nodes.size();
    const std::size_t nHosts = hosts.size();
    m_nHosts = nHosts;
    m_nextHop.assign(nNodes * nHosts, -1);
    m_hops.assign(nNodes * nHosts, UNREACHED);
    const BfsGraph g = MakeBfsGraph(nodes, links);
    std::vector<uint16_t> dist;
    std::vector<int> candidates;
    for (std::size_t h = 0; h < nHosts; ++h)
    {
        const int dst = hosts[h];
        HopCounts(g, dst, &dist);
        for (std::size_t v = 0; v < nNodes; ++v)
        {
            m_hops[v * nHosts + h] = dist[v];
            if (static_cast<int>(v) == dst || dist[v] == UNREACHED)
            {
                continue;
            }
            // Candidates: links to a neighbour one hop closer, in (neighbour, link) order.
            candidates.clear();
            for (int l : nodes[v].links)
            {
                if (dist[links[l].Other(static_cast<int>(v))] + 1 == dist[v])
                {
                    candidates.push_back(l);
                }
            }
            std::sort(candidates.begin(), candidates.end(),
                      [&links, v](int x, int y)
                      {
                          const int nx = links[x].Other(static_cast<int>(v));
                          const int ny = links[y].Other(static_cast<int>(v));
                          return nx != ny ? nx < ny : x < y;
                      });
            std::size_t pick = 0;
            if (tieBreak == HASH_DESTINATION && candidates.size() > 1)
            {
                pick = Mix((static_cast<uint64_t>(dst) << 32) | v) % candidates.size();
            }
            m_nextHop[v * nHosts + h] = candidates[pick];
        }
    }
    m_computed = true;
}

void
TopologyRoutes::Clear()
{
    m_computed = false;
    m_nHosts = 0;
    m_nextHop.clear();
    m_hops.clear();
}

bool
TopologyRoutes::IsComputed() const
{
    return m_computed;
}

std::size_t
TopologyRoutes::Index(int fromNode, int hostOrdinal) const
{
    return static_cast<std::size_t>(fromNode) * m_nHosts + static_cast<std::size_t>(hostOrdinal);
}

int
TopologyRoutes::NextHopLink(int fromNode, int hostOrdinal) const
{
    return m_nextHop[Index(fromNode, hostOrdinal)];
}

int
TopologyRoutes::HopCount(int fromNode, int hostOrdinal) const
{
    return m_hops[Index(fromNode, hostOrdinal)];
}

} // namespace ns3
