#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "scaling/fit_data.h"
#include "tests/scratch_dir.h"

namespace rlvr::scaling {
namespace {

namespace fs = std::filesystem;

class ReadSeries : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = test_support::fresh_scratch_dir("rlvr_fit_data");
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write(const std::string& name, const std::string& text) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path) << text;
    return path;
  }

  // Expects read_series to throw rlvr::Error whose message contains every needle.
  void expect_error(const std::string& path, const std::string& x, const std::string& y,
                    const std::string& kind, const std::vector<std::string>& needles) {
    try {
      read_series(path, x, y, kind);
      ADD_FAILURE() << "expected an error from " << path;
    } catch (const Error& e) {
      for (const auto& n : needles) {
        EXPECT_NE(std::string(e.what()).find(n), std::string::npos) << e.what();
      }
    }
  }

  fs::path dir_;
};

TEST_F(ReadSeries, CsvPicksColumnsByName) {
  const auto path = write("t.csv", "step, flops ,acc\n1,1e18,0.1\n\n2,\"2e18\",0.2\n");
  const Series s = read_series(path, "flops", "acc");
  EXPECT_EQ(s.xs, (std::vector<double>{1e18, 2e18}));
  EXPECT_EQ(s.ys, (std::vector<double>{0.1, 0.2}));
}

TEST_F(ReadSeries, CsvErrorsNameFileLineAndColumn) {
  const auto path = write("t.csv", "flops,acc\n1e18,0.1\n2e18,n/a\n3e18\n");
  expect_error(path, "flops", "accuracy", "", {path + ":1", "no column 'accuracy'", "flops, acc"});
  expect_error(path, "flops", "acc", "", {path + ":3", "'acc'", "'n/a'"});
  expect_error(write("short.csv", "flops,acc\n1e18,0.1\n3e18\n"), "flops", "acc", "",
               {"short.csv:3", "1 fields but the header has 2"});
  expect_error(path, "flops", "acc", "rl_eval", {"--kind"});
}

TEST_F(ReadSeries, JsonlFiltersByKindAndSkipsOtherRecordsWithoutKind) {
  const auto path = write("m.jsonl",
                          "{\"kind\":\"rl\",\"step\":1,\"flops/total\":1e18,\"loss\":2}\n"
                          "{\"kind\":\"rl_eval\",\"step\":1,\"flops/total\":1e18,\"eval/accuracy\":0.1}\n"
                          "\n"
                          "{\"kind\":\"rl_eval\",\"step\":2,\"flops/total\":2e18,\"eval/accuracy\":0.3}\n");
  const Series all = read_series(path, "flops/total", "eval/accuracy");
  EXPECT_EQ(all.ys, (std::vector<double>{0.1, 0.3}));
  const Series eval = read_series(path, "flops/total", "eval/accuracy", "rl_eval");
  EXPECT_EQ(eval.xs, (std::vector<double>{1e18, 2e18}));
  const Series rl = read_series(path, "flops/total", "loss", "rl");
  EXPECT_EQ(rl.ys, (std::vector<double>{2}));
}

TEST_F(ReadSeries, JsonlErrorsNameFileLineAndField) {
  const auto path = write("m.jsonl",
                          "{\"kind\":\"rl_eval\",\"flops/total\":1e18,\"eval/accuracy\":0.1}\n"
                          "{\"kind\":\"rl_eval\",\"flops/total\":2e18}\n"
                          "{\"kind\":\"other\",\"flops/total\":2e18,\"eval/accuracy\":null}\n");
  expect_error(path, "flops/total", "eval/accuracy", "rl_eval",
               {path + ":2", "no field 'eval/accuracy'"});
  expect_error(path, "flops/total", "eval/accuracy", "",
               {path + ":3", "'eval/accuracy' is null"});
  expect_error(path, "flops/total", "eval/accuracy", "missing_kind", {"no points", "missing_kind"});
  expect_error(write("bad.jsonl", "{\"a\":1}\nnot json\n"), "a", "b", "", {"bad.jsonl:2"});
  expect_error((dir_ / "absent.jsonl").string(), "a", "b", "", {"cannot read", "absent.jsonl"});
}

}  // namespace
}  // namespace rlvr::scaling
