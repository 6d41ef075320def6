/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Raw frames between the VMs of one host, for the tests of its NICs: a sink on every VM that
 * counts them, and a send at a given time.
 */
#ifndef VMCOMM_TEST_HOST_FRAMES_H
#define VMCOMM_TEST_HOST_FRAMES_H

#include "ns3/host.h"
#include "ns3/net-device.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/vf-net-device.h"

#include <cstdint>
#include <vector>

namespace vmcomm_test {

/** EtherType of the test frames (IEEE 802 local experimental 1). */
constexpr uint16_t ETHERTYPE = 0x88b5;

/** Frames each VM's node receives for ETHERTYPE, and when the last arrived. */
struct Sinks
{
    std::vector<uint32_t> frames;  //!< per VM
    std::vector<ns3::Time> lastAt; //!< per VM

    /** \param host the host whose VMs listen */
    explicit Sinks(ns3::Ptr<ns3::Host> host)
        : frames(host->GetNVms(), 0)
        , lastAt(host->GetNVms())
    {
        for (uint32_t i = 0; i < host->GetNVms(); ++i)
        {
            host->GetVm(i)->RegisterProtocolHandler(
                ns3::MakeCallback(&Sinks::Receive, this).Bind(i), ETHERTYPE, nullptr);
        }
    }

    /** Protocol handler of VM \p vm. */
    void Receive(uint32_t vm, ns3::Ptr<ns3::NetDevice>, ns3::Ptr<const ns3::Packet>, uint16_t,
                 const ns3::Address&, const ns3::Address&, ns3::NetDevice::PacketType)
    {
        ++frames[vm];
        lastAt[vm] = ns3::Simulator::Now();
    }
};

/** Send \p size payload bytes from VM \p from to VM \p to of \p host at \p at. */
inline void
SendAt(ns3::Ptr<ns3::Host> host, uint32_t from, uint32_t to, uint32_t size, ns3::Time at)
{
    ns3::Simulator::Schedule(at,
                             [host, from, to, size]()
                             {
                                 host->GetVf(from)->Send(ns3::Create<ns3::Packet>(size),
                                                         host->GetVf(to)->GetAddress(), ETHERTYPE);
                             });
}

} // namespace vmcomm_test

#endif /* VMCOMM_TEST_HOST_FRAMES_H */
