/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "ns3/config.h"
#include "ns3/iommu.h"
#include "ns3/memory-domain.h"
#include "ns3/nstime.h"
#include "ns3/uinteger.h"

#include <gtest/gtest.h>

#include <numeric>
#include <string>
#include <vector>

using namespace ns3;

namespace {
constexpr uint64_t MIB = uint64_t{1} << 20;
// Host physical base used by the tests: 2 MiB aligned, with low bits set so that an address
// computed without subtracting it lands elsewhere.
constexpr uint64_t HPA = 0x456600000ULL;

Ptr<MemoryDomain>
MakeMemory(uint64_t size = 16 * MIB, uint64_t pageBytes = 4096)
{
    Ptr<MemoryDomain> mem = CreateObject<MemoryDomain>();
    mem->SetAttribute("SizeBytes", UintegerValue(size));
    mem->SetAttribute("PageSize", UintegerValue(pageBytes));
    return mem;
}

std::vector<uint8_t>
Ramp(size_t n, uint8_t seed)
{
    std::vector<uint8_t> v(n);
    for (size_t i = 0; i < n; i++)
    {
        v[i] = static_cast<uint8_t>(seed + i * 7);
    }
    return v;
}
} // namespace

TEST(MemoryDomainTest, RoundtripAcrossChunks)
{
    Ptr<MemoryDomain> mem = MakeMemory();
    // 100 bytes straddling one 4 KiB chunk boundary, and 10000 bytes spanning four chunks.
    std::vector<uint8_t> small = Ramp(100, 1);
    mem->Write(4096 - 50, small.data(), small.size());
    std::vector<uint8_t> back(small.size());
    mem->Read(4096 - 50, back.data(), back.size());
    EXPECT_EQ(back, small);

    std::vector<uint8_t> big = Ramp(10000, 3);
    mem->Write(3 * MIB + 4000, big.data(), big.size());
    std::vector<uint8_t> bigBack(big.size());
    mem->Read(3 * MIB + 4000, bigBack.data(), bigBack.size());
    EXPECT_EQ(bigBack, big);

    // The last byte of memory is reachable.
    uint8_t last = 0xAB;
    mem->Write(16 * MIB - 1, &last, 1);
    uint8_t got = 0;
    mem->Read(16 * MIB - 1, &got, 1);
    EXPECT_EQ(got, 0xAB);
}

TEST(MemoryDomainTest, UntouchedReadsZeroAndResidencyIsLazy)
{
    Ptr<MemoryDomain> mem = MakeMemory();
    EXPECT_EQ(mem->GetResidentBytes(), 0u);
    std::vector<uint8_t> buf(9000, 0xFF);
    mem->Read(5 * MIB + 123, buf.data(), buf.size());
    EXPECT_EQ(buf, std::vector<uint8_t>(9000, 0));
    EXPECT_EQ(mem->GetResidentBytes(), 0u); // reading allocates nothing

    uint8_t b = 1;
    mem->Write(10, &b, 1);
    EXPECT_EQ(mem->GetResidentBytes(), 4096u);
    mem->Write(20, &b, 1); // same chunk
    EXPECT_EQ(mem->GetResidentBytes(), 4096u);
    std::vector<uint8_t> two(8, 2);
    mem->Write(2 * 4096 - 4, two.data(), two.size()); // chunks 1 and 2
    EXPECT_EQ(mem->GetResidentBytes(), 3 * 4096u);

    // Untouched bytes of a touched chunk read zero too.
    uint8_t z = 0xFF;
    mem->Read(11, &z, 1);
    EXPECT_EQ(z, 0);
}

