"""BibTeX field values: escaped text and verbatim URLs, for the bibliography's exports and the
"cite this page" block."""

BIBTEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def bibtex_escape(text: str) -> str:
    """``text`` with LaTeX's special characters escaped, so a field value stays balanced and
    prints as written (``R&D {50%}`` → ``R\\&D \\{50\\%\\}``). Other Unicode is kept: biber and
    modern BibTeX read UTF-8."""
    return "".join(BIBTEX_SPECIALS.get(char, char) for char in " ".join(str(text).split()))


def bibtex_verbatim(text: str) -> str:
    """A URL or DOI for a verbatim field: kept as written, except for the characters that
    would unbalance the entry (braces, backslashes) or break it (white space), which are
    percent-encoded as in any URL."""
    replacements = {"{": "%7B", "}": "%7D", "\\": "%5C", " ": "%20", "\n": "", "\r": "", "\t": ""}
    return "".join(replacements.get(char, char) for char in str(text).strip())
