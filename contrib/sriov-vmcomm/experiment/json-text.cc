/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// JSON values as the programs print them on stdout.
#include "json-text.h"

#include <cmath>
#include <cstdio>

namespace ns3 {

std::string
JsonNumber(double v, int precision)
{
    if (!std::isfinite(v))
    {
        return "null";
    }
    char buf[64];
    std::snprintf(buf, sizeof(buf), "%.*f", precision, v);
    return buf;
}

} // namespace ns3
