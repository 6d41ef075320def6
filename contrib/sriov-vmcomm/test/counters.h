/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Reading a run's counters in tests.
 */
#ifndef VMCOMM_TEST_COUNTERS_H
#define VMCOMM_TEST_COUNTERS_H

#include "ns3/results-db.h"

#include <string>

/** Sum of a counter over every component whose name ends with \p suffix. */
inline double
Counter(const ns3::RunRecord& r, const std::string& suffix, const std::string& name)
{
    double sum = 0;
    for (const ns3::CounterRow& c : r.counters)
    {
        if (c.name == name && c.component.size() >= suffix.size()
            && c.component.compare(c.component.size() - suffix.size(), suffix.size(), suffix) == 0)
        {
            sum += c.value;
        }
    }
    return sum;
}

#endif /* VMCOMM_TEST_COUNTERS_H */
