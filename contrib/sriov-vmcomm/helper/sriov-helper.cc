/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Builds hosts: an IOMMU, one or more SR-IOV NICs on their PCIe links, and one VF per VM, with each
 * VM's memory mapped in its own IOMMU domain, MAC addresses assigned and the mapping table filled
 * (see sriov-helper.h).
 */
#include "sriov-helper.h"

#include "ns3/abort.h"
#include "ns3/config.h"
#include "ns3/device-list-channel.h"
#include "ns3/dma-engine.h"
#include "ns3/host.h"
#include "ns3/iommu.h"
#include "ns3/log.h"
#include "ns3/memory-domain.h"
#include "ns3/node-list.h"
#include "ns3/offload-forwarder.h"
#include "ns3/pcie-hierarchy.h"
#include "ns3/pcie-link.h"
#include "ns3/preset.h"
#include "ns3/root-complex.h"
#include "ns3/sriov-nic.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"
#include "ns3/vf-mapping-table.h"
#include "ns3/vf-net-device.h"
#include "ns3/virtual-switch.h"

#include <sstream>
#include <utility>
#include <vector>

namespace ns3 {

NS_LOG_COMPONENT_DEFINE("SriovHelper");

SriovHelper::SriovHelper()
    : m_nics(1)
    , m_ports(1)
    , m_iommuEnabled(true)
{
    m_host.SetTypeId("ns3::Host");
    m_pcie.SetTypeId("ns3::PcieLink");
    m_iommu.SetTypeId("ns3::Iommu");
    m_nic.SetTypeId("ns3::SriovNic");
    m_vf.SetTypeId("ns3::VfNetDevice");
    m_memory.SetTypeId("ns3::MemoryDomain");
    m_dma.SetTypeId("ns3::DmaEngine");
    m_hierarchy.SetTypeId("ns3::PcieHierarchy");
    m_vswitch.SetTypeId("ns3::VirtualSwitch");
    m_rc.SetTypeId("ns3::RootComplex");
}

SriovHelper::~SriovHelper() = default;

void
SriovHelper::SetHostAttribute(std::string n, const AttributeValue& v)
{
    m_host.Set(n, v);
}

void
SriovHelper::SetPcieAttribute(std::string n, const AttributeValue& v)
{
    m_pcie.Set(n, v);
}

void
SriovHelper::SetVirtualSwitchAttribute(std::string n, const AttributeValue& v)
{
    m_vswitch.Set(n, v);
}

void
SriovHelper::SetGuestHelper(const GuestHelper& guest)
{
    m_guest = guest;
}

void
SriovHelper::SetIommuAttribute(std::string n, const AttributeValue& v)
{
    m_iommu.Set(n, v);
}

void
SriovHelper::SetNicAttribute(std::string n, const AttributeValue& v)
{
    m_nic.Set(n, v);
    if (n == "MaxVfs")
    {
        TypeId::AttributeInformation info;
        TypeId::LookupByName("ns3::SriovNic").LookupAttributeByName(n, &info);
        m_maxVfs = v.SerializeToString(info.checker);
    }
}

void
SriovHelper::SetVfAttribute(std::string n, const AttributeValue& v)
{
    m_vf.Set(n, v);
}

void
SriovHelper::SetMemoryAttribute(std::string n, const AttributeValue& v)
{
    m_memory.Set(n, v);
}

void
SriovHelper::SetDmaAttribute(std::string n, const AttributeValue& v)
{
    m_dma.Set(n, v);
}

void
SriovHelper::SetHierarchyAttribute(std::string n, const AttributeValue& v)
{
    m_hierarchy.Set(n, v);
}

void
SriovHelper::SetPreset(const std::string& name)
{
    const Preset& preset = GetPreset(name);
    const std::pair<const char*, ObjectFactory*> factories[] = {
        {"ns3::PcieLink::", &m_pcie},  {"ns3::Iommu::", &m_iommu},
        {"ns3::DmaEngine::", &m_dma},  {"ns3::MemoryDomain::", &m_memory},
        {"ns3::SriovNic::", &m_nic},   {"ns3::VfNetDevice::", &m_vf},
        {"ns3::RootComplex::", &m_rc},
    };
    for (const PresetParameter& q : preset.parameters)
    {
        // The NIC's Ethernet port is the fabric's (EthernetHelper builds the cables): a per-host
        // preset leaves it the global default (ApplyPreset sets that for a whole run).
        bool set = q.attribute.rfind("ns3::EthernetNetDevice::", 0) == 0;
        for (const auto& [prefix, factory] : factories)
        {
            const std::string type(prefix);
            if (q.attribute.compare(0, type.size(), type) == 0)
            {
                factory->Set(q.attribute.substr(type.size()), StringValue(q.value));
                set = true;
            }
            if (q.attribute == "ns3::SriovNic::MaxVfs")
            {
                m_maxVfs = q.value;
            }
        }
        NS_ABORT_MSG_IF(!set, "SriovHelper::SetPreset: preset " << name << " sets " << q.attribute
                                                                << ", which no part of a host has");
    }
}

void
SriovHelper::SetNics(uint32_t nics)
{
    NS_ABORT_MSG_IF(nics == 0, "SriovHelper::SetNics: a host needs one NIC at least");
    m_nics = nics;
}

uint32_t
SriovHelper::GetNics() const
{
    return m_nics;
}

void
SriovHelper::SetPorts(uint32_t ports)
{
    NS_ABORT_MSG_IF(ports == 0, "SriovHelper::SetPorts: a NIC needs one port at least");
    m_ports = ports;
}

uint32_t
SriovHelper::GetPorts() const
{
    return m_ports;
}

void
SriovHelper::SetVfPlacement(const std::vector<uint32_t>& functions)
{
    m_placement = functions;
}

void
SriovHelper::SetIommuEnabled(bool enabled)
{
    m_iommuEnabled = enabled;
}

NetDeviceContainer
SriovHelper::Install(uint32_t nVms) const
{
    NodeContainer vms;
    vms.Create(nVms);
    return Install(vms);
}

NetDeviceContainer
SriovHelper::Install(NodeContainer vms) const
{
    // The host OS's node, after the VMs' (node ids as before the helper returned devices).
    return Install(CreateObject<Node>(), vms);
}

NetDeviceContainer
SriovHelper::Install(Ptr<Node> node, NodeContainer vms) const
{
    NS_LOG_FUNCTION(this << node << vms.GetN());
    NS_ABORT_MSG_IF(!node, "SriovHelper::Install: null host node");
    NS_ABORT_MSG_IF(node->GetObject<Host>(),
                    "SriovHelper::Install: node " << node->GetId() << " already has a Host");
    // The Host aggregated to the host OS's node (/NodeList/N/$ns3::Host).
    Ptr<Host> host = m_host.Create<Host>();
    node->AggregateObject(host);
    Ptr<Iommu> iommu = m_iommuEnabled ? m_iommu.Create<Iommu>() : nullptr;
    const uint32_t functions = m_nics * m_ports;
    NS_ABORT_MSG_IF(!m_placement.empty() && m_placement.size() != vms.GetN(),
                    "SriovHelper::Install: a VF placement of "
                        << m_placement.size() << " functions for " << vms.GetN() << " VMs");
    // Functions (ports) of more than one: one mapping table, one VF segment.
    Ptr<PcieHierarchy> hierarchy = functions > 1 ? m_hierarchy.Create<PcieHierarchy>() : nullptr;
    if (hierarchy)
    {
        // One mapping table for the host's NICs, one segment for all their VFs.
        hierarchy->SetMappingTable(Create<VfMappingTable>());
        hierarchy->SetChannel(CreateObject<DeviceListChannel>());
    }
    if (hierarchy && hierarchy->GetRoute() == PcieHierarchy::ROUTE_SWITCH)
    {
        // The switch's upstream port: the NICs' link parameters, the switch's width.
        Ptr<PcieLink> upstream = m_pcie.Create<PcieLink>();
        upstream->SetAttribute("Lanes", UintegerValue(hierarchy->GetSwitchUpstreamLanes()));
        hierarchy->SetSwitchUpstream(upstream);
    }
    // One root complex per host: every NIC's requests go through it.
    Ptr<RootComplex> rootComplex = m_rc.Create<RootComplex>();
    std::vector<Ptr<SriovNic>> nics;
    Ptr<PcieLink> link;
    for (uint32_t n = 0; n < functions; ++n)
    {
        if (n % m_ports == 0)
        {
            link = m_pcie.Create<PcieLink>(); // a NIC's ports share its link
        }
        Ptr<SriovNic> nic = m_nic.Create<SriovNic>();
        Ptr<DmaEngine> dma = m_dma.Create<DmaEngine>();
        dma->SetRootComplex(rootComplex);
        nic->Attach(link, iommu, dma);
        if (!hierarchy)
        {
            // A NIC alone: its own mapping table and VF segment (a hierarchy shares its own).
            nic->SetSegment(Create<VfMappingTable>(), CreateObject<DeviceListChannel>());
        }
        if (n == 0)
        {
            host->SetHardware(link, iommu, nic);
        }
        else
        {
            host->AddNic(link, nic);
        }
        if (hierarchy)
        {
            hierarchy->Add(nic);
        }
        nics.push_back(nic);
    }
    host->SetPcieHierarchy(hierarchy);
    if (hierarchy)
    {
        hierarchy->SetIommu(iommu);
    }
    // vswitch-offload: the host's virtual switch decides for the NICs, which reach it by its
    // representor ports (one for the uplink here, one per VF as they are added).
    Ptr<VirtualSwitch> vswitch;
    for (const Ptr<SriovNic>& nic : nics)
    {
        if (Ptr<OffloadForwarder> offload = DynamicCast<OffloadForwarder>(nic->GetForwarder()))
        {
            if (!vswitch)
            {
                vswitch = m_vswitch.Create<VirtualSwitch>();
                vswitch->SetNode(node);
                vswitch->AddUplinkRepresentor();
                host->SetVirtualSwitch(vswitch);
            }
            offload->SetVirtualSwitch(vswitch);
        }
    }

    // VM memories sit back to back in host-physical space above the host's own first GiB,
    // each aligned for 1 GiB pages.
    const uint64_t gib = uint64_t(1) << 30;
    uint64_t hpa = gib;
    NetDeviceContainer devices;
    for (uint32_t i = 0; i < vms.GetN(); ++i)
    {
        Ptr<MemoryDomain> memory = m_memory.Create<MemoryDomain>();
        memory->Attach(iommu, hpa);
        hpa += (memory->GetSize() + gib - 1) / gib * gib;
        // Every NIC may DMA into every VM: a VF writes into a VM of a peer NIC at step 7; and
        // the VM's VF may message the VFs of every NIC (their BARs in its IOMMU domain).
        for (const Ptr<SriovNic>& nic : nics)
        {
            nic->GetDmaEngine()->AddMemory(memory);
        }
        if (hierarchy)
        {
            hierarchy->AddRequester(memory->GetIommuDomain());
        }

        Ptr<Node> vm = vms.Get(i);
        m_guest.Install(vm); // the VM's OS, before its NIC (the VF asks it whether it polls)
        Ptr<VfNetDevice> vf = m_vf.Create<VfNetDevice>();
        vm->AddDevice(vf);
        const Mac48Address mac = Mac48Address::Allocate();
        const uint32_t f = m_placement.empty() ? i % functions : m_placement[i];
        NS_ABORT_MSG_IF(f >= functions, "SriovHelper::Install: VM " << i << "'s VF on function "
                                                                    << f << " of " << functions);
        const uint32_t index = nics[f]->AddVf(vf, memory, mac);
        AddRepresentor(nics[f], index, mac);
        host->AddVm(vm, memory, vf);
        devices.Add(vf);
    }
    return devices;
}

Ptr<Host>
SriovHelper::GetHost(Ptr<NetDevice> device)
{
    if (!device)
    {
        return nullptr;
    }
    for (auto n = NodeList::Begin(); n != NodeList::End(); ++n)
    {
        Ptr<Host> host = (*n)->GetObject<Host>();
        if (!host)
        {
            continue;
        }
        if (host->GetPf() == device)
        {
            return host;
        }
        for (uint32_t i = 0; i < host->GetNVms(); ++i)
        {
            if (host->GetVmDevice(i) == device)
            {
                return host;
            }
        }
    }
    return nullptr;
}

Ptr<Host>
SriovHelper::GetHost(const NetDeviceContainer& devices)
{
    NS_ABORT_MSG_IF(devices.GetN() == 0, "SriovHelper::GetHost: no device (a host of no VM is "
                                         "reached from its node: node->GetObject<Host>())");
    return GetHost(devices.Get(0));
}

uint64_t
SriovHelper::GetVfCapacity(std::string* maxVfs) const
{
    std::string value = m_maxVfs;
    if (value.empty())
    {
        TypeId::AttributeInformation info;
        TypeId::LookupByName("ns3::SriovNic").LookupAttributeByName("MaxVfs", &info);
        value = info.initialValue->SerializeToString(info.checker);
    }
    if (maxVfs)
    {
        *maxVfs = value;
    }
    return std::stoull(value) * m_nics * m_ports;
}

Ptr<VfNetDevice>
SriovHelper::AddPf(Ptr<Host> host) const
{
    return AddPf(host, 0);
}

Ptr<VfNetDevice>
SriovHelper::AddPf(Ptr<Host> host, uint32_t nicIndex) const
{
    NS_ABORT_MSG_IF(nicIndex >= host->GetNNics(),
                    "SriovHelper::AddPf: host " << host->GetName() << " has no NIC " << nicIndex
                                                << " (it has " << host->GetNNics() << ")");
    Ptr<MemoryDomain> memory;
    if (nicIndex == 0)
    {
        NS_ABORT_MSG_IF(host->GetPf(),
                        "SriovHelper::AddPf: host " << host->GetName() << " has a PF");
        // The host kernel's memory: the first GiB of host-physical space, below the VMs'.
        memory = m_memory.Create<MemoryDomain>();
        memory->SetAttribute("SizeBytes", UintegerValue(uint64_t(1) << 30));
        memory->Attach(host->GetIommu(), 0);
        for (uint32_t n = 0; n < host->GetNNics(); ++n)
        {
            host->GetNic(n)->GetDmaEngine()->AddMemory(memory);
        }
        if (Ptr<PcieHierarchy> hierarchy = host->GetPcieHierarchy())
        {
            hierarchy->AddRequester(memory->GetIommuDomain());
        }
    }
    else
    {
        // The same kernel, the same memory (every NIC's DMA engine already reaches it).
        NS_ABORT_MSG_IF(!host->GetPf(), "SriovHelper::AddPf: host " << host->GetName() << ": NIC "
                                                                    << nicIndex
                                                                    << "'s PF needs NIC 0's first");
        memory = host->GetPf()->GetMemory();
    }
    Ptr<SriovNic> nic = host->GetNic(nicIndex);
    Ptr<VfNetDevice> pf = m_vf.Create<VfNetDevice>();
    host->GetNode()->AddDevice(pf);
    const Mac48Address mac = Mac48Address::Allocate();
    uint32_t index = nic->AddVf(pf, memory, mac);
    AddRepresentor(nic, index, mac);
    nic->SetDefaultVf(index);
    if (nicIndex == 0)
    {
        host->SetPf(pf);
    }
    return pf;
}

void
SriovHelper::AddRepresentor(Ptr<SriovNic> nic, uint32_t vf, Mac48Address mac)
{
    Ptr<OffloadForwarder> offload = DynamicCast<OffloadForwarder>(nic->GetForwarder());
    if (!offload)
    {
        return;
    }
    Ptr<VirtualSwitch> vswitch = offload->GetVirtualSwitch();
    vswitch->AddStaticEntry(mac, vswitch->AddRepresentor(nic->GetNicIndex(), vf));
}

void
SriovHelper::EnablePcapInternal(std::string prefix, Ptr<NetDevice> nd, bool promiscuous,
                                bool explicitFilename)
{
    Ptr<VfNetDevice> vf = nd->GetObject<VfNetDevice>();
    if (!vf)
    {
        NS_LOG_INFO("SriovHelper::EnablePcapInternal: device " << nd << " is not a VfNetDevice");
        return;
    }
    PcapHelper pcapHelper;
    std::string filename = explicitFilename ? prefix : pcapHelper.GetFilenameFromDevice(prefix, nd);
    Ptr<PcapFileWrapper> file
        = pcapHelper.CreateFile(filename, std::ios::out, PcapHelper::DLT_EN10MB);
    pcapHelper.HookDefaultSink<VfNetDevice>(vf, promiscuous ? "PromiscSniffer" : "Sniffer", file);
}

void
SriovHelper::EnableAsciiInternal(Ptr<OutputStreamWrapper> stream, std::string prefix,
                                 Ptr<NetDevice> nd, bool explicitFilename)
{
    // As CsmaHelper: a file per device without a stream, else one shared stream with contexts.
    Ptr<VfNetDevice> vf = nd->GetObject<VfNetDevice>();
    if (!vf)
    {
        NS_LOG_INFO("SriovHelper::EnableAsciiInternal: device " << nd << " is not a VfNetDevice");
        return;
    }
    Packet::EnablePrinting();
    if (!stream)
    {
        AsciiTraceHelper ascii;
        std::string filename = explicitFilename ? prefix : ascii.GetFilenameFromDevice(prefix, nd);
        Ptr<OutputStreamWrapper> file = ascii.CreateFileStream(filename);
        ascii.HookDefaultEnqueueSinkWithoutContext<VfNetDevice>(vf, "MacTx", file);
        ascii.HookDefaultDropSinkWithoutContext<VfNetDevice>(vf, "MacTxDrop", file);
        ascii.HookDefaultReceiveSinkWithoutContext<VfNetDevice>(vf, "MacRx", file);
        return;
    }
    std::ostringstream path;
    path << "/NodeList/" << nd->GetNode()->GetId() << "/DeviceList/" << nd->GetIfIndex()
         << "/$ns3::VfNetDevice/";
    Config::Connect(path.str() + "MacTx",
                    MakeBoundCallback(&AsciiTraceHelper::DefaultEnqueueSinkWithContext, stream));
    Config::Connect(path.str() + "MacTxDrop",
                    MakeBoundCallback(&AsciiTraceHelper::DefaultDropSinkWithContext, stream));
    Config::Connect(path.str() + "MacRx",
                    MakeBoundCallback(&AsciiTraceHelper::DefaultReceiveSinkWithContext, stream));
}

} // namespace ns3
