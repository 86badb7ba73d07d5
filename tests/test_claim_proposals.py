"""Claim proposals on hand-written sentences: what is a claim, stand-alone text, links, cap, main claim."""

from __future__ import annotations

import pytest

pytest.importorskip("spacy")

from extractor.analysis import PipelineMissingError, analyse  # noqa: E402
from extractor.proposals import AttributionProposal, ClaimProposal, Loc, SpeakerEntity, SpeakerOption  # noqa: E402
from extractor.proposals.claims import (  # noqa: E402
    main_candidates,
    propose_claims,
    select_claims,
    sentence_units,
)


@pytest.fixture(scope="module")
def parse():
    try:
        analyse("Warm-up.")
    except PipelineMissingError:
        pytest.skip("no spaCy English pipeline")
    return analyse


def _claims(parse, text: str, **kw) -> list[ClaimProposal]:
    return select_claims(propose_claims(parse(text), **kw), cap=None)


def _texts(a, claims: list[ClaimProposal]) -> list[str]:
    return [a.text[c.evidence.start : c.evidence.end] for c in claims]


def test_questions_boilerplate_and_fragments_are_not_claims(parse):
    text = (
        "Is the harbour of Selvik ready for winter storms? "
        "Sign up for our newsletter to get the latest stories every morning. "
        "Photo credit: Jane Doe for the Selvik Courier. "
        "Click here to read more. "
        "The harbour of Selvik handled 2.1 million tonnes of grain in 2022, the port office said."
    )
    a = parse(text)
    claims = select_claims(propose_claims(a), cap=None)
    assert _texts(a, claims) == [
        "The harbour of Selvik handled 2.1 million tonnes of grain in 2022, the port office said."
    ]


def test_reported_acts_without_content_are_not_claims(parse):
    a = parse(
        "The mayor of Selvik condemned the vandalism at the harbour on Sunday. "
        "The council said that repairs to the harbour wall would cost 40,000 euros."
    )
    assert _texts(a, select_claims(propose_claims(a), cap=None)) == [
        "The council said that repairs to the harbour wall would cost 40,000 euros."
    ]


def test_attribution_frame_is_removed_and_claim_linked(parse):
    text = "Port director Ola Berg said that grain exports from Selvik rose 12% last year."
    a = parse(text)
    start = text.index("grain")
    att = AttributionProposal(
        content=Loc(start, len(text) - 1),
        cue=Loc(text.index("said"), text.index("said") + 4),
        kind="indirect",
        options=[SpeakerOption("s1", Loc(0, text.index(" said")))],
    )
    speakers = [SpeakerEntity("s1", "Ola Berg", "person", "Port director")]
    [claim] = propose_claims(a, [att], [], speakers=speakers)
    assert claim.text == "Grain exports from Selvik rose 12% last year."
    assert claim.attribution == 0


def test_pronoun_subject_resolved_to_speaker(parse):
    text = "Ola Berg runs the port. He said the terminal would reopen in March after 14 weeks of repairs."
    a = parse(text)
    said = text.index("said")
    att = AttributionProposal(
        content=Loc(said + 5, len(text) - 1),
        cue=Loc(said, said + 4),
        kind="indirect",
        options=[SpeakerOption("s1", Loc(text.index("He"), text.index("He") + 2))],
    )
    claims = propose_claims(a, [att], [], speakers=[SpeakerEntity("s1", "Ola Berg", "person")])
    linked = [c for c in claims if c.attribution == 0]
    assert linked and linked[0].text == "The terminal would reopen in March after 14 weeks of repairs."


def test_sentences_inside_a_long_quote_belong_to_the_speaker(parse):
    text = 'Ola Berg said: "Grain exports rose 12% last year. The new terminal will handle 300 ships a year from 2025."'
    a = parse(text)
    q0 = text.index('"') + 1
    att = AttributionProposal(
        content=Loc(q0, len(text) - 1),
        cue=Loc(text.index("said"), text.index("said") + 4),
        kind="direct",
        options=[SpeakerOption("s1", Loc(0, 8))],
    )
    claims = propose_claims(a, [att], [], speakers=[SpeakerEntity("s1", "Ola Berg", "person")])
    quoted = [c for c in claims if "300 ships" in c.text]
    assert quoted and quoted[0].attribution == 0


def test_first_person_vow_in_quote_is_not_checkworthy(parse):
    a = parse('"We will never give up the fight for this harbour," the union leader told reporters on Monday.')
    assert select_claims(propose_claims(a), cap=None) == []


def test_glued_sentences_are_split(parse):
    a = parse("Storms hit the coast of Selvik on Monday.Rain fell for nine hours and flooded the lower town.")
    units = [a.text[s:e] for s, e in sentence_units(a)]
    assert units == [
        "Storms hit the coast of Selvik on Monday.",
        "Rain fell for nine hours and flooded the lower town.",
    ]


