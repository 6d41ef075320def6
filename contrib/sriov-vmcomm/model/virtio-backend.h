/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Models the host side of a virtio-net device (vhost): the interface a VirtioNetDevice calls
// when its guest publishes a TX frame. VirtualSwitch implements it.
#ifndef VIRTIO_BACKEND_H
#define VIRTIO_BACKEND_H

#include "ns3/channel.h"
#include "ns3/nstime.h"
#include "ns3/object.h"

#include <cstdint>

namespace ns3 {

/**
 * \ingroup sriov-vmcomm
 * \brief The host side of a virtio-net device (vhost): the VirtioNetDevice calls it when the
 * guest publishes a TX frame. VirtualSwitch implements it; another backend could.
 */
class VirtioBackend : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    /**
     * \param port the device's port on the backend
     * \return true if the backend wants a notification (kick) for a new TX frame now: it
     * sleeps on this queue. A polling backend never does (virtio's VRING_USED_F_NO_NOTIFY).
     */
    virtual bool NeedsKick(uint32_t port) const = 0;
    /**
     * \brief The guest has published a frame in the TX virtqueue of \p port.
     * \param port the device's port
     * \param ready instant the backend can see the frame (after the kick, if any)
     * \param kicked true if the guest kicked
     */
    virtual void TxPublished(uint32_t port, Time ready, bool kicked) = 0;
    /** \return the channel the backend's devices share (for ns-3 routing), may be null */
    virtual Ptr<Channel> GetChannel() const = 0;
};

} // namespace ns3

#endif /* VIRTIO_BACKEND_H */
