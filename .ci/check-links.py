#!/usr/bin/env python3
"""Every relative link of README.md and docs/*.md resolves: the file exists and, with a #fragment, the Markdown file
has that heading (GitHub's anchors: lower case, punctuation dropped, spaces to hyphens, -1, -2... for repeats).
Every page a Java source names (README.md or docs/<page>.md, with an optional section: `docs/x.md, "Section"`,
`docs/x.md ("Section")` or `docs/x.md#anchor`) exists and has a heading that starts so."""
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
# A page named in a Java comment or string, and the section it names if any (quotes may be escaped in a string).
JAVA_REFERENCE = re.compile(r'((?:docs/)?[\w.-]+\.md)\b(?:#([\w-]+)|,? \(?\\?"([^"\\]+)\\?")?')
FENCE = re.compile(r"^\s*(```|~~~)")


def prose(path):
    """The lines outside fenced code blocks, with inline code removed (neither holds links)."""
    inside = False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if FENCE.match(line):
            inside = not inside
        elif not inside:
            yield number, line


def anchors(path):
    seen, found = {}, set()
    for _, line in prose(path):
        m = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
        if m:
            slug = re.sub(r"[^\w\- ]", "", m.group(1).lower()).replace(" ", "-")
            n = seen.get(slug, 0)
            seen[slug] = n + 1
            found.add(slug if n == 0 else f"{slug}-{n}")
    return found


def headings(path):
    return {m.group(1).lower() for _, line in prose(path) if (m := re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line))}


def java_references(errors):
    """The pages (and sections) Java sources point readers at."""
    checked = 0
    for source in sorted((ROOT / "src").rglob("*.java")):
        for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), 1):
            for page, anchor, section in JAVA_REFERENCE.findall(line):
                checked += 1
                where = f"{source.relative_to(ROOT)}:{number}: {page}"
                resolved = ROOT / page
                if page != "README.md" and not page.startswith("docs/") or not resolved.exists():
                    errors.append(f"{where}: not a page of this repository")
                elif anchor and anchor not in anchors(resolved):
                    errors.append(f"{where}: no heading #{anchor}")
                elif section and not any(h.startswith(section.lower()) for h in headings(resolved)):
                    errors.append(f'{where}: no heading "{section}"')
    return checked


def main():
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    errors, checked = [], 0
    for page in pages:
        for number, line in prose(page):
            for target in LINK.findall(re.sub(r"`[^`]*`", "``", line)):
                if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # http:, https:, mailto: are not checked here
                    continue
                checked += 1
                file_part, _, fragment = target.partition("#")
                resolved = (page.parent / file_part).resolve() if file_part else page
                where = f"{page.relative_to(ROOT)}:{number}: {target}"
                if not resolved.exists():
                    errors.append(f"{where}: no such file")
                elif fragment and (resolved.suffix != ".md" or fragment not in anchors(resolved)):
                    errors.append(f"{where}: no heading #{fragment}")
    from_java = java_references(errors)
    for error in errors:
        print(error, file=sys.stderr)
    print(f"links: {checked} checked in {len(pages)} files, {from_java} page references in Java sources, {len(errors)} broken")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
