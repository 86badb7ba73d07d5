"""The choice and assembly stages on hand-made proposals: ids, links, the main claim, the cap."""

from __future__ import annotations

import pytest

from extractor.analysis import analyse
from extractor.assemble import assemble
from extractor.choosers import Answer, Question, RulesChooser
from extractor.identity import RunIdentity, rules_identity
from extractor.proposals import (
    AttributionProposal,
    ClaimProposal,
    FigureProposal,
    Loc,
    SpeakerEntity,
    SpeakerOption,
)
from extractor.questions import build
from extractor.schema import Usage

TEXT = (
    "Port director Tomas Brandt said the strike cost the port $2.5 million a day.\n\n"
    "Union leaders said 400 workers walked out on Monday."
)


def loc(text: str, part: str, start: int = 0) -> Loc:
    i = text.index(part, start)
    return Loc(i, i + len(part))


@pytest.fixture(scope="module")
def analysis():
    return analyse(TEXT)


@pytest.fixture(scope="module")
def proposals():
    brandt = SpeakerEntity("s1", "Tomas Brandt", "person", "Port director", [loc(TEXT, "Tomas Brandt")])
    union = SpeakerEntity("s2", "Union leaders", "group", None, [loc(TEXT, "Union leaders")])
    attributions = [
        AttributionProposal(
            content=loc(TEXT, "the strike cost the port $2.5 million a day"),
            cue=loc(TEXT, "said"),
            kind="indirect",
            options=[SpeakerOption("s1", loc(TEXT, "Tomas Brandt")), SpeakerOption(None, loc(TEXT, "Port"))],
        ),
        AttributionProposal(
            content=loc(TEXT, "400 workers walked out on Monday"),
            cue=loc(TEXT, "said", 60),
            kind="indirect",
            options=[SpeakerOption("s2", loc(TEXT, "Union leaders"))],
        ),
    ]
    figures = [
        FigureProposal(loc(TEXT, "$2.5 million"), 2.5e6, "USD", counts_options=["strike cost", "port"]),
        FigureProposal(loc(TEXT, "400"), 400.0, "people", counts_options=["workers"]),
    ]
    claims = [
        ClaimProposal(loc(TEXT, "Port director Tomas Brandt said the strike cost the port $2.5 million a day."),
                      "The strike cost the port $2.5 million a day.", "statistic", 0.9, 0.8, attribution=0),
        ClaimProposal(loc(TEXT, "Union leaders said 400 workers walked out on Monday."),
                      "400 workers walked out on Monday.", "fact", 0.7, 0.5, attribution=1),
    ]  # fmt: skip
    return [brandt, union], attributions, figures, claims


def run(analysis, proposals, chooser=None, max_claims=10):
    speakers, attributions, figures, claims = proposals
    questions = build(analysis, attributions, speakers, figures, claims)
    chooser = chooser or RulesChooser()
    answers = {id(q): chooser.choose(q) for q in questions.all()}
    return questions, assemble(
        analysis, speakers, attributions, figures, claims, questions, answers, max_claims=max_claims
    )


def test_rules_take_option_zero_and_every_item_is_linked(analysis, proposals):
    questions, items = run(analysis, proposals)
    assert [q.kind for q in questions.all()] == ["speaker", "speaker", "counts", "main_claim"]
    assert questions.speaker[0].required == 0, "the name touching the cue is the required option"
    a1, a2 = items.attributions
    assert (a1.id, a1.speaker, a1.speaker_id, a1.speaker_role) == ("a1", "Tomas Brandt", "s1", "Port director")
    assert a2.speaker_id == "s2" and a2.source is not None and a2.source.text == "Union leaders"
    f1, f2 = items.figures
    assert (f1.id, f1.counts, f1.attribution_id, f1.claim_id) == ("f1", "strike cost", "a1", "c1")
    assert (f2.attribution_id, f2.claim_id) == ("a2", "c2")
    c1, c2 = items.claims
    assert c1.main and not c2.main
    assert (c1.claimer, c1.claimer_id, c1.figure_ids) == ("Tomas Brandt", "s1", ["f1"])
    for s in [m for sp in items.speakers for m in sp.mentions] + [a1.content, a1.cue, f1.span, c1.evidence]:
        assert TEXT[s.start : s.end] == s.text


class _Pick:
    """A chooser that answers every question with a fixed option index, as a model might."""

    concurrency = 1
    identity = RunIdentity(
        prompt="t", prompt_version="v1", prompt_sha256="x", strategy="guided", backend="test", model="test"
    )

    def __init__(self, index: int | None, usage: Usage | None = None) -> None:
        self.index, self.usage = index, usage or Usage()

    def choose(self, question: Question) -> Answer:
        return Answer(self.index if self.index is None or self.index < len(question.options) else 0, self.usage)


