/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef SRIOV_HELPER_H
#define SRIOV_HELPER_H

#include "guest-helper.h"
#include "ns3/attribute.h"
#include "ns3/mac48-address.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"
#include "ns3/trace-helper.h"

#include <string>

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
 *   Ptr<Host> host = sriov.Install(vms);
 *   InternetStackHelper().Install(vms);
 * \endcode
 */
class SriovHelper : public PcapHelperForDevice
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

    /**
     * \param enabled false builds hosts without DMA remapping (IOVA = guest physical = host
     * physical offset), as with the IOMMU off in firmware
     */
    void SetIommuEnabled(bool enabled);

    /**
     * \brief Build one host running the given VMs, one VF each. If its NICs forward by Offload
     * (vswitch-offload), the host also gets its VirtualSwitch (Host::GetVirtualSwitch), which
     * the NICs' OffloadForwarders ask: a representor port for the uplink and one for each VF,
     * with the VF's MAC address as a static entry behind it (as the PF driver fills the
     * mapping table).
     * \param vms the VMs' nodes (without devices of ours yet)
     * \return the host
     */
    Ptr<Host> Install(NodeContainer vms) const;

    /**
     * \brief Build one host with \p nVms new VM nodes.
     * \param nVms number of VMs
     * \return the host
     */
    Ptr<Host> Install(uint32_t nVms) const;

    /**
     * \brief Give the host's own kernel a port on its first NIC: the physical function's network
     * device, on the host's node, with the host's memory. Frames from the wire for addresses
     * that no VF owns go to it, so a virtual switch on the host can use it as its uplink.
     * \param host a host built by Install()
     * \return the PF device
     */
    Ptr<VfNetDevice> AddPf(Ptr<Host> host) const;

  private:
    void EnablePcapInternal(std::string prefix, Ptr<NetDevice> nd, bool promiscuous,
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
    GuestHelper m_guest;       //!< the VMs' GuestOs
    uint32_t m_nics;           //!< NICs per host
    bool m_iommuEnabled;       //!< build an IOMMU
};

} // namespace ns3

#endif /* SRIOV_HELPER_H */
