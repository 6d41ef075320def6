/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * An SR-IOV NIC (see sriov-nic.h): VF configuration (steps 1 and 2), frame records, drops, the
 * uplink port, peer messages, and the forwarder chosen by the Forwarding attribute.
 */
#include "sriov-nic.h"

#include "device-list-channel.h"
#include "dma-engine.h"
#include "forwarding/nic-forwarder.h"
#include "forwarding/offload-forwarder.h"
#include "forwarding/veb-forwarder.h"
#include "forwarding/vepa-forwarder.h"
#include "forwarding/vf-dma-forwarder.h"
#include "iommu.h"
#include "memory-domain.h"
#include "ns3-compat.h"
#include "ns3/abort.h"
#include "ns3/enum.h"
#include "ns3/log.h"
#include "ns3/pointer.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"
#include "pcie-hierarchy.h"
#include "pcie-link.h"
#include "vf-net-device.h"
#include "virtual-function.h"

#include <algorithm>
#include <cstring>

namespace ns3 {

NS_LOG_COMPONENT_DEFINE("SriovNic");
NS_OBJECT_ENSURE_REGISTERED(SriovNic);

const char*
SriovNic::GetDropReasonName(DropReason reason)
{
    static const char* names[DROP_REASONS]
        = {"no-rx-buffer",   "iommu-fault",         "tx-ring-full",
           "no-uplink",      "frame-too-large",     "hold-queue-full",
           "uplink-refused", "eswitch-buffer-full", "no-destination"};
    NS_ABORT_MSG_IF(reason >= DROP_REASONS, "unknown drop reason " << reason);
    return names[reason];
}

TypeId
SriovNic::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::SriovNic")
              .SetParent<Object>()
              .SetGroupName("SriovVmcomm")
              .AddConstructor<SriovNic>()
              .AddAttribute("LookupLatency",
                            "Time of one mapping-table lookup in the NIC (step 4). Estimate: a "
                            "hash/TCAM lookup of a few NIC clock cycles (a few ns at ~1 GHz).",
                            TimeValue(NanoSeconds(5)), MakeTimeAccessor(&SriovNic::m_lookupLatency),
                            MakeTimeChecker(Time(0)))
              .AddAttribute("VfMessageLatency",
                            "Time of one message between two VFs inside the NIC: the length "
                            "(step 5), the RX buffer address (step 6), the done notice (step 10). "
                            "Estimate: an on-chip message of ~10-20 cycles.",
                            TimeValue(NanoSeconds(10)),
                            MakeTimeAccessor(&SriovNic::m_vfMessageLatency),
                            MakeTimeChecker(Time(0)))
              .AddAttribute("NoRxBufferPolicy",
                            "Step 6 without a free RX buffer: Drop (counted as no-rx-buffer) or "
                            "Hold the frame in NIC memory until the guest posts buffers. The "
                            "patent allows either; Drop is what NICs do when a ring is empty.",
                            EnumValue(POLICY_DROP), compat::MakeEnumAccessor(&SriovNic::m_policy),
                            MakeEnumChecker(POLICY_DROP, "Drop", POLICY_HOLD, "Hold"))
              .AddAttribute(
                  "Forwarding",
                  "How a frame from one VF to another VF of this NIC travels: VfDma "
                  "(patent US9483290B1, steps 3-11), Veb (embedded-switch hairpin), "
                  "Vepa (out of the uplink, reflected by the switch), Offload (a host "
                  "virtual switch decides each frame, the VF does the DMA)",
                  EnumValue(FORWARD_VF_DMA),
                  compat::MakeEnumAccessor(&SriovNic::SetForwarding, &SriovNic::GetForwarding),
                  MakeEnumChecker(FORWARD_VF_DMA, "VfDma", FORWARD_VEB, "Veb", FORWARD_VEPA, "Vepa",
                                  FORWARD_OFFLOAD, "Offload"))
              .AddAttribute("EswitchLatency",
                            "veb: store-and-forward time of the embedded switch, from the frame "
                            "in NIC buffer memory to the destination VF's RX engine. Estimate: "
                            "~300 ns, a NIC switching pipeline of a few hundred cycles.",
                            TimeValue(NanoSeconds(300)),
                            MakeTimeAccessor(&SriovNic::m_eswitchLatency), MakeTimeChecker(Time(0)))
              .AddAttribute("EswitchBufferBytes",
                            "veb: embedded-switch buffer memory shared by the hairpinned frames, "
                            "bytes; beyond, frames are dropped (eswitch-buffer-full). Estimate: "
                            "512 KiB of on-NIC packet buffer.",
                            UintegerValue(512 * 1024),
                            MakeUintegerAccessor(&SriovNic::m_eswitchBufferBytes),
                            MakeUintegerChecker<uint32_t>(2048))
              .AddAttribute("OffloadUpcallLatency",
                            "vswitch-offload: time for the host virtual switch to see a VF's "
                            "request (header written to host memory, picked up by a polling "
                            "core). Estimate: 200 ns.",
                            TimeValue(NanoSeconds(200)),
                            MakeTimeAccessor(&SriovNic::m_upcallLatency), MakeTimeChecker(Time(0)))
              .AddAttribute("OffloadDecisionTime",
                            "vswitch-offload: host-core time to decide one frame (a lookup, no "
                            "copy), on the host VirtualSwitch's upcall handler core "
                            "(VirtualSwitch::Upcall): the ovs-dpdk profile's 244 cycles per packet "
                            "at 2.2 GHz "
                            "(doc/vswitch.md, from Zhang et al. 2019).",
                            TimeValue(NanoSeconds(111)),
                            MakeTimeAccessor(&SriovNic::m_decisionTime), MakeTimeChecker(Time(0)))
              .AddAttribute("HoldQueueFrames",
                            "Frames the NIC holds per destination VF under the Hold policy; "
                            "beyond, frames are dropped as hold-queue-full. Estimate: 256 frames "
                            "of NIC buffer memory per VF.",
                            UintegerValue(256), MakeUintegerAccessor(&SriovNic::m_holdLimit),
                            MakeUintegerChecker<uint32_t>(1))
              .AddAttribute("MaxVfs",
                            "Virtual functions the NIC offers per physical function (the SR-IOV "
                            "capability's TotalVFs): a host has at most this many VMs with a VF "
                            "per NIC. Default 64: an estimate (Netronome does not publish the "
                            "NFP6000's limit; a 10 GbE NIC such as the Intel 82599 offers 64 "
                            "pools per port); presets set it (preset.cc).",
                            UintegerValue(64), MakeUintegerAccessor(&SriovNic::m_maxVfs),
                            MakeUintegerChecker<uint32_t>(1, 65535))
              .AddAttribute("Forwarder",
                            "The forwarding strategy the NIC created for its Forwarding mode "
                            "(model/forwarding/): VfDmaForwarder, VebForwarder, VepaForwarder "
                            "or OffloadForwarder",
                            TypeId::ATTR_GET, PointerValue(),
                            MakePointerAccessor(&SriovNic::GetForwarder),
                            MakePointerChecker<NicForwarder>())
              .AddAttribute(
                  "DmaEngine", "The NIC's DMA engine (set by Attach): its Operation trace",
                  TypeId::ATTR_GET, PointerValue(), MakePointerAccessor(&SriovNic::GetDmaEngine),
                  MakePointerChecker<DmaEngine>())
              .AddAttribute("PcieLink",
                            "The NIC's PCIe link to the root complex (set by Attach): its "
                            "Transfer trace",
                            TypeId::ATTR_GET, PointerValue(),
                            MakePointerAccessor(&SriovNic::GetPcieLink),
                            MakePointerChecker<PcieLink>())
              .AddAttribute("Iommu",
                            "The host's IOMMU the NIC's DMA goes through (set by Attach; null "
                            "without DMA remapping): its Fault and Translate traces",
                            TypeId::ATTR_GET, PointerValue(),
                            MakePointerAccessor(&SriovNic::GetIommu), MakePointerChecker<Iommu>())
              .AddTraceSource("Drop", "A frame was dropped: VF, reason",
                              MakeTraceSourceAccessor(&SriovNic::m_dropTrace),
                              "ns3::SriovNic::DropTracedCallback")
              .AddTraceSource("PacketDrop",
                              "A frame was dropped: its packet as the sending stack handed it "
                              "(no Ethernet header; null if unknown), reason",
                              MakeTraceSourceAccessor(&SriovNic::m_packetDropTrace),
                              "ns3::SriovNic::PacketDropTracedCallback");
    return tid;
}

