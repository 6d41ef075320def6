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
        {"ns3::DmaEngine::UnalignedReadTime", "20ns",
         "the NFP6000's, fitted on the Haswell host's pcie-bench bw_dma_off_rd "
         "(doc/validation.md): "
         "a read at device offset 1 takes 42.7 ns (64 B) to 64.4 ns (256 B) more per operation: "
         "20 ns + 0.113 ns/B"},
        {"ns3::DmaEngine::UnalignedWriteTime", "0ns", NOT_MEASURED_BDW},
        {"ns3::DmaEngine::RealignDataRate", "70Gbps",
         "the NFP6000's: see UnalignedReadTime (0.113 ns/B)"},
        {"ns3::RootComplex::ReadRequestTime", "0ns", NOT_MEASURED_BDW},
        {"ns3::RootComplex::ReadLineTime", "0ns", NOT_MEASURED_BDW},
        {"ns3::RootComplex::WriteTlpTime", "0ns", NOT_MEASURED_BDW},
        {"ns3::RootComplex::WriteLineTime", "0ns", NOT_MEASURED_BDW},
        {"ns3::RootComplex::StraddleLineTime", "0ns", NOT_MEASURED_BDW},
        {"ns3::RootComplex::DirectionSwitchLineTime", "0ns", NOT_MEASURED_BDW},
        {"ns3::RootComplex::ColdReadLatency", "0ns", NOT_MEASURED_BDW},
        {"ns3::RootComplex::HostCacheBytes", "0", NOT_MEASURED_BDW},
        {"ns3::RootComplex::ReadLatencySpreadMean", "0ns", NOT_MEASURED_BDW},
        {"ns3::RootComplex::ReadLatencySpreadStdDev", "0ns", NOT_MEASURED_BDW},
        {"ns3::MemoryDomain::PageSize", "4096", std::string(SETUP) + ": 4 KiB IOMMU pages"},
        {"ns3::SriovNic::MaxVfs", "64",
         "estimate: Netronome does not publish the NFP6000's VFs per PF; 64 as a 10 GbE NIC "
         "(Intel 82599: 64 pools per port)"},
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
            {"ns3::RootComplex::StraddleLineTime", "3ns",
             std::string(HSW)
                 + "bw_dma_off_*: a host offset costs 64-256 B reads and writes 2-4 ns per "
                   "operation more, not a whole line (65 B at offset 0 costs a line: 6 ns)"},
            {"ns3::RootComplex::DirectionSwitchLineTime", "3ns",
             std::string(HSW)
                 + "BW_DMA_RW: alternating reads and writes take 20-25% longer per line than "
                   "the two alone"},
            {"ns3::RootComplex::ColdReadLatency", "40ns",
             std::string(HSW) + "LAT_DMA_RD median cold 640 ns, warm 600 ns"},
            {"ns3::Iommu::PostedWriteWalks", "7",
             std::string(HSW)
                 + "IOMMU on, 64 B writes over 8-64 MiB windows (every access misses): "
                   "22.1-23.1 M walks/s where reads sustain 19.1; 22.5 M/s x 320 ns = 7 "
                   "walkers of the posted queue's own (estimate)"},
            {"ns3::RootComplex::HostCacheBytes", "15728640",
             "Intel Xeon E5-2637 v3 datasheet: 15 MiB last-level cache; pcie-bench warm "
             "latency turns cold between 16 and 32 MiB windows"},

        });
    return {bdw, gen4, ideal3, ideal4, hsw};
}

