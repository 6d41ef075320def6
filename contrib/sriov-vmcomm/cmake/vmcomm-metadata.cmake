# Reads the module's App Store metadata, ../app-store.json (name, license, the supported ns-3
# range), and its release from the file the metadata names (../VERSION, the one place of the
# version: the library, the Python tools and the documentation read it too). Used by the
# standalone build (../../../CMakeLists.txt) and by the module's CMakeLists.txt in both branches.
# ./vmcomm reads the same range from app-store.json.
if(CMAKE_VERSION VERSION_LESS 3.19)
  message(FATAL_ERROR "sriov-vmcomm needs CMake >= 3.19 (string(JSON)); this is CMake ${CMAKE_VERSION}")
endif()

# vmcomm_read_metadata() sets, in the caller's scope: VMCOMM_NAME, VMCOMM_VERSION (MAJOR.MINOR.PATCH),
# VMCOMM_LICENSE, VMCOMM_NS3_MIN and VMCOMM_NS3_MAX (ns-3 releases MAJOR.MINOR).
function(vmcomm_read_metadata)
  get_filename_component(dir ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/.. ABSOLUTE)
  set(file ${dir}/app-store.json)
  file(READ ${file} json)
  foreach(path "name" "license" "version-file" "ns-3;min" "ns-3;max")
    string(JSON value ERROR_VARIABLE error GET "${json}" ${path})
    if(error)
      string(REPLACE ";" "." key "${path}")
      message(FATAL_ERROR "${file}: no \"${key}\" (${error})")
    endif()
    string(REGEX REPLACE "[^a-z0-9]" "_" var "${path}")
    set(${var} "${value}")
  endforeach()
  foreach(var ns_3_min ns_3_max)
    if(NOT ${var} MATCHES "^3\\.[0-9]+$")
      string(REPLACE "ns_3_" "ns-3." key ${var})
      message(FATAL_ERROR "${file}: \"${key}\" is \"${${var}}\", not an ns-3 release 3.NN")
    endif()
  endforeach()
  set(version_file ${dir}/${version_file})
  file(STRINGS ${version_file} version LIMIT_COUNT 1)
  if(NOT version MATCHES "^[0-9]+\\.[0-9]+\\.[0-9]+$")
    message(FATAL_ERROR "${version_file}: \"${version}\" is not a version MAJOR.MINOR.PATCH")
  endif()
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${file} ${version_file})
  set(VMCOMM_NAME ${name} PARENT_SCOPE)
  set(VMCOMM_LICENSE ${license} PARENT_SCOPE)
  set(VMCOMM_VERSION ${version} PARENT_SCOPE)
  set(VMCOMM_NS3_MIN ${ns_3_min} PARENT_SCOPE)
  set(VMCOMM_NS3_MAX ${ns_3_max} PARENT_SCOPE)
endfunction()

# vmcomm_check_ns3_version(VERSION WHERE): stops the configure, naming WHERE (the ns-3 found),
# unless ns-3 release VERSION (3.43, 3.43.1) is within VMCOMM_NS3_MIN..VMCOMM_NS3_MAX; warns for
# an ns-3-dev tree (VERSION "3-dev").
function(vmcomm_check_ns3_version version where)
  if(version MATCHES "^3-dev")
    # ns-3's development tree (VERSION "3-dev") is newer than any release: it may build, or its
    # API may have moved past model/ns3-compat.h. Say so rather than refuse a researcher's tree.
    set(text "sriov-vmcomm is tested with ns-3 ${VMCOMM_NS3_MIN} to ${VMCOMM_NS3_MAX}; ")
    string(APPEND text "${where} is ns-3-dev (\"${version}\"): untested, built with the API of the release its version-defines.h names")
    message(WARNING "${text}")
    return()
  endif()
  string(REGEX MATCH "^[0-9]+\\.[0-9]+" release "${version}")
  if(NOT release OR release VERSION_LESS VMCOMM_NS3_MIN OR release VERSION_GREATER VMCOMM_NS3_MAX)
    # One string: ns-3's tree replaces message() by one that would join several with ';'.
    set(text "sriov-vmcomm supports ns-3 ${VMCOMM_NS3_MIN} to ${VMCOMM_NS3_MAX} ")
    string(APPEND text "(contrib/sriov-vmcomm/app-store.json); found ns-3 \"${version}\" (${where})")
    message(FATAL_ERROR "${text}")
  endif()
endfunction()
