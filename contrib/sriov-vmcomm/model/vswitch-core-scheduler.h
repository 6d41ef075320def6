/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Models the host cores of a software virtual switch: which core serves which port, when a core
// wakes (kick, interrupt, poll), how it picks batches, and how long a batch takes (cycle cost
// model, cycles to simulator time with carry). VirtualSwitch owns one and supplies the frames'
// forwarding (VswitchCoreScheduler::Client).
#ifndef VSWITCH_CORE_SCHEDULER_H
#define VSWITCH_CORE_SCHEDULER_H

#include "ns3/event-id.h"
#include "ns3/nstime.h"
#include "ns3/traced-callback.h"
#include "virtqueue.h"

#include <cstdint>
#include <vector>

namespace ns3 {

/**
 * \ingroup sriov-vmcomm
 * \brief The cores of a virtual switch and their cycle cost model.
 *
 * Ports (input queues: a VM's TX virtqueue or the switch's uplink queue) are assigned to cores
 * round robin in the order they are added; a core serves its ports round robin, one batch (at
 * most batchSize ready frames) from one port at a time. A batch takes (batchCycles [+
 * wakeupCycles if the core was woken] + sum over its frames of the cycles the client says each
 * frame costs (Client::ClassifyFrame)) / clockGHz, rounded to the simulator's nanoseconds with the
 * remainder carried to the core's next batch.
 *
 * Interrupt mode: a port sleeps until notified with a kick (guest kick, uplink interrupt); the
 * core wakes wakeupLatency later if it was idle and serves the port until it is empty. Poll mode:
 * no kicks; an idle core spins in its poll loop, one iteration taking P = (pollLoopCycles + ports
 * x emptyPollCycles) / clockGHz, each port polled once per iteration, at evenly spaced instants
 * from the moment the core went idle: a frame is seen at its port's first poll at or after its
 * ready instant (PollInstant), a wait of a phase over P. A busy core polls its ports round robin
 * between batches and sees every ready frame at once.
 *
 * Events: one per batch (its end) and one per wakeup of an idle core; none per frame. Work
 * requested from another node's context is moved to the switch node's context first.
 *
 * A plain class owned by its switch (events hold a raw pointer to it: Dispose() cancels them).
 */
class VswitchCoreScheduler
{
  public:
    /** What the cores do to frames: implemented by the switch. */
    class Client
    {
      public:
        virtual ~Client() = default;
        /**
         * \brief A core takes a frame from a port's queue for its batch: decide where it goes.
         * \param frame the frame (taken, still in the queue)
         * \param port its input port
         * \return the cycles it costs the core (the batch's own cycles aside)
         */
        virtual double ClassifyFrame(VswitchFrame& frame, uint32_t port) = 0;
        /**
         * \brief A batch ended: output its frames, the \p frames oldest entries of \p queue,
         * and release them.
         * \param port the input port \param queue its queue \param frames frames in the batch
         */
        virtual void FinishBatch(uint32_t port, Virtqueue& queue, uint32_t frames) = 0;
    };

    /** The cost model and wakeup behaviour (VirtualSwitch's attributes). */
    struct Parameters
    {
        bool poll{false};          //!< poll mode (else interrupt mode)
        double clockGHz{1};        //!< core clock, GHz
        double cyclesPerPacket{0}; //!< cycles per frame switched (parse, lookup, action)
        double cyclesPerByte{0};   //!< cycles per frame byte and copy (one at each VM port)
        double vmPortRxCycles{0};  //!< cycles per frame taken from a VM (vhost dequeue)
        double vmPortTxCycles{0};  //!< cycles per frame given to a VM (vhost enqueue)
        double nicPortRxCycles{0}; //!< cycles per frame received from the uplink NIC
        double nicPortTxCycles{0}; //!< cycles per frame sent to the uplink NIC
        uint32_t batchSize{1};     //!< frames per batch at most
        double batchCycles{0};     //!< cycles per batch
        double wakeupCycles{0};    //!< interrupt mode: cycles to wake an idle core
        Time wakeupLatency;        //!< interrupt mode: notification to an idle core running
        double pollLoopCycles{0};  //!< poll mode: cycles of an idle loop iteration, its polls aside
        double emptyPollCycles{0}; //!< poll mode: cycles to poll one port and find it empty
        double modifiedLineCycles{0}; //!< cycles to copy a frame line another core modified
    };

    /** Per-core statistics (since the start or the last ResetStatistics()). */
    struct CoreStats
    {
        uint64_t frames{0};  //!< frames processed
        uint64_t bytes{0};   //!< their bytes
        uint64_t batches{0}; //!< batches run
        uint64_t wakeups{0}; //!< times the core was woken by a kick or interrupt
        Time useful;         //!< time spent on batches (finished and started)
    };

    /** TracedCallback of a started batch: core, port, frames, processing time. */
    typedef TracedCallback<uint32_t, uint32_t, uint32_t, Time> BatchTrace;

    VswitchCoreScheduler();

    /**
     * \brief Connect the scheduler to its switch.
     * \param client what processes the frames \param batchTrace fired at each batch start
     */
    void SetClient(Client* client, const BatchTrace* batchTrace);
    /** \return the parameters, read at each batch (so a change applies from the next one) */
    Parameters& GetParameters();
    /** \return the parameters */
    const Parameters& GetParameters() const;
    /**
     * \brief The node whose events the cores' work is (Simulator::NO_CONTEXT: the caller's).
     * \param context a node id
     */
    void SetContext(uint32_t context);

