/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef DMA_TRANSFER_SPLIT_H
#define DMA_TRANSFER_SPLIT_H

#include <algorithm>
#include <cstdint>

namespace ns3 {

/**
 * \ingroup sriov-vmcomm
 * \brief How one DMA transfer falls onto PCIe TLPs and host cache lines: what a device does
 * with a transfer of \c len bytes at host address \c addr before any timing.
 *
 * PCIe forbids a request to cross a 4 KiB boundary. The NFP6000 cuts both by size: read
 * requests of up to MRRS bytes, posted writes of up to MPS bytes, from the first byte on.
 * (pcie-bench: random 128 B writes move as much as sequential ones, 42.4 Gb/s, where writes
 * cut at 256 B-aligned addresses would make a quarter of them two TLPs; random 512 B reads move
 * 55.1 Gb/s, the link's rate, where reads cut at 512 B-aligned addresses would make seven in
 * eight of them two requests of a few lines each.) The root complex returns a request's
 * completions merged up to MPS bytes, or, for a request of fewer than \c coalesceLines cache
 * lines, one completion per line (RootComplex::CompletionCoalesceLines; each ends at an
 * RCB-aligned address, PCIe Base Specification, "Read Completion Boundary"). The host's memory
 * system works on whole cache lines: a transfer touches every line its bytes overlap, partly or
 * wholly. So a 65 B transfer at a line boundary touches two lines, as a 128 B one does; 64 B at
 * offset 3 touches two as well. The device's memory works on words too: a transfer whose offset
 * within a word makes it touch one word more than its length needs straddles a word
 * (deviceStraddleWords).
 */
struct DmaTransferSplit
{
    uint32_t readRequests{
        0}; //!< read request TLPs (MRRS bytes each from the start, not across 4 KiB)
    /** completion TLPs of a read: per request, up to MPS bytes each, or one per cache line of a
     *  request of fewer than coalesceLines lines */
    uint32_t completions{0};
    uint32_t writeTlps{0};  //!< posted write TLPs (MPS bytes each from the start, not across 4 KiB)
    uint32_t cacheLines{0}; //!< host cache lines the bytes overlap
    uint32_t partialLines{0}; //!< of those, lines the transfer covers only in part (0..2)
    /** lines touched beyond ceil(len / line): 1 if a host offset makes the bytes straddle one
     *  more line, else 0 */
    uint32_t straddleLines{0};
    /** device words the data touches beyond ceil(len / word): 1 if its offset within a word
     *  makes the bytes straddle one more word (then the device realigns them), else 0 */
    uint32_t deviceStraddleWords{0};
};

/**
 * \ingroup sriov-vmcomm
 * \brief Split a transfer (see DmaTransferSplit).
 * \param addr host address of the first byte (IOVA or physical: pages are aligned to more
 *        than every boundary here)
 * \param len bytes (0 counts as one zero-length TLP and no line)
 * \param deviceAddr address of the first byte in device memory
 * \param mps max payload size, bytes (a power of two)
 * \param mrrs max read request size, bytes (a power of two)
 * \param rcb read completion boundary, bytes (a power of two, at most MPS)
 * \param lineBytes host cache line, bytes (a power of two)
 * \param deviceWord the device memory's access unit, bytes (a power of two; 1: any address)
 * \param coalesceLines the root complex merges a request's completions up to MPS only when the
 *        request touches at least this many cache lines, else it sends one per line (0: always
 *        merges; RootComplex::CompletionCoalesceLines)
 * \return the split
 */
DmaTransferSplit SplitDmaTransfer(uint64_t addr, uint32_t len, uint64_t deviceAddr, uint32_t mps,
                                  uint32_t mrrs, uint32_t rcb, uint32_t lineBytes,
                                  uint32_t deviceWord, uint32_t coalesceLines = 0);

/**
 * \ingroup sriov-vmcomm
 * \brief Device-memory bursts in which a device reads a transfer's data: the whole words
 * [floor(deviceAddr / word), ceil((deviceAddr + len) / word)) the bytes touch, in bursts of up
 * to \p burstBytes from the first word touched (not at burst-aligned addresses).
 *
 * The NFP6000 pulls a DMA write's data from its memory so (DmaEngine::WriteFetchBurstBytes,
 * 128 B = 16 words of 8 B): a 64 B transfer at device offset 1 touches 9 words, one burst as
 * when aligned; 128 B at offset 1 touches 17, two bursts where aligned it is one; 416 B touches
 * 52 or 53 words, four bursts at every offset.
 * \param deviceAddr address of the first byte in device memory
 * \param len bytes (0: one burst)
 * \param deviceWord the device memory's access unit, bytes (a power of two)
 * \param burstBytes bytes per burst (a power of two; less than \p deviceWord counts as one word)
 * \return bursts (at least 1)
 */
inline uint32_t
DeviceBursts(uint64_t deviceAddr, uint32_t len, uint32_t deviceWord, uint32_t burstBytes)
{
    // Both are powers of two (their attributes' checkers): shifts, not divisions, on every write.
    const uint32_t wordShift = static_cast<uint32_t>(__builtin_ctz(deviceWord));
    const uint32_t burstShift
        = static_cast<uint32_t>(__builtin_ctz(std::max(burstBytes, deviceWord))) - wordShift;
    const uint64_t head = deviceAddr & (deviceWord - 1);
    const uint64_t words = (head + len + deviceWord - 1) >> wordShift;
    return words == 0
             ? 1
             : static_cast<uint32_t>((words + (uint64_t{1} << burstShift) - 1) >> burstShift);
}

} // namespace ns3

#endif /* DMA_TRANSFER_SPLIT_H */
