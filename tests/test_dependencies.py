"""The lock files pin exactly what requirements*.txt allow, and the tools agree on their versions."""

import re
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent


def requirements(path):
    """Requirement lines of a requirements file, following ``-r`` includes."""
    found = []
    for line in (ROOT / path).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("-r "):
            found += requirements(line[3:].strip())
        elif not line.startswith("-"):
            found.append(Requirement(line))
    return found


def pins(path):
    """``{name: version}`` of a lock file (``name==version \\`` lines)."""
    pinned = {}
    for match in re.finditer(r"^([A-Za-z0-9_.\-\[\]]+)==([^\s;\\]+)", (ROOT / path).read_text(), re.MULTILINE):
        pinned[canonicalize_name(match.group(1).split("[")[0])] = match.group(2)
    return pinned


@pytest.mark.parametrize(
    ("source", "lock"), [("requirements.txt", "requirements.lock"), ("requirements-dev.txt", "requirements-dev.lock")]
)
def test_lock_file_pins_every_requirement_within_its_range(source, lock):
    pinned = pins(lock)
    problems = []
    for requirement in requirements(source):
        name = canonicalize_name(requirement.name)
        if name not in pinned:
            problems.append(f"{requirement.name} is not in {lock}")
        elif not requirement.specifier.contains(pinned[name], prereleases=True):
            problems.append(f"{lock} pins {requirement.name}=={pinned[name]}, outside {requirement.specifier}")
    assert not problems, "; ".join(problems) + " — run `make lock`."


def test_both_lock_files_pin_the_same_runtime_versions():
    runtime, dev = pins("requirements.lock"), pins("requirements-dev.lock")
    differing = {name: (version, dev.get(name)) for name, version in runtime.items() if dev.get(name) != version}
    assert not differing, f"requirements-dev.lock differs from requirements.lock: {differing} — run `make lock`."


def test_every_lock_line_carries_hashes():
    for lock in ("requirements.lock", "requirements-dev.lock"):
        text = (ROOT / lock).read_text()
        assert text.count("==") == len(re.findall(r"==[^\n]*\\\n\s+--hash=sha256:", text)), lock


def test_pre_commit_runs_the_ruff_version_of_the_dev_requirements():
    ruff = next(r for r in requirements("requirements-dev.txt") if r.name == "ruff")
    config = (ROOT / ".pre-commit-config.yaml").read_text()
    rev = re.search(r"ruff-pre-commit\s+rev: v([\d.]+)", config).group(1)
    assert str(ruff.specifier) == f"=={rev}"
