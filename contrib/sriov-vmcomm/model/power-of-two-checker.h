/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef POWER_OF_TWO_CHECKER_H
#define POWER_OF_TWO_CHECKER_H

#include "ns3/attribute.h"

#include <cstdint>

namespace ns3 {

/**
 * \ingroup sriov-vmcomm
 * \brief A checker for a UintegerValue attribute that must be a power of two in [min, max]
 * (PCIe link widths, payload and request sizes).
 *
 * With it the attribute system itself refuses a value the model cannot take (Config::SetDefault
 * fails, a command line is refused before the run) instead of the setter aborting later.
 *
 * \param min the smallest allowed value, a power of two
 * \param max the largest allowed value, a power of two
 * \return the checker
 */
Ptr<const AttributeChecker> MakePowerOfTwoChecker(uint64_t min, uint64_t max);

} // namespace ns3

#endif /* POWER_OF_TWO_CHECKER_H */
