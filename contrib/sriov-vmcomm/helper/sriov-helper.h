/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef SRIOV_HELPER_H
#define SRIOV_HELPER_H

#include "guest-helper.h"
#include "ns3/attribute.h"
#include "ns3/mac48-address.h"
#include "ns3/net-device-container.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"
#include "ns3/trace-helper.h"

#include <stdexcept>
#include <string>
#include <vector>

namespace ns3 {

class Host;
class SriovNic;
class VfNetDevice;

/**
 * \ingroup sriov-vmcomm
 * \brief Builds hosts: an IOMMU, one or more SR-IOV NICs on their PCIe links, and one VF per VM,
 * with each VM's memory mapped in its own IOMMU domain, MAC addresses assigned and the mapping
 * table filled.
 *
 * Attributes of each part are set through its factory, as with ns-3's other helpers:
 * \code
 *   SriovHelper sriov;
 *   sriov.SetIommuAttribute("IotlbEntries", UintegerValue(128));
 *   NodeContainer vms;
 *   vms.Create(2);
 *   NetDeviceContainer vfs = sriov.Install(vms);   // vfs.Get(i) on vms.Get(i)
 *   Ptr<Host> host = SriovHelper::GetHost(vfs);    // the host they run on
 *   InternetStackHelper().Install(vms);
 *   Ipv4AddressHelper("10.0.0.0", "255.255.255.0").Assign(vfs);
 *   sriov.EnablePcap("vf", vfs);
 *   sriov.EnableAsciiAll(AsciiTraceHelper().CreateFileStream("vf.tr"));
 * \endcode
 *
 * The Host is aggregated to its own Node (the host OS, which owns the NICs' uplink ports):
 * `hostNode->GetObject<Host>()` and the Config path `/NodeList/N/$ns3::Host` reach it, and
 * GetHost() finds it from any of its VMs' devices. VmCommHelper chooses the communication mode
 * and delegates to this helper (and to VswitchHelper).
 *
 * ASCII traces (EnableAscii*) write, per VfNetDevice, a "+" line for each frame the stack hands
 * to the device (MacTx), a "d" line for each frame dropped at send (MacTxDrop, TX ring full)
 * and an "r" line for each frame the device hands to its stack (MacRx). The device has no ns-3
 * Queue, so there are no "-" lines; the NIC's own drops are its Drop trace source
 * (doc/traces.md).
 */
class SriovHelper
    : public PcapHelperForDevice
    , public AsciiTraceHelperForDevice
{
  public:
    SriovHelper();
    ~SriovHelper() override;

    /** \brief Set an attribute of the hosts built. \param n name \param v value */
    void SetHostAttribute(std::string n, const AttributeValue& v);
    /** \brief Set an attribute of the PCIe links built. \param n name \param v value */
    void SetPcieAttribute(std::string n, const AttributeValue& v);
    /** \brief Set an attribute of the IOMMUs built. \param n name \param v value */
    void SetIommuAttribute(std::string n, const AttributeValue& v);
    /** \brief Set an attribute of the NICs built. \param n name \param v value */
    void SetNicAttribute(std::string n, const AttributeValue& v);
    /** \brief Set an attribute of the VFs built. \param n name \param v value */
    void SetVfAttribute(std::string n, const AttributeValue& v);
    /** \brief Set an attribute of the VM memories built. \param n name \param v value */
    void SetMemoryAttribute(std::string n, const AttributeValue& v);
    /** \brief Set an attribute of the NICs' DMA engines. \param n name \param v value */
    void SetDmaAttribute(std::string n, const AttributeValue& v);

    /**
     * \brief Set an attribute of the PCIe hierarchies built (hosts with several NICs).
     * \param n name \param v value
     */
    void SetHierarchyAttribute(std::string n, const AttributeValue& v);
    /**
     * \brief Set an attribute of the virtual switches built for hosts whose NICs forward by
     * Offload (vswitch-offload). \param n name \param v value
     */
    void SetVirtualSwitchAttribute(std::string n, const AttributeValue& v);
    /**
     * \brief Give the VMs built this guest (GuestHelper::SetGuest: kernel or DPDK); without it
     * they run the default GuestOs (a kernel guest). \param guest the guests' helper
     */
    void SetGuestHelper(const GuestHelper& guest);

    /**
     * \brief Build hosts with a preset's hardware (ns3::ListPresets()), whatever the attribute
     * defaults say (--preset, --ns3::Type::Attr): each of its parameters is set on the factory
     * of its type. Attributes set on the helper afterwards win.
     * \param name a preset name
     * \throws std::invalid_argument for an unknown name (the message lists the valid ones)
     */
    void SetPreset(const std::string& name);

    /**
     * \brief Build hosts with \p nics SR-IOV NICs, each on its own PCIe link with its own DMA
     * engine, joined by a PcieHierarchy and sharing one mapping table. VM i gets a VF of NIC
     * i mod \p nics, so consecutive VMs sit on different NICs.
     * \param nics NICs per host (1 by default)
     */
    void SetNics(uint32_t nics);
    /** \return the NICs per host (SetNics) */
    uint32_t GetNics() const;

    /**
     * \brief Give each NIC \p ports Ethernet ports. Each port is a physical function with its own
     * VFs, embedded switch and uplink (an SriovNic, as the host sees a multi-port adapter such as
     * the Intel 82599ES: one PCI function per port), with its own DMA engine (the 82599's ports
     * have their own DMA); the ports of a NIC share its PCIe link, and messages between their
     * VFs stay on the chip. The host's functions are numbered NIC by NIC: NIC n's port p is
     * Host::GetNic(n x ports + p).
     * \param ports ports per NIC (1 by default)
     */
    void SetPorts(uint32_t ports);
    /** \return the ports per NIC (SetPorts) */
    uint32_t GetPorts() const;

    /**
     * \brief Place the VMs' VFs: VM i's VF on the host's function (port) \p functions[i]. Without
     * it (the default), VM i's VF is on function i mod (NICs x ports), so consecutive VMs sit on
     * different ones.
     * \param functions a function index per VM, each below NICs x ports (checked at Install)
     */
    void SetVfPlacement(const std::vector<uint32_t>& functions);

    /**
     * \param enabled false builds hosts without DMA remapping (IOVA = guest physical = host
     * physical offset), as with the IOMMU off in firmware
     */
    void SetIommuEnabled(bool enabled);

    /**
     * \brief Build one host running the given VMs, one VF each, as PointToPointHelper::Install
     * builds devices. The host's own Node is created after the VMs' (use the overload with a
     * host node to choose it). If its NICs forward by Offload (vswitch-offload), the host also
     * gets its VirtualSwitch (Host::GetVirtualSwitch), which the NICs' OffloadForwarders ask: a
     * representor port for the uplink and one for each VF, with the VF's MAC address as a
     * static entry behind it (as the PF driver fills the mapping table).
     * \param vms the VMs' nodes (without devices of ours yet)
     * \return the VMs' VfNetDevices: device i on vms.Get(i) (GetHost() gives their Host)
     */
    NetDeviceContainer Install(NodeContainer vms) const;

    /**
     * \brief Build one host with \p nVms new VM nodes (created before the host's node).
     * \param nVms number of VMs
     * \return the VMs' VfNetDevices, device i on VM i (GetNode() gives the VM)
     */
    NetDeviceContainer Install(uint32_t nVms) const;

    /**
     * \brief As Install(vms), with the host OS on \p hostNode: the Host is aggregated to it
     * (hostNode->GetObject<Host>() returns it, also when \p vms is empty).
     * \param hostNode the host OS's node (without a Host yet)
     * \param vms the VMs' nodes
     * \return the VMs' VfNetDevices, device i on vms.Get(i)
     */
    NetDeviceContainer Install(Ptr<Node> hostNode, NodeContainer vms) const;

    /**
     * \brief The Host a device belongs to: the host running the VM whose guest device
     * (VfNetDevice or VirtioNetDevice) it is, or whose PF it is. Looks through the Hosts
     * aggregated to the nodes of the NodeList.
     * \param device a device built by this helper, VswitchHelper or VmCommHelper
     * \return the Host, or null if the device is no VM's or PF's
     */
    static Ptr<Host> GetHost(Ptr<NetDevice> device);

    /**
     * \brief GetHost() of the first device (Install() puts all its devices on one host).
     * \param devices devices returned by Install() (aborts if empty)
     * \return the Host, or null
     */
    static Ptr<Host> GetHost(const NetDeviceContainer& devices);

    /**
     * \brief How many VMs a host built now can run: its NICs' VFs (ns3::SriovNic::MaxVfs per
     * port, from SetNicAttribute, the preset or the attribute's default in force) times the NICs
     * per host and their ports.
     * \param[out] maxVfs if not null, the MaxVfs value used (as text)
     * \return the number of VFs of a host
     */
    uint64_t GetVfCapacity(std::string* maxVfs = nullptr) const;

    /**
     * \brief Give the host's own kernel a port on its first NIC: the physical function's network
     * device, on the host's node, with the host's memory. Frames from the wire for addresses
     * that no VF owns go to it, so a virtual switch on the host can use it as its uplink.
     * \param host a host built by Install()
     * \return the PF device
     */
    Ptr<VfNetDevice> AddPf(Ptr<Host> host) const;
    /**
     * \brief Give the host's kernel a port on one of its NICs: AddPf(host) for NIC 0 (which it
     * must have first); on a further NIC, that NIC's physical function's device, on the host's
     * node, sharing the first PF's memory (host->GetPf() stays the first), the default VF of its
     * NIC (a virtual switch's second uplink: VirtualSwitch::AddUplink).
     * \param host a host built by Install()
     * \param nic the NIC's index, < host->GetNNics()
     * \return the PF device
     */
    Ptr<VfNetDevice> AddPf(Ptr<Host> host, uint32_t nic) const;

  private:
    void EnablePcapInternal(std::string prefix, Ptr<NetDevice> nd, bool promiscuous,
                            bool explicitFilename) override;
    void EnableAsciiInternal(Ptr<OutputStreamWrapper> stream, std::string prefix, Ptr<NetDevice> nd,
                             bool explicitFilename) override;

    /**
     * \brief vswitch-offload: give a VF a representor port in the host's virtual switch, its
     * address a static entry behind it (nothing if the NIC does not forward by Offload).
     * \param nic the VF's NIC \param vf its index \param mac its address
     */
    static void AddRepresentor(Ptr<SriovNic> nic, uint32_t vf, Mac48Address mac);

    ObjectFactory m_host;      //!< Host factory
    ObjectFactory m_pcie;      //!< PcieLink factory
    ObjectFactory m_iommu;     //!< Iommu factory
    ObjectFactory m_nic;       //!< SriovNic factory
    ObjectFactory m_vf;        //!< VfNetDevice factory
    ObjectFactory m_memory;    //!< MemoryDomain factory
    ObjectFactory m_dma;       //!< DmaEngine factory
    ObjectFactory m_hierarchy; //!< PcieHierarchy factory
    ObjectFactory m_vswitch;   //!< VirtualSwitch factory (vswitch-offload)
    ObjectFactory m_rc;        //!< RootComplex factory
    std::string m_maxVfs;      //!< ns3::SriovNic::MaxVfs as set (preset or attribute), or ""
    GuestHelper m_guest;       //!< the VMs' GuestOs
    uint32_t m_nics;           //!< NICs per host
    uint32_t m_ports;          //!< ports (physical functions) per NIC
    std::vector<uint32_t> m_placement; //!< function of each VM's VF, or empty: round robin
    bool m_iommuEnabled;               //!< build an IOMMU
};

} // namespace ns3

#endif /* SRIOV_HELPER_H */