    /**
     * \brief Set the number of cores and assign the ports to them round robin again. Only while
     * no core is working (no batch running, no wakeup scheduled): aborts otherwise.
     * \param n number of cores, > 0
     */
    void SetNCores(uint32_t n);
    /** \return number of cores */
    uint32_t GetNCores() const;
    /** \return true if some core runs a batch or has a wakeup scheduled */
    bool IsWorking() const;
    /**
     * \brief Add a port (its core: the next one round robin).
     * \param queue its input queue (outlives the scheduler's use of it)
     * \return the port number
     */
    uint32_t AddPort(Virtqueue* queue);
    /** \param port a port \return the core serving it */
    uint32_t GetPortCore(uint32_t port) const;
    /** \param core a core \return the ports it serves */
    const std::vector<uint32_t>& GetCorePorts(uint32_t core) const;

    /**
     * \param port a port
     * \return true if the port wants a notification (kick) for new work: interrupt mode and
     * the port is not being served
     */
    bool NeedsKick(uint32_t port) const;
    /**
     * \brief New work in a port's queue.
     * \param port the port
     * \param ready instant the frame can be seen (after the kick, if any)
     * \param kicked true if this is a kick or interrupt (interrupt mode: the port is served
     * from then on until it is empty; without one, a port already being served sees it anyway)
     */
    void Notify(uint32_t port, Time ready, bool kicked);

    /**
     * \brief Poll mode: when an idle core's loop next polls a port (the core's idle loop started
     * when it went idle; see the class description).
     * \param port a port \param ready instant its frame can be seen
     * \return the first poll of \p port at or after \p ready (\p ready if the loop costs
     * nothing, or in interrupt mode)
     */
    Time PollInstant(uint32_t port, Time ready) const;
    /** \param core a core \return poll mode: the period of its idle loop (0 in interrupt mode) */
    Time GetPollPeriod(uint32_t core) const;

    /**
     * \param cycles CPU cycles
     * \return the time they take at clockGHz
     */
    Time CyclesToTime(double cycles) const;
    /** \return time since the start (or since the last ResetStatistics()) */
    Time GetElapsed() const;
    /** \param core a core \return time it spent processing batches (up to now) */
    Time GetUsefulTime(uint32_t core) const;
    /** \param core a core \return useful time in interrupt mode, GetElapsed() in poll mode */
    Time GetBusyTime(uint32_t core) const;
    /** \param core a core \return busy time / elapsed time (0 when no time has elapsed) */
    double GetUtilization(uint32_t core) const;
    /** \param core a core \return its statistics */
    const CoreStats& GetCoreStats(uint32_t core) const;
    /** \brief Start the statistics afresh from now (a running batch's rest counts in). */
    void ResetStatistics();
    /** \brief Cancel the cores' events and forget the ports (the switch is disposed). */
    void Dispose();

  private:
    /** A port's scheduling state. */
    struct Port
    {
        Virtqueue* queue{nullptr}; //!< input queue
        uint32_t core{0};          //!< core serving it
        bool pending{false};       //!< interrupt mode: being served, notifications off
        bool kicked{false};        //!< interrupt mode: a kick/interrupt not yet acted on
        Time notBefore;            //!< interrupt mode: the core is up for it from then on
    };

    /** One host core. */
    struct Core
    {
        std::vector<uint32_t> ports; //!< ports it serves
        uint32_t next{0};            //!< round-robin position in ports
        bool running{false};         //!< a batch is in progress
        bool idle{true};             //!< slept since its last batch (a kick must wake it)
        EventId wake;                //!< scheduled wake of an idle core
        Time wakeAt;                 //!< its instant
        EventId done;                //!< end of the running batch
        uint32_t batchPort{0};       //!< port of the running batch
        uint32_t batchFrames{0};     //!< frames in it
        Time batchEnd;               //!< its end
        double carryNs{0};           //!< sub-nanosecond remainder of the cycle-to-time rounding
        Time idleSince;              //!< poll mode: when its idle loop started
        CoreStats stats;             //!< statistics
    };

    /**
     * \brief Ask an idle core to look at its ports at \p at (earliest of all requests).
     * \param core the core \param at instant
     */
    void RequestWake(uint32_t core, Time at);
    /** \brief Event: an idle core wakes. \param core the core */
    void Wake(uint32_t core);
    /** \brief The core picks its next batch, or goes idle. \param core the core */
    void Run(uint32_t core);
    /** \brief Start a batch. \param core the core \param port the port to serve */
    void StartBatch(uint32_t core, uint32_t port);
    /** \brief Event: the running batch ends. \param core the core */
    void BatchDone(uint32_t core);

    Parameters m_params;                     //!< cost model
    Client* m_client{nullptr};               //!< the switch
    const BatchTrace* m_batchTrace{nullptr}; //!< the switch's Batch trace
    uint32_t m_context;                      //!< node id, or Simulator::NO_CONTEXT
    std::vector<Port> m_ports;               //!< ports
    std::vector<Core> m_cores;               //!< cores
    Time m_start;                            //!< statistics start
};

} // namespace ns3

#endif /* VSWITCH_CORE_SCHEDULER_H */
