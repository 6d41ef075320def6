/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * CommandLineCheck: argument, ns-3 value and time checks of the programs (see
 * command-line-check.h).
 */
#include "command-line-check.h"

#include "ns3/global-value.h"
#include "ns3/string.h"
#include "ns3/type-id.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <regex>
#include <utility>

namespace ns3 {

namespace {

/** ns-3's own informational options, which CommandLine handles (and then exits). */
const char* const NS3_FLAGS[] = {"PrintHelp",       "help",         "PrintGlobals",
                                 "PrintGroups",     "PrintGroup",   "PrintTypeIds",
                                 "PrintAttributes", "PrintVersion", "version"};

/** Time units ns-3 reads, with their length in seconds. */
const std::pair<const char*, long double> TIME_UNITS[] = {
    {"y", 365 * 86400.0L}, {"d", 86400.0L}, {"h", 3600.0L}, {"min", 60.0L}, {"s", 1.0L},
    {"ms", 1e-3L},         {"us", 1e-6L},   {"ns", 1e-9L},  {"ps", 1e-12L}, {"fs", 1e-15L},
};

const char* const TIME_ALLOWED = "a positive time with a unit (s, ms, us, ns, ps, fs, min, h), "
                                 "e.g. 1ms or 1500ns";

/** Seconds of one step of the simulator's time resolution. */
long double
ResolutionSeconds()
{
    switch (Time::GetResolution())
    {
        case Time::Y:
            return 365 * 86400.0L;
        case Time::D:
            return 86400.0L;
        case Time::H:
            return 3600.0L;
        case Time::MIN:
            return 60.0L;
        case Time::S:
            return 1.0L;
        case Time::MS:
            return 1e-3L;
        case Time::US:
            return 1e-6L;
        case Time::NS:
            return 1e-9L;
        case Time::PS:
            return 1e-12L;
        default:
            return 1e-15L;
    }
}

/** Unit suffix of the simulator's time resolution, as ns-3 reads it. */
const char*
ResolutionUnit()
{
    switch (Time::GetResolution())
    {
        case Time::Y:
            return "y";
        case Time::D:
            return "d";
        case Time::H:
            return "h";
        case Time::MIN:
            return "min";
        case Time::S:
            return "s";
        case Time::MS:
            return "ms";
        case Time::US:
            return "us";
        case Time::NS:
            return "ns";
        case Time::PS:
            return "ps";
        default:
            return "fs";
    }
}

/**
 * \return whether a checker accepts a value. ns-3 3.37 aborts on some malformed values
 * ("many" for an integer, "3 lanes"), so the check runs in a child process.
 */
bool
Accepts(Ptr<const AttributeChecker> checker, const std::string& value)
{
    std::fflush(nullptr);
    const pid_t pid = fork();
    if (pid == 0)
    {
        const int null = open("/dev/null", O_WRONLY);
        dup2(null, STDOUT_FILENO);
        dup2(null, STDERR_FILENO);
        _exit(checker->CreateValidValue(StringValue(value)) ? 0 : 1);
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) != pid)
    {
        return checker->CreateValidValue(StringValue(value)) != nullptr; // no child: try here
    }
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/** \return what a checker allows, for a message */
std::string
Allowed(Ptr<const AttributeChecker> checker)
{
    std::string s = checker->GetValueTypeName();
    if (checker->HasUnderlyingTypeInformation())
    {
        s += " (" + checker->GetUnderlyingTypeInformation() + ")";
    }
    return s;
}

/** \return true if text is a decimal integer of at most maxDigits digits */
bool
IsDecimal(const std::string& text, std::size_t maxDigits)
{
    return !text.empty() && text.size() <= maxDigits
        && text.find_first_not_of("0123456789") == std::string::npos;
}

} // namespace

CommandLineError::CommandLineError(const std::string& what)
    : std::runtime_error(what)
{
}

CommandLineCheck::CommandLineCheck(const std::string& program)
    : m_program(program)
{
}

void
CommandLineCheck::AddOption(const std::string& name, Kind kind)
{
    m_options.push_back({name, kind});
}

std::vector<std::string>
CommandLineCheck::GetOptionNames() const
{
    std::vector<std::string> names;
    for (const Option& o : m_options)
    {
        names.push_back(o.name);
    }
    return names;
}

std::string
CommandLineCheck::ListOptions() const
{
    std::string s;
    for (const Option& o : m_options)
    {
        s += (s.empty() ? "--" : ", --") + o.name;
    }
    return s + ", --ns3::Type::Attribute=VALUE, --RngSeed=N, --RngRun=N (--help describes them)";
}

bool
CommandLineCheck::ParseTime(const std::string& text, Time* time, std::string* why)
{
    static const std::regex re(
        R"(^((?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)([A-Za-z]*)$)");
    std::smatch m;
    if (!text.empty() && text[0] == '-')
    {
        *why = "negative: must be " + std::string(TIME_ALLOWED);
        return false;
    }
    if (!std::regex_match(text, m, re))
    {
        *why = "not a number followed by a unit: must be " + std::string(TIME_ALLOWED);
        return false;
    }
    const std::string unit = m[2].str();
    if (unit.empty())
    {
        // ns-3 would read a bare number as seconds: almost surely not what was meant.
        *why = "has no unit: must be " + std::string(TIME_ALLOWED);
        return false;
    }
    long double perUnit = 0;
    for (const auto& [name, seconds] : TIME_UNITS)
    {
        if (unit == name)
        {
            perUnit = seconds;
        }
    }
    if (perUnit == 0)
    {
        *why = "unknown unit \"" + unit + "\": must be " + TIME_ALLOWED;
        return false;
    }
    const long double steps
        = std::strtold(m[1].str().c_str(), nullptr) * perUnit / ResolutionSeconds();
    if (!(steps >= 1))
    {
        *why = "must be > 0 and at least 1" + std::string(ResolutionUnit())
             + " (the simulator's resolution): " + TIME_ALLOWED;
        return false;
    }
    if (steps > static_cast<long double>(std::numeric_limits<int64_t>::max() / 2))
    {
        *why = "out of range: the simulator's clock (int64 " + std::string(ResolutionUnit())
             + ") cannot hold it";
        return false;
    }
    if (std::fabs(steps - std::round(steps)) > 1e-6L * steps)
    {
        *why = "finer than the simulator's resolution (1" + std::string(ResolutionUnit())
             + "): it would be rounded";
        return false;
    }
    *time = Time(text); // safe: number and unit are ones ns-3 reads
    return true;
}

std::string
CommandLineCheck::FormatTime(const Time& time)
{
    return std::to_string(time.GetTimeStep()) + ResolutionUnit();
}

bool
CommandLineCheck::GetGlobalRange(const std::string& name, uint64_t* min, uint64_t* max)
{
    if (name == "RngSeed")
    {
        // The random number generator aborts on a seed of 0 (or >= its modulus
        // m1 = 4294967087) when the first stream is made, long after parsing.
        *min = 1;
        *max = 4294967086ULL;
        return true;
    }
    if (name == "RngRun")
    {
        // Stored as a signed 64-bit integer (runs.rng_run): the same number everywhere.
        *min = 0;
        *max = uint64_t(std::numeric_limits<int64_t>::max());
        return true;
    }
    return false;
}

bool
CommandLineCheck::CheckNs3Setting(const std::string& name, const std::string& value,
                                  std::string* why)
{
    if (name.rfind("ns3::", 0) == 0)
    {
        const std::size_t sep = name.rfind("::");
        TypeId tid;
        if (sep <= 3)
        {
            *why = "not of the form ns3::Type::Attribute";
            return false;
        }
        const std::string type = name.substr(0, sep);
        const std::string attr = name.substr(sep + 2);
        if (!TypeId::LookupByNameFailSafe(type, &tid))
        {
            *why = "no ns-3 type " + type + " (--PrintTypeIds lists them)";
            return false;
        }
        TypeId::AttributeInformation info;
        if (!tid.LookupAttributeByName(attr, &info))
        {
            std::string attrs;
            for (TypeId t = tid;; t = t.GetParent())
            {
                for (std::size_t i = 0; i < t.GetAttributeN(); ++i)
                {
                    attrs += (attrs.empty() ? "" : ", ") + t.GetAttribute(i).name;
                }
                if (!t.HasParent() || t.GetParent() == t)
                {
                    break;
                }
            }
            *why = type + " has no attribute " + attr
                 + "; its attributes: " + (attrs.empty() ? "none" : attrs);
            return false;
        }
        if (!(info.flags & TypeId::ATTR_CONSTRUCT))
        {
            *why = "attribute " + attr + " of " + type + " is not set at construction";
            return false;
        }
        if (!Accepts(info.checker, value))
        {
            *why = "not accepted; allowed: " + Allowed(info.checker);
            return false;
        }
        return true;
    }
    // Global values whose checker allows more than the run can take.
    uint64_t min = 0;
    uint64_t max = 0;
    if (GetGlobalRange(name, &min, &max))
    {
        if (!IsDecimal(value, 19) || std::stoull(value) < min || std::stoull(value) > max)
        {
            *why = "allowed: an integer " + std::to_string(min) + ".." + std::to_string(max);
            return false;
        }
        return true;
    }
    for (auto it = GlobalValue::Begin(); it != GlobalValue::End(); ++it)
    {
        if ((*it)->GetName() == name)
        {
            if (!Accepts((*it)->GetChecker(), value))
            {
                *why = "not accepted; allowed: " + Allowed((*it)->GetChecker());
                return false;
            }
            return true;
        }
    }
    *why = "unknown option";
    return false;
}

void
CommandLineCheck::CheckEnvironment()
{
    // ns-3 applies NS_ATTRIBUTE_DEFAULT to each object it builds, behind the attribute system's
    // back: the defaults the database records would not be the ones in force, and the run would
    // not replay. The same settings as options are checked and recorded.
    if (const char* env = std::getenv("NS_ATTRIBUTE_DEFAULT"); env && *env)
    {
        throw CommandLineError(std::string("NS_ATTRIBUTE_DEFAULT is set ('") + env
                               + "'): its settings would not be recorded in run_params; give "
                                 "them as options instead (--ns3::Type::Attribute=value)");
    }
}

void
CommandLineCheck::Check(int argc, char** argv) const
{
    CheckEnvironment();
    for (int i = 1; i < argc; ++i)
    {
        const std::string arg = argv[i];
        if (arg.size() < 2 || arg[0] != '-')
        {
            throw CommandLineError("unexpected argument '" + arg + "': options are "
                                   + ListOptions());
        }
        // As ns-3's CommandLine: one or two leading dashes, name=value.
        const std::string a = arg.substr(arg.rfind("--", 0) == 0 ? 2 : 1);
        const std::size_t eq = a.find('=');
        const std::string name = a.substr(0, eq);
        const bool hasValue = eq != std::string::npos;
        const std::string value = hasValue ? a.substr(eq + 1) : "";
        bool flag = false;
        for (const char* f : NS3_FLAGS)
        {
            flag |= name == f;
        }
        if (flag)
        {
            continue;
        }
        const Option* option = nullptr;
        for (const Option& o : m_options)
        {
            if (o.name == name)
            {
                option = &o;
            }
        }
        const std::string shown = "--" + name + (hasValue ? "=" + value : "");
        if (option)
        {
            if (option->kind == BOOLEAN && !hasValue)
            {
                continue; // --quiet alone means true
            }
            if (!hasValue || value.empty())
            {
                throw CommandLineError(shown + ": needs a value (--" + name
                                       + "=VALUE); leave the option out for its default");
            }
            std::string why;
            Time t;
            switch (option->kind)
            {
                case UINTEGER:
                    if (!IsDecimal(value, 10) || std::stoull(value) > 4294967295ULL)
                    {
                        throw CommandLineError(
                            shown + ": " + (IsDecimal(value, 64) ? "out of range; " : "")
                            + "allowed: an integer 0..4294967295 (no sign, no unit)");
                    }
                    break;
                case BOOLEAN:
                    if (value != "true" && value != "false" && value != "1" && value != "0")
                    {
                        throw CommandLineError(shown + ": allowed: true, false, 1 or 0");
                    }
                    break;
                case TIME:
                    if (!ParseTime(value, &t, &why))
                    {
                        throw CommandLineError(shown + ": " + why);
                    }
                    break;
                case STRING:
                    break;
            }
            continue;
        }
        if (!hasValue)
        {
            throw CommandLineError("unknown option " + shown + ": options are " + ListOptions());
        }
        std::string why;
        if (!CheckNs3Setting(name, value, &why))
        {
            if (why == "unknown option")
            {
                throw CommandLineError("unknown option " + shown + ": options are "
                                       + ListOptions());
            }
            throw CommandLineError(shown + ": " + why);
        }
    }
}

} // namespace ns3
