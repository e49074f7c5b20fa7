#pragma once
// Helm charts as OCI artifacts (as `helm push` makes them): what chart_fetch.cpp reads and
// chart_mirror.cpp writes. Internal to deliver/.

namespace galley::deliver {

// The chart's Chart.yaml, as JSON, is the config blob.
inline constexpr const char* k_helm_config_type = "application/vnd.cncf.helm.config.v1+json";
// The chart archive (.tgz) is the one layer.
inline constexpr const char* k_helm_chart_layer = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";

}  // namespace galley::deliver
