/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// The module's Doxygen group: every class of model/ and helper/ is \ingroup sriov-vmcomm. This
// header declares nothing else and is included by nothing (ns-3's point-to-point module defines
// its group the same way, in point-to-point-net-device.h).
#ifndef SRIOV_VMCOMM_H
#define SRIOV_VMCOMM_H

/**
 * \defgroup sriov-vmcomm SR-IOV VM-to-VM communication
 *
 * This section documents the API of the sriov-vmcomm module: VMs on hosts with SR-IOV NICs
 * (virtual functions, the VF mapping table, the embedded switch, the uplink port), the PCIe link
 * between NIC and root complex (after pcie-bench), the IOMMU, the VMs' memories and the host
 * cores running a software virtual switch. It compares the in-NIC VF-to-VF DMA of patent
 * US9483290B1 (mode vf-dma) with SR-IOV hairpins (veb, vepa), a switch offload mode
 * (vswitch-offload) and software switches (vswitch-kernel, vswitch-dpdk, virtio guests).
 *
 * For a functional description read the module's documentation in contrib/sriov-vmcomm/doc/:
 * model.md (what each class models, a frame's walk, timing, where every default comes from),
 * modes.md (the forwarding modes), vswitch.md, ethernet.md, validation.md and results.md.
 * Read it before going down to the API.
 */

#endif /* SRIOV_VMCOMM_H */
