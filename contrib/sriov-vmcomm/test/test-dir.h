/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * A scratch directory per test process, removed when its tests end.
 */
#ifndef VMCOMM_TEST_DIR_H
#define VMCOMM_TEST_DIR_H

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <system_error>

/** \return the scratch directory's path (ctest runs every test case in its own process) */
inline std::filesystem::path
TestDirPath()
{
    return std::filesystem::temp_directory_path() / ("vmcomm-test-" + std::to_string(::getpid()));
}

/** \return this process's scratch directory, with a trailing '/', created on first use */
inline std::string
TestDir()
{
    std::filesystem::create_directories(TestDirPath());
    return TestDirPath().string() + "/";
}

/** Removes the scratch directory when the tests end (not in a forked child: it never gets here). */
class TestDirCleanup : public ::testing::Environment
{
  public:
    void TearDown() override
    {
        std::error_code ignored;
        std::filesystem::remove_all(TestDirPath(), ignored);
    }
};

/** Registered once per test program. */
inline const ::testing::Environment* const g_testDirCleanup
    = ::testing::AddGlobalTestEnvironment(new TestDirCleanup);

#endif /* VMCOMM_TEST_DIR_H */
