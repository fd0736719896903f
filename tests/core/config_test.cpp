#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/config.h"
#include "core/error.h"
#include "tests/scratch_dir.h"

namespace rlvr::config {
namespace {

// The ConfigError message of parsing `text` with `overrides`, or "" if it parsed.
std::string error_of(const std::string& text, const std::vector<std::string>& overrides = {}) {
  try {
    parse(text, "test.pbtxt", overrides);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(Config, DefaultsAreFilledIn) {
  const LoadedConfig c = parse("", "empty.pbtxt");
  EXPECT_EQ(c.config.model().d_model(), 128);
  EXPECT_TRUE(c.config.model().has_d_model());
  EXPECT_EQ(c.config.rl().group_size(), 8);
  EXPECT_NE(to_text(c.config).find("group_size: 8"), std::string::npos);
}

TEST(Config, UnknownFieldNamesFileLineAndSuggests) {
  const std::string e = error_of("model {\n  d_modle: 64\n}\n");
  EXPECT_NE(e.find("test.pbtxt:2:"), std::string::npos) << e;
  EXPECT_NE(e.find("d_modle"), std::string::npos) << e;
  EXPECT_NE(e.find("did you mean 'd_model'"), std::string::npos) << e;
}

TEST(Config, BadEnumNamesFileLine) {
  const std::string e = error_of("rl {\n  algorithm: PPOO\n}\n");
  EXPECT_NE(e.find("test.pbtxt:2:"), std::string::npos) << e;
  EXPECT_NE(e.find("PPOO"), std::string::npos) << e;
}

TEST(Config, OutOfRangeNamesFileLineAndField) {
  const std::string e = error_of("env { name: \"arithmetic\" }\nrl {\n  group_size: 0\n}\n");
  EXPECT_NE(e.find("test.pbtxt:3:3: rl.group_size: must be >= 2, got 0"), std::string::npos) << e;
}

// Fields inside repeated messages are checked and located element by element.
TEST(Config, RepeatedMessagesAreCheckedAndLocatedPerElement) {
  const std::string e = error_of(
      "verifier {\n  composite {\n    component { weight: 1 }\n    component { weight: -2 }\n  }\n}\n"
      "env {\n  mixture {\n    component { env { eval_size: 0 } }\n  }\n}\n");
  EXPECT_NE(e.find("test.pbtxt:4:17: verifier.composite.component[1].weight: must be >= 0, got -2"),
            std::string::npos) << e;
  EXPECT_EQ(e.find("component[0].weight"), std::string::npos) << e;
  EXPECT_NE(e.find("test.pbtxt:9:23: env.mixture.component[0].env.eval_size: must be >= 1, got 0"),
            std::string::npos) << e;
  const LoadedConfig c = parse("env { mixture { component { env { name: \"parity\" } } } }", "m.pbtxt");
  EXPECT_TRUE(c.config.env().mixture().component(0).env().has_eval_size());  // defaults filled in
  EXPECT_EQ(c.sources.where("env.mixture.component[0].env.name"), "m.pbtxt:1:35");
}

TEST(Config, CurriculumNeedsATargetLevelAndOrderedThresholds) {
  std::string e = error_of("env { curriculum { start_level: 1 } }");
  EXPECT_NE(e.find("env.curriculum.start_level: must be at most env.level (-1)"), std::string::npos) << e;
  e = error_of("env { level: 3 curriculum { promote_at: 0.5 demote_at: 0.6 } }");
  EXPECT_NE(e.find("env.curriculum.demote_at: must be below env.curriculum.promote_at (0.5)"), std::string::npos)
      << e;
  EXPECT_EQ(error_of("env { level: 3 curriculum { start_level: 1 } }"), "");
  EXPECT_FALSE(parse("", "x.pbtxt").config.env().has_curriculum());  // off unless written
}

TEST(Config, ReportsEveryProblem) {
  const std::string e = error_of("sft { batch_size: 0 lr: -1 }");
  EXPECT_NE(e.find("sft.batch_size"), std::string::npos) << e;
  EXPECT_NE(e.find("sft.lr"), std::string::npos) << e;
}

TEST(Config, MissingDatasetFileNamesFileLineAndField) {
  const std::string e = error_of(
      "env {\n  name: \"jsonl\"\n  jsonl {\n    train_path: \"/nonexistent/train.jsonl\"\n"
      "    eval_path: \"/nonexistent/eval.jsonl\"\n  }\n}\n");
  EXPECT_NE(e.find("test.pbtxt:4:5: env.jsonl.train_path: file '/nonexistent/train.jsonl' does "
                   "not exist"),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("test.pbtxt:5:5: env.jsonl.eval_path"), std::string::npos) << e;
}

TEST(Config, ExistingFileBecomesAbsolute) {
  const std::string path = "config_test_data.jsonl";
  std::ofstream(path) << "{}\n";
  const LoadedConfig c = parse("env { name: \"jsonl\" jsonl { train_path: \"" + path +
                                   "\" eval_path: \"" + path + "\" } }",
                               "t.pbtxt");
  EXPECT_EQ(c.config.env().jsonl().train_path(), std::filesystem::absolute(path).string());
  std::filesystem::remove(path);
}

TEST(Config, CrossFieldChecks) {
  EXPECT_NE(error_of("model { d_model: 100 n_heads: 3 }").find("model.n_heads: must divide"),
            std::string::npos);
  EXPECT_NE(error_of("model { n_heads: 4 n_kv_heads: 3 }").find("model.n_kv_heads"),
            std::string::npos);
  EXPECT_NE(error_of("env { arithmetic { operators: \"+/\" } }").find("env.arithmetic.operators"),
            std::string::npos);
}

TEST(Config, ModelChecks) {
  EXPECT_NE(error_of("model { tokenizer: \"bpe\" }").find("model.tokenizer: unknown tokenizer"),
            std::string::npos);
  EXPECT_NE(error_of("model { tokenizer: \"/nonexistent/tokenizer.json\" }")
                .find("model.tokenizer: file '/nonexistent/tokenizer.json' does not exist"),
            std::string::npos);
  EXPECT_NE(error_of("model { chat_template: \"chatml\" }").find("model.chat_template: needs a BPE"),
            std::string::npos);
  EXPECT_NE(error_of("model { chat_template: \"vicuna\" }").find("model.chat_template: unknown"),
            std::string::npos);
  EXPECT_NE(error_of("model { hf_path: \"/nonexistent/ckpt\" }")
                .find("model.hf_path: directory '/nonexistent/ckpt' does not exist"),
            std::string::npos);
  // A head_dim of its own lifts the divisibility rule (Qwen3), not the parity rule.
  EXPECT_EQ(error_of("model { d_model: 96 n_heads: 5 head_dim: 16 }"), "");
  EXPECT_NE(error_of("model { head_dim: 7 }").find("model.head_dim"), std::string::npos);
}

TEST(Config, HfPathForbidsShapeFields) {
  const auto dir = test_support::fresh_scratch_dir("rlvr_config_ckpt");
  const std::string hf = "model { hf_path: \"" + dir.string() + "\"";
  EXPECT_NE(error_of(hf + " }").find("no config.json"), std::string::npos);
  std::ofstream(dir / "config.json") << "{}";
  EXPECT_EQ(error_of(hf + " max_seq_len: 128 device: \"cpu\" }"), "");
  const std::string e = error_of(hf + "\n d_model: 64\n qk_norm: true }");
  EXPECT_NE(e.find("test.pbtxt:2:2: model.d_model: is decided by the checkpoint"), std::string::npos) << e;
  EXPECT_NE(e.find("model.qk_norm"), std::string::npos) << e;
  std::filesystem::remove_all(dir);
}

TEST(Config, SetOverridesFields) {
  const LoadedConfig c = parse("rl { group_size: 4 }", "t.pbtxt",
                               {"rl.group_size=16", "model.device=cpu", "rl.algorithm=RLOO",
                                "env.arithmetic.zero_pad=false", "sft.lr=1e-4"});
  EXPECT_EQ(c.config.rl().group_size(), 16);
  EXPECT_EQ(c.config.model().device(), "cpu");
  EXPECT_EQ(c.config.rl().algorithm(), RLOO);
  EXPECT_FALSE(c.config.env().arithmetic().zero_pad());
  EXPECT_DOUBLE_EQ(c.config.sft().lr(), 1e-4);
  EXPECT_EQ(c.sources.where("rl.group_size"), "--set rl.group_size=16");
}

TEST(Config, SetErrorsNameTheOverride) {
  EXPECT_NE(error_of("", {"rl.group_sise=4"}).find("--set rl.group_sise=4: RlConfig has no field "
                                                   "'group_sise' (did you mean 'group_size'?)"),
            std::string::npos);
  EXPECT_NE(error_of("", {"rl.group_size=abc"}).find("cannot parse 'abc'"), std::string::npos);
  EXPECT_NE(error_of("", {"rl"}).find("expected FIELD.PATH=VALUE"), std::string::npos);
  EXPECT_NE(error_of("", {"rl=3"}).find("is a message"), std::string::npos);
  const std::string e = error_of("", {"rl.group_size=1"});
  EXPECT_NE(e.find("--set rl.group_size=1: rl.group_size: must be >= 2, got 1"), std::string::npos)
      << e;
}

// An element of a repeated field is set by its index, the index one past the
// end appends an element, and a repeated field named whole takes a list.
TEST(Config, SetReachesRepeatedFields) {
  const LoadedConfig c = parse(
      "env { name: \"mixture\" mixture {\n"
      "  component { env { name: \"arithmetic\" } }\n"
      "  component { env { name: \"sort\" } } } }\n",
      "t.pbtxt",
      {"env.mixture.component[1].weight=3", "env.mixture.component[2].env.name=parity",
       "verifier.math.extraction_priority=[GSM8K_HASHES, BOXED]", "verifier.math.extraction_priority[0]=ANSWER_TAG",
       "verifier.math.extraction_priority[2]=GSM8K_HASHES"});
  const auto& components = c.config.env().mixture().component();
  ASSERT_EQ(components.size(), 3);
  EXPECT_DOUBLE_EQ(components[0].weight(), 1);
  EXPECT_DOUBLE_EQ(components[1].weight(), 3);
  EXPECT_EQ(components[1].env().name(), "sort");
  EXPECT_EQ(components[2].env().name(), "parity");
  const auto& order = c.config.verifier().math().extraction_priority();
  ASSERT_EQ(order.size(), 3);
  EXPECT_EQ(order[0], ANSWER_TAG);
  EXPECT_EQ(order[1], BOXED);
  EXPECT_EQ(order[2], GSM8K_HASHES);
  EXPECT_EQ(c.sources.where("env.mixture.component[1].weight"), "--set env.mixture.component[1].weight=3");
}

TEST(Config, SetRepeatedFieldErrorsNameTheOverride) {
  const std::string one = "env { name: \"mixture\" mixture { component { env { name: \"sort\" } } } }";
  const auto error = [&](const std::string& assignment) { return error_of(one, {assignment}); };
  std::string e = error("env.mixture.component[3].weight=2");
  EXPECT_NE(e.find("--set env.mixture.component[3].weight=2: 'component' has 1 element(s); the index is 0..1 "
                   "(1 appends one)"),
            std::string::npos) << e;
  e = error("env.mixture.component.weight=2");
  EXPECT_NE(e.find("'component' is repeated; name an element, e.g. component[0]"), std::string::npos) << e;
  e = error("env.mixture.component[x].weight=2");
  EXPECT_NE(e.find("'component[x]': an element of a repeated field is written NAME[INDEX]"), std::string::npos)
      << e;
  e = error("env.mixture[0].component[0].weight=2");
  EXPECT_NE(e.find("'mixture' is not a repeated field; drop the index"), std::string::npos) << e;
  e = error("verifier.math.extraction_priority=[BOXD]");
  EXPECT_NE(e.find("--set verifier.math.extraction_priority=[BOXD]:1:"), std::string::npos) << e;
  e = error("verifier.math.extraction_priority[0]=BOXD");
  EXPECT_NE(e.find("cannot parse 'BOXD'"), std::string::npos) << e;
  e = error("env.mixture.component[0].weight=-1");
  EXPECT_NE(e.find("--set env.mixture.component[0].weight=-1"), std::string::npos) << e;
  EXPECT_NE(e.find("must be > 0"), std::string::npos) << e;
}

TEST(Config, MissingConfigFile) {
  EXPECT_THROW(load("/nonexistent/config.pbtxt"), ConfigError);
}

TEST(Config, ResolvedTextParsesBackIdentically) {
  const LoadedConfig c = parse("model { d_model: 64 } rl { group_size: 4 }", "t.pbtxt");
  const LoadedConfig again = parse(to_text(c.config), "resolved.pbtxt");
  EXPECT_EQ(to_text(again.config), to_text(c.config));
}

}  // namespace
}  // namespace rlvr::config
