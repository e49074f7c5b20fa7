#pragma once
// Time enters Galley only here: SOURCE_DATE_EPOCH (the reproducible-builds convention) or the clock.
#include <cstdint>
#include <optional>
#include <string>

namespace galley::core {

// SOURCE_DATE_EPOCH as seconds since 1970-01-01 UTC; nullopt when unset or empty. Throws
// core::Error(bad_input) naming SOURCE_DATE_EPOCH for anything but a non-negative integer.
std::optional<std::int64_t> source_date_epoch();

// SOURCE_DATE_EPOCH when set, else the clock.
std::int64_t now_epoch();

// UTC, "2026-11-22T11:14:34Z" and "2026-11-22". Throws core::Error(bad_input) for a time gmtime
// cannot represent.
std::string rfc3339(std::int64_t epoch);
std::string iso_date(std::int64_t epoch);

}  // namespace galley::core