def test_cap_keeps_the_most_checkworthy_and_the_main_claim(parse):
    sentences = [f"Selvik harbour handled {n} ships in {2000 + n}, the port office said." for n in range(1, 15)]
    a = parse(" ".join(sentences))
    proposals = propose_claims(a)
    assert len(proposals) == 14
    chosen = select_claims(proposals)
    assert len(chosen) == 10
    assert main_candidates(proposals, 1)[0] in chosen
    assert [c.checkworthy for c in chosen] == sorted((c.checkworthy for c in chosen), reverse=True)
    assert len(select_claims(proposals, cap=None)) == 14


def test_main_claim_of_a_simple_article(parse):
    text = (
        "Have you ever wondered where your bread comes from? "
        "Grain exports from Selvik rose by 12% last year, a new study by the port authority shows. "
        "The port was built in 1870. "
        "Ships from 14 countries call at Selvik every month."
    )
    a = parse(text)
    top = main_candidates(propose_claims(a), 3)
    assert a.text[top[0].evidence.start : top[0].evidence.end].startswith("Grain exports from Selvik rose")
    assert len(top) == 3


def test_title_overlap_lifts_a_later_sentence(parse):
    text = (
        "The port was busy on Monday morning as ships arrived from the north. "
        "Dock workers at Selvik voted to strike over new safety rules, the union said."
    )
    a = parse(text)
    top = main_candidates(propose_claims(a, title="Selvik dock workers vote to strike over safety rules"), 1)
    assert a.text[top[0].evidence.start : top[0].evidence.end].startswith("Dock workers")


def test_context_lines_and_faceless_forecasts_are_not_claims(parse):
    a = parse(
        "The ferry company Brannvik Lines raised its fares by 9 percent on Monday. "
        "The rise comes amid a long quarrel between the company and the island councils. "
        "Analysts expect the fares to fall again within six months."
    )
    assert _texts(a, select_claims(propose_claims(a), cap=None)) == [
        "The ferry company Brannvik Lines raised its fares by 9 percent on Monday."
    ]


def test_image_credit_under_a_study_title_is_no_caption(parse):
    from extractor.proposals.claims import _caption_end, _units

    text = (
        "A new study from Brell University found that winter storms on the Selvik coast grew 20% stronger since 1990. "
        "Storms shape harbours along the whole coast. "
        "Study: Winter storm strength on the Selvik coast. Image Credit: Jane Doe/Stock "
        "The team compared wave records from six harbours over three decades."
    )
    a = parse(text)
    units = _units(a, [], [])
    cands = [u for u in units if u.features["cw"] > 0.0]
    assert _caption_end(units, cands, text) == 0


def _top(parse, text: str, speaker: SpeakerEntity) -> tuple[str, ClaimProposal]:
    """The article's text from its top main candidate on, and that candidate, with one known speaker."""
    a = parse(text)
    top = main_candidates(propose_claims(a, [], speakers=[speaker]), 1)[0]
    return a.text[top.evidence.start :], top


def test_main_claimer_is_the_organisation_credited_with_the_research(parse):
    text = (
        "Brell University scientists have shown that winter storms on the Selvik coast grew 20% stronger "
        "since 1990. The harbours along the coast have seen more damage each year."
    )
    org = SpeakerEntity(id="s1", name="Brell University", kind="organisation", mentions=[Loc(0, 16)])
    rest, top = _top(parse, text, org)
    assert rest.startswith("Brell University scientists")
    assert top.claimer_speaker == "s1"


def test_an_unattributed_main_claims_claimer_is_the_named_speaker_that_is_its_subject(parse):
    text = (
        "Varna Harbour Authority has opened a training centre for crane operators on the east quay. "
        "The centre will train 200 workers a year."
    )
    org = SpeakerEntity(id="s1", name="Varna Harbour Authority", kind="organisation", mentions=[Loc(0, 23)])
    rest, top = _top(parse, text, org)
    assert rest.startswith("Varna Harbour Authority has opened")
    assert top.claimer_speaker == "s1"
    # a name inside the subject is not the actor
    text = "Nearly half of Selvik adults gained weight during the storm season, a survey of 2,000 people found."
    place = SpeakerEntity(id="s1", name="Selvik", kind="organisation", mentions=[Loc(15, 21)])
    _, top = _top(parse, text, place)
    assert top.claimer_speaker != "s1"


def _att(text: str, cue: str, content: str, source: str) -> AttributionProposal:
    at = text.index(cue)
    start = text.index(content)
    return AttributionProposal(
        content=Loc(start, start + len(content)),
        cue=Loc(at, at + len(cue)),
        kind="indirect",
        options=[SpeakerOption("s1", Loc(text.index(source), text.index(source) + len(source)))],
    )


def test_a_request_keeps_its_frame_and_a_reported_question_is_not_the_claim(parse):
    speakers = [SpeakerEntity("s1", "Ola Berg", "person", "Port director")]
    # *urged … to stay off the pier*: the infinitive alone is no statement; the sentence keeps its frame
    text = "Port director Ola Berg urged 3,000 residents to stay off the pier during the storm."
    att = _att(text, "urged", "to stay off the pier during the storm", "Port director Ola Berg")
    [claim] = propose_claims(parse(text), [att], [], speakers=speakers)
    assert claim.text == text
    # *asked whether …*: the question is not what the claim asserts, so the claim is not cut down to it
    text = "Asked whether the pier would close for 14 days, port director Ola Berg said it was possible."
    att = _att(text, "Asked", "whether the pier would close for 14 days", "port director Ola Berg")
    [claim] = propose_claims(parse(text), [att], [], speakers=speakers)
    assert claim.text == text


