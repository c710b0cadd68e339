"""Languages of every text dgm writes: "zh", "en" or "both", and the one picker between them."""

LANGS = ("zh", "en", "both")
DEFAULT_LANG = "both"


def pick(zh: str, en: str, lang: str, sep: str = "\n") -> str:
    """Text in lang = "zh", "en" or "both" (both: Chinese, then English after ``sep``)."""
    if lang == "zh":
        return zh
    if lang == "en":
        return en
    if lang == "both":
        return zh if zh == en else f"{zh}{sep}{en}"
    raise ValueError(f"lang must be 'zh', 'en' or 'both', got {lang!r}")


def label(frame, lang: str, prefix: str = "label"):
    """The `label_zh`/`label_en` columns of a registry or catalogue frame, in language `lang`
    (any other lang: "中文 · English")."""
    zh, en = frame[f"{prefix}_zh"].astype(str), frame[f"{prefix}_en"].astype(str)
    return {"zh": zh, "en": en}.get(lang, zh + " · " + en)
