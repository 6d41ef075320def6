/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The choice of guest (kernel or DPDK) for the VMs a program builds, and the helper that gives
 * each VM its GuestOs: the one place a program's --guest is turned into the model's attributes.
 */
#ifndef GUEST_HELPER_H
#define GUEST_HELPER_H

#include "ns3/attribute.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"

#include <string>
#include <vector>

namespace ns3 {

class GuestOs;

/**
 * \ingroup sriov-vmcomm
 * \brief What runs in the VMs (--guest of the programs).
 */
enum class GuestKind
{
    KERNEL, //!< "kernel": Linux, its network stack, interrupts, a vCPU that halts when idle
    DPDK    //!< "dpdk": a DPDK application with a poll mode driver: no interrupts, no stack
};

/** \ingroup sriov-vmcomm \return the guest names, in order ("kernel", "dpdk") */
std::vector<std::string> GetGuestKindNames();
/** \ingroup sriov-vmcomm \param kind a guest \return its name */
std::string ToString(GuestKind kind);
/**
 * \ingroup sriov-vmcomm
 * \param name a name \param kind [out] the guest \return false if \p name is none
 */
bool ParseGuestKind(const std::string& name, GuestKind* kind);

/**
 * \ingroup sriov-vmcomm
 * \brief Gives VMs their GuestOs (one per VM, aggregated to its Node). SriovHelper and
 * VswitchHelper hold one and install it on every VM they build, so a program chooses its guests
 * once:
 *
 * \code
 *   GuestHelper guest;
 *   guest.SetGuest(GuestKind::DPDK);           // the program's --guest
 *   guest.SetAttribute("HaltPollNs", TimeValue(Time(0)));
 *   SriovHelper sriov;
 *   sriov.SetGuestHelper(guest);
 *   VswitchHelper vswitch;
 *   vswitch.SetGuestHelper(guest);
 * \endcode
 */
class GuestHelper
{
  public:
    GuestHelper();

    /**
     * \brief Choose the guest: what --guest of every program does, and the only place a guest
     * kind becomes GuestOs attributes (Stack). Attributes set after it override it.
     * \param kind kernel or DPDK
     */
    void SetGuest(GuestKind kind);
    /** \return the guest chosen (kernel unless SetGuest said otherwise) */
    GuestKind GetGuest() const;
    /** \brief Set an attribute of the GuestOs objects built. \param n name \param v value */
    void SetAttribute(std::string n, const AttributeValue& v);

    /**
     * \brief Give \p vm a GuestOs, unless it has one already.
     * \param vm the VM's node
     * \return the VM's GuestOs
     */
    Ptr<GuestOs> Install(Ptr<Node> vm) const;
    /** \brief Install(vm) on each node. \param vms the VMs' nodes */
    void Install(NodeContainer vms) const;

  private:
    ObjectFactory m_factory; //!< GuestOs factory
    GuestKind m_kind;        //!< the guest chosen
};

} // namespace ns3

#endif /* GUEST_HELPER_H */
