// Fuzz target: kubectl and helm output readers (JSON) and snapshot documents.
#include "fuzz/harness.hpp"
#include "validate/validate.hpp"

void galley_fuzz_one(std::string_view input) {
  auto each = [&](auto&& read) {
    try {
      read();
    } catch (const galley::core::Error&) {
    }
  };
  each([&] { (void)galley::validate::parse_kubectl_nodes(input, "nodes.json"); });
  each([&] { (void)galley::validate::parse_kubectl_objects(input, "objects.json"); });
  each([&] { (void)galley::validate::parse_helm_releases(input, "helm.json"); });
  each([&] { (void)galley::validate::parse_kubectl_version(input, "version.json"); });
  each([&] { (void)galley::validate::parse_resource_slices(input, "slices.json"); });
  (void)galley::validate::read_snapshot(input, "snapshot.json");
}
