#pragma once
// The kubelet's osImage read as an os-release ID: shared by criteria inference and the os.id check.
#include <string>

namespace galley::validate {

// "Ubuntu 24.04.3 LTS" -> "ubuntu", "Amazon Linux 2023.6.20250107" -> "amzn", "Container-Optimized
// OS from Google" -> "cos", "Red Hat Enterprise Linux CoreOS ..." -> "rhcos"; "" when unknown. Throws nothing.
std::string os_id_of_image(const std::string& image);

}  // namespace galley::validate
