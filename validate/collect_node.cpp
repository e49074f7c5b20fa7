// The node part of a snapshot, read from /etc and /proc (under --root) and from tools. Every part
// is {state: present, source, ...} or {state: absent, reason}; nothing is guessed.
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/error.hpp"
#include "core/files.hpp"
#include "core/text.hpp"
#include "validate/internal/collect.hpp"
#include "validate/tool_run.hpp"

namespace galley::validate {

using core::Json;
using core::trim;

namespace {

// The sysctls worth recording on a GPU node (networking buffers, memory maps, NUMA, inotify).
const char* const k_sysctls[] = {
    "fs.inotify.max_user_instances", "fs.inotify.max_user_watches", "kernel.numa_balancing", "kernel.pid_max",
    "net.core.rmem_max", "net.core.wmem_max", "net.ipv4.ip_forward", "vm.max_map_count",
    "vm.overcommit_memory", "vm.swappiness",
};

// The files read under a root, besides the sysctls (node_files() lists them all).
const char* const k_os_release[] = {"/etc/os-release", "/usr/lib/os-release"};  // the first readable one
const char* const k_osrelease = "/proc/sys/kernel/osrelease";
const char* const k_arch = "/proc/sys/kernel/arch";
const char* const k_hostname = "/proc/sys/kernel/hostname";
const char* const k_cmdline = "/proc/cmdline";
const char* const k_modules = "/proc/modules";
const char* const k_cpu_online = "/sys/devices/system/cpu/online";
const char* const k_meminfo = "/proc/meminfo";

Json absent(const std::string& reason) { return {{"state", "absent"}, {"reason", reason}}; }

Json present(const std::string& source) { return {{"state", "present"}, {"source", source}}; }

// Reads `path` (a logical path such as "/proc/cmdline") under `root`. /proc files report size 0,
// so this reads to the end (at most 1 MiB) instead of trusting the size.
std::optional<std::string> read_under(const std::string& root, const std::string& path, std::string& reason) {
  std::string full = root == "/" ? path : root + path;
  std::ifstream in(full, std::ios::binary);
  if (!in) {
    reason = (errno == EACCES ? "permission denied: " : "not found: ") + path;
    return std::nullopt;
  }
  std::string text;
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    text.append(buf, static_cast<size_t>(in.gcount()));
    if (text.size() > (1u << 20)) {
      reason = "larger than 1 MiB: " + path;
      return std::nullopt;
    }
  }
  return text;
}

Json os_part(const std::string& root) {
  std::string reason;
  for (const char* path : k_os_release) {
    if (auto text = read_under(root, path, reason)) {
      Json out = present(path);
      out.update(parse_os_release(*text));
      return out;
    }
  }
  return absent(reason);
}

// uname's machine as Kubernetes (GOARCH) names it: x86_64 -> amd64, aarch64 -> arm64; others as they are.
std::string architecture_of(const std::string& machine) {
  if (machine == "x86_64") {
    return "amd64";
  }
  if (machine == "aarch64" || machine == "arm64") {
    return "arm64";
  }
  return machine;
}

Json kernel_part(const std::string& root) {
  std::string reason;
  Json out = present(k_osrelease);
  if (auto release = read_under(root, k_osrelease, reason)) {
    out["release"] = trim(*release);
  } else {
    return absent(reason);
  }
  std::string arch_reason;
  if (auto arch = read_under(root, k_arch, arch_reason)) {
    out["machine"] = trim(*arch);
  } else if (utsname u{}; root == "/" && ::uname(&u) == 0) {
    out["machine"] = std::string(u.machine);
  }
  if (out.contains("machine")) {
    out["architecture"] = architecture_of(out["machine"].get<std::string>());
  }
  return out;
}

// The part made of one file under `root`: absent with the reason when it cannot be read, else what
// `parse` makes of its text.
template <typename Parse>
Json file_part(const std::string& root, const std::string& path, Parse parse) {
  std::string reason;
  auto text = read_under(root, path, reason);
  return text ? parse(*text) : absent(reason);
}

Json text_part(const std::string& root, const std::string& path) {
  return file_part(root, path, [&](const std::string& text) {
    Json out = present(path);
    out["value"] = trim(text);
    return out;
  });
}

// "vm.swappiness" -> "/proc/sys/vm/swappiness".
std::string sysctl_path(const std::string& name) {
  std::string path = "/proc/sys/" + name;
  std::replace(path.begin() + 10, path.end(), '.', '/');
  return path;
}

Json sysctls_part(const std::string& root) {
  Json values = Json::object();
  for (const char* name : k_sysctls) {
    std::string path = sysctl_path(name);
    std::string reason;
    if (auto v = read_under(root, path, reason)) {
      values[name] = trim(*v);
    }
  }
  if (values.empty()) {
    return absent("none of the selected sysctls is readable under /proc/sys");
  }
  Json out = present("/proc/sys");
  out["values"] = values;
  return out;
}

Json modules_part(const std::string& root) {
  return file_part(root, k_modules, [](const std::string& text) {
    std::vector<std::string> names;
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
      if (auto name = line.substr(0, line.find(' ')); !name.empty()) {
        names.push_back(name);
      }
    }
    std::sort(names.begin(), names.end());
    Json out = present(k_modules);
    out["names"] = names;
    return out;
  });
}

