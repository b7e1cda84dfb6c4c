// What `npm run scan` decides about one target (a stack or the module's scan root), from what it
// has read: the resources the configuration declares, the resources Terraform plans, and Checkov's
// JSON report on that plan (terraform_plan) and on the configuration (terraform_json; terraform for HCL). Pure,
// so a unit test can show every way the gate fails without Checkov. CommonJS, so both jest (which
// loads no ES modules here) and scripts/scan.mjs load it.
//
// Why counts and not only Checkov's verdict: Checkov reports a file it cannot read as a parsing
// error and passes (the stacks' `moved` blocks did that, with 0 checks run), and a file it does not
// recognise as a plan as nothing at all — 0 resources, 0 parsing errors, exit 0. Why the
// configuration too: a plan leaves a value Terraform knows only after apply out (a role policy
// naming the table's ARN), and Checkov passes every check on what is not there; in the
// configuration the same policy is a document with references, which Checkov does check.
"use strict";

const { join } = require("node:path");

/**
 * Terraform's address of a module or resource without its instance keys (`[0]`, `["a.b"]`): the
 * block it was planned from. Keys are matched whole, so a for_each key holding `]` or `.` stays out.
 * @param {string} address
 * @returns {string}
 */
function blockAddress(address) {
  return address.replace(/\[(?:\d+|"(?:[^"\\]|\\.)*")\]/g, "");
}

/**
 * The resource blocks a Terraform JSON configuration declares, as `<type>.<name>` at the root and
 * `module.<call>.<type>.<name>` in the modules it calls (read through `readConfig`, local sources
 * only: everything scanned is on this disk). A block with `count` or `for_each` is one entry.
 * @param {string} dir the configuration's folder
 * @param {(dir: string) => any} readConfig the configuration of a folder (its Terraform JSON)
 * @param {string} [prefix] the module path of `dir`, ending in `.`
 * @returns {string[]}
 */
function declaredResources(dir, readConfig, prefix = "") {
  const config = readConfig(dir);
  const own = Object.entries(config.resource ?? {}).flatMap(([type, blocks]) =>
    Object.keys(blocks).map((name) => `${prefix}${type}.${name}`),
  );
  const called = Object.entries(config.module ?? {}).flatMap(([name, call]) => {
    if (!/^\.\.?\//.test(call.source))
      throw new Error(`module "${prefix}module.${name}" comes from ${call.source}: the scan reads local modules only`);
    return declaredResources(join(dir, call.source), readConfig, `${prefix}module.${name}.`);
  });
  return [...own, ...called];
}

/**
 * The managed resource instances a `terraform show -json` plan creates or keeps (its resource_changes
 * less deletions and data sources), by address.
 * @param {any} plan
 * @returns {string[]}
 */
function plannedResources(plan) {
  return (plan.resource_changes ?? [])
    .filter((change) => change.mode === "managed" && !change.change.actions.includes("delete"))
    .map((change) => change.address);
}

/**
 * The policy documents the configuration writes (`policy`, `assume_role_policy`) that a plan leaves
 * unknown until apply: Checkov reads them as absent in the plan, and in the configuration they are
 * strings with references, which only its string-reading checks (CKV_AWS_62, CKV_AWS_63) parse.
 * What the scan cannot fully check. (A bucket's or a queue's own `policy` is computed, not written.)
 * @param {any} plan a `terraform show -json` plan, with its configuration
 * @returns {string[]}
 */
function policiesKnownAfterApply(plan) {
  const written = new Map();
  const walk = (module, prefix) => {
    for (const resource of module?.resources ?? []) written.set(`${prefix}${resource.address}`, Object.keys(resource.expressions ?? {}));
    for (const [name, call] of Object.entries(module?.module_calls ?? {})) walk(call.module, `${prefix}module.${name}.`);
  };
  walk(plan.configuration?.root_module, "");
  return (plan.resource_changes ?? []).flatMap((change) =>
    (written.get(blockAddress(change.address)) ?? [])
      .filter((attribute) => /^(assume_role_)?policy$/.test(attribute) && change.change.after_unknown?.[attribute] === true)
      .map((attribute) => `${change.address}.${attribute}`),
  );
}

/**
 * Checkov's `-o json` output, whatever its shape: a list of reports (one per framework), one report
 * (`{ check_type, results, summary }`), or only a summary (what it prints when it found nothing to
 * check), as totals, the failed checks, and the files each framework ran checks on.
 * @param {any} output
 */
function checkovTotals(output) {
  const reports = (Array.isArray(output) ? output : [output]).map((report) =>
    report.summary ? report : { check_type: undefined, results: {}, summary: report },
  );
  const sum = (key, of = reports) => of.reduce((total, report) => total + (report.summary[key] ?? 0), 0);
  const ofType = (...types) => reports.filter((report) => types.includes(report.check_type));
  const checkedFiles = (...types) =>
    new Set(
      ofType(...types).flatMap((report) =>
        [...(report.results.passed_checks ?? []), ...(report.results.failed_checks ?? [])].map((check) => check.file_path),
      ),
    );
  return {
    passed: sum("passed"),
    failed: sum("failed"),
    skipped: sum("skipped"),
    parsingErrors: sum("parsing_errors"),
    unparsedFiles: reports.flatMap((report) => report.results.parsing_errors ?? []),
    // Checkov counts the resources of plans only (its terraform_json runner reports 0).
    resources: sum("resource_count", ofType("terraform_plan")),
    plan: { passed: sum("passed", ofType("terraform_plan")), failed: sum("failed", ofType("terraform_plan")) },
    // The configuration: the stacks' JSON (terraform_json) and the released module's HCL (terraform).
    configuration: {
      passed: sum("passed", ofType("terraform_json", "terraform")),
      failed: sum("failed", ofType("terraform_json", "terraform")),
    },
    configurationFilesChecked: checkedFiles("terraform_json", "terraform"),
    failures: reports.flatMap((report) =>
      (report.results.failed_checks ?? []).map((check) => ({
        id: check.check_id,
        name: check.check_name,
        resource: check.resource,
        file: check.file_path,
      })),
    ),
  };
}

/**
 * Whether an accepted finding covers a failed check: the same check on one of its resource blocks,
 * named from the module that declares it (so `aws_iam_role_policy.processor_vpc` covers it in a stack
 * and in every instance of the module).
 * @param {{ id: string, resource: string }} failure
 * @param {{ check: string, resources: string[] }} finding
 */
function covers(failure, finding) {
  const block = blockAddress(failure.resource);
  return failure.id === finding.check && finding.resources.some((resource) => block === resource || block.endsWith(`.${resource}`));
}

/**
 * Whether a target passes the scan, and why not. A target fails when Checkov could not parse a file,
 * or ran no check on one of the configuration's files (`configurationFiles`, as Checkov names them);
 * when a declared block has no planned instance (its resources would go unchecked) or the plan holds
 * one the configuration does not declare (the count is wrong); when Checkov checked fewer resources
 * than the plan has; and on a failed check that no accepted finding covers, unless the skip list
 * names it and was not applied (the run without it, for the report). When the skip list was applied,
 * a failure it names means Checkov ignored it, which fails too.
 * @param {{ name: string, declared: string[], planned: string[], configurationFiles?: string[], checkov: any, skipList: string[],
 *   skipsApplied: boolean, accepted?: { check: string, resources: string[], reason: string }[] }} target
 */
function scanVerdict({ name, declared, planned, configurationFiles = [], checkov, skipList, skipsApplied, accepted = [] }) {
  const totals = checkovTotals(checkov);
  const problems = [];
  if (totals.parsingErrors > 0) {
    const files = totals.unparsedFiles.length > 0 ? `: ${totals.unparsedFiles.join(", ")}` : "";
    problems.push(`Checkov could not parse ${totals.parsingErrors} file(s)${files}`);
  }
  const unchecked = configurationFiles.filter((file) => !totals.configurationFilesChecked.has(file));
  if (unchecked.length > 0) problems.push(`Checkov ran no check on ${unchecked.join(", ")}`);
  const plannedBlocks = new Set(planned.map(blockAddress));
  const unplanned = declared.filter((block) => !plannedBlocks.has(block));
  if (unplanned.length > 0)
    problems.push(`no planned instance of ${unplanned.length} declared resource(s), left unchecked: ${unplanned.join(", ")}`);
  const declaredBlocks = new Set(declared);
  const undeclared = [...plannedBlocks].filter((block) => !declaredBlocks.has(block));
  if (undeclared.length > 0) problems.push(`planned resources the configuration was not read to declare: ${undeclared.join(", ")}`);
  if (totals.resources < planned.length) problems.push(`Checkov checked ${totals.resources} of the ${planned.length} planned resources`);

  const skip = new Set(skipList);
  // Each failure with the reason it is accepted for, or whether the skip list names it.
  const failures = totals.failures.map((failure) => ({
    ...failure,
    acceptedFor: accepted.find((finding) => covers(failure, finding))?.reason,
    skipListed: skip.has(failure.id),
  }));
  const acceptedFailures = failures.filter((failure) => failure.acceptedFor !== undefined);
  const listed = failures.filter((failure) => failure.acceptedFor === undefined && failure.skipListed);
  // From the summary's count, so a failure the report does not itemize fails too.
  const failing = totals.failed - acceptedFailures.length - (skipsApplied ? 0 : listed.length);
  if (failing > 0) problems.push(`${failing} failed check(s)`);
  const ignoredSkips = skipsApplied ? [...new Set(listed.map((failure) => failure.id))] : [];
  if (ignoredSkips.length > 0) problems.push(`Checkov ran checks the skip list skips (${ignoredSkips.join(", ")}): it was not applied`);
  return {
    name,
    declared: declared.length,
    planned: planned.length,
    ...totals,
    configurationFilesChecked: [...totals.configurationFilesChecked],
    failures,
    accepted: acceptedFailures.length,
    problems,
    passes: problems.length === 0,
  };
}

module.exports = { blockAddress, declaredResources, plannedResources, policiesKnownAfterApply, checkovTotals, scanVerdict };
