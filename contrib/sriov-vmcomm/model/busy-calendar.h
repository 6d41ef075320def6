/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BUSY_CALENDAR_H
#define BUSY_CALENDAR_H

#include "ns3/nstime.h"

#include <cstdint>
#include <utility>
#include <vector>

namespace ns3 {

/**
 * \ingroup sriov-vmcomm
 * \brief The future busy intervals of one server (a PCIe link direction, a DMA engine), for
 * timing by reservation without simulator events.
 *
 * A job ready at \c earliest takes the first idle gap at or after it that holds its duration.
 * So work reserved ahead of time (a read completion that comes back after the root complex's
 * latency) does not hold back work that is ready now, as a plain "next free instant" would: the
 * server stays work conserving in the order jobs become ready.
 *
 * Intervals that ended at or before the present are forgotten: a job ready in the past may take
 * a gap they occupied.
 */
class BusyCalendar
{
  public:
    BusyCalendar();

    /**
     * \brief Reserve the server.
     * \param earliest instant the job is ready (any unit, the caller's)
     * \param duration service time, > 0
     * \param now the present: intervals that ended before it are forgotten
     * \return the instant service starts
     */
    int64_t Reserve(int64_t earliest, int64_t duration, int64_t now);

    /**
     * \brief Reserve the server, as Reserve(), but ask for the present only when the result
     * depends on it.
     *
     * The result is the same as Reserve(earliest, duration, now()) in every case. When the job
     * is ready after every interval held, it starts at \p earliest whatever the present, so
     * \p now is not called (reading the simulator's clock costs more than the reservation);
     * intervals that have ended are then forgotten later, when the present is next read.
     * \tparam NowFn callable int64_t(): the present, in the unit of \p earliest
     * \param earliest instant the job is ready
     * \param duration service time, > 0
     * \param now returns the present
     * \return the instant service starts
     */
    template<typename NowFn>
    int64_t ReserveLazy(int64_t earliest, int64_t duration, NowFn&& now)
    {
        // Strictly after the last interval: no gap to fill and nothing to merge with (a touching
        // interval is merged only if it has not ended, which needs the present).
        if ((m_busy.empty() || earliest > m_busy.back().second) && m_busy.size() < m_pruneAt)
        {
            m_busy.emplace_back(earliest, earliest + duration);
            return earliest;
        }
        return Reserve(earliest, duration, now());
    }

    /**
     * \param t an instant
     * \return whether no reservation held ends after \p t: a job ready at \p t starts then, and
     *         jobs back to back from \p t take one interval (read without the present)
     */
    bool IsIdleFrom(int64_t t) const
    {
        return m_head == m_busy.size() || t >= m_busy.back().second;
    }

    /** \brief Forget every reservation. */
    void Clear();

    /**
     * \brief Busy time reserved after an instant: the parts of the held intervals that lie
     * after \p t. With \p t the present, what a counter of reserved time holds beyond what has
     * been served so far (a window's busy time is then "served at its end - served at its start").
     * \param t the instant, in the unit of the reservations; not before the present last read
     *        (earlier intervals may have been forgotten)
     * \return busy time in [t, infinity), same unit
     */
    int64_t GetBusyAfter(int64_t t) const;

    /**
     * \return number of disjoint busy intervals held (for tests): those that ended before the
     *         present was last read are not counted
     */
    std::size_t GetNIntervals() const;

  private:
    /**
     * \brief Forget the intervals that ended at or before \p now (inline in busy-calendar.cc).
     * \param now the present
     */
    void Prune(int64_t now);

    /** A busy interval: [start, end). */
    using Interval = std::pair<int64_t, int64_t>;

    /**
     * [start, end), sorted, disjoint. Entries before m_head have ended (forgotten); entries
     * appended by ReserveLazy() may have ended too, unknown until the present is next read.
     */
    std::vector<Interval> m_busy;
    std::size_t m_head;    //!< first entry not known to have ended
    std::size_t m_pruneAt; //!< ReserveLazy() reads the present when m_busy reaches this size
};

/**
 * \ingroup sriov-vmcomm
 * \brief The simulator's present, read on first use and then kept: one DMA operation makes up to
 * three reservations (BusyCalendar::ReserveLazy()) that may each need it; it is read once for all
 * of them, or not at all. Valid within one simulator event only.
 */
class LazyNow
{
  public:
    /** \return Simulator::Now() */
    const Time& Get()
    {
        if (!m_known)
        {
            Fetch();
        }
        return m_now;
    }

  private:
    /** \brief Read the simulator's clock. */
    void Fetch();

    Time m_now;          //!< the present, once known
    bool m_known{false}; //!< m_now has been read
};

} // namespace ns3

#endif /* BUSY_CALENDAR_H */