// "0-15,32-47" -> 32.
std::optional<long long> count_cpu_list(const std::string& text) {
  long long total = 0;
  std::istringstream ranges(trim(text));
  std::string range;
  while (std::getline(ranges, range, ',')) {
    long long a = 0;
    long long b = 0;
    auto dash = range.find('-');
    std::string first = range.substr(0, dash);
    std::string last = dash == std::string::npos ? first : range.substr(dash + 1);
    if (std::from_chars(first.data(), first.data() + first.size(), a).ptr != first.data() + first.size() ||
        std::from_chars(last.data(), last.data() + last.size(), b).ptr != last.data() + last.size() || b < a) {
      return std::nullopt;
    }
    total += b - a + 1;
  }
  return total > 0 ? std::optional(total) : std::nullopt;
}

Json cpu_part(const std::string& root) {
  if (root == "/") {
    Json out = present("sysconf(_SC_NPROCESSORS_ONLN)");
    out["count"] = ::sysconf(_SC_NPROCESSORS_ONLN);
    return out;
  }
  return file_part(root, k_cpu_online, [](const std::string& text) {
    auto n = count_cpu_list(text);
    if (!n) {
      return absent(std::string("unparseable: ") + k_cpu_online);
    }
    Json out = present(k_cpu_online);
    out["count"] = *n;
    return out;
  });
}

Json memory_part(const std::string& root) {
  return file_part(root, k_meminfo, [](const std::string& text) {
    std::istringstream lines(text);
    std::string key;
    long long kb = 0;
    std::string unit;
    while (lines >> key >> kb >> unit) {
      if (key == "MemTotal:" && unit == "kB") {
        Json out = present(k_meminfo);
        out["totalBytes"] = kb * 1024;
        return out;
      }
    }
    return absent("unparseable: /proc/meminfo has no MemTotal line");
  });
}

// `containerd --version` / `kubelet --version`: the first word that parses as a version.
Json tool_version_part(const std::string& root, const std::string& tool) {
  if (root != "/") {
    return absent("not run: --root given");
  }
  ToolRun run = run_tool({tool, "--version"}, 10);
  if (!run.reason.empty()) {
    return absent(run.reason);
  }
  std::istringstream words(run.out);
  std::string word;
  while (words >> word) {
    if ((word[0] == 'v' || std::isdigit(static_cast<unsigned char>(word[0])) != 0) && core::Version::parse(word)) {
      Json out = present(tool + " --version");
      out["version"] = word;
      out["raw"] = trim(run.out);
      return out;
    }
  }
  return absent("unparseable: `" + tool + " --version` printed no version");
}