// ---- Virtual switch profiles (doc/vswitch.md) ----
//
// The cost model is cycles = BatchCycles/batch + CyclesPerPacket + bytes x CyclesPerByte per
// frame, at ClockGHz. Its parameters come from published per-core rates:
//
// - OVS-DPDK, one PMD core, VM-to-VM unidirectional (Zhang et al., software-switch benchmark,
//   2019): 4.03 Gb/s with 64 B frames and 28.73 Gb/s with 1024 B frames. We read Gb/s as frame
//   bytes x 8 x frames/s (a VM-to-VM path has no preamble or inter-frame gap), and the frame
//   size as the bytes the switch copies (our frames carry no FCS). So
//     64 B:   4.03e9 / (64 x 8)    = 7.871 Mpps -> 127.05 ns/frame
//     1024 B: 28.73e9 / (1024 x 8) = 3.507 Mpps -> 285.14 ns/frame
//   At the assumed clock (below) that is 279.50 and 627.30 cycles per frame; the difference over
//   960 bytes gives 0.3623 cycles/byte (the two vhost-user copies), and 279.50 - 64 x 0.3623 =
//   256.32 cycles per frame of fixed cost, of which BatchCycles / BatchSize = 400 / 32 = 12.5 is
//   the per-burst overhead at saturation (full bursts): CyclesPerPacket = 243.82.
// - OVS kernel datapath, one core: about 1.9 Mpps with 64 B packets (Emmerich et al., JNSM 2018,
//   measured port to port): 2.2e9 / 1.9e6 = 1157.9 cycles per frame. The paper gives no per-byte
//   figure; vhost-net copies as much as vhost-user (guest to skb, skb to guest), so we reuse
//   0.3623 cycles/byte: CyclesPerPacket = 1157.9 - 64 x 0.3623 = 1134.7. VM-to-VM through
//   vhost-net adds kicks and wakeups (WakeupCycles, estimate), so the kernel profile is
//   optimistic for that path rather than pessimistic.
//
// Assumed clock: 2.2 GHz, the Xeon E5-2630 v4 of the calibration host (doc/validation.md); the
// benchmark's own CPU differs, but only cycles / clock enters the rates, so the profile
// reproduces the published rates at this clock, and scales linearly with ClockGHz.
//
// The attribute defaults of ns3::VirtualSwitch are the ovs-kernel profile (test/vswitch-test.cc
// checks that they agree to the last bit).

constexpr double CLOCK_GHZ = 2.2;             //!< assumed clock (see above)
constexpr double DPDK_GBPS_64 = 4.03;         //!< Zhang et al. 2019, 64 B
constexpr double DPDK_GBPS_1024 = 28.73;      //!< Zhang et al. 2019, 1024 B
constexpr double KERNEL_MPPS_64 = 1.9;        //!< Emmerich et al. 2018, 64 B
constexpr uint32_t DPDK_BATCH = 32;           //!< OVS-DPDK NETDEV_MAX_BURST
constexpr double DPDK_BATCH_CYCLES = 400;     //!< estimate: PMD loop + burst call per poll
constexpr uint32_t KERNEL_BATCH = 64;         //!< Linux NAPI weight (vhost-net serves in rounds)
constexpr double KERNEL_BATCH_CYCLES = 0;     //!< in WakeupCycles instead
constexpr double KERNEL_WAKEUP_CYCLES = 2200; //!< estimate: ~1 us of eventfd wakeup + switch-in

/** \return cycles per frame of \p bytes at \p gbps (frame bytes, Gb/s) at CLOCK_GHZ */
constexpr double
CyclesPerFrame(double bytes, double gbps)
{
    return bytes * 8 / gbps * CLOCK_GHZ;
}

constexpr double DPDK_CYCLES_PER_BYTE
    = (CyclesPerFrame(1024, DPDK_GBPS_1024) - CyclesPerFrame(64, DPDK_GBPS_64)) / (1024 - 64);
constexpr double DPDK_CYCLES_PER_PACKET
    = CyclesPerFrame(64, DPDK_GBPS_64) - 64 * DPDK_CYCLES_PER_BYTE - DPDK_BATCH_CYCLES / DPDK_BATCH;
constexpr double KERNEL_CYCLES_PER_BYTE = DPDK_CYCLES_PER_BYTE;
constexpr double KERNEL_CYCLES_PER_PACKET = CLOCK_GHZ * 1e3 / KERNEL_MPPS_64
                                          - 64 * KERNEL_CYCLES_PER_BYTE
                                          - KERNEL_BATCH_CYCLES / KERNEL_BATCH;

