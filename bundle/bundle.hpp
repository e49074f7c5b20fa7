#pragma once
// The bundle format: the files a Galley bundle holds, their names and media types, and the one check
// of whether a folder is a Galley bundle. Render writes bundles, attest signs and verifies them,
// deliver packs and ships them; all three take these definitions from here.
#include <map>
#include <string>
#include <vector>

namespace galley::bundle {

// One file of a bundle in memory.
struct File {
  std::string bytes;
  bool executable = false;
};

// A bundle in memory (path -> file); `warnings` lists what an engineer should know (not errors).
struct Bundle {
  std::map<std::string, File> files;
  std::vector<std::string> warnings;
};

// The manifest in the bundle root: apiVersion, kind Bundle, metadata, spec with the inventory.
inline constexpr const char* k_manifest_file = "bundle.yaml";
// The resolved recipe the bundle was rendered from.
inline constexpr const char* k_recipe_file = "recipe.yaml";
// The signature (a Sigstore bundle) in the bundle root; it is outside the inventory.
inline constexpr const char* k_attestation_file = "attestation.sigstore.json";
// bundle.yaml's kind.
inline constexpr const char* k_kind = "Bundle";

// The media type of the attestation file (a Sigstore bundle v0.3): its mediaType field, and its
// OCI layer type.
inline constexpr const char* k_attestation_media_type = "application/vnd.dev.sigstore.bundle.v0.3+json";
// The OCI artifactType of a bundle.
inline constexpr const char* k_artifact_type = "application/vnd.galley.bundle.v1";
// The deployer (spec.deployer) of a conformance evidence folder, and its own OCI artifactType.
inline constexpr const char* k_conformance_deployer = "conformance";
inline constexpr const char* k_conformance_artifact_type = "application/vnd.galley.conformance-evidence.v1";
// The OCI artifactType of a bundle with deployer `deployer`: conformance evidence has its own.
inline const char* artifact_type_of(const std::string& deployer) {
  return deployer == k_conformance_deployer ? k_conformance_artifact_type : k_artifact_type;
}
// The OCI layer type of the bundle's files (a tar+gzip of the folder, the attestation left out).
inline constexpr const char* k_tarball_media_type = "application/vnd.oci.image.layer.v1.tar+gzip";

// The first lines of every bundle.yaml galley writes (keys are written sorted):
// "apiVersion: galley.dev/v1alpha1\nkind: Bundle\n".
std::string manifest_head();

// What a folder is, judged without parsing anything.
enum class FolderCheck {
  bundle,            // a folder whose bundle.yaml is a regular file beginning with manifest_head()
  missing,           // nothing at that path
  not_folder,        // something that is not a folder (a link to a folder counts as one)
  no_manifest,       // a folder without a regular file bundle.yaml
  foreign_manifest,  // a folder whose bundle.yaml galley did not write
};

// Whether `dir` is a Galley bundle folder. Never throws.
FolderCheck check_bundle_folder(const std::string& dir);

// Requires `dir` to be a Galley bundle folder. Throws core::Error: not_found when `dir` is missing,
// bad_input when it is not a folder, has no bundle.yaml, or a bundle.yaml galley did not write.
void require_bundle_folder(const std::string& dir);

}  // namespace galley::bundle
