// Fuzz target: OCI references (oci://HOST/REPO:TAG|@DIGEST) and the name matchers behind them.
#include <string>

#include "deliver/deliver.hpp"
#include "fuzz/harness.hpp"

void galley_fuzz_one(std::string_view input) {
  galley::deliver::parse_reference(std::string(input));
  galley::deliver::parse_reference("oci://" + std::string(input));
}
