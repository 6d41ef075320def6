/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The module's trace sources and their Config paths, walked from ns-3's TypeId registry (see
 * trace-source-list.h).
 */
#include "trace-source-list.h"

#include "ns3/channel.h"
#include "ns3/net-device.h"
#include "ns3/object-ptr-container.h"
#include "ns3/pointer.h"
#include "ns3/type-id.h"

#include <algorithm>
#include <deque>
#include <map>
#include <set>
#include <sstream>

namespace ns3 {

namespace {

/** The module's TypeIds: their group name. */
const char* const GROUP = "SriovVmcomm";

/** The objects the helpers aggregate to nodes (reached as /NodeList/[i]/$ns3::Type). */
const char* const AGGREGATED[] = {"ns3::Host", "ns3::EthernetSwitch"};

/** \param tid a TypeId \return true if it is the module's */
bool
IsModule(TypeId tid)
{
    return tid.GetGroupName() == GROUP;
}

/** \param tid a TypeId \param base another \return true if \p tid is \p base or derives from it */
bool
IsA(TypeId tid, TypeId base)
{
    return tid == base || tid.IsChildOf(base);
}

/** \return the module's TypeIds, by name */
std::vector<TypeId>
ModuleTypes()
{
    std::vector<TypeId> types;
    for (uint16_t i = 0; i < TypeId::GetRegisteredN(); ++i)
    {
        TypeId tid = TypeId::GetRegistered(i);
        if (IsModule(tid))
        {
            types.push_back(tid);
        }
    }
    std::sort(types.begin(), types.end(),
              [](TypeId a, TypeId b)
              {
                  return a.GetName() < b.GetName();
              });
    return types;
}

/**
 * \brief Breadth-first walk of the Config namespace over TypeIds: the first (shortest) path of
 * each type reached.
 * \param types the module's TypeIds
 * \return type name -> path
 */
std::map<std::string, std::string>
WalkPaths(const std::vector<TypeId>& types)
{
    std::deque<std::pair<std::string, TypeId>> queue;
    for (TypeId t : types)
    {
        if (t.IsChildOf(NetDevice::GetTypeId()))
        {
            queue.emplace_back("/NodeList/[i]/DeviceList/[i]/$" + t.GetName(), t);
        }
    }
    for (TypeId t : types)
    {
        if (t.IsChildOf(Channel::GetTypeId()))
        {
            queue.emplace_back("/ChannelList/[i]/$" + t.GetName(), t);
        }
    }
    for (const char* name : AGGREGATED)
    {
        queue.emplace_back(std::string("/NodeList/[i]/$") + name, TypeId::LookupByName(name));
    }
    std::map<std::string, std::string> paths;
    while (!queue.empty())
    {
        auto [path, tid] = queue.front();
        queue.pop_front();
        if (!paths.emplace(tid.GetName(), path).second)
        {
            continue; // reached before, by a path as short or shorter
        }
        // The attributes of the type and of its ancestors lead on.
        for (TypeId t = tid;; t = t.GetParent())
        {
            for (std::size_t a = 0; a < t.GetAttributeN(); ++a)
            {
                const TypeId::AttributeInformation info = t.GetAttribute(a);
                if (!(info.flags & TypeId::ATTR_GET))
                {
                    continue;
                }
                TypeId pointee;
                std::string step = "/" + info.name;
                if (auto p = dynamic_cast<const PointerChecker*>(PeekPointer(info.checker)))
                {
                    pointee = p->GetPointeeTypeId();
                }
                else if (auto c = dynamic_cast<const ObjectPtrContainerChecker*>(
                             PeekPointer(info.checker)))
                {
                    pointee = c->GetItemTypeId();
                    step += "/[i]";
                }
                else
                {
                    continue;
                }
                for (TypeId candidate : types)
                {
                    if (candidate == pointee)
                    {
                        queue.emplace_back(path + step, candidate);
                    }
                    else if (candidate.IsChildOf(pointee))
                    {
                        queue.emplace_back(path + step + "/$" + candidate.GetName(), candidate);
                    }
                }
            }
            if (t == t.GetParent() || !IsModule(t.GetParent()))
            {
                break;
            }
        }
    }
    return paths;
}

/**
 * \param s text for a Markdown table cell
 * \return \p s with the characters that would end the cell escaped
 */
std::string
Cell(const std::string& s)
{
    std::string out;
    for (char c : s)
    {
        if (c == '|')
        {
            out += "\\|";
        }
        else if (c == '\n')
        {
            out += ' ';
        }
        else
        {
            out += c;
        }
    }
    return out;
}

} // namespace

std::vector<TraceSourceEntry>
ListTraceSources()
{
    const std::vector<TypeId> types = ModuleTypes();
    const std::map<std::string, std::string> paths = WalkPaths(types);
    std::vector<TraceSourceEntry> entries;
    for (TypeId declaring : types)
    {
        // The object's path: the declaring type's own, else the shortest of a type deriving
        // from it (a "$ns3::Type" step selects the declaring type there).
        std::string base;
        if (auto own = paths.find(declaring.GetName()); own != paths.end())
        {
            base = own->second;
        }
        else
        {
            for (const auto& [name, path] : paths)
            {
                if (IsA(TypeId::LookupByName(name), declaring)
                    && (base.empty() || path.size() < base.size()))
                {
                    base = path;
                }
            }
        }
        for (std::size_t i = 0; i < declaring.GetTraceSourceN(); ++i)
        {
            const TypeId::TraceSourceInformation info = declaring.GetTraceSource(i);
            if (info.supportLevel == TypeId::OBSOLETE)
            {
                continue;
            }
            TraceSourceEntry e;
            e.type = declaring.GetName();
            e.name = info.name;
            e.path = base.empty() ? "" : base + "/" + info.name;
            e.callback = info.callback;
            e.help = info.help;
            entries.push_back(e);
        }
    }
    return entries; // by type, and in each type in the order it declares its sources
}

std::string
FormatTraceSourcesMarkdown(const std::vector<TraceSourceEntry>& entries)
{
    std::ostringstream md;
    md << "# Trace sources and their Config paths\n\n"
       << "<!-- Generated by build/bin/print-trace-sources from ns-3's TypeId registry: do not "
          "edit. ctest trace-sources-doc fails when this page is stale. -->\n\n"
       << "Every trace source of the module, with a `Config` path reaching an object that has "
          "it, for `Config::Connect` (the sink gets the path as its first argument) or "
          "`Config::ConnectWithoutContext`. `[i]` stands for an index (the node's id, the "
          "device's index on its node): `*` matches every one. The paths follow the objects' "
          "attributes (`Nic`, `DmaEngine`, `PcieLink`, `Iommu`, `Forwarder`, `VirtualSwitch`); "
          "a device's path names its type with `$ns3::Type`. Hosts and Ethernet switches are "
          "aggregated to their nodes (SriovHelper, EthernetHelper). The callback column names "
          "the signature's typedef (its arguments are in the Doxygen of the type).\n\n"
       << "Regenerate after adding or changing a trace source:\n\n"
       << "```sh\nbuild/bin/print-trace-sources > contrib/sriov-vmcomm/doc/traces.md\n```\n";
    std::string type;
    for (const TraceSourceEntry& e : entries)
    {
        if (e.type != type)
        {
            type = e.type;
            md << "\n## " << type << "\n\n"
               << "| Trace source | Config path | Callback | Fires |\n"
               << "| --- | --- | --- | --- |\n";
        }
        md << "| " << e.name << " | " << (e.path.empty() ? "(no Config path)" : "`" + e.path + "`")
           << " | `" << e.callback << "` | " << Cell(e.help) << " |\n";
    }
    return md.str();
}

} // namespace ns3