Json gpus_part(const CollectOptions& o) {
  if (!o.nvidia_smi_xml.empty()) {
    Json out = parse_nvidia_smi(core::read_file(o.nvidia_smi_xml), o.nvidia_smi_xml);
    out["source"] = "nvidia-smi -q -x (" + (o.nvidia_smi_xml_name.empty() ? o.nvidia_smi_xml : o.nvidia_smi_xml_name) + ")";
    return out;
  }
  if (!o.amd_smi_json.empty()) {
    Json out = parse_amd_smi(core::read_file(o.amd_smi_json), o.amd_smi_json);
    out["source"] = out["source"].get<std::string>() + " (" + o.amd_smi_json + ")";
    return out;
  }
  if (o.root != "/") {
    return absent("not run: --root given (use --nvidia-smi-xml FILE or --amd-smi-json FILE)");
  }
  // NVIDIA's tool, else AMD's (amd-smi, then the older rocm-smi), whichever the node has.
  if (!on_path("nvidia-smi")) {
    for (const auto& argv : std::vector<std::vector<std::string>>{
             {"amd-smi", "static", "--json"}, {"rocm-smi", "--showproductname", "--showdriverversion", "--json"}}) {
      if (!on_path(argv.front())) {
        continue;
      }
      ToolRun amd = run_tool(argv);
      if (!amd.reason.empty()) {
        return absent(amd.reason);
      }
      try {
        return parse_amd_smi(amd.out, argv.front() + " --json");
      } catch (const core::Error& e) {
        return absent(std::string("unparseable: ") + e.what());
      }
    }
  }
  ToolRun run = run_tool({"nvidia-smi", "-q", "-x"});
  if (!run.reason.empty()) {
    return absent(run.reason);
  }
  try {
    return parse_nvidia_smi(run.out, "nvidia-smi -q -x");
  } catch (const core::Error& e) {
    return absent(std::string("unparseable: ") + e.what());
  }
}

}  // namespace

Json parse_os_release(std::string_view text) {
  Json out = Json::object();
  std::istringstream lines{std::string(text)};
  std::string line;
  while (std::getline(lines, line)) {
    auto eq = line.find('=');
    if (eq == std::string::npos || line.starts_with("#")) {
      continue;
    }
    std::string key = trim(line.substr(0, eq));
    std::string value = trim(line.substr(eq + 1));
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    }
    if (key == "ID") {
      out["id"] = value;
    } else if (key == "VERSION_ID") {
      out["versionId"] = value;
    } else if (key == "PRETTY_NAME") {
      out["prettyName"] = value;
    }
  }
  return out;
}

std::vector<std::string> node_files() {
  std::vector<std::string> files(std::begin(k_os_release), std::end(k_os_release));
  files.insert(files.end(), {k_osrelease, k_arch, k_hostname, k_cmdline, k_modules, k_cpu_online, k_meminfo});
  for (const char* name : k_sysctls) {
    files.push_back(sysctl_path(name));
  }
  return files;
}

Json collect_node(const CollectOptions& o) {
  const std::string& root = o.root;
  Json node = {{"state", "present"}, {"source", root == "/" ? "this machine" : "files under --root"}};
  std::string reason;
  if (auto host = read_under(root, k_hostname, reason)) {
    node["hostname"] = trim(*host);
  }
  node["os"] = os_part(root);
  node["kernel"] = kernel_part(root);
  node["cmdline"] = text_part(root, k_cmdline);
  node["sysctls"] = sysctls_part(root);
  node["modules"] = modules_part(root);
  node["cpu"] = cpu_part(root);
  node["memory"] = memory_part(root);
  node["containerd"] = tool_version_part(root, "containerd");
  node["kubelet"] = tool_version_part(root, "kubelet");
  node["gpus"] = gpus_part(o);
  return node;
}

}  // namespace galley::validate
