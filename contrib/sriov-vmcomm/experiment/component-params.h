/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The settings of each host's parts that the defaults in run_params do not show: the
 * component_params rows of the results database.
 */
#ifndef COMPONENT_PARAMS_H
#define COMPONENT_PARAMS_H

#include "ns3/ptr.h"
#include "results-db.h"

#include <vector>

namespace ns3 {

class Host;

/**
 * \ingroup sriov-vmcomm
 * \brief Add to \p r, for every host, the attributes of its parts whose values differ from the
 * defaults in force (CollectChangedAttributes): what a preset, a switch profile, a guest kind or a
 * topology file set on that host alone. run_params records the defaults and the options a run
 * is replayed from; a vswitch-dpdk run's switch, built with the ovs-dpdk profile, shows its
 * profile's PollLoopCycles here.
 *
 * Components, named as the counters' ("h1/nic0", "h1/pcie0", ...): each NIC (port) and its DMA
 * engine ("h1/nic0/dma") and uplink device ("h1/uplink0"), each PCIe link once, the IOMMU, the
 * root complex, the PCIe hierarchy, the virtual switch, the host kernel's PF ("h1/pf"), and the
 * VMs' guest OS and NIC: "h1/vms" when every VM of the host has the same settings, else one
 * component per VM ("h1/vm0", ...).
 *
 * \param hosts the run's hosts
 * \param r the record
 */
void CollectComponentParams(const std::vector<Ptr<Host>>& hosts, RunRecord& r);

} // namespace ns3

#endif /* COMPONENT_PARAMS_H */
