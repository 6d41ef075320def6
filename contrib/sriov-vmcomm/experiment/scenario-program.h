/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * ScenarioProgram: the one `main` skeleton of the module's programs (scenario, compare-modes,
 * topology-check, dma-bench): option registration, --list-options, the argument check before ns-3
 * parses anything, the NIC preset, the results database opened before anything runs, the run
 * record's header, and the exit statuses (0 done, 2 bad input with one line naming it, 1 a
 * failure while running or writing). RunExperimentProgram() is the scenario programs' main,
 * RunTopologyCheckProgram() topology-check's.
 */
#ifndef SCENARIO_PROGRAM_H
#define SCENARIO_PROGRAM_H

#include "command-line-check.h"
#include "experiment-options.h"
#include "results-db.h"

#include <iosfwd>
#include <memory>
#include <string>

namespace ns3 {

class CommandLine;
class OptionList;

/**
 * \ingroup sriov-vmcomm
 * \brief The skeleton of a program of the module. Main() runs, in order:
 *
 * 1. AddOptions(): the program registers its options with a CommandLine and the
 *    CommandLineCheck (ns-3's CommandLine aborts on a malformed value: the check refuses it
 *    first, with one line);
 * 2. `--list-options`: the options as JSON (OptionList), with DescribeOptions()'s choices;
 * 3. CheckArguments(): every argument, before anything is created (by default the
 *    CommandLineCheck, whose CheckNs3Setting is the one validator of ns-3 values);
 * 4. the NIC preset of `--preset`, applied before parsing so that --ns3:: options override it;
 * 5. CommandLine::Parse, then Prepare(): the program reads and validates its options;
 * 6. the results database GetDbPath(), if any, opened and checked writable;
 * 7. Run().
 *
 * ExperimentError, CommandLineError or a bad preset before Run() exit with status 2 and the
 * line "PROGRAM: message"; any exception afterwards with status 1.
 */
class ScenarioProgram
{
  public:
    /** \param name the program's name, as in its messages */
    explicit ScenarioProgram(const std::string& name);
    virtual ~ScenarioProgram();

    /**
     * \brief Run the program.
     * \param argc argument count of main()
     * \param argv arguments of main()
     * \return the exit status
     */
    int Main(int argc, char** argv);

    /**
     * \brief Fill the header of a run record the way every program does: scenario, RNG seed and
     * run in force, version, times.
     * \param r the record
     * \param scenario scenario name
     * \param startedAt ISO 8601 start (ResultsDb::NowIso8601())
     * \param wallSeconds wall-clock seconds of the run
     * \param simSeconds simulated seconds of the run
     */
    static void FillRunHeader(RunRecord& r, const std::string& scenario,
                              const std::string& startedAt, double wallSeconds, double simSeconds);

  protected:
    /**
     * \brief Register the options.
     * \param cmd the command line \param check the argument check
     */
    virtual void AddOptions(CommandLine& cmd, CommandLineCheck& check) = 0;

    /**
     * \brief Add what CommandLine does not know of the options to --list-options.
     * \param list the list
     */
    virtual void DescribeOptions(OptionList& list) const;

    /**
     * \return the preset applied when the command line names none: "" (the default, the
     * attribute defaults) or a program's own testbed
     */
    virtual std::string GetFallbackPreset() const;

    /**
     * \brief Check every argument before anything is created (default: the CommandLineCheck
     * of the registered options).
     * \param argc argument count \param argv arguments
     * \return an exit status to stop with (an informational option was handled), or -1
     * \throws CommandLineError or ExperimentError on a bad argument
     */
    virtual int CheckArguments(int argc, char** argv);

    /**
     * \brief Read and validate the parsed options.
     * \param argc argument count \param argv arguments (for --ns3:: settings to record)
     * \throws ExperimentError on bad input
     */
    virtual void Prepare(int argc, char** argv) = 0;

    /** \return the results database to open, empty for none */
    virtual std::string GetDbPath() const = 0;

    /**
     * \brief Run the program.
     * \param db the results database, or null
     * \return the exit status
     */
    virtual int Run(ResultsDb* db) = 0;

    /** \return the program's name */
    const std::string& GetName() const;

    /** \return the preset applied (its name, or the default's) */
    const std::string& GetPreset() const;

    /** \return true while options are registered for --list-options rather than for a run */
    bool IsListing() const;

    /** \return the argument check */
    const CommandLineCheck& GetCheck() const;

    /** \param prefix what the line of a failure while running starts with after the name */
    void SetFailurePrefix(const std::string& prefix);

    /** \param usage the text --help prints above the options */
    void SetUsage(const std::string& usage);

  private:
    std::string m_name;          //!< program name
    std::string m_preset;        //!< preset applied
    std::string m_failurePrefix; //!< after "NAME: " on a failure while running
    std::string m_usage;         //!< --help's text
    bool m_listing{false};       //!< registering for --list-options
    CommandLineCheck m_check;    //!< the argument check
};

/**
 * \ingroup sriov-vmcomm
 * \brief Print a run's summary as the scenario programs do: frames, offered and carried load
 * (SATURATED if a flow could not keep up), goodput, latency percentiles, drops, what was in
 * flight at the end, utilization, host cores.
 * \param r the run's record (its histogram of every flow, flow id -1, gives the percentiles)
 * \param os where to print
 */
void PrintRunSummary(const RunRecord& r, std::ostream& os);

/**
 * \ingroup sriov-vmcomm
 * \brief The main of the scenario programs: the options of ExperimentOptions and --preset,
 * every mode of --mode run in turn (Experiment::RunMode), a summary per run unless --quiet,
 * and one run per mode added to --db.
 * \param name the program's name, also the scenario name in the database
 * \param defaults the options' defaults (compare-modes: every mode)
 * \param argc argument count of main() \param argv arguments of main()
 * \return the exit status
 */
int RunExperimentProgram(const std::string& name, const ExperimentOptions& defaults, int argc,
                         char** argv);

/**
 * \ingroup sriov-vmcomm
 * \brief The main of topology-check: validate the topology DOT file given as the one argument
 * and print its hosts, VMs, switches, links and longest host-to-host path.
 * \param argc argument count of main() \param argv arguments of main()
 * \return the exit status: 0 valid, 2 invalid (the error on stderr, naming the file and the
 * element), 1 usage
 */
int RunTopologyCheckProgram(int argc, char** argv);

} // namespace ns3

#endif /* SCENARIO_PROGRAM_H */
