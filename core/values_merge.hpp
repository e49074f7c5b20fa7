#pragma once
// The one deep merge of Helm values, used for catalog overlays and for values given to a bundle.
// The rule is Helm's (`helm -f a.yaml -f b.yaml`): maps merge key by key, an empty map changes
// nothing, a null deletes the key, lists and scalars are replaced whole.
#include <functional>
#include <string>
#include <vector>

#include "core/document.hpp"

namespace galley::core {

// Told about every value a merge sets or deletes: `keys` is its path below the merge's root,
// `value` what it now holds (null: deleted). A map is reported as its leaves; an empty map that is
// new where it lands is reported as itself.
using MergeObserver = std::function<void(const std::vector<std::string>& keys, const Json& value)>;

// Merges `src` into `target` (both maps; `target` becomes one if it is null) by the rule above,
// telling `observer`, when given, about each value set or deleted, in `src`'s key order.
// Throws nothing.
void merge_values(Json& target, const Json& src, const MergeObserver& observer = {});

}  // namespace galley::core