SriovNic::SriovNic()
    : m_nicIndex(0)
    , m_eswitchUsed(0)
    , m_eswitchFrames(0)
    , m_nextFrameId(1)
    , m_uplinkTx(0)
    , m_uplinkRx(0)
    , m_defaultVf(NO_DEFAULT_VF)
{
    std::fill(std::begin(m_drops), std::end(m_drops), 0);
}

SriovNic::~SriovNic() = default;

void
SriovNic::DoDispose()
{
    for (auto& vf : m_vfs)
    {
        vf = nullptr;
    }
    m_vfs.clear();
    m_vfAddresses.clear();
    m_functions.clear();
    if (m_forwarder)
    {
        m_forwarder->Dispose();
        m_forwarder = nullptr;
    }
    m_frames.clear();
    m_freeFrames.clear();
    m_dma = nullptr;
    m_link = nullptr;
    m_hierarchy = nullptr;
    m_channel = nullptr;
    m_uplink = nullptr;
    Object::DoDispose();
}

void
SriovNic::Attach(Ptr<PcieLink> link, Ptr<Iommu> iommu, Ptr<DmaEngine> dma)
{
    NS_LOG_FUNCTION(this << link << iommu << dma);
    NS_ABORT_MSG_IF(!link || !dma, "SriovNic::Attach: the PCIe link and the DMA engine are needed");
    m_link = link;
    m_dma = dma;
    m_dma->Attach(link, iommu);
}

