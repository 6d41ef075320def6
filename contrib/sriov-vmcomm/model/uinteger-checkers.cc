/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "uinteger-checkers.h"

#include "ns3/uinteger.h"

#include <string>
#include <utility>

namespace ns3 {

namespace {

/** Accepts the UintegerValues a predicate accepts. */
class PredicateChecker : public AttributeChecker
{
  public:
    /**
     * \param accepts the predicate
     * \param allowed what it allows, for messages
     */
    PredicateChecker(std::function<bool(uint64_t)> accepts, std::string allowed)
        : m_accepts(std::move(accepts))
        , m_allowed(std::move(allowed))
    {
    }

    bool Check(const AttributeValue& value) const override
    {
        const auto* v = dynamic_cast<const UintegerValue*>(&value);
        return v != nullptr && m_accepts(v->Get());
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
        return m_allowed;
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
    std::function<bool(uint64_t)> m_accepts; //!< the predicate
    std::string m_allowed;                   //!< what it allows
};

} // namespace

Ptr<const AttributeChecker>
MakeUintegerCheckerIf(std::function<bool(uint64_t)> accepts, const std::string& allowed)
{
    return Ptr<const AttributeChecker>(new PredicateChecker(std::move(accepts), allowed), false);
}

Ptr<const AttributeChecker>
MakePowerOfTwoChecker(uint64_t min, uint64_t max)
{
    std::string allowed;
    for (uint64_t x = min; x <= max && x != 0; x *= 2)
    {
        allowed += (allowed.empty() ? "" : ", ") + std::to_string(x);
    }
    return MakeUintegerCheckerIf(
        [min, max](uint64_t x)
        {
            return x >= min && x <= max && (x & (x - 1)) == 0;
        },
        "one of " + allowed);
}

} // namespace ns3
