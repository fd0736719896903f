// Writes a JSON file for a tokenizer test under the temp directory. The path
// carries the running test's name, since ctest runs tests as parallel processes
// and two of them must not write the same file.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace rlvr::models {

inline std::string write_temp_json(const std::string& name, const std::string& text) {
  const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
  const auto path = std::filesystem::temp_directory_path() /
                    ("rlvr_tokenizer_test_" + std::string(test->name()) + "_" + name + ".json");
  std::ofstream(path) << text;
  return path.string();
}

}  // namespace rlvr::models
