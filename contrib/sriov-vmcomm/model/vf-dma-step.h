/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The eleven steps of patent US9483290B1's claim 1 (patent US9483290B1, claim 1; doc/model.md):
 * their numbers and names, the record a step trace carries, and the table of traced callbacks that
 * fires them.
 */
#ifndef VF_DMA_STEP_H
#define VF_DMA_STEP_H

#include "ns3/trace-source-accessor.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <string>

namespace ns3 {

/**
 * \ingroup sriov-vmcomm
 * \brief The steps of the patent's claim 1, in order (the trace source of step N is
 * Step<N><Name> on VfNetDevice).
 */
enum VfDmaStepId : uint8_t
{
    STEP_ASSIGN_ADDRESS = 1,        //!< the PF gives the VF its MAC address
    STEP_PROVIDE_MAPPING_TABLE,     //!< the PF provides the mapping table (and to the IOMMU)
    STEP_FETCH_TX_FRAME,            //!< TX descriptor and frame DMA-read from the sender
    STEP_LOOK_UP_DESTINATION,       //!< destination compared with the mapping table
    STEP_SEND_LENGTH_TO_PEER,       //!< frame length sent to the destination VF
    STEP_PROVIDE_RX_BUFFER_ADDRESS, //!< the destination VF answers with an RX buffer address
    STEP_START_DMA_WRITE,           //!< the second DMA operation (the write) starts
    STEP_TRANSLATE_WRITE,           //!< the IOMMU translated the write (or faulted)
    STEP_WRITE_INTO_DESTINATION,    //!< the frame is in the destination VM's memory
    STEP_NOTIFY_TRANSFER_DONE,      //!< the destination VF is told the transfer is done
    STEP_NOTIFY_GUEST,              //!< RX descriptor written back, MSI-X raised
    STEP_END                        //!< one past the last step
};

/**
 * \ingroup sriov-vmcomm
 * \brief One step of patent US9483290B1's claim 1, as fired by the Step* trace sources.
 */
struct VfDmaStep
{
    uint8_t step;    //!< 1..11 (VfDmaStepId; doc/model.md)
    uint64_t frame;  //!< frame number, unique in the host (0 for the setup steps 1 and 2)
    uint32_t srcVf;  //!< sending VF on its NIC (NicFrame::UPLINK for a frame from the wire)
    uint32_t dstVf;  //!< destination VF on its NIC
    uint64_t iova;   //!< address the step concerns (IO virtual)
    uint64_t hpa;    //!< host physical address (step 8 and 9), else 0
    uint32_t length; //!< bytes
    bool ok;         //!< false: the step failed (no RX buffer, IOMMU fault)
};

/**
 * \param step 1..11
 * \return the name of its trace source ("Step3FetchTxFrame", ...)
 */
inline const char*
GetVfDmaStepName(uint8_t step)
{
    static const char* const names[STEP_END] = {"",
                                                "Step1AssignAddress",
                                                "Step2ProvideMappingTable",
                                                "Step3FetchTxFrame",
                                                "Step4LookUpDestination",
                                                "Step5SendLengthToPeer",
                                                "Step6ProvideRxBufferAddress",
                                                "Step7StartDmaWrite",
                                                "Step8TranslateWrite",
                                                "Step9WriteIntoDestination",
                                                "Step10NotifyTransferDone",
                                                "Step11NotifyGuest"};
    return step < STEP_END ? names[step] : "";
}

/**
 * \param step 1..11
 * \return the help text of its trace source
 */
inline const char*
GetVfDmaStepHelp(uint8_t step)
{
    static const char* const help[STEP_END]
        = {"",
           "Step 1: the PF assigned the VF its MAC address",
           "Step 2: the mapping table was provided to the VF and the IOMMU",
           "Step 3: TX descriptor and frame fetched from the sending VM by DMA read",
           "Step 4: destination compared with the mapping table",
           "Step 5: frame length sent to the destination VF",
           "Step 6: the destination VF answered with the address of the VM's next free RX buffer",
           "Step 7: second DMA operation (write to that address) started",
           "Step 8: the IOMMU translated the write (or faulted)",
           "Step 9: the frame was written into the destination VM's memory",
           "Step 10: the destination VF was notified that the transfer is done",
           "Step 11: RX descriptor written back and MSI-X raised to the destination VM"};
    return step < STEP_END ? help[step] : "";
}

/**
 * \ingroup sriov-vmcomm
 * \brief The step trace sources of one VF: one TracedCallback per step, fired by the step's
 * method wherever it runs (the VF, the NIC's forwarder).
 */
class VfDmaStepTrace
{
  public:
    /** \param s the step as it completed: fire the trace of s.step */
    void Fire(const VfDmaStep& s) const
    {
        m_traces[s.step](s);
    }

    /** \param step 1..11 \return its traced callback */
    TracedCallback<const VfDmaStep&>& Get(uint8_t step)
    {
        return m_traces[step];
    }

  private:
    TracedCallback<const VfDmaStep&> m_traces[STEP_END]; //!< per step (index 0 unused)
};

/**
 * \ingroup sriov-vmcomm
 * \brief The trace source accessor of a step on a device whose step traced callbacks live
 * elsewhere (in the VF's hardware, where the steps run): T::GetStepTrace(step) finds them.
 * \tparam T the device class
 */
template<class T>
class VfDmaStepTraceAccessor : public TraceSourceAccessor
{
  public:
    /** \param step 1..11 */
    explicit VfDmaStepTraceAccessor(uint8_t step)
        : m_step(step)
    {
    }

    bool ConnectWithoutContext(ObjectBase* obj, const CallbackBase& cb) const override
    {
        T* dev = dynamic_cast<T*>(obj);
        if (dev)
        {
            dev->GetStepTrace(m_step).ConnectWithoutContext(cb);
        }
        return dev != nullptr;
    }

    bool Connect(ObjectBase* obj, std::string context, const CallbackBase& cb) const override
    {
        T* dev = dynamic_cast<T*>(obj);
        if (dev)
        {
            dev->GetStepTrace(m_step).Connect(cb, context);
        }
        return dev != nullptr;
    }

    bool DisconnectWithoutContext(ObjectBase* obj, const CallbackBase& cb) const override
    {
        T* dev = dynamic_cast<T*>(obj);
        if (dev)
        {
            dev->GetStepTrace(m_step).DisconnectWithoutContext(cb);
        }
        return dev != nullptr;
    }

    bool Disconnect(ObjectBase* obj, std::string context, const CallbackBase& cb) const override
    {
        T* dev = dynamic_cast<T*>(obj);
        if (dev)
        {
            dev->GetStepTrace(m_step).Disconnect(cb, context);
        }
        return dev != nullptr;
    }

  private:
    uint8_t m_step; //!< the step
};

} // namespace ns3

#endif /* VF_DMA_STEP_H */
