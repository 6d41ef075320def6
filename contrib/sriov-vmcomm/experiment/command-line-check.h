/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * CommandLineCheck: the one check of the programs' arguments before ns-3 parses them (their
 * own options, ns-3 attributes and global values, whose values the attribute checkers judge).
 */
#ifndef COMMAND_LINE_CHECK_H
#define COMMAND_LINE_CHECK_H

#include "ns3/attribute.h"
#include "ns3/command-line.h"
#include "ns3/nstime.h"

#include <stdexcept>
#include <string>
#include <vector>

namespace ns3 {

/**
 * \ingroup sriov-vmcomm
 * \brief Bad command-line input: one line naming the option, the value and what is allowed.
 */
class CommandLineError : public std::runtime_error
{
  public:
    /** \param what the message */
    explicit CommandLineError(const std::string& what);
};

/**
 * \ingroup sriov-vmcomm
 * \brief The one way the programs of this module validate their command line, before
 * CommandLine::Parse and before anything is created.
 *
 * ns-3 3.37's CommandLine aborts (SIGABRT) on a malformed value (--duration=abc,
 * --RngRun=abc, --ns3::Iommu::IotlbEntries=many) and answers an unknown option with exit 1
 * and its whole help. A program registers its options here as it registers them with its
 * CommandLine (AddValue does both); Check() then refuses, with one line, every argument that
 * is not one of them, a --ns3::Type::Attribute=VALUE whose type, attribute or value the
 * attribute's checker refuses, or a global value (RngSeed >= 1, RngRun >= 0, ...) out of range.
 */
class CommandLineCheck
{
  public:
    /** What an option's value must be. */
    enum Kind
    {
        STRING,   //!< any text (empty only if the option allows it)
        UINTEGER, //!< a decimal integer 0..4294967295
        BOOLEAN,  //!< true, false, 1 or 0 (or the option alone: true)
        TIME,     //!< a positive time with a unit (1500ns, 1ms)
    };

    /** \param program program name, as in messages */
    explicit CommandLineCheck(const std::string& program);

    /**
     * \brief Register an option with the CommandLine and with this check.
     * \tparam T the variable's type: std::string, uint32_t, bool or Time (its Kind)
     * \param cmd the program's command line
     * \param name option name, without the dashes
     * \param help help text
     * \param value the variable the option sets
     */
    template<typename T>
    void AddValue(CommandLine& cmd, const std::string& name, const std::string& help, T& value)
    {
        cmd.AddValue(name, help, value);
        AddOption(name, KindOf(value));
    }

    /**
     * \brief Register an option the program handles itself (not through CommandLine).
     * \param name option name
     * \param kind what its value must be
     */
    void AddOption(const std::string& name, Kind kind);

    /**
     * \brief Check every argument.
     * \param argc argument count of main()
     * \param argv arguments of main()
     * \throws CommandLineError on the first bad argument
     */
    void Check(int argc, char** argv) const;

    /**
     * \brief Refuse an environment that would change the run without the database recording it
     * (NS_ATTRIBUTE_DEFAULT: ns-3 applies it to each object it builds, not to the defaults that
     * run_params records). Check() calls it; a program with its own argument loop calls it too.
     * \throws CommandLineError naming the variable and what to do instead
     */
    static void CheckEnvironment();

    /** \return the registered option names, in order */
    std::vector<std::string> GetOptionNames() const;

    /**
     * \brief Check one ns-3 attribute default or global value, as --NAME=VALUE would set it.
     * \param name "ns3::Type::Attribute" or a global value's name ("RngRun")
     * \param value the value
     * \param why [out] what is wrong and what is allowed
     * \return true if the setting is valid
     */
    static bool CheckNs3Setting(const std::string& name, const std::string& value,
                                std::string* why);

    /**
     * \brief The range this check allows a global value, where it is narrower than its checker's
     * (the option list, OptionList, reports the same range).
     * \param name a global value's name
     * \param min [out] smallest allowed value
     * \param max [out] largest allowed value
     * \return true if the check narrows \p name (RngSeed, RngRun)
     */
    static bool GetGlobalRange(const std::string& name, uint64_t* min, uint64_t* max);

    /**
     * \brief Parse a time with its unit, as options and topology files write it.
     * \param text e.g. "1500ns", "1.5us", "1ms"
     * \param time [out] the time
     * \param why [out] what is wrong and what is allowed
     * \return true if text is a positive time with a unit ns-3 knows
     */
    static bool ParseTime(const std::string& text, Time* time, std::string* why);

    /**
     * \brief Write a time so that ParseTime (and ns-3) read back exactly the same value.
     * \param time the time
     * \return an integer in the time resolution's unit, e.g. "1500ns"
     */
    static std::string FormatTime(const Time& time);

  private:
    /** \return the Kind of a std::string option */
    static Kind KindOf(const std::string&)
    {
        return STRING;
    }

    /** \return the Kind of an unsigned integer option */
    static Kind KindOf(const uint32_t&)
    {
        return UINTEGER;
    }

    /** \return the Kind of a boolean option */
    static Kind KindOf(const bool&)
    {
        return BOOLEAN;
    }

    /** \return the Kind of a time option */
    static Kind KindOf(const Time&)
    {
        return TIME;
    }

    /** One registered option. */
    struct Option
    {
        std::string name; //!< name without dashes
        Kind kind;        //!< value kind
    };

    /** \return "--a, --b, ..." and the ns-3 forms, for the unknown-option message */
    std::string ListOptions() const;

    std::string m_program;         //!< program name
    std::vector<Option> m_options; //!< registered options
};

} // namespace ns3

#endif /* COMMAND_LINE_CHECK_H */
