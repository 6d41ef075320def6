/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The cores of a virtual switch and their cycle cost model (see vswitch-core-scheduler.h).
 */
// The host cores of a software virtual switch and their cycle cost model: see
// vswitch-core-scheduler.h.
#include "vswitch-core-scheduler.h"

#include "ns3-compat.h"
#include "ns3/abort.h"
#include "ns3/log.h"
#include "ns3/simulator.h"

#include <algorithm>
#include <cmath>

namespace ns3 {

NS_LOG_COMPONENT_DEFINE("VswitchCoreScheduler");

VswitchCoreScheduler::VswitchCoreScheduler()
    : m_context(Simulator::NO_CONTEXT)
    , m_start(Simulator::Now())
{
    NS_LOG_FUNCTION(this);
}

void
VswitchCoreScheduler::SetClient(Client* client, const BatchTrace* batchTrace)
{
    m_client = client;
    m_batchTrace = batchTrace;
}

VswitchCoreScheduler::Parameters&
VswitchCoreScheduler::GetParameters()
{
    return m_params;
}

const VswitchCoreScheduler::Parameters&
VswitchCoreScheduler::GetParameters() const
{
    return m_params;
}

void
VswitchCoreScheduler::SetContext(uint32_t context)
{
    NS_LOG_FUNCTION(this << context);
    m_context = context;
}

bool
VswitchCoreScheduler::IsWorking() const
{
    for (const Core& c : m_cores)
    {
        if (c.running || compat::IsPending(c.wake))
        {
            return true;
        }
    }
    return false;
}

void
VswitchCoreScheduler::SetNCores(uint32_t n)
{
    NS_LOG_FUNCTION(this << n);
    NS_ABORT_MSG_IF(n == 0, "VirtualSwitch: NCores must be at least 1");
    NS_ABORT_MSG_IF(IsWorking(), "VirtualSwitch: NCores cannot change to "
                                     << n << " while its cores are "
                                     << "working; set it before the "
                                     << "switch has traffic");
    m_cores.clear();
    m_cores.resize(n);
    for (uint32_t port = 0; port < m_ports.size(); ++port)
    {
        Port& p = m_ports[port];
        p.core = port % n;
        m_cores[p.core].ports.push_back(port);
    }
}

uint32_t
VswitchCoreScheduler::GetNCores() const
{
    return m_cores.size();
}

uint32_t
VswitchCoreScheduler::AddPort(Virtqueue* queue)
{
    NS_LOG_FUNCTION(this << queue);
    NS_ABORT_MSG_IF(m_cores.empty(), "VswitchCoreScheduler::AddPort: no cores");
    uint32_t index = m_ports.size();
    Port p;
    p.queue = queue;
    p.core = index % m_cores.size();
    m_ports.push_back(p);
    m_cores[p.core].ports.push_back(index);
    return index;
}

uint32_t
VswitchCoreScheduler::GetPortCore(uint32_t port) const
{
    return m_ports.at(port).core;
}

const std::vector<uint32_t>&
VswitchCoreScheduler::GetCorePorts(uint32_t core) const
{
    return m_cores.at(core).ports;
}

bool
VswitchCoreScheduler::NeedsKick(uint32_t port) const
{
    return !m_params.poll && !m_ports[port].pending;
}

void
VswitchCoreScheduler::Notify(uint32_t port, Time ready, bool kicked)
{
    NS_LOG_FUNCTION(this << port << ready << kicked);
    Port& p = m_ports[port];
    if (m_params.poll)
    {
        RequestWake(p.core, PollInstant(port, ready));
    }
    else if (kicked)
    {
        // Notifications off until the core finds the queue empty again.
        // A sleeping core takes WakeupLatency to start; a running one sees the work at once.
        p.pending = true;
        p.kicked = true;
        p.notBefore = ready + (m_cores[p.core].idle ? m_params.wakeupLatency : Time(0));
        RequestWake(p.core, p.notBefore);
    }
    // Else the port is already being served: its core (running, or due to wake) will see it.
}

// ---- Cores ----

void
VswitchCoreScheduler::RequestWake(uint32_t core, Time at)
{
    NS_LOG_FUNCTION(this << core << at);
    if (m_context != Simulator::NO_CONTEXT && Simulator::GetContext() != m_context)
    {
        // A VM's kick (or another node's frame): the core's work is the host's event.
        Simulator::ScheduleWithContext(m_context, Time(0), &VswitchCoreScheduler::RequestWake, this,
                                       core, at);
        return;
    }
    Core& c = m_cores[core];
    if (c.running)
    {
        return; // Run() at the end of the batch looks at every port
    }
    if (compat::IsPending(c.wake) && c.wakeAt <= at)
    {
        return;
    }
    c.wake.Cancel();
    c.wakeAt = std::max(at, Simulator::Now());
    c.wake
        = Simulator::Schedule(c.wakeAt - Simulator::Now(), &VswitchCoreScheduler::Wake, this, core);
}

void
VswitchCoreScheduler::Wake(uint32_t core)
{
    NS_LOG_FUNCTION(this << core);
    Run(core);
}

void
VswitchCoreScheduler::Run(uint32_t core)
{
    NS_LOG_FUNCTION(this << core);
    Core& c = m_cores[core];
    Time now = Simulator::Now();
    const bool interrupt = !m_params.poll;
    uint32_t n = c.ports.size();
    for (uint32_t k = 0; k < n; ++k)
    {
        uint32_t i = (c.next + k) % n;
        Port& p = m_ports[c.ports[i]];
        if (interrupt && (!p.pending || p.notBefore > now))
        {
            continue;
        }
        if (p.queue->GetPending() > 0 && p.queue->FirstPending().ready <= now)
        {
            c.next = (i + 1) % n;
            StartBatch(core, c.ports[i]);
            return;
        }
    }
    // Nothing ready: idle until the earliest frame that will be. A port with nothing at all
    // re-enables its notifications (Interrupt mode) and will kick when the guest sends again.
    c.running = false;
    if (!c.idle)
    {
        c.idleSince = now; // poll mode: the idle loop starts its iterations from here
    }
    c.idle = true;
    Time next = Time::Max();
    for (uint32_t port : c.ports)
    {
        Port& p = m_ports[port];
        if (interrupt && !p.pending)
        {
            continue;
        }
        if (p.queue->GetPending() == 0)
        {
            p.pending = false;
            continue;
        }
        Time t = p.queue->FirstPending().ready;
        t = interrupt ? std::max(t, p.notBefore) : PollInstant(port, t);
        next = std::min(next, t);
    }
    if (next != Time::Max())
    {
        RequestWake(core, next);
    }
}

void
VswitchCoreScheduler::StartBatch(uint32_t core, uint32_t port)
{
    NS_LOG_FUNCTION(this << core << port);
    Core& c = m_cores[core];
    Port& p = m_ports[port];
    Virtqueue& q = *p.queue;
    Time now = Simulator::Now();
    double cycles = m_params.batchCycles;
    if (p.kicked)
    {
        p.kicked = false;
        if (c.idle)
        {
            // The kick (or interrupt) had to wake the sleeping core.
            cycles += m_params.wakeupCycles;
            ++c.stats.wakeups;
        }
    }
    c.idle = false;
    uint32_t m = 0;
    uint64_t bytes = 0;
    while (m < m_params.batchSize && q.GetPending() > 0 && q.FirstPending().ready <= now)
    {
        VswitchFrame& f = q.Take();
        cycles += m_client->ClassifyFrame(f, port);
        bytes += f.length;
        ++m;
    }
    // Round to the simulator's nanoseconds, carrying the remainder so no bias accumulates.
    double ns = cycles / m_params.clockGHz + c.carryNs;
    double whole = std::floor(ns);
    c.carryNs = ns - whole;
    Time duration = NanoSeconds(int64_t(whole));
    c.running = true;
    c.batchPort = port;
    c.batchFrames = m;
    c.batchEnd = now + duration;
    c.stats.frames += m;
    c.stats.bytes += bytes;
    ++c.stats.batches;
    c.stats.useful += duration;
    (*m_batchTrace)(core, port, m, duration);
    c.done = Simulator::Schedule(duration, &VswitchCoreScheduler::BatchDone, this, core);
}

void
VswitchCoreScheduler::BatchDone(uint32_t core)
{
    NS_LOG_FUNCTION(this << core);
    Core& c = m_cores[core];
    m_client->FinishBatch(c.batchPort, *m_ports[c.batchPort].queue, c.batchFrames);
    c.running = false;
    Run(core);
}

Time
VswitchCoreScheduler::GetPollPeriod(uint32_t core) const
{
    if (!m_params.poll)
    {
        return Time(0);
    }
    const double cycles = m_params.pollLoopCycles
                        + m_params.emptyPollCycles * double(m_cores.at(core).ports.size());
    return NanoSeconds(cycles / m_params.clockGHz);
}

Time
VswitchCoreScheduler::PollInstant(uint32_t port, Time ready) const
{
    const Port& p = m_ports[port];
    const Core& c = m_cores[p.core];
    const double cycles = m_params.pollLoopCycles + m_params.emptyPollCycles * c.ports.size();
    if (!m_params.poll || cycles <= 0 || !c.idle)
    {
        return ready; // a busy core polls every port between its batches
    }
    // The loop went idle having just polled every port, from c.next on; port of rank o (0 =
    // c.next) is polled again at idleSince + (o + 1) x P / n + k x P, k = 0, 1, ...
    const uint32_t n = c.ports.size();
    const uint32_t at = std::find(c.ports.begin(), c.ports.end(), port) - c.ports.begin();
    const uint32_t rank = (at + n - c.next) % n;
    const double period = cycles / m_params.clockGHz; // ns
    const double first = double(c.idleSince.GetNanoSeconds()) + (rank + 1) * period / n;
    const double wait = double(ready.GetNanoSeconds()) - first;
    const double k = wait > 0 ? std::ceil(wait / period) : 0;
    const Time poll = NanoSeconds(int64_t(std::ceil(first + k * period)));
    return std::max(poll, ready);
}

// ---- Statistics ----

Time
VswitchCoreScheduler::CyclesToTime(double cycles) const
{
    return NanoSeconds(cycles / m_params.clockGHz);
}

Time
VswitchCoreScheduler::GetElapsed() const
{
    return Simulator::Now() - m_start;
}

Time
VswitchCoreScheduler::GetUsefulTime(uint32_t core) const
{
    const Core& c = m_cores.at(core);
    Time useful = c.stats.useful;
    if (c.running)
    {
        useful -= c.batchEnd - Simulator::Now(); // the part of the batch still to come
    }
    return useful;
}

Time
VswitchCoreScheduler::GetBusyTime(uint32_t core) const
{
    return m_params.poll ? GetElapsed() : GetUsefulTime(core);
}

double
VswitchCoreScheduler::GetUtilization(uint32_t core) const
{
    Time elapsed = GetElapsed();
    return elapsed.IsStrictlyPositive() ? GetBusyTime(core).GetSeconds() / elapsed.GetSeconds()
                                        : 0.0;
}

const VswitchCoreScheduler::CoreStats&
VswitchCoreScheduler::GetCoreStats(uint32_t core) const
{
    return m_cores.at(core).stats;
}

void
VswitchCoreScheduler::ResetStatistics()
{
    NS_LOG_FUNCTION(this);
    Time now = Simulator::Now();
    m_start = now;
    for (auto& c : m_cores)
    {
        c.stats = CoreStats();
        // The rest of a running batch belongs to the new window.
        c.stats.useful = c.running ? c.batchEnd - now : Time(0);
    }
}

void
VswitchCoreScheduler::Dispose()
{
    NS_LOG_FUNCTION(this);
    for (auto& c : m_cores)
    {
        c.wake.Cancel();
        c.done.Cancel();
    }
    m_ports.clear();
    m_client = nullptr;
    m_batchTrace = nullptr;
}

} // namespace ns3
