// The endpoints: each makes the library calls the CLI command of the same name makes.
#include "server/internal/api.hpp"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <future>
#include <set>
#include <thread>

#include <unistd.h>

#include "attest/attest.hpp"
#include "bundle/bundle.hpp"
#include "core/clock.hpp"
#include "core/deadline.hpp"
#include "core/error.hpp"
#include "core/schema.hpp"
#include "core/yaml_emit.hpp"
#include "deliver/deliver.hpp"
#include "render/options.hpp"
#include "render/render.hpp"
#include "resolver/recipe_doc.hpp"
#include "resolver/resolver.hpp"
#include "validate/validate.hpp"

namespace galley::server {

using core::Error;
using core::Exit;
using core::Json;

namespace fs = std::filesystem;

namespace {

// "osVersion" -> "os-version": criteria keys as the CLI spells them as flags, without the dashes.
std::string param_name(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (c >= 'A' && c <= 'Z') {
      out += '-';
      out += static_cast<char>(c - 'A' + 'a');
    } else {
      out += c;
    }
  }
  return out;
}

const std::vector<std::string>& criteria_params() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    for (const auto& key : resolver::criteria_keys()) {
      n.push_back(param_name(key));
    }
    n.push_back("nodes");
    n.push_back("allow-partial");
    return n;
  }();
  return names;
}

// Refuses a query parameter or form field the endpoint does not know, with the closest name; a
// name beginning with `prefix` (when not empty) is known.
void check_names(const Request& r, std::vector<std::string> allowed, bool criteria, const std::string& prefix = "") {
  if (criteria) {
    allowed.insert(allowed.end(), criteria_params().begin(), criteria_params().end());
  }
  std::set<std::string> known(allowed.begin(), allowed.end());
  for (const auto* map : {&r.query, &r.parts}) {
    for (const auto& [name, value] : *map) {
      if (known.count(name) == 0 && (prefix.empty() || name.rfind(prefix, 0) != 0 || name.size() == prefix.size())) {
        std::string near = core::closest(name, allowed);
        throw Error(Exit::bad_input, core::OptionField(name), "unknown parameter" +
                                                                  (near.empty() ? std::string() : "; did you mean \"" + near + "\"?"));
      }
    }
  }
}

// Every value of `name`, from the query string and then the form.
std::vector<std::string> values(const Request& r, const std::string& name) {
  std::vector<std::string> out;
  for (const auto* map : {&r.query, &r.parts}) {
    auto [from, to] = map->equal_range(name);
    for (auto it = from; it != to; ++it) {
      out.push_back(it->second);
    }
  }
  return out;
}

// The one value of `name` ("" when absent); refuses it given twice.
std::string value(const Request& r, const std::string& name, const std::string& fallback = "") {
  auto all = values(r, name);
  if (all.size() > 1) {
    throw Error(Exit::bad_input, core::OptionField(name), "given more than once");
  }
  return all.empty() ? fallback : all.front();
}

bool flag(const Request& r, const std::string& name) {
  std::string v = value(r, name, "false");
  if (v != "true" && v != "false" && v != "1" && v != "0" && !v.empty()) {
    throw Error(Exit::bad_input, core::OptionField(name, v), "expected true or false");
  }
  return v == "true" || v == "1" || v.empty();
}

// `value` restricted to `names`.
std::string choice(const Request& r, const std::string& name, const std::vector<std::string>& names,
                   const std::string& fallback) {
  std::string v = value(r, name, fallback);
  if (std::find(names.begin(), names.end(), v) == names.end()) {
    std::string near = core::closest(v, names);
    throw Error(Exit::bad_input, core::OptionField(name), "\"" + v + "\" is not one of " + core::join(names) +
                                                              (near.empty() ? "" : "; did you mean \"" + near + "\"?"));
  }
  return v;
}

// A document from a form part (parsed and named as `name`), or nullopt.
std::optional<core::Document> part_document(const Request& r, const std::string& name) {
  auto [from, to] = r.parts.equal_range(name);
  if (from == to) {
    return std::nullopt;
  }
  if (std::next(from) != to) {
    throw Error(Exit::bad_input, core::OptionField(name), "given more than once");
  }
  return core::parse_yaml(from->second, name);
}

