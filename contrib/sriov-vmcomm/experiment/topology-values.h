/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Values of a topology description (link rates and delays, counts, switch buffers, preset names)
// parsed without aborting, unlike ns-3's string constructors; and TopologyError, the exception
// naming the source, the element and the problem.
#ifndef TOPOLOGY_VALUES_H
#define TOPOLOGY_VALUES_H

#include "ns3/data-rate.h"
#include "ns3/nstime.h"

#include <cstdint>
#include <stdexcept>
#include <string>

namespace ns3 {

/**
 * \ingroup sriov-vmcomm
 * \brief A topology is malformed: names the source, the element and what is wrong.
 *
 * what() reads "<source>: <element>: <problem>", e.g.
 * `scenarios/topologies/bad.dot: edge "h1 -- s9": node "s9" is not declared (...)`, so a user
 * can fix the file from the message alone.
 */
class TopologyError : public std::runtime_error
{
  public:
    /**
     * \param source file name (or "<memory>") the topology came from
     * \param element the element at fault: `node "h1"`, `edge "h1 -- s1"`, `line 12`, or empty
     * \param problem what is wrong and what is allowed
     */
    TopologyError(const std::string& source, const std::string& element,
                  const std::string& problem);

    /** \return the file name (or "<memory>") */
    const std::string& GetSource() const;
    /** \return the element at fault (may be empty for whole-graph problems) */
    const std::string& GetElement() const;
    /** \return the problem, without source and element */
    const std::string& GetProblem() const;

  private:
    std::string m_source;  //!< file name
    std::string m_element; //!< element at fault
    std::string m_problem; //!< what is wrong
};

/**
 * \ingroup sriov-vmcomm
 * \brief Parsers of topology attribute values: each says what is wrong and what is allowed
 * instead of aborting the process as ns-3's DataRate, Time and QueueSize constructors do.
 */
class TopologyValues
{
  public:
    /**
     * Parse a link rate without aborting on bad input (ns3::DataRate's string constructor
     * aborts the process).
     * \param text e.g. "100Gbps"
     * \param rate [out] the parsed rate
     * \param why [out] on failure, what is wrong and what is allowed
     * \return true if text is a DataRate with a unit and > 0
     */
    static bool ParseRate(const std::string& text, DataRate* rate, std::string* why);
    /**
     * Parse a link delay without aborting on bad input.
     * \param text e.g. "500ns"
     * \param delay [out] the parsed delay
     * \param why [out] on failure, what is wrong and what is allowed
     * \return true if text is a Time with a unit, >= 0 and <= 10 s
     */
    static bool ParseDelay(const std::string& text, Time* delay, std::string* why);
    /**
     * Parse a positive integer attribute (vms, ports).
     * \param text decimal digits
     * \param value [out] the value
     * \param why [out] on failure, what is wrong and what is allowed
     * \return true if text is an integer in [1, 2^31)
     */
    static bool ParsePositiveInt(const std::string& text, uint32_t* value, std::string* why);
    /**
     * Check a switch buffer size.
     * \param text an ns3::QueueSize string, e.g. "1000p" or "12MB"
     * \param why [out] on failure, what is wrong and what is allowed
     * \return true if text is a non-zero QueueSize
     */
    static bool CheckBuffer(const std::string& text, std::string* why);
    /**
     * Check a preset name (nic, vswitch): letters, digits, '-', '_', '.'.
     * \param text the name
     * \param why [out] on failure, what is wrong and what is allowed
     * \return true if well formed (whether the preset exists is the builder's business)
     */
    static bool CheckPresetName(const std::string& text, std::string* why);
};

} // namespace ns3

#endif /* TOPOLOGY_VALUES_H */
