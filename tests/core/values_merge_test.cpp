#include <catch2/catch.hpp>

#include "core/values_merge.hpp"

using galley::core::Json;
using galley::core::merge_values;

TEST_CASE("values merge maps key by key and replaces scalars", "[core][merge]") {
  Json v = Json::parse(R"({"driver": {"enabled": true, "version": "570"}, "replicas": 1})");
  merge_values(v, Json::parse(R"({"driver": {"version": "580"}, "replicas": 3, "extra": "x"})"));
  CHECK(v == Json::parse(R"({"driver": {"enabled": true, "version": "580"}, "replicas": 3, "extra": "x"})"));
}

TEST_CASE("values merge replaces lists whole", "[core][merge]") {
  Json v = Json::parse(R"({"tolerations": [{"key": "a"}, {"key": "b"}]})");
  merge_values(v, Json::parse(R"({"tolerations": [{"key": "c"}]})"));
  CHECK(v == Json::parse(R"({"tolerations": [{"key": "c"}]})"));
}

TEST_CASE("values merge deletes a key given null", "[core][merge]") {
  Json v = Json::parse(R"({"driver": {"enabled": true, "version": "570"}, "toolkit": {"enabled": true}})");
  merge_values(v, Json::parse(R"({"driver": {"version": null}, "toolkit": null, "absent": null})"));
  CHECK(v == Json::parse(R"({"driver": {"enabled": true}})"));
}

TEST_CASE("values merge: an empty map changes nothing where a map is, as helm -f does", "[core][merge]") {
  Json v = Json::parse(R"({"driver": {"enabled": true}, "image": "x"})");
  merge_values(v, Json::parse(R"({"driver": {}, "image": {}, "fresh": {}})"));
  CHECK(v == Json::parse(R"({"driver": {"enabled": true}, "image": {}, "fresh": {}})"));
}

TEST_CASE("values merge replaces a map by a scalar and a scalar by a map", "[core][merge]") {
  Json v = Json::parse(R"({"a": {"b": 1}, "c": 2})");
  merge_values(v, Json::parse(R"({"a": "off", "c": {"d": 4}})"));
  CHECK(v == Json::parse(R"({"a": "off", "c": {"d": 4}})"));
  Json empty;
  merge_values(empty, Json::parse(R"({"x": 1})"));
  CHECK(empty == Json::parse(R"({"x": 1})"));
}

TEST_CASE("values merge reports every leaf it sets or deletes when asked", "[core][merge]") {
  Json v = Json::parse(R"({"driver": {"enabled": true, "version": "570"}, "old": 1})");
  std::vector<std::pair<std::string, Json>> seen;
  merge_values(v, Json::parse(R"({"driver": {"version": "580", "env": {"A": "1", "B": [2]}, "none": {}}, "old": null,
                                  "same": {}})"),
               [&](const std::vector<std::string>& keys, const Json& value) {
                 std::string path;
                 for (const auto& k : keys) {
                   path += (path.empty() ? "" : ".") + k;
                 }
                 seen.emplace_back(path, value);
               });
  std::vector<std::pair<std::string, Json>> want = {{"driver.env.A", "1"},        {"driver.env.B", Json::array({2})},
                                                    {"driver.none", Json::object()}, {"driver.version", "580"},
                                                    {"old", nullptr},             {"same", Json::object()}};
  CHECK(seen == want);
}