TEST(MemoryDomainTest, Fingerprint)
{
    Ptr<MemoryDomain> a = MakeMemory();
    Ptr<MemoryDomain> b = MakeMemory();
    EXPECT_EQ(a->Fingerprint(), b->Fingerprint());
    const uint64_t empty = a->Fingerprint();

    std::vector<uint8_t> x = Ramp(5000, 9);
    std::vector<uint8_t> y = Ramp(300, 77);
    a->Write(1000, x.data(), x.size());
    a->Write(8 * MIB, y.data(), y.size());
    b->Write(8 * MIB, y.data(), y.size()); // same contents, other order
    b->Write(1000, x.data(), x.size());
    EXPECT_EQ(a->Fingerprint(), b->Fingerprint());
    EXPECT_NE(a->Fingerprint(), empty);

    // Zeros written into an untouched chunk allocate it but do not change the contents.
    const uint64_t before = b->Fingerprint();
    std::vector<uint8_t> zeros(4096, 0);
    b->Write(12 * MIB, zeros.data(), zeros.size());
    EXPECT_GT(b->GetResidentBytes(), a->GetResidentBytes());
    EXPECT_EQ(b->Fingerprint(), before);

    // One changed byte changes the hash; the same byte at another address gives another hash.
    uint8_t one = 1;
    b->Write(12 * MIB + 5, &one, 1);
    const uint64_t here = b->Fingerprint();
    EXPECT_NE(here, before);
    a->Write(12 * MIB + 6, &one, 1);
    EXPECT_NE(a->Fingerprint(), here);
    // Writing it back to zero restores the original hash.
    uint8_t zero = 0;
    b->Write(12 * MIB + 5, &zero, 1);
    EXPECT_EQ(b->Fingerprint(), before);

    // The same chunk contents at another chunk address are other contents.
    Ptr<MemoryDomain> c = MakeMemory();
    Ptr<MemoryDomain> e = MakeMemory();
    std::vector<uint8_t> page = Ramp(4096, 11);
    c->Write(3 * 4096, page.data(), page.size());
    e->Write(4 * 4096, page.data(), page.size());
    EXPECT_NE(c->Fingerprint(), e->Fingerprint());
}

TEST(MemoryDomainTest, WriteHpaLandsAtGuestAddress)
{
    Ptr<MemoryDomain> mem = MakeMemory();
    mem->Attach(nullptr, HPA);
    EXPECT_EQ(mem->GetHpaBase(), HPA);
    EXPECT_TRUE(mem->ContainsHpa(HPA));
    EXPECT_TRUE(mem->ContainsHpa(HPA + 16 * MIB - 1));
    EXPECT_FALSE(mem->ContainsHpa(HPA + 16 * MIB));
    EXPECT_FALSE(mem->ContainsHpa(HPA - 1));

    std::vector<uint8_t> frame = Ramp(1514, 5);
    mem->WriteHpa(HPA + 0x5000 - 10, frame.data(), frame.size());
    std::vector<uint8_t> back(frame.size());
    mem->Read(0x5000 - 10, back.data(), back.size());
    EXPECT_EQ(back, frame);
    std::vector<uint8_t> viaHpa(frame.size());
    mem->ReadHpa(HPA + 0x5000 - 10, viaHpa.data(), viaHpa.size());
    EXPECT_EQ(viaHpa, frame);
    EXPECT_EQ(mem->GetDeviceBytesWritten(), 1514u);
    mem->Write(0, frame.data(), 10); // guest writes are not device writes
    EXPECT_EQ(mem->GetDeviceBytesWritten(), 1514u);
}

TEST(MemoryDomainTest, AttachMapsIntoIommu)
{
    Ptr<Iommu> iommu = CreateObject<Iommu>();
    Ptr<MemoryDomain> small = MakeMemory(16 * MIB, 4096);
    Ptr<MemoryDomain> huge = MakeMemory(64 * MIB, 2 * MIB);
    small->Attach(iommu, HPA);
    huge->Attach(iommu, 2 * HPA);
    EXPECT_NE(small->GetIommuDomain(), huge->GetIommuDomain());
    EXPECT_EQ(huge->GetPageBytes(), 2 * MIB);

    const Time now = MicroSeconds(1);
    Iommu::Translation t = iommu->Translate(small->GetIommuDomain(), 0x12345, true, now);
    EXPECT_FALSE(t.fault);
    EXPECT_EQ(t.hpa, HPA + 0x12345);
    EXPECT_EQ(t.pageBytes, 4096u);
    EXPECT_TRUE(small->ContainsHpa(t.hpa));
    EXPECT_TRUE(iommu->Translate(small->GetIommuDomain(), 16 * MIB, false, now).fault);

    Iommu::Translation h = iommu->Translate(huge->GetIommuDomain(), 63 * MIB, true, now);
    EXPECT_FALSE(h.fault);
    EXPECT_EQ(h.hpa, 2 * HPA + 63 * MIB);
    EXPECT_EQ(h.pageBytes, 2 * MIB);
}

