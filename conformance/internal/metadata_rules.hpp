#pragma once
// The metadata rules of a submission, shared by `check` (PRODUCT.yaml's metadata) and `submission`
// (the product file the metadata comes from).
#include <string>
#include <vector>

#include "conformance/conformance.hpp"
#include "core/document.hpp"

namespace galley::conformance {

// One thing the metadata rules found about one field.
struct MetadataFinding {
  enum class Kind { problem, warning, link };  // link: `message` is an http(s) URL to ask with --online
  Kind kind;
  std::string field;  // "metadata.websiteUrl" (prefix "metadata") or "websiteUrl" (prefix "")
  std::string message;
};

// The validator's metadata rules over `meta`: every field but repoUrl present, a string, not empty,
// not a [placeholder]; kubernetesVersion equal to `version` (skipped when `version` is ""),
// k8sConformanceUrl https://github.com/cncf/k8s-conformance/tree/master/vX.Y/<product>, URLs well
// formed, an e-mail address with '@', vendorName (trimmed) one of `members`' names exactly (not checked
// when `members` is null). A rule not in force under `rules` gives a warning (saying since when it is)
// instead of a problem. Field names are written under `prefix`. Throws nothing.
std::vector<MetadataFinding> metadata_findings(const core::Json& meta, const std::string& prefix, const std::string& version,
                                               const MemberList* members, const ValidatorRules& rules = ValidatorRules{});

}  // namespace galley::conformance
