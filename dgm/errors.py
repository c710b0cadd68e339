"""The one error type the command line turns into `dgm: MESSAGE` and exit 1 (no traceback)."""

MAX_PROBLEMS = 20  # problems printed before "… and N more"
EXCERPT_CHARS = 60  # longest excerpt of a user's input echoed in a message


class DgmError(Exception):
    """A refusal or failure the user can act on; str(err) is one line saying what and why."""


def excerpt(text: object, limit: int = EXCERPT_CHARS) -> str:
    """A short, escaped excerpt of user input for a message (control characters shown as \\n, \\x00 …)."""
    text = str(text)
    short = text[:limit]
    # printable non-ASCII (Chinese figures) stays readable: only control characters are escaped
    escaped = "".join(
        ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in short
    )
    return escaped + ("…" if len(text) > limit else "")


def capped(lines: list[str], limit: int = MAX_PROBLEMS) -> list[str]:
    """The first `limit` lines, then "… and N more" when there were more."""
    if len(lines) <= limit:
        return list(lines)
    return [*lines[:limit], f"… and {len(lines) - limit} more"]
