"""environment.yml (conda) and pyproject.toml (pip) describe the same environment."""

import re
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]

# conda-forge names that differ from the PyPI names.
CONDA_TO_PIP = {"pytorch": "torch"}


def _pip_pins():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        requirements += extra
    pins = {}
    for requirement in requirements:
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([A-Za-z0-9_.+\-]+)", requirement)
        assert match, f"pyproject.toml: {requirement!r} is not pinned exactly (name==version)"
        pins[match[1].lower()] = match[2]
    return pins


def _conda_pins():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pins = {}
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            for line in dep["pip"]:
                if line.startswith("-e"):
                    continue
                name, _, version = line.partition("==")
                assert version, f"environment.yml pip section: {line!r} is not pinned exactly"
                pins[name.lower()] = version
            continue
        if dep == "pip" or dep.startswith("python="):
            continue
        name, _, version = dep.partition("=")
        assert version, f"environment.yml: {dep!r} is not pinned"
        pins[CONDA_TO_PIP.get(name.lower(), name.lower())] = version
    return pins


def test_every_pin_is_exact():
    assert _pip_pins(), "pyproject.toml lists no dependency"


def test_environment_yml_matches_pyproject():
    pip, conda = _pip_pins(), _conda_pins()
    assert sorted(set(pip) - set(conda)) == [], "in pyproject.toml but not in environment.yml"
    assert sorted(set(conda) - set(pip)) == [], "in environment.yml but not in pyproject.toml"
    differ = {name: (pip[name], conda[name]) for name in pip if pip[name] != conda[name]}
    assert differ == {}, f"versions differ (pyproject, environment.yml): {differ}"


def test_environment_yml_installs_the_kit():
    text = (ROOT / "environment.yml").read_text()
    assert re.search(r"^\s*- -e \.\s*$", text, re.M), "environment.yml must install the kit (-e .)"


@pytest.mark.parametrize("name", ["torch", "xgboost-cpu"])
def test_heavy_packages_are_cpu_wheels_from_pip(name):
    # A conda 'pytorch'/'xgboost' entry would pull gigabytes of CUDA packages.
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert any(line.startswith(f"{name}==") for line in pip_section)


def test_installed_versions_match_the_pins():
    from importlib.metadata import version

    mismatched = {n: (v, version(n)) for n, v in _pip_pins().items() if version(n).split("+")[0] != v}
    assert mismatched == {}, f"installed versions differ from the pins: {mismatched}"
