/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Builds the software path (modes vswitch-kernel and vswitch-dpdk): a VirtualSwitch on the host's
 * cores and one VirtioNetDevice per VM, attached as a switch port, with a fresh MAC address and a
 * static forwarding entry for it (see vswitch-helper.h).
 */
#include "vswitch-helper.h"

#include "ns3/abort.h"
#include "ns3/config.h"
#include "ns3/host.h"
#include "ns3/log.h"
#include "ns3/memory-domain.h"
#include "ns3/net-device-queue-interface.h"
#include "ns3/preset.h"
#include "ns3/simulator.h"
#include "ns3/virtio-net-device.h"
#include "ns3/virtual-switch.h"

namespace ns3 {

NS_LOG_COMPONENT_DEFINE("VswitchHelper");

VswitchHelper::VswitchHelper()
    : m_flowControl(true)
{
    m_switch.SetTypeId("ns3::VirtualSwitch");
    m_virtio.SetTypeId("ns3::VirtioNetDevice");
}

VswitchHelper::~VswitchHelper() = default;

void
VswitchHelper::SetSwitchAttribute(std::string n, const AttributeValue& v)
{
    m_switch.Set(n, v);
}

void
VswitchHelper::SetVirtioAttribute(std::string n, const AttributeValue& v)
{
    m_virtio.Set(n, v);
}

void
VswitchHelper::SetProfile(const std::string& name)
{
    const Preset* p = FindPreset(name, PresetKind::VSWITCH);
    NS_ABORT_MSG_IF(!p, "VswitchHelper::SetProfile: unknown profile \""
                            << name << "\"; valid: " << GetPresetNameList(PresetKind::VSWITCH));
    ApplyPreset(*p, m_switch);
}

std::vector<std::string>
VswitchHelper::GetProfileNames()
{
    return ListPresets(PresetKind::VSWITCH);
}

void
VswitchHelper::SetFlowControl(bool enabled)
{
    m_flowControl = enabled;
}

Ptr<VirtioNetDevice>
VswitchHelper::AddVm(Ptr<VirtualSwitch> vswitch, Ptr<Node> vm) const
{
    Ptr<VirtioNetDevice> dev = m_virtio.Create<VirtioNetDevice>();
    dev->SetAddress(Mac48Address::Allocate());
    if (m_flowControl)
    {
        dev->AggregateObject(CreateObject<NetDeviceQueueInterface>());
    }
    vm->AddDevice(dev);
    uint32_t port = vswitch->AddPort(dev);
    // The VMs' addresses are known to the host (as OpenStack programs them): no flooding needed.
    vswitch->AddStaticEntry(Mac48Address::ConvertFrom(dev->GetAddress()), port);
    return dev;
}

NetDeviceContainer
VswitchHelper::Install(NodeContainer vms) const
{
    Ptr<VirtualSwitch> vswitch = m_switch.Create<VirtualSwitch>();
    NetDeviceContainer devices;
    for (uint32_t i = 0; i < vms.GetN(); ++i)
    {
        devices.Add(AddVm(vswitch, vms.Get(i)));
    }
    return devices;
}

NetDeviceContainer
VswitchHelper::Install(uint32_t nVms) const
{
    NodeContainer vms;
    vms.Create(nVms);
    return Install(vms);
}

NetDeviceContainer
VswitchHelper::Install(Ptr<Host> host, NodeContainer vms) const
{
    NS_ABORT_MSG_IF(!host, "VswitchHelper::Install: null host");
    NS_ABORT_MSG_IF(!host->GetNode(), "VswitchHelper::Install: host "
                                          << host->GetName()
                                          << " has no node (aggregate the Host to its Node)");
    NS_ABORT_MSG_IF(host->GetVirtualSwitch(), "VswitchHelper::Install: host "
                                                  << host->GetName()
                                                  << " already has a virtual switch");
    Ptr<VirtualSwitch> vswitch = m_switch.Create<VirtualSwitch>();
    NetDeviceContainer devices;
    for (uint32_t i = 0; i < vms.GetN(); ++i)
    {
        devices.Add(AddVm(vswitch, vms.Get(i)));
    }
    host->SetVirtualSwitch(vswitch);
    vswitch->SetNode(host->GetNode());
    for (uint32_t i = 0; i < vms.GetN(); ++i)
    {
        host->AddVm(vms.Get(i), nullptr, devices.Get(i));
    }
    return devices;
}

Ptr<VirtualSwitch>
VswitchHelper::GetSwitch(Ptr<NetDevice> device)
{
    Ptr<VirtioNetDevice> dev = DynamicCast<VirtioNetDevice>(device);
    return dev ? DynamicCast<VirtualSwitch>(dev->GetBackend()) : nullptr;
}

void
VswitchHelper::EnablePcapInternal(std::string prefix, Ptr<NetDevice> nd, bool promiscuous,
                                  bool explicitFilename)
{
    Ptr<VirtioNetDevice> dev = nd->GetObject<VirtioNetDevice>();
    if (!dev)
    {
        NS_LOG_INFO("VswitchHelper::EnablePcapInternal: " << nd << " is not a VirtioNetDevice");
        return;
    }
    PcapHelper pcapHelper;
    std::string filename = explicitFilename ? prefix : pcapHelper.GetFilenameFromDevice(prefix, nd);
    Ptr<PcapFileWrapper> file
        = pcapHelper.CreateFile(filename, std::ios::out, PcapHelper::DLT_EN10MB);
    pcapHelper.HookDefaultSink<VirtioNetDevice>(dev, promiscuous ? "PromiscSniffer" : "Sniffer",
                                                file);
}

namespace {

/**
 * \brief ASCII "d" line of a VirtioNetDevice's Drop trace: AsciiTraceHelper's drop line, and
 * the reason after the packet.
 * \param stream the output \param context the Config path \param packet the frame
 * \param reason the drop reason's name
 */
void
AsciiDropWithReason(Ptr<OutputStreamWrapper> stream, std::string context, Ptr<const Packet> packet,
                    const char* reason)
{
    *stream->GetStream() << "d " << Simulator::Now().GetSeconds() << " " << context << " "
                         << *packet << " " << reason << std::endl;
}

/** \brief As AsciiDropWithReason(), in a file of one device (no context). */
void
AsciiDropWithReasonWithoutContext(Ptr<OutputStreamWrapper> stream, Ptr<const Packet> packet,
                                  const char* reason)
{
    *stream->GetStream() << "d " << Simulator::Now().GetSeconds() << " " << *packet << " " << reason
                         << std::endl;
}

} // namespace

void
VswitchHelper::EnableAsciiInternal(Ptr<OutputStreamWrapper> stream, std::string prefix,
                                   Ptr<NetDevice> nd, bool explicitFilename)
{
    // As CsmaHelper: a file per device without a stream, else one shared stream with contexts.
    Ptr<VirtioNetDevice> dev = nd->GetObject<VirtioNetDevice>();
    if (!dev)
    {
        NS_LOG_INFO("VswitchHelper::EnableAsciiInternal: " << nd << " is not a VirtioNetDevice");
        return;
    }
    Packet::EnablePrinting();
    if (!stream)
    {
        AsciiTraceHelper ascii;
        std::string filename = explicitFilename ? prefix : ascii.GetFilenameFromDevice(prefix, nd);
        Ptr<OutputStreamWrapper> file = ascii.CreateFileStream(filename);
        ascii.HookDefaultEnqueueSinkWithoutContext<VirtioNetDevice>(dev, "MacTx", file);
        dev->TraceConnectWithoutContext(
            "Drop", MakeBoundCallback(&AsciiDropWithReasonWithoutContext, file));
        ascii.HookDefaultReceiveSinkWithoutContext<VirtioNetDevice>(dev, "MacRx", file);
        return;
    }
    std::ostringstream path;
    path << "/NodeList/" << nd->GetNode()->GetId() << "/DeviceList/" << nd->GetIfIndex()
         << "/$ns3::VirtioNetDevice/";
    Config::Connect(path.str() + "MacTx",
                    MakeBoundCallback(&AsciiTraceHelper::DefaultEnqueueSinkWithContext, stream));
    Config::Connect(path.str() + "Drop", MakeBoundCallback(&AsciiDropWithReason, stream));
    Config::Connect(path.str() + "MacRx",
                    MakeBoundCallback(&AsciiTraceHelper::DefaultReceiveSinkWithContext, stream));
}

} // namespace ns3
