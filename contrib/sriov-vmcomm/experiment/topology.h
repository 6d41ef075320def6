/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// A data-center topology as plain data: hosts, switches and links, validated, with routes
// (TopologyRoutes) towards every host. TopologyReader reads one from a DOT file.
#ifndef TOPOLOGY_H
#define TOPOLOGY_H

#include "ns3/data-rate.h"
#include "ns3/nstime.h"
#include "topology-routes.h"
#include "topology-values.h"

#include <cstdint>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

namespace ns3 {

/**
 * \ingroup sriov-vmcomm
 * \brief One node of a Topology: a host or a switch. Host fields are ignored for switches and
 * vice versa.
 */
struct TopologyNode
{
    /** What a node is. */
    enum Kind
    {
        HOST = 0,  //!< a physical server with VMs, a NIC and a virtual switch
        SWITCH = 1 //!< an Ethernet switch of the fabric
    };

    std::string name;               //!< unique name (the DOT node id)
    Kind kind{HOST};                //!< host or switch
    uint32_t vms{2};                //!< host: number of VMs (>= 1)
    std::string nic{"default"};     //!< host: hardware preset, default = the program's
    std::string vswitch{"default"}; //!< host: virtual switch profile, default = the mode's
    uint32_t nics{0};               //!< host: SR-IOV NICs, 0 = the program's --nics
    std::string guest{"default"};   //!< host: what its VMs run (kernel, dpdk), default = --guest
    uint32_t ports{0};              //!< switch: port count, 0 = as many as it has links
    std::string buffer;             //!< switch: per-port queue (ns3::QueueSize), "" = default
    std::vector<int> links;         //!< links of this node; port i is links[i]
};

/**
 * \ingroup sriov-vmcomm
 * \brief One full-duplex link of a Topology, between two nodes.
 */
struct TopologyLink
{
    int a{-1};               //!< first endpoint (node index), as written
    int b{-1};               //!< second endpoint (node index)
    DataRate rate;           //!< line rate in each direction
    Time delay;              //!< propagation delay
    std::string rateString;  //!< rate as written, e.g. "100Gbps"
    std::string delayString; //!< delay as written, e.g. "500ns"

    /**
     * \param node one endpoint
     * \return the other endpoint, or -1 if node is not an endpoint
     */
    int Other(int node) const;
};

/**
 * \ingroup sriov-vmcomm
 * \brief Plain data model of a data-center topology: hosts, switches and the links between them,
 * with shortest-path routes (hop count) towards every host.
 *
 * No ns-3 objects are created here: the topology builder turns this description into Host and
 * EthernetSwitch/EthernetLink objects. Nodes are numbered 0..N-1 and links 0..L-1 in the order
 * they were added (TopologyReader adds hosts first, then switches, each in natural name order,
 * so in a file-based topology host ordinal i is node i).
 *
 * A host has exactly one link (its NIC's uplink port, as the SriovNic model has one uplink);
 * the only exception is a topology made of one host and nothing else. Hosts never forward
 * frames for others; switches do.
 *
 * Routing: ComputeRoutes() runs one Boost.Graph breadth-first search per destination host
 * (O(H x (V + E)) time, a node x host table of next hops and hop counts: 6 bytes per entry,
 * 6.6 MB for 1000 hosts and 100 switches). Among equal-cost next hops the choice is
 * deterministic: by default a fixed hash of (node, destination) picks one, so destinations
 * spread over the spines of a leaf-spine fabric as destination-based ECMP does in an L2 fabric
 * with per-MAC forwarding entries; LOWEST_INDEX picks the neighbour with the lowest node index.
 */
class Topology
{
  public:
    /** What a node is (TopologyNode::Kind, named here as before). */
    using NodeKind = TopologyNode::Kind;
    static constexpr NodeKind HOST = TopologyNode::HOST;     //!< a host
    static constexpr NodeKind SWITCH = TopologyNode::SWITCH; //!< a switch

    /** How equal-cost next hops are chosen (TopologyRoutes::TieBreak, named here as before). */
    using TieBreak = TopologyRoutes::TieBreak;
    /** fixed hash of (node, destination): spreads load like ECMP */
    static constexpr TieBreak HASH_DESTINATION = TopologyRoutes::HASH_DESTINATION;
    /** the neighbour with the lowest node index (then lowest link) */
    static constexpr TieBreak LOWEST_INDEX = TopologyRoutes::LOWEST_INDEX;

    /** Default link rate when a DOT edge has no rate attribute. */
    static constexpr const char* DEFAULT_RATE = "100Gbps";
    /** Default link delay when a DOT edge has no delay attribute. */
    static constexpr const char* DEFAULT_DELAY = "500ns";

    /**
     * \param source name used in error messages (file name, or "<memory>")
     */
    explicit Topology(const std::string& source = "<memory>");

    /** \param source name used in error messages */
    void SetSource(const std::string& source);
    /** \return name used in error messages */
    const std::string& GetSource() const;

    /**
     * Add a host.
     * \param name unique node name
     * \param vms number of VMs (>= 1)
     * \param nic hardware preset name (NIC, PCIe, IOMMU: ns3::ListPresets()), or "default"
     * \param vswitch virtual switch profile for the vswitch modes, or "default" (the mode's)
     * \param nics SR-IOV NICs, 1..MAX_NICS, or 0 for the program's default
     * \param guest what the host's VMs run (GetGuestKindNames()), or "default" (the program's)
     * \return the node index
     * \throws TopologyError on a duplicate name, vms == 0, nics > MAX_NICS, a malformed
     * preset name or an unknown guest
     */
    int AddHost(const std::string& name, uint32_t vms = 2, const std::string& nic = "default",
                const std::string& vswitch = "default", uint32_t nics = 0,
                const std::string& guest = "default");

