/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef PCIE_LINK_H
#define PCIE_LINK_H

#include "busy-calendar.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"

#include <functional>
#include <queue>
#include <vector>

namespace ns3 {

/**
 * \ingroup sriov-vmcomm
 * \brief The PCIe link between a root complex and a device (the NIC), after the pcie-bench model
 * (Neugebauer et al., "Understanding PCIe performance for end host networking", SIGCOMM 2018).
 *
 * The link is full duplex: upstream (device to root complex) and downstream (root complex to
 * device) serialize independently. Each direction carries TLPs at the usable TLP bandwidth, the
 * raw rate less the DLLP acknowledgement and flow-control overhead. A TLP of S payload bytes costs
 * S + 8 (DLLP framing) + 4 (TLP header) + 12 (64-bit memory request) or + 8 (completion) bytes,
 * + 4 with ECRC.
 *
 * Timing is computed by reservation: each direction is a FIFO server whose next free instant is
 * kept, so a transfer costs no simulator event of its own. A caller asks when a TLP burst that is
 * ready at \p earliest reaches the far end and gets the instant back; the direction is busy until
 * the burst has been serialized. Non-posted reads hold one of MaxOutstandingReads tags from the
 * request until their last completion arrives, so read bandwidth obeys Little's law.
 */
class PcieLink : public Object
{
  public:
    /** Direction of a transfer on the link. */
    enum Direction
    {
        UPSTREAM = 0,  //!< device to root complex (DMA writes, read requests, MSI-X)
        DOWNSTREAM = 1 //!< root complex to device (completions, MMIO writes such as doorbells)
    };

    /** How a read's completion data is split into completion TLPs. */
    enum CompletionSplit
    {
        SPLIT_MPS = 0, //!< completions of up to MPS bytes (the pcie-bench reference model)
        SPLIT_RCB = 1  //!< completions of up to RCB bytes (a root complex that splits at RCB)
    };

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    PcieLink();
    ~PcieLink() override;

    /** \return raw bit rate of one direction in bit/s: GT/s x encoding x lanes */
    double GetRawBandwidthBps() const;
    /** \return bit rate left for TLPs in one direction, in bit/s, after DLLP ACK/FC overhead */
    double GetTlpBandwidthBps() const;

    /**
     * \param bytes payload of a DMA write (device to host memory)
     * \return bytes on the wire upstream: ceil(bytes/MPS) memory-write TLPs with their overhead
     */
    uint64_t GetWriteWireBytes(uint32_t bytes) const;
    /**
     * \param bytes payload of a DMA write
     * \return the memory-write TLPs it splits into: ceil(bytes/MPS) (as GetWriteWireBytes counts)
     */
    uint32_t GetWriteTlps(uint32_t bytes) const;
    /**
     * \param bytes size of a DMA read
     * \return bytes of read-request TLPs upstream: ceil(bytes/MRRS) requests
     */
    uint64_t GetReadRequestWireBytes(uint32_t bytes) const;
    /**
     * \param bytes size of a DMA read
     * \param completions completion TLPs the root complex sends (0: split per the
     *        CompletionSplit attribute; see RootComplex::CompletionCoalesceLines)
     * \return bytes of completion TLPs downstream
     */
    uint64_t GetReadCompletionWireBytes(uint32_t bytes, uint32_t completions = 0) const;
    /**
     * \param bytes transfer size
     * \return effective DMA write bandwidth in bit/s (data / wire bytes x TLP bandwidth)
     */
    double GetEffectiveWriteBps(uint32_t bytes) const;
    /**
     * \param bytes transfer size
     * \return effective DMA read bandwidth in bit/s, limited by whichever direction saturates
     */
    double GetEffectiveReadBps(uint32_t bytes) const;

    /**
     * \brief Reserve the link for a posted write from the device into host memory (a DMA write,
     * a descriptor write-back or an MSI-X message).
     * \param bytes payload bytes
     * \param earliest instant the device has the data ready
     * \return instant the last TLP reaches the root complex (serialization + PropagationDelay)
     */
    Time DeviceWrite(uint32_t bytes, const Time& earliest);

