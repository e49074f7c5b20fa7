// Probes: for each requirement of a recipe's Kubernetes version, the objects that demonstrate it on
// the user's cluster with the recipe's own components. Each object carries the requirement label and
// an expectation annotation that evidence.cpp judges; a requirement the recipe has no component for
// is listed with why.
#include <algorithm>
#include <sstream>

#include "conformance/conformance.hpp"
#include "conformance/internal/probe_names.hpp"
#include "core/error.hpp"
#include "core/yaml_emit.hpp"
#include "resolver/recipe_view.hpp"

namespace galley::conformance {

using core::Json;

namespace {

constexpr const char* k_image = "nvcr.io/nvidia/cuda:12.8.0-base-ubuntu24.04";
constexpr const char* k_tools_image = "registry.k8s.io/e2e-test-images/agnhost:2.53";

Json meta(const std::string& id, const std::string& name, const std::string& expect) {
  return {{"name", name},
          {"namespace", k_namespace},
          {"labels", {{k_probe_label, id}, {"app.kubernetes.io/managed-by", "galley"}}},
          {"annotations", {{k_expect_annotation, expect}}}};
}

// A container that writes what it observed to the termination log and fails when `check` fails.
Json container(const std::string& image, const std::string& script, const Json& limits = Json::object()) {
  Json c = {{"name", "probe"},
            {"image", image},
            {"command", {"sh", "-c", script}},
            {"terminationMessagePolicy", "FallbackToLogsOnError"}};
  if (!limits.empty()) {
    c["resources"] = {{"limits", limits}};
  }
  return c;
}

Json pod(const std::string& id, const std::string& name, const std::string& expect, Json c, const Json& extra = Json::object()) {
  Json spec = {{"restartPolicy", "Never"}, {"containers", {std::move(c)}}};
  spec.update(extra);
  return {{"apiVersion", "v1"}, {"kind", "Pod"}, {"metadata", meta(id, name, expect)}, {"spec", spec}};
}

std::string gpu_count_script(int want) {
  return "n=$(nvidia-smi -L 2>/dev/null | grep -c '^GPU'); echo \"gpus=$n\" >/dev/termination-log; [ \"$n\" = " +
         std::to_string(want) + " ]";
}

struct Recipe {
  resolver::RecipeView view;
  const resolver::RecipeComponent* find(const std::string& name) const { return view.component(name); }
  std::string label(const resolver::RecipeComponent& c) const { return c.name + " " + c.version; }
};

const Json* at(const Json& v, std::initializer_list<const char*> path) {
  const Json* cur = &v;
  for (const char* k : path) {
    if (!cur->is_object() || !cur->contains(k)) {
      return nullptr;
    }
    cur = &(*cur)[k];
  }
  return cur;
}

void secure_accelerator_access(Probe& p, const Recipe& r) {
  const auto* gpu = r.find("gpu-operator");
  if (gpu == nullptr) {
    p.not_covered = "the recipe has no gpu-operator (device plugin) to mediate GPU access";
    return;
  }
  p.components = {r.label(*gpu)};
  p.what = "a pod granted one GPU sees exactly one; a pod granted none sees none";
  p.objects.push_back(pod(p.id, "gpu-one", "succeeded:gpus=1", container(k_image, gpu_count_script(1), {{"nvidia.com/gpu", 1}})));
  p.objects.push_back(pod(p.id, "gpu-none", "succeeded:gpus=0", container(k_image, gpu_count_script(0))));
}

void gang_scheduling(Probe& p, const Recipe& r) {
  const auto* kueue = r.find("kueue");
  const auto* kai = r.find("kai-scheduler");
  if (kueue == nullptr && kai == nullptr) {
    p.not_covered = "the recipe has no gang scheduler (Kueue or KAI Scheduler)";
    return;
  }
  Json tmpl = {{"metadata", {{"labels", {{k_probe_label, p.id}}}}},
               {"spec", {{"restartPolicy", "Never"},
                         {"containers", {container(k_image, gpu_count_script(1), {{"nvidia.com/gpu", 1}})}}}}};
  Json job = {{"apiVersion", "batch/v1"}, {"kind", "Job"}, {"metadata", meta(p.id, "gang", "complete:2")}};
  if (kai != nullptr) {
    p.components = {r.label(*kai)};
    p.what = "a two-pod GPU job through KAI Scheduler's pod grouper: both pods admitted together, or none";
    tmpl["spec"]["schedulerName"] = "kai-scheduler";
    job["metadata"]["labels"]["kai.scheduler/queue"] = "default-queue";
  } else {
    p.components = {r.label(*kueue)};
    p.what = "a two-pod GPU job admitted by Kueue as one workload: both pods admitted together, or none";
    job["metadata"]["labels"]["kueue.x-k8s.io/queue-name"] = "galley-conformance";
  }
  job["spec"] = {{"parallelism", 2}, {"completions", 2}, {"backoffLimit", 0}, {"template", tmpl}};
  p.objects.push_back(job);
}

void accelerator_metrics(Probe& p, const Recipe& r) {
  const auto* gpu = r.find("gpu-operator");
  const Json* on = gpu ? at(gpu->values, {"dcgmExporter", "enabled"}) : nullptr;
  if (gpu == nullptr || on == nullptr || *on != true) {
    p.not_covered = "the recipe's gpu-operator does not enable the DCGM exporter";
    return;
  }
  p.components = {r.label(*gpu) + " (dcgm-exporter)"};
  p.what = "the DCGM exporter endpoint serves per-GPU utilisation and memory";
  std::string url = "http://nvidia-dcgm-exporter." + gpu->ns + ".svc:9400/metrics";
  p.objects.push_back(pod(p.id, "dcgm-metrics", "succeeded",
                          container(k_tools_image, "m=$(wget -qO- " + url +
                                                       "); echo \"$m\" | grep -q '^DCGM_FI_DEV_GPU_UTIL' && echo \"$m\" | "
                                                       "grep -q '^DCGM_FI_DEV_FB_USED' && echo util,fb_used >/dev/termination-log")));
}

void ai_service_metrics(Probe& p, const Recipe& r) {
  const auto* prom = r.find("kube-prometheus-stack");
  if (prom == nullptr) {
    p.not_covered = "the recipe has no monitoring stack (kube-prometheus-stack)";
    return;
  }
  p.components = {r.label(*prom)};
  p.what = "Prometheus discovers and scrapes a workload's metrics through a ServiceMonitor";
  std::string q = "http://kube-prometheus-stack-prometheus." + prom->ns +
                  ".svc:9090/api/v1/query?query=up%7Bnamespace%3D%22" + k_namespace + "%22%7D";
  p.objects.push_back(pod(p.id, "scraped", "succeeded",
                          container(k_tools_image, "wget -qO- '" + q + "' | grep -q '\"value\":\\[[^]]*\"1\"\\]'")));
}

void pod_autoscaling(Probe& p, const Recipe& r) {
  const auto* adapter = r.find("prometheus-adapter");
  if (adapter == nullptr) {
    p.not_covered = "the recipe has no custom metrics adapter (prometheus-adapter) for an HPA on GPU metrics";
    return;
  }
  p.components = {r.label(*adapter)};
  p.what = "an HPA scales a GPU deployment on a custom GPU metric served by the adapter";
  Json labels = {{k_probe_label, p.id}, {"app", "gpu-hpa"}};
  p.objects.push_back({{"apiVersion", "apps/v1"},
                       {"kind", "Deployment"},
                       {"metadata", meta(p.id, "gpu-hpa", "available")},
                       {"spec", {{"replicas", 1},
                                 {"selector", {{"matchLabels", {{"app", "gpu-hpa"}}}}},
                                 {"template", {{"metadata", {{"labels", labels}}},
                                               {"spec", {{"containers", {container(k_image, "sleep infinity", {{"nvidia.com/gpu", 1}})}}}}}}}}});
  p.objects.push_back(
      {{"apiVersion", "autoscaling/v2"},
       {"kind", "HorizontalPodAutoscaler"},
       {"metadata", meta(p.id, "gpu-hpa", "hpa-active")},
       {"spec", {{"scaleTargetRef", {{"apiVersion", "apps/v1"}, {"kind", "Deployment"}, {"name", "gpu-hpa"}}},
                 {"minReplicas", 1},
                 {"maxReplicas", 2},
                 {"metrics", {{{"type", "Pods"},
                               {"pods", {{"metric", {{"name", "DCGM_FI_DEV_GPU_UTIL"}}},
                                         {"target", {{"type", "AverageValue"}, {"averageValue", "50"}}}}}}}}}}});
}

void cluster_autoscaling(Probe& p, const Recipe& r) {
  const auto* karpenter = r.find("karpenter");
  const auto* ca = r.find("cluster-autoscaler");
  if (karpenter == nullptr && ca == nullptr) {
    p.not_covered = "the recipe has no cluster autoscaler (Karpenter or Cluster Autoscaler): GPU node groups are fixed";
    return;
  }
  p.components = {r.label(karpenter ? *karpenter : *ca)};
  p.what = "a pod asking for more GPUs than are free is scheduled after the autoscaler adds a GPU node";
  p.objects.push_back(pod(p.id, "scale-up", "succeeded:gpus=8", container(k_image, gpu_count_script(8), {{"nvidia.com/gpu", 8}})));
}

void ai_inference(Probe& p, const Recipe& r) {
  const auto* gw = r.find("kgateway");
  if (gw == nullptr) {
    p.not_covered = "the recipe has no Gateway API implementation (kgateway)";
    return;
  }
  p.components = {r.label(*gw)};
  p.what = "a Gateway is programmed and an HTTPRoute with weighted backends and a header match is accepted";
  p.objects.push_back({{"apiVersion", "gateway.networking.k8s.io/v1"},
                       {"kind", "Gateway"},
                       {"metadata", meta(p.id, "inference", "condition:Programmed")},
                       {"spec", {{"gatewayClassName", "kgateway"},
                                 {"listeners", {{{"name", "http"}, {"protocol", "HTTP"}, {"port", 8080}}}}}}});
  Json backends = Json::array();
  for (const char* b : {"model-a", "model-b"}) {
    backends.push_back({{"name", b}, {"port", 8000}, {"weight", std::string(b) == "model-a" ? 90 : 10}});
    p.objects.push_back({{"apiVersion", "v1"},
                         {"kind", "Service"},
                         {"metadata", meta(p.id, b, "exists")},
                         {"spec", {{"selector", {{"app", b}}}, {"ports", {{{"port", 8000}}}}}}});
  }
  p.objects.push_back(
      {{"apiVersion", "gateway.networking.k8s.io/v1"},
       {"kind", "HTTPRoute"},
       {"metadata", meta(p.id, "inference", "parents-accepted")},
       {"spec", {{"parentRefs", {{{"name", "inference"}}}},
                 {"rules", {{{"matches", {{{"headers", {{{"name", "x-model"}, {"value", "llama"}}}}}}},
                             {"backendRefs", backends}}}}}}});
}

void advanced_inference_ingress(Probe& p, const Recipe& r) {
  const auto* gaie = r.find("gateway-api-inference-extension");
  if (gaie == nullptr) {
    p.not_covered = "the recipe has no Gateway API Inference Extension";
    return;
  }
  p.components = {r.label(*gaie)};
  p.what = "an InferencePool is accepted by the inference gateway";
  p.objects.push_back({{"apiVersion", "inference.networking.k8s.io/v1"},
                       {"kind", "InferencePool"},
                       {"metadata", meta(p.id, "pool", "parents-accepted")},
                       {"spec", {{"selector", {{"matchLabels", {{"app", "model-a"}}}}},
                                 {"targetPorts", {{{"number", 8000}}}},
                                 {"endpointPickerRef", {{"name", "pool-epp"}, {"port", {{"number", 9002}}}}}}}});
}

void robust_controller(Probe& p, const Recipe& r) {
  if (const auto* t = r.find("kubeflow-trainer")) {
    p.components = {r.label(*t)};
    p.what = "a TrainJob of the Kubeflow Trainer operator is admitted by its webhook and reconciled to completion";
    p.objects.push_back({{"apiVersion", "trainer.kubeflow.org/v1alpha1"},
                         {"kind", "TrainJob"},
                         {"metadata", meta(p.id, "trainjob", "condition:Complete")},
                         {"spec", {{"runtimeRef", {{"name", "torch-distributed"}}},
                                   {"trainer", {{"numNodes", 1}, {"command", {"python", "-c", "print('ok')"}}}}}}});
    return;
  }
  if (const auto* k = r.find("kserve")) {
    p.components = {r.label(*k)};
    p.what = "an InferenceService of the KServe operator is admitted by its webhook and reconciled to Ready";
    p.objects.push_back({{"apiVersion", "serving.kserve.io/v1beta1"},
                         {"kind", "InferenceService"},
                         {"metadata", meta(p.id, "isvc", "condition:Ready")},
                         {"spec", {{"predictor", {{"model", {{"modelFormat", {{"name", "sklearn"}}},
                                                             {"storageUri", "gs://kfserving-examples/models/sklearn/1.0/model"}}}}}}}});
    return;
  }
  p.not_covered = "the recipe has no AI operator with a CRD and webhook (Kubeflow Trainer, KServe)";
}

void workload_sandboxing(Probe& p, const Recipe& r) {
  const auto* kata = r.find("kata-deploy");
  if (kata == nullptr) {
    p.not_covered = "the recipe has no sandbox runtime (kata-deploy)";
    return;
  }
  p.components = {r.label(*kata)};
  p.what = "a pod runs under the Kata RuntimeClass, in its own guest kernel";
  p.objects.push_back(pod(p.id, "kata", "succeeded",
                          container(k_tools_image, "uname -r >/dev/termination-log"), {{"runtimeClassName", "kata-qemu"}}));
}

void gpu_sharing(Probe& p, const Recipe& r) {
  const auto* gpu = r.find("gpu-operator");
  const Json* mig = gpu ? at(gpu->values, {"migManager", "enabled"}) : nullptr;
  if (gpu == nullptr || mig == nullptr || *mig != true) {
    p.not_covered = "the recipe's gpu-operator enables neither MIG nor time-slicing";
    return;
  }
  p.components = {r.label(*gpu) + " (mig-manager)"};
  p.what = "a pod granted one GPU on a MIG-partitioned node sees a MIG device";
  p.objects.push_back(pod(p.id, "mig", "succeeded",
                          container(k_image, "nvidia-smi -L | grep -q MIG && echo mig >/dev/termination-log", {{"nvidia.com/gpu", 1}})));
}

void driver_runtime_management(Probe& p, const Recipe& r) {
  const auto* gpu = r.find("gpu-operator");
  const Json* version = gpu ? at(gpu->values, {"driver", "version"}) : nullptr;
  if (gpu == nullptr || version == nullptr || !version->is_string()) {
    p.not_covered = "the recipe's gpu-operator does not pin a driver version";
    return;
  }
  std::string v = version->get<std::string>();
  p.components = {r.label(*gpu) + " (driver " + v + ")"};
  p.what = "a GPU pod sees the driver version the recipe pins, installed by the GPU Operator";
  p.objects.push_back(pod(p.id, "driver", "succeeded:driver=" + v,
                          container(k_image,
                                    "d=$(nvidia-smi --query-gpu=driver_version --format=csv,noheader | head -1); echo "
                                    "\"driver=$d\" >/dev/termination-log; [ \"$d\" = " + v + " ]",
                                    {{"nvidia.com/gpu", 1}})));
}

void dra_support(Probe& p, const Recipe& r) {
  const auto* dra = r.find("nvidia-dra-driver-gpu");
  if (dra == nullptr) {
    p.not_covered = "the recipe has no DRA driver (nvidia-dra-driver-gpu)";
    return;
  }
  p.components = {r.label(*dra)};
  p.what = "a pod given one GPU through a ResourceClaimTemplate sees exactly one";
  Json request = {{"name", "gpu"}, {"exactly", {{"deviceClassName", "gpu.nvidia.com"}}}};
  Json claim_spec = {{"devices", {{"requests", Json::array({request})}}}};
  p.objects.push_back({{"apiVersion", "resource.k8s.io/v1"},
                       {"kind", "ResourceClaimTemplate"},
                       {"metadata", meta(p.id, "one-gpu", "exists")},
                       {"spec", {{"spec", claim_spec}}}});
  Json c = container(k_image, gpu_count_script(1));
  c["resources"] = {{"claims", {{{"name", "gpu"}}}}};
  p.objects.push_back(pod(p.id, "dra-gpu", "succeeded:gpus=1", c,
                          {{"resourceClaims", {{{"name", "gpu"}, {"resourceClaimTemplateName", "one-gpu"}}}}}));
}

// A non-empty string at `path` of a component's values.
bool has_text(const resolver::RecipeComponent* c, std::initializer_list<const char*> path) {
  const Json* v = c ? at(c->values, path) : nullptr;
  return v != nullptr && v->is_string() && !v->get<std::string>().empty();
}

void virtualized_accelerator(Probe& p, const Recipe& r) {
  const auto* gpu = r.find("gpu-operator");
  if (gpu == nullptr) {
    p.not_covered = "the recipe has no NVIDIA GPU Operator, the component that would run a vGPU guest driver";
    return;
  }
  if (!has_text(gpu, {"driver", "licensingConfig", "secretName"}) && !has_text(gpu, {"driver", "licensingConfig", "configMapName"})) {
    const Json* host = at(gpu->values, {"vgpuManager", "enabled"});
    p.not_covered = host != nullptr && *host == true
                        ? "the recipe's gpu-operator runs the vGPU manager, which hands vGPUs to virtual machines (KubeVirt); the "
                          "recipe has no component that runs them"
                        : "the recipe's gpu-operator runs no licensed vGPU guest driver (driver.licensingConfig): its GPUs are whole "
                          "devices, shared by MIG or time-slicing (gpu_sharing)";
    return;
  }
  p.components = {r.label(*gpu) + " (vGPU guest driver, licensed)"};
  p.what = "a pod granted one GPU through the device plugin, as a physical GPU is granted, sees a vGPU (nvidia-smi "
           "Virtualization Mode VGPU); not through DRA: the recipe's vGPUs are device-plugin resources";
  p.objects.push_back(pod(p.id, "vgpu", "succeeded:virtualization=VGPU",
                          container(k_image,
                                    "m=$(nvidia-smi -q | sed -n 's/^ *Virtualization Mode *: *//p' | head -1); echo "
                                    "\"virtualization=$m\" >/dev/termination-log; [ \"$m\" = VGPU ]",
                                    {{"nvidia.com/gpu", 1}})));
}

// Counts the pod's RDMA devices and, with `net1`, checks the secondary interface; reports both.
std::string rdma_script(bool net1) {
  std::string script = "n=$(ls /sys/class/infiniband 2>/dev/null | wc -l); ";
  if (net1) {
    script += "i=$(test -e /sys/class/net/net1 && echo net1 || echo none); echo \"rdma_devices=$n,secondary=$i\" "
              ">/dev/termination-log; [ \"$n\" -ge 1 ] && [ \"$i\" = net1 ]";
  } else {
    script += "echo \"rdma_devices=$n\" >/dev/termination-log; [ \"$n\" -ge 1 ]";
  }
  return script;
}

void high_performance_networking(Probe& p, const Recipe& r) {
  constexpr const char* k_no_dra = "; not through DRA: the catalog has no DRA network driver (DRANET)";
  if (const auto* net = r.find("network-operator")) {
    p.components = {r.label(*net)};
    p.what = std::string("a GPU pod given an RDMA device by the Network Operator's RDMA shared device plugin "
                         "(rdma/rdma_shared_device_a, the operator's sample NicClusterPolicy: rename it to your fabric's) "
                         "and a second interface through Multus (NetworkAttachmentDefinition galley-rdma, whereabouts IPAM) "
                         "sees both") + k_no_dra;
    std::string config = R"({"cniVersion":"1.0.0","name":"galley-rdma","type":"macvlan","mode":"bridge",)"
                         R"("ipam":{"type":"whereabouts","range":"192.168.240.0/24"}})";
    p.objects.push_back({{"apiVersion", "k8s.cni.cncf.io/v1"},
                         {"kind", "NetworkAttachmentDefinition"},
                         {"metadata", meta(p.id, "galley-rdma", "exists")},
                         {"spec", {{"config", config}}}});
    Json c = container(k_image, rdma_script(true), {{"nvidia.com/gpu", 1}, {"rdma/rdma_shared_device_a", 1}});
    c["securityContext"] = {{"capabilities", {{"add", {"IPC_LOCK"}}}}};
    Json rdma = pod(p.id, "rdma", "succeeded", c);
    rdma["metadata"]["annotations"]["k8s.v1.cni.cncf.io/networks"] = "galley-rdma";
    p.objects.push_back(rdma);
    return;
  }
  if (const auto* efa = r.find("aws-efa-k8s-device-plugin")) {
    p.components = {r.label(*efa)};
    p.what = std::string("a GPU pod given an Elastic Fabric Adapter (vpc.amazonaws.com/efa, advertised per node by the "
                         "device plugin) sees its RDMA device") + k_no_dra;
    Json c = container(k_image, rdma_script(false), {{"nvidia.com/gpu", 1}, {"vpc.amazonaws.com/efa", 1}});
    c["securityContext"] = {{"capabilities", {{"add", {"IPC_LOCK"}}}}};
    p.objects.push_back(pod(p.id, "efa", "succeeded", c));
    return;
  }
  p.not_covered = "the recipe has no high-performance network component (NVIDIA Network Operator, AWS EFA device plugin, "
                  "or a DRA network driver): pods get the cluster network only";
}

constexpr const char* k_model = "Qwen/Qwen3-0.6B";

// One llm-d vLLM worker (the labels llm-d-modelservice gives its pods): prefill or decode, ready when vLLM
// serves, its KV cache moved between the two over NIXL.
Json llmd_worker(const std::string& id, const std::string& role) {
  Json labels = {{k_probe_label, id}, {"llm-d.ai/inference-serving", "true"}, {"llm-d.ai/role", role}, {"app", "llm-d-" + role}};
  Json c = container("ghcr.io/llm-d/llm-d-cuda:v0.4.0", "", {{"nvidia.com/gpu", 1}});
  c.erase("terminationMessagePolicy");
  c["command"] = {"vllm", "serve", k_model, "--port", "8000",
                  "--kv-transfer-config", R"({"kv_connector":"NixlConnector","kv_role":"kv_both"})"};
  c["env"] = {{{"name", "VLLM_NIXL_SIDE_CHANNEL_HOST"}, {"valueFrom", {{"fieldRef", {{"fieldPath", "status.podIP"}}}}}}};
  c["ports"] = {{{"containerPort", 8000}, {"name", "http"}}};
  c["readinessProbe"] = {{"httpGet", {{"path", "/health"}, {"port", 8000}}}, {"periodSeconds", 10}};
  return {{"apiVersion", "apps/v1"},
          {"kind", "Deployment"},
          {"metadata", meta(id, "llm-d-" + role, "available")},
          {"spec", {{"replicas", 1},
                    {"selector", {{"matchLabels", {{"app", "llm-d-" + role}}}}},
                    {"template", {{"metadata", {{"labels", labels}}}, {"spec", {{"containers", {c}}}}}}}}};
}

// One Dynamo service of a disaggregated vLLM graph.
Json dynamo_service(const std::string& image, const std::string& type, const std::string& sub, Json args) {
  Json main = {{"image", image}};
  Json svc = {{"componentType", type}, {"replicas", 1}};
  if (!sub.empty()) {
    svc["subComponentType"] = sub;
    svc["resources"] = {{"limits", {{"gpu", "1"}}}};
    main["workingDir"] = "/workspace/examples/backends/vllm";
    main["command"] = {"python3", "-m", "dynamo.vllm"};
    main["args"] = std::move(args);
  }
  svc["extraPodSpec"] = {{"mainContainer", main}};
  return svc;
}

void disaggregated_inference(Probe& p, const Recipe& r) {
  if (const auto* dynamo = r.find("dynamo-platform")) {
    p.components = {r.label(*dynamo)};
    p.what = "a DynamoGraphDeployment with separate vLLM prefill and decode workers (one GPU each) and a frontend is "
             "reconciled by the Dynamo operator to Ready";
    std::string image = "nvcr.io/nvidia/ai-dynamo/vllm-runtime:" +
                        (dynamo->version.starts_with("v") ? dynamo->version.substr(1) : dynamo->version);
    Json services = {{"Frontend", dynamo_service(image, "frontend", "", Json::array())},
                     {"VllmDecodeWorker", dynamo_service(image, "worker", "decode", {"--model", k_model})},
                     {"VllmPrefillWorker", dynamo_service(image, "worker", "prefill", {"--model", k_model, "--is-prefill-worker"})}};
    p.objects.push_back({{"apiVersion", "nvidia.com/v1alpha1"},
                         {"kind", "DynamoGraphDeployment"},
                         {"metadata", meta(p.id, "disagg", "condition:Ready")},
                         {"spec", {{"backendFramework", "vllm"}, {"services", services}}}});
    return;
  }
  const auto* infra = r.find("llm-d-infra");
  const auto* ms = r.find("llm-d-modelservice");
  if (infra != nullptr || ms != nullptr) {
    for (const auto* c : {infra, ms}) {
      if (c != nullptr) {
        p.components.push_back(r.label(*c));
      }
    }
    p.what = "llm-d prefill and decode vLLM workers (separate Deployments, one GPU each, labelled llm-d.ai/role as "
             "llm-d-modelservice labels them, KV cache over NIXL) are both available, serving";
    p.objects.push_back(llmd_worker(p.id, "prefill"));
    p.objects.push_back(llmd_worker(p.id, "decode"));
    return;
  }
  p.not_covered = "the recipe has no disaggregated serving platform (NVIDIA Dynamo or llm-d)";
}

using Builder = void (*)(Probe&, const Recipe&);
const std::map<std::string, Builder>& builders() {
  static const std::map<std::string, Builder> table = {
      {"secure_accelerator_access", secure_accelerator_access},
      {"gang_scheduling", gang_scheduling},
      {"accelerator_metrics", accelerator_metrics},
      {"ai_service_metrics", ai_service_metrics},
      {"pod_autoscaling", pod_autoscaling},
      {"cluster_autoscaling", cluster_autoscaling},
      {"ai_inference", ai_inference},
      {"advanced_inference_ingress", advanced_inference_ingress},
      {"robust_controller", robust_controller},
      {"workload_sandboxing", workload_sandboxing},
      {"gpu_sharing", gpu_sharing},
      {"driver_runtime_management", driver_runtime_management},
      {"dra_support", dra_support},
      {"virtualized_accelerator", virtualized_accelerator},
      {"high_performance_networking", high_performance_networking},
      {"disaggregated_inference", disaggregated_inference},
  };
  return table;
}

// The kubectl command line that saves every probe object, for the README.
std::string saved_results_command(const std::vector<Probe>& probes) {
  for (const auto& p : probes) {
    if (!p.objects.empty()) {
      return core::join(kubectl_command(probes, KubectlOptions{}), " ");
    }
  }
  return "# (no probe objects for this recipe)";
}

}  // namespace

std::string recipe_version(const core::Json& recipe) {
  const Json* k = at(recipe, {"spec", "criteria", "kubernetes"});
  if (k == nullptr || !k->is_string()) {
    throw core::Error(core::Exit::bad_input, core::Where{"recipe", 0, "spec.criteria.kubernetes"},
                      "the recipe names no Kubernetes version; give the checklist version");
  }
  std::string v = k->get<std::string>();
  v = v.starts_with("v") ? v.substr(1) : v;
  size_t first = v.find('.');
  size_t second = first == std::string::npos ? std::string::npos : v.find_first_not_of("0123456789", first + 1);
  return "v" + v.substr(0, second);
}

std::vector<Probe> make_probes(const core::Json& recipe, const std::string& version) {
  const Checklist& list = checklist(version.empty() ? recipe_version(recipe) : version);
  Recipe r{resolver::read_recipe_view(recipe)};
  std::vector<Probe> out;
  for (const auto& req : list.requirements) {
    Probe p{req.id, req.level, test_name(req.id), {}, "", {}, ""};
    auto it = builders().find(req.id);
    if (it == builders().end()) {
      p.not_covered = "Galley has no probe for " + req.id + " yet; give manual evidence";
    } else {
      it->second(p, r);
    }
    out.push_back(std::move(p));
  }
  return out;
}

std::map<std::string, std::string> probe_files(const std::vector<Probe>& probes, const std::string& version,
                                               const core::Json& recipe) {
  std::map<std::string, std::string> files;
  std::ostringstream readme;
  readme << "# AI Conformance probes (" << version << ")\n\nRecipe `" << recipe["metadata"]["name"].get<std::string>()
         << "` (" << recipe["metadata"]["digest"].get<std::string>() << ").\n\n"
         << "Apply them in namespace `" << k_namespace << "`:\n\n```\nkubectl create namespace " << k_namespace
         << "\nkubectl apply -f <this folder>\n```\n\nWhen they have run, judge them live (`galley conformance evidence` reads "
         << "them with kubectl), or save what they did and judge it elsewhere:\n\n```\n"
         << "galley conformance evidence --recipe recipe.yaml -o evidence\n" << saved_results_command(probes)
         << " > results.json\ngalley conformance evidence --recipe recipe.yaml --results results.json -o evidence\n```\n\n"
         << "| requirement | level | test | provided by | what it shows |\n| --- | --- | --- | --- | --- |\n";
  Json index = Json::array();
  for (const auto& p : probes) {
    readme << "| " << p.id << " | " << p.level << " | " << p.test << " | "
           << (p.components.empty() ? "-" : core::join(p.components)) << " | "
           << (p.objects.empty() ? "not covered: " + p.not_covered : p.what) << " |\n";
    Json entry = {{"id", p.id}, {"level", p.level}, {"test", p.test}, {"components", p.components}};
    if (p.objects.empty()) {
      entry["notCovered"] = p.not_covered;
      index.push_back(entry);
      continue;
    }
    entry["what"] = p.what;
    entry["file"] = p.id + ".yaml";
    index.push_back(entry);
    std::string text;
    for (const auto& o : p.objects) {
      text += "---\n" + core::to_yaml(o);
    }
    files[p.id + ".yaml"] = text;
  }
  files["README.md"] = readme.str();
  Json doc = {{"apiVersion", "galley.dev/v1alpha1"},
              {"kind", "ConformanceProbes"},
              {"metadata", {{"name", recipe["metadata"]["name"]}}},
              {"spec", {{"kubernetesVersion", version}, {"recipeDigest", recipe["metadata"]["digest"]}, {"probes", index}}}};
  files["probes.yaml"] = core::to_yaml(doc);
  return files;
}

}  // namespace galley::conformance
