#include "core/code_task.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace rlvr {
namespace {

// The message of the rlvr::Error `f` throws ("" if none).
template <typename F>
std::string error_of(F f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

Task code_task(const std::string& tests_json) {
  Task t;
  t.id = "t1";
  t.meta["tests"] = tests_json;
  return t;
}

TEST(CodeTask, WrittenLayoutReadsBack) {
  CodeTaskSpec spec;
  spec.language = "python";
  spec.time_limit_s = 0.25;
  spec.memory_limit_mb = 64;
  CodeTest io;
  io.stdin_text = "1 2\n";
  io.expected_stdout = "3\n";
  spec.tests = {io, io};
  Task t;
  write_code_task(spec, t);
  EXPECT_EQ(t.meta.at("time_limit"), "0.25");
  EXPECT_EQ(t.meta.at("memory_limit"), "64");
  const CodeTaskSpec back = read_code_task(t);
  EXPECT_EQ(back.language, "python");
  EXPECT_EQ(*back.time_limit_s, 0.25);
  EXPECT_EQ(*back.memory_limit_mb, 64);
  ASSERT_EQ(back.tests.size(), 2u);
  EXPECT_EQ(back.tests[1].stdin_text, "1 2\n");
  EXPECT_EQ(back.tests[1].expected_stdout, "3\n");
  EXPECT_FALSE(back.tests[1].is_call());
}

TEST(CodeTask, CallTestsKeepTheirJson) {
  const std::vector<CodeTest> tests =
      parse_code_tests(R"([{"call": "add", "input": [1, [2, 3], {"k": "v"}], "output": {"b": 1, "a": [1.5]}}])");
  ASSERT_EQ(tests.size(), 1u);
  EXPECT_TRUE(tests[0].is_call());
  EXPECT_EQ(tests[0].function, "add");
  EXPECT_EQ(tests[0].input_json, R"([1,[2,3],{"k":"v"}])");
  EXPECT_EQ(tests[0].output_json, R"({"a":[1.5],"b":1})");
  EXPECT_EQ(parse_code_tests(code_tests_json(tests))[0].output_json, tests[0].output_json);
}

TEST(CodeTask, LimitsDefaultToUnset) {
  const CodeTaskSpec spec = read_code_task(code_task(R"([{"stdin": "", "stdout": "x"}])"));
  EXPECT_EQ(spec.language, "python");
  EXPECT_FALSE(spec.time_limit_s);
  EXPECT_FALSE(spec.memory_limit_mb);
}

TEST(CodeTask, MalformedTestsNameTaskAndField) {
  EXPECT_NE(error_of([] { read_code_task(Task{}); }).find("has no meta \"tests\""), std::string::npos);
  EXPECT_EQ(error_of([] { read_code_task(code_task(R"([{"stdin": "1"}])")); }),
            "code task 't1': meta tests[0]: missing \"stdout\" (a string)");
  EXPECT_EQ(error_of([] { read_code_task(code_task("[]")); }), "code task 't1': meta \"tests\" is empty");
  EXPECT_EQ(error_of([] { read_code_task(code_task("{")); }), "code task 't1': meta \"tests\" is not valid JSON");
  EXPECT_NE(error_of([] { read_code_task(code_task(R"j([{"call": "f(x)", "input": [], "output": 1}])j")); })
                .find("tests[0]: \"call\" must be a function name"),
            std::string::npos);
  EXPECT_NE(error_of([] { read_code_task(code_task(R"([{"call": "f", "input": 1, "output": 1}])")); })
                .find("tests[0]: missing \"input\""),
            std::string::npos);
  EXPECT_NE(error_of([] {
              read_code_task(code_task(R"([{"stdin": "", "stdout": ""}, {"call": "f", "input": [], "output": 1}])"));
            }).find("tests[1]: mixes"),
            std::string::npos);
}

TEST(CodeTask, MalformedMetaNamesTheField) {
  Task t = code_task(R"([{"call": "f", "input": [], "output": 1}])");
  t.meta["language"] = "cpp";
  EXPECT_NE(error_of([&] { read_code_task(t); }).find("function-call tests need language \"python\""),
            std::string::npos);
  t.meta["language"] = "rust";
  EXPECT_NE(error_of([&] { read_code_task(t); }).find("\"language\" must be \"python\" or \"cpp\""),
            std::string::npos);
  t.meta["language"] = "python";
  t.meta["time_limit"] = "0";
  EXPECT_NE(error_of([&] { read_code_task(t); }).find("meta \"time_limit\" must be a positive number"),
            std::string::npos);
  t.meta["time_limit"] = "1";
  t.meta["memory_limit"] = "64MB";
  EXPECT_NE(error_of([&] { read_code_task(t); }).find("meta \"memory_limit\" must be a positive integer"),
            std::string::npos);
}

TEST(CodeTask, FencedProgramOutgrowsBackticksInside) {
  EXPECT_EQ(fenced_program("print(1)", "python"), "```python\nprint(1)\n```");
  EXPECT_EQ(fenced_program("print(1)\n", "cpp"), "```cpp\nprint(1)\n```");
  EXPECT_EQ(fenced_program("s = '````'\n", "python"), "`````python\ns = '````'\n`````");
}

}  // namespace
}  // namespace rlvr
