# What an installed ns-3's CMake package needs before sriov-vmcomm links it, for ns-3 3.37 to
# 3.48: used by the standalone build (../CMakeLists.txt) and, installed beside it, by the package
# config (sriov-vmcommConfig.cmake) a program that find_package(sriov-vmcomm) loads.

# Debian's ns-3 3.48 exports the include directory of the Python its package was built with
# (/usr/include/python3.13 on a system with 3.14); the module does not use ns-3's Python
# bindings, so a listed directory that does not exist is dropped from the ns3:: targets imported
# in the calling directory, rather than failing the configure.
function(vmcomm_ns3_drop_missing_include_dirs)
  get_property(ns3_targets DIRECTORY PROPERTY IMPORTED_TARGETS)
  set(dropped)
  foreach(t ${ns3_targets})
    if(t MATCHES "^ns3::")
      get_target_property(dirs ${t} INTERFACE_INCLUDE_DIRECTORIES)
      if(dirs)
        set(kept)
        foreach(d ${dirs})
          if(EXISTS "${d}" OR d MATCHES "^\\$<")
            list(APPEND kept "${d}")
          elseif(NOT d IN_LIST dropped)
            list(APPEND dropped "${d}")
            message(STATUS "sriov-vmcomm: ignoring ${d}, listed by ns-3's ${t} but missing")
          endif()
        endforeach()
        set_target_properties(${t} PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${kept}")
      endif()
    endif()
  endforeach()
endfunction()

# ns-3 modules under the exported target names of this release (ns3::libcore up to 3.4x,
# ns3::core since): vmcomm_ns3_targets(VAR module...) sets VAR to their targets.
function(vmcomm_ns3_targets var)
  set(targets)
  foreach(m ${ARGN})
    if(TARGET ns3::lib${m})
      list(APPEND targets ns3::lib${m})
    elseif(TARGET ns3::${m})
      list(APPEND targets ns3::${m})
    else()
      message(FATAL_ERROR "ns-3 ${ns3_VERSION} at ${ns3_DIR} has no module '${m}' "
                          "(neither ns3::lib${m} nor ns3::${m})")
    endif()
  endforeach()
  set(${var} ${targets} PARENT_SCOPE)
endfunction()
