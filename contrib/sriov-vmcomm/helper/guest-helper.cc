/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The choice of guest (kernel or DPDK) and the helper that gives each VM its GuestOs (see
 * guest-helper.h).
 */
#include "guest-helper.h"

#include "enum-names.h"
#include "ns3/guest-os.h"
#include "ns3/node.h"
#include "ns3/string.h"

#include <utility>

namespace ns3 {

namespace {

/** The guests' names, as --guest takes them. */
const std::pair<GuestKind, const char*> GUESTS[] = {
    {GuestKind::KERNEL, "kernel"},
    {GuestKind::DPDK, "dpdk"},
};

} // namespace

std::vector<std::string>
GetGuestKindNames()
{
    return enumnames::Names(GUESTS);
}

std::string
ToString(GuestKind kind)
{
    return enumnames::Name(GUESTS, kind);
}

bool
ParseGuestKind(const std::string& name, GuestKind* kind)
{
    return enumnames::Parse(GUESTS, name, kind);
}

GuestHelper::GuestHelper()
    : m_kind(GuestKind::KERNEL)
{
    m_factory.SetTypeId(GuestOs::GetTypeId());
}

void
GuestHelper::SetGuest(GuestKind kind)
{
    m_kind = kind;
    m_factory.Set("Stack", StringValue(kind == GuestKind::DPDK ? "Dpdk" : "Kernel"));
}

GuestKind
GuestHelper::GetGuest() const
{
    return m_kind;
}

void
GuestHelper::SetAttribute(std::string n, const AttributeValue& v)
{
    m_factory.Set(n, v);
}

Ptr<GuestOs>
GuestHelper::Install(Ptr<Node> vm) const
{
    Ptr<GuestOs> guest = vm->GetObject<GuestOs>();
    if (!guest)
    {
        guest = m_factory.Create<GuestOs>();
        vm->AggregateObject(guest);
    }
    return guest;
}

void
GuestHelper::Install(NodeContainer vms) const
{
    for (uint32_t i = 0; i < vms.GetN(); ++i)
    {
        Install(vms.Get(i));
    }
}

} // namespace ns3
