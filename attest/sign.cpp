// Signing: a rendered bundle in memory (galley bundle --sign) or a folder on disk (galley attest),
// and attaching RFC 3161 timestamps online (--tsa-url) or out of band (galley timestamp).
#include <filesystem>

#include "attest/internal/envelope.hpp"
#include "attest/internal/read.hpp"
#include "attest/internal/statement.hpp"
#include "attest/internal/timestamp.hpp"
#include "bundle/inventory.hpp"
#include "core/error.hpp"
#include "core/files.hpp"

namespace galley::attest {

namespace fs = std::filesystem;
using core::Error;
using core::Exit;

namespace {

void add_online_timestamp(Envelope& e, const std::string& url, const std::string& ca_file) {
  std::string response = request_timestamp(url, timestamp_request(e.signature, true), ca_file);
  try {
    check_timestamp_response(response, e.signature);
  } catch (const Error& err) {
    throw Error(Exit::io, core::Where{url, 0, ""}, std::string("the TSA's response is unusable: ") + err.what());
  }
  e.timestamps.push_back(response);
}

std::string signature_path(const std::string& dir) { return (fs::path(dir) / bundle::k_attestation_file).string(); }

Envelope read_envelope(const std::string& dir) {
  std::string path = signature_path(dir);
  return parse_sigstore(core::read_file(path, 16u << 20), path);
}

}  // namespace

std::string sign_bundle(const bundle::Bundle& bundle, const SigningKey& key, const SignOptions& options) {
  Envelope e = sign_statement(make_statement(bundle, options), key);
  if (!options.tsa_url.empty()) {
    add_online_timestamp(e, options.tsa_url, options.tsa_ca_file);
  }
  return sigstore_json(e);
}

void sign_folder(const std::string& dir, const SigningKey& key, const SignOptions& options) {
  core::Document manifest = read_manifest(dir);
  bundle::Folder folder = scan_folder(dir);
  std::vector<std::string> diffs = bundle::inventory_differences(manifest.value, folder);
  if (!diffs.empty()) {
    for (auto& line : diffs) {
      line = dir + ": " + line;
    }
    diffs.push_back(dir + ": the folder does not match its inventory; refusing to sign it");
    throw Error(Exit::check_failed, diffs);
  }
  std::map<std::string, std::string> digests;
  for (const auto& [path, facts] : folder.files) {
    digests.emplace(path, facts.sha256);
  }
  std::string recipe_path = (fs::path(dir) / bundle::k_recipe_file).string();
  resolver::RecipeView recipe = read_recipe(core::read_file(recipe_path), recipe_path);  // schema and digest checked
  Envelope e = sign_statement(statement_from(digests, manifest.value, recipe, options), key);
  if (!options.tsa_url.empty()) {
    add_online_timestamp(e, options.tsa_url, options.tsa_ca_file);
  }
  core::write_file_atomic(signature_path(dir), sigstore_json(e));
}

std::string timestamp_query(const std::string& dir) { return timestamp_request(read_envelope(dir).signature, true); }

void attach_timestamp(const std::string& dir, const std::string& response_der, const std::string& response_name) {
  Envelope e = read_envelope(dir);
  try {
    check_timestamp_response(response_der, e.signature);
  } catch (const Error& err) {
    throw Error(Exit::bad_input, core::Where{response_name, 0, ""}, std::string(err.what()) + "; nothing was attached");
  }
  for (const auto& have : e.timestamps) {
    if (have == response_der) {
      throw Error(Exit::bad_input, core::Where{response_name, 0, ""}, "this timestamp is already attached to " + signature_path(dir));
    }
  }
  e.timestamps.push_back(response_der);
  core::write_file_atomic(signature_path(dir), sigstore_json(e));
}

}  // namespace galley::attest
