/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Models the MAC forwarding table (filtering database) of a learning bridge: where each station
// (MAC address in a VLAN) is, learned from source addresses and aged out, or entered statically.
// Shared by EthernetSwitch (IEEE 802.1Q bridge) and VirtualSwitch (OVS NORMAL action).
#ifndef MAC_FORWARDING_TABLE_H
#define MAC_FORWARDING_TABLE_H

#include "ns3/mac48-address.h"
#include "ns3/nstime.h"

#include <cstdint>
#include <unordered_map>

namespace ns3 {

/**
 * \ingroup sriov-vmcomm
 * \brief A learning bridge's forwarding table keyed by (MAC address, VLAN id).
 *
 * Entries are static (AddStaticEntry: never aged, never overridden by learning) or learned
 * (Learn: valid for the aging time after the station was last seen). An aged entry stays in the
 * table, invisible to Lookup, until the station is learned again or the entry is removed. A
 * switch without VLANs uses one VLAN id for every entry (VirtualSwitch: NO_VLAN).
 *
 * A plain value class owned by its switch: the caller passes the current time, so the table
 * schedules nothing. Learning an address already present allocates nothing; only a new station
 * allocates its hash node.
 */
class MacForwardingTable
{
  public:
    static constexpr uint16_t NO_VLAN = 0; //!< VLAN id of a switch without VLANs

    /** What Learn() did. */
    enum LearnResult
    {
        LEARN_IGNORED = 0, //!< group address, or a static entry: nothing changed
        LEARN_REFRESHED,   //!< a valid entry on the same port: its lifetime restarted
        LEARN_NEW          //!< a new station, one that moved, or one whose entry had aged out
    };

    /**
     * \param agingTime lifetime of a learned entry after the station was last seen (>= 0)
     */
    explicit MacForwardingTable(Time agingTime = Seconds(300));

    /** \param agingTime lifetime of entries learned from now on (>= 0) */
    void SetAgingTime(Time agingTime);
    /** \return lifetime of a learned entry */
    Time GetAgingTime() const;

    /**
     * \brief Add (or replace) a permanent entry.
     * \param address station address (unicast or group)
     * \param vlan VLAN id
     * \param port port behind which it is
     */
    void AddStaticEntry(Mac48Address address, uint16_t vlan, uint32_t port);
    /**
     * \brief Learn that a source address is behind a port, now. Group addresses and static
     * entries are left alone.
     * \param address source address
     * \param vlan the frame's VLAN
     * \param port ingress port
     * \param now current time
     * \return what changed
     */
    LearnResult Learn(Mac48Address address, uint16_t vlan, uint32_t port, Time now);
    /**
     * \param address station address
     * \param vlan VLAN id
     * \param now current time
     * \param[out] port its port, if found
     * \return whether there is a valid entry (static, or learned and not aged out at \p now)
     */
    bool Lookup(Mac48Address address, uint16_t vlan, Time now, uint32_t& port) const;
    /**
     * \brief Remove an entry, static or learned.
     * \param address station address \param vlan VLAN id
     * \return whether there was one
     */
    bool Remove(Mac48Address address, uint16_t vlan);
    /** \brief Forget every learned entry (static entries stay). */
    void FlushLearned();
    /** \brief Forget every entry. */
    void Clear();
    /** \return entries in the table, aged ones not yet removed included */
    std::size_t GetNEntries() const;

  private:
    /** An entry. */
    struct Entry
    {
        uint32_t port;  //!< port behind which the station is
        Time expires;   //!< learned entry: valid until then
        bool permanent; //!< static entry
    };

    /**
     * \param address MAC address \param vlan VLAN id
     * \return the key: the address's 48 bits, then the 16-bit VLAN id
     */
    static uint64_t Key(Mac48Address address, uint16_t vlan);

    std::unordered_map<uint64_t, Entry> m_table; //!< the entries
    Time m_agingTime;                            //!< learned entries' lifetime
};

} // namespace ns3

#endif /* MAC_FORWARDING_TABLE_H */
