#pragma once
// What `galley serve` runs. The `galley` binary links no HTTP library (its start-up budget): its
// serve runs galley-serve, the same CLI with the server linked in, from the folder galley is in.
#include "cli/command.hpp"
#include "server/server.hpp"

namespace galley::cli {

using ServeFn = int (*)(const server::ServeOptions& options, Context& ctx);

// Makes `galley serve` call `serve` (galley-serve's main sets server::serve here).
void set_serve(ServeFn serve);

}  // namespace galley::cli
