/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Copies the ns-3 tags of a sender's packet onto a packet a receiver rebuilt from the bytes in
 * memory (a VF's guest driver), reusing one tag instance per tag type.
 */
#ifndef PACKET_TAG_COPIER_H
#define PACKET_TAG_COPIER_H

#include "ns3/packet.h"
#include "ns3/tag.h"

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

namespace ns3 {

/**
 * \ingroup sriov-vmcomm
 * \brief Carries ns-3 tags (packet tags and byte tags) across a copy through memory: the bytes
 * travel by DMA, the tags (flow ids, timestamps of the applications) are copied from the
 * sender's Packet. One instance per tag type is kept and reused, so a copy costs the tags'
 * (de)serialization only, no allocation once every type has been seen.
 */
class PacketTagCopier
{
  public:
    /**
     * \brief Copy the tags of \p from onto \p to.
     * \param from sender's packet \param to rebuilt packet
     * \param byteOffset where the sender's first byte is in \p to (byte tags move by it)
     */
    void Copy(const Packet& from, Packet& to, uint32_t byteOffset);

  private:
    /** \param tid a tag type \return the reusable instance of it */
    Tag& Scratch(TypeId tid);

    /** One reusable instance per tag type seen (type uid, instance) */
    std::vector<std::pair<uint16_t, std::unique_ptr<Tag>>> m_scratch;
};

} // namespace ns3

#endif /* PACKET_TAG_COPIER_H */
