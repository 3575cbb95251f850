"""The outcomes report to take away: a CSV of every table, and a printable PDF of the whole page.

Both are made from the same sections as the page, so a withheld count reads the same everywhere. A spreadsheet
runs a cell that begins like a formula; words in the report come partly from the organisation (its name, the
titles of questionnaires its admin loaded), so any cell that could start a formula is written as plain text.
"""
import csv
import io

from django.template.loader import render_to_string
from django.utils.text import slugify
from weasyprint import HTML

from pathways.lib.spreadsheet_cells import formula_safe

from .outcome_page import OutcomesPage


def file_name(page: OutcomesPage, extension: str) -> str:
    return f"outcomes-{slugify(page.organisation.name) or 'programme'}-{page.report.month:%Y-%m}.{extension}"


def outcomes_csv(page: OutcomesPage) -> str:
    """One line for every number: the table it is in, its row, its column, and the number as the page shows it."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Table", "Row", "Column", "Value"])
    for section in page.sections:
        for label, *values in section.rows:
            for column, value in zip(section.columns[1:], values, strict=True):
                writer.writerow([formula_safe(text) for text in (section.title, label, column, value)])
    return out.getvalue()


def outcomes_pdf(page: OutcomesPage) -> bytes:
    """The report as a printable document: the same sentences, charts and tables as the page."""
    html = render_to_string("reports/outcomes_pdf.html", {"page": page})
    return HTML(string=html).write_pdf()
