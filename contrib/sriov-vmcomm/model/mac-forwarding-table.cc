/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * A learning bridge's forwarding table keyed by (MAC address, VLAN id) (see
 * mac-forwarding-table.h).
 */
// The MAC forwarding table of a learning bridge (EthernetSwitch, VirtualSwitch): see
// mac-forwarding-table.h.
#include "mac-forwarding-table.h"

#include "ns3/abort.h"
#include "ns3/log.h"

namespace ns3 {

NS_LOG_COMPONENT_DEFINE("MacForwardingTable");

MacForwardingTable::MacForwardingTable(Time agingTime)
{
    SetAgingTime(agingTime);
}

void
MacForwardingTable::SetAgingTime(Time agingTime)
{
    NS_ABORT_MSG_IF(agingTime.IsStrictlyNegative(),
                    "MacForwardingTable: negative aging time " << agingTime);
    m_agingTime = agingTime;
}

Time
MacForwardingTable::GetAgingTime() const
{
    return m_agingTime;
}

uint64_t
MacForwardingTable::Key(Mac48Address address, uint16_t vlan)
{
    uint8_t b[6];
    address.CopyTo(b);
    uint64_t k = 0;
    for (uint8_t x : b)
    {
        k = k << 8 | x;
    }
    return k << 16 | vlan;
}

void
MacForwardingTable::AddStaticEntry(Mac48Address address, uint16_t vlan, uint32_t port)
{
    NS_LOG_FUNCTION(this << address << vlan << port);
    m_table[Key(address, vlan)] = Entry{port, Time::Max(), true};
}

MacForwardingTable::LearnResult
MacForwardingTable::Learn(Mac48Address address, uint16_t vlan, uint32_t port, Time now)
{
    NS_LOG_FUNCTION(this << address << vlan << port);
    if (address.IsGroup())
    {
        return LEARN_IGNORED;
    }
    auto [it, inserted] = m_table.try_emplace(Key(address, vlan), Entry{port, Time(0), false});
    Entry& e = it->second;
    if (e.permanent)
    {
        return LEARN_IGNORED;
    }
    LearnResult result = LEARN_REFRESHED;
    // A station that moved, or whose entry aged out, is (re)learned.
    if (inserted || e.port != port || e.expires <= now)
    {
        e.port = port;
        result = LEARN_NEW;
    }
    e.expires = now + m_agingTime;
    return result;
}

bool
MacForwardingTable::Lookup(Mac48Address address, uint16_t vlan, Time now, uint32_t& port) const
{
    auto it = m_table.find(Key(address, vlan));
    if (it == m_table.end() || (!it->second.permanent && it->second.expires <= now))
    {
        return false;
    }
    port = it->second.port;
    return true;
}

bool
MacForwardingTable::Remove(Mac48Address address, uint16_t vlan)
{
    NS_LOG_FUNCTION(this << address << vlan);
    return m_table.erase(Key(address, vlan)) > 0;
}

void
MacForwardingTable::FlushLearned()
{
    NS_LOG_FUNCTION(this);
    for (auto it = m_table.begin(); it != m_table.end();)
    {
        it = it->second.permanent ? std::next(it) : m_table.erase(it);
    }
}

void
MacForwardingTable::Clear()
{
    NS_LOG_FUNCTION(this);
    m_table.clear();
}

std::size_t
MacForwardingTable::GetNEntries() const
{
    return m_table.size();
}

} // namespace ns3
