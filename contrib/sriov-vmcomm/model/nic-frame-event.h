/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The simulator event of a NIC frame's next step: one EventImpl per NicFrame, recycled with the
 * record, so the per-frame path allocates no event (the only custom EventImpl of the module).
 */
#ifndef NIC_FRAME_EVENT_H
#define NIC_FRAME_EVENT_H

#include "nic-frame.h"
#include "ns3/abort.h"
#include "ns3/event-impl.h"
#include "ns3/simulator.h"

namespace ns3 {

/**
 * \ingroup sriov-vmcomm
 * \brief The pending step of a NicFrame as a simulator event. A frame has at most one step
 * pending, and the NIC reuses its records: each record keeps one event, created on first use,
 * instead of a MakeEvent allocation per step.
 */
class NicFrameEvent : public EventImpl
{
  public:
    /** A step handler: calls a member of \p target with the frame. */
    typedef void (*Handler)(void* target, NicFrame* frame);

    /**
     * \brief Run T::M on \p target with \p frame at \p at, in simulator context \p context.
     * \tparam T the class of the handler
     * \tparam M the member to run
     * \param frame the frame (its record's event is reused)
     * \param context the simulator context of the event (the node whose hardware runs it)
     * \param at absolute instant, not before now
     * \param target the object to run M on
     */
    template<class T, void (T::*M)(NicFrame*)>
    static void Schedule(NicFrame* frame, uint32_t context, Time at, T* target)
    {
        if (!frame->event)
        {
            frame->event = Create<NicFrameEvent>();
        }
        auto* ev = static_cast<NicFrameEvent*>(PeekPointer(frame->event));
        NS_ABORT_MSG_IF(ev->m_pending, "frame " << frame->id << " already has a step pending");
        ev->m_target = target;
        ev->m_handler = &Call<T, M>;
        ev->m_frame = frame;
        ev->m_pending = true;
        Simulator::ScheduleWithContext(context, at - Simulator::Now(), GetPointer(frame->event));
    }

  protected:
    void Notify() override
    {
        m_pending = false;
        m_handler(m_target, m_frame);
    }

  private:
    /** \brief Call T::M. \param target the object \param frame the frame */
    template<class T, void (T::*M)(NicFrame*)>
    static void Call(void* target, NicFrame* frame)
    {
        (static_cast<T*>(target)->*M)(frame);
    }

    void* m_target{nullptr};    //!< whose handler runs (owned elsewhere, outlives the event)
    Handler m_handler{nullptr}; //!< the step
    NicFrame* m_frame{nullptr}; //!< the frame
    bool m_pending{false};      //!< scheduled and not run yet
};

} // namespace ns3

#endif /* NIC_FRAME_EVENT_H */
