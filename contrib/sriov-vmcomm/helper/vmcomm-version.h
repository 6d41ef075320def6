/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// The sriov-vmcomm release, as written in contrib/sriov-vmcomm/VERSION (the one place it is
// set: CMake reads it for the project version and compiles it in here).
#ifndef VMCOMM_VERSION_H
#define VMCOMM_VERSION_H

namespace ns3 {

/**
 * \ingroup sriov-vmcomm
 * \returns the sriov-vmcomm release, e.g. "0.1.0", stored in every run (runs.version)
 */
const char* GetVmcommVersion();

} // namespace ns3

#endif /* VMCOMM_VERSION_H */