bool wants_yaml(const Request& r) {
  auto it = r.headers.find("accept");
  return it != r.headers.end() &&
         (it->second.find("application/yaml") != std::string::npos || it->second.find("text/yaml") != std::string::npos);
}

Response document(const Request& r, const Json& value) {
  if (wants_yaml(r)) {
    return Response{200, "application/yaml", core::to_yaml(value)};
  }
  return Response{200, "application/json", core::to_pretty_json(value)};
}

std::string etag(const std::string& digest) { return "\"" + digest + "\""; }

// The criteria of a request: the Criteria document (POST body), with the parameters laid over it
// as flags are laid over --criteria.
resolver::Criteria request_criteria(const Request& r, bool with_body, const std::optional<core::Document>& doc) {
  resolver::Criteria base;
  if (doc) {
    base = resolver::read_criteria(*doc);
  } else if (with_body && !r.body.empty()) {
    base = resolver::read_criteria(core::parse_yaml(r.body, "request body"));
  }
  resolver::Criteria over;
  for (const auto& key : resolver::criteria_keys()) {
    std::string v = value(r, param_name(key));
    if (!v.empty()) {
      over.fields[key] = v;
    }
  }
  std::string nodes = value(r, "nodes");
  if (!nodes.empty()) {
    size_t used = 0;
    long long n = 0;
    try {
      n = std::stoll(nodes, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != nodes.size() || n < 1) {
      throw Error(Exit::bad_input, core::OptionField("nodes", nodes), "expected a whole number of at least 1");
    }
    over.nodes = n;
  }
  return resolver::overlay_criteria(base, over);
}

bool has_criteria(const Request& r) {
  for (const auto& name : criteria_params()) {
    if (name != "allow-partial" && !values(r, name).empty()) {
      return true;
    }
  }
  return false;
}

// Form parts "values.COMPONENT": a values document for that component (galley bundle --values).
const std::string k_values_prefix = "values.";

// Requests past their deadline whose work is still running (until its next deadline check).
std::atomic<int> g_abandoned{0};
// Works stopped by their deadline (core::check_deadline), counted for /metrics.
std::atomic<std::size_t> g_stopped{0};

Response past_deadline(const Request& r, const std::string& detail) {
  Response p = problem(503, detail, r, 5);
  p.headers["Retry-After"] = "5";
  p.headers["Galley-Rejected"] = "deadline";
  return p;
}

// Runs `work` within `seconds`; past it, answers 503, and the work stops at its next deadline
// check (core::check_deadline) or finishes unobserved. While `max_abandoned` such works still run,
// new ones are refused at once.
template <typename Work>
Response within_deadline(double seconds, int max_abandoned, const Request& r, Work work) {
  if (g_abandoned.load() >= max_abandoned) {
    return past_deadline(r, "too many earlier requests are still computing past the deadline");
  }
  auto phase = std::make_shared<std::atomic<int>>(0);  // 0 running, 1 done, 2 abandoned
  auto at = std::chrono::steady_clock::now() +
            std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(seconds));
  auto task = std::make_shared<std::packaged_task<Response()>>([work, at, r, seconds] {
    core::ThreadDeadline deadline(at);
    Response out = work();
    if (deadline.stopped()) {  // cut at a check: whatever the work made of that is not its answer
      ++g_stopped;
      return past_deadline(r, "the request took longer than the server's deadline of " + std::to_string(seconds) + " s");
    }
    return out;
  });
  auto result = task->get_future();
  std::thread([task, phase] {
    (*task)();
    if (phase->exchange(1) == 2) {
      --g_abandoned;
    }
  }).detach();
  if (result.wait_for(std::chrono::duration<double>(seconds)) == std::future_status::timeout) {
    ++g_abandoned;
    int running = 0;
    if (phase->compare_exchange_strong(running, 2)) {
      return past_deadline(r, "the request took longer than the server's deadline of " + std::to_string(seconds) + " s");
    }
    --g_abandoned;  // it finished just now
  }
  return result.get();
}

