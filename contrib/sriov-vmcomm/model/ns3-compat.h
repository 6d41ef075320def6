/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef NS3_COMPAT_H
#define NS3_COMPAT_H

/**
 * \file
 * \ingroup sriov-vmcomm
 * The ns-3 API differences between the releases this module supports (3.37 to 3.48), in one place:
 * the model calls these instead of the changed ns-3 calls, and no other file tests the ns-3
 * version. Each entry names the release that changed the API (ns-3's CHANGES.md).
 */

#include "ns3/enum.h"
#include "ns3/event-id.h"
#include "ns3/udp-client-server-helper.h"
#include "ns3/udp-client.h"
#include "ns3/uinteger.h"

// ns-3's version macros: ns-3 installs version-defines.h (Debian's packages do; an ns-3 tree
// generates it with --enable-build-version); otherwise the build passes the version it found.
#if __has_include("ns3/version-defines.h")
#    include "ns3/version-defines.h"
#endif
#if defined(NS3_VERSION_MAJOR) && defined(NS3_VERSION_MINOR)
#    define VMCOMM_NS3_VERSION (NS3_VERSION_MAJOR * 100 + NS3_VERSION_MINOR)
#elif defined(VMCOMM_NS3_VERSION_MAJOR) && defined(VMCOMM_NS3_VERSION_MINOR)
#    define VMCOMM_NS3_VERSION (VMCOMM_NS3_VERSION_MAJOR * 100 + VMCOMM_NS3_VERSION_MINOR)
#else
#    error \
        "sriov-vmcomm: ns-3 version unknown: no ns3/version-defines.h and no VMCOMM_NS3_VERSION_MINOR"
#endif
#if VMCOMM_NS3_VERSION < 337
#    error "sriov-vmcomm needs ns-3 3.37 or newer"
#endif

namespace ns3 {
namespace compat {

#if VMCOMM_NS3_VERSION >= 341
/**
 * The attribute value type holding an enum of type \p T (a class template since ns-3.41, a single
 * int-holding class before).
 */
template<typename T>
using EnumValueOf = EnumValue<T>;

/**
 * MakeEnumAccessor for an enum data member: since ns-3.41 it needs the enum type, deduced here.
 * \param member the data member
 * \return the accessor
 */
template<typename C, typename T>
Ptr<const AttributeAccessor>
MakeEnumAccessor(T C::*member)
{
    return ns3::MakeEnumAccessor<T>(member);
}

/**
 * MakeEnumAccessor for an enum set and got by methods: since ns-3.41 it needs the enum type,
 * deduced here from the getter.
 * \param setter the setter \param getter the getter
 * eturn the accessor
 */
template<typename C, typename T>
Ptr<const AttributeAccessor>
MakeEnumAccessor(void (C::*setter)(T), T (C::*getter)() const)
{
    return ns3::MakeEnumAccessor<T>(setter, getter);
}
#else
template<typename T>
using EnumValueOf = EnumValue;

template<typename C, typename T>
Ptr<const AttributeAccessor>
MakeEnumAccessor(T C::*member)
{
    return ns3::MakeEnumAccessor(member);
}

template<typename C, typename T>
Ptr<const AttributeAccessor>
MakeEnumAccessor(void (C::*setter)(T), T (C::*getter)() const)
{
    return ns3::MakeEnumAccessor(setter, getter);
}
#endif

/**
 * Whether \p event is scheduled and neither run nor cancelled yet (EventId::IsRunning, renamed
 * IsPending in ns-3.42; IsRunning was removed later).
 * \param event the event
 * \return true while the event is pending
 */
inline bool
IsPending(const EventId& event)
{
#if VMCOMM_NS3_VERSION >= 342
    return event.IsPending();
#else
    return event.IsRunning();
#endif
}

/**
 * A UdpClientHelper aimed where \p client sends (attributes RemoteAddress and RemotePort, merged
 * into Remote, an InetSocketAddress, in ns-3.44).
 * \param client the client
 * \return the helper, with default attributes otherwise
 */
inline UdpClientHelper
UdpClientHelperTo(Ptr<UdpClient> client)
{
    AddressValue remote;
#if VMCOMM_NS3_VERSION >= 344
    client->GetAttribute("Remote", remote);
    return UdpClientHelper(remote.Get());
#else
    UintegerValue port;
    client->GetAttribute("RemoteAddress", remote);
    client->GetAttribute("RemotePort", port);
    return UdpClientHelper(remote.Get(), port.Get());
#endif
}

} // namespace compat
} // namespace ns3

#endif /* NS3_COMPAT_H */
