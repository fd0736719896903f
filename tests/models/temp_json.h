// Writes a JSON file for a tokenizer test under the temp directory. The path
// carries the running test's name, since ctest runs tests as parallel processes
// and two of them must not write the same file, and the pid, since another
// suite may run the same test on the same machine at once.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace rlvr::models {

inline std::string write_temp_json(const std::string& name, const std::string& text) {
  const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
  const auto path = std::filesystem::temp_directory_path() /
                    ("rlvr_tokenizer_test_" + std::string(test->name()) + "_" + name + "_" +
                     std::to_string(::getpid()) + ".json");
  std::ofstream(path) << text;
  return path.string();
}

}  // namespace rlvr::models
