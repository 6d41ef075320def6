/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The default of every construct-time attribute and global value, as run_params records them (see
 * attribute-snapshot.h).
 */
// A snapshot of the ns-3 attribute defaults in force: every construction attribute of the
// registered TypeIds and every GlobalValue, serialized so that it reads back exactly.
#include "attribute-snapshot.h"

#include "command-line-check.h"
#include "ns3/address.h"
#include "ns3/double.h"
#include "ns3/global-value.h"
#include "ns3/mac48-address.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/pointer.h"
#include "ns3/type-id.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <iomanip>
#include <limits>
#include <sstream>

namespace ns3 {

namespace {

/**
 * Serialize an attribute value so that it can be set again from the string.
 * PointerValue would print an address; an object is written instead as
 * "TypeName[Attr=value|...]", the ObjectFactory syntax PointerValue accepts back.
 * \param value the value
 * \param checker its checker
 * \param depth nesting depth (objects inside objects are cut off at a few levels)
 * \returns the string
 */
std::string
SerializeValue(const AttributeValue& value, Ptr<const AttributeChecker> checker, int depth)
{
    // Written so that they read back exactly: DoubleValue writes 6 significant digits and
    // TimeValue "+3e+11ns" (run_params replay through the command line, doc/results.md).
    if (const auto* dv = dynamic_cast<const DoubleValue*>(&value); dv && std::isfinite(dv->Get()))
    {
        for (int digits = 15;; ++digits)
        {
            std::ostringstream os;
            os << std::setprecision(digits) << dv->Get();
            // strtod, not stod: a default of DBL_MAX at 15 digits reads back out of range.
            if (digits >= std::numeric_limits<double>::max_digits10
                || std::strtod(os.str().c_str(), nullptr) == dv->Get())
            {
                return os.str();
            }
        }
    }
    if (const auto* tv = dynamic_cast<const TimeValue*>(&value))
    {
        return CommandLineCheck::FormatTime(tv->Get());
    }
    const auto* pv = dynamic_cast<const PointerValue*>(&value);
    if (pv == nullptr)
    {
        return value.SerializeToString(checker);
    }
    Ptr<Object> obj = pv->GetObject();
    if (!obj)
    {
        return "0"; // what PointerValue writes for a null pointer
    }
    const TypeId tid = obj->GetInstanceTypeId();
    if (depth > 4)
    {
        return tid.GetName();
    }
    std::string out = tid.GetName() + "[";
    bool first = true;
    // Walk from the instance type up to ObjectBase: attributes are declared per type.
    TypeId t = tid;
    for (int level = 0; level < 64; ++level)
    {
        for (std::size_t i = 0; i < t.GetAttributeN(); ++i)
        {
            const TypeId::AttributeInformation info = t.GetAttribute(i);
            if (!(info.flags & TypeId::ATTR_GET)
                || !(info.flags & (TypeId::ATTR_SET | TypeId::ATTR_CONSTRUCT))
                || info.supportLevel == TypeId::OBSOLETE)
            {
                continue;
            }
            Ptr<AttributeValue> v = info.checker->Create();
            if (!obj->GetAttributeFailSafe(info.name, *v))
            {
                continue;
            }
            out += (first ? "" : "|") + info.name + "="
                 + SerializeValue(*v, info.checker, depth + 1);
            first = false;
        }
        if (!t.HasParent() || t.GetParent() == t)
        {
            break;
        }
        t = t.GetParent();
    }
    return out + "]";
}

} // namespace

std::vector<std::pair<std::string, std::string>>
CollectAttributeDefaults(const std::string& groupName)
{
    std::vector<std::pair<std::string, std::string>> out;
    for (uint16_t i = 0; i < TypeId::GetRegisteredN(); ++i)
    {
        const TypeId tid = TypeId::GetRegistered(i);
        if (!groupName.empty() && tid.GetGroupName() != groupName)
        {
            continue;
        }
        for (std::size_t a = 0; a < tid.GetAttributeN(); ++a)
        {
            const TypeId::AttributeInformation info = tid.GetAttribute(a);
            // Only construction attributes take their initial value; the others (read-only
            // state, containers) are not settings.
            if (!(info.flags & TypeId::ATTR_CONSTRUCT) || info.supportLevel == TypeId::OBSOLETE
                || !info.initialValue)
            {
                continue;
            }
            // No object (a null pointer: EthernetNetDevice::TxQueue) is no setting: ns-3
            // cannot read "0" back (--ns3::...::TxQueue=0 crashes it).
            const auto* pv = dynamic_cast<const PointerValue*>(PeekPointer(info.initialValue));
            if (pv != nullptr && !pv->GetObject())
            {
                continue;
            }
            out.emplace_back(tid.GetName() + "::" + info.name,
                             SerializeValue(*info.initialValue, info.checker, 0));
        }
    }
    for (auto it = GlobalValue::Begin(); it != GlobalValue::End(); ++it)
    {
        Ptr<const AttributeChecker> checker = (*it)->GetChecker();
        Ptr<AttributeValue> v = checker->Create();
        (*it)->GetValue(*v);
        out.emplace_back((*it)->GetName(), SerializeValue(*v, checker, 0));
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<std::pair<std::string, std::string>>
CollectChangedAttributes(Ptr<Object> object)
{
    std::vector<std::pair<std::string, std::string>> out;
    if (!object)
    {
        return out;
    }
    // Walk from the instance type up: each attribute is declared, with its default, by one type.
    TypeId t = object->GetInstanceTypeId();
    for (int level = 0; level < 64; ++level)
    {
        for (std::size_t i = 0; i < t.GetAttributeN(); ++i)
        {
            const TypeId::AttributeInformation info = t.GetAttribute(i);
            if (!(info.flags & TypeId::ATTR_CONSTRUCT) || !(info.flags & TypeId::ATTR_GET)
                || info.supportLevel == TypeId::OBSOLETE || !info.initialValue)
            {
                continue;
            }
            // Not settings: an address is the object's identity, and an object its helper
            // creates where the default holds none (a device's TxQueue) is its own part.
            const AttributeValue* initial = PeekPointer(info.initialValue);
            const auto* pv = dynamic_cast<const PointerValue*>(initial);
            if (dynamic_cast<const Mac48AddressValue*>(initial)
                || dynamic_cast<const AddressValue*>(initial)
                || (pv != nullptr && !pv->GetObject()))
            {
                continue;
            }
            Ptr<AttributeValue> v = info.checker->Create();
            if (!object->GetAttributeFailSafe(info.name, *v))
            {
                continue;
            }
            const std::string value = SerializeValue(*v, info.checker, 0);
            if (value != SerializeValue(*info.initialValue, info.checker, 0))
            {
                out.emplace_back(t.GetName() + "::" + info.name, value);
            }
        }
        if (!t.HasParent() || t.GetParent() == t)
        {
            break;
        }
        t = t.GetParent();
    }
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace ns3
