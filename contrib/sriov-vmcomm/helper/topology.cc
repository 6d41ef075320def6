/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "topology.h"

#include "ns3/preset.h"
#include "ns3/queue-size.h"
#include "ns3/virtual-switch.h"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/visitors.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <regex>
#include <sstream>

namespace ns3 {

namespace {

/** Undirected graph used for the BFS runs; vertex i is node i. */
using BfsGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;

/** Hop count of a node the search did not reach. */
constexpr uint16_t UNREACHED = std::numeric_limits<uint16_t>::max();

/**
 * Build the BFS graph of a topology.
 * \param nodes the nodes
 * \param links the links
 * \return one vertex per node, one edge per link
 */
BfsGraph
MakeBfsGraph(const std::vector<Topology::Node>& nodes, const std::vector<Topology::Link>& links)
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

/**
 * Number at the start of a value with a unit, e.g. "2.5" in "2.5Gbps".
 * \param text whole value
 * \param allowExponent accept "1e3ns" (ns3::Time parses exponents, ns3::DataRate does not)
 * \param number [out] the number
 * \param unit [out] the rest
 * \return false if text is not number + unit
 */
bool
SplitNumberUnit(const std::string& text, bool allowExponent, double* number, std::string* unit)
{
    static const std::regex withExp(
        R"(^((?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)([A-Za-z/]*)$)");
    static const std::regex noExp(R"(^((?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))([A-Za-z/]*)$)");
    std::smatch m;
    if (!std::regex_match(text, m, allowExponent ? withExp : noExp))
    {
        return false;
    }
    *number = std::stod(m[1].str());
    *unit = m[2].str();
    return true;
}

} // namespace

// ---------------------------------------------------------------------------------------------
// TopologyError

TopologyError::TopologyError(const std::string& source, const std::string& element,
                             const std::string& problem)
    : std::runtime_error(source + ": " + (element.empty() ? "" : element + ": ") + problem)
    , m_source(source)
    , m_element(element)
    , m_problem(problem)
{
}

const std::string&
TopologyError::GetSource() const
{
    return m_source;
}

const std::string&
TopologyError::GetElement() const
{
    return m_element;
}

const std::string&
TopologyError::GetProblem() const
{
    return m_problem;
}

// ---------------------------------------------------------------------------------------------
// Value parsing (never aborts: ns-3's string constructors do on bad input)

bool
Topology::ParseRate(const std::string& text, DataRate* rate, std::string* why)
{
    const std::string allowed
        = "a positive data rate with a unit (bps, kbps, Mbps, Gbps, Bps, KBps, MBps, GBps, "
          "Kib/s, Mib/s, Gib/s, ...), e.g. 100Gbps";
    double number = 0;
    std::string unit;
    if (!text.empty() && text[0] == '-')
    {
        *why = "must be > 0: " + allowed;
        return false;
    }
    if (!SplitNumberUnit(text, true, &number, &unit))
    {
        *why = "not a number followed by a unit: must be " + allowed;
        return false;
    }
    if (unit.empty())
    {
        *why = "has no unit: must be " + allowed;
        return false;
    }
    // ns-3 converts number x unit to uint64 bit/s; GiB/s is 8.6e9 bit/s, so 2e9 of it fits.
    if (number > 2e9)
    {
        *why = "out of range: must be " + allowed;
        return false;
    }
    std::istringstream is(text);
    DataRate parsed;
    is >> parsed;
    if (is.fail())
    {
        *why = "unknown unit \"" + unit + "\": must be " + allowed;
        return false;
    }
    if (parsed.GetBitRate() == 0)
    {
        *why = "must be > 0: " + allowed;
        return false;
    }
    *rate = parsed;
    return true;
}

bool
Topology::ParseDelay(const std::string& text, Time* delay, std::string* why)
{
    const std::string allowed
        = "a time >= 0 and <= 10s with a unit (s, ms, us, ns, ps, fs, min, h), e.g. 500ns";
    if (!text.empty() && text[0] == '-')
    {
        *why = "negative: must be " + allowed;
        return false;
    }
    double number = 0;
    std::string unit;
    if (!SplitNumberUnit(text, true, &number, &unit))
    {
        *why = "not a number followed by a unit: must be " + allowed;
        return false;
    }
    if (unit.empty())
    {
        // ns-3 would read a bare number as seconds: almost surely not what was meant.
        *why = "has no unit: must be " + allowed;
        return false;
    }
    static const std::vector<std::pair<std::string, double>> units = {
        {"s", 1},      {"ms", 1e-3}, {"us", 1e-6}, {"ns", 1e-9}, {"ps", 1e-12},
        {"fs", 1e-15}, {"min", 60},  {"h", 3600},  {"d", 86400}, {"y", 365 * 86400.0},
    };
    auto it = std::find_if(units.begin(), units.end(),
                           [&unit](const auto& u)
                           {
                               return u.first == unit;
                           });
    if (it == units.end())
    {
        *why = "unknown unit \"" + unit + "\": must be " + allowed;
        return false;
    }
    if (number * it->second > 10.0)
    {
        *why = "too long: must be " + allowed;
        return false;
    }
    *delay = Time(text); // safe: the unit is one ns-3 knows
    return true;
}

bool
Topology::ParsePositiveInt(const std::string& text, uint32_t* value, std::string* why)
{
    static const std::regex re("^[0-9]+$");
    if (!std::regex_match(text, re))
    {
        *why = "must be an integer >= 1";
        return false;
    }
    const uint64_t max = std::numeric_limits<int32_t>::max();
    const std::size_t digits = text.size() - std::min(text.find_first_not_of('0'), text.size());
    if (digits > 10 || std::stoull(text) > max)
    {
        *why = "out of range: must be an integer 1.." + std::to_string(max);
        return false;
    }
    const uint64_t v = std::stoull(text);
    if (v < 1)
    {
        *why = "must be an integer >= 1";
        return false;
    }
    *value = static_cast<uint32_t>(v);
    return true;
}

bool
Topology::CheckBuffer(const std::string& text, std::string* why)
{
    const std::string allowed
        = "a queue size: an integer with a unit, bytes (B, KB, KiB, MB, MiB) or packets "
          "(p, Kp, Kip, Mp, Mip), e.g. 1000p or 12MB";
    static const std::regex re("^([0-9]{1,10})([A-Za-z]+)$");
    static const std::map<std::string, double> units = {
        {"B", 1}, {"kB", 1e3}, {"KB", 1e3}, {"KiB", 1024}, {"MB", 1e6}, {"MiB", 1048576},
        {"p", 1}, {"kp", 1e3}, {"Kp", 1e3}, {"Kip", 1024}, {"Mp", 1e6}, {"Mip", 1048576},
    };
    std::smatch m;
    if (!std::regex_match(text, m, re) || units.count(m[2].str()) == 0)
    {
        *why = "must be " + allowed;
        return false;
    }
    // ns-3 keeps the size in a uint32_t.
    const double value = std::stod(m[1].str()) * units.at(m[2].str());
    if (value < 1 || value > std::numeric_limits<uint32_t>::max())
    {
        *why = "out of range: must be " + allowed + ", > 0 and < 4 GB (or 4 G packets)";
        return false;
    }
    std::istringstream is(text);
    QueueSize size;
    is >> size;
    if (is.fail())
    {
        *why = "must be " + allowed;
        return false;
    }
    return true;
}

bool
Topology::CheckPresetName(const std::string& text, std::string* why)
{
    static const std::regex re("^[A-Za-z0-9_.-]{1,64}$");
    if (!std::regex_match(text, re))
    {
        *why = "must be a preset name (letters, digits, '-', '_', '.'), e.g. default";
        return false;
    }
    return true;
}

std::string
Topology::NodeElement(const std::string& name)
{
    return "node \"" + name + "\"";
}

// ---------------------------------------------------------------------------------------------
// Topology

int
Topology::Link::Other(int node) const
{
    if (node == a)
    {
        return b;
    }
    if (node == b)
    {
        return a;
    }
    return -1;
}

Topology::Topology(const std::string& source)
    : m_source(source)
{
}

void
Topology::SetSource(const std::string& source)
{
    m_source = source;
}

const std::string&
Topology::GetSource() const
{
    return m_source;
}

int
Topology::AddHost(const std::string& name, uint32_t vms, const std::string& nic,
                  const std::string& vswitch, uint32_t nics)
{
    std::string why;
    if (vms < 1)
    {
        throw TopologyError(m_source, NodeElement(name),
                            "attribute vms=\"0\": must be an integer >= 1");
    }
    if (nics > MAX_NICS)
    {
        throw TopologyError(m_source, NodeElement(name),
                            "attribute nics=\"" + std::to_string(nics) + "\": allowed: 1.."
                                + std::to_string(MAX_NICS));
    }
    // The names the programs know (one check for topology-check and the scenarios).
    if (!CheckPresetName(nic, &why))
    {
        throw TopologyError(m_source, NodeElement(name), "attribute nic=\"" + nic + "\": " + why);
    }
    if (nic != "default")
    {
        const std::vector<std::string> presets = ListPresets();
        if (std::find(presets.begin(), presets.end(), nic) == presets.end())
        {
            std::string allowed;
            for (const std::string& p : presets)
            {
                allowed += ", " + p;
            }
            throw TopologyError(m_source, NodeElement(name),
                                "attribute nic=\"" + nic
                                    + "\": unknown NIC preset; allowed: default" + allowed);
        }
    }
    if (!CheckPresetName(vswitch, &why))
    {
        throw TopologyError(m_source, NodeElement(name),
                            "attribute vswitch=\"" + vswitch + "\": " + why);
    }
    if (vswitch != "default" && !FindPreset(vswitch, PresetKind::VSWITCH))
    {
        throw TopologyError(m_source, NodeElement(name),
                            "attribute vswitch=\"" + vswitch + "\": allowed: default, "
                                + GetPresetNameList(PresetKind::VSWITCH));
    }
    Node n;
    n.name = name;
    n.kind = HOST;
    n.vms = vms;
    n.nic = nic;
    n.vswitch = vswitch;
    n.nics = nics;
    const int index = static_cast<int>(m_nodes.size());
    if (name.empty() || !m_byName.emplace(name, index).second)
    {
        throw TopologyError(m_source, NodeElement(name), "node name empty or already used");
    }
    m_nodes.push_back(n);
    m_hostOrdinal.push_back(static_cast<int>(m_hosts.size()));
    m_hosts.push_back(index);
    InvalidateRoutes();
    return index;
}

int
Topology::AddSwitch(const std::string& name, uint32_t ports, const std::string& buffer)
{
    std::string why;
    if (!buffer.empty() && !CheckBuffer(buffer, &why))
    {
        throw TopologyError(m_source, NodeElement(name),
                            "attribute buffer=\"" + buffer + "\": " + why);
    }
    Node n;
    n.name = name;
    n.kind = SWITCH;
    n.ports = ports;
    n.buffer = buffer;
    const int index = static_cast<int>(m_nodes.size());
    if (name.empty() || !m_byName.emplace(name, index).second)
    {
        throw TopologyError(m_source, NodeElement(name), "node name empty or already used");
    }
    m_nodes.push_back(n);
    m_hostOrdinal.push_back(-1);
    m_switches.push_back(index);
    InvalidateRoutes();
    return index;
}

int
Topology::AddLink(int a, int b, const std::string& rate, const std::string& delay)
{
    const int n = GetNNodes();
    if (a < 0 || a >= n || b < 0 || b >= n)
    {
        std::ostringstream oss;
        oss << "link " << a << " -- " << b;
        throw TopologyError(m_source, oss.str(), "endpoint is not a node index");
    }
    const std::string element = "edge \"" + m_nodes[a].name + " -- " + m_nodes[b].name + "\"";
    Link l;
    l.a = a;
    l.b = b;
    std::string why;
    if (!ParseRate(rate, &l.rate, &why))
    {
        throw TopologyError(m_source, element, "attribute rate=\"" + rate + "\": " + why);
    }
    if (!ParseDelay(delay, &l.delay, &why))
    {
        throw TopologyError(m_source, element, "attribute delay=\"" + delay + "\": " + why);
    }
    l.rateString = rate;
    l.delayString = delay;
    const int index = static_cast<int>(m_links.size());
    m_links.push_back(l);
    m_nodes[a].links.push_back(index);
    if (b != a)
    {
        m_nodes[b].links.push_back(index);
    }
    InvalidateRoutes();
    return index;
}

std::string
Topology::DescribeLink(int link) const
{
    const Link& l = GetLink(link);
    return m_nodes[l.a].name + " -- " + m_nodes[l.b].name;
}

void
Topology::Validate() const
{
    if (m_hosts.empty())
    {
        throw TopologyError(m_source, "graph",
                            m_nodes.empty() ? "no nodes: a topology needs at least one host"
                                            : "no host: a topology needs at least one host");
    }
    // Self loops and duplicates first: they also distort the degree checks below.
    std::map<std::pair<int, int>, int> seen;
    for (int i = 0; i < GetNLinks(); ++i)
    {
        const Link& l = m_links[i];
        const std::string element = "edge \"" + DescribeLink(i) + "\"";
        if (l.a == l.b)
        {
            throw TopologyError(m_source, element,
                                "self loop: a link must join two different nodes");
        }
        auto key = std::minmax(l.a, l.b);
        auto [it, inserted] = seen.emplace(key, i);
        if (!inserted)
        {
            throw TopologyError(m_source, element,
                                "duplicate link (\"" + DescribeLink(it->second)
                                    + "\" is declared earlier): at most one link per pair of "
                                      "nodes; for more capacity raise its rate");
        }
    }
    for (int h : m_hosts)
    {
        const Node& n = m_nodes[h];
        if (n.links.empty() && m_nodes.size() > 1)
        {
            throw TopologyError(m_source, NodeElement(n.name),
                                "host has no link: every host needs exactly one link (its "
                                "NIC uplink), unless it is the only node");
        }
        if (n.links.size() > 1)
        {
            std::string others;
            for (int l : n.links)
            {
                others += (others.empty() ? "\"" : ", \"") + DescribeLink(l) + "\"";
            }
            throw TopologyError(m_source, NodeElement(n.name),
                                "host has " + std::to_string(n.links.size()) + " links (" + others
                                    + "): a host has exactly one link (the NIC has one uplink "
                                      "port); connect it to one switch");
        }
    }
    for (int s : m_switches)
    {
        const Node& n = m_nodes[s];
        if (n.ports != 0 && n.links.size() > n.ports)
        {
            throw TopologyError(m_source, NodeElement(n.name),
                                "switch has " + std::to_string(n.links.size()) + " links but ports="
                                    + std::to_string(n.ports) + ": raise ports or remove links");
        }
    }
    // Connectivity: every node must be reachable from node 0.
    const BfsGraph g = MakeBfsGraph(m_nodes, m_links);
    std::vector<uint16_t> dist;
    HopCounts(g, 0, &dist);
    const auto unreached = std::count(dist.begin(), dist.end(), UNREACHED);
    if (unreached > 0)
    {
        const int first
            = static_cast<int>(std::find(dist.begin(), dist.end(), UNREACHED) - dist.begin());
        throw TopologyError(m_source, NodeElement(m_nodes[first].name),
                            "unreachable from \"" + m_nodes[0].name
                                + "\": the graph is "
                                  "disconnected ("
                                + std::to_string(unreached) + " of "
                                + std::to_string(m_nodes.size())
                                + " nodes unreachable); all nodes must form one network");
    }
}

int
Topology::GetNNodes() const
{
    return static_cast<int>(m_nodes.size());
}

int
Topology::GetNHosts() const
{
    return static_cast<int>(m_hosts.size());
}

int
Topology::GetNSwitches() const
{
    return static_cast<int>(m_switches.size());
}

int
Topology::GetNLinks() const
{
    return static_cast<int>(m_links.size());
}

uint64_t
Topology::GetNVms() const
{
    uint64_t total = 0;
    for (int h : m_hosts)
    {
        total += m_nodes[h].vms;
    }
    return total;
}

const Topology::Node&
Topology::GetNode(int i) const
{
    return m_nodes.at(i);
}

const Topology::Link&
Topology::GetLink(int i) const
{
    return m_links.at(i);
}

const std::vector<Topology::Node>&
Topology::GetNodes() const
{
    return m_nodes;
}

const std::vector<Topology::Link>&
Topology::GetLinks() const
{
    return m_links;
}

const std::vector<int>&
Topology::GetHosts() const
{
    return m_hosts;
}

const std::vector<int>&
Topology::GetSwitches() const
{
    return m_switches;
}

int
Topology::GetHostOrdinal(int node) const
{
    return m_hostOrdinal.at(node);
}

int
Topology::FindNode(const std::string& name) const
{
    auto it = m_byName.find(name);
    return it == m_byName.end() ? -1 : it->second;
}

int
Topology::GetPort(int node, int link) const
{
    const auto& links = GetNode(node).links;
    auto it = std::find(links.begin(), links.end(), link);
    return it == links.end() ? -1 : static_cast<int>(it - links.begin());
}

void
Topology::InvalidateRoutes()
{
    m_routed = false;
    m_nextHop.clear();
    m_hops.clear();
}

void
Topology::ComputeRoutes(TieBreak tieBreak)
{
    Validate();
    InvalidateRoutes();
    const std::size_t nNodes = m_nodes.size();
    const std::size_t nHosts = m_hosts.size();
    m_nextHop.assign(nNodes * nHosts, -1);
    m_hops.assign(nNodes * nHosts, UNREACHED);
    const BfsGraph g = MakeBfsGraph(m_nodes, m_links);
    std::vector<uint16_t> dist;
    std::vector<int> candidates;
    for (std::size_t h = 0; h < nHosts; ++h)
    {
        const int dst = m_hosts[h];
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
            for (int l : m_nodes[v].links)
            {
                if (dist[m_links[l].Other(static_cast<int>(v))] + 1 == dist[v])
                {
                    candidates.push_back(l);
                }
            }
            std::sort(candidates.begin(), candidates.end(),
                      [this, v](int x, int y)
                      {
                          const int nx = m_links[x].Other(static_cast<int>(v));
                          const int ny = m_links[y].Other(static_cast<int>(v));
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
    m_routed = true;
}

bool
Topology::HasRoutes() const
{
    return m_routed;
}

void
Topology::CheckRouteArgs(int fromNode, int toHost) const
{
    if (!m_routed)
    {
        throw std::logic_error("Topology: call ComputeRoutes() before asking for routes");
    }
    if (fromNode < 0 || fromNode >= GetNNodes())
    {
        throw std::out_of_range("Topology: fromNode " + std::to_string(fromNode)
                                + " is not a node index");
    }
    if (toHost < 0 || toHost >= GetNNodes() || m_hostOrdinal[toHost] < 0)
    {
        throw std::out_of_range("Topology: toHost " + std::to_string(toHost)
                                + " is not the node index of a host");
    }
}

std::size_t
Topology::RouteIndex(int fromNode, int toHost) const
{
    return static_cast<std::size_t>(fromNode) * m_hosts.size() + m_hostOrdinal[toHost];
}

int
Topology::NextHopLink(int fromNode, int toHost) const
{
    CheckRouteArgs(fromNode, toHost);
    return m_nextHop[RouteIndex(fromNode, toHost)];
}

int
Topology::NextHopNode(int fromNode, int toHost) const
{
    const int l = NextHopLink(fromNode, toHost);
    return l < 0 ? -1 : m_links[l].Other(fromNode);
}

int
Topology::HopCount(int fromNode, int toHost) const
{
    CheckRouteArgs(fromNode, toHost);
    return m_hops[RouteIndex(fromNode, toHost)];
}

std::vector<int>
Topology::EqualCostLinks(int fromNode, int toHost) const
{
    const int d = HopCount(fromNode, toHost);
    std::vector<int> result;
    if (d == 0)
    {
        return result;
    }
    for (int l : m_nodes[fromNode].links)
    {
        if (m_hops[RouteIndex(m_links[l].Other(fromNode), toHost)] + 1 == d)
        {
            result.push_back(l);
        }
    }
    std::sort(result.begin(), result.end(),
              [this, fromNode](int x, int y)
              {
                  const int nx = m_links[x].Other(fromNode);
                  const int ny = m_links[y].Other(fromNode);
                  return nx != ny ? nx < ny : x < y;
              });
    return result;
}

std::vector<int>
Topology::Path(int fromNode, int toHost) const
{
    CheckRouteArgs(fromNode, toHost);
    std::vector<int> path{fromNode};
    int at = fromNode;
    while (at != toHost)
    {
        at = NextHopNode(at, toHost);
        path.push_back(at);
    }
    return path;
}

int
Topology::GetMaxHostHops() const
{
    if (!m_routed)
    {
        throw std::logic_error("Topology: call ComputeRoutes() before asking for routes");
    }
    int maxHops = 0;
    for (int from : m_hosts)
    {
        for (std::size_t h = 0; h < m_hosts.size(); ++h)
        {
            maxHops = std::max<int>(maxHops, m_hops[from * m_hosts.size() + h]);
        }
    }
    return maxHops;
}

} // namespace ns3
