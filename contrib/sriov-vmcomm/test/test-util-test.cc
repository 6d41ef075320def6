/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * test-util.h: GlobalDefaultsGuard gives back the attribute defaults and global values (seeds)
 * a test changed, and leaves alone those it did not.
 */
#include "ns3/config.h"
#include "ns3/iommu.h"
#include "ns3/pcie-link.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/string.h"
#include "ns3/type-id.h"
#include "ns3/uinteger.h"
#include "test-util.h"

#include <gtest/gtest.h>

#include <string>

using namespace ns3;

namespace {

/** \param name ns3::Type::Attribute \return its current default as text */
std::string
Default(const std::string& name)
{
    const std::size_t sep = name.rfind("::");
    TypeId::AttributeInformation info;
    EXPECT_TRUE(TypeId::LookupByName(name.substr(0, sep))
                    .LookupAttributeByName(name.substr(sep + 2), &info));
    return info.initialValue->SerializeToString(info.checker);
}

} // namespace

TEST(GlobalDefaultsGuard, RestoresDefaultsAndSeeds)
{
    // Registers the types (the test would not otherwise link to the module's library).
    PcieLink::GetTypeId();
    Iommu::GetTypeId();
    const std::string lanes = Default("ns3::PcieLink::Lanes");
    const std::string entries = Default("ns3::Iommu::IotlbEntries");
    const uint32_t seed = RngSeedManager::GetSeed();
    const uint64_t run = RngSeedManager::GetRun();
    {
        GlobalDefaultsGuard restore;
        Config::SetDefault("ns3::PcieLink::Lanes", UintegerValue(lanes == "16" ? 4 : 16));
        Config::SetDefault("ns3::Iommu::IotlbEntries", StringValue("7"));
        RngSeedManager::SetSeed(seed + 11);
        RngSeedManager::SetRun(run + 5);
        EXPECT_NE(Default("ns3::PcieLink::Lanes"), lanes);
        EXPECT_EQ(Default("ns3::Iommu::IotlbEntries"), "7");
        EXPECT_EQ(RngSeedManager::GetSeed(), seed + 11);
        EXPECT_EQ(RngSeedManager::GetRun(), run + 5);
    }
    EXPECT_EQ(Default("ns3::PcieLink::Lanes"), lanes);
    EXPECT_EQ(Default("ns3::Iommu::IotlbEntries"), entries);
    EXPECT_EQ(RngSeedManager::GetSeed(), seed);
    EXPECT_EQ(RngSeedManager::GetRun(), run);
}

TEST(GlobalDefaultsGuard, KeepsWhatWasSetBeforeIt)
{
    PcieLink::GetTypeId();
    GlobalDefaultsGuard outer;
    Config::SetDefault("ns3::PcieLink::Generation", UintegerValue(4));
    {
        GlobalDefaultsGuard inner;
        Config::SetDefault("ns3::PcieLink::Generation", UintegerValue(5));
    }
    EXPECT_EQ(Default("ns3::PcieLink::Generation"), "4");
}
