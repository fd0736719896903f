// _rlvr: rlvr's verifiers and sandbox for Python (the `rlvr` package wraps it).
// No torch, no trainer: the verifier and sandbox libraries alone. Every call
// that verifies or runs code releases the GIL.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <spdlog/fmt/fmt.h>

#include "bounded_batch.h"
#include "core/config.h"
#include "core/error.h"
#include "sandbox/sandbox.h"
#include "verifiers/verifier.h"

namespace py = pybind11;

namespace rlvr::python {
namespace {

using Options = std::map<std::string, std::string>;

// The VerifierConfig that `options` describe for `verifier`: each key is a
// field of the verifier's own settings (verifier.math.answer_style for
// "math"), or of `prefix` when given. Errors name the option and the field.
config::ExperimentConfig options_config(const std::string& prefix, const Options& options, const char* caller) {
  std::vector<std::string> overrides;
  for (const auto& [key, value] : options) overrides.push_back(prefix + key + "=" + value);
  try {
    return config::parse("", std::string(caller) + " options", overrides).config;
  } catch (const ConfigError& e) {
    // Said in the caller's terms: "option x=1", not the CLI's "--set path=1".
    std::string message = e.what();
    for (size_t at = message.find("--set " + prefix); at != std::string::npos;
         at = message.find("--set " + prefix, at)) {
      message.replace(at, 6 + prefix.size(), "option ");
    }
    throw py::value_error(std::string(caller) + ": " + message + " (options are the fields of " +
                          prefix.substr(0, prefix.size() - 1) + " in proto/config.proto)");
  }
}

std::string verifier_prefix(const std::string& verifier) {
  const auto* field = config::VerifierConfig::descriptor()->FindFieldByName(verifier);
  const bool own = field != nullptr && field->type() == google::protobuf::FieldDescriptor::TYPE_MESSAGE;
  return own ? "verifier." + verifier + "." : "verifier.";
}

// Verifiers built once per (name, options) and kept for the process: the
// code verifier's sandbox workers start once.
std::shared_ptr<const verifiers::Verifier> cached_verifier(const std::string& name, const Options& options) {
  static std::mutex mutex;
  static std::map<std::pair<std::string, Options>, std::shared_ptr<const verifiers::Verifier>> cache;
  std::lock_guard<std::mutex> lock(mutex);
  auto& slot = cache[{name, options}];
  if (!slot) {
    const config::ExperimentConfig cfg = options_config(verifier_prefix(name), options, "rlvr.verify");
    try {
      slot = verifiers::make_verifier(name, cfg.verifier());
    } catch (const Error& e) {
      throw py::value_error(e.what());
    }
  }
  return slot;
}

Task make_task(const std::string& verifier, const std::string& gold, const Options& meta) {
  Task task;
  task.verifier = verifier;
  task.reference = gold;
  for (const auto& [k, v] : meta) task.meta[k] = v;
  return task;
}

py::dict verdict_dict(const verifiers::Verdict& v) {
  py::dict d;
  d["reward"] = v.reward;
  d["correct"] = v.correct;
  d["status"] = verifiers::status_name(v.status);
  d["answer"] = v.answer;
  d["detail"] = v.detail;
  return d;
}

py::dict exec_dict(const sandbox::ExecResult& r) {
  py::dict d;
  d["status"] = sandbox::status_name(r.status);
  d["exit_code"] = r.exit_code;
  d["signal"] = r.signal;
  d["stdout"] = py::bytes(r.stdout_text);
  d["stderr"] = py::bytes(r.stderr_text);
  d["wall_ms"] = r.wall_ms;
  d["cpu_ms"] = r.cpu_ms;
  d["peak_rss_kb"] = r.peak_rss_kb;
  d["error"] = r.error;
  return d;
}

// A sandbox for Python callers: its settings are SandboxConfig's fields.
class PySandbox {
 public:
  explicit PySandbox(const Options& settings) {
    const config::SandboxConfig config =
        options_config("verifier.code.sandbox.", settings, "rlvr.Sandbox").verifier().code().sandbox();
    try {
      sandbox_ = std::make_unique<sandbox::Sandbox>(config);
    } catch (const Error& e) {
      throw py::value_error(e.what());
    }
  }

  sandbox::ExecResult run(const std::string& code, const std::string& language, const std::string& stdin_text,
                          std::optional<double> time_limit_s, std::optional<int64_t> memory_limit_mb) {
    sandbox::Limits limits = sandbox_->default_limits();
    if (time_limit_s) limits.time_limit_s = *time_limit_s;
    if (memory_limit_mb) limits.memory_limit_mb = *memory_limit_mb;
    sandbox::Language lang;
    try {
      lang = sandbox::parse_language(language);
    } catch (const Error& e) {
      throw py::value_error(e.what());
    }
    py::gil_scoped_release release;
    try {
      return sandbox_->run(lang, code, stdin_text, limits);
    } catch (const Error& e) {
      py::gil_scoped_acquire acquire;
      throw py::value_error(e.what());
    }
  }

