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

/**
 * TLPs a device makes of [addr, addr + len) by size: pieces of up to \p chunk bytes from the
 * start, also cut where they would cross a 4 KiB boundary (PCIe forbids it).
 */
inline uint32_t
SizedPieces(uint64_t addr, uint32_t len, uint32_t chunk)
{
    if (len == 0)
    {
        return 1;
    }
    uint32_t n = 0;
    uint64_t a = addr;
    uint64_t left = len;
    while (left > 0)
    {
        const uint64_t take = std::min<uint64_t>({chunk, left, 4096 - (a & 4095)});
        a += take;
        left -= take;
        ++n;
    }
    return n;
}

} // namespace

DmaTransferSplit
SplitDmaTransfer(uint64_t addr, uint32_t len, uint64_t deviceAddr, uint32_t mps, uint32_t mrrs,
                 uint32_t rcb, uint32_t lineBytes, uint32_t deviceWord, uint32_t coalesceLines)
{
    DmaTransferSplit s;
    // Both by size: read requests of up to MRRS (4 KiB at most), writes of up to MPS.
    s.writeTlps = SizedPieces(addr, len, mps);
    const uint32_t chunk = std::min<uint32_t>(mrrs, 4096);
    if (len == 0)
    {
        s.readRequests = 1;
        s.completions = 1;
    }
    else
    {
        // Completions per request: merged up to MPS from the request's start, or one per line
        // (ending at RCB-aligned addresses) when the root complex does not merge them.
        const uint64_t lineUnit = std::max(rcb, lineBytes);
        uint64_t a = addr;
        uint64_t left = len;
        while (left > 0)
        {
            const uint32_t take
                = static_cast<uint32_t>(std::min<uint64_t>({chunk, left, 4096 - (a & 4095)}));
            ++s.readRequests;
            const uint32_t lines = AlignedPieces(a, take, lineBytes);
            s.completions += coalesceLines != 0 && lines < coalesceLines
                               ? AlignedPieces(a, take, lineUnit)
                               : (take + mps - 1) / mps;
            a += take;
            left -= take;
        }
    }
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
        s.straddleLines
            = s.cacheLines - static_cast<uint32_t>((uint64_t{len} + lineBytes - 1) / lineBytes);
    }
    const uint64_t head = deviceAddr & (deviceWord - 1);
    s.deviceStraddleWords
        = (head + len + deviceWord - 1) / deviceWord > (uint64_t{len} + deviceWord - 1) / deviceWord
            ? 1
            : 0;
    return s;
}

} // namespace ns3
