/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Rfc2544Search: RFC 2544 throughput by binary search over the offered rate (see
 * rfc2544-search.h).
 */
#include "rfc2544-search.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <tuple>

namespace ns3 {

Rfc2544Search::Rfc2544Search(double maxRate, double resolution, uint64_t lossThreshold)
    : m_maxRate(maxRate)
    , m_resolution(resolution)
    , m_lossThreshold(lossThreshold)
{
    if (!(maxRate > 0) || !(resolution > 0))
    {
        throw std::invalid_argument("Rfc2544Search: the maximum rate and the resolution must be "
                                    "above 0");
    }
}

uint32_t
Rfc2544Search::MaxTrials(double maxRate, double resolution)
{
    return 1 + uint32_t(std::max(0.0, std::ceil(std::log2(maxRate / resolution) - 1e-12)));
}

bool
Rfc2544Search::Try(const TrialFunction& trial, double rate)
{
    Rfc2544Trial t;
    t.rate = rate;
    std::tie(t.offered, t.received) = trial(rate);
    const uint64_t lost = t.offered > t.received ? t.offered - t.received : 0;
    t.passed = t.offered > 0 && lost <= m_lossThreshold;
    m_trials.push_back(t);
    return t.passed;
}

double
Rfc2544Search::Run(const TrialFunction& trial)
{
    m_trials.clear();
    if (Try(trial, m_maxRate))
    {
        return m_maxRate;
    }
    double lo = 0;
    double hi = m_maxRate;
    while (hi - lo > m_resolution)
    {
        const double mid = (lo + hi) / 2;
        if (Try(trial, mid))
        {
            lo = mid;
        }
        else
        {
            hi = mid;
        }
    }
    return lo;
}

const std::vector<Rfc2544Trial>&
Rfc2544Search::GetTrials() const
{
    return m_trials;
}

} // namespace ns3
