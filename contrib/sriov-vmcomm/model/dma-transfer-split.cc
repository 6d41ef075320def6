/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * How a DMA transfer falls onto PCIe TLPs (at MRRS, MPS and RCB boundaries) and host cache lines.
 */
#include "dma-transfer-split.h"

#include <algorithm>

namespace ns3 {

namespace {

/** Pieces [addr, addr + len) makes when cut at every multiple of \p boundary (a power of 2). */
inline uint32_t
AlignedPieces(uint64_t addr, uint32_t len, uint64_t boundary)
{
    if (len == 0)
    {
        return 1;
    }
    const uint64_t first = addr & ~(boundary - 1);
    const uint64_t last = (addr + len - 1) & ~(boundary - 1);
    return static_cast<uint32_t>((last - first) / boundary + 1);
}

} // namespace

DmaTransferSplit
SplitDmaTransfer(uint64_t addr, uint32_t len, uint64_t deviceAddr, uint32_t mps, uint32_t mrrs,
                 uint32_t rcb, uint32_t lineBytes, uint32_t deviceWord)
{
    DmaTransferSplit s;
    // PCIe: no request crosses 4 KiB, so the boundary is never above it.
    s.readRequests = AlignedPieces(addr, len, std::min<uint32_t>(mrrs, 4096));
    s.writeTlps = AlignedPieces(addr, len, std::min<uint32_t>(mps, 4096));
    // Completions end at RCB-aligned addresses; the root complex merges consecutive pieces of a
    // request up to MPS, so at most one per MPS-aligned piece, but at least one per request and
    // one per RCB piece when RCB is the larger (it never is: RCB <= MPS).
    s.completions = std::max(s.readRequests, AlignedPieces(addr, len, std::max(rcb, mps)));
    if (len == 0)
    {
        s.cacheLines = 0;
        s.partialLines = 0;
    }
    else
    {
        s.cacheLines = AlignedPieces(addr, len, lineBytes);
        const uint64_t end = addr + len;
        const bool headPartial = (addr & (lineBytes - 1)) != 0;
        const bool tailPartial = (end & (lineBytes - 1)) != 0;
        s.partialLines = s.cacheLines == 1 ? (headPartial || tailPartial ? 1 : 0)
                                           : (headPartial ? 1 : 0) + (tailPartial ? 1 : 0);
    }
    s.deviceAligned = (deviceAddr & (deviceWord - 1)) == 0;
    return s;
}

} // namespace ns3
