/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Models the host's software virtual switch (OVS kernel datapath, OVS-DPDK): ports, uplink,
// forwarding decision, learning, statistics; its cores are a VswitchCoreScheduler.
#ifndef VIRTUAL_SWITCH_H
#define VIRTUAL_SWITCH_H

#include "busy-calendar.h"
#include "device-list-channel.h"
#include "mac-forwarding-table.h"
#include "ns3/attribute.h"
#include "ns3/channel.h"
#include "ns3/event-id.h"
#include "ns3/mac48-address.h"
#include "ns3/net-device-container.h"
#include "ns3/nstime.h"
#include "ns3/traced-callback.h"
#include "vhost-worker.h"
#include "virtio-net-device.h"
#include "vswitch-core-scheduler.h"

#include <deque>
#include <vector>

namespace ns3 {

/**
 * \ingroup sriov-vmcomm
 * \brief The host's software switch (OVS kernel datapath, OVS-DPDK, VPP class): the vhost
 * backend of its VMs' VirtioNetDevices, optional uplink ports, a MAC forwarding table, and
 * host cores that do the work.
 *
 * Ports: one per VirtioNetDevice (its TX virtqueue is the port's input queue) and optionally
 * uplinks, any NetDevice supporting SendFrom (a NIC's PF or uplink device of the host OS), whose
 * received frames wait in a bounded software queue each (UplinkQueueSize). The first uplink is
 * the one floods go out of; a further one (AddUplink(), a second NIC's PF) is reached only by
 * forwarding entries naming it. Ports are assigned to cores round robin in the order they are
 * added; a core serves its ports round robin, one batch (at most BatchSize frames) from one port
 * at a time.
 *
 * Cost: a batch takes (BatchCycles [+ WakeupCycles if the core was woken] + sum over its frames of
 * their cycles) / ClockGHz. A frame costs CyclesPerPacket (parse, lookup, action) plus what each
 * port it crosses costs: its input port's RX cycles and each output port's TX cycles, a VM port
 * (vhost: VmPortRxCycles, VmPortTxCycles) or the uplink NIC (NicPortRxCycles, NicPortTxCycles);
 * at a VM port the core also copies the frame (length x CyclesPerByte: guest TX buffer to the
 * switch's, switch's to guest RX buffer), while the NIC moves its frames by DMA. So VM-to-VM pays
 * two copies, NIC-to-VM one, NIC-to-NIC none (doc/vswitch.md). At the end of the batch its
 * frames are output: copied into the destinations' RX virtqueues (one guest notification per
 * destination per batch) or sent out of the uplink; then the TX descriptors are released.
 *
 * Mode Interrupt (kernel datapath: vhost-net + OVS kernel module): a port sleeps until the guest
 * kicks (or the uplink interrupts); the core wakes WakeupLatency later, pays WakeupCycles, and
 * serves the port until it is empty, with notifications off meanwhile, so kicks are rare under
 * load. Busy time = work time. With VhostWorkers (the ovs-kernel profile), each VM port is served
 * by a thread of its own, its VhostWorker, as vhost-net does, and the cores serve the uplink
 * only (the NIC's softirq): the sender's worker copies a frame out of its guest and runs the
 * datapath (CyclesPerPacket, the input port's RX cycles and copy, an uplink output's TX cycles),
 * then queues the frame on the receiving VM's tap, which wakes that VM's worker: it copies the
 * frame in (the VM port's TX cycles and copy) and signals the guest. Mode Poll (OVS-DPDK PMD): no
 * kicks, the core spins over its ports; it counts as busy from the switch's start whether or not
 * there is traffic (GetBusyTime), while GetUsefulTime counts the batches only.
 *
 * The forwarding decision is the virtual method Decide(), the extension point for the
 * vswitch-offload mode (the switch decides, a VF moves the frame). For that mode the switch has
 * representor ports, as OVS hardware offload has one representor netdev per VF and one for the
 * uplink (AddRepresentor, AddUplinkRepresentor; code in virtual-switch-representor.cc): its table
 * and Decide() name the host's VFs by them. A frame reaches the switch by a representor only as
 * an upcall from the NIC (Upcall(): learning, then Decide(), on the switch's upcall handler
 * core, ovs-vswitchd's handler thread, not on the datapath cores); the software datapath does not
 * output to representors (its floods skip them; a unicast decision naming one, for a frame of a
 * virtio port or of the uplink, is dropped, no-destination).
 *
 * Events: one per batch (its end) and one per wakeup of an idle core or worker; none per frame.
 *
 * The attribute defaults are the ovs-kernel calibration; named calibrations (ovs-kernel,
 * ovs-dpdk) are in the helper-level preset registry: VswitchHelper::SetProfile, or
 * ApplyPreset(name, PresetKind::VSWITCH) for the defaults (helper/preset.h).
 */
class VirtualSwitch
    : public VirtioBackend
    , private VswitchCoreScheduler::Client
    , private VhostWorker::Datapath
{
  public:
    static constexpr uint32_t PORT_FLOOD = 0xfffffffe; //!< Decide(): every port but the input
    static constexpr uint32_t PORT_NONE = 0xffffffff;  //!< Decide(): nowhere
    /** GetRepresented(): the port represents the NICs' uplink, not a VF */
    static constexpr uint32_t REPRESENTED_UPLINK = 0xffffffff;

    /** How the cores learn of work. */
    enum Mode
    {
        INTERRUPT = 0, //!< kicks and interrupts wake sleeping cores (kernel datapath)
        POLL = 1       //!< cores spin over their ports (DPDK poll-mode driver)
    };

    /** Why the switch dropped a frame (drops at the guests' virtqueues are the devices'). */
    enum DropReason
    {
        DROP_UPLINK_QUEUE_FULL = 0, //!< a frame from the uplink found its queue full
        DROP_UPLINK_REFUSED,        //!< the uplink device refused a frame
        DROP_NO_DESTINATION,        //!< from a VM, and no port to send it to
        DROP_TAP_QUEUE_FULL,        //!< a frame for a VM found its vhost worker's tap full
        DROP_REASONS                //!< number of reasons
    };

    /** Per-core statistics (since the start or the last ResetStatistics()). */
    typedef VswitchCoreScheduler::CoreStats CoreStats;

    /** Switch counters (since the start or the last ResetStatistics()). */
    struct Counters
    {
        uint64_t forwarded{0}; //!< frames output to a port (a flooded frame counts per copy)
        uint64_t flooded{0};   //!< frames flooded
        uint64_t filtered{0};  //!< frames from the uplink not for this switch (not drops)
        uint64_t uplinkRx{0};  //!< frames received from the uplink
        uint64_t uplinkTx{0};  //!< frames sent out of the uplink
    };

    /**
     * \param reason a drop reason
     * \return its name ("uplink-queue-full", ...), as in the results database
     */
    static const char* GetDropReasonName(DropReason reason);

    /**
     * TracedCallback signature of the Forward trace.
     * \param packet payload of the frame
     * \param inPort port it came from
     * \param outPort port it goes to
     */
    typedef void (*ForwardTracedCallback)(Ptr<const Packet> packet, uint32_t inPort,
                                          uint32_t outPort);
    /**
     * TracedCallback signature of the Drop trace.
     * \param packet payload of the frame
     * \param port port concerned (input, or output for uplink-refused)
     * \param reason reason name
     */
    typedef void (*DropTracedCallback)(Ptr<const Packet> packet, uint32_t port, const char* reason);
    /**
     * TracedCallback signature of the Batch trace.
     * \param core the core
     * \param port the port served
     * \param frames frames in the batch
     * \param duration its processing time
     */
    typedef void (*BatchTracedCallback)(uint32_t core, uint32_t port, uint32_t frames,
                                        Time duration);

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    VirtualSwitch();
    ~VirtualSwitch() override;

    /**
     * \brief Add a VM's device as a port: the switch becomes its backend.
     * \param device the device (its node set; MAC address assigned)
     * \return the port number
     */
    uint32_t AddPort(Ptr<VirtioNetDevice> device);
    /**
     * \brief Add the uplink port: frames for addresses not behind a VM port leave through it, and
     * frames it receives for the VMs are switched to them. At most one (more: AddUplink()).
     * \param device a NetDevice supporting SendFrom (registered with its node's protocol handlers
     * in promiscuous mode if it has a node)
     * \return the port number
     */
    uint32_t SetUplink(Ptr<NetDevice> device);
    /**
     * \brief Add an uplink port, each with its own input queue (UplinkQueueSize frames) polled
     * as the first's (a second NIC's PF, as a tester's second port). The first uplink added is
     * THE uplink (SetUplink(), GetUplink(), GetUplinkPort()): floods go out of it. A further
     * uplink receives frames, and is reached only by forwarding entries naming its port
     * (AddStaticEntry(), an operator's flow rule, or learning), never by flooding, as the backup
     * port of an active-backup bond. A frame received on any uplink is never flooded out of an
     * uplink, and one for an unknown address is not for the switch (filtered).
     * \param device a NetDevice supporting SendFrom, not already a port
     * \return the port number
     */
    uint32_t AddUplink(Ptr<NetDevice> device);
    /** \return number of uplink ports (AddUplink(), SetUplink()) */
    uint32_t GetNUplinks() const;
    /**
     * \param i an index < GetNUplinks(), in the order added (0: GetUplinkPort())
     * \return the i-th uplink's port number
     */
    uint32_t GetUplinkPortByIndex(uint32_t i) const;
    /**
     * \brief Add a representor port for a VF of the host's SR-IOV NIC (vswitch-offload): the
     * port by which the switch's table and Decide() name that VF, and by which the VF's frames
     * come up (Upcall()). Not served by the datapath cores.
     * \param nic the VF's NIC: its index in the host's PcieHierarchy (0 without one)
     * \param vf the VF's index on that NIC
     * \return the port number
     */
    uint32_t AddRepresentor(uint32_t nic, uint32_t vf);
    /**
     * \brief Add the representor port of the NICs' uplink (vswitch-offload), at most one: with
     * several NICs their uplinks are one port for the switch (a bond), and a frame decided to it
     * leaves by the uplink of the NIC it came from.
     * \return the port number
     */
    uint32_t AddUplinkRepresentor();
    /**
     * \param port a port
     * \param nic set to the represented NIC's index (VF representors)
     * \param vf set to the represented VF's index, or REPRESENTED_UPLINK
     * \return false if the port is not a representor
     */
    bool GetRepresented(uint32_t port, uint32_t& nic, uint32_t& vf) const;
    /**
     * \param nic a NIC index \param vf a VF index on it
     * \return the VF's representor port, or PORT_NONE
     */
    uint32_t GetRepresentorPort(uint32_t nic, uint32_t vf) const
    {
        return nic < m_representors.size() && vf < m_representors[nic].size()
                 ? m_representors[nic][vf]
                 : PORT_NONE;
    }
    /** \return the uplink's representor port, or PORT_NONE */
    uint32_t GetUplinkRepresentorPort() const;
    /**
     * \brief A frame the NIC could not forward on its own comes up by its VF's representor
     * (vswitch-offload): the switch learns its source (if Learning) and decides (Decide()) on
     * its upcall handler core, one decision at a time in order of arrival.
     * \param frame the frame (src, dst and inPort, a representor port, set); its outPort is set
     * to the decision
     * \param seen instant the switch sees the upcall
     * \param cost host-core time of one decision
     * \return instant the decision is made
     */
    Time Upcall(VswitchFrame& frame, Time seen, Time cost);
    /** \return time the upcall handler core spent deciding (decisions reserved ahead included) */
    Time GetUpcallCoreTime() const;
    /** \return GetUpcallCoreTime() up to the present */
    Time GetUpcallCoreTimeSoFar() const;

    /**
     * \brief The host node whose cores run the switch: its work is that node's events, also when
     * a VM's kick starts it. Without a node it runs in the context of whoever calls it.
     * \param node the host's node
     */
    void SetNode(Ptr<Node> node);
    /** \return the uplink device (may be null) */
    Ptr<NetDevice> GetUplink() const;
    /**
     * \param i an index < GetNUplinks(), in the order added (0: GetUplink())
     * \return that uplink's device
     */
    Ptr<NetDevice> GetUplinkByIndex(uint32_t i) const;
    /** \return the uplink's port number, or PORT_NONE */
    uint32_t GetUplinkPort() const;
    /** \return number of ports */
    uint32_t GetNPorts() const;
    /** \param port a port \return its VM device (null for the uplink) */
    Ptr<VirtioNetDevice> GetPortDevice(uint32_t port) const;
    /** \return the VM devices, in port order */
    NetDeviceContainer GetDevices() const;
    /**
     * \param port a port
     * \return the core it is assigned to (which serves it unless it has a vhost worker:
     * GetWorker())
     */
    uint32_t GetPortCore(uint32_t port) const;
    /**
     * \param port a port
     * \return the vhost-net worker thread serving it (a VM port of an Interrupt-mode switch with
     * VhostWorkers), or null (the cores serve it)
     */
    Ptr<VhostWorker> GetWorker(uint32_t port) const;
    /** \return number of vhost-net workers (VM ports that have one) */
    uint32_t GetNWorkers() const;
    /**
     * \param i an index < GetNWorkers()
     * \return the i-th worker in port order (attribute VhostWorkerList)
     */
    Ptr<VhostWorker> GetWorkerByIndex(uint32_t i) const;

    /**
     * \brief Add a forwarding entry that never ages.
     * \param address MAC address
     * \param port the port behind which it is
     */
    void AddStaticEntry(Mac48Address address, uint32_t port);
    /**
     * \param address a MAC address
     * \return its port (static or learned and not aged out), or PORT_NONE
     */
    uint32_t LookUp(Mac48Address address) const;
    /**
     * \brief The forwarding decision for a frame: the extension point of the vswitch-offload
     * mode. This implementation: broadcast and multicast flood; a known unicast destination
     * goes to its port (PORT_NONE if that is the input port); an unknown one floods, except from
     * the uplink (PORT_NONE: not for us).
     * \param frame the frame (inPort, src, dst set)
     * \return a port, PORT_FLOOD or PORT_NONE
     */
    virtual uint32_t Decide(const VswitchFrame& frame) const;

    /** \return number of cores */
    uint32_t GetNCores() const;
    /** \return the mode */
    Mode GetMode() const;
    /**
     * \param cycles CPU cycles
     * \return the time they take at ClockGHz
     */
    Time CyclesToTime(double cycles) const;
    /** \return time since the switch started (or since the last ResetStatistics()) */
    Time GetElapsed() const;
    /**
     * \param core a core
     * \return its busy time: its useful time in Interrupt mode; all of GetElapsed() in Poll mode
     * (a PMD core spins whether or not there is traffic)
     */
    Time GetBusyTime(uint32_t core) const;
    /** \param core a core \return time it spent processing batches (up to now) */
    Time GetUsefulTime(uint32_t core) const;
    /** \param core a core \return busy time / elapsed time (0 when no time has elapsed) */
    double GetUtilization(uint32_t core) const;
    /** \param core a core \return its statistics */
    const CoreStats& GetCoreStats(uint32_t core) const;
    /**
     * \param core a core
     * \return frames dropped at the input queues it serves (its VMs' TX virtqueues, unless
     * their workers serve them, and the uplink queue if it serves the uplink), cumulative
     */
    uint64_t GetCoreQueueDrops(uint32_t core) const;
    /** \return frames from the uplinks waiting in the switch's uplink input queues */
    uint32_t GetUplinkQueueBacklog() const;
    /** \return counters */
    const Counters& GetCounters() const;
    /** \param reason a reason \return frames dropped for it */
    uint64_t GetDrops(DropReason reason) const;
    /** \return frames dropped by the switch, any reason */
    uint64_t GetTotalDrops() const;
    /** \brief Start the statistics (busy time, counters, drops) afresh from now. */
    void ResetStatistics();

    // VirtioBackend
    bool NeedsKick(uint32_t port) const override;
    void TxPublished(uint32_t port, Time ready, bool kicked) override;
    Ptr<Channel> GetChannel() const override;

  protected:
    void DoDispose() override;
    void NotifyConstructionCompleted() override;

  private:
    /** One switch port. */
    struct Port
    {
        Ptr<VirtioNetDevice> vm;         //!< VM device, or null
        Ptr<NetDevice> uplink;           //!< uplink device, or null
        bool representor{false};         //!< a representor port (no device: vm and uplink null)
        uint32_t repNic{0};              //!< representor: the represented VF's NIC
        uint32_t repVf{0};               //!< representor: the represented VF, or REPRESENTED_UPLINK
        Virtqueue* uplinkQueue{nullptr}; //!< uplink: its input queue
        uint64_t uplinkQueueDrops{0};    //!< uplink: frames its full queue dropped, cumulative
        bool touched{false};     //!< received frames in the current batch (notify at its end)
        Ptr<VhostWorker> worker; //!< the VM port's vhost-net worker, or null (served by cores)
    };

    /**
     * \brief What a port costs a core per frame it takes in or gives out.
     * \param port the port \param rx true: the frame comes in by it; false: goes out
     * \param length the frame's bytes
     * \return cycles: the port's RX or TX cycles, plus the copy at a VM port
     */
    double PortCycles(uint32_t port, bool rx, uint32_t length) const;

    /**
     * \brief Make the PF uplinks' queues polled or interrupt-driven as the switch's Mode is (a
     * poll-mode switch's PMD polls its NIC ports); called when an uplink or the mode is set.
     */
    void PollUplink();
    /**
     * \param in a frame's input port \param out another port
     * \return whether a flood from \p in copies the frame to \p out: not to \p in, nor to a
     * representor; to an uplink only if it is the first and \p in is no uplink
     */
    bool FloodsTo(uint32_t in, uint32_t out) const
    {
        const Port& p = m_ports[out];
        if (out == in || p.representor)
        {
            return false;
        }
        return !p.uplink || (out == m_uplinkPort && !m_ports[in].uplink);
    }

    /**
     * \param port an output port \param length the frame's bytes
     * \return what the output costs the core deciding it: nothing at a port with a worker
     * (that worker's handle_rx pays the copy in), else PortCycles(port, false, length)
     */
    double OutputCycles(uint32_t port, uint32_t length) const;
    /**
     * \brief Give the VM ports their vhost-net workers, or take them away, as Mode and
     * VhostWorkers say (aborts while a worker has work).
     */
    void UpdateWorkers();
    /** \brief Pass the cost model's clock and batch to the workers. */
    void SyncWorkers();
    /** \param enable attribute VhostWorkers */
    void SetVhostWorkers(bool enable);
    /** \return attribute VhostWorkers */
    bool GetVhostWorkers() const;

    // VswitchCoreScheduler::Client
    double ClassifyFrame(VswitchFrame& frame, uint32_t port) override;
    void FinishBatch(uint32_t port, Virtqueue& queue, uint32_t frames) override;

    // VhostWorker::Datapath
    double TxFrameCycles(VswitchFrame& frame, uint32_t port) override;
    void TxBatchDone(uint32_t port, Virtqueue& queue, uint32_t frames) override;
    double RxFrameCycles(const VswitchFrame& frame, uint32_t port) override;
    void RxBatchDone(uint32_t port, Virtqueue& tap, uint32_t frames) override;

    /**
     * \brief Attribute accessor: set a parameter of the cores' cost model.
     * \tparam T its type \tparam F the field \param value the value
     */
    template<typename T, T VswitchCoreScheduler::Parameters::*F>
    void SetCoreParameter(T value)
    {
        m_scheduler.GetParameters().*F = value;
        SyncWorkers();
    }

    /**
     * \brief Attribute accessor: get a parameter of the cores' cost model.
     * \tparam T its type \tparam F the field \return the value
     */
    template<typename T, T VswitchCoreScheduler::Parameters::*F>
    T GetCoreParameter() const
    {
        return m_scheduler.GetParameters().*F;
    }

    /** \param mode attribute Mode */
    void SetMode(Mode mode);
    /**
     * \brief Attribute NCores: new cores, ports assigned round robin again (aborts while a
     * core is working).
     * \param n number of cores
     */
    void SetNCores(uint32_t n);
    /**
     * \brief Attribute UplinkQueueSize: resize the (empty) uplink queue; aborts while frames
     * wait in it.
     * \param n capacity, frames
     */
    void SetUplinkQueueSize(uint32_t n);
    /** \return attribute UplinkQueueSize */
    uint32_t GetUplinkQueueSize() const;

    /**
     * \brief Output a frame to one port.
     * \param frame the frame \param port output port
     */
    void Output(VswitchFrame& frame, uint32_t port);
    /**
     * \brief Count a drop and fire the Drop trace.
     * \param frame the frame \param port port concerned \param reason why
     */
    void Drop(const VswitchFrame& frame, uint32_t port, DropReason reason);
    /**
     * \brief Learn (or refresh) a source address.
     * \param address source MAC \param port input port
     */
    void Learn(Mac48Address address, uint32_t port);
    /**
     * \brief Uplink receive (promiscuous protocol handler).
     * \param device the uplink \param packet payload \param protocol EtherType
     * \param source source MAC \param destination destination MAC \param type packet type
     */
    void UplinkReceive(Ptr<NetDevice> device, Ptr<const Packet> packet, uint16_t protocol,
                       const Address& source, const Address& destination,
                       NetDevice::PacketType type);
    /**
     * \brief Same, with the NetDevice callback signature (uplink without a node).
     * \param device the uplink \param packet payload \param protocol EtherType
     * \param source source MAC \param destination destination MAC \param type packet type
     * \return true
     */
    bool UplinkPromisc(Ptr<NetDevice> device, Ptr<const Packet> packet, uint16_t protocol,
                       const Address& source, const Address& destination,
                       NetDevice::PacketType type);
    /** \param agingTime attribute MacAgingTime (the table's learned-entry lifetime) */
    void SetAgingTime(Time agingTime);
    /** \return attribute MacAgingTime */
    Time GetAgingTime() const;

    // Attributes (the cost model's are in m_scheduler's parameters, the aging time in m_table)
    bool m_learning;     //!< learn source addresses
    bool m_vhostWorkers; //!< Interrupt mode: a vhost-net worker per VM port
    uint32_t m_context;  //!< the host node's id (SetNode), or Simulator::NO_CONTEXT

    std::vector<Port> m_ports;                 //!< ports
    VswitchCoreScheduler m_scheduler;          //!< the cores
    std::vector<uint32_t> m_touched;           //!< VM ports that received in the current batch
    Virtqueue m_uplinkQueue;                   //!< frames from the first uplink
    std::deque<Virtqueue> m_extraUplinkQueues; //!< frames from the further uplinks, in order
    uint32_t m_uplinkPort;                     //!< first uplink's port, or PORT_NONE
    std::vector<uint32_t> m_uplinkPorts;       //!< the uplinks' ports, in the order added
    MacForwardingTable m_table;                //!< forwarding table (holds MacAgingTime)
    Ptr<DeviceListChannel> m_channel;          //!< the VMs' segment
    std::vector<std::vector<uint32_t>> m_representors; //!< [nic][vf]: representor port
    uint32_t m_uplinkRepresentor;   //!< the uplink's representor port, or PORT_NONE
    uint32_t m_nRepresentors;       //!< representor ports
    Virtqueue m_representorQueue;   //!< the representors' datapath input: always empty
    BusyCalendar m_upcallCore;      //!< the upcall handler core
    Time m_upcallCoreTime;          //!< decisions made on it
    Counters m_counters;            //!< counters
    uint64_t m_drops[DROP_REASONS]; //!< drop counters

    TracedCallback<Ptr<const Packet>, uint32_t, uint32_t> m_forwardTrace; //!< per output
    TracedCallback<Ptr<const Packet>, uint32_t, const char*> m_dropTrace; //!< per drop
    VswitchCoreScheduler::BatchTrace m_batchTrace;                        //!< per batch
};

} // namespace ns3

#endif /* VIRTUAL_SWITCH_H */
