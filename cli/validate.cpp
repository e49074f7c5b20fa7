// galley validate: check snapshots against a recipe; exit 0 only when every check passed.
#include "cli/common.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "validate/validate.hpp"

namespace galley::cli {

namespace {
struct ValidateCliOptions {
  std::string recipe;
  std::string snapshot;
  std::string as_of;
  std::vector<std::string> allow;
  std::string output = "-";
  bool force = false;
  Format format = Format::table;
  validate::Scope scope = validate::Scope::all;
  validate::TableOptions table;
};

// The report format of a --format word (validate's formats are a subset of the shared list).
validate::ReportFormat report_format(Format format) {
  switch (format) {
    case Format::json:
      return validate::ReportFormat::json;
    case Format::junit:
      return validate::ReportFormat::junit;
    case Format::ctrf:
      return validate::ReportFormat::ctrf;
    default:
      return validate::ReportFormat::table;
  }
}

// What an existing -o FILE must hold to be replaced without --force: a report of the same format.
OutputKind output_kind(Format format) {
  switch (format) {
    case Format::json:
      return {"Report", ""};
    case Format::junit:
      return {"", "<testsuites name=\"galley validate "};
    case Format::ctrf:
      return {"", "\"name\": \"galley\""};
    default:
      return {"", "\nverdict: "};
  }
}

int run_validate(const ValidateCliOptions& o, Context& ctx) {
  std::int64_t now = core::now_epoch();
  validate::ValidateOptions options;
  options.as_of = o.as_of.empty() ? core::iso_date(now) : core::check_date(o.as_of, "--as-of");
  options.allow = o.allow.empty() ? validate::AllowCouldNotVerify::no : validate::AllowCouldNotVerify::yes;
  options.scope = o.scope;
  auto plan = validate::read_plan(o.recipe);  // digest, schema, constraint ranges
  core::Json report;
  {
    Progress progress(ctx);  // cleared before the report is printed
    options.progress = progress.callback();
    report = validate::validate_snapshots(plan, o.snapshot, options);
  }
  std::string text = validate::format_report(report, report_format(o.format), now * 1000, o.table);
  bool to_terminal = o.format == Format::table && (o.output.empty() || o.output == "-") && ctx.io.width > 0;
  if (to_terminal && fit_width(text, ctx.io.width) != text) {  // rows wider than the terminal: a block per check
    validate::TableOptions blocks = o.table;
    blocks.blocks = true;
    text = fit_width(validate::format_report(report, report_format(o.format), now * 1000, blocks), ctx.io.width);
  }
  write_output(ctx, o.output, text, output_kind(o.format), o.force);
  return validate::report_exit(report);
}
}  // namespace

void add_validate(CLI::App& app, Run& run) {
  auto [sub, opts] = add_command<ValidateCliOptions>(app, "validate", "check snapshots against a recipe (exit 1 when a check fails)",
      R"(Each check is pass, fail, not-applicable or could-not-verify (data absent, permission denied,
unparseable). could-not-verify fails the run unless --allow could-not-verify. Exit 0: every
check passed; 1: a check failed; 2: bad input (recipe, snapshot, range, date, format).
Examples:
  galley validate --recipe recipe.yaml --snapshot node.yaml --scope node
  galley validate --recipe recipe.yaml --snapshot fleet/ --format junit -o report.xml
  galley validate --recipe recipe.yaml --snapshot cluster.json --as-of 2027-07-01 --format ctrf
  galley validate --recipe recipe.yaml --snapshot node.yaml --only fail,could-not-verify
The table groups checks by status (fail first) and, on a terminal, is cut to its width; the JSON
report holds every check in full.)");
  sub->add_option("--recipe", opts->recipe, "the Recipe file")->required()->option_text("FILE");
  sub->add_option("--snapshot", opts->snapshot, "a Snapshot file, or a folder of them")->required()
      ->option_text("FILE|DIR");
  sub->add_option("--as-of", opts->as_of, "judge dated advisories on this day (default: today, or SOURCE_DATE_EPOCH)")
      ->option_text("YYYY-MM-DD");
  one_of(sub->add_option("--allow", opts->allow, "let could-not-verify results pass"), {"could-not-verify"});
  add_choice<validate::Scope>(*sub, "--scope", opts->scope,
      {{"node", validate::Scope::node}, {"cluster", validate::Scope::cluster}, {"all", validate::Scope::all}},
      "node (OS, CPU, GPUs, driver), cluster (Kubernetes, components, health, advisories) or all (default)");
  add_format_flag(*sub, opts->format, {Format::table, Format::json, Format::junit, Format::ctrf}, "report format");
  one_of(sub->add_option("--only", opts->table.only,
                         "the table shows only checks with these statuses (comma-separated); totals and exit code "
                         "still count every check")
             ->delimiter(','),
         validate::status_order());
  sub->add_option("-o,--output", opts->output, "file to write, or - for stdout (default)")->option_text("FILE");
  sub->add_flag("--force", opts->force, "replace an existing -o FILE that is not a report of this format");
  run = [opts](Context& ctx) { return run_validate(*opts, ctx); };
}

}  // namespace galley::cli
