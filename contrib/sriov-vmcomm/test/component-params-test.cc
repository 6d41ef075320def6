/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * component_params: the settings a helper gave one object (a profile, a guest kind, a forwarding
 * mode), which the defaults in run_params do not show.
 */
#include "ns3/attribute-snapshot.h"
#include "ns3/component-params.h"
#include "ns3/config.h"
#include "ns3/guest-helper.h"
#include "ns3/host.h"
#include "ns3/node-container.h"
#include "ns3/pcie-link.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"
#include "ns3/vmcomm-helper.h"
#include "test-util.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>

using namespace ns3;

namespace {

/** The rows of \p r as "component name" -> value. */
std::map<std::string, std::string>
Rows(const RunRecord& r)
{
    std::map<std::string, std::string> out;
    for (const ComponentParamRow& row : r.componentParams)
    {
        out[row.component + " " + row.name] = row.value;
    }
    return out;
}

/** The host of a run in \p mode with \p vms VMs and \p guest guests: its component_params. */
std::map<std::string, std::string>
HostRows(CommMode mode, GuestKind guest, uint32_t vms = 2)
{
    VmCommHelper comm;
    comm.SetMode(mode);
    GuestHelper g;
    g.SetGuest(guest);
    comm.SetGuestHelper(g);
    NodeContainer nodes;
    nodes.Create(vms);
    Ptr<Node> hostNode = CreateObject<Node>();
    comm.Install(hostNode, nodes);
    Ptr<Host> host = hostNode->GetObject<Host>();
    host->SetAttribute("Name", StringValue("h"));
    RunRecord r;
    CollectComponentParams({host}, r);
    Simulator::Destroy();
    return Rows(r);
}

} // namespace

TEST(CollectChangedAttributes, OnlyWhatDiffersFromTheDefault)
{
    GlobalDefaultsGuard restore;
    Ptr<PcieLink> link = CreateObject<PcieLink>();
    EXPECT_TRUE(CollectChangedAttributes(link).empty());
    link->SetAttribute("Lanes", UintegerValue(4));
    const auto changed = CollectChangedAttributes(link);
    ASSERT_EQ(changed.size(), 1u);
    EXPECT_EQ(changed[0].first, "ns3::PcieLink::Lanes");
    EXPECT_EQ(changed[0].second, "4");
    // A default changed to the same value: nothing differs any more.
    Config::SetDefault("ns3::PcieLink::Lanes", UintegerValue(4));
    EXPECT_TRUE(CollectChangedAttributes(link).empty());
    EXPECT_TRUE(CollectChangedAttributes(nullptr).empty());
}

TEST(ComponentParams, ShowWhatTheProfileAndTheGuestKindSet)
{
    // vswitch-dpdk: the switch runs the ovs-dpdk profile, whose idle loop the defaults lack.
    auto rows = HostRows(CommMode::VSWITCH_DPDK, GuestKind::DPDK);
    EXPECT_EQ(rows["h/vswitch ns3::VirtualSwitch::PollLoopCycles"], "2750");
    EXPECT_EQ(rows["h/vswitch ns3::VirtualSwitch::Mode"], "Poll");
    EXPECT_EQ(rows["h/vms ns3::GuestOs::Stack"], "Dpdk"); // both VMs alike: one component
    EXPECT_EQ(rows.count("h/vm0 ns3::GuestOs::Stack"), 0u);

    // veb with kernel guests: the NIC's forwarding mode, and nothing else of the defaults.
    rows = HostRows(CommMode::VEB, GuestKind::KERNEL);
    EXPECT_EQ(rows["h/nic0 ns3::SriovNic::Forwarding"], "Veb");
    EXPECT_EQ(rows.size(), 1u);

    // vf-dma is the default forwarding: no row at all.
    EXPECT_TRUE(HostRows(CommMode::VF_DMA, GuestKind::KERNEL).empty());
}