// A scratch folder of the server's own, removed with everything in it when this goes.
class Scratch {
 public:
  Scratch() {
    std::string pattern = (fs::temp_directory_path() / "galley-serve.XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      throw Error(Exit::io, "cannot create a scratch folder in " + fs::temp_directory_path().string());
    }
    m_path = pattern;
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(m_path, ec);
  }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  const fs::path& path() const { return m_path; }

 private:
  fs::path m_path;
};

}  // namespace

int status_of(int exit_code) {
  switch (static_cast<Exit>(exit_code)) {
    case Exit::bad_input: return 400;
    case Exit::check_failed: return 422;
    case Exit::not_found: return 404;
    case Exit::unsatisfiable: return 409;
    default: return 500;
  }
}

Response problem(int status, const std::string& detail, const Request& request, int exit_code) {
  static const std::map<int, std::string> k_titles = {
      {400, "Bad Request"}, {401, "Unauthorized"}, {404, "Not Found"}, {405, "Method Not Allowed"},
      {409, "Conflict"}, {413, "Content Too Large"}, {422, "Unprocessable Content"}, {429, "Too Many Requests"},
      {431, "Request Header Fields Too Large"}, {500, "Internal Server Error"}, {503, "Service Unavailable"}};
  auto title = k_titles.find(status);
  Json body = {{"type", "about:blank"},
               {"title", title == k_titles.end() ? "Error" : title->second},
               {"status", status},
               {"detail", detail},
               {"instance", request.path},
               {"requestId", request.request_id},
               {"exitCode", exit_code}};
  return Response{status, "application/problem+json", core::to_pretty_json(body)};
}

std::string route_of(const std::string& path) {
  static const std::set<std::string> k_routes = {"/v1/catalog", "/v1/recipe",   "/v1/query",  "/v1/explain",
                                                 "/v1/diff",    "/v1/bundle",   "/v1/validate", "/v1/verify",
                                                 "/healthz",    "/readyz",      "/metrics",   "/openapi.json"};
  return k_routes.count(path) != 0 ? path : "other";
}

Api::Api(ApiConfig config) : m_config(std::move(config)), m_cache(m_config.cache_entries) {}

std::size_t Api::works_stopped() { return g_stopped.load(); }

Response Api::handle(const Request& r) {
  using Handler = Response (Api::*)(const Request&);
  static const std::map<std::string, std::pair<std::set<std::string>, Handler>> k_table = {
      {"/v1/catalog", {{"GET"}, &Api::catalog}},   {"/v1/recipe", {{"GET", "POST"}, &Api::recipe}},
      {"/v1/query", {{"GET"}, &Api::query}},       {"/v1/explain", {{"GET"}, &Api::explain}},
      {"/v1/diff", {{"POST"}, &Api::diff}},        {"/v1/bundle", {{"POST"}, &Api::bundle}},
      {"/v1/validate", {{"POST"}, &Api::validate}}, {"/v1/verify", {{"POST"}, &Api::verify}},
  };
  auto it = k_table.find(r.path);
  if (it == k_table.end()) {
    return problem(404, "no such endpoint: " + r.path + " (GET /openapi.json lists them)", r, 3);
  }
  if (it->second.first.count(r.method) == 0) {
    Response p = problem(405, r.method + " is not allowed on " + r.path, r);
    p.headers["Allow"] = core::join(std::vector<std::string>(it->second.first.begin(), it->second.first.end()));
    return p;
  }
  try {
    return (this->*(it->second.second))(r);
  } catch (const Error& e) {
    return problem(status_of(core::to_int(e.exit())), core::join(e.lines(), "\n"), r, core::to_int(e.exit()));
  } catch (const std::exception& e) {
    return problem(500, std::string("internal error: ") + e.what(), r, 5);
  }
}

Response Api::catalog(const Request& r) {
  check_names(r, {"stats"}, false);
  return document(r, flag(r, "stats") ? resolver::leaf_stats(*m_config.catalog) : resolver::describe_catalog(*m_config.catalog));
}

