#include <catch2/catch.hpp>

#include <cstdlib>
#include <sstream>

#include "cli/command.hpp"

namespace {
struct Result {
  int rc;
  std::string out;
  std::string err;
};
// Runs galley in process; `terminal`: standard error is a terminal.
Result run(std::vector<std::string> args, bool terminal = false) {
  std::ostringstream out;
  std::ostringstream err;
  galley::cli::Io io{out, err, terminal};
  int rc = galley::cli::run(args, io);
  return {rc, out.str(), err.str()};
}
}  // namespace

TEST_CASE("recipe prints a Recipe on stdout and nothing on stderr with --log-level error", "[cli]") {
  auto r = run({"recipe", "--service", "eks", "--accelerator", "h100", "--os", "ubuntu", "--intent", "training",
                "--platform", "kubeflow", "--kubernetes", "1.34", "--log-level", "error"});
  CHECK(r.rc == 0);
  CHECK(r.out.find("kind: Recipe\n") != std::string::npos);
  CHECK(r.err.empty());
}

TEST_CASE("an advisory that changed nothing is recorded in the recipe but not warned about", "[cli]") {
  // Karpenter 1.14.1 is chosen: excluding 1.11.0 did not shape the recipe (blackbox
  // advisory_warns_only_when_it_changed_the_choice covers the warning when it does).
  auto r = run({"recipe", "--service", "eks", "--intent", "training", "--kubernetes", "1.34"});
  CHECK(r.rc == 0);
  CHECK(r.out.find("name: karpenter-1-11-0-cpu-regression") != std::string::npos);
  CHECK(r.err.find("advisory karpenter-1-11-0-cpu-regression") == std::string::npos);
}

TEST_CASE("json output parses as the same recipe", "[cli]") {
  auto y = run({"query", "--selector", "digest", "--service", "gke", "--intent", "inference", "--kubernetes", "1.34"});
  auto j = run({"recipe", "--service", "gke", "--intent", "inference", "--kubernetes", "1.34", "--format", "json"});
  REQUIRE(j.rc == 0);
  CHECK(j.out.find("\"digest\": \"" + y.out.substr(0, y.out.size() - 1) + "\"") != std::string::npos);
}

TEST_CASE("usage errors exit 2 and help exits 0", "[cli]") {
  CHECK(run({}).rc == 2);
  CHECK(run({"nope"}).rc == 2);
  CHECK(run({"recipe"}).rc == 2);
  auto help = run({"--help"});
  CHECK(help.rc == 0);
  CHECK(help.out.find("4  unsatisfiable constraints") != std::string::npos);
  CHECK(run({"recipe", "--help"}).out.find("Examples:") != std::string::npos);
}

TEST_CASE("errors print one galley: error line and the documented code", "[cli]") {
  auto r = run({"recipe", "--service", "ekz"});
  CHECK(r.rc == 2);
  CHECK(r.err == "galley: error: criteria: service: unknown value \"ekz\"; allowed: eks, gke, aks, oke, kind, ocp, generic; "
                 "did you mean \"eks\"?\n");
  CHECK(r.out.empty());
}

TEST_CASE("explain answers for versions with the reasons higher ones lost", "[cli]") {
  auto r = run({"explain", "components.karpenter.version", "--service", "eks", "--kubernetes", "1.34"});
  CHECK(r.rc == 0);
  CHECK(r.out.find("components.karpenter.version = \"1.14.1\"") != std::string::npos);
}

TEST_CASE("a library names an option by its field; the CLI spells it as the running command's flag", "[cli]") {
  auto query = run({"query", "--selector", "a..b", "--service", "eks", "--accelerator", "h100", "--os", "ubuntu",
                    "--intent", "training", "--platform", "kubeflow", "--kubernetes", "1.34", "--log-level", "error"});
  CHECK(query.rc == 2);
  CHECK(query.err.starts_with("galley: error: --selector: \"a..b\": "));
  // explain takes the path as an argument, not as --selector: the field stays as the library named it.
  auto explain = run({"explain", "a..b", "--service", "eks", "--accelerator", "h100", "--os", "ubuntu", "--intent",
                      "training", "--platform", "kubeflow", "--kubernetes", "1.34", "--log-level", "error"});
  CHECK(explain.rc == 2);
  CHECK(explain.err.starts_with("galley: error: selector: \"a..b\": "));
}

TEST_CASE("a mistyped command or flag is answered with the closest one, exit 2", "[cli]") {
  auto command = run({"receipe"});
  CHECK(command.rc == 2);
  CHECK(command.err == "galley: error: unknown command \"receipe\"; did you mean \"recipe\"?\n");
  auto flag = run({"recipe", "--acelerator", "h100"});
  CHECK(flag.rc == 2);
  CHECK(flag.err.find("did you mean --accelerator?") != std::string::npos);
  auto help = run({"help", "bundel"});
  CHECK(help.rc == 2);
  CHECK(help.err.find("did you mean \"bundle\"?") != std::string::npos);
  CHECK(run({"help", "bundle"}).rc == 0);
}

TEST_CASE("errors are red on a terminal unless NO_COLOR or --no-color", "[cli]") {
  ::unsetenv("NO_COLOR");
  ::unsetenv("GALLEY_NO_COLOR");
  CHECK(run({"receipe"}, true).err.starts_with("galley: \033[1;31merror:"));
  CHECK(run({"--no-color", "receipe"}, true).err.starts_with("galley: error:"));
  ::setenv("NO_COLOR", "1", 1);
  CHECK(run({"receipe"}, true).err.starts_with("galley: error:"));
  ::setenv("NO_COLOR", "", 1);  // empty: as if unset (no-color.org)
  CHECK(run({"receipe"}, true).err.starts_with("galley: \033[1;31merror:"));
  ::unsetenv("NO_COLOR");
}

TEST_CASE("-o FORMAT is refused with a hint at --format", "[cli]") {
  auto r = run({"recipe", "--service", "eks", "--intent", "training", "--kubernetes", "1.34", "-o", "json"});
  CHECK(r.rc == 2);
  CHECK(r.err.find("did you mean --format json?") != std::string::npos);
}
