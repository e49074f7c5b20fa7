// Tests of attest/policy.cpp: dates, trust from a key or a TrustPolicy, and what a policy decides.
#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>

#include "attest/attest.hpp"
#include "core/clock.hpp"
#include "core/document.hpp"
#include "fixtures.hpp"

using namespace galley;
using namespace galley::attest_test;
using core::Exit;
using core::Json;

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
