/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * A guard that gives back the process-wide defaults a test changes: every attribute's initial
 * value (Config::SetDefault, presets, an Experiment's TCP settings) and every GlobalValue (among
 * them RngSeed and RngRun, which RngSeedManager::SetSeed and SetRun set).
 */
#ifndef VMCOMM_TEST_UTIL_H
#define VMCOMM_TEST_UTIL_H

#include "ns3/attribute.h"
#include "ns3/global-value.h"
#include "ns3/ptr.h"
#include "ns3/type-id.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

/**
 * Snapshots the defaults when constructed and restores, when destroyed, those that changed
 * meanwhile, so that a test leaves the process as it found it (ctest runs each test case in its
 * own process; running a test program directly runs them all in one).
 *
 *   TEST(Foo, Bar)
 *   {
 *       GlobalDefaultsGuard restore;
 *       Config::SetDefault("ns3::PcieLink::Lanes", UintegerValue(16));
 *       RngSeedManager::SetSeed(7);
 *       ...
 *   } // Lanes, RngSeed back to what they were
 *
 * A test fixture can hold one as a member: it restores after TearDown.
 */
class GlobalDefaultsGuard
{
  public:
    GlobalDefaultsGuard()
    {
        for (uint16_t t = 0; t < ns3::TypeId::GetRegisteredN(); ++t)
        {
            const ns3::TypeId tid = ns3::TypeId::GetRegistered(t);
            for (std::size_t i = 0; i < tid.GetAttributeN(); ++i)
            {
                // Config::SetDefault installs a new value object: pointer identity tells a change.
                m_attributes.push_back({tid, i, tid.GetAttribute(i).initialValue});
            }
        }
        for (auto it = ns3::GlobalValue::Begin(); it != ns3::GlobalValue::End(); ++it)
        {
            ns3::Ptr<ns3::AttributeValue> value = (*it)->GetChecker()->Create();
            (*it)->GetValue(*value);
            m_globals.emplace_back(*it, value);
        }
    }

    ~GlobalDefaultsGuard()
    {
        for (auto& [tid, i, value] : m_attributes)
        {
            if (tid.GetAttribute(i).initialValue != value)
            {
                tid.SetAttributeInitialValue(i, value);
            }
        }
        for (auto& [global, saved] : m_globals)
        {
            ns3::Ptr<const ns3::AttributeChecker> checker = global->GetChecker();
            ns3::Ptr<ns3::AttributeValue> now = checker->Create();
            global->GetValue(*now);
            if (now->SerializeToString(checker) != saved->SerializeToString(checker))
            {
                global->SetValue(*saved);
            }
        }
    }

    GlobalDefaultsGuard(const GlobalDefaultsGuard&) = delete;
    GlobalDefaultsGuard& operator=(const GlobalDefaultsGuard&) = delete;

  private:
    /** An attribute's initial value as it was. */
    struct Attribute
    {
        ns3::TypeId tid;                             //!< its type
        std::size_t index;                           //!< its index in the type
        ns3::Ptr<const ns3::AttributeValue> initial; //!< the initial value then
    };

    std::vector<Attribute> m_attributes; //!< every attribute of every registered type
    std::vector<std::pair<ns3::GlobalValue*, ns3::Ptr<ns3::AttributeValue>>>
        m_globals; //!< every global value then
};

#endif /* VMCOMM_TEST_UTIL_H */
