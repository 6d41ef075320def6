/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "power-of-two-checker.h"

#include "ns3/uinteger.h"

#include <string>

namespace ns3 {

namespace {

/** Accepts UintegerValues that are powers of two in [min, max]. */
class PowerOfTwoChecker : public AttributeChecker
{
  public:
    PowerOfTwoChecker(uint64_t min, uint64_t max)
        : m_min(min)
        , m_max(max)
    {
    }

    bool Check(const AttributeValue& value) const override
    {
        const auto* v = dynamic_cast<const UintegerValue*>(&value);
        if (v == nullptr)
        {
            return false;
        }
        const uint64_t x = v->Get();
        return x >= m_min && x <= m_max && (x & (x - 1)) == 0;
    }

    std::string GetValueTypeName() const override
    {
        return "ns3::UintegerValue";
    }

    bool HasUnderlyingTypeInformation() const override
    {
        return true;
    }

    std::string GetUnderlyingTypeInformation() const override
    {
        std::string s;
        for (uint64_t x = m_min; x <= m_max && x != 0; x *= 2)
        {
            s += (s.empty() ? "" : ", ") + std::to_string(x);
        }
        return "one of " + s;
    }

    Ptr<AttributeValue> Create() const override
    {
        return ns3::Create<UintegerValue>();
    }

    bool Copy(const AttributeValue& source, AttributeValue& destination) const override
    {
        const auto* src = dynamic_cast<const UintegerValue*>(&source);
        auto* dst = dynamic_cast<UintegerValue*>(&destination);
        if (src == nullptr || dst == nullptr)
        {
            return false;
        }
        *dst = *src;
        return true;
    }

  private:
    uint64_t m_min; //!< smallest allowed value
    uint64_t m_max; //!< largest allowed value
};

} // namespace

Ptr<const AttributeChecker>
MakePowerOfTwoChecker(uint64_t min, uint64_t max)
{
    return Ptr<const AttributeChecker>(new PowerOfTwoChecker(min, max), false);
}

} // namespace ns3
