// A node captured on one machine, read on another: the capture script (written from the list of
// files collect_node reads, so the two cannot drift apart) and the reader of its folder.
#include <filesystem>

#include "core/error.hpp"
#include "validate/internal/collect.hpp"
#include "validate/validate.hpp"

namespace galley::validate {

namespace {

namespace fs = std::filesystem;

// The folder layout, shared by the script and the reader.
const char* const k_capture_root = "root";
const char* const k_capture_xml = "nvidia-smi.xml";

const char* const k_script_head = R"sh(#!/bin/sh
# Captures what `galley snapshot` reads on this node, for `galley snapshot --from-capture DIR` on
# another machine. It only reads: the files below and `nvidia-smi -q -x`; nothing is changed.
# Usage: sh capture.sh [DIR | FILE.tar.gz]   (default: galley-capture; DIR must not exist)
# A .tar.gz holds the folder's content; galley snapshot --from-capture FILE.tar.gz reads it as is.
# CAPTURE_ROOT, when set, is the folder read instead of / (nvidia-smi is still taken from PATH).
set -eu
out=${1:-galley-capture}
root=${CAPTURE_ROOT:-}
root=${root%/}
case $out in
  *.tar.gz | *.tgz) archive=$out; dir=$out.part.$$ ;;
  *) archive=; dir=$out ;;
esac
if [ -e "$dir" ]; then
  echo "capture: $dir already exists; name a new folder" >&2
  exit 2
fi
mkdir -p "$dir/@ROOT@"
missing=0
# copy PATH: $root/PATH -> $dir/@ROOT@/PATH, or a note on stderr when it cannot be read.
copy() {
  if [ -f "$root$1" ] && [ -r "$root$1" ]; then
    mkdir -p "$dir/@ROOT@$(dirname "$1")"
    if cat "$root$1" >"$dir/@ROOT@$1" 2>/dev/null; then
      return 0
    fi
    rm -f "$dir/@ROOT@$1"
  fi
  echo "capture: not readable: $root$1" >&2
  missing=$((missing + 1))
}
)sh";

const char* const k_script_tail = R"sh(if command -v nvidia-smi >/dev/null 2>&1; then
  if nvidia-smi -q -x >"$dir/@XML@.part"; then
    mv "$dir/@XML@.part" "$dir/@XML@"
  else
    rm -f "$dir/@XML@.part"
    echo "capture: nvidia-smi -q -x failed: no GPU part" >&2
  fi
else
  echo "capture: nvidia-smi not found: no GPU part" >&2
fi
if [ -n "$archive" ]; then
  tar -czf "$archive" -C "$dir" .
  rm -rf "$dir"
  dir=$archive
fi
echo "capture: wrote $dir ($missing files not readable)" >&2
)sh";

// `text` with every "@ROOT@" and "@XML@" replaced by the layout's names.
std::string fill(std::string text) {
  for (const auto& [mark, name] : {std::pair{"@ROOT@", k_capture_root}, std::pair{"@XML@", k_capture_xml}}) {
    for (size_t at = text.find(mark); at != std::string::npos; at = text.find(mark, at)) {
      text.replace(at, std::string_view(mark).size(), name);
    }
  }
  return text;
}

}  // namespace

std::string capture_script() {
  std::string script = fill(k_script_head);
  for (const std::string& path : node_files()) {
    script += "copy " + path + "\n";  // logical paths: letters, digits, '/', '_', '-', '.'
  }
  return script + fill(k_script_tail);
}

void use_capture(const std::string& given, CollectOptions& options, const std::string& shown_as) {
  std::error_code ec;
  fs::path dir = given;
  std::vector<fs::path> entries;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    entries.push_back(it->path());
  }
  if (!fs::is_directory(dir / k_capture_root, ec) && entries.size() == 1 && fs::is_directory(fs::symlink_status(entries[0], ec))) {
    dir = entries[0];  // the capture folder itself, as `tar czf capture.tar.gz DIR` packs it
  }
  const fs::path root = dir / k_capture_root;
  if (!fs::is_directory(root, ec)) {
    throw core::Error(core::Exit::not_found, core::OptionField{"from-capture"},
                      (shown_as.empty() ? given : shown_as) + " is not a capture folder (it has no " + k_capture_root + "/ folder)");
  }
  options.root = root.string();
  const fs::path xml = dir / k_capture_xml;
  if (fs::exists(xml, ec)) {
    options.nvidia_smi_xml = xml.string();
    if (!shown_as.empty()) {
      options.nvidia_smi_xml_name = shown_as + ":" + xml.lexically_relative(given).string();
    }
  }
}

}  // namespace galley::validate
