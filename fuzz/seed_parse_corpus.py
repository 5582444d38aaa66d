#!/usr/bin/env python3
"""Seeds fuzz/corpus/parse/ (gitignored, never committed) for the `parse` target.

One file per distinct input: every `search:` of the security_content detections, plus the
hand-written fixtures tests/fixtures/spl/*.spl (trailing newline dropped, as tests/spl.rs
does) and the kept regressions tests/fixtures/regressions/parse/*. Searches are taken
verbatim, macros unexpanded: backtick calls are opaque atoms to the parser.

Usage: python3 fuzz/seed_parse_corpus.py [CORPUS_ROOT]
(default ../shared/corpus/security_content relative to the repository root). Needs PyYAML.
"""

import hashlib
import pathlib
import sys

import yaml

REPO = pathlib.Path(__file__).resolve().parent.parent


def searches(root):
    for path in sorted((root / "detections").rglob("*.yml")):
        try:
            doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError):
            continue
        search = doc.get("search") if isinstance(doc, dict) else None
        if isinstance(search, str):
            yield search


def fixtures():
    for path in sorted((REPO / "tests/fixtures/spl").glob("*.spl")):
        text = path.read_text(encoding="utf-8")
        yield text[:-1] if text.endswith("\n") else text
    for path in sorted((REPO / "tests/fixtures/regressions/parse").iterdir()):
        if path.suffix != ".md":
            yield path.read_bytes().decode("utf-8", errors="replace")


def main():
    default = REPO.parent / "shared/corpus/security_content"
    root = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else default
    out = REPO / "fuzz/corpus/parse"
    out.mkdir(parents=True, exist_ok=True)
    count = 0
    for text in [*searches(root), *fixtures()]:
        data = text.encode("utf-8")
        (out / hashlib.sha1(data).hexdigest()).write_bytes(data)
        count += 1
    print(f"{count} inputs, {len(list(out.iterdir()))} distinct files in {out}")


if __name__ == "__main__":
    main()
