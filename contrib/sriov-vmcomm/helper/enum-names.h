/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Names of the experiment's enums (modes, applications, patterns, placements): one table of
// (value, name) pairs per enum, and these three lookups over any such table.
#ifndef VMCOMM_ENUM_NAMES_H
#define VMCOMM_ENUM_NAMES_H

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace ns3 {
namespace enumnames {

/** \return every name of \p table, in table order */
template<typename E, std::size_t N>
std::vector<std::string>
Names(const std::pair<E, const char*> (&table)[N])
{
    std::vector<std::string> names;
    for (const auto& e : table)
    {
        names.emplace_back(e.second);
    }
    return names;
}

/** \return the name of \p value in \p table ("?" if it has none) */
template<typename E, std::size_t N>
std::string
Name(const std::pair<E, const char*> (&table)[N], E value)
{
    for (const auto& e : table)
    {
        if (e.first == value)
        {
            return e.second;
        }
    }
    return "?";
}

/** Set \p value to the value named \p name in \p table; \return false if no value has it */
template<typename E, std::size_t N>
bool
Parse(const std::pair<E, const char*> (&table)[N], const std::string& name, E* value)
{
    for (const auto& e : table)
    {
        if (name == e.second)
        {
            *value = e.first;
            return true;
        }
    }
    return false;
}

} // namespace enumnames
} // namespace ns3

#endif
