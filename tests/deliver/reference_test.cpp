// Tests of deliver/reference.cpp: oci:// references.
#include <catch2/catch.hpp>
#include <string>

#include "core/error.hpp"
#include "deliver/deliver.hpp"
#include "fixtures.hpp"

using namespace galley;
using namespace galley::deliver_test;

TEST_CASE("references are parsed strictly") {
  auto r = deliver::parse_reference("oci://127.0.0.1:5000/gpu/bundle:v1");
  CHECK(r.host == "127.0.0.1:5000");
  CHECK(r.repository == "gpu/bundle");
  CHECK(r.tag == "v1");
  CHECK(r.ref() == "v1");
  std::string d = "sha256:" + std::string(64, 'a');
  auto by_digest = deliver::parse_reference("oci://registry.example.com/a/b@" + d);
  CHECK(by_digest.digest == d);
  CHECK(by_digest.tag.empty());
  for (const char* bad : {"docker://h/r:t", "oci://h/r", "oci://h:5000/R:t", "oci:///r:t", "oci://h/r@sha256:12",
                          "oci://h/r:bad tag", "oci://h/../r:t"}) {
    INFO(bad);
    CHECK(exit_of([&] { deliver::parse_reference(bad); }) == core::Exit::bad_input);
  }
}

TEST_CASE("oci-layout sources: DIR and an optional TAG after the last colon") {
  using P = std::pair<std::string, std::string>;
  CHECK(deliver::parse_layout_source("oci-layout:out/layout") == P{"out/layout", ""});
  CHECK(deliver::parse_layout_source("oci-layout:out/layout:v1") == P{"out/layout", "v1"});
  CHECK(deliver::parse_layout_source("oci-layout:/mnt/usb:1.0/layout") == P{"/mnt/usb:1.0/layout", ""});
  CHECK_FALSE(deliver::parse_layout_source("oci://host/repo:v1"));
  CHECK_THROWS_AS(deliver::parse_layout_source("oci-layout::v1"), core::Error);
}
