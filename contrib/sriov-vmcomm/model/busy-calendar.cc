/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The future busy intervals of one server (a PCIe link direction, a DMA engine), for timing by
 * reservation without simulator events (see busy-calendar.h).
 */
#include "busy-calendar.h"

#include "ns3/simulator.h"

#include <algorithm>

namespace ns3 {

namespace {
/** ReserveLazy() reads the present at least every this many appended intervals. */
constexpr std::size_t PRUNE_MIN = 64;
/** Ended entries kept at the front before they are erased (erasing costs a move of the rest). */
constexpr std::size_t COMPACT_MIN = 32;
} // namespace

BusyCalendar::BusyCalendar()
    : m_head(0)
    , m_pruneAt(PRUNE_MIN)
{
}

inline void
BusyCalendar::Prune(int64_t now)
{
    // Ends are sorted: the intervals that ended are a prefix.
    const Interval* const busy = m_busy.data();
    const std::size_t size = m_busy.size();
    std::size_t head = m_head;
    while (head < size && busy[head].second <= now)
    {
        ++head;
    }
    if (head == m_head)
    {
        return;
    }
    if (head == size)
    {
        m_busy.clear(); // keeps the capacity
        m_head = 0;
        m_pruneAt = PRUNE_MIN;
        return;
    }
    m_head = head;
    if (head >= COMPACT_MIN && 2 * head >= size)
    {
        // Amortized: erased once at least half of the entries have ended.
        m_busy.erase(m_busy.begin(), m_busy.begin() + head);
        m_head = 0;
    }
}

int64_t
BusyCalendar::Reserve(int64_t earliest, int64_t duration, int64_t now)
{
    Prune(now);
    if (m_busy.size() >= m_pruneAt)
    {
        // Many reservations ahead: ReserveLazy() need not read the present on every call.
        m_pruneAt = 2 * m_busy.size();
    }
    const std::size_t head = m_head;
    const std::size_t size = m_busy.size();
    if (head == size)
    {
        m_busy.emplace_back(earliest, earliest + duration);
        return earliest;
    }
    Interval* const busy = m_busy.data();
    Interval& last = busy[size - 1];
    if (earliest >= last.first && duration > 0)
    {
        // Ready during or after the last interval: no gap before it can hold the job, so it
        // starts when the last interval ends (extending it) or at earliest.
        if (earliest <= last.second)
        {
            const int64_t start = last.second;
            last.second = start + duration;
            return start;
        }
        m_busy.emplace_back(earliest, earliest + duration);
        return earliest;
    }

    // The job is ready before the last interval starts: it may fit in a gap. Jobs land near
    // the end (a few intervals are reserved ahead), so search from the back for the first
    // interval that ends after earliest.
    std::size_t next = size;
    while (next > head && busy[next - 1].second > earliest)
    {
        --next;
    }
    int64_t start = earliest;
    for (; next < size && busy[next].first < start + duration; ++next)
    {
        start = std::max(start, busy[next].second);
    }
    const int64_t stop = start + duration;
    // Keep the list short: merge with touching neighbours (decided before inserting, so that a
    // merge moves no entries).
    const bool left = next > head && busy[next - 1].second == start;
    const bool right = next < size && busy[next].first == stop;
    if (left && right)
    {
        busy[next - 1].second = busy[next].second;
        m_busy.erase(m_busy.begin() + next);
    }
    else if (left)
    {
        busy[next - 1].second = stop;
    }
    else if (right)
    {
        busy[next].first = start;
    }
    else
    {
        m_busy.insert(m_busy.begin() + next, {start, stop});
    }
    return start;
}

void
BusyCalendar::Clear()
{
    m_busy.clear();
    m_head = 0;
    m_pruneAt = PRUNE_MIN;
}

int64_t
BusyCalendar::GetBusyAfter(int64_t t) const
{
    int64_t after = 0;
    for (std::size_t i = m_head; i < m_busy.size(); ++i)
    {
        after += std::max<int64_t>(0, m_busy[i].second - std::max(m_busy[i].first, t));
    }
    return after;
}

std::size_t
BusyCalendar::GetNIntervals() const
{
    return m_busy.size() - m_head;
}

void
LazyNow::Fetch()
{
    m_now = Simulator::Now();
    m_known = true;
}

} // namespace ns3
