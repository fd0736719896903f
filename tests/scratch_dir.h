// A fresh, empty scratch directory under the temp directory for the running
// test. Its name carries the test's name (or the caller's), since ctest runs
// tests as parallel processes, and this process's pid, since another suite (a
// second clone's) may run the same test on the same machine at once.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <string>

namespace rlvr::test_support {

inline std::filesystem::path fresh_scratch_dir(const std::string& prefix, std::string name = "") {
  if (name.empty()) name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
  std::replace(name.begin(), name.end(), '/', '_');  // a parameterised test is named "Case/3"
  const auto dir =
      std::filesystem::temp_directory_path() / (prefix + "_" + name + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace rlvr::test_support
