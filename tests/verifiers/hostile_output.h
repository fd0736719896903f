// Model output no verifier may throw on or dwell over: nothing, blanks,
// Unicode and invalid UTF-8, and a megabyte of junk of several kinds. Shared
// by the tests of the verifiers that parse structured answers.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/rng.h"
#include "verifiers/verifier.h"

namespace rlvr::verifiers {

// Every hostile output is a verdict (no exception), not correct, with a reward
// in [0, 1); `reference_shaped` is a short well-formed answer, repeated to a
// megabyte on one line. (No clock: a verifier that were quadratic in the
// output would run into the test's time-out on these megabytes.)
inline void expect_hostile_outputs_are_verdicts(const std::string& verifier_name, const Task& task,
                                                const std::string& reference_shaped) {
  constexpr size_t kMegabyte = size_t{1} << 20;
  std::string repeated;
  while (repeated.size() < kMegabyte) repeated += reference_shaped + " ";
  std::string random_bytes(kMegabyte, '\0');
  Rng rng(42);
  for (char& c : random_bytes) c = static_cast<char>(rng() & 0xff);
  const std::vector<std::string> outputs = {
      "",
      " \n\t\r\n ",
      "\xF0\x9F\x98\x80 \xE2\x88\x9A\xC3\xA9 \xE4\xB8\x80",  // emoji, root sign, e-acute, CJK one
      std::string("\xFF\xFE\x00\x80", 4),                      // not UTF-8, with a NUL
      "<answer></answer>",
      "<answer>\xE2\x80\x8B</answer>",  // a zero-width space
      std::string(kMegabyte, '7'),
      std::string(kMegabyte, '-'),
      std::string(kMegabyte, '='),
      repeated,
      random_bytes,
  };
  const auto verifier = make_verifier(verifier_name);
  for (size_t i = 0; i < outputs.size(); ++i) {
    Verdict v;
    ASSERT_NO_THROW(v = verifier->verify(task, outputs[i])) << verifier_name << " output " << i;
    EXPECT_FALSE(v.correct) << verifier_name << " output " << i;
    EXPECT_GE(v.reward, 0) << verifier_name << " output " << i;
    EXPECT_LT(v.reward, 1) << verifier_name << " output " << i;
  }
  // The first line decides: a right answer followed by a megabyte of junk is right.
  EXPECT_TRUE(verifier->verify(task, task.solution + "\n" + random_bytes).correct) << verifier_name;
}

}  // namespace rlvr::verifiers
