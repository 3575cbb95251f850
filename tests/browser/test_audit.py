"""The accessibility audit the flows rely on finds problems when there are some.

A check that can never fail proves nothing, so this feeds `AuditedPage` (tests/browser/conftest.py)
a page with known faults and expects each one in the report.
"""
import pytest

pytestmark = pytest.mark.browser

FAULTY_PAGE = """<!doctype html>
<html>
<head><meta name="viewport" content="width=device-width, initial-scale=1"><title>A page with faults</title></head>
<body>
  <main>
    <h1>First heading</h1>
    <h1>Second heading</h1>
    <img src="data:,">
    <label>Unrelated label</label><input type="text" aria-describedby="nowhere">
    <p id="twice">One</p><p id="twice">Two</p>
    <p style="color: #bbb; background: #fff">Too pale to read comfortably</p>
    <div style="width: 900px">Wider than a phone</div>
  </main>
</body>
</html>"""


def test_the_audit_reports_every_kind_of_problem_it_looks_for(open_audited):
    screen = open_audited(phone=True)
    screen.page.set_content(FAULTY_PAGE)
    screen.audit("the faulty page")
    screen.page.evaluate("() => console.error('something broke')")

    with pytest.raises(AssertionError) as failure:
        screen.assert_clean()

    report = str(failure.value)
    for expected in [
        "image-alt",  # axe-core: an image with no text alternative
        "html-has-lang",  # axe-core: no language on the page
        "label",  # axe-core: a text box with no label
        "color-contrast",  # axe-core: pale text
        "expected exactly one h1, found 2",
        'id "twice" is used 2 times',
        'aria-describedby="nowhere" on <input> points at nothing',
        "wider than the phone screen",
        "something broke",
    ]:
        assert expected in report, f"the audit missed {expected!r}; it said:\n{report}"
