"""The directory's CSV import: all or nothing, every problem named by its line, and export that imports back."""
import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pathways.directory import csv_files, services
from pathways.directory.models import Service
from pathways.people.services import organisation_create

HEADER = "name,category,dimensions,description,languages,cost,online,phone,website,area,tradition\n"
GOOD = HEADER + (
    "Harbour Housing Help,housing,home,Rooms and tenancy advice,\"English, Spanish\",free,no,0100 000 001,"
    "https://housing.example.org,Harbour district,\n"
    "Tuesday SMART group,Mutual-aid meetings,community; health,A weekly meeting,English,Free,yes,,,"
    "Online,SMART Recovery\n"
)


def load(organisation, text: str) -> services.ImportResult:
    return services.services_import(organisation=organisation, data=text.encode())


def problems_of(organisation, text: str) -> list[str]:
    with pytest.raises(services.ImportRefused) as refused:
        load(organisation, text)
    return [str(problem) for problem in refused.value.problems]


def test_a_good_file_adds_every_service(organisation):
    assert load(organisation, GOOD) == services.ImportResult(added=2, updated=0)
    housing, smart = Service.objects.filter(organisation=organisation).order_by("name")
    assert (housing.category, housing.dimensions, housing.languages, housing.cost, housing.online) == (
        "housing", ["home"], "English, Spanish", "free", False)
    assert housing.website == "https://housing.example.org" and housing.phone == "0100 000 001"
    # Words in place of codes are understood: "Mutual-aid meetings", "Free".
    assert (smart.category, smart.dimensions, smart.cost, smart.online, smart.tradition) == (
        "mutual_aid", ["health", "community"], "free", True, "SMART Recovery")


def test_a_second_import_updates_by_name_and_keeps_the_services_it_does_not_name(organisation):
    load(organisation, GOOD)
    kept = Service.objects.get(name="Tuesday SMART group")
    result = load(organisation, HEADER + "harbour housing help,housing,home; purpose,Now with a jobs desk,,,,,,,\n"
                                          "Family Circle,family_support,community,,,,,,,,\n")
    assert result == services.ImportResult(added=1, updated=1)
    assert Service.objects.get(name__iexact="harbour housing help").dimensions == ["home", "purpose"]
    assert Service.objects.filter(pk=kept.pk).exists()
    assert Service.objects.filter(organisation=organisation).count() == 3


@pytest.mark.parametrize("row, expected", [
    (",housing,home,,,,,,,,", "Line 2: the name is missing."),
    ("Drop-in,shelter,home,,,,,,,,", "Line 2: unknown category “shelter”"),
    ("Drop-in,housing,,,,,,,,,", "Line 2: no dimension."),
    ("Drop-in,housing,money,,,,,,,,", "Line 2: unknown dimension “money”"),
    ("Drop-in,housing,home,,,,,,not a web address,,", "Line 2: website: Enter a valid URL."),
    ("Drop-in,housing,home,,,,,,javascript:alert(1),,", "Line 2: website: Enter a valid URL."),
    ("N" * 201 + ",housing,home,,,,,,,,", "Line 2: name: Ensure this value has at most 200 characters (it has 201)."),
    ("Drop-in,housing,home,,,priceless,,,,,", "Line 2: unknown cost “priceless”"),
    ("Drop-in,housing,home,,,,sometimes,,,,", "Line 2: online should be yes or no, not “sometimes”."),
    ("Drop-in,housing,home,,,,,,,,,extra", "Line 2: this row has 1 more cell(s) than there are columns."),
])
def test_each_kind_of_bad_row_is_named_with_its_line(organisation, row, expected):
    problems = problems_of(organisation, HEADER + row + "\n")
    assert len(problems) == 1 and problems[0].startswith(expected), problems


def test_one_bad_row_loads_nothing_and_every_bad_row_is_listed(organisation):
    load(organisation, GOOD)
    before = list(Service.objects.values_list("name", "description", "updated_at"))
    text = GOOD.replace("Rooms and tenancy advice", "Changed") + (
        "Food bank,food,home,,,,,,,,\n"                        # line 4
        ",housing,home,,,,,,,,\n"                              # line 5
        "\"Two-line\nname\",housing,,,,,,,,,\n"                # lines 6-7: the row is named by its first line
        "Night shelter,housing,home,,,,,,ftp//nope,,\n"        # line 8
        "Tuesday SMART group,mutual_aid,community,,,,,,,,\n")  # line 9: a name already on line 3
    problems = problems_of(organisation, text)
    assert [problem.split(":")[0] for problem in problems] == ["Line 4", "Line 5", "Line 6", "Line 8", "Line 9"]
    assert "already on line 3" in problems[-1]
    assert list(Service.objects.values_list("name", "description", "updated_at")) == before


