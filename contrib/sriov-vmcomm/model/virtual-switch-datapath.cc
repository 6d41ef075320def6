/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * VirtualSwitch's per-frame path: the forwarding decision and its table, what a frame costs the
 * core or worker that handles it, and its output at the end of a batch (see virtual-switch.h).
 */
// What the switch does to each frame: Decide() from the learning table (LookUp, Learn, static
// entries), ClassifyFrame() and PortCycles() (the cost model of doc/vswitch.md, "Calibration"),
// FinishBatch() and Output() (learning, flooding, delivery to a VM port or an uplink) and Drop().
// The switch's ports, attributes and statistics are in virtual-switch.cc.
#include "ns3/abort.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "virtual-switch.h"

#include <algorithm>
#include <cmath>

namespace ns3 {

NS_LOG_COMPONENT_DEFINE("VirtualSwitchDatapath");

void
VirtualSwitch::AddStaticEntry(Mac48Address address, uint32_t port)
{
    NS_LOG_FUNCTION(this << address << port);
    NS_ABORT_MSG_IF(port >= m_ports.size(), "VirtualSwitch::AddStaticEntry: no port " << port);
    m_table.AddStaticEntry(address, MacForwardingTable::NO_VLAN, port);
}

uint32_t
VirtualSwitch::LookUp(Mac48Address address) const
{
    uint32_t port;
    return m_table.Lookup(address, MacForwardingTable::NO_VLAN, Simulator::Now(), port) ? port
                                                                                        : PORT_NONE;
}

void
VirtualSwitch::Learn(Mac48Address address, uint32_t port)
{
    m_table.Learn(address, MacForwardingTable::NO_VLAN, port, Simulator::Now());
}

uint32_t
VirtualSwitch::Decide(const VswitchFrame& frame) const
{
    NS_LOG_FUNCTION(this << frame.inPort << frame.src << frame.dst);
    if (frame.dst.IsGroup())
    {
        return PORT_FLOOD;
    }
    uint32_t port = LookUp(frame.dst);
    if (port != PORT_NONE)
    {
        return port == frame.inPort ? PORT_NONE : port;
    }
    // Unknown unicast: a learning switch floods; what an uplink brings is not for us.
    return m_ports[frame.inPort].uplink ? PORT_NONE : PORT_FLOOD;
}

double
VirtualSwitch::PortCycles(uint32_t port, bool rx, uint32_t length) const
{
    const VswitchCoreScheduler::Parameters& p = m_scheduler.GetParameters();
    if (m_ports[port].vm)
    {
        // vhost: descriptor handling plus the copy between guest memory and the switch's buffer.
        return (rx ? p.vmPortRxCycles : p.vmPortTxCycles) + length * p.cyclesPerByte;
    }
    // The uplink NIC (or a representor): the NIC moves the bytes by DMA, the core only handles
    // descriptors.
    return rx ? p.nicPortRxCycles : p.nicPortTxCycles;
}

double
VirtualSwitch::ClassifyFrame(VswitchFrame& f, uint32_t port)
{
    NS_LOG_FUNCTION(this << port);
    f.inPort = port;
    if (m_learning)
    {
        Learn(f.src, port);
    }
    f.outPort = Decide(f);
    const VswitchCoreScheduler::Parameters& p = m_scheduler.GetParameters();
    double cycles = p.cyclesPerPacket + PortCycles(port, true, f.length);
    if (f.written && m_ports[port].vm)
    {
        cycles += p.modifiedLineCycles; // the header line, Modified in the guest's core
    }
    if (f.outPort == PORT_FLOOD)
    {
        // A flooded frame is copied to every other port of the datapath (FloodsTo).
        for (uint32_t out = 0; out < m_ports.size(); ++out)
        {
            if (FloodsTo(port, out))
            {
                cycles += OutputCycles(out, f.length);
            }
        }
    }
    else if (f.outPort != PORT_NONE)
    {
        cycles += OutputCycles(f.outPort, f.length);
    }
    return cycles;
}

void
VirtualSwitch::FinishBatch(uint32_t input, Virtqueue& q, uint32_t frames)
{
    NS_LOG_FUNCTION(this << input << frames);
    Port& in = m_ports[input];
    Time now = Simulator::Now();
    for (uint32_t i = 0; i < frames; ++i)
    {
        VswitchFrame& f = q.At(i);
        f.host = now - f.ready;
        if (f.outPort == PORT_FLOOD)
        {
            ++m_counters.flooded;
            uint32_t copies = 0;
            for (uint32_t port = 0; port < m_ports.size(); ++port)
            {
                if (FloodsTo(f.inPort, port))
                {
                    Output(f, port);
                    ++copies;
                }
            }
            if (copies == 0)
            {
                Drop(f, f.inPort, DROP_NO_DESTINATION);
            }
        }
        else if (f.outPort == PORT_NONE)
        {
            if (m_ports[f.inPort].uplink)
            {
                ++m_counters.filtered;
            }
            else
            {
                Drop(f, f.inPort, DROP_NO_DESTINATION);
            }
        }
        else
        {
            Output(f, f.outPort);
        }
    }
    // One notification per destination per batch (vhost signals after a batch of used buffers).
    for (uint32_t port : m_touched)
    {
        m_ports[port].touched = false;
        m_ports[port].vm->NotifyGuest();
    }
    m_touched.clear();
    q.Release(frames);
    if (in.vm)
    {
        in.vm->TxReleased();
    }
}

void
VirtualSwitch::Output(VswitchFrame& frame, uint32_t port)
{
    NS_LOG_FUNCTION(this << frame.packet << port);
    Port& p = m_ports[port];
    if (p.worker)
    {
        // vhost-net: the datapath queues the frame on the VM's tap; its worker copies it in.
        if (!p.worker->Enqueue(frame))
        {
            Drop(frame, port, DROP_TAP_QUEUE_FULL);
        }
        return;
    }
    if (p.vm)
    {
        if (p.vm->DeliverFromHost(frame)) // a full RX virtqueue is the device's drop
        {
            ++m_counters.forwarded;
            m_forwardTrace(frame.packet, frame.inPort, port);
            if (!p.touched)
            {
                p.touched = true;
                m_touched.push_back(port);
            }
        }
        return;
    }
    if (p.representor)
    {
        // Frames reach the represented functions through the NIC, not through the datapath.
        Drop(frame, frame.inPort, DROP_NO_DESTINATION);
        return;
    }
    // The uplink device frames the payload itself, and may add headers: give it a copy.
    if (!p.uplink->SendFrom(frame.packet->Copy(), frame.src, frame.dst, frame.protocol))
    {
        Drop(frame, port, DROP_UPLINK_REFUSED);
        return;
    }
    ++m_counters.forwarded;
    ++m_counters.uplinkTx;
    m_forwardTrace(frame.packet, frame.inPort, port);
}

void
VirtualSwitch::Drop(const VswitchFrame& frame, uint32_t port, DropReason reason)
{
    NS_LOG_FUNCTION(this << frame.packet << port << GetDropReasonName(reason));
    ++m_drops[reason];
    m_dropTrace(frame.packet, port, GetDropReasonName(reason));
}

} // namespace ns3
