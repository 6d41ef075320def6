/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Reads a Topology from a Graphviz DOT file (boost::read_graphviz), validating it (see
 * topology-reader.h).
 */
// Reads a Topology from a Graphviz DOT file (boost::read_graphviz): attributes, node order,
// and errors that name the file, the element and the line.
#include "topology-reader.h"

#include "topology-dot-source.h"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/graphviz.hpp>
#include <boost/property_map/dynamic_property_map.hpp>
#include <boost/property_map/property_map.hpp>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <vector>

namespace ns3 {

namespace {

/** Attributes of one DOT node or edge, exactly as written (absent = not in the map). */
struct DotAttrs
{
    std::string id;                            //!< node id (unused for edges)
    std::map<std::string, std::string> values; //!< attribute name -> value
};

/** The graph read_graphviz fills. listS edges keep file order. */
using DotGraph
    = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, DotAttrs, DotAttrs>;
using DotVertex = boost::graph_traits<DotGraph>::vertex_descriptor; //!< vertex
using DotEdge = boost::graph_traits<DotGraph>::edge_descriptor;     //!< edge

/**
 * Property map storing one named attribute into DotAttrs::values, so that an attribute that was
 * never given stays absent (a plain string member could not tell "" from "not given").
 */
template<typename Key>
class AttrMap
{
  public:
    typedef Key key_type;                                //!< vertex or edge descriptor
    typedef std::string value_type;                      //!< attribute value
    typedef std::string reference;                       //!< returned by value
    typedef boost::read_write_property_map_tag category; //!< get and put

    /**
     * \param g the graph
     * \param name attribute name
     */
    AttrMap(DotGraph* g, const std::string& name)
        : m_g(g)
        , m_name(name)
    {
    }

    /**
     * \param m the map
     * \param k vertex or edge
     * \param v value as written
     */
    friend void put(const AttrMap& m, const Key& k, const std::string& v)
    {
        (*m.m_g)[k].values[m.m_name] = v;
    }

    /**
     * \param m the map
     * \param k vertex or edge
     * \return the value, "" if absent
     */
    friend std::string get(const AttrMap& m, const Key& k)
    {
        const auto& values = (*m.m_g)[k].values;
        auto it = values.find(m.m_name);
        return it == values.end() ? std::string() : it->second;
    }

