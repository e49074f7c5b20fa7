#pragma once
// Recipes resolved from the embedded catalog for render tests, and helpers to look into bundles.
#include <filesystem>
#include <string>

#include "core/document.hpp"
#include "render/render.hpp"

namespace galley::test {

// The recipe for eks/h100/ubuntu/training and gke/gb200/cos/inference on Kubernetes 1.34.
core::Json h100();
core::Json gb200();

// The message of the core::Error render() throws for `r` with `o`; "" when it renders.
std::string error_of(const core::Json& r, const render::Options& o);

// The bundle folder of a component: "NN-name", NN its place in the deployment order.
std::string dir_of(const bundle::Bundle& b, const std::string& component);

// A path under the temporary folder, removed first.
std::filesystem::path fresh_dir(const std::string& name);

}  // namespace galley::test
