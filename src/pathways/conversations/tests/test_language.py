"""The respectful-language check: every listed phrase is found, ordinary words are left alone, quoted words and
a person's words about themselves are theirs, an organisation can add phrases, and the live check answers."""
import tomllib

import pytest
from django import forms
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from pathways.conversations import language

ENTRIES = tomllib.loads(language.OUR_FILE.read_text())["phrase"]
EXAMPLES = [pytest.param(entry, example, id=f"{entry['name']}: {example}")
            for entry in ENTRIES for example in entry["examples"]]
URL = reverse("language:check")


@pytest.fixture(autouse=True)
def fresh_catalogue():
    language.catalogue.cache_clear()
    yield
    language.catalogue.cache_clear()


def phrases(text, **kwargs):
    return [finding.phrase for finding in language.findings(text, **kwargs)]


def test_every_entry_has_examples_alternatives_and_a_reason():
    for entry in ENTRIES:
        assert entry["examples"] and entry["alternatives"] and entry["reason"], entry["name"]
        assert bool(entry.get("find_plural")) == bool(entry.get("alternatives_plural")), entry["name"]


@pytest.mark.parametrize(("entry", "example"), EXAMPLES)
def test_every_listed_phrase_is_found_with_its_alternatives(entry, example):
    found = [finding for finding in language.findings(example) if finding.reason == entry["reason"]]
    assert found, f"nothing from {entry['name']!r} found in {example!r}"
    for finding in found:
        assert example[finding.start:finding.end] == finding.phrase
        assert set(finding.alternatives) <= set(entry["alternatives"]) | set(entry.get("alternatives_plural", ()))
        assert finding.alternatives


@pytest.mark.parametrize("text", [
    "We cleaned the kitchen together.", "She was referred to addiction services.", "clean sheets and clean clothes",
    "The dirty dishes can wait.", "No alcoholic drinks at the party.", "She goes to Alcoholics Anonymous.",
    "non-alcoholic beer", "He was drunk last night.", "a drunk driver hit the fence", "She left her abuser.",
    "He's an adrenaline junkie.", "I use my frequent flyer miles.", "addicted to crosswords", "a clean start",
])
def test_ordinary_words_are_left_alone(text):
    assert phrases(text) == []


def test_a_test_that_came_back_clean_is_about_a_test_so_it_is_flagged():
    (finding,) = language.findings("The test came back clean.")
    assert finding.phrase == "clean" and "negative" in finding.alternatives


def test_case_does_not_matter_and_the_longest_phrase_wins():
    assert phrases("ADDICT, Drug Addict and Recovering addicts") == ["ADDICT", "Drug Addict", "Recovering addicts"]


@pytest.mark.parametrize("text", ['He said "addict" twice.', "She called him a “junkie” once.",
                                  "They wrote 'drug-seeking' on the form.", "the word ‘non-compliant’"])
def test_quoted_words_are_not_flagged(text):
    assert phrases(text) == []


def test_only_the_quoted_words_are_spared():
    assert phrases('He said "addict", but she is an alcoholic.') == ["alcoholic"]
    assert phrases("He's an addict; she's Pat's friend.") == ["addict"]  # apostrophes are not quotes


@pytest.mark.parametrize("text", ["I'm an addict.", "I am an alcoholic", "I relapsed in May.",
                                  "My drinking made me a drunk.", "We were junkies back then."])
def test_the_persons_own_words_about_themselves_are_not_flagged(text):
    assert phrases(text, author_is_the_person=True) == []
    assert phrases(text)  # the same words from someone else are offered another way


def test_the_person_writing_about_someone_else_is_still_offered_alternatives():
    assert phrases("I relapsed. He is an addict.", author_is_the_person=True) == ["addict"]


def test_replace_changes_only_the_span_and_fixes_the_article_and_the_capital():
    text = "He is an addict. An addict, they said."
    first = language.findings(text)[0]
    assert language.replace(text, first.start, first.end, "person who uses drugs") == \
        "He is a person who uses drugs. An addict, they said."
    second = language.findings(text)[1]
    assert language.replace(text, second.start, second.end, "person who drinks") == \
        "He is an addict. A person who drinks, they said."
    with pytest.raises(ValueError):
        language.replace(text, 30, 99, "x")


def test_an_organisations_file_extends_the_list(settings, tmp_path):
    extra = tmp_path / "ours.toml"
    extra.write_text('[[phrase]]\nname = "service user"\nfind = ["service user"]\n'
                     'alternatives = ["person we work with"]\nreason = "Our members asked for this."\n')
    assert phrases("a service user") == []
    settings.PATHWAYS_LANGUAGE_FILES = [str(tmp_path / "missing.toml"), str(extra)]
    language.catalogue.cache_clear()
    (finding,) = language.findings("A service user and an addict")[:1]
    assert finding.alternatives == ("person we work with",)
    assert phrases("A service user and an addict") == ["service user", "addict"]  # ours still apply