uint32_t
SriovNic::AddVf(Ptr<VfNetDevice> vf, Ptr<MemoryDomain> memory, Mac48Address address, uint16_t vlan)
{
    NS_LOG_FUNCTION(this << vf << memory << address << vlan);
    NS_ABORT_MSG_IF(!m_dma, "SriovNic::AddVf before Attach");
    NS_ABORT_MSG_IF(!m_table || !m_channel,
                    "SriovNic::AddVf before the NIC has a mapping table and a VF segment "
                    "(SetSegment, or PcieHierarchy::Add)");
    NS_ABORT_MSG_IF(m_table->Lookup(address, vlan) != nullptr,
                    "SriovNic::AddVf: address " << address << " is already in the mapping table");
    NS_ABORT_MSG_IF(m_vfs.size() >= m_maxVfs,
                    "SriovNic::AddVf: the NIC offers " << m_maxVfs << " functions (MaxVfs)");
    uint32_t index = m_vfs.size();
    m_vfs.push_back(vf);
    m_vfAddresses.push_back(address);
    m_functions.push_back(PeekPointer(vf->GetFunction()));
    m_channel->Add(vf);
    vf->Attach(this, index, memory);
    // The VF's identity is known from now on (the stack and ARP see it before the simulation
    // starts); steps 1 and 2 themselves run when the VF comes up (ConfigureVf).
    vf->SetAddress(address);
    m_table->Add(address, vlan, {index, memory->GetIommuDomain(), m_nicIndex});
    return index;
}

