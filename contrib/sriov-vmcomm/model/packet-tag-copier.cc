/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Copies the ns-3 tags of a sender's packet onto a rebuilt packet (see packet-tag-copier.h).
 */
#include "packet-tag-copier.h"

#include "ns3/abort.h"

namespace ns3 {

Tag&
PacketTagCopier::Scratch(TypeId tid)
{
    const uint16_t uid = tid.GetUid();
    for (auto& [u, tag] : m_scratch)
    {
        if (u == uid)
        {
            return *tag;
        }
    }
    Tag* tag = dynamic_cast<Tag*>(tid.GetConstructor()());
    NS_ABORT_MSG_IF(tag == nullptr, "PacketTagCopier: " << tid.GetName() << " is not a Tag");
    m_scratch.emplace_back(uid, std::unique_ptr<Tag>(tag));
    return *tag;
}

void
PacketTagCopier::Copy(const Packet& from, Packet& to, uint32_t byteOffset)
{
    PacketTagIterator pi = from.GetPacketTagIterator();
    while (pi.HasNext())
    {
        PacketTagIterator::Item item = pi.Next();
        Tag& tag = Scratch(item.GetTypeId());
        item.GetTag(tag);
        to.AddPacketTag(tag);
    }
    ByteTagIterator bi = from.GetByteTagIterator();
    while (bi.HasNext())
    {
        ByteTagIterator::Item item = bi.Next();
        Tag& tag = Scratch(item.GetTypeId());
        item.GetTag(tag);
        to.AddByteTag(tag, item.GetStart() + byteOffset, item.GetEnd() + byteOffset);
    }
}

} // namespace ns3
