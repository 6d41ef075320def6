/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef JSON_TEXT_H
#define JSON_TEXT_H

#include <string>

// JSON values as the programs print them on stdout (one object per point: dma-bench, nfv-bench).

namespace ns3 {

/**
 * \ingroup sriov-vmcomm
 * \param v a number
 * \param precision decimals
 * \return \p v in fixed notation with \p precision decimals, or null when it is not finite (a
 * figure not measured)
 */
std::string JsonNumber(double v, int precision);

} // namespace ns3

#endif /* JSON_TEXT_H */
