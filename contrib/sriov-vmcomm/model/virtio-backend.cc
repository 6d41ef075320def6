/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The host side of a virtio-net device (vhost): the VirtioNetDevice calls it when the guest
 * publishes a TX frame (see virtio-backend.h).
 */
// The host side of a virtio-net device (vhost): see virtio-backend.h.
#include "virtio-backend.h"

namespace ns3 {

NS_OBJECT_ENSURE_REGISTERED(VirtioBackend);

TypeId
VirtioBackend::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::VirtioBackend").SetParent<Object>().SetGroupName("SriovVmcomm");
    return tid;
}

} // namespace ns3
