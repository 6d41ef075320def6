/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Attribute checkers for the values ns-3's own checkers cannot restrict: a set of values rather
// than one range (powers of two, page sizes, VLAN ids), and positive data rates.
#ifndef UINTEGER_CHECKERS_H
#define UINTEGER_CHECKERS_H

#include "ns3/attribute.h"

#include <cstdint>
#include <functional>
#include <string>

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

/**
 * \ingroup sriov-vmcomm
 * \brief A checker for a UintegerValue attribute whose allowed values are not one range (a set
 * of page sizes, a VLAN id or "none").
 *
 * \param accepts whether a value is allowed
 * \param allowed what is allowed, for messages (e.g. "4096, 2097152 or 1073741824")
 * \return the checker
 */
Ptr<const AttributeChecker> MakeUintegerCheckerIf(std::function<bool(uint64_t)> accepts,
                                                  const std::string& allowed);

/**
 * \ingroup sriov-vmcomm
 * \brief A checker for a DataRateValue attribute that must be above 0 bit/s (a line rate: ns-3's
 * MakeDataRateChecker() takes no range).
 * \return the checker
 */
Ptr<const AttributeChecker> MakePositiveDataRateChecker();

} // namespace ns3

#endif /* UINTEGER_CHECKERS_H */