    /**
     * \brief Reserve the link for a posted write from the host to the device (MMIO: a doorbell).
     * \param bytes payload bytes
     * \param earliest instant the CPU issues the write
     * \return instant the write reaches the device
     */
    Time HostWrite(uint32_t bytes, const Time& earliest);

    /**
     * \brief Reserve the link for a DMA read by the device of host memory.
     *
     * The read waits for a free tag, sends its request TLPs upstream, spends \p rootLatency at
     * the root complex (IOMMU translation, the memory access: see RootComplexReadLatency), and
     * its completions come back downstream.
     * \param bytes bytes read
     * \param earliest instant the device issues the read
     * \param extraRootLatency root-complex time beyond RootComplexReadLatency (an IOMMU walk)
     * \return instant the last completion byte reaches the device
     */
    Time DeviceRead(uint32_t bytes, Time earliest, Time extraRootLatency);

    /**
     * \brief Like DeviceRead, but the root-complex time is known only once the request has
     * reached the root complex (the IOMMU translates then).
     * \param bytes bytes read
     * \param earliest instant the device issues the read
     * \param atRootComplex called with the instant the last request TLP reaches the root complex;
     *        returns the extra root-complex time (added to RootComplexReadLatency)
     * \return instant the last completion byte reaches the device
     */
    Time DeviceRead(uint32_t bytes, Time earliest, const std::function<Time(Time)>& atRootComplex);

    /**
     * \brief Put this link below a PCIe switch: traffic between the device and the root complex
     * then also crosses the switch (\p switchLatency each way) and the switch's upstream link.
     * Reads keep their tags and root-complex time on this link (the device's).
     * \param upstream the switch's link to the root complex (null: this link reaches it)
     * \param switchLatency the switch's port-to-port latency
     */
    void SetUpstream(Ptr<PcieLink> upstream, Time switchLatency);
    /** \return the switch's upstream link, or null */
    Ptr<PcieLink> GetUpstream() const;

    /**
     * \brief Reserve this link alone for a posted write between the device and the port above
     * it (a peer-to-peer write a switch turns around, not going on to the root complex).
     * \param dir UPSTREAM from the device, DOWNSTREAM to it
     * \param bytes payload bytes
     * \param earliest instant the write is ready
     * \return instant the last TLP reaches the far end of this link
     */
    Time PortWrite(Direction dir, uint32_t bytes, const Time& earliest);

    /** \param dir direction \return payload bytes carried so far */
    uint64_t GetPayloadBytes(Direction dir) const;
    /** \param dir direction \return wire bytes (payload + TLP/DLLP overhead) carried so far */
    uint64_t GetWireBytes(Direction dir) const;
    /** \param dir direction \return TLPs carried so far */
    uint64_t GetTlps(Direction dir) const;
    /**
     * \param dir direction
     * \return total time the direction is reserved for serializing, including reservations
     * that lie in the future (TLPs scheduled behind a backlog)
     */
    Time GetBusyTime(Direction dir) const;
    /**
     * \param dir direction
     * \return time the direction spent serializing up to the present: GetBusyTime() without the
     * reserved time that lies after now. Differences of two readings give the busy time within
     * a window (the scenario's traffic window), so that utilization is not diluted by idle time.
     */
    Time GetBusyTimeSoFar(Direction dir) const;
    /** \return number of reads that had to wait for a free tag */
    uint64_t GetTagStalls() const;
    /** \brief Zero the counters (not the reservations). */
    void ResetCounters();

    /**
     * TracedCallback signature of the Transfer trace source.
     * \param dir Direction (UPSTREAM or DOWNSTREAM)
     * \param payload payload bytes of the reservation
     * \param wire bytes on the wire
     * \param start instant serialization starts
     * \param end instant serialization ends (propagation not included)
     */
    typedef void (*TransferTracedCallback)(uint8_t dir, uint64_t payload, uint64_t wire, Time start,
                                           Time end);

