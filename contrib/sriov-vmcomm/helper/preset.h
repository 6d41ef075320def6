/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef PRESET_H
#define PRESET_H

#include <string>
#include <vector>

namespace ns3 {

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
 * \brief A named hardware configuration: NIC DMA engine, PCIe link, IOMMU and IOMMU page size.
 *
 * Every preset sets the same attributes (those of PresetParameter lists), so applying one
 * preset after another leaves no value of the first behind.
 */
struct Preset
{
    std::string name;                        //!< e.g. "nfp6000-bdw"
    std::string description;                 //!< one line: what hardware it stands for
    std::vector<PresetParameter> parameters; //!< the attribute defaults it sets
};

/**
 * \ingroup sriov-vmcomm
 * \return the names of all presets, the default first
 */
std::vector<std::string> ListPresets();

/**
 * \ingroup sriov-vmcomm
 * \return the name of the preset the attribute defaults equal ("nfp6000-bdw"): a program that
 *         applies no preset runs this one
 */
std::string GetDefaultPresetName();

/**
 * \ingroup sriov-vmcomm
 * \param name a preset name
 * \return the preset
 * \throws std::invalid_argument for an unknown name; the message lists the valid names
 */
const Preset& GetPreset(const std::string& name);

/**
 * \ingroup sriov-vmcomm
 * \brief Set the attribute defaults (Config::SetDefault) of PcieLink, Iommu, DmaEngine,
 * MemoryDomain and SriovNic (MaxVfs) to the preset's values.
 *
 * Call it before the objects are built; objects built afterwards (by SriovHelper, a topology,
 * dma-bench) take the preset's values. A later Config::SetDefault, or a later
 * --ns3::Type::Attr=value processed by CommandLine::Parse, overrides the preset's value.
 *
 * \param name a preset name
 * \throws std::invalid_argument for an unknown name (nothing is changed); the message lists
 *         the valid names
 */
void ApplyPreset(const std::string& name);

/**
 * \ingroup sriov-vmcomm
 * \brief Apply the preset named by a --preset=NAME argument, if any, for a program's main().
 *
 * Call it before CommandLine::Parse, and register "preset" with the CommandLine too (so that
 * --help shows it and Parse accepts it). The preset is then applied first, wherever --preset
 * stands on the command line, and every --ns3::Type::Attr=value overrides it. Without
 * --preset nothing is changed: the attribute defaults are the default preset.
 *
 * \param argc argument count of main()
 * \param argv arguments of main()
 * \return the preset applied, or GetDefaultPresetName() when there was no --preset
 * \throws std::invalid_argument for an unknown name; the message lists the valid names
 */
std::string ApplyPresetFromCommandLine(int argc, char* argv[]);

} // namespace ns3

#endif /* PRESET_H */
