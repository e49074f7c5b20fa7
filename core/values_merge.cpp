#include "core/values_merge.hpp"

namespace galley::core {

namespace {

void report_leaves(const Json& value, std::vector<std::string>& keys, const MergeObserver& observer) {
  if (value.is_object() && !value.empty()) {
    for (const auto& [k, v] : value.items()) {
      keys.push_back(k);
      report_leaves(v, keys, observer);
      keys.pop_back();
    }
    return;
  }
  observer(keys, value);
}

void merge_into(Json& target, const Json& src, std::vector<std::string>& keys, const MergeObserver& observer) {
  for (const auto& [key, value] : src.items()) {
    keys.push_back(key);
    if (value.is_null()) {
      target.erase(key);
      if (observer) {
        observer(keys, value);
      }
    } else if (value.is_object() && target.contains(key) && target[key].is_object()) {
      merge_into(target[key], value, keys, observer);
    } else {
      target[key] = value;
      if (observer) {
        report_leaves(value, keys, observer);
      }
    }
    keys.pop_back();
  }
}

}  // namespace

void merge_values(Json& target, const Json& src, const MergeObserver& observer) {
  if (target.is_null()) {
    target = Json::object();
  }
  std::vector<std::string> keys;
  merge_into(target, src, keys, observer);
}

}  // namespace galley::core
