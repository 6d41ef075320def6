# Sphinx configuration of the sriov-vmcomm module's documentation (Debian: python3-sphinx,
# python3-myst-parser). Build: sphinx-build -W -b html contrib/sriov-vmcomm/doc OUT
# (./vmcomm test does, as the ctest entry doc-sphinx). The Markdown pages are the chapters; the
# reStructuredText page is the module's entry page, as ns-3 modules have (doc/<module>.rst).
import os

project = "sriov-vmcomm"
author = "the sriov-vmcomm developers"
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "VERSION")) as f:
    release = version = f.readline().strip()

extensions = ["myst_parser"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "sriov-vmcomm"
exclude_patterns = ["_build"]
# Markdown headings become link targets, so the chapters' "#section" links resolve.
myst_heading_anchors = 4
myst_enable_extensions = ["colon_fence"]
html_theme = "classic"
