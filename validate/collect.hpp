#pragma once
// Internal to validate/: the edge helpers that read the machine and run tools.
#include <optional>
#include <string>
#include <vector>

#include "core/document.hpp"
#include "validate/validate.hpp"

namespace galley::validate {

// A tool's run: whether it ran, its exit status, its output, and why it did not run or failed.
struct ToolRun {
  bool ran = false;
  int status = -1;
  std::string out;
  std::string err;
  std::string reason;  // "nvidia-smi not found", "timed out after 30 s", ...
};

// Finds `argv[0]` on PATH and runs it with a timeout, capturing stdout and stderr (each at most
// 64 MiB). Never throws for a missing or failing tool: that is recorded in `reason`.
ToolRun run_tool(const std::vector<std::string>& argv, int timeout_s = 30);

// True when `program` is an executable on PATH.
bool on_path(const std::string& program);

// The node part of a snapshot: /etc and /proc under options.root, tools when root is "/".
core::Json collect_node(const CollectOptions& options);

// The cluster part: from the files in `options`, else kubectl and helm when a kubeconfig exists.
core::Json collect_cluster(const CollectOptions& options);

}  // namespace galley::validate
