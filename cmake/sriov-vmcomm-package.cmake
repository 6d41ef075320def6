# The files cmake --install adds beside the libraries and headers (../CMakeLists.txt includes this
# after the module's targets): the CMake package sriov-vmcomm (sriov-vmcommConfig.cmake, its
# version file, the exported targets sriov-vmcomm::sriov-vmcomm and sriov-vmcomm::experiment) and
# the pkg-config files sriov-vmcomm.pc and sriov-vmcomm-experiment.pc; and the license, changes and
# metadata files.
include(CMakePackageConfigHelpers)

set(VMCOMM_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/sriov-vmcomm)
install(EXPORT sriov-vmcommTargets NAMESPACE sriov-vmcomm:: DESTINATION ${VMCOMM_CMAKE_DIR}
        COMPONENT sriov-vmcomm)
configure_package_config_file(
  ${CMAKE_CURRENT_LIST_DIR}/sriov-vmcommConfig.cmake.in
  ${CMAKE_BINARY_DIR}/package/sriov-vmcommConfig.cmake INSTALL_DESTINATION ${VMCOMM_CMAKE_DIR}
)
# While 0.x every minor release may break the API (0.2 accepts 0.2.*, not 0.3); from 1.0, the
# major release.
if(PROJECT_VERSION_MAJOR EQUAL 0)
  set(compatibility SameMinorVersion)
else()
  set(compatibility SameMajorVersion)
endif()
write_basic_package_version_file(${CMAKE_BINARY_DIR}/package/sriov-vmcommConfigVersion.cmake
                                 COMPATIBILITY ${compatibility})
install(
  FILES ${CMAKE_BINARY_DIR}/package/sriov-vmcommConfig.cmake
        ${CMAKE_BINARY_DIR}/package/sriov-vmcommConfigVersion.cmake
        ${CMAKE_CURRENT_LIST_DIR}/sriov-vmcomm-ns3.cmake
  DESTINATION ${VMCOMM_CMAKE_DIR}
  COMPONENT sriov-vmcomm
)

# pkg-config. The installed tree is relocatable (cmake --install --prefix DIR): the prefix is
# found from the .pc file's own directory.
set(pc_dir ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}" OR IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(PC_PREFIX_FROM_PCDIR)
  set(PC_LIBDIR ${CMAKE_INSTALL_FULL_LIBDIR})
  set(PC_INCLUDEDIR ${CMAKE_INSTALL_FULL_INCLUDEDIR})
else()
  file(RELATIVE_PATH PC_PREFIX_FROM_PCDIR /prefix/${pc_dir} /prefix)
  string(REGEX REPLACE "/$" "" PC_PREFIX_FROM_PCDIR "${PC_PREFIX_FROM_PCDIR}")
  set(PC_LIBDIR "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
  set(PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
# ns-3 installs a ns3-MODULE.pc per module (Debian's libns3-dev does): required by name, at the
# release the module was built against. An ns-3 without them: its libraries go into Libs.
find_package(PkgConfig QUIET)
function(vmcomm_pc_ns3 requires_var libs_var)
  set(names)
  foreach(m ${ARGN})
    list(APPEND names ns3-${m})
  endforeach()
  set(requires)
  set(libs)
  string(MAKE_C_IDENTIFIER "vmcomm_pc_${requires_var}_${ARGN}" pc)
  if(PKG_CONFIG_FOUND)
    pkg_check_modules(${pc} QUIET ${names})
  endif()
  if(${pc}_FOUND)
    foreach(n ${names})
      # (pkg_check_modules names the version <prefix>_<module>_VERSION for several modules)
      if(${pc}_${n}_VERSION)
        list(APPEND requires "${n} = ${${pc}_${n}_VERSION}")
      else()
        list(APPEND requires "${n} = ${${pc}_VERSION}")
      endif()
    endforeach()
  else()
    vmcomm_ns3_targets(targets ${ARGN})
    foreach(t ${targets})
      get_target_property(location ${t} LOCATION)
      list(APPEND libs ${location})
    endforeach()
  endif()
  list(JOIN requires ", " requires)
  list(JOIN libs " " libs)
  set(${requires_var} "${requires}" PARENT_SCOPE)
  set(${libs_var} "${libs}" PARENT_SCOPE)
endfunction()
# Not a pkg-config habit, but ns-3's headers need this standard (C++23 from ns-3 3.46) and
# compilers default to an older one.
set(PC_CFLAGS -std=c++${CMAKE_CXX_STANDARD})

set(PC_NAME sriov-vmcomm)
set(PC_DESCRIPTION "ns-3 module: VMs on hosts with SR-IOV NICs, PCIe, IOMMU and virtual switches (model library)")
set(PC_LIB sriov-vmcomm)
vmcomm_pc_ns3(PC_REQUIRES PC_LIBS ${VMCOMM_NS3_MODULES})
set(PC_LIBS_PRIVATE)
configure_file(${CMAKE_CURRENT_LIST_DIR}/sriov-vmcomm.pc.in ${CMAKE_BINARY_DIR}/package/sriov-vmcomm.pc @ONLY)

set(PC_NAME sriov-vmcomm-experiment)
set(PC_DESCRIPTION "sriov-vmcomm's experiment library: scenario runs, topologies, SQLite results")
set(PC_LIB sriov-vmcomm-experiment)
vmcomm_pc_ns3(PC_REQUIRES PC_LIBS ${VMCOMM_NS3_EXPERIMENT_MODULES})
string(PREPEND PC_REQUIRES "sriov-vmcomm = ${PROJECT_VERSION}, ")
get_target_property(boost_graph Boost::graph LOCATION)
set(PC_LIBS_PRIVATE "${SQLite3_LIBRARIES} ${boost_graph}")
configure_file(${CMAKE_CURRENT_LIST_DIR}/sriov-vmcomm.pc.in
               ${CMAKE_BINARY_DIR}/package/sriov-vmcomm-experiment.pc @ONLY)

install(FILES ${CMAKE_BINARY_DIR}/package/sriov-vmcomm.pc
              ${CMAKE_BINARY_DIR}/package/sriov-vmcomm-experiment.pc
        DESTINATION ${pc_dir} COMPONENT sriov-vmcomm)

# The module's license, changes and App Store metadata beside the documentation of other packages
# (share/doc/sriov-vmcomm).
install(FILES ${PROJECT_SOURCE_DIR}/contrib/sriov-vmcomm/LICENSE
              ${PROJECT_SOURCE_DIR}/contrib/sriov-vmcomm/CHANGES.md
              ${PROJECT_SOURCE_DIR}/contrib/sriov-vmcomm/app-store.json
        DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT sriov-vmcomm)