def test_findings_for_form_lists_each_phrase_once():
    found = language.findings_for_form("Addict. addict. junkie.", author_is_the_person=False)
    assert [finding.phrase for finding in found] == ["Addict", "junkie"]
    html = render_to_string("conversations/_language_check_saved.html", {"language_findings": found})
    assert "You might consider" in html and "person who uses drugs" in html
    assert render_to_string("conversations/_language_check_saved.html", {"language_findings": []}).strip() == ""


@pytest.mark.parametrize("text", ["", "\x00\x01\x1b[31m addict \u202e", "addict " * 15000, "é" * 100_000])
def test_odd_text_is_checked_without_fuss(text):
    found = language.findings(text)
    assert all(text[finding.start:finding.end] == finding.phrase for finding in found)


# --- the live check -------------------------------------------------------------------------------

class NoteLikeForm(forms.Form):
    talked_about = forms.CharField(label="What we talked about", required=False, max_length=4000,
                                   widget=forms.Textarea(attrs={"rows": 5}))


def test_the_include_renders_the_box_wired_for_htmx():
    form = NoteLikeForm({"talked_about": "He is an addict"})
    html = render_to_string("conversations/_language_check.html", {"field": form["talked_about"]})
    assert 'name="talked_about"' in html and 'maxlength="4000"' in html and 'rows="5"' in html
    assert f'hx-post="{URL}"' in html and "keyup changed delay:700ms" in html
    assert 'id="id_talked_about-language-findings" aria-live="polite"' in html
    assert "He is an addict</textarea>" in html  # what was typed is kept
    assert "<script" not in html and "style=" not in html


def check(client, text, **extra):
    return client.post(URL, {"language_field": "talked_about", "language_id": "id_talked_about",
                             "talked_about": text} | extra)


def test_the_check_needs_a_signed_in_account(pat):
    response = check(Client(), "He is an addict")
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_check_needs_the_csrf_token(pat):
    client = Client(enforce_csrf_checks=True)
    client.force_login(pat)
    assert check(client, "He is an addict").status_code == 403


def test_the_check_answers_the_findings_fragment(pat_client):
    response = check(pat_client, "He is an addict, she said “junkie”.")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert "“addict”" in html and "person who uses drugs" in html and "junkie" not in html
    assert 'hx-target="#id_talked_about-language"' in html


def test_the_persons_own_words_are_not_flagged_live(pat_client):
    assert "addict" not in check(pat_client, "I'm an addict", author_is_the_person="1").content.decode()


def test_use_this_one_replaces_only_the_chosen_span(pat_client):
    text = "An addict met an addict."
    second = language.findings(text)[1]
    response = check(pat_client, text, use="person who uses drugs", start=second.start, end=second.end,
                     language_rows="5", language_maxlength="4000")
    html = response.content.decode()
    assert response.status_code == 200
    assert "An addict met a person who uses drugs.</textarea>" in html
    assert 'rows="5"' in html and 'maxlength="4000"' in html and "autofocus" in html
    assert "“addict”" in html  # the first one is still offered, fresh


def test_a_choice_that_no_longer_fits_the_text_changes_nothing(pat_client):
    for start, end in ((4, 9), (500, 510), (-5, 2)):  # the words moved, or never were there
        response = check(pat_client, "An addict", use="person who uses drugs", start=start, end=end)
        assert response.status_code == 200
        assert "An addict</textarea>" in response.content.decode() and "nothing was replaced" in \
            response.content.decode()
    offered_elsewhere = check(pat_client, "An addict", use="anything I like", start=3, end=9)
    assert "An addict</textarea>" in offered_elsewhere.content.decode()


@pytest.mark.parametrize("data", [
    {}, {"language_field": "missing"}, {"language_field": "talked_about"},
    {"language_field": "talked_about", "talked_about": "An addict", "use": "x", "start": "three", "end": "9"},
])
def test_unclear_requests_get_a_clear_400(pat_client, data):
    response = pat_client.post(URL, data)
    assert response.status_code == 400 and b"Traceback" not in response.content


@pytest.mark.parametrize("text", ["", "\x00\x07 addict \x1b", "x" * 100_000, "addict " * 2000])
def test_odd_input_answers_without_a_stack_trace(pat_client, text):
    response = check(pat_client, text)
    assert response.status_code == 200 and b"Traceback" not in response.content


def test_long_text_is_left_for_the_check_on_save(pat_client):
    assert "too long to check" in check(pat_client, "addict " * 15000).content.decode()


def test_many_findings_are_counted_not_all_listed(pat_client):
    html = check(pat_client, "addict " * 30).content.decode()
    assert html.count("<li>") == 20 and "10 more" in html


def test_the_check_logs_no_words(pat_client, caplog):
    with caplog.at_level("DEBUG"):
        check(pat_client, "SECRET-WORDS an addict")
        pat_client.post(URL, {"language_field": "talked_about", "talked_about": "SECRET-WORDS", "use": "x",
                              "start": "a", "end": "b"})
    assert "SECRET-WORDS" not in caplog.text
