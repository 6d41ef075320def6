/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * A checker for a UintegerValue attribute that must be a power of two in [min, max] (PCIe link
 * widths, payload and request sizes) (see uinteger-checkers.h).
 */
#include "uinteger-checkers.h"

#include "ns3/data-rate.h"
#include "ns3/uinteger.h"

#include <string>
#include <utility>

namespace ns3 {

namespace {

/**
 * Accepts the values of type V (an AttributeValue with Get()) a predicate accepts.
 * \tparam V the value class
 * \tparam T what V holds
 */
template<typename V, typename T>
class PredicateChecker : public AttributeChecker
{
  public:
    /**
     * \param accepts the predicate
     * \param allowed what it allows, for messages
     */
    PredicateChecker(std::function<bool(T)> accepts, std::string allowed, std::string typeName)
        : m_accepts(std::move(accepts))
        , m_allowed(std::move(allowed))
        , m_typeName(std::move(typeName))
    {
    }

    bool Check(const AttributeValue& value) const override
    {
        const auto* v = dynamic_cast<const V*>(&value);
        return v != nullptr && m_accepts(v->Get());
    }

    std::string GetValueTypeName() const override
    {
        return m_typeName;
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
        return ns3::Create<V>();
    }

    bool Copy(const AttributeValue& source, AttributeValue& destination) const override
    {
        const auto* src = dynamic_cast<const V*>(&source);
        auto* dst = dynamic_cast<V*>(&destination);
        if (src == nullptr || dst == nullptr)
        {
            return false;
        }
        *dst = *src;
        return true;
    }

  private:
    std::function<bool(T)> m_accepts; //!< the predicate
    std::string m_allowed;            //!< what it allows
    std::string m_typeName;           //!< V's name
};

} // namespace

Ptr<const AttributeChecker>
MakeUintegerCheckerIf(std::function<bool(uint64_t)> accepts, const std::string& allowed)
{
    return Ptr<const AttributeChecker>(new PredicateChecker<UintegerValue, uint64_t>(
                                           std::move(accepts), allowed, "ns3::UintegerValue"),
                                       false);
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

Ptr<const AttributeChecker>
MakePositiveDataRateChecker()
{
    return Ptr<const AttributeChecker>(new PredicateChecker<DataRateValue, DataRate>(
                                           [](DataRate rate)
                                           {
                                               return rate.GetBitRate() > 0;
                                           },
                                           "a rate above 0 bit/s", "ns3::DataRateValue"),
                                       false);
}

} // namespace ns3
