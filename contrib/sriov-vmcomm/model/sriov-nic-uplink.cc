/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * An SR-IOV NIC's uplink port (see sriov-nic.h): frames out to the wire, frames from the wire to
 * the VF that owns their address (or the PF behind which a virtual switch sits), and its counters.
 */
#include "forwarding/nic-forwarder.h"
#include "ns3/log.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "sriov-nic.h"
#include "virtual-function.h"

#include <algorithm>

namespace ns3 {

NS_LOG_COMPONENT_DEFINE("SriovNicUplink");

void
SriovNic::SetUplink(Ptr<NetDevice> device)
{
    NS_ABORT_MSG_IF(device && !device->SupportsSendFrom(),
                    "SriovNic::SetUplink: the uplink device must support SendFrom");
    m_uplink = device;
    if (device)
    {
        device->SetPromiscReceiveCallback(MakeCallback(&SriovNic::UplinkReceive, this));
    }
}

void
SriovNic::SendToUplink(NicFrame* frame)
{
    NS_LOG_FUNCTION(this << frame->id);
    if (!m_uplink)
    {
        Drop(frame, DROP_NO_UPLINK);
        return;
    }
    // The uplink device frames it again: hand it the payload and the addresses.
    const uint8_t* b = frame->bytes.data();
    Mac48Address dst;
    Mac48Address src;
    dst.CopyFrom(b);
    src.CopyFrom(b + 6);
    uint16_t type = uint16_t(b[12]) << 8 | b[13];
    Ptr<Packet> p = Create<Packet>(b + 14, frame->length - 14);
    bool ok = m_uplink->SendFrom(p, src, dst, type);
    if (!ok)
    {
        Drop(frame, DROP_UPLINK_REFUSED);
        return;
    }
    ++m_uplinkTx;
    FreeFrame(frame);
}

bool
SriovNic::UplinkReceive(Ptr<NetDevice> device, Ptr<const Packet> packet, uint16_t protocol,
                        const Address& source, const Address& destination,
                        NetDevice::PacketType type)
{
    NS_LOG_FUNCTION(this << device << packet << protocol << source << destination << type);
    Mac48Address to = Mac48Address::ConvertFrom(destination);
    Mac48Address from = Mac48Address::ConvertFrom(source);
    // The table may be shared with the host's other NICs: an entry is ours if it names us.
    const VfMappingTable::Entry* dst = m_table->Lookup(to, VfMappingTable::NO_VLAN);
    if (dst && dst->nic != m_nicIndex)
    {
        dst = nullptr;
    }
    const bool group = to.IsBroadcast() || to.IsGroup();
    if (type == NetDevice::PACKET_OTHERHOST && m_defaultVf == NO_DEFAULT_VF && !dst)
    {
        return true; // not for a VF of this NIC
    }
    const VfMappingTable::Entry* self = m_table->Lookup(from, VfMappingTable::NO_VLAN);
    if (group && self && self->nic != m_nicIndex && m_forwarder->ReachesPeerNics())
    {
        return true; // a flood from a VF of a peer NIC: it reached our VFs peer to peer
    }
    ++m_uplinkRx;
    auto deliver = [&](uint32_t vf)
    {
        NicFrame* f = AllocateFrame();
        f->srcVf = NicFrame::UPLINK;
        f->dstVf = vf;
        f->length = packet->GetSize() + 14;
        f->bytes.resize(std::max<size_t>(f->bytes.size(), f->length));
        to.CopyTo(f->bytes.data());
        from.CopyTo(f->bytes.data() + 6);
        f->bytes[12] = protocol >> 8;
        f->bytes[13] = protocol & 0xff;
        packet->CopyData(f->bytes.data() + 14, packet->GetSize());
        f->meta = packet;
        f->sent = Simulator::Now();
        f->nic += m_lookupLatency;
        m_forwarder->DeliverLocal(f, nullptr, *m_functions[vf]);
    };
    if (group)
    {
        // A reflected (vepa) flood does not go back to the VF that sent it.
        for (uint32_t i = 0; i < m_vfs.size(); ++i)
        {
            if (!self || self->nic != m_nicIndex || self->vf != i)
            {
                deliver(i);
            }
        }
    }
    else if (dst)
    {
        deliver(dst->vf);
    }
    else if (m_defaultVf != NO_DEFAULT_VF)
    {
        deliver(m_defaultVf); // the PF takes what no VF owns (a virtual switch behind it)
    }
    return true;
}

void
SriovNic::SetDefaultVf(uint32_t vf)
{
    NS_ABORT_MSG_IF(vf >= m_vfs.size(), "SriovNic::SetDefaultVf: no function " << vf);
    m_defaultVf = vf;
}

uint64_t
SriovNic::GetUplinkTxFrames() const
{
    return m_uplinkTx;
}

uint64_t
SriovNic::GetUplinkRxFrames() const
{
    return m_uplinkRx;
}

} // namespace ns3