def test_the_columns_are_checked_before_any_row(organisation):
    problems = problems_of(organisation, "name,kind,dimensions,name\nDrop-in,housing,home,\n")
    assert problems == [
        "Line 1: unknown column “kind”. The columns are: " + ", ".join(csv_files.COLUMNS) + ".",
        "Line 1: the column “category” is missing; it is required.",
        "Line 1: the column “name” is named twice.",
    ]
    assert problems_of(organisation, "") == [
        "Line 1: the file is empty. Its first line should name the columns, e.g. name,category,dimensions."]
    assert problems_of(organisation, HEADER) == ["Line 2: the file has its column names but no services."]


def test_a_file_that_is_too_big_or_too_long_or_not_text_is_refused_with_what_to_do(organisation, settings):
    too_many = HEADER + "".join(f"Service {n},other,health,,,,,,,,\n" for n in range(csv_files.MAX_ROWS + 1))
    assert problems_of(organisation, too_many) == [
        f"The file: the file has more than {csv_files.MAX_ROWS} services; the most one file may hold is "
        f"{csv_files.MAX_ROWS}. Split it into smaller files."]
    huge = HEADER + "Big,other,health," + "x" * csv_files.MAX_FILE_BYTES + ",,,,,,,\n"
    assert "Split it into smaller files" in problems_of(organisation, huge)[0]
    with pytest.raises(services.ImportRefused) as refused:
        services.services_import(organisation=organisation, data="name\nCafé".encode("utf-16"))
    assert "not UTF-8" in str(refused.value.problems[0])
    assert not Service.objects.exists()


def test_blank_lines_and_a_spreadsheets_byte_order_mark_are_fine(organisation):
    result = services.services_import(organisation=organisation,
                                      data=("\ufeff" + HEADER + ",,,,,,,,,,\n" + GOOD.split("\n", 1)[1]).encode())
    assert result.added == 2


def test_export_then_import_gives_the_same_directory(organisation):
    load(organisation, GOOD + "=Tricky name,other,health,-starts with a dash,,,,+44 20 7946 0000,,@home,\n")
    exported = csv_files.services_csv(Service.objects.filter(organisation=organisation))
    elsewhere = organisation_create(name="Elsewhere Programme")
    assert services.services_import(organisation=elsewhere, data=exported.encode()).added == 3
    fields = ["name", "category", "description", "languages", "cost", "online", "phone", "website", "area",
              "tradition", "serves_health", "serves_home", "serves_purpose", "serves_community"]
    assert list(Service.objects.filter(organisation=elsewhere).order_by("name").values(*fields)) == \
        list(Service.objects.filter(organisation=organisation).order_by("name").values(*fields))
    # Importing the export into its own organisation again changes nothing.
    assert load(organisation, exported) == services.ImportResult(added=0, updated=0)


def test_the_export_cannot_run_as_a_formula_in_a_spreadsheet(organisation):
    load(organisation, HEADER + "=HYPERLINK(\"http://x.example\"),other,health,@SUM(A1),,,,+1 555 0100,,-2+3,\n")
    rows = list(csv.reader(io.StringIO(csv_files.services_csv(Service.objects.all()))))
    assert rows[0] == list(csv_files.COLUMNS)
    name, description, phone, area = rows[1][0], rows[1][3], rows[1][7], rows[1][9]
    assert name == "'=HYPERLINK(\"http://x.example\")"
    assert description == "'@SUM(A1)" and phone == "'+1 555 0100" and area == "'-2+3"


def test_the_command_uses_the_same_import(organisation, tmp_path):
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text(GOOD)
    bad.write_text(HEADER + "Drop-in,shelter,home,,,,,,,,\n")
    out = io.StringIO()
    call_command("import_services", str(organisation.pk), str(good), stdout=out)
    assert "2 added, 0 updated" in out.getvalue()
    with pytest.raises(CommandError) as refused:
        call_command("import_services", str(organisation.pk), str(bad))
    assert "bad.csv: Line 2: unknown category “shelter”" in str(refused.value)
    assert str(refused.value).endswith("Nothing was loaded.")
    with pytest.raises(CommandError, match="no organisation with id"):
        call_command("import_services", str(organisation.pk + 1000), str(good))
    assert Service.objects.count() == 2
