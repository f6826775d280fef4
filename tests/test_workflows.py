"""The CI files and the pre-commit hooks call commands that exist, with options that exist."""

from __future__ import annotations

import re
import shlex

import pytest
from ruamel.yaml import YAML

from kaart.cli import build_parser

from .conftest import REPO

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
PINNED = re.compile(r"^[\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")


def load(path):
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))  # YAML 1.2: `on` stays a key


def kaart_commands(script: str) -> list[list[str]]:
    """Every `kaart ...` invocation in a shell script, up to a redirection or pipe."""
    commands = []
    for line in script.splitlines():
        for part in re.split(r"&&|\|\||;|\|", line):
            words = shlex.split(part.split(">")[0].strip()) if part.strip() else []
            if words and words[0] == "kaart":
                commands.append(words[1:])
    return commands


def steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def test_there_is_a_pull_request_and_a_pages_workflow():
    assert {p.name for p in WORKFLOWS} >= {"pull-request.yml", "pages.yml"}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_commands_exist_and_actions_are_pinned_to_a_commit(path):
    workflow = load(path)
    assert isinstance(workflow, dict) and workflow["jobs"]
    parser = build_parser()
    for step in steps(workflow):
        for args in kaart_commands(step.get("run", "")):
            parser.parse_args(args)  # exits (fails the test) on an unknown command or option
        if "uses" in step:
            line = next(line.strip() for line in path.read_text().splitlines() if step["uses"] in line)
            assert PINNED.match(line.removeprefix("- ").removeprefix("uses: ")), line


def test_a_pull_request_is_validated_with_annotations_built_and_uploaded():
    workflow = load(REPO / ".github" / "workflows" / "pull-request.yml")
    assert "pull_request" in workflow["on"]
    runs = [args for step in steps(workflow) for args in kaart_commands(step.get("run", ""))]
    assert ["validate", "--format", "github"] in runs
    assert ["build", "--output", "build"] in runs
    upload = next(s for s in steps(workflow) if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "build/"


def test_main_is_deployed_to_github_pages():
    workflow = load(REPO / ".github" / "workflows" / "pages.yml")
    assert workflow["on"]["push"]["branches"] == ["main"]
    deploy = workflow["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    uses = [s.get("uses", "").split("@")[0] for s in steps(workflow)]
    assert ["actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"] == \
        [u for u in uses if u.startswith(("actions/configure-pages", "actions/upload-pages", "actions/deploy-pages"))]


def test_pre_commit_hooks_call_existing_kaart_commands_on_factsheets():
    config = load(REPO / ".pre-commit-config.yaml")
    hooks = [hook for repo in config["repos"] if repo["repo"] == "local" for hook in repo["hooks"]]
    parser = build_parser()
    for hook in hooks:
        words = shlex.split(hook["entry"])
        assert words[0] == "kaart"
        parser.parse_args(words[1:])
    by_id = {hook["id"]: hook for hook in hooks}
    assert re.match(by_id["kaart-validate"]["files"], "initiatives/ibo.yaml")
    assert re.match(by_id["kaart-schema"]["files"], "schema/factsheet.schema.json")
    assert by_id["kaart-schema"]["pass_filenames"] is False
    assert any(hook["id"] == "ruff" for repo in config["repos"] for hook in repo["hooks"])


def test_pull_request_template_has_the_factsheet_checklist():
    text = (REPO / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    for item in ("Bronnen genoemd", "Geen persoonsgegevens", "`laatst_nagekeken`"):
        assert f"- [ ] **{item}" in text


def test_pull_request_checks_have_names_a_contributor_understands():
    workflow = load(REPO / ".github" / "workflows" / "pull-request.yml")
    jobs = workflow["jobs"]
    assert {job["name"] for job in jobs.values()} == {"Fiches in orde", "Technische tests"}
    factsheets = [step.get("run", "") for step in jobs["fiches"]["steps"]]
    assert any("kaart validate" in run for run in factsheets) and any("kaart build" in run for run in factsheets)
    assert any("kaart report" in run for run in factsheets) and any("kaart fmt" in run for run in factsheets)
    assert any(".ci/run" in step.get("run", "") for step in jobs["tests"]["steps"])


def test_formatting_reports_on_a_pull_request_but_never_fails_it():
    workflow = load(REPO / ".github" / "workflows" / "pull-request.yml")
    [step] = [s for s in steps(workflow) if any(args[:1] == ["fmt"] for args in kaart_commands(s.get("run", "")))]
    assert kaart_commands(step["run"]) == [["fmt", "--check", "--format", "github", "--summary", "$GITHUB_STEP_SUMMARY"]]
    assert step["continue-on-error"] is True
    assert step["if"] == "${{ !cancelled() }}", "reported even when validation failed"


def test_main_is_formatted_after_a_merge_and_committed_back_only_when_something_changed():
    workflow = load(REPO / ".github" / "workflows" / "pages.yml")
    assert workflow["permissions"] == {"contents": "read"}
    writers = {name for name, job in workflow["jobs"].items() if job.get("permissions", {}).get("contents") == "write"}
    assert writers == {"opmaak"}, "only the formatting job may push"
    job = workflow["jobs"]["opmaak"]
    assert "github.actor != 'github-actions[bot]'" in job["if"] and "refs/heads/main" in job["if"]
    runs = [step.get("run", "") for step in job["steps"]]
    assert ["fmt"] in [args for run in runs for args in kaart_commands(run)]
    commit = next(run for run in runs if "git commit" in run)
    assert commit.index("git diff --quiet -- initiatives organisations") < commit.index("exit 0") \
        < commit.index("git commit"), "nothing is committed when nothing changed"
    assert "[skip ci]" in commit and "git push" in commit
    checkout = next(step for step in job["steps"] if step.get("uses", "").startswith("actions/checkout@"))
    assert checkout.get("with", {}).get("persist-credentials", True) is True, "the push needs the token"