std::shared_ptr<const CachedRecipe> Api::resolve(const Request& r, bool with_body) {
  auto criteria = resolver::normalize_criteria(*m_config.catalog, request_criteria(r, with_body, std::nullopt));
  if (criteria.fields.empty() && !criteria.nodes) {
    throw Error(Exit::bad_input, "no criteria given; e.g. ?service=eks&accelerator=h100&intent=training");
  }
  bool partial = flag(r, "allow-partial");
  std::string key = cache_key(m_config.catalog_digest, criteria.fields, criteria.nodes ? std::to_string(*criteria.nodes) : "", partial);
  return m_cache.get(key, [&] {
    auto entry = std::make_shared<CachedRecipe>();
    Json recipe = resolver::resolve(*m_config.catalog, criteria, resolver::ResolveOptions{partial});
    entry->digest = recipe["metadata"]["digest"].get<std::string>();
    entry->json = core::to_pretty_json(recipe);
    entry->yaml = core::to_yaml(recipe);
    return std::shared_ptr<const CachedRecipe>(entry);
  });
}

Response Api::recipe(const Request& r) {
  check_names(r, {}, true);
  auto entry = resolve(r, r.method == "POST");
  Response out;
  out.headers["ETag"] = etag(entry->digest);
  out.headers["Galley-Recipe-Digest"] = entry->digest;
  auto match = r.headers.find("if-none-match");
  if (match != r.headers.end() && (match->second == etag(entry->digest) || match->second == "*")) {
    out.status = 304;
    out.content_type.clear();
    return out;
  }
  bool yaml = wants_yaml(r);
  out.content_type = yaml ? "application/yaml" : "application/json";
  out.shared_body = std::shared_ptr<const std::string>(entry, yaml ? &entry->yaml : &entry->json);  // shares entry's life
  return out;
}

// What query and explain share: the path parameter `name` (required) looked up by `look` in the
// recipe of the request's criteria; 404 with the CLI's message when absent.
Json Api::lookup(const Request& r, const std::string& name, const std::string& example,
                 const std::function<std::optional<Json>(const Json&, const std::string&)>& look) {
  check_names(r, {name}, true);
  std::string path = value(r, name);
  if (path.empty()) {
    throw Error(Exit::bad_input, core::OptionField(name), "required, e.g. ?" + name + "=" + example);
  }
  auto found = look(Json::parse(resolve(r, false)->json), path);
  if (!found) {
    throw Error(Exit::not_found, "\"" + path + "\" is not in the recipe");
  }
  return *found;
}

Response Api::query(const Request& r) {
  Json found = lookup(r, "selector", "deploymentOrder", resolver::select);
  if (found.is_primitive()) {  // as the CLI prints it: strings bare, other scalars as JSON
    return Response{200, "text/plain", (found.is_string() ? found.get<std::string>() : found.dump()) + "\n"};
  }
  return document(r, found);
}

Response Api::explain(const Request& r) {
  return document(r, lookup(r, "path", "components.gpu-operator.version", resolver::explain));
}

Response Api::diff(const Request& r) {
  check_names(r, {"a", "b", "allow-partial"}, false);
  bool partial = flag(r, "allow-partial");
  auto recipe_or_resolve = [&](const std::string& name) {
    auto doc = part_document(r, name);
    if (!doc) {
      throw Error(Exit::bad_input, core::OptionField(name), "required: a Recipe or Criteria document");
    }
    if (core::check_document(*doc, {"Recipe", "Criteria"}) == "Recipe") {
      resolver::check_recipe(*doc);
      return doc->value;
    }
    return resolver::resolve(*m_config.catalog, resolver::read_criteria(*doc), resolver::ResolveOptions{partial});
  };
  Json a = recipe_or_resolve("a");
  Json b = recipe_or_resolve("b");
  return document(r, resolver::diff(a, b));
}

namespace {
// The values documents of a bundle request: a part "values.COMPONENT" per document, in order.
std::vector<std::pair<std::string, core::Document>> values_parts(const Request& r) {
  std::vector<std::pair<std::string, core::Document>> out;
  for (const auto& [name, text] : r.parts) {
    if (name.rfind(k_values_prefix, 0) == 0) {
      out.emplace_back(name.substr(k_values_prefix.size()), core::parse_yaml(text, name));
    }
  }
  return out;
}
}  // namespace