def test_a_quote_broken_by_its_cue_gives_the_quote_alone_as_the_claim(parse):
    text = '"The pier lost 14% of its traffic," said port director Ola Berg. "We will close it in 2025."'
    att = AttributionProposal(
        content=Loc(1, len(text) - 2),  # the harness convention: one span over both quotes, cue inside
        cue=Loc(text.index("said"), text.index("said") + 4),
        kind="direct",
        options=[SpeakerOption("s1", Loc(text.index("port"), text.index(". ")))],
    )
    claims = propose_claims(parse(text), [att], [], speakers=[SpeakerEntity("s1", "Ola Berg", "person")])
    assert "The pier lost 14% of its traffic." in [c.text for c in claims]


def test_an_unnamed_report_keeps_its_claim_when_the_most_quoted_person_is_no_researcher(parse):
    text = (
        "According to a city report, the number of cyclists doubled to 3,000 a day since 2015. "
        '"It is a good day for the city," said councillor Ana Diaz. "We waited 12 years," Diaz said.'
    )
    report = _att(text, "According to", "the number of cyclists doubled to 3,000 a day since 2015", "a city report")
    report.options = [SpeakerOption(None, report.options[0].mention)]
    quotes = [
        _att(text, "said councillor", "It is a good day for the city", "councillor Ana Diaz"),
        _att(text, "Diaz said", "We waited 12 years", "Diaz"),
    ]
    claims = propose_claims(parse(text), [report, *quotes], [], speakers=[SpeakerEntity("s1", "Ana Diaz", "person")])
    [first] = [c for c in claims if c.evidence.start == 0]
    assert first.attribution == 0


def test_a_research_role_is_read_right_around_a_mention_not_a_sentence_later():
    from extractor.proposals.claims import _research_role

    text = "Ana Diaz, who led the study, spoke on Monday. Tom Reyes later told reporters the firm would fund a study."
    diaz = SpeakerEntity("s1", "Ana Diaz", "person", mentions=[Loc(0, 8)])
    reyes = SpeakerEntity("s2", "Tom Reyes", "person", mentions=[Loc(text.index("Tom"), text.index("Tom") + 9)])
    assert _research_role(diaz, text) and not _research_role(reyes, text)


def test_a_conditional_statement_is_not_a_reported_question(parse):
    text = "Port director Ola Berg said if the strike lasts 14 days, grain exports will fall 30%."
    att = _att(text, "said", "if the strike lasts 14 days, grain exports will fall 30%", "Port director Ola Berg")
    speakers = [SpeakerEntity("s1", "Ola Berg", "person")]
    [claim] = propose_claims(parse(text), [att], [], speakers=speakers)
    assert claim.attribution == 0 and claim.text == "If the strike lasts 14 days, grain exports will fall 30%."


def test_an_outside_expert_is_not_the_studys_researcher() -> None:
    from extractor.proposals.claims import _research_role

    text = (
        "Study leader Jo Park said the storms grew stronger. "
        "Ann Lee, a researcher who was not involved in the study, said the method was careful."
    )
    park = SpeakerEntity("s1", "Jo Park", "person", "Study leader", mentions=[Loc(13, 20)])
    lee = SpeakerEntity(
        "s2", "Ann Lee", "person", "a researcher who was not involved in the study", mentions=[Loc(52, 59)]
    )
    assert _research_role(park, text)
    assert not _research_role(lee, text)


def test_a_one_word_name_introduced_with_a_role_can_be_the_principal_person() -> None:
    from extractor.proposals.claims import _principal_speaker

    text = (
        '"The cell grows," said Luthey-Schulten, a chemistry professor who led the work. '
        '"It divides," Luthey-Schulten said. "It lives," said Bo Ek.'
    )
    lead = SpeakerEntity("s1", "Luthey-Schulten", "person", "a chemistry professor who led the work",
                         mentions=[Loc(23, 38), Loc(95, 110)])  # fmt: skip
    other = SpeakerEntity("s2", "Bo Ek", "person", None, mentions=[Loc(133, 138)])

    def said(quote: str, source: str, sid: str, nth: int = 0) -> AttributionProposal:
        start = text.index(quote)
        at = [i for i in range(len(text)) if text.startswith(source, i)][nth]
        return AttributionProposal(content=Loc(start, start + len(quote)), cue=Loc(at - 5, at - 1),
                                   kind="direct", options=[SpeakerOption(sid, Loc(at, at + len(source)))])  # fmt: skip

    attributions = [said("The cell grows", "Luthey-Schulten", "s1"), said("It divides", "Luthey-Schulten", "s1", 1),
                    said("It lives", "Bo Ek", "s2")]  # fmt: skip
    assert _principal_speaker(attributions, {"s1": lead, "s2": other}, text) == 0
