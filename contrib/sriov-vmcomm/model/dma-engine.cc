/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "dma-engine.h"

#include "iommu.h"
#include "memory-domain.h"
#include "ns3/abort.h"
#include "ns3/log.h"
#include "ns3/nstime.h"
#include "ns3/simulator.h"
#include "pcie-link.h"

#include <algorithm>

namespace ns3 {

NS_LOG_COMPONENT_DEFINE("DmaEngine");
NS_OBJECT_ENSURE_REGISTERED(DmaEngine);

TypeId
DmaEngine::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::DmaEngine")
              .SetParent<Object>()
              .SetGroupName("SriovVmcomm")
              .AddConstructor<DmaEngine>()
              .AddAttribute("IssueInterval",
                            "Time the DMA engine needs per operation it issues (descriptor "
                            "processing); bounds small-transfer rates below what the link carries. "
                            "Default 0 (an ideal engine); the nfp6000-bdw preset calibrates it "
                            "against pcie-bench (DESIGN.md section 7).",
                            TimeValue(Time(0)), MakeTimeAccessor(&DmaEngine::m_issueInterval),
                            MakeTimeChecker(Time(0)))
              .AddTraceSource("Operation",
                              "A DMA operation: is-write, iova, hpa, length, completion instant",
                              MakeTraceSourceAccessor(&DmaEngine::m_opTrace),
                              "ns3::DmaEngine::OperationTracedCallback");
    return tid;
}

DmaEngine::DmaEngine()
    : m_reads(0)
    , m_writes(0)
{
}

DmaEngine::~DmaEngine() = default;

void
DmaEngine::DoDispose()
{
    m_link = nullptr;
    m_iommu = nullptr;
    m_memories.clear();
    Object::DoDispose();
}

void
DmaEngine::Attach(Ptr<PcieLink> link, Ptr<Iommu> iommu)
{
    NS_ABORT_MSG_IF(!link, "DmaEngine::Attach: a PCIe link is required");
    m_link = link;
    m_iommu = iommu;
}

void
DmaEngine::AddMemory(Ptr<MemoryDomain> memory)
{
    auto at = std::upper_bound(m_memories.begin(), m_memories.end(), memory,
                               [](const Ptr<MemoryDomain>& a, const Ptr<MemoryDomain>& b)
                               {
                                   return a->GetHpaBase() < b->GetHpaBase();
                               });
    m_memories.insert(at, memory);
}

MemoryDomain*
DmaEngine::Resolve(uint64_t hpa, uint32_t len, Ptr<MemoryDomain> fallback) const
{
    if (m_memories.empty())
    {
        return PeekPointer(fallback);
    }
    auto it = std::upper_bound(m_memories.begin(), m_memories.end(), hpa,
                               [](uint64_t a, const Ptr<MemoryDomain>& m)
                               {
                                   return a < m->GetHpaBase();
                               });
    NS_ABORT_MSG_IF(it == m_memories.begin() || !(*(it - 1))->ContainsHpa(hpa + len - 1),
                    "DMA to host physical address 0x" << std::hex << hpa
                                                      << " that no memory backs");
    return PeekPointer(*(it - 1));
}

Ptr<PcieLink>
DmaEngine::GetLink() const
{
    return m_link;
}

Ptr<Iommu>
DmaEngine::GetIommu() const
{
    return m_iommu;
}

uint64_t
DmaEngine::GetReads() const
{
    return m_reads;
}

uint64_t
DmaEngine::GetWrites() const
{
    return m_writes;
}

Time
DmaEngine::Issue(Time earliest)
{
    if (m_issueInterval.IsZero())
    {
        return earliest;
    }
    return TimeStep(m_engine.Reserve(earliest.GetTimeStep(), m_issueInterval.GetTimeStep(),
                                     Simulator::Now().GetTimeStep()));
}

DmaEngine::Result
DmaEngine::Translate(Ptr<MemoryDomain> mem, uint64_t iova, uint32_t len, bool write, Time at)
{
    Result r;
    r.done = at;
    if (!m_iommu)
    {
        // No remapping: IOVA is the guest physical address, bounded by the VM's memory.
        r.fault = iova + len > mem->GetSize();
        r.hpa = mem->GetHpaBase() + iova;
        return r;
    }
    uint32_t domain = mem->GetIommuDomain();
    uint64_t addr = iova;
    uint64_t end = iova + len;
    bool first = true;
    do
    {
        Iommu::Translation t = m_iommu->Translate(domain, addr, write, at);
        if (t.fault)
        {
            r.fault = true;
            return r;
        }
        if (first)
        {
            r.hpa = t.hpa;
            first = false;
        }
        else
        {
            // Commit() writes one contiguous host-physical range.
            NS_ABORT_MSG_IF(t.hpa != r.hpa + (addr - iova),
                            "DMA across physically discontiguous pages at iova 0x" << std::hex
                                                                                   << addr);
        }
        r.iotlbMiss |= !t.iotlbHit;
        r.done = std::max(r.done, t.readyAt);
        uint64_t remainder = t.pageBytes - (t.hpa & (t.pageBytes - 1));
        addr += remainder;
    } while (addr < end);
    r.iommuTime = r.done - at;
    return r;
}

DmaEngine::Result
DmaEngine::Read(Ptr<MemoryDomain> mem, uint64_t iova, uint8_t* out, uint32_t len, Time earliest)
{
    ++m_reads;
    Result r;
    Time issue = Issue(earliest);
    r.done = m_link->DeviceRead(len, issue,
                                [&](Time atRootComplex)
                                {
                                    Result t = Translate(mem, iova, len, false, atRootComplex);
                                    r.fault = t.fault;
                                    r.hpa = t.hpa;
                                    r.iotlbMiss = t.iotlbMiss;
                                    r.iommuTime = t.iommuTime;
                                    return t.iommuTime;
                                });
    if (!r.fault && out != nullptr)
    {
        Resolve(r.hpa, len, mem)->ReadHpa(r.hpa, out, len);
    }
    m_opTrace(false, iova, r.hpa, len, r.done);
    return r;
}

DmaEngine::Result
DmaEngine::Write(Ptr<MemoryDomain> mem, uint64_t iova, uint32_t len, Time earliest)
{
    ++m_writes;
    Time atRootComplex = m_link->DeviceWrite(len, Issue(earliest));
    Result r = Translate(mem, iova, len, true, atRootComplex);
    m_opTrace(true, iova, r.hpa, len, r.done);
    return r;
}

void
DmaEngine::Commit(Ptr<MemoryDomain> mem, const Result& result, const uint8_t* data, uint32_t len)
{
    NS_ABORT_MSG_IF(result.fault, "DmaEngine::Commit of a faulted write");
    Resolve(result.hpa, len, mem)->WriteHpa(result.hpa, data, len);
}

Time
DmaEngine::MsiX(Time earliest)
{
    return m_link->DeviceWrite(4, earliest);
}

Time
DmaEngine::Doorbell(Time earliest)
{
    return m_link->HostWrite(4, earliest);
}

} // namespace ns3
