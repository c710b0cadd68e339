"""One word list (issue 26): every word dgm writes in Chinese and English lives in dgm.words.

A zh/en pair in code is a literal that puts Chinese beside English: a tuple or list holding a
string with Chinese characters and a string with Latin letters and none; a dict entry whose key
and value are such a pair; or a call of dgm.lang.pick whose first two arguments are a Chinese and
a plain string literal (`pick("目标", "Goal", lang)`). Sentences built around numbers (f-strings) are not
literals and stay beside their logic. The scan walks dgm/**/*.py and fails on a pair outside
dgm/words.py, except where ALLOWED says why.
"""

import ast
import re

import pytest

from dgm import paths, words
from dgm.constants import EVIDENCE_TIERS, STATUSES
from dgm.data.coverage import LETTER
from dgm.data.schemas import PERIODS

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")  # Han characters, simplified and traditional
LATIN = re.compile(r"[A-Za-z]")
WORDS_MODULE = "dgm/words.py"
ALLOWED = {  # (file, top-level name holding the pair) → why it is not vocabulary
    (
        "dgm/data/numbers.py",
        "_to_unit",
    ): "the parser's unit suffixes (%, 百分点, yuan, 元) it reads",
    ("dgm/data/importer.py", "EXAMPLE_OBSERVATION"): "a real example row of the import template",
    ("dgm/data/importer.py", "EXAMPLE_SOURCE"): "the source of that example row",
    (
        "dgm/data/importer.py",
        "INSTRUCTIONS",
    ): "English instructions quoting how sources write figures",
}


def _text(node) -> str | None:
    """The value of a string literal, None for anything else."""
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _zh(s: str | None) -> bool:
    return s is not None and bool(CJK.search(s))


def _en(s: str | None) -> bool:
    return s is not None and not CJK.search(s) and bool(LATIN.search(s))


def _is_pair(node) -> bool:
    """Whether an AST node is a zh/en literal pair (see the module docstring)."""
    if isinstance(node, ast.Tuple | ast.List):
        texts = [_text(e) for e in node.elts]
        return any(map(_zh, texts)) and any(map(_en, texts))
    if isinstance(node, ast.Dict):
        for k, v in zip(node.keys, node.values, strict=True):
            a, b = (_text(k) if k is not None else None), _text(v)
            if (_zh(a) and _en(b)) or (_en(a) and _zh(b)):
                return True
    func = getattr(node, "func", None)
    if isinstance(func, ast.Name) and func.id == "pick" and len(node.args) >= 2:
        a, b = _text(node.args[0]), _text(node.args[1])
        return _zh(a) and b is not None and not _zh(b)
    return False


def zh_en_pairs(source: str) -> list[tuple[str, int]]:
    """(top-level name, line) of every zh/en pair in a module's source; the name is the function,
    class or assigned name of the top-level statement holding it."""
    found = []
    for top in ast.parse(source).body:
        if isinstance(top, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            name = top.name
        elif isinstance(top, ast.Assign) and isinstance(top.targets[0], ast.Name):
            name = top.targets[0].id
        elif isinstance(top, ast.AnnAssign) and isinstance(top.target, ast.Name):
            name = top.target.id
        else:
            name = ""
        found += [(name, n.lineno) for n in ast.walk(top) if _is_pair(n)]
    return found


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('S = {"met": ("已达成", "met")}', [("S", 1)]),
        ('D = {"經信局": "Economic & IT Bureau"}', [("D", 1)]),
        ('T = {"zh": "目标", "en": "Goal"}', [("T", 1)]),
        ('def f(lang):\n    return pick("其他", "other", lang)', [("f", 2)]),
        # not pairs: words alone, Chinese beside Chinese, an f-string sentence, a unit table
        ('BOUND = ("超过", "突破")', []),
        ('X = {"亿元": 2, "%": 2}', []),
        ('SYN = {"個": "个"}', []),
        ('def f(n, lang):\n    return pick(f"{n}个", f"{n} figures", lang)', []),
        ('K = ("exact", "approx")', []),
        ('def f(s):\n    return s.replace("万元", "yuan")', []),
    ],
)
def test_a_zh_en_pair_is_found_and_words_alone_are_not(source, expected):
    assert zh_en_pairs(source) == expected


def test_every_zh_en_pair_lives_in_the_word_list():
    """No zh/en table or literal pair outside dgm/words.py, but the few ALLOWED with reasons."""
    found, allowed_seen = [], set()
    for path in sorted(paths.PACKAGE.rglob("*.py")):
        rel = path.relative_to(paths.PACKAGE.parent).as_posix()
        if rel == WORDS_MODULE:
            continue
        for name, line in zh_en_pairs(path.read_text(encoding="utf-8")):
            if (rel, name) in ALLOWED:
                allowed_seen.add((rel, name))
            else:
                found.append(f"{rel}:{line} ({name or 'module level'})")
    assert not found, "zh/en words outside dgm/words.py: " + ", ".join(found)
    assert allowed_seen == set(ALLOWED), f"stale ALLOWED entries: {set(ALLOWED) - allowed_seen}"


def test_the_word_list_holds_pairs():
    """The scan sees dgm/words.py's tables as pairs (it would catch them anywhere else)."""
    source = (paths.PACKAGE / "words.py").read_text(encoding="utf-8")
    names = {name for name, _ in zh_en_pairs(source)}
    assert {"STATUS_LABELS", "READING", "TEXT", "HEADERS", "PAGE", "DEPARTMENTS_EN"} <= names


NAMES = ("UNIT_EN", "UNIT_ZH", "DEPARTMENTS_EN")  # name → its English (or Chinese) alone
TABLES = [
    n for n, v in vars(words).items() if isinstance(v, dict) and n.isupper() and n not in NAMES
]


@pytest.mark.parametrize("name", TABLES)
def test_each_table_maps_a_code_to_chinese_and_english(name):
    """key → (zh, en): two strings, the Chinese one with Chinese characters unless it is a
    symbol or a name shared by both languages."""
    for key, value in getattr(words, name).items():
        assert isinstance(value, tuple) and len(value) == 2, (name, key)
        zh, en = value
        assert isinstance(zh, str) and isinstance(en, str) and en, (name, key)
        bare = re.sub(r"\{[^}]*\}", "", zh)  # without its {fields}
        assert _zh(bare) or zh == en or not LATIN.search(bare), (name, key, zh)


def test_the_words_name_every_code():
    """Each code list has its words, no more and no fewer."""
    assert tuple(words.STATUS_LABELS) == STATUSES
    assert tuple(words.EVIDENCE_LABELS) == EVIDENCE_TIERS
    assert set(words.PERIOD_LABELS) == set(PERIODS)
    assert set(words.COVERAGE_LABELS) == set(LETTER)
    assert set(words.UNIT_ZH) <= set(words.UNIT_EN)


def test_the_word_list_imports_nothing():
    """A table of words: no import, so any layer can read it."""
    tree = ast.parse((paths.PACKAGE / "words.py").read_text(encoding="utf-8"))
    assert not [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)]