TEST(MemoryDomainTest, Allocate)
{
    Ptr<MemoryDomain> mem = MakeMemory(4 * MIB);
    mem->SetAttribute("AllocationBase", UintegerValue(MIB));
    uint64_t a = mem->Allocate(100, 64);
    EXPECT_EQ(a, MIB);
    uint64_t b = mem->Allocate(10, 4096);
    EXPECT_EQ(b, MIB + 4096);
    uint64_t c = mem->Allocate(1, 1);
    EXPECT_EQ(c, MIB + 4096 + 10);
    uint64_t d = mem->Allocate(8, 256);
    EXPECT_EQ(d % 256, 0u);
    EXPECT_GT(d, c);
    // The rest of memory exactly fits; one more byte does not.
    uint64_t rest = mem->Allocate(4 * MIB - (d + 8), 1);
    EXPECT_EQ(rest, d + 8);
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_DEATH(mem->Allocate(1, 1), "exhausted");
}

TEST(MemoryDomainDeathTest, InvalidUseAborts)
{
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_DEATH(
        {
            Ptr<MemoryDomain> mem = MakeMemory(MIB);
            uint8_t b[8];
            mem->Read(MIB - 4, b, 8);
        },
        "outside guest memory");
    EXPECT_DEATH(
        {
            Ptr<MemoryDomain> mem = MakeMemory(MIB);
            uint8_t b[8] = {};
            mem->Write(MIB, b, 1);
        },
        "outside guest memory");
    EXPECT_DEATH(
        {
            Ptr<MemoryDomain> mem = MakeMemory(MIB, 8192);
            mem->Attach(nullptr, HPA);
        },
        "PageSize");
    EXPECT_DEATH(
        {
            Ptr<MemoryDomain> mem = MakeMemory(3 * MIB, 2 * MIB);
            mem->Attach(CreateObject<Iommu>(), HPA);
        },
        "multiple");
    EXPECT_DEATH(
        {
            Ptr<MemoryDomain> mem = MakeMemory(MIB);
            mem->Attach(nullptr, HPA + 100);
        },
        "aligned");
    EXPECT_DEATH(
        {
            Ptr<MemoryDomain> mem = MakeMemory(MIB);
            mem->Attach(nullptr, HPA);
            uint8_t b[2] = {};
            mem->WriteHpa(HPA + MIB - 1, b, 2);
        },
        "outside this memory");
    EXPECT_DEATH(
        {
            Ptr<MemoryDomain> mem = MakeMemory(MIB);
            mem->Allocate(8, 3);
        },
        "power of two");
}

TEST(MemoryDomainTest, InvalidAttributesAreRefused)
{
    auto refused = [](const std::string& name, const AttributeValue& value)
    {
        Ptr<MemoryDomain> memory = CreateObject<MemoryDomain>();
        return !memory->SetAttributeFailSafe(name, value)
            && !Config::SetDefaultFailSafe("ns3::MemoryDomain::" + name, value);
    };
    EXPECT_TRUE(refused("SizeBytes", UintegerValue(0)));
    EXPECT_TRUE(refused("PageSize", UintegerValue(0)));
    EXPECT_TRUE(refused("PageSize", UintegerValue(8192)));
    EXPECT_TRUE(refused("PageSize", UintegerValue(4 << 20)));
    Ptr<MemoryDomain> memory = CreateObject<MemoryDomain>();
    EXPECT_TRUE(memory->SetAttributeFailSafe("PageSize", UintegerValue(2097152)));
    EXPECT_TRUE(memory->SetAttributeFailSafe("PageSize", UintegerValue(1073741824)));
}
