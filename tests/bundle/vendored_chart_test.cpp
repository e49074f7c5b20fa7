#include "bundle/vendored_chart.hpp"

#include <catch2/catch.hpp>

using namespace galley;

TEST_CASE("a chart's OCI place: an OCI chart's own reference, a classic chart under host/path/chart", "[bundle][charts]") {
  CHECK(bundle::chart_oci_path("oci://registry.k8s.io/kueue/charts/kueue", "kueue") == "registry.k8s.io/kueue/charts/kueue");
  CHECK(bundle::chart_oci_path("oci://ghcr.io/x/y/", "y") == "ghcr.io/x/y");
  CHECK(bundle::chart_oci_path("https://charts.jetstack.io", "cert-manager") == "charts.jetstack.io/cert-manager");
  CHECK(bundle::chart_oci_path("https://kyverno.github.io/kyverno/", "kyverno") == "kyverno.github.io/kyverno/kyverno");
  // OCI names are lowercase and hold no ':'.
  CHECK(bundle::chart_oci_path("https://NVIDIA.github.io/topograph", "topograph") == "nvidia.github.io/topograph/topograph");
  CHECK(bundle::chart_oci_path("http://127.0.0.1:8080/repo", "demo") == "127.0.0.1_8080/repo/demo");
  CHECK(bundle::vendored_chart_folder(bundle::ChartSource{"c", "demo", "https://x", "0.1.0", "", ""}) == "charts/demo-0.1.0");
}
