/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * FabricBuilder: builds the network between the hosts of a topology: a cable per link and NIC,
 * an EthernetSwitch per switch (its per-port output buffer from the topology's buffer=
 * attribute), the routes as static forwarding entries, and reflective relay where the mode
 * needs it.
 */
#ifndef FABRIC_BUILDER_H
#define FABRIC_BUILDER_H

#include "ns3/net-device.h"
#include "ns3/node.h"
#include "ns3/ptr.h"
#include "topology.h"

#include <vector>

namespace ns3 {

class EthernetSwitch;
class Host;

/**
 * \ingroup sriov-vmcomm
 * \brief Builds the links and switches of a Topology between hosts already built.
 *
 * A link with a host end is one cable per NIC of the host (NIC k on cable k, which becomes
 * the NIC's uplink); the switch at the other end has a port per cable. Two hosts cabled
 * directly get as many cables as the host with fewer NICs has. Each switch forwards by static
 * entries, one per VM address, along the topology's shortest paths (Topology::NextHopLink;
 * Topology::ComputeRoutes must have run). A switch with a buffer= attribute gets that
 * ns3::QueueSize as the transmit queue of each of its ports; without, its ports keep the
 * EthernetHelper's queue.
 *
 * \code
 *   FabricBuilder fabric(topology);
 *   fabric.SetReflectiveRelay(mode == CommMode::VEPA);
 *   fabric.Install(hosts); // hosts in the order of topology.GetHosts()
 * \endcode
 */
class FabricBuilder
{
  public:
    /** \param topology the topology (routes computed); must outlive Install() */
    explicit FabricBuilder(const Topology& topology);

    /**
     * \brief Have the switch ports facing hosts reflect frames (IEEE 802.1Qbg reflective
     * relay), as VEPA needs. Default off.
     * \param enable true to reflect
     */
    void SetReflectiveRelay(bool enable);

    /**
     * \brief Build the fabric.
     * \param hosts the hosts, in the order of the topology's GetHosts()
     */
    void Install(const std::vector<Ptr<Host>>& hosts);

    /** \return the switches built, in the order of the topology's GetSwitches() */
    const std::vector<Ptr<EthernetSwitch>>& GetSwitches() const;

    /** \return the nodes of the switches, in the same order */
    const std::vector<Ptr<Node>>& GetSwitchNodes() const;

    /** \return every cable end built (host and switch ends) */
    const std::vector<Ptr<NetDevice>>& GetDevices() const;

  private:
    const Topology& m_topology;                  //!< what to build
    bool m_reflectiveRelay{false};               //!< reflect on ports facing hosts
    std::vector<Ptr<EthernetSwitch>> m_switches; //!< per topology switch
    std::vector<Ptr<Node>> m_switchNodes;        //!< per topology switch
    std::vector<Ptr<NetDevice>> m_devices;       //!< every cable end
};

} // namespace ns3

#endif /* FABRIC_BUILDER_H */
