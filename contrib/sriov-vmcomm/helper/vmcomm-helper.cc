/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * VmCommHelper: one entry point for every communication mode, building a host in the mode
 * chosen through SriovHelper and VswitchHelper, and saying what a topology lacks for it (see
 * vmcomm-helper.h).
 */
#include "vmcomm-helper.h"

#include "ns3/abort.h"
#include "ns3/host.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/vf-net-device.h"
#include "ns3/virtio-net-device.h"
#include "ns3/virtual-switch.h"

#include <stdexcept>

namespace ns3 {

NS_LOG_COMPONENT_DEFINE("VmCommHelper");

VmCommHelper::VmCommHelper()
    : m_mode(CommMode::VF_DMA)
{
}

VmCommHelper::~VmCommHelper() = default;

void
VmCommHelper::SetMode(CommMode mode)
{
    m_mode = mode;
}

void
VmCommHelper::SetMode(const std::string& name)
{
    CommMode mode;
    if (!ParseCommMode(name, &mode))
    {
        std::string valid;
        for (const std::string& n : GetCommModeNames())
        {
            valid += (valid.empty() ? "" : ", ") + n;
        }
        throw std::invalid_argument("VmCommHelper::SetMode: unknown mode \"" + name
                                    + "\"; valid: " + valid);
    }
    m_mode = mode;
}

CommMode
VmCommHelper::GetMode() const
{
    return m_mode;
}

SriovHelper&
VmCommHelper::GetSriovHelper()
{
    return m_sriov;
}

const SriovHelper&
VmCommHelper::GetSriovHelper() const
{
    return m_sriov;
}

void
VmCommHelper::SetVswitchProfile(const std::string& name)
{
    if (!name.empty())
    {
        // Unknown names abort now, not at Install.
        VswitchHelper().SetProfile(name);
    }
    m_profile = name;
}

void
VmCommHelper::SetSwitchAttribute(std::string n, const AttributeValue& v)
{
    m_switchAttrs.emplace_back(n, v.Copy());
}

void
VmCommHelper::SetVirtioAttribute(std::string n, const AttributeValue& v)
{
    m_virtioAttrs.emplace_back(n, v.Copy());
}

bool
VmCommHelper::NeedsReflectiveRelay() const
{
    return ns3::NeedsReflectiveRelay(m_mode);
}

std::string
VmCommHelper::Check(const VmCommSite& site) const
{
    const std::string mode = "mode " + ToString(m_mode);
    const std::string host
        = (site.where.empty() ? "" : site.where + ": ") + "host \"" + site.host + "\"";
    if (!IsSoftwareSwitched(m_mode))
    {
        std::string maxVfs;
        const uint64_t limit = m_sriov.GetVfCapacity(&maxVfs);
        if (site.vms > limit)
        {
            const std::string what = site.vmsSource.empty()
                                       ? host + " runs " + std::to_string(site.vms) + " VMs"
                                       : site.vmsSource;
            return what + ": more VMs than the host's NICs have VFs (" + mode
                 + " gives each VM a VF): allowed: 1.." + std::to_string(limit) + " ("
                 + std::to_string(m_sriov.GetNics()) + " NIC(s) x ns3::SriovNic::MaxVfs=" + maxVfs
                 + ")";
        }
    }
    if (NeedsReflectiveRelay() && site.vmToVmFrames && !site.switchPort)
    {
        return mode + ": " + host + " is cabled to no switch: " + ToString(m_mode)
             + " needs a switch port with reflective relay (IEEE 802.1Qbg) to turn its "
               "VM-to-VM frames around";
    }
    return "";
}

void
VmCommHelper::SetGuestHelper(const GuestHelper& guest)
{
    m_guest = guest;
    m_sriov.SetGuestHelper(guest);
}

NetDeviceContainer
VmCommHelper::Install(NodeContainer vms) const
{
    return Install(CreateObject<Node>(), vms);
}

NetDeviceContainer
VmCommHelper::Install(Ptr<Node> hostNode, NodeContainer vms) const
{
    NS_LOG_FUNCTION(this << ToString(m_mode) << hostNode << vms.GetN());
    SriovHelper sriov(m_sriov);
    if (!IsSoftwareSwitched(m_mode))
    {
        // The hardware modes differ only in how the NIC forwards between its VFs.
        ConfigureNicForwarding(m_mode, sriov);
        return sriov.Install(hostNode, vms);
    }
    // VMs with virtio NICs on a software switch, which reaches the wire through the host
    // kernel's PF on the host's SR-IOV NIC.
    sriov.Install(hostNode, NodeContainer());
    Ptr<Host> host = hostNode->GetObject<Host>();
    Ptr<VfNetDevice> pf = sriov.AddPf(host);
    VswitchHelper vswitch;
    vswitch.SetGuestHelper(m_guest);
    vswitch.SetProfile(m_profile.empty() ? GetDefaultVswitchProfile(m_mode) : m_profile);
    for (const Setting& s : m_switchAttrs)
    {
        vswitch.SetSwitchAttribute(s.first, *s.second);
    }
    for (const Setting& s : m_virtioAttrs)
    {
        vswitch.SetVirtioAttribute(s.first, *s.second);
    }
    NetDeviceContainer devices = vswitch.Install(host, vms);
    host->GetVirtualSwitch()->SetUplink(pf); // a poll-mode switch polls its PF (PollUplink)
    return devices;
}

Ptr<Host>
VmCommHelper::GetHost(Ptr<NetDevice> device)
{
    return SriovHelper::GetHost(device);
}

Ptr<Host>
VmCommHelper::GetHost(const NetDeviceContainer& devices)
{
    return SriovHelper::GetHost(devices);
}

void
VmCommHelper::EnablePcapInternal(std::string prefix, Ptr<NetDevice> nd, bool promiscuous,
                                 bool explicitFilename)
{
    // Each device kind's own helper writes its capture (the same DLT_EN10MB files).
    if (nd->GetObject<VirtioNetDevice>())
    {
        VswitchHelper().EnablePcap(prefix, nd, promiscuous, explicitFilename);
    }
    else
    {
        SriovHelper().EnablePcap(prefix, nd, promiscuous, explicitFilename);
    }
}

void
VmCommHelper::EnableAsciiInternal(Ptr<OutputStreamWrapper> stream, std::string prefix,
                                  Ptr<NetDevice> nd, bool explicitFilename)
{
    if (nd->GetObject<VirtioNetDevice>())
    {
        VswitchHelper vswitch;
        AsciiTraceHelperForDevice& ascii = vswitch;
        stream ? ascii.EnableAscii(stream, nd) : ascii.EnableAscii(prefix, nd, explicitFilename);
    }
    else
    {
        SriovHelper sriov;
        AsciiTraceHelperForDevice& ascii = sriov;
        stream ? ascii.EnableAscii(stream, nd) : ascii.EnableAscii(prefix, nd, explicitFilename);
    }
}

} // namespace ns3
