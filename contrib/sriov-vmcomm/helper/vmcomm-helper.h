/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef VMCOMM_HELPER_H
#define VMCOMM_HELPER_H

#include "comm-mode.h"
#include "ns3/attribute.h"
#include "ns3/net-device-container.h"
#include "ns3/node-container.h"
#include "ns3/trace-helper.h"
#include "sriov-helper.h"
#include "vswitch-helper.h"

#include <string>
#include <utility>
#include <vector>

namespace ns3 {

class Host;

/**
 * \ingroup sriov-vmcomm
 * \brief What a host's place in a network offers a communication mode (VmCommHelper::Check).
 */
struct VmCommSite
{
    std::string host;        //!< the host's name, for messages
    std::string where;       //!< where the host is defined (a topology file), for messages
    uint32_t vms{0};         //!< VMs it runs
    std::string vmsSource;   //!< where the VM count comes from, for messages ("--vms=4")
    bool switchPort{false};  //!< cabled to a switch port that can reflect (802.1Qbg)
    bool vmToVmFrames{true}; //!< frames go between two of its own VMs
};

/**
 * \ingroup sriov-vmcomm
 * \brief One entry point for every communication mode (doc/modes.md): builds one host whose
 * VMs reach each other in the mode chosen, delegating to SriovHelper (vf-dma, veb, vepa,
 * vswitch-offload: one VF per VM, the mode sets how the NICs forward between VFs) and to
 * VswitchHelper (vswitch-kernel, vswitch-dpdk: one VirtioNetDevice per VM on a software switch
 * whose uplink is the host kernel's PF on the host's SR-IOV NIC).
 *
 * \code
 *   VmCommHelper comm;
 *   comm.SetMode("vepa");                                  // or SetMode(CommMode::VEPA)
 *   comm.GetSriovHelper().SetIommuAttribute("IotlbEntries", UintegerValue(128));
 *   NodeContainer vms;
 *   vms.Create(2);
 *   NetDeviceContainer devices = comm.Install(vms);        // device i on vms.Get(i)
 *   Ptr<Host> host = VmCommHelper::GetHost(devices);
 *   // vepa: cable host->GetNic()->SetUplink(...) to a switch port with reflective relay
 *   // (comm.NeedsReflectiveRelay()); Check() says what a topology lacks for the mode.
 * \endcode
 *
 * The mode decides the NICs' Forwarding attribute (whatever GetSriovHelper() was given) and, in
 * the vswitch modes, the switch's calibration profile unless SetVswitchProfile() names one;
 * switch and virtio attributes set here are applied after the profile. PCAP and ASCII tracing
 * work on the devices of every mode (VfNetDevice and VirtioNetDevice).
 */
class VmCommHelper
    : public PcapHelperForDevice
    , public AsciiTraceHelperForDevice
{
  public:
    /** Mode vf-dma, one NIC per host, the attribute defaults. */
    VmCommHelper();
    ~VmCommHelper() override;

    /** \param mode the communication mode of the hosts built */
    void SetMode(CommMode mode);
    /**
     * \param name a mode's name (GetCommModeNames(): "vf-dma", "veb", ...)
     * \throws std::invalid_argument for an unknown name (the message lists the valid ones)
     */
    void SetMode(const std::string& name);
    /** \return the mode */
    CommMode GetMode() const;

    /**
     * \return the helper building the hosts' hardware (IOMMU, NICs, PCIe, VFs), for its
     * attributes, presets and NIC count; its NIC Forwarding attribute is the mode's
     */
    SriovHelper& GetSriovHelper();
    /** \return the helper building the hosts' hardware */
    const SriovHelper& GetSriovHelper() const;

    /**
     * \brief The vswitch modes' switch profile (VswitchHelper::SetProfile), instead of the
     * mode's own (GetDefaultVswitchProfile()): "" goes back to the mode's.
     * \param name a profile name ("ovs-kernel", "ovs-dpdk"), or ""
     */
    void SetVswitchProfile(const std::string& name);
    /** \brief Set an attribute of the virtual switches built (vswitch modes), after the
     * profile. \param n name \param v value */
    void SetSwitchAttribute(std::string n, const AttributeValue& v);
    /** \brief Set an attribute of the VirtioNetDevices built (vswitch modes). \param n name
     * \param v value */
    void SetVirtioAttribute(std::string n, const AttributeValue& v);

    /**
     * \return true if the mode needs the switch port facing the host to reflect frames (IEEE
     * 802.1Qbg reflective relay): vepa sends VM-to-VM frames out of the uplink
     */
    bool NeedsReflectiveRelay() const;

    /**
     * \brief Check that a host's place in the network can carry the mode: the hardware modes
     * give each VM a VF (at most SriovHelper::GetVfCapacity() VMs), vepa needs a switch port
     * with reflective relay when two of the host's VMs exchange frames.
     * \param site what the host's place offers
     * \return "" if it can, else one line naming the mode, the host and what it lacks
     */
    std::string Check(const VmCommSite& site) const;

    /**
     * \brief Build one host running the given VMs in the mode; the host's node is created
     * after the VMs'.
     * \param vms the VMs' nodes
     * \return the VMs' devices (VfNetDevice, or VirtioNetDevice in the vswitch modes): device i
     * on vms.Get(i)
     */
    NetDeviceContainer Install(NodeContainer vms) const;
    /**
     * \brief As Install(vms), the host OS on \p hostNode (hostNode->GetObject<Host>() returns
     * the Host, also for no VMs).
     * \param hostNode the host OS's node
     * \param vms the VMs' nodes
     * \return the VMs' devices, device i on vms.Get(i)
     */
    NetDeviceContainer Install(Ptr<Node> hostNode, NodeContainer vms) const;

    /**
     * \param device a VM's device built by Install() \return its Host (SriovHelper::GetHost)
     */
    static Ptr<Host> GetHost(Ptr<NetDevice> device);
    /** \param devices devices of one Install() \return their Host (SriovHelper::GetHost) */
    static Ptr<Host> GetHost(const NetDeviceContainer& devices);

  private:
    void EnablePcapInternal(std::string prefix, Ptr<NetDevice> nd, bool promiscuous,
                            bool explicitFilename) override;
    void EnableAsciiInternal(Ptr<OutputStreamWrapper> stream, std::string prefix, Ptr<NetDevice> nd,
                             bool explicitFilename) override;

    /** Attribute name and value, applied to a VswitchHelper after the profile. */
    using Setting = std::pair<std::string, Ptr<AttributeValue>>;

    CommMode m_mode;                    //!< the mode
    SriovHelper m_sriov;                //!< the hosts' hardware
    std::string m_profile;              //!< vswitch profile, "" for the mode's
    std::vector<Setting> m_switchAttrs; //!< VirtualSwitch attributes
    std::vector<Setting> m_virtioAttrs; //!< VirtioNetDevice attributes
};

} // namespace ns3

#endif /* VMCOMM_HELPER_H */
