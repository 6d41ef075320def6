"""Series that coincide in a plot: keeping each one visible, and saying which are identical.

Two modes with the same values (vf-dma, veb and vepa give the same R+ where the wire is the
bottleneck) draw on top of one another: the legend lists a series the reader cannot see, and
concludes it is missing. The plots of this module (plot.py, plot_nfv.py, plot_dma.py) therefore
  - draw each series of a panel with its own marker (MARKERS), and
  - draw a series that series drawn after it pass through with a larger marker (MARKER_STEP
    points per such series at its most shared point) and a wider line (LINE_STEP points per
    series sharing one of its segments): coinciding series show as concentric markers and a
    banded line, each in its own colour. The values are never moved (no dodge, no jitter);
  - name, in the legend's title, the series whose values are identical point for point,
    computed from the data: "same values: vf-dma = veb = vepa".

A series is (key, [(x, y), ...]) in the order it is drawn, its points sorted by x as drawn.
Values are compared exactly (a series identical to another is the same figures, not close ones).
"""

# Marker shapes, one per series of a panel (in drawing order), all of them filled.
MARKERS = ("o", "s", "D", "^", "v", "<", ">", "p", "h", "*")
# Marker size and line width added per later-drawn series through the same point / segment.
MARKER_STEP = 2.5
LINE_STEP = 1.8


def marker(i):
    """The marker of the i-th series of a panel."""
    return MARKERS[i % len(MARKERS)]


def _point(xy):
    return (xy[0], xy[1])


def layers(series):
    """{key: (points, segments)} for series [(key, [(x, y), ...])] in drawing order: the most
    series drawn after it that pass through one of its points, and that run along one of its
    segments (two consecutive points), both 0 for a series nothing covers."""
    pts = [{_point(p) for p in xy} for _, xy in series]
    segs = [{(_point(a), _point(b)) for a, b in zip(xy, xy[1:])} for _, xy in series]
    out = {}
    for i, (key, _) in enumerate(series):
        later = range(i + 1, len(series))
        on_point = max((sum(p in pts[j] for j in later) for p in pts[i]), default=0)
        on_segment = max((sum(s in segs[j] for j in later) for s in segs[i]), default=0)
        out[key] = (on_point, on_segment)
    return out


def sizes(series, markersize, linewidth):
    """{key: {"markersize": ..., "linewidth": ...}}: the base sizes, enlarged by layers() so
    that a series covered by later ones still shows around them."""
    return {key: {"markersize": markersize + MARKER_STEP * on_point,
                  "linewidth": linewidth + LINE_STEP * on_segment}
            for key, (on_point, on_segment) in layers(series).items()}


def identical(series):
    """Groups (lists of keys, in drawing order) of two or more series with the same points."""
    groups = {}
    for key, xy in series:
        if xy:
            groups.setdefault(tuple(_point(p) for p in xy), []).append(key)
    return [keys for keys in groups.values() if len(keys) > 1]


def note(series, name=str, kind=lambda key: None):
    """Legend title naming the identical series, "" if none: "same values: vf-dma = veb = vepa".

    name(key) is the series' name in the note (the mode); kind(key) what the series shows (a
    direction, a percentile) or None: series of different kinds are not compared, and a group of
    names identical in several kinds is said once, with them: "vf-dma = veb = vepa (uni, bi)".
    """
    kinds = []  # in drawing order
    by_kind = {}
    for key, xy in series:
        k = kind(key)
        if k not in by_kind:
            kinds.append(k)
            by_kind[k] = []
        by_kind[k].append((key, xy))
    said = {}  # names of a group -> the kinds it is identical in
    for k in kinds:
        for keys in identical(by_kind[k]):
            said.setdefault(" = ".join(name(key) for key in keys), []).append(k)
    if not said:
        return ""
    parts = []
    for names, where in said.items():
        where = [str(k) for k in where if k is not None]
        parts.append(names + (f" ({', '.join(where)})" if where else ""))
    return "same values: " + "; ".join(parts)


def legend_handles(entries, markersize, linewidth):
    """(handles, labels) for a legend of entries [(plot style dict, label or None)]: each style
    at the base sizes (the enlarged ones of sizes() would make a covered series look heavier)."""
    from matplotlib.lines import Line2D

    handles, labels = [], []
    for style, label in entries:
        if label is not None:
            handles.append(Line2D([], [], markersize=markersize, linewidth=linewidth, **style))
            labels.append(label)
    return handles, labels