def test_a_model_choice_changes_speaker_counts_and_main_claim_and_usage_adds_up(analysis, proposals):
    one_call = Usage(calls=1, prompt_tokens=10, completion_tokens=2)
    _, items = run(analysis, proposals, _Pick(1, one_call))
    a1 = items.attributions[0]
    assert a1.speaker is None and a1.source is not None and a1.source.text == "Port"
    assert items.figures[0].counts == "port"
    assert [c.main for c in items.claims] == [False, True]
    assert items.usage == Usage(calls=4, prompt_tokens=40, completion_tokens=8)


def test_none_leaves_the_source_empty(analysis, proposals):
    _, items = run(analysis, proposals, _Pick(None))
    assert all(a.source is None and a.speaker is None for a in items.attributions)
    assert items.claims[0].main, "with no main-claim answer the rules' first candidate stays main"


def test_the_claim_cap_keeps_the_main_claim_first(analysis, proposals):
    _, items = run(analysis, proposals, _Pick(1), max_claims=1)
    assert len(items.claims) == 1 and items.claims[0].main and items.claims[0].id == "c1"


def test_usage_is_immutable_and_adds():
    u = Usage(calls=1, prompt_tokens=5) + Usage(calls=2, cached_calls=1, completion_tokens=3)
    assert (u.calls, u.cached_calls, u.total_tokens) == (3, 1, 8)
    with pytest.raises(Exception):  # noqa: B017 - pydantic raises its own ValidationError for frozen models
        u.calls = 0  # type: ignore[misc]


def test_rules_identity_is_stable_and_names_the_rules():
    a, b = rules_identity(), rules_identity()
    assert a == b and a.backend == "baseline" and a.strategy == "rules" and len(a.prompt_sha256) == 64
    assert a.key.startswith("baseline@")


def test_a_run_on_text_is_cut_for_parsing_and_flagged():
    """A stretch with no sentence end (a flattened table, a scraper's soup) is parsed in bounded parts."""
    from extractor import extract

    text = " ".join(["the council said that the budget of 40 million dollars would rise"] * 400)
    result = extract(text, backend="baseline")
    assert "run_on_text" in [f.code for f in result.flags]
    assert result.figures and all(f.value == 4e7 for f in result.figures)
    for s in result.spans():
        assert text[s.start : s.end] == s.text


def test_the_parser_multiplies_through_numpy_and_parses_as_with_blis():
    """The shipped pipeline's models run on numpy's BLAS (thinc's BLIS wheel falls back to a slow generic
    kernel); the BLIS-built copy gives the same parse, token for token."""
    from extractor.analysis import load_pipeline, pipeline

    def blis_use(nlp):
        return [p.model.ops.use_blis for _, p in nlp.pipeline if getattr(p, "model", None) is not None]

    shipped, blis = pipeline(), load_pipeline(blis=True)
    assert blis_use(shipped) and not any(blis_use(shipped))
    assert blis_use(blis) and all(blis_use(blis))
    text = 'The mayor, Ana Diaz, said on Friday that the strike would end. "We are close," she told reporters.'
    a, b = shipped(text), blis(text)
    assert [(t.tag_, t.dep_, t.head.i, t.ent_type_) for t in a] == [(t.tag_, t.dep_, t.head.i, t.ent_type_) for t in b]


def test_labels_the_model_sees_are_plain():
    from extractor.choosers import plain_label

    assert plain_label('He said "no" \\ twice\n  today') == "He said 'no' / twice today"


def test_an_unnamed_source_links_to_a_speaker_entry_and_has_no_name():
    from extractor import Extractor, Settings

    text = "Police Chief Ann Lee said two men were arrested. A spokesperson for the force said no one was hurt."
    with Extractor(Settings.resolve(backend="baseline")) as ex:
        result = ex.extract(text)
    speakers = {s.id: s for s in result.speakers}
    unnamed = next(a for a in result.attributions if a.source and a.source.text.startswith("A spokesperson"))
    assert (unnamed.speaker, unnamed.speaker_role) == (None, None), "the text names no one: no name is guessed"
    entry = speakers[unnamed.speaker_id]
    assert (entry.kind, entry.name) == ("unnamed", "spokesperson for the force")
    assert [m.text for m in entry.mentions] == ["A spokesperson for the force"]
