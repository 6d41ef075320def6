/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef PRESET_H
#define PRESET_H

#include <stdexcept>
#include <string>
#include <vector>

// The one registry of named attribute sets: NIC hardware presets (--preset=NAME, a topology
// host's nic=) and virtual-switch calibration profiles (a topology host's vswitch=,
// VswitchHelper::SetProfile). Each value carries its source. The model classes keep attribute
// defaults equal to the default entry of each kind (tests check that they agree).

namespace ns3 {

class ObjectFactory;

/**
 * \ingroup sriov-vmcomm
 * \brief What a preset configures.
 */
enum class PresetKind
{
    NIC,    //!< NIC hardware: PcieLink, Iommu, DmaEngine, MemoryDomain page size, SriovNic::MaxVfs
    VSWITCH //!< a software switch's calibration: ns3::VirtualSwitch cost model and mode
};

/**
 * \ingroup sriov-vmcomm
 * \brief One attribute default a preset sets, with where its value comes from.
 */
struct PresetParameter
{
    std::string attribute; //!< full attribute name, e.g. "ns3::PcieLink::Lanes"
    std::string value;     //!< value as the attribute parses it, e.g. "8" or "70ns"
    std::string source;    //!< publication or calibration it comes from, or "estimate: why"
};

/**
 * \ingroup sriov-vmcomm
 * \brief A named configuration: NIC hardware (DMA engine, PCIe link, IOMMU and IOMMU page size)
 * or a virtual switch's calibration.
 *
 * Every preset of a kind sets the same attributes (those of PresetParameter lists), so applying
 * one preset after another of the same kind leaves no value of the first behind.
 */
struct Preset
{
    std::string name;                        //!< e.g. "nfp6000-bdw", "ovs-dpdk"
    std::string description;                 //!< one line: what it stands for
    PresetKind kind{PresetKind::NIC};        //!< what it configures
    std::vector<PresetParameter> parameters; //!< the attribute defaults it sets
};

/**
 * \ingroup sriov-vmcomm
 * \param kind which presets
 * \return the names of all presets of that kind, the default first
 */
std::vector<std::string> ListPresets(PresetKind kind = PresetKind::NIC);

/**
 * \ingroup sriov-vmcomm
 * \param kind which presets
 * \return the name of the preset the attribute defaults equal ("nfp6000-bdw", "ovs-kernel"):
 *         a program that applies no preset runs this one
 */
std::string GetDefaultPresetName(PresetKind kind = PresetKind::NIC);

/**
 * \ingroup sriov-vmcomm
 * \param kind which presets
 * \return the valid names, comma separated, for error messages ("ovs-kernel, ovs-dpdk")
 */
std::string GetPresetNameList(PresetKind kind);

/**
 * \ingroup sriov-vmcomm
 * \param name a preset name
 * \param kind which presets
 * \return the preset, or null if there is none of that name and kind
 */
const Preset* FindPreset(const std::string& name, PresetKind kind);

/**
 * \ingroup sriov-vmcomm
 * \param name a preset name
 * \param kind which presets
 * \return the preset
 * \throws std::invalid_argument for an unknown name; the message lists the valid names
 */
const Preset& GetPreset(const std::string& name, PresetKind kind = PresetKind::NIC);

/**
 * \ingroup sriov-vmcomm
 * \brief Set the attribute defaults (Config::SetDefault) the preset names to its values: those
 * of PcieLink, Iommu, DmaEngine, MemoryDomain and SriovNic (MaxVfs) for a NIC preset, those of
 * VirtualSwitch for a switch profile.
 *
 * Call it before the objects are built; objects built afterwards (by SriovHelper, a topology,
 * dma-bench, VswitchHelper) take the preset's values. A later Config::SetDefault, or a later
 * --ns3::Type::Attr=value processed by CommandLine::Parse, overrides the preset's value.
 *
 * \param name a preset name
 * \param kind which presets
 * \throws std::invalid_argument for an unknown name (nothing is changed); the message lists
 *         the valid names
 */
void ApplyPreset(const std::string& name, PresetKind kind = PresetKind::NIC);

/**
 * \ingroup sriov-vmcomm
 * \brief Set a preset's values on a helper's factory (ObjectFactory::Set), for the objects that
 * factory builds only. Every attribute of the preset must belong to the factory's type (aborts
 * naming the attribute otherwise).
 *
 * An attribute whose default the program changed (Config::SetDefault, or a
 * --ns3::Type::Attr=VALUE processed by CommandLine::Parse) keeps that value: the user's value wins
 * over a switch profile as it does over a NIC preset. A value equal to the attribute's built-in
 * default cannot be told from no value, and the preset's applies.
 *
 * \param preset the preset (GetPreset, FindPreset)
 * \param factory the factory, its TypeId set
 */
void ApplyPreset(const Preset& preset, ObjectFactory& factory);

/**
 * \ingroup sriov-vmcomm
 * \brief Apply the preset named by a --preset=NAME argument, if any, for a program's main().
 *
 * Call it before CommandLine::Parse, and register "preset" with the CommandLine too (so that
 * --help shows it and Parse accepts it). The preset is then applied first, wherever --preset
 * stands on the command line, and every --ns3::Type::Attr=value overrides it. Without
 * --preset the program's own default is applied (\p fallback), or nothing is changed when it
 * is empty: the attribute defaults are the default preset.
 *
 * \param argc argument count of main()
 * \param argv arguments of main()
 * \param fallback the preset a program applies when none is given ("": the attribute defaults)
 * \return the preset applied, \p fallback, or GetDefaultPresetName() when there was neither
 * \throws std::invalid_argument for an unknown name; the message lists the valid names
 */
std::string ApplyPresetFromCommandLine(int argc, char* argv[], const std::string& fallback = "");

} // namespace ns3

#endif /* PRESET_H */
