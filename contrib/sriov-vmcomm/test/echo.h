/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * A UDP echo exchange between two nodes with an Internet stack, for the tests.
 */
#ifndef VMCOMM_TEST_ECHO_H
#define VMCOMM_TEST_ECHO_H

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/network-module.h"

/**
 * Echo \p packets UDP packets from \p client to \p server (reached at \p address), \p interval
 * apart from \p start, and run the simulation until \p stop. Keep \p interval above ARP's
 * RequestJitter (10 ms): packets sent while an ARP request waits its jitter queue in ArpCache
 * (PendingQueueSize 3), and one more is dropped.
 * \return the echoes the client received
 */
inline uint32_t
RunEcho(ns3::Ptr<ns3::Node> client, ns3::Ptr<ns3::Node> server, ns3::Address address,
        uint32_t packets, ns3::Time interval, ns3::Time start, ns3::Time stop)
{
    using namespace ns3;
    UdpEchoServerHelper echoServer(9);
    echoServer.Install(server);
    UdpEchoClientHelper echoClient(address, 9);
    echoClient.SetAttribute("MaxPackets", UintegerValue(packets));
    echoClient.SetAttribute("Interval", TimeValue(interval));
    ApplicationContainer c = echoClient.Install(client);
    c.Start(start);
    uint32_t echoes = 0;
    c.Get(0)->TraceConnectWithoutContext("Rx", MakeBoundCallback(
                                                   +[](uint32_t* n, Ptr<const Packet>)
                                                   {
                                                       ++*n;
                                                   },
                                                   &echoes));
    Simulator::Stop(stop);
    Simulator::Run();
    return echoes;
}

#endif /* VMCOMM_TEST_ECHO_H */
