"""Reading a library piece from the early-warning plan on a phone, and coming back — audited by axe-core."""
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_stages_piece_opens_from_the_early_warning_plan_and_back_returns_there(open_audited):
    from pathways.library import services
    from pathways.library.loader import SHIPPED_FOLDER
    from pathways.library.models import Piece

    # The shipped piece (migrate loads it; loading it again is harmless and keeps this test self-contained).
    services.library_load(paths=[SHIPPED_FOLDER / "stages-of-relapse.md"])
    piece = Piece.objects.get(organisation=None, slug="stages-of-relapse")

    screen = open_audited(phone=True)
    page = screen.page
    screen.sign_up(email="kit@example.org", preferred_name="Kit")
    screen.follow(page.get_by_role("link", name="Early-warning plan"))
    expect(page.get_by_role("heading", level=1)).to_have_text("My early-warning plan")

    screen.follow(page.get_by_role("main").get_by_role("link", name=piece.title))
    expect(page.get_by_role("heading", level=1)).to_have_text(piece.title)
    sources = page.get_by_role("region", name="Sources")
    expect(sources.get_by_role("link", name=piece.sources[0]["title"])).to_be_visible()
    expect(sources).to_contain_text("Last reviewed")

    screen.follow(page.get_by_role("main").get_by_role("link", name="Back", exact=True).first)
    expect(page).to_have_url(screen.base_url + "/warning-signs/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My early-warning plan")

    # The library itself, from the menu.
    screen.follow(page.get_by_role("link", name="Library", exact=True))
    expect(page.get_by_role("main").get_by_role("link", name=piece.title)).to_be_visible()
    screen.assert_clean()
