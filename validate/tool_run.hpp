#pragma once
// Running the machine's tools (collect_tools.cpp): snapshots run kubectl, helm and nvidia-smi
// through it, `conformance evidence` reads the probes' results with kubectl.
#include <string>
#include <vector>

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

}  // namespace galley::validate
