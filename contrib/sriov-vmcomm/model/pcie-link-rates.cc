/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * PcieLink's bandwidth (see pcie-link.h): the lanes' rate and line code, less the ACK and
 * flow-control DLLPs and SKP ordered sets, per the PCI Express Base Specification's tables, and
 * the effective rate of a transfer of a given size (the pcie-bench model, Neugebauer et al.,
 * SIGCOMM 2018; doc/model.md "PCIe timing"). Not on the per-TLP path: computed once per
 * configuration.
 */
#include "ns3/nstime.h"
#include "pcie-link.h"

#include <algorithm>

namespace ns3 {

namespace {

constexpr int64_t FS_PER_S = 1000000000000000LL;

/**
 * Ack transmission latency limit in symbol times at 2.5 GT/s, from the PCIe Base Specification's
 * "Ack Transmission Latency Limit and AckFactor" table (the model of pcie-bench, model/pcie.py,
 * uses the 8.0 GT/s values). Rows: MPS 128..4096; columns: x1, x2, x4, x8, x16, x32 (x12 omitted).
 * The values are floor((MPS + 28) x AckFactor / width + InternalDelay) with InternalDelay = 19. The
 * UpdateFC guideline tables have the same values, so AckLimit = FcGuide.
 */
constexpr uint32_t ACK_LIMIT_2G5[6][6] = {
    {237, 128, 73, 67, 48, 33},        // MPS 128
    {416, 217, 118, 107, 72, 45},      // MPS 256
    {559, 289, 154, 86, 86, 52},       // MPS 512
    {1071, 545, 282, 150, 150, 84},    // MPS 1024
    {2095, 1057, 538, 278, 278, 148},  // MPS 2048
    {4143, 2081, 1050, 534, 534, 276}, // MPS 4096
};

/**
 * The 5.0 GT/s and 8.0 GT/s tables differ from the 2.5 GT/s one only by InternalDelay (70 and
 * 115 symbol times instead of 19). 16 and 32 GT/s use the 8.0 GT/s values, as the pcie-bench model
 * does for gen4 (163/203 for x8, 144/168 for x16 at MPS 128/256; doc/model.md "PCIe timing");
 * gen5 is an extrapolation.
 */
uint32_t
AckLimit(uint32_t generation, uint32_t lanes, uint32_t mps)
{
    uint32_t row = 0;
    for (uint32_t m = 128; m < mps; m <<= 1)
    {
        ++row;
    }
    uint32_t col = 0;
    for (uint32_t l = 1; l < lanes; l <<= 1)
    {
        ++col;
    }
    const uint32_t extraDelay = generation == 1 ? 0 : (generation == 2 ? 51 : 96);
    return ACK_LIMIT_2G5[row][col] + extraDelay;
}

} // namespace

void
PcieLink::UpdateRates() const
{
    const double raw = GetRawBandwidthBps();
    // ACK and UpdateFC DLLPs (8 bytes each, AckLimit = FcGuide) and SKP ordered sets (4 in 1538).
    const double ackLimit = AckLimit(m_generation, m_lanes, m_mps);
    m_tlpBps = raw * (1.0 - (8.0 / ackLimit + 8.0 / ackLimit + 4.0 / 1538.0));
    m_fsPerByte = 8.0 * FS_PER_S / m_tlpBps;
    m_fsPerTick = TimeStep(1).GetFemtoSeconds();
}

double
PcieLink::GetRawBandwidthBps() const
{
    static const double GTPS[] = {2.5e9, 5e9, 8e9, 16e9, 32e9};
    // 8b/10b line code up to gen2, 128b/130b from gen3.
    const double encoding = m_generation <= 2 ? 8.0 / 10.0 : 128.0 / 130.0;
    return GTPS[m_generation - 1] * encoding * m_lanes;
}

double
PcieLink::GetTlpBandwidthBps() const
{
    if (m_tlpBps == 0)
    {
        UpdateRates();
    }
    return m_tlpBps;
}

double
PcieLink::GetEffectiveWriteBps(uint32_t bytes) const
{
    return GetTlpBandwidthBps() * bytes / GetWriteWireBytes(bytes);
}

double
PcieLink::GetEffectiveReadBps(uint32_t bytes) const
{
    // Requests go up and completions come down independently: the busier direction bounds.
    const uint64_t wire
        = std::max(GetReadRequestWireBytes(bytes), GetReadCompletionWireBytes(bytes));
    return GetTlpBandwidthBps() * bytes / wire;
}

} // namespace ns3
