/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * VirtualSwitch's representor ports (one per VF, one for the uplink) and the upcall core that
 * decides for the NIC in vswitch-offload (see virtual-switch.h).
 */
// VirtualSwitch's representor ports (vswitch-offload, as OVS hardware offload: one representor
// netdev per VF of the host's SR-IOV NIC and one for its uplink) and the upcall by which a VF's
// frame comes up to the switch for a decision, on the switch's upcall handler core. The rest of
// VirtualSwitch is in virtual-switch.cc.
#include "ns3/abort.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "virtual-switch.h"

#include <algorithm>

namespace ns3 {

NS_LOG_COMPONENT_DEFINE("VirtualSwitchRepresentor");

uint32_t
VirtualSwitch::AddRepresentor(uint32_t nic, uint32_t vf)
{
    NS_LOG_FUNCTION(this << nic << vf);
    NS_ABORT_MSG_IF(vf == REPRESENTED_UPLINK,
                    "VirtualSwitch::AddRepresentor: the uplink's is AddUplinkRepresentor");
    NS_ABORT_MSG_IF(GetRepresentorPort(nic, vf) != PORT_NONE, "VirtualSwitch::AddRepresentor: VF "
                                                                  << vf << " of NIC " << nic
                                                                  << " already has a representor");
    // The datapath cores number their ports as the switch does: a representor is a port of
    // theirs whose input queue stays empty (its frames come up as upcalls, not through a queue).
    const uint32_t index = m_scheduler.AddPort(&m_representorQueue);
    Port p;
    p.representor = true;
    p.repNic = nic;
    p.repVf = vf;
    m_ports.push_back(p);
    ++m_nRepresentors;
    if (nic >= m_representors.size())
    {
        m_representors.resize(nic + 1);
    }
    if (vf >= m_representors[nic].size())
    {
        m_representors[nic].resize(vf + 1, PORT_NONE);
    }
    m_representors[nic][vf] = index;
    return index;
}

uint32_t
VirtualSwitch::AddUplinkRepresentor()
{
    NS_LOG_FUNCTION(this);
    NS_ABORT_MSG_IF(m_uplinkRepresentor != PORT_NONE,
                    "VirtualSwitch::AddUplinkRepresentor: already has one");
    const uint32_t index = m_scheduler.AddPort(&m_representorQueue);
    Port p;
    p.representor = true;
    p.repVf = REPRESENTED_UPLINK;
    m_ports.push_back(p);
    ++m_nRepresentors;
    m_uplinkRepresentor = index;
    return index;
}

uint32_t
VirtualSwitch::GetUplinkRepresentorPort() const
{
    return m_uplinkRepresentor;
}

bool
VirtualSwitch::GetRepresented(uint32_t port, uint32_t& nic, uint32_t& vf) const
{
    if (port >= m_ports.size() || !m_ports[port].representor)
    {
        return false;
    }
    nic = m_ports[port].repNic;
    vf = m_ports[port].repVf;
    return true;
}

Time
VirtualSwitch::Upcall(VswitchFrame& frame, Time seen, Time cost)
{
    NS_LOG_FUNCTION(this << frame.inPort << frame.src << frame.dst << seen);
    NS_ABORT_MSG_IF(frame.inPort >= m_ports.size() || !m_ports[frame.inPort].representor,
                    "VirtualSwitch::Upcall: port " << frame.inPort << " is not a representor");
    if (m_learning)
    {
        Learn(frame.src, frame.inPort);
    }
    frame.outPort = Decide(frame);
    const Time start = TimeStep(m_upcallCore.Reserve(seen.GetTimeStep(), cost.GetTimeStep(),
                                                     Simulator::Now().GetTimeStep()));
    m_upcallCoreTime += cost;
    return start + cost;
}

Time
VirtualSwitch::GetUpcallCoreTime() const
{
    return m_upcallCoreTime;
}

Time
VirtualSwitch::GetUpcallCoreTimeSoFar() const
{
    const int64_t ahead = m_upcallCore.GetBusyAfter(Simulator::Now().GetTimeStep());
    return std::max(Time(0), m_upcallCoreTime - TimeStep(ahead));
}

} // namespace ns3
