/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The registry of presets: NIC + PCIe + IOMMU configurations and virtual switch profiles, with the
 * source of every value (see preset.h).
 */
// The registry of NIC hardware presets and virtual-switch calibration profiles, with the
// derivation of every value from its source: see preset.h.
#include "preset.h"

#include "ns3/abort.h"
#include "ns3/config.h"
#include "ns3/object-factory.h"
#include "ns3/string.h"

#include <cstdio>
#include <cstring>
#include <sstream>
#include <stdexcept>

namespace ns3 {

namespace {

const char* const SETUP = "pcie-bench nfp6000-bdw setup (Neugebauer et al., SIGCOMM 2018; "
                          "Neugebauer et al., SIGCOMM 2018)";
const char* const MODEL = "pcie-bench PCIe model parameters (Neugebauer et al., SIGCOMM 2018)";
const char* const CALIBRATED = "calibrated to pcie-bench nfp6000-bdw (doc/validation.md): ";
const char* const NOT_MEASURED_BDW
    = "not measured on nfp6000-bdw (its eight figures are aligned, warm, reads or writes alone): "
      "the mechanism is off; nfp6000-hsw fits it";
const char* const NFP_OFFSETS = "pcie-bench bw_dma_off_* of the NFP6000: device offsets 8, 16, "
                                "32, 48 cost nothing, all others do (doc/validation.md)";
const char* const HSW = "fitted to pcie-bench nfp6000-1.2GHz_hsw-Xeon-E5-2637v3_supermicro "
                        "(doc/validation.md): ";

/** The PCIe link fields every preset sets, in this order. */
struct LinkValues
{
    std::string generation;
    std::string lanes;
    std::string genSource;
};

/**
 * The nfp6000-bdw calibration. The attribute defaults in the model classes are these values;
 * test/dma-bench-test.cc checks that they agree.
 */
Preset
MakeNfp6000Bdw()
{
    Preset p;
    p.name = "nfp6000-bdw";
    p.description = "Netronome NFP6000 on PCIe Gen3 x8, Intel Xeon E5-2630 v4 (Broadwell) with "
                    "VT-d, host cache warm: the pcie-bench data set";
    p.parameters = {
        {"ns3::PcieLink::Generation", "3", SETUP},
        {"ns3::PcieLink::Lanes", "8", SETUP},
        {"ns3::PcieLink::MaxPayloadSize", "256", SETUP},
        {"ns3::PcieLink::MaxReadRequestSize", "512", MODEL},
        {"ns3::PcieLink::ReadCompletionBoundary", "64", MODEL},
        {"ns3::PcieLink::CompletionSplit", "MPS",
         std::string(MODEL)
             + "; read bandwidth measured at 2048 B (55.6 Gb/s) rules out "
               "64 B completions (44 Gb/s)"},
        {"ns3::PcieLink::Ecrc", "false", MODEL},
        {"ns3::PcieLink::Addr64", "true", MODEL},
        {"ns3::PcieLink::PropagationDelay", "80ns",
         "estimate: only 2 x PropagationDelay + RootComplexReadLatency + "
         "DmaEngine::ProcessingLatency = 530 ns is calibrated (64 B read latency)"},
        {"ns3::PcieLink::RootComplexReadLatency", "300ns",
         "estimate: see PropagationDelay (host cache warm)"},
        {"ns3::PcieLink::MaxOutstandingReads", "32",
         "estimate: 5-bit PCIe tags; allows ~34 Gb/s of 64 B reads, above the 31.9 measured"},
        {"ns3::Iommu::IotlbEntries", "64",
         std::string(CALIBRATED) + "IOTLB knee at 256 KiB with 4 KiB pages = 64 entries"},
        {"ns3::Iommu::IotlbWays", "4", "estimate: Intel does not publish the VT-d IOTLB geometry"},
        {"ns3::Iommu::PageWalkLevelLatency", "80ns",
         std::string(CALIBRATED) + "a 4-level walk adds 880 - 560 = 320 ns to a 64 B read"},
        {"ns3::Iommu::MaxConcurrentWalks", "6",
         std::string(CALIBRATED)
             + "9.8 Gb/s of 64 B reads at 64 MiB (every access misses) = "
               "19.1 M walks/s x 320 ns = 6 walks in progress (Little)"},
        {"ns3::Iommu::PostedWriteWalks", "0",
         "nfp6000-bdw measured reads only: writes share the read walkers (nfp6000-hsw fits "
         "walkers of their own)"},
        {"ns3::Iommu::PagingStructureCacheEntries", "0",
         "nfp6000-bdw's walk (880 - 560 = 320 ns) was measured at 64 MiB only: every walk reads "
         "all its levels (nfp6000-hsw fits a cache of upper entries)"},
        {"ns3::Iommu::PageWalkLeafExtraLatency", "0ns",
         "nfp6000-bdw: every level costs PageWalkLevelLatency (nfp6000-hsw fits a costlier "
         "leaf)"},
        {"ns3::DmaEngine::ReadIssueInterval", "16ns",
         std::string(CALIBRATED) + "31.9 Gb/s of 64 B reads = one read per 16.05 ns"},
        {"ns3::DmaEngine::WriteIssueInterval", "21ns",
         std::string(CALIBRATED) + "24.3 Gb/s of 64 B writes = one write per 21.07 ns"},
        {"ns3::DmaEngine::ProcessingLatency", "70ns",
         std::string(CALIBRATED)
             + "median 64 B read latency 546-560 ns less link and root "
               "complex"},
        {"ns3::DmaEngine::ReadDataRate", "55Gbps",
         std::string(CALIBRATED)
             + "read latency slope (986 - 546 ns over 1456 B) less the "
               "link's serialization"},
        {"ns3::DmaEngine::MaxOutstandingReads", "0",
         "estimate: no engine bound below the link's tags is visible in the measurements"},
        {"ns3::DmaEngine::WriteDataRate", "55Gbps",
         "the NFP6000's, fitted on the Haswell host's pcie-bench LAT_DMA_WRRD (doc/validation.md): "
         "WRRD minus RD grows by 0.26 ns/B, of which the link's serialization explains 0.14; "
         "as ReadDataRate"},
        {"ns3::DmaEngine::DeviceWordBytes", "8", NFP_OFFSETS},
        {"ns3::DmaEngine::UnalignedReadTime", "26ns",
         "the NFP6000's, fitted on the Haswell host's pcie-bench bw_dma_off_rd "
         "(doc/validation.md): 64 B and 128 B reads at device offset 1 take 40.6 and 43.9 ns "
         "each, 16 ns issue + 26"},
        {"ns3::DmaEngine::UnalignedReadReceiveTime", "18ns",
         "the NFP6000's, fitted on the Haswell host's pcie-bench bw_dma_off_rd "
         "(doc/validation.md): reads at device offset 1 take 18-20 ns more than the link's "
         "time for them (256 B 64.3 ns against 46.4, 2048 B 325 against 305)"},
        {"ns3::DmaEngine::UnalignedWriteTime", "0ns",
         "the NFP6000's, fitted on the Haswell host's pcie-bench bw_dma_off_wr: an unaligned "
         "write costs the fetch burst its extra word may start, nothing per write "
         "(WriteFetchBurstBytes)"},
        {"ns3::DmaEngine::ReadRealignDataRate", "0bps",
         "the NFP6000's: bw_dma_off_rd fits no per-byte cost (UnalignedReadTime, "
         "UnalignedReadReceiveTime)"},
        {"ns3::DmaEngine::WriteRealignDataRate", "0bps",
         "the NFP6000's: bw_dma_off_wr of the Haswell host fits no per-byte cost (64 B writes "
         "move 24.2 Gb/s at every device offset); an unaligned write costs the fetch burst its "
         "extra word may start (WriteFetchBurstBytes)"},
        {"ns3::DmaEngine::WriteFetchTime", "4ns",
         "the NFP6000's, fitted on the Haswell host's pcie-bench bw_dma_sz_sweep and "
         "bw_dma_off_wr (doc/validation.md): writes of 1, 2, 3, 4, 5, 7, 9 bursts take 21, 38, "
         "55, 72, 89, 123, 157 ns each = 4 + 17 ns per burst"},
        {"ns3::DmaEngine::WriteFetchBurstTime", "17ns", "see WriteFetchTime"},
        {"ns3::DmaEngine::WriteFetchBurstBytes", "128",
         "the NFP6000's, fitted on the Haswell host's pcie-bench bw_dma_off_wr: bursts of 16 "
         "words of 8 B from the first word touched (64 B at device offset 1, 9 words, as "
         "aligned; 128 B, 17 words, a burst more; 407 and 416 B, 51-53 words, 72 ns at every "
         "offset)"},
        {"ns3::RootComplex::ReadRequestTime", "0ns", NOT_MEASURED_BDW},
        {"ns3::RootComplex::ReadLineTime", "0ns", NOT_MEASURED_BDW},
        {"ns3::RootComplex::WriteTlpTime", "0ns", NOT_MEASURED_BDW},
        {"ns3::RootComplex::WriteLineTime", "0ns", NOT_MEASURED_BDW},
        {"ns3::RootComplex::ReadStraddleLineTime", "0ns", NOT_MEASURED_BDW},
        {"ns3::RootComplex::WriteStraddleLineTime", "0ns", NOT_MEASURED_BDW},
        {"ns3::RootComplex::DirectionSwitchLineTime", "0ns", NOT_MEASURED_BDW},
        {"ns3::RootComplex::DirectionSwitchLines", "0", NOT_MEASURED_BDW},
        {"ns3::RootComplex::ColdReadLatency", "0ns", NOT_MEASURED_BDW},
        {"ns3::RootComplex::ColdReadRequestTime", "0ns", NOT_MEASURED_BDW},
        {"ns3::RootComplex::DramRefreshInterval", "0ns", NOT_MEASURED_BDW},
        {"ns3::RootComplex::DramRefreshTime", "0ns", NOT_MEASURED_BDW},
        {"ns3::RootComplex::DeviceWriteAllocateBytes", "0", NOT_MEASURED_BDW},
        {"ns3::RootComplex::HostCacheBytes", "0", NOT_MEASURED_BDW},
        {"ns3::RootComplex::CompletionCoalesceLines", "0", NOT_MEASURED_BDW},
        {"ns3::RootComplex::ReadLatencySpreadMean", "0ns", NOT_MEASURED_BDW},
        {"ns3::RootComplex::ReadLatencySpreadStdDev", "0ns", NOT_MEASURED_BDW},
        {"ns3::MemoryDomain::PageSize", "4096", std::string(SETUP) + ": 4 KiB IOMMU pages"},
        {"ns3::SriovNic::MaxVfs", "64",
         "estimate: Netronome does not publish the NFP6000's VFs per PF; 64 as a 10 GbE NIC "
         "(Intel 82599: 64 pools per port)"},
        {"ns3::EthernetNetDevice::PhyLatency", "0ns",
         "not modelled: pcie-bench measures no Ethernet port"},
    };
    return p;
}

/** Replace the values (and sources) of some parameters of a preset. */
Preset
Derive(const Preset& base, std::string name, std::string description,
       const std::vector<PresetParameter>& changes)
{
    Preset p = base;
    p.name = std::move(name);
    p.description = std::move(description);
    for (const auto& c : changes)
    {
        bool found = false;
        for (auto& q : p.parameters)
        {
            if (q.attribute == c.attribute)
            {
                q = c;
                found = true;
            }
        }
        NS_ABORT_MSG_IF(!found, "preset " << p.name << ": " << c.attribute << " not in the base");
    }
    return p;
}

/** Sources of values carried over unchanged from nfp6000-bdw into another preset. */
void
MarkCarriedOver(Preset& p, const std::vector<std::string>& keep)
{
    for (auto& q : p.parameters)
    {
        bool kept = false;
        for (const auto& k : keep)
        {
            kept |= q.attribute == k;
        }
        if (!kept)
        {
            q.source = "estimate: carried over from nfp6000-bdw (" + q.source + ")";
        }
    }
}

std::vector<Preset>
MakePresets()
{
    const Preset bdw = MakeNfp6000Bdw();

    const std::string ideal
        = "ideal device: the pcie-bench model (Neugebauer et al., SIGCOMM 2018)";
    const std::vector<PresetParameter> idealDevice = {
        {"ns3::PcieLink::MaxOutstandingReads", "1024", ideal + " (no tag bound: 10-bit tags)"},
        {"ns3::DmaEngine::ReadIssueInterval", "0ns", ideal},
        {"ns3::DmaEngine::WriteIssueInterval", "0ns", ideal},
        {"ns3::DmaEngine::ProcessingLatency", "0ns", ideal},
        {"ns3::DmaEngine::ReadDataRate", "0bps", ideal},
        {"ns3::DmaEngine::MaxOutstandingReads", "0", ideal},
        {"ns3::DmaEngine::WriteFetchTime", "0ns", ideal},
        {"ns3::DmaEngine::WriteFetchBurstTime", "0ns", ideal},
    };

    Preset gen4 = Derive(
        bdw, "gen4x16-100g",
        "a 100 GbE NIC (ConnectX-6 Dx class) on PCIe Gen4 x16; link per the PCIe spec, device "
        "and host timing estimates",
        {
            {"ns3::PcieLink::Generation", "4",
             "NVIDIA ConnectX-6 Dx product brief: PCIe Gen 4.0 x16 host interface"},
            {"ns3::PcieLink::Lanes", "16",
             "NVIDIA ConnectX-6 Dx product brief: PCIe Gen 4.0 x16 host interface"},
            {"ns3::PcieLink::MaxPayloadSize", "256",
             std::string(MODEL) + ", Gen4 x16 reference (64 B 165/173 Gb/s)"},
            {"ns3::PcieLink::MaxOutstandingReads", "256",
             "estimate: 8-bit Extended Tags (PCIe spec); 10-bit tags would allow 768"},
            {"ns3::DmaEngine::ReadIssueInterval", "3ns",
             "estimate: fast enough for 100 GbE line rate (148.8 Mpps of 64 B frames, "
             "about two DMA operations per frame)"},
            {"ns3::DmaEngine::WriteIssueInterval", "3ns", "estimate: as ReadIssueInterval"},
            {"ns3::DmaEngine::WriteFetchTime", "0ns",
             "estimate: the NFP6000's write data fetch (17 ns per 128 B) would cap this card "
             "below its link; not measured: off"},
            {"ns3::DmaEngine::WriteFetchBurstTime", "0ns", "estimate: see WriteFetchTime"},
            {"ns3::DmaEngine::ReadDataRate", "220Gbps",
             "estimate: nfp6000-bdw's 55 Gb/s scaled by the link rate (x4)"},
            {"ns3::SriovNic::MaxVfs", "1024",
             "NVIDIA ConnectX-6 Dx product brief: SR-IOV, up to 1K virtual functions (per "
             "device, taken per PF: an upper bound)"},
        });
    MarkCarriedOver(
        gen4, {"ns3::PcieLink::Generation", "ns3::PcieLink::Lanes", "ns3::PcieLink::MaxPayloadSize",
               "ns3::PcieLink::MaxReadRequestSize", "ns3::PcieLink::ReadCompletionBoundary",
               "ns3::PcieLink::CompletionSplit", "ns3::PcieLink::Ecrc", "ns3::PcieLink::Addr64",
               "ns3::PcieLink::MaxOutstandingReads", "ns3::DmaEngine::ReadIssueInterval",
               "ns3::DmaEngine::WriteIssueInterval", "ns3::DmaEngine::ReadDataRate",
               "ns3::DmaEngine::WriteFetchTime", "ns3::DmaEngine::WriteFetchBurstTime",
               "ns3::MemoryDomain::PageSize", "ns3::SriovNic::MaxVfs"});

    Preset ideal3 = Derive(bdw, "ideal-gen3x8",
                           "the pcie-bench analytic model on Gen3 x8 (MPS 256, MRRS 512): an "
                           "ideal device, only the link limits bandwidth",
                           idealDevice);
    std::vector<PresetParameter> ideal4Changes = idealDevice;
    ideal4Changes.push_back({"ns3::PcieLink::Generation", "4", ideal + ", Gen4 x16 reference"});
    ideal4Changes.push_back({"ns3::PcieLink::Lanes", "16", ideal + ", Gen4 x16 reference"});
    Preset ideal4 = Derive(bdw, "ideal-gen4x16",
                           "the pcie-bench analytic model on Gen4 x16 (MPS 256, MRRS 512): an "
                           "ideal device, only the link limits bandwidth",
                           ideal4Changes);
    // The same NFP6000 in a Haswell host: the card's figures carry over from nfp6000-bdw, the
    // host's (root complex, cache, memory latency) are fitted to this host's pcie-bench data.
    Preset hsw = Derive(
        bdw, "nfp6000-hsw",
        "Netronome NFP6000 on PCIe Gen3 x8, Intel Xeon E5-2637 v3 (Haswell, 15 MiB LLC), "
        "Supermicro board: the second pcie-bench host (scenarios/calibration/pcie-bench)",
        {
            {"ns3::PcieLink::RootComplexReadLatency", "293ns",
             std::string(HSW)
                 + "smallest 64 B read latency 547 ns (LAT_DMA_RD Min) less link and engine"},
            {"ns3::RootComplex::ReadLatencySpreadMean", "53ns",
             std::string(HSW) + "LAT_DMA_RD median 600 ns less the minimum 547 ns"},
            {"ns3::RootComplex::ReadLatencySpreadStdDev", "9ns",
             std::string(HSW) + "LAT_DMA_RD p95 - median = 13-27 ns, p99.9 - median = 27-53 ns"},
            {"ns3::RootComplex::ReadRequestTime", "12ns",
             std::string(HSW)
                 + "BW_DMA_RD by size: 64 B at 28.6 Gb/s = 17.9 ns per read of 1 line, 65-128 B "
                   "24 ns (2 lines), 129 B 30 ns (3): 12 ns per request + 6 ns per line"},
            {"ns3::RootComplex::ReadLineTime", "6ns", std::string(HSW) + "see ReadRequestTime"},
            {"ns3::RootComplex::WriteTlpTime", "10ns",
             std::string(HSW)
                 + "BW_DMA_WR by size: 128 B 24 ns per write (2 lines), 256 B 40.5 (4), 320 B "
                   "55 (5 lines, 2 TLPs): 10 ns per TLP + 7 ns per line"},
            {"ns3::RootComplex::WriteLineTime", "7ns", std::string(HSW) + "see WriteTlpTime"},
            {"ns3::RootComplex::ReadStraddleLineTime", "1ns",
             std::string(HSW)
                 + "bw_dma_off_rd: a host offset costs 64-256 B reads 1-3 ns per operation "
                   "more (64 B: 17.1 -> 18.1-19.7 ns), not a line (65 B at offset 0: 6 ns)"},
            {"ns3::RootComplex::WriteStraddleLineTime", "4ns",
             std::string(HSW)
                 + "bw_dma_off_wr: a host offset costs 128 B writes 3.5 ns per operation more "
                   "(24.2 -> 27.7 ns), 256 B 5.4 (40.6 -> 46.0); a line costs 7"},
            {"ns3::RootComplex::DirectionSwitchLineTime", "3ns",
             std::string(HSW)
                 + "BW_DMA_RW: alternating reads and writes take 20-25% longer per line than "
                   "the two alone"},
            {"ns3::RootComplex::DirectionSwitchLines", "18",
             std::string(HSW)
                 + "BW_DMA_RW: 3 ns per line more than reads and writes alone up to 1 KiB (16 "
                   "lines), then no more: 50-60 ns per operation at 1-2 KiB (2 KiB: 49.2 "
                   "Gb/s, 44.2 with every line paying)"},
            {"ns3::RootComplex::CompletionCoalesceLines", "8",
             std::string(HSW)
                 + "bw_dma_sz_sweep: reads of 3-7 lines (192-448 B) take 11.3 ns per line, the "
                   "link's time for a 64 B completion with its 20 B header (256 B: 47.1 Gb/s "
                   "sequential, 46.9 random, where merged completions give the link's 53.7), "
                   "and 512 B reads move 55.1; bw_dma_off_rd: 416 B reads touching 8 lines "
                   "(host offsets 41-63) 54 Gb/s, touching 7 (0-32) 43.8"},
            {"ns3::RootComplex::ColdReadRequestTime", "19ns",
             std::string(HSW)
                 + "64 B reads cold take 19.5 ns each (random) and 18.9 (sequential) against "
                   "17.1 warm (bw_dma_win_sweep_rd_rnd_64, windows 16 KiB-8 MiB: 26.2 Gb/s "
                   "against 30.0); 128 B reads cold 24.4 against 23.7, 256 B and 2048 B as "
                   "warm: the pipeline and the link bind there"},
            {"ns3::RootComplex::ColdReadLatency", "40ns",
             std::string(HSW) + "LAT_DMA_RD median cold 640 ns, warm 600 ns"},
            {"ns3::RootComplex::DramRefreshInterval", "7800ns",
             "JEDEC JESD79-4: DDR4 tREFI 7.8 us (0-85 C); the E5-2637 v3 takes DDR4 only"},
            {"ns3::RootComplex::DramRefreshTime", "260ns",
             "JEDEC JESD79-4: DDR4 tRFC1 of a 4 Gb die; the Haswell host's pcie-bench "
             "LAT_DMA_RD cold p99.9 is 267-280 ns above the median, p95 13 ns, as 4 Gb dies "
             "give (8 Gb, 350 ns, would put it 340 above; doc/validation.md)"},
            {"ns3::RootComplex::DeviceWriteAllocateBytes", "1572864",
             "Intel DDIO technology brief: device writes allocate in 2 of the last-level "
             "cache's 20 ways, 10% of 15 MiB; "
                 + std::string(HSW)
                 + "LAT_DMA_WRRD cold takes as long as warm (the read hits the line written)"},
            {"ns3::Iommu::PostedWriteWalks", "7",
             std::string(HSW)
                 + "IOMMU on, 64 B writes over 8-64 MiB windows (every access misses): "
                   "22.1-23.1 M walks/s where reads sustain 19.1; 22.5 M/s x 320 ns = 7 "
                   "walkers of the posted queue's own (estimate)"},
            {"ns3::Iommu::PagingStructureCacheEntries", "1",
             std::string(HSW)
                 + "IOMMU on, window sweeps: 64 B and 128 B writes and reads gain between 1 "
                   "and 3 MiB windows (one or two 2 MiB regions: a walk whose PD entry is "
                   "cached reads only the page-table entry), not at 4-64 MiB"},
            {"ns3::Iommu::PageWalkLevelLatency", "55ns",
             std::string(HSW)
                 + "with PageWalkLeafExtraLatency 221 ns and the leaf read's mean DRAM refresh "
                   "wait of 4.3 ns: a walk with its PD entry cached takes 280 ns on average "
                   "(64 B writes at 1.5 MiB: 7 walkers / 280 ns = 25 M walks/s), one that "
                   "reads the PD entry 335 ns (reads at 64 MiB: 6 / 335 ns = 18 M/s)"},
            {"ns3::Iommu::PageWalkLeafExtraLatency", "221ns",
             std::string(HSW)
                 + "the leaf (page-table) entry is the costly access: few upper entries stay "
                   "in the host's cache, 4 KiB page-table entries of a large window do not; "
                   "225 ns on average with the refresh waits of that DRAM read (3.3% wait, 130 "
                   "ns on average: RootComplex::DramRefresh*)"},
            {"ns3::RootComplex::HostCacheBytes", "15728640",
             "Intel Xeon E5-2637 v3 datasheet: 15 MiB last-level cache; pcie-bench warm "
             "latency turns cold between 16 and 32 MiB windows"},

        });
    // The testbed of Zhang et al. 2019, the software-switch calibration (doc/vswitch.md): an
    // Intel 82599ES 10 GbE NIC in a Xeon E5-2690 v3 host. Its DMA timing was not measured: the
    // card's link is the 82599's, the rest carried over from nfp6000-bdw.
    const std::string x82599 = "Intel 82599 10 GbE Controller datasheet";
    Preset ixgbe = Derive(
        bdw, "e5-2690v3-82599",
        "Intel 82599ES 10 GbE on PCIe Gen2 x8 in a Xeon E5-2690 v3 (Haswell, 2.6 GHz) host: the "
        "testbed of Zhang et al. 2019, where the switch profiles come from (--line-rate=10Gbps)",
        {
            {"ns3::PcieLink::Generation", "2", x82599 + ": PCIe v2.0 (5 GT/s)"},
            {"ns3::PcieLink::Lanes", "8", x82599 + ": x8"},
            {"ns3::SriovNic::MaxVfs", "64", x82599 + ": 64 virtual functions per port"},
            {"ns3::DmaEngine::ReadIssueInterval", "10ns",
             "estimate: an 82599 port forwards 64 B frames at line rate both ways under DPDK "
             "(67.2 ns per frame each way); the model's five DMA operations per frame received "
             "and sent must then issue within 13 ns (nfp6000-bdw's 16/21 ns would cap a port "
             "at 10.3 Mpps)"},
            {"ns3::DmaEngine::WriteIssueInterval", "10ns", "estimate: see ReadIssueInterval"},
            {"ns3::DmaEngine::WriteFetchTime", "0ns",
             "estimate: the NFP6000's write data fetch (21 ns per write of up to 128 B) would "
             "cap the port below line rate, as its issue intervals would; not measured: off"},
            {"ns3::DmaEngine::WriteFetchBurstTime", "0ns", "estimate: see WriteFetchTime"},
            {"ns3::EthernetNetDevice::PhyLatency", "204.8ns",
             "IEEE 802.3 Table 44-2: 10GBASE-R PCS 3584 + serial PMA/PMD 512 bit times, "
             "transmit and receive together, at most: half each way (an upper bound taken as "
             "the 82599's SFI port and its SFP+, whose latency Intel does not publish)"},
        });
    MarkCarriedOver(ixgbe,
                    {"ns3::PcieLink::Generation", "ns3::PcieLink::Lanes",
                     "ns3::PcieLink::MaxPayloadSize", "ns3::PcieLink::Ecrc",
                     "ns3::PcieLink::Addr64", "ns3::MemoryDomain::PageSize",
                     "ns3::SriovNic::MaxVfs", "ns3::DmaEngine::ReadIssueInterval",
                     "ns3::DmaEngine::WriteIssueInterval", "ns3::DmaEngine::WriteFetchTime",
                     "ns3::DmaEngine::WriteFetchBurstTime", "ns3::EthernetNetDevice::PhyLatency"});
    return {bdw, gen4, ideal3, ideal4, hsw, ixgbe};
}

// ---- Virtual switch profiles (doc/vswitch.md) ----
//
// The cost model (model/virtual-switch.h): a frame costs CyclesPerPacket (parse, lookup, action)
// + its input port's RX cycles + its output port's TX cycles + length x CyclesPerByte at each VM
// port it crosses (the vhost copy; the NIC moves its bytes by DMA), and each batch
// BatchCycles. So, at saturation (full batches), with c = CyclesPerPacket + BatchCycles /
// BatchSize, n = the NIC port's RX and TX cycles, r and t the VM port's RX and TX cycles, b the
// cycles per copied byte and L the bytes copied (the frame less its FCS):
//   p2p (NIC -> NIC) = c + 2n,  p2v (NIC -> VM) = c + n + t + L b,  v2v = c + r + t + 2 L b.
//
// Zhang et al., "Comparing the performance of state-of-the-art software switches for NFV"
// (CoNEXT 2019), one switch core, DPDK guests, Xeon E5-2690 v3 at 2.6 GHz, Intel 82599ES: their
// Gb/s count L1 bits (frame + 20 B preamble, SFD and inter-frame gap; their p2p 64 B 8.05 Gb/s
// is above the 7.62 Gb/s of 64 B frame bits at 10 GbE), so cycles per frame = 2.6 GHz x (size +
// 20) x 8 / Gb/s. OVS-DPDK: v2v 64 B 4.03 and 1024 B 28.73 Gb/s, p2p 64 B 8.05, p2v 64 B 5.14.
//   b from v2v 64 vs 1024 B (two copies each); c from p2p; t from p2v; r from v2v.
// n is not separable from c in these figures (it only moves cost between them): an estimate of
// 30 cycles (DPDK's ixgbe vector PMD: a 64 B frame received or sent in a few tens of cycles).
// VPP (v2v 64 B 4.54, p2v 64 B 6.93 Gb/s) has its own vhost-user code: r and t from its two
// figures, with VPP's c (vector processing amortizes the graph over up to 256 frames) an
// estimate. BESS (v2v 64 B 7.37 Gb/s) uses DPDK's vhost PMD, lighter than OVS's netdev layer:
// one figure, so c is an estimate and r, t keep OVS-DPDK's ratio.
//
// ClockGHz in a profile is the clock of the CPU its cycles were measured on (2.6 GHz for the
// Zhang et al. profiles): the profile reproduces those rates at that clock; set
// ns3::VirtualSwitch::ClockGHz after it for another CPU (rates scale linearly).
//
// OVS kernel datapath, one core: about 1.9 Mpps with 64 B packets port to port (Emmerich et al.,
// JNSM 2018), at an assumed 2.2 GHz (the Xeon E5-2630 v4 of the calibration host): 1157.9 cycles
// per frame, all in CyclesPerPacket (no per-port split published). vhost-net copies as much as
// vhost-user: CyclesPerByte as OVS-DPDK's. vhost-net runs a worker thread per virtio device
// (VhostWorkers): the sender's worker copies the frame out and runs the datapath, the receiver's
// copies it in; each pays its own wake-up (VhostWorker attributes, estimates). The switch's
// WakeupCycles and WakeupLatency are then the uplink NIC's interrupt to its softirq.
//
// The attribute defaults of ns3::VirtualSwitch are the ovs-kernel profile (test/vswitch-test.cc
// checks that they agree to the last bit).

constexpr double ZHANG_GHZ = 2.6;         //!< Xeon E5-2690 v3 (Zhang et al. 2019 testbed)
constexpr double KERNEL_GHZ = 2.2;        //!< assumed clock of the ovs-kernel figure (see above)
constexpr double L1_OVERHEAD = 20;        //!< preamble, SFD and inter-frame gap, bytes
constexpr double FCS = 4;                 //!< the frame check sequence, not copied by vhost
constexpr double NIC_PORT_CYCLES = 30;    //!< estimate: DPDK ixgbe PMD RX or TX per frame
constexpr uint32_t DPDK_BATCH = 32;       //!< OVS-DPDK NETDEV_MAX_BURST
constexpr double DPDK_BATCH_CYCLES = 400; //!< estimate: PMD loop iteration + burst call per poll
constexpr uint32_t VPP_BATCH = 256;       //!< VPP VLIB_FRAME_SIZE
constexpr double VPP_BATCH_CYCLES = 400;  //!< estimate: as OVS-DPDK's per poll
constexpr double VPP_SWITCH_CYCLES = 60;  //!< estimate: l2-input, l2-fwd, l2-output per frame
constexpr uint32_t BESS_BATCH = 32;       //!< BESS batch (bess::PacketBatch::kMaxBurst)
constexpr double BESS_BATCH_CYCLES = 200; //!< estimate: scheduler + module call per batch
constexpr double BESS_SWITCH_CYCLES = 40; //!< estimate: L2Forward module per frame
constexpr double KERNEL_MPPS_64 = 1.9;    //!< Emmerich et al. 2018, 64 B port to port
constexpr uint32_t KERNEL_BATCH = 64;     //!< Linux NAPI weight (vhost-net serves in rounds)
constexpr double KERNEL_BATCH_CYCLES = 0; //!< in WakeupCycles instead
constexpr double KERNEL_WAKEUP_CYCLES = 2200; //!< estimate: ~1 us of IRQ entry + softirq start
constexpr double EMPTY_POLL_CYCLES = 50;      //!< estimate: an empty RX burst on one port
/** An idle PMD loop's iteration besides its polls: fitted on Zhang et al.'s OVS-DPDK p2p latency at
 * 0.1 R+, p99 4.89 us (nfv-bench gives 4.93, median 4.00 where the paper has 4.26): a frame waits
 * for the loop to come round to its port, a phase over (2750 + 50) / 2.6 = 1.08 us
 * (doc/vswitch.md, "The poll loop"). Values from 1800 to 3300 cycles give p99 4.4-4.9 us. */
constexpr double POLL_LOOP_CYCLES = 2750;

/** \return cycles per frame of \p size bytes (FCS included) at \p gbps counting L1 bits */
constexpr double
Cycles(double size, double gbps)
{
    return ZHANG_GHZ * (size + L1_OVERHEAD) * 8 / gbps;
}

/** \return the bytes a vhost port copies of a frame of \p size bytes (no FCS) */
constexpr double
Copied(double size)
{
    return size - FCS;
}

// OVS-DPDK (Zhang et al. 2019).
constexpr double DPDK_BYTE
    = (Cycles(1024, 28.73) - Cycles(64, 4.03)) / (2 * (Copied(1024) - Copied(64)));
constexpr double DPDK_C = Cycles(64, 8.05) - 2 * NIC_PORT_CYCLES;
constexpr double DPDK_VM_TX = Cycles(64, 5.14) - DPDK_C - NIC_PORT_CYCLES - Copied(64) * DPDK_BYTE;
constexpr double DPDK_VM_RX = Cycles(64, 4.03) - DPDK_C - DPDK_VM_TX - 2 * Copied(64) * DPDK_BYTE;
// VPP (Zhang et al. 2019): the copy costs the same bytes.
constexpr double VPP_C = VPP_SWITCH_CYCLES + VPP_BATCH_CYCLES / VPP_BATCH;
constexpr double VPP_VM_TX = Cycles(64, 6.93) - VPP_C - NIC_PORT_CYCLES - Copied(64) * DPDK_BYTE;
constexpr double VPP_VM_RX = Cycles(64, 4.54) - VPP_C - VPP_VM_TX - 2 * Copied(64) * DPDK_BYTE;
// BESS (Zhang et al. 2019): r + t from v2v, split as OVS-DPDK's.
constexpr double BESS_C = BESS_SWITCH_CYCLES + BESS_BATCH_CYCLES / BESS_BATCH;
constexpr double BESS_VM = Cycles(64, 7.37) - BESS_C - 2 * Copied(64) * DPDK_BYTE;
constexpr double BESS_VM_RX = BESS_VM * DPDK_VM_RX / (DPDK_VM_RX + DPDK_VM_TX);
constexpr double BESS_VM_TX = BESS_VM - BESS_VM_RX;
// Loopback through one l2fwd VNF (Zhang et al. 2019: 2.37 Gb/s at 64 B) crosses the switch as p2v
// + v2p = v2v + p2p, except that the frames the VNF sends back were written by it just before
// (it rewrites the header): the switch's copy out of the VNF pulls that line from the VNF's core,
// which the v2v figure's generator (frames prepared beforehand) never made it do.
constexpr double MODIFIED_LINE_CYCLES = Cycles(64, 2.37) - Cycles(64, 4.03) - Cycles(64, 8.05);
// OVS kernel (Emmerich et al. 2018).
constexpr double KERNEL_CYCLES_PER_PACKET
    = KERNEL_GHZ * 1e3 / KERNEL_MPPS_64 - KERNEL_BATCH_CYCLES / KERNEL_BATCH;

/** \return \p x as text that reads back as the same double (17 significant digits) */
std::string
Exact(double x)
{
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%.17g", x);
    return buf;
}

/** \return a poll-mode (DPDK) profile's parameters */
std::vector<PresetParameter>
PollProfile(const std::string& source, double perPacket, uint32_t batch, double batchCycles,
            const std::string& batchSource, double vmRx, double vmTx)
{
    const std::string byte = "Zhang et al. 2019: OVS-DPDK v2v 64 vs 1024 B, two copies per frame; "
                             "a memory copy costs the same bytes whatever the switch "
                             "(derived in helper/preset.cc)";
    return {
        {"ns3::VirtualSwitch::Mode", "Poll", "DPDK poll-mode driver cores"},
        {"ns3::VirtualSwitch::VhostWorkers", "false",
         "vhost-user: the switch's PMD cores serve the virtqueues (no vhost-net thread)"},
        {"ns3::VirtualSwitch::ClockGHz", Exact(ZHANG_GHZ),
         "Zhang et al. 2019 testbed: Xeon E5-2690 v3, 2.6 GHz (the clock the cycles assume)"},
        {"ns3::VirtualSwitch::CyclesPerPacket", Exact(perPacket), source},
        {"ns3::VirtualSwitch::CyclesPerByte", Exact(DPDK_BYTE), byte},
        {"ns3::VirtualSwitch::VmPortRxCycles", Exact(vmRx), source},
        {"ns3::VirtualSwitch::VmPortTxCycles", Exact(vmTx), source},
        {"ns3::VirtualSwitch::NicPortRxCycles", Exact(NIC_PORT_CYCLES),
         "estimate: DPDK ixgbe vector PMD, a few tens of cycles per frame"},
        {"ns3::VirtualSwitch::NicPortTxCycles", Exact(NIC_PORT_CYCLES),
         "estimate: DPDK ixgbe vector PMD, a few tens of cycles per frame"},
        {"ns3::VirtualSwitch::BatchSize", std::to_string(batch), batchSource},
        {"ns3::VirtualSwitch::BatchCycles", Exact(batchCycles),
         "estimate: poll-loop iteration and burst call per batch"},
        {"ns3::VirtualSwitch::WakeupCycles", Exact(0), "poll mode: cores never sleep"},
        {"ns3::VirtualSwitch::WakeupLatency", "0ns", "poll mode: cores never sleep"},
        {"ns3::VirtualSwitch::PollLoopCycles", Exact(POLL_LOOP_CYCLES),
         "fitted: Zhang et al. 2019, OVS-DPDK p2p 64 B latency at 0.1 R+, p99 4.89 us (the idle "
         "loop's phase spreads the latency; helper/preset.cc); one figure, taken for every DPDK "
         "switch's loop"},
        {"ns3::VirtualSwitch::ModifiedLineCycles", Exact(MODIFIED_LINE_CYCLES),
         "fitted: Zhang et al. 2019, OVS-DPDK loopback 1 VNF 64 B 2.37 Gb/s = v2v + p2p + the "
         "VNF's rewritten header line pulled across cores (derived in helper/preset.cc); a "
         "property of the CPU, taken for every switch"},
        {"ns3::VirtualSwitch::EmptyPollCycles", Exact(EMPTY_POLL_CYCLES),
         "estimate: an empty RX burst (one descriptor's done bit, or a virtqueue's avail index, "
         "in the core's cache)"},
    };
}

std::vector<Preset>
MakeSwitchProfiles()
{
    const std::string zhang = "Zhang et al. 2019 (CoNEXT), Gb/s counting L1 bits, at 2.6 GHz; "
                              "derived in helper/preset.cc";
    Preset kernel;
    kernel.name = "ovs-kernel";
    kernel.kind = PresetKind::VSWITCH;
    kernel.description
        = "OVS kernel datapath with vhost-net: interrupt-driven, 1.9 Mpps per core at 64 B "
          "(Emmerich et al., JNSM 2018), per-byte copy cost from Zhang et al. 2019";
    kernel.parameters = {
        {"ns3::VirtualSwitch::Mode", "Interrupt", "OVS kernel datapath: vhost-net kicks"},
        {"ns3::VirtualSwitch::VhostWorkers", "true",
         "vhost-net: one worker thread per virtio device (drivers/vhost/net.c)"},
        {"ns3::VirtualSwitch::ClockGHz", Exact(KERNEL_GHZ),
         "assumed: Xeon E5-2630 v4 of the calibration host (doc/validation.md)"},
        {"ns3::VirtualSwitch::CyclesPerPacket", Exact(KERNEL_CYCLES_PER_PACKET),
         "Emmerich et al., JNSM 2018 (OVS kernel, 1.9 Mpps per core at 64 B port to port), "
         "derived in helper/preset.cc"},
        {"ns3::VirtualSwitch::CyclesPerByte", Exact(DPDK_BYTE),
         "estimate: vhost-net copies as much as vhost-user (Zhang et al. 2019)"},
        {"ns3::VirtualSwitch::VmPortRxCycles", Exact(0),
         "not published: the port-to-port figure is all in CyclesPerPacket"},
        {"ns3::VirtualSwitch::VmPortTxCycles", Exact(0),
         "not published: the port-to-port figure is all in CyclesPerPacket"},
        {"ns3::VirtualSwitch::NicPortRxCycles", Exact(0),
         "in CyclesPerPacket (Emmerich et al. measured port to port)"},
        {"ns3::VirtualSwitch::NicPortTxCycles", Exact(0),
         "in CyclesPerPacket (Emmerich et al. measured port to port)"},
        {"ns3::VirtualSwitch::BatchSize", std::to_string(KERNEL_BATCH), "Linux NAPI weight"},
        {"ns3::VirtualSwitch::BatchCycles", Exact(KERNEL_BATCH_CYCLES),
         "estimate: the kernel's per-round cost is in WakeupCycles"},
        {"ns3::VirtualSwitch::WakeupCycles", Exact(KERNEL_WAKEUP_CYCLES),
         "estimate: ~1 us of interrupt entry and softirq start at 2.2 GHz (the uplink's; each "
         "vhost worker has its own, VhostWorker::WakeupCycles)"},
        {"ns3::VirtualSwitch::WakeupLatency", "1us",
         "estimate: uplink interrupt to its softirq running (each vhost worker has its own, "
         "VhostWorker::WakeupLatency)"},
        {"ns3::VirtualSwitch::PollLoopCycles", Exact(0), "interrupt mode: no poll loop"},
        {"ns3::VirtualSwitch::ModifiedLineCycles", Exact(0),
         "not separated: the port-to-port figure is all in CyclesPerPacket"},
        {"ns3::VirtualSwitch::EmptyPollCycles", Exact(0), "interrupt mode: no poll loop"},
    };
    Preset dpdk;
    dpdk.name = "ovs-dpdk";
    dpdk.kind = PresetKind::VSWITCH;
    dpdk.description = "OVS-DPDK with vhost-user: poll-mode cores, bursts of 32; per-port costs "
                       "from Zhang et al. 2019 (v2v, p2v, p2p; Gb/s counting L1 bits)";
    dpdk.parameters
        = PollProfile(zhang, DPDK_C - DPDK_BATCH_CYCLES / DPDK_BATCH, DPDK_BATCH, DPDK_BATCH_CYCLES,
                      "OVS-DPDK NETDEV_MAX_BURST", DPDK_VM_RX, DPDK_VM_TX);
    Preset vpp;
    vpp.name = "vpp";
    vpp.kind = PresetKind::VSWITCH;
    vpp.description = "FD.io VPP with its vhost-user: vectors of up to 256 frames; VM-port costs "
                      "from Zhang et al. 2019 (v2v, p2v 64 B)";
    vpp.parameters = PollProfile(zhang, VPP_SWITCH_CYCLES, VPP_BATCH, VPP_BATCH_CYCLES,
                                 "VPP VLIB_FRAME_SIZE", VPP_VM_RX, VPP_VM_TX);
    Preset bess;
    bess.name = "bess";
    bess.kind = PresetKind::VSWITCH;
    bess.description = "BESS with DPDK's vhost PMD: batches of 32; VM-port costs from Zhang et "
                       "al. 2019 (v2v 64 B)";
    bess.parameters = PollProfile(zhang, BESS_SWITCH_CYCLES, BESS_BATCH, BESS_BATCH_CYCLES,
                                  "BESS PacketBatch::kMaxBurst", BESS_VM_RX, BESS_VM_TX);
    return {kernel, dpdk, vpp, bess};
}

/** \return every preset: NIC presets, then switch profiles; each kind's default first */
const std::vector<Preset>&
Presets()
{
    static const std::vector<Preset> presets = []
    {
        std::vector<Preset> v = MakePresets();
        for (Preset& p : MakeSwitchProfiles())
        {
            v.push_back(std::move(p));
        }
        return v;
    }();
    return presets;
}

} // namespace

std::vector<std::string>
ListPresets(PresetKind kind)
{
    std::vector<std::string> names;
    for (const auto& p : Presets())
    {
        if (p.kind == kind)
        {
            names.push_back(p.name);
        }
    }
    return names;
}

std::string
GetDefaultPresetName(PresetKind kind)
{
    return kind == PresetKind::NIC ? "nfp6000-bdw" : "ovs-kernel";
}

std::string
GetPresetNameList(PresetKind kind)
{
    std::string list;
    for (const auto& name : ListPresets(kind))
    {
        list += (list.empty() ? "" : ", ") + name;
    }
    return list;
}

const Preset*
FindPreset(const std::string& name, PresetKind kind)
{
    for (const auto& p : Presets())
    {
        if (p.kind == kind && p.name == name)
        {
            return &p;
        }
    }
    return nullptr;
}

const Preset&
GetPreset(const std::string& name, PresetKind kind)
{
    if (const Preset* p = FindPreset(name, kind))
    {
        return *p;
    }
    std::ostringstream msg;
    const bool nic = kind == PresetKind::NIC;
    msg << "unknown " << (nic ? "preset" : "switch profile") << " '" << name << "'; valid "
        << (nic ? "presets" : "profiles") << ": ";
    const auto names = ListPresets(kind);
    for (std::size_t i = 0; i < names.size(); ++i)
    {
        msg << (i ? ", " : "") << names[i]
            << (names[i] == GetDefaultPresetName(kind) ? " (default)" : "");
    }
    throw std::invalid_argument(msg.str());
}

void
ApplyPreset(const std::string& name, PresetKind kind)
{
    const Preset& p = GetPreset(name, kind);
    for (const auto& q : p.parameters)
    {
        NS_ABORT_MSG_IF(!Config::SetDefaultFailSafe(q.attribute, StringValue(q.value)),
                        "preset " << p.name << ": cannot set " << q.attribute << " to " << q.value);
    }
}

void
ApplyPreset(const Preset& preset, ObjectFactory& factory)
{
    const std::string type = factory.GetTypeId().GetName() + "::";
    for (const auto& q : preset.parameters)
    {
        NS_ABORT_MSG_IF(q.attribute.compare(0, type.size(), type) != 0,
                        "preset " << preset.name << ": " << q.attribute
                                  << " is not an attribute of " << factory.GetTypeId().GetName());
        const std::string name = q.attribute.substr(type.size());
        TypeId::AttributeInformation info;
        if (factory.GetTypeId().LookupAttributeByName(name, &info)
            && info.initialValue->SerializeToString(info.checker)
                   != info.originalInitialValue->SerializeToString(info.checker))
        {
            continue; // the program set this default (--ns3::): it wins over the preset
        }
        factory.Set(name, StringValue(q.value));
    }
}

std::string
ApplyPresetFromCommandLine(int argc, char* argv[], const std::string& fallback)
{
    std::string name;
    bool given = false;
    for (int i = 1; i < argc; ++i)
    {
        // As ns-3's CommandLine: one or two leading dashes, name=value.
        const char* a = argv[i];
        if (a[0] != '-')
        {
            continue;
        }
        a += a[1] == '-' ? 2 : 1;
        if (std::strncmp(a, "preset=", 7) == 0)
        {
            name = a + 7; // the last one wins, as with CommandLine
            given = true;
        }
    }
    if (!given)
    {
        if (fallback.empty())
        {
            return GetDefaultPresetName();
        }
        name = fallback;
    }
    ApplyPreset(name);
    return name;
}

} // namespace ns3
