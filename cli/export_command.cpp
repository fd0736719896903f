#include "cli/commands.h"
#include "trainer/inference.h"

namespace rlvr::cli {
namespace {

struct ExportArgs {
  std::string path;
  std::string out;
  std::string dtype;
  double max_shard_gb = 5;
  std::vector<std::string> overrides;
};

}  // namespace

void add_export_command(CLI::App& app) {
  auto args = std::make_shared<ExportArgs>();
  CLI::App* cmd = app.add_subcommand(
      "export", "Save a trained policy as a Hugging Face checkpoint (config.json, safetensors, "
                "tokenizer files) that transformers loads");
  cmd->add_option("path", args->path, "Run directory (newest checkpoint) or checkpoint file")
      ->required();
  cmd->add_option("-o,--out", args->out, "Directory to write (created)")->required();
  cmd->add_option("--dtype", args->dtype, "float32, bfloat16 or float16 (default: the model's)")
      ->check(CLI::IsMember({"float32", "bfloat16", "float16"}));
  cmd->add_option("--max-shard-gb", args->max_shard_gb,
                  "Split the weights into shards of at most this size, with an index")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  add_set_option(*cmd, args->overrides);
  cmd->callback([args] {
    trainer::export_checkpoint(args->path, args->overrides, args->out, args->dtype,
                               static_cast<size_t>(args->max_shard_gb * 1e9));
  });
}

}  // namespace rlvr::cli
