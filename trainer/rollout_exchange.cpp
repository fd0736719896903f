#include "trainer/rollout_exchange.h"

#include <algorithm>
#include <cstring>

#include "core/error.h"

namespace rlvr::trainer {
namespace {

class Writer {
 public:
  template <typename T>
  void value(T v) {
    out_.append(reinterpret_cast<const char*>(&v), sizeof v);
  }
  template <typename T>
  void values(const std::vector<T>& v) {
    value<uint64_t>(v.size());
    out_.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
  }
  void text(const std::string& s) {
    value<uint64_t>(s.size());
    out_.append(s);
  }
  const std::string& bytes() const { return out_; }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(const std::string& in) : in_(in) {}
  template <typename T>
  T value() {
    T v;
    take(&v, sizeof v);
    return v;
  }
  template <typename T>
  std::vector<T> values() {
    std::vector<T> v(value<uint64_t>());
    take(v.data(), v.size() * sizeof(T));
    return v;
  }
  std::string text() {
    std::string s(value<uint64_t>(), '\0');
    take(s.data(), s.size());
    return s;
  }

 private:
  void take(void* dst, size_t n) {
    if (pos_ + n > in_.size()) throw Error("distributed: a rank sent truncated rollouts (ranks run different builds?)");
    std::memcpy(dst, in_.data() + pos_, n);
    pos_ += n;
  }
  const std::string& in_;
  size_t pos_ = 0;
};

std::string encode(const Rollouts& r) {
  Writer w;
  w.value<uint64_t>(r.completions.size());
  for (size_t i = 0; i < r.completions.size(); ++i) {
    const auto& c = r.completions[i];
    w.values(r.prompt_tokens[i]);
    w.text(c.text);
    w.values(c.tokens);
    w.values(c.logprobs);
    w.value<uint8_t>(c.finished ? 1 : 0);
    w.value(r.rewards[i]);
    w.value(r.correct[i]);
    w.value(r.judged[i]);
    const verifiers::RewardComponents none;
    const auto& components = i < r.components.size() ? r.components[i] : none;
    w.value<uint64_t>(components.size());
    for (const auto& [name, value] : components) {
      w.text(name);
      w.value(value);
    }
  }
  w.value(r.generate_seconds);
  w.value(r.verify_seconds);
  w.value(r.verify_wait_seconds);
  return w.bytes();
}

void append_decoded(const std::string& bytes, Rollouts& r) {
  Reader in(bytes);
  const auto rows = in.value<uint64_t>();
  for (uint64_t i = 0; i < rows; ++i) {
    r.prompt_tokens.push_back(in.values<int64_t>());
    models::Completion c;
    c.text = in.text();
    c.tokens = in.values<int64_t>();
    c.logprobs = in.values<float>();
    c.finished = in.value<uint8_t>() != 0;
    r.completions.push_back(std::move(c));
    r.rewards.push_back(in.value<float>());
    r.correct.push_back(in.value<uint8_t>());
    r.judged.push_back(in.value<uint8_t>());
    verifiers::RewardComponents components(in.value<uint64_t>());
    for (auto& [name, value] : components) {
      name = in.text();
      value = in.value<double>();
    }
    r.components.push_back(std::move(components));
  }
  r.generate_seconds = std::max(r.generate_seconds, in.value<double>());
  r.verify_seconds = std::max(r.verify_seconds, in.value<double>());
  r.verify_wait_seconds = std::max(r.verify_wait_seconds, in.value<double>());
}

}  // namespace

Rollouts gather_rollouts(Communicator& comm, const Rollouts& local, const std::vector<Task>& tasks) {
  if (!comm.distributed()) return local;
  Rollouts all;
  all.tasks = tasks;
  all.group_size = local.group_size;
  for (const std::string& part : comm.all_gather_bytes(encode(local))) append_decoded(part, all);
  if (all.completions.size() != tasks.size() * static_cast<size_t>(all.group_size)) {
    throw Error("distributed: the ranks' rollouts do not add up to the step's prompts x group_size");
  }
  return all;
}

}  // namespace rlvr::trainer