  protected:
    void DoDispose() override;

  private:
    // DmaEngine reserves through the private two-phase read and the write below: one present
    // (LazyNow) for all the reservations of an operation, and no std::function per read.
    friend class DmaEngine;

    /**
     * \brief Serialize wire bytes on one direction.
     * \param dir direction
     * \param payload payload bytes (for the counters)
     * \param wire bytes on the wire
     * \param tlps number of TLPs
     * \param chunk payload bytes per TLP (the last one carries the rest)
     * \param earliestFs instant the burst is ready, fs
     * \param now the present (read only if the reservation needs it)
     * \return instant the last bit has been serialized (propagation not included), fs
     */
    int64_t Serialize(Direction dir, uint64_t payload, uint64_t wire, uint64_t tlps, uint32_t chunk,
                      int64_t earliestFs, LazyNow& now);
    /**
     * \brief A posted write on one direction (DeviceWrite, HostWrite).
     * \param dir UPSTREAM for a device write, DOWNSTREAM for a host write
     * \param bytes payload bytes
     * \param earliest instant the data is ready
     * \param now the present
     * \return instant the last TLP reaches the far end
     */
    Time PostedWrite(Direction dir, uint32_t bytes, const Time& earliest, LazyNow& now);
    /**
     * \brief First half of a read: wait for a tag, send the request TLPs upstream.
     * \param bytes bytes read
     * \param earliest instant the device issues the read
     * \param now the present
     * \return instant the last request TLP reaches the root complex, fs
     */
    int64_t ReadRequest(uint32_t bytes, const Time& earliest, LazyNow& now);
    /**
     * \brief Second half of a read: the root complex's time, the completions downstream; the
     * tag is held until the last completion arrives.
     * \param bytes bytes read
     * \param arrivalFs ReadRequest()'s result
     * \param extraRootLatency root-complex time beyond RootComplexReadLatency, >= 0
     * \param now the present
     * \param completions completion TLPs the root complex sends (0: the link's own split,
     *        CompletionSplit; see RootComplex::CompletionCoalesceLines)
     * \return instant the last completion byte reaches the device
     */
    Time ReadCompletion(uint32_t bytes, int64_t arrivalFs, const Time& extraRootLatency,
                        LazyNow& now, uint32_t completions = 0);
    /**
     * \brief The read reservation shared by both DeviceRead overloads.
     * \tparam F callable Time(Time): the extra root-complex time given the arrival instant
     * \param bytes bytes read
     * \param earliest instant the device issues the read
     * \param atRootComplex the callable
     * \return instant the last completion byte reaches the device
     */
    template<typename F>
    Time DoDeviceRead(uint32_t bytes, const Time& earliest, F&& atRootComplex);

    // The helpers below are defined inline (here or in pcie-link.cc): the library is built
    // with -fPIC, where GCC inlines no exported function (another library could interpose it),
    // and each is called several times per DMA operation.

    /** \return number of TLPs a write or completion of \p bytes splits into at \p chunk */
    static uint64_t Chunks(uint32_t bytes, uint32_t chunk);
    /** \param bytes payload \return GetWriteWireBytes(bytes) */
    uint64_t WriteWireBytes(uint32_t bytes) const;
    /** \param bytes read size \return GetReadRequestWireBytes(bytes) */
    uint64_t RequestWireBytes(uint32_t bytes) const;
    /**
     * \param bytes read size
     * \param completions completion TLPs (0: CompletionSplit's)
     * \return GetReadCompletionWireBytes(bytes, completions)
     */
    uint64_t CompletionWireBytes(uint32_t bytes, uint32_t completions) const;
    /** \return the largest completion TLP payload, bytes */
    uint32_t CompletionChunk() const;
    /** \brief Recompute the cached bandwidth from the attributes. */
    void UpdateRates() const;

