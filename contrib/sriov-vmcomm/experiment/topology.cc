/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * A topology of hosts and switches as a Boost.Graph graph: its nodes, links and checks (see
 * topology.h).
 */
// A data-center topology as plain data: building (hosts, switches, links), validation and
// queries; the routes are TopologyRoutes, the value parsers TopologyValues.
#include "topology.h"

#include "ns3/guest-helper.h"
#include "ns3/preset.h"
#include "ns3/virtual-switch.h"

#include <algorithm>
#include <map>
#include <sstream>
#include <utility>

namespace ns3 {

std::string
Topology::NodeElement(const std::string& name)
{
    return "node \"" + name + "\"";
}

// ---------------------------------------------------------------------------------------------
// Topology

int
TopologyLink::Other(int node) const
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
                  const std::string& vswitch, uint32_t nics, const std::string& guest)
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
    if (!TopologyValues::CheckPresetName(nic, &why))
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
    if (!TopologyValues::CheckPresetName(vswitch, &why))
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
    GuestKind kind;
    if (guest != "default" && !ParseGuestKind(guest, &kind))
    {
        std::string allowed;
        for (const std::string& g : GetGuestKindNames())
        {
            allowed += ", " + g;
        }
        throw TopologyError(m_source, NodeElement(name),
                            "attribute guest=\"" + guest + "\": allowed: default" + allowed);
    }
    TopologyNode n;
    n.name = name;
    n.kind = HOST;
    n.vms = vms;
    n.nic = nic;
    n.vswitch = vswitch;
    n.nics = nics;
    n.guest = guest;
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
    if (!buffer.empty() && !TopologyValues::CheckBuffer(buffer, &why))
    {
        throw TopologyError(m_source, NodeElement(name),
                            "attribute buffer=\"" + buffer + "\": " + why);
    }
    TopologyNode n;
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
    TopologyLink l;
    l.a = a;
    l.b = b;
    std::string why;
    if (!TopologyValues::ParseRate(rate, &l.rate, &why))
    {
        throw TopologyError(m_source, element, "attribute rate=\"" + rate + "\": " + why);
    }
    if (!TopologyValues::ParseDelay(delay, &l.delay, &why))
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
    const TopologyLink& l = GetLink(link);
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
        const TopologyLink& l = m_links[i];
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
        const TopologyNode& n = m_nodes[h];
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
        const TopologyNode& n = m_nodes[s];
        if (n.ports != 0 && n.links.size() > n.ports)
        {
            throw TopologyError(m_source, NodeElement(n.name),
                                "switch has " + std::to_string(n.links.size()) + " links but ports="
                                    + std::to_string(n.ports) + ": raise ports or remove links");
        }
    }
    // Connectivity: every node must be reachable from node 0.
    const std::vector<uint16_t> dist = TopologyRoutes::HopCountsFrom(m_nodes, m_links, 0);
    const auto unreached = std::count(dist.begin(), dist.end(), TopologyRoutes::UNREACHED);
    if (unreached > 0)
    {
        const int first = static_cast<int>(
            std::find(dist.begin(), dist.end(), TopologyRoutes::UNREACHED) - dist.begin());
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

const TopologyNode&
Topology::GetNode(int i) const
{
    return m_nodes.at(i);
}

const TopologyLink&
Topology::GetLink(int i) const
{
    return m_links.at(i);
}

const std::vector<TopologyNode>&
Topology::GetNodes() const
{
    return m_nodes;
}

const std::vector<TopologyLink>&
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
    m_routes.Clear();
}

void
Topology::ComputeRoutes(TieBreak tieBreak)
{
    Validate();
    m_routes.Compute(m_nodes, m_links, m_hosts, tieBreak);
}

bool
Topology::HasRoutes() const
{
    return m_routes.IsComputed();
}

void
Topology::CheckRouteArgs(int fromNode, int toHost) const
{
    if (!m_routes.IsComputed())
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

int
Topology::NextHopLink(int fromNode, int toHost) const
{
    CheckRouteArgs(fromNode, toHost);
    return m_routes.NextHopLink(fromNode, m_hostOrdinal[toHost]);
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
    return m_routes.HopCount(fromNode, m_hostOrdinal[toHost]);
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
        if (m_routes.HopCount(m_links[l].Other(fromNode), m_hostOrdinal[toHost]) + 1 == d)
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
    if (!m_routes.IsComputed())
    {
        throw std::logic_error("Topology: call ComputeRoutes() before asking for routes");
    }
    int maxHops = 0;
    for (int from : m_hosts)
    {
        for (std::size_t h = 0; h < m_hosts.size(); ++h)
        {
            maxHops = std::max(maxHops, m_routes.HopCount(from, static_cast<int>(h)));
        }
    }
    return maxHops;
}

} // namespace ns3