 private:
  std::unique_ptr<sandbox::Sandbox> sandbox_;
};

}  // namespace
}  // namespace rlvr::python

PYBIND11_MODULE(_rlvr, m) {
  using namespace rlvr;
  using namespace rlvr::python;
  m.doc() = "rlvr's verifiers and sandbox (C++). Use the `rlvr` package, which wraps this module.";

  py::class_<verifiers::Verdict>(m, "Verdict", "A verifier's decision on one completion.")
      .def_readonly("reward", &verifiers::Verdict::reward, "1.0 when correct (partial for graded verifiers)")
      .def_readonly("correct", &verifiers::Verdict::correct)
      .def_property_readonly(
          "status", [](const verifiers::Verdict& v) { return std::string(verifiers::status_name(v.status)); },
          "correct, wrong, no_answer, invalid or unjudged (the verifier could not decide: a time-out, a "
          "sandbox error); unjudged says nothing about the completion")
      .def_readonly("answer", &verifiers::Verdict::answer, "the answer extracted from the completion")
      .def_readonly("detail", &verifiers::Verdict::detail, "why, in words")
      .def("to_dict", &verdict_dict)
      .def("__repr__", [](const verifiers::Verdict& v) {
        return "Verdict(status='" + std::string(verifiers::status_name(v.status)) +
               "', reward=" + fmt::format("{:g}", v.reward) + ", answer='" + v.answer + "')";
      });

  m.def("list_verifiers", &verifiers::verifier_names, "Names of the registered verifiers.");

  m.def(
      "verify",
      [](const std::string& verifier, const std::string& gold, const std::string& completion, const Options& meta,
         const Options& options) {
        const auto v = cached_verifier(verifier, options);
        const Task task = make_task(verifier, gold, meta);
        py::gil_scoped_release release;
        return verifiers::unjudged_on_failure([&] { return v->verify(task, completion); });
      },
      py::arg("verifier"), py::arg("gold"), py::arg("completion"), py::arg("meta"), py::arg("options"));

  m.def(
      "verify_batch",
      [](const std::string& verifier, const std::vector<std::string>& golds,
         const std::vector<std::string>& completions, const std::vector<Options>& metas, int threads,
         double timeout_s, const Options& options) {
        const auto v = cached_verifier(verifier, options);
        std::vector<Task> tasks;
        tasks.reserve(golds.size());
        for (size_t i = 0; i < golds.size(); ++i) {
          tasks.push_back(make_task(verifier, golds[i], metas.empty() ? Options{} : metas[i]));
        }
        if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
        try {
          py::gil_scoped_release release;
          return verify_bounded(v, std::move(tasks), completions, threads, timeout_s);
        } catch (const Error& e) {
          throw py::value_error(e.what());
        }
      },
      py::arg("verifier"), py::arg("golds"), py::arg("completions"), py::arg("metas"), py::arg("threads"),
      py::arg("timeout"), py::arg("options"));

  py::class_<sandbox::ExecResult>(m, "ExecResult", "One sandboxed run.")
      .def_property_readonly("status", [](const sandbox::ExecResult& r) { return std::string(sandbox::status_name(r.status)); },
                             "OK, RE (runtime error), TLE, MLE, OLE (output limit), CE (compile error) or SE "
                             "(the sandbox failed: error says why)")
      .def_readonly("exit_code", &sandbox::ExecResult::exit_code)
      .def_readonly("signal", &sandbox::ExecResult::signal)
      .def_property_readonly("stdout", [](const sandbox::ExecResult& r) { return py::bytes(r.stdout_text); })
      .def_property_readonly("stderr", [](const sandbox::ExecResult& r) { return py::bytes(r.stderr_text); })
      .def_readonly("wall_ms", &sandbox::ExecResult::wall_ms)
      .def_readonly("cpu_ms", &sandbox::ExecResult::cpu_ms)
      .def_readonly("peak_rss_kb", &sandbox::ExecResult::peak_rss_kb)
      .def_readonly("error", &sandbox::ExecResult::error)
      .def("to_dict", &exec_dict)
      .def("__repr__", [](const sandbox::ExecResult& r) {
        return "ExecResult(status='" + std::string(sandbox::status_name(r.status)) +
               "', exit_code=" + std::to_string(r.exit_code) + ", wall_ms=" + std::to_string(r.wall_ms) + ")";
      });

  py::class_<PySandbox>(m, "Sandbox")
      .def(py::init<const Options&>(), py::arg("settings"))
      .def("run", &PySandbox::run, py::arg("code"), py::arg("language"), py::arg("stdin"), py::arg("time_limit"),
           py::arg("memory_limit_mb"));
}
