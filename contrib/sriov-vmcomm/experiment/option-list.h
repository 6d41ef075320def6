/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * OptionList: the machine-readable list of a program's options (--list-options, JSON), read
 * by the sweep runner to check a spec before running it.
 */
#ifndef OPTION_LIST_H
#define OPTION_LIST_H

#include <map>
#include <ostream>
#include <string>
#include <vector>

namespace ns3 {

class CommandLine;

/**
 * \ingroup sriov-vmcomm
 * \brief The machine-readable list of what a program accepts on its command line
 * (`PROGRAM --list-options`): its own options, the ns-3 global values and every
 * `ns3::Type::Attribute` of the registered TypeIds, as one JSON object on stdout.
 *
 * The sweep runner (analysis/sweep.py) asks a program once for this list and refuses a spec
 * naming an option the program does not have, or a value the list can check (a choice, an
 * integer range), before it runs any point. The attributes and globals come from the same ns-3
 * registries CommandLine consults when it parses, so the list cannot drift from what the program
 * accepts. The program's own options come from its CommandLine (names, help, defaults); what
 * CommandLine does not record (allowed choices, ranges, values that stand for several runs) the
 * program adds with Choices(), Range() and Expands().
 *
 * JSON format (analysis/README.md documents it for the Python side):
 * \code
 * {"program": "compare-modes",
 *  "options": [{"name": "mode", "type": "string", "default": "all", "help": "...",
 *               "choices": [...], "expands": {"all": ["vf-dma", ...]}}, ...],
 *  "globals": [{"name": "RngSeed", "type": "integer", "min": 1, ...}, ...],
 *  "attributes": [{"name": "ns3::Iommu::IotlbEntries", "type": "integer", "min": 1,
 *                  "max": 4294967295, "checker": "ns3::UintegerValue", "default": "64",
 *                  "help": "..."}, ...]}
 * \endcode
 * "type" is one of integer, float, boolean, enum (with "choices"), time, string; "min"/"max"
 * are present where the checker or the program states a range.
 */
class OptionList
{
  public:
    /**
     * \param argc argument count of main
     * \param argv arguments of main
     * \return true if the command line asks for the list (an argument `--list-options`)
     */
    static bool Requested(int argc, char** argv);

    /**
     * Collect the program's options from its CommandLine (every AddValue already done).
     * \param program the program's name (runs.scenario)
     * \param cmd its command line
     */
    OptionList(const std::string& program, const CommandLine& cmd);

    /**
     * \param name an option of the program
     * \param values the values it accepts (nothing else is)
     * \return *this
     */
    OptionList& Choices(const std::string& name, const std::vector<std::string>& values);

    /**
     * \param name an integer or float option of the program
     * \param min smallest value it accepts
     * \param max largest value it accepts
     * \return *this
     */
    OptionList& Range(const std::string& name, double min, double max);

    /**
     * \param name an option of the program
     * \param type its type when the default does not tell (a list "64,128" with default "64")
     * \return *this
     */
    OptionList& Type(const std::string& name, const std::string& type);

    /**
     * Declare that one value of an option makes the program do one run per listed value, each
     * stored with the point key `KEY/<value>` (compare-modes' --mode=all).
     * \param name an option of the program
     * \param value the value that stands for several runs
     * \param into the values it runs
     * \return *this
     */
    OptionList& Expands(const std::string& name, const std::string& value,
                        const std::vector<std::string>& into);

    /**
     * Write the JSON object.
     * \param os where to
     * \return 0, the program's exit status
     */
    int Print(std::ostream& os) const;

  private:
    /** One option of the program. */
    struct Option
    {
        std::string name;                                        //!< without "--"
        std::string help;                                        //!< as --help shows it
        std::string type;                                        //!< integer, boolean, ...
        bool hasDefault = false;                                 //!< default known
        std::string def;                                         //!< the default, as text
        std::vector<std::string> choices;                        //!< allowed values, if listed
        bool hasRange = false;                                   //!< min/max valid
        double min = 0;                                          //!< smallest accepted
        double max = 0;                                          //!< largest accepted
        std::map<std::string, std::vector<std::string>> expands; //!< value -> runs
    };

    /**
     * \param name an option name
     * \return the option (aborts: a program's hook naming an option it lacks is a bug)
     */
    Option& Find(const std::string& name);

    std::string m_program;         //!< program name
    std::vector<Option> m_options; //!< in the order of --help
};

} // namespace ns3

#endif // OPTION_LIST_H
