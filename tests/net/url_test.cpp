#include <catch2/catch.hpp>

#include "net/url.hpp"

using galley::net::split_url;
using galley::net::url_encode;

TEST_CASE("url_encode keeps the unreserved characters and percent-encodes the rest", "[net][url]") {
  CHECK(url_encode("") == "");
  CHECK(url_encode("AZaz09-_.~") == "AZaz09-_.~");
  CHECK(url_encode("sha256:ab") == "sha256%3Aab");
  CHECK(url_encode("repository:gpu/bundle:pull,push") == "repository%3Agpu%2Fbundle%3Apull%2Cpush");
  CHECK(url_encode("a b&c=\xff") == "a%20b%26c%3D%FF");
}

TEST_CASE("split_url gives scheme, credentials, host, port and path", "[net][url]") {
  auto u = split_url("http://tsa.example.com:8080/tsr?x=1");
  REQUIRE(u);
  CHECK(u->scheme == "http");
  CHECK(u->userinfo == "");
  CHECK(u->host == "tsa.example.com");
  CHECK(u->port == "8080");
  CHECK(u->path == "/tsr?x=1");

  auto bare = split_url("https://registry.example.com");
  REQUIRE(bare);
  CHECK(bare->port == "");
  CHECK(bare->path == "/");

  auto v6 = split_url("http://[::1]:1/tsr");
  REQUIRE(v6);
  CHECK(v6->host == "::1");
  CHECK(v6->port == "1");

  auto creds = split_url("http://user:pw@host/");
  REQUIRE(creds);
  CHECK(creds->userinfo == "user:pw");
  CHECK(creds->host == "host");

  auto query = split_url("http://host?a=b");
  REQUIRE(query);
  CHECK(query->host == "host");
  CHECK(query->path == "/?a=b");
}

TEST_CASE("split_url refuses what names no host or a port that is not a number", "[net][url]") {
  CHECK_FALSE(split_url("tsa.example.com/tsr"));
  CHECK_FALSE(split_url("://host/"));
  CHECK_FALSE(split_url("http:///path"));
  CHECK_FALSE(split_url("http://host:port/"));
  CHECK_FALSE(split_url("http://host:/"));
  CHECK_FALSE(split_url("http://[::1/"));
  CHECK_FALSE(split_url("http://[::1]x/"));
  CHECK_FALSE(split_url("http://user@/"));
}
