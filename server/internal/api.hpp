#pragma once
// The API without HTTP plumbing: a request in (method, path, parameters, parts), a response out.
// Each endpoint makes the same library calls as the CLI command of the same name.
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/document.hpp"
#include "server/internal/recipe_cache.hpp"

namespace galley::attest {
class SigningKey;
}
namespace galley::resolver {
class Catalog;
}

namespace galley::server {

// One request as the API sees it.
struct Request {
  std::string method;
  std::string path;
  std::multimap<std::string, std::string> query;  // query parameters (repeatable)
  std::map<std::string, std::string> headers;     // names in lower case
  std::string body;
  // multipart/form-data parts by name (repeatable); empty for any other body.
  std::multimap<std::string, std::string> parts;
  std::multimap<std::string, std::string> filenames;  // the parts' file names, in the same order ("" = none)
  std::string request_id;
};

// One response.
struct Response {
  Response() = default;
  Response(int status_, std::string type, std::string body_)
      : status(status_), content_type(std::move(type)), body(std::move(body_)) {}
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::map<std::string, std::string> headers;
  std::shared_ptr<const std::string> shared_body;  // sent instead of `body` when set (a cached text, not copied)
  const std::string& bytes() const { return shared_body ? *shared_body : body; }
};

// What the endpoints share: the catalog, its digest, the signing key, the recipe cache.
struct ApiConfig {
  std::shared_ptr<const resolver::Catalog> catalog;
  std::string catalog_digest;
  std::shared_ptr<const attest::SigningKey> signing_key;  // null = bundles unsigned
  std::size_t cache_entries = 256;
  double deadline = 30;  // seconds for bundle and validate
  int max_abandoned = 16;  // works past their deadline still running before new ones are refused
};

// The status code of a core::Error's exit code (bad_input 400, check_failed 422, not_found 404,
// unsatisfiable 409, io 500).
int status_of(int exit_code);

// An application/problem+json response (RFC 9457): type, title, status, detail, instance, and the
// request id and exit code as extension members.
Response problem(int status, const std::string& detail, const Request& request, int exit_code = 2);

// The route template a path is counted under in the metrics ("/v1/recipe"; "other" when unknown).
std::string route_of(const std::string& path);

class Api {
 public:
  explicit Api(ApiConfig config);
  // Answers one request; never throws (errors become problem responses).
  Response handle(const Request& request);
  // Cache counters for /metrics.
  std::size_t cache_hits() const { return m_cache.hits(); }
  std::size_t cache_misses() const { return m_cache.misses(); }
  // Bundle and validate works stopped at a deadline check after their request was answered 503.
  static std::size_t works_stopped();

 private:
  Response catalog(const Request& request);
  Response recipe(const Request& request);
  Response query(const Request& request);
  Response explain(const Request& request);
  Response diff(const Request& request);
  Response bundle(const Request& request);
  Response validate(const Request& request);
  Response verify(const Request& request);
  std::shared_ptr<const CachedRecipe> resolve(const Request& request, bool with_body);
  core::Json lookup(const Request& request, const std::string& name, const std::string& example,
                    const std::function<std::optional<core::Json>(const core::Json&, const std::string&)>& look);

  ApiConfig m_config;
  RecipeCache m_cache;
};

}  // namespace galley::server