    /** \param fs instant in femtoseconds \return it as a Time, rounded to the resolution */
    Time FsToTime(int64_t fs) const
    {
        if (m_fsPerTick <= 1)
        {
            return FemtoSeconds(fs);
        }
        return TimeStep((fs + m_fsPerTick / 2) / m_fsPerTick);
    }

    // Attribute setters and getters: the attributes' checkers refuse what the setters cannot take.
    void SetGeneration(uint32_t generation); //!< \param generation 1..5
    uint32_t GetGeneration() const;          //!< \return generation
    void SetLanes(uint32_t lanes);           //!< \param lanes 1,2,4,8,16,32
    uint32_t GetLanes() const;               //!< \return lanes
    void SetMps(uint32_t mps);               //!< \param mps bytes
    uint32_t GetMps() const;                 //!< \return MPS, bytes
    void SetMrrs(uint32_t mrrs);             //!< \param mrrs bytes
    uint32_t GetMrrs() const;                //!< \return MRRS, bytes
    void SetRcb(uint32_t rcb);               //!< \param rcb bytes
    uint32_t GetRcb() const;                 //!< \return RCB, bytes
    void SetPropagation(Time delay);         //!< \param delay one-way delay
    Time GetPropagation() const;             //!< \return one-way delay
    void SetRootReadLatency(Time latency);   //!< \param latency root-complex read time
    Time GetRootReadLatency() const;         //!< \return root-complex read time
    void SetMaxOutstandingReads(uint32_t n); //!< \param n tags
    uint32_t GetMaxOutstandingReads() const; //!< \return tags

    uint32_t m_generation;          //!< PCIe generation, 1..5
    uint32_t m_lanes;               //!< lane count
    uint32_t m_mps;                 //!< max payload size, bytes
    uint32_t m_mrrs;                //!< max read request size, bytes
    uint32_t m_rcb;                 //!< read completion boundary, bytes
    CompletionSplit m_split;        //!< completion split rule
    bool m_ecrc;                    //!< ECRC digest on every TLP
    bool m_addr64;                  //!< 64-bit addressing (4DW request headers)
    Time m_propagation;             //!< one-way latency through PHY/DLL/switching, per direction
    Time m_rootReadLatency;         //!< memory access at the root complex for a read
    int64_t m_propagationFs;        //!< m_propagation in fs, read per TLP burst
    Ptr<PcieLink> m_upstream;       //!< the switch's link to the root complex, or null
    int64_t m_switchFs;             //!< the switch's latency, fs (with m_upstream)
    int64_t m_rootReadLatencyFs;    //!< m_rootReadLatency in fs
    uint32_t m_maxOutstandingReads; //!< non-posted read tags
    mutable double m_tlpBps;        //!< cached TLP bandwidth, bit/s (0: stale)
    mutable double m_fsPerByte;     //!< cached serialization time per wire byte, fs
    mutable int64_t m_fsPerTick;    //!< femtoseconds per Time tick at the current resolution

    // Clocks are integer femtoseconds, finer than the simulator's (ns) resolution, so that
    // back-to-back reservations do not accumulate rounding.
    BusyCalendar m_schedule[2]; //!< per direction: future busy intervals, fs
    int64_t m_busyFs[2];        //!< accumulated serialization time, fs
    uint64_t m_payload[2];      //!< payload byte counters
    uint64_t m_wire[2];         //!< wire byte counters
    uint64_t m_tlps[2];         //!< TLP counters
    uint64_t m_tagStalls;       //!< reads that waited for a tag
    /** release instants (fs) of the tags in use (min-heap) */
    std::priority_queue<int64_t, std::vector<int64_t>, std::greater<int64_t>> m_tagRelease;

    /** Fired per reservation: direction, payload bytes, wire bytes, start, end of serialization */
    TracedCallback<uint8_t, uint64_t, uint64_t, Time, Time> m_transferTrace;
};

} // namespace ns3

#endif /* PCIE_LINK_H */
