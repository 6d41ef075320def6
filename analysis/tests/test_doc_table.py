"""doc_table: a generated table between its markers is written, compared, and refused without
markers."""

import contextlib
import io
import os
import tempfile
import unittest

import doc_table


class DocTableTest(unittest.TestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="vmcomm-doc-")
        self.page = os.path.join(self._tmp.name, "page.md")
        begin, end = doc_table.markers("tool.py")
        with open(self.page, "w", encoding="utf-8") as f:
            f.write(f"# Page\n\nbefore\n\n{begin}\nold\n{end}\n\nafter\n")

    def tearDown(self):
        self._tmp.cleanup()

    def read(self):
        with open(self.page, encoding="utf-8") as f:
            return f.read()

    def test_update_writes_between_the_markers_only(self):
        self.assertEqual(doc_table.update_or_check("tool.py", self.page, "| a |", True), 0)
        text = self.read()
        self.assertIn("-->\n| a |\n<!--", text)
        self.assertNotIn("old", text)
        self.assertTrue(text.startswith("# Page\n\nbefore\n"))
        self.assertTrue(text.endswith("\n\nafter\n"))

    def test_check_passes_on_the_same_table_and_fails_on_another(self):
        doc_table.update_or_check("tool.py", self.page, "| a |", True)
        self.assertEqual(doc_table.update_or_check("tool.py", self.page, "| a |", False), 0)
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            self.assertEqual(doc_table.update_or_check("tool.py", self.page, "| b |", False), 1)
        self.assertIn("regenerate it", err.getvalue())
        self.assertIn("| a |", self.read())  # a check writes nothing

    def test_a_page_without_markers_is_refused(self):
        with open(self.page, "w", encoding="utf-8") as f:
            f.write("no table here\n")
        err = io.StringIO()
        with contextlib.redirect_stderr(err), self.assertRaises(SystemExit) as e:
            doc_table.update_or_check("tool.py", self.page, "| a |", True)
        self.assertEqual(e.exception.code, 2)
        self.assertIn("no generated table", err.getvalue())
        self.assertEqual(self.read(), "no table here\n")


if __name__ == "__main__":
    unittest.main()
