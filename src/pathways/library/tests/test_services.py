"""Loading pieces: all or nothing, idempotent, and an organisation's own pieces replace or hide shipped ones."""
import pytest
from django.core.management import CommandError, call_command
from django.http import Http404

from pathways.library import selectors, services
from pathways.library.loader import SHIPPED_FOLDER, LibraryError
from pathways.library.models import Piece

from .helpers import piece_text, write_piece

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipped(tmp_path):
    """Two shipped pieces, loaded from a folder of test files (the real content has its own test)."""
    Piece.objects.all().delete()
    folder = tmp_path / "shipped"
    write_piece(folder, "stages-of-relapse", title="Three stages")
    write_piece(folder, "chime", title="CHIME")
    services.library_load(paths=[folder])
    return folder


def slugs(organisation=None) -> list[str]:
    return sorted(piece.slug for piece in selectors.pieces_for(organisation=organisation))


def test_it_loads_every_piece_for_everyone(shipped):
    assert slugs() == ["chime", "stages-of-relapse"]
    piece = Piece.objects.get(slug="chime")
    assert piece.organisation is None and piece.title == "CHIME" and piece.body_html.startswith("<p>")


def test_loading_again_updates_in_place(shipped):
    before = dict(Piece.objects.values_list("slug", "pk"))
    write_piece(shipped, "chime", title="CHIME, revised")
    result = services.library_load(paths=[shipped])
    assert result.created == [] and sorted(result.updated) == ["chime", "stages-of-relapse"]
    assert dict(Piece.objects.values_list("slug", "pk")) == before
    assert Piece.objects.get(slug="chime").title == "CHIME, revised"


def test_one_bad_file_loads_nothing(shipped, tmp_path):
    folder = tmp_path / "next"
    write_piece(folder, "chime", title="CHIME, revised")
    write_piece(folder, "new-piece", title="New")
    write_piece(folder, "broken", text=piece_text().replace("https://example.org/source", "not a link"))
    with pytest.raises(LibraryError) as error:
        services.library_load(paths=[folder])
    assert error.value.problems == ["broken.md: source 1 has no http(s) url: every piece cites its sources with a link."]
    assert Piece.objects.get(slug="chime").title == "CHIME"
    assert not Piece.objects.filter(slug="new-piece").exists()


def test_hiding_an_unknown_slug_undoes_the_whole_load(shipped, organisation, tmp_path):
    own = tmp_path / "own"
    write_piece(own, "our-groups", title="Our groups")
    with pytest.raises(LibraryError, match="--hide no-such-piece"):
        services.library_load(paths=[own], organisation=organisation, hide=["no-such-piece"])
    assert not Piece.objects.filter(organisation=organisation).exists()


def test_an_organisations_piece_replaces_the_shipped_one_for_its_people_only(shipped, organisation, tmp_path):
    own = tmp_path / "own"
    write_piece(own, "chime", title="CHIME in our words")
    write_piece(own, "our-groups", title="Our groups")
    services.library_load(paths=[own], organisation=organisation)
    assert slugs(organisation) == ["chime", "our-groups", "stages-of-relapse"]
    assert selectors.piece_get(slug="chime", organisation=organisation).title == "CHIME in our words"
    assert selectors.piece_get(slug="chime", organisation=None).title == "CHIME"
    with pytest.raises(Http404):
        selectors.piece_get(slug="our-groups", organisation=None)


def test_an_organisation_hides_a_shipped_piece_from_its_people_only(shipped, organisation):
    services.library_load(paths=[], organisation=organisation, hide=["chime"])
    assert slugs(organisation) == ["stages-of-relapse"]
    assert slugs(None) == ["chime", "stages-of-relapse"]
    with pytest.raises(Http404):
        selectors.piece_get(slug="chime", organisation=organisation)
    # Loading the shipped pieces again (every migrate does) keeps the organisation's choice.
    services.library_load(paths=[shipped])
    assert slugs(organisation) == ["stages-of-relapse"]


def test_showing_a_hidden_shipped_piece_again_removes_the_hiding_row(shipped, organisation):
    services.piece_visibility_set(organisation=organisation, slug="chime", hidden=True)
    services.piece_visibility_set(organisation=organisation, slug="chime", hidden=False)
    assert not Piece.objects.filter(organisation=organisation).exists()
    assert slugs(organisation) == ["chime", "stages-of-relapse"]


