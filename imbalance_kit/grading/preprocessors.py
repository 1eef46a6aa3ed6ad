"""nbgrader preprocessors used by the course's ``nbgrader_config.py``.

- :class:`LimitOutputSize` caps outputs by lines (nbgrader's ``LimitOutput``)
  and by characters, so one ``print("x" * 10**7)`` cannot blow up feedback.
- :class:`ScrubHiddenTestOutputs` removes what a hidden-test cell printed and
  reduces its error to ``ename: evalue``: a traceback quotes the failing line,
  which would show the hidden test to the learner.
"""

from nbgrader.preprocessors import LimitOutput, NbGraderPreprocessor
from traitlets import Integer, Unicode

__all__ = ["LimitOutputSize", "ScrubHiddenTestOutputs"]

TRUNCATION_NOTE = "\n... Output truncated ...\n"


def _cap(text, max_chars):
    if max_chars < 0 or len(text) <= max_chars:
        return text
    return text[:max_chars] + TRUNCATION_NOTE


class LimitOutputSize(LimitOutput):
    """nbgrader's ``LimitOutput`` plus a limit on characters per output.

    ``LimitOutput.max_lines`` counts lines, so a single ten-megabyte line
    passes through it; ``max_chars`` cuts it.

    Examples
    --------
    In ``nbgrader_config.py``: ``c.LimitOutputSize.max_chars = 20_000``.
    """

    max_chars = Integer(
        20_000, help="maximum number of characters of one output (-1 means no limit)"
    ).tag(config=True)

    def preprocess_cell(self, cell, resources, cell_index):
        cell, resources = super().preprocess_cell(cell, resources, cell_index)
        if cell.cell_type != "code":
            return cell, resources
        for output in cell.outputs:
            if output.output_type == "stream":
                output.text = _cap(output.text, self.max_chars)
            elif output.output_type in ("execute_result", "display_data"):
                data = output.get("data", {})
                for mime, value in list(data.items()):
                    if isinstance(value, str) and len(value) > self.max_chars:
                        if mime.startswith("text/"):
                            data[mime] = _cap(value, self.max_chars)
                        else:
                            # A huge image or JSON is dropped, not cut (a cut
                            # base64 string is not an image any more).
                            del data[mime]
                if not data:
                    data["text/plain"] = TRUNCATION_NOTE.strip()
            elif output.output_type == "error":
                output.evalue = _cap(output.evalue, self.max_chars)
        return cell, resources


class ScrubHiddenTestOutputs(NbGraderPreprocessor):
    """Keep only ``ename: evalue`` of the error of a cell holding hidden tests.

    Run it in ``GenerateFeedback.preprocessors`` *before* ``ClearHiddenTests``
    (it recognises hidden-test cells by their markers). Printed output of such
    a cell is dropped too: it could echo hidden test data.

    Examples
    --------
    A failing ``assert ratio > 1, "the ratio is majority / minority"`` shows
    as ``AssertionError: the ratio is majority / minority`` and nothing else.
    """

    begin_test_delimeter = Unicode("BEGIN HIDDEN TESTS").tag(config=True)

    def preprocess_cell(self, cell, resources, cell_index):
        if cell.cell_type != "code" or self.begin_test_delimeter not in cell.source:
            return cell, resources
        kept = []
        for output in cell.outputs:
            if output.output_type == "error":
                summary = f"{output.ename}: {output.evalue}" if output.evalue else output.ename
                output.traceback = [summary]
                kept.append(output)
        cell.outputs = kept
        return cell, resources
