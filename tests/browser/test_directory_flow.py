"""From a Home goal to a housing service saved in the plan, on a phone — every page audited by axe-core."""
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

DIRECTORY = b"""name,category,dimensions,description,languages,cost,online,phone,website,area,tradition
Harbour Housing Help,housing,home,Help finding a room and keeping it.,"English, Spanish",free,no,0100 000 001,https://housing.example.org,Harbour district,
Money Matters Advice,benefits_and_money,home; purpose,Benefits checks and budgeting.,English,free,yes,0100 000 002,,,
Thursday SMART Meeting,mutual_aid,community,A weekly meeting.,English,free,no,,,Church hall,SMART Recovery
"""


def test_a_person_finds_a_housing_service_from_a_home_goal_and_saves_it(open_audited):
    from pathways.directory.services import services_import
    from pathways.people.models import User

    screen = open_audited(phone=True)
    page = screen.page
    screen.sign_up(email="ash@example.org", preferred_name="Ash")
    ash = User.objects.get(email="ash@example.org")
    services_import(organisation=ash.home_organisation, data=DIRECTORY)

    screen.add_goal(dimension="Home", title="A place of my own")
    home = page.get_by_role("region", name="Home", exact=True)
    expect(home).to_contain_text("Goals in Home")
    expect(page.get_by_role("region", name="Purpose", exact=True).get_by_role(
        "link", name="work, training and money services near you")).to_be_visible()
    # No health service in this directory, so no link to one.
    expect(page.get_by_role("region", name="Health", exact=True).get_by_role(
        "link", name=re.compile("services near you"))).to_have_count(0)

    screen.follow(home.get_by_role("link", name="housing services near you"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Services near you")
    expect(page.get_by_label("Part of life")).to_have_value("home")
    expect(page.get_by_role("heading", level=2)).to_contain_text("2 services matching your search")
    expect(page.get_by_role("main")).not_to_contain_text("Thursday SMART Meeting")

    page.get_by_label("Kind of service").select_option("housing")
    screen.follow(page.get_by_role("button", name="Search"))
    card = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name="Harbour Housing Help"))
    expect(card.get_by_role("link", name="Call 0100 000 001")).to_have_attribute("href", "tel:0100000001")
    expect(page.get_by_role("main")).not_to_contain_text("Money Matters Advice")
    screen.follow(card.get_by_role("button", name="Save to my plan"))
    expect(page.get_by_role("status")).to_contain_text("Saved “Harbour Housing Help” to your plan.")
    expect(page.get_by_label("Kind of service")).to_have_value("housing")  # back on the same search

    screen.follow(page.get_by_role("link", name="My plan"))
    saved = page.get_by_role("region", name="Services I saved")
    expect(saved).to_contain_text("Harbour Housing Help")
    expect(saved.get_by_role("link", name="Call 0100 000 001")).to_be_visible()
    screen.assert_clean()
