/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Traffic patterns of a scenario (pairs, all-to-all, incast, permutation) as pure functions of
 * the VMs per host: which VM sends to which, and how many flows that makes.
 */
#ifndef TRAFFIC_PATTERN_H
#define TRAFFIC_PATTERN_H

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace ns3 {

/**
 * \ingroup sriov-vmcomm
 * \brief Who sends to whom. VMs are numbered globally, host by host in topology order.
 */
enum class TrafficPattern
{
    PAIRS,      //!< "pairs": VM pairs, placed by a Placement
    ALL_TO_ALL, //!< "all-to-all": every VM to every other
    INCAST,     //!< "incast": every other VM to VM 0
    PERMUTATION //!< "permutation": a random derangement, every VM sends to one other
};

/**
 * \ingroup sriov-vmcomm
 * \brief Where the two VMs of a pair are (TrafficPattern::PAIRS only).
 */
enum class Placement
{
    SAME_HOST, //!< "same-host": VMs 2i and 2i+1 of each host
    CROSS_HOST //!< "cross-host": VM i of host 2k to VM i of host 2k+1
};

/** \ingroup sriov-vmcomm \return the pattern names, in order */
std::vector<std::string> GetTrafficPatternNames();
/** \ingroup sriov-vmcomm \param p a pattern \return its name */
std::string ToString(TrafficPattern p);
/**
 * \ingroup sriov-vmcomm
 * \param name a name \param p [out] the pattern \return false if \p name is no pattern
 */
bool ParseTrafficPattern(const std::string& name, TrafficPattern* p);

/** \ingroup sriov-vmcomm \return the placement names, in order */
std::vector<std::string> GetPlacementNames();
/** \ingroup sriov-vmcomm \param p a placement \return its name */
std::string ToString(Placement p);
/**
 * \ingroup sriov-vmcomm
 * \param name a name \param p [out] the placement \return false if \p name is no placement
 */
bool ParsePlacement(const std::string& name, Placement* p);

/** One flow of a pattern: (sending VM, receiving VM), global VM indices. */
using VmPair = std::pair<uint32_t, uint32_t>;

/**
 * \ingroup sriov-vmcomm
 * \brief The flows of a traffic pattern.
 *
 * Pairs, same-host: VMs (2i, 2i+1) of each host. Pairs, cross-host: hosts taken two by two
 * (0-1, 2-3, ...), VM i of the first to VM i of the second, as many as the smaller has.
 * All-to-all: every ordered pair of distinct VMs. Incast: VMs 1..n-1 to VM 0. Permutation: a
 * single-cycle random permutation (Sattolo's algorithm) drawn from ns-3 RNG stream \p stream,
 * so no VM sends to itself (needs 2 VMs).
 *
 * \param vmsPerHost VMs of each host, in topology order
 * \param pattern the pattern
 * \param placement where pairs are (PAIRS only)
 * \param stream RNG stream of the permutation
 * \return the flows, in a fixed order
 */
std::vector<VmPair> MakeTrafficPattern(const std::vector<uint32_t>& vmsPerHost,
                                       TrafficPattern pattern, Placement placement, int64_t stream);

/**
 * \ingroup sriov-vmcomm
 * \brief How many flows MakeTrafficPattern() gives, without making them (a pattern of a large
 * topology may not fit in memory).
 * \param vmsPerHost VMs of each host \param pattern the pattern \param placement pairs' placement
 * \return the number of flows
 */
uint64_t CountTrafficPattern(const std::vector<uint32_t>& vmsPerHost, TrafficPattern pattern,
                             Placement placement);

} // namespace ns3

#endif /* TRAFFIC_PATTERN_H */
