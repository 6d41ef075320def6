/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "busy-calendar.h"

#include <algorithm>

namespace ns3 {

int64_t
BusyCalendar::Reserve(int64_t earliest, int64_t duration, int64_t now)
{
    std::size_t past = 0;
    while (past < m_busy.size() && m_busy[past].second <= now)
    {
        ++past;
    }
    m_busy.erase(m_busy.begin(), m_busy.begin() + past);

    auto it = std::upper_bound(m_busy.begin(), m_busy.end(), earliest,
                               [](int64_t t, const std::pair<int64_t, int64_t>& iv)
                               {
                                   return t < iv.second;
                               });
    int64_t start = earliest;
    for (; it != m_busy.end() && it->first < start + duration; ++it)
    {
        start = std::max(start, it->second);
    }
    const int64_t end = start + duration;
    it = m_busy.insert(it, {start, end});
    // Keep the list short: merge with touching neighbours.
    if (it + 1 != m_busy.end() && (it + 1)->first == end)
    {
        it->second = (it + 1)->second;
        m_busy.erase(it + 1);
    }
    if (it != m_busy.begin() && (it - 1)->second == start)
    {
        (it - 1)->second = it->second;
        m_busy.erase(it);
    }
    return start;
}

void
BusyCalendar::Clear()
{
    m_busy.clear();
}

std::size_t
BusyCalendar::GetNIntervals() const
{
    return m_busy.size();
}

} // namespace ns3
