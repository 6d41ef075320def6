/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The module's trace sources and their Config paths, from ns-3's TypeId registry: the list of
 * doc/traces.md (print-trace-sources writes it, a ctest checks it is current, a test connects
 * each path in a built scenario).
 */
#ifndef TRACE_SOURCE_LIST_H
#define TRACE_SOURCE_LIST_H

#include <string>
#include <vector>

namespace ns3 {

/**
 * \ingroup sriov-vmcomm
 * \brief One trace source of the module, and the Config path that reaches it.
 */
struct TraceSourceEntry
{
    std::string type;     //!< the TypeId declaring it ("ns3::VfNetDevice")
    std::string name;     //!< the trace source's name ("MacRx")
    std::string path;     //!< Config path, "[i]" for each index ("/NodeList/[i]/...")
    std::string callback; //!< the callback signature's typedef ("ns3::Packet::TracedCallback")
    std::string help;     //!< the trace source's help text
};

/**
 * \ingroup sriov-vmcomm
 * \brief Every trace source of the module's TypeIds (group SriovVmcomm), each with the shortest
 * Config path reaching an object that has it.
 *
 * The paths start where ns-3's Config namespace starts: a NetDevice of the module at
 * /NodeList/[i]/DeviceList/[i]/$ns3::Type, a Channel at /ChannelList/[i]/$ns3::Type, and the
 * objects the helpers aggregate to nodes (ns3::Host by SriovHelper, ns3::EthernetSwitch by
 * EthernetHelper::InstallSwitch) at /NodeList/[i]/$ns3::Type. From there they follow the
 * objects' Pointer and ObjectVector attributes (Nic, DmaEngine, PcieLink, Iommu, Forwarder,
 * VirtualSwitch...), with a "$ns3::Subtype" step where the attribute's type is a base of the
 * one that declares the trace source. A trace source declared by a base TypeId is listed once,
 * under the base.
 * \return the entries, by type name, each type's in the order it declares them
 */
std::vector<TraceSourceEntry> ListTraceSources();

/**
 * \ingroup sriov-vmcomm
 * \param entries ListTraceSources()
 * \return the Markdown page doc/traces.md (MyST, included by doc/sriov-vmcomm.rst)
 */
std::string FormatTraceSourcesMarkdown(const std::vector<TraceSourceEntry>& entries);

} // namespace ns3

#endif /* TRACE_SOURCE_LIST_H */
