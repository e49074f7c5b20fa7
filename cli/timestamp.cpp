// galley timestamp: RFC 3161 timestamps for an air-gapped signer (query out, response in).
#include "attest/attest.hpp"
#include "cli/common.hpp"
#include "core/error.hpp"
#include "core/files.hpp"

namespace galley::cli {

namespace {
struct TimestampOptions {
  std::string dir;
  std::string query_out;
  std::string response;
  bool force = false;
};

int run_timestamp(const TimestampOptions& o, Context& ctx) {
  if (o.query_out.empty() == o.response.empty()) {
    throw core::Error(core::Exit::bad_input, "give exactly one of --query-out FILE and --response FILE");
  }
  if (o.query_out == "-") {
    throw core::Error(core::Exit::bad_input, "--query-out names a file to write (the query is binary DER)");
  }
  if (!o.query_out.empty()) {
    write_output(ctx, o.query_out, attest::timestamp_query(o.dir), {}, o.force);  // DER TimeStampReq, atomic
    ctx.io.out << "wrote " << o.query_out << ": send it to a TSA (application/timestamp-query), then run\n"
               << "  galley timestamp " << o.dir << " --response RESPONSE.tsr\n";
    return 0;
  }
  attest::attach_timestamp(o.dir, core::read_file(o.response, 1u << 20), o.response);  // checked, written atomically
  ctx.io.out << "attached the timestamp in " << o.response << " to " << o.dir << "\n";
  return 0;
}
}  // namespace

void add_timestamp(CLI::App& app, Run& run) {
  auto [sub, opts] = add_command<TimestampOptions>(app, "timestamp", "RFC 3161 timestamp a signed bundle out of band (air-gapped)",
      R"(Examples:
  galley timestamp out/helm --query-out sig.tsq     # on the air-gapped machine
  curl -H 'Content-Type: application/timestamp-query' --data-binary @sig.tsq TSA_URL -o sig.tsr
  galley timestamp out/helm --response sig.tsr      # checks it covers the signature, then attaches it)");
  sub->add_option("dir", opts->dir, "the signed bundle folder")->required()->option_text("DIR");
  sub->add_option("--query-out", opts->query_out, "write the DER TimeStampReq here")->option_text("FILE");
  sub->add_option("--response", opts->response, "attach this DER TimeStampResp")->option_text("FILE");
  sub->add_flag("--force", opts->force, "replace an existing --query-out FILE");
  run = [opts](Context& ctx) { return run_timestamp(*opts, ctx); };
}

}  // namespace galley::cli