/** \return \p x as text that reads back as the same double (17 significant digits) */
std::string
Exact(double x)
{
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%.17g", x);
    return buf;
}

std::vector<Preset>
MakeSwitchProfiles()
{
    const std::string zhang = "Zhang et al. 2019 (OVS-DPDK VM-to-VM, 4.03 Gb/s at 64 B, 28.73 "
                              "Gb/s at 1024 B per core), derived in helper/preset.cc";
    const std::string emmerich = "Emmerich et al., JNSM 2018 (OVS kernel, 1.9 Mpps per core at "
                                 "64 B) less the per-byte part, derived in helper/preset.cc";
    const std::string clock = "Xeon E5-2630 v4 of the calibration host (doc/validation.md)";
    Preset kernel;
    kernel.name = "ovs-kernel";
    kernel.kind = PresetKind::VSWITCH;
    kernel.description
        = "OVS kernel datapath with vhost-net: interrupt-driven, 1.9 Mpps per core at 64 B "
          "(Emmerich et al., JNSM 2018), per-byte copy cost from Zhang et al. 2019";
    kernel.parameters = {
        {"ns3::VirtualSwitch::Mode", "Interrupt", "OVS kernel datapath: vhost-net kicks"},
        {"ns3::VirtualSwitch::ClockGHz", Exact(CLOCK_GHZ), clock},
        {"ns3::VirtualSwitch::CyclesPerPacket", Exact(KERNEL_CYCLES_PER_PACKET), emmerich},
        {"ns3::VirtualSwitch::CyclesPerByte", Exact(KERNEL_CYCLES_PER_BYTE),
         "estimate: vhost-net copies as much as vhost-user; " + zhang},
        {"ns3::VirtualSwitch::BatchSize", std::to_string(KERNEL_BATCH), "Linux NAPI weight"},
        {"ns3::VirtualSwitch::BatchCycles", Exact(KERNEL_BATCH_CYCLES),
         "estimate: the kernel's per-round cost is in WakeupCycles"},
        {"ns3::VirtualSwitch::WakeupCycles", Exact(KERNEL_WAKEUP_CYCLES),
         "estimate: ~1 us of eventfd wakeup and vhost worker switch-in at 2.2 GHz"},
        {"ns3::VirtualSwitch::WakeupLatency", "1us", "estimate: kick to vhost worker running"},
    };
    Preset dpdk;
    dpdk.name = "ovs-dpdk";
    dpdk.kind = PresetKind::VSWITCH;
    dpdk.description = "OVS-DPDK with vhost-user: poll-mode cores, bursts of 32; 4.03 Gb/s at 64 B "
                       "and 28.73 Gb/s at 1024 B per core VM-to-VM (Zhang et al. 2019)";
    dpdk.parameters = {
        {"ns3::VirtualSwitch::Mode", "Poll", "OVS-DPDK: poll-mode driver cores"},
        {"ns3::VirtualSwitch::ClockGHz", Exact(CLOCK_GHZ), clock},
        {"ns3::VirtualSwitch::CyclesPerPacket", Exact(DPDK_CYCLES_PER_PACKET), zhang},
        {"ns3::VirtualSwitch::CyclesPerByte", Exact(DPDK_CYCLES_PER_BYTE), zhang},
        {"ns3::VirtualSwitch::BatchSize", std::to_string(DPDK_BATCH), "OVS-DPDK NETDEV_MAX_BURST"},
        {"ns3::VirtualSwitch::BatchCycles", Exact(DPDK_BATCH_CYCLES),
         "estimate: PMD loop iteration and burst call per poll"},
        {"ns3::VirtualSwitch::WakeupCycles", Exact(0), "poll mode: cores never sleep"},
        {"ns3::VirtualSwitch::WakeupLatency", "0ns", "poll mode: cores never sleep"},
    };
    return {kernel, dpdk};
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
        factory.Set(q.attribute.substr(type.size()), StringValue(q.value));
    }
}

std::string
ApplyPresetFromCommandLine(int argc, char* argv[])
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
        return GetDefaultPresetName();
    }
    ApplyPreset(name);
    return name;
}

} // namespace ns3
