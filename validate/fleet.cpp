// Validating a fleet: every snapshot in a folder (or one file) against one plan, into one Report.
#include <algorithm>
#include <filesystem>

#include "core/error.hpp"
#include "core/files.hpp"
#include "validate/validate.hpp"

namespace galley::validate {

std::vector<std::string> snapshot_files(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(path, ec)) {
    return {path};
  }
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(path, ec)) {
    auto ext = entry.path().extension().string();
    if (entry.is_regular_file() && (ext == ".yaml" || ext == ".yml" || ext == ".json")) {
      files.push_back(entry.path().string());
    }
  }
  if (files.empty()) {
    throw core::Error(core::Exit::not_found, core::Where{path, 0, ""}, "no *.yaml or *.json snapshots in the folder");
  }
  std::sort(files.begin(), files.end());
  return files;
}

core::Json validate_snapshots(const Plan& plan, const std::string& path, const ValidateOptions& options) {
  core::Json entries = core::Json::array();
  const auto files = snapshot_files(path);
  for (const auto& file : files) {
    if (options.progress && files.size() > 1) {  // a fleet; one snapshot is checked at once
      options.progress("checking " + std::to_string(entries.size() + 1) + "/" + std::to_string(files.size()) + " " + file);
    }
    auto snapshot = read_snapshot(core::read_file(file), file);
    entries.push_back(check_snapshot(plan, snapshot.value, file, options));
  }
  return make_report(plan, std::move(entries), options);
}

}  // namespace galley::validate
