/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The communication modes a scenario compares (vf-dma, veb, vepa, vswitch-kernel, vswitch-dpdk,
 * vswitch-offload): their names, and how each mode configures the helpers that build a host.
 * The only place where a mode's name is compared.
 */
#ifndef COMM_MODE_H
#define COMM_MODE_H

#include <string>
#include <vector>

namespace ns3 {

class SriovHelper;

/**
 * \ingroup sriov-vmcomm
 * \brief How the VMs of a host reach each other (doc/modes.md).
 */
enum class CommMode
{
    VF_DMA,         //!< "vf-dma": the NIC's VF-to-VF DMA (patent US9483290B1)
    VEB,            //!< "veb": SR-IOV embedded switch hairpin
    VEPA,           //!< "vepa": every frame to the adjacent switch, which reflects it
    VSWITCH_KERNEL, //!< "vswitch-kernel": virtio VMs on a kernel software switch
    VSWITCH_DPDK,   //!< "vswitch-dpdk": virtio VMs on a DPDK software switch
    VSWITCH_OFFLOAD //!< "vswitch-offload": a host switch decides, the VF does the DMA
};

/** \ingroup sriov-vmcomm \return every mode, in the order programs run and list them */
const std::vector<CommMode>& GetCommModes();

/** \ingroup sriov-vmcomm \return the names of GetCommModes(), in order */
std::vector<std::string> GetCommModeNames();

/** \ingroup sriov-vmcomm \param mode a mode \return its name ("vf-dma", ...) */
std::string ToString(CommMode mode);

/**
 * \ingroup sriov-vmcomm
 * \param name a mode's name
 * \param mode [out] the mode
 * \return false if \p name is no mode
 */
bool ParseCommMode(const std::string& name, CommMode* mode);

/**
 * \ingroup sriov-vmcomm
 * \param mode a mode
 * \return true if the mode's VMs have virtio NICs on a host software switch (no VFs)
 */
bool IsSoftwareSwitched(CommMode mode);

/**
 * \ingroup sriov-vmcomm
 * \param mode a software-switched mode (IsSoftwareSwitched())
 * \return the VswitchHelper profile the mode runs when the host names none
 */
std::string GetDefaultVswitchProfile(CommMode mode);

/**
 * \ingroup sriov-vmcomm
 * \param mode a mode
 * \return true if the switch ports facing hosts must reflect frames (IEEE 802.1Qbg
 *         reflective relay): VEPA sends VM-to-VM frames out of the uplink
 */
bool NeedsReflectiveRelay(CommMode mode);

/**
 * \ingroup sriov-vmcomm
 * \brief Configure the NICs a helper builds for a hardware mode (not IsSoftwareSwitched()):
 * the modes differ only in how the NIC forwards between its VFs.
 * \param mode the mode
 * \param sriov the helper
 */
void ConfigureNicForwarding(CommMode mode, SriovHelper& sriov);

} // namespace ns3

#endif /* COMM_MODE_H */