void
SriovNic::ConfigureVf(uint32_t vf)
{
    NS_LOG_FUNCTION(this << vf);
    NS_ABORT_MSG_IF(vf >= m_vfs.size(), "SriovNic::ConfigureVf: no VF " << vf);
    m_functions[vf]->AssignAddress(m_vfAddresses[vf]);
    // The table of the whole host goes to the VF (and, through the domain ids in it, to the
    // IOMMU).
    m_functions[vf]->ProvideMappingTable(m_table);
}

void
SriovNic::JoinHierarchy(Ptr<PcieHierarchy> hierarchy, uint32_t index)
{
    NS_ABORT_MSG_IF(!m_vfs.empty(), "SriovNic::JoinHierarchy after VFs were added");
    m_hierarchy = hierarchy;
    m_nicIndex = index;
    m_table = hierarchy->GetMappingTable();
    m_channel = hierarchy->GetChannel();
}

void
SriovNic::SetSegment(Ptr<VfMappingTable> table, Ptr<DeviceListChannel> channel)
{
    NS_LOG_FUNCTION(this << table << channel);
    NS_ABORT_MSG_IF(!m_vfs.empty(), "SriovNic::SetSegment after VFs were added");
    NS_ABORT_MSG_IF(!table || !channel, "SriovNic::SetSegment: null table or channel");
    m_table = table;
    m_channel = channel;
}

uint32_t
SriovNic::GetNicIndex() const
{
    return m_nicIndex;
}

SriovNic*
SriovNic::GetPeer(uint32_t nic)
{
    if (nic == m_nicIndex)
    {
        return this;
    }
    NS_ABORT_MSG_IF(!m_hierarchy, "SriovNic: a mapping-table entry names NIC " << nic
                                                                               << " and this NIC "
                                                                                  "has no peers");
    return PeekPointer(m_hierarchy->GetNic(nic));
}

Time
SriovNic::SendVfMessage(const SriovNic& to, uint32_t toVf, uint32_t fromDomain, const Time& at)
{
    // A message is a register write of 8 bytes (length, buffer address or done flag).
    static constexpr uint32_t MESSAGE_BYTES = 8;
    Time handled = at + m_vfMessageLatency;
    if (&to == this || to.m_link == m_link)
    {
        return handled; // this NIC, or another port of the same chip: on-chip
    }
    return m_hierarchy->PeerWrite(m_nicIndex, to.m_nicIndex, toVf, fromDomain, MESSAGE_BYTES,
                                  handled);
}

Ptr<PcieHierarchy>
SriovNic::GetHierarchy() const
{
    return m_hierarchy;
}

Ptr<Channel>
SriovNic::GetChannel() const
{
    return m_channel;
}

Ptr<DmaEngine>
SriovNic::GetDmaEngine() const
{
    return m_dma;
}

Ptr<PcieLink>
SriovNic::GetPcieLink() const
{
    return m_link;
}

Ptr<NicForwarder>
SriovNic::GetForwarder() const
{
    return m_forwarder;
}

uint32_t
SriovNic::GetNVfs() const
{
    return m_vfs.size();
}

Ptr<VfNetDevice>
SriovNic::GetVf(uint32_t i) const
{
    NS_ABORT_MSG_IF(i >= m_vfs.size(), "SriovNic::GetVf: no VF " << i);
    return m_vfs[i];
}

Ptr<Iommu>
SriovNic::GetIommu() const
{
    return m_dma ? m_dma->GetIommu() : nullptr;
}

NicFrame*
SriovNic::AllocateFrame()
{
    NS_LOG_FUNCTION(this);
    NicFrame* f;
    if (m_freeFrames.empty())
    {
        m_frames.push_back(std::make_unique<NicFrame>());
        f = m_frames.back().get();
    }
    else
    {
        f = m_freeFrames.back();
        m_freeFrames.pop_back();
    }
    // Unique in the host: the NIC's index in its hierarchy in the top 16 bits (0 alone).
    f->id = uint64_t(m_nicIndex) << 48 | m_nextFrameId++;
    f->owner = this;
    f->dstNic = this;
    f->srcVf = NicFrame::UPLINK;
    f->length = 0;
    f->iommu = Time(0);
    f->nic = Time(0);
    f->guestTx = Time(0);
    f->at = Simulator::Now();
    return f;
}

