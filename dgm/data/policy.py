"""Policy text (data/raw/policy/…2025.txt) → clean text, its sections, its 43 measures and the
departments each measure names."""

import math
import re
from pathlib import Path

from dgm import paths
from dgm.words import DEPARTMENTS_EN

# A pinyin reading in parentheses after a character, e.g. `關(guān)`.
PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")

# (garbled run as it stands in the raw file, repair, why). Applied to the raw text before the pinyin
# is stripped, so each garbled run is matched with its pinyin and stray `…)` fragments. Each run is
# the GBK bytes of the original characters knocked out of alignment ("bytes of X": the garbled
# characters re-encoded in GBK hold X's bytes; docs/policy-repairs.md lists them). A repair is
# listed only when the surviving bytes, the surviving pinyin and the sentence leave one reading.
REPAIRS: tuple[tuple[str, str, str], ...] = (
    (
        "先進(jìn)?;ヂ?lián)網(wǎng)",
        "先進。互聯網",
        "二: heading 制造模式先進 ends, 互聯網、… begins; ;ヂ = bytes of 互聯; (lián) survives",
    ),
    (
        "——?jiǎng)?chuàng)新能力",
        "——創新能力",
        "二: heading 創新能力強勁; the pinyin (chuàng) of 創 survives, ?jiǎng) is debris",
    ),
    (
        "當(dāng)?shù)厣a(chǎn)",
        "當地生產",
        "measure 8: 遠程定制、異地設計、當地生產; 厣a = bytes of 地生; (chǎn) survives",
    ),
    (
        "變?yōu)椴⑿泄こ?,?shí)現(xiàn)",
        "變為并行工程,實現",
        "measure 12: 串行工作變為并行工程; 椴⑿泄こ = bytes of 為并行工程; (shí) survives",
    ),
    (
        "鏈?zhǔn)狡脚_(tái)",
        "鏈式平臺",
        "measure 20: …標準產業化”鏈式平臺; 狡脚_ = bytes of 式平臺; (tái) survives",
    ),
    (
        "規(guī)?;袌龈脑臁#ㄊ薪?jīng)信局",
        "規模化市場改造。(市經信局",
        "measure 31: 推進規模化市場改造 and its department 市經信局; ;袌龈脑臁#ㄊ薪 = bytes of "
        "化市場改造。（市經; (jīng) and 信局負責) survive",
    ),
    (
        "償?shù)葯C(jī)制",
        "償等機制",
        "measure 32: 生態補償等機制創新; 葯C = bytes of 等機; (jī) survives",
    ),
)

# Section headings of the text: 一、 … 四、 at the start of a line.
SECTION = re.compile(r"^([一二三四])、", re.M)
# A programme heading of section 三: (一) … (六) at the start of a line.
PROGRAMME = re.compile(r"^\(([一二三四五六])\)(.+)$", re.M)
# A numbered measure: `12、title。body (departments[負責])` on one line.
MEASURE = re.compile(r"^(\d{1,2})、([^。]+)。(.*)\(([^()]+?)(?:負責)?\)\s*$", re.M)


def raw_text(path: Path | str | None = None) -> str:
    """The policy text exactly as stored (UTF-8)."""
    return Path(path or paths.POLICY_TEXT).read_text(encoding="utf-8")


def repair(text: str) -> str:
    """Apply REPAIRS to raw text (each garbled run must occur exactly once)."""
    for garbled, fixed, _ in REPAIRS:
        if text.count(garbled) != 1:
            found = text.count(garbled)
            raise ValueError(
                f"repair expects the garbled run {garbled!r} exactly once, found {found}"
            )
        text = text.replace(garbled, fixed)
    return text


def strip_pinyin(text: str) -> str:
    """Remove the pinyin readings in parentheses."""
    return PINYIN.sub("", text)


def policy_text(clean: bool = True, path: Path | str | None = None) -> str:
    """The policy text; clean=True applies REPAIRS then strips the pinyin."""
    text = raw_text(path)
    return strip_pinyin(repair(text)) if clean else text


def sections(text: str | None = None) -> dict[str, str]:
    """Clean text split at the headings 一、 … 四、: {'一': text, …}; the preamble is under ''."""
    text = policy_text() if text is None else text
    starts = [(m.start(), m.group(1)) for m in SECTION.finditer(text)]
    out = {"": text[: starts[0][0]] if starts else text}
    for (start, key), (end, _) in zip(starts, [*starts[1:], (len(text), "")], strict=True):
        out[key] = text[start:end]
    return out


def measures(text: str | None = None) -> list[dict]:
    """The numbered measures: number, programme (heading, '' in 四), title, body, departments."""
    text = policy_text() if text is None else text
    programmes = [(m.start(), m.group(1), m.group(2).strip()) for m in PROGRAMME.finditer(text)]
    four_starts = text.find(sections(text)["四"])
    out = []
    for m in MEASURE.finditer(text):
        prog = [p for p in programmes if p[0] < m.start()]
        in_four = four_starts <= m.start()
        out.append(
            {
                "number": int(m.group(1)),
                "programme": "" if in_four or not prog else f"({prog[-1][1]}){prog[-1][2]}",
                "title": m.group(2),
                "body": m.group(3),
                "departments": m.group(4),
            }
        )
    return out


def departments(text) -> list[str]:
    """Departments named in a measures.csv cell, normalised ('市經信局' → '經信局', 'X和各鎮街' → X,
    各鎮街)."""
    out: list[str] = []
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return out
    for part in re.split(r"[、，,;；/]", str(text)):
        for p in part.split("和"):
            p = p.strip()
            if p.startswith("市") and p[1:] in DEPARTMENTS_EN:
                p = p[1:]
            if p and p not in out:
                out.append(p)
    return out
