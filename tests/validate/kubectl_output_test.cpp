#include <catch2/catch.hpp>

#include <sstream>

#include "core/error.hpp"
#include "core/files.hpp"
#include "core/schema.hpp"
#include "validate_fixtures.hpp"
#include "validate/validate.hpp"

namespace v = galley::validate;
using namespace galley::validate_test;

TEST_CASE("kubectl nodes keep labels, taints, GPU allocatable and node info; annotations are dropped", "[validate][snapshot]") {
  Json nodes = v::parse_kubectl_nodes(fixture("eks-cluster/nodes.json"), "nodes.json");
  REQUIRE(nodes.size() == 3);
  CHECK(nodes[0]["allocatable"] == Json({{"nvidia.com/gpu", "8"}}));
  CHECK(nodes[0]["taints"][0]["effect"] == "NoSchedule");
  CHECK(nodes[0]["kernelVersion"] == "6.8.0-1024-aws");
  CHECK(nodes[2]["allocatable"].empty());
  CHECK(!nodes[0].contains("annotations"));
}

TEST_CASE("kubectl output of the wrong shape is refused", "[validate][snapshot][bad]") {
  CHECK_THROWS_WITH(v::parse_kubectl_nodes("{\"kind\": \"PodList\", \"items\": []}", "pods.json"),
                    "pods.json: not the output of `kubectl get nodes -o json`: expected kind List or NodeList with "
                    "items, found kind PodList");
  CHECK_THROWS_WITH(v::parse_kubectl_version("{\"clientVersion\": {}}", "v.json"),
                    "v.json: not the output of `kubectl version -o json`: no serverVersion.gitVersion (was the "
                    "cluster reachable when it ran?)");
  CHECK_THROWS_WITH(v::parse_kubectl_nodes("{\"kind\": \"List\", \"items\": [", "cut.json"),
                    Catch::StartsWith("cut.json:1: invalid JSON: syntax error"));
}

TEST_CASE("helm releases split chart name and version", "[validate][snapshot]") {
  Json items = v::parse_helm_releases(fixture("eks-cluster/releases.json"), "releases.json");
  CHECK(items[0]["chart"] == "cert-manager");
  CHECK(items[0]["version"] == "v1.17.2");
  CHECK(items[2]["name"] == "ingress-nginx");  // sorted by namespace, then name
  CHECK(items[2]["version"] == "4.12.1");
}

TEST_CASE("kubectl objects get a readiness per kind; CRD schemas and pod templates are dropped", "[validate][snapshot]") {
  Json objects = v::parse_kubectl_objects(fixture("eks-cluster/objects.json"), "objects.json");
  REQUIRE(objects.size() == 5);
  CHECK(objects[0] == Json({{"kind", "APIService"}, {"name", "v1beta1.custom.metrics.k8s.io"}, {"ready", false}}));
  CHECK(objects[1] == Json({{"kind", "CustomResourceDefinition"}, {"name", "clusterpolicies.nvidia.com"}, {"ready", true}}));
  CHECK(objects[2]["kind"] == "DaemonSet");
  CHECK(objects[2]["ready"] == true);
  CHECK(objects[3] == Json({{"kind", "Deployment"}, {"name", "cert-manager"}, {"namespace", "cert-manager"}, {"ready", true}}));
  CHECK(objects[4]["ready"] == false);  // gpu-operator: 0 of 1 ready
  CHECK_THROWS_WITH(v::parse_kubectl_objects("{\"kind\": \"Deployment\"}", "o.json"),
                    "o.json: not the output of `kubectl get deployments,daemonsets,statefulsets,"
                    "customresourcedefinitions,apiservices -A -o json`: expected a List with items, found kind Deployment");
}

TEST_CASE("feature gates come from the API server's kubernetes_feature_enabled samples", "[validate][snapshot]") {
  Json gates = v::parse_feature_gates(fixture("eks-cluster/metrics.txt"), "metrics.txt");
  CHECK(gates == Json({{"DynamicResourceAllocation", false}, {"InPlacePodVerticalScaling", true}, {"SidecarContainers", true}}));
  CHECK_THROWS_WITH(v::parse_feature_gates("apiserver_request_total 3\n", "m.txt"),
                    "m.txt: not the API server's metrics (`kubectl get --raw /metrics`): no kubernetes_feature_enabled samples");
  CHECK_THROWS_WITH(v::parse_feature_gates("# x\nkubernetes_feature_enabled{name=\"A\"} 2\n", "m.txt"),
                    "m.txt:2: unparseable kubernetes_feature_enabled sample: value \"2\" is neither 0 nor 1");
}

TEST_CASE("DRA ResourceSlices keep driver, pool and device count; node names are hashed", "[validate][snapshot][privacy]") {
  Json slices = v::parse_resource_slices(fixture("eks-cluster/resourceslices.json"), "rs.json");
  CHECK(slices == Json::array({{{"driver", "gpu.nvidia.com"}, {"devices", 8}, {"nodeName", "ip-10-0-1-17.ec2.internal"},
                                {"pool", "ip-10-0-1-17.ec2.internal"}}}));
  Json c = cluster_snapshot();
  const Json& slice = c["spec"]["cluster"]["resourceSlices"]["items"][0];
  CHECK(slice["nodeName"] == v::pseudonym("ip-10-0-1-17.ec2.internal", "galley-snapshot-v1"));
  CHECK(slice["pool"] == slice["nodeName"]);
  CHECK(c["spec"]["cluster"]["nodes"][0]["name"] == slice["nodeName"]);  // the same node, the same pseudonym
}

TEST_CASE("kubectl pods give each container's image and the digest it runs, init containers too", "[validate][snapshot]") {
  std::string text = R"({"apiVersion": "v1", "kind": "List", "items": [
    {"metadata": {"name": "b", "namespace": "ns", "managedFields": [1]},
     "status": {"containerStatuses": [{"name": "main", "image": "r.io/x:1", "imageID": "r.io/x@sha256:aa"}]}},
    {"metadata": {"name": "a", "namespace": "ns"},
     "status": {"initContainerStatuses": [{"name": "init", "image": "r.io/i:2", "imageID": "r.io/i@sha256:bb"}],
                "containerStatuses": [{"name": "c", "image": "r.io/y:3", "imageID": ""}]}},
    {"metadata": {"name": "pending", "namespace": "ns"}, "status": {}}]})";
  Json pods = v::parse_kubectl_pods(text, "pods.json");
  REQUIRE(pods.size() == 3);
  CHECK(pods[0]["name"] == "a");  // sorted by namespace and name
  CHECK(pods[0]["containers"] == Json::parse(R"([{"name": "init", "image": "r.io/i:2", "imageID": "r.io/i@sha256:bb"},
                                               {"name": "c", "image": "r.io/y:3", "imageID": ""}])"));
  CHECK(pods[1]["name"] == "b");
  CHECK(pods[2]["containers"].empty());
  CHECK_THROWS_WITH(v::parse_kubectl_pods(R"({"kind": "List", "items": [{"status": {}}]})", "p.json"),
                    Catch::Contains("not the output of `kubectl get pods -A -o json`: item 0 has no metadata.name"));
}
