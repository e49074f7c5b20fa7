#pragma once
// Helm-style sets ("a.b[0].c=value") with Helm's typing of values. Internal to render/.
#include <string>

#include "core/document.hpp"
#include "core/error.hpp"

namespace galley::render {

// The value as `helm --set` types it: integers, booleans, null, {a,b} lists, else a string.
core::Json parse_set_value(const std::string& text);

// Sets `value` at the Helm path `path` inside `values` (creating maps and lists as needed).
// `defaults` is the chart's values.yaml: a path whose shape conflicts with it (a map where the
// chart has a scalar, a scalar where it has a map or list, a boolean where it has no boolean) is
// refused. Throws core::Error(bad_input) naming `what` (the set as given).
void apply_set(core::Json& values, const std::string& path, const core::Json& value, const core::Json& defaults,
               const core::OptionField& what);

}  // namespace galley::render
