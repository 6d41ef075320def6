/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The communication modes: names, and what each configures (see comm-mode.h).
 */
#include "comm-mode.h"

#include "enum-names.h"
#include "ns3/enum.h"
#include "ns3/sriov-nic.h"
#include "sriov-helper.h"

#include <utility>

namespace ns3 {

namespace {

/** Every mode and its name, in the order programs run them. */
const std::pair<CommMode, const char*> MODES[] = {
    {CommMode::VF_DMA, "vf-dma"},
    {CommMode::VEB, "veb"},
    {CommMode::VEPA, "vepa"},
    {CommMode::VSWITCH_KERNEL, "vswitch-kernel"},
    {CommMode::VSWITCH_DPDK, "vswitch-dpdk"},
    {CommMode::VSWITCH_OFFLOAD, "vswitch-offload"},
};

} // namespace

const std::vector<CommMode>&
GetCommModes()
{
    static const std::vector<CommMode> modes = []()
    {
        std::vector<CommMode> v;
        for (const auto& m : MODES)
        {
            v.push_back(m.first);
        }
        return v;
    }();
    return modes;
}

std::vector<std::string>
GetCommModeNames()
{
    return enumnames::Names(MODES);
}

std::string
ToString(CommMode mode)
{
    return enumnames::Name(MODES, mode);
}

bool
ParseCommMode(const std::string& name, CommMode* mode)
{
    return enumnames::Parse(MODES, name, mode);
}

bool
IsSoftwareSwitched(CommMode mode)
{
    return mode == CommMode::VSWITCH_KERNEL || mode == CommMode::VSWITCH_DPDK;
}

std::string
GetDefaultVswitchProfile(CommMode mode)
{
    return mode == CommMode::VSWITCH_KERNEL ? "ovs-kernel" : "ovs-dpdk";
}

bool
NeedsReflectiveRelay(CommMode mode)
{
    return mode == CommMode::VEPA;
}

void
ConfigureNicForwarding(CommMode mode, SriovHelper& sriov)
{
    SriovNic::Forwarding f = SriovNic::FORWARD_VF_DMA;
    switch (mode)
    {
        case CommMode::VEB:
            f = SriovNic::FORWARD_VEB;
            break;
        case CommMode::VEPA:
            f = SriovNic::FORWARD_VEPA;
            break;
        case CommMode::VSWITCH_OFFLOAD:
            f = SriovNic::FORWARD_OFFLOAD;
            break;
        default:
            break;
    }
    sriov.SetNicAttribute("Forwarding", EnumValue(f));
}

} // namespace ns3
