/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef HOST_H
#define HOST_H

#include "ns3/node-container.h"
#include "ns3/node.h"
#include "ns3/object.h"

#include <string>
#include <vector>

namespace ns3 {

class Iommu;
class MemoryDomain;
class PcieHierarchy;
class PcieLink;
class NetDevice;
class SriovNic;
class VfNetDevice;
class VirtualSwitch;

/**
 * \ingroup sriov-vmcomm
 * \brief One physical server: its IOMMU, its SR-IOV NICs each on its own PCIe link (several
 * joined by a PcieHierarchy), and the VMs it runs, each VM an ns-3 Node with its own memory. The
 * host's own operating system is a Node too (it owns the NIC's uplink port).
 *
 * The Host is aggregated to that Node (SriovHelper creates both), so that the Config namespace
 * reaches it as /NodeList/N/$ns3::Host and Node::GetObject<Host>() finds it; it is disposed with
 * its Node, at Simulator::Destroy.
 */
class Host : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    Host();
    ~Host() override;

    /**
     * \brief Give the host its hardware.
     * \param link PCIe link between root complex and NIC
     * \param iommu IOMMU (may be null: no DMA remapping)
     * \param nic the NIC, already attached to link and IOMMU
     */
    void SetHardware(Ptr<PcieLink> link, Ptr<Iommu> iommu, Ptr<SriovNic> nic);
    /**
     * \brief Give the host one more NIC (after SetHardware), joined to the first by the host's
     * PCIe hierarchy.
     * \param link the NIC's PCIe link
     * \param nic the NIC, attached to that link and the host's IOMMU
     */
    void AddNic(Ptr<PcieLink> link, Ptr<SriovNic> nic);
    /** \param hierarchy the PCIe hierarchy joining the host's NICs */
    void SetPcieHierarchy(Ptr<PcieHierarchy> hierarchy);
    /** \return the PCIe hierarchy joining the host's NICs, or null (one NIC) */
    Ptr<PcieHierarchy> GetPcieHierarchy() const;
    /** \return number of NICs */
    uint32_t GetNNics() const;

    /**
     * \brief Add a VM.
     * \param vm the VM's node
     * \param memory its memory, attached to the IOMMU (null for a VM that no device DMAs into)
     * \param device its guest NIC: a VfNetDevice or a VirtioNetDevice
     */
    void AddVm(Ptr<Node> vm, Ptr<MemoryDomain> memory, Ptr<NetDevice> device);

    /** \param vswitch the host's software switch (the vswitch modes) */
    void SetVirtualSwitch(Ptr<VirtualSwitch> vswitch);
    /** \return the host's software switch, or null */
    Ptr<VirtualSwitch> GetVirtualSwitch() const;
    /**
     * \param pf the physical function's device on the host's own node: the host kernel's port
     * on the NIC (the virtual switch's way off the host)
     */
    void SetPf(Ptr<VfNetDevice> pf);
    /** \return the PF device, or null */
    Ptr<VfNetDevice> GetPf() const;

    /** \return the host's name (attribute Name) */
    std::string GetName() const;
    /** \return the host OS node: the Node this Host is aggregated to (null before) */
    Ptr<Node> GetNode() const;
    /** \param i NIC index \return the PCIe link of NIC i (the first NIC's by default) */
    Ptr<PcieLink> GetPcieLink(uint32_t i = 0) const;
    /**
     * \return the host's PCIe links, each once, in NIC order (the ports of a multi-port NIC
     * share one link)
     */
    std::vector<Ptr<PcieLink>> GetPcieLinks() const;
    /** \return the IOMMU (may be null) */
    Ptr<Iommu> GetIommu() const;
    /** \param i NIC index \return NIC i (the first NIC by default) */
    Ptr<SriovNic> GetNic(uint32_t i = 0) const;
    /** \return number of VMs */
    uint32_t GetNVms() const;
    /** \return the VMs' nodes */
    NodeContainer GetVms() const;
    /** \param i VM index \return VM i's node */
    Ptr<Node> GetVm(uint32_t i) const;
    /** \param i VM index \return VM i's memory */
    Ptr<MemoryDomain> GetVmMemory(uint32_t i) const;
    /** \param i VM index \return VM i's guest NIC */
    Ptr<NetDevice> GetVmDevice(uint32_t i) const;
    /** \param i VM index \return VM i's VF (aborts if the VM's NIC is not a VF) */
    Ptr<VfNetDevice> GetVf(uint32_t i) const;

  protected:
    void DoDispose() override;
    void NotifyNewAggregate() override;

  private:
    std::string m_name;                        //!< attribute
    Ptr<Node> m_node;                          //!< host OS: the Node aggregating this Host
    std::vector<Ptr<PcieLink>> m_links;        //!< PCIe link per NIC
    Ptr<Iommu> m_iommu;                        //!< IOMMU
    std::vector<Ptr<SriovNic>> m_nics;         //!< NICs
    Ptr<PcieHierarchy> m_hierarchy;            //!< joins the NICs
    NodeContainer m_vms;                       //!< VMs
    std::vector<Ptr<MemoryDomain>> m_memories; //!< per VM
    std::vector<Ptr<NetDevice>> m_devices;     //!< per VM: guest NIC
    Ptr<VirtualSwitch> m_vswitch;              //!< software switch
    Ptr<VfNetDevice> m_pf;                     //!< PF device of the host kernel
};

} // namespace ns3

#endif /* HOST_H */
