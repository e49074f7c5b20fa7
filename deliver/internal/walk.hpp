#pragma once
// How deliver walks a bundle folder (tarball, publish): within its limits on size and entries.
// Internal to deliver/.
#include "bundle/folder.hpp"
#include "deliver/deliver.hpp"

namespace galley::deliver {

// Walk options for a bundle folder bounded by `limits` (max_unpacked bytes, max_entries), the
// attestation file kept or left out. Never throws.
inline bundle::WalkOptions walk_within(const Limits& limits, bundle::Attestation attestation) {
  bundle::WalkOptions walk;
  walk.attestation = attestation;
  walk.max_bytes = limits.max_unpacked;
  walk.max_entries = limits.max_entries;
  return walk;
}

}  // namespace galley::deliver
