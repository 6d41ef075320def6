/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The options of a scenario run (ExperimentOptions, typed), their command-line form
 * (ExperimentCommandLine: names, help texts, choices) and the checks that need no topology.
 */
#ifndef EXPERIMENT_OPTIONS_H
#define EXPERIMENT_OPTIONS_H

#include "ns3/comm-mode.h"
#include "ns3/data-rate.h"
#include "ns3/guest-helper.h"
#include "ns3/nstime.h"
#include "traffic-pattern.h"

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace ns3 {

class CommandLine;
class CommandLineCheck;
class OptionList;

/**
 * \ingroup sriov-vmcomm
 * \brief Bad input to a scenario: the message names the option, the value and what is allowed.
 * Scenario programs turn it into exit status 2, before anything is written.
 */
class ExperimentError : public std::runtime_error
{
  public:
    /** \param what the message */
    explicit ExperimentError(const std::string& what);
};

/**
 * \ingroup sriov-vmcomm
 * \brief The application each flow runs.
 */
enum class TrafficApp
{
    UDP,   //!< "udp": UdpClient at a constant bit rate, UdpServer
    ONOFF, //!< "onoff": OnOff over UDP, exponential bursts and silences, PacketSink
    TCP    //!< "tcp": BulkSend over TCP, PacketSink
};

/** \ingroup sriov-vmcomm \return the application names, in order */
std::vector<std::string> GetTrafficAppNames();
/** \ingroup sriov-vmcomm \param app an application \return its name */
std::string ToString(TrafficApp app);
/**
 * \ingroup sriov-vmcomm
 * \param name a name \param app [out] the application \return false if \p name is none
 */
bool ParseTrafficApp(const std::string& name, TrafficApp* app);

/**
 * \ingroup sriov-vmcomm
 * \brief The options of a scenario run, with their defaults (the command line's, see
 * ExperimentCommandLine for the option each field is set by).
 */
struct ExperimentOptions
{
    std::vector<CommMode> modes{CommMode::VF_DMA}; //!< --mode: one mode, or all ("all")
    std::string topologyFile;                      //!< --topology: DOT file; empty = rack
    uint32_t hosts{1};                             //!< --hosts: hosts of the built-in rack
    uint32_t vms{2};                               //!< --vms: VMs per host of the rack
    uint32_t nics{1};                              //!< --nics: SR-IOV NICs per host
    TrafficPattern traffic{TrafficPattern::PAIRS}; //!< --traffic
    Placement placement{Placement::SAME_HOST};     //!< --placement (pairs)
    TrafficApp app{TrafficApp::UDP};               //!< --app
    std::string vswitch{"default"};                //!< --vswitch: switch profile, or the mode's
    GuestKind guest{GuestKind::KERNEL};            //!< --guest: what runs in the VMs
    uint32_t size{1518};                           //!< --size: Ethernet frame bytes incl. FCS
    std::string load{"10Gbps"};      //!< --load: per-flow rate, or a fraction of lineRate
    std::string lineRate{"100Gbps"}; //!< --line-rate: what a fractional load refers to
    Time duration{MilliSeconds(1)};  //!< --duration: traffic time
    std::string db;                  //!< --db: results database (empty: none)
    std::string point;               //!< --point: sweep point key
    bool quiet{false};               //!< --quiet: no summary on stdout
    uint32_t tcpSndBuf{0};           //!< --tcp-sndbuf: TcpSocket::SndBufSize (0: as set)
    uint32_t tcpRcvBuf{0};           //!< --tcp-rcvbuf: TcpSocket::RcvBufSize (0: as set)
};

/**
 * \ingroup sriov-vmcomm
 * \param text "all" or a mode's name, as --mode takes it
 * \return the modes it stands for
 * \throws ExperimentError naming --mode and the allowed values
 */
std::vector<CommMode> ParseModes(const std::string& text);

/**
 * \ingroup sriov-vmcomm
 * \param modes modes to run
 * \return "all" for every mode, else the (first) mode's name: what --mode takes
 */
std::string FormatModes(const std::vector<CommMode>& modes);

/**
 * \ingroup sriov-vmcomm
 * \brief Check the options that need no topology, in the order the scenario programs report
 * them (nics, size, duration, line-rate, load).
 * \param options the options
 * \return the per-flow offered rate the load stands for
 * \throws ExperimentError naming the option, its value and what is allowed
 */
DataRate ValidateOptions(const ExperimentOptions& options);

/**
 * \ingroup sriov-vmcomm
 * \brief The command-line form of ExperimentOptions: registers each option (name, help text,
 * default) with a CommandLine and its CommandLineCheck, and reads the typed options back.
 */
class ExperimentCommandLine
{
  public:
    /** \param defaults the values options not given keep */
    explicit ExperimentCommandLine(const ExperimentOptions& defaults);

    /**
     * \brief Register the options.
     * \param cmd the program's command line
     * \param check the program's argument check
     */
    void AddOptions(CommandLine& cmd, CommandLineCheck& check);

    /**
     * \brief Add what CommandLine does not know of the options (choices, ranges, "all").
     * \param list the program's option list
     */
    void Describe(OptionList& list) const;

    /**
     * \return the options as parsed (call after CommandLine::Parse)
     * \throws ExperimentError on a name that is no mode, pattern, placement or application
     */
    ExperimentOptions GetOptions() const;

    /**
     * \param options options as GetOptions() returned them
     * \param preset the NIC preset applied
     * \return each option as run_params records it (the form the option reads back)
     */
    static std::map<std::string, std::string> Record(const ExperimentOptions& options,
                                                     const std::string& preset);

  private:
    ExperimentOptions m_options; //!< typed options (the numbers, times and texts)
    std::string m_mode;          //!< --mode text
    std::string m_traffic;       //!< --traffic text
    std::string m_placement;     //!< --placement text
    std::string m_app;           //!< --app text
    std::string m_guest;         //!< --guest text
};

} // namespace ns3

#endif /* EXPERIMENT_OPTIONS_H */
