// Unit tests of attest/: encodings, keys, the statement, the envelope, trust policies and
// verification of folders written here. End-to-end behaviour (the CLI, a TSA over HTTP, the
// third-party verifiers) is in attest_blackbox.sh.
#include <catch2/catch.hpp>

#include "core/clock.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "attest/attest.hpp"
#include "attest/internal.hpp"
#include "bundle/bundle.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "core/hash.hpp"
#include "core/yaml_emit.hpp"
#include "render/render.hpp"
#include "resolver/catalog.hpp"
#include "resolver/resolver.hpp"

using namespace galley;
using core::Exit;
using core::Json;
namespace fs = std::filesystem;

namespace {

// A fresh folder under the system's temporary folder, removed at the end of the test.
struct TempDir {
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "galley-attest-XXXXXX").string();
    path = ::mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string operator/(const std::string& name) const { return (fs::path(path) / name).string(); }
  std::string path;
};

void write(const std::string& path, const std::string& bytes, mode_t mode = 0600) {
  std::ofstream(path, std::ios::binary) << bytes;
  ::chmod(path.c_str(), mode);
}

std::string read(const std::string& path) { return core::read_file(path); }

const bundle::Bundle& rendered() {
  static const bundle::Bundle b = [] {
    static auto catalog = resolver::load_catalog({resolver::embedded_source()});
    resolver::Criteria c;
    c.fields = {{"service", "eks"}, {"accelerator", "h100"}, {"os", "ubuntu"}, {"intent", "training"}, {"kubernetes", "1.34"}};
    return render::render(resolver::resolve(*catalog, c), render::Options{});
  }();
  return b;
}

// A key pair on disk: DIR/NAME.key (0600) and the public PEM.
struct Keys {
  Keys(const TempDir& dir, attest::KeyType type, const std::string& name = "k") {
    attest::KeyPair pair = attest::generate_key(type, "");
    attest::write_key_pair(pair, dir / name);
    public_pem = pair.public_pem;
    key = attest::SigningKey::load(dir / (name + ".key"), "");
  }
  std::string public_pem;
  std::optional<attest::SigningKey> key;
};

Exit exit_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const core::Error& e) {
    return e.exit();
  }
  return Exit::ok;
}

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const core::Error& e) {
    return e.what();
  }
  return "";
}

bool has_line(const std::vector<std::string>& lines, const std::string& part) {
  for (const auto& l : lines) {
    if (l.find(part) != std::string::npos) {
      return true;
    }
  }
  return false;
}

// A signed bundle folder: the rendered bundle plus its attestation.
std::string signed_folder(const TempDir& dir, const attest::SigningKey& key, const std::string& name = "b") {
  bundle::Bundle b = rendered();
  b.files[bundle::k_attestation_file] = bundle::File{attest::sign_bundle(b, key, attest::SignOptions{}), false};
  std::string out = dir / name;
  render::write_bundle(b, out, render::Overwrite::no);
  return out;
}

}  // namespace

TEST_CASE("base64 round-trips and accepts what DSSE allows") {
  std::string bytes;
  for (int n = 0; n < 40; ++n) {
    REQUIRE(attest::base64_decode(attest::base64_encode(bytes)) == bytes);
    bytes += static_cast<char>(n * 37 + 200);
  }
  CHECK(attest::base64_encode("hello") == "aGVsbG8=");
  CHECK(attest::base64_decode("aGVsbG8") == std::optional<std::string>("hello"));   // unpadded
  CHECK(attest::base64_decode("-_8=") == attest::base64_decode("+/8="));             // URL-safe
  CHECK_FALSE(attest::base64_decode("aGVs*G8="));
  CHECK_FALSE(attest::base64_decode("aGVsb"));  // 5 symbols: not a whole byte
}

TEST_CASE("PAE matches the DSSE specification's test vector") {
  CHECK(attest::pae("http://example.com/HelloWorld", "hello world") == "DSSEv1 29 http://example.com/HelloWorld 11 hello world");
  CHECK(attest::pae("", "") == "DSSEv1 0  0 ");
}