void
SriovNic::FreeFrame(NicFrame* frame)
{
    if (frame->owner != this)
    {
        frame->owner->FreeFrame(frame); // a peer NIC's frame, completed here
        return;
    }
    m_eswitchUsed -= frame->eswitchBytes;
    frame->eswitchBytes = 0;
    frame->meta = nullptr;
    m_freeFrames.push_back(frame);
    if (frame->txWindow)
    {
        // The frame has left the NIC: its source VF's TX engine may fetch another.
        frame->txWindow = false;
        m_functions[frame->srcVf]->TxFrameLeft();
    }
}

void
SriovNic::CountDrop(uint32_t vf, DropReason reason, Ptr<const Packet> packet)
{
    ++m_drops[reason];
    NS_LOG_LOGIC("drop vf " << vf << " " << GetDropReasonName(reason));
    m_dropTrace(vf, GetDropReasonName(reason));
    m_packetDropTrace(packet, GetDropReasonName(reason));
}

void
SriovNic::Drop(NicFrame* frame, DropReason reason)
{
    NS_LOG_FUNCTION(this << frame->id << reason);
    CountDrop(frame->srcVf == NicFrame::UPLINK ? frame->dstVf : frame->srcVf, reason, frame->meta);
    FreeFrame(frame);
}

void
SriovNic::SetForwarding(Forwarding forwarding)
{
    NS_LOG_FUNCTION(this << forwarding);
    Ptr<NicForwarder> forwarder;
    switch (forwarding)
    {
        case FORWARD_VF_DMA:
            forwarder = CreateObject<VfDmaForwarder>();
            break;
        case FORWARD_VEB:
            forwarder = CreateObject<VebForwarder>();
            break;
        case FORWARD_VEPA:
            forwarder = CreateObject<VepaForwarder>();
            break;
        case FORWARD_OFFLOAD:
            forwarder = CreateObject<OffloadForwarder>();
            break;
    }
    NS_ABORT_MSG_IF(!forwarder, "SriovNic: unknown Forwarding " << int(forwarding));
    forwarder->SetNic(this);
    m_forwarding = forwarding;
    m_forwarder = forwarder;
}

void
SriovNic::BuffersAvailable(uint32_t vf, Time at)
{
    NS_LOG_FUNCTION(this << vf << at);
    m_forwarder->BuffersAvailable(vf, at);
}

void
SriovNic::Forward(NicFrame* frame, VirtualFunction& src)
{
    NS_LOG_FUNCTION(this << frame->id << src.GetIndex());
    m_forwarder->Forward(frame, src);
}

bool
SriovNic::ReserveEswitchBuffer(NicFrame* frame)
{
    if (m_eswitchUsed + frame->length > m_eswitchBufferBytes)
    {
        return false;
    }
    // The buffer is held until the destination's RX DMA is done (FreeFrame).
    m_eswitchUsed += frame->length;
    frame->eswitchBytes = frame->length;
    ++m_eswitchFrames;
    return true;
}

Time
SriovNic::GetOffloadCoreTime() const
{
    return m_forwarder->GetDecisionCoreTime();
}

Time
SriovNic::GetOffloadCoreTimeSoFar() const
{
    return m_forwarder->GetDecisionCoreTimeSoFar();
}

uint32_t
SriovNic::GetFramesInFlight() const
{
    return m_frames.size() - m_freeFrames.size();
}

uint64_t
SriovNic::GetEswitchFrames() const
{
    return m_eswitchFrames;
}

uint64_t
SriovNic::GetDrops(DropReason reason) const
{
    return m_drops[reason];
}

uint64_t
SriovNic::GetTotalDrops() const
{
    uint64_t sum = 0;
    for (uint64_t d : m_drops)
    {
        sum += d;
    }
    return sum;
}

} // namespace ns3