Response Api::bundle(const Request& r) {
  check_names(r,
              {"recipe", "criteria", "deployer", "set", "set-unchecked", "node-selector", "toleration",
               "registry-mirror", "repo-url", "revision", "path", "argocd-project", "destination-server",
               "destination-name", "argocd-namespace", "kube-context"},
              true, k_values_prefix);
  auto recipe_doc = part_document(r, "recipe");
  auto criteria_doc = part_document(r, "criteria");
  Json recipe;
  if (recipe_doc) {
    if (criteria_doc || has_criteria(r)) {
      throw Error(Exit::bad_input, "give either a recipe or criteria, not both");
    }
    resolver::check_recipe(*recipe_doc);
    recipe = recipe_doc->value;
  } else {
    auto criteria = request_criteria(r, false, criteria_doc);
    if (criteria.fields.empty()) {
      throw Error(Exit::bad_input, "no criteria: give a recipe part, a criteria part or criteria parameters");
    }
    recipe = resolver::resolve(*m_config.catalog, criteria, resolver::ResolveOptions{flag(r, "allow-partial")});
  }
  resolver::refuse_partial(recipe, flag(r, "allow-partial"));
  render::OptionTexts t;
  t.deployer = choice(r, "deployer", render::deployer_names(), "helm");
  t.sets = values(r, "set");
  t.unchecked_sets = values(r, "set-unchecked");
  t.values = values_parts(r);
  t.node_selectors = values(r, "node-selector");
  t.tolerations = values(r, "toleration");
  t.registry_mirror = value(r, "registry-mirror");
  t.repo_url = value(r, "repo-url");
  t.revision = value(r, "revision", t.revision);
  t.path = value(r, "path", t.path);
  t.argocd_project = value(r, "argocd-project");
  t.destination_server = value(r, "destination-server");
  t.destination_name = value(r, "destination-name");
  t.argocd_namespace = value(r, "argocd-namespace");
  t.kube_context = value(r, "kube-context");
  render::Options o = render::read_options(t);
  auto key = m_config.signing_key;
  return within_deadline(m_config.deadline, m_config.max_abandoned, r, [recipe, o, key, r]() -> Response {
    try {
      auto files = render::render(recipe, o);
      if (key) {
        attest::SignOptions sign{"", core::source_date_epoch(), "", ""};
        files.files[bundle::k_attestation_file] = bundle::File{attest::sign_bundle(files, *key, sign), false};
      }
      Scratch scratch;
      std::string dir = (scratch.path() / "bundle").string();
      render::write_bundle(files, dir, render::Overwrite::no);
      Response out{200, "application/gzip",
                   deliver::bundle_tarball(dir, {}, key ? deliver::TarballAttestation::include : deliver::TarballAttestation::leave_out)};
      out.headers["Content-Disposition"] = "attachment; filename=\"bundle.tar.gz\"";
      out.headers["Galley-Recipe-Digest"] = recipe["metadata"]["digest"].get<std::string>();
      if (!files.warnings.empty()) {  // what galley bundle prints as warnings, as a JSON list in ASCII
        out.headers["Galley-Warnings"] = Json(files.warnings).dump(-1, ' ', true);
      }
      if (key) {
        out.headers["Galley-Signed-By"] = key->id();
      }
      return out;
    } catch (const Error& e) {
      return problem(status_of(core::to_int(e.exit())), core::join(e.lines(), "\n"), r, core::to_int(e.exit()));
    } catch (const std::exception& e) {
      return problem(500, std::string("internal error: ") + e.what(), r, 5);
    }
  });
}