TEST_CASE("dates: YYYY-MM-DD and RFC 3339, UTC") {
  CHECK(core::try_parse_time("2025-01-01") == 1735689600);
  CHECK(core::try_parse_time("2025-01-01T01:02:03Z") == 1735689600 + 3723);
  CHECK(core::try_parse_time("2025-01-01T01:02") == 1735689600 + 3720);
  CHECK(core::try_parse_time("2025-01-01T02:02:03.250+01:00") == 1735689600 + 3723);
  CHECK(core::try_parse_time("2024-12-31T23:00:00-01:00") == 1735689600);
  for (const char* bad : {"2025-13-01", "2025-01-32", "2025-1-1", "2025-01-01T", "2025-01-01T25:00", "2025-01-01T01:02:03+1",
                          "2025-01-01 01:02", "next tuesday", ""}) {
    INFO(bad);
    CHECK_FALSE(core::try_parse_time(bad));
  }
  CHECK(core::rfc3339(1735689600 + 3723) == "2025-01-01T01:02:03Z");
  CHECK(core::try_parse_time(core::rfc3339(1700000000)) == 1700000000);
}

TEST_CASE("keys: generated, written 0600, refused when exposed or overwritten") {
  TempDir dir;
  for (auto type : {attest::KeyType::ecdsa_p256, attest::KeyType::ed25519}) {
    std::string name = type == attest::KeyType::ed25519 ? "ed" : "ec";
    attest::KeyPair pair = attest::generate_key(type, "");
    attest::write_key_pair(pair, dir / name);
    struct stat st {};
    REQUIRE(::stat((dir / (name + ".key")).c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    REQUIRE(::stat((dir / (name + ".pub")).c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0644);
    CHECK(read(dir / (name + ".pub")) == pair.public_pem);

    auto key = attest::SigningKey::load(dir / (name + ".key"), "");
    CHECK(key.id() == attest::key_id(pair.public_pem));
    auto pub = attest::load_public_key(pair.public_pem, "pub");
    std::string sig = attest::sign_bytes(key.handle(), "message");
    CHECK(attest::verify_bytes(*pub, "message", sig));
    CHECK_FALSE(attest::verify_bytes(*pub, "messagE", sig));
    CHECK(attest::key_type_name(*pub) == (type == attest::KeyType::ed25519 ? "Ed25519" : "ECDSA P-256"));
    if (type == attest::KeyType::ed25519) {
      CHECK(attest::sign_bytes(key.handle(), "message") == sig);  // deterministic
    } else {
      CHECK(attest::sign_bytes(key.handle(), "message") != sig);  // a fresh nonce each time
    }

    CHECK(exit_of([&] { attest::write_key_pair(pair, dir / name); }) == Exit::bad_input);
    ::chmod((dir / (name + ".key")).c_str(), 0640);
    CHECK(message_of([&] { attest::SigningKey::load(dir / (name + ".key"), ""); }).find("accessible to group or others (mode 0640)") !=
          std::string::npos);
  }
  CHECK(exit_of([&] { attest::SigningKey::load(dir / "missing.key", ""); }) == Exit::not_found);
  CHECK(exit_of([&] { attest::key_id("not a key"); }) == Exit::bad_input);
}

TEST_CASE("keys: an encrypted private key needs its passphrase") {
  TempDir dir;
  attest::KeyPair pair = attest::generate_key(attest::KeyType::ecdsa_p256, "s3cret");
  CHECK(pair.private_pem.find("BEGIN ENCRYPTED PRIVATE KEY") != std::string::npos);
  write(dir / "enc.key", pair.private_pem);
  CHECK(attest::SigningKey::load(dir / "enc.key", "s3cret").id() == attest::key_id(pair.public_pem));
  CHECK(message_of([&] { attest::SigningKey::load(dir / "enc.key", ""); }).find("no passphrase was given") != std::string::npos);
  CHECK(message_of([&] { attest::SigningKey::load(dir / "enc.key", "wrong"); }).find("wrong passphrase") != std::string::npos);

  ::setenv("GALLEY_TEST_PASSPHRASE", "s3cret", 1);
  CHECK(attest::passphrase_from_env("GALLEY_TEST_PASSPHRASE") == "s3cret");
  ::setenv("GALLEY_TEST_PASSPHRASE", "", 1);
  CHECK(exit_of([] { attest::passphrase_from_env("GALLEY_TEST_PASSPHRASE"); }) == Exit::bad_input);
  ::unsetenv("GALLEY_TEST_PASSPHRASE");
  CHECK(attest::passphrase_from_env("") == "");
}

TEST_CASE("statement: in-toto v1, SLSA v1, sorted subjects, no clock or randomness") {
  attest::SignOptions options;
  std::string bytes = attest::make_statement(rendered(), options);
  CHECK(attest::make_statement(rendered(), options) == bytes);
  Json s = Json::parse(bytes);
  CHECK(s["_type"] == "https://in-toto.io/Statement/v1");
  CHECK(s["predicateType"] == "https://slsa.dev/provenance/v1");
  CHECK(s["predicate"]["buildDefinition"]["buildType"] == "https://galley.dev/bundle/v1");
  CHECK(s["predicate"]["runDetails"]["builder"]["id"] == std::string("https://galley.dev/galley@") + GALLEY_VERSION);
  CHECK_FALSE(s["predicate"]["runDetails"]["metadata"].contains("startedOn"));

  const Json& subjects = s["subject"];
  REQUIRE(subjects.size() == rendered().files.size());
  auto file = rendered().files.begin();
  for (const auto& sub : subjects) {  // the same order as the std::map: sorted by path
    CHECK(sub["name"] == file->first);
    CHECK(sub["digest"]["sha256"] == core::sha256_hex(file->second.bytes));
    ++file;
  }

  // A signature file already in the bundle is no subject of its own statement.
  bundle::Bundle with_sig = rendered();
  with_sig.files[bundle::k_attestation_file] = bundle::File{"{}", false};
  CHECK(attest::make_statement(with_sig, options) == bytes);

  // The invocation id follows the content; startedOn only from SOURCE_DATE_EPOCH.
  bundle::Bundle changed = rendered();
  changed.files["README.md"].bytes += "\n";
  Json s2 = Json::parse(attest::make_statement(changed, options));
  CHECK(s2["predicate"]["runDetails"]["metadata"]["invocationId"] != s["predicate"]["runDetails"]["metadata"]["invocationId"]);
  options.source_date_epoch = 1700000000;
  options.builder_id = "https://ci.example.com/7";
  Json s3 = Json::parse(attest::make_statement(rendered(), options));
  CHECK(s3["predicate"]["runDetails"]["metadata"]["startedOn"] == "2023-11-14T22:13:20Z");
  CHECK(s3["predicate"]["runDetails"]["builder"]["id"] == "https://ci.example.com/7");

  bundle::Bundle no_recipe = rendered();
  no_recipe.files.erase("recipe.yaml");
  CHECK(message_of([&] { attest::make_statement(no_recipe, attest::SignOptions{}); }).find("recipe.yaml: missing") != std::string::npos);
}

TEST_CASE("SOURCE_DATE_EPOCH") {
  ::unsetenv("SOURCE_DATE_EPOCH");
  CHECK_FALSE(core::source_date_epoch());
  ::setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
  CHECK(core::source_date_epoch() == 1700000000);
  for (const char* bad : {"17e8", "-5", "yesterday", "1700000000 "}) {
    ::setenv("SOURCE_DATE_EPOCH", bad, 1);
    CHECK(exit_of([] { core::source_date_epoch(); }) == Exit::bad_input);
  }
  ::unsetenv("SOURCE_DATE_EPOCH");
}

TEST_CASE("envelope: a Sigstore bundle v0.3 written and read back") {
  TempDir dir;
  Keys keys(dir, attest::KeyType::ed25519);
  attest::Envelope e = attest::sign_statement("{\"a\":1}", *keys.key);
  e.timestamps = {"DER-1", "DER-2"};
  std::string text = attest::sigstore_json(e);
  Json doc = Json::parse(text);
  CHECK(doc["mediaType"] == "application/vnd.dev.sigstore.bundle.v0.3+json");
  CHECK(doc["verificationMaterial"]["publicKey"]["hint"] == keys.key->id());
  CHECK(doc["dsseEnvelope"]["signatures"][0]["keyid"] == keys.key->id());
  CHECK(doc["verificationMaterial"]["timestampVerificationData"]["rfc3161Timestamps"].size() == 2);

  attest::Envelope back = attest::parse_sigstore(text, "x.json");
  CHECK(back.payload == e.payload);
  CHECK(back.signature == e.signature);
  CHECK(back.timestamps == e.timestamps);
  CHECK(attest::verify_bytes(*attest::load_public_key(keys.public_pem, "k"), attest::pae(back.payload_type, back.payload), back.signature));

  auto broken = [&](const std::function<void(Json&)>& edit) {
    Json d = doc;
    edit(d);
    return message_of([&] { attest::parse_sigstore(d.dump(), "x.json"); });
  };
  CHECK(broken([](Json& d) { d.erase("dsseEnvelope"); }) == "x.json: dsseEnvelope: missing or of the wrong type");
  CHECK(broken([](Json& d) { d["verificationMaterial"]["publicKey"]["hint"] = 3; }) ==
        "x.json: verificationMaterial.publicKey.hint: missing or of the wrong type");
  CHECK(broken([](Json& d) { d["dsseEnvelope"]["payload"] = "!!"; }) == "x.json: dsseEnvelope.payload: not valid base64");
  CHECK(broken([](Json& d) { d["dsseEnvelope"]["signatures"] = Json::array(); }).find("has 0 signatures") != std::string::npos);
  CHECK(broken([](Json& d) { d["verificationMaterial"]["tlogEntries"] = Json::array({1}); }).find("transparency-log") != std::string::npos);
  CHECK(exit_of([] { attest::parse_sigstore("[1]", "x.json"); }) == Exit::check_failed);
}

TEST_CASE("verify: a signed folder against its key, and what tampering does") {
  TempDir dir;
  Keys keys(dir, attest::KeyType::ecdsa_p256);
  std::string b = signed_folder(dir, *keys.key);
  attest::Trust trust = attest::trust_from_key(keys.public_pem, "release.pub");

  attest::Report ok = attest::verify_folder(b, trust, std::nullopt);
  INFO(attest::to_text(ok));
  CHECK(ok.verified());
  CHECK(ok.established["signature"]["keyId"] == keys.key->id());
  CHECK(ok.established["inventory"]["complete"] == true);
  CHECK(ok.established["recipeDigest"].get<std::string>().starts_with("sha256:"));
  CHECK(has_line(ok.not_established, "signing time"));
  CHECK(attest::to_text(ok).ends_with("VERIFIED\n"));
  CHECK(attest::to_json(ok)["verified"] == true);
  CHECK(attest::to_json(ok)["bundle"] == b);

  // sign_folder on the same files gives the same statement as sign_bundle
  std::string before = attest::parse_sigstore(read(b + "/attestation.sigstore.json"), "a").payload;
  attest::sign_folder(b, *keys.key, attest::SignOptions{});
  CHECK(attest::parse_sigstore(read(b + "/attestation.sigstore.json"), "a").payload == before);

  SECTION("a changed file") {
    std::ofstream(b + "/README.md", std::ios::app) << "x";
    attest::Report r = attest::verify_folder(b, trust, std::nullopt);
    CHECK_FALSE(r.verified());
    CHECK(has_line(r.failures, "\"README.md\": sha256 mismatch"));
    CHECK(attest::to_text(r).find("REJECTED") != std::string::npos);
    CHECK(exit_of([&] { attest::sign_folder(b, *keys.key, attest::SignOptions{}); }) == Exit::check_failed);
  }
  SECTION("an extra file in a subfolder") {
    fs::create_directories(b + "/sub");
    write(b + "/sub/x.yaml", "x: 1\n");
    attest::Report r = attest::verify_folder(b, trust, std::nullopt);
    CHECK(has_line(r.failures, "file \"sub/x.yaml\" is in the folder but is not a subject"));
  }
  SECTION("another key") {
    TempDir other;
    Keys k2(other, attest::KeyType::ed25519);
    attest::Report r = attest::verify_folder(b, attest::trust_from_key(k2.public_pem, "other.pub"), std::nullopt);
    CHECK(has_line(r.failures, "signature: no trusted key verifies it"));
    CHECK_FALSE(r.established.contains("signature"));
  }
  SECTION("no signature") {
    fs::remove(b + "/attestation.sigstore.json");
    attest::Report r = attest::verify_folder(b, trust, std::nullopt);
    CHECK(has_line(r.failures, "the bundle is not signed"));
  }
  SECTION("a validly signed statement of the wrong shape is reported, never thrown") {
    for (const char* payload :
         {R"({"_type":5,"subject":{"a":1},"predicate":[1]})",
          R"({"_type":"https://in-toto.io/Statement/v1","predicateType":"https://slsa.dev/provenance/v1",)"
          R"("subject":[{"name":5},{"name":"a","digest":[1]},7],"predicate":{"buildDefinition":[],)"
          R"("runDetails":{"builder":{"id":7,"version":"x"}}}})",
          "[]", "not json"}) {
      INFO(payload);
      write(b + "/attestation.sigstore.json", attest::sigstore_json(attest::sign_statement(payload, *keys.key)), 0644);
      attest::Report r;
      REQUIRE_NOTHROW(r = attest::verify_folder(b, trust, std::nullopt));
      CHECK_FALSE(r.verified());
      CHECK(r.established.contains("signature"));
      CHECK_FALSE(r.established.contains("inventory"));
      CHECK(has_line(r.failures, "statement"));
    }
  }
  SECTION("a recipe.yaml that is not a recipe") {
    write(b + "/recipe.yaml", "hello\n", 0644);
    attest::Report r;
    REQUIRE_NOTHROW(r = attest::verify_folder(b, trust, std::nullopt));
    CHECK(has_line(r.failures, "recipe digest: recipe.yaml says nothing"));
    write(b + "/recipe.yaml", "metadata: [1]\nspec: 3\n", 0644);
    REQUIRE_NOTHROW(r = attest::verify_folder(b, trust, std::nullopt));
    CHECK(has_line(r.failures, "recipe digest: recipe.yaml says nothing"));
  }
  CHECK(exit_of([&] { attest::verify_folder(dir / "missing", trust, std::nullopt); }) == Exit::not_found);
  CHECK(exit_of([&] { attest::verify_folder(b + "/bundle.yaml", trust, std::nullopt); }) == Exit::bad_input);
}

TEST_CASE("trust policy: windows, revocations, builder ids, tool version") {
  TempDir dir;
  Keys keys(dir, attest::KeyType::ed25519);
  std::string b = signed_folder(dir, *keys.key);
  std::string pem;
  for (size_t start = 0; start < keys.public_pem.size();) {
    size_t end = keys.public_pem.find('\n', start);
    pem += "        " + keys.public_pem.substr(start, end - start) + "\n";
    start = end + 1;
  }
  auto policy = [&](const std::string& key_extra, const std::string& spec_extra) {
    std::string text = "apiVersion: galley.dev/v1alpha1\nkind: TrustPolicy\nmetadata:\n  name: t\nspec:\n  keys:\n"
                       "    - name: release\n      publicKey: |\n" + pem + key_extra + spec_extra;
    return attest::trust_from_policy(core::parse_yaml(text, "policy.yaml"));
  };
  auto verify = [&](const attest::Trust& t, std::optional<std::int64_t> as_of = std::nullopt) {
    return attest::verify_folder(b, t, as_of);
  };

  CHECK(verify(policy("", "")).verified());
  CHECK(verify(policy("      notBefore: \"2020-01-01\"\n      notAfter: \"2099-01-01\"\n", "")).verified());
  CHECK(has_line(verify(policy("      notAfter: \"2020-01-01\"\n", "")).failures, "key \"release\": expired 2020-01-01T00:00:00Z"));
  CHECK(has_line(verify(policy("      notBefore: \"2099-01-01\"\n", "")).failures, "not valid before 2099-01-01T00:00:00Z"));
  // judged at --as-of when nothing establishes the signing time
  CHECK(verify(policy("      notAfter: \"2020-01-01\"\n", ""), core::try_parse_time("2019-06-01")).verified());

  std::string revoked = "  revocations:\n    - key: release\n      date: \"2021-01-01\"\n      reason: lost\n";
  CHECK(has_line(verify(policy("", revoked)).failures, "key \"release\": revoked 2021-01-01T00:00:00Z (lost)"));
  CHECK(verify(policy("", revoked), core::try_parse_time("2020-06-01")).verified());

  CHECK(has_line(verify(policy("", "  untimestamped: deny\n")).failures, "requires a trusted timestamp"));
  CHECK(has_line(verify(policy("", "  allowedBuilderIds: [https://ci.example.com]\n")).failures, "allowedBuilderIds"));
  CHECK(verify(policy("", std::string("  allowedBuilderIds: [\"https://galley.dev/galley@") + GALLEY_VERSION + "\"]\n")).verified());
  CHECK(has_line(verify(policy("", "  minimumToolVersion: 99.1.0\n")).failures, "older than the policy's minimumToolVersion 99.1.0"));
  CHECK(verify(policy("", std::string("  minimumToolVersion: ") + GALLEY_VERSION + "\n")).verified());

  // bad policies: every problem named with its line and field, exit 2
  CHECK(exit_of([&] { policy("      notAfter: \"2020-02-30x\"\n", ""); }) == Exit::bad_input);
  std::string bad = message_of([&] { policy("      notBefore: \"2030-01-01\"\n      notAfter: \"2020-01-01\"\n", "  revocations:\n    - key: nobody\n      date: \"2020-01-01\"\n"); });
  CHECK(bad.find("policy.yaml:13: spec.keys[0].notAfter: is before notBefore") != std::string::npos);
  CHECK(bad.find("spec.revocations[0].key: \"nobody\" is not one of spec.keys") != std::string::npos);
  CHECK(exit_of([&] { policy("", "  unknown: 1\n"); }) == Exit::bad_input);
  CHECK(message_of([&] { policy("", "  tsa:\n    - name: one\n      certificates: \"-----BEGIN CERTIFICATE-----\"\n"); })
            .find("spec.tsa[0].certificates: holds 0 certificate(s)") != std::string::npos);
}

TEST_CASE("timestamps: a query over the signature; responses that are not one are refused") {
  std::string query = attest::timestamp_request("signature bytes", true);
  CHECK(query.size() > 40);
  CHECK(query.find(core::sha256_hex("x")) == std::string::npos);
  CHECK(attest::timestamp_request("signature bytes", true) != query);  // a fresh nonce
  CHECK(attest::timestamp_request("signature bytes", false) == attest::timestamp_request("signature bytes", false));
  CHECK(message_of([] { attest::check_timestamp_response("not DER", "sig"); }) == "not a DER TimeStampResp");
  CHECK(message_of([&] { attest::check_timestamp_response(query, "sig"); }) == "not a DER TimeStampResp");
  attest::TimestampResult r = attest::verify_timestamp("not DER", "sig", attest::TrustedTsa{"t", ""});
  CHECK_FALSE(r.time);
  CHECK(r.error == "not a DER TimeStampResp");
  CHECK(attest::tsa_chain_problem("") != "");
}

TEST_CASE("request_timestamp: URLs it refuses, failures it reports") {
  CHECK(exit_of([] { attest::request_timestamp("https://tsa.example.com/", ""); }) == Exit::bad_input);
  CHECK(exit_of([] { attest::request_timestamp("ftp://tsa.example.com/", ""); }) == Exit::bad_input);
  CHECK(exit_of([] { attest::request_timestamp("http:///path", ""); }) == Exit::bad_input);
  CHECK(exit_of([] { attest::request_timestamp("http://host:port/", ""); }) == Exit::bad_input);
  CHECK(message_of([] { attest::request_timestamp("http://user:pw@host/", ""); }).find("credentials") != std::string::npos);
  CHECK(exit_of([] { attest::request_timestamp("http://127.0.0.1:1/tsr", ""); }) == Exit::io);
  CHECK(message_of([] { attest::request_timestamp("http://127.0.0.1:1/tsr", ""); }).find("cannot connect") != std::string::npos);
  CHECK(message_of([] { attest::request_timestamp("http://[::1]:1/tsr", ""); }).find("cannot connect") != std::string::npos);
}

TEST_CASE("the fast YAML reader agrees with core::parse_yaml, or declines") {
  // Every recipe galley writes (the golden files and every leaf), and a rendered bundle's files.
  size_t compared = 0;
  for (const auto& entry : fs::recursive_directory_iterator("tests/golden")) {
    if (entry.path().extension() != ".yaml") {
      continue;
    }
    std::string text = read(entry.path().string());
    INFO(entry.path().string());
    auto fast = attest::read_yaml_fast(text);
    REQUIRE(fast);
    CHECK(*fast == core::parse_yaml(text, "x").value);
    ++compared;
  }
  CHECK(compared >= 3);
  for (const auto& [path, file] : rendered().files) {
    if (path.ends_with(".yaml")) {
      INFO(path);
      auto fast = attest::read_yaml_fast(file.bytes);
      if (fast) {
        CHECK(*fast == core::parse_yaml(file.bytes, "x").value);
      }
    }
  }
  CHECK(attest::read_yaml_fast(rendered().files.at("recipe.yaml").bytes));
  CHECK(attest::read_yaml_fast(rendered().files.at("bundle.yaml").bytes));

  // Scalars of every style resolve as the core schema says.
  const char* agree[] = {
      "a: 1\nb: 1.5\nc: -2\nd: 0x1F\ne: 1e3\nf: .inf\ng: .nan\n",
      "a: true\nb: false\nc: True\nd: yes\ne: no\nf: on\ng: null\nh: ~\ni:\nj: Null\n",
      "a: \"1\"\nb: '2'\nc: \"true\"\nd: 'null'\ne: \"\"\nf: ''\ng: \"a\\tb\\u00e9\"\n",
      "a: |\n  line one\n  line two\nb: >-\n  folded\n  text\nc: |+\n  kept\n\n",
      "list:\n  - 1\n  - two\n  - [3, four, \"5\"]\n  - {k: v, n: 1}\n  - []\n  - {}\n",
      "'quoted key': 1\n\"1\": one\ntrue: yes\n3: three\n",
      "plain: a multi\n  line plain\nunicode: \"\xc3\xa9t\xc3\xa9\"\nurl: http://x.example/a:b#c\n",
      "- a\n- b: 1\n  c: [x]\n",
      "just a scalar\n",
      "{\"json\": [1, 2.5, \"x\", null, true], \"nested\": {\"a\": {}}}\n",
      "version: 1.10\nsemver: v1.2.3\nk8s: 1.34\ndate: 2024-01-01\noctal: 0o17\nzero: 012\n",
  };
  for (const char* text : agree) {
    INFO(text);
    auto fast = attest::read_yaml_fast(text);
    REQUIRE(fast);
    CHECK(*fast == core::parse_yaml(text, "x").value);
  }
  // Anything else is left to core::parse_yaml.
  for (const char* text : {"a: &x 1\nb: *x\n", "a: !!str 1\n", "a: 1\na: 2\n", "--- 1\n--- 2\n", "<<: {a: 1}\n",
                           "a: [1\n", "", "? [a]\n: 1\n", "a: !custom x\n"}) {
    INFO(text);
    CHECK_FALSE(attest::read_yaml_fast(text));
  }
}
