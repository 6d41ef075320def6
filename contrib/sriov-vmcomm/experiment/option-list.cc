/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * OptionList: a program's options, globals and attributes as JSON (see option-list.h).
 */
#include "option-list.h"

#include "command-line-check.h"
#include "ns3/abort.h"
#include "ns3/command-line.h"
#include "ns3/global-value.h"
#include "ns3/string.h"
#include "ns3/type-id.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>

namespace ns3 {

namespace {

/** \return s as a JSON string literal */
std::string
Quote(const std::string& s)
{
    std::string out = "\"";
    for (unsigned char c : s)
    {
        if (c == '"' || c == '\\')
        {
            out += '\\';
            out += char(c);
        }
        else if (c < 0x20)
        {
            char buf[8];
            std::snprintf(buf, sizeof(buf), "\\u%04x", c);
            out += buf;
        }
        else
        {
            out += char(c);
        }
    }
    return out + "\"";
}

/** \return v as a JSON number: integers exactly, others with round-trip precision */
std::string
Number(double v)
{
    if (!std::isfinite(v))
    {
        return v > 0 ? "1e308" : "-1e308"; // JSON has no infinity; beyond every double range
    }
    char buf[40];
    if (v == std::floor(v) && std::fabs(v) < 1e18)
    {
        std::snprintf(buf, sizeof(buf), "%.0f", v);
    }
    else
    {
        std::snprintf(buf, sizeof(buf), "%.17g", v);
    }
    return buf;
}

/** \return the strings as a JSON array */
std::string
Array(const std::vector<std::string>& values)
{
    std::string out = "[";
    for (std::size_t i = 0; i < values.size(); ++i)
    {
        out += (i ? ", " : "") + Quote(values[i]);
    }
    return out + "]";
}

bool
IsInteger(const std::string& s)
{
    std::size_t i = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
    return i < s.size() && s.find_first_not_of("0123456789", i) == std::string::npos;
}

/**
 * The JSON fields ("type", range, choices, "checker") of an attribute or global value checker.
 * The numeric checkers of ns-3 3.37 describe themselves as "TYPE MIN:MAX" (uint32_t 1:255),
 * the enum checker as "a|b|c"; other checkers only by their value type.
 */
std::string
CheckerFields(const Ptr<const AttributeChecker>& checker)
{
    std::string value = checker->GetValueTypeName();
    if (value.rfind("ns3::", 0) != 0)
    {
        value = "ns3::" + value; // 3.37 names some without the namespace (BooleanValue)
    }
    const std::string info
        = checker->HasUnderlyingTypeInformation() ? checker->GetUnderlyingTypeInformation() : "";
    std::string type = "string";
    std::string extra;
    if (value == "ns3::UintegerValue" || value == "ns3::IntegerValue"
        || value == "ns3::DoubleValue")
    {
        type = value == "ns3::DoubleValue" ? "float" : "integer";
        const std::size_t space = info.find(' ');
        const std::size_t colon = info.rfind(':');
        if (space != std::string::npos && colon != std::string::npos && colon > space)
        {
            const std::string lo = info.substr(space + 1, colon - space - 1);
            const std::string hi = info.substr(colon + 1);
            if (type == "integer" && IsInteger(lo) && IsInteger(hi))
            {
                // Exact: an int64/uint64 bound does not fit a double.
                extra += ", \"min\": " + lo + ", \"max\": " + hi;
            }
            else if (type == "float")
            {
                char* e1 = nullptr;
                char* e2 = nullptr;
                const double min = std::strtod(lo.c_str(), &e1);
                const double max = std::strtod(hi.c_str(), &e2);
                if (e1 && *e1 == '\0' && e2 && *e2 == '\0')
                {
                    extra += ", \"min\": " + Number(min) + ", \"max\": " + Number(max);
                }
            }
        }
    }
    else if (value == "ns3::BooleanValue")
    {
        type = "boolean";
    }
    else if (value.rfind("ns3::EnumValue", 0) == 0) // ns3::EnumValue<T> since 3.41
    {
        type = "enum";
        std::vector<std::string> choices;
        std::istringstream in(info);
        for (std::string c; std::getline(in, c, '|');)
        {
            choices.push_back(c);
        }
        extra += ", \"choices\": " + Array(choices);
    }
    else if (value == "ns3::TimeValue")
    {
        type = "time";
    }
    return "\"type\": " + Quote(type) + extra + ", \"checker\": " + Quote(value);
}

} // namespace

bool
OptionList::Requested(int argc, char** argv)
{
    for (int i = 1; i < argc; ++i)
    {
        if (std::strcmp(argv[i], "--list-options") == 0)
        {
            return true;
        }
    }
    return false;
}

OptionList::OptionList(const std::string& program, const CommandLine& cmd)
    : m_program(program)
{
    // CommandLine keeps its options private; its help lists each one on one line,
    // "    --NAME:  HELP [DEFAULT]" (the default only when it has one), under "Program Options:".
    std::ostringstream help;
    cmd.PrintHelp(help);
    std::istringstream in(help.str());
    bool inOptions = false;
    for (std::string line; std::getline(in, line);)
    {
        if (line == "Program Options:")
        {
            inOptions = true;
            continue;
        }
        const std::size_t start = line.find_first_not_of(' ');
        if (!inOptions || start == std::string::npos || line.compare(start, 2, "--") != 0)
        {
            inOptions = inOptions && start != std::string::npos; // a blank line ends the section
            continue;
        }
        const std::size_t colon = line.find(':', start);
        NS_ABORT_MSG_IF(colon == std::string::npos, "unexpected --help line: " << line);
        Option o;
        o.name = line.substr(start + 2, colon - start - 2);
        const std::size_t text = line.find_first_not_of(' ', colon + 1);
        o.help = text == std::string::npos ? "" : line.substr(text);
        const std::size_t open = o.help.rfind(" [");
        if (!o.help.empty() && o.help.back() == ']' && open != std::string::npos)
        {
            o.hasDefault = true;
            o.def = o.help.substr(open + 2, o.help.size() - open - 3);
            o.help.erase(open);
        }
        // The type, from the default as CommandLine prints it (a Time as "+1ms").
        if (o.def == "true" || o.def == "false")
        {
            o.type = "boolean";
        }
        else if (o.hasDefault && IsInteger(o.def) && o.def[0] != '+')
        {
            o.type = "integer";
        }
        else if (o.hasDefault && o.def.size() > 1 && (o.def[0] == '+' || o.def[0] == '-')
                 && std::strchr("0123456789", o.def[1]) && o.def.back() == 's')
        {
            o.type = "time";
        }
        else
        {
            o.type = "string";
        }
        m_options.push_back(o);
    }
}

OptionList::Option&
OptionList::Find(const std::string& name)
{
    for (Option& o : m_options)
    {
        if (o.name == name)
        {
            return o;
        }
    }
    NS_ABORT_MSG("OptionList: the program has no option --" << name);
    return m_options.front(); // not reached
}

OptionList&
OptionList::Choices(const std::string& name, const std::vector<std::string>& values)
{
    Find(name).choices = values;
    return *this;
}

OptionList&
OptionList::Range(const std::string& name, double min, double max)
{
    Option& o = Find(name);
    o.hasRange = true;
    o.min = min;
    o.max = max;
    return *this;
}

OptionList&
OptionList::Type(const std::string& name, const std::string& type)
{
    Find(name).type = type;
    return *this;
}

OptionList&
OptionList::Expands(const std::string& name, const std::string& value,
                    const std::vector<std::string>& into)
{
    Find(name).expands[value] = into;
    return *this;
}

int
OptionList::Print(std::ostream& os) const
{
    os << "{\"program\": " << Quote(m_program) << ",\n \"options\": [";
    bool first = true;
    for (const Option& o : m_options)
    {
        os << (first ? "\n  " : ",\n  ") << "{\"name\": " << Quote(o.name)
           << ", \"type\": " << Quote(o.choices.empty() ? o.type : "enum");
        if (!o.choices.empty())
        {
            os << ", \"choices\": " << Array(o.choices);
        }
        if (o.hasRange)
        {
            os << ", \"min\": " << Number(o.min) << ", \"max\": " << Number(o.max);
        }
        if (!o.expands.empty())
        {
            os << ", \"expands\": {";
            bool firstValue = true;
            for (const auto& kv : o.expands)
            {
                os << (firstValue ? "" : ", ") << Quote(kv.first) << ": " << Array(kv.second);
                firstValue = false;
            }
            os << "}";
        }
        if (o.hasDefault)
        {
            os << ", \"default\": " << Quote(o.def);
        }
        os << ", \"help\": " << Quote(o.help) << "}";
        first = false;
    }
    os << "],\n \"globals\": [";
    first = true;
    for (auto i = GlobalValue::Begin(); i != GlobalValue::End(); ++i)
    {
        StringValue value;
        (*i)->GetValue(value);
        // The range the program's check allows, where narrower than the checker's.
        uint64_t min = 0;
        uint64_t max = 0;
        const std::string fields = CommandLineCheck::GetGlobalRange((*i)->GetName(), &min, &max)
                                     ? "\"type\": \"integer\", \"min\": " + std::to_string(min)
                                           + ", \"max\": " + std::to_string(max)
                                           + ", \"checker\": \"ns3::UintegerValue\""
                                     : CheckerFields((*i)->GetChecker());
        os << (first ? "\n  " : ",\n  ") << "{\"name\": " << Quote((*i)->GetName()) << ", "
           << fields << ", \"default\": " << Quote(value.Get())
           << ", \"help\": " << Quote((*i)->GetHelp()) << "}";
        first = false;
    }
    // As CommandLine hands --ns3::Type::Attr to Config::SetDefaultFailSafe: the type's own
    // attributes (not its parents'), of every registered TypeId.
    os << "],\n \"attributes\": [";
    first = true;
    for (uint16_t t = 0; t < TypeId::GetRegisteredN(); ++t)
    {
        const TypeId tid = TypeId::GetRegistered(t);
        for (std::size_t a = 0; a < tid.GetAttributeN(); ++a)
        {
            const TypeId::AttributeInformation info = tid.GetAttribute(a);
            if (info.supportLevel == TypeId::OBSOLETE)
            {
                continue; // setting it aborts
            }
            os << (first ? "\n  " : ",\n  ")
               << "{\"name\": " << Quote(tid.GetName() + "::" + info.name) << ", "
               << CheckerFields(info.checker)
               << ", \"default\": " << Quote(info.initialValue->SerializeToString(info.checker))
               << ", \"help\": " << Quote(info.help) << "}";
            first = false;
        }
    }
    os << "]}\n";
    return 0;
}

} // namespace ns3
