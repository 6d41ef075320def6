/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * A vhost-net worker thread: the host kernel thread that serves one virtio-net device's
 * virtqueues, handle_tx (copy out, kernel datapath) and handle_rx (copy in, irqfd) (see
 * vhost-worker.h).
 */
#include "vhost-worker.h"

#include "ns3/abort.h"
#include "ns3/double.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

namespace ns3 {

NS_LOG_COMPONENT_DEFINE("VhostWorker");
NS_OBJECT_ENSURE_REGISTERED(VhostWorker);

TypeId
VhostWorker::GetTypeId()
{
    using P = VswitchCoreScheduler::Parameters;
    static TypeId tid
        = TypeId("ns3::VhostWorker")
              .SetParent<Object>()
              .SetGroupName("SriovVmcomm")
              .AddConstructor<VhostWorker>()
              .AddAttribute(
                  "WakeupLatency",
                  "Time from the notification (the guest's kick through ioeventfd, or a frame "
                  "queued on the tap) to the sleeping worker thread running. Estimate: 5 us, "
                  "the wake-up of a host thread sleeping on an idle core (IPI, C-state exit: "
                  "intel_idle Haswell C1 2 us, C1E 10 us; scheduler switch-in), the order "
                  "cyclictest and schbench report on idle hosts, and the same kind of wake-up "
                  "as GuestOs::HaltWakeupLatency.",
                  TimeValue(MicroSeconds(5)),
                  MakeTimeAccessor(&VhostWorker::SetThreadParameter<Time, &P::wakeupLatency>,
                                   &VhostWorker::GetThreadParameter<Time, &P::wakeupLatency>),
                  MakeTimeChecker(Time(0)))
              .AddAttribute(
                  "WakeupCycles",
                  "CPU cycles (at the switch's ClockGHz) the woken thread spends before its "
                  "first frame: context switch in, vhost work list, re-arming the poll. "
                  "Estimate: 2200 (about 1 us at 2.2 GHz; the ovs-kernel profile's "
                  "VirtualSwitch::WakeupCycles).",
                  DoubleValue(2200),
                  MakeDoubleAccessor(&VhostWorker::SetThreadParameter<double, &P::wakeupCycles>,
                                     &VhostWorker::GetThreadParameter<double, &P::wakeupCycles>),
                  MakeDoubleChecker<double>(0))
              .AddAttribute("TapQueueSize",
                            "Frames the device's tap holds for the worker (its ptr_ring, sized "
                            "by the tap's tx_queue_len: Linux TUN_READQ_SIZE = 500); a frame "
                            "for a full tap is dropped (the switch's tap-queue-full). Set "
                            "before the worker is built.",
                            UintegerValue(500), MakeUintegerAccessor(&VhostWorker::m_tapQueueSize),
                            MakeUintegerChecker<uint32_t>(1, 65536))
              .AddTraceSource("Batch",
                              "The thread started a batch: 0, queue (0 = TX virtqueue, "
                              "handle_tx; 1 = tap, handle_rx), frames, processing time",
                              MakeTraceSourceAccessor(&VhostWorker::m_batchTrace),
                              "ns3::VirtualSwitch::BatchTracedCallback");
    return tid;
}

VhostWorker::VhostWorker()
    : m_tapQueueSize(500)
{
    NS_LOG_FUNCTION(this);
    m_thread.SetClient(this, &m_batchTrace);
    m_thread.SetNCores(1);
    m_thread.GetParameters().poll = false;
}

VhostWorker::~VhostWorker() = default;

void
VhostWorker::NotifyConstructionCompleted()
{
    NS_LOG_FUNCTION(this);
    m_tap.Resize(m_tapQueueSize);
    Object::NotifyConstructionCompleted();
}

void
VhostWorker::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_thread.Dispose();
    m_tap.Clear();
    m_datapath = nullptr;
    Object::DoDispose();
}

void
VhostWorker::Attach(Datapath* datapath, uint32_t port, Virtqueue* txQueue)
{
    NS_LOG_FUNCTION(this << port << txQueue);
    NS_ABORT_MSG_IF(m_datapath, "VhostWorker::Attach: already attached");
    m_datapath = datapath;
    m_port = port;
    m_thread.AddPort(txQueue); // TX_QUEUE
    m_thread.AddPort(&m_tap);  // TAP_QUEUE
}

void
VhostWorker::SetCostModel(double clockGHz, uint32_t batchSize, double batchCycles)
{
    NS_LOG_FUNCTION(this << clockGHz << batchSize << batchCycles);
    VswitchCoreScheduler::Parameters& p = m_thread.GetParameters();
    p.clockGHz = clockGHz;
    p.batchSize = batchSize;
    p.batchCycles = batchCycles;
}

void
VhostWorker::SetContext(uint32_t context)
{
    m_thread.SetContext(context);
}

bool
VhostWorker::NeedsKick() const
{
    return m_thread.NeedsKick(TX_QUEUE);
}

void
VhostWorker::TxPublished(Time ready, bool kicked)
{
    NS_LOG_FUNCTION(this << ready << kicked);
    m_thread.Notify(TX_QUEUE, ready, kicked);
}

bool
VhostWorker::Enqueue(const VswitchFrame& frame)
{
    NS_LOG_FUNCTION(this << frame.packet);
    if (m_tap.IsFull())
    {
        return false;
    }
    VswitchFrame& f = m_tap.Push();
    f = frame;
    f.ready = Simulator::Now();
    // The tap wakes the worker (vhost_poll_wakeup) unless it is already serving the tap.
    m_thread.Notify(TAP_QUEUE, f.ready, m_thread.NeedsKick(TAP_QUEUE));
    return true;
}

uint32_t
VhostWorker::GetTapBacklog() const
{
    return m_tap.GetSize();
}

bool
VhostWorker::IsWorking() const
{
    return m_thread.IsWorking();
}

const VhostWorker::Stats&
VhostWorker::GetStats() const
{
    return m_thread.GetCoreStats(0);
}

Time
VhostWorker::GetBusyTime() const
{
    return m_thread.GetUsefulTime(0);
}

void
VhostWorker::ResetStatistics()
{
    NS_LOG_FUNCTION(this);
    m_thread.ResetStatistics();
}

double
VhostWorker::ClassifyFrame(VswitchFrame& frame, uint32_t queue)
{
    return queue == TX_QUEUE ? m_datapath->TxFrameCycles(frame, m_port)
                             : m_datapath->RxFrameCycles(frame, m_port);
}

void
VhostWorker::FinishBatch(uint32_t queue, Virtqueue& q, uint32_t frames)
{
    NS_LOG_FUNCTION(this << queue << frames);
    if (queue == TX_QUEUE)
    {
        m_datapath->TxBatchDone(m_port, q, frames);
        return;
    }
    m_datapath->RxBatchDone(m_port, q, frames);
    q.Release(frames);
}

} // namespace ns3