Response Api::validate(const Request& r) {
  check_names(r, {"recipe", "snapshot", "format", "scope", "as-of", "allow"}, false);
  auto recipe_doc = part_document(r, "recipe");
  if (!recipe_doc) {
    throw Error(Exit::bad_input, core::OptionField("recipe"), "required: the Recipe document");
  }
  auto [from, to] = r.parts.equal_range("snapshot");
  if (from == to) {
    throw Error(Exit::bad_input, core::OptionField("snapshot"), "required: one or more Snapshot documents");
  }
  std::int64_t now = core::now_epoch();
  validate::ValidateOptions options;
  std::string as_of = value(r, "as-of");
  options.as_of = as_of.empty() ? core::iso_date(now) : core::check_date(as_of, "as-of");
  if (!value(r, "allow").empty()) {
    choice(r, "allow", {"could-not-verify"}, "");
    options.allow = validate::AllowCouldNotVerify::yes;
  }
  static const std::map<std::string, validate::Scope> k_scopes = {
      {"node", validate::Scope::node}, {"cluster", validate::Scope::cluster}, {"all", validate::Scope::all}};
  options.scope = k_scopes.at(choice(r, "scope", {"node", "cluster", "all"}, "all"));
  static const std::map<std::string, std::pair<validate::ReportFormat, const char*>> k_formats = {
      {"table", {validate::ReportFormat::table, "text/plain"}},
      {"json", {validate::ReportFormat::json, "application/json"}},
      {"junit", {validate::ReportFormat::junit, "application/xml"}},
      {"ctrf", {validate::ReportFormat::ctrf, "application/json"}}};
  auto format = k_formats.at(choice(r, "format", {"table", "json", "junit", "ctrf"}, "json"));
  auto plan = std::make_shared<validate::Plan>(validate::make_plan(*recipe_doc));  // schema, digest, ranges
  std::vector<std::pair<std::string, core::Document>> snapshots;  // named as uploaded, else snapshot[i]
  auto filename = r.filenames.lower_bound("snapshot");
  for (auto it = from; it != to; ++it, ++filename) {
    std::string name = filename != r.filenames.end() && filename->first == "snapshot" && !filename->second.empty()
                           ? filename->second
                           : "snapshot[" + std::to_string(snapshots.size()) + "]";
    snapshots.emplace_back(name, validate::read_snapshot(it->second, name));
  }
  return within_deadline(m_config.deadline, m_config.max_abandoned, r, [plan, snapshots, options, format, now, r]() -> Response {
    Json entries = Json::array();
    for (const auto& [name, snapshot] : snapshots) {
      entries.push_back(validate::check_snapshot(*plan, snapshot.value, name, options));
    }
    Json report = validate::make_report(*plan, entries, options);
    Response out{200, format.second, validate::format_report(report, format.first, now * 1000)};
    out.headers["Galley-Exit-Code"] = std::to_string(validate::report_exit(report));
    return out;
  });
}

Response Api::verify(const Request& r) {
  check_names(r, {"bundle", "key", "trust", "as-of", "format"}, false);
  auto tarball = r.parts.find("bundle");
  auto key = r.parts.find("key");
  auto policy = part_document(r, "trust");
  if (tarball == r.parts.end()) {
    throw Error(Exit::bad_input, core::OptionField("bundle"), "required: a tar.gz of the bundle folder");
  }
  if ((key == r.parts.end()) == !policy) {
    throw Error(Exit::bad_input, "give exactly one of the key (a public key PEM) and trust (a TrustPolicy document) parts");
  }
  std::optional<std::int64_t> as_of;
  if (!value(r, "as-of").empty()) {
    as_of = core::parse_time(value(r, "as-of"), "as-of");
  }
  std::string format = choice(r, "format", {"text", "json"}, "json");
  attest::Trust trust = policy ? attest::trust_from_policy(*policy) : attest::trust_from_key(key->second, "key");
  Scratch scratch;
  std::string dir = (scratch.path() / "bundle").string();
  fs::create_directory(dir);
  deliver::unpack_tarball(tarball->second, dir);
  attest::Report report = attest::verify_folder(dir, trust, as_of);
  report.bundle = "bundle";  // not the scratch path
  Response out = format == "json" ? Response{200, "application/json", core::to_pretty_json(attest::to_json(report))}
                                  : Response{200, "text/plain", attest::to_text(report)};
  out.headers["Galley-Exit-Code"] = report.verified() ? "0" : "1";
  return out;
}

}  // namespace galley::server
