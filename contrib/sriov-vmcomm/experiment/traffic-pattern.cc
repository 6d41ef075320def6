/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Traffic patterns as pure functions of the VMs per host (see traffic-pattern.h).
 */
#include "traffic-pattern.h"

#include "ns3/enum-names.h"
#include "ns3/random-variable-stream.h"

#include <algorithm>
#include <numeric>

namespace ns3 {

namespace {

const std::pair<TrafficPattern, const char*> PATTERNS[] = {
    {TrafficPattern::PAIRS, "pairs"},
    {TrafficPattern::ALL_TO_ALL, "all-to-all"},
    {TrafficPattern::INCAST, "incast"},
    {TrafficPattern::PERMUTATION, "permutation"},
};

const std::pair<Placement, const char*> PLACEMENTS[] = {
    {Placement::SAME_HOST, "same-host"},
    {Placement::CROSS_HOST, "cross-host"},
};

} // namespace

std::vector<std::string>
GetTrafficPatternNames()
{
    return enumnames::Names(PATTERNS);
}

std::string
ToString(TrafficPattern p)
{
    return enumnames::Name(PATTERNS, p);
}

bool
ParseTrafficPattern(const std::string& name, TrafficPattern* p)
{
    return enumnames::Parse(PATTERNS, name, p);
}

std::vector<std::string>
GetPlacementNames()
{
    return enumnames::Names(PLACEMENTS);
}

std::string
ToString(Placement p)
{
    return enumnames::Name(PLACEMENTS, p);
}

bool
ParsePlacement(const std::string& name, Placement* p)
{
    return enumnames::Parse(PLACEMENTS, name, p);
}

uint64_t
CountTrafficPattern(const std::vector<uint32_t>& vmsPerHost, TrafficPattern pattern,
                    Placement placement)
{
    const uint64_t n = std::accumulate(vmsPerHost.begin(), vmsPerHost.end(), uint64_t{0});
    uint64_t flows = 0;
    switch (pattern)
    {
        case TrafficPattern::PAIRS:
            if (placement == Placement::SAME_HOST)
            {
                for (uint32_t vms : vmsPerHost)
                {
                    flows += vms / 2;
                }
            }
            else
            {
                for (std::size_t h = 0; h + 1 < vmsPerHost.size(); h += 2)
                {
                    flows += std::min(vmsPerHost[h], vmsPerHost[h + 1]);
                }
            }
            break;
        case TrafficPattern::ALL_TO_ALL:
            flows = n * (n > 0 ? n - 1 : 0);
            break;
        case TrafficPattern::INCAST:
            flows = n > 0 ? n - 1 : 0;
            break;
        case TrafficPattern::PERMUTATION:
            flows = n >= 2 ? n : 0;
            break;
    }
    return flows;
}

std::vector<VmPair>
MakeTrafficPattern(const std::vector<uint32_t>& vmsPerHost, TrafficPattern pattern,
                   Placement placement, int64_t stream)
{
    // Global VM numbering: host by host, in topology order.
    std::vector<uint32_t> first;
    uint32_t n = 0;
    for (uint32_t vms : vmsPerHost)
    {
        first.push_back(n);
        n += vms;
    }
    std::vector<VmPair> flows;
    switch (pattern)
    {
        case TrafficPattern::PAIRS:
            if (placement == Placement::SAME_HOST)
            {
                for (std::size_t h = 0; h < first.size(); ++h)
                {
                    for (uint32_t i = 0; i + 1 < vmsPerHost[h]; i += 2)
                    {
                        flows.emplace_back(first[h] + i, first[h] + i + 1);
                    }
                }
            }
            else
            {
                for (std::size_t h = 0; h + 1 < first.size(); h += 2)
                {
                    const uint32_t vms = std::min(vmsPerHost[h], vmsPerHost[h + 1]);
                    for (uint32_t i = 0; i < vms; ++i)
                    {
                        flows.emplace_back(first[h] + i, first[h + 1] + i);
                    }
                }
            }
            break;
        case TrafficPattern::ALL_TO_ALL:
            for (uint32_t a = 0; a < n; ++a)
            {
                for (uint32_t b = 0; b < n; ++b)
                {
                    if (a != b)
                    {
                        flows.emplace_back(a, b);
                    }
                }
            }
            break;
        case TrafficPattern::INCAST:
            for (uint32_t a = 1; a < n; ++a)
            {
                flows.emplace_back(a, 0);
            }
            break;
        case TrafficPattern::PERMUTATION:
            if (n >= 2)
            {
                // A random derangement from the run's random stream: every VM sends to one other.
                Ptr<UniformRandomVariable> u = CreateObject<UniformRandomVariable>();
                u->SetStream(stream);
                std::vector<uint32_t> perm(n);
                for (uint32_t i = 0; i < n; ++i)
                {
                    perm[i] = i;
                }
                for (uint32_t i = n - 1; i > 0; --i)
                {
                    // Sattolo's algorithm: a single cycle, so no VM maps to itself.
                    uint32_t j = u->GetInteger(0, i - 1);
                    std::swap(perm[i], perm[j]);
                }
                for (uint32_t i = 0; i < n; ++i)
                {
                    flows.emplace_back(i, perm[i]);
                }
            }
            break;
    }
    return flows;
}

} // namespace ns3
