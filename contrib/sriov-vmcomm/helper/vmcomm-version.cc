/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The module's release, from contrib/sriov-vmcomm/VERSION (see vmcomm-version.h).
 */
// The sriov-vmcomm release: VMCOMM_VERSION is defined by CMake from contrib/sriov-vmcomm/VERSION.
#include "vmcomm-version.h"

#ifndef VMCOMM_VERSION
#    error \
        "VMCOMM_VERSION is not defined: contrib/sriov-vmcomm/CMakeLists.txt defines it from VERSION"
#endif

namespace ns3 {

const char*
GetVmcommVersion()
{
    return VMCOMM_VERSION;
}

} // namespace ns3
