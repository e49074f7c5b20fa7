// Fuzz target: nvidia-smi -q -x output (pugixml).
#include "fuzz/harness.hpp"
#include "validate/validate.hpp"

void galley_fuzz_one(std::string_view input) { (void)galley::validate::parse_nvidia_smi(input, "nvidia-smi.xml"); }
