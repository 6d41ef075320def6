/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Models a vhost-net worker thread: the host kernel thread ("vhost-<pid>") that serves one
// virtio-net device, copying frames out of its TX virtqueue and running the kernel datapath on
// them (handle_tx), and copying frames queued on its tap into its RX virtqueue (handle_rx).
#ifndef VHOST_WORKER_H
#define VHOST_WORKER_H

#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"
#include "virtqueue.h"
#include "vswitch-core-scheduler.h"

#include <cstdint>

namespace ns3 {

/**
 * \ingroup sriov-vmcomm
 * \brief A vhost-net worker thread: Linux runs one per virtio-net device (kthread
 * "vhost-<pid>", drivers/vhost/net.c), serving both of its virtqueues, on whatever host core the
 * scheduler gives it. The kernel switch (VirtualSwitch, Mode Interrupt, VhostWorkers) gives each
 * of its VM ports one.
 *
 * - handle_tx: the guest's kick (ioeventfd) wakes the worker, which takes the frames of the TX
 *   virtqueue, copies each out of guest memory and runs the kernel datapath on it in its own
 *   context (tap, OVS kernel module: parse, lookup, actions) up to the output: another device's
 *   tap or the uplink NIC. Its cycles per frame are the switch's (Datapath::TxFrameCycles).
 * - handle_rx: a frame queued on the device's tap (by another worker's datapath, or by the NIC's
 *   softirq) wakes the worker, which copies it into the guest's RX virtqueue
 *   (Datapath::RxFrameCycles) and, after the batch, signals the guest's irqfd once.
 *
 * The thread sleeps when both queues are empty (vhost-net's busyloop_timeout defaults to 0: no
 * busy polling). Woken, it starts WakeupLatency later and pays WakeupCycles once; while it works
 * it keeps notifications off and serves its two queues round robin, a batch of at most the
 * switch's BatchSize frames at a time, until both are empty, so a frame arriving while it works
 * pays no wake-up. Its batches are a VswitchCoreScheduler of one core in Interrupt mode (queue 0
 * the TX virtqueue, queue 1 the tap), at the switch's ClockGHz.
 *
 * Events: one per batch (its end) and one per wake-up; none per frame.
 */
class VhostWorker
    : public Object
    , private VswitchCoreScheduler::Client
{
  public:
    /** The worker's two queues (the port numbers of its scheduler, and of its Batch trace). */
    enum Queue
    {
        TX_QUEUE = 0, //!< the device's TX virtqueue (handle_tx)
        TAP_QUEUE = 1 //!< the frames queued on its tap for the guest (handle_rx)
    };

    /** What the worker runs for its device: implemented by the switch it is a port of. */
    class Datapath
    {
      public:
        virtual ~Datapath() = default;
        /**
         * \brief handle_tx took a frame from the TX virtqueue: copy it out and run the datapath
         * on it (decide where it goes).
         * \param frame the frame (taken, still in the virtqueue) \param port the device's port
         * \return the cycles this costs the worker
         */
        virtual double TxFrameCycles(VswitchFrame& frame, uint32_t port) = 0;
        /**
         * \brief A handle_tx batch ended: output its frames (the \p frames oldest entries of
         * \p queue) and release them.
         * \param port the device's port \param queue its TX virtqueue \param frames count
         */
        virtual void TxBatchDone(uint32_t port, Virtqueue& queue, uint32_t frames) = 0;
        /**
         * \param frame a frame from the tap \param port the device's port
         * \return the cycles handle_rx spends copying it into the guest's RX virtqueue
         */
        virtual double RxFrameCycles(const VswitchFrame& frame, uint32_t port) = 0;
        /**
         * \brief A handle_rx batch ended: deliver its frames (the \p frames oldest entries of
         * \p tap) into the guest's RX virtqueue, signal the guest; the worker then frees them.
         * \param port the device's port \param tap the tap queue \param frames count
         */
        virtual void RxBatchDone(uint32_t port, Virtqueue& tap, uint32_t frames) = 0;
    };

    /** Statistics of the thread (since its start or the last ResetStatistics()). */
    typedef VswitchCoreScheduler::CoreStats Stats;

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    VhostWorker();
    ~VhostWorker() override;

    /**
     * \brief Give the worker its device's port (done once, by the switch).
     * \param datapath what runs the frames (the switch; outlives the worker's use of it)
     * \param port the device's port number on the switch
     * \param txQueue the device's TX virtqueue
     */
    void Attach(Datapath* datapath, uint32_t port, Virtqueue* txQueue);
    /**
     * \brief The switch's cost model the worker runs at (read at each batch).
     * \param clockGHz core clock, GHz \param batchSize frames per batch at most
     * \param batchCycles cycles per batch
     */
    void SetCostModel(double clockGHz, uint32_t batchSize, double batchCycles);
    /**
     * \brief The node whose events the thread's work is (the host's; NO_CONTEXT: the caller's).
     * \param context a node id
     */
    void SetContext(uint32_t context);

    /** \return true if the TX virtqueue wants a kick: the worker is not serving it */
    bool NeedsKick() const;
    /**
     * \brief The guest published a frame in the TX virtqueue.
     * \param ready instant the worker can see it (after the kick, if any)
     * \param kicked true if the guest kicked (wakes the worker if it sleeps)
     */
    void TxPublished(Time ready, bool kicked);
    /**
     * \brief The datapath queues a frame on the device's tap (tun_net_xmit): it wakes the worker
     * if it sleeps.
     * \param frame the frame (copied into the tap queue; ready now)
     * \return false if the tap queue is full (the caller counts the drop)
     */
    bool Enqueue(const VswitchFrame& frame);

    /** \return frames waiting in the tap queue */
    uint32_t GetTapBacklog() const;
    /** \return true if the thread runs a batch or has a wake-up scheduled */
    bool IsWorking() const;
    /** \return the thread's statistics (wakeups: times a notification woke it from sleep) */
    const Stats& GetStats() const;
    /** \return time the thread spent on batches up to now (it only runs when it has work) */
    Time GetBusyTime() const;
    /** \brief Start the statistics afresh from now. */
    void ResetStatistics();

  protected:
    void DoDispose() override;
    void NotifyConstructionCompleted() override;

  private:
    // VswitchCoreScheduler::Client
    double ClassifyFrame(VswitchFrame& frame, uint32_t queue) override;
    void FinishBatch(uint32_t queue, Virtqueue& q, uint32_t frames) override;

    /**
     * \brief Attribute accessor: set a wake-up parameter of the thread.
     * \tparam T its type \tparam F the field \param value the value
     */
    template<typename T, T VswitchCoreScheduler::Parameters::*F>
    void SetThreadParameter(T value)
    {
        m_thread.GetParameters().*F = value;
    }

    /**
     * \brief Attribute accessor: get a wake-up parameter of the thread.
     * \tparam T its type \tparam F the field \return the value
     */
    template<typename T, T VswitchCoreScheduler::Parameters::*F>
    T GetThreadParameter() const
    {
        return m_thread.GetParameters().*F;
    }

    VswitchCoreScheduler m_thread; //!< the thread: one core, queues TX_QUEUE and TAP_QUEUE
    Virtqueue m_tap;               //!< frames queued on the tap, for the guest
    uint32_t m_tapQueueSize;       //!< attribute TapQueueSize
    Datapath* m_datapath{nullptr}; //!< the switch
    uint32_t m_port{0};            //!< the device's port on it
    VswitchCoreScheduler::BatchTrace m_batchTrace; //!< per batch
};

} // namespace ns3

#endif /* VHOST_WORKER_H */
