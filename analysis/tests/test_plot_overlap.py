"""Tests of analysis/plot_overlap.py: which series coincide, how much each is enlarged, the note."""

import unittest

import plot_overlap

SAME = [(64, 10.0), (256, 10.0), (1518, 10.0)]
OTHER = [(64, 2.3), (256, 7.1), (1518, 10.0)]  # meets SAME at its last point only


class PlotOverlapTest(unittest.TestCase):
    def test_covered_counts_later_series_through_points_and_segments(self):
        series = [("vf-dma", SAME), ("veb", SAME), ("vepa", SAME), ("vswitch-dpdk", OTHER)]
        seg = lambda i: (SAME[i], SAME[i + 1])
        self.assertEqual(plot_overlap.covered(series), {
            "vf-dma": ({(64, 10.0): 2, (256, 10.0): 2, (1518, 10.0): 3}, {seg(0): 2, seg(1): 2}),
            "veb": ({(64, 10.0): 1, (256, 10.0): 1, (1518, 10.0): 2}, {seg(0): 1, seg(1): 1}),
            "vepa": ({(1518, 10.0): 1}, {}),
            "vswitch-dpdk": ({}, {})})

    def test_covered_within_a_tolerance(self):
        # Two measured series 0.05 apart overlap on the plot: covered with ytol 0.1, not with 0.
        near = [(x, y + 0.05) for x, y in SAME]
        self.assertEqual(plot_overlap.covered([("cold", SAME), ("warm", near)]),
                         {"cold": ({}, {}), "warm": ({}, {})})
        seg = lambda i: (SAME[i], SAME[i + 1])
        self.assertEqual(plot_overlap.covered([("cold", SAME), ("warm", near), ("other", OTHER)], 0.1),
                         {"cold": ({(64, 10.0): 1, (256, 10.0): 1, (1518, 10.0): 2}, {seg(0): 1, seg(1): 1}),
                          "warm": ({(1518, 10.05): 1}, {}),
                          "other": ({}, {})})

    def test_underlay_draws_covered_places_only_larger_and_wider(self):
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots()
        try:
            looks = [(k, xy, dict(color=c, marker="o", linestyle="-"))
                     for k, xy, c in (("vf-dma", SAME, "C0"), ("veb", SAME, "C1"), ("other", OTHER, "C2"))]
            drawn = plot_overlap.underlay(ax, looks, 3, 1.5)
            step, wide = plot_overlap.MARKER_STEP, plot_overlap.LINE_STEP
            got = sorted((line.get_color(), line.get_linestyle(),
                          line.get_markersize() if line.get_marker() != "None" else None,
                          line.get_linewidth(), len(line.get_xdata())) for line in drawn)
            self.assertEqual(got, [
                ("C0", "-", None, 1.5 + wide, 6),  # vf-dma's two segments, veb on them (nan-separated)
                ("C0", "None", 3 + step, 1.5, 2),  # the points veb covers
                ("C0", "None", 3 + 2 * step, 1.5, 1),  # 1518 B: veb and other
                ("C1", "None", 3 + step, 1.5, 1)])  # veb at 1518 B: other
            self.assertTrue(all(line.get_zorder() < 2 and line.get_label() == "_nolegend_" for line in drawn))
            # Nothing covered: nothing drawn.
            self.assertEqual(plot_overlap.underlay(ax, looks[2:], 3, 1.5), [])
        finally:
            plt.close(fig)

    def test_identical_groups_compare_exactly(self):
        near = [(x, y + 1e-9) for x, y in SAME]
        series = [("vf-dma", SAME), ("veb", near), ("vepa", list(SAME)), ("vswitch-dpdk", OTHER),
                  ("none", [])]
        self.assertEqual(plot_overlap.identical(series), [["vf-dma", "vepa"]])

    def test_note_names_identical_series_per_kind(self):
        series = [(("vf-dma", "uni"), SAME), (("vf-dma", "bi"), OTHER),
                  (("veb", "uni"), SAME), (("veb", "bi"), OTHER),
                  (("vepa", "uni"), SAME), (("vepa", "bi"), SAME)]
        note = plot_overlap.note(series, name=lambda k: k[0], kind=lambda k: k[1])
        # vepa bi equals the uni series, but series of different kinds are not compared.
        self.assertEqual(note, "same values: vf-dma = veb = vepa (uni); vf-dma = veb (bi)")
        series[1] = (("vf-dma", "bi"), SAME)
        series[3] = (("veb", "bi"), SAME)
        self.assertEqual(plot_overlap.note(series, name=lambda k: k[0], kind=lambda k: k[1]),
                         "same values: vf-dma = veb = vepa (uni, bi)")
        self.assertEqual(plot_overlap.note([("a", SAME), ("b", OTHER)]), "")
        self.assertEqual(plot_overlap.note([("a", SAME), ("b", SAME)]), "same values: a = b")

    def test_markers_differ_within_a_panel(self):
        self.assertEqual(len({plot_overlap.marker(i) for i in range(len(plot_overlap.MARKERS))}),
                         len(plot_overlap.MARKERS))


if __name__ == "__main__":
    unittest.main()
