/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// A snapshot of the ns-3 attribute defaults in force (TypeId introspection), written so that
// each value reads back exactly: the run_params rows of the results database.
#ifndef ATTRIBUTE_SNAPSHOT_H
#define ATTRIBUTE_SNAPSHOT_H

#include "ns3/object.h"
#include "ns3/ptr.h"

#include <string>
#include <utility>
#include <vector>

namespace ns3 {

/**
 * \ingroup sriov-vmcomm
 * Collect every attribute default in force, for the run_params table.
 *
 * For every registered TypeId whose group name equals groupName (every TypeId if groupName
 * is empty), each construction attribute's current initial value (which reflects
 * Config::SetDefault and --ns3::Type::Attr= on the command line) as ("ns3::Type::Attr",
 * value), plus every ns-3 GlobalValue (RngSeed, RngRun, ...) under its plain name. Objects
 * held by pointer attributes (random variables) are written as "TypeName[Attr=value|...]",
 * the ObjectFactory syntax that the attribute accepts back. Sorted by name.
 *
 * \param groupName the TypeId group name, e.g. "SriovVmcomm"; empty for all groups
 * \returns (name, value) pairs sorted by name
 */
std::vector<std::pair<std::string, std::string>> CollectAttributeDefaults(
    const std::string& groupName);

/**
 * \ingroup sriov-vmcomm
 * The construction attributes of one object whose value differs from the default in force
 * (what CollectAttributeDefaults records): the settings a helper gave this object (a preset, a
 * switch profile, a topology file), which the defaults do not show.
 *
 * \param object the object (null: none)
 * \returns ("ns3::Type::Attr", value) pairs, Type the attribute's declaring type, sorted by name
 */
std::vector<std::pair<std::string, std::string>> CollectChangedAttributes(Ptr<Object> object);

} // namespace ns3

#endif /* ATTRIBUTE_SNAPSHOT_H */
