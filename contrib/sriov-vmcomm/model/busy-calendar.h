/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BUSY_CALENDAR_H
#define BUSY_CALENDAR_H

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
 */
class BusyCalendar
{
  public:
    /**
     * \brief Reserve the server.
     * \param earliest instant the job is ready (any unit, the caller's)
     * \param duration service time, > 0
     * \param now the present: intervals that ended before it are forgotten
     * \return the instant service starts
     */
    int64_t Reserve(int64_t earliest, int64_t duration, int64_t now);

    /** \brief Forget every reservation. */
    void Clear();

    /** \return number of disjoint busy intervals held (for tests) */
    std::size_t GetNIntervals() const;

  private:
    std::vector<std::pair<int64_t, int64_t>> m_busy; //!< [start, end), sorted, disjoint
};

} // namespace ns3

#endif /* BUSY_CALENDAR_H */
