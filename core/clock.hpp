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

// The one reader of dates and times given by people (the --as-of of validate and verify): strict,
// on std::chrono's calendar, so 2025-02-31 and 2025-02-29 are refused rather than rolled over.
//
// check_date: YYYY-MM-DD, a real calendar date; returns `text`. Throws core::Error(bad_input)
// naming `what` (the field or flag the text came from).
std::string check_date(const std::string& text, const std::string& what);

// parse_time: a moment as seconds since the epoch (UTC). Reads YYYY-MM-DD (midnight UTC) or
// YYYY-MM-DDThh:mm[:ss[.fraction]] followed by Z, +hh:mm, -hh:mm or nothing (UTC). Hours run
// 00-23 (24:00 is refused), seconds 00-59 (leap second 60 is refused: std::chrono's system clock
// has none), offsets up to 23:59. Throws core::Error(bad_input) naming `what`.
std::int64_t parse_time(const std::string& text, const std::string& what);

// The same reading as parse_time, nullopt instead of an error.
std::optional<std::int64_t> try_parse_time(const std::string& text);

}  // namespace galley::core
