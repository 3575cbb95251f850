"""The directory as a CSV file: written for a spreadsheet, and read back with every problem named by its line.

Columns (the first line names them, in any order): name, category, dimensions, description, languages, cost,
online, phone, website, area, tradition. Only name, category and dimensions are required. Dimensions are
separated by ";" or "," (e.g. "home; community"); online is yes or no; category and cost take their codes
("work_and_training", "low_cost") or their words ("Work and training", "Low cost").
"""
import csv
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from pathways.lib.spreadsheet_cells import as_typed, formula_safe

from .models import DIMENSIONS, Category, Cost, Service

COLUMNS = ("name", "category", "dimensions", "description", "languages", "cost", "online", "phone", "website",
           "area", "tradition")
REQUIRED_COLUMNS = ("name", "category", "dimensions")
MAX_FILE_BYTES = 1024 * 1024
MAX_ROWS = 2000
YES = {"yes", "y", "true", "1", "online"}
NO = {"no", "n", "false", "0", "", "in person", "in_person"}


def services_csv(services) -> str:
    """Every service, one per line, with any cell that could start a formula written as plain text."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for service in services:
        writer.writerow([formula_safe(cell) for cell in _cells(service)])
    return out.getvalue()


def _cells(service: Service) -> list[str]:
    return [service.name, service.category, "; ".join(service.dimensions), service.description, service.languages,
            service.cost, "yes" if service.online else "no", service.phone, service.website, service.area,
            service.tradition]


@dataclass
class Problem:
    line: int  # the file's line the row starts on; the column names are line 1; 0 is the file as a whole
    message: str

    def __str__(self) -> str:
        where = f"Line {self.line}" if self.line else "The file"
        return f"{where}: {self.message}"


@dataclass
class ReadFile:
    """What a file holds: each row as the fields of a service, or every problem found in it."""

    rows: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def read_services_csv(data: bytes) -> ReadFile:
    """Check every row of the file. Reading goes on after a problem, so one upload names all of them."""
    if len(data) > MAX_FILE_BYTES:
        return _refused(f"the file is {len(data) // 1024} KB; the most a file may be is {MAX_FILE_BYTES // 1024} KB. "
                        "Split it into smaller files.", line=0)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return _refused("the file is not UTF-8 text. Save it from your spreadsheet as “CSV UTF-8” and try again.",
                        line=0)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    read = ReadFile(problems=_header_problems(reader.fieldnames))
    if read.problems:
        return read
    seen: dict[str, int] = {}
    line = 2
    try:
        for count, row in enumerate(reader, start=1):
            if count > MAX_ROWS:
                return _refused(f"the file has more than {MAX_ROWS} services; the most one file may hold is "
                                f"{MAX_ROWS}. Split it into smaller files.", line=0)
            _read_row(row, line, seen, read)
            line = reader.line_num + 1
    except csv.Error as error:
        read.problems.append(Problem(line, f"the file cannot be read as CSV here ({error})."))
    if not read.rows and not read.problems:
        read.problems.append(Problem(2, "the file has its column names but no services."))
    return read


def _refused(message: str, *, line: int) -> ReadFile:
    return ReadFile(problems=[Problem(line, message)])


def _header_problems(fieldnames) -> list[Problem]:
    if not fieldnames:
        return [Problem(1, "the file is empty. Its first line should name the columns, e.g. "
                           "name,category,dimensions.")]
    named = [name.strip().lower() for name in fieldnames]
    problems = [Problem(1, f"unknown column “{name}”. The columns are: {', '.join(COLUMNS)}.")
                for name in named if name not in COLUMNS]
    problems += [Problem(1, f"the column “{name}” is missing; it is required.")
                 for name in REQUIRED_COLUMNS if name not in named]
    problems += [Problem(1, f"the column “{name}” is named twice.") for name in sorted(set(named))
                 if named.count(name) > 1]
    return problems


def _read_row(row: dict, line: int, seen: dict[str, int], read: ReadFile) -> None:
    if None in row:  # more cells than columns
        read.problems.append(Problem(line, f"this row has {len(row[None])} more cell(s) than there are columns."))
        return
    cells = {key.strip().lower(): as_typed((value or "").strip()) for key, value in row.items()}
    if not any(cells.values()):
        return  # a blank line in a spreadsheet's export
    fields, messages = _fields(cells)
    name_key = fields.get("name", "").lower()
    if name_key and name_key in seen:
        messages.append(f"“{fields['name']}” is already on line {seen[name_key]}; each name may appear once.")
    elif name_key:
        seen[name_key] = line
    messages += _model_problems(fields, skip={"category", "cost"} | ({"name"} if not fields["name"] else set()))
    if messages:
        read.problems += [Problem(line, message) for message in messages]
    else:
        read.rows.append(fields)


def _fields(cells: dict) -> tuple[dict, list[str]]:
    """The service's fields from one row's cells, and what is wrong with them."""
    messages = []
    name = cells.get("name", "")
    if not name:
        messages.append("the name is missing.")
    category = _choice(cells.get("category", ""), Category)
    if category is None:
        messages.append(f"unknown category “{cells.get('category', '')}”. Use one of: {', '.join(Category.values)}.")
    cost = _choice(cells.get("cost", ""), Cost) if cells.get("cost") else Cost.VARIES
    if cost is None:
        messages.append(f"unknown cost “{cells['cost']}”. Use one of: {', '.join(Cost.values)}.")
    dimensions, unknown = _dimensions(cells.get("dimensions", ""))
    if unknown:
        messages.append(f"unknown dimension “{', '.join(unknown)}”. Use one or more of: {', '.join(DIMENSIONS)}.")
    elif not dimensions:
        messages.append(f"no dimension. Name at least one of: {', '.join(DIMENSIONS)}.")
    online = cells.get("online", "").lower()
    if online not in YES | NO:
        messages.append(f"online should be yes or no, not “{cells['online']}”.")
    fields = {"name": name, "category": category or "", "cost": cost or "", "online": online in YES,
              **{f"serves_{code}": code in dimensions for code in DIMENSIONS},
              **{column: cells.get(column, "") for column in
                 ("description", "languages", "phone", "website", "area", "tradition")}}
    return fields, messages


def _choice(cell: str, choices) -> str | None:
    """A choice given by its code or its words, in any case: "low_cost", "Low cost", "low-cost"."""
    wanted = re.sub(r"[\s\-]+", "_", cell.strip().lower())
    for value, label in choices.choices:
        if wanted in (value, re.sub(r"[\s\-]+", "_", label.lower())):
            return value
    return None


def _dimensions(cell: str) -> tuple[set[str], list[str]]:
    words = [word.strip().lower() for word in re.split(r"[;,|/]", cell) if word.strip()]
    return {word for word in words if word in DIMENSIONS}, [word for word in words if word not in DIMENSIONS]


def _model_problems(fields: dict, skip: set[str]) -> list[str]:
    """What the model's own checks say (lengths, the website's address), each named by its column."""
    try:
        Service(**fields).full_clean(exclude=["organisation", *skip], validate_unique=False,
                                     validate_constraints=False)
    except ValidationError as error:
        return [f"{name}: {message}" for name, messages in error.message_dict.items() for message in messages]
    return []
