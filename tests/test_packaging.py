"""Packaging files agree: pyproject.toml (the one dependency list), environment.yml (its conda
mirror), requirements/*.lock (its exact versions, `make lock`) and the pre-commit pins."""

import re
import tomllib

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from dgm import paths

PYPROJECT = tomllib.loads((paths.ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = PYPROJECT["project"]
EXTRAS = PROJECT["optional-dependencies"]
LOCKS = paths.ROOT / "requirements"
PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s;\\]+)")


def _requirements(lines) -> dict[str, Requirement]:
    reqs = [Requirement(line) for line in lines]
    return {canonicalize_name(r.name): r for r in reqs}


def _pins(name: str) -> dict[str, set[str]]:
    """Package → pinned versions of a lock file (two when a marker splits a package)."""
    pins: dict[str, set[str]] = {}
    for line in (LOCKS / name).read_text(encoding="utf-8").splitlines():
        if match := PIN.match(line):
            pins.setdefault(canonicalize_name(match[1]), set()).add(match[2])
    return pins


def _declared(*extras: str) -> dict[str, Requirement]:
    lines = list(PROJECT["dependencies"])
    for extra in extras:
        lines += EXTRAS[extra]
    return _requirements(lines)


def test_environment_yml_mirrors_pyproject_with_the_same_bounds():
    env = yaml.safe_load((paths.ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda, pip = [], []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip += [line for line in dep["pip"] if line != "-e ."]
        elif dep != "pip" and not dep.startswith("python="):
            conda.append(dep)
    mirrored = {name: str(r.specifier) for name, r in _requirements(conda + pip).items()}
    # every extra but peers (statsforecast has its own environment: `make peers`)
    mine = [extra for extra in EXTRAS if extra != "peers"]
    declared = {name: str(r.specifier) for name, r in _declared(*mine).items()}
    assert mirrored == declared
    assert (
        f"python={PROJECT['requires-python'].split(',')[0].removeprefix('>=')}"
        in env["dependencies"]
    )


@pytest.mark.parametrize(
    ("lock", "extras"),
    [
        ("dev.lock", ("test", "dev")),
        ("lab.lock", ("test", "dev", "lab")),
        ("peers.lock", ("test", "dev", "peers")),
    ],
)
def test_lock_pins_every_declared_requirement_within_its_bounds(lock, extras):
    pins = _pins(lock)
    build = _requirements(PYPROJECT["build-system"]["requires"])
    for name, req in (_declared(*extras) | build).items():
        assert name in pins, f"{name} is not in requirements/{lock}: run make lock"
        for version in pins[name]:
            assert req.specifier.contains(version), f"{lock} pins {name}=={version}, not {req}"


def test_lab_lock_adds_to_the_dev_lock_without_changing_a_version():
    dev, lab = _pins("dev.lock"), _pins("lab.lock")
    assert {name: dev[name] for name in dev} == {name: lab.get(name) for name in dev}
    assert {"jupyterlab", "ipywidgets", "voila"} <= set(lab) - set(dev)


def test_peers_lock_adds_statsforecast_to_the_dev_lock_and_the_readme_locks_stay_without():
    dev, lab, peers = _pins("dev.lock"), _pins("lab.lock"), _pins("peers.lock")
    assert {name: dev[name] for name in dev} == {name: peers.get(name) for name in dev}
    assert {"statsforecast", "numba", "pyarrow"} <= set(peers) - set(dev)
    assert not {"statsforecast", "numba", "pyarrow"} & (set(dev) | set(lab))


@pytest.mark.parametrize("lock", ["dev.lock", "lab.lock", "peers.lock"])
def test_lock_is_hashed_and_for_python_311_only(lock):
    text = (LOCKS / lock).read_text(encoding="utf-8")
    blocks = re.findall(r"^[A-Za-z0-9._-]+==.*?(?=^\S|\Z)", text, flags=re.M | re.S)
    assert len(blocks) == sum(len(v) for v in _pins(lock).values()) > 100
    for block in blocks:
        assert "--hash=sha256:" in block, f"no hash: {block.splitlines()[0]}"
        assert "python_full_version >= '3.12'" not in block, "pyproject's [tool.uv] environments"


def test_pre_commit_pins_equal_the_lock():
    config = yaml.safe_load((paths.ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    pins = _pins("dev.lock")
    seen = set()
    for repo in config["repos"]:
        for hook in repo["hooks"]:
            for dep in hook.get("additional_dependencies", []):
                name, version = dep.split("==")
                assert pins[canonicalize_name(name)] == {version}, dep
                seen.add(name)
    assert seen == {"ruff", "nbstripout"}


def test_py_typed_ships_with_the_package():
    assert "py.typed" in PYPROJECT["tool"]["setuptools"]["package-data"]["dgm"]
    assert (paths.ROOT / "dgm" / "py.typed").is_file()
