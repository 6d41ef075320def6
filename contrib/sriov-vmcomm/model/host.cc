/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * One physical server: its IOMMU, its SR-IOV NICs each on its own PCIe link (several joined by a
 * PcieHierarchy), and the VMs it runs, each VM an ns-3 Node with its own memory (see host.h).
 */
#include "host.h"

#include "iommu.h"
#include "memory-domain.h"
#include "ns3/abort.h"
#include "ns3/log.h"
#include "ns3/pointer.h"
#include "ns3/string.h"
#include "pcie-hierarchy.h"
#include "pcie-link.h"
#include "sriov-nic.h"
#include "vf-net-device.h"
#include "virtual-switch.h"

#include <algorithm>

namespace ns3 {

NS_LOG_COMPONENT_DEFINE("Host");

NS_OBJECT_ENSURE_REGISTERED(Host);

TypeId
Host::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::Host")
              .SetParent<Object>()
              .SetGroupName("SriovVmcomm")
              .AddConstructor<Host>()
              .AddAttribute("Name", "Name of the host in results and traces", StringValue("host0"),
                            MakeStringAccessor(&Host::m_name), MakeStringChecker())
              .AddAttribute("VirtualSwitch",
                            "The host's software switch (vswitch modes and vswitch-offload; "
                            "null otherwise): its Forward and Drop traces by Config path",
                            TypeId::ATTR_GET, PointerValue(),
                            MakePointerAccessor(&Host::GetVirtualSwitch),
                            MakePointerChecker<VirtualSwitch>());
    return tid;
}

Host::Host()
{
    NS_LOG_FUNCTION(this);
}

Host::~Host()
{
    NS_LOG_FUNCTION(this);
}

void
Host::NotifyNewAggregate()
{
    NS_LOG_FUNCTION(this);
    if (!m_node)
    {
        m_node = GetObject<Node>();
    }
    Object::NotifyNewAggregate();
}

void
Host::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_node = nullptr;
    m_links.clear();
    m_iommu = nullptr;
    m_nics.clear();
    m_hierarchy = nullptr;
    m_vms = NodeContainer();
    m_memories.clear();
    m_devices.clear();
    m_vswitch = nullptr;
    m_pf = nullptr;
    Object::DoDispose();
}

void
Host::SetHardware(Ptr<PcieLink> link, Ptr<Iommu> iommu, Ptr<SriovNic> nic)
{
    NS_LOG_FUNCTION(this << link << iommu << nic);
    m_links = {link};
    m_iommu = iommu;
    m_nics = {nic};
}

void
Host::AddNic(Ptr<PcieLink> link, Ptr<SriovNic> nic)
{
    NS_LOG_FUNCTION(this << link << nic);
    NS_ABORT_MSG_IF(m_nics.empty(), "Host::AddNic before SetHardware");
    m_links.push_back(link);
    m_nics.push_back(nic);
}

void
Host::SetPcieHierarchy(Ptr<PcieHierarchy> hierarchy)
{
    NS_LOG_FUNCTION(this << hierarchy);
    m_hierarchy = hierarchy;
}

Ptr<PcieHierarchy>
Host::GetPcieHierarchy() const
{
    return m_hierarchy;
}

uint32_t
Host::GetNNics() const
{
    return m_nics.size();
}

void
Host::AddVm(Ptr<Node> vm, Ptr<MemoryDomain> memory, Ptr<NetDevice> device)
{
    NS_LOG_FUNCTION(this << vm << memory << device);
    m_vms.Add(vm);
    m_memories.push_back(memory);
    m_devices.push_back(device);
}

void
Host::SetVirtualSwitch(Ptr<VirtualSwitch> vswitch)
{
    NS_LOG_FUNCTION(this << vswitch);
    m_vswitch = vswitch;
}

Ptr<VirtualSwitch>
Host::GetVirtualSwitch() const
{
    return m_vswitch;
}

void
Host::SetPf(Ptr<VfNetDevice> pf)
{
    NS_LOG_FUNCTION(this << pf);
    m_pf = pf;
}

Ptr<VfNetDevice>
Host::GetPf() const
{
    return m_pf;
}

std::string
Host::GetName() const
{
    return m_name;
}

Ptr<Node>
Host::GetNode() const
{
    return m_node;
}

Ptr<PcieLink>
Host::GetPcieLink(uint32_t i) const
{
    NS_ABORT_MSG_IF(i >= m_links.size(), "Host " << m_name << " has no NIC " << i);
    return m_links[i];
}

std::vector<Ptr<PcieLink>>
Host::GetPcieLinks() const
{
    std::vector<Ptr<PcieLink>> links;
    for (const Ptr<PcieLink>& l : m_links)
    {
        if (std::find(links.begin(), links.end(), l) == links.end())
        {
            links.push_back(l);
        }
    }
    return links;
}

Ptr<Iommu>
Host::GetIommu() const
{
    return m_iommu;
}

Ptr<SriovNic>
Host::GetNic(uint32_t i) const
{
    NS_ABORT_MSG_IF(i >= m_nics.size(), "Host " << m_name << " has no NIC " << i);
    return m_nics[i];
}

uint32_t
Host::GetNVms() const
{
    return m_vms.GetN();
}

NodeContainer
Host::GetVms() const
{
    return m_vms;
}

Ptr<Node>
Host::GetVm(uint32_t i) const
{
    NS_ABORT_MSG_IF(i >= m_vms.GetN(), "Host " << m_name << " has no VM " << i);
    return m_vms.Get(i);
}

Ptr<MemoryDomain>
Host::GetVmMemory(uint32_t i) const
{
    NS_ABORT_MSG_IF(i >= m_memories.size(), "Host " << m_name << " has no VM " << i);
    return m_memories[i];
}

Ptr<NetDevice>
Host::GetVmDevice(uint32_t i) const
{
    NS_ABORT_MSG_IF(i >= m_devices.size(), "Host " << m_name << " has no VM " << i);
    return m_devices[i];
}

Ptr<VfNetDevice>
Host::GetVf(uint32_t i) const
{
    Ptr<VfNetDevice> vf = DynamicCast<VfNetDevice>(GetVmDevice(i));
    NS_ABORT_MSG_IF(!vf, "Host " << m_name << ": VM " << i << "'s NIC is not a VF");
    return vf;
}

} // namespace ns3
