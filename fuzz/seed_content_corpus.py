#!/usr/bin/env python3
"""Seeds fuzz/corpus/content/ (gitignored, never committed) for the `content` target.

The target's input is up to three NUL-separated files: a detection, a macro and a story
(loaded as detections/endpoint/a.yml, macros/m.yml, stories/s.yml). Seeds are:

- every STRIDE-th security_content detection (sorted paths), verbatim, with the first macro its search calls and the
  first story it names (also verbatim); the story, then the macro, is dropped when the seed
  would pass MAX_LEN bytes, and a detection longer than that alone is skipped;
- each tests/fixtures/validate/*/ tree: its first detection, macro and story (sorted paths);
- the kept regressions tests/fixtures/regressions/content/*.

Usage: python3 fuzz/seed_content_corpus.py [CORPUS_ROOT]
(default ../shared/corpus/security_content relative to the repository root). Needs PyYAML.
"""

import hashlib
import pathlib
import re
import sys

import yaml

REPO = pathlib.Path(__file__).resolve().parent.parent
MAX_LEN = 8192
# A seed runs the whole pipeline (about 16 execs/s for 5 KB seeds under ASan): every detection
# would spend the first 100 s of a run on the seeds alone, for little more coverage.
STRIDE = 4
MACRO_CALL = re.compile(r"`([A-Za-z0-9_\-]+)(?:\(|`)")


def load(path):
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError):
        return None
    return doc if isinstance(doc, dict) else None


def by_name(root, folder):
    names = {}
    for path in sorted((root / folder).rglob("*.yml")):
        doc = load(path)
        if doc and isinstance(doc.get("name"), str):
            names.setdefault(doc["name"], path)
    return names


def join(parts):
    return b"\0".join(parts)


def corpus_seeds(root):
    macros = by_name(root, "macros")
    stories = by_name(root, "stories")
    for path in sorted((root / "detections").rglob("*.yml"))[::STRIDE]:
        detection = path.read_bytes()
        doc = load(path) or {}
        search = doc.get("search") if isinstance(doc.get("search"), str) else ""
        macro = next(
            (macros[m] for m in MACRO_CALL.findall(search) if m in macros), None
        )
        tags = doc.get("tags") if isinstance(doc.get("tags"), dict) else {}
        story_names = tags.get("analytic_story") or []
        story = next(
            (stories[s] for s in story_names if isinstance(s, str) and s in stories),
            None,
        )
        parts = [detection]
        if macro:
            parts.append(macro.read_bytes())
            if story:
                parts.append(story.read_bytes())
        while len(parts) > 1 and len(join(parts)) > MAX_LEN:
            parts.pop()
        if len(join(parts)) <= MAX_LEN:
            yield join(parts)


def first(tree, folder):
    files = sorted(p for p in (tree / folder).rglob("*.yml") if p.is_file())
    return files[0].read_bytes() if files else b""


def fixture_seeds():
    for tree in sorted((REPO / "tests/fixtures/validate").iterdir()):
        if tree.is_dir():
            parts = [first(tree, "detections"), first(tree, "macros"), first(tree, "stories")]
            while len(parts) > 1 and not parts[-1]:
                parts.pop()
            yield join(parts)
    regressions = REPO / "tests/fixtures/regressions/content"
    if regressions.is_dir():
        for path in sorted(regressions.iterdir()):
            if path.suffix != ".md":
                yield path.read_bytes()


def main():
    default = REPO.parent / "shared/corpus/security_content"
    root = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else default
    out = REPO / "fuzz/corpus/content"
    out.mkdir(parents=True, exist_ok=True)
    count = 0
    for data in [*corpus_seeds(root), *fixture_seeds()]:
        (out / hashlib.sha1(data).hexdigest()).write_bytes(data)
        count += 1
    print(f"{count} inputs, {len(list(out.iterdir()))} distinct files in {out}")


if __name__ == "__main__":
    main()
