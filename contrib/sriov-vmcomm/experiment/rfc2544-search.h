/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Rfc2544Search: the throughput test of RFC 2544 (section 26.1) as a binary search over the
 * offered frame rate for the maximum loss-free rate R+, given a trial function; and the L1 (wire)
 * accounting of Ethernet rates (frame + preamble, SFD and inter-frame gap) in which the NFV
 * literature reports them.
 */
#ifndef RFC2544_SEARCH_H
#define RFC2544_SEARCH_H

#include "ns3/ethernet-frame.h"

#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

namespace ns3 {

/**
 * \ingroup sriov-vmcomm
 * \brief Bytes an Ethernet frame occupies on the wire besides itself: 7 B preamble, 1 B start
 * of frame delimiter and the 12 B minimum inter-frame gap (IEEE 802.3 clause 4.4.2).
 */
constexpr uint32_t ETHERNET_L1_OVERHEAD = EthernetFraming::PREAMBLE_SFD + EthernetFraming::IFG;

/**
 * \ingroup sriov-vmcomm
 * \param frameBytes Ethernet frame bytes from the destination address to the FCS, FCS included
 * (64 for a minimum frame): what --size gives (ExperimentOptions::size)
 * \return the frame's bits on the wire: (frameBytes + 20) x 8
 */
constexpr double
EthernetL1Bits(uint32_t frameBytes)
{
    return double(frameBytes + ETHERNET_L1_OVERHEAD) * 8;
}

/**
 * \ingroup sriov-vmcomm
 * \param pps frames per second \param frameBytes frame bytes incl. FCS
 * \return the rate in bit/s counting L1 bits (as Zhang et al. 2019 do: 10 Gb/s = 10GbE full)
 */
constexpr double
L1BitsPerSecond(double pps, uint32_t frameBytes)
{
    return pps * EthernetL1Bits(frameBytes);
}

/**
 * \ingroup sriov-vmcomm
 * \param lineBps a link's line rate, bit/s \param frameBytes frame bytes incl. FCS
 * \return the most frames per second the link carries: 14 880 952 for 64 B at 10 Gb/s
 */
constexpr double
LineRatePps(double lineBps, uint32_t frameBytes)
{
    return lineBps / EthernetL1Bits(frameBytes);
}

/**
 * \ingroup sriov-vmcomm
 * \brief What one trial of the search did.
 */
struct Rfc2544Trial
{
    double rate{0};       //!< offered frame rate, frames/s
    uint64_t offered{0};  //!< frames offered
    uint64_t received{0}; //!< frames received
    bool passed{false};   //!< lost frames within the loss threshold
};

/**
 * \ingroup sriov-vmcomm
 * \brief RFC 2544 throughput: the highest offered rate at which a trial loses no more than the
 * loss threshold (0 frames by default, as RFC 2544 defines throughput), found by binary search.
 *
 * The first trial offers the maximum rate (the line rate): if it passes, R+ is the line rate.
 * Otherwise the search keeps an interval [lo, hi] with lo passed (or 0) and hi failed, offers
 * its middle and halves it until hi - lo is no more than the resolution; R+ = lo. That is
 * 1 + ceil(log2(max / resolution)) trials at most, and R+ is within the resolution below the
 * true capacity of a path whose loss is monotonic in the offered rate.
 *
 * \code
 *   Rfc2544Search search(LineRatePps(10e9, 64), 0.001 * LineRatePps(10e9, 64));
 *   double rplus = search.Run([](double pps) { return RunTrial(pps); }); // {offered, received}
 * \endcode
 */
class Rfc2544Search
{
  public:
    /** A trial: offer frames at the rate (frames/s), return {frames offered, frames received}. */
    using TrialFunction = std::function<std::pair<uint64_t, uint64_t>(double rate)>;

    /**
     * \param maxRate the highest rate tried (the line rate), frames/s, > 0
     * \param resolution the search stops when the interval is this narrow, frames/s, > 0
     * \param lossThreshold frames a trial may lose and still pass (0: none)
     */
    Rfc2544Search(double maxRate, double resolution, uint64_t lossThreshold = 0);

    /**
     * \brief Run the search.
     * \param trial the trial function
     * \return R+, frames/s (0 if no trial passed)
     */
    double Run(const TrialFunction& trial);

    /** \return the trials of the last Run(), in order */
    const std::vector<Rfc2544Trial>& GetTrials() const;

    /**
     * \param maxRate as the constructor's \param resolution as the constructor's
     * \return the most trials a search takes: 1 + ceil(log2(maxRate / resolution))
     */
    static uint32_t MaxTrials(double maxRate, double resolution);

  private:
    /** \brief Run one trial and log it. \param trial function \param rate rate \return passed */
    bool Try(const TrialFunction& trial, double rate);

    double m_maxRate;                   //!< highest rate, frames/s
    double m_resolution;                //!< interval width to stop at, frames/s
    uint64_t m_lossThreshold;           //!< frames a passing trial may lose
    std::vector<Rfc2544Trial> m_trials; //!< trials of the last run
};

} // namespace ns3

#endif /* RFC2544_SEARCH_H */
