/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The component_params rows: each host part's attributes that differ from the defaults (see
 * component-params.h).
 */
#include "component-params.h"

#include "attribute-snapshot.h"
#include "ns3/dma-engine.h"
#include "ns3/guest-os.h"
#include "ns3/host.h"
#include "ns3/iommu.h"
#include "ns3/node.h"
#include "ns3/pcie-hierarchy.h"
#include "ns3/pcie-link.h"
#include "ns3/root-complex.h"
#include "ns3/sriov-nic.h"
#include "ns3/vf-net-device.h"
#include "ns3/virtual-switch.h"

#include <algorithm>
#include <string>
#include <utility>

namespace ns3 {

namespace {

using Settings = std::vector<std::pair<std::string, std::string>>;

void
Add(RunRecord& r, const std::string& component, const Settings& settings)
{
    for (const auto& [name, value] : settings)
    {
        r.componentParams.push_back({component, name, value});
    }
}

/** \return what the VM's OS and NIC were given: both objects' changed attributes */
Settings
VmSettings(const Ptr<Host>& host, uint32_t vm)
{
    Settings s = CollectChangedAttributes(host->GetVm(vm)->GetObject<GuestOs>());
    const Settings nic = CollectChangedAttributes(host->GetVmDevice(vm));
    s.insert(s.end(), nic.begin(), nic.end());
    std::sort(s.begin(), s.end());
    return s;
}

} // namespace

void
CollectComponentParams(const std::vector<Ptr<Host>>& hosts, RunRecord& r)
{
    for (const Ptr<Host>& h : hosts)
    {
        const std::string name = h->GetName() + "/";
        for (uint32_t n = 0; n < h->GetNNics(); ++n)
        {
            Ptr<SriovNic> nic = h->GetNic(n);
            const std::string i = std::to_string(n);
            Add(r, name + "nic" + i, CollectChangedAttributes(nic));
            Add(r, name + "nic" + i + "/dma", CollectChangedAttributes(nic->GetDmaEngine()));
            Add(r, name + "uplink" + i, CollectChangedAttributes(nic->GetUplink()));
        }
        const std::vector<Ptr<PcieLink>> links = h->GetPcieLinks(); // ports share one
        for (uint32_t n = 0; n < links.size(); ++n)
        {
            Add(r, name + "pcie" + std::to_string(n), CollectChangedAttributes(links[n]));
        }
        Add(r, name + "iommu", CollectChangedAttributes(h->GetIommu()));
        Add(r, name + "root-complex",
            CollectChangedAttributes(h->GetNic(0)->GetDmaEngine()->GetRootComplex()));
        Add(r, name + "pcie-hierarchy", CollectChangedAttributes(h->GetPcieHierarchy()));
        Add(r, name + "vswitch", CollectChangedAttributes(h->GetVirtualSwitch()));
        Add(r, name + "pf", CollectChangedAttributes(h->GetPf()));
        // The VMs: one component when they agree (the usual case), else one each.
        bool same = true;
        const Settings first = h->GetNVms() > 0 ? VmSettings(h, 0) : Settings();
        for (uint32_t v = 1; v < h->GetNVms() && same; ++v)
        {
            same = VmSettings(h, v) == first;
        }
        if (same)
        {
            Add(r, name + "vms", first);
        }
        else
        {
            for (uint32_t v = 0; v < h->GetNVms(); ++v)
            {
                Add(r, name + "vm" + std::to_string(v), VmSettings(h, v));
            }
        }
    }
}

} // namespace ns3
