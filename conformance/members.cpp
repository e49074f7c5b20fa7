// CNCF members: the names a submission's vendorName must equal, as the CNCF validator reads them from
// the CNCF Landscape. Embedded (dated, data/cncf-members.txt) for the offline check; read from a
// landscape.yml (saved, or fetched by the CLI for --online) otherwise.
#include <string_view>

#include "conformance/conformance.hpp"
#include "core/embedded.hpp"
#include "core/error.hpp"
#include "core/text.hpp"

namespace galley::conformance_data {
std::span<const EmbeddedFile> files();  // conformance/data: the checklists and cncf-members.txt
}

namespace galley::conformance {

using core::Json;

namespace {

constexpr std::string_view k_members_file = "cncf-members.txt";

// "Google Cloud (member)" -> "Google Cloud", as the validator strips (only these two suffixes).
std::string member_name(std::string name) {
  for (std::string_view suffix : {" (member)", " (supporter)"}) {
    if (name.ends_with(suffix)) {
      name.resize(name.size() - suffix.size());
    }
  }
  return core::trim(name);
}

MemberList read_embedded() {
  MemberList list;
  for (const auto& f : conformance_data::files()) {
    if (f.path != k_members_file) {
      continue;
    }
    size_t start = 0;
    while (start < f.bytes.size()) {
      size_t end = f.bytes.find('\n', start);
      std::string line(f.bytes.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
      start = end == std::string_view::npos ? f.bytes.size() : end + 1;
      if (line.starts_with("# source: cncf/landscape ")) {
        list.source = "Galley's embedded list (cncf/landscape " + line.substr(25, 7) + ")";
      } else if (line.starts_with("# as-of: ")) {
        list.as_of = line.substr(9);
      } else if (!line.empty() && !line.starts_with("#")) {
        list.names.insert(line);
      }
    }
  }
  return list;
}

}  // namespace

const MemberList& embedded_members() {
  static const MemberList list = read_embedded();
  return list;
}

MemberList members_from_landscape(const std::string& text, const std::string& name) {
  Json doc = core::parse_yaml(text, name).value;
  const Json categories = doc.is_object() ? doc.value("landscape", Json()) : Json();
  MemberList list{name, "", {}};
  if (categories.is_array()) {
    for (const auto& category : categories) {
      if (!category.is_object() || category.value("name", Json()) != "CNCF Members") {
        continue;
      }
      for (const auto& sub : category.value("subcategories", Json::array())) {
        const Json items = sub.is_object() ? sub.value("items", Json::array()) : Json::array();
        for (const auto& item : items.is_array() ? items : Json::array()) {
          const Json n = item.is_object() ? item.value("name", Json()) : Json();
          std::string member = n.is_string() ? member_name(n.get<std::string>()) : "";
          if (!member.empty()) {
            list.names.insert(member);
          }
        }
      }
      break;
    }
  }
  if (list.names.empty()) {
    throw core::Error(core::Exit::bad_input, core::Where{name, 0, "landscape"},
                      "no \"CNCF Members\" category with members: not the CNCF Landscape's landscape.yml");
  }
  return list;
}

}  // namespace galley::conformance
