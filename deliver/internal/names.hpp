#pragma once
// The shapes of OCI names (hosts, repositories, tags, digests), matched by hand in one linear pass:
// std::regex recurses once per character and a 120,000-character name overflowed the stack.
// Internal to deliver/.
#include <string>
#include <string_view>

namespace galley::deliver {

// HOST[:PORT]: [A-Za-z0-9.-]{1,253} and an optional port of 1 to 5 digits. Never throws.
bool is_host(std::string_view text);

// A repository path of at most 255 characters: components [a-z0-9]+ joined by '.', '_', '__' or '-'+, separated by '/'.
bool is_repository(std::string_view text);

// A tag: [A-Za-z0-9_][A-Za-z0-9._-]{0,127}.
bool is_tag(std::string_view text);

// "sha256:" and 64 lowercase hex digits.
bool is_sha256_digest(std::string_view text);

// `text` quoted for a message, cut to its first 80 characters with the length said when longer, so
// that a hostile name never floods a terminal or a log.
std::string shown_name(std::string_view text);

}  // namespace galley::deliver
