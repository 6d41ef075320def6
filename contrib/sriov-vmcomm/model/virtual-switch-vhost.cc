/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * VirtualSwitch's vhost side: the backend interface its VMs' VirtioNetDevices call, and the
 * vhost-net worker threads of an Interrupt-mode switch (see virtual-switch.h).
 */
// VirtualSwitch as the vhost backend of its VM ports: kicks and published frames go to the core
// serving the port or, in an Interrupt-mode switch with VhostWorkers (vhost-net), to the port's
// own worker thread (VhostWorker), which runs the datapath for the frames its guest sends
// (handle_tx) and copies in the frames the datapath queues on its tap (handle_rx). The rest of
// VirtualSwitch is in virtual-switch.cc and virtual-switch-datapath.cc.
#include "ns3/abort.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "virtual-switch.h"

namespace ns3 {

NS_LOG_COMPONENT_DEFINE("VirtualSwitchVhost");

bool
VirtualSwitch::NeedsKick(uint32_t port) const
{
    const Ptr<VhostWorker>& worker = m_ports[port].worker;
    return worker ? worker->NeedsKick() : m_scheduler.NeedsKick(port);
}

void
VirtualSwitch::TxPublished(uint32_t port, Time ready, bool kicked)
{
    NS_LOG_FUNCTION(this << port << ready << kicked);
    if (const Ptr<VhostWorker>& worker = m_ports[port].worker)
    {
        worker->TxPublished(ready, kicked); // the kick's ioeventfd wakes the device's worker
        return;
    }
    m_scheduler.Notify(port, ready, kicked);
}

Ptr<VhostWorker>
VirtualSwitch::GetWorker(uint32_t port) const
{
    NS_ABORT_MSG_IF(port >= m_ports.size(), "VirtualSwitch::GetWorker: no port " << port);
    return m_ports[port].worker;
}

uint32_t
VirtualSwitch::GetNWorkers() const
{
    uint32_t n = 0;
    for (const auto& p : m_ports)
    {
        n += bool(p.worker);
    }
    return n;
}

Ptr<VhostWorker>
VirtualSwitch::GetWorkerByIndex(uint32_t i) const
{
    uint32_t k = i;
    for (const auto& p : m_ports)
    {
        if (p.worker && k-- == 0)
        {
            return p.worker;
        }
    }
    NS_ABORT_MSG("VirtualSwitch::GetWorkerByIndex: no worker " << i);
    return nullptr;
}

void
VirtualSwitch::SetVhostWorkers(bool enable)
{
    NS_LOG_FUNCTION(this << enable);
    m_vhostWorkers = enable;
    UpdateWorkers();
}

bool
VirtualSwitch::GetVhostWorkers() const
{
    return m_vhostWorkers;
}

void
VirtualSwitch::UpdateWorkers()
{
    NS_LOG_FUNCTION(this);
    const bool want = m_vhostWorkers && !m_scheduler.GetParameters().poll;
    for (uint32_t port = 0; port < m_ports.size(); ++port)
    {
        Port& p = m_ports[port];
        if (!p.vm || bool(p.worker) == want)
        {
            continue;
        }
        NS_ABORT_MSG_IF((p.worker && p.worker->IsWorking()) || p.vm->GetTxQueue().GetSize() > 0,
                        "VirtualSwitch: Mode or VhostWorkers cannot change while the switch "
                        "has work; set them before traffic");
        if (want)
        {
            p.worker = CreateObject<VhostWorker>();
            p.worker->Attach(this, port, &p.vm->GetTxQueue());
            p.worker->SetContext(m_context);
        }
        else
        {
            p.worker->Dispose();
            p.worker = nullptr;
        }
    }
    SyncWorkers();
}

void
VirtualSwitch::SyncWorkers()
{
    const VswitchCoreScheduler::Parameters& params = m_scheduler.GetParameters();
    for (auto& p : m_ports)
    {
        if (p.worker)
        {
            p.worker->SetCostModel(params.clockGHz, params.batchSize, params.batchCycles);
        }
    }
}

double
VirtualSwitch::OutputCycles(uint32_t port, uint32_t length) const
{
    return m_ports[port].worker ? 0.0 : PortCycles(port, false, length);
}

// ---- VhostWorker::Datapath: what a VM port's worker runs ----

double
VirtualSwitch::TxFrameCycles(VswitchFrame& frame, uint32_t port)
{
    // handle_tx: the copy out of the guest and the datapath, in the sender's worker.
    return ClassifyFrame(frame, port);
}

void
VirtualSwitch::TxBatchDone(uint32_t port, Virtqueue& queue, uint32_t frames)
{
    FinishBatch(port, queue, frames);
}

double
VirtualSwitch::RxFrameCycles(const VswitchFrame& frame, uint32_t port)
{
    // handle_rx: the VM port's TX cycles and the copy into the guest.
    return PortCycles(port, false, frame.length);
}

void
VirtualSwitch::RxBatchDone(uint32_t port, Virtqueue& tap, uint32_t frames)
{
    NS_LOG_FUNCTION(this << port << frames);
    Port& p = m_ports[port];
    const Time now = Simulator::Now();
    bool delivered = false;
    for (uint32_t i = 0; i < frames; ++i)
    {
        VswitchFrame& f = tap.At(i);
        f.host += now - f.ready;      // the wait for this worker and its copy, after the datapath
        if (p.vm->DeliverFromHost(f)) // a full RX virtqueue is the device's drop
        {
            ++m_counters.forwarded;
            m_forwardTrace(f.packet, f.inPort, port);
            delivered = true;
        }
    }
    if (delivered)
    {
        p.vm->NotifyGuest(); // one irqfd signal per batch (vhost_signal)
    }
}

} // namespace ns3