    /** Most SR-IOV NICs a host may have (a server's PCIe slots). */
    static constexpr uint32_t MAX_NICS = 8;

    /**
     * Add a switch.
     * \param name unique node name
     * \param ports port count, 0 for "as many as links"
     * \param buffer per-port output queue size as an ns3::QueueSize string ("" = builder default)
     * \return the node index
     * \throws TopologyError on a duplicate name or a malformed buffer
     */
    int AddSwitch(const std::string& name, uint32_t ports = 0, const std::string& buffer = "");

    /**
     * Add a link. Structural rules (no self loop, no duplicate, host degree) are checked by
     * Validate(), so that a reader can report them with the file's element names.
     * \param a first endpoint (node index)
     * \param b second endpoint (node index)
     * \param rate ns3::DataRate string, > 0
     * \param delay ns3::Time string with a unit, >= 0
     * \return the link index
     * \throws TopologyError if an endpoint does not exist or rate/delay are malformed
     */
    int AddLink(int a, int b, const std::string& rate = DEFAULT_RATE,
                const std::string& delay = DEFAULT_DELAY);

    /**
     * Check the structure: at least one host; no self loop; no duplicate link; every host has
     * exactly one link (unless it is the only node); switch port counts suffice; connected.
     * \throws TopologyError naming the first offending element
     */
    void Validate() const;

    /** \return number of nodes (hosts and switches) */
    int GetNNodes() const;
    /** \return number of hosts */
    int GetNHosts() const;
    /** \return number of switches */
    int GetNSwitches() const;
    /** \return number of links */
    int GetNLinks() const;
    /** \return total number of VMs over all hosts */
    uint64_t GetNVms() const;

    /**
     * \param i node index
     * \return the node
     * \throws std::out_of_range if i is not a node index
     */
    const TopologyNode& GetNode(int i) const;
    /**
     * \param i link index
     * \return the link
     * \throws std::out_of_range if i is not a link index
     */
    const TopologyLink& GetLink(int i) const;
    /** \return all nodes, by index */
    const std::vector<TopologyNode>& GetNodes() const;
    /** \return all links, by index */
    const std::vector<TopologyLink>& GetLinks() const;
    /** \return node indices of the hosts, in host-ordinal order */
    const std::vector<int>& GetHosts() const;
    /** \return node indices of the switches */
    const std::vector<int>& GetSwitches() const;
    /**
     * \param node node index
     * \return its host ordinal (position in GetHosts()), or -1 for a switch
     */
    int GetHostOrdinal(int node) const;
    /**
     * \param name node name
     * \return its node index, or -1 if there is no such node
     */
    int FindNode(const std::string& name) const;
    /**
     * \param node node index
     * \param link link index
     * \return the port of node that link is attached to (position in TopologyNode::links), or -1
     */
    int GetPort(int node, int link) const;
    /**
     * \param link link index
     * \return `"a -- b"` with the endpoint names, as used in error messages
     */
    std::string DescribeLink(int link) const;

    /**
     * Compute next hops and hop counts from every node towards every host (Boost.Graph BFS,
     * one per destination host). Call again after adding nodes or links.
     * \param tieBreak how equal-cost next hops are chosen
     * \throws TopologyError if the topology does not Validate()
     */
    void ComputeRoutes(TieBreak tieBreak = HASH_DESTINATION);
    /** \return true once ComputeRoutes() has run (and nothing was added since) */
    bool HasRoutes() const;

    /**
     * \param fromNode node index (host or switch)
     * \param toHost node index of the destination host
     * \return link index of the next hop, or -1 if fromNode == toHost
     * \throws std::logic_error before ComputeRoutes(); std::out_of_range on a bad index or if
     *         toHost is not a host
     */
    int NextHopLink(int fromNode, int toHost) const;
    /**
     * \param fromNode node index
     * \param toHost node index of the destination host
     * \return next-hop node (the other end of NextHopLink), or -1 if fromNode == toHost
     */
    int NextHopNode(int fromNode, int toHost) const;
    /**
     * \param fromNode node index
     * \param toHost node index of the destination host
     * \return number of links on a shortest path (0 if fromNode == toHost)
     */
    int HopCount(int fromNode, int toHost) const;
    /**
     * \param fromNode node index
     * \param toHost node index of the destination host
     * \return every link that starts a shortest path (the ECMP set), sorted by neighbour index
     */
    std::vector<int> EqualCostLinks(int fromNode, int toHost) const;
    /**
     * \param fromNode node index
     * \param toHost node index of the destination host
     * \return node indices along the routed path, both ends included
     */
    std::vector<int> Path(int fromNode, int toHost) const;
    /** \return the largest host-to-host hop count (0 for a single host) */
    int GetMaxHostHops() const;

    /**
     * \param name a node name
     * \return `node "name"`, the element string used in error messages
     */
    static std::string NodeElement(const std::string& name);

  private:
    /** Throw if routes are missing or indices are bad. \param fromNode \param toHost */
    void CheckRouteArgs(int fromNode, int toHost) const;
    /** Forget computed routes (the graph changed). */
    void InvalidateRoutes();

    std::string m_source;                          //!< name used in error messages
    std::vector<TopologyNode> m_nodes;             //!< nodes by index
    std::vector<TopologyLink> m_links;             //!< links by index
    std::vector<int> m_hosts;                      //!< node indices of hosts
    std::vector<int> m_switches;                   //!< node indices of switches
    std::vector<int> m_hostOrdinal;                //!< node index -> host ordinal or -1
    std::unordered_map<std::string, int> m_byName; //!< node name -> node index
    TopologyRoutes m_routes;                       //!< next hops and hop counts, once computed
};

} // namespace ns3

#endif /* TOPOLOGY_H */
