/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The values of a topology file's attributes (rates, delays, counts, buffers, presets), parsed and
 * checked (see topology-values.h).
 */
// Values of a topology description parsed without aborting, and TopologyError.
#include "topology-values.h"

#include "ns3/queue-size.h"

#include <algorithm>
#include <limits>
#include <map>
#include <regex>
#include <sstream>
#include <utility>
#include <vector>

namespace ns3 {

namespace {

/**
 * Number at the start of a value with a unit, e.g. "2.5" in "2.5Gbps".
 * \param text whole value
 * \param allowExponent accept "1e3ns" (ns3::Time parses exponents, ns3::DataRate does not)
 * \param number [out] the number
 * \param unit [out] the rest
 * \return false if text is not number + unit
 */
bool
SplitNumberUnit(const std::string& text, bool allowExponent, double* number, std::string* unit)
{
    static const std::regex withExp(
        R"(^((?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)([A-Za-z/]*)$)");
    static const std::regex noExp(R"(^((?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))([A-Za-z/]*)$)");
    std::smatch m;
    if (!std::regex_match(text, m, allowExponent ? withExp : noExp))
    {
        return false;
    }
    *number = std::stod(m[1].str());
    *unit = m[2].str();
    return true;
}

} // namespace

// ---------------------------------------------------------------------------------------------
// TopologyError

TopologyError::TopologyError(const std::string& source, const std::string& element,
                             const std::string& problem)
    : std::runtime_error(source + ": " + (element.empty() ? "" : element + ": ") + problem)
    , m_source(source)
    , m_element(element)
    , m_problem(problem)
{
}

const std::string&
TopologyError::GetSource() const
{
    return m_source;
}

const std::string&
TopologyError::GetElement() const
{
    return m_element;
}

const std::string&
TopologyError::GetProblem() const
{
    return m_problem;
}

// ---------------------------------------------------------------------------------------------
// Value parsing (never aborts: ns-3's string constructors do on bad input)

bool
TopologyValues::ParseRate(const std::string& text, DataRate* rate, std::string* why)
{
    const std::string allowed
        = "a positive data rate with a unit (bps, kbps, Mbps, Gbps, Bps, KBps, MBps, GBps, "
          "Kib/s, Mib/s, Gib/s, ...), e.g. 100Gbps";
    double number = 0;
    std::string unit;
    if (!text.empty() && text[0] == '-')
    {
        *why = "must be > 0: " + allowed;
        return false;
    }
    if (!SplitNumberUnit(text, true, &number, &unit))
    {
        *why = "not a number followed by a unit: must be " + allowed;
        return false;
    }
    if (unit.empty())
    {
        *why = "has no unit: must be " + allowed;
        return false;
    }
    // ns-3 converts number x unit to uint64 bit/s; GiB/s is 8.6e9 bit/s, so 2e9 of it fits.
    if (number > 2e9)
    {
        *why = "out of range: must be " + allowed;
        return false;
    }
    std::istringstream is(text);
    DataRate parsed;
    is >> parsed;
    if (is.fail())
    {
        *why = "unknown unit \"" + unit + "\": must be " + allowed;
        return false;
    }
    if (parsed.GetBitRate() == 0)
    {
        *why = "must be > 0: " + allowed;
        return false;
    }
    *rate = parsed;
    return true;
}

bool
TopologyValues::ParseDelay(const std::string& text, Time* delay, std::string* why)
{
    const std::string allowed
        = "a time >= 0 and <= 10s with a unit (s, ms, us, ns, ps, fs, min, h), e.g. 500ns";
    if (!text.empty() && text[0] == '-')
    {
        *why = "negative: must be " + allowed;
        return false;
    }
    double number = 0;
    std::string unit;
    if (!SplitNumberUnit(text, true, &number, &unit))
    {
        *why = "not a number followed by a unit: must be " + allowed;
        return false;
    }
    if (unit.empty())
    {
        // ns-3 would read a bare number as seconds: almost surely not what was meant.
        *why = "has no unit: must be " + allowed;
        return false;
    }
    static const std::vector<std::pair<std::string, double>> units = {
        {"s", 1},      {"ms", 1e-3}, {"us", 1e-6}, {"ns", 1e-9}, {"ps", 1e-12},
        {"fs", 1e-15}, {"min", 60},  {"h", 3600},  {"d", 86400}, {"y", 365 * 86400.0},
    };
    auto it = std::find_if(units.begin(), units.end(),
                           [&unit](const auto& u)
                           {
                               return u.first == unit;
                           });
    if (it == units.end())
    {
        *why = "unknown unit \"" + unit + "\": must be " + allowed;
        return false;
    }
    if (number * it->second > 10.0)
    {
        *why = "too long: must be " + allowed;
        return false;
    }
    *delay = Time(text); // safe: the unit is one ns-3 knows
    return true;
}

bool
TopologyValues::ParsePositiveInt(const std::string& text, uint32_t* value, std::string* why)
{
    static const std::regex re("^[0-9]+$");
    if (!std::regex_match(text, re))
    {
        *why = "must be an integer >= 1";
        return false;
    }
    const uint64_t max = std::numeric_limits<int32_t>::max();
    const std::size_t digits = text.size() - std::min(text.find_first_not_of('0'), text.size());
    if (digits > 10 || std::stoull(text) > max)
    {
        *why = "out of range: must be an integer 1.." + std::to_string(max);
        return false;
    }
    const uint64_t v = std::stoull(text);
    if (v < 1)
    {
        *why = "must be an integer >= 1";
        return false;
    }
    *value = static_cast<uint32_t>(v);
    return true;
}

bool
TopologyValues::CheckBuffer(const std::string& text, std::string* why)
{
    const std::string allowed
        = "a queue size: an integer with a unit, bytes (B, KB, KiB, MB, MiB) or packets "
          "(p, Kp, Kip, Mp, Mip), e.g. 1000p or 12MB";
    static const std::regex re("^([0-9]{1,10})([A-Za-z]+)$");
    static const std::map<std::string, double> units = {
        {"B", 1}, {"kB", 1e3}, {"KB", 1e3}, {"KiB", 1024}, {"MB", 1e6}, {"MiB", 1048576},
        {"p", 1}, {"kp", 1e3}, {"Kp", 1e3}, {"Kip", 1024}, {"Mp", 1e6}, {"Mip", 1048576},
    };
    std::smatch m;
    if (!std::regex_match(text, m, re) || units.count(m[2].str()) == 0)
    {
        *why = "must be " + allowed;
        return false;
    }
    // ns-3 keeps the size in a uint32_t.
    const double value = std::stod(m[1].str()) * units.at(m[2].str());
    if (value < 1 || value > std::numeric_limits<uint32_t>::max())
    {
        *why = "out of range: must be " + allowed + ", > 0 and < 4 GB (or 4 G packets)";
        return false;
    }
    std::istringstream is(text);
    QueueSize size;
    is >> size;
    if (is.fail())
    {
        *why = "must be " + allowed;
        return false;
    }
    return true;
}

bool
TopologyValues::CheckPresetName(const std::string& text, std::string* why)
{
    static const std::regex re("^[A-Za-z0-9_.-]{1,64}$");
    if (!std::regex_match(text, re))
    {
        *why = "must be a preset name (letters, digits, '-', '_', '.'), e.g. default";
        return false;
    }
    return true;
}

} // namespace ns3
