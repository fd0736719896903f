#include "envs/program_synthesis_env.h"

#include <algorithm>

#include "core/code_task.h"
#include "core/error.h"
#include "core/text_util.h"

namespace rlvr::envs {

// A task's random constants: a multiplier (1..max_constant), an addend
// (0..max_constant) and a modulus (2..max_constant+1); each template uses some.
struct Constants {
  int64_t mul;
  int64_t add;
  int64_t mod;
};

enum class Input { kInt, kPair, kList };

struct ProgramTemplate {
  const char* name;
  Input input;
  // What the prompt asks to print ("3*x+4", "v reversed").
  std::string (*ask)(const Constants&);
  // The arguments of the solution's print(); nullptr when they are `ask` itself.
  std::string (*print_args)(const Constants&);
  // The expected output for the input values (x; a, b; or the list).
  std::string (*expected)(const std::vector<int64_t>& in, const Constants&);
};

namespace {

using Values = std::vector<int64_t>;

std::string n(int64_t value) { return std::to_string(value); }

std::string joined(const Values& values) {
  std::vector<std::string> parts;
  for (const int64_t v : values) parts.push_back(n(v));
  return join(parts, " ");
}

// Python's x % m for m > 0: never negative.
int64_t python_mod(int64_t x, int64_t m) { return (x % m + m) % m; }

int64_t sum(const Values& v) {
  int64_t total = 0;
  for (const int64_t x : v) total += x;
  return total;
}

// Operands stay below 10^6 and constants below 10^3, so nothing here leaves int64.
const ProgramTemplate kTemplates[] = {
    {"affine", Input::kInt, [](const Constants& c) { return n(c.mul) + "*x+" + n(c.add); }, nullptr,
     [](const Values& in, const Constants& c) { return n(c.mul * in[0] + c.add); }},
    {"mod", Input::kInt, [](const Constants& c) { return "x%" + n(c.mod); }, nullptr,
     [](const Values& in, const Constants& c) { return n(python_mod(in[0], c.mod)); }},
    {"square", Input::kInt, [](const Constants& c) { return "x*x+" + n(c.add); }, nullptr,
     [](const Values& in, const Constants& c) { return n(in[0] * in[0] + c.add); }},
    {"sum", Input::kPair, [](const Constants& c) { return "a+b+" + n(c.add); }, nullptr,
     [](const Values& in, const Constants& c) { return n(in[0] + in[1] + c.add); }},
    {"product", Input::kPair, [](const Constants& c) { return "a*b+" + n(c.add); }, nullptr,
     [](const Values& in, const Constants& c) { return n(in[0] * in[1] + c.add); }},
    {"max", Input::kPair, [](const Constants& c) { return "max(a,b)+" + n(c.add); }, nullptr,
     [](const Values& in, const Constants& c) { return n(std::max(in[0], in[1]) + c.add); }},
    {"min", Input::kPair, [](const Constants& c) { return "min(a,b)*" + n(c.mul); }, nullptr,
     [](const Values& in, const Constants& c) { return n(std::min(in[0], in[1]) * c.mul); }},
    {"difference", Input::kPair, [](const Constants& c) { return "a-b+" + n(c.add); }, nullptr,
     [](const Values& in, const Constants& c) { return n(in[0] - in[1] + c.add); }},
    {"list_sum", Input::kList, [](const Constants& c) { return "sum(v)+" + n(c.add); }, nullptr,
     [](const Values& in, const Constants& c) { return n(sum(in) + c.add); }},
    {"list_len", Input::kList, [](const Constants& c) { return "len(v)+" + n(c.add); }, nullptr,
     [](const Values& in, const Constants& c) { return n(static_cast<int64_t>(in.size()) + c.add); }},
    {"list_max", Input::kList, [](const Constants& c) { return "max(v)*" + n(c.mul); }, nullptr,
     [](const Values& in, const Constants& c) { return n(*std::max_element(in.begin(), in.end()) * c.mul); }},
    {"reverse", Input::kList, [](const Constants& c) { return "v reversed, each +" + n(c.add); },
     [](const Constants& c) { return "*[e+" + n(c.add) + " for e in v[::-1]]"; },
     [](const Values& in, const Constants& c) {
       Values out;
       for (auto it = in.rbegin(); it != in.rend(); ++it) out.push_back(*it + c.add);
       return joined(out);
     }},
    {"sorted", Input::kList, [](const Constants& c) { return "v sorted, each +" + n(c.add); },
     [](const Constants& c) { return "*[e+" + n(c.add) + " for e in sorted(v)]"; },
     [](const Values& in, const Constants& c) {
       Values out = in;
       std::sort(out.begin(), out.end());
       for (int64_t& x : out) x += c.add;
       return joined(out);
     }},
    {"scale", Input::kList, [](const Constants& c) { return "v times " + n(c.mul); },
     [](const Constants& c) { return "*[e*" + n(c.mul) + " for e in v]"; },
     [](const Values& in, const Constants& c) {
       Values scaled;
       for (const int64_t x : in) scaled.push_back(x * c.mul);
       return joined(scaled);
     }},
};

// How the prompt names the input, and the solution's line that reads it.
const char* input_name(Input input) {
  return input == Input::kInt ? "x" : input == Input::kPair ? "a b" : "list v";
}

const char* input_line(Input input) {
  return input == Input::kInt    ? "x=int(input())\n"
         : input == Input::kPair ? "a,b=map(int,input().split())\n"
                                 : "v=list(map(int,input().split()))\n";
}

}  // namespace

std::vector<std::string> ProgramSynthesisEnvironment::template_names() {
  std::vector<std::string> names;
  for (const ProgramTemplate& t : kTemplates) names.push_back(t.name);
  return names;
}

ProgramSynthesisEnvironment::ProgramSynthesisEnvironment(const config::EnvConfig& config)
    : ProceduralEnvironment("program_synthesis", config), config_(config.program_synthesis()) {
  // The bounds that keep every expected output inside int64 (config::validate
  // checks them for loaded configs; this covers configs built in code).
  const auto check = [](const char* field, int64_t value, int64_t lo, int64_t hi) {
    if (value < lo || value > hi) {
      throw ConfigError(std::string("env.program_synthesis.") + field + " must be in " + std::to_string(lo) +
                        ".." + std::to_string(hi) + ", got " + std::to_string(value));
    }
  };
  check("max_constant", config_.max_constant(), 1, 1000);
  check("num_tests", config_.num_tests(), 1, 100);
  check("max_input", config_.max_input(), 1, 1'000'000);
  check("max_list_length", config_.max_list_length(), 1, 1000);
  const std::vector<std::string> known = template_names();
  for (const std::string& name : config_.templates()) {
    const auto it = std::find(known.begin(), known.end(), name);
    if (it == known.end()) {
      std::string message = "env.program_synthesis.templates: unknown template '" + name +
                            "' (known: " + join(known, ", ") + ")";
      const std::string guess = closest_match(name, known);
      if (!guess.empty()) message += "; did you mean '" + guess + "'?";
      throw ConfigError(message);
    }
    templates_.push_back(&kTemplates[it - known.begin()]);
  }
  if (templates_.empty()) {
    for (const ProgramTemplate& t : kTemplates) templates_.push_back(&t);
  }
}

Task ProgramSynthesisEnvironment::generate(Rng& rng) const {
  const ProgramTemplate& t = *templates_[uniform_int(rng, 0, static_cast<int64_t>(templates_.size()) - 1)];
  const int64_t k = config_.max_constant();
  const Constants c{uniform_int(rng, 1, k), uniform_int(rng, 0, k), uniform_int(rng, 2, k + 1)};

  Task task;
  task.prompt = std::string("Read ") + input_name(t.input) + "; print " + t.ask(c) + ".\n";
  task.reference = std::string(input_line(t.input)) + "print(" + (t.print_args ? t.print_args(c) : t.ask(c)) + ")\n";
  task.solution = fenced_program(task.reference, "python");
  task.verifier = "code";

  CodeTaskSpec spec;
  const int64_t max_input = config_.max_input();
  for (int i = 0; i < config_.num_tests(); ++i) {
    const int64_t count = t.input == Input::kInt    ? 1
                          : t.input == Input::kPair ? 2
                                                    : uniform_int(rng, 1, config_.max_list_length());
    Values values;
    for (int64_t j = 0; j < count; ++j) values.push_back(uniform_int(rng, -max_input, max_input));
    CodeTest test;
    test.stdin_text = joined(values) + "\n";
    test.expected_stdout = t.expected(values, c) + "\n";
    spec.tests.push_back(std::move(test));
  }
  write_code_task(spec, task);
  return task;
}

RLVR_REGISTER_ENVIRONMENT("program_synthesis", ProgramSynthesisEnvironment);

}  // namespace rlvr::envs
