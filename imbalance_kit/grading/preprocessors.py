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
    r"""nbgrader's ``LimitOutput`` plus a limit on characters per output.

    ``LimitOutput.max_lines`` counts lines, so a single ten-megabyte line
    passes through it; ``max_chars`` cuts it.

    Parameters
    ----------
    max_chars : int, default=20000
        Most characters kept of one output (-1: no limit); a longer text is
        cut and marked, a longer image or JSON is dropped. Set it in
        ``nbgrader_config.py``: ``c.LimitOutputSize.max_chars = 20_000``.
    **kwargs
        ``LimitOutput``'s own settings (``max_lines``, ``max_traceback``).

    Examples
    --------
    >>> from nbformat.v4 import new_code_cell, new_output
    >>> cell = new_code_cell("print('x' * 50)")
    >>> cell.outputs = [new_output("stream", name="stdout", text="x" * 50)]
    >>> cell, _ = LimitOutputSize(max_chars=10).preprocess_cell(cell, {}, 0)
    >>> cell.outputs[0].text
    'xxxxxxxxxx\n... Output truncated ...\n'
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
    r"""Keep only ``ename: evalue`` of the error of a cell holding hidden tests.

    Run it in ``GenerateFeedback.preprocessors`` *before* ``ClearHiddenTests``
    (it recognises hidden-test cells by their markers). Printed output of such
    a cell is dropped too: it could echo hidden test data.

    Parameters
    ----------
    begin_test_delimeter : str, default="BEGIN HIDDEN TESTS"
        The marker of a hidden-test cell (nbgrader's spelling of the name).

    Examples
    --------
    A failing ``assert ratio > 1, "the ratio is majority / minority"`` shows
    as ``AssertionError: the ratio is majority / minority`` and nothing else:

    >>> from nbformat.v4 import new_code_cell, new_output
    >>> cell = new_code_cell("### BEGIN HIDDEN TESTS\nassert ratio > 1, 'majority / minority'")
    >>> cell.outputs = [new_output("error", ename="AssertionError", evalue="majority / minority",
    ...                            traceback=["----> 2 assert ratio > 1, ..."])]
    >>> ScrubHiddenTestOutputs().preprocess_cell(cell, {}, 0)[0].outputs[0].traceback
    ['AssertionError: majority / minority']
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
