/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef VSWITCH_HELPER_H
#define VSWITCH_HELPER_H

#include "ns3/attribute.h"
#include "ns3/net-device-container.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"
#include "ns3/trace-helper.h"

#include <string>
#include <vector>

namespace ns3 {

class Host;
class VirtioNetDevice;
class VirtualSwitch;

/**
 * \ingroup sriov-vmcomm
 * \brief Builds the software path (modes vswitch-kernel and vswitch-dpdk): a VirtualSwitch on
 * the host's cores and one VirtioNetDevice per VM, attached as a switch port, with a fresh MAC
 * address and a static forwarding entry for it.
 *
 * \code
 *   VswitchHelper vswitch;
 *   vswitch.SetProfile("ovs-dpdk");                           // first: later settings win
 *   vswitch.SetSwitchAttribute("NCores", UintegerValue(2));
 *   vswitch.SetVirtioAttribute("RxMode", StringValue("Poll"));
 *   NodeContainer vms;
 *   vms.Create(2);
 *   InternetStackHelper().Install(vms);
 *   NetDeviceContainer devices = vswitch.Install(vms);          // device i on vms.Get(i)
 *   Ptr<VirtualSwitch> sw = VswitchHelper::GetSwitch(devices.Get(0));
 *   Ipv4AddressHelper("10.0.0.0", "255.255.255.0").Assign(devices);
 * \endcode
 *
 * Each device gets a NetDeviceQueueInterface (SetFlowControl), so that assigning an IPv4 address
 * installs ns-3's default queue disc and the device stops and wakes the stack's queue with its TX
 * virtqueue, as Linux virtio-net does.
 *
 * ASCII traces (EnableAscii*) write, per VirtioNetDevice, a "+" line for each frame the stack
 * hands to the device (MacTx), a "d" line for each frame the device drops (Drop, the reason
 * after the packet) and an "r" line for each frame handed to the stack (MacRx); no "-" lines
 * (the TX virtqueue is no ns-3 Queue). VmCommHelper chooses the mode and delegates to this helper
 * for vswitch-kernel and vswitch-dpdk.
 */
class VswitchHelper
    : public PcapHelperForDevice
    , public AsciiTraceHelperForDevice
{
  public:
    VswitchHelper();
    ~VswitchHelper() override;

    /** \brief Set an attribute of the switches built. \param n name \param v value */
    void SetSwitchAttribute(std::string n, const AttributeValue& v);
    /** \brief Set an attribute of the VirtioNetDevices built. \param n name \param v value */
    void SetVirtioAttribute(std::string n, const AttributeValue& v);
    /**
     * \brief Set the switch attributes of a calibration profile (the preset registry's
     * PresetKind::VSWITCH entries, helper/preset.h).
     * Attributes set before are overridden, attributes set after override the profile. Aborts
     * with the list of valid names on an unknown one.
     * \param name "ovs-kernel" or "ovs-dpdk"
     */
    void SetProfile(const std::string& name);
    /** \return the valid profile names */
    static std::vector<std::string> GetProfileNames();
    /**
     * \param enabled aggregate a NetDeviceQueueInterface to each device (default true); without
     * it a full TX virtqueue drops the stack's frames instead of stopping its queue
     */
    void SetFlowControl(bool enabled);

    /**
     * \brief Build a switch and attach the given VMs, one VirtioNetDevice each (GetSwitch()
     * gives the switch from any of them).
     * \param vms the VMs' nodes
     * \return the VMs' devices: device i on vms.Get(i)
     */
    NetDeviceContainer Install(NodeContainer vms) const;
    /**
     * \brief Build a switch with \p nVms new VM nodes.
     * \param nVms number of VMs
     * \return the VMs' devices, device i on VM i (GetNode() gives the VM)
     */
    NetDeviceContainer Install(uint32_t nVms) const;
    /**
     * \brief Build a switch for a host: as Install(vms), and the switch is aggregated to the host
     * (Host::GetVirtualSwitch() returns it, and the VMs join the host).
     * \param host the host (must not have a switch yet)
     * \param vms the VMs' nodes
     * \return the VMs' devices: device i on vms.Get(i)
     */
    NetDeviceContainer Install(Ptr<Host> host, NodeContainer vms) const;
    /**
     * \param device a VirtioNetDevice built by this helper
     * \return the switch it is a port of, or null (not a VirtioNetDevice, or not attached)
     */
    static Ptr<VirtualSwitch> GetSwitch(Ptr<NetDevice> device);
    /**
     * \brief Attach one more VM to a switch.
     * \param vswitch the switch
     * \param vm the VM's node
     * \return the VM's new device
     */
    Ptr<VirtioNetDevice> AddVm(Ptr<VirtualSwitch> vswitch, Ptr<Node> vm) const;

  private:
    void EnablePcapInternal(std::string prefix, Ptr<NetDevice> nd, bool promiscuous,
                            bool explicitFilename) override;
    void EnableAsciiInternal(Ptr<OutputStreamWrapper> stream, std::string prefix, Ptr<NetDevice> nd,
                             bool explicitFilename) override;

    ObjectFactory m_switch; //!< VirtualSwitch factory
    ObjectFactory m_virtio; //!< VirtioNetDevice factory
    bool m_flowControl;     //!< aggregate NetDeviceQueueInterface
};

} // namespace ns3

#endif /* VSWITCH_HELPER_H */