  private:
    DotGraph* m_g;      //!< the graph
    std::string m_name; //!< attribute name
};

/** An attribute no property map was registered for. */
struct UnknownAttr
{
    std::string name;  //!< attribute name
    std::string value; //!< its value
    boost::any key;    //!< vertex, edge or graph pointer it was set on
};

const char* const NODE_ATTRS[]
    = {"kind", "vms", "nics", "nic", "vswitch", "guest", "ports", "buffer", "comment"};
const char* const EDGE_ATTRS[] = {"rate", "delay", "comment"};
const std::vector<std::string> HOST_ONLY = {"vms", "nics", "nic", "vswitch", "guest"};
const std::vector<std::string> SWITCH_ONLY = {"ports", "buffer"};

/** What the message for an unknown attribute lists as allowed. */
const char* const ALLOWED_ATTRS
    = "allowed: on nodes kind (host|switch), vms, nics, nic, vswitch, guest (hosts), ports, "
      "buffer "
      "(switches); "
      "on edges rate, delay; comment anywhere";

/**
 * Register one property map per allowed attribute (unknown ones reach the generator that the
 * caller gave dp, and are reported after parsing, when the element's name is known).
 * \param g the graph
 * \param dp [out] the dynamic properties
 * \param graphComment storage for the graph-level comment
 */
void
Register(DotGraph* g, boost::dynamic_properties* dp, std::string* graphComment)
{
    dp->property("node_id", boost::get(&DotAttrs::id, *g));
    for (const char* name : NODE_ATTRS)
    {
        dp->property(name, AttrMap<DotVertex>(g, name));
    }
    for (const char* name : EDGE_ATTRS)
    {
        dp->property(name, AttrMap<DotEdge>(g, name));
    }
    dp->property("comment", boost::ref_property_map<DotGraph*, std::string>(*graphComment));
}

/**
 * \param text DOT source
 * \return the message read_graphviz throws for text, or "" if it parses
 */
std::string
ParseError(const std::string& text)
{
    DotGraph g;
    std::string comment;
    std::vector<UnknownAttr> unknown;
    boost::dynamic_properties dp(
        [&unknown](const std::string& name, const boost::any& key, const boost::any& /* value */)
        {
            unknown.push_back({name, "", key});
            return boost::shared_ptr<boost::dynamic_property_map>();
        });
    Register(&g, &dp, &comment);
    try
    {
        boost::read_graphviz(text, g, dp);
    }
    catch (const std::exception& e)
    {
        return e.what();
    }
    return "";
}

/**
 * Line of a syntax error. The parser reads left to right and stops at the first bad token, so
 * a prefix of the file fails with the same message exactly when it contains the bad token:
 * binary search over line prefixes finds its line in log2(lines) parses.
 * \param text DOT source
 * \param message the error read_graphviz gave for the whole text
 * \return 1-based line number
 */
int
SyntaxErrorLine(const std::string& text, const std::string& message)
{
    std::vector<std::size_t> lineEnds; // offset just past each line
    for (std::size_t i = 0; i < text.size(); ++i)
    {
        if (text[i] == '\n')
        {
            lineEnds.push_back(i + 1);
        }
    }
    if (text.empty() || text.back() != '\n')
    {
        lineEnds.push_back(text.size());
    }
    const int nLines = static_cast<int>(lineEnds.size());
    if (message.find("<eof>") != std::string::npos)
    {
        // Running out of input: every prefix fails the same way; the end is the place.
        return nLines;
    }
    int lo = 1;
    int hi = nLines;
    while (lo < hi)
    {
        const int mid = lo + (hi - lo) / 2;
        if (ParseError(text.substr(0, lineEnds[mid - 1])) == message)
        {
            hi = mid;
        }
        else
        {
            lo = mid + 1;
        }
    }
    return lo;
}

/**
 * \param values attributes of a node or edge
 * \param name attribute name
 * \return pointer to its value, nullptr if absent
 */
const std::string*
Find(const std::map<std::string, std::string>& values, const std::string& name)
{
    auto it = values.find(name);
    return it == values.end() ? nullptr : &it->second;
}

} // namespace

Topology
TopologyReader::Read(const std::string& path)
{
    // Say what a path is when it is no file: read_graphviz would call a directory a syntax
    // error at line 1 and read /dev/zero until memory runs out.
    struct stat st;
    if (stat(path.c_str(), &st) == 0)
    {
        if (S_ISDIR(st.st_mode))
        {
            throw TopologyError(path, "", "is a directory, not a topology DOT file");
        }
        if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
        {
            throw TopologyError(path, "", "is a device, not a topology DOT file");
        }
    }
    std::ifstream in(path, std::ios::binary);
    if (!in)
    {
        throw TopologyError(path, "", std::string("cannot open: ") + std::strerror(errno));
    }
    // A pipe or a huge file is read up to MAX_BYTES, no further.
    std::string text(MAX_BYTES + 1, '\0');
    in.read(&text[0], text.size());
    if (in.bad())
    {
        throw TopologyError(path, "", std::string("cannot read: ") + std::strerror(errno));
    }
    text.resize(in.gcount());
    if (text.size() > MAX_BYTES)
    {
        throw TopologyError(path, "",
                            "larger than " + std::to_string(MAX_BYTES >> 20)
                                + " MiB: not a topology DOT file");
    }
    return ReadString(text, path);
}

Topology
TopologyReader::ReadString(const std::string& text, const std::string& source)
{
    DotGraph g;
    std::string graphComment;
    std::vector<UnknownAttr> unknown;
    boost::dynamic_properties dp(
        [&unknown](const std::string& name, const boost::any& key, const boost::any& value)
        {
            const std::string* v = boost::any_cast<std::string>(&value);
            unknown.push_back({name, v != nullptr ? *v : "", key});
            // No map: read_graphviz goes on, the error is raised below with the element's name.
            return boost::shared_ptr<boost::dynamic_property_map>();
        });
    Register(&g, &dp, &graphComment);

    try
    {
        boost::read_graphviz(text, g, dp);
    }
    catch (const boost::directed_graph_error&)
    {
        throw TopologyError(source, "graph",
                            "is a digraph: a topology must be an undirected \"graph { ... }\" "
                            "with \"a -- b\" links (links are full duplex)");
    }
    catch (const boost::bad_graphviz_syntax& e)
    {
        const int line = SyntaxErrorLine(text, e.what());
        throw TopologyError(source, "line " + std::to_string(line),
                            std::string("syntax error: ") + e.what());
    }
    catch (const std::exception& e)
    {
        throw TopologyError(source, "", std::string("cannot parse: ") + e.what());
    }

    TopologyDotSource::CheckDeclaredOnce(text, source);

    if (!unknown.empty())
    {
        const UnknownAttr& u = unknown.front();
        std::string element = "graph";
        if (const DotVertex* v = boost::any_cast<DotVertex>(&u.key))
        {
            element = Topology::NodeElement(g[*v].id);
        }
        else if (const DotEdge* e = boost::any_cast<DotEdge>(&u.key))
        {
            element = "edge \"" + g[boost::source(*e, g)].id + " -- " + g[boost::target(*e, g)].id
                    + "\"";
        }
        throw TopologyError(source, element,
                            "unknown attribute " + u.name + "=\"" + u.value
                                + "\": " + ALLOWED_ATTRS);
    }

    // Links to nodes that were never declared: read_graphviz created them from the edge.
    for (auto [e, end] = boost::edges(g); e != end; ++e)
    {
        for (DotVertex v : {boost::source(*e, g), boost::target(*e, g)})
        {
            if (g[v].values.count("kind") == 0)
            {
                throw TopologyError(source,
                                    "edge \"" + g[boost::source(*e, g)].id + " -- "
                                        + g[boost::target(*e, g)].id + "\"",
                                    "node \"" + g[v].id
                                        + "\" is not declared: add a node statement with "
                                          "its kind, e.g. \""
                                        + g[v].id + "\" [kind=switch];");
            }
        }
    }

    // Nodes in natural name order, hosts first, so host ordinal == node index.
    std::vector<DotVertex> order(boost::num_vertices(g));
    for (std::size_t i = 0; i < order.size(); ++i)
    {
        order[i] = i;
    }
    std::sort(order.begin(), order.end(),
              [&g](DotVertex x, DotVertex y)
              {
                  return TopologyDotSource::NaturalLess(g[x].id, g[y].id);
              });

    Topology topo(source);
    std::vector<int> index(boost::num_vertices(g), -1);
    for (const bool wantHosts : {true, false})
    {
        for (DotVertex v : order)
        {
            const std::string& name = g[v].id;
            const auto& values = g[v].values;
            const std::string element = Topology::NodeElement(name);
            const std::string* kind = Find(values, "kind");
            if (kind == nullptr)
            {
                throw TopologyError(source, element,
                                    "attribute kind is missing: must be host or switch");
            }
            if (*kind != "host" && *kind != "switch")
            {
                throw TopologyError(source, element,
                                    "attribute kind=\"" + *kind + "\": must be host or switch");
            }
            const bool isHost = *kind == "host";
            if (isHost != wantHosts)
            {
                continue;
            }
            for (const std::string& attr : isHost ? SWITCH_ONLY : HOST_ONLY)
            {
                if (const std::string* value = Find(values, attr))
                {
                    throw TopologyError(source, element,
                                        "attribute " + attr + "=\"" + *value
                                            + "\": only allowed on "
                                            + (isHost ? "switches" : "hosts"));
                }
            }
            std::string why;
            if (isHost)
            {
                uint32_t vms = 2;
                std::string nic = "default";
                std::string vswitch = "default";
                if (const std::string* s = Find(values, "vms"))
                {
                    if (!TopologyValues::ParsePositiveInt(*s, &vms, &why))
                    {
                        throw TopologyError(source, element,
                                            "attribute vms=\"" + *s + "\": " + why);
                    }
                }
                uint32_t nics = 0;
                if (const std::string* s = Find(values, "nics"))
                {
                    if (!TopologyValues::ParsePositiveInt(*s, &nics, &why))
                    {
                        throw TopologyError(source, element,
                                            "attribute nics=\"" + *s + "\": " + why);
                    }
                }
                if (const std::string* s = Find(values, "nic"))
                {
                    nic = *s;
                }
                if (const std::string* s = Find(values, "vswitch"))
                {
                    vswitch = *s;
                }
                const std::string* guest = Find(values, "guest");
                index[v] = topo.AddHost(name, vms, nic, vswitch, nics, guest ? *guest : "default");
            }
            else
            {
                uint32_t ports = 0;
                std::string buffer;
                if (const std::string* s = Find(values, "ports"))
                {
                    if (!TopologyValues::ParsePositiveInt(*s, &ports, &why))
                    {
                        throw TopologyError(source, element,
                                            "attribute ports=\"" + *s + "\": " + why);
                    }
                }
                if (const std::string* s = Find(values, "buffer"))
                {
                    buffer = *s;
                }
                index[v] = topo.AddSwitch(name, ports, buffer);
            }
        }
    }

    for (auto [e, end] = boost::edges(g); e != end; ++e)
    {
        const auto& values = g[*e].values;
        const std::string* rate = Find(values, "rate");
        const std::string* delay = Find(values, "delay");
        topo.AddLink(index[boost::source(*e, g)], index[boost::target(*e, g)],
                     rate != nullptr ? *rate : Topology::DEFAULT_RATE,
                     delay != nullptr ? *delay : Topology::DEFAULT_DELAY);
    }

    topo.Validate();
    return topo;
}

} // namespace ns3
