"""A generated table inside a documentation page: the lines between two markers that name the
tool, rewritten by --update-doc and compared by --check-doc (a ctest then fails, saying how to
regenerate, when the model no longer gives the page's figures)."""

import sys


def markers(tool):
    """The begin and end lines of tool's block (tool: the script's file name)."""
    return (f"<!-- {tool}: begin (generated: python3 analysis/{tool} --update-doc FILE) -->",
            f"<!-- {tool}: end -->")


def update_or_check(tool, path, table, update):
    """Write table into path's block (update) or compare it; return the exit status (0 same or
    written, 1 differs). A page without the markers is an error: exit 2 with a message."""
    begin, end = markers(tool)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    start = text.find(begin)
    stop = text.find(end)
    if start < 0 or stop < start:
        print(f"{tool}: error: {path}: no generated table (the lines {begin!r} and {end!r})",
              file=sys.stderr)
        sys.exit(2)
    start += len(begin)
    block = "\n" + table + "\n"
    if update:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text[:start] + block + text[stop:])
        return 0
    if text[start:stop] != block:
        print(f"{tool}: {path}: the table is not what the model gives now; regenerate it: "
              f"python3 analysis/{tool} --bin=BUILD/bin/PROGRAM --update-doc {path}\n{table}",
              file=sys.stderr)
        return 1
    return 0
