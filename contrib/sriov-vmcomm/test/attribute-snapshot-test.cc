/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Tests of CollectAttributeDefaults (experiment/attribute-snapshot.h), the run_params snapshot.
 */
#include "ns3/attribute-snapshot.h"
#include "ns3/boolean.h"
#include "ns3/config.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/string.h"
#include "ns3/type-id.h"
#include "ns3/udp-socket.h"
#include "ns3/uinteger.h"
#include "test-util.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>

using namespace ns3;

TEST(CollectAttributeDefaults, ReflectsSetDefault)
{
    const TypeId udp = UdpSocket::GetTypeId();
    const std::string group = udp.GetGroupName();
    ASSERT_FALSE(group.empty());
    const auto before = CollectAttributeDefaults(group);
    {
        // Restores every default and the seeds at the end of the scope, even after a failed ASSERT.
        GlobalDefaultsGuard restore;
        Config::SetDefault("ns3::UdpSocket::RcvBufSize", UintegerValue(424242));
        Config::SetDefault("ns3::UdpSocket::MtuDiscover", BooleanValue(false));
        RngSeedManager::SetSeed(17);
        RngSeedManager::SetRun(5);

        const auto params = CollectAttributeDefaults(group);
        std::map<std::string, std::string> byName(params.begin(), params.end());
        EXPECT_EQ(byName.size(), params.size()) << "duplicate names";
        EXPECT_TRUE(std::is_sorted(params.begin(), params.end()));
        EXPECT_EQ(byName["ns3::UdpSocket::RcvBufSize"], "424242");
        EXPECT_EQ(byName["ns3::UdpSocket::MtuDiscover"], "false");
        EXPECT_EQ(byName["RngSeed"], "17");
        EXPECT_EQ(byName["RngRun"], "5");
        for (const auto& [name, value] : params)
        {
            const bool global = name.rfind("ns3::", 0) != 0;
            if (!global)
            {
                TypeId tid;
                const std::string type = name.substr(0, name.rfind("::"));
                ASSERT_TRUE(TypeId::LookupByNameFailSafe(type, &tid)) << name;
                EXPECT_EQ(tid.GetGroupName(), group) << name;
            }
        }

        // Every group: must not crash, and pointer attributes come out as factory strings.
        const auto everything = CollectAttributeDefaults("");
        EXPECT_GT(everything.size(), params.size());
        std::map<std::string, std::string> all(everything.begin(), everything.end());
        for (const auto& [name, value] : all)
        {
            EXPECT_EQ(value.find("0x"), std::string::npos) << name << " = " << value;
        }
    }
    EXPECT_EQ(CollectAttributeDefaults(group), before);
}
