"""The README's commands and snippets run as written, and its docs point nowhere outside.

Every fenced block of README.md has a language. The sh, bash, python and sql blocks run
here, in a folder that looks like this one after `make demo` (the demo database as
`marketing_kpis.duckdb`, `.venv`), unless the line before the block says what else it
needs: `<!-- readme-test: skip (needs PostgreSQL) -->`. yaml blocks must parse. The demo
database is a copy of the test build of `make dbt-test` when it is newer than the models,
macros and seeds, else a build of its own (about a minute).

Links of README.md, DECISIONLOG.md, CHANGELOG.md, BENCHMARKS.md and docs/*.md resolve to
files of the repository (and to headings, for anchors); none leaves it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
import yaml

from tools.tests.conftest import PROJECT_DIR, DbtProject

README = PROJECT_DIR / "README.md"
TEST_DATABASE = PROJECT_DIR / "target" / "test" / "marketing_kpis_test.duckdb"
RUN = {"sh", "bash", "python", "sql"}
SKIP = re.compile(r"^\s*<!--\s*readme-test:\s*skip\s*\((?P<reason>[^)]+)\)\s*-->\s*$")
FENCE = re.compile(r"^(?P<indent>\s*)```(?P<lang>\S*)\s*$")
DOCS = [PROJECT_DIR / n for n in ("README.md", "DECISIONLOG.md", "CHANGELOG.md",
                                  "BENCHMARKS.md")] + sorted((PROJECT_DIR / "docs").glob("*.md"))
LINK = re.compile(r"\]\(([^)\s]+)\)")


@dataclass
class Block:
    line: int
    lang: str
    code: str
    skip: str | None

    @property
    def id(self) -> str:
        return f"{self.lang}-line-{self.line}"


def readme_blocks() -> list[Block]:
    lines = README.read_text(encoding="utf-8").split("\n")
    blocks, number = [], 0
    while number < len(lines):
        fence = FENCE.match(lines[number])
        if not fence:
            number += 1
            continue
        end = next(i for i in range(number + 1, len(lines))
                   if lines[i].strip() == "```")
        indent = len(fence["indent"])
        code = "\n".join(line[indent:] for line in lines[number + 1:end]) + "\n"
        skip = SKIP.match(lines[number - 1]) if number else None
        blocks.append(Block(number + 1, fence["lang"], code, skip and skip["reason"]))
        number = end + 1
    return blocks


def _runnable() -> list[Block]:
    return [b for b in readme_blocks() if b.lang in RUN and not b.skip]


def _fresh(database: Path) -> bool:
    if not database.exists():
        return False
    sources = [p for folder in ("models", "macros", "seeds")
               for p in (PROJECT_DIR / folder).rglob("*") if p.suffix in {".sql", ".yml", ".csv"}]
    return database.stat().st_mtime > max(p.stat().st_mtime for p in sources)


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory) -> Path:
    """A folder like this one after `make demo`: marketing_kpis.duckdb and .venv."""
    folder = tmp_path_factory.mktemp("readme")
    if _fresh(TEST_DATABASE):
        shutil.copy(TEST_DATABASE, folder / "marketing_kpis.duckdb")
    else:
        build = DbtProject(tmp_path_factory.mktemp("readme_build"))
        build.run("build", "--exclude-resource-type", "unit_test", check=True)
        shutil.copy(build.database, folder / "marketing_kpis.duckdb")
    (folder / ".venv").symlink_to(Path(sys.executable).parent.parent)
    (folder / "tools").symlink_to(PROJECT_DIR / "tools")  # python -m tools.report, as here
    return folder


def test_every_block_has_a_language_and_runs_or_says_what_it_needs():
    blocks = readme_blocks()
    assert all(b.lang for b in blocks), [b.line for b in blocks if not b.lang]
    assert len(_runnable()) >= 4, "the README's queries are no longer run"


def test_yaml_blocks_parse():
    for block in readme_blocks():
        if block.lang == "yaml":
            assert yaml.safe_load(block.code), block.line


@pytest.mark.parametrize("block", _runnable(), ids=lambda b: b.id)
def test_readme_block_runs_as_written(block: Block, demo_folder: Path):
    if block.lang == "sql":
        with duckdb.connect(str(demo_folder / "marketing_kpis.duckdb"), read_only=True) as con:
            assert con.execute(block.code).fetchall(), f"line {block.line}: no rows"
        return
    command = ([sys.executable, "-c", block.code] if block.lang == "python"
               else ["bash", "-euo", "pipefail", "-c", block.code])
    done = subprocess.run(command, cwd=demo_folder, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, f"README line {block.line}:\n{done.stdout}\n{done.stderr}"
    assert done.stdout.strip(), f"README line {block.line} printed nothing"


def _slug(heading: str) -> str:
    """GitHub's anchor of a heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    return {_slug(m) for m in re.findall(r"^#+ (.+)$", path.read_text(encoding="utf-8"),
                                         flags=re.M)}


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.relative_to(PROJECT_DIR).as_posix())
def test_links_resolve_inside_the_repository(doc: Path):
    text = doc.read_text(encoding="utf-8")
    assert "../shared" not in text, f"{doc.name} points to ../shared, outside the repository"
    for target in LINK.findall(text):
        assert not re.match(r"[a-z]+:", target), f"{doc.name}: link out of the repository {target}"
        path, _, anchor = target.partition("#")
        resolved = (doc.parent / path).resolve() if path else doc
        assert resolved.is_relative_to(PROJECT_DIR), f"{doc.name}: {target} leaves the repository"
        assert resolved.exists(), f"{doc.name}: {target} does not exist"
        if anchor and resolved.suffix == ".md":
            assert anchor in _anchors(resolved), f"{doc.name}: no heading for {target}"
