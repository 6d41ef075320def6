"""Tests of analysis/plot_overlap.py: which series coincide, how much each is enlarged, the note."""

import unittest

import plot_overlap

SAME = [(64, 10.0), (256, 10.0), (1518, 10.0)]
OTHER = [(64, 2.3), (256, 7.1), (1518, 10.0)]  # meets SAME at its last point only


class PlotOverlapTest(unittest.TestCase):
    def test_layers_count_later_series_through_points_and_segments(self):
        series = [("vf-dma", SAME), ("veb", SAME), ("vepa", SAME), ("vswitch-dpdk", OTHER)]
        self.assertEqual(plot_overlap.layers(series),
                         {"vf-dma": (3, 2), "veb": (2, 1), "vepa": (1, 0), "vswitch-dpdk": (0, 0)})
        sizes = plot_overlap.sizes(series, 3, 1.5)
        self.assertEqual(sizes["vswitch-dpdk"], {"markersize": 3, "linewidth": 1.5})
        self.assertEqual(sizes["vepa"], {"markersize": 3 + plot_overlap.MARKER_STEP, "linewidth": 1.5})
        self.assertEqual(sizes["vf-dma"], {"markersize": 3 + 3 * plot_overlap.MARKER_STEP,
                                           "linewidth": 1.5 + 2 * plot_overlap.LINE_STEP})
        # Nothing coincides: base sizes, whatever the order.
        self.assertEqual(set(map(tuple, (v.values() for v in plot_overlap.sizes(
            [("a", [(1, 1), (2, 2)]), ("b", [(1, 2), (2, 1)])], 3, 1.5).values()))), {(3, 1.5)})

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
