#pragma once
// The two halves of a snapshot, collected from the machine (collect_node.cpp, collect_cluster.cpp);
// internal to validate/.
#include "core/document.hpp"
#include "validate/validate.hpp"

namespace galley::validate {

// The node part of a snapshot: /etc and /proc under options.root, tools when root is "/".
core::Json collect_node(const CollectOptions& options);

// Every file collect_node reads under a root other than "/" (logical paths such as "/proc/meminfo"),
// in the order it reads them: what a capture must copy.
std::vector<std::string> node_files();

// The cluster part: from the files in `options`, else kubectl and helm when a kubeconfig exists.
core::Json collect_cluster(const CollectOptions& options);

}  // namespace galley::validate
