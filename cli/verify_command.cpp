// `rlvr verify`: run one verifier on a single gold/response pair (one JSON
// verdict) or on a JSONL file of cases (agreement per category, status counts,
// throughput; unjudged verdicts are counted apart, see verifiers/agreement.h),
// optionally writing every verdict to a JSONL file. Useful to check a verifier
// against a conformance suite, or beside another verifier
// (bench/math_verify_compare.py).
#include <nlohmann/json.hpp>
#include <spdlog/fmt/fmt.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <fstream>
#include <iostream>

#include "cli/commands.h"
#include "core/clock.h"
#include "core/error.h"
#include "verifiers/agreement.h"
#include "verifiers/verifier.h"

namespace rlvr::cli {
namespace {

struct VerifyArgs {
  std::string verifier = "math";
  std::string gold;
  std::string response;
  std::string jsonl;
  std::string verdicts;  // where to write one verdict per case, if set
};

void verify_one(const VerifyArgs& args) {
  const auto verifier = verifiers::make_verifier(args.verifier);
  Task task;
  task.reference = args.gold;
  const verifiers::Verdict v = verifier->verify(task, args.response);
  nlohmann::ordered_json j;
  j["verifier"] = args.verifier;
  j["status"] = verifiers::status_name(v.status);
  j["correct"] = v.correct;
  j["reward"] = v.reward;
  j["detail"] = v.detail;
  std::cout << j.dump() << std::endl;
}

void verify_file(const VerifyArgs& args) {
  std::ifstream in(args.jsonl);
  if (!in) throw Error(fmt::format("cannot open --jsonl file '{}'", args.jsonl));
  const auto verifier = verifiers::make_verifier(args.verifier);
  std::ofstream verdicts;
  if (!args.verdicts.empty()) {
    verdicts.open(args.verdicts);
    if (!verdicts) throw Error(fmt::format("cannot write --verdicts file '{}'", args.verdicts));
  }
  verifiers::AgreementTally tally;
  double seconds = 0;
  std::string line;
  for (int line_no = 1; std::getline(in, line); ++line_no) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    nlohmann::json c;
    try {
      c = nlohmann::json::parse(line);
    } catch (const nlohmann::json::exception& e) {
      throw Error(fmt::format("{}:{}: not a JSON object ({})", args.jsonl, line_no, e.what()));
    }
    const auto is_string = [&c](const char* key) { return c.contains(key) && c[key].is_string(); };
    if (!c.is_object() || !is_string("gold") || !is_string("response")) {
      throw Error(fmt::format("{}:{}: each line needs string fields \"gold\" and \"response\"", args.jsonl, line_no));
    }
    if ((c.contains("expected") && !c["expected"].is_boolean()) || (c.contains("answer_style") && !is_string("answer_style"))) {
      throw Error(fmt::format("{}:{}: \"expected\" must be true or false and \"answer_style\" a string", args.jsonl,
                              line_no));
    }
    Task task;
    task.reference = c["gold"].get<std::string>();
    // The dataset's answer style ("gsm8k", "math"), as the JSONL formats set it.
    if (is_string("answer_style")) task.meta["answer_style"] = c["answer_style"].get<std::string>();
    const auto start = std::chrono::steady_clock::now();
    const verifiers::Verdict v = verifier->verify(task, c["response"].get<std::string>());
    seconds += seconds_since(start);
    const std::optional<bool> expected =
        c.contains("expected") ? std::optional<bool>(c["expected"].get<bool>()) : std::nullopt;
    const verifiers::Agreement outcome = tally.add(c.value("category", std::string("all")), v, expected);
    const std::string id = c.value("id", fmt::format("line {}", line_no));
    if (verdicts.is_open()) {
      nlohmann::ordered_json j;
      j["id"] = id;
      j["status"] = verifiers::status_name(v.status);
      j["correct"] = v.correct;
      j["answer"] = v.answer;
      verdicts << j.dump() << "\n";
    }
    if (outcome == verifiers::Agreement::kUnjudged) {
      spdlog::info("{}: unjudged, left out of the agreement rate ({})", id, v.detail);
    } else if (outcome == verifiers::Agreement::kDisagree && expected) {
      spdlog::info("{}: verdict {} disagrees with expected ({})", id, verifiers::status_name(v.status), v.detail);
    }
  }
  const int cases = tally.total().cases;
  if (cases == 0) throw Error(fmt::format("no cases in '{}'", args.jsonl));
  std::cout << tally.table();
  std::cout << fmt::format("{:.0f} verifications/s ({} in {:.3f} s)\n", cases / std::max(seconds, 1e-9), cases,
                           seconds);
}

}  // namespace

void add_verify_command(CLI::App& app) {
  auto args = std::make_shared<VerifyArgs>();
  CLI::App* cmd = app.add_subcommand("verify", "Judge answers with a verifier (one pair, or a JSONL file of cases)");
  cmd->add_option("--verifier", args->verifier, "Verifier name (see the registry)")->capture_default_str();
  cmd->add_option("--gold", args->gold, "Reference answer");
  cmd->add_option("--response", args->response, "Model completion to judge");
  cmd->add_option("--jsonl", args->jsonl,
                  "File of cases, one JSON object a line: gold, response, optional id, expected, category and "
                  "answer_style (gsm8k or math, as the JSONL dataset formats set it)");
  cmd->add_option("--verdicts", args->verdicts,
                  "With --jsonl: write every verdict (id, status, correct, extracted answer) to this JSONL file");
  cmd->callback([args] {
    if (!args->jsonl.empty()) {
      verify_file(*args);
    } else if (!args->gold.empty()) {
      verify_one(*args);
    } else {
      throw Error("rlvr verify needs --gold and --response, or --jsonl FILE");
    }
  });
}

}  // namespace rlvr::cli
