"""Series that coincide in a plot: keeping each one visible, and saying which are identical.

Two modes with the same values (vf-dma, veb and vepa give the same R+ where the wire is the
bottleneck) draw on top of one another: the legend lists a series the reader cannot see, and
concludes it is missing. The plots of this module (plot.py, plot_nfv.py, plot_dma.py) therefore
  - draw each series of a panel with its own marker (MARKERS), and
  - draw every series at the base sizes, and under it, where series drawn after it cover it, a
    larger marker (MARKER_STEP points per covering series) at the shared points and a wider
    line (LINE_STEP points per covering series) along the shared segments (underlay()):
    coinciding series show as concentric markers and a banded line, each in its own colour,
    and only where they coincide. The values are never moved (no dodge, no jitter);
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


def _near(p, q, ytol):
    """Whether points p and q are drawn on one another: the same x, y within ytol."""
    return p[0] == q[0] and abs(p[1] - q[1]) <= ytol


def covered(series, ytol=0.0):
    """{key: ({point: n}, {segment: n})} for series [(key, [(x, y), ...])] in drawing order: the
    points of each series that n >= 1 series drawn after it pass through, and its segments (two
    consecutive points) that n later series run along. ytol: how far apart in y two points at the
    same x may be and still hide one another (0: only equal values; measured series that differ
    in the last digits overlap as much as equal ones)."""
    pts = [[_point(p) for p in xy] for _, xy in series]
    segs = [list(zip(p, p[1:])) for p in pts]
    out = {}
    for i, (key, _) in enumerate(series):
        later = range(i + 1, len(series))
        on_point = {p: sum(any(_near(p, q, ytol) for q in pts[j]) for j in later) for p in pts[i]}
        on_segment = {(a, b): sum(any(_near(a, c, ytol) and _near(b, d, ytol) for c, d in segs[j])
                                  for j in later)
                      for a, b in segs[i]}
        out[key] = ({p: n for p, n in on_point.items() if n}, {s: n for s, n in on_segment.items() if n})
    return out


def underlay(ax, series, markersize, linewidth, zorder=1.9, ytol=0.0):
    """Draw, under series [(key, [(x, y)], style)] drawn at the base sizes, each series where
    later ones cover it (draw_covered(); ytol as covered()'s). style: the series' plot keywords
    (colour, marker, linestyle, drawstyle...) without sizes. Returns the artists drawn (no legend
    entry)."""
    drawn = []
    styles = {key: style for key, _, style in series}
    for key, cover in covered([(key, xy) for key, xy, _ in series], ytol).items():
        drawn += draw_covered(ax, cover, styles[key], markersize, linewidth, zorder)
    return drawn


def draw_covered(ax, cover, style, markersize, linewidth, zorder=1.9):
    """Draw one series where later ones cover it (cover: its entry of covered()): its marker
    MARKER_STEP points larger per covering series at the points, its line LINE_STEP points wider
    along the segments. zorder: just under the series' own artists (Line2D: 2). Returns the
    artists drawn (no legend entry)."""
    points, segments = cover
    drawn = []
    if style.get("marker") not in (None, "None", "none", "", " "):
        for n in sorted(set(points.values())):
            at = sorted(p for p, m in points.items() if m == n)
            drawn += ax.plot(*zip(*at), **dict(style, linestyle="none", markersize=markersize + MARKER_STEP * n,
                                                 label="_nolegend_", zorder=zorder))
    if style.get("linestyle", "-") not in ("none", "None", "", " "):
        for n in sorted(set(segments.values())):
            xs, ys = [], []
            for (a, b), m in sorted(segments.items()):
                if m == n:
                    xs += [a[0], b[0], float("nan")]
                    ys += [a[1], b[1], float("nan")]
            drawn += ax.plot(xs, ys, **dict(style, marker="None", linewidth=linewidth + LINE_STEP * n,
                                            label="_nolegend_", zorder=zorder))
    return drawn


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

