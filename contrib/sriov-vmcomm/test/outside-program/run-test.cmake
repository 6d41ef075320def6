# The ctest install-outside-program (../CMakeLists.txt): cmake --install of the module's build into
# a fresh prefix under WORK_DIR, then this directory's program built against it twice, as a
# researcher would: with CMake (find_package(sriov-vmcomm 0.2 REQUIRED), CMakeLists.txt here) and
# with pkg-config (pkg-config --cflags --libs sriov-vmcomm); each must run and exit 0 (the echo
# came back over the VFs). Everything it writes is under WORK_DIR, in the build directory.
#   cmake -DBUILD_DIR=... -DWORK_DIR=... -DGENERATOR=... -DCXX=... -DSOVERSION=0.2 -P run-test.cmake
foreach(var BUILD_DIR WORK_DIR GENERATOR CXX SOVERSION)
  if(NOT ${var})
    message(FATAL_ERROR "run-test.cmake: -D${var}=... missing")
  endif()
endforeach()
set(source ${CMAKE_CURRENT_LIST_DIR})
set(prefix ${WORK_DIR}/prefix)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

function(step what)
  message(STATUS "install-outside-program: ${what}")
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "install-outside-program: ${what} failed (${rc})")
  endif()
endfunction()

step("cmake --install into ${prefix}" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
# The layout: the versioned libraries with their SONAME links, the public headers and the module
# header, and no internal header (contrib/sriov-vmcomm/CMakeLists.txt, experiment/CMakeLists.txt).
foreach(lib sriov-vmcomm sriov-vmcomm-experiment)
  file(GLOB found ${prefix}/lib*/lib${lib}.so.${SOVERSION} ${prefix}/lib*/*/lib${lib}.so.${SOVERSION})
  if(NOT found)
    message(FATAL_ERROR "install-outside-program: no lib${lib}.so.${SOVERSION} under ${prefix}")
  endif()
endforeach()
foreach(h sriov-vmcomm-module.h sriov-vmcomm-experiment-module.h sriov-helper.h)
  if(NOT EXISTS ${prefix}/include/ns3/${h})
    message(FATAL_ERROR "install-outside-program: ${prefix}/include/ns3/${h} not installed")
  endif()
endforeach()
foreach(h ns3-compat.h sqlite-util.h)
  if(EXISTS ${prefix}/include/ns3/${h})
    message(FATAL_ERROR "install-outside-program: internal header ${h} installed")
  endif()
endforeach()
# As a user's machine would build it: no compiler launcher (ccache) of this build's environment.
unset(ENV{CMAKE_CXX_COMPILER_LAUNCHER})
# Only the installed tree: not the build tree's package registry, not another installation.
step("configure (find_package)" ${CMAKE_COMMAND} -S ${source} -B ${WORK_DIR}/cmake-build -G
     ${GENERATOR} -DCMAKE_CXX_COMPILER=${CXX} -DCMAKE_PREFIX_PATH=${prefix}
     -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF -Dsriov-vmcomm_DIR=)
step("build (find_package)" ${CMAKE_COMMAND} --build ${WORK_DIR}/cmake-build)
step("run (find_package)" ${WORK_DIR}/cmake-build/outside-program)

find_program(PKG_CONFIG pkg-config)
if(NOT PKG_CONFIG)
  message(FATAL_ERROR "install-outside-program: pkg-config not found (Debian: pkg-config)")
endif()
file(GLOB pc_file ${prefix}/*/pkgconfig/sriov-vmcomm.pc ${prefix}/*/*/pkgconfig/sriov-vmcomm.pc)
if(NOT pc_file)
  message(FATAL_ERROR "install-outside-program: no sriov-vmcomm.pc under ${prefix}")
endif()
get_filename_component(pc_dir ${pc_file} DIRECTORY)
get_filename_component(lib_dir ${pc_dir} DIRECTORY)
# The shell, as a user types it: pkg-config's output is words for the compiler's command line.
set(ENV{PKG_CONFIG_PATH} ${pc_dir})
step("build (pkg-config)" sh -c
     "flags=$(\"${PKG_CONFIG}\" --cflags --libs sriov-vmcomm) && \"${CXX}\" \"${source}/main.cc\" -o \"${WORK_DIR}/pkg-config-program\" $flags")
# A .pc file carries no run path: the installed library is found as a user's would be.
set(ENV{LD_LIBRARY_PATH} "${lib_dir}:$ENV{LD_LIBRARY_PATH}")
step("run (pkg-config)" ${WORK_DIR}/pkg-config-program)