def test_an_organisations_own_piece_is_hidden_and_shown_in_place(shipped, organisation, tmp_path):
    write_piece(tmp_path / "own", "chime", title="CHIME in our words")
    services.library_load(paths=[tmp_path / "own"], organisation=organisation)
    services.piece_visibility_set(organisation=organisation, slug="chime", hidden=True)
    assert slugs(organisation) == ["stages-of-relapse"]
    services.piece_visibility_set(organisation=organisation, slug="chime", hidden=False)
    assert selectors.piece_get(slug="chime", organisation=organisation).title == "CHIME in our words"


def test_hiding_a_slug_nobody_loaded_is_404(shipped, organisation):
    with pytest.raises(Http404):
        services.piece_visibility_set(organisation=organisation, slug="no-such-piece", hidden=True)
    assert not Piece.objects.filter(organisation=organisation).exists()


def test_the_admins_list_says_where_each_piece_comes_from(shipped, organisation, tmp_path):
    write_piece(tmp_path / "own", "chime", title="CHIME in our words")
    write_piece(tmp_path / "own", "our-groups", title="Our groups")
    services.library_load(paths=[tmp_path / "own"], organisation=organisation, hide=["stages-of-relapse"])
    rows = {row.slug: (row.title, row.origin, row.hidden)
            for row in selectors.pieces_to_manage(organisation=organisation)}
    assert rows == {
        "chime": ("CHIME in our words", "Your own, in place of the shipped piece", False),
        "our-groups": ("Our groups", "Your own", False),
        "stages-of-relapse": ("Three stages", "Shipped with Pathways", True),
    }


# --- the command ------------------------------------------------------------------------------------------

def test_the_command_loads_an_organisations_folder_and_hides(shipped, organisation, tmp_path, capsys):
    write_piece(tmp_path / "own", "our-groups", title="Our groups")
    call_command("load_library", str(tmp_path / "own"), "--organisation", str(organisation.pk), "--hide", "chime")
    assert "Loaded 1 new and updated 0 pieces for Harbour Lights Programme. Hidden: chime." in capsys.readouterr().out
    assert slugs(organisation) == ["our-groups", "stages-of-relapse"]


def test_the_command_names_every_problem_and_loads_nothing(shipped, tmp_path):
    folder = tmp_path / "bad"
    write_piece(folder, "one", text="No front matter.")
    write_piece(folder, "two", text=piece_text().replace('title = "A piece"\n', ""))
    with pytest.raises(CommandError) as error:
        call_command("load_library", str(folder))
    message = str(error.value)
    assert "one.md: line 1:" in message and "two.md: title is missing" in message
    assert message.endswith("Nothing was loaded.")
    assert slugs() == ["chime", "stages-of-relapse"]


def test_the_command_will_not_copy_the_shipped_pieces_into_an_organisation(shipped, organisation):
    with pytest.raises(CommandError, match="Name the folder"):
        call_command("load_library", "--organisation", str(organisation.pk))
    with pytest.raises(CommandError, match="no organisation with id 999999"):
        call_command("load_library", "--organisation", "999999", "--hide", "chime")
    with pytest.raises(CommandError, match="--hide needs --organisation"):
        call_command("load_library", str(shipped), "--hide", "chime")
    assert not Piece.objects.filter(organisation__isnull=False).exists()


# --- the shipped content ------------------------------------------------------------------------------------

def test_the_shipped_pieces_load_cleanly():
    """Every file in the content folder passes the loader's checks (a migrate would only log its problems)."""
    if not any(SHIPPED_FOLDER.glob("*.md")):
        pytest.skip("no shipped pieces yet")
    Piece.objects.all().delete()
    result = services.shipped_pieces_load()
    assert sorted(result.created) == sorted(path.stem for path in SHIPPED_FOLDER.glob("*.md"))


def test_a_fresh_install_has_the_shipped_pieces_without_running_the_command():
    """The test database was made by `migrate`, whose post_migrate receiver loads the shipped pieces."""
    if not any(SHIPPED_FOLDER.glob("*.md")):
        pytest.skip("no shipped pieces yet")
    assert set(Piece.objects.filter(organisation__isnull=True).values_list("slug", flat=True)) == \
        {path.stem for path in SHIPPED_FOLDER.glob("*.md")}
