// Where a chart lives as an OCI artifact: its own reference, or the one galley mirror gives a
// classic repository's chart.
#include "bundle/vendored_chart.hpp"

#include <cctype>

namespace galley::bundle {

std::string chart_oci_path(const std::string& repository, const std::string& chart) {
  size_t scheme = repository.find("://");
  std::string rest = scheme == std::string::npos ? repository : repository.substr(scheme + 3);
  while (rest.ends_with("/")) {
    rest.pop_back();
  }
  if (repository.starts_with("oci://")) {
    return rest;
  }
  for (char& c : rest) {  // an OCI name: lowercase, and a port's ':' is no name character
    c = c == ':' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return rest + "/" + chart;
}

}  // namespace galley::bundle
